/*
 * policy.c — policies after binding (DOMAIN.md §6): the schedule as the API
 * shows it at the caller's time (schedule.c decides what is in force), the
 * mid-term change of any term — the aggregate limit, the retention, the
 * coverages and their sublimits, the insured's facts — priced by the same
 * uw_price as a quote with the premium pro rata by day, the cancellation
 * with its reason (pro-rata return premium by day), both effective at 00:00
 * Beijing time of their date and listed as scheduled until then, and the
 * renewal quote (a new assessment, the claim-free credit of data/
 * underwriting/, made by apply.c as any quote) with what it needs. Each
 * write is one transaction with its audit entry; a preview prices the same
 * way and stores nothing. Depends on core/, store/; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/uw/internal.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "core/money.h"

const uw_cancel_reason_t uw_cancel_reasons[] = {
    {"insured_request", "投保人申请退保", "the policyholder asked to cancel"},
    {"business_closed", "企业停业、注销或转让", "the business closed, was dissolved or sold"},
    {"replaced", "已另行投保", "replaced by another policy"},
    {"non_payment", "未按约定缴纳保费", "the premium was not paid as agreed"},
    {"misrepresentation", "投保时未如实告知", "facts were not disclosed truly when applying"},
    {"other", "其他原因（在说明中写明）", "another reason (say which in the note)"},
};
const size_t uw_n_cancel_reasons = sizeof uw_cancel_reasons / sizeof uw_cancel_reasons[0];

/* The policy as the caller sees it at now. */
static void
as_seen(const actor_t *a, int64_t now, uw_policy_t *y)
{
    uw_policy_at(y, now);
    y->actions = uw_policy_actions(a, y);
}

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
        as_seen(a, now, y);
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
                            "状态只能是“有效”（active）或“已退保”（cancelled） / the status is "
                            "active or cancelled");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = uw_policy_list_read(c, uw_scope(a), status, now, pg, out, err);
    store_release(app->store, c);
    for (size_t i = 0; i < out->n; i++)
        as_seen(a, now, &out->items[i]);
    if (st != CY_OK)
        uw_policy_list_free(out);
    return st;
}

/* ---------- the book in force ---------- */

cy_status_t
app_uw_book_in_force(app_t *app, const actor_t *a, int64_t now, uw_book_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!uw_sees_all(a) && a->org_type != ORG_INSURER)
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "只有保险机构和主管部门可以查看在保业务 / only an insurer, the "
                            "ministry and the support centre see a book in force");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    uw_scope_t sc = {.all = uw_sees_all(a), .org_id = a->org_id};
    uw_policy_t *ys = NULL;
    size_t n = 0;
    st = uw_book_read(c, sc, now, &ys, &n, err);
    store_release(app->store, c);
    if (st == CY_OK && n > 0 && (out->items = calloc(n, sizeof *out->items)) == NULL)
        st = cy_error_no_memory(err);
    for (size_t i = 0; i < n; i++) {
        uw_policy_at(&ys[i], now);
        if (st == CY_OK && ys[i].in_force) {
            uw_book_policy_t *b = &out->items[out->n++];
            b->id = ys[i].id;
            uw_copy(b->policy_no, sizeof b->policy_no, ys[i].policy_no);
            uw_copy(b->insured_name, sizeof b->insured_name, ys[i].insured_name);
            b->grade = ys[i].grade;
            b->terms = ys[i].terms;
        }
        uw_policy_free(&ys[i]);
    }
    free(ys);
    if (st != CY_OK)
        uw_book_free(out);
    return st;
}

void
uw_book_free(uw_book_t *b)
{
    free(b->items);
    b->items = NULL;
    b->n = 0;
}

/* ---------- changes ---------- */

/* The policy for a change: visible (404), the caller's to change (403), not cancelled (409). */
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
    if (!uw_policy_may(a, y, act))
        return app_forbidden(err, act);
    if (y->cancel_effective[0]) {
        char d[16];
        bjtime_format_date(app_iso_to_time(y->cancel_effective), d);
        return cy_error_set(err, CY_ECONFLICT, "policy_cancelled", "status",
                            "保单 %s 已办理退保（自 %s 起），不能再批改、退保或续保 / policy %s is "
                            "cancelled from %s: it can no longer be changed, cancelled or renewed",
                            y->policy_no, d, y->policy_no, d);
    }
    return CY_OK;
}

