/*
 * uw_policy.c — policies after binding (DOMAIN.md §6): the schedule as the
 * API shows it, the mid-term change of the limit (premium pro rata by day),
 * the cancellation (pro-rata return premium by day) and the renewal quote
 * (a new assessment, the claim-free credit of data/underwriting/). The
 * policy's terms are the terms engine's (core/terms.h): aggregate limit,
 * per-loss retention, BI waiting period, per coverage sublimit and share.
 * Each write is one transaction with its audit entry. Depends on core/,
 * store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/uw/uw.h"
#include "app/uw/internal.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "core/money.h"

typedef struct {
    int64_t id, quote_id, product_id, insurer_org_id, insured_org_id, renewal_of, renewed_by;
    char policy_no[POLICYNO_MAX], status[12], period_start[32], period_end[32], trigger[16];
    char retro_date[32];
    int64_t limit, retention;
    int bi_waiting_hours;
    char section;
    char region[8];
    int64_t revenue;
    int margin_bp;
    char grade;
    char dep[4][64];
    int64_t annual, written;
    json_t *conditions;
    int claims_count;
    char cancelled_at[32], cancel_effective[32];
    int64_t return_premium; /* -1: none */
    char created_at[32], updated_at[32];
    char product_name[256];
    int product_version;
    char insurer_name[256], insured_name[256];
    int64_t quote_assessment_id;
    int quote_claim_free_years;
    uint32_t covered;
    int64_t sublimit[COV_N];
    int share_bp[COV_N];
} policy_rec_t;

#define POLICY_COLS                                                                                \
    "y.id, y.quote_id, y.product_id, y.insurer_org_id, y.insured_org_id, y.renewal_of, (SELECT "   \
    "id FROM uw_policy r WHERE r.renewal_of = y.id), y.policy_no, y.status, y.period_start, "      \
    "y.period_end, y.liability_trigger, y.retro_date, y.aggregate_limit, y.retention, "            \
    "y.bi_waiting_hours, y.industry_section, y.region_code, y.revenue, y.gross_margin_bp, "        \
    "y.grade, y.dep_cloud, y.dep_os, y.dep_vpn, y.dep_email, y.annual_premium, "                   \
    "y.written_premium, y.conditions, y.claims_count, y.cancelled_at, y.cancel_effective, "        \
    "y.return_premium, y.created_at, y.updated_at, p.name, p.version, io.name, o.name, "           \
    "q.assessment_id, q.claim_free_years"

static void
policy_free(policy_rec_t *y)
{
    json_decref(y->conditions);
    y->conditions = NULL;
}

