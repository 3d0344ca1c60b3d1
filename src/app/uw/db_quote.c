/*
 * db_quote.c — the tables uw_quote and uw_quote_coverage, read and written
 * here only, their columns by name. A quote's breakdown is stored as the
 * JSON text uw_breakdown_text made when it was priced and handed out as
 * stored; only binding reads into it, for the conditions the policy
 * carries. Depends on store/ and jansson; never http/ or cli/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/engage/engage.h"
#include "app/uw/internal.h"
#include "app/util.h"
#include "core/bjtime.h"

#define QUOTE_COLS                                                                                 \
    "q.id, q.product_id, q.insured_org_id, q.requested_by_org_id, q.requested_by_user_id, "        \
    "q.assessment_id, q.renewal_of, p.insurer_org_id, p.name AS product_name, p.version AS "       \
    "product_version, io.name AS insurer_name, o.name AS insured_name, q.status, q.decision, "     \
    "q.industry_section, q.revenue, q.gross_margin_bp, q.grade, q.aggregate_limit, q.retention, "  \
    "q.bi_waiting_hours, q.claim_free_years, q.credit_bp, q.pure_premium, q.gross_premium, "       \
    "q.premium, q.rating_model, q.rules_version, q.start_date, q.valid_until, q.referral_note, "   \
    "q.referral_by_user_id, q.referral_at, q.created_at, q.updated_at, q.liability_trigger, "      \
    "q.retro_date, (SELECT id FROM "                                                               \
    "uw_policy WHERE quote_id = q.id) AS policy_id, (SELECT policy_no FROM uw_policy WHERE "       \
    "quote_id = q.id) AS policy_no"
#define QUOTE_FROM                                                                                 \
    " FROM uw_quote q JOIN uw_product p ON p.id = q.product_id JOIN organisation io ON io.id = "   \
    "p.insurer_org_id JOIN organisation o ON o.id = q.insured_org_id "

static char
first_char(const char *s, char dflt)
{
    return s && s[0] ? s[0] : dflt;
}

/* The current row into q; its breakdown when the row has one. */
static void
quote_row(const store_rows_t *r, uw_quote_t *q)
{
    memset(q, 0, sizeof *q);
    q->id = store_row_int(r, "id");
    q->product_id = store_row_int(r, "product_id");
    q->insured_org_id = store_row_int(r, "insured_org_id");
    q->requested_by_org_id = store_row_int(r, "requested_by_org_id");
    q->requested_by_user_id = store_row_int(r, "requested_by_user_id");
    q->assessment_id = store_row_int(r, "assessment_id");
    q->renewal_of = store_row_int(r, "renewal_of");
    q->insurer_org_id = store_row_int(r, "insurer_org_id");
    store_row_copy(r, "product_name", q->product_name, sizeof q->product_name);
    q->product_version = (int)store_row_int(r, "product_version");
    store_row_copy(r, "insurer_name", q->insurer_name, sizeof q->insurer_name);
    store_row_copy(r, "insured_name", q->insured_name, sizeof q->insured_name);
    store_row_copy(r, "status", q->status, sizeof q->status);
    store_row_copy(r, "decision", q->decision, sizeof q->decision);
    q->section = first_char(store_row_text(r, "industry_section"), 'A');
    q->revenue = store_row_int(r, "revenue");
    q->margin_bp =
        store_row_isnull(r, "gross_margin_bp") ? -1 : (int)store_row_int(r, "gross_margin_bp");
    q->grade = first_char(store_row_text(r, "grade"), 'E');
    q->limit = store_row_int(r, "aggregate_limit");
    q->retention = store_row_int(r, "retention");
    q->bi_waiting_hours = (int)store_row_int(r, "bi_waiting_hours");
    q->claim_free_years = (int)store_row_int(r, "claim_free_years");
    q->credit_bp = (int)store_row_int(r, "credit_bp");
    q->pure = store_row_int(r, "pure_premium");
    q->gross = store_row_int(r, "gross_premium");
    q->premium = store_row_int(r, "premium");
    store_row_copy(r, "rating_model", q->rating_model, sizeof q->rating_model);
    store_row_copy(r, "rules_version", q->rules_version, sizeof q->rules_version);
    if (store_rows_col(r, "breakdown") >= 0)
        q->breakdown =
            strdup(store_row_isnull(r, "breakdown") ? "{}" : store_row_text(r, "breakdown"));
    store_row_copy(r, "start_date", q->start_date, sizeof q->start_date);
    store_row_copy(r, "valid_until", q->valid_until, sizeof q->valid_until);
    store_row_copy(r, "referral_note", q->referral_note, sizeof q->referral_note);
    q->referral_by = store_row_int(r, "referral_by_user_id");
    store_row_copy(r, "referral_at", q->referral_at, sizeof q->referral_at);
    store_row_copy(r, "created_at", q->created_at, sizeof q->created_at);
    store_row_copy(r, "updated_at", q->updated_at, sizeof q->updated_at);
    q->policy_id = store_row_int(r, "policy_id");
    store_row_copy(r, "policy_no", q->policy_no, sizeof q->policy_no);
    store_row_copy(r, "liability_trigger", q->trigger, sizeof q->trigger);
    store_row_copy(r, "retro_date", q->retro_date, sizeof q->retro_date);
}