/* The effective date: within the period, not in the past, not before the last change. */
static cy_status_t
effective_date(const uw_policy_t *y, const char *s, int64_t now, int64_t *eff, cy_error_t *err)
{
    int yy, m, d;
    if (s == NULL || s[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", "effective_date",
                            "请选择生效日期 / choose the effective date");
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
                            "生效日期 %s 不在保险期间（%s 至 %s）内，请在期间内选一天 / the "
                            "effective date %s is outside the policy period (%s to %s): choose a "
                            "day inside it",
                            s, a, b, s, a, b);
    }
    if (*eff < uw_today(now))
        return cy_error_set(err, CY_EINVAL, "effective_in_past", "effective_date",
                            "生效日期 %s 早于今天，不能追溯：请选今天或以后 / the effective date "
                            "%s is before today: no back-dating, choose today or later",
                            s, s);
    int64_t last = -1;
    for (size_t k = 0; k < y->n_endorsements; k++)
        if (y->endorsements[k].effective > last)
            last = y->endorsements[k].effective;
    if (last >= 0 && *eff < last) {
        char l[16];
        bjtime_format_date(last, l);
        return cy_error_set(err, CY_EINVAL, "effective_before_last", "effective_date",
                            "生效日期 %s 早于上一次批改的生效日期 %s：请选 %s 或以后 / the "
                            "effective date %s is before the last change's (%s): choose %s or "
                            "later",
                            s, l, l, s, l, l);
    }
    return CY_OK;
}

/* A new endorsement of y effective at eff made by a at now, before the terms in force then. */
static uw_endorsement_t
endorsement_at(const actor_t *a, int64_t now, const uw_policy_t *y, const char *kind, int64_t eff,
               const char *note)
{
    uw_endorsement_t e = {.effective = eff,
                          .days_total = y->days,
                          .days_remaining = pricing_days(eff, y->end),
                          .created_by_user_id = a->user_id,
                          .before = y->terms,
                          .old_annual_premium = y->terms.annual};
    uw_copy(e.kind, sizeof e.kind, kind);
    utc_format_iso(eff, e.effective_at);
    utc_format_iso(now, e.created_at);
    uw_copy(e.note, sizeof e.note, note);
    return e;
}

/* Append e to y's endorsements (it takes effect last) and show y to a as at now. */
static cy_status_t
append(const actor_t *a, int64_t now, uw_policy_t *y, const uw_endorsement_t *e, cy_error_t *err)
{
    uw_endorsement_t *ne = realloc(y->endorsements, (y->n_endorsements + 1) * sizeof *ne);
    if (ne == NULL)
        return cy_error_no_memory(err);
    y->endorsements = ne;
    y->endorsements[y->n_endorsements++] = *e;
    uw_schedule_walk(y);
    as_seen(a, now, y);
    return CY_OK;
}

/* ---------- a change of terms ---------- */

static cy_status_t
amount_in(const uw_opt_int_t *v, const char *field, int64_t lo, int64_t *out, cy_error_t *err)
{
    if (!v->given)
        return CY_OK;
    if (v->v < lo || v->v > TERMS_AMOUNT_MAX)
        return uw_int_check(v->v, field, lo, TERMS_AMOUNT_MAX, err);
    *out = v->v;
    return CY_OK;
}

