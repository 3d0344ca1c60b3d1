/*
 * store.c — the backend-neutral part of the store: URL parsing, the
 * connection pool, transactions (with what a commit does for the cache
 * epoch) and migrations. Never depends on app/, http/ or cli/; the
 * epoch's watcher (store_epoch.c) depends on this file, not the other way.
 */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/bjtime.h"

#include "store/embedded.h"
#include "store/store_impl.h"

/* ---------- the cache epoch's state ---------- */

/*
 * What the pool and its transactions do for the cache epoch (store.h): a
 * store's generation of copies, dropped at the COMMIT of a transaction that
 * bumped the epoch, and the lease its committer then waits out where
 * another may hold copies. The watcher that grants the lease, and the bump,
 * are store_epoch.c's, which builds on this file (never the other way).
 */

int64_t
store_mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/*
 * Each watching store of this process, by the lock file it holds. POSIX
 * locks belong to the process and vanish when *any* descriptor of the file
 * is closed, so the process keeps one descriptor per file, and the count of
 * its stores watching it, here.
 */
typedef struct watched {
    char *path;
    int fd, count;
    struct watched *next;
} watched_t;

static pthread_mutex_t watched_mu = PTHREAD_MUTEX_INITIALIZER;
static watched_t *watched_files;

static watched_t *
watched_find(const char *path)
{
    for (watched_t *w = watched_files; w; w = w->next)
        if (strcmp(w->path, path) == 0)
            return w;
    return NULL;
}

int
store_watched_hold(const char *path)
{
    pthread_mutex_lock(&watched_mu);
    watched_t *w = watched_find(path);
    int rc = 0;
    if (w == NULL) {
        w = calloc(1, sizeof *w);
        int fd = w ? open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600) : -1;
        struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
        if (fd < 0 || fcntl(fd, F_SETLK, &fl) != 0 || (w->path = strdup(path)) == NULL) {
            rc = errno ? errno : ENOMEM;
            if (fd >= 0)
                close(fd);
            free(w);
            pthread_mutex_unlock(&watched_mu);
            return rc;
        }
        w->fd = fd;
        w->next = watched_files;
        watched_files = w;
    }
    w->count++;
    pthread_mutex_unlock(&watched_mu);
    return rc;
}

void
store_watched_drop(const char *path)
{
    pthread_mutex_lock(&watched_mu);
    for (watched_t **p = &watched_files; *p; p = &(*p)->next) {
        watched_t *w = *p;
        if (strcmp(w->path, path) != 0)
            continue;
        if (--w->count == 0) {
            *p = w->next;
            close(w->fd); /* the lock goes with it */
            free(w->path);
            free(w);
        }
        break;
    }
    pthread_mutex_unlock(&watched_mu);
}

/*
 * 1 when a store other than one of mine (mine: 1 if the caller's store
 * watches) watches path: another store of this process, or another process
 * (its read lock keeps ours from being written). When it cannot tell, 1.
 */
static int
watched_by_others(const char *path, int mine)
{
    pthread_mutex_lock(&watched_mu);
    watched_t *w = watched_find(path);
    int others = w != NULL && w->count > mine;
    if (!others) {
        /* no descriptor of ours on it: opening and closing one drops no lock of ours */
        int fd = w ? w->fd : open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            others = errno != ENOENT; /* no file: no process ever watched it */
        } else {
            struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
            others = fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type != F_UNLCK;
            if (w == NULL)
                close(fd);
        }
    }
    pthread_mutex_unlock(&watched_mu);
    return others;
}

static cy_status_t
epoch_init(store_t *s, cy_error_t *err)
{
    store_epoch_t *e = calloc(1, sizeof *e);
    if (e == NULL)
        return cy_error_no_memory(err);
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
    e->seen = -1;
    if (s->backend == STORE_SQLITE) {
        size_t n = strlen(s->target) + sizeof "-epoch";
        e->lock_path = malloc(n);
        if (e->lock_path == NULL) {
            free(e);
            return cy_error_no_memory(err);
        }
        snprintf(e->lock_path, n, "%s-epoch", s->target);
    }
    s->epoch = e;
    return CY_OK;
}

static void
epoch_fini(store_t *s)
{
    store_epoch_t *e = s->epoch;
    if (e == NULL)
        return;
    if (e->watching) {
        pthread_mutex_lock(&e->mu);
        e->stop = 1;
        pthread_cond_signal(&e->cv);
        pthread_mutex_unlock(&e->mu);
        pthread_join(e->thread, NULL);
        s->ops->disconnect(&e->conn);
        if (e->lock_path)
            store_watched_drop(e->lock_path);
    }
    pthread_mutex_destroy(&e->mu);
    pthread_cond_destroy(&e->cv);
    free(e->lock_path);
    free(e);
    s->epoch = NULL;
}

