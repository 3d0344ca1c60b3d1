/*
 * simulation.c — simulations as use cases. Creating one checks the request
 * and queues a job; the job worker (app/jobs.c) calls app_simulation_job,
 * which loads the rating model, the catalogue and the portfolio, runs sim/
 * and keeps summary.json (the same file `cyberins simulate` writes) as the
 * job's result. Depends on core/, sim/ and store/.
 */
#include "app/sim/simulation.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "data/catalogue.h"
#include "data/exposure.h"
#include "app/sim/portfolio.h"
#include "data/rating.h"
#include "app/util.h"
#include "sim/output.h"
#include "sim/sim.h"

/* The largest run a request may start: the worker is shared by every user. */
#define SIM_API_MAX_POLICY_YEARS 2000000000LL
#define SIM_API_MAX_MEM          (1ull << 30)

/* ---------- create ---------- */

/* The request as the job's parameters (JSON text, malloc'd), or NULL out of memory. */
static char *
sim_params(const sim_request_t *req, int exposure)
{
    json_t *p =
        json_pack("{s:I, s:I, s:s, s:b}", "years", (json_int_t)req->years, "seed",
                  (json_int_t)req->seed, "portfolio", req->portfolio, "catalogue", req->catalogue);
    if (p == NULL)
        return NULL;
    if (exposure)
        json_object_set_new(p, "exposure_csv", json_string(req->exposure_csv));
    char *params = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    return params;
}

static cy_status_t
sim_check(const sim_request_t *req, int *exposure, cy_error_t *err)
{
    if (req->years < 1 || req->years > SIM_API_MAX_YEARS)
        return cy_error_set(err, CY_EINVAL, "years_range", "years",
                            "模拟年数应为 1 到 %d / years must be from 1 to %d", SIM_API_MAX_YEARS,
                            SIM_API_MAX_YEARS);
    int demo = req->portfolio && strcmp(req->portfolio, "demo") == 0;
    *exposure = req->portfolio && strcmp(req->portfolio, "exposure") == 0;
    int in_force = req->portfolio && strcmp(req->portfolio, "in_force") == 0;
    if (!demo && !*exposure && !in_force)
        return cy_error_set(err, CY_EINVAL, "portfolio_unknown", "portfolio",
                            "portfolio 应为 demo、exposure 或 in_force / portfolio must be demo, "
                            "exposure or in_force");
    if (*exposure && (req->exposure_csv == NULL || req->exposure_csv[0] == '\0'))
        return cy_error_set(err, CY_EINVAL, "missing_field", "exposure_csv",
                            "portfolio 为 exposure 时须提供 exposure_csv / exposure_csv is "
                            "required when portfolio is exposure");
    if (!*exposure && req->exposure_csv != NULL)
        return cy_error_set(err, CY_EINVAL, "exposure_unexpected", "exposure_csv",
                            "只有 exposure 组合接受 exposure_csv / only the exposure portfolio "
                            "takes exposure_csv");
    return CY_OK;
}

cy_status_t
app_sim_create(app_t *app, const actor_t *actor, int64_t now, const sim_request_t *req, int64_t *id,
               cy_error_t *err)
{
    if (actor->cli || !authz_allowed(actor->org_type, actor->role, ACT_SIM_RUN))
        return app_forbidden(err, ACT_SIM_RUN);
    int exposure = 0;
    cy_status_t st = sim_check(req, &exposure, err);
    if (st != CY_OK)
        return st;
    char *params = sim_params(req, exposure);
    if (params == NULL)
        return cy_error_no_memory(err);
    store_conn_t *c;
    st = store_tx_open(app->store, &c, err);
    if (st == CY_OK) {
        st = app_job_enqueue(c, actor, now, "simulation", params, id, err);
        char idtext[24];
        snprintf(idtext, sizeof idtext, "%" PRId64, *id);
        if (st == CY_OK)
            st = app_audit_append(c, actor, now, "simulation.create", "simulation", idtext, err,
                                  "发起组合累积模拟 / started a portfolio simulation");
        st = store_tx_close(app->store, c, st, err);
    }
    free(params);
    if (st == CY_OK)
        app_worker_wake(app->worker);
    return st;
}

