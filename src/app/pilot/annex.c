/*
 * annex.c — the notice's four forms and the round's rules on them: Annex 1
 * (网络安全保险服务方案, a scheme) and Annexes 2–4 (试点工作方案, a plan of
 * an authority, a service institution, an enterprise). Each form's shape is
 * a pf_field_t table (form.c checks it); its numbers (字数, units, cases)
 * are the round's and core/round.c judges them. Pure: jansson and core/
 * only, no store.
 */
#include <stdio.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "core/uscc.h"

#define LONG_TEXT 300000

/* ---- the parts Annexes 1, 3 and 4 share --------------------------------- */

/* A joint unit's row: name, nature (单位性质), USCC. */
static const pf_field_t UNIT[] = {{"name", 's', 256, NULL},
                                  {"nature", 's', 32, NULL},
                                  {"nature_other", 's', 128, NULL},
                                  {"uscc", 's', 32, NULL},
                                  {NULL, 0, 0, NULL}};

static const char *const NATURES[] = {
    "public_institution", "state_owned",        "private", "joint_venture",
    "state_controlled",   "state_participated", "other",   NULL};

/* Joint unit i: its name, a nature of the list, a USCC of a PRC legal person (kept upper case). */
static cy_status_t
check_unit(json_t *u, size_t i, uscc_info_t *info, cy_error_t *err)
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
                            "联合申报单位的单位性质应为 public_institution、state_owned、"
                            "private、joint_venture、state_controlled、state_participated 或 "
                            "other / a joint unit's nature must be one of public_institution, "
                            "state_owned, private, joint_venture, state_controlled, "
                            "state_participated, other");
    snprintf(field, sizeof field, "joint_units[%zu].nature_other", i);
    if (strcmp(nature, "other") == 0 && pf_str(u, "nature_other")[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", field,
                            "单位性质为“其他”时请注明 / nature_other is required when nature "
                            "is other");
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

/* The joint units: the round's count, each unit, none twice, not the lead. */
static cy_status_t
check_joint_units(const round_t *r, json_t *units, const char *lead_uscc, cy_error_t *err)
{
    size_t n = json_is_array(units) ? json_array_size(units) : 0;
    cy_status_t st = round_check_joint_units(r, n, "joint_units", err);
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        uscc_info_t info;
        char field[64];
        if ((st = check_unit(json_array_get(units, i), i, &info, err)) != CY_OK)
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
                            "enterprise or product_service");
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

/* Each required text of form (key, label); field is base.key. */
typedef struct {
    const char *key, *zh, *en;
} required_t;

static cy_status_t
require_all(json_t *form, const char *base, const required_t *req, size_t n, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        char field[64];
        snprintf(field, sizeof field, "%s%s%s", base, base[0] ? "." : "", req[i].key);
        st = pf_require(form, req[i].key, field, req[i].zh, req[i].en ? req[i].en : field, err);
    }
    return st;
}

