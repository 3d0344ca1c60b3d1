/*
 * pilot_scheme.c — Annex 1 网络安全保险服务方案: draft → confirmations by each
 * unit's admin → submit to the ministry (deadline on receipt), local
 * authorities' 推荐意见, and the assignment of review experts (conflict of
 * interest refused). Every rule of the round comes from core/round.c with the
 * round's numbers; each write is one transaction with its audit entry.
 * Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "app/util.h"

#define LONG_TEXT 300000

static const pf_field_t CASE[] = {
    {"title", 's', 400, NULL}, {"text", 'l', LONG_TEXT, NULL}, {NULL, 0, 0, NULL}};
/* 二、服务方案: (一) 1 背景和意义, 2 服务方案, 3 团队; (二) 1 已有基础, 2 可推广性 */
static const pf_field_t BODY[] = {
    {"background", 'l', LONG_TEXT, NULL}, {"service", 'l', LONG_TEXT, NULL},
    {"team", 'l', LONG_TEXT, NULL},       {"cases", 'a', 20, CASE},
    {"promotion", 'l', LONG_TEXT, NULL},  {NULL, 0, 0, NULL}};
/* 三、证明材料: 1 申报单位相关证明材料及清单, 2 申报方案相关证明材料及清单 */
static const pf_field_t MATERIALS[] = {
    {"unit", 't', 100, NULL}, {"scheme", 't', 100, NULL}, {NULL, 0, 0, NULL}};
static const pf_field_t SCHEME_FORM[] = {{"name", 's', 400, NULL},
                                         {"location", 's', 400, NULL},
                                         {"leader_name", 's', 120, NULL},
                                         {"leader_title", 's', 200, NULL},
                                         {"direction", 's', 32, NULL},
                                         {"industry", 's', 64, NULL},
                                         {"product", 's', 64, NULL},
                                         {"direction_note", 's', 400, NULL},
                                         {"unit_intro", 'l', 20000, NULL},
                                         {"overview", 'l', 20000, NULL},
                                         {"joint_units", 'a', 50, pilot_unit_fields},
                                         {"body", 'o', 0, BODY},
                                         {"materials", 'o', 0, MATERIALS},
                                         {NULL, 0, 0, NULL}};

/* 字数 of the 服务方案 body: every section and every case, title and text. */
static size_t
body_zishu(json_t *form)
{
    json_t *body = json_object_get(form, "body");
    size_t n = pf_zishu(body, "background") + pf_zishu(body, "service") + pf_zishu(body, "team") +
               pf_zishu(body, "promotion");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(body, "cases"), i, c) n +=
        pf_zishu(c, "title") + pf_zishu(c, "text");
    return n;
}

/* The rules a draft must already keep: shapes, maxima, codes. */
static cy_status_t
check_draft(app_t *app, const round_t *r, json_t *form, const char *lead_uscc, cy_error_t *err)
{
    cy_status_t st = pf_check(SCHEME_FORM, form, "", err);
    if (st == CY_OK)
        st = pilot_check_direction(app, form, 0, err);
    if (st == CY_OK)
        st = round_check_zishu_max(r->limits.unit_intro_zishu_max, pf_zishu(form, "unit_intro"),
                                   "unit_intro", "申报单位简介", "unit_intro", err);
    if (st == CY_OK)
        st = round_check_zishu_max(r->limits.overview_zishu_max, pf_zishu(form, "overview"),
                                   "overview", "方案概述", "overview", err);
    if (st == CY_OK)
        st = pilot_check_joint_units(app, r, json_object_get(form, "joint_units"), lead_uscc, err);
    size_t cases = pf_len(json_object_get(form, "body"), "cases");
    if (st == CY_OK && (long long)cases > r->limits.cases_max)
        st = round_check_cases(r, cases, "body.cases", err);
    return st;
}

