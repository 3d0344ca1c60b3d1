/*
 * package.c — what an authority sends up (DOMAIN.md §4): a city's package
 * holds its own Annex 2 and the plans it received; the city forwards it to
 * its province and the province to the ministry (a 计划单列市 straight to
 * the ministry), each receipt judged against the round's deadline of that
 * level unless the receiver granted an extension; any level may return it
 * to whoever sent it (退回修改). The plans of a package move with it, each
 * keeping its own trail. The one place pilot_package is read and written.
 * Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

static const char *const PACKAGE_STATUSES[] = {"open", "sent", "returned", NULL};

static const pcol_t PACKAGE_COLS[] = {{"id", 'i'},
                                      {"round_id", 's'},
                                      {"status", 's'},
                                      {"origin_org_id", 'i'},
                                      {"origin_name", 's'},
                                      {"holder_org_id", 'i'},
                                      {"holder_name", 's'},
                                      {"holder_type", 's'},
                                      {"comment", 's'},
                                      {"created_at", 's'},
                                      {"updated_at", 's'},
                                      {"plan_count", 'i'},
                                      {NULL, 0}};

/* A package is seen by its origin, its holder and every authority it reached. */
#define PACKAGE_SELECT                                                                             \
    "SELECT k.id, k.round_id, k.status, k.origin_org_id, oo.name AS origin_name, "                 \
    "k.holder_org_id, ho.name AS holder_name, ho.type AS holder_type, k.comment, k.created_at, "   \
    "k.updated_at, (SELECT COUNT(*) FROM pilot_plan x WHERE x.package_id = k.id) AS plan_count "   \
    "FROM pilot_package k JOIN organisation oo ON oo.id = k.origin_org_id JOIN organisation ho "   \
    "ON ho.id = k.holder_org_id WHERE ($1 = 1 OR k.origin_org_id = $2 OR k.holder_org_id = $2 OR " \
    "EXISTS (SELECT 1 FROM pilot_hop h WHERE h.package_id = k.id AND h.to_org_id = $2)) "

/* inbox ($8 = 1): held here, sent by others; outbox ($8 = 2): assembled here */
static const pilot_list_t PACKAGE_LIST = {
    PACKAGE_SELECT "AND ($5 = '' OR k.round_id = $5) AND ($6 = '' OR k.status = $6) AND ($8 = 0 "
                   "OR ($8 = 1 AND k.holder_org_id = $2 AND k.origin_org_id <> $2) OR ($8 = 2 AND "
                   "k.origin_org_id = $2)) AND k.id > $10 ORDER BY k.id LIMIT $11",
    PACKAGE_COLS, PACKAGE_STATUSES};

cy_status_t
app_package_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                 int64_t *next, cy_error_t *err)
{
    return pilot_list(app, a, f, &PACKAGE_LIST, items, next, err);
}

typedef struct {
    int64_t id;
    char round_id[16];
    int64_t origin, holder;
} package_t;

/* The package the caller sees (404 otherwise), as its row. */
static cy_status_t
package_load(store_conn_t *c, const actor_t *a, int64_t id, package_t *k, json_t **row,
             cy_error_t *err)
{
    memset(k, 0, sizeof *k);
    cy_status_t st =
        pilot_record_seen(c, a, PACKAGE_SELECT "AND k.id = $5", id, PACKAGE_COLS, row, err);
    if (st == CY_OK && *row == NULL)
        return app_not_found(err, "申报材料包", "package", id);
    if (st != CY_OK)
        return st;
    k->id = id;
    snprintf(k->round_id, sizeof k->round_id, "%s", pf_str(*row, "round_id"));
    k->origin = json_integer_value(json_object_get(*row, "origin_org_id"));
    k->holder = json_integer_value(json_object_get(*row, "holder_org_id"));
    return CY_OK;
}

