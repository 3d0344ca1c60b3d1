/*
 * apply.c — an application priced, judged and stored as a quote, inside the
 * caller's transaction: POST /api/v1/quotes and the renewal of a policy both
 * end here (internal.h), so a renewal quote is made exactly as a new one.
 * Depends on core/, store/; never http/ or cli/.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/cache.h"
#include "app/uw/internal.h"
#include "core/bjtime.h"
#include "core/money.h"

cy_status_t
uw_assess_for(app_t *app, store_conn_t *c, const actor_t *a, int64_t id, int64_t now,
              uw_assess_t *as, cy_error_t *err)
{
    int found = 0, visible = 0;
    cy_status_t st = uw_assess_read(c, &app->uw->qn, id, as, &found, err);
    if (st == CY_OK && found)
        st = uw_assess_visible(c, a, as, now, &visible, err);
    if (st == CY_OK && (!found || !visible))
        st = cy_error_set(err, CY_ENOTFOUND, "not_found", "assessment_id",
                          "风险评估 %" PRId64 " 不存在 / assessment %" PRId64 " not found", id, id);
    return st;
}

/* Product id: the server's current copy, else read by c (and kept). */
static cy_status_t
product_cached(app_t *app, store_conn_t *c, int64_t id, uw_product_t *p, int *found,
               cy_error_t *err)
{
    char key[32];
    snprintf(key, sizeof key, "p:%" PRId64, id);
    *found = app_cache_get(app->product_cache, key, p, sizeof *p);
    if (*found)
        return CY_OK;
    uint64_t gen;
    int keep = app_cache_gen(app->product_cache, &gen);
    cy_status_t st = uw_product_read(c, id, p, found, err);
    if (st == CY_OK && *found && keep)
        app_cache_put(app->product_cache, key, p, sizeof *p, gen);
    return st;
}

cy_status_t
uw_product_to_price(app_t *app, store_conn_t *c, const actor_t *a, int64_t id, int own_draft,
                    uw_product_t *p, cy_error_t *err)
{
    int found = 0;
    cy_status_t st = product_cached(app, c, id, p, &found, err);
    if (st == CY_OK && (!found || !uw_product_visible(a, p)))
        st = cy_error_set(err, CY_ENOTFOUND, "not_found", "product_id",
                          "产品 %" PRId64 " 不存在 / product %" PRId64 " not found", id, id);
    if (st == CY_OK && strcmp(p->status, "active") != 0 &&
        !(own_draft && p->insurer_org_id == a->org_id && !strcmp(p->status, "draft")))
        st = cy_error_set(err, CY_EINVAL, "product_not_on_sale", "product_id",
                          "产品“%s”第 %d 版不在销售中，请选择在售的产品 / version %d of product "
                          "\"%s\" is not on sale: choose a product on sale",
                          p->name, p->version, p->version, p->name);
    return st;
}

/* The assessment behind an application: the insured's, submitted. */
static cy_status_t
assessment_of(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const uw_apply_t *ap,
              uw_assess_t *as, cy_error_t *err)
{
    int64_t id = ap->assessment_id;
    cy_status_t st = uw_assess_for(app, c, a, id, now, as, err);
    if (st == CY_OK && as->v.org_id != ap->insured_org_id)
        st = cy_error_set(err, CY_EINVAL, "assessment_other_org", "assessment_id",
                          "风险评估 %" PRId64 " 不是被保险企业的评估 / assessment %" PRId64
                          " is not of the insured enterprise",
                          id, id);
    if (st == CY_OK && strcmp(as->v.status, "submitted") != 0)
        st = cy_error_set(
            err, CY_EINVAL, "assessment_not_submitted", "assessment_id",
            "风险评估 %" PRId64 " 尚未提交 / assessment %" PRId64 " is not submitted yet", id, id);
    return st;
}

/*
 * The liability trigger of the quote: the product's. Claims made covers
 * claims for incidents from the retroactive date on: a renewal keeps the
 * expiring policy's (continuity of cover), else the product's fixed date
 * when it is not after the start, else the start date itself.
 */
static void
trigger_of(const uw_product_t *p, const uw_apply_t *ap, uw_quote_t *q)
{
    uw_copy(q->trigger, sizeof q->trigger, p->trigger[0] ? p->trigger : "occurrence");
    if (strcmp(q->trigger, "claims_made") != 0)
        return;
    if (ap->retro_date[0])
        uw_copy(q->retro_date, sizeof q->retro_date, ap->retro_date);
    else if (p->retro_date[0] && strcmp(p->retro_date, ap->start_date) <= 0)
        uw_copy(q->retro_date, sizeof q->retro_date, p->retro_date);
    else
        uw_copy(q->retro_date, sizeof q->retro_date, ap->start_date);
}

