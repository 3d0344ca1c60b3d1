/*
 * notice.c — what the pilot tells organisations in the app (app/notify):
 * a unit must confirm, a plan, package or summary arrived (or its copy),
 * returned for changes, a review assigned, a scheme listed in the
 * catalogue, a plan selected, a pilot ended, an extension asked, granted
 * or declined. Each is raised inside the transaction of the use case that
 * makes the change (so it exists exactly when the change does); the kinds
 * are listed in data/platform.json. Deadline reminders: remind.c.
 * Depends on core/, store/, jansson and app/notify; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app/notify/notify.h"
#include "app/pilot/internal.h"

cy_status_t
pilot_notice(app_t *app, store_conn_t *c, int64_t now, const pilot_notice_t *n, cy_error_t *err)
{
    char oid[24], link[128];
    snprintf(oid, sizeof oid, "%" PRId64, n->object_id);
    snprintf(link, sizeof link, n->link_fmt, n->object_id);
    notify_in_t in = {.org_id = n->org_id,
                      .user_id = n->user_id,
                      .role = n->role,
                      .kind = n->kind,
                      .object_type = n->object_type,
                      .object_id = oid,
                      .text_zh = n->zh,
                      .text_en = n->en,
                      .link = link};
    return notify_raise(app, c, now, &in, NULL, err);
}

cy_status_t
pilot_noticef(app_t *app, store_conn_t *c, int64_t now, const pilot_notice_t *base, cy_error_t *err,
              const char *fmt, ...)
{
    char text[2000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char *sep = strstr(text, " / ");
    pilot_notice_t n = *base;
    n.zh = text;
    n.en = text;
    if (sep != NULL) {
        *sep = '\0';
        n.en = sep + 3;
    }
    return pilot_notice(app, c, now, &n, err);
}

/* What a hop moves, in words, and where to read it. */
static cy_status_t
hop_what(store_conn_t *c, const pilot_hop_t *h, char *zh, size_t zh_cap, char *en, size_t en_cap,
         pilot_notice_t *n, cy_error_t *err)
{
    if (h->summary_id) {
        snprintf(zh, zh_cap, "年度总结");
        snprintf(en, en_cap, "an annual summary");
        n->object_type = "pilot_summary";
        n->object_id = h->summary_id;
        n->link_fmt = "/summary.html";
        return CY_OK;
    }
    if (h->plan_id == 0) {
        snprintf(zh, zh_cap, "申报材料包 %" PRId64, h->package_id);
        snprintf(en, en_cap, "package %" PRId64, h->package_id);
        n->object_type = "pilot_package";
        n->object_id = h->package_id;
        n->link_fmt = "/inbox.html?package=%" PRId64;
        return CY_OK;
    }
    json_t *row = NULL;
    static const pcol_t cols[] = {{"name", 's'}, {NULL, 0}};
    cy_status_t st =
        pilot_query_id(c, "SELECT name FROM pilot_plan WHERE id = $1", h->plan_id, cols, &row, err);
    const char *name = row ? pf_str(row, "name") : "";
    snprintf(zh, zh_cap, "试点工作方案“%s”", name[0] ? name : "（未命名）");
    snprintf(en, en_cap, "the pilot plan \"%s\"", name[0] ? name : "(untitled)");
    json_decref(row);
    n->object_type = "pilot_plan";
    n->object_id = h->plan_id;
    n->link_fmt = "/plan.html?id=%" PRId64;
    return st;
}

cy_status_t
pilot_notice_hop(app_t *app, store_conn_t *c, int64_t now, const pilot_hop_t *h, int late,
                 cy_error_t *err)
{
    if (h->plan_id && h->package_id)
        return CY_OK; /* a plan moving inside its package: the package's own hop tells of it */
    pilot_org_t from, to;
    int found = 0, found_to = 0;
    char what_zh[400], what_en[400], zh[1000], en[1000];
    pilot_notice_t n = {.org_id = h->to,
                        .kind =
                            strcmp(h->kind, "return") == 0 ? "pilot.returned" : "pilot.received",
                        .zh = zh,
                        .en = en};
    cy_status_t st = pilot_org_get(c, h->from, &from, &found, err);
    if (st == CY_OK)
        st = pilot_org_get(c, h->to, &to, &found_to, err);
    if (st == CY_OK)
        st = hop_what(c, h, what_zh, sizeof what_zh, what_en, sizeof what_en, &n, err);
    if (st != CY_OK || !found || !found_to)
        return st;
    pilot_hop_words(h->kind, from.name, to.name, what_zh, what_en, h->comment, late, zh, sizeof zh,
                    en, sizeof en);
    return pilot_notice(app, c, now, &n, err);
}

