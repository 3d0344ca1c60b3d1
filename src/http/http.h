/*
 * http.h — what the HTTP layer's parts share: the request and response a
 * handler sees, the route table, and the one way to answer JSON and errors.
 * A handler parses, calls app/, renders; business rules live in core/ and
 * app/. Never includes sqlite3 or libpq (go through app/).
 */
#ifndef CY_HTTP_HTTP_H
#define CY_HTTP_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"

#define HTTP_MAX_PARAMS  4
#define HTTP_MAX_HEADERS 4

typedef struct http_req {
    const char *method;
    const char *path; /* decoded, without the query string */
    void *mhd;        /* struct MHD_Connection * */
    const char *body; /* NUL-terminated copy of the request body, or NULL */
    size_t body_len;
    int n_params;
    const char *param_names[HTTP_MAX_PARAMS];
    char param_values[HTTP_MAX_PARAMS][128];
    const char *request_id;
    const char *web_root; /* folder of static files */
    char ip[64];          /* client address (X-Forwarded-For from a trusted proxy) */
    int secure_cookies;   /* mark cookies Secure (served behind TLS) */
    const struct http_cache *cache;
    app_t *app;
    int64_t now; /* when the request was received (http_clock_now), UTC seconds */
    /* the body of an upload route (HTTP_UPLOAD), streamed by the server to an
       unlinked temporary file and hashed on the way, never held in memory; the
       server closes the file after the answer */
    int upload_fd; /* -1 for other routes */
    uint64_t upload_size;
    char upload_sha256[65]; /* hex */
} http_req_t;

/*
 * Answers that never change while the process runs (the reference data is
 * read once at start-up), rendered once by http_cache_build.
 */
typedef struct http_cache {
    char *coverages, *regions, *industries, *pilot;
} http_cache_t;

cy_status_t http_cache_build(const app_t *app, http_cache_t *cache, cy_error_t *err);
void http_cache_free(http_cache_t *cache);

typedef struct http_resp {
    int status;
    char *body; /* malloc'd when owned, else static */
    size_t len;
    int owned;
    const char *content_type;
    const char *allow; /* Allow header for 405 */
    int retry_after;   /* seconds, for 429/503 when > 0 */
    int fd;            /* a static file to send instead of body, or -1 */
    size_t fd_size;
    char set_cookie[256]; /* Set-Cookie header when not empty */
    /* a body produced piece by piece instead of body or fd (a blob streamed from
       the store, http_reply_blob): stream copies up to max bytes from offset pos
       and answers how many, or -1 on failure; the server calls stream_free(cls)
       once it is done with it */
    ssize_t (*stream)(void *cls, uint64_t pos, char *buf, size_t max);
    void (*stream_free)(void *cls);
    void *stream_cls;
    uint64_t stream_size;
    /* more headers (http_resp_header) */
    int n_headers;
    const char *header_names[HTTP_MAX_HEADERS];
    char *header_values[HTTP_MAX_HEADERS]; /* owned */
} http_resp_t;

typedef void (*http_handler_t)(http_req_t *req, http_resp_t *resp);

typedef struct {
    const char *method;
    const char *pattern; /* "/api/v1/things/{id}": {name} matches one segment */
    http_handler_t handler;
    int flags; /* HTTP_UPLOAD */
} http_route_t;

/*
 * HTTP_UPLOAD: the route takes a file as its body (up to the server's
 * --max-upload, not --max-body). The server checks the caller's session or
 * token before reading a byte, then streams the body to an unlinked
 * temporary file while computing its SHA-256; the handler finds it in
 * req->upload_fd, upload_size and upload_sha256 (http_upload).
 */
#define HTTP_UPLOAD 1

/*
 * The one route table (routes.c), ended by {NULL, NULL, NULL}: every route in
 * the order the router tries them; its handlers are declared in handlers.h.
 * docs/openapi.json lists every route (tests/unit/http/test_openapi.c).
 */
extern const http_route_t http_routes[];

/*
 * http_route_find matches method and path. It returns the handler and fills
 * req's path parameters; when the path matches a route of another method it
 * returns NULL and writes the allowed methods into allow (e.g. "GET, POST").
 * *path_known says whether any route has this path.
 */
http_handler_t http_route_find(const char *method, const char *path, http_req_t *req, char *allow,
                               size_t allow_cap, int *path_known);

/* http_route_flags: the flags of the route method and path match, 0 when none does. */
int http_route_flags(const char *method, const char *path);

/* http_param returns the path parameter called name, or NULL. */
const char *http_param(const http_req_t *req, const char *name);
/* http_query returns the query-string argument called name, or NULL. */
const char *http_query(const http_req_t *req, const char *name);

/* Answers. Each sets resp fully; json is stolen (its reference is released). */
void http_reply_json(http_resp_t *resp, int status, json_t *json);
void http_reply_text(http_resp_t *resp, int status, const char *content_type, const char *text,
                     size_t len);
/* http_reply_error answers {"error":{code,message,field}} with the status for err->status. */
void http_reply_error(http_resp_t *resp, const cy_error_t *err);
/* the same with an explicit HTTP status (400 for a malformed request) */
void http_reply_error_status(http_resp_t *resp, int status, const cy_error_t *err);
int http_status_of(cy_status_t st);

