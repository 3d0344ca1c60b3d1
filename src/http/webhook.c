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
#include "http/handlers.h"

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

static const http_field_t WEBHOOK_FIELDS[] = {
    {"url", JSON_STRING, HTTP_REQUIRED}, {"kinds", JSON_ARRAY, HTTP_REQUIRED}, {NULL, 0, 0}};

static cy_status_t
webhooks_create(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    const char *kinds[WEBHOOK_MAX_KINDS + 1];
    size_t n;
    cy_status_t st = http_strings(json_object_get(c->body, "kinds"), "kinds", kinds,
                                  WEBHOOK_MAX_KINDS + 1, &n, err);
    webhook_in_t in = {json_string_value(json_object_get(c->body, "url")), kinds, n};
    webhook_t w;
    if (st == CY_OK)
        st = webhook_create(c->req->app, &c->a, c->req->now, &in, &w, err);
    if (st == CY_OK)
        res->json = webhook_json(&w);
    return st;
}

HTTP_ITEM_FN(webhook_item, webhook_t, webhook_json)

HTTP_PAGE_ACTION(webhooks_list, webhook_list, webhook_item)

static cy_status_t
webhooks_get(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    webhook_t w;
    cy_status_t st = webhook_get(c->req->app, &c->a, c->id, &w, err);
    if (st == CY_OK)
        res->json = webhook_json(&w);
    return st;
}

static cy_status_t
webhooks_delete(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    (void)res;
    return webhook_delete(c->req->app, &c->a, c->req->now, c->id, err);
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

HTTP_ITEM_FN(delivery_item, webhook_delivery_t, delivery_json)

static cy_status_t
webhook_deliveries_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    webhook_delivery_filter_t f = {.page = c->page, .status = http_query(c->req, "status")};
    json_t *items = json_array();
    int64_t next = 0;
    cy_status_t st =
        webhook_deliveries(c->req->app, &c->a, c->id, &f, delivery_item, items, &next, err);
    res->json = http_list_json(items, next);
    return st;
}

HTTP_ROUTE(h_webhooks_create, .body = WEBHOOK_FIELDS, .status = 201, .action = webhooks_create)
HTTP_ROUTE(h_webhooks_list, .paged = 1, .status = 200, .action = webhooks_list)
HTTP_ROUTE(h_webhooks_get, .with_id = 1, .status = 200, .action = webhooks_get)
HTTP_ROUTE(h_webhooks_delete, .with_id = 1, .status = 204, .action = webhooks_delete)
HTTP_ROUTE(h_webhook_deliveries, .with_id = 1, .paged = 1, .status = 200,
           .action = webhook_deliveries_list)
