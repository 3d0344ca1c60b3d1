/*
 * data/monitor.c — reading DATA/vendors/catalogue.json and
 * DATA/monitor/rules.json (data/monitor.h). May use stdio and jansson;
 * never store/, app/, http/ or cli/.
 */
#include "data/monitor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/jsonfile.h"

const mon_vendor_t *
monitor_vendor_find(const monitor_data_t *md, const char *code)
{
    return data_code_find(md->vendors, md->n_vendors, sizeof md->vendors[0], code);
}

const mon_severity_t *
monitor_severity_find(const monitor_data_t *md, const char *code)
{
    return data_code_find(md->severities, md->n_severities, sizeof md->severities[0], code);
}

static int
code_ok(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return *s != '\0';
}

/* obj[key]: an array of at most max entries, each checked by fn. */
typedef cy_status_t (*entry_fn)(const jsonfile_t *jf, json_t *v, const char *base, size_t i,
                                monitor_data_t *md);

static cy_status_t
read_array(const jsonfile_t *jf, const char *key, size_t max, entry_fn fn, monitor_data_t *md)
{
    json_t *a = json_object_get(jf->root, key);
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > max)
        return jsonfile_fail(jf, key, "应为 1–%zu 项的数组 / must be an array of 1 to %zu entries",
                             max, max);
    char base[64];
    json_t *v;
    for (size_t i = 0; (v = jsonfile_item(a, key, i, base, sizeof base)) != NULL; i++) {
        cy_status_t st = json_is_object(v)
                             ? fn(jf, v, base, i, md)
                             : jsonfile_fail(jf, base, "应为对象 / must be an object");
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

/* One {code, name_zh, name_en} of a list into c. */
static cy_status_t
named(const jsonfile_t *jf, json_t *v, const char *base, mon_category_t *c)
{
    static const char *const keys[] = {"code", "name_zh", "name_en", NULL};
    cy_status_t st = jsonfile_keys(jf, v, base, keys);
    return st == CY_OK ? jsonfile_names(jf, v, base, c->code, sizeof c->code, c->name_zh,
                                        sizeof c->name_zh, c->name_en, sizeof c->name_en)
                       : st;
}

static cy_status_t
category(const jsonfile_t *jf, json_t *v, const char *base, size_t i, monitor_data_t *md)
{
    md->n_categories = i + 1;
    return named(jf, v, base, &md->categories[i]);
}

static cy_status_t
service_kind(const jsonfile_t *jf, json_t *v, const char *base, size_t i, monitor_data_t *md)
{
    md->n_service_kinds = i + 1;
    return named(jf, v, base, &md->service_kinds[i]);
}

static cy_status_t
matchers(const jsonfile_t *jf, json_t *v, const char *base, mon_vendor_t *e)
{
    char path[96];
    json_t *cpe, *kev;
    jsonfile_path(path, sizeof path, base, "cpe");
    cy_status_t st = jsonfile_array(jf, v, base, "cpe", 0, MON_MAX_MATCH, "项", "", &cpe);
    if (st != CY_OK)
        return st;
    for (size_t k = 0; k < json_array_size(cpe); k++) {
        const char *s = json_string_value(json_array_get(cpe, k));
        if (s == NULL || strchr(s, ':') == NULL || strlen(s) >= sizeof e->cpe[0])
            return jsonfile_fail(jf, path, "应为 vendor:product 形式 / must be vendor:product");
        snprintf(e->cpe[e->n_cpe++], sizeof e->cpe[0], "%s", s);
    }
    jsonfile_path(path, sizeof path, base, "kev");
    if ((st = jsonfile_array(jf, v, base, "kev", 0, MON_MAX_MATCH, "项", "", &kev)) != CY_OK)
        return st;
    char b[128];
    json_t *o;
    for (size_t k = 0; (o = jsonfile_item(kev, path, k, b, sizeof b)) != NULL; k++) {
        jsonfile_text_t t[] = {{"vendor", e->kev_vendor[k], sizeof e->kev_vendor[0], 1},
                               {"product", e->kev_product[k], sizeof e->kev_product[0], 1}};
        st = json_is_object(o) ? jsonfile_strings(jf, o, b, t, 2)
                               : jsonfile_fail(jf, b, "应为对象 / must be an object");
        if (st != CY_OK)
            return st;
        e->n_kev = k + 1;
    }
    return CY_OK;
}

static cy_status_t
vendor(const jsonfile_t *jf, json_t *v, const char *base, size_t i, monitor_data_t *md)
{
    static const char *const keys[] = {"code", "category", "name_zh", "name_en",
                                       "cpe",  "kev",      NULL};
    mon_vendor_t *e = &md->vendors[i];
    jsonfile_text_t t[] = {{"code", e->code, sizeof e->code, 1},
                           {"category", e->category, sizeof e->category, 1},
                           {"name_zh", e->name_zh, sizeof e->name_zh, 1},
                           {"name_en", e->name_en, sizeof e->name_en, 1}};
    cy_status_t st = jsonfile_keys(jf, v, base, keys);
    if (st == CY_OK)
        st = jsonfile_strings(jf, v, base, t, 4);
    if (st == CY_OK && !code_ok(e->code))
        st = jsonfile_fail(jf, base,
                           "代码只能含小写字母、数字和下划线 / a code has only a-z, 0-9, _");
    int known = 0;
    for (size_t k = 0; k < md->n_categories; k++)
        known |= strcmp(md->categories[k].code, e->category) == 0;
    if (st == CY_OK && !known)
        st = jsonfile_fail(jf, base, "类别 %s 未定义 / category %s is not listed", e->category,
                           e->category);
    md->n_vendors = i;
    if (st == CY_OK && monitor_vendor_find(md, e->code) != NULL)
        st = jsonfile_fail(jf, base, "代码 %s 重复 / code %s appears twice", e->code, e->code);
    if (st == CY_OK)
        st = matchers(jf, v, base, e);
    md->codes[i] = e->code;
    md->n_vendors = i + 1;
    return st;
}

static cy_status_t
severity(const jsonfile_t *jf, json_t *v, const char *base, size_t i, monitor_data_t *md)
{
    static const char *const keys[] = {"code", "name_zh", "name_en", "due_days", "points", NULL};
    mon_severity_t *s = &md->severities[i];
    double due = 0, pts = 0;
    cy_status_t st = jsonfile_keys(jf, v, base, keys);
    if (st == CY_OK)
        st = jsonfile_names(jf, v, base, s->code, sizeof s->code, s->name_zh, sizeof s->name_zh,
                            s->name_en, sizeof s->name_en);
    if (st == CY_OK)
        st = jsonfile_number(jf, v, base, "due_days", 1, 365, NULL, &due);
    if (st == CY_OK)
        st = jsonfile_number(jf, v, base, "points", 0, 100, NULL, &pts);
    s->due_days = (int)due;
    s->points = (int)pts;
    md->n_severities = i;
    if (st == CY_OK && (due != (int)due || pts != (int)pts))
        st = jsonfile_fail(jf, base, "天数和分值应为整数 / days and points are whole numbers");
    if (st == CY_OK && monitor_severity_find(md, s->code) != NULL)
        st = jsonfile_fail(jf, base, "代码 %s 重复 / code %s appears twice", s->code, s->code);
    md->n_severities = i + 1;
    return st;
}

static cy_status_t
load_vendors(const char *data_dir, monitor_data_t *md, cy_error_t *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/vendors/catalogue.json", data_dir);
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, "vendors/catalogue.json", "vendors_invalid", err);
    if (st != CY_OK)
        return st;
    static const char *const top[] = {"source", "version", "categories", "vendors", NULL};
    st =
        jsonfile_head(&jf, top, path, sizeof path, md->vendors_version, sizeof md->vendors_version);
    if (st == CY_OK)
        st = read_array(&jf, "categories", MON_MAX_CATEGORIES, category, md);
    if (st == CY_OK)
        st = read_array(&jf, "vendors", MON_MAX_VENDORS, vendor, md);
    jsonfile_free(&jf);
    return st;
}

