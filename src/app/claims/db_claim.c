/*
 * db_claim.c — the tables claim_incident, claim, claim_estimate and
 * claim_status, read and written here only, their columns by name; and the
 * pilot's figures, aggregated from claim by SQL. Depends on store/; never
 * http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"
#include "app/util.h"

/* ---------- incidents ---------- */

#define INCIDENT_SELECT                                                                            \
    "SELECT i.id, i.insured_org_id, i.reported_by_org_id, i.reported_by_user_id, "                 \
    "i.incident_type, i.occurred_at, i.discovered_at, i.reported_at, i.description, i.systems, "   \
    "i.data_affected, i.created_at, o.name AS insured_name FROM claim_incident i JOIN "            \
    "organisation o ON o.id = i.insured_org_id "

static const store_col_t INCIDENT_COLS[] = {STORE_COL(claims_incident_t, id),
                                            STORE_COL(claims_incident_t, insured_org_id),
                                            STORE_COL(claims_incident_t, reported_by_org_id),
                                            STORE_COL(claims_incident_t, reported_by_user_id),
                                            STORE_COL(claims_incident_t, insured_name),
                                            STORE_COL(claims_incident_t, incident_type),
                                            STORE_COL(claims_incident_t, occurred_at),
                                            STORE_COL(claims_incident_t, discovered_at),
                                            STORE_COL(claims_incident_t, reported_at),
                                            STORE_COL(claims_incident_t, description),
                                            STORE_COL(claims_incident_t, systems),
                                            STORE_COL(claims_incident_t, data_affected),
                                            STORE_COL(claims_incident_t, created_at)};

cy_status_t
claims_incident_find(store_conn_t *c, int64_t insured, const char *type, const char *discovered_at,
                     int64_t *id, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(insured), STORE_P_TEXT(type), STORE_P_TEXT(discovered_at)};
    int found = 0;
    *id = 0;
    return store_query_int(c,
                           "SELECT id FROM claim_incident WHERE insured_org_id = $1 AND "
                           "incident_type = $2 AND discovered_at = $3",
                           p, 3, id, &found, err);
}

cy_status_t
claims_incident_insert(store_conn_t *c, claims_incident_t *in, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(in->insured_org_id),
                         STORE_P_INT(in->reported_by_org_id),
                         STORE_P_INT(in->reported_by_user_id),
                         STORE_P_TEXT(in->incident_type),
                         in->occurred_at[0] ? STORE_P_TEXT(in->occurred_at) : STORE_P_NULL,
                         STORE_P_TEXT(in->discovered_at),
                         STORE_P_TEXT(in->reported_at),
                         STORE_P_TEXT(in->description),
                         STORE_P_TEXT(in->systems),
                         STORE_P_TEXT(in->data_affected),
                         STORE_P_TEXT(in->created_at)};
    return store_insert_id(c,
                           "INSERT INTO claim_incident (insured_org_id, reported_by_org_id, "
                           "reported_by_user_id, incident_type, occurred_at, discovered_at, "
                           "reported_at, description, systems, data_affected, created_at) VALUES "
                           "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                           p, 11, &in->id, err);
}

cy_status_t
claims_incident_read(store_conn_t *c, int64_t id, claims_incident_t *out, int *found,
                     cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    return claims_row_one(c, INCIDENT_SELECT "WHERE i.id = $1", p, 1, sizeof *out,
                          CLAIMS_MAP(INCIDENT_COLS, NULL), out, found, err);
}

static void
incident_claim_row(const store_rows_t *r, void *item)
{
    claims_notice_policy_t *p = item;
    p->claim_id = store_row_int(r, "id");
    store_row_copy(r, "claim_no", p->claim_no, sizeof p->claim_no);
    p->policy_id = store_row_int(r, "policy_id");
    store_row_copy(r, "policy_no", p->policy_no, sizeof p->policy_no);
    p->insurer_org_id = store_row_int(r, "insurer_org_id");
    store_row_copy(r, "insurer_name", p->insurer_name, sizeof p->insurer_name);
    p->answers = 1;
}

