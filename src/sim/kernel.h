/*
 * kernel.h — the simulation's hot loops over arrays: Philox4x32-10 counters
 * to uniforms, uniforms to normals, normals to lognormal losses (kernel.c);
 * losses laid out as items (kernel.c); single losses settled under their
 * terms (kernel_settle.c).
 *
 * The kernel files are compiled with -O3 -march=native -ffast-math
 * (CMakeLists.txt: src/sim/kernel*.c) so that Philox runs on the vector
 * integer units and glibc's vector maths (libmvec) computes log and exp over
 * whole arrays. Every floating-point pass over items runs over a multiple of
 * the widest vector and never leaves an element to a scalar remainder
 * loop, so an item's amount is a function of its own inputs alone — not of
 * its position, its neighbours, the year's item count or the thread — and
 * the arithmetic that must match sim.c's (an item's ln-median) is compiled
 * without -ffast-math. Nothing in here may test for NaN or infinity
 * (-ffast-math assumes there are none): "no tail" is a huge finite
 * threshold. Depends on libc and libm only.
 */
#ifndef CY_SIM_KERNEL_H
#define CY_SIM_KERNEL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_TILE 4096 /* attritional incidents drawn at a time (their header words) */

/* No tail: a threshold in z no normal draw reaches. */
#define SIM_NO_TAIL 1e300

/*
 * Per item of a year (one coverage of one loss): its counter words and the
 * parameters of its draw. All arrays hold at least n elements and are
 * 64-byte aligned.
 */
typedef struct {
    uint32_t *c1, *c2; /* Philox counter words 1 and 2 (word 0 is the year) */
    uint32_t *c3;      /* counter word 3: the coverage (COV_*), which also picks its tail */
    double *mu;        /* ln of the median (fen, or hours for bi) */
    double *sigma;     /* 0: the value is exp(mu) exactly as for every twin item */
    double *p;         /* probability the coverage has a loss at all */
    double *x;         /* out: the amount (fen) or hours (bi), 0 when no loss */
    /*
     * NULL, or where each item's amount goes instead: x[dst[i]] for the
     * items with a loss, nothing for the others (the caller zeroes x).
     */
    const uint32_t *dst;
} sim_items_t;

/*
 * The items of a loss of one type on a policy insuring one set of coverages:
 * k items; slot q draws coverage c3[q] (row row[q] of the year's matrix)
 * with involvement p[q], σ sigma[q] and ln-median
 * (base[q] + rexp[q] × lrs) + shift × smul[q], lrs and shift the loss's.
 */
#define SIM_SLOTS 16
typedef struct {
    double p[SIM_SLOTS], sigma[SIM_SLOTS], base[SIM_SLOTS], rexp[SIM_SLOTS], smul[SIM_SLOTS];
    uint32_t c3[SIM_SLOTS], row[SIM_SLOTS];
    uint32_t k;
} sim_tmpl_t;

/* The losses sim_expand_batch expands: loss e is lane lane0 + e of the year's matrix. */
typedef struct {
    size_t n;
    uint32_t lane0, stride;        /* dst = row × stride + lane */
    const uint32_t *c1, *c2;       /* counter words 1 and 2 of its items */
    const double *lrs, *shift;     /* the ln-median's terms: revenue, and type × event scale */
    const sim_tmpl_t *const *tmpl; /* its items */
} sim_losses_t;

/*
 * sim_expand_batch writes the items of losses L into items (c1, c2, c3, mu,
 * sigma, p, dst), loss after loss, and returns how many. slots is 8 or 16,
 * at least every template's k: each loss writes that many slots and keeps
 * k, so items need room for the total plus slots. The ln-median is
 * computed as the scalar code writes it (no contraction, no reassociation):
 * the draws must not change with the CPU's vector width.
 */
size_t sim_expand_batch(const sim_losses_t *L, size_t slots, uint32_t *c1, uint32_t *c2,
                        uint32_t *c3, double *mu, double *sigma, double *p, uint32_t *dst);

/* A coverage's severity tail: above z > zq the excess is GPD(xi, beta_ratio × threshold). */
typedef struct {
    double zq; /* SIM_NO_TAIL: none */
    double xi;
    double beta_ratio;
} sim_tail_t;

#define SIM_TAILS 16 /* entries of a tail table: one for every coverage index (c3) */

