/*
 * test_rating.c — the rating model (core/rating.c, core/normal.c) and its
 * loader (app/rating_data.c): Φ and Φ⁻¹, the closed-form limited expected
 * values against numerical integration to 1e-9 relative, frequency factors,
 * pure and gross premium against direct integration of the layer, and a
 * malformed model file naming its line and field. Depends on cmocka, core/
 * and app/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cytest.h"

#include <math.h>
#include <unistd.h>

#include "data/rating.h"
#include "core/normal.h"
#include "core/rating.h"

/* ---- numerical integration (the oracle) --------------------------------- */

/* 20-point Gauss–Legendre nodes and weights on [-1, 1]. */
static const double gl_x[10] = {0.0765265211334973, 0.2277858511416451, 0.3737060887154195,
                                0.5108670019508271, 0.6360536807265150, 0.7463319064601508,
                                0.8391169718222188, 0.9122344282513259, 0.9639719272779138,
                                0.9931285991850949};
static const double gl_w[10] = {0.1527533871307258, 0.1491729864726037, 0.1420961093183820,
                                0.1316886384491766, 0.1181945319615184, 0.1019301198172404,
                                0.0832767415767048, 0.0626720483341091, 0.0406014298003869,
                                0.0176140071391521};

/* ∫a^b f, composite 20-point Gauss–Legendre on n panels, in long double sums. */
static double
integrate(double (*f)(double, const void *), const void *ctx, double a, double b, int n)
{
    long double s = 0.0L;
    double h = (b - a) / n;
    for (int i = 0; i < n; i++) {
        double m = a + (i + 0.5) * h, r = 0.5 * h;
        for (int k = 0; k < 10; k++)
            s += (long double)gl_w[k] * r * (f(m - r * gl_x[k], ctx) + f(m + r * gl_x[k], ctx));
    }
    return (double)s;
}

typedef struct {
    double mu, sigma;
    int tail;
    double u, q, xi, beta;
} dist_t;

/* Survival function of the lognormal, or of the lognormal spliced to u + GPD. */
static double
survival(const dist_t *d, double x)
{
    if (x <= 0.0)
        return 1.0;
    if (!d->tail || x <= d->u)
        return normal_sf((log(x) - d->mu) / d->sigma);
    double y = x - d->u;
    double s = d->xi > 0.0 ? pow(1.0 + d->xi * y / d->beta, -1.0 / d->xi) : exp(-y / d->beta);
    return d->q * s;
}

/* LEV(d) = ∫0^d S(x) dx, integrated in t = ln x so that the lognormal is smooth: S(e^t) e^t. */
static double
f_log(double t, const void *ctx)
{
    double x = exp(t);
    return survival(ctx, x) * x;
}

static double
lev_numeric(const dist_t *d, double limit)
{
    /* below e^(mu − 12σ) S is 1 to double precision: that piece is exactly its length */
    double t0 = d->mu - 12.0 * d->sigma, t1 = log(limit);
    if (t1 <= t0)
        return limit;
    double lo = exp(t0);
    if (d->tail && limit > d->u) /* integrate each side of the splice point separately */
        return lo + integrate(f_log, d, t0, log(d->u), 400) +
               integrate(f_log, d, log(d->u), t1, 400);
    return lo + integrate(f_log, d, t0, t1, 400);
}

static void
assert_rel(double got, double want, double tol)
{
    double rel = fabs(got - want) / fabs(want);
    if (!(rel <= tol)) {
        print_error("got %.17g, want %.17g (relative error %.3g > %.3g)\n", got, want, rel, tol);
        fail();
    }
}

/* ---- normal ------------------------------------------------------------- */