cy_status_t
claims_incident_claims(store_conn_t *c, claims_incident_t *in, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(in->id)};
    claims_notice_policy_t *rows;
    size_t n;
    cy_status_t st = claims_rows(c,
                                 "SELECT c.id, c.claim_no, c.policy_id, c.policy_no, "
                                 "c.insurer_org_id, o.name AS insurer_name FROM claim c JOIN "
                                 "organisation o ON o.id = c.insurer_org_id WHERE "
                                 "c.incident_id = $1 ORDER BY c.id",
                                 p, 1, sizeof *rows, CLAIMS_FIX(incident_claim_row),
                                 CLAIMS_MAX_POLICIES, (void **)&rows, &n, NULL, err);
    if (st == CY_OK) {
        memcpy(in->policies, rows, n * sizeof *rows);
        in->n_policies = n;
    }
    free(rows);
    return st;
}

cy_status_t
claims_incident_list_read(store_conn_t *c, const actor_t *a, const app_page_t *pg,
                          claims_incident_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    store_param_t p[] = {STORE_P_INT(authz_sees_all(a->org_type) || a->cli), STORE_P_INT(a->org_id),
                         STORE_P_INT(pg->cursor > 0 ? pg->cursor : INT64_MAX),
                         STORE_P_INT(pg->limit + 1)};
    int more = 0;
    cy_status_t st = claims_rows(
        c,
        INCIDENT_SELECT "WHERE ($1 = 1 OR i.insured_org_id = $2 OR i.reported_by_org_id = $2 OR "
                        "EXISTS (SELECT 1 FROM claim x WHERE x.incident_id = i.id AND "
                        "x.insurer_org_id = $2)) AND i.id < $3 ORDER BY i.id DESC LIMIT $4",
        p, 4, sizeof *out->items, CLAIMS_MAP(INCIDENT_COLS, NULL), pg->limit, (void **)&out->items,
        &out->n, &more, err);
    out->next = more ? out->items[out->n - 1].id : 0;
    for (size_t i = 0; i < out->n && st == CY_OK; i++)
        st = claims_incident_claims(c, &out->items[i], err);
    return st;
}

/* ---------- claims ---------- */

#define CLAIM_SELECT                                                                               \
    "SELECT c.id, c.claim_no, c.incident_id, c.policy_id, c.policy_no, c.insurer_org_id, "         \
    "c.insured_org_id, c.region_code, c.industry_section, c.status, c.status_before_close, "       \
    "c.notice_late, c.estimate_total, c.liability_outcome, c.settled_amount, c.paid, "             \
    "c.recovered, c.reserve, c.notified_at, c.first_response_at, c.settled_at, c.closed_at, "      \
    "c.created_at, c.updated_at, i.incident_type, i.occurred_at, i.discovered_at, "                \
    "i.reported_at, i.description, i.systems, i.data_affected, io.name AS insurer_name, "          \
    "o.name AS insured_name FROM claim c JOIN claim_incident i ON i.id = c.incident_id JOIN "      \
    "organisation io ON io.id = c.insurer_org_id JOIN organisation o ON o.id = "                   \
    "c.insured_org_id "

static const store_col_t CLAIM_COLS[] = {STORE_COL(claims_claim_t, id),
                                         STORE_COL(claims_claim_t, claim_no),
                                         STORE_COL(claims_claim_t, incident_id),
                                         STORE_COL(claims_claim_t, policy_id),
                                         STORE_COL(claims_claim_t, policy_no),
                                         STORE_COL(claims_claim_t, insurer_org_id),
                                         STORE_COL(claims_claim_t, insured_org_id),
                                         STORE_COL(claims_claim_t, insurer_name),
                                         STORE_COL(claims_claim_t, insured_name),
                                         STORE_COL_AS(claims_claim_t, region, "region_code"),
                                         STORE_COL(claims_claim_t, status),
                                         STORE_COL(claims_claim_t, status_before_close),
                                         STORE_COL(claims_claim_t, notice_late),
                                         STORE_COL(claims_claim_t, estimate_total),
                                         STORE_COL(claims_claim_t, liability_outcome),
                                         STORE_COL(claims_claim_t, paid),
                                         STORE_COL(claims_claim_t, recovered),
                                         STORE_COL(claims_claim_t, reserve),
                                         STORE_COL(claims_claim_t, notified_at),
                                         STORE_COL(claims_claim_t, first_response_at),
                                         STORE_COL(claims_claim_t, settled_at),
                                         STORE_COL(claims_claim_t, closed_at),
                                         STORE_COL(claims_claim_t, created_at),
                                         STORE_COL(claims_claim_t, updated_at),
                                         STORE_COL(claims_claim_t, incident_type),
                                         STORE_COL(claims_claim_t, occurred_at),
                                         STORE_COL(claims_claim_t, discovered_at),
                                         STORE_COL(claims_claim_t, reported_at),
                                         STORE_COL(claims_claim_t, description),
                                         STORE_COL(claims_claim_t, systems),
                                         STORE_COL(claims_claim_t, data_affected)};

