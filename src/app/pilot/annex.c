/*
 * annex.c — the notice's four forms and the round's rules on them: Annex 1
 * (网络安全保险服务方案, a scheme) and Annexes 2–4 (试点工作方案, a plan of
 * an authority, a service institution, an enterprise). Each form's shape is
 * a pf_field_t table with every field in words (form.c checks it); its
 * numbers (字数, units, cases) and the fields it requires are the round's,
 * and core/round.c judges them. Pure: jansson and core/ only, no store.
 */
#include <stdio.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "core/bjtime.h"
#include "core/uscc.h"

#define LONG_TEXT 300000
#define END                                                                                        \
    {                                                                                              \
        NULL, 0, 0, NULL, NULL, NULL                                                               \
    }

/* ---- the parts Annexes 1, 3 and 4 share --------------------------------- */

/* A joint unit's row: name, nature (单位性质), USCC, and for an institution its kind. */
static const pf_field_t UNIT[] = {
    {"name", 's', 256, NULL, "单位名称", "name"},
    {"nature", 's', 32, NULL, "单位性质", "nature"},
    {"nature_other", 's', 128, NULL, "单位性质（其他）", "other nature"},
    {"uscc", 's', 32, NULL, "统一社会信用代码", "USCC"},
    {"kind", 's', 32, NULL, "服务机构类型", "institution kind"},
    END};

/* 一、基本情况 (一) 基本信息: what the form asks of the lead beyond its name and code. */
static const pf_field_t LEAD_INFO[] = {
    {"founded_on", 's', 10, NULL, "成立时间", "founding date"},
    {"registered_capital_fen", 'i', 0, NULL, "注册资本", "registered capital"},
    {"address", 's', 400, NULL, "通讯地址", "postal address"},
    {"contact", 's', 120, NULL, "联系人", "contact person"},
    {"phone", 's', 80, NULL, "联系电话", "phone"},
    {"fax", 's', 80, NULL, "传真", "fax"},
    {"email", 's', 200, NULL, "邮箱", "email"},
    {"kind", 's', 32, NULL, "服务机构类型", "institution kind"},
    END};

static const char *const NATURES[] = {
    "public_institution", "state_owned",        "private", "joint_venture",
    "state_controlled",   "state_participated", "other",   NULL};

/* A coded value of a list (the ref data's) at field: present in the list, or refused in words. */
static cy_status_t
check_code(const ref_class_t *found, const char *code, const char *field, const char *zh,
           const char *en, cy_error_t *err)
{
    if (code[0] == '\0' || found != NULL)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "code_unknown", field,
                        "%s“%.40s”不在列表中，请从列表中选择 / %s \"%.40s\" is not on the list: "
                        "choose one from it",
                        zh, code, en, code);
}

