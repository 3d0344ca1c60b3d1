/*
 * uw_data.c — reading the questionnaire, the underwriting rules and the
 * underwriting parameters (see uw_data.h), each refusal naming the file,
 * line and field through app/jsonfile.h. Amounts in the files are yuan; the
 * structs hold fen. May use stdio and jansson; never store/, http/ or cli/.
 */
#include "data/uw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/jsonfile.h"

#define DOC_KEYS "note", "source", "notes"

/* ---------- small readers ---------- */

static cy_status_t
get_bool(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    *out = 0;
    if (v == NULL)
        return CY_OK;
    if (!json_is_boolean(v)) {
        char path[256];
        jsonfile_path(path, sizeof path, base, key);
        return jsonfile_fail(jf, path, "应为 true 或 false / must be true or false");
    }
    *out = json_is_true(v);
    return CY_OK;
}

static cy_status_t
yuan_to_fen(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, double lo,
            int64_t *out)
{
    double v;
    cy_status_t st = jsonfile_number(jf, obj, base, key, lo, 1e15, NULL, &v);
    if (st == CY_OK)
        *out = (int64_t)floor(v * 100.0 + 0.5);
    return st;
}

/* An array of strings obj[key] (each < cap bytes) into out[max][cap]; *n receives the count. */
static cy_status_t
get_strings(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, char *out,
            size_t cap, size_t max, size_t *n)
{
    char path[256];
    jsonfile_path(path, sizeof path, base, key);
    json_t *arr = json_object_get(obj, key);
    *n = 0;
    if (arr == NULL)
        return CY_OK;
    if (!json_is_array(arr) || json_array_size(arr) > max)
        return jsonfile_fail(
            jf, path, "应为至多 %zu 个字符串的数组 / must be an array of at most %zu strings", max,
            max);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        char ip[280];
        snprintf(ip, sizeof ip, "%s[%zu]", path, i);
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= cap)
            return jsonfile_fail(jf, ip,
                                 "应为 1–%zu 字节的字符串 / must be a string of 1–%zu bytes",
                                 cap - 1, cap - 1);
        memcpy(out + i * cap, json_string_value(v), json_string_length(v) + 1);
    }
    *n = json_array_size(arr);
    return CY_OK;
}

/* ---------- the questionnaire ---------- */

static cy_status_t
load_options(const jsonfile_t *jf, json_t *arr, const char *base, qn_question_t *q)
{
    char path[160];
    jsonfile_path(path, sizeof path, base, "options");
    if (!json_is_array(arr) || json_array_size(arr) < 2 || json_array_size(arr) > QN_MAX_OPTIONS)
        return jsonfile_fail(jf, path, "选择题应有 2 到 %d 个选项 / a choice needs 2 to %d options",
                             QN_MAX_OPTIONS, QN_MAX_OPTIONS);
    static const char *const keys[] = {"code", "name_zh", "name_en", "score", DOC_KEYS, NULL};
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        char ob[192];
        snprintf(ob, sizeof ob, "%s[%zu]", path, i);
        qn_option_t *op = &q->options[i];
        cy_status_t st = jsonfile_keys(jf, o, ob, keys);
        if (st == CY_OK)
            st = jsonfile_names(jf, o, ob, op->code, sizeof op->code, op->name_zh,
                                sizeof op->name_zh, op->name_en, sizeof op->name_en);
        if (st == CY_OK)
            st = jsonfile_number(jf, o, ob, "score", 0.0, 1.0, NULL, &op->score);
        /* the answer codes of yes/no questions stay unambiguous */
        static const char *const reserved[] = {"yes", "partial",    "no",
                                               "na",  "unanswered", "number"};
        for (size_t r = 0; st == CY_OK && r < sizeof reserved / sizeof reserved[0]; r++)
            if (strcmp(op->code, reserved[r]) == 0)
                st = jsonfile_fail(jf, ob, "选项代码 %s 为保留字 / option code %s is reserved",
                                   op->code, op->code);
        for (size_t k = 0; st == CY_OK && k < i; k++)
            if (strcmp(q->options[k].code, op->code) == 0)
                st = jsonfile_fail(jf, ob, "选项代码 %s 重复 / duplicate option code %s", op->code,
                                   op->code);
        if (st != CY_OK)
            return st;
    }
    q->n_options = json_array_size(arr);
    return CY_OK;
}

static int
section_index(const qn_t *qn, const char *code)
{
    for (size_t i = 0; i < qn->n_sections; i++)
        if (strcmp(qn->sections[i].code, code) == 0)
            return (int)i;
    return -1;
}

