/*
 * bind.c — binding a quote into a policy (DOMAIN.md §6): a bindable,
 * unexpired quote whose start date has not passed becomes a numbered policy
 * (core/pricing.h policyno_format) for the year from its start date at
 * 00:00 Beijing time, with the quote's terms, the insured's rating facts,
 * region and declared dependencies (what the portfolio simulation needs)
 * and the conditions of its rules, due from the day of binding. One
 * transaction with its audit entry. Depends on core/, store/; never http/
 * or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/uw/internal.h"
#include "core/bjtime.h"
#include "core/money.h"

/* The quote to bind: visible (404), the insured's or insurer's (403), bindable at now. */
static cy_status_t
bindable_quote(const app_t *app, store_conn_t *c, const actor_t *a, int64_t now, int64_t id,
               uw_quote_t *q, cy_error_t *err)
{
    int found = 0, days = app->uw->params.quote_validity_days;
    cy_status_t st = uw_quote_read(c, id, q, &found, err);
    if (st == CY_OK && (!found || !uw_quote_visible(a, q)))
        return app_not_found(err, "报价", "quote", id);
    if (st == CY_OK && !uw_quote_may(a, q, ACT_QUOTE_BIND))
        return app_forbidden(err, ACT_QUOTE_BIND);
    if (st != CY_OK)
        return st;
    uw_quote_at(q, a, now);
    if (!strcmp(q->status, "bound"))
        return cy_error_set(err, CY_ECONFLICT, "quote_already_bound", "id",
                            "报价 %" PRId64 " 已承保，保单号 %s / quote %" PRId64
                            " is already bound: policy %s",
                            q->id, q->policy_no, q->id, q->policy_no);
    if (!strcmp(q->status, "referred"))
        return cy_error_set(err, CY_ECONFLICT, "quote_referred", "status",
                            "报价 %" PRId64 " 正在等待人工核保 / quote %" PRId64
                            " is awaiting an underwriter's decision",
                            q->id, q->id);
    if (!strcmp(q->status, "declined"))
        return cy_error_set(err, CY_ECONFLICT, "quote_declined", "status",
                            "报价 %" PRId64 " 已拒保 / quote %" PRId64 " was declined", q->id,
                            q->id);
    if (q->expired)
        return cy_error_set(
            err, CY_EINVAL, "quote_expired", "valid_until",
            "报价已于 %s 过期（有效期 %d 天），请重新报价 / the quote expired at %s "
            "(valid %d days): ask for a new one",
            q->valid_until, days, q->valid_until, days);
    return CY_OK;
}

/* The policy period from the quote's start date, which must not have passed. */
static cy_status_t
period_of(const uw_quote_t *q, int64_t now, uw_policy_t *y, cy_error_t *err)
{
    int yy, m, d;
    cy_status_t st = uw_date_parse(q->start_date, "start_date", &yy, &m, &d, err);
    if (st == CY_OK && uw_midnight(yy, m, d) < uw_today(now))
        st = cy_error_set(err, CY_EINVAL, "start_date_passed", "start_date",
                          "报价的起保日期 %s 已过，请重新报价 / the quote's start date %s has "
                          "passed: ask for a new quote",
                          q->start_date, q->start_date);
    if (st == CY_OK)
        st = pricing_period(yy, m, d, &y->start, &y->end, err);
    if (st == CY_OK) {
        utc_format_iso(y->start, y->period_start);
        utc_format_iso(y->end, y->period_end);
        y->days = pricing_days(y->start, y->end);
    }
    return st;
}

/* The policy of quote q as bound at now (its number and period apart). */
static void
policy_of(const uw_quote_t *q, int64_t now, uw_policy_t *y)
{
    y->quote_id = q->id;
    y->product_id = q->product_id;
    y->insurer_org_id = q->insurer_org_id;
    y->insured_org_id = q->insured_org_id;
    y->renewal_of = q->renewal_of;
    uw_copy(y->trigger, sizeof y->trigger, q->trigger[0] ? q->trigger : "occurrence");
    uw_copy(y->retro_date, sizeof y->retro_date, q->retro_date);
    uw_terms_t *t = &y->bound;
    t->limit = q->limit;
    t->retention = q->retention;
    t->bi_waiting_hours = q->bi_waiting_hours;
    t->covered = q->covered;
    memcpy(t->sublimit, q->sublimit, sizeof t->sublimit);
    memcpy(t->share_bp, q->share_bp, sizeof t->share_bp);
    t->section = q->section;
    t->revenue = q->revenue;
    t->margin_bp = q->margin_bp;
    t->annual = q->premium;
    y->grade = q->grade;
    y->return_premium = -1;
    utc_format_iso(now, y->created_at);
    utc_format_iso(now, y->updated_at);
    uw_copy(y->product_name, sizeof y->product_name, q->product_name);
    y->product_version = q->product_version;
    uw_copy(y->insurer_name, sizeof y->insurer_name, q->insurer_name);
    uw_copy(y->insured_name, sizeof y->insured_name, q->insured_name);
    y->quote_assessment_id = q->assessment_id;
    y->quote_claim_free_years = q->claim_free_years;
    y->with_endorsements = 1;
}