cy_status_t
pilot_notice_confirm(app_t *app, store_conn_t *c, int64_t now, const pilot_doc_t *d,
                     cy_error_t *err)
{
    static const pcol_t cols[] = {{"org_id", 'i'}, {NULL, 0}};
    const pilot_kind_t *k = pilot_kind(d->annex);
    json_t *rows = json_array();
    store_param_t p[] = {STORE_P_TEXT(k->kind), STORE_P_INT(d->id), STORE_P_INT(d->owner)};
    /* the registered joint units that have not confirmed (the owner confirms its own) */
    cy_status_t st = pilot_query_json(
        c,
        "SELECT DISTINCT u.org_id FROM pilot_unit u WHERE u.kind = $1 AND u.doc_id = $2 AND "
        "u.org_id IS NOT NULL AND u.org_id <> $3 AND NOT EXISTS (SELECT 1 FROM "
        "pilot_confirmation f WHERE f.kind = u.kind AND f.doc_id = u.doc_id AND f.org_id = "
        "u.org_id) ORDER BY u.org_id",
        p, 3, cols, rows, err);
    const char *name = pf_str(d->form, "name");
    char zh[1000], en[1000];
    snprintf(zh, sizeof zh,
             "%s“%s”列本单位为联合申报单位，待本单位管理员确认真实性承诺和申报主体责任声明", k->zh,
             name[0] ? name : "（未命名）");
    snprintf(en, sizeof en,
             "the %s \"%s\" names your organisation as a joint unit: your admin confirms its "
             "declarations",
             k->en, name[0] ? name : "(untitled)");
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        pilot_notice_t n = {.org_id = json_integer_value(json_object_get(r, "org_id")),
                            .role = "admin",
                            .kind = "pilot.confirm",
                            .object_type = k->table,
                            .object_id = d->id,
                            .link_fmt = d->annex == 1 ? "/scheme.html?id=%" PRId64
                                                      : "/plan.html?id=%" PRId64,
                            .zh = zh,
                            .en = en};
        if (st == CY_OK)
            st = pilot_notice(app, c, now, &n, err);
    }
    json_decref(rows);
    return st;
}

/* The name of scheme id and its lead. */
static cy_status_t
scheme_of(store_conn_t *c, int64_t id, int64_t *lead, char *name, size_t cap, cy_error_t *err)
{
    static const pcol_t cols[] = {{"lead_org_id", 'i'}, {"name", 's'}, {NULL, 0}};
    json_t *row = NULL;
    cy_status_t st = pilot_query_id(c, "SELECT lead_org_id, name FROM pilot_scheme WHERE id = $1",
                                    id, cols, &row, err);
    *lead = row ? json_integer_value(json_object_get(row, "lead_org_id")) : 0;
    snprintf(name, cap, "%s", row && pf_str(row, "name")[0] ? pf_str(row, "name") : "—");
    json_decref(row);
    return st;
}

cy_status_t
pilot_notice_scheme(app_t *app, store_conn_t *c, int64_t now, pilot_scheme_event_t e,
                    int64_t scheme_id, int64_t to_org, int64_t to_user, int64_t object_id,
                    const char *detail, cy_error_t *err)
{
    int64_t lead = 0;
    char name[256], zh[1000], en[1000];
    cy_status_t st = scheme_of(c, scheme_id, &lead, name, sizeof name, err);
    if (st != CY_OK)
        return st;
    pilot_notice_t n = {.org_id = to_org ? to_org : lead,
                        .user_id = to_user,
                        .object_type = "pilot_scheme",
                        .object_id = scheme_id,
                        .link_fmt = "/scheme.html?id=%" PRId64,
                        .zh = zh,
                        .en = en};
    switch (e) {
    case PILOT_SCHEME_RECEIVED:
        n.kind = "pilot.received";
        snprintf(zh, sizeof zh, "服务方案“%s”已报送，送达时间 %s", name, detail);
        snprintf(en, sizeof en, "the service scheme \"%s\" arrived at %s", name, detail);
        break;
    case PILOT_SCHEME_REVIEW:
        n.kind = "pilot.review_assigned";
        n.object_type = "pilot_review";
        n.object_id = object_id;
        n.link_fmt = "/review.html?id=%" PRId64;
        snprintf(zh, sizeof zh, "请评审服务方案“%s”", name);
        snprintf(en, sizeof en, "you are assigned to review the service scheme \"%s\"", name);
        break;
    case PILOT_SCHEME_LISTED:
        n.kind = "pilot.catalogued";
        snprintf(zh, sizeof zh, "服务方案“%s”列入《网络安全保险典型服务方案目录》，编号 %s", name,
                 detail);
        snprintf(en, sizeof en, "the service scheme \"%s\" is listed in the catalogue as %s", name,
                 detail);
        break;
    }
    return pilot_notice(app, c, now, &n, err);
}
