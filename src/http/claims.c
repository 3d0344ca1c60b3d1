/*
 * claims.c — the HTTP routes of claims: incidents (first notice), claims and
 * what the parties do on them, the response tasks, the insurer's panel, the
 * figures and the rules a form needs. Each is served by http_serve (the
 * caller, the path ids, the body's top level by its field list, the page
 * read by HTTP_ROUTE's spec); its action reads any query parameter, calls
 * one use case of app/claims/claims.h at the request's time and answers;
 * the JSON mapping is claims_json.c's. Never includes sqlite3 or libpq.
 */
#include <string.h>

#include "core/bjtime.h"
#include "app/blob/blob.h"
#include "http/claims_json.h"
#include "http/handlers.h"

#define R HTTP_REQUIRED

/* The claim as the caller sees it after a use case on it, or the refusal. */
static cy_status_t
claim_answer(cy_status_t st, claims_claim_t *c, http_result_t *res)
{
    if (st == CY_OK)
        res->json = cj_claim(c);
    claims_claim_free(c);
    return st;
}

/* ---------- incidents ---------- */

static const http_field_t NOTICE_FIELDS[] = {
    {"org_id", JSON_INTEGER, 0},     {"incident_type", JSON_STRING, R},
    {"occurred_at", JSON_STRING, 0}, {"discovered_at", JSON_STRING, R},
    {"reported_at", JSON_STRING, 0}, {"description", JSON_STRING, R},
    {"systems", JSON_ARRAY, 0},      {"data_affected", JSON_STRING, 0},
    {"estimates", JSON_ARRAY, 0},    {"policy_ids", JSON_ARRAY, 0},
    {"preview", JSON_TRUE, 0},       {NULL, 0, 0}};

/* A first notice (201), or with preview what it would find (200). */
static cy_status_t
incidents_create(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_notice_in_t in;
    cj_lists_t l;
    claims_incident_t out;
    memset(&out, 0, sizeof out);
    cy_status_t st = cj_notice_in(c->body, &in, &l, err);
    if (st == CY_OK)
        st = claims_notice(c->req->app, &c->a, c->req->now, &in, &out, err);
    if (st == CY_OK) {
        res->json = cj_incident(&out);
        res->status = in.preview ? 200 : 201;
    }
    return st;
}

static cy_status_t
incidents_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_incident_list_t l;
    cy_status_t st = claims_incident_list(c->req->app, &c->a, c->req->now, &c->page, &l, err);
    if (st == CY_OK)
        res->json = http_list_json(cj_incidents(&l), l.next);
    claims_incident_list_free(&l);
    return st;
}

static cy_status_t
incident_get(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_incident_t i;
    cy_status_t st = claims_incident_get(c->req->app, &c->a, c->req->now, c->id, &i, err);
    if (st == CY_OK)
        res->json = cj_incident(&i);
    return st;
}

HTTP_ROUTE(h_incidents_list, .paged = 1, .status = 200, .action = incidents_list)
HTTP_ROUTE(h_incidents_create, .body = NOTICE_FIELDS, .status = 201, .action = incidents_create)
HTTP_ROUTE(h_incident_get, .with_id = 1, .status = 200, .action = incident_get)

/* ---------- claims ---------- */

static cy_status_t
claim_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_claim_list_t l;
    cy_status_t st = claims_list(c->req->app, &c->a, c->req->now, http_query(c->req, "status"),
                                 &c->page, &l, err);
    if (st == CY_OK)
        res->json = http_list_json(cj_claims(&l), l.next);
    claims_claim_list_free(&l);
    return st;
}

static cy_status_t
claim_get(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    return claim_answer(claims_get(c->req->app, &c->a, c->req->now, c->id, &out, err), &out, res);
}

static cy_status_t
claim_rules(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    (void)err;
    res->json = cj_rules(claims_rules(c->req->app));
    return CY_OK;
}

