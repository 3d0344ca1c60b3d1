/*
 * policy.c — policies after binding (DOMAIN.md §6): the schedule as the
 * API shows it, the mid-term change of the limit (premium pro rata by day),
 * the cancellation (pro-rata return premium by day) and the renewal quote
 * (a new assessment, the claim-free credit of data/underwriting/, made by
 * apply.c as any quote). The policy's terms are the terms engine's
 * (core/terms.h): aggregate limit, per-loss retention, BI waiting period,
 * per coverage sublimit and share. Each write is one transaction with its
 * audit entry. Depends on core/, store/; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/uw/internal.h"
#include "core/bjtime.h"
#include "core/money.h"

/* ---------- reading ---------- */

cy_status_t
app_uw_policy_get(app_t *app, const actor_t *a, int64_t now, int64_t id, uw_policy_t *y,
                  cy_error_t *err)
{
    store_conn_t *c;
    memset(y, 0, sizeof *y);
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    st = uw_policy_read(c, id, y, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && (!found || !uw_policy_visible(a, y)))
        st = app_not_found(err, "保单", "policy", id);
    if (st == CY_OK && !uw_may(a, ACT_POLICY_READ))
        st = app_forbidden(err, ACT_POLICY_READ);
    if (st == CY_OK)
        uw_policy_at(y, now);
    else
        uw_policy_free(y);
    return st;
}

cy_status_t
app_uw_policy_list(app_t *app, const actor_t *a, int64_t now, const char *status,
                   const app_page_t *pg, uw_policy_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!uw_may(a, ACT_POLICY_READ))
        return app_forbidden(err, ACT_POLICY_READ);
    if (status != NULL && strcmp(status, "active") && strcmp(status, "cancelled"))
        return cy_error_set(err, CY_EBADREQ, "status_invalid", "status",
                            "status 应为 active 或 cancelled / status must be active or cancelled");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = uw_policy_list_read(c, uw_scope(a), status, pg, out, err);
    store_release(app->store, c);
    for (size_t i = 0; i < out->n; i++)
        uw_policy_at(&out->items[i], now);
    if (st != CY_OK)
        uw_policy_list_free(out);
    return st;
}

