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
    const char *keys[ROUND_DL_COUNT + 1];
    for (int k = 0; k < ROUND_DL_COUNT; k++)
        keys[k] = round_deadline_key((round_deadline_t)k);
    keys[ROUND_DL_COUNT] = NULL;
    cy_status_t st = jsonfile_keys(jf, obj, base, keys);
    for (int k = 0; st == CY_OK && k < ROUND_DL_COUNT; k++) {
        const char *key = round_deadline_key((round_deadline_t)k);
        if ((partial || round_deadline_is_optional((round_deadline_t)k)) &&
            json_object_get(obj, key) == NULL)
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

/* obj[key]: an integer 0–1000000, or null (ROUND_UNSET) when nullable. */
static cy_status_t
read_limit(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, int *out)
{
    if (json_is_null(json_object_get(obj, key))) {
        *out = ROUND_UNSET;
        return CY_OK;
    }
    return read_int(jf, obj, base, key, out);
}

/*
 * The limits at obj: every key (partial = 0: the round's own) or those given
 * (an annex's, bits into *given); each a number or null; "in_principle"
 * lists the 原则上 ones.
 */
static cy_status_t
read_limits(const jsonfile_t *jf, json_t *obj, const char *base, int partial, round_limits_t *l,
            unsigned *given)
{
    const char *keys[ROUND_LIM_COUNT + 2];
    for (int k = 0; k < ROUND_LIM_COUNT; k++)
        keys[k] = round_limit_key((round_limit_t)k);
    keys[ROUND_LIM_COUNT] = "in_principle";
    keys[ROUND_LIM_COUNT + 1] = NULL;
    *given = 0;
    if (!json_is_object(obj))
        return jsonfile_fail(jf, base, "应为对象 / must be an object");
    cy_status_t st = jsonfile_keys(jf, obj, base, keys);
    for (int k = 0; st == CY_OK && k < ROUND_LIM_COUNT; k++) {
        int v = ROUND_UNSET;
        if (partial && json_object_get(obj, keys[k]) == NULL)
            continue;
        if ((st = read_limit(jf, obj, base, keys[k], &v)) == CY_OK) {
            round_limit_set(l, (round_limit_t)k, v);
            *given |= 1u << k;
        }
    }
    json_t *ip = json_object_get(obj, "in_principle");
    char path[128];
    jsonfile_path(path, sizeof path, base, "in_principle");
    if (st == CY_OK && ip != NULL && !json_is_array(ip))
        return jsonfile_fail(jf, path, "应为限额名称的数组 / must be an array of limit names");
    size_t i;
    json_t *v;
    json_array_foreach(ip, i, v)
    {
        round_limit_t k;
        if (st == CY_OK && round_limit_parse(json_string_value(v), &k) != 0)
            st = jsonfile_fail(jf, path, "未知的限额名称 / unknown limit name");
        if (st == CY_OK)
            l->in_principle |= 1u << k;
    }
    return st;
}

static cy_status_t
read_summary_route(const jsonfile_t *jf, json_t *obj, const char *base, round_summary_route_t *out)
{
    char path[128];
    jsonfile_path(path, sizeof path, base, "summary_route");
    const char *s = json_string_value(json_object_get(obj, "summary_route"));
    *out = ROUND_SUMMARY_DIRECT;
    if (json_object_get(obj, "summary_route") == NULL || (s && strcmp(s, "direct") == 0))
        return CY_OK;
    if (s && strcmp(s, "via_city") == 0) {
        *out = ROUND_SUMMARY_VIA_CITY;
        return CY_OK;
    }
    return jsonfile_fail(jf, path, "应为 direct 或 via_city / must be direct or via_city");
}

/* obj[key], optional: a text of lines (\n allowed, no other control character) into out. */
static cy_status_t
read_lines(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, char *out,
           size_t cap)
{
    char path[128];
    jsonfile_path(path, sizeof path, base, key);
    json_t *v = json_object_get(obj, key);
    out[0] = '\0';
    if (v == NULL)
        return CY_OK;
    const char *s = json_string_value(v);
    if (s == NULL || json_string_length(v) >= cap)
        return jsonfile_fail(jf, path,
                             "应为不超过 %zu 字节的文本 / must be a text of at most %zu bytes",
                             cap - 1, cap - 1);
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n')
            return jsonfile_fail(jf, path, "含有控制字符 / holds a control character");
    snprintf(out, cap, "%s", s);
    return CY_OK;
}

/* One annex's own rules: annexes.N = {limits, required, commitment, declaration}. */
static cy_status_t
read_annex(const jsonfile_t *jf, json_t *obj, const char *base, round_annex_t *x)
{
    static const char *const keys[] = {"limits", "required", "commitment", "declaration", NULL};
    char path[128];
    cy_status_t st = jsonfile_keys(jf, obj, base, keys);
    jsonfile_path(path, sizeof path, base, "limits");
    if (st == CY_OK && json_object_get(obj, "limits") != NULL)
        st = read_limits(jf, json_object_get(obj, "limits"), path, 1, &x->own, &x->own_given);
    if (st == CY_OK)
        st = read_lines(jf, obj, base, "commitment", x->commitment, sizeof x->commitment);
    if (st == CY_OK)
        st = read_lines(jf, obj, base, "declaration", x->declaration, sizeof x->declaration);
    json_t *req = json_object_get(obj, "required");
    jsonfile_path(path, sizeof path, base, "required");
    if (st == CY_OK && req != NULL &&
        (!json_is_array(req) || json_array_size(req) > ROUND_MAX_REQUIRED))
        return jsonfile_fail(
            jf, path, "应为至多 %d 个字段路径的数组 / must be an array of at most %d field paths",
            ROUND_MAX_REQUIRED, ROUND_MAX_REQUIRED);
    size_t i;
    json_t *v;
    json_array_foreach(req, i, v)
    {
        const char *f = json_string_value(v);
        if (st == CY_OK && (f == NULL || f[0] == '\0' || strlen(f) >= sizeof x->required[0]))
            st = jsonfile_fail(jf, path, "应为表单字段路径 / must be field paths of the form");
        if (st == CY_OK)
            snprintf(x->required[x->n_required++], sizeof x->required[0], "%s", f);
    }
    return st;
}

/* summary_sections: [{key, name_zh, name_en, zishu_min}] the annual summary adds to the notice's
 * three. */
static cy_status_t
read_sections(const jsonfile_t *jf, json_t *root, round_t *r)
{
    static const char *const keys[] = {"key", "name_zh", "name_en", "zishu_min", NULL};
    static const char *const taken[] = {"progress", "innovation", "services", NULL};
    json_t *a = json_object_get(root, "summary_sections");
    if (a != NULL && (!json_is_array(a) || json_array_size(a) > ROUND_MAX_SECTIONS))
        return jsonfile_fail(jf, "summary_sections",
                             "应为至多 %d 项的数组 / must be an array of at most %d",
                             ROUND_MAX_SECTIONS, ROUND_MAX_SECTIONS);
    cy_status_t st = CY_OK;
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o)
    {
        char base[48];
        snprintf(base, sizeof base, "summary_sections[%zu]", i);
        round_section_t *x = &r->summary_sections[i];
        if ((st = jsonfile_keys(jf, o, base, keys)) != CY_OK ||
            (st = jsonfile_string(jf, o, base, "key", 1, x->key, sizeof x->key)) != CY_OK ||
            (st = jsonfile_string(jf, o, base, "name_zh", 1, x->name_zh, sizeof x->name_zh)) !=
                CY_OK ||
            (st = jsonfile_string(jf, o, base, "name_en", 1, x->name_en, sizeof x->name_en)) !=
                CY_OK)
            return st;
        if (json_object_get(o, "zishu_min") != NULL &&
            (st = read_int(jf, o, base, "zishu_min", &x->zishu_min)) != CY_OK)
            return st;
        for (size_t j = 0; taken[j] != NULL; j++)
            if (strcmp(x->key, taken[j]) == 0)
                return jsonfile_fail(jf, base,
                                     "与通知规定的部分重名 / is one of the notice's own parts");
        for (size_t j = 0; j < i; j++)
            if (strcmp(x->key, r->summary_sections[j].key) == 0)
                return jsonfile_fail(jf, base, "重复 / is given twice");
        r->n_summary_sections = i + 1;
    }
    return st;
}

