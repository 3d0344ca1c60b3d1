/*
 * plan.c — Annex 2–4 试点工作方案 once written (draft.c writes them): the
 * list a caller sees, the submission (a unit's plan to its city authority,
 * a 基础电信企业's copied to the province's 通信管理局, judged on receipt;
 * an authority's own plan made ready for its package), 退回修改 by the
 * authority holding it, and the plans of a package as packages move them.
 * core/routing.c says who receives, core/round.c whether it is on time.
 * Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

static const char *const PLAN_STATUSES[] = {"draft", "returned", "submitted", "selected", NULL};

static const pcol_t PLAN_ROW_COLS[] = {
    {"id", 'i'},           {"round_id", 's'},      {"annex", 'i'},
    {"status", 's'},       {"name", 's'},          {"author_org_id", 'i'},
    {"author_name", 's'},  {"holder_org_id", 'I'}, {"holder_name", 'n'},
    {"package_id", 'I'},   {"telecom", 'b'},       {"body_zishu", 'i'},
    {"submitted_at", 'n'}, {"updated_at", 's'},    {NULL, 0}};
#define PLAN_ROW_SELECT                                                                            \
    "SELECT p.id, p.round_id, p.annex, p.status, p.name, p.author_org_id, ao.name AS "             \
    "author_name, p.holder_org_id, ho.name AS holder_name, p.package_id, p.telecom, "              \
    "p.body_zishu, p.submitted_at, p.updated_at FROM pilot_plan p JOIN organisation ao ON ao.id "  \
    "= p.author_org_id LEFT JOIN organisation ho ON ho.id = p.holder_org_id "

static const pilot_list_t PLAN_LIST = {
    PLAN_ROW_SELECT "WHERE " PILOT_PLAN_VISIBLE " AND ($5 = '' OR p.round_id = $5) AND ($6 = '' "
                    "OR p.status = $6) AND ($7 = 0 OR p.annex = $7) AND p.id > $10 ORDER BY p.id "
                    "LIMIT $11",
    PLAN_ROW_COLS, PLAN_STATUSES};

cy_status_t
app_plan_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items, int64_t *next,
              cy_error_t *err)
{
    return pilot_list(app, a, f, &PLAN_LIST, items, next, err);
}

/* ---- submission --------------------------------------------------------- */

/* Where a unit's plan goes and whether it arrives in time: judged before anything else. */
static cy_status_t
plan_receiver(app_t *app, store_conn_t *c, const round_t *r, const pilot_org_t *me, int64_t now,
              pilot_org_t *to, pilot_receipt_t *rc, cy_error_t *err)
{
    route_stop_t stop;
    cy_status_t st = routing_next(app->ref, ROUTE_APPLICANT, me->region, &stop, err);
    if (st == CY_OK)
        st = pilot_authority(c, &stop, to, err);
    if (st == CY_OK)
        st = pilot_receipt_judge(c, r, routing_deadline(stop.level), to, me->id, now, rc, err);
    return st;
}

/* An authority's own plan: ready for its package, received where it is. */
static cy_status_t
plan_finalise(store_conn_t *c, const actor_t *a, int64_t now, const pilot_doc_t *d,
              const pilot_org_t *me, cy_error_t *err)
{
    char ts[32], pid[24];
    utc_format_iso(now, ts);
    snprintf(pid, sizeof pid, "%" PRId64, d->id);
    store_param_t u[] = {STORE_P_INT(me->id), STORE_P_TEXT(ts), STORE_P_INT(d->id)};
    cy_status_t st = store_exec(c,
                                "UPDATE pilot_plan SET status = 'submitted', holder_org_id = $1, "
                                "submitted_at = $2, return_comment = '' WHERE id = $3",
                                u, 3, NULL, err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "plan.submit", "pilot_plan", pid, err,
                              "试点工作方案 %" PRId64 " 定稿，待随本单位申报材料报送 / pilot "
                              "plan %" PRId64 " finalised for the authority's package",
                              d->id, d->id);
    return st;
}