/* What the simulation needs of the insured: its region and declared dependencies. */
static cy_status_t
insured_facts(app_t *app, store_conn_t *c, const uw_quote_t *q, uw_policy_t *y, cy_error_t *err)
{
    uw_org_t o;
    int found = 0;
    cy_status_t st = uw_org_read(c, q->insured_org_id, &o, &found, err);
    uw_copy(y->bound.region, sizeof y->bound.region, o.region);
    if (st != CY_OK || q->assessment_id <= 0)
        return st;
    uw_assess_t *as = calloc(1, sizeof *as);
    if (as == NULL)
        return cy_error_no_memory(err);
    st = uw_assess_read(c, &app->uw->qn, q->assessment_id, as, &found, err);
    for (int d = 0; d < 4 && st == CY_OK; d++)
        uw_copy(y->bound.dep[d], sizeof y->bound.dep[d], as->v.dep[d]);
    uw_assess_free(as);
    free(as);
    return st;
}

/* The policy's number: the insurer's next of the year of binding. */
static cy_status_t
number_of(app_t *app, store_conn_t *c, int64_t now, uw_policy_t *y, cy_error_t *err)
{
    char today[16];
    int year = 1970;
    int64_t seq = 0;
    bjtime_format_date(now, today);
    sscanf(today, "%4d", &year);
    cy_status_t st = uw_policy_next_seq(c, y->insurer_org_id, year, &seq, err);
    if (st == CY_OK)
        st = policyno_format(app->uw->params.policy_prefix, year, y->insurer_org_id, seq,
                             y->policy_no, sizeof y->policy_no, err);
    return st;
}

static cy_status_t
insert_policy(store_conn_t *c, const uw_quote_t *q, uw_policy_t *y, cy_error_t *err)
{
    cy_status_t st = uw_policy_insert(c, y, err);
    if (st != CY_ECONFLICT)
        return st;
    if (q->renewal_of > 0)
        return cy_error_set(err, CY_ECONFLICT, "policy_already_renewed", "renewal_of",
                            "保单 %" PRId64 " 已续保 / policy %" PRId64 " is already renewed",
                            q->renewal_of, q->renewal_of);
    return cy_error_set(err, CY_ECONFLICT, "quote_already_bound", "id",
                        "报价 %" PRId64 " 已承保 / quote %" PRId64 " is already bound", q->id,
                        q->id);
}

/* The pilot chosen at binding, if any, with its audit entry. */
static cy_status_t
bind_pilot(store_conn_t *c, const actor_t *a, int64_t now, const uw_attribution_in_t *pilot,
           uw_policy_t *y, cy_error_t *err)
{
    if (pilot == NULL || pilot->pilot_id == 0)
        return CY_OK;
    uw_attribution_in_t in = *pilot;
    if (in.reason == NULL)
        in.reason = "承保时选定 / chosen at binding";
    return uw_policy_attribute(c, a, now, &in, y, err);
}

static cy_status_t
bind_quote(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const uw_quote_t *q,
           const uw_attribution_in_t *pilot, uw_policy_t *y, cy_error_t *err)
{
    policy_of(q, now, y);
    cy_status_t st = period_of(q, now, y, err);
    if (st == CY_OK)
        st = insured_facts(app, c, q, y, err);
    if (st == CY_OK)
        st = number_of(app, c, now, y, err);
    if (st == CY_OK) {
        uw_policy_at(y, now);
        y->actions = uw_policy_actions(a, y);
        y->conditions = uw_quote_conditions(q->breakdown, now);
        st = y->conditions ? insert_policy(c, q, y, err) : cy_error_no_memory(err);
    }
    if (st == CY_OK)
        st = uw_quote_set_bound(c, q->id, y->created_at, err);
    if (st != CY_OK)
        return st;
    char id[24], prem[MONEY_FORMAT_MAX], sbj[16], ebj[16];
    money_format(q->premium, prem, sizeof prem);
    bjtime_format_date(y->start, sbj);
    bjtime_format_date(y->end - 1, ebj);
    st = app_audit_append(c, a, now, "quote.bind", "policy", uw_id_text(y->id, id), err,
                          "承保：报价 %" PRId64 " 出具保单 %s（%s 至 %s，保费 %s） / bound quote "
                          "%" PRId64 " into policy %s (%s to %s, premium %s)",
                          q->id, y->policy_no, sbj, ebj, prem, q->id, y->policy_no, sbj, ebj, prem);
    return st == CY_OK ? bind_pilot(c, a, now, pilot, y, err) : st;
}

cy_status_t
app_uw_quote_bind(app_t *app, const actor_t *a, int64_t now, int64_t id, uw_policy_t *y,
                  cy_error_t *err)
{
    return app_uw_quote_bind_under(app, a, now, id, NULL, y, err);
}

cy_status_t
app_uw_quote_bind_under(app_t *app, const actor_t *a, int64_t now, int64_t id,
                        const uw_attribution_in_t *pilot, uw_policy_t *y, cy_error_t *err)
{
    memset(y, 0, sizeof *y);
    uw_quote_t *q = malloc(sizeof *q);
    if (q == NULL)
        return cy_error_no_memory(err);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st == CY_OK) {
        st = bindable_quote(app, c, a, now, id, q, err);
        if (st == CY_OK)
            st = bind_quote(app, c, a, now, q, pilot, y, err);
        st = store_tx_close(app->store, c, st, err);
        uw_quote_free(q);
    }
    free(q);
    if (st != CY_OK)
        uw_policy_free(y);
    return st;
}
