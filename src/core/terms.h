/*
 * terms.h — the one terms engine: what a loss pays under a policy's terms.
 *
 * Claims settlement calls it for one loss and wants every step explained;
 * the portfolio simulation calls it for hundreds of millions of losses and
 * wants neither text nor allocation. So terms_apply takes the loss, the
 * policy-year state (the part of the aggregate limit still available) and an
 * optional trace: with trace NULL it only does integer arithmetic.
 *
 * The rules, in the order they apply to one loss (docs/terms.md argues the
 * order with worked examples, each a unit test):
 *   1. waiting period  bi = hourly gross profit × max(0, hours − waiting) + extra expense
 *   2. retention       once per loss across the covered coverages, taken from
 *                      them in the notice's order (phys, bi, data, …, eo)
 *   3. coinsurance     the insurer's share of what is left, per coverage
 *   4. sublimit        per coverage, per loss
 *   5. aggregate limit per policy year, for all coverages together; it erodes
 *                      loss by loss and, when it runs short, pays the
 *                      coverages in the notice's order
 * Money is int64 fen; a rate (coinsurance share, hours) meets money only in
 * money_mul_rate, which rounds once, half away from zero.
 *
 * Depends on core/ (cov, money, error) and libc only: no I/O, no allocation.
 */
#ifndef CY_CORE_TERMS_H
#define CY_CORE_TERMS_H

#include <stddef.h>
#include <stdint.h>

#include "core/cov.h"
#include "core/error.h"

/* Largest amount one coverage of one loss may carry: ¥1,000,000,000,000,000 (10^17 fen). */
#define TERMS_AMOUNT_MAX ((int64_t)100000000000000000)

/* Largest outage the engine accepts: 100 years of hours, beyond any policy period. */
#define TERMS_HOURS_MAX 876000.0

/* Most trace lines one loss can produce: one per rule per coverage, plus totals. */
#define TERMS_TRACE_MAX_LINES (COV_N * 6 + 4)

/* A policy's terms (DOMAIN.md §6). */
typedef struct {
    int64_t aggregate_limit; /* fen, > 0: per policy year, all coverages together */
    int64_t retention;       /* fen, ≥ 0: per loss (claim), once across coverages */
    double bi_waiting_hours; /* ≥ 0: hours of outage the insured bears before bi pays */
    uint32_t covered;        /* bit (1u << c) set: coverage c is insured */
    int64_t sublimit[COV_N]; /* fen, per loss: 0 < sublimit ≤ aggregate_limit if covered */
    double share[COV_N];     /* insurer's share (coinsurance), 0 < share ≤ 1 if covered */
} terms_t;

/* One loss as adjusted (定损): an amount per coverage, and the outage for bi. */
typedef struct {
    int64_t amount[COV_N];          /* fen ≥ 0; for bi only the extra expense */
    double bi_hours;                /* outage hours ≥ 0 */
    int64_t bi_hourly_gross_profit; /* fen per hour ≥ 0 */
} terms_loss_t;

/* The policy year so far: what is left of the aggregate limit. */
typedef struct {
    int64_t aggregate_remaining; /* fen */
    int64_t paid;                /* fen paid this policy year */
    uint32_t losses;             /* losses applied this policy year */
} terms_state_t;

/* What one loss pays. Only coverages with a bit in mask may be nonzero. */
typedef struct {
    int64_t ground_up[COV_N]; /* covered coverages before any rule (bi: all outage hours) */
    int64_t paid[COV_N];
    int64_t ground_up_total; /* Σ ground_up: the covered loss */
    int64_t uncovered_total; /* loss on coverages the policy does not insure */
    int64_t waiting;         /* bi loss inside the waiting period */
    int64_t retained;        /* borne by the insured under the retention */
    int64_t paid_total;      /* Σ paid */
    uint32_t mask;           /* covered coverages with a ground-up loss */
} terms_payout_t;

