/*
 * store_pg.c — the PostgreSQL backend over libpq. Parameters travel as text,
 * except bytes, which travel in binary (bytea, exactly as given); results are
 * read whole (PQexecParams) so a row set never holds a
 * connection-level cursor. A connection that failed at the connection level
 * is reset the next time it leaves the pool. Never depends on app/, http/ or
 * cli/.
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

#define MAX_PARAMS 64

typedef struct {
    const store_ops_t *ops; /* must be first: see store.c */
    PGresult *res;
    int row;
    int nrows;
    unsigned char *blob; /* the last bytea column decoded (PQunescapeBytea), or NULL */
} pg_rows_t;

/* The values of one statement's parameters as libpq takes them. */
typedef struct {
    const char *values[MAX_PARAMS];
    Oid types[MAX_PARAMS];
    int lengths[MAX_PARAMS];
    int formats[MAX_PARAMS]; /* 0 text, 1 binary */
    char bufs[MAX_PARAMS][24];
} pg_params_t;

static cy_status_t
pg_fail(store_conn_t *c, PGresult *res, cy_error_t *err)
{
    PGconn *conn = c->handle;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    char clean[400];
    snprintf(clean, sizeof clean, "%s", msg ? msg : "?");
    size_t n = strlen(clean);
    while (n > 0 && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
        clean[--n] = '\0';
    if (PQstatus(conn) == CONNECTION_BAD)
        c->broken = 1;
    if (state != NULL && strcmp(state, "23505") == 0)
        return cy_error_set(err, CY_ECONFLICT, "duplicate", NULL, "记录重复 / duplicate record: %s",
                            clean);
    if (state != NULL && strcmp(state, "23503") == 0)
        return cy_error_set(err, CY_EINVAL, "reference_missing", NULL,
                            "引用的记录不存在 / referenced record does not exist: %s", clean);
    if (state != NULL && strncmp(state, "23", 2) == 0)
        return cy_error_set(err, CY_EINVAL, "constraint", NULL,
                            "数据不满足约束 / constraint failed: %s", clean);
    return cy_error_set(err, CY_EIO, "db_error", NULL, "数据库错误 / database error: %s [%s]",
                        clean, state ? state : "-");
}

static void
pg_quiet(void *arg, const PGresult *res)
{
    (void)arg; /* NOTICEs (e.g. "relation already exists") are not errors */
    (void)res;
}

static cy_status_t
pg_connect(const char *url, store_conn_t *c, cy_error_t *err)
{
    PGconn *conn = PQconnectdb(url);
    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s", conn ? PQerrorMessage(conn) : "out of memory");
        size_t n = strlen(msg);
        while (n > 0 && msg[n - 1] == '\n')
            msg[--n] = '\0';
        PQfinish(conn);
        return cy_error_set(err, CY_EIO, "db_open", "db",
                            "无法连接 PostgreSQL / cannot connect to PostgreSQL: %s", msg);
    }
    PQsetNoticeReceiver(conn, pg_quiet, NULL);
    c->handle = conn;
    return CY_OK;
}

static void
pg_disconnect(store_conn_t *c)
{
    PQfinish(c->handle);
    c->handle = NULL;
}

static void
pg_heal(store_conn_t *c)
{
    PQreset(c->handle);
}

/*
 * Turn params into libpq's values (ints are written into bufs) and their
 * types: text parameters are declared text, integers int8 and bytes bytea
 * (sent in binary, so every byte value arrives as it is), so a parameter
 * the statement does not use, or uses only in "$n IS NULL", still has a
 * type. A NULL is left untyped, for the server to infer from its column;
 * optional filters therefore write CAST($n AS TEXT) IS NULL.
 */
static cy_status_t
pg_params(const store_param_t *p, int n, pg_params_t *out, cy_error_t *err)
{
    if (n > MAX_PARAMS)
        return cy_error_set(err, CY_EIO, "db_params", NULL, "参数过多 / too many parameters (%d)",
                            n);
    for (int i = 0; i < n; i++) {
        out->lengths[i] = 0;
        out->formats[i] = 0;
        if (p[i].kind == STORE_TEXT) {
            out->values[i] = p[i].text;
            out->types[i] = 25; /* text */
        } else if (p[i].kind == STORE_INT) {
            snprintf(out->bufs[i], 24, "%" PRId64, p[i].i);
            out->values[i] = out->bufs[i];
            out->types[i] = 20; /* int8 */
        } else if (p[i].kind == STORE_BLOB) {
            if (p[i].len > (size_t)INT32_MAX)
                return cy_error_set(err, CY_EIO, "db_params", NULL,
                                    "二进制参数过大 / binary parameter too large (%zu bytes)",
                                    p[i].len);
            out->values[i] = p[i].len ? p[i].text : ""; /* not NULL: an empty value */
            out->lengths[i] = (int)p[i].len;
            out->formats[i] = 1;
            out->types[i] = 17; /* bytea */
        } else {
            out->values[i] = NULL;
            out->types[i] = 0;
        }
    }
    return CY_OK;
}

