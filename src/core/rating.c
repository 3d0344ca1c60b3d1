/*
 * rating.c — frequency, closed-form limited expected values and the pure
 * premium of the rating model (see rating.h). Pure: core/, libc, libm (and
 * libmvec through core/normal.c); no state outside the arguments.
 */
#include "core/rating.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "core/normal.h"

static cy_status_t
model_bad(cy_error_t *err, const char *field, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EINVAL, "rating_model", field,
                        "费率模型 %s：%s / rating model %s: %s", field, zh, field, en);
}

static int
finite_in(double x, double lo, double hi)
{
    return isfinite(x) && x >= lo && x <= hi;
}

static cy_status_t
severity_validate(const rating_severity_t *s, const char *code, cy_error_t *err)
{
    char f[64];
    snprintf(f, sizeof f, "severity.%s.mu", code);
    if (!finite_in(s->mu, -50.0, 100.0))
        return model_bad(err, f, "对数中位数不是合理的有限数",
                         "log-median is not a sensible finite number");
    snprintf(f, sizeof f, "severity.%s.sigma", code);
    if (!finite_in(s->sigma, 0.0, 10.0))
        return model_bad(err, f, "应在 0 到 10 之间", "must be from 0 to 10");
    snprintf(f, sizeof f, "severity.%s.revenue_exponent", code);
    if (!finite_in(s->revenue_exponent, -2.0, 2.0))
        return model_bad(err, f, "应在 -2 到 2 之间", "must be from -2 to 2");
    if (!s->tail)
        return CY_OK;
    snprintf(f, sizeof f, "severity.%s.tail.quantile", code);
    if (!finite_in(s->tail_quantile, 0.5, 1.0) || s->tail_quantile >= 1.0)
        return model_bad(err, f, "应在 [0.5, 1) 之内", "must be in [0.5, 1)");
    snprintf(f, sizeof f, "severity.%s.tail.xi", code);
    if (!finite_in(s->tail_xi, 0.0, 1.0) || s->tail_xi >= 1.0)
        return model_bad(err, f, "形状参数应在 [0, 1) 之内（均值存在）",
                         "the shape must be in [0, 1) so that the mean exists");
    snprintf(f, sizeof f, "severity.%s.tail.beta_ratio", code);
    if (!finite_in(s->tail_beta_ratio, 1e-9, 1e6))
        return model_bad(err, f, "尺度比例应为正数", "the scale ratio must be positive");
    return CY_OK;
}

