/*
 * org.c — organisations as the pilot's rules see them: the pilot_org_t of
 * an id or a USCC, the authority registered at a stop of a route, the
 * province's 通信管理局, an applicant unit's record as the caller may read
 * it, and the 基础电信企业 flag (with the pilot's demo data, which sets it).
 * Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"

#define ORG_COLS                                                                                   \
    "id, name, type, uscc, region_code, province_code, city_code, licence_no, nature, "            \
    "telecom_operator"

static void
org_from_row(store_rows_t *r, pilot_org_t *o)
{
    memset(o, 0, sizeof *o);
    o->id = store_row_int(r, "id");
    store_row_copy(r, "name", o->name, sizeof o->name);
    authz_org_type_parse(store_row_text(r, "type"), &o->type);
    store_row_copy(r, "uscc", o->uscc, sizeof o->uscc);
    store_row_copy(r, "region_code", o->region, sizeof o->region);
    store_row_copy(r, "province_code", o->province, sizeof o->province);
    store_row_copy(r, "city_code", o->city, sizeof o->city);
    store_row_copy(r, "licence_no", o->licence, sizeof o->licence);
    store_row_copy(r, "nature", o->nature, sizeof o->nature);
    o->telecom = store_row_int(r, "telecom_operator") != 0;
}

static cy_status_t
org_query(store_conn_t *c, const char *sql, const store_param_t *p, int n, pilot_org_t *o,
          int *found, cy_error_t *err)
{
    store_rows_t *r;
    *found = 0;
    cy_status_t st = store_query(c, sql, p, n, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        org_from_row(r, o);
        *found = 1;
    }
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

cy_status_t
pilot_org_get(store_conn_t *c, int64_t id, pilot_org_t *o, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    return org_query(c, "SELECT " ORG_COLS " FROM organisation WHERE id = $1", p, 1, o, found, err);
}

cy_status_t
pilot_org_by_uscc(store_conn_t *c, const char *uscc, pilot_org_t *o, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(uscc)};
    return org_query(c, "SELECT " ORG_COLS " FROM organisation WHERE uscc = $1", p, 1, o, found,
                     err);
}

route_level_t
pilot_level_of(const pilot_org_t *o)
{
    switch (o->type) {
    case ORG_MINISTRY:
        return ROUTE_MINISTRY;
    case ORG_PROVINCE:
        return ROUTE_PROVINCE;
    case ORG_CITY:
        return ROUTE_CITY;
    default:
        return ROUTE_APPLICANT;
    }
}

static cy_status_t
authority_missing(const route_stop_t *stop, cy_error_t *err)
{
    const char *zh = stop->level == ROUTE_MINISTRY   ? "工业和信息化部"
                     : stop->level == ROUTE_PROVINCE ? "省级工业和信息化主管部门"
                                                     : "地市工业和信息化主管部门";
    const char *en = stop->level == ROUTE_MINISTRY   ? "the ministry"
                     : stop->level == ROUTE_PROVINCE ? "the provincial authority"
                                                     : "the city authority";
    return cy_error_set(err, CY_EINVAL, "authority_missing", "region_code",
                        "接收单位（%s %s）尚未在平台登记，无法报送 / %s of %s is not "
                        "registered on the platform: nowhere to send to",
                        zh, stop->region, en, stop->region[0] ? stop->region : "-");
}

cy_status_t
pilot_authority(store_conn_t *c, const route_stop_t *stop, pilot_org_t *o, cy_error_t *err)
{
    int found = 0;
    cy_status_t st;
    if (stop->level == ROUTE_MINISTRY) {
        st = org_query(c,
                       "SELECT " ORG_COLS " FROM organisation WHERE type = 'ministry' "
                       "ORDER BY id LIMIT 1",
                       NULL, 0, o, &found, err);
    } else {
        /* a 直辖市's authority may be registered as its city or as its province */
        store_param_t p[] = {STORE_P_TEXT(stop->region),
                             STORE_P_TEXT(stop->level == ROUTE_CITY ? "city" : "province")};
        st = org_query(c,
                       "SELECT " ORG_COLS " FROM organisation WHERE region_code = $1 AND "
                       "type IN ($2, 'province') ORDER BY CASE WHEN type = $2 THEN 0 ELSE 1 END, "
                       "id LIMIT 1",
                       p, 2, o, &found, err);
        if (st == CY_OK && found && o->type == ORG_PROVINCE && stop->level == ROUTE_CITY &&
            strcmp(stop->region + 2, "0000") != 0)
            found = 0; /* a prefecture's own authority, never its province, receives for it */
    }
    if (st == CY_OK && !found)
        st = authority_missing(stop, err);
    return st;
}

cy_status_t
pilot_comm_admin(store_conn_t *c, const char *province, pilot_org_t *o, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(province)};
    return org_query(c,
                     "SELECT " ORG_COLS " FROM organisation WHERE type = 'comm_admin' AND "
                     "region_code = $1 ORDER BY id LIMIT 1",
                     p, 1, o, found, err);
}

