/*
 * db_policy.c — the tables uw_policy, uw_policy_coverage, uw_endorsement
 * and uw_policy_seq, read and written here only, their columns by name. A
 * policy's conditions are the JSON array made when it was bound, handed
 * out as stored. Depends on store/; never http/ or cli/.
 */
#include <stdlib.h>
#include <string.h>

#include "app/uw/internal.h"
#include "app/util.h"

#define POLICY_SELECT                                                                              \
    "SELECT y.id, y.quote_id, y.product_id, y.insurer_org_id, y.insured_org_id, y.renewal_of, "    \
    "(SELECT id FROM uw_policy r WHERE r.renewal_of = y.id) AS renewed_by, y.policy_no, "          \
    "y.status, y.period_start, y.period_end, y.liability_trigger, y.retro_date, "                  \
    "y.aggregate_limit, y.retention, y.bi_waiting_hours, y.industry_section, y.region_code, "      \
    "y.revenue, y.gross_margin_bp, y.grade, y.dep_cloud, y.dep_os, y.dep_vpn, y.dep_email, "       \
    "y.annual_premium, y.written_premium, y.conditions, y.claims_count, y.cancelled_at, "          \
    "y.cancel_effective, y.return_premium, y.created_at, y.updated_at, p.name AS product_name, "   \
    "p.version AS product_version, io.name AS insurer_name, o.name AS insured_name, "              \
    "q.assessment_id AS quote_assessment_id, q.claim_free_years AS quote_claim_free_years FROM "   \
    "uw_policy y JOIN uw_product p ON p.id = y.product_id JOIN organisation io ON io.id = "        \
    "y.insurer_org_id JOIN organisation o ON o.id = y.insured_org_id JOIN uw_quote q ON q.id = "   \
    "y.quote_id "

static const char *const DEP_COLS[4] = {"dep_cloud", "dep_os", "dep_vpn", "dep_email"};

static char
first_char(const char *s, char dflt)
{
    return s && s[0] ? s[0] : dflt;
}

/* The period in seconds and days, from its text. */
static void
period_of(uw_policy_t *y)
{
    y->start = app_iso_to_time(y->period_start);
    y->end = app_iso_to_time(y->period_end);
    y->days = pricing_days(y->start, y->end);
}

static void
policy_row(const store_rows_t *r, uw_policy_t *y)
{
    memset(y, 0, sizeof *y);
    y->id = store_row_int(r, "id");
    y->quote_id = store_row_int(r, "quote_id");
    y->product_id = store_row_int(r, "product_id");
    y->insurer_org_id = store_row_int(r, "insurer_org_id");
    y->insured_org_id = store_row_int(r, "insured_org_id");
    y->renewal_of = store_row_int(r, "renewal_of");
    y->renewed_by = store_row_int(r, "renewed_by");
    store_row_copy(r, "policy_no", y->policy_no, sizeof y->policy_no);
    store_row_copy(r, "status", y->status, sizeof y->status);
    store_row_copy(r, "period_start", y->period_start, sizeof y->period_start);
    store_row_copy(r, "period_end", y->period_end, sizeof y->period_end);
    period_of(y);
    store_row_copy(r, "liability_trigger", y->trigger, sizeof y->trigger);
    store_row_copy(r, "retro_date", y->retro_date, sizeof y->retro_date);
    y->limit = store_row_int(r, "aggregate_limit");
    y->retention = store_row_int(r, "retention");
    y->bi_waiting_hours = (int)store_row_int(r, "bi_waiting_hours");
    y->section = first_char(store_row_text(r, "industry_section"), 'A');
    store_row_copy(r, "region_code", y->region, sizeof y->region);
    y->revenue = store_row_int(r, "revenue");
    y->margin_bp =
        store_row_isnull(r, "gross_margin_bp") ? -1 : (int)store_row_int(r, "gross_margin_bp");
    y->grade = first_char(store_row_text(r, "grade"), 'E');
    for (int d = 0; d < 4; d++)
        store_row_copy(r, DEP_COLS[d], y->dep[d], sizeof y->dep[d]);
    y->annual = store_row_int(r, "annual_premium");
    y->written = store_row_int(r, "written_premium");
    const char *cj = store_row_text(r, "conditions");
    y->conditions = strdup(cj ? cj : "[]");
    y->claims_count = (int)store_row_int(r, "claims_count");
    store_row_copy(r, "cancelled_at", y->cancelled_at, sizeof y->cancelled_at);
    store_row_copy(r, "cancel_effective", y->cancel_effective, sizeof y->cancel_effective);
    y->return_premium =
        store_row_isnull(r, "return_premium") ? -1 : store_row_int(r, "return_premium");
    store_row_copy(r, "created_at", y->created_at, sizeof y->created_at);
    store_row_copy(r, "updated_at", y->updated_at, sizeof y->updated_at);
    store_row_copy(r, "product_name", y->product_name, sizeof y->product_name);
    y->product_version = (int)store_row_int(r, "product_version");
    store_row_copy(r, "insurer_name", y->insurer_name, sizeof y->insurer_name);
    store_row_copy(r, "insured_name", y->insured_name, sizeof y->insured_name);
    y->quote_assessment_id = store_row_int(r, "quote_assessment_id");
    y->quote_claim_free_years = (int)store_row_int(r, "quote_claim_free_years");
}

