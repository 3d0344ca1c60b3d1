/*
 * org.c — organisation use cases: create, update, get, list. Rules come from
 * core/ (USCC, reference lookups, authorisation); each write is one
 * transaction with its audit entry. Depends on core/ and store/.
 */
#include "app/identity/org.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "core/contact.h"
#include "core/uscc.h"
#include "core/utf8.h"

static const char *const NATURES[] = {
    "public_institution", "state_owned",        "private", "joint_venture",
    "state_controlled",   "state_participated", "other",   NULL};

#define ORG_COLS                                                                                   \
    "id, name, type, uscc, uscc_warning, region_code, province_code, city_code, "                  \
    "industry_section, industry_division, nature, nature_other, founded_on, "                      \
    "registered_capital_fen, address, contact, phone, fax, email, licence_no, created_at, "        \
    "updated_at"

static void
org_from_row(app_t *app, store_rows_t *r, org_t *o)
{
    memset(o, 0, sizeof *o);
    o->id = store_rows_int(r, 0);
    store_rows_copy(r, 1, o->name, sizeof o->name);
    authz_org_type_parse(store_rows_text(r, 2), &o->type);
    store_rows_copy(r, 3, o->uscc, sizeof o->uscc);
    store_rows_copy(r, 4, o->uscc_warning, sizeof o->uscc_warning);
    store_rows_copy(r, 5, o->region_code, sizeof o->region_code);
    store_rows_copy(r, 6, o->province_code, sizeof o->province_code);
    store_rows_copy(r, 7, o->city_code, sizeof o->city_code);
    store_rows_copy(r, 8, o->industry_section, sizeof o->industry_section);
    store_rows_copy(r, 9, o->industry_division, sizeof o->industry_division);
    store_rows_copy(r, 10, o->nature, sizeof o->nature);
    store_rows_copy(r, 11, o->nature_other, sizeof o->nature_other);
    store_rows_copy(r, 12, o->founded_on, sizeof o->founded_on);
    o->registered_capital_fen = store_rows_isnull(r, 13) ? -1 : store_rows_int(r, 13);
    store_rows_copy(r, 14, o->address, sizeof o->address);
    store_rows_copy(r, 15, o->contact, sizeof o->contact);
    store_rows_copy(r, 16, o->phone, sizeof o->phone);
    store_rows_copy(r, 17, o->fax, sizeof o->fax);
    store_rows_copy(r, 18, o->email, sizeof o->email);
    store_rows_copy(r, 19, o->licence_no, sizeof o->licence_no);
    store_rows_copy(r, 20, o->created_at, sizeof o->created_at);
    store_rows_copy(r, 21, o->updated_at, sizeof o->updated_at);
    const ref_region_t *reg = ref_region_find(app->ref, o->region_code);
    if (reg == NULL)
        reg = ref_region_city_of(app->ref, o->region_code);
    if (reg == NULL)
        reg = ref_region_province_of(app->ref, o->region_code);
    snprintf(o->region_name, sizeof o->region_name, "%s", reg ? reg->name : "");
}

/* ---------- scope ---------- */

/* What the actor may see: everything, a region prefix, or its own organisation. */
typedef struct {
    int all;
    char prefix[7];
} scope_t;

static void
scope_of(const actor_t *a, scope_t *s)
{
    s->all = a->cli || authz_sees_all(a->org_type);
    authz_region_prefix(a->org_type, a->region, s->prefix);
}

static int
org_visible(const actor_t *a, const org_t *o)
{
    scope_t s;
    scope_of(a, &s);
    return s.all || o->id == a->org_id ||
           (s.prefix[0] && strncmp(o->region_code, s.prefix, strlen(s.prefix)) == 0);
}

/* ---------- validation ---------- */

