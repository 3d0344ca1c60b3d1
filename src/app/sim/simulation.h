/*
 * simulation.h — portfolio simulations as use cases: queue one (it runs in
 * a server's job worker, app/jobs.c), read one or list them. The Monte Carlo
 * itself is sim/; this file loads its inputs (rating model, catalogue,
 * portfolio) and keeps its results in the store.
 */
#ifndef CY_APP_SIMULATION_H
#define CY_APP_SIMULATION_H

#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"
#include "app/jobs.h"

/* What a client asks for. */
typedef struct {
    int64_t years; /* 1 .. SIM_API_MAX_YEARS */
    uint64_t seed;
    const char *portfolio;    /* "demo" (data/demo/portfolio.csv) or "exposure" */
    const char *exposure_csv; /* the exposure file's text when portfolio is "exposure" */
    int catalogue;            /* 1: with the systemic event catalogue */
} sim_request_t;

#define SIM_API_MAX_YEARS 200000

/* A simulation as stored. Strings are owned: free with app_sim_view_free. */
typedef struct {
    int64_t id, org_id, user_id;
    char status[16];
    int progress; /* per mille */
    char created_at[32], started_at[32], finished_at[32];
    char *params, *result, *error; /* JSON, JSON, text; NULL when absent */
} sim_view_t;

/* app_sim_create queues a simulation asked for at now; *id is its id. */
cy_status_t app_sim_create(app_t *app, const actor_t *actor, int64_t now, const sim_request_t *req,
                           int64_t *id, cy_error_t *err);
cy_status_t app_sim_get(app_t *app, const actor_t *actor, int64_t id, sim_view_t *out,
                        cy_error_t *err);
typedef void (*sim_view_fn)(const sim_view_t *v, void *arg);
/* newest first, at most limit; params and result are not loaded (NULL) */
cy_status_t app_sim_list(app_t *app, const actor_t *actor, int limit, sim_view_fn fn, void *arg,
                         cy_error_t *err);
void app_sim_view_free(sim_view_t *v);

/* The runner of "simulation" jobs (app/jobs.c). */
cy_status_t app_simulation_job(app_t *app, const job_t *job, char **result,
                               void (*progress)(void *ctx, int permille), void *ctx,
                               cy_error_t *err);

#endif
