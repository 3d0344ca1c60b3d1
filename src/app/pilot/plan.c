/*
 * pilot_plan.c — Annex 2–4 试点工作方案 and their way up (DOMAIN.md §4): a
 * unit's plan goes to its city authority (a 基础电信企业's is copied to the
 * province's 通信管理局), the city forwards its package (its own Annex 2 and
 * the plans it collected) to the province and the province to the ministry
 * — a 计划单列市 straight to the ministry. Each hop records its receipt time
 * and is judged against the round's deadline for that level, unless the
 * receiving authority granted the sender an extension; each level may return
 * a plan or a package with comments (退回修改). core/routing.c says who
 * receives, core/round.c whether it is on time.
 * Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "app/util.h"
#include "core/bjtime.h"

#define LONG_TEXT 300000

static const pf_field_t PERSON[] = {
    {"name", 's', 120, NULL}, {"title", 's', 200, NULL}, {NULL, 0, 0, NULL}};
static const pf_field_t CONTACT[] = {{"name", 's', 120, NULL},  {"department", 's', 200, NULL},
                                     {"title", 's', 200, NULL}, {"phone", 's', 80, NULL},
                                     {"email", 's', 200, NULL}, {NULL, 0, 0, NULL}};
/* 二、试点方案 of Annex 2 and 3: (一) 工作思路, (二) 试点安排, (三) 组织保障 */
static const pf_field_t SECTIONS23[] = {{"approach", 'l', LONG_TEXT, NULL},
                                        {"arrangement", 'l', LONG_TEXT, NULL},
                                        {"organisation", 'l', LONG_TEXT, NULL},
                                        {NULL, 0, 0, NULL}};
/* Annex 4: 二、信息化建设情况, 三、网络安全基本情况, 四、网络安全保险需求及保障范围 */
static const pf_field_t SECTIONS4[] = {{"it_status", 'l', LONG_TEXT, NULL},
                                       {"security_status", 'l', LONG_TEXT, NULL},
                                       {"insurance_needs", 'l', LONG_TEXT, NULL},
                                       {NULL, 0, 0, NULL}};
/* 表1 服务机构基本情况 (Annex 2) */
static const pf_field_t INSTITUTION[] = {{"name", 's', 256, NULL},
                                         {"type", 's', 120, NULL},
                                         {"contact", 's', 200, NULL},
                                         {"role", 's', 400, NULL},
                                         {NULL, 0, 0, NULL}};
/* 服务对象基本情况 (Annex 2 表2, Annex 3 表1) */
static const pf_field_t TARGET[] = {{"name", 's', 256, NULL},
                                    {"industry", 's', 120, NULL},
                                    {"contact", 's', 120, NULL},
                                    {"phone_email", 's', 200, NULL},
                                    {NULL, 0, 0, NULL}};
/* 服务方案基本情况 (Annex 2 表3, Annex 3 表2) */
static const pf_field_t SCHEME_ROW[] = {
    {"name", 's', 400, NULL},    {"kind", 's', 32, NULL},         {"industry", 's', 120, NULL},
    {"contact", 's', 120, NULL}, {"phone_email", 's', 200, NULL}, {NULL, 0, 0, NULL}};
/* 附：网络安全保险服务方案 — 1 机构与分工, 2 服务内容及流程, 3 网络安全服务, 4 单价保费及保额 */
static const pf_field_t ATTACHED[] = {
    {"name", 's', 400, NULL},           {"institutions", 'l', LONG_TEXT, NULL},
    {"process", 'l', LONG_TEXT, NULL},  {"security", 'l', LONG_TEXT, NULL},
    {"unit_premium_fen", 'i', 0, NULL}, {"sum_insured_fen", 'i', 0, NULL},
    {"premium_note", 's', 400, NULL},   {NULL, 0, 0, NULL}};

static const pf_field_t PLAN2[] = {{"name", 's', 400, NULL},
                                   {"leader", 'o', 0, PERSON},
                                   {"contact", 'o', 0, CONTACT},
                                   {"sections", 'o', 0, SECTIONS23},
                                   {"institutions", 'a', 200, INSTITUTION},
                                   {"targets", 'a', 1000, TARGET},
                                   {"scheme_table", 'a', 200, SCHEME_ROW},
                                   {"schemes", 'a', 20, ATTACHED},
                                   {NULL, 0, 0, NULL}};
static const pf_field_t PLAN3[] = {{"name", 's', 400, NULL},
                                   {"direction", 's', 32, NULL},
                                   {"industry", 's', 64, NULL},
                                   {"product", 's', 64, NULL},
                                   {"direction_note", 's', 400, NULL},
                                   {"unit_intro", 'l', 20000, NULL},
                                   {"joint_units", 'a', 50, pilot_unit_fields},
                                   {"sections", 'o', 0, SECTIONS23},
                                   {"targets", 'a', 1000, TARGET},
                                   {"scheme_table", 'a', 200, SCHEME_ROW},
                                   {"schemes", 'a', 20, ATTACHED},
                                   {NULL, 0, 0, NULL}};
static const pf_field_t PLAN4[] = {{"name", 's', 400, NULL},
                                   {"direction", 's', 32, NULL},
                                   {"industry", 's', 64, NULL},
                                   {"product", 's', 64, NULL},
                                   {"direction_note", 's', 400, NULL},
                                   {"unit_intro", 'l', 20000, NULL},
                                   {"joint_units", 'a', 50, pilot_unit_fields},
                                   {"sections", 'o', 0, SECTIONS4},
                                   {"schemes", 'a', 20, ATTACHED},
                                   {NULL, 0, 0, NULL}};

static const pf_field_t *
plan_spec(int annex)
{
    return annex == 2 ? PLAN2 : annex == 3 ? PLAN3 : PLAN4;
}

static authz_action_t
plan_action(int annex)
{
    return annex == 2 ? ACT_PLAN2_WRITE : annex == 3 ? ACT_PLAN3_WRITE : ACT_PLAN4_WRITE;
}

/* 字数 of the plan's own text: the three sections of its annex. */
static size_t
sections_zishu(json_t *form, int annex)
{
    json_t *s = json_object_get(form, "sections");
    if (annex == 4)
        return pf_zishu(s, "it_status") + pf_zishu(s, "security_status") +
               pf_zishu(s, "insurance_needs");
    return pf_zishu(s, "approach") + pf_zishu(s, "arrangement") + pf_zishu(s, "organisation");
}

/* 字数 of one attached service scheme: its four parts. */
static size_t
attached_zishu(json_t *sch)
{
    return pf_zishu(sch, "name") + pf_zishu(sch, "institutions") + pf_zishu(sch, "process") +
           pf_zishu(sch, "security") + pf_zishu(sch, "premium_note");
}

static cy_status_t
check_draft(app_t *app, const round_t *r, int annex, json_t *form, const char *lead_uscc,
            cy_error_t *err)
{
    cy_status_t st = pf_check(plan_spec(annex), form, "", err);
    if (st == CY_OK && annex != 2)
        st = pilot_check_direction(app, form, 0, err);
    if (st == CY_OK && annex != 2)
        st = round_check_zishu_max(r->limits.unit_intro_zishu_max, pf_zishu(form, "unit_intro"),
                                   "unit_intro", "申报单位简介", "unit_intro", err);
    if (st == CY_OK && annex != 2)
        st = pilot_check_joint_units(app, r, json_object_get(form, "joint_units"), lead_uscc, err);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(form, "scheme_table"), i, row)
    {
        if (st != CY_OK)
            break;
        const char *kind = pf_str(row, "kind");
        if (kind[0] && strcmp(kind, "enterprise") != 0 && strcmp(kind, "product_service") != 0) {
            char field[48];
            snprintf(field, sizeof field, "scheme_table[%zu].kind", i);
            st = cy_error_set(err, CY_EINVAL, "kind_unknown", field,
                              "方案类型应为 enterprise（企业类）或 product_service（产品服务类） / "
                              "kind must be enterprise or product_service");
        }
    }
    json_array_foreach(json_object_get(form, "schemes"), i, row)
    {
        if (st != CY_OK)
            break;
        const char *keys[] = {"unit_premium_fen", "sum_insured_fen"};
        for (int k = 0; k < 2 && st == CY_OK; k++) {
            json_t *v = json_object_get(row, keys[k]);
            if (json_is_integer(v) && json_integer_value(v) < 0) {
                char field[48];
                snprintf(field, sizeof field, "schemes[%zu].%s", i, keys[k]);
                st = cy_error_set(err, CY_EINVAL, "money_negative", field,
                                  "%s 不能为负数 / %s cannot be negative", field, field);
            }
        }
    }
    return st;
}

