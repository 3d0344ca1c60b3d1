/*
 * records.c — the record each template of data/forms takes
 * (docs/documents.md, "What the caller passes"), read through the pilot's
 * use cases as the caller sees it, so a record outside its sight is 404
 * here exactly as it is on its own page. What the records do not carry is
 * resolved here: a region's name, the author organisation of an Annex 3/4
 * plan, the date a form is dated (when it was received, else last edited),
 * a round's name. Depends on app/pilot, app/identity, core/ and jansson.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/docs/internal.h"
#include "app/identity/identity.h"
#include "app/pilot/pilot.h"
#include "core/ref.h"

static const char *
jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The first of the keys o holds as a non-empty string ("" when none). */
static const char *
first_of(const json_t *o, const char *k1, const char *k2)
{
    const char *s = jstr(o, k1);
    if (s == NULL || s[0] == '\0')
        s = jstr(o, k2);
    return s ? s : "";
}

static void
add_part(docs_record_t *r, const char *form, json_t *data)
{
    if (r->parts == NULL)
        r->parts = json_array();
    json_array_append_new(r->parts, json_pack("{s:s, s:O}", "form", form, "data", data));
}

/*
 * lead.region_name from lead.region_code, as the form's 所在地区 reads:
 * the province and the prefecture ("广东省广州市"; "北京市" for a
 * province-level unit without prefectures).
 */
static void
region_name(const app_t *app, json_t *lead)
{
    const char *code = jstr(lead, "region_code");
    const ref_region_t *prov = ref_region_province_of(app->ref, code);
    const ref_region_t *city = ref_region_city_of(app->ref, code);
    char name[200];
    snprintf(name, sizeof name, "%s%s", prov ? prov->name : "",
             city && city != prov ? city->name : "");
    if (json_is_object(lead))
        json_object_set_new(lead, "region_name", json_string(name));
}

/* An organisation as the forms' 基本信息 print it, as the caller may see it. */
static json_t *
org_json(app_t *app, const actor_t *a, int64_t id, const char *name)
{
    org_t o;
    cy_error_t ignored;
    if (app_org_get(app, a, id, &o, &ignored) != CY_OK)
        return json_pack("{s:s}", "name", name ? name : "");
    json_t *j = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)o.id,
        "name", o.name, "uscc", o.uscc, "region_code", o.region_code, "nature", o.nature,
        "nature_other", o.nature_other, "registered_capital_fen",
        o.registered_capital_fen >= 0 ? json_integer(o.registered_capital_fen) : json_null(),
        "founded_on", o.founded_on, "address", o.address, "contact", o.contact, "phone", o.phone,
        "fax", o.fax, "email", o.email);
    region_name(app, j);
    return j;
}

/*
 * The lead's 基本信息 as filed: the form's lead_info (成立时间…邮箱, 机构类型)
 * over the organisation's record, field by field where the form gives one.
 */
static void
lead_as_filed(json_t *rec)
{
    json_t *lead = json_object_get(rec, "lead");
    json_t *info = json_object_get(json_object_get(rec, "form"), "lead_info");
    const char *key;
    json_t *v;
    json_object_foreach(info, key, v)
    {
        if (json_is_object(lead) &&
            (json_is_integer(v) || (json_is_string(v) && jstr(info, key)[0])))
            json_object_set(lead, key, v);
    }
}

static void
stem_of(docs_record_t *r, const char *what, int64_t id, const char *round_id)
{
    if (round_id == NULL) {
        snprintf(r->stem, sizeof r->stem, "%s-%" PRId64, what, id);
        return;
    }
    /* a round id is a file's name: keep it to what a file name and a URL hold plainly */
    char safe[24];
    size_t n = 0;
    for (const char *s = round_id; *s && n + 1 < sizeof safe; s++)
        if (isalnum((unsigned char)*s) || *s == '-' || *s == '_')
            safe[n++] = *s;
    safe[n] = '\0';
    snprintf(r->stem, sizeof r->stem, "%s-%s", what, safe);
}

static cy_status_t
build_scheme(app_t *app, const actor_t *a, int64_t id, docs_record_t *r, cy_error_t *err)
{
    json_t *s;
    cy_status_t st = app_pilot_read(app, a, PILOT_SCHEME, id, &s, err);
    if (st != CY_OK)
        return st;
    region_name(app, json_object_get(s, "lead"));
    lead_as_filed(s);
    json_object_set_new(s, "date", json_string(first_of(s, "received_at", "updated_at")));
    add_part(r, "annex1", s);
    json_decref(s);
    stem_of(r, "scheme", id, NULL);
    return CY_OK;
}