static cy_status_t
set_text(char *dst, size_t cap, const char *src, const char *field, cy_error_t *err)
{
    size_t n = strlen(src);
    if (n >= cap)
        return cy_error_set(
            err, CY_EINVAL, "too_long", field,
            "%s 过长（%zu 字节，上限 %zu） / %s is too long (%zu bytes, at most %zu)", field, n,
            cap - 1, field, n, cap - 1);
    if (!utf8_valid(src, n, NULL))
        return cy_error_set(err, CY_EINVAL, "utf8_invalid", field,
                            "%s 不是有效的 UTF-8 / %s is not valid UTF-8", field, field);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)src[i] < 0x20)
            return cy_error_set(err, CY_EINVAL, "control_char", field,
                                "%s 含有控制字符 / %s contains a control character", field, field);
    memcpy(dst, src, n + 1);
    return CY_OK;
}

/* Apply the fields present in in onto o (creating: every required one must be there). */
static cy_status_t
apply_input(org_t *o, const org_input_t *in, int creating, cy_error_t *err)
{
    struct {
        const char *val;
        char *dst;
        size_t cap;
        const char *field;
        int required;
    } texts[] = {
        {in->name, o->name, sizeof o->name, "name", 1},
        {in->uscc, o->uscc, sizeof o->uscc, "uscc", 1},
        {in->region_code, o->region_code, sizeof o->region_code, "region_code", 1},
        {in->industry_section, o->industry_section, sizeof o->industry_section, "industry_section",
         0},
        {in->industry_division, o->industry_division, sizeof o->industry_division,
         "industry_division", 0},
        {in->nature, o->nature, sizeof o->nature, "nature", 1},
        {in->nature_other, o->nature_other, sizeof o->nature_other, "nature_other", 0},
        {in->founded_on, o->founded_on, sizeof o->founded_on, "founded_on", 0},
        {in->address, o->address, sizeof o->address, "address", 0},
        {in->contact, o->contact, sizeof o->contact, "contact", 0},
        {in->phone, o->phone, sizeof o->phone, "phone", 0},
        {in->fax, o->fax, sizeof o->fax, "fax", 0},
        {in->email, o->email, sizeof o->email, "email", 0},
        {in->licence_no, o->licence_no, sizeof o->licence_no, "licence_no", 0},
    };
    if (!creating && (in->uscc != NULL || in->type != NULL))
        return cy_error_set(err, CY_EINVAL, "immutable", in->uscc ? "uscc" : "type",
                            "统一社会信用代码和机构类型注册后不能修改 / the USCC and the type "
                            "cannot change after registration");
    if (creating) {
        if (in->type == NULL)
            return cy_error_set(err, CY_EINVAL, "missing_field", "type",
                                "缺少机构类型 / type is required");
        if (authz_org_type_parse(in->type, &o->type) != 0)
            return cy_error_set(err, CY_EINVAL, "type_unknown", "type",
                                "未知的机构类型 %s / unknown organisation type %s", in->type,
                                in->type);
    }
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (texts[i].val == NULL) {
            if (creating && texts[i].required)
                return cy_error_set(err, CY_EINVAL, "missing_field", texts[i].field,
                                    "缺少字段 %s / %s is required", texts[i].field, texts[i].field);
            continue;
        }
        cy_status_t st = set_text(texts[i].dst, texts[i].cap, texts[i].val, texts[i].field, err);
        if (st != CY_OK)
            return st;
    }
    if (in->has_capital)
        o->registered_capital_fen = in->registered_capital_fen;
    else if (creating)
        o->registered_capital_fen = -1;
    return CY_OK;
}

