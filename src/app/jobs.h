/*
 * jobs.h — background jobs in the store: queued by a use case, claimed by a
 * worker thread of any server, run, and finished with a result or an error.
 * Depends on store/ and core/; the job kinds' runners live in app/ too
 * (app/simulation.c for "simulation").
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
    char kind[32];
    char *params; /* JSON text, owned by the job */
} job_t;

/* A runner: returns CY_OK with *result (malloc'd JSON text) or an error. */
typedef cy_status_t (*job_runner_fn)(app_t *app, const job_t *job, char **result,
                                     void (*progress)(void *ctx, int permille), void *ctx,
                                     cy_error_t *err);

/* app_job_enqueue adds a queued job inside the caller's transaction; *id receives its id. */
cy_status_t app_job_enqueue(store_conn_t *c, const actor_t *actor, const char *kind,
                            const char *params, int64_t *id, cy_error_t *err);

/*
 * app_job_claim takes the oldest queued job (or a running one whose heartbeat
 * is older than stale_s seconds). *found says whether there was one; the job
 * is then marked running by worker.
 */
cy_status_t app_job_claim(app_t *app, const char *worker, int stale_s, job_t *job, int *found,
                          cy_error_t *err);
void app_job_free(job_t *job);

/* app_job_progress records progress (per mille) and the heartbeat. */
void app_job_progress(app_t *app, int64_t id, int permille);

/* app_job_finish stores the result (status done) or the error (status failed). */
cy_status_t app_job_finish(app_t *app, int64_t id, const char *result, const cy_error_t *failure,
                           cy_error_t *err);

/* The worker: one thread per server that claims and runs jobs until stopped. */
typedef struct job_worker {
    app_t *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, started;
    char name[96]; /* host:pid */
} job_worker_t;

cy_status_t app_worker_start(app_t *app, job_worker_t *w, cy_error_t *err);
/* wake the worker now (a job was queued by this process) */
void app_worker_wake(job_worker_t *w);
/* stop after the current job and wait for the thread */
void app_worker_stop(job_worker_t *w);

#endif
