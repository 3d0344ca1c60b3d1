/*
 * notify.c — handlers of the caller's notifications (app/notify/notify.h):
 * the list, marking one read, marking all read. Parse, call app/, render.
 * Never includes sqlite3 or libpq.
 */
#include "app/notify/notify.h"
#include "http/http.h"

static json_t *
notification_json(const notification_t *n)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o}", "id",
                     (json_int_t)n->id, "org_id", (json_int_t)n->org_id, "user_id",
                     n->user_id > 0 ? json_integer(n->user_id) : json_null(), "role",
                     http_json_text(n->role), "kind", n->kind, "object_type", n->object_type,
                     "object_id", n->object_id, "text_zh", n->text_zh, "text_en", n->text_en,
                     "link", http_json_text(n->link), "created_at", n->created_at, "read_at",
                     http_json_text(n->read_at));
}

static void
item(const notification_t *n, void *arg)
{
    json_array_append_new(arg, notification_json(n));
}

static void
h_notifications_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    notify_filter_t f = {0};
    if (!http_auth(req, resp, &a) || !http_page(req, resp, &f.page) ||
        !http_query_bool(req, resp, "unread", 0, &f.unread))
        return;
    f.kind = http_query(req, "kind");
    json_t *items = json_array();
    int64_t next = 0;
    cy_error_t err;
    cy_status_t st = notify_list(req->app, &a, &f, item, items, &next, &err);
    http_answer_list(resp, st, &err, items, next);
}

static void
h_notification_read(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    notification_t n;
    cy_error_t err;
    cy_status_t st = notify_read(req->app, &a, req->now, id, &n, &err);
    http_answer(resp, st, &err, 200, st == CY_OK ? notification_json(&n) : NULL);
}

static void
h_notifications_read_all(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    if (!http_auth(req, resp, &a))
        return;
    int64_t count = 0;
    cy_error_t err;
    cy_status_t st = notify_read_all(req->app, &a, req->now, &count, &err);
    http_answer(resp, st, &err, 200, json_pack("{s:I}", "read", (json_int_t)count));
}

/* ---- routes: notifications */

const http_route_t http_routes_notify[] = {
    {"GET", "/api/v1/notifications", h_notifications_list},
    {"POST", "/api/v1/notifications/{id}/read", h_notification_read},
    {"POST", "/api/v1/notifications/read-all", h_notifications_read_all},
    {NULL, NULL, NULL},
};
