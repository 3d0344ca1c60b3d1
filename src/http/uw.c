/*
 * uw.c — the HTTP routes of underwriting: each reads its request (the
 * caller, the {id}, the body's top level by its field list, query
 * parameters), calls one use case of app/uw/uw.h at the request's time
 * (req->now) and answers; the JSON mapping is uw_json.c's. Every rule lives
 * in app/ and core/; a refusal comes back as the one error shape. Never
 * includes sqlite3 or libpq.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/http.h"
#include "http/uw_json.h"
#include "http/handlers.h"

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
    {"liability_trigger", JSON_STRING, 0},
    {"retro_date", JSON_STRING, N},
    {NULL, 0, 0},
};

static const http_field_t FILING_FIELDS[] = {
    {"filing_no", JSON_STRING, R}, {"filing_date", JSON_STRING, R}, {NULL, 0, 0}};

static cy_status_t
products_list(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_product_list_t l;
    cy_status_t st = app_uw_product_list(c->req->app, &c->a, c->req->now,
                                         http_query(c->req, "status"), &c->page, &l, err);
    if (st == CY_OK)
        ans->json = http_list_json(uwj_products(&l), l.next);
    uw_product_list_free(&l);
    return st;
}

static cy_status_t
products_create(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_product_in_t in;
    uw_product_t p;
    uwj_product_in(c->body, &in);
    cy_status_t st = app_uw_product_create(c->req->app, &c->a, c->req->now, &in, &p, err);
    ans->json = st == CY_OK ? uwj_product(&p) : NULL;
    return st;
}

static cy_status_t
product_get(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_product_t p;
    cy_status_t st = app_uw_product_get(c->req->app, &c->a, c->req->now, c->id, &p, err);
    ans->json = st == CY_OK ? uwj_product(&p) : NULL;
    return st;
}

static cy_status_t
product_update(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_product_in_t in;
    uw_product_t p;
    uwj_product_in(c->body, &in);
    cy_status_t st = app_uw_product_update(c->req->app, &c->a, c->req->now, c->id, &in, &p, err);
    ans->json = st == CY_OK ? uwj_product(&p) : NULL;
    return st;
}

static cy_status_t
product_filing(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_filing_in_t in;
    uw_product_t p;
    uwj_filing_in(c->body, &in);
    cy_status_t st = app_uw_product_file(c->req->app, &c->a, c->req->now, c->id, &in, &p, err);
    ans->json = st == CY_OK ? uwj_product(&p) : NULL;
    return st;
}

static cy_status_t
product_versions(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_product_t p;
    cy_status_t st = app_uw_product_version(c->req->app, &c->a, c->req->now, c->id, &p, err);
    ans->json = st == CY_OK ? uwj_product(&p) : NULL;
    return st;
}

/* The workbook of table t: written to a file of our own, read back, removed. */
static cy_status_t
rate_table_xlsx(const uw_rate_table_t *t, http_result_t *ans, cy_error_t *err)
{
    char path[] = "/tmp/cyberins-rate-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return cy_error_set(err, CY_EIO, "io_error", NULL,
                            "无法生成表格文件 / the workbook could not be written");
    close(fd);
    cy_status_t st = app_uw_rate_table_xlsx(t, path, err);
    FILE *f = st == CY_OK ? fopen(path, "rb") : NULL;
    if (st == CY_OK && f == NULL)
        st = cy_error_set(err, CY_EIO, "io_error", NULL,
                          "无法读取表格文件 / the workbook could not be read");
    if (f != NULL) {
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        rewind(f);
        ans->body = n > 0 ? malloc((size_t)n) : NULL;
        if (ans->body == NULL || fread(ans->body, 1, (size_t)n, f) != (size_t)n)
            st = cy_error_no_memory(err);
        ans->body_len = (size_t)n;
        fclose(f);
    }
    unlink(path);
    ans->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    return st;
}

