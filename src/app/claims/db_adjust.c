/*
 * db_adjust.c — the tables claim_liability, claim_check and claim_line_item,
 * read and written here only, their columns by name. Depends on store/;
 * never http/ or cli/.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"

/* A coverage mask as comma-separated codes in the notice's order. */
static void
mask_text(uint32_t mask, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (int k = 0; k < COV_N; k++) {
        if (!(mask & (1u << k)))
            continue;
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%s", len ? "," : "", cov_code(k));
    }
}

static uint32_t
mask_of(const char *text)
{
    char buf[256];
    claims_copy(buf, sizeof buf, text);
    uint32_t m = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        if (cov_find(tok) >= 0)
            m |= 1u << cov_find(tok);
    return m;
}

static cy_status_t
checks_write(store_conn_t *c, const claims_liability_t *l, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    for (size_t i = 0; i < l->n_checks && st == CY_OK; i++) {
        const liab_check_t *k = &l->checks[i];
        store_param_t p[] = {STORE_P_INT(l->id),
                             STORE_P_INT((int64_t)i + 1),
                             STORE_P_TEXT(k->code),
                             STORE_P_TEXT(liab_mark_code(k->mark)),
                             k->cov >= 0 ? STORE_P_TEXT(cov_code(k->cov)) : STORE_P_NULL,
                             STORE_P_TEXT(k->clause),
                             STORE_P_TEXT(k->text)};
        st = store_exec(c,
                        "INSERT INTO claim_check (liability_id, seq, code, mark, coverage, clause, "
                        "text) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        p, 7, NULL, err);
    }
    return st;
}

cy_status_t
claims_liability_insert(store_conn_t *c, int64_t claim_id, claims_liability_t *l, cy_error_t *err)
{
    char responding[256], exploited[CLAIMS_MAX_EXPLOITED * 33] = "";
    mask_text(l->responding, responding, sizeof responding);
    for (size_t i = 0; i < l->n_exploited; i++) {
        size_t len = strlen(exploited);
        snprintf(exploited + len, sizeof exploited - len, "%s%s", i ? "," : "", l->exploited[i]);
    }
    store_param_t p[] = {
        STORE_P_INT(claim_id),      STORE_P_TEXT(l->outcome),       STORE_P_TEXT(responding),
        STORE_P_INT(l->war),        STORE_P_INT(l->infrastructure), STORE_P_INT(l->intentional),
        STORE_P_TEXT(exploited),    STORE_P_TEXT(l->rules_version), STORE_P_TEXT(l->note),
        STORE_P_INT(l->decided_by), STORE_P_TEXT(l->decided_at)};
    cy_status_t st = store_insert_id(
        c,
        "INSERT INTO claim_liability (claim_id, outcome, responding, war, infrastructure, "
        "intentional, exploited, rules_version, note, decided_by, decided_at) VALUES ($1, $2, $3, "
        "$4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        p, 11, &l->id, err);
    return st == CY_OK ? checks_write(c, l, err) : st;
}

static const store_col_t LIABILITY_COLS[] = {
    STORE_COL(claims_liability_t, id),          STORE_COL(claims_liability_t, outcome),
    STORE_COL(claims_liability_t, war),         STORE_COL(claims_liability_t, infrastructure),
    STORE_COL(claims_liability_t, intentional), STORE_COL(claims_liability_t, rules_version),
    STORE_COL(claims_liability_t, note),        STORE_COL(claims_liability_t, decided_by),
    STORE_COL(claims_liability_t, decided_at)};

static void
liability_row(const store_rows_t *r, void *item)
{
    claims_liability_t *l = item;
    l->responding = mask_of(store_row_text(r, "responding"));
    char list[CLAIMS_MAX_EXPLOITED * 33];
    store_row_copy(r, "exploited", list, sizeof list);
    for (char *save = NULL, *tok = strtok_r(list, ",", &save);
         tok && l->n_exploited < CLAIMS_MAX_EXPLOITED; tok = strtok_r(NULL, ",", &save))
        claims_copy(l->exploited[l->n_exploited++], sizeof l->exploited[0], tok);
}

static const store_col_t CHECK_COLS[] = {
    STORE_COL(liab_check_t, code), STORE_COL(liab_check_t, clause), STORE_COL(liab_check_t, text)};

static void
check_row(const store_rows_t *r, void *item)
{
    liab_check_t *k = item;
    const char *m = store_row_text(r, "mark");
    k->mark = !strcmp(m, "pass") ? LIAB_PASS : !strcmp(m, "fail") ? LIAB_FAIL : LIAB_WARN;
    k->cov = store_row_isnull(r, "coverage") ? -1 : cov_find(store_row_text(r, "coverage"));
}

const claims_record_t CLAIMS_LIABILITY = {
    "SELECT id, outcome, responding, war, infrastructure, intentional, exploited, rules_version, "
    "note, decided_by, decided_at FROM claim_liability WHERE claim_id = $1 ORDER BY id DESC",
    sizeof(claims_liability_t),
    CLAIMS_MAP(LIABILITY_COLS, liability_row),
    offsetof(claims_liability_t, id),
    offsetof(claims_liability_t, checks),
    offsetof(claims_liability_t, n_checks),
    "SELECT code, mark, coverage, clause, text FROM claim_check WHERE liability_id = $1 ORDER BY "
    "seq",
    sizeof(liab_check_t),
    CLAIMS_MAP(CHECK_COLS, check_row)};

void
claims_liability_free(claims_liability_t *l)
{
    free(l->checks);
    l->checks = NULL;
    l->n_checks = 0;
}

/* ---------- line items ---------- */

cy_status_t
claims_line_item_insert(store_conn_t *c, int64_t claim_id, claims_line_item_t *li, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(claim_id),           STORE_P_TEXT(cov_code(li->cov)),
                         STORE_P_TEXT(li->description),   STORE_P_INT(li->amount),
                         STORE_P_INT(li->outage_minutes), STORE_P_INT(li->hourly_gross_profit),
                         STORE_P_TEXT(li->documents),     STORE_P_INT(li->created_by),
                         STORE_P_TEXT(li->created_at)};
    return store_insert_id(c,
                           "INSERT INTO claim_line_item (claim_id, coverage, description, amount, "
                           "outage_minutes, hourly_gross_profit, documents, created_by, "
                           "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                           p, 9, &li->id, err);
}

cy_status_t
claims_line_item_remove(store_conn_t *c, int64_t claim_id, int64_t id, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id), STORE_P_INT(claim_id)};
    int64_t changed = 0;
    cy_status_t st = store_exec(c, "DELETE FROM claim_line_item WHERE id = $1 AND claim_id = $2", p,
                                2, &changed, err);
    *found = changed == 1;
    return st;
}