static cy_status_t
check_complete(app_t *app, const round_t *r, int annex, json_t *form, cy_error_t *err)
{
    cy_status_t st = pf_require(form, "name", "name", "方案名称", "name", err);
    if (st == CY_OK && annex != 2)
        st = pilot_check_direction(app, form, 1, err);
    if (st == CY_OK && annex != 2)
        st = pf_require(form, "unit_intro", "unit_intro", "申报单位简介", "unit_intro", err);
    if (st == CY_OK && annex == 2) {
        json_t *leader = json_object_get(form, "leader"),
               *contact = json_object_get(form, "contact");
        if ((st = pf_require(leader, "name", "leader.name", "负责人（处级）姓名", "leader.name",
                             err)) == CY_OK &&
            (st = pf_require(leader, "title", "leader.title", "负责人职务", "leader.title", err)) ==
                CY_OK &&
            (st = pf_require(contact, "name", "contact.name", "联系人姓名", "contact.name", err)) ==
                CY_OK)
            st = pf_require(contact, "phone", "contact.phone", "联系人电话", "contact.phone", err);
    }
    json_t *sec = json_object_get(form, "sections");
    static const struct {
        const char *key, *zh;
    } s23[] = {{"approach", "工作思路"}, {"arrangement", "试点安排"}, {"organisation", "组织保障"}},
      s4[] = {{"it_status", "信息化建设情况"},
              {"security_status", "网络安全基本情况"},
              {"insurance_needs", "网络安全保险需求及保障范围"}};
    for (int i = 0; i < 3 && st == CY_OK; i++) {
        const char *key = annex == 4 ? s4[i].key : s23[i].key;
        char field[48];
        snprintf(field, sizeof field, "sections.%s", key);
        st = pf_require(sec, key, field, annex == 4 ? s4[i].zh : s23[i].zh, field, err);
    }
    if (st == CY_OK)
        st = round_check_zishu_min(r->limits.plan_body_zishu_min, sections_zishu(form, annex),
                                   "sections", annex == 4 ? "正文（二至四部分）" : "试点方案",
                                   "the plan's text (sections)", err);
    if (st == CY_OK && annex != 4 && pf_len(form, "targets") == 0)
        st = cy_error_set(err, CY_EINVAL, "missing_field", "targets",
                          "请填写服务对象基本情况表 / fill in the table of service targets");
    if (st == CY_OK && annex == 2 && pf_len(form, "institutions") == 0)
        st = cy_error_set(err, CY_EINVAL, "missing_field", "institutions",
                          "请填写服务机构基本情况表 / fill in the table of service institutions");
    if (st == CY_OK && pf_len(form, "schemes") == 0)
        st = cy_error_set(
            err, CY_EINVAL, "missing_field", "schemes",
            "请附网络安全保险服务方案（至少一个） / attach at least one service scheme");
    size_t i;
    json_t *sch;
    json_array_foreach(json_object_get(form, "schemes"), i, sch)
    {
        if (st != CY_OK)
            break;
        char field[64], zh[64];
        snprintf(field, sizeof field, "schemes[%zu].name", i);
        if ((st = pf_require(sch, "name", field, "所附服务方案名称", field, err)) != CY_OK)
            break;
        snprintf(field, sizeof field, "schemes[%zu]", i);
        snprintf(zh, sizeof zh, "所附服务方案%zu", i + 1);
        if ((st = round_check_zishu_min(r->limits.attached_scheme_zishu_min, attached_zishu(sch),
                                        field, zh, field, err)) != CY_OK)
            break;
        const char *keys[] = {"unit_premium_fen", "sum_insured_fen"};
        for (int k = 0; k < 2 && st == CY_OK; k++) {
            json_t *v = json_object_get(sch, keys[k]);
            if (!json_is_integer(v) || json_integer_value(v) <= 0) {
                snprintf(field, sizeof field, "schemes[%zu].%s", i, keys[k]);
                st = cy_error_set(err, CY_EINVAL, "premium_required", field,
                                  "所附服务方案应写明单价保费及保额（以分计的正整数） / an "
                                  "attached scheme states its unit premium and sum insured "
                                  "(positive fen)");
            }
        }
    }
    return st;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct {
    int64_t id;
    char round_id[16];
    int annex;
    int64_t author_org_id;
    char status[16];
    int64_t holder_org_id; /* 0: none */
    int64_t package_id;    /* 0: none */
    int64_t catalogue_scheme_id;
    json_t *form;
} plan_row_t;

static cy_status_t
plan_load(store_conn_t *c, const actor_t *a, int64_t id, plan_row_t *p, cy_error_t *err)
{
    memset(p, 0, sizeof *p);
    store_param_t q[] = {STORE_P_INT(pilot_sees_all(a)), STORE_P_INT(a->org_id), STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st =
        store_query(c,
                    "SELECT p.id, p.round_id, p.annex, p.author_org_id, p.status, p.holder_org_id, "
                    "p.package_id, p.catalogue_scheme_id, p.form FROM pilot_plan p WHERE p.id = $3 "
                    "AND " PILOT_PLAN_VISIBLE,
                    q, 3, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        p->id = store_rows_int(r, 0);
        snprintf(p->round_id, sizeof p->round_id, "%s", store_rows_text(r, 1));
        p->annex = (int)store_rows_int(r, 2);
        p->author_org_id = store_rows_int(r, 3);
        snprintf(p->status, sizeof p->status, "%s", store_rows_text(r, 4));
        p->holder_org_id = store_rows_int(r, 5);
        p->package_id = store_rows_int(r, 6);
        p->catalogue_scheme_id = store_rows_int(r, 7);
        p->form = json_loads(store_rows_text(r, 8), 0, NULL);
        if (p->form == NULL)
            p->form = json_object();
    }
    store_rows_free(r);
    if (k < 0)
        return err->status;
    if (k == 0)
        return app_not_found(err, "试点工作方案", "plan", id);
    return CY_OK;
}

static void
plan_row_free(plan_row_t *p)
{
    json_decref(p->form);
    p->form = NULL;
}

static const pcol_t HOP_COLS[] = {{"id", 'i'},
                                  {"kind", 's'},
                                  {"from_org_id", 'i'},
                                  {"from_name", 's'},
                                  {"to_org_id", 'i'},
                                  {"to_name", 's'},
                                  {"to_type", 's'},
                                  {"received_at", 's'},
                                  {"deadline_key", 'n'},
                                  {"deadline_at", 'n'},
                                  {"extension_id", 'I'},
                                  {"comment", 's'},
                                  {NULL, 0}};
#define HOP_SELECT                                                                                 \
    "SELECT h.id, h.kind, h.from_org_id, fo.name, h.to_org_id, tg.name, tg.type, h.received_at, "  \
    "h.deadline_key, h.deadline_at, h.extension_id, h.comment FROM pilot_hop h JOIN "              \
    "organisation fo ON fo.id = h.from_org_id JOIN organisation tg ON tg.id = h.to_org_id "

cy_status_t
pilot_route_json(app_t *app, store_conn_t *c, const pilot_org_t *author, json_t **out,
                 cy_error_t *err)
{
    *out = json_array();
    route_stop_t stops[3];
    size_t n = routing_path(app->ref, pilot_level_of(author), author->region, stops);
    for (size_t i = 0; i < n; i++) {
        pilot_org_t o;
        cy_error_t ignored;
        int have = pilot_authority(c, &stops[i], &o, &ignored) == CY_OK;
        json_array_append_new(
            *out, json_pack("{s:s, s:s, s:o, s:o, s:s}", "level",
                            routing_level_name(stops[i].level), "region_code", stops[i].region,
                            "org_id", have ? json_integer(o.id) : json_null(), "org_name",
                            have ? json_string(o.name) : json_null(), "deadline",
                            round_deadline_key(routing_deadline(stops[i].level))));
    }
    char prov[7];
    if (routing_copy_to_comm_admin(app->ref, author->telecom, author->region, prov)) {
        pilot_org_t o;
        int found = 0;
        cy_status_t st = pilot_comm_admin(c, prov, &o, &found, err);
        if (st != CY_OK)
            return st;
        json_array_append_new(
            *out, json_pack("{s:s, s:s, s:o, s:o, s:n}", "level", "comm_admin", "region_code", prov,
                            "org_id", found ? json_integer(o.id) : json_null(), "org_name",
                            found ? json_string(o.name) : json_null(), "deadline"));
    }
    return CY_OK;
}

static cy_status_t
plan_json(app_t *app, store_conn_t *c, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    *out = NULL;
    plan_row_t pr;
    cy_status_t st = plan_load(c, a, id, &pr, err);
    if (st != CY_OK)
        return st;
    static const pcol_t cols[] = {{"id", 'i'},
                                  {"round_id", 's'},
                                  {"annex", 'i'},
                                  {"status", 's'},
                                  {"author_org_id", 'i'},
                                  {"author_name", 's'},
                                  {"author_type", 's'},
                                  {"author_region", 's'},
                                  {"holder_org_id", 'I'},
                                  {"holder_name", 'n'},
                                  {"package_id", 'I'},
                                  {"catalogue_scheme_id", 'I'},
                                  {"catalogue_code", 'n'},
                                  {"telecom", 'b'},
                                  {"name", 's'},
                                  {"form", 'j'},
                                  {"body_zishu", 'i'},
                                  {"return_comment", 's'},
                                  {"created_at", 's'},
                                  {"updated_at", 's'},
                                  {"submitted_at", 'n'},
                                  {"pilot_id", 'I'},
                                  {"pilot_code", 'n'},
                                  {NULL, 0}};
    store_param_t p[] = {STORE_P_INT(id)};
    json_t *o = NULL, *units = NULL, *hops = json_array(), *route = NULL;
    st = pilot_query_one(
        c,
        "SELECT p.id, p.round_id, p.annex, p.status, p.author_org_id, ao.name, ao.type, "
        "ao.region_code, p.holder_org_id, ho.name, p.package_id, p.catalogue_scheme_id, "
        "cs.catalogue_code, p.telecom, p.name, p.form, p.body_zishu, p.return_comment, "
        "p.created_at, p.updated_at, p.submitted_at, t.id, t.code FROM pilot_plan p JOIN "
        "organisation ao ON ao.id = p.author_org_id LEFT JOIN organisation ho ON ho.id = "
        "p.holder_org_id LEFT JOIN pilot_scheme cs ON cs.id = p.catalogue_scheme_id LEFT JOIN "
        "pilot t ON t.plan_id = p.id WHERE p.id = $1",
        p, 1, cols, &o, err);
    if (st == CY_OK)
        st = pilot_units_json(c, "plan", id, &units, err);
    if (st == CY_OK)
        st = pilot_query_json(c, HOP_SELECT "WHERE h.plan_id = $1 ORDER BY h.id", p, 1, HOP_COLS,
                              hops, err);
    pilot_org_t author;
    int found = 0;
    if (st == CY_OK)
        st = pilot_org_get(c, pr.author_org_id, &author, &found, err);
    if (st == CY_OK)
        st = pilot_route_json(app, c, &author, &route, err);
    if (st == CY_OK && o != NULL) {
        json_t *z = json_array();
        size_t i;
        json_t *sch;
        json_array_foreach(json_object_get(pr.form, "schemes"), i, sch)
            json_array_append_new(z, json_integer((json_int_t)attached_zishu(sch)));
        json_object_set_new(o, "zishu",
                            json_pack("{s:I, s:I, s:o}", "sections",
                                      (json_int_t)sections_zishu(pr.form, pr.annex), "unit_intro",
                                      (json_int_t)pf_zishu(pr.form, "unit_intro"), "schemes", z));
        json_object_set_new(o, "units", units);
        units = NULL;
        json_object_set_new(o, "hops", hops);
        hops = NULL;
        json_object_set_new(o, "route", route);
        route = NULL;
        *out = o;
        o = NULL;
    }
    json_decref(o);
    json_decref(units);
    json_decref(hops);
    json_decref(route);
    plan_row_free(&pr);
    return st;
}

typedef struct {
    app_t *app;
    const actor_t *a;
    const pilot_filter_t *f;
    int64_t id;
    json_t *in;
    const char *text;
    int64_t now;
    json_t *out;
    int64_t next;
} pw_t;

static cy_status_t
get_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *g = arg;
    return plan_json(g->app, c, g->a, g->id, &g->out, err);
}

cy_status_t
app_plan_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    pw_t g = {app, a, NULL, id, NULL, NULL, 0, NULL, 0};
    cy_status_t st = pilot_read(app, get_tx, &g, err);
    *out = g.out;
    return st;
}

