/*
 * year.c — one simulated year on one thread, and the thread's workspace.
 *
 * A year: the attritional incidents, then each systemic occurrence's hits,
 * generated into the year's list of losses (struct of arrays), each counted
 * against its policy (a byte per policy) and its policy's record fetched
 * into the cache as it is generated. Then the losses go through one sweep a
 * chunk at a time, the chunk's arrays staying in the first- and
 * second-level caches: their policies looked up, their items laid out
 * (sim_tmpl_t), drawn (kernel.c) into the chunk's matrix (a row per insured
 * coverage, a column per loss), settled by the array kernel
 * (kernel_settle.c) and summed — per policy-year, per type or occurrence —
 * right away. A loss the kernel leaves goes to the terms engine
 * (terms_apply_fast) in the same sweep; the losses of a policy with several
 * this year keep their draws and go to the engine after the sweep, in time
 * order, so the aggregate limit erodes as in the policy year.
 *
 * Random numbers: Philox4x32-10, key = the seed's two 32-bit halves,
 * counter = (year, stream, item, block). Streams (word 1, low 8 bits):
 *   1 YEAR      the year's Poisson counts (item 0 attritional, 1 systemic)
 *   2 ATT       attritional incident j (item j): policy, type, time
 *   3 ATT_ITEM  coverage c of attritional incident j (item j, block c)
 *   4 OCC       systemic occurrence k (word 1 bits 8..31 = k): event, time, duration
 *   5 HIT       the hit gaps of occurrence k (block = batch of four gaps)
 *   6 HIT_ITEM  coverage c of the m-th insured hit by occurrence k (item m, block c)
 * Every number a year uses is named by that year's counters alone, so it
 * does not matter which thread or process computes the year, nor in which
 * order its losses are drawn and settled: every sum is an integer sum.
 *
 * Depends on core/ (terms, normal), the sim kernels and Random123; no I/O.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <Random123/philox.h>

#include "core/normal.h"
#include "sim/engine.h"

enum {
    STREAM_YEAR = 1,
    STREAM_ATT = 2,
    STREAM_ATT_ITEM = 3,
    STREAM_OCC = 4,
    STREAM_HIT = 5,
    STREAM_HIT_ITEM = 6,
};

#define SIM_MAX_OCC_PER_YEAR (1u << 24) /* k must fit counter word 1's upper 24 bits */

/* Losses laid out, drawn, settled and summed at a time: their arrays stay in cache. */
#define SIM_CHUNK 512
/* The stride of a chunk's matrices: a row a little longer than 4 KiB apart, so that a loss's
 * rows do not fall on the same cache set (4K aliasing). */
#define SIM_ROW (SIM_CHUNK + 8)

/* How many losses ahead the loops prefetch what they read at random (a DRAM latency's worth). */
#define SIM_PREFETCH      24
#define SIM_PREFETCH_HITS 8 /* hits ahead in an exposed list */

#define LOSS_NONE UINT32_MAX

_Static_assert(SIM_AMOUNT_MAX == TERMS_AMOUNT_MAX, "the kernel's amount cap is the engine's");
_Static_assert(COV_N <= SIM_TERM_ROWS, "the settlement kernel has a row for every coverage");
_Static_assert(sizeof(sim_term_t) == 16 * sizeof(int64_t),
               "the kernel's gathers: 16 words a terms");

static const char *const phase_names[SIM_PHASES] = {"attritional", "systemic", "policies",
                                                    "items",       "draws",    "settlement",
                                                    "sums",        "several",  "year end"};

const char *
sim_phase_name(int phase)
{
    return phase >= 0 && phase < SIM_PHASES ? phase_names[phase] : "";
}

/* ---- random numbers outside the kernel ---------------------------------- */

/* A sequence of uniforms from consecutive blocks of one counter (year, stream, item). */
typedef struct {
    philox4x32_key_t key;
    philox4x32_ctr_t ctr;
    philox4x32_ctr_t out;
    int pos; /* next word of out; 4 = draw the next block */
} seq_t;

static void
seq_init(seq_t *s, uint32_t k0, uint32_t k1, uint32_t year, uint32_t stream, uint32_t item)
{
    s->key = (philox4x32_key_t){{k0, k1}};
    s->ctr = (philox4x32_ctr_t){{year, stream, item, 0}};
    s->pos = 4;
}

static double
seq_u01(seq_t *s)
{
    if (s->pos == 4) {
        s->out = philox4x32(s->ctr, s->key);
        s->ctr.v[3]++;
        s->pos = 0;
    }
    return sim_u01(s->out.v[s->pos++]);
}

/*
 * A Poisson count with mean lam: inversion for small means; Hörmann's PTRS
 * transformed rejection (1993) above 10, which needs a handful of uniforms
 * whatever the mean (the attritional count of a large book is about 1,500).
 */
static uint32_t
poisson_draw(double lam, seq_t *s)
{
    if (!(lam > 0.0))
        return 0;
    if (lam < 10.0) {
        double u = seq_u01(s), p = exp(-lam), f = p;
        uint32_t k = 0;
        while (u > f && k < 1000) {
            k++;
            p *= lam / k;
            f += p;
        }
        return k;
    }
    double slam = sqrt(lam), loglam = log(lam);
    double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        double u = seq_u01(s) - 0.5, v = seq_u01(s);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * a / us + b) * u + lam + 0.43);
        if (us >= 0.07 && v <= vr)
            return (uint32_t)k;
        if (k < 0.0 || (us < 0.013 && v > us))
            continue;
        int sign;
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <=
            -lam + k * loglam - lgamma_r(k + 1.0, &sign))
            return (uint32_t)k;
    }
}

/* ---- a thread's workspace ----------------------------------------------- */

