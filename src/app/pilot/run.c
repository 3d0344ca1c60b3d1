/*
 * run.c — the pilot after selection (DOMAIN.md §7): the ministry selects
 * pilots from the plans it received (numbered, with a start date); pilots
 * report progress per period of the round file; the ministry or the
 * pilot's province may exit a pilot (试点退出) with a reason (summary.c
 * holds the annual summaries). A pilot and its reports are seen exactly as
 * its plan is. The one place pilot and pilot_report are written and
 * pilot_report is read; a pilot's row is read in pilots.c. Depends on
 * core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/stats/stats.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

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
                                     /* the platform's figures when filed, and which of the
                                        filer's differ from them (issue 13) */
                                     {"platform_insured_enterprises", 'I'},
                                     {"platform_policies", 'I'},
                                     {"platform_premium_fen", 'I'},
                                     {"platform_sum_insured_fen", 'I'},
                                     {"platform_assessments", 'I'},
                                     {"platform_alerts", 'I'},
                                     {"platform_incidents", 'I'},
                                     {"platform_claims_paid_fen", 'I'},
                                     {"declared", 'j'},
                                     {NULL, 0}};
#define REPORT_SELECT                                                                              \
    "SELECT r.id, r.pilot_id, t.code AS pilot_code, r.period, r.insured_enterprises, r.policies, " \
    "r.premium_fen, r.sum_insured_fen, r.assessments, r.alerts, r.incidents, r.claims_paid_fen, "  \
    "r.text, r.due_at, r.received_at, r.late, r.org_id, r.platform_insured_enterprises, "          \
    "r.platform_policies, r.platform_premium_fen, r.platform_sum_insured_fen, "                    \
    "r.platform_assessments, r.platform_alerts, r.platform_incidents, "                            \
    "r.platform_claims_paid_fen, r.declared FROM pilot_report r JOIN pilot t ON t.id = "           \
    "r.pilot_id JOIN pilot_plan p ON p.id = t.plan_id "

static const pilot_list_t REPORT_LIST = {
    REPORT_SELECT "WHERE " PILOT_PLAN_VISIBLE " AND ($9 = 0 OR r.pilot_id = $9) AND r.id > $10 "
                  "ORDER BY r.id LIMIT $11",
    REPORT_COLS, NULL};

cy_status_t
app_report_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                int64_t *next, cy_error_t *err)
{
    return pilot_list(app, a, f, &REPORT_LIST, items, next, err);
}

cy_status_t
pilot_report_filed(store_conn_t *c, int64_t pilot_id, const char *period, int *found,
                   cy_error_t *err)
{
    int64_t one = 0;
    store_param_t q[] = {STORE_P_INT(pilot_id), STORE_P_TEXT(period)};
    return store_query_int(c, "SELECT 1 FROM pilot_report WHERE pilot_id = $1 AND period = $2", q,
                           2, &one, found, err);
}

/* ---- a pilot's timeline ------------------------------------------------- */

/* One event of a pilot's timeline, when it happened. */
static void
event(json_t *tl, const char *at, const char *kind, const char *zh, const char *en)
{
    if (at == NULL || at[0] == '\0')
        return;
    json_array_append_new(tl, json_pack("{s:s, s:s, s:s, s:s}", "at", at, "kind", kind, "text_zh",
                                        zh, "text_en", en));
}

static void
hop_events(json_t *tl, json_t *hops)
{
    char zh[512], en[512];
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
}

