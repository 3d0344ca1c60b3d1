/*
 * portfolio.c — policies in force → sim_portfolio_t. Two queries (policies,
 * then their coverages) in one read; each policy's terms are validated by
 * the terms engine as any exposure file's are. Depends on core/, sim/'s
 * structs and store/.
 */
#include "app/sim/portfolio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bjtime.h"
#include "core/cov.h"
#include "core/terms.h"

static int
cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Room for one more policy (and its id) in out. */
static cy_status_t
grow(sim_portfolio_t *out, int64_t **ids, size_t *cap, cy_error_t *err)
{
    if (out->n < *cap)
        return CY_OK;
    size_t ncap = *cap ? *cap * 2 : 64;
    sim_policy_t *np = realloc(out->policies, ncap * sizeof *np);
    if (np != NULL)
        out->policies = np;
    int64_t *ni = realloc(*ids, ncap * sizeof *ni);
    if (ni != NULL)
        *ids = ni;
    if (np == NULL || ni == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    *cap = ncap;
    return CY_OK;
}

/* A policy of the book from a row of the first query. */
static void
policy_from_row(const store_rows_t *r, sim_policy_t *sp)
{
    memset(sp, 0, sizeof *sp);
    static const char *const DEP[SIM_DEP_N] = {"dep_cloud", "dep_os", "dep_vpn", "dep_email"};
    store_row_copy(r, "policy_no", sp->id, sizeof sp->id);
    store_row_copy(r, "name", sp->name, sizeof sp->name);
    sp->section = store_row_text(r, "industry_section")[0];
    store_row_copy(r, "region_code", sp->region, sizeof sp->region);
    for (int d = 0; d < SIM_DEP_N; d++)
        store_row_copy(r, DEP[d], sp->dep[d], sizeof sp->dep[d]);
    sp->grade = store_row_text(r, "grade")[0];
    sp->revenue = store_row_int(r, "revenue");
    sp->gross_margin = store_row_isnull(r, "gross_margin_bp")
                           ? -1.0
                           : (double)store_row_int(r, "gross_margin_bp") / 1e4;
    terms_init(&sp->terms, store_row_int(r, "aggregate_limit"));
    sp->terms.retention = store_row_int(r, "retention");
    sp->terms.bi_waiting_hours = (double)store_row_int(r, "bi_waiting_hours");
}

#define IN_FORCE_WHERE                                                                             \
    "WHERE p.status = 'active' AND p.period_start <= $1 AND p.period_end > $1 "                    \
    "AND ($2 = 1 OR p.insurer_org_id = $3)"

static cy_status_t
load_policies(store_conn_t *c, const store_param_t *p, sim_portfolio_t *out, int64_t **ids,
              cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st = store_query(
        c,
        "SELECT p.id, p.policy_no, o.name, p.industry_section, p.region_code, p.dep_cloud, "
        "p.dep_os, p.dep_vpn, p.dep_email, p.grade, p.revenue, p.gross_margin_bp, "
        "p.aggregate_limit, p.retention, p.bi_waiting_hours FROM uw_policy p JOIN "
        "organisation o ON o.id = p.insured_org_id " IN_FORCE_WHERE " ORDER BY p.id",
        p, 3, &r, err);
    if (st != CY_OK)
        return st;
    size_t cap = 0;
    int k;
    while ((k = store_rows_next(r, err)) == 1 && (st = grow(out, ids, &cap, err)) == CY_OK) {
        (*ids)[out->n] = store_row_int(r, "id");
        policy_from_row(r, &out->policies[out->n]);
        out->n++;
    }
    if (k < 0 && st == CY_OK)
        st = err->status;
    store_rows_free(r);
    return st;
}

/* The coverages of the policies loaded (ids sorted, as the policies are). */
static cy_status_t
load_coverages(store_conn_t *c, const store_param_t *p, sim_portfolio_t *out, const int64_t *ids,
               cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st =
        store_query(c,
                    "SELECT c.policy_id, c.coverage, c.sublimit, c.share_bp FROM "
                    "uw_policy_coverage c JOIN uw_policy p ON p.id = c.policy_id " IN_FORCE_WHERE
                    " ORDER BY c.policy_id",
                    p, 3, &r, err);
    if (st != CY_OK)
        return st;
    int k;
    while ((k = store_rows_next(r, err)) == 1) {
        int64_t pid = store_row_int(r, "policy_id");
        int64_t *hit = bsearch(&pid, ids, out->n, sizeof *ids, cmp_id);
        int cov = cov_find(store_row_text(r, "coverage"));
        if (hit == NULL || cov < 0)
            continue; /* a coverage the model does not know is not simulated */
        sim_policy_t *sp = &out->policies[hit - ids];
        sp->terms.covered |= 1u << cov;
        sp->terms.sublimit[cov] = store_row_int(r, "sublimit");
        sp->terms.share[cov] = (double)store_row_int(r, "share_bp") / 1e4;
    }
    if (k < 0)
        st = err->status;
    store_rows_free(r);
    return st;
}

cy_status_t
app_portfolio_in_force(app_t *app, const actor_t *actor, int64_t now, sim_portfolio_t *out,
                       cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    int all = actor->cli || authz_sees_all(actor->org_type);
    if (!all && actor->org_type != ORG_INSURER)
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "只有保险机构可模拟其在保业务 / only an insurer simulates its book");
    char at[32];
    utc_format_iso(now, at);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_TEXT(at), STORE_P_INT(all), STORE_P_INT(actor->org_id)};
    int64_t *ids = NULL;
    st = load_policies(c, p, out, &ids, err);
    if (st == CY_OK && out->n == 0)
        st = cy_error_set(err, CY_EINVAL, "portfolio_empty", "portfolio",
                          "没有在保保单可供模拟 / no policies in force to simulate");
    if (st == CY_OK)
        st = load_coverages(c, p, out, ids, err);
    store_release(app->store, c);
    free(ids);
    for (size_t i = 0; st == CY_OK && i < out->n; i++) {
        cy_error_t terr;
        if (terms_validate(&out->policies[i].terms, &terr) != CY_OK)
            st = cy_error_set(err, CY_EINVAL, "policy_terms", "portfolio",
                              "保单 %s 的条款无效：%s / policy %s has invalid terms: %s",
                              out->policies[i].id, terr.message, out->policies[i].id, terr.message);
    }
    snprintf(out->source, sizeof out->source, "policies in force at %s", at);
    if (st != CY_OK)
        sim_portfolio_free(out);
    return st;
}
