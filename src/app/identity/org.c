/*
 * org.c — organisation use cases: create, update, get, list. Rules come from
 * core/ (USCC, reference lookups, authorisation); rows go through repo.c;
 * each write is one transaction with its audit entry. Depends on core/ and
 * store/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/identity/internal.h"
#include "core/bjtime.h"
#include "core/contact.h"
#include "core/uscc.h"
#include "core/utf8.h"

static const char *const NATURES[] = {
    "public_institution", "state_owned",        "private", "joint_venture",
    "state_controlled",   "state_participated", "other",   NULL};

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

/* Regional authorities see other organisations without their personal contact data. */
static void
hide_contacts(const actor_t *a, org_t *o)
{
    if (!a->cli && authz_is_regional(a->org_type) && o->id != a->org_id) {
        o->contacts_hidden = 1;
        o->contact[0] = o->phone[0] = o->fax[0] = o->email[0] = '\0';
    }
}

static cy_status_t
org_not_found(int64_t id, cy_error_t *err)
{
    return app_not_found(err, "机构", "organisation", id);
}

/* ---------- input ---------- */

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

/* The type: required when creating; an update may change it (who may: may_update). */
static cy_status_t
apply_type(org_t *o, const org_input_t *in, int creating, cy_error_t *err)
{
    if (in->type == NULL)
        return creating ? cy_error_set(err, CY_EINVAL, "missing_field", "type",
                                       "缺少机构类型 / type is required")
                        : CY_OK;
    if (authz_org_type_parse(in->type, &o->type) != 0)
        return cy_error_set(err, CY_EINVAL, "type_unknown", "type",
                            "未知的机构类型 %s / unknown organisation type %s", in->type, in->type);
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
    cy_status_t st = apply_type(o, in, creating, err);
    for (size_t i = 0; st == CY_OK && i < sizeof texts / sizeof texts[0]; i++) {
        if (texts[i].val != NULL)
            st = set_text(texts[i].dst, texts[i].cap, texts[i].val, texts[i].field, err);
        else if (creating && texts[i].required)
            st = cy_error_set(err, CY_EINVAL, "missing_field", texts[i].field,
                              "缺少字段 %s / %s is required", texts[i].field, texts[i].field);
    }
    if (st != CY_OK)
        return st;
    if (in->has_capital)
        o->registered_capital_fen = in->registered_capital_fen;
    else if (creating)
        o->registered_capital_fen = -1;
    return CY_OK;
}

/* ---------- validation ---------- */

