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

static cy_status_t
sim_not_found(int64_t id, cy_error_t *err)
{
    return cy_error_set(err, CY_ENOTFOUND, "not_found", "id",
                        "模拟 %" PRId64 " 不存在 / simulation %" PRId64 " not found", id, id);
}

/* ---------- create ---------- */

typedef struct {
    const actor_t *actor;
    const char *params;
    int64_t *id;
} sim_create_t;

static cy_status_t
sim_create_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    sim_create_t *s = arg;
    cy_status_t st = app_job_enqueue(c, s->actor, "simulation", s->params, s->id, err);
    if (st != CY_OK)
        return st;
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, *s->id);
    return app_audit_append(c, s->actor, app_now(), "simulation.create", "simulation", id, err,
                            "发起组合累积模拟 / started a portfolio simulation");
}

cy_status_t
app_sim_create(app_t *app, const actor_t *actor, const sim_request_t *req, int64_t *id,
               cy_error_t *err)
{
    if (actor->cli || !authz_allowed(actor->org_type, actor->role, ACT_SIM_RUN))
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "无权发起组合模拟 / not allowed to run portfolio simulations");
    if (req->years < 1 || req->years > SIM_API_MAX_YEARS)
        return cy_error_set(err, CY_EINVAL, "years_range", "years",
                            "模拟年数应为 1 到 %d / years must be from 1 to %d", SIM_API_MAX_YEARS,
                            SIM_API_MAX_YEARS);
    int demo = req->portfolio && strcmp(req->portfolio, "demo") == 0;
    int exposure = req->portfolio && strcmp(req->portfolio, "exposure") == 0;
    int in_force = req->portfolio && strcmp(req->portfolio, "in_force") == 0;
    if (!demo && !exposure && !in_force)
        return cy_error_set(err, CY_EINVAL, "portfolio_unknown", "portfolio",
                            "portfolio 应为 demo、exposure 或 in_force / portfolio must be demo, "
                            "exposure or in_force");
    if (exposure && (req->exposure_csv == NULL || req->exposure_csv[0] == '\0'))
        return cy_error_set(err, CY_EINVAL, "missing_field", "exposure_csv",
                            "portfolio 为 exposure 时须提供 exposure_csv / exposure_csv is "
                            "required when portfolio is exposure");
    if (!exposure && req->exposure_csv != NULL)
        return cy_error_set(err, CY_EINVAL, "exposure_unexpected", "exposure_csv",
                            "只有 exposure 组合接受 exposure_csv / only the exposure portfolio "
                            "takes exposure_csv");
    json_t *p =
        json_pack("{s:I, s:I, s:s, s:b}", "years", (json_int_t)req->years, "seed",
                  (json_int_t)req->seed, "portfolio", req->portfolio, "catalogue", req->catalogue);
    if (exposure)
        json_object_set_new(p, "exposure_csv", json_string(req->exposure_csv));
    char *params = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    if (params == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    sim_create_t s = {actor, params, id};
    cy_status_t st = store_tx(app->store, sim_create_tx, &s, err);
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

static void
view_from_row(store_rows_t *r, sim_view_t *v, int full)
{
    memset(v, 0, sizeof *v);
    v->id = store_rows_int(r, 0);
    v->org_id = store_rows_int(r, 1);
    v->user_id = store_rows_int(r, 2);
    snprintf(v->status, sizeof v->status, "%s", store_rows_text(r, 3));
    v->progress = (int)store_rows_int(r, 4);
    const char *t;
    if ((t = store_rows_text(r, 5)) != NULL)
        snprintf(v->created_at, sizeof v->created_at, "%s", t);
    if ((t = store_rows_text(r, 6)) != NULL)
        snprintf(v->started_at, sizeof v->started_at, "%s", t);
    if ((t = store_rows_text(r, 7)) != NULL)
        snprintf(v->finished_at, sizeof v->finished_at, "%s", t);
    v->error = dup_or_null(store_rows_text(r, 8));
    if (full) {
        v->params = dup_or_null(store_rows_text(r, 9));
        v->result = dup_or_null(store_rows_text(r, 10));
    }
}

#define SIM_COLS "id, org_id, user_id, status, progress, created_at, started_at, finished_at, error"

cy_status_t
app_sim_get(app_t *app, const actor_t *actor, int64_t id, sim_view_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_SIM_READ))
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "无权查看组合模拟 / not allowed to read simulations");
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
    if (!found || !sim_visible(actor, out->org_id)) {
        app_sim_view_free(out);
        return sim_not_found(id, err);
    }
    /* the exposure a client sent is its own data: it goes back only to its organisation */
    return CY_OK;
}

cy_status_t
app_sim_list(app_t *app, const actor_t *actor, int limit, sim_view_fn fn, void *arg,
             cy_error_t *err)
{
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_SIM_READ))
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "无权查看组合模拟 / not allowed to read simulations");
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
            authz_org_type_parse(store_rows_text(r, 0), &a->org_type))
            st = cy_error_set(err, CY_EIO, "job_owner", NULL,
                              "任务所属机构不存在 / the job's organisation is gone");
        else
            snprintf(a->region, sizeof a->region, "%s", store_rows_text(r, 1));
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

