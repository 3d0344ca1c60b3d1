/*
 * store_sqlite.c — the SQLite backend: WAL journal, foreign keys on, a busy
 * timeout, and a small per-connection cache of prepared statements (a
 * request's queries are the same few strings every time). Never depends on
 * app/, http/ or cli/.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_impl.h"

#define STMT_CACHE 48

typedef struct {
    char *sql;
    sqlite3_stmt *stmt;
    unsigned long used; /* last use tick, for eviction */
} cached_stmt_t;

typedef struct {
    cached_stmt_t e[STMT_CACHE];
    unsigned long tick;
} stmt_cache_t;

typedef struct {
    const store_ops_t *ops; /* must be first: see store.c */
    sqlite3_stmt *stmt;
    int ncols;
    int done;
} sqlite_rows_t;

static cy_status_t
sqlite_fail(sqlite3 *db, int rc, cy_error_t *err)
{
    int ext = sqlite3_extended_errcode(db);
    const char *msg = sqlite3_errmsg(db);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return cy_error_set(err, CY_ECONFLICT, "duplicate", NULL, "记录重复 / duplicate record: %s",
                            msg);
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
        return cy_error_set(err, CY_EINVAL, "reference_missing", NULL,
                            "引用的记录不存在 / referenced record does not exist: %s", msg);
    if (rc == SQLITE_CONSTRAINT)
        return cy_error_set(err, CY_EINVAL, "constraint", NULL,
                            "数据不满足约束 / constraint failed: %s", msg);
    return cy_error_set(err, CY_EIO, "db_error", NULL, "数据库错误 / database error: %s (%d)", msg,
                        ext);
}

