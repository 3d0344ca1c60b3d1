/*
 * policy.c — a policy as claims needs it (internal.h), read through
 * app/uw/uw.h only: its period and trigger for liability, and its terms in
 * the terms engine's shape for the settlement, mapped here once so that the
 * rest of claims never sees underwriting's structs. The insured's known
 * vulnerabilities come the same way, from the assessment its policy was
 * quoted on. Shared step; depends on app/uw.
 */
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"
#include "app/util.h"
#include "app/uw/uw.h"
#include "core/bjtime.h"

static void
policy_of(const app_t *app, const uw_policy_t *y, claims_policy_t *p)
{
    memset(p, 0, sizeof *p);
    p->id = y->id;
    p->insurer_org_id = y->insurer_org_id;
    p->insured_org_id = y->insured_org_id;
    p->assessment_id = y->quote_assessment_id;
    claims_copy(p->policy_no, sizeof p->policy_no, y->policy_no);
    claims_copy(p->insurer_name, sizeof p->insurer_name, y->insurer_name);
    const uw_terms_t *yt = &y->terms; /* the schedule in force at the time asked */
    claims_copy(p->region, sizeof p->region, yt->region);
    p->section = yt->section;
    claims_copy(p->period_start, sizeof p->period_start, y->period_start);
    claims_copy(p->period_end, sizeof p->period_end, y->period_end);
    claims_copy(p->trigger, sizeof p->trigger, y->trigger[0] ? y->trigger : "occurrence");
    claims_copy(p->retro_date, sizeof p->retro_date, y->retro_date);
    liab_policy_t *l = &p->liab;
    l->trigger = strcmp(p->trigger, "claims_made") == 0 ? LIAB_CLAIMS_MADE : LIAB_OCCURRENCE;
    l->start = y->start;
    l->end = y->end;
    /* a cancellation ends the period at its effective time */
    int64_t cancel = y->cancel_effective[0] ? app_iso_to_time(y->cancel_effective) : -1;
    if (cancel >= 0 && cancel < l->end)
        l->end = cancel;
    cy_error_t e;
    if (y->retro_date[0] == '\0' || bjtime_parse(y->retro_date, &l->retro, &e) != CY_OK)
        l->retro = y->start;
    l->insured = yt->covered;
    l->notice_hours = claims_rules(app)->notice_hours;
    terms_t *t = &p->terms;
    terms_init(t, yt->limit);
    t->retention = yt->retention;
    t->bi_waiting_hours = (double)yt->bi_waiting_hours;
    t->covered = yt->covered;
    for (int c = 0; c < COV_N; c++) {
        if (!(yt->covered & (1u << c)))
            continue;
        t->sublimit[c] = yt->sublimit[c] > 0 ? yt->sublimit[c] : yt->limit;
        t->share[c] = (double)yt->share_bp[c] / 10000.0;
    }
}

cy_status_t
claims_policy_at(app_t *app, const actor_t *a, int64_t id, int64_t at, claims_policy_t *out,
                 cy_error_t *err)
{
    uw_policy_t y;
    cy_status_t st = app_uw_policy_get(app, a, at, id, &y, err);
    if (st != CY_OK)
        return st;
    policy_of(app, &y, out);
    uw_policy_free(&y);
    return terms_validate(&out->terms, err);
}

cy_status_t
claims_policies_of(app_t *app, int64_t insured, int64_t at, claims_policy_t *out, size_t *n,
                   cy_error_t *err)
{
    uw_policy_list_t l;
    *n = 0;
    cy_status_t st = app_uw_policies_of_insured(app, insured, at, &l, err);
    if (st != CY_OK)
        return st;
    for (size_t i = 0; i < l.n && *n < CLAIMS_POLICIES_SEEN; i++)
        policy_of(app, &l.items[i], &out[(*n)++]);
    uw_policy_list_free(&l);
    return CY_OK;
}

cy_status_t
claims_known_vulns(app_t *app, const actor_t *a, int64_t now, int64_t assessment_id,
                   liab_vuln_t **out, char (**cves)[32], size_t *n, cy_error_t *err)
{
    *out = NULL;
    *cves = NULL;
    *n = 0;
    if (assessment_id <= 0)
        return CY_OK;
    uw_assessment_t as;
    cy_status_t st = app_uw_assessment_get(app, a, now, assessment_id, &as, err);
    if (st != CY_OK)
        return st;
    if (as.n_findings > 0) {
        *out = calloc(as.n_findings, sizeof **out);
        *cves = calloc(as.n_findings, sizeof **cves);
        if (*out == NULL || *cves == NULL)
            st = cy_error_no_memory(err);
    }
    for (size_t i = 0; st == CY_OK && i < as.n_findings; i++) {
        const uw_finding_t *f = &as.findings[i];
        if (f->cve[0] == '\0')
            continue;
        claims_copy((*cves)[*n], 32, f->cve);
        (*out)[*n] = (liab_vuln_t){(*cves)[*n], f->kev, app_iso_to_time(f->first_seen)};
        (*n)++;
    }
    uw_assessment_free(&as);
    if (st != CY_OK) {
        free(*out);
        free(*cves);
        *out = NULL;
        *cves = NULL;
        *n = 0;
    }
    return st;
}
