/*
 * kernel.c — the simulation's array loops (see kernel.h). Compiled with
 * -O3 -march=native -ffast-math (CMakeLists.txt): Philox is written with the
 * machine's vector integer instructions where it has them (AVX-512 or AVX2,
 * bit-identical to the scalar rounds), and the floating-point loops are plain
 * passes over arrays whose length is a multiple of SIM_KERNEL_VEC, without
 * calls or branches the vectoriser cannot turn into selects, so log, exp and
 * sqrt go to libmvec and no element is ever left to a scalar remainder loop.
 * Must never test for NaN or infinity, nor depend on anything but libc and
 * libm.
 */
#include "sim/kernel.h"

#include <math.h>
#include <string.h>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

/* Philox4x32 constants (Salmon et al., SC'11; Random123 philox.h). */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* One counter, ten rounds, as Random123's philox4x32. */
static inline void
philox_one(uint32_t k0, uint32_t k1, uint32_t x[4])
{
    uint32_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
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
    x[0] = x0;
    x[1] = x1;
    x[2] = x2;
    x[3] = x3;
}

#if defined(__AVX512F__)
/*
 * Eight counters to a vector, one in each 64-bit lane: _mm512_mul_epu32
 * multiplies the lanes' low halves into their full 64-bit products, so a
 * round is two multiplies, two shifts and two three-way xors (the high
 * halves of the lanes carry garbage that no multiply reads and the final
 * narrowing drops). PHILOX_GROUPS vectors go through the rounds side by
 * side, enough to hide the multiplies' latency.
 */
#define PHILOX_GROUPS 6

static inline __m512i
widen(const uint32_t *p)
{
    return _mm512_cvtepu32_epi64(_mm256_loadu_si256((const __m256i *)p));
}

static inline void
narrow(uint32_t *p, __m512i v)
{
    _mm256_storeu_si256((__m256i *)p, _mm512_cvtepi64_epi32(v));
}

/* G groups of eight counters from i on: the body of philox_vec, written once for each G. */
#define PHILOX_STEP(G)                                                                             \
    static inline void philox_step##G(const __m512i *ka, const __m512i *kb, uint32_t c0,           \
                                      const uint32_t *c1, const uint32_t *c2, const uint32_t *c3,  \
                                      size_t i, uint32_t *out0, uint32_t *out1, uint32_t *out2,    \
                                      uint32_t *out3)                                              \
    {                                                                                              \
        const __m512i m0 = _mm512_set1_epi64(PHILOX_M0), m1 = _mm512_set1_epi64(PHILOX_M1);        \
        __m512i x0[G], x1[G], x2[G], x3[G];                                                        \
        for (int g = 0; g < G; g++) {                                                              \
            x0[g] = _mm512_set1_epi64(c0);                                                         \
            x1[g] = widen(c1 + i + 8 * g);                                                         \
            x2[g] = widen(c2 + i + 8 * g);                                                         \
            x3[g] = widen(c3 + i + 8 * g);                                                         \
        }                                                                                          \
        for (int r = 0; r < 10; r++)                                                               \
            for (int g = 0; g < G; g++) {                                                          \
                __m512i p0 = _mm512_mul_epu32(x0[g], m0), p1 = _mm512_mul_epu32(x2[g], m1);        \
                x0[g] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), x1[g], ka[r], 0x96);  \
                x2[g] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), x3[g], kb[r], 0x96);  \
                x1[g] = p1;                                                                        \
                x3[g] = p0;                                                                        \
            }                                                                                      \
        for (int g = 0; g < G; g++) {                                                              \
            narrow(out0 + i + 8 * g, x0[g]);                                                       \
            narrow(out1 + i + 8 * g, x1[g]);                                                       \
            narrow(out2 + i + 8 * g, x2[g]);                                                       \
            if (out3 != NULL)                                                                      \
                narrow(out3 + i + 8 * g, x3[g]);                                                   \
        }                                                                                          \
    }