/* The insured's facts as sent onto t: industry, region, revenue, gross margin, dependencies. */
static cy_status_t
insured_in(const app_t *app, const uw_endorse_in_t *in, uw_terms_t *t, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    if (in->industry != NULL)
        st = uw_industry_section(app, in->industry, "industry", &t->section, err);
    if (st == CY_OK && in->region_code != NULL) {
        if (ref_region_find(app->ref, in->region_code) == NULL)
            return cy_error_set(err, CY_EINVAL, "region_unknown", "region_code",
                                "请选择 GB/T 2260 中的行政区划 / choose a region of GB/T 2260");
        uw_copy(t->region, sizeof t->region, in->region_code);
    }
    if (st == CY_OK && in->revenue.given && in->revenue.v <= 0)
        return cy_error_set(err, CY_EINVAL, "revenue_invalid", "revenue",
                            "年营业收入应大于 0 / the annual revenue must be above 0");
    if (st == CY_OK)
        st = amount_in(&in->revenue, "revenue", 1, &t->revenue, err);
    if (st == CY_OK && in->gross_margin_bp.given) {
        st = uw_int_check(in->gross_margin_bp.v, "gross_margin_bp", 0, 10000, err);
        t->margin_bp = (int)in->gross_margin_bp.v;
    }
    if (st == CY_OK && in->has_dependencies && in->dep_unknown != NULL)
        return uw_unknown_key(in->dep_unknown, err);
    static const char *const dep_fields[4] = {"dependencies.cloud", "dependencies.os",
                                              "dependencies.vpn", "dependencies.email"};
    for (int d = 0; d < 4 && st == CY_OK && in->has_dependencies; d++) {
        const char *s = NULL;
        if (in->dep[d].kind == UW_ABSENT)
            continue;
        st = uw_value_text(&in->dep[d], dep_fields[d], 63, 0, &s, err);
        if (st == CY_OK)
            uw_copy(t->dep[d], sizeof t->dep[d], s);
    }
    return st;
}

/* The product's default sublimit of coverage c under limit (a sublimit above it is the limit). */
static int64_t
default_sublimit(const uw_product_t *p, int c, int64_t limit)
{
    return p->sublimit[c] > 0 && p->sublimit[c] < limit ? p->sublimit[c] : limit;
}

/* The coverages as sent: the whole list after the change, each offered by the product. */
static cy_status_t
coverages_in(const uw_product_t *p, const uw_endorse_in_t *in, uw_terms_t *t, cy_error_t *err)
{
    if (in->n_coverages < 1 || in->n_coverages > COV_N)
        return cy_error_set(err, CY_EINVAL, "coverages_invalid", "coverages",
                            "请至少保留一个险种 / keep at least one coverage");
    uint32_t covered = 0;
    for (size_t i = 0; i < in->n_coverages; i++) {
        const uw_endorse_cover_in_t *v = &in->coverages[i];
        char f[32];
        snprintf(f, sizeof f, "coverages[%zu]", i);
        int c = v->code.kind == UW_STRING ? cov_find(v->code.s) : -1;
        if (v->not_object || c < 0)
            return cy_error_set(err, CY_EINVAL, "coverage_unknown", f,
                                "第 %zu 个险种不是通知所列的险种，请从列表中选择 / coverage %zu "
                                "is not one of the notice's: choose one from the list",
                                i + 1, i + 1);
        if (v->unknown != NULL)
            return uw_unknown_key(v->unknown, err);
        if (!(p->covered & (1u << c)))
            return cy_error_set(err, CY_EINVAL, "coverage_not_offered", f,
                                "产品“%s”不承保%s，请从产品的险种中选择 / product \"%s\" does not "
                                "offer %s: choose among its coverages",
                                p->name, cov_name_zh(c), p->name, cov_name_en(c));
        if (covered & (1u << c))
            return cy_error_set(err, CY_EINVAL, "coverage_duplicate", f,
                                "险种“%s”列了两次 / %s is listed twice", cov_name_zh(c),
                                cov_name_en(c));
        covered |= 1u << c;
        int64_t sub = 0;
        int given = 0;
        cy_status_t st = uw_value_int(&v->sublimit, f, 1, TERMS_AMOUNT_MAX, &given, &sub, err);
        if (st != CY_OK)
            return cy_error_set(err, CY_EINVAL, "sublimit_invalid", f,
                                "%s的分项限额应为正的金额 / the sublimit of %s must be a positive "
                                "amount",
                                cov_name_zh(c), cov_name_en(c));
        t->sublimit[c] = given ? sub : default_sublimit(p, c, t->limit);
        t->share_bp[c] = p->share_bp[c];
        if (given && sub > t->limit) {
            char s1[MONEY_FORMAT_MAX], s2[MONEY_FORMAT_MAX];
            money_format(sub, s1, sizeof s1);
            money_format(t->limit, s2, sizeof s2);
            return cy_error_set(err, CY_EINVAL, "sublimit_above_limit", f,
                                "%s的分项限额（%s）不能高于累计赔偿限额（%s） / the sublimit of "
                                "%s (%s) cannot be above the aggregate limit (%s)",
                                cov_name_zh(c), s1, s2, cov_name_en(c), s1, s2);
        }
    }
    t->covered = covered;
    return CY_OK;
}