/*
 * Run sql with params p; *res receives the result to check (NULL when libpq
 * could not even send it: pg_fail reads the connection's error then). A
 * parameter libpq cannot take is refused here, before anything is sent.
 */
static cy_status_t
pg_run(store_conn_t *c, const char *sql, const store_param_t *p, int n, PGresult **res,
       cy_error_t *err)
{
    *res = NULL;
    pg_params_t *pp = malloc(sizeof *pp);
    if (pp == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    cy_status_t st = pg_params(p, n, pp, err);
    if (st == CY_OK)
        *res = PQexecParams(c->handle, sql, n, pp->types, pp->values, pp->lengths, pp->formats, 0);
    free(pp);
    return st;
}

static cy_status_t
pg_exec(store_conn_t *c, const char *sql, const store_param_t *p, int n, int64_t *changes,
        cy_error_t *err)
{
    PGresult *res;
    cy_status_t st = pg_run(c, sql, p, n, &res, err);
    if (st != CY_OK)
        return st;
    ExecStatusType rs = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
        st = pg_fail(c, res, err);
        PQclear(res);
        return st;
    }
    if (changes) {
        const char *t = PQcmdTuples(res);
        *changes = (t && *t) ? strtoll(t, NULL, 10) : 0;
    }
    PQclear(res);
    return CY_OK;
}

static cy_status_t
pg_exec_script(store_conn_t *c, const char *sql, cy_error_t *err)
{
    PGresult *res = PQexec(c->handle, sql);
    ExecStatusType rs = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
        cy_status_t st = pg_fail(c, res, err);
        PQclear(res);
        return st;
    }
    PQclear(res);
    return CY_OK;
}

static const store_ops_t *pg_ops_self(void);

static cy_status_t
pg_query(store_conn_t *c, const char *sql, const store_param_t *p, int n, store_rows_t **out,
         cy_error_t *err)
{
    PGresult *res;
    cy_status_t st = pg_run(c, sql, p, n, &res, err);
    if (st != CY_OK)
        return st;
    if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
        st = pg_fail(c, res, err);
        PQclear(res);
        return st;
    }
    pg_rows_t *r = calloc(1, sizeof *r);
    if (r == NULL) {
        PQclear(res);
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    }
    r->ops = pg_ops_self();
    r->res = res;
    r->row = -1;
    r->nrows = PQntuples(res);
    *out = (store_rows_t *)r;
    return CY_OK;
}

static int
pg_rows_next(store_rows_t *rows, cy_error_t *err)
{
    (void)err;
    pg_rows_t *r = (pg_rows_t *)rows;
    PQfreemem(r->blob);
    r->blob = NULL;
    if (r->row + 1 >= r->nrows)
        return 0;
    r->row++;
    return 1;
}

static int
pg_rows_ncols(const store_rows_t *rows)
{
    return PQnfields(((const pg_rows_t *)rows)->res);
}

static int
pg_rows_isnull(const store_rows_t *rows, int col)
{
    const pg_rows_t *r = (const pg_rows_t *)rows;
    return PQgetisnull(r->res, r->row, col);
}

static const char *
pg_rows_name(const store_rows_t *rows, int col)
{
    return PQfname(((const pg_rows_t *)rows)->res, col);
}

static const char *
pg_rows_text(const store_rows_t *rows, int col)
{
    const pg_rows_t *r = (const pg_rows_t *)rows;
    if (PQgetisnull(r->res, r->row, col))
        return NULL;
    return PQgetvalue(r->res, r->row, col);
}

/* bytea comes back as text ("\\x" and hex digits); decode it into r->blob. */
static const void *
pg_rows_blob(store_rows_t *rows, int col, size_t *len)
{
    pg_rows_t *r = (pg_rows_t *)rows;
    PQfreemem(r->blob);
    r->blob = NULL;
    if (PQgetisnull(r->res, r->row, col))
        return NULL;
    r->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(r->res, r->row, col), len);
    if (r->blob == NULL)
        *len = 0; /* out of memory: reads as absent, and the caller's length check fails */
    return r->blob;
}

static void
pg_rows_free(store_rows_t *rows)
{
    pg_rows_t *r = (pg_rows_t *)rows;
    PQfreemem(r->blob);
    PQclear(r->res);
    free(r);
}

const store_ops_t store_pg_ops = {
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .heal = pg_heal,
    .exec = pg_exec,
    .exec_script = pg_exec_script,
    .query = pg_query,
    .rows_next = pg_rows_next,
    .rows_ncols = pg_rows_ncols,
    .rows_isnull = pg_rows_isnull,
    .rows_text = pg_rows_text,
    .rows_name = pg_rows_name,
    .rows_blob = pg_rows_blob,
    .rows_free = pg_rows_free,
    .begin_sql = "BEGIN",
    .id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .blob_type = "BYTEA",
    /* one migrator at a time when several servers start together */
    .migrate_lock_sql = "SELECT pg_advisory_xact_lock(4242001)",
};

static const store_ops_t *
pg_ops_self(void)
{
    return &store_pg_ops;
}
