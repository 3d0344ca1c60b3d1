/*
 * uw.c — the HTTP handlers of underwriting: parse (http_body_object for
 * the body's top level, query parameters), call app/uw.h, render. Every rule
 * lives in app/ and core/; a refusal comes back as the one error shape.
 * Never includes sqlite3 or libpq.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "app/uw/uw.h"

/* ---------- replies ---------- */

static void
reply(http_resp_t *resp, int status, json_t *j)
{
    http_reply_json(resp, status, j);
}

static void
reply_list(http_resp_t *resp, json_t *items, int64_t next)
{
    http_reply_list(resp, items, next);
}

/* A list's ?limit= and ?cursor=. */
static int
paging(http_req_t *req, http_resp_t *resp, int64_t *limit, int64_t *cursor)
{
    app_page_t pg;
    if (!http_page(req, resp, &pg))
        return 0;
    *limit = pg.limit;
    *cursor = pg.cursor;
    return 1;
}

/* Answer the app's result: 2xx with the record, or its refusal (422 for a rule, 400 for a query).
 */
static void
done(http_resp_t *resp, cy_status_t st, const cy_error_t *err, int status, json_t *out)
{
    if (st != CY_OK) {
        json_decref(out);
        http_reply_error(resp, err);
        return;
    }
    reply(resp, status, out);
}

#define N HTTP_NULLABLE
#define R HTTP_REQUIRED

/* ---------- products ---------- */

static const http_field_t PRODUCT_FIELDS[] = {
    {"name", JSON_STRING, 0},
    {"class", JSON_STRING, 0},
    {"target_industries", JSON_ARRAY, 0},
    {"product_type", JSON_STRING, N},
    {"description", JSON_STRING, 0},
    {"bi_waiting_hours", JSON_INTEGER, 0},
    {"retention_options", JSON_ARRAY, 0},
    {"limit_options", JSON_ARRAY, 0},
    {"minimum_premium", JSON_INTEGER, N},
    {"coverages", JSON_ARRAY, 0},
    {NULL, 0, 0},
};

static void
h_uw_products_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t limit, cursor;
    if (!http_auth(req, resp, &a) || !paging(req, resp, &limit, &cursor))
        return;
    json_t *items = NULL;
    int64_t next = 0;
    cy_error_t err;
    cy_status_t st = app_uw_product_list(req->app, &a, http_query(req, "status"), cursor,
                                         (int)limit, &items, &next, &err);
    if (st != CY_OK)
        http_reply_error_status(resp, st == CY_EINVAL ? 400 : http_status_of(st), &err);
    else
        reply_list(resp, items, next);
}

static void
h_uw_products_create(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_body(req, resp, PRODUCT_FIELDS, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_uw_product_create(req->app, &a, b, &out, &err);
    json_decref(b);
    done(resp, st, &err, 201, out);
}

static void
h_uw_product_get(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_uw_product_get(req->app, &a, id, &out, &err);
    done(resp, st, &err, 200, out);
}

static void
h_uw_product_update(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, PRODUCT_FIELDS, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_uw_product_update(req->app, &a, id, b, &out, &err);
    json_decref(b);
    done(resp, st, &err, 200, out);
}

static void
h_uw_product_filing(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {
        {"filing_no", JSON_STRING, R}, {"filing_date", JSON_STRING, R}, {NULL, 0, 0}};
    actor_t a;
    int64_t id;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, spec, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_uw_product_file(req->app, &a, id, b, &out, &err);
    json_decref(b);
    done(resp, st, &err, 200, out);
}

static void
h_uw_product_versions(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_uw_product_version(req->app, &a, id, &out, &err);
    done(resp, st, &err, 201, out);
}

/* The 单价保费及保额 table as CSV: one row per limit × grade × revenue band. */
static void
rate_table_csv(http_resp_t *resp, json_t *t)
{
    size_t cap = 256 + json_array_size(json_object_get(t, "rows")) * 128, n = 0;
    char *buf = malloc(cap);
    if (buf == NULL) {
        json_decref(t);
        cy_error_t e;
        cy_error_set(&e, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
        http_reply_error(resp, &e);
        return;
    }
    n += (size_t)snprintf(buf + n, cap - n,
                          "limit_fen,grade,revenue_band,rated_revenue_fen,premium_fen,"
                          "pure_premium_fen,rate_on_line,decision\n");
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(t, "rows"), i, r)
    {
        n += (size_t)snprintf(buf + n, cap - n,
                              "%" JSON_INTEGER_FORMAT ",%s,%s,%" JSON_INTEGER_FORMAT
                              ",%" JSON_INTEGER_FORMAT ",%" JSON_INTEGER_FORMAT ",%.6f,%s\n",
                              json_integer_value(json_object_get(r, "limit")),
                              json_string_value(json_object_get(r, "grade")),
                              json_string_value(json_object_get(r, "band")),
                              json_integer_value(json_object_get(r, "rated_revenue")),
                              json_integer_value(json_object_get(r, "premium")),
                              json_integer_value(json_object_get(r, "pure_premium")),
                              json_real_value(json_object_get(r, "rate_on_line")),
                              json_string_value(json_object_get(r, "decision")));
    }
    json_decref(t);
    http_reply_text(resp, 200, "text/csv; charset=utf-8", buf, n < cap ? n : cap - 1);
    resp->owned = 1;
}

static void
h_uw_product_rate_table(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    const char *format = http_query(req, "format");
    if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
        cy_error_t e;
        cy_error_set(&e, CY_EBADREQ, "query_invalid", "format",
                     "format 应为 json 或 csv / format must be json or csv");
        http_reply_error(resp, &e);
        return;
    }
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_uw_rate_table(req->app, &a, id, http_query(req, "industry"),
                                       http_query(req, "retention"), &out, &err);
    if (st != CY_OK)
        http_reply_error(resp, &err);
    else if (format != NULL && strcmp(format, "csv") == 0)
        rate_table_csv(resp, out);
    else
        reply(resp, 200, out);
}