cy_status_t
rating_model_validate(const rating_model_t *m, cy_error_t *err)
{
    char f[64];
    for (int i = 0; i < RATING_N_SECTIONS; i++) {
        snprintf(f, sizeof f, "frequency.base.%c", 'A' + i);
        if (!finite_in(m->base_frequency[i], 0.0, 100.0))
            return model_bad(err, f, "年频率应在 0 到 100 之间",
                             "annual frequency must be from 0 to 100");
    }
    if (m->size_reference_revenue <= 0)
        return model_bad(err, "frequency.size.reference_revenue", "应为正数", "must be positive");
    if (!finite_in(m->size_exponent, -2.0, 2.0))
        return model_bad(err, "frequency.size.exponent", "应在 -2 到 2 之间",
                         "must be from -2 to 2");
    if (!finite_in(m->size_min, 1e-6, 1e6) || !finite_in(m->size_max, m->size_min, 1e6))
        return model_bad(err, "frequency.size.min", "应满足 0 < min ≤ max",
                         "must satisfy 0 < min ≤ max");
    for (int g = 0; g < RATING_N_GRADES; g++) {
        snprintf(f, sizeof f, "frequency.security.%c", 'A' + g);
        if (!finite_in(m->grade_factor[g], 1e-6, 1e3))
            return model_bad(err, f, "安全等级系数应为正数", "a grade factor must be positive");
    }
    if (m->n_types < 1 || m->n_types > RATING_MAX_TYPES)
        return model_bad(err, "incident_types", "应有 1 到 8 种事件类型",
                         "needs 1 to 8 incident types");
    double total = 0.0;
    for (size_t t = 0; t < m->n_types; t++) {
        const rating_type_t *ty = &m->types[t];
        snprintf(f, sizeof f, "incident_types[%zu].share", t);
        if (!finite_in(ty->share, 0.0, 1.0))
            return model_bad(err, f, "应在 [0, 1] 之内", "must be in [0, 1]");
        total += ty->share;
        for (int c = 0; c < COV_N; c++) {
            snprintf(f, sizeof f, "incident_types[%zu].coverages.%s", t, cov_code(c));
            if (!finite_in(ty->involve[c], 0.0, 1.0))
                return model_bad(err, f, "概率应在 [0, 1] 之内", "a probability must be in [0, 1]");
        }
        snprintf(f, sizeof f, "incident_types[%zu].severity_scale", t);
        if (!finite_in(ty->severity_scale, 1e-6, 1e3))
            return model_bad(err, f, "应为正数", "must be positive");
        snprintf(f, sizeof f, "incident_types[%zu].bi_hours", t);
        if (!finite_in(ty->bi_hours_mu, -20.0, 20.0) || !finite_in(ty->bi_hours_sigma, 0.0, 10.0))
            return model_bad(err, f, "中断小时数的对数正态参数不合理",
                             "the lognormal of outage hours is out of range");
    }
    if (fabs(total - 1.0) > 1e-6)
        return model_bad(err, "incident_types", "各事件类型占比之和应为 1",
                         "the incident type shares must add up to 1");
    for (int c = 0; c < COV_N; c++) {
        if (c == COV_BI)
            continue;
        cy_status_t st = severity_validate(&m->severity[c], cov_code(c), err);
        if (st != CY_OK)
            return st;
    }
    if (m->severity_reference_revenue <= 0)
        return model_bad(err, "severity.reference_revenue", "应为正数", "must be positive");
    if (!finite_in(m->default_gross_margin, 0.0, 1.0))
        return model_bad(err, "default_gross_margin", "应在 [0, 1] 之内", "must be in [0, 1]");
    if (!finite_in(m->expense_loading, 0.0, 1.0) || !finite_in(m->profit_loading, 0.0, 1.0) ||
        m->expense_loading + m->profit_loading >= 0.95)
        return model_bad(err, "loading", "费用与利润附加之和应小于 0.95",
                         "expense plus profit loading must be below 0.95");
    if (m->minimum_premium < 0)
        return model_bad(err, "minimum_premium", "不能为负数", "must not be negative");
    return CY_OK;
}

cy_status_t
rating_frequency(const rating_model_t *m, const rating_insured_t *ins, rating_frequency_t *out,
                 cy_error_t *err)
{
    if (ins->section < 'A' || ins->section > 'T')
        return cy_error_set(err, CY_EINVAL, "rating_insured", "section",
                            "行业门类应为 A–T / the industry section must be A–T");
    if (ins->grade < 'A' || ins->grade > 'E')
        return cy_error_set(err, CY_EINVAL, "rating_insured", "grade",
                            "安全等级应为 A–E / the security grade must be A–E");
    if (ins->revenue <= 0)
        return cy_error_set(err, CY_EINVAL, "rating_insured", "revenue",
                            "年营业收入应为正数 / annual revenue must be positive");
    out->base = m->base_frequency[ins->section - 'A'];
    double size = pow((double)ins->revenue / (double)m->size_reference_revenue, m->size_exponent);
    out->size = size < m->size_min ? m->size_min : size > m->size_max ? m->size_max : size;
    out->security = m->grade_factor[ins->grade - 'A'];
    out->lambda = out->base * out->size * out->security;
    return CY_OK;
}