/* The next receiver of a package held by holder (null when it is at the ministry). */
static json_t *
package_next(app_t *app, store_conn_t *c, const package_t *k)
{
    pilot_org_t holder, to;
    route_stop_t stop;
    cy_error_t ignored;
    int found = 0;
    if (pilot_org_get(c, k->holder, &holder, &found, &ignored) != CY_OK || !found)
        return json_null();
    route_level_t level = pilot_level_of(&holder);
    if (level == ROUTE_MINISTRY || level == ROUTE_APPLICANT ||
        routing_next(app->ref, level, holder.region, &stop, &ignored) != CY_OK ||
        pilot_authority(c, &stop, &to, &ignored) != CY_OK)
        return json_null();
    const round_t *r = pilot_round_find(app, k->round_id);
    round_deadline_t dk = routing_deadline(stop.level);
    int64_t at = 0;
    char iso[32] = "";
    int has = r != NULL && round_deadline_at(r, dk, to.province, &at);
    if (has)
        utc_format_iso(at, iso);
    return json_pack("{s:s, s:I, s:s, s:s, s:o}", "level", routing_level_name(stop.level), "org_id",
                     (json_int_t)to.id, "org_name", to.name, "deadline", round_deadline_key(dk),
                     "deadline_at", has ? json_string(iso) : json_null());
}

cy_status_t
pilot_package_json(app_t *app, store_conn_t *c, const actor_t *a, int64_t id, json_t **out,
                   cy_error_t *err)
{
    package_t k;
    json_t *plans = NULL, *hops = NULL;
    cy_status_t st = package_load(c, a, id, &k, out, err);
    if (st == CY_OK)
        st = pilot_plans_of_package(c, id, &plans, err);
    if (st == CY_OK)
        st = pilot_hops_json(c, 0, id, &hops, err);
    if (st == CY_OK) {
        json_object_set_new(*out, "plans", plans);
        json_object_set_new(*out, "hops", hops);
        json_object_set_new(*out, "next", package_next(app, c, &k));
        return CY_OK;
    }
    json_decref(plans);
    json_decref(hops);
    json_decref(*out);
    *out = NULL;
    return st;
}

/* ---- assembling --------------------------------------------------------- */

/* Each plan goes in once: held here, ready, of the round, in no other package. */
static cy_status_t
package_fill(store_conn_t *c, const actor_t *a, int64_t package_id, const char *round_id,
             const int64_t *plan_ids, size_t n, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        int packed = 0;
        st = pilot_plan_pack(c, package_id, plan_ids[i], a->org_id, round_id, &packed, err);
        if (st == CY_OK && !packed) {
            char field[40];
            snprintf(field, sizeof field, "plan_ids[%zu]", i);
            st = cy_error_set(err, CY_EINVAL, "plan_not_ready", field,
                              "方案 %" PRId64 " 不是本单位收到或定稿、尚未打包的本轮方案 / plan "
                              "%" PRId64 " is not a plan of this round that you hold, ready and "
                              "outside any other package",
                              plan_ids[i], plan_ids[i]);
        }
    }
    return st;
}

static cy_status_t
package_insert(store_conn_t *c, const actor_t *a, int64_t now, const round_t *r, size_t n,
               int64_t *id, cy_error_t *err)
{
    if (n == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "plan_ids",
                            "请选择要报送的试点工作方案 / choose the plans to send");
    if (n > 500)
        return cy_error_set(err, CY_EINVAL, "too_many_items", "plan_ids",
                            "一个材料包最多500个方案 / at most 500 plans per package");
    char ts[32];
    utc_format_iso(now, ts);
    store_param_t p[] = {STORE_P_TEXT(r->id), STORE_P_INT(a->org_id), STORE_P_INT(a->user_id),
                         STORE_P_TEXT(ts)};
    return store_query_int(c,
                           "INSERT INTO pilot_package (round_id, origin_org_id, holder_org_id, "
                           "status, created_by, created_at, updated_at) VALUES ($1, $2, $2, "
                           "'open', $3, $4, $4) RETURNING id",
                           p, 4, id, NULL, err);
}

