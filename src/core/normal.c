/*
 * normal.c — Φ, 1 − Φ and Φ⁻¹ on libm's erfc; erfc and exp over arrays by
 * libmvec. Pure: libc, libm and libmvec only.
 */
#include "core/normal.h"

#include <math.h>
#include <string.h>

double
normal_cdf(double x)
{
    return 0.5 * erfc(-x * M_SQRT1_2);
}

double
normal_sf(double x)
{
    return 0.5 * erfc(x * M_SQRT1_2);
}

/*
 * Acklam (2003): a rational approximation with relative error 1.15e-9 over
 * (0, 1), split into a central region and two tails at p = 0.02425. One
 * Halley step against the exact erfc-based CDF brings it to full double
 * precision, which the rating tests (1e-9 relative) need.
 */
double
normal_quantile(double p)
{
    static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                -2.759285104469687e+02, 1.383577518672690e+02,
                                -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                -1.556989798598866e+02, 6.680131188771972e+01,
                                -1.328068155288572e+01};
    static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                -2.400758277161838e+00, -2.549732539343734e+00,
                                4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                3.754408661907416e+00};
    const double p_low = 0.02425;

    if (isnan(p) || p < 0.0 || p > 1.0)
        return NAN;
    if (p == 0.0)
        return -HUGE_VAL;
    if (p == 1.0)
        return HUGE_VAL;

    double x;
    if (p < p_low) {
        double q = sqrt(-2.0 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    } else if (p <= 1.0 - p_low) {
        double q = p - 0.5;
        double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    } else {
        double q = sqrt(-2.0 * log1p(-p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    /*
     * Halley step on the error of the CDF, computed where it has no
     * cancellation: near the middle Φ(x) − p = erf(x/√2)/2 − (p − 0.5), with
     * p − 0.5 exact; in the upper tail on 1 − Φ, since 1 − p is exact there.
     */
    double e = p >= 0.25 && p <= 0.75 ? 0.5 * erf(x * M_SQRT1_2) - (p - 0.5)
               : p > 0.5              ? -(normal_sf(x) - (1.0 - p))
                                      : normal_cdf(x) - p;
    double u = e * sqrt(2.0 * M_PI) * exp(0.5 * x * x);
    x = x - u / (1.0 + 0.5 * x * u);
    return x;
}

/*
 * glibc's vector erfc (since 2.35) and exp under the x86-64 vector function
 * ABI: _ZGVeN8v_* take and return eight doubles in a zmm register (AVX-512),
 * _ZGVdN4v_* four in a ymm register (AVX2). Declared here rather than
 * reached through -ffast-math's automatic vectorisation, which would also
 * change the arithmetic around them.
 */
#if defined(__x86_64__) && defined(__GLIBC__) &&                                                   \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35)) && !defined(NORMAL_NO_LIBMVEC)
#include <immintrin.h>
#define CPU_HAS(feature) __builtin_cpu_supports(feature)

__attribute__((target("avx512f"))) __m512d _ZGVeN8v_erfc(__m512d x);
__attribute__((target("avx512f"))) __m512d _ZGVeN8v_exp(__m512d x);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_erfc(__m256d x);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_exp(__m256d x);

/* y[i] = F(x[i]) for i < n, W at a time: whole vectors, then the rest padded with zeros. */
#define KERNEL(NAME, TARGET, W, LOAD, STORE, F)                                                    \
    __attribute__((target(TARGET))) static void NAME(const double *x, double *y, size_t n)         \
    {                                                                                              \
        size_t i = 0;                                                                              \
        for (; i + (W) <= n; i += (W))                                                             \
            STORE(y + i, F(LOAD(x + i)));                                                          \
        if (i < n) {                                                                               \
            double a[W] = {0}, b[W];                                                               \
            memcpy(a, x + i, (n - i) * sizeof *x);                                                 \
            STORE(b, F(LOAD(a)));                                                                  \
            memcpy(y + i, b, (n - i) * sizeof *y);                                                 \
        }                                                                                          \
    }

KERNEL(erfc8, "avx512f", 8, _mm512_loadu_pd, _mm512_storeu_pd, _ZGVeN8v_erfc)
KERNEL(exp8, "avx512f", 8, _mm512_loadu_pd, _mm512_storeu_pd, _ZGVeN8v_exp)
KERNEL(erfc4, "avx2", 4, _mm256_loadu_pd, _mm256_storeu_pd, _ZGVdN4v_erfc)
KERNEL(exp4, "avx2", 4, _mm256_loadu_pd, _mm256_storeu_pd, _ZGVdN4v_exp)
#else
/* no libmvec (or built with -DNORMAL_NO_LIBMVEC): libm's scalar functions only */
#define erfc8            NULL
#define exp8             NULL
#define erfc4            NULL
#define exp4             NULL
#define CPU_HAS(feature) 0
#endif

/* y = f(x) over n doubles: by the widest of f8 (AVX-512), f4 (AVX2) the CPU has, else f1. */
static void
map_n(void (*f8)(const double *, double *, size_t), void (*f4)(const double *, double *, size_t),
      double (*f1)(double), const double *x, double *y, size_t n)
{
    if (f8 != NULL && CPU_HAS("avx512f")) {
        f8(x, y, n);
        return;
    }
    if (f4 != NULL && CPU_HAS("avx2")) {
        f4(x, y, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        y[i] = f1(x[i]);
}

void
normal_erfc_n(const double *x, double *y, size_t n)
{
    map_n(erfc8, erfc4, erfc, x, y, n);
}

void
normal_exp_n(const double *x, double *y, size_t n)
{
    map_n(exp8, exp4, exp, x, y, n);
}