double
rating_lev_lognormal(double mu, double sigma, double d)
{
    if (!(d > 0.0))
        return 0.0;
    double mean = exp(mu + 0.5 * sigma * sigma);
    if (isinf(d))
        return mean;
    if (sigma <= 0.0) {
        double x = exp(mu);
        return x < d ? x : d;
    }
    double ld = log(d);
    return mean * normal_cdf((ld - mu - sigma * sigma) / sigma) + d * normal_sf((ld - mu) / sigma);
}

double
rating_lev_gpd(double xi, double beta, double m)
{
    if (!(m > 0.0))
        return 0.0;
    if (fabs(xi) < 1e-12) /* the exponential limit */
        return isinf(m) ? beta : -beta * expm1(-m / beta);
    if (isinf(m))
        return xi < 1.0 ? beta / (1.0 - xi) : HUGE_VAL;
    if (fabs(1.0 - xi) < 1e-12)
        return beta * log1p(m / beta);
    /* ∫0^m (1 + ξy/β)^(−1/ξ) dy, written with expm1/log1p to keep small m exact */
    return -beta / (1.0 - xi) * expm1((1.0 - 1.0 / xi) * log1p(xi * m / beta));
}

/* ln d where a lognormal LEV will use it (d > 0 and finite), else 0. */
static double
lev_log(double d)
{
    return d > 0.0 && !isinf(d) ? log(d) : 0.0;
}

double
rating_severity_lev(const rating_severity_t *s, double mu_shift, double d)
{
    double mu = s->mu + mu_shift;
    if (!s->tail)
        return rating_lev_lognormal(mu, s->sigma, d);
    double zq = normal_quantile(s->tail_quantile);
    double u = exp(mu + s->sigma * zq);
    if (d <= u)
        return rating_lev_lognormal(mu, s->sigma, d);
    /* E[min(X, d)] = LEV_LN(u) + P(X > u) · E[min(Y, d − u)], Y the GPD excess over u */
    return rating_lev_lognormal(mu, s->sigma, u) +
           normal_sf(zq) * rating_lev_gpd(s->tail_xi, s->tail_beta_ratio * u, d - u);
}

double
rating_mu_shift(const rating_model_t *m, const rating_severity_t *s, int64_t revenue)
{
    if (s->revenue_exponent == 0.0 || revenue <= 0)
        return 0.0;
    return s->revenue_exponent * log((double)revenue / (double)m->severity_reference_revenue);
}

int64_t
rating_hourly_gross_profit(const rating_model_t *m, int64_t revenue, double margin)
{
    if (margin < 0.0)
        margin = m->default_gross_margin;
    int64_t v = 0;
    if (money_mul_rate(revenue, margin / RATING_HOURS_PER_YEAR, &v, NULL) != CY_OK)
        return 0;
    return v;
}

/* ---- the constants of a model ------------------------------------------- */

/* What rating_premium needs on every row from m alone (see rating_derived_t). */
static void
derive(const rating_model_t *m, rating_derived_t *dv)
{
    memset(dv, 0, sizeof *dv);
    size_t nt = m->n_types < RATING_MAX_TYPES ? m->n_types : RATING_MAX_TYPES;
    for (int c = 0; c < COV_N; c++) {
        double mix = 0.0;
        for (size_t k = 0; k < nt; k++) {
            dv->weight[c][k] = m->types[k].share * m->types[k].involve[c];
            mix += dv->weight[c][k];
        }
        dv->mix[c] = mix;
        if (c != COV_BI && m->severity[c].tail) {
            dv->tail_z[c] = normal_quantile(m->severity[c].tail_quantile);
            dv->tail_sf[c] = normal_sf(dv->tail_z[c]);
        }
    }
    for (size_t k = 0; k < nt; k++) {
        const rating_type_t *ty = &m->types[k];
        dv->log_scale[k] = log(ty->severity_scale);
        dv->bi_mean[k] = exp(ty->bi_hours_mu + 0.5 * ty->bi_hours_sigma * ty->bi_hours_sigma);
    }
    dv->prepared = 1;
}