/*
 * A policy as one thread sees it, in one cache line: what a loss needs of
 * it (from its pol_hot_t), its place among this year's policies with
 * several losses, and its sums over the years the thread ran. A loss costs
 * one random line, fetched while the year's losses are generated and still
 * in cache when the loss is settled and summed.
 */
typedef struct {
    _Alignas(64) double lrs; /* ln(revenue / severity reference revenue) */
    int64_t hgp;             /* hourly gross profit, fen */
    double bi_cap;  /* outage hours past which the bi amount would leave the engine's range */
    uint32_t terms; /* index into prep_t.terms */
    uint32_t group; /* 1 + its entry among this year's policies with several losses; 0 none */
    int64_t sum;    /* Σ of the policy's annual insured loss */
    int64_t sum_gu; /* Σ of its annual ground-up loss */
    sim_u128_t sq;  /* Σ of the square of the annual insured loss */
} pol_rec_t;

/* The items of a chunk, struct of arrays (sim_items_t's, writable). */
typedef struct {
    uint32_t *c1, *c2, *c3;
    double *mu, *sigma, *p;
    uint32_t *dst; /* where the item's amount goes in the chunk's matrix */
} items_t;

struct worker {
    /*
     * The year's losses in generation order — the attritional incidents,
     * then each occurrence's hits — struct of arrays, cap_ev of each.
     */
    uint32_t *pol;  /* policy */
    uint32_t *time; /* position in the year in 2^-32 years: orders one policy's losses */
    uint32_t *c1;   /* counter words 1 and 2 of its items */
    uint32_t *c2;   /*   (word 3 is the coverage) */
    uint32_t *type; /* by_type index: its items' template */
    uint32_t *grp;  /* its sums' group: its type if attritional, n_types + occurrence if not */
    double *shift;  /* the ln-median's shift of its items (type and event scale, or outage) */
    size_t n_ev, cap_ev, n_att, n_items; /* n_items: the year's coverage draws */
    uint8_t *cnt;   /* per policy: its losses this year (up to 255), 0 outside a year */
    pol_rec_t *rec; /* per policy */
    /* the year's occurrences, and the sums of each group (types, then occurrences) */
    uint32_t *occ_event, *occ_hits;
    size_t cap_occ;
    sim_sum_t *gs;
    int64_t att_max_gu, att_max_paid; /* the largest attritional loss */
    /* a chunk: per loss what the layout and the settlement kernel read, and their results */
    double *lrs;
    const sim_tmpl_t **tmpl;
    uint32_t *terms;
    int64_t *hgp;
    double *cap;
    int64_t *exact, *gtot, *ptot, row_gu[COV_N], row_paid[COV_N];
    items_t it; /* its items, SIM_CHUNK × SIM_SLOTS + SIM_SLOTS (scalar kernel, no templates) */
    /*
     * Its losses grouped by template (sim_grouped_t): each loss's template,
     * the count of each template (0 outside a chunk), the templates used,
     * where each group starts, and the per-loss arrays in group order.
     */
    uint32_t *tid, *tcount, *tused, *s_c1, *s_c2, *s_lane;
    double *s_lrs, *s_shift;
    size_t *gstart;
    const sim_tmpl_t **gtmpl;
    double *mx; /* its draws: mx[row × SIM_ROW + loss] */
    /*
     * The losses of policies with several this year: the loss, its draws
     * (n_rows each), the next loss of the same policy; and per such policy
     * (a group) its first and last loss.
     */
    uint32_t *m_loss, *m_next;
    double *m_x;
    size_t n_multi, cap_multi;
    uint32_t *g_pol, *g_head, *g_tail;
    size_t n_groups, cap_groups;
    uint32_t *order; /* one group's losses in time order */
    /* attritional header draws */
    uint32_t *hc1, *hc2, *hc3, *hw0, *hw1, *hw2, *hw3;
    /* profiling: the counter and the phase's start */
    uint64_t (*clock)(void);
    uint64_t *prof;
    uint64_t lap;
    size_t n_rows;
    acc_t acc;
    cy_error_t err;
};

/*
 * grow makes the array whose pointer is at pp (any T *) hold n elements of
 * size bytes, keeping its contents. The pointer is read and written through
 * memcpy, so one helper serves every element type without type punning.
 */
static int
grow(void *pp, size_t n, size_t size)
{
    void *p;
    memcpy(&p, pp, sizeof p);
    void *q = realloc(p, n * size);
    if (q == NULL)
        return -1;
    memcpy(pp, &q, sizeof q);
    return 0;
}

/* The next capacity for need elements: doubling, at least need. */
static size_t
next_cap(size_t cap, size_t need)
{
    return cap * 2 > need ? cap * 2 : need;
}

/* losses_room gives the year's per-loss arrays room for need losses. */
static int
losses_room(worker_t *W, size_t need)
{
    if (need <= W->cap_ev)
        return 0;
    size_t c = next_cap(W->cap_ev, need);
    if (c > UINT32_MAX / 2) /* loss indices are 32 bits */
        return -1;
    void *arrays[] = {&W->pol, &W->time, &W->c1, &W->c2, &W->type, &W->grp};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        if (grow(arrays[k], c, sizeof(uint32_t)) != 0)
            return -1;
    if (grow(&W->shift, c, sizeof *W->shift) != 0)
        return -1;
    W->cap_ev = c;
    return 0;
}

/* occ_room gives the per-occurrence arrays room for n occurrences (and the groups' sums). */
static int
occ_room(worker_t *W, size_t n)
{
    if (n <= W->cap_occ)
        return 0;
    size_t c = next_cap(W->cap_occ, n);
    if (grow(&W->occ_event, c, sizeof *W->occ_event) != 0 ||
        grow(&W->occ_hits, c, sizeof *W->occ_hits) != 0 ||
        grow(&W->gs, c + RATING_MAX_TYPES, sizeof *W->gs) != 0)
        return -1;
    W->cap_occ = c;
    return 0;
}

