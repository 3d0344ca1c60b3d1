/*
 * quote.c — quotes (DOMAIN.md §6): an application priced by uw_price
 * (core/rating's frequency × severity through core/pricing) and judged by
 * the underwriting rules; stored with its breakdown and decision (quoted,
 * referred, declined) by apply.c, or answered indicatively without storing
 * anything; and the referral queue's decisions. Binding is bind.c's, the
 * bulk quote bulk.c's. Each write is one transaction with its audit entry.
 * Depends on core/, store/; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/engage/engage.h"
#include "app/uw/internal.h"
#include "core/bjtime.h"

/* ---------- what every application states ---------- */

static cy_status_t
coverages_of(const uw_quote_in_t *in, uint32_t *covered, cy_error_t *err)
{
    *covered = 0;
    if (!in->has_coverages)
        return CY_OK;
    if (in->n_coverages == 0)
        return cy_error_set(err, CY_EINVAL, "coverages_invalid", "coverages",
                            "请至少选择一个险种 / choose at least one coverage");
    for (size_t i = 0; i < in->n_coverages; i++) {
        const uw_value_t *v = &in->coverages[i];
        int c = v->kind == UW_STRING ? cov_find(v->s) : -1;
        if (c < 0)
            return cy_error_set(err, CY_EINVAL, "coverage_unknown", "coverages",
                                "第 %zu 个险种不是通知所列的险种，请从列表中选择 / coverage %zu "
                                "is not one of the notice's: choose from the list",
                                i + 1, i + 1);
        *covered |= 1u << c;
    }
    return CY_OK;
}

/* The pricing facts of an application; industry defaults to the insured's. */
static cy_status_t
facts_of(const app_t *app, const uw_quote_in_t *in, const char *default_industry, uw_apply_t *ap,
         cy_error_t *err)
{
    cy_status_t st = uw_int_check(in->revenue, "revenue", -TERMS_AMOUNT_MAX, TERMS_AMOUNT_MAX, err);
    if (st != CY_OK)
        return st;
    if (in->revenue <= 0)
        return cy_error_set(err, CY_EINVAL, "revenue_invalid", "revenue",
                            "年营业收入应大于 0 / the annual revenue must be above 0");
    ap->revenue = in->revenue;
    if ((st = uw_text_check(in->industry, "industry", 8, 0, err)) != CY_OK)
        return st;
    const char *industry = in->industry ? in->industry : default_industry;
    if (industry == NULL || !industry[0])
        return cy_error_set(err, CY_EINVAL, "missing_field", "industry",
                            "请选择行业（GB/T 4754 门类或大类） / choose the industry (a GB/T "
                            "4754 section or division)");
    if ((st = uw_industry_section(app, industry, "industry", &ap->section, err)) != CY_OK)
        return st;
    const uw_opt_int_t *m = &in->gross_margin_bp;
    if (m->given && (st = uw_int_check(m->v, "gross_margin_bp", 0, 10000, err)) != CY_OK)
        return st;
    ap->margin_bp = m->given ? (int)m->v : -1;
    if ((st = uw_int_check(in->aggregate_limit, "aggregate_limit", -TERMS_AMOUNT_MAX,
                           TERMS_AMOUNT_MAX, err)) != CY_OK ||
        (st = uw_int_check(in->retention, "retention", 0, TERMS_AMOUNT_MAX, err)) != CY_OK ||
        (st = terms_layer_check(in->aggregate_limit, in->retention, "aggregate_limit", err)) !=
            CY_OK)
        return st;
    ap->limit = in->aggregate_limit;
    ap->retention = in->retention;
    return coverages_of(in, &ap->covered, err);
}

static cy_status_t
ids_of(const uw_quote_in_t *in, uw_apply_t *ap, cy_error_t *err)
{
    cy_status_t st = uw_int_check(in->product_id, "product_id", 1, INT64_MAX, err);
    if (st == CY_OK && in->assessment_id.given)
        st = uw_int_check(in->assessment_id.v, "assessment_id", 1, INT64_MAX, err);
    ap->product_id = in->product_id;
    ap->assessment_id = in->assessment_id.given ? in->assessment_id.v : 0;
    return st;
}

/* ---------- applying ---------- */

