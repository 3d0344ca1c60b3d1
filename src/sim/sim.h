/*
 * sim.h — portfolio accumulation Monte Carlo (DOMAIN.md §6 "Portfolio").
 *
 * Each simulated year draws attritional incidents (a Poisson process per
 * insured with the rating model's λ, marked with an incident type and a loss
 * per coverage) and occurrences of the catalogue's systemic events (each hits
 * the insureds sharing its dependency), settles every loss with the terms
 * engine (core/terms.h) and records the year's ground-up and insured loss.
 *
 * Results are identical for any thread count and any split of the years
 * across processes: every random number is Philox4x32-10 keyed by the seed
 * with a counter naming the year, the stream and the item (docs/simulation.md
 * sets out the layout), a year is computed by one thread from its own
 * counters only, and every sum across years is an integer sum in fen.
 *
 * Depends on core/, OpenMP and Random123; never on jansson, the store, http
 * or the command line. Writing result files is output.h's business.
 */
#ifndef CY_SIM_SIM_H
#define CY_SIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/rating.h"
#include "sim/portfolio.h"

typedef enum {
    SIM_KERNEL_BATCH = 0, /* loss draws over arrays (vectorised) */
    SIM_KERNEL_SCALAR,    /* one draw at a time: the benchmark's baseline */
} sim_kernel_t;

/*
 * sim_config_t.paths: the slower of two ways to the same result, for tests
 * that check the two agree to the byte; 0 in a real run.
 * SIM_PATH_NO_TEMPLATES lays out losses as items one coverage at a time, as
 * for a portfolio of too many sets of insured coverages; SIM_PATH_ENGINE_ONLY
 * settles every loss with the terms engine (core/terms.h), none with the
 * array kernel.
 */
#define SIM_PATH_NO_TEMPLATES 1u
#define SIM_PATH_ENGINE_ONLY  2u

/*
 * The phases of a simulated year, for sim_profile_t: generating the
 * attritional incidents and the systemic hits; looking up each loss's
 * policy; laying its items out; drawing them; the settlement kernel; the
 * per-loss sums (and the single losses the terms engine settles); the
 * policies with several losses (terms engine, in time order); the year's
 * sums by type, event and occurrence.
 */
enum {
    SIM_PHASE_ATTRITIONAL = 0,
    SIM_PHASE_SYSTEMIC,
    SIM_PHASE_POLICIES,
    SIM_PHASE_ITEMS,
    SIM_PHASE_DRAWS,
    SIM_PHASE_SETTLE,
    SIM_PHASE_SUMS,
    SIM_PHASE_SEVERAL,
    SIM_PHASE_YEAR_END,
    SIM_PHASES
};

/* sim_phase_name returns the phase's name ("attritional", "draws" …); "" out of range. */
const char *sim_phase_name(int phase);

/*
 * Where a run's time goes, for the benchmark (bench/sim.sh): the cycles of
 * each phase of each year. The caller gives the counter (sim/ reads no
 * clock) and room for the years this process computes.
 */
typedef struct {
    uint64_t (*clock)(void); /* a cycle counter */
    uint64_t *cycles;        /* [year − year_begin][SIM_PHASES] */
    uint32_t *losses;        /* [year − year_begin]: the year's loss events */
    uint32_t *items;         /* [year − year_begin]: its coverage draws (items) */
} sim_profile_t;

typedef struct {
    const sim_portfolio_t *portfolio;
    const rating_model_t *model;      /* validated */
    const sim_catalogue_t *catalogue; /* NULL or empty: attritional losses only */
    int64_t years;                    /* > 0 */
    uint64_t seed;
    int threads;      /* ≥ 1 */
    uint64_t max_mem; /* bytes the run may allocate; 0: no limit */
    sim_kernel_t kernel;
    unsigned paths; /* SIM_PATH_*: 0 */
    /* the years this process computes, [year_begin, year_end) within [0, years);
     * both 0: all of them (an MPI rank takes its share) */
    int64_t year_begin, year_end;
    /* called now and then from one thread with the years done so far; may be NULL */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *progress_ctx;
    /* may be NULL; read with __atomic_load_n before each year: when it turns non-zero the
       run stops and answers CY_EUNAVAIL (a server stopping hands the job back) */
    const int *stop;
    sim_profile_t *profile; /* NULL except when profiling */
} sim_config_t;

typedef struct {
    uint64_t bytes;              /* memory the run allocates, about */
    double attritional_per_year; /* expected attritional incidents a year */
    double occurrences_per_year; /* expected systemic occurrences a year */
    double hits_per_year;        /* expected insureds hit by them a year */
} sim_estimate_t;

/* One row of the year loss table (amounts in fen). */
typedef struct {
    int64_t ground_up;         /* covered loss before terms */
    int64_t insured;           /* paid under the terms */
    int64_t max_occ_ground_up; /* largest single occurrence of the year (for OEP) */
    int64_t max_occ_insured;
    int64_t systemic_insured; /* part of insured from catalogue events */
    uint32_t attritional;     /* attritional incidents */
    uint32_t occurrences;     /* systemic occurrences */
    uint32_t hits;            /* insureds hit by those occurrences */
    uint32_t reserved;        /* zero, so the table compares bytewise */
} sim_year_t;