static const pcol_t PLAN_LIST_COLS[] = {
    {"id", 'i'},           {"round_id", 's'},      {"annex", 'i'},
    {"status", 's'},       {"name", 's'},          {"author_org_id", 'i'},
    {"author_name", 's'},  {"holder_org_id", 'I'}, {"holder_name", 'n'},
    {"package_id", 'I'},   {"telecom", 'b'},       {"body_zishu", 'i'},
    {"submitted_at", 'n'}, {"updated_at", 's'},    {NULL, 0}};
#define PLAN_LIST_SELECT                                                                           \
    "SELECT p.id, p.round_id, p.annex, p.status, p.name, p.author_org_id, ao.name, "               \
    "p.holder_org_id, ho.name, p.package_id, p.telecom, p.body_zishu, p.submitted_at, "            \
    "p.updated_at FROM pilot_plan p JOIN organisation ao ON ao.id = p.author_org_id LEFT JOIN "    \
    "organisation ho ON ho.id = p.holder_org_id "

static cy_status_t
list_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *l = arg;
    int limit = l->f->limit < 1 || l->f->limit > 200 ? 50 : l->f->limit;
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(l->a)),
                         STORE_P_INT(l->a->org_id),
                         STORE_P_INT(l->f->cursor),
                         STORE_P_TEXT(l->f->round_id),
                         STORE_P_TEXT(l->f->status),
                         STORE_P_INT(l->f->annex),
                         STORE_P_INT(limit + 1)};
    json_t *rows = json_array();
    cy_status_t st = pilot_query_json(
        c,
        PLAN_LIST_SELECT "WHERE " PILOT_PLAN_VISIBLE " AND p.id > $3 AND (CAST($4 AS TEXT) IS "
                         "NULL OR p.round_id = $4) AND (CAST($5 AS TEXT) IS NULL OR p.status = "
                         "$5) AND ($6 = 0 OR p.annex = $6) ORDER BY p.id LIMIT $7",
        p, 7, PLAN_LIST_COLS, rows, err);
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
app_plan_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items, int64_t *next,
              cy_error_t *err)
{
    pw_t l = {app, a, f, 0, NULL, NULL, 0, json_array(), 0};
    cy_status_t st = pilot_read(app, list_tx, &l, err);
    *items = l.out;
    *next = l.next;
    return st;
}

/* ---- writing a plan ----------------------------------------------------- */

static cy_status_t
store_form(store_conn_t *c, int64_t id, int annex, json_t *form, int64_t now, cy_error_t *err)
{
    char *text = json_dumps(form, JSON_COMPACT | JSON_SORT_KEYS);
    if (text == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    char ts[32];
    pilot_iso(now, ts);
    store_param_t p[] = {STORE_P_TEXT(pf_str(form, "name")), STORE_P_TEXT(text),
                         STORE_P_INT((int64_t)sections_zishu(form, annex)), STORE_P_TEXT(ts),
                         STORE_P_INT(id)};
    cy_status_t st = store_exec(c,
                                "UPDATE pilot_plan SET name = $1, form = $2, body_zishu = $3, "
                                "updated_at = $4 WHERE id = $5",
                                p, 5, NULL, err);
    free(text);
    return st;
}

/* Annex 3: the lead holds a scheme of this round's published catalogue. */
static cy_status_t
check_catalogue(store_conn_t *c, const round_t *r, int64_t author, int64_t scheme_id,
                cy_error_t *err)
{
    int64_t one = 0;
    int found = 0;
    store_param_t p[] = {STORE_P_INT(scheme_id), STORE_P_INT(author), STORE_P_TEXT(r->id)};
    cy_status_t st = store_query_int(c,
                                     "SELECT 1 FROM pilot_scheme WHERE id = $1 AND lead_org_id = "
                                     "$2 AND round_id = $3 AND status = 'catalogued'",
                                     p, 3, &one, &found, err);
    if (st == CY_OK && !found)
        st = cy_error_set(err, CY_EINVAL, "catalogue_required", "catalogue_scheme_id",
                          "附件3 的牵头单位须有服务方案入选本轮《网络安全保险典型服务方案目录》 / "
                          "an Annex 3 plan's lead must hold a scheme in this round's published "
                          "catalogue");
    return st;
}

static cy_status_t
create_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *w = arg;
    const round_t *r;
    cy_status_t st = pilot_round_need(w->app, pf_str(w->in, "round_id"), "round_id", &r, err);
    if (st != CY_OK)
        return st;
    int annex = (int)json_integer_value(json_object_get(w->in, "annex"));
    pilot_org_t me;
    int found = 0;
    if ((st = pilot_org_get(c, w->a->org_id, &me, &found, err)) != CY_OK)
        return st;
    json_t *form = json_deep_copy(w->in);
    json_object_del(form, "round_id");
    json_object_del(form, "annex");
    int64_t cat = json_integer_value(json_object_get(form, "catalogue_scheme_id"));
    json_object_del(form, "catalogue_scheme_id");
    pf_drop_nulls(form);
    if (annex == 3)
        st = check_catalogue(c, r, me.id, cat, err);
    else if (cat != 0)
        st = cy_error_set(err, CY_EINVAL, "catalogue_not_applicable", "catalogue_scheme_id",
                          "只有附件3 关联目录方案 / only an Annex 3 plan names a catalogue scheme");
    if (st == CY_OK)
        st = check_draft(w->app, r, annex, form, me.uscc, err);
    char ts[32];
    pilot_iso(w->now, ts);
    int64_t id = 0;
    if (st == CY_OK) {
        store_param_t p[] = {STORE_P_TEXT(r->id),        STORE_P_INT(annex),
                             STORE_P_INT(me.id),         cat ? STORE_P_INT(cat) : STORE_P_NULL,
                             STORE_P_INT(w->a->user_id), STORE_P_TEXT(ts)};
        st = pilot_insert(c,
                          "INSERT INTO pilot_plan (round_id, annex, author_org_id, status, "
                          "catalogue_scheme_id, form, created_by, created_at, updated_at) VALUES "
                          "($1, $2, $3, 'draft', $4, '{}', $5, $6, $6) RETURNING id",
                          p, 6, &id, err);
    }
    if (st == CY_OK)
        st = store_form(c, id, annex, form, w->now, err);
    if (st == CY_OK)
        st = pilot_units_save(c, "plan", id, &me, json_object_get(form, "joint_units"), err);
    json_decref(form);
    char pid[24];
    snprintf(pid, sizeof pid, "%" PRId64, id);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "plan.create", "pilot_plan", pid, err,
                              "起草试点工作方案 %" PRId64 "（附件%d，%s 轮） / drafted pilot plan "
                              "%" PRId64 " (Annex %d, round %s)",
                              id, annex, r->id, id, annex, r->id);
    if (st == CY_OK)
        st = plan_json(w->app, c, w->a, id, &w->out, err);
    return st;
}