/* Joint unit i: its name, a nature of the list, a USCC of a PRC legal person (kept upper case). */
static cy_status_t
check_unit(const app_t *app, json_t *u, size_t i, uscc_info_t *info, cy_error_t *err)
{
    char field[64];
    snprintf(field, sizeof field, "joint_units[%zu].name", i);
    cy_status_t st = pf_require(u, "name", field, "联合申报单位名称", "the joint unit's name", err);
    if (st != CY_OK)
        return st;
    const char *nature = pf_str(u, "nature");
    int ok = 0;
    for (int k = 0; NATURES[k] != NULL; k++)
        ok |= strcmp(NATURES[k], nature) == 0;
    snprintf(field, sizeof field, "joint_units[%zu].nature", i);
    if (!ok)
        return cy_error_set(err, CY_EINVAL, "nature_unknown", field,
                            "请选择第%zu家联合申报单位的单位性质（事业单位、国有企业、民营企业、"
                            "合资企业、国有控股企业、国有参股企业或其他） / choose the nature of "
                            "joint unit %zu (public institution, state-owned, private, joint "
                            "venture, state-controlled, state-participated or other)",
                            i + 1, i + 1);
    snprintf(field, sizeof field, "joint_units[%zu].nature_other", i);
    if (strcmp(nature, "other") == 0 && pf_str(u, "nature_other")[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", field,
                            "单位性质为“其他”时请注明 / say which nature when it is \"other\"");
    snprintf(field, sizeof field, "joint_units[%zu].kind", i);
    st = check_code(ref_institution_kind_find(app->ref, pf_str(u, "kind")), pf_str(u, "kind"),
                    field, "服务机构类型", "the institution kind", err);
    if (st != CY_OK)
        return st;
    snprintf(field, sizeof field, "joint_units[%zu].uscc", i);
    cy_error_t uerr;
    if (uscc_check(pf_str(u, "uscc"), info, &uerr) != CY_OK ||
        uscc_legal_person(info, &uerr) != CY_OK) {
        *err = uerr;
        snprintf(err->field, sizeof err->field, "%s", field);
        return CY_EINVAL;
    }
    /* keep the code as GB 32100 writes it (upper case), so units match by USCC */
    json_object_set_new(u, "uscc", json_string(info->code));
    return CY_OK;
}

/* The joint units: the round's count (原则上: only warned here), each unit, none twice, not the
 * lead. */
static cy_status_t
check_joint_units(const app_t *app, const round_t *r, int annex, json_t *units,
                  const char *lead_uscc, cy_error_t *err)
{
    size_t n = json_is_array(units) ? json_array_size(units) : 0;
    cy_status_t st = round_check_joint_units(round_limits(r, annex), n, "joint_units", 1, err);
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        uscc_info_t info;
        char field[64];
        if ((st = check_unit(app, json_array_get(units, i), i, &info, err)) != CY_OK)
            break;
        snprintf(field, sizeof field, "joint_units[%zu].uscc", i);
        if (lead_uscc != NULL && strcmp(info.code, lead_uscc) == 0)
            return cy_error_set(err, CY_EINVAL, "unit_duplicate", field,
                                "牵头单位不能同时作为联合申报单位 / the lead cannot also be a "
                                "joint unit");
        for (size_t j = 0; j < i; j++) {
            if (strcmp(pf_str(json_array_get(units, j), "uscc"), info.code) == 0)
                return cy_error_set(
                    err, CY_EINVAL, "unit_duplicate", field,
                    "联合申报单位重复（与第 %zu 家相同） / the same joint unit twice "
                    "(as number %zu)",
                    j + 1, j + 1);
        }
    }
    return st;
}

/* The lead's 基本信息 as far as given: a real founding date, capital not negative, a kind of the
 * list. */
static cy_status_t
check_lead_info(const app_t *app, json_t *info, cy_error_t *err)
{
    const char *founded = pf_str(info, "founded_on");
    int64_t t;
    if (founded[0] && (strlen(founded) != 10 || bjtime_parse(founded, &t, NULL) != CY_OK))
        return cy_error_set(err, CY_EINVAL, "date_invalid", "lead_info.founded_on",
                            "成立时间应为有效日期，如 2016-05-09 / the founding date must be a "
                            "real date such as 2016-05-09");
    json_t *cap = json_object_get(info, "registered_capital_fen");
    if (json_is_integer(cap) && json_integer_value(cap) < 0)
        return cy_error_set(err, CY_EINVAL, "money_negative", "lead_info.registered_capital_fen",
                            "注册资本不能为负数 / the registered capital cannot be negative");
    return check_code(ref_institution_kind_find(app->ref, pf_str(info, "kind")),
                      pf_str(info, "kind"), "lead_info.kind", "服务机构类型",
                      "the institution kind", err);
}

