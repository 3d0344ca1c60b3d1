/*
 * claims.c — the HTTP routes of claims: incidents (first notice), claims and
 * what the parties do on them, the response tasks, the insurer's panel, the
 * figures and the rules a form needs. Each reads its request (the caller,
 * path ids, the body's top level by its field list, query parameters),
 * calls one use case of app/claims/claims.h at the request's time and
 * answers; the JSON mapping is claims_json.c's. Never includes sqlite3 or
 * libpq.
 */
#include <stdlib.h>
#include <string.h>

#include "core/bjtime.h"
#include "app/blob/blob.h"
#include "http/claims_json.h"
#include "http/handlers.h"

#define R HTTP_REQUIRED

/* ---------- one way to serve a write on a claim ---------- */

/* A write on claim id with its body b: its use case, answering the claim as the caller sees it. */
typedef cy_status_t (*claim_write_fn)(http_req_t *req, const actor_t *a, int64_t id, json_t *b,
                                      claims_claim_t *out, cy_error_t *err);

static void
claim_write(http_req_t *req, http_resp_t *resp, const http_field_t *spec, int status,
            claim_write_fn fn)
{
    actor_t a;
    int64_t id;
    json_t *b = NULL;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        (spec != NULL && !http_body(req, resp, spec, &b)))
        return;
    claims_claim_t c;
    cy_error_t err;
    memset(&c, 0, sizeof c);
    cy_status_t st = fn(req, &a, id, b, &c, &err);
    json_decref(b);
    http_answer(resp, st, &err, status, st == CY_OK ? cj_claim(&c) : NULL);
    claims_claim_free(&c);
}

#define CLAIM_WRITE(handler, spec, status, fn)                                                     \
    void handler(http_req_t *req, http_resp_t *resp)                                               \
    {                                                                                              \
        claim_write(req, resp, spec, status, fn);                                                  \
    }

/* ---------- incidents ---------- */

static const http_field_t NOTICE_FIELDS[] = {
    {"org_id", JSON_INTEGER, 0},     {"incident_type", JSON_STRING, R},
    {"occurred_at", JSON_STRING, 0}, {"discovered_at", JSON_STRING, R},
    {"reported_at", JSON_STRING, 0}, {"description", JSON_STRING, R},
    {"systems", JSON_ARRAY, 0},      {"data_affected", JSON_STRING, 0},
    {"estimates", JSON_ARRAY, 0},    {"policy_ids", JSON_ARRAY, 0},
    {"preview", JSON_TRUE, 0},       {NULL, 0, 0}};

void
h_incidents_create(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    json_t *b;
    if (!http_auth(req, resp, &a) || !http_body(req, resp, NOTICE_FIELDS, &b))
        return;
    claims_notice_in_t in;
    cj_lists_t l;
    claims_incident_t out;
    cy_error_t err;
    memset(&out, 0, sizeof out);
    cy_status_t st = cj_notice_in(b, &in, &l, &err);
    if (st == CY_OK)
        st = claims_notice(req->app, &a, req->now, &in, &out, &err);
    json_decref(b);
    http_answer(resp, st, &err, in.preview ? 200 : 201, st == CY_OK ? cj_incident(&out) : NULL);
}

void
h_incidents_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    app_page_t pg;
    if (!http_auth(req, resp, &a) || !http_page(req, resp, &pg))
        return;
    claims_incident_list_t l;
    cy_error_t err;
    cy_status_t st = claims_incident_list(req->app, &a, req->now, &pg, &l, &err);
    http_answer_list(resp, st, &err, st == CY_OK ? cj_incidents(&l) : NULL, l.next);
    claims_incident_list_free(&l);
}

void
h_incident_get(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    claims_incident_t i;
    cy_error_t err;
    cy_status_t st = claims_incident_get(req->app, &a, req->now, id, &i, &err);
    http_answer(resp, st, &err, 200, st == CY_OK ? cj_incident(&i) : NULL);
}

/* ---------- claims ---------- */

