/*
 * store.h — the one storage interface, with two backends: SQLite (the
 * embedded default) and PostgreSQL (libpq, for many users and many servers).
 *
 * SQL given to store_exec/store_query is written once in the SQL both accept,
 * with positional parameters $1, $2, ... (SQLite binds them by name, PostgreSQL
 * natively). Values travel as text, int64 or bytes (a BLOB on SQLite, bytea on
 * PostgreSQL, exactly as given); times are ISO-8601 UTC text.
 *
 * A store is a pool of connections; a thread takes one with store_acquire and
 * gives it back with store_release. store_tx runs a use case in one
 * transaction: all of it commits or none of it does.
 *
 * This layer knows nothing of app/, http/ or cli/.
 */
#ifndef CY_STORE_STORE_H
#define CY_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef enum { STORE_SQLITE, STORE_POSTGRESQL } store_backend_t;

typedef struct store store_t;
typedef struct store_conn store_conn_t;
typedef struct store_rows store_rows_t;

typedef enum { STORE_NULL, STORE_TEXT, STORE_INT, STORE_BLOB } store_kind_t;

typedef struct {
    store_kind_t kind;
    const char *text; /* STORE_TEXT: the string; STORE_BLOB: the bytes */
    int64_t i;
    size_t len; /* STORE_BLOB: how many bytes */
} store_param_t;

/* A text parameter; a NULL pointer binds SQL NULL. */
static inline store_param_t
store_p_text(const char *s)
{
    return (store_param_t){s ? STORE_TEXT : STORE_NULL, s, 0};
}

/* A binary parameter of len bytes (0 is an empty value, not NULL); copied when bound. */
static inline store_param_t
store_p_blob(const void *data, size_t len)
{
    return (store_param_t){STORE_BLOB, (const char *)data, 0, len};
}

#define STORE_P_TEXT(s)    store_p_text(s)
#define STORE_P_BLOB(p, n) store_p_blob((p), (n))
#define STORE_P_INT(v)     ((store_param_t){STORE_INT, NULL, (v)})
#define STORE_P_NULL       ((store_param_t){STORE_NULL, NULL, 0})

/*
 * store_open connects to url: "sqlite:PATH" (the file is created if absent)
 * or "postgresql://..." / "postgres://..." (a libpq URI), with pool_size
 * connections (at least 1). On failure *out is NULL and err says why.
 */
cy_status_t store_open(const char *url, int pool_size, store_t **out, cy_error_t *err);
void store_close(store_t *s);

/*
 * store_sqlite_copy copies the SQLite database file `from` into a new file
 * `to` through SQLite's online backup API: one consistent snapshot, taken
 * while servers go on writing. `from` must be a cyberins database (it has
 * schema_migrations); `to` must not exist. The copy is written under another
 * name, checked (PRAGMA integrity_check) and renamed: `to` is whole or
 * absent. cyberins backup and restore both use it.
 */
cy_status_t store_sqlite_copy(const char *from, const char *to, cy_error_t *err);

store_backend_t store_backend(const store_t *s);
/* "sqlite" or "postgresql" */
const char *store_backend_name(const store_t *s);

/* store_acquire waits for a free connection of the pool. */
cy_status_t store_acquire(store_t *s, store_conn_t **out, cy_error_t *err);
void store_release(store_t *s, store_conn_t *c);

/*
 * store_exec runs one statement that returns no rows; *changes (may be NULL)
 * receives the number of rows changed. A unique-key violation answers
 * CY_ECONFLICT, a foreign-key violation CY_EINVAL, anything else CY_EIO.
 */
cy_status_t store_exec(store_conn_t *c, const char *sql, const store_param_t *params, int n,
                       int64_t *changes, cy_error_t *err);

/*
 * store_exec_later runs, inside a transaction, a statement whose outcome the
 * caller need not know at once (an INSERT that returns nothing): PostgreSQL
 * sends it with the transaction's next statement or its COMMIT, one round
 * trip fewer, and a failure of it is then answered by that statement or
 * that commit — so the transaction rolls back as on any failure. SQLite
 * runs it at once. Outside a transaction it runs at once.
 */
cy_status_t store_exec_later(store_conn_t *c, const char *sql, const store_param_t *params, int n,
                             cy_error_t *err);

/* store_exec_script runs several ;-separated statements without parameters. */
cy_status_t store_exec_script(store_conn_t *c, const char *sql, cy_error_t *err);

/*
 * store_query runs a statement that returns rows. Read them with
 * store_rows_next (1: a row is there, 0: no more, -1: error in err) and the
 * column getters, then store_rows_free. Strings returned by store_rows_text
 * live until the next store_rows_next or store_rows_free.
 */
cy_status_t store_query(store_conn_t *c, const char *sql, const store_param_t *params, int n,
                        store_rows_t **out, cy_error_t *err);
