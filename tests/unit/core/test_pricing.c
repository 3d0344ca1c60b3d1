/*
 * test_pricing.c — core/pricing: the worked example of docs/pricing.md
 * reproduced to the fen, the layer's expected payment (the closed-form
 * lognormal limited expected value as the quote uses it) against numerical
 * integration to 1e-9 relative, the one rounding of each amount, the
 * minimum premium, pro rata by day in exact integers, the claim-free credit
 * steps, policy numbers and policy periods, and the refusals. The model is
 * built here from the numbers the document states, so the document and this
 * test cannot drift apart silently. (tests/unit/test_rating.c checks the
 * LEV functions themselves against integration.) Depends on cmocka and
 * core/ only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include "cytest.h"

#include "core/normal.h"
#include "core/pricing.h"

/* ---- the model of docs/pricing.md ---------------------------------------- */

/* Section C, ¥100M reference revenue, grade factors, the five incident types, ir's severity. */
static void
example_model(rating_model_t *m)
{
    memset(m, 0, sizeof *m);
    for (int i = 0; i < RATING_N_SECTIONS; i++)
        m->base_frequency[i] = 0.01;
    m->base_frequency['C' - 'A'] = 0.0135;
    m->size_reference_revenue = 10000000000LL; /* ¥100M */
    m->size_exponent = 0.15;
    m->size_min = 0.5;
    m->size_max = 3.0;
    const double g[5] = {0.60, 0.80, 1.00, 1.30, 1.80};
    memcpy(m->grade_factor, g, sizeof g);
    const struct {
        const char *code;
        double share, scale, ir;
    } types[] = {{"ransomware", 0.20, 0.60, 1.0},
                 {"data_breach", 0.12, 0.45, 1.0},
                 {"ddos", 0.05, 0.40, 0.6},
                 {"bec_fraud", 0.55, 0.20, 0.9},
                 {"operator_error", 0.08, 0.50, 0.5}};
    m->n_types = 5;
    for (size_t k = 0; k < 5; k++) {
        rating_type_t *t = &m->types[k];
        strcpy(t->code, types[k].code);
        t->share = types[k].share;
        t->severity_scale = types[k].scale;
        t->involve[COV_IR] = types[k].ir;
        t->bi_hours_mu = log(8.0);
        t->bi_hours_sigma = 1.0;
    }
    for (int c = 0; c < COV_N; c++) {
        m->severity[c].mu = log(100000.0 * 100.0);
        m->severity[c].sigma = 1.5;
        m->severity[c].revenue_exponent = 0.3;
    }
    m->severity[COV_IR].mu = log(260000.0 * 100.0); /* median ¥260,000 in fen */
    m->severity[COV_IR].sigma = 1.8;
    m->severity[COV_IR].revenue_exponent = 0.3;
    m->severity_reference_revenue = 10000000000LL;
    m->default_gross_margin = 0.30;
    m->expense_loading = 0.30;
    m->profit_loading = 0.10;
    m->minimum_premium = 200000; /* ¥2,000 */
}

/* ir only: aggregate limit and sublimit ¥1,000,000, retention ¥50,000. */
static void
example_terms(terms_t *t)
{
    terms_init(t, 100000000LL);
    t->retention = 5000000LL;
    t->covered = 1u << COV_IR;
}

static const rating_insured_t EXAMPLE_INSURED = {
    .section = 'C', .revenue = 10000000000LL, .grade = 'B', .gross_margin = -1.0};

static void
assert_rel(double got, double want, double tol)
{
    double rel = fabs(got - want) / fmax(fabs(want), 1e-300);
    if (!(rel <= tol))
        fail_msg("got %.17g want %.17g (relative error %.3g > %.3g)", got, want, rel, tol);
}

/* ---- numerical integration (the oracle) ---------------------------------- */

/* E[min((X − R)+, L)] = ∫_R^{R+L} P(X > x) dx for X ~ LN(mu, σ), in t = ln x (Simpson). */
static double
layer_numeric(double mu, double sigma, double r, double l)
{
    double a = log(r), b = log(r + l);
    int n = 20000; /* even */
    double h = (b - a) / n, sum = 0.0;
    for (int i = 0; i <= n; i++) {
        double t = a + h * i;
        double f = normal_sf((t - mu) / sigma) * exp(t);
        sum += (i == 0 || i == n) ? f : (i % 2 ? 4.0 * f : 2.0 * f);
    }
    return sum * h / 3.0;
}

