/*
 * pilot.c — handlers of the pilot programme: parse the request, call
 * app/pilot.h, send its answer. The receipt time of a write is the server's
 * clock, or the X-Test-Now header when the server runs with --test-clock
 * (http_clock_now decides, in the server, for every request). Never
 * includes sqlite3 or libpq; no rule of the pilot lives here.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "http/http.h"
#include "app/pilot/pilot.h"

/* ---- shared steps ------------------------------------------------------- */

/* The receipt time of this request (http_clock_now, set by the server). */
static int
now_of(http_req_t *req, http_resp_t *resp, int64_t *now)
{
    (void)resp;
    *now = req->now;
    return 1;
}

static void
reply(http_resp_t *resp, cy_status_t st, const cy_error_t *err, int ok, json_t *out)
{
    if (st != CY_OK) {
        json_decref(out);
        http_reply_error(resp, err);
    } else {
        http_reply_json(resp, ok, out);
    }
}

static const char *
jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* ?round_id, ?status, ?annex, ?box, ?pilot_id, ?cursor, ?limit */
static int
filter_of(http_req_t *req, http_resp_t *resp, pilot_filter_t *f)
{
    int64_t annex, pilot_id;
    app_page_t pg;
    if (!http_page(req, resp, &pg) || !http_query_int(req, resp, "annex", 2, 4, 0, &annex) ||
        !http_query_int(req, resp, "pilot_id", 1, INT64_MAX, 0, &pilot_id))
        return 0;
    memset(f, 0, sizeof *f);
    f->round_id = http_query(req, "round_id");
    f->status = http_query(req, "status");
    f->box = http_query(req, "box");
    f->annex = (int)annex;
    f->pilot_id = pilot_id;
    f->cursor = pg.cursor;
    f->limit = pg.limit;
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
    if (st != CY_OK) {
        json_decref(items);
        http_reply_error_status(resp, st == CY_EINVAL ? 400 : http_status_of(st), &err);
        return;
    }
    http_reply_list(resp, items, next);
}

typedef cy_status_t (*get_fn)(app_t *, const actor_t *, int64_t, json_t **, cy_error_t *);

static void
get(http_req_t *req, http_resp_t *resp, get_fn fn)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = fn(req->app, &a, id, &out, &err);
    reply(resp, st, &err, 200, out);
}

/* An action on {id} with no body or a body of spec: the caller, id, body, now. */
static int
action(http_req_t *req, http_resp_t *resp, const http_field_t *spec, actor_t *a, int64_t *id,
       json_t **b, int64_t *now)
{
    *b = NULL;
    if (!http_auth(req, resp, a) || !http_path_id(req, resp, "id", id) || !now_of(req, resp, now))
        return 0;
    if (spec != NULL && !http_body(req, resp, spec, b))
        return 0;
    return 1;
}

/* ---- rounds ------------------------------------------------------------- */

static void
h_rounds_list(http_req_t *req, http_resp_t *resp)
{
    json_t *items = NULL;
    cy_error_t err;
    if (app_round_list(req->app, &items, &err) != CY_OK) {
        json_decref(items);
        http_reply_error(resp, &err);
        return;
    }
    http_reply_list(resp, items, 0);
}

static void
h_rounds_get(http_req_t *req, http_resp_t *resp)
{
    const char *id = http_param(req, "id");
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_round_get(req->app, id ? id : "", &out, &err);
    reply(resp, st, &err, 200, out);
}

/* ---- schemes ------------------------------------------------------------ */

#define N HTTP_NULLABLE
#define SCHEME_FORM_FIELDS                                                                         \
    {"name", JSON_STRING, N}, {"location", JSON_STRING, N}, {"leader_name", JSON_STRING, N},       \
        {"leader_title", JSON_STRING, N}, {"direction", JSON_STRING, N},                           \
        {"industry", JSON_STRING, N}, {"product", JSON_STRING, N},                                 \
        {"direction_note", JSON_STRING, N}, {"unit_intro", JSON_STRING, N},                        \
        {"overview", JSON_STRING, N}, {"joint_units", JSON_ARRAY, N}, {"body", JSON_OBJECT, N},    \
    {                                                                                              \
        "materials", JSON_OBJECT, N                                                                \
    }

static const http_field_t SCHEME_CREATE[] = {
    {"round_id", JSON_STRING, HTTP_REQUIRED}, SCHEME_FORM_FIELDS, {NULL, 0, 0}};
static const http_field_t SCHEME_PATCH[] = {SCHEME_FORM_FIELDS, {NULL, 0, 0}};
static const http_field_t CONFIRM[] = {{"legal_representative", JSON_STRING, HTTP_REQUIRED},
                                       {NULL, 0, 0}};