cy_status_t
app_package_create(app_t *app, const actor_t *a, int64_t now, const char *round_id,
                   const int64_t *plan_ids, size_t n, json_t **out, cy_error_t *err)
{
    *out = NULL;
    cy_status_t st = pilot_need(a, ACT_PLAN_ROUTE, err);
    if (st == CY_OK && a->org_type != ORG_CITY && a->org_type != ORG_PROVINCE)
        st = pilot_forbidden(err, "申报材料包由地市或省级主管部门组织报送",
                             "packages are assembled by city and provincial authorities");
    store_conn_t *c;
    if (st == CY_OK)
        st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    const round_t *r;
    int64_t id = 0;
    char kid[24];
    st = pilot_round_need(app, round_id, "round_id", CY_EINVAL, &r, err);
    if (st == CY_OK)
        st = package_insert(c, a, now, r, n, &id, err);
    if (st == CY_OK)
        st = package_fill(c, a, id, r->id, plan_ids, n, err);
    snprintf(kid, sizeof kid, "%" PRId64, id);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "package.create", "pilot_package", kid, err,
                              "组织申报材料包 %" PRId64
                              "（%zu 个方案） / assembled package %" PRId64 " (%zu plans)",
                              id, n, id, n);
    if (st == CY_OK)
        st = pilot_package_json(app, c, a, id, out, err);
    return store_tx_close(app->store, c, st, err);
}

/* ---- moving ------------------------------------------------------------- */

/* The package and its plans to hop.to: its holder, status and comment, and every hop. */
static cy_status_t
package_move(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const pilot_hop_t *hop,
             const char *status, const pilot_receipt_t *rc, cy_error_t *err)
{
    char ts[32];
    utc_format_iso(now, ts);
    store_param_t u[] = {STORE_P_INT(hop->to), STORE_P_TEXT(status), STORE_P_TEXT(hop->comment),
                         STORE_P_TEXT(ts), STORE_P_INT(hop->package_id)};
    cy_status_t st = store_exec(c,
                                "UPDATE pilot_package SET holder_org_id = $1, status = $2, "
                                "comment = $3, updated_at = $4 WHERE id = $5",
                                u, 5, NULL, err);
    if (st == CY_OK)
        st = pilot_hop_add(app, c, a, now, hop, rc, err);
    if (st == CY_OK)
        st = pilot_plans_move(app, c, a, now, hop, rc, err);
    return st;
}

/* What a package must hold to go up: some plan, and a city's own Annex 2. */
static cy_status_t
package_complete(store_conn_t *c, const package_t *k, int64_t *n, cy_error_t *err)
{
    pilot_org_t origin;
    int64_t own = 0;
    int found = 0;
    cy_status_t st = pilot_plans_count(c, k->id, k->origin, n, &own, err);
    if (st == CY_OK && *n == 0)
        return cy_error_set(err, CY_EINVAL, "package_empty", "plan_ids",
                            "材料包中没有方案 / the package holds no plan");
    if (st == CY_OK)
        st = pilot_org_get(c, k->origin, &origin, &found, err);
    /* 地市…牵头制定本地市工作方案，并随同…一同报送 */
    if (st == CY_OK && origin.type == ORG_CITY && own == 0)
        st = cy_error_set(err, CY_EINVAL, "city_plan_required", "plan_ids",
                          "地市报送材料应包含本市的试点工作方案（附件2） / a city's package "
                          "includes its own Annex 2 plan");
    return st;
}

/* The next authority above the caller, and whether the package reaches it in time. */
static cy_status_t
package_receiver(app_t *app, store_conn_t *c, const actor_t *a, const round_t *r, int64_t now,
                 pilot_org_t *to, pilot_receipt_t *rc, cy_error_t *err)
{
    pilot_org_t me;
    route_stop_t stop;
    int found = 0;
    cy_status_t st = pilot_org_get(c, a->org_id, &me, &found, err);
    route_level_t level = pilot_level_of(&me);
    if (st == CY_OK && level == ROUTE_MINISTRY)
        return cy_error_set(err, CY_ECONFLICT, "route_end", "status",
                            "材料包已报送至工业和信息化部 / the package is at the ministry");
    if (st == CY_OK)
        st = routing_next(app->ref, level, me.region, &stop, err);
    if (st == CY_OK)
        st = pilot_authority(c, &stop, to, err);
    if (st == CY_OK)
        st = pilot_receipt_judge(c, r, routing_deadline(stop.level), to, me.id, now, rc, err);
    return st;
}

