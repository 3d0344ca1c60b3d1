/*
 * pilot_common.c — what the pilot's use cases share (pilot_internal.h):
 * organisations as the rules see them, the authority at a route stop, the
 * form checker, JSON rows from SQL, the units of a document with their
 * confirmations (真实性承诺 and 申报主体责任声明), the 申报方向, extensions.
 * Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "core/uscc.h"
#include "core/utf8.h"
#include "core/zishu.h"

/* ---- organisations ------------------------------------------------------ */

#define ORG_COLS                                                                                   \
    "id, name, type, uscc, region_code, province_code, city_code, licence_no, nature, "            \
    "telecom_operator"

static void
org_from_row(store_rows_t *r, pilot_org_t *o)
{
    memset(o, 0, sizeof *o);
    o->id = store_rows_int(r, 0);
    const char *t;
    snprintf(o->name, sizeof o->name, "%s", (t = store_rows_text(r, 1)) ? t : "");
    authz_org_type_parse(store_rows_text(r, 2), &o->type);
    snprintf(o->uscc, sizeof o->uscc, "%s", (t = store_rows_text(r, 3)) ? t : "");
    snprintf(o->region, sizeof o->region, "%s", (t = store_rows_text(r, 4)) ? t : "");
    snprintf(o->province, sizeof o->province, "%s", (t = store_rows_text(r, 5)) ? t : "");
    snprintf(o->city, sizeof o->city, "%s", (t = store_rows_text(r, 6)) ? t : "");
    snprintf(o->licence, sizeof o->licence, "%s", (t = store_rows_text(r, 7)) ? t : "");
    snprintf(o->nature, sizeof o->nature, "%s", (t = store_rows_text(r, 8)) ? t : "");
    o->telecom = store_rows_int(r, 9) != 0;
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
    if (st != CY_OK)
        return st;
    if (!found) {
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
    return CY_OK;
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

void
pilot_iso(int64_t t, char buf[32])
{
    utc_format_iso(t, buf);
}

void
pilot_bj(const char *iso, char buf[32])
{
    int64_t t;
    if (iso == NULL || bjtime_parse(iso, &t, NULL) != CY_OK) {
        snprintf(buf, 32, "%s", iso ? iso : "");
        return;
    }
    bjtime_format(t, buf);
}

/* ---- the form checker --------------------------------------------------- */

static cy_status_t
pf_text(json_t *v, const pf_field_t *f, const char *path, cy_error_t *err)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n > f->max)
        return cy_error_set(err, CY_EINVAL, "too_long", path,
                            "%s 过长（%zu 字节，上限 %zu） / %s is too long (%zu bytes, at most "
                            "%zu)",
                            path, n, f->max, path, n, f->max);
    size_t bad;
    if (!utf8_valid(s, n, &bad))
        return cy_error_set(err, CY_EINVAL, "utf8_invalid", path,
                            "%s 在第 %zu 字节处不是有效的 UTF-8 / %s is not valid UTF-8 at byte "
                            "%zu",
                            path, bad, path, bad);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        int allowed = f->kind == 'l' && (ch == '\n' || ch == '\r' || ch == '\t');
        if ((ch < 0x20 && !allowed) || ch == 0x7f)
            return cy_error_set(err, CY_EINVAL, "control_char", path,
                                "%s 含有控制字符 / %s contains a control character", path, path);
    }
    return CY_OK;
}

static const char *
kind_zh(char k)
{
    switch (k) {
    case 's':
    case 'l':
        return "字符串";
    case 'i':
        return "整数";
    case 'b':
        return "布尔值";
    case 'o':
        return "对象";
    default:
        return "数组";
    }
}

static const char *
kind_en(char k)
{
    switch (k) {
    case 's':
    case 'l':
        return "a string";
    case 'i':
        return "an integer";
    case 'b':
        return "a boolean";
    case 'o':
        return "an object";
    default:
        return "an array";
    }
}

