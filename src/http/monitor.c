/*
 * monitor.c — handlers of in-force monitoring (app/monitor/monitor.h): the
 * vendor catalogue, signals in (JSON, STIX 2.1, KEV: data/feed.h reads the
 * feeds), enterprises' stacks and scores, loss-prevention tasks. Parse, call
 * app/, render: the one JSON mapping of the capability. Never includes
 * sqlite3 or libpq.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/monitor/monitor.h"
#include "data/monitor.h"
#include "http/http.h"
#include "http/handlers.h"

static json_t *
vendors_json(const monitor_data_t *md)
{
    json_t *cats = json_array(), *items = json_array();
    for (size_t i = 0; i < md->n_categories; i++)
        json_array_append_new(cats, json_pack("{s:s, s:s, s:s}", "code", md->categories[i].code,
                                              "name_zh", md->categories[i].name_zh, "name_en",
                                              md->categories[i].name_en));
    for (size_t i = 0; i < md->n_vendors; i++) {
        const mon_vendor_t *v = &md->vendors[i];
        json_array_append_new(items,
                              json_pack("{s:s, s:s, s:s, s:s}", "code", v->code, "category",
                                        v->category, "name_zh", v->name_zh, "name_en", v->name_en));
    }
    return json_pack("{s:s, s:o, s:o}", "version", md->vendors_version, "categories", cats,
                     "vendors", items);
}

static cy_status_t
vendors(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    (void)err;
    res->json = vendors_json(c->req->app->monitor);
    return CY_OK;
}

HTTP_ROUTE(h_vendors, .status = 200, .action = vendors)

static json_t *
score_json(const mon_score_t *s)
{
    char g[2] = {s->grade, '\0'}, bg[2] = {s->base_grade, '\0'};
    return json_pack("{s:o, s:f, s:s, s:f, s:s, s:I, s:I, s:s, s:o}", "assessment_id",
                     s->assessment_id > 0 ? json_integer(s->assessment_id) : json_null(), "score",
                     (double)s->score_hundredths / 100.0, "grade", g, "base_score",
                     (double)s->base_hundredths / 100.0, "base_grade", bg, "penalty",
                     (json_int_t)s->penalty, "open_tasks", (json_int_t)s->open_tasks, "at", s->at,
                     "cause", http_json_text(s->cause));
}

static json_t *
enterprise_json(const mon_enterprise_t *e)
{
    json_t *stack = json_array();
    for (size_t i = 0; i < e->n_stack; i++)
        json_array_append_new(stack, json_pack("{s:s, s:o}", "vendor", e->stack[i].vendor,
                                               "version", http_json_text(e->stack[i].version)));
    return json_pack("{s:I, s:s, s:o, s:o}", "org_id", (json_int_t)e->org_id, "name", e->name,
                     "stack", stack, "score", score_json(&e->score));
}

static json_t *
task_json(const mon_task_t *t)
{
    return json_pack(
        "{s:I, s:{s:I, s:s}, s:{s:I, s:s}, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, "
        "s:o, s:o}",
        "id", (json_int_t)t->id, "enterprise", "id", (json_int_t)t->org_id, "name", t->org_name,
        "assignee", "id", (json_int_t)t->assignee_org_id, "name", t->assignee_name, "signal_id",
        (json_int_t)t->signal_id, "cve", t->cve, "title", t->title, "vendor", t->vendor, "severity",
        t->severity, "status", t->status, "opened_at", t->opened_at, "due_at", t->due_at,
        "closed_at", http_json_text(t->closed_at), "overdue", t->overdue, "evidence_note",
        http_json_text(t->evidence_note), "evidence_file_id",
        t->evidence_file_id > 0 ? json_integer(t->evidence_file_id) : json_null());
}

static json_t *
signal_json(const mon_signal_t *s)
{
    json_t *v = json_array();
    for (size_t i = 0; i < s->n_vendors; i++)
        json_array_append_new(v, json_string(s->vendors[i]));
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:I, s:s, s:b}", "id",
                     (json_int_t)s->id, "source", s->source, "source_id", s->source_id, "kind",
                     s->kind, "cve", http_json_text(s->cve), "severity", s->severity, "title",
                     s->title, "vendors", v, "matched", (json_int_t)s->matched, "received_at",
                     s->received_at, "duplicate", s->duplicate);
}

/* Ingest the signals of feed (read without refusal: st is CY_OK) and answer what came of them. */
static cy_status_t
ingest(http_call_t *c, http_result_t *res, cy_status_t st, const feed_t *feed, cy_error_t *err)
{
    mon_ingest_t r = {0};
    if (st == CY_OK)
        st = monitor_ingest(c->req->app, &c->a, c->req->now, feed, &r, err);
    if (st == CY_OK) {
        json_t *items = json_array();
        for (size_t i = 0; i < r.n; i++)
            json_array_append_new(items, signal_json(&r.signals[i]));
        res->json = json_pack("{s:o, s:I, s:I, s:I, s:I}", "signals", items, "created",
                              (json_int_t)r.created, "duplicates", (json_int_t)r.duplicates,
                              "tasks", (json_int_t)r.tasks, "ignored", (json_int_t)r.ignored);
    }
    monitor_ingest_free(&r);
    return st;
}

