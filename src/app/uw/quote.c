/*
 * uw_quote.c — quotes (DOMAIN.md §6): an application priced by uw_price
 * (core/rating's frequency × severity through core/pricing) and judged by
 * the underwriting rules; stored with its breakdown and decision (quoted,
 * referred, declined), or answered indicatively without storing anything;
 * the referral queue's decisions; binding into a policy with its number and
 * schedule; and the bulk quote of a CSV through the same uw_price. Each
 * write is one transaction with its audit entry. Depends on core/, store/
 * and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/uw/uw.h"
#include "app/uw/internal.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "core/csv.h"
#include "core/money.h"

/* ---------- loading and rendering ---------- */

#define QUOTE_COLS                                                                                 \
    "q.id, q.product_id, q.insured_org_id, q.requested_by_org_id, q.requested_by_user_id, "        \
    "q.assessment_id, q.renewal_of, p.insurer_org_id, p.name, p.version, io.name, o.name, "        \
    "q.status, q.decision, q.industry_section, q.revenue, q.gross_margin_bp, q.grade, "            \
    "q.aggregate_limit, q.retention, q.bi_waiting_hours, q.claim_free_years, q.credit_bp, "        \
    "q.pure_premium, q.gross_premium, q.premium, q.rating_model, q.rules_version, q.breakdown, "   \
    "q.start_date, q.valid_until, q.referral_note, q.referral_by_user_id, q.referral_at, "         \
    "q.created_at, q.updated_at, (SELECT id FROM uw_policy WHERE quote_id = q.id), (SELECT "       \
    "policy_no FROM uw_policy WHERE quote_id = q.id)"

void
uw_quote_free(uw_quote_rec_t *q)
{
    if (q != NULL) {
        json_decref(q->breakdown);
        q->breakdown = NULL;
    }
}

cy_status_t
uw_quote_load(store_conn_t *c, int64_t id, uw_quote_rec_t *q, int *found, cy_error_t *err)
{
    memset(q, 0, sizeof *q);
    *found = 0;
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st =
        store_query(c,
                    "SELECT " QUOTE_COLS " FROM uw_quote q JOIN uw_product p ON p.id = "
                    "q.product_id JOIN organisation io ON io.id = p.insurer_org_id "
                    "JOIN organisation o ON o.id = q.insured_org_id WHERE q.id = $1",
                    p, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        *found = 1;
        q->id = store_rows_int(r, 0);
        q->product_id = store_rows_int(r, 1);
        q->insured_org_id = store_rows_int(r, 2);
        q->requested_by_org_id = store_rows_int(r, 3);
        q->requested_by_user_id = store_rows_int(r, 4);
        q->assessment_id = store_rows_int(r, 5);
        q->renewal_of = store_rows_int(r, 6);
        q->insurer_org_id = store_rows_int(r, 7);
        store_rows_copy(r, 8, q->product_name, sizeof q->product_name);
        q->product_version = (int)store_rows_int(r, 9);
        store_rows_copy(r, 10, q->insurer_name, sizeof q->insurer_name);
        store_rows_copy(r, 11, q->insured_name, sizeof q->insured_name);
        store_rows_copy(r, 12, q->status, sizeof q->status);
        store_rows_copy(r, 13, q->decision, sizeof q->decision);
        const char *s = store_rows_text(r, 14);
        q->section = s && s[0] ? s[0] : 'A';
        q->revenue = store_rows_int(r, 15);
        q->margin_bp = store_rows_isnull(r, 16) ? -1 : (int)store_rows_int(r, 16);
        const char *g = store_rows_text(r, 17);
        q->grade = g && g[0] ? g[0] : 'E';
        q->limit = store_rows_int(r, 18);
        q->retention = store_rows_int(r, 19);
        q->bi_waiting_hours = (int)store_rows_int(r, 20);
        q->claim_free_years = (int)store_rows_int(r, 21);
        q->credit_bp = (int)store_rows_int(r, 22);
        q->pure = store_rows_int(r, 23);
        q->gross = store_rows_int(r, 24);
        q->premium = store_rows_int(r, 25);
        store_rows_copy(r, 26, q->rating_model, sizeof q->rating_model);
        store_rows_copy(r, 27, q->rules_version, sizeof q->rules_version);
        const char *b = store_rows_text(r, 28);
        q->breakdown = json_loads(b ? b : "{}", 0, NULL);
        store_rows_copy(r, 29, q->start_date, sizeof q->start_date);
        store_rows_copy(r, 30, q->valid_until, sizeof q->valid_until);
        store_rows_copy(r, 31, q->referral_note, sizeof q->referral_note);
        q->referral_by = store_rows_int(r, 32);
        store_rows_copy(r, 33, q->referral_at, sizeof q->referral_at);
        store_rows_copy(r, 34, q->created_at, sizeof q->created_at);
        store_rows_copy(r, 35, q->updated_at, sizeof q->updated_at);
        q->policy_id = store_rows_int(r, 36);
        store_rows_copy(r, 37, q->policy_no, sizeof q->policy_no);
    } else if (k < 0) {
        st = err->status;
    }
    store_rows_free(r);
    if (st != CY_OK || !*found)
        return st;
    st = store_query(c,
                     "SELECT coverage, sublimit, share_bp, pure_premium FROM uw_quote_coverage "
                     "WHERE quote_id = $1",
                     p, 1, &r, err);
    if (st != CY_OK)
        return st;
    while ((k = store_rows_next(r, err)) == 1) {
        int cv = cov_find(store_rows_text(r, 0));
        if (cv < 0)
            continue;
        q->covered |= 1u << cv;
        q->sublimit[cv] = store_rows_int(r, 1);
        q->share_bp[cv] = (int)store_rows_int(r, 2);
        q->pure_cov[cv] = store_rows_int(r, 3);
    }
    if (k < 0)
        st = err->status;
    store_rows_free(r);
    return st;
}

int
uw_quote_visible(const actor_t *a, const uw_quote_rec_t *q)
{
    return uw_sees_all(a) || q->insured_org_id == a->org_id ||
           q->requested_by_org_id == a->org_id || q->insurer_org_id == a->org_id;
}

static int
quote_expired(const uw_quote_rec_t *q, int64_t now)
{
    int64_t until = app_iso_to_time(q->valid_until);
    return until < 0 || now > until;
}

json_t *
uw_quote_json(const uw_quote_rec_t *q)
{
    int64_t now = app_now();
    int expired = quote_expired(q, now);
    int bindable = (!strcmp(q->status, "quoted") || !strcmp(q->status, "approved")) && !expired;
    char sec[2] = {q->section, '\0'}, grade[2] = {q->grade, '\0'};
    json_t *referral = json_null();
    if (q->referral_at[0])
        referral = json_pack("{s:s, s:I, s:s}", "note", q->referral_note, "by_user_id",
                             (json_int_t)q->referral_by, "at", q->referral_at);
    return json_pack(
        "{s:I, s:b, s:s, s:s, s:{s:I, s:s, s:i, s:I, s:s}, s:{s:I, s:s}, s:I, s:o, s:o, s:s, "
        "s:I, s:o, s:s, s:I, s:I, s:i, s:i, s:I, s:I, s:I, s:s, s:s, s:b, s:b, s:o, s:o, s:o, "
        "s:O, s:s, s:s}",
        "id", (json_int_t)q->id, "indicative", 0, "status", q->status, "decision", q->decision,
        "product", "id", (json_int_t)q->product_id, "name", q->product_name, "version",
        q->product_version, "insurer_org_id", (json_int_t)q->insurer_org_id, "insurer_name",
        q->insurer_name, "insured", "org_id", (json_int_t)q->insured_org_id, "name",
        q->insured_name, "requested_by_org_id", (json_int_t)q->requested_by_org_id, "assessment_id",
        q->assessment_id ? json_integer(q->assessment_id) : json_null(), "renewal_of",
        q->renewal_of ? json_integer(q->renewal_of) : json_null(), "industry_section", sec,
        "revenue", (json_int_t)q->revenue, "gross_margin_bp",
        q->margin_bp >= 0 ? json_integer(q->margin_bp) : json_null(), "grade", grade,
        "aggregate_limit", (json_int_t)q->limit, "retention", (json_int_t)q->retention,
        "bi_waiting_hours", q->bi_waiting_hours, "claim_free_years", q->claim_free_years,
        "pure_premium", (json_int_t)q->pure, "gross_premium", (json_int_t)q->gross, "premium",
        (json_int_t)q->premium, "start_date", q->start_date, "valid_until", q->valid_until,
        "expired", expired, "bindable", bindable, "referral", referral, "policy_id",
        q->policy_id ? json_integer(q->policy_id) : json_null(), "policy_no",
        q->policy_no[0] ? json_string(q->policy_no) : json_null(), "breakdown",
        q->breakdown ? q->breakdown : json_object(), "created_at", q->created_at, "updated_at",
        q->updated_at);
}

