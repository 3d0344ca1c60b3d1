/*
 * webhook.c — an organisation's webhooks and their deliveries
 * (app/webhook/webhook.h): subscribing, listing, ending, the deliveries a
 * subscriber sees, and the fan-out of a notification into deliveries. The
 * tables webhook, webhook_kind, webhook_delivery and webhook_attempt are read
 * and written in app/webhook/ only. Depends on core/, store/, data/ and
 * jansson; never on http/ or cli/.
 */
#include "app/webhook/internal.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "data/platform.h"

static int
may_manage(const actor_t *a)
{
    return authz_allowed(a->org_type, a->role, ACT_WEBHOOK_MANAGE) && a->org_id > 0;
}

static cy_status_t
check_kinds(const app_t *app, const webhook_in_t *in, cy_error_t *err)
{
    const platform_data_t *pd = app->platform;
    if (in->n_kinds == 0 || in->n_kinds > WEBHOOK_MAX_KINDS)
        return cy_error_set(err, CY_EINVAL, "webhook_kinds", "kinds",
                            "请订阅 1–%d 种通知 / subscribe to 1 to %d kinds of notification",
                            WEBHOOK_MAX_KINDS, WEBHOOK_MAX_KINDS);
    for (size_t i = 0; i < in->n_kinds; i++) {
        const char *k = in->kinds[i];
        if (platform_named_find(pd->kinds, pd->n_kinds, k) == NULL)
            return cy_error_set(err, CY_EINVAL, "webhook_kind_unknown", "kinds",
                                "没有 %s 这种通知 / there is no kind of notification called %s", k,
                                k);
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->kinds[j], k) == 0)
                return cy_error_set(err, CY_EINVAL, "webhook_kind_repeated", "kinds",
                                    "通知类型 %s 重复 / kind %s is listed twice", k, k);
    }
    return CY_OK;
}

static cy_status_t
insert_webhook(store_conn_t *c, const actor_t *a, const webhook_in_t *in, webhook_t *w,
               cy_error_t *err)
{
    int64_t live = 0;
    store_param_t q[] = {STORE_P_INT(a->org_id)};
    cy_status_t st =
        store_query_int(c, "SELECT COUNT(*) FROM webhook WHERE org_id = $1 AND deleted_at IS NULL",
                        q, 1, &live, NULL, err);
    if (st == CY_OK && live >= WEBHOOK_MAX_PER_ORG)
        return cy_error_set(err, CY_ECONFLICT, "webhook_limit", NULL,
                            "每个机构最多 %d 个 Webhook / an organisation has at most %d webhooks",
                            WEBHOOK_MAX_PER_ORG, WEBHOOK_MAX_PER_ORG);
    store_param_t p[] = {STORE_P_INT(w->org_id), STORE_P_TEXT(w->url), STORE_P_TEXT(w->secret),
                         STORE_P_INT(w->created_by), STORE_P_TEXT(w->created_at)};
    if (st == CY_OK)
        st = store_query_int(c,
                             "INSERT INTO webhook (org_id, url, secret, created_by, created_at) "
                             "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                             p, 5, &w->id, NULL, err);
    for (size_t i = 0; st == CY_OK && i < in->n_kinds; i++) {
        store_param_t k[] = {STORE_P_INT(w->id), STORE_P_TEXT(in->kinds[i])};
        st = store_exec(c, "INSERT INTO webhook_kind (webhook_id, kind) VALUES ($1, $2)", k, 2,
                        NULL, err);
    }
    return st;
}

cy_status_t
webhook_create(app_t *app, const actor_t *actor, int64_t now, const webhook_in_t *in,
               webhook_t *out, cy_error_t *err)
{
    if (!may_manage(actor))
        return app_forbidden(err, ACT_WEBHOOK_MANAGE);
    cy_status_t st = webhook_url_check(in->url, app->cfg.webhook_allow_private, NULL, 0, err);
    if (st == CY_OK)
        st = check_kinds(app, in, err);
    if (st != CY_OK)
        return st;
    memset(out, 0, sizeof *out);
    out->org_id = actor->org_id;
    out->created_by = actor->user_id;
    snprintf(out->url, sizeof out->url, "%s", in->url);
    for (size_t i = 0; i < in->n_kinds; i++)
        snprintf(out->kinds[i], sizeof out->kinds[i], "%s", in->kinds[i]);
    out->n_kinds = in->n_kinds;
    utc_format_iso(now, out->created_at);
    char token[48];
    app_random_token(32, token, sizeof token);
    snprintf(out->secret, sizeof out->secret, "whsec_%s", token);
    store_conn_t *c;
    st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = insert_webhook(c, actor, in, out, err);
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, out->id);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "webhook.create", "webhook", id, err,
                              "订阅 Webhook %s / subscribed the webhook %s", out->url, out->url);
    return store_tx_close(app->store, c, st, err);
}