PHILOX_STEP(6)
PHILOX_STEP(1)
#undef PHILOX_STEP

static size_t
philox_vec(uint32_t k0, uint32_t k1, uint32_t c0, const uint32_t *c1, const uint32_t *c2,
           const uint32_t *c3, size_t n, uint32_t *out0, uint32_t *out1, uint32_t *out2,
           uint32_t *out3)
{
    __m512i ka[10], kb[10];
    uint32_t a = k0, b = k1;
    for (int r = 0; r < 10; r++, a += PHILOX_W0, b += PHILOX_W1) {
        ka[r] = _mm512_set1_epi64(a);
        kb[r] = _mm512_set1_epi64(b);
    }
    size_t i = 0;
    for (; i + 8 * PHILOX_GROUPS <= n; i += 8 * PHILOX_GROUPS)
        philox_step6(ka, kb, c0, c1, c2, c3, i, out0, out1, out2, out3);
    for (; i + 8 <= n; i += 8)
        philox_step1(ka, kb, c0, c1, c2, c3, i, out0, out1, out2, out3);
    return i;
}
#elif defined(__AVX2__)
/* 8 counters at once: the 32 × 32 → 64-bit products of even and odd lanes, recombined. */
static inline __m256i
mulhilo8(__m256i a, __m256i m, __m256i *lo)
{
    __m256i pe = _mm256_mul_epu32(a, m);
    __m256i po = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
    *lo = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
    return _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
}

static size_t
philox_vec(uint32_t k0, uint32_t k1, uint32_t c0, const uint32_t *c1, const uint32_t *c2,
           const uint32_t *c3, size_t n, uint32_t *out0, uint32_t *out1, uint32_t *out2,
           uint32_t *out3)
{
    const __m256i m0 = _mm256_set1_epi32((int)PHILOX_M0), m1 = _mm256_set1_epi32((int)PHILOX_M1);
    __m256i ka[10], kb[10];
    uint32_t a = k0, b = k1;
    for (int r = 0; r < 10; r++, a += PHILOX_W0, b += PHILOX_W1) {
        ka[r] = _mm256_set1_epi32((int)a);
        kb[r] = _mm256_set1_epi32((int)b);
    }
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i x0 = _mm256_set1_epi32((int)c0);
        __m256i x1 = _mm256_loadu_si256((const __m256i *)(c1 + i));
        __m256i x2 = _mm256_loadu_si256((const __m256i *)(c2 + i));
        __m256i x3 = _mm256_loadu_si256((const __m256i *)(c3 + i));
        for (int r = 0; r < 10; r++) {
            __m256i lo0, lo1;
            __m256i hi0 = mulhilo8(x0, m0, &lo0);
            __m256i hi1 = mulhilo8(x2, m1, &lo1);
            x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), ka[r]);
            x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), kb[r]);
            x1 = lo1;
            x3 = lo0;
        }
        _mm256_storeu_si256((__m256i *)(out0 + i), x0);
        _mm256_storeu_si256((__m256i *)(out1 + i), x1);
        _mm256_storeu_si256((__m256i *)(out2 + i), x2);
        if (out3 != NULL)
            _mm256_storeu_si256((__m256i *)(out3 + i), x3);
    }
    return i;
}
#else
static size_t
philox_vec(uint32_t k0, uint32_t k1, uint32_t c0, const uint32_t *c1, const uint32_t *c2,
           const uint32_t *c3, size_t n, uint32_t *out0, uint32_t *out1, uint32_t *out2,
           uint32_t *out3)
{
    (void)k0, (void)k1, (void)c0, (void)c1, (void)c2, (void)c3, (void)n;
    (void)out0, (void)out1, (void)out2, (void)out3;
    return 0;
}
#endif