/* What a scheme needs before it may be submitted (on top of check_draft). */
static cy_status_t
check_complete(app_t *app, const round_t *r, json_t *form, cy_error_t *err)
{
    static const struct {
        const char *key, *zh, *en;
    } req[] = {
        {"name", "方案名称", "name"},
        {"location", "所在地", "location"},
        {"leader_name", "方案负责人", "leader_name"},
        {"leader_title", "负责人职务/职称", "leader_title"},
        {"unit_intro", "申报单位简介", "unit_intro"},
        {"overview", "方案概述", "overview"},
    };
    cy_status_t st = CY_OK;
    for (size_t i = 0; st == CY_OK && i < sizeof req / sizeof req[0]; i++)
        st = pf_require(form, req[i].key, req[i].key, req[i].zh, req[i].en, err);
    if (st == CY_OK)
        st = pilot_check_direction(app, form, 1, err);
    json_t *body = json_object_get(form, "body");
    static const struct {
        const char *key, *field, *zh, *en;
    } sec[] = {
        {"background", "body.background", "方案建设背景和意义", "body.background"},
        {"service", "body.service", "服务方案", "body.service"},
        {"team", "body.team", "方案负责人及方案团队实力", "body.team"},
        {"promotion", "body.promotion", "方案的可推广性", "body.promotion"},
    };
    for (size_t i = 0; st == CY_OK && i < sizeof sec / sizeof sec[0]; i++)
        st = pf_require(body, sec[i].key, sec[i].field, sec[i].zh, sec[i].en, err);
    if (st == CY_OK)
        st = round_check_cases(r, pf_len(body, "cases"), "body.cases", err);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(body, "cases"), i, c)
    {
        if (st != CY_OK)
            break;
        char field[48];
        snprintf(field, sizeof field, "body.cases[%zu].text", i);
        st = pf_require(c, "text", field, "案例内容", field, err);
    }
    if (st == CY_OK)
        st = round_check_zishu_min(r->limits.scheme_body_zishu_min, body_zishu(form), "body",
                                   "服务方案", "the scheme body (服务方案)", err);
    json_t *mat = json_object_get(form, "materials");
    if (st == CY_OK && pf_len(mat, "unit") == 0)
        st = cy_error_set(err, CY_EINVAL, "missing_field", "materials.unit",
                          "请列出申报单位相关证明材料清单 / list the applicant's supporting "
                          "documents");
    if (st == CY_OK && pf_len(mat, "scheme") == 0)
        st =
            cy_error_set(err, CY_EINVAL, "missing_field", "materials.scheme",
                         "请列出申报方案相关证明材料清单 / list the scheme's supporting documents");
    return st;
}

/* ---- reading ------------------------------------------------------------ */

/* Who sees a scheme: $1 all, $2 org, $3 user, $4 region prefix LIKE or NULL. */
#define SCHEME_VISIBLE                                                                             \
    "($1 = 1 OR s.lead_org_id = $2 OR EXISTS (SELECT 1 FROM pilot_unit u WHERE u.kind = "          \
    "'scheme' AND u.doc_id = s.id AND u.org_id = $2) OR EXISTS (SELECT 1 FROM pilot_review v "     \
    "WHERE v.scheme_id = s.id AND v.expert_user_id = $3) OR (CAST($4 AS TEXT) IS NOT NULL AND "    \
    "s.status <> 'draft' AND lo.region_code LIKE $4))"

static void
visibility_params(const actor_t *a, char like[8], store_param_t p[4])
{
    char prefix[7];
    authz_region_prefix(a->org_type, a->region, prefix);
    snprintf(like, 8, "%s%%", prefix);
    p[0] = STORE_P_INT(pilot_sees_all(a));
    p[1] = STORE_P_INT(a->org_id);
    p[2] = STORE_P_INT(a->user_id);
    p[3] = prefix[0] ? STORE_P_TEXT(like) : STORE_P_NULL;
}

typedef struct {
    int64_t id;
    char round_id[16];
    int64_t lead_org_id;
    char status[16];
    json_t *form;
} scheme_row_t;

/* Load a scheme the actor may see; CY_ENOTFOUND otherwise. */
static cy_status_t
scheme_load(store_conn_t *c, const actor_t *a, int64_t id, scheme_row_t *s, cy_error_t *err)
{
    memset(s, 0, sizeof *s);
    char like[8];
    store_param_t p[5];
    visibility_params(a, like, p);
    p[4] = STORE_P_INT(id);
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT s.id, s.round_id, s.lead_org_id, s.status, s.form FROM "
                                 "pilot_scheme s JOIN organisation lo ON lo.id = s.lead_org_id "
                                 "WHERE s.id = $5 AND " SCHEME_VISIBLE,
                                 p, 5, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        s->id = store_rows_int(r, 0);
        snprintf(s->round_id, sizeof s->round_id, "%s", store_rows_text(r, 1));
        s->lead_org_id = store_rows_int(r, 2);
        snprintf(s->status, sizeof s->status, "%s", store_rows_text(r, 3));
        s->form = json_loads(store_rows_text(r, 4), 0, NULL);
        if (s->form == NULL)
            s->form = json_object();
    }
    store_rows_free(r);
    if (k < 0)
        return err->status;
    if (k == 0)
        return app_not_found(err, "服务方案", "scheme", id);
    return CY_OK;
}

static void
scheme_row_free(scheme_row_t *s)
{
    json_decref(s->form);
    s->form = NULL;
}

