/*
 * pilot.c — handlers of the pilot programme: parse the request into the
 * typed input of an app/pilot.h use case, call it, send its answer (the
 * record, or the refusal with the status of its error). A route of a shape
 * of its own is an HTTP_ROUTE action (http_serve reads the caller, {id} and
 * body); the routes of the shapes many share (list, get, act, act_text,
 * patch, …) are one HANDLER line each over a helper that reads the request
 * in the same order.
 * The forms (scheme, plan, report, summary) go to app/ as the JSON objects
 * they are, checked there by the one form checker; everything else is read
 * here into plain values. The receipt time of a write is req->now. Never
 * includes sqlite3 or libpq; no rule of the pilot lives here.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "http/http.h"
#include "http/handlers.h"
#include "app/pilot/pilot.h"

/* ---- shared steps ------------------------------------------------------- */

static const char *
jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int64_t
jint(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* ?round_id, ?status, ?annex, ?box, ?pilot_id, ?cursor, ?limit */
static int
filter_of(http_req_t *req, http_resp_t *resp, pilot_filter_t *f)
{
    int64_t annex, pilot_id;
    memset(f, 0, sizeof *f);
    if (!http_page(req, resp, &f->page) || !http_query_int(req, resp, "annex", 2, 4, 0, &annex) ||
        !http_query_int(req, resp, "pilot_id", 1, INT64_MAX, 0, &pilot_id))
        return 0;
    f->round_id = http_query(req, "round_id");
    f->status = http_query(req, "status");
    f->box = http_query(req, "box");
    f->annex = (int)annex;
    f->pilot_id = pilot_id;
    return 1;
}

typedef cy_status_t (*list_fn)(app_t *, const actor_t *, const pilot_filter_t *, json_t **,
                               int64_t *, cy_error_t *);

static void
list(http_req_t *req, http_resp_t *resp, list_fn fn)
{
    actor_t a;
    pilot_filter_t f;
    if (!http_auth(req, resp, &a) || !filter_of(req, resp, &f))
        return;
    json_t *items = NULL;
    int64_t next = 0;
    cy_error_t err;
    cy_status_t st = fn(req->app, &a, &f, &items, &next, &err);
    http_answer_list(resp, st, &err, items, next);
}

/* GET …/{id} of a record of kind c->kind (a pilot_record_t). */
static cy_status_t
get(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_pilot_read(c->req->app, &c->a, (pilot_record_t)c->kind, c->id, &res->json, err);
}

HTTP_ROUTE(h_schemes_get, .with_id = 1, .kind = PILOT_SCHEME, .status = 200, .action = get)
HTTP_ROUTE(h_reviews_get, .with_id = 1, .kind = PILOT_REVIEW, .status = 200, .action = get)
HTTP_ROUTE(h_plans_get, .with_id = 1, .kind = PILOT_PLAN, .status = 200, .action = get)
HTTP_ROUTE(h_packages_get, .with_id = 1, .kind = PILOT_PACKAGE, .status = 200, .action = get)
HTTP_ROUTE(h_pilots_get, .with_id = 1, .kind = PILOT_PILOT, .status = 200, .action = get)

/* The caller and the {id} of the path, and the body of spec (none when spec is NULL). */
static int
on_id(http_req_t *req, http_resp_t *resp, const http_field_t *spec, actor_t *a, int64_t *id,
      json_t **b)
{
    *b = NULL;
    if (!http_auth(req, resp, a) || !http_path_id(req, resp, "id", id))
        return 0;
    return spec == NULL || http_body(req, resp, spec, b);
}

typedef cy_status_t (*act_fn)(app_t *, const actor_t *, int64_t now, int64_t id, json_t **,
                              cy_error_t *);

/* POST …/{id}/verb with no body: submit, forward. */
static void
act(http_req_t *req, http_resp_t *resp, act_fn fn)
{
    actor_t a;
    int64_t id;
    json_t *b;
    if (!on_id(req, resp, NULL, &a, &id, &b))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = fn(req->app, &a, req->now, id, &out, &err);
    http_answer(resp, st, &err, 200, out);
}

typedef cy_status_t (*text_fn)(app_t *, const actor_t *, int64_t now, int64_t id, const char *,
                               json_t **, cy_error_t *);

/* POST …/{id}/verb with one required text field (confirm, recommend, return, exit): status. */
static void
act_text(http_req_t *req, http_resp_t *resp, const char *field, int status, text_fn fn)
{
    const http_field_t spec[] = {{field, JSON_STRING, HTTP_REQUIRED}, {NULL, 0, 0}};
    actor_t a;
    int64_t id;
    json_t *b;
    if (!on_id(req, resp, spec, &a, &id, &b))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = fn(req->app, &a, req->now, id, jstr(b, field), &out, &err);
    json_decref(b);
    http_answer(resp, st, &err, status, out);
}

typedef cy_status_t (*form_fn)(app_t *, const actor_t *, int64_t now, int64_t id, json_t *,
                               json_t **, cy_error_t *);

/* PATCH …/{id} with fields of a form. */
static void
patch(http_req_t *req, http_resp_t *resp, const http_field_t *spec, form_fn fn)
{
    actor_t a;
    int64_t id;
    json_t *b;
    if (!on_id(req, resp, spec, &a, &id, &b))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = fn(req->app, &a, req->now, id, b, &out, &err);
    json_decref(b);
    http_answer(resp, st, &err, 200, out);
}

/* The ids at b[field]: positive integers (*ids malloc'd); 0 when answered 400 naming the item. */
static int
ids_of(http_resp_t *resp, json_t *b, const char *field, const char *what_en, int64_t **ids,
       size_t *n)
{
    json_t *arr = json_object_get(b, field);
    cy_error_t err;
    *n = json_array_size(arr);
    *ids = calloc(*n ? *n : 1, sizeof **ids);
    if (*ids == NULL)
        cy_error_no_memory(&err);
    for (size_t i = 0; *ids != NULL && i < *n; i++) {
        json_t *v = json_array_get(arr, i);
        (*ids)[i] = json_integer_value(v);
        if (!json_is_integer(v) || (*ids)[i] < 1) {
            char item[48];
            snprintf(item, sizeof item, "%s[%zu]", field, i);
            cy_error_set(&err, CY_EBADREQ, "wrong_type", item, "%s 应为方案编号 / %s must be %s",
                         item, item, what_en);
            free(*ids);
            *ids = NULL;
        }
    }
    if (*ids == NULL)
        http_reply_error(resp, &err);
    return *ids != NULL;
}

typedef cy_status_t (*ids_fn)(app_t *, const actor_t *, int64_t now, const char *round_id,
                              const int64_t *, size_t, json_t **, cy_error_t *);

/*
 * POST of ids of a round (a package's plan_ids, the catalogue's
 * scheme_ids): 201 with fn's answer, as a list when it is one.
 */
static void
round_ids(http_req_t *req, http_resp_t *resp, const char *field, const char *what_en, int list,
          ids_fn fn)
{
    const http_field_t spec[] = {
        {"round_id", JSON_STRING, HTTP_REQUIRED}, {field, JSON_ARRAY, HTTP_REQUIRED}, {NULL, 0, 0}};
    actor_t a;
    json_t *b, *out = NULL;
    int64_t *ids = NULL;
    size_t n;
    if (!http_auth(req, resp, &a) || !http_body(req, resp, spec, &b))
        return;
    if (ids_of(resp, b, field, what_en, &ids, &n)) {
        cy_error_t err;
        cy_status_t st = fn(req->app, &a, req->now, jstr(b, "round_id"), ids, n, &out, &err);
        if (st == CY_OK && list)
            out = json_pack("{s:o, s:n}", "items", out, "next");
        http_answer(resp, st, &err, 201, out);
    }
    free(ids);
    json_decref(b);
}

/* ---- rounds ------------------------------------------------------------- */

void
h_rounds_list(http_req_t *req, http_resp_t *resp)
{
    json_t *items = NULL;
    cy_error_t err;
    cy_status_t st = app_round_list(req->app, &items, &err);
    http_answer_list(resp, st, &err, items, 0);
}

void
h_rounds_get(http_req_t *req, http_resp_t *resp)
{
    const char *id = http_param(req, "id");
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_round_get(req->app, id ? id : "", &out, &err);
    http_answer(resp, st, &err, 200, out);
}

/* ---- schemes ------------------------------------------------------------ */

#define N HTTP_NULLABLE
#define SCHEME_FORM_FIELDS                                                                         \
    {"name", JSON_STRING, N}, {"location", JSON_STRING, N}, {"leader_name", JSON_STRING, N},       \
        {"leader_title", JSON_STRING, N}, {"direction", JSON_STRING, N},                           \
        {"industry", JSON_STRING, N}, {"product", JSON_STRING, N},                                 \
        {"direction_note", JSON_STRING, N}, {"unit_intro", JSON_STRING, N},                        \
        {"overview", JSON_STRING, N}, {"joint_units", JSON_ARRAY, N}, {"body", JSON_OBJECT, N},    \
        {"lead_info", JSON_OBJECT, N},                                                             \
    {                                                                                              \
        "materials", JSON_OBJECT, N                                                                \
    }

static const http_field_t SCHEME_CREATE[] = {
    {"round_id", JSON_STRING, HTTP_REQUIRED}, SCHEME_FORM_FIELDS, {NULL, 0, 0}};
static const http_field_t SCHEME_PATCH[] = {SCHEME_FORM_FIELDS, {NULL, 0, 0}};

static cy_status_t
schemes_create(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    /* the round is the scheme's; the rest of the body is its form */
    char *round_id = strdup(jstr(c->body, "round_id"));
    if (round_id == NULL)
        return cy_error_no_memory(err);
    json_object_del(c->body, "round_id");
    cy_status_t st =
        app_scheme_create(c->req->app, &c->a, c->req->now, round_id, c->body, &res->json, err);
    free(round_id);
    return st;
}

static const http_field_t ASSIGN_FIELDS[] = {{"user_id", JSON_INTEGER, HTTP_REQUIRED},
                                             {NULL, 0, 0}};

static cy_status_t
schemes_assign(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_scheme_assign(c->req->app, &c->a, c->req->now, c->id, jint(c->body, "user_id"),
                             &res->json, err);
}

/* A use case's whole list (next is null), or its refusal (the items released). */
static cy_status_t
all_items(cy_status_t st, json_t *items, http_result_t *res)
{
    if (st == CY_OK)
        res->json = http_list_json(items, 0);
    else
        json_decref(items);
    return st;
}

static cy_status_t
schemes_experts(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *items = NULL;
    cy_status_t st = app_scheme_experts(c->req->app, &c->a, c->id, &items, err);
    return all_items(st, items, res);
}

HTTP_ROUTE(h_schemes_create, .body = SCHEME_CREATE, .status = 201, .action = schemes_create)
HTTP_ROUTE(h_schemes_assign, .with_id = 1, .body = ASSIGN_FIELDS, .status = 201,
           .action = schemes_assign)
HTTP_ROUTE(h_schemes_experts, .with_id = 1, .status = 200, .action = schemes_experts)

/* POST …/{id}/waivers {rule, reason}: kind 1 a scheme, 2 a plan. */
static const http_field_t WAIVER_FIELDS[] = {
    {"rule", JSON_STRING, HTTP_REQUIRED}, {"reason", JSON_STRING, HTTP_REQUIRED}, {NULL, 0, 0}};

static cy_status_t
waiver(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_waiver_grant(c->req->app, &c->a, c->req->now, c->kind, c->id, jstr(c->body, "rule"),
                            jstr(c->body, "reason"), &res->json, err);
}

HTTP_ROUTE(h_schemes_waive, .with_id = 1, .kind = 1, .body = WAIVER_FIELDS, .status = 201,
           .action = waiver)
HTTP_ROUTE(h_plans_waive, .with_id = 1, .kind = 2, .body = WAIVER_FIELDS, .status = 201,
           .action = waiver)

/* ---- reviews and the catalogue ----------------------------------------- */

static const http_field_t REVIEW_FIELDS[] = {
    {"scores", JSON_OBJECT, HTTP_REQUIRED}, {"comment", JSON_STRING, N}, {NULL, 0, 0}};

static cy_status_t
reviews_submit(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_review_submit(c->req->app, &c->a, c->req->now, c->id,
                             json_object_get(c->body, "scores"), jstr(c->body, "comment"),
                             &res->json, err);
}

HTTP_ROUTE(h_reviews_submit, .with_id = 1, .body = REVIEW_FIELDS, .status = 200,
           .action = reviews_submit)

typedef cy_status_t (*round_fn)(app_t *, const actor_t *, const char *round_id, json_t **,
                                cy_error_t *);

/* GET of one list of ?round_id=: the catalogue, the 表2 offer. */
static void
by_round(http_req_t *req, http_resp_t *resp, round_fn fn)
{
    actor_t a;
    if (!http_auth(req, resp, &a))
        return;
    json_t *items = NULL;
    cy_error_t err;
    cy_status_t st = fn(req->app, &a, http_query(req, "round_id"), &items, &err);
    http_answer_list(resp, st, &err, items, 0);
}

/* ---- plans -------------------------------------------------------------- */

#define PLAN_FORM_FIELDS                                                                           \
    {"name", JSON_STRING, N}, {"direction", JSON_STRING, N}, {"industry", JSON_STRING, N},         \
        {"product", JSON_STRING, N}, {"direction_note", JSON_STRING, N},                           \
        {"unit_intro", JSON_STRING, N}, {"joint_units", JSON_ARRAY, N},                            \
        {"lead_info", JSON_OBJECT, N}, {"leader", JSON_OBJECT, N}, {"contact", JSON_OBJECT, N},    \
        {"sections", JSON_OBJECT, N}, {"institutions", JSON_ARRAY, N}, {"targets", JSON_ARRAY, N}, \
        {"scheme_table", JSON_ARRAY, N},                                                           \
    {                                                                                              \
        "schemes", JSON_ARRAY, N                                                                   \
    }

static const http_field_t PLAN_CREATE[] = {{"round_id", JSON_STRING, HTTP_REQUIRED},
                                           {"annex", JSON_INTEGER, HTTP_REQUIRED},
                                           {"catalogue_scheme_id", JSON_INTEGER, N},
                                           PLAN_FORM_FIELDS,
                                           {NULL, 0, 0}};
static const http_field_t PLAN_PATCH[] = {PLAN_FORM_FIELDS, {NULL, 0, 0}};

static cy_status_t
plans_create(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    /* the round, the annex and Annex 3's catalogued scheme are the plan's; the rest its form */
    json_t *b = c->body;
    char *round_id = strdup(jstr(b, "round_id"));
    if (round_id == NULL)
        return cy_error_no_memory(err);
    pilot_draft_t in = {round_id, (int)jint(b, "annex"), jint(b, "catalogue_scheme_id"), b};
    json_object_del(b, "round_id");
    json_object_del(b, "annex");
    json_object_del(b, "catalogue_scheme_id");
    cy_status_t st = app_plan_create(c->req->app, &c->a, c->req->now, &in, &res->json, err);
    free(round_id);
    return st;
}

HTTP_ROUTE(h_plans_create, .body = PLAN_CREATE, .status = 201, .action = plans_create)

/* ---- extensions --------------------------------------------------------- */

/* POST of an extension (kind 1: a grant names org_id, may answer request_id) or of a request. */
static const http_field_t EXTENSION_ASKED[] = {{"round_id", JSON_STRING, HTTP_REQUIRED},
                                               {"deadline", JSON_STRING, HTTP_REQUIRED},
                                               {"until", JSON_STRING, HTTP_REQUIRED},
                                               {"reason", JSON_STRING, HTTP_REQUIRED},
                                               {NULL, 0, 0}};
static const http_field_t EXTENSION_GRANTED[] = {{"round_id", JSON_STRING, HTTP_REQUIRED},
                                                 {"deadline", JSON_STRING, HTTP_REQUIRED},
                                                 {"org_id", JSON_INTEGER, HTTP_REQUIRED},
                                                 {"until", JSON_STRING, HTTP_REQUIRED},
                                                 {"reason", JSON_STRING, HTTP_REQUIRED},
                                                 {"request_id", JSON_INTEGER, N},
                                                 {NULL, 0, 0}};

static cy_status_t
extension(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *b = c->body;
    pilot_extension_in_t in = {jstr(b, "round_id"), jstr(b, "deadline"), jint(b, "org_id"),
                               jstr(b, "until"),    jstr(b, "reason"),   jint(b, "request_id")};
    return (c->kind ? app_extension_grant : app_extension_ask)(c->req->app, &c->a, c->req->now, &in,
                                                               &res->json, err);
}

HTTP_ROUTE(h_extensions_create, .kind = 1, .body = EXTENSION_GRANTED, .status = 201,
           .action = extension)
HTTP_ROUTE(h_extension_ask, .kind = 0, .body = EXTENSION_ASKED, .status = 201, .action = extension)

/* ---- pilots, reports, summaries ----------------------------------------- */

static const http_field_t SELECT_FIELDS[] = {{"plan_id", JSON_INTEGER, HTTP_REQUIRED},
                                             {"start_date", JSON_STRING, HTTP_REQUIRED},
                                             {NULL, 0, 0}};

static cy_status_t
pilots_select(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_pilot_select(c->req->app, &c->a, c->req->now, jint(c->body, "plan_id"),
                            jstr(c->body, "start_date"), &res->json, err);
}

/* GET /api/v1/pilots/{id}/figures?period=: what a progress report starts from. */
static cy_status_t
pilot_figures(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_pilot_figures(c->req->app, &c->a, c->req->now, c->id, http_query(c->req, "period"),
                             &res->json, err);
}

HTTP_ROUTE(h_pilots_select, .body = SELECT_FIELDS, .status = 201, .action = pilots_select)
HTTP_ROUTE(h_pilots_figures, .with_id = 1, .status = 200, .action = pilot_figures)

static const http_field_t REPORT_FIELDS[] = {{"pilot_id", JSON_INTEGER, HTTP_REQUIRED},
                                             {"period", JSON_STRING, HTTP_REQUIRED},
                                             {"insured_enterprises", JSON_INTEGER, HTTP_REQUIRED},
                                             {"policies", JSON_INTEGER, HTTP_REQUIRED},
                                             {"premium_fen", JSON_INTEGER, HTTP_REQUIRED},
                                             {"sum_insured_fen", JSON_INTEGER, HTTP_REQUIRED},
                                             {"assessments", JSON_INTEGER, HTTP_REQUIRED},
                                             {"alerts", JSON_INTEGER, HTTP_REQUIRED},
                                             {"incidents", JSON_INTEGER, HTTP_REQUIRED},
                                             {"claims_paid_fen", JSON_INTEGER, HTTP_REQUIRED},
                                             {"text", JSON_STRING, HTTP_REQUIRED},
                                             {NULL, 0, 0}};

static cy_status_t
reports_create(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_report_create(c->req->app, &c->a, c->req->now, c->body, &res->json, err);
}

static const http_field_t SUMMARY_FIELDS[] = {{"round_id", JSON_STRING, HTTP_REQUIRED},
                                              {"level", JSON_STRING, HTTP_REQUIRED},
                                              {"pilot_id", JSON_INTEGER, N},
                                              {"progress", JSON_STRING, HTTP_REQUIRED},
                                              {"innovation", JSON_STRING, HTTP_REQUIRED},
                                              {"services", JSON_STRING, HTTP_REQUIRED},
                                              {"sections", JSON_OBJECT, N},
                                              {NULL, 0, 0}};

static cy_status_t
summaries_create(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_summary_create(c->req->app, &c->a, c->req->now, c->body, &res->json, err);
}

static cy_status_t
overdue_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *items = NULL;
    cy_status_t st = app_overdue_list(c->req->app, &c->a, c->req->now,
                                      http_query(c->req, "round_id"), &items, err);
    return all_items(st, items, res);
}

