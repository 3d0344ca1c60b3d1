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

#include "app/util.h"
#include "core/cov.h"
#include "core/terms.h"

static int
cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

cy_status_t
app_portfolio_in_force(app_t *app, const actor_t *actor, sim_portfolio_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    int all = actor->cli || authz_sees_all(actor->org_type);
    if (!all && actor->org_type != ORG_INSURER)
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "只有保险机构可模拟其在保业务 / only an insurer simulates its book");
    char now[32];
    app_now_iso(now);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_TEXT(now), STORE_P_INT(all), STORE_P_INT(actor->org_id)};
    const char *where = "WHERE p.status = 'active' AND p.period_start <= $1 AND p.period_end > $1 "
                        "AND ($2 = 1 OR p.insurer_org_id = $3)";
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT p.id, p.policy_no, o.name, p.industry_section, p.region_code, p.dep_cloud, "
             "p.dep_os, p.dep_vpn, p.dep_email, p.grade, p.revenue, p.gross_margin_bp, "
             "p.aggregate_limit, p.retention, p.bi_waiting_hours FROM uw_policy p JOIN "
             "organisation o ON o.id = p.insured_org_id %s ORDER BY p.id",
             where);
    store_rows_t *r;
    int64_t *ids = NULL;
    size_t cap = 0;
    if ((st = store_query(c, sql, p, 3, &r, err)) != CY_OK)
        goto out;
    int k;
    while ((k = store_rows_next(r, err)) == 1) {
        if (out->n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            sim_policy_t *np = realloc(out->policies, ncap * sizeof *np);
            int64_t *ni = realloc(ids, ncap * sizeof *ni);
            if (np == NULL || ni == NULL) {
                out->policies = np ? np : out->policies;
                ids = ni ? ni : ids;
                st = cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
                break;
            }
            out->policies = np;
            ids = ni;
            cap = ncap;
        }
        sim_policy_t *sp = &out->policies[out->n];
        memset(sp, 0, sizeof *sp);
        ids[out->n] = store_rows_int(r, 0);
        snprintf(sp->id, sizeof sp->id, "%s", store_rows_text(r, 1));
        snprintf(sp->name, sizeof sp->name, "%s", store_rows_text(r, 2));
        sp->section = store_rows_text(r, 3)[0];
        snprintf(sp->region, sizeof sp->region, "%s", store_rows_text(r, 4));
        for (int d = 0; d < SIM_DEP_N; d++)
            snprintf(sp->dep[d], sizeof sp->dep[d], "%s", store_rows_text(r, 5 + d));
        sp->grade = store_rows_text(r, 9)[0];
        sp->revenue = store_rows_int(r, 10);
        sp->gross_margin = store_rows_isnull(r, 11) ? -1.0 : (double)store_rows_int(r, 11) / 1e4;
        terms_init(&sp->terms, store_rows_int(r, 12));
        sp->terms.retention = store_rows_int(r, 13);
        sp->terms.bi_waiting_hours = (double)store_rows_int(r, 14);
        out->n++;
    }
    if (k < 0 && st == CY_OK)
        st = err->status;
    store_rows_free(r);
    if (st != CY_OK)
        goto out;
    if (out->n == 0) {
        st = cy_error_set(err, CY_EINVAL, "portfolio_empty", "portfolio",
                          "没有在保保单可供模拟 / no policies in force to simulate");
        goto out;
    }
    snprintf(sql, sizeof sql,
             "SELECT c.policy_id, c.coverage, c.sublimit, c.share_bp FROM uw_policy_coverage c "
             "JOIN uw_policy p ON p.id = c.policy_id %s ORDER BY c.policy_id",
             where);
    if ((st = store_query(c, sql, p, 3, &r, err)) != CY_OK)
        goto out;
    while ((k = store_rows_next(r, err)) == 1) {
        int64_t pid = store_rows_int(r, 0);
        int64_t *hit = bsearch(&pid, ids, out->n, sizeof *ids, cmp_id);
        int cov = cov_find(store_rows_text(r, 1));
        if (hit == NULL || cov < 0)
            continue; /* a coverage the model does not know is not simulated */
        sim_policy_t *sp = &out->policies[hit - ids];
        sp->terms.covered |= 1u << cov;
        sp->terms.sublimit[cov] = store_rows_int(r, 2);
        sp->terms.share[cov] = (double)store_rows_int(r, 3) / 1e4;
    }
    if (k < 0)
        st = err->status;
    store_rows_free(r);
    for (size_t i = 0; st == CY_OK && i < out->n; i++) {
        cy_error_t terr;
        if (terms_validate(&out->policies[i].terms, &terr) != CY_OK)
            st = cy_error_set(err, CY_EINVAL, "policy_terms", "portfolio",
                              "保单 %s 的条款无效：%s / policy %s has invalid terms: %s",
                              out->policies[i].id, terr.message, out->policies[i].id, terr.message);
    }
    snprintf(out->source, sizeof out->source, "policies in force at %s", now);
out:
    store_release(app->store, c);
    free(ids);
    if (st != CY_OK)
        sim_portfolio_free(out);
    return st;
}