void
h_claims_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    app_page_t pg;
    if (!http_auth(req, resp, &a) || !http_page(req, resp, &pg))
        return;
    claims_claim_list_t l;
    cy_error_t err;
    cy_status_t st = claims_list(req->app, &a, req->now, http_query(req, "status"), &pg, &l, &err);
    http_answer_list(resp, st, &err, st == CY_OK ? cj_claims(&l) : NULL, l.next);
    claims_claim_list_free(&l);
}

static cy_status_t
claim_get(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
          cy_error_t *err)
{
    (void)b;
    return claims_get(req->app, a, req->now, id, out, err);
}

CLAIM_WRITE(h_claim_get, NULL, 200, claim_get)

void
h_claims_rules(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    if (!http_auth(req, resp, &a))
        return;
    http_reply_json(resp, 200, cj_rules(claims_rules(req->app)));
}

/* ?from= and ?to= as Beijing dates or times (bjtime_parse); absent: open. */
static int
query_time(http_req_t *req, http_resp_t *resp, const char *name, int64_t *out)
{
    const char *s = http_query(req, name);
    cy_error_t err;
    *out = 0;
    if (s == NULL || bjtime_parse(s, out, &err) == CY_OK)
        return 1;
    cy_error_set(&err, CY_EBADREQ, "query_invalid", name,
                 "%s 应为日期或时间（北京时间） / %s must be a date or time (Beijing)", name, name);
    http_reply_error(resp, &err);
    return 0;
}

void
h_claims_figures(http_req_t *req, http_resp_t *resp)
{
    static const char *const BY[] = {"policy", "insurer", "region", "industry"};
    actor_t a;
    claims_figures_in_t in = {.by = CLAIMS_BY_INSURER};
    if (!http_auth(req, resp, &a) || !query_time(req, resp, "from", &in.from) ||
        !query_time(req, resp, "to", &in.to))
        return;
    const char *by = http_query(req, "by");
    if (by != NULL) {
        in.by = (claims_by_t)-1;
        for (int i = 0; i < 4; i++)
            if (strcmp(by, BY[i]) == 0)
                in.by = (claims_by_t)i;
    }
    claims_figures_t f;
    cy_error_t err;
    cy_status_t st = claims_figures(req->app, &a, req->now, &in, &f, &err);
    http_answer(resp, st, &err, 200, st == CY_OK ? cj_figures(&f) : NULL);
    claims_figures_free(&f);
}

/* ---------- the timeline and the response ---------- */

static const http_field_t NOTE_FIELDS[] = {{"kind", JSON_STRING, 0},
                                           {"text", JSON_STRING, R},
                                           {"to_insured", JSON_TRUE, 0},
                                           {"to_responder", JSON_TRUE, 0},
                                           {NULL, 0, 0}};

static cy_status_t
claim_note(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
           cy_error_t *err)
{
    claims_note_in_t in;
    cj_note_in(b, &in);
    return claims_note(req->app, a, req->now, id, &in, out, err);
}

CLAIM_WRITE(h_claim_timeline, NOTE_FIELDS, 201, claim_note)

static const http_field_t ASSIGN_FIELDS[] = {{"service_org_id", JSON_INTEGER, R},
                                             {"service", JSON_STRING, R},
                                             {"hourly_rate", JSON_INTEGER, 0},
                                             {"note", JSON_STRING, 0},
                                             {NULL, 0, 0}};

static cy_status_t
claim_assign(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
             cy_error_t *err)
{
    claims_assign_in_t in;
    cj_assign_in(b, &in);
    return claims_assign(req->app, a, req->now, id, &in, out, err);
}

CLAIM_WRITE(h_claim_assignments, ASSIGN_FIELDS, 201, claim_assign)

static const http_field_t TASK_FIELDS[] = {{"assignment_id", JSON_INTEGER, 0},
                                           {"title", JSON_STRING, 0},
                                           {"detail", JSON_STRING, 0},
                                           {"minutes", JSON_INTEGER, 0},
                                           {"expenses", JSON_INTEGER, 0},
                                           {"status", JSON_STRING, 0},
                                           {NULL, 0, 0}};