CY_TEST(test_pricing_layer_matches_numerical_integration)
{
    (void)state;
    rating_model_t m;
    example_model(&m);
    terms_t t;
    example_terms(&t);
    pricing_result_t p;
    cy_error_t err;
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, 0.0, -1, &p, &err), CY_OK);
    double want = 0.0;
    for (size_t k = 0; k < m.n_types; k++)
        want += m.types[k].share * m.types[k].involve[COV_IR] *
                layer_numeric(m.severity[COV_IR].mu + log(m.types[k].severity_scale), 1.8,
                              5000000.0, 100000000.0);
    want *= 0.0108; /* λ = 0.0135 × 1 × 0.8 */
    assert_rel(p.rating.pure_cov[COV_IR], want, 1e-9);

    /* a second layer, off the reference revenue (the revenue shifts the median) and a share */
    rating_insured_t big = EXAMPLE_INSURED;
    big.revenue = 250000000000LL; /* ¥2.5B */
    t.share[COV_IR] = 0.8;
    t.retention = 10000000LL;
    t.sublimit[COV_IR] = 60000000LL;
    assert_int_equal(pricing_quote(&m, &big, &t, 0.0, -1, &p, &err), CY_OK);
    double size = fmin(fmax(pow(25.0, 0.15), 0.5), 3.0), shift = 0.3 * log(25.0), sum = 0.0;
    for (size_t k = 0; k < m.n_types; k++)
        sum += m.types[k].share * m.types[k].involve[COV_IR] * 0.8 *
               layer_numeric(m.severity[COV_IR].mu + shift + log(m.types[k].severity_scale), 1.8,
                             10000000.0, 60000000.0 / 0.8);
    assert_rel(p.rating.pure_cov[COV_IR], 0.0135 * size * 0.8 * sum, 1e-9);
}

/* ---- the worked example -------------------------------------------------- */

CY_TEST(test_pricing_worked_example_to_the_fen)
{
    (void)state;
    rating_model_t m;
    example_model(&m);
    cy_error_t err;
    assert_int_equal(rating_model_validate(&m, &err), CY_OK);
    terms_t t;
    example_terms(&t);
    assert_int_equal(terms_validate(&t, &err), CY_OK);
    pricing_result_t p;
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, 0.05, -1, &p, &err), CY_OK);
    /* the factors of docs/pricing.md step 1 */
    assert_rel(p.rating.freq.base, 0.0135, 1e-15);
    assert_rel(p.rating.freq.size, 1.0, 1e-15);
    assert_rel(p.rating.freq.security, 0.8, 1e-15);
    assert_rel(p.rating.freq.lambda, 0.0108, 1e-14);
    assert_rel(p.rating.lambda_cov[COV_IR], 0.009558, 1e-12);
    /* step 3: the expected payment a year, then one rounding each */
    assert_rel(p.rating.pure_cov[COV_IR], 183666.93875247, 1e-9);
    assert_int_equal(p.pure_cov[COV_IR], 183667); /* ¥1,836.67 */
    assert_int_equal(p.pure, 183667);
    assert_rel(p.loading, 1.0 / 0.6, 1e-15);
    assert_int_equal(p.gross, 306112);   /* ¥3,061.12 = 183,666.94 / 0.6 rounded once */
    assert_int_equal(p.premium, 290806); /* ¥2,908.06 = 306,111.56 × 0.95 rounded once */
    assert_int_equal(p.credit_amount, 306112 - 290806);
    assert_int_equal(p.minimum, 200000);
    assert_false(p.minimum_applied);
    assert_rel(p.rate_on_line, 290806.0 / 100000000.0, 1e-15);
    /* without the credit the premium is the gross */
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, 0.0, -1, &p, &err), CY_OK);
    assert_int_equal(p.premium, 306112);
}

