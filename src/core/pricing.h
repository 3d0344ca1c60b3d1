/*
 * pricing.h — from the rating model's pure premium to the premium a quote
 * shows (单价保费, DOMAIN.md §6), and the arithmetic of the policy's life:
 * pro-rata premium by day for endorsements and cancellations, the
 * claim-free credit at renewal, the policy number.
 *
 * The frequency × severity arithmetic is core/rating.h's rating_premium —
 * the same function the portfolio simulation's mean loss is checked against
 * — so a quote and the simulation can never price the same terms twice in
 * two ways. This file adds what a quote needs on top:
 *
 *   gross   = Σ_c pure_c / (1 − expense − profit)            rounded once
 *   premium = max(minimum, gross_exact × (1 − claim-free credit)) rounded once
 *
 * where pure_c is rating_premium's unrounded pure premium of coverage c, so
 * each amount shown is its exact value rounded half-up to the fen once
 * (pure premium, each coverage's pure premium, gross, premium), never a
 * rounded amount rounded again. docs/pricing.md works one example by hand;
 * tests/unit/test_pricing.c reproduces it to the fen.
 *
 * Pure: core/ (rating, terms, money, error), libc, libm. No I/O, no
 * allocation, no globals.
 */
#ifndef CY_CORE_PRICING_H
#define CY_CORE_PRICING_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/rating.h"
#include "core/terms.h"

typedef struct {
    rating_premium_t rating; /* factors, λ and pure premium per coverage as rating_premium gave */
    int64_t pure_cov[COV_N]; /* each coverage's pure premium rounded once, for display */
    int64_t pure;            /* Σ pure_c rounded once (= rating.pure) */
    double loading;          /* 1 / (1 − expense − profit) */
    double gross_exact;      /* Σ pure_c × loading, unrounded */
    int64_t gross;           /* gross_exact rounded once */
    double credit;           /* claim-free credit applied, 0 ≤ credit < 1 */
    int64_t credit_amount;   /* gross − (premium before the minimum), for display */
    int64_t minimum;         /* the minimum premium that applied as the floor */
    int minimum_applied;     /* 1 when the premium is the minimum */
    int64_t premium;         /* what the insured pays for a year */
    double rate_on_line;     /* premium / aggregate limit */
} pricing_result_t;

/* Round a non-negative exact amount of fen half-up to a whole fen (the one rounding). */
int64_t pricing_round(double fen);

/*
 * pricing_quote prices terms t (validated) for insured ins under model m,
 * with claim-free credit credit (0 ≤ credit < 1) and minimum premium
 * minimum (fen ≥ 0; negative: the model's). Refusals are rating_premium's
 * (rating_insured with field section, grade or revenue) and pricing_credit.
 */
cy_status_t pricing_quote(const rating_model_t *m, const rating_insured_t *ins, const terms_t *t,
                          double credit, int64_t minimum, pricing_result_t *out, cy_error_t *err);

/*
 * pricing_pro_rata sets *out = annual × days / days_total rounded half away
 * from zero once, in exact integer arithmetic (a charge and its refund are
 * mirrors). 0 ≤ days ≤ days_total, days_total > 0; else CY_EINVAL
 * (pricing_days).
 */
cy_status_t pricing_pro_rata(int64_t annual, int64_t days, int64_t days_total, int64_t *out,
                             cy_error_t *err);

/* A step of the claim-free credit table: at least years claim-free years → credit. */
typedef struct {
    int years;
    double credit;
} pricing_credit_step_t;

/*
 * pricing_claim_free_credit returns the credit for years consecutive
 * claim-free years: the step with the most years not above years (steps in
 * ascending order of years), 0 when none applies.
 */
double pricing_claim_free_credit(const pricing_credit_step_t *steps, size_t n, int years);

/*
 * Policy numbers: "PREFIX-YYYY-IIIIII-SSSSSS-CC": the underwriting year,
 * the insurer's organisation id and its sequence in that year (each zero
 * padded to six digits), and two check digits ISO 7064 MOD 97-10 over the
 * digits before them (as IBAN does), so a mistyped digit is caught.
 * PREFIX is 1–8 capital letters (data). Buffer: POLICYNO_MAX bytes.
 */
#define POLICYNO_MAX 48

cy_status_t policyno_format(const char *prefix, int year, int64_t insurer_id, int64_t seq,
                            char *buf, size_t cap, cy_error_t *err);

/* policyno_check returns 1 when s has the shape above and its check digits agree. */
int policyno_check(const char *s);

/*
 * The policy period: start at 00:00 Beijing time of the start date, end at
 * 00:00 Beijing time of the same date a year later (exclusive: the policy
 * covers the 365 or 366 whole days in between). 29 February starts end on
 * 1 March. Returns the UTC seconds; CY_EINVAL (date_invalid) for a bad date.
 */
cy_status_t pricing_period(int y, int m, int d, int64_t *start_utc, int64_t *end_utc,
                           cy_error_t *err);

/* Days between two Beijing midnights (b − a) / 86400; both must be midnights. */
int64_t pricing_days(int64_t a_utc, int64_t b_utc);

#endif
