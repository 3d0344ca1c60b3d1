/*
 * kernel.h — the simulation's hot loops over arrays: Philox4x32-10 counters
 * to uniforms, uniforms to normals, normals to lognormal losses.
 *
 * kernel.c is compiled with -O3 -march=native -ffast-math so that glibc's
 * vector maths (libmvec) computes log/exp over SIM_TILE elements at a time.
 * Determinism does not depend on how the compiler splits a loop into vector
 * body and remainder: the arrays a call sees are a function of one simulated
 * year only (never of the thread running it), so the same elements always
 * meet the same code. Nothing in here may test for NaN or infinity
 * (-ffast-math assumes there are none): "no tail" is a huge finite threshold.
 * Depends on libc and libm only.
 */
#ifndef CY_SIM_KERNEL_H
#define CY_SIM_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#define SIM_TILE 4096

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
} sim_items_t;

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
 * sim_draw_batch fills items->x[0..n) for year c0 under key (k0, k1), in
 * tiles of SIM_TILE: word 0 of an item's Philox output decides whether the
 * coverage has a loss (u < p), word 1 gives the normal z (inverse CDF),
 * x = exp(mu + sigma z); above its coverage's tail threshold (z > zq) the
 * excess over u = exp(mu + sigma zq) is redrawn from GPD(xi, beta_ratio × u)
 * with word 2. tails has SIM_TAILS entries, indexed by c3.
 */
void sim_draw_batch(uint32_t k0, uint32_t k1, uint32_t c0, const sim_items_t *items, size_t n,
                    const sim_tail_t *tails);

/* The same draws one at a time with Random123 and libm: the benchmark's baseline. */
void sim_draw_scalar(uint32_t k0, uint32_t k1, uint32_t c0, const sim_items_t *items, size_t n,
                     const sim_tail_t *tails);

/* u = (w + 0.5) / 2^32: a uniform in (0, 1), never 0 nor 1. */
static inline double
sim_u01(uint32_t w)
{
    return ((double)w + 0.5) * (1.0 / 4294967296.0);
}

#endif
