/*
 * metrics.c — AAL, EP curves and TVaR from a year loss table (see sim.h
 * for the estimators). Sequential and in year order, so the same table
 * always gives the same figures. Depends on sim.h, libc and libm only.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

const int sim_return_periods[SIM_N_RP] = {10, 50, 100, 200, 250, 500, 1000};

static int
cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x > y ? -1 : x < y;
}

/* Mean and standard error of v[0..n) in year order (two passes, long double). */
static void
mean_se(const int64_t *v, int64_t n, double *mean, double *se, double *sd)
{
    long double s = 0.0L;
    for (int64_t i = 0; i < n; i++)
        s += (long double)v[i];
    long double mu = s / (long double)n, q = 0.0L;
    for (int64_t i = 0; i < n; i++) {
        long double d = (long double)v[i] - mu;
        q += d * d;
    }
    long double var = n > 1 ? q / (long double)(n - 1) : 0.0L;
    *mean = (double)mu;
    *sd = (double)sqrtl(var);
    *se = (double)sqrtl(var / (long double)n);
}

/* Sorts v (descending) and reads the EP losses and TVaRs off it. */
static void
ep_tvar(int64_t *v, int64_t n, int64_t *ep, int *valid, double *tvar99, double *tvar995)
{
    qsort(v, (size_t)n, sizeof *v, cmp_desc);
    for (int i = 0; i < SIM_N_RP; i++) {
        int64_t k = n / sim_return_periods[i];
        valid[i] = k >= 1;
        ep[i] = k >= 1 ? v[k - 1] : 0;
    }
    const double ps[2] = {0.99, 0.995};
    double *outs[2] = {tvar99, tvar995};
    for (int j = 0; j < 2; j++) {
        int64_t k = (int64_t)ceil((double)n * (1.0 - ps[j]) - 1e-9);
        if (k < 1)
            k = 1;
        long double s = 0.0L;
        for (int64_t i = 0; i < k; i++)
            s += (long double)v[i];
        *outs[j] = (double)(s / (long double)k);
    }
}

cy_status_t
sim_metrics(const sim_result_t *r, sim_metrics_t *m, cy_error_t *err)
{
    memset(m, 0, sizeof *m);
    if (r->year_begin != 0 || r->year_end != r->years || r->years <= 0)
        return cy_error_set(err, CY_EINVAL, "sim_partial", NULL,
                            "结果只含部分年份，不能计算统计量 / the result holds only part of "
                            "the years; merge the others first");
    int64_t n = r->years;
    m->years = n;
    int64_t *v = malloc((size_t)n * sizeof *v);
    if (v == NULL)
        return cy_error_no_memory(err);
    double sd;
    int valid[SIM_N_RP];

    for (int64_t i = 0; i < n; i++)
        v[i] = r->ylt[i].insured;
    mean_se(v, n, &m->aal_insured, &m->se_insured, &m->sd_insured);
    ep_tvar(v, n, m->aep_insured, m->rp_valid, &m->tvar99_insured, &m->tvar995_insured);

    for (int64_t i = 0; i < n; i++)
        v[i] = r->ylt[i].ground_up;
    mean_se(v, n, &m->aal_ground_up, &m->se_ground_up, &sd);
    ep_tvar(v, n, m->aep_ground_up, valid, &m->tvar99_ground_up, &m->tvar995_ground_up);

    double t1, t2;
    for (int64_t i = 0; i < n; i++)
        v[i] = r->ylt[i].max_occ_insured;
    ep_tvar(v, n, m->oep_insured, valid, &t1, &t2);
    for (int64_t i = 0; i < n; i++)
        v[i] = r->ylt[i].max_occ_ground_up;
    ep_tvar(v, n, m->oep_ground_up, valid, &t1, &t2);

    long double s = 0.0L;
    for (int64_t i = 0; i < n; i++)
        s += (long double)r->ylt[i].systemic_insured;
    m->aal_systemic = (double)(s / (long double)n);
    free(v);
    return CY_OK;
}