/* ---- Annex 1: the service scheme ---------------------------------------- */

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
static const pf_field_t ANNEX1[] = {
    {"name", 's', 400, NULL},         {"location", 's', 400, NULL},
    {"leader_name", 's', 120, NULL},  {"leader_title", 's', 200, NULL},
    {"direction", 's', 32, NULL},     {"industry", 's', 64, NULL},
    {"product", 's', 64, NULL},       {"direction_note", 's', 400, NULL},
    {"unit_intro", 'l', 20000, NULL}, {"overview", 'l', 20000, NULL},
    {"joint_units", 'a', 50, UNIT},   {"body", 'o', 0, BODY},
    {"materials", 'o', 0, MATERIALS}, {NULL, 0, 0, NULL}};

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
    static const required_t head[] = {
        {"name", "方案名称", NULL},           {"location", "所在地", NULL},
        {"leader_name", "方案负责人", NULL},  {"leader_title", "负责人职务/职称", NULL},
        {"unit_intro", "申报单位简介", NULL}, {"overview", "方案概述", NULL},
    };
    static const required_t body_parts[] = {
        {"background", "方案建设背景和意义", NULL},
        {"service", "服务方案", NULL},
        {"team", "方案负责人及方案团队实力", NULL},
        {"promotion", "方案的可推广性", NULL},
    };
    json_t *body = json_object_get(form, "body");
    cy_status_t st = require_all(form, "", head, 6, err);
    if (st == CY_OK)
        st = check_direction(app, form, 1, err);
    if (st == CY_OK)
        st = require_all(body, "body", body_parts, 4, err);
    if (st == CY_OK)
        st = round_check_cases(r, pf_len(body, "cases"), "body.cases", err);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(body, "cases"), i, c)
    {
        char field[48];
        snprintf(field, sizeof field, "body.cases[%zu].text", i);
        if (st == CY_OK)
            st = pf_require(c, "text", field, "案例内容", field, err);
    }
    if (st == CY_OK)
        st = round_check_zishu_min(r->limits.scheme_body_zishu_min, scheme_body_zishu(form), "body",
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

/* ---- Annexes 2–4: the pilot plans --------------------------------------- */

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

static const pf_field_t ANNEX2[] = {{"name", 's', 400, NULL},
                                    {"leader", 'o', 0, PERSON},
                                    {"contact", 'o', 0, CONTACT},
                                    {"sections", 'o', 0, SECTIONS23},
                                    {"institutions", 'a', 200, INSTITUTION},
                                    {"targets", 'a', 1000, TARGET},
                                    {"scheme_table", 'a', 200, SCHEME_ROW},
                                    {"schemes", 'a', 20, ATTACHED},
                                    {NULL, 0, 0, NULL}};
static const pf_field_t ANNEX3[] = {
    {"name", 's', 400, NULL},           {"direction", 's', 32, NULL},
    {"industry", 's', 64, NULL},        {"product", 's', 64, NULL},
    {"direction_note", 's', 400, NULL}, {"unit_intro", 'l', 20000, NULL},
    {"joint_units", 'a', 50, UNIT},     {"sections", 'o', 0, SECTIONS23},
    {"targets", 'a', 1000, TARGET},     {"scheme_table", 'a', 200, SCHEME_ROW},
    {"schemes", 'a', 20, ATTACHED},     {NULL, 0, 0, NULL}};
static const pf_field_t ANNEX4[] = {
    {"name", 's', 400, NULL},           {"direction", 's', 32, NULL},
    {"industry", 's', 64, NULL},        {"product", 's', 64, NULL},
    {"direction_note", 's', 400, NULL}, {"unit_intro", 'l', 20000, NULL},
    {"joint_units", 'a', 50, UNIT},     {"sections", 'o', 0, SECTIONS4},
    {"schemes", 'a', 20, ATTACHED},     {NULL, 0, 0, NULL}};

/* The plan's own text: the three sections of its annex. */
static const required_t SECTION_NAMES23[] = {{"approach", "工作思路", NULL},
                                             {"arrangement", "试点安排", NULL},
                                             {"organisation", "组织保障", NULL}};
static const required_t SECTION_NAMES4[] = {
    {"it_status", "信息化建设情况", NULL},
    {"security_status", "网络安全基本情况", NULL},
    {"insurance_needs", "网络安全保险需求及保障范围", NULL}};

static size_t
sections_zishu(json_t *form, int annex)
{
    const required_t *names = annex == 4 ? SECTION_NAMES4 : SECTION_NAMES23;
    json_t *s = json_object_get(form, "sections");
    return pf_zishu(s, names[0].key) + pf_zishu(s, names[1].key) + pf_zishu(s, names[2].key);
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
    for (int k = 0; k < 2; k++) {
        json_t *v = json_object_get(sch, keys[k]);
        char field[64];
        snprintf(field, sizeof field, "schemes[%zu].%s", i, keys[k]);
        if (json_is_integer(v) && json_integer_value(v) < 0)
            return cy_error_set(err, CY_EINVAL, "money_negative", field,
                                "%s 不能为负数 / %s cannot be negative", field, field);
        if (complete && (!json_is_integer(v) || json_integer_value(v) <= 0))
            return cy_error_set(err, CY_EINVAL, "premium_required", field,
                                "所附服务方案应写明单价保费及保额（以分计的正整数） / an "
                                "attached scheme states its unit premium and sum insured "
                                "(positive fen)");
    }
    return CY_OK;
}

static cy_status_t
plan_draft(json_t *form, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(form, "scheme_table"), i, row)
    {
        const char *kind = pf_str(row, "kind");
        char field[48];
        snprintf(field, sizeof field, "scheme_table[%zu].kind", i);
        if (st == CY_OK && kind[0] && strcmp(kind, "enterprise") != 0 &&
            strcmp(kind, "product_service") != 0)
            st = cy_error_set(err, CY_EINVAL, "kind_unknown", field,
                              "方案类型应为 enterprise（企业类）或 product_service（产品服务类） / "
                              "kind must be enterprise or product_service");
    }
    json_array_foreach(json_object_get(form, "schemes"), i, row)
    {
        if (st == CY_OK)
            st = check_premium(row, i, 0, err);
    }
    return st;
}

