/*
 * rating_data.c — reads data/rating/model.json into a rating_model_t
 * (core/rating.h) and refuses the first bad parameter with the file, line
 * and field. Amounts in the file are yuan (CNY) as decimals; the model holds
 * fen and ln(fen). May use stdio and jansson (through app/jsonfile.h);
 * never store/, http/ or cli/.
 */
#include "data/rating.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "data/jsonfile.h"

/* Keys that document the file and are skipped: every object may carry them. */
#define DOC_KEYS "note", "source", "notes"

static cy_status_t
yuan_to_fen(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, double lo,
            const double *def, int64_t *out)
{
    double v;
    cy_status_t st = jsonfile_number(jf, obj, base, key, lo, 1e15, def, &v);
    if (st != CY_OK)
        return st;
    *out = (int64_t)floor(v * 100.0 + 0.5);
    return CY_OK;
}

static cy_status_t
load_frequency(const jsonfile_t *jf, json_t *fr, rating_model_t *m)
{
    static const char *const keys[] = {"base_by_section", "size", "security_factor", DOC_KEYS,
                                       NULL};
    cy_status_t st = jsonfile_keys(jf, fr, "frequency", keys);
    if (st != CY_OK)
        return st;
    json_t *base = json_object_get(fr, "base_by_section");
    if (base == NULL)
        return jsonfile_fail(jf, "frequency.base_by_section", "缺少此项 / is missing");
    static const char *const sections[] = {"A", "B", "C", "D", "E",      "F", "G", "H",
                                           "I", "J", "K", "L", "M",      "N", "O", "P",
                                           "Q", "R", "S", "T", DOC_KEYS, NULL};
    st = jsonfile_keys(jf, base, "frequency.base_by_section", sections);
    for (int i = 0; i < RATING_N_SECTIONS && st == CY_OK; i++)
        st = jsonfile_number(jf, base, "frequency.base_by_section", sections[i], 0.0, 10.0, NULL,
                             &m->base_frequency[i]);
    if (st != CY_OK)
        return st;

    json_t *size = json_object_get(fr, "size");
    if (size == NULL)
        return jsonfile_fail(jf, "frequency.size", "缺少此项 / is missing");
    static const char *const size_keys[] = {
        "form", "reference_revenue_cny", "exponent", "min", "max", DOC_KEYS, NULL};
    st = jsonfile_keys(jf, size, "frequency.size", size_keys);
    char form[32];
    if (st == CY_OK)
        st = jsonfile_string(jf, size, "frequency.size", "form", 1, form, sizeof form);
    if (st == CY_OK && strcmp(form, "power") != 0)
        st = jsonfile_fail(
            jf, "frequency.size.form",
            "目前只支持 \"power\"（(营业收入/参考值)^指数，限定在 min 与 max 之间） / "
            "only \"power\" is supported: (revenue/reference)^exponent within "
            "min and max");
    if (st == CY_OK)
        st = yuan_to_fen(jf, size, "frequency.size", "reference_revenue_cny", 1.0, NULL,
                         &m->size_reference_revenue);
    if (st == CY_OK)
        st = jsonfile_number(jf, size, "frequency.size", "exponent", -2.0, 2.0, NULL,
                             &m->size_exponent);
    if (st == CY_OK)
        st = jsonfile_number(jf, size, "frequency.size", "min", 1e-6, 1e6, NULL, &m->size_min);
    if (st == CY_OK)
        st = jsonfile_number(jf, size, "frequency.size", "max", m->size_min, 1e6, NULL,
                             &m->size_max);
    if (st != CY_OK)
        return st;

    json_t *sec = json_object_get(fr, "security_factor");
    if (sec == NULL)
        return jsonfile_fail(jf, "frequency.security_factor", "缺少此项 / is missing");
    static const char *const grades[] = {"A", "B", "C", "D", "E", DOC_KEYS, NULL};
    st = jsonfile_keys(jf, sec, "frequency.security_factor", grades);
    for (int g = 0; g < RATING_N_GRADES && st == CY_OK; g++)
        st = jsonfile_number(jf, sec, "frequency.security_factor", grades[g], 1e-6, 1e3, NULL,
                             &m->grade_factor[g]);
    return st;
}

/* A lognormal given as {"median": …, "sigma": …}: median > 0 in unit, ln taken here. */
static cy_status_t
load_lognormal(const jsonfile_t *jf, json_t *obj, const char *base, double scale, double *mu,
               double *sigma)
{
    static const char *const keys[] = {"median", "sigma", DOC_KEYS, NULL};
    cy_status_t st = jsonfile_keys(jf, obj, base, keys);
    double median;
    if (st == CY_OK)
        st = jsonfile_number(jf, obj, base, "median", 1e-9, 1e15, NULL, &median);
    if (st == CY_OK)
        st = jsonfile_number(jf, obj, base, "sigma", 0.0, 10.0, NULL, sigma);
    if (st == CY_OK)
        *mu = log(median * scale);
    return st;
}

