/*
 * sim.c — POST /api/v1/simulations queues a run (202), GET polls it and
 * fetches its results. Parse, call app/, render. Never includes sqlite3 or
 * libpq.
 */

#include <string.h>

#include "http/http.h"
#include "http/handlers.h"
#include "app/sim/simulation.h"

static json_t *
view_json(const sim_view_t *v)
{
    json_t *j = json_pack("{s:I, s:I, s:I, s:s, s:f, s:s}", "id", (json_int_t)v->id, "org_id",
                          (json_int_t)v->org_id, "user_id", (json_int_t)v->user_id, "status",
                          v->status, "progress", v->progress / 1000.0, "created_at", v->created_at);
    json_object_set_new(j, "started_at",
                        v->started_at[0] ? json_string(v->started_at) : json_null());
    json_object_set_new(j, "finished_at",
                        v->finished_at[0] ? json_string(v->finished_at) : json_null());
    if (v->params != NULL) { /* a whole simulation, not a list item */
        json_object_set_new(j, "params", json_loads(v->params, 0, NULL));
        json_object_set_new(j, "result", v->result ? json_loads(v->result, 0, NULL) : json_null());
    }
    json_object_set_new(j, "error", v->error ? json_string(v->error) : json_null());
    return j;
}

static const http_field_t SIM_FIELDS[] = {{"years", JSON_INTEGER, HTTP_REQUIRED},
                                          {"seed", JSON_INTEGER, HTTP_REQUIRED},
                                          {"portfolio", JSON_STRING, HTTP_REQUIRED},
                                          {"exposure_csv", JSON_STRING, 0},
                                          {"catalogue", JSON_TRUE, 0},
                                          {NULL, 0, 0}};

/* A simulation queued: 202 with the job as it stands. */
static cy_status_t
sims_create(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *b = c->body;
    json_int_t seed = json_integer_value(json_object_get(b, "seed"));
    json_t *cat = json_object_get(b, "catalogue");
    sim_request_t r = {
        .years = json_integer_value(json_object_get(b, "years")),
        .seed = (uint64_t)seed,
        .portfolio = json_string_value(json_object_get(b, "portfolio")),
        .exposure_csv = json_string_value(json_object_get(b, "exposure_csv")),
        .catalogue = cat == NULL || json_is_true(cat),
    };
    int64_t id = 0;
    cy_status_t st = seed < 0 ? cy_error_set(err, CY_EINVAL, "seed_negative", "seed",
                                             "随机种子不能为负 / seed must not be negative")
                              : app_sim_create(c->req->app, &c->a, c->req->now, &r, &id, err);
    sim_view_t v;
    if (st == CY_OK)
        st = app_sim_get(c->req->app, &c->a, id, &v, err);
    if (st == CY_OK) {
        res->json = view_json(&v);
        app_sim_view_free(&v);
    }
    return st;
}

typedef struct {
    json_t *items;
} list_t;

static void
item(const sim_view_t *v, void *arg)
{
    json_array_append_new(((list_t *)arg)->items, view_json(v));
}

static cy_status_t
sims_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    list_t l = {json_array()};
    cy_status_t st = app_sim_list(c->req->app, &c->a, c->page.limit, item, &l, err);
    res->json = http_list_json(l.items, 0);
    return st;
}

static cy_status_t
sims_get(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    sim_view_t v;
    cy_status_t st = app_sim_get(c->req->app, &c->a, c->id, &v, err);
    if (st == CY_OK) {
        res->json = view_json(&v);
        app_sim_view_free(&v);
    }
    return st;
}

HTTP_ROUTE(h_sims_create, .body = SIM_FIELDS, .status = 202, .action = sims_create)
HTTP_ROUTE(h_sims_list, .paged = 1, .status = 200, .action = sims_list)
HTTP_ROUTE(h_sims_get, .with_id = 1, .status = 200, .action = sims_get)
