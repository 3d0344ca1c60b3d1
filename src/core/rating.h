/*
 * rating.h — the frequency × severity rating model (DOMAIN.md §6) in plain
 * structs, and the arithmetic that prices a policy from it.
 *
 * Per insured: annual incident frequency λ = base(GB/T 4754 section) ×
 * size(revenue) × security(grade A–E). Per incident: a type (ransomware,
 * data breach, …) from the mix; each coverage has a loss with the type's
 * probability, its amount lognormal (optionally with a generalised Pareto
 * tail above a high quantile), the median scaled by revenue and by the
 * type's severity scale; bi is hourly gross profit × outage hours, the hours
 * lognormal by type. The simulation
 * (sim/) draws from exactly these distributions, so its mean insured loss
 * must agree with rating_premium's pure premium (test_sim checks it).
 *
 * Pure premium for a layer is λ_c × (LEV(retention + limit) − LEV(retention))
 * per coverage with the closed-form limited expected value; with a
 * coinsurance share s and sublimit L the layer is s × (LEV(R + L/s) − LEV(R)).
 * The formula takes the retention per coverage: exact when one loss touches
 * one insured coverage, an approximation (it overstates the retention)
 * when a loss spreads over several; and it ignores the aggregate limit
 * (it overstates the premium when the limit erodes). rating_premium_t says
 * when either applies.
 *
 * Depends on core/ (cov, terms, money, normal, error), libc and libm (with
 * libmvec through core/normal) only; no state outside its arguments.
 * The parameters come from data/rating/model.json through app/rating_data.c.
 */
#ifndef CY_CORE_RATING_H
#define CY_CORE_RATING_H

#include <stddef.h>
#include <stdint.h>

#include "core/cov.h"
#include "core/error.h"
#include "core/terms.h"

#define RATING_N_SECTIONS 20 /* GB/T 4754-2017 sections A–T */
#define RATING_N_GRADES   5  /* security grades A–E */
#define RATING_MAX_TYPES  8  /* incident types */

/* The severity of one coverage's loss (not bi, which is hours × hourly gross profit). */
typedef struct {
    double mu;               /* ln(fen): log-median at the reference revenue */
    double sigma;            /* ≥ 0 */
    double revenue_exponent; /* median × (revenue / reference)^exponent; 0 = not scaled */
    int tail;                /* 1: generalised Pareto tail above tail_quantile */
    double tail_quantile;    /* threshold u = exp(mu + sigma Φ⁻¹(q)), 0.5 < q < 1 */
    double tail_xi;          /* GPD shape, 0 ≤ ξ < 1 (the mean exists) */
    double tail_beta_ratio;  /* GPD scale β = ratio × u, > 0 */
} rating_severity_t;

/* An incident type of the mix. */
typedef struct {
    char code[24]; /* ransomware, data_breach, ddos, bec_fraud, operator_error */
    char name_zh[48];
    char name_en[64];
    double share;          /* of attritional incidents; the shares add up to 1 */
    double involve[COV_N]; /* P(coverage c has a loss | an incident of this type) */
    double severity_scale; /* multiplies every coverage's amount (not bi hours), > 0 */
    double bi_hours_mu;    /* outage hours ~ LN(mu, sigma), ln hours */
    double bi_hours_sigma;
} rating_type_t;

/*
 * What rating_premium needs on every row and that depends on the model
 * alone, derived by rating_model_prepare and kept in the model: nothing is
 * remembered anywhere else. Never set by hand; after changing a parameter
 * call rating_model_prepare again.
 */
typedef struct {
    int prepared;                           /* 1: rating_model_prepare filled the rest */
    double weight[COV_N][RATING_MAX_TYPES]; /* share_k × involve_kc */
    double mix[COV_N];                      /* Σ_k weight[c][k]: λ_c = λ × mix[c] */
    double log_scale[RATING_MAX_TYPES];     /* ln severity_scale_k */
    double bi_mean[RATING_MAX_TYPES];       /* mean outage hours e^(bi_mu + σ²/2) */
    double tail_z[COV_N];                   /* Φ⁻¹(tail_quantile) of a coverage with a tail */
    double tail_sf[COV_N];                  /* 1 − Φ(tail_z[c]) */
} rating_derived_t;

typedef struct {
    double base_frequency[RATING_N_SECTIONS]; /* incidents a year, section A..T */
    int64_t size_reference_revenue;           /* fen: where the size factor is 1 */
    double size_exponent;                     /* size = clamp((rev/ref)^exponent, min, max) */
    double size_min, size_max;
    double grade_factor[RATING_N_GRADES]; /* A..E */
    rating_type_t types[RATING_MAX_TYPES];
    size_t n_types;
    rating_severity_t severity[COV_N];  /* severity[COV_BI] unused */
    int64_t severity_reference_revenue; /* fen: where the medians apply unscaled */
    double default_gross_margin;        /* when the insured states none, 0 ≤ m ≤ 1 */
    double expense_loading;             /* gross = pure / (1 − expense − profit) */
    double profit_loading;
    int64_t minimum_premium;  /* fen */
    rating_derived_t derived; /* rating_model_prepare's; zero: not prepared */
} rating_model_t;

