/*
 * claims_json.c — claims' JSON (claims_json.h): request bodies into the
 * inputs of app/claims/claims.h, records into the API's answers. Money is
 * fen, durations minutes, times UTC ISO-8601 (the web UI shows them in
 * Beijing time). Never includes sqlite3 or libpq.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/util.h"
#include "core/bjtime.h"
#include "http/claims_json.h"

/* ---------- requests ---------- */

static const char *
str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int64_t
num(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static int
flag(json_t *o, const char *k)
{
    return json_is_true(json_object_get(o, k));
}

static cy_status_t
bad_type(cy_error_t *err, const char *field, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EBADREQ, "wrong_type", field, "%s 应为%s / %s must be %s", field,
                        zh, field, en);
}

static cy_status_t
too_many(cy_error_t *err, const char *field, size_t max)
{
    return cy_error_set(err, CY_EINVAL, "too_many", field, "%s 至多 %zu 项 / %s: at most %zu items",
                        field, max, field, max);
}

/* The strings of o[key] (an array; absent: *n 0, *out NULL) into room for cap. */
static cy_status_t
strings_of(json_t *o, const char *key, const char **room, size_t cap, const char *const **out,
           size_t *n, cy_error_t *err)
{
    json_t *arr = json_object_get(o, key);
    *out = NULL;
    *n = 0;
    if (arr == NULL)
        return CY_OK;
    if (json_array_size(arr) > cap)
        return too_many(err, key, cap);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        char f[48];
        snprintf(f, sizeof f, "%s[%zu]", key, i);
        if (!json_is_string(v))
            return bad_type(err, f, "字符串", "a string");
        room[i] = json_string_value(v);
    }
    *out = room;
    *n = json_array_size(arr);
    return CY_OK;
}

static cy_status_t
estimates_of(json_t *arr, cj_lists_t *l, claims_notice_in_t *in, cy_error_t *err)
{
    if (json_array_size(arr) > COV_N)
        return too_many(err, "estimates", COV_N);
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        char f[48];
        snprintf(f, sizeof f, "estimates[%zu]", i);
        if (!json_is_object(e))
            return bad_type(err, f, "对象 {coverage, amount}", "an object {coverage, amount}");
        const char *key;
        json_t *v;
        json_object_foreach(e, key, v)
        {
            if (strcmp(key, "coverage") != 0 && strcmp(key, "amount") != 0) {
                snprintf(f, sizeof f, "estimates[%zu].%s", i, key);
                return cy_error_set(err, CY_EBADREQ, "unknown_field", f,
                                    "未知字段 %s / unknown field %s", f, f);
            }
        }
        snprintf(f, sizeof f, "estimates[%zu].coverage", i);
        if (!json_is_string(json_object_get(e, "coverage")))
            return bad_type(err, f, "险种代码", "a coverage code");
        snprintf(f, sizeof f, "estimates[%zu].amount", i);
        if (!json_is_integer(json_object_get(e, "amount")))
            return bad_type(err, f, "以分计的整数", "an integer of fen");
        l->estimates[i] = (claims_estimate_in_t){str(e, "coverage"), num(e, "amount")};
    }
    in->estimates = l->estimates;
    in->n_estimates = json_array_size(arr);
    return CY_OK;
}

static cy_status_t
ids_of(json_t *arr, cj_lists_t *l, claims_notice_in_t *in, cy_error_t *err)
{
    if (arr == NULL)
        return CY_OK;
    if (json_array_size(arr) > CLAIMS_MAX_POLICIES)
        return too_many(err, "policy_ids", CLAIMS_MAX_POLICIES);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        char f[48];
        snprintf(f, sizeof f, "policy_ids[%zu]", i);
        if (!json_is_integer(v))
            return bad_type(err, f, "保单编号（整数）", "a policy id (an integer)");
        l->ids[i] = json_integer_value(v);
    }
    in->policy_ids = l->ids;
    in->n_policy_ids = json_array_size(arr);
    return CY_OK;
}