/* ?from= and ?to= as Beijing dates or times (bjtime_parse); absent: open. */
static cy_status_t
query_time(http_req_t *req, const char *name, int64_t *out, cy_error_t *err)
{
    const char *s = http_query(req, name);
    *out = 0;
    if (s == NULL || bjtime_parse(s, out, err) == CY_OK)
        return CY_OK;
    return cy_error_set(err, CY_EBADREQ, "query_invalid", name,
                        "%s 应为日期或时间（北京时间） / %s must be a date or time (Beijing)", name,
                        name);
}

static cy_status_t
claim_figures(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    static const char *const BY[] = {"policy", "insurer", "region", "industry"};
    claims_figures_in_t in = {.by = CLAIMS_BY_INSURER};
    cy_status_t st = query_time(c->req, "from", &in.from, err);
    if (st == CY_OK)
        st = query_time(c->req, "to", &in.to, err);
    if (st != CY_OK)
        return st;
    const char *by = http_query(c->req, "by");
    if (by != NULL) {
        in.by = (claims_by_t)-1;
        for (int i = 0; i < 4; i++)
            if (strcmp(by, BY[i]) == 0)
                in.by = (claims_by_t)i;
    }
    claims_figures_t f;
    st = claims_figures(c->req->app, &c->a, c->req->now, &in, &f, err);
    if (st == CY_OK)
        res->json = cj_figures(&f);
    claims_figures_free(&f);
    return st;
}

HTTP_ROUTE(h_claims_list, .paged = 1, .status = 200, .action = claim_list)
HTTP_ROUTE(h_claims_rules, .status = 200, .action = claim_rules)
HTTP_ROUTE(h_claims_figures, .status = 200, .action = claim_figures)
HTTP_ROUTE(h_claim_get, .with_id = 1, .status = 200, .action = claim_get)

/* ---------- the timeline and the response ---------- */

static const http_field_t NOTE_FIELDS[] = {{"kind", JSON_STRING, 0},
                                           {"text", JSON_STRING, R},
                                           {"to_insured", JSON_TRUE, 0},
                                           {"to_responder", JSON_TRUE, 0},
                                           {NULL, 0, 0}};

static cy_status_t
claim_note(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_note_in_t in;
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    cj_note_in(c->body, &in);
    return claim_answer(claims_note(c->req->app, &c->a, c->req->now, c->id, &in, &out, err), &out,
                        res);
}

static const http_field_t ASSIGN_FIELDS[] = {{"service_org_id", JSON_INTEGER, R},
                                             {"service", JSON_STRING, R},
                                             {"hourly_rate", JSON_INTEGER, 0},
                                             {"note", JSON_STRING, 0},
                                             {NULL, 0, 0}};

static cy_status_t
claim_assign(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_assign_in_t in;
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    cj_assign_in(c->body, &in);
    return claim_answer(claims_assign(c->req->app, &c->a, c->req->now, c->id, &in, &out, err), &out,
                        res);
}

static const http_field_t TASK_FIELDS[] = {{"assignment_id", JSON_INTEGER, 0},
                                           {"title", JSON_STRING, 0},
                                           {"detail", JSON_STRING, 0},
                                           {"minutes", JSON_INTEGER, 0},
                                           {"expenses", JSON_INTEGER, 0},
                                           {"status", JSON_STRING, 0},
                                           {NULL, 0, 0}};

static cy_status_t
claim_task_add(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_task_in_t in;
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    cj_task_in(c->body, &in);
    return claim_answer(claims_task_add(c->req->app, &c->a, c->req->now, c->id, &in, &out, err),
                        &out, res);
}

/* A task of the claim ({sub}) changed. */
static cy_status_t
claim_task_update(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_task_in_t in;
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    cj_task_in(c->body, &in);
    return claim_answer(
        claims_task_update(c->req->app, &c->a, c->req->now, c->id, c->sub, &in, &out, err), &out,
        res);
}