/* ---------- questionnaire and assessments ---------- */

static void
h_uw_questionnaire(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    if (http_auth(req, resp, &a))
        reply(resp, 200, app_uw_questionnaire(req->app));
}

static const http_field_t ASSESS_FIELDS[] = {
    {"org_id", JSON_INTEGER, 0},
    {"target_industry", JSON_STRING, N},
    {"flags", JSON_ARRAY, 0},
    {"answers", JSON_OBJECT, 0},
    {"mlps", JSON_OBJECT, 0},
    {"dependencies", JSON_OBJECT, 0},
    {NULL, 0, 0},
};

static void
h_uw_assessments_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t limit, cursor, org;
    if (!http_auth(req, resp, &a) || !paging(req, resp, &limit, &cursor) ||
        !http_query_int(req, resp, "org_id", 0, INT64_MAX, 0, &org))
        return;
    json_t *items = NULL;
    int64_t next = 0;
    cy_error_t err;
    cy_status_t st =
        app_uw_assessment_list(req->app, &a, org, cursor, (int)limit, &items, &next, &err);
    if (st != CY_OK)
        http_reply_error(resp, &err);
    else
        reply_list(resp, items, next);
}

static void
h_uw_assessments_create(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_body(req, resp, ASSESS_FIELDS, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_uw_assessment_create(req->app, &a, b, &out, &err);
    json_decref(b);
    done(resp, st, &err, 201, out);
}

static void
h_uw_assessment_get(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_uw_assessment_get(req->app, &a, id, &out, &err);
    done(resp, st, &err, 200, out);
}

static void
h_uw_assessment_update(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, ASSESS_FIELDS, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_uw_assessment_update(req->app, &a, id, b, &out, &err);
    json_decref(b);
    done(resp, st, &err, 200, out);
}

static void
h_uw_assessment_findings(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"findings", JSON_ARRAY, 0},
                                        {"csv", JSON_STRING, 0},
                                        {"replace", JSON_TRUE, 0},
                                        {NULL, 0, 0}};
    actor_t a;
    int64_t id;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, spec, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_uw_assessment_findings(req->app, &a, id, b, &out, &err);
    json_decref(b);
    done(resp, st, &err, 200, out);
}

static void
h_uw_assessment_submit(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_uw_assessment_submit(req->app, &a, id, &out, &err);
    done(resp, st, &err, 200, out);
}

/* ---------- quotes ---------- */

static void
h_uw_quotes_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t limit, cursor;
    if (!http_auth(req, resp, &a) || !paging(req, resp, &limit, &cursor))
        return;
    json_t *items = NULL;
    int64_t next = 0;
    cy_error_t err;
    cy_status_t st = app_uw_quote_list(req->app, &a, http_query(req, "status"), cursor, (int)limit,
                                       &items, &next, &err);
    if (st != CY_OK)
        http_reply_error_status(resp, st == CY_EINVAL ? 400 : http_status_of(st), &err);
    else
        reply_list(resp, items, next);
}

static void
h_uw_quotes_create(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"product_id", JSON_INTEGER, R},
                                        {"indicative", JSON_TRUE, 0},
                                        {"org_id", JSON_INTEGER, 0},
                                        {"assessment_id", JSON_INTEGER, 0},
                                        {"industry", JSON_STRING, 0},
                                        {"revenue", JSON_INTEGER, R},
                                        {"gross_margin_bp", JSON_INTEGER, 0},
                                        {"aggregate_limit", JSON_INTEGER, R},
                                        {"retention", JSON_INTEGER, R},
                                        {"grade", JSON_STRING, 0},
                                        {"coverages", JSON_ARRAY, 0},
                                        {"start_date", JSON_STRING, 0},
                                        {NULL, 0, 0}};
    actor_t a;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_body(req, resp, spec, &b))
        return;
    cy_error_t err;
    int stored = 0;
    cy_status_t st = app_uw_quote_create(req->app, &a, b, &out, &stored, &err);
    json_decref(b);
    done(resp, st, &err, stored ? 201 : 200, out);
}