cy_status_t
rating_model_prepare(rating_model_t *m, cy_error_t *err)
{
    m->derived.prepared = 0;
    cy_status_t st = rating_model_validate(m, err);
    if (st != CY_OK)
        return st;
    derive(m, &m->derived);
    return CY_OK;
}

/* ---- one row: the passes of rating_premium ------------------------------ */

/*
 * A row prices each insured coverage c against each incident type k that
 * touches it: a layer, share × involve × (LEV(upper end) − LEV(lower end)).
 * Pass 1 works out, in scalar arithmetic, what every LEV needs (the tail
 * thresholds, which decide which LEVs there are, are taken at once with
 * libm's exp); pass 2 evaluates the erfc arguments, the exps and erfcs, and
 * the LEVs over arrays; pass 3 adds up the layers. Each value is made by the
 * operations, in the order, of the closed form E[min(X, d)] =
 * e^(μ+σ²/2) Φ((ln d − μ − σ²)/σ) + d (1 − Φ((ln d − μ)/σ)) with
 * Φ(x) = erfc(−x/√2)/2 and 1 − Φ(x) = erfc(x/√2)/2 as core/normal.c has
 * them, so with libm's scalar erfc and exp in pass 2 the result is, to the
 * bit, that of evaluating each LEV in turn.
 */
enum { ROW_LAYERS = COV_N * RATING_MAX_TYPES, ROW_LEVS = 3 * ROW_LAYERS, ROW_BLOCK = 8 };

typedef struct {
    double w;      /* share_k × involve_kc */
    double mean;   /* e^(μ+σ²/2): given (bi), or from pass 2's exp */
    int xarg;      /* index of its exponent among the row's exp arguments, −1: given */
    int end[2];    /* where the LEV of the upper and of the lower end is in row_t.val */
    int tail[2];   /* 1: the end lies above the tail threshold u: LEV(u) + add */
    double add[2]; /* P(X > u) × E[min(Y, d − u)], Y the GPD excess */
} layer_t;

typedef struct {
    int c;
    int first, end; /* its layers */
    double f;       /* pure_c = f × Σ layers: λ × share (× hourly gross profit for bi) */
} row_cov_t;

typedef struct {
    /* the LEVs found by two erfc, as arrays: (μ, σ, ln d, d) and the layer of the mean */
    double mu[ROW_LEVS], sigma[ROW_LEVS], ld[ROW_LEVS], d[ROW_LEVS], mean[ROW_LEVS];
    double cdf[ROW_LEVS], sf[ROW_LEVS]; /* erfc's arguments for Φ and 1 − Φ, then its values */
    int layer_of[ROW_LEVS];
    /* every LEV: [0, n_erfc) those, from ROW_LEVS on the others (0, the mean, a constant) */
    double val[2 * ROW_LEVS];
    int mean_of[ROW_LEVS]; /* for the others: the layer whose mean it is, −1: val is set */
    layer_t layer[ROW_LAYERS];
    row_cov_t cov[COV_N];
    double xarg[ROW_LAYERS]; /* exp arguments, then their values */
    int n_erfc, n_other, n_layer, n_cov, n_xarg;
} row_t;

/* Pass 1 of one LEV of layer L: where its value will be, and what it needs. */
static int
lev_add(row_t *R, int L, double mu, double sigma, double d, double ld)
{
    if (d > 0.0 && !isinf(d) && sigma > 0.0) {
        int j = R->n_erfc++;
        R->mu[j] = mu;
        R->sigma[j] = sigma;
        R->ld[j] = ld;
        R->d[j] = d;
        R->layer_of[j] = L;
        return j;
    }
    int o = R->n_other++;
    R->mean_of[o] = -1;
    if (!(d > 0.0)) {
        R->val[ROW_LEVS + o] = 0.0;
    } else if (isinf(d)) {
        R->mean_of[o] = L;
    } else { /* σ = 0: the amount is e^μ */
        double x = exp(mu);
        R->val[ROW_LEVS + o] = x < d ? x : d;
    }
    return ROW_LEVS + o;
}