CY_TEST(test_rating_normal_cdf_and_quantile)
{
    (void)state;
    assert_true(fabs(normal_cdf(0.0) - 0.5) < 1e-16);
    assert_rel(normal_cdf(1.959963984540054), 0.975, 1e-15);
    assert_rel(normal_sf(1.959963984540054), 0.025, 1e-13);
    assert_rel(normal_cdf(-8.0), 6.22096057427178e-16, 1e-12); /* tail kept by erfc */
    assert_rel(normal_quantile(0.975), 1.959963984540054, 1e-14);
    assert_rel(normal_quantile(0.5 + 1e-9), 2.506628203738712e-09, 1e-9);
    assert_rel(normal_quantile(1e-10), -6.361340902404056, 1e-13);
    assert_rel(normal_quantile(1.0 - 1e-10), 6.361340889697422, 1e-8);
    for (double p = 1e-12; p < 1.0; p = p < 0.01 ? p * 10.0 : p + 0.01) {
        double z = normal_quantile(p);
        double back = p < 0.5 ? normal_cdf(z) : 1.0 - normal_sf(z);
        assert_rel(back, p, 1e-12);
    }
    assert_true(isnan(normal_quantile(-0.1)));
    assert_true(isinf(normal_quantile(0.0)) && normal_quantile(0.0) < 0);
    assert_true(isinf(normal_quantile(1.0)) && normal_quantile(1.0) > 0);
}

/* ---- limited expected values -------------------------------------------- */

