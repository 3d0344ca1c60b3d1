/*
 * sim.c — the portfolio Monte Carlo driver (see sim.h): preparation of the
 * portfolio and catalogue into arrays, the per-year generation of losses,
 * their settlement through the terms engine, and the sums.
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
 * does not matter which thread or process computes the year.
 *
 * Depends on core/, sim/kernel, OpenMP and Random123; no I/O.
 */
#include "sim/sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>
#include <sys/mman.h>

#include <Random123/philox.h>

#include "core/normal.h"
#include "sim/kernel.h"

enum {
    STREAM_YEAR = 1,
    STREAM_ATT = 2,
    STREAM_ATT_ITEM = 3,
    STREAM_OCC = 4,
    STREAM_HIT = 5,
    STREAM_HIT_ITEM = 6,
};

#define SIM_MAX_OCC_PER_YEAR (1u << 24) /* k must fit counter word 1's upper 24 bits */

const char *
sim_dep_code(int d)
{
    static const char *const codes[SIM_DEP_N] = {"cloud", "os", "vpn", "email"};
    return d >= 0 && d < SIM_DEP_N ? codes[d] : "";
}

const char *
sim_event_type_code(int t)
{
    static const char *const codes[SIM_EVENT_TYPES] = {"cloud_outage", "mass_exploit",
                                                       "ransomware_campaign"};
    return t >= 0 && t < SIM_EVENT_TYPES ? codes[t] : "";
}

void
sim_portfolio_free(sim_portfolio_t *p)
{
    if (p == NULL)
        return;
    free(p->policies);
    p->policies = NULL;
    p->n = 0;
}

