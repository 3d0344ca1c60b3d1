/*
 * notify.c — handlers of the caller's notifications (app/notify/notify.h):
 * the list, marking one read, marking all read. Parse, call app/, render.
 * Never includes sqlite3 or libpq.
 */
#include "app/notify/notify.h"
#include "http/http.h"
#include "http/handlers.h"

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

HTTP_ITEM_FN(item, notification_t, notification_json)

static cy_status_t
notifications_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    notify_filter_t f = {.page = c->page, .kind = http_query(c->req, "kind")};
    cy_status_t st = http_query_flag(c->req, "unread", 0, &f.unread, err);
    json_t *items = json_array();
    int64_t next = 0;
    if (st == CY_OK)
        st = notify_list(c->req->app, &c->a, &f, item, items, &next, err);
    res->json = http_list_json(items, next);
    return st;
}

static cy_status_t
notification_read(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    notification_t n;
    cy_status_t st = notify_read(c->req->app, &c->a, c->req->now, c->id, &n, err);
    if (st == CY_OK)
        res->json = notification_json(&n);
    return st;
}

static cy_status_t
notifications_read_all(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    int64_t count = 0;
    cy_status_t st = notify_read_all(c->req->app, &c->a, c->req->now, &count, err);
    if (st == CY_OK)
        res->json = json_pack("{s:I}", "read", (json_int_t)count);
    return st;
}

HTTP_ROUTE(h_notifications_list, .paged = 1, .status = 200, .action = notifications_list)
HTTP_ROUTE(h_notification_read, .with_id = 1, .status = 200, .action = notification_read)
HTTP_ROUTE(h_notifications_read_all, .status = 200, .action = notifications_read_all)