cy_status_t
app_plan_create(app_t *app, const actor_t *a, json_t *body, int64_t now, json_t **out,
                cy_error_t *err)
{
    *out = NULL;
    json_t *annex = json_object_get(body, "annex");
    int n = json_is_integer(annex) ? (int)json_integer_value(annex) : 0;
    if (n < 2 || n > 4)
        return cy_error_set(
            err, CY_EINVAL, "annex_unknown", "annex",
            "附件应为 2（地方主管部门）、3（服务机构）或 4（行业企业） / annex must "
            "be 2 (authority), 3 (service institution) or 4 (enterprise)");
    cy_status_t st = pilot_need(a, plan_action(n), err);
    if (st != CY_OK)
        return st;
    pw_t w = {app, a, NULL, 0, body, NULL, now, NULL, 0};
    st = store_tx(app->store, create_tx, &w, err);
    *out = w.out;
    return st;
}

/* A plan its author may change: 404 hidden, 403 not the author's, 409 not a draft. */
static cy_status_t
load_for_author(store_conn_t *c, const actor_t *a, int64_t id, plan_row_t *p, cy_error_t *err)
{
    cy_status_t st = plan_load(c, a, id, p, err);
    if (st != CY_OK)
        return st;
    if (p->author_org_id != a->org_id ||
        !authz_allowed(a->org_type, a->role, plan_action(p->annex)))
        return pilot_forbidden(err, "只有牵头单位可以修改或报送试点工作方案",
                               "only the plan's lead unit edits or submits it");
    if (strcmp(p->status, "draft") != 0 && strcmp(p->status, "returned") != 0)
        return cy_error_set(err, CY_ECONFLICT, "plan_not_draft", "status",
                            "试点工作方案已报送，退回修改前不能再改 / the plan has been sent: it "
                            "changes only after it is returned");
    return CY_OK;
}

static cy_status_t
update_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *w = arg;
    plan_row_t pr;
    cy_status_t st = load_for_author(c, w->a, w->id, &pr, err);
    const round_t *r = st == CY_OK ? pilot_round_find(w->app, pr.round_id) : NULL;
    if (st == CY_OK && r == NULL)
        st = cy_error_set(err, CY_ECONFLICT, "round_unknown", "round_id",
                          "该方案所属轮次已不在数据文件中 / the plan's round is no longer in the "
                          "data files");
    pilot_org_t me;
    int found = 0;
    if (st == CY_OK)
        st = pf_check(plan_spec(pr.annex), w->in, "", err);
    if (st == CY_OK)
        st = pilot_org_get(c, pr.author_org_id, &me, &found, err);
    if (st == CY_OK) {
        json_object_update(pr.form, w->in);
        pf_drop_nulls(pr.form);
        st = check_draft(w->app, r, pr.annex, pr.form, me.uscc, err);
    }
    if (st == CY_OK)
        st = store_form(c, w->id, pr.annex, pr.form, w->now, err);
    if (st == CY_OK)
        st = pilot_units_save(c, "plan", w->id, &me, json_object_get(pr.form, "joint_units"), err);
    if (st == CY_OK)
        st = pilot_confirm_clear(c, "plan", w->id, err);
    char pid[24];
    snprintf(pid, sizeof pid, "%" PRId64, w->id);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "plan.update", "pilot_plan", pid, err,
                              "修改试点工作方案 %" PRId64 " / edited pilot plan %" PRId64, w->id,
                              w->id);
    plan_row_free(&pr);
    if (st == CY_OK)
        st = plan_json(w->app, c, w->a, w->id, &w->out, err);
    return st;
}

cy_status_t
app_plan_update(app_t *app, const actor_t *a, int64_t id, json_t *patch, int64_t now, json_t **out,
                cy_error_t *err)
{
    pw_t w = {app, a, NULL, id, patch, NULL, now, NULL, 0};
    cy_status_t st = store_tx(app->store, update_tx, &w, err);
    *out = w.out;
    return st;
}

static cy_status_t
confirm_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *w = arg;
    plan_row_t pr;
    cy_status_t st = plan_load(c, w->a, w->id, &pr, err);
    if (st == CY_OK && strcmp(pr.status, "draft") != 0 && strcmp(pr.status, "returned") != 0)
        st = cy_error_set(err, CY_ECONFLICT, "plan_not_draft", "status",
                          "试点工作方案已报送 / the plan has already been sent");
    plan_row_free(&pr);
    if (st == CY_OK)
        st = pilot_confirm(c, w->a, "plan", w->id, w->text, w->now, err);
    char pid[24];
    snprintf(pid, sizeof pid, "%" PRId64, w->id);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "plan.confirm", "pilot_plan", pid, err,
                              "确认试点工作方案 %" PRId64 " 的真实性承诺和申报主体责任声明 / "
                              "confirmed the declarations of pilot plan %" PRId64,
                              w->id, w->id);
    if (st == CY_OK)
        st = plan_json(w->app, c, w->a, w->id, &w->out, err);
    return st;
}

cy_status_t
app_plan_confirm(app_t *app, const actor_t *a, int64_t id, const char *legal_representative,
                 int64_t now, json_t **out, cy_error_t *err)
{
    pw_t w = {app, a, NULL, id, NULL, legal_representative, now, NULL, 0};
    cy_status_t st = store_tx(app->store, confirm_tx, &w, err);
    *out = w.out;
    return st;
}

/* Record one hop (and its deadline, judged by the caller) of a plan or package. */
static cy_status_t
hop_add(store_conn_t *c, const actor_t *a, const char *kind, int64_t plan_id, int64_t package_id,
        int64_t from, int64_t to, int64_t now, const char *deadline_key, int64_t deadline_at,
        int64_t ext_id, const char *comment, cy_error_t *err)
{
    char ts[32], real[32], dl[32];
    pilot_iso(now, ts);
    app_now_iso(real);
    if (deadline_at > 0)
        pilot_iso(deadline_at, dl);
    store_param_t p[] = {STORE_P_TEXT(kind),
                         plan_id ? STORE_P_INT(plan_id) : STORE_P_NULL,
                         package_id ? STORE_P_INT(package_id) : STORE_P_NULL,
                         STORE_P_INT(from),
                         STORE_P_INT(to),
                         STORE_P_TEXT(ts),
                         STORE_P_TEXT(real),
                         STORE_P_TEXT(deadline_key),
                         deadline_at > 0 ? STORE_P_TEXT(dl) : STORE_P_NULL,
                         ext_id ? STORE_P_INT(ext_id) : STORE_P_NULL,
                         STORE_P_TEXT(comment ? comment : ""),
                         STORE_P_INT(a->user_id)};
    return store_exec(c,
                      "INSERT INTO pilot_hop (kind, plan_id, package_id, from_org_id, to_org_id, "
                      "received_at, recorded_at, deadline_key, deadline_at, extension_id, "
                      "comment, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                      "$12)",
                      p, 12, NULL, err);
}

/*
 * Judge a receipt by `to` at now against the deadline of its level, with the
 * extension `to` granted `from`. Fills the deadline for the hop record.
 */
static cy_status_t
judge(app_t *app, store_conn_t *c, const round_t *r, const route_stop_t *stop,
      const pilot_org_t *to, int64_t from_org, int64_t now, round_deadline_t *k,
      int64_t *deadline_at, int64_t *ext_id, cy_error_t *err)
{
    (void)app;
    *k = routing_deadline(stop->level);
    *deadline_at = 0;
    *ext_id = 0;
    int64_t until = 0;
    cy_status_t st = pilot_extension_until(c, r->id, *k, from_org, to->id, &until, ext_id, err);
    if (st != CY_OK)
        return st;
    if (!round_deadline_at(r, *k, to->province, deadline_at))
        *deadline_at = 0;
    if (until <= *deadline_at)
        *ext_id = 0; /* an extension that moves nothing is not what made it on time */
    return round_check_receipt(r, *k, to->province, now, until, to->name, err);
}