/* The USCC checks and names a legal person; a failing embedded code is a warning. */
static cy_status_t
validate_uscc(org_t *o, cy_error_t *err)
{
    if (o->name[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", "name",
                            "机构全称不能为空 / name must not be empty");
    uscc_info_t info;
    cy_status_t st = uscc_check(o->uscc, &info, err);
    if (st == CY_OK)
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
    return CY_OK;
}

/* A known region of the right level for the type; derives province, city and the name. */
static cy_status_t
validate_region(const ref_data_t *ref, org_t *o, cy_error_t *err)
{
    if (!ref_region_code_ok(o->region_code))
        return cy_error_set(err, CY_EINVAL, "region_invalid", "region_code",
                            "行政区划代码应为 6 位数字 / region_code must be 6 digits");
    const ref_region_t *prov = ref_region_province_of(ref, o->region_code);
    if (prov == NULL)
        return cy_error_set(err, CY_EINVAL, "region_unknown", "region_code",
                            "未知的行政区划代码 %s / unknown region code %s", o->region_code,
                            o->region_code);
    const ref_region_t *city = ref_region_city_of(ref, o->region_code);
    const ref_region_t *exact = ref_region_find(ref, o->region_code);
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
    org_region_name(ref, o);
    return CY_OK;
}

/* A GB/T 4754 section, and a division of that section. */
static cy_status_t
validate_industry(const ref_data_t *ref, const org_t *o, cy_error_t *err)
{
    if (o->industry_division[0] && !o->industry_section[0])
        return cy_error_set(err, CY_EINVAL, "missing_field", "industry_section",
                            "填写行业大类时须同时填写门类 / industry_section is required with "
                            "industry_division");
    if (o->industry_section[0]) {
        const ref_industry_t *sec = ref_industry_find(ref, o->industry_section);
        if (sec == NULL || sec->level != 1)
            return cy_error_set(err, CY_EINVAL, "industry_unknown", "industry_section",
                                "未知的国民经济行业门类 %s / unknown GB/T 4754 section %s",
                                o->industry_section, o->industry_section);
    }
    if (!o->industry_division[0])
        return CY_OK;
    const ref_industry_t *div = ref_industry_find(ref, o->industry_division);
    if (div == NULL || div->level != 2)
        return cy_error_set(err, CY_EINVAL, "industry_unknown", "industry_division",
                            "未知的行业大类 %s / unknown GB/T 4754 division %s",
                            o->industry_division, o->industry_division);
    if (div->section != o->industry_section[0])
        return cy_error_set(err, CY_EINVAL, "industry_mismatch", "industry_division",
                            "行业大类 %s 不属于门类 %s / division %s is not in section %s",
                            o->industry_division, o->industry_section, o->industry_division,
                            o->industry_section);
    return CY_OK;
}

static cy_status_t
validate_nature(org_t *o, cy_error_t *err)
{
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
    return CY_OK;
}

/* Founding date (not after now), capital, contacts, an insurer's licence. */
static cy_status_t
validate_details(const org_t *o, int64_t now, cy_error_t *err)
{
    if (o->founded_on[0]) {
        int64_t t;
        if (strlen(o->founded_on) != 10 || bjtime_parse(o->founded_on, &t, NULL) != CY_OK)
            return cy_error_set(err, CY_EINVAL, "date_invalid", "founded_on",
                                "成立时间应为 YYYY-MM-DD 的有效日期 / founded_on must be a valid "
                                "date YYYY-MM-DD");
        if (t > now)
            return cy_error_set(err, CY_EINVAL, "date_future", "founded_on",
                                "成立时间不能晚于今天 / founded_on cannot be in the future");
    }
    if (o->registered_capital_fen < -1)
        return cy_error_set(err, CY_EINVAL, "capital_negative", "registered_capital_fen",
                            "注册资本不能为负 / registered capital cannot be negative");
    cy_status_t st;
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

/* Check the whole organisation and derive province, city and the USCC warning. */
static cy_status_t
validate(const app_t *app, org_t *o, int64_t now, cy_error_t *err)
{
    cy_status_t st = validate_uscc(o, err);
    if (st == CY_OK)
        st = validate_region(app->ref, o, err);
    if (st == CY_OK)
        st = validate_industry(app->ref, o, err);
    if (st == CY_OK)
        st = validate_nature(o, err);
    if (st == CY_OK)
        st = validate_details(o, now, err);
    return st;
}

/* ---------- use cases ---------- */

cy_status_t
app_org_create(app_t *app, const actor_t *actor, int64_t now, const org_input_t *in, org_t *out,
               cy_error_t *err)
{
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_ORG_CREATE))
        return app_forbidden(err, ACT_ORG_CREATE);
    memset(out, 0, sizeof *out);
    cy_status_t st = apply_input(out, in, 1, err);
    if (st == CY_OK)
        st = validate(app, out, now, err);
    if (st != CY_OK)
        return st;
    utc_format_iso(now, out->created_at);
    utc_format_iso(now, out->updated_at);

    store_conn_t *c;
    if ((st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    st = org_repo_insert(c, out, err);
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, out->id);
    const char *type = authz_org_type_name(out->type);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "org.create", "organisation", id, err,
                              "登记机构 %s（%s，%s） / registered organisation %s (%s, %s)",
                              out->name, type, out->uscc, out->name, type, out->uscc);
    return store_tx_close(app->store, c, st, err);
}

/* ---------- who may change what ---------- */

/*
 * The registry's fields: name, region, type and USCC say which organisation
 * this is and where it belongs (whose view, where its plans are routed), so
 * they change only by the operators or by its regional authority (name and
 * region, inside its own region), never by the organisation itself.
 */
typedef struct {
    const char *field, *zh, *en;
    int operators_only; /* type and USCC: not the regional authority either */
} registry_field_t;

static const registry_field_t REGISTRY[] = {
    {"name", "机构名称", "the name", 0},
    {"region_code", "行政区划", "the region", 0},
    {"type", "机构类型", "the type", 1},
    {"uscc", "统一社会信用代码", "the USCC", 1},
};
enum { REGISTRY_FIELDS = sizeof REGISTRY / sizeof REGISTRY[0] };

