/*
 * db_settle.c — the tables claim_limit, claim_settlement and claim_trace,
 * read and written here only, their columns by name. Depends on store/;
 * never http/ or cli/.
 */
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"

/* ---------- what the policy year has left ---------- */

static void
limit_row(const store_rows_t *r, void *item)
{
    claims_limit_t *l = item;
    l->eroded = store_row_int(r, "eroded");
    l->settlements = (int)store_row_int(r, "settlements");
    l->claims = (int)store_row_int(r, "claims");
}

cy_status_t
claims_limit_lock(store_conn_t *c, int64_t policy_id, const char *at, claims_limit_t *out,
                  cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(policy_id), STORE_P_TEXT(at)};
    memset(out, 0, sizeof *out);
    /*
     * The UPDATE is the lock: PostgreSQL holds the row for the transaction, so a second
     * settlement on the policy waits here and then (READ COMMITTED: each statement sees what
     * was committed before it) reads what the first one left; SQLite's transactions are
     * IMMEDIATE, one writer at a time.
     */
    cy_status_t st = store_exec(c,
                                "INSERT INTO claim_limit (policy_id, eroded, settlements, claims, "
                                "updated_at) VALUES ($1, 0, 0, 0, $2) ON CONFLICT (policy_id) DO "
                                "NOTHING",
                                p, 2, NULL, err);
    if (st == CY_OK)
        st = store_exec(c, "UPDATE claim_limit SET updated_at = $2 WHERE policy_id = $1", p, 2,
                        NULL, err);
    claims_limit_t *rows = NULL;
    size_t n = 0;
    if (st == CY_OK)
        st = claims_rows(c,
                         "SELECT eroded, settlements, claims FROM claim_limit WHERE policy_id = $1",
                         p, 1, sizeof *rows, limit_row, 0, (void **)&rows, &n, NULL, err);
    if (st == CY_OK && n == 1)
        *out = rows[0];
    free(rows);
    return st;
}

cy_status_t
claims_limit_write(store_conn_t *c, int64_t policy_id, const claims_limit_t *l, const char *at,
                   cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(l->eroded), STORE_P_INT(l->settlements),
                         STORE_P_INT(l->claims), STORE_P_TEXT(at), STORE_P_INT(policy_id)};
    return store_exec(c,
                      "UPDATE claim_limit SET eroded = $1, settlements = $2, claims = $3, "
                      "updated_at = $4 WHERE policy_id = $5",
                      p, 5, NULL, err);
}

/* ---------- the settlement and its trace ---------- */

static cy_status_t
trace_write(store_conn_t *c, const claims_settlement_t *s, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    for (size_t i = 0; i < s->n_lines && st == CY_OK; i++) {
        const claims_trace_line_t *l = &s->lines[i];
        store_param_t p[] = {
            STORE_P_INT(s->id),     STORE_P_INT((int64_t)i + 1),
            STORE_P_TEXT(l->rule),  l->cov >= 0 ? STORE_P_TEXT(cov_code(l->cov)) : STORE_P_NULL,
            STORE_P_INT(l->before), STORE_P_INT(l->after),
            STORE_P_TEXT(l->text)};
        st = store_exec(c,
                        "INSERT INTO claim_trace (settlement_id, seq, rule, coverage, "
                        "before_amount, after_amount, text) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        p, 7, NULL, err);
    }
    return st;
}

cy_status_t
claims_settlement_insert(store_conn_t *c, int64_t claim_id, claims_settlement_t *s, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(claim_id),
                         STORE_P_INT(s->aggregate_limit),
                         STORE_P_INT(s->retention),
                         STORE_P_INT(s->bi_waiting_hours),
                         STORE_P_INT(s->aggregate_before),
                         STORE_P_INT(s->aggregate_after),
                         STORE_P_INT(s->claimed_total),
                         STORE_P_INT(s->declined_total),
                         STORE_P_INT(s->ground_up_total),
                         STORE_P_INT(s->waiting),
                         STORE_P_INT(s->retained),
                         STORE_P_INT(s->paid_total),
                         STORE_P_INT(s->settled_by),
                         STORE_P_TEXT(s->settled_at)};
    cy_status_t st = store_insert_id(
        c,
        "INSERT INTO claim_settlement (claim_id, aggregate_limit, retention, bi_waiting_hours, "
        "aggregate_before, aggregate_after, claimed_total, declined_total, ground_up_total, "
        "waiting, retained, paid_total, settled_by, settled_at) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        p, 14, &s->id, err);
    return st == CY_OK ? trace_write(c, s, err) : st;
}

static void
settlement_row(const store_rows_t *r, void *item)
{
    claims_settlement_t *s = item;
    s->id = store_row_int(r, "id");
    s->aggregate_limit = store_row_int(r, "aggregate_limit");
    s->retention = store_row_int(r, "retention");
    s->bi_waiting_hours = (int)store_row_int(r, "bi_waiting_hours");
    s->aggregate_before = store_row_int(r, "aggregate_before");
    s->aggregate_after = store_row_int(r, "aggregate_after");
    s->claimed_total = store_row_int(r, "claimed_total");
    s->declined_total = store_row_int(r, "declined_total");
    s->ground_up_total = store_row_int(r, "ground_up_total");
    s->waiting = store_row_int(r, "waiting");
    s->retained = store_row_int(r, "retained");
    s->paid_total = store_row_int(r, "paid_total");
    s->settled_by = store_row_int(r, "settled_by");
    store_row_copy(r, "settled_at", s->settled_at, sizeof s->settled_at);
}

static void
trace_row(const store_rows_t *r, void *item)
{
    claims_trace_line_t *l = item;
    store_row_copy(r, "rule", l->rule, sizeof l->rule);
    l->cov = store_row_isnull(r, "coverage") ? -1 : cov_find(store_row_text(r, "coverage"));
    l->before = store_row_int(r, "before_amount");
    l->after = store_row_int(r, "after_amount");
    store_row_copy(r, "text", l->text, sizeof l->text);
}

cy_status_t
claims_settlement_read(store_conn_t *c, int64_t claim_id, claims_settlement_t *s, int *found,
                       cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(claim_id)};
    claims_settlement_t *rows;
    size_t n;
    memset(s, 0, sizeof *s);
    cy_status_t st =
        claims_rows(c,
                    "SELECT id, aggregate_limit, retention, bi_waiting_hours, "
                    "aggregate_before, aggregate_after, claimed_total, "
                    "declined_total, ground_up_total, waiting, retained, paid_total, "
                    "settled_by, settled_at FROM claim_settlement WHERE claim_id = $1",
                    p, 1, sizeof *rows, settlement_row, 0, (void **)&rows, &n, NULL, err);
    *found = st == CY_OK && n == 1;
    if (*found)
        *s = rows[0];
    free(rows);
    if (!*found)
        return st;
    store_param_t q[] = {STORE_P_INT(s->id)};
    return claims_rows(c,
                       "SELECT rule, coverage, before_amount, after_amount, text FROM claim_trace "
                       "WHERE settlement_id = $1 ORDER BY seq",
                       q, 1, sizeof *s->lines, trace_row, 0, (void **)&s->lines, &s->n_lines, NULL,
                       err);
}

void
claims_settlement_free(claims_settlement_t *s)
{
    if (s == NULL)
        return;
    free(s->lines);
    s->lines = NULL;
    s->n_lines = 0;
}