/* 申报方向: enterprise and its industry, or product_service and its product type. */
static cy_status_t
check_direction(const app_t *app, json_t *form, int required, cy_error_t *err)
{
    const char *dir = pf_str(form, "direction");
    if (dir[0] == '\0' && !required)
        return CY_OK;
    if (dir[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", "direction",
                            "请选择申报方向（企业类或产品服务类） / choose the direction: "
                            "enterprise or product/service");
    if (strcmp(dir, "enterprise") == 0) {
        const char *ind = pf_str(form, "industry");
        if (ind[0] == '\0' && !required)
            return CY_OK;
        if (ref_target_industry_find(app->ref, ind) == NULL)
            return cy_error_set(err, CY_EINVAL, "industry_unknown", "industry",
                                "企业类方案请从列表中选择行业领域（如工业互联网） / an "
                                "enterprise scheme names its industry from the list (e.g. "
                                "industrial internet)");
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
                                "产品服务类方案请从列表中选择产品类型（如终端检测响应） / a "
                                "product/service scheme names its product type from the list "
                                "(e.g. endpoint detection and response)");
        if (pf_str(form, "industry")[0] != '\0')
            return cy_error_set(err, CY_EINVAL, "direction_mixed", "industry",
                                "产品服务类方案不填写行业领域 / a product/service scheme has no "
                                "industry");
        return CY_OK;
    }
    return cy_error_set(err, CY_EINVAL, "direction_unknown", "direction",
                        "申报方向应为企业类或产品服务类 / the direction is enterprise or "
                        "product/service");
}

/* Every path given (a form's own requirements, then the round's). */
static cy_status_t
require_paths(const pf_field_t *spec, json_t *form, const char *const *paths, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    for (size_t i = 0; st == CY_OK && paths[i] != NULL; i++)
        st = pf_require_path(spec, form, paths[i], err);
    return st;
}

/* What the round requires of the annex (annexes.N.required). */
static cy_status_t
require_round(const pf_field_t *spec, const round_t *r, int annex, json_t *form, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    const round_annex_t *x = &r->annex[annex];
    for (size_t i = 0; st == CY_OK && i < x->n_required; i++)
        st = pf_require_path(spec, form, x->required[i], err);
    return st;
}

/* ---- Annex 1: the service scheme ---------------------------------------- */

static const pf_field_t CASE[] = {{"title", 's', 400, NULL, "案例名称", "title"},
                                  {"text", 'l', LONG_TEXT, NULL, "案例内容", "text"},
                                  END};
/* 二、服务方案: (一) 1 背景和意义, 2 服务方案, 3 团队; (二) 1 已有基础, 2 可推广性 */
static const pf_field_t BODY[] = {
    {"background", 'l', LONG_TEXT, NULL, "方案建设背景和意义", "background and purpose"},
    {"service", 'l', LONG_TEXT, NULL, "服务方案", "the service plan"},
    {"team", 'l', LONG_TEXT, NULL, "方案负责人及方案团队实力", "the lead and the team"},
    {"cases", 'a', 20, CASE, "已有基础（真实案例）", "track record (real cases)"},
    {"promotion", 'l', LONG_TEXT, NULL, "方案的可推广性", "replicability"},
    END};
/* 三、证明材料: 1 申报单位相关证明材料及清单, 2 申报方案相关证明材料及清单 */
static const pf_field_t MATERIALS[] = {
    {"unit", 't', 100, NULL, "申报单位相关证明材料清单", "the applicant's supporting documents"},
    {"scheme", 't', 100, NULL, "申报方案相关证明材料清单", "the scheme's supporting documents"},
    END};
static const pf_field_t ANNEX1[] = {
    {"name", 's', 400, NULL, "方案名称", "the scheme's name"},
    {"location", 's', 400, NULL, "所在地", "location"},
    {"leader_name", 's', 120, NULL, "方案负责人", "the scheme's leader"},
    {"leader_title", 's', 200, NULL, "负责人职务/职称", "the leader's title"},
    {"direction", 's', 32, NULL, "申报方向", "direction"},
    {"industry", 's', 64, NULL, "行业领域", "industry"},
    {"product", 's', 64, NULL, "产品类型", "product type"},
    {"direction_note", 's', 400, NULL, "申报方向说明", "direction note"},
    {"unit_intro", 'l', 20000, NULL, "申报单位简介", "the applicant's introduction"},
    {"overview", 'l', 20000, NULL, "方案概述", "the overview"},
    {"lead_info", 'o', 0, LEAD_INFO, "牵头申报单位基本信息", "the lead's details"},
    {"joint_units", 'a', 50, UNIT, "联合申报单位", "joint units"},
    {"body", 'o', 0, BODY, "服务方案正文", "the scheme body"},
    {"materials", 'o', 0, MATERIALS, "证明材料", "supporting documents"},
    END};