/* Check the whole organisation and derive province, city and the USCC warning. */
static cy_status_t
validate(app_t *app, org_t *o, cy_error_t *err)
{
    if (o->name[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", "name",
                            "机构全称不能为空 / name must not be empty");
    uscc_info_t info;
    cy_status_t st = uscc_check(o->uscc, &info, err);
    if (st != CY_OK)
        return st;
    st = uscc_legal_person(&info, err);
    if (st != CY_OK)
        return st;
    snprintf(o->uscc, sizeof o->uscc, "%s", info.code);
    o->uscc_warning[0] = '\0';
    if (!info.orgcode_ok)
        snprintf(o->uscc_warning, sizeof o->uscc_warning,
                 "内嵌组织机构代码 %s 校验位不符（GB 11714），请核实 / the embedded organisation "
                 "code %s fails its GB 11714 check digit: please verify",
                 info.orgcode, info.orgcode);

    if (!ref_region_code_ok(o->region_code))
        return cy_error_set(err, CY_EINVAL, "region_invalid", "region_code",
                            "行政区划代码应为 6 位数字 / region_code must be 6 digits");
    const ref_region_t *prov = ref_region_province_of(app->ref, o->region_code);
    if (prov == NULL)
        return cy_error_set(err, CY_EINVAL, "region_unknown", "region_code",
                            "未知的行政区划代码 %s / unknown region code %s", o->region_code,
                            o->region_code);
    const ref_region_t *city = ref_region_city_of(app->ref, o->region_code);
    const ref_region_t *exact = ref_region_find(app->ref, o->region_code);
    if ((o->type == ORG_PROVINCE || o->type == ORG_COMM_ADMIN) &&
        (exact == NULL || exact->level != 1))
        return cy_error_set(err, CY_EINVAL, "region_level", "region_code",
                            "省级主管部门的行政区划应为省级代码（如 440000） / a provincial "
                            "authority's region must be a province-level code (e.g. 440000)");
    if (o->type == ORG_CITY && (city == NULL || strcmp(city->code, o->region_code) != 0))
        return cy_error_set(err, CY_EINVAL, "region_level", "region_code",
                            "地市主管部门的行政区划应为地级市代码（如 440100） / a city "
                            "authority's region must be a prefecture-level code (e.g. 440100)");
    snprintf(o->province_code, sizeof o->province_code, "%s", prov->code);
    snprintf(o->city_code, sizeof o->city_code, "%s", city ? city->code : "");
    snprintf(o->region_name, sizeof o->region_name, "%s",
             exact  ? exact->name
             : city ? city->name
                    : prov->name);

    if (o->industry_division[0] && !o->industry_section[0])
        return cy_error_set(err, CY_EINVAL, "missing_field", "industry_section",
                            "填写行业大类时须同时填写门类 / industry_section is required with "
                            "industry_division");
    if (o->industry_section[0]) {
        const ref_industry_t *sec = ref_industry_find(app->ref, o->industry_section);
        if (sec == NULL || sec->level != 1)
            return cy_error_set(err, CY_EINVAL, "industry_unknown", "industry_section",
                                "未知的国民经济行业门类 %s / unknown GB/T 4754 section %s",
                                o->industry_section, o->industry_section);
    }
    if (o->industry_division[0]) {
        const ref_industry_t *div = ref_industry_find(app->ref, o->industry_division);
        if (div == NULL || div->level != 2)
            return cy_error_set(err, CY_EINVAL, "industry_unknown", "industry_division",
                                "未知的行业大类 %s / unknown GB/T 4754 division %s",
                                o->industry_division, o->industry_division);
        if (div->section != o->industry_section[0])
            return cy_error_set(err, CY_EINVAL, "industry_mismatch", "industry_division",
                                "行业大类 %s 不属于门类 %s / division %s is not in section %s",
                                o->industry_division, o->industry_section, o->industry_division,
                                o->industry_section);
    }

    int nature_ok = 0;
    for (int i = 0; NATURES[i]; i++)
        nature_ok |= strcmp(NATURES[i], o->nature) == 0;
    if (!nature_ok)
        return cy_error_set(err, CY_EINVAL, "nature_unknown", "nature",
                            "单位性质应为 public_institution、state_owned、private、"
                            "joint_venture、state_controlled、state_participated 或 other / "
                            "nature must be one of public_institution, state_owned, private, "
                            "joint_venture, state_controlled, state_participated, other");
    if (strcmp(o->nature, "other") == 0 && o->nature_other[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", "nature_other",
                            "单位性质为“其他”时请注明 / nature_other is required when nature is "
                            "other");
    if (strcmp(o->nature, "other") != 0)
        o->nature_other[0] = '\0';

    if (o->founded_on[0]) {
        int64_t t;
        if (strlen(o->founded_on) != 10 || bjtime_parse(o->founded_on, &t, NULL) != CY_OK)
            return cy_error_set(err, CY_EINVAL, "date_invalid", "founded_on",
                                "成立时间应为 YYYY-MM-DD 的有效日期 / founded_on must be a valid "
                                "date YYYY-MM-DD");
        if (t > app_now())
            return cy_error_set(err, CY_EINVAL, "date_future", "founded_on",
                                "成立时间不能晚于今天 / founded_on cannot be in the future");
    }
    if (o->registered_capital_fen < -1)
        return cy_error_set(err, CY_EINVAL, "capital_negative", "registered_capital_fen",
                            "注册资本不能为负 / registered capital cannot be negative");
    if ((st = contact_email_check(o->email, "email", err)) != CY_OK ||
        (st = contact_phone_check(o->phone, "phone", err)) != CY_OK ||
        (st = contact_phone_check(o->fax, "fax", err)) != CY_OK)
        return st;
    if (o->type == ORG_INSURER && o->licence_no[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "licence_required", "licence_no",
                            "保险机构须填写保险业务许可证号 / an insurer needs its insurance "
                            "licence number");
    return CY_OK;
}

/* ---------- reading ---------- */

static cy_status_t
load_org(app_t *app, store_conn_t *c, int64_t id, org_t *o, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st =
        store_query(c, "SELECT " ORG_COLS " FROM organisation WHERE id = $1", p, 1, &r, err);
    if (st != CY_OK)
        return st;
    *found = store_rows_next(r, err) == 1;
    if (*found)
        org_from_row(app, r, o);
    store_rows_free(r);
    return CY_OK;
}

static void
hide_contacts(const actor_t *a, org_t *o)
{
    /* regional authorities see other organisations without personal contact data */
    if (!a->cli && authz_is_regional(a->org_type) && o->id != a->org_id) {
        o->contacts_hidden = 1;
        o->contact[0] = o->phone[0] = o->fax[0] = o->email[0] = '\0';
    }
}

static cy_status_t
not_found(int64_t id, cy_error_t *err)
{
    return cy_error_set(err, CY_ENOTFOUND, "not_found", "id",
                        "机构 %" PRId64 " 不存在 / organisation %" PRId64 " not found", id, id);
}

cy_status_t
app_org_get(app_t *app, const actor_t *actor, int64_t id, org_t *out, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    st = load_org(app, c, id, out, &found, err);
    store_release(app->store, c);
    if (st != CY_OK)
        return st;
    if (!found || !org_visible(actor, out))
        return not_found(id, err);
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_ORG_READ))
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL, "无权查看机构 / not allowed");
    hide_contacts(actor, out);
    return CY_OK;
}

