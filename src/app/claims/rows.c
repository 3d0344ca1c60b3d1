/*
 * rows.c — the one list reader of the claims records (internal.h): a query's
 * rows mapped into a growing array by each table's column map (or the
 * first row alone, claims_row_one; a record and its lines, claims_record_read); and the
 * helper every row mapper uses, claims_copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"

cy_status_t
claims_rows(store_conn_t *c, const char *sql, const store_param_t *p, int np, size_t size,
            const claims_map_t *map, int limit, void **items, size_t *n, int *more, cy_error_t *err)
{
    *items = NULL;
    *n = 0;
    if (more != NULL)
        *more = 0;
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, np, &r, err);
    if (st != CY_OK)
        return st;
    size_t cap = 0;
    char *arr = NULL;
    int k;
    while ((k = store_rows_next(r, err)) == 1) {
        if (limit > 0 && *n == (size_t)limit) {
            if (more != NULL)
                *more = 1;
            break;
        }
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            char *na = realloc(arr, ncap * size);
            if (na == NULL) {
                st = cy_error_no_memory(err);
                break;
            }
            arr = na;
            cap = ncap;
        }
        void *item = arr + *n * size;
        memset(item, 0, size);
        store_row_read(r, map->cols, map->n_cols, item);
        if (map->fix != NULL)
            map->fix(r, item);
        (*n)++;
    }
    if (st == CY_OK && k < 0)
        st = err->status;
    store_rows_free(r);
    if (st != CY_OK) {
        free(arr);
        *n = 0;
        return st;
    }
    *items = arr;
    return CY_OK;
}

cy_status_t
claims_row_one(store_conn_t *c, const char *sql, const store_param_t *p, int np, size_t size,
               const claims_map_t *map, void *item, int *found, cy_error_t *err)
{
    void *rows;
    size_t n;
    cy_status_t st = claims_rows(c, sql, p, np, size, map, 1, &rows, &n, NULL, err);
    *found = st == CY_OK && n == 1;
    if (*found)
        memcpy(item, rows, size);
    free(rows);
    return st;
}

cy_status_t
claims_page(store_conn_t *c, const char *sql, const actor_t *a, const char *status,
            const app_page_t *pg, size_t size, const claims_map_t *map, void **items, size_t *n,
            int *more, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(authz_sees_all(a->org_type) || a->cli), STORE_P_INT(a->org_id),
                         STORE_P_TEXT(status), STORE_P_INT(pg->cursor > 0 ? pg->cursor : INT64_MAX),
                         STORE_P_INT(pg->limit + 1)};
    return claims_rows(c, sql, p, 5, size, map, pg->limit, items, n, more, err);
}

cy_status_t
claims_record_read(store_conn_t *c, const claims_record_t *rec, int64_t claim_id, void *head,
                   int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(claim_id)};
    memset(head, 0, rec->head_size);
    cy_status_t st =
        claims_row_one(c, rec->head_sql, p, 1, rec->head_size, rec->head_map, head, found, err);
    if (!*found)
        return st;
    char *h = head;
    store_param_t q[] = {STORE_P_INT(*(const int64_t *)(const void *)(h + rec->id_at))};
    return claims_rows(c, rec->lines_sql, q, 1, rec->line_size, rec->line_map, 0,
                       (void **)(void *)(h + rec->lines_at),
                       (size_t *)(void *)(h + rec->n_lines_at), NULL, err);
}

/* The names of t's columns from the first on, comma-separated. */
static void
column_list(const claims_table_t *t, size_t first, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = first; i < t->n_cols && len < cap; i++)
        len +=
            (size_t)snprintf(buf + len, cap - len, "%s%s", i > first ? ", " : "", t->cols[i].name);
}

cy_status_t
claims_table_insert(store_conn_t *c, const claims_table_t *t, int64_t claim_id, void *item,
                    cy_error_t *err)
{
    if (t->n_cols > CLAIMS_TABLE_COLS)
        return cy_error_set(err, CY_EIO, "table_columns", NULL,
                            "表 %s 的列过多 / table %s has too many columns", t->table, t->table);
    char cols[512], values[128] = "$1", sql[1024];
    store_param_t p[CLAIMS_TABLE_COLS] = {STORE_P_INT(claim_id)};
    column_list(t, 1, cols, sizeof cols);
    for (size_t i = 1; i < t->n_cols; i++) {
        p[i] = store_col_param(&t->cols[i], item);
        size_t len = strlen(values);
        snprintf(values + len, sizeof values - len, ", $%zu", i + 1);
    }
    snprintf(sql, sizeof sql, "INSERT INTO %s (claim_id, %s) VALUES (%s) RETURNING id", t->table,
             cols, values);
    return store_insert_id(c, sql, p, (int)t->n_cols,
                           (int64_t *)(void *)((char *)item + t->cols[0].offset), err);
}

cy_status_t
claims_table_read(store_conn_t *c, const claims_table_t *t, int64_t claim_id, void **items,
                  size_t *n, cy_error_t *err)
{
    char cols[512], sql[1024];
    column_list(t, 0, cols, sizeof cols);
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE claim_id = $1 ORDER BY id", cols, t->table);
    store_param_t p[] = {STORE_P_INT(claim_id)};
    const claims_map_t map = {t->cols, t->n_cols, NULL};
    return claims_rows(c, sql, p, 1, t->size, &map, 0, items, n, NULL, err);
}

void
claims_copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}