/* 字数 of the 服务方案 body: every section and every case, title and text. */
static size_t
scheme_body_zishu(json_t *form)
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

static cy_status_t
scheme_complete(const app_t *app, const round_t *r, json_t *form, cy_error_t *err)
{
    static const char *const head[] = {"name",       "location", "leader_name", "leader_title",
                                       "unit_intro", "overview", NULL};
    static const char *const body[] = {
        "body.background", "body.service",     "body.team", "body.promotion",
        "materials.unit",  "materials.scheme", NULL};
    cy_status_t st = require_paths(ANNEX1, form, head, err);
    if (st == CY_OK)
        st = check_direction(app, form, 1, err);
    if (st == CY_OK)
        st = require_paths(ANNEX1, form, body, err);
    if (st == CY_OK)
        st = round_check_cases(round_limits(r, 1), pf_len(json_object_get(form, "body"), "cases"),
                               "body.cases", 1, err);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(form, "body"), "cases"), i, c)
    {
        char field[48];
        snprintf(field, sizeof field, "body.cases[%zu].text", i);
        if (st == CY_OK &&
            pf_require(c, "text", field, "案例内容", "the case's text", err) == CY_OK)
            continue;
        if (st == CY_OK)
            st = cy_error_set(err, CY_EINVAL, "missing_field", field,
                              "请填写第%zu个案例的内容 / write the text of case %zu", i + 1, i + 1);
    }
    if (st == CY_OK)
        st = round_check_zishu_min(round_limits(r, 1)->scheme_body_zishu_min,
                                   scheme_body_zishu(form), "body", "服务方案",
                                   "the scheme body (服务方案)", err);
    if (st == CY_OK)
        st = require_round(ANNEX1, r, 1, form, err);
    return st;
}

/* ---- Annexes 2–4: the pilot plans --------------------------------------- */

static const pf_field_t PERSON[] = {
    {"name", 's', 120, NULL, "姓名", "name"}, {"title", 's', 200, NULL, "职务", "title"}, END};
static const pf_field_t CONTACT[] = {{"name", 's', 120, NULL, "姓名", "name"},
                                     {"department", 's', 200, NULL, "部门", "department"},
                                     {"title", 's', 200, NULL, "职务", "title"},
                                     {"phone", 's', 80, NULL, "联系电话", "phone"},
                                     {"email", 's', 200, NULL, "邮箱", "email"},
                                     END};
/* 二、试点方案 of Annex 2 and 3: (一) 工作思路, (二) 试点安排, (三) 组织保障 */
static const pf_field_t SECTIONS23[] = {
    {"approach", 'l', LONG_TEXT, NULL, "工作思路", "approach"},
    {"arrangement", 'l', LONG_TEXT, NULL, "试点安排", "arrangements"},
    {"organisation", 'l', LONG_TEXT, NULL, "组织保障", "organisation and support"},
    END};
/* Annex 4: 二、信息化建设情况, 三、网络安全基本情况, 四、网络安全保险需求及保障范围 */
static const pf_field_t SECTIONS4[] = {
    {"it_status", 'l', LONG_TEXT, NULL, "信息化建设情况", "IT systems"},
    {"security_status", 'l', LONG_TEXT, NULL, "网络安全基本情况", "cybersecurity"},
    {"insurance_needs", 'l', LONG_TEXT, NULL, "网络安全保险需求及保障范围",
     "insurance needs and cover"},
    END};
/* 服务机构基本情况 (Annex 2 表1): type is a kind of the notice's nine */
static const pf_field_t INSTITUTION[] = {{"name", 's', 256, NULL, "机构名称", "name"},
                                         {"type", 's', 120, NULL, "机构类型", "kind"},
                                         {"contact", 's', 200, NULL, "联系人及联系方式", "contact"},
                                         {"role", 's', 400, NULL, "责任分工", "role"},
                                         END};