cy_status_t
app_org_list(app_t *app, const actor_t *actor, const org_filter_t *f, org_fn fn, void *arg,
             int64_t *next, cy_error_t *err)
{
    *next = 0;
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_ORG_DIRECTORY))
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "无权查看机构名录 / not allowed to list organisations");
    org_type_t t;
    if (f->type != NULL && authz_org_type_parse(f->type, &t) != 0)
        return cy_error_set(err, CY_EINVAL, "type_unknown", "type",
                            "未知的机构类型 %s / unknown organisation type %s", f->type, f->type);
    if (f->region != NULL) {
        size_t n = strlen(f->region);
        if (n < 2 || n > 6 || strspn(f->region, "0123456789") != n)
            return cy_error_set(err, CY_EINVAL, "region_invalid", "region",
                                "region 应为 2–6 位数字的区划代码前缀 / region must be a code "
                                "prefix of 2–6 digits");
    }
    int limit = f->limit < 1 || f->limit > 200 ? 50 : f->limit;
    scope_t s;
    scope_of(actor, &s);
    /* authorities list their scope; everyone else can "list" only their own organisation */
    char region_like[8], scope_like[8];
    snprintf(region_like, sizeof region_like, "%s%%", f->region ? f->region : "");
    snprintf(scope_like, sizeof scope_like, "%s%%", s.prefix);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(f->cursor),     STORE_P_INT(s.all),
                         STORE_P_INT(actor->org_id), STORE_P_INT(s.prefix[0] != '\0'),
                         STORE_P_TEXT(scope_like),   STORE_P_TEXT(f->type),
                         STORE_P_TEXT(region_like),  STORE_P_INT(limit + 1)};
    store_rows_t *r;
    st = store_query(c,
                     "SELECT " ORG_COLS " FROM organisation WHERE id > $1 "
                     "AND ($2 = 1 OR id = $3 OR ($4 = 1 AND region_code LIKE $5)) "
                     "AND (CAST($6 AS TEXT) IS NULL OR type = $6) AND region_code LIKE $7 "
                     "ORDER BY id LIMIT $8",
                     p, 8, &r, err);
    if (st == CY_OK) {
        int n = 0, k;
        org_t o;
        while ((k = store_rows_next(r, err)) == 1) {
            org_from_row(app, r, &o);
            if (n == limit) {
                *next = o.id - 1; /* the next page starts at this row */
                break;
            }
            hide_contacts(actor, &o);
            fn(&o, arg);
            n++;
        }
        if (k < 0)
            st = err->status;
        store_rows_free(r);
    }
    store_release(app->store, c);
    return st;
}