/* The insured as the model sees it. */
typedef struct {
    char section;        /* GB/T 4754 section 'A'..'T' */
    int64_t revenue;     /* fen a year, > 0 */
    char grade;          /* 'A'..'E' */
    double gross_margin; /* 0..1; negative: the model's default */
} rating_insured_t;

/* λ and the factors that make it, for a quote to show. */
typedef struct {
    double base;
    double size;
    double security;
    double lambda; /* base × size × security */
} rating_frequency_t;

typedef struct {
    rating_frequency_t freq;
    int64_t hourly_gross_profit; /* fen per hour: revenue × margin / 8760 */
    double lambda_cov[COV_N];    /* expected losses a year on coverage c */
    double pure_cov[COV_N];      /* expected payment a year on coverage c, fen, unrounded */
    int64_t pure;                /* Σ pure_cov rounded once to the fen */
    int64_t gross;               /* pure / (1 − expense − profit), at least the minimum */
    int retention_shared;        /* the retention may be shared by several coverages */
    /*
     * How far each pure_cov[c] and their sum may lie from what libm's scalar
     * erfc and exp give (rating_premium_scalar): 0 when computed with them.
     * The rounded amounts (pure, gross) are always libm's.
     */
    double bound;
} rating_premium_t;

/* Hours in a year: hourly gross profit = revenue × margin / RATING_HOURS_PER_YEAR. */
#define RATING_HOURS_PER_YEAR 8760.0

/*
 * rating_model_validate checks every parameter's range (shares add up to 1
 * within 1e-6, probabilities in [0, 1], sigmas ≥ 0, tails, loadings < 1, …).
 * CY_EINVAL, code rating_model, field naming the parameter ("types[2].share").
 */
cy_status_t rating_model_validate(const rating_model_t *m, cy_error_t *err);

/*
 * rating_model_prepare validates m (as rating_model_validate) and derives
 * m->derived from it; app/rating_data.c calls it on every model it loads.
 * A model that was not prepared still prices correctly: rating_premium then
 * derives the same constants on its stack for each call (slower).
 */
cy_status_t rating_model_prepare(rating_model_t *m, cy_error_t *err);

/* rating_frequency computes λ for ins. CY_EINVAL (rating_insured) on a bad section, grade or
 * revenue. */
cy_status_t rating_frequency(const rating_model_t *m, const rating_insured_t *ins,
                             rating_frequency_t *out, cy_error_t *err);

/*
 * rating_lev_lognormal: E[min(X, d)] for X ~ LN(mu, sigma), in X's unit:
 * exp(mu + σ²/2) Φ((ln d − mu − σ²)/σ) + d (1 − Φ((ln d − mu)/σ)).
 * d ≤ 0 gives 0, d = +∞ the mean; sigma 0 gives min(e^mu, d).
 */
double rating_lev_lognormal(double mu, double sigma, double d);

/* rating_lev_gpd: E[min(Y, m)] for Y ~ GPD(ξ, β), ξ ≥ 0, β > 0; m ≤ 0 gives 0. */
double rating_lev_gpd(double xi, double beta, double m);

/*
 * rating_severity_lev: E[min(X, d)] for coverage severity s with its
 * log-median shifted by mu_shift (revenue scaling): the lognormal, or with a
 * tail the lognormal below u spliced to u + GPD above it.
 */
double rating_severity_lev(const rating_severity_t *s, double mu_shift, double d);

/* rating_mu_shift: revenue_exponent × ln(revenue / reference), 0 if not scaled. */
double rating_mu_shift(const rating_model_t *m, const rating_severity_t *s, int64_t revenue);

/*
 * rating_hourly_gross_profit: revenue × margin / 8760 rounded to the fen
 * (margin < 0: the model's default).
 */
int64_t rating_hourly_gross_profit(const rating_model_t *m, int64_t revenue, double margin);

/*
 * rating_premium_scalar prices terms t (validated) for ins: frequency, the
 * pure premium per coverage and in total, and the gross premium, every
 * erfc and exp by libm's scalar functions: the reference.
 *
 * rating_premium gives the same to the fen, faster: the erfc and exp of a
 * row are evaluated over arrays by glibc's vector functions (libmvec,
 * within a few ulps of libm's), everything else by the same operations in
 * the same order, and out->bound bounds the difference this can make to
 * the unrounded amounts (2^-40 × the sum of the magnitudes of the LEV terms
 * involved, over sixty times the worst case). When the pure premium's
 * rounding (or its range) is not certain within that bound, the row is
 * priced again by rating_premium_scalar (out->bound = 0), so `pure`, `gross`
 * and every refusal are always the reference's. docs/pricing.md explains
 * the bound.
 */
cy_status_t rating_premium(const rating_model_t *m, const rating_insured_t *ins, const terms_t *t,
                           rating_premium_t *out, cy_error_t *err);
cy_status_t rating_premium_scalar(const rating_model_t *m, const rating_insured_t *ins,
                                  const terms_t *t, rating_premium_t *out, cy_error_t *err);

#endif