static cy_status_t
lead_json(store_conn_t *c, const actor_t *a, int64_t org_id, json_t **out, cy_error_t *err)
{
    static const pcol_t cols[] = {{"id", 'i'},
                                  {"name", 's'},
                                  {"type", 's'},
                                  {"uscc", 's'},
                                  {"region_code", 's'},
                                  {"nature", 's'},
                                  {"nature_other", 'n'},
                                  {"founded_on", 'n'},
                                  {"registered_capital_fen", 'I'},
                                  {"address", 's'},
                                  {"contact", 's'},
                                  {"phone", 's'},
                                  {"fax", 's'},
                                  {"email", 's'},
                                  {"licence_no", 'n'},
                                  {"telecom_operator", 'b'},
                                  {NULL, 0}};
    store_param_t p[] = {STORE_P_INT(org_id)};
    cy_status_t st = pilot_query_one(c,
                                     "SELECT id, name, type, uscc, region_code, nature, "
                                     "nature_other, founded_on, registered_capital_fen, address, "
                                     "contact, phone, fax, email, licence_no, telecom_operator "
                                     "FROM organisation WHERE id = $1",
                                     p, 1, cols, out, err);
    /* regional authorities see other organisations without personal contact data */
    if (st == CY_OK && *out != NULL && !a->cli && authz_is_regional(a->org_type) &&
        org_id != a->org_id) {
        const char *hide[] = {"contact", "phone", "fax", "email"};
        for (int i = 0; i < 4; i++)
            json_object_set_new(*out, hide[i], json_null());
    }
    return st;
}

static json_t *
zishu_json(json_t *form)
{
    return json_pack("{s:I, s:I, s:I}", "unit_intro", (json_int_t)pf_zishu(form, "unit_intro"),
                     "overview", (json_int_t)pf_zishu(form, "overview"), "body",
                     (json_int_t)body_zishu(form));
}

/* The whole scheme as the actor may see it. */
static cy_status_t
scheme_json(app_t *app, store_conn_t *c, const actor_t *a, int64_t id, json_t **out,
            cy_error_t *err)
{
    *out = NULL;
    scheme_row_t s;
    cy_status_t st = scheme_load(c, a, id, &s, err);
    if (st != CY_OK)
        return st;
    static const pcol_t cols[] = {{"id", 'i'},
                                  {"round_id", 's'},
                                  {"status", 's'},
                                  {"name", 's'},
                                  {"form", 'j'},
                                  {"body_zishu", 'i'},
                                  {"created_at", 's'},
                                  {"updated_at", 's'},
                                  {"received_at", 'n'},
                                  {"catalogue_no", 'I'},
                                  {"catalogue_code", 'n'},
                                  {"catalogued_at", 'n'},
                                  {NULL, 0}};
    store_param_t p[] = {STORE_P_INT(id)};
    json_t *o = NULL, *lead = NULL, *units = NULL, *recs = json_array();
    st = pilot_query_one(c,
                         "SELECT id, round_id, status, name, form, body_zishu, created_at, "
                         "updated_at, received_at, catalogue_no, catalogue_code, catalogued_at "
                         "FROM pilot_scheme WHERE id = $1",
                         p, 1, cols, &o, err);
    if (st == CY_OK)
        st = lead_json(c, a, s.lead_org_id, &lead, err);
    if (st == CY_OK)
        st = pilot_units_json(c, "scheme", id, &units, err);
    static const pcol_t rcols[] = {{"id", 'i'},       {"org_id", 'i'}, {"org_name", 's'},
                                   {"org_type", 's'}, {"text", 's'},   {"created_at", 's'},
                                   {NULL, 0}};
    if (st == CY_OK)
        st = pilot_query_json(c,
                              "SELECT r.id, r.org_id, o.name, o.type, r.text, r.created_at FROM "
                              "pilot_recommendation r JOIN organisation o ON o.id = r.org_id "
                              "WHERE r.scheme_id = $1 ORDER BY r.id",
                              p, 1, rcols, recs, err);
    if (st == CY_OK && o != NULL) {
        json_object_set_new(o, "lead", lead);
        lead = NULL;
        json_object_set_new(o, "units", units);
        units = NULL;
        json_object_set_new(o, "recommendations", recs);
        recs = NULL;
        json_object_set_new(o, "zishu", zishu_json(s.form));
        const round_t *r = pilot_round_find(app, s.round_id);
        if (r != NULL) {
            int64_t dl;
            char iso[32];
            if (round_deadline_at(r, ROUND_DL_SCHEME_AT_MINISTRY, NULL, &dl)) {
                pilot_iso(dl, iso);
                json_object_set_new(o, "deadline_at", json_string(iso));
            }
        }
        /* the panel's judgement is the ministry's and the support center's to read */
        if (pilot_sees_all(a)) {
            static const pcol_t vcols[] = {{"id", 'i'},           {"expert_user_id", 'i'},
                                           {"expert_name", 's'},  {"expert_org", 's'},
                                           {"status", 's'},       {"total_x100", 'I'},
                                           {"scores", 'j'},       {"comment", 's'},
                                           {"submitted_at", 'n'}, {NULL, 0}};
            json_t *reviews = json_array();
            st = pilot_query_json(c,
                                  "SELECT v.id, v.expert_user_id, u.display_name, o.name, "
                                  "v.status, v.total_x100, v.scores, v.comment, v.submitted_at "
                                  "FROM pilot_review v JOIN app_user u ON u.id = "
                                  "v.expert_user_id JOIN organisation o ON o.id = "
                                  "v.expert_org_id WHERE v.scheme_id = $1 ORDER BY v.id",
                                  p, 1, vcols, reviews, err);
            int64_t sum = 0, n = 0;
            size_t i;
            json_t *v;
            json_array_foreach(reviews, i, v)
            {
                if (strcmp(pf_str(v, "status"), "submitted") == 0) {
                    sum += json_integer_value(json_object_get(v, "total_x100"));
                    n++;
                }
            }
            json_object_set_new(o, "reviews", reviews);
            json_object_set_new(
                o, "review",
                json_pack("{s:I, s:o}", "submitted", (json_int_t)n, "mean_total_x100",
                          n ? json_integer(review_mean_x100(sum, n)) : json_null()));
        }
        *out = o;
        o = NULL;
    }
    json_decref(o);
    json_decref(lead);
    json_decref(units);
    json_decref(recs);
    scheme_row_free(&s);
    return st;
}