/* After the plan's own events: selection, reports, summaries, the exit. */
static void
pilot_events(json_t *tl, json_t *t, json_t *reports, json_t *sums)
{
    char zh[512], en[512];
    snprintf(zh, sizeof zh, "入选试点，编号 %s，启动日期 %s", pf_str(t, "code"),
             pf_str(t, "start_date"));
    snprintf(en, sizeof en, "selected as pilot %s, starting %s", pf_str(t, "code"),
             pf_str(t, "start_date"));
    event(tl, pf_str(t, "selected_at"), "selected", zh, en);
    size_t i;
    json_t *h;
    json_array_foreach(reports, i, h)
    {
        int late = json_is_true(json_object_get(h, "late"));
        snprintf(zh, sizeof zh, "报送 %s 进展报告%s", pf_str(h, "period"), late ? "（逾期）" : "");
        snprintf(en, sizeof en, "progress report %s filed%s", pf_str(h, "period"),
                 late ? " (late)" : "");
        event(tl, pf_str(h, "received_at"), "report", zh, en);
    }
    json_array_foreach(sums, i, h)
        event(tl, pf_str(h, "received_at"), "summary", "报送年度总结", "annual summary filed");
    if (!json_is_null(json_object_get(t, "exited_at"))) {
        snprintf(zh, sizeof zh, "%s决定退出试点：%s", pf_str(t, "exited_by"),
                 pf_str(t, "exit_reason"));
        snprintf(en, sizeof en, "exited by %s: %s", pf_str(t, "exited_by"),
                 pf_str(t, "exit_reason"));
        event(tl, pf_str(t, "exited_at"), "exited", zh, en);
    }
}

/* Stable by time: equal times keep the order they happened in (insertion sort; the list is short).
 */
static void
events_sort(json_t *tl)
{
    size_t n = json_array_size(tl);
    for (size_t i = 1; i < n; i++) {
        json_t *x = json_incref(json_array_get(tl, i));
        size_t j = i;
        while (j > 0 && strcmp(pf_str(json_array_get(tl, j - 1), "at"), pf_str(x, "at")) > 0) {
            json_array_set(tl, j, json_array_get(tl, j - 1));
            j--;
        }
        json_array_set_new(tl, j, x);
    }
}

/* The rows of one pilot: its plan's times and hops, its reports and summaries. */
static cy_status_t
pilot_parts(store_conn_t *c, int64_t id, int64_t plan_id, json_t **plan, json_t **hops,
            json_t *reports, json_t *sums, cy_error_t *err)
{
    static const pcol_t pcols[] = {{"created_at", 's'}, {"submitted_at", 'n'}, {NULL, 0}};
    cy_status_t st =
        pilot_query_id(c, "SELECT created_at, submitted_at FROM pilot_plan WHERE id = $1", plan_id,
                       pcols, plan, err);
    if (st == CY_OK)
        st = pilot_hops_json(c, plan_id, 0, hops, err);
    if (st == CY_OK)
        st = pilot_query_of(c, REPORT_SELECT "WHERE r.pilot_id = $1 ORDER BY r.period", id,
                            REPORT_COLS, reports, err);
    if (st == CY_OK)
        st = pilot_summaries_of_pilot(c, id, sums, err);
    return st;
}

/*
 * What the caller may do with pilot t now: exit it (the ministry, or the
 * authority of its province: exit_allowed below), report its progress (its
 * lead). The use cases check each again.
 */
static json_t *
pilot_actions(const actor_t *a, json_t *t)
{
    json_t *acts = json_array();
    int active = strcmp(pf_str(t, "status"), "active") == 0;
    int authority =
        a->org_type == ORG_MINISTRY ||
        (a->org_type == ORG_PROVINCE && strncmp(a->region, pf_str(t, "lead_region"), 2) == 0);
    if (active && authority && authz_allowed(a->org_type, a->role, ACT_PILOT_EXIT))
        json_array_append_new(acts, json_string("exit"));
    if (active && json_integer_value(json_object_get(t, "lead_org_id")) == a->org_id &&
        authz_allowed(a->org_type, a->role, ACT_REPORT_WRITE))
        json_array_append_new(acts, json_string("report"));
    return acts;
}

