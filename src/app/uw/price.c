/*
 * price.c — the one pricing path of underwriting (internal.h): an
 * application and a product become terms (core/terms.h), a price
 * (core/pricing.h: core/rating's frequency × severity, the loading, the
 * claim-free credit, the minimum) and a decision (core/uwrules.h); and the
 * breakdown document that shows how. POST /quotes (stored or indicative),
 * the renewal, the endorsement, the rate table and the bulk quote all price
 * here, so pricing_quote has this one caller. Pure: no store, no clock.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/jsonw.h"
#include "app/uw/internal.h"
#include "core/money.h"

cy_status_t
uw_industry_section(const app_t *app, const char *industry, const char *field, char *section,
                    cy_error_t *err)
{
    const ref_industry_t *ind = industry ? ref_industry_find(app->ref, industry) : NULL;
    if (ind == NULL || ind->section < 'A' || ind->section > 'T')
        return cy_error_set(err, CY_EINVAL, "industry_unknown", field,
                            "未知的国民经济行业 %s（应为 GB/T 4754-2017 门类 A–T 或大类代码） / "
                            "unknown industry %s (a GB/T 4754-2017 section A–T or a division code)",
                            industry ? industry : "", industry ? industry : "");
    *section = ind->section;
    return CY_OK;
}

static int
in_options(const int64_t *v, size_t n, int64_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

static void
options_text(const int64_t *v, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + MONEY_FORMAT_MAX + 2 < cap; i++) {
        char m[MONEY_FORMAT_MAX];
        money_format(v[i], m, sizeof m);
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? "、" : "", m);
    }
}

/* The insured's facts as pricing takes them: refused naming the application's field. */
static cy_status_t
check_facts(const uw_price_req_t *r, cy_error_t *err)
{
    if (r->revenue <= 0)
        return cy_error_set(err, CY_EINVAL, "revenue_invalid", "revenue",
                            "年营业收入应大于 0 / annual revenue must be above 0");
    if (r->section < 'A' || r->section > 'T')
        return cy_error_set(err, CY_EINVAL, "industry_unknown", "industry",
                            "行业门类应为 A–T / the industry section must be A–T");
    if (r->grade < 'A' || r->grade > 'E')
        return cy_error_set(err, CY_EINVAL, "grade_invalid", "grade",
                            "风险等级应为 A–E / the risk grade must be A–E");
    if (!(r->gross_margin < 0.0 || r->gross_margin <= 1.0))
        return cy_error_set(
            err, CY_EINVAL, "gross_margin_invalid", "gross_margin_bp",
            "毛利率应在 0 到 100%% 之间 / the gross margin must be from 0 to 100%%");
    return terms_layer_check(r->limit, r->retention, "aggregate_limit", err);
}

/* What the product offers: the limit, the retention and the coverages chosen. */
static cy_status_t
check_offered(const uw_product_t *p, const uw_price_req_t *r, cy_error_t *err)
{
    char opts[512];
    if (!in_options(p->limits, p->n_limits, r->limit)) {
        options_text(p->limits, p->n_limits, opts, sizeof opts);
        return cy_error_set(err, CY_EINVAL, "limit_not_offered", "aggregate_limit",
                            "产品“%s”的累计赔偿限额只能选 %s / product \"%s\" offers the aggregate "
                            "limits %s only",
                            p->name, opts, p->name, opts);
    }
    if (!in_options(p->retentions, p->n_retentions, r->retention)) {
        options_text(p->retentions, p->n_retentions, opts, sizeof opts);
        return cy_error_set(err, CY_EINVAL, "retention_not_offered", "retention",
                            "产品“%s”的免赔额只能选 %s / product \"%s\" offers the retentions %s "
                            "only",
                            p->name, opts, p->name, opts);
    }
    if ((r->covered & ~p->covered) != 0)
        return cy_error_set(
            err, CY_EINVAL, "coverage_not_offered", "coverages",
            "所选险种不在产品“%s”的保障范围内 / a chosen coverage is not offered by "
            "product \"%s\"",
            p->name, p->name);
    return CY_OK;
}

/*
 * The terms of the application under the product: the sublimits asked for
 * (an endorsement's), else the product's capped at the chosen limit.
 */
