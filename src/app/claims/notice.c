/*
 * notice.c — first notice of loss (报案, claims.h): the insured reports an
 * incident; the policies it holds that answer for the loss each get a claim.
 * Also the incidents as their parties read them. Use-case file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"
#include "app/engage/engage.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "core/money.h"

/* The notice as checked: times in seconds, the estimates by coverage. */
typedef struct {
    const claims_incident_type_t *type;
    int64_t occurred, discovered, reported;
    int64_t estimates[COV_N]; /* −1: none */
    const claims_field_t *loss_field;
} notice_t;

static const claims_field_t F_ORG = {"org_id", "被保险人", "the insured"};
static const claims_field_t F_TYPE = {"incident_type", "事件类型", "the incident type"};
static const claims_field_t F_OCCURRED = {"occurred_at", "事件发生时间", "the time it occurred"};
static const claims_field_t F_DISCOVERED = {"discovered_at", "发现时间", "the discovery time"};
static const claims_field_t F_REPORTED = {"reported_at", "报案时间", "the report time"};
static const claims_field_t F_DESCRIPTION = {"description", "事件经过", "the description"};
static const claims_field_t F_SYSTEMS = {"systems", "受影响的系统", "the affected systems"};
static const claims_field_t F_DATA = {"data_affected", "受影响的数据", "the affected data"};

static cy_status_t
times_check(const claims_notice_in_t *in, int64_t now, notice_t *nt, cy_error_t *err)
{
    cy_status_t st = claims_time(in->discovered_at, &F_DISCOVERED, now, &nt->discovered, err);
    nt->reported = now;
    if (st == CY_OK && in->reported_at != NULL)
        st = claims_time(in->reported_at, &F_REPORTED, now, &nt->reported, err);
    if (st == CY_OK && nt->reported < nt->discovered)
        st = cy_error_set(err, CY_EINVAL, "times_order", "reported_at",
                          "报案时间不能早于发现时间 / the report time must not be before the "
                          "discovery");
    nt->occurred = nt->discovered;
    nt->loss_field = &F_DISCOVERED;
    if (st == CY_OK && in->occurred_at != NULL) {
        st = claims_time(in->occurred_at, &F_OCCURRED, now, &nt->occurred, err);
        nt->loss_field = &F_OCCURRED;
    }
    if (st == CY_OK && nt->occurred > nt->discovered)
        st = cy_error_set(err, CY_EINVAL, "times_order", "occurred_at",
                          "事件发生时间不能晚于发现时间 / the time it occurred must not be after "
                          "its discovery");
    return st;
}

static cy_status_t
estimates_check(const claims_notice_in_t *in, notice_t *nt, cy_error_t *err)
{
    for (int k = 0; k < COV_N; k++)
        nt->estimates[k] = -1;
    cy_status_t st = CY_OK;
    for (size_t i = 0; i < in->n_estimates && st == CY_OK; i++) {
        char key[64];
        snprintf(key, sizeof key, "estimates[%zu].coverage", i);
        claims_field_t f = {key, "估损险种", "the estimate's coverage"};
        int cov;
        st = claims_coverage(in->estimates[i].coverage, &f, &cov, err);
        if (st == CY_OK && nt->estimates[cov] >= 0)
            st = cy_error_set(err, CY_EINVAL, "coverage_repeated", key,
                              "%s 的估损重复 / the estimate of %s is given twice", cov_name_zh(cov),
                              cov_name_en(cov));
        snprintf(key, sizeof key, "estimates[%zu].amount", i);
        claims_field_t a = {key, "估损金额", "the estimated amount"};
        if (st == CY_OK)
            st = claims_amount(in->estimates[i].amount, &a, 0, TERMS_AMOUNT_MAX, err);
        if (st == CY_OK)
            nt->estimates[cov] = in->estimates[i].amount;
    }
    return st;
}

/*
 * Whom the notice is for: the caller's own organisation, or, for a service
 * organisation, the enterprise org_id that engaged it for claims.
 */
static cy_status_t
insured_of(app_t *app, const actor_t *a, int64_t now, const claims_notice_in_t *in,
           int64_t *insured, cy_error_t *err)
{
    *insured = a->org_id;
    if (a->org_type != ORG_SERVICE_ORG || a->cli) {
        if (in->org_id != 0 && in->org_id != a->org_id)
            return cy_error_set(err, CY_EFORBIDDEN, "not_own_org", F_ORG.key,
                                "只能为本单位报案 / you may report only for your own organisation");
        return CY_OK;
    }
    if (in->org_id == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", F_ORG.key,
                            "请选择代为报案的被保险人 / choose the insured you report for");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = engage_require(app, c, a, in->org_id, "claims", now, err);
    store_release(app->store, c);
    *insured = in->org_id;
    return st;
}