/* After the COMMIT of a transaction that bumped the epoch: drop copies, maybe settle. */
static void
epoch_committed(store_conn_t *c)
{
    store_t *s = c->owner;
    store_epoch_t *e = s->epoch;
    pthread_mutex_lock(&e->mu);
    e->gen++; /* this process's copies go at once */
    int watching = e->watching;
    pthread_mutex_unlock(&e->mu);
    int others = s->backend == STORE_POSTGRESQL || watched_by_others(e->lock_path, watching);
    if (others)
        c->settle_until = store_mono_ns() + STORE_EPOCH_LEASE_MS * STORE_NS_PER_MS;
}

/* In store_release, after the connection is back in the pool: wait for settle_until. */
static void
epoch_settle(int64_t until)
{
    struct timespec t = {.tv_sec = until / 1000000000LL, .tv_nsec = until % 1000000000LL};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
        ;
}

/* ---------- the store ---------- */

cy_status_t
store_open(const char *url, int pool_size, store_t **out, cy_error_t *err)
{
    *out = NULL;
    if (url == NULL || url[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "db_url", "db",
                            "数据库地址为空 / database URL is empty");
    if (pool_size < 1)
        pool_size = 1;

    const store_ops_t *ops;
    const char *target;
    store_backend_t backend;
    if (strncmp(url, "sqlite:", 7) == 0) {
        ops = &store_sqlite_ops;
        target = url + 7;
        backend = STORE_SQLITE;
        if (target[0] == '\0')
            return cy_error_set(err, CY_EINVAL, "db_url", "db",
                                "SQLite 文件路径为空 / SQLite path is empty in '%s'", url);
    } else if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        ops = &store_pg_ops;
        target = url;
        backend = STORE_POSTGRESQL;
    } else {
        return cy_error_set(err, CY_EINVAL, "db_url", "db",
                            "不支持的数据库地址（应为 sqlite:PATH 或 postgresql://...） / "
                            "unsupported database URL (expected sqlite:PATH or postgresql://...)");
    }

    store_t *s = calloc(1, sizeof *s);
    if (s == NULL)
        return cy_error_no_memory(err);
    s->conns = calloc((size_t)pool_size, sizeof *s->conns);
    if (s->conns == NULL) {
        free(s);
        return cy_error_no_memory(err);
    }
    s->backend = backend;
    s->ops = ops;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->target = strdup(target);
    cy_status_t est = s->target ? epoch_init(s, err) : cy_error_no_memory(err);
    if (est != CY_OK) {
        store_close(s);
        return est;
    }
    for (int i = 0; i < pool_size; i++) {
        s->conns[i].owner = s;
        cy_status_t st = ops->connect(target, &s->conns[i], err);
        if (st != CY_OK) {
            s->n = i;
            store_close(s);
            return st;
        }
        s->n = i + 1;
    }
    *out = s;
    return CY_OK;
}

void
store_close(store_t *s)
{
    if (s == NULL)
        return;
    epoch_fini(s); /* first: its watcher uses the store */
    for (int i = 0; i < s->n; i++)
        s->ops->disconnect(&s->conns[i]);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->conns);
    free(s->target);
    free(s);
}

store_backend_t
store_backend(const store_t *s)
{
    return s->backend;
}

store_backend_t
store_conn_backend(const store_conn_t *c)
{
    return c->owner->backend;
}

const char *
store_backend_name(const store_t *s)
{
    return s->backend == STORE_SQLITE ? "sqlite" : "postgresql";
}

cy_status_t
store_acquire(store_t *s, store_conn_t **out, cy_error_t *err)
{
    (void)err;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        for (int i = 0; i < s->n; i++) {
            if (!s->conns[i].in_use) {
                s->conns[i].in_use = 1;
                pthread_mutex_unlock(&s->mu);
                if (s->conns[i].broken) {
                    s->ops->heal(&s->conns[i]);
                    s->conns[i].broken = 0;
                }
                *out = &s->conns[i];
                return CY_OK;
            }
        }
        pthread_cond_wait(&s->cv, &s->mu);
    }
}