static cy_status_t
quote_json_load(store_conn_t *c, int64_t id, json_t **out, cy_error_t *err)
{
    uw_quote_rec_t *q = malloc(sizeof *q);
    if (q == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    int found = 0;
    cy_status_t st = uw_quote_load(c, id, q, &found, err);
    if (st == CY_OK && !found)
        st = app_not_found(err, "报价", "quote", id);
    if (st == CY_OK)
        *out = uw_quote_json(q);
    uw_quote_free(q);
    free(q);
    return st;
}

/* ---------- applying and storing ---------- */

/* The latest submitted assessment of org (0 when none). */
static cy_status_t
latest_assessment(store_conn_t *c, int64_t org, int64_t *id, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(org)};
    int found = 0;
    *id = 0;
    cy_status_t st = store_query_int(c,
                                     "SELECT MAX(id) FROM uw_assessment WHERE org_id = $1 AND "
                                     "status = 'submitted'",
                                     p, 1, id, &found, err);
    if (!found)
        *id = 0;
    return st;
}

cy_status_t
uw_quote_store(app_t *app, store_conn_t *c, const actor_t *a, const uw_apply_t *ap,
               int64_t *quote_id, cy_error_t *err)
{
    const uw_data_t *d = app->uw;
    uw_product_rec_t *p = malloc(sizeof *p);
    uw_assess_rec_t *as = calloc(1, sizeof *as);
    if (p == NULL || as == NULL) {
        free(p);
        free(as);
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    }
    int found = 0, have_as = 0;
    cy_status_t st = uw_product_load(app, c, ap->product_id, p, &found, err);
    if (st == CY_OK && (!found || !uw_product_visible(a, p)))
        st = cy_error_set(err, CY_ENOTFOUND, "not_found", "product_id",
                          "产品 %" PRId64 " 不存在 / product %" PRId64 " not found", ap->product_id,
                          ap->product_id);
    if (st == CY_OK && strcmp(p->status, "active") != 0)
        st = cy_error_set(err, CY_EINVAL, "product_not_on_sale", "product_id",
                          "产品“%s”第 %d 版不在销售中（%s） / version %d of product \"%s\" is not "
                          "on sale (%s)",
                          p->name, p->version, p->status, p->version, p->name, p->status);
    if (st == CY_OK && ap->assessment_id > 0) {
        st = uw_assess_load(app, c, ap->assessment_id, as, &found, err);
        have_as = st == CY_OK && found;
        int visible = 0;
        if (have_as)
            st = uw_assess_visible(c, a, as, &visible, err);
        if (st == CY_OK && (!have_as || !visible))
            st = cy_error_set(err, CY_ENOTFOUND, "not_found", "assessment_id",
                              "风险评估 %" PRId64 " 不存在 / assessment %" PRId64 " not found",
                              ap->assessment_id, ap->assessment_id);
        if (st == CY_OK && as->org_id != ap->insured_org_id)
            st = cy_error_set(err, CY_EINVAL, "assessment_other_org", "assessment_id",
                              "风险评估 %" PRId64 " 不是被保险企业的评估 / assessment %" PRId64
                              " is not of the insured enterprise",
                              ap->assessment_id, ap->assessment_id);
        if (st == CY_OK && strcmp(as->status, "submitted") != 0)
            st = cy_error_set(err, CY_EINVAL, "assessment_not_submitted", "assessment_id",
                              "风险评估 %" PRId64 " 尚未提交 / assessment %" PRId64
                              " is not submitted yet",
                              ap->assessment_id, ap->assessment_id);
    }
    uw_price_req_t rq = {.section = ap->section,
                         .revenue = ap->revenue,
                         .gross_margin = ap->margin_bp >= 0 ? ap->margin_bp / 10000.0 : -1.0,
                         .grade = have_as ? as->grade : d->params.unassessed_grade,
                         .limit = ap->limit,
                         .retention = ap->retention,
                         .covered = ap->covered,
                         .claim_free_years = ap->claim_free_years,
                         .assessment = have_as ? as : NULL,
                         .now = app_now()};
    uw_price_res_t res;
    if (st == CY_OK)
        st = uw_price(d, p, &rq, &res, err);
    json_t *bd = st == CY_OK ? uw_breakdown_json(d, p, &rq, &res) : NULL;
    char *bdt = bd ? json_dumps(bd, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
    if (st == CY_OK && bdt == NULL)
        st = cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    if (st == CY_OK) {
        uwr_decision_t dec = res.outcome.decision;
        const char *status = dec == UWR_DECLINE ? "declined"
                             : dec == UWR_REFER ? "referred"
                                                : "quoted";
        char now[32], until[32], sec[2] = {rq.section, '\0'}, grade[2] = {rq.grade, '\0'};
        app_now_iso(now);
        utc_format_iso(rq.now + (int64_t)d->params.quote_validity_days * 86400, until);
        store_param_t q[] = {
            STORE_P_INT(p->id),
            STORE_P_INT(ap->insured_org_id),
            STORE_P_INT(a->org_id),
            STORE_P_INT(a->user_id),
            have_as ? STORE_P_INT(as->id) : STORE_P_NULL,
            ap->renewal_of > 0 ? STORE_P_INT(ap->renewal_of) : STORE_P_NULL,
            STORE_P_TEXT(status),
            STORE_P_TEXT(uwr_decision_name(dec)),
            STORE_P_TEXT(sec),
            STORE_P_INT(rq.revenue),
            ap->margin_bp >= 0 ? STORE_P_INT(ap->margin_bp) : STORE_P_NULL,
            STORE_P_TEXT(grade),
            STORE_P_INT(rq.limit),
            STORE_P_INT(rq.retention),
            STORE_P_INT(p->bi_waiting_hours),
            STORE_P_INT(rq.claim_free_years),
            STORE_P_INT((int64_t)floor(res.price.credit * 10000.0 + 0.5)),
            STORE_P_INT(res.price.pure),
            STORE_P_INT(res.price.gross),
            STORE_P_INT(res.price.premium),
            STORE_P_TEXT(d->rating.version),
            STORE_P_TEXT(d->rules.version),
            STORE_P_TEXT(bdt),
            STORE_P_TEXT(ap->start_date),
            STORE_P_TEXT(until),
            STORE_P_TEXT(now),
        };
        st = uw_insert_id(c,
                          "INSERT INTO uw_quote (product_id, insured_org_id, requested_by_org_id, "
                          "requested_by_user_id, assessment_id, renewal_of, status, decision, "
                          "industry_section, revenue, gross_margin_bp, grade, aggregate_limit, "
                          "retention, bi_waiting_hours, claim_free_years, credit_bp, pure_premium, "
                          "gross_premium, premium, rating_model, rules_version, breakdown, "
                          "start_date, valid_until, created_at, updated_at) VALUES ($1, $2, $3, "
                          "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
                          "$19, $20, $21, $22, $23, $24, $25, $26, $26) RETURNING id",
                          q, 26, quote_id, err);
        for (int cv = 0; cv < COV_N && st == CY_OK; cv++) {
            if (!(res.terms.covered & (1u << cv)))
                continue;
            store_param_t qc[] = {STORE_P_INT(*quote_id), STORE_P_TEXT(cov_code(cv)),
                                  STORE_P_INT(res.terms.sublimit[cv]), STORE_P_INT(p->share_bp[cv]),
                                  STORE_P_INT(res.price.pure_cov[cv])};
            st =
                store_exec(c,
                           "INSERT INTO uw_quote_coverage (quote_id, coverage, sublimit, share_bp, "
                           "pure_premium) VALUES ($1, $2, $3, $4, $5)",
                           qc, 5, NULL, err);
        }
        char id[24], prem[MONEY_FORMAT_MAX], nm[96];
        snprintf(id, sizeof id, "%" PRId64, *quote_id);
        money_format(res.price.premium, prem, sizeof prem);
        uw_short(p->name, nm);
        if (st == CY_OK)
            st = app_audit_append(
                c, a, app_now(), ap->renewal_of > 0 ? "policy.renew" : "quote.create", "quote", id,
                err,
                "%s报价：产品“%s”，保费 %s，核保结论 %s / %s: product \"%s\", "
                "premium %s, decision %s",
                ap->renewal_of > 0 ? "续保" : "", nm, prem, uwr_decision_name(dec),
                ap->renewal_of > 0 ? "renewal quote" : "quote", nm, prem, uwr_decision_name(dec));
    }
    free(bdt);
    json_decref(bd);
    uw_assess_free(as);
    free(as);
    free(p);
    return st;
}

/* ---------- POST /quotes ---------- */

static const char *const QUOTE_KEYS[] = {
    "product_id", "indicative", "org_id",          "assessment_id",
    "industry",   "revenue",    "gross_margin_bp", "aggregate_limit",
    "retention",  "grade",      "coverages",       "start_date",
    NULL};

static cy_status_t
check_keys(json_t *body, const char *const *known, cy_error_t *err)
{
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val)
    {
        int ok = 0;
        for (size_t i = 0; known[i] && !ok; i++)
            ok = strcmp(known[i], key) == 0;
        if (!ok)
            return cy_error_set(err, CY_EINVAL, "unknown_field", key,
                                "未知字段 %s / unknown field %s", key, key);
    }
    return CY_OK;
}