static cy_status_t
todo(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_pilot_todo(c->req->app, &c->a, c->req->now, &res->json, err);
}

static const http_field_t TELECOM_FIELDS[] = {{"telecom_operator", JSON_TRUE, HTTP_REQUIRED},
                                              {NULL, 0, 0}};

static cy_status_t
orgs_telecom(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_telecom_set(c->req->app, &c->a, c->req->now, c->id,
                           json_is_true(json_object_get(c->body, "telecom_operator")), &res->json,
                           err);
}

HTTP_ROUTE(h_reports_create, .body = REPORT_FIELDS, .status = 201, .action = reports_create)
HTTP_ROUTE(h_summaries_create, .body = SUMMARY_FIELDS, .status = 201, .action = summaries_create)
HTTP_ROUTE(h_overdue_list, .status = 200, .action = overdue_list)
HTTP_ROUTE(h_todo, .status = 200, .action = todo)
HTTP_ROUTE(h_orgs_telecom, .with_id = 1, .body = TELECOM_FIELDS, .status = 200,
           .action = orgs_telecom)

/* ---- the handlers of one shape ----------------------------------------- */

/* HANDLER(name, shape, …): the handler that is that shape applied to …. */
#define HANDLER(name, shape, ...)                                                                  \
    void name(http_req_t *req, http_resp_t *resp)                                                  \
    {                                                                                              \
        shape(req, resp, __VA_ARGS__);                                                             \
    }