static cy_status_t
claims_tasks_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_task_list_t l;
    cy_status_t st = claims_tasks(c->req->app, &c->a, c->req->now, http_query(c->req, "status"),
                                  &c->page, &l, err);
    if (st == CY_OK)
        res->json = http_list_json(cj_tasks(&l), l.next);
    claims_task_list_free(&l);
    return st;
}

HTTP_ROUTE(h_claim_timeline, .with_id = 1, .body = NOTE_FIELDS, .status = 201, .action = claim_note)
HTTP_ROUTE(h_claim_assignments, .with_id = 1, .body = ASSIGN_FIELDS, .status = 201,
           .action = claim_assign)
HTTP_ROUTE(h_claim_tasks, .with_id = 1, .body = TASK_FIELDS, .status = 201,
           .action = claim_task_add)
HTTP_ROUTE(h_claim_task_update, .with_id = 1, .sub = "sub", .body = TASK_FIELDS, .status = 200,
           .action = claim_task_update)
HTTP_ROUTE(h_claims_tasks_list, .paged = 1, .status = 200, .action = claims_tasks_list)

/* ---------- liability, line items, settlement ---------- */

static const http_field_t LIABILITY_FIELDS[] = {
    {"war", JSON_TRUE, 0},        {"infrastructure", JSON_TRUE, 0}, {"intentional", JSON_TRUE, 0},
    {"exploited", JSON_ARRAY, 0}, {"note", JSON_STRING, 0},         {NULL, 0, 0}};

static cy_status_t
claim_liability(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_liability_in_t in;
    cj_lists_t l;
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    cy_status_t st = cj_liability_in(c->body, &in, &l, err);
    if (st == CY_OK)
        st = claims_liability(c->req->app, &c->a, c->req->now, c->id, &in, &out, err);
    return claim_answer(st, &out, res);
}

static const http_field_t LINE_ITEM_FIELDS[] = {{"coverage", JSON_STRING, R},
                                                {"description", JSON_STRING, R},
                                                {"amount", JSON_INTEGER, R},
                                                {"outage_minutes", JSON_INTEGER, 0},
                                                {"hourly_gross_profit", JSON_INTEGER, 0},
                                                {"documents", JSON_STRING, 0},
                                                {NULL, 0, 0}};

static cy_status_t
claim_line_item(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_line_item_in_t in;
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    cj_line_item_in(c->body, &in);
    return claim_answer(
        claims_line_item_add(c->req->app, &c->a, c->req->now, c->id, &in, &out, err), &out, res);
}

/* A line item of the claim ({sub}) removed. */
static cy_status_t
claim_line_item_delete(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    return claim_answer(
        claims_line_item_delete(c->req->app, &c->a, c->req->now, c->id, c->sub, &out, err), &out,
        res);
}

static const http_field_t SETTLE_FIELDS[] = {{"preview", JSON_TRUE, 0}, {NULL, 0, 0}};

/* The settlement: the claim as settled (201), or with preview its computation only (200). */
static cy_status_t
claim_settlement(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_settle_in_t in = {json_is_true(json_object_get(c->body, "preview"))};
    claims_settlement_t s;
    claims_claim_t out;
    memset(&s, 0, sizeof s);
    cy_status_t st = claims_settle(c->req->app, &c->a, c->req->now, c->id, &in, &s, &out, err);
    if (st == CY_OK)
        res->json = in.preview ? cj_settlement(&s) : cj_claim(&out);
    if (in.preview)
        res->status = 200;
    claims_settlement_free(&s);
    claims_claim_free(&out);
    return st;
}

HTTP_ROUTE(h_claim_liability, .with_id = 1, .body = LIABILITY_FIELDS, .status = 201,
           .action = claim_liability)
HTTP_ROUTE(h_claim_line_items, .with_id = 1, .body = LINE_ITEM_FIELDS, .status = 201,
           .action = claim_line_item)
HTTP_ROUTE(h_claim_line_item_delete, .with_id = 1, .sub = "sub", .status = 200,
           .action = claim_line_item_delete)
