/*
 * db_settle.c — the tables claim_limit, claim_settlement and claim_trace,
 * read and written here only, their columns by name. Depends on store/;
 * never http/ or cli/.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"

/* ---------- what the policy year has left ---------- */

static const store_col_t LIMIT_COLS[] = {STORE_COL(claims_limit_t, eroded),
                                         STORE_COL(claims_limit_t, settlements),
                                         STORE_COL(claims_limit_t, claims)};

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
        st = claims_rows(
            c, "SELECT eroded, settlements, claims FROM claim_limit WHERE policy_id = $1", p, 1,
            sizeof *rows, CLAIMS_MAP(LIMIT_COLS, NULL), 0, (void **)&rows, &n, NULL, err);
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

static const store_col_t SETTLEMENT_COLS[] = {STORE_COL(claims_settlement_t, id),
                                              STORE_COL(claims_settlement_t, aggregate_limit),
                                              STORE_COL(claims_settlement_t, retention),
                                              STORE_COL(claims_settlement_t, bi_waiting_hours),
                                              STORE_COL(claims_settlement_t, aggregate_before),
                                              STORE_COL(claims_settlement_t, aggregate_after),
                                              STORE_COL(claims_settlement_t, claimed_total),
                                              STORE_COL(claims_settlement_t, declined_total),
                                              STORE_COL(claims_settlement_t, ground_up_total),
                                              STORE_COL(claims_settlement_t, waiting),
                                              STORE_COL(claims_settlement_t, retained),
                                              STORE_COL(claims_settlement_t, paid_total),
                                              STORE_COL(claims_settlement_t, settled_by),
                                              STORE_COL(claims_settlement_t, settled_at)};

static const claims_table_t SETTLEMENTS = {"claim_settlement", SETTLEMENT_COLS,
                                           STORE_COLS_N(SETTLEMENT_COLS),
                                           sizeof(claims_settlement_t)};

cy_status_t
claims_settlement_insert(store_conn_t *c, int64_t claim_id, claims_settlement_t *s, cy_error_t *err)
{
    cy_status_t st = claims_table_insert(c, &SETTLEMENTS, claim_id, s, err);
    return st == CY_OK ? trace_write(c, s, err) : st;
}

static const store_col_t TRACE_COLS[] = {STORE_COL(claims_trace_line_t, rule),
                                         STORE_COL_AS(claims_trace_line_t, before, "before_amount"),
                                         STORE_COL_AS(claims_trace_line_t, after, "after_amount"),
                                         STORE_COL(claims_trace_line_t, text)};

static void
trace_row(const store_rows_t *r, void *item)
{
    claims_trace_line_t *l = item;
    l->cov = store_row_isnull(r, "coverage") ? -1 : cov_find(store_row_text(r, "coverage"));
}

const claims_record_t CLAIMS_SETTLEMENT = {
    "SELECT id, aggregate_limit, retention, bi_waiting_hours, aggregate_before, aggregate_after, "
    "claimed_total, declined_total, ground_up_total, waiting, retained, paid_total, settled_by, "
    "settled_at FROM claim_settlement WHERE claim_id = $1",
    sizeof(claims_settlement_t),
    CLAIMS_MAP(SETTLEMENT_COLS, NULL),
    offsetof(claims_settlement_t, id),
    offsetof(claims_settlement_t, lines),
    offsetof(claims_settlement_t, n_lines),
    "SELECT rule, coverage, before_amount, after_amount, text FROM claim_trace WHERE "
    "settlement_id = $1 ORDER BY seq",
    sizeof(claims_trace_line_t),
    CLAIMS_MAP(TRACE_COLS, trace_row)};

void
claims_settlement_free(claims_settlement_t *s)
{
    if (s == NULL)
        return;
    free(s->lines);
    s->lines = NULL;
    s->n_lines = 0;
}