HANDLER(h_schemes_list, list, app_scheme_list)
HANDLER(h_schemes_update, patch, SCHEME_PATCH, app_scheme_update)
HANDLER(h_schemes_confirm, act_text, "legal_representative", 200, app_scheme_confirm)
HANDLER(h_schemes_submit, act, app_scheme_submit)
HANDLER(h_schemes_recommend, act_text, "text", 201, app_scheme_recommend)
HANDLER(h_reviews_list, list, app_review_list)
HANDLER(h_catalogue_publish, round_ids, "scheme_ids", "a scheme id", 1, app_catalogue_publish)
HANDLER(h_plans_list, list, app_plan_list)
HANDLER(h_plans_update, patch, PLAN_PATCH, app_plan_update)
HANDLER(h_plans_confirm, act_text, "legal_representative", 200, app_plan_confirm)
HANDLER(h_plans_submit, act, app_plan_submit)
HANDLER(h_plans_return, act_text, "comment", 200, app_plan_return)
HANDLER(h_packages_list, list, app_package_list)
HANDLER(h_packages_create, round_ids, "plan_ids", "a plan id", 0, app_package_create)
HANDLER(h_packages_forward, act, app_package_forward)
HANDLER(h_packages_return, act_text, "comment", 200, app_package_return)
HANDLER(h_extensions_list, list, app_extension_list)
HANDLER(h_pilots_list, list, app_pilot_list)
HANDLER(h_pilots_exit, act_text, "reason", 200, app_pilot_exit)
HANDLER(h_reports_list, list, app_report_list)
HANDLER(h_summaries_list, list, app_summary_list)
HANDLER(h_summaries_forward, act, app_summary_forward)
HANDLER(h_catalogue_get, by_round, app_catalogue_get)
HANDLER(h_plan_targets, by_round, app_plan_targets)
HANDLER(h_extension_requests_list, list, app_extension_request_list)
HANDLER(h_extension_decline, act_text, "answer", 200, app_extension_decline)
