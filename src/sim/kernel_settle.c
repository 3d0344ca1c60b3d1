/*
 * kernel_settle.c — the settlement of a year's single losses over arrays
 * (see kernel.h). Compiled like kernel.c with -O3 -march=native -ffast-math
 * (CMakeLists.txt: src/sim/kernel*.c): every loop runs over the losses with
 * the coverage fixed, so the compiler vectorises it, losses side by side.
 * All of it is integer arithmetic but the bi product, which follows
 * core/terms.c's mul_rate and gives up (exact[e]) wherever that one could
 * take its slow path or round differently; coinsurance, the engine's other
 * rounding, never comes here. Depends on libc and libm only.
 */
#include "sim/kernel.h"

#include <math.h>

#if defined(__AVX512F__) && defined(__AVX512DQ__)
#include <immintrin.h>
#endif

/*
 * fen × rate rounded half up, as terms.c's mul_rate's fast path computes it,
 * with *bad set outside that path's range or within four times its window
 * of a half fen: a value kept here is one mul_rate computes the same way,
 * whatever -ffast-math does to the window's own arithmetic.
 */
#if !(defined(__AVX512F__) && defined(__AVX512DQ__))
static inline int64_t
mul_rate_fast(int64_t fen, double rate, int64_t *bad)
{
    double p = (double)fen * rate;
    int64_t ok = (int64_t)(fen >= 0) & (int64_t)(fen < ((int64_t)1 << 52)) &
                 (int64_t)(rate >= 0.0) & (int64_t)(rate <= 1e9) & (int64_t)(p < 0x1p52);
    /* p itself where ok; clamped so that every step is defined whatever p is */
    double q = fmin(fmax(p, 0.0), 0x1p52);
    double whole = trunc(q), frac = q - whole;
    *bad |= (ok ^ 1) | (int64_t)(fabs(frac - 0.5) <= q * 0x1p-48 + 0x1p-58);
    return (int64_t)whole + (int64_t)(frac > 0.5);
}
#endif

/* Losses settled side by side: a block's state stays in vector registers across the rows. */
#define LANES 8

#if defined(__AVX512F__) && defined(__AVX512DQ__)
/* mul_rate_fast (above, compiled only without AVX-512) for eight lanes: the same arithmetic,
 * the same window. */
