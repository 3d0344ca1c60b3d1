/*
 * todo.c — a home page's answer (app_pilot_todo), computed from the records
 * at `now`: what waits for the caller (a unit's confirmation, an assigned
 * review, schemes to review or list, packages and summaries to forward,
 * plans to package or select, returned work, reports and summaries due,
 * extension requests to answer), the deadlines of its scope still ahead with
 * the days left (reminded at the round's reminders_days), and its recent
 * activity (the moves of material to or from it). Reads only. Depends on
 * core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "core/bjtime.h"

/* One waiting item: what, in words, where to act, and (0: none) when it is due. */
static void
wait_add(json_t *out, const char *kind, const char *zh, const char *en, const char *href,
         int64_t due)
{
    char iso[32];
    if (due > 0)
        utc_format_iso(due, iso);
    json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:o}", "kind", kind, "text_zh", zh,
                                         "text_en", en, "href", href, "due_at",
                                         due > 0 ? json_string(iso) : json_null()));
}

/* Rows of sql ($1 the caller's organisation, $2 its user) as (id, name) into items. */
static cy_status_t
rows_of(store_conn_t *c, const actor_t *a, const char *sql, json_t **rows, cy_error_t *err)
{
    static const pcol_t cols[] = {{"id", 'i'}, {"name", 's'}, {NULL, 0}};
    store_param_t p[] = {STORE_P_INT(a->org_id), STORE_P_INT(a->user_id)};
    *rows = json_array();
    return pilot_query_json(c, sql, p, 2, cols, *rows, err);
}

/* Each row of sql becomes an item: fmt_zh/fmt_en take the name, href_fmt the id. */
static cy_status_t
wait_rows(store_conn_t *c, const actor_t *a, json_t *out, const char *kind, const char *sql,
          const char *fmt_zh, const char *fmt_en, const char *href_fmt, cy_error_t *err)
{
    json_t *rows;
    cy_status_t st = rows_of(c, a, sql, &rows, err);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        char zh[600], en[600], href[96];
        const char *name = pf_str(r, "name");
        int64_t id = json_integer_value(json_object_get(r, "id"));
        snprintf(zh, sizeof zh, fmt_zh, name[0] ? name : "（未命名）");
        snprintf(en, sizeof en, fmt_en, name[0] ? name : "(untitled)");
        snprintf(href, sizeof href, href_fmt, id);
        wait_add(out, kind, zh, en, href, 0);
    }
    json_decref(rows);
    return st;
}

/* A unit's admin confirms the declarations of the schemes and plans its unit is in. */
static cy_status_t
wait_confirm(store_conn_t *c, const actor_t *a, json_t *out, cy_error_t *err)
{
    if (!authz_allowed(a->org_type, a->role, ACT_UNIT_CONFIRM))
        return CY_OK;
    cy_status_t st = wait_rows(
        c, a, out, "confirm",
        "SELECT s.id, s.name FROM pilot_unit u JOIN pilot_scheme s ON u.kind = 'scheme' AND s.id = "
        "u.doc_id WHERE u.org_id = $1 AND s.status = 'draft' AND $2 > 0 AND NOT EXISTS (SELECT 1 "
        "FROM pilot_confirmation f WHERE f.kind = 'scheme' AND f.doc_id = s.id AND f.org_id = $1) "
        "ORDER BY s.id",
        "服务方案“%s”待本单位确认承诺和声明",
        "confirm your unit's declarations for the scheme \"%s\"", "/scheme.html?id=%" PRId64, err);
    if (st == CY_OK)
        st = wait_rows(c, a, out, "confirm",
                       "SELECT p.id, p.name FROM pilot_unit u JOIN pilot_plan p ON u.kind = 'plan' "
                       "AND p.id = u.doc_id WHERE u.org_id = $1 AND p.status IN ('draft', "
                       "'returned') AND p.annex <> 2 AND $2 > 0 AND NOT EXISTS (SELECT 1 FROM "
                       "pilot_confirmation f WHERE f.kind = 'plan' AND f.doc_id = p.id AND "
                       "f.org_id = $1) ORDER BY p.id",
                       "试点工作方案“%s”待本单位确认承诺和声明",
                       "confirm your unit's declarations for the plan \"%s\"",
                       "/plan.html?id=%" PRId64, err);
    return st;
}