static void
h_schemes_list(http_req_t *req, http_resp_t *resp)
{
    list(req, resp, app_scheme_list);
}

static void
h_schemes_create(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t now;
    json_t *b;
    if (!http_auth(req, resp, &a) || !now_of(req, resp, &now) ||
        !http_body(req, resp, SCHEME_CREATE, &b))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_scheme_create(req->app, &a, b, now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 201, out);
}

static void
h_schemes_get(http_req_t *req, http_resp_t *resp)
{
    get(req, resp, app_scheme_get);
}

static void
h_schemes_update(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, SCHEME_PATCH, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_scheme_update(req->app, &a, id, b, now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 200, out);
}

static void
h_schemes_confirm(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, CONFIRM, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st =
        app_scheme_confirm(req->app, &a, id, jstr(b, "legal_representative"), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 200, out);
}

static void
h_schemes_submit(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, NULL, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_scheme_submit(req->app, &a, id, now, &out, &err);
    reply(resp, st, &err, 200, out);
}

static void
h_schemes_recommend(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"text", JSON_STRING, HTTP_REQUIRED}, {NULL, 0, 0}};
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, spec, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_scheme_recommend(req->app, &a, id, jstr(b, "text"), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 201, out);
}

static void
h_schemes_assign(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"user_id", JSON_INTEGER, HTTP_REQUIRED}, {NULL, 0, 0}};
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, spec, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_scheme_assign(
        req->app, &a, id, json_integer_value(json_object_get(b, "user_id")), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 201, out);
}

/* ---- reviews and the catalogue ----------------------------------------- */

static void
h_reviews_list(http_req_t *req, http_resp_t *resp)
{
    list(req, resp, app_review_list);
}

static void
h_reviews_get(http_req_t *req, http_resp_t *resp)
{
    get(req, resp, app_review_get);
}

static void
h_reviews_submit(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {
        {"scores", JSON_OBJECT, HTTP_REQUIRED}, {"comment", JSON_STRING, N}, {NULL, 0, 0}};
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, spec, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_review_submit(req->app, &a, id, json_object_get(b, "scores"),
                                       jstr(b, "comment"), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 200, out);
}

static void
h_catalogue_get(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    if (!http_auth(req, resp, &a))
        return;
    json_t *items = NULL;
    cy_error_t err;
    cy_status_t st = app_catalogue_get(req->app, &a, http_query(req, "round_id"), &items, &err);
    if (st != CY_OK) {
        json_decref(items);
        http_reply_error_status(resp, st == CY_EINVAL ? 400 : http_status_of(st), &err);
        return;
    }
    http_reply_list(resp, items, 0);
}

static void
h_catalogue_publish(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"round_id", JSON_STRING, HTTP_REQUIRED},
                                        {"scheme_ids", JSON_ARRAY, HTTP_REQUIRED},
                                        {NULL, 0, 0}};
    actor_t a;
    int64_t now;
    json_t *b;
    if (!http_auth(req, resp, &a) || !now_of(req, resp, &now) || !http_body(req, resp, spec, &b))
        return;
    json_t *items = NULL;
    cy_error_t err;
    cy_status_t st = app_catalogue_publish(req->app, &a, jstr(b, "round_id"),
                                           json_object_get(b, "scheme_ids"), now, &items, &err);
    json_decref(b);
    if (st != CY_OK) {
        json_decref(items);
        http_reply_error(resp, &err);
        return;
    }
    http_reply_json(resp, 201, json_pack("{s:o, s:n}", "items", items, "next"));
}

/* ---- plans -------------------------------------------------------------- */

#define PLAN_FORM_FIELDS                                                                           \
    {"name", JSON_STRING, N}, {"direction", JSON_STRING, N}, {"industry", JSON_STRING, N},         \
        {"product", JSON_STRING, N}, {"direction_note", JSON_STRING, N},                           \
        {"unit_intro", JSON_STRING, N}, {"joint_units", JSON_ARRAY, N},                            \
        {"leader", JSON_OBJECT, N}, {"contact", JSON_OBJECT, N}, {"sections", JSON_OBJECT, N},     \
        {"institutions", JSON_ARRAY, N}, {"targets", JSON_ARRAY, N},                               \
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
static const http_field_t COMMENT[] = {{"comment", JSON_STRING, HTTP_REQUIRED}, {NULL, 0, 0}};

static void
h_plans_list(http_req_t *req, http_resp_t *resp)
{
    list(req, resp, app_plan_list);
}

static void
h_plans_create(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t now;
    json_t *b;
    if (!http_auth(req, resp, &a) || !now_of(req, resp, &now) ||
        !http_body(req, resp, PLAN_CREATE, &b))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_plan_create(req->app, &a, b, now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 201, out);
}

