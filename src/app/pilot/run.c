/*
 * pilot_run.c — the pilot after selection (DOMAIN.md §7): the ministry
 * selects pilots from the plans it received (numbered, with a start date);
 * pilots report progress per period of the round file; the ministry or the
 * pilot's province may exit a pilot (试点退出) with a reason; pilots, cities
 * and provinces file annual summaries with the notice's three sections; and
 * authorities see what is overdue. Also the 基础电信企业 flag and the pilot's
 * demo data. Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "app/util.h"
#include "core/bjtime.h"

/* A pilot is visible exactly when its plan is: alias p for its plan, t for the pilot. */
#define PILOT_SELECT                                                                               \
    "SELECT t.id, t.code, t.round_id, t.status, t.plan_id, p.name, p.annex, t.lead_org_id, "       \
    "lo.name, lo.region_code, p.telecom, t.start_date, t.selected_at, t.exited_at, "               \
    "t.exit_reason, xo.name FROM pilot t JOIN pilot_plan p ON p.id = t.plan_id JOIN "              \
    "organisation lo ON lo.id = t.lead_org_id LEFT JOIN organisation xo ON xo.id = "               \
    "t.exited_by_org_id "

static const pcol_t PILOT_COLS[] = {{"id", 'i'},
                                    {"code", 's'},
                                    {"round_id", 's'},
                                    {"status", 's'},
                                    {"plan_id", 'i'},
                                    {"plan_name", 's'},
                                    {"annex", 'i'},
                                    {"lead_org_id", 'i'},
                                    {"lead_name", 's'},
                                    {"lead_region", 's'},
                                    {"telecom", 'b'},
                                    {"start_date", 's'},
                                    {"selected_at", 's'},
                                    {"exited_at", 'n'},
                                    {"exit_reason", 'n'},
                                    {"exited_by", 'n'},
                                    {NULL, 0}};

typedef struct {
    app_t *app;
    const actor_t *a;
    const pilot_filter_t *f;
    int64_t id;
    json_t *in;
    const char *text;
    const char *text2;
    int64_t now;
    json_t *out;
    int64_t next;
} rw_t;

static cy_status_t
pilot_load(store_conn_t *c, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(a)), STORE_P_INT(a->org_id), STORE_P_INT(id)};
    cy_status_t st = pilot_query_one(c, PILOT_SELECT "WHERE t.id = $3 AND " PILOT_PLAN_VISIBLE, p,
                                     3, PILOT_COLS, out, err);
    if (st == CY_OK && *out == NULL)
        return app_not_found(err, "试点", "pilot", id);
    return st;
}

static const pcol_t REPORT_COLS[] = {{"id", 'i'},
                                     {"pilot_id", 'i'},
                                     {"pilot_code", 's'},
                                     {"period", 's'},
                                     {"insured_enterprises", 'i'},
                                     {"policies", 'i'},
                                     {"premium_fen", 'i'},
                                     {"sum_insured_fen", 'i'},
                                     {"assessments", 'i'},
                                     {"alerts", 'i'},
                                     {"incidents", 'i'},
                                     {"claims_paid_fen", 'i'},
                                     {"text", 's'},
                                     {"due_at", 's'},
                                     {"received_at", 's'},
                                     {"late", 'b'},
                                     {"org_id", 'i'},
                                     {NULL, 0}};
#define REPORT_SELECT                                                                              \
    "SELECT r.id, r.pilot_id, t.code, r.period, r.insured_enterprises, r.policies, "               \
    "r.premium_fen, r.sum_insured_fen, r.assessments, r.alerts, r.incidents, r.claims_paid_fen, "  \
    "r.text, r.due_at, r.received_at, r.late, r.org_id FROM pilot_report r JOIN pilot t ON t.id "  \
    "= r.pilot_id JOIN pilot_plan p ON p.id = t.plan_id "

static const pcol_t SUMMARY_COLS[] = {{"id", 'i'},
                                      {"round_id", 's'},
                                      {"level", 's'},
                                      {"pilot_id", 'I'},
                                      {"pilot_code", 'n'},
                                      {"org_id", 'i'},
                                      {"org_name", 's'},
                                      {"to_org_id", 'i'},
                                      {"to_name", 's'},
                                      {"progress", 's'},
                                      {"innovation", 's'},
                                      {"services", 's'},
                                      {"deadline", 's'},
                                      {"due_at", 'n'},
                                      {"received_at", 's'},
                                      {"late", 'b'},
                                      {NULL, 0}};
#define SUMMARY_SELECT                                                                             \
    "SELECT m.id, m.round_id, m.level, m.pilot_id, t.code, m.org_id, o.name, m.to_org_id, "        \
    "tg.name, m.progress, m.innovation, m.services, m.deadline_key, m.due_at, m.received_at, "     \
    "m.late FROM pilot_summary m JOIN organisation o ON o.id = m.org_id JOIN organisation tg ON "  \
    "tg.id = m.to_org_id LEFT JOIN pilot t ON t.id = m.pilot_id LEFT JOIN pilot_plan p ON p.id "   \
    "= t.plan_id "
/* a summary: its author and its receiver, or (a pilot's) whoever sees the pilot */
#define SUMMARY_VISIBLE                                                                            \
    "($1 = 1 OR m.org_id = $2 OR m.to_org_id = $2 OR (m.pilot_id IS NOT NULL "                     \
    "AND " PILOT_PLAN_VISIBLE "))"

/* One event of a pilot's timeline. */
static void
event(json_t *tl, const char *at, const char *kind, const char *zh, const char *en)
{
    if (at == NULL || at[0] == '\0')
        return;
    json_array_append_new(tl, json_pack("{s:s, s:s, s:s, s:s}", "at", at, "kind", kind, "text_zh",
                                        zh, "text_en", en));
}

static int
event_cmp(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    return strcmp(pf_str(x, "at"), pf_str(y, "at"));
}