static cy_status_t
submit_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *w = arg;
    plan_row_t pr;
    cy_status_t st = load_for_author(c, w->a, w->id, &pr, err);
    const round_t *r = st == CY_OK ? pilot_round_find(w->app, pr.round_id) : NULL;
    if (st == CY_OK && r == NULL)
        st = cy_error_set(err, CY_ECONFLICT, "round_unknown", "round_id",
                          "该方案所属轮次已不在数据文件中 / the plan's round is no longer in the "
                          "data files");
    pilot_org_t me;
    int found = 0;
    if (st == CY_OK)
        st = pilot_org_get(c, pr.author_org_id, &me, &found, err);
    /* where it goes, and whether it arrives in time: before anything else is judged */
    route_level_t level = pilot_level_of(&me);
    route_stop_t stop;
    pilot_org_t to;
    round_deadline_t k = ROUND_DL_PLAN_AT_CITY;
    int64_t deadline_at = 0, ext_id = 0;
    if (st == CY_OK && level == ROUTE_APPLICANT) {
        st = routing_next(w->app->ref, level, me.region, &stop, err);
        if (st == CY_OK)
            st = pilot_authority(c, &stop, &to, err);
        if (st == CY_OK)
            st = judge(w->app, c, r, &stop, &to, me.id, w->now, &k, &deadline_at, &ext_id, err);
    }
    if (st == CY_OK)
        st = check_draft(w->app, r, pr.annex, pr.form, me.uscc, err);
    if (st == CY_OK)
        st = check_complete(w->app, r, pr.annex, pr.form, err);
    if (st == CY_OK && pr.annex == 3)
        st = check_catalogue(c, r, me.id, pr.catalogue_scheme_id, err);
    size_t insurers = 0;
    if (st == CY_OK && pr.annex != 2)
        st = pilot_check_confirmed(c, "plan", w->id, &insurers, err);
    if (st == CY_OK && pr.annex == 4) {
        /* 行业企业 … 联合网络安全保险服务机构: at least one joint unit is one */
        int64_t n = 0;
        store_param_t q[] = {STORE_P_INT(w->id)};
        st = store_query_int(c,
                             "SELECT COUNT(*) FROM pilot_unit u JOIN organisation o ON o.id = "
                             "u.org_id WHERE u.kind = 'plan' AND u.doc_id = $1 AND u.seq > 0 AND "
                             "o.type IN ('service_org', 'insurer')",
                             q, 1, &n, NULL, err);
        if (st == CY_OK && n == 0)
            st = cy_error_set(err, CY_EINVAL, "service_institution_required", "joint_units",
                              "行业企业应联合至少一家网络安全保险服务机构申报 / an enterprise's "
                              "plan needs at least one insurance service institution as a joint "
                              "unit");
    }
    char ts[32];
    pilot_iso(w->now, ts);
    char pid[24], bj[32];
    snprintf(pid, sizeof pid, "%" PRId64, w->id);
    bjtime_format(w->now, bj);
    if (st == CY_OK && level != ROUTE_APPLICANT) {
        /* an authority's own plan: ready for its package, received where it is */
        store_param_t u[] = {STORE_P_INT(me.id), STORE_P_TEXT(ts), STORE_P_INT(w->id)};
        st = store_exec(c,
                        "UPDATE pilot_plan SET status = 'submitted', holder_org_id = $1, "
                        "submitted_at = $2, return_comment = '' WHERE id = $3",
                        u, 3, NULL, err);
        if (st == CY_OK)
            st = app_audit_append(c, w->a, w->now, "plan.submit", "pilot_plan", pid, err,
                                  "试点工作方案 %" PRId64 " 定稿，待随本单位申报材料报送 / pilot "
                                  "plan %" PRId64 " finalised for the authority's package",
                                  w->id, w->id);
    } else if (st == CY_OK) {
        char prov[7];
        pilot_org_t ca;
        int copy = routing_copy_to_comm_admin(w->app->ref, me.telecom, me.region, prov);
        int have_ca = 0;
        if (copy && (st = pilot_comm_admin(c, prov, &ca, &have_ca, err)) == CY_OK && !have_ca)
            st = cy_error_set(err, CY_EINVAL, "authority_missing", "region_code",
                              "基础电信企业的方案须同时报送省通信管理局，但 %s 的通信管理局尚未在"
                              "平台登记 / a telecom operator's plan also goes to the "
                              "communications administration of %s, which is not registered",
                              prov, prov);
        store_param_t u[] = {STORE_P_INT(to.id), STORE_P_TEXT(ts), STORE_P_INT(copy),
                             STORE_P_INT(w->id)};
        if (st == CY_OK)
            st = store_exec(c,
                            "UPDATE pilot_plan SET status = 'submitted', holder_org_id = $1, "
                            "submitted_at = $2, telecom = $3, return_comment = '', package_id = "
                            "NULL WHERE id = $4",
                            u, 4, NULL, err);
        if (st == CY_OK)
            st = hop_add(c, w->a, "submit", w->id, 0, me.id, to.id, w->now, round_deadline_key(k),
                         deadline_at, ext_id, "", err);
        if (st == CY_OK && copy)
            st = hop_add(c, w->a, "copy", w->id, 0, me.id, ca.id, w->now, NULL, 0, 0, "", err);
        if (st == CY_OK)
            st = app_audit_append(c, w->a, w->now, "plan.submit", "pilot_plan", pid, err,
                                  "试点工作方案 %" PRId64 " 报送%s，送达时间 %s%s%s / pilot plan "
                                  "%" PRId64 " received by %s at %s%s%s",
                                  w->id, to.name, bj, copy ? "，同时抄送" : "", copy ? ca.name : "",
                                  w->id, to.name, bj, copy ? ", copied to " : "",
                                  copy ? ca.name : "");
    }
    plan_row_free(&pr);
    if (st == CY_OK)
        st = plan_json(w->app, c, w->a, w->id, &w->out, err);
    return st;
}

cy_status_t
app_plan_submit(app_t *app, const actor_t *a, int64_t id, int64_t now, json_t **out,
                cy_error_t *err)
{
    pw_t w = {app, a, NULL, id, NULL, NULL, now, NULL, 0};
    cy_status_t st = store_tx(app->store, submit_tx, &w, err);
    *out = w.out;
    return st;
}

static cy_status_t
need_comment(const char *text, cy_error_t *err)
{
    const char *t = text ? text : "";
    while (*t == ' ' || *t == '\n' || *t == '\t')
        t++;
    if (*t == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", "comment",
                            "退回修改须写明意见 / a return needs comments");
    if (strlen(text) > 20000)
        return cy_error_set(err, CY_EINVAL, "too_long", "comment",
                            "意见过长 / the comments are too long");
    return CY_OK;
}

static cy_status_t
return_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *w = arg;
    plan_row_t pr;
    cy_status_t st = plan_load(c, w->a, w->id, &pr, err);
    if (st != CY_OK) {
        plan_row_free(&pr);
        return st;
    }
    if (pr.holder_org_id != w->a->org_id ||
        !authz_allowed(w->a->org_type, w->a->role, ACT_PLAN_ROUTE))
        st = pilot_forbidden(err, "只有当前收到该方案的主管部门可以退回",
                             "only the authority holding the plan returns it");
    else if (strcmp(pr.status, "submitted") != 0)
        st = cy_error_set(err, CY_ECONFLICT, "plan_not_submitted", "status",
                          "该方案不在报送途中 / the plan is not on its way");
    if (st == CY_OK)
        st = need_comment(w->text, err);
    store_param_t u[] = {STORE_P_TEXT(w->text), STORE_P_INT(w->id)};
    if (st == CY_OK)
        st = store_exec(c,
                        "UPDATE pilot_plan SET status = 'returned', holder_org_id = NULL, "
                        "package_id = NULL, return_comment = $1 WHERE id = $2",
                        u, 2, NULL, err);
    if (st == CY_OK)
        st = hop_add(c, w->a, "return", w->id, 0, w->a->org_id, pr.author_org_id, w->now, NULL, 0,
                     0, w->text, err);
    char pid[24];
    snprintf(pid, sizeof pid, "%" PRId64, w->id);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "plan.return", "pilot_plan", pid, err,
                              "退回试点工作方案 %" PRId64 " 修改 / returned pilot plan %" PRId64
                              " for changes",
                              w->id, w->id);
    plan_row_free(&pr);
    if (st == CY_OK)
        st = plan_json(w->app, c, w->a, w->id, &w->out, err);
    return st;
}

cy_status_t
app_plan_return(app_t *app, const actor_t *a, int64_t id, const char *comment, int64_t now,
                json_t **out, cy_error_t *err)
{
    pw_t w = {app, a, NULL, id, NULL, comment, now, NULL, 0};
    cy_status_t st = store_tx(app->store, return_tx, &w, err);
    *out = w.out;
    return st;
}

/* ---- packages ----------------------------------------------------------- */

/* $1 sees all, $2 the caller's organisation; alias k */
#define PACKAGE_VISIBLE                                                                            \
    "($1 = 1 OR k.origin_org_id = $2 OR k.holder_org_id = $2 OR EXISTS (SELECT 1 FROM pilot_hop "  \
    "h WHERE h.package_id = k.id AND h.to_org_id = $2))"

typedef struct {
    int64_t id;
    char round_id[16];
    int64_t origin, holder;
    char status[16];
} package_row_t;