/* The 单价保费及保额 table, as JSON or (?format=csv|xlsx) one row per limit × grade × band. */
static cy_status_t
product_rate_table(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    const char *format = http_query(c->req, "format");
    if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
        strcmp(format, "xlsx") != 0)
        return cy_error_set(err, CY_EBADREQ, "query_invalid", "format",
                            "format 应为 json、csv 或 xlsx / format must be json, csv or xlsx");
    uw_rate_table_t t;
    cy_status_t st =
        app_uw_rate_table(c->req->app, &c->a, c->req->now, c->id, http_query(c->req, "industry"),
                          http_query(c->req, "retention"), &t, err);
    if (st == CY_OK && format != NULL && strcmp(format, "csv") == 0) {
        ans->body = uwj_rate_table_csv(&t, &ans->body_len);
        ans->content_type = "text/csv; charset=utf-8";
        if (ans->body == NULL)
            st = cy_error_no_memory(err);
    } else if (st == CY_OK && format != NULL && strcmp(format, "xlsx") == 0) {
        st = rate_table_xlsx(&t, ans, err);
    } else if (st == CY_OK) {
        ans->json = uwj_rate_table(&t);
    }
    uw_rate_table_free(&t);
    return st;
}

HTTP_ROUTE(h_uw_products_list, .paged = 1, .status = 200, .action = products_list)
HTTP_ROUTE(h_uw_products_create, .body = PRODUCT_FIELDS, .status = 201, .action = products_create)
HTTP_ROUTE(h_uw_product_get, .with_id = 1, .status = 200, .action = product_get)
HTTP_ROUTE(h_uw_product_update, .with_id = 1, .body = PRODUCT_FIELDS, .status = 200,
           .action = product_update)
HTTP_ROUTE(h_uw_product_filing, .with_id = 1, .body = FILING_FIELDS, .status = 200,
           .action = product_filing)
HTTP_ROUTE(h_uw_product_versions, .with_id = 1, .status = 201, .action = product_versions)
HTTP_ROUTE(h_uw_product_rate_table, .with_id = 1, .status = 200, .action = product_rate_table)

/* ---------- questionnaire and assessments ---------- */

static const http_field_t ASSESS_FIELDS[] = {
    {"org_id", JSON_INTEGER, 0},         {"from_assessment_id", JSON_INTEGER, 0},
    {"target_industry", JSON_STRING, N}, {"flags", JSON_ARRAY, 0},
    {"answers", JSON_OBJECT, 0},         {"mlps", JSON_OBJECT, 0},
    {"dependencies", JSON_OBJECT, 0},    {NULL, 0, 0},
};

static const http_field_t FINDINGS_FIELDS[] = {
    {"findings", JSON_ARRAY, 0}, {"csv", JSON_STRING, 0}, {"replace", JSON_TRUE, 0}, {NULL, 0, 0}};

static cy_status_t
questionnaire(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    (void)err;
    ans->json = uwj_questionnaire(app_uw_questionnaire(c->req->app));
    return CY_OK;
}

static cy_status_t
assessment_answer(cy_status_t st, uw_assessment_t *a, http_result_t *ans)
{
    if (st == CY_OK)
        ans->json = uwj_assessment(a, &ans->docs);
    uw_assessment_free(a);
    return st;
}

static cy_status_t
assessments_list(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_assessment_list_t l;
    cy_status_t st =
        app_uw_assessment_list(c->req->app, &c->a, c->req->now, c->query_id, &c->page, &l, err);
    if (st == CY_OK)
        ans->json = http_list_json(uwj_assessments(&l), l.next);
    uw_assessment_list_free(&l);
    return st;
}

static cy_status_t
assessments_create(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_assessment_in_t in;
    uw_assessment_t a;
    uwj_lists_t l = {0};
    cy_status_t st = uwj_assessment_in(c->body, &in, &l)
                         ? app_uw_assessment_create(c->req->app, &c->a, c->req->now, &in, &a, err)
                         : cy_error_no_memory(err);
    uwj_lists_free(&l);
    return assessment_answer(st, &a, ans);
}

static cy_status_t
assessment_get(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_assessment_t a;
    return assessment_answer(app_uw_assessment_get(c->req->app, &c->a, c->req->now, c->id, &a, err),
                             &a, ans);
}