HTTP_ROUTE(h_claim_settlement, .with_id = 1, .body = SETTLE_FIELDS, .status = 201,
           .action = claim_settlement)

/* ---------- money and the claim's life ---------- */

static const http_field_t RESERVE_FIELDS[] = {
    {"amount", JSON_INTEGER, R}, {"reason", JSON_STRING, R}, {NULL, 0, 0}};

static cy_status_t
claim_reserve(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_reserve_in_t in;
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    cj_reserve_in(c->body, &in);
    return claim_answer(claims_reserve(c->req->app, &c->a, c->req->now, c->id, &in, &out, err),
                        &out, res);
}

static const http_field_t PAYMENT_FIELDS[] = {{"kind", JSON_STRING, R},
                                              {"amount", JSON_INTEGER, R},
                                              {"reference", JSON_STRING, 0},
                                              {"paid_on", JSON_STRING, 0},
                                              {NULL, 0, 0}};

static cy_status_t
claim_pay(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_payment_in_t in;
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    cj_payment_in(c->body, &in);
    return claim_answer(claims_pay(c->req->app, &c->a, c->req->now, c->id, &in, &out, err), &out,
                        res);
}

static const http_field_t RECOVERY_FIELDS[] = {
    {"source", JSON_STRING, R},      {"counterparty", JSON_STRING, 0}, {"amount", JSON_INTEGER, R},
    {"received_on", JSON_STRING, 0}, {"note", JSON_STRING, 0},         {NULL, 0, 0}};

static cy_status_t
claim_recover(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_recovery_in_t in;
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    cj_recovery_in(c->body, &in);
    return claim_answer(claims_recover(c->req->app, &c->a, c->req->now, c->id, &in, &out, err),
                        &out, res);
}

static const http_field_t REASON_FIELDS[] = {{"reason", JSON_STRING, R}, {NULL, 0, 0}};

static cy_status_t
claim_close(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    const char *reason = json_string_value(json_object_get(c->body, "reason"));
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    return claim_answer(claims_close(c->req->app, &c->a, c->req->now, c->id, reason, &out, err),
                        &out, res);
}

static cy_status_t
claim_reopen(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    const char *reason = json_string_value(json_object_get(c->body, "reason"));
    claims_claim_t out;
    memset(&out, 0, sizeof out);
    return claim_answer(claims_reopen(c->req->app, &c->a, c->req->now, c->id, reason, &out, err),
                        &out, res);
}

HTTP_ROUTE(h_claim_reserves, .with_id = 1, .body = RESERVE_FIELDS, .status = 201,
           .action = claim_reserve)
HTTP_ROUTE(h_claim_payments, .with_id = 1, .body = PAYMENT_FIELDS, .status = 201,
           .action = claim_pay)
HTTP_ROUTE(h_claim_recoveries, .with_id = 1, .body = RECOVERY_FIELDS, .status = 201,
           .action = claim_recover)
HTTP_ROUTE(h_claim_close, .with_id = 1, .body = REASON_FIELDS, .status = 200, .action = claim_close)
HTTP_ROUTE(h_claim_reopen, .with_id = 1, .body = REASON_FIELDS, .status = 200,
           .action = claim_reopen)

/* ---------- the panel ---------- */

static const http_field_t PANEL_FIELDS[] = {{"service_org_id", JSON_INTEGER, 0},
                                            {"services", JSON_ARRAY, 0},
                                            {"hourly_rate", JSON_INTEGER, 0},
                                            {"active", JSON_TRUE, 0},
                                            {"note", JSON_STRING, 0},
                                            {NULL, 0, 0}};

static cy_status_t
panel_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_panel_list_t l;
    cy_status_t st = claims_panel_list(c->req->app, &c->a, c->req->now, &c->page, &l, err);
    if (st == CY_OK)
        res->json = http_list_json(cj_panels(&l), l.next);
    claims_panel_list_free(&l);
    return st;
}