/* The facts of the notice, checked, into nt and the incident *out. */
static cy_status_t
notice_check(app_t *app, const actor_t *a, int64_t now, const claims_notice_in_t *in, notice_t *nt,
             claims_incident_t *out, cy_error_t *err)
{
    cy_status_t st = insured_of(app, a, now, in, &out->insured_org_id, err);
    if (st != CY_OK)
        return st;
    nt->type = claims_type_find(claims_rules(app), in->incident_type);
    if (nt->type == NULL)
        return cy_error_set(err, CY_EINVAL, in->incident_type ? "value_invalid" : "missing_field",
                            F_TYPE.key, "请选择事件类型 / choose the incident type");
    st = times_check(in, now, nt, err);
    if (st == CY_OK)
        st = claims_text(in->description, &F_DESCRIPTION, CLAIMS_TEXT_MAX, 1, err);
    if (st == CY_OK)
        st = claims_text(in->data_affected, &F_DATA, CLAIMS_SHORT_MAX, 0, err);
    if (st == CY_OK && in->n_systems > CLAIMS_MAX_SYSTEMS)
        st = cy_error_set(err, CY_EINVAL, "too_many", F_SYSTEMS.key,
                          "受影响的系统至多 %d 项 / at most %d affected systems",
                          CLAIMS_MAX_SYSTEMS, CLAIMS_MAX_SYSTEMS);
    for (size_t i = 0; st == CY_OK && i < in->n_systems; i++) {
        st = claims_text(in->systems[i], &F_SYSTEMS, 200, 1, err);
        if (st == CY_OK && strchr(in->systems[i], '\n') != NULL)
            st = cy_error_set(err, CY_EINVAL, "control_char", F_SYSTEMS.key,
                              "系统名称不能换行 / a system's name must be one line");
        size_t len = strlen(out->systems);
        if (st == CY_OK && len + strlen(in->systems[i]) + 2 > sizeof out->systems)
            st = cy_error_set(err, CY_EINVAL, "too_long", F_SYSTEMS.key,
                              "受影响的系统过长 / the affected systems are too long");
        if (st == CY_OK)
            snprintf(out->systems + len, sizeof out->systems - len, "%s%s", len ? "\n" : "",
                     in->systems[i]);
    }
    if (st == CY_OK)
        st = estimates_check(in, nt, err);
    out->reported_by_org_id = a->org_id;
    out->reported_by_user_id = a->user_id;
    claims_copy(out->incident_type, sizeof out->incident_type, nt->type->code);
    if (in->occurred_at != NULL)
        utc_format_iso(nt->occurred, out->occurred_at);
    utc_format_iso(nt->discovered, out->discovered_at);
    utc_format_iso(nt->reported, out->reported_at);
    claims_copy(out->description, sizeof out->description, in->description);
    claims_copy(out->data_affected, sizeof out->data_affected, in->data_affected);
    utc_format_iso(now, out->created_at);
    return st;
}

/* Why no policy answers: none at all, all of them later, or none around the loss. */
static cy_status_t
no_policy(const claims_policy_t *ps, size_t n, const notice_t *nt, cy_error_t *err)
{
    if (n == 0)
        return cy_error_set(err, CY_EINVAL, "not_insured", F_ORG.key,
                            "本单位没有在本平台投保的保单，无法报案 / your organisation holds no "
                            "policy on this platform: there is nothing to claim under");
    char when[32], from[32];
    bjtime_format(nt->occurred, when);
    const claims_policy_t *first = &ps[n - 1]; /* newest first: the last is the oldest */
    bjtime_format(first->liab.start, from);
    if (liability_period(&first->liab, nt->occurred, nt->reported) == LIAB_BEFORE_PERIOD)
        return cy_error_set(err, CY_EINVAL, "before_period", nt->loss_field->key,
                            "损失发生于 %s，早于保单 %s 的保险期间（自 %s 起） / the loss at %s "
                            "is before the period of policy %s (from %s)",
                            when, first->policy_no, from, when, first->policy_no, from);
    return cy_error_set(err, CY_EINVAL, "outside_policy", nt->loss_field->key,
                        "损失发生于 %s，不在本单位任何保单的保险期间内 / the loss at %s falls "
                        "within the period of none of your policies",
                        when, when);
}