cy_status_t
cj_notice_in(json_t *b, claims_notice_in_t *in, cj_lists_t *l, cy_error_t *err)
{
    memset(in, 0, sizeof *in);
    in->org_id = num(b, "org_id");
    in->incident_type = str(b, "incident_type");
    in->occurred_at = str(b, "occurred_at");
    in->discovered_at = str(b, "discovered_at");
    in->reported_at = str(b, "reported_at");
    in->description = str(b, "description");
    in->data_affected = str(b, "data_affected");
    in->preview = flag(b, "preview");
    cy_status_t st =
        strings_of(b, "systems", l->strings, CLAIMS_MAX_SYSTEMS, &in->systems, &in->n_systems, err);
    if (st == CY_OK)
        st = estimates_of(json_object_get(b, "estimates"), l, in, err);
    if (st == CY_OK)
        st = ids_of(json_object_get(b, "policy_ids"), l, in, err);
    return st;
}

void
cj_note_in(json_t *b, claims_note_in_t *in)
{
    *in = (claims_note_in_t){str(b, "kind"), str(b, "text"), flag(b, "to_insured"),
                             flag(b, "to_responder")};
}

void
cj_assign_in(json_t *b, claims_assign_in_t *in)
{
    json_t *rate = json_object_get(b, "hourly_rate");
    *in = (claims_assign_in_t){num(b, "service_org_id"), str(b, "service"), rate != NULL,
                               json_integer_value(rate), str(b, "note")};
}

void
cj_task_in(json_t *b, claims_task_in_t *in)
{
    memset(in, 0, sizeof *in);
    in->assignment_id = num(b, "assignment_id");
    in->title = str(b, "title");
    in->detail = str(b, "detail");
    in->has_minutes = json_object_get(b, "minutes") != NULL;
    in->minutes = num(b, "minutes");
    in->has_expenses = json_object_get(b, "expenses") != NULL;
    in->expenses = num(b, "expenses");
    in->status = str(b, "status");
}

cy_status_t
cj_panel_in(json_t *b, claims_panel_in_t *in, cj_lists_t *l, cy_error_t *err)
{
    memset(in, 0, sizeof *in);
    in->service_org_id = num(b, "service_org_id");
    in->has_hourly_rate = json_object_get(b, "hourly_rate") != NULL;
    in->hourly_rate = num(b, "hourly_rate");
    in->has_active = json_object_get(b, "active") != NULL;
    in->active = flag(b, "active");
    in->note = str(b, "note");
    cy_status_t st = strings_of(b, "services", l->strings, CLAIMS_PANEL_SERVICES, &in->services,
                                &in->n_services, err);
    if (st == CY_OK && json_object_get(b, "services") != NULL && in->services == NULL)
        in->services = l->strings; /* an empty list: refused by the use case */
    return st;
}

cy_status_t
cj_liability_in(json_t *b, claims_liability_in_t *in, cj_lists_t *l, cy_error_t *err)
{
    memset(in, 0, sizeof *in);
    in->war = flag(b, "war");
    in->infrastructure = flag(b, "infrastructure");
    in->intentional = flag(b, "intentional");
    in->note = str(b, "note");
    return strings_of(b, "exploited", l->strings, CLAIMS_MAX_EXPLOITED, &in->exploited,
                      &in->n_exploited, err);
}

void
cj_line_item_in(json_t *b, claims_line_item_in_t *in)
{
    *in = (claims_line_item_in_t){
        str(b, "coverage"),       str(b, "description"),         num(b, "amount"),
        num(b, "outage_minutes"), num(b, "hourly_gross_profit"), str(b, "documents")};
}

void
cj_reserve_in(json_t *b, claims_reserve_in_t *in)
{
    *in = (claims_reserve_in_t){num(b, "amount"), str(b, "reason")};
}