typedef struct {
    app_t *app;
    const actor_t *a;
    int64_t id;
    json_t *out;
} get_t;

static cy_status_t
get_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    get_t *g = arg;
    return scheme_json(g->app, c, g->a, g->id, &g->out, err);
}

cy_status_t
app_scheme_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    get_t g = {app, a, id, NULL};
    cy_status_t st = pilot_read(app, get_tx, &g, err);
    *out = g.out;
    return st;
}

typedef struct {
    const actor_t *a;
    const pilot_filter_t *f;
    json_t *items;
    int64_t next;
} list_t;

static cy_status_t
list_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    list_t *l = arg;
    int limit = l->f->limit < 1 || l->f->limit > 200 ? 50 : l->f->limit;
    char like[8];
    store_param_t p[8];
    visibility_params(l->a, like, p);
    p[4] = STORE_P_INT(l->f->cursor);
    p[5] = STORE_P_TEXT(l->f->round_id);
    p[6] = STORE_P_TEXT(l->f->status);
    p[7] = STORE_P_INT(limit + 1);
    static const pcol_t cols[] = {
        {"id", 'i'},          {"round_id", 's'},       {"status", 's'},     {"name", 's'},
        {"lead_org_id", 'i'}, {"lead_name", 's'},      {"form", 'j'},       {"body_zishu", 'i'},
        {"received_at", 'n'}, {"catalogue_code", 'n'}, {"updated_at", 's'}, {NULL, 0}};
    json_t *rows = json_array();
    cy_status_t st = pilot_query_json(
        c,
        "SELECT s.id, s.round_id, s.status, s.name, s.lead_org_id, lo.name, s.form, s.body_zishu, "
        "s.received_at, s.catalogue_code, s.updated_at FROM pilot_scheme s JOIN organisation lo "
        "ON lo.id = s.lead_org_id WHERE " SCHEME_VISIBLE " AND s.id > $5 AND (CAST($6 AS TEXT) "
        "IS NULL OR s.round_id = $6) AND (CAST($7 AS TEXT) IS NULL OR s.status = $7) ORDER BY "
        "s.id LIMIT $8",
        p, 8, cols, rows, err);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if ((int)i == limit) {
            l->next = json_integer_value(json_object_get(row, "id")) - 1;
            break;
        }
        /* a list shows the direction, not the whole form */
        json_t *form = json_object_get(row, "form");
        json_object_set_new(row, "direction", json_string(pf_str(form, "direction")));
        json_object_set_new(row, "industry", json_string(pf_str(form, "industry")));
        json_object_set_new(row, "product", json_string(pf_str(form, "product")));
        json_object_del(row, "form");
        json_array_append(l->items, row);
    }
    json_decref(rows);
    return st;
}

cy_status_t
app_scheme_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                int64_t *next, cy_error_t *err)
{
    list_t l = {a, f, json_array(), 0};
    cy_status_t st = pilot_read(app, list_tx, &l, err);
    *items = l.items;
    *next = l.next;
    return st;
}

/* ---- writing ------------------------------------------------------------ */

typedef struct {
    app_t *app;
    const actor_t *a;
    int64_t id;
    json_t *in; /* the body (create) or the patch */
    const char *text;
    int64_t user_id;
    int64_t now;
    json_t *out;
} write_t;