static void
claim_row(const store_rows_t *r, void *item)
{
    claims_claim_t *cl = item;
    const char *sec = store_row_text(r, "industry_section");
    cl->section = sec && sec[0] ? sec[0] : '?';
    cl->settled_amount =
        store_row_isnull(r, "settled_amount") ? -1 : store_row_int(r, "settled_amount");
    for (int k = 0; k < COV_N; k++)
        cl->estimates[k] = -1;
}

cy_status_t
claims_claim_of(store_conn_t *c, int64_t incident, int64_t policy, int64_t *id,
                char no[CLAIMS_NO_MAX], char at[32], cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(incident), STORE_P_INT(policy)};
    store_rows_t *r;
    *id = 0;
    cy_status_t st = store_query_row(c,
                                     "SELECT id, claim_no, notified_at FROM claim WHERE "
                                     "incident_id = $1 AND policy_id = $2",
                                     p, 2, &r, err);
    if (st != CY_OK || r == NULL)
        return st;
    *id = store_row_int(r, "id");
    store_row_copy(r, "claim_no", no, CLAIMS_NO_MAX);
    store_row_copy(r, "notified_at", at, 32);
    store_rows_free(r);
    return CY_OK;
}

cy_status_t
claims_claim_insert(store_conn_t *c, claims_claim_t *cl, cy_error_t *err)
{
    char sec[2] = {cl->section, '\0'};
    store_param_t p[] = {STORE_P_TEXT(cl->claim_no),
                         STORE_P_INT(cl->incident_id),
                         STORE_P_INT(cl->policy_id),
                         STORE_P_TEXT(cl->policy_no),
                         STORE_P_INT(cl->insurer_org_id),
                         STORE_P_INT(cl->insured_org_id),
                         STORE_P_TEXT(cl->region),
                         STORE_P_TEXT(sec),
                         STORE_P_TEXT(cl->status),
                         STORE_P_INT(cl->notice_late),
                         STORE_P_INT(cl->estimate_total),
                         STORE_P_TEXT(cl->notified_at),
                         STORE_P_INT(app_iso_to_time(cl->notified_at))};
    return store_insert_id(
        c,
        "INSERT INTO claim (claim_no, incident_id, policy_id, policy_no, insurer_org_id, "
        "insured_org_id, region_code, industry_section, status, notice_late, estimate_total, "
        "notified_at, notified_s, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "$9, $10, $11, $12, $13, $12, $12) RETURNING id",
        p, 13, &cl->id, err);
}

static void
estimate_row(const store_rows_t *r, void *item)
{
    int64_t *e = item;
    int cov = cov_find(store_row_text(r, "coverage"));
    e[0] = cov;
    e[1] = store_row_int(r, "amount");
}

cy_status_t
claims_claim_read(store_conn_t *c, int64_t id, claims_claim_t *cl, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    cy_status_t st = claims_row_one(c, CLAIM_SELECT "WHERE c.id = $1", p, 1, sizeof *cl,
                                    CLAIMS_MAP(CLAIM_COLS, claim_row), cl, found, err);
    if (!*found)
        return st;
    int64_t(*est)[2];
    size_t n;
    st = claims_rows(c, "SELECT coverage, amount FROM claim_estimate WHERE claim_id = $1", p, 1,
                     sizeof *est, CLAIMS_FIX(estimate_row), 0, (void **)&est, &n, NULL, err);
    for (size_t i = 0; st == CY_OK && i < n; i++)
        if (est[i][0] >= 0 && est[i][0] < COV_N)
            cl->estimates[est[i][0]] = est[i][1];
    free(est);
    return st;
}