/*
 * sim_philox_batch computes Philox4x32-10 with key (k0, k1) of the counters
 * (c0, c1[i], c2[i], c3[i]) for i < n into out0..out3. Bit-identical to
 * Random123's philox4x32.
 */
void sim_philox_batch(uint32_t k0, uint32_t k1, uint32_t c0, const uint32_t *c1, const uint32_t *c2,
                      const uint32_t *c3, size_t n, uint32_t *out0, uint32_t *out1, uint32_t *out2,
                      uint32_t *out3);

/*
 * sim_draw_batch fills items->x[0..n) (or x[dst[i]], see sim_items_t) for
 * year c0 under key (k0, k1): word 0 of an item's Philox output decides
 * whether the coverage has a loss (u < p), word 1 gives the normal z
 * (inverse CDF), x = exp(mu + sigma z); above its coverage's tail threshold
 * (z > zq) the excess over u = exp(mu + sigma zq) is redrawn from
 * GPD(xi, beta_ratio × u) with word 2. tails has SIM_TAILS entries, indexed
 * by c3. An item's amount depends on its own inputs alone, not on its
 * position among the n.
 */
void sim_draw_batch(uint32_t k0, uint32_t k1, uint32_t c0, const sim_items_t *items, size_t n,
                    const sim_tail_t *tails);

/*
 * The losses of a chunk grouped by the template of their items, for
 * sim_draw_grouped: group g is the losses start[g] .. start[g + 1] of the
 * per-loss arrays (start has n_groups + 1 entries), all of template tmpl[g],
 * at most SIM_GROUP_MAX of them. Loss e's items have counter words c1[e],
 * c2[e] and the slot's coverage, ln-medians from lrs[e] and shift[e] as
 * sim_tmpl_t says, and their amounts go to x[row × stride + lane[e]]. The
 * per-loss arrays are read in blocks of 48: they have 48 readable elements
 * past the last loss.
 */
#define SIM_GROUP_MAX 1024
typedef struct {
    size_t n_groups;
    const sim_tmpl_t *const *tmpl;
    const size_t *start;
    const uint32_t *c1, *c2, *lane;
    const double *lrs, *shift;
    uint32_t stride;
} sim_grouped_t;

/*
 * sim_draw_grouped draws the items of the grouped losses G — slot by slot
 * within a group, so that their counters and parameters are read straight
 * from the per-loss arrays, nothing laid out item by item — into x (which
 * the caller zeroes: only amounts of items with a loss are written). Each
 * item's amount is the one sim_draw_batch gives for the same item, to the
 * bit.
 */
void sim_draw_grouped(uint32_t k0, uint32_t k1, uint32_t c0, const sim_grouped_t *G, double *x,
                      const sim_tail_t *tails);

/* The same draws one at a time with Random123 and libm: the benchmark's baseline. */
void sim_draw_scalar(uint32_t k0, uint32_t k1, uint32_t c0, const sim_items_t *items, size_t n,
                     const sim_tail_t *tails);

/*
 * Settlement of single losses (kernel_settle.c): a year's losses, each
 * against a fresh policy year, many at a time. It applies the terms
 * engine's rules (core/terms.h) where they are integer arithmetic — amounts
 * rounded to the fen, bi from hours with money_mul_rate's fast path, the
 * waiting period, the retention across the coverages in the notice's order,
 * the sublimits, the aggregate limit — and leaves to the engine itself
 * (exact[e] set) a loss whose bi product is near a half fen or outside the
 * fast path's range. The caller marks (exact[e] set on entry) the losses
 * that are not single or that it cannot give here — a policy with a
 * coinsured coverage — and gives amounts only on coverages the policy
 * insures.
 */
/* The largest amount of one coverage of one loss: core/terms.h's TERMS_AMOUNT_MAX (10^17 fen). */
#define SIM_AMOUNT_MAX ((int64_t)100000000000000000)

/*
 * What settlement reads of one distinct terms: its retention, aggregate
 * limit and BI waiting period, and its sublimit on each row (INT64_MAX
 * where it insures none). 128 bytes: the kernel reads a field of eight
 * losses' terms with one gather. SIM_TERM_ROWS: the rows the settlement
 * kernel has room for.
 */
#define SIM_TERM_ROWS 13
typedef struct {
    int64_t retention, aggregate_limit;
    double bi_waiting_hours;
    int64_t sublimit[SIM_TERM_ROWS];
} sim_term_t;