/* A plan ready for its annex's form: its author as lead (Annex 3, 4), its date. */
static cy_status_t
plan_record(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    cy_status_t st = app_pilot_read(app, a, PILOT_PLAN, id, out, err);
    if (st != CY_OK)
        return st;
    json_t *p = *out;
    if (json_integer_value(json_object_get(p, "annex")) != 2)
        json_object_set_new(p, "lead",
                            org_json(app, a,
                                     json_integer_value(json_object_get(p, "author_org_id")),
                                     jstr(p, "author_name")));
    lead_as_filed(p);
    json_object_set_new(p, "date", json_string(first_of(p, "submitted_at", "updated_at")));
    return CY_OK;
}

static const char *
annex_form(const json_t *plan)
{
    static const char *const FORMS[] = {"annex2", "annex3", "annex4"};
    json_int_t annex = json_integer_value(json_object_get(plan, "annex"));
    return annex >= 2 && annex <= 4 ? FORMS[annex - 2] : "annex4";
}

static cy_status_t
build_plan(app_t *app, const actor_t *a, int64_t id, docs_record_t *r, cy_error_t *err)
{
    json_t *p;
    cy_status_t st = plan_record(app, a, id, &p, err);
    if (st != CY_OK)
        return st;
    json_int_t annex = json_integer_value(json_object_get(p, "annex"));
    add_part(r, annex_form(p), p);
    if (annex == 2 || annex == 3) {
        r->workbook = annex == 2 ? "annex2_tables" : "annex3_tables";
        r->sheet = json_incref(p);
    }
    json_decref(p);
    stem_of(r, "plan", id, NULL);
    return CY_OK;
}

/* The rows of the plan's table key, each with the plan's name and author, onto sheet[key]. */
static void
flatten(json_t *sheet, const json_t *plan, const char *key)
{
    json_t *rows = json_object_get(json_object_get(plan, "form"), key);
    json_t *all = json_object_get(sheet, key);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *copy = json_deep_copy(row);
        json_object_set_new(copy, "plan_name", json_string(first_of(plan, "name", "name")));
        json_object_set_new(copy, "author_name", json_string(first_of(plan, "author_name", "")));
        json_array_append_new(all, copy);
    }
}

/* A package: its cover list, then each plan's own form; the plans' tables as one workbook. */
static cy_status_t
build_package(app_t *app, const actor_t *a, int64_t id, docs_record_t *r, cy_error_t *err)
{
    json_t *k;
    cy_status_t st = app_pilot_read(app, a, PILOT_PACKAGE, id, &k, err);
    if (st != CY_OK)
        return st;
    json_t *hops = json_object_get(k, "hops");
    json_t *last = json_array_get(hops, json_array_size(hops) - 1);
    json_object_set_new(
        k, "date",
        json_string(last ? first_of(last, "received_at", "") : first_of(k, "created_at", "")));
    add_part(r, "package_cover", k);
    r->workbook = "package_tables";
    r->sheet =
        json_pack("{s:[], s:[], s:[], s:[]}", "institutions", "targets", "scheme_table", "schemes");
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(k, "plans"), i, item)
    {
        json_t *p = NULL;
        if (st == CY_OK)
            st = plan_record(app, a, json_integer_value(json_object_get(item, "id")), &p, err);
        if (st != CY_OK)
            break;
        add_part(r, annex_form(p), p);
        static const char *const TABLES[] = {"institutions", "targets", "scheme_table", "schemes"};
        for (size_t t = 0; t < 4; t++)
            flatten(r->sheet, p, TABLES[t]);
        json_decref(p);
    }
    json_decref(k);
    stem_of(r, "package", id, NULL);
    return st;
}

/* The round's name (a refusal names field round_id). */
static cy_status_t
round_name(app_t *app, const char *round_id, json_t *into, cy_error_t *err)
{
    json_t *round = NULL;
    cy_status_t st = app_round_get(app, round_id ? round_id : "", &round, err);
    if (st == CY_OK)
        json_object_set_new(into, "round_name", json_string(first_of(round, "name_zh", "id")));
    else
        snprintf(err->field, sizeof err->field, "round_id");
    json_decref(round);
    return st;
}

static cy_status_t
build_catalogue(app_t *app, const actor_t *a, const char *round_id, docs_record_t *r,
                cy_error_t *err)
{
    json_t *items = NULL, *data = json_object();
    cy_status_t st = round_name(app, round_id, data, err);
    if (st == CY_OK)
        st = app_catalogue_get(app, a, round_id, &items, err);
    if (st == CY_OK) {
        /* published when its last entry was listed */
        const char *published = "";
        size_t i;
        json_t *row;
        json_array_foreach(items, i, row)
        {
            if (strcmp(first_of(row, "published_at", ""), published) > 0)
                published = jstr(row, "published_at");
        }
        json_object_set_new(data, "published_at", json_string(published));
        json_object_set_new(data, "items", items);
        add_part(r, "catalogue", data);
        r->workbook = "catalogue";
        r->sheet = json_incref(data);
        stem_of(r, "catalogue", 0, round_id);
    } else {
        json_decref(items);
    }
    json_decref(data);
    return st;
}

