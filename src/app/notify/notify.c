/*
 * notify.c — in-app notifications (app/notify/notify.h). The tables
 * notification and notification_read are read and written here only.
 * Marking a notification read is the reader's own state, not a change of
 * the platform's records, so it is not audited; raising one is part of the
 * raising capability's use case, which audits its own action.
 * Depends on core/, store/, data/ and app/webhook; never on http/ or cli/.
 */
#include "app/notify/notify.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/webhook/webhook.h"
#include "core/bjtime.h"
#include "core/utf8.h"
#include "data/platform.h"

#define NOTE_COLS                                                                                  \
    "n.id, n.org_id, n.user_id, n.role, n.kind, n.object_type, n.object_id, n.text_zh, "           \
    "n.text_en, n.link, n.created_at, r.read_at"

/* The caller's notifications: its organisation's, for everyone, its role, or itself. */
#define NOTE_VISIBLE                                                                               \
    "n.org_id = $1 AND (n.user_id IS NULL OR n.user_id = $2) AND (n.role IS NULL OR n.role = $3)"

static int
may_read(const actor_t *a)
{
    return authz_allowed(a->org_type, a->role, ACT_NOTIFICATION_READ) && a->org_id > 0;
}

/* ---- raising --------------------------------------------------------------------- */

static cy_status_t
bad(cy_error_t *err, const char *field, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EINVAL, "notification_invalid", field,
                        "通知的%s / the "
                        "notification's %s",
                        zh, en);
}

/* s is 1..max bytes of UTF-8 (and, when plain, without control characters). */
static int
text_ok(const char *s, size_t max, int plain)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max || !utf8_valid(s, n, NULL))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; plain && *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

static cy_status_t
check_in(app_t *app, const notify_in_t *in, cy_error_t *err)
{
    const platform_data_t *pd = app->platform;
    user_role_t r;
    if (in->org_id <= 0)
        return bad(err, "org_id", "接收机构无效", "recipient organisation is not valid");
    if (platform_named_find(pd->kinds, pd->n_kinds, in->kind) == NULL)
        return cy_error_set(err, CY_EINVAL, "notification_kind", "kind",
                            "未知的通知类型 %s（应列入 data/platform.json） / unknown notification "
                            "kind %s (it must be listed in data/platform.json)",
                            in->kind ? in->kind : "", in->kind ? in->kind : "");
    if (in->role != NULL && authz_role_parse(in->role, &r) != 0)
        return bad(err, "role", "角色无效", "role is not admin, member or viewer");
    if (in->role != NULL && in->user_id > 0)
        return bad(err, "role", "接收人只能是一个用户或一个角色",
                   "recipient is either one user or one role, not both");
    if (!text_ok(in->object_type, 31, 1) || !text_ok(in->object_id, 63, 1))
        return bad(err, "object_type", "对象类型和编号应为 1–31、1–63 字节",
                   "object type and id must be 1–31 and 1–63 bytes");
    if (!text_ok(in->text_zh, 1000, 0) || !text_ok(in->text_en, 1000, 0))
        return bad(err, "text_zh", "中英文内容都应为 1–1000 字节",
                   "texts in Chinese and English must each be 1–1000 bytes");
    if (in->link != NULL && (!text_ok(in->link, 255, 1) || in->link[0] != '/' ||
                             in->link[1] == '/' || strchr(in->link, ' ') != NULL))
        return bad(err, "link", "链接应为以 / 开头的站内路径",
                   "link must be a path of the site, starting with /");
    return CY_OK;
}

/* The user is one of org's (the store's foreign key says only that it exists). */
static cy_status_t
check_user(store_conn_t *c, int64_t org_id, int64_t user_id, cy_error_t *err)
{
    int64_t org = 0;
    int found = 0;
    store_param_t p[] = {STORE_P_INT(user_id)};
    cy_status_t st =
        store_query_int(c, "SELECT org_id FROM app_user WHERE id = $1", p, 1, &org, &found, err);
    if (st == CY_OK && (!found || org != org_id))
        st = bad(err, "user_id", "接收用户不属于接收机构",
                 "recipient user is not one of the recipient organisation's");
    return st;
}

cy_status_t
notify_raise(app_t *app, store_conn_t *c, int64_t now, const notify_in_t *in, int64_t *id,
             cy_error_t *err)
{
    cy_status_t st = check_in(app, in, err);
    if (st == CY_OK && in->user_id > 0)
        st = check_user(c, in->org_id, in->user_id, err);
    if (st != CY_OK)
        return st;
    notification_t n = {.org_id = in->org_id, .user_id = in->user_id};
    snprintf(n.role, sizeof n.role, "%s", in->role ? in->role : "");
    snprintf(n.kind, sizeof n.kind, "%s", in->kind);
    snprintf(n.object_type, sizeof n.object_type, "%s", in->object_type);
    snprintf(n.object_id, sizeof n.object_id, "%s", in->object_id);
    snprintf(n.text_zh, sizeof n.text_zh, "%s", in->text_zh);
    snprintf(n.text_en, sizeof n.text_en, "%s", in->text_en);
    snprintf(n.link, sizeof n.link, "%s", in->link ? in->link : "");
    utc_format_iso(now, n.created_at);
    store_param_t p[] = {
        STORE_P_INT(n.org_id),       n.user_id > 0 ? STORE_P_INT(n.user_id) : STORE_P_NULL,
        STORE_P_TEXT(in->role),      STORE_P_TEXT(n.kind),
        STORE_P_TEXT(n.object_type), STORE_P_TEXT(n.object_id),
        STORE_P_TEXT(n.text_zh),     STORE_P_TEXT(n.text_en),
        STORE_P_TEXT(in->link),      STORE_P_TEXT(n.created_at)};
    st = store_query_int(c,
                         "INSERT INTO notification (org_id, user_id, role, kind, object_type, "
                         "object_id, text_zh, text_en, link, created_at) VALUES ($1, $2, $3, $4, "
                         "$5, $6, $7, $8, $9, $10) RETURNING id",
                         p, 10, &n.id, NULL, err);
    if (st == CY_OK)
        st = webhook_fanout(c, now, &n, err);
    if (st == CY_OK && id != NULL)
        *id = n.id;
    return st;
}