static cy_status_t
store_form(store_conn_t *c, int64_t id, json_t *form, int64_t now, cy_error_t *err)
{
    char *text = json_dumps(form, JSON_COMPACT | JSON_SORT_KEYS);
    if (text == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    char ts[32];
    pilot_iso(now, ts);
    store_param_t p[] = {STORE_P_TEXT(pf_str(form, "name")), STORE_P_TEXT(text),
                         STORE_P_INT((int64_t)body_zishu(form)), STORE_P_TEXT(ts), STORE_P_INT(id)};
    cy_status_t st = store_exec(c,
                                "UPDATE pilot_scheme SET name = $1, form = $2, body_zishu = $3, "
                                "updated_at = $4 WHERE id = $5",
                                p, 5, NULL, err);
    free(text);
    return st;
}

static cy_status_t
create_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    write_t *w = arg;
    const round_t *r;
    cy_status_t st = pilot_round_need(w->app, pf_str(w->in, "round_id"), "round_id", &r, err);
    if (st != CY_OK)
        return st;
    pilot_org_t lead;
    int found = 0;
    if ((st = pilot_org_get(c, w->a->org_id, &lead, &found, err)) != CY_OK)
        return st;
    json_t *form = json_deep_copy(w->in);
    json_object_del(form, "round_id");
    pf_drop_nulls(form);
    st = check_draft(w->app, r, form, lead.uscc, err);
    char ts[32];
    pilot_iso(w->now, ts);
    int64_t id = 0;
    if (st == CY_OK) {
        store_param_t p[] = {STORE_P_TEXT(r->id), STORE_P_INT(lead.id), STORE_P_INT(w->a->user_id),
                             STORE_P_TEXT(ts)};
        st = pilot_insert(c,
                          "INSERT INTO pilot_scheme (round_id, lead_org_id, status, form, "
                          "created_by, created_at, updated_at) VALUES ($1, $2, 'draft', '{}', $3, "
                          "$4, $4) RETURNING id",
                          p, 4, &id, err);
    }
    if (st == CY_OK)
        st = store_form(c, id, form, w->now, err);
    if (st == CY_OK)
        st = pilot_units_save(c, "scheme", id, &lead, json_object_get(form, "joint_units"), err);
    json_decref(form);
    char sid[24];
    snprintf(sid, sizeof sid, "%" PRId64, id);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "scheme.create", "pilot_scheme", sid, err,
                              "起草服务方案 %" PRId64 "（%s 轮） / drafted service scheme %" PRId64
                              " (round %s)",
                              id, r->id, id, r->id);
    if (st == CY_OK)
        st = scheme_json(w->app, c, w->a, id, &w->out, err);
    return st;
}

cy_status_t
app_scheme_create(app_t *app, const actor_t *a, json_t *body, int64_t now, json_t **out,
                  cy_error_t *err)
{
    *out = NULL;
    cy_status_t st = pilot_need(a, ACT_SCHEME_WRITE, err);
    if (st != CY_OK)
        return st;
    write_t w = {app, a, 0, body, NULL, 0, now, NULL};
    st = store_tx(app->store, create_tx, &w, err);
    *out = w.out;
    return st;
}

/* Load a scheme for a change by its lead (404 hidden, 403 not the lead's, 409 not a draft). */
static cy_status_t
load_for_lead(store_conn_t *c, const actor_t *a, int64_t id, scheme_row_t *s, cy_error_t *err)
{
    cy_status_t st = scheme_load(c, a, id, s, err);
    if (st != CY_OK)
        return st;
    if (s->lead_org_id != a->org_id || !authz_allowed(a->org_type, a->role, ACT_SCHEME_WRITE))
        return pilot_forbidden(err, "只有牵头申报单位可以修改或提交服务方案",
                               "only the lead unit edits or submits a scheme");
    if (strcmp(s->status, "draft") != 0)
        return cy_error_set(err, CY_ECONFLICT, "scheme_not_draft", "status",
                            "服务方案已提交，不能再修改 / the scheme has been submitted and can no "
                            "longer change");
    return CY_OK;
}

static cy_status_t
update_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    write_t *w = arg;
    scheme_row_t s;
    cy_status_t st = load_for_lead(c, w->a, w->id, &s, err);
    if (st != CY_OK) {
        scheme_row_free(&s);
        return st;
    }
    const round_t *r = pilot_round_find(w->app, s.round_id);
    pilot_org_t lead;
    int found = 0;
    if (st == CY_OK && r == NULL)
        st = cy_error_set(err, CY_ECONFLICT, "round_unknown", "round_id",
                          "该方案所属轮次已不在数据文件中 / the scheme's round is no longer in the "
                          "data files");
    if (st == CY_OK)
        st = pf_check(SCHEME_FORM, w->in, "", err);
    if (st == CY_OK)
        st = pilot_org_get(c, s.lead_org_id, &lead, &found, err);
    if (st == CY_OK) {
        json_object_update(s.form, w->in);
        pf_drop_nulls(s.form);
        st = check_draft(w->app, r, s.form, lead.uscc, err);
    }
    if (st == CY_OK)
        st = store_form(c, w->id, s.form, w->now, err);
    if (st == CY_OK)
        st = pilot_units_save(c, "scheme", w->id, &lead, json_object_get(s.form, "joint_units"),
                              err);
    /* a unit confirmed the text it read: a changed text needs every unit again */
    if (st == CY_OK)
        st = pilot_confirm_clear(c, "scheme", w->id, err);
    char sid[24];
    snprintf(sid, sizeof sid, "%" PRId64, w->id);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "scheme.update", "pilot_scheme", sid, err,
                              "修改服务方案 %" PRId64 " / edited service scheme %" PRId64, w->id,
                              w->id);
    scheme_row_free(&s);
    if (st == CY_OK)
        st = scheme_json(w->app, c, w->a, w->id, &w->out, err);
    return st;
}