/* The quote of a priced application, as it is stored. */
static void
quote_of(const app_t *app, const actor_t *a, int64_t now, const uw_apply_t *ap,
         const uw_product_t *p, const uw_price_req_t *rq, const uw_price_res_t *res, uw_quote_t *q)
{
    const uw_data_t *d = app->uw;
    uwr_decision_t dec = res->outcome.decision;
    memset(q, 0, sizeof *q);
    *q = (uw_quote_t){
        .product_id = p->id,
        .insured_org_id = ap->insured_org_id,
        .requested_by_org_id = a->org_id,
        .requested_by_user_id = a->user_id,
        .assessment_id = rq->assessment ? rq->assessment->v.id : 0,
        .renewal_of = ap->renewal_of > 0 ? ap->renewal_of : 0,
        .insurer_org_id = p->insurer_org_id,
        .product_version = p->version,
        .section = rq->section,
        .grade = rq->grade,
        .revenue = rq->revenue,
        .margin_bp = ap->margin_bp >= 0 ? ap->margin_bp : -1,
        .limit = rq->limit,
        .retention = rq->retention,
        .bi_waiting_hours = p->bi_waiting_hours,
        .claim_free_years = rq->claim_free_years,
        .credit_bp = (int)floor(res->price.credit * 10000.0 + 0.5),
        .pure = res->price.pure,
        .gross = res->price.gross,
        .premium = res->price.premium,
        .covered = res->terms.covered,
    };
    uw_copy(q->product_name, sizeof q->product_name, p->name);
    uw_copy(q->insurer_name, sizeof q->insurer_name, p->insurer_name);
    uw_copy(q->status, sizeof q->status,
            dec == UWR_DECLINE ? "declined"
            : dec == UWR_REFER ? "referred"
                               : "quoted");
    uw_copy(q->decision, sizeof q->decision, uwr_decision_name(dec));
    uw_copy(q->rating_model, sizeof q->rating_model, d->rating.version);
    uw_copy(q->rules_version, sizeof q->rules_version, d->rules.version);
    uw_copy(q->start_date, sizeof q->start_date, ap->start_date);
    trigger_of(p, ap, q);
    utc_format_iso(now + (int64_t)d->params.quote_validity_days * 86400, q->valid_until);
    utc_format_iso(now, q->created_at);
    utc_format_iso(now, q->updated_at);
    for (int cv = 0; cv < COV_N; cv++) {
        if (!(q->covered & (1u << cv)))
            continue;
        q->sublimit[cv] = res->terms.sublimit[cv];
        q->share_bp[cv] = p->share_bp[cv];
        q->pure_cov[cv] = res->price.pure_cov[cv];
    }
}

/* Price ap on product p (with its assessment, if any) and make the quote to store. */
static cy_status_t
price_quote(app_t *app, const actor_t *a, int64_t now, const uw_apply_t *ap, const uw_product_t *p,
            const uw_assess_t *as, uw_quote_t *q, cy_error_t *err)
{
    const uw_data_t *d = app->uw;
    uw_price_req_t rq = {.section = ap->section,
                         .revenue = ap->revenue,
                         .gross_margin = ap->margin_bp >= 0 ? ap->margin_bp / 10000.0 : -1.0,
                         .grade = as ? as->v.grade : d->params.unassessed_grade,
                         .limit = ap->limit,
                         .retention = ap->retention,
                         .covered = ap->covered,
                         .claim_free_years = ap->claim_free_years,
                         .assessment = as,
                         .now = now};
    uw_price_res_t res;
    cy_status_t st = uw_price(d, p, &rq, &res, err);
    if (st != CY_OK)
        return st;
    quote_of(app, a, now, ap, p, &rq, &res, q);
    q->breakdown = uw_breakdown_text(d, p, &rq, &res, 12);
    return q->breakdown ? CY_OK : cy_error_no_memory(err);
}

/* Store q with its audit entry (a renewal's or a new quote's). */
static cy_status_t
store_quote(store_conn_t *c, const actor_t *a, int64_t now, const uw_apply_t *ap, uw_quote_t *q,
            cy_error_t *err)
{
    uw_org_t insured;
    int found = 0;
    cy_status_t st = uw_quote_insert(c, q, err);
    if (st == CY_OK && !ap->insured_name[0])
        st = uw_org_read(c, q->insured_org_id, &insured, &found, err);
    if (st != CY_OK)
        return st;
    uw_copy(q->insured_name, sizeof q->insured_name,
            ap->insured_name[0] ? ap->insured_name : insured.name);
    uw_quote_at(q, a, now);
    char id[24], prem[MONEY_FORMAT_MAX], nm[96];
    money_format(q->premium, prem, sizeof prem);
    uw_short(q->product_name, nm);
    int renewal = q->renewal_of > 0;
    return app_audit_append(c, a, now, renewal ? "policy.renew" : "quote.create", "quote",
                            uw_id_text(q->id, id), err,
                            "%s报价：产品“%s”，保费 %s，核保结论 %s / %s: product \"%s\", "
                            "premium %s, decision %s",
                            renewal ? "续保" : "", nm, prem, q->decision,
                            renewal ? "renewal quote" : "quote", nm, prem, q->decision);
}

cy_status_t
uw_quote_apply(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const uw_apply_t *ap,
               uw_quote_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    uw_product_t *p = malloc(sizeof *p);
    uw_assess_t *as = calloc(1, sizeof *as);
    cy_status_t st = p && as ? CY_OK : cy_error_no_memory(err);
    if (st == CY_OK)
        st = uw_product_to_price(app, c, a, ap->product_id, 0, p, err);
    int have_as = st == CY_OK && ap->assessment_id > 0;
    if (have_as)
        st = assessment_of(app, c, a, now, ap, as, err);
    /* a renewal prices at the insured's grade now: in-force monitoring's (app->grade_now) */
    char now_grade = 0;
    if (st == CY_OK && have_as && ap->renewal_of > 0 && app->grade_now != NULL)
        st = app->grade_now(app, c, as->v.org_id, now, &now_grade, err);
    if (st == CY_OK && now_grade != 0)
        as->v.grade = now_grade;
    if (st == CY_OK)
        st = price_quote(app, a, now, ap, p, have_as ? as : NULL, out, err);
    if (st == CY_OK)
        st = store_quote(c, a, now, ap, out, err);
    if (st != CY_OK)
        uw_quote_free(out);
    uw_assess_free(as);
    free(as);
    free(p);
    return st;
}