void
cj_payment_in(json_t *b, claims_payment_in_t *in)
{
    *in = (claims_payment_in_t){str(b, "kind"), num(b, "amount"), str(b, "reference"),
                                str(b, "paid_on")};
}

void
cj_recovery_in(json_t *b, claims_recovery_in_t *in)
{
    *in = (claims_recovery_in_t){str(b, "source"), str(b, "counterparty"), str(b, "received_on"),
                                 str(b, "note"), num(b, "amount")};
}

/* ---------- answers ---------- */

/* A text or null when empty. */
static json_t *
text(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

static json_t *
amount_or_null(int64_t v)
{
    return v >= 0 ? json_integer(v) : json_null();
}

static json_t *
cov_or_null(int cov)
{
    return cov >= 0 ? json_string(cov_code(cov)) : json_null();
}

/* Each line of a multi-line text as an array. */
static json_t *
lines_of(const char *s)
{
    json_t *a = json_array();
    char buf[CLAIMS_SHORT_MAX + 1];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save = NULL, *t = strtok_r(buf, "\n", &save); t; t = strtok_r(NULL, "\n", &save))
        json_array_append_new(a, json_string(t));
    return a;
}

static json_t *
check_json(const liab_check_t *k)
{
    return json_pack("{s:s, s:s, s:o, s:o, s:s}", "code", k->code, "mark", liab_mark_code(k->mark),
                     "coverage", cov_or_null(k->cov), "clause", text(k->clause), "text", k->text);
}

static json_t *
notice_policy_json(const claims_notice_policy_t *p)
{
    return json_pack(
        "{s:I, s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o}", "policy_id",
        (json_int_t)p->policy_id, "policy_no", p->policy_no, "insurer_org_id",
        (json_int_t)p->insurer_org_id, "insurer_name", p->insurer_name, "period_start",
        text(p->period_start), "period_end", text(p->period_end), "trigger", text(p->trigger),
        "retro_date", text(p->retro_date), "answers", p->answers, "trigger_check",
        p->trigger_check.code[0] ? check_json(&p->trigger_check) : json_null(), "notice_check",
        p->notice_check.code[0] ? check_json(&p->notice_check) : json_null(), "claim_id",
        p->claim_id ? json_integer(p->claim_id) : json_null(), "claim_no", text(p->claim_no));
}

json_t *
cj_incident(const claims_incident_t *i)
{
    json_t *ps = json_array();
    for (size_t k = 0; k < i->n_policies; k++)
        json_array_append_new(ps, notice_policy_json(&i->policies[k]));
    return json_pack("{s:o, s:I, s:s, s:I, s:s, s:o, s:s, s:s, s:s, s:o, s:s, s:o, s:o}", "id",
                     i->id ? json_integer(i->id) : json_null(), "insured_org_id",
                     (json_int_t)i->insured_org_id, "insured_name", i->insured_name,
                     "reported_by_org_id", (json_int_t)i->reported_by_org_id, "incident_type",
                     i->incident_type, "occurred_at", text(i->occurred_at), "discovered_at",
                     i->discovered_at, "reported_at", i->reported_at, "description", i->description,
                     "systems", lines_of(i->systems), "data_affected", i->data_affected,
                     "created_at", text(i->created_at), "policies", ps);
}

json_t *
cj_incidents(const claims_incident_list_t *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, cj_incident(&l->items[i]));
    return a;
}