static cy_status_t
pilot_json(store_conn_t *c, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    json_t *o;
    cy_status_t st = pilot_load(c, a, id, &o, err);
    if (st != CY_OK)
        return st;
    int64_t plan_id = json_integer_value(json_object_get(o, "plan_id"));
    store_param_t p[] = {STORE_P_INT(plan_id)};
    store_param_t q[] = {STORE_P_INT(id)};
    json_t *plan = NULL, *hops = json_array(), *reports = json_array(), *sums = json_array();
    static const pcol_t pcols[] = {{"created_at", 's'}, {"submitted_at", 'n'}, {NULL, 0}};
    static const pcol_t hcols[] = {{"kind", 's'},        {"from_name", 's'}, {"to_name", 's'},
                                   {"received_at", 's'}, {"comment", 's'},   {NULL, 0}};
    st = pilot_query_one(c, "SELECT created_at, submitted_at FROM pilot_plan WHERE id = $1", p, 1,
                         pcols, &plan, err);
    if (st == CY_OK)
        st = pilot_query_json(c,
                              "SELECT h.kind, fo.name, tg.name, h.received_at, h.comment FROM "
                              "pilot_hop h JOIN organisation fo ON fo.id = h.from_org_id JOIN "
                              "organisation tg ON tg.id = h.to_org_id WHERE h.plan_id = $1 ORDER "
                              "BY h.id",
                              p, 1, hcols, hops, err);
    if (st == CY_OK)
        st = pilot_query_json(c, REPORT_SELECT "WHERE r.pilot_id = $1 ORDER BY r.period", q, 1,
                              REPORT_COLS, reports, err);
    if (st == CY_OK)
        st = pilot_query_json(c, SUMMARY_SELECT "WHERE m.pilot_id = $1 ORDER BY m.id", q, 1,
                              SUMMARY_COLS, sums, err);
    if (st == CY_OK) {
        json_t *tl = json_array();
        char zh[512], en[512];
        event(tl, pf_str(plan, "created_at"), "drafted", "起草试点工作方案", "plan drafted");
        size_t i;
        json_t *h;
        json_array_foreach(hops, i, h)
        {
            const char *kind = pf_str(h, "kind");
            const char *to = pf_str(h, "to_name"), *from = pf_str(h, "from_name");
            if (strcmp(kind, "return") == 0) {
                snprintf(zh, sizeof zh, "%s退回修改：%s", from, pf_str(h, "comment"));
                snprintf(en, sizeof en, "returned by %s: %s", from, pf_str(h, "comment"));
            } else if (strcmp(kind, "copy") == 0) {
                snprintf(zh, sizeof zh, "抄送%s", to);
                snprintf(en, sizeof en, "copied to %s", to);
            } else {
                snprintf(zh, sizeof zh, "%s报送%s", from, to);
                snprintf(en, sizeof en, "sent by %s to %s", from, to);
            }
            event(tl, pf_str(h, "received_at"), kind, zh, en);
        }
        snprintf(zh, sizeof zh, "入选试点，编号 %s，启动日期 %s", pf_str(o, "code"),
                 pf_str(o, "start_date"));
        snprintf(en, sizeof en, "selected as pilot %s, starting %s", pf_str(o, "code"),
                 pf_str(o, "start_date"));
        event(tl, pf_str(o, "selected_at"), "selected", zh, en);
        json_array_foreach(reports, i, h)
        {
            int late = json_is_true(json_object_get(h, "late"));
            snprintf(zh, sizeof zh, "报送 %s 进展报告%s", pf_str(h, "period"),
                     late ? "（逾期）" : "");
            snprintf(en, sizeof en, "progress report %s filed%s", pf_str(h, "period"),
                     late ? " (late)" : "");
            event(tl, pf_str(h, "received_at"), "report", zh, en);
        }
        json_array_foreach(sums, i, h)
        {
            event(tl, pf_str(h, "received_at"), "summary", "报送年度总结", "annual summary filed");
        }
        if (!json_is_null(json_object_get(o, "exited_at"))) {
            snprintf(zh, sizeof zh, "%s决定退出试点：%s", pf_str(o, "exited_by"),
                     pf_str(o, "exit_reason"));
            snprintf(en, sizeof en, "exited by %s: %s", pf_str(o, "exited_by"),
                     pf_str(o, "exit_reason"));
            event(tl, pf_str(o, "exited_at"), "exited", zh, en);
        }
        /* stable by time: equal times keep the order they happened in */
        size_t n = json_array_size(tl);
        json_t **v = calloc(n ? n : 1, sizeof *v);
        for (i = 0; v != NULL && i < n; i++)
            v[i] = json_incref(json_array_get(tl, i));
        if (v != NULL) {
            /* insertion sort: stable and the list is short */
            for (i = 1; i < n; i++) {
                json_t *x = v[i];
                size_t j = i;
                while (j > 0 && event_cmp(&v[j - 1], &x) > 0) {
                    v[j] = v[j - 1];
                    j--;
                }
                v[j] = x;
            }
            json_array_clear(tl);
            for (i = 0; i < n; i++)
                json_array_append_new(tl, v[i]);
            free(v);
        }
        json_object_set_new(o, "timeline", tl);
        json_object_set_new(o, "reports", reports);
        json_object_set_new(o, "summaries", sums);
        reports = sums = NULL;
        *out = o;
        o = NULL;
    }
    json_decref(o);
    json_decref(plan);
    json_decref(hops);
    json_decref(reports);
    json_decref(sums);
    return st;
}

static cy_status_t
get_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rw_t *g = arg;
    return pilot_json(c, g->a, g->id, &g->out, err);
}

cy_status_t
app_pilot_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    rw_t g = {app, a, NULL, id, NULL, NULL, NULL, 0, NULL, 0};
    cy_status_t st = pilot_read(app, get_tx, &g, err);
    *out = g.out;
    return st;
}