/* ---- reading --------------------------------------------------------------------------- */

/* The kinds of webhook w->id, in code order. */
static cy_status_t
load_kinds(store_conn_t *c, webhook_t *w, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(w->id)};
    return store_query_texts(c, "SELECT kind FROM webhook_kind WHERE webhook_id = $1 ORDER BY kind",
                             p, 1, "kind", w->kinds[0], sizeof w->kinds[0], WEBHOOK_MAX_KINDS,
                             &w->n_kinds, err);
}

static void
webhook_from_row(store_rows_t *r, webhook_t *w)
{
    memset(w, 0, sizeof *w);
    w->id = store_row_int(r, "id");
    w->org_id = store_row_int(r, "org_id");
    w->created_by = store_row_int(r, "created_by");
    store_row_copy(r, "url", w->url, sizeof w->url);
    store_row_copy(r, "created_at", w->created_at, sizeof w->created_at);
}

/* Up to max live webhooks of org_id (ids below cursor, 0: all), newest first. */
static cy_status_t
load_page(store_conn_t *c, int64_t org_id, int64_t cursor, int64_t only, webhook_t *out, int max,
          int *n, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(org_id), STORE_P_INT(cursor), STORE_P_INT(only),
                         STORE_P_INT(max)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT id, org_id, created_by, url, created_at FROM webhook "
                                 "WHERE org_id = $1 AND deleted_at IS NULL AND ($2 = 0 OR id < "
                                 "$2) AND ($3 = 0 OR id = $3) ORDER BY id DESC LIMIT $4",
                                 p, 4, &r, err);
    if (st != CY_OK)
        return st;
    int k = 0;
    *n = 0;
    while (*n < max && (k = store_rows_next(r, err)) == 1)
        webhook_from_row(r, &out[(*n)++]);
    store_rows_free(r);
    if (k < 0)
        return err->status;
    for (int i = 0; i < *n && st == CY_OK; i++)
        st = load_kinds(c, &out[i], err);
    return st;
}

cy_status_t
webhook_list(app_t *app, const actor_t *actor, const app_page_t *page, webhook_fn fn, void *arg,
             int64_t *next, cy_error_t *err)
{
    *next = 0;
    if (!may_manage(actor))
        return app_forbidden(err, ACT_WEBHOOK_MANAGE);
    /* an organisation has at most WEBHOOK_MAX_PER_ORG live ones: a page is small */
    int max = page->limit < WEBHOOK_MAX_PER_ORG ? page->limit + 1 : WEBHOOK_MAX_PER_ORG + 1;
    webhook_t *w = calloc((size_t)max, sizeof *w);
    if (w == NULL)
        return cy_error_no_memory(err);
    store_conn_t *c;
    int n = 0;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st == CY_OK) {
        st = load_page(c, actor->org_id, page->cursor, 0, w, max, &n, err);
        store_release(app->store, c);
    }
    for (int i = 0; st == CY_OK && i < n && i < page->limit; i++)
        fn(&w[i], arg);
    if (st == CY_OK && n > page->limit)
        *next = w[page->limit - 1].id;
    free(w);
    return st;
}

/* The caller's organisation's live webhook id, inside c; 404 otherwise. */
static cy_status_t
load_visible(store_conn_t *c, const actor_t *actor, int64_t id, webhook_t *out, cy_error_t *err)
{
    int n = 0;
    cy_status_t st = load_page(c, actor->org_id, 0, id, out, 1, &n, err);
    if (st == CY_OK && n == 0)
        st = app_not_found(err, "Webhook", "webhook", id);
    return st;
}

cy_status_t
webhook_get(app_t *app, const actor_t *actor, int64_t id, webhook_t *out, cy_error_t *err)
{
    if (!may_manage(actor))
        return app_forbidden(err, ACT_WEBHOOK_MANAGE);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = load_visible(c, actor, id, out, err);
    store_release(app->store, c);
    return st;
}