/* The claim's own fields, as a list shows them. */
static json_t *
claim_head(const claims_claim_t *c)
{
    json_t *est = json_object();
    for (int k = 0; k < COV_N; k++)
        if (c->estimates[k] >= 0)
            json_object_set_new(est, cov_code(k), json_integer(c->estimates[k]));
    char sec[2] = {c->section, '\0'};
    json_t *j = json_pack(
        "{s:I, s:s, s:I, s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:o, s:s, s:o}",
        "id", (json_int_t)c->id, "claim_no", c->claim_no, "incident_id", (json_int_t)c->incident_id,
        "policy_id", (json_int_t)c->policy_id, "policy_no", c->policy_no, "insurer_org_id",
        (json_int_t)c->insurer_org_id, "insurer_name", c->insurer_name, "insured_org_id",
        (json_int_t)c->insured_org_id, "insured_name", c->insured_name, "region_code", c->region,
        "industry_section", sec, "status", c->status, "notice_late", c->notice_late,
        "incident_type", c->incident_type, "occurred_at", text(c->occurred_at), "discovered_at",
        c->discovered_at, "reported_at", text(c->reported_at));
    json_object_set_new(j, "description", json_string(c->description));
    json_object_set_new(j, "systems", lines_of(c->systems));
    json_object_set_new(j, "data_affected", json_string(c->data_affected));
    json_object_set_new(j, "estimates", est);
    json_object_set_new(j, "estimate_total", json_integer(c->estimate_total));
    json_object_set_new(j, "liability_outcome", text(c->liability_outcome));
    json_object_set_new(j, "settled_amount", amount_or_null(c->settled_amount));
    json_object_set_new(j, "paid", json_integer(c->paid));
    json_object_set_new(j, "recovered", json_integer(c->recovered));
    json_object_set_new(j, "reserve", amount_or_null(c->reserve));
    json_object_set_new(j, "notified_at", text(c->notified_at));
    json_object_set_new(j, "first_response_at", text(c->first_response_at));
    json_object_set_new(j, "settled_at", text(c->settled_at));
    json_object_set_new(j, "closed_at", text(c->closed_at));
    json_object_set_new(j, "updated_at", text(c->updated_at));
    json_object_set_new(j, "party", text(c->party));
    return j;
}

json_t *
cj_claims(const claims_claim_list_t *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, claim_head(&l->items[i]));
    return a;
}

static json_t *
actions_json(unsigned m)
{
    static const char *const NAMES[] = {"note",   "assign", "respond", "adjust",
                                        "settle", "pay",    "close",   "reopen"};
    json_t *a = json_array();
    for (unsigned i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (m & (1u << i))
            json_array_append_new(a, json_string(NAMES[i]));
    return a;
}

static json_t *
event_json(const claims_event_t *e)
{
    return json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:b, s:b}", "id", (json_int_t)e->id, "at",
                     e->at, "user_id", (json_int_t)e->user_id, "org_id", (json_int_t)e->org_id,
                     "party", e->party, "kind", e->kind, "text", e->text, "to_insured",
                     e->to_insured, "to_responder", e->to_responder);
}

static json_t *
assignment_json(const claims_assignment_t *s)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:b, s:I, s:s, s:s}", "id", (json_int_t)s->id,
                     "service_org_id", (json_int_t)s->service_org_id, "service_org_name",
                     s->service_org_name, "service", s->service, "panel", s->panel, "hourly_rate",
                     (json_int_t)s->hourly_rate, "note", s->note, "assigned_at", s->assigned_at);
}

json_t *
cj_task(const claims_task_t *t)
{
    return json_pack("{s:I, s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, "
                     "s:o}",
                     "id", (json_int_t)t->id, "claim_id", (json_int_t)t->claim_id, "claim_no",
                     t->claim_no, "assignment_id", (json_int_t)t->assignment_id, "service_org_id",
                     (json_int_t)t->service_org_id, "service", t->service, "title", t->title,
                     "detail", t->detail, "status", t->status, "minutes", (json_int_t)t->minutes,
                     "hourly_rate", (json_int_t)t->hourly_rate, "expenses", (json_int_t)t->expenses,
                     "cost", (json_int_t)t->cost, "created_at", t->created_at, "updated_at",
                     t->updated_at, "done_at", text(t->done_at));
}

json_t *
cj_tasks(const claims_task_list_t *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, cj_task(&l->items[i]));
    return a;
}

static json_t *
mask_json(uint32_t m)
{
    json_t *a = json_array();
    for (int k = 0; k < COV_N; k++)
        if (m & (1u << k))
            json_array_append_new(a, json_string(cov_code(k)));
    return a;
}