static cy_status_t
policy_load(store_conn_t *c, int64_t id, policy_rec_t *y, int *found, cy_error_t *err)
{
    memset(y, 0, sizeof *y);
    *found = 0;
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st =
        store_query(c,
                    "SELECT " POLICY_COLS " FROM uw_policy y JOIN uw_product p ON p.id "
                    "= y.product_id JOIN organisation io ON io.id = y.insurer_org_id "
                    "JOIN organisation o ON o.id = y.insured_org_id JOIN uw_quote q ON "
                    "q.id = y.quote_id WHERE y.id = $1",
                    p, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        *found = 1;
        y->id = store_rows_int(r, 0);
        y->quote_id = store_rows_int(r, 1);
        y->product_id = store_rows_int(r, 2);
        y->insurer_org_id = store_rows_int(r, 3);
        y->insured_org_id = store_rows_int(r, 4);
        y->renewal_of = store_rows_int(r, 5);
        y->renewed_by = store_rows_int(r, 6);
        store_rows_copy(r, 7, y->policy_no, sizeof y->policy_no);
        store_rows_copy(r, 8, y->status, sizeof y->status);
        store_rows_copy(r, 9, y->period_start, sizeof y->period_start);
        store_rows_copy(r, 10, y->period_end, sizeof y->period_end);
        store_rows_copy(r, 11, y->trigger, sizeof y->trigger);
        store_rows_copy(r, 12, y->retro_date, sizeof y->retro_date);
        y->limit = store_rows_int(r, 13);
        y->retention = store_rows_int(r, 14);
        y->bi_waiting_hours = (int)store_rows_int(r, 15);
        const char *s = store_rows_text(r, 16);
        y->section = s && s[0] ? s[0] : 'A';
        store_rows_copy(r, 17, y->region, sizeof y->region);
        y->revenue = store_rows_int(r, 18);
        y->margin_bp = store_rows_isnull(r, 19) ? -1 : (int)store_rows_int(r, 19);
        const char *g = store_rows_text(r, 20);
        y->grade = g && g[0] ? g[0] : 'E';
        for (int d = 0; d < 4; d++)
            store_rows_copy(r, 21 + d, y->dep[d], sizeof y->dep[d]);
        y->annual = store_rows_int(r, 25);
        y->written = store_rows_int(r, 26);
        const char *cj = store_rows_text(r, 27);
        y->conditions = json_loads(cj ? cj : "[]", 0, NULL);
        y->claims_count = (int)store_rows_int(r, 28);
        store_rows_copy(r, 29, y->cancelled_at, sizeof y->cancelled_at);
        store_rows_copy(r, 30, y->cancel_effective, sizeof y->cancel_effective);
        y->return_premium = store_rows_isnull(r, 31) ? -1 : store_rows_int(r, 31);
        store_rows_copy(r, 32, y->created_at, sizeof y->created_at);
        store_rows_copy(r, 33, y->updated_at, sizeof y->updated_at);
        store_rows_copy(r, 34, y->product_name, sizeof y->product_name);
        y->product_version = (int)store_rows_int(r, 35);
        store_rows_copy(r, 36, y->insurer_name, sizeof y->insurer_name);
        store_rows_copy(r, 37, y->insured_name, sizeof y->insured_name);
        y->quote_assessment_id = store_rows_int(r, 38);
        y->quote_claim_free_years = (int)store_rows_int(r, 39);
    } else if (k < 0) {
        st = err->status;
    }
    store_rows_free(r);
    if (st != CY_OK || !*found)
        return st;
    st =
        store_query(c,
                    "SELECT coverage, sublimit, share_bp FROM uw_policy_coverage WHERE policy_id = "
                    "$1",
                    p, 1, &r, err);
    if (st != CY_OK)
        return st;
    while ((k = store_rows_next(r, err)) == 1) {
        int cv = cov_find(store_rows_text(r, 0));
        if (cv < 0)
            continue;
        y->covered |= 1u << cv;
        y->sublimit[cv] = store_rows_int(r, 1);
        y->share_bp[cv] = (int)store_rows_int(r, 2);
    }
    if (k < 0)
        st = err->status;
    store_rows_free(r);
    return st;
}

static int
policy_visible(const actor_t *a, const policy_rec_t *y)
{
    return uw_sees_all(a) || y->insured_org_id == a->org_id || y->insurer_org_id == a->org_id;
}

static json_t *
endorsements_json(store_conn_t *c, int64_t id, cy_error_t *err, cy_status_t *st)
{
    json_t *arr = json_array();
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    *st = store_query(c,
                      "SELECT id, kind, effective_at, old_limit, new_limit, old_annual_premium, "
                      "new_annual_premium, days_remaining, days_total, premium_delta, note, "
                      "created_by_user_id, created_at FROM uw_endorsement WHERE policy_id = $1 "
                      "ORDER BY id",
                      p, 1, &r, err);
    if (*st != CY_OK)
        return arr;
    int k;
    while ((k = store_rows_next(r, err)) == 1)
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:s}",
                           "id", (json_int_t)store_rows_int(r, 0), "kind", store_rows_text(r, 1),
                           "effective_at", store_rows_text(r, 2), "old_limit",
                           (json_int_t)store_rows_int(r, 3), "new_limit",
                           (json_int_t)store_rows_int(r, 4), "old_annual_premium",
                           (json_int_t)store_rows_int(r, 5), "new_annual_premium",
                           (json_int_t)store_rows_int(r, 6), "days_remaining",
                           (json_int_t)store_rows_int(r, 7), "days_total",
                           (json_int_t)store_rows_int(r, 8), "premium_delta",
                           (json_int_t)store_rows_int(r, 9), "note", store_rows_text(r, 10),
                           "created_by_user_id", (json_int_t)store_rows_int(r, 11), "created_at",
                           store_rows_text(r, 12)));
    if (k < 0)
        *st = err->status;
    store_rows_free(r);
    return arr;
}