/* Who is insured: the enterprise itself, or the enterprise of the service org's assessment. */
static cy_status_t
insured_of(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const uw_quote_in_t *in,
           uw_apply_t *ap, cy_error_t *err)
{
    const uw_opt_int_t *org = &in->org_id;
    cy_status_t st;
    if (a->org_type == ORG_ENTERPRISE) {
        if (org->given && (st = uw_int_check(org->v, "org_id", 1, INT64_MAX, err)) != CY_OK)
            return st;
        if (org->given && org->v != a->org_id)
            return cy_error_set(err, CY_EFORBIDDEN, "forbidden", "org_id",
                                "企业只能为本企业申请报价 / an enterprise applies only for itself");
        ap->insured_org_id = a->org_id;
        return ap->assessment_id == 0 ? uw_assess_latest(c, a->org_id, &ap->assessment_id, err)
                                      : CY_OK;
    }
    if (ap->assessment_id == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "assessment_id",
                            "服务机构代企业申请报价，请选择为该企业所做的风险评估 / a service "
                            "organisation applies with the risk assessment it made for the "
                            "enterprise");
    uw_assess_t *as = calloc(1, sizeof *as);
    st = as ? uw_assess_for(app, c, a, ap->assessment_id, now, as, err) : cy_error_no_memory(err);
    if (st == CY_OK)
        ap->insured_org_id = as->v.org_id;
    uw_assess_free(as);
    free(as);
    if (st == CY_OK && org->given)
        st = uw_int_check(org->v, "org_id", 1, INT64_MAX, err);
    if (st == CY_OK && org->given && org->v != ap->insured_org_id)
        st = cy_error_set(err, CY_EINVAL, "assessment_other_org", "org_id",
                          "所选企业不是风险评估的企业，请重新选择 / the enterprise chosen is "
                          "not the one the risk assessment is of: choose again");
    /* a service organisation applies for an enterprise only while engaged for quotes */
    if (st == CY_OK && !a->cli)
        st = engage_require(app, c, a, ap->insured_org_id, "quotes", now, err);
    return st;
}

/* The start date: tomorrow by default, from today to the data's window ahead. */
static cy_status_t
start_of(const app_t *app, const uw_quote_in_t *in, int64_t now, uw_apply_t *ap, cy_error_t *err)
{
    int y, m, d;
    int64_t today = uw_today(now);
    cy_status_t st = uw_text_check(in->start_date, "start_date", 10, 0, err);
    if (st != CY_OK)
        return st;
    if (in->start_date == NULL) {
        bjtime_format_date(today + 86400 + 3600, ap->start_date);
        return CY_OK;
    }
    if ((st = uw_date_parse(in->start_date, "start_date", &y, &m, &d, err)) != CY_OK)
        return st;
    int64_t s = uw_midnight(y, m, d);
    int within = app->uw->params.start_within_days;
    if (s < today || s > today + (int64_t)within * 86400)
        return cy_error_set(err, CY_EINVAL, "start_date_invalid", "start_date",
                            "起保日期请选今天到 %d 天之后的一天 / choose a start date from today "
                            "to %d days ahead",
                            within, within);
    uw_copy(ap->start_date, sizeof ap->start_date, in->start_date);
    return CY_OK;
}

/* The application in, from the caller: everything uw_quote_apply needs. */
static cy_status_t
application_of(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const uw_quote_in_t *in,
               uw_apply_t *ap, cy_error_t *err)
{
    memset(ap, 0, sizeof *ap);
    cy_status_t st = ids_of(in, ap, err);
    if (st != CY_OK)
        return st;
    if (in->grade != NULL)
        return cy_error_set(
            err, CY_EINVAL, "grade_from_assessment", "grade",
            "正式报价的风险等级来自已提交的风险评估，不能自填；试算请用 indicative / "
            "a quote's grade comes from its submitted assessment; use indicative "
            "to try a grade");
    uw_org_t insured;
    int found = 0;
    if ((st = insured_of(app, c, a, now, in, ap, err)) != CY_OK ||
        (st = uw_org_read(c, ap->insured_org_id, &insured, &found, err)) != CY_OK ||
        (st = facts_of(app, in, insured.industry, ap, err)) != CY_OK)
        return st;
    if (found)
        uw_copy(ap->insured_name, sizeof ap->insured_name, insured.name);
    return start_of(app, in, now, ap, err);
}

cy_status_t
app_uw_quote_apply(app_t *app, const actor_t *a, int64_t now, const uw_quote_in_t *in,
                   uw_quote_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!uw_may(a, ACT_QUOTE_APPLY) || a->org_id <= 0)
        return app_forbidden(err, ACT_QUOTE_APPLY);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    uw_apply_t ap;
    st = application_of(app, c, a, now, in, &ap, err);
    if (st == CY_OK)
        st = uw_quote_apply(app, c, a, now, &ap, out, err);
    return store_tx_close(app->store, c, st, err);
}

/* ---------- an indicative price ---------- */