static cy_status_t
coverages_from(json_t *body, uint32_t *covered, cy_error_t *err)
{
    json_t *cv = json_object_get(body, "coverages");
    *covered = 0;
    if (cv == NULL || json_is_null(cv))
        return CY_OK;
    if (!json_is_array(cv) || json_array_size(cv) == 0)
        return cy_error_set(
            err, CY_EINVAL, "coverages_invalid", "coverages",
            "coverages 应为险种代码的非空数组 / coverages must be a non-empty array "
            "of coverage codes");
    size_t i;
    json_t *v;
    json_array_foreach(cv, i, v)
    {
        int c = cov_find(json_string_value(v));
        if (c < 0)
            return cy_error_set(err, CY_EINVAL, "coverage_unknown", "coverages",
                                "coverages[%zu] 不是通知所列的险种 / coverages[%zu] is not one of "
                                "the notice's coverages",
                                i, i);
        *covered |= 1u << c;
    }
    return CY_OK;
}

/* Read the pricing facts every application states. */
static cy_status_t
facts_from(app_t *app, json_t *body, const char *default_industry, uw_apply_t *ap, cy_error_t *err)
{
    cy_status_t st;
    int present;
    const char *industry;
    if ((st = uw_jint(body, "revenue", -TERMS_AMOUNT_MAX, TERMS_AMOUNT_MAX, 1, &present,
                      &ap->revenue, err)) != CY_OK)
        return st;
    if (ap->revenue <= 0)
        return cy_error_set(err, CY_EINVAL, "revenue_invalid", "revenue",
                            "年营业收入（分）应大于 0 / annual revenue (fen) must be above 0");
    if ((st = uw_jtext(body, "industry", 8, 0, &industry, err)) != CY_OK)
        return st;
    if (industry == NULL)
        industry = default_industry;
    if (industry == NULL || !industry[0])
        return cy_error_set(err, CY_EINVAL, "missing_field", "industry",
                            "请给出行业 industry（GB/T 4754 门类或大类） / industry is required (a "
                            "GB/T 4754 section or division)");
    if ((st = uw_industry_section(app, industry, "industry", &ap->section, err)) != CY_OK)
        return st;
    int64_t m = -1;
    if ((st = uw_jint(body, "gross_margin_bp", 0, 10000, 0, &present, &m, err)) != CY_OK)
        return st;
    ap->margin_bp = present ? (int)m : -1;
    if ((st = uw_jint(body, "aggregate_limit", -TERMS_AMOUNT_MAX, TERMS_AMOUNT_MAX, 1, &present,
                      &ap->limit, err)) != CY_OK ||
        (st = uw_jint(body, "retention", 0, TERMS_AMOUNT_MAX, 1, &present, &ap->retention, err)) !=
            CY_OK)
        return st;
    if (ap->limit <= ap->retention) {
        char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
        money_format(ap->limit, a, sizeof a);
        money_format(ap->retention, b, sizeof b);
        return cy_error_set(
            err, CY_EINVAL, "limit_below_retention", "aggregate_limit",
            "累计赔偿限额（%s）应高于免赔额（%s） / the aggregate limit (%s) must be "
            "above the retention (%s)",
            a, b, a, b);
    }
    return coverages_from(body, &ap->covered, err);
}

/* The org's GB/T 4754 code (division if known, else section) into buf. */
static cy_status_t
org_industry(store_conn_t *c, int64_t org, char *buf, size_t cap, char *type, size_t tcap,
             cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(org)};
    store_rows_t *r;
    buf[0] = type[0] = '\0';
    cy_status_t st = store_query(c,
                                 "SELECT industry_division, industry_section, type FROM "
                                 "organisation WHERE id = $1",
                                 p, 1, &r, err);
    if (st != CY_OK)
        return st;
    if (store_rows_next(r, err) == 1) {
        const char *dv = store_rows_text(r, 0), *sc = store_rows_text(r, 1);
        uw_copy(buf, cap, dv && dv[0] ? dv : sc);
        uw_copy(type, tcap, store_rows_text(r, 2));
    }
    store_rows_free(r);
    return CY_OK;
}

typedef struct {
    app_t *app;
    const actor_t *a;
    json_t *body;
    json_t *out;
} apply_tx_t;