/* One signal of a JSON batch: only known keys, each of its type. */
static cy_status_t
signal_in(json_t *o, size_t i, feed_signal_t *s, cy_error_t *err)
{
    static const char *const keys[] = {"source",   "source_id", "kind",    "cve",
                                       "severity", "title",     "vendors", NULL};
    char field[64];
    snprintf(field, sizeof field, "signals[%zu]", i);
    if (!json_is_object(o))
        return cy_error_set(err, CY_EBADREQ, "wrong_type", field,
                            "%s 应为对象 / %s must be an object", field, field);
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], key) != 0)
            k++;
        snprintf(field, sizeof field, "signals[%zu].%.20s", i, key);
        if (keys[k] == NULL)
            return cy_error_set(err, CY_EBADREQ, "unknown_field", field,
                                "不认识的字段 %s / unknown field %s", field, field);
        int arr = strcmp(key, "vendors") == 0;
        if (arr ? !json_is_array(v) || json_array_size(v) > MON_MAX_MATCH : !json_is_string(v))
            return cy_error_set(err, CY_EBADREQ, "wrong_type", field,
                                arr ? "%s 应为至多 8 个代码的数组 / %s must be an array of at most "
                                      "8 codes"
                                    : "%s 应为字符串 / %s must be a string",
                                field, field);
    }
    struct {
        const char *key;
        char *dst;
        size_t cap;
    } t[] = {{"source", s->source, sizeof s->source},
             {"source_id", s->source_id, sizeof s->source_id},
             {"kind", s->kind, sizeof s->kind},
             {"cve", s->cve, sizeof s->cve},
             {"severity", s->severity, sizeof s->severity},
             {"title", s->title, sizeof s->title}};
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        const char *x = json_string_value(json_object_get(o, t[k].key));
        snprintf(field, sizeof field, "signals[%zu].%s", i, t[k].key);
        if (x != NULL && strlen(x) >= t[k].cap)
            return cy_error_set(err, CY_EINVAL, "too_long", field, "%s 过长 / %s is too long",
                                field, field);
        snprintf(t[k].dst, t[k].cap, "%s", x ? x : "");
    }
    if (s->kind[0] == '\0')
        snprintf(s->kind, sizeof s->kind, "advisory");
    json_t *vs = json_object_get(o, "vendors");
    for (size_t k = 0; k < json_array_size(vs); k++) {
        const char *x = json_string_value(json_array_get(vs, k));
        snprintf(field, sizeof field, "signals[%zu].vendors[%zu]", i, k);
        if (x == NULL || strlen(x) >= sizeof s->vendors[0])
            return cy_error_set(err, CY_EINVAL, "vendor_unknown", field,
                                "%s 应为产品目录中的代码 / %s must be a code of the catalogue",
                                field, field);
        snprintf(s->vendors[s->n_vendors++], sizeof s->vendors[0], "%s", x);
    }
    return CY_OK;
}