cy_status_t
webhook_delete(app_t *app, const actor_t *actor, int64_t now, int64_t id, cy_error_t *err)
{
    if (!may_manage(actor))
        return app_forbidden(err, ACT_WEBHOOK_MANAGE);
    char at[32], sid[24];
    utc_format_iso(now, at);
    snprintf(sid, sizeof sid, "%" PRId64, id);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    webhook_t w;
    st = load_visible(c, actor, id, &w, err);
    store_param_t p[] = {STORE_P_INT(id), STORE_P_TEXT(at)};
    if (st == CY_OK)
        st = store_exec(c, "UPDATE webhook SET deleted_at = $2 WHERE id = $1", p, 2, NULL, err);
    /* a job already queued for one of them finds it cancelled and sends nothing */
    if (st == CY_OK)
        st = store_exec(c,
                        "UPDATE webhook_delivery SET status = 'cancelled', next_attempt_at = NULL "
                        "WHERE webhook_id = $1 AND status = 'pending'",
                        p, 1, NULL, err);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "webhook.delete", "webhook", sid, err,
                              "取消订阅 Webhook %s / ended the webhook %s", w.url, w.url);
    return store_tx_close(app->store, c, st, err);
}

/* ---- deliveries -------------------------------------------------------------------------- */

static cy_status_t
load_tries(store_conn_t *c, webhook_delivery_t *d, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(d->id)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT n, at, http_status, error, ms FROM webhook_attempt "
                                 "WHERE delivery_id = $1 ORDER BY n",
                                 p, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k;
    int cap = (int)(sizeof d->tries / sizeof d->tries[0]);
    while ((k = store_rows_next(r, err)) == 1 && d->n_tries < cap) {
        webhook_attempt_t *t = &d->tries[d->n_tries++];
        t->n = (int)store_row_int(r, "n");
        store_row_copy(r, "at", t->at, sizeof t->at);
        t->http_status = (int)store_row_int(r, "http_status");
        store_row_copy(r, "error", t->error, sizeof t->error);
        t->ms = store_row_int(r, "ms");
    }
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

static void
delivery_from_row(store_rows_t *r, webhook_delivery_t *d)
{
    memset(d, 0, sizeof *d);
    d->id = store_row_int(r, "id");
    d->webhook_id = store_row_int(r, "webhook_id");
    d->notification_id = store_row_int(r, "notification_id");
    store_row_copy(r, "kind", d->kind, sizeof d->kind);
    store_row_copy(r, "status", d->status, sizeof d->status);
    d->attempts = (int)store_row_int(r, "attempts");
    store_row_copy(r, "next_attempt_at", d->next_attempt_at, sizeof d->next_attempt_at);
    store_row_copy(r, "delivered_at", d->delivered_at, sizeof d->delivered_at);
    store_row_copy(r, "created_at", d->created_at, sizeof d->created_at);
}

/* One page of webhook_id's deliveries to fn (ids below the cursor, newest first). */
static cy_status_t
delivery_page(store_conn_t *c, int64_t webhook_id, const webhook_delivery_filter_t *f,
              webhook_delivery_fn fn, void *arg, int64_t *next, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(webhook_id), STORE_P_TEXT(f->status),
                         STORE_P_INT(f->page.cursor), STORE_P_INT(f->page.limit + 1)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT id, webhook_id, notification_id, kind, status, attempts, "
                                 "next_attempt_at, delivered_at, created_at FROM webhook_delivery "
                                 "WHERE webhook_id = $1 AND (CAST($2 AS TEXT) IS NULL OR status "
                                 "= $2) AND ($3 = 0 OR id < $3) ORDER BY id DESC LIMIT $4",
                                 p, 4, &r, err);
    if (st != CY_OK)
        return st;
    webhook_delivery_t *d = malloc(sizeof *d);
    int k = 0, n = 0;
    while (d != NULL && st == CY_OK && (k = store_rows_next(r, err)) == 1) {
        if (n++ == f->page.limit) {
            *next = d->id;
            break;
        }
        delivery_from_row(r, d);
        st = load_tries(c, d, err);
        if (st == CY_OK)
            fn(d, arg);
    }
    store_rows_free(r);
    if (d == NULL)
        st = cy_error_no_memory(err);
    free(d);
    return k < 0 ? err->status : st;
}