int store_rows_next(store_rows_t *r, cy_error_t *err);
int store_rows_ncols(const store_rows_t *r);
int store_rows_isnull(const store_rows_t *r, int col);
const char *store_rows_text(const store_rows_t *r, int col); /* NULL when SQL NULL */
int64_t store_rows_int(const store_rows_t *r, int col);      /* 0 when SQL NULL */
/* store_rows_copy copies column col into dst (cap bytes), "" when SQL NULL. */
void store_rows_copy(const store_rows_t *r, int col, char *dst, size_t cap);

/*
 * Columns by name: the name is the result column's own (a SELECT's column
 * or its AS), so a reader never depends on the order of a SELECT list.
 * store_rows_col answers the index of the column called name, or -1.
 * store_row_text / _int / _isnull / _copy read the current row's column
 * called name like their positional twins; a name the result does not have
 * is a programming error: it is reported on stderr and the process aborts
 * (every query is exercised by the tests).
 */
int store_rows_col(const store_rows_t *r, const char *name);
const char *store_row_text(const store_rows_t *r, const char *name); /* NULL when SQL NULL */
int64_t store_row_int(const store_rows_t *r, const char *name);      /* 0 when SQL NULL */
int store_row_isnull(const store_rows_t *r, const char *name);
void store_row_copy(const store_rows_t *r, const char *name, char *dst, size_t cap);
/*
 * store_row_blob reads a binary column (a BLOB, bytea) of the current row:
 * its bytes and, in *len, how many; NULL with *len 0 when SQL NULL. The bytes
 * live until the next store_row_blob, store_rows_next or store_rows_free.
 */
const void *store_row_blob(store_rows_t *r, const char *name, size_t *len);
void store_rows_free(store_rows_t *r);

/*
 * store_query_int runs a query whose first row's first column is an integer;
 * *found says whether there was a row (may be NULL: then no row is CY_ENOTFOUND).
 */
cy_status_t store_query_int(store_conn_t *c, const char *sql, const store_param_t *params, int n,
                            int64_t *out, int *found, cy_error_t *err);

/*
 * store_query_row runs a query that answers one row or none, and stands on
 * its first row: *out is the rows (read with store_row_*, then
 * store_rows_free), or NULL when there is no row or on an error (nothing to
 * free then). CY_OK with *out NULL is "not found".
 */
cy_status_t store_query_row(store_conn_t *c, const char *sql, const store_param_t *params, int n,
                            store_rows_t **out, cy_error_t *err);

/*
 * Column maps: the plain fields of a struct and the columns they are read
 * from, stated once per struct and read by one function. An integer field
 * (int or int64_t) takes the column's integer (0 when SQL NULL), a char
 * array its text (cut to the array, "" when SQL NULL); any other field type
 * does not compile. STORE_COL names the column after the field,
 * STORE_COL_AS names it. Fields that need more (a NULL that means -1, an
 * enum parsed from text) are read by the caller after store_row_read.
 *
 *     static const store_col_t NOTE_COLS[] = {
 *         STORE_COL(note_t, id), STORE_COL(note_t, text),
 *         STORE_COL_AS(note_t, at, "created_at")};
 *     store_row_read(r, NOTE_COLS, STORE_COLS_N(NOTE_COLS), &note);
 */
typedef enum { STORE_COL_INT, STORE_COL_TEXT } store_col_kind_t;

typedef struct {
    const char *name;      /* the result column */
    store_col_kind_t kind; /* chosen by the field's type */
    size_t offset;         /* of the field in its struct */
    size_t size;           /* of the field: int or int64_t; the text's capacity */
} store_col_t;

#define STORE_COL_KIND_(x)                                                                         \
    _Generic((x), int : STORE_COL_INT, int64_t : STORE_COL_INT, char * : STORE_COL_TEXT)
#define STORE_COL_AS(type, field, col)                                                             \
    {                                                                                              \
        (col), STORE_COL_KIND_(((type *)0)->field), offsetof(type, field),                         \
            sizeof(((type *)0)->field)                                                             \
    }
#define STORE_COL(type, field) STORE_COL_AS(type, field, #field)
#define STORE_COLS_N(map)      (sizeof(map) / sizeof *(map))

/* store_row_read reads the current row's columns of map[0..n) into the struct at out. */
void store_row_read(const store_rows_t *r, const store_col_t *map, size_t n, void *out);

/* store_col_param is the parameter of the field col of the struct at obj: its integer or its text.
 */
store_param_t store_col_param(const store_col_t *col, const void *obj);

/*
 * store_insert_id runs an INSERT … RETURNING id and puts the new row's id in
 * *id (CY_EIO insert_no_id when it returns none).
 */
cy_status_t store_insert_id(store_conn_t *c, const char *sql, const store_param_t *params, int n,
                            int64_t *id, cy_error_t *err);

/*
 * store_snapshot_begin starts a read-only transaction whose reads all see the
 * database as of one moment (SQLite: a deferred read; PostgreSQL: REPEATABLE
 * READ), ended by store_rollback.
 */