/* Annex 2's head: 负责人（处级）and 联系人. */
static cy_status_t
authority_head(json_t *form, cy_error_t *err)
{
    static const required_t leader[] = {{"name", "负责人（处级）姓名", NULL},
                                        {"title", "负责人职务", NULL}};
    static const required_t contact[] = {{"name", "联系人姓名", NULL},
                                         {"phone", "联系人电话", NULL}};
    cy_status_t st = require_all(json_object_get(form, "leader"), "leader", leader, 2, err);
    if (st == CY_OK)
        st = require_all(json_object_get(form, "contact"), "contact", contact, 2, err);
    return st;
}

/* The attached service schemes: at least one, each named, long enough, priced. */
static cy_status_t
attached_complete(const round_t *r, json_t *form, cy_error_t *err)
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
        char field[64], zh[64];
        snprintf(field, sizeof field, "schemes[%zu].name", i);
        if (st == CY_OK)
            st = pf_require(sch, "name", field, "所附服务方案名称", field, err);
        snprintf(field, sizeof field, "schemes[%zu]", i);
        snprintf(zh, sizeof zh, "所附服务方案%zu", i + 1);
        if (st == CY_OK)
            st = round_check_zishu_min(r->limits.attached_scheme_zishu_min, attached_zishu(sch),
                                       field, zh, field, err);
        if (st == CY_OK)
            st = check_premium(sch, i, 1, err);
    }
    return st;
}

static cy_status_t
plan_complete(const app_t *app, const round_t *r, int annex, json_t *form, cy_error_t *err)
{
    cy_status_t st = pf_require(form, "name", "name", "方案名称", "name", err);
    if (st == CY_OK && annex != 2)
        st = check_direction(app, form, 1, err);
    if (st == CY_OK && annex != 2)
        st = pf_require(form, "unit_intro", "unit_intro", "申报单位简介", "unit_intro", err);
    if (st == CY_OK && annex == 2)
        st = authority_head(form, err);
    if (st == CY_OK)
        st = require_all(json_object_get(form, "sections"), "sections",
                         annex == 4 ? SECTION_NAMES4 : SECTION_NAMES23, 3, err);
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
    if (st == CY_OK)
        st = attached_complete(r, form, err);
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
    cy_status_t st = pf_check(pilot_annex_form(annex), form, "", err);
    if (st == CY_OK && annex != 2)
        st = check_direction(app, form, 0, err);
    if (st == CY_OK && annex != 2)
        st = round_check_zishu_max(r->limits.unit_intro_zishu_max, pf_zishu(form, "unit_intro"),
                                   "unit_intro", "申报单位简介", "unit_intro", err);
    if (st == CY_OK && annex == 1)
        st = round_check_zishu_max(r->limits.overview_zishu_max, pf_zishu(form, "overview"),
                                   "overview", "方案概述", "overview", err);
    if (st == CY_OK && annex != 2)
        st = check_joint_units(r, json_object_get(form, "joint_units"), lead_uscc, err);
    size_t cases = pf_len(json_object_get(form, "body"), "cases");
    if (st == CY_OK && annex == 1 && (long long)cases > r->limits.cases_max)
        st = round_check_cases(r, cases, "body.cases", err);
    if (st == CY_OK && annex != 1)
        st = plan_draft(form, err);
    return st;
}

cy_status_t
pilot_annex_check_complete(const app_t *app, const round_t *r, int annex, json_t *form,
                           cy_error_t *err)
{
    if (annex == 1)
        return scheme_complete(app, r, form, err);
    return plan_complete(app, r, annex, form, err);
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
