/*
 * figures.c — the pilot's claims figures (claims.h): counts, money and the
 * average times from notice to first response and to settlement, per
 * policy, insurer, region or industry, aggregated by SQL over the caller's
 * scope. For the statistics and the progress reports. Use-case file.
 */
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"

static double
hours_avg(int64_t seconds, int64_t n)
{
    return n > 0 ? (double)seconds / (double)n / 3600.0 : -1.0;
}

static void
total_add(claims_figure_t *t, const claims_figure_t *r)
{
    t->claims += r->claims;
    t->open += r->open;
    t->settled += r->settled;
    t->settled_n += r->settled_n;
    t->paid += r->paid;
    t->recovered += r->recovered;
    t->reserves += r->reserves;
    t->responded += r->responded;
    t->response_seconds_sum += r->response_seconds_sum;
    t->settle_seconds_sum += r->settle_seconds_sum;
}

cy_status_t
claims_figures(app_t *app, const actor_t *a, int64_t now, const claims_figures_in_t *in,
               claims_figures_t *out, cy_error_t *err)
{
    (void)now;
    memset(out, 0, sizeof *out);
    if (!a->cli && !authz_allowed(a->org_type, a->role, ACT_CLAIM_FIGURES))
        return app_forbidden(err, ACT_CLAIM_FIGURES);
    if ((unsigned)in->by > CLAIMS_BY_INDUSTRY)
        return cy_error_set(err, CY_EBADREQ, "query_invalid", "by",
                            "by 应为 policy、insurer、region 或 industry / by must be policy, "
                            "insurer, region or industry");
    /* operators everything; a regional authority its region; an insurer its own book */
    int all = a->cli || authz_sees_all(a->org_type);
    char prefix[7] = "";
    int regional = authz_region_prefix(a->org_type, a->region, prefix);
    int64_t org = !all && !regional ? a->org_id : -1;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = claims_figures_read(c, in, all, org, regional ? prefix : NULL, out, err);
    store_release(app->store, c);
    for (size_t i = 0; st == CY_OK && i < out->n; i++) {
        claims_figure_t *r = &out->rows[i];
        r->avg_response_hours = hours_avg(r->response_seconds_sum, r->responded);
        r->avg_settle_hours = hours_avg(r->settle_seconds_sum, r->settled_n);
        total_add(&out->total, r);
    }
    out->total.avg_response_hours =
        hours_avg(out->total.response_seconds_sum, out->total.responded);
    out->total.avg_settle_hours = hours_avg(out->total.settle_seconds_sum, out->total.settled_n);
    if (st != CY_OK)
        claims_figures_free(out);
    return st;
}

void
claims_figures_free(claims_figures_t *f)
{
    free(f->rows);
    memset(f, 0, sizeof *f);
}
