/*
 * data/pilot.c — the pilot's data files, read once at start-up: each .json
 * file of DATA/rounds/ into a round_t (core/round.h) and the review criteria
 * of DATA/review/criteria.json; a broken file stops start-up naming the
 * file, the line and the field. May use stdio, dirent and jansson; never
 * store/, app/, http/ or cli/.
 */
#include "data/pilot.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bjtime.h"
#include "core/ref.h"
#include "data/jsonfile.h"

/* ---- reading a round file ----------------------------------------------- */

/* obj[key]: "YYYY-MM-DD" (a real date) or, when nullable, null → d->set = 0. */
static cy_status_t
read_date(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, int nullable,
          round_date_t *d)
{
    char path[256];
    jsonfile_path(path, sizeof path, base, key);
    memset(d, 0, sizeof *d);
    json_t *v = json_object_get(obj, key);
    if (v == NULL)
        return jsonfile_fail(jf, path, "缺少此项 / is missing");
    if (json_is_null(v)) {
        if (nullable)
            return CY_OK;
        return jsonfile_fail(jf, path, "不能为 null / must not be null");
    }
    const char *s = json_string_value(v);
    int64_t t;
    cy_error_t perr;
    if (s == NULL || strlen(s) != 10 || bjtime_parse(s, &t, &perr) != CY_OK)
        return jsonfile_fail(jf, path, "应为有效日期 YYYY-MM-DD / must be a valid date YYYY-MM-DD");
    round_date_set(d, atoi(s), atoi(s + 5), atoi(s + 8));
    return CY_OK;
}

static cy_status_t
read_int(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, int *out)
{
    char path[256];
    jsonfile_path(path, sizeof path, base, key);
    json_t *v = json_object_get(obj, key);
    if (v == NULL)
        return jsonfile_fail(jf, path, "缺少此项 / is missing");
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000)
        return jsonfile_fail(jf, path,
                             "应为 0–1000000 的整数 / must be an integer from 0 to 1000000");
    *out = (int)json_integer_value(v);
    return CY_OK;
}

static cy_status_t
read_deadlines(const jsonfile_t *jf, json_t *obj, const char *base, int partial, round_date_t *out)
{
    static const char *const keys[] = {"scheme_at_ministry",
                                       "plan_at_city",
                                       "package_at_province",
                                       "plan_at_ministry",
                                       "city_summary_at_province",
                                       "summary_at_ministry",
                                       NULL};
    cy_status_t st = jsonfile_keys(jf, obj, base, keys);
    for (int k = 0; st == CY_OK && k < ROUND_DL_COUNT; k++) {
        const char *key = round_deadline_key((round_deadline_t)k);
        if (partial && json_object_get(obj, key) == NULL)
            continue;
        st = read_date(jf, obj, base, key, 1, &out[k]);
    }
    return st;
}

/*
 * A core validation message reads "FIELD：中文 / FIELD: English"; the loader
 * names the file, line and field itself, so keep only the two rule texts.
 */
static cy_status_t
fail_rule(const jsonfile_t *jf, const cy_error_t *verr)
{
    char zh[400], en[400];
    const char *m = verr->message;
    const char *a = strstr(m, "：");
    const char *sep = strstr(m, " / ");
    const char *b = sep ? strstr(sep, ": ") : NULL;
    if (a == NULL || sep == NULL || b == NULL || a > sep)
        return jsonfile_fail(jf, verr->field, "%s", m);
    a += strlen("：");
    snprintf(zh, sizeof zh, "%.*s", (int)(sep - a), a);
    snprintf(en, sizeof en, "%s", b + 2);
    return jsonfile_fail(jf, verr->field, "%s / %s", zh, en);
}