static cy_status_t
package_load(store_conn_t *c, const actor_t *a, int64_t id, package_row_t *k, cy_error_t *err)
{
    memset(k, 0, sizeof *k);
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(a)), STORE_P_INT(a->org_id), STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st =
        store_query(c,
                    "SELECT k.id, k.round_id, k.origin_org_id, k.holder_org_id, "
                    "k.status FROM pilot_package k WHERE k.id = $3 AND " PACKAGE_VISIBLE,
                    p, 3, &r, err);
    if (st != CY_OK)
        return st;
    int n = store_rows_next(r, err);
    if (n == 1) {
        k->id = store_rows_int(r, 0);
        snprintf(k->round_id, sizeof k->round_id, "%s", store_rows_text(r, 1));
        k->origin = store_rows_int(r, 2);
        k->holder = store_rows_int(r, 3);
        snprintf(k->status, sizeof k->status, "%s", store_rows_text(r, 4));
    }
    store_rows_free(r);
    if (n < 0)
        return err->status;
    if (n == 0)
        return app_not_found(err, "申报材料包", "package", id);
    return CY_OK;
}

static const pcol_t PACKAGE_COLS[] = {{"id", 'i'},
                                      {"round_id", 's'},
                                      {"status", 's'},
                                      {"origin_org_id", 'i'},
                                      {"origin_name", 's'},
                                      {"holder_org_id", 'i'},
                                      {"holder_name", 's'},
                                      {"holder_type", 's'},
                                      {"comment", 's'},
                                      {"created_at", 's'},
                                      {"updated_at", 's'},
                                      {"plan_count", 'i'},
                                      {NULL, 0}};
#define PACKAGE_SELECT                                                                             \
    "SELECT k.id, k.round_id, k.status, k.origin_org_id, oo.name, k.holder_org_id, ho.name, "      \
    "ho.type, k.comment, k.created_at, k.updated_at, (SELECT COUNT(*) FROM pilot_plan x WHERE "    \
    "x.package_id = k.id) FROM pilot_package k JOIN organisation oo ON oo.id = k.origin_org_id "   \
    "JOIN organisation ho ON ho.id = k.holder_org_id "

/* The next receiver of a package held by holder (NULL when it is at the ministry). */
static cy_status_t
package_next(app_t *app, store_conn_t *c, const package_row_t *k, const round_t *r, json_t **out,
             cy_error_t *err)
{
    *out = json_null();
    pilot_org_t holder;
    int found = 0;
    cy_status_t st = pilot_org_get(c, k->holder, &holder, &found, err);
    route_level_t level = pilot_level_of(&holder);
    if (st != CY_OK || !found || level == ROUTE_MINISTRY || level == ROUTE_APPLICANT)
        return st;
    route_stop_t stop;
    pilot_org_t to;
    cy_error_t ignored;
    if (routing_next(app->ref, level, holder.region, &stop, &ignored) != CY_OK ||
        pilot_authority(c, &stop, &to, &ignored) != CY_OK)
        return CY_OK;
    round_deadline_t dk = routing_deadline(stop.level);
    int64_t at = 0;
    char iso[32] = "";
    int has = r != NULL && round_deadline_at(r, dk, to.province, &at);
    if (has)
        pilot_iso(at, iso);
    json_decref(*out);
    *out = json_pack("{s:s, s:I, s:s, s:s, s:o}", "level", routing_level_name(stop.level), "org_id",
                     (json_int_t)to.id, "org_name", to.name, "deadline", round_deadline_key(dk),
                     "deadline_at", has ? json_string(iso) : json_null());
    return CY_OK;
}

static cy_status_t
package_json(app_t *app, store_conn_t *c, const actor_t *a, int64_t id, json_t **out,
             cy_error_t *err)
{
    *out = NULL;
    package_row_t k;
    cy_status_t st = package_load(c, a, id, &k, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(id)};
    json_t *o = NULL, *plans = json_array(), *hops = json_array(), *next = NULL;
    st = pilot_query_one(c, PACKAGE_SELECT "WHERE k.id = $1", p, 1, PACKAGE_COLS, &o, err);
    if (st == CY_OK)
        st = pilot_query_json(c, PLAN_LIST_SELECT "WHERE p.package_id = $1 ORDER BY p.id", p, 1,
                              PLAN_LIST_COLS, plans, err);
    if (st == CY_OK)
        st = pilot_query_json(
            c, HOP_SELECT "WHERE h.package_id = $1 AND h.plan_id IS NULL ORDER BY h.id", p, 1,
            HOP_COLS, hops, err);
    if (st == CY_OK)
        st = package_next(app, c, &k, pilot_round_find(app, k.round_id), &next, err);
    if (st == CY_OK && o != NULL) {
        json_object_set_new(o, "plans", plans);
        json_object_set_new(o, "hops", hops);
        json_object_set_new(o, "next", next);
        plans = hops = next = NULL;
        *out = o;
        o = NULL;
    }
    json_decref(o);
    json_decref(plans);
    json_decref(hops);
    json_decref(next);
    return st;
}

static cy_status_t
package_get_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *g = arg;
    return package_json(g->app, c, g->a, g->id, &g->out, err);
}

cy_status_t
app_package_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    pw_t g = {app, a, NULL, id, NULL, NULL, 0, NULL, 0};
    cy_status_t st = pilot_read(app, package_get_tx, &g, err);
    *out = g.out;
    return st;
}

static cy_status_t
package_list_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *l = arg;
    int limit = l->f->limit < 1 || l->f->limit > 200 ? 50 : l->f->limit;
    int box = l->f->box == NULL ? 0 : strcmp(l->f->box, "inbox") == 0 ? 1 : 2;
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(l->a)),
                         STORE_P_INT(l->a->org_id),
                         STORE_P_INT(l->f->cursor),
                         STORE_P_TEXT(l->f->round_id),
                         STORE_P_TEXT(l->f->status),
                         STORE_P_INT(box),
                         STORE_P_INT(limit + 1)};
    json_t *rows = json_array();
    cy_status_t st = pilot_query_json(
        c,
        PACKAGE_SELECT "WHERE " PACKAGE_VISIBLE " AND k.id > $3 AND (CAST($4 AS TEXT) IS NULL OR "
                       "k.round_id = $4) AND (CAST($5 AS TEXT) IS NULL OR k.status = $5) AND ($6 "
                       "= 0 OR ($6 = 1 AND k.holder_org_id = $2 AND k.origin_org_id <> $2) OR ($6 "
                       "= 2 AND k.origin_org_id = $2)) ORDER BY k.id LIMIT $7",
        p, 7, PACKAGE_COLS, rows, err);
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
app_package_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                 int64_t *next, cy_error_t *err)
{
    *items = NULL;
    *next = 0;
    if (f->box != NULL && strcmp(f->box, "inbox") != 0 && strcmp(f->box, "outbox") != 0)
        return cy_error_set(err, CY_EINVAL, "box_unknown", "box",
                            "box 应为 inbox 或 outbox / box must be inbox or outbox");
    pw_t l = {app, a, f, 0, NULL, NULL, 0, json_array(), 0};
    cy_status_t st = pilot_read(app, package_list_tx, &l, err);
    *items = l.out;
    *next = l.next;
    return st;
}

static cy_status_t
package_create_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *w = arg;
    const round_t *r;
    cy_status_t st = pilot_round_need(w->app, w->text, "round_id", &r, err);
    if (st != CY_OK)
        return st;
    size_t n = json_is_array(w->in) ? json_array_size(w->in) : 0;
    if (n == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "plan_ids",
                            "请选择要报送的试点工作方案 / choose the plans to send");
    if (n > 500)
        return cy_error_set(err, CY_EINVAL, "too_many_items", "plan_ids",
                            "一个材料包最多500个方案 / at most 500 plans per package");
    char ts[32];
    pilot_iso(w->now, ts);
    int64_t id = 0;
    store_param_t p[] = {STORE_P_TEXT(r->id), STORE_P_INT(w->a->org_id), STORE_P_INT(w->a->user_id),
                         STORE_P_TEXT(ts)};
    if ((st = pilot_insert(c,
                           "INSERT INTO pilot_package (round_id, origin_org_id, holder_org_id, "
                           "status, created_by, created_at, updated_at) VALUES ($1, $2, $2, "
                           "'open', $3, $4, $4) RETURNING id",
                           p, 4, &id, err)) != CY_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(w->in, i);
        char field[40];
        snprintf(field, sizeof field, "plan_ids[%zu]", i);
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return cy_error_set(err, CY_EBADREQ, "wrong_type", field,
                                "%s 应为方案编号 / %s must be a plan id", field, field);
        store_param_t q[] = {STORE_P_INT(id), STORE_P_INT(json_integer_value(v)),
                             STORE_P_INT(w->a->org_id), STORE_P_TEXT(r->id)};
        int64_t changed = 0;
        if ((st = store_exec(c,
                             "UPDATE pilot_plan SET package_id = $1 WHERE id = $2 AND "
                             "holder_org_id = $3 AND status = 'submitted' AND package_id IS NULL "
                             "AND round_id = $4",
                             q, 4, &changed, err)) != CY_OK)
            return st;
        if (changed != 1)
            return cy_error_set(err, CY_EINVAL, "plan_not_ready", field,
                                "方案 %" PRId64 " 不是本单位收到或定稿、尚未打包的本轮方案 / plan "
                                "%" PRId64 " is not a plan of this round that you hold, ready and "
                                "outside any other package",
                                (int64_t)json_integer_value(v), (int64_t)json_integer_value(v));
    }
    char kid[24];
    snprintf(kid, sizeof kid, "%" PRId64, id);
    st = app_audit_append(c, w->a, w->now, "package.create", "pilot_package", kid, err,
                          "组织申报材料包 %" PRId64 "（%zu 个方案） / assembled package %" PRId64
                          " (%zu plans)",
                          id, n, id, n);
    if (st == CY_OK)
        st = package_json(w->app, c, w->a, id, &w->out, err);
    return st;
}

