/*
 * engage.c — engagements (app/engage/engage.h). The tables engagement and
 * engagement_scope are read and written here only; organisations' names,
 * types and USCCs are read (never written) to name the parties and to find
 * the service organisation an enterprise means. Depends on core/, store/,
 * data/ and app/notify; never on http/ or cli/.
 */
#include "app/engage/engage.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/notify/notify.h"
#include "core/bjtime.h"
#include "core/utf8.h"
#include "data/platform.h"

/* In force at $p (UTC ISO text): granted, not expired, not ended. */
static void
in_force(char *buf, size_t cap, int p)
{
    snprintf(buf, cap,
             "(e.valid_from <= $%d AND (e.valid_until IS NULL OR e.valid_until > $%d) AND "
             "(e.ended_at IS NULL OR e.ended_at > $%d))",
             p, p, p);
}

void
engage_sql_enterprises(char *buf, size_t cap, int p_org, int p_scope, int p_now)
{
    char cond[200];
    in_force(cond, sizeof cond, p_now);
    snprintf(buf, cap,
             "SELECT e.enterprise_id FROM engagement e JOIN engagement_scope s ON "
             "s.engagement_id = e.id WHERE e.service_org_id = $%d AND s.scope = $%d AND %s",
             p_org, p_scope, cond);
}

cy_status_t
engage_active(store_conn_t *c, int64_t service_org_id, int64_t enterprise_id, const char *scope,
              int64_t now, int *engaged, cy_error_t *err)
{
    char at[32], sub[400], sql[500];
    utc_format_iso(now, at);
    engage_sql_enterprises(sub, sizeof sub, 1, 2, 3);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (%s AND e.enterprise_id = $4) x", sub);
    store_param_t p[] = {STORE_P_INT(service_org_id), STORE_P_TEXT(scope), STORE_P_TEXT(at),
                         STORE_P_INT(enterprise_id)};
    int64_t n = 0;
    cy_status_t st = store_query_int(c, sql, p, 4, &n, NULL, err);
    *engaged = st == CY_OK && n > 0;
    return st;
}

cy_status_t
engage_require(app_t *app, store_conn_t *c, const actor_t *actor, int64_t enterprise_id,
               const char *scope, int64_t now, cy_error_t *err)
{
    const platform_data_t *pd = app->platform;
    const platform_named_t *s = platform_named_find(pd->scopes, pd->n_scopes, scope);
    if (s == NULL)
        return cy_error_set(err, CY_EINVAL, "engagement_scope", "scope",
                            "未知的委托范围 %s / unknown engagement scope %s", scope ? scope : "",
                            scope ? scope : "");
    int engaged = 0;
    cy_status_t st = engage_active(c, actor->org_id, enterprise_id, scope, now, &engaged, err);
    if (st != CY_OK || engaged)
        return st;
    /* the enterprise by its name, as the person refused knows it */
    store_rows_t *r;
    store_param_t p[] = {STORE_P_INT(enterprise_id)};
    char name[256] = "";
    st = store_query(c, "SELECT name FROM organisation WHERE id = $1", p, 1, &r, err);
    if (st != CY_OK)
        return st;
    if (store_rows_next(r, err) == 1)
        store_row_copy(r, "name", name, sizeof name);
    store_rows_free(r);
    return cy_error_set(err, CY_EFORBIDDEN, "engagement_required", "org_id",
                        "本机构未受“%s”委托办理%s，须由该企业先委托本机构 / your "
                        "organisation is not engaged by \"%s\" for %s: the enterprise engages it "
                        "first",
                        name, s->name_zh, name, s->name_en);
}

/* ---- reading ------------------------------------------------------------------------------ */

#define ENGAGE_SELECT                                                                              \
    "SELECT e.id, e.enterprise_id, e.service_org_id, ent.name AS enterprise_name, svc.name AS "    \
    "service_org_name, svc.uscc AS service_org_uscc, e.valid_from, e.valid_until, e.ended_at, "    \
    "e.created_at, e.granted_by, e.ended_by, e.note, CASE WHEN %s THEN 1 ELSE 0 END AS active "    \
    "FROM engagement e JOIN organisation ent ON ent.id = e.enterprise_id JOIN organisation svc "   \
    "ON svc.id = e.service_org_id "