/* The round's texts: source, version, id, names and the notice. */
static cy_status_t
read_round_texts(const jsonfile_t *jf, round_t *r)
{
    const jsonfile_text_t texts[] = {
        {"source", r->source, sizeof r->source, 1},
        {"version", r->version, sizeof r->version, 1},
        {"id", r->id, sizeof r->id, 1},
        {"name_zh", r->name_zh, sizeof r->name_zh, 1},
        {"name_en", r->name_en, sizeof r->name_en, 1},
        {"notice", r->notice, sizeof r->notice, 0},
    };
    return jsonfile_strings(jf, jf->root, "", texts, sizeof texts / sizeof texts[0]);
}

/* "limits": the notice's counts, each an integer 0–1000000. */
static cy_status_t
read_limits(const jsonfile_t *jf, json_t *lim, round_limits_t *l)
{
    static const char *const lkeys[] = {"joint_units_max",
                                        "schemes_per_lead_max",
                                        "licensed_insurers_min",
                                        "unit_intro_zishu_max",
                                        "overview_zishu_max",
                                        "scheme_body_zishu_min",
                                        "plan_body_zishu_min",
                                        "attached_scheme_zishu_min",
                                        "cases_min",
                                        "cases_max",
                                        NULL};
    int *dst[] = {&l->joint_units_max,
                  &l->schemes_per_lead_max,
                  &l->licensed_insurers_min,
                  &l->unit_intro_zishu_max,
                  &l->overview_zishu_max,
                  &l->scheme_body_zishu_min,
                  &l->plan_body_zishu_min,
                  &l->attached_scheme_zishu_min,
                  &l->cases_min,
                  &l->cases_max};
    cy_status_t st = jsonfile_keys(jf, lim, "limits", lkeys);
    for (size_t i = 0; st == CY_OK && lkeys[i] != NULL; i++)
        st = read_int(jf, lim, "limits", lkeys[i], dst[i]);
    return st;
}

/* "progress_reports": at most ROUND_MAX_PERIODS {period, from, to, due}. */
static cy_status_t
read_periods(const jsonfile_t *jf, json_t *periods, round_t *r)
{
    if (!json_is_array(periods))
        return jsonfile_fail(jf, "progress_reports", "应为数组 / must be an array");
    if (json_array_size(periods) > ROUND_MAX_PERIODS)
        return jsonfile_fail(jf, "progress_reports", "最多 %d 个报告期 / at most %d periods",
                             ROUND_MAX_PERIODS, ROUND_MAX_PERIODS);
    static const char *const pkeys[] = {"period", "from", "to", "due", NULL};
    size_t i;
    json_t *p;
    cy_status_t st = CY_OK;
    json_array_foreach(periods, i, p)
    {
        char base[64];
        snprintf(base, sizeof base, "progress_reports[%zu]", i);
        round_period_t *rp = &r->periods[i];
        if ((st = jsonfile_keys(jf, p, base, pkeys)) != CY_OK ||
            (st = jsonfile_string(jf, p, base, "period", 1, rp->period, sizeof rp->period)) !=
                CY_OK ||
            (st = read_date(jf, p, base, "from", 0, &rp->from)) != CY_OK ||
            (st = read_date(jf, p, base, "to", 0, &rp->to)) != CY_OK ||
            (st = read_date(jf, p, base, "due", 0, &rp->due)) != CY_OK)
            return st;
        r->n_periods = i + 1;
    }
    return st;
}

