/*
 * jobs.c — the job queue in the store and the worker thread that drains it.
 * Depends on core/ and store/; the kinds of job and the clock come from the
 * caller (app_worker_start).
 */
#include "app/jobs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/bjtime.h"

cy_status_t
app_job_enqueue(store_conn_t *c, const actor_t *actor, int64_t now, const char *kind,
                const char *params, int64_t *id, cy_error_t *err)
{
    return app_job_enqueue_at(c, actor, now, now, kind, params, id, err);
}

cy_status_t
app_job_enqueue_at(store_conn_t *c, const actor_t *actor, int64_t now, int64_t run_after,
                   const char *kind, const char *params, int64_t *id, cy_error_t *err)
{
    char at[32], after[32];
    utc_format_iso(now, at);
    utc_format_iso(run_after, after);
    store_param_t p[] = {
        STORE_P_TEXT(kind),   STORE_P_INT(actor->org_id), STORE_P_INT(actor->user_id),
        STORE_P_TEXT(params), STORE_P_TEXT(at),           STORE_P_TEXT(after)};
    return store_query_int(c,
                           "INSERT INTO job (kind, status, org_id, user_id, params, created_at, "
                           "run_after) VALUES ($1, 'queued', $2, $3, $4, $5, $6) RETURNING id",
                           p, 6, id, NULL, err);
}

cy_status_t
app_job_claim(app_t *app, const char *worker, int64_t now, int stale_s, job_t *job, int *found,
              cy_error_t *err)
{
    memset(job, 0, sizeof *job);
    *found = 0;
    char at[32], stale[32];
    utc_format_iso(now, at);
    utc_format_iso(now - stale_s, stale);
    /* PostgreSQL: many servers may claim at once; SKIP LOCKED hands each its own
       job. SQLite: one writer at a time already serialises the UPDATE. */
    const char *sql =
        store_backend(app->store) == STORE_POSTGRESQL
            ? "UPDATE job SET status = 'running', worker = $1, started_at = $2, "
              "heartbeat_at = $2, attempts = attempts + 1 WHERE id = (SELECT id FROM job WHERE "
              "(status = 'queued' AND (run_after IS NULL OR run_after <= $2)) OR (status = "
              "'running' AND heartbeat_at < $3) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
              "RETURNING id, org_id, user_id, kind, params"
            : "UPDATE job SET status = 'running', worker = $1, started_at = $2, "
              "heartbeat_at = $2, attempts = attempts + 1 WHERE id = (SELECT id FROM job WHERE "
              "(status = 'queued' AND (run_after IS NULL OR run_after <= $2)) OR (status = "
              "'running' AND heartbeat_at < $3) ORDER BY id LIMIT 1) "
              "RETURNING id, org_id, user_id, kind, params";
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_TEXT(worker), STORE_P_TEXT(at), STORE_P_TEXT(stale)};
    store_rows_t *r;
    st = store_query(c, sql, p, 3, &r, err);
    if (st == CY_OK) {
        int k = store_rows_next(r, err);
        if (k == 1) {
            job->id = store_row_int(r, "id");
            job->now = now;
            job->org_id = store_row_int(r, "org_id");
            job->user_id = store_row_int(r, "user_id");
            store_row_copy(r, "kind", job->kind, sizeof job->kind);
            job->params = strdup(store_row_text(r, "params"));
            *found = job->params != NULL;
            if (job->params == NULL)
                st = cy_error_no_memory(err);
        } else if (k < 0) {
            st = err->status;
        }
        store_rows_free(r);
    }
    store_release(app->store, c);
    return st;
}

void
app_job_free(job_t *job)
{
    free(job->params);
    job->params = NULL;
}

void
app_job_progress(app_t *app, int64_t id, int permille, int64_t now)
{
    char at[32];
    utc_format_iso(now, at);
    store_conn_t *c;
    cy_error_t ignored;
    if (store_acquire(app->store, &c, &ignored) != CY_OK)
        return;
    store_param_t p[] = {STORE_P_INT(permille < 0      ? 0
                                     : permille > 1000 ? 1000
                                                       : permille),
                         STORE_P_TEXT(at), STORE_P_INT(id)};
    store_exec(c, "UPDATE job SET progress = $1, heartbeat_at = $2 WHERE id = $3", p, 3, NULL,
               &ignored);
    store_release(app->store, c);
}

cy_status_t
app_job_finish(app_t *app, int64_t id, const char *worker, const char *result,
               const cy_error_t *failure, int64_t now, int *kept, cy_error_t *err)
{
    char at[32];
    utc_format_iso(now, at);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    char failed[sizeof failure->message + 80] = "";
    if (failure != NULL)
        snprintf(failed, sizeof failed, "%s", failure->message);
    store_param_t p[] = {STORE_P_TEXT(failure ? "failed" : "done"),
                         failure ? STORE_P_NULL : STORE_P_TEXT(result),
                         failure ? STORE_P_TEXT(failed) : STORE_P_NULL,
                         STORE_P_TEXT(at),
                         STORE_P_INT(id),
                         STORE_P_TEXT(worker)};
    int64_t n = 0;
    st = store_exec(c,
                    "UPDATE job SET status = $1, result = $2, error = $3, finished_at = $4, "
                    "heartbeat_at = $4, progress = CASE WHEN $1 = 'done' THEN 1000 ELSE progress "
                    "END WHERE id = $5 AND worker = $6 AND status = 'running'",
                    p, 6, &n, err);
    store_release(app->store, c);
    if (kept != NULL)
        *kept = st == CY_OK && n == 1;
    return st;
}

