/*
 * catalogue.c — reads systemic event catalogues (see catalogue.h) and
 * refuses the first bad event with its file, line and field. May use stdio,
 * dirent and jansson (through app/jsonfile.h).
 */
#include "data/catalogue.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/strset.h"
#include "data/jsonfile.h"

#define CATALOGUE_MAX_EVENTS 1000000

static cy_status_t
load_selector(const jsonfile_t *jf, json_t *sel, const char *base, sim_event_t *e)
{
    static const char *const keys[] = {"cloud",    "os",     "vpn",  "email",
                                       "industry", "region", "note", NULL};
    cy_status_t st = jsonfile_keys(jf, sel, base, keys);
    if (st != CY_OK)
        return st;
    if (json_object_size(sel) == 0)
        return jsonfile_fail(jf, base,
                             "至少需要一个依赖条件（cloud、os、vpn、email、industry、region） / "
                             "needs at least one of cloud, os, vpn, email, industry, region");
    for (int d = 0; d < SIM_DEP_N && st == CY_OK; d++)
        st =
            jsonfile_string(jf, sel, base, sim_dep_code(d), 0, e->sel_dep[d], sizeof e->sel_dep[d]);
    char ind[8], reg[16], path[160];
    if (st == CY_OK)
        st = jsonfile_string(jf, sel, base, "industry", 0, ind, sizeof ind);
    if (st == CY_OK && ind[0] != '\0') {
        if (!(ind[0] >= 'A' && ind[0] <= 'T' && ind[1] == '\0')) {
            jsonfile_path(path, sizeof path, base, "industry");
            return jsonfile_fail(jf, path,
                                 "应为 GB/T 4754 门类字母 A–T，实为 \"%s\" / must be a GB/T 4754 "
                                 "section letter A–T, got \"%s\"",
                                 ind, ind);
        }
        e->sel_section = ind[0];
    }
    if (st == CY_OK)
        st = jsonfile_string(jf, sel, base, "region", 0, reg, sizeof reg);
    if (st == CY_OK && reg[0] != '\0') {
        int ok = strlen(reg) == 6;
        for (int i = 0; ok && i < 6; i++)
            ok = reg[i] >= '0' && reg[i] <= '9';
        if (!ok) {
            jsonfile_path(path, sizeof path, base, "region");
            return jsonfile_fail(
                jf, path,
                "应为 6 位 GB/T 2260 代码（PP0000 表示全省，PPCC00 表示全市），实为 "
                "\"%s\" / must be a 6-digit GB/T 2260 code (PP0000 a province, "
                "PPCC00 a city), got \"%s\"",
                reg, reg);
        }
        memcpy(e->sel_region, reg, 7);
    }
    return st;
}

/* The event's keys, id, names and type. */
static cy_status_t
load_event_head(const jsonfile_t *jf, json_t *o, const char *base, sim_event_t *e)
{
    static const char *const keys[] = {
        "id",          "name_zh",  "name_en",         "type",
        "annual_rate", "selector", "hit_probability", "duration_hours",
        "severity",    "note",     "source",          NULL};
    char zh[96], en[96], type[32];
    const jsonfile_text_t texts[] = {{"id", e->id, sizeof e->id, 1},
                                     {"name_zh", zh, sizeof zh, 0},
                                     {"name_en", en, sizeof en, 0},
                                     {"type", type, sizeof type, 1}};
    cy_status_t st = jsonfile_keys(jf, o, base, keys);
    if (st == CY_OK)
        st = jsonfile_strings(jf, o, base, texts, sizeof texts / sizeof texts[0]);
    if (st != CY_OK)
        return st;
    snprintf(e->name, sizeof e->name, "%s%s%s", zh, zh[0] && en[0] ? " / " : "", en);
    int t = -1;
    for (int k = 0; k < SIM_EVENT_TYPES; k++)
        if (strcmp(type, sim_event_type_code(k)) == 0)
            t = k;
    if (t < 0) {
        char path[128];
        jsonfile_path(path, sizeof path, base, "type");
        return jsonfile_fail(
            jf, path,
            "应为 cloud_outage、mass_exploit 或 ransomware_campaign，实为 \"%s\" / "
            "must be cloud_outage, mass_exploit or ransomware_campaign, got "
            "\"%s\"",
            type, type);
    }
    e->type = (sim_event_type_t)t;
    return CY_OK;
}

