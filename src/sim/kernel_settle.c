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

/*
 * fen × rate rounded half up, as terms.c's mul_rate's fast path computes it,
 * with *bad set outside that path's range or within four times its window
 * of a half fen: a value kept here is one mul_rate computes the same way,
 * whatever -ffast-math does to the window's own arithmetic.
 */
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

/*
 * A fresh policy year; bi = hourly gross profit × hours (cut at bi_cap), and
 * × the hours past the waiting period.
 */
static void
settle_start(size_t n, const uint32_t *restrict tid, const int64_t *restrict hgp,
             const double *restrict xbi, const double *restrict cap, const int64_t *restrict ret,
             const int64_t *restrict agg, const double *restrict wait, int64_t *restrict left,
             int64_t *restrict rem, int64_t *restrict full, int64_t *restrict after,
             int64_t *restrict ex, int64_t *restrict gtot, int64_t *restrict ptot)
{
    for (size_t e = 0; e < n; e++) {
        uint32_t t = tid[e];
        left[e] = ret[t];
        rem[e] = agg[t];
        gtot[e] = 0;
        ptot[e] = 0;
        int64_t bad = 0;
        double h = xbi[e] < cap[e] ? xbi[e] : cap[e], past = h - wait[t];
        past = past > 0.0 ? past : 0.0;
        int64_t f = mul_rate_fast(hgp[e], h, &bad);
        after[e] = mul_rate_fast(hgp[e], past, &bad);
        ex[e] |= bad;
        full[e] = f;
    }
}

/*
 * One coverage's step for n losses: the amount (x rounded half up to the
 * fen, or for bi the amount full and the part past the waiting period
 * after), then retention, sublimit and aggregate limit; the sums of the
 * losses settled here (ex[e] == 0) into *gs and *ps.
 */
static void
settle_row(size_t n, const uint32_t *restrict tid, const double *restrict x,
           const int64_t *restrict full, const int64_t *restrict after, int is_bi,
           const int64_t *restrict sl, const int64_t *restrict ex, int64_t *restrict left,
           int64_t *restrict rem, int64_t *restrict gtot, int64_t *restrict ptot, int64_t *gs,
           int64_t *ps)
{
    int64_t g = 0, p = 0;
    for (size_t e = 0; e < n; e++) {
        uint32_t t = tid[e];
        double xe = x[e];
        int64_t amt = xe < (double)SIM_AMOUNT_MAX ? (int64_t)(xe + 0.5) : SIM_AMOUNT_MAX;
        int64_t v = is_bi ? full[e] : amt;
        int64_t net = is_bi ? after[e] : amt, lf = left[e];
        int64_t take = net < lf ? net : lf; /* retention */
        left[e] = lf - take;
        net -= take;
        int64_t sub = sl[t]; /* sublimit */
        net = net < sub ? net : sub;
        int64_t r = rem[e]; /* aggregate limit */
        int64_t pay = net < r ? net : r;
        rem[e] = r - pay;
        gtot[e] += v;
        ptot[e] += pay;
        int64_t keep = ex[e] == 0 ? -1 : 0;
        g += v & keep;
        p += pay & keep;
    }
    *gs = g;
    *ps = p;
}

void
sim_settle_batch(const sim_terms_t *T, const uint32_t *rows, size_t n_rows, uint32_t bi,
                 sim_settle_t *s)
{
    size_t n = s->n, st = s->stride, nt = T->n_terms;
    int64_t *left = s->scratch, *rem = s->scratch + n;
    int64_t *full = s->scratch + 2 * n, *after = s->scratch + 3 * n; /* bi, and past waiting */
    const double *xbi = (const double *)(s->scratch + 4 * n);        /* zeros without a bi row */
    for (size_t e = 0; e < n; e++)
        s->scratch[4 * n + e] = 0;
    for (size_t j = 0; j < n_rows; j++)
        if (rows[j] == bi)
            xbi = s->x + j * st;
    settle_start(n, s->terms, s->hgp, xbi, s->bi_cap, T->retention, T->aggregate_limit,
                 T->bi_waiting_hours, left, rem, full, after, s->exact, s->gu_total, s->paid_total);
    /* the coverages in the notice's order */
    for (size_t j = 0; j < n_rows; j++)
        settle_row(n, s->terms, s->x + j * st, full, after, rows[j] == bi,
                   T->sublimit + (size_t)rows[j] * nt, s->exact, left, rem, s->gu_total,
                   s->paid_total, &s->row_gu[j], &s->row_paid[j]);
}