/* A new layer of weight w and given mean (by_exp 0) or mean e^xarg. */
static layer_t *
layer_add(row_t *R, double w, double mean, double xarg, int by_exp)
{
    layer_t *L = &R->layer[R->n_layer++];
    *L = (layer_t){.w = w, .mean = mean, .xarg = -1};
    if (by_exp) {
        L->xarg = R->n_xarg;
        R->xarg[R->n_xarg++] = xarg;
    }
    return L;
}

/*
 * Pass 1 of a coverage's layer for one type: the severity's log-median
 * shifted by sh, the layer from lo to hi (ln given); above the tail
 * threshold u a LEV is LEV(u) + P(X > u) × the GPD's LEV of the excess.
 */
static void
severity_layer(row_t *R, const rating_severity_t *s, double tz, double tsf, double w, double sh,
               double hi, double lhi, double lo, double llo)
{
    double mu = s->mu + sh, sigma = s->sigma;
    int L = R->n_layer;
    layer_t *y = layer_add(R, w, 0.0, mu + 0.5 * sigma * sigma, 1);
    const double d[2] = {hi, lo}, ld[2] = {lhi, llo};
    if (!s->tail) {
        for (int i = 0; i < 2; i++)
            y->end[i] = lev_add(R, L, mu, sigma, d[i], ld[i]);
        return;
    }
    double u = exp(mu + sigma * tz);
    int lev_u = -1;
    double gpd_beta = 0.0;
    for (int i = 0; i < 2; i++) {
        if (d[i] <= u) {
            y->end[i] = lev_add(R, L, mu, sigma, d[i], ld[i]);
            continue;
        }
        if (lev_u < 0) {
            lev_u = lev_add(R, L, mu, sigma, u, lev_log(u));
            gpd_beta = s->tail_beta_ratio * u;
        }
        y->end[i] = lev_u;
        y->tail[i] = 1;
        y->add[i] = tsf * rating_lev_gpd(s->tail_xi, gpd_beta, d[i] - u);
    }
}

/*
 * Passes 2 and 3: pure_cov and their sum into out, and in *mag the sum of
 * the magnitudes of every LEV term they were made of (what bounds the effect
 * of a few ulps in each erfc and exp). vector: libmvec's erfc and exp, else
 * libm's scalar ones. The arrays are taken in blocks of ROW_BLOCK, which the
 * compiler keeps in vector registers; the block's unused tail holds harmless
 * values whose results nothing reads.
 */