static const store_col_t ENGAGEMENT_COLS[] = {STORE_COL(engagement_t, id),
                                              STORE_COL(engagement_t, enterprise_id),
                                              STORE_COL(engagement_t, service_org_id),
                                              STORE_COL(engagement_t, enterprise_name),
                                              STORE_COL(engagement_t, service_org_name),
                                              STORE_COL(engagement_t, service_org_uscc),
                                              STORE_COL(engagement_t, valid_from),
                                              STORE_COL(engagement_t, valid_until),
                                              STORE_COL(engagement_t, ended_at),
                                              STORE_COL(engagement_t, created_at),
                                              STORE_COL(engagement_t, granted_by),
                                              STORE_COL(engagement_t, ended_by),
                                              STORE_COL(engagement_t, note),
                                              STORE_COL(engagement_t, active)};

static cy_status_t
load_scopes(store_conn_t *c, engagement_t *e, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(e->id)};
    return store_query_texts(
        c, "SELECT scope FROM engagement_scope WHERE engagement_id = $1 ORDER BY scope", p, 1,
        "scope", e->scopes[0], sizeof e->scopes[0], ENGAGE_MAX_SCOPES, &e->n_scopes, err);
}

/*
 * The engagements the actor sees, newest first, passed to fn: only id when
 * id > 0, only those in force at now when active; at most limit, ids below
 * cursor. *next as every list's.
 */
static cy_status_t
select_page(store_conn_t *c, const actor_t *a, int64_t now, int64_t id, int active,
            const app_page_t *page, engage_fn fn, void *arg, int64_t *next, cy_error_t *err)
{
    char at[32], cond[200], sql[1400];
    utc_format_iso(now, at);
    in_force(cond, sizeof cond, 1);
    int n = snprintf(sql, sizeof sql, ENGAGE_SELECT, cond);
    snprintf(sql + n, sizeof sql - (size_t)n,
             "WHERE ($2 = 1 OR e.enterprise_id = $3 OR e.service_org_id = $3) AND ($4 = 0 OR "
             "e.id = $4) AND ($5 = 0 OR %s) AND ($6 = 0 OR e.id < $6) ORDER BY e.id DESC LIMIT $7",
             cond);
    store_param_t p[] = {STORE_P_TEXT(at),
                         STORE_P_INT(a->cli || authz_sees_all(a->org_type)),
                         STORE_P_INT(a->org_id),
                         STORE_P_INT(id),
                         STORE_P_INT(active),
                         STORE_P_INT(page->cursor),
                         STORE_P_INT(page->limit + 1)};
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, 7, &r, err);
    if (st != CY_OK)
        return st;
    /* read the page first: the scopes are another query on the same connection */
    engagement_t *rows = calloc((size_t)page->limit + 1, sizeof *rows);
    int k = 0, count = 0;
    while (rows != NULL && (k = store_rows_next(r, err)) == 1)
        store_row_read(r, ENGAGEMENT_COLS, STORE_COLS_N(ENGAGEMENT_COLS), &rows[count++]);
    store_rows_free(r);
    if (rows == NULL)
        return cy_error_no_memory(err);
    st = k < 0 ? err->status : CY_OK;
    for (int i = 0; st == CY_OK && i < count && i < page->limit; i++) {
        st = load_scopes(c, &rows[i], err);
        if (st == CY_OK)
            fn(&rows[i], arg);
    }
    if (st == CY_OK && count > page->limit)
        *next = rows[page->limit - 1].id;
    free(rows);
    return st;
}

static int
may(const actor_t *a, authz_action_t act)
{
    return a->cli || authz_allowed(a->org_type, a->role, act);
}