cy_status_t
webhook_deliveries(app_t *app, const actor_t *actor, int64_t webhook_id,
                   const webhook_delivery_filter_t *f, webhook_delivery_fn fn, void *arg,
                   int64_t *next, cy_error_t *err)
{
    *next = 0;
    if (!may_manage(actor))
        return app_forbidden(err, ACT_WEBHOOK_MANAGE);
    static const char *const STATUSES[] = {"pending", "delivered", "dead", "cancelled", NULL};
    int known = f->status == NULL;
    for (const char *const *s = STATUSES; !known && *s; s++)
        known = strcmp(*s, f->status) == 0;
    if (!known)
        return cy_error_set(err, CY_EBADREQ, "query_invalid", "status",
                            "status 应为 pending、delivered、dead 或 cancelled / status must be "
                            "pending, delivered, dead or cancelled");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    webhook_t w;
    st = load_visible(c, actor, webhook_id, &w, err);
    if (st == CY_OK)
        st = delivery_page(c, webhook_id, f, fn, arg, next, err);
    store_release(app->store, c);
    return st;
}

/* ---- fan-out ----------------------------------------------------------------------------- */

/* The body every subscriber of n's kind receives. */
static char *
delivery_body(const notification_t *n)
{
    json_t *j =
        json_pack("{s:s, s:I, s:s, s:{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s}}", "kind",
                  n->kind, "organisation_id", (json_int_t)n->org_id, "created_at", n->created_at,
                  "notification", "id", (json_int_t)n->id, "kind", n->kind, "object_type",
                  n->object_type, "object_id", n->object_id, "text_zh", n->text_zh, "text_en",
                  n->text_en, "link", n->link[0] ? json_string(n->link) : json_null(), "user_id",
                  n->user_id > 0 ? json_integer(n->user_id) : json_null(), "role",
                  n->role[0] ? json_string(n->role) : json_null(), "created_at", n->created_at);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return s;
}

/* One delivery of n to webhook wid (created by user by) and the job that sends it. */
static cy_status_t
queue_delivery(store_conn_t *c, int64_t now, const notification_t *n, int64_t wid, int64_t by,
               const char *body, cy_error_t *err)
{
    char at[32];
    utc_format_iso(now, at);
    int64_t did = 0, job = 0;
    store_param_t p[] = {STORE_P_INT(wid), STORE_P_INT(n->id), STORE_P_TEXT(n->kind),
                         STORE_P_TEXT(body), STORE_P_TEXT(at)};
    cy_status_t st = store_query_int(c,
                                     "INSERT INTO webhook_delivery (webhook_id, notification_id, "
                                     "kind, body, status, attempts, next_attempt_at, created_at) "
                                     "VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5) RETURNING id",
                                     p, 5, &did, NULL, err);
    /* the job runs as the subscription's creator, in its organisation */
    actor_t owner = {.org_id = n->org_id, .user_id = by};
    char params[48];
    snprintf(params, sizeof params, "{\"delivery\":%" PRId64 "}", did);
    if (st == CY_OK)
        st = app_job_enqueue(c, &owner, now, WEBHOOK_JOB_KIND, params, &job, err);
    store_param_t q[] = {STORE_P_INT(did), STORE_P_INT(job)};
    if (st == CY_OK)
        st =
            store_exec(c, "UPDATE webhook_delivery SET job_id = $2 WHERE id = $1", q, 2, NULL, err);
    return st;
}

cy_status_t
webhook_fanout(store_conn_t *c, int64_t now, const notification_t *n, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(n->org_id), STORE_P_TEXT(n->kind)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT w.id, w.created_by FROM webhook w JOIN webhook_kind k ON "
                                 "k.webhook_id = w.id WHERE w.org_id = $1 AND w.deleted_at IS "
                                 "NULL AND k.kind = $2 ORDER BY w.id",
                                 p, 2, &r, err);
    if (st != CY_OK)
        return st;
    int64_t ids[WEBHOOK_MAX_PER_ORG], by[WEBHOOK_MAX_PER_ORG];
    int n_hooks = 0, k = 0;
    while (n_hooks < WEBHOOK_MAX_PER_ORG && (k = store_rows_next(r, err)) == 1) {
        ids[n_hooks] = store_row_int(r, "id");
        by[n_hooks++] = store_row_int(r, "created_by");
    }
    store_rows_free(r);
    if (k < 0)
        return err->status;
    if (n_hooks == 0)
        return CY_OK;
    char *body = delivery_body(n);
    if (body == NULL)
        return cy_error_no_memory(err);
    for (int i = 0; i < n_hooks && st == CY_OK; i++)
        st = queue_delivery(c, now, n, ids[i], by[i], body, err);
    free(body);
    return st;
}
