/*
 * scheme.c — Annex 1 网络安全保险服务方案 once written (draft.c writes it):
 * the list a caller sees, the submission to the ministry (deadline on
 * receipt, every rule of the round, at most so many per lead) and the local
 * authorities' 推荐意见. Depends on core/, store/ and jansson; never http/
 * or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

static const char *const SCHEME_STATUSES[] = {"draft", "submitted", "catalogued", NULL};

static const pcol_t SCHEME_LIST_COLS[] = {
    {"id", 'i'},          {"round_id", 's'},       {"status", 's'},     {"name", 's'},
    {"lead_org_id", 'i'}, {"lead_name", 's'},      {"form", 'j'},       {"body_zishu", 'i'},
    {"received_at", 'n'}, {"catalogue_code", 'n'}, {"updated_at", 's'}, {NULL, 0}};

static const pilot_list_t SCHEME_LIST = {
    "SELECT s.id, s.round_id, s.status, s.name, s.lead_org_id, lo.name AS lead_name, s.form, "
    "s.body_zishu, s.received_at, s.catalogue_code, s.updated_at FROM pilot_scheme s JOIN "
    "organisation lo ON lo.id = s.lead_org_id WHERE " PILOT_SCHEME_VISIBLE " AND ($5 = '' OR "
    "s.round_id = $5) AND ($6 = '' OR s.status = $6) AND s.id > $10 ORDER BY s.id LIMIT $11",
    SCHEME_LIST_COLS, SCHEME_STATUSES};

cy_status_t
app_scheme_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                int64_t *next, cy_error_t *err)
{
    cy_status_t st = pilot_list(app, a, f, &SCHEME_LIST, items, next, err);
    size_t i;
    json_t *row;
    json_array_foreach(*items, i, row) pilot_annex_direction(row, 0);
    return st;
}

/* ---- submission --------------------------------------------------------- */

/*
 * The ministry receives at now, judged against the round's date (or the
 * extension it granted the lead). The lead's row is taken first, so two
 * submissions of one lead queue here before counting.
 */
static cy_status_t
scheme_receipt(store_conn_t *c, const round_t *r, int64_t lead, int64_t now, pilot_org_t *ministry,
               pilot_receipt_t *rc, cy_error_t *err)
{
    static const route_stop_t top = {ROUTE_MINISTRY, ""};
    store_param_t lk[] = {STORE_P_INT(lead)};
    cy_status_t st = store_exec(c, "UPDATE organisation SET updated_at = updated_at WHERE id = $1",
                                lk, 1, NULL, err);
    if (st == CY_OK)
        st = pilot_authority(c, &top, ministry, err);
    if (st == CY_OK)
        st = pilot_receipt_judge(c, r, ROUND_DL_SCHEME_AT_MINISTRY, ministry, lead, now, rc, err);
    return st;
}

/* At most the round's number of schemes per lead: those it submitted before this one. */
static cy_status_t
scheme_lead_count(store_conn_t *c, const round_t *r, int64_t lead, unsigned waived, cy_error_t *err)
{
    int64_t already = 0;
    store_param_t q[] = {STORE_P_INT(lead), STORE_P_TEXT(r->id)};
    cy_status_t st = store_query_int(c,
                                     "SELECT COUNT(*) FROM pilot_scheme WHERE lead_org_id = $1 AND "
                                     "round_id = $2 AND status <> 'draft'",
                                     q, 2, &already, NULL, err);
    if (st == CY_OK)
        st = round_check_lead_schemes(round_limits(r, 1), (size_t)already,
                                      (waived >> ROUND_LIM_SCHEMES_PER_LEAD_MAX) & 1, err);
    return st;
}

static cy_status_t
scheme_received(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const pilot_doc_t *d,
                const pilot_org_t *ministry, const pilot_receipt_t *rc, cy_error_t *err)
{
    char ts[32], bj[32], sid[24];
    utc_format_iso(now, ts);
    bjtime_format(now, bj);
    snprintf(sid, sizeof sid, "%" PRId64, d->id);
    store_param_t u[] = {STORE_P_TEXT(ts), STORE_P_INT(d->id)};
    cy_status_t st = store_exec(c,
                                "UPDATE pilot_scheme SET status = 'submitted', received_at = $1, "
                                "recorded_at = $1, updated_at = $1 WHERE id = $2",
                                u, 2, NULL, err);
    int ext = rc->extension_id != 0;
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "scheme.submit", "pilot_scheme", sid, err,
                              "服务方案 %" PRId64 " 报送工业和信息化部，送达时间 %s%s / service "
                              "scheme %" PRId64 " received by the ministry at %s%s",
                              d->id, bj, ext ? "（延期内）" : "", d->id, bj,
                              ext ? " (within an extension)" : "");
    if (st == CY_OK)
        st = pilot_notice_scheme(app, c, now, PILOT_SCHEME_RECEIVED, d->id, ministry->id, 0, 0, bj,
                                 err);
    return st;
}

cy_status_t
app_scheme_submit(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t **out,
                  cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d;
    pilot_org_t ministry, lead = {0};
    pilot_receipt_t rc = {0};
    size_t insurers = 0;
    int found = 0;
    st = pilot_doc_owned(app, c, a, &pilot_scheme_kind, id, &d, err);
    if (st == CY_OK)
        st = scheme_receipt(c, d.round, a->org_id, now, &ministry, &rc, err);
    if (st == CY_OK)
        st = pilot_org_get(c, d.owner, &lead, &found, err);
    if (st == CY_OK)
        st = pilot_doc_ready(app, c, &d, &lead, &insurers, err);
    if (st == CY_OK)
        st = pilot_attach_ready(c, &d, err); /* the scans and copies the round asks */
    if (st == CY_OK)
        st = round_check_insurers(round_limits(d.round, 1), insurers, err);
    if (st == CY_OK)
        st = scheme_lead_count(c, d.round, d.owner, d.waived, err);
    if (st == CY_OK)
        st = scheme_received(app, c, a, now, &d, &ministry, &rc, err);
    if (st == CY_OK)
        st = pilot_doc_json(app, c, a, &d, out, err);
    pilot_doc_free(&d);
    return store_tx_close(app->store, c, st, err);
}