CY_TEST(test_pricing_minimum_premium_is_the_floor)
{
    (void)state;
    rating_model_t m;
    example_model(&m);
    terms_t t;
    example_terms(&t);
    t.retention = 90000000LL; /* ¥900k retention under a ¥1M limit: a thin layer */
    pricing_result_t p;
    cy_error_t err;
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, 0.0, -1, &p, &err), CY_OK);
    assert_true(p.gross < 200000);
    assert_true(p.minimum_applied);
    assert_int_equal(p.premium, 200000);
    /* a product's own minimum replaces the model's */
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, 0.0, 500000, &p, &err), CY_OK);
    assert_int_equal(p.premium, 500000);
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, 0.0, 0, &p, &err), CY_OK);
    assert_int_equal(p.premium, p.gross);
    assert_false(p.minimum_applied);
}

CY_TEST(test_pricing_refuses_bad_insured_and_credit)
{
    (void)state;
    rating_model_t m;
    example_model(&m);
    terms_t t;
    example_terms(&t);
    pricing_result_t p;
    cy_error_t err;
    rating_insured_t bad = EXAMPLE_INSURED;
    bad.revenue = 0;
    assert_int_equal(pricing_quote(&m, &bad, &t, 0.0, -1, &p, &err), CY_EINVAL);
    assert_string_equal(err.field, "revenue");
    bad = EXAMPLE_INSURED;
    bad.section = 'Z';
    assert_int_equal(pricing_quote(&m, &bad, &t, 0.0, -1, &p, &err), CY_EINVAL);
    assert_string_equal(err.field, "section");
    bad = EXAMPLE_INSURED;
    bad.grade = 'F';
    assert_int_equal(pricing_quote(&m, &bad, &t, 0.0, -1, &p, &err), CY_EINVAL);
    assert_string_equal(err.field, "grade");
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, 1.0, -1, &p, &err), CY_EINVAL);
    assert_string_equal(err.code, "pricing_credit");
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, -0.1, -1, &p, &err), CY_EINVAL);
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, NAN, -1, &p, &err), CY_EINVAL);
    assert_non_null(strstr(err.message, " / "));
}

/* ---- the vector evaluation gives the reference's amounts ----------------- */

CY_TEST(test_pricing_quote_is_the_scalar_reference_to_the_fen)
{
    (void)state;
    rating_model_t m;
    example_model(&m);
    /* more coverages, outages, and a breach tail, so that every kind of layer is priced */
    for (size_t k = 0; k < m.n_types; k++) {
        m.types[k].involve[COV_BI] = 0.2 + 0.1 * (double)k;
        m.types[k].involve[COV_BREACH] = 0.5;
        m.types[k].involve[COV_LEGAL] = 0.3;
    }
    m.severity[COV_BREACH].sigma = 2.0;
    m.severity[COV_BREACH].tail = 1;
    m.severity[COV_BREACH].tail_quantile = 0.99;
    m.severity[COV_BREACH].tail_xi = 0.5;
    m.severity[COV_BREACH].tail_beta_ratio = 0.5;
    cy_error_t err;
    assert_int_equal(rating_model_prepare(&m, &err), CY_OK);
    const double loading = 1.0 / (1.0 - m.expense_loading - m.profit_loading);
    int rows = 0;
    for (int i = 0; i < 20000; i++) {
        /* a grid: every section, grade and credit, revenue ¥1M–¥100B, limits, retentions */
        double u = (double)((i * 7919) % 20000) / 20000.0;
        rating_insured_t ins = {(char)('A' + i % 20), (int64_t)exp(log(1e8) + u * log(1e5)),
                                (char)('A' + i / 20 % 5), -1.0};
        terms_t t;
        terms_init(&t, 100000000LL * (1 + (i * 31) % 20));
        t.covered = 1u << COV_IR | 1u << COV_BI | 1u << COV_BREACH | 1u << COV_LEGAL;
        t.retention = (int64_t)(i * 104729) % 20000000;
        t.bi_waiting_hours = 12.0;
        t.share[COV_BREACH] = 0.8;
        double credit = 0.05 * (i % 4);
        int64_t minimum = i % 2 ? -1 : 500000;
        if (terms_validate(&t, &err) != CY_OK)
            continue;
        rows++;
        pricing_result_t p;
        rating_premium_t r;
        assert_int_equal(pricing_quote(&m, &ins, &t, credit, minimum, &p, &err), CY_OK);
        assert_int_equal(rating_premium_scalar(&m, &ins, &t, &r, &err), CY_OK);
        /* the amounts of docs/pricing.md from libm's pure premiums, each rounded once */
        double total = 0.0;
        for (int c = 0; c < COV_N; c++) {
            assert_int_equal(p.pure_cov[c], (int64_t)floor(r.pure_cov[c] + 0.5));
            total += r.pure_cov[c];
        }
        int64_t floor_min = minimum >= 0 ? minimum : m.minimum_premium;
        int64_t credited = (int64_t)floor(total * loading * (1.0 - credit) + 0.5);
        assert_int_equal(p.pure, r.pure);
        assert_int_equal(p.gross, (int64_t)floor(total * loading + 0.5));
        assert_int_equal(p.premium, credited < floor_min ? floor_min : credited);
        assert_int_equal(p.minimum_applied, credited < floor_min);
    }
    assert_true(rows > 15000);
}