static cy_status_t
coverages_read(store_conn_t *c, uw_quote_t *q, cy_error_t *err)
{
    return uw_cover_rows(c,
                         "SELECT coverage, sublimit, share_bp, pure_premium FROM "
                         "uw_quote_coverage WHERE quote_id = $1",
                         q->id, &q->covered, q->sublimit, q->share_bp, q->pure_cov, err);
}

void
uw_quote_free(uw_quote_t *q)
{
    if (q != NULL) {
        free(q->breakdown);
        q->breakdown = NULL;
    }
}

cy_status_t
uw_quote_read(store_conn_t *c, int64_t id, uw_quote_t *q, int *found, cy_error_t *err)
{
    memset(q, 0, sizeof *q);
    store_rows_t *r;
    cy_status_t st = uw_first_row(
        c, "SELECT " QUOTE_COLS ", q.breakdown" QUOTE_FROM "WHERE q.id = $1", id, &r, found, err);
    if (st != CY_OK)
        return st;
    if (*found)
        quote_row(r, q);
    store_rows_free(r);
    if (*found && q->breakdown == NULL)
        st = cy_error_no_memory(err);
    if (st == CY_OK && *found)
        st = coverages_read(c, q, err);
    if (st != CY_OK)
        uw_quote_free(q);
    return st;
}

/* The quote's coverages, in one statement (one round trip to PostgreSQL, not one a coverage). */
static cy_status_t
coverages_insert(store_conn_t *c, const uw_quote_t *q, cy_error_t *err)
{
    char sql[512] = "INSERT INTO uw_quote_coverage (quote_id, coverage, sublimit, share_bp, "
                    "pure_premium) VALUES ";
    size_t len = strlen(sql);
    store_param_t p[1 + 4 * COV_N] = {STORE_P_INT(q->id)};
    int n = 1;
    for (int cv = 0; cv < COV_N; cv++) {
        if (!(q->covered & (1u << cv)))
            continue;
        len += (size_t)snprintf(sql + len, sizeof sql - len, "%s($1, $%d, $%d, $%d, $%d)",
                                n > 1 ? ", " : "", n + 1, n + 2, n + 3, n + 4);
        p[n++] = STORE_P_TEXT(cov_code(cv));
        p[n++] = STORE_P_INT(q->sublimit[cv]);
        p[n++] = STORE_P_INT(q->share_bp[cv]);
        p[n++] = STORE_P_INT(q->pure_cov[cv]);
    }
    return n > 1 ? store_exec(c, sql, p, n, NULL, err) : CY_OK;
}

cy_status_t
uw_quote_insert(store_conn_t *c, uw_quote_t *q, cy_error_t *err)
{
    char sec[2] = {q->section, '\0'}, grade[2] = {q->grade, '\0'};
    store_param_t p[] = {
        STORE_P_INT(q->product_id),
        STORE_P_INT(q->insured_org_id),
        STORE_P_INT(q->requested_by_org_id),
        STORE_P_INT(q->requested_by_user_id),
        q->assessment_id > 0 ? STORE_P_INT(q->assessment_id) : STORE_P_NULL,
        q->renewal_of > 0 ? STORE_P_INT(q->renewal_of) : STORE_P_NULL,
        STORE_P_TEXT(q->status),
        STORE_P_TEXT(q->decision),
        STORE_P_TEXT(sec),
        STORE_P_INT(q->revenue),
        q->margin_bp >= 0 ? STORE_P_INT(q->margin_bp) : STORE_P_NULL,
        STORE_P_TEXT(grade),
        STORE_P_INT(q->limit),
        STORE_P_INT(q->retention),
        STORE_P_INT(q->bi_waiting_hours),
        STORE_P_INT(q->claim_free_years),
        STORE_P_INT(q->credit_bp),
        STORE_P_INT(q->pure),
        STORE_P_INT(q->gross),
        STORE_P_INT(q->premium),
        STORE_P_TEXT(q->rating_model),
        STORE_P_TEXT(q->rules_version),
        STORE_P_TEXT(q->breakdown),
        STORE_P_TEXT(q->start_date),
        STORE_P_TEXT(q->valid_until),
        STORE_P_TEXT(q->created_at),
        STORE_P_TEXT(q->trigger[0] ? q->trigger : "occurrence"),
        q->retro_date[0] ? STORE_P_TEXT(q->retro_date) : STORE_P_NULL,
    };
    cy_status_t st = store_insert_id(
        c,
        "INSERT INTO uw_quote (product_id, insured_org_id, requested_by_org_id, "
        "requested_by_user_id, assessment_id, renewal_of, status, decision, industry_section, "
        "revenue, gross_margin_bp, grade, aggregate_limit, retention, bi_waiting_hours, "
        "claim_free_years, credit_bp, pure_premium, gross_premium, premium, rating_model, "
        "rules_version, breakdown, start_date, valid_until, created_at, updated_at, "
        "liability_trigger, retro_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
        "$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $26, $27, $28) "
        "RETURNING id",
        p, 28, &q->id, err);
    return st == CY_OK ? coverages_insert(c, q, err) : st;
}