cy_status_t
pilot_timeline_json(store_conn_t *c, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    json_t *plan = NULL, *hops = NULL, *reports = json_array(), *sums = json_array();
    cy_status_t st = pilot_load(c, a, id, "id", out, err);
    if (st == CY_OK)
        st = pilot_parts(c, id, json_integer_value(json_object_get(*out, "plan_id")), &plan, &hops,
                         reports, sums, err);
    if (st == CY_OK) {
        json_t *tl = json_array();
        event(tl, pf_str(plan, "created_at"), "drafted", "起草试点工作方案", "plan drafted");
        hop_events(tl, hops);
        pilot_events(tl, *out, reports, sums);
        events_sort(tl);
        json_object_set_new(*out, "timeline", tl);
        json_object_set(*out, "reports", reports);
        json_object_set(*out, "summaries", sums);
        json_object_set_new(*out, "actions", pilot_actions(a, *out));
    } else {
        json_decref(*out);
        *out = NULL;
    }
    json_decref(plan);
    json_decref(hops);
    json_decref(reports);
    json_decref(sums);
    return st;
}

/* A progress report or an annual summary as its list shows it; 404 outside the caller's sight. */
cy_status_t
pilot_report_json(store_conn_t *c, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    cy_status_t st =
        pilot_record_seen(c, a, REPORT_SELECT "WHERE " PILOT_PLAN_VISIBLE " AND r.id = $5", id,
                          REPORT_COLS, out, err);
    return st == CY_OK && *out == NULL ? app_not_found(err, "进展报告", "progress report", id) : st;
}

/* ---- selection and exit ------------------------------------------------- */

/* The plan the ministry received (as the caller sees it), not yet a pilot. */
static cy_status_t
select_plan(const app_t *app, store_conn_t *c, const actor_t *a, int64_t plan_id, pilot_doc_t *d,
            cy_error_t *err)
{
    cy_status_t st = pilot_doc_load(app, c, a, &pilot_plan_kind, plan_id, d, err);
    if (st == CY_ENOTFOUND)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "plan_id",
                            "试点工作方案 %" PRId64 " 不存在 / pilot plan %" PRId64 " not found",
                            plan_id, plan_id);
    if (st == CY_OK && strcmp(d->status, "selected") == 0)
        return cy_error_set(err, CY_ECONFLICT, "already_selected", "plan_id",
                            "该方案已入选试点 / the plan is already a pilot");
    if (st == CY_OK && (strcmp(d->status, "submitted") != 0 || d->holder != a->org_id))
        return cy_error_set(err, CY_ECONFLICT, "plan_not_at_ministry", "plan_id",
                            "只能从已报送至工业和信息化部的方案中遴选试点 / pilots are selected "
                            "from the plans the ministry received");
    return st;
}

/* The pilot numbered after the round's last one, starting on start_date. */
static cy_status_t
pilot_insert(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const pilot_doc_t *d,
             const char *start_date, int64_t *id, cy_error_t *err)
{
    int64_t seq = 0;
    char code[40], ts[32], tid[24];
    store_param_t q[] = {STORE_P_TEXT(d->round_id)};
    cy_status_t st =
        store_query_int(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM pilot WHERE round_id = $1", q, 1,
                        &seq, NULL, err);
    snprintf(code, sizeof code, "P%s-%03" PRId64, d->round_id, seq);
    utc_format_iso(now, ts);
    store_param_t p[] = {STORE_P_TEXT(d->round_id), STORE_P_INT(seq),
                         STORE_P_TEXT(code),        STORE_P_INT(d->id),
                         STORE_P_INT(d->owner),     STORE_P_TEXT(start_date),
                         STORE_P_TEXT(ts),          STORE_P_INT(a->user_id)};
    if (st == CY_OK)
        st = store_query_int(c,
                             "INSERT INTO pilot (round_id, seq, code, plan_id, lead_org_id, "
                             "status, start_date, selected_at, selected_by) VALUES ($1, $2, $3, "
                             "$4, $5, 'active', $6, $7, $8) RETURNING id",
                             p, 8, id, NULL, err);
    store_param_t u[] = {STORE_P_INT(d->id)};
    if (st == CY_OK)
        st = store_exec(c, "UPDATE pilot_plan SET status = 'selected' WHERE id = $1", u, 1, NULL,
                        err);
    snprintf(tid, sizeof tid, "%" PRId64, *id);
    if (st == CY_OK)
        st =
            app_audit_append(c, a, now, "pilot.select", "pilot", tid, err,
                             "试点工作方案 %" PRId64 " 入选试点，编号 %s，启动日期 %s / pilot plan "
                             "%" PRId64 " selected as pilot %s starting %s",
                             d->id, code, start_date, d->id, code, start_date);
    pilot_notice_t n = {.org_id = d->owner,
                        .kind = "pilot.selected",
                        .object_type = "pilot",
                        .object_id = *id,
                        .link_fmt = "/pilot.html?id=%" PRId64};
    const char *name = pf_str(d->form, "name");
    pilot_org_t lead;
    int found = 0;
    if (st == CY_OK)
        st = pilot_org_get(c, d->owner, &lead, &found, err);
    if (st == CY_OK && found && d->round)
        st = pilot_remind_schedule(c, a, now, d->round,
                                   pilot_summary_deadline(d->round, lead.province), &lead, err);
    if (st == CY_OK)
        st = pilot_noticef(
            app, c, now, &n, err,
            "试点工作方案“%s”入选试点，编号 %s，启动日期 %s / the pilot plan \"%s\" is "
            "selected as pilot %s, starting %s",
            name, code, start_date, name, code, start_date);
    return st;
}