static void
copy_one(const engagement_t *e, void *arg)
{
    *(engagement_t *)arg = *e;
}

/* The engagement id as the actor sees it, inside c; 404 outside. */
static cy_status_t
load_visible(store_conn_t *c, const actor_t *a, int64_t now, int64_t id, engagement_t *out,
             cy_error_t *err)
{
    app_page_t one = {0, 1};
    int64_t next;
    out->id = 0;
    cy_status_t st = select_page(c, a, now, id, 0, &one, copy_one, out, &next, err);
    if (st == CY_OK && out->id != id)
        st = app_not_found(err, "委托", "engagement", id);
    return st;
}

cy_status_t
engage_get(app_t *app, const actor_t *actor, int64_t now, int64_t id, engagement_t *out,
           cy_error_t *err)
{
    if (!may(actor, ACT_ENGAGEMENT_READ))
        return app_forbidden(err, ACT_ENGAGEMENT_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = load_visible(c, actor, now, id, out, err);
    store_release(app->store, c);
    return st;
}

cy_status_t
engage_list(app_t *app, const actor_t *actor, int64_t now, const engage_filter_t *f, engage_fn fn,
            void *arg, int64_t *next, cy_error_t *err)
{
    *next = 0;
    if (!may(actor, ACT_ENGAGEMENT_READ))
        return app_forbidden(err, ACT_ENGAGEMENT_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = select_page(c, actor, now, 0, f->active, &f->page, fn, arg, next, err);
    store_release(app->store, c);
    return st;
}

/* ---- granting and ending -------------------------------------------------------------------- */

/* The service organisation in->… names: its id, name and USCC; a refusal on the field used. */
static cy_status_t
find_service_org(store_conn_t *c, const engage_in_t *in, engagement_t *e, cy_error_t *err)
{
    int by_id = in->service_org_id > 0, by_uscc = in->service_org_uscc != NULL;
    const char *field = by_uscc ? "service_org_uscc" : "service_org_id";
    if (by_id == by_uscc)
        return cy_error_set(err, CY_EINVAL, "service_org_missing", "service_org_id",
                            "请给出服务机构的 service_org_id 或 service_org_uscc（只给一个） / "
                            "give the service organisation's service_org_id or service_org_uscc "
                            "(one of them)");
    store_param_t p[] = {STORE_P_INT(in->service_org_id), STORE_P_TEXT(in->service_org_uscc)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT id, name, uscc FROM organisation WHERE type = "
                                 "'service_org' AND (id = $1 OR uscc = $2)",
                                 p, 2, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        e->service_org_id = store_row_int(r, "id");
        store_row_copy(r, "name", e->service_org_name, sizeof e->service_org_name);
        store_row_copy(r, "uscc", e->service_org_uscc, sizeof e->service_org_uscc);
    }
    store_rows_free(r);
    if (k < 0)
        return err->status;
    /* another type of organisation reads as none: the enterprise learns nothing of it */
    return k == 1 ? CY_OK
                  : cy_error_set(err, CY_EINVAL, "service_org_unknown", field,
                                 "没有这个网络安全保险服务机构 / there is no such service "
                                 "organisation on the platform");
}

static cy_status_t
check_scopes(const app_t *app, const engage_in_t *in, cy_error_t *err)
{
    const platform_data_t *pd = app->platform;
    if (in->n_scopes == 0 || in->n_scopes > pd->n_scopes)
        return cy_error_set(err, CY_EINVAL, "engagement_scopes", "scopes",
                            "请给出委托范围 / give the scopes of the engagement");
    for (size_t i = 0; i < in->n_scopes; i++) {
        const char *s = in->scopes[i];
        if (platform_named_find(pd->scopes, pd->n_scopes, s) == NULL)
            return cy_error_set(err, CY_EINVAL, "engagement_scope", "scopes",
                                "未知的委托范围 %s / unknown scope %s", s, s);
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->scopes[j], s) == 0)
                return cy_error_set(err, CY_EINVAL, "engagement_scope_repeated", "scopes",
                                    "委托范围 %s 重复 / scope %s is listed twice", s, s);
    }
    return CY_OK;
}