static cy_status_t
pf_value(const pf_field_t *f, json_t *v, const char *path, cy_error_t *err)
{
    if (json_is_null(v))
        return CY_OK;
    int ok;
    switch (f->kind) {
    case 's':
    case 'l':
        ok = json_is_string(v);
        break;
    case 'i':
        ok = json_is_integer(v);
        break;
    case 'b':
        ok = json_is_boolean(v);
        break;
    case 'o':
        ok = json_is_object(v);
        break;
    default:
        ok = json_is_array(v);
        break;
    }
    if (!ok)
        return cy_error_set(err, CY_EBADREQ, "wrong_type", path, "%s 应为%s / %s must be %s", path,
                            kind_zh(f->kind), path, kind_en(f->kind));
    if (f->kind == 's' || f->kind == 'l')
        return pf_text(v, f, path, err);
    if (f->kind == 'o')
        return pf_check(f->sub, v, path, err);
    if (f->kind == 'a' || f->kind == 't') {
        if (json_array_size(v) > f->max)
            return cy_error_set(err, CY_EINVAL, "too_many_items", path,
                                "%s 最多 %zu 项（当前 %zu 项） / %s holds at most %zu items (%zu "
                                "given)",
                                path, f->max, json_array_size(v), path, f->max, json_array_size(v));
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            char ipath[360];
            snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
            if (f->kind == 'a') {
                if (!json_is_object(item))
                    return cy_error_set(err, CY_EBADREQ, "wrong_type", ipath,
                                        "%s 应为对象 / %s must be an object", ipath, ipath);
                cy_status_t st = pf_check(f->sub, item, ipath, err);
                if (st != CY_OK)
                    return st;
            } else {
                pf_field_t line = {NULL, 's', 400, NULL};
                if (!json_is_string(item))
                    return cy_error_set(err, CY_EBADREQ, "wrong_type", ipath,
                                        "%s 应为字符串 / %s must be a string", ipath, ipath);
                cy_status_t st = pf_text(item, &line, ipath, err);
                if (st != CY_OK)
                    return st;
            }
        }
    }
    return CY_OK;
}

cy_status_t
pf_check(const pf_field_t *spec, json_t *obj, const char *base, cy_error_t *err)
{
    if (!json_is_object(obj))
        return cy_error_set(err, CY_EBADREQ, "wrong_type", base[0] ? base : "body",
                            "%s 应为对象 / %s must be an object", base[0] ? base : "body",
                            base[0] ? base : "body");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        char path[320];
        if (base[0])
            snprintf(path, sizeof path, "%s.%s", base, key);
        else
            snprintf(path, sizeof path, "%s", key);
        const pf_field_t *f = spec;
        while (f->name != NULL && strcmp(f->name, key) != 0)
            f++;
        if (f->name == NULL)
            return cy_error_set(err, CY_EBADREQ, "unknown_field", path,
                                "未知字段 %s / unknown field %s", path, path);
        cy_status_t st = pf_value(f, v, path, err);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

const char *
pf_str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

size_t
pf_zishu(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    size_t n = 0;
    if (json_is_string(v))
        zishu_count(json_string_value(v), json_string_length(v), &n, NULL);
    return n;
}

size_t
pf_len(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_array(v) ? json_array_size(v) : 0;
}

void
pf_drop_nulls(json_t *obj)
{
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(obj, tmp, key, v)
    {
        if (json_is_null(v))
            json_object_del(obj, key);
    }
}

cy_status_t
pf_require(json_t *obj, const char *key, const char *field, const char *label_zh,
           const char *label_en, cy_error_t *err)
{
    const char *s = pf_str(obj, key);
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    if (*s != '\0')
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "missing_field", field, "请填写%s / %s is required",
                        label_zh, label_en);
}

/* ---- JSON rows ---------------------------------------------------------- */