/* The 通信管理局 a 基础电信企业's plan is copied to; *copy = 0 for any other author. */
static cy_status_t
plan_copy_to(app_t *app, store_conn_t *c, const pilot_org_t *me, int *copy, pilot_org_t *ca,
             cy_error_t *err)
{
    char prov[7];
    int have = 0;
    *copy = routing_copy_to_comm_admin(app->ref, me->telecom, me->region, prov);
    if (!*copy)
        return CY_OK;
    cy_status_t st = pilot_comm_admin(c, prov, ca, &have, err);
    if (st == CY_OK && !have)
        st = cy_error_set(err, CY_EINVAL, "authority_missing", "region_code",
                          "基础电信企业的方案须同时报送省通信管理局，但 %s 的通信管理局尚未在"
                          "平台登记 / a telecom operator's plan also goes to the "
                          "communications administration of %s, which is not registered",
                          prov, prov);
    return st;
}

/* A unit's plan: received by to (and copied, the copy judged on its own deadline), each a hop. */
static cy_status_t
plan_send(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const pilot_doc_t *d,
          const pilot_org_t *me, const pilot_org_t *to, const pilot_receipt_t *rc, cy_error_t *err)
{
    pilot_org_t ca = {0};
    pilot_receipt_t crc = {0};
    int copy = 0;
    char ts[32], bj[32], pid[24];
    utc_format_iso(now, ts);
    bjtime_format(now, bj);
    snprintf(pid, sizeof pid, "%" PRId64, d->id);
    cy_status_t st = plan_copy_to(app, c, me, &copy, &ca, err);
    if (st == CY_OK && copy)
        st = pilot_receipt_judge(c, d->round, ROUND_DL_COPY_AT_COMM_ADMIN, &ca, me->id, now, &crc,
                                 err);
    store_param_t u[] = {STORE_P_INT(to->id), STORE_P_TEXT(ts), STORE_P_INT(copy),
                         STORE_P_INT(d->id)};
    if (st == CY_OK)
        st = store_exec(c,
                        "UPDATE pilot_plan SET status = 'submitted', holder_org_id = $1, "
                        "submitted_at = $2, telecom = $3, return_comment = '', package_id = "
                        "NULL WHERE id = $4",
                        u, 4, NULL, err);
    pilot_hop_t hop = {"submit", d->id, 0, me->id, to->id, "", 0};
    if (st == CY_OK)
        st = pilot_hop_add(app, c, a, now, &hop, rc, err);
    pilot_hop_t cc = {"copy", d->id, 0, me->id, ca.id, "", 0};
    if (st == CY_OK && copy)
        st = pilot_hop_add(app, c, a, now, &cc, &crc, err);
    /* the authority now holds a plan it passes on under its own deadline */
    if (st == CY_OK)
        st = pilot_remind_schedule(c, a, now, d->round, pilot_next_deadline(app, to), to, err);
    const char *cc_zh = !copy ? "" : crc.late ? "（抄送逾期）" : "";
    const char *cc_en = !copy ? "" : crc.late ? " (late)" : "";
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "plan.submit", "pilot_plan", pid, err,
                              "试点工作方案 %" PRId64 " 报送%s，送达时间 %s%s%s%s / pilot plan "
                              "%" PRId64 " received by %s at %s%s%s%s",
                              d->id, to->name, bj, copy ? "，同时抄送" : "", copy ? ca.name : "",
                              cc_zh, d->id, to->name, bj, copy ? ", copied to " : "",
                              copy ? ca.name : "", cc_en);
    return st;
}

cy_status_t
app_plan_submit(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t **out,
                cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d;
    pilot_org_t me = {0}, to = {0};
    pilot_receipt_t rc = {0};
    size_t insurers = 0;
    int found = 0;
    st = pilot_doc_owned(app, c, a, &pilot_plan_kind, id, &d, err);
    if (st == CY_OK)
        st = pilot_org_get(c, d.owner, &me, &found, err);
    int unit = pilot_level_of(&me) == ROUTE_APPLICANT;
    if (st == CY_OK && unit)
        st = plan_receiver(app, c, d.round, &me, now, &to, &rc, err);
    if (st == CY_OK)
        st = pilot_doc_ready(app, c, &d, &me, &insurers, err);
    if (st == CY_OK)
        st = pilot_attach_ready(c, &d, err); /* the scans and copies the round asks */
    if (st == CY_OK)
        st = unit ? plan_send(app, c, a, now, &d, &me, &to, &rc, err)
                  : plan_finalise(c, a, now, &d, &me, err);
    if (st == CY_OK)
        st = pilot_doc_json(app, c, a, &d, out, err);
    pilot_doc_free(&d);
    return store_tx_close(app->store, c, st, err);
}