/* valid_until as the UTC second the engagement stops (a date: the next Beijing midnight). */
static cy_status_t
parse_until(const char *s, int64_t now, int64_t *until, cy_error_t *err)
{
    *until = 0;
    if (s == NULL)
        return CY_OK;
    int64_t t;
    if (bjtime_parse(s, &t, NULL) != CY_OK)
        return cy_error_set(err, CY_EINVAL, "valid_until_invalid", "valid_until",
                            "valid_until 应为日期 YYYY-MM-DD 或时间 / valid_until must be a date "
                            "YYYY-MM-DD or a time");
    if (strlen(s) == 10)
        t = bjtime_end_of_day(atoi(s), atoi(s + 5), atoi(s + 8)) + 1;
    if (t <= now)
        return cy_error_set(err, CY_EINVAL, "valid_until_past", "valid_until",
                            "委托截止时间应晚于现在 / valid_until must be later than now");
    *until = t;
    return CY_OK;
}

/* The scopes in words, "风险评估、理赔" and "risk assessment, claims". */
static void
scope_words(const app_t *app, const engagement_t *e, char *zh, char *en, size_t cap)
{
    const platform_data_t *pd = app->platform;
    zh[0] = en[0] = '\0';
    for (size_t i = 0; i < e->n_scopes; i++) {
        const platform_named_t *s = platform_named_find(pd->scopes, pd->n_scopes, e->scopes[i]);
        size_t z = strlen(zh), n = strlen(en);
        snprintf(zh + z, cap - z, "%s%s", i ? "、" : "", s ? s->name_zh : e->scopes[i]);
        snprintf(en + n, cap - n, "%s%s", i ? ", " : "", s ? s->name_en : e->scopes[i]);
    }
}

/* Tell the service organisation, and write the audit entry, of action on e. */
static cy_status_t
tell(app_t *app, store_conn_t *c, const actor_t *actor, int64_t now, const engagement_t *e,
     int granted, cy_error_t *err)
{
    char zh[400], en[400], text_zh[1000], text_en[1000], id[24];
    scope_words(app, e, zh, en, sizeof zh);
    snprintf(id, sizeof id, "%" PRId64, e->id);
    snprintf(text_zh, sizeof text_zh, granted ? "%s 委托本机构办理：%s" : "%s 终止了委托（%s）",
             e->enterprise_name, zh);
    snprintf(text_en, sizeof text_en,
             granted ? "%s engaged your organisation for: %s" : "%s ended its engagement (%s)",
             e->enterprise_name, en);
    notify_in_t n = {.org_id = e->service_org_id,
                     .kind = granted ? "engagement.granted" : "engagement.ended",
                     .object_type = "engagement",
                     .object_id = id,
                     .text_zh = text_zh,
                     .text_en = text_en};
    cy_status_t st = notify_raise(app, c, now, &n, NULL, err);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, granted ? "engagement.grant" : "engagement.end",
                              "engagement", id, err, "%s 委托 %s：%s / %s engagement of %s: %s",
                              granted ? "开始" : "终止", e->service_org_name, zh,
                              granted ? "granted the" : "ended the", e->service_org_name, en);
    return st;
}

