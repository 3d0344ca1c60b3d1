/*
 * claims.c — data/claims/rules.json and exclusions.json into claims_data_t
 * (claims.h), every refusal naming the file, the line and the field.
 */
#include "data/claims.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cov.h"
#include "data/jsonfile.h"

#define DOC_KEYS "note", "source", "notes"

/* obj[key]: "all" or an array of coverage codes, into a mask (not empty). */
static cy_status_t
coverage_mask(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, uint32_t *out)
{
    char path[256];
    jsonfile_path(path, sizeof path, base, key);
    json_t *v = json_object_get(obj, key);
    *out = 0;
    if (json_is_string(v) && strcmp(json_string_value(v), "all") == 0) {
        *out = COV_ALL_MASK;
        return CY_OK;
    }
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        int c = cov_find(json_string_value(x));
        if (c < 0)
            return jsonfile_fail(jf, path,
                                 "第 %zu 项不是已知险种 / item %zu is not a known coverage", i, i);
        *out |= 1u << c;
    }
    if (*out == 0)
        return jsonfile_fail(jf, path,
                             "应为 \"all\" 或非空的险种代码数组 / must be \"all\" or a non-empty "
                             "array of coverage codes");
    return CY_OK;
}

static cy_status_t
types_load(const jsonfile_t *jf, claims_data_t *d)
{
    static const char *const keys[] = {"code", "name_zh", "name_en", "perils", DOC_KEYS, NULL};
    json_t *a, *o;
    cy_status_t st =
        jsonfile_array(jf, jf->root, "", "incident_types", 1, CLAIMS_MAX_TYPES, "项", "items", &a);
    char b[64];
    for (size_t i = 0; st == CY_OK && (o = jsonfile_item(a, "incident_types", i, b, sizeof b));
         i++) {
        claims_incident_type_t *t = &d->types[i];
        st = jsonfile_keys(jf, o, b, keys);
        if (st == CY_OK)
            st = jsonfile_names(jf, o, b, t->code, sizeof t->code, t->name_zh, sizeof t->name_zh,
                                t->name_en, sizeof t->name_en);
        if (st == CY_OK)
            st = coverage_mask(jf, o, b, "perils", &t->perils);
        if (st == CY_OK && claims_type_find(d, t->code) != NULL)
            st = jsonfile_fail(jf, b, "代码重复 / repeated code");
        if (st == CY_OK)
            d->n_types = i + 1;
    }
    return st;
}

static cy_status_t
services_load(const jsonfile_t *jf, claims_data_t *d)
{
    static const char *const keys[] = {"code", "name_zh", "name_en", DOC_KEYS, NULL};
    json_t *a, *o;
    cy_status_t st =
        jsonfile_array(jf, jf->root, "", "services", 1, CLAIMS_MAX_SERVICES, "项", "items", &a);
    char b[64];
    for (size_t i = 0; st == CY_OK && (o = jsonfile_item(a, "services", i, b, sizeof b)); i++) {
        claims_service_t *s = &d->services[i];
        st = jsonfile_keys(jf, o, b, keys);
        if (st == CY_OK)
            st = jsonfile_names(jf, o, b, s->code, sizeof s->code, s->name_zh, sizeof s->name_zh,
                                s->name_en, sizeof s->name_en);
        if (st == CY_OK && claims_service_find(d, s->code) != NULL)
            st = jsonfile_fail(jf, b, "代码重复 / repeated code");
        if (st == CY_OK)
            d->n_services = i + 1;
    }
    return st;
}

/* evidence_media_types: lower-case type/subtype strings, each once. */
static cy_status_t
media_load(const jsonfile_t *jf, claims_data_t *d)
{
    json_t *a, *v;
    cy_status_t st = jsonfile_array(jf, jf->root, "", "evidence_media_types", 1, CLAIMS_MAX_MEDIA,
                                    "项", "items", &a);
    char b[64];
    for (size_t i = 0;
         st == CY_OK && (v = jsonfile_item(a, "evidence_media_types", i, b, sizeof b)); i++) {
        const char *s = json_string_value(v);
        size_t n = s ? strlen(s) : 0;
        if (n < 3 || n >= sizeof d->media[i] || strchr(s, '/') == NULL ||
            strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789/.+-") != n)
            return jsonfile_fail(jf, b,
                                 "应为小写的媒体类型（如 application/pdf） / must be a lower-case "
                                 "media type (e.g. application/pdf)");
        for (size_t k = 0; k < i; k++)
            if (strcmp(d->media[k], s) == 0)
                return jsonfile_fail(jf, b, "媒体类型重复 / repeated media type");
        snprintf(d->media[i], sizeof d->media[i], "%s", s);
        d->evidence_types[i] = d->media[i];
        d->n_media = i + 1;
    }
    d->evidence_types[d->n_media] = NULL;
    return st;
}

static cy_status_t
rules_load(const char *path, claims_data_t *d, cy_error_t *err)
{
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, "claims/rules.json", "claims_rules_invalid", err);
    if (st != CY_OK)
        return st;
    static const char *const keys[] = {"source",
                                       "version",
                                       "notice_hours",
                                       "non_panel_hourly_rate_cny",
                                       "incident_types",
                                       "services",
                                       "evidence_media_types",
                                       DOC_KEYS,
                                       NULL};
    double v = 0;
    st = jsonfile_head(&jf, keys, d->rules_source, sizeof d->rules_source, d->rules_version,
                       sizeof d->rules_version);
    if (st == CY_OK)
        st = jsonfile_number(&jf, jf.root, "", "notice_hours", 1, 8760, NULL, &v);
    d->notice_hours = (int)v;
    if (st == CY_OK)
        st = jsonfile_number(&jf, jf.root, "", "non_panel_hourly_rate_cny", 0.01, 1e7, NULL, &v);
    d->non_panel_rate = (int64_t)floor(v * 100.0 + 0.5);
    if (st == CY_OK)
        st = types_load(&jf, d);
    if (st == CY_OK)
        st = services_load(&jf, d);
    if (st == CY_OK)
        st = media_load(&jf, d);
    jsonfile_free(&jf);
    return st;
}