/* A question's keys, its codes (section, module, type: out), weight, flags and texts. */
static cy_status_t
question_fields(const jsonfile_t *jf, json_t *o, const char *base, qn_question_t *q,
                char section[QN_CODE_CAP], char module[QN_CODE_CAP], char type[16])
{
    static const char *const keys[] = {
        "id",        "section", "module",  "type",      "weight",    "na_allowed",
        "critical",  "text_zh", "text_en", "driver_zh", "driver_en", "advice_zh",
        "advice_en", "options", "number",  "cap",       DOC_KEYS,    NULL};
    const jsonfile_text_t codes[] = {{"id", q->id, sizeof q->id, 1},
                                     {"section", section, QN_CODE_CAP, 1},
                                     {"module", module, QN_CODE_CAP, 0},
                                     {"type", type, 16, 1}};
    const jsonfile_text_t texts[] = {
        {"text_zh", q->text_zh, sizeof q->text_zh, 1},
        {"text_en", q->text_en, sizeof q->text_en, 1},
        {"driver_zh", q->driver_zh, sizeof q->driver_zh, 1},
        {"driver_en", q->driver_en, sizeof q->driver_en, 1},
        {"advice_zh", q->advice_zh, sizeof q->advice_zh, 1},
        {"advice_en", q->advice_en, sizeof q->advice_en, 1},
        {"source", q->source, sizeof q->source, 1},
    };
    cy_status_t st = jsonfile_keys(jf, o, base, keys);
    if (st == CY_OK)
        st = jsonfile_strings(jf, o, base, codes, sizeof codes / sizeof codes[0]);
    if (st == CY_OK)
        st = jsonfile_number(jf, o, base, "weight", 0.01, 100.0, NULL, &q->weight);
    if (st == CY_OK)
        st = get_bool(jf, o, base, "na_allowed", &q->na_allowed);
    if (st == CY_OK)
        st = get_bool(jf, o, base, "critical", &q->critical);
    if (st == CY_OK)
        st = jsonfile_strings(jf, o, base, texts, sizeof texts / sizeof texts[0]);
    return st;
}

/* Question idx's id is new, its section and module (if any) are known ones. */
static cy_status_t
question_place(const jsonfile_t *jf, const char *base, size_t idx, const qn_t *qn, qn_question_t *q,
               const char *section, const char *module)
{
    char path[160];
    if (qn_question_find(qn, q->id) >= 0 && (size_t)qn_question_find(qn, q->id) < idx) {
        jsonfile_path(path, sizeof path, base, "id");
        return jsonfile_fail(jf, path, "问题编号 %s 重复 / duplicate question id %s", q->id, q->id);
    }
    q->section = section_index(qn, section);
    if (q->section < 0) {
        jsonfile_path(path, sizeof path, base, "section");
        return jsonfile_fail(jf, path, "未知的部分 %s / unknown section %s", section, section);
    }
    q->module = -1;
    if (module[0]) {
        for (size_t m = 0; m < qn->n_modules; m++)
            if (strcmp(qn->modules[m].code, module) == 0)
                q->module = (int)m;
        if (q->module < 0) {
            jsonfile_path(path, sizeof path, base, "module");
            return jsonfile_fail(jf, path, "未知的扩展模块 %s / unknown module %s", module, module);
        }
    }
    return CY_OK;
}

/* A number question's "number": {min, max, score_at_min, score_at_max, units}. */
static cy_status_t
load_number(const jsonfile_t *jf, json_t *o, const char *base, qn_question_t *q)
{
    char nb[160];
    jsonfile_path(nb, sizeof nb, base, "number");
    json_t *n = json_object_get(o, "number");
    static const char *const nkeys[] = {"min",     "max",     "score_at_min", "score_at_max",
                                        "unit_zh", "unit_en", DOC_KEYS,       NULL};
    if (n == NULL)
        return jsonfile_fail(jf, nb, "数值题须给出 number / a number question needs number");
    cy_status_t st = jsonfile_keys(jf, n, nb, nkeys);
    if (st == CY_OK)
        st = jsonfile_number(jf, n, nb, "min", -1e12, 1e12, NULL, &q->num_min);
    if (st == CY_OK)
        st = jsonfile_number(jf, n, nb, "max", -1e12, 1e12, NULL, &q->num_max);
    if (st == CY_OK)
        st = jsonfile_number(jf, n, nb, "score_at_min", 0.0, 1.0, NULL, &q->score_at_min);
    if (st == CY_OK)
        st = jsonfile_number(jf, n, nb, "score_at_max", 0.0, 1.0, NULL, &q->score_at_max);
    if (st == CY_OK)
        st = jsonfile_string(jf, n, nb, "unit_zh", 0, q->unit_zh, sizeof q->unit_zh);
    if (st == CY_OK)
        st = jsonfile_string(jf, n, nb, "unit_en", 0, q->unit_en, sizeof q->unit_en);
    if (st == CY_OK && !(q->num_min < q->num_max))
        st = jsonfile_fail(jf, nb, "min 应小于 max / min must be below max");
    return st;
}

/* The optional "cap": {when: [answer codes], grade}: those answers cap the grade. */
static cy_status_t
load_cap(const jsonfile_t *jf, json_t *cap, const char *base, qn_question_t *q)
{
    if (cap == NULL)
        return CY_OK;
    char cb[160], grade[4];
    jsonfile_path(cb, sizeof cb, base, "cap");
    static const char *const ckeys[] = {"when", "grade", DOC_KEYS, NULL};
    cy_status_t st = jsonfile_keys(jf, cap, cb, ckeys);
    if (st == CY_OK)
        st = get_strings(jf, cap, cb, "when", &q->cap_when[0][0], QN_CODE_CAP, QN_MAX_CAP_VALUES,
                         &q->n_cap_when);
    if (st == CY_OK)
        st = jsonfile_string(jf, cap, cb, "grade", 1, grade, sizeof grade);
    if (st == CY_OK && (strlen(grade) != 1 || grade[0] < 'A' || grade[0] > 'E'))
        st = jsonfile_fail(jf, cb, "封顶等级应为 A–E / the cap grade must be A–E");
    if (st == CY_OK)
        q->cap_grade = grade[0];
    return st;
}