/*
 * Σ pure_c = 1000.25 fen, certain as a pure premium, but a gross of exactly
 * 2000.5 fen under a loading of 2: the quote is priced by libm's functions
 * (bound 0) and rounds half up. No bound could make a rounding certain at
 * exactly half a fen, so these rows always take the reference path.
 */
CY_TEST(test_pricing_uncertain_gross_is_priced_by_libm)
{
    (void)state;
    rating_model_t m;
    example_model(&m);
    for (int i = 0; i < RATING_N_SECTIONS; i++)
        m.base_frequency[i] = 0.25;
    m.size_exponent = 0.0;
    m.size_min = m.size_max = 1.0;
    m.grade_factor['B' - 'A'] = 1.0;
    m.n_types = 1;
    m.types[0].share = 1.0;
    m.types[0].involve[COV_IR] = 1.0;
    m.types[0].severity_scale = 1.0;
    m.severity[COV_IR].sigma = 0.0; /* the amount is e^mu, far above the layer: LEV(d) = d */
    m.severity[COV_IR].mu = log(1e12);
    m.expense_loading = 0.3;
    m.profit_loading = 0.2;
    cy_error_t err;
    assert_int_equal(rating_model_prepare(&m, &err), CY_OK);
    terms_t t;
    terms_init(&t, 100000);
    t.covered = 1u << COV_IR;
    t.retention = 1000;
    t.sublimit[COV_IR] = 4001; /* 0.25 × 4001 = 1000.25 */
    pricing_result_t p;
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, 0.0, 0, &p, &err), CY_OK);
    assert_true(p.rating.pure_cov[COV_IR] == 1000.25);
    assert_int_equal(p.pure, 1000);
    assert_int_equal(p.gross, 2001);
    assert_int_equal(p.premium, 2001);
    assert_true(p.rating.bound == 0.0);
    /* Σ pure_c = 1000.5: the pure premium itself is uncertain, rating_premium prices it by libm */
    t.sublimit[COV_IR] = 4002;
    rating_premium_t r;
    assert_int_equal(rating_premium(&m, &EXAMPLE_INSURED, &t, &r, &err), CY_OK);
    assert_true(r.pure_cov[COV_IR] == 1000.5);
    assert_int_equal(r.pure, 1001);
    assert_true(r.bound == 0.0);
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, 0.0, 0, &p, &err), CY_OK);
    assert_int_equal(p.gross, 2001);
    t.sublimit[COV_IR] = 4000; /* 1000 and 2000: both certain, the vector evaluation stands */
    assert_int_equal(pricing_quote(&m, &EXAMPLE_INSURED, &t, 0.0, 0, &p, &err), CY_OK);
    assert_int_equal(p.gross, 2000);
    assert_true(p.rating.bound > 0.0);
}

/* ---- pro rata, credit, numbers, periods ---------------------------------- */