void
sim_catalogue_free(sim_catalogue_t *c)
{
    if (c == NULL)
        return;
    free(c->events);
    c->events = NULL;
    c->n = 0;
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

/* ---- alias tables ------------------------------------------------------- */

/* Walker's alias method (Vose's construction): O(1) draws from n weights. */

/*
 * One column, 8 bytes so that a table of 100,000 policies stays in a core's
 * L2: keep the column when the second word is below thr, else take alias. A
 * column kept with certainty has alias = itself, so thr's 32 bits suffice.
 */
typedef struct {
    uint32_t thr;
    uint32_t alias;
} alias_col_t;

typedef struct {
    alias_col_t *col;
    size_t n;
} alias_t;

static void
alias_free(alias_t *a)
{
    free(a->col);
    memset(a, 0, sizeof *a);
}

static int
alias_build(alias_t *a, const double *w, size_t n)
{
    memset(a, 0, sizeof *a);
    double total = 0.0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    if (n == 0 || !(total > 0.0))
        return 0;
    a->col = calloc(n, sizeof *a->col);
    double *pr = malloc(n * sizeof *pr);
    uint32_t *small = malloc(n * sizeof *small), *large = malloc(n * sizeof *large);
    if (a->col == NULL || pr == NULL || small == NULL || large == NULL) {
        free(pr);
        free(small);
        free(large);
        alias_free(a);
        return -1;
    }
    size_t ns = 0, nl = 0;
    for (size_t i = 0; i < n; i++) {
        pr[i] = w[i] * (double)n / total;
        a->col[i].alias = (uint32_t)i;
        if (pr[i] < 1.0)
            small[ns++] = (uint32_t)i;
        else
            large[nl++] = (uint32_t)i;
    }
    while (ns > 0 && nl > 0) {
        uint32_t s = small[--ns], l = large[--nl];
        double t = pr[s] * 4294967296.0;
        a->col[s].thr = t >= 4294967295.0 ? UINT32_MAX : (uint32_t)llround(t);
        a->col[s].alias = l;
        pr[l] = (pr[l] + pr[s]) - 1.0;
        if (pr[l] < 1.0)
            small[ns++] = l;
        else
            large[nl++] = l;
    }
    /* what is left is 1 up to rounding: always keep the column */
    while (nl > 0) {
        uint32_t l = large[--nl];
        a->col[l].thr = UINT32_MAX;
        a->col[l].alias = l;
    }
    while (ns > 0) {
        uint32_t l = small[--ns];
        a->col[l].thr = UINT32_MAX;
        a->col[l].alias = l;
    }
    a->n = n;
    free(pr);
    free(small);
    free(large);
    return 0;
}

static inline uint32_t
alias_pick(const alias_t *a, uint32_t w0, uint32_t w1)
{
    const alias_col_t *c = &a->col[((uint64_t)w0 * a->n) >> 32];
    return w1 < c->thr ? (uint32_t)(c - a->col) : c->alias;
}

/* ---- preparation -------------------------------------------------------- */

/* One systemic event, resolved against the portfolio. */
typedef struct {
    const uint32_t *exposed; /* policy indices matching the selector, ascending */
    size_t n_exposed;
    double log1m_h;  /* ln(1 − hit probability); 0 when every exposed insured is hit */
    int every;       /* hit probability 1 */
    int type;        /* index in by_type: the model's type or SIM_TYPE_OUTAGE */
    double ln_scale; /* ln(severity_scale) */
} prep_event_t;

/*
 * What the year loop reads of a policy for every loss, in one cache line:
 * 100,000 policies' full records do not stay in cache, these do better.
 */
typedef struct {
    double lrs;             /* ln(revenue / severity reference revenue) */
    int64_t hgp;            /* hourly gross profit, fen */
    uint32_t covered;       /* terms.covered */
    uint32_t region;        /* interned region */
    int32_t dep[SIM_DEP_N]; /* interned dependencies, −1 none */
    uint32_t section;       /* 0..19 */
    uint32_t terms;         /* index into prep_t.terms */
} pol_hot_t;

/* Everything the years read and nobody writes. */
typedef struct {
    const sim_config_t *cfg;
    const rating_model_t *m;
    const sim_policy_t *pol;
    size_t n;
    uint32_t k0, k1;
    pol_hot_t *hot; /* what a loss needs of its policy, packed */
    terms_t *terms; /* the distinct terms of the portfolio (products repeat them) */
    size_t n_terms;
    uint32_t *region_id; /* per policy */
    int32_t *dep_id[SIM_DEP_N];
    alias_t att; /* policies weighted by λ */
    double lambda_total;
    double type_cum[RATING_MAX_TYPES];
    double type_ln_scale[RATING_MAX_TYPES]; /* ln(severity_scale) of each type */
    uint32_t type_mask[RATING_MAX_TYPES];   /* coverages a type can touch (involve > 0) */
    sim_tail_t tails[SIM_TAILS]; /* by coverage: the severity tails, SIM_NO_TAIL if none */
    prep_event_t *ev;
    size_t n_ev;
    uint32_t *lists; /* all exposed lists, end to end */
    alias_t occ;     /* events weighted by annual rate */
    double rate_total;
    size_t n_regions;
    char (*regions)[7];
    size_t n_deps[SIM_DEP_N];
    char (*deps[SIM_DEP_N])[SIM_NAME_CAP];
    int64_t *pure; /* rating pure premium per policy */
} prep_t;

static void
prep_free(prep_t *P)
{
    free(P->hot);
    free(P->terms);
    free(P->region_id);
    for (int d = 0; d < SIM_DEP_N; d++) {
        free(P->dep_id[d]);
        free(P->deps[d]);
    }
    alias_free(&P->att);
    alias_free(&P->occ);
    free(P->ev);
    free(P->lists);
    free(P->regions);
    free(P->pure);
    memset(P, 0, sizeof *P);
}

static int
cmp_str7(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int
cmp_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

/*
 * Intern the policies' region codes and dependency names: sorted unique
 * tables (so the ids are the same in every process) and an id per policy.
 */
static int
prep_intern(prep_t *P)
{
    size_t n = P->n;
    P->regions = malloc(n * sizeof *P->regions);
    P->region_id = malloc(n * sizeof *P->region_id);
    if (P->regions == NULL || P->region_id == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        memcpy(P->regions[i], P->pol[i].region, 7);
    qsort(P->regions, n, sizeof *P->regions, cmp_str7);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(P->regions[i], P->regions[u - 1]) != 0)
            memmove(P->regions[u++], P->regions[i], 7);
    P->n_regions = u;
    for (size_t i = 0; i < n; i++) {
        char(*f)[7] = bsearch(P->pol[i].region, P->regions, u, sizeof *P->regions, cmp_str7);
        P->region_id[i] = (uint32_t)(f - P->regions);
    }
    for (int d = 0; d < SIM_DEP_N; d++) {
        P->deps[d] = malloc((n + 1) * sizeof *P->deps[d]);
        P->dep_id[d] = malloc(n * sizeof *P->dep_id[d]);
        if (P->deps[d] == NULL || P->dep_id[d] == NULL)
            return -1;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (P->pol[i].dep[d][0] != '\0')
                memcpy(P->deps[d][k++], P->pol[i].dep[d], SIM_NAME_CAP);
        qsort(P->deps[d], k, sizeof *P->deps[d], cmp_name);
        size_t w = 0;
        for (size_t i = 0; i < k; i++)
            if (w == 0 || strcmp(P->deps[d][i], P->deps[d][w - 1]) != 0)
                memmove(P->deps[d][w++], P->deps[d][i], SIM_NAME_CAP);
        P->n_deps[d] = w;
        for (size_t i = 0; i < n; i++) {
            P->dep_id[d][i] = -1;
            if (P->pol[i].dep[d][0] == '\0')
                continue;
            char(*f)[SIM_NAME_CAP] =
                bsearch(P->pol[i].dep[d], P->deps[d], w, sizeof *P->deps[d], cmp_name);
            P->dep_id[d][i] = (int32_t)(f - P->deps[d]);
        }
    }
    return 0;
}

/* Does policy p match event e's selector (every key set must match)? */
static int
selector_match(const sim_event_t *e, const sim_policy_t *p)
{
    for (int d = 0; d < SIM_DEP_N; d++)
        if (e->sel_dep[d][0] != '\0' && strcmp(e->sel_dep[d], p->dep[d]) != 0)
            return 0;
    if (e->sel_section != 0 && e->sel_section != p->section)
        return 0;
    if (e->sel_region[0] != '\0') {
        size_t k = strcmp(e->sel_region + 2, "0000") == 0 ? 2
                   : strcmp(e->sel_region + 4, "00") == 0 ? 4
                                                          : 6;
        if (strncmp(e->sel_region, p->region, k) != 0)
            return 0;
    }
    return 1;
}

/* Events grouped by identical selectors, so each distinct selector scans the portfolio once. */
static int
selector_cmp(const sim_event_t *a, const sim_event_t *b)
{
    for (int d = 0; d < SIM_DEP_N; d++) {
        int c = strcmp(a->sel_dep[d], b->sel_dep[d]);
        if (c != 0)
            return c;
    }
    if (a->sel_section != b->sel_section)
        return a->sel_section < b->sel_section ? -1 : 1;
    return strcmp(a->sel_region, b->sel_region);
}

/* An event and its index, so qsort can order events by selector without a global. */
typedef struct {
    const sim_event_t *e;
    uint32_t i;
} event_ref_t;

static int
cmp_event_ref(const void *a, const void *b)
{
    const event_ref_t *x = a, *y = b;
    int c = selector_cmp(x->e, y->e);
    return c != 0 ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/*
 * group_events sorts the event indices by selector into order[] (n_ev
 * entries) and counts, per group, the matching policies: count[g] for the
 * group starting at order[start[g]]. Returns the number of groups, or -1.
 * A small temporary table; the estimate calls it before any large allocation.
 */
static long
group_events(const sim_catalogue_t *cat, const sim_portfolio_t *pf, uint32_t *order, size_t *start,
             size_t *count)
{
    event_ref_t *refs = malloc(cat->n * sizeof *refs);
    if (refs == NULL)
        return -1;
    for (size_t i = 0; i < cat->n; i++)
        refs[i] = (event_ref_t){&cat->events[i], (uint32_t)i};
    qsort(refs, cat->n, sizeof *refs, cmp_event_ref);
    for (size_t i = 0; i < cat->n; i++)
        order[i] = refs[i].i;
    free(refs);
    long g = -1;
    for (size_t i = 0; i < cat->n; i++) {
        if (g < 0 || selector_cmp(&cat->events[order[i]], &cat->events[order[start[g]]]) != 0) {
            g++;
            start[g] = i;
            count[g] = 0;
            for (size_t p = 0; p < pf->n; p++)
                count[g] += (size_t)selector_match(&cat->events[order[i]], &pf->policies[p]);
        }
    }
    return g + 1;
}

static cy_status_t
no_mem(cy_error_t *err)
{
    return cy_error_set(err, CY_ENOMEM, "no_memory", NULL,
                        "模拟内存不足 / out of memory in the simulation");
}

/*
 * big_alloc returns zeroed memory for a large per-policy array: 64-byte
 * aligned, and for arrays of several MiB 2 MiB-aligned with transparent huge
 * pages requested, since the year loop reads them at random and TLB misses
 * would otherwise cost as much as the cache misses.
 */
static void *
big_alloc(size_t bytes)
{
    size_t align = bytes >= ((size_t)4 << 20) ? (size_t)2 << 20 : 64;
    size_t size = (bytes + align - 1) & ~(align - 1);
    void *p = NULL;
    if (posix_memalign(&p, align, size ? size : align) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (align > 64)
        madvise(p, size, MADV_HUGEPAGE); /* a hint: without it the run is only slower */
#endif
    memset(p, 0, size ? size : align);
    return p;
}

/* Orders terms by their fields (not their bytes: padding is not part of a value). */
static int
terms_cmp(const terms_t *a, const terms_t *b)
{
#define CMP(x, y)                                                                                  \
    if ((x) != (y))                                                                                \
        return (x) < (y) ? -1 : 1;
    CMP(a->aggregate_limit, b->aggregate_limit)
    CMP(a->retention, b->retention)
    CMP(a->bi_waiting_hours, b->bi_waiting_hours)
    CMP(a->covered, b->covered)
    for (int c = 0; c < COV_N; c++) {
        CMP(a->sublimit[c], b->sublimit[c])
        CMP(a->share[c], b->share[c])
    }
#undef CMP
    return 0;
}

typedef struct {
    const terms_t *t;
    uint32_t i;
} terms_ref_t;

static int
cmp_terms_ref(const void *a, const void *b)
{
    const terms_ref_t *x = a, *y = b;
    int c = terms_cmp(x->t, y->t);
    return c != 0 ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/*
 * prep_terms keeps one copy of each distinct terms_t and points each
 * policy's hot record at it: a book of standard products has a few hundred
 * distinct terms, which then stay in cache while 100,000 policies do not.
 */
static int
prep_terms(prep_t *P)
{
    terms_ref_t *refs = malloc((P->n + 1) * sizeof *refs);
    P->terms = malloc((P->n + 1) * sizeof *P->terms);
    if (refs == NULL || P->terms == NULL) {
        free(refs);
        return -1;
    }
    for (size_t i = 0; i < P->n; i++)
        refs[i] = (terms_ref_t){&P->pol[i].terms, (uint32_t)i};
    qsort(refs, P->n, sizeof *refs, cmp_terms_ref);
    size_t u = 0;
    for (size_t i = 0; i < P->n; i++) {
        if (u == 0 || terms_cmp(refs[i].t, &P->terms[u - 1]) != 0)
            P->terms[u++] = *refs[i].t;
        P->hot[refs[i].i].terms = (uint32_t)(u - 1);
    }
    P->n_terms = u;
    free(refs);
    return 0;
}

static cy_status_t
prep_build(prep_t *P, const sim_config_t *cfg, cy_error_t *err)
{
    memset(P, 0, sizeof *P);
    P->cfg = cfg;
    P->m = cfg->model;
    P->pol = cfg->portfolio->policies;
    P->n = cfg->portfolio->n;
    P->k0 = (uint32_t)cfg->seed;
    P->k1 = (uint32_t)(cfg->seed >> 32);
    size_t n = P->n;
    const rating_model_t *m = P->m;

    P->hot = big_alloc(n * sizeof *P->hot);
    P->pure = malloc(n * sizeof *P->pure);
    double *lam = malloc(n * sizeof *lam);
    if (P->hot == NULL || P->pure == NULL || lam == NULL || prep_intern(P) != 0 ||
        prep_terms(P) != 0) {
        free(lam);
        return no_mem(err);
    }
    for (size_t i = 0; i < n; i++) {
        const sim_policy_t *p = &P->pol[i];
        rating_insured_t ins = {p->section, p->revenue, p->grade, p->gross_margin};
        rating_premium_t pr;
        cy_error_t why;
        cy_status_t st = rating_premium(m, &ins, &p->terms, &pr, &why);
        if (st != CY_OK) {
            free(lam);
            return cy_error_set(err, st, why.code, p->id, "保单 %s：%s / policy %s: %s", p->id,
                                why.message, p->id, why.message);
        }
        lam[i] = pr.freq.lambda;
        P->pure[i] = pr.pure;
        pol_hot_t *h = &P->hot[i];
        h->hgp = pr.hourly_gross_profit;
        h->lrs = log((double)p->revenue / (double)m->severity_reference_revenue);
        h->covered = p->terms.covered;
        h->region = P->region_id[i];
        for (int d = 0; d < SIM_DEP_N; d++)
            h->dep[d] = P->dep_id[d][i];
        h->section = (uint32_t)(p->section - 'A');
        P->lambda_total += lam[i];
    }
    int rc = alias_build(&P->att, lam, n);
    free(lam);
    if (rc != 0)
        return no_mem(err);

    double cum = 0.0;
    for (size_t t = 0; t < m->n_types; t++) {
        cum += m->types[t].share;
        P->type_cum[t] = cum;
        P->type_ln_scale[t] = log(m->types[t].severity_scale);
        for (int c = 0; c < COV_N; c++)
            if (m->types[t].involve[c] > 0.0)
                P->type_mask[t] |= 1u << c;
    }
    P->type_cum[m->n_types - 1] = 2.0; /* rounding can leave the sum a hair under 1 */
    for (int c = 0; c < SIM_TAILS; c++) {
        /* bi (hours) and the unused entries have no tail */
        int tail = c < COV_N && c != COV_BI && m->severity[c].tail;
        P->tails[c].zq = tail ? normal_quantile(m->severity[c].tail_quantile) : SIM_NO_TAIL;
        P->tails[c].xi = tail ? m->severity[c].tail_xi : 0.0;
        P->tails[c].beta_ratio = tail ? m->severity[c].tail_beta_ratio : 0.0;
    }

    const sim_catalogue_t *cat = cfg->catalogue;
    if (cat == NULL || cat->n == 0)
        return CY_OK;
    P->n_ev = cat->n;
    P->ev = calloc(cat->n, sizeof *P->ev);
    uint32_t *order = malloc(cat->n * sizeof *order);
    size_t *start = malloc(cat->n * sizeof *start), *count = malloc(cat->n * sizeof *count);
    double *rates = malloc(cat->n * sizeof *rates);
    if (P->ev == NULL || order == NULL || start == NULL || count == NULL || rates == NULL) {
        free(order);
        free(start);
        free(count);
        free(rates);
        return no_mem(err);
    }
    long groups = group_events(cat, cfg->portfolio, order, start, count);
    if (groups < 0) {
        free(order);
        free(start);
        free(count);
        free(rates);
        return no_mem(err);
    }
    size_t total = 0;
    for (long g = 0; g < groups; g++)
        total += count[g];
    P->lists = malloc((total + 1) * sizeof *P->lists);
    if (P->lists == NULL) {
        free(order);
        free(start);
        free(count);
        free(rates);
        return no_mem(err);
    }
    size_t at = 0;
    for (long g = 0; g < groups; g++) {
        const sim_event_t *first = &cat->events[order[start[g]]];
        uint32_t *list = P->lists + at;
        size_t k = 0;
        for (size_t p = 0; p < n; p++)
            if (selector_match(first, &P->pol[p]))
                list[k++] = (uint32_t)p;
        size_t end = g + 1 < groups ? start[g + 1] : cat->n;
        for (size_t i = start[g]; i < end; i++) {
            P->ev[order[i]].exposed = list;
            P->ev[order[i]].n_exposed = k;
        }
        at += k;
    }
    for (size_t e = 0; e < cat->n; e++) {
        const sim_event_t *ev = &cat->events[e];
        prep_event_t *pe = &P->ev[e];
        pe->every = ev->hit_probability >= 1.0;
        pe->log1m_h = pe->every ? 0.0 : log1p(-ev->hit_probability);
        pe->type = ev->type == SIM_EVENT_CLOUD_OUTAGE ? SIM_TYPE_OUTAGE : ev->incident_type;
        pe->ln_scale = ev->type == SIM_EVENT_CLOUD_OUTAGE ? 0.0 : log(ev->severity_scale);
        rates[e] = ev->annual_rate;
        P->rate_total += ev->annual_rate;
    }
    rc = alias_build(&P->occ, rates, cat->n);
    free(order);
    free(start);
    free(count);
    free(rates);
    return rc == 0 ? CY_OK : no_mem(err);
}

/* ---- per-thread state --------------------------------------------------- */

/* One loss event of a year: an attritional incident or one insured hit by an occurrence. */
typedef struct {
    uint32_t policy;
    uint32_t time;  /* position in the year in 2^-32 years: orders one policy's losses */
    int32_t source; /* catalogue event, −1 attritional */
    int32_t occ;    /* occurrence number in the year, −1 attritional */
    uint32_t type;  /* by_type index */
    uint32_t first; /* first item */
    uint32_t n_items;
    uint32_t seq;    /* generation order: the last tie-break */
    uint32_t c1, c2; /* counter words 1 and 2 of its items */
    double arg;      /* cloud outage: ln of the shared outage hours */
    double ln_scale; /* catalogue event's severity scale, ln */
} ev_t;

/* A policy's year so far in one thread: how many losses, how much paid. */
typedef struct {
    uint32_t cnt;
    int64_t paid;   /* this year, insured */
    int64_t gu;     /* this year, ground-up */
    int64_t sum;    /* Σ over this thread's years of the policy's annual insured loss */
    int64_t sum_gu; /* Σ of its annual ground-up loss */
    sim_u128_t sq;  /* Σ of the square of the annual insured loss */
} pol_year_t;

/* The sort key of a loss of a policy with several losses in the year. */
typedef struct {
    uint32_t policy, time, seq;
} multi_t;

/* Sums one thread gathers over its years. */
typedef struct {
    sim_sum_t by_cov[COV_N];
    sim_sum_t by_section[RATING_N_SECTIONS];
    sim_sum_t by_type[RATING_MAX_TYPES + 1];
    sim_sum_t attritional, systemic;
    sim_sum_t *by_region;
    sim_sum_t *by_dep[SIM_DEP_N];
    sim_event_sum_t *by_event;
    int64_t *policy_insured;
    sim_u128_t *policy_sq;
    int64_t attritional_incidents, occurrences, hits;
} acc_t;

typedef struct {
    ev_t *ev;
    size_t n_ev, cap_ev;
    /* items, struct of arrays for the kernel */
    sim_items_t it;
    size_t n_it, cap_it;
    /* occurrences of the current year */
    int64_t *occ_gu, *occ_ins;
    uint32_t *occ_event, *occ_hits;
    size_t cap_occ;
    /* per policy, reset after each year through touched[] */
    pol_year_t *pol;
    uint32_t *touched;
    size_t n_touched;
    multi_t *multi;
    size_t n_multi, cap_multi;
    /* attritional header draws */
    uint32_t *hc1, *hc2, *hc3, *hw0, *hw1, *hw2, *hw3;
    acc_t acc;
    cy_error_t err;
} worker_t;

static void *
aligned_array(size_t n, size_t size)
{
    size_t bytes = n * size;
    bytes = (bytes + 63) & ~(size_t)63;
    if (bytes == 0)
        bytes = 64;
    return aligned_alloc(64, bytes);
}

/* The item arrays of a worker, in a fixed order: copied and freed together. */
#define ITEM_ARRAYS 7

static void **
item_slot(sim_items_t *it, int k)
{
    void **slots[ITEM_ARRAYS] = {(void **)&it->c1, (void **)&it->c2,    (void **)&it->c3,
                                 (void **)&it->mu, (void **)&it->sigma, (void **)&it->p,
                                 (void **)&it->x};
    return slots[k];
}

static const size_t item_size[ITEM_ARRAYS] = {4, 4, 4, 8, 8, 8, 8};

/* items_alloc gives the worker room for cap items, keeping the n_it it has. */
static int
items_alloc(worker_t *W, size_t cap)
{
    sim_items_t it = {0};
    int ok = 1;
    for (int k = 0; k < ITEM_ARRAYS; k++) {
        *item_slot(&it, k) = aligned_array(cap, item_size[k]);
        ok = ok && *item_slot(&it, k) != NULL;
    }
    for (int k = 0; k < ITEM_ARRAYS; k++) {
        void *fresh = *item_slot(&it, k), *old = *item_slot(&W->it, k);
        if (ok && W->n_it > 0)
            memcpy(fresh, old, W->n_it * item_size[k]);
        free(ok ? old : fresh);
    }
    if (!ok)
        return -1;
    W->it = it;
    W->cap_it = cap;
    return 0;
}

static void
worker_free(worker_t *W)
{
    free(W->ev);
    for (int k = 0; k < ITEM_ARRAYS; k++)
        free(*item_slot(&W->it, k));
    free(W->occ_gu);
    free(W->occ_ins);
    free(W->occ_event);
    free(W->occ_hits);
    free(W->pol);
    free(W->touched);
    free(W->multi);
    free(W->hc1);
    free(W->hc2);
    free(W->hc3);
    free(W->hw0);
    free(W->hw1);
    free(W->hw2);
    free(W->hw3);
    free(W->acc.by_region);
    for (int d = 0; d < SIM_DEP_N; d++)
        free(W->acc.by_dep[d]);
    free(W->acc.by_event);
    memset(W, 0, sizeof *W);
}

static int
worker_alloc(worker_t *W, const prep_t *P, size_t cap_ev, size_t cap_it)
{
    memset(W, 0, sizeof *W);
    size_t n = P->n;
    W->ev = malloc(cap_ev * sizeof *W->ev);
    W->cap_ev = cap_ev;
    W->cap_occ = 64;
    W->occ_gu = malloc(W->cap_occ * sizeof *W->occ_gu);
    W->occ_ins = malloc(W->cap_occ * sizeof *W->occ_ins);
    W->occ_event = malloc(W->cap_occ * sizeof *W->occ_event);
    W->occ_hits = malloc(W->cap_occ * sizeof *W->occ_hits);
    W->pol = big_alloc(n * sizeof *W->pol);
    W->touched = malloc(n * sizeof *W->touched);
    W->cap_multi = 256;
    W->multi = malloc(W->cap_multi * sizeof *W->multi);
    W->hc1 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hc2 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hc3 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hw0 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hw1 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hw2 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hw3 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->acc.by_region = calloc(P->n_regions + 1, sizeof *W->acc.by_region);
    int ok = W->ev && W->occ_gu && W->occ_ins && W->occ_event && W->occ_hits && W->pol &&
             W->touched && W->multi && W->hc1 && W->hc2 && W->hc3 && W->hw0 && W->hw1 && W->hw2 &&
             W->hw3 && W->acc.by_region;
    for (int d = 0; d < SIM_DEP_N; d++) {
        W->acc.by_dep[d] = calloc(P->n_deps[d] + 1, sizeof *W->acc.by_dep[d]);
        ok = ok && W->acc.by_dep[d];
    }
    W->acc.by_event = calloc(P->n_ev + 1, sizeof *W->acc.by_event);
    ok = ok && W->acc.by_event;
    if (!ok || items_alloc(W, cap_it) != 0) {
        worker_free(W);
        return -1;
    }
    return 0;
}

/*
 * grow makes the array whose pointer is at pp (any T *) hold need elements
 * of size bytes. The pointer is read and written through memcpy, so one
 * helper serves every element type without type punning.
 */
static int
grow(void *pp, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap * 2 > need ? *cap * 2 : need;
    void *p;
    memcpy(&p, pp, sizeof p);
    void *q = realloc(p, c * size);
    if (q == NULL)
        return -1;
    memcpy(pp, &q, sizeof q);
    *cap = c;
    return 0;
}

static int
push_event(worker_t *W, uint32_t policy, uint32_t time, int32_t source, int32_t occ, uint32_t type,
           uint32_t c1, uint32_t c2, double arg, double ln_scale)
{
    if (W->n_ev == W->cap_ev && grow(&W->ev, &W->cap_ev, W->n_ev + 1, sizeof *W->ev))
        return -1;
    ev_t *e = &W->ev[W->n_ev];
    e->policy = policy;
    e->time = time;
    e->source = source;
    e->occ = occ;
    e->type = type;
    e->seq = (uint32_t)W->n_ev;
    e->c1 = c1;
    e->c2 = c2;
    e->arg = arg;
    e->ln_scale = ln_scale;
    W->n_ev++;
    return 0;
}

/* ---- one year ----------------------------------------------------------- */

/* How many events ahead the loops prefetch a policy's data (a DRAM latency's worth). */
#define SIM_PREFETCH 24

/*
 * Expand event e into items, one per insured coverage the event's type can
 * touch, and count the event against its policy (touched[] lists the
 * policies with a loss this year).
 */
static void
expand_items(const prep_t *P, worker_t *W, ev_t *e)
{
    const pol_hot_t *h = &P->hot[e->policy];
    const rating_model_t *m = P->m;
    sim_items_t *it = &W->it;
    if (W->pol[e->policy].cnt++ == 0)
        W->touched[W->n_touched++] = e->policy;
    size_t i = W->n_it;
    e->first = (uint32_t)i;
    if (e->type == SIM_TYPE_OUTAGE) {
        if (h->covered & (1u << COV_BI)) {
            it->c1[i] = e->c1;
            it->c2[i] = e->c2;
            it->c3[i] = COV_BI;
            it->mu[i] = e->arg; /* every insured hit has the same outage */
            it->sigma[i] = 0.0;
            it->p[i] = 1.0;
            i++;
        }
    } else {
        const rating_type_t *ty = &m->types[e->type];
        double shift = P->type_ln_scale[e->type] + e->ln_scale;
        for (uint32_t todo = h->covered & P->type_mask[e->type]; todo != 0; todo &= todo - 1) {
            int c = __builtin_ctz(todo);
            it->c1[i] = e->c1;
            it->c2[i] = e->c2;
            it->c3[i] = (uint32_t)c;
            it->p[i] = ty->involve[c];
            if (c == COV_BI) {
                it->mu[i] = ty->bi_hours_mu;
                it->sigma[i] = ty->bi_hours_sigma;
            } else {
                const rating_severity_t *s = &m->severity[c];
                it->mu[i] = s->mu + s->revenue_exponent * h->lrs + shift;
                it->sigma[i] = s->sigma;
            }
            i++;
        }
    }
    e->n_items = (uint32_t)(i - e->first);
    W->n_it = i;
}

static inline void
add_sum(sim_sum_t *s, int64_t gu, int64_t ins)
{
    s->ground_up += gu;
    s->insured += ins;
}

/* Settle event e with the policy-year state st and add it to the sums. */
static cy_status_t
settle(const prep_t *P, worker_t *W, const ev_t *e, terms_state_t *st, sim_year_t *row)
{
    const pol_hot_t *h = &P->hot[e->policy];
    terms_loss_t loss;
    memset(loss.amount, 0, sizeof loss.amount);
    loss.bi_hours = 0.0;
    loss.bi_hourly_gross_profit = h->hgp;
    for (uint32_t k = 0; k < e->n_items; k++) {
        size_t i = e->first + k;
        double x = W->it.x[i];
        int c = (int)W->it.c3[i];
        if (c == COV_BI) {
            /* hours so long that the amount would leave the engine's range are cut */
            double cap = TERMS_HOURS_MAX;
            if (h->hgp > 0) {
                double lim = (double)TERMS_AMOUNT_MAX / (double)h->hgp;
                cap = lim < cap ? lim : cap;
            }
            loss.bi_hours = x < cap ? x : cap;
        } else {
            loss.amount[c] = x < (double)TERMS_AMOUNT_MAX ? (int64_t)(x + 0.5) : TERMS_AMOUNT_MAX;
        }
    }
    terms_payout_t pay;
    cy_status_t rc = terms_apply(&P->terms[h->terms], &loss, st, &pay, NULL, &W->err);
    if (rc != CY_OK)
        return rc;
    int64_t gu = pay.ground_up_total, ins = pay.paid_total;
    row->ground_up += gu;
    row->insured += ins;
    acc_t *A = &W->acc;
    for (uint32_t mask = pay.mask; mask != 0; mask &= mask - 1) {
        int c = __builtin_ctz(mask);
        add_sum(&A->by_cov[c], pay.ground_up[c], pay.paid[c]);
    }
    add_sum(&A->by_type[e->type], gu, ins); /* by section, region, dependency: at the end */
    if (e->source >= 0) {
        add_sum(&A->systemic, gu, ins);
        A->by_event[e->source].ground_up += gu;
        A->by_event[e->source].insured += ins;
        W->occ_gu[e->occ] += gu;
        W->occ_ins[e->occ] += ins;
        row->systemic_insured += ins;
    } else {
        add_sum(&A->attritional, gu, ins);
        if (gu > row->max_occ_ground_up)
            row->max_occ_ground_up = gu;
        if (ins > row->max_occ_insured)
            row->max_occ_insured = ins;
    }
    W->pol[e->policy].paid += ins;
    W->pol[e->policy].gu += gu;
    return CY_OK;
}

/* Losses of one policy in time order; generation order breaks ties. */
static int
cmp_multi(const void *a, const void *b)
{
    const multi_t *x = a, *y = b;
    if (x->policy != y->policy)
        return x->policy < y->policy ? -1 : 1;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static cy_status_t
year_fail(worker_t *W)
{
    return cy_error_set(&W->err, CY_ENOMEM, "no_memory", NULL,
                        "模拟内存不足 / out of memory in the simulation");
}

static cy_status_t
run_year(const prep_t *P, worker_t *W, int64_t year, sim_year_t *row)
{
    uint32_t y = (uint32_t)year;
    memset(row, 0, sizeof *row);
    W->n_ev = 0;
    W->n_it = 0;
    seq_t s;
    seq_init(&s, P->k0, P->k1, y, STREAM_YEAR, 0);
    uint32_t n_att = poisson_draw(P->lambda_total, &s);
    seq_init(&s, P->k0, P->k1, y, STREAM_YEAR, 1);
    uint32_t n_occ = poisson_draw(P->rate_total, &s);
    if (n_occ >= SIM_MAX_OCC_PER_YEAR)
        n_occ = SIM_MAX_OCC_PER_YEAR - 1;

    /* Attritional incidents: policy (alias), type, time, in batches through the kernel. */
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
            double u = sim_u01(W->hw2[i]);
            uint32_t t = 0;
            while (u > P->type_cum[t])
                t++;
            if (push_event(W, pol, W->hw3[i], -1, -1, t, STREAM_ATT_ITEM, j0 + i, 0.0, 0.0) != 0)
                return year_fail(W);
        }
    }
    row->attritional = n_att;

    /* Systemic occurrences: which event, when, and the insureds it hits. */
    if (n_occ > W->cap_occ) {
        size_t c = W->cap_occ;
        if (grow(&W->occ_gu, &c, n_occ, sizeof *W->occ_gu) != 0)
            return year_fail(W);
        c = W->cap_occ;
        if (grow(&W->occ_ins, &c, n_occ, sizeof *W->occ_ins) != 0)
            return year_fail(W);
        c = W->cap_occ;
        if (grow(&W->occ_event, &c, n_occ, sizeof *W->occ_event) != 0)
            return year_fail(W);
        c = W->cap_occ;
        if (grow(&W->occ_hits, &c, n_occ, sizeof *W->occ_hits) != 0)
            return year_fail(W);
        W->cap_occ = c;
    }
    const sim_catalogue_t *cat = P->cfg->catalogue;
    philox4x32_key_t key = {{P->k0, P->k1}};
    for (uint32_t k = 0; k < n_occ; k++) {
        philox4x32_ctr_t ctr = {{y, STREAM_OCC | (k << 8), 0, 0}};
        philox4x32_ctr_t w = philox4x32(ctr, key);
        uint32_t e = alias_pick(&P->occ, w.v[0], w.v[1]);
        const prep_event_t *pe = &P->ev[e];
        const sim_event_t *ce = &cat->events[e];
        double arg = ce->hours_mu + ce->hours_sigma * normal_quantile(sim_u01(w.v[3]));
        W->occ_gu[k] = W->occ_ins[k] = 0;
        W->occ_event[k] = e;
        uint32_t hits = 0;
        seq_t g;
        seq_init(&g, P->k0, P->k1, y, STREAM_HIT | (k << 8), 0);
        double i = -1.0;
        for (;;) {
            i += 1.0;
            if (!pe->every)
                i += floor(log(seq_u01(&g)) / pe->log1m_h);
            if (!(i < (double)pe->n_exposed))
                break;
            if (push_event(W, pe->exposed[(size_t)i], w.v[2], (int32_t)e, (int32_t)k,
                           (uint32_t)pe->type, STREAM_HIT_ITEM | (k << 8), hits, arg,
                           pe->ln_scale) != 0)
                return year_fail(W);
            hits++;
        }
        W->occ_hits[k] = hits;
        row->hits += hits;
    }
    row->occurrences = n_occ;

    /* Items: one per coverage a loss can touch (the workspace grows for a year of many losses). */
    size_t need = W->n_ev * (size_t)COV_N;
    if (need > W->cap_it && items_alloc(W, need) != 0)
        return year_fail(W);
    W->n_touched = 0;
    for (size_t i = 0; i < W->n_ev; i++) {
        if (i + SIM_PREFETCH < W->n_ev) {
            __builtin_prefetch(&P->hot[W->ev[i + SIM_PREFETCH].policy]);
            __builtin_prefetch(&W->pol[W->ev[i + SIM_PREFETCH].policy]);
        }
        expand_items(P, W, &W->ev[i]);
    }

    /* The draws: every item's loss, over arrays. */
    if (P->cfg->kernel == SIM_KERNEL_SCALAR)
        sim_draw_scalar(P->k0, P->k1, y, &W->it, W->n_it, P->tails);
    else
        sim_draw_batch(P->k0, P->k1, y, &W->it, W->n_it, P->tails);

    /*
     * Settlement. A policy with one loss this year settles it against a
     * fresh year; a policy with several settles them in time order, so the
     * aggregate limit erodes as it would in the policy year.
     */
    W->n_multi = 0;
    for (size_t i = 0; i < W->n_ev; i++) {
        if (i + SIM_PREFETCH < W->n_ev) {
            __builtin_prefetch(&P->hot[W->ev[i + SIM_PREFETCH].policy]);
            __builtin_prefetch(&W->pol[W->ev[i + SIM_PREFETCH].policy]);
        }
        const ev_t *e = &W->ev[i];
        if (W->pol[e->policy].cnt == 1) {
            terms_state_t st;
            terms_state_init(&P->terms[P->hot[e->policy].terms], &st);
            cy_status_t rc = settle(P, W, e, &st, row);
            if (rc != CY_OK)
                return rc;
        } else {
            if (grow(&W->multi, &W->cap_multi, W->n_multi + 1, sizeof *W->multi) != 0)
                return year_fail(W);
            W->multi[W->n_multi++] = (multi_t){e->policy, e->time, e->seq};
        }
    }
    if (W->n_multi > 0) {
        qsort(W->multi, W->n_multi, sizeof *W->multi, cmp_multi);
        uint32_t prev = UINT32_MAX;
        terms_state_t st;
        for (size_t k = 0; k < W->n_multi; k++) {
            const ev_t *e = &W->ev[W->multi[k].seq];
            if (e->policy != prev)
                terms_state_init(&P->terms[P->hot[e->policy].terms], &st);
            prev = e->policy;
            cy_status_t rc = settle(P, W, e, &st, row);
            if (rc != CY_OK)
                return rc;
        }
    }
    for (size_t t = 0; t < W->n_touched; t++) {
        if (t + SIM_PREFETCH < W->n_touched)
            __builtin_prefetch(&W->pol[W->touched[t + SIM_PREFETCH]]);
        uint32_t p = W->touched[t];
        pol_year_t *py = &W->pol[p];
        py->sum += py->paid;
        py->sum_gu += py->gu;
        py->sq += (sim_u128_t)py->paid * (sim_u128_t)py->paid;
        py->cnt = 0;
        py->paid = 0;
        py->gu = 0;
    }
    for (uint32_t k = 0; k < n_occ; k++) {
        sim_event_sum_t *es = &W->acc.by_event[W->occ_event[k]];
        es->occurrences++;
        es->hits += W->occ_hits[k];
        if (W->occ_ins[k] > es->max_occ_insured)
            es->max_occ_insured = W->occ_ins[k];
        if (W->occ_gu[k] > row->max_occ_ground_up)
            row->max_occ_ground_up = W->occ_gu[k];
        if (W->occ_ins[k] > row->max_occ_insured)
            row->max_occ_insured = W->occ_ins[k];
    }
    W->acc.attritional_incidents += n_att;
    W->acc.occurrences += n_occ;
    W->acc.hits += row->hits;
    return CY_OK;
}

/* ---- checks, estimate, run ---------------------------------------------- */

static cy_status_t
config_check(const sim_config_t *cfg, int64_t *begin, int64_t *end, cy_error_t *err)
{
    if (cfg->years <= 0)
        return cy_error_set(err, CY_EINVAL, "sim_years", "years",
                            "模拟年数应为正整数，实为 %lld / the number of years must be a "
                            "positive integer, got %lld",
                            (long long)cfg->years, (long long)cfg->years);
    if (cfg->years > (int64_t)UINT32_MAX)
        return cy_error_set(err, CY_EINVAL, "sim_years", "years",
                            "模拟年数不能超过 4294967295 / at most 4294967295 years");
    if (cfg->threads < 1 || cfg->threads > 1024)
        return cy_error_set(err, CY_EINVAL, "sim_threads", "threads",
                            "线程数应在 1 到 1024 之间 / threads must be from 1 to 1024");
    if (cfg->portfolio == NULL || cfg->portfolio->n == 0)
        return cy_error_set(err, CY_EINVAL, "sim_portfolio", "portfolio",
                            "组合中没有保单 / the portfolio holds no policy");
    if (cfg->portfolio->n > (size_t)INT32_MAX)
        return cy_error_set(err, CY_EINVAL, "sim_portfolio", "portfolio",
                            "组合保单过多 / too many policies");
    if (cfg->model == NULL)
        return cy_error_set(err, CY_EINVAL, "sim_model", "model", "缺少费率模型 / no rating model");
    *begin = cfg->year_begin;
    *end = cfg->year_end;
    if (*begin == 0 && *end == 0)
        *end = cfg->years;
    if (*begin < 0 || *end > cfg->years || *begin >= *end)
        return cy_error_set(err, CY_EINVAL, "sim_range", "years",
                            "年份区间 [%lld, %lld) 不在 [0, %lld) 之内或为空 / year range [%lld, "
                            "%lld) is empty or outside [0, %lld)",
                            (long long)*begin, (long long)*end, (long long)cfg->years,
                            (long long)*begin, (long long)*end, (long long)cfg->years);
    return CY_OK;
}

/* Workspace a thread starts with, from the expected counts of a busy year. */
static void
workspace_caps(const sim_estimate_t *e, double max_hits_occ, double items_per_event, size_t *cap_ev,
               size_t *cap_it)
{
    double a = e->attritional_per_year, h = max_hits_occ;
    double ev = a + 8.0 * sqrt(a) + 2.0 * (h + 8.0 * sqrt(h)) + 1024.0;
    *cap_ev = (size_t)ev;
    *cap_it = (size_t)(ev * items_per_event) + SIM_TILE;
}

/* Estimate, and remember the numbers the workspace needs. */
static cy_status_t
estimate(const sim_config_t *cfg, sim_estimate_t *est, size_t *cap_ev, size_t *cap_it,
         cy_error_t *err)
{
    int64_t begin, end;
    cy_status_t st = config_check(cfg, &begin, &end, err);
    if (st != CY_OK)
        return st;
    memset(est, 0, sizeof *est);
    const sim_portfolio_t *pf = cfg->portfolio;
    const rating_model_t *m = cfg->model;
    double covered = 0.0;
    for (size_t i = 0; i < pf->n; i++) {
        const sim_policy_t *p = &pf->policies[i];
        rating_insured_t ins = {p->section, p->revenue, p->grade, p->gross_margin};
        rating_frequency_t f;
        if (rating_frequency(m, &ins, &f, NULL) == CY_OK)
            est->attritional_per_year += f.lambda;
        covered += __builtin_popcount(p->terms.covered);
    }
    double items_per_event = covered / (double)pf->n + 1.0;
    double max_hits = 0.0;
    size_t n_groups_lists = 0;
    const sim_catalogue_t *cat = cfg->catalogue;
    if (cat != NULL && cat->n > 0) {
        uint32_t *order = malloc(cat->n * sizeof *order);
        size_t *start = malloc(cat->n * sizeof *start), *count = malloc(cat->n * sizeof *count);
        if (order == NULL || start == NULL || count == NULL) {
            free(order);
            free(start);
            free(count);
            return no_mem(err);
        }
        long groups = group_events(cat, pf, order, start, count);
        if (groups < 0) {
            free(order);
            free(start);
            free(count);
            return no_mem(err);
        }
        for (long g = 0; g < groups; g++) {
            n_groups_lists += count[g];
            size_t end_i = g + 1 < groups ? start[g + 1] : cat->n;
            for (size_t i = start[g]; i < end_i; i++) {
                const sim_event_t *e = &cat->events[order[i]];
                double hits = (double)count[g] * e->hit_probability;
                est->occurrences_per_year += e->annual_rate;
                est->hits_per_year += e->annual_rate * hits;
                if (hits > max_hits)
                    max_hits = hits;
            }
        }
        free(order);
        free(start);
        free(count);
    }
    workspace_caps(est, max_hits, items_per_event, cap_ev, cap_it);

    uint64_t n = pf->n, T = (uint64_t)cfg->threads, E = cat ? cat->n : 0;
    uint64_t rows = (uint64_t)(end - begin);
    uint64_t regions_deps = n * (7 + 4 * SIM_NAME_CAP);
    uint64_t b = 0;
    b += rows * sizeof(sim_year_t) * 2;                 /* the table, and a sorted copy */
    b += n * (8 + 8 + 8 + 4 + 4 * 4 + 12 + 8 + 8 + 16); /* prepared arrays, per-policy sums */
    b += regions_deps;                                  /* interned names */
    b += n_groups_lists * 4 + E * (sizeof(prep_event_t) + 12 + sizeof(sim_event_sum_t));
    uint64_t per_thread = n * (4 + 8 + sizeof(terms_state_t) + 4 + 8 + 16) +
                          (uint64_t)*cap_ev * sizeof(ev_t) +
                          (uint64_t)*cap_it * (3 * 4 + 7 * 8 + 4) + 7 * SIM_TILE * 4 +
                          E * sizeof(sim_event_sum_t) + regions_deps / 8;
    b += T * per_thread;
    est->bytes = b;
    return CY_OK;
}

cy_status_t
sim_estimate(const sim_config_t *cfg, sim_estimate_t *est, cy_error_t *err)
{
    size_t a, b;
    return estimate(cfg, est, &a, &b, err);
}

static void
result_names_free(sim_result_t *r)
{
    free(r->regions);
    for (int d = 0; d < SIM_DEP_N; d++) {
        free(r->deps[d]);
        free(r->by_dep[d]);
    }
}

void
sim_result_free(sim_result_t *r)
{
    if (r == NULL)
        return;
    free(r->ylt);
    free(r->by_region);
    result_names_free(r);
    free(r->by_event);
    free(r->policy_insured);
    free(r->policy_insured_sq);
    free(r->policy_pure);
    free(r);
}

static void
add_acc(sim_result_t *r, const acc_t *A, const prep_t *P)
{
    for (int c = 0; c < COV_N; c++)
        add_sum(&r->by_cov[c], A->by_cov[c].ground_up, A->by_cov[c].insured);
    for (int s = 0; s < RATING_N_SECTIONS; s++)
        add_sum(&r->by_section[s], A->by_section[s].ground_up, A->by_section[s].insured);
    for (int t = 0; t <= RATING_MAX_TYPES; t++)
        add_sum(&r->by_type[t], A->by_type[t].ground_up, A->by_type[t].insured);
    add_sum(&r->attritional, A->attritional.ground_up, A->attritional.insured);
    add_sum(&r->systemic, A->systemic.ground_up, A->systemic.insured);
    for (size_t i = 0; i < P->n_regions; i++)
        add_sum(&r->by_region[i], A->by_region[i].ground_up, A->by_region[i].insured);
    for (int d = 0; d < SIM_DEP_N; d++)
        for (size_t i = 0; i < P->n_deps[d]; i++)
            add_sum(&r->by_dep[d][i], A->by_dep[d][i].ground_up, A->by_dep[d][i].insured);
    for (size_t e = 0; e < P->n_ev; e++) {
        sim_event_sum_t *d = &r->by_event[e];
        const sim_event_sum_t *s = &A->by_event[e];
        d->ground_up += s->ground_up;
        d->insured += s->insured;
        d->occurrences += s->occurrences;
        d->hits += s->hits;
        if (s->max_occ_insured > d->max_occ_insured)
            d->max_occ_insured = s->max_occ_insured;
    }
    if (A->policy_insured != NULL) /* a result being merged; workers keep theirs in pol[] */
        for (size_t p = 0; p < P->n; p++) {
            r->policy_insured[p] += A->policy_insured[p];
            r->policy_insured_sq[p] += A->policy_sq[p];
        }
    r->attritional_incidents += A->attritional_incidents;
    r->occurrences += A->occurrences;
    r->hits += A->hits;
}

static sim_result_t *
result_alloc(const prep_t *P, int64_t begin, int64_t end)
{
    sim_result_t *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->years = P->cfg->years;
    r->year_begin = begin;
    r->year_end = end;
    r->seed = P->cfg->seed;
    r->n_policies = P->n;
    r->n_events = P->n_ev;
    r->n_types = P->m->n_types;
    r->ylt = calloc((size_t)(end - begin), sizeof *r->ylt);
    r->n_regions = P->n_regions;
    r->regions = malloc((P->n_regions + 1) * sizeof *r->regions);
    r->by_region = calloc(P->n_regions + 1, sizeof *r->by_region);
    int ok = r->ylt && r->regions && r->by_region;
    if (ok)
        memcpy(r->regions, P->regions, P->n_regions * sizeof *r->regions);
    for (int d = 0; d < SIM_DEP_N && ok; d++) {
        r->n_deps[d] = P->n_deps[d];
        r->deps[d] = malloc((P->n_deps[d] + 1) * sizeof *r->deps[d]);
        r->by_dep[d] = calloc(P->n_deps[d] + 1, sizeof *r->by_dep[d]);
        ok = r->deps[d] && r->by_dep[d];
        if (ok)
            memcpy(r->deps[d], P->deps[d], P->n_deps[d] * sizeof *r->deps[d]);
    }
    r->by_event = calloc(P->n_ev + 1, sizeof *r->by_event);
    r->policy_insured = calloc(P->n, sizeof *r->policy_insured);
    r->policy_insured_sq = calloc(P->n, sizeof *r->policy_insured_sq);
    r->policy_pure = malloc(P->n * sizeof *r->policy_pure);
    ok = ok && r->by_event && r->policy_insured && r->policy_insured_sq && r->policy_pure;
    if (!ok) {
        sim_result_free(r);
        return NULL;
    }
    memcpy(r->policy_pure, P->pure, P->n * sizeof *r->policy_pure);
    return r;
}

static void
mib(char *buf, size_t cap, uint64_t bytes)
{
    snprintf(buf, cap, "%.1f MiB", (double)bytes / 1048576.0);
}

cy_status_t
sim_run(const sim_config_t *cfg, sim_result_t **out, cy_error_t *err)
{
    *out = NULL;
    sim_estimate_t est;
    size_t cap_ev, cap_it;
    cy_status_t st = estimate(cfg, &est, &cap_ev, &cap_it, err);
    if (st != CY_OK)
        return st;
    if (cfg->max_mem > 0 && est.bytes > cfg->max_mem) {
        char need[32], have[32];
        mib(need, sizeof need, est.bytes);
        mib(have, sizeof have, cfg->max_mem);
        return cy_error_set(
            err, CY_ETOOLARGE, "sim_max_mem", "max_mem",
            "本次模拟约需 %s 内存，超过上限 %s（--max-mem）；请减少年数、保单或线程 "
            "/ this run needs about %s of memory, more than the limit of %s "
            "(--max-mem); use fewer years, policies or threads",
            need, have, need, have);
    }
    int64_t begin, end;
    config_check(cfg, &begin, &end, err);

    prep_t P;
    st = prep_build(&P, cfg, err);
    if (st != CY_OK) {
        prep_free(&P);
        return st;
    }
    int T = cfg->threads;
    worker_t *W = calloc((size_t)T, sizeof *W);
    sim_result_t *r = result_alloc(&P, begin, end);
    int ok = W != NULL && r != NULL;
    for (int t = 0; t < T && ok; t++)
        ok = worker_alloc(&W[t], &P, cap_ev, cap_it) == 0;
    if (!ok) {
        for (int t = 0; W != NULL && t < T; t++)
            worker_free(&W[t]);
        free(W);
        sim_result_free(r);
        prep_free(&P);
        return no_mem(err);
    }

    int failed = 0;
    int64_t done = 0, total = end - begin;
    cy_error_t first_err;
    cy_error_clear(&first_err);
#pragma omp parallel num_threads(T)
    {
        worker_t *w = &W[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 16)
        for (int64_t year = begin; year < end; year++) {
            int stop;
#pragma omp atomic read
            stop = failed;
            if (stop)
                continue;
            if (run_year(&P, w, year, &r->ylt[year - begin]) != CY_OK) {
#pragma omp critical(sim_fail)
                {
                    if (!failed)
                        first_err = w->err;
#pragma omp atomic write
                    failed = 1;
                }
                continue;
            }
            int64_t d;
#pragma omp atomic capture
            d = ++done;
            if (cfg->progress != NULL && omp_get_thread_num() == 0)
                cfg->progress(cfg->progress_ctx, d, total);
        }
    }
    if (!failed)
        for (int t = 0; t < T; t++) {
            add_acc(r, &W[t].acc, &P);
            /* what depends on the policy alone is summed per policy, then grouped here */
            for (size_t p = 0; p < P.n; p++) {
                const pol_year_t *py = &W[t].pol[p];
                const pol_hot_t *h = &P.hot[p];
                r->policy_insured[p] += py->sum;
                r->policy_insured_sq[p] += py->sq;
                add_sum(&r->by_section[h->section], py->sum_gu, py->sum);
                add_sum(&r->by_region[h->region], py->sum_gu, py->sum);
                for (int d = 0; d < SIM_DEP_N; d++)
                    if (h->dep[d] >= 0)
                        add_sum(&r->by_dep[d][h->dep[d]], py->sum_gu, py->sum);
            }
        }
    for (int t = 0; t < T; t++)
        worker_free(&W[t]);
    free(W);
    prep_free(&P);
    if (failed) {
        sim_result_free(r);
        if (err != NULL)
            *err = first_err;
        return first_err.status != CY_OK ? first_err.status : CY_EIO;
    }
    if (cfg->progress != NULL)
        cfg->progress(cfg->progress_ctx, total, total);
    *out = r;
    return CY_OK;
}

/* ---- merging results of consecutive year ranges ------------------------- */

static cy_status_t
merge_check(const sim_result_t *dst, int64_t begin, int64_t years, uint64_t seed, size_t n_pol,
            size_t n_ev, size_t n_regions, const size_t *n_deps, cy_error_t *err)
{
    int same = dst->year_end == begin && dst->years == years && dst->seed == seed &&
               dst->n_policies == n_pol && dst->n_events == n_ev && dst->n_regions == n_regions;
    for (int d = 0; d < SIM_DEP_N; d++)
        same = same && dst->n_deps[d] == n_deps[d];
    if (!same)
        return cy_error_set(err, CY_EINVAL, "sim_merge", NULL,
                            "要合并的结果不属于同一次模拟的相邻年份 / the results to merge are "
                            "not adjacent years of the same run");
    return CY_OK;
}

static cy_status_t
extend_ylt(sim_result_t *dst, const sim_year_t *rows, int64_t n, cy_error_t *err)
{
    int64_t have = dst->year_end - dst->year_begin;
    sim_year_t *y = realloc(dst->ylt, (size_t)(have + n) * sizeof *y);
    if (y == NULL)
        return no_mem(err);
    memcpy(y + have, rows, (size_t)n * sizeof *y);
    dst->ylt = y;
    dst->year_end += n;
    return CY_OK;
}

static void
merge_sums(sim_result_t *dst, const sim_result_t *src)
{
    acc_t a = {0};
    memcpy(a.by_cov, src->by_cov, sizeof a.by_cov);
    memcpy(a.by_section, src->by_section, sizeof a.by_section);
    memcpy(a.by_type, src->by_type, sizeof a.by_type);
    a.attritional = src->attritional;
    a.systemic = src->systemic;
    a.by_region = src->by_region;
    for (int d = 0; d < SIM_DEP_N; d++)
        a.by_dep[d] = src->by_dep[d];
    a.by_event = src->by_event;
    a.policy_insured = src->policy_insured;
    a.policy_sq = src->policy_insured_sq;
    a.attritional_incidents = src->attritional_incidents;
    a.occurrences = src->occurrences;
    a.hits = src->hits;
    prep_t P = {0};
    P.n = dst->n_policies;
    P.n_ev = dst->n_events;
    P.n_regions = dst->n_regions;
    for (int d = 0; d < SIM_DEP_N; d++)
        P.n_deps[d] = dst->n_deps[d];
    add_acc(dst, &a, &P);
}

cy_status_t
sim_result_merge(sim_result_t *dst, const sim_result_t *src, cy_error_t *err)
{
    cy_status_t st = merge_check(dst, src->year_begin, src->years, src->seed, src->n_policies,
                                 src->n_events, src->n_regions, src->n_deps, err);
    if (st != CY_OK)
        return st;
    st = extend_ylt(dst, src->ylt, src->year_end - src->year_begin, err);
    if (st != CY_OK)
        return st;
    merge_sums(dst, src);
    return CY_OK;
}

/*
 * The packed form: a header of counts, then the arrays in a fixed order.
 * Only for processes of one build on one kind of machine (MPI ranks), so the
 * layout is the in-memory one.
 */
typedef struct {
    uint64_t magic;
    int64_t years, year_begin, year_end;
    uint64_t seed;
    uint64_t n_policies, n_events, n_regions, n_deps[SIM_DEP_N];
} pack_head_t;

#define SIM_PACK_MAGIC 0x435953494d524553ull /* "CYSIMRES" */

typedef struct {
    void *p;
    size_t n;
} span_t;

static size_t
pack_spans(const sim_result_t *r, span_t *s)
{
    size_t k = 0;
    s[k++] = (span_t){r->ylt, (size_t)(r->year_end - r->year_begin) * sizeof *r->ylt};
    s[k++] = (span_t){(void *)r->by_cov, sizeof r->by_cov};
    s[k++] = (span_t){(void *)r->by_section, sizeof r->by_section};
    s[k++] = (span_t){(void *)r->by_type, sizeof r->by_type};
    s[k++] = (span_t){(void *)&r->attritional, sizeof r->attritional};
    s[k++] = (span_t){(void *)&r->systemic, sizeof r->systemic};
    s[k++] = (span_t){r->by_region, r->n_regions * sizeof *r->by_region};
    for (int d = 0; d < SIM_DEP_N; d++)
        s[k++] = (span_t){r->by_dep[d], r->n_deps[d] * sizeof *r->by_dep[d]};
    s[k++] = (span_t){r->by_event, r->n_events * sizeof *r->by_event};
    s[k++] = (span_t){r->policy_insured, r->n_policies * sizeof *r->policy_insured};
    s[k++] = (span_t){r->policy_insured_sq, r->n_policies * sizeof *r->policy_insured_sq};
    s[k++] = (span_t){(void *)&r->attritional_incidents, sizeof r->attritional_incidents};
    s[k++] = (span_t){(void *)&r->occurrences, sizeof r->occurrences};
    s[k++] = (span_t){(void *)&r->hits, sizeof r->hits};
    return k;
}

#define SIM_PACK_SPANS (14 + SIM_DEP_N)

cy_status_t
sim_result_pack(const sim_result_t *r, void **buf, size_t *len, cy_error_t *err)
{
    span_t s[SIM_PACK_SPANS];
    size_t k = pack_spans(r, s), total = sizeof(pack_head_t);
    for (size_t i = 0; i < k; i++)
        total += s[i].n;
    unsigned char *b = malloc(total);
    if (b == NULL)
        return no_mem(err);
    pack_head_t h = {SIM_PACK_MAGIC, r->years,    r->year_begin, r->year_end, r->seed,
                     r->n_policies,  r->n_events, r->n_regions,  {0}};
    for (int d = 0; d < SIM_DEP_N; d++)
        h.n_deps[d] = r->n_deps[d];
    memcpy(b, &h, sizeof h);
    size_t at = sizeof h;
    for (size_t i = 0; i < k; i++) {
        if (s[i].n > 0)
            memcpy(b + at, s[i].p, s[i].n);
        at += s[i].n;
    }
    *buf = b;
    *len = total;
    return CY_OK;
}

cy_status_t
sim_result_unpack_merge(sim_result_t *dst, const void *buf, size_t len, cy_error_t *err)
{
    pack_head_t h;
    if (len < sizeof h)
        goto bad;
    memcpy(&h, buf, sizeof h);
    if (h.magic != SIM_PACK_MAGIC || h.year_end <= h.year_begin)
        goto bad;
    size_t n_deps[SIM_DEP_N];
    for (int d = 0; d < SIM_DEP_N; d++)
        n_deps[d] = h.n_deps[d];
    cy_status_t st = merge_check(dst, h.year_begin, h.years, h.seed, h.n_policies, h.n_events,
                                 h.n_regions, n_deps, err);
    if (st != CY_OK)
        return st;
    /* a result shaped like dst, whose arrays point into buf */
    sim_result_t src = *dst;
    src.year_begin = h.year_begin;
    src.year_end = h.year_end;
    span_t s[SIM_PACK_SPANS];
    size_t k = pack_spans(&src, s), total = sizeof h;
    for (size_t i = 0; i < k; i++)
        total += s[i].n;
    if (total != len)
        goto bad;
    /* copy into an aligned scratch result */
    sim_result_t tmp = src;
    tmp.ylt = malloc(s[0].n + 1);
    tmp.by_region = malloc(s[6].n + 1);
    for (int d = 0; d < SIM_DEP_N; d++)
        tmp.by_dep[d] = malloc(s[7 + d].n + 1);
    tmp.by_event = malloc(s[7 + SIM_DEP_N].n + 1);
    tmp.policy_insured = malloc(s[8 + SIM_DEP_N].n + 1);
    tmp.policy_insured_sq = malloc(s[9 + SIM_DEP_N].n + 1);
    span_t t[SIM_PACK_SPANS];
    pack_spans(&tmp, t);
    int ok =
        tmp.ylt && tmp.by_region && tmp.by_event && tmp.policy_insured && tmp.policy_insured_sq;
    for (int d = 0; d < SIM_DEP_N; d++)
        ok = ok && tmp.by_dep[d];
    if (ok) {
        size_t at = sizeof h;
        for (size_t i = 0; i < k; i++) {
            if (t[i].n > 0)
                memcpy(t[i].p, (const unsigned char *)buf + at, t[i].n);
            at += t[i].n;
        }
        st = extend_ylt(dst, tmp.ylt, tmp.year_end - tmp.year_begin, err);
        if (st == CY_OK)
            merge_sums(dst, &tmp);
    } else {
        st = no_mem(err);
    }
    free(tmp.ylt);
    free(tmp.by_region);
    for (int d = 0; d < SIM_DEP_N; d++)
        free(tmp.by_dep[d]);
    free(tmp.by_event);
    free(tmp.policy_insured);
    free(tmp.policy_insured_sq);
    return st;
bad:
    return cy_error_set(err, CY_EINVAL, "sim_pack", NULL,
                        "收到的模拟结果数据不完整 / the packed simulation result is malformed");
}