json_t *
pilot_row_json(store_rows_t *r, const pcol_t *cols)
{
    json_t *o = json_object();
    for (int i = 0; cols[i].name != NULL; i++) {
        const char *t = store_rows_text(r, i);
        json_t *v;
        switch (cols[i].kind) {
        case 'i':
            v = json_integer(store_rows_int(r, i));
            break;
        case 'I':
            v = t ? json_integer(store_rows_int(r, i)) : json_null();
            break;
        case 'b':
            v = json_boolean(store_rows_int(r, i) != 0);
            break;
        case 'n':
            v = t ? json_string(t) : json_null();
            break;
        case 'j':
            v = t ? json_loads(t, 0, NULL) : NULL;
            if (v == NULL)
                v = json_null();
            break;
        default:
            v = json_string(t ? t : "");
            break;
        }
        json_object_set_new(o, cols[i].name, v ? v : json_null());
    }
    return o;
}

cy_status_t
pilot_query_json(store_conn_t *c, const char *sql, const store_param_t *p, int n,
                 const pcol_t *cols, json_t *array, cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, n, &r, err);
    if (st != CY_OK)
        return st;
    int k;
    while ((k = store_rows_next(r, err)) == 1)
        json_array_append_new(array, pilot_row_json(r, cols));
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

cy_status_t
pilot_query_one(store_conn_t *c, const char *sql, const store_param_t *p, int n, const pcol_t *cols,
                json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, n, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1)
        *out = pilot_row_json(r, cols);
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

cy_status_t
pilot_insert(store_conn_t *c, const char *sql, const store_param_t *p, int n, int64_t *id,
             cy_error_t *err)
{
    return store_query_int(c, sql, p, n, id, NULL, err);
}

/* ---- refusals ----------------------------------------------------------- */

cy_status_t
pilot_forbidden(cy_error_t *err, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL, "%s / %s", zh, en);
}

cy_status_t
pilot_need(const actor_t *a, authz_action_t act, cy_error_t *err)
{
    if (authz_allowed(a->org_type, a->role, act))
        return CY_OK;
    return app_forbidden(err, act);
}

int
pilot_sees_all(const actor_t *a)
{
    return a->cli || authz_sees_all(a->org_type);
}

/* ---- units and confirmations -------------------------------------------- */

const pf_field_t pilot_unit_fields[] = {{"name", 's', 256, NULL},
                                        {"nature", 's', 32, NULL},
                                        {"nature_other", 's', 128, NULL},
                                        {"uscc", 's', 32, NULL},
                                        {NULL, 0, 0, NULL}};

static const char *const NATURES[] = {
    "public_institution", "state_owned",        "private", "joint_venture",
    "state_controlled",   "state_participated", "other",   NULL};

cy_status_t
pilot_check_joint_units(const app_t *app, const round_t *r, json_t *units, const char *lead_uscc,
                        cy_error_t *err)
{
    (void)app;
    size_t n = json_is_array(units) ? json_array_size(units) : 0;
    cy_status_t st = round_check_joint_units(r, n, "joint_units", err);
    if (st != CY_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        json_t *u = json_array_get(units, i);
        char field[64];
        snprintf(field, sizeof field, "joint_units[%zu].name", i);
        if ((st = pf_require(u, "name", field, "联合申报单位名称", "the joint unit's name", err)) !=
            CY_OK)
            return st;
        snprintf(field, sizeof field, "joint_units[%zu].nature", i);
        const char *nature = pf_str(u, "nature");
        int ok = 0;
        for (int k = 0; NATURES[k] != NULL; k++)
            ok |= strcmp(NATURES[k], nature) == 0;
        if (!ok)
            return cy_error_set(err, CY_EINVAL, "nature_unknown", field,
                                "联合申报单位的单位性质应为 public_institution、state_owned、"
                                "private、joint_venture、state_controlled、state_participated 或 "
                                "other / a joint unit's nature must be one of public_institution, "
                                "state_owned, private, joint_venture, state_controlled, "
                                "state_participated, other");
        if (strcmp(nature, "other") == 0 && pf_str(u, "nature_other")[0] == '\0') {
            snprintf(field, sizeof field, "joint_units[%zu].nature_other", i);
            return cy_error_set(err, CY_EINVAL, "missing_field", field,
                                "单位性质为“其他”时请注明 / nature_other is required when nature "
                                "is other");
        }
        snprintf(field, sizeof field, "joint_units[%zu].uscc", i);
        uscc_info_t info;
        cy_error_t uerr;
        if (uscc_check(pf_str(u, "uscc"), &info, &uerr) != CY_OK ||
            uscc_legal_person(&info, &uerr) != CY_OK) {
            *err = uerr;
            snprintf(err->field, sizeof err->field, "%s", field);
            return CY_EINVAL;
        }
        /* keep the code as GB 32100 writes it (upper case), so units match by USCC */
        json_object_set_new(u, "uscc", json_string(info.code));
        if (lead_uscc != NULL && strcmp(info.code, lead_uscc) == 0)
            return cy_error_set(err, CY_EINVAL, "unit_duplicate", field,
                                "牵头单位不能同时作为联合申报单位 / the lead cannot also be a "
                                "joint unit");
        for (size_t j = 0; j < i; j++) {
            uscc_info_t other;
            if (uscc_check(pf_str(json_array_get(units, j), "uscc"), &other, NULL) == CY_OK &&
                strcmp(other.code, info.code) == 0)
                return cy_error_set(
                    err, CY_EINVAL, "unit_duplicate", field,
                    "联合申报单位重复（与第 %zu 家相同） / the same joint unit twice "
                    "(as number %zu)",
                    j + 1, j + 1);
        }
    }
    return CY_OK;
}

