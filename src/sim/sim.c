/*
 * sim.c — the portfolio Monte Carlo driver (see sim.h): preparation of the
 * portfolio and catalogue into arrays, the per-year generation of losses,
 * their settlement under the policies' terms, and the sums.
 *
 * A year: the attritional incidents and the systemic hits (ev_t, in that
 * order); each counted against its policy (touched_t; pol_rec_t holds a
 * thread's view of a policy in one cache line) and laid out as items, one
 * per insured coverage its type can touch (sim_tmpl_t), a chunk at a time,
 * each chunk drawn by the kernel into the year's matrix of amounts (a row
 * per insured coverage, a column per loss); then the losses of policies
 * with one loss this year settled by the array kernel (kernel_settle.c),
 * those it leaves and those of policies with several by the terms engine,
 * in time order; then the sums.
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

/* Losses expanded into items and drawn at a time: their items stay in cache. */
#define SIM_CHUNK 512

/* Philox blocks of an occurrence's hit gaps drawn at a time (four gaps a block). */
#define HIT_BLOCKS 16

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
    uint32_t i = (uint32_t)(((uint64_t)w0 * a->n) >> 32);
    const alias_col_t *c = &a->col[i];
    uint32_t keep = (uint32_t)0 - (uint32_t)(w1 < c->thr); /* a mask: no branch on a coin flip */
    return (i & keep) | (c->alias & ~keep);
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

/* What a loss needs of its policy, prepared once; each worker copies it into its pol_rec_t. */
typedef struct {
    double lrs;     /* ln(revenue / severity reference revenue) */
    int64_t hgp;    /* hourly gross profit, fen */
    uint32_t terms; /* index into prep_t.terms */
} pol_hot_t;

/* What the sums at the end of a run need of a policy. */
typedef struct {
    uint32_t region;        /* interned region */
    int32_t dep[SIM_DEP_N]; /* interned dependencies, −1 none */
    uint32_t section;       /* 0..19 */
} pol_cold_t;

/*
 * What an incident of one type draws on each coverage, so that expanding a
 * loss into items takes no branch: the item of coverage c has involvement
 * p[c], σ sigma[c] and ln-median (base[c] + rexp[c] × lrs) + shift × smul[c],
 * which is the severity's mu + revenue_exponent × lrs + shift for an amount
 * and bi_hours_mu exactly for bi (rexp and smul 0).
 */
typedef struct {
    uint32_t mask; /* coverages the type can touch (involve > 0) */
    double p[COV_N], sigma[COV_N], base[COV_N], rexp[COV_N], smul[COV_N];
} type_tab_t;

/* Templates are kept while (types + outage) × classes stays below this. */
#define TMPL_MAX 1024

/* Everything the years read and nobody writes. */
typedef struct {
    const sim_config_t *cfg;
    const rating_model_t *m;
    const sim_policy_t *pol;
    size_t n;
    uint32_t k0, k1;
    pol_hot_t *hot;   /* what a loss needs of its policy */
    pol_cold_t *cold; /* what the breakdowns need */
    terms_t *terms;   /* the distinct terms of the portfolio (products repeat them) */
    size_t n_terms;
    alias_t att; /* policies weighted by λ */
    double lambda_total;
    double type_cum[RATING_MAX_TYPES];
    double type_ln_scale[RATING_MAX_TYPES]; /* ln(severity_scale) of each type */
    type_tab_t tt[RATING_MAX_TYPES + 1];    /* by by_type index: the model's types, outages */
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
    /* the settlement kernel's view of the distinct terms, and its rows */
    sim_terms_t tset;
    int64_t *tset_mem;
    uint8_t *coinsured;   /* per distinct terms: a coverage with a share below 1 (the kernel's
                             losses go to the engine) */
    uint32_t rows[COV_N]; /* the coverages any policy insures, ascending */
    size_t n_rows;
    uint32_t jrow[COV_N]; /* coverage → its row */
    /* the items of a loss by type and class of insured coverages (sim_tmpl_t; NULL: too many
     * classes) */
    sim_tmpl_t *tmpl;
    uint32_t *tclass;         /* per distinct terms: its class */
    size_t n_classes, tmpl_k; /* tmpl_k: the slots expand_items writes, 8 or 16 */
    int64_t engine_only;      /* SIM_PATH_ENGINE_ONLY */
} prep_t;

static void
prep_free(prep_t *P)
{
    free(P->hot);
    free(P->cold);
    free(P->terms);
    for (int d = 0; d < SIM_DEP_N; d++)
        free(P->deps[d]);
    alias_free(&P->att);
    alias_free(&P->occ);
    free(P->ev);
    free(P->lists);
    free(P->regions);
    free(P->pure);
    free(P->tset_mem);
    free(P->coinsured);
    free(P->tmpl);
    free(P->tclass);
    memset(P, 0, sizeof *P);
}

/* ---- string sets: interning names in one pass instead of sorting them --- */

/* The distinct strings seen, in order of first appearance, with an open-addressing index. */
typedef struct {
    const char **s;
    size_t n, cap;
    uint32_t *slot; /* 0: empty, else index + 1 into s */
    size_t mask;    /* slots − 1, a power of two minus one */
} strset_t;

