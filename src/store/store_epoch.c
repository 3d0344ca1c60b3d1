/*
 * store_epoch.c — the cache epoch of store.h: the counter every change to a
 * cached row bumps, this process's watcher of it and the lease under which
 * copies may be used. The other half, the wait that makes a committed
 * change reach every process before its committer answers, is store.c's,
 * at the commit; this file builds on store.c, never the other way.
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
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "store/store_impl.h"

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

int
store_epoch_read(store_t *s, uint64_t *gen)
{
    store_epoch_t *e = s->epoch;
    pthread_mutex_lock(&e->mu);
    *gen = e->gen;
    int64_t until = e->fresh_until;
    pthread_mutex_unlock(&e->mu);
    return until > 0 && store_mono_ns() < until;
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
        int64_t sent = store_mono_ns(), n = 0;
        int ok = epoch_poll(s, &n);
        pthread_mutex_lock(&e->mu);
        if (ok && n != e->seen) {
            e->seen = n;
            e->gen++;
        }
        e->fresh_until = ok ? sent + STORE_EPOCH_LEASE_MS * STORE_NS_PER_MS : 0;
        int64_t next = sent + STORE_EPOCH_POLL_MS * STORE_NS_PER_MS;
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
        int rc = store_watched_hold(e->lock_path);
        if (rc != 0)
            return cy_error_set(err, CY_EIO, "epoch_lock", "db", "无法锁定 %s / cannot lock %s: %s",
                                e->lock_path, e->lock_path, strerror(rc));
    }
    e->conn.owner = s;
    cy_status_t st = s->ops->connect(s->target, &e->conn, err);
    if (st != CY_OK) {
        if (e->lock_path)
            store_watched_drop(e->lock_path);
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
            store_watched_drop(e->lock_path);
        return cy_error_set(err, CY_ENOMEM, "no_thread", NULL,
                            "无法启动缓存版本监视线程 / cannot start the cache epoch watcher");
    }
    e->watching = 1;
    return CY_OK;
}