/* ---------- read ---------- */

static int
sim_visible(const actor_t *a, int64_t org_id)
{
    return a->cli || authz_sees_all(a->org_type) || a->org_id == org_id;
}

static char *
dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* A simulation from a row of job; full: with its params and result. */
static void
view_from_row(store_rows_t *r, sim_view_t *v, int full)
{
    memset(v, 0, sizeof *v);
    v->id = store_row_int(r, "id");
    v->org_id = store_row_int(r, "org_id");
    v->user_id = store_row_int(r, "user_id");
    store_row_copy(r, "status", v->status, sizeof v->status);
    v->progress = (int)store_row_int(r, "progress");
    store_row_copy(r, "created_at", v->created_at, sizeof v->created_at);
    store_row_copy(r, "started_at", v->started_at, sizeof v->started_at);
    store_row_copy(r, "finished_at", v->finished_at, sizeof v->finished_at);
    v->error = dup_or_null(store_row_text(r, "error"));
    if (full) {
        v->params = dup_or_null(store_row_text(r, "params"));
        v->result = dup_or_null(store_row_text(r, "result"));
    }
}

#define SIM_COLS "id, org_id, user_id, status, progress, created_at, started_at, finished_at, error"

cy_status_t
app_sim_get(app_t *app, const actor_t *actor, int64_t id, sim_view_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_SIM_READ))
        return app_forbidden(err, ACT_SIM_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    st = store_query(c,
                     "SELECT " SIM_COLS ", params, result FROM job WHERE id = $1 AND kind = "
                     "'simulation'",
                     p, 1, &r, err);
    int found = 0;
    if (st == CY_OK) {
        if ((found = store_rows_next(r, err) == 1))
            view_from_row(r, out, 1);
        store_rows_free(r);
    }
    store_release(app->store, c);
    if (st != CY_OK)
        return st;
    /* the exposure a client sent is its own data: it goes back only to its organisation */
    if (!found || !sim_visible(actor, out->org_id)) {
        app_sim_view_free(out);
        return app_not_found(err, "模拟", "simulation", id);
    }
    return CY_OK;
}

cy_status_t
app_sim_list(app_t *app, const actor_t *actor, int limit, sim_view_fn fn, void *arg,
             cy_error_t *err)
{
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_SIM_READ))
        return app_forbidden(err, ACT_SIM_READ);
    int all = actor->cli || authz_sees_all(actor->org_type);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(all), STORE_P_INT(actor->org_id), STORE_P_INT(limit)};
    store_rows_t *r;
    st = store_query(c,
                     "SELECT " SIM_COLS " FROM job WHERE kind = 'simulation' AND ($1 = 1 OR "
                     "org_id = $2) ORDER BY id DESC LIMIT $3",
                     p, 3, &r, err);
    if (st == CY_OK) {
        sim_view_t v;
        while (store_rows_next(r, err) == 1) {
            view_from_row(r, &v, 0);
            fn(&v, arg);
            app_sim_view_free(&v);
        }
        store_rows_free(r);
    }
    store_release(app->store, c);
    return st;
}

void
app_sim_view_free(sim_view_t *v)
{
    free(v->params);
    free(v->result);
    free(v->error);
    v->params = v->result = v->error = NULL;
}

/* ---------- the job ---------- */