cy_status_t
app_org_find_uscc(app_t *app, const char *uscc, int64_t *id, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_TEXT(uscc)};
    int found = 0;
    st = store_query_int(c, "SELECT id FROM organisation WHERE uscc = $1", p, 1, id, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && !found)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "uscc",
                            "没有统一社会信用代码为 %s 的机构 / no organisation with USCC %s", uscc,
                            uscc);
    return st;
}

/* ---------- writing ---------- */

typedef struct {
    app_t *app;
    const actor_t *actor;
    const org_input_t *in;
    int64_t id; /* 0: create */
    org_t *out;
} org_write_t;

static cy_status_t
store_org(store_conn_t *c, org_t *o, int creating, cy_error_t *err)
{
    char now[32];
    app_now_iso(now);
    if (creating)
        snprintf(o->created_at, sizeof o->created_at, "%s", now);
    snprintf(o->updated_at, sizeof o->updated_at, "%s", now);
#define OPT(s) ((s)[0] ? STORE_P_TEXT(s) : STORE_P_NULL)
    store_param_t p[] = {
        STORE_P_TEXT(o->name),
        STORE_P_TEXT(authz_org_type_name(o->type)),
        STORE_P_TEXT(o->uscc),
        OPT(o->uscc_warning),
        STORE_P_TEXT(o->region_code),
        STORE_P_TEXT(o->province_code),
        OPT(o->city_code),
        OPT(o->industry_section),
        OPT(o->industry_division),
        STORE_P_TEXT(o->nature),
        OPT(o->nature_other),
        OPT(o->founded_on),
        o->registered_capital_fen >= 0 ? STORE_P_INT(o->registered_capital_fen) : STORE_P_NULL,
        STORE_P_TEXT(o->address),
        STORE_P_TEXT(o->contact),
        STORE_P_TEXT(o->phone),
        STORE_P_TEXT(o->fax),
        STORE_P_TEXT(o->email),
        OPT(o->licence_no),
        STORE_P_TEXT(o->created_at),
        STORE_P_TEXT(o->updated_at),
        STORE_P_INT(o->id),
    };
#undef OPT
    cy_status_t st;
    if (creating) {
        st = store_exec(c,
                        "INSERT INTO organisation (name, type, uscc, uscc_warning, region_code, "
                        "province_code, city_code, industry_section, industry_division, nature, "
                        "nature_other, founded_on, registered_capital_fen, address, contact, "
                        "phone, fax, email, licence_no, created_at, updated_at) VALUES ($1, $2, "
                        "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
                        "$18, $19, $20, $21)",
                        p, 21, NULL, err);
        if (st == CY_ECONFLICT)
            return cy_error_set(err, CY_ECONFLICT, "uscc_taken", "uscc",
                                "统一社会信用代码 %s 已注册 / USCC %s is already registered",
                                o->uscc, o->uscc);
        if (st != CY_OK)
            return st;
        store_param_t q[] = {STORE_P_TEXT(o->uscc)};
        return store_query_int(c, "SELECT id FROM organisation WHERE uscc = $1", q, 1, &o->id, NULL,
                               err);
    }
    return store_exec(c,
                      "UPDATE organisation SET name = $1, uscc_warning = $4, region_code = $5, "
                      "province_code = $6, city_code = $7, industry_section = $8, "
                      "industry_division = $9, nature = $10, nature_other = $11, founded_on = "
                      "$12, registered_capital_fen = $13, address = $14, contact = $15, phone = "
                      "$16, fax = $17, email = $18, licence_no = $19, updated_at = $21 WHERE id = "
                      "$22",
                      p, 22, NULL, err);
}

