/*
 * webhook.c — handlers of an organisation's webhooks (app/webhook/webhook.h):
 * subscribe (the secret is in this answer only), list, read, end, and the
 * deliveries with their attempts (?status=dead: the dead-letter list).
 * Parse, call app/, render. Never includes sqlite3 or libpq.
 */
#include <inttypes.h>
#include <stdio.h>

#include "app/webhook/webhook.h"
#include "http/http.h"

static json_t *
webhook_json(const webhook_t *w)
{
    json_t *kinds = json_array();
    for (size_t i = 0; i < w->n_kinds; i++)
        json_array_append_new(kinds, json_string(w->kinds[i]));
    json_t *j = json_pack("{s:I, s:I, s:s, s:o, s:I, s:s}", "id", (json_int_t)w->id, "org_id",
                          (json_int_t)w->org_id, "url", w->url, "kinds", kinds, "created_by",
                          (json_int_t)w->created_by, "created_at", w->created_at);
    if (w->secret[0]) /* only when just created */
        json_object_set_new(j, "secret", json_string(w->secret));
    return j;
}

static void
h_webhooks_create(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {
        {"url", JSON_STRING, HTTP_REQUIRED}, {"kinds", JSON_ARRAY, HTTP_REQUIRED}, {NULL, 0, 0}};
    actor_t a;
    json_t *b;
    if (!http_auth(req, resp, &a) || !http_body(req, resp, spec, &b))
        return;
    json_t *arr = json_object_get(b, "kinds");
    const char *kinds[WEBHOOK_MAX_KINDS + 1];
    size_t n = json_array_size(arr);
    cy_error_t err;
    cy_status_t st = CY_OK;
    for (size_t i = 0; i < n && i <= WEBHOOK_MAX_KINDS && st == CY_OK; i++) {
        kinds[i] = json_string_value(json_array_get(arr, i));
        if (kinds[i] == NULL)
            st = cy_error_set(&err, CY_EBADREQ, "wrong_type", "kinds",
                              "kinds 应为字符串数组 / kinds must be an array of strings");
    }
    webhook_in_t in = {json_string_value(json_object_get(b, "url")), kinds, n};
    webhook_t w;
    if (st == CY_OK)
        st = webhook_create(req->app, &a, req->now, &in, &w, &err);
    json_decref(b);
    http_answer(resp, st, &err, 201, st == CY_OK ? webhook_json(&w) : NULL);
}

static void
webhook_item(const webhook_t *w, void *arg)
{
    json_array_append_new(arg, webhook_json(w));
}

static void
h_webhooks_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    app_page_t pg;
    if (!http_auth(req, resp, &a) || !http_page(req, resp, &pg))
        return;
    json_t *items = json_array();
    int64_t next = 0;
    cy_error_t err;
    cy_status_t st = webhook_list(req->app, &a, &pg, webhook_item, items, &next, &err);
    http_answer_list(resp, st, &err, items, next);
}

static void
h_webhooks_get(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    webhook_t w;
    cy_error_t err;
    cy_status_t st = webhook_get(req->app, &a, id, &w, &err);
    http_answer(resp, st, &err, 200, st == CY_OK ? webhook_json(&w) : NULL);
}

static void
h_webhooks_delete(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    cy_error_t err;
    if (webhook_delete(req->app, &a, req->now, id, &err) != CY_OK) {
        http_reply_error(resp, &err);
        return;
    }
    http_reply_text(resp, 204, NULL, "", 0);
}

static json_t *
delivery_json(const webhook_delivery_t *d)
{
    json_t *tries = json_array();
    for (int i = 0; i < d->n_tries; i++) {
        const webhook_attempt_t *t = &d->tries[i];
        json_array_append_new(
            tries, json_pack("{s:i, s:s, s:o, s:o, s:I}", "n", t->n, "at", t->at, "http_status",
                             t->http_status ? json_integer(t->http_status) : json_null(), "error",
                             http_json_text(t->error), "ms", (json_int_t)t->ms));
    }
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:i, s:o, s:o, s:s, s:o}", "id", (json_int_t)d->id,
                     "webhook_id", (json_int_t)d->webhook_id, "notification_id",
                     (json_int_t)d->notification_id, "kind", d->kind, "status", d->status,
                     "attempts", d->attempts, "next_attempt_at", http_json_text(d->next_attempt_at),
                     "delivered_at", http_json_text(d->delivered_at), "created_at", d->created_at,
                     "tries", tries);
}

static void
delivery_item(const webhook_delivery_t *d, void *arg)
{
    json_array_append_new(arg, delivery_json(d));
}

static void
h_webhook_deliveries(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    webhook_delivery_filter_t f = {0};
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_page(req, resp, &f.page))
        return;
    f.status = http_query(req, "status");
    json_t *items = json_array();
    int64_t next = 0;
    cy_error_t err;
    cy_status_t st = webhook_deliveries(req->app, &a, id, &f, delivery_item, items, &next, &err);
    http_answer_list(resp, st, &err, items, next);
}

/* ---- routes: webhooks */

const http_route_t http_routes_webhook[] = {
    {"POST", "/api/v1/webhooks", h_webhooks_create},
    {"GET", "/api/v1/webhooks", h_webhooks_list},
    {"GET", "/api/v1/webhooks/{id}", h_webhooks_get},
    {"DELETE", "/api/v1/webhooks/{id}", h_webhooks_delete},
    {"GET", "/api/v1/webhooks/{id}/deliveries", h_webhook_deliveries},
    {NULL, NULL, NULL},
};