/* Whether policy id was chosen (no choice: every policy that answers). */
static int
chosen(const claims_notice_in_t *in, int64_t id)
{
    if (in->policy_ids == NULL)
        return 1;
    for (size_t i = 0; i < in->n_policy_ids; i++)
        if (in->policy_ids[i] == id)
            return 1;
    return 0;
}

static cy_status_t
choice_check(const claims_notice_in_t *in, const claims_incident_t *out, cy_error_t *err)
{
    if (in->policy_ids != NULL && in->n_policy_ids == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "policy_ids",
                            "请至少选择一张保单 / choose at least one policy");
    for (size_t i = 0; i < in->n_policy_ids; i++) {
        size_t k = 0;
        while (k < out->n_policies && out->policies[k].policy_id != in->policy_ids[i])
            k++;
        char key[40];
        snprintf(key, sizeof key, "policy_ids[%zu]", i);
        if (k == out->n_policies)
            return cy_error_set(err, CY_EINVAL, "policy_unknown", key,
                                "保单 %" PRId64 " 不是本单位的保单 / policy %" PRId64
                                " is not one of your policies",
                                in->policy_ids[i], in->policy_ids[i]);
        if (!out->policies[k].answers)
            return cy_error_set(err, CY_EINVAL, "policy_not_answering", key,
                                "保单 %s 的保险期间不承保这次损失 / the period of policy %s does "
                                "not answer for this loss",
                                out->policies[k].policy_no, out->policies[k].policy_no);
    }
    return CY_OK;
}

/*
 * An estimate on a coverage none of the policies claimed under insures is
 * refused; only names the one policy ("" when several).
 */
static cy_status_t
estimates_insured(const claims_notice_in_t *in, uint32_t insured, const char *only, cy_error_t *err)
{
    for (size_t i = 0; i < in->n_estimates; i++) {
        int cov = cov_find(in->estimates[i].coverage);
        if (insured & (1u << cov))
            continue;
        char key[48];
        snprintf(key, sizeof key, "estimates[%zu].coverage", i);
        if (only[0])
            return cy_error_set(err, CY_EINVAL, "coverage_not_insured", key,
                                "保单 %s 不承保%s / policy %s does not insure %s", only,
                                cov_name_zh(cov), only, cov_name_en(cov));
        return cy_error_set(err, CY_EINVAL, "coverage_not_insured", key,
                            "所报保单均不承保%s / none of the policies insures %s",
                            cov_name_zh(cov), cov_name_en(cov));
    }
    return CY_OK;
}

/*
 * The policies that answer for the loss before the others (each group in its
 * order, newest first), so that the CLAIMS_MAX_POLICIES the notice shows
 * include every one that answers however many the insured holds.
 */
static void
answering_first(claims_policy_t *ps, size_t n, const notice_t *nt)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (liability_period(&ps[i].liab, nt->occurred, nt->reported) != LIAB_IN_PERIOD)
            continue;
        claims_policy_t p = ps[i];
        memmove(&ps[k + 1], &ps[k], (i - k) * sizeof *ps);
        ps[k++] = p;
    }
}

/*
 * The insured's policies as the notice shows them (newest first, at most
 * CLAIMS_MAX_POLICIES), which answer for the loss and the notice check of
 * each; the insured coverages of those answering and chosen into *insured.
 */
static cy_status_t
policies_find(app_t *app, const claims_notice_in_t *in, const notice_t *nt, claims_incident_t *out,
              claims_policy_t *ps, size_t *n, cy_error_t *err)
{
    cy_status_t st = claims_policies_of(app, out->insured_org_id, nt->occurred, ps, n, err);
    if (st != CY_OK)
        return st;
    answering_first(ps, *n, nt);
    size_t answering = 0;
    for (size_t i = 0; i < *n && out->n_policies < CLAIMS_MAX_POLICIES; i++) {
        const claims_policy_t *p = &ps[i];
        claims_notice_policy_t *np = &out->policies[out->n_policies++];
        np->policy_id = p->id;
        np->insurer_org_id = p->insurer_org_id;
        claims_copy(np->policy_no, sizeof np->policy_no, p->policy_no);
        claims_copy(np->insurer_name, sizeof np->insurer_name, p->insurer_name);
        claims_copy(np->period_start, sizeof np->period_start, p->period_start);
        claims_copy(np->period_end, sizeof np->period_end, p->period_end);
        claims_copy(np->trigger, sizeof np->trigger, p->trigger);
        claims_copy(np->retro_date, sizeof np->retro_date, p->retro_date);
        np->answers = liability_period(&p->liab, nt->occurred, nt->reported) == LIAB_IN_PERIOD;
        liab_check_t lines[2];
        size_t k = 0;
        liability_trigger(&p->liab, nt->occurred, nt->reported, lines, &k);
        /* the line that fails, else the first */
        np->trigger_check = k == 2 && lines[0].mark == LIAB_PASS ? lines[1] : lines[0];
        liability_notice(&p->liab, nt->discovered, nt->reported, &np->notice_check);
        answering += np->answers;
    }
    if (answering == 0)
        return no_policy(ps, *n, nt, err);
    st = choice_check(in, out, err);
    uint32_t insured = 0;
    const char *only = NULL;
    for (size_t i = 0; i < out->n_policies; i++) {
        if (!out->policies[i].answers || !chosen(in, out->policies[i].policy_id))
            continue;
        only = only ? "" : ps[i].policy_no;
        insured |= ps[i].liab.insured;
    }
    return st == CY_OK ? estimates_insured(in, insured, only, err) : st;
}