static json_t *
liability_json(const claims_liability_t *l)
{
    json_t *checks = json_array(), *cves = json_array();
    for (size_t i = 0; i < l->n_checks; i++)
        json_array_append_new(checks, check_json(&l->checks[i]));
    for (size_t i = 0; i < l->n_exploited; i++)
        json_array_append_new(cves, json_string(l->exploited[i]));
    return json_pack("{s:I, s:s, s:o, s:b, s:b, s:b, s:o, s:s, s:s, s:I, s:s, s:o}", "id",
                     (json_int_t)l->id, "outcome", l->outcome, "responding",
                     mask_json(l->responding), "war", l->war, "infrastructure", l->infrastructure,
                     "intentional", l->intentional, "exploited", cves, "rules_version",
                     l->rules_version, "note", l->note, "decided_by", (json_int_t)l->decided_by,
                     "decided_at", l->decided_at, "checks", checks);
}

static json_t *
line_item_json(const claims_line_item_t *li)
{
    return json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s}", "id", (json_int_t)li->id,
                     "coverage", cov_code(li->cov), "description", li->description, "amount",
                     (json_int_t)li->amount, "outage_minutes", (json_int_t)li->outage_minutes,
                     "hourly_gross_profit", (json_int_t)li->hourly_gross_profit, "total",
                     (json_int_t)li->total, "documents", li->documents, "created_at",
                     li->created_at);
}

json_t *
cj_settlement(const claims_settlement_t *s)
{
    json_t *lines = json_array();
    for (size_t i = 0; i < s->n_lines; i++) {
        const claims_trace_line_t *l = &s->lines[i];
        json_array_append_new(lines,
                              json_pack("{s:s, s:o, s:I, s:I, s:s}", "rule", l->rule, "coverage",
                                        cov_or_null(l->cov), "before", (json_int_t)l->before,
                                        "after", (json_int_t)l->after, "text", l->text));
    }
    return json_pack("{s:o, s:I, s:I, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "id",
                     s->id ? json_integer(s->id) : json_null(), "aggregate_limit",
                     (json_int_t)s->aggregate_limit, "retention", (json_int_t)s->retention,
                     "bi_waiting_hours", s->bi_waiting_hours, "aggregate_before",
                     (json_int_t)s->aggregate_before, "aggregate_after",
                     (json_int_t)s->aggregate_after, "claimed_total", (json_int_t)s->claimed_total,
                     "declined_total", (json_int_t)s->declined_total, "ground_up_total",
                     (json_int_t)s->ground_up_total, "waiting", (json_int_t)s->waiting, "retained",
                     (json_int_t)s->retained, "paid_total", (json_int_t)s->paid_total, "settled_at",
                     text(s->settled_at), "trace", lines);
}

/* The money of a claim: reserves (the insurer's), payments, recoveries. */
static void
money_json(json_t *j, const claims_claim_t *c)
{
    json_t *res = json_array(), *pay = json_array(), *rec = json_array();
    for (size_t i = 0; i < c->n_reserves; i++)
        json_array_append_new(res,
                              json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)c->reserves[i].id,
                                        "amount", (json_int_t)c->reserves[i].amount, "reason",
                                        c->reserves[i].reason, "at", c->reserves[i].at));
    for (size_t i = 0; i < c->n_payments; i++) {
        const claims_payment_t *p = &c->payments[i];
        json_array_append_new(pay, json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "id",
                                             (json_int_t)p->id, "kind", p->kind, "amount",
                                             (json_int_t)p->amount, "reference", p->reference,
                                             "paid_on", p->paid_on, "at", p->at));
    }
    for (size_t i = 0; i < c->n_recoveries; i++) {
        const claims_recovery_t *r = &c->recoveries[i];
        json_array_append_new(rec, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s}", "id",
                                             (json_int_t)r->id, "source", r->source, "counterparty",
                                             r->counterparty, "amount", (json_int_t)r->amount,
                                             "received_on", r->received_on, "note", r->note, "at",
                                             r->at));
    }
    json_object_set_new(j, "reserves", c->reserve >= 0 ? res : (json_decref(res), json_null()));
    json_object_set_new(j, "payments", pay);
    json_object_set_new(j, "recoveries", rec);
}