cy_status_t
claims_claim_lock(store_conn_t *c, int64_t id, const char *at, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(at), STORE_P_INT(id)};
    int64_t changed = 0;
    cy_status_t st =
        store_exec(c, "UPDATE claim SET updated_at = $1 WHERE id = $2", p, 2, &changed, err);
    *found = changed == 1;
    return st;
}

cy_status_t
claims_claim_list_read(store_conn_t *c, const actor_t *a, const char *status, const app_page_t *pg,
                       claims_claim_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    int more = 0;
    cy_status_t st = claims_page(
        c,
        CLAIM_SELECT "WHERE ($1 = 1 OR c.insurer_org_id = $2 OR c.insured_org_id = $2 OR EXISTS "
                     "(SELECT 1 FROM claim_assignment s WHERE s.claim_id = c.id AND "
                     "s.service_org_id = $2)) AND (CAST($3 AS TEXT) IS NULL OR c.status = $3) "
                     "AND c.id < $4 ORDER BY c.id DESC LIMIT $5",
        a, status, pg, sizeof *out->items, CLAIMS_MAP(CLAIM_COLS, claim_row), (void **)&out->items,
        &out->n, &more, err);
    out->next = more ? out->items[out->n - 1].id : 0;
    return st;
}

cy_status_t
claims_estimates_write(store_conn_t *c, int64_t claim_id, const int64_t est[COV_N], cy_error_t *err)
{
    cy_status_t st = CY_OK;
    for (int k = 0; k < COV_N && st == CY_OK; k++) {
        if (est[k] < 0)
            continue;
        store_param_t p[] = {STORE_P_INT(claim_id), STORE_P_TEXT(cov_code(k)), STORE_P_INT(est[k])};
        st = store_exec(c,
                        "INSERT INTO claim_estimate (claim_id, coverage, amount) VALUES ($1, $2, "
                        "$3)",
                        p, 3, NULL, err);
    }
    return st;
}

static store_param_t
text_or_null(const char *s)
{
    return s && s[0] ? STORE_P_TEXT(s) : STORE_P_NULL;
}

static store_param_t
time_or_null(const char *s)
{
    return s && s[0] ? STORE_P_INT(app_iso_to_time(s)) : STORE_P_NULL;
}

cy_status_t
claims_claim_update(store_conn_t *c, const claims_claim_t *cl, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(cl->status),
                         text_or_null(cl->status_before_close),
                         text_or_null(cl->liability_outcome),
                         cl->settled_amount >= 0 ? STORE_P_INT(cl->settled_amount) : STORE_P_NULL,
                         STORE_P_INT(cl->paid),
                         STORE_P_INT(cl->recovered),
                         STORE_P_INT(cl->reserve),
                         text_or_null(cl->first_response_at),
                         time_or_null(cl->first_response_at),
                         text_or_null(cl->settled_at),
                         time_or_null(cl->settled_at),
                         text_or_null(cl->closed_at),
                         STORE_P_TEXT(cl->updated_at),
                         STORE_P_INT(cl->id)};
    return store_exec(c,
                      "UPDATE claim SET status = $1, status_before_close = $2, "
                      "liability_outcome = $3, settled_amount = $4, paid = $5, recovered = $6, "
                      "reserve = $7, first_response_at = $8, first_response_s = $9, "
                      "settled_at = $10, settled_s = $11, closed_at = $12, updated_at = $13 "
                      "WHERE id = $14",
                      p, 14, NULL, err);
}

/* ---------- status history ---------- */

cy_status_t
claims_status_insert(store_conn_t *c, int64_t claim_id, const actor_t *a, const char *status,
                     const char *at, const char *reason, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(claim_id),  STORE_P_TEXT(status),
                         STORE_P_TEXT(at),       STORE_P_INT(a->user_id),
                         STORE_P_INT(a->org_id), STORE_P_TEXT(reason ? reason : "")};
    return store_exec(c,
                      "INSERT INTO claim_status (claim_id, status, at, user_id, org_id, reason) "
                      "VALUES ($1, $2, $3, $4, $5, $6)",
                      p, 6, NULL, err);
}