static cy_status_t
load_question(const jsonfile_t *jf, json_t *o, size_t idx, qn_t *qn)
{
    char base[64];
    snprintf(base, sizeof base, "questions[%zu]", idx);
    qn_question_t *q = &qn->questions[idx];
    memset(q, 0, sizeof *q);
    char section[QN_CODE_CAP], module[QN_CODE_CAP], type[16];
    cy_status_t st = question_fields(jf, o, base, q, section, module, type);
    if (st == CY_OK)
        st = question_place(jf, base, idx, qn, q, section, module);
    if (st != CY_OK)
        return st;
    if (strcmp(type, "ynp") == 0) {
        q->type = QN_YNP;
    } else if (strcmp(type, "choice") == 0) {
        q->type = QN_CHOICE;
        st = load_options(jf, json_object_get(o, "options"), base, q);
    } else if (strcmp(type, "number") == 0) {
        q->type = QN_NUMBER;
        st = load_number(jf, o, base, q);
    } else {
        char path[160];
        jsonfile_path(path, sizeof path, base, "type");
        return jsonfile_fail(jf, path,
                             "应为 ynp、choice 或 number / must be ynp, choice or number");
    }
    if (st == CY_OK)
        st = load_cap(jf, json_object_get(o, "cap"), base, q);
    return st;
}

static cy_status_t
load_penalty(const jsonfile_t *jf, json_t *ev, const char *key, int severe, qn_penalty_t *p)
{
    char base[64];
    jsonfile_path(base, sizeof base, "evidence", key);
    json_t *o = json_object_get(ev, key);
    if (o == NULL)
        return jsonfile_fail(jf, base, "缺少此项 / is missing");
    static const char *const keys[] = {"points",    "max_points", "cvss_min",  "epss_min",
                                       "driver_zh", "driver_en",  "advice_zh", "advice_en",
                                       DOC_KEYS,    NULL};
    double zero = 0.0;
    cy_status_t st = jsonfile_keys(jf, o, base, keys);
    if (st == CY_OK)
        st = jsonfile_number(jf, o, base, "points", 0.0, 100.0, NULL, &p->points);
    if (st == CY_OK)
        st = jsonfile_number(jf, o, base, "max_points", 0.0, 100.0, NULL, &p->max_points);
    if (st == CY_OK)
        st = jsonfile_number(jf, o, base, "cvss_min", 0.0, 10.0, severe ? NULL : &zero,
                             &p->cvss_min);
    if (st == CY_OK)
        st =
            jsonfile_number(jf, o, base, "epss_min", 0.0, 1.0, severe ? NULL : &zero, &p->epss_min);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, base, "driver_zh", 1, p->driver_zh, sizeof p->driver_zh);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, base, "driver_en", 1, p->driver_en, sizeof p->driver_en);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, base, "advice_zh", 1, p->advice_zh, sizeof p->advice_zh);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, base, "advice_en", 1, p->advice_en, sizeof p->advice_en);
    return st;
}

/* The answer scores, grade thresholds and the number of top drivers. */
static cy_status_t
qn_scores(const jsonfile_t *jf, json_t *root, qn_t *qn)
{
    cy_status_t st = CY_OK;
    json_t *as = json_object_get(root, "answer_scores");
    static const char *const askeys[] = {"yes", "partial", "no", DOC_KEYS, NULL};
    double one, zero;
    if (as == NULL)
        return jsonfile_fail(jf, "answer_scores", "缺少此项 / is missing");
    st = jsonfile_keys(jf, as, "answer_scores", askeys);
    if (st == CY_OK)
        st = jsonfile_number(jf, as, "answer_scores", "yes", 1.0, 1.0, NULL, &one);
    if (st == CY_OK)
        st = jsonfile_number(jf, as, "answer_scores", "partial", 0.0, 1.0, NULL,
                             &qn->partial_credit);
    if (st == CY_OK)
        st = jsonfile_number(jf, as, "answer_scores", "no", 0.0, 0.0, NULL, &zero);
    if (st != CY_OK)
        return st;
    json_t *gr = json_object_get(root, "grades");
    static const char *const gkeys[] = {"A", "B", "C", "D", "E", DOC_KEYS, NULL};
    if (gr == NULL)
        return jsonfile_fail(jf, "grades", "缺少此项 / is missing");
    st = jsonfile_keys(jf, gr, "grades", gkeys);
    for (int g = 0; g < QN_GRADES && st == CY_OK; g++)
        st = jsonfile_number(jf, gr, "grades", gkeys[g], 0.0, 100.0, NULL, &qn->grade_min[g]);
    double td;
    if (st == CY_OK)
        st = jsonfile_number(jf, root, "", "top_drivers", 1, QN_MAX_DRIVERS, NULL, &td);
    if (st != CY_OK)
        return st;
    qn->top_drivers = (size_t)td;
    return st;
}