static cy_status_t
sqlite_connect(const char *path, store_conn_t *c, cy_error_t *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(
        path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        cy_error_set(err, CY_EIO, "db_open", "db",
                     "无法打开数据库 %s / cannot open database %s: %s", path, path,
                     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return CY_EIO;
    }
    sqlite3_busy_timeout(db, 10000);
    char *emsg = NULL;
    /* no mmap (PRAGMA mmap_size): it made the statistics' large reads faster, but a blob
       streamed out of the database then mapped its whole file into the server's memory
       (platform.test.mjs: a 50 MiB download grew the server by 50 MiB) */
    rc = sqlite3_exec(db,
                      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
                      NULL, NULL, &emsg);
    if (rc != SQLITE_OK) {
        cy_error_set(err, CY_EIO, "db_open", "db", "数据库初始化失败 / database setup failed: %s",
                     emsg ? emsg : "?");
        sqlite3_free(emsg);
        sqlite3_close(db);
        return CY_EIO;
    }
    c->handle = db;
    c->cache = calloc(1, sizeof(stmt_cache_t));
    if (c->cache == NULL) {
        sqlite3_close(db);
        return cy_error_no_memory(err);
    }
    return CY_OK;
}

static void
sqlite_disconnect(store_conn_t *c)
{
    stmt_cache_t *cache = c->cache;
    if (cache != NULL) {
        for (int i = 0; i < STMT_CACHE; i++) {
            sqlite3_finalize(cache->e[i].stmt);
            free(cache->e[i].sql);
        }
        free(cache);
    }
    sqlite3_close(c->handle);
    c->handle = c->cache = NULL;
}

static void
sqlite_heal(store_conn_t *c)
{
    (void)c; /* an SQLite connection does not break */
}

/* Find or prepare sql; the statement comes back reset with no bindings. */
static cy_status_t
prepare(store_conn_t *c, const char *sql, sqlite3_stmt **out, cy_error_t *err)
{
    stmt_cache_t *cache = c->cache;
    int victim = 0;
    cache->tick++;
    for (int i = 0; i < STMT_CACHE; i++) {
        if (cache->e[i].sql != NULL && strcmp(cache->e[i].sql, sql) == 0) {
            cache->e[i].used = cache->tick;
            sqlite3_reset(cache->e[i].stmt);
            sqlite3_clear_bindings(cache->e[i].stmt);
            *out = cache->e[i].stmt;
            return CY_OK;
        }
        if (cache->e[i].used < cache->e[victim].used)
            victim = i;
    }
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(c->handle, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return sqlite_fail(c->handle, rc, err);
    char *copy = strdup(sql);
    if (copy == NULL) {
        sqlite3_finalize(stmt);
        return cy_error_no_memory(err);
    }
    /* the victim may still be stepping in an open store_rows_t only if the
       caller holds more than STMT_CACHE queries open at once, which no use
       case does */
    sqlite3_finalize(cache->e[victim].stmt);
    free(cache->e[victim].sql);
    cache->e[victim] = (cached_stmt_t){copy, stmt, cache->tick};
    *out = stmt;
    return CY_OK;
}

static cy_status_t
bind_all(store_conn_t *c, sqlite3_stmt *stmt, const store_param_t *p, int n, cy_error_t *err)
{
    for (int i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        int idx = sqlite3_bind_parameter_index(stmt, name);
        if (idx == 0)
            continue; /* the statement does not use this parameter */
        int rc;
        switch (p[i].kind) {
        case STORE_TEXT:
            rc = sqlite3_bind_text(stmt, idx, p[i].text, -1, SQLITE_TRANSIENT);
            break;
        case STORE_INT:
            rc = sqlite3_bind_int64(stmt, idx, p[i].i);
            break;
        case STORE_BLOB: /* an empty value is a zero-length BLOB, not NULL */
            rc = p[i].len == 0
                     ? sqlite3_bind_zeroblob(stmt, idx, 0)
                     : sqlite3_bind_blob64(stmt, idx, p[i].text, p[i].len, SQLITE_TRANSIENT);
            break;
        default:
            rc = sqlite3_bind_null(stmt, idx);
            break;
        }
        if (rc != SQLITE_OK)
            return sqlite_fail(c->handle, rc, err);
    }
    return CY_OK;
}

/* The cached statement for sql with params p bound. */
static cy_status_t
prepare_bound(store_conn_t *c, const char *sql, const store_param_t *p, int n, sqlite3_stmt **out,
              cy_error_t *err)
{
    cy_status_t st = prepare(c, sql, out, err);
    if (st == CY_OK)
        st = bind_all(c, *out, p, n, err);
    return st;
}

static cy_status_t
sqlite_exec(store_conn_t *c, const char *sql, const store_param_t *p, int n, int64_t *changes,
            cy_error_t *err)
{
    sqlite3_stmt *stmt;
    cy_status_t st = prepare_bound(c, sql, p, n, &stmt, err);
    if (st != CY_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE) {
        st = sqlite_fail(c->handle, rc, err);
        sqlite3_reset(stmt);
        return st;
    }
    sqlite3_reset(stmt);
    if (changes)
        *changes = sqlite3_changes64(c->handle);
    return CY_OK;
}

static cy_status_t
sqlite_exec_script(store_conn_t *c, const char *sql, cy_error_t *err)
{
    char *emsg = NULL;
    int rc = sqlite3_exec(c->handle, sql, NULL, NULL, &emsg);
    sqlite3_free(emsg);
    if (rc != SQLITE_OK)
        return sqlite_fail(c->handle, rc, err);
    return CY_OK;
}

static const store_ops_t *sqlite_ops_self(void);

static cy_status_t
sqlite_query(store_conn_t *c, const char *sql, const store_param_t *p, int n, store_rows_t **out,
             cy_error_t *err)
{
    sqlite3_stmt *stmt;
    cy_status_t st = prepare_bound(c, sql, p, n, &stmt, err);
    if (st != CY_OK)
        return st;
    sqlite_rows_t *r = calloc(1, sizeof *r);
    if (r == NULL)
        return cy_error_no_memory(err);
    r->ops = sqlite_ops_self();
    r->stmt = stmt;
    r->ncols = sqlite3_column_count(stmt);
    *out = (store_rows_t *)r;
    return CY_OK;
}

static int
sqlite_rows_next(store_rows_t *rows, cy_error_t *err)
{
    sqlite_rows_t *r = (sqlite_rows_t *)rows;
    if (r->done)
        return 0;
    int rc = sqlite3_step(r->stmt);
    if (rc == SQLITE_ROW)
        return 1;
    r->done = 1;
    if (rc == SQLITE_DONE)
        return 0;
    sqlite_fail(sqlite3_db_handle(r->stmt), rc, err);
    return -1;
}

static int
sqlite_rows_ncols(const store_rows_t *rows)
{
    return ((const sqlite_rows_t *)rows)->ncols;
}

static int
sqlite_rows_isnull(const store_rows_t *rows, int col)
{
    return sqlite3_column_type(((const sqlite_rows_t *)rows)->stmt, col) == SQLITE_NULL;
}

static const char *
sqlite_rows_name(const store_rows_t *rows, int col)
{
    return sqlite3_column_name(((const sqlite_rows_t *)rows)->stmt, col);
}

static const char *
sqlite_rows_text(const store_rows_t *rows, int col)
{
    return (const char *)sqlite3_column_text(((const sqlite_rows_t *)rows)->stmt, col);
}

static const void *
sqlite_rows_blob(store_rows_t *rows, int col, size_t *len)
{
    sqlite3_stmt *stmt = ((sqlite_rows_t *)rows)->stmt;
    if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
        return NULL;
    const void *data = sqlite3_column_blob(stmt, col);
    *len = (size_t)sqlite3_column_bytes(stmt, col);
    return data ? data : ""; /* a zero-length BLOB */
}

static void
sqlite_rows_free(store_rows_t *rows)
{
    sqlite_rows_t *r = (sqlite_rows_t *)rows;
    sqlite3_reset(r->stmt); /* the statement stays cached */
    free(r);
}

const store_ops_t store_sqlite_ops = {
    .connect = sqlite_connect,
    .disconnect = sqlite_disconnect,
    .heal = sqlite_heal,
    .exec = sqlite_exec,
    .exec_script = sqlite_exec_script,
    .query = sqlite_query,
    .rows_next = sqlite_rows_next,
    .rows_ncols = sqlite_rows_ncols,
    .rows_isnull = sqlite_rows_isnull,
    .rows_text = sqlite_rows_text,
    .rows_name = sqlite_rows_name,
    .rows_blob = sqlite_rows_blob,
    .rows_free = sqlite_rows_free,
    .begin_sql = "BEGIN IMMEDIATE",
    .snapshot_sql = "BEGIN DEFERRED",
    .id_type = "INTEGER PRIMARY KEY AUTOINCREMENT",
    .blob_type = "BLOB",
    .migrate_lock_sql = NULL,
};

static const store_ops_t *
sqlite_ops_self(void)
{
    return &store_sqlite_ops;
}

/* ---------- backup and restore (cyberins backup / restore) ---------- */

/* The one-row answer of sql on db into buf ("" when none). */
static int
sqlite_scalar(sqlite3 *db, const char *sql, char *buf, size_t cap)
{
    sqlite3_stmt *st = NULL;
    buf[0] = '\0';
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, cap, "%s", t ? (const char *)t : "");
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Copy the database src into the file path (a new one), then check what was written. */
static cy_status_t
copy_into(sqlite3 *src, const char *path, cy_error_t *err)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        if (b == NULL) {
            rc = sqlite3_errcode(dst);
        } else {
            /* all pages in one step: one read transaction, one consistent snapshot; writers
               on the WAL go on meanwhile, a writer's lock is waited for */
            while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep(50);
            int fin = sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? fin : rc;
        }
    }
    char ok[64] = "", mode[16];
    /* one self-contained file (the copy took the source's WAL mode): servers opening it
       switch back to WAL themselves */
    if (rc == SQLITE_OK)
        rc = sqlite_scalar(dst, "PRAGMA journal_mode=DELETE", mode, sizeof mode);
    if (rc == SQLITE_OK)
        rc = sqlite_scalar(dst, "PRAGMA integrity_check", ok, sizeof ok);
    cy_status_t st = CY_OK;
    if (rc != SQLITE_OK)
        st = cy_error_set(err, CY_EIO, "copy_failed", NULL,
                          "无法复制数据库到 %s / cannot copy the database to %s: %s", path, path,
                          dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
    else if (strcmp(ok, "ok") != 0)
        st = cy_error_set(err, CY_EIO, "copy_corrupt", NULL,
                          "复制的数据库未通过完整性检查 / the copy fails its integrity check: %s",
                          ok);
    sqlite3_close(dst);
    return st;
}

cy_status_t
store_sqlite_copy(const char *from, const char *to, cy_error_t *err)
{
    if (access(to, F_OK) == 0)
        return cy_error_set(err, CY_ECONFLICT, "target_exists", NULL,
                            "%s 已存在，不会覆盖 / %s exists and is not overwritten", to, to);
    sqlite3 *src = NULL;
    int rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
    char has[8] = "";
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(src, 10000);
        rc = sqlite_scalar(src,
                           "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                           "'schema_migrations'",
                           has, sizeof has);
    }
    if (rc != SQLITE_OK || strcmp(has, "1") != 0) {
        cy_error_set(err, CY_EINVAL, "not_a_database", NULL,
                     "%s 不是 cyberins 数据库 / %s is not a cyberins database%s%s", from, from,
                     rc != SQLITE_OK ? ": " : "", rc != SQLITE_OK ? sqlite3_errmsg(src) : "");
        sqlite3_close(src);
        return CY_EINVAL;
    }
    /* written under another name and renamed: `to` is whole or absent */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.partial-%ld", to, (long)getpid());
    cy_status_t st = copy_into(src, tmp, err);
    sqlite3_close(src);
    if (st == CY_OK && rename(tmp, to) != 0)
        st =
            cy_error_set(err, CY_EIO, "copy_failed", NULL, "无法写入 %s / cannot write %s", to, to);
    if (st != CY_OK)
        unlink(tmp);
    return st;
}
