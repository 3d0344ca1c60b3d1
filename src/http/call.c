/*
 * call.c — the one way a route is served (http_serve): authenticate, read
 * the {id}, a second path id, the page, the query id and the body the route
 * asks for, run its action at the request's time, answer the result (JSON,
 * bytes or a stored file) or the refusal. Each capability's handler file
 * declares its handlers with HTTP_ROUTE and keeps only its actions and its
 * JSON. Never includes sqlite3 or libpq.
 */
#include <stdlib.h>

#include "http/http.h"

/* The answer of an action: its refusal, or its result (consumed). */
static void
answer(http_resp_t *resp, cy_status_t st, const cy_error_t *err, http_result_t *res)
{
    if (st != CY_OK) {
        json_decref(res->json);
        http_docs_free(&res->docs);
        free(res->body);
        http_reply_error(resp, err);
    } else if (res->json == NULL && res->status == 204) {
        http_reply_text(resp, 204, NULL, "", 0);
    } else if (res->blob != NULL) {
        http_reply_blob(resp, res->blob);
    } else if (res->body != NULL) {
        http_reply_text(resp, res->status, res->content_type, res->body, res->body_len);
        resp->owned = 1;
    } else {
        http_reply_json_docs(resp, res->status, res->json, &res->docs);
    }
}

void
http_serve(http_req_t *req, http_resp_t *resp, const http_route_spec_t *r)
{
    http_call_t c = {.req = req, .kind = r->kind};
    if (!http_auth(req, resp, &c.a) || (r->with_id && !http_path_id(req, resp, "id", &c.id)) ||
        (r->sub && !http_path_id(req, resp, r->sub, &c.sub)) ||
        (r->paged && !http_page(req, resp, &c.page)) ||
        (r->query_id && !http_query_int(req, resp, r->query_id, 0, INT64_MAX, 0, &c.query_id)) ||
        (r->body && !http_body(req, resp, r->body, &c.body)))
        return;
    http_result_t res = {.status = r->status};
    cy_error_t err;
    cy_status_t st = r->action(&c, &res, &err);
    json_decref(c.body);
    answer(resp, st, &err, &res);
    if (res.retry_after > 0)
        resp->retry_after = res.retry_after;
}

cy_status_t
http_strings(json_t *arr, const char *field, const char **out, size_t cap, size_t *n,
             cy_error_t *err)
{
    *n = json_array_size(arr);
    for (size_t i = 0; i < *n && i < cap; i++)
        if ((out[i] = json_string_value(json_array_get(arr, i))) == NULL)
            return cy_error_set(err, CY_EBADREQ, "wrong_type", field,
                                "%s 应为字符串数组 / %s must be an array of strings", field, field);
    return CY_OK;
}