static cy_status_t
claim_task_add(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
               cy_error_t *err)
{
    claims_task_in_t in;
    cj_task_in(b, &in);
    return claims_task_add(req->app, a, req->now, id, &in, out, err);
}

CLAIM_WRITE(h_claim_tasks, TASK_FIELDS, 201, claim_task_add)

/* A write on a claim's sub-record {sub} (a task, a line item): 404 for a bad id. */
static int
sub_id(http_req_t *req, http_resp_t *resp, int64_t *sub)
{
    return http_path_id(req, resp, "sub", sub);
}

static cy_status_t
claim_task_update(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
                  cy_error_t *err)
{
    claims_task_in_t in;
    cj_task_in(b, &in);
    int64_t task = strtoll(http_param(req, "sub"), NULL, 10);
    return claims_task_update(req->app, a, req->now, id, task, &in, out, err);
}

void
h_claim_task_update(http_req_t *req, http_resp_t *resp)
{
    int64_t sub;
    if (sub_id(req, resp, &sub))
        claim_write(req, resp, TASK_FIELDS, 200, claim_task_update);
}

void
h_claims_tasks_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    app_page_t pg;
    if (!http_auth(req, resp, &a) || !http_page(req, resp, &pg))
        return;
    claims_task_list_t l;
    cy_error_t err;
    cy_status_t st = claims_tasks(req->app, &a, req->now, http_query(req, "status"), &pg, &l, &err);
    http_answer_list(resp, st, &err, st == CY_OK ? cj_tasks(&l) : NULL, l.next);
    claims_task_list_free(&l);
}

/* ---------- liability, line items, settlement ---------- */

static const http_field_t LIABILITY_FIELDS[] = {
    {"war", JSON_TRUE, 0},        {"infrastructure", JSON_TRUE, 0}, {"intentional", JSON_TRUE, 0},
    {"exploited", JSON_ARRAY, 0}, {"note", JSON_STRING, 0},         {NULL, 0, 0}};

static cy_status_t
claim_liability(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
                cy_error_t *err)
{
    claims_liability_in_t in;
    cj_lists_t l;
    cy_status_t st = cj_liability_in(b, &in, &l, err);
    return st == CY_OK ? claims_liability(req->app, a, req->now, id, &in, out, err) : st;
}

CLAIM_WRITE(h_claim_liability, LIABILITY_FIELDS, 201, claim_liability)

static const http_field_t LINE_ITEM_FIELDS[] = {{"coverage", JSON_STRING, R},
                                                {"description", JSON_STRING, R},
                                                {"amount", JSON_INTEGER, R},
                                                {"outage_minutes", JSON_INTEGER, 0},
                                                {"hourly_gross_profit", JSON_INTEGER, 0},
                                                {"documents", JSON_STRING, 0},
                                                {NULL, 0, 0}};

static cy_status_t
claim_line_item(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
                cy_error_t *err)
{
    claims_line_item_in_t in;
    cj_line_item_in(b, &in);
    return claims_line_item_add(req->app, a, req->now, id, &in, out, err);
}

CLAIM_WRITE(h_claim_line_items, LINE_ITEM_FIELDS, 201, claim_line_item)

static cy_status_t
claim_line_item_delete(http_req_t *req, const actor_t *a, int64_t id, json_t *b,
                       claims_claim_t *out, cy_error_t *err)
{
    (void)b;
    int64_t item = strtoll(http_param(req, "sub"), NULL, 10);
    return claims_line_item_delete(req->app, a, req->now, id, item, out, err);
}

void
h_claim_line_item_delete(http_req_t *req, http_resp_t *resp)
{
    int64_t sub;
    if (sub_id(req, resp, &sub))
        claim_write(req, resp, NULL, 200, claim_line_item_delete);
}

static const http_field_t SETTLE_FIELDS[] = {{"preview", JSON_TRUE, 0}, {NULL, 0, 0}};