static const http_field_t SIGNALS_FIELDS[] = {{"signals", JSON_ARRAY, HTTP_REQUIRED}, {NULL, 0, 0}};

static cy_status_t
signals(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *arr = json_object_get(c->body, "signals");
    size_t n = json_array_size(arr), max = (size_t)c->req->app->monitor->max_batch;
    feed_t feed = {0};
    cy_status_t st =
        n == 0 || n > max
            ? cy_error_set(err, CY_EINVAL, "batch_size", "signals",
                           "一次导入 1–%zu 条信号 / 1 to %zu signals at a time", max, max)
            : CY_OK;
    if (st == CY_OK && (feed.items = calloc(n, sizeof *feed.items)) == NULL)
        st = cy_error_no_memory(err);
    for (size_t i = 0; st == CY_OK && i < n; i++, feed.n++)
        st = signal_in(json_array_get(arr, i), i, &feed.items[i], err);
    st = ingest(c, res, st, &feed, err);
    feed_free(&feed);
    return st;
}

typedef cy_status_t (*feed_parse_fn)(const monitor_data_t *md, const char *text, size_t len,
                                     size_t max, feed_t *out, cy_error_t *err);

/* A feed in the body (STIX 2.1, KEV), read by parse. */
static cy_status_t
ingest_feed(http_call_t *c, http_result_t *res, feed_parse_fn parse, cy_error_t *err)
{
    const http_req_t *req = c->req;
    feed_t feed = {0};
    const monitor_data_t *md = req->app->monitor;
    cy_status_t st = parse(md, req->body ? req->body : "", req->body ? req->body_len : 0,
                           (size_t)md->max_batch, &feed, err);
    st = ingest(c, res, st, &feed, err);
    feed_free(&feed);
    return st;
}

static cy_status_t
signals_stix(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return ingest_feed(c, res, feed_parse_stix, err);
}

static cy_status_t
signals_kev(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return ingest_feed(c, res, feed_parse_kev, err);
}

HTTP_ROUTE(h_signals, .body = SIGNALS_FIELDS, .status = 200, .action = signals)
HTTP_ROUTE(h_signals_stix, .status = 200, .action = signals_stix)
HTTP_ROUTE(h_signals_kev, .status = 200, .action = signals_kev)

static cy_status_t
enterprise(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    mon_enterprise_t e; /* a few KiB: the action's own */
    cy_status_t st = monitor_enterprise(c->req->app, &c->a, c->req->now, c->id, &e, err);
    if (st == CY_OK)
        res->json = enterprise_json(&e);
    return st;
}

static cy_status_t
stack_in(json_t *arr, mon_asset_t *stack, size_t *n, cy_error_t *err)
{
    *n = 0;
    if (json_array_size(arr) > MON_MAX_STACK)
        return cy_error_set(err, CY_EINVAL, "stack_too_long", "stack",
                            "技术栈最多 %d 项 / a stack has at most %d entries", MON_MAX_STACK,
                            MON_MAX_STACK);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        const char *v = json_string_value(json_object_get(o, "vendor"));
        json_t *ver = json_object_get(o, "version");
        char field[48];
        snprintf(field, sizeof field, "stack[%zu]", i);
        if (!json_is_object(o) || v == NULL || json_object_size(o) > 1 + (ver != NULL) ||
            (ver != NULL && !json_is_string(ver) && !json_is_null(ver)))
            return cy_error_set(err, CY_EBADREQ, "wrong_type", field,
                                "%s 应为 {vendor, version} / %s must be {vendor, version}", field,
                                field);
        const char *vs = json_string_value(ver);
        if (strlen(v) >= sizeof stack[i].vendor || (vs && strlen(vs) >= sizeof stack[i].version))
            return cy_error_set(err, CY_EINVAL, "too_long", field, "%s 过长 / %s is too long",
                                field, field);
        snprintf(stack[i].vendor, sizeof stack[i].vendor, "%s", v);
        snprintf(stack[i].version, sizeof stack[i].version, "%s", vs ? vs : "");
        *n = i + 1;
    }
    return CY_OK;
}

