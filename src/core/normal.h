/*
 * normal.h — the standard normal distribution: CDF, upper tail and quantile.
 *
 * The rating model's closed-form lognormal limited expected value and the
 * simulation's severity draws both need Φ and Φ⁻¹; GSL is not a dependency,
 * so they are written here on libm's erfc. Pure: libc and libm only.
 */
#ifndef CY_CORE_NORMAL_H
#define CY_CORE_NORMAL_H

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

#endif