CY_TEST(test_rating_lev_lognormal_matches_integration)
{
    (void)state;
    const double cases[][3] = {
        /* mu (ln fen), sigma, limit (fen) */
        {log(2.6e7), 1.8, 1e7}, {log(2.6e7), 1.8, 2.6e7}, {log(2.6e7), 1.8, 5e9},
        {log(1e5), 0.5, 3e5},   {log(1e5), 0.5, 1e3},     {log(5e6), 2.5, 1e11},
        {log(72.0), 1.2, 12.0}, {log(72.0), 1.2, 2000.0}, {0.0, 1.0, 0.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dist_t d = {cases[i][0], cases[i][1], 0, 0, 0, 0, 0};
        assert_rel(rating_lev_lognormal(d.mu, d.sigma, cases[i][2]), lev_numeric(&d, cases[i][2]),
                   1e-9);
    }
    /* the limits: nothing below 0, the mean at infinity, a point mass without σ */
    assert_true(rating_lev_lognormal(1.0, 1.0, 0.0) == 0.0);
    assert_rel(rating_lev_lognormal(1.0, 1.0, INFINITY), exp(1.5), 1e-15);
    assert_rel(rating_lev_lognormal(log(100.0), 0.0, 60.0), 60.0, 1e-15);
    assert_rel(rating_lev_lognormal(log(100.0), 0.0, 600.0), 100.0, 1e-12);
}

CY_TEST(test_rating_lev_gpd_matches_integration)
{
    (void)state;
    /* E[min(Y, m)] = ∫0^m S_Y; with u = 0 and q = 1 the spliced survival is the GPD's */
    const double cases[][3] = {
        {0.5, 1e6, 3e6}, {0.3, 200.0, 50.0}, {0.0, 1e4, 1e5}, {0.9, 1.0, 1e6}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dist_t d = {0.0, 1.0, 1, 1e-300, 1.0, cases[i][0], cases[i][1]};
        double m = cases[i][2];
        double want = integrate(f_log, &d, log(m) - 40.0, log(m), 2000) + m * exp(-40.0);
        assert_rel(rating_lev_gpd(cases[i][0], cases[i][1], m), want, 1e-9);
    }
    assert_rel(rating_lev_gpd(0.5, 2.0, INFINITY), 4.0, 1e-15);
}

CY_TEST(test_rating_lev_spliced_tail_matches_integration)
{
    (void)state;
    rating_severity_t s = {.mu = log(3e7),
                           .sigma = 2.0,
                           .tail = 1,
                           .tail_quantile = 0.99,
                           .tail_xi = 0.5,
                           .tail_beta_ratio = 0.5};
    double zq = normal_quantile(0.99), u = exp(s.mu + s.sigma * zq);
    dist_t d = {s.mu, s.sigma, 1, u, normal_sf(zq), 0.5, 0.5 * u};
    const double limits[] = {1e6, 3e7, 0.999 * u, 1.5 * u, 20.0 * u, 1e4 * u};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        assert_rel(rating_severity_lev(&s, 0.0, limits[i]), lev_numeric(&d, limits[i]), 1e-9);
    /* a revenue shift moves the whole distribution, threshold included */
    d.mu += 0.7;
    d.u *= exp(0.7);
    d.beta *= exp(0.7);
    assert_rel(rating_severity_lev(&s, 0.7, 5.0 * d.u), lev_numeric(&d, 5.0 * d.u), 1e-9);
}

/* ---- frequency and premium ---------------------------------------------- */

/* A small model whose numbers a reader can follow. */
static void
small_model(rating_model_t *m)
{
    memset(m, 0, sizeof *m);
    for (int i = 0; i < RATING_N_SECTIONS; i++)
        m->base_frequency[i] = 0.01;
    m->base_frequency['C' - 'A'] = 0.02;
    m->size_reference_revenue = 100000000LL * 100;
    m->size_exponent = 0.5;
    m->size_min = 0.5;
    m->size_max = 3.0;
    const double g[RATING_N_GRADES] = {0.6, 0.8, 1.0, 1.3, 1.8};
    memcpy(m->grade_factor, g, sizeof g);
    m->n_types = 2;
    rating_type_t *a = &m->types[0], *b = &m->types[1];
    snprintf(a->code, sizeof a->code, "ransomware");
    a->share = 0.4;
    a->severity_scale = 2.0;
    a->involve[COV_BI] = 0.5;
    a->involve[COV_IR] = 1.0;
    a->bi_hours_mu = log(24.0);
    a->bi_hours_sigma = 1.0;
    snprintf(b->code, sizeof b->code, "bec_fraud");
    b->share = 0.6;
    b->severity_scale = 0.5;
    b->involve[COV_IR] = 0.5;
    b->bi_hours_mu = 0.0;
    for (int c = 0; c < COV_N; c++) {
        m->severity[c].mu = log(1e5 * 100);
        m->severity[c].sigma = 1.0;
    }
    m->severity[COV_IR].mu = log(2e5 * 100);
    m->severity[COV_IR].sigma = 1.5;
    m->severity[COV_IR].revenue_exponent = 0.3;
    m->severity_reference_revenue = 100000000LL * 100;
    m->default_gross_margin = 0.3;
    m->expense_loading = 0.3;
    m->profit_loading = 0.1;
    m->minimum_premium = 2000 * 100;
}

CY_TEST(test_rating_frequency_is_base_times_size_times_grade)
{
    (void)state;
    rating_model_t m;
    small_model(&m);
    cy_error_t err;
    assert_int_equal(rating_model_validate(&m, &err), CY_OK);
    rating_insured_t ins = {'C', 400000000LL * 100, 'D', -1.0};
    rating_frequency_t f;
    assert_int_equal(rating_frequency(&m, &ins, &f, &err), CY_OK);
    assert_rel(f.base, 0.02, 1e-15);
    assert_rel(f.size, 2.0, 1e-15); /* (¥400M / ¥100M)^0.5 */
    assert_rel(f.security, 1.3, 1e-15);
    assert_rel(f.lambda, 0.052, 1e-14);
    ins.revenue = 100000000000LL * 100; /* ¥100B: (1000)^0.5 is capped at 3 */
    assert_int_equal(rating_frequency(&m, &ins, &f, &err), CY_OK);
    assert_rel(f.size, 3.0, 1e-15);
    ins.section = 'Z';
    assert_int_equal(rating_frequency(&m, &ins, &f, &err), CY_EINVAL);
    assert_string_equal(err.field, "section");
    ins.section = 'C';
    ins.grade = 'F';
    assert_int_equal(rating_frequency(&m, &ins, &f, &err), CY_EINVAL);
    assert_string_equal(err.field, "grade");
}

/* E[min(s (X − R)+, L)] for X = scale × LN(mu + shift, σ), integrated directly. */
typedef struct {
    double mu, sigma, r, s, l;
} layer_t;

static double
f_layer(double z, const void *ctx)
{
    const layer_t *y = ctx;
    double x = exp(y->mu + y->sigma * z), pay = y->s * (x - y->r);
    pay = pay < 0.0 ? 0.0 : pay > y->l ? y->l : pay;
    return pay * exp(-0.5 * z * z) / sqrt(2.0 * M_PI);
}

static double
layer_numeric(double mu, double sigma, double r, double s, double l)
{
    layer_t y = {mu, sigma, r, s, l};
    /* the integrand has kinks where X = R and X = R + L/s: integrate between them */
    double k1 = r > 0 ? (log(r) - mu) / sigma : -12.0, k2 = (log(r + l / s) - mu) / sigma;
    if (k1 < -12.0)
        k1 = -12.0;
    return integrate(f_layer, &y, -12.0, k1, 50) + integrate(f_layer, &y, k1, k2, 400) +
           integrate(f_layer, &y, k2, 12.0, 400);
}

CY_TEST(test_rating_pure_premium_integrates_the_layer)
{
    (void)state;
    rating_model_t m;
    small_model(&m);
    rating_insured_t ins = {'C', 400000000LL * 100, 'C', 0.25};
    terms_t t;
    terms_init(&t, 1000000000LL);
    t.covered = 1u << COV_IR;
    t.retention = 50000 * 100;
    t.share[COV_IR] = 0.9;
    t.sublimit[COV_IR] = 2000000 * 100;
    rating_premium_t p;
    cy_error_t err;
    assert_int_equal(rating_premium(&m, &ins, &t, &p, &err), CY_OK);
    double lambda = 0.02 * 2.0 * 1.0;
    assert_rel(p.freq.lambda, lambda, 1e-14);
    assert_rel(p.lambda_cov[COV_IR], lambda * (0.4 * 1.0 + 0.6 * 0.5), 1e-14);
    double shift = 0.3 * log(4.0);
    double want =
        lambda *
        (0.4 * layer_numeric(m.severity[COV_IR].mu + shift + log(2.0), 1.5, 5e6, 0.9, 2e8) +
         0.6 * 0.5 * layer_numeric(m.severity[COV_IR].mu + shift + log(0.5), 1.5, 5e6, 0.9, 2e8));
    assert_rel(p.pure_cov[COV_IR], want, 1e-9);
    assert_int_equal(p.pure, (int64_t)floor(p.pure_cov[COV_IR] + 0.5)); /* rounded once */
    assert_int_equal(p.retention_shared, 0);
    /* gross = pure / 0.6, at least ¥2,000 */
    int64_t gross = (int64_t)floor((double)p.pure / 0.6 + 0.5);
    assert_int_equal(p.gross, gross < 200000 ? 200000 : gross);

    /* bi: hourly gross profit ¥400M × 0.25 / 8760, hours past an 8 h wait */
    t.covered = 1u << COV_BI;
    t.bi_waiting_hours = 8.0;
    t.retention = 0;
    t.share[COV_BI] = 1.0;
    t.sublimit[COV_BI] = 1000000 * 100;
    assert_int_equal(rating_premium(&m, &ins, &t, &p, &err), CY_OK);
    assert_int_equal(p.hourly_gross_profit, 1141553); /* ¥11,415.53 an hour */
    double gp = 1141553.0;
    /* pay = gp × min((H − 8)+, L/gp): the layer of H from 8 h, L/gp hours wide */
    want = lambda * 0.4 * 0.5 * layer_numeric(log(24.0), 1.0, 8.0, gp, 1e8);
    assert_rel(p.pure_cov[COV_BI], want, 1e-9);

    /* a retention over two coverages that one loss can share is flagged */
    t.covered = 1u << COV_BI | 1u << COV_IR;
    t.retention = 1000;
    assert_int_equal(rating_premium(&m, &ins, &t, &p, &err), CY_OK);
    assert_int_equal(p.retention_shared, 1);
}

CY_TEST(test_rating_model_validate_names_the_parameter)
{
    (void)state;
    rating_model_t m;
    cy_error_t err;
    small_model(&m);
    m.types[1].share = 0.5;
    assert_int_equal(rating_model_validate(&m, &err), CY_EINVAL);
    assert_string_equal(err.field, "incident_types");
    small_model(&m);
    m.severity[COV_DATA].sigma = -1.0;
    assert_int_equal(rating_model_validate(&m, &err), CY_EINVAL);
    assert_string_equal(err.field, "severity.data.sigma");
    small_model(&m);
    m.types[0].involve[COV_PR] = 1.5;
    assert_int_equal(rating_model_validate(&m, &err), CY_EINVAL);
    assert_string_equal(err.field, "incident_types[0].coverages.pr");
    small_model(&m);
    m.expense_loading = 0.6;
    m.profit_loading = 0.4;
    assert_int_equal(rating_model_validate(&m, &err), CY_EINVAL);
    assert_string_equal(err.field, "loading");
}

/* ---- the constants of a model and the vector evaluation ---------------- */

CY_TEST(test_rating_prepare_derives_the_model_constants)
{
    (void)state;
    rating_model_t m;
    small_model(&m);
    m.severity[COV_BREACH].tail = 1;
    m.severity[COV_BREACH].tail_quantile = 0.99;
    m.severity[COV_BREACH].tail_xi = 0.5;
    m.severity[COV_BREACH].tail_beta_ratio = 0.5;
    cy_error_t err;
    assert_int_equal(m.derived.prepared, 0);
    assert_int_equal(rating_model_prepare(&m, &err), CY_OK);
    const rating_derived_t *d = &m.derived;
    assert_int_equal(d->prepared, 1);
    assert_true(d->weight[COV_IR][0] == 0.4 * 1.0 && d->weight[COV_IR][1] == 0.6 * 0.5);
    assert_true(d->mix[COV_IR] == 0.4 * 1.0 + 0.6 * 0.5);
    assert_true(d->weight[COV_BI][1] == 0.0 && d->mix[COV_DATA] == 0.0);
    assert_true(d->log_scale[0] == log(2.0) && d->log_scale[1] == log(0.5));
    assert_true(d->bi_mean[0] == exp(log(24.0) + 0.5) && d->bi_mean[1] == 1.0);
    assert_rel(d->tail_z[COV_BREACH], 2.3263478740408408, 1e-14); /* Φ⁻¹(0.99) */
    assert_rel(d->tail_sf[COV_BREACH], 0.01, 1e-13);
    assert_true(d->tail_z[COV_IR] == 0.0); /* no tail */
    /* a model that fails validation is refused and left unprepared */
    m.types[1].share = 0.5;
    assert_int_equal(rating_model_prepare(&m, &err), CY_EINVAL);
    assert_string_equal(err.field, "incident_types");
    assert_int_equal(m.derived.prepared, 0);
}

/* Every field of two premiums equal to the bit. */
static void
assert_same_premium(const rating_premium_t *a, const rating_premium_t *b)
{
    assert_memory_equal(&a->freq, &b->freq, sizeof a->freq);
    assert_memory_equal(a->lambda_cov, b->lambda_cov, sizeof a->lambda_cov);
    assert_memory_equal(a->pure_cov, b->pure_cov, sizeof a->pure_cov);
    assert_int_equal(a->hourly_gross_profit, b->hourly_gross_profit);
    assert_int_equal(a->pure, b->pure);
    assert_int_equal(a->gross, b->gross);
    assert_int_equal(a->retention_shared, b->retention_shared);
}

CY_TEST(test_rating_prepared_and_unprepared_models_price_the_same)
{
    (void)state;
    rating_model_t raw, prep;
    small_model(&raw);
    small_model(&prep);
    cy_error_t err;
    assert_int_equal(rating_model_prepare(&prep, &err), CY_OK);
    rating_insured_t ins = {'C', 400000000LL * 100, 'C', 0.25};
    terms_t t;
    terms_init(&t, 1000000000LL);
    t.covered = 1u << COV_IR | 1u << COV_BI;
    t.retention = 50000 * 100;
    t.bi_waiting_hours = 8.0;
    rating_premium_t a, b;
    assert_int_equal(rating_premium_scalar(&raw, &ins, &t, &a, &err), CY_OK);
    assert_int_equal(rating_premium_scalar(&prep, &ins, &t, &b, &err), CY_OK);
    assert_same_premium(&a, &b);
    assert_true(a.bound == 0.0 && b.bound == 0.0);
    /* a changed parameter takes effect once the model is prepared again */
    raw.types[0].severity_scale = prep.types[0].severity_scale = 3.0;
    raw.types[0].bi_hours_sigma = prep.types[0].bi_hours_sigma = 1.5;
    assert_int_equal(rating_model_prepare(&prep, &err), CY_OK);
    rating_premium_t c;
    assert_int_equal(rating_premium_scalar(&raw, &ins, &t, &a, &err), CY_OK);
    assert_int_equal(rating_premium_scalar(&prep, &ins, &t, &c, &err), CY_OK);
    assert_same_premium(&a, &c);
    assert_true(c.pure > b.pure); /* a larger scale and longer outages cost more */
}

/* ulps between two finite doubles of the same sign. */
static int64_t
ulps(double a, double b)
{
    int64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x > y ? x - y : y - x;
}

CY_TEST(test_rating_erfc_and_exp_over_arrays_within_4_ulps)
{
    (void)state;
    enum { N = 4001 };
    static double x[N + 8], y[N + 8], z[N + 8];
    for (int i = 0; i < N; i++)
        x[i] = -9.0 + 40.0 * i / (N - 1); /* erfc: 2 down to subnormal and 0 */
    /* every length up to two vectors and one beyond, so the padded rest is checked */
    for (size_t n = 0; n <= 17; n++) {
        for (size_t i = 0; i < n + 1; i++)
            y[i] = -1.0;
        normal_erfc_n(x + 1000, y, n);
        for (size_t i = 0; i < n; i++)
            assert_true(ulps(y[i], erfc(x[1000 + i])) <= 4);
        assert_true(y[n] == -1.0); /* nothing written past n */
    }
    normal_erfc_n(x, y, N);
    int64_t worst = 0;
    for (int i = 0; i < N; i++) {
        int64_t u = ulps(y[i], erfc(x[i]));
        worst = u > worst ? u : worst;
    }
    assert_true(worst <= 4);
    for (int i = 0; i < N; i++)
        z[i] = -745.0 + 1454.0 * i / (N - 1); /* exp: subnormal to near overflow */
    normal_exp_n(z, y, N);
    for (int i = 0; i < N; i++)
        if (!(ulps(y[i], exp(z[i])) <= 4 || fabs(y[i] - exp(z[i])) < 0x1p-1060))
            fail_msg("exp(%.17g): %.17g, libm %.17g", z[i], y[i], exp(z[i]));
    const double sx[4] = {-INFINITY, INFINITY, 0.0, -0.0}, se[4] = {2.0, 0.0, 1.0, 1.0};
    normal_erfc_n(sx, y, 4);
    assert_memory_equal(y, se, sizeof se);
    const double tx[4] = {-INFINITY, 0.0, -1000.0, 1000.0}, te[4] = {0.0, 1.0, 0.0, INFINITY};
    normal_exp_n(tx, y, 4);
    assert_memory_equal(y, te, sizeof te);
    /* in place */
    memcpy(y, x, sizeof x);
    normal_erfc_n(y, y, N);
    for (int i = 0; i < N; i++)
        assert_true(ulps(y[i], erfc(x[i])) <= 4);
}

/* xorshift64*: the same rows on every run */
static double
rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * 2685821657736338717ULL) >> 11) * 0x1p-53;
}