typedef enum {
    TERMS_RULE_LOSS = 0,    /* a covered coverage's loss as reported */
    TERMS_RULE_NOT_COVERED, /* a loss on a coverage the policy does not insure */
    TERMS_RULE_WAITING,     /* bi: the waiting period */
    TERMS_RULE_RETENTION,
    TERMS_RULE_COINSURANCE,
    TERMS_RULE_SUBLIMIT,
    TERMS_RULE_AGGREGATE,
    TERMS_RULE_TOTAL, /* the payment for the loss */
} terms_rule_t;

/* One line of the explanation: which rule, on which coverage, amounts before and after. */
typedef struct {
    terms_rule_t rule;
    int cov;        /* COV_*, or -1 for the whole loss */
    int64_t before; /* fen */
    int64_t after;  /* fen */
    char text[768]; /* "中文 / English" */
} terms_trace_line_t;

/* Caller-owned room for trace lines; TERMS_TRACE_MAX_LINES always suffices. */
typedef struct {
    terms_trace_line_t *lines;
    size_t cap;
    size_t n; /* out */
} terms_trace_t;

/*
 * terms_init sets t to cover nothing with the given aggregate limit: no
 * retention, no waiting period, every sublimit equal to the aggregate limit
 * and every share 1. Callers then set covered and what differs.
 */
void terms_init(terms_t *t, int64_t aggregate_limit);

/*
 * terms_validate checks t: aggregate_limit > 0, 0 ≤ retention, waiting hours
 * finite in [0, TERMS_HOURS_MAX], covered non-empty and within COV_ALL_MASK,
 * and for each covered coverage 0 < sublimit ≤ aggregate_limit and
 * 0 < share ≤ 1. Refusal CY_EINVAL, code terms_invalid, field e.g.
 * "sublimit.bi".
 */
cy_status_t terms_validate(const terms_t *t, cy_error_t *err);

/*
 * terms_layer_check: a policy pays the layer between the retention and the
 * aggregate limit, so the limit must be above the retention (quotes,
 * product options, endorsements, claims). Refusal CY_EINVAL,
 * limit_below_retention on field, naming both amounts.
 */
cy_status_t terms_layer_check(int64_t aggregate_limit, int64_t retention, const char *field,
                              cy_error_t *err);

/* terms_state_init starts a policy year: the whole aggregate limit is available. */
void terms_state_init(const terms_t *t, terms_state_t *s);

/*
 * terms_apply settles one loss under t (already validated) and fills *out.
 * state carries the aggregate limit across the losses of one policy year and
 * is updated; NULL means a fresh year used for this loss alone. trace, if
 * not NULL, receives one line per rule that applied (trace->n set; the lines
 * need not be initialised). Refusals (CY_EINVAL, code terms_loss): a
 * negative or too large amount, hours that are negative, not finite or past
 * TERMS_HOURS_MAX, an hourly gross profit < 0; CY_ETOOLARGE (terms_trace) if
 * trace->cap is too small. On refusal state is unchanged.
 */
cy_status_t terms_apply(const terms_t *t, const terms_loss_t *loss, terms_state_t *state,
                        terms_payout_t *out, terms_trace_t *trace, cy_error_t *err);

/*
 * terms_apply_fast is terms_apply without a trace for callers that settle
 * hundreds of millions of losses (the portfolio simulation): the same
 * payout, state and refusals, for a loss whose amounts are zero except on
 * the coverages in present. loss->amount[c] is read only for c in present
 * (the others need not be set; bi is still read from bi_hours), and
 * out->ground_up[c] and out->paid[c] are written only for the coverages in
 * present and for bi (0 where there is no loss): the others are left as they
 * were, unlike terms_apply's.
 */
cy_status_t terms_apply_fast(const terms_t *t, const terms_loss_t *loss, uint32_t present,
                             terms_state_t *state, terms_payout_t *out, cy_error_t *err);

#endif