/* An expert's open reviews; the ministry's and support center's schemes to review or list. */
static cy_status_t
wait_review(app_t *app, store_conn_t *c, const actor_t *a, json_t *out, cy_error_t *err)
{
    char sql[640];
    cy_status_t st = wait_rows(
        c, a, out, "review",
        "SELECT v.id, s.name FROM pilot_review v JOIN pilot_scheme s ON s.id = v.scheme_id WHERE "
        "v.expert_user_id = $2 AND v.status = 'assigned' AND s.status = 'submitted' AND $1 > 0 "
        "ORDER BY v.id",
        "评审服务方案“%s”", "score the scheme \"%s\"", "/review.html?id=%" PRId64, err);
    int need = pilot_criteria(app, NULL)->min_reviews;
    snprintf(sql, sizeof sql,
             "SELECT s.id, s.name FROM pilot_scheme s WHERE s.status = 'submitted' AND $1 > 0 "
             "AND $2 > 0 AND (SELECT COUNT(*) FROM pilot_review v WHERE v.scheme_id = s.id) < %d "
             "ORDER BY s.id",
             need);
    if (st == CY_OK && authz_allowed(a->org_type, a->role, ACT_REVIEW_ASSIGN))
        st = wait_rows(c, a, out, "assign", sql, "为服务方案“%s”安排评审专家",
                       "assign experts to the scheme \"%s\"", "/scheme.html?id=%" PRId64, err);
    snprintf(sql, sizeof sql,
             "SELECT s.id, s.name FROM pilot_scheme s WHERE s.status = 'submitted' AND $1 > 0 "
             "AND $2 > 0 AND (SELECT COUNT(*) FROM pilot_review v WHERE v.scheme_id = s.id AND "
             "v.status = 'submitted') >= %d ORDER BY s.id",
             need);
    if (st == CY_OK && authz_allowed(a->org_type, a->role, ACT_CATALOGUE_PUBLISH))
        st = wait_rows(c, a, out, "catalogue", sql, "服务方案“%s”已完成评审，可列入目录",
                       "the scheme \"%s\" is reviewed and may be listed",
                       "/catalogue.html?scheme=%" PRId64, err);
    return st;
}

/* Packages, plans and summaries an authority holds and moves on; returned work of an author. */
static cy_status_t
wait_route(store_conn_t *c, const actor_t *a, json_t *out, cy_error_t *err)
{
    int routes = authz_allowed(a->org_type, a->role, ACT_PLAN_ROUTE) &&
                 (a->org_type == ORG_CITY || a->org_type == ORG_PROVINCE);
    cy_status_t st = CY_OK;
    if (routes)
        st = wait_rows(c, a, out, "package_forward",
                       "SELECT k.id, o.name FROM pilot_package k JOIN organisation o ON o.id = "
                       "k.origin_org_id WHERE k.holder_org_id = $1 AND $2 > 0 ORDER BY k.id",
                       "申报材料包（%s）待报送", "the package of %s waits to be forwarded",
                       "/inbox.html?package=%" PRId64, err);
    if (st == CY_OK && routes)
        st = wait_rows(c, a, out, "package_make",
                       "SELECT p.id, p.name FROM pilot_plan p WHERE p.holder_org_id = $1 AND "
                       "p.status = 'submitted' AND p.package_id IS NULL AND $2 > 0 ORDER BY p.id",
                       "试点工作方案“%s”已收到，待组织报送", "the plan \"%s\" arrived: package it",
                       "/plan.html?id=%" PRId64, err);
    if (st == CY_OK && routes)
        st = wait_rows(c, a, out, "summary_forward",
                       "SELECT m.id, o.name FROM pilot_summary m JOIN organisation o ON o.id = "
                       "m.org_id WHERE m.holder_org_id = $1 AND m.org_id <> $1 AND $2 > 0 ORDER BY "
                       "m.id",
                       "%s的年度总结待转报", "the annual summary of %s waits to be forwarded",
                       "/summary.html?id=%" PRId64, err);
    if (st == CY_OK)
        st = wait_rows(c, a, out, "returned",
                       "SELECT p.id, p.name FROM pilot_plan p WHERE p.author_org_id = $1 AND "
                       "p.status = 'returned' AND $2 > 0 ORDER BY p.id",
                       "试点工作方案“%s”被退回修改", "the plan \"%s\" was returned for changes",
                       "/plan.html?id=%" PRId64, err);
    if (st == CY_OK && authz_allowed(a->org_type, a->role, ACT_PILOT_SELECT))
        st = wait_rows(c, a, out, "select",
                       "SELECT p.id, p.name FROM pilot_plan p WHERE p.holder_org_id = $1 AND "
                       "p.status = 'submitted' AND $2 > 0 ORDER BY p.id",
                       "试点工作方案“%s”已报部，待遴选",
                       "the plan \"%s\" is at the ministry: select "
                       "or not",
                       "/pilots.html?select=%" PRId64, err);
    if (st == CY_OK && authz_allowed(a->org_type, a->role, ACT_EXTENSION_GRANT))
        st = wait_rows(c, a, out, "extension_request",
                       "SELECT q.id, o.name FROM pilot_extension_request q JOIN organisation o ON "
                       "o.id = q.org_id WHERE q.to_org_id = $1 AND q.status = 'open' AND $2 > 0 "
                       "ORDER BY q.id",
                       "%s申请延期，待答复", "%s asks for an extension",
                       "/extensions.html?request=%" PRId64, err);
    return st;
}