static const http_field_t STACK_FIELDS[] = {{"stack", JSON_ARRAY, HTTP_REQUIRED}, {NULL, 0, 0}};

static cy_status_t
stack_put(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    mon_asset_t stack[MON_MAX_STACK];
    size_t n = 0;
    mon_enterprise_t *e = malloc(sizeof *e);
    cy_status_t st = stack_in(json_object_get(c->body, "stack"), stack, &n, err);
    if (st == CY_OK && e == NULL)
        st = cy_error_no_memory(err);
    if (st == CY_OK)
        st = monitor_stack_put(c->req->app, &c->a, c->req->now, c->id, stack, n, e, err);
    if (st == CY_OK)
        res->json = enterprise_json(e);
    free(e);
    return st;
}

HTTP_ITEM_FN(score_item, mon_score_t, score_json)

static cy_status_t
scores(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *items = json_array();
    int64_t next = 0;
    cy_status_t st = monitor_score_history(c->req->app, &c->a, c->req->now, c->id, &c->page,
                                           score_item, items, &next, err);
    res->json = http_list_json(items, next);
    return st;
}

HTTP_ROUTE(h_enterprise, .with_id = 1, .status = 200, .action = enterprise)
HTTP_ROUTE(h_stack_put, .with_id = 1, .body = STACK_FIELDS, .status = 200, .action = stack_put)
HTTP_ROUTE(h_scores, .with_id = 1, .paged = 1, .status = 200, .action = scores)

HTTP_ITEM_FN(task_item, mon_task_t, task_json)

static cy_status_t
tasks(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    mon_task_filter_t f = {.page = c->page, .status = http_query(c->req, "status")};
    cy_status_t st = http_query_number(c->req, "org_id", 1, INT64_MAX, 0, &f.org_id, err);
    json_t *items = json_array();
    int64_t next = 0;
    if (st == CY_OK)
        st = monitor_task_list(c->req->app, &c->a, c->req->now, &f, task_item, items, &next, err);
    res->json = http_list_json(items, next);
    return st;
}

static cy_status_t
task_get(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    mon_task_t t;
    cy_status_t st = monitor_task_get(c->req->app, &c->a, c->req->now, c->id, &t, err);
    if (st == CY_OK)
        res->json = task_json(&t);
    return st;
}

static const http_field_t CLOSE_FIELDS[] = {{"evidence_note", JSON_STRING, HTTP_REQUIRED},
                                            {"evidence_file_id", JSON_INTEGER, HTTP_NULLABLE},
                                            {NULL, 0, 0}};

static cy_status_t
task_close(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    mon_task_t *t = malloc(sizeof *t);
    cy_status_t st =
        t ? monitor_task_close(c->req->app, &c->a, c->req->now, c->id,
                               json_string_value(json_object_get(c->body, "evidence_note")),
                               json_integer_value(json_object_get(c->body, "evidence_file_id")), t,
                               err)
          : cy_error_no_memory(err);
    if (st == CY_OK)
        res->json = task_json(t);
    free(t);
    return st;
}

HTTP_ROUTE(h_tasks, .paged = 1, .status = 200, .action = tasks)
HTTP_ROUTE(h_task_get, .with_id = 1, .status = 200, .action = task_get)
HTTP_ROUTE(h_task_close, .with_id = 1, .body = CLOSE_FIELDS, .status = 200, .action = task_close)