/* The schedule after the change: the one in force at its date, with what was sent. */
static cy_status_t
new_terms(const app_t *app, const uw_product_t *p, const uw_endorse_in_t *in, const uw_terms_t *cur,
          uw_terms_t *t, cy_error_t *err)
{
    *t = *cur;
    cy_status_t st = amount_in(&in->aggregate_limit, "aggregate_limit", 1, &t->limit, err);
    if (st == CY_OK)
        st = amount_in(&in->retention, "retention", 0, &t->retention, err);
    if (st == CY_OK)
        st = insured_in(app, in, t, err);
    if (st == CY_OK && in->has_coverages)
        st = coverages_in(p, in, t, err);
    else if (st == CY_OK && t->limit != cur->limit)
        /* a new limit without coverages: the product's sublimits under it, as a quote's */
        for (int c = 0; c < COV_N; c++)
            if (t->covered & (1u << c))
                t->sublimit[c] = default_sublimit(p, c, t->limit);
    if (st == CY_OK && uw_text_check(in->note, "note", 2000, 0, err) != CY_OK)
        st = err->status;
    if (st == CY_OK && memcmp(t, cur, sizeof *t) == 0)
        st = in->aggregate_limit.given
                 ? cy_error_set(err, CY_EINVAL, "limit_unchanged", "aggregate_limit",
                                "新的累计赔偿限额与现有限额相同，请选另一个限额 / the new "
                                "aggregate limit is the current one: choose another")
                 : cy_error_set(err, CY_EINVAL, "nothing_changed", "",
                                "这次批改没有改变任何条款，请至少修改一项 / this endorsement "
                                "changes nothing: change at least one term");
    return st;
}

/* The schedule t priced as a quote of the policy's insured would be: its annual premium. */
static cy_status_t
reprice(const app_t *app, const uw_product_t *p, const uw_policy_t *y, int64_t now, uw_terms_t *t,
        char **breakdown, cy_error_t *err)
{
    uw_price_res_t *res = malloc(sizeof *res);
    if (res == NULL)
        return cy_error_no_memory(err);
    uw_price_req_t rq = {.section = t->section,
                         .revenue = t->revenue,
                         .gross_margin = t->margin_bp >= 0 ? t->margin_bp / 10000.0 : -1.0,
                         .grade = y->grade,
                         .limit = t->limit,
                         .retention = t->retention,
                         .covered = t->covered,
                         .claim_free_years = y->quote_claim_free_years,
                         .now = now,
                         .sublimit = t->sublimit};
    cy_status_t st = uw_price(app->uw, p, &rq, res, err);
    if (st == CY_OK) {
        t->annual = res->price.premium;
        *breakdown = uw_breakdown_text(app->uw, p, &rq, res, 12);
        if (*breakdown == NULL)
            st = cy_error_no_memory(err);
    }
    free(res);
    return st;
}

/* The words of what e changed, for the audit ("限额、免赔额" / "limit, retention"). */
static void
changed_words(uint32_t m, char *zh, char *en, size_t cap)
{
    static const struct {
        uint32_t bit;
        const char *zh, *en;
    } W[] = {{UW_CHANGED_LIMIT, "累计赔偿限额", "aggregate limit"},
             {UW_CHANGED_RETENTION, "免赔额", "retention"},
             {UW_CHANGED_COVERAGES, "险种", "coverages"},
             {UW_CHANGED_SUBLIMITS, "分项限额", "sublimits"},
             {UW_CHANGED_INSURED, "被保险人信息", "insured's details"}};
    size_t a = 0, b = 0;
    zh[0] = en[0] = '\0';
    for (size_t i = 0; i < sizeof W / sizeof W[0]; i++)
        if (m & W[i].bit) {
            a += (size_t)snprintf(zh + a, a < cap ? cap - a : 0, "%s%s", a ? "、" : "", W[i].zh);
            b += (size_t)snprintf(en + b, b < cap ? cap - b : 0, "%s%s", b ? ", " : "", W[i].en);
        }
}