json_t *
cj_claim(const claims_claim_t *c)
{
    json_t *j = claim_head(c);
    json_t *st = json_array(), *ev = json_array(), *as = json_array(), *ts = json_array(),
           *li = json_array();
    for (size_t i = 0; i < c->n_statuses; i++)
        json_array_append_new(st,
                              json_pack("{s:s, s:s, s:s}", "status", c->statuses[i].status, "at",
                                        c->statuses[i].at, "reason", c->statuses[i].reason));
    for (size_t i = 0; i < c->n_events; i++)
        json_array_append_new(ev, event_json(&c->events[i]));
    for (size_t i = 0; i < c->n_assignments; i++)
        json_array_append_new(as, assignment_json(&c->assignments[i]));
    for (size_t i = 0; i < c->n_tasks; i++)
        json_array_append_new(ts, cj_task(&c->tasks[i]));
    for (size_t i = 0; i < c->n_line_items; i++)
        json_array_append_new(li, line_item_json(&c->line_items[i]));
    json_object_set_new(j, "actions", actions_json(c->actions));
    json_object_set_new(j, "statuses", st);
    json_object_set_new(j, "timeline", ev);
    json_object_set_new(j, "assignments", as);
    json_object_set_new(j, "tasks", ts);
    json_object_set_new(j, "response_cost", json_integer(c->response_cost));
    json_object_set_new(j, "liability",
                        c->has_liability ? liability_json(&c->liability) : json_null());
    json_object_set_new(j, "line_items", li);
    json_object_set_new(j, "settlement",
                        c->has_settlement ? cj_settlement(&c->settlement) : json_null());
    money_json(j, c);
    return j;
}

json_t *
cj_panel(const claims_panel_t *p)
{
    json_t *sv = json_array();
    for (size_t i = 0; i < p->n_services; i++)
        json_array_append_new(sv, json_string(p->services[i]));
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:o, s:I, s:b, s:s, s:s, s:s}", "id",
                     (json_int_t)p->id, "insurer_org_id", (json_int_t)p->insurer_org_id,
                     "insurer_name", p->insurer_name, "service_org_id",
                     (json_int_t)p->service_org_id, "service_org_name", p->service_org_name,
                     "services", sv, "hourly_rate", (json_int_t)p->hourly_rate, "active", p->active,
                     "note", p->note, "created_at", p->created_at, "updated_at", p->updated_at);
}

json_t *
cj_panels(const claims_panel_list_t *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, cj_panel(&l->items[i]));
    return a;
}

static json_t *
hours_or_null(double h)
{
    return h >= 0 ? json_real(h) : json_null();
}

static json_t *
figure_json(const claims_figure_t *f)
{
    return json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "key", f->key,
                     "name", text(f->name), "claims", (json_int_t)f->claims, "open",
                     (json_int_t)f->open, "settled", (json_int_t)f->settled, "paid",
                     (json_int_t)f->paid, "recovered", (json_int_t)f->recovered, "reserves",
                     (json_int_t)f->reserves, "responded", (json_int_t)f->responded,
                     "avg_hours_to_first_response", hours_or_null(f->avg_response_hours),
                     "avg_hours_to_settlement", hours_or_null(f->avg_settle_hours));
}

json_t *
cj_figures(const claims_figures_t *f)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < f->n; i++)
        json_array_append_new(rows, figure_json(&f->rows[i]));
    return json_pack("{s:o, s:o}", "rows", rows, "total", figure_json(&f->total));
}