/* A body field the handler accepts: name, jansson type, flags. */
typedef struct {
    const char *name;
    json_type type; /* JSON_STRING, JSON_INTEGER, JSON_OBJECT, JSON_ARRAY, JSON_TRUE (= boolean) */
    int flags;      /* HTTP_REQUIRED, HTTP_NULLABLE (null clears an optional field) */
} http_field_t;

#define HTTP_REQUIRED 1
#define HTTP_NULLABLE 2

/*
 * http_body_object parses the body as one JSON object that has only the
 * fields in spec (ended by {NULL}), each of its type, the required ones
 * present; duplicate keys are refused. On refusal err names the field and the
 * rule and the caller answers 400.
 */
cy_status_t http_body_object(const http_req_t *req, const http_field_t *spec, json_t **out,
                             cy_error_t *err);

/*
 * http_auth resolves the caller from the session cookie or an
 * "Authorization: Bearer" API token. It answers 401 when there is none (and
 * returns 0), and for a cookie-authenticated POST, PATCH, PUT or DELETE it
 * requires the X-CSRF-Token header to match the session's (403 otherwise).
 */
int http_auth(http_req_t *req, http_resp_t *resp, actor_t *actor);
/* 1 when the request carries a valid session or API token; answers nothing either way. */
int http_logged_in(http_req_t *req);

/* http_path_id reads the {name} path parameter as a positive id; answers 404 otherwise. */
int http_path_id(http_req_t *req, http_resp_t *resp, const char *name, int64_t *id);

/* http_query_int reads ?name= as an integer in [min, max]; def when absent; 400 otherwise. */
int http_query_int(http_req_t *req, http_resp_t *resp, const char *name, int64_t min, int64_t max,
                   int64_t def, int64_t *out);
/* The same for an action (http_serve): CY_EBADREQ naming the parameter instead of an answer. */
cy_status_t http_query_number(http_req_t *req, const char *name, int64_t min, int64_t max,
                              int64_t def, int64_t *out, cy_error_t *err);

/* http_query_bool reads ?name=true|false (or 1|0); def when absent; 400 otherwise. */
int http_query_bool(http_req_t *req, http_resp_t *resp, const char *name, int def, int *out);
/* The same for an action (http_serve): CY_EBADREQ naming the parameter instead of an answer. */
cy_status_t http_query_flag(http_req_t *req, const char *name, int def, int *out, cy_error_t *err);

/*
 * http_page reads ?cursor= and ?limit= by the one page-size policy
 * (app/app.h): 400 query_invalid naming the parameter otherwise.
 */
int http_page(http_req_t *req, http_resp_t *resp, app_page_t *page);

/*
 * http_answer sends a use case's result: out with status when st is CY_OK,
 * else the refusal with the HTTP status of err->status (out is released).
 * http_answer_list does the same for a list with its next cursor.
 */
void http_answer(http_resp_t *resp, cy_status_t st, const cy_error_t *err, int status, json_t *out);
void http_answer_list(http_resp_t *resp, cy_status_t st, const cy_error_t *err, json_t *items,
                      int64_t next);

/* http_resp_header adds a header to the answer (at most HTTP_MAX_HEADERS); value is copied. */
void http_resp_header(http_resp_t *resp, const char *name, const char *value);

/* http_json_text: s as a JSON string, or null when s is NULL or "" (an absent optional value). */
json_t *http_json_text(const char *s);

/*
 * Stored JSON documents answered as stored, never parsed again: while
 * rendering, http_doc(docs, text) stands for the document (text must be
 * valid JSON; docs keeps a copy; NULL gives null), and http_reply_json_docs
 * answers json with every document in its place (json is stolen, docs
 * emptied).
 */
typedef struct {
    char **text;
    size_t n, cap;
    int oom;
} http_docs_t;

json_t *http_doc(http_docs_t *docs, const char *text);
void http_docs_free(http_docs_t *docs);
void http_reply_json_docs(http_resp_t *resp, int status, json_t *json, http_docs_t *docs);

/* ---------- one way to serve a route (http/call.c) ---------- */

/* A request as a route's action sees it: its caller, {id}, second id, body, page, query id read. */
typedef struct {
    http_req_t *req;
    actor_t a;
    int64_t id;
    int64_t sub; /* the route's second path id (http_route_spec_t.sub) */
    int kind;    /* the route's http_route_spec_t.kind */
    json_t *body;
    app_page_t page;
    int64_t query_id; /* the route's integer query parameter (0 when absent) */
} http_call_t;

struct blob_upload;
struct blob_reader;

/* What an action answers: json with its stored documents, a text's bytes, or a file; the status. */
typedef struct {
    json_t *json;
    http_docs_t docs;
    int status;
    char *body; /* malloc'd: a CSV text, a workbook */
    size_t body_len;
    const char *content_type;
    struct blob_reader *blob; /* a file of the store, streamed (http_reply_blob); set on success */
    int retry_after;          /* > 0: the Retry-After header, with the answer or the refusal */
} http_result_t;