static cy_status_t
coverages_read(store_conn_t *c, uw_policy_t *y, cy_error_t *err)
{
    return uw_cover_rows(c,
                         "SELECT coverage, sublimit, share_bp FROM uw_policy_coverage WHERE "
                         "policy_id = $1",
                         y->id, &y->covered, y->sublimit, y->share_bp, NULL, err);
}

void
uw_policy_free(uw_policy_t *y)
{
    if (y == NULL)
        return;
    free(y->conditions);
    free(y->endorsements);
    y->conditions = NULL;
    y->endorsements = NULL;
    y->n_endorsements = 0;
}

cy_status_t
uw_policy_read(store_conn_t *c, int64_t id, uw_policy_t *y, int *found, cy_error_t *err)
{
    memset(y, 0, sizeof *y);
    store_rows_t *r;
    cy_status_t st = uw_first_row(c, POLICY_SELECT "WHERE y.id = $1", id, &r, found, err);
    if (st != CY_OK)
        return st;
    if (*found)
        policy_row(r, y);
    store_rows_free(r);
    if (*found && y->conditions == NULL)
        st = uw_no_memory(err);
    if (st == CY_OK && *found)
        st = coverages_read(c, y, err);
    if (st == CY_OK && *found)
        st = uw_endorsements_read(c, y, err);
    if (st != CY_OK)
        uw_policy_free(y);
    return st;
}

static cy_status_t
coverages_write(store_conn_t *c, const uw_policy_t *y, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    for (int cv = 0; cv < COV_N && st == CY_OK; cv++) {
        if (!(y->covered & (1u << cv)))
            continue;
        store_param_t p[] = {STORE_P_INT(y->id), STORE_P_TEXT(cov_code(cv)),
                             STORE_P_INT(y->sublimit[cv]), STORE_P_INT(y->share_bp[cv])};
        st = store_exec(c,
                        "INSERT INTO uw_policy_coverage (policy_id, coverage, sublimit, share_bp) "
                        "VALUES ($1, $2, $3, $4)",
                        p, 4, NULL, err);
    }
    return st;
}

cy_status_t
uw_policy_insert(store_conn_t *c, uw_policy_t *y, cy_error_t *err)
{
    char sec[2] = {y->section, '\0'}, grade[2] = {y->grade, '\0'};
    store_param_t p[] = {
        STORE_P_TEXT(y->policy_no),
        STORE_P_INT(y->quote_id),
        STORE_P_INT(y->product_id),
        STORE_P_INT(y->insurer_org_id),
        STORE_P_INT(y->insured_org_id),
        STORE_P_TEXT(y->period_start),
        STORE_P_TEXT(y->period_end),
        STORE_P_INT(y->limit),
        STORE_P_INT(y->retention),
        STORE_P_INT(y->bi_waiting_hours),
        STORE_P_TEXT(sec),
        STORE_P_TEXT(y->region),
        STORE_P_INT(y->revenue),
        y->margin_bp >= 0 ? STORE_P_INT(y->margin_bp) : STORE_P_NULL,
        STORE_P_TEXT(grade),
        STORE_P_TEXT(y->dep[0]),
        STORE_P_TEXT(y->dep[1]),
        STORE_P_TEXT(y->dep[2]),
        STORE_P_TEXT(y->dep[3]),
        STORE_P_INT(y->annual),
        STORE_P_TEXT(y->conditions ? y->conditions : "[]"),
        y->renewal_of > 0 ? STORE_P_INT(y->renewal_of) : STORE_P_NULL,
        STORE_P_TEXT(y->created_at),
        STORE_P_TEXT(y->status),
        STORE_P_TEXT(y->trigger),
    };
    cy_status_t st = store_insert_id(
        c,
        "INSERT INTO uw_policy (policy_no, quote_id, product_id, insurer_org_id, insured_org_id, "
        "status, period_start, period_end, aggregate_limit, retention, bi_waiting_hours, "
        "industry_section, region_code, revenue, gross_margin_bp, grade, dep_cloud, dep_os, "
        "dep_vpn, dep_email, annual_premium, written_premium, conditions, renewal_of, created_at, "
        "updated_at, liability_trigger) VALUES ($1, $2, $3, $4, $5, $24, $6, $7, $8, $9, $10, "
        "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, $21, $22, $23, $23, $25) "
        "RETURNING id",
        p, 25, &y->id, err);
    return st == CY_OK ? coverages_write(c, y, err) : st;
}