/* The claim of the notice on policy p, as it is stored. */
static void
claim_of(const claims_incident_t *inc, const claims_policy_t *p, const notice_t *nt, int late,
         claims_claim_t *cl)
{
    memset(cl, 0, sizeof *cl);
    cl->incident_id = inc->id;
    cl->policy_id = p->id;
    claims_copy(cl->policy_no, sizeof cl->policy_no, p->policy_no);
    cl->insurer_org_id = p->insurer_org_id;
    cl->insured_org_id = inc->insured_org_id;
    claims_copy(cl->region, sizeof cl->region, p->region);
    cl->section = p->section;
    claims_copy(cl->status, sizeof cl->status, "notified");
    cl->notice_late = late;
    cl->settled_amount = -1;
    for (int k = 0; k < COV_N; k++) {
        int on = nt->estimates[k] >= 0 && (p->liab.insured & (1u << k));
        cl->estimates[k] = on ? nt->estimates[k] : -1;
        cl->estimate_total += on ? nt->estimates[k] : 0;
    }
    claims_copy(cl->notified_at, sizeof cl->notified_at, inc->created_at);
}

/* One claim of the notice on policy p, inside c; np gets its id and number. */
static cy_status_t
claim_open(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const claims_incident_t *inc,
           const claims_policy_t *p, const notice_t *nt, claims_notice_policy_t *np,
           cy_error_t *err)
{
    claims_limit_t lim;
    cy_status_t st = claims_limit_lock(c, p->id, inc->created_at, &lim, err);
    char first_no[CLAIMS_NO_MAX] = "", first_at[32] = "";
    int64_t first = 0;
    if (st == CY_OK)
        st = claims_claim_of(c, inc->id, p->id, &first, first_no, first_at, err);
    if (st == CY_OK && first > 0)
        return cy_error_set(err, CY_ECONFLICT, "duplicate_notice", F_DISCOVERED.key,
                            "该事件已于 %s 就保单 %s 报案，理赔号 %s（第 %" PRId64
                            " 号） / this incident was already reported on policy %s at %s: "
                            "claim %s (id %" PRId64 ")",
                            first_at, p->policy_no, first_no, first, p->policy_no, first_at,
                            first_no, first);
    claims_claim_t cl;
    claim_of(inc, p, nt, np->notice_check.mark != LIAB_PASS, &cl);
    lim.claims++;
    snprintf(cl.claim_no, sizeof cl.claim_no, "%s-C%02d", p->policy_no, lim.claims);
    if (st == CY_OK)
        st = claims_claim_insert(c, &cl, err);
    if (st == CY_OK)
        st = claims_estimates_write(c, cl.id, cl.estimates, err);
    if (st == CY_OK)
        st = claims_limit_write(c, p->id, &lim, inc->created_at, err);
    if (st == CY_OK)
        st = claims_step(c, a, now, &cl, "claim.notify", "notified", "", err,
                         "报案：%s，发现于 %s / reported: %s, discovered %s", nt->type->name_zh,
                         inc->discovered_at, nt->type->name_en, inc->discovered_at);
    char zh[512], en[512];
    snprintf(zh, sizeof zh, "保单 %s 的被保险人报案（%s），理赔号 %s", p->policy_no,
             nt->type->name_zh, cl.claim_no);
    snprintf(en, sizeof en, "the insured of policy %s reported a claim (%s): %s", p->policy_no,
             nt->type->name_en, cl.claim_no);
    if (st == CY_OK)
        st = claims_notify(app, c, now, p->insurer_org_id, "claim.reported", &cl, zh, en, err);
    np->claim_id = cl.id;
    claims_copy(np->claim_no, sizeof np->claim_no, cl.claim_no);
    return st;
}