/* A pilot's reports of periods begun by now and not filed, while the pilot is active. */
static cy_status_t
wait_reports(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, json_t *out,
             cy_error_t *err)
{
    static const pcol_t cols[] = {
        {"id", 'i'}, {"code", 's'}, {"round_id", 's'}, {"start_date", 's'}, {NULL, 0}};
    if (!authz_allowed(a->org_type, a->role, ACT_REPORT_WRITE))
        return CY_OK;
    json_t *pilots = json_array();
    store_param_t p[] = {STORE_P_INT(a->org_id)};
    cy_status_t st = pilot_query_json(c,
                                      "SELECT id, code, round_id, start_date FROM pilot WHERE "
                                      "lead_org_id = $1 AND status = 'active' ORDER BY id",
                                      p, 1, cols, pilots, err);
    size_t i;
    json_t *t;
    json_array_foreach(pilots, i, t)
    {
        const round_t *r = pilot_round_find(app, pf_str(t, "round_id"));
        int64_t start = 0, id = json_integer_value(json_object_get(t, "id"));
        pilot_date_check(pf_str(t, "start_date"), "start_date", "", "", &start, NULL);
        for (size_t k = 0; st == CY_OK && r != NULL && k < r->n_periods; k++) {
            const round_period_t *per = &r->periods[k];
            int found = 0;
            if (per->to.at < start || now < per->from.at - 86399)
                continue;
            st = pilot_report_filed(c, id, per->period, &found, err);
            char zh[200], en[200], href[64];
            snprintf(zh, sizeof zh, "试点 %s 的 %s 进展报告待报送", pf_str(t, "code"), per->period);
            snprintf(en, sizeof en, "pilot %s: the %s progress report is due", pf_str(t, "code"),
                     per->period);
            snprintf(href, sizeof href, "/report.html?pilot=%" PRId64, id);
            if (st == CY_OK && !found)
                wait_add(out, "report_due", zh, en, href, per->due.at);
        }
    }
    json_decref(pilots);
    return st;
}

/* The caller's own annual summary of each round, once its deadline is within 30 days or past. */
static cy_status_t
wait_summaries(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, json_t *out,
               cy_error_t *err)
{
    static const pcol_t cols[] = {{"id", 'i'}, {"code", 's'}, {"round_id", 's'}, {NULL, 0}};
    if (!authz_allowed(a->org_type, a->role, ACT_SUMMARY_WRITE))
        return CY_OK;
    json_t *pilots = json_array();
    store_param_t p[] = {STORE_P_INT(a->org_id)};
    cy_status_t st = pilot_query_json(c,
                                      "SELECT id, code, round_id FROM pilot WHERE lead_org_id = $1 "
                                      "AND status = 'active' ORDER BY id",
                                      p, 1, cols, pilots, err);
    char province[7];
    snprintf(province, sizeof province, "%.2s0000", a->region);
    size_t i;
    json_t *t;
    json_array_foreach(pilots, i, t)
    {
        const round_t *r = pilot_round_find(app, pf_str(t, "round_id"));
        int64_t due = 0, id = json_integer_value(json_object_get(t, "id"));
        char subject[48], zh[200], en[200];
        int found = 0;
        if (r == NULL ||
            !round_deadline_at(r, pilot_summary_deadline(r, province), province, &due) ||
            now < due - 30 * 86400)
            continue;
        snprintf(subject, sizeof subject, "pilot:%" PRId64, id);
        st = pilot_summary_filed(c, r->id, subject, &found, err);
        snprintf(zh, sizeof zh, "试点 %s 的年度总结待报送", pf_str(t, "code"));
        snprintf(en, sizeof en, "pilot %s: the annual summary is due", pf_str(t, "code"));
        if (st == CY_OK && !found)
            wait_add(out, "summary_due", zh, en, "/summary.html", due);
        if (st != CY_OK)
            break;
    }
    json_decref(pilots);
    return st;
}