static const store_col_t LINE_ITEM_COLS[] = {STORE_COL(claims_line_item_t, id),
                                             STORE_COL(claims_line_item_t, description),
                                             STORE_COL(claims_line_item_t, amount),
                                             STORE_COL(claims_line_item_t, outage_minutes),
                                             STORE_COL(claims_line_item_t, hourly_gross_profit),
                                             STORE_COL(claims_line_item_t, documents),
                                             STORE_COL(claims_line_item_t, created_by),
                                             STORE_COL(claims_line_item_t, created_at)};

static void
line_item_row(const store_rows_t *r, void *item)
{
    claims_line_item_t *li = item;
    li->cov = cov_find(store_row_text(r, "coverage"));
}

cy_status_t
claims_line_items_read(store_conn_t *c, claims_claim_t *cl, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(cl->id)};
    cy_status_t st =
        claims_rows(c,
                    "SELECT id, coverage, description, amount, outage_minutes, "
                    "hourly_gross_profit, documents, created_by, created_at FROM "
                    "claim_line_item WHERE claim_id = $1 ORDER BY id",
                    p, 1, sizeof *cl->line_items, CLAIMS_MAP(LINE_ITEM_COLS, line_item_row), 0,
                    (void **)&cl->line_items, &cl->n_line_items, NULL, err);
    for (size_t i = 0; i < cl->n_line_items && st == CY_OK; i++) {
        claims_line_item_t *li = &cl->line_items[i];
        loss_item_t it = {li->cov, li->amount, li->outage_minutes, li->hourly_gross_profit};
        st = loss_item_amount(&it, &li->total, err);
    }
    return st;
}