static cy_status_t
list_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rw_t *l = arg;
    int limit = l->f->limit < 1 || l->f->limit > 200 ? 50 : l->f->limit;
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(l->a)), STORE_P_INT(l->a->org_id),
                         STORE_P_INT(l->f->cursor),         STORE_P_TEXT(l->f->round_id),
                         STORE_P_TEXT(l->f->status),        STORE_P_INT(limit + 1)};
    json_t *rows = json_array();
    cy_status_t st = pilot_query_json(
        c,
        PILOT_SELECT "WHERE " PILOT_PLAN_VISIBLE " AND t.id > $3 AND (CAST($4 AS TEXT) IS NULL "
                     "OR t.round_id = $4) AND (CAST($5 AS TEXT) IS NULL OR t.status = $5) ORDER "
                     "BY t.id LIMIT $6",
        p, 6, PILOT_COLS, rows, err);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if ((int)i == limit) {
            l->next = json_integer_value(json_object_get(row, "id")) - 1;
            break;
        }
        json_array_append(l->out, row);
    }
    json_decref(rows);
    return st;
}

cy_status_t
app_pilot_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items, int64_t *next,
               cy_error_t *err)
{
    rw_t l = {app, a, f, 0, NULL, NULL, NULL, 0, json_array(), 0};
    cy_status_t st = pilot_read(app, list_tx, &l, err);
    *items = l.out;
    *next = l.next;
    return st;
}

static cy_status_t
date_only(const char *s, const char *field, int64_t *midnight, cy_error_t *err)
{
    if (s == NULL || strlen(s) != 10 || bjtime_parse(s, midnight, NULL) != CY_OK)
        return cy_error_set(err, CY_EINVAL, "date_invalid", field,
                            "%s 应为有效日期 YYYY-MM-DD / %s must be a valid date YYYY-MM-DD",
                            field, field);
    return CY_OK;
}

static cy_status_t
select_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rw_t *w = arg;
    store_param_t vp[] = {STORE_P_INT(pilot_sees_all(w->a)), STORE_P_INT(w->a->org_id),
                          STORE_P_INT(w->id)};
    static const pcol_t cols[] = {
        {"round_id", 's'}, {"status", 's'}, {"holder", 'I'}, {"author_org_id", 'i'}, {NULL, 0}};
    json_t *plan = NULL;
    cy_status_t st =
        pilot_query_one(c,
                        "SELECT p.round_id, p.status, p.holder_org_id, "
                        "p.author_org_id FROM pilot_plan p WHERE p.id = $3 AND " PILOT_PLAN_VISIBLE,
                        vp, 3, cols, &plan, err);
    if (st != CY_OK)
        return st;
    if (plan == NULL)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "plan_id",
                            "试点工作方案 %" PRId64 " 不存在 / pilot plan %" PRId64 " not found",
                            w->id, w->id);
    char round_id[16], status[16];
    snprintf(round_id, sizeof round_id, "%s", pf_str(plan, "round_id"));
    snprintf(status, sizeof status, "%s", pf_str(plan, "status"));
    int64_t holder = json_integer_value(json_object_get(plan, "holder"));
    int64_t lead = json_integer_value(json_object_get(plan, "author_org_id"));
    json_decref(plan);
    if (strcmp(status, "selected") == 0)
        return cy_error_set(err, CY_ECONFLICT, "already_selected", "plan_id",
                            "该方案已入选试点 / the plan is already a pilot");
    if (strcmp(status, "submitted") != 0 || holder != w->a->org_id)
        return cy_error_set(err, CY_ECONFLICT, "plan_not_at_ministry", "plan_id",
                            "只能从已报送至工业和信息化部的方案中遴选试点 / pilots are selected "
                            "from the plans the ministry received");
    int64_t start;
    if ((st = date_only(w->text, "start_date", &start, err)) != CY_OK)
        return st;
    int64_t seq = 0;
    store_param_t q[] = {STORE_P_TEXT(round_id)};
    if ((st = store_query_int(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM pilot WHERE round_id = $1",
                              q, 1, &seq, NULL, err)) != CY_OK)
        return st;
    char code[40], ts[32];
    snprintf(code, sizeof code, "P%s-%03" PRId64, round_id, seq);
    pilot_iso(w->now, ts);
    int64_t id = 0;
    store_param_t p[] = {STORE_P_TEXT(round_id), STORE_P_INT(seq),          STORE_P_TEXT(code),
                         STORE_P_INT(w->id),     STORE_P_INT(lead),         STORE_P_TEXT(w->text),
                         STORE_P_TEXT(ts),       STORE_P_INT(w->a->user_id)};
    if ((st = pilot_insert(c,
                           "INSERT INTO pilot (round_id, seq, code, plan_id, lead_org_id, status, "
                           "start_date, selected_at, selected_by) VALUES ($1, $2, $3, $4, $5, "
                           "'active', $6, $7, $8) RETURNING id",
                           p, 8, &id, err)) != CY_OK)
        return st;
    store_param_t u[] = {STORE_P_INT(w->id)};
    if ((st = store_exec(c, "UPDATE pilot_plan SET status = 'selected' WHERE id = $1", u, 1, NULL,
                         err)) != CY_OK)
        return st;
    char tid[24];
    snprintf(tid, sizeof tid, "%" PRId64, id);
    st = app_audit_append(c, w->a, w->now, "pilot.select", "pilot", tid, err,
                          "试点工作方案 %" PRId64 " 入选试点，编号 %s，启动日期 %s / pilot plan "
                          "%" PRId64 " selected as pilot %s starting %s",
                          w->id, code, w->text, w->id, code, w->text);
    if (st == CY_OK)
        st = pilot_json(c, w->a, id, &w->out, err);
    return st;
}

cy_status_t
app_pilot_select(app_t *app, const actor_t *a, int64_t plan_id, const char *start_date, int64_t now,
                 json_t **out, cy_error_t *err)
{
    *out = NULL;
    cy_status_t st = pilot_need(a, ACT_PILOT_SELECT, err);
    if (st != CY_OK)
        return st;
    rw_t w = {app, a, NULL, plan_id, NULL, start_date, NULL, now, NULL, 0};
    st = store_tx(app->store, select_tx, &w, err);
    *out = w.out;
    return st;
}