cy_status_t
app_scheme_update(app_t *app, const actor_t *a, int64_t id, json_t *patch, int64_t now,
                  json_t **out, cy_error_t *err)
{
    write_t w = {app, a, id, patch, NULL, 0, now, NULL};
    cy_status_t st = store_tx(app->store, update_tx, &w, err);
    *out = w.out;
    return st;
}

static cy_status_t
confirm_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    write_t *w = arg;
    scheme_row_t s;
    cy_status_t st = scheme_load(c, w->a, w->id, &s, err);
    if (st == CY_OK && strcmp(s.status, "draft") != 0)
        st = cy_error_set(err, CY_ECONFLICT, "scheme_not_draft", "status",
                          "服务方案已提交 / the scheme has already been submitted");
    scheme_row_free(&s);
    if (st == CY_OK)
        st = pilot_confirm(c, w->a, "scheme", w->id, w->text, w->now, err);
    char sid[24];
    snprintf(sid, sizeof sid, "%" PRId64, w->id);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "scheme.confirm", "pilot_scheme", sid, err,
                              "确认服务方案 %" PRId64 " 的真实性承诺和申报主体责任声明 / confirmed "
                              "the declarations of service scheme %" PRId64,
                              w->id, w->id);
    if (st == CY_OK)
        st = scheme_json(w->app, c, w->a, w->id, &w->out, err);
    return st;
}

cy_status_t
app_scheme_confirm(app_t *app, const actor_t *a, int64_t id, const char *legal_representative,
                   int64_t now, json_t **out, cy_error_t *err)
{
    write_t w = {app, a, id, NULL, legal_representative, 0, now, NULL};
    cy_status_t st = store_tx(app->store, confirm_tx, &w, err);
    *out = w.out;
    return st;
}

static cy_status_t
submit_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    write_t *w = arg;
    scheme_row_t s;
    cy_status_t st = load_for_lead(c, w->a, w->id, &s, err);
    const round_t *r = st == CY_OK ? pilot_round_find(w->app, s.round_id) : NULL;
    if (st == CY_OK && r == NULL)
        st = cy_error_set(err, CY_ECONFLICT, "round_unknown", "round_id",
                          "该方案所属轮次已不在数据文件中 / the scheme's round is no longer in the "
                          "data files");
    /* the lead's row first: two submissions of one lead queue here (the count below) */
    store_param_t lk[] = {STORE_P_INT(w->a->org_id)};
    if (st == CY_OK)
        st = store_exec(c, "UPDATE organisation SET updated_at = updated_at WHERE id = $1", lk, 1,
                        NULL, err);
    pilot_org_t ministry;
    route_stop_t top = {ROUTE_MINISTRY, ""};
    if (st == CY_OK)
        st = pilot_authority(c, &top, &ministry, err);
    int64_t until = 0, ext_id = 0;
    if (st == CY_OK)
        st = pilot_extension_until(c, r->id, ROUND_DL_SCHEME_AT_MINISTRY, w->a->org_id, ministry.id,
                                   &until, &ext_id, err);
    if (st == CY_OK)
        st = round_check_receipt(r, ROUND_DL_SCHEME_AT_MINISTRY, NULL, w->now, until, ministry.name,
                                 err);
    pilot_org_t lead;
    int found = 0;
    if (st == CY_OK)
        st = pilot_org_get(c, s.lead_org_id, &lead, &found, err);
    if (st == CY_OK)
        st = check_draft(w->app, r, s.form, lead.uscc, err);
    if (st == CY_OK)
        st = check_complete(w->app, r, s.form, err);
    size_t insurers = 0;
    if (st == CY_OK)
        st = pilot_check_confirmed(c, "scheme", w->id, &insurers, err);
    if (st == CY_OK)
        st = round_check_insurers(r, insurers, err);
    int64_t already = 0;
    store_param_t q[] = {STORE_P_INT(s.lead_org_id), STORE_P_TEXT(r ? r->id : "")};
    if (st == CY_OK)
        st = store_query_int(c,
                             "SELECT COUNT(*) FROM pilot_scheme WHERE lead_org_id = $1 AND "
                             "round_id = $2 AND status <> 'draft'",
                             q, 2, &already, NULL, err);
    if (st == CY_OK)
        st = round_check_lead_schemes(r, (size_t)already, err);
    char ts[32], real[32];
    pilot_iso(w->now, ts);
    app_now_iso(real);
    store_param_t u[] = {STORE_P_TEXT(ts), STORE_P_TEXT(real), STORE_P_INT(w->id)};
    if (st == CY_OK)
        st = store_exec(c,
                        "UPDATE pilot_scheme SET status = 'submitted', received_at = $1, "
                        "recorded_at = $2, updated_at = $1 WHERE id = $3",
                        u, 3, NULL, err);
    char sid[24], bj[32];
    snprintf(sid, sizeof sid, "%" PRId64, w->id);
    pilot_bj(ts, bj);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "scheme.submit", "pilot_scheme", sid, err,
                              "服务方案 %" PRId64 " 报送工业和信息化部，送达时间 %s%s / service "
                              "scheme %" PRId64 " received by the ministry at %s%s",
                              w->id, bj, ext_id ? "（延期内）" : "", w->id, bj,
                              ext_id ? " (within an extension)" : "");
    scheme_row_free(&s);
    if (st == CY_OK)
        st = scheme_json(w->app, c, w->a, w->id, &w->out, err);
    return st;
}

