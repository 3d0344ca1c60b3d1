/*
 * rating.c — frequency, closed-form limited expected values and the pure
 * premium of the rating model (see rating.h). Pure: core/, libc, libm; no
 * state outside the arguments.
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

/*
 * The limited expected value of a lognormal given its mean e^(mu + σ²/2) and
 * ln d already computed: the same operations as rating_lev_lognormal, so the
 * same result to the bit, without recomputing what a caller shares between
 * several calls (the mean between the two ends of a layer, ln d between the
 * incident types).
 */
static double
lev_ln(double mean, double mu, double sigma, double d, double ld)
{
    if (!(d > 0.0))
        return 0.0;
    if (isinf(d))
        return mean;
    if (sigma <= 0.0) {
        double x = exp(mu);
        return x < d ? x : d;
    }
    return mean * normal_cdf((ld - mu - sigma * sigma) / sigma) + d * normal_sf((ld - mu) / sigma);
}

/* ln d where lev_ln will use it (d > 0 and finite), else 0. */
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

/*
 * rating_severity_lev(s, sh, hi) − rating_severity_lev(s, sh, lo) with ln hi
 * and ln lo, Φ⁻¹(tail_quantile) tz and 1 − Φ(tz) tsf given: the same
 * operations, the lognormal's mean and the tail's threshold computed once
 * for both ends.
 */
static double
severity_layer(const rating_severity_t *s, double tz, double tsf, double mu_shift, double hi,
               double lhi, double lo, double llo)
{
    double mu = s->mu + mu_shift, sigma = s->sigma;
    double mean = exp(mu + 0.5 * sigma * sigma);
    if (!s->tail)
        return lev_ln(mean, mu, sigma, hi, lhi) - lev_ln(mean, mu, sigma, lo, llo);
    double u = exp(mu + sigma * tz);
    double lev_u = 0.0, gpd_beta = 0.0;
    int have_u = 0;
    double v[2];
    const double d[2] = {hi, lo}, ld[2] = {lhi, llo};
    for (int i = 0; i < 2; i++) {
        if (d[i] <= u) {
            v[i] = lev_ln(mean, mu, sigma, d[i], ld[i]);
            continue;
        }
        if (!have_u) {
            lev_u = lev_ln(mean, mu, sigma, u, lev_log(u));
            gpd_beta = s->tail_beta_ratio * u;
            have_u = 1;
        }
        v[i] = lev_u + tsf * rating_lev_gpd(s->tail_xi, gpd_beta, d[i] - u);
    }
    return v[0] - v[1];
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

cy_status_t
rating_premium(const rating_model_t *m, const rating_insured_t *ins, const terms_t *t,
               rating_premium_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    cy_status_t st = rating_frequency(m, ins, &out->freq, err);
    if (st != CY_OK)
        return st;
    double lambda = out->freq.lambda;
    double gp = (double)(out->hourly_gross_profit =
                             rating_hourly_gross_profit(m, ins->revenue, ins->gross_margin));
    double r = (double)t->retention;
    double lr = lev_log(r);
    double log_rev =
        ins->revenue > 0 ? log((double)ins->revenue / (double)m->severity_reference_revenue) : 0.0;
    rating_derived_t local;
    const rating_derived_t *dv = &m->derived;
    if (!dv->prepared) {
        derive(m, &local);
        dv = &local;
    }
    int possible = 0;
    double total = 0.0;
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
        double s = t->share[c], l = (double)t->sublimit[c], e = 0.0;
        if (c == COV_BI) {
            /* bi = gp × (H − w)+: the layer in hours starts at w + R/gp and spans L/(s·gp) */
            double a = t->bi_waiting_hours + r / gp, b = a + l / (s * gp);
            double la = lev_log(a), lb = lev_log(b);
            for (size_t k = 0; k < nt; k++) {
                if (dv->weight[c][k] <= 0.0)
                    continue;
                double mu = m->types[k].bi_hours_mu, sg = m->types[k].bi_hours_sigma;
                e += dv->weight[c][k] * (lev_ln(dv->bi_mean[k], mu, sg, b, lb) -
                                         lev_ln(dv->bi_mean[k], mu, sg, a, la));
            }
            out->pure_cov[c] = lambda * s * gp * e;
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
                e += dv->weight[c][k] *
                     severity_layer(sev, dv->tail_z[c], dv->tail_sf[c], sh, hi, lhi, r, lr);
            }
            out->pure_cov[c] = lambda * s * e;
        }
        total += out->pure_cov[c];
    }
    out->retention_shared = t->retention > 0 && possible >= 2;
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