static cy_status_t
build_report(app_t *app, const actor_t *a, int64_t id, docs_record_t *r, cy_error_t *err)
{
    json_t *rep, *pilot = NULL;
    cy_status_t st = app_pilot_read(app, a, PILOT_REPORT, id, &rep, err);
    if (st != CY_OK)
        return st;
    /* whoever sees a report sees its pilot: the pilot and its reports are seen as its plan */
    st = app_pilot_read(app, a, PILOT_PILOT, json_integer_value(json_object_get(rep, "pilot_id")),
                        &pilot, err);
    if (st == CY_OK) {
        json_object_set_new(rep, "plan_name", json_string(first_of(pilot, "plan_name", "")));
        json_object_set_new(rep, "lead_name", json_string(first_of(pilot, "lead_name", "")));
        add_part(r, "report", rep);
        stem_of(r, "report", id, NULL);
    }
    json_decref(pilot);
    json_decref(rep);
    return st;
}

/*
 * The parts of the annual summary its round adds (summary_sections), after
 * the notice's three: parts = [{no: 四…, name, text}], each filled from the
 * record's sections.
 */
static void
summary_parts(app_t *app, json_t *sum)
{
    static const char *const NO[] = {"四", "五", "六", "七", "八", "九", "十", "十一"};
    json_t *round = NULL, *parts = json_array();
    cy_error_t ignored;
    if (app_round_get(app, jstr(sum, "round_id"), &round, &ignored) != CY_OK)
        round = NULL;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(round, "summary_sections"), i, x)
    {
        const char *name = jstr(x, "name_zh"), *key = jstr(x, "key");
        const char *text = key ? jstr(json_object_get(sum, "sections"), key) : NULL;
        if (i < sizeof NO / sizeof NO[0])
            json_array_append_new(parts, json_pack("{s:s, s:s, s:s}", "no", NO[i], "name",
                                                   name ? name : "", "text", text ? text : ""));
    }
    json_object_set_new(sum, "parts", parts);
    json_decref(round);
}

static cy_status_t
build_summary(app_t *app, const actor_t *a, int64_t id, docs_record_t *r, cy_error_t *err)
{
    json_t *sum;
    cy_status_t st = app_pilot_read(app, a, PILOT_SUMMARY, id, &sum, err);
    if (st == CY_OK)
        st = round_name(app, jstr(sum, "round_id"), sum, err);
    if (st == CY_OK) {
        summary_parts(app, sum);
        add_part(r, "summary", sum);
        stem_of(r, "summary", id, NULL);
    }
    json_decref(sum);
    return st;
}

static cy_status_t
build_overdue(app_t *app, const actor_t *a, int64_t now, const char *round_id, docs_record_t *r,
              cy_error_t *err)
{
    json_t *items = NULL, *data = json_object();
    cy_status_t st = round_name(app, round_id, data, err); /* a round no file has: 404 */
    if (st == CY_OK)
        st = app_overdue_list(app, a, now, round_id, &items, err);
    if (st != CY_OK) {
        json_decref(data);
        return st;
    }
    json_object_set_new(data, "items", items);
    r->workbook = "overdue";
    r->sheet = data;
    stem_of(r, "overdue", 0, round_id);
    return CY_OK;
}

cy_status_t
docs_record_build(app_t *app, const actor_t *a, int64_t now, const docs_request_t *req,
                  docs_record_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    cy_status_t st = CY_EINVAL;
    switch (req->kind) {
    case DOCS_SCHEME:
        st = build_scheme(app, a, req->id, out, err);
        break;
    case DOCS_PLAN:
        st = build_plan(app, a, req->id, out, err);
        break;
    case DOCS_PACKAGE:
        st = build_package(app, a, req->id, out, err);
        break;
    case DOCS_CATALOGUE:
        st = build_catalogue(app, a, req->round_id, out, err);
        break;
    case DOCS_REPORT:
        st = build_report(app, a, req->id, out, err);
        break;
    case DOCS_SUMMARY:
        st = build_summary(app, a, req->id, out, err);
        break;
    case DOCS_OVERDUE:
        st = build_overdue(app, a, now, req->round_id, out, err);
        break;
    }
    if (st != CY_OK)
        docs_record_free(out);
    return st;
}

void
docs_record_free(docs_record_t *r)
{
    json_decref(r->parts);
    json_decref(r->sheet);
    r->parts = r->sheet = NULL;
    r->workbook = NULL;
}