cy_status_t
app_pilot_select(app_t *app, const actor_t *a, int64_t now, int64_t plan_id, const char *start_date,
                 json_t **out, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = pilot_open(app, a, ACT_PILOT_SELECT, &c, out, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d;
    int64_t id = 0;
    st = select_plan(app, c, a, plan_id, &d, err);
    if (st == CY_OK)
        st = pilot_date_check(start_date, "start_date", "start_date ", "start_date", NULL, err);
    if (st == CY_OK)
        st = pilot_insert(app, c, a, now, &d, start_date, &id, err);
    if (st == CY_OK)
        st = pilot_timeline_json(c, a, id, out, err);
    pilot_doc_free(&d);
    return store_tx_close(app->store, c, st, err);
}

static const pilot_text_rule_t EXIT_REASON = {
    "reason", 20000, "请写明退出理由 / the reason for the exit is required",
    "理由过长 / the reason is too long"};

/* 取消其试点资格: the ministry, or the authority of the pilot's own province; once. */
static cy_status_t
exit_allowed(store_conn_t *c, const actor_t *a, int64_t id, int64_t *lead, char code[40],
             cy_error_t *err)
{
    json_t *t;
    cy_status_t st = pilot_load(c, a, id, "id", &t, err);
    if (st != CY_OK)
        return st;
    *lead = json_integer_value(json_object_get(t, "lead_org_id"));
    snprintf(code, 40, "%s", pf_str(t, "code"));
    int mine =
        a->org_type == ORG_MINISTRY ||
        (a->org_type == ORG_PROVINCE && strncmp(a->region, pf_str(t, "lead_region"), 2) == 0);
    int active = strcmp(pf_str(t, "status"), "active") == 0;
    json_decref(t);
    if (!mine || !authz_allowed(a->org_type, a->role, ACT_PILOT_EXIT))
        return pilot_forbidden(err, "试点退出由工业和信息化部或试点所在省的主管部门决定",
                               "a pilot is exited by the ministry or its province's authority");
    if (!active)
        return cy_error_set(err, CY_ECONFLICT, "pilot_exited", "status",
                            "该试点已退出 / the pilot has already exited");
    return CY_OK;
}

cy_status_t
app_pilot_exit(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *reason,
               json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    char ts[32], tid[24], code[40] = "";
    int64_t lead = 0;
    utc_format_iso(now, ts);
    snprintf(tid, sizeof tid, "%" PRId64, id);
    st = exit_allowed(c, a, id, &lead, code, err);
    if (st == CY_OK)
        st = pilot_text_check(reason, &EXIT_REASON, err);
    store_param_t u[] = {STORE_P_TEXT(ts), STORE_P_TEXT(reason), STORE_P_INT(a->org_id),
                         STORE_P_INT(id)};
    if (st == CY_OK)
        st = store_exec(c,
                        "UPDATE pilot SET status = 'exited', exited_at = $1, exit_reason = $2, "
                        "exited_by_org_id = $3 WHERE id = $4",
                        u, 4, NULL, err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "pilot.exit", "pilot", tid, err,
                              "试点 %" PRId64 " 退出，理由：%s / pilot %" PRId64 " exited: %s", id,
                              reason, id, reason);
    pilot_notice_t n = {.org_id = lead,
                        .kind = "pilot.exited",
                        .object_type = "pilot",
                        .object_id = id,
                        .link_fmt = "/pilot.html?id=%" PRId64};
    if (st == CY_OK)
        st = pilot_noticef(app, c, now, &n, err, "试点 %s 退出，理由：%s / pilot %s exited: %s",
                           code, reason, code, reason);
    if (st == CY_OK)
        st = pilot_timeline_json(c, a, id, out, err);
    return store_tx_close(app->store, c, st, err);
}

/* ---- progress reports and annual summaries ------------------------------ */

static const char *const FIGURES[] = {"insured_enterprises", "policies",        "premium_fen",
                                      "sum_insured_fen",     "assessments",     "alerts",
                                      "incidents",           "claims_paid_fen", NULL};

/* A progress report: the pilot, the period, the figures (money in fen) and the text. */
static const pf_field_t REPORT_FORM[] = {{"pilot_id", 'i', 0, NULL},
                                         {"period", 's', 32, NULL},
                                         {"insured_enterprises", 'i', 0, NULL},
                                         {"policies", 'i', 0, NULL},
                                         {"premium_fen", 'i', 0, NULL},
                                         {"sum_insured_fen", 'i', 0, NULL},
                                         {"assessments", 'i', 0, NULL},
                                         {"alerts", 'i', 0, NULL},
                                         {"incidents", 'i', 0, NULL},
                                         {"claims_paid_fen", 'i', 0, NULL},
                                         {"text", 'l', 300000, NULL},
                                         {NULL, 0, 0, NULL}};

/* The pilot's lead reports while the pilot is active; the pilot's round and start date. */
static cy_status_t
report_pilot(store_conn_t *c, const actor_t *a, int64_t pilot_id, char round_id[16], char start[16],
             char code[40], cy_error_t *err)
{
    json_t *t;
    cy_status_t st = pilot_load(c, a, pilot_id, "pilot_id", &t, err);
    if (st != CY_OK)
        return st;
    int64_t lead = json_integer_value(json_object_get(t, "lead_org_id"));
    int active = strcmp(pf_str(t, "status"), "active") == 0;
    snprintf(round_id, 16, "%s", pf_str(t, "round_id"));
    snprintf(start, 16, "%s", pf_str(t, "start_date"));
    snprintf(code, 40, "%s", pf_str(t, "code"));
    json_decref(t);
    if (lead != a->org_id || !authz_allowed(a->org_type, a->role, ACT_REPORT_WRITE))
        return pilot_forbidden(err, "进展报告由试点牵头单位报送",
                               "progress reports are filed by the pilot's lead unit");
    if (!active)
        return cy_error_set(err, CY_ECONFLICT, "pilot_exited", "pilot_id",
                            "该试点已退出，不再报送进展 / the pilot has exited: no more reports");
    return CY_OK;
}

/* The period of the round file: begun by now, not ended before the pilot started. */
static cy_status_t
report_period(const round_t *r, const char *name, const char *start, int64_t now,
              const round_period_t **out, cy_error_t *err)
{
    const round_period_t *per = r ? round_period_find(r, name) : NULL;
    int64_t start_at = 0;
    *out = per;
    if (per == NULL)
        return cy_error_set(err, CY_EINVAL, "period_unknown", "period",
                            "报告期应为本轮数据文件中的报告期（如 %s） / period must be one of the "
                            "round's report periods (e.g. %s)",
                            r && r->n_periods ? r->periods[0].period : "-",
                            r && r->n_periods ? r->periods[0].period : "-");
    pilot_date_check(start, "start_date", "start_date ", "start_date", &start_at, NULL);
    if (per->to.at < start_at)
        return cy_error_set(err, CY_EINVAL, "period_before_start", "period",
                            "报告期 %s 在试点启动（%s）之前结束 / period %s ends before the pilot "
                            "started (%s)",
                            per->period, start, per->period, start);
    if (now < per->from.at - 86399)
        return cy_error_set(err, CY_EINVAL, "period_not_started", "period",
                            "报告期 %s 尚未开始 / period %s has not begun", per->period,
                            per->period);
    return CY_OK;
}

static cy_status_t
report_figures(json_t *report, int64_t fig[8], cy_error_t *err)
{
    for (int i = 0; FIGURES[i] != NULL; i++) {
        json_t *v = json_object_get(report, FIGURES[i]);
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return cy_error_set(err, CY_EINVAL, "figure_invalid", FIGURES[i],
                                "%s 应为非负整数（金额以分计） / %s must be a non-negative integer "
                                "(money in fen)",
                                FIGURES[i], FIGURES[i]);
        fig[i] = json_integer_value(v);
    }
    return pf_require(report, "text", "text", "进展情况说明", "text", err);
}

/* The period's figures as the platform counts them (app/stats), for pilot_id. */
static cy_status_t
report_platform(store_conn_t *c, int64_t pilot_id, const round_period_t *per,
                stats_report_figures_t *pf, cy_error_t *err)
{
    /* from.at and to.at are 23:59:59 Beijing of those days */
    return stats_pilot_platform(c, pilot_id, per->from.at - 86399, per->to.at + 1, pf, err);
}

/* The names of the figures the filer declared other than the platform's, as a JSON array. */
static void
report_declared(const int64_t fig[8], const stats_report_figures_t *pf, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "[");
    for (int i = 0; i < STATS_REPORT_FIGURES && n < cap; i++)
        if (pf->known[i] && pf->value[i] != fig[i])
            n += (size_t)snprintf(out + n, cap - n, "%s\"%s\"", n > 1 ? "," : "",
                                  stats_report_figure_names[i]);
    if (n < cap)
        snprintf(out + n, cap - n, "]");
}