/* What a round may add: late_policy, annexes, reminders_days, review_criteria. */
static cy_status_t
read_extras(const jsonfile_t *jf, json_t *root, round_t *r)
{
    cy_status_t st = CY_OK;
    for (int k = 0; k < ROUND_DL_COUNT; k++)
        r->late[k] = round_late_default((round_deadline_t)k);
    const char *key;
    json_t *v;
    json_t *lp = json_object_get(root, "late_policy");
    if (lp != NULL && !json_is_object(lp))
        return jsonfile_fail(jf, "late_policy", "应为对象 / must be an object");
    json_object_foreach(lp, key, v)
    {
        char path[96];
        round_deadline_t k;
        const char *s = json_string_value(v);
        jsonfile_path(path, sizeof path, "late_policy", key);
        if (round_deadline_parse(key, &k) != 0)
            return jsonfile_fail(jf, path, "未知的截止事项 / unknown deadline");
        if (s == NULL || (strcmp(s, "refuse") != 0 && strcmp(s, "flag") != 0))
            return jsonfile_fail(jf, path, "应为 refuse 或 flag / must be refuse or flag");
        r->late[k] = strcmp(s, "flag") == 0 ? ROUND_LATE_FLAG : ROUND_LATE_REFUSE;
    }
    json_t *ax = json_object_get(root, "annexes");
    if (ax != NULL && !json_is_object(ax))
        return jsonfile_fail(jf, "annexes", "应为对象 / must be an object");
    json_object_foreach(ax, key, v)
    {
        char base[32];
        snprintf(base, sizeof base, "annexes.%s", key);
        if (strlen(key) != 1 || key[0] < '1' || key[0] > '4')
            return jsonfile_fail(jf, base, "附件应为 1–4 / the annex must be 1 to 4");
        if (!json_is_object(v))
            return jsonfile_fail(jf, base, "应为对象 / must be an object");
        if ((st = read_annex(jf, v, base, &r->annex[key[0] - '0'])) != CY_OK)
            return st;
    }
    json_t *rd = json_object_get(root, "reminders_days");
    if (rd != NULL && (!json_is_array(rd) || json_array_size(rd) > ROUND_MAX_REMINDERS))
        return jsonfile_fail(jf, "reminders_days",
                             "应为至多 %d 个天数的数组 / must be an array of at most %d day counts",
                             ROUND_MAX_REMINDERS, ROUND_MAX_REMINDERS);
    size_t i;
    json_array_foreach(rd, i, v)
    {
        json_int_t d = json_integer_value(v);
        if (!json_is_integer(v) || d < 1 || d > 366 || (i > 0 && d >= r->reminders[i - 1]))
            return jsonfile_fail(jf, "reminders_days",
                                 "应为 1–366 的天数，从大到小 / must be days from 1 to 366, "
                                 "largest first");
        r->reminders[r->n_reminders++] = (int)d;
    }
    if ((st = read_sections(jf, root, r)) != CY_OK)
        return st;
    return jsonfile_string(jf, root, "", "review_criteria", 0, r->review_criteria,
                           sizeof r->review_criteria);
}