/* A random insured and valid terms over any coverages of the shipped model. */
static void
random_row(uint64_t *s, rating_insured_t *ins, terms_t *t)
{
    ins->section = (char)('A' + (int)(rnd(s) * 20));
    ins->revenue = (int64_t)(exp(log(1e8) + rnd(s) * (log(1e13) - log(1e8)))); /* ¥1M–¥100B */
    ins->grade = (char)('A' + (int)(rnd(s) * 5));
    ins->gross_margin = rnd(s) < 0.5 ? -1.0 : rnd(s);
    static const int64_t aggs[4] = {100000000LL, 300000000LL, 1000000000LL, 10000000000LL};
    static const int64_t rets[6] = {0, 100000, 1000000, 5000000, 10000000, 100000000};
    static const double shares[3] = {1.0, 0.8, 0.5};
    terms_init(t, aggs[(int)(rnd(s) * 4)]);
    t->retention = rets[(int)(rnd(s) * 6)];
    t->bi_waiting_hours = (double)(int)(rnd(s) * 4) * 8.0;
    t->covered = (uint32_t)(rnd(s) * COV_ALL_MASK) | 1u << COV_IR;
    for (int c = 0; c < COV_N; c++) {
        t->share[c] = shares[(int)(rnd(s) * 3)];
        if (rnd(s) < 0.3)
            t->sublimit[c] = 1 + (int64_t)(rnd(s) * (double)t->aggregate_limit);
    }
}