cy_status_t
pilot_units_save(store_conn_t *c, const char *kind, int64_t doc_id, const pilot_org_t *lead,
                 json_t *joint_units, cy_error_t *err)
{
    store_param_t d[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id)};
    cy_status_t st =
        store_exec(c, "DELETE FROM pilot_unit WHERE kind = $1 AND doc_id = $2", d, 2, NULL, err);
    if (st != CY_OK)
        return st;
    store_param_t l[] = {STORE_P_TEXT(kind),       STORE_P_INT(doc_id),      STORE_P_INT(0),
                         STORE_P_TEXT(lead->uscc), STORE_P_TEXT(lead->name), STORE_P_INT(lead->id)};
    st = store_exec(c,
                    "INSERT INTO pilot_unit (kind, doc_id, seq, uscc, name, org_id) VALUES ($1, "
                    "$2, $3, $4, $5, $6)",
                    l, 6, NULL, err);
    size_t i;
    json_t *u;
    json_array_foreach(joint_units, i, u)
    {
        if (st != CY_OK)
            break;
        uscc_info_t info;
        if (uscc_check(pf_str(u, "uscc"), &info, NULL) != CY_OK)
            continue; /* refused before: drafts keep only what checks */
        pilot_org_t o;
        int found = 0;
        if ((st = pilot_org_by_uscc(c, info.code, &o, &found, err)) != CY_OK)
            break;
        store_param_t p[] = {STORE_P_TEXT(kind),
                             STORE_P_INT(doc_id),
                             STORE_P_INT((int64_t)i + 1),
                             STORE_P_TEXT(info.code),
                             STORE_P_TEXT(pf_str(u, "name")),
                             found ? STORE_P_INT(o.id) : STORE_P_NULL};
        st = store_exec(c,
                        "INSERT INTO pilot_unit (kind, doc_id, seq, uscc, name, org_id) VALUES "
                        "($1, $2, $3, $4, $5, $6)",
                        p, 6, NULL, err);
    }
    return st;
}

cy_status_t
pilot_units_json(store_conn_t *c, const char *kind, int64_t doc_id, json_t **out, cy_error_t *err)
{
    static const pcol_t cols[] = {{"seq", 'i'},
                                  {"uscc", 's'},
                                  {"name", 's'},
                                  {"org_id", 'I'},
                                  {"org_type", 'n'},
                                  {"licensed_insurer", 'b'},
                                  {"confirmed_at", 'n'},
                                  {"legal_representative", 'n'},
                                  {NULL, 0}};
    *out = json_array();
    store_param_t p[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id)};
    return pilot_query_json(
        c,
        "SELECT u.seq, u.uscc, u.name, u.org_id, o.type, "
        "CASE WHEN o.type = 'insurer' AND COALESCE(o.licence_no, '') <> '' THEN 1 ELSE 0 END, "
        "f.confirmed_at, f.legal_representative FROM pilot_unit u "
        "LEFT JOIN organisation o ON o.id = u.org_id "
        "LEFT JOIN pilot_confirmation f ON f.kind = u.kind AND f.doc_id = u.doc_id AND "
        "f.org_id = u.org_id WHERE u.kind = $1 AND u.doc_id = $2 ORDER BY u.seq",
        p, 2, cols, *out, err);
}