static cy_status_t
apply_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    apply_tx_t *t = arg;
    const actor_t *a = t->a;
    uw_apply_t ap = {0};
    int present;
    int64_t v;
    cy_status_t st;
    if ((st = uw_jint(t->body, "product_id", 1, INT64_MAX, 1, &present, &ap.product_id, err)) !=
            CY_OK ||
        (st = uw_jint(t->body, "assessment_id", 1, INT64_MAX, 0, &present, &ap.assessment_id,
                      err)) != CY_OK)
        return st;
    if (json_object_get(t->body, "grade") != NULL)
        return cy_error_set(
            err, CY_EINVAL, "grade_from_assessment", "grade",
            "正式报价的风险等级来自已提交的风险评估，不能自填；试算请用 indicative / "
            "a quote's grade comes from its submitted assessment; use indicative "
            "to try a grade");
    /* who is insured: the enterprise itself, or the enterprise of the service org's assessment */
    if (a->org_type == ORG_ENTERPRISE) {
        if ((st = uw_jint(t->body, "org_id", 1, INT64_MAX, 0, &present, &v, err)) != CY_OK)
            return st;
        if (present && v != a->org_id)
            return cy_error_set(err, CY_EFORBIDDEN, "forbidden", "org_id",
                                "企业只能为本企业申请报价 / an enterprise applies only for itself");
        ap.insured_org_id = a->org_id;
        if (ap.assessment_id == 0 &&
            (st = latest_assessment(c, a->org_id, &ap.assessment_id, err)) != CY_OK)
            return st;
    } else {
        if (ap.assessment_id == 0)
            return cy_error_set(err, CY_EINVAL, "missing_field", "assessment_id",
                                "服务机构代为申请报价须给出其所做的风险评估 assessment_id / a "
                                "service organisation applies with the assessment_id it made");
        uw_assess_rec_t *as = calloc(1, sizeof *as);
        if (as == NULL)
            return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
        int found = 0, visible = 0;
        st = uw_assess_load(t->app, c, ap.assessment_id, as, &found, err);
        if (st == CY_OK && found)
            st = uw_assess_visible(c, a, as, &visible, err);
        if (st == CY_OK && (!found || !visible))
            st = cy_error_set(err, CY_ENOTFOUND, "not_found", "assessment_id",
                              "风险评估 %" PRId64 " 不存在 / assessment %" PRId64 " not found",
                              ap.assessment_id, ap.assessment_id);
        ap.insured_org_id = as->org_id;
        uw_assess_free(as);
        free(as);
        if (st != CY_OK)
            return st;
        if ((st = uw_jint(t->body, "org_id", 1, INT64_MAX, 0, &present, &v, err)) != CY_OK)
            return st;
        if (present && v != ap.insured_org_id)
            return cy_error_set(err, CY_EINVAL, "assessment_other_org", "org_id",
                                "org_id 与风险评估的企业不一致 / org_id is not the enterprise of "
                                "the assessment");
    }
    char industry[8], type[24];
    if ((st = org_industry(c, ap.insured_org_id, industry, sizeof industry, type, sizeof type,
                           err)) != CY_OK ||
        (st = facts_from(t->app, t->body, industry, &ap, err)) != CY_OK)
        return st;
    /* the start date: tomorrow by default, within the data's window */
    const char *sd;
    int y, m, d, ty, tm, td;
    int64_t now = app_now();
    if ((st = uw_jtext(t->body, "start_date", 10, 0, &sd, err)) != CY_OK)
        return st;
    uw_today(now, &ty, &tm, &td);
    if (sd == NULL) {
        char buf[16];
        bjtime_format_date(uw_midnight(ty, tm, td) + 86400 + 3600, buf);
        uw_copy(ap.start_date, sizeof ap.start_date, buf);
    } else {
        if ((st = uw_date_parse(sd, "start_date", &y, &m, &d, err)) != CY_OK)
            return st;
        int64_t s = uw_midnight(y, m, d), today = uw_midnight(ty, tm, td);
        int within = t->app->uw->params.start_within_days;
        if (s < today || s > today + (int64_t)within * 86400)
            return cy_error_set(
                err, CY_EINVAL, "start_date_invalid", "start_date",
                "起保日期应在今天到 %d 天之后之间 / the start date must be from today "
                "to %d days ahead",
                within, within);
        uw_copy(ap.start_date, sizeof ap.start_date, sd);
    }
    int64_t id = 0;
    if ((st = uw_quote_store(t->app, c, a, &ap, &id, err)) != CY_OK)
        return st;
    return quote_json_load(c, id, &t->out, err);
}

/* An indicative price: the same uw_price, nothing stored. */
static cy_status_t
indicative(app_t *app, const actor_t *a, json_t *body, json_t **out, cy_error_t *err)
{
    const uw_data_t *d = app->uw;
    uw_apply_t ap = {0};
    int present;
    cy_status_t st;
    if ((st = uw_jint(body, "product_id", 1, INT64_MAX, 1, &present, &ap.product_id, err)) !=
            CY_OK ||
        (st = uw_jint(body, "assessment_id", 1, INT64_MAX, 0, &present, &ap.assessment_id, err)) !=
            CY_OK)
        return st;
    const char *g;
    if ((st = uw_jtext(body, "grade", 1, 0, &g, err)) != CY_OK)
        return st;
    if (g != NULL && (g[0] < 'A' || g[0] > 'E'))
        return cy_error_set(err, CY_EINVAL, "grade_invalid", "grade",
                            "风险等级应为 A–E / the risk grade must be A–E");
    uw_product_rec_t *p = malloc(sizeof *p);
    uw_assess_rec_t *as = calloc(1, sizeof *as);
    if (p == NULL || as == NULL) {
        free(p);
        free(as);
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    }
    store_conn_t *c;
    if ((st = store_acquire(app->store, &c, err)) != CY_OK) {
        free(p);
        free(as);
        return st;
    }
    int found = 0, have_as = 0;
    st = uw_product_load(app, c, ap.product_id, p, &found, err);
    if (st == CY_OK && (!found || !uw_product_visible(a, p)))
        st = cy_error_set(err, CY_ENOTFOUND, "not_found", "product_id",
                          "产品 %" PRId64 " 不存在 / product %" PRId64 " not found", ap.product_id,
                          ap.product_id);
    /* an insurer may try its own draft before filing it */
    if (st == CY_OK && strcmp(p->status, "active") != 0 &&
        !(p->insurer_org_id == a->org_id && !strcmp(p->status, "draft")))
        st = cy_error_set(err, CY_EINVAL, "product_not_on_sale", "product_id",
                          "产品“%s”第 %d 版不在销售中（%s） / version %d of product \"%s\" is not "
                          "on sale (%s)",
                          p->name, p->version, p->status, p->version, p->name, p->status);
    if (st == CY_OK && ap.assessment_id > 0) {
        int visible = 0;
        st = uw_assess_load(app, c, ap.assessment_id, as, &found, err);
        have_as = st == CY_OK && found;
        if (have_as)
            st = uw_assess_visible(c, a, as, &visible, err);
        if (st == CY_OK && (!have_as || !visible))
            st = cy_error_set(err, CY_ENOTFOUND, "not_found", "assessment_id",
                              "风险评估 %" PRId64 " 不存在 / assessment %" PRId64 " not found",
                              ap.assessment_id, ap.assessment_id);
        if (st == CY_OK && strcmp(as->status, "submitted") != 0)
            st = cy_error_set(err, CY_EINVAL, "assessment_not_submitted", "assessment_id",
                              "风险评估 %" PRId64 " 尚未提交 / assessment %" PRId64
                              " is not submitted yet",
                              ap.assessment_id, ap.assessment_id);
    }
    char industry[8] = "", type[24];
    if (st == CY_OK && a->org_type == ORG_ENTERPRISE)
        st = org_industry(c, a->org_id, industry, sizeof industry, type, sizeof type, err);
    store_release(app->store, c);
    if (st == CY_OK)
        st = facts_from(app, body, industry[0] ? industry : NULL, &ap, err);
    uw_price_req_t rq = {.section = ap.section,
                         .revenue = ap.revenue,
                         .gross_margin = ap.margin_bp >= 0 ? ap.margin_bp / 10000.0 : -1.0,
                         .grade = g                      ? g[0]
                                  : have_as && as->grade ? as->grade
                                                         : d->params.unassessed_grade,
                         .limit = ap.limit,
                         .retention = ap.retention,
                         .covered = ap.covered,
                         .assessment = have_as ? as : NULL,
                         .now = app_now()};
    uw_price_res_t res;
    if (st == CY_OK)
        st = uw_price(d, p, &rq, &res, err);
    if (st == CY_OK) {
        char sec[2] = {rq.section, '\0'}, grade[2] = {rq.grade, '\0'};
        *out = json_pack(
            "{s:o, s:b, s:s, s:{s:I, s:s, s:i}, s:s, s:I, s:s, s:I, s:I, s:I, s:I, "
            "s:I, s:o}",
            "id", json_null(), "indicative", 1, "decision", uwr_decision_name(res.outcome.decision),
            "product", "id", (json_int_t)p->id, "name", p->name, "version", p->version,
            "industry_section", sec, "revenue", (json_int_t)rq.revenue, "grade", grade,
            "aggregate_limit", (json_int_t)rq.limit, "retention", (json_int_t)rq.retention,
            "pure_premium", (json_int_t)res.price.pure, "gross_premium",
            (json_int_t)res.price.gross, "premium", (json_int_t)res.price.premium, "breakdown",
            uw_breakdown_json(d, p, &rq, &res));
    }
    uw_assess_free(as);
    free(as);
    free(p);
    return st;
}

