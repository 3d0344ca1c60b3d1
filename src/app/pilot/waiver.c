/*
 * waiver.c — 原则上 limits (每个申报主体牵头的方案总数原则上不超过5个): a
 * round marks a limit in_principle; a document past it is warned while it is
 * drafted and refused at submission until the ministry waives that limit for
 * it, with a reason, recorded here and in the audit log: the one place
 * pilot_waiver is written (warn.c reads it). Depends on core/, store/ and
 * jansson; never http/ or cli/.
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