/* The settlement: the claim as settled (201), or with preview its computation only (200). */
void
h_claim_settlement(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    json_t *b;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, SETTLE_FIELDS, &b))
        return;
    claims_settle_in_t in = {json_is_true(json_object_get(b, "preview"))};
    json_decref(b);
    claims_settlement_t s;
    claims_claim_t c;
    cy_error_t err;
    memset(&s, 0, sizeof s);
    cy_status_t st = claims_settle(req->app, &a, req->now, id, &in, &s, &c, &err);
    json_t *out = st != CY_OK ? NULL : in.preview ? cj_settlement(&s) : cj_claim(&c);
    http_answer(resp, st, &err, in.preview ? 200 : 201, out);
    claims_settlement_free(&s);
    claims_claim_free(&c);
}

/* ---------- money and the claim's life ---------- */

static const http_field_t RESERVE_FIELDS[] = {
    {"amount", JSON_INTEGER, R}, {"reason", JSON_STRING, R}, {NULL, 0, 0}};

static cy_status_t
claim_reserve(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
              cy_error_t *err)
{
    claims_reserve_in_t in;
    cj_reserve_in(b, &in);
    return claims_reserve(req->app, a, req->now, id, &in, out, err);
}

CLAIM_WRITE(h_claim_reserves, RESERVE_FIELDS, 201, claim_reserve)

static const http_field_t PAYMENT_FIELDS[] = {{"kind", JSON_STRING, R},
                                              {"amount", JSON_INTEGER, R},
                                              {"reference", JSON_STRING, 0},
                                              {"paid_on", JSON_STRING, 0},
                                              {NULL, 0, 0}};

static cy_status_t
claim_pay(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
          cy_error_t *err)
{
    claims_payment_in_t in;
    cj_payment_in(b, &in);
    return claims_pay(req->app, a, req->now, id, &in, out, err);
}

CLAIM_WRITE(h_claim_payments, PAYMENT_FIELDS, 201, claim_pay)

static const http_field_t RECOVERY_FIELDS[] = {
    {"source", JSON_STRING, R},      {"counterparty", JSON_STRING, 0}, {"amount", JSON_INTEGER, R},
    {"received_on", JSON_STRING, 0}, {"note", JSON_STRING, 0},         {NULL, 0, 0}};

static cy_status_t
claim_recover(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
              cy_error_t *err)
{
    claims_recovery_in_t in;
    cj_recovery_in(b, &in);
    return claims_recover(req->app, a, req->now, id, &in, out, err);
}

CLAIM_WRITE(h_claim_recoveries, RECOVERY_FIELDS, 201, claim_recover)

static const http_field_t REASON_FIELDS[] = {{"reason", JSON_STRING, R}, {NULL, 0, 0}};

static cy_status_t
claim_close(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
            cy_error_t *err)
{
    const char *reason = json_string_value(json_object_get(b, "reason"));
    return claims_close(req->app, a, req->now, id, reason, out, err);
}

static cy_status_t
claim_reopen(http_req_t *req, const actor_t *a, int64_t id, json_t *b, claims_claim_t *out,
             cy_error_t *err)
{
    const char *reason = json_string_value(json_object_get(b, "reason"));
    return claims_reopen(req->app, a, req->now, id, reason, out, err);
}

CLAIM_WRITE(h_claim_close, REASON_FIELDS, 200, claim_close)
CLAIM_WRITE(h_claim_reopen, REASON_FIELDS, 200, claim_reopen)

/* ---------- the panel ---------- */

static const http_field_t PANEL_FIELDS[] = {{"service_org_id", JSON_INTEGER, 0},
                                            {"services", JSON_ARRAY, 0},
                                            {"hourly_rate", JSON_INTEGER, 0},
                                            {"active", JSON_TRUE, 0},
                                            {"note", JSON_STRING, 0},
                                            {NULL, 0, 0}};

void
h_panel_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    app_page_t pg;
    if (!http_auth(req, resp, &a) || !http_page(req, resp, &pg))
        return;
    claims_panel_list_t l;
    cy_error_t err;
    cy_status_t st = claims_panel_list(req->app, &a, req->now, &pg, &l, &err);
    http_answer_list(resp, st, &err, st == CY_OK ? cj_panels(&l) : NULL, l.next);
    claims_panel_list_free(&l);
}