/* What an indicative price reads: the product, the assessment if named, the caller's industry. */
static cy_status_t
indicative_reads(app_t *app, const actor_t *a, int64_t now, const uw_apply_t *ap, uw_product_t *p,
                 uw_assess_t *as, int *have_as, char industry[8], cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    /* an insurer may try its own draft before filing it */
    st = uw_product_to_price(app, c, a, ap->product_id, 1, p, err);
    *have_as = st == CY_OK && ap->assessment_id > 0;
    if (*have_as)
        st = uw_assess_for(app, c, a, ap->assessment_id, now, as, err);
    if (st == CY_OK && *have_as && strcmp(as->v.status, "submitted") != 0)
        st = cy_error_set(err, CY_EINVAL, "assessment_not_submitted", "assessment_id",
                          "风险评估 %" PRId64 " 尚未提交 / assessment %" PRId64
                          " is not submitted yet",
                          ap->assessment_id, ap->assessment_id);
    uw_org_t o;
    int found = 0;
    industry[0] = '\0';
    if (st == CY_OK && a->org_type == ORG_ENTERPRISE &&
        (st = uw_org_read(c, a->org_id, &o, &found, err)) == CY_OK)
        uw_copy(industry, 8, o.industry);
    store_release(app->store, c);
    return st;
}

static void
indicative_of(const uw_product_t *p, const uw_price_req_t *rq, const uw_price_res_t *res,
              uw_indicative_t *out)
{
    out->decision = uwr_decision_name(res->outcome.decision);
    out->product_id = p->id;
    uw_copy(out->product_name, sizeof out->product_name, p->name);
    out->product_version = p->version;
    out->section = rq->section;
    out->grade = rq->grade;
    out->revenue = rq->revenue;
    out->limit = rq->limit;
    out->retention = rq->retention;
    out->pure = res->price.pure;
    out->gross = res->price.gross;
    out->premium = res->price.premium;
}

/* The facts of an indicative price, priced: the grade as sent, else the assessment's. */
static cy_status_t
price_indicative(app_t *app, int64_t now, const uw_quote_in_t *in, const char *industry,
                 uw_apply_t *ap, const uw_product_t *p, const uw_assess_t *as, uw_indicative_t *out,
                 cy_error_t *err)
{
    const uw_data_t *d = app->uw;
    cy_status_t st = facts_of(app, in, industry[0] ? industry : NULL, ap, err);
    if (st != CY_OK)
        return st;
    uw_price_req_t rq = {.section = ap->section,
                         .revenue = ap->revenue,
                         .gross_margin = ap->margin_bp >= 0 ? ap->margin_bp / 10000.0 : -1.0,
                         .grade = in->grade           ? in->grade[0]
                                  : as && as->v.grade ? as->v.grade
                                                      : d->params.unassessed_grade,
                         .limit = ap->limit,
                         .retention = ap->retention,
                         .covered = ap->covered,
                         .assessment = as,
                         .now = now};
    uw_price_res_t res;
    if ((st = uw_price(d, p, &rq, &res, err)) != CY_OK)
        return st;
    indicative_of(p, &rq, &res, out);
    out->breakdown = uw_breakdown_text(d, p, &rq, &res, 15);
    return out->breakdown ? CY_OK : cy_error_no_memory(err);
}

cy_status_t
app_uw_quote_price(app_t *app, const actor_t *a, int64_t now, const uw_quote_in_t *in,
                   uw_indicative_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!uw_may(a, ACT_QUOTE_PRICE))
        return app_forbidden(err, ACT_QUOTE_PRICE);
    if (in->start_date || in->org_id.given)
        return cy_error_set(err, CY_EINVAL, "not_indicative",
                            in->org_id.given ? "org_id" : "start_date",
                            "试算不针对具体企业：不填企业和起保日期 / a trial price is for no "
                            "particular enterprise: leave out the enterprise and the start date");
    uw_apply_t ap = {0};
    cy_status_t st = ids_of(in, &ap, err);
    if (st == CY_OK)
        st = uw_text_check(in->grade, "grade", 1, 0, err);
    if (st == CY_OK && in->grade && (in->grade[0] < 'A' || in->grade[0] > 'E'))
        st = cy_error_set(err, CY_EINVAL, "grade_invalid", "grade",
                          "风险等级应为 A–E / the risk grade must be A–E");
    uw_product_t *p = malloc(sizeof *p);
    uw_assess_t *as = calloc(1, sizeof *as);
    if (st == CY_OK && (p == NULL || as == NULL))
        st = cy_error_no_memory(err);
    int have_as = 0;
    char industry[8] = "";
    if (st == CY_OK)
        st = indicative_reads(app, a, now, &ap, p, as, &have_as, industry, err);
    if (st == CY_OK)
        st = price_indicative(app, now, in, industry, &ap, p, have_as ? as : NULL, out, err);
    if (st != CY_OK)
        uw_indicative_free(out);
    uw_assess_free(as);
    free(as);
    free(p);
    return st;
}

void
uw_indicative_free(uw_indicative_t *q)
{
    free(q->breakdown);
    q->breakdown = NULL;
}

/* ---------- reading ---------- */

