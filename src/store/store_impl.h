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
    /* store_exec_later, or NULL: exec at once */
    cy_status_t (*exec_later)(store_conn_t *c, const char *sql, const store_param_t *p, int n,
                              cy_error_t *err);
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
    const char *snapshot_sql;     /* a read-only transaction over one snapshot */
    const char *id_type;          /* what @ID@ in a migration becomes */
    const char *blob_type;        /* what @BLOB@ in a migration becomes */
    const char *migrate_lock_sql; /* taken inside each migration transaction, or NULL */
} store_ops_t;

struct store_conn {
    store_t *owner;
    void *handle; /* sqlite3 * or PGconn * */
    void *cache;  /* backend's prepared-statement cache */
    int in_use;
    int broken;           /* the last call failed at the connection level */
    int epoch_bumped;     /* the open transaction bumped the cache epoch */
    int64_t settle_until; /* CLOCK_MONOTONIC ns: store_release returns then (0: at once) */
};

struct store {
    store_backend_t backend;
    const store_ops_t *ops;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n;
    store_conn_t *conns;
    char *target;              /* what connect takes: the SQLite path or the libpq URI */
    struct store_epoch *epoch; /* store_epoch.c */
};

/* store_epoch.c: the state of a store's cache epoch, and what store.c tells it. */
cy_status_t store_epoch_init(store_t *s, cy_error_t *err);
void store_epoch_fini(store_t *s);
/* after the COMMIT of a transaction that bumped the epoch: drop copies, maybe settle */
void store_epoch_committed(store_conn_t *c);
/* in store_release, after the connection is back in the pool: wait for settle_until */
void store_epoch_settle(int64_t until);

extern const store_ops_t store_sqlite_ops;
extern const store_ops_t store_pg_ops;

#endif
