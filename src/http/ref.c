/*
 * ref.c — reference data (public facts of national standards and of the
 * notice) and the stateless checks forms call while a user types. Parse,
 * call app/ or core/, render. Never includes sqlite3 or libpq.
 */
#include <string.h>

#include "core/zishu.h"
#include "http/http.h"
#include "http/handlers.h"

static json_t *
region_json(const ref_region_t *r)
{
    return json_pack("{s:s, s:s, s:i, s:o, s:b}", "code", r->code, "name", r->name, "level",
                     r->level, "parent", r->parent[0] ? json_string(r->parent) : json_null(),
                     "plan_city", r->plan_city);
}

static json_t *
industry_json(const ref_industry_t *d)
{
    char section[2] = {d->section, '\0'};
    return json_pack("{s:s, s:i, s:s, s:s}", "code", d->code, "level", d->level, "section", section,
                     "name", d->name);
}

static json_t *
coverage_json(const ref_coverage_t *v)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "code", v->code, "class",
                     v->third_party ? "third_party" : "first_party", "name_zh", v->name_zh,
                     "name_en", v->name_en, "description_zh", v->description_zh, "waiting_period",
                     v->waiting_period, "oed_code", v->oed_code);
}

static json_t *
class_json(const ref_class_t *c)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s}", "code", c->code, "name_zh", c->name_zh, "name_en", c->name_en);
    if (c->group[0])
        json_object_set_new(o, "group", json_string(c->group));
    return o;
}

static json_t *
list_of(json_t *items)
{
    return json_pack("{s:o, s:n}", "items", items, "next");
}