/* The profile flags (what modules are triggered by). */
static cy_status_t
qn_flags(const jsonfile_t *jf, json_t *root, qn_t *qn)
{
    json_t *fl, *o;
    cy_status_t st = jsonfile_array(jf, root, "", "profile_flags", 0, QN_MAX_FLAGS, "项", "", &fl);
    static const char *const fkeys[] = {"code", "name_zh", "name_en", DOC_KEYS, NULL};
    char b[64];
    for (size_t i = 0; st == CY_OK && (o = jsonfile_item(fl, "profile_flags", i, b, sizeof b));
         i++) {
        st = jsonfile_keys(jf, o, b, fkeys);
        if (st == CY_OK)
            st = jsonfile_names(jf, o, b, qn->flags[i], sizeof qn->flags[i], qn->flag_name_zh[i],
                                sizeof qn->flag_name_zh[i], qn->flag_name_en[i],
                                sizeof qn->flag_name_en[i]);
        if (st != CY_OK)
            return st;
        qn->n_flags = i + 1;
    }
    return st;
}

/* The sections (GB/T 22239 families). */
static cy_status_t
qn_sections(const jsonfile_t *jf, json_t *root, qn_t *qn)
{
    json_t *secs, *o;
    cy_status_t st =
        jsonfile_array(jf, root, "", "sections", 1, QN_MAX_SECTIONS, "个部分", "sections", &secs);
    static const char *const skeys[] = {"code", "name_zh", "name_en", "source", DOC_KEYS, NULL};
    char b[64];
    for (size_t i = 0; st == CY_OK && (o = jsonfile_item(secs, "sections", i, b, sizeof b)); i++) {
        qn_section_t *s = &qn->sections[i];
        st = jsonfile_keys(jf, o, b, skeys);
        if (st == CY_OK)
            st = jsonfile_names(jf, o, b, s->code, sizeof s->code, s->name_zh, sizeof s->name_zh,
                                s->name_en, sizeof s->name_en);
        if (st == CY_OK)
            st = jsonfile_string(jf, o, b, "source", 1, s->source, sizeof s->source);
        if (st == CY_OK && section_index(qn, s->code) >= 0)
            st = jsonfile_fail(jf, b, "部分代码 %s 重复 / duplicate section code %s", s->code,
                               s->code);
        if (st != CY_OK)
            return st;
        qn->n_sections = i + 1;
    }
    return st;
}

/* The extension modules and when they apply. */
static cy_status_t
qn_modules(const jsonfile_t *jf, json_t *root, qn_t *qn)
{
    json_t *mods, *o;
    cy_status_t st =
        jsonfile_array(jf, root, "", "modules", 0, QN_MAX_MODULES, "个扩展模块", "modules", &mods);
    static const char *const mkeys[] = {"code",    "name_zh", "name_en", "source",
                                        "section", "when",    DOC_KEYS,  NULL};
    static const char *const wkeys[] = {"target_industries", "flags", DOC_KEYS, NULL};
    char b[64];
    for (size_t i = 0; st == CY_OK && (o = jsonfile_item(mods, "modules", i, b, sizeof b)); i++) {
        char wb[96], sec[QN_CODE_CAP];
        jsonfile_path(wb, sizeof wb, b, "when");
        qn_module_t *m = &qn->modules[i];
        st = jsonfile_keys(jf, o, b, mkeys);
        if (st == CY_OK)
            st = jsonfile_names(jf, o, b, m->code, sizeof m->code, m->name_zh, sizeof m->name_zh,
                                m->name_en, sizeof m->name_en);
        if (st == CY_OK)
            st = jsonfile_string(jf, o, b, "source", 1, m->source, sizeof m->source);
        if (st == CY_OK)
            st = jsonfile_string(jf, o, b, "section", 1, sec, sizeof sec);
        if (st == CY_OK && section_index(qn, sec) < 0)
            st = jsonfile_fail(jf, b, "未知的部分 %s / unknown section %s", sec, sec);
        json_t *w = json_object_get(o, "when");
        if (st == CY_OK && w == NULL)
            st = jsonfile_fail(jf, wb, "缺少此项 / is missing");
        if (st == CY_OK)
            st = jsonfile_keys(jf, w, wb, wkeys);
        if (st == CY_OK)
            st = get_strings(jf, w, wb, "target_industries", &m->target_industries[0][0],
                             sizeof m->target_industries[0], QN_MAX_TRIGGERS,
                             &m->n_target_industries);
        char flags[QN_MAX_FLAGS][QN_CODE_CAP];
        size_t nf = 0;
        if (st == CY_OK)
            st = get_strings(jf, w, wb, "flags", &flags[0][0], QN_CODE_CAP, QN_MAX_FLAGS, &nf);
        for (size_t k = 0; st == CY_OK && k < nf; k++) {
            int f = qn_flag_find(qn, flags[k]);
            if (f < 0)
                st = jsonfile_fail(jf, wb, "未知的画像标记 %s / unknown profile flag %s", flags[k],
                                   flags[k]);
            else
                m->flags |= 1u << f;
        }
        if (st != CY_OK)
            return st;
        qn->n_modules = i + 1;
    }
    return st;
}