cy_status_t
uw_quote_set_referral(store_conn_t *c, const uw_quote_t *q, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(q->status), STORE_P_TEXT(q->referral_note),
                         STORE_P_INT(q->referral_by), STORE_P_TEXT(q->referral_at),
                         STORE_P_INT(q->id)};
    return store_exec(c,
                      "UPDATE uw_quote SET status = $1, referral_note = $2, referral_by_user_id = "
                      "$3, referral_at = $4, updated_at = $4 WHERE id = $5 AND status = "
                      "'referred'",
                      p, 5, NULL, err);
}

cy_status_t
uw_quote_set_bound(store_conn_t *c, int64_t id, const char *at, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(at), STORE_P_INT(id)};
    return store_exec(c, "UPDATE uw_quote SET status = 'bound', updated_at = $1 WHERE id = $2", p,
                      2, NULL, err);
}

cy_status_t
uw_quote_list_read(store_conn_t *c, uw_scope_t s, const char *status, const app_page_t *pg,
                   uw_quote_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->items = calloc((size_t)pg->limit, sizeof *out->items);
    if (out->items == NULL)
        return cy_error_no_memory(err);
    store_param_t f[] = {STORE_P_INT(s.all), STORE_P_INT(s.org_id), STORE_P_TEXT(status)};
    /* a service organisation ($6 = 1): what it asked for the enterprises engaging it now */
    char engaged[400], sql[2000];
    engage_sql_enterprises(engaged, sizeof engaged, 2, 7, 8);
    snprintf(sql, sizeof sql,
             "SELECT " QUOTE_COLS QUOTE_FROM
             "WHERE ($1 = 1 OR ($6 = 0 AND (q.insured_org_id = $2 OR q.requested_by_org_id = $2)) "
             "OR ($6 = 1 AND q.requested_by_org_id = $2 AND q.insured_org_id IN (%s)) OR "
             "p.insurer_org_id = $2) AND (CAST($3 AS TEXT) IS NULL OR q.status = $3) AND q.id < $4 "
             "ORDER BY q.id DESC LIMIT $5",
             engaged);
    uw_pager_t g;
    uw_pager_open_scoped(c, sql, f, &s, "quotes", pg, &g, err);
    while (uw_pager_row(&g))
        quote_row(g.rows, &out->items[out->n++]);
    out->next = g.more ? out->items[out->n - 1].id : 0;
    return uw_pager_close(&g);
}

cy_status_t
uw_quote_seen(store_conn_t *c, const actor_t *a, const uw_quote_t *q, int64_t now, int *visible,
              cy_error_t *err)
{
    *visible = uw_quote_visible(a, q);
    if (!*visible || a->cli || a->org_type != ORG_SERVICE_ORG)
        return CY_OK;
    /* a service organisation: what it asked, while the enterprise engages it for quotes */
    return engage_active(c, a->org_id, q->insured_org_id, "quotes", now, visible, err);
}

int
uw_quote_visible(const actor_t *a, const uw_quote_t *q)
{
    return uw_sees_all(a) || q->insured_org_id == a->org_id ||
           q->requested_by_org_id == a->org_id || q->insurer_org_id == a->org_id;
}

int
uw_quote_may(const actor_t *a, const uw_quote_t *q, authz_action_t act)
{
    if (!uw_may(a, act))
        return 0;
    if (a->cli)
        return 1;
    /* the insured binds, or the insurer on its word; the insurer decides a referral */
    return q->insurer_org_id == a->org_id ||
           (act == ACT_QUOTE_BIND && q->insured_org_id == a->org_id);
}

void
uw_quote_at(uw_quote_t *q, const actor_t *a, int64_t now)
{
    int64_t until = app_iso_to_time(q->valid_until);
    q->expired = until < 0 || now > until;
    q->bindable = (!strcmp(q->status, "quoted") || !strcmp(q->status, "approved")) && !q->expired;
    q->actions = 0;
    if (q->bindable && uw_quote_may(a, q, ACT_QUOTE_BIND))
        q->actions |= UW_ACT_BIND;
    if (!strcmp(q->status, "referred") && uw_quote_may(a, q, ACT_REFERRAL_DECIDE))
        q->actions |= UW_ACT_DECIDE;
}

char *
uw_quote_conditions(const char *breakdown, int64_t at)
{
    json_t *b = json_loads(breakdown ? breakdown : "{}", 0, NULL);
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(b, "rules"), i, r)
    {
        const char *dec = json_string_value(json_object_get(r, "decision"));
        if (dec == NULL || strcmp(dec, "condition") != 0)
            continue;
        char due[16];
        bjtime_format_date(at + json_integer_value(json_object_get(r, "due_days")) * 86400, due);
        json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:s}", "rule",
                                             json_object_get(r, "id"), "condition_zh",
                                             json_object_get(r, "condition_zh"), "condition_en",
                                             json_object_get(r, "condition_en"), "due_date", due));
    }
    char *text = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    json_decref(b);
    return text;
}