static cy_status_t
exit_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rw_t *w = arg;
    json_t *t;
    cy_status_t st = pilot_load(c, w->a, w->id, &t, err);
    if (st != CY_OK)
        return st;
    char region[7], status[16];
    snprintf(region, sizeof region, "%s", pf_str(t, "lead_region"));
    snprintf(status, sizeof status, "%s", pf_str(t, "status"));
    json_decref(t);
    /* 取消其试点资格: the ministry, or the authority of the pilot's own province */
    int mine = w->a->org_type == ORG_MINISTRY ||
               (w->a->org_type == ORG_PROVINCE && strncmp(w->a->region, region, 2) == 0);
    if (!mine || !authz_allowed(w->a->org_type, w->a->role, ACT_PILOT_EXIT))
        return pilot_forbidden(err, "试点退出由工业和信息化部或试点所在省的主管部门决定",
                               "a pilot is exited by the ministry or its province's authority");
    if (strcmp(status, "active") != 0)
        return cy_error_set(err, CY_ECONFLICT, "pilot_exited", "status",
                            "该试点已退出 / the pilot has already exited");
    const char *why = w->text ? w->text : "";
    while (*why == ' ' || *why == '\n')
        why++;
    if (*why == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", "reason",
                            "请写明退出理由 / the reason for the exit is required");
    if (strlen(w->text) > 20000)
        return cy_error_set(err, CY_EINVAL, "too_long", "reason",
                            "理由过长 / the reason is too long");
    char ts[32];
    pilot_iso(w->now, ts);
    store_param_t u[] = {STORE_P_TEXT(ts), STORE_P_TEXT(w->text), STORE_P_INT(w->a->org_id),
                         STORE_P_INT(w->id)};
    if ((st = store_exec(c,
                         "UPDATE pilot SET status = 'exited', exited_at = $1, exit_reason = $2, "
                         "exited_by_org_id = $3 WHERE id = $4",
                         u, 4, NULL, err)) != CY_OK)
        return st;
    char tid[24];
    snprintf(tid, sizeof tid, "%" PRId64, w->id);
    st = app_audit_append(c, w->a, w->now, "pilot.exit", "pilot", tid, err,
                          "试点 %" PRId64 " 退出，理由：%s / pilot %" PRId64 " exited: %s", w->id,
                          w->text, w->id, w->text);
    if (st == CY_OK)
        st = pilot_json(c, w->a, w->id, &w->out, err);
    return st;
}

cy_status_t
app_pilot_exit(app_t *app, const actor_t *a, int64_t id, const char *reason, int64_t now,
               json_t **out, cy_error_t *err)
{
    rw_t w = {app, a, NULL, id, NULL, reason, NULL, now, NULL, 0};
    cy_status_t st = store_tx(app->store, exit_tx, &w, err);
    *out = w.out;
    return st;
}

/* ---- progress reports --------------------------------------------------- */

static cy_status_t
report_list_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rw_t *l = arg;
    int limit = l->f->limit < 1 || l->f->limit > 200 ? 50 : l->f->limit;
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(l->a)), STORE_P_INT(l->a->org_id),
                         STORE_P_INT(l->f->cursor), STORE_P_INT(l->f->pilot_id),
                         STORE_P_INT(limit + 1)};
    json_t *rows = json_array();
    cy_status_t st = pilot_query_json(
        c,
        REPORT_SELECT "WHERE " PILOT_PLAN_VISIBLE " AND r.id > $3 AND ($4 = 0 OR r.pilot_id = $4) "
                      "ORDER BY r.id LIMIT $5",
        p, 5, REPORT_COLS, rows, err);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if ((int)i == limit) {
            l->next = json_integer_value(json_object_get(row, "id")) - 1;
            break;
        }
        json_array_append(l->out, row);
    }
    json_decref(rows);
    return st;
}

cy_status_t
app_report_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                int64_t *next, cy_error_t *err)
{
    rw_t l = {app, a, f, 0, NULL, NULL, NULL, 0, json_array(), 0};
    cy_status_t st = pilot_read(app, report_list_tx, &l, err);
    *items = l.out;
    *next = l.next;
    return st;
}

static const char *const FIGURES[] = {"insured_enterprises", "policies",        "premium_fen",
                                      "sum_insured_fen",     "assessments",     "alerts",
                                      "incidents",           "claims_paid_fen", NULL};