cy_status_t
pilot_org_json(store_conn_t *c, const actor_t *a, int64_t org_id, json_t **out, cy_error_t *err)
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
    cy_status_t st = pilot_query_id(c,
                                    "SELECT id, name, type, uscc, region_code, nature, "
                                    "nature_other, founded_on, registered_capital_fen, address, "
                                    "contact, phone, fax, email, licence_no, telecom_operator "
                                    "FROM organisation WHERE id = $1",
                                    org_id, cols, out, err);
    /* regional authorities see other organisations without personal contact data */
    if (st == CY_OK && *out != NULL && !a->cli && authz_is_regional(a->org_type) &&
        org_id != a->org_id) {
        const char *hide[] = {"contact", "phone", "fax", "email"};
        for (int i = 0; i < 4; i++)
            json_object_set_new(*out, hide[i], json_null());
    }
    return st;
}

/* ---- 基础电信企业 ------------------------------------------------------- */

/* The ministry and support center see every organisation; an authority those of its region. */
static int
org_visible(const actor_t *a, const pilot_org_t *o)
{
    return pilot_sees_all(a) ||
           (a->org_type == ORG_COMM_ADMIN && strncmp(o->region, a->region, 2) == 0) ||
           o->id == a->org_id ||
           (authz_is_regional(a->org_type) &&
            strncmp(o->region, a->region, a->org_type == ORG_CITY ? 4 : 2) == 0);
}

/* Mark o (or unmark it) once the caller may: in the caller's transaction, with its audit entry. */
static cy_status_t
telecom_mark(store_conn_t *c, const actor_t *a, int64_t now, const pilot_org_t *o, int on,
             cy_error_t *err)
{
    if (!a->cli && !authz_allowed(a->org_type, a->role, ACT_TELECOM_FLAG))
        return pilot_forbidden(err, "基础电信企业由工业和信息化部、支撑平台或省通信管理局认定",
                               "the ministry, the support center or the province's "
                               "communications administration marks telecom operators");
    if (o->type != ORG_ENTERPRISE && o->type != ORG_SERVICE_ORG)
        return cy_error_set(err, CY_EINVAL, "telecom_type", "telecom_operator",
                            "只有企业可以标记为基础电信企业 / only an enterprise can be a telecom "
                            "operator");
    store_param_t p[] = {STORE_P_INT(on ? 1 : 0), STORE_P_INT(o->id)};
    cy_status_t st = store_exec(c, "UPDATE organisation SET telecom_operator = $1 WHERE id = $2", p,
                                2, NULL, err);
    char oid[24];
    snprintf(oid, sizeof oid, "%" PRId64, o->id);
    if (st == CY_OK)
        st =
            app_audit_append(c, a, now, "org.telecom", "organisation", oid, err,
                             "%s%s基础电信企业 / %s %s a telecom operator", o->name,
                             on ? "认定为" : "不再认定为", o->name, on ? "marked as" : "no longer");
    return st;
}

cy_status_t
app_telecom_set(app_t *app, const actor_t *a, int64_t now, int64_t org_id, int on, json_t **out,
                cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_org_t o;
    int found = 0;
    st = pilot_org_get(c, org_id, &o, &found, err);
    if (st == CY_OK && !(found && org_visible(a, &o)))
        st = cy_error_set(err, CY_ENOTFOUND, "not_found", "id",
                          "机构 %" PRId64 " 不存在 / organisation %" PRId64 " not found", org_id,
                          org_id);
    if (st == CY_OK)
        st = telecom_mark(c, a, now, &o, on, err);
    if (st == CY_OK)
        *out = json_pack("{s:I, s:s, s:b}", "org_id", (json_int_t)o.id, "name", o.name,
                         "telecom_operator", on);
    return store_tx_close(app->store, c, st, err);
}

/* The organisation registered with uscc, for the demo file at path. */
static cy_status_t
demo_org(app_t *app, const char *path, const char *uscc, int64_t *id, cy_error_t *err)
{
    store_conn_t *c;
    int found = 0;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_TEXT(uscc)};
    st = store_query_int(c, "SELECT id FROM organisation WHERE uscc = $1", p, 1, id, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && !found)
        st = cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                          "%s：没有统一社会信用代码为 %s 的演示机构 / %s: no demo organisation "
                          "with USCC %s",
                          path, uscc, path, uscc);
    return st;
}

cy_status_t
app_pilot_demo_load(app_t *app, const actor_t *op, int64_t now, const char *path, cy_error_t *err)
{
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL)
        return cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                            "演示数据 %s 第 %d 行：%s / demo data %s line %d: %s", path, je.line,
                            je.text, path, je.line, je.text);
    cy_status_t st = CY_OK;
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(doc, "telecom_operators"), i, u)
    {
        const char *uscc = json_string_value(u);
        int64_t id = 0;
        json_t *out = NULL;
        if (uscc == NULL)
            st = cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                              "%s telecom_operators[%zu] 应为统一社会信用代码 / %s "
                              "telecom_operators[%zu] must be a USCC",
                              path, i, path, i);
        if (st == CY_OK)
            st = demo_org(app, path, uscc, &id, err);
        if (st == CY_OK)
            st = app_telecom_set(app, op, now, id, 1, &out, err);
        json_decref(out);
        if (st != CY_OK)
            break;
    }
    json_decref(doc);
    return st;
}