/* multi_room gives room for one more loss of a policy with several, and one more group. */
static int
multi_room(worker_t *W)
{
    if (W->n_multi == W->cap_multi) {
        size_t c = next_cap(W->cap_multi, W->n_multi + 1);
        if (grow(&W->m_loss, c, sizeof *W->m_loss) != 0 ||
            grow(&W->m_next, c, sizeof *W->m_next) != 0 ||
            grow(&W->order, c, sizeof *W->order) != 0 ||
            grow(&W->m_x, c * (W->n_rows + 1), sizeof *W->m_x) != 0)
            return -1;
        W->cap_multi = c;
    }
    if (W->n_groups == W->cap_groups) {
        size_t c = next_cap(W->cap_groups, W->n_groups + 1);
        if (grow(&W->g_pol, c, sizeof *W->g_pol) != 0 ||
            grow(&W->g_head, c, sizeof *W->g_head) != 0 ||
            grow(&W->g_tail, c, sizeof *W->g_tail) != 0)
            return -1;
        W->cap_groups = c;
    }
    return 0;
}

/* The chunk's arrays, in a fixed order: allocated and freed together. */
#define CHUNK_ARRAYS 26

static void **
chunk_slot(worker_t *W, int k)
{
    void **slots[CHUNK_ARRAYS] = {
        (void **)&W->lrs,    (void **)&W->tmpl,     (void **)&W->terms, (void **)&W->hgp,
        (void **)&W->cap,    (void **)&W->exact,    (void **)&W->gtot,  (void **)&W->ptot,
        (void **)&W->mx,     (void **)&W->it.c1,    (void **)&W->it.c2, (void **)&W->it.c3,
        (void **)&W->it.mu,  (void **)&W->it.sigma, (void **)&W->it.p,  (void **)&W->it.dst,
        (void **)&W->tid,    (void **)&W->tcount,   (void **)&W->tused, (void **)&W->s_c1,
        (void **)&W->s_c2,   (void **)&W->s_lane,   (void **)&W->s_lrs, (void **)&W->s_shift,
        (void **)&W->gstart, (void **)&W->gtmpl};
    return slots[k];
}

/* chunk_shape gives the elements n[k] and element size size[k] of each chunk array. */
static void
chunk_shape(size_t n_rows, size_t n[CHUNK_ARRAYS], size_t size[CHUNK_ARRAYS])
{
    /* C per loss, I per item, S per loss in group order (read in blocks of 48 past the end) */
    const size_t C = SIM_CHUNK, I = SIM_CHUNK * SIM_SLOTS + SIM_SLOTS, S = SIM_CHUNK + 48;
    const size_t R = SIM_ROW * (n_rows ? n_rows : 1), P = sizeof(void *), Z = sizeof(size_t);
    const size_t nk[CHUNK_ARRAYS] = {C, C, C, C, C,        C, C, C, R, I, I, I,     I,
                                     I, I, I, C, TMPL_MAX, C, S, S, S, S, S, C + 1, C};
    const size_t sk[CHUNK_ARRAYS] = {8, P, 4, 8, 8, 8, 8, 8, 8, 4, 4, 4, 8,
                                     8, 8, 4, 4, 4, 4, 4, 4, 4, 8, 8, Z, P};
    memcpy(n, nk, sizeof nk);
    memcpy(size, sk, sizeof sk);
}

static int
chunk_alloc(worker_t *W, size_t n_rows)
{
    size_t n[CHUNK_ARRAYS], size[CHUNK_ARRAYS];
    chunk_shape(n_rows, n, size);
    for (int k = 0; k < CHUNK_ARRAYS; k++) {
        if ((*chunk_slot(W, k) = sim_aligned_array(n[k], size[k])) == NULL)
            return -1;
        memset(*chunk_slot(W, k), 0, n[k] * size[k]); /* counts start at 0; slack is read */
    }
    return 0;
}

void
sim_worker_free(worker_t *W)
{
    if (W == NULL)
        return;
    void *arrays[] = {
        W->pol, W->time,  W->c1,        W->c2,       W->type,  W->grp,           W->shift,
        W->cnt, W->rec,   W->occ_event, W->occ_hits, W->gs,    W->m_loss,        W->m_next,
        W->m_x, W->g_pol, W->g_head,    W->g_tail,   W->order, W->hc1,           W->hc2,
        W->hc3, W->hw0,   W->hw1,       W->hw2,      W->hw3,   W->acc.by_region, W->acc.by_event};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        free(arrays[k]);
    for (int k = 0; k < CHUNK_ARRAYS; k++)
        free(*chunk_slot(W, k));
    for (int d = 0; d < SIM_DEP_N; d++)
        free(W->acc.by_dep[d]);
    free(W);
}

uint64_t
sim_worker_bytes(uint64_t n_policies, uint64_t losses, uint64_t n_rows, uint64_t n_events)
{
    uint64_t b = n_policies * (sizeof(pol_rec_t) + 1); /* records, counts */
    b += losses * (6 * 4 + 8);                         /* the year's losses */
    size_t n[CHUNK_ARRAYS], size[CHUNK_ARRAYS];        /* a chunk's arrays */
    chunk_shape((size_t)n_rows, n, size);
    for (int k = 0; k < CHUNK_ARRAYS; k++)
        b += (uint64_t)n[k] * size[k];
    b += 7 * SIM_TILE * 4 + n_events * sizeof(sim_event_sum_t);
    return b;
}