static cy_status_t
audit_change(store_conn_t *c, const actor_t *a, int64_t now, const uw_policy_t *y,
             const uw_endorsement_t *e, cy_error_t *err)
{
    char ids[24], zh[96], en[96], ed[16], o[MONEY_FORMAT_MAX], n[MONEY_FORMAT_MAX],
        d[MONEY_FORMAT_MAX];
    changed_words(e->changed, zh, en, sizeof zh);
    bjtime_format_date(e->effective, ed);
    money_format(e->old_annual_premium, o, sizeof o);
    money_format(e->new_annual_premium, n, sizeof n);
    money_format(e->premium_delta, d, sizeof d);
    return app_audit_append(c, a, now, "policy.endorse", "policy", uw_id_text(y->id, ids), err,
                            "批改保单 %s（%s），自 %s 生效，年保费 %s → %s，按日比例保费 %s / "
                            "endorsed policy %s (%s) from %s, annual premium %s → %s, pro-rata "
                            "premium %s",
                            y->policy_no, zh, ed, o, n, d, y->policy_no, en, ed, o, n, d);
}

/* The change as sent, priced: endorsement *e of y effective at its date. */
static cy_status_t
price_change(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const uw_endorse_in_t *in,
             uw_policy_t *y, uw_endorsement_t *e, cy_error_t *err)
{
    int64_t eff = 0;
    int found = 0;
    cy_status_t st = effective_date(y, in->effective_date, now, &eff, err);
    uw_product_t *p = st == CY_OK ? malloc(sizeof *p) : NULL;
    if (st == CY_OK && p == NULL)
        st = cy_error_no_memory(err);
    if (st == CY_OK)
        st = uw_product_read(c, y->product_id, p, &found, err);
    if (st == CY_OK) {
        uw_policy_at(y, eff); /* the schedule the change starts from */
        *e = endorsement_at(a, now, y, "change", eff, in->note);
        st = new_terms(app, p, in, &y->terms, &e->after, err);
    }
    if (st == CY_OK)
        st = reprice(app, p, y, now, &e->after, &e->breakdown, err);
    if (st == CY_OK) {
        e->new_annual_premium = e->after.annual;
        st = pricing_pro_rata(e->new_annual_premium - e->old_annual_premium, e->days_remaining,
                              e->days_total, &e->premium_delta, err);
    }
    free(p);
    return st;
}

/* ---------- cancellation ---------- */

static const uw_cancel_reason_t *
cancel_reason(const char *code)
{
    for (size_t i = 0; code && i < uw_n_cancel_reasons; i++)
        if (strcmp(uw_cancel_reasons[i].code, code) == 0)
            return &uw_cancel_reasons[i];
    return NULL;
}

/* Cancel from the date sent: the premium of the days left goes back. */
static cy_status_t
price_cancel(const actor_t *a, int64_t now, const uw_cancel_in_t *in, uw_policy_t *y,
             uw_endorsement_t *e, cy_error_t *err)
{
    int64_t eff = 0;
    const uw_cancel_reason_t *why = cancel_reason(in->reason);
    cy_status_t st = effective_date(y, in->effective_date, now, &eff, err);
    if (st == CY_OK && why == NULL)
        st = cy_error_set(err, CY_EINVAL, "reason_required", "reason",
                          "请选择退保原因 / choose the reason for the cancellation");
    if (st == CY_OK)
        st = uw_text_check(in->note, "note", 2000, 0, err);
    if (st == CY_OK && !strcmp(why->code, "other") && (in->note == NULL || !in->note[0]))
        st = cy_error_set(err, CY_EINVAL, "note_required", "note",
                          "原因选“其他”时，请在说明中写明原因 / with another reason, say which in "
                          "the note");
    if (st != CY_OK)
        return st;
    uw_policy_at(y, eff);
    *e = endorsement_at(a, now, y, "cancellation", eff, in->note);
    uw_copy(e->reason, sizeof e->reason, why->code);
    int64_t ret = 0;
    st = pricing_pro_rata(y->terms.annual, e->days_remaining, e->days_total, &ret, err);
    e->premium_delta = -ret;
    if (st == CY_OK) {
        utc_format_iso(now, y->cancelled_at);
        uw_copy(y->cancel_effective, sizeof y->cancel_effective, e->effective_at);
        uw_copy(y->updated_at, sizeof y->updated_at, y->cancelled_at);
        y->return_premium = ret;
    }
    return st;
}