cy_status_t
app_uw_quote_create(app_t *app, const actor_t *a, json_t *body, json_t **out, int *stored,
                    cy_error_t *err)
{
    *out = NULL;
    *stored = 0;
    cy_status_t st = check_keys(body, QUOTE_KEYS, err);
    if (st != CY_OK)
        return st;
    json_t *ind = json_object_get(body, "indicative");
    if (ind != NULL && !json_is_boolean(ind))
        return cy_error_set(err, CY_EINVAL, "wrong_type", "indicative",
                            "indicative 应为 true 或 false / indicative must be true or false");
    if (json_is_true(ind)) {
        if (!uw_may(a, ACT_QUOTE_PRICE))
            return app_forbidden(err, ACT_QUOTE_PRICE);
        if (json_object_get(body, "start_date") || json_object_get(body, "org_id"))
            return cy_error_set(err, CY_EINVAL, "not_indicative",
                                json_object_get(body, "org_id") ? "org_id" : "start_date",
                                "试算报价不针对具体企业，不填 org_id 和 start_date / an indicative "
                                "price has no org_id nor start_date");
        return indicative(app, a, body, out, err);
    }
    if (!uw_may(a, ACT_QUOTE_APPLY) || a->org_id <= 0)
        return app_forbidden(err, ACT_QUOTE_APPLY);
    apply_tx_t t = {app, a, body, NULL};
    st = store_tx(app->store, apply_tx, &t, err);
    if (st == CY_OK) {
        *out = t.out;
        *stored = 1;
    } else {
        json_decref(t.out);
    }
    return st;
}

cy_status_t
app_uw_quote_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    *out = NULL;
    uw_quote_rec_t *q = malloc(sizeof *q);
    if (q == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK) {
        free(q);
        return st;
    }
    int found = 0;
    st = uw_quote_load(c, id, q, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && (!found || !uw_quote_visible(a, q)))
        st = app_not_found(err, "报价", "quote", id);
    if (st == CY_OK && !uw_may(a, ACT_QUOTE_READ))
        st = app_forbidden(err, ACT_QUOTE_READ);
    if (st == CY_OK)
        *out = uw_quote_json(q);
    uw_quote_free(q);
    free(q);
    return st;
}

cy_status_t
app_uw_quote_list(app_t *app, const actor_t *a, const char *status, int64_t cursor, int limit,
                  json_t **items, int64_t *next, cy_error_t *err)
{
    *items = NULL;
    *next = 0;
    if (!uw_may(a, ACT_QUOTE_READ))
        return app_forbidden(err, ACT_QUOTE_READ);
    if (status != NULL && strcmp(status, "quoted") && strcmp(status, "referred") &&
        strcmp(status, "approved") && strcmp(status, "declined") && strcmp(status, "bound"))
        return cy_error_set(
            err, CY_EINVAL, "status_invalid", "status",
            "status 应为 quoted、referred、approved、declined 或 bound / status must "
            "be quoted, referred, approved, declined or bound");
    if (limit < 1 || limit > 100)
        limit = 50;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t q[] = {STORE_P_INT(uw_sees_all(a)), STORE_P_INT(a->org_id), STORE_P_TEXT(status),
                         STORE_P_INT(cursor > 0 ? cursor : INT64_MAX), STORE_P_INT(limit + 1)};
    store_rows_t *r;
    int64_t ids[101];
    int n = 0;
    st = store_query(
        c,
        "SELECT q.id FROM uw_quote q JOIN uw_product p ON p.id = q.product_id WHERE ($1 "
        "= 1 OR q.insured_org_id = $2 OR q.requested_by_org_id = $2 OR "
        "p.insurer_org_id = $2) AND (CAST($3 AS TEXT) IS NULL OR q.status = $3) AND "
        "q.id < $4 ORDER BY q.id DESC LIMIT $5",
        q, 5, &r, err);
    if (st == CY_OK) {
        int k;
        while ((k = store_rows_next(r, err)) == 1 && n < limit + 1)
            ids[n++] = store_rows_int(r, 0);
        if (k < 0)
            st = err->status;
        store_rows_free(r);
    }
    json_t *arr = json_array();
    for (int i = 0; i < n && i < limit && st == CY_OK; i++) {
        json_t *j = NULL;
        st = quote_json_load(c, ids[i], &j, err);
        if (st == CY_OK) {
            /* the list shows the summary; GET /quotes/{id} the whole breakdown */
            json_object_del(j, "breakdown");
            json_array_append_new(arr, j);
        }
    }
    store_release(app->store, c);
    if (st != CY_OK) {
        json_decref(arr);
        return st;
    }
    if (n > limit)
        *next = ids[limit - 1];
    *items = arr;
    return CY_OK;
}

/* ---------- referral decisions ---------- */

typedef struct {
    app_t *app;
    const actor_t *a;
    int64_t id;
    json_t *body;
    json_t *out;
} quote_tx_t;