typedef struct {
    int64_t ground_up;
    int64_t insured;
} sim_sum_t;

typedef struct {
    int64_t ground_up;
    int64_t insured;
    int64_t occurrences;
    int64_t hits;
    int64_t max_occ_insured;
} sim_event_sum_t;

/* Index of bi-only cloud outages in sim_result_t.by_type, after the model's types. */
#define SIM_TYPE_OUTAGE RATING_MAX_TYPES

typedef unsigned __int128 sim_u128_t;

/* What a run produced: the year loss table and sums over its years. */
typedef struct sim_result {
    int64_t years;                /* of the whole run */
    int64_t year_begin, year_end; /* the rows held: ylt[i] is year year_begin + i */
    uint64_t seed;
    sim_year_t *ylt;
    size_t n_policies, n_events, n_types;
    sim_sum_t by_cov[COV_N];
    sim_sum_t by_section[RATING_N_SECTIONS];
    sim_sum_t by_type[RATING_MAX_TYPES + 1];
    sim_sum_t attritional, systemic;
    size_t n_regions;
    char (*regions)[7]; /* sorted codes */
    sim_sum_t *by_region;
    size_t n_deps[SIM_DEP_N];
    char (*deps[SIM_DEP_N])[SIM_NAME_CAP]; /* sorted names, "" excluded */
    sim_sum_t *by_dep[SIM_DEP_N];
    sim_event_sum_t *by_event;     /* per catalogue event */
    int64_t *policy_insured;       /* Σ over years of each policy's annual insured loss */
    sim_u128_t *policy_insured_sq; /* Σ of its square, exact */
    int64_t *policy_pure;          /* rating pure premium of each policy (attritional model) */
    int64_t attritional_incidents, occurrences, hits;
} sim_result_t;

/*
 * sim_estimate checks cfg (years > 0, threads ≥ 1, a non-empty portfolio,
 * year range) and estimates the memory and the expected event counts,
 * without allocating. CY_EINVAL: sim_years, sim_threads, sim_portfolio,
 * sim_range.
 */
cy_status_t sim_estimate(const sim_config_t *cfg, sim_estimate_t *est, cy_error_t *err);

/*
 * sim_run checks cfg and refuses (CY_ETOOLARGE, sim_max_mem, with the
 * estimate in the message) before allocating anything when the estimate is
 * above cfg->max_mem; otherwise runs the years and sets *out to a result the
 * caller frees with sim_result_free.
 */
cy_status_t sim_run(const sim_config_t *cfg, sim_result_t **out, cy_error_t *err);

void sim_result_free(sim_result_t *r);

/*
 * sim_result_merge adds src, the result of the years right after dst's
 * (src->year_begin == dst->year_end) of the same run, into dst. Integer sums:
 * merging per-process results gives exactly the one-process result.
 */
cy_status_t sim_result_merge(sim_result_t *dst, const sim_result_t *src, cy_error_t *err);

/*
 * sim_result_pack writes the numeric parts of r into a malloc'ed buffer
 * (*buf, *len) for sending to another process; sim_result_unpack_merge merges
 * such a buffer into dst as sim_result_merge would.
 */
cy_status_t sim_result_pack(const sim_result_t *r, void **buf, size_t *len, cy_error_t *err);
cy_status_t sim_result_unpack_merge(sim_result_t *dst, const void *buf, size_t len,
                                    cy_error_t *err);

/* The return periods of the EP tables, in years. */
#define SIM_N_RP 7
extern const int sim_return_periods[SIM_N_RP];

/* Summary statistics of a result that covers all its years. */
typedef struct {
    int64_t years;
    double aal_ground_up, aal_insured; /* fen a year */
    double se_ground_up, se_insured;   /* standard error of the AAL */
    double sd_insured;                 /* of the annual insured loss */
    int rp_valid[SIM_N_RP];            /* 0 when years < the return period */
    int64_t oep_ground_up[SIM_N_RP], oep_insured[SIM_N_RP];
    int64_t aep_ground_up[SIM_N_RP], aep_insured[SIM_N_RP];
    double tvar99_insured, tvar995_insured; /* mean annual loss beyond the 99% / 99.5% */
    double tvar99_ground_up, tvar995_ground_up;
    double aal_systemic; /* part of aal_insured from catalogue events */
} sim_metrics_t;

/*
 * sim_metrics computes AAL and its standard error, OEP and AEP at the
 * return periods, and TVaR from a result holding all years. The EP estimator:
 * the loss of return period T is the k-th largest of the N annual losses,
 * k = floor(N / T) (so a 1-in-200 loss out of 10,000 years is the 50th
 * largest); TVaR at p is the mean of the ceil(N (1 − p)) largest.
 */
cy_status_t sim_metrics(const sim_result_t *r, sim_metrics_t *m, cy_error_t *err);

#endif