static cy_status_t
assessment_update(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_assessment_in_t in;
    uw_assessment_t a;
    uwj_lists_t l = {0};
    cy_status_t st =
        uwj_assessment_in(c->body, &in, &l)
            ? app_uw_assessment_update(c->req->app, &c->a, c->req->now, c->id, &in, &a, err)
            : cy_error_no_memory(err);
    uwj_lists_free(&l);
    return assessment_answer(st, &a, ans);
}

static cy_status_t
assessment_findings(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_findings_in_t in;
    uw_assessment_t a;
    uwj_lists_t l = {0};
    cy_status_t st =
        uwj_findings_in(c->body, &in, &l)
            ? app_uw_assessment_findings(c->req->app, &c->a, c->req->now, c->id, &in, &a, err)
            : cy_error_no_memory(err);
    uwj_lists_free(&l);
    return assessment_answer(st, &a, ans);
}

static cy_status_t
assessment_submit(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_assessment_t a;
    return assessment_answer(
        app_uw_assessment_submit(c->req->app, &c->a, c->req->now, c->id, &a, err), &a, ans);
}

HTTP_ROUTE(h_uw_questionnaire, .status = 200, .action = questionnaire)
HTTP_ROUTE(h_uw_assessments_list, .paged = 1, .query_id = "org_id", .status = 200,
           .action = assessments_list)
HTTP_ROUTE(h_uw_assessments_create, .body = ASSESS_FIELDS, .status = 201,
           .action = assessments_create)
HTTP_ROUTE(h_uw_assessment_get, .with_id = 1, .status = 200, .action = assessment_get)
HTTP_ROUTE(h_uw_assessment_update, .with_id = 1, .body = ASSESS_FIELDS, .status = 200,
           .action = assessment_update)
HTTP_ROUTE(h_uw_assessment_findings, .with_id = 1, .body = FINDINGS_FIELDS, .status = 200,
           .action = assessment_findings)
HTTP_ROUTE(h_uw_assessment_submit, .with_id = 1, .status = 200, .action = assessment_submit)

/* ---------- quotes ---------- */