static cy_status_t
report_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rw_t *w = arg;
    int64_t pilot_id = json_integer_value(json_object_get(w->in, "pilot_id"));
    json_t *t;
    cy_status_t st = pilot_load(c, w->a, pilot_id, &t, err);
    if (st != CY_OK) {
        if (st == CY_ENOTFOUND)
            snprintf(err->field, sizeof err->field, "pilot_id");
        return st;
    }
    int64_t lead = json_integer_value(json_object_get(t, "lead_org_id"));
    char round_id[16], status[16], start[16], code[40];
    snprintf(round_id, sizeof round_id, "%s", pf_str(t, "round_id"));
    snprintf(status, sizeof status, "%s", pf_str(t, "status"));
    snprintf(start, sizeof start, "%s", pf_str(t, "start_date"));
    snprintf(code, sizeof code, "%s", pf_str(t, "code"));
    json_decref(t);
    if (lead != w->a->org_id || !authz_allowed(w->a->org_type, w->a->role, ACT_REPORT_WRITE))
        return pilot_forbidden(err, "进展报告由试点牵头单位报送",
                               "progress reports are filed by the pilot's lead unit");
    if (strcmp(status, "active") != 0)
        return cy_error_set(err, CY_ECONFLICT, "pilot_exited", "pilot_id",
                            "该试点已退出，不再报送进展 / the pilot has exited: no more reports");
    const round_t *r = pilot_round_find(w->app, round_id);
    const round_period_t *per = r ? round_period_find(r, pf_str(w->in, "period")) : NULL;
    if (per == NULL)
        return cy_error_set(err, CY_EINVAL, "period_unknown", "period",
                            "报告期应为本轮数据文件中的报告期（如 %s） / period must be one of the "
                            "round's report periods (e.g. %s)",
                            r && r->n_periods ? r->periods[0].period : "-",
                            r && r->n_periods ? r->periods[0].period : "-");
    int64_t start_at = 0;
    date_only(start, "start_date", &start_at, NULL);
    if (per->to.at < start_at)
        return cy_error_set(err, CY_EINVAL, "period_before_start", "period",
                            "报告期 %s 在试点启动（%s）之前结束 / period %s ends before the pilot "
                            "started (%s)",
                            per->period, start, per->period, start);
    if (w->now < per->from.at - 86399)
        return cy_error_set(err, CY_EINVAL, "period_not_started", "period",
                            "报告期 %s 尚未开始 / period %s has not begun", per->period,
                            per->period);
    int64_t fig[8];
    for (int i = 0; FIGURES[i] != NULL; i++) {
        json_t *v = json_object_get(w->in, FIGURES[i]);
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return cy_error_set(err, CY_EINVAL, "figure_invalid", FIGURES[i],
                                "%s 应为非负整数（金额以分计） / %s must be a non-negative integer "
                                "(money in fen)",
                                FIGURES[i], FIGURES[i]);
        fig[i] = json_integer_value(v);
    }
    if ((st = pf_require(w->in, "text", "text", "进展情况说明", "text", err)) != CY_OK)
        return st;
    if (strlen(pf_str(w->in, "text")) > 300000)
        return cy_error_set(err, CY_EINVAL, "too_long", "text", "说明过长 / the text is too long");
    char ts[32], due[32], real[32];
    pilot_iso(w->now, ts);
    pilot_iso(per->due.at, due);
    app_now_iso(real);
    int late = bjtime_is_late(w->now, per->due.at);
    store_param_t p[] = {STORE_P_INT(pilot_id),
                         STORE_P_TEXT(per->period),
                         STORE_P_INT(fig[0]),
                         STORE_P_INT(fig[1]),
                         STORE_P_INT(fig[2]),
                         STORE_P_INT(fig[3]),
                         STORE_P_INT(fig[4]),
                         STORE_P_INT(fig[5]),
                         STORE_P_INT(fig[6]),
                         STORE_P_INT(fig[7]),
                         STORE_P_TEXT(pf_str(w->in, "text")),
                         STORE_P_TEXT(due),
                         STORE_P_TEXT(ts),
                         STORE_P_TEXT(real),
                         STORE_P_INT(late),
                         STORE_P_INT(w->a->org_id),
                         STORE_P_INT(w->a->user_id)};
    int64_t id = 0;
    st = pilot_insert(c,
                      "INSERT INTO pilot_report (pilot_id, period, insured_enterprises, policies, "
                      "premium_fen, sum_insured_fen, assessments, alerts, incidents, "
                      "claims_paid_fen, text, due_at, received_at, recorded_at, late, org_id, "
                      "user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                      "$14, $15, $16, $17) RETURNING id",
                      p, 17, &id, err);
    if (st == CY_ECONFLICT)
        return cy_error_set(err, CY_ECONFLICT, "report_exists", "period",
                            "本报告期的进展报告已报送 / the report of this period has been filed");
    char rid[24];
    snprintf(rid, sizeof rid, "%" PRId64, id);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "report.create", "pilot_report", rid, err,
                              "试点 %s 报送 %s 进展报告%s / pilot %s filed its %s progress "
                              "report%s",
                              code, per->period, late ? "（逾期）" : "", code, per->period,
                              late ? " (late)" : "");
    store_param_t g[] = {STORE_P_INT(id)};
    if (st == CY_OK)
        st = pilot_query_one(c, REPORT_SELECT "WHERE r.id = $1", g, 1, REPORT_COLS, &w->out, err);
    return st;
}

cy_status_t
app_report_create(app_t *app, const actor_t *a, json_t *body, int64_t now, json_t **out,
                  cy_error_t *err)
{
    rw_t w = {app, a, NULL, 0, body, NULL, NULL, now, NULL, 0};
    cy_status_t st = store_tx(app->store, report_tx, &w, err);
    *out = w.out;
    return st;
}

/* ---- annual summaries --------------------------------------------------- */

static cy_status_t
summary_list_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rw_t *l = arg;
    int limit = l->f->limit < 1 || l->f->limit > 200 ? 50 : l->f->limit;
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(l->a)), STORE_P_INT(l->a->org_id),
                         STORE_P_INT(l->f->cursor), STORE_P_TEXT(l->f->round_id),
                         STORE_P_INT(limit + 1)};
    json_t *rows = json_array();
    cy_status_t st = pilot_query_json(
        c,
        SUMMARY_SELECT "WHERE " SUMMARY_VISIBLE " AND m.id > $3 AND (CAST($4 AS TEXT) IS NULL OR "
                       "m.round_id = $4) ORDER BY m.id LIMIT $5",
        p, 5, SUMMARY_COLS, rows, err);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if ((int)i == limit) {
            l->next = json_integer_value(json_object_get(row, "id")) - 1;
            break;
        }
        json_array_append(l->out, row);
    }
    json_decref(rows);
    return st;
}

cy_status_t
app_summary_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                 int64_t *next, cy_error_t *err)
{
    rw_t l = {app, a, f, 0, NULL, NULL, NULL, 0, json_array(), 0};
    cy_status_t st = pilot_read(app, summary_list_tx, &l, err);
    *items = l.out;
    *next = l.next;
    return st;
}