/* The questions, and that each cap names answers its question can take. */
static cy_status_t
qn_questions(const jsonfile_t *jf, json_t *root, qn_t *qn)
{
    json_t *qs;
    cy_status_t st =
        jsonfile_array(jf, root, "", "questions", 1, QN_MAX_QUESTIONS, "个问题", "questions", &qs);
    for (size_t i = 0; st == CY_OK && i < json_array_size(qs); i++) {
        qn->n_questions = i + 1;
        st = load_question(jf, json_array_get(qs, i), i, qn);
    }
    if (st != CY_OK)
        return st;
    /* a cap's values must be answers the question can take */
    for (size_t i = 0; i < qn->n_questions; i++) {
        const qn_question_t *q = &qn->questions[i];
        for (size_t k = 0; k < q->n_cap_when; k++) {
            const char *v = q->cap_when[k];
            int ok = strcmp(v, "unanswered") == 0 ||
                     (q->type == QN_YNP &&
                      (!strcmp(v, "yes") || !strcmp(v, "partial") || !strcmp(v, "no")));
            for (size_t m = 0; !ok && m < q->n_options; m++)
                ok = strcmp(q->options[m].code, v) == 0;
            if (!ok) {
                char b[96];
                snprintf(b, sizeof b, "questions[%zu].cap.when", i);
                return jsonfile_fail(
                    jf, b, "%s 不是该问题可取的回答 / %s is not an answer of this question", v, v);
            }
        }
    }
    return st;
}

/* The penalties of technical evidence. */
static cy_status_t
qn_evidence(const jsonfile_t *jf, json_t *root, qn_t *qn)
{
    cy_status_t st = CY_OK;
    json_t *ev = json_object_get(root, "evidence");
    static const char *const ekeys[] = {"kev_internet", "severe", DOC_KEYS, NULL};
    if (ev == NULL)
        return jsonfile_fail(jf, "evidence", "缺少此项 / is missing");
    st = jsonfile_keys(jf, ev, "evidence", ekeys);
    if (st == CY_OK)
        st = load_penalty(jf, ev, "kev_internet", 0, &qn->kev);
    if (st == CY_OK)
        st = load_penalty(jf, ev, "severe", 1, &qn->severe);
    if (st != CY_OK)
        return st;
    return st;
}

/* The MLPS (等级保护) conclusions and advice. */
static cy_status_t
qn_mlps(const jsonfile_t *jf, json_t *root, qn_t *qn)
{
    cy_status_t st = CY_OK;
    json_t *ml = json_object_get(root, "mlps");
    static const char *const lkeys[] = {"conclusions", "missing_points", "advice_zh",
                                        "advice_en",   DOC_KEYS,         NULL};
    if (ml == NULL)
        return jsonfile_fail(jf, "mlps", "缺少此项 / is missing");
    st = jsonfile_keys(jf, ml, "mlps", lkeys);
    double zero0 = 0.0;
    if (st == CY_OK)
        st = jsonfile_number(jf, ml, "mlps", "missing_points", -100.0, 100.0, &zero0,
                             &qn->mlps_missing_points);
    if (st == CY_OK)
        st = jsonfile_string(jf, ml, "mlps", "advice_zh", 1, qn->mlps_advice_zh,
                             sizeof qn->mlps_advice_zh);
    if (st == CY_OK)
        st = jsonfile_string(jf, ml, "mlps", "advice_en", 1, qn->mlps_advice_en,
                             sizeof qn->mlps_advice_en);
    json_t *cs, *o;
    if (st == CY_OK)
        st = jsonfile_array(jf, ml, "mlps", "conclusions", 1, QN_MAX_CONCLUSIONS, "项", "", &cs);
    static const char *const ckeys[] = {"code", "name_zh", "name_en", "points", DOC_KEYS, NULL};
    char b[64];
    for (size_t i = 0; st == CY_OK && (o = jsonfile_item(cs, "mlps.conclusions", i, b, sizeof b));
         i++) {
        qn_conclusion_t *c = &qn->conclusions[i];
        st = jsonfile_keys(jf, o, b, ckeys);
        if (st == CY_OK)
            st = jsonfile_names(jf, o, b, c->code, sizeof c->code, c->name_zh, sizeof c->name_zh,
                                c->name_en, sizeof c->name_en);
        if (st == CY_OK)
            st = jsonfile_number(jf, o, b, "points", -100.0, 100.0, NULL, &c->points);
        if (st == CY_OK && strcmp(c->code, "none") == 0)
            st = jsonfile_fail(jf, b, "none 为保留字 / none is reserved");
        if (st != CY_OK)
            return st;
        qn->n_conclusions = i + 1;
    }
    return st;
}

static cy_status_t
load_qn(const jsonfile_t *jf, qn_t *qn)
{
    json_t *root = jf->root;
    static const char *const keys[] = {"source",      "version",       "answer_scores", "grades",
                                       "top_drivers", "profile_flags", "sections",      "modules",
                                       "questions",   "evidence",      "mlps",          DOC_KEYS,
                                       NULL};
    cy_status_t st =
        jsonfile_head(jf, keys, qn->source, sizeof qn->source, qn->version, sizeof qn->version);
    if (st == CY_OK)
        st = qn_scores(jf, root, qn);
    if (st == CY_OK)
        st = qn_flags(jf, root, qn);
    if (st == CY_OK)
        st = qn_sections(jf, root, qn);
    if (st == CY_OK)
        st = qn_modules(jf, root, qn);
    if (st == CY_OK)
        st = qn_questions(jf, root, qn);
    if (st == CY_OK)
        st = qn_evidence(jf, root, qn);
    if (st == CY_OK)
        st = qn_mlps(jf, root, qn);
    if (st != CY_OK)
        return st;
    cy_error_t why;
    if (qn_validate(qn, &why) != CY_OK)
        return jsonfile_fail(jf, why.field, "%s", why.message);
    return CY_OK;
}