/* ---- 退回修改 ----------------------------------------------------------- */

static cy_status_t
plan_returned(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const pilot_doc_t *d,
              const char *comment, cy_error_t *err)
{
    char pid[24];
    snprintf(pid, sizeof pid, "%" PRId64, d->id);
    store_param_t u[] = {STORE_P_TEXT(comment), STORE_P_INT(d->id)};
    cy_status_t st = store_exec(c,
                                "UPDATE pilot_plan SET status = 'returned', holder_org_id = NULL, "
                                "package_id = NULL, return_comment = $1 WHERE id = $2",
                                u, 2, NULL, err);
    pilot_hop_t hop = {"return", d->id, 0, a->org_id, d->owner, comment, 0};
    if (st == CY_OK)
        st = pilot_hop_add(app, c, a, now, &hop, NULL, err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "plan.return", "pilot_plan", pid, err,
                              "退回试点工作方案 %" PRId64 " 修改 / returned pilot plan %" PRId64
                              " for changes",
                              d->id, d->id);
    return st;
}

cy_status_t
app_plan_return(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *comment,
                json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d;
    st = pilot_doc_load(app, c, a, &pilot_plan_kind, id, &d, err);
    if (st == CY_OK &&
        (d.holder != a->org_id || !authz_allowed(a->org_type, a->role, ACT_PLAN_ROUTE)))
        st = pilot_forbidden(err, "只有当前收到该方案的主管部门可以退回",
                             "only the authority holding the plan returns it");
    else if (st == CY_OK && strcmp(d.status, "submitted") != 0)
        st = cy_error_set(err, CY_ECONFLICT, "plan_not_submitted", "status",
                          "该方案不在报送途中 / the plan is not on its way");
    if (st == CY_OK)
        st = pilot_text_check(comment, &pilot_return_comment, err);
    if (st == CY_OK)
        st = plan_returned(app, c, a, now, &d, comment, err);
    if (st == CY_OK)
        st = pilot_doc_json(app, c, a, &d, out, err);
    pilot_doc_free(&d);
    return store_tx_close(app->store, c, st, err);
}

/* ---- the plans of a package --------------------------------------------- */

cy_status_t
pilot_plans_of_package(store_conn_t *c, int64_t package_id, json_t **out, cy_error_t *err)
{
    *out = json_array();
    return pilot_query_of(c, PLAN_ROW_SELECT "WHERE p.package_id = $1 ORDER BY p.id", package_id,
                          PLAN_ROW_COLS, *out, err);
}

cy_status_t
pilot_plan_pack(store_conn_t *c, int64_t package_id, int64_t plan_id, int64_t holder,
                const char *round_id, int *packed, cy_error_t *err)
{
    int64_t changed = 0;
    store_param_t q[] = {STORE_P_INT(package_id), STORE_P_INT(plan_id), STORE_P_INT(holder),
                         STORE_P_TEXT(round_id)};
    cy_status_t st = store_exec(c,
                                "UPDATE pilot_plan SET package_id = $1 WHERE id = $2 AND "
                                "holder_org_id = $3 AND status = 'submitted' AND package_id IS "
                                "NULL AND round_id = $4",
                                q, 4, &changed, err);
    *packed = changed == 1;
    return st;
}

