/*
 * normal.h — the standard normal distribution: CDF, upper tail and quantile.
 *
 * The rating model's closed-form lognormal limited expected value and the
 * simulation's severity draws both need Φ and Φ⁻¹; GSL is not a dependency,
 * so they are written here on libm's erfc. Pure: libc, libm and libmvec
 * only.
 */
#ifndef CY_CORE_NORMAL_H
#define CY_CORE_NORMAL_H

#include <stddef.h>

/* normal_cdf returns Φ(x) = P(Z ≤ x); accurate to a few ulps through erfc. */
double normal_cdf(double x);

/* normal_sf returns 1 − Φ(x) without cancellation for large x. */
double normal_sf(double x);

/*
 * normal_quantile returns Φ⁻¹(p) for 0 < p < 1 (relative error below 1e-14:
 * Acklam's rational approximation refined by one Halley step on erfc);
 * −HUGE_VAL for p == 0, +HUGE_VAL for p == 1, NaN outside [0, 1].
 */
double normal_quantile(double p);

/*
 * normal_erfc_n and normal_exp_n set y[i] = erfc(x[i]), exp(x[i]) for
 * i < n, eight (AVX-512) or four (AVX2) at a time by glibc's vector
 * functions (libmvec, x86-64, glibc ≥ 2.35; the CPU is asked at each call).
 * They agree with libm's scalar erfc and exp to a few ulps (tests check 4),
 * not always to the bit: a caller that needs libm's exact values calls
 * erfc and exp. Where libmvec is missing they call libm's scalar functions.
 */
void normal_erfc_n(const double *x, double *y, size_t n);
void normal_exp_n(const double *x, double *y, size_t n);

#endif