static double
row_evaluate(row_t *R, int vector, rating_premium_t *out, double *mag)
{
    int n = R->n_erfc, nb = (n + ROW_BLOCK - 1) / ROW_BLOCK * ROW_BLOCK;
    for (int j = n; j < nb; j++) {
        R->mu[j] = R->ld[j] = R->d[j] = 0.0;
        R->sigma[j] = 1.0;
    }
    for (int j = 0; j < nb; j += ROW_BLOCK)
        for (int k = j; k < j + ROW_BLOCK; k++) {
            double ld = R->ld[k], mu = R->mu[k], sigma = R->sigma[k];
            R->cdf[k] = -((ld - mu - sigma * sigma) / sigma) * M_SQRT1_2; /* Φ */
            R->sf[k] = (ld - mu) / sigma * M_SQRT1_2;                     /* 1 − Φ */
        }
    if (vector) {
        normal_exp_n(R->xarg, R->xarg, (size_t)R->n_xarg);
        normal_erfc_n(R->cdf, R->cdf, (size_t)nb);
        normal_erfc_n(R->sf, R->sf, (size_t)nb);
    } else {
        for (int i = 0; i < R->n_xarg; i++)
            R->xarg[i] = exp(R->xarg[i]);
        for (int j = 0; j < n; j++) {
            R->cdf[j] = erfc(R->cdf[j]);
            R->sf[j] = erfc(R->sf[j]);
        }
    }
    for (int i = 0; i < R->n_layer; i++)
        if (R->layer[i].xarg >= 0)
            R->layer[i].mean = R->xarg[R->layer[i].xarg];
    for (int j = 0; j < n; j++)
        R->mean[j] = R->layer[R->layer_of[j]].mean;
    for (int j = n; j < nb; j++)
        R->mean[j] = 0.0;
    for (int j = 0; j < nb; j += ROW_BLOCK)
        for (int k = j; k < j + ROW_BLOCK; k++)
            R->val[k] = R->mean[k] * (0.5 * R->cdf[k]) + R->d[k] * (0.5 * R->sf[k]);
    for (int o = 0; o < R->n_other; o++)
        if (R->mean_of[o] >= 0)
            R->val[ROW_LEVS + o] = R->layer[R->mean_of[o]].mean;
    double total = 0.0, sum_mag = 0.0;
    for (int j = 0; j < R->n_cov; j++) {
        const row_cov_t *rc = &R->cov[j];
        double e = 0.0, m = 0.0;
        for (int i = rc->first; i < rc->end; i++) {
            const layer_t *y = &R->layer[i];
            double hi = R->val[y->end[0]], lo = R->val[y->end[1]];
            if (y->tail[0])
                hi = hi + y->add[0];
            if (y->tail[1])
                lo = lo + y->add[1];
            e += y->w * (hi - lo);
            m += y->w * (hi + lo);
        }
        out->pure_cov[rc->c] = rc->f * e;
        total += out->pure_cov[rc->c];
        sum_mag += rc->f * m;
    }
    *mag = sum_mag;
    return total;
}

/*
 * The premium of one row in R (vector: by libmvec, else libm). *uncertain = 1
 * (and nothing more done) when the pure premium's rounding is not certain.
 */