/* Terms indices stay below this: an index × 16 words fits the gathers' 32-bit offsets. */
#define SIM_TERMS_MAX ((size_t)1 << 27)

/*
 * n losses, each against a fresh policy year. Rows are coverages (rows[j],
 * ascending, at most SIM_TERM_ROWS); x[j * stride + e] is loss e's draw on
 * row j's coverage (fen, or hours on bi's row; 0: none); table[terms[e]]
 * its policy's terms. Per-loss arrays hold n elements.
 */
typedef struct {
    size_t n, stride;
    const double *x;
    const uint32_t *terms;   /* per loss: its terms, an index into table (< SIM_TERMS_MAX) */
    const sim_term_t *table; /* the distinct terms */
    const int64_t *hgp;      /* per loss: hourly gross profit, fen */
    const double *bi_cap;    /* per loss: hours past which bi would leave the engine's range */
    int64_t *exact;          /* in and out: per loss, nonzero: not settled here */
    int64_t *gu_total;       /* out: per loss */
    int64_t *paid_total;     /* out: per loss */
    int64_t *row_gu;         /* out: per row, Σ over the losses settled here */
    int64_t *row_paid;
} sim_settle_t;

void sim_settle_batch(const uint32_t *rows, size_t n_rows, uint32_t bi, sim_settle_t *s);

/*
 * sim_hit_gaps draws the steps between the insureds an occurrence hits:
 * Philox4x32-10 with key (k0, k1) of the counters (c0, c1, 0, b0 + b) for
 * b < nb (a multiple of 4, at most SIM_HIT_BLOCKS) gives the words
 * w[4b + j] = word j of block b, and step[g] = 1 + floor(ln u / l1h) with
 * u = sim_u01(w[g]), l1h = ln(1 − hit probability) < 0 — or −1 where the
 * vector log leaves the floor in doubt (the quotient within 1e-9 of a whole
 * number), for the caller to compute with libm.
 */
#define SIM_HIT_BLOCKS 64
void sim_hit_gaps(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t b0, size_t nb,
                  double l1h, uint32_t *w, double *step);

/*
 * Φ⁻¹ by Acklam's rational approximation (relative error < 1.15e-9, ample
 * for a draw): the central formula for 0.02425 ≤ p ≤ 1 − 0.02425, the tail
 * formula (a log and a square root) outside. In the header so that the
 * benchmark's floor (bench/sim_floor.c) draws with the very same formulas.
 */
#define SIM_ACKLAM_LOW 0.02425

static inline double
sim_quantile_central(double p)
{
    const double a0 = -3.969683028665376e+01, a1 = 2.209460984245205e+02,
                 a2 = -2.759285104469687e+02, a3 = 1.383577518672690e+02,
                 a4 = -3.066479806614716e+01, a5 = 2.506628277459239e+00;
    const double b0 = -5.447609879822406e+01, b1 = 1.615858368580409e+02,
                 b2 = -1.556989798598866e+02, b3 = 6.680131188771972e+01,
                 b4 = -1.328068155288572e+01;
    double q = p - 0.5;
    double r = q * q;
    return (((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q /
           (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1.0);
}

static inline double
sim_quantile_tail(double p)
{
    const double c0 = -7.784894002430293e-03, c1 = -3.223964580411365e-01,
                 c2 = -2.400758277161838e+00, c3 = -2.549732539343734e+00,
                 c4 = 4.374664141464968e+00, c5 = 2.938163982698783e+00;
    const double d0 = 7.784695709041462e-03, d1 = 3.224671290700398e-01, d2 = 2.445134137142996e+00,
                 d3 = 3.754408661907416e+00;
    double lo = p < 0.5 ? p : 1.0 - p;
    double s = sqrt(-2.0 * log(lo));
    double tail = (((((c0 * s + c1) * s + c2) * s + c3) * s + c4) * s + c5) /
                  ((((d0 * s + d1) * s + d2) * s + d3) * s + 1.0);
    return p < 0.5 ? tail : -tail;
}

/* u = (w + 0.5) / 2^32: a uniform in (0, 1), never 0 nor 1. */
static inline double
sim_u01(uint32_t w)
{
    return ((double)w + 0.5) * (1.0 / 4294967296.0);
}

#endif
