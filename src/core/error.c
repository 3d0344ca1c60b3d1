/*
 * error.c — filling cy_error_t. Pure: no I/O, no globals.
 */
#include "core/error.h"
#include "core/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Every string of an error is well-formed UTF-8, whatever the caller's input held. */
static void
copy_str(char *dst, size_t cap, const char *src)
{
    utf8_sanitize(dst, cap, src ? src : "", src ? strlen(src) : 0);
}

cy_status_t
cy_error_set(cy_error_t *err, cy_status_t st, const char *code, const char *field, const char *fmt,
             ...)
{
    if (err == NULL)
        return st;
    /* built aside, then copied: code, field and arguments may be err's own strings */
    cy_error_t e;
    e.status = st;
    copy_str(e.code, sizeof e.code, code);
    copy_str(e.field, sizeof e.field, field);
    char raw[sizeof e.message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    copy_str(e.message, sizeof e.message, raw);
    *err = e;
    return st;
}

cy_status_t
cy_error_no_memory(cy_error_t *err)
{
    return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
}

void
cy_error_clear(cy_error_t *err)
{
    if (err == NULL)
        return;
    err->status = CY_OK;
    err->code[0] = err->field[0] = err->message[0] = '\0';
}

const char *
cy_status_name(cy_status_t st)
{
    switch (st) {
    case CY_OK:
        return "ok";
    case CY_EINVAL:
        return "invalid";
    case CY_EBADREQ:
        return "bad_request";
    case CY_EUNAVAIL:
        return "unavailable";
    case CY_EUNAUTH:
        return "unauthenticated";
    case CY_EFORBIDDEN:
        return "forbidden";
    case CY_ENOTFOUND:
        return "not_found";
    case CY_ECONFLICT:
        return "conflict";
    case CY_ETOOLARGE:
        return "too_large";
    case CY_ELIMIT:
        return "rate_limited";
    case CY_EIO:
        return "io_error";
    case CY_ENOMEM:
        return "no_memory";
    }
    return "unknown";
}