/* A city's or province's own summary of each round, once due within 30 days or past. */
static cy_status_t
wait_own_summary(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, json_t *out,
                 cy_error_t *err)
{
    pilot_org_t me;
    route_stop_t stop;
    int found = 0;
    if ((a->org_type != ORG_CITY && a->org_type != ORG_PROVINCE) ||
        !authz_allowed(a->org_type, a->role, ACT_SUMMARY_WRITE))
        return CY_OK;
    cy_status_t st = pilot_org_get(c, a->org_id, &me, &found, err);
    cy_error_t ignored;
    if (st != CY_OK || !found ||
        routing_next(app->ref, pilot_level_of(&me), me.region, &stop, &ignored) != CY_OK)
        return st;
    round_deadline_t k = stop.level == ROUTE_PROVINCE ? ROUND_DL_CITY_SUMMARY_AT_PROVINCE
                                                      : ROUND_DL_SUMMARY_AT_MINISTRY;
    char subject[48];
    snprintf(subject, sizeof subject, "org:%" PRId64, me.id);
    for (size_t i = 0; st == CY_OK && i < app->pilot->n_rounds; i++) {
        const round_t *r = &app->pilot->rounds[i];
        int64_t due = 0;
        if (!round_deadline_at(r, k, me.province, &due) || now < due - 30 * 86400)
            continue;
        st = pilot_summary_filed(c, r->id, subject, &found, err);
        if (st == CY_OK && !found)
            wait_add(out, "summary_due", "本单位的年度总结待报送",
                     "your organisation's annual summary is due", "/summary.html", due);
    }
    return st;
}

/* The deadlines an organisation of this type meets or receives under. */
static int
deadline_mine(const app_t *app, const pilot_org_t *me, round_deadline_t k)
{
    route_stop_t stop;
    cy_error_t ignored;
    int up_ministry =
        routing_next(app->ref, pilot_level_of(me), me->region, &stop, &ignored) == CY_OK &&
        stop.level == ROUTE_MINISTRY;
    switch (me->type) {
    case ORG_MINISTRY:
    case ORG_SUPPORT_CENTER:
        return !round_deadline_is_local(k);
    case ORG_PROVINCE:
        return k != ROUND_DL_SCHEME_AT_MINISTRY && k != ROUND_DL_PLAN_AT_CITY &&
               k != ROUND_DL_PILOT_SUMMARY_AT_CITY && k != ROUND_DL_COPY_AT_COMM_ADMIN &&
               k != ROUND_DL_SUMMARY_COPY_AT_COMM_ADMIN;
    case ORG_CITY:
        return k == ROUND_DL_PLAN_AT_CITY || k == ROUND_DL_PILOT_SUMMARY_AT_CITY ||
               (k == ROUND_DL_PACKAGE_AT_PROVINCE && !up_ministry) ||
               (k == ROUND_DL_CITY_SUMMARY_AT_PROVINCE && !up_ministry) ||
               (up_ministry &&
                (k == ROUND_DL_PLAN_AT_MINISTRY || k == ROUND_DL_SUMMARY_AT_MINISTRY));
    case ORG_COMM_ADMIN:
        return k == ROUND_DL_COPY_AT_COMM_ADMIN || k == ROUND_DL_SUMMARY_COPY_AT_COMM_ADMIN;
    case ORG_INSURER:
    case ORG_SERVICE_ORG:
        if (k == ROUND_DL_SCHEME_AT_MINISTRY)
            return 1;
        /* fall through */
    case ORG_ENTERPRISE:
        return k == ROUND_DL_PLAN_AT_CITY || k == ROUND_DL_PILOT_SUMMARY_AT_CITY ||
               (k == ROUND_DL_PACKAGE_AT_PROVINCE && !up_ministry) ||
               k == ROUND_DL_SUMMARY_AT_MINISTRY;
    default:
        return 0;
    }
}