static void
terms_of(const uw_product_t *p, const uw_price_req_t *r, terms_t *t)
{
    terms_init(t, r->limit);
    t->retention = r->retention;
    t->bi_waiting_hours = p->bi_waiting_hours;
    t->covered = r->covered ? r->covered : p->covered;
    for (int c = 0; c < COV_N; c++) {
        if (!(t->covered & (1u << c)))
            continue;
        /* a sublimit above the chosen limit is the limit: the aggregate caps it anyway */
        if (r->sublimit != NULL)
            t->sublimit[c] = r->sublimit[c];
        else
            t->sublimit[c] =
                p->sublimit[c] > 0 && p->sublimit[c] < r->limit ? p->sublimit[c] : r->limit;
        t->share[c] = (double)p->share_bp[c] / 10000.0;
    }
}

static void
judge(const uw_data_t *d, const uw_price_req_t *r, uwr_outcome_t *out)
{
    const uw_assess_t *as = r->assessment;
    uwr_facts_t f = {
        .qn = &d->qn,
        .profile = as ? &as->profile : NULL,
        .answers = as ? as->answers : NULL,
        .has_assessment = as != NULL,
        .assessed_at = as ? as->submitted_at : 0,
        .score = as ? as->v.score : 0.0,
        .grade = r->grade,
        .mlps_conclusion = as ? as->v.mlps_conclusion : NULL,
        .findings = as ? as->evidence : NULL,
        .n_findings = as ? as->v.n_findings : 0,
        .revenue = r->revenue,
        .limit = r->limit,
        .section = r->section,
        .now = r->now,
    };
    uwr_evaluate(&d->rules, &f, out);
}

cy_status_t
uw_price(const uw_data_t *d, const uw_product_t *p, const uw_price_req_t *r, uw_price_res_t *out,
         cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    cy_status_t st = check_facts(r, err);
    if (st == CY_OK)
        st = check_offered(p, r, err);
    if (st != CY_OK)
        return st;
    terms_of(p, r, &out->terms);
    if ((st = terms_validate(&out->terms, err)) != CY_OK)
        return st;
    double credit =
        pricing_claim_free_credit(d->params.credits, d->params.n_credits, r->claim_free_years);
    rating_insured_t ins = {.section = r->section,
                            .revenue = r->revenue,
                            .grade = r->grade,
                            .gross_margin = r->gross_margin};
    st = pricing_quote(&d->rating.model, &ins, &out->terms, credit, p->minimum_premium, &out->price,
                       err);
    if (st == CY_OK)
        judge(d, r, &out->outcome);
    return st;
}

/* ---------- the breakdown document ---------- */

/*
 * Written straight as JSON text (app/jsonw.h): byte for byte what jansson's
 * json_dumps(JSON_COMPACT | JSON_REAL_PRECISION(precision)) made of the same
 * members when the breakdown was built with json_pack, in a tenth of the
 * time. A rate that is not finite is null.
 */

static void
coverages_write(jsonw_t *w, const uw_price_res_t *res)
{
    const pricing_result_t *pr = &res->price;
    jsonw_open(w, '[');
    for (int c = 0; c < COV_N; c++) {
        if (!(res->terms.covered & (1u << c)))
            continue;
        jsonw_open(w, '{');
        jsonw_kstr(w, "code", cov_code(c));
        jsonw_kstr(w, "name_zh", cov_name_zh(c));
        jsonw_kstr(w, "name_en", cov_name_en(c));
        jsonw_kint(w, "sublimit", res->terms.sublimit[c]);
        jsonw_kreal(w, "share", res->terms.share[c]);
        jsonw_kreal(w, "expected_losses", pr->rating.lambda_cov[c]);
        jsonw_kint(w, "pure_premium", pr->pure_cov[c]);
        jsonw_kreal(w, "pure_premium_exact", pr->rating.pure_cov[c]);
        jsonw_close(w, '}');
    }
    jsonw_close(w, ']');
}

static void
rules_write(jsonw_t *w, const uw_data_t *d, const uwr_outcome_t *o)
{
    jsonw_open(w, '[');
    for (size_t i = 0; i < o->n_hits; i++) {
        const uwr_rule_t *u = &d->rules.rules[o->hits[i]];
        jsonw_open(w, '{');
        jsonw_kstr(w, "id", u->id);
        jsonw_kstr(w, "decision", uwr_decision_name(u->decision));
        jsonw_kstr(w, "reason_zh", u->reason_zh);
        jsonw_kstr(w, "reason_en", u->reason_en);
        if (u->decision == UWR_CONDITION) {
            jsonw_kstr(w, "condition_zh", u->condition_zh);
            jsonw_kstr(w, "condition_en", u->condition_en);
            jsonw_kint(w, "due_days", u->due_days);
        }
        jsonw_close(w, '}');
    }
    jsonw_close(w, ']');
}