static cy_status_t
audit_cancel(store_conn_t *c, const actor_t *a, int64_t now, const uw_policy_t *y,
             const uw_endorsement_t *e, cy_error_t *err)
{
    const uw_cancel_reason_t *why = cancel_reason(e->reason);
    char ids[24], r[MONEY_FORMAT_MAX], ed[16];
    money_format(y->return_premium, r, sizeof r);
    bjtime_format_date(e->effective, ed);
    return app_audit_append(c, a, now, "policy.cancel", "policy", uw_id_text(y->id, ids), err,
                            "退保 %s（%s）：自 %s 起，按日比例退还保费 %s（%" PRId64 "/%" PRId64
                            " 天） / cancelled policy %s (%s) from %s, pro-rata return premium %s "
                            "(%" PRId64 "/%" PRId64 " days)",
                            y->policy_no, why->name_zh, ed, r, e->days_remaining, e->days_total,
                            y->policy_no, why->name_en, ed, r, e->days_remaining, e->days_total);
}

/* ---------- one way to make a change ---------- */

/* The connection of a change: a transaction, or only a read for a preview. */
static cy_status_t
open_for(app_t *app, int preview, store_conn_t **c, cy_error_t *err)
{
    return preview ? store_acquire(app->store, c, err) : store_tx_open(app->store, c, err);
}

static cy_status_t
close_for(app_t *app, int preview, store_conn_t *c, cy_status_t st, cy_error_t *err)
{
    if (!preview)
        return store_tx_close(app->store, c, st, err);
    store_release(app->store, c);
    return st;
}

/*
 * A change of terms (ein) or a cancellation (cin) of policy id: priced, and
 * unless it is a preview stored with its audit entry in one transaction.
 * *y is the policy as a sees it at now, the endorsement last.
 */
static cy_status_t
change_policy(app_t *app, const actor_t *a, int64_t now, int64_t id, const uw_endorse_in_t *ein,
              const uw_cancel_in_t *cin, uw_policy_t *y, cy_error_t *err)
{
    int preview = ein ? ein->preview : cin->preview;
    store_conn_t *c;
    memset(y, 0, sizeof *y);
    cy_status_t st = open_for(app, preview, &c, err);
    if (st != CY_OK)
        return st;
    uw_endorsement_t e = {0};
    st = load_for_change(c, a, id, ein ? ACT_POLICY_ENDORSE : ACT_POLICY_CANCEL, y, err);
    if (st == CY_OK)
        st = ein ? price_change(app, c, a, now, ein, y, &e, err)
                 : price_cancel(a, now, cin, y, &e, err);
    if (st == CY_OK && !preview)
        st = uw_endorsement_insert(c, y->id, &e, err);
    if (st == CY_OK && !preview && cin)
        st = uw_policy_set_cancelled(c, y, err);
    if (st == CY_OK)
        st = append(a, now, y, &e, err); /* y owns e's breakdown from here */
    else
        free(e.breakdown);
    if (st == CY_OK && !preview)
        st = ein ? audit_change(c, a, now, y, &e, err) : audit_cancel(c, a, now, y, &e, err);
    st = close_for(app, preview, c, st, err);
    if (st != CY_OK)
        uw_policy_free(y);
    return st;
}

cy_status_t
app_uw_policy_endorse(app_t *app, const actor_t *a, int64_t now, int64_t id,
                      const uw_endorse_in_t *in, uw_policy_t *y, cy_error_t *err)
{
    return change_policy(app, a, now, id, in, NULL, y, err);
}

cy_status_t
app_uw_policy_cancel(app_t *app, const actor_t *a, int64_t now, int64_t id,
                     const uw_cancel_in_t *in, uw_policy_t *y, cy_error_t *err)
{
    return change_policy(app, a, now, id, NULL, in, y, err);
}

/* ---------- renewal ---------- */

