/*
 * store_pg.c — the PostgreSQL backend over libpq. Parameters travel as text,
 * except bytes, which travel in binary (bytea, exactly as given); results are
 * read whole so a row set never holds a connection-level cursor. Each connection prepares a
 * statement the first time it runs it (PQprepare, with the parameters' types of that call) and
 * executes the prepared one from then on (PQexecPrepared): a request's statements are the same few
 * strings every time, and parsing and planning them was most of the server's work. Round trips are
 * saved too, with libpq's pipeline mode: a transaction's BEGIN is sent with its first statement,
 * and a statement given to store_exec_later with the next statement or the COMMIT. A connection
 * that failed at the connection level is reset the next time it leaves the pool, and forgets its
 * statements. Never depends on app/, http/ or cli/.
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

#define MAX_PARAMS 64
#define PG_STMTS   256

/* A statement prepared on one connection: its SQL and parameter types, and its name there. */
typedef struct {
    char *sql;
    uint64_t hash; /* of the SQL and the types */
    Oid types[MAX_PARAMS];
    int n;
    unsigned long used; /* last use tick, for eviction */
    char name[16];
} pg_stmt_t;

/* A command to send: a prepared statement by name, else sql with its parameters. */
typedef struct {
    const char *name, *sql;
    int n;
    const Oid *types;
    const char *const *values;
    const int *lengths, *formats;
} pg_cmd_t;

/* A statement of store_exec_later, kept (with copies of its values) until it is sent. */
typedef struct {
    char *name, *sql; /* name when prepared, else sql */
    int n;
    Oid types[MAX_PARAMS];
    char *values[MAX_PARAMS];
    int lengths[MAX_PARAMS], formats[MAX_PARAMS];
} pg_later_t;

#define PG_LATER 8

/* What a connection keeps: its prepared statements, and what it has yet to send. */
typedef struct {
    pg_stmt_t e[PG_STMTS];
    unsigned long tick;
    unsigned serial;   /* names s1, s2, … never reused on the connection */
    int begin_pending; /* BEGIN goes with the next statement */
    pg_later_t later[PG_LATER];
    int n_later;
} pg_cache_t;

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
    c->cache = calloc(1, sizeof(pg_cache_t));
    if (c->cache == NULL) {
        PQfinish(conn);
        return cy_error_no_memory(err);
    }
    c->handle = conn;
    return CY_OK;
}

/* Forgets what has not been sent. */
static void
later_drop(pg_cache_t *cache)
{
    for (int i = 0; i < cache->n_later; i++) {
        pg_later_t *l = &cache->later[i];
        free(l->name);
        free(l->sql);
        for (int k = 0; k < l->n; k++)
            free(l->values[k]);
    }
    cache->n_later = 0;
    cache->begin_pending = 0;
}

/* Forgets every prepared statement (the server's are gone or going with them). */
static void
cache_clear(pg_cache_t *cache)
{
    for (int i = 0; i < PG_STMTS; i++) {
        free(cache->e[i].sql);
        cache->e[i].sql = NULL;
    }
    later_drop(cache);
}

static void
pg_disconnect(store_conn_t *c)
{
    if (c->cache != NULL) {
        cache_clear(c->cache);
        free(c->cache);
        c->cache = NULL;
    }
    PQfinish(c->handle);
    c->handle = NULL;
}

static void
pg_heal(store_conn_t *c)
{
    cache_clear(c->cache); /* a new session has none of them */
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

static uint64_t
stmt_hash(const char *sql, const Oid *types, int n)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *q = (const unsigned char *)sql; *q; q++)
        h = (h ^ *q) * 1099511628211ULL;
    for (int i = 0; i < n; i++)
        h = (h ^ (uint64_t)types[i]) * 1099511628211ULL;
    return h;
}

static int pending(const store_conn_t *c);
static PGresult *pipeline(store_conn_t *c, const pg_cmd_t *last);

/*
 * The name of sql prepared with these types on c, preparing it if it is
 * new; NULL when it cannot be kept (no slot can be freed: the transaction
 * has failed) or preparing failed (then *res holds the failure).
 */