/* A cloud outage: its duration {median, sigma} in hours, and no severity. */
static cy_status_t
load_outage(const jsonfile_t *jf, json_t *dur, json_t *sev, const char *base, sim_event_t *e)
{
    char path[128];
    jsonfile_path(path, sizeof path, base, "duration_hours");
    if (dur == NULL)
        return jsonfile_fail(jf, path,
                             "云服务中断须给出中断时长分布 {\"median\", \"sigma\"} / a "
                             "cloud_outage needs its duration {\"median\", \"sigma\"}");
    if (sev != NULL) {
        jsonfile_path(path, sizeof path, base, "severity");
        return jsonfile_fail(jf, path,
                             "云服务中断只造成营业中断，不用 severity / a cloud_outage causes "
                             "business interruption only; severity does not apply");
    }
    static const char *const dkeys[] = {"median", "sigma", "note", NULL};
    double median;
    cy_status_t st = jsonfile_keys(jf, dur, path, dkeys);
    if (st == CY_OK)
        st = jsonfile_number(jf, dur, path, "median", 1e-3, 8760.0, NULL, &median);
    if (st == CY_OK)
        st = jsonfile_number(jf, dur, path, "sigma", 0.0, 5.0, NULL, &e->hours_sigma);
    if (st == CY_OK)
        e->hours_mu = log(median);
    e->incident_type = -1;
    e->severity_scale = 1.0;
    return st;
}

/* Any other event: its severity {incident_type of the rating model, scale}, and no duration. */
static cy_status_t
load_severity(const jsonfile_t *jf, json_t *dur, json_t *sev, const char *base,
              const rating_model_t *model, sim_event_t *e)
{
    char path[128];
    jsonfile_path(path, sizeof path, base, "severity");
    if (sev == NULL)
        return jsonfile_fail(jf, path,
                             "须给出 {\"incident_type\", \"scale\"} / needs {\"incident_type\", "
                             "\"scale\"}");
    if (dur != NULL) {
        char dp[128];
        jsonfile_path(dp, sizeof dp, base, "duration_hours");
        return jsonfile_fail(jf, dp,
                             "只有 cloud_outage 使用 duration_hours；其他事件的中断时长取自费率模型"
                             " / only a cloud_outage takes duration_hours; other events take "
                             "outage hours from the rating model");
    }
    static const char *const skeys[] = {"incident_type", "scale", "note", NULL};
    char it[32];
    double one = 1.0;
    cy_status_t st = jsonfile_keys(jf, sev, path, skeys);
    if (st == CY_OK)
        st = jsonfile_string(jf, sev, path, "incident_type", 1, it, sizeof it);
    if (st == CY_OK)
        st = jsonfile_number(jf, sev, path, "scale", 1e-6, 1e3, &one, &e->severity_scale);
    if (st != CY_OK)
        return st;
    e->incident_type = -1;
    for (size_t k = 0; k < model->n_types; k++)
        if (strcmp(model->types[k].code, it) == 0)
            e->incident_type = (int)k;
    if (e->incident_type < 0) {
        char ip[160];
        jsonfile_path(ip, sizeof ip, path, "incident_type");
        return jsonfile_fail(jf, ip,
                             "费率模型中没有事件类型 \"%s\" / the rating model has no incident "
                             "type \"%s\"",
                             it, it);
    }
    return CY_OK;
}

static cy_status_t
load_event(const jsonfile_t *jf, json_t *o, size_t idx, const rating_model_t *model, sim_event_t *e)
{
    char base[64], path[128];
    snprintf(base, sizeof base, "events[%zu]", idx);
    memset(e, 0, sizeof *e);
    cy_status_t st = load_event_head(jf, o, base, e);
    if (st == CY_OK)
        st = jsonfile_number(jf, o, base, "annual_rate", 1e-12, 100.0, NULL, &e->annual_rate);
    if (st == CY_OK)
        st = jsonfile_number(jf, o, base, "hit_probability", 1e-12, 1.0, NULL, &e->hit_probability);
    if (st != CY_OK)
        return st;
    jsonfile_path(path, sizeof path, base, "selector");
    json_t *sel = json_object_get(o, "selector");
    if (sel == NULL)
        return jsonfile_fail(jf, path, "缺少此项 / is missing");
    st = load_selector(jf, sel, path, e);
    if (st != CY_OK)
        return st;
    json_t *dur = json_object_get(o, "duration_hours"), *sev = json_object_get(o, "severity");
    if (e->type == SIM_EVENT_CLOUD_OUTAGE)
        return load_outage(jf, dur, sev, base, e);
    return load_severity(jf, dur, sev, base, model, e);
}

/*
 * ids_rebuild indexes the ids of out's events afresh: the set points into
 * the events, which have just moved. Doubling makes it linear overall.
 */
static int
ids_rebuild(strset_t *ids, const sim_catalogue_t *out)
{
    strset_free(ids);
    for (size_t k = 0; k < out->n; k++)
        if (strset_add(ids, out->events[k].id) < 0)
            return -1;
    return 0;
}