/* rec_init copies what a loss needs of each policy into the thread's records. */
static void
rec_init(pol_rec_t *rec, const prep_t *P)
{
    for (size_t i = 0; i < P->n; i++) {
        const pol_hot_t *h = &P->hot[i];
        rec[i].lrs = h->lrs;
        rec[i].hgp = h->hgp;
        rec[i].terms = h->terms;
        double cap = TERMS_HOURS_MAX;
        if (h->hgp > 0) {
            double lim = (double)TERMS_AMOUNT_MAX / (double)h->hgp;
            cap = lim < cap ? lim : cap;
        }
        rec[i].bi_cap = cap;
    }
}

worker_t *
sim_worker_new(const prep_t *P, const sim_caps_t *caps)
{
    worker_t *W = sim_aligned_array(1, sizeof *W); /* its own cache lines */
    if (W == NULL)
        return NULL;
    memset(W, 0, sizeof *W);
    W->n_rows = P->n_rows;
    W->rec = sim_big_alloc(P->n * sizeof *W->rec);
    W->cnt = calloc(P->n + 1, 1);
    uint32_t **hdr[] = {&W->hc1, &W->hc2, &W->hc3, &W->hw0, &W->hw1, &W->hw2, &W->hw3};
    int ok = W->rec != NULL && W->cnt != NULL;
    for (size_t k = 0; k < sizeof hdr / sizeof hdr[0] && ok; k++)
        ok = (*hdr[k] = sim_aligned_array(SIM_TILE, sizeof(uint32_t))) != NULL;
    W->acc.by_region = calloc(P->n_regions + 1, sizeof *W->acc.by_region);
    W->acc.by_event = calloc(P->n_ev + 1, sizeof *W->acc.by_event);
    ok = ok && W->acc.by_region && W->acc.by_event;
    for (int d = 0; d < SIM_DEP_N; d++) {
        W->acc.by_dep[d] = calloc(P->n_deps[d] + 1, sizeof *W->acc.by_dep[d]);
        ok = ok && W->acc.by_dep[d];
    }
    if (!ok || chunk_alloc(W, P->n_rows) != 0 || losses_room(W, caps->losses) != 0 ||
        occ_room(W, 64) != 0 || multi_room(W) != 0) {
        sim_worker_free(W);
        return NULL;
    }
    rec_init(W->rec, P);
    if (P->cfg->profile != NULL)
        W->clock = P->cfg->profile->clock;
    return W;
}

const acc_t *
sim_worker_acc(const worker_t *W)
{
    return &W->acc;
}

const cy_error_t *
sim_worker_err(const worker_t *W)
{
    return &W->err;
}

void
sim_worker_policy_sums(const worker_t *W, const prep_t *P, sim_result_t *r)
{
    for (size_t p = 0; p < P->n; p++) {
        const pol_rec_t *a = &W->rec[p];
        const pol_cold_t *h = &P->cold[p];
        r->policy_insured[p] += a->sum;
        r->policy_insured_sq[p] += a->sq;
        sim_add_sum(&r->by_section[h->section], a->sum_gu, a->sum);
        sim_add_sum(&r->by_region[h->region], a->sum_gu, a->sum);
        for (int d = 0; d < SIM_DEP_N; d++)
            if (h->dep[d] >= 0)
                sim_add_sum(&r->by_dep[d][h->dep[d]], a->sum_gu, a->sum);
    }
}

/* lap adds the cycles since the last lap to phase ph of the year, when profiling. */
static inline void
lap(worker_t *W, int ph)
{
    if (W->prof != NULL) {
        uint64_t t = W->clock();
        W->prof[ph] += t - W->lap;
        W->lap = t;
    }
}

static cy_status_t
year_fail(worker_t *W)
{
    return sim_no_mem(&W->err);
}

/* ---- generating the year's losses --------------------------------------- */

/* A loss on policy p (counted against it later: count_losses). */
static inline void
push_loss(worker_t *W, uint32_t p, uint32_t time, uint32_t c1, uint32_t c2, uint32_t type,
          uint32_t grp, double shift)
{
    size_t n = W->n_ev++;
    W->pol[n] = p;
    W->time[n] = time;
    W->c1[n] = c1;
    W->c2[n] = c2;
    W->type[n] = type;
    W->grp[n] = grp;
    W->shift[n] = shift;
}

/* Attritional incidents: policy (alias), type, time, their header words a tile at a time. */
static int
gen_attritional(const prep_t *P, worker_t *W, uint32_t y, uint32_t n_att)
{
    if (losses_room(W, n_att) != 0)
        return -1;
    size_t n_types = P->m->n_types;
    for (uint32_t j0 = 0; j0 < n_att; j0 += SIM_TILE) {
        uint32_t m = n_att - j0 < SIM_TILE ? n_att - j0 : SIM_TILE;
        for (uint32_t i = 0; i < m; i++) {
            W->hc1[i] = STREAM_ATT;
            W->hc2[i] = j0 + i;
            W->hc3[i] = 0;
        }
        sim_philox_batch(P->k0, P->k1, y, W->hc1, W->hc2, W->hc3, m, W->hw0, W->hw1, W->hw2,
                         W->hw3);
        for (uint32_t i = 0; i < m; i++) {
            if (i + SIM_PREFETCH < m) /* the alias table is read at random */
                __builtin_prefetch(
                    &P->att.col[((uint64_t)W->hw0[i + SIM_PREFETCH] * P->att.n) >> 32]);
            uint32_t pol = alias_pick(&P->att, W->hw0[i], W->hw1[i]);
            /* the first type whose cumulative share reaches u: counted, not searched */
            double u = sim_u01(W->hw2[i]);
            uint32_t t = 0;
            for (size_t k = 0; k + 1 < n_types; k++)
                t += u > P->type_cum[k];
            push_loss(W, pol, W->hw3[i], STREAM_ATT_ITEM, j0 + i, t, t, P->type_ln_scale[t]);
        }
    }
    W->n_att = n_att;
    return 0;
}