/* ---- 推荐意见 ----------------------------------------------------------- */

static const pilot_text_rule_t RECOMMENDATION = {
    "text", 20000, "请填写推荐意见 / the recommendation text is required",
    "推荐意见过长 / the recommendation is too long"};

/* 地方主管部门 recommend: provinces, 计划单列市 and 通信管理局 (notice §四(一)). */
static cy_status_t
may_recommend(app_t *app, store_conn_t *c, const actor_t *a, cy_error_t *err)
{
    pilot_org_t me;
    int found = 0;
    cy_status_t st = pilot_need(a, ACT_SCHEME_RECOMMEND, err);
    if (st == CY_OK)
        st = pilot_org_get(c, a->org_id, &me, &found, err);
    if (st != CY_OK)
        return st;
    const ref_region_t *reg = ref_region_find(app->ref, me.region);
    if (me.type == ORG_CITY && !(reg != NULL && (reg->plan_city || reg->level == 1)))
        return pilot_forbidden(err,
                               "推荐意见由省级工业和信息化主管部门、计划单列市和通信管理局填写",
                               "recommendations come from provincial authorities, separately "
                               "planned cities and communications administrations");
    return CY_OK;
}

/*
 * One recommendation per authority, received by the ministry at now against
 * the round's recommendation_at_ministry (or the extension it granted).
 */
static cy_status_t
recommendation_receipt(store_conn_t *c, const actor_t *a, const pilot_doc_t *d, int64_t now,
                       pilot_receipt_t *rc, cy_error_t *err)
{
    static const route_stop_t top = {ROUTE_MINISTRY, ""};
    int64_t one = 0;
    int found = 0;
    pilot_org_t ministry;
    store_param_t q[] = {STORE_P_INT(d->id), STORE_P_INT(a->org_id)};
    cy_status_t st = store_query_int(
        c, "SELECT 1 FROM pilot_recommendation WHERE scheme_id = $1 AND org_id = $2", q, 2, &one,
        &found, err);
    if (st == CY_OK && found)
        return cy_error_set(err, CY_ECONFLICT, "recommendation_exists", "text",
                            "本单位已填写过推荐意见 / your organisation has already recommended "
                            "this scheme");
    if (st == CY_OK)
        st = pilot_authority(c, &top, &ministry, err);
    if (st == CY_OK)
        st = pilot_receipt_judge(c, d->round, ROUND_DL_RECOMMENDATION_AT_MINISTRY, &ministry,
                                 a->org_id, now, rc, err);
    return st;
}

static cy_status_t
recommendation_add(store_conn_t *c, const actor_t *a, int64_t now, int64_t scheme_id,
                   const char *text, int late, cy_error_t *err)
{
    char ts[32], sid[24];
    utc_format_iso(now, ts);
    snprintf(sid, sizeof sid, "%" PRId64, scheme_id);
    store_param_t p[] = {STORE_P_INT(scheme_id), STORE_P_INT(a->org_id), STORE_P_INT(a->user_id),
                         STORE_P_TEXT(text),     STORE_P_TEXT(ts),       STORE_P_INT(late)};
    int64_t rid;
    cy_status_t st = pilot_insert_once(c,
                                       "INSERT INTO pilot_recommendation (scheme_id, org_id, "
                                       "user_id, text, created_at, late) VALUES ($1, $2, $3, $4, "
                                       "$5, $6) RETURNING id",
                                       p, 6, &rid, "recommendation_exists", "text",
                                       "本单位已填写过推荐意见 / your organisation has already "
                                       "recommended this scheme",
                                       err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "scheme.recommend", "pilot_scheme", sid, err,
                              "为服务方案 %" PRId64 " 填写推荐意见 / recommended service scheme "
                              "%" PRId64,
                              scheme_id, scheme_id);
    return st;
}

cy_status_t
app_scheme_recommend(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *text,
                     json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d;
    pilot_receipt_t rc = {0};
    st = pilot_doc_load(app, c, a, &pilot_scheme_kind, id, &d, err);
    if (st == CY_OK)
        st = may_recommend(app, c, a, err);
    if (st == CY_OK && strcmp(d.status, "draft") == 0)
        st = cy_error_set(err, CY_ECONFLICT, "scheme_not_submitted", "status",
                          "服务方案尚未提交 / the scheme has not been submitted");
    if (st == CY_OK && d.round == NULL)
        st = cy_error_set(err, CY_ECONFLICT, "round_unknown", "round_id",
                          "该方案所属轮次已不在数据文件中 / the scheme's round is no longer in the "
                          "data files");
    if (st == CY_OK)
        st = pilot_text_check(text, &RECOMMENDATION, err);
    if (st == CY_OK)
        st = recommendation_receipt(c, a, &d, now, &rc, err);
    if (st == CY_OK)
        st = recommendation_add(c, a, now, id, text, rc.late, err);
    if (st == CY_OK)
        st = pilot_doc_json(app, c, a, &d, out, err);
    pilot_doc_free(&d);
    return store_tx_close(app->store, c, st, err);
}
