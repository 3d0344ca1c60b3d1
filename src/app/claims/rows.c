/*
 * rows.c — the one list reader of the claims records (internal.h): a query's
 * rows mapped into a growing array by each table's own row mapper.
 */
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"

cy_status_t
claims_rows(store_conn_t *c, const char *sql, const store_param_t *p, int np, size_t size,
            claims_row_fn fn, int limit, void **items, size_t *n, int *more, cy_error_t *err)
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
                st = claims_no_memory(err);
                break;
            }
            arr = na;
            cap = ncap;
        }
        void *item = arr + *n * size;
        memset(item, 0, size);
        fn(r, item);
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