static const char *
prepared(store_conn_t *c, const char *sql, const Oid *types, int n, PGresult **res)
{
    pg_cache_t *cache = c->cache;
    uint64_t h = stmt_hash(sql, types, n);
    int victim = 0;
    cache->tick++;
    for (int i = 0; i < PG_STMTS; i++) {
        pg_stmt_t *e = &cache->e[i];
        if (e->sql != NULL && e->hash == h && e->n == n &&
            memcmp(e->types, types, (size_t)n * sizeof *types) == 0 && strcmp(e->sql, sql) == 0) {
            e->used = cache->tick;
            return e->name;
        }
        if (e->sql == NULL || (cache->e[victim].sql != NULL && e->used < cache->e[victim].used))
            victim = i;
    }
    pg_stmt_t *v = &cache->e[victim];
    if (v->sql != NULL) {
        /* DEALLOCATE is refused in a failed transaction: then run sql unprepared */
        if (PQtransactionStatus(c->handle) == PQTRANS_INERROR)
            return NULL;
        /* a statement kept for later may name the victim: it goes first */
        if (pending(c) && ((*res = pipeline(c, NULL)) != NULL || c->broken))
            return NULL;
        char drop[32];
        snprintf(drop, sizeof drop, "DEALLOCATE %s", v->name);
        PQclear(PQexec(c->handle, drop));
        free(v->sql);
        v->sql = NULL;
    }
    char name[16];
    snprintf(name, sizeof name, "s%u", ++cache->serial);
    PGresult *r = PQprepare(c->handle, name, sql, n, types);
    if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
        *res = r;
        return NULL;
    }
    PQclear(r);
    if ((v->sql = strdup(sql)) == NULL)
        return NULL; /* prepared, but not kept: harmless */
    v->hash = h;
    v->n = n;
    memcpy(v->types, types, (size_t)n * sizeof *types);
    v->used = cache->tick;
    snprintf(v->name, sizeof v->name, "%s", name);
    return v->name;
}

static int
send_cmd(PGconn *conn, const pg_cmd_t *m)
{
    if (m->name != NULL)
        return PQsendQueryPrepared(conn, m->name, m->n, m->values, m->lengths, m->formats, 0);
    return PQsendQueryParams(conn, m->sql, m->n, m->types, m->values, m->lengths, m->formats, 0);
}

/*
 * One round trip (pipeline mode): the pending BEGIN, the statements kept
 * for later, then last (NULL: none). Answers the first failure among them,
 * else last's result (NULL when there is no last, or the connection broke).
 */
static PGresult *
pipeline(store_conn_t *c, const pg_cmd_t *last)
{
    pg_cache_t *st = c->cache;
    PGconn *conn = c->handle;
    int sent = 0, ok = PQenterPipelineMode(conn);
    if (ok && st->begin_pending)
        ok = PQsendQueryParams(conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0), sent += ok;
    for (int i = 0; ok && i < st->n_later; i++) {
        pg_later_t *l = &st->later[i];
        pg_cmd_t m = {l->name,    l->sql,    l->n, l->types, (const char *const *)l->values,
                      l->lengths, l->formats};
        ok = send_cmd(conn, &m), sent += ok;
    }
    if (ok && last != NULL)
        ok = send_cmd(conn, last), sent += ok;
    ok = ok && PQpipelineSync(conn);
    later_drop(st);
    if (!ok) { /* the connection failed: what was sent is lost with it */
        c->broken = 1;
        return NULL;
    }
    PGresult *failure = NULL, *answer = NULL, *r;
    for (int i = 0; i < sent; i++) {
        if ((r = PQgetResult(conn)) == NULL)
            break;
        ExecStatusType rs = PQresultStatus(r);
        PGresult *x;
        while ((x = PQgetResult(conn)) != NULL) /* the end of this command's results */
            PQclear(x);
        if (last != NULL && i == sent - 1)
            answer = r;
        else if (failure == NULL && rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK)
            failure = r;
        else
            PQclear(r);
    }
    while ((r = PQgetResult(conn)) != NULL) { /* up to the sync */
        int sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
        if (sync)
            break;
    }
    if (!PQexitPipelineMode(conn))
        c->broken = 1;
    if (failure != NULL) {
        PQclear(answer);
        return failure;
    }
    return answer;
}

static int
pending(const store_conn_t *c)
{
    const pg_cache_t *st = c->cache;
    return st->begin_pending || st->n_later > 0;
}

/* A statement's values as libpq takes them, and the command that sends it. */
typedef struct {
    pg_params_t v;
    pg_cmd_t m;
} pg_args_t;

/*
 * sql with p as a command in a, prepared (NULL name: unprepared), and
 * *failed the failure to prepare it; a parameter libpq cannot take is
 * refused here, before anything is sent.
 */