cy_status_t
uw_policy_next_seq(store_conn_t *c, int64_t insurer, int year, int64_t *seq, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(insurer), STORE_P_INT(year)};
    int64_t changed = 0;
    /* the counter row is locked by the update until commit: numbers never repeat */
    cy_status_t st = store_exec(c,
                                "UPDATE uw_policy_seq SET last_seq = last_seq + 1 WHERE "
                                "insurer_org_id = $1 AND year = $2",
                                p, 2, &changed, err);
    if (st == CY_OK && changed == 0)
        st = store_exec(c,
                        "INSERT INTO uw_policy_seq (insurer_org_id, year, last_seq) VALUES ($1, "
                        "$2, 1)",
                        p, 2, NULL, err);
    if (st == CY_OK)
        st = store_query_int(c,
                             "SELECT last_seq FROM uw_policy_seq WHERE insurer_org_id = $1 AND "
                             "year = $2",
                             p, 2, seq, NULL, err);
    return st;
}

cy_status_t
uw_policy_set_terms(store_conn_t *c, const uw_policy_t *y, cy_error_t *err)
{
    store_param_t u[] = {STORE_P_INT(y->limit), STORE_P_INT(y->annual), STORE_P_INT(y->written),
                         STORE_P_TEXT(y->updated_at), STORE_P_INT(y->id)};
    cy_status_t st = store_exec(c,
                                "UPDATE uw_policy SET aggregate_limit = $1, annual_premium = $2, "
                                "written_premium = $3, updated_at = $4 WHERE id = $5",
                                u, 5, NULL, err);
    for (int cv = 0; cv < COV_N && st == CY_OK; cv++) {
        if (!(y->covered & (1u << cv)))
            continue;
        store_param_t s[] = {STORE_P_INT(y->sublimit[cv]), STORE_P_INT(y->id),
                             STORE_P_TEXT(cov_code(cv))};
        st = store_exec(c,
                        "UPDATE uw_policy_coverage SET sublimit = $1 WHERE policy_id = $2 AND "
                        "coverage = $3",
                        s, 3, NULL, err);
    }
    return st;
}

cy_status_t
uw_policy_set_cancelled(store_conn_t *c, const uw_policy_t *y, cy_error_t *err)
{
    store_param_t u[] = {STORE_P_TEXT(y->cancelled_at), STORE_P_TEXT(y->cancel_effective),
                         STORE_P_INT(y->return_premium), STORE_P_INT(y->written),
                         STORE_P_INT(y->id)};
    return store_exec(c,
                      "UPDATE uw_policy SET status = 'cancelled', cancelled_at = $1, "
                      "cancel_effective = $2, return_premium = $3, written_premium = $4, "
                      "updated_at = $1 WHERE id = $5",
                      u, 5, NULL, err);
}

/* ---------- endorsements ---------- */

cy_status_t
uw_endorsement_insert(store_conn_t *c, int64_t policy_id, uw_endorsement_t *e, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(policy_id),
                         STORE_P_TEXT(e->kind),
                         STORE_P_TEXT(e->effective_at),
                         STORE_P_INT(e->old_limit),
                         STORE_P_INT(e->new_limit),
                         STORE_P_INT(e->old_annual_premium),
                         STORE_P_INT(e->new_annual_premium),
                         STORE_P_INT(e->days_remaining),
                         STORE_P_INT(e->days_total),
                         STORE_P_INT(e->premium_delta),
                         STORE_P_TEXT(e->note),
                         STORE_P_INT(e->created_by_user_id),
                         STORE_P_TEXT(e->created_at)};
    return store_insert_id(c,
                           "INSERT INTO uw_endorsement (policy_id, kind, effective_at, old_limit, "
                           "new_limit, old_annual_premium, new_annual_premium, days_remaining, "
                           "days_total, premium_delta, note, created_by_user_id, created_at) "
                           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                           "RETURNING id",
                           p, 13, &e->id, err);
}

static void
endorsement_row(const store_rows_t *r, uw_endorsement_t *e)
{
    e->id = store_row_int(r, "id");
    store_row_copy(r, "kind", e->kind, sizeof e->kind);
    store_row_copy(r, "effective_at", e->effective_at, sizeof e->effective_at);
    e->old_limit = store_row_int(r, "old_limit");
    e->new_limit = store_row_int(r, "new_limit");
    e->old_annual_premium = store_row_int(r, "old_annual_premium");
    e->new_annual_premium = store_row_int(r, "new_annual_premium");
    e->days_remaining = store_row_int(r, "days_remaining");
    e->days_total = store_row_int(r, "days_total");
    e->premium_delta = store_row_int(r, "premium_delta");
    store_row_copy(r, "note", e->note, sizeof e->note);
    e->created_by_user_id = store_row_int(r, "created_by_user_id");
    store_row_copy(r, "created_at", e->created_at, sizeof e->created_at);
}