cy_status_t
app_job_hand_back(app_t *app, int64_t id, const char *worker, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(id), STORE_P_TEXT(worker)};
    st = store_exec(c,
                    "UPDATE job SET status = 'queued', worker = NULL, started_at = NULL, "
                    "heartbeat_at = NULL, progress = 0 WHERE id = $1 AND worker = $2 AND "
                    "status = 'running'",
                    p, 2, NULL, err);
    store_release(app->store, c);
    return st;
}

/* ---------- the worker ---------- */

typedef struct {
    job_worker_t *w;
    int64_t id;
    int last;
} progress_ctx_t;

static void
on_progress(void *ctx, int permille)
{
    progress_ctx_t *p = ctx;
    if (permille - p->last >= 50 || permille == 1000) { /* every 5 %: a write each time */
        p->last = permille;
        app_job_progress(p->w->app, p->id, permille, p->w->clock());
    }
}

static void
run_one(job_worker_t *w, const job_t *job)
{
    job_runner_fn run = NULL;
    for (const job_kind_t *k = w->kinds; k->kind != NULL; k++)
        if (strcmp(k->kind, job->kind) == 0)
            run = k->run;
    cy_error_t err, ferr;
    char *result = NULL;
    progress_ctx_t ctx = {w, job->id, 0};
    cy_status_t st =
        run ? run(w->app, job, &result, on_progress, &ctx, &err)
            : cy_error_set(&err, CY_EINVAL, "job_kind", "kind",
                           "未知的任务类型 %s / unknown job kind %s", job->kind, job->kind);
    int kept = 1;
    if (st != CY_OK && __atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
        /* stopped on the way (the server is stopping): not a failure, the job goes back */
        st = app_job_hand_back(w->app, job->id, w->name, &ferr);
        if (st == CY_OK)
            fprintf(stderr, "cyberins worker: job %" PRId64 " handed back to the queue\n", job->id);
    } else {
        st = app_job_finish(w->app, job->id, w->name, result, st == CY_OK ? NULL : &err, w->clock(),
                            &kept, &ferr);
    }
    if (st != CY_OK)
        fprintf(stderr, "cyberins worker: job %" PRId64 ": %s\n", job->id, ferr.message);
    else if (!kept)
        fprintf(stderr, "cyberins worker: job %" PRId64 " was taken over by another worker\n",
                job->id);
    free(result);
}

static void *
worker_main(void *arg)
{
    job_worker_t *w = arg;
    /* the thread names itself: two workers of one process (tests) stay apart */
    size_t used = strlen(w->name);
    snprintf(w->name + used, sizeof w->name - used, ":%ld", (long)gettid());
    for (;;) {
        if (__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE))
            break;
        job_t job;
        int found = 0;
        cy_error_t err;
        if (app_job_claim(w->app, w->name, w->clock(), w->app->cfg.job_stale_s, &job, &found,
                          &err) != CY_OK)
            fprintf(stderr, "cyberins worker: %s\n", err.message);
        if (found) {
            job.stopped = &w->stop;
            run_one(w, &job);
            app_job_free(&job);
            continue;
        }
        /* nothing queued: sleep until woken or for a second (jobs queued by other servers);
           the wait is measured on the monotonic clock, not the time of day */
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += 1;
        pthread_mutex_lock(&w->mu);
        if (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE))
            pthread_cond_timedwait(&w->cv, &w->mu, &until);
        pthread_mutex_unlock(&w->mu);
    }
    return NULL;
}

cy_status_t
app_worker_start(app_t *app, const job_kind_t *kinds, job_clock_fn clock, job_worker_t *w,
                 cy_error_t *err)
{
    memset(w, 0, sizeof *w);
    w->app = app;
    w->kinds = kinds;
    w->clock = clock;
    char host[64] = "host";
    gethostname(host, sizeof host);
    host[sizeof host - 1] = '\0';
    snprintf(w->name, sizeof w->name, "%s:%ld", host, (long)getpid());
    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    int rc = pthread_create(&w->thread, NULL, worker_main, w);
    if (rc != 0)
        return cy_error_set(err, CY_EIO, "worker_start", NULL,
                            "无法启动后台任务线程 / cannot start the job worker: %s", strerror(rc));
    w->started = 1;
    app->worker = w;
    return CY_OK;
}

void
app_worker_wake(job_worker_t *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mu);
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void
app_worker_signal_stop(job_worker_t *w)
{
    if (w == NULL || !w->started)
        return;
    pthread_mutex_lock(&w->mu);
    __atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void
app_worker_stop(job_worker_t *w)
{
    if (w == NULL || !w->started)
        return;
    app_worker_signal_stop(w);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    w->app->worker = NULL;
    w->started = 0;
}