/* 服务对象基本情况 (Annex 2 表2, Annex 3 表1): industry a target industry of the list */
static const pf_field_t TARGET[] = {{"name", 's', 256, NULL, "企业名称", "enterprise"},
                                    {"industry", 's', 120, NULL, "所在行业领域", "industry"},
                                    {"contact", 's', 120, NULL, "联系人", "contact"},
                                    {"phone_email", 's', 200, NULL, "联系方式", "phone and email"},
                                    {"plan_id", 'i', 0, NULL, "来源方案", "source plan"},
                                    END};
/* 服务方案基本情况 (Annex 2 表3, Annex 3 表2) */
static const pf_field_t SCHEME_ROW[] = {
    {"name", 's', 400, NULL, "方案名称", "name"},
    {"kind", 's', 32, NULL, "方案类型", "kind"},
    {"industry", 's', 120, NULL, "行业领域", "industry"},
    {"contact", 's', 120, NULL, "联系人", "contact"},
    {"phone_email", 's', 200, NULL, "联系方式", "phone and email"},
    END};
/* 附：网络安全保险服务方案 — 1 机构与分工, 2 服务内容及流程, 3 网络安全服务, 4 单价保费及保额 */
static const pf_field_t ATTACHED[] = {
    {"name", 's', 400, NULL, "方案名称", "name"},
    {"institutions", 'l', LONG_TEXT, NULL, "服务机构及职责分工", "institutions and roles"},
    {"process", 'l', LONG_TEXT, NULL, "服务内容及流程", "service content and process"},
    {"security", 'l', LONG_TEXT, NULL, "网络安全服务内容及开展方式", "security services"},
    {"unit_premium_fen", 'i', 0, NULL, "单价保费", "unit premium"},
    {"sum_insured_fen", 'i', 0, NULL, "保额", "sum insured"},
    {"premium_note", 's', 400, NULL, "保费及保额说明", "premium note"},
    END};

static const pf_field_t ANNEX2[] = {
    {"name", 's', 400, NULL, "方案名称", "the plan's name"},
    {"leader", 'o', 0, PERSON, "负责人（处级）", "the responsible official"},
    {"contact", 'o', 0, CONTACT, "联系人", "the contact"},
    {"sections", 'o', 0, SECTIONS23, "试点方案", "the plan"},
    {"institutions", 'a', 200, INSTITUTION, "服务机构基本情况表", "the service institutions table"},
    {"targets", 'a', 1000, TARGET, "服务对象基本情况表", "the service targets table"},
    {"scheme_table", 'a', 200, SCHEME_ROW, "服务方案基本情况表", "the service schemes table"},
    {"schemes", 'a', 20, ATTACHED, "所附服务方案", "attached scheme"},
    END};
/* The head Annexes 3 and 4 share: name, direction, the lead's introduction and details, joint
 * units. */
#define PLAN_UNIT_HEAD                                                                             \
    {"name", 's', 400, NULL, "方案名称", "the plan's name"},                                       \
        {"direction", 's', 32, NULL, "申报方向", "direction"},                                     \
        {"industry", 's', 64, NULL, "行业领域", "industry"},                                       \
        {"product", 's', 64, NULL, "产品类型", "product type"},                                    \
        {"direction_note", 's', 400, NULL, "申报方向说明", "direction note"},                      \
        {"unit_intro", 'l', 20000, NULL, "申报单位简介", "the applicant's introduction"},          \
        {"lead_info", 'o', 0, LEAD_INFO, "牵头单位基本信息", "the lead's details"},                \
    {                                                                                              \
        "joint_units", 'a', 50, UNIT, "联合申报单位", "joint units"                                \
    }
#define PLAN_ATTACHED                                                                              \
    {                                                                                              \
        "schemes", 'a', 20, ATTACHED, "所附服务方案", "attached scheme"                            \
    }