cy_status_t
uw_questionnaire_load(const char *path, const char *name, qn_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, name, "questionnaire_invalid", err);
    if (st != CY_OK)
        return st;
    st = load_qn(&jf, out);
    jsonfile_free(&jf);
    return st;
}

/* ---------- the rules ---------- */

/* A rule's keys, id, decision, reasons, conditions and due days. */
static cy_status_t
rule_head(const jsonfile_t *jf, json_t *o, const char *base, uwr_rule_t *r)
{
    static const char *const keys[] = {
        "id",           "decision",     "when",     "reason_zh", "reason_en",
        "condition_zh", "condition_en", "due_days", DOC_KEYS,    NULL};
    char decision[16];
    cy_status_t st = jsonfile_keys(jf, o, base, keys);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, base, "id", 1, r->id, sizeof r->id);
    if (st == CY_OK)
        st = jsonfile_string(jf, o, base, "decision", 1, decision, sizeof decision);
    if (st == CY_OK &&
        (uwr_decision_parse(decision, &r->decision) != 0 || r->decision == UWR_ACCEPT))
        st = jsonfile_fail(jf, base,
                           "decision 应为 condition、refer 或 decline / decision must be "
                           "condition, refer or decline");
    int cond = r->decision == UWR_CONDITION;
    const jsonfile_text_t texts[] = {
        {"reason_zh", r->reason_zh, sizeof r->reason_zh, 1},
        {"reason_en", r->reason_en, sizeof r->reason_en, 1},
        {"condition_zh", r->condition_zh, sizeof r->condition_zh, cond},
        {"condition_en", r->condition_en, sizeof r->condition_en, cond},
    };
    if (st == CY_OK)
        st = jsonfile_strings(jf, o, base, texts, sizeof texts / sizeof texts[0]);
    double due = 0.0, zero = 0.0;
    if (st == CY_OK)
        st = jsonfile_number(jf, o, base, "due_days", 1.0, 3650.0, cond ? NULL : &zero, &due);
    r->due_days = (int)due;
    return st;
}

/* A rule on an answer: the question (known), the values or the number it is compared with. */
static cy_status_t
rule_answer(const jsonfile_t *jf, json_t *w, const char *wb, const qn_t *qn, uwr_rule_t *r)
{
    char question[QN_ID_CAP];
    cy_status_t st = jsonfile_string(jf, w, wb, "question", 1, question, sizeof question);
    if (st == CY_OK && (r->question = qn_question_find(qn, question)) < 0)
        st = jsonfile_fail(jf, wb, "问卷中没有问题 %s / the questionnaire has no question %s",
                           question, question);
    if (st == CY_OK && r->kind == UWR_ANSWER_IN)
        st = get_strings(jf, w, wb, "values", &r->values[0][0], QN_CODE_CAP, UWR_MAX_VALUES,
                         &r->n_values);
    if (st == CY_OK && r->kind != UWR_ANSWER_IN) {
        if (qn->questions[r->question].type != QN_NUMBER)
            st = jsonfile_fail(jf, wb, "%s 不是数值题 / %s is not a number question", question,
                               question);
        else
            st = jsonfile_number(jf, w, wb, "value", -1e12, 1e12, NULL, &r->number);
    }
    return st;
}