cy_status_t
app_uw_quote_get(app_t *app, const actor_t *a, int64_t now, int64_t id, uw_quote_t *q,
                 cy_error_t *err)
{
    store_conn_t *c;
    memset(q, 0, sizeof *q);
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0, visible = 0;
    st = uw_quote_read(c, id, q, &found, err);
    if (st == CY_OK && found)
        st = uw_quote_seen(c, a, q, now, &visible, err);
    store_release(app->store, c);
    if (st == CY_OK && (!found || !visible))
        st = app_not_found(err, "报价", "quote", id);
    if (st == CY_OK && !uw_may(a, ACT_QUOTE_READ))
        st = app_forbidden(err, ACT_QUOTE_READ);
    if (st == CY_OK)
        uw_quote_at(q, a, now);
    else
        uw_quote_free(q);
    return st;
}

cy_status_t
app_uw_quote_list(app_t *app, const actor_t *a, int64_t now, const char *status,
                  const app_page_t *pg, uw_quote_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!uw_may(a, ACT_QUOTE_READ))
        return app_forbidden(err, ACT_QUOTE_READ);
    if (status != NULL && strcmp(status, "quoted") && strcmp(status, "referred") &&
        strcmp(status, "approved") && strcmp(status, "declined") && strcmp(status, "bound"))
        return cy_error_set(
            err, CY_EBADREQ, "status_invalid", "status",
            "status 应为 quoted、referred、approved、declined 或 bound / status must "
            "be quoted, referred, approved, declined or bound");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = uw_quote_list_read(c, uw_scope_at(a, now), status, pg, out, err);
    store_release(app->store, c);
    for (size_t i = 0; i < out->n; i++)
        uw_quote_at(&out->items[i], a, now);
    if (st != CY_OK)
        uw_quote_list_free(out);
    return st;
}

void
uw_quote_list_free(uw_quote_list_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        uw_quote_free(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* ---------- referral decisions ---------- */

/* The quote for an underwriter's decision: visible (404), its insurer's (403), referred (409). */
static cy_status_t
referred_quote(store_conn_t *c, const actor_t *a, int64_t id, uw_quote_t *q, cy_error_t *err)
{
    int found = 0;
    cy_status_t st = uw_quote_read(c, id, q, &found, err);
    if (st == CY_OK && (!found || !uw_quote_visible(a, q)))
        st = app_not_found(err, "报价", "quote", id);
    if (st == CY_OK && !uw_quote_may(a, q, ACT_REFERRAL_DECIDE))
        st = app_forbidden(err, ACT_REFERRAL_DECIDE);
    if (st == CY_OK && strcmp(q->status, "referred") != 0)
        st = cy_error_set(err, CY_ECONFLICT, "quote_not_referred", "status",
                          "报价 %" PRId64 " 已不在等待人工核保 / quote %" PRId64
                          " is no longer awaiting an underwriter",
                          q->id, q->id);
    return st;
}

static cy_status_t
decide(store_conn_t *c, const actor_t *a, int64_t now, const uw_referral_in_t *in, uw_quote_t *q,
       cy_error_t *err)
{
    cy_status_t st = uw_text_check(in->decision, "decision", 16, 1, err);
    if (st == CY_OK && strcmp(in->decision, "approve") != 0 && strcmp(in->decision, "decline") != 0)
        st = cy_error_set(err, CY_EINVAL, "decision_invalid", "decision",
                          "请选择“同意承保”或“拒保” / choose approve or decline");
    if (st == CY_OK)
        st = uw_text_check(in->note, "note", 2000, 1, err);
    if (st != CY_OK)
        return st;
    int approve = !strcmp(in->decision, "approve");
    uw_copy(q->status, sizeof q->status, approve ? "approved" : "declined");
    uw_copy(q->referral_note, sizeof q->referral_note, in->note);
    q->referral_by = a->user_id;
    utc_format_iso(now, q->referral_at);
    utc_format_iso(now, q->updated_at);
    char id[24];
    if ((st = uw_quote_set_referral(c, q, err)) != CY_OK)
        return st;
    return app_audit_append(c, a, now, "quote.referral", "quote", uw_id_text(q->id, id), err,
                            "人工核保：%s报价 %" PRId64 " / referral: %s quote %" PRId64,
                            approve ? "同意" : "拒绝", q->id, approve ? "approved" : "declined",
                            q->id);
}

cy_status_t
app_uw_quote_referral(app_t *app, const actor_t *a, int64_t now, int64_t id,
                      const uw_referral_in_t *in, uw_quote_t *q, cy_error_t *err)
{
    store_conn_t *c;
    memset(q, 0, sizeof *q);
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = referred_quote(c, a, id, q, err);
    if (st == CY_OK)
        st = decide(c, a, now, in, q, err);
    st = store_tx_close(app->store, c, st, err);
    if (st == CY_OK)
        uw_quote_at(q, a, now);
    else
        uw_quote_free(q);
    return st;
}