static cy_status_t
load_types(const jsonfile_t *jf, json_t *root, rating_model_t *m)
{
    json_t *arr;
    cy_status_t st = jsonfile_array(jf, root, "", "incident_types", 1, RATING_MAX_TYPES,
                                    "个事件类型", "incident types", &arr);
    if (st != CY_OK)
        return st;
    m->n_types = json_array_size(arr);
    static const char *const keys[] = {"code",      "name_zh",        "name_en",
                                       "share",     "severity_scale", "bi_hours",
                                       "coverages", DOC_KEYS,         NULL};
    for (size_t t = 0; t < m->n_types; t++) {
        char base[64];
        json_t *o = jsonfile_item(arr, "incident_types", t, base, sizeof base);
        rating_type_t *ty = &m->types[t];
        st = jsonfile_keys(jf, o, base, keys);
        if (st == CY_OK)
            st = jsonfile_names(jf, o, base, ty->code, sizeof ty->code, ty->name_zh,
                                sizeof ty->name_zh, ty->name_en, sizeof ty->name_en);
        if (st == CY_OK)
            st = jsonfile_number(jf, o, base, "share", 0.0, 1.0, NULL, &ty->share);
        double one = 1.0;
        if (st == CY_OK)
            st = jsonfile_number(jf, o, base, "severity_scale", 1e-6, 1e3, &one,
                                 &ty->severity_scale);
        for (size_t k = 0; k < t && st == CY_OK; k++)
            if (strcmp(m->types[k].code, ty->code) == 0) {
                char path[96];
                jsonfile_path(path, sizeof path, base, "code");
                st =
                    jsonfile_fail(jf, path, "代码 %s 重复 / duplicate code %s", ty->code, ty->code);
            }
        if (st != CY_OK)
            return st;
        char path[96];
        jsonfile_path(path, sizeof path, base, "bi_hours");
        json_t *bh = json_object_get(o, "bi_hours");
        if (bh == NULL)
            return jsonfile_fail(jf, path, "缺少此项 / is missing");
        st = load_lognormal(jf, bh, path, 1.0, &ty->bi_hours_mu, &ty->bi_hours_sigma);
        if (st != CY_OK)
            return st;
        jsonfile_path(path, sizeof path, base, "coverages");
        json_t *cv = json_object_get(o, "coverages");
        if (!json_is_object(cv))
            return jsonfile_fail(jf, path,
                                 "应为对象：险种代码 → 发生损失的概率 / must be an object: "
                                 "coverage code → probability of a loss");
        const char *key;
        json_t *val;
        json_object_foreach(cv, key, val)
        {
            (void)val;
            int c = cov_find(key);
            if (c < 0 && strcmp(key, "note") != 0) {
                char kp[128];
                jsonfile_path(kp, sizeof kp, path, key);
                return jsonfile_fail(jf, kp,
                                     "不是通知所列的险种代码 / not one of the notice's "
                                     "coverage codes");
            }
            if (c >= 0) {
                double zero = 0.0;
                st = jsonfile_number(jf, cv, path, key, 0.0, 1.0, &zero, &ty->involve[c]);
                if (st != CY_OK)
                    return st;
            }
        }
    }
    return CY_OK;
}

static cy_status_t
load_severity(const jsonfile_t *jf, json_t *sv, rating_model_t *m)
{
    static const char *const keys[] = {"reference_revenue_cny", "coverages", DOC_KEYS, NULL};
    cy_status_t st = jsonfile_keys(jf, sv, "severity", keys);
    if (st == CY_OK)
        st = yuan_to_fen(jf, sv, "severity", "reference_revenue_cny", 1.0, NULL,
                         &m->severity_reference_revenue);
    if (st != CY_OK)
        return st;
    json_t *cv = json_object_get(sv, "coverages");
    if (!json_is_object(cv))
        return jsonfile_fail(jf, "severity.coverages", "应为对象 / must be an object");
    static const char *const ckeys[] = {"median_cny", "sigma",  "revenue_exponent",
                                        "tail",       DOC_KEYS, NULL};
    static const char *const tkeys[] = {"quantile", "xi", "beta_ratio", DOC_KEYS, NULL};
    const char *key;
    json_t *val;
    uint32_t seen = 0;
    json_object_foreach(cv, key, val)
    {
        char base[96];
        jsonfile_path(base, sizeof base, "severity.coverages", key);
        if (strcmp(key, "note") == 0)
            continue;
        int c = cov_find(key);
        if (c < 0 || c == COV_BI)
            return jsonfile_fail(jf, base,
                                 "应为 bi 以外的险种代码（营业中断按每小时毛利润 × 中断小时数计算，"
                                 "见 incident_types[].bi_hours） / must be a coverage code other "
                                 "than bi (business interruption is hourly gross profit × outage "
                                 "hours, see incident_types[].bi_hours)");
        rating_severity_t *s = &m->severity[c];
        seen |= 1u << c;
        double median, zero = 0.0;
        st = jsonfile_keys(jf, val, base, ckeys);
        if (st == CY_OK)
            st = jsonfile_number(jf, val, base, "median_cny", 0.01, 1e13, NULL, &median);
        if (st == CY_OK)
            st = jsonfile_number(jf, val, base, "sigma", 0.0, 10.0, NULL, &s->sigma);
        if (st == CY_OK)
            st = jsonfile_number(jf, val, base, "revenue_exponent", -2.0, 2.0, &zero,
                                 &s->revenue_exponent);
        if (st != CY_OK)
            return st;
        s->mu = log(median * 100.0);
        json_t *tail = json_object_get(val, "tail");
        if (tail == NULL || json_is_null(tail))
            continue;
        char tb[128];
        jsonfile_path(tb, sizeof tb, base, "tail");
        s->tail = 1;
        st = jsonfile_keys(jf, tail, tb, tkeys);
        if (st == CY_OK)
            st = jsonfile_number(jf, tail, tb, "quantile", 0.5, 0.999999, NULL, &s->tail_quantile);
        if (st == CY_OK)
            st = jsonfile_number(jf, tail, tb, "xi", 0.0, 0.95, NULL, &s->tail_xi);
        if (st == CY_OK)
            st = jsonfile_number(jf, tail, tb, "beta_ratio", 1e-6, 1e6, NULL, &s->tail_beta_ratio);
        if (st != CY_OK)
            return st;
    }
    for (int c = 0; c < COV_N; c++)
        if (c != COV_BI && !(seen & (1u << c)))
            return jsonfile_fail(jf, "severity.coverages",
                                 "缺少险种 %s 的损失分布 / no severity for coverage %s",
                                 cov_code(c), cov_code(c));
    return CY_OK;
}