cy_status_t
uw_endorsements_read(store_conn_t *c, uw_policy_t *y, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(y->id)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT id, kind, effective_at, old_limit, new_limit, "
                                 "old_annual_premium, new_annual_premium, days_remaining, "
                                 "days_total, premium_delta, note, created_by_user_id, created_at "
                                 "FROM uw_endorsement WHERE policy_id = $1 ORDER BY id",
                                 p, 1, &r, err);
    if (st != CY_OK)
        return st;
    /* room for one more: a change appends its endorsement to the record it loaded */
    size_t cap = 4;
    free(y->endorsements);
    y->n_endorsements = 0;
    y->with_endorsements = 1;
    y->endorsements = malloc(cap * sizeof *y->endorsements);
    if (y->endorsements == NULL)
        st = uw_no_memory(err);
    int k = 0;
    while (st == CY_OK && (k = store_rows_next(r, err)) == 1) {
        if (y->n_endorsements + 2 > cap) {
            uw_endorsement_t *ne = realloc(y->endorsements, 2 * cap * sizeof *ne);
            if (ne == NULL) {
                st = uw_no_memory(err);
                break;
            }
            y->endorsements = ne;
            cap *= 2;
        }
        endorsement_row(r, &y->endorsements[y->n_endorsements++]);
    }
    if (st == CY_OK && k < 0)
        st = err->status;
    store_rows_free(r);
    return st;
}

cy_status_t
uw_endorsement_last(store_conn_t *c, int64_t policy_id, int64_t *at, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(policy_id)};
    store_rows_t *r;
    *at = -1;
    cy_status_t st =
        store_query(c, "SELECT MAX(effective_at) AS last FROM uw_endorsement WHERE policy_id = $1",
                    p, 1, &r, err);
    if (st != CY_OK)
        return st;
    if (store_rows_next(r, err) == 1 && !store_row_isnull(r, "last"))
        *at = app_iso_to_time(store_row_text(r, "last"));
    store_rows_free(r);
    return CY_OK;
}

cy_status_t
uw_policy_claim_free_years(store_conn_t *c, int64_t id, int *years, cy_error_t *err)
{
    *years = 0;
    for (int guard = 0; id > 0 && guard < 100; guard++) {
        store_param_t p[] = {STORE_P_INT(id)};
        store_rows_t *r;
        cy_status_t st = store_query(c,
                                     "SELECT claims_count, status, renewal_of FROM uw_policy "
                                     "WHERE id = $1",
                                     p, 1, &r, err);
        if (st != CY_OK)
            return st;
        int ok = store_rows_next(r, err) == 1 && store_row_int(r, "claims_count") == 0 &&
                 !strcmp(store_row_text(r, "status"), "active");
        int64_t prev = ok ? store_row_int(r, "renewal_of") : 0;
        store_rows_free(r);
        if (!ok)
            break;
        (*years)++;
        id = prev;
    }
    return CY_OK;
}

/* ---------- lists ---------- */

cy_status_t
uw_policy_list_read(store_conn_t *c, uw_scope_t s, const char *status, const app_page_t *pg,
                    uw_policy_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->items = calloc((size_t)pg->limit, sizeof *out->items);
    if (out->items == NULL)
        return uw_no_memory(err);
    store_param_t f[] = {STORE_P_INT(s.all), STORE_P_INT(s.org_id), STORE_P_TEXT(status)};
    uw_pager_t g;
    uw_pager_open(c,
                  POLICY_SELECT "WHERE ($1 = 1 OR y.insured_org_id = $2 OR y.insurer_org_id = $2) "
                                "AND (CAST($3 AS TEXT) IS NULL OR y.status = $3) AND y.id < $4 "
                                "ORDER BY y.id DESC LIMIT $5",
                  f, pg, &g, err);
    while (uw_pager_row(&g))
        policy_row(g.rows, &out->items[out->n++]);
    cy_status_t st = uw_pager_close(&g);
    out->next = g.more ? out->items[out->n - 1].id : 0;
    for (size_t i = 0; i < out->n && st == CY_OK; i++)
        st = coverages_read(c, &out->items[i], err);
    return st;
}

int
uw_policy_visible(const actor_t *a, const uw_policy_t *y)
{
    return uw_sees_all(a) || y->insured_org_id == a->org_id || y->insurer_org_id == a->org_id;
}

void
uw_policy_at(uw_policy_t *y, int64_t now)
{
    y->in_force = !strcmp(y->status, "active") && y->start <= now && now < y->end;
}