static const pf_field_t ANNEX3[] = {
    PLAN_UNIT_HEAD,
    {"sections", 'o', 0, SECTIONS23, "试点方案", "the plan"},
    {"targets", 'a', 1000, TARGET, "服务对象基本情况表", "the service targets table"},
    {"scheme_table", 'a', 200, SCHEME_ROW, "服务方案基本情况表", "the service schemes table"},
    PLAN_ATTACHED,
    END};
static const pf_field_t ANNEX4[] = {
    PLAN_UNIT_HEAD, {"sections", 'o', 0, SECTIONS4, "正文", "the plan"}, PLAN_ATTACHED, END};

/* The plan's own text: the three sections of its annex. */
static const char *const SECTIONS_OF23[] = {"sections.approach", "sections.arrangement",
                                            "sections.organisation", NULL};
static const char *const SECTIONS_OF4[] = {"sections.it_status", "sections.security_status",
                                           "sections.insurance_needs", NULL};

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

/* 单价保费及保额 of attached scheme i: never negative; positive when complete. */
static cy_status_t
check_premium(json_t *sch, size_t i, int complete, cy_error_t *err)
{
    static const char *const keys[] = {"unit_premium_fen", "sum_insured_fen"};
    static const char *const zh[] = {"单价保费", "保额"}, *const en[] = {"unit premium",
                                                                         "sum insured"};
    for (int k = 0; k < 2; k++) {
        json_t *v = json_object_get(sch, keys[k]);
        char field[64];
        snprintf(field, sizeof field, "schemes[%zu].%s", i, keys[k]);
        if (json_is_integer(v) && json_integer_value(v) < 0)
            return cy_error_set(err, CY_EINVAL, "money_negative", field,
                                "所附服务方案%zu的%s不能为负数 / the %s of attached scheme %zu "
                                "cannot be negative",
                                i + 1, zh[k], en[k], i + 1);
        if (complete && (!json_is_integer(v) || json_integer_value(v) <= 0))
            return cy_error_set(err, CY_EINVAL, "premium_required", field,
                                "所附服务方案%zu应写明%s（大于零的金额） / attached scheme %zu "
                                "states its %s (an amount above zero)",
                                i + 1, zh[k], i + 1, en[k]);
    }
    return CY_OK;
}

/* The tables' coded cells: a scheme's kind, an industry, an institution's kind. */
static cy_status_t
plan_draft(const app_t *app, json_t *form, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    size_t i;
    json_t *row;
    char field[48];
    json_array_foreach(json_object_get(form, "scheme_table"), i, row)
    {
        const char *kind = pf_str(row, "kind");
        snprintf(field, sizeof field, "scheme_table[%zu].kind", i);
        if (st == CY_OK && kind[0] && strcmp(kind, "enterprise") != 0 &&
            strcmp(kind, "product_service") != 0)
            st = cy_error_set(err, CY_EINVAL, "kind_unknown", field,
                              "服务方案基本情况表第%zu行的方案类型应为企业类或产品服务类 / row %zu "
                              "of the schemes table: the kind is enterprise or product/service",
                              i + 1, i + 1);
        snprintf(field, sizeof field, "scheme_table[%zu].industry", i);
        if (st == CY_OK)
            st = check_code(ref_target_industry_find(app->ref, pf_str(row, "industry")),
                            pf_str(row, "industry"), field, "行业领域", "the industry", err);
    }
    json_array_foreach(json_object_get(form, "targets"), i, row)
    {
        snprintf(field, sizeof field, "targets[%zu].industry", i);
        if (st == CY_OK)
            st = check_code(ref_target_industry_find(app->ref, pf_str(row, "industry")),
                            pf_str(row, "industry"), field, "所在行业领域", "the industry", err);
    }
    json_array_foreach(json_object_get(form, "institutions"), i, row)
    {
        snprintf(field, sizeof field, "institutions[%zu].type", i);
        if (st == CY_OK)
            st = check_code(ref_institution_kind_find(app->ref, pf_str(row, "type")),
                            pf_str(row, "type"), field, "机构类型", "the institution kind", err);
    }
    json_array_foreach(json_object_get(form, "schemes"), i, row)
    {
        if (st == CY_OK)
            st = check_premium(row, i, 0, err);
    }
    return st;
}