cy_status_t
app_simulation_job(app_t *app, const job_t *job, char **result,
                   void (*progress)(void *ctx, int permille), void *ctx, cy_error_t *err)
{
    *result = NULL;
    json_error_t je;
    json_t *p = json_loads(job->params, JSON_REJECT_DUPLICATES, &je);
    if (p == NULL)
        return cy_error_set(err, CY_EINVAL, "params", NULL,
                            "任务参数损坏 / job parameters are "
                            "corrupt");
    int64_t years = json_integer_value(json_object_get(p, "years"));
    uint64_t seed = (uint64_t)json_integer_value(json_object_get(p, "seed"));
    int use_catalogue = json_is_true(json_object_get(p, "catalogue"));
    const char *portfolio = json_string_value(json_object_get(p, "portfolio"));
    const char *csv = json_string_value(json_object_get(p, "exposure_csv"));
    int exposure = portfolio && strcmp(portfolio, "exposure") == 0;
    int in_force = portfolio && strcmp(portfolio, "in_force") == 0;

    char dir[] = "/tmp/cyberins-sim-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        json_decref(p);
        return cy_error_set(err, CY_EIO, "tmpdir", NULL,
                            "无法创建临时目录 / cannot create a "
                            "temporary folder");
    }
    char path[4096];
    const char *data = app->cfg.data_dir;
    cy_status_t st = CY_OK;
    if (exposure) {
        snprintf(path, sizeof path, "%s/exposure.csv", dir);
        FILE *f = fopen(path, "w");
        if (f == NULL || fputs(csv ? csv : "", f) < 0 || fclose(f) != 0)
            st = cy_error_set(err, CY_EIO, "tmpfile", NULL,
                              "无法写入临时文件 / cannot write a temporary file");
    } else {
        snprintf(path, sizeof path, "%s/demo/portfolio.csv", data);
    }
    json_decref(p);

    rating_data_t rd;
    sim_catalogue_t cat = {0};
    sim_portfolio_t pf = {0};
    sim_result_t *res = NULL;
    char model_path[4096], cat_path[4096];
    snprintf(model_path, sizeof model_path, "%s/rating/model.json", data);
    snprintf(cat_path, sizeof cat_path, "%s/catalogue", data);
    if (st == CY_OK)
        st = rating_data_load(model_path, "rating/model.json", &rd, err);
    if (st == CY_OK && use_catalogue)
        st = catalogue_load(cat_path, &rd.model, &cat, err);
    if (st == CY_OK && in_force) {
        /* the book of the organisation that asked, as it stands when the job runs */
        actor_t owner = {.user_id = job->user_id, .org_id = job->org_id};
        st = job_actor(app, job, &owner, err);
        if (st == CY_OK)
            st = app_portfolio_in_force(app, &owner, &pf, err);
    } else if (st == CY_OK) {
        st = exposure_load(path, app->ref, &pf, err);
    }
    progress_fwd_t fwd = {progress, ctx};
    sim_config_t cfg = {
        .portfolio = &pf,
        .model = &rd.model,
        .catalogue = use_catalogue ? &cat : NULL,
        .years = years,
        .seed = seed,
        .threads = 2,
        .max_mem = SIM_API_MAX_MEM,
        .progress = forward_progress,
        .progress_ctx = &fwd,
    };
    if (st == CY_OK && (double)years * (double)pf.n > (double)SIM_API_MAX_POLICY_YEARS)
        st = cy_error_set(err, CY_EINVAL, "too_large", "years",
                          "%" PRId64 " 年 × %zu 份保单超过上限 %lld / %" PRId64
                          " years × %zu policies exceed the limit of %lld policy-years",
                          years, pf.n, SIM_API_MAX_POLICY_YEARS, years, pf.n,
                          SIM_API_MAX_POLICY_YEARS);
    if (st == CY_OK)
        st = sim_run(&cfg, &res, err);
    sim_metrics_t m;
    if (st == CY_OK)
        st = sim_metrics(res, &m, err);
    if (st == CY_OK) {
        sim_output_t o = {res, &m, &pf, use_catalogue ? &cat : NULL, &rd.model, app->ref, 10};
        st = sim_write(dir, &o, err);
    }
    if (st == CY_OK) {
        snprintf(path, sizeof path, "%s/summary.json", dir);
        json_t *summary = json_load_file(path, 0, &je);
        if (summary == NULL)
            st = cy_error_set(err, CY_EIO, "summary", NULL,
                              "无法读取模拟结果 / cannot read the "
                              "simulation summary: %s",
                              je.text);
        else {
            /* name the portfolio as the client did, not by a path on this server */
            json_t *pf_json = json_object_get(summary, "portfolio");
            if (json_is_object(pf_json))
                json_object_set_new(pf_json, "source",
                                    json_string(exposure   ? "exposure"
                                                : in_force ? "in_force"
                                                           : "demo"));
            *result = json_dumps(summary, JSON_COMPACT | JSON_REAL_PRECISION(15));
        }
        json_decref(summary);
    }
    sim_result_free(res);
    sim_portfolio_free(&pf);
    sim_catalogue_free(&cat);
    remove_dir(dir);
    return st;
}