/*
 * Philox of counters (c0, c1[i], c2[i], c3[i]); out3 may be NULL when word 3
 * is not wanted. Not inlined: inlined where n is a constant, GCC 12's loop
 * analysis of the remainder loop below finds undefined behaviour that cannot
 * happen (philox_vec returns at most n), and -Werror then stops the build on
 * a machine without AVX-512.
 */
__attribute__((noinline)) static void
philox_words(uint32_t k0, uint32_t k1, uint32_t c0, const uint32_t *c1, const uint32_t *c2,
             const uint32_t *c3, size_t n, uint32_t *out0, uint32_t *out1, uint32_t *out2,
             uint32_t *out3)
{
    size_t i = philox_vec(k0, k1, c0, c1, c2, c3, n, out0, out1, out2, out3);
    for (; i < n; i++) {
        uint32_t x[4] = {c0, c1[i], c2[i], c3[i]};
        philox_one(k0, k1, x);
        out0[i] = x[0];
        out1[i] = x[1];
        out2[i] = x[2];
        if (out3 != NULL)
            out3[i] = x[3];
    }
}

void
sim_philox_batch(uint32_t k0, uint32_t k1, uint32_t c0, const uint32_t *c1, const uint32_t *c2,
                 const uint32_t *c3, size_t n, uint32_t *out0, uint32_t *out1, uint32_t *out2,
                 uint32_t *out3)
{
    philox_words(k0, k1, c0, c1, c2, c3, n, out0, out1, out2, out3);
}

/*
 * Φ⁻¹ (kernel.h): the central formula serves 1 − 2 × 0.02425 of the draws;
 * the tail formula is computed only for the others, each over its own
 * array, so that both loops vectorise without branches.
 */
/*
 * Items per tile, and the multiple every floating-point pass runs over: with
 * no remainder loop, every element goes through the same vector code
 * whatever its position, so an item's amount depends on its own inputs
 * alone, not on where the year's arrays put it. A last partial chunk is
 * copied into padded arrays and goes through the same function (not inlined,
 * nor cloned, so that there is one copy of its code).
 */
#define KT 512
#define KV 16

static inline double
u01(uint32_t w)
{
    return ((double)w + 0.5) * (1.0 / 4294967296.0);
}

/*
 * below and above: the positions j < n (a multiple of 8) where a[j] < t
 * (a[j] > t), in order, into list (room for n + 8); return how many.
 */
#if defined(__AVX512F__) && defined(__AVX512VL__)
static inline size_t
select_cmp(const double *a, double t, size_t n, uint32_t *list, int above)
{
    const __m512d tv = _mm512_set1_pd(t);
    const __m256i step = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    size_t k = 0;
    for (size_t j = 0; j < n; j += 8) {
        __m512d v = _mm512_loadu_pd(a + j);
        __mmask8 m =
            above ? _mm512_cmp_pd_mask(v, tv, _CMP_GT_OQ) : _mm512_cmp_pd_mask(v, tv, _CMP_LT_OQ);
        __m256i at = _mm256_add_epi32(_mm256_set1_epi32((int)j), step);
        _mm256_storeu_si256((__m256i *)(list + k), _mm256_maskz_compress_epi32(m, at));
        k += (size_t)__builtin_popcount(m);
    }
    return k;
}
#else
static inline size_t
select_cmp(const double *a, double t, size_t n, uint32_t *list, int above)
{
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        list[k] = (uint32_t)j;
        k += above ? a[j] > t : a[j] < t;
    }
    return k;
}
#endif

/*
 * A tile: up to KT items whose draws are computed together — their Philox
 * counters, ln-medians and places in x — and their words once drawn. The
 * grouped draws lay a tile out a run at a time, a run being consecutive
 * losses of one group for one slot, so that its counters are copies of the
 * per-loss arrays and involvement, σ and coverage are the run's.
 */
typedef struct {
    _Alignas(64) uint32_t c1[KT], c2[KT], c3[KT], dst[KT];
    _Alignas(64) double mu[KT];
    _Alignas(64) uint32_t w0[KT], w1[KT], w2[KT];
    size_t n, n_runs;
    struct {
        size_t at, n;
        double p, sigma;
    } run[KT / 8];
} tile_t;