/* "provinces" (optional): province code → {source, deadlines} that differ from the round's. */
static cy_status_t
read_provinces(const jsonfile_t *jf, json_t *provs, round_t *r)
{
    if (provs != NULL && !json_is_object(provs))
        return jsonfile_fail(jf, "provinces", "应为对象 / must be an object");
    static const char *const vkeys[] = {"source", "deadlines", NULL};
    const char *code;
    json_t *pv;
    cy_status_t st = CY_OK;
    json_object_foreach(provs, code, pv)
    {
        char base[64];
        snprintf(base, sizeof base, "provinces.%s", code);
        if (r->n_provinces == ROUND_MAX_PROVINCES)
            return jsonfile_fail(jf, base, "省份过多 / too many provinces");
        round_province_t *rp = &r->provinces[r->n_provinces++];
        if (!ref_region_code_ok(code) || strcmp(code + 2, "0000") != 0)
            return jsonfile_fail(jf, base,
                                 "应为省级行政区划代码（如 440000） / must be a province-level "
                                 "region code (e.g. 440000)");
        snprintf(rp->code, sizeof rp->code, "%s", code);
        if ((st = jsonfile_keys(jf, pv, base, vkeys)) != CY_OK ||
            (st = jsonfile_string(jf, pv, base, "source", 1, rp->source, sizeof rp->source)) !=
                CY_OK)
            return st;
        char dbase[96];
        snprintf(dbase, sizeof dbase, "%s.deadlines", base);
        json_t *pd = json_object_get(pv, "deadlines");
        if (!json_is_object(pd))
            return jsonfile_fail(jf, dbase, "应为对象 / must be an object");
        if ((st = read_deadlines(jf, pd, dbase, 1, rp->deadlines)) != CY_OK)
            return st;
    }
    return st;
}

static cy_status_t
read_round(const jsonfile_t *jf, round_t *r)
{
    json_t *root = jf->root;
    static const char *const top[] = {"source",  "version",          "id",        "name_zh",
                                      "name_en", "notice",           "note",      "deadlines",
                                      "limits",  "progress_reports", "provinces", NULL};
    cy_status_t st = jsonfile_keys(jf, root, "", top);
    if (st == CY_OK)
        st = read_round_texts(jf, r);
    if (st != CY_OK)
        return st;
    json_t *dl = json_object_get(root, "deadlines");
    if (!json_is_object(dl))
        return jsonfile_fail(jf, "deadlines", "应为对象 / must be an object");
    st = read_deadlines(jf, dl, "deadlines", 0, r->deadlines);
    if (st == CY_OK)
        st = read_limits(jf, json_object_get(root, "limits"), &r->limits);
    if (st == CY_OK)
        st = read_periods(jf, json_object_get(root, "progress_reports"), r);
    if (st == CY_OK)
        st = read_provinces(jf, json_object_get(root, "provinces"), r);
    if (st != CY_OK)
        return st;
    cy_error_t verr;
    if (round_validate(r, &verr) != CY_OK)
        return fail_rule(jf, &verr);
    return CY_OK;
}

cy_status_t
pilot_round_load(const char *path, const char *name, round_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, name, "round_invalid", err);
    if (st == CY_OK)
        st = read_round(&jf, out);
    jsonfile_free(&jf);
    return st;
}