static void
h_plans_get(http_req_t *req, http_resp_t *resp)
{
    get(req, resp, app_plan_get);
}

static void
h_plans_update(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, PLAN_PATCH, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_plan_update(req->app, &a, id, b, now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 200, out);
}

static void
h_plans_confirm(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, CONFIRM, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st =
        app_plan_confirm(req->app, &a, id, jstr(b, "legal_representative"), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 200, out);
}

static void
h_plans_submit(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, NULL, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_plan_submit(req->app, &a, id, now, &out, &err);
    reply(resp, st, &err, 200, out);
}

static void
h_plans_return(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, COMMENT, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_plan_return(req->app, &a, id, jstr(b, "comment"), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 200, out);
}

/* ---- packages ----------------------------------------------------------- */

static void
h_packages_list(http_req_t *req, http_resp_t *resp)
{
    list(req, resp, app_package_list);
}

static void
h_packages_create(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"round_id", JSON_STRING, HTTP_REQUIRED},
                                        {"plan_ids", JSON_ARRAY, HTTP_REQUIRED},
                                        {NULL, 0, 0}};
    actor_t a;
    int64_t now;
    json_t *b;
    if (!http_auth(req, resp, &a) || !now_of(req, resp, &now) || !http_body(req, resp, spec, &b))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_package_create(req->app, &a, jstr(b, "round_id"),
                                        json_object_get(b, "plan_ids"), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 201, out);
}

static void
h_packages_get(http_req_t *req, http_resp_t *resp)
{
    get(req, resp, app_package_get);
}

static void
h_packages_forward(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, NULL, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_package_forward(req->app, &a, id, now, &out, &err);
    reply(resp, st, &err, 200, out);
}

static void
h_packages_return(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, COMMENT, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_package_return(req->app, &a, id, jstr(b, "comment"), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 200, out);
}

/* ---- extensions --------------------------------------------------------- */

static void
h_extensions_list(http_req_t *req, http_resp_t *resp)
{
    list(req, resp, app_extension_list);
}

static void
h_extensions_create(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {
        {"round_id", JSON_STRING, HTTP_REQUIRED}, {"deadline", JSON_STRING, HTTP_REQUIRED},
        {"org_id", JSON_INTEGER, HTTP_REQUIRED},  {"until", JSON_STRING, HTTP_REQUIRED},
        {"reason", JSON_STRING, HTTP_REQUIRED},   {NULL, 0, 0}};
    actor_t a;
    int64_t now;
    json_t *b;
    if (!http_auth(req, resp, &a) || !now_of(req, resp, &now) || !http_body(req, resp, spec, &b))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_extension_grant(req->app, &a, jstr(b, "round_id"), jstr(b, "deadline"),
                                         json_integer_value(json_object_get(b, "org_id")),
                                         jstr(b, "until"), jstr(b, "reason"), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 201, out);
}

/* ---- pilots, reports, summaries ----------------------------------------- */

static void
h_pilots_list(http_req_t *req, http_resp_t *resp)
{
    list(req, resp, app_pilot_list);
}

static void
h_pilots_select(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"plan_id", JSON_INTEGER, HTTP_REQUIRED},
                                        {"start_date", JSON_STRING, HTTP_REQUIRED},
                                        {NULL, 0, 0}};
    actor_t a;
    int64_t now;
    json_t *b;
    if (!http_auth(req, resp, &a) || !now_of(req, resp, &now) || !http_body(req, resp, spec, &b))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st =
        app_pilot_select(req->app, &a, json_integer_value(json_object_get(b, "plan_id")),
                         jstr(b, "start_date"), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 201, out);
}

static void
h_pilots_get(http_req_t *req, http_resp_t *resp)
{
    get(req, resp, app_pilot_get);
}

static void
h_pilots_exit(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"reason", JSON_STRING, HTTP_REQUIRED}, {NULL, 0, 0}};
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, spec, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_pilot_exit(req->app, &a, id, jstr(b, "reason"), now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 200, out);
}

static void
h_reports_list(http_req_t *req, http_resp_t *resp)
{
    list(req, resp, app_report_list);
}

static void
h_reports_create(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"pilot_id", JSON_INTEGER, HTTP_REQUIRED},
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
    actor_t a;
    int64_t now;
    json_t *b;
    if (!http_auth(req, resp, &a) || !now_of(req, resp, &now) || !http_body(req, resp, spec, &b))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_report_create(req->app, &a, b, now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 201, out);
}

static void
h_summaries_list(http_req_t *req, http_resp_t *resp)
{
    list(req, resp, app_summary_list);
}