/*
 * The items of a tile that have a loss (u01(w0) < p), packed: the uniform
 * of word 1, ln-median and σ of each, and its position in the tile (for its
 * place in x, and word 2 and coverage for the tail). Room for a tile and a
 * vector more, since the packing stores whole vectors.
 */
typedef struct {
    _Alignas(64) double u[KT + KV];
    _Alignas(64) double mu[KT + KV];
    _Alignas(64) double sg[KT + KV];
    _Alignas(64) uint32_t pos[KT + KV];
    size_t n;
} packed_t;

/* x[dst[pos[j]]] = v[j] for j < k: plain stores (a vector scatter is slower on some CPUs). */
__attribute__((optimize("no-tree-vectorize"))) static void
scatter(double *restrict x, const uint32_t *restrict dst, const uint32_t *restrict pos,
        const double *restrict v, size_t k)
{
    for (size_t j = 0; j < k; j++)
        x[dst[pos[j]]] = v[j];
}

/*
 * draw_packed draws the pk->n ≤ KT packed items of tile T, writes each
 * amount to x[T->dst[pos]] and empties pk. Every floating-point pass runs
 * over a multiple of KV (padding items draw exp(0)), so an amount depends
 * on its own inputs alone: one copy of this code (not inlined, nor cloned)
 * draws them all.
 */
__attribute__((noinline, noclone)) static void
draw_packed(packed_t *restrict pk, const tile_t *restrict T, double *restrict x,
            const sim_tail_t *restrict tails, double tail_zmin)
{
    _Alignas(64) uint32_t tix[KT + KV];
    _Alignas(64) double z[KT + KV], v[KT + KV], ut[KT + KV], zt[KT + KV], lo[KT + KV];
    size_t k = pk->n < KT ? pk->n : KT; /* as the callers guarantee; said here for the compiler */
    size_t kp = (k + KV - 1) & ~(size_t)(KV - 1);
    double *restrict u = pk->u, *restrict cmu = pk->mu, *restrict csg = pk->sg;
    for (size_t j = k; j < kp; j++) {
        u[j] = 0.5;
        cmu[j] = 0.0;
        csg[j] = 0.0;
    }
    /* word 1: the normal z, by the central formula; the tails' few items apart */
    for (size_t j = 0; j < kp; j++) {
        double p = u[j];
        lo[j] = p < 0.5 ? p : 1.0 - p;
        z[j] = sim_quantile_central(p);
    }
    size_t nt = select_cmp(lo, SIM_ACKLAM_LOW, kp, tix, 0), ntp = (nt + KV - 1) & ~(size_t)(KV - 1);
    for (size_t j = 0; j < nt; j++)
        ut[j] = u[tix[j]];
    for (size_t j = nt; j < ntp; j++)
        ut[j] = 0.01;
    for (size_t j = 0; j < ntp; j++)
        zt[j] = sim_quantile_tail(ut[j]);
    for (size_t j = 0; j < nt; j++)
        z[tix[j]] = zt[j];
    /* x = exp(mu + sigma z) */
    for (size_t j = 0; j < kp; j++)
        v[j] = exp(cmu[j] + csg[j] * z[j]);
    /* The GPD tail: about 1% of the items of a coverage with a tail; scalar, word 2. */
    nt = select_cmp(z, tail_zmin, kp, tix, 1);
    for (size_t q = 0; q < nt; q++) {
        size_t j = tix[q];
        if (j >= k) /* padding */
            break;
        const sim_tail_t *tl = &tails[T->c3[pk->pos[j]] & (SIM_TAILS - 1)];
        if (!(z[j] > tl->zq) || v[j] == 0.0)
            continue;
        double t = exp(cmu[j] + csg[j] * tl->zq);
        double beta = tl->beta_ratio * t, xi = tl->xi;
        double lv = log(u01(T->w2[pk->pos[j]]));
        v[j] = t + (xi > 1e-12 ? beta / xi * expm1(-xi * lv) : -beta * lv);
    }
    scatter(x, T->dst, pk->pos, v, k);
    pk->n = 0;
}

