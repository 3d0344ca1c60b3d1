/*
 * engine.h — the simulation engine's own header, shared by its files and
 * nobody else: what preparation makes of a portfolio and a catalogue
 * (prep.c), a thread's workspace and one simulated year (year.c), and the
 * result's sums (result.c). The public door is sim.h; nothing outside
 * src/sim/ includes this file.
 *
 * Depends on core/ and the sim kernels (kernel.h); no I/O.
 */
#ifndef CY_SIM_ENGINE_H
#define CY_SIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/strset.h"
#include "sim/kernel.h"
#include "sim/sim.h"

/* ---- alias tables (prep.c) ---------------------------------------------- */

/*
 * Walker's alias method (Vose's construction): O(1) draws from n weights.
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

static inline uint32_t
alias_pick(const alias_t *a, uint32_t w0, uint32_t w1)
{
    uint32_t i = (uint32_t)(((uint64_t)w0 * a->n) >> 32);
    const alias_col_t *c = &a->col[i];
    uint32_t keep = (uint32_t)0 - (uint32_t)(w1 < c->thr); /* a mask: no branch on a coin flip */
    return (i & keep) | (c->alias & ~keep);
}

/* ---- what preparation makes (prep.c) ------------------------------------ */

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
    sim_term_t *trow;
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

/* sim_groups_build groups cat's events by selector and counts their policies in pf; −1: no
 * memory. */
int sim_groups_build(groups_t *G, const sim_catalogue_t *cat, const sim_portfolio_t *pf);
void sim_groups_free(groups_t *G);

/* sim_prep_build prepares cfg's portfolio and catalogue (G from sim_groups_build, or empty). */
cy_status_t sim_prep_build(prep_t *P, const sim_config_t *cfg, groups_t *G, cy_error_t *err);
void sim_prep_free(prep_t *P);

/* sim_no_mem sets err to the simulation's "out of memory" and returns CY_ENOMEM. */
cy_status_t sim_no_mem(cy_error_t *err);

/*
 * sim_big_alloc returns zeroed memory for a large per-policy array: 64-byte
 * aligned, and from 1 MiB on 2 MiB-aligned with transparent huge pages
 * requested (the year loop reads such arrays at random). sim_aligned_array:
 * n elements of size bytes, 64-byte aligned, not zeroed. Both are freed
 * with free().
 */
void *sim_big_alloc(size_t bytes);
void *sim_aligned_array(size_t n, size_t size);

/* ---- a thread's sums and one year (year.c) ------------------------------ */

/* Sums one thread gathers over its years (and a result being merged). */
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

typedef struct worker worker_t;

/* The workspace a thread starts with, from the expected counts of a busy year. */
typedef struct {
    size_t losses; /* of a year */
} sim_caps_t;

/* The bytes a thread's workspace takes, about: its policy records and a busy year's losses. */
uint64_t sim_worker_bytes(uint64_t n_policies, uint64_t losses, uint64_t n_rows, uint64_t n_events);

/* sim_worker_new returns a thread's workspace for P (NULL: no memory); sim_worker_free frees it. */
worker_t *sim_worker_new(const prep_t *P, const sim_caps_t *caps);
void sim_worker_free(worker_t *W);

/* The coverage draws (items) of the thread's last year. */
size_t sim_worker_items(const worker_t *W);

/* The thread's sums, and the error of a failed year. */
const acc_t *sim_worker_acc(const worker_t *W);
const cy_error_t *sim_worker_err(const worker_t *W);

/*
 * sim_worker_policy_sums adds what the thread gathered per policy (Σ annual
 * insured, its square, and by section, region and dependency) into r.
 */
void sim_worker_policy_sums(const worker_t *W, const prep_t *P, sim_result_t *r);

/*
 * sim_year runs year `year` on W, fills *row and adds to W's sums; prof (NULL
 * when not profiling) receives the cycles of each phase. CY_ENOMEM (the
 * error in sim_worker_err) when the year needs more room than it can get.
 */
cy_status_t sim_year(const prep_t *P, worker_t *W, int64_t year, sim_year_t *row, uint64_t *prof);

/* ---- results (result.c) ------------------------------------------------- */

/* sim_result_alloc returns an empty result for years [begin, end) of P's run (NULL: no memory). */
sim_result_t *sim_result_alloc(const prep_t *P, int64_t begin, int64_t end);

/* sim_result_add_acc adds A's sums into r (A's per-policy arrays only when set). */
void sim_result_add_acc(sim_result_t *r, const acc_t *A);

static inline void
sim_add_sum(sim_sum_t *s, int64_t gu, int64_t ins)
{
    s->ground_up += gu;
    s->insured += ins;
}

#endif