CY_TEST(test_pricing_pro_rata_rounds_once_in_integers)
{
    (void)state;
    int64_t out;
    cy_error_t err;
    assert_int_equal(pricing_pro_rata(100000, 183, 365, &out, &err), CY_OK);
    assert_int_equal(out, 50137); /* 50,136.99 */
    assert_int_equal(pricing_pro_rata(-100000, 183, 365, &out, &err), CY_OK);
    assert_int_equal(out, -50137); /* a refund mirrors the charge */
    assert_int_equal(pricing_pro_rata(1, 1, 2, &out, &err), CY_OK);
    assert_int_equal(out, 1); /* a half rounds away from zero */
    assert_int_equal(pricing_pro_rata(-1, 1, 2, &out, &err), CY_OK);
    assert_int_equal(out, -1);
    assert_int_equal(pricing_pro_rata(290806, 365, 365, &out, &err), CY_OK);
    assert_int_equal(out, 290806);
    assert_int_equal(pricing_pro_rata(290806, 0, 365, &out, &err), CY_OK);
    assert_int_equal(out, 0);
    /* near INT64_MAX the 128-bit product keeps it exact */
    assert_int_equal(pricing_pro_rata(INT64_MAX, 366, 366, &out, &err), CY_OK);
    assert_true(out == INT64_MAX);
    assert_int_equal(pricing_pro_rata(100, 366, 365, &out, &err), CY_EINVAL);
    assert_string_equal(err.code, "pricing_days");
    assert_int_equal(pricing_pro_rata(100, -1, 365, &out, &err), CY_EINVAL);
    assert_int_equal(pricing_pro_rata(100, 0, 0, &out, &err), CY_EINVAL);
}

CY_TEST(test_pricing_claim_free_credit_steps)
{
    (void)state;
    const pricing_credit_step_t steps[] = {{1, 0.05}, {2, 0.10}, {3, 0.15}};
    assert_true(pricing_claim_free_credit(steps, 3, 0) == 0.0);
    assert_true(pricing_claim_free_credit(steps, 3, 1) == 0.05);
    assert_true(pricing_claim_free_credit(steps, 3, 2) == 0.10);
    assert_true(pricing_claim_free_credit(steps, 3, 3) == 0.15);
    assert_true(pricing_claim_free_credit(steps, 3, 9) == 0.15);
    assert_true(pricing_claim_free_credit(steps, 0, 9) == 0.0);
}

CY_TEST(test_pricing_policy_numbers_carry_check_digits)
{
    (void)state;
    char buf[POLICYNO_MAX];
    cy_error_t err;
    assert_int_equal(policyno_format("CY", 2026, 9, 1, buf, sizeof buf, &err), CY_OK);
    assert_string_equal(buf, "CY-2026-000009-000001-46");
    assert_true(policyno_check(buf));
    /* 98 − (2026000009000001 × 100 mod 97) = 46 */
    assert_false(policyno_check("CY-2026-000009-000001-47"));
    assert_false(policyno_check("CY-2026-000009-000002-46")); /* one digit changed */
    assert_false(policyno_check("CY-2026-000090-000001-46")); /* two digits swapped */
    assert_false(policyno_check("cy-2026-000009-000001-46"));
    assert_false(policyno_check("CY-2026-000009-000001-46 "));
    assert_false(policyno_check(NULL));
    assert_int_equal(policyno_format("CY", 2026, 123456, 999999, buf, sizeof buf, &err), CY_OK);
    assert_true(policyno_check(buf));
    assert_int_equal(policyno_format("cy", 2026, 9, 1, buf, sizeof buf, &err), CY_EINVAL);
    assert_string_equal(err.code, "policyno_prefix");
    assert_int_equal(policyno_format("CY", 2026, 9, 0, buf, sizeof buf, &err), CY_EINVAL);
    assert_int_equal(policyno_format("CY", 2026, 1000000, 1, buf, sizeof buf, &err), CY_EINVAL);
    assert_int_equal(policyno_format("CY", 2026, 9, 1, buf, 10, &err), CY_EINVAL);
}

CY_TEST(test_pricing_period_is_a_year_of_beijing_days)
{
    (void)state;
    int64_t s, e;
    cy_error_t err;
    assert_int_equal(pricing_period(2025, 3, 1, &s, &e, &err), CY_OK);
    assert_int_equal(s, 1740758400); /* 2025-02-28T16:00:00Z = 2025-03-01 00:00 Beijing */
    assert_int_equal(pricing_days(s, e), 365);
    assert_int_equal(pricing_period(2024, 2, 29, &s, &e, &err), CY_OK);
    assert_int_equal(pricing_days(s, e), 366); /* to 2025-03-01 */
    assert_int_equal(pricing_period(2027, 6, 1, &s, &e, &err), CY_OK);
    assert_int_equal(pricing_days(s, e), 366); /* across 29 February 2028 */
    assert_int_equal(pricing_period(2025, 2, 29, &s, &e, &err), CY_EINVAL);
    assert_string_equal(err.field, "start_date");
    assert_int_equal(pricing_period(2025, 13, 1, &s, &e, &err), CY_EINVAL);
}