/*
 * pack_items appends to pk the items at + i, i < n, of tile T with a loss:
 * involvement pp[i] (pp NULL: p for all), ln-median T->mu[at + i], σ sg[i]
 * (sg NULL: sigma for all). The arrays are read in vectors of 8, up to
 * m ≥ n; pk needs room for m more.
 */
#if defined(__AVX512F__) && defined(__AVX512VL__)
static inline __m512d
u01_vec(const uint32_t *w)
{
    return _mm512_mul_pd(_mm512_add_pd(_mm512_cvtepu32_pd(_mm256_loadu_si256((const __m256i *)w)),
                                       _mm512_set1_pd(0.5)),
                         _mm512_set1_pd(1.0 / 4294967296.0));
}

static void
pack_items(const tile_t *restrict T, size_t at, size_t m, size_t n, const double *restrict pp,
           double p, const double *restrict sg, double sigma, packed_t *restrict pk)
{
    const __m256i step = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m512d sv = _mm512_set1_pd(sigma);
    size_t k = pk->n;
    for (size_t i = 0; i < m; i += 8) {
        __mmask8 valid = n - i >= 8 ? 0xff : (__mmask8)((1u << (n - i)) - 1);
        __mmask8 in =
            _mm512_mask_cmp_pd_mask(valid, u01_vec(T->w0 + at + i),
                                    pp ? _mm512_loadu_pd(pp + i) : _mm512_set1_pd(p), _CMP_LT_OQ);
        __m256i where = _mm256_add_epi32(_mm256_set1_epi32((int)(at + i)), step);
        _mm512_storeu_pd(pk->u + k, _mm512_maskz_compress_pd(in, u01_vec(T->w1 + at + i)));
        _mm512_storeu_pd(pk->mu + k, _mm512_maskz_compress_pd(in, _mm512_loadu_pd(T->mu + at + i)));
        _mm256_storeu_si256((__m256i *)(pk->pos + k), _mm256_maskz_compress_epi32(in, where));
        /* one σ for the run: its vector as it is, the next store overwriting what is past k */
        _mm512_storeu_pd(pk->sg + k,
                         sg ? _mm512_maskz_compress_pd(in, _mm512_loadu_pd(sg + i)) : sv);
        k += (size_t)__builtin_popcount(in);
    }
    pk->n = k;
}
#else
static void
pack_items(const tile_t *restrict T, size_t at, size_t m, size_t n, const double *restrict pp,
           double p, const double *restrict sg, double sigma, packed_t *restrict pk)
{
    size_t k = pk->n;
    (void)m;
    for (size_t i = 0; i < n; i++) {
        if (!(u01(T->w0[at + i]) < (pp ? pp[i] : p)))
            continue;
        pk->u[k] = u01(T->w1[at + i]);
        pk->mu[k] = T->mu[at + i];
        pk->sg[k] = sg ? sg[i] : sigma;
        pk->pos[k++] = (uint32_t)(at + i);
    }
    pk->n = k;
}
#endif

/* The least tail threshold: below it, no item needs the GPD. */
static double
tail_min(const sim_tail_t *tails)
{
    double zmin = SIM_NO_TAIL;
    for (int c = 0; c < SIM_TAILS; c++)
        zmin = tails[c].zq < zmin ? tails[c].zq : zmin;
    return zmin;
}