static void
strset_free(strset_t *t)
{
    free(t->s);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static uint32_t
str_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

/* The index of s in t, or −1. */
static long
strset_find(const strset_t *t, const char *s)
{
    if (t->slot == NULL)
        return -1;
    for (size_t i = str_hash(s) & t->mask;; i = (i + 1) & t->mask) {
        uint32_t v = t->slot[i];
        if (v == 0)
            return -1;
        if (strcmp(t->s[v - 1], s) == 0)
            return (long)v - 1;
    }
}

/* The index of s in t, added if new (s must outlive t); −1 when out of memory. */
static long
strset_add(strset_t *t, const char *s)
{
    long f = strset_find(t, s);
    if (f >= 0)
        return f;
    if (t->n == t->cap) {
        size_t c = t->cap ? 2 * t->cap : 16;
        const char **ns = realloc(t->s, c * sizeof *ns);
        if (ns == NULL)
            return -1;
        t->s = ns;
        t->cap = c;
    }
    if (t->slot == NULL || 2 * (t->n + 1) > t->mask + 1) {
        size_t slots = t->slot ? 2 * (t->mask + 1) : 64;
        uint32_t *ns = calloc(slots, sizeof *ns);
        if (ns == NULL)
            return -1;
        for (size_t k = 0; k < t->n; k++) {
            size_t i = str_hash(t->s[k]) & (slots - 1);
            while (ns[i] != 0)
                i = (i + 1) & (slots - 1);
            ns[i] = (uint32_t)k + 1;
        }
        free(t->slot);
        t->slot = ns;
        t->mask = slots - 1;
    }
    size_t i = str_hash(s) & t->mask;
    while (t->slot[i] != 0)
        i = (i + 1) & t->mask;
    t->s[t->n] = s;
    t->slot[i] = (uint32_t)++t->n;
    return (long)t->n - 1;
}

static int
cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * intern_names gives every policy the id of its name (the string of cap
 * bytes at offset off in its record) in the sorted table of the distinct
 * names, which *table receives (malloc'ed, *n_out entries plus one spare);
 * "" gets −1 when skip_empty. Sorted, so ids are the same in every process.
 */
static int
intern_names(const sim_policy_t *pol, size_t n, size_t off, size_t cap, int skip_empty,
             char **table, size_t *n_out, int32_t *ids)
{
    strset_t set = {0};
    for (size_t i = 0; i < n; i++) {
        const char *s = (const char *)&pol[i] + off;
        ids[i] = skip_empty && s[0] == '\0' ? -1 : (int32_t)strset_add(&set, s);
        if (!(skip_empty && s[0] == '\0') && ids[i] < 0) {
            strset_free(&set);
            return -1;
        }
    }
    const char **sorted = malloc((set.n + 1) * sizeof *sorted);
    int32_t *rank = malloc((set.n + 1) * sizeof *rank);
    *table = malloc((set.n + 1) * cap);
    if (sorted == NULL || rank == NULL || *table == NULL) {
        free(sorted);
        free(rank);
        strset_free(&set);
        return -1;
    }
    if (set.n > 0)
        memcpy(sorted, set.s, set.n * sizeof *sorted);
    qsort(sorted, set.n, sizeof *sorted, cmp_strp);
    for (size_t k = 0; k < set.n; k++) {
        memcpy(*table + k * cap, sorted[k], cap);
        rank[strset_find(&set, sorted[k])] = (int32_t)k;
    }
    for (size_t i = 0; i < n; i++)
        if (ids[i] >= 0)
            ids[i] = rank[ids[i]];
    *n_out = set.n;
    free(sorted);
    free(rank);
    strset_free(&set);
    return 0;
}

/*
 * Intern the policies' region codes and dependency names: sorted unique
 * tables (so the ids are the same in every process) and an id per policy.
 */
static int
prep_intern(prep_t *P)
{
    size_t n = P->n;
    int32_t *ids = malloc((n + 1) * sizeof *ids);
    if (ids == NULL)
        return -1;
    char *table = NULL;
    if (intern_names(P->pol, n, offsetof(sim_policy_t, region), 7, 0, &table, &P->n_regions, ids) !=
        0) {
        free(ids);
        return -1;
    }
    P->regions = (char(*)[7])table;
    for (size_t i = 0; i < n; i++)
        P->cold[i].region = (uint32_t)ids[i];
    for (int d = 0; d < SIM_DEP_N; d++) {
        size_t off = offsetof(sim_policy_t, dep) + (size_t)d * SIM_NAME_CAP;
        if (intern_names(P->pol, n, off, SIM_NAME_CAP, 1, &table, &P->n_deps[d], ids) != 0) {
            free(ids);
            return -1;
        }
        P->deps[d] = (char(*)[SIM_NAME_CAP])table;
        for (size_t i = 0; i < n; i++)
            P->cold[i].dep[d] = ids[i];
    }
    free(ids);
    return 0;
}

/* ---- systemic events' exposed insureds ---------------------------------- */

/* Events grouped by identical selectors, so each distinct selector is matched once. */
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

/* One distinct selector, its keys as ids of the selectors' dependency names. */
typedef struct {
    int32_t dep[SIM_DEP_N]; /* −1: any */
    char section;           /* 0: any */
    const char *region;     /* NULL: any */
    size_t region_len;      /* 2 a province, 4 a city, 6 a county */
} selector_t;

/*
 * The catalogue's events grouped by selector: order[] the event indices
 * sorted by selector, group g the events order[start[g] .. start[g + 1])
 * matching count[g] policies. Small: n_events entries, whatever the
 * portfolio, so the estimate builds it before any large allocation.
 */
typedef struct {
    uint32_t *order;
    size_t *start, *count;
    selector_t *sel;
    size_t n;
    strset_t names[SIM_DEP_N]; /* the dependency names selectors use */
} groups_t;

static void
groups_free(groups_t *G)
{
    free(G->order);
    free(G->start);
    free(G->count);
    free(G->sel);
    for (int d = 0; d < SIM_DEP_N; d++)
        strset_free(&G->names[d]);
    memset(G, 0, sizeof *G);
}

/* Does the policy whose dependencies have ids ids[] (in G->names) match selector s? */
static int
selector_match(const selector_t *s, const int32_t *ids, const sim_policy_t *p)
{
    for (int d = 0; d < SIM_DEP_N; d++)
        if (s->dep[d] >= 0 && s->dep[d] != ids[d])
            return 0;
    if (s->section != 0 && s->section != p->section)
        return 0;
    return s->region == NULL || strncmp(s->region, p->region, s->region_len) == 0;
}

/*
 * scan_groups goes over the portfolio once: without lists, it counts each
 * group's matching policies into G->count; with lists (a cursor per group,
 * where the group's list starts), it writes each group's policy indices in
 * ascending order.
 */
static void
scan_groups(groups_t *G, const sim_portfolio_t *pf, uint32_t **lists)
{
    if (lists == NULL)
        for (size_t g = 0; g < G->n; g++)
            G->count[g] = 0;
    for (size_t p = 0; p < pf->n; p++) {
        const sim_policy_t *pol = &pf->policies[p];
        int32_t ids[SIM_DEP_N];
        for (int d = 0; d < SIM_DEP_N; d++)
            ids[d] = pol->dep[d][0] == '\0' ? -2 : (int32_t)strset_find(&G->names[d], pol->dep[d]);
        for (size_t g = 0; g < G->n; g++)
            if (selector_match(&G->sel[g], ids, pol)) {
                if (lists == NULL)
                    G->count[g]++;
                else
                    *lists[g]++ = (uint32_t)p;
            }
    }
}

static int
groups_build(groups_t *G, const sim_catalogue_t *cat, const sim_portfolio_t *pf)
{
    memset(G, 0, sizeof *G);
    size_t ne = cat->n;
    event_ref_t *refs = malloc((ne + 1) * sizeof *refs);
    G->order = malloc((ne + 1) * sizeof *G->order);
    G->start = malloc((ne + 1) * sizeof *G->start);
    G->count = malloc((ne + 1) * sizeof *G->count);
    G->sel = malloc((ne + 1) * sizeof *G->sel);
    if (refs == NULL || G->order == NULL || G->start == NULL || G->count == NULL ||
        G->sel == NULL) {
        free(refs);
        groups_free(G);
        return -1;
    }
    for (size_t i = 0; i < ne; i++)
        refs[i] = (event_ref_t){&cat->events[i], (uint32_t)i};
    qsort(refs, ne, sizeof *refs, cmp_event_ref);
    for (size_t i = 0; i < ne; i++)
        G->order[i] = refs[i].i;
    free(refs);
    for (size_t i = 0; i < ne; i++) {
        const sim_event_t *e = &cat->events[G->order[i]];
        if (G->n > 0 && selector_cmp(e, &cat->events[G->order[G->start[G->n - 1]]]) == 0)
            continue;
        selector_t *s = &G->sel[G->n];
        G->start[G->n++] = i;
        for (int d = 0; d < SIM_DEP_N; d++) {
            s->dep[d] = -1;
            if (e->sel_dep[d][0] != '\0' &&
                (s->dep[d] = (int32_t)strset_add(&G->names[d], e->sel_dep[d])) < 0) {
                groups_free(G);
                return -1;
            }
        }
        s->section = e->sel_section;
        s->region = NULL;
        if (e->sel_region[0] != '\0') {
            s->region = e->sel_region;
            s->region_len = strcmp(e->sel_region + 2, "0000") == 0 ? 2
                            : strcmp(e->sel_region + 4, "00") == 0 ? 4
                                                                   : 6;
        }
    }
    G->start[G->n] = ne;
    scan_groups(G, pf, NULL);
    return 0;
}

static cy_status_t
no_mem(cy_error_t *err)
{
    return cy_error_set(err, CY_ENOMEM, "no_memory", NULL,
                        "模拟内存不足 / out of memory in the simulation");
}

/*
 * big_alloc returns zeroed memory for a large per-policy array: 64-byte
 * aligned, and from 1 MiB on 2 MiB-aligned with transparent huge pages
 * requested, since the year loop reads them at random and TLB misses
 * would otherwise cost as much as the cache misses.
 */
static void *
big_alloc(size_t bytes)
{
    size_t align = bytes >= ((size_t)1 << 20) ? (size_t)2 << 20 : 64;
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

/* A hash of the fields terms_cmp compares (equal terms, equal hashes: −0 counts as 0). */
static uint64_t
terms_hash(const terms_t *t)
{
    uint64_t h = 1469598103934665603ull;
#define MIX(v)                                                                                     \
    do {                                                                                           \
        h ^= (uint64_t)(v);                                                                        \
        h *= 1099511628211ull;                                                                     \
        h ^= h >> 29;                                                                              \
    } while (0)
#define MIXD(x)                                                                                    \
    do {                                                                                           \
        double d_ = (x) == 0.0 ? 0.0 : (x);                                                        \
        uint64_t b_;                                                                               \
        memcpy(&b_, &d_, sizeof b_);                                                               \
        MIX(b_);                                                                                   \
    } while (0)
    MIX(t->aggregate_limit);
    MIX(t->retention);
    MIXD(t->bi_waiting_hours);
    MIX(t->covered);
    for (int c = 0; c < COV_N; c++) {
        MIX(t->sublimit[c]);
        MIXD(t->share[c]);
    }
#undef MIXD
#undef MIX
    return h;
}

/*
 * prep_terms keeps one copy of each distinct terms_t (in order of first
 * appearance) and points each policy's hot record at it: a book of standard
 * products has a few hundred distinct terms, which then stay in cache while
 * 100,000 policies do not.
 */
static int
prep_terms(prep_t *P)
{
    size_t slots = 64;
    while (slots < 2 * P->n)
        slots *= 2;
    uint32_t *slot = calloc(slots, sizeof *slot); /* 0: empty, else index + 1 into P->terms */
    P->terms = malloc((P->n + 1) * sizeof *P->terms);
    if (slot == NULL || P->terms == NULL) {
        free(slot);
        return -1;
    }
    size_t u = 0;
    for (size_t i = 0; i < P->n; i++) {
        const terms_t *t = &P->pol[i].terms;
        size_t s = (size_t)terms_hash(t) & (slots - 1);
        while (slot[s] != 0 && terms_cmp(&P->terms[slot[s] - 1], t) != 0)
            s = (s + 1) & (slots - 1);
        if (slot[s] == 0) {
            P->terms[u++] = *t;
            slot[s] = (uint32_t)u;
        }
        P->hot[i].terms = slot[s] - 1;
    }
    P->n_terms = u;
    free(slot);
    terms_t *fit = realloc(P->terms, (u + 1) * sizeof *fit);
    if (fit != NULL)
        P->terms = fit;

    /* the settlement kernel's tables, field by field; its rows, the coverages insured at all */
    uint32_t any = 0;
    for (size_t t = 0; t < u; t++)
        any |= P->terms[t].covered;
    for (int c = 0; c < COV_N; c++)
        if (any & (1u << c)) {
            P->jrow[c] = (uint32_t)P->n_rows;
            P->rows[P->n_rows++] = (uint32_t)c;
        }
    int64_t *mem = malloc((3 + SIM_COVS) * (u + 1) * sizeof *mem);
    P->coinsured = calloc(u + 1, 1);
    if (mem == NULL || P->coinsured == NULL) {
        free(mem);
        return -1;
    }
    P->tset_mem = mem;
    double *wait = (double *)(void *)(mem + 2 * (u + 1));
    int64_t *sub = mem + 3 * (u + 1);
    for (size_t t = 0; t < u; t++) {
        const terms_t *tt = &P->terms[t];
        mem[t] = tt->retention;
        mem[(u + 1) + t] = tt->aggregate_limit;
        wait[t] = tt->bi_waiting_hours;
        for (int c = 0; c < SIM_COVS; c++) {
            int in = c < COV_N && (tt->covered & (1u << c));
            sub[(size_t)c * u + t] = in ? tt->sublimit[c] : INT64_MAX;
            P->coinsured[t] |= in && tt->share[c] < 1.0;
        }
    }
    P->tset = (sim_terms_t){u, mem, mem + (u + 1), wait, sub};
    return 0;
}

/*
 * prep_rate computes each policy's frequency, pure premium and hourly gross
 * profit with the rating model, on the run's threads (each policy on its
 * own); a refusal names the first policy refused.
 */
static cy_status_t
prep_rate(prep_t *P, double *lam, cy_error_t *err)
{
    const rating_model_t *m = P->m;
    long n = (long)P->n, bad = n;
#pragma omp parallel for schedule(static) num_threads(P->cfg->threads) reduction(min : bad)
    for (long i = 0; i < n; i++) {
        const sim_policy_t *p = &P->pol[i];
        rating_insured_t ins = {p->section, p->revenue, p->grade, p->gross_margin};
        rating_premium_t pr;
        if (rating_premium(m, &ins, &p->terms, &pr, NULL) != CY_OK) {
            bad = i < bad ? i : bad;
            continue;
        }
        lam[i] = pr.freq.lambda;
        P->pure[i] = pr.pure;
        pol_hot_t *h = &P->hot[i];
        h->hgp = pr.hourly_gross_profit;
        h->lrs = log((double)p->revenue / (double)m->severity_reference_revenue);
        P->cold[i].section = (uint32_t)(p->section - 'A');
    }
    if (bad < n) {
        const sim_policy_t *p = &P->pol[bad];
        rating_insured_t ins = {p->section, p->revenue, p->grade, p->gross_margin};
        rating_premium_t pr;
        cy_error_t why;
        cy_status_t st = rating_premium(m, &ins, &p->terms, &pr, &why);
        return cy_error_set(err, st, why.code, p->id, "保单 %s：%s / policy %s: %s", p->id,
                            why.message, p->id, why.message);
    }
    /* summed in policy order: the year's Poisson mean must not depend on the threads */
    for (long i = 0; i < n; i++)
        P->lambda_total += lam[i];
    return CY_OK;
}

/*
 * prep_templates classes the distinct terms by their insured coverages and,
 * when there are few enough classes, lays out each type's items on each
 * class once (sim_tmpl_t), which expand_items then copies a whole block at a
 * time.
 */
static int
prep_templates(prep_t *P)
{
    if (P->cfg->paths & SIM_PATH_NO_TEMPLATES)
        return 0;
    P->tclass = calloc(P->n_terms + 1, sizeof *P->tclass);
    uint32_t *masks = malloc((P->n_terms + 1) * sizeof *masks);
    if (P->tclass == NULL || masks == NULL) {
        free(masks);
        return -1;
    }
    size_t nc = 0;
    for (size_t t = 0; t < P->n_terms; t++) {
        uint32_t m = P->terms[t].covered;
        size_t k = 0;
        while (k < nc && masks[k] != m)
            k++;
        if (k == nc) {
            if (nc * (RATING_MAX_TYPES + 1) >= TMPL_MAX) { /* too many: the item loop instead */
                free(masks);
                return 0;
            }
            masks[nc++] = m;
        }
        P->tclass[t] = (uint32_t)k;
    }
    P->tmpl = calloc(nc * (RATING_MAX_TYPES + 1), sizeof *P->tmpl);
    if (P->tmpl == NULL) {
        free(masks);
        return -1;
    }
    P->n_classes = nc;
    size_t kmax = 0;
    for (size_t ty = 0; ty <= RATING_MAX_TYPES; ty++) {
        if (ty < RATING_MAX_TYPES && ty >= P->m->n_types)
            continue;
        const type_tab_t *tt = &P->tt[ty];
        for (size_t k = 0; k < nc; k++) {
            sim_tmpl_t *tp = &P->tmpl[ty * nc + k];
            for (uint32_t todo = masks[k] & tt->mask; todo != 0; todo &= todo - 1) {
                int c = __builtin_ctz(todo);
                uint32_t q = tp->k++;
                int out = ty == SIM_TYPE_OUTAGE;
                tp->c3[q] = (uint32_t)c;
                tp->row[q] = P->jrow[c];
                tp->p[q] = out ? 1.0 : tt->p[c];
                tp->sigma[q] = out ? 0.0 : tt->sigma[c];
                tp->base[q] = out ? 0.0 : tt->base[c];
                tp->rexp[q] = out ? 0.0 : tt->rexp[c];
                tp->smul[q] = out ? 1.0 : tt->smul[c];
            }
            kmax = tp->k > kmax ? tp->k : kmax;
        }
    }
    P->tmpl_k = kmax <= 8 ? 8 : 16;
    free(masks);
    return 0;
}

static cy_status_t
prep_build(prep_t *P, const sim_config_t *cfg, groups_t *G, cy_error_t *err)
{
    memset(P, 0, sizeof *P);
    P->cfg = cfg;
    P->m = cfg->model;
    P->pol = cfg->portfolio->policies;
    P->n = cfg->portfolio->n;
    P->k0 = (uint32_t)cfg->seed;
    P->k1 = (uint32_t)(cfg->seed >> 32);
    P->engine_only = (cfg->paths & SIM_PATH_ENGINE_ONLY) != 0;
    size_t n = P->n;
    const rating_model_t *m = P->m;

    P->hot = big_alloc(n * sizeof *P->hot);
    P->cold = malloc(n * sizeof *P->cold);
    P->pure = malloc(n * sizeof *P->pure);
    double *lam = malloc(n * sizeof *lam);
    if (P->hot == NULL || P->cold == NULL || P->pure == NULL || lam == NULL ||
        prep_intern(P) != 0 || prep_terms(P) != 0) {
        free(lam);
        return no_mem(err);
    }
    cy_status_t st = prep_rate(P, lam, err);
    if (st != CY_OK) {
        free(lam);
        return st;
    }
    int rc = alias_build(&P->att, lam, n);
    free(lam);
    if (rc != 0)
        return no_mem(err);

    double cum = 0.0;
    for (size_t t = 0; t < m->n_types; t++) {
        const rating_type_t *ty = &m->types[t];
        cum += ty->share;
        P->type_cum[t] = cum;
        P->type_ln_scale[t] = log(ty->severity_scale);
        type_tab_t *tt = &P->tt[t];
        for (int c = 0; c < COV_N; c++) {
            if (ty->involve[c] > 0.0)
                tt->mask |= 1u << c;
            tt->p[c] = ty->involve[c];
            tt->sigma[c] = c == COV_BI ? ty->bi_hours_sigma : m->severity[c].sigma;
            tt->base[c] = c == COV_BI ? ty->bi_hours_mu : m->severity[c].mu;
            tt->rexp[c] = c == COV_BI ? 0.0 : m->severity[c].revenue_exponent;
            tt->smul[c] = c == COV_BI ? 0.0 : 1.0;
        }
    }
    P->tt[SIM_TYPE_OUTAGE].mask = 1u << COV_BI; /* bi alone, its hours shared (expand_items) */
    if (prep_templates(P) != 0)
        return no_mem(err);
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
    double *rates = malloc(cat->n * sizeof *rates);
    uint32_t **cursor = malloc((G->n + 1) * sizeof *cursor);
    size_t total = 0;
    for (size_t g = 0; g < G->n; g++)
        total += G->count[g];
    P->lists = malloc((total + 1) * sizeof *P->lists);
    if (P->ev == NULL || rates == NULL || cursor == NULL || P->lists == NULL) {
        free(rates);
        free(cursor);
        return no_mem(err);
    }
    size_t at = 0;
    for (size_t g = 0; g < G->n; g++) {
        cursor[g] = P->lists + at;
        for (size_t i = G->start[g]; i < G->start[g + 1]; i++) {
            P->ev[G->order[i]].exposed = P->lists + at;
            P->ev[G->order[i]].n_exposed = G->count[g];
        }
        at += G->count[g];
    }
    scan_groups(G, cfg->portfolio, cursor);
    free(cursor);
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
    free(rates);
    return rc == 0 ? CY_OK : no_mem(err);
}

/* ---- per-thread state --------------------------------------------------- */

/*
 * One loss event of a year: an attritional incident or one insured hit by an
 * occurrence. Its index in the year's array is its generation order, the
 * last tie-break between losses of one policy.
 */
typedef struct {
    uint32_t policy;
    uint32_t time;  /* position in the year in 2^-32 years: orders one policy's losses */
    int32_t source; /* catalogue event, −1 attritional */
    int32_t occ;    /* occurrence number in the year, −1 attritional */
    uint32_t type;  /* by_type index */
    uint32_t n_items;
    uint32_t c1, c2; /* counter words 1 and 2 of its items */
    uint32_t dense;  /* its policy's entry in the year's touched list */
} ev_t;

#define EV_NONE UINT32_MAX

/* A policy with a loss this year: how many, which (a list through next[]), how much. */
typedef struct {
    uint32_t policy;
    uint32_t cnt;
    uint32_t head, tail; /* its first and last loss in generation order */
    int64_t paid;        /* this year, insured */
    int64_t gu;          /* this year, ground-up */
} touched_t;

/*
 * A policy as one thread sees it, in one cache line: what a loss needs of it
 * (from its pol_hot_t), its entry in the year's touched list, and its sums
 * over the years the thread ran. A loss then costs one random line, fetched
 * while the year's losses are generated and still in cache when the year's
 * sums are added.
 */
typedef struct {
    _Alignas(64) double lrs; /* ln(revenue / severity reference revenue) */
    int64_t hgp;             /* hourly gross profit, fen */
    double bi_cap;  /* outage hours past which the bi amount would leave the engine's range */
    uint32_t slot;  /* its entry in tp + 1 this year, 0 none; reset after each year */
    uint32_t terms; /* index into prep_t.terms */
    int64_t sum;    /* Σ of the policy's annual insured loss */
    int64_t sum_gu; /* Σ of its annual ground-up loss */
    sim_u128_t sq;  /* Σ of the square of the annual insured loss */
} pol_rec_t;

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

/* The items of a year, struct of arrays (sim_items_t's, writable). */
typedef struct {
    uint32_t *c1, *c2, *c3;
    double *mu, *sigma, *p;
    uint32_t *dst; /* where the item's amount goes in the year's matrix */
} items_t;

typedef struct {
    _Alignas(64) /* workers sit side by side: keep each one's sums on its own lines */
        /* the year's loss events; next[], touched, multi and order have the same capacity */
        ev_t *ev;
    uint32_t *next;  /* per event: the next loss of the same policy, EV_NONE at the end */
    touched_t *tp;   /* the policies with a loss this year, in order of their first */
    uint32_t *multi; /* entries of tp with more than one loss */
    uint32_t *order; /* scratch: one policy's losses in time order */
    size_t n_ev, cap_ev, n_touched, n_multi;
    /* items, struct of arrays for the kernel; their amounts go to the matrix */
    items_t it;
    size_t n_it, cap_it;
    /* occurrences of the current year */
    int64_t *occ_gu, *occ_ins;
    int64_t *occ_sgu, *occ_spaid; /* the part of occ_gu, occ_ins the settlement kernel summed */
    uint32_t *occ_event, *occ_hits;
    double *occ_arg; /* ln of the shared outage hours */
    size_t cap_occ;
    pol_rec_t *rec; /* per policy */
    /*
     * The year's matrix of draws, x[row * cap_ev + event] (a row per insured
     * coverage, sim_settle_t), and per event what the settlement kernel reads.
     */
    size_t n_rows;
    double *mx;
    uint32_t *sb_terms;
    int64_t *sb_hgp;
    double *sb_cap;
    sim_settle_t sb;
    /* a chunk's losses for sim_expand_batch (SIM_CHUNK each) */
    uint32_t *lc1, *lc2;
    double *llrs, *lshift;
    const sim_tmpl_t **ltmpl;
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

/* The item arrays of a worker, in a fixed order: allocated and freed together. */
#define ITEM_ARRAYS 7

static void **
item_slot(items_t *it, int k)
{
    void **slots[ITEM_ARRAYS] = {(void **)&it->c1, (void **)&it->c2,    (void **)&it->c3,
                                 (void **)&it->mu, (void **)&it->sigma, (void **)&it->p,
                                 (void **)&it->dst};
    return slots[k];
}

static const size_t item_size[ITEM_ARRAYS] = {4, 4, 4, 8, 8, 8, 4};

/* items_alloc gives the worker room for cap items (a chunk's). */
static int
items_alloc(worker_t *W, size_t cap)
{
    for (int k = 0; k < ITEM_ARRAYS; k++)
        if ((*item_slot(&W->it, k) = aligned_array(cap, item_size[k])) == NULL)
            return -1;
    W->cap_it = cap;
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

/* settle_room gives the settlement kernel's arrays room for c losses (contents not kept). */
static int
settle_room(worker_t *W, size_t c)
{
    size_t nr = W->n_rows ? W->n_rows : 1;
    void **arrays[] = {(void **)&W->mx,       (void **)&W->sb_terms,    (void **)&W->sb_hgp,
                       (void **)&W->sb_cap,   (void **)&W->sb.gu_total, (void **)&W->sb.paid_total,
                       (void **)&W->sb.exact, (void **)&W->sb.scratch};
    const size_t size[] = {8 * nr, 4, 8, 8, 8, 8, 8, 8 * 5};
    for (size_t k = 0; k < sizeof size / sizeof size[0]; k++) {
        free(*arrays[k]);
        *arrays[k] = aligned_array(c, size[k]);
        if (*arrays[k] == NULL)
            return -1;
    }
    W->sb.x = W->mx;
    W->sb.terms = W->sb_terms;
    W->sb.hgp = W->sb_hgp;
    W->sb.bi_cap = W->sb_cap;
    return 0;
}

/* events_room gives the per-event arrays room for need events. */
static int
events_room(worker_t *W, size_t need)
{
    if (need <= W->cap_ev)
        return 0;
    size_t c = W->cap_ev * 2 > need ? W->cap_ev * 2 : need, k;
    if (c > UINT32_MAX / SIM_COVS) /* the matrix's indices are 32 bits */
        return -1;
    k = W->cap_ev;
    if (grow(&W->ev, &k, c, sizeof *W->ev) != 0)
        return -1;
    k = W->cap_ev;
    if (grow(&W->next, &k, c, sizeof *W->next) != 0)
        return -1;
    k = W->cap_ev;
    if (grow(&W->tp, &k, c, sizeof *W->tp) != 0)
        return -1;
    k = W->cap_ev;
    if (grow(&W->multi, &k, c, sizeof *W->multi) != 0)
        return -1;
    k = W->cap_ev;
    if (grow(&W->order, &k, c, sizeof *W->order) != 0)
        return -1;
    if (settle_room(W, c) != 0)
        return -1;
    W->cap_ev = c;
    return 0;
}

static void
worker_free(worker_t *W)
{
    free(W->ev);
    free(W->next);
    free(W->tp);
    free(W->multi);
    free(W->order);
    free(W->mx);
    free(W->sb_terms);
    free(W->sb_hgp);
    free(W->sb_cap);
    free(W->sb.gu_total);
    free(W->sb.paid_total);
    free(W->sb.exact);
    free(W->sb.scratch);
    free(W->sb.row_gu);
    free(W->sb.row_paid);
    for (int k = 0; k < ITEM_ARRAYS; k++)
        free(*item_slot(&W->it, k));
    free(W->occ_gu);
    free(W->occ_ins);
    free(W->occ_event);
    free(W->occ_hits);
    free(W->occ_arg);
    free(W->occ_sgu);
    free(W->occ_spaid);
    free(W->rec);
    free(W->lc1);
    free(W->lc2);
    free(W->llrs);
    free(W->lshift);
    free(W->ltmpl);
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
    W->n_rows = P->n_rows;
    W->sb.row_gu = calloc(P->n_rows + 1, sizeof *W->sb.row_gu);
    W->sb.row_paid = calloc(P->n_rows + 1, sizeof *W->sb.row_paid);
    W->cap_occ = 64;
    W->occ_gu = malloc(W->cap_occ * sizeof *W->occ_gu);
    W->occ_ins = malloc(W->cap_occ * sizeof *W->occ_ins);
    W->occ_event = malloc(W->cap_occ * sizeof *W->occ_event);
    W->occ_hits = malloc(W->cap_occ * sizeof *W->occ_hits);
    W->occ_arg = malloc(W->cap_occ * sizeof *W->occ_arg);
    W->occ_sgu = malloc(W->cap_occ * sizeof *W->occ_sgu);
    W->occ_spaid = malloc(W->cap_occ * sizeof *W->occ_spaid);
    W->rec = big_alloc(n * sizeof *W->rec);
    for (size_t i = 0; W->rec != NULL && i < n; i++) {
        const pol_hot_t *h = &P->hot[i];
        W->rec[i].lrs = h->lrs;
        W->rec[i].hgp = h->hgp;
        W->rec[i].terms = h->terms;
        double cap = TERMS_HOURS_MAX;
        if (h->hgp > 0) {
            double lim = (double)TERMS_AMOUNT_MAX / (double)h->hgp;
            cap = lim < cap ? lim : cap;
        }
        W->rec[i].bi_cap = cap;
    }
    W->lc1 = aligned_array(SIM_CHUNK, sizeof *W->lc1);
    W->lc2 = aligned_array(SIM_CHUNK, sizeof *W->lc2);
    W->llrs = aligned_array(SIM_CHUNK, sizeof *W->llrs);
    W->lshift = aligned_array(SIM_CHUNK, sizeof *W->lshift);
    W->ltmpl = aligned_array(SIM_CHUNK, sizeof *W->ltmpl);
    W->hc1 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hc2 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hc3 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hw0 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hw1 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hw2 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->hw3 = aligned_array(SIM_TILE, sizeof(uint32_t));
    W->acc.by_region = calloc(P->n_regions + 1, sizeof *W->acc.by_region);
    int ok = W->lc1 && W->lc2 && W->llrs && W->lshift && W->ltmpl && W->sb.row_gu &&
             W->sb.row_paid && W->occ_gu && W->occ_ins && W->occ_event && W->occ_hits &&
             W->occ_sgu && W->occ_spaid && W->occ_arg && W->rec && W->hc1 && W->hc2 && W->hc3 &&
             W->hw0 && W->hw1 && W->hw2 && W->hw3 && W->acc.by_region;
    for (int d = 0; d < SIM_DEP_N; d++) {
        W->acc.by_dep[d] = calloc(P->n_deps[d] + 1, sizeof *W->acc.by_dep[d]);
        ok = ok && W->acc.by_dep[d];
    }
    W->acc.by_event = calloc(P->n_ev + 1, sizeof *W->acc.by_event);
    ok = ok && W->acc.by_event;
    if (!ok || events_room(W, cap_ev) != 0 || items_alloc(W, cap_it) != 0) {
        worker_free(W);
        return -1;
    }
    return 0;
}

static inline int
push_event(worker_t *W, uint32_t policy, uint32_t time, int32_t source, int32_t occ, uint32_t type,
           uint32_t c1, uint32_t c2)
{
    if (W->n_ev == W->cap_ev && events_room(W, W->n_ev + 1) != 0)
        return -1;
    ev_t *e = &W->ev[W->n_ev++];
    e->policy = policy;
    e->time = time;
    e->source = source;
    e->occ = occ;
    e->type = type;
    e->c1 = c1;
    e->c2 = c2;
    return 0;
}

/* ---- one year ----------------------------------------------------------- */

/* How many events ahead the loops prefetch a policy's data (a DRAM latency's worth). */
#define SIM_PREFETCH     24
#define SIM_PREFETCH_FAR 64 /* for loops that do little else */

/*
 * expand_items counts the losses [from, to) of the year against their
 * policies (the touched list, and next[] linking the losses of a policy
 * with several), notes what the settlement kernel reads of them, and
 * expands them into items from the first on, one per insured coverage the
 * loss's type can touch, each with its place in the year's matrix of draws.
 */
static void
expand_items(const prep_t *P, worker_t *W, size_t from, size_t to)
{
    items_t *it = &W->it;
    size_t ni = 0, n_ev = W->n_ev, K = P->tmpl_k;
    uint32_t st = (uint32_t)W->cap_ev;
    for (size_t i = from; i < to; i++) {
        if (i + SIM_PREFETCH < n_ev) {
            uint32_t q = W->ev[i + SIM_PREFETCH].policy;
            __builtin_prefetch(&W->rec[q], 1);
        }
        ev_t *e = &W->ev[i];
        uint32_t p = e->policy;
        pol_rec_t *h = &W->rec[p];
        uint32_t d = h->slot;
        if (d == 0) {
            d = (uint32_t)++W->n_touched;
            h->slot = d;
            W->tp[d - 1] = (touched_t){p, 1, (uint32_t)i, (uint32_t)i, 0, 0};
        } else {
            touched_t *t = &W->tp[d - 1];
            W->next[t->tail] = (uint32_t)i;
            t->tail = (uint32_t)i;
            if (++t->cnt == 2)
                W->multi[W->n_multi++] = d - 1;
        }
        /* what the settlement kernel reads of the loss; the losses of a policy with several
         * are marked for the terms engine once all are known (run_year) */
        W->sb_cap[i] = h->bi_cap;
        W->sb_terms[i] = h->terms;
        W->sb_hgp[i] = h->hgp;
        W->sb.exact[i] = P->coinsured[h->terms] | P->engine_only;
        W->next[i] = EV_NONE;
        e->dense = d - 1;
        int outage = e->type == SIM_TYPE_OUTAGE;
        /* an outage's items have the outage's hours, shared by every insured hit */
        double shift =
            outage ? W->occ_arg[e->occ]
                   : P->type_ln_scale[e->type] + (e->source >= 0 ? P->ev[e->source].ln_scale : 0.0);
        if (P->tmpl != NULL) { /* the items later, for the whole chunk at once */
            const sim_tmpl_t *tp = &P->tmpl[e->type * P->n_classes + P->tclass[h->terms]];
            size_t l = i - from;
            W->lc1[l] = e->c1;
            W->lc2[l] = e->c2;
            W->llrs[l] = h->lrs;
            W->lshift[l] = shift;
            W->ltmpl[l] = tp;
            e->n_items = tp->k;
        } else {
            size_t first = ni;
            /*
             * Every insured coverage in the notice's order: a slot is written whatever the
             * type and kept (ni advances) when the type can touch the coverage, so the loop
             * runs as many times for every loss of the policy and takes no branch.
             */
            const type_tab_t *tt = &P->tt[e->type];
            for (uint32_t todo = P->terms[h->terms].covered; todo != 0; todo &= todo - 1) {
                int c = __builtin_ctz(todo);
                it->c1[ni] = e->c1;
                it->c2[ni] = e->c2;
                it->c3[ni] = (uint32_t)c;
                it->p[ni] = outage ? 1.0 : tt->p[c];
                it->sigma[ni] = outage ? 0.0 : tt->sigma[c];
                it->mu[ni] =
                    outage ? shift : tt->base[c] + tt->rexp[c] * h->lrs + shift * tt->smul[c];
                it->dst[ni] = P->jrow[c] * st + (uint32_t)i;
                ni += (tt->mask >> c) & 1;
            }
            e->n_items = (uint32_t)(ni - first);
        }
    }
    if (P->tmpl != NULL) {
        sim_losses_t L = {to - from, (uint32_t)from, st,        W->lc1,
                          W->lc2,    W->llrs,        W->lshift, W->ltmpl};
        ni = sim_expand_batch(&L, K, it->c1, it->c2, it->c3, it->mu, it->sigma, it->p, it->dst);
    }
    W->n_it = ni;
}

static inline void
add_sum(sim_sum_t *s, int64_t gu, int64_t ins)
{
    s->ground_up += gu;
    s->insured += ins;
}

static inline void add_loss(worker_t *W, const ev_t *e, int64_t gu, int64_t ins, sim_year_t *row);
_Static_assert(SIM_AMOUNT_MAX == TERMS_AMOUNT_MAX, "the kernel's amount cap is the engine's");

/*
 * Settle event e with the policy-year state st (NULL: a fresh year for this
 * loss alone) and add it to the sums. A loss none of whose coverages drew an
 * amount changes nothing and is skipped.
 */
static inline cy_status_t
settle(const prep_t *P, worker_t *W, size_t i, terms_state_t *st, sim_year_t *row)
{
    const ev_t *e = &W->ev[i];
    const terms_t *t = &P->terms[W->sb_terms[i]];
    double cap = W->sb_cap[i];
    terms_loss_t loss;
    double hours = 0.0, any = 0.0;
    const double *xs = W->mx + i;
    size_t stride = W->cap_ev;
    /*
     * Every insured coverage in the notice's order, its draw from the year's
     * matrix (0 where the loss has none): bi carries hours (cut where the
     * amount would leave the engine's range), the others fen.
     */
    for (uint32_t todo = t->covered; todo != 0; todo &= todo - 1) {
        int c = __builtin_ctz(todo);
        double x = xs[P->jrow[c] * stride];
        double hc = x < cap ? x : cap;
        hours += c == COV_BI ? hc : 0.0;
        loss.amount[c] = x < (double)TERMS_AMOUNT_MAX ? (int64_t)(x + 0.5) : TERMS_AMOUNT_MAX;
        any += x;
    }
    if (any == 0.0) /* no coverage drew a loss */
        return CY_OK;
    /* every insured coverage, so that the engine's pass too has the same length every time;
     * bi's amount (extra expense) is 0 */
    uint32_t present = t->covered & ~(1u << COV_BI);
    loss.bi_hours = hours;
    loss.bi_hourly_gross_profit = W->sb_hgp[i];
    terms_payout_t pay;
    cy_status_t rc = terms_apply_fast(t, &loss, present, st, &pay, &W->err);
    if (rc != CY_OK)
        return rc;
    for (uint32_t todo = t->covered; todo != 0; todo &= todo - 1) { /* all written, 0 or not */
        int c = __builtin_ctz(todo);
        add_sum(&W->acc.by_cov[c], pay.ground_up[c], pay.paid[c]);
    }
    add_loss(W, e, pay.ground_up_total, pay.paid_total, row);
    return CY_OK;
}

/* The sums of a settled loss but those by coverage. */
static inline void
add_loss(worker_t *W, const ev_t *e, int64_t gu, int64_t ins, sim_year_t *row)
{
    if (gu == 0 && ins == 0)
        return;
    row->ground_up += gu;
    row->insured += ins;
    acc_t *A = &W->acc;
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
    W->tp[e->dense].paid += ins;
    W->tp[e->dense].gu += gu;
}

/* Losses of one policy in time order; generation order breaks ties. */
static inline int
loss_before(const ev_t *ev, uint32_t a, uint32_t b)
{
    return ev[a].time != ev[b].time ? ev[a].time < ev[b].time : a < b;
}

/* order_losses sorts the k event indices in o by (time, generation order). */
static void
order_losses(const ev_t *ev, uint32_t *o, size_t k)
{
    for (size_t i = 1; i < k; i++) {
        uint32_t v = o[i];
        size_t j = i;
        for (; j > 0 && loss_before(ev, v, o[j - 1]); j--)
            o[j] = o[j - 1];
        o[j] = v;
    }
}

/*
 * settle_singles settles the year's losses of policies with no other loss
 * this year, each against a fresh policy year, through the array kernel
 * (sim_settle_batch) — all losses go through it, those it must not settle
 * marked — and those it leaves to the terms engine through settle.
 */
static cy_status_t
settle_singles(const prep_t *P, worker_t *W, sim_year_t *row)
{
    sim_settle_t *S = &W->sb;
    S->n = W->n_ev;
    S->stride = W->cap_ev;
    S->n_att = row->attritional; /* the attritional losses come first, then each occurrence's */
    S->n_spans = row->occurrences;
    S->span_len = W->occ_hits;
    S->span_gu = W->occ_sgu;
    S->span_paid = W->occ_spaid;
    sim_settle_batch(&P->tset, P->rows, P->n_rows, COV_BI, S);
    acc_t *A = &W->acc;
    for (size_t j = 0; j < P->n_rows; j++)
        add_sum(&A->by_cov[P->rows[j]], S->row_gu[j], S->row_paid[j]);
    /* the sums the kernel took over its losses; the rest loss by loss */
    row->ground_up += S->att_gu + S->sys_gu;
    row->insured += S->att_paid + S->sys_paid;
    row->systemic_insured += S->sys_paid;
    add_sum(&A->attritional, S->att_gu, S->att_paid);
    add_sum(&A->systemic, S->sys_gu, S->sys_paid);
    if (S->att_max_gu > row->max_occ_ground_up)
        row->max_occ_ground_up = S->att_max_gu;
    if (S->att_max_paid > row->max_occ_insured)
        row->max_occ_insured = S->att_max_paid;
    /* by occurrence: its event and type are those of all its hits */
    for (uint32_t k = 0; k < row->occurrences; k++) {
        const prep_event_t *pe = &P->ev[W->occ_event[k]];
        add_sum(&A->by_type[pe->type], W->occ_sgu[k], W->occ_spaid[k]);
        A->by_event[W->occ_event[k]].ground_up += W->occ_sgu[k];
        A->by_event[W->occ_event[k]].insured += W->occ_spaid[k];
        W->occ_gu[k] += W->occ_sgu[k];
        W->occ_ins[k] += W->occ_spaid[k];
    }
    /* by type, attritional incident by incident; the engine's losses */
    for (size_t i = 0; i < W->n_ev; i++) {
        const ev_t *e = &W->ev[i];
        if (S->exact[i] == 0) {
            if (e->source < 0)
                add_sum(&A->by_type[e->type], S->gu_total[i], S->paid_total[i]);
            continue;
        }
        if (e->n_items == 0 || W->tp[e->dense].cnt != 1)
            continue; /* nothing to settle, or one of several: below */
        cy_status_t rc = settle(P, W, i, NULL, row);
        if (rc != CY_OK)
            return rc;
    }
    return CY_OK;
}

static cy_status_t
year_fail(worker_t *W)
{
    return cy_error_set(&W->err, CY_ENOMEM, "no_memory", NULL,
                        "模拟内存不足 / out of memory in the simulation");
}

/* occ_room gives the per-occurrence arrays room for n occurrences. */
static int
occ_room(worker_t *W, size_t n)
{
    if (n <= W->cap_occ)
        return 0;
    size_t c = W->cap_occ;
    if (grow(&W->occ_gu, &c, n, sizeof *W->occ_gu) != 0)
        return -1;
    c = W->cap_occ;
    if (grow(&W->occ_ins, &c, n, sizeof *W->occ_ins) != 0)
        return -1;
    c = W->cap_occ;
    if (grow(&W->occ_event, &c, n, sizeof *W->occ_event) != 0)
        return -1;
    c = W->cap_occ;
    if (grow(&W->occ_hits, &c, n, sizeof *W->occ_hits) != 0)
        return -1;
    c = W->cap_occ;
    if (grow(&W->occ_arg, &c, n, sizeof *W->occ_arg) != 0)
        return -1;
    c = W->cap_occ;
    if (grow(&W->occ_sgu, &c, n, sizeof *W->occ_sgu) != 0)
        return -1;
    c = W->cap_occ;
    if (grow(&W->occ_spaid, &c, n, sizeof *W->occ_spaid) != 0)
        return -1;
    W->cap_occ = c;
    return 0;
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
    size_t n_types = P->m->n_types;
    if (events_room(W, n_att) != 0)
        return year_fail(W);
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
            __builtin_prefetch(&W->rec[pol], 1); /* expand_items reads it */
            /* the first type whose cumulative share reaches u: counted, not searched */
            double u = sim_u01(W->hw2[i]);
            uint32_t t = 0;
            for (size_t k = 0; k + 1 < n_types; k++)
                t += u > P->type_cum[k];
            if (push_event(W, pol, W->hw3[i], -1, -1, t, STREAM_ATT_ITEM, j0 + i) != 0)
                return year_fail(W);
        }
    }
    row->attritional = n_att;

    /* Systemic occurrences: which event, when, and the insureds it hits. */
    if (occ_room(W, n_occ) != 0)
        return year_fail(W);
    const sim_catalogue_t *cat = P->cfg->catalogue;
    philox4x32_key_t key = {{P->k0, P->k1}};
    for (uint32_t k = 0; k < n_occ; k++) {
        philox4x32_ctr_t ctr = {{y, STREAM_OCC | (k << 8), 0, 0}};
        philox4x32_ctr_t w = philox4x32(ctr, key);
        uint32_t e = alias_pick(&P->occ, w.v[0], w.v[1]);
        const prep_event_t *pe = &P->ev[e];
        const sim_event_t *ce = &cat->events[e];
        W->occ_arg[k] = ce->hours_mu + ce->hours_sigma * normal_quantile(sim_u01(w.v[3]));
        W->occ_gu[k] = W->occ_ins[k] = 0;
        W->occ_event[k] = e;
        /*
         * The insureds hit: geometric gaps over the exposed list, one uniform
         * each, four to a Philox block of counter (y, HIT | k << 8, 0, block).
         */
        uint32_t hits = 0;
        double n_exp = (double)pe->n_exposed, l1h = pe->log1m_h;
        double i = -1.0;
        int done = 0;
        /* blocks drawn at a time: about the expected hits at first, then HIT_BLOCKS */
        double expect = n_exp * ce->hit_probability / 4.0 + 2.0;
        uint32_t nb = expect < HIT_BLOCKS ? (uint32_t)expect : HIT_BLOCKS;
        for (uint32_t b0 = 0; !done; b0 += nb, nb = HIT_BLOCKS) {
            _Alignas(64) uint32_t c1[HIT_BLOCKS], c2[HIT_BLOCKS], c3[HIT_BLOCKS];
            _Alignas(64) uint32_t hw[4][HIT_BLOCKS];
            double gap[4 * HIT_BLOCKS];
            if (!pe->every) {
                for (uint32_t b = 0; b < nb; b++) {
                    c1[b] = STREAM_HIT | (k << 8);
                    c2[b] = 0;
                    c3[b] = b0 + b;
                }
                sim_philox_batch(P->k0, P->k1, y, c1, c2, c3, nb, hw[0], hw[1], hw[2], hw[3]);
                /* the step to the next insured hit, 1 + the geometric gap: whole numbers, so
                 * adding it at once is adding its two parts */
                for (uint32_t b = 0; b < nb; b++)
                    for (int j = 0; j < 4; j++)
                        gap[4 * b + (uint32_t)j] = 1.0 + floor(log(sim_u01(hw[j][b])) / l1h);
            } else {
                for (uint32_t g = 0; g < 4 * nb; g++)
                    gap[g] = 1.0;
            }
            for (uint32_t g = 0; g < 4 * nb; g++) {
                i += gap[g];
                if (!(i < n_exp)) {
                    done = 1;
                    break;
                }
                __builtin_prefetch(&W->rec[pe->exposed[(size_t)i]], 1);
                if (push_event(W, pe->exposed[(size_t)i], w.v[2], (int32_t)e, (int32_t)k,
                               (uint32_t)pe->type, STREAM_HIT_ITEM | (k << 8), hits) != 0)
                    return year_fail(W);
                hits++;
            }
        }
        W->occ_hits[k] = hits;
        row->hits += hits;
    }
    row->occurrences = n_occ;

    /*
     * Items, one per coverage a loss can touch, and their draws, a chunk of
     * losses at a time: the item arrays stay in cache between the two (the
     * draws do not depend on where an item sits), the amounts go to the
     * year's matrix.
     */
    for (size_t j = 0; j < P->n_rows; j++)
        memset(W->mx + j * W->cap_ev, 0, W->n_ev * sizeof *W->mx);
    W->n_touched = 0;
    W->n_multi = 0;
    for (size_t from = 0; from < W->n_ev; from += SIM_CHUNK) {
        size_t to = W->n_ev - from < SIM_CHUNK ? W->n_ev : from + SIM_CHUNK;
        expand_items(P, W, from, to);
        sim_items_t items = {W->it.c1,    W->it.c2, W->it.c3, W->it.mu,
                             W->it.sigma, W->it.p,  W->mx,    W->it.dst};
        if (P->cfg->kernel == SIM_KERNEL_SCALAR)
            sim_draw_scalar(P->k0, P->k1, y, &items, W->n_it, P->tails);
        else
            sim_draw_batch(P->k0, P->k1, y, &items, W->n_it, P->tails);
    }
    /* the losses of a policy with several settle in time order with the engine */
    for (size_t q = 0; q < W->n_multi; q++)
        for (uint32_t i = W->tp[W->multi[q]].head; i != EV_NONE; i = W->next[i])
            W->sb.exact[i] = 1;

    /*
     * Settlement. A policy with one loss this year settles it against a
     * fresh year; a policy with several settles them in time order, so the
     * aggregate limit erodes as it would in the policy year.
     */
    cy_status_t rc = settle_singles(P, W, row);
    if (rc != CY_OK)
        return rc;
    for (size_t q = 0; q < W->n_multi; q++) {
        const touched_t *t = &W->tp[W->multi[q]];
        size_t k = 0;
        for (uint32_t i = t->head; i != EV_NONE; i = W->next[i])
            W->order[k++] = i;
        order_losses(W->ev, W->order, k);
        terms_state_t st;
        terms_state_init(&P->terms[W->sb_terms[t->head]], &st);
        for (size_t j = 0; j < k; j++) {
            rc = settle(P, W, W->order[j], &st, row);
            if (rc != CY_OK)
                return rc;
        }
    }
    for (size_t d = 0; d < W->n_touched; d++) {
        if (d + SIM_PREFETCH_FAR < W->n_touched)
            __builtin_prefetch(&W->rec[W->tp[d + SIM_PREFETCH_FAR].policy], 1);
        const touched_t *t = &W->tp[d];
        /* a policy's one loss, if the kernel settled it, else what the engine added up */
        int kernel = t->cnt == 1 && W->sb.exact[t->head] == 0;
        int64_t paid = kernel ? W->sb.paid_total[t->head] : t->paid;
        int64_t gu = kernel ? W->sb.gu_total[t->head] : t->gu;
        pol_rec_t *a = &W->rec[t->policy]; /* adding 0 costs less than a branch on it */
        a->slot = 0;
        a->sum += paid;
        a->sum_gu += gu;
        a->sq += (sim_u128_t)paid * (sim_u128_t)paid;
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
workspace_caps(const sim_estimate_t *e, double max_hits_occ, size_t *cap_ev, size_t *cap_it)
{
    double a = e->attritional_per_year, h = max_hits_occ;
    double ev = a + 8.0 * sqrt(a) + 2.0 * (h + 8.0 * sqrt(h)) + 1024.0;
    *cap_ev = (size_t)ev;
    *cap_it = SIM_CHUNK * (size_t)COV_N + SIM_SLOTS; /* a chunk's items, whole blocks */
}

/*
 * Estimate, and remember the numbers the workspace needs. G receives the
 * catalogue's events grouped by selector with their exposed counts (small:
 * a few words per event), which prep_build then reuses; the caller frees it.
 */
static cy_status_t
estimate(const sim_config_t *cfg, sim_estimate_t *est, size_t *cap_ev, size_t *cap_it, groups_t *G,
         cy_error_t *err)
{
    memset(G, 0, sizeof *G);
    int64_t begin, end;
    cy_status_t st = config_check(cfg, &begin, &end, err);
    if (st != CY_OK)
        return st;
    memset(est, 0, sizeof *est);
    const sim_portfolio_t *pf = cfg->portfolio;
    const rating_model_t *m = cfg->model;
    uint32_t covered = 0; /* the coverages insured at all: the rows of the year's matrix */
    for (size_t i = 0; i < pf->n; i++) {
        const sim_policy_t *p = &pf->policies[i];
        rating_insured_t ins = {p->section, p->revenue, p->grade, p->gross_margin};
        rating_frequency_t f;
        if (rating_frequency(m, &ins, &f, NULL) == CY_OK)
            est->attritional_per_year += f.lambda;
        covered |= p->terms.covered;
    }
    double max_hits = 0.0;
    size_t n_groups_lists = 0;
    const sim_catalogue_t *cat = cfg->catalogue;
    if (cat != NULL && cat->n > 0) {
        if (groups_build(G, cat, pf) != 0)
            return no_mem(err);
        for (size_t g = 0; g < G->n; g++) {
            n_groups_lists += G->count[g];
            for (size_t i = G->start[g]; i < G->start[g + 1]; i++) {
                const sim_event_t *e = &cat->events[G->order[i]];
                double hits = (double)G->count[g] * e->hit_probability;
                est->occurrences_per_year += e->annual_rate;
                est->hits_per_year += e->annual_rate * hits;
                if (hits > max_hits)
                    max_hits = hits;
            }
        }
    }
    workspace_caps(est, max_hits, cap_ev, cap_it);

    uint64_t n = pf->n, T = (uint64_t)cfg->threads, E = cat ? cat->n : 0;
    uint64_t rows = (uint64_t)(end - begin);
    uint64_t b = 0;
    b += rows * sizeof(sim_year_t) * 2; /* the table, and a sorted copy */
    /* prepared per policy: hot and cold records, pure premium, alias column, λ while
     * building, interning ids, terms index; the result's per-policy sums */
    b += n * (sizeof(pol_hot_t) + sizeof(pol_cold_t) + 8 + 8 + 8 + 4 + 8 + 8 + 16 + 8);
    b += (uint64_t)(7 + 4 * SIM_NAME_CAP) * 64; /* interned names, a few distinct ones */
    b += n_groups_lists * 4 + E * (sizeof(prep_event_t) + 12 + sizeof(sim_event_sum_t) + 48);
    /* per thread: its policy records; per loss of a busy year the loss, its policy's entry,
     * links, what the settlement kernel reads and writes, the matrix's column; a chunk's items
     * and losses; the attritional header draws; the sums by event */
    uint64_t per_event = sizeof(ev_t) + sizeof(touched_t) + 3 * 4 + 4 + 8 + 8 + 8 + 8 + 8 + 5 * 8 +
                         8 * (uint64_t)__builtin_popcount(covered);
    uint64_t per_thread = n * sizeof(pol_rec_t) + (uint64_t)*cap_ev * per_event +
                          (uint64_t)*cap_it * (4 * 4 + 3 * 8) + SIM_CHUNK * (4 + 4 + 8 + 8 + 8) +
                          7 * SIM_TILE * 4 + E * sizeof(sim_event_sum_t);
    b += T * per_thread;
    est->bytes = b;
    return CY_OK;
}

cy_status_t
sim_estimate(const sim_config_t *cfg, sim_estimate_t *est, cy_error_t *err)
{
    size_t a, b;
    groups_t G;
    cy_status_t st = estimate(cfg, est, &a, &b, &G, err);
    groups_free(&G);
    return st;
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
    groups_t G;
    cy_status_t st = estimate(cfg, &est, &cap_ev, &cap_it, &G, err);
    if (st != CY_OK) {
        groups_free(&G);
        return st;
    }
    if (cfg->max_mem > 0 && est.bytes > cfg->max_mem) {
        groups_free(&G);
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
    st = prep_build(&P, cfg, &G, err);
    groups_free(&G);
    if (st != CY_OK) {
        prep_free(&P);
        return st;
    }
    int T = cfg->threads;
    worker_t *W = aligned_array((size_t)T, sizeof *W); /* each its own cache lines */
    if (W != NULL)
        memset(W, 0, (size_t)T * sizeof *W);
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
                const pol_rec_t *a = &W[t].rec[p];
                const pol_cold_t *h = &P.cold[p];
                r->policy_insured[p] += a->sum;
                r->policy_insured_sq[p] += a->sq;
                add_sum(&r->by_section[h->section], a->sum_gu, a->sum);
                add_sum(&r->by_region[h->region], a->sum_gu, a->sum);
                for (int d = 0; d < SIM_DEP_N; d++)
                    if (h->dep[d] >= 0)
                        add_sum(&r->by_dep[d][h->dep[d]], a->sum_gu, a->sum);
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
