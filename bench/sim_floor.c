/*
 * sim_floor.c — the floor of the "sim" benchmark (docs BENCHMARKS.md): the
 * draws alone, with none of the simulation's bookkeeping. N coverage draws
 * on T threads, each Philox4x32-10 of its own counter, Φ⁻¹ of word 1
 * (Acklam's rational approximation, its tail formula where the uniform is
 * below 0.02425 or above 1 − 0.02425) and exp(μ + σ z), over arrays of
 * 4,096 draws at a time, compiled with -O3 -march=native -ffast-math so
 * that log and exp go to glibc's vector maths (libmvec). Philox and the
 * quantile formulas are the simulation kernel's own (src/sim/kernel.c,
 * kernel.h), linked in: the floor is what the kernel's arithmetic costs
 * with none of the simulation around it.
 *
 * usage: sim_floor [--draws N] [--threads T]   (default 1650000000, 2)
 * Prints the wall time, draws per second, time-stamp-counter cycles per
 * draw per thread, and a checksum (so that nothing is optimised away).
 * Not part of make test; bench/sim.sh runs it next to the simulation.
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "sim/kernel.h"
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#define BLOCK 4096 /* a multiple of 8 */

/* Words 0..2 of Philox4x32-10 of the counters (c0, c1[i], c2[i], c3[i]): the kernel's own. */
static void
philox(uint32_t k0, uint32_t k1, uint32_t c0, const uint32_t *c1, const uint32_t *c2,
       const uint32_t *c3, size_t n, uint32_t *w0, uint32_t *w1, uint32_t *w2, uint32_t *w3)
{
    sim_philox_batch(k0, k1, c0, c1, c2, c3, n, w0, w1, w2, w3);
}

/* The positions i < n (a multiple of 8) of the uniforms that need the tail formula. */
static size_t
tails(const double *u, size_t n, uint32_t *at)
{
    size_t k = 0;
#if defined(__AVX512F__) && defined(__AVX512VL__)
    const __m256i step = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (size_t i = 0; i + 8 <= n; i += 8) {
        __m512d v = _mm512_loadu_pd(u + i);
        __m512d lo = _mm512_min_pd(v, _mm512_sub_pd(_mm512_set1_pd(1.0), v));
        __mmask8 m = _mm512_cmp_pd_mask(lo, _mm512_set1_pd(SIM_ACKLAM_LOW), _CMP_LT_OQ);
        __m256i where = _mm256_add_epi32(_mm256_set1_epi32((int)i), step);
        _mm256_storeu_si256((__m256i *)(at + k), _mm256_maskz_compress_epi32(m, where));
        k += (size_t)__builtin_popcount(m);
    }
    return k;
#else
    for (size_t i = 0; i < n; i++) {
        at[k] = (uint32_t)i;
        k += (u[i] < 0.5 ? u[i] : 1.0 - u[i]) < SIM_ACKLAM_LOW;
    }
    return k;
#endif
}

static uint64_t
cycles(void)
{
#if defined(__x86_64__)
    return __rdtsc();
#else
    return 0;
#endif
}

/*
 * The draws [from, to) of the run: counters in blocks, Φ⁻¹ and exp over
 * arrays; returns Σ x, and the time-stamp-counter cycles of each whole
 * block into cyc (one per block).
 */
static double
draws(size_t from, size_t to, double *cyc)
{
    _Alignas(64) uint32_t c1[BLOCK], c2[BLOCK], c3[BLOCK], w0[BLOCK], w1[BLOCK], w2[BLOCK],
        w3[BLOCK];
    _Alignas(64) double u[BLOCK], z[BLOCK], x[BLOCK], ut[BLOCK], zt[BLOCK];
    uint32_t at[BLOCK + 8];
    double sum = 0.0;
    for (size_t b = from; b < to; b += BLOCK) {
        size_t n = to - b < BLOCK ? to - b : BLOCK;
        uint64_t t0 = cycles();
        for (size_t i = 0; i < n; i++) { /* item, coverage: as the simulation names its draws */
            c1[i] = 3;
            c2[i] = (uint32_t)(b >> 3) + (uint32_t)(i >> 3);
            c3[i] = (uint32_t)(i & 7);
        }
        philox(42, 0, (uint32_t)(b >> 32), c1, c2, c3, n, w0, w1, w2, w3);
        /* Φ⁻¹ by the central formula for all; the tail formula only where it is needed */
        for (size_t i = 0; i < n; i++) {
            u[i] = sim_u01(w1[i]);
            z[i] = sim_quantile_central(u[i]);
        }
        size_t k = tails(u, n, at);
        for (size_t j = 0; j < k; j++)
            ut[j] = u[at[j]];
        for (size_t j = 0; j < k; j++)
            zt[j] = sim_quantile_tail(ut[j]);
        for (size_t j = 0; j < k; j++)
            z[at[j]] = zt[j];
        for (size_t i = 0; i < n; i++)
            x[i] = exp(12.0 + 1.5 * z[i]);
        for (size_t i = 0; i < n; i++)
            sum += x[i] * (double)(w0[i] & 1) + (double)(w2[i] & 1);
        cyc[(b - from) / BLOCK] = n == BLOCK ? (double)(cycles() - t0) : -1.0;
    }
    return sum;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double
cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
    size_t n = 1650000000u;
    int threads = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--draws") == 0)
            n = (size_t)strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--threads") == 0)
            threads = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "usage: sim_floor [--draws N] [--threads T]\n");
            return 2;
        }
    }
    if (threads < 1 || n == 0) {
        fprintf(stderr, "sim_floor: --draws and --threads must be positive\n");
        return 2;
    }
    /* 1024 parts taken by the threads as they come; the cycles of every whole block kept */
    size_t parts = 1024, per = (n / parts + BLOCK - 1) / BLOCK + 1;
    double *cyc = malloc(parts * per * sizeof *cyc);
    if (cyc == NULL)
        return 1;
    for (size_t i = 0; i < parts * per; i++)
        cyc[i] = -1.0;
    double t0 = now(), p0 = cpu_seconds(), total = 0.0;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) reduction(+ : total)
    for (size_t part = 0; part < parts; part++)
        total += draws(n * part / parts, n * (part + 1) / parts, cyc + part * per);
    double secs = now() - t0, cpu = cpu_seconds() - p0;
    /* the median block: a block the machine took away from the thread does not count */
    size_t k = 0;
    for (size_t i = 0; i < parts * per; i++)
        if (cyc[i] >= 0.0)
            cyc[k++] = cyc[i];
    qsort(cyc, k, sizeof *cyc, cmp_double);
    double med = k ? cyc[k / 2] / BLOCK : 0.0;
    printf("sim_floor: %zu draws on %d thread(s): %.3f s wall, %.3f s CPU, %.3g draws/s, "
           "%.2f cycles a draw (median block, time-stamp counter) (checksum %.6g)\n",
           n, threads, secs, cpu, (double)n / secs, med, total);
    free(cyc);
    return 0;
}