void
uw_policy_list_free(uw_policy_list_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        uw_policy_free(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* ---------- changes ---------- */

/* The policy for a change: visible (404), the caller's to change (403), still active (409). */
static cy_status_t
load_for_change(store_conn_t *c, const actor_t *a, int64_t id, authz_action_t act, uw_policy_t *y,
                cy_error_t *err)
{
    int found = 0;
    cy_status_t st = uw_policy_read(c, id, y, &found, err);
    if (st != CY_OK)
        return st;
    if (!found || !uw_policy_visible(a, y))
        return app_not_found(err, "保单", "policy", id);
    /* the insurer endorses; either side cancels; the insured renews */
    int own = a->cli || y->insurer_org_id == a->org_id ||
              (act != ACT_POLICY_ENDORSE && y->insured_org_id == a->org_id);
    if (act == ACT_POLICY_RENEW)
        own = a->cli || y->insured_org_id == a->org_id;
    if (!uw_may(a, act) || !own)
        return app_forbidden(err, act);
    if (strcmp(y->status, "active") != 0)
        return cy_error_set(err, CY_ECONFLICT, "policy_cancelled", "status",
                            "保单 %s 已退保 / policy %s is cancelled", y->policy_no, y->policy_no);
    return CY_OK;
}

/* The effective date: within the period, not in the past, not before the last change. */
static cy_status_t
effective_date(store_conn_t *c, const uw_policy_t *y, const char *s, int64_t now, int64_t *eff,
               cy_error_t *err)
{
    int yy, m, d;
    cy_status_t st = uw_text_check(s, "effective_date", 10, 1, err);
    if (st == CY_OK)
        st = uw_date_parse(s, "effective_date", &yy, &m, &d, err);
    if (st != CY_OK)
        return st;
    *eff = uw_midnight(yy, m, d);
    if (*eff < y->start || *eff >= y->end) {
        char a[16], b[16];
        bjtime_format_date(y->start, a);
        bjtime_format_date(y->end - 1, b);
        return cy_error_set(err, CY_EINVAL, "effective_outside_period", "effective_date",
                            "生效日期 %s 不在保险期间（%s 至 %s）内 / the effective date %s is "
                            "outside the policy period (%s to %s)",
                            s, a, b, s, a, b);
    }
    if (*eff < uw_today(now))
        return cy_error_set(err, CY_EINVAL, "effective_in_past", "effective_date",
                            "生效日期 %s 早于今天，不能追溯 / the effective date %s is before "
                            "today: no back-dating",
                            s, s);
    int64_t last = -1;
    if ((st = uw_endorsement_last(c, y->id, &last, err)) != CY_OK)
        return st;
    if (last >= 0 && *eff < last) {
        char l[16];
        bjtime_format_date(last, l);
        return cy_error_set(err, CY_EINVAL, "effective_before_last", "effective_date",
                            "生效日期 %s 早于上一次批改的生效日期 %s / the effective date %s is "
                            "before the last change's (%s)",
                            s, l, s, l);
    }
    return CY_OK;
}

/*
 * Record a change effective at eff: the endorsement with its pro-rata
 * premium delta, appended to y as the API shows it.
 */
static cy_status_t
add_endorsement(store_conn_t *c, const actor_t *a, int64_t now, uw_policy_t *y,
                const uw_endorsement_t *in, int64_t eff, cy_error_t *err)
{
    uw_endorsement_t *e = &y->endorsements[y->n_endorsements];
    *e = *in;
    utc_format_iso(eff, e->effective_at);
    utc_format_iso(now, e->created_at);
    e->old_limit = y->limit;
    e->old_annual_premium = y->annual;
    e->days_total = y->days;
    e->days_remaining = pricing_days(eff, y->end);
    e->created_by_user_id = a->user_id;
    cy_status_t st = uw_endorsement_insert(c, y->id, e, err);
    if (st == CY_OK)
        y->n_endorsements++;
    utc_format_iso(now, y->updated_at);
    return st;
}

/* The policy's insured priced again with a new limit under its product. */
static cy_status_t
reprice(app_t *app, store_conn_t *c, int64_t now, const uw_policy_t *y, int64_t limit,
        uw_price_res_t *res, cy_error_t *err)
{
    uw_product_t *p = malloc(sizeof *p);
    if (p == NULL)
        return uw_no_memory(err);
    int found = 0;
    cy_status_t st = uw_product_read(c, y->product_id, p, &found, err);
    uw_price_req_t rq = {.section = y->section,
                         .revenue = y->revenue,
                         .gross_margin = y->margin_bp >= 0 ? y->margin_bp / 10000.0 : -1.0,
                         .grade = y->grade,
                         .limit = limit,
                         .retention = y->retention,
                         .covered = y->covered,
                         .claim_free_years = y->quote_claim_free_years,
                         .now = now};
    if (st == CY_OK)
        st = uw_price(app->uw, p, &rq, res, err);
    free(p);
    return st;
}

/* Change the limit from *eff: the new annual premium, the pro-rata charge, the sublimits. */
static cy_status_t
endorse(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const uw_endorse_in_t *in,
        uw_policy_t *y, int64_t *eff, cy_error_t *err)
{
    int64_t limit = in->aggregate_limit;
    cy_status_t st = effective_date(c, y, in->effective_date, now, eff, err);
    if (st == CY_OK)
        st = uw_int_check(limit, "aggregate_limit", -TERMS_AMOUNT_MAX, TERMS_AMOUNT_MAX, err);
    if (st == CY_OK)
        st = uw_text_check(in->note, "note", 2000, 0, err);
    if (st == CY_OK && limit == y->limit)
        st = cy_error_set(err, CY_EINVAL, "limit_unchanged", "aggregate_limit",
                          "新的累计赔偿限额与现有限额相同 / the new aggregate limit is the current "
                          "one");
    uw_price_res_t *res = malloc(sizeof *res);
    if (st == CY_OK && res == NULL)
        st = uw_no_memory(err);
    if (st == CY_OK)
        st = reprice(app, c, now, y, limit, res, err);
    uw_endorsement_t e = {.kind = "limit_change", .new_limit = limit};
    if (st == CY_OK) {
        e.new_annual_premium = res->price.premium;
        uw_copy(e.note, sizeof e.note, in->note);
        st = pricing_pro_rata(e.new_annual_premium - y->annual, pricing_days(*eff, y->end), y->days,
                              &e.premium_delta, err);
    }
    if (st == CY_OK)
        st = add_endorsement(c, a, now, y, &e, *eff, err);
    if (st == CY_OK) {
        y->limit = limit;
        y->annual = e.new_annual_premium;
        y->written += e.premium_delta;
        for (int cv = 0; cv < COV_N; cv++)
            if (y->covered & (1u << cv))
                y->sublimit[cv] = res->terms.sublimit[cv];
        st = uw_policy_set_terms(c, y, err);
    }
    free(res);
    return st;
}

cy_status_t
app_uw_policy_endorse(app_t *app, const actor_t *a, int64_t now, int64_t id,
                      const uw_endorse_in_t *in, uw_policy_t *y, cy_error_t *err)
{
    store_conn_t *c;
    memset(y, 0, sizeof *y);
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int64_t old = 0, eff = 0;
    st = load_for_change(c, a, id, ACT_POLICY_ENDORSE, y, err);
    old = y->limit;
    if (st == CY_OK)
        st = endorse(app, c, a, now, in, y, &eff, err);
    if (st == CY_OK) {
        int64_t delta = y->endorsements[y->n_endorsements - 1].premium_delta;
        char ids[24], ol[MONEY_FORMAT_MAX], nl[MONEY_FORMAT_MAX], dl[MONEY_FORMAT_MAX], ed[16];
        money_format(old, ol, sizeof ol);
        money_format(y->limit, nl, sizeof nl);
        money_format(delta, dl, sizeof dl);
        bjtime_format_date(eff, ed);
        st = app_audit_append(c, a, now, "policy.endorse", "policy", uw_id_text(y->id, ids), err,
                              "批改保单 %s：累计赔偿限额 %s → %s，自 %s 生效，按日比例保费 %s / "
                              "endorsed policy %s: aggregate limit %s → %s from %s, pro-rata "
                              "premium %s",
                              y->policy_no, ol, nl, ed, dl, y->policy_no, ol, nl, ed, dl);
    }
    st = store_tx_close(app->store, c, st, err);
    if (st == CY_OK)
        uw_policy_at(y, now);
    else
        uw_policy_free(y);
    return st;
}

/* Cancel from *eff: the premium of the days left goes back. */
static cy_status_t
cancel(store_conn_t *c, const actor_t *a, int64_t now, const uw_cancel_in_t *in, uw_policy_t *y,
       int64_t *eff, cy_error_t *err)
{
    cy_status_t st = effective_date(c, y, in->effective_date, now, eff, err);
    if (st == CY_OK)
        st = uw_text_check(in->note, "note", 2000, 0, err);
    uw_endorsement_t e = {.kind = "cancellation", .new_limit = y->limit};
    uw_copy(e.note, sizeof e.note, in->note);
    int64_t ret = 0;
    if (st == CY_OK)
        st = pricing_pro_rata(y->annual, pricing_days(*eff, y->end), y->days, &ret, err);
    e.premium_delta = -ret;
    if (st == CY_OK)
        st = add_endorsement(c, a, now, y, &e, *eff, err);
    if (st != CY_OK)
        return st;
    uw_copy(y->status, sizeof y->status, "cancelled");
    utc_format_iso(now, y->cancelled_at);
    utc_format_iso(*eff, y->cancel_effective);
    y->return_premium = ret;
    y->written -= ret;
    return uw_policy_set_cancelled(c, y, err);
}

cy_status_t
app_uw_policy_cancel(app_t *app, const actor_t *a, int64_t now, int64_t id,
                     const uw_cancel_in_t *in, uw_policy_t *y, cy_error_t *err)
{
    store_conn_t *c;
    memset(y, 0, sizeof *y);
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int64_t eff = 0;
    st = load_for_change(c, a, id, ACT_POLICY_CANCEL, y, err);
    if (st == CY_OK)
        st = cancel(c, a, now, in, y, &eff, err);
    if (st == CY_OK) {
        const uw_endorsement_t *e = &y->endorsements[y->n_endorsements - 1];
        char ids[24], r[MONEY_FORMAT_MAX], ed[16];
        money_format(y->return_premium, r, sizeof r);
        bjtime_format_date(eff, ed);
        st = app_audit_append(c, a, now, "policy.cancel", "policy", uw_id_text(y->id, ids), err,
                              "退保 %s：自 %s 起，按日比例退还保费 %s（%" PRId64 "/%" PRId64
                              " 天） / cancelled policy %s from %s, pro-rata return premium %s "
                              "(%" PRId64 "/%" PRId64 " days)",
                              y->policy_no, ed, r, e->days_remaining, e->days_total, y->policy_no,
                              ed, r, e->days_remaining, e->days_total);
    }
    st = store_tx_close(app->store, c, st, err);
    if (st == CY_OK)
        uw_policy_at(y, now);
    else
        uw_policy_free(y);
    return st;
}

/* ---------- renewal ---------- */

/* The renewal's facts: the policy's, with what the body changes. */
static cy_status_t
renewal_facts(const uw_policy_t *y, const uw_renew_in_t *in, uw_apply_t *ap, cy_error_t *err)
{
    *ap = (uw_apply_t){.insured_org_id = y->insured_org_id,
                       .renewal_of = y->id,
                       .section = y->section,
                       .revenue = y->revenue,
                       .margin_bp = y->margin_bp,
                       .limit = y->limit,
                       .retention = y->retention,
                       .covered = y->covered,
                       .assessment_id = in->assessment_id};
    cy_status_t st = uw_int_check(in->assessment_id, "assessment_id", 1, INT64_MAX, err);
    if (st == CY_OK && in->revenue.given)
        st = uw_int_check(in->revenue.v, "revenue", -TERMS_AMOUNT_MAX, TERMS_AMOUNT_MAX, err);
    if (st == CY_OK && in->revenue.given && in->revenue.v <= 0)
        st = cy_error_set(err, CY_EINVAL, "revenue_invalid", "revenue",
                          "年营业收入（分）应大于 0 / annual revenue (fen) must be above 0");
    if (st == CY_OK && in->gross_margin_bp.given)
        st = uw_int_check(in->gross_margin_bp.v, "gross_margin_bp", 0, 10000, err);
    if (st == CY_OK && in->aggregate_limit.given)
        st = uw_int_check(in->aggregate_limit.v, "aggregate_limit", -TERMS_AMOUNT_MAX,
                          TERMS_AMOUNT_MAX, err);
    if (st == CY_OK && in->retention.given)
        st = uw_int_check(in->retention.v, "retention", 0, TERMS_AMOUNT_MAX, err);
    if (st != CY_OK)
        return st;
    if (in->revenue.given)
        ap->revenue = in->revenue.v;
    if (in->gross_margin_bp.given)
        ap->margin_bp = (int)in->gross_margin_bp.v;
    if (in->aggregate_limit.given)
        ap->limit = in->aggregate_limit.v;
    if (in->retention.given)
        ap->retention = in->retention.v;
    return CY_OK;
}

/* A renewal needs a new assessment: submitted after the one the policy was quoted on. */
static cy_status_t
new_assessment(app_t *app, store_conn_t *c, const actor_t *a, const uw_policy_t *y, int64_t id,
               cy_error_t *err)
{
    uw_assess_t *as = calloc(1, sizeof *as), *old = calloc(1, sizeof *old);
    cy_status_t st = as && old ? uw_assess_for(app, c, a, id, as, err) : uw_no_memory(err);
    int found_old = 0;
    if (st == CY_OK && y->quote_assessment_id > 0)
        st = uw_assess_read(c, &app->uw->qn, y->quote_assessment_id, old, &found_old, err);
    if (st == CY_OK && as->v.org_id == y->insured_org_id && !strcmp(as->v.status, "submitted") &&
        (as->v.id == y->quote_assessment_id || (found_old && as->submitted_at < old->submitted_at)))
        st = cy_error_set(err, CY_EINVAL, "assessment_not_new", "assessment_id",
                          "续保需要一次新的风险评估（晚于保单所依据的评估 %" PRId64 "） / renewal "
                          "needs a new assessment (later than assessment %" PRId64
                          " the policy was quoted on)",
                          y->quote_assessment_id, y->quote_assessment_id);
    uw_assess_free(as);
    uw_assess_free(old);
    free(as);
    free(old);
    return st;
}

static cy_status_t
renew(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const uw_policy_t *y,
      const uw_renew_in_t *in, uw_quote_t *out, cy_error_t *err)
{
    if (y->renewed_by > 0)
        return cy_error_set(err, CY_ECONFLICT, "policy_already_renewed", "id",
                            "保单 %s 已续保 / policy %s is already renewed", y->policy_no,
                            y->policy_no);
    uw_apply_t ap;
    int on_sale = 0;
    cy_status_t st = renewal_facts(y, in, &ap, err);
    if (st == CY_OK)
        st = new_assessment(app, c, a, y, ap.assessment_id, err);
    /* the product's version on sale now */
    if (st == CY_OK)
        st = uw_product_on_sale(c, y->product_id, &ap.product_id, &on_sale, err);
    if (st == CY_OK && !on_sale)
        st = cy_error_set(err, CY_ECONFLICT, "product_not_on_sale", "product_id",
                          "产品“%s”已无在售版本，不能续保 / product \"%s\" has no version on sale: "
                          "no renewal",
                          y->product_name, y->product_name);
    if (st == CY_OK)
        st = uw_policy_claim_free_years(c, y->id, &ap.claim_free_years, err);
    if (st != CY_OK)
        return st;
    bjtime_format_date(y->end, ap.start_date);
    return uw_quote_apply(app, c, a, now, &ap, out, err);
}

cy_status_t
app_uw_policy_renew(app_t *app, const actor_t *a, int64_t now, int64_t id, const uw_renew_in_t *in,
                    uw_quote_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    uw_policy_t *y = calloc(1, sizeof *y);
    if (y == NULL)
        return uw_no_memory(err);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st == CY_OK) {
        st = load_for_change(c, a, id, ACT_POLICY_RENEW, y, err);
        if (st == CY_OK)
            st = renew(app, c, a, now, y, in, out, err);
        st = store_tx_close(app->store, c, st, err);
    }
    uw_policy_free(y);
    free(y);
    if (st != CY_OK)
        uw_quote_free(out);
    return st;
}