/* The renewal's facts: the policy's in force at its end, with what the body changes. */
static cy_status_t
renewal_facts(uw_policy_t *y, const uw_renew_in_t *in, uw_apply_t *ap, cy_error_t *err)
{
    uw_policy_at(y, y->end - 1);
    const uw_terms_t *t = &y->terms;
    *ap = (uw_apply_t){.insured_org_id = y->insured_org_id,
                       .renewal_of = y->id,
                       .section = t->section,
                       .revenue = t->revenue,
                       .margin_bp = t->margin_bp,
                       .limit = t->limit,
                       .retention = t->retention,
                       .covered = t->covered,
                       .assessment_id = in->assessment_id};
    uw_copy(ap->insured_name, sizeof ap->insured_name, y->insured_name);
    if (in->assessment_id <= 0)
        return cy_error_set(err, CY_EINVAL, "assessment_required", "assessment_id",
                            "续保需要一份新的风险评估：请选择一份；还没有的话，先完成一次风险评估 "
                            "/ a renewal needs a new risk assessment: choose one, or complete one "
                            "first");
    cy_status_t st = CY_OK;
    if (in->revenue.given && in->revenue.v <= 0)
        st = cy_error_set(err, CY_EINVAL, "revenue_invalid", "revenue",
                          "年营业收入应大于 0 / the annual revenue must be above 0");
    if (st == CY_OK)
        st = amount_in(&in->revenue, "revenue", 1, &ap->revenue, err);
    if (st == CY_OK && in->gross_margin_bp.given &&
        (st = uw_int_check(in->gross_margin_bp.v, "gross_margin_bp", 0, 10000, err)) == CY_OK)
        ap->margin_bp = (int)in->gross_margin_bp.v;
    if (st == CY_OK)
        st = amount_in(&in->aggregate_limit, "aggregate_limit", 1, &ap->limit, err);
    if (st == CY_OK)
        st = amount_in(&in->retention, "retention", 0, &ap->retention, err);
    return st;
}

/* The assessment the policy was quoted on, when it still exists: its submission time. */
static cy_status_t
quoted_assessment_at(app_t *app, store_conn_t *c, const uw_policy_t *y, char at[32],
                     cy_error_t *err)
{
    at[0] = '\0';
    if (y->quote_assessment_id <= 0)
        return CY_OK;
    uw_assess_t *old = calloc(1, sizeof *old);
    int found = 0;
    cy_status_t st = old ? uw_assess_read(c, &app->uw->qn, y->quote_assessment_id, old, &found, err)
                         : cy_error_no_memory(err);
    if (st == CY_OK && found)
        uw_copy(at, 32, old->v.submitted_at);
    uw_assess_free(old);
    free(old);
    return st;
}

/*
 * A renewal needs a new assessment: the insured's, submitted, not the one the
 * policy was quoted on and submitted no earlier (uw_assess_renewal_usable's rule).
 */
static cy_status_t
new_assessment(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const uw_policy_t *y,
               int64_t id, cy_error_t *err)
{
    uw_assess_t *as = calloc(1, sizeof *as);
    char old_at[32];
    cy_status_t st = as ? uw_assess_for(app, c, a, id, now, as, err) : cy_error_no_memory(err);
    if (st == CY_OK)
        st = quoted_assessment_at(app, c, y, old_at, err);
    if (st == CY_OK && as->v.org_id == y->insured_org_id && !strcmp(as->v.status, "submitted") &&
        (as->v.id == y->quote_assessment_id ||
         (old_at[0] && strcmp(as->v.submitted_at, old_at) < 0)))
        st = cy_error_set(err, CY_EINVAL, "assessment_not_new", "assessment_id",
                          "续保需要一次新的风险评估（晚于保单所依据的评估 %" PRId64
                          "）：请先完成一次新的评估 / renewal needs a new assessment (later than "
                          "assessment %" PRId64 " the policy was quoted on): complete one first",
                          y->quote_assessment_id, y->quote_assessment_id);
    uw_assess_free(as);
    free(as);
    return st;
}

static cy_status_t
renew(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, uw_policy_t *y,
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
        st = new_assessment(app, c, a, now, y, ap.assessment_id, err);
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
    if (!strcmp(y->trigger, "claims_made"))
        uw_copy(ap.retro_date, sizeof ap.retro_date, y->retro_date); /* continuity of cover */
    return uw_quote_apply(app, c, a, now, &ap, out, err);
}