void
store_release(store_t *s, store_conn_t *c)
{
    if (c == NULL)
        return;
    if (c->epoch_bumped) { /* bumped outside a transaction: committed already */
        c->epoch_bumped = 0;
        epoch_committed(c);
    }
    int64_t settle = c->settle_until;
    c->settle_until = 0;
    pthread_mutex_lock(&s->mu);
    c->in_use = 0;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (settle > 0) /* a committed change to cached rows: see store_epoch_bump */
        epoch_settle(settle);
}

cy_status_t
store_exec(store_conn_t *c, const char *sql, const store_param_t *params, int n, int64_t *changes,
           cy_error_t *err)
{
    return c->owner->ops->exec(c, sql, params, n, changes, err);
}

cy_status_t
store_exec_later(store_conn_t *c, const char *sql, const store_param_t *params, int n,
                 cy_error_t *err)
{
    const store_ops_t *ops = c->owner->ops;
    if (ops->exec_later == NULL)
        return ops->exec(c, sql, params, n, NULL, err);
    return ops->exec_later(c, sql, params, n, err);
}

cy_status_t
store_exec_script(store_conn_t *c, const char *sql, cy_error_t *err)
{
    return c->owner->ops->exec_script(c, sql, err);
}

cy_status_t
store_query(store_conn_t *c, const char *sql, const store_param_t *params, int n,
            store_rows_t **out, cy_error_t *err)
{
    return c->owner->ops->query(c, sql, params, n, out, err);
}

/* Rows keep a pointer to their ops as their first member (see backends). */
typedef struct {
    const store_ops_t *ops;
} rows_head_t;

int
store_rows_next(store_rows_t *r, cy_error_t *err)
{
    return ((rows_head_t *)r)->ops->rows_next(r, err);
}

int
store_rows_ncols(const store_rows_t *r)
{
    return ((const rows_head_t *)r)->ops->rows_ncols(r);
}

int
store_rows_isnull(const store_rows_t *r, int col)
{
    return ((const rows_head_t *)r)->ops->rows_isnull(r, col);
}

const char *
store_rows_text(const store_rows_t *r, int col)
{
    return ((const rows_head_t *)r)->ops->rows_text(r, col);
}

int64_t
store_rows_int(const store_rows_t *r, int col)
{
    const char *t = store_rows_text(r, col);
    return t ? strtoll(t, NULL, 10) : 0;
}

void
store_rows_copy(const store_rows_t *r, int col, char *dst, size_t cap)
{
    const char *t = store_rows_text(r, col);
    snprintf(dst, cap, "%s", t ? t : "");
}

int
store_rows_col(const store_rows_t *r, const char *name)
{
    const store_ops_t *ops = ((const rows_head_t *)r)->ops;
    int n = ops->rows_ncols(r);
    for (int i = 0; i < n; i++) {
        const char *cn = ops->rows_name(r, i);
        if (cn != NULL && strcmp(cn, name) == 0)
            return i;
    }
    return -1;
}

static int
col_of(const store_rows_t *r, const char *name)
{
    int i = store_rows_col(r, name);
    if (i < 0) {
        fprintf(stderr, "cyberins: BUG: the query has no column called %s\n", name);
        abort();
    }
    return i;
}

const char *
store_row_text(const store_rows_t *r, const char *name)
{
    return store_rows_text(r, col_of(r, name));
}

int64_t
store_row_int(const store_rows_t *r, const char *name)
{
    return store_rows_int(r, col_of(r, name));
}

int
store_row_isnull(const store_rows_t *r, const char *name)
{
    return store_rows_isnull(r, col_of(r, name));
}

void
store_row_copy(const store_rows_t *r, const char *name, char *dst, size_t cap)
{
    store_rows_copy(r, col_of(r, name), dst, cap);
}

const void *
store_row_blob(store_rows_t *r, const char *name, size_t *len)
{
    *len = 0;
    return ((rows_head_t *)r)->ops->rows_blob(r, col_of(r, name), len);
}

void
store_rows_free(store_rows_t *r)
{
    if (r != NULL)
        ((rows_head_t *)r)->ops->rows_free(r);
}

cy_status_t
store_query_int(store_conn_t *c, const char *sql, const store_param_t *params, int n, int64_t *out,
                int *found, cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, params, n, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k < 0) {
        store_rows_free(r);
        return err ? err->status : CY_EIO;
    }
    if (found)
        *found = k;
    *out = k ? store_rows_int(r, 0) : 0;
    store_rows_free(r);
    if (k == 0 && found == NULL)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", NULL, "记录不存在 / no such record");
    return CY_OK;
}

cy_status_t
store_query_row(store_conn_t *c, const char *sql, const store_param_t *params, int n,
                store_rows_t **out, cy_error_t *err)
{
    *out = NULL;
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, params, n, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        *out = r;
        return CY_OK;
    }
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