CY_TEST(test_rating_vector_premium_is_the_scalar_reference_to_the_fen)
{
    (void)state;
    rating_data_t rd;
    cy_error_t err;
    assert_int_equal(
        rating_data_load(CY_SOURCE_DIR "/data/rating/model.json", "model.json", &rd, &err), CY_OK);
    assert_int_equal(rd.model.derived.prepared, 1);
    uint64_t seed = 20250101;
    int rows = 0, fallbacks = 0, differ = 0;
    double widest = 0.0;
    for (int i = 0; i < 20000; i++) {
        rating_insured_t ins;
        terms_t t;
        random_row(&seed, &ins, &t);
        if (terms_validate(&t, &err) != CY_OK)
            continue;
        rows++;
        rating_premium_t v, r;
        assert_int_equal(rating_premium(&rd.model, &ins, &t, &v, &err), CY_OK);
        assert_int_equal(rating_premium_scalar(&rd.model, &ins, &t, &r, &err), CY_OK);
        assert_true(r.bound == 0.0 && v.bound >= 0.0);
        fallbacks += v.bound == 0.0;
        /* what does not go through erfc and exp is the same to the bit, the rounded amounts too */
        assert_memory_equal(&v.freq, &r.freq, sizeof v.freq);
        assert_memory_equal(v.lambda_cov, r.lambda_cov, sizeof v.lambda_cov);
        assert_int_equal(v.hourly_gross_profit, r.hourly_gross_profit);
        assert_int_equal(v.retention_shared, r.retention_shared);
        assert_int_equal(v.pure, r.pure);
        assert_int_equal(v.gross, r.gross);
        /* the unrounded amounts lie within the bound, with a margin of 64 */
        double total = 0.0;
        for (int c = 0; c < COV_N; c++) {
            double d = fabs(v.pure_cov[c] - r.pure_cov[c]);
            if (d > v.bound / 64.0)
                fail_msg("row %d coverage %s: %.17g vs %.17g, bound %.3g", i, cov_code(c),
                         v.pure_cov[c], r.pure_cov[c], v.bound);
            differ += d > 0.0;
            total += r.pure_cov[c];
            if (d > 0.0 && d / v.bound > widest)
                widest = d / v.bound;
        }
        assert_true(v.bound <= 1e-6 * (total + 1.0)); /* tight enough to rarely fall back */
    }
    print_message("%d rows, %d priced again by libm, %d coverages differ in the last bits; "
                  "largest difference %.3g of the bound\n",
                  rows, fallbacks, differ, widest);
    assert_true(rows > 10000);
    assert_true(fallbacks <= rows / 100);
}