cy_status_t
app_uw_policy_renew(app_t *app, const actor_t *a, int64_t now, int64_t id, const uw_renew_in_t *in,
                    uw_quote_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    uw_policy_t *y = calloc(1, sizeof *y);
    if (y == NULL)
        return cy_error_no_memory(err);
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

/* Why a renewal cannot be asked for now, in words; possible when nothing is said. */
static void
renewal_blocked(const uw_policy_t *y, int on_sale, size_t usable, uw_renewal_options_t *o)
{
    char d[16] = "";
    if (y->cancel_effective[0])
        bjtime_format_date(app_iso_to_time(y->cancel_effective), d);
    if (y->cancel_effective[0])
        snprintf(o->reason_zh, sizeof o->reason_zh, "保单已办理退保（自 %s 起），不能续保。", d);
    else if (y->renewed_by > 0)
        snprintf(o->reason_zh, sizeof o->reason_zh, "保单已续保。");
    else if (!on_sale)
        snprintf(o->reason_zh, sizeof o->reason_zh, "产品“%s”已无在售版本，不能续保。",
                 y->product_name);
    else if (usable == 0)
        snprintf(o->reason_zh, sizeof o->reason_zh,
                 "续保需要一份新的风险评估（晚于保单所依据的评估 #%" PRId64
                 "）。请先完成并提交一次风险评估，再回来续保。",
                 y->quote_assessment_id);
    if (y->cancel_effective[0])
        snprintf(o->reason_en, sizeof o->reason_en,
                 "The policy is cancelled from %s: it cannot be renewed.", d);
    else if (y->renewed_by > 0)
        snprintf(o->reason_en, sizeof o->reason_en, "The policy is already renewed.");
    else if (!on_sale)
        snprintf(o->reason_en, sizeof o->reason_en,
                 "Product \"%s\" has no version on sale: no renewal.", y->product_name);
    else if (usable == 0)
        snprintf(o->reason_en, sizeof o->reason_en,
                 "A renewal needs a new risk assessment (later than assessment #%" PRId64
                 " the policy was quoted on). Complete and submit one first, then renew.",
                 y->quote_assessment_id);
    o->possible = o->reason_zh[0] == '\0';
}

cy_status_t
app_uw_renewal_options(app_t *app, const actor_t *a, int64_t now, int64_t id,
                       uw_renewal_options_t *o, cy_error_t *err)
{
    memset(o, 0, sizeof *o);
    uw_policy_t *y = calloc(1, sizeof *y);
    if (y == NULL)
        return cy_error_no_memory(err);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    int found = 0, on_sale = 0;
    char old_at[32];
    uw_assessment_list_t l = {0};
    if (st == CY_OK) {
        st = uw_policy_read(c, id, y, &found, err);
        if (st == CY_OK && (!found || !uw_policy_visible(a, y)))
            st = app_not_found(err, "保单", "policy", id);
        if (st == CY_OK && !uw_policy_may(a, y, ACT_POLICY_RENEW))
            st = app_forbidden(err, ACT_POLICY_RENEW);
        if (st == CY_OK)
            st = uw_product_on_sale(c, y->product_id, &o->product_id, &on_sale, err);
        if (st == CY_OK)
            st = quoted_assessment_at(app, c, y, old_at, err);
        if (st == CY_OK)
            st = uw_assess_renewal_usable(c, y->insured_org_id, y->quote_assessment_id, old_at, &l,
                                          err);
        store_release(app->store, c);
    }
    if (st == CY_OK) {
        as_seen(a, now, y);
        o->last_assessment_id = y->quote_assessment_id;
        o->assessments = l.items;
        o->n_assessments = l.n;
        l.items = NULL;
        if (!on_sale)
            o->product_id = 0;
        bjtime_format_date(y->end, o->start_date);
        renewal_blocked(y, on_sale, o->n_assessments, o);
    }
    uw_assessment_list_free(&l);
    uw_policy_free(y);
    free(y);
    return st;
}

void
uw_renewal_options_free(uw_renewal_options_t *o)
{
    uw_assessment_list_t l = {.items = o->assessments, .n = o->n_assessments};
    uw_assessment_list_free(&l);
    o->assessments = NULL;
    o->n_assessments = 0;
}