/* The draws of items [t0, t0 + m), m ≤ KT a multiple of KV (see sim_draw_batch). */
static void
draw_tile(uint32_t k0, uint32_t k1, uint32_t c0, const sim_items_t *it, size_t t0, size_t m,
          const sim_tail_t *tails, double zmin, tile_t *T, packed_t *pk)
{
    m = m < KT ? m : KT;
    memcpy(T->c3, it->c3 + t0, m * sizeof *T->c3);
    memcpy(T->mu, it->mu + t0, m * sizeof *T->mu);
    for (size_t i = 0; i < m; i++)
        T->dst[i] = it->dst ? it->dst[t0 + i] : (uint32_t)(t0 + i);
    philox_words(k0, k1, c0, it->c1 + t0, it->c2 + t0, T->c3, m, T->w0, T->w1, T->w2, NULL);
    pack_items(T, 0, m, m, it->p + t0, 0.0, it->sigma + t0, 0.0, pk);
    draw_packed(pk, T, it->x, tails, zmin);
}

void
sim_draw_batch(uint32_t k0, uint32_t k1, uint32_t c0, const sim_items_t *it, size_t n,
               const sim_tail_t *tails)
{
    packed_t pk;
    tile_t T;
    pk.n = 0;
    double zmin = tail_min(tails);
    if (it->dst == NULL) /* every item written: 0 where it has no loss */
        for (size_t i = 0; i < n; i++)
            it->x[i] = 0.0;
    size_t full = n & ~(size_t)(KV - 1);
    for (size_t t0 = 0; t0 < full; t0 += KT)
        draw_tile(k0, k1, c0, it, t0, full - t0 < KT ? full - t0 : KT, tails, zmin, &T, &pk);
    if (full == n)
        return;
    /* the last n − full < KV items, padded with items that draw nothing */
    _Alignas(64) uint32_t c1[KV] = {0}, c2[KV] = {0}, c3[KV] = {0}, dst[KV] = {0};
    _Alignas(64) double mu[KV] = {0}, sg[KV] = {0}, pp[KV] = {0};
    for (size_t i = full; i < n; i++) {
        c1[i - full] = it->c1[i];
        c2[i - full] = it->c2[i];
        c3[i - full] = it->c3[i];
        mu[i - full] = it->mu[i];
        sg[i - full] = it->sigma[i];
        pp[i - full] = it->p[i];
        dst[i - full] = it->dst ? it->dst[i] : (uint32_t)i;
    }
    sim_items_t last = {c1, c2, c3, mu, sg, pp, it->x, dst};
    draw_tile(k0, k1, c0, &last, 0, KV, tails, zmin, &T, &pk);
}

/* The ln-medians of one slot for n losses: strict IEEE arithmetic, as sim_expand_batch's. */
__attribute__((optimize("no-fast-math", "fp-contract=off"), noinline)) static void
slot_mu(const double *restrict lrs, const double *restrict shift, size_t n, double base,
        double rexp, double smul, double *restrict mu)
{
    for (size_t e = 0; e < n; e++)
        mu[e] = base + rexp * lrs[e] + shift[e] * smul;
}

/* tile_add lays out slot q of template t for the n losses from s on at the tile's end. */
static void
tile_add(tile_t *T, const sim_grouped_t *G, size_t s, size_t n, const sim_tmpl_t *t, uint32_t q)
{
    size_t at = T->n;
    uint32_t row = t->row[q] * G->stride, cov = t->c3[q];
    memcpy(T->c1 + at, G->c1 + s, n * sizeof *T->c1);
    memcpy(T->c2 + at, G->c2 + s, n * sizeof *T->c2);
    for (size_t i = 0; i < n; i++) {
        T->c3[at + i] = cov;
        T->dst[at + i] = row + G->lane[s + i];
    }
    slot_mu(G->lrs + s, G->shift + s, n, t->base[q], t->rexp[q], t->smul[q], T->mu + at);
    T->run[T->n_runs].at = at;
    T->run[T->n_runs].n = n;
    T->run[T->n_runs].p = t->p[q];
    T->run[T->n_runs++].sigma = t->sigma[q];
    for (T->n = at + n; T->n % 8 != 0; T->n++) /* runs start on whole vectors */
        T->c1[T->n] = T->c2[T->n] = T->c3[T->n] = 0;
}