/* "when": the rule's kind and what it compares with. */
static cy_status_t
rule_when(const jsonfile_t *jf, json_t *w, const char *wb, const qn_t *qn, uwr_rule_t *r)
{
    static const char *const wkeys[] = {"kind",     "question",   "values", "value",
                                        "days",     "amount_cny", "ratio",  "cvss_min",
                                        "epss_min", DOC_KEYS,     NULL};
    char kind[48];
    if (w == NULL)
        return jsonfile_fail(jf, wb, "缺少此项 / is missing");
    cy_status_t st = jsonfile_keys(jf, w, wb, wkeys);
    if (st == CY_OK)
        st = jsonfile_string(jf, w, wb, "kind", 1, kind, sizeof kind);
    if (st == CY_OK && uwr_kind_parse(kind, &r->kind) != 0)
        st = jsonfile_fail(jf, wb, "未知的规则类型 %s / unknown rule kind %s", kind, kind);
    if (st != CY_OK)
        return st;
    double v = 0.0;
    switch (r->kind) {
    case UWR_ANSWER_IN:
    case UWR_ANSWER_BELOW:
    case UWR_ANSWER_ABOVE:
        st = rule_answer(jf, w, wb, qn, r);
        break;
    case UWR_KEV_INTERNET_OLDER:
    case UWR_ASSESSMENT_OLDER:
        st = jsonfile_number(jf, w, wb, "days", 0.0, 36500.0, NULL, &v);
        r->days = (int)v;
        break;
    case UWR_FINDING_SEVERE:
        st = jsonfile_number(jf, w, wb, "cvss_min", 0.0, 10.0, NULL, &r->number);
        if (st == CY_OK)
            st = jsonfile_number(jf, w, wb, "epss_min", 0.0, 1.0, NULL, &r->number2);
        break;
    case UWR_SCORE_BELOW:
        st = jsonfile_number(jf, w, wb, "value", 0.0, 100.0, NULL, &r->number);
        break;
    case UWR_GRADE_IN:
    case UWR_MLPS_CONCLUSION_IN:
    case UWR_SECTION_IN:
        st = get_strings(jf, w, wb, "values", &r->values[0][0], QN_CODE_CAP, UWR_MAX_VALUES,
                         &r->n_values);
        if (st == CY_OK && r->n_values == 0)
            st = jsonfile_fail(jf, wb, "values 不能为空 / values must not be empty");
        break;
    case UWR_LIMIT_ABOVE:
    case UWR_REVENUE_ABOVE:
        st = yuan_to_fen(jf, w, wb, "amount_cny", 0.0, &r->amount);
        break;
    case UWR_LIMIT_TO_REVENUE_ABOVE:
        st = jsonfile_number(jf, w, wb, "ratio", 0.0, 1e6, NULL, &r->number);
        break;
    case UWR_NO_ASSESSMENT:
    case UWR_KIND_COUNT:
        break;
    }
    return st;
}

static cy_status_t
load_rule(const jsonfile_t *jf, json_t *o, size_t idx, const qn_t *qn, uwr_rule_t *r)
{
    char base[64], wb[96];
    snprintf(base, sizeof base, "rules[%zu]", idx);
    snprintf(wb, sizeof wb, "rules[%zu].when", idx);
    memset(r, 0, sizeof *r);
    r->question = -1;
    cy_status_t st = rule_head(jf, o, base, r);
    if (st == CY_OK)
        st = rule_when(jf, json_object_get(o, "when"), wb, qn, r);
    return st;
}

cy_status_t
uw_rules_load(const char *path, const char *name, const qn_t *qn, uwr_set_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, name, "rules_invalid", err);
    if (st != CY_OK)
        return st;
    static const char *const keys[] = {"source", "version", "rules", DOC_KEYS, NULL};
    st = jsonfile_head(&jf, keys, out->source, sizeof out->source, out->version,
                       sizeof out->version);
    json_t *rules;
    if (st == CY_OK)
        st = jsonfile_array(&jf, jf.root, "", "rules", 0, UWR_MAX_RULES, "条规则", "rules", &rules);
    for (size_t i = 0; st == CY_OK && i < json_array_size(rules); i++) {
        st = load_rule(&jf, json_array_get(rules, i), i, qn, &out->rules[i]);
        for (size_t k = 0; k < i && st == CY_OK; k++)
            if (strcmp(out->rules[k].id, out->rules[i].id) == 0) {
                char b[64];
                snprintf(b, sizeof b, "rules[%zu].id", i);
                st = jsonfile_fail(&jf, b, "规则编号 %s 重复 / duplicate rule id %s",
                                   out->rules[i].id, out->rules[i].id);
            }
        if (st == CY_OK)
            out->n_rules = i + 1;
    }
    jsonfile_free(&jf);
    return st;
}

/* ---------- the parameters ---------- */

/* The parameters' texts, days, the grade of an unassessed enterprise and the policy prefix. */
static cy_status_t
params_head(const jsonfile_t *jf, json_t *root, uw_params_t *out)
{
    static const char *const keys[] = {"source",
                                       "version",
                                       "quote_validity_days",
                                       "start_within_days",
                                       "unassessed_grade",
                                       "claim_free_credit",
                                       "policy_number_prefix",
                                       "revenue_bands",
                                       DOC_KEYS,
                                       NULL};
    double v = 0.0;
    char grade[4] = "";
    cy_status_t st =
        jsonfile_head(jf, keys, out->source, sizeof out->source, out->version, sizeof out->version);
    if (st == CY_OK)
        st = jsonfile_number(jf, root, "", "quote_validity_days", 1, 365, NULL, &v);
    out->quote_validity_days = (int)v;
    if (st == CY_OK)
        st = jsonfile_number(jf, root, "", "start_within_days", 0, 366, NULL, &v);
    out->start_within_days = (int)v;
    if (st == CY_OK)
        st = jsonfile_string(jf, root, "", "unassessed_grade", 1, grade, sizeof grade);
    if (st == CY_OK && (strlen(grade) != 1 || grade[0] < 'A' || grade[0] > 'E'))
        st = jsonfile_fail(jf, "unassessed_grade", "应为 A–E / must be A–E");
    out->unassessed_grade = grade[0];
    if (st == CY_OK)
        st = jsonfile_string(jf, root, "", "policy_number_prefix", 1, out->policy_prefix,
                             sizeof out->policy_prefix);
    for (size_t k = 0; st == CY_OK && out->policy_prefix[k]; k++)
        if (out->policy_prefix[k] < 'A' || out->policy_prefix[k] > 'Z')
            st = jsonfile_fail(jf, "policy_number_prefix",
                               "应为 1–8 个大写字母 / must be 1–8 capital letters");
    return st;
}