/* What the input sets field i of REGISTRY to, or NULL when it leaves it alone. */
static const char *
registry_value(const org_input_t *in, size_t i)
{
    const char *v[REGISTRY_FIELDS] = {in->name, in->region_code, in->type, in->uscc};
    return v[i];
}

/* The stored value of field i of REGISTRY. */
static const char *
registry_current(const org_t *o, size_t i)
{
    const char *v[REGISTRY_FIELDS] = {o->name, o->region_code, authz_org_type_name(o->type),
                                      o->uscc};
    return v[i];
}

/* 1 when the input changes field i of the registry (sending the same value is no change). */
static int
registry_changes(const org_t *o, const org_input_t *in, size_t i)
{
    const char *v = registry_value(in, i);
    return v != NULL && strcmp(v, registry_current(o, i)) != 0;
}

/* 1 when the input sets any of the profile's other fields. */
static int
sets_profile(const org_input_t *in)
{
    const char *v[] = {
        in->industry_section, in->industry_division, in->nature, in->nature_other, in->founded_on,
        in->address,          in->contact,           in->phone,  in->fax,          in->email,
        in->licence_no};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (v[i] != NULL)
            return 1;
    return in->has_capital;
}

/* A registry field the actor may not change: refused on that field, saying who may. */
static cy_status_t
registry_refused(const registry_field_t *f, cy_error_t *err)
{
    return cy_error_set(err, CY_EINVAL, "immutable", f->field,
                        "%s以登记信息为准，只能由%s修改 / %s is the registry's: only %s may "
                        "change it",
                        f->zh, f->operators_only ? "平台运营方" : "平台运营方或所在地主管部门",
                        f->en,
                        f->operators_only ? "the platform operator"
                                          : "the platform operator or the regional authority");
}

/* The registry changes of in: by the operators, or by the regional authority over o. */
static cy_status_t
may_register(const actor_t *a, const org_t *o, const org_input_t *in, cy_error_t *err)
{
    int operator= authz_sees_all(a->org_type);
    for (size_t i = 0; i < REGISTRY_FIELDS; i++) {
        if (!registry_changes(o, in, i))
            continue;
        if ((!operator&& o->id == a->org_id) || (!operator&& REGISTRY[i].operators_only))
            return registry_refused(&REGISTRY[i], err);
        if (!authz_allowed(a->org_type, a->role, ACT_ORG_REGISTER))
            return app_forbidden(err, ACT_ORG_REGISTER);
    }
    char prefix[7];
    if (!operator&& authz_region_prefix(a->org_type, a->region, prefix) &&
        registry_changes(o, in, 1) && strncmp(in->region_code, prefix, strlen(prefix)) != 0)
        return cy_error_set(err, CY_EINVAL, "region_outside", "region_code",
                            "只能在本辖区（%s）内调整机构的行政区划 / a regional authority moves "
                            "an organisation only within its own region (%s)",
                            prefix, prefix);
    return CY_OK;
}

/*
 * The profile's other fields (contact details, nature, …): an admin changes
 * its own organisation's, the operators any; the registry's fields as
 * may_register says.
 */
static cy_status_t
may_update(const actor_t *a, const org_t *o, const org_input_t *in, cy_error_t *err)
{
    if (a->cli)
        return CY_OK;
    int registry = 0;
    for (size_t i = 0; i < REGISTRY_FIELDS; i++)
        registry |= registry_changes(o, in, i);
    if (sets_profile(in) || !registry) {
        if (!authz_allowed(a->org_type, a->role, ACT_ORG_UPDATE))
            return app_forbidden(err, ACT_ORG_UPDATE);
        if (!authz_sees_all(a->org_type) && o->id != a->org_id)
            return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                                "只能修改本机构的信息 / you may change only your own organisation");
    }
    return may_register(a, o, in, err);
}

