/*
 * sim.c — the portfolio Monte Carlo's door (see sim.h): checking a run,
 * estimating its memory before anything large is allocated, and running
 * its years on the threads. Preparation is prep.c's, a year year.c's, the
 * result's sums result.c's; engine.h ties them together.
 *
 * Threads take years in any order (OpenMP dynamic schedule); each writes
 * its year's row of the table and adds to its own integer sums, which are
 * added up at the end — integer addition does not depend on order, so the
 * result is the same for any thread count.
 *
 * Depends on core/, the sim engine's files and OpenMP; no I/O.
 */
#include "sim/sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "sim/engine.h"

/* ---- checks and the estimate -------------------------------------------- */

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
    if (cfg->portfolio->n > SIM_TERMS_MAX) /* the settlement kernel's terms indices */
        return cy_error_set(err, CY_EINVAL, "sim_portfolio", "portfolio",
                            "组合保单过多，至多 %zu 份 / too many policies: at most %zu",
                            SIM_TERMS_MAX, SIM_TERMS_MAX);
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

/* The losses of a busy year, from the expected counts: the room a thread starts with. */
static size_t
busy_year_losses(const sim_estimate_t *e, double max_hits_occ)
{
    double a = e->attritional_per_year, h = max_hits_occ;
    return (size_t)(a + 8.0 * sqrt(a) + 2.0 * (h + 8.0 * sqrt(h)) + 1024.0);
}

/* The expected systemic occurrences and hits a year (G: the catalogue's groups). */
static void
estimate_events(const sim_catalogue_t *cat, const groups_t *G, sim_estimate_t *est,
                double *max_hits, uint64_t *n_lists)
{
    for (size_t g = 0; g < G->n; g++) {
        *n_lists += G->count[g];
        for (size_t i = G->start[g]; i < G->start[g + 1]; i++) {
            const sim_event_t *e = &cat->events[G->order[i]];
            double hits = (double)G->count[g] * e->hit_probability;
            est->occurrences_per_year += e->annual_rate;
            est->hits_per_year += e->annual_rate * hits;
            if (hits > *max_hits)
                *max_hits = hits;
        }
    }
}

/*
 * Estimate, and remember the room a thread starts with. G receives the
 * catalogue's events grouped by selector with their exposed counts (small:
 * a few words per event), which sim_prep_build then reuses; the caller
 * frees it.
 */
static cy_status_t
estimate(const sim_config_t *cfg, sim_estimate_t *est, sim_caps_t *caps, groups_t *G,
         cy_error_t *err)
{
    memset(G, 0, sizeof *G);
    int64_t begin, end;
    cy_status_t st = config_check(cfg, &begin, &end, err);
    if (st != CY_OK)
        return st;
    memset(est, 0, sizeof *est);
    const sim_portfolio_t *pf = cfg->portfolio;
    uint32_t covered = 0; /* the coverages insured at all: the rows of a chunk's matrix */
    for (size_t i = 0; i < pf->n; i++) {
        const sim_policy_t *p = &pf->policies[i];
        rating_insured_t ins = {p->section, p->revenue, p->grade, p->gross_margin};
        rating_frequency_t f;
        if (rating_frequency(cfg->model, &ins, &f, NULL) == CY_OK)
            est->attritional_per_year += f.lambda;
        covered |= p->terms.covered;
    }
    double max_hits = 0.0;
    uint64_t n_lists = 0, n = pf->n, E = cfg->catalogue ? cfg->catalogue->n : 0;
    if (E > 0) {
        if (sim_groups_build(G, cfg->catalogue, pf) != 0)
            return sim_no_mem(err);
        estimate_events(cfg->catalogue, G, est, &max_hits, &n_lists);
    }
    caps->losses = busy_year_losses(est, max_hits);
    uint64_t b = (uint64_t)(end - begin) * sizeof(sim_year_t) * 2; /* the table, a sorted copy */
    /* prepared per policy: hot and cold records, pure premium, alias column, λ while
     * building, interning ids, terms index; the result's per-policy sums */
    b += n * (sizeof(pol_hot_t) + sizeof(pol_cold_t) + 8 + 8 + 8 + 4 + 8 + 8 + 16 + 8);
    b += (uint64_t)(7 + 4 * SIM_NAME_CAP) * 64; /* interned names, a few distinct ones */
    b += n_lists * 4 + E * (sizeof(prep_event_t) + 12 + sizeof(sim_event_sum_t) + 48);
    b += (uint64_t)cfg->threads *
         sim_worker_bytes(n, caps->losses, (uint64_t)__builtin_popcount(covered), E);
    est->bytes = b;
    return CY_OK;
}

cy_status_t
sim_estimate(const sim_config_t *cfg, sim_estimate_t *est, cy_error_t *err)
{
    sim_caps_t caps;
    groups_t G;
    cy_status_t st = estimate(cfg, est, &caps, &G, err);
    sim_groups_free(&G);
    return st;
}

static void
mib(char *buf, size_t cap, uint64_t bytes)
{
    snprintf(buf, cap, "%.1f MiB", (double)bytes / 1048576.0);
}