/* The incident (found again when reported before, else new) and a claim on each policy chosen. */
static cy_status_t
notice_store(app_t *app, store_conn_t *c, const actor_t *a, int64_t now,
             const claims_notice_in_t *in, const notice_t *nt, const claims_policy_t *ps,
             claims_incident_t *out, cy_error_t *err)
{
    /* the policies' limit rows first: a second notice of the same incident waits for this one */
    cy_status_t st = CY_OK;
    for (size_t i = 0; i < out->n_policies && st == CY_OK; i++) {
        claims_limit_t lim;
        if (out->policies[i].answers && chosen(in, out->policies[i].policy_id))
            st = claims_limit_lock(c, ps[i].id, out->created_at, &lim, err);
    }
    if (st == CY_OK)
        st = claims_incident_find(c, out->insured_org_id, out->incident_type, out->discovered_at,
                                  &out->id, err);
    if (st == CY_OK && out->id == 0)
        st = claims_incident_insert(c, out, err);
    for (size_t i = 0; i < out->n_policies && st == CY_OK; i++)
        if (out->policies[i].answers && chosen(in, out->policies[i].policy_id))
            st = claim_open(app, c, a, now, out, &ps[i], nt, &out->policies[i], err);
    return st;
}

cy_status_t
claims_notice(app_t *app, const actor_t *a, int64_t now, const claims_notice_in_t *in,
              claims_incident_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!a->cli && !authz_allowed(a->org_type, a->role, ACT_CLAIM_NOTIFY))
        return app_forbidden(err, ACT_CLAIM_NOTIFY);
    notice_t nt;
    cy_status_t st = notice_check(app, a, now, in, &nt, out, err);
    claims_policy_t *ps = calloc(CLAIMS_POLICIES_SEEN, sizeof *ps);
    size_t n = 0;
    if (st == CY_OK && ps == NULL)
        st = cy_error_no_memory(err);
    if (st == CY_OK)
        st = policies_find(app, in, &nt, out, ps, &n, err);
    if (st != CY_OK || in->preview) {
        free(ps);
        return st;
    }
    store_conn_t *c;
    if ((st = store_tx_open(app->store, &c, err)) == CY_OK) {
        st = notice_store(app, c, a, now, in, &nt, ps, out, err);
        st = store_tx_close(app->store, c, st, err);
    }
    free(ps);
    if (st != CY_OK)
        for (size_t i = 0; i < out->n_policies; i++)
            out->policies[i].claim_id = 0;
    return st;
}

/* ---------- incidents as their parties read them ---------- */

static int
incident_visible(const actor_t *a, const claims_incident_t *i)
{
    if (a->cli || authz_sees_all(a->org_type) || a->org_id == i->insured_org_id ||
        a->org_id == i->reported_by_org_id)
        return 1;
    for (size_t k = 0; k < i->n_policies; k++)
        if (i->policies[k].insurer_org_id == a->org_id)
            return 1;
    return 0;
}

cy_status_t
claims_incident_get(app_t *app, const actor_t *a, int64_t now, int64_t id, claims_incident_t *out,
                    cy_error_t *err)
{
    (void)now;
    memset(out, 0, sizeof *out);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    st = claims_incident_read(c, id, out, &found, err);
    if (st == CY_OK && found)
        st = claims_incident_claims(c, out, err);
    store_release(app->store, c);
    if (st == CY_OK && (!found || !incident_visible(a, out)))
        st = app_not_found(err, "事件", "incident", id);
    if (st == CY_OK && !a->cli && !authz_allowed(a->org_type, a->role, ACT_CLAIM_READ))
        st = app_forbidden(err, ACT_CLAIM_READ);
    return st;
}

cy_status_t
claims_incident_list(app_t *app, const actor_t *a, int64_t now, const app_page_t *pg,
                     claims_incident_list_t *out, cy_error_t *err)
{
    (void)now;
    memset(out, 0, sizeof *out);
    if (!a->cli && !authz_allowed(a->org_type, a->role, ACT_CLAIM_READ))
        return app_forbidden(err, ACT_CLAIM_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = claims_incident_list_read(c, a, pg, out, err);
    store_release(app->store, c);
    if (st != CY_OK)
        claims_incident_list_free(out);
    return st;
}

void
claims_incident_free(claims_incident_t *i)
{
    (void)i; /* nothing of its own is allocated */
}

void
claims_incident_list_free(claims_incident_list_t *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}