cy_status_t
pilot_plans_count(store_conn_t *c, int64_t package_id, int64_t origin, int64_t *plans,
                  int64_t *own_annex2, cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(package_id), STORE_P_INT(origin)};
    cy_status_t st = store_query_int(c, "SELECT COUNT(*) FROM pilot_plan WHERE package_id = $1", q,
                                     1, plans, NULL, err);
    if (st == CY_OK)
        st = store_query_int(c,
                             "SELECT COUNT(*) FROM pilot_plan WHERE package_id = $1 AND "
                             "author_org_id = $2 AND annex = 2",
                             q, 2, own_annex2, NULL, err);
    return st;
}

cy_status_t
pilot_plans_move(app_t *app, store_conn_t *c, const actor_t *a, int64_t now,
                 const pilot_hop_t *package_hop, const pilot_receipt_t *rc, cy_error_t *err)
{
    static const pcol_t idcol[] = {{"id", 'i'}, {NULL, 0}};
    json_t *ids = json_array();
    store_param_t pk[] = {STORE_P_INT(package_hop->package_id)};
    cy_status_t st = pilot_query_json(
        c, "SELECT id FROM pilot_plan WHERE package_id = $1 ORDER BY id", pk, 1, idcol, ids, err);
    size_t i;
    json_t *row;
    json_array_foreach(ids, i, row)
    {
        /* every plan of the package moves with it: each keeps its own trail */
        pilot_hop_t hop = *package_hop;
        hop.plan_id = json_integer_value(json_object_get(row, "id"));
        if (st == CY_OK)
            st = pilot_hop_add(app, c, a, now, &hop, rc, err);
    }
    json_decref(ids);
    store_param_t h[] = {STORE_P_INT(package_hop->to), STORE_P_INT(package_hop->package_id)};
    if (st == CY_OK)
        st = store_exec(c, "UPDATE pilot_plan SET holder_org_id = $1 WHERE package_id = $2", h, 2,
                        NULL, err);
    return st;
}

/* ---- Annex 2 表2 from the Annex 4 plans received ------------------------ */

/* A row of 服务对象基本情况 from an Annex 4 plan's row (author, form). */
static json_t *
target_of(json_t *row)
{
    json_t *form = json_object_get(row, "form");
    json_t *info = json_object_get(form, "lead_info");
    const char *phone = pf_str(info, "phone"), *email = pf_str(info, "email");
    char pe[300];
    snprintf(pe, sizeof pe, "%s%s%s", phone, phone[0] && email[0] ? " " : "", email);
    return json_pack("{s:I, s:s, s:s, s:s, s:s}", "plan_id",
                     json_integer_value(json_object_get(row, "id")), "name",
                     pf_str(row, "author_name"), "industry", pf_str(form, "industry"), "contact",
                     pf_str(info, "contact"), "phone_email", pe);
}

cy_status_t
app_plan_targets(app_t *app, const actor_t *a, const char *round_id, json_t **items,
                 cy_error_t *err)
{
    static const pcol_t cols[] = {{"id", 'i'}, {"author_name", 's'}, {"form", 'j'}, {NULL, 0}};
    *items = json_array();
    const round_t *r = NULL;
    store_conn_t *c;
    cy_status_t st = pilot_need(a, ACT_PLAN2_WRITE, err);
    if (st == CY_OK)
        st = pilot_round_need(app, round_id, "round_id", CY_EBADREQ, &r, err);
    if (st == CY_OK)
        st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    json_t *rows = json_array();
    store_param_t p[] = {STORE_P_INT(a->org_id), STORE_P_TEXT(r->id)};
    /* the enterprises' Annex 4 plans this authority received (submitted to it or forwarded) */
    st = pilot_query_json(c,
                          "SELECT p.id, ao.name AS author_name, p.form FROM pilot_plan p JOIN "
                          "organisation ao ON ao.id = p.author_org_id WHERE p.annex = 4 AND "
                          "p.round_id = $2 AND p.status IN ('submitted', 'selected') AND EXISTS "
                          "(SELECT 1 FROM pilot_hop h WHERE h.plan_id = p.id AND h.to_org_id = $1 "
                          "AND h.kind IN ('submit', 'forward')) ORDER BY p.id",
                          p, 2, cols, rows, err);
    store_release(app->store, c);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) json_array_append_new(*items, target_of(row));
    json_decref(rows);
    return st;
}