/* too_large refuses a run whose estimate is above cfg->max_mem, with both in the message. */
static cy_status_t
too_large(const sim_config_t *cfg, const sim_estimate_t *est, cy_error_t *err)
{
    char need[32], have[32];
    mib(need, sizeof need, est->bytes);
    mib(have, sizeof have, cfg->max_mem);
    return cy_error_set(err, CY_ETOOLARGE, "sim_max_mem", "max_mem",
                        "本次模拟约需 %s 内存，超过上限 %s（--max-mem）；请减少年数、保单或线程 "
                        "/ this run needs about %s of memory, more than the limit of %s "
                        "(--max-mem); use fewer years, policies or threads",
                        need, have, need, have);
}

/* ---- the run ------------------------------------------------------------ */

/* A run in progress: what its threads share. */
typedef struct {
    const sim_config_t *cfg;
    const prep_t *P;
    worker_t **W;
    sim_result_t *r;
    int64_t begin, end, done;
    int failed;
    cy_error_t first_err;
} run_t;

/* run_years computes the years on the threads; a failure stops them and keeps the first error. */
static void
run_years(run_t *R)
{
    const sim_config_t *cfg = R->cfg;
    sim_profile_t *prof = cfg->profile;
#pragma omp parallel num_threads(cfg->threads)
    {
        worker_t *w = R->W[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 16)
        for (int64_t year = R->begin; year < R->end; year++) {
            int stop;
#pragma omp atomic read
            stop = R->failed;
            if (stop)
                continue;
            if (cfg->stop != NULL && __atomic_load_n(cfg->stop, __ATOMIC_RELAXED)) {
#pragma omp critical(sim_fail)
                {
                    if (!R->failed)
                        cy_error_set(&R->first_err, CY_EUNAVAIL, "stopped", NULL,
                                     "模拟被中止（服务器正在停止） / the run was stopped (the "
                                     "server is stopping)");
#pragma omp atomic write
                    R->failed = 1;
                }
                continue;
            }
            size_t at = (size_t)(year - R->begin);
            sim_year_t *row = &R->r->ylt[at];
            if (sim_year(R->P, w, year, row, prof ? prof->cycles + at * SIM_PHASES : NULL) !=
                CY_OK) {
#pragma omp critical(sim_fail)
                {
                    if (!R->failed)
                        R->first_err = *sim_worker_err(w);
#pragma omp atomic write
                    R->failed = 1;
                }
                continue;
            }
            if (prof != NULL) {
                prof->losses[at] = row->attritional + row->hits;
                prof->items[at] = (uint32_t)sim_worker_items(w);
            }
            int64_t d;
#pragma omp atomic capture
            d = ++R->done;
            if (cfg->progress != NULL && omp_get_thread_num() == 0)
                cfg->progress(cfg->progress_ctx, d, R->end - R->begin);
        }
    }
}

/* run_workers makes a workspace per thread, runs the years and adds the threads' sums. */
static cy_status_t
run_workers(run_t *R, const sim_caps_t *caps, cy_error_t *err)
{
    int T = R->cfg->threads, ok = 1;
    R->W = calloc((size_t)T, sizeof *R->W);
    ok = R->W != NULL;
    for (int t = 0; t < T && ok; t++)
        ok = (R->W[t] = sim_worker_new(R->P, caps)) != NULL;
    if (ok)
        run_years(R);
    for (int t = 0; ok && !R->failed && t < T; t++) {
        sim_result_add_acc(R->r, sim_worker_acc(R->W[t]));
        /* what depends on the policy alone is summed per policy, then grouped here */
        sim_worker_policy_sums(R->W[t], R->P, R->r);
    }
    for (int t = 0; R->W != NULL && t < T; t++)
        sim_worker_free(R->W[t]);
    free(R->W);
    if (!ok)
        return sim_no_mem(err);
    if (R->failed) {
        if (err != NULL)
            *err = R->first_err;
        return R->first_err.status != CY_OK ? R->first_err.status : CY_EIO;
    }
    return CY_OK;
}

cy_status_t
sim_run(const sim_config_t *cfg, sim_result_t **out, cy_error_t *err)
{
    *out = NULL;
    sim_estimate_t est;
    sim_caps_t caps;
    groups_t G;
    cy_status_t st = estimate(cfg, &est, &caps, &G, err);
    if (st == CY_OK && cfg->max_mem > 0 && est.bytes > cfg->max_mem)
        st = too_large(cfg, &est, err);
    if (st != CY_OK) {
        sim_groups_free(&G);
        return st;
    }
    run_t R = {.cfg = cfg};
    config_check(cfg, &R.begin, &R.end, err);
    prep_t P;
    st = sim_prep_build(&P, cfg, &G, err);
    sim_groups_free(&G);
    R.P = &P;
    if (st == CY_OK && (R.r = sim_result_alloc(&P, R.begin, R.end)) == NULL)
        st = sim_no_mem(err);
    if (st == CY_OK)
        st = run_workers(&R, &caps, err);
    sim_prep_free(&P);
    if (st != CY_OK) {
        sim_result_free(R.r);
        return st;
    }
    if (cfg->progress != NULL)
        cfg->progress(cfg->progress_ctx, R.end - R.begin, R.end - R.begin);
    *out = R.r;
    return CY_OK;
}