static json_t *
exposure_json(const mon_exposure_t *x)
{
    json_t *vendors = json_array(), *items = json_array();
    for (size_t i = 0; i < x->n_vendors; i++)
        json_array_append_new(vendors, json_string(x->vendors[i]));
    for (size_t i = 0; i < x->n; i++) {
        const mon_exposed_t *e = &x->items[i];
        json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:s, s:I, s:I, s:s}", "org_id",
                                               (json_int_t)e->org_id, "name", e->name, "policy_id",
                                               (json_int_t)e->policy_id, "policy_no", e->policy_no,
                                               "insurer_org_id", (json_int_t)e->insurer_org_id,
                                               "aggregate_limit", (json_int_t)e->aggregate_limit,
                                               "vendor", e->vendor));
    }
    return json_pack("{s:o, s:o, s:I, s:I}", "vendors", vendors, "policies", items, "insureds",
                     (json_int_t)x->insureds, "total_limit", (json_int_t)x->total_limit);
}

static cy_status_t
exposure(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    mon_exposure_t x;
    cy_status_t st = monitor_exposure(c->req->app, &c->a, c->req->now, http_query(c->req, "cve"),
                                      http_query(c->req, "vendor"), &x, err);
    if (st == CY_OK) {
        res->json = exposure_json(&x);
        monitor_exposure_free(&x);
    }
    return st;
}

HTTP_ROUTE(h_exposure, .status = 200, .action = exposure)

static json_t *
service_json(const mon_service_t *x)
{
    return json_pack("{s:I, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:s, s:s, s:o, s:s}", "id",
                     (json_int_t)x->id, "service_org", "id", (json_int_t)x->service_org_id, "name",
                     x->service_org_name, "enterprise", "id", (json_int_t)x->org_id, "name",
                     x->org_name, "kind", x->kind, "performed_on", x->performed_on, "result",
                     x->result, "task_id", x->task_id > 0 ? json_integer(x->task_id) : json_null(),
                     "created_at", x->created_at);
}

static const http_field_t SERVICE_FIELDS[] = {
    {"org_id", JSON_INTEGER, HTTP_REQUIRED},      {"kind", JSON_STRING, HTTP_REQUIRED},
    {"performed_on", JSON_STRING, HTTP_REQUIRED}, {"result", JSON_STRING, HTTP_REQUIRED},
    {"task_id", JSON_INTEGER, HTTP_NULLABLE},     {NULL, 0, 0}};

static cy_status_t
service_add(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *b = c->body;
    mon_service_t in = {.org_id = json_integer_value(json_object_get(b, "org_id")),
                        .task_id = json_integer_value(json_object_get(b, "task_id"))},
                  out;
    snprintf(in.kind, sizeof in.kind, "%s", json_string_value(json_object_get(b, "kind")));
    snprintf(in.performed_on, sizeof in.performed_on, "%s",
             json_string_value(json_object_get(b, "performed_on")));
    const char *result = json_string_value(json_object_get(b, "result"));
    if (strlen(result) >= sizeof in.result)
        return cy_error_set(err, CY_EINVAL, "result_required", "result",
                            "服务结果过长（至多 1000 字节） / the result is too long (at most "
                            "1000 bytes)");
    snprintf(in.result, sizeof in.result, "%s", result);
    cy_status_t st = monitor_service_add(c->req->app, &c->a, c->req->now, &in, &out, err);
    if (st == CY_OK)
        res->json = service_json(&out);
    return st;
}

HTTP_ITEM_FN(service_item, mon_service_t, service_json)

static cy_status_t
services(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    int64_t org = 0;
    cy_status_t st = http_query_number(c->req, "org_id", 1, INT64_MAX, 0, &org, err);
    json_t *items = json_array();
    int64_t next = 0;
    if (st == CY_OK)
        st = monitor_service_list(c->req->app, &c->a, org, &c->page, service_item, items, &next,
                                  err);
    res->json = http_list_json(items, next);
    return st;
}

HTTP_ROUTE(h_service_add, .body = SERVICE_FIELDS, .status = 201, .action = service_add)
HTTP_ROUTE(h_services, .paged = 1, .status = 200, .action = services)