static cy_status_t
referral_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    quote_tx_t *t = arg;
    static const char *const keys[] = {"decision", "note", NULL};
    cy_status_t st = check_keys(t->body, keys, err);
    if (st != CY_OK)
        return st;
    uw_quote_rec_t *q = malloc(sizeof *q);
    if (q == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    int found = 0;
    st = uw_quote_load(c, t->id, q, &found, err);
    if (st == CY_OK && (!found || !uw_quote_visible(t->a, q)))
        st = app_not_found(err, "报价", "quote", t->id);
    if (st == CY_OK &&
        (!uw_may(t->a, ACT_REFERRAL_DECIDE) || (!t->a->cli && q->insurer_org_id != t->a->org_id)))
        st = app_forbidden(err, ACT_REFERRAL_DECIDE);
    if (st == CY_OK && strcmp(q->status, "referred") != 0)
        st = cy_error_set(err, CY_ECONFLICT, "quote_not_referred", "status",
                          "报价 %" PRId64 " 不在转人工核保状态（%s） / quote %" PRId64
                          " is not awaiting referral (%s)",
                          q->id, q->status, q->id, q->status);
    const char *decision = NULL, *note = NULL;
    if (st == CY_OK && (st = uw_jtext(t->body, "decision", 16, 1, &decision, err)) == CY_OK &&
        strcmp(decision, "approve") != 0 && strcmp(decision, "decline") != 0)
        st = cy_error_set(err, CY_EINVAL, "decision_invalid", "decision",
                          "decision 应为 approve（同意承保）或 decline（拒保） / decision must be "
                          "approve or decline");
    if (st == CY_OK)
        st = uw_jtext(t->body, "note", 2000, 1, &note, err);
    if (st == CY_OK) {
        int approve = !strcmp(decision, "approve");
        char now[32], id[24];
        app_now_iso(now);
        store_param_t p[] = {STORE_P_TEXT(approve ? "approved" : "declined"), STORE_P_TEXT(note),
                             STORE_P_INT(t->a->user_id), STORE_P_TEXT(now), STORE_P_INT(q->id)};
        st =
            store_exec(c,
                       "UPDATE uw_quote SET status = $1, referral_note = $2, referral_by_user_id = "
                       "$3, referral_at = $4, updated_at = $4 WHERE id = $5 AND status = "
                       "'referred'",
                       p, 5, NULL, err);
        snprintf(id, sizeof id, "%" PRId64, q->id);
        if (st == CY_OK)
            st = app_audit_append(c, t->a, app_now(), "quote.referral", "quote", id, err,
                                  "人工核保：%s报价 %" PRId64 " / referral: %s quote %" PRId64,
                                  approve ? "同意" : "拒绝", q->id,
                                  approve ? "approved" : "declined", q->id);
        if (st == CY_OK)
            st = quote_json_load(c, q->id, &t->out, err);
    }
    uw_quote_free(q);
    free(q);
    return st;
}

cy_status_t
app_uw_quote_referral(app_t *app, const actor_t *a, int64_t id, json_t *body, json_t **out,
                      cy_error_t *err)
{
    *out = NULL;
    quote_tx_t t = {app, a, id, body, NULL};
    cy_status_t st = store_tx(app->store, referral_tx, &t, err);
    if (st == CY_OK)
        *out = t.out;
    else
        json_decref(t.out);
    return st;
}

/* ---------- binding ---------- */

static cy_status_t
next_policy_no(app_t *app, store_conn_t *c, int64_t insurer, int year, char *buf, size_t cap,
               cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(insurer), STORE_P_INT(year)};
    int64_t changed = 0, seq = 0;
    /* the counter row is locked by the update until commit: numbers never repeat */
    cy_status_t st = store_exec(c,
                                "UPDATE uw_policy_seq SET last_seq = last_seq + 1 WHERE "
                                "insurer_org_id = $1 AND year = $2",
                                p, 2, &changed, err);
    if (st == CY_OK && changed == 0)
        st =
            store_exec(c,
                       "INSERT INTO uw_policy_seq (insurer_org_id, year, last_seq) VALUES ($1, $2, "
                       "1)",
                       p, 2, NULL, err);
    if (st == CY_OK)
        st = store_query_int(c,
                             "SELECT last_seq FROM uw_policy_seq WHERE insurer_org_id = $1 AND "
                             "year = $2",
                             p, 2, &seq, NULL, err);
    if (st == CY_OK)
        st = policyno_format(app->uw->params.policy_prefix, year, insurer, seq, buf, cap, err);
    return st;
}

/* Conditions of the quote's breakdown with their due dates from the bind date. */
static json_t *
conditions_json(json_t *breakdown, int64_t now)
{
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(breakdown, "rules"), i, r)
    {
        const char *dec = json_string_value(json_object_get(r, "decision"));
        if (dec == NULL || strcmp(dec, "condition") != 0)
            continue;
        char due[16];
        bjtime_format_date(now + json_integer_value(json_object_get(r, "due_days")) * 86400, due);
        json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:s}", "rule",
                                             json_object_get(r, "id"), "condition_zh",
                                             json_object_get(r, "condition_zh"), "condition_en",
                                             json_object_get(r, "condition_en"), "due_date", due));
    }
    return out;
}