static cy_status_t
org_write_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    org_write_t *w = arg;
    org_t *o = w->out;
    int creating = w->id == 0;
    cy_status_t st;
    if (creating) {
        memset(o, 0, sizeof *o);
    } else {
        int found = 0;
        st = load_org(w->app, c, w->id, o, &found, err);
        if (st != CY_OK)
            return st;
        if (!found || !org_visible(w->actor, o))
            return not_found(w->id, err);
        /* an admin changes its own organisation; the operators change any */
        if (!w->actor->cli && (!authz_allowed(w->actor->org_type, w->actor->role, ACT_ORG_UPDATE) ||
                               (!authz_sees_all(w->actor->org_type) && o->id != w->actor->org_id)))
            return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                                "无权修改该机构 / not allowed to change this organisation");
    }
    if ((st = apply_input(o, w->in, creating, err)) != CY_OK ||
        (st = validate(w->app, o, err)) != CY_OK || (st = store_org(c, o, creating, err)) != CY_OK)
        return st;
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, o->id);
    if (creating)
        return app_audit_append(c, w->actor, app_now(), "org.create", "organisation", id, err,
                                "登记机构 %s（%s，%s） / registered organisation %s (%s, %s)",
                                o->name, authz_org_type_name(o->type), o->uscc, o->name,
                                authz_org_type_name(o->type), o->uscc);
    return app_audit_append(c, w->actor, app_now(), "org.update", "organisation", id, err,
                            "修改机构 %s 的信息 / updated organisation %s", o->name, o->name);
}

cy_status_t
app_org_create(app_t *app, const actor_t *actor, const org_input_t *in, org_t *out, cy_error_t *err)
{
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_ORG_CREATE))
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "无权登记机构 / not allowed to register organisations");
    org_write_t w = {app, actor, in, 0, out};
    return store_tx(app->store, org_write_tx, &w, err);
}

cy_status_t
app_org_update(app_t *app, const actor_t *actor, int64_t id, const org_input_t *in, org_t *out,
               cy_error_t *err)
{
    org_write_t w = {app, actor, in, id, out};
    cy_status_t st = store_tx(app->store, org_write_tx, &w, err);
    if (st == CY_OK)
        hide_contacts(actor, out);
    return st;
}
