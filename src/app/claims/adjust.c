/*
 * adjust.c — liability (定责) and loss adjustment (定损, claims.h): the
 * insurer decides liability with core/liability on the policy's terms at the
 * loss, the wording's exclusions and the insured's known vulnerabilities,
 * and records the line items per coverage. Use-case file.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "core/money.h"

static cy_status_t
open_refusal(const claims_claim_t *cl, cy_error_t *err)
{
    if (strcmp(cl->status, "closed") == 0)
        return cy_error_set(err, CY_ECONFLICT, "claim_closed", "status",
                            "理赔已结案，请先重开 / the claim is closed: reopen it first");
    if (cl->settled_amount >= 0)
        return cy_error_set(err, CY_ECONFLICT, "claim_settled", "status",
                            "理赔已理算，定责定损不能再改 / the claim is settled: liability and "
                            "the line items no longer change");
    return CY_OK;
}

/* The moment the loss happened: when it occurred if known, else its discovery. */
static int64_t
loss_time(const claims_claim_t *cl)
{
    return app_iso_to_time(cl->occurred_at[0] ? cl->occurred_at : cl->discovered_at);
}

/* A CVE id: "CVE-", four digits, "-", four or more digits. */
static int
cve_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 13 || n > 31 || strncmp(s, "CVE-", 4) != 0 || s[8] != '-')
        return 0;
    for (size_t i = 4; i < n; i++)
        if (i != 8 && !isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static cy_status_t
liability_in_check(const claims_liability_in_t *in, cy_error_t *err)
{
    static const claims_field_t fn = {"note", "定责说明", "the note"};
    if (in->n_exploited > CLAIMS_MAX_EXPLOITED)
        return cy_error_set(err, CY_EINVAL, "too_many", "exploited",
                            "被利用漏洞至多 %d 个 / at most %d exploited vulnerabilities",
                            CLAIMS_MAX_EXPLOITED, CLAIMS_MAX_EXPLOITED);
    for (size_t i = 0; i < in->n_exploited; i++) {
        if (cve_valid(in->exploited[i]))
            continue;
        char key[32];
        snprintf(key, sizeof key, "exploited[%zu]", i);
        return cy_error_set(err, CY_EINVAL, "cve_invalid", key,
                            "应为 CVE 编号（如 CVE-2024-3400） / must be a CVE id (e.g. "
                            "CVE-2024-3400)");
    }
    return claims_text(in->note, &fn, 1000, 0, err);
}

/* The coverages claimed: the line items', else the first estimates'. */
static uint32_t
claimed_of(const claims_claim_t *cl)
{
    uint32_t m = 0;
    for (size_t i = 0; i < cl->n_line_items; i++)
        m |= 1u << cl->line_items[i].cov;
    if (m != 0)
        return m;
    for (int k = 0; k < COV_N; k++)
        if (cl->estimates[k] >= 0)
            m |= 1u << k;
    return m;
}

static const char *
outcome_zh(liab_outcome_t o)
{
    return o == LIAB_COVERED ? "予以赔付" : o == LIAB_PARTLY ? "部分赔付" : "拒赔";
}

/* The decision on cl as facts and the policy say, into l. */
static cy_status_t
decide(const app_t *app, const claims_claim_t *cl, const claims_policy_t *pol,
       const claims_liability_in_t *in, const liab_vuln_t *known, size_t n_known,
       claims_liability_t *l, liab_decision_t *d, cy_error_t *err)
{
    const claims_data_t *data = claims_rules(app);
    const claims_incident_type_t *type = claims_type_find(data, cl->incident_type);
    liab_facts_t f = {
        .occurred = loss_time(cl),
        .discovered = app_iso_to_time(cl->discovered_at),
        .reported = app_iso_to_time(cl->reported_at),
        .type_zh = type ? type->name_zh : cl->incident_type,
        .type_en = type ? type->name_en : cl->incident_type,
        .claimed = claimed_of(cl),
        .peril = type ? type->perils : 0,
        .war = in->war,
        .infrastructure = in->infrastructure,
        .intentional = in->intentional,
        .exploited = in->exploited,
        .n_exploited = in->n_exploited,
        .known = known,
        .n_known = n_known,
    };
    cy_status_t st = liability_decide(&pol->liab, data->exclusions, data->n_exclusions, &f, d, err);
    if (st != CY_OK)
        return st;
    claims_copy(l->outcome, sizeof l->outcome, liab_outcome_code(d->outcome));
    l->responding = d->responding;
    l->war = in->war;
    l->infrastructure = in->infrastructure;
    l->intentional = in->intentional;
    for (size_t i = 0; i < in->n_exploited; i++)
        claims_copy(l->exploited[i], sizeof l->exploited[i], in->exploited[i]);
    l->n_exploited = in->n_exploited;
    snprintf(l->rules_version, sizeof l->rules_version, "%s/%s", data->rules_version,
             data->excl_version);
    claims_copy(l->note, sizeof l->note, in->note);
    l->checks = d->checks;
    l->n_checks = d->n;
    return CY_OK;
}

/* The policy at the loss and the insured's known vulnerabilities, read before the transaction. */
static cy_status_t
liability_inputs(app_t *app, const actor_t *a, int64_t now, int64_t id, claims_policy_t *pol,
                 liab_vuln_t **known, char (**cves)[32], size_t *n_known, cy_error_t *err)
{
    claims_claim_t cl;
    cy_status_t st = claims_peek(app, a, id, ACT_CLAIM_ADJUST, PARTY_INSURER, &cl, err);
    if (st == CY_OK)
        st = claims_policy_at(app, a, cl.policy_id, loss_time(&cl), pol, err);
    if (st == CY_OK)
        st = claims_known_vulns(app, a, now, pol->assessment_id, known, cves, n_known, err);
    claims_claim_free(&cl);
    return st;
}

cy_status_t
claims_liability(app_t *app, const actor_t *a, int64_t now, int64_t id,
                 const claims_liability_in_t *in, claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    claims_policy_t pol;
    liab_vuln_t *known = NULL;
    char(*cves)[32] = NULL;
    size_t n_known = 0;
    cy_status_t st = liability_in_check(in, err);
    if (st == CY_OK)
        st = liability_inputs(app, a, now, id, &pol, &known, &cves, &n_known, err);
    liab_decision_t *d = calloc(1, sizeof *d);
    if (st == CY_OK && d == NULL)
        st = cy_error_no_memory(err);
    store_conn_t *c = NULL;
    if (st == CY_OK)
        st = store_tx_open(app->store, &c, err);
    if (c == NULL) {
        free(known), free(cves), free(d);
        return st;
    }
    claims_claim_t cl;
    claims_party_t party;
    claims_liability_t l = {.decided_by = a->user_id};
    utc_format_iso(now, l.decided_at);
    st = claims_enter(c, a, now, id, ACT_CLAIM_ADJUST, PARTY_INSURER, &cl, &party, err);
    if (st == CY_OK)
        st = open_refusal(&cl, err);
    if (st == CY_OK)
        st = claims_line_items_read(c, &cl, err);
    if (st == CY_OK)
        st = decide(app, &cl, &pol, in, known, n_known, &l, d, err);
    if (st == CY_OK)
        st = claims_liability_insert(c, cl.id, &l, err);
    claims_copy(cl.liability_outcome, sizeof cl.liability_outcome, l.outcome);
    int moves = !strcmp(cl.status, "notified") || !strcmp(cl.status, "responding");
    if (st == CY_OK)
        st = claims_step(c, a, now, &cl, "claim.liability", moves ? "adjusting" : NULL, "", err,
                         "定责：%s / liability: %s", outcome_zh(d->outcome),
                         liab_outcome_code(d->outcome));
    claims_claim_free(&cl);
    st = store_tx_close(app->store, c, st, err);
    free(known), free(cves), free(d);
    return claims_after(app, a, now, id, st, out, err);
}

/* ---------- line items ---------- */

static cy_status_t
line_item_of(const claims_line_item_in_t *in, claims_line_item_t *li, cy_error_t *err)
{
    static const claims_field_t fc = {"coverage", "险种", "the coverage"};
    static const claims_field_t fd = {"description", "明细说明", "the description"};
    static const claims_field_t fo = {"documents", "单证", "the documents"};
    cy_status_t st = claims_coverage(in->coverage, &fc, &li->cov, err);
    if (st == CY_OK)
        st = claims_text(in->description, &fd, 500, 1, err);
    if (st == CY_OK)
        st = claims_text(in->documents, &fo, 1000, 0, err);
    loss_item_t it = {li->cov, in->amount, in->outage_minutes, in->hourly_gross_profit};
    if (st == CY_OK)
        st = loss_item_check(&it, "", err);
    if (st == CY_OK)
        st = loss_item_amount(&it, &li->total, err);
    claims_copy(li->description, sizeof li->description, in->description);
    claims_copy(li->documents, sizeof li->documents, in->documents);
    li->amount = in->amount;
    li->outage_minutes = in->outage_minutes;
    li->hourly_gross_profit = in->hourly_gross_profit;
    return st;
}

/* The claim's items and the new one still add up (one outage, the engine's range). */
static cy_status_t
items_add_up(const claims_claim_t *cl, const claims_line_item_t *li, cy_error_t *err)
{
    loss_item_t *items = calloc(cl->n_line_items + 1, sizeof *items);
    if (items == NULL)
        return cy_error_no_memory(err);
    for (size_t i = 0; i < cl->n_line_items; i++) {
        const claims_line_item_t *x = &cl->line_items[i];
        items[i] = (loss_item_t){x->cov, x->amount, x->outage_minutes, x->hourly_gross_profit};
    }
    items[cl->n_line_items] =
        (loss_item_t){li->cov, li->amount, li->outage_minutes, li->hourly_gross_profit};
    loss_sum_t sum;
    cy_status_t st = loss_sum(items, cl->n_line_items + 1, COV_ALL_MASK, &sum, err);
    free(items);
    return st;
}

cy_status_t
claims_line_item_add(app_t *app, const actor_t *a, int64_t now, int64_t id,
                     const claims_line_item_in_t *in, claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    claims_line_item_t li = {.created_by = a->user_id};
    utc_format_iso(now, li.created_at);
    cy_status_t st = line_item_of(in, &li, err);
    claims_claim_t cl;
    claims_policy_t pol;
    if (st == CY_OK)
        st = claims_peek(app, a, id, ACT_CLAIM_ADJUST, PARTY_INSURER, &cl, err);
    if (st == CY_OK)
        st = claims_policy_at(app, a, cl.policy_id, loss_time(&cl), &pol, err);
    if (st == CY_OK && !(pol.liab.insured & (1u << li.cov)))
        st = cy_error_set(err, CY_EINVAL, "coverage_not_insured", "coverage",
                          "保单 %s 不承保%s / policy %s does not insure %s", pol.policy_no,
                          cov_name_zh(li.cov), pol.policy_no, cov_name_en(li.cov));
    if (st != CY_OK)
        return st;
    store_conn_t *c;
    if ((st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_party_t party;
    st = claims_enter(c, a, now, id, ACT_CLAIM_ADJUST, PARTY_INSURER, &cl, &party, err);
    if (st == CY_OK)
        st = open_refusal(&cl, err);
    if (st == CY_OK)
        st = claims_line_items_read(c, &cl, err);
    if (st == CY_OK)
        st = items_add_up(&cl, &li, err);
    if (st == CY_OK)
        st = claims_line_item_insert(c, cl.id, &li, err);
    char amt[MONEY_FORMAT_MAX];
    money_format(li.total, amt, sizeof amt);
    int moves = !strcmp(cl.status, "notified") || !strcmp(cl.status, "responding");
    if (st == CY_OK)
        st = claims_step(c, a, now, &cl, "claim.line_item", moves ? "adjusting" : NULL, "", err,
                         "定损明细：%s %s（%s） / line item: %s %s (%s)", cov_name_zh(li.cov), amt,
                         li.description, cov_name_en(li.cov), amt, li.description);
    claims_claim_free(&cl);
    st = store_tx_close(app->store, c, st, err);
    return claims_after(app, a, now, id, st, out, err);
}

cy_status_t
claims_line_item_delete(app_t *app, const actor_t *a, int64_t now, int64_t id, int64_t item_id,
                        claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    claims_claim_t cl;
    claims_party_t party;
    int found = 0;
    st = claims_enter(c, a, now, id, ACT_CLAIM_ADJUST, PARTY_INSURER, &cl, &party, err);
    if (st == CY_OK)
        st = open_refusal(&cl, err);
    if (st == CY_OK)
        st = claims_line_item_remove(c, cl.id, item_id, &found, err);
    if (st == CY_OK && !found)
        st = app_not_found(err, "定损明细", "line item", item_id);
    if (st == CY_OK)
        st = claims_step(c, a, now, &cl, "claim.line_item", NULL, "", err,
                         "删除定损明细 %lld / line item %lld removed", (long long)item_id,
                         (long long)item_id);
    st = store_tx_close(app->store, c, st, err);
    return claims_after(app, a, now, id, st, out, err);
}