/*
 * The insureds occurrence k of event pe hits: geometric gaps over the
 * exposed list, one uniform each, four to a Philox block of counter
 * (y, HIT | k << 8, 0, block); all hits share the occurrence's time and
 * shift. Returns how many, or −1 when out of room.
 */
static long
gen_hits(const prep_t *P, worker_t *W, uint32_t y, uint32_t k, const prep_event_t *pe,
         double expect, uint32_t time, double shift)
{
    _Alignas(64) uint32_t w[4 * SIM_HIT_BLOCKS];
    _Alignas(64) double step[4 * SIM_HIT_BLOCKS];
    size_t at[4 * SIM_HIT_BLOCKS];
    uint32_t hits = 0, c1 = STREAM_HIT_ITEM | (k << 8), grp = (uint32_t)P->m->n_types + k;
    double n_exp = (double)pe->n_exposed, l1h = pe->log1m_h, i = -1.0;
    /* blocks drawn at a time: about the expected hits at first, then SIM_HIT_BLOCKS / 4 */
    size_t nb = expect < SIM_HIT_BLOCKS ? ((size_t)expect + 3) & ~(size_t)3 : SIM_HIT_BLOCKS;
    nb = nb < 4 ? 4 : nb;
    for (uint32_t b0 = 0;; b0 += (uint32_t)nb, nb = SIM_HIT_BLOCKS / 4) {
        if (!pe->every)
            sim_hit_gaps(P->k0, P->k1, y, STREAM_HIT | (k << 8), b0, nb, l1h, w, step);
        else
            for (size_t g = 0; g < 4 * nb; g++)
                step[g] = 1.0;
        if (losses_room(W, W->n_ev + 4 * nb) != 0)
            return -1;
        /* where the hits fall, then the policies there, the list read a few hits ahead */
        size_t n = 0, done = 0;
        for (; n < 4 * nb; n++) {
            /* the step to the next insured hit, 1 + the geometric gap: whole numbers, so
             * adding it at once is adding its two parts */
            double s = step[n] >= 0.0 ? step[n] : 1.0 + floor(log(sim_u01(w[n])) / l1h);
            i += s;
            if ((done = !(i < n_exp)) != 0)
                break;
            at[n] = (size_t)i;
        }
        for (size_t g = 0; g < n; g++) {
            if (g + SIM_PREFETCH_HITS < n)
                __builtin_prefetch(&pe->exposed[at[g + SIM_PREFETCH_HITS]]);
            push_loss(W, pe->exposed[at[g]], time, c1, hits++, (uint32_t)pe->type, grp, shift);
        }
        if (done)
            return hits;
    }
}

/*
 * count_losses counts the year's losses against their policies, fetching
 * each policy's count and record a few losses ahead: the sweep then finds
 * the records in the cache.
 */
static void
count_losses(worker_t *W)
{
    size_t n = W->n_ev;
    for (size_t i = 0; i < n; i++) {
        if (i + SIM_PREFETCH < n) {
            uint32_t q = W->pol[i + SIM_PREFETCH];
            __builtin_prefetch(&W->cnt[q], 1);
            /* a read hint for the outer caches (prefetcht2), though the sums write the line
             * later: measured, not explained — on the benchmark's machine (AMD Zen 4) the
             * standard run takes ≈ 6 % less time than with prefetchw */
            __builtin_prefetch(&W->rec[q], 0, 1);
        }
        uint32_t p = W->pol[i];
        W->cnt[p] = (uint8_t)(W->cnt[p] + (W->cnt[p] < 255));
    }
}

/* Systemic occurrences: which event, when, the outage, and the insureds each hits. */
static int
gen_systemic(const prep_t *P, worker_t *W, uint32_t y, uint32_t n_occ, sim_year_t *row)
{
    if (occ_room(W, n_occ) != 0)
        return -1;
    const sim_catalogue_t *cat = P->cfg->catalogue;
    philox4x32_key_t key = {{P->k0, P->k1}};
    for (uint32_t k = 0; k < n_occ; k++) {
        philox4x32_ctr_t ctr = {{y, STREAM_OCC | (k << 8), 0, 0}};
        philox4x32_ctr_t w = philox4x32(ctr, key);
        uint32_t e = alias_pick(&P->occ, w.v[0], w.v[1]);
        const prep_event_t *pe = &P->ev[e];
        const sim_event_t *ce = &cat->events[e];
        /* an outage's items have the outage's hours, shared by every insured hit */
        double hours = ce->hours_mu + ce->hours_sigma * normal_quantile(sim_u01(w.v[3]));
        double shift =
            pe->type == SIM_TYPE_OUTAGE ? hours : P->type_ln_scale[pe->type] + pe->ln_scale;
        double expect = (double)pe->n_exposed * ce->hit_probability / 4.0 + 2.0;
        long hits = gen_hits(P, W, y, k, pe, expect, w.v[2], shift);
        if (hits < 0)
            return -1;
        W->occ_event[k] = e;
        W->occ_hits[k] = (uint32_t)hits;
        row->hits += (uint32_t)hits;
    }
    return 0;
}

/* ---- the sweep: a chunk of losses looked up, laid out, drawn, settled, summed ---- */