static cy_status_t
command(store_conn_t *c, const char *sql, const store_param_t *p, int n, pg_args_t *a,
        PGresult **failed, cy_error_t *err)
{
    *failed = NULL;
    cy_status_t st = pg_params(p, n, &a->v, err);
    if (st != CY_OK)
        return st;
    const pg_params_t *v = &a->v;
    a->m = (pg_cmd_t){
        prepared(c, sql, v->types, n, failed), sql, n, v->types, v->values, v->lengths, v->formats};
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
    pg_args_t *a = malloc(sizeof *a);
    if (a == NULL)
        return cy_error_no_memory(err);
    PGresult *failed;
    cy_status_t st = command(c, sql, p, n, a, &failed, err);
    if (st != CY_OK || failed != NULL)
        *res = failed;
    else if (pending(c))
        *res = pipeline(c, &a->m);
    else if (a->m.name == NULL)
        *res =
            PQexecParams(c->handle, sql, n, a->v.types, a->v.values, a->v.lengths, a->v.formats, 0);
    else
        *res = PQexecPrepared(c->handle, a->m.name, n, a->v.values, a->v.lengths, a->v.formats, 0);
    free(a);
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

/* A result that is not a success, as the error of c. */
static cy_status_t
result_status(store_conn_t *c, PGresult *res, cy_error_t *err)
{
    ExecStatusType rs = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    cy_status_t st = rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK ? CY_OK : pg_fail(c, res, err);
    PQclear(res);
    return st;
}

/*
 * store.c begins, commits and rolls back through here: BEGIN is kept to go
 * with the next statement; COMMIT goes with what is kept for later; when
 * nothing was sent since BEGIN, COMMIT and ROLLBACK have nothing to end.
 */
static cy_status_t
pg_exec_script(store_conn_t *c, const char *sql, cy_error_t *err)
{
    pg_cache_t *st = c->cache;
    int begin = strcmp(sql, "BEGIN") == 0, commit = strcmp(sql, "COMMIT") == 0,
        rollback = strcmp(sql, "ROLLBACK") == 0;
    if (begin && !pending(c) && PQtransactionStatus(c->handle) == PQTRANS_IDLE) {
        st->begin_pending = 1;
        return CY_OK;
    }
    if ((commit || rollback) && st->begin_pending) { /* the transaction never started */
        int nothing = st->n_later == 0 || rollback;
        if (nothing) {
            later_drop(st);
            return CY_OK;
        }
    }
    if (rollback)
        later_drop(st);
    if (commit && pending(c)) {
        pg_cmd_t m = {NULL, "COMMIT", 0, NULL, NULL};
        return result_status(c, pipeline(c, &m), err);
    }
    if (pending(c)) { /* a script: what is kept goes first */
        PGresult *r = pipeline(c, NULL);
        if (r != NULL || c->broken)
            return result_status(c, r, err);
    }
    return result_status(c, PQexec(c->handle, sql), err);
}

/* Keeps a copy of the command in a (values by their lengths: bytes may hold NULs). */
static cy_status_t
later_keep(pg_cache_t *st, const char *sql, const pg_args_t *a, cy_error_t *err)
{
    pg_later_t *l = &st->later[st->n_later++];
    memset(l, 0, sizeof *l);
    const pg_params_t *v = &a->v;
    int ok = (a->m.name ? (l->name = strdup(a->m.name)) : (l->sql = strdup(sql))) != NULL;
    for (int i = 0; ok && i < a->m.n; i++, l->n = i) {
        const char *x = v->values[i];
        size_t len = v->formats[i] ? (size_t)v->lengths[i] : x ? strlen(x) + 1 : 0;
        if (x != NULL && (l->values[i] = malloc(len ? len : 1)) == NULL)
            ok = 0;
        else if (x != NULL)
            memcpy(l->values[i], x, len);
    }
    memcpy(l->types, v->types, (size_t)a->m.n * sizeof *v->types);
    memcpy(l->lengths, v->lengths, (size_t)a->m.n * sizeof *v->lengths);
    memcpy(l->formats, v->formats, (size_t)a->m.n * sizeof *v->formats);
    if (!ok) {
        later_drop(st);
        return cy_error_no_memory(err);
    }
    return CY_OK;
}

/*
 * Keeps sql to be sent with the next statement or the COMMIT (one round
 * trip fewer); outside a transaction, or when too many are kept, it runs.
 */
static cy_status_t
pg_exec_later(store_conn_t *c, const char *sql, const store_param_t *p, int n, cy_error_t *err)
{
    pg_cache_t *st = c->cache;
    if (n > MAX_PARAMS || st->n_later == PG_LATER ||
        (!st->begin_pending && PQtransactionStatus(c->handle) != PQTRANS_INTRANS))
        return pg_exec(c, sql, p, n, NULL, err);
    pg_args_t *a = malloc(sizeof *a);
    if (a == NULL)
        return cy_error_no_memory(err);
    PGresult *failed;
    cy_status_t s = command(c, sql, p, n, a, &failed, err);
    if (s == CY_OK && failed != NULL)
        s = result_status(c, failed, err);
    if (s == CY_OK)
        s = later_keep(st, sql, a, err);
    free(a);
    return s;
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
        return cy_error_no_memory(err);
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
    .exec_later = pg_exec_later,
    .exec_script = pg_exec_script,
    .query = pg_query,
    .rows_next = pg_rows_next,
    .rows_ncols = pg_rows_ncols,
    .rows_isnull = pg_rows_isnull,
    .rows_text = pg_rows_text,
    .rows_name = pg_rows_name,
    .rows_free = pg_rows_free,
    .rows_blob = pg_rows_blob,
    .begin_sql = "BEGIN",
    .blob_type = "BYTEA",
    .snapshot_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    .id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    /* one migrator at a time when several servers start together */
    .migrate_lock_sql = "SELECT pg_advisory_xact_lock(4242001)",
};

static const store_ops_t *
pg_ops_self(void)
{
    return &store_pg_ops;
}