/* The package held by the caller, which may route it (403 otherwise). */
static cy_status_t
package_held(store_conn_t *c, const actor_t *a, int64_t id, package_t *k, int returning,
             cy_error_t *err)
{
    json_t *row = NULL;
    cy_status_t st = package_load(c, a, id, k, &row, err);
    json_decref(row);
    if (st != CY_OK)
        return st;
    if (k->holder != a->org_id || (returning && k->origin == a->org_id) ||
        !authz_allowed(a->org_type, a->role, ACT_PLAN_ROUTE))
        return returning ? pilot_forbidden(err, "只有收到该材料包的上级主管部门可以退回",
                                           "only the authority that received the package "
                                           "returns it")
                         : pilot_forbidden(err, "只有当前持有该材料包的主管部门可以报送",
                                           "only the authority holding the package forwards it");
    return CY_OK;
}

cy_status_t
app_package_forward(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t **out,
                    cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    package_t k;
    const round_t *r = NULL;
    pilot_org_t to = {0};
    pilot_receipt_t rc = {0};
    int64_t n = 0;
    char bj[32], kid[24];
    st = package_held(c, a, id, &k, 0, err);
    if (st == CY_OK && (r = pilot_round_find(app, k.round_id)) == NULL)
        st = cy_error_set(err, CY_ECONFLICT, "round_unknown", "round_id",
                          "该材料包所属轮次已不在数据文件中 / the package's round is no longer "
                          "in the data files");
    if (st == CY_OK)
        st = package_receiver(app, c, a, r, now, &to, &rc, err);
    if (st == CY_OK)
        st = package_complete(c, &k, &n, err);
    pilot_hop_t hop = {"forward", 0, id, a->org_id, to.id, "", 0};
    if (st == CY_OK)
        st = package_move(app, c, a, now, &hop, "sent", &rc, err);
    if (st == CY_OK)
        st = pilot_remind_schedule(c, a, now, r, pilot_next_deadline(app, &to), &to, err);
    bjtime_format(now, bj);
    snprintf(kid, sizeof kid, "%" PRId64, id);
    int ext = rc.extension_id != 0;
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "package.forward", "pilot_package", kid, err,
                              "申报材料包 %" PRId64 "（%" PRId64 " 个方案）报送%s，送达时间 %s%s / "
                              "package %" PRId64 " (%" PRId64 " plans) received by %s at %s%s",
                              id, n, to.name, bj, ext ? "（延期内）" : "", id, n, to.name, bj,
                              ext ? " (within an extension)" : "");
    if (st == CY_OK)
        st = pilot_package_json(app, c, a, id, out, err);
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
app_package_return(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *comment,
                   json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    package_t k;
    int64_t prev = 0;
    int found = 0;
    char kid[24];
    st = package_held(c, a, id, &k, 1, err);
    if (st == CY_OK)
        st = pilot_text_check(comment, &pilot_return_comment, err);
    /* back to whoever sent it here */
    if (st == CY_OK)
        st = pilot_hop_sender(c, id, a->org_id, &prev, &found, err);
    if (st == CY_OK && !found)
        prev = k.origin;
    pilot_hop_t hop = {"return", 0, id, a->org_id, prev, comment, 0};
    if (st == CY_OK)
        st = package_move(app, c, a, now, &hop, prev == k.origin ? "returned" : "sent", NULL, err);
    snprintf(kid, sizeof kid, "%" PRId64, id);
    if (st == CY_OK)
        st = app_audit_append(
            c, a, now, "package.return", "pilot_package", kid, err,
            "退回申报材料包 %" PRId64 " 修改 / returned package %" PRId64 " for changes", id, id);
    if (st == CY_OK)
        st = pilot_package_json(app, c, a, id, out, err);
    return store_tx_close(app->store, c, st, err);
}