static cy_status_t
insert_engagement(store_conn_t *c, const actor_t *a, int64_t now, int64_t until,
                  const engage_in_t *in, engagement_t *e, cy_error_t *err)
{
    int engaged_already = 0;
    char from[32], to[32];
    utc_format_iso(now, from);
    utc_format_iso(until, to);
    store_param_t q[] = {STORE_P_INT(a->org_id), STORE_P_INT(e->service_org_id),
                         STORE_P_TEXT(from)};
    char cond[200], sql[400];
    in_force(cond, sizeof cond, 3);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM engagement e WHERE e.enterprise_id = $1 AND e.service_org_id = "
             "$2 AND %s",
             cond);
    int64_t n = 0;
    cy_status_t st = store_query_int(c, sql, q, 3, &n, NULL, err);
    engaged_already = n > 0;
    if (st == CY_OK && engaged_already)
        return cy_error_set(err, CY_ECONFLICT, "engagement_exists", "service_org_id",
                            "已委托该服务机构，请先终止原委托 / this service organisation is "
                            "already engaged; end that engagement first");
    store_param_t p[] = {STORE_P_INT(a->org_id),
                         STORE_P_INT(e->service_org_id),
                         STORE_P_TEXT(from),
                         until ? STORE_P_TEXT(to) : STORE_P_NULL,
                         STORE_P_TEXT(in->note ? in->note : ""),
                         STORE_P_INT(a->user_id)};
    if (st == CY_OK)
        st = store_query_int(c,
                             "INSERT INTO engagement (enterprise_id, service_org_id, valid_from, "
                             "valid_until, note, granted_by, created_at) VALUES ($1, $2, $3, $4, "
                             "$5, $6, $3) RETURNING id",
                             p, 6, &e->id, NULL, err);
    for (size_t i = 0; st == CY_OK && i < in->n_scopes; i++) {
        store_param_t s[] = {STORE_P_INT(e->id), STORE_P_TEXT(in->scopes[i])};
        st = store_exec(c, "INSERT INTO engagement_scope (engagement_id, scope) VALUES ($1, $2)", s,
                        2, NULL, err);
    }
    return st;
}

cy_status_t
engage_grant(app_t *app, const actor_t *actor, int64_t now, const engage_in_t *in,
             engagement_t *out, cy_error_t *err)
{
    if (!may(actor, ACT_ENGAGEMENT_GRANT) || actor->org_id <= 0)
        return app_forbidden(err, ACT_ENGAGEMENT_GRANT);
    int64_t until = 0;
    cy_status_t st = check_scopes(app, in, err);
    if (st == CY_OK)
        st = parse_until(in->valid_until, now, &until, err);
    if (st == CY_OK && in->note != NULL &&
        (strlen(in->note) > 500 || !utf8_valid(in->note, strlen(in->note), NULL)))
        st = cy_error_set(err, CY_EINVAL, "note_too_long", "note",
                          "备注最多 500 字节 / the note is at most 500 bytes of UTF-8");
    if (st != CY_OK)
        return st;
    store_conn_t *c;
    st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    engagement_t e = {0};
    st = find_service_org(c, in, &e, err);
    if (st == CY_OK)
        st = insert_engagement(c, actor, now, until, in, &e, err);
    if (st == CY_OK)
        st = load_visible(c, actor, now, e.id, out, err);
    if (st == CY_OK)
        st = tell(app, c, actor, now, out, 1, err);
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
engage_end(app_t *app, const actor_t *actor, int64_t now, int64_t id, engagement_t *out,
           cy_error_t *err)
{
    if (!may(actor, ACT_ENGAGEMENT_GRANT) || actor->org_id <= 0)
        return app_forbidden(err, ACT_ENGAGEMENT_GRANT);
    char at[32];
    utc_format_iso(now, at);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = load_visible(c, actor, now, id, out, err);
    if (st == CY_OK && out->ended_at[0])
        st = cy_error_set(err, CY_ECONFLICT, "engagement_ended", "id",
                          "委托已于 %s 终止 / the engagement already ended at %s", out->ended_at,
                          out->ended_at);
    store_param_t p[] = {STORE_P_INT(id), STORE_P_TEXT(at), STORE_P_INT(actor->user_id)};
    if (st == CY_OK)
        st = store_exec(c, "UPDATE engagement SET ended_at = $2, ended_by = $3 WHERE id = $1", p, 3,
                        NULL, err);
    if (st == CY_OK)
        st = load_visible(c, actor, now, id, out, err);
    if (st == CY_OK)
        st = tell(app, c, actor, now, out, 0, err);
    return store_tx_close(app->store, c, st, err);
}