static json_t *
policy_json(const policy_rec_t *y, json_t *endorsements)
{
    int64_t now = app_now(), start = app_iso_to_time(y->period_start),
            end = app_iso_to_time(y->period_end);
    char sbj[32], ebj[32], sec[2] = {y->section, '\0'}, grade[2] = {y->grade, '\0'};
    bjtime_format(start, sbj);
    bjtime_format(end, ebj);
    json_t *cov = json_array();
    for (int c = 0; c < COV_N; c++)
        if (y->covered & (1u << c))
            json_array_append_new(
                cov,
                json_pack("{s:s, s:s, s:s, s:I, s:i, s:o}", "code", cov_code(c), "name_zh",
                          cov_name_zh(c), "name_en", cov_name_en(c), "sublimit",
                          (json_int_t)y->sublimit[c], "share_bp", y->share_bp[c], "waiting_hours",
                          c == COV_BI ? json_integer(y->bi_waiting_hours) : json_null()));
    json_t *deps = json_pack("{s:s, s:s, s:s, s:s}", "cloud", y->dep[0], "os", y->dep[1], "vpn",
                             y->dep[2], "email", y->dep[3]);
    int in_force = !strcmp(y->status, "active") && start <= now && now < end;
    return json_pack(
        "{s:I, s:s, s:s, s:b, s:I, s:{s:I, s:s, s:i}, s:{s:I, s:s}, s:{s:I, s:s}, "
        "s:{s:s, s:s, s:s, s:s, s:I}, s:s, s:o, s:{s:I, s:I, s:i, s:o}, "
        "s:{s:s, s:s, s:I, s:o, s:s}, s:o, s:I, s:I, s:O, s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:s, "
        "s:s}",
        "id", (json_int_t)y->id, "policy_no", y->policy_no, "status", y->status, "in_force",
        in_force, "quote_id", (json_int_t)y->quote_id, "product", "id", (json_int_t)y->product_id,
        "name", y->product_name, "version", y->product_version, "insurer", "org_id",
        (json_int_t)y->insurer_org_id, "name", y->insurer_name, "insured", "org_id",
        (json_int_t)y->insured_org_id, "name", y->insured_name, "period", "start", y->period_start,
        "end", y->period_end, "start_beijing", sbj, "end_beijing", ebj, "days",
        (json_int_t)pricing_days(start, end), "trigger", y->trigger, "retro_date",
        y->retro_date[0] ? json_string(y->retro_date) : json_null(), "terms", "aggregate_limit",
        (json_int_t)y->limit, "retention", (json_int_t)y->retention, "bi_waiting_hours",
        y->bi_waiting_hours, "coverages", cov, "rating", "industry_section", sec, "region_code",
        y->region, "revenue", (json_int_t)y->revenue, "gross_margin_bp",
        y->margin_bp >= 0 ? json_integer(y->margin_bp) : json_null(), "grade", grade,
        "dependencies", deps, "annual_premium", (json_int_t)y->annual, "written_premium",
        (json_int_t)y->written, "conditions", y->conditions ? y->conditions : json_array(),
        "renewal_of", y->renewal_of ? json_integer(y->renewal_of) : json_null(), "renewed_by",
        y->renewed_by ? json_integer(y->renewed_by) : json_null(), "claims_count", y->claims_count,
        "cancelled_at", y->cancelled_at[0] ? json_string(y->cancelled_at) : json_null(),
        "cancel_effective", y->cancel_effective[0] ? json_string(y->cancel_effective) : json_null(),
        "return_premium", y->return_premium >= 0 ? json_integer(y->return_premium) : json_null(),
        "endorsements", endorsements ? endorsements : json_array(), "created_at", y->created_at,
        "updated_at", y->updated_at);
}

cy_status_t
uw_policy_json_load(app_t *app, store_conn_t *c, int64_t id, json_t **out, cy_error_t *err)
{
    (void)app;
    policy_rec_t *y = malloc(sizeof *y);
    if (y == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    int found = 0;
    cy_status_t st = policy_load(c, id, y, &found, err);
    if (st == CY_OK && !found)
        st = app_not_found(err, "保单", "policy", id);
    if (st == CY_OK) {
        json_t *e = endorsements_json(c, id, err, &st);
        if (st == CY_OK)
            *out = policy_json(y, e);
        else
            json_decref(e);
    }
    policy_free(y);
    free(y);
    return st;
}

cy_status_t
app_uw_policy_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    *out = NULL;
    policy_rec_t *y = malloc(sizeof *y);
    if (y == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK) {
        free(y);
        return st;
    }
    int found = 0;
    st = policy_load(c, id, y, &found, err);
    if (st == CY_OK && (!found || !policy_visible(a, y)))
        st = app_not_found(err, "保单", "policy", id);
    if (st == CY_OK && !uw_may(a, ACT_POLICY_READ))
        st = app_forbidden(err, ACT_POLICY_READ);
    if (st == CY_OK) {
        json_t *e = endorsements_json(c, id, err, &st);
        if (st == CY_OK)
            *out = policy_json(y, e);
        else
            json_decref(e);
    }
    store_release(app->store, c);
    policy_free(y);
    free(y);
    return st;
}

