/*
 * kernel.c — the simulation's array loops (see kernel.h). Compiled with
 * -O3 -march=native -ffast-math (CMakeLists.txt): the loops are written as
 * plain passes over arrays of at most SIM_TILE elements, without calls or
 * branches the vectoriser cannot turn into selects, so log, exp and sqrt go
 * to libmvec. Must never test for NaN or infinity, nor depend on anything
 * but libc and libm.
 */
#include "sim/kernel.h"

#include <math.h>

/* Philox4x32 constants (Salmon et al., SC'11; Random123 philox.h). */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

void
sim_philox_batch(uint32_t k0, uint32_t k1, uint32_t c0, const uint32_t *c1, const uint32_t *c2,
                 const uint32_t *c3, size_t n, uint32_t *out0, uint32_t *out1, uint32_t *out2,
                 uint32_t *out3)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t x0 = c0, x1 = c1[i], x2 = c2[i], x3 = c3[i];
        uint32_t a = k0, b = k1;
        for (int r = 0; r < 10; r++) {
            uint64_t p0 = (uint64_t)PHILOX_M0 * x0;
            uint64_t p1 = (uint64_t)PHILOX_M1 * x2;
            uint32_t y0 = (uint32_t)(p1 >> 32) ^ x1 ^ a;
            uint32_t y2 = (uint32_t)(p0 >> 32) ^ x3 ^ b;
            x1 = (uint32_t)p1;
            x3 = (uint32_t)p0;
            x0 = y0;
            x2 = y2;
            a += PHILOX_W0; /* the key bump after the last round is never used */
            b += PHILOX_W1;
        }
        out0[i] = x0;
        out1[i] = x1;
        out2[i] = x2;
        out3[i] = x3;
    }
}

/*
 * Φ⁻¹ by Acklam's rational approximation (relative error < 1.15e-9, ample
 * for a draw), branch-free: both the central and the tail formula are
 * computed and one selected, which is what lets the loop vectorise.
 */
static inline double
kernel_quantile(double p)
{
    const double a0 = -3.969683028665376e+01, a1 = 2.209460984245205e+02,
                 a2 = -2.759285104469687e+02, a3 = 1.383577518672690e+02,
                 a4 = -3.066479806614716e+01, a5 = 2.506628277459239e+00;
    const double b0 = -5.447609879822406e+01, b1 = 1.615858368580409e+02,
                 b2 = -1.556989798598866e+02, b3 = 6.680131188771972e+01,
                 b4 = -1.328068155288572e+01;
    const double c0 = -7.784894002430293e-03, c1 = -3.223964580411365e-01,
                 c2 = -2.400758277161838e+00, c3 = -2.549732539343734e+00,
                 c4 = 4.374664141464968e+00, c5 = 2.938163982698783e+00;
    const double d0 = 7.784695709041462e-03, d1 = 3.224671290700398e-01, d2 = 2.445134137142996e+00,
                 d3 = 3.754408661907416e+00;
    double q = p - 0.5;
    double r = q * q;
    double central = (((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q /
                     (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1.0);
    double lo = p < 0.5 ? p : 1.0 - p;
    double s = sqrt(-2.0 * log(lo));
    double tail = (((((c0 * s + c1) * s + c2) * s + c3) * s + c4) * s + c5) /
                  ((((d0 * s + d1) * s + d2) * s + d3) * s + 1.0);
    tail = p < 0.5 ? tail : -tail;
    return lo < 0.02425 ? tail : central;
}

void
sim_draw_batch(uint32_t k0, uint32_t k1, uint32_t c0, const sim_items_t *it, size_t n,
               const sim_tail_t *tails)
{
    _Alignas(64) uint32_t w0[SIM_TILE], w1[SIM_TILE], w2[SIM_TILE], w3[SIM_TILE];
    _Alignas(64) double z[SIM_TILE];
    for (size_t t0 = 0; t0 < n; t0 += SIM_TILE) {
        size_t m = n - t0 < SIM_TILE ? n - t0 : SIM_TILE;
        sim_philox_batch(k0, k1, c0, it->c1 + t0, it->c2 + t0, it->c3 + t0, m, w0, w1, w2, w3);
        for (size_t i = 0; i < m; i++)
            z[i] = kernel_quantile(((double)w1[i] + 0.5) * (1.0 / 4294967296.0));
        const double *mu = it->mu + t0, *sg = it->sigma + t0, *pp = it->p + t0;
        double *x = it->x + t0;
        for (size_t i = 0; i < m; i++) {
            double v = exp(mu[i] + sg[i] * z[i]);
            double u = ((double)w0[i] + 0.5) * (1.0 / 4294967296.0);
            x[i] = u < pp[i] ? v : 0.0;
        }
        /* The GPD tail: about 1% of the items of a coverage with a tail; scalar. */
        const uint32_t *cov = it->c3 + t0;
        for (size_t i = 0; i < m; i++) {
            const sim_tail_t *tl = &tails[cov[i] & (SIM_TAILS - 1)];
            if (!(z[i] > tl->zq) || x[i] == 0.0)
                continue;
            double u = exp(mu[i] + sg[i] * tl->zq);
            double beta = tl->beta_ratio * u, xi = tl->xi;
            double lv = log(((double)w2[i] + 0.5) * (1.0 / 4294967296.0));
            x[i] = u + (xi > 1e-12 ? beta / xi * expm1(-xi * lv) : -beta * lv);
        }
    }
}
