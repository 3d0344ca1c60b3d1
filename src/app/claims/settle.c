/*
 * settle.c — the settlement (理算, claims.h): the line items on the
 * coverages liability found responding go through terms_apply, the one
 * terms engine the portfolio simulation uses, with the policy's terms at the
 * loss and what the policy year's aggregate limit has left; its trace is
 * stored line by line. The limit's row is locked for the transaction, so
 * two settlements on one policy take turns and never spend the same limit.
 * Use-case file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "core/money.h"

static const char *
rule_code(terms_rule_t r)
{
    static const char *const CODES[] = {
        [TERMS_RULE_LOSS] = "loss",
        [TERMS_RULE_NOT_COVERED] = "not_covered",
        [TERMS_RULE_WAITING] = "waiting",
        [TERMS_RULE_RETENTION] = "retention",
        [TERMS_RULE_COINSURANCE] = "coinsurance",
        [TERMS_RULE_SUBLIMIT] = "sublimit",
        [TERMS_RULE_AGGREGATE] = "aggregate",
        [TERMS_RULE_TOTAL] = "total",
    };
    return CODES[r];
}

/* Lines for what liability declined, before the engine's: their amounts are not paid. */
static void
declined_lines(const loss_sum_t *sum, uint32_t responding, claims_settlement_t *s)
{
    for (int k = 0; k < COV_N; k++) {
        if (!(sum->claimed_mask & (1u << k)) || (responding & (1u << k)))
            continue;
        claims_trace_line_t *l = &s->lines[s->n_lines++];
        char amt[MONEY_FORMAT_MAX];
        money_format(sum->declined[k], amt, sizeof amt);
        claims_copy(l->rule, sizeof l->rule, "declined");
        l->cov = k;
        l->before = sum->declined[k];
        l->after = 0;
        snprintf(l->text, sizeof l->text,
                 "定责不承保：%s %s 不予赔付 / declined by liability: %s %s is not paid",
                 cov_name_zh(k), amt, cov_name_en(k), amt);
    }
}

/* The settlement of the items of cl under pol, with lim the policy year so far, into *s. */
static cy_status_t
compute(const claims_claim_t *cl, const claims_policy_t *pol, uint32_t responding,
        const claims_limit_t *lim, claims_settlement_t *s, cy_error_t *err)
{
    loss_item_t items[64];
    if (cl->n_line_items > sizeof items / sizeof items[0])
        return cy_error_set(err, CY_EINVAL, "too_many", "line_items",
                            "定损明细至多 64 项 / at most 64 line items");
    for (size_t i = 0; i < cl->n_line_items; i++) {
        const claims_line_item_t *x = &cl->line_items[i];
        items[i] = (loss_item_t){x->cov, x->amount, x->outage_minutes, x->hourly_gross_profit};
    }
    loss_sum_t sum;
    cy_status_t st = loss_sum(items, cl->n_line_items, responding, &sum, err);
    if (st != CY_OK)
        return st;
    const terms_t *t = &pol->terms;
    int64_t left = t->aggregate_limit - lim->eroded;
    terms_state_t year = {left > 0 ? left : 0, lim->eroded, (uint32_t)lim->settlements};
    s->lines = calloc(COV_N + TERMS_TRACE_MAX_LINES, sizeof *s->lines);
    terms_trace_line_t *tl = calloc(TERMS_TRACE_MAX_LINES, sizeof *tl);
    if (s->lines == NULL || tl == NULL) {
        free(tl);
        return cy_error_no_memory(err);
    }
    declined_lines(&sum, responding, s);
    terms_trace_t tr = {tl, TERMS_TRACE_MAX_LINES, 0};
    terms_payout_t pay;
    s->aggregate_before = year.aggregate_remaining;
    st = terms_apply(t, &sum.loss, &year, &pay, &tr, err);
    for (size_t i = 0; st == CY_OK && i < tr.n; i++) {
        claims_trace_line_t *l = &s->lines[s->n_lines++];
        claims_copy(l->rule, sizeof l->rule, rule_code(tl[i].rule));
        l->cov = tl[i].cov;
        l->before = tl[i].before;
        l->after = tl[i].after;
        claims_copy(l->text, sizeof l->text, tl[i].text);
    }
    free(tl);
    s->aggregate_limit = t->aggregate_limit;
    s->retention = t->retention;
    s->bi_waiting_hours = (int)t->bi_waiting_hours;
    s->aggregate_after = year.aggregate_remaining;
    s->claimed_total = sum.claimed_total;
    s->declined_total = sum.declined_total;
    s->ground_up_total = pay.ground_up_total;
    s->waiting = pay.waiting;
    s->retained = pay.retained;
    s->paid_total = pay.paid_total;
    return st;
}