static const store_col_t STATUS_COLS[] = {
    STORE_COL(claims_status_t, status), STORE_COL(claims_status_t, at),
    STORE_COL(claims_status_t, user_id), STORE_COL(claims_status_t, org_id),
    STORE_COL(claims_status_t, reason)};

cy_status_t
claims_statuses_read(store_conn_t *c, claims_claim_t *cl, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(cl->id)};
    return claims_rows(c,
                       "SELECT status, at, user_id, org_id, reason FROM claim_status WHERE "
                       "claim_id = $1 ORDER BY id",
                       p, 1, sizeof *cl->statuses, CLAIMS_MAP(STATUS_COLS, NULL), 0,
                       (void **)&cl->statuses, &cl->n_statuses, NULL, err);
}

/* ---------- the figures ---------- */

static const store_col_t FIGURE_COLS[] = {
    STORE_COL(claims_figure_t, key),
    STORE_COL(claims_figure_t, name),
    STORE_COL(claims_figure_t, claims),
    STORE_COL_AS(claims_figure_t, open, "open_n"),
    STORE_COL_AS(claims_figure_t, settled, "settled_n"),
    STORE_COL(claims_figure_t, settled_n),
    STORE_COL(claims_figure_t, paid),
    STORE_COL(claims_figure_t, recovered),
    STORE_COL(claims_figure_t, reserves),
    STORE_COL(claims_figure_t, responded),
    STORE_COL_AS(claims_figure_t, response_seconds_sum, "response_sum"),
    STORE_COL_AS(claims_figure_t, settle_seconds_sum, "settle_sum")};

cy_status_t
claims_figures_read(store_conn_t *c, const claims_figures_in_t *in, int all, int64_t org,
                    const char *region, claims_figures_t *out, cy_error_t *err)
{
    static const char *const KEY[] = {
        [CLAIMS_BY_POLICY] = "c.policy_no AS key, '' AS name",
        [CLAIMS_BY_INSURER] = "CAST(c.insurer_org_id AS TEXT) AS key, io.name AS name",
        [CLAIMS_BY_REGION] = "c.region_code AS key, '' AS name",
        [CLAIMS_BY_INDUSTRY] = "c.industry_section AS key, '' AS name",
    };
    static const char *const GROUP[] = {
        [CLAIMS_BY_POLICY] = "c.policy_no",
        [CLAIMS_BY_INSURER] = "c.insurer_org_id, io.name",
        [CLAIMS_BY_REGION] = "c.region_code",
        [CLAIMS_BY_INDUSTRY] = "c.industry_section",
    };
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT %s, COUNT(*) AS claims, SUM(CASE WHEN c.status <> 'closed' THEN 1 ELSE 0 "
             "END) AS open_n, SUM(CASE WHEN c.settled_s IS NULL THEN 0 ELSE 1 END) AS settled_n, "
             "SUM(c.paid) AS paid, SUM(c.recovered) AS recovered, SUM(CASE WHEN c.status <> "
             "'closed' THEN c.reserve ELSE 0 END) AS reserves, COUNT(c.first_response_s) AS "
             "responded, SUM(c.first_response_s - c.notified_s) AS response_sum, "
             "SUM(c.settled_s - c.notified_s) AS settle_sum FROM claim c JOIN organisation io ON "
             "io.id = c.insurer_org_id WHERE ($1 = 1 OR c.insurer_org_id = $2 OR c.region_code "
             "LIKE $3) AND ($4 = 0 OR c.notified_s >= $4) AND ($5 = 0 OR c.notified_s < $5) "
             "GROUP BY %s ORDER BY %s",
             KEY[in->by], GROUP[in->by], GROUP[in->by]);
    char like[16];
    snprintf(like, sizeof like, "%s%%", region ? region : "");
    store_param_t p[] = {STORE_P_INT(all), STORE_P_INT(org),
                         region ? STORE_P_TEXT(like) : STORE_P_NULL, STORE_P_INT(in->from),
                         STORE_P_INT(in->to)};
    return claims_rows(c, sql, p, 5, sizeof *out->rows, CLAIMS_MAP(FIGURE_COLS, NULL), 0,
                       (void **)&out->rows, &out->n, NULL, err);
}