/* The audit entry of an update: the registry's changes field by field, or the profile's. */
static cy_status_t
audit_update(store_conn_t *c, const actor_t *a, int64_t now, const org_t *before, const org_t *o,
             cy_error_t *err)
{
    char id[24], changes[400] = "";
    snprintf(id, sizeof id, "%" PRId64, o->id);
    size_t n = 0;
    for (size_t i = 0; i < REGISTRY_FIELDS; i++) {
        const char *was = registry_current(before, i), *is = registry_current(o, i);
        if (strcmp(was, is) != 0 && n < sizeof changes)
            n += (size_t)snprintf(changes + n, sizeof changes - n, "%s%s %s→%s", n ? ", " : "",
                                  REGISTRY[i].field, was, is);
    }
    if (changes[0] == '\0')
        return app_audit_append(c, a, now, "org.update", "organisation", id, err,
                                "修改机构 %s 的信息 / updated organisation %s", o->name, o->name);
    return app_audit_append(c, a, now, "org.register", "organisation", id, err,
                            "修改机构登记信息（%s） / changed the registered particulars (%s)",
                            changes, changes);
}

cy_status_t
app_org_update(app_t *app, const actor_t *actor, int64_t now, int64_t id, const org_input_t *in,
               org_t *out, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    st = org_repo_get(app->ref, c, id, out, &found, err);
    if (st == CY_OK && (!found || !org_visible(actor, out)))
        st = org_not_found(id, err);
    if (st == CY_OK)
        st = may_update(actor, out, in, err);
    org_t before;
    if (st == CY_OK) {
        before = *out;
        st = apply_input(out, in, 0, err);
    }
    if (st == CY_OK)
        st = validate(app, out, now, err);
    if (st == CY_OK) {
        utc_format_iso(now, out->updated_at);
        st = org_repo_update(c, out, err);
    }
    if (st == CY_OK)
        st = audit_update(c, actor, now, &before, out, err);
    st = store_tx_close(app->store, c, st, err);
    if (st == CY_OK)
        hide_contacts(actor, out);
    return st;
}

cy_status_t
app_org_get(app_t *app, const actor_t *actor, int64_t id, org_t *out, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    st = org_repo_get(app->ref, c, id, out, &found, err);
    store_release(app->store, c);
    if (st != CY_OK)
        return st;
    if (!found || !org_visible(actor, out))
        return org_not_found(id, err);
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_ORG_READ))
        return app_forbidden(err, ACT_ORG_READ);
    hide_contacts(actor, out);
    return CY_OK;
}

/* A list's filter: a known type, a region prefix of 2–6 digits. */
static cy_status_t
check_filter(const org_filter_t *f, cy_error_t *err)
{
    org_type_t t;
    if (f->type != NULL && authz_org_type_parse(f->type, &t) != 0)
        return cy_error_set(err, CY_EBADREQ, "type_unknown", "type",
                            "未知的机构类型 %s / unknown organisation type %s", f->type, f->type);
    size_t n = f->region ? strlen(f->region) : 2;
    if (n < 2 || n > 6 || (f->region && strspn(f->region, "0123456789") != n))
        return cy_error_set(err, CY_EBADREQ, "region_invalid", "region",
                            "region 应为 2–6 位数字的区划代码前缀 / region must be a code "
                            "prefix of 2–6 digits");
    return CY_OK;
}

cy_status_t
app_org_list(app_t *app, const actor_t *actor, const org_filter_t *f, const app_page_t *page,
             org_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_ORG_DIRECTORY))
        return app_forbidden(err, ACT_ORG_DIRECTORY);
    cy_status_t st = check_filter(f, err);
    if (st != CY_OK)
        return st;
    /* authorities list their scope; everyone else can "list" only their own organisation */
    scope_t s;
    scope_of(actor, &s);
    org_query_t q = {s.all, actor->org_id, s.prefix, f->type, f->region};
    app_page_t pg = *page;
    if (pg.limit < 1 || pg.limit > APP_PAGE_MAX)
        pg.limit = APP_PAGE_DEFAULT;
    store_conn_t *c;
    if ((st = store_acquire(app->store, &c, err)) != CY_OK)
        return st;
    st = org_repo_list(app->ref, c, &q, &pg, out, err);
    store_release(app->store, c);
    for (size_t i = 0; st == CY_OK && i < out->n; i++)
        hide_contacts(actor, &out->items[i]);
    return st;
}

cy_status_t
app_org_find_uscc(app_t *app, const char *uscc, int64_t *id, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    st = org_repo_find_uscc(c, uscc, id, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && !found)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "uscc",
                            "没有统一社会信用代码为 %s 的机构 / no organisation with USCC %s", uscc,
                            uscc);
    return st;
}
