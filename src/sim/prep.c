/*
 * prep.c — preparation of a simulation: the portfolio and the catalogue
 * made into the arrays the years read (engine.h's prep_t). Names and terms
 * are interned by hash (no sorting of 100,000 records), each distinct
 * selector of the catalogue is matched against the policies once, policies
 * and events get alias tables for O(1) draws, and the items a loss of each
 * type lays out on each class of insured coverages are computed once
 * (sim_tmpl_t). Also the portfolio.h helpers.
 *
 * Depends on core/ and the sim kernels' types; no I/O.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "core/normal.h"
#include "sim/engine.h"

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

/* ---- alias tables (engine.h) -------------------------------------------- */

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

/* ---- preparation -------------------------------------------------------- */

void
sim_prep_free(prep_t *P)
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
    free(P->trow);
    free(P->coinsured);
    free(P->tmpl);
    free(P->tclass);
    memset(P, 0, sizeof *P);
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

void
sim_groups_free(groups_t *G)
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

int
sim_groups_build(groups_t *G, const sim_catalogue_t *cat, const sim_portfolio_t *pf)
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
        sim_groups_free(G);
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
                sim_groups_free(G);
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

cy_status_t
sim_no_mem(cy_error_t *err)
{
    return cy_error_set(err, CY_ENOMEM, "no_memory", NULL,
                        "模拟内存不足 / out of memory in the simulation");
}

/* Large arrays read at random: huge pages, or TLB misses cost as much as the cache misses. */
void *
sim_big_alloc(size_t bytes)
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

void *
sim_aligned_array(size_t n, size_t size)
{
    size_t bytes = n * size;
    bytes = (bytes + 63) & ~(size_t)63;
    if (bytes == 0)
        bytes = 64;
    return aligned_alloc(64, bytes);
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
    P->trow = malloc((u + 1) * sizeof *P->trow);
    P->coinsured = calloc(u + 1, 1);
    if (P->trow == NULL || P->coinsured == NULL)
        return -1;
    for (size_t t = 0; t < u; t++) {
        const terms_t *tt = &P->terms[t];
        sim_term_t *r = &P->trow[t];
        r->retention = tt->retention;
        r->aggregate_limit = tt->aggregate_limit;
        r->bi_waiting_hours = tt->bi_waiting_hours;
        for (size_t j = 0; j < P->n_rows; j++) {
            int c = (int)P->rows[j], in = (tt->covered & (1u << c)) != 0;
            r->sublimit[j] = in ? tt->sublimit[c] : INT64_MAX;
            P->coinsured[t] |= in && tt->share[c] < 1.0;
        }
    }
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

/* prep_policies: the per-policy arrays, the distinct terms, the rating, the alias table by λ. */
static cy_status_t
prep_policies(prep_t *P, cy_error_t *err)
{
    size_t n = P->n;
    P->hot = sim_big_alloc(n * sizeof *P->hot);
    P->cold = malloc(n * sizeof *P->cold);
    P->pure = malloc(n * sizeof *P->pure);
    double *lam = malloc(n * sizeof *lam);
    if (P->hot == NULL || P->cold == NULL || P->pure == NULL || lam == NULL ||
        prep_intern(P) != 0 || prep_terms(P) != 0) {
        free(lam);
        return sim_no_mem(err);
    }
    cy_status_t st = prep_rate(P, lam, err);
    if (st != CY_OK) {
        free(lam);
        return st;
    }
    int rc = alias_build(&P->att, lam, n);
    free(lam);
    return rc == 0 ? CY_OK : sim_no_mem(err);
}

/* prep_types: what each incident type draws on each coverage, the templates, the tails. */
static int
prep_types(prep_t *P)
{
    const rating_model_t *m = P->m;
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
    P->tt[SIM_TYPE_OUTAGE].mask = 1u << COV_BI; /* bi alone, its hours shared by every hit */
    if (prep_templates(P) != 0)
        return -1;
    P->type_cum[m->n_types - 1] = 2.0; /* rounding can leave the sum a hair under 1 */
    for (int c = 0; c < SIM_TAILS; c++) {
        /* bi (hours) and the unused entries have no tail */
        int tail = c < COV_N && c != COV_BI && m->severity[c].tail;
        P->tails[c].zq = tail ? normal_quantile(m->severity[c].tail_quantile) : SIM_NO_TAIL;
        P->tails[c].xi = tail ? m->severity[c].tail_xi : 0.0;
        P->tails[c].beta_ratio = tail ? m->severity[c].tail_beta_ratio : 0.0;
    }
    return 0;
}

/* prep_events: each catalogue event's exposed insureds (G's groups), rates and alias table. */
static cy_status_t
prep_events(prep_t *P, const sim_catalogue_t *cat, groups_t *G, cy_error_t *err)
{
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
        return sim_no_mem(err);
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
    scan_groups(G, P->cfg->portfolio, cursor);
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
    int rc = alias_build(&P->occ, rates, cat->n);
    free(rates);
    return rc == 0 ? CY_OK : sim_no_mem(err);
}

cy_status_t
sim_prep_build(prep_t *P, const sim_config_t *cfg, groups_t *G, cy_error_t *err)
{
    memset(P, 0, sizeof *P);
    P->cfg = cfg;
    P->m = cfg->model;
    P->pol = cfg->portfolio->policies;
    P->n = cfg->portfolio->n;
    P->k0 = (uint32_t)cfg->seed;
    P->k1 = (uint32_t)(cfg->seed >> 32);
    P->engine_only = (cfg->paths & SIM_PATH_ENGINE_ONLY) != 0;
    cy_status_t st = prep_policies(P, err);
    if (st != CY_OK)
        return st;
    if (prep_types(P) != 0)
        return sim_no_mem(err);
    const sim_catalogue_t *cat = cfg->catalogue;
    if (cat == NULL || cat->n == 0)
        return CY_OK;
    return prep_events(P, cat, G, err);
}