static cy_status_t
load_rules(const char *data_dir, monitor_data_t *md, cy_error_t *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/monitor/rules.json", data_dir);
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, "monitor/rules.json", "monitor_rules_invalid", err);
    if (st != CY_OK)
        return st;
    static const char *const top[] = {"source",
                                      "version",
                                      "severities",
                                      "max_penalty",
                                      "remind_days_before",
                                      "max_batch",
                                      "kev_severity",
                                      "stix_default_severity",
                                      "service_kinds",
                                      NULL};
    double pen = 0, rem = 0, batch = 0;
    st = jsonfile_head(&jf, top, path, sizeof path, md->rules_version, sizeof md->rules_version);
    if (st == CY_OK)
        st = read_array(&jf, "severities", MON_MAX_SEVERITIES, severity, md);
    if (st == CY_OK)
        st = read_array(&jf, "service_kinds", MON_MAX_CATEGORIES, service_kind, md);
    if (st == CY_OK)
        st = jsonfile_number(&jf, jf.root, "", "max_penalty", 0, 100, NULL, &pen);
    if (st == CY_OK)
        st = jsonfile_number(&jf, jf.root, "", "remind_days_before", 0, 60, NULL, &rem);
    if (st == CY_OK)
        st = jsonfile_number(&jf, jf.root, "", "max_batch", 1, 100000, NULL, &batch);
    if (st == CY_OK)
        st = jsonfile_string(&jf, jf.root, "", "kev_severity", 1, md->kev_severity,
                             sizeof md->kev_severity);
    if (st == CY_OK)
        st = jsonfile_string(&jf, jf.root, "", "stix_default_severity", 1, md->stix_severity,
                             sizeof md->stix_severity);
    if (st == CY_OK && (monitor_severity_find(md, md->kev_severity) == NULL ||
                        monitor_severity_find(md, md->stix_severity) == NULL))
        st = jsonfile_fail(&jf, "kev_severity",
                           "应为 severities 中的代码 / must be a code of severities");
    md->max_penalty = (int)pen;
    md->remind_days = (int)rem;
    md->max_batch = (int)batch;
    jsonfile_free(&jf);
    return st;
}

cy_status_t
monitor_data_load(const char *data_dir, monitor_data_t **out, cy_error_t *err)
{
    *out = NULL;
    monitor_data_t *md = calloc(1, sizeof *md);
    if (md == NULL)
        return cy_error_no_memory(err);
    cy_status_t st = load_vendors(data_dir, md, err);
    if (st == CY_OK)
        st = load_rules(data_dir, md, err);
    if (st != CY_OK) {
        free(md);
        return st;
    }
    *out = md;
    return CY_OK;
}

void
monitor_data_free(monitor_data_t *md)
{
    free(md);
}