typedef cy_status_t (*http_action_t)(http_call_t *c, http_result_t *res, cy_error_t *err);

/*
 * What a route reads before its action: an {id}, a second id of the path, a
 * body of these fields, a page, a query id; and the kind of record it serves
 * when one action serves several (a plan's or a package's paper).
 */
typedef struct {
    int with_id;
    const char *sub;          /* the name of a second {…} id of the path ("sub"), or NULL */
    int kind;                 /* given to the action as c->kind */
    const http_field_t *body; /* NULL: no body */
    int paged;
    const char *query_id; /* an id the query may give (?org_id=), or NULL */
    int status;           /* on success, unless the action says otherwise */
    http_action_t action;
} http_route_spec_t;

/*
 * http_serve authenticates the caller (401/403 as http_auth), reads what r
 * asks for in this order (404 on a bad {id} or second id, 400 on a bad page,
 * query id or body), runs the action at the request's time and answers its
 * result (204 with no json: an empty answer) or its refusal.
 * HTTP_ROUTE(name, spec...) defines the handler `name` (declared in
 * handlers.h) serving that spec.
 */
void http_serve(http_req_t *req, http_resp_t *resp, const http_route_spec_t *r);

#define HTTP_ROUTE(name, ...)                                                                      \
    void name(http_req_t *req, http_resp_t *resp)                                                  \
    {                                                                                              \
        static const http_route_spec_t spec_ = {__VA_ARGS__};                                      \
        http_serve(req, resp, &spec_);                                                             \
    }

/*
 * http_strings reads the strings of a body's array field: their count into
 * *n, the first cap of them into out (pointers into arr); CY_EBADREQ naming
 * field when one of those is not a string.
 */
cy_status_t http_strings(json_t *arr, const char *field, const char **out, size_t cap, size_t *n,
                         cy_error_t *err);

/* http_reply_list answers {"items": items, "next": "N" or null}; http_list_json makes it. */
void http_reply_list(http_resp_t *resp, json_t *items, int64_t next);
json_t *http_list_json(json_t *items, int64_t next);

/*
 * HTTP_ITEM_FN(name, type, to_json): a list's callback `name` appending
 * to_json(item) to the json array it is given (the use cases' list
 * functions call it once per item of the page).
 * HTTP_PAGE_ACTION(name, list_fn, item_fn): the action `name` answering the
 * caller's page of list_fn(app, actor, page, item_fn, items, &next, err) as
 * {"items": [...], "next": ...}.
 */
#define HTTP_ITEM_FN(name, type, to_json)                                                          \
    static void name(const type *x, void *arg)                                                     \
    {                                                                                              \
        json_array_append_new(arg, to_json(x));                                                    \
    }

#define HTTP_PAGE_ACTION(name, list_fn, item_fn)                                                   \
    static cy_status_t name(http_call_t *c, http_result_t *res, cy_error_t *err)                   \
    {                                                                                              \
        json_t *items = json_array();                                                              \
        int64_t next = 0;                                                                          \
        cy_status_t st = list_fn(c->req->app, &c->a, &c->page, item_fn, items, &next, err);        \
        res->json = http_list_json(items, next);                                                   \
        return st;                                                                                 \
    }

/*
 * http_body reads the body as http_body_object does and, when it is refused,
 * answers 400 naming the field: 1 to go on, 0 when answered.
 */
int http_body(const http_req_t *req, http_resp_t *resp, const http_field_t *spec, json_t **out);

/*
 * The clock. http_clock_read is the system clock (UTC seconds); only http/
 * and cli/ read it. http_clock_now gives a request's receipt time: clock_now,
 * or, when test_clock is on (serve --test-clock, tests only), the X-Test-Now
 * header's time (any form bjtime_parse reads); a bad header is CY_EINVAL on
 * field "X-Test-Now" and *now stays clock_now.
 */
int64_t http_clock_read(void);
cy_status_t http_clock_now(int test_clock, const char *header, int64_t clock_now, int64_t *now,
                           cy_error_t *err);

/*
 * Files (app/blob/blob.h; files.c). http_upload describes an upload route's body for
 * app/: the file, its size and hash, and what the client said of it (the
 * Content-Type and X-Content-SHA256 headers, the ?filename= query argument).
 * http_reply_blob answers a blob's content as a stream (one chunk in memory
 * at a time) with Content-Type, Content-Length, Content-Disposition
 * (attachment; the name in RFC 6266/5987 form, so Chinese names survive) and
 * X-Content-SHA256; it takes the reader and closes it when done.
 */
void http_upload(const http_req_t *req, struct blob_upload *up);
void http_reply_blob(http_resp_t *resp, struct blob_reader *reader);

/* Static files of web/. */
void http_static_serve(http_req_t *req, http_resp_t *resp);
const char *http_mime_type(const char *path);

/* Metrics counters (per process), rendered by GET /metrics. */
void http_metrics_count(int status, double seconds);
/* http_metrics_render writes the exposition text into buf; returns its length. */
size_t http_metrics_render(char *buf, size_t cap, int db_up);

#endif