static cy_status_t
bind_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    quote_tx_t *t = arg;
    const actor_t *a = t->a;
    uw_quote_rec_t *q = malloc(sizeof *q);
    uw_assess_rec_t *as = calloc(1, sizeof *as);
    if (q == NULL || as == NULL) {
        free(q);
        free(as);
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    }
    int found = 0;
    int64_t now = app_now();
    cy_status_t st = uw_quote_load(c, t->id, q, &found, err);
    if (st == CY_OK && (!found || !uw_quote_visible(a, q)))
        st = app_not_found(err, "报价", "quote", t->id);
    if (st == CY_OK && (!uw_may(a, ACT_QUOTE_BIND) || (!a->cli && q->insured_org_id != a->org_id &&
                                                       q->insurer_org_id != a->org_id)))
        st = app_forbidden(err, ACT_QUOTE_BIND);
    if (st == CY_OK && !strcmp(q->status, "bound"))
        st = cy_error_set(err, CY_ECONFLICT, "quote_already_bound", "id",
                          "报价 %" PRId64 " 已承保，保单号 %s / quote %" PRId64
                          " is already bound: policy %s",
                          q->id, q->policy_no, q->id, q->policy_no);
    if (st == CY_OK && !strcmp(q->status, "referred"))
        st = cy_error_set(err, CY_ECONFLICT, "quote_referred", "status",
                          "报价 %" PRId64 " 正在等待人工核保 / quote %" PRId64
                          " is awaiting an underwriter's decision",
                          q->id, q->id);
    if (st == CY_OK && !strcmp(q->status, "declined"))
        st = cy_error_set(err, CY_ECONFLICT, "quote_declined", "status",
                          "报价 %" PRId64 " 已拒保 / quote %" PRId64 " was declined", q->id, q->id);
    if (st == CY_OK && quote_expired(q, now))
        st = cy_error_set(err, CY_EINVAL, "quote_expired", "valid_until",
                          "报价已于 %s 过期（有效期 %d 天），请重新报价 / the quote expired at %s "
                          "(valid %d days): ask for a new one",
                          q->valid_until, t->app->uw->params.quote_validity_days, q->valid_until,
                          t->app->uw->params.quote_validity_days);
    int y = 0, m = 0, d = 0, ty, tm, td;
    int64_t start = 0, end = 0;
    if (st == CY_OK)
        st = uw_date_parse(q->start_date, "start_date", &y, &m, &d, err);
    uw_today(now, &ty, &tm, &td);
    if (st == CY_OK && uw_midnight(y, m, d) < uw_midnight(ty, tm, td))
        st = cy_error_set(err, CY_EINVAL, "start_date_passed", "start_date",
                          "报价的起保日期 %s 已过，请重新报价 / the quote's start date %s has "
                          "passed: ask for a new quote",
                          q->start_date, q->start_date);
    if (st == CY_OK)
        st = pricing_period(y, m, d, &start, &end, err);
    /* what the simulation needs of the insured: region and declared dependencies */
    char region[8] = "";
    if (st == CY_OK) {
        store_param_t p[] = {STORE_P_INT(q->insured_org_id)};
        store_rows_t *r;
        st = store_query(c, "SELECT region_code FROM organisation WHERE id = $1", p, 1, &r, err);
        if (st == CY_OK) {
            if (store_rows_next(r, err) == 1)
                uw_copy(region, sizeof region, store_rows_text(r, 0));
            store_rows_free(r);
        }
    }
    if (st == CY_OK && q->assessment_id > 0)
        st = uw_assess_load(t->app, c, q->assessment_id, as, &found, err);
    char policy_no[POLICYNO_MAX];
    if (st == CY_OK)
        st = next_policy_no(t->app, c, q->insurer_org_id, ty, policy_no, sizeof policy_no, err);
    int64_t pid = 0;
    if (st == CY_OK) {
        char s_iso[32], e_iso[32], now_iso[32], sec[2] = {q->section, '\0'},
                                                grade[2] = {q->grade, '\0'};
        utc_format_iso(start, s_iso);
        utc_format_iso(end, e_iso);
        utc_format_iso(now, now_iso);
        json_t *cond = conditions_json(q->breakdown, now);
        char *ct = json_dumps(cond, JSON_COMPACT);
        json_decref(cond);
        store_param_t p[] = {
            STORE_P_TEXT(policy_no),
            STORE_P_INT(q->id),
            STORE_P_INT(q->product_id),
            STORE_P_INT(q->insurer_org_id),
            STORE_P_INT(q->insured_org_id),
            STORE_P_TEXT(s_iso),
            STORE_P_TEXT(e_iso),
            STORE_P_INT(q->limit),
            STORE_P_INT(q->retention),
            STORE_P_INT(q->bi_waiting_hours),
            STORE_P_TEXT(sec),
            STORE_P_TEXT(region),
            STORE_P_INT(q->revenue),
            q->margin_bp >= 0 ? STORE_P_INT(q->margin_bp) : STORE_P_NULL,
            STORE_P_TEXT(grade),
            STORE_P_TEXT(as->dep[0]),
            STORE_P_TEXT(as->dep[1]),
            STORE_P_TEXT(as->dep[2]),
            STORE_P_TEXT(as->dep[3]),
            STORE_P_INT(q->premium),
            STORE_P_TEXT(ct ? ct : "[]"),
            q->renewal_of > 0 ? STORE_P_INT(q->renewal_of) : STORE_P_NULL,
            STORE_P_TEXT(now_iso),
        };
        st = uw_insert_id(c,
                          "INSERT INTO uw_policy (policy_no, quote_id, product_id, insurer_org_id, "
                          "insured_org_id, status, period_start, period_end, aggregate_limit, "
                          "retention, bi_waiting_hours, industry_section, region_code, revenue, "
                          "gross_margin_bp, grade, dep_cloud, dep_os, dep_vpn, dep_email, "
                          "annual_premium, written_premium, conditions, renewal_of, created_at, "
                          "updated_at) VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, $10, "
                          "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, $21, $22, $23, "
                          "$23) RETURNING id",
                          p, 23, &pid, err);
        free(ct);
        if (st == CY_ECONFLICT)
            st = q->renewal_of > 0
                     ? cy_error_set(err, CY_ECONFLICT, "policy_already_renewed", "renewal_of",
                                    "保单 %" PRId64 " 已续保 / policy %" PRId64
                                    " is already renewed",
                                    q->renewal_of, q->renewal_of)
                     : cy_error_set(err, CY_ECONFLICT, "quote_already_bound", "id",
                                    "报价 %" PRId64 " 已承保 / quote %" PRId64 " is already bound",
                                    q->id, q->id);
    }
    for (int cv = 0; cv < COV_N && st == CY_OK; cv++) {
        if (!(q->covered & (1u << cv)))
            continue;
        store_param_t p[] = {STORE_P_INT(pid), STORE_P_TEXT(cov_code(cv)),
                             STORE_P_INT(q->sublimit[cv]), STORE_P_INT(q->share_bp[cv])};
        st = store_exec(c,
                        "INSERT INTO uw_policy_coverage (policy_id, coverage, sublimit, share_bp) "
                        "VALUES ($1, $2, $3, $4)",
                        p, 4, NULL, err);
    }
    if (st == CY_OK) {
        char now_iso[32];
        utc_format_iso(now, now_iso);
        store_param_t p[] = {STORE_P_TEXT(now_iso), STORE_P_INT(q->id)};
        st = store_exec(c, "UPDATE uw_quote SET status = 'bound', updated_at = $1 WHERE id = $2", p,
                        2, NULL, err);
    }
    if (st == CY_OK) {
        char id[24], prem[MONEY_FORMAT_MAX], sbj[16], ebj[16];
        snprintf(id, sizeof id, "%" PRId64, pid);
        money_format(q->premium, prem, sizeof prem);
        bjtime_format_date(start, sbj);
        bjtime_format_date(end - 1, ebj);
        st = app_audit_append(c, a, now, "quote.bind", "policy", id, err,
                              "承保：报价 %" PRId64
                              " 出具保单 %s（%s 至 %s，保费 %s） / bound quote "
                              "%" PRId64 " into policy %s (%s to %s, premium %s)",
                              q->id, policy_no, sbj, ebj, prem, q->id, policy_no, sbj, ebj, prem);
    }
    if (st == CY_OK)
        st = uw_policy_json_load(t->app, c, pid, &t->out, err);
    uw_assess_free(as);
    free(as);
    uw_quote_free(q);
    free(q);
    return st;
}

cy_status_t
app_uw_quote_bind(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    *out = NULL;
    quote_tx_t t = {app, a, id, NULL, NULL};
    cy_status_t st = store_tx(app->store, bind_tx, &t, err);
    if (st == CY_OK)
        *out = t.out;
    else
        json_decref(t.out);
    return st;
}

/* ---------- bulk ---------- */

/* Output buffer flushed to a FILE in large writes. */
typedef struct {
    char buf[1 << 16];
    size_t n;
    FILE *f;
} outbuf_t;

static void
ob_flush(outbuf_t *o)
{
    if (o->n)
        fwrite(o->buf, 1, o->n, o->f);
    o->n = 0;
}