cy_status_t
rating_data_load(const char *path, const char *name, rating_data_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, name, "rating_model_invalid", err);
    rating_model_t *m = &out->model;
    static const char *const keys[] = {"source",
                                       "version",
                                       "currency",
                                       "frequency",
                                       "incident_types",
                                       "severity",
                                       "default_gross_margin",
                                       "loading",
                                       "minimum_premium_cny",
                                       "note",
                                       "notes",
                                       NULL};
    if (st == CY_OK)
        st = jsonfile_head(&jf, keys, out->source, sizeof out->source, out->version,
                           sizeof out->version);
    json_t *cur = st == CY_OK ? json_object_get(jf.root, "currency") : NULL;
    if (st == CY_OK) {
        static const char *const ckeys[] = {"code", "usd_cny", DOC_KEYS, NULL};
        char code[8];
        if (cur == NULL)
            st = jsonfile_fail(&jf, "currency", "缺少此项 / is missing");
        if (st == CY_OK)
            st = jsonfile_keys(&jf, cur, "currency", ckeys);
        if (st == CY_OK)
            st = jsonfile_string(&jf, cur, "currency", "code", 1, code, sizeof code);
        if (st == CY_OK && strcmp(code, "CNY") != 0)
            st = jsonfile_fail(&jf, "currency.code",
                               "金额须以人民币（CNY）表示 / amounts must be in CNY");
        if (st == CY_OK)
            st = jsonfile_number(&jf, cur, "currency", "usd_cny", 0.1, 100.0, NULL, &out->usd_cny);
    }
    if (st == CY_OK) {
        json_t *fr = json_object_get(jf.root, "frequency");
        st = fr ? load_frequency(&jf, fr, m)
                : jsonfile_fail(&jf, "frequency", "缺少此项 / is missing");
    }
    if (st == CY_OK)
        st = load_types(&jf, jf.root, m);
    if (st == CY_OK) {
        json_t *sv = json_object_get(jf.root, "severity");
        st = sv ? load_severity(&jf, sv, m)
                : jsonfile_fail(&jf, "severity", "缺少此项 / is missing");
    }
    if (st == CY_OK)
        st = jsonfile_number(&jf, jf.root, "", "default_gross_margin", 0.0, 1.0, NULL,
                             &m->default_gross_margin);
    if (st == CY_OK) {
        json_t *ld = json_object_get(jf.root, "loading");
        static const char *const lkeys[] = {"expense", "profit", DOC_KEYS, NULL};
        if (ld == NULL)
            st = jsonfile_fail(&jf, "loading", "缺少此项 / is missing");
        if (st == CY_OK)
            st = jsonfile_keys(&jf, ld, "loading", lkeys);
        if (st == CY_OK)
            st =
                jsonfile_number(&jf, ld, "loading", "expense", 0.0, 0.9, NULL, &m->expense_loading);
        if (st == CY_OK)
            st = jsonfile_number(&jf, ld, "loading", "profit", 0.0, 0.9, NULL, &m->profit_loading);
    }
    if (st == CY_OK)
        st = yuan_to_fen(&jf, jf.root, "", "minimum_premium_cny", 0.0, NULL, &m->minimum_premium);
    if (st == CY_OK) {
        /* what the file cannot say by its shape alone: shares add up, loadings below 95% */
        cy_error_t why;
        if (rating_model_prepare(m, &why) != CY_OK) {
            const char *where = strcmp(why.field, "incident_types") == 0 ? "incident_types"
                                : strcmp(why.field, "loading") == 0      ? "loading"
                                                                         : "";
            st = jsonfile_fail(&jf, where, "%s", why.message);
        }
    }
    jsonfile_free(&jf);
    return st;
}