static store_param_t
known_or_null(const stats_report_figures_t *pf, int i)
{
    return pf->known[i] ? STORE_P_INT(pf->value[i]) : STORE_P_NULL;
}

static cy_status_t
report_insert(store_conn_t *c, const actor_t *a, int64_t now, int64_t pilot_id,
              const round_period_t *per, const int64_t fig[8], const char *text, const char *code,
              int64_t *id, cy_error_t *err)
{
    char ts[32], due[32], rid[24], declared[256];
    stats_report_figures_t pf;
    cy_status_t st = report_platform(c, pilot_id, per, &pf, err);
    if (st != CY_OK)
        return st;
    report_declared(fig, &pf, declared, sizeof declared);
    utc_format_iso(now, ts);
    utc_format_iso(per->due.at, due);
    int late = bjtime_is_late(now, per->due.at);
    store_param_t p[] = {STORE_P_INT(pilot_id),   STORE_P_TEXT(per->period), STORE_P_INT(fig[0]),
                         STORE_P_INT(fig[1]),     STORE_P_INT(fig[2]),       STORE_P_INT(fig[3]),
                         STORE_P_INT(fig[4]),     STORE_P_INT(fig[5]),       STORE_P_INT(fig[6]),
                         STORE_P_INT(fig[7]),     STORE_P_TEXT(text),        STORE_P_TEXT(due),
                         STORE_P_TEXT(ts),        STORE_P_INT(late),         STORE_P_INT(a->org_id),
                         STORE_P_INT(a->user_id), known_or_null(&pf, 0),     known_or_null(&pf, 1),
                         known_or_null(&pf, 2),   known_or_null(&pf, 3),     known_or_null(&pf, 4),
                         known_or_null(&pf, 5),   known_or_null(&pf, 6),     known_or_null(&pf, 7),
                         STORE_P_TEXT(declared)};
    st = pilot_insert_once(
        c,
        "INSERT INTO pilot_report (pilot_id, period, insured_enterprises, policies, premium_fen, "
        "sum_insured_fen, assessments, alerts, incidents, claims_paid_fen, text, due_at, "
        "received_at, recorded_at, late, org_id, user_id, platform_insured_enterprises, "
        "platform_policies, platform_premium_fen, platform_sum_insured_fen, platform_assessments, "
        "platform_alerts, platform_incidents, platform_claims_paid_fen, declared) VALUES ($1, $2, "
        "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17, $18, $19, $20, "
        "$21, $22, $23, $24, $25) RETURNING id",
        p, 25, id, "report_exists", "period",
        "本报告期的进展报告已报送 / the report of this period has been filed", err);
    snprintf(rid, sizeof rid, "%" PRId64, *id);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "report.create", "pilot_report", rid, err,
                              "试点 %s 报送 %s 进展报告%s / pilot %s filed its %s progress "
                              "report%s",
                              code, per->period, late ? "（逾期）" : "", code, per->period,
                              late ? " (late)" : "");
    return st;
}