/* chunk_policies notes what the layout and the settlement read of each loss's policy. */
static void
chunk_policies(const prep_t *P, worker_t *W, size_t from, size_t m)
{
    int64_t always = P->engine_only;
    for (size_t l = 0; l < m; l++) {
        size_t i = from + l;
        if (l + 16 < m)
            __builtin_prefetch(&W->rec[W->pol[i + 16]]);
        uint32_t p = W->pol[i];
        const pol_rec_t *r = &W->rec[p];
        uint32_t t = r->terms;
        W->lrs[l] = r->lrs;
        W->terms[l] = t;
        W->hgp[l] = r->hgp;
        W->cap[l] = r->bi_cap;
        /* the engine's: coinsured, or one of several losses of the policy (after the sweep) */
        W->exact[l] = P->coinsured[t] | always | (W->cnt[p] > 1);
        W->tid[l] = W->type[i] * (uint32_t)P->n_classes + (P->tmpl ? P->tclass[t] : 0);
    }
}

/* chunk_group orders the chunk's losses by template, for sim_draw_grouped; returns the groups. */
static size_t
chunk_group(const prep_t *P, worker_t *W, size_t from, size_t m)
{
    size_t ng = 0, at = 0;
    for (size_t l = 0; l < m; l++)
        if (W->tcount[W->tid[l]]++ == 0)
            W->tused[ng++] = W->tid[l];
    for (size_t g = 0; g < ng; g++) { /* counts become where each group goes */
        uint32_t t = W->tused[g], c = W->tcount[t];
        W->gstart[g] = at;
        W->gtmpl[g] = &P->tmpl[t];
        W->tcount[t] = (uint32_t)at;
        at += c;
    }
    W->gstart[ng] = at;
    for (size_t l = 0; l < m; l++) {
        size_t k = W->tcount[W->tid[l]]++, i = from + l;
        W->s_c1[k] = W->c1[i];
        W->s_c2[k] = W->c2[i];
        W->s_lane[k] = (uint32_t)l;
        W->s_lrs[k] = W->lrs[l];
        W->s_shift[k] = W->shift[i];
    }
    for (size_t g = 0; g < ng; g++)
        W->tcount[W->tused[g]] = 0;
    return ng;
}

/*
 * chunk_items_loop lays the chunk's losses out as items one insured coverage
 * at a time, for a portfolio of too many sets of insured coverages to have
 * templates: a slot is written for every insured coverage and kept when the
 * loss's type can touch it, so the loop takes no branch.
 */
static size_t
chunk_items_loop(const prep_t *P, worker_t *W, size_t from, size_t m)
{
    items_t *it = &W->it;
    size_t ni = 0;
    for (size_t l = 0; l < m; l++) {
        size_t i = from + l;
        int outage = W->type[i] == SIM_TYPE_OUTAGE;
        double shift = W->shift[i], lrs = W->lrs[l];
        const type_tab_t *tt = &P->tt[W->type[i]];
        for (uint32_t todo = P->terms[W->terms[l]].covered; todo != 0; todo &= todo - 1) {
            int c = __builtin_ctz(todo);
            it->c1[ni] = W->c1[i];
            it->c2[ni] = W->c2[i];
            it->c3[ni] = (uint32_t)c;
            it->p[ni] = outage ? 1.0 : tt->p[c];
            it->sigma[ni] = outage ? 0.0 : tt->sigma[c];
            it->mu[ni] = outage ? shift : tt->base[c] + tt->rexp[c] * lrs + shift * tt->smul[c];
            it->dst[ni] = P->jrow[c] * SIM_ROW + (uint32_t)l;
            ni += (tt->mask >> c) & 1;
        }
    }
    return ni;
}

/* chunk_draws draws the chunk's items into its matrix: grouped by template, or laid out first. */
static void
chunk_draws(const prep_t *P, worker_t *W, uint32_t y, size_t from, size_t m)
{
    for (size_t j = 0; j < P->n_rows; j++)
        memset(W->mx + j * SIM_ROW, 0, m * sizeof *W->mx);
    if (P->tmpl != NULL && P->cfg->kernel == SIM_KERNEL_BATCH) {
        size_t ng = chunk_group(P, W, from, m);
        sim_grouped_t G = {ng,        W->gtmpl, W->gstart,  W->s_c1, W->s_c2,
                           W->s_lane, W->s_lrs, W->s_shift, SIM_ROW};
        for (size_t g = 0; g < ng; g++)
            W->n_items += (W->gstart[g + 1] - W->gstart[g]) * W->gtmpl[g]->k;
        lap(W, SIM_PHASE_ITEMS);
        sim_draw_grouped(P->k0, P->k1, y, &G, W->mx, P->tails);
        return;
    }
    items_t *it = &W->it;
    size_t ni;
    if (P->tmpl != NULL) {
        for (size_t l = 0; l < m; l++)
            W->tmpl[l] = &P->tmpl[W->tid[l]];
        sim_losses_t L = {m,      0, SIM_ROW, W->c1 + from, W->c2 + from, W->lrs, W->shift + from,
                          W->tmpl};
        ni = sim_expand_batch(&L, P->tmpl_k, it->c1, it->c2, it->c3, it->mu, it->sigma, it->p,
                              it->dst);
    } else {
        ni = chunk_items_loop(P, W, from, m);
    }
    W->n_items += ni;
    lap(W, SIM_PHASE_ITEMS);
    sim_items_t items = {it->c1, it->c2, it->c3, it->mu, it->sigma, it->p, W->mx, it->dst};
    if (P->cfg->kernel == SIM_KERNEL_SCALAR)
        sim_draw_scalar(P->k0, P->k1, y, &items, ni, P->tails);
    else
        sim_draw_batch(P->k0, P->k1, y, &items, ni, P->tails);
}

/*
 * engine_settle settles one loss with the terms engine — its draws
 * xs[row × stride] (0 where it has none), bi as hours cut at cap — against
 * the policy-year state st (NULL: a fresh year for this loss alone), adds
 * its payout by coverage to the thread's sums and gives its totals. A loss
 * none of whose coverages drew an amount changes nothing.
 */
