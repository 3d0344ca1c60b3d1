/*
 * exposure.c — the accumulation question of in-force monitoring: which
 * insureds, with how much limit in force, a vulnerability (through the
 * catalogue products its signals affect) or one product touches. Matched by
 * the vendor index, then the policies in force for each enterprise
 * (app_uw_covers, the schedule's rule). Depends on core/, store/, data/ and
 * app/uw.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/monitor/internal.h"
#include "app/uw/uw.h"
#include "core/monscore.h"

#define EXPOSURE_MAX_ORGS 100000

static cy_status_t
which_vendors(app_t *app, store_conn_t *c, const char *cve, const char *vendor, mon_exposure_t *out,
              cy_error_t *err)
{
    const monitor_data_t *md = app->monitor;
    if ((cve == NULL) == (vendor == NULL))
        return cy_error_set(err, CY_EBADREQ, "query_invalid", "cve",
                            "请给出 cve 或 vendor 之一 / give one of cve and vendor");
    if (cve != NULL) {
        if (!feed_vuln_id_ok(cve))
            return cy_error_set(err, CY_EBADREQ, "query_invalid", "cve",
                                "cve 应为 CVE、CNVD 或 CNNVD 编号 / cve must be a CVE, CNVD or "
                                "CNNVD identifier");
        return mon_cve_vendors(c, cve, out->vendors, MON_MAX_MATCH, &out->n_vendors, err);
    }
    if (monitor_vendor_find(md, vendor) == NULL) {
        int k = mon_nearest(vendor, md->codes, md->n_vendors);
        const mon_vendor_t *v = &md->vendors[k < 0 ? 0 : k];
        return cy_error_set(err, CY_EINVAL, "vendor_unknown", "vendor",
                            "产品目录中没有 %.40s，是否指 %s（%s）？ / the catalogue has no %.40s: "
                            "did you mean %s (%s)?",
                            vendor, v->code, v->name_zh, vendor, v->code, v->name_en);
    }
    snprintf(out->vendors[0], sizeof out->vendors[0], "%s", vendor);
    out->n_vendors = 1;
    return CY_OK;
}

/* The policies in force covering org that the actor's book holds, appended to out. */
static cy_status_t
add_covers(store_conn_t *c, const actor_t *a, int64_t now, int64_t org, const char *vendor,
           mon_exposure_t *out, size_t *cap, cy_error_t *err)
{
    uw_cover_t cov[16];
    size_t n = 0;
    char name[256];
    int ent = 0, counted = 0;
    cy_status_t st = app_uw_covers(c, org, now, cov, 16, &n, err);
    if (st == CY_OK && n > 0)
        st = mon_org_read(c, org, name, sizeof name, &ent, err);
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        if (!(a->cli || authz_sees_all(a->org_type)) && cov[i].insurer_org_id != a->org_id)
            continue;
        if (out->n == *cap) {
            size_t more = *cap ? 2 * *cap : 64;
            mon_exposed_t *p = realloc(out->items, more * sizeof *p);
            if (p == NULL)
                return cy_error_no_memory(err);
            out->items = p;
            *cap = more;
        }
        mon_exposed_t *e = &out->items[out->n++];
        memset(e, 0, sizeof *e);
        e->org_id = org;
        e->policy_id = cov[i].policy_id;
        e->insurer_org_id = cov[i].insurer_org_id;
        e->aggregate_limit = cov[i].aggregate_limit;
        snprintf(e->name, sizeof e->name, "%s", name);
        snprintf(e->policy_no, sizeof e->policy_no, "%s", cov[i].policy_no);
        snprintf(e->vendor, sizeof e->vendor, "%s", vendor);
        out->total_limit += cov[i].aggregate_limit;
        out->insureds += !counted;
        counted = 1;
    }
    return st;
}

cy_status_t
monitor_exposure(app_t *app, const actor_t *actor, int64_t now, const char *cve, const char *vendor,
                 mon_exposure_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!(actor->cli || authz_allowed(actor->org_type, actor->role, ACT_SIM_READ)))
        return app_forbidden(err, ACT_SIM_READ);
    int64_t *orgs = malloc(EXPOSURE_MAX_ORGS * sizeof *orgs);
    if (orgs == NULL)
        return cy_error_no_memory(err);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK) {
        free(orgs);
        return st;
    }
    st = which_vendors(app, c, cve, vendor, out, err);
    size_t from[MON_MAX_MATCH + 1], cap = 0;
    if (st == CY_OK)
        st = mon_vendors_orgs(c, out->vendors, out->n_vendors, orgs, EXPOSURE_MAX_ORGS, from, err);
    for (size_t v = 0; st == CY_OK && v < out->n_vendors; v++)
        for (size_t i = from[v]; st == CY_OK && i < from[v + 1]; i++)
            st = add_covers(c, actor, now, orgs[i], out->vendors[v], out, &cap, err);
    store_release(app->store, c);
    free(orgs);
    if (st != CY_OK)
        monitor_exposure_free(out);
    return st;
}

void
monitor_exposure_free(mon_exposure_t *e)
{
    free(e->items);
    e->items = NULL;
    e->n = 0;
}