cy_status_t
app_report_create(app_t *app, const actor_t *a, int64_t now, json_t *report, json_t **out,
                  cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = pilot_filing_open(app, REPORT_FORM, report, &c, out, err);
    if (st != CY_OK)
        return st;
    int64_t pilot_id = json_integer_value(json_object_get(report, "pilot_id")), fig[8], id = 0;
    char round_id[16], start[16], code[40];
    const round_period_t *per = NULL;
    st = report_pilot(c, a, pilot_id, round_id, start, code, err);
    if (st == CY_OK)
        st = report_period(pilot_round_find(app, round_id), pf_str(report, "period"), start, now,
                           &per, err);
    if (st == CY_OK)
        st = report_figures(report, fig, err);
    if (st == CY_OK)
        st = report_insert(c, a, now, pilot_id, per, fig, pf_str(report, "text"), code, &id, err);
    if (st == CY_OK)
        st = pilot_query_id(c, REPORT_SELECT "WHERE r.id = $1", id, REPORT_COLS, out, err);
    return store_tx_close(app->store, c, st, err);
}

/*
 * The figures a progress report of pilot id for period starts from: the
 * platform's own records of the pilot's policies written in the period
 * (app/stats), null where the platform keeps no record yet. Seen as the
 * pilot is (404 outside); a period of the pilot's round (422 period_unknown).
 */