cy_status_t store_snapshot_begin(store_conn_t *c, cy_error_t *err);

/*
 * store_query_texts runs a query and copies the text column called col of
 * each row, at most max of them, into out: row i at out + i * width (cut to
 * width − 1 bytes, "" for NULL); *count receives how many. For the small
 * lists a record owns (a webhook's kinds, an engagement's scopes).
 */
cy_status_t store_query_texts(store_conn_t *c, const char *sql, const store_param_t *params, int n,
                              const char *col, char *out, size_t width, size_t max, size_t *count,
                              cy_error_t *err);

/* Transactions. store_begin starts a write transaction (SQLite: IMMEDIATE). */
cy_status_t store_begin(store_conn_t *c, cy_error_t *err);
cy_status_t store_commit(store_conn_t *c, cy_error_t *err);
void store_rollback(store_conn_t *c);

/*
 * A use case's transaction, written straight in its body:
 *
 *     store_conn_t *c;
 *     cy_status_t st = store_tx_open(app->store, &c, err);
 *     if (st != CY_OK)
 *         return st;
 *     st = step_one(c, ..., err);
 *     if (st == CY_OK)
 *         st = step_two(c, ..., err);
 *     return store_tx_close(app->store, c, st, err);
 *
 * store_tx_open takes a connection from the pool and begins a write
 * transaction (on failure nothing is held). store_tx_close commits when st
 * is CY_OK (answering the commit's status) or rolls back and answers st
 * unchanged (err untouched), and gives the connection back either way.
 */
cy_status_t store_tx_open(store_t *s, store_conn_t **c, cy_error_t *err);
cy_status_t store_tx_close(store_t *s, store_conn_t *c, cy_status_t st, cy_error_t *err);

/*
 * store_tx takes a connection, begins, calls fn, and commits when fn returns
 * CY_OK or rolls back otherwise; the connection goes back to the pool either
 * way. fn's error is passed through unchanged.
 */
typedef cy_status_t (*store_tx_fn)(store_conn_t *c, void *arg, cy_error_t *err);
cy_status_t store_tx(store_t *s, store_tx_fn fn, void *arg, cy_error_t *err);

/*
 * The cache epoch. Processes sharing one database (servers, and the command
 * line) may keep in memory copies of rows that rarely change — who a session
 * or an API token is, a product — and must stop using them at once when any
 * process changes such a row. So every change to a cached row calls
 * store_epoch_bump inside its transaction; it increments the one row of the
 * table cache_epoch (once per transaction). When that transaction commits:
 *  - this process's copies are dropped: store_epoch_read answers a new
 *    generation from then on;
 *  - and where other processes may hold copies, the connection's release
 *    (store_tx_close, or store_release after store_commit) returns only
 *    STORE_EPOCH_LEASE_MS after the commit. By then each of them has read
 *    the new epoch or stopped trusting what it holds (below). On PostgreSQL
 *    it always waits: servers may run on other hosts. On SQLite it waits
 *    only while another process watches the same file (each watcher holds a
 *    read lock on the file PATH-epoch; locks end with their process).
 *
 * store_epoch_watch starts this process's watcher: a thread with its own
 * connection that reads cache_epoch every STORE_EPOCH_POLL_MS. Copies may be
 * used while the last read that succeeded was *sent* less than
 * STORE_EPOCH_LEASE_MS ago: a change committed after that read was sent
 * makes its committer wait out the lease. store_epoch_read answers 1 and
 * the current generation when copies may be used now, else 0 (no watcher,
 * or its reads fail or are late): then read the database. A copy is good
 * while the generation it was read under (taken before reading the rows) is
 * still the current one. The watcher stops with store_close.
 */
#define STORE_EPOCH_POLL_MS  10
#define STORE_EPOCH_LEASE_MS 50

cy_status_t store_epoch_bump(store_conn_t *c, cy_error_t *err);
cy_status_t store_epoch_watch(store_t *s, cy_error_t *err);
int store_epoch_read(store_t *s, uint64_t *gen);

/* The backend of a connection's store. */
store_backend_t store_conn_backend(const store_conn_t *c);

/* store_ping checks that the database answers (SELECT 1). */
cy_status_t store_ping(store_t *s, cy_error_t *err);

/*
 * store_migrate applies, in order and each in its own transaction, the
 * embedded migrations not yet recorded in schema_migrations. In their SQL,
 * @ID@ becomes the backend's auto-increment primary key and @BLOB@ its
 * binary column type (BLOB, BYTEA). *applied (may be
 * NULL) receives how many it applied, each recorded as applied at now (UTC
 * seconds). Safe when several servers start at once.
 */
cy_status_t store_migrate(store_t *s, int64_t now, int *applied, cy_error_t *err);

/* store_schema_version names the newest applied migration into buf ("" if none). */
cy_status_t store_schema_version(store_t *s, char *buf, size_t cap, cy_error_t *err);

#endif