/* The attached service schemes: at least one, each named, long enough, priced. */
static cy_status_t
attached_complete(const round_t *r, int annex, json_t *form, cy_error_t *err)
{
    if (pf_len(form, "schemes") == 0)
        return cy_error_set(
            err, CY_EINVAL, "missing_field", "schemes",
            "请附网络安全保险服务方案（至少一个） / attach at least one service scheme");
    cy_status_t st = CY_OK;
    size_t i;
    json_t *sch;
    json_array_foreach(json_object_get(form, "schemes"), i, sch)
    {
        char field[64], zh[64], en[64];
        snprintf(field, sizeof field, "schemes[%zu].name", i);
        if (st == CY_OK && pf_require(sch, "name", field, "", "", err) != CY_OK)
            st = cy_error_set(err, CY_EINVAL, "missing_field", field,
                              "请填写所附服务方案%zu的名称 / name attached scheme %zu", i + 1,
                              i + 1);
        snprintf(field, sizeof field, "schemes[%zu]", i);
        snprintf(zh, sizeof zh, "所附服务方案%zu", i + 1);
        snprintf(en, sizeof en, "attached scheme %zu", i + 1);
        if (st == CY_OK)
            st = round_check_zishu_min(round_limits(r, annex)->attached_scheme_zishu_min,
                                       attached_zishu(sch), field, zh, en, err);
        if (st == CY_OK)
            st = check_premium(sch, i, 1, err);
    }
    return st;
}

static cy_status_t
plan_complete(const app_t *app, const round_t *r, int annex, json_t *form, cy_error_t *err)
{
    static const char *const head2[] = {"name",         "leader.name",   "leader.title",
                                        "contact.name", "contact.phone", NULL};
    static const char *const head34[] = {"name", NULL};
    const pf_field_t *spec = pilot_annex_form(annex);
    cy_status_t st = require_paths(spec, form, annex == 2 ? head2 : head34, err);
    if (st == CY_OK && annex != 2)
        st = check_direction(app, form, 1, err);
    if (st == CY_OK && annex != 2)
        st = pf_require_path(spec, form, "unit_intro", err);
    if (st == CY_OK)
        st = require_paths(spec, form, annex == 4 ? SECTIONS_OF4 : SECTIONS_OF23, err);
    if (st == CY_OK)
        st = round_check_zishu_min(
            round_limits(r, annex)->plan_body_zishu_min, sections_zishu(form, annex), "sections",
            annex == 4 ? "正文（二至四部分）" : "试点方案", "the plan's text", err);
    if (st == CY_OK && annex != 4)
        st = pf_require_path(spec, form, "targets", err);
    if (st == CY_OK && annex == 2)
        st = pf_require_path(spec, form, "institutions", err);
    if (st == CY_OK)
        st = attached_complete(r, annex, form, err);
    if (st == CY_OK)
        st = require_round(spec, r, annex, form, err);
    return st;
}

/* ---- every annex -------------------------------------------------------- */

const pf_field_t *
pilot_annex_form(int annex)
{
    return annex == 1 ? ANNEX1 : annex == 2 ? ANNEX2 : annex == 3 ? ANNEX3 : ANNEX4;
}

authz_action_t
pilot_annex_action(int annex)
{
    return annex == 1   ? ACT_SCHEME_WRITE
           : annex == 2 ? ACT_PLAN2_WRITE
           : annex == 3 ? ACT_PLAN3_WRITE
                        : ACT_PLAN4_WRITE;
}

size_t
pilot_annex_body_zishu(int annex, json_t *form)
{
    return annex == 1 ? scheme_body_zishu(form) : sections_zishu(form, annex);
}

json_t *
pilot_annex_zishu_json(int annex, json_t *form)
{
    if (annex == 1)
        return json_pack("{s:I, s:I, s:I}", "unit_intro", (json_int_t)pf_zishu(form, "unit_intro"),
                         "overview", (json_int_t)pf_zishu(form, "overview"), "body",
                         (json_int_t)scheme_body_zishu(form));
    json_t *z = json_array();
    size_t i;
    json_t *sch;
    json_array_foreach(json_object_get(form, "schemes"), i, sch)
        json_array_append_new(z, json_integer((json_int_t)attached_zishu(sch)));
    return json_pack("{s:I, s:I, s:o}", "sections", (json_int_t)sections_zishu(form, annex),
                     "unit_intro", (json_int_t)pf_zishu(form, "unit_intro"), "schemes", z);
}

