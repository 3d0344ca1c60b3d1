/*
 * money.c — case reserves, payments (never above what is left of the
 * settled amount), recoveries, and closing and reopening a claim
 * (claims.h). Each is one transaction on the locked claim with its reserve
 * history, timeline entry and audit entry. Use-case file.
 */
#include <stdio.h>
#include <string.h>

#include "app/claims/internal.h"
#include "core/bjtime.h"
#include "core/money.h"

static cy_status_t
not_closed(const claims_claim_t *cl, cy_error_t *err)
{
    if (strcmp(cl->status, "closed") != 0)
        return CY_OK;
    return cy_error_set(err, CY_ECONFLICT, "claim_closed", "status",
                        "理赔已结案，请先重开 / the claim is closed: reopen it first");
}

/* A reserve of amount set at now inside c, and on the claim. */
static cy_status_t
reserve_set(store_conn_t *c, const actor_t *a, int64_t now, claims_claim_t *cl, int64_t amount,
            const char *reason, cy_error_t *err)
{
    claims_reserve_t r = {.amount = amount, .user_id = a->user_id};
    claims_copy(r.reason, sizeof r.reason, reason);
    utc_format_iso(now, r.at);
    cl->reserve = amount;
    return claims_table_insert(c, &CLAIMS_RESERVES, cl->id, &r, err);
}

/* The claim id locked for act by its insurer, and open. */
static cy_status_t
enter_open(store_conn_t *c, const actor_t *a, int64_t now, int64_t id, authz_action_t act,
           claims_claim_t *cl, cy_error_t *err)
{
    claims_party_t party;
    cy_status_t st = claims_enter(c, a, now, id, act, PARTY_INSURER, cl, &party, err);
    return st == CY_OK ? not_closed(cl, err) : st;
}