static void
h_summaries_create(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"round_id", JSON_STRING, HTTP_REQUIRED},
                                        {"level", JSON_STRING, HTTP_REQUIRED},
                                        {"pilot_id", JSON_INTEGER, N},
                                        {"progress", JSON_STRING, HTTP_REQUIRED},
                                        {"innovation", JSON_STRING, HTTP_REQUIRED},
                                        {"services", JSON_STRING, HTTP_REQUIRED},
                                        {NULL, 0, 0}};
    actor_t a;
    int64_t now;
    json_t *b;
    if (!http_auth(req, resp, &a) || !now_of(req, resp, &now) || !http_body(req, resp, spec, &b))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_summary_create(req->app, &a, b, now, &out, &err);
    json_decref(b);
    reply(resp, st, &err, 201, out);
}

static void
h_overdue_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t now;
    if (!http_auth(req, resp, &a) || !now_of(req, resp, &now))
        return;
    json_t *items = NULL;
    cy_error_t err;
    cy_status_t st = app_overdue_list(req->app, &a, http_query(req, "round_id"), now, &items, &err);
    if (st != CY_OK) {
        json_decref(items);
        http_reply_error_status(resp, st == CY_EINVAL ? 400 : http_status_of(st), &err);
        return;
    }
    http_reply_list(resp, items, 0);
}

static void
h_orgs_telecom(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"telecom_operator", JSON_TRUE, HTTP_REQUIRED},
                                        {NULL, 0, 0}};
    actor_t a;
    int64_t id, now;
    json_t *b;
    if (!action(req, resp, spec, &a, &id, &b, &now))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_telecom_set(
        req->app, &a, id, json_is_true(json_object_get(b, "telecom_operator")), &out, &err);
    json_decref(b);
    reply(resp, st, &err, 200, out);
}

/* ---- routes: the pilot programme: rounds, schemes, reviews, catalogue, plans, packages,
 * extensions, pilots, reports, summaries, overdue lists */

const http_route_t http_routes_pilot[] = {
    {"GET", "/api/v1/rounds", h_rounds_list},
    {"GET", "/api/v1/rounds/{id}", h_rounds_get},
    {"GET", "/api/v1/schemes", h_schemes_list},
    {"POST", "/api/v1/schemes", h_schemes_create},
    {"GET", "/api/v1/schemes/{id}", h_schemes_get},
    {"PATCH", "/api/v1/schemes/{id}", h_schemes_update},
    {"POST", "/api/v1/schemes/{id}/confirm", h_schemes_confirm},
    {"POST", "/api/v1/schemes/{id}/submit", h_schemes_submit},
    {"POST", "/api/v1/schemes/{id}/recommendations", h_schemes_recommend},
    {"POST", "/api/v1/schemes/{id}/reviewers", h_schemes_assign},
    {"GET", "/api/v1/reviews", h_reviews_list},
    {"GET", "/api/v1/reviews/{id}", h_reviews_get},
    {"PUT", "/api/v1/reviews/{id}", h_reviews_submit},
    {"GET", "/api/v1/catalogue", h_catalogue_get},
    {"POST", "/api/v1/catalogue", h_catalogue_publish},
    {"GET", "/api/v1/plans", h_plans_list},
    {"POST", "/api/v1/plans", h_plans_create},
    {"GET", "/api/v1/plans/{id}", h_plans_get},
    {"PATCH", "/api/v1/plans/{id}", h_plans_update},
    {"POST", "/api/v1/plans/{id}/confirm", h_plans_confirm},
    {"POST", "/api/v1/plans/{id}/submit", h_plans_submit},
    {"POST", "/api/v1/plans/{id}/return", h_plans_return},
    {"GET", "/api/v1/packages", h_packages_list},
    {"POST", "/api/v1/packages", h_packages_create},
    {"GET", "/api/v1/packages/{id}", h_packages_get},
    {"POST", "/api/v1/packages/{id}/forward", h_packages_forward},
    {"POST", "/api/v1/packages/{id}/return", h_packages_return},
    {"GET", "/api/v1/extensions", h_extensions_list},
    {"POST", "/api/v1/extensions", h_extensions_create},
    {"GET", "/api/v1/pilots", h_pilots_list},
    {"POST", "/api/v1/pilots", h_pilots_select},
    {"GET", "/api/v1/pilots/{id}", h_pilots_get},
    {"POST", "/api/v1/pilots/{id}/exit", h_pilots_exit},
    {"GET", "/api/v1/reports", h_reports_list},
    {"POST", "/api/v1/reports", h_reports_create},
    {"GET", "/api/v1/summaries", h_summaries_list},
    {"POST", "/api/v1/summaries", h_summaries_create},
    {"GET", "/api/v1/overdue", h_overdue_list},
    {"PUT", "/api/v1/organisations/{id}/telecom-operator", h_orgs_telecom},
    {NULL, NULL, NULL},
};