cy_status_t
app_uw_policy_list(app_t *app, const actor_t *a, const char *status, int64_t cursor, int limit,
                   json_t **items, int64_t *next, cy_error_t *err)
{
    *items = NULL;
    *next = 0;
    if (!uw_may(a, ACT_POLICY_READ))
        return app_forbidden(err, ACT_POLICY_READ);
    if (status != NULL && strcmp(status, "active") && strcmp(status, "cancelled"))
        return cy_error_set(err, CY_EINVAL, "status_invalid", "status",
                            "status 应为 active 或 cancelled / status must be active or cancelled");
    if (limit < 1 || limit > 100)
        limit = 50;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t q[] = {STORE_P_INT(uw_sees_all(a)), STORE_P_INT(a->org_id), STORE_P_TEXT(status),
                         STORE_P_INT(cursor > 0 ? cursor : INT64_MAX), STORE_P_INT(limit + 1)};
    store_rows_t *r;
    int64_t ids[101];
    int n = 0;
    st = store_query(c,
                     "SELECT id FROM uw_policy WHERE ($1 = 1 OR insured_org_id = $2 OR "
                     "insurer_org_id = $2) AND (CAST($3 AS TEXT) IS NULL OR status = $3) AND id < "
                     "$4 ORDER BY id DESC LIMIT $5",
                     q, 5, &r, err);
    if (st == CY_OK) {
        int k;
        while ((k = store_rows_next(r, err)) == 1 && n < limit + 1)
            ids[n++] = store_rows_int(r, 0);
        if (k < 0)
            st = err->status;
        store_rows_free(r);
    }
    json_t *arr = json_array();
    for (int i = 0; i < n && i < limit && st == CY_OK; i++) {
        json_t *j = NULL;
        st = uw_policy_json_load(app, c, ids[i], &j, err);
        if (st == CY_OK) {
            json_object_del(j, "endorsements");
            json_array_append_new(arr, j);
        }
    }
    store_release(app->store, c);
    if (st != CY_OK) {
        json_decref(arr);
        return st;
    }
    if (n > limit)
        *next = ids[limit - 1];
    *items = arr;
    return CY_OK;
}

/* ---------- endorsement and cancellation ---------- */

typedef struct {
    app_t *app;
    const actor_t *a;
    int64_t id;
    json_t *body;
    json_t *out;
    policy_rec_t y;
} policy_tx_t;

static cy_status_t
check_keys(json_t *body, const char *const *known, cy_error_t *err)
{
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val)
    {
        int ok = 0;
        for (size_t i = 0; known[i] && !ok; i++)
            ok = strcmp(known[i], key) == 0;
        if (!ok)
            return cy_error_set(err, CY_EINVAL, "unknown_field", key,
                                "未知字段 %s / unknown field %s", key, key);
    }
    return CY_OK;
}

/* Load for a change: visible (404), permitted (403), still active (409). */
static cy_status_t
load_for_change(policy_tx_t *t, store_conn_t *c, authz_action_t act, cy_error_t *err)
{
    int found = 0;
    cy_status_t st = policy_load(c, t->id, &t->y, &found, err);
    if (st != CY_OK)
        return st;
    if (!found || !policy_visible(t->a, &t->y))
        return app_not_found(err, "保单", "policy", t->id);
    const actor_t *a = t->a;
    int own = a->cli || t->y.insurer_org_id == a->org_id ||
              (act != ACT_POLICY_ENDORSE && t->y.insured_org_id == a->org_id);
    if (act == ACT_POLICY_RENEW)
        own = a->cli || t->y.insured_org_id == a->org_id;
    if (!uw_may(a, act) || !own)
        return app_forbidden(err, act);
    if (strcmp(t->y.status, "active") != 0)
        return cy_error_set(err, CY_ECONFLICT, "policy_cancelled", "status",
                            "保单 %s 已退保 / policy %s is cancelled", t->y.policy_no,
                            t->y.policy_no);
    return CY_OK;
}