/* ---- the model file ----------------------------------------------------- */

CY_TEST(test_rating_shipped_model_loads_and_prices_a_pilot_policy)
{
    (void)state;
    rating_data_t rd;
    cy_error_t err;
    assert_int_equal(
        rating_data_load(CY_SOURCE_DIR "/data/rating/model.json", "model.json", &rd, &err), CY_OK);
    assert_rel(rd.usd_cny, 7.2, 1e-15);
    assert_int_equal(rd.model.n_types, 5);
    assert_string_equal(rd.model.types[0].code, "ransomware");
    /* a ¥500M manufacturer, grade C, ¥7.7M limit, ¥50k retention, the six common coverages */
    rating_insured_t ins = {'C', 500000000LL * 100, 'C', -1.0};
    terms_t t;
    terms_init(&t, 7700000LL * 100);
    t.covered = 1u << COV_BI | 1u << COV_DATA | 1u << COV_IR | 1u << COV_PR | 1u << COV_LEGAL |
                1u << COV_BREACH;
    t.retention = 50000 * 100;
    t.bi_waiting_hours = 12.0;
    rating_premium_t p;
    assert_int_equal(rating_premium(&rd.model, &ins, &t, &p, &err), CY_OK);
    /* the pilot's batch 1 averaged ≈ ¥100k premium on ≈ ¥7.7M limits: same order of size */
    assert_true(p.gross > 20000 * 100 && p.gross < 300000 * 100);
}