json_t *
cj_rules(const claims_data_t *d)
{
    json_t *types = json_array(), *svc = json_array(), *ex = json_array();
    for (size_t i = 0; i < d->n_types; i++)
        json_array_append_new(types,
                              json_pack("{s:s, s:s, s:s, s:o}", "code", d->types[i].code, "name_zh",
                                        d->types[i].name_zh, "name_en", d->types[i].name_en,
                                        "perils", mask_json(d->types[i].perils)));
    for (size_t i = 0; i < d->n_services; i++)
        json_array_append_new(svc,
                              json_pack("{s:s, s:s, s:s}", "code", d->services[i].code, "name_zh",
                                        d->services[i].name_zh, "name_en", d->services[i].name_en));
    for (size_t i = 0; i < d->n_exclusions; i++) {
        const claims_exclusion_text_t *t = &d->texts[i];
        json_array_append_new(ex, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:i}", "code",
                                            t->code, "clause", t->clause, "name_zh", t->name_zh,
                                            "name_en", t->name_en, "wording_zh", t->wording_zh,
                                            "wording_en", t->wording_en, "source", t->source,
                                            "coverages", mask_json(d->exclusions[i].applies),
                                            "grace_days", d->exclusions[i].grace_days));
    }
    json_t *media = json_array();
    for (size_t i = 0; i < d->n_media; i++)
        json_array_append_new(media, json_string(d->media[i]));
    return json_pack("{s:s, s:s, s:s, s:i, s:I, s:o, s:o, s:o, s:o}", "version", d->rules_version,
                     "exclusions_version", d->excl_version, "wording", d->wording, "notice_hours",
                     d->notice_hours, "non_panel_hourly_rate", (json_int_t)d->non_panel_rate,
                     "incident_types", types, "services", svc, "exclusions", ex,
                     "evidence_media_types", media);
}

/* ---------- evidence ---------- */

json_t *
cj_evidence(const claims_evidence_t *e)
{
    char content[96];
    snprintf(content, sizeof content, "/api/v1/claims/%" PRId64 "/evidence/%" PRId64 "/content",
             e->claim_id, e->id);
    int item = strcmp(e->kind, "item") == 0;
    json_t *o = json_pack("{s:I, s:I, s:i, s:s, s:i, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)e->id, "claim_id", (json_int_t)e->claim_id, "seq", e->seq,
                          "kind", e->kind, "item_seq", e->item_seq, "sha256", e->sha256, "size",
                          (json_int_t)e->size, "media_type", e->media_type, "filename", e->filename,
                          "description", e->description, "collected_by", e->collected_by,
                          "collected_at", e->collected_at, "method", e->method);
    json_object_set_new(o, "blob_id", item ? json_integer(e->blob_id) : json_null());
    json_object_set_new(o, "from_holder", json_string(e->from_holder));
    json_object_set_new(o, "to_holder", json_string(e->to_holder));
    json_object_set_new(o, "org_id", json_integer(e->org_id));
    json_object_set_new(o, "user_id", json_integer(e->user_id));
    json_object_set_new(o, "created_at", json_string(e->created_at));
    json_object_set_new(o, "prev_hash", json_string(e->prev_hash));
    json_object_set_new(o, "hash", json_string(e->hash));
    json_object_set_new(o, "content", item ? json_string(content) : json_null());
    return o;
}

json_t *
cj_evidence_list(const claims_evidence_list_t *l)
{
    json_t *items = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(items, cj_evidence(&l->items[i]));
    const claims_chain_check_t *k = &l->check;
    json_t *v = json_pack("{s:b}", "ok", k->ok);
    json_object_set_new(v, "bad_seq", k->ok ? json_null() : json_integer(k->bad_seq));
    json_object_set_new(v, "bad_id", k->ok ? json_null() : json_integer(k->bad_id));
    json_object_set_new(v, "bad_filename", k->ok ? json_null() : json_string(k->bad_filename));
    json_object_set_new(v, "reason", k->ok ? json_null() : json_string(k->reason));
    return json_pack("{s:o, s:o}", "items", items, "verify", v);
}