static int
round_cmp(const void *a, const void *b)
{
    return strcmp(((const round_t *)a)->id, ((const round_t *)b)->id);
}

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static cy_status_t
load_rounds(const char *data_dir, pilot_data_t *pd, cy_error_t *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/rounds", data_dir);
    DIR *d = opendir(dir);
    if (d == NULL)
        return cy_error_set(err, CY_EINVAL, "round_invalid", "rounds",
                            "找不到试点轮次目录 %s / no pilot round folder %s", dir, dir);
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    cy_status_t st = CY_OK;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || e->d_name[0] == '.' || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (n == sizeof names / sizeof names[0]) {
            st = cy_error_set(err, CY_EINVAL, "round_invalid", "rounds",
                              "%s 中的轮次文件过多 / too many round files in %s", dir, dir);
            break;
        }
        names[n] = strdup(e->d_name);
        if (names[n] == NULL) {
            st = cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (st == CY_OK && n == 0)
        st = cy_error_set(err, CY_EINVAL, "round_invalid", "rounds",
                          "%s 中没有试点轮次文件 / no round file in %s", dir, dir);
    qsort(names, n, sizeof names[0], name_cmp);
    if (st == CY_OK) {
        pd->rounds = calloc(n, sizeof *pd->rounds);
        if (pd->rounds == NULL)
            st = cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    }
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        char path[4200], name[300];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(name, sizeof name, "rounds/%s", names[i]);
        jsonfile_t jf;
        st = jsonfile_load(&jf, path, name, "round_invalid", err);
        if (st == CY_OK)
            st = read_round(&jf, &pd->rounds[i]);
        for (size_t j = 0; st == CY_OK && j < i; j++)
            if (strcmp(pd->rounds[j].id, pd->rounds[i].id) == 0)
                st = jsonfile_fail(&jf, "id", "轮次编号 %s 与 %s 重复 / round id %s is also in %s",
                                   pd->rounds[i].id, names[j], pd->rounds[i].id, names[j]);
        jsonfile_free(&jf);
        if (st == CY_OK)
            pd->n_rounds = i + 1;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    if (st == CY_OK)
        qsort(pd->rounds, pd->n_rounds, sizeof *pd->rounds, round_cmp);
    return st;
}

static cy_status_t
load_criteria(const char *data_dir, review_criteria_t *c, cy_error_t *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/review/criteria.json", data_dir);
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, "review/criteria.json", "criteria_invalid", err);
    if (st != CY_OK) {
        jsonfile_free(&jf);
        return st;
    }
    static const char *const top[] = {"source", "version", "note", "min_reviews", "criteria", NULL};
    json_t *root = jf.root;
    if ((st = jsonfile_keys(&jf, root, "", top)) == CY_OK &&
        (st = jsonfile_string(&jf, root, "", "source", 1, c->source, sizeof c->source)) == CY_OK &&
        (st = jsonfile_string(&jf, root, "", "version", 1, c->version, sizeof c->version)) == CY_OK)
        st = read_int(&jf, root, "", "min_reviews", &c->min_reviews);
    json_t *items = json_object_get(root, "criteria");
    if (st == CY_OK && (!json_is_array(items) || json_array_size(items) > REVIEW_MAX_CRITERIA))
        st = jsonfile_fail(&jf, "criteria", "应为至多 %d 项的数组 / must be an array of at most %d",
                           REVIEW_MAX_CRITERIA, REVIEW_MAX_CRITERIA);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        if (st != CY_OK)
            break;
        char base[48];
        snprintf(base, sizeof base, "criteria[%zu]", i);
        review_criterion_t *k = &c->items[i];
        static const char *const keys[] = {"code",      "name_zh", "name_en",
                                           "max_score", "weight",  NULL};
        if ((st = jsonfile_keys(&jf, o, base, keys)) == CY_OK &&
            (st = jsonfile_string(&jf, o, base, "code", 1, k->code, sizeof k->code)) == CY_OK &&
            (st = jsonfile_string(&jf, o, base, "name_zh", 1, k->name_zh, sizeof k->name_zh)) ==
                CY_OK &&
            (st = jsonfile_string(&jf, o, base, "name_en", 1, k->name_en, sizeof k->name_en)) ==
                CY_OK &&
            (st = read_int(&jf, o, base, "max_score", &k->max_score)) == CY_OK)
            st = read_int(&jf, o, base, "weight", &k->weight);
        c->n = i + 1;
    }
    cy_error_t verr;
    if (st == CY_OK && review_criteria_validate(c, &verr) != CY_OK)
        st = fail_rule(&jf, &verr);
    jsonfile_free(&jf);
    return st;
}

cy_status_t
pilot_data_load(const char *data_dir, pilot_data_t **out, cy_error_t *err)
{
    *out = NULL;
    pilot_data_t *pd = calloc(1, sizeof *pd);
    if (pd == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    cy_status_t st = load_rounds(data_dir, pd, err);
    if (st == CY_OK)
        st = load_criteria(data_dir, &pd->criteria, err);
    if (st != CY_OK) {
        pilot_data_free(pd);
        return st;
    }
    *out = pd;
    return CY_OK;
}

void
pilot_data_free(pilot_data_t *pd)
{
    if (pd == NULL)
        return;
    free(pd->rounds);
    free(pd);
}
