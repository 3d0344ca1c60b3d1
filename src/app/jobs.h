/*
 * jobs.h — background jobs in the store: queued by a use case, claimed by a
 * worker thread of any server, run, and finished with a result or an error.
 * Depends on store/ and core/ only: the kinds of job a worker runs, and the
 * clock it runs by, are given to it by whoever starts it (cli/serve.c), so
 * this file knows no capability and reads no clock.
 */
#ifndef CY_APP_JOBS_H
#define CY_APP_JOBS_H

#include <pthread.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"

/* A job as its runner sees it. */
typedef struct {
    int64_t id, org_id, user_id;
    int64_t now; /* when the worker claimed it: the job's "now" (UTC seconds) */
    char kind[32];
    char *params;       /* JSON text, owned by the job */
    const int *stopped; /* read with __atomic_load_n: non-zero when the worker is told to stop;
                           a runner that can stop early returns CY_EUNAVAIL then, and the job
                           goes back to the queue (NULL outside a worker) */
} job_t;

/* A runner: returns CY_OK with *result (malloc'd JSON text) or an error. */
typedef cy_status_t (*job_runner_fn)(app_t *app, const job_t *job, char **result,
                                     void (*progress)(void *ctx, int permille), void *ctx,
                                     cy_error_t *err);

/* A kind of job and its runner; a worker is given a table of them, ended by {NULL, NULL}. */
typedef struct {
    const char *kind;
    job_runner_fn run;
} job_kind_t;

/* The clock a worker runs by (UTC seconds): the caller's, never read in app/. */
typedef int64_t (*job_clock_fn)(void);

/*
 * app_job_enqueue adds a queued job, created at now, inside the caller's
 * transaction; *id receives its id.
 */
cy_status_t app_job_enqueue(store_conn_t *c, const actor_t *actor, int64_t now, const char *kind,
                            const char *params, int64_t *id, cy_error_t *err);

/*
 * app_job_enqueue_at does the same for a job that no worker claims before
 * run_after (UTC seconds): a retry after a backoff, a reminder.
 */
cy_status_t app_job_enqueue_at(store_conn_t *c, const actor_t *actor, int64_t now,
                               int64_t run_after, const char *kind, const char *params, int64_t *id,
                               cy_error_t *err);

/*
 * app_job_claim takes the oldest queued job due at now (its run_after, if
 * any, not after now), or a running one whose heartbeat is older than stale_s
 * seconds before now. *found says whether there was
 * one; the job is then marked running by worker.
 */
cy_status_t app_job_claim(app_t *app, const char *worker, int64_t now, int stale_s, job_t *job,
                          int *found, cy_error_t *err);
void app_job_free(job_t *job);

/* app_job_progress records progress (per mille) and the heartbeat at now. */
void app_job_progress(app_t *app, int64_t id, int permille, int64_t now);

/*
 * app_job_finish stores, at now, the result (status done) or the error
 * (status failed), when worker still holds the job (another worker may have
 * taken over a job whose heartbeat went stale: its result is then the one
 * kept). *kept (may be NULL) says whether it was stored.
 */
cy_status_t app_job_finish(app_t *app, int64_t id, const char *worker, const char *result,
                           const cy_error_t *failure, int64_t now, int *kept, cy_error_t *err);

/*
 * app_job_hand_back puts a job that worker holds back in the queue, as it
 * was before it was claimed (a server stopping in the middle of it); another
 * worker, or this one started again, runs it from the start.
 */
cy_status_t app_job_hand_back(app_t *app, int64_t id, const char *worker, cy_error_t *err);

/* The worker: one thread per server that claims and runs jobs until stopped. */
typedef struct job_worker {
    app_t *app;
    const job_kind_t *kinds;
    job_clock_fn clock;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, started;
    char name[96]; /* host:pid:thread, unique to this worker */
} job_worker_t;

/* app_worker_start runs the jobs of kinds (others fail as unknown), by clock. */
cy_status_t app_worker_start(app_t *app, const job_kind_t *kinds, job_clock_fn clock,
                             job_worker_t *w, cy_error_t *err);
/* wake the worker now (a job was queued by this process) */
void app_worker_wake(job_worker_t *w);
/* tell the worker to stop: a running job that can stop early does, and is handed back */
void app_worker_signal_stop(job_worker_t *w);
/* stop (app_worker_signal_stop) and wait for the thread */
void app_worker_stop(job_worker_t *w);

#endif