cy_status_t
app_scheme_submit(app_t *app, const actor_t *a, int64_t id, int64_t now, json_t **out,
                  cy_error_t *err)
{
    write_t w = {app, a, id, NULL, NULL, 0, now, NULL};
    cy_status_t st = store_tx(app->store, submit_tx, &w, err);
    *out = w.out;
    return st;
}

static cy_status_t
recommend_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    write_t *w = arg;
    scheme_row_t s;
    cy_status_t st = scheme_load(c, w->a, w->id, &s, err);
    scheme_row_free(&s);
    if (st != CY_OK)
        return st;
    if ((st = pilot_need(w->a, ACT_SCHEME_RECOMMEND, err)) != CY_OK)
        return st;
    pilot_org_t me;
    int found = 0;
    if ((st = pilot_org_get(c, w->a->org_id, &me, &found, err)) != CY_OK)
        return st;
    /* 地方主管部门: provinces, 计划单列市 and 通信管理局 (notice §四(一)) */
    const ref_region_t *reg = ref_region_find(w->app->ref, me.region);
    if (me.type == ORG_CITY && !(reg != NULL && (reg->plan_city || reg->level == 1)))
        return pilot_forbidden(err,
                               "推荐意见由省级工业和信息化主管部门、计划单列市和通信管理局填写",
                               "recommendations come from provincial authorities, separately "
                               "planned cities and communications administrations");
    if (strcmp(s.status, "draft") == 0)
        return cy_error_set(err, CY_ECONFLICT, "scheme_not_submitted", "status",
                            "服务方案尚未提交 / the scheme has not been submitted");
    const char *t = w->text ? w->text : "";
    while (*t == ' ' || *t == '\n')
        t++;
    if (*t == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", "text",
                            "请填写推荐意见 / the recommendation text is required");
    if (strlen(w->text) > 20000)
        return cy_error_set(err, CY_EINVAL, "too_long", "text",
                            "推荐意见过长 / the recommendation is too long");
    char ts[32];
    pilot_iso(w->now, ts);
    store_param_t p[] = {STORE_P_INT(w->id), STORE_P_INT(w->a->org_id), STORE_P_INT(w->a->user_id),
                         STORE_P_TEXT(w->text), STORE_P_TEXT(ts)};
    int64_t rid;
    st = pilot_insert(c,
                      "INSERT INTO pilot_recommendation (scheme_id, org_id, user_id, text, "
                      "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                      p, 5, &rid, err);
    if (st == CY_ECONFLICT)
        return cy_error_set(err, CY_ECONFLICT, "recommendation_exists", "text",
                            "本单位已填写过推荐意见 / your organisation has already recommended "
                            "this scheme");
    char sid[24];
    snprintf(sid, sizeof sid, "%" PRId64, w->id);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "scheme.recommend", "pilot_scheme", sid, err,
                              "为服务方案 %" PRId64 " 填写推荐意见 / recommended service scheme "
                              "%" PRId64,
                              w->id, w->id);
    if (st == CY_OK)
        st = scheme_json(w->app, c, w->a, w->id, &w->out, err);
    return st;
}

cy_status_t
app_scheme_recommend(app_t *app, const actor_t *a, int64_t id, const char *text, int64_t now,
                     json_t **out, cy_error_t *err)
{
    write_t w = {app, a, id, NULL, text, 0, now, NULL};
    cy_status_t st = store_tx(app->store, recommend_tx, &w, err);
    *out = w.out;
    return st;
}