static char *
dump(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

cy_status_t
http_cache_build(const app_t *app, http_cache_t *cache, cy_error_t *err)
{
    const ref_data_t *ref = app_ref(app);
    json_t *a = json_array();
    for (size_t i = 0; i < ref->n_coverages; i++)
        json_array_append_new(a, coverage_json(&ref->coverages[i]));
    cache->coverages = dump(list_of(a));
    a = json_array();
    for (size_t i = 0; i < ref->n_regions; i++)
        json_array_append_new(a, region_json(&ref->regions[i]));
    cache->regions = dump(list_of(a));
    a = json_array();
    for (size_t i = 0; i < ref->n_industries; i++)
        json_array_append_new(a, industry_json(&ref->industries[i]));
    cache->industries = dump(list_of(a));
    json_t *ti = json_array(), *pc = json_array();
    for (size_t i = 0; i < ref->n_target_industries; i++)
        json_array_append_new(ti, class_json(&ref->target_industries[i]));
    for (size_t i = 0; i < ref->n_product_classes; i++)
        json_array_append_new(pc, class_json(&ref->product_classes[i]));
    json_t *ik = json_array();
    for (size_t i = 0; i < ref->n_institution_kinds; i++)
        json_array_append_new(ik, class_json(&ref->institution_kinds[i]));
    cache->pilot = dump(json_pack("{s:o, s:o, s:o}", "target_industries", ti, "product_classes", pc,
                                  "institution_kinds", ik));
    if (!cache->coverages || !cache->regions || !cache->industries || !cache->pilot) {
        http_cache_free(cache);
        return cy_error_no_memory(err);
    }
    return CY_OK;
}

void
http_cache_free(http_cache_t *cache)
{
    free(cache->coverages);
    free(cache->regions);
    free(cache->industries);
    free(cache->pilot);
    memset(cache, 0, sizeof *cache);
}

static void
reply_cached(http_resp_t *resp, const char *s)
{
    http_reply_text(resp, 200, "application/json; charset=utf-8", s, strlen(s));
}

/* Read ?level=1|2; -1 when absent. Answers 400 and returns 0 when malformed. */
static int
query_level(http_req_t *req, http_resp_t *resp, int *level)
{
    const char *q = http_query(req, "level");
    *level = -1;
    if (q == NULL)
        return 1;
    if (strcmp(q, "1") == 0 || strcmp(q, "2") == 0) {
        *level = q[0] - '0';
        return 1;
    }
    cy_error_t e;
    cy_error_set(&e, CY_EBADREQ, "query_invalid", "level",
                 "level 只能是 1 或 2 / level must be 1 or 2");
    http_reply_error(resp, &e);
    return 0;
}

void
h_ref_regions(http_req_t *req, http_resp_t *resp)
{
    int level;
    if (!query_level(req, resp, &level))
        return;
    const char *parent = http_query(req, "parent");
    if (level < 0 && parent == NULL) {
        reply_cached(resp, req->cache->regions);
        return;
    }
    if (parent != NULL && (strlen(parent) != 6 || strspn(parent, "0123456789") != 6)) {
        cy_error_t e;
        cy_error_set(&e, CY_EBADREQ, "query_invalid", "parent",
                     "parent 应为 6 位行政区划代码 / parent must be a 6-digit region code");
        http_reply_error(resp, &e);
        return;
    }
    const ref_data_t *ref = app_ref(req->app);
    json_t *a = json_array();
    for (size_t i = 0; i < ref->n_regions; i++) {
        const ref_region_t *r = &ref->regions[i];
        if ((level < 0 || r->level == level) && (parent == NULL || strcmp(r->parent, parent) == 0))
            json_array_append_new(a, region_json(r));
    }
    http_reply_json(resp, 200, list_of(a));
}

void
h_ref_industries(http_req_t *req, http_resp_t *resp)
{
    int level;
    if (!query_level(req, resp, &level))
        return;
    const char *section = http_query(req, "section");
    if (level < 0 && section == NULL) {
        reply_cached(resp, req->cache->industries);
        return;
    }
    if (section != NULL && (strlen(section) != 1 || section[0] < 'A' || section[0] > 'T')) {
        cy_error_t e;
        cy_error_set(&e, CY_EBADREQ, "query_invalid", "section",
                     "section 应为 A–T 的一个字母 / section must be one letter A–T");
        http_reply_error(resp, &e);
        return;
    }
    const ref_data_t *ref = app_ref(req->app);
    json_t *a = json_array();
    for (size_t i = 0; i < ref->n_industries; i++) {
        const ref_industry_t *d = &ref->industries[i];
        if ((level < 0 || d->level == level) && (section == NULL || d->section == section[0]))
            json_array_append_new(a, industry_json(d));
    }
    http_reply_json(resp, 200, list_of(a));
}

void
h_ref_coverages(http_req_t *req, http_resp_t *resp)
{
    reply_cached(resp, req->cache->coverages);
}

void
h_ref_pilot(http_req_t *req, http_resp_t *resp)
{
    reply_cached(resp, req->cache->pilot);
}

void
h_check_uscc(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"uscc", JSON_STRING, 1}, {NULL, 0, 0}};
    json_t *body;
    cy_error_t err;
    if (http_body_object(req, spec, &body, &err) != CY_OK) {
        http_reply_error(resp, &err);
        return;
    }
    uscc_info_t info;
    int legal = 0;
    cy_error_t legal_err;
    cy_status_t st = app_check_uscc(json_string_value(json_object_get(body, "uscc")), &info, &legal,
                                    &legal_err, &err);
    json_decref(body);
    if (st != CY_OK) {
        http_reply_error(resp, &err);
        return;
    }
    char dept[2] = {info.dept, '\0'}, cat[2] = {info.category, '\0'};
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "uscc", info.code, "dept", dept, "category",
        cat, "category_name", uscc_category_name(info.dept, info.category), "region", info.region,
        "orgcode", info.orgcode, "orgcode_ok", info.orgcode_ok, "legal_person", legal);
    if (!legal)
        json_object_set_new(o, "legal_person_error",
                            json_pack("{s:s, s:s, s:s}", "code", legal_err.code, "message",
                                      legal_err.message, "field", legal_err.field));
    http_reply_json(resp, 200, o);
}

void
h_check_zishu(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"text", JSON_STRING, 1}, {NULL, 0, 0}};
    json_t *body;
    cy_error_t err;
    if (http_body_object(req, spec, &body, &err) != CY_OK) {
        http_reply_error(resp, &err);
        return;
    }
    json_t *t = json_object_get(body, "text");
    size_t count = 0;
    cy_status_t st = zishu_count(json_string_value(t), json_string_length(t), &count, &err);
    json_decref(body);
    if (st != CY_OK) {
        http_reply_error(resp, &err);
        return;
    }
    http_reply_json(resp, 200, json_pack("{s:I}", "count", (json_int_t)count));
}