static const http_field_t QUOTE_FIELDS[] = {{"product_id", JSON_INTEGER, R},
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

static const http_field_t REFERRAL_FIELDS[] = {
    {"decision", JSON_STRING, R}, {"note", JSON_STRING, R}, {NULL, 0, 0}};

static cy_status_t
quote_answer(cy_status_t st, uw_quote_t *q, http_result_t *ans)
{
    if (st == CY_OK)
        ans->json = uwj_quote(q, &ans->docs);
    uw_quote_free(q);
    return st;
}

static cy_status_t
quotes_list(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_quote_list_t l;
    cy_status_t st = app_uw_quote_list(c->req->app, &c->a, c->req->now,
                                       http_query(c->req, "status"), &c->page, &l, err);
    if (st == CY_OK)
        ans->json = http_list_json(uwj_quotes(&l), l.next);
    uw_quote_list_free(&l);
    return st;
}

/* An indicative price (200, nothing stored) or an application (201, the quote). */
static cy_status_t
quotes_create(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_quote_in_t in;
    uwj_lists_t l = {0};
    int indicative = 0;
    cy_status_t st = uwj_quote_in(c->body, &in, &indicative, &l) ? CY_OK : cy_error_no_memory(err);
    if (st == CY_OK && indicative) {
        uw_indicative_t q;
        st = app_uw_quote_price(c->req->app, &c->a, c->req->now, &in, &q, err);
        if (st == CY_OK && (ans->body = uwj_indicative_text(&q)) == NULL)
            st = cy_error_no_memory(err);
        if (st == CY_OK) {
            ans->body_len = strlen(ans->body);
            ans->content_type = "application/json; charset=utf-8";
        }
        uw_indicative_free(&q);
        ans->status = 200;
    } else if (st == CY_OK) {
        uw_quote_t q;
        st = quote_answer(app_uw_quote_apply(c->req->app, &c->a, c->req->now, &in, &q, err), &q,
                          ans);
    }
    uwj_lists_free(&l);
    return st;
}

static cy_status_t
quote_get(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_quote_t q;
    return quote_answer(app_uw_quote_get(c->req->app, &c->a, c->req->now, c->id, &q, err), &q, ans);
}

static cy_status_t
quote_referral(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_referral_in_t in;
    uw_quote_t q;
    uwj_referral_in(c->body, &in);
    return quote_answer(app_uw_quote_referral(c->req->app, &c->a, c->req->now, c->id, &in, &q, err),
                        &q, ans);
}

static cy_status_t
policy_answer(cy_status_t st, uw_policy_t *y, http_result_t *ans)
{
    if (st == CY_OK)
        ans->json = uwj_policy(y, &ans->docs);
    uw_policy_free(y);
    return st;
}

/*
 * Binding takes no body, or {"pilot_id", "scheme_id", "reason"}: the pilot the policy is
 * written under (an empty body is the binding alone).
 */
static const http_field_t BIND_FIELDS[] = {{"pilot_id", JSON_INTEGER, HTTP_REQUIRED},
                                           {"scheme_id", JSON_INTEGER, HTTP_NULLABLE},
                                           {"reason", JSON_STRING, 0},
                                           {NULL, 0, 0}};

static cy_status_t
quote_bind(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    json_t *b = NULL;
    cy_status_t st = c->req->body_len > 0 ? http_body_object(c->req, BIND_FIELDS, &b, err) : CY_OK;
    if (st != CY_OK)
        return st;
    uw_attribution_in_t pilot = {
        .pilot_id = json_integer_value(json_object_get(b, "pilot_id")),
        .scheme_id = json_integer_value(json_object_get(b, "scheme_id")),
        .reason = json_string_value(json_object_get(b, "reason")),
    };
    uw_policy_t y;
    st = policy_answer(
        app_uw_quote_bind_under(c->req->app, &c->a, c->req->now, c->id, &pilot, &y, err), &y, ans);
    json_decref(b);
    return st;
}

HTTP_ROUTE(h_uw_quotes_list, .paged = 1, .status = 200, .action = quotes_list)
HTTP_ROUTE(h_uw_quotes_create, .body = QUOTE_FIELDS, .status = 201, .action = quotes_create)
HTTP_ROUTE(h_uw_quote_get, .with_id = 1, .status = 200, .action = quote_get)
HTTP_ROUTE(h_uw_quote_referral, .with_id = 1, .body = REFERRAL_FIELDS, .status = 200,
           .action = quote_referral)
HTTP_ROUTE(h_uw_quote_bind, .with_id = 1, .status = 201, .action = quote_bind)

/* ---------- policies ---------- */

static const http_field_t ENDORSE_FIELDS[] = {
    {"effective_date", JSON_STRING, 0}, {"aggregate_limit", JSON_INTEGER, N},
    {"retention", JSON_INTEGER, N},     {"coverages", JSON_ARRAY, 0},
    {"industry", JSON_STRING, N},       {"region_code", JSON_STRING, N},
    {"revenue", JSON_INTEGER, N},       {"gross_margin_bp", JSON_INTEGER, N},
    {"dependencies", JSON_OBJECT, 0},   {"note", JSON_STRING, 0},
    {"preview", JSON_TRUE, 0},          {NULL, 0, 0}};

static const http_field_t CANCEL_FIELDS[] = {{"effective_date", JSON_STRING, 0},
                                             {"reason", JSON_STRING, 0},
                                             {"note", JSON_STRING, 0},
                                             {"preview", JSON_TRUE, 0},
                                             {NULL, 0, 0}};

static const http_field_t RENEW_FIELDS[] = {
    {"assessment_id", JSON_INTEGER, 0},   {"revenue", JSON_INTEGER, 0},
    {"gross_margin_bp", JSON_INTEGER, 0}, {"aggregate_limit", JSON_INTEGER, 0},
    {"retention", JSON_INTEGER, 0},       {NULL, 0, 0}};

static const http_field_t ATTRIBUTE_FIELDS[] = {{"pilot_id", JSON_INTEGER, HTTP_REQUIRED},
                                                {"scheme_id", JSON_INTEGER, HTTP_NULLABLE},
                                                {"reason", JSON_STRING, HTTP_REQUIRED},
                                                {NULL, 0, 0}};

static cy_status_t
policies_list(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_policy_list_t l;
    cy_status_t st = app_uw_policy_list(c->req->app, &c->a, c->req->now,
                                        http_query(c->req, "status"), &c->page, &l, err);
    if (st == CY_OK)
        ans->json = http_list_json(uwj_policies(&l, &ans->docs), l.next);
    uw_policy_list_free(&l);
    return st;
}

static cy_status_t
policy_get(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_policy_t y;
    return policy_answer(app_uw_policy_get(c->req->app, &c->a, c->req->now, c->id, &y, err), &y,
                         ans);
}

/* A change (201), or its preview (200: priced, nothing stored). */
static cy_status_t
policy_endorsements(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_endorse_in_t in;
    uw_policy_t y;
    uwj_endorse_in(c->body, &in);
    if (in.preview)
        ans->status = 200;
    cy_status_t st = policy_answer(
        app_uw_policy_endorse(c->req->app, &c->a, c->req->now, c->id, &in, &y, err), &y, ans);
    if (st == CY_OK && in.preview)
        json_object_set_new(ans->json, "preview", json_true());
    return st;
}

static cy_status_t
policy_cancellation(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_cancel_in_t in;
    uw_policy_t y;
    uwj_cancel_in(c->body, &in);
    cy_status_t st = policy_answer(
        app_uw_policy_cancel(c->req->app, &c->a, c->req->now, c->id, &in, &y, err), &y, ans);
    if (st == CY_OK && in.preview)
        json_object_set_new(ans->json, "preview", json_true());
    return st;
}

static cy_status_t
policy_renewal_options(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_renewal_options_t o;
    cy_status_t st = app_uw_renewal_options(c->req->app, &c->a, c->req->now, c->id, &o, err);
    if (st == CY_OK)
        ans->json = uwj_renewal_options(&o);
    uw_renewal_options_free(&o);
    return st;
}

static cy_status_t
policy_renewal(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_renew_in_t in;
    uw_quote_t q;
    uwj_renew_in(c->body, &in);
    return quote_answer(app_uw_policy_renew(c->req->app, &c->a, c->req->now, c->id, &in, &q, err),
                        &q, ans);
}

/* The pilot (and catalogued scheme) a policy was written under, with the reason. */
static cy_status_t
policy_attribute(http_call_t *c, http_result_t *ans, cy_error_t *err)
{
    uw_attribution_in_t in = {
        .pilot_id = json_integer_value(json_object_get(c->body, "pilot_id")),
        .scheme_id = json_integer_value(json_object_get(c->body, "scheme_id")),
        .reason = json_string_value(json_object_get(c->body, "reason")),
    };
    uw_policy_t y;
    return policy_answer(
        app_uw_policy_attribute(c->req->app, &c->a, c->req->now, c->id, &in, &y, err), &y, ans);
}

HTTP_ROUTE(h_uw_policies_list, .paged = 1, .status = 200, .action = policies_list)
HTTP_ROUTE(h_uw_policy_get, .with_id = 1, .status = 200, .action = policy_get)
HTTP_ROUTE(h_uw_policy_endorsements, .with_id = 1, .body = ENDORSE_FIELDS, .status = 201,
           .action = policy_endorsements)
HTTP_ROUTE(h_uw_policy_attribute, .with_id = 1, .body = ATTRIBUTE_FIELDS, .status = 200,
           .action = policy_attribute)
HTTP_ROUTE(h_uw_policy_cancellation, .with_id = 1, .body = CANCEL_FIELDS, .status = 200,
           .action = policy_cancellation)
HTTP_ROUTE(h_uw_policy_renewal, .with_id = 1, .body = RENEW_FIELDS, .status = 201,
           .action = policy_renewal)
HTTP_ROUTE(h_uw_policy_renewal_options, .with_id = 1, .status = 200,
           .action = policy_renewal_options)