cy_status_t
pilot_check_confirmed(store_conn_t *c, const char *kind, int64_t doc_id, size_t *insurers,
                      cy_error_t *err)
{
    json_t *units;
    cy_status_t st = pilot_units_json(c, kind, doc_id, &units, err);
    if (st != CY_OK) {
        json_decref(units);
        return st;
    }
    size_t n_ins = 0, i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        int64_t seq = json_integer_value(json_object_get(u, "seq"));
        char field[64];
        snprintf(field, sizeof field, seq == 0 ? "lead" : "joint_units[%" PRId64 "].uscc", seq - 1);
        const char *name = pf_str(u, "name");
        if (json_is_null(json_object_get(u, "org_id"))) {
            st = cy_error_set(err, CY_EINVAL, "unit_unregistered", field,
                              "联合申报单位“%s”尚未在平台登记，无法由其管理员确认真实性承诺和责任"
                              "声明 / the joint unit \"%s\" is not registered on the platform, so "
                              "its admin cannot confirm its declarations",
                              name, name);
            break;
        }
        if (json_is_null(json_object_get(u, "confirmed_at"))) {
            st = cy_error_set(
                err, CY_EINVAL, "confirmation_missing", field,
                "“%s”的管理员尚未确认真实性承诺和申报主体责任声明 / \"%s\" has not "
                "confirmed its declarations (真实性承诺, 申报主体责任声明) through its "
                "admin",
                name, name);
            break;
        }
        if (json_is_true(json_object_get(u, "licensed_insurer")))
            n_ins++;
    }
    json_decref(units);
    if (insurers != NULL)
        *insurers = n_ins;
    return st;
}

cy_status_t
pilot_confirm(store_conn_t *c, const actor_t *a, const char *kind, int64_t doc_id,
              const char *legal_representative, int64_t now, cy_error_t *err)
{
    int64_t is_unit = 0;
    int found = 0;
    store_param_t p[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id), STORE_P_INT(a->org_id)};
    cy_status_t st = store_query_int(
        c, "SELECT 1 FROM pilot_unit WHERE kind = $1 AND doc_id = $2 AND org_id = $3", p, 3,
        &is_unit, &found, err);
    if (st != CY_OK)
        return st;
    if (!found)
        return pilot_forbidden(err, "只有申报单位本身可以确认其承诺和声明",
                               "only an applicant unit confirms its own declarations");
    if (!authz_allowed(a->org_type, a->role, ACT_UNIT_CONFIRM))
        return pilot_forbidden(err, "真实性承诺和申报主体责任声明须由本单位管理员确认",
                               "an applicant unit's declarations are confirmed by its admin");
    const char *lr = legal_representative ? legal_representative : "";
    while (*lr == ' ')
        lr++;
    if (*lr == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", "legal_representative",
                            "请填写法定代表人姓名 / the legal representative's name is required");
    if (strlen(lr) > 120)
        return cy_error_set(err, CY_EINVAL, "too_long", "legal_representative",
                            "法定代表人姓名过长 / the legal representative's name is too long");
    char ts[32];
    pilot_iso(now, ts);
    store_param_t d[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id), STORE_P_INT(a->org_id)};
    st = store_exec(
        c, "DELETE FROM pilot_confirmation WHERE kind = $1 AND doc_id = $2 AND org_id = $3", d, 3,
        NULL, err);
    if (st != CY_OK)
        return st;
    store_param_t q[] = {STORE_P_TEXT(kind),      STORE_P_INT(doc_id), STORE_P_INT(a->org_id),
                         STORE_P_INT(a->user_id), STORE_P_TEXT(lr),    STORE_P_TEXT(ts)};
    return store_exec(c,
                      "INSERT INTO pilot_confirmation (kind, doc_id, org_id, user_id, "
                      "legal_representative, confirmed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                      q, 6, NULL, err);
}