cy_status_t
app_pilot_figures(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *period,
                  json_t **out, cy_error_t *err)
{
    (void)now;
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    json_t *t = NULL;
    st = pilot_load(c, a, id, "id", &t, err);
    const round_t *r = st == CY_OK ? pilot_round_find(app, pf_str(t, "round_id")) : NULL;
    const round_period_t *per = r && period ? round_period_find(r, period) : NULL;
    if (st == CY_OK && per == NULL)
        st = cy_error_set(err, CY_EINVAL, "period_unknown", "period",
                          "报告期应为本轮数据文件中的报告期（如 %s） / period must be one of the "
                          "round's report periods (e.g. %s)",
                          r && r->n_periods ? r->periods[0].period : "-",
                          r && r->n_periods ? r->periods[0].period : "-");
    stats_report_figures_t pf;
    if (st == CY_OK)
        st = report_platform(c, id, per, &pf, err);
    store_release(app->store, c);
    if (st == CY_OK) {
        char from[16], to[16];
        snprintf(from, sizeof from, "%04d-%02d-%02d", per->from.y, per->from.m, per->from.d);
        snprintf(to, sizeof to, "%04d-%02d-%02d", per->to.y, per->to.m, per->to.d);
        json_t *f = json_object();
        for (int i = 0; i < STATS_REPORT_FIGURES; i++)
            json_object_set_new(f, stats_report_figure_names[i],
                                pf.known[i] ? json_integer(pf.value[i]) : json_null());
        *out = json_pack("{s:I, s:s, s:s, s:s, s:o}", "pilot_id", (json_int_t)id, "period",
                         per->period, "from", from, "to", to, "figures", f);
    }
    json_decref(t);
    return st;
}
