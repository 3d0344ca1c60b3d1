/*
 * error.h — the one status and error type every layer returns.
 *
 * A public function returns cy_status_t and, when it refuses, fills a
 * cy_error_t: a machine code, the input field it is about, and a message in
 * Chinese and English ("中文 / English"). http/ maps the status to an HTTP
 * code; cli/ prints the message. Depends on nothing but libc.
 */
#ifndef CY_CORE_ERROR_H
#define CY_CORE_ERROR_H

typedef enum {
    CY_OK = 0,
    CY_EINVAL,     /* the caller's input breaks a rule (HTTP 422) */
    CY_EUNAUTH,    /* not authenticated (401) */
    CY_EFORBIDDEN, /* authenticated but not allowed (403) */
    CY_ENOTFOUND,  /* absent or outside the caller's visibility (404) */
    CY_ECONFLICT,  /* state conflict, e.g. duplicate (409) */
    CY_ETOOLARGE,  /* input over a size limit (413) */
    CY_ELIMIT,     /* throttled (429) */
    CY_EIO,        /* storage, file or system failure (500) */
    CY_ENOMEM,     /* allocation failed (500) */
    CY_EBADREQ,    /* the request itself is malformed: not JSON, an unknown field, a field of
                      the wrong type, a bad query parameter (400) */
    CY_EUNAVAIL,   /* a service the answer needs is missing or timed out (503) */
} cy_status_t;

typedef struct {
    cy_status_t status;
    char code[64];     /* stable machine code, e.g. "uscc_check_digit" */
    char field[96];    /* input field the refusal is about, "" if none */
    char message[640]; /* "中文说明 / English explanation" */
} cy_error_t;

/*
 * cy_error_set fills err (if not NULL) and returns st. The message is
 * formatted from fmt; by convention it holds Chinese, " / ", then English.
 * field and code may be NULL. Whatever the arguments hold (a client's bytes
 * echoed back), code, field and message come out well-formed UTF-8
 * (utf8_sanitize: a cut character dropped, other bad bytes U+FFFD); long
 * messages are cut at a character boundary. The code, field and arguments
 * may be err's own (re-labelling a refusal).
 */
cy_status_t cy_error_set(cy_error_t *err, cy_status_t st, const char *code, const char *field,
                         const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* cy_error_no_memory: a failed allocation, CY_ENOMEM "no_memory" with no field and the one
 * message for it, "内存不足 / out of memory" (a refusal about a file says which instead). */
cy_status_t cy_error_no_memory(cy_error_t *err);

/* cy_error_clear resets err to CY_OK with empty strings. */
void cy_error_clear(cy_error_t *err);

/* cy_status_name returns a short English name of st ("invalid", "not_found", ...). */
const char *cy_status_name(cy_status_t st);

#endif