cy_status_t
pilot_confirm_clear(store_conn_t *c, const char *kind, int64_t doc_id, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id)};
    return store_exec(c, "DELETE FROM pilot_confirmation WHERE kind = $1 AND doc_id = $2", p, 2,
                      NULL, err);
}

cy_status_t
pilot_check_direction(const app_t *app, json_t *form, int required, cy_error_t *err)
{
    const char *dir = pf_str(form, "direction");
    if (dir[0] == '\0') {
        if (!required)
            return CY_OK;
        return cy_error_set(err, CY_EINVAL, "missing_field", "direction",
                            "请选择申报方向（企业类或产品服务类） / choose the direction: "
                            "enterprise or product_service");
    }
    if (strcmp(dir, "enterprise") == 0) {
        const char *ind = pf_str(form, "industry");
        if (ind[0] == '\0' && !required)
            return CY_OK;
        if (ref_target_industry_find(app->ref, ind) == NULL)
            return cy_error_set(
                err, CY_EINVAL, "industry_unknown", "industry",
                "企业类方案请注明行业领域（如 industrial_internet） / an enterprise "
                "scheme names its industry (e.g. industrial_internet)");
        if (pf_str(form, "product")[0] != '\0')
            return cy_error_set(err, CY_EINVAL, "direction_mixed", "product",
                                "企业类方案不填写产品类型 / an enterprise scheme has no product "
                                "type");
        return CY_OK;
    }
    if (strcmp(dir, "product_service") == 0) {
        const char *prod = pf_str(form, "product");
        if (prod[0] == '\0' && !required)
            return CY_OK;
        if (ref_product_class_find(app->ref, prod) == NULL)
            return cy_error_set(err, CY_EINVAL, "product_unknown", "product",
                                "产品服务类方案请注明产品类型（如 edr） / a product/service scheme "
                                "names its product type (e.g. edr)");
        if (pf_str(form, "industry")[0] != '\0')
            return cy_error_set(err, CY_EINVAL, "direction_mixed", "industry",
                                "产品服务类方案不填写行业领域 / a product/service scheme has no "
                                "industry");
        return CY_OK;
    }
    return cy_error_set(err, CY_EINVAL, "direction_unknown", "direction",
                        "申报方向应为 enterprise（企业类）或 product_service（产品服务类） / "
                        "direction must be enterprise or product_service");
}

cy_status_t
pilot_extension_until(store_conn_t *c, const char *round_id, round_deadline_t k, int64_t org_id,
                      int64_t granted_by, int64_t *until, int64_t *ext_id, cy_error_t *err)
{
    *until = 0;
    *ext_id = 0;
    store_param_t p[] = {STORE_P_TEXT(round_id), STORE_P_TEXT(round_deadline_key(k)),
                         STORE_P_INT(org_id), STORE_P_INT(granted_by)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT id, until_at FROM pilot_extension WHERE round_id = $1 "
                                 "AND deadline_key = $2 AND org_id = $3 AND granted_by_org_id = "
                                 "$4 ORDER BY until_at DESC, id DESC LIMIT 1",
                                 p, 4, &r, err);
    if (st != CY_OK)
        return st;
    int n = store_rows_next(r, err);
    if (n == 1) {
        *ext_id = store_rows_int(r, 0);
        *until = app_iso_to_time(store_rows_text(r, 1));
        if (*until < 0)
            *until = 0;
    }
    store_rows_free(r);
    return n < 0 ? err->status : CY_OK;
}

cy_status_t
pilot_read(app_t *app, pilot_tx_fn fn, void *arg, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = fn(c, arg, err);
    store_release(app->store, c);
    return st;
}