static void
factors_write(jsonw_t *w, const rating_model_t *m, const uw_price_req_t *r,
              const pricing_result_t *pr)
{
    double margin = r->gross_margin < 0.0 ? m->default_gross_margin : r->gross_margin;
    jsonw_open(w, '{');
    jsonw_key(w, "industry_section");
    jsonw_strn(w, &r->section, 1);
    jsonw_kreal(w, "base_frequency", pr->rating.freq.base);
    jsonw_kint(w, "revenue", r->revenue);
    jsonw_kint(w, "size_reference_revenue", m->size_reference_revenue);
    jsonw_kreal(w, "size_exponent", m->size_exponent);
    jsonw_kreal(w, "size_factor", pr->rating.freq.size);
    jsonw_key(w, "grade");
    jsonw_strn(w, &r->grade, 1);
    jsonw_kreal(w, "security_factor", pr->rating.freq.security);
    jsonw_kreal(w, "lambda", pr->rating.freq.lambda);
    jsonw_kreal(w, "gross_margin", margin);
    jsonw_kint(w, "hourly_gross_profit", pr->rating.hourly_gross_profit);
    jsonw_close(w, '}');
}

/* The rating model, rules and product version it was priced by. */
static void
basis_write(jsonw_t *w, const uw_data_t *d, const uw_product_t *p)
{
    jsonw_key(w, "model");
    jsonw_open(w, '{');
    jsonw_kstr(w, "rating_model", d->rating.version);
    jsonw_kstr(w, "rules", d->rules.version);
    jsonw_kint(w, "product_id", p->id);
    jsonw_kint(w, "product_version", p->version);
    jsonw_close(w, '}');
}

static void
terms_write(jsonw_t *w, const uw_price_res_t *res)
{
    jsonw_key(w, "terms");
    jsonw_open(w, '{');
    jsonw_kint(w, "aggregate_limit", res->terms.aggregate_limit);
    jsonw_kint(w, "retention", res->terms.retention);
    jsonw_kint(w, "bi_waiting_hours", (int)res->terms.bi_waiting_hours);
    jsonw_close(w, '}');
}

/* From the pure premium to the premium: the loadings, the credit, the minimum. */
static void
premium_write(jsonw_t *w, const rating_model_t *m, const uw_price_req_t *r,
              const pricing_result_t *pr)
{
    jsonw_kint(w, "pure_premium", pr->pure);
    jsonw_key(w, "loading");
    jsonw_open(w, '{');
    jsonw_kreal(w, "expense", m->expense_loading);
    jsonw_kreal(w, "profit", m->profit_loading);
    jsonw_kreal(w, "factor", pr->loading);
    jsonw_close(w, '}');
    jsonw_kint(w, "gross_premium", pr->gross);
    jsonw_kint(w, "claim_free_years", r->claim_free_years);
    jsonw_kreal(w, "claim_free_credit", pr->credit);
    jsonw_kint(w, "credit_amount", pr->credit_amount);
    jsonw_kint(w, "minimum_premium", pr->minimum);
    jsonw_kbool(w, "minimum_applied", pr->minimum_applied);
    jsonw_kint(w, "premium", pr->premium);
    jsonw_kreal(w, "rate_on_line", pr->rate_on_line);
    jsonw_kbool(w, "retention_shared", pr->rating.retention_shared);
}

char *
uw_breakdown_text(const uw_data_t *d, const uw_product_t *p, const uw_price_req_t *r,
                  const uw_price_res_t *res, int precision)
{
    const pricing_result_t *pr = &res->price;
    jsonw_t w;
    jsonw_init(&w, precision);
    jsonw_open(&w, '{');
    basis_write(&w, d, p);
    jsonw_key(&w, "factors");
    factors_write(&w, &d->rating.model, r, pr);
    terms_write(&w, res);
    jsonw_key(&w, "coverages");
    coverages_write(&w, res);
    premium_write(&w, &d->rating.model, r, pr);
    jsonw_kstr(&w, "decision", uwr_decision_name(res->outcome.decision));
    jsonw_key(&w, "rules");
    rules_write(&w, d, &res->outcome);
    jsonw_close(&w, '}');
    return jsonw_finish(&w);
}