/* Writes text to a temporary file and returns its path (static buffer). */
static const char *
temp_file(const char *text)
{
    static char path[] = "/tmp/cy-rating-XXXXXX";
    snprintf(path, sizeof path, "/tmp/cy-rating-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

/* The shipped model with one substitution, written to a temporary file. */
static const char *
model_with(const char *from, const char *to)
{
    FILE *f = fopen(CY_SOURCE_DIR "/data/rating/model.json", "rb");
    assert_non_null(f);
    static char buf[1 << 16], out[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *at = strstr(buf, from);
    assert_non_null(at);
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - buf), buf, to, at + strlen(from));
    return temp_file(out);
}

/* The line of the first occurrence of needle in the shipped model. */
static int
model_line_of(const char *needle)
{
    FILE *f = fopen(CY_SOURCE_DIR "/data/rating/model.json", "rb");
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *at = strstr(buf, needle);
    int line = 1;
    for (char *p = buf; p < at; p++)
        line += *p == '\n';
    return line;
}

CY_TEST(test_rating_malformed_model_names_line_and_field)
{
    (void)state;
    rating_data_t rd;
    cy_error_t err;
    char want[96];

    const char *path = model_with("\"exponent\": 0.15", "\"exponent\": \"0.15\"");
    assert_int_equal(rating_data_load(path, "model.json", &rd, &err), CY_EINVAL);
    assert_string_equal(err.code, "rating_model_invalid");
    assert_string_equal(err.field, "frequency.size.exponent");
    snprintf(want, sizeof want, "model.json line %d, frequency.size.exponent: must be a number",
             model_line_of("\"exponent\": 0.15"));
    assert_non_null(strstr(err.message, want));
    snprintf(want, sizeof want, "第 %d 行", model_line_of("\"exponent\": 0.15"));
    assert_non_null(strstr(err.message, want));
    unlink(path);

    path = model_with("\"share\": 0.55", "\"shares\": 0.55");
    assert_int_equal(rating_data_load(path, "model.json", &rd, &err), CY_EINVAL);
    assert_string_equal(err.field, "incident_types[3].shares");
    assert_non_null(strstr(err.message, "unknown key"));
    unlink(path);

    path = model_with("\"share\": 0.55", "\"share\": 0.45");
    assert_int_equal(rating_data_load(path, "model.json", &rd, &err), CY_EINVAL);
    assert_non_null(strstr(err.message, "add up to 1"));
    unlink(path);

    path = model_with("\"sigma\": 1.8, \"revenue_exponent\": 0.3, \"note\": \"NetDiligence",
                      "\"sigma\": 11, \"revenue_exponent\": 0.3, \"note\": \"NetDiligence");
    assert_int_equal(rating_data_load(path, "model.json", &rd, &err), CY_EINVAL);
    assert_string_equal(err.field, "severity.coverages.ir.sigma");
    assert_non_null(strstr(err.message, "must be from 0 to 10, got 11"));
    unlink(path);

    path = temp_file("{\"source\": \"x\",\n \"version\": 1,,\n}");
    assert_int_equal(rating_data_load(path, "model.json", &rd, &err), CY_EINVAL);
    assert_non_null(strstr(err.message, "model.json line 2"));
    assert_non_null(strstr(err.message, "JSON syntax error"));
    unlink(path);
}