void
store_row_read(const store_rows_t *r, const store_col_t *map, size_t n, void *out)
{
    for (size_t i = 0; i < n; i++) {
        char *field = (char *)out + map[i].offset;
        if (map[i].kind == STORE_COL_TEXT)
            store_row_copy(r, map[i].name, field, map[i].size);
        else if (map[i].size == sizeof(int))
            *(int *)(void *)field = (int)store_row_int(r, map[i].name);
        else
            *(int64_t *)(void *)field = store_row_int(r, map[i].name);
    }
}

store_param_t
store_col_param(const store_col_t *col, const void *obj)
{
    const char *field = (const char *)obj + col->offset;
    if (col->kind == STORE_COL_TEXT)
        return STORE_P_TEXT(field);
    if (col->size == sizeof(int))
        return STORE_P_INT(*(const int *)(const void *)field);
    return STORE_P_INT(*(const int64_t *)(const void *)field);
}

cy_status_t
store_insert_id(store_conn_t *c, const char *sql, const store_param_t *params, int n, int64_t *id,
                cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, params, n, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1)
        *id = store_row_int(r, "id");
    else if (k == 0)
        st = cy_error_set(err, CY_EIO, "insert_no_id", NULL,
                          "插入后未返回编号 / the insert returned no id");
    else
        st = err->status;
    /* read to the end so SQLite finishes the statement */
    while (k == 1)
        k = store_rows_next(r, err);
    store_rows_free(r);
    return st;
}

cy_status_t
store_snapshot_begin(store_conn_t *c, cy_error_t *err)
{
    c->epoch_bumped = 0;
    return c->owner->ops->exec_script(c, c->owner->ops->snapshot_sql, err);
}

cy_status_t
store_query_texts(store_conn_t *c, const char *sql, const store_param_t *params, int n,
                  const char *col, char *out, size_t width, size_t max, size_t *count,
                  cy_error_t *err)
{
    *count = 0;
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, params, n, &r, err);
    if (st != CY_OK)
        return st;
    int k = 0;
    while (*count < max && (k = store_rows_next(r, err)) == 1)
        store_row_copy(r, col, out + (*count)++ * width, width);
    store_rows_free(r);
    return *count < max && k < 0 ? err->status : CY_OK;
}

cy_status_t
store_begin(store_conn_t *c, cy_error_t *err)
{
    c->epoch_bumped = 0;
    return c->owner->ops->exec_script(c, c->owner->ops->begin_sql, err);
}

cy_status_t
store_commit(store_conn_t *c, cy_error_t *err)
{
    cy_status_t st = c->owner->ops->exec_script(c, "COMMIT", err);
    if (st == CY_OK && c->epoch_bumped)
        epoch_committed(c);
    c->epoch_bumped = 0;
    return st;
}

void
store_rollback(store_conn_t *c)
{
    cy_error_t ignored;
    c->epoch_bumped = 0;
    if (c->owner->ops->exec_script(c, "ROLLBACK", &ignored) != CY_OK)
        c->broken = 1;
}

cy_status_t
store_tx_open(store_t *s, store_conn_t **c, cy_error_t *err)
{
    cy_status_t st = store_acquire(s, c, err);
    if (st != CY_OK)
        return st;
    st = store_begin(*c, err);
    if (st != CY_OK) {
        store_release(s, *c);
        *c = NULL;
    }
    return st;
}

cy_status_t
store_tx_close(store_t *s, store_conn_t *c, cy_status_t st, cy_error_t *err)
{
    if (st == CY_OK)
        st = store_commit(c, err);
    if (st != CY_OK)
        store_rollback(c);
    store_release(s, c);
    return st;
}

cy_status_t
store_tx(store_t *s, store_tx_fn fn, void *arg, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(s, &c, err);
    if (st != CY_OK)
        return st;
    st = store_begin(c, err);
    if (st == CY_OK) {
        st = fn(c, arg, err);
        if (st == CY_OK)
            st = store_commit(c, err);
        if (st != CY_OK)
            store_rollback(c);
    }
    store_release(s, c);
    return st;
}

cy_status_t
store_ping(store_t *s, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(s, &c, err);
    if (st != CY_OK)
        return st;
    int64_t one = 0;
    st = store_query_int(c, "SELECT 1", NULL, 0, &one, NULL, err);
    store_release(s, c);
    if (st == CY_OK && one != 1)
        st = cy_error_set(err, CY_EIO, "db_ping", NULL, "数据库应答异常 / database answered oddly");
    return st;
}

