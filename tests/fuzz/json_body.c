/*
 * json_body.c — fuzzes JSON request bodies the way the server reads them,
 * without a database: the input is "METHOD PATH" on its first line and the
 * body after it. The path goes through the real router (http_route_find,
 * path parameters); the two routes that need no application,
 * POST /api/v1/checks/uscc and POST /api/v1/checks/zishu, run their real
 * handlers; every other route's body goes through http_body_object with a
 * spec holding every field type and flag, and the answer is rendered as a
 * handler would (http_reply_json or http_reply_error). Beyond the
 * sanitizers: an accepted body is an object of only the spec's fields, each
 * of its type, the required one present; a refused one answers 400.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const http_field_t SPEC[] = {
    {"name", JSON_STRING, HTTP_REQUIRED},
    {"note", JSON_STRING, HTTP_NULLABLE},
    {"count", JSON_INTEGER, 0},
    {"flag", JSON_TRUE, 0},
    {"items", JSON_ARRAY, 0},
    {"detail", JSON_OBJECT, HTTP_NULLABLE},
    {NULL, 0, 0},
};

/* The handler of the route method + pattern, from the real table. */
static http_handler_t
handler_of(const char *method, const char *pattern)
{
    for (const http_route_t *r = http_routes; r->method != NULL; r++)
        if (strcmp(r->method, method) == 0 && strcmp(r->pattern, pattern) == 0)
            return r->handler;
    fuzz_die("route table", pattern);
}

static void
resp_free(http_resp_t *resp)
{
    if (resp->owned)
        free(resp->body);
}

static void
check_spec(const json_t *body)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v)
    {
        const http_field_t *f = SPEC;
        while (f->name != NULL && strcmp(f->name, key) != 0)
            f++;
        if (f->name == NULL)
            fuzz_die("http_body_object", "accepted an unknown field");
        json_type t = json_typeof(v);
        if (!(t == f->type || (f->type == JSON_TRUE && t == JSON_FALSE) ||
              (t == JSON_NULL && (f->flags & HTTP_NULLABLE))))
            fuzz_die("http_body_object", "accepted a field of the wrong type");
    }
    if (json_object_get(body, "name") == NULL)
        fuzz_die("http_body_object", "accepted a body without its required field");
}

static void
body_through_spec(const http_req_t *req)
{
    json_t *body = NULL;
    cy_error_t err;
    http_resp_t resp = {.fd = -1};
    if (http_body_object(req, SPEC, &body, &err) == CY_OK) {
        if (!json_is_object(body))
            fuzz_die("http_body_object", "accepted a body that is not an object");
        check_spec(body);
        http_reply_json(&resp, 200, body);
    } else {
        if (body != NULL || err.status != CY_EBADREQ)
            fuzz_die("http_body_object", "a refusal that is not CY_EBADREQ");
        fuzz_refused(&err);
        http_reply_error(&resp, &err);
        if (resp.status != 400)
            fuzz_die("http_body_object", "a refusal that does not answer 400");
    }
    resp_free(&resp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - (const char *)data) : size;
    char line[600];
    if (head >= sizeof line)
        return 0;
    memcpy(line, data, head);
    line[head] = '\0';
    char *sp = strchr(line, ' ');
    if (sp == NULL || memchr(line, '\0', head) != NULL)
        return 0;
    *sp = '\0';
    const char *method = line, *path = sp + 1;

    /* the body: a NUL-terminated copy, as the server keeps it */
    size_t blen = nl ? size - head - 1 : 0;
    char *body = malloc(blen + 1);
    if (body == NULL)
        fuzz_die("malloc", "out of memory");
    if (blen > 0)
        memcpy(body, nl + 1, blen);
    body[blen] = '\0';

    http_req_t req = {.method = method, .path = path, .body = blen ? body : NULL, .body_len = blen};
    char allow[64];
    int known = 0;
    http_handler_t h = http_route_find(method, path, &req, allow, sizeof allow, &known);
    if (h != NULL && !known)
        fuzz_die("http_route_find", "a handler for an unknown path");
    for (int i = 0; h != NULL && i < req.n_params; i++)
        if (strlen(req.param_values[i]) == 0 || strchr(req.param_values[i], '/') != NULL)
            fuzz_die("http_route_find", "a path parameter that is empty or spans segments");

    if (h != NULL && (h == handler_of("POST", "/api/v1/checks/uscc") ||
                      h == handler_of("POST", "/api/v1/checks/zishu"))) {
        http_resp_t resp = {.fd = -1};
        h(&req, &resp);
        if (resp.status != 200 && resp.status != 400 && resp.status != 422)
            fuzz_die("check handler", "an answer other than 200, 400 or 422");
        resp_free(&resp);
    } else if (h != NULL) {
        body_through_spec(&req);
    }
    free(body);
    return 0;
}