static cy_status_t
summary_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rw_t *w = arg;
    const round_t *r;
    cy_status_t st = pilot_round_need(w->app, pf_str(w->in, "round_id"), "round_id", &r, err);
    if (st != CY_OK)
        return st;
    const char *level = pf_str(w->in, "level");
    pilot_org_t me, to;
    int found = 0;
    if ((st = pilot_org_get(c, w->a->org_id, &me, &found, err)) != CY_OK)
        return st;
    char subject[48];
    int64_t pilot_id = 0;
    route_stop_t stop = {ROUTE_MINISTRY, ""};
    round_deadline_t k = ROUND_DL_SUMMARY_AT_MINISTRY;
    if (strcmp(level, "pilot") == 0) {
        pilot_id = json_integer_value(json_object_get(w->in, "pilot_id"));
        json_t *t;
        if ((st = pilot_load(c, w->a, pilot_id, &t, err)) != CY_OK) {
            if (st == CY_ENOTFOUND)
                snprintf(err->field, sizeof err->field, "pilot_id");
            return st;
        }
        int64_t lead = json_integer_value(json_object_get(t, "lead_org_id"));
        int same_round = strcmp(pf_str(t, "round_id"), r->id) == 0;
        json_decref(t);
        if (lead != me.id)
            return pilot_forbidden(err, "试点年度总结由试点牵头单位报送",
                                   "a pilot's annual summary is filed by its lead unit");
        if (!same_round)
            return cy_error_set(err, CY_EINVAL, "round_mismatch", "round_id",
                                "试点不属于该轮次 / the pilot is not of this round");
        snprintf(subject, sizeof subject, "pilot:%" PRId64, pilot_id);
    } else if (strcmp(level, "city") == 0 || strcmp(level, "province") == 0) {
        org_type_t want = level[0] == 'c' ? ORG_CITY : ORG_PROVINCE;
        if (me.type != want)
            return pilot_forbidden(err, "地市总结由地市主管部门、省级总结由省级主管部门报送",
                                   "city summaries come from city authorities, province summaries "
                                   "from provincial authorities");
        if (json_object_get(w->in, "pilot_id") != NULL &&
            !json_is_null(json_object_get(w->in, "pilot_id")))
            return cy_error_set(err, CY_EINVAL, "pilot_not_applicable", "pilot_id",
                                "地市或省级总结不关联单个试点 / a city or province summary names "
                                "no pilot");
        if ((st = routing_next(w->app->ref, pilot_level_of(&me), me.region, &stop, err)) != CY_OK)
            return st;
        k = stop.level == ROUTE_PROVINCE ? ROUND_DL_CITY_SUMMARY_AT_PROVINCE
                                         : ROUND_DL_SUMMARY_AT_MINISTRY;
        snprintf(subject, sizeof subject, "org:%" PRId64, me.id);
    } else {
        return cy_error_set(err, CY_EINVAL, "level_unknown", "level",
                            "level 应为 pilot、city 或 province / level must be pilot, city or "
                            "province");
    }
    if (!authz_allowed(w->a->org_type, w->a->role, ACT_SUMMARY_WRITE))
        return pilot_forbidden(err, "无权报送年度总结", "not allowed to file annual summaries");
    static const struct {
        const char *key, *zh;
    } sec[] = {{"progress", "年度试点开展情况"},
               {"innovation", "网络安全保险产品创新情况"},
               {"services", "网络安全保险服务实施情况"}};
    for (int i = 0; i < 3; i++) {
        if ((st = pf_require(w->in, sec[i].key, sec[i].key, sec[i].zh, sec[i].key, err)) != CY_OK)
            return st;
        if (strlen(pf_str(w->in, sec[i].key)) > 300000)
            return cy_error_set(err, CY_EINVAL, "too_long", sec[i].key, "%s过长 / %s is too long",
                                sec[i].zh, sec[i].key);
    }
    if ((st = pilot_authority(c, &stop, &to, err)) != CY_OK)
        return st;
    int64_t due = 0;
    int has_due = round_deadline_at(r, k, to.province, &due);
    int late = has_due && bjtime_is_late(w->now, due);
    char ts[32], real[32], dueiso[32];
    pilot_iso(w->now, ts);
    app_now_iso(real);
    if (has_due)
        pilot_iso(due, dueiso);
    store_param_t p[] = {STORE_P_TEXT(r->id),
                         STORE_P_TEXT(level),
                         STORE_P_TEXT(subject),
                         pilot_id ? STORE_P_INT(pilot_id) : STORE_P_NULL,
                         STORE_P_INT(me.id),
                         STORE_P_INT(to.id),
                         STORE_P_TEXT(pf_str(w->in, "progress")),
                         STORE_P_TEXT(pf_str(w->in, "innovation")),
                         STORE_P_TEXT(pf_str(w->in, "services")),
                         STORE_P_TEXT(round_deadline_key(k)),
                         has_due ? STORE_P_TEXT(dueiso) : STORE_P_NULL,
                         STORE_P_TEXT(ts),
                         STORE_P_TEXT(real),
                         STORE_P_INT(late),
                         STORE_P_INT(w->a->user_id)};
    int64_t id = 0;
    st = pilot_insert(c,
                      "INSERT INTO pilot_summary (round_id, level, subject, pilot_id, org_id, "
                      "to_org_id, progress, innovation, services, deadline_key, due_at, "
                      "received_at, recorded_at, late, user_id) VALUES ($1, $2, $3, $4, $5, $6, "
                      "$7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                      p, 15, &id, err);
    if (st == CY_ECONFLICT)
        return cy_error_set(err, CY_ECONFLICT, "summary_exists", "level",
                            "本轮年度总结已报送 / the annual summary of this round has been filed");
    char sid[24], bj[32];
    snprintf(sid, sizeof sid, "%" PRId64, id);
    bjtime_format(w->now, bj);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "summary.create", "pilot_summary", sid, err,
                              "%s报送年度总结（%s），送达%s的时间 %s%s / %s filed its annual "
                              "summary (%s), received by %s at %s%s",
                              me.name, level, to.name, bj, late ? "（逾期）" : "", me.name, level,
                              to.name, bj, late ? " (late)" : "");
    store_param_t g[] = {STORE_P_INT(id)};
    if (st == CY_OK)
        st = pilot_query_one(c, SUMMARY_SELECT "WHERE m.id = $1", g, 1, SUMMARY_COLS, &w->out, err);
    return st;
}

