/*
 * waiver.c — 原则上 limits (每个申报主体牵头的方案总数原则上不超过5个): a
 * round marks a limit in_principle; a document past it is warned while it is
 * drafted and refused at submission until the ministry waives that limit for
 * it, with a reason, recorded here and in the audit log. The one place
 * pilot_waiver is read and written. Depends on core/, store/ and jansson;
 * never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

static const pilot_text_rule_t WAIVER_REASON = {
    "reason", 4000, "请写明同意超出限额的理由 / the reason for the waiver is required",
    "理由过长 / the reason is too long"};

cy_status_t
pilot_waivers_of(store_conn_t *c, const char *kind, int64_t doc_id, unsigned *bits, json_t **rows,
                 cy_error_t *err)
{
    static const pcol_t cols[] = {{"id", 'i'},         {"rule", 's'},       {"reason", 's'},
                                  {"granted_by", 's'}, {"created_at", 's'}, {NULL, 0}};
    json_t *list = json_array();
    store_param_t p[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id)};
    cy_status_t st = pilot_query_json(c,
                                      "SELECT w.id, w.rule, w.reason, o.name AS granted_by, "
                                      "w.created_at FROM pilot_waiver w JOIN organisation o ON "
                                      "o.id = w.granted_by_org_id WHERE w.kind = $1 AND w.doc_id = "
                                      "$2 ORDER BY w.id",
                                      p, 2, cols, list, err);
    size_t i;
    json_t *w;
    *bits = 0;
    json_array_foreach(list, i, w)
    {
        round_limit_t k;
        if (round_limit_parse(pf_str(w, "rule"), &k) == 0)
            *bits |= 1u << k;
    }
    if (rows != NULL)
        *rows = list;
    else
        json_decref(list);
    return st;
}

/* One warning of a 原则上 limit the document is past. */
static void
warn(json_t *out, round_limit_t k, int max, long long n, unsigned waived)
{
    char zh[256], en[256];
    static const char *const what_zh[ROUND_LIM_COUNT] = {
        [ROUND_LIM_JOINT_UNITS_MAX] = "联合申报单位",
        [ROUND_LIM_SCHEMES_PER_LEAD_MAX] = "本单位本轮牵头提交的服务方案",
        [ROUND_LIM_CASES_MAX] = "已有基础的真实案例"};
    static const char *const what_en[ROUND_LIM_COUNT] = {
        [ROUND_LIM_JOINT_UNITS_MAX] = "joint units",
        [ROUND_LIM_SCHEMES_PER_LEAD_MAX] = "schemes this lead submits this round",
        [ROUND_LIM_CASES_MAX] = "real cases"};
    int is_waived = (waived >> k) & 1;
    snprintf(zh, sizeof zh, "%s原则上不超过%d（当前%lld）%s", what_zh[k] ? what_zh[k] : "", max, n,
             is_waived ? "，工业和信息化部已同意超出" : "，提交前须经工业和信息化部同意");
    snprintf(en, sizeof en, "%s: at most %d in principle (%lld now)%s",
             what_en[k] ? what_en[k] : "", max, n,
             is_waived ? "; the ministry has waived it" : "; the ministry must waive it first");
    json_array_append_new(out, json_pack("{s:s, s:i, s:I, s:b, s:s, s:s}", "rule",
                                         round_limit_key(k), "limit", max, "n", (json_int_t)n,
                                         "waived", is_waived, "message_zh", zh, "message_en", en));
}

cy_status_t
pilot_warnings_json(store_conn_t *c, const pilot_doc_t *d, json_t **out, cy_error_t *err)
{
    *out = json_array();
    if (d->round == NULL)
        return CY_OK;
    const round_limits_t *l = round_limits(d->round, d->annex);
    long long joint = (long long)pf_len(d->form, "joint_units");
    long long cases = (long long)pf_len(json_object_get(d->form, "body"), "cases");
    if (d->annex != 2 && round_limit_exceeded_in_principle(l, ROUND_LIM_JOINT_UNITS_MAX, joint))
        warn(*out, ROUND_LIM_JOINT_UNITS_MAX, l->joint_units_max, joint, d->waived);
    if (d->annex == 1 && round_limit_exceeded_in_principle(l, ROUND_LIM_CASES_MAX, cases))
        warn(*out, ROUND_LIM_CASES_MAX, l->cases_max, cases, d->waived);
    if (d->annex != 1 || strcmp(d->status, "draft") != 0)
        return CY_OK;
    /* a draft of a lead that has submitted as many as the limit allows */
    int64_t already = 0;
    store_param_t q[] = {STORE_P_INT(d->owner), STORE_P_TEXT(d->round_id)};
    cy_status_t st = store_query_int(c,
                                     "SELECT COUNT(*) FROM pilot_scheme WHERE lead_org_id = $1 "
                                     "AND round_id = $2 AND status <> 'draft'",
                                     q, 2, &already, NULL, err);
    if (st == CY_OK &&
        round_limit_exceeded_in_principle(l, ROUND_LIM_SCHEMES_PER_LEAD_MAX, already + 1))
        warn(*out, ROUND_LIM_SCHEMES_PER_LEAD_MAX, l->schemes_per_lead_max, already + 1, d->waived);
    return st;
}