/* Create (no {id}) or change an entry of the panel. */
static void
panel_write(http_req_t *req, http_resp_t *resp, int update)
{
    actor_t a;
    int64_t id = 0;
    json_t *b;
    if (!http_auth(req, resp, &a) || (update && !http_path_id(req, resp, "id", &id)) ||
        !http_body(req, resp, PANEL_FIELDS, &b))
        return;
    claims_panel_in_t in;
    cj_lists_t l;
    claims_panel_t p;
    cy_error_t err;
    cy_status_t st = cj_panel_in(b, &in, &l, &err);
    if (st == CY_OK && update && json_object_get(b, "service_org_id") != NULL)
        st = cy_error_set(&err, CY_EBADREQ, "unknown_field", "service_org_id",
                          "条目的服务机构不能更改 / an entry's service organisation does not "
                          "change");
    if (st == CY_OK)
        st = update ? claims_panel_update(req->app, &a, req->now, id, &in, &p, &err)
                    : claims_panel_add(req->app, &a, req->now, &in, &p, &err);
    json_decref(b);
    http_answer(resp, st, &err, update ? 200 : 201, st == CY_OK ? cj_panel(&p) : NULL);
}

void
h_panel_create(http_req_t *req, http_resp_t *resp)
{
    panel_write(req, resp, 0);
}

void
h_panel_update(http_req_t *req, http_resp_t *resp)
{
    panel_write(req, resp, 1);
}

/* ---------- evidence ---------- */

void
h_claim_evidence_add(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    blob_upload_t up;
    http_upload(req, &up);
    claims_evidence_in_t in = {.upload = &up,
                               .description = http_query(req, "description"),
                               .collected_by = http_query(req, "collected_by"),
                               .collected_at = http_query(req, "collected_at"),
                               .method = http_query(req, "method")};
    claims_evidence_t e;
    cy_error_t err;
    cy_status_t st = claims_evidence_add(req->app, &a, req->now, id, &in, &e, &err);
    http_answer(resp, st, &err, 201, st == CY_OK ? cj_evidence(&e) : NULL);
}

void
h_claim_evidence_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    claims_evidence_list_t l;
    cy_error_t err;
    cy_status_t st = claims_evidence_list(req->app, &a, req->now, id, &l, &err);
    http_answer(resp, st, &err, 200, st == CY_OK ? cj_evidence_list(&l) : NULL);
    claims_evidence_list_free(&l);
}

void
h_claim_evidence_content(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, sub;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !sub_id(req, resp, &sub))
        return;
    blob_reader_t *r;
    cy_error_t err;
    if (claims_evidence_open(req->app, &a, req->now, id, sub, &r, &err) != CY_OK) {
        http_reply_error(resp, &err);
        return;
    }
    http_reply_blob(resp, r);
}

static const http_field_t CUSTODY_FIELDS[] = {{"from_holder", JSON_STRING, R},
                                              {"to_holder", JSON_STRING, R},
                                              {"method", JSON_STRING, R},
                                              {"note", JSON_STRING, 0},
                                              {NULL, 0, 0}};

void
h_claim_custody(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id, sub;
    json_t *b;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !sub_id(req, resp, &sub) || !http_body(req, resp, CUSTODY_FIELDS, &b))
        return;
    claims_custody_in_t in = {.from_holder = json_string_value(json_object_get(b, "from_holder")),
                              .to_holder = json_string_value(json_object_get(b, "to_holder")),
                              .method = json_string_value(json_object_get(b, "method")),
                              .note = json_string_value(json_object_get(b, "note"))};
    claims_evidence_t e;
    cy_error_t err;
    cy_status_t st = claims_custody_add(req->app, &a, req->now, id, sub, &in, &e, &err);
    json_decref(b);
    http_answer(resp, st, &err, 201, st == CY_OK ? cj_evidence(&e) : NULL);
}