static void
h_uw_quote_get(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_uw_quote_get(req->app, &a, id, &out, &err);
    done(resp, st, &err, 200, out);
}

static void
h_uw_quote_referral(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {
        {"decision", JSON_STRING, R}, {"note", JSON_STRING, R}, {NULL, 0, 0}};
    actor_t a;
    int64_t id;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, spec, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_uw_quote_referral(req->app, &a, id, b, &out, &err);
    json_decref(b);
    done(resp, st, &err, 200, out);
}

static void
h_uw_quote_bind(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_uw_quote_bind(req->app, &a, id, &out, &err);
    done(resp, st, &err, 201, out);
}

/* ---------- policies ---------- */

static void
h_uw_policies_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t limit, cursor;
    if (!http_auth(req, resp, &a) || !paging(req, resp, &limit, &cursor))
        return;
    json_t *items = NULL;
    int64_t next = 0;
    cy_error_t err;
    cy_status_t st = app_uw_policy_list(req->app, &a, http_query(req, "status"), cursor, (int)limit,
                                        &items, &next, &err);
    if (st != CY_OK)
        http_reply_error_status(resp, st == CY_EINVAL ? 400 : http_status_of(st), &err);
    else
        reply_list(resp, items, next);
}

static void
h_uw_policy_get(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_uw_policy_get(req->app, &a, id, &out, &err);
    done(resp, st, &err, 200, out);
}

static void
h_uw_policy_endorsements(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"effective_date", JSON_STRING, R},
                                        {"aggregate_limit", JSON_INTEGER, R},
                                        {"note", JSON_STRING, 0},
                                        {NULL, 0, 0}};
    actor_t a;
    int64_t id;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, spec, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_uw_policy_endorse(req->app, &a, id, b, &out, &err);
    json_decref(b);
    done(resp, st, &err, 201, out);
}

static void
h_uw_policy_cancellation(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {
        {"effective_date", JSON_STRING, R}, {"note", JSON_STRING, 0}, {NULL, 0, 0}};
    actor_t a;
    int64_t id;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, spec, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_uw_policy_cancel(req->app, &a, id, b, &out, &err);
    json_decref(b);
    done(resp, st, &err, 200, out);
}

static void
h_uw_policy_renewal(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {
        {"assessment_id", JSON_INTEGER, R},   {"revenue", JSON_INTEGER, 0},
        {"gross_margin_bp", JSON_INTEGER, 0}, {"aggregate_limit", JSON_INTEGER, 0},
        {"retention", JSON_INTEGER, 0},       {NULL, 0, 0}};
    actor_t a;
    int64_t id;
    json_t *b, *out = NULL;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, spec, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_uw_policy_renew(req->app, &a, id, b, &out, &err);
    json_decref(b);
    done(resp, st, &err, 201, out);
}

/* ---- routes: underwriting: products, assessments, quotes, policies (a literal segment comes
 * before the {id} route of the same shape: the first match wins) */

const http_route_t http_routes_uw[] = {
    {"GET", "/api/v1/products", h_uw_products_list},
    {"POST", "/api/v1/products", h_uw_products_create},
    {"GET", "/api/v1/products/{id}", h_uw_product_get},
    {"PATCH", "/api/v1/products/{id}", h_uw_product_update},
    {"POST", "/api/v1/products/{id}/filing", h_uw_product_filing},
    {"POST", "/api/v1/products/{id}/versions", h_uw_product_versions},
    {"GET", "/api/v1/products/{id}/rate-table", h_uw_product_rate_table},
    {"GET", "/api/v1/assessments/questionnaire", h_uw_questionnaire},
    {"GET", "/api/v1/assessments", h_uw_assessments_list},
    {"POST", "/api/v1/assessments", h_uw_assessments_create},
    {"GET", "/api/v1/assessments/{id}", h_uw_assessment_get},
    {"PATCH", "/api/v1/assessments/{id}", h_uw_assessment_update},
    {"POST", "/api/v1/assessments/{id}/findings", h_uw_assessment_findings},
    {"POST", "/api/v1/assessments/{id}/submit", h_uw_assessment_submit},
    {"GET", "/api/v1/quotes", h_uw_quotes_list},
    {"POST", "/api/v1/quotes", h_uw_quotes_create},
    {"GET", "/api/v1/quotes/{id}", h_uw_quote_get},
    {"POST", "/api/v1/quotes/{id}/referral", h_uw_quote_referral},
    {"POST", "/api/v1/quotes/{id}/bind", h_uw_quote_bind},
    {"GET", "/api/v1/policies", h_uw_policies_list},
    {"GET", "/api/v1/policies/{id}", h_uw_policy_get},
    {"POST", "/api/v1/policies/{id}/endorsements", h_uw_policy_endorsements},
    {"POST", "/api/v1/policies/{id}/cancellation", h_uw_policy_cancellation},
    {"POST", "/api/v1/policies/{id}/renewal", h_uw_policy_renewal},
    {NULL, NULL, NULL},
};