/* The organisation type of the job's organisation, for scoping what it loads. */
static cy_status_t
job_actor(app_t *app, const job_t *job, actor_t *a, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(job->org_id)};
    store_rows_t *r;
    st = store_query(c, "SELECT type, region_code FROM organisation WHERE id = $1", p, 1, &r, err);
    if (st == CY_OK) {
        if (store_rows_next(r, err) != 1 ||
            authz_org_type_parse(store_row_text(r, "type"), &a->org_type))
            st = cy_error_set(err, CY_EIO, "job_owner", NULL,
                              "任务所属机构不存在 / the job's organisation is gone");
        else
            store_row_copy(r, "region_code", a->region, sizeof a->region);
        store_rows_free(r);
    }
    store_release(app->store, c);
    return st;
}

typedef struct {
    void (*progress)(void *ctx, int permille);
    void *ctx;
} progress_fwd_t;

static void
forward_progress(void *ctx, int64_t done, int64_t total)
{
    progress_fwd_t *f = ctx;
    f->progress(f->ctx, total > 0 ? (int)(1000 * done / total) : 0);
}

static void
remove_dir(const char *dir)
{
    for (int i = 0; sim_output_files[i] != NULL; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, sim_output_files[i]);
        unlink(path);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/exposure.csv", dir);
    unlink(path);
    rmdir(dir);
}

/* What a job's parameters ask for, and what it loads to run them. */
typedef struct {
    int64_t years;
    uint64_t seed;
    int use_catalogue, exposure, in_force;
    char dir[32];    /* the job's temporary folder */
    char path[4096]; /* the exposure file to read (demo or the client's) */
    rating_data_t rd;
    sim_catalogue_t cat;
    sim_portfolio_t pf;
} sim_job_t;

/* Read the job's parameters and write a client's exposure into the job's folder. */
static cy_status_t
job_params(app_t *app, const job_t *job, sim_job_t *j, cy_error_t *err)
{
    json_error_t je;
    json_t *p = json_loads(job->params, JSON_REJECT_DUPLICATES, &je);
    if (p == NULL)
        return cy_error_set(err, CY_EINVAL, "params", NULL,
                            "任务参数损坏 / job parameters are corrupt");
    j->years = json_integer_value(json_object_get(p, "years"));
    j->seed = (uint64_t)json_integer_value(json_object_get(p, "seed"));
    j->use_catalogue = json_is_true(json_object_get(p, "catalogue"));
    const char *portfolio = json_string_value(json_object_get(p, "portfolio"));
    const char *csv = json_string_value(json_object_get(p, "exposure_csv"));
    j->exposure = portfolio && strcmp(portfolio, "exposure") == 0;
    j->in_force = portfolio && strcmp(portfolio, "in_force") == 0;
    cy_status_t st = CY_OK;
    if (j->exposure) {
        snprintf(j->path, sizeof j->path, "%s/exposure.csv", j->dir);
        FILE *f = fopen(j->path, "w");
        if (f == NULL || fputs(csv ? csv : "", f) < 0 || fclose(f) != 0)
            st = cy_error_set(err, CY_EIO, "tmpfile", NULL,
                              "无法写入临时文件 / cannot write a temporary file");
    } else {
        snprintf(j->path, sizeof j->path, "%s/demo/portfolio.csv", app->cfg.data_dir);
    }
    json_decref(p);
    return st;
}

/* The rating model, the catalogue and the portfolio the job runs on. */
static cy_status_t
job_inputs(app_t *app, const job_t *job, sim_job_t *j, cy_error_t *err)
{
    char model_path[4096], cat_path[4096];
    snprintf(model_path, sizeof model_path, "%s/rating/model.json", app->cfg.data_dir);
    snprintf(cat_path, sizeof cat_path, "%s/catalogue", app->cfg.data_dir);
    cy_status_t st = rating_data_load(model_path, "rating/model.json", &j->rd, err);
    if (st == CY_OK && j->use_catalogue)
        st = catalogue_load(cat_path, &j->rd.model, &j->cat, err);
    if (st == CY_OK && j->in_force) {
        /* the book of the organisation that asked, as it stands when the job runs */
        actor_t owner = {.user_id = job->user_id, .org_id = job->org_id};
        st = job_actor(app, job, &owner, err);
        if (st == CY_OK)
            st = app_portfolio_in_force(app, &owner, job->now, &j->pf, err);
    } else if (st == CY_OK) {
        st = exposure_load(j->path, app->ref, &j->pf, err);
    }
    if (st == CY_OK && (double)j->years * (double)j->pf.n > (double)SIM_API_MAX_POLICY_YEARS)
        st = cy_error_set(err, CY_EINVAL, "too_large", "years",
                          "%" PRId64 " 年 × %zu 份保单超过上限 %lld / %" PRId64
                          " years × %zu policies exceed the limit of %lld policy-years",
                          j->years, j->pf.n, SIM_API_MAX_POLICY_YEARS, j->years, j->pf.n,
                          SIM_API_MAX_POLICY_YEARS);
    return st;
}