static void
ob_put(outbuf_t *o, const char *s, size_t n)
{
    if (o->n + n > sizeof o->buf)
        ob_flush(o);
    if (n > sizeof o->buf) {
        fwrite(s, 1, n, o->f);
        return;
    }
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

/* fen as yuan "1234.56" (no grouping): CSV for machines. */
static size_t
fmt_yuan(int64_t fen, char *b)
{
    char tmp[32];
    int neg = fen < 0;
    uint64_t v = neg ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char *p = tmp + sizeof tmp;
    *--p = (char)('0' + v % 10);
    *--p = (char)('0' + v / 10 % 10);
    *--p = '.';
    v /= 100;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(b, p, n);
    return n;
}

/* x ≥ 0 with eight decimals ("0.01644620"), rounded once; printf costs a fifth of a row. */
static size_t
fmt_fixed8(double x, char *b)
{
    if (!(x >= 0.0 && x < 9e10))
        x = 0.0;
    uint64_t v = (uint64_t)floor(x * 1e8 + 0.5);
    char tmp[32];
    char *p = tmp + sizeof tmp;
    for (int i = 0; i < 8; i++, v /= 10)
        *--p = (char)('0' + v % 10);
    *--p = '.';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(b, p, n);
    return n;
}

/* Append s to line at n without passing cap − 2 (room for the line end); returns the new n. */
static size_t
put_str(char *line, size_t n, size_t cap, const char *s)
{
    size_t k = strlen(s);
    if (n + k + 2 > cap)
        k = cap > n + 2 ? cap - n - 2 : 0;
    memcpy(line + n, s, k);
    return n + k;
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void
ob_field(outbuf_t *o, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        ob_put(o, s, strlen(s));
        return;
    }
    ob_put(o, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            ob_put(o, "\"", 1);
        ob_put(o, p, 1);
    }
    ob_put(o, "\"", 1);
}

enum { B_ID, B_INDUSTRY, B_REVENUE, B_GRADE, B_LIMIT, B_RETENTION, B_MARGIN, B_NCOLS };
static const char *const BULK_COLS[B_NCOLS] = {"id",    "industry",  "revenue",     "grade",
                                               "limit", "retention", "gross_margin"};

/* Which CSV column an error's field is about. */
static const char *
bulk_column(const char *field)
{
    if (!strcmp(field, "aggregate_limit"))
        return "limit";
    if (!strcmp(field, "gross_margin_bp"))
        return "gross_margin";
    for (int i = 0; i < B_NCOLS; i++)
        if (!strcmp(field, BULK_COLS[i]))
            return field;
    return field[0] ? field : "row";
}

static void
bulk_bad(FILE *report, size_t line, const char *col, const cy_error_t *e, uw_bulk_stats_t *s)
{
    s->bad++;
    if (report == NULL)
        return;
    const char *m = e->message, *sep = strstr(m, " / ");
    if (sep)
        fprintf(report, "第 %zu 行 %s：%.*s / line %zu, %s: %s\n", line, col, (int)(sep - m), m,
                line, col, sep + 3);
    else
        fprintf(report, "第 %zu 行 %s：%s / line %zu, %s: %s\n", line, col, m, line, col, m);
}

cy_status_t
app_uw_quote_bulk(app_t *app, const actor_t *a, int64_t product_id, const char *csv, size_t len,
                  FILE *out, FILE *report, uw_bulk_stats_t *stats, cy_error_t *err)
{
    memset(stats, 0, sizeof *stats);
    if (!uw_may(a, ACT_QUOTE_PRICE))
        return app_forbidden(err, ACT_QUOTE_PRICE);
    const uw_data_t *d = app->uw;
    uw_product_rec_t *p = malloc(sizeof *p);
    outbuf_t *ob = malloc(sizeof *ob);
    if (p == NULL || ob == NULL) {
        free(p);
        free(ob);
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    }
    ob->n = 0;
    ob->f = out;
    store_conn_t *c;
    int found = 0;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st == CY_OK) {
        st = uw_product_load(app, c, product_id, p, &found, err);
        store_release(app->store, c);
    }
    if (st == CY_OK && (!found || !uw_product_visible(a, p)))
        st = cy_error_set(err, CY_ENOTFOUND, "not_found", "product",
                          "产品 %" PRId64 " 不存在 / product %" PRId64 " not found", product_id,
                          product_id);
    csv_reader_t rd;
    char scratch[4096];
    csv_field_t fields[16];
    csv_row_t row = {scratch, sizeof scratch, fields, 16, 0, 0};
    int col[B_NCOLS];
    if (st == CY_OK) {
        csv_reader_init(&rd, csv, len, CSV_SKIP_BLANK | CSV_SKIP_COMMENTS);
        st = csv_next(&rd, &row, err);
    }
    if (st == CY_OK) {
        for (int k = 0; k < B_NCOLS; k++)
            col[k] = -1;
        for (size_t i = 0; i < row.n_fields; i++)
            for (int k = 0; k < B_NCOLS; k++)
                if (!strcmp(fields[i].ptr, BULK_COLS[k]))
                    col[k] = (int)i;
        for (int k = 0; k < B_MARGIN && st == CY_OK; k++)
            if (col[k] < 0)
                st = cy_error_set(err, CY_EINVAL, "csv_header", BULK_COLS[k],
                                  "CSV 第 1 行缺少列 %s（需要 id,industry,revenue,grade,limit,"
                                  "retention，可选 gross_margin；金额以元计） / CSV line 1 lacks "
                                  "column %s (needs id,industry,revenue,grade,limit,retention, "
                                  "optionally gross_margin; amounts in yuan)",
                                  BULK_COLS[k], BULK_COLS[k]);
    }
    if (st == CY_OK) {
        static const char header[] =
            "id,premium,pure_premium,gross_premium,lambda,decision,rules\n";
        ob_put(ob, header, sizeof header - 1);
    }
    size_t ncols = row.n_fields;
    int64_t now = app_now();
    while (st == CY_OK) {
        cy_error_t e;
        if (csv_next(&rd, &row, &e) != CY_OK) {
            /* a broken quote ends the file for the reader: report it and stop */
            stats->rows++;
            bulk_bad(report, rd.line, "row", &e, stats);
            break;
        }
        if (row.n_fields == 0)
            break;
        stats->rows++;
        if (row.n_fields != ncols) {
            cy_error_set(&e, CY_EINVAL, "csv_columns", NULL,
                         "应有 %zu 列，实有 %zu 列 / %zu columns expected, %zu found", ncols,
                         row.n_fields, ncols, row.n_fields);
            bulk_bad(report, row.line, "row", &e, stats);
            continue;
        }
        uw_price_req_t rq = {.gross_margin = -1.0, .now = now};
        const char *bad = NULL;
        const char *g = fields[col[B_GRADE]].ptr;
        if (uw_industry_section(app, fields[col[B_INDUSTRY]].ptr, "industry", &rq.section, &e) !=
            CY_OK)
            bad = "industry";
        else if (money_parse(fields[col[B_REVENUE]].ptr, "revenue", &rq.revenue, &e) != CY_OK)
            bad = "revenue";
        else if (money_parse(fields[col[B_LIMIT]].ptr, "limit", &rq.limit, &e) != CY_OK)
            bad = "limit";
        else if (money_parse(fields[col[B_RETENTION]].ptr, "retention", &rq.retention, &e) != CY_OK)
            bad = "retention";
        else if (strlen(g) != 1 || g[0] < 'A' || g[0] > 'E') {
            cy_error_set(&e, CY_EINVAL, "grade_invalid", "grade",
                         "风险等级应为 A–E / the risk grade must be A–E");
            bad = "grade";
        }
        if (bad == NULL && col[B_MARGIN] >= 0 && fields[col[B_MARGIN]].ptr[0]) {
            char *end;
            double mg = strtod(fields[col[B_MARGIN]].ptr, &end);
            if (*end || !(mg >= 0.0 && mg <= 1.0)) {
                cy_error_set(&e, CY_EINVAL, "gross_margin_invalid", "gross_margin",
                             "毛利率应为 0 到 1 之间的小数 / the gross margin must be a number "
                             "from 0 to 1");
                bad = "gross_margin";
            }
            rq.gross_margin = mg;
        }
        if (bad != NULL) {
            bulk_bad(report, row.line, bad, &e, stats);
            continue;
        }
        rq.grade = g[0];
        uw_price_res_t res;
        if (uw_price(d, p, &rq, &res, &e) != CY_OK) {
            bulk_bad(report, row.line, bulk_column(e.field), &e, stats);
            continue;
        }
        char line[512];
        size_t n = 0;
        ob_field(ob, fields[col[B_ID]].ptr);
        line[n++] = ',';
        n += fmt_yuan(res.price.premium, line + n);
        line[n++] = ',';
        n += fmt_yuan(res.price.pure, line + n);
        line[n++] = ',';
        n += fmt_yuan(res.price.gross, line + n);
        line[n++] = ',';
        n += fmt_fixed8(res.price.rating.freq.lambda, line + n);
        line[n++] = ',';
        n = put_str(line, n, sizeof line, uwr_decision_name(res.outcome.decision));
        line[n++] = ',';
        for (size_t h = 0; h < res.outcome.n_hits; h++) {
            if (h)
                n = put_str(line, n, sizeof line, ";");
            n = put_str(line, n, sizeof line, d->rules.rules[res.outcome.hits[h]].id);
        }
        line[n++] = '\n';
        ob_put(ob, line, n);
        stats->quoted++;
    }
    ob_flush(ob);
    free(ob);
    free(p);
    return st;
}