/* tile_draw draws T's items: Philox over the whole tile, then each run packed and drawn. */
static void
tile_draw(uint32_t k0, uint32_t k1, uint32_t c0, tile_t *T, packed_t *pk, double *x,
          const sim_tail_t *tails, double zmin)
{
    size_t n = T->n < KT ? T->n : KT;
    philox_words(k0, k1, c0, T->c1, T->c2, T->c3, n, T->w0, T->w1, T->w2, NULL);
    for (size_t r = 0; r < T->n_runs; r++) {
        size_t m = T->run[r].n;
        pack_items(T, T->run[r].at, (m + 7) & ~(size_t)7, m, NULL, T->run[r].p, NULL,
                   T->run[r].sigma, pk);
    }
    draw_packed(pk, T, x, tails, zmin);
    T->n = T->n_runs = 0;
}

void
sim_draw_grouped(uint32_t k0, uint32_t k1, uint32_t c0, const sim_grouped_t *G, double *x,
                 const sim_tail_t *tails)
{
    packed_t pk;
    tile_t T;
    pk.n = 0;
    T.n = T.n_runs = 0;
    double zmin = tail_min(tails);
    for (size_t g = 0; g < G->n_groups; g++) {
        size_t s = G->start[g], n = G->start[g + 1] - s;
        const sim_tmpl_t *t = G->tmpl[g];
        for (uint32_t q = 0; q < t->k; q++)
            for (size_t i0 = 0; i0 < n;) { /* a run ends where the tile does */
                size_t room = KT - T.n, m = n - i0 < room ? n - i0 : room;
                tile_add(&T, G, s + i0, m, t, q);
                i0 += m;
                if (T.n + 8 > KT)
                    tile_draw(k0, k1, c0, &T, &pk, x, tails, zmin);
            }
    }
    if (T.n > 0)
        tile_draw(k0, k1, c0, &T, &pk, x, tails, zmin);
}

/*
 * One loss's block of K item slots. Strict IEEE arithmetic here (the file's
 * -ffast-math would fuse the multiply-adds): the ln-median must be the one
 * sim.c's plain arithmetic gives, whatever the machine.
 */
#define EXPAND_BLOCK(K)                                                                            \
    __attribute__((optimize("no-fast-math", "fp-contract=off"), noinline)) static void             \
        expand_block##K(uint32_t *restrict C1, uint32_t *restrict C2, uint32_t *restrict C3,       \
                        uint32_t *restrict D, double *restrict P, double *restrict S,              \
                        double *restrict MU, const sim_tmpl_t *restrict t, uint32_t c1,            \
                        uint32_t c2, double lrs, double shift, uint32_t stride, uint32_t lane)     \
    {                                                                                              \
        for (size_t q = 0; q < K; q++) {                                                           \
            C1[q] = c1;                                                                            \
            C2[q] = c2;                                                                            \
            C3[q] = t->c3[q];                                                                      \
            P[q] = t->p[q];                                                                        \
            S[q] = t->sigma[q];                                                                    \
            MU[q] = t->base[q] + t->rexp[q] * lrs + shift * t->smul[q];                            \
            D[q] = t->row[q] * stride + lane;                                                      \
        }                                                                                          \
    }
EXPAND_BLOCK(8)
EXPAND_BLOCK(16)
#undef EXPAND_BLOCK

