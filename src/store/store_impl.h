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
    struct store_epoch *epoch; /* made at store_open, ended at store_close */
};

/*
 * The state of a store's cache epoch: store.c makes it and keeps the
 * generation as transactions commit; store_epoch.c's watcher reads the
 * table into it and grants the lease (fresh_until).
 */
struct store_epoch {
    pthread_mutex_t mu;
    pthread_cond_t cv;   /* wakes the watcher to stop */
    uint64_t gen;        /* the generation of copies: any change drops them all */
    int64_t seen;        /* cache_epoch.n at the watcher's last read (-1: none yet) */
    int64_t fresh_until; /* CLOCK_MONOTONIC ns: copies are trusted until then */
    int watching, stop;
    pthread_t thread;
    store_conn_t conn; /* the watcher's own connection, outside the pool */
    char *lock_path;   /* SQLite: PATH-epoch */
};
typedef struct store_epoch store_epoch_t;

#define STORE_NS_PER_MS 1000000LL

/* CLOCK_MONOTONIC in ns (store.c). */
int64_t store_mono_ns(void);
/*
 * store_watched_hold read-locks path (a SQLite file's PATH-epoch) for this
 * process, once per file: 0 or an errno; store_watched_drop ends one hold
 * (store.c, where a commit asks who else watches).
 */
int store_watched_hold(const char *path);
void store_watched_drop(const char *path);

extern const store_ops_t store_sqlite_ops;
extern const store_ops_t store_pg_ops;

#endif
