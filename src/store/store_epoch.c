/*
 * store_epoch.c — the cache epoch of store.h: the counter every change to a
 * cached row bumps, this process's watcher of it, the lease under which
 * copies may be used, and the wait that makes a committed change reach every
 * process before its committer answers.
 *
 * Why a lease: a process learns of another's change only by reading the
 * database, so it cannot know it at once; but it can know *when* it last
 * knew. A read of cache_epoch sent at t answers every change committed
 * before t; copies are trusted until t + LEASE; whoever commits a change
 * waits LEASE before answering. So once a change is answered, every process
 * has either read it (and dropped its copies) or stopped trusting them —
 * without a database round trip per request. Never depends on app/, http/
 * or cli/.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store_impl.h"

#define NS_PER_MS 1000000LL

typedef struct store_epoch {
    pthread_mutex_t mu;
    pthread_cond_t cv;   /* wakes the watcher to stop */
    uint64_t gen;        /* the generation of copies: any change drops them all */
    int64_t seen;        /* cache_epoch.n at the watcher's last read (-1: none yet) */
    int64_t fresh_until; /* CLOCK_MONOTONIC ns: copies are trusted until then */
    int watching, stop;
    pthread_t thread;
    store_conn_t conn; /* the watcher's own connection, outside the pool */
    char *lock_path;   /* SQLite: PATH-epoch */
} store_epoch_t;

static int64_t
mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* ---------- SQLite: who else watches this file ---------- */

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

/* Read-locks path for this process (once per file); 0 or an errno. */
static int
watched_hold(const char *path)
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

static void
watched_drop(const char *path)
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

/* ---------- the epoch ---------- */

cy_status_t
store_epoch_init(store_t *s, cy_error_t *err)
{
    store_epoch_t *e = calloc(1, sizeof *e);
    if (e == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
    e->seen = -1;
    if (s->backend == STORE_SQLITE) {
        size_t n = strlen(s->target) + sizeof "-epoch";
        e->lock_path = malloc(n);
        if (e->lock_path == NULL) {
            free(e);
            return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
        }
        snprintf(e->lock_path, n, "%s-epoch", s->target);
    }
    s->epoch = e;
    return CY_OK;
}

void
store_epoch_fini(store_t *s)
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
            watched_drop(e->lock_path);
    }
    pthread_mutex_destroy(&e->mu);
    pthread_cond_destroy(&e->cv);
    free(e->lock_path);
    free(e);
    s->epoch = NULL;
}

cy_status_t
store_epoch_bump(store_conn_t *c, cy_error_t *err)
{
    if (c->epoch_bumped)
        return CY_OK;
    cy_status_t st =
        store_exec(c, "UPDATE cache_epoch SET n = n + 1 WHERE id = 1", NULL, 0, NULL, err);
    if (st == CY_OK)
        c->epoch_bumped = 1;
    return st;
}

void
store_epoch_committed(store_conn_t *c)
{
    store_t *s = c->owner;
    store_epoch_t *e = s->epoch;
    pthread_mutex_lock(&e->mu);
    e->gen++; /* this process's copies go at once */
    int watching = e->watching;
    pthread_mutex_unlock(&e->mu);
    int others = s->backend == STORE_POSTGRESQL || watched_by_others(e->lock_path, watching);
    if (others)
        c->settle_until = mono_ns() + STORE_EPOCH_LEASE_MS * NS_PER_MS;
}

void
store_epoch_settle(int64_t until)
{
    struct timespec t = {.tv_sec = until / 1000000000LL, .tv_nsec = until % 1000000000LL};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
        ;
}

int
store_epoch_read(store_t *s, uint64_t *gen)
{
    store_epoch_t *e = s->epoch;
    pthread_mutex_lock(&e->mu);
    *gen = e->gen;
    int64_t until = e->fresh_until;
    pthread_mutex_unlock(&e->mu);
    return until > 0 && mono_ns() < until;
}

/* One read of cache_epoch on the watcher's connection; 1 with *n, else 0. */
static int
epoch_poll(store_t *s, int64_t *n)
{
    store_epoch_t *e = s->epoch;
    cy_error_t err;
    if (e->conn.broken) {
        s->ops->heal(&e->conn);
        e->conn.broken = 0;
    }
    store_rows_t *r;
    if (s->ops->query(&e->conn, "SELECT n FROM cache_epoch WHERE id = 1", NULL, 0, &r, &err) !=
        CY_OK)
        return 0;
    int k = store_rows_next(r, &err);
    if (k == 1)
        *n = store_row_int(r, "n");
    while (k == 1) /* to the end, so that SQLite ends its read */
        k = store_rows_next(r, &err);
    store_rows_free(r);
    return k == 0;
}

static void *
epoch_watch(void *arg)
{
    store_t *s = arg;
    store_epoch_t *e = s->epoch;
    pthread_mutex_lock(&e->mu);
    while (!e->stop) {
        pthread_mutex_unlock(&e->mu);
        int64_t sent = mono_ns(), n = 0;
        int ok = epoch_poll(s, &n);
        pthread_mutex_lock(&e->mu);
        if (ok && n != e->seen) {
            e->seen = n;
            e->gen++;
        }
        e->fresh_until = ok ? sent + STORE_EPOCH_LEASE_MS * NS_PER_MS : 0;
        int64_t next = sent + STORE_EPOCH_POLL_MS * NS_PER_MS;
        struct timespec t = {.tv_sec = next / 1000000000LL, .tv_nsec = next % 1000000000LL};
        while (!e->stop && pthread_cond_timedwait(&e->cv, &e->mu, &t) == 0)
            ;
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

cy_status_t
store_epoch_watch(store_t *s, cy_error_t *err)
{
    store_epoch_t *e = s->epoch;
    if (e->watching)
        return CY_OK;
    if (e->lock_path != NULL) {
        int rc = watched_hold(e->lock_path);
        if (rc != 0)
            return cy_error_set(err, CY_EIO, "epoch_lock", "db", "无法锁定 %s / cannot lock %s: %s",
                                e->lock_path, e->lock_path, strerror(rc));
    }
    e->conn.owner = s;
    cy_status_t st = s->ops->connect(s->target, &e->conn, err);
    if (st != CY_OK) {
        if (e->lock_path)
            watched_drop(e->lock_path);
        return st;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_destroy(&e->cv);
    pthread_cond_init(&e->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&e->thread, NULL, epoch_watch, s) != 0) {
        s->ops->disconnect(&e->conn);
        if (e->lock_path)
            watched_drop(e->lock_path);
        return cy_error_set(err, CY_ENOMEM, "no_thread", NULL,
                            "无法启动缓存版本监视线程 / cannot start the cache epoch watcher");
    }
    e->watching = 1;
    return CY_OK;
}