/* Appends the events of one file; ids indexes the ids of the events so far. */
static cy_status_t
load_file(const char *path, const char *name, const rating_model_t *model, sim_catalogue_t *out,
          size_t *cap, strset_t *ids, cy_error_t *err)
{
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, name, "catalogue_invalid", err);
    static const char *const keys[] = {"source", "version", "note", "notes", "events", NULL};
    char source[2048], version[64];
    if (st == CY_OK)
        st = jsonfile_head(&jf, keys, source, sizeof source, version, sizeof version);
    json_t *events = st == CY_OK ? json_object_get(jf.root, "events") : NULL;
    if (st == CY_OK && !json_is_array(events))
        st = jsonfile_fail(&jf, "events", "应为事件数组 / must be an array of events");
    for (size_t i = 0; st == CY_OK && i < json_array_size(events); i++) {
        if (out->n >= CATALOGUE_MAX_EVENTS) {
            st = jsonfile_fail(&jf, "events", "事件超过一百万个 / more than a million events");
            break;
        }
        if (out->n == *cap) {
            size_t nc = *cap ? *cap * 2 : 256;
            sim_event_t *ne = realloc(out->events, nc * sizeof *ne);
            if (ne != NULL) {
                out->events = ne;
                *cap = nc;
            }
            if (ne == NULL || ids_rebuild(ids, out) != 0) {
                st = cy_error_set(err, CY_ENOMEM, "no_memory", name, "内存不足 / out of memory");
                break;
            }
        }
        sim_event_t *e = &out->events[out->n];
        st = load_event(&jf, json_array_get(events, i), i, model, e);
        long at = st == CY_OK ? strset_add(ids, e->id) : 0;
        if (at < 0)
            st = cy_error_set(err, CY_ENOMEM, "no_memory", name, "内存不足 / out of memory");
        else if (st == CY_OK && (size_t)at < out->n) {
            char p[64];
            snprintf(p, sizeof p, "events[%zu].id", i);
            st = jsonfile_fail(&jf, p, "事件编号 %s 重复 / duplicate event id %s", e->id, e->id);
        }
        if (st == CY_OK)
            out->n++;
    }
    if (st == CY_OK) {
        size_t used = strlen(out->source);
        snprintf(out->source + used, sizeof out->source - used, "%s%s (%s)", used ? "; " : "", name,
                 version);
    }
    jsonfile_free(&jf);
    return st;
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* load_all appends the events of path, a file or a folder of them (in name order). */
static cy_status_t
load_all(const char *path, const rating_model_t *model, sim_catalogue_t *out, size_t *cap,
         strset_t *ids, cy_error_t *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        const char *why = strerror(errno);
        return cy_error_set(err, CY_EINVAL, "catalogue_invalid", path,
                            "无法读取事件目录 %s（%s） / cannot read the catalogue %s (%s)", path,
                            why, path, why);
    }
    if (!S_ISDIR(sb.st_mode)) {
        const char *base = strrchr(path, '/');
        return load_file(path, base ? base + 1 : path, model, out, cap, ids, err);
    }
    DIR *d = opendir(path);
    if (d == NULL) {
        const char *why = strerror(errno);
        return cy_error_set(err, CY_EINVAL, "catalogue_invalid", path,
                            "无法读取事件目录 %s（%s） / cannot read the catalogue %s (%s)", path,
                            why, path, why);
    }
    char **names = NULL;
    size_t n = 0, ncap = 0;
    cy_status_t st = CY_OK;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0 || de->d_name[0] == '.')
            continue;
        if (n == ncap) {
            ncap = ncap ? ncap * 2 : 16;
            char **nn = realloc(names, ncap * sizeof *nn);
            if (nn == NULL) {
                st = cy_error_set(err, CY_ENOMEM, "no_memory", path, "内存不足 / out of memory");
                break;
            }
            names = nn;
        }
        names[n] = strdup(de->d_name);
        if (names[n] == NULL) {
            st = cy_error_set(err, CY_ENOMEM, "no_memory", path, "内存不足 / out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (st == CY_OK)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, names[i]);
        st = load_file(full, names[i], model, out, cap, ids, err);
    }
    if (st == CY_OK && n == 0)
        st = cy_error_set(err, CY_EINVAL, "catalogue_invalid", path,
                          "目录 %s 中没有 .json 事件文件 / no .json catalogue file in %s", path,
                          path);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

cy_status_t
catalogue_load(const char *path, const rating_model_t *model, sim_catalogue_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    strset_t ids = {0};
    cy_status_t st = load_all(path, model, out, &cap, &ids, err);
    strset_free(&ids);
    if (st != CY_OK)
        sim_catalogue_free(out);
    return st;
}
