/*
 * store_impl.h — what store.c shares with its two backends. Not for use
 * outside src/store/.
 */
#ifndef CY_STORE_IMPL_H
#define CY_STORE_IMPL_H

#include <pthread.h>

#include "store/store.h"

typedef struct store_ops {
    cy_status_t (*connect)(const char *target, store_conn_t *c, cy_error_t *err);
    void (*disconnect)(store_conn_t *c);
    /* make a connection usable again after a failure (PostgreSQL: reset) */
    void (*heal)(store_conn_t *c);
    cy_status_t (*exec)(store_conn_t *c, const char *sql, const store_param_t *p, int n,
                        int64_t *changes, cy_error_t *err);
    cy_status_t (*exec_script)(store_conn_t *c, const char *sql, cy_error_t *err);
    cy_status_t (*query)(store_conn_t *c, const char *sql, const store_param_t *p, int n,
                         store_rows_t **out, cy_error_t *err);
    int (*rows_next)(store_rows_t *r, cy_error_t *err);
    int (*rows_ncols)(const store_rows_t *r);
    int (*rows_isnull)(const store_rows_t *r, int col);
    const char *(*rows_text)(const store_rows_t *r, int col);
    const char *(*rows_name)(const store_rows_t *r, int col); /* the column's name (its AS) */
    /* a binary column's bytes, valid until the next rows_blob, rows_next or rows_free */
    const void *(*rows_blob)(store_rows_t *r, int col, size_t *len);
    void (*rows_free)(store_rows_t *r);
    const char *begin_sql;        /* a write transaction */
    const char *id_type;          /* what @ID@ in a migration becomes */
    const char *blob_type;        /* what @BLOB@ in a migration becomes */
    const char *migrate_lock_sql; /* taken inside each migration transaction, or NULL */
} store_ops_t;

struct store_conn {
    store_t *owner;
    void *handle; /* sqlite3 * or PGconn * */
    void *cache;  /* backend's prepared-statement cache */
    int in_use;
    int broken; /* the last call failed at the connection level */
};

struct store {
    store_backend_t backend;
    const store_ops_t *ops;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n;
    store_conn_t *conns;
};

extern const store_ops_t store_sqlite_ops;
extern const store_ops_t store_pg_ops;

#endif