static const char *const KINDS[LIAB_EXCL_KINDS] = {"war", "infrastructure", "intentional",
                                                   "unpatched_kev"};

static cy_status_t
exclusion_load(const jsonfile_t *jf, json_t *o, const char *b, claims_exclusion_text_t *t,
               liab_exclusion_t *x)
{
    static const char *const keys[] = {"code",       "kind",       "clause",     "name_zh",
                                       "name_en",    "wording_zh", "wording_en", "coverages",
                                       "grace_days", DOC_KEYS,     NULL};
    char kind[32];
    double grace = 0;
    cy_status_t st = jsonfile_keys(jf, o, b, keys);
    if (st == CY_OK)
        st = jsonfile_names(jf, o, b, t->code, sizeof t->code, t->name_zh, sizeof t->name_zh,
                            t->name_en, sizeof t->name_en);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, b, "clause", 1, t->clause, sizeof t->clause);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, b, "wording_zh", 1, t->wording_zh, sizeof t->wording_zh);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, b, "wording_en", 1, t->wording_en, sizeof t->wording_en);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, b, "source", 1, t->source, sizeof t->source);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, b, "kind", 1, kind, sizeof kind);
    int k = 0;
    while (st == CY_OK && k < LIAB_EXCL_KINDS && strcmp(kind, KINDS[k]) != 0)
        k++;
    if (st == CY_OK && k == LIAB_EXCL_KINDS)
        st = jsonfile_fail(jf, b,
                           "kind 应为 war、infrastructure、intentional 或 unpatched_kev / "
                           "kind must be war, infrastructure, intentional or unpatched_kev");
    double zero = 0;
    if (st == CY_OK)
        st = jsonfile_number(jf, o, b, "grace_days", k == LIAB_EXCL_UNPATCHED_KEV ? 1 : 0, 3650,
                             k == LIAB_EXCL_UNPATCHED_KEV ? NULL : &zero, &grace);
    if (st == CY_OK)
        st = coverage_mask(jf, o, b, "coverages", &x->applies);
    *x = (liab_exclusion_t){t->code,    (liab_excl_kind_t)k, t->clause, t->name_zh,
                            t->name_en, x->applies,          (int)grace};
    return st;
}

static cy_status_t
exclusions_load(const char *path, claims_data_t *d, cy_error_t *err)
{
    jsonfile_t jf;
    cy_status_t st =
        jsonfile_load(&jf, path, "claims/exclusions.json", "claims_exclusions_invalid", err);
    if (st != CY_OK)
        return st;
    static const char *const keys[] = {"source",     "version", "wording",
                                       "exclusions", DOC_KEYS,  NULL};
    st = jsonfile_head(&jf, keys, d->excl_source, sizeof d->excl_source, d->excl_version,
                       sizeof d->excl_version);
    if (st == CY_OK)
        st = jsonfile_string(&jf, jf.root, "", "wording", 1, d->wording, sizeof d->wording);
    json_t *a = NULL, *o;
    if (st == CY_OK)
        st = jsonfile_array(&jf, jf.root, "", "exclusions", 1, LIAB_MAX_EXCLUSIONS, "项", "items",
                            &a);
    char b[64];
    for (size_t i = 0; st == CY_OK && (o = jsonfile_item(a, "exclusions", i, b, sizeof b)); i++) {
        st = exclusion_load(&jf, o, b, &d->texts[i], &d->exclusions[i]);
        for (size_t k = 0; st == CY_OK && k < i; k++)
            if (strcmp(d->texts[k].code, d->texts[i].code) == 0)
                st = jsonfile_fail(&jf, b, "代码重复 / repeated code");
        if (st == CY_OK)
            d->n_exclusions = i + 1;
    }
    jsonfile_free(&jf);
    return st;
}

cy_status_t
claims_data_load(const char *data_dir, claims_data_t **out, cy_error_t *err)
{
    *out = NULL;
    claims_data_t *d = calloc(1, sizeof *d);
    if (d == NULL)
        return cy_error_no_memory(err);
    char path[4096];
    snprintf(path, sizeof path, "%s/claims/rules.json", data_dir);
    cy_status_t st = rules_load(path, d, err);
    if (st == CY_OK) {
        snprintf(path, sizeof path, "%s/claims/exclusions.json", data_dir);
        st = exclusions_load(path, d, err);
    }
    if (st != CY_OK) {
        free(d);
        return st;
    }
    *out = d;
    return CY_OK;
}

void
claims_data_free(claims_data_t *d)
{
    free(d);
}

const claims_incident_type_t *
claims_type_find(const claims_data_t *d, const char *code)
{
    return data_code_find(d->types, d->n_types, sizeof d->types[0], code);
}

const claims_service_t *
claims_service_find(const claims_data_t *d, const char *code)
{
    return data_code_find(d->services, d->n_services, sizeof d->services[0], code);
}