/* The deadlines of the caller's scope still ahead at now, soonest first. */
static cy_status_t
deadlines_json(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, json_t *out,
               cy_error_t *err)
{
    pilot_org_t me;
    int found = 0;
    cy_status_t st = pilot_org_get(c, a->org_id, &me, &found, err);
    for (size_t i = 0; st == CY_OK && found && i < app->pilot->n_rounds; i++) {
        const round_t *r = &app->pilot->rounds[i];
        for (int k = 0; k < ROUND_DL_COUNT; k++) {
            int64_t at;
            if (!deadline_mine(app, &me, (round_deadline_t)k) ||
                !round_deadline_at(r, (round_deadline_t)k, me.province, &at) || at < now)
                continue;
            int64_t left = pilot_days_left(now, at);
            int remind = 0;
            for (size_t j = 0; j < r->n_reminders; j++)
                remind |= left <= r->reminders[j];
            char iso[32];
            utc_format_iso(at, iso);
            json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:b}", "round_id", r->id, "key",
                                  round_deadline_key((round_deadline_t)k), "name_zh",
                                  round_deadline_name_zh((round_deadline_t)k), "name_en",
                                  round_deadline_name_en((round_deadline_t)k), "at", iso,
                                  "days_left", (json_int_t)left, "remind", remind);
            size_t pos = 0; /* soonest first */
            while (pos < json_array_size(out) &&
                   strcmp(pf_str(json_array_get(out, pos), "at"), iso) <= 0)
                pos++;
            json_array_insert_new(out, pos, d);
        }
    }
    return st;
}

/* The last moves of material to or from the caller, in words. */
static cy_status_t
activity_json(store_conn_t *c, const actor_t *a, json_t *out, cy_error_t *err)
{
    static const pcol_t cols[] = {{"kind", 's'},
                                  {"received_at", 's'},
                                  {"from_name", 's'},
                                  {"to_name", 's'},
                                  {"plan_id", 'I'},
                                  {"plan_name", 'n'},
                                  {"package_id", 'I'},
                                  {"summary_id", 'I'},
                                  {"comment", 's'},
                                  {"late", 'b'},
                                  {NULL, 0}};
    json_t *rows = json_array();
    store_param_t p[] = {STORE_P_INT(a->org_id)};
    cy_status_t st = pilot_query_json(
        c,
        "SELECT h.kind, h.received_at, fo.name AS from_name, tg.name AS to_name, h.plan_id, "
        "pl.name AS plan_name, h.package_id, h.summary_id, h.comment, h.late FROM pilot_hop h JOIN "
        "organisation fo ON fo.id = h.from_org_id JOIN organisation tg ON tg.id = h.to_org_id "
        "LEFT JOIN pilot_plan pl ON pl.id = h.plan_id WHERE (h.from_org_id = $1 OR h.to_org_id = "
        "$1) AND (h.plan_id IS NULL OR h.package_id IS NULL) ORDER BY h.id DESC LIMIT 10",
        p, 1, cols, rows, err);
    size_t i;
    json_t *h;
    json_array_foreach(rows, i, h)
    {
        char zh[700], en[700], href[64] = "/inbox.html";
        const char *kind = pf_str(h, "kind"), *plan = pf_str(h, "plan_name");
        const char *what_zh =
            json_is_null(json_object_get(h, "plan_id"))
                ? (json_is_null(json_object_get(h, "summary_id")) ? "申报材料包" : "年度总结")
                : plan;
        const char *what_en =
            json_is_null(json_object_get(h, "plan_id"))
                ? (json_is_null(json_object_get(h, "summary_id")) ? "a package" : "a summary")
                : plan;
        pilot_hop_words(kind, pf_str(h, "from_name"), pf_str(h, "to_name"), what_zh, what_en,
                        pf_str(h, "comment"), json_is_true(json_object_get(h, "late")), zh,
                        sizeof zh, en, sizeof en);
        if (!json_is_null(json_object_get(h, "plan_id")))
            snprintf(href, sizeof href, "/plan.html?id=%" PRId64,
                     (int64_t)json_integer_value(json_object_get(h, "plan_id")));
        json_array_append_new(out,
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "at", pf_str(h, "received_at"),
                                        "kind", kind, "text_zh", zh, "text_en", en, "href", href));
    }
    json_decref(rows);
    return st;
}

cy_status_t
app_pilot_todo(app_t *app, const actor_t *a, int64_t now, json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    json_t *waiting = json_array(), *deadlines = json_array(), *activity = json_array();
    st = wait_confirm(c, a, waiting, err);
    if (st == CY_OK)
        st = wait_review(app, c, a, waiting, err);
    if (st == CY_OK)
        st = wait_route(c, a, waiting, err);
    if (st == CY_OK)
        st = wait_reports(app, c, a, now, waiting, err);
    if (st == CY_OK)
        st = wait_summaries(app, c, a, now, waiting, err);
    if (st == CY_OK)
        st = wait_own_summary(app, c, a, now, waiting, err);
    if (st == CY_OK)
        st = deadlines_json(app, c, a, now, deadlines, err);
    if (st == CY_OK)
        st = activity_json(c, a, activity, err);
    store_release(app->store, c);
    *out = json_pack("{s:o, s:o, s:o}", "waiting", waiting, "deadlines", deadlines, "activity",
                     activity);
    if (st != CY_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return st;
}