static cy_status_t
row_price(const rating_model_t *m, const rating_insured_t *ins, const terms_t *t, int vector,
          row_t *R, rating_premium_t *out, int *uncertain, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    *uncertain = 0;
    cy_status_t st = rating_frequency(m, ins, &out->freq, err);
    if (st != CY_OK)
        return st;
    rating_derived_t local;
    const rating_derived_t *dv = &m->derived;
    if (!dv->prepared) {
        derive(m, &local);
        dv = &local;
    }
    R->n_erfc = R->n_other = R->n_layer = R->n_cov = R->n_xarg = 0;
    double lambda = out->freq.lambda;
    double gp = (double)(out->hourly_gross_profit =
                             rating_hourly_gross_profit(m, ins->revenue, ins->gross_margin));
    double r = (double)t->retention;
    double lr = lev_log(r);
    double log_rev =
        ins->revenue > 0 ? log((double)ins->revenue / (double)m->severity_reference_revenue) : 0.0;
    int possible = 0;
    size_t nt = m->n_types < RATING_MAX_TYPES ? m->n_types : RATING_MAX_TYPES;
    for (int c = 0; c < COV_N; c++) {
        if (!(t->covered & (1u << c)))
            continue;
        double lam_c = dv->mix[c] * lambda;
        out->lambda_cov[c] = lam_c;
        if (lam_c <= 0.0)
            continue;
        if (c == COV_BI && gp <= 0.0)
            continue;
        possible++;
        double s = t->share[c], l = (double)t->sublimit[c];
        row_cov_t *rc = &R->cov[R->n_cov++];
        rc->c = c;
        rc->first = R->n_layer;
        if (c == COV_BI) {
            /* bi = gp × (H − w)+: the layer in hours starts at w + R/gp and spans L/(s·gp) */
            double a = t->bi_waiting_hours + r / gp, b = a + l / (s * gp);
            double la = lev_log(a), lb = lev_log(b);
            for (size_t k = 0; k < nt; k++) {
                if (dv->weight[c][k] <= 0.0)
                    continue;
                const rating_type_t *ty = &m->types[k];
                int L = R->n_layer;
                layer_t *y = layer_add(R, dv->weight[c][k], dv->bi_mean[k], 0.0, 0);
                y->end[0] = lev_add(R, L, ty->bi_hours_mu, ty->bi_hours_sigma, b, lb);
                y->end[1] = lev_add(R, L, ty->bi_hours_mu, ty->bi_hours_sigma, a, la);
            }
            rc->f = lambda * s * gp;
        } else {
            /* the same severity for every type, shifted by revenue and the type's scale */
            const rating_severity_t *sev = &m->severity[c];
            /* rating_mu_shift's operations with its logarithm taken once a row */
            double shift = sev->revenue_exponent == 0.0 || ins->revenue <= 0
                               ? 0.0
                               : sev->revenue_exponent * log_rev;
            double hi = r + l / s, lhi = lev_log(hi);
            for (size_t k = 0; k < nt; k++) {
                if (dv->weight[c][k] <= 0.0)
                    continue;
                double sh = shift + dv->log_scale[k];
                severity_layer(R, sev, dv->tail_z[c], dv->tail_sf[c], dv->weight[c][k], sh, hi, lhi,
                               r, lr);
            }
            rc->f = lambda * s;
        }
        rc->end = R->n_layer;
    }
    out->retention_shared = t->retention > 0 && possible >= 2;
    double mag = 0.0, total = row_evaluate(R, vector, out, &mag);
    if (vector) {
        /*
         * A few ulps in each erfc and exp move every LEV term by well under
         * 2^-46 of its magnitude, the sums by under 2^-46 × mag: the pure
         * premium's rounding is libm's when it is the same at both ends of
         * ±2^-40 × mag (floor(x + 0.5) never decreases with x); else the row
         * is evaluated again with libm's.
         */
        double b = 0x1p-40 * mag + 0x1p-60, whole = floor(total + 0.5);
        if (!(total + b < 9e18 && (total - b) + 0.5 >= whole && (total + b) + 0.5 < whole + 1.0)) {
            *uncertain = 1;
            return CY_OK;
        }
        out->bound = b;
    }
    if (!(total < 9e18))
        return cy_error_set(err, CY_EINVAL, "rating_overflow", "pure",
                            "纯保费超出可表示的范围 / the pure premium is out of range");
    /* the one rounding of the pure premium: half up (total ≥ 0) */
    out->pure = (int64_t)floor(total + 0.5);
    int64_t gross = 0;
    if (money_mul_rate(out->pure, 1.0 / (1.0 - m->expense_loading - m->profit_loading), &gross,
                       err) != CY_OK)
        return CY_EINVAL;
    out->gross = gross < m->minimum_premium ? m->minimum_premium : gross;
    return CY_OK;
}

static cy_status_t
premium(const rating_model_t *m, const rating_insured_t *ins, const terms_t *t, int vector,
        rating_premium_t *out, cy_error_t *err)
{
    row_t R;
    int uncertain;
    cy_status_t st = row_price(m, ins, t, vector, &R, out, &uncertain, err);
    if (st == CY_OK && uncertain) /* the same row again, by libm's functions */
        st = row_price(m, ins, t, 0, &R, out, &uncertain, err);
    return st;
}

cy_status_t
rating_premium(const rating_model_t *m, const rating_insured_t *ins, const terms_t *t,
               rating_premium_t *out, cy_error_t *err)
{
    return premium(m, ins, t, 1, out, err);
}

cy_status_t
rating_premium_scalar(const rating_model_t *m, const rating_insured_t *ins, const terms_t *t,
                      rating_premium_t *out, cy_error_t *err)
{
    return premium(m, ins, t, 0, out, err);
}