static cy_status_t
engine_settle(const prep_t *P, worker_t *W, const double *xs, size_t stride, const pol_rec_t *r,
              terms_state_t *st, int64_t *gu, int64_t *paid)
{
    const terms_t *t = &P->terms[r->terms];
    terms_loss_t loss;
    double hours = 0.0, any = 0.0, cap = r->bi_cap;
    *gu = *paid = 0;
    for (uint32_t todo = t->covered; todo != 0; todo &= todo - 1) {
        int c = __builtin_ctz(todo);
        double x = xs[P->jrow[c] * stride];
        double hc = x < cap ? x : cap;
        hours += c == COV_BI ? hc : 0.0;
        loss.amount[c] = x < (double)TERMS_AMOUNT_MAX ? (int64_t)(x + 0.5) : TERMS_AMOUNT_MAX;
        any += x;
    }
    if (any == 0.0)
        return CY_OK;
    /* every insured coverage, so that the engine's pass has the same length every time;
     * bi's amount (extra expense) is 0 */
    uint32_t present = t->covered & ~(1u << COV_BI);
    loss.bi_hours = hours;
    loss.bi_hourly_gross_profit = r->hgp;
    terms_payout_t pay;
    cy_status_t rc = terms_apply_fast(t, &loss, present, st, &pay, &W->err);
    if (rc != CY_OK)
        return rc;
    for (uint32_t todo = t->covered; todo != 0; todo &= todo - 1) { /* all written, 0 or not */
        int c = __builtin_ctz(todo);
        sim_add_sum(&W->acc.by_cov[c], pay.ground_up[c], pay.paid[c]);
    }
    *gu = pay.ground_up_total;
    *paid = pay.paid_total;
    return CY_OK;
}

/* A settled loss i into its group's sums and, if attritional, the year's largest. */
static inline void
loss_sums(worker_t *W, size_t i, int64_t gu, int64_t paid)
{
    sim_sum_t *g = &W->gs[W->grp[i]];
    g->ground_up += gu;
    g->insured += paid;
    int att = i < W->n_att;
    W->att_max_gu = att && gu > W->att_max_gu ? gu : W->att_max_gu;
    W->att_max_paid = att && paid > W->att_max_paid ? paid : W->att_max_paid;
}

/* A policy's year, settled: into its sums; its count of losses back to 0. */
static inline void
policy_year(worker_t *W, uint32_t p, int64_t gu, int64_t paid)
{
    pol_rec_t *r = &W->rec[p];
    r->sum += paid;
    r->sum_gu += gu;
    r->sq += (sim_u128_t)paid * (sim_u128_t)paid;
    r->group = 0;
    W->cnt[p] = 0;
}

/* multi_keep keeps loss i (lane l of the chunk), one of its policy's several, for later. */
static int
multi_keep(worker_t *W, size_t l, size_t i)
{
    if (multi_room(W) != 0)
        return -1;
    uint32_t p = W->pol[i], k = (uint32_t)W->n_multi++;
    pol_rec_t *r = &W->rec[p];
    W->m_loss[k] = (uint32_t)i;
    W->m_next[k] = LOSS_NONE;
    for (size_t j = 0; j < W->n_rows; j++)
        W->m_x[k * W->n_rows + j] = W->mx[j * SIM_ROW + l];
    if (r->group == 0) {
        uint32_t g = (uint32_t)W->n_groups++;
        W->g_pol[g] = p;
        W->g_head[g] = W->g_tail[g] = k;
        r->group = g + 1;
    } else {
        uint32_t g = r->group - 1;
        W->m_next[W->g_tail[g]] = k;
        W->g_tail[g] = k;
    }
    return 0;
}

/* chunk_exact: lane l (loss i), which the kernel left to the engine. */
static cy_status_t
chunk_exact(const prep_t *P, worker_t *W, size_t l, size_t i)
{
    uint32_t p = W->pol[i];
    if (W->cnt[p] > 1)
        return multi_keep(W, l, i) == 0 ? CY_OK : year_fail(W);
    int64_t gu, paid;
    cy_status_t rc = engine_settle(P, W, W->mx + l, SIM_ROW, &W->rec[p], NULL, &gu, &paid);
    if (rc != CY_OK)
        return rc;
    policy_year(W, p, gu, paid);
    loss_sums(W, i, gu, paid);
    return CY_OK;
}

/* chunk_settle settles the chunk's losses: the array kernel, then the engine's, then the sums. */
static cy_status_t
chunk_settle(const prep_t *P, worker_t *W, size_t from, size_t m)
{
    sim_settle_t S = {m,      SIM_ROW,  W->mx,   W->terms, P->trow,   W->hgp,
                      W->cap, W->exact, W->gtot, W->ptot,  W->row_gu, W->row_paid};
    sim_settle_batch(P->rows, P->n_rows, COV_BI, &S);
    for (size_t j = 0; j < P->n_rows; j++)
        sim_add_sum(&W->acc.by_cov[P->rows[j]], W->row_gu[j], W->row_paid[j]);
    lap(W, SIM_PHASE_SETTLE);
    for (size_t l = 0; l < m; l++) {
        size_t i = from + l;
        if (W->exact[l] != 0) {
            cy_status_t rc = chunk_exact(P, W, l, i);
            if (rc != CY_OK)
                return rc;
            continue;
        }
        policy_year(W, W->pol[i], W->gtot[l], W->ptot[l]);
        loss_sums(W, i, W->gtot[l], W->ptot[l]);
    }
    lap(W, SIM_PHASE_SUMS);
    return CY_OK;
}

/* ---- policies with several losses, and the year's sums ------------------ */

/* Losses of one policy in time order; generation order breaks ties. */
static inline int
loss_before(const worker_t *W, uint32_t a, uint32_t b)
{
    uint32_t ia = W->m_loss[a], ib = W->m_loss[b];
    return W->time[ia] != W->time[ib] ? W->time[ia] < W->time[ib] : ia < ib;
}