cy_status_t
claims_reserve(app_t *app, const actor_t *a, int64_t now, int64_t id, const claims_reserve_in_t *in,
               claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    static const claims_field_t fa = {"amount", "准备金金额", "the reserve"};
    static const claims_field_t fr = {"reason", "调整原因", "the reason"};
    cy_status_t st = claims_amount(in->amount, &fa, 0, TERMS_AMOUNT_MAX, err);
    if (st == CY_OK)
        st = claims_text(in->reason, &fr, 500, 1, err);
    store_conn_t *c;
    if (st != CY_OK || (st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_claim_t cl;
    st = enter_open(c, a, now, id, ACT_CLAIM_ADJUST, &cl, err);
    if (st == CY_OK)
        st = reserve_set(c, a, now, &cl, in->amount, in->reason, err);
    char amt[MONEY_FORMAT_MAX];
    money_format(in->amount, amt, sizeof amt);
    if (st == CY_OK)
        st = claims_step(c, a, now, &cl, "claim.reserve", NULL, "", err,
                         "未决赔款准备金 %s：%s / case reserve %s: %s", amt, in->reason, amt,
                         in->reason);
    st = store_tx_close(app->store, c, st, err);
    return claims_after(app, a, now, id, st, out, err);
}

static const char *const PAYMENT_KINDS[] = {"partial", "final", NULL};

/* The payment against what is left of the settlement. */
static cy_status_t
payment_fits(const claims_claim_t *cl, const claims_payment_in_t *in, cy_error_t *err)
{
    if (cl->settled_amount < 0)
        return cy_error_set(err, CY_EINVAL, "not_settled", "amount",
                            "理赔尚未理算，不能支付 / the claim is not settled: nothing to pay "
                            "yet");
    int64_t left = cl->settled_amount - cl->paid;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
    money_format(in->amount, a, sizeof a);
    money_format(left, b, sizeof b);
    if (in->amount > left)
        return cy_error_set(err, CY_EINVAL, "payment_above_settled", "amount",
                            "支付金额 %s 超过理算赔款中尚未支付的 %s / the payment of %s is more "
                            "than the %s of the settlement still unpaid",
                            a, b, a, b);
    if (strcmp(in->kind, "final") == 0 && in->amount != left)
        return cy_error_set(err, CY_EINVAL, "final_not_remaining", "amount",
                            "最终支付应等于尚未支付的 %s / a final payment pays the %s still "
                            "unpaid",
                            b, b);
    return CY_OK;
}

cy_status_t
claims_pay(app_t *app, const actor_t *a, int64_t now, int64_t id, const claims_payment_in_t *in,
           claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    static const claims_field_t fk = {"kind", "支付类型", "the kind of payment"};
    static const claims_field_t fa = {"amount", "支付金额", "the amount paid"};
    static const claims_field_t fr = {"reference", "支付凭证号", "the payment reference"};
    static const claims_field_t fd = {"paid_on", "支付日期", "the payment date"};
    claims_payment_t p = {.amount = in->amount, .user_id = a->user_id};
    cy_status_t st = claims_one_of(in->kind, &fk, PAYMENT_KINDS, err);
    if (st == CY_OK)
        st = claims_amount(in->amount, &fa, 1, TERMS_AMOUNT_MAX, err);
    if (st == CY_OK)
        st = claims_text(in->reference, &fr, 100, 0, err);
    if (st == CY_OK)
        st = claims_date(in->paid_on, &fd, now, p.paid_on, err);
    store_conn_t *c;
    if (st != CY_OK || (st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_claim_t cl;
    claims_copy(p.kind, sizeof p.kind, in->kind);
    claims_copy(p.reference, sizeof p.reference, in->reference);
    utc_format_iso(now, p.at);
    st = enter_open(c, a, now, id, ACT_CLAIM_PAY, &cl, err);
    if (st == CY_OK)
        st = payment_fits(&cl, in, err);
    if (st == CY_OK)
        st = claims_table_insert(c, &CLAIMS_PAYMENTS, cl.id, &p, err);
    cl.paid += in->amount;
    if (st == CY_OK)
        st = reserve_set(c, a, now, &cl, cl.settled_amount - cl.paid,
                         "支付后尚未支付的赔款 / unpaid after a payment", err);
    char amt[MONEY_FORMAT_MAX];
    money_format(in->amount, amt, sizeof amt);
    int final = strcmp(in->kind, "final") == 0;
    if (st == CY_OK)
        st = claims_step(c, a, now, &cl, "claim.pay", NULL, "", err,
                         "%s %s（%s） / %s payment %s (%s)", final ? "最终支付" : "部分支付", amt,
                         p.paid_on, final ? "final" : "partial", amt, p.paid_on);
    st = store_tx_close(app->store, c, st, err);
    return claims_after(app, a, now, id, st, out, err);
}

static const char *const SOURCES[] = {"subrogation", "salvage", "other", NULL};
static const char *const SOURCES_ZH[] = {"代位追偿", "残值", "其他"};

cy_status_t
claims_recover(app_t *app, const actor_t *a, int64_t now, int64_t id,
               const claims_recovery_in_t *in, claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    static const claims_field_t fs = {"source", "追偿来源", "the source"};
    static const claims_field_t fc = {"counterparty", "追偿对象", "the counterparty"};
    static const claims_field_t fa = {"amount", "追回金额", "the amount recovered"};
    static const claims_field_t fd = {"received_on", "收回日期", "the date received"};
    static const claims_field_t fn = {"note", "备注", "the note"};
    claims_recovery_t r = {.amount = in->amount, .user_id = a->user_id};
    cy_status_t st = claims_one_of(in->source, &fs, SOURCES, err);
    int subrogation = st == CY_OK && strcmp(in->source, "subrogation") == 0;
    if (st == CY_OK)
        st = claims_text(in->counterparty, &fc, 200, subrogation, err);
    if (st == CY_OK)
        st = claims_amount(in->amount, &fa, 1, TERMS_AMOUNT_MAX, err);
    if (st == CY_OK)
        st = claims_date(in->received_on, &fd, now, r.received_on, err);
    if (st == CY_OK)
        st = claims_text(in->note, &fn, 500, 0, err);
    store_conn_t *c;
    if (st != CY_OK || (st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_claim_t cl;
    claims_copy(r.source, sizeof r.source, in->source);
    claims_copy(r.counterparty, sizeof r.counterparty, in->counterparty);
    claims_copy(r.note, sizeof r.note, in->note);
    utc_format_iso(now, r.at);
    st = enter_open(c, a, now, id, ACT_CLAIM_PAY, &cl, err);
    if (st == CY_OK)
        st = claims_table_insert(c, &CLAIMS_RECOVERIES, cl.id, &r, err);
    cl.recovered += in->amount;
    char amt[MONEY_FORMAT_MAX];
    money_format(in->amount, amt, sizeof amt);
    size_t k = 0;
    while (SOURCES[k + 1] != NULL && strcmp(SOURCES[k], r.source) != 0)
        k++;
    if (st == CY_OK)
        st = claims_step(c, a, now, &cl, "claim.recover", NULL, "", err,
                         "追回 %s（%s %s） / recovered %s (%s %s)", amt, SOURCES_ZH[k],
                         r.counterparty, amt, SOURCES[k], r.counterparty);
    st = store_tx_close(app->store, c, st, err);
    return claims_after(app, a, now, id, st, out, err);
}

/* Close (reopen 0) or reopen (1) claim id with its reason. */
static cy_status_t
close_or_reopen(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *reason,
                int reopen, claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    static const claims_field_t fr = {"reason", "原因", "the reason"};
    cy_status_t st = claims_text(reason, &fr, 500, 1, err);
    store_conn_t *c;
    if (st != CY_OK || (st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_claim_t cl;
    claims_party_t party;
    st = claims_enter(c, a, now, id, ACT_CLAIM_CLOSE, PARTY_INSURER, &cl, &party, err);
    int closed = st == CY_OK && strcmp(cl.status, "closed") == 0;
    if (st == CY_OK && closed != reopen)
        st = cy_error_set(err, CY_ECONFLICT, reopen ? "claim_open" : "claim_closed", "status",
                          reopen ? "理赔未结案，无需重开 / the claim is not closed"
                                 : "理赔已结案 / the claim is closed already");
    char next[16];
    claims_copy(next, sizeof next, reopen ? cl.status_before_close : "closed");
    if (next[0] == '\0')
        claims_copy(next, sizeof next, "notified");
    if (st == CY_OK && !reopen) {
        claims_copy(cl.status_before_close, sizeof cl.status_before_close, cl.status);
        utc_format_iso(now, cl.closed_at);
        st = reserve_set(c, a, now, &cl, 0, "结案 / closed", err);
    }
    if (st == CY_OK && reopen)
        cl.closed_at[0] = cl.status_before_close[0] = '\0';
    if (st == CY_OK)
        st = claims_step(c, a, now, &cl, reopen ? "claim.reopen" : "claim.close", next, reason, err,
                         "%s：%s / %s: %s", reopen ? "重开" : "结案", reason,
                         reopen ? "reopened" : "closed", reason);
    st = store_tx_close(app->store, c, st, err);
    return claims_after(app, a, now, id, st, out, err);
}

cy_status_t
claims_close(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *reason,
             claims_claim_t *out, cy_error_t *err)
{
    return close_or_reopen(app, a, now, id, reason, 0, out, err);
}

cy_status_t
claims_reopen(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *reason,
              claims_claim_t *out, cy_error_t *err)
{
    return close_or_reopen(app, a, now, id, reason, 1, out, err);
}