/* What must hold before a settlement: open, unsettled, liability not declined, items. */
static cy_status_t
ready(store_conn_t *c, claims_claim_t *cl, cy_error_t *err)
{
    if (strcmp(cl->status, "closed") == 0)
        return cy_error_set(err, CY_ECONFLICT, "claim_closed", "status",
                            "理赔已结案，请先重开 / the claim is closed: reopen it first");
    if (cl->settled_amount >= 0)
        return cy_error_set(err, CY_ECONFLICT, "claim_settled", "status",
                            "理赔已理算 / the claim is settled already");
    int found = 0;
    cy_status_t st = claims_record_read(c, &CLAIMS_LIABILITY, cl->id, &cl->liability, &found, err);
    cl->has_liability = found;
    if (st == CY_OK && !found)
        return cy_error_set(err, CY_EINVAL, "liability_first", "liability",
                            "请先定责 / decide liability first");
    if (st == CY_OK && strcmp(cl->liability.outcome, "declined") == 0)
        return cy_error_set(err, CY_EINVAL, "liability_declined", "liability",
                            "定责结论为拒赔，无可理算的赔款 / liability was declined: there is "
                            "nothing to settle");
    if (st == CY_OK)
        st = claims_line_items_read(c, cl, err);
    if (st == CY_OK && cl->n_line_items == 0)
        return cy_error_set(err, CY_EINVAL, "no_line_items", "line_items",
                            "请先录入定损明细 / add the line items first");
    return st;
}

/* The settlement stored, the limit eroded, the claim settled with its reserve, inside c. */
static cy_status_t
record(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, claims_claim_t *cl,
       claims_limit_t *lim, claims_settlement_t *s, cy_error_t *err)
{
    cy_status_t st = claims_settlement_insert(c, cl->id, s, err);
    lim->eroded += s->paid_total;
    lim->settlements++;
    if (st == CY_OK)
        st = claims_limit_write(c, cl->policy_id, lim, s->settled_at, err);
    cl->settled_amount = s->paid_total;
    claims_copy(cl->settled_at, sizeof cl->settled_at, s->settled_at);
    claims_reserve_t r = {.amount = s->paid_total > cl->paid ? s->paid_total - cl->paid : 0,
                          .user_id = a->user_id};
    claims_copy(r.reason, sizeof r.reason, "理算后未付赔款 / unpaid after the settlement");
    claims_copy(r.at, sizeof r.at, s->settled_at);
    cl->reserve = r.amount;
    if (st == CY_OK)
        st = claims_table_insert(c, &CLAIMS_RESERVES, cl->id, &r, err);
    char paid[MONEY_FORMAT_MAX], left[MONEY_FORMAT_MAX];
    money_format(s->paid_total, paid, sizeof paid);
    money_format(s->aggregate_after, left, sizeof left);
    if (st == CY_OK)
        st = claims_step(c, a, now, cl, "claim.settle", "settled", "", err,
                         "理算赔款 %s，保单年度累计赔偿限额余额 %s / settled %s, the policy "
                         "year's aggregate limit has %s left",
                         paid, left, paid, left);
    char zh[256], en[256];
    snprintf(zh, sizeof zh, "理赔 %s 已理算，赔款 %s", cl->claim_no, paid);
    snprintf(en, sizeof en, "claim %s is settled: %s payable", cl->claim_no, paid);
    if (st == CY_OK)
        st = claims_notify(app, c, now, cl->insured_org_id, "claim.settled", cl, zh, en, err);
    return st;
}

cy_status_t
claims_settle(app_t *app, const actor_t *a, int64_t now, int64_t id, const claims_settle_in_t *in,
              claims_settlement_t *preview, claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    claims_claim_t cl;
    claims_policy_t pol;
    cy_status_t st = claims_peek(app, a, id, ACT_CLAIM_SETTLE, PARTY_INSURER, &cl, err);
    int64_t at = app_iso_to_time(cl.occurred_at[0] ? cl.occurred_at : cl.discovered_at);
    if (st == CY_OK)
        st = claims_policy_at(app, a, cl.policy_id, at, &pol, err);
    store_conn_t *c;
    if (st != CY_OK || (st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_party_t party;
    claims_limit_t lim;
    claims_settlement_t s = {.settled_by = a->user_id};
    utc_format_iso(now, s.settled_at);
    st = claims_enter(c, a, now, id, ACT_CLAIM_SETTLE, PARTY_INSURER, &cl, &party, err);
    if (st == CY_OK)
        st = ready(c, &cl, err);
    if (st == CY_OK)
        st = claims_limit_lock(c, cl.policy_id, s.settled_at, &lim, err);
    if (st == CY_OK)
        st = compute(&cl, &pol, cl.liability.responding, &lim, &s, err);
    if (st == CY_OK && in->preview) {
        store_tx_close(app->store, c, CY_ECONFLICT, err); /* rolled back: nothing is stored */
        claims_claim_free(&cl);
        *preview = s;
        return CY_OK;
    }
    if (st == CY_OK)
        st = record(app, c, a, now, &cl, &lim, &s, err);
    claims_settlement_free(&s);
    claims_claim_free(&cl);
    st = store_tx_close(app->store, c, st, err);
    return claims_after(app, a, now, id, st, out, err);
}