/* The effective date: within the period, not in the past, not before the last change. */
static cy_status_t
effective_date(policy_tx_t *t, store_conn_t *c, int64_t *eff, cy_error_t *err)
{
    const char *s;
    int y, m, d, ty, tm, td;
    cy_status_t st = uw_jtext(t->body, "effective_date", 10, 1, &s, err);
    if (st == CY_OK)
        st = uw_date_parse(s, "effective_date", &y, &m, &d, err);
    if (st != CY_OK)
        return st;
    *eff = uw_midnight(y, m, d);
    int64_t start = app_iso_to_time(t->y.period_start), end = app_iso_to_time(t->y.period_end);
    if (*eff < start || *eff >= end) {
        char a[16], b[16];
        bjtime_format_date(start, a);
        bjtime_format_date(end - 1, b);
        return cy_error_set(err, CY_EINVAL, "effective_outside_period", "effective_date",
                            "生效日期 %s 不在保险期间（%s 至 %s）内 / the effective date %s is "
                            "outside the policy period (%s to %s)",
                            s, a, b, s, a, b);
    }
    uw_today(app_now(), &ty, &tm, &td);
    if (*eff < uw_midnight(ty, tm, td))
        return cy_error_set(err, CY_EINVAL, "effective_in_past", "effective_date",
                            "生效日期 %s 早于今天，不能追溯 / the effective date %s is before "
                            "today: no back-dating",
                            s, s);
    store_param_t p[] = {STORE_P_INT(t->y.id)};
    store_rows_t *r;
    if ((st = store_query(c, "SELECT MAX(effective_at) FROM uw_endorsement WHERE policy_id = $1", p,
                          1, &r, err)) != CY_OK)
        return st;
    int64_t last = -1;
    if (store_rows_next(r, err) == 1 && !store_rows_isnull(r, 0))
        last = app_iso_to_time(store_rows_text(r, 0));
    store_rows_free(r);
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

static cy_status_t
add_endorsement(policy_tx_t *t, store_conn_t *c, const char *kind, int64_t eff, int64_t new_limit,
                int64_t new_annual, int64_t days, int64_t total, int64_t delta, const char *note,
                cy_error_t *err)
{
    char eff_iso[32], now[32];
    utc_format_iso(eff, eff_iso);
    app_now_iso(now);
    store_param_t p[] = {STORE_P_INT(t->y.id),
                         STORE_P_TEXT(kind),
                         STORE_P_TEXT(eff_iso),
                         STORE_P_INT(t->y.limit),
                         STORE_P_INT(new_limit),
                         STORE_P_INT(t->y.annual),
                         STORE_P_INT(new_annual),
                         STORE_P_INT(days),
                         STORE_P_INT(total),
                         STORE_P_INT(delta),
                         STORE_P_TEXT(note ? note : ""),
                         STORE_P_INT(t->a->user_id),
                         STORE_P_TEXT(now)};
    return store_exec(
        c,
        "INSERT INTO uw_endorsement (policy_id, kind, effective_at, old_limit, "
        "new_limit, old_annual_premium, new_annual_premium, days_remaining, "
        "days_total, premium_delta, note, created_by_user_id, created_at) VALUES ($1, "
        "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        p, 13, NULL, err);
}

static cy_status_t
endorse_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    policy_tx_t *t = arg;
    static const char *const keys[] = {"effective_date", "aggregate_limit", "note", NULL};
    cy_status_t st = check_keys(t->body, keys, err);
    if (st == CY_OK)
        st = load_for_change(t, c, ACT_POLICY_ENDORSE, err);
    int64_t eff = 0, limit = 0;
    int present;
    const char *note = NULL;
    if (st == CY_OK)
        st = effective_date(t, c, &eff, err);
    if (st == CY_OK)
        st = uw_jint(t->body, "aggregate_limit", -TERMS_AMOUNT_MAX, TERMS_AMOUNT_MAX, 1, &present,
                     &limit, err);
    if (st == CY_OK)
        st = uw_jtext(t->body, "note", 2000, 0, &note, err);
    if (st != CY_OK)
        return st;
    if (limit == t->y.limit)
        return cy_error_set(
            err, CY_EINVAL, "limit_unchanged", "aggregate_limit",
            "新的累计赔偿限额与现有限额相同 / the new aggregate limit is the current "
            "one");
    /* reprice the same insured under the same product with the new limit */
    uw_product_rec_t *p = malloc(sizeof *p);
    if (p == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    int found = 0;
    st = uw_product_load(t->app, c, t->y.product_id, p, &found, err);
    uw_price_req_t rq = {.section = t->y.section,
                         .revenue = t->y.revenue,
                         .gross_margin = t->y.margin_bp >= 0 ? t->y.margin_bp / 10000.0 : -1.0,
                         .grade = t->y.grade,
                         .limit = limit,
                         .retention = t->y.retention,
                         .covered = t->y.covered,
                         .claim_free_years = t->y.quote_claim_free_years,
                         .now = app_now()};
    uw_price_res_t res;
    if (st == CY_OK)
        st = uw_price(t->app->uw, p, &rq, &res, err);
    free(p);
    if (st != CY_OK)
        return st;
    int64_t start = app_iso_to_time(t->y.period_start), end = app_iso_to_time(t->y.period_end);
    int64_t total = pricing_days(start, end), days = pricing_days(eff, end), delta = 0;
    int64_t new_annual = res.price.premium;
    if ((st = pricing_pro_rata(new_annual - t->y.annual, days, total, &delta, err)) != CY_OK ||
        (st = add_endorsement(t, c, "limit_change", eff, limit, new_annual, days, total, delta,
                              note, err)) != CY_OK)
        return st;
    char now[32];
    app_now_iso(now);
    store_param_t u[] = {STORE_P_INT(limit), STORE_P_INT(new_annual),
                         STORE_P_INT(t->y.written + delta), STORE_P_TEXT(now),
                         STORE_P_INT(t->y.id)};
    st = store_exec(c,
                    "UPDATE uw_policy SET aggregate_limit = $1, annual_premium = $2, "
                    "written_premium = $3, updated_at = $4 WHERE id = $5",
                    u, 5, NULL, err);
    for (int cv = 0; cv < COV_N && st == CY_OK; cv++) {
        if (!(t->y.covered & (1u << cv)))
            continue;
        store_param_t s[] = {STORE_P_INT(res.terms.sublimit[cv]), STORE_P_INT(t->y.id),
                             STORE_P_TEXT(cov_code(cv))};
        st = store_exec(c,
                        "UPDATE uw_policy_coverage SET sublimit = $1 WHERE policy_id = $2 AND "
                        "coverage = $3",
                        s, 3, NULL, err);
    }
    if (st == CY_OK) {
        char id[24], a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], dl[MONEY_FORMAT_MAX], ed[16];
        snprintf(id, sizeof id, "%" PRId64, t->y.id);
        money_format(t->y.limit, a, sizeof a);
        money_format(limit, b, sizeof b);
        money_format(delta, dl, sizeof dl);
        bjtime_format_date(eff, ed);
        st = app_audit_append(c, t->a, app_now(), "policy.endorse", "policy", id, err,
                              "批改保单 %s：累计赔偿限额 %s → %s，自 %s 生效，按日比例保费 %s / "
                              "endorsed policy %s: aggregate limit %s → %s from %s, pro-rata "
                              "premium %s",
                              t->y.policy_no, a, b, ed, dl, t->y.policy_no, a, b, ed, dl);
    }
    if (st == CY_OK)
        st = uw_policy_json_load(t->app, c, t->y.id, &t->out, err);
    return st;
}

static cy_status_t
cancel_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    policy_tx_t *t = arg;
    static const char *const keys[] = {"effective_date", "note", NULL};
    cy_status_t st = check_keys(t->body, keys, err);
    if (st == CY_OK)
        st = load_for_change(t, c, ACT_POLICY_CANCEL, err);
    int64_t eff = 0;
    const char *note = NULL;
    if (st == CY_OK)
        st = effective_date(t, c, &eff, err);
    if (st == CY_OK)
        st = uw_jtext(t->body, "note", 2000, 0, &note, err);
    if (st != CY_OK)
        return st;
    int64_t start = app_iso_to_time(t->y.period_start), end = app_iso_to_time(t->y.period_end);
    int64_t total = pricing_days(start, end), days = pricing_days(eff, end), ret = 0;
    if ((st = pricing_pro_rata(t->y.annual, days, total, &ret, err)) != CY_OK ||
        (st = add_endorsement(t, c, "cancellation", eff, t->y.limit, 0, days, total, -ret, note,
                              err)) != CY_OK)
        return st;
    char now[32], eff_iso[32];
    app_now_iso(now);
    utc_format_iso(eff, eff_iso);
    store_param_t u[] = {STORE_P_TEXT(now), STORE_P_TEXT(eff_iso), STORE_P_INT(ret),
                         STORE_P_INT(t->y.written - ret), STORE_P_INT(t->y.id)};
    st = store_exec(c,
                    "UPDATE uw_policy SET status = 'cancelled', cancelled_at = $1, "
                    "cancel_effective = $2, return_premium = $3, written_premium = $4, "
                    "updated_at = $1 WHERE id = $5",
                    u, 5, NULL, err);
    if (st == CY_OK) {
        char id[24], r[MONEY_FORMAT_MAX], ed[16];
        snprintf(id, sizeof id, "%" PRId64, t->y.id);
        money_format(ret, r, sizeof r);
        bjtime_format_date(eff, ed);
        st = app_audit_append(c, t->a, app_now(), "policy.cancel", "policy", id, err,
                              "退保 %s：自 %s 起，按日比例退还保费 %s（%" PRId64 "/%" PRId64
                              " 天） / cancelled policy %s from %s, pro-rata return premium %s "
                              "(%" PRId64 "/%" PRId64 " days)",
                              t->y.policy_no, ed, r, days, total, t->y.policy_no, ed, r, days,
                              total);
    }
    if (st == CY_OK)
        st = uw_policy_json_load(t->app, c, t->y.id, &t->out, err);
    return st;
}