/* The rule can be waived for this document: a limit its round holds 原则上 for its annex. */
static cy_status_t
waiver_rule(const pilot_doc_t *d, const char *rule, round_limit_t *k, cy_error_t *err)
{
    if (d->round == NULL)
        return cy_error_set(err, CY_ECONFLICT, "round_unknown", "round_id",
                            "该方案所属轮次已不在数据文件中 / the document's round is no longer "
                            "in the data files");
    if (round_limit_parse(rule, k) != 0 ||
        !(round_limits(d->round, d->annex)->in_principle & (1u << *k)))
        return cy_error_set(err, CY_EINVAL, "waiver_not_applicable", "rule",
                            "本轮对该附件没有可以同意超出的“原则上”限额 %.40s / this round holds "
                            "no limit in principle called %.40s for this annex",
                            rule ? rule : "", rule ? rule : "");
    if ((d->waived >> *k) & 1)
        return cy_error_set(err, CY_ECONFLICT, "waiver_exists", "rule",
                            "已同意超出该限额 / this limit is already waived");
    if (!pilot_doc_editable(d))
        return cy_error_set(err, CY_ECONFLICT, "not_draft", "status",
                            "方案已提交，无需再同意超出限额 / the document has been submitted");
    return CY_OK;
}

static cy_status_t
waiver_insert(store_conn_t *c, const actor_t *a, int64_t now, const pilot_doc_t *d, round_limit_t k,
              const char *reason, cy_error_t *err)
{
    const pilot_kind_t *pk = pilot_kind(d->annex);
    char ts[32], id[24];
    int64_t wid = 0;
    utc_format_iso(now, ts);
    snprintf(id, sizeof id, "%" PRId64, d->id);
    store_param_t p[] = {STORE_P_TEXT(d->round_id), STORE_P_TEXT(pk->kind),
                         STORE_P_INT(d->id),        STORE_P_TEXT(round_limit_key(k)),
                         STORE_P_TEXT(reason),      STORE_P_INT(a->org_id),
                         STORE_P_INT(a->user_id),   STORE_P_TEXT(ts)};
    cy_status_t st = pilot_insert_once(c,
                                       "INSERT INTO pilot_waiver (round_id, kind, doc_id, rule, "
                                       "reason, granted_by_org_id, granted_by_user_id, created_at) "
                                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                                       p, 8, &wid, "waiver_exists", "rule",
                                       "已同意超出该限额 / this limit is already waived", err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "waiver.grant", pk->table, id, err,
                              "同意%s %" PRId64 " 超出“原则上”限额 %s，理由：%s / waived the limit "
                              "in principle %s for %s %" PRId64 ": %s",
                              pk->zh, d->id, round_limit_key(k), reason, round_limit_key(k), pk->en,
                              d->id, reason);
    return st;
}

cy_status_t
app_waiver_grant(app_t *app, const actor_t *a, int64_t now, int annex_kind, int64_t id,
                 const char *rule, const char *reason, json_t **out, cy_error_t *err)
{
    *out = NULL;
    const pilot_kind_t *k = annex_kind == 1 ? &pilot_scheme_kind : &pilot_plan_kind;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d;
    round_limit_t lim = ROUND_LIM_COUNT;
    st = pilot_doc_load(app, c, a, k, id, &d, err);
    if (st == CY_OK)
        st = pilot_need(a, ACT_WAIVER_GRANT, err);
    if (st == CY_OK)
        st = waiver_rule(&d, rule, &lim, err);
    if (st == CY_OK)
        st = pilot_text_check(reason, &WAIVER_REASON, err);
    if (st == CY_OK)
        st = waiver_insert(c, a, now, &d, lim, pilot_text_trim(reason), err);
    if (st == CY_OK) {
        d.waived |= 1u << lim;
        st = pilot_doc_json(app, c, a, &d, out, err);
    }
    pilot_doc_free(&d);
    return store_tx_close(app->store, c, st, err);
}