/*
 * settle_several settles the losses of each policy with several this year,
 * in time order against one policy year, so the aggregate limit erodes as
 * it would.
 */
static cy_status_t
settle_several(const prep_t *P, worker_t *W)
{
    for (size_t g = 0; g < W->n_groups; g++) {
        size_t n = 0;
        for (uint32_t k = W->g_head[g]; k != LOSS_NONE; k = W->m_next[k]) {
            size_t j = n++; /* insertion into time order: a handful of losses */
            for (; j > 0 && loss_before(W, k, W->order[j - 1]); j--)
                W->order[j] = W->order[j - 1];
            W->order[j] = k;
        }
        uint32_t p = W->g_pol[g];
        const pol_rec_t *r = &W->rec[p];
        terms_state_t st;
        terms_state_init(&P->terms[r->terms], &st);
        int64_t year_gu = 0, year_paid = 0;
        for (size_t j = 0; j < n; j++) {
            uint32_t k = W->order[j];
            int64_t gu, paid;
            cy_status_t rc =
                engine_settle(P, W, W->m_x + (size_t)k * W->n_rows, 1, r, &st, &gu, &paid);
            if (rc != CY_OK)
                return rc;
            loss_sums(W, W->m_loss[k], gu, paid);
            year_gu += gu;
            year_paid += paid;
        }
        policy_year(W, p, year_gu, year_paid);
    }
    return CY_OK;
}

/* year_sums adds the groups' sums (types, occurrences) to the year's row and the thread's sums. */
static void
year_sums(const prep_t *P, worker_t *W, sim_year_t *row)
{
    acc_t *A = &W->acc;
    size_t nt = P->m->n_types;
    for (size_t t = 0; t < nt; t++) {
        const sim_sum_t *s = &W->gs[t];
        sim_add_sum(&A->by_type[t], s->ground_up, s->insured);
        sim_add_sum(&A->attritional, s->ground_up, s->insured);
        row->ground_up += s->ground_up;
        row->insured += s->insured;
    }
    row->max_occ_ground_up = W->att_max_gu;
    row->max_occ_insured = W->att_max_paid;
    for (uint32_t k = 0; k < row->occurrences; k++) {
        const sim_sum_t *s = &W->gs[nt + k];
        uint32_t e = W->occ_event[k];
        sim_event_sum_t *es = &A->by_event[e];
        sim_add_sum(&A->by_type[P->ev[e].type], s->ground_up, s->insured);
        sim_add_sum(&A->systemic, s->ground_up, s->insured);
        es->ground_up += s->ground_up;
        es->insured += s->insured;
        es->occurrences++;
        es->hits += W->occ_hits[k];
        es->max_occ_insured = s->insured > es->max_occ_insured ? s->insured : es->max_occ_insured;
        row->ground_up += s->ground_up;
        row->insured += s->insured;
        row->systemic_insured += s->insured;
        if (s->ground_up > row->max_occ_ground_up)
            row->max_occ_ground_up = s->ground_up;
        if (s->insured > row->max_occ_insured)
            row->max_occ_insured = s->insured;
    }
    A->attritional_incidents += row->attritional;
    A->occurrences += row->occurrences;
    A->hits += row->hits;
}

/* year_start draws the year's counts and clears what the year adds to. */
static void
year_start(const prep_t *P, worker_t *W, uint32_t y, sim_year_t *row)
{
    memset(row, 0, sizeof *row);
    seq_t s;
    seq_init(&s, P->k0, P->k1, y, STREAM_YEAR, 0);
    row->attritional = poisson_draw(P->lambda_total, &s);
    seq_init(&s, P->k0, P->k1, y, STREAM_YEAR, 1);
    row->occurrences = poisson_draw(P->rate_total, &s);
    if (row->occurrences >= SIM_MAX_OCC_PER_YEAR)
        row->occurrences = SIM_MAX_OCC_PER_YEAR - 1;
    W->n_ev = W->n_items = 0;
    W->n_multi = 0;
    W->n_groups = 0;
    W->att_max_gu = W->att_max_paid = 0;
}

size_t
sim_worker_items(const worker_t *W)
{
    return W->n_items;
}

cy_status_t
sim_year(const prep_t *P, worker_t *W, int64_t year, sim_year_t *row, uint64_t *prof)
{
    uint32_t y = (uint32_t)year;
    W->prof = prof;
    if (prof != NULL)
        W->lap = W->clock();
    year_start(P, W, y, row);
    if (gen_attritional(P, W, y, row->attritional) != 0)
        return year_fail(W);
    lap(W, SIM_PHASE_ATTRITIONAL);
    if (gen_systemic(P, W, y, row->occurrences, row) != 0)
        return year_fail(W);
    memset(W->gs, 0, (P->m->n_types + row->occurrences) * sizeof *W->gs);
    count_losses(W);
    lap(W, SIM_PHASE_SYSTEMIC);
    for (size_t from = 0; from < W->n_ev; from += SIM_CHUNK) {
        size_t m = W->n_ev - from < SIM_CHUNK ? W->n_ev - from : SIM_CHUNK;
        chunk_policies(P, W, from, m);
        lap(W, SIM_PHASE_POLICIES);
        chunk_draws(P, W, y, from, m);
        lap(W, SIM_PHASE_DRAWS);
        cy_status_t rc = chunk_settle(P, W, from, m);
        if (rc != CY_OK)
            return rc;
    }
    cy_status_t rc = settle_several(P, W);
    if (rc != CY_OK)
        return rc;
    lap(W, SIM_PHASE_SEVERAL);
    year_sums(P, W, row);
    lap(W, SIM_PHASE_YEAR_END);
    return CY_OK;
}