cy_status_t
app_package_create(app_t *app, const actor_t *a, const char *round_id, json_t *plan_ids,
                   int64_t now, json_t **out, cy_error_t *err)
{
    *out = NULL;
    cy_status_t st = pilot_need(a, ACT_PLAN_ROUTE, err);
    if (st != CY_OK)
        return st;
    if (a->org_type != ORG_CITY && a->org_type != ORG_PROVINCE)
        return pilot_forbidden(err, "申报材料包由地市或省级主管部门组织报送",
                               "packages are assembled by city and provincial authorities");
    pw_t w = {app, a, NULL, 0, plan_ids, round_id, now, NULL, 0};
    st = store_tx(app->store, package_create_tx, &w, err);
    *out = w.out;
    return st;
}

static cy_status_t
forward_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *w = arg;
    package_row_t k;
    cy_status_t st = package_load(c, w->a, w->id, &k, err);
    if (st != CY_OK)
        return st;
    if (k.holder != w->a->org_id || !authz_allowed(w->a->org_type, w->a->role, ACT_PLAN_ROUTE))
        return pilot_forbidden(err, "只有当前持有该材料包的主管部门可以报送",
                               "only the authority holding the package forwards it");
    const round_t *r = pilot_round_find(w->app, k.round_id);
    if (r == NULL)
        return cy_error_set(err, CY_ECONFLICT, "round_unknown", "round_id",
                            "该材料包所属轮次已不在数据文件中 / the package's round is no longer "
                            "in the data files");
    pilot_org_t me;
    int found = 0;
    if ((st = pilot_org_get(c, w->a->org_id, &me, &found, err)) != CY_OK)
        return st;
    route_level_t level = pilot_level_of(&me);
    if (level == ROUTE_MINISTRY)
        return cy_error_set(err, CY_ECONFLICT, "route_end", "status",
                            "材料包已报送至工业和信息化部 / the package is at the ministry");
    route_stop_t stop;
    pilot_org_t to;
    if ((st = routing_next(w->app->ref, level, me.region, &stop, err)) != CY_OK ||
        (st = pilot_authority(c, &stop, &to, err)) != CY_OK)
        return st;
    round_deadline_t dk;
    int64_t deadline_at = 0, ext_id = 0;
    if ((st = judge(w->app, c, r, &stop, &to, me.id, w->now, &dk, &deadline_at, &ext_id, err)) !=
        CY_OK)
        return st;
    int64_t n = 0, own = 0;
    store_param_t q[] = {STORE_P_INT(k.id), STORE_P_INT(k.origin)};
    if ((st = store_query_int(c, "SELECT COUNT(*) FROM pilot_plan WHERE package_id = $1", q, 1, &n,
                              NULL, err)) != CY_OK)
        return st;
    if (n == 0)
        return cy_error_set(err, CY_EINVAL, "package_empty", "plan_ids",
                            "材料包中没有方案 / the package holds no plan");
    pilot_org_t origin;
    if ((st = pilot_org_get(c, k.origin, &origin, &found, err)) != CY_OK)
        return st;
    if (origin.type == ORG_CITY) {
        /* 地市…牵头制定本地市工作方案，并随同…一同报送 */
        if ((st = store_query_int(c,
                                  "SELECT COUNT(*) FROM pilot_plan WHERE package_id = $1 AND "
                                  "author_org_id = $2 AND annex = 2",
                                  q, 2, &own, NULL, err)) != CY_OK)
            return st;
        if (own == 0)
            return cy_error_set(err, CY_EINVAL, "city_plan_required", "plan_ids",
                                "地市报送材料应包含本市的试点工作方案（附件2） / a city's package "
                                "includes its own Annex 2 plan");
    }
    char ts[32], bj[32], kid[24];
    pilot_iso(w->now, ts);
    bjtime_format(w->now, bj);
    snprintf(kid, sizeof kid, "%" PRId64, k.id);
    store_param_t u[] = {STORE_P_INT(to.id), STORE_P_TEXT(ts), STORE_P_INT(k.id)};
    if ((st = store_exec(c,
                         "UPDATE pilot_package SET holder_org_id = $1, status = 'sent', "
                         "comment = '', updated_at = $2 WHERE id = $3",
                         u, 3, NULL, err)) != CY_OK ||
        (st = hop_add(c, w->a, "forward", 0, k.id, me.id, to.id, w->now, round_deadline_key(dk),
                      deadline_at, ext_id, "", err)) != CY_OK)
        return st;
    /* every plan of the package arrives with it: each keeps its own trail */
    json_t *ids = json_array();
    static const pcol_t idcol[] = {{"id", 'i'}, {NULL, 0}};
    store_param_t pk[] = {STORE_P_INT(k.id)};
    st = pilot_query_json(c, "SELECT id FROM pilot_plan WHERE package_id = $1 ORDER BY id", pk, 1,
                          idcol, ids, err);
    size_t i;
    json_t *row;
    json_array_foreach(ids, i, row)
    {
        if (st != CY_OK)
            break;
        st = hop_add(c, w->a, "forward", json_integer_value(json_object_get(row, "id")), k.id,
                     me.id, to.id, w->now, round_deadline_key(dk), deadline_at, ext_id, "", err);
    }
    json_decref(ids);
    store_param_t h[] = {STORE_P_INT(to.id), STORE_P_INT(k.id)};
    if (st == CY_OK)
        st = store_exec(c, "UPDATE pilot_plan SET holder_org_id = $1 WHERE package_id = $2", h, 2,
                        NULL, err);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "package.forward", "pilot_package", kid, err,
                              "申报材料包 %" PRId64 "（%" PRId64 " 个方案）报送%s，送达时间 %s%s / "
                              "package %" PRId64 " (%" PRId64 " plans) received by %s at %s%s",
                              k.id, n, to.name, bj, ext_id ? "（延期内）" : "", k.id, n, to.name,
                              bj, ext_id ? " (within an extension)" : "");
    if (st == CY_OK)
        st = package_json(w->app, c, w->a, k.id, &w->out, err);
    return st;
}

cy_status_t
app_package_forward(app_t *app, const actor_t *a, int64_t id, int64_t now, json_t **out,
                    cy_error_t *err)
{
    pw_t w = {app, a, NULL, id, NULL, NULL, now, NULL, 0};
    cy_status_t st = store_tx(app->store, forward_tx, &w, err);
    *out = w.out;
    return st;
}

static cy_status_t
package_return_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *w = arg;
    package_row_t k;
    cy_status_t st = package_load(c, w->a, w->id, &k, err);
    if (st != CY_OK)
        return st;
    if (k.holder != w->a->org_id || k.origin == w->a->org_id ||
        !authz_allowed(w->a->org_type, w->a->role, ACT_PLAN_ROUTE))
        return pilot_forbidden(err, "只有收到该材料包的上级主管部门可以退回",
                               "only the authority that received the package returns it");
    if ((st = need_comment(w->text, err)) != CY_OK)
        return st;
    /* back to whoever sent it here */
    int64_t prev = 0;
    int found = 0;
    store_param_t q[] = {STORE_P_INT(k.id), STORE_P_INT(w->a->org_id)};
    if ((st = store_query_int(c,
                              "SELECT from_org_id FROM pilot_hop WHERE package_id = $1 AND "
                              "plan_id IS NULL AND kind = 'forward' AND to_org_id = $2 ORDER BY "
                              "id DESC LIMIT 1",
                              q, 2, &prev, &found, err)) != CY_OK)
        return st;
    if (!found)
        prev = k.origin;
    char ts[32], kid[24];
    pilot_iso(w->now, ts);
    snprintf(kid, sizeof kid, "%" PRId64, k.id);
    store_param_t u[] = {STORE_P_INT(prev), STORE_P_TEXT(prev == k.origin ? "returned" : "sent"),
                         STORE_P_TEXT(w->text), STORE_P_TEXT(ts), STORE_P_INT(k.id)};
    if ((st = store_exec(c,
                         "UPDATE pilot_package SET holder_org_id = $1, status = $2, comment = $3, "
                         "updated_at = $4 WHERE id = $5",
                         u, 5, NULL, err)) != CY_OK ||
        (st = hop_add(c, w->a, "return", 0, k.id, w->a->org_id, prev, w->now, NULL, 0, 0, w->text,
                      err)) != CY_OK)
        return st;
    json_t *ids = json_array();
    static const pcol_t idcol[] = {{"id", 'i'}, {NULL, 0}};
    store_param_t pk[] = {STORE_P_INT(k.id)};
    st = pilot_query_json(c, "SELECT id FROM pilot_plan WHERE package_id = $1 ORDER BY id", pk, 1,
                          idcol, ids, err);
    size_t i;
    json_t *row;
    json_array_foreach(ids, i, row)
    {
        if (st != CY_OK)
            break;
        st = hop_add(c, w->a, "return", json_integer_value(json_object_get(row, "id")), k.id,
                     w->a->org_id, prev, w->now, NULL, 0, 0, w->text, err);
    }
    json_decref(ids);
    store_param_t h[] = {STORE_P_INT(prev), STORE_P_INT(k.id)};
    if (st == CY_OK)
        st = store_exec(c, "UPDATE pilot_plan SET holder_org_id = $1 WHERE package_id = $2", h, 2,
                        NULL, err);
    if (st == CY_OK)
        st = app_audit_append(c, w->a, w->now, "package.return", "pilot_package", kid, err,
                              "退回申报材料包 %" PRId64 " 修改 / returned package %" PRId64
                              " for changes",
                              k.id, k.id);
    if (st == CY_OK)
        st = package_json(w->app, c, w->a, k.id, &w->out, err);
    return st;
}