__attribute__((optimize("no-fast-math", "fp-contract=off"))) size_t
sim_expand_batch(const sim_losses_t *L, size_t slots, uint32_t *c1, uint32_t *c2, uint32_t *c3,
                 double *mu, double *sigma, double *p, uint32_t *dst)
{
    size_t ni = 0;
#if defined(__AVX512F__) && defined(__AVX512VL__)
    if (slots == 8) { /* the usual case, written out: a handful of vector moves a loss */
        const __m256i stride = _mm256_set1_epi32((int)L->stride);
        for (size_t e = 0; e < L->n; e++) {
            const sim_tmpl_t *t = L->tmpl[e];
            __m256i lane = _mm256_set1_epi32((int)(L->lane0 + (uint32_t)e));
            _mm256_storeu_si256((__m256i *)(c1 + ni), _mm256_set1_epi32((int)L->c1[e]));
            _mm256_storeu_si256((__m256i *)(c2 + ni), _mm256_set1_epi32((int)L->c2[e]));
            _mm256_storeu_si256((__m256i *)(c3 + ni), _mm256_loadu_si256((const __m256i *)t->c3));
            __m256i row = _mm256_loadu_si256((const __m256i *)t->row);
            _mm256_storeu_si256((__m256i *)(dst + ni),
                                _mm256_add_epi32(_mm256_mullo_epi32(row, stride), lane));
            _mm512_storeu_pd(p + ni, _mm512_loadu_pd(t->p));
            _mm512_storeu_pd(sigma + ni, _mm512_loadu_pd(t->sigma));
            /* (base + rexp × lrs) + shift × smul, each operation rounded (no fused multiply-add:
             * this function is compiled with fp-contract off) */
            __m512d a = _mm512_mul_pd(_mm512_loadu_pd(t->rexp), _mm512_set1_pd(L->lrs[e]));
            __m512d b = _mm512_add_pd(_mm512_loadu_pd(t->base), a);
            __m512d c = _mm512_mul_pd(_mm512_set1_pd(L->shift[e]), _mm512_loadu_pd(t->smul));
            _mm512_storeu_pd(mu + ni, _mm512_add_pd(b, c));
            ni += t->k;
        }
        return ni;
    }
#endif
    for (size_t e = 0; e < L->n; e++) {
        const sim_tmpl_t *t = L->tmpl[e];
        uint32_t lane = L->lane0 + (uint32_t)e;
        if (slots == 8)
            expand_block8(c1 + ni, c2 + ni, c3 + ni, dst + ni, p + ni, sigma + ni, mu + ni, t,
                          L->c1[e], L->c2[e], L->lrs[e], L->shift[e], L->stride, lane);
        else
            expand_block16(c1 + ni, c2 + ni, c3 + ni, dst + ni, p + ni, sigma + ni, mu + ni, t,
                           L->c1[e], L->c2[e], L->lrs[e], L->shift[e], L->stride, lane);
        ni += t->k;
    }
    return ni;
}

void
sim_hit_gaps(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t b0, size_t nb, double l1h,
             uint32_t *w, double *step)
{
    _Alignas(64) uint32_t cc1[SIM_HIT_BLOCKS] = {0}, cc2[SIM_HIT_BLOCKS] = {0},
                          cc3[SIM_HIT_BLOCKS] = {0};
    _Alignas(64) uint32_t o[4][SIM_HIT_BLOCKS];
    nb = nb < SIM_HIT_BLOCKS ? nb : SIM_HIT_BLOCKS;
    for (size_t b = 0; b < nb; b++) {
        cc1[b] = c1;
        cc2[b] = 0;
        cc3[b] = b0 + (uint32_t)b;
    }
    philox_words(k0, k1, c0, cc1, cc2, cc3, nb, o[0], o[1], o[2], o[3]);
    for (size_t b = 0; b < nb; b++)
        for (size_t j = 0; j < 4; j++)
            w[4 * b + j] = o[j][b];
    /*
     * libmvec's log is within a few ulps of libm's, so the floor of the
     * quotient is the same unless it lies that close to a whole number:
     * those (about one in 10^9) are marked for the caller.
     */
    for (size_t g = 0; g < 4 * nb; g++) {
        double q = log(u01(w[g])) / l1h;
        double f = floor(q), d = q - f, tol = 1e-9 * (1.0 + q);
        step[g] = d < tol || d > 1.0 - tol ? -1.0 : 1.0 + f;
    }
}