/* summary.json of the job's folder as the result, naming the portfolio as the client did. */
static cy_status_t
job_summary(const sim_job_t *j, char **result, cy_error_t *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.json", j->dir);
    json_error_t je;
    json_t *summary = json_load_file(path, 0, &je);
    if (summary == NULL)
        return cy_error_set(err, CY_EIO, "summary", NULL,
                            "无法读取模拟结果 / cannot read the simulation summary: %s", je.text);
    /* not by a path on this server */
    json_t *pf_json = json_object_get(summary, "portfolio");
    if (json_is_object(pf_json))
        json_object_set_new(pf_json, "source",
                            json_string(j->exposure   ? "exposure"
                                        : j->in_force ? "in_force"
                                                      : "demo"));
    *result = json_dumps(summary, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(summary);
    return CY_OK;
}

/* Run the Monte Carlo on the loaded inputs and write its files into the job's folder. */
static cy_status_t
job_run(app_t *app, const job_t *job, sim_job_t *j, progress_fwd_t *fwd, cy_error_t *err)
{
    sim_config_t cfg = {
        .portfolio = &j->pf,
        .model = &j->rd.model,
        .catalogue = j->use_catalogue ? &j->cat : NULL,
        .years = j->years,
        .seed = j->seed,
        .threads = 2,
        .max_mem = SIM_API_MAX_MEM,
        .progress = forward_progress,
        .progress_ctx = fwd,
        .stop = job->stopped,
    };
    sim_result_t *res = NULL;
    cy_status_t st = sim_run(&cfg, &res, err);
    sim_metrics_t m;
    if (st == CY_OK)
        st = sim_metrics(res, &m, err);
    if (st == CY_OK) {
        sim_output_t o = {res,          &m,       &j->pf, j->use_catalogue ? &j->cat : NULL,
                          &j->rd.model, app->ref, 10};
        st = sim_write(j->dir, &o, err);
    }
    sim_result_free(res);
    return st;
}

cy_status_t
app_simulation_job(app_t *app, const job_t *job, char **result,
                   void (*progress)(void *ctx, int permille), void *ctx, cy_error_t *err)
{
    *result = NULL;
    sim_job_t *j = calloc(1, sizeof *j);
    if (j == NULL)
        return cy_error_no_memory(err);
    snprintf(j->dir, sizeof j->dir, "/tmp/cyberins-sim-XXXXXX");
    if (mkdtemp(j->dir) == NULL) {
        free(j);
        return cy_error_set(err, CY_EIO, "tmpdir", NULL,
                            "无法创建临时目录 / cannot create a temporary folder");
    }
    progress_fwd_t fwd = {progress, ctx};
    cy_status_t st = job_params(app, job, j, err);
    if (st == CY_OK)
        st = job_inputs(app, job, j, err);
    if (st == CY_OK)
        st = job_run(app, job, j, &fwd, err);
    if (st == CY_OK)
        st = job_summary(j, result, err);
    sim_portfolio_free(&j->pf);
    sim_catalogue_free(&j->cat);
    remove_dir(j->dir);
    free(j);
    return st;
}