/* ---------- renewal ---------- */

/* Consecutive claim-free policy years ending with policy id (this one included). */
static cy_status_t
claim_free_years(store_conn_t *c, int64_t id, int *years, cy_error_t *err)
{
    *years = 0;
    for (int guard = 0; id > 0 && guard < 100; guard++) {
        store_param_t p[] = {STORE_P_INT(id)};
        store_rows_t *r;
        cy_status_t st = store_query(c,
                                     "SELECT claims_count, status, renewal_of FROM uw_policy WHERE "
                                     "id = $1",
                                     p, 1, &r, err);
        if (st != CY_OK)
            return st;
        int ok = store_rows_next(r, err) == 1 && store_rows_int(r, 0) == 0 &&
                 !strcmp(store_rows_text(r, 1), "active");
        int64_t prev = ok ? store_rows_int(r, 2) : 0;
        store_rows_free(r);
        if (!ok)
            break;
        (*years)++;
        id = prev;
    }
    return CY_OK;
}

static cy_status_t
renew_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    policy_tx_t *t = arg;
    static const char *const keys[] = {"assessment_id",   "revenue",   "gross_margin_bp",
                                       "aggregate_limit", "retention", NULL};
    cy_status_t st = check_keys(t->body, keys, err);
    if (st == CY_OK)
        st = load_for_change(t, c, ACT_POLICY_RENEW, err);
    if (st != CY_OK)
        return st;
    policy_rec_t *y = &t->y;
    if (y->renewed_by > 0)
        return cy_error_set(err, CY_ECONFLICT, "policy_already_renewed", "id",
                            "保单 %s 已续保 / policy %s is already renewed", y->policy_no,
                            y->policy_no);
    uw_apply_t ap = {.insured_org_id = y->insured_org_id,
                     .renewal_of = y->id,
                     .section = y->section,
                     .revenue = y->revenue,
                     .margin_bp = y->margin_bp,
                     .limit = y->limit,
                     .retention = y->retention,
                     .covered = y->covered};
    int present;
    int64_t v;
    if ((st = uw_jint(t->body, "assessment_id", 1, INT64_MAX, 1, &present, &ap.assessment_id,
                      err)) != CY_OK ||
        (st = uw_jint(t->body, "revenue", -TERMS_AMOUNT_MAX, TERMS_AMOUNT_MAX, 0, &present, &v,
                      err)) != CY_OK)
        return st;
    if (present && v <= 0)
        return cy_error_set(err, CY_EINVAL, "revenue_invalid", "revenue",
                            "年营业收入（分）应大于 0 / annual revenue (fen) must be above 0");
    if (present)
        ap.revenue = v;
    if ((st = uw_jint(t->body, "gross_margin_bp", 0, 10000, 0, &present, &v, err)) != CY_OK)
        return st;
    if (present)
        ap.margin_bp = (int)v;
    if ((st = uw_jint(t->body, "aggregate_limit", -TERMS_AMOUNT_MAX, TERMS_AMOUNT_MAX, 0, &present,
                      &v, err)) != CY_OK)
        return st;
    if (present)
        ap.limit = v;
    if ((st = uw_jint(t->body, "retention", 0, TERMS_AMOUNT_MAX, 0, &present, &v, err)) != CY_OK)
        return st;
    if (present)
        ap.retention = v;
    /* a renewal needs a new assessment: submitted after the one the policy was quoted on */
    uw_assess_rec_t *as = calloc(1, sizeof *as), *old = calloc(1, sizeof *old);
    if (as == NULL || old == NULL) {
        free(as);
        free(old);
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    }
    int found = 0, found_old = 0, visible = 0;
    st = uw_assess_load(t->app, c, ap.assessment_id, as, &found, err);
    if (st == CY_OK && found)
        st = uw_assess_visible(c, t->a, as, &visible, err);
    if (st == CY_OK && (!found || !visible))
        st = cy_error_set(err, CY_ENOTFOUND, "not_found", "assessment_id",
                          "风险评估 %" PRId64 " 不存在 / assessment %" PRId64 " not found",
                          ap.assessment_id, ap.assessment_id);
    if (st == CY_OK && y->quote_assessment_id > 0)
        st = uw_assess_load(t->app, c, y->quote_assessment_id, old, &found_old, err);
    if (st == CY_OK && as->org_id == y->insured_org_id && !strcmp(as->status, "submitted") &&
        (as->id == y->quote_assessment_id || (found_old && as->submitted_at < old->submitted_at)))
        st = cy_error_set(err, CY_EINVAL, "assessment_not_new", "assessment_id",
                          "续保需要一次新的风险评估（晚于保单所依据的评估 %" PRId64 "） / renewal "
                          "needs a new assessment (later than assessment %" PRId64
                          " the policy was quoted on)",
                          y->quote_assessment_id, y->quote_assessment_id);
    uw_assess_free(as);
    uw_assess_free(old);
    free(as);
    free(old);
    if (st != CY_OK)
        return st;
    /* the product's version on sale now */
    store_param_t fp[] = {STORE_P_INT(y->product_id)};
    int has = 0;
    st = store_query_int(c,
                         "SELECT id FROM uw_product WHERE family_id = (SELECT family_id FROM "
                         "uw_product WHERE id = $1) AND status = 'active'",
                         fp, 1, &ap.product_id, &has, err);
    if (st != CY_OK)
        return st;
    if (!has)
        return cy_error_set(
            err, CY_ECONFLICT, "product_not_on_sale", "product_id",
            "产品“%s”已无在售版本，不能续保 / product \"%s\" has no version on sale: "
            "no renewal",
            y->product_name, y->product_name);
    if ((st = claim_free_years(c, y->id, &ap.claim_free_years, err)) != CY_OK)
        return st;
    bjtime_format_date(app_iso_to_time(y->period_end), ap.start_date);
    int64_t qid = 0;
    if ((st = uw_quote_store(t->app, c, t->a, &ap, &qid, err)) != CY_OK)
        return st;
    uw_quote_rec_t *q = malloc(sizeof *q);
    if (q == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    st = uw_quote_load(c, qid, q, &found, err);
    if (st == CY_OK)
        t->out = uw_quote_json(q);
    uw_quote_free(q);
    free(q);
    return st;
}

static cy_status_t
run(app_t *app, const actor_t *a, int64_t id, json_t *body, store_tx_fn fn, json_t **out,
    cy_error_t *err)
{
    *out = NULL;
    policy_tx_t *t = calloc(1, sizeof *t);
    if (t == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    t->app = app;
    t->a = a;
    t->id = id;
    t->body = body;
    cy_status_t st = store_tx(app->store, fn, t, err);
    if (st == CY_OK)
        *out = t->out;
    else
        json_decref(t->out);
    policy_free(&t->y);
    free(t);
    return st;
}

cy_status_t
app_uw_policy_endorse(app_t *app, const actor_t *a, int64_t id, json_t *body, json_t **out,
                      cy_error_t *err)
{
    return run(app, a, id, body, endorse_tx, out, err);
}

cy_status_t
app_uw_policy_cancel(app_t *app, const actor_t *a, int64_t id, json_t *body, json_t **out,
                     cy_error_t *err)
{
    return run(app, a, id, body, cancel_tx, out, err);
}

cy_status_t
app_uw_policy_renew(app_t *app, const actor_t *a, int64_t id, json_t *body, json_t **out,
                    cy_error_t *err)
{
    return run(app, a, id, body, renew_tx, out, err);
}