cy_status_t
pilot_annex_check_draft(const app_t *app, const round_t *r, int annex, json_t *form,
                        const char *lead_uscc, cy_error_t *err)
{
    const round_limits_t *l = round_limits(r, annex);
    cy_status_t st = pf_check(pilot_annex_form(annex), form, "", err);
    if (st == CY_OK && annex != 2)
        st = check_direction(app, form, 0, err);
    if (st == CY_OK && annex != 2)
        st = round_check_zishu_max(l->unit_intro_zishu_max, pf_zishu(form, "unit_intro"),
                                   "unit_intro", "申报单位简介", "the applicant's introduction",
                                   err);
    if (st == CY_OK && annex == 1)
        st = round_check_zishu_max(l->overview_zishu_max, pf_zishu(form, "overview"), "overview",
                                   "方案概述", "the overview", err);
    if (st == CY_OK && annex != 2)
        st = check_lead_info(app, json_object_get(form, "lead_info"), err);
    if (st == CY_OK && annex != 2)
        st = check_joint_units(app, r, annex, json_object_get(form, "joint_units"), lead_uscc, err);
    size_t cases = pf_len(json_object_get(form, "body"), "cases");
    if (st == CY_OK && annex == 1 && l->cases_max != ROUND_UNSET && (long long)cases > l->cases_max)
        st = round_check_cases(l, cases, "body.cases", 1, err);
    if (st == CY_OK && annex != 1)
        st = plan_draft(app, form, err);
    return st;
}

cy_status_t
pilot_annex_check_complete(const app_t *app, const round_t *r, int annex, json_t *form,
                           unsigned waived, cy_error_t *err)
{
    const round_limits_t *l = round_limits(r, annex);
    cy_status_t st =
        annex == 1 ? scheme_complete(app, r, form, err) : plan_complete(app, r, annex, form, err);
    /* a 原则上 count over its limit passes a draft; a submission needs the waiver */
    if (st == CY_OK && annex != 2)
        st = round_check_joint_units(l, pf_len(form, "joint_units"), "joint_units",
                                     (waived >> ROUND_LIM_JOINT_UNITS_MAX) & 1, err);
    if (st == CY_OK && annex == 1)
        st = round_check_cases(l, pf_len(json_object_get(form, "body"), "cases"), "body.cases",
                               (waived >> ROUND_LIM_CASES_MAX) & 1, err);
    return st;
}

cy_status_t
pilot_annex_required_valid(const round_t *r, cy_error_t *err)
{
    for (int a = 1; a <= 4; a++) {
        for (size_t i = 0; i < r->annex[a].n_required; i++) {
            char zh[8], en[8];
            if (pf_words(pilot_annex_form(a), r->annex[a].required[i], zh, sizeof zh, en,
                         sizeof en) == NULL)
                return cy_error_set(err, CY_EINVAL, "round_invalid", "required",
                                    "rounds/%s：附件%d 要求的“%s”不是该表单的字段 / round %s: "
                                    "\"%s\", required of Annex %d, is not a field of its form",
                                    r->id, a, r->annex[a].required[i], r->id,
                                    r->annex[a].required[i], a);
        }
    }
    return CY_OK;
}

void
pilot_annex_direction(json_t *row, int overview)
{
    json_t *form = json_object_get(row, "form");
    json_object_set_new(row, "direction", json_string(pf_str(form, "direction")));
    json_object_set_new(row, "industry", json_string(pf_str(form, "industry")));
    json_object_set_new(row, "product", json_string(pf_str(form, "product")));
    if (overview)
        json_object_set_new(row, "overview", json_string(pf_str(form, "overview")));
    json_object_del(row, "form");
}