/* "claim_free_credit": steps {years, credit}, years rising and credits not falling. */
static cy_status_t
params_credits(const jsonfile_t *jf, json_t *root, uw_params_t *out)
{
    json_t *cr, *o;
    cy_status_t st =
        jsonfile_array(jf, root, "", "claim_free_credit", 0, UW_MAX_CREDITS, "档", "steps", &cr);
    static const char *const ckeys[] = {"years", "credit", DOC_KEYS, NULL};
    char b[64];
    for (size_t i = 0; st == CY_OK && (o = jsonfile_item(cr, "claim_free_credit", i, b, sizeof b));
         i++) {
        double y = 0.0;
        st = jsonfile_keys(jf, o, b, ckeys);
        if (st == CY_OK)
            st = jsonfile_number(jf, o, b, "years", 1, 100, NULL, &y);
        if (st == CY_OK)
            st = jsonfile_number(jf, o, b, "credit", 0.0, 0.9, NULL, &out->credits[i].credit);
        out->credits[i].years = (int)y;
        if (st == CY_OK && i > 0 &&
            (out->credits[i].years <= out->credits[i - 1].years ||
             out->credits[i].credit < out->credits[i - 1].credit))
            st = jsonfile_fail(jf, b,
                               "年数应递增、优待比例不减 / years must rise and credits not fall");
        if (st != CY_OK)
            break;
        out->n_credits = i + 1;
    }
    return st;
}

/* "revenue_bands": 1–UW_MAX_BANDS bands, upper bounds rising, the last open (0). */
static cy_status_t
params_bands(const jsonfile_t *jf, json_t *root, uw_params_t *out)
{
    json_t *bands, *o;
    cy_status_t st =
        jsonfile_array(jf, root, "", "revenue_bands", 1, UW_MAX_BANDS, "档", "bands", &bands);
    static const char *const bkeys[] = {"code",      "name_zh", "name_en", "max_cny",
                                        "rated_cny", DOC_KEYS,  NULL};
    char b[64];
    for (size_t i = 0; st == CY_OK && (o = jsonfile_item(bands, "revenue_bands", i, b, sizeof b));
         i++) {
        uw_band_t *bd = &out->bands[i];
        st = jsonfile_keys(jf, o, b, bkeys);
        if (st == CY_OK)
            st = jsonfile_names(jf, o, b, bd->code, sizeof bd->code, bd->name_zh,
                                sizeof bd->name_zh, bd->name_en, sizeof bd->name_en);
        if (st == CY_OK)
            st = yuan_to_fen(jf, o, b, "max_cny", 0.0, &bd->max);
        if (st == CY_OK)
            st = yuan_to_fen(jf, o, b, "rated_cny", 0.01, &bd->rated);
        int last = i + 1 == json_array_size(bands);
        int64_t lo = i > 0 ? out->bands[i - 1].max : 0;
        if (st == CY_OK && ((last && bd->max != 0) || (!last && bd->max <= lo) || bd->rated < lo ||
                            (bd->max != 0 && bd->rated >= bd->max)))
            st = jsonfile_fail(jf, b,
                               "各档上限应递增（最后一档为 0 表示无上限），计费营业收入应在档内 / "
                               "upper bounds must rise (0 for the last, open band) and the "
                               "rated revenue lie inside its band");
        if (st != CY_OK)
            break;
        out->n_bands = i + 1;
    }
    return st;
}

cy_status_t
uw_params_load(const char *path, const char *name, uw_params_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, name, "parameters_invalid", err);
    if (st != CY_OK)
        return st;
    st = params_head(&jf, jf.root, out);
    if (st == CY_OK)
        st = params_credits(&jf, jf.root, out);
    if (st == CY_OK)
        st = params_bands(&jf, jf.root, out);
    jsonfile_free(&jf);
    return st;
}

/* ---------- all of it ---------- */

cy_status_t
uw_data_load(const char *data_dir, uw_data_t **out, cy_error_t *err)
{
    *out = NULL;
    uw_data_t *d = calloc(1, sizeof *d);
    if (d == NULL)
        return cy_error_no_memory(err);
    char path[4096];
    snprintf(path, sizeof path, "%s/rating/model.json", data_dir);
    cy_status_t st = rating_data_load(path, "rating/model.json", &d->rating, err);
    if (st == CY_OK) {
        snprintf(path, sizeof path, "%s/questionnaire/questionnaire.json", data_dir);
        st = uw_questionnaire_load(path, "questionnaire/questionnaire.json", &d->qn, err);
    }
    if (st == CY_OK) {
        snprintf(path, sizeof path, "%s/underwriting/rules.json", data_dir);
        st = uw_rules_load(path, "underwriting/rules.json", &d->qn, &d->rules, err);
    }
    if (st == CY_OK) {
        snprintf(path, sizeof path, "%s/underwriting/parameters.json", data_dir);
        st = uw_params_load(path, "underwriting/parameters.json", &d->params, err);
    }
    if (st != CY_OK) {
        free(d);
        return st;
    }
    *out = d;
    return CY_OK;
}

void
uw_data_free(uw_data_t *d)
{
    free(d);
}