static cy_status_t
assign_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    write_t *w = arg;
    scheme_row_t s;
    cy_status_t st = scheme_load(c, w->a, w->id, &s, err);
    scheme_row_free(&s);
    if (st != CY_OK)
        return st;
    if ((st = pilot_need(w->a, ACT_REVIEW_ASSIGN, err)) != CY_OK)
        return st;
    if (strcmp(s.status, "submitted") != 0)
        return cy_error_set(
            err, CY_ECONFLICT, "scheme_not_submitted", "status",
            "只能为已提交、尚未列入目录的服务方案安排评审 / only a submitted scheme "
            "not yet in the catalogue is reviewed");
    /* the reviewer: an active user of an expert organisation */
    store_param_t p[] = {STORE_P_INT(w->user_id)};
    store_rows_t *r;
    int64_t org_id = 0;
    int disabled = 1, is_user = 0;
    char display[128] = "";
    if ((st = store_query(c, "SELECT org_id, disabled, display_name FROM app_user WHERE id = $1", p,
                          1, &r, err)) != CY_OK)
        return st;
    if (store_rows_next(r, err) == 1) {
        is_user = 1;
        org_id = store_rows_int(r, 0);
        disabled = store_rows_int(r, 1) != 0;
        snprintf(display, sizeof display, "%s", store_rows_text(r, 2));
    }
    store_rows_free(r);
    pilot_org_t eorg;
    int found = 0;
    if (is_user && (st = pilot_org_get(c, org_id, &eorg, &found, err)) != CY_OK)
        return st;
    if (!is_user || !found || eorg.type != ORG_EXPERT || disabled)
        return cy_error_set(
            err, CY_EINVAL, "reviewer_not_expert", "user_id",
            "评审人应为专家库中有效的专家用户 / the reviewer must be an active user "
            "of an expert organisation");
    /* conflict of interest: the expert's own unit applied */
    json_t *units;
    if ((st = pilot_units_json(c, "scheme", w->id, &units, err)) != CY_OK) {
        json_decref(units);
        return st;
    }
    size_t n = json_array_size(units);
    const char *usccs[64], *names[64];
    for (size_t i = 0; i < n && i < 64; i++) {
        usccs[i] = pf_str(json_array_get(units, i), "uscc");
        names[i] = pf_str(json_array_get(units, i), "name");
    }
    st = review_conflict(eorg.uscc, usccs, names, n < 64 ? n : 64, err);
    json_decref(units);
    if (st != CY_OK)
        return st;
    char ts[32];
    pilot_iso(w->now, ts);
    store_param_t q[] = {STORE_P_INT(w->id), STORE_P_INT(w->user_id), STORE_P_INT(eorg.id),
                         STORE_P_INT(w->a->user_id), STORE_P_TEXT(ts)};
    int64_t rid = 0;
    st = pilot_insert(c,
                      "INSERT INTO pilot_review (scheme_id, expert_user_id, expert_org_id, "
                      "assigned_by, assigned_at, status) VALUES ($1, $2, $3, $4, $5, 'assigned') "
                      "RETURNING id",
                      q, 5, &rid, err);
    if (st == CY_ECONFLICT)
        return cy_error_set(err, CY_ECONFLICT, "reviewer_assigned", "user_id",
                            "该专家已在评审本方案 / this expert already reviews the scheme");
    char sid[24];
    snprintf(sid, sizeof sid, "%" PRId64, w->id);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "review.assign", "pilot_scheme", sid, err,
                              "安排专家 %s（%s）评审服务方案 %" PRId64 " / assigned expert %s (%s) "
                              "to service scheme %" PRId64,
                              display, eorg.name, w->id, display, eorg.name, w->id);
    static const pcol_t cols[] = {{"id", 'i'},
                                  {"scheme_id", 'i'},
                                  {"expert_user_id", 'i'},
                                  {"expert_org_id", 'i'},
                                  {"status", 's'},
                                  {"assigned_at", 's'},
                                  {NULL, 0}};
    store_param_t g[] = {STORE_P_INT(rid)};
    if (st == CY_OK)
        st = pilot_query_one(c,
                             "SELECT id, scheme_id, expert_user_id, expert_org_id, status, "
                             "assigned_at FROM pilot_review WHERE id = $1",
                             g, 1, cols, &w->out, err);
    return st;
}

cy_status_t
app_scheme_assign(app_t *app, const actor_t *a, int64_t id, int64_t user_id, int64_t now,
                  json_t **out, cy_error_t *err)
{
    write_t w = {app, a, id, NULL, NULL, user_id, now, NULL};
    cy_status_t st = store_tx(app->store, assign_tx, &w, err);
    *out = w.out;
    return st;
}