cy_status_t
app_package_return(app_t *app, const actor_t *a, int64_t id, const char *comment, int64_t now,
                   json_t **out, cy_error_t *err)
{
    pw_t w = {app, a, NULL, id, NULL, comment, now, NULL, 0};
    cy_status_t st = store_tx(app->store, package_return_tx, &w, err);
    *out = w.out;
    return st;
}

/* ---- extensions --------------------------------------------------------- */

static const pcol_t EXT_COLS[] = {{"id", 'i'},
                                  {"round_id", 's'},
                                  {"deadline", 's'},
                                  {"org_id", 'i'},
                                  {"org_name", 's'},
                                  {"granted_by_org_id", 'i'},
                                  {"granted_by_name", 's'},
                                  {"until", 's'},
                                  {"until_at", 's'},
                                  {"reason", 's'},
                                  {"created_at", 's'},
                                  {NULL, 0}};
#define EXT_SELECT                                                                                 \
    "SELECT e.id, e.round_id, e.deadline_key, e.org_id, o.name, e.granted_by_org_id, g.name, "     \
    "e.until_date, e.until_at, e.reason, e.created_at FROM pilot_extension e JOIN organisation o " \
    "ON o.id = e.org_id JOIN organisation g ON g.id = e.granted_by_org_id "

static cy_status_t
ext_list_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    pw_t *l = arg;
    int limit = l->f->limit < 1 || l->f->limit > 200 ? 50 : l->f->limit;
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(l->a)), STORE_P_INT(l->a->org_id),
                         STORE_P_INT(l->f->cursor), STORE_P_TEXT(l->f->round_id),
                         STORE_P_INT(limit + 1)};
    json_t *rows = json_array();
    cy_status_t st = pilot_query_json(
        c,
        EXT_SELECT "WHERE ($1 = 1 OR e.org_id = $2 OR e.granted_by_org_id = $2) AND e.id > $3 AND "
                   "(CAST($4 AS TEXT) IS NULL OR e.round_id = $4) ORDER BY e.id LIMIT $5",
        p, 5, EXT_COLS, rows, err);
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
app_extension_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                   int64_t *next, cy_error_t *err)
{
    pw_t l = {app, a, f, 0, NULL, NULL, 0, json_array(), 0};
    cy_status_t st = pilot_read(app, ext_list_tx, &l, err);
    *items = l.out;
    *next = l.next;
    return st;
}

typedef struct {
    app_t *app;
    const actor_t *a;
    const char *round_id, *deadline, *until, *reason;
    int64_t org_id, now;
    json_t *out;
} ext_t;

static cy_status_t
ext_grant_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    ext_t *w = arg;
    const round_t *r;
    cy_status_t st = pilot_round_need(w->app, w->round_id, "round_id", &r, err);
    if (st != CY_OK)
        return st;
    round_deadline_t k;
    if (round_deadline_parse(w->deadline, &k) != 0)
        return cy_error_set(err, CY_EINVAL, "deadline_unknown", "deadline",
                            "未知的截止事项 %.40s / unknown deadline %.40s",
                            w->deadline ? w->deadline : "", w->deadline ? w->deadline : "");
    pilot_org_t org, me;
    int found = 0, mine = 0;
    if ((st = pilot_org_get(c, w->org_id, &org, &found, err)) != CY_OK ||
        (st = pilot_org_get(c, w->a->org_id, &me, &mine, err)) != CY_OK)
        return st;
    if (!found)
        return cy_error_set(err, CY_EINVAL, "org_unknown", "org_id",
                            "机构 %" PRId64 " 不存在 / organisation %" PRId64 " not found",
                            w->org_id, w->org_id);
    /* only the authority that receives under this deadline from that organisation */
    int receiver = 0;
    if (!round_deadline_is_local(k))
        receiver = me.type == ORG_MINISTRY;
    else if (k == ROUND_DL_PLAN_AT_CITY)
        receiver = me.type == ORG_CITY && org.city[0] && strcmp(me.region, org.city) == 0;
    else
        receiver = me.type == ORG_PROVINCE && strcmp(me.region, org.province) == 0;
    if (!receiver)
        return pilot_forbidden(err, "只有该截止事项的接收单位可以为报送单位延期",
                               "only the authority receiving under this deadline grants an "
                               "extension");
    int64_t deadline = 0;
    if (!round_deadline_at(r, k, me.province, &deadline))
        return cy_error_set(err, CY_EINVAL, "deadline_none", "deadline",
                            "本轮没有该截止时间，无需延期 / this round sets no such deadline");
    int64_t until = 0;
    const char *u = w->until ? w->until : "";
    if (strlen(u) != 10 || bjtime_parse(u, &until, NULL) != CY_OK)
        return cy_error_set(err, CY_EINVAL, "date_invalid", "until",
                            "延期至应为有效日期 YYYY-MM-DD / until must be a valid date "
                            "YYYY-MM-DD");
    round_date_t d;
    round_date_set(&d, atoi(u), atoi(u + 5), atoi(u + 8));
    if (d.at <= deadline) {
        char dl[32];
        bjtime_format(deadline, dl);
        return cy_error_set(err, CY_EINVAL, "extension_not_later", "until",
                            "延期日期应晚于原截止时间 %s / an extension ends after the deadline %s",
                            dl, dl);
    }
    const char *why = w->reason ? w->reason : "";
    while (*why == ' ')
        why++;
    if (*why == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", "reason",
                            "请写明延期理由 / the reason is required");
    if (strlen(w->reason) > 4000)
        return cy_error_set(err, CY_EINVAL, "too_long", "reason",
                            "理由过长 / the reason is too long");
    char ts[32], at[32];
    pilot_iso(w->now, ts);
    pilot_iso(d.at, at);
    int64_t id = 0;
    store_param_t p[] = {STORE_P_TEXT(r->id),
                         STORE_P_TEXT(round_deadline_key(k)),
                         STORE_P_INT(org.id),
                         STORE_P_INT(me.id),
                         STORE_P_INT(w->a->user_id),
                         STORE_P_TEXT(u),
                         STORE_P_TEXT(at),
                         STORE_P_TEXT(w->reason),
                         STORE_P_TEXT(ts)};
    if ((st = pilot_insert(c,
                           "INSERT INTO pilot_extension (round_id, deadline_key, org_id, "
                           "granted_by_org_id, granted_by_user_id, until_date, until_at, reason, "
                           "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                           p, 9, &id, err)) != CY_OK)
        return st;
    char eid[24];
    snprintf(eid, sizeof eid, "%" PRId64, id);
    st =
        app_audit_append(c, w->a, w->now, "extension.grant", "pilot_extension", eid, err,
                         "同意%s延期：%s 截止时间延至 %s（北京时间当日24时前），理由：%s / granted "
                         "%s an extension of %s to the end of %s (Beijing time); reason: %s",
                         org.name, round_deadline_name_zh(k), u, w->reason, org.name,
                         round_deadline_key(k), u, w->reason);
    store_param_t g[] = {STORE_P_INT(id)};
    if (st == CY_OK)
        st = pilot_query_one(c, EXT_SELECT "WHERE e.id = $1", g, 1, EXT_COLS, &w->out, err);
    return st;
}

cy_status_t
app_extension_grant(app_t *app, const actor_t *a, const char *round_id, const char *deadline,
                    int64_t org_id, const char *until, const char *reason, int64_t now,
                    json_t **out, cy_error_t *err)
{
    *out = NULL;
    cy_status_t st = pilot_need(a, ACT_EXTENSION_GRANT, err);
    if (st != CY_OK)
        return st;
    ext_t w = {app, a, round_id, deadline, until, reason, org_id, now, NULL};
    st = store_tx(app->store, ext_grant_tx, &w, err);
    *out = w.out;
    return st;
}