cy_status_t
app_summary_create(app_t *app, const actor_t *a, json_t *body, int64_t now, json_t **out,
                   cy_error_t *err)
{
    rw_t w = {app, a, NULL, 0, body, NULL, NULL, now, NULL, 0};
    cy_status_t st = store_tx(app->store, summary_tx, &w, err);
    *out = w.out;
    return st;
}

/* ---- overdue ------------------------------------------------------------ */

typedef struct {
    app_t *app;
    const actor_t *a;
    const round_t *r;
    int64_t now;
    json_t *items;
} od_t;

static void
overdue_item(json_t *items, const char *kind, int64_t org_id, const char *org_name,
             int64_t pilot_id, const char *pilot_code, const char *period, int64_t due)
{
    char iso[32];
    pilot_iso(due, iso);
    json_array_append_new(items,
                          json_pack("{s:s, s:I, s:s, s:o, s:o, s:o, s:s}", "kind", kind, "org_id",
                                    (json_int_t)org_id, "org_name", org_name, "pilot_id",
                                    pilot_id ? json_integer(pilot_id) : json_null(), "pilot_code",
                                    pilot_code ? json_string(pilot_code) : json_null(), "period",
                                    period ? json_string(period) : json_null(), "due_at", iso));
}

static cy_status_t
overdue_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    od_t *o = arg;
    const round_t *r = o->r;
    /* the active pilots the caller sees, with what they filed */
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(o->a)), STORE_P_INT(o->a->org_id),
                         STORE_P_TEXT(r->id)};
    json_t *pilots = json_array();
    cy_status_t st = pilot_query_json(c,
                                      PILOT_SELECT "WHERE " PILOT_PLAN_VISIBLE " AND t.round_id = "
                                                   "$3 AND t.status = 'active' ORDER BY t.id",
                                      p, 3, PILOT_COLS, pilots, err);
    size_t i;
    json_t *t;
    json_array_foreach(pilots, i, t)
    {
        if (st != CY_OK)
            break;
        int64_t pid = json_integer_value(json_object_get(t, "id"));
        int64_t lead = json_integer_value(json_object_get(t, "lead_org_id"));
        const char *code = pf_str(t, "code"), *lead_name = pf_str(t, "lead_name");
        int64_t start = 0;
        date_only(pf_str(t, "start_date"), "start_date", &start, NULL);
        for (size_t k = 0; st == CY_OK && k < r->n_periods; k++) {
            const round_period_t *per = &r->periods[k];
            if (per->to.at < start || !bjtime_is_late(o->now, per->due.at))
                continue;
            int64_t have = 0;
            int found = 0;
            store_param_t q[] = {STORE_P_INT(pid), STORE_P_TEXT(per->period)};
            st =
                store_query_int(c, "SELECT 1 FROM pilot_report WHERE pilot_id = $1 AND period = $2",
                                q, 2, &have, &found, err);
            if (st == CY_OK && !found)
                overdue_item(o->items, "report", lead, lead_name, pid, code, per->period,
                             per->due.at);
        }
        int64_t due;
        if (st == CY_OK && round_deadline_at(r, ROUND_DL_SUMMARY_AT_MINISTRY, NULL, &due) &&
            bjtime_is_late(o->now, due)) {
            char subject[48];
            snprintf(subject, sizeof subject, "pilot:%" PRId64, pid);
            int64_t have = 0;
            int found = 0;
            store_param_t q[] = {STORE_P_TEXT(r->id), STORE_P_TEXT(subject)};
            st = store_query_int(c,
                                 "SELECT 1 FROM pilot_summary WHERE round_id = $1 AND subject = $2",
                                 q, 2, &have, &found, err);
            if (st == CY_OK && !found)
                overdue_item(o->items, "pilot_summary", lead, lead_name, pid, code, NULL, due);
        }
    }
    json_decref(pilots);
    /* the authorities that sent packages to the caller (or, for the ministry, any) owe summaries */
    if (st == CY_OK && (pilot_sees_all(o->a) || o->a->org_type == ORG_PROVINCE)) {
        static const pcol_t cols[] = {{"id", 'i'},     {"name", 's'},     {"type", 's'},
                                      {"region", 's'}, {"province", 's'}, {NULL, 0}};
        json_t *senders = json_array();
        store_param_t q[] = {STORE_P_INT(pilot_sees_all(o->a)), STORE_P_INT(o->a->org_id),
                             STORE_P_TEXT(r->id)};
        st = pilot_query_json(c,
                              "SELECT DISTINCT o.id, o.name, o.type, o.region_code, "
                              "o.province_code FROM pilot_hop h JOIN pilot_package k ON k.id = "
                              "h.package_id JOIN organisation o ON o.id = h.from_org_id WHERE "
                              "h.plan_id IS NULL AND h.kind = 'forward' AND k.round_id = $3 AND "
                              "o.type IN ('city', 'province') AND ($1 = 1 OR h.to_org_id = $2) "
                              "ORDER BY o.id",
                              q, 3, cols, senders, err);
        json_t *s;
        json_array_foreach(senders, i, s)
        {
            if (st != CY_OK)
                break;
            int is_city = strcmp(pf_str(s, "type"), "city") == 0;
            const ref_region_t *reg = ref_region_find(o->app->ref, pf_str(s, "region"));
            int direct = reg != NULL && (reg->plan_city || reg->level == 1);
            round_deadline_t k = is_city && !direct ? ROUND_DL_CITY_SUMMARY_AT_PROVINCE
                                                    : ROUND_DL_SUMMARY_AT_MINISTRY;
            int64_t due;
            if (!round_deadline_at(r, k, pf_str(s, "province"), &due) ||
                !bjtime_is_late(o->now, due))
                continue;
            char subject[48];
            int64_t sid = json_integer_value(json_object_get(s, "id"));
            snprintf(subject, sizeof subject, "org:%" PRId64, sid);
            int64_t have = 0;
            int found = 0;
            store_param_t q2[] = {STORE_P_TEXT(r->id), STORE_P_TEXT(subject)};
            st = store_query_int(c,
                                 "SELECT 1 FROM pilot_summary WHERE round_id = $1 AND subject = $2",
                                 q2, 2, &have, &found, err);
            if (st == CY_OK && !found)
                overdue_item(o->items, is_city ? "city_summary" : "province_summary", sid,
                             pf_str(s, "name"), 0, NULL, NULL, due);
        }
        json_decref(senders);
    }
    return st;
}