/* sql with each tok replaced by val (malloc'd), or NULL when out of memory. */
static char *
replace_all(const char *sql, const char *tok, const char *val)
{
    size_t nt = strlen(tok), nv = strlen(val), count = 0;
    for (const char *p = strstr(sql, tok); p; p = strstr(p + nt, tok))
        count++;
    char *out = malloc(strlen(sql) + count * nv + 1);
    if (out == NULL)
        return NULL;
    char *w = out;
    const char *r = sql;
    for (const char *p = strstr(r, tok); p; p = strstr(r, tok)) {
        memcpy(w, r, (size_t)(p - r));
        w += p - r;
        memcpy(w, val, nv);
        w += nv;
        r = p + nt;
    }
    strcpy(w, r);
    return out;
}

/* A migration's SQL for the backend of ops: @ID@ and @BLOB@ replaced. */
static char *
migration_sql(const char *sql, const store_ops_t *ops)
{
    char *ids = replace_all(sql, "@ID@", ops->id_type);
    char *out = ids ? replace_all(ids, "@BLOB@", ops->blob_type) : NULL;
    free(ids);
    return out;
}

/* Name migration m in err's refusal (err's own message kept after it). */
static cy_status_t
migration_failed(const struct cy_migration *m, cy_status_t st, cy_error_t *err)
{
    return cy_error_set(err, st, "migration_failed", m->name,
                        "迁移 %s 失败 / migration %s failed: %s", m->name, m->name, err->message);
}

static cy_status_t
apply_one(store_conn_t *c, const struct cy_migration *m, int64_t now, int *applied, cy_error_t *err)
{
    const store_ops_t *ops = c->owner->ops;
    cy_status_t st = store_begin(c, err);
    if (st != CY_OK)
        return st;
    if (ops->migrate_lock_sql != NULL) {
        st = ops->exec_script(c, ops->migrate_lock_sql, err);
        if (st != CY_OK)
            goto fail;
    }
    int64_t done = 0;
    int found = 0;
    store_param_t p[] = {STORE_P_TEXT(m->name)};
    st = store_query_int(c, "SELECT 1 FROM schema_migrations WHERE name = $1", p, 1, &done, &found,
                         err);
    if (st != CY_OK)
        goto fail;
    if (!found) {
        char *sql = migration_sql(m->sql, ops);
        if (sql == NULL) {
            st = cy_error_no_memory(err);
            goto fail;
        }
        st = store_exec_script(c, sql, err);
        free(sql);
        if (st != CY_OK) {
            migration_failed(m, st, err);
            goto fail;
        }
        char ts[32];
        utc_format_iso(now, ts);
        store_param_t q[] = {STORE_P_TEXT(m->name), STORE_P_TEXT(ts)};
        st = store_exec(c, "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", q, 2,
                        NULL, err);
        if (st != CY_OK)
            goto fail;
    }
    /* a COMMIT refused (a deferred constraint) leaves the transaction open on SQLite */
    if ((st = store_commit(c, err)) != CY_OK) {
        if (!found)
            migration_failed(m, st, err);
        goto fail;
    }
    if (!found)
        (*applied)++;
    return CY_OK;
fail:
    store_rollback(c);
    return st;
}

cy_status_t
store_migrate(store_t *s, int64_t now, int *applied, cy_error_t *err)
{
    int count = 0;
    store_conn_t *c;
    cy_status_t st = store_acquire(s, &c, err);
    if (st != CY_OK)
        return st;
    st = store_exec_script(c,
                           "CREATE TABLE IF NOT EXISTS schema_migrations ("
                           " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
                           err);
    /* two servers starting at once may race to create it on PostgreSQL */
    if (st == CY_ECONFLICT)
        st = CY_OK;
    for (const struct cy_migration *m = cy_migrations; st == CY_OK && m->name != NULL; m++)
        st = apply_one(c, m, now, &count, err);
    store_release(s, c);
    if (applied)
        *applied = count;
    return st;
}

cy_status_t
store_schema_version(store_t *s, char *buf, size_t cap, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(s, &c, err);
    if (st != CY_OK)
        return st;
    store_rows_t *r;
    buf[0] = '\0';
    st = store_query(c, "SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1", NULL, 0,
                     &r, err);
    if (st == CY_OK) {
        int k = store_rows_next(r, err);
        if (k > 0)
            snprintf(buf, cap, "%s", store_rows_text(r, 0));
        else if (k < 0)
            st = err->status;
        store_rows_free(r);
    }
    store_release(s, c);
    return st;
}