/* ---- reading ------------------------------------------------------------------------ */

static const store_col_t NOTE_MAP[] = {
    STORE_COL(notification_t, id),         STORE_COL(notification_t, org_id),
    STORE_COL(notification_t, user_id),    STORE_COL(notification_t, role),
    STORE_COL(notification_t, kind),       STORE_COL(notification_t, object_type),
    STORE_COL(notification_t, object_id),  STORE_COL(notification_t, text_zh),
    STORE_COL(notification_t, text_en),    STORE_COL(notification_t, link),
    STORE_COL(notification_t, created_at), STORE_COL(notification_t, read_at)};

static void
note_from_row(store_rows_t *r, notification_t *n)
{
    memset(n, 0, sizeof *n);
    store_row_read(r, NOTE_MAP, STORE_COLS_N(NOTE_MAP), n);
}

cy_status_t
notify_list(app_t *app, const actor_t *actor, const notify_filter_t *f, notify_fn fn, void *arg,
            int64_t *next, cy_error_t *err)
{
    *next = 0;
    if (!may_read(actor))
        return app_forbidden(err, ACT_NOTIFICATION_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(actor->org_id),
                         STORE_P_INT(actor->user_id),
                         STORE_P_TEXT(authz_role_name(actor->role)),
                         STORE_P_INT(f->unread),
                         STORE_P_INT(f->page.cursor),
                         STORE_P_TEXT(f->kind),
                         STORE_P_INT(f->page.limit + 1)};
    store_rows_t *r;
    st = store_query(c,
                     "SELECT " NOTE_COLS " FROM notification n LEFT JOIN notification_read r ON "
                     "r.notification_id = n.id AND r.user_id = $2 WHERE " NOTE_VISIBLE
                     " AND ($4 = 0 OR r.read_at IS NULL) AND ($5 = 0 OR n.id < $5) AND (CAST($6 "
                     "AS TEXT) IS NULL OR n.kind = $6) ORDER BY n.id DESC LIMIT $7",
                     p, 7, &r, err);
    if (st == CY_OK) {
        int k, count = 0;
        notification_t n;
        while ((k = store_rows_next(r, err)) == 1) {
            if (count++ == f->page.limit) { /* one more than the page: there is a next */
                *next = n.id;
                break;
            }
            note_from_row(r, &n);
            fn(&n, arg);
        }
        if (k < 0)
            st = err->status;
        store_rows_free(r);
    }
    store_release(app->store, c);
    return st;
}

/* Notification id as the caller sees it, inside c: 404 when absent or not the caller's. */
static cy_status_t
load_visible(store_conn_t *c, const actor_t *actor, int64_t id, notification_t *out,
             cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(actor->org_id), STORE_P_INT(actor->user_id),
                         STORE_P_TEXT(authz_role_name(actor->role)), STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT " NOTE_COLS " FROM notification n LEFT JOIN "
                                 "notification_read r ON r.notification_id = n.id AND r.user_id "
                                 "= $2 WHERE n.id = $4 AND " NOTE_VISIBLE,
                                 p, 4, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1)
        note_from_row(r, out);
    store_rows_free(r);
    if (k < 0)
        return err->status;
    return k == 1 ? CY_OK : app_not_found(err, "通知", "notification", id);
}

cy_status_t
notify_read(app_t *app, const actor_t *actor, int64_t now, int64_t id, notification_t *out,
            cy_error_t *err)
{
    if (!may_read(actor))
        return app_forbidden(err, ACT_NOTIFICATION_READ);
    char at[32];
    utc_format_iso(now, at);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = load_visible(c, actor, id, out, err);
    if (st == CY_OK && out->read_at[0] == '\0') {
        store_param_t p[] = {STORE_P_INT(id), STORE_P_INT(actor->user_id), STORE_P_TEXT(at)};
        st = store_exec(c,
                        "INSERT INTO notification_read (notification_id, user_id, read_at) "
                        "VALUES ($1, $2, $3) ON CONFLICT (notification_id, user_id) DO NOTHING",
                        p, 3, NULL, err);
        if (st == CY_OK)
            st = load_visible(c, actor, id, out, err); /* the time that stands */
    }
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
notify_read_all(app_t *app, const actor_t *actor, int64_t now, int64_t *count, cy_error_t *err)
{
    *count = 0;
    if (!may_read(actor))
        return app_forbidden(err, ACT_NOTIFICATION_READ);
    char at[32];
    utc_format_iso(now, at);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(actor->org_id), STORE_P_INT(actor->user_id),
                         STORE_P_TEXT(authz_role_name(actor->role)), STORE_P_TEXT(at)};
    st = store_exec(c,
                    "INSERT INTO notification_read (notification_id, user_id, read_at) SELECT "
                    "n.id, $2, $4 FROM notification n WHERE " NOTE_VISIBLE
                    " AND NOT EXISTS (SELECT 1 FROM notification_read r WHERE r.notification_id "
                    "= n.id AND r.user_id = $2) ON CONFLICT (notification_id, user_id) DO NOTHING",
                    p, 4, count, err);
    return store_tx_close(app->store, c, st, err);
}