/* filing.KEY: an array of deadline keys (annexes 0) or of annexes 1–4, as bits into *bits. */
static cy_status_t
read_bits(const jsonfile_t *jf, json_t *obj, const char *key, int annexes, unsigned *bits)
{
    char path[64];
    snprintf(path, sizeof path, "filing.%s", key);
    json_t *arr = json_object_get(obj, key);
    if (arr != NULL && !json_is_array(arr))
        return jsonfile_fail(jf, path, "应为数组 / must be an array");
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        round_deadline_t k;
        json_int_t a = json_integer_value(v);
        if (annexes && json_is_integer(v) && a >= 1 && a <= 4)
            *bits |= 1u << a;
        else if (!annexes && round_deadline_parse(json_string_value(v), &k) == 0)
            *bits |= 1u << k;
        else
            return jsonfile_fail(jf, path,
                                 annexes ? "应为附件编号 1–4 / must be annexes 1–4"
                                         : "应为截止时间的名称 / must be deadline keys");
    }
    return CY_OK;
}

/* The optional "filing": paper copies, whose arrival is judged, scans needed before submission. */
static cy_status_t
read_filing(const jsonfile_t *jf, json_t *root, round_filing_t *f)
{
    json_t *o = json_object_get(root, "filing");
    if (o == NULL)
        return CY_OK;
    static const char *const keys[] = {"source",     "paper_copies",    "paper_judged",
                                       "seal_scans", "material_copies", NULL};
    char source[1024]; /* checked, not kept: the file is its own record */
    cy_status_t st = jsonfile_keys(jf, o, "filing", keys);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, "filing", "source", 1, source, sizeof source);
    if (st == CY_OK)
        st = read_int(jf, o, "filing", "paper_copies", &f->paper_copies);
    if (st == CY_OK)
        st = read_bits(jf, o, "paper_judged", 0, &f->paper_judged);
    if (st == CY_OK)
        st = read_bits(jf, o, "seal_scans", 1, &f->seal_scans);
    if (st == CY_OK)
        st = read_bits(jf, o, "material_copies", 1, &f->material_copies);
    return st;
}
static cy_status_t
read_round(const jsonfile_t *jf, round_t *r)
{
    json_t *root = jf->root;
    static const char *const top[] = {
        "source",           "version",     "id",        "name_zh",        "name_en",
        "notice",           "note",        "deadlines", "limits",         "progress_reports",
        "provinces",        "late_policy", "annexes",   "reminders_days", "review_criteria",
        "summary_sections", "filing",      NULL};
    cy_status_t st =
        jsonfile_head(jf, top, r->source, sizeof r->source, r->version, sizeof r->version);
    if (st == CY_OK)
        st = jsonfile_string(jf, root, "", "id", 1, r->id, sizeof r->id);
    if (st == CY_OK)
        st = jsonfile_string(jf, root, "", "name_zh", 1, r->name_zh, sizeof r->name_zh);
    if (st == CY_OK)
        st = jsonfile_string(jf, root, "", "name_en", 1, r->name_en, sizeof r->name_en);
    if (st == CY_OK)
        st = jsonfile_string(jf, root, "", "notice", 0, r->notice, sizeof r->notice);
    if (st != CY_OK)
        return st;

    json_t *dl = json_object_get(root, "deadlines");
    if (!json_is_object(dl))
        return jsonfile_fail(jf, "deadlines", "应为对象 / must be an object");
    if ((st = read_deadlines(jf, dl, "deadlines", 0, r->deadlines)) != CY_OK)
        return st;

    unsigned all;
    if ((st = read_limits(jf, json_object_get(root, "limits"), "limits", 0, &r->limits, &all)) !=
        CY_OK)
        return st;

    json_t *periods = json_object_get(root, "progress_reports");
    if (!json_is_array(periods))
        return jsonfile_fail(jf, "progress_reports", "应为数组 / must be an array");
    if (json_array_size(periods) > ROUND_MAX_PERIODS)
        return jsonfile_fail(jf, "progress_reports", "最多 %d 个报告期 / at most %d periods",
                             ROUND_MAX_PERIODS, ROUND_MAX_PERIODS);
    size_t i;
    json_t *p;
    json_array_foreach(periods, i, p)
    {
        char base[64];
        snprintf(base, sizeof base, "progress_reports[%zu]", i);
        static const char *const pkeys[] = {"period", "from", "to", "due", NULL};
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

    json_t *provs = json_object_get(root, "provinces");
    if (provs != NULL && !json_is_object(provs))
        return jsonfile_fail(jf, "provinces", "应为对象 / must be an object");
    const char *code;
    json_t *pv;
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
        static const char *const vkeys[] = {"source", "deadlines", "summary_route", NULL};
        if ((st = jsonfile_keys(jf, pv, base, vkeys)) != CY_OK ||
            (st = jsonfile_string(jf, pv, base, "source", 1, rp->source, sizeof rp->source)) !=
                CY_OK ||
            (st = read_summary_route(jf, pv, base, &rp->summary_route)) != CY_OK)
            return st;
        char dbase[96];
        snprintf(dbase, sizeof dbase, "%s.deadlines", base);
        json_t *pd = json_object_get(pv, "deadlines");
        if (!json_is_object(pd))
            return jsonfile_fail(jf, dbase, "应为对象 / must be an object");
        if ((st = read_deadlines(jf, pd, dbase, 1, rp->deadlines)) != CY_OK)
            return st;
    }

    if ((st = read_extras(jf, root, r)) != CY_OK)
        return st;
    if ((st = read_filing(jf, root, &r->filing)) != CY_OK)
        return st;
    cy_error_t verr;
    if (round_validate(r, &verr) != CY_OK)
        return fail_rule(jf, &verr);
    round_resolve(r);
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
            st = cy_error_no_memory(err);
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
            st = cy_error_no_memory(err);
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

/* DATA/review/NAME.json (name "criteria" the default). */
static cy_status_t
load_criteria(const char *data_dir, const char *file, review_criteria_t *c, cy_error_t *err)
{
    char path[4096], name[128];
    for (const char *p = file; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return cy_error_set(err, CY_EINVAL, "criteria_invalid", "review_criteria",
                                "评分标准文件名 %.64s 只能含小写字母、数字、- 和 _ / the criteria "
                                "file name %.64s may hold only a-z, 0-9, - and _",
                                file, file);
    snprintf(path, sizeof path, "%s/review/%s.json", data_dir, file);
    snprintf(name, sizeof name, "review/%s.json", file);
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, name, "criteria_invalid", err);
    if (st != CY_OK) {
        jsonfile_free(&jf);
        return st;
    }
    static const char *const top[] = {"source", "version", "note", "min_reviews", "criteria", NULL};
    json_t *root = jf.root;
    if ((st = jsonfile_head(&jf, top, c->source, sizeof c->source, c->version,
                            sizeof c->version)) == CY_OK)
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
        return cy_error_no_memory(err);
    cy_status_t st = load_rounds(data_dir, pd, err);
    if (st == CY_OK)
        st = load_criteria(data_dir, "criteria", &pd->criteria, err);
    if (st == CY_OK &&
        (pd->round_criteria = calloc(pd->n_rounds, sizeof *pd->round_criteria)) == NULL)
        st = cy_error_no_memory(err);
    /* a round names its own criteria file, or scores on the default one */
    for (size_t i = 0; st == CY_OK && i < pd->n_rounds; i++) {
        if (pd->rounds[i].review_criteria[0] == '\0')
            pd->round_criteria[i] = pd->criteria;
        else
            st =
                load_criteria(data_dir, pd->rounds[i].review_criteria, &pd->round_criteria[i], err);
    }
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
    free(pd->round_criteria);
    free(pd);
}