cy_status_t
app_overdue_list(app_t *app, const actor_t *a, const char *round_id, int64_t now, json_t **items,
                 cy_error_t *err)
{
    *items = NULL;
    if (!pilot_sees_all(a) && !authz_is_regional(a->org_type))
        return pilot_forbidden(err, "逾期清单供主管部门查看",
                               "the overdue list is for the authorities");
    od_t o = {app, a, NULL, now, json_array()};
    cy_status_t st = pilot_round_need(app, round_id, "round_id", &o.r, err);
    if (st == CY_OK)
        st = pilot_read(app, overdue_tx, &o, err);
    if (st != CY_OK) {
        json_decref(o.items);
        o.items = NULL;
    }
    *items = o.items;
    return st;
}

/* ---- 基础电信企业 ------------------------------------------------------- */

typedef struct {
    const actor_t *a;
    int64_t org_id;
    int on;
    json_t *out;
} tf_t;

static cy_status_t
telecom_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    tf_t *w = arg;
    pilot_org_t o;
    int found = 0;
    cy_status_t st = pilot_org_get(c, w->org_id, &o, &found, err);
    if (st != CY_OK)
        return st;
    /* the ministry and support center see every organisation; a 通信管理局 its province's */
    int visible =
        found && (pilot_sees_all(w->a) ||
                  (w->a->org_type == ORG_COMM_ADMIN && strncmp(o.region, w->a->region, 2) == 0) ||
                  o.id == w->a->org_id ||
                  (authz_is_regional(w->a->org_type) &&
                   strncmp(o.region, w->a->region, w->a->org_type == ORG_CITY ? 4 : 2) == 0));
    if (!visible)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "id",
                            "机构 %" PRId64 " 不存在 / organisation %" PRId64 " not found",
                            w->org_id, w->org_id);
    if (!w->a->cli && !authz_allowed(w->a->org_type, w->a->role, ACT_TELECOM_FLAG))
        return pilot_forbidden(err, "基础电信企业由工业和信息化部、支撑平台或省通信管理局认定",
                               "the ministry, the support center or the province's "
                               "communications administration marks telecom operators");
    if (o.type != ORG_ENTERPRISE && o.type != ORG_SERVICE_ORG)
        return cy_error_set(err, CY_EINVAL, "telecom_type", "telecom_operator",
                            "只有企业可以标记为基础电信企业 / only an enterprise can be a telecom "
                            "operator");
    store_param_t p[] = {STORE_P_INT(w->on ? 1 : 0), STORE_P_INT(o.id)};
    if ((st = store_exec(c, "UPDATE organisation SET telecom_operator = $1 WHERE id = $2", p, 2,
                         NULL, err)) != CY_OK)
        return st;
    char oid[24];
    snprintf(oid, sizeof oid, "%" PRId64, o.id);
    st = app_audit_append(c, w->a, app_now(), "org.telecom", "organisation", oid, err,
                          "%s%s基础电信企业 / %s %s a telecom operator", o.name,
                          w->on ? "认定为" : "不再认定为", o.name,
                          w->on ? "marked as" : "no longer");
    if (st == CY_OK)
        w->out = json_pack("{s:I, s:s, s:b}", "org_id", (json_int_t)o.id, "name", o.name,
                           "telecom_operator", w->on);
    return st;
}

cy_status_t
app_telecom_set(app_t *app, const actor_t *a, int64_t org_id, int on, json_t **out, cy_error_t *err)
{
    tf_t w = {a, org_id, on, NULL};
    cy_status_t st = store_tx(app->store, telecom_tx, &w, err);
    *out = w.out;
    return st;
}

cy_status_t
app_pilot_demo_load(app_t *app, const actor_t *op, const char *path, cy_error_t *err)
{
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL)
        return cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                            "演示数据 %s 第 %d 行：%s / demo data %s line %d: %s", path, je.line,
                            je.text, path, je.line, je.text);
    actor_t cli = *op;
    cy_status_t st = CY_OK;
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(doc, "telecom_operators"), i, u)
    {
        const char *uscc = json_string_value(u);
        int64_t id = 0;
        int found = 0;
        store_conn_t *c;
        if (uscc == NULL) {
            st = cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                              "%s telecom_operators[%zu] 应为统一社会信用代码 / %s "
                              "telecom_operators[%zu] must be a USCC",
                              path, i, path, i);
            break;
        }
        if ((st = store_acquire(app->store, &c, err)) != CY_OK)
            break;
        store_param_t p[] = {STORE_P_TEXT(uscc)};
        st = store_query_int(c, "SELECT id FROM organisation WHERE uscc = $1", p, 1, &id, &found,
                             err);
        store_release(app->store, c);
        if (st != CY_OK)
            break;
        if (!found) {
            st = cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                              "%s：没有统一社会信用代码为 %s 的演示机构 / %s: no demo organisation "
                              "with USCC %s",
                              path, uscc, path, uscc);
            break;
        }
        json_t *out = NULL;
        st = app_telecom_set(app, &cli, id, 1, &out, err);
        json_decref(out);
        if (st != CY_OK)
            break;
    }
    json_decref(doc);
    return st;
}
