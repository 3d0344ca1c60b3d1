/*
 * warn.c — the read side of 原则上 limits: the waivers the ministry granted
 * a document (pilot_waivers_of) and the warnings of the limits it is past
 * (pilot_warnings_json), for its view and its submission. waiver.c grants
 * them. Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <stdio.h>
#include <string.h>

#include "app/pilot/internal.h"

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