/* Create (no {id}: c->id is 0) or change an entry of the panel. */
static cy_status_t
panel_write(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_panel_in_t in;
    cj_lists_t l;
    claims_panel_t p;
    int update = c->id > 0;
    cy_status_t st = cj_panel_in(c->body, &in, &l, err);
    if (st == CY_OK && update && json_object_get(c->body, "service_org_id") != NULL)
        st = cy_error_set(err, CY_EBADREQ, "unknown_field", "service_org_id",
                          "条目的服务机构不能更改 / an entry's service organisation does not "
                          "change");
    if (st == CY_OK)
        st = update ? claims_panel_update(c->req->app, &c->a, c->req->now, c->id, &in, &p, err)
                    : claims_panel_add(c->req->app, &c->a, c->req->now, &in, &p, err);
    if (st == CY_OK)
        res->json = cj_panel(&p);
    return st;
}

HTTP_ROUTE(h_panel_list, .paged = 1, .status = 200, .action = panel_list)
HTTP_ROUTE(h_panel_create, .body = PANEL_FIELDS, .status = 201, .action = panel_write)
HTTP_ROUTE(h_panel_update, .with_id = 1, .body = PANEL_FIELDS, .status = 200, .action = panel_write)

/* ---------- evidence ---------- */

/* The body is the file; what it is and who collected it come as query parameters. */
static cy_status_t
claim_evidence_add(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    blob_upload_t up;
    http_upload(c->req, &up);
    claims_evidence_in_t in = {.upload = &up,
                               .description = http_query(c->req, "description"),
                               .collected_by = http_query(c->req, "collected_by"),
                               .collected_at = http_query(c->req, "collected_at"),
                               .method = http_query(c->req, "method")};
    claims_evidence_t e;
    cy_status_t st = claims_evidence_add(c->req->app, &c->a, c->req->now, c->id, &in, &e, err);
    if (st == CY_OK)
        res->json = cj_evidence(&e);
    return st;
}

static cy_status_t
claim_evidence_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    claims_evidence_list_t l;
    cy_status_t st = claims_evidence_list(c->req->app, &c->a, c->req->now, c->id, &l, err);
    if (st == CY_OK)
        res->json = cj_evidence_list(&l);
    claims_evidence_list_free(&l);
    return st;
}

static cy_status_t
claim_evidence_content(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return claims_evidence_open(c->req->app, &c->a, c->req->now, c->id, c->sub, &res->blob, err);
}

static const http_field_t CUSTODY_FIELDS[] = {{"from_holder", JSON_STRING, R},
                                              {"to_holder", JSON_STRING, R},
                                              {"method", JSON_STRING, R},
                                              {"note", JSON_STRING, 0},
                                              {NULL, 0, 0}};

static cy_status_t
claim_custody(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *b = c->body;
    claims_custody_in_t in = {.from_holder = json_string_value(json_object_get(b, "from_holder")),
                              .to_holder = json_string_value(json_object_get(b, "to_holder")),
                              .method = json_string_value(json_object_get(b, "method")),
                              .note = json_string_value(json_object_get(b, "note"))};
    claims_evidence_t e;
    cy_status_t st =
        claims_custody_add(c->req->app, &c->a, c->req->now, c->id, c->sub, &in, &e, err);
    if (st == CY_OK)
        res->json = cj_evidence(&e);
    return st;
}

HTTP_ROUTE(h_claim_evidence_add, .with_id = 1, .status = 201, .action = claim_evidence_add)
HTTP_ROUTE(h_claim_evidence_list, .with_id = 1, .status = 200, .action = claim_evidence_list)
HTTP_ROUTE(h_claim_evidence_content, .with_id = 1, .sub = "sub", .status = 200,
           .action = claim_evidence_content)
HTTP_ROUTE(h_claim_custody, .with_id = 1, .sub = "sub", .body = CUSTODY_FIELDS, .status = 201,
           .action = claim_custody)
