/*
 * result.c — a simulation's result (sim.h's sim_result_t): allocating and
 * freeing it, adding a thread's sums into it, and merging the results of
 * consecutive year ranges, in memory or through the packed form MPI ranks
 * send. Every sum is an integer sum, so merging per-process results gives
 * exactly the one-process result.
 *
 * Depends on sim/ and libc only.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/engine.h"

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

void
sim_result_add_acc(sim_result_t *r, const acc_t *A)
{
    for (int c = 0; c < COV_N; c++)
        sim_add_sum(&r->by_cov[c], A->by_cov[c].ground_up, A->by_cov[c].insured);
    for (int s = 0; s < RATING_N_SECTIONS; s++)
        sim_add_sum(&r->by_section[s], A->by_section[s].ground_up, A->by_section[s].insured);
    for (int t = 0; t <= RATING_MAX_TYPES; t++)
        sim_add_sum(&r->by_type[t], A->by_type[t].ground_up, A->by_type[t].insured);
    sim_add_sum(&r->attritional, A->attritional.ground_up, A->attritional.insured);
    sim_add_sum(&r->systemic, A->systemic.ground_up, A->systemic.insured);
    for (size_t i = 0; i < r->n_regions; i++)
        sim_add_sum(&r->by_region[i], A->by_region[i].ground_up, A->by_region[i].insured);
    for (int d = 0; d < SIM_DEP_N; d++)
        for (size_t i = 0; i < r->n_deps[d]; i++)
            sim_add_sum(&r->by_dep[d][i], A->by_dep[d][i].ground_up, A->by_dep[d][i].insured);
    for (size_t e = 0; e < r->n_events; e++) {
        sim_event_sum_t *d = &r->by_event[e];
        const sim_event_sum_t *s = &A->by_event[e];
        d->ground_up += s->ground_up;
        d->insured += s->insured;
        d->occurrences += s->occurrences;
        d->hits += s->hits;
        if (s->max_occ_insured > d->max_occ_insured)
            d->max_occ_insured = s->max_occ_insured;
    }
    if (A->policy_insured != NULL) /* a result being merged; workers keep theirs per policy */
        for (size_t p = 0; p < r->n_policies; p++) {
            r->policy_insured[p] += A->policy_insured[p];
            r->policy_insured_sq[p] += A->policy_sq[p];
        }
    r->attritional_incidents += A->attritional_incidents;
    r->occurrences += A->occurrences;
    r->hits += A->hits;
}

sim_result_t *
sim_result_alloc(const prep_t *P, int64_t begin, int64_t end)
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
        return sim_no_mem(err);
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
    sim_result_add_acc(dst, &a);
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
        return sim_no_mem(err);
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
        st = sim_no_mem(err);
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