static inline __m512i
mul_rate_vec(__m512i fen, __m512d rate, __mmask8 *bad)
{
    const __m512d zero = _mm512_setzero_pd(), top = _mm512_set1_pd(0x1p52);
    __m512d p = _mm512_mul_pd(_mm512_cvtepi64_pd(fen), rate);
    __mmask8 ok = _mm512_cmpge_epi64_mask(fen, _mm512_setzero_si512()) &
                  _mm512_cmplt_epi64_mask(fen, _mm512_set1_epi64((int64_t)1 << 52)) &
                  _mm512_cmp_pd_mask(rate, zero, _CMP_GE_OQ) &
                  _mm512_cmp_pd_mask(rate, _mm512_set1_pd(1e9), _CMP_LE_OQ) &
                  _mm512_cmp_pd_mask(p, top, _CMP_LT_OQ);
    __m512d q = _mm512_min_pd(_mm512_max_pd(p, zero), top);
    __m512d whole = _mm512_roundscale_pd(q, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    __m512d frac = _mm512_sub_pd(q, whole);
    __m512d dist = _mm512_abs_pd(_mm512_sub_pd(frac, _mm512_set1_pd(0.5)));
    __m512d win = _mm512_add_pd(_mm512_mul_pd(q, _mm512_set1_pd(0x1p-48)), _mm512_set1_pd(0x1p-58));
    *bad |= (__mmask8)~ok | _mm512_cmp_pd_mask(dist, win, _CMP_LE_OQ);
    __mmask8 up = _mm512_cmp_pd_mask(frac, _mm512_set1_pd(0.5), _CMP_GT_OQ);
    return _mm512_mask_add_epi64(_mm512_cvttpd_epi64(whole), up, _mm512_cvttpd_epi64(whole),
                                 _mm512_set1_epi64(1));
}

/*
 * settle_block settles the LANES losses from e0 on: a fresh policy year
 * each; bi = hourly gross profit × hours (cut at bi_cap), and × the hours
 * past the waiting period; then every row (coverage) in the notice's order:
 * the amount (x rounded half up to the fen, bi's from its hours), retention,
 * sublimit, aggregate limit. The rows' sums over the losses settled here
 * (exact 0) go to acc_gu and acc_paid, lane by lane.
 */
static void
settle_block(const uint32_t *restrict rows, size_t n_rows, uint32_t bi,
             const sim_settle_t *restrict s, size_t e0, int64_t (*restrict acc_gu)[LANES],
             int64_t (*restrict acc_paid)[LANES])
{
    /* the eight losses' terms: word offsets of their rows in the table, 16 words each */
    const __m256i at = _mm256_slli_epi32(_mm256_loadu_si256((const __m256i *)(s->terms + e0)), 4);
    const sim_term_t *tb = s->table;
    __m512i left = _mm512_i32gather_epi64(at, &tb->retention, 8);
    __m512i rem = _mm512_i32gather_epi64(at, &tb->aggregate_limit, 8);
    __m512d wait = _mm512_i32gather_pd(at, &tb->bi_waiting_hours, 8);
    __m512i hgp = _mm512_loadu_si512(s->hgp + e0);
    __m512d hours = _mm512_setzero_pd();
    for (size_t j = 0; j < n_rows; j++)
        if (rows[j] == bi)
            hours = _mm512_loadu_pd(s->x + j * s->stride + e0);
    __m512d h = _mm512_min_pd(hours, _mm512_loadu_pd(s->bi_cap + e0));
    __m512d past = _mm512_max_pd(_mm512_sub_pd(h, wait), _mm512_setzero_pd());
    __mmask8 bad = 0;
    __m512i full = mul_rate_vec(hgp, h, &bad), after = mul_rate_vec(hgp, past, &bad);
    __m512i ex =
        _mm512_or_si512(_mm512_loadu_si512(s->exact + e0), _mm512_maskz_set1_epi64(bad, 1));
    _mm512_storeu_si512(s->exact + e0, ex);
    __mmask8 keep = _mm512_cmpeq_epi64_mask(ex, _mm512_setzero_si512());
    __m512i g = _mm512_setzero_si512(), p = _mm512_setzero_si512();
    const __m512d amax = _mm512_set1_pd((double)SIM_AMOUNT_MAX);
    for (size_t j = 0; j < n_rows; j++) { /* the coverages in the notice's order */
        __m512i v, net;
        if (rows[j] == bi) {
            v = full;
            net = after;
        } else {
            __m512d x = _mm512_loadu_pd(s->x + j * s->stride + e0);
            __mmask8 in = _mm512_cmp_pd_mask(x, amax, _CMP_LT_OQ);
            v = _mm512_mask_cvttpd_epi64(_mm512_set1_epi64(SIM_AMOUNT_MAX), in,
                                         _mm512_add_pd(x, _mm512_set1_pd(0.5)));
            net = v;
        }
        __m512i take = _mm512_min_epi64(net, left); /* retention */
        left = _mm512_sub_epi64(left, take);
        net = _mm512_sub_epi64(net, take);
        net = _mm512_min_epi64(net, _mm512_i32gather_epi64(at, &tb->sublimit[j], 8));
        __m512i pay = _mm512_min_epi64(net, rem); /* aggregate limit */
        rem = _mm512_sub_epi64(rem, pay);
        g = _mm512_add_epi64(g, v);
        p = _mm512_add_epi64(p, pay);
        int64_t *ag = acc_gu[j], *ap = acc_paid[j];
        _mm512_storeu_si512(
            ag, _mm512_mask_add_epi64(_mm512_loadu_si512(ag), keep, _mm512_loadu_si512(ag), v));
        _mm512_storeu_si512(
            ap, _mm512_mask_add_epi64(_mm512_loadu_si512(ap), keep, _mm512_loadu_si512(ap), pay));
    }
    _mm512_storeu_si512(s->gu_total + e0, g);
    _mm512_storeu_si512(s->paid_total + e0, p);
}
#else
/*
 * settle_block settles the LANES losses from e0 on: a fresh policy year
 * each; bi = hourly gross profit × hours (cut at bi_cap), and × the hours
 * past the waiting period; then every row (coverage) in the notice's order:
 * the amount (x rounded half up to the fen, bi's from its hours), retention,
 * sublimit, aggregate limit. The rows' sums over the losses settled here
 * (exact 0) go to acc_gu and acc_paid, lane by lane.
 */
static void
settle_block(const uint32_t *restrict rows, size_t n_rows, uint32_t bi,
             const sim_settle_t *restrict s, size_t e0, int64_t (*restrict acc_gu)[LANES],
             int64_t (*restrict acc_paid)[LANES])
{
    const int64_t *restrict hgp = s->hgp + e0;
    const double *restrict cap = s->bi_cap + e0;
    int64_t left[LANES], rem[LANES], full[LANES], after[LANES], keep[LANES], g[LANES], p[LANES];
    const double *xbi = NULL; /* bi's hours, if a row is bi's */
    for (size_t j = 0; j < n_rows; j++)
        if (rows[j] == bi)
            xbi = s->x + j * s->stride + e0;
    const sim_term_t *tm[LANES];
    for (size_t k = 0; k < LANES; k++) {
        tm[k] = &s->table[s->terms[e0 + k]];
        left[k] = tm[k]->retention;
        rem[k] = tm[k]->aggregate_limit;
        g[k] = p[k] = 0;
        int64_t bad = 0;
        double hours = xbi ? xbi[k] : 0.0, h = hours < cap[k] ? hours : cap[k];
        double past = h - tm[k]->bi_waiting_hours;
        past = past > 0.0 ? past : 0.0;
        full[k] = mul_rate_fast(hgp[k], h, &bad);
        after[k] = mul_rate_fast(hgp[k], past, &bad);
        s->exact[e0 + k] |= bad;
        keep[k] = s->exact[e0 + k] == 0 ? -1 : 0;
    }
    for (size_t j = 0; j < n_rows; j++) { /* the coverages in the notice's order */
        const double *restrict x = s->x + j * s->stride + e0;
        int is_bi = rows[j] == bi;
        for (size_t k = 0; k < LANES; k++) {
            double xe = x[k];
            int64_t amt = xe < (double)SIM_AMOUNT_MAX ? (int64_t)(xe + 0.5) : SIM_AMOUNT_MAX;
            int64_t v = is_bi ? full[k] : amt, net = is_bi ? after[k] : amt;
            int64_t take = net < left[k] ? net : left[k]; /* retention */
            left[k] -= take;
            net -= take;
            int64_t sub = tm[k]->sublimit[j]; /* sublimit */
            net = net < sub ? net : sub;
            int64_t pay = net < rem[k] ? net : rem[k]; /* aggregate limit */
            rem[k] -= pay;
            g[k] += v;
            p[k] += pay;
            acc_gu[j][k] += v & keep[k];
            acc_paid[j][k] += pay & keep[k];
        }
    }
    for (size_t k = 0; k < LANES; k++) {
        s->gu_total[e0 + k] = g[k];
        s->paid_total[e0 + k] = p[k];
    }
}

#endif

void
sim_settle_batch(const uint32_t *rows, size_t n_rows, uint32_t bi, sim_settle_t *s)
{
    int64_t acc_gu[SIM_TERM_ROWS][LANES] = {{0}}, acc_paid[SIM_TERM_ROWS][LANES] = {{0}};
    n_rows = n_rows < SIM_TERM_ROWS ? n_rows : SIM_TERM_ROWS;
    size_t n = s->n, full = n - n % LANES;
    for (size_t e0 = 0; e0 < full; e0 += LANES)
        settle_block(rows, n_rows, bi, s, e0, acc_gu, acc_paid);
    if (full < n) { /* the last few, copied into a block padded with losses of nothing */
        double x[SIM_TERM_ROWS * LANES] = {0}, cap[LANES] = {0};
        int64_t hgp[LANES] = {0}, ex[LANES], gtot[LANES], ptot[LANES];
        uint32_t tix[LANES] = {0}; /* the padding: the first terms, its losses not kept */
        for (size_t k = 0; full + k < n; k++) {
            size_t e = full + k;
            for (size_t j = 0; j < n_rows; j++)
                x[j * LANES + k] = s->x[j * s->stride + e];
            hgp[k] = s->hgp[e];
            cap[k] = s->bi_cap[e];
            tix[k] = s->terms[e];
        }
        for (size_t k = 0; k < LANES; k++)
            ex[k] = full + k < n ? s->exact[full + k] : 1;
        sim_settle_t last = {LANES, LANES, x, tix, s->table, hgp, cap, ex, gtot, ptot, NULL, NULL};
        settle_block(rows, n_rows, bi, &last, 0, acc_gu, acc_paid);
        for (size_t k = 0; full + k < n; k++) {
            s->exact[full + k] = ex[k];
            s->gu_total[full + k] = gtot[k];
            s->paid_total[full + k] = ptot[k];
        }
    }
    for (size_t j = 0; j < n_rows; j++) {
        s->row_gu[j] = s->row_paid[j] = 0;
        for (size_t k = 0; k < LANES; k++) {
            s->row_gu[j] += acc_gu[j][k];
            s->row_paid[j] += acc_paid[j][k];
        }
    }
}
