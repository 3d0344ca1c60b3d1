/*
 * uw_assessment.c — risk assessments (风险评估, DOMAIN.md §6): an
 * enterprise, or a service organisation on its behalf, answers the
 * questionnaire of data/questionnaire/ (saved as it goes: save and resume),
 * states its MLPS level with the latest 测评 conclusion and score and its
 * dependencies, imports external-scan findings in JSON or CSV, and submits:
 * the answers are scored by core/questionnaire.c into a score 0–100, a grade
 * A–E, the drivers that cost the most and a 防灾减损 recommendation for each.
 * A submitted assessment is frozen; the next one is a new record, so the
 * history is kept. Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/uw/uw.h"
#include "app/uw/internal.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "core/csv.h"
#include "core/utf8.h"

#define MAX_FINDINGS 5000

static const char *const DEP_KEYS[4] = {"cloud", "os", "vpn", "email"};

/* ---------- the questionnaire for the wizard ---------- */

json_t *
app_uw_questionnaire(app_t *app)
{
    const qn_t *qn = &app->uw->qn;
    json_t *flags = json_array(), *sections = json_array(), *modules = json_array(),
           *questions = json_array(), *conclusions = json_array();
    for (size_t i = 0; i < qn->n_flags; i++)
        json_array_append_new(flags,
                              json_pack("{s:s, s:s, s:s}", "code", qn->flags[i], "name_zh",
                                        qn->flag_name_zh[i], "name_en", qn->flag_name_en[i]));
    for (size_t i = 0; i < qn->n_sections; i++) {
        const qn_section_t *s = &qn->sections[i];
        json_array_append_new(sections,
                              json_pack("{s:s, s:s, s:s, s:s}", "code", s->code, "name_zh",
                                        s->name_zh, "name_en", s->name_en, "source", s->source));
    }
    for (size_t i = 0; i < qn->n_modules; i++) {
        const qn_module_t *m = &qn->modules[i];
        json_t *ti = json_array(), *fl = json_array();
        for (size_t k = 0; k < m->n_target_industries; k++)
            json_array_append_new(ti, json_string(m->target_industries[k]));
        for (size_t k = 0; k < qn->n_flags; k++)
            if (m->flags & (1u << k))
                json_array_append_new(fl, json_string(qn->flags[k]));
        json_array_append_new(modules,
                              json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "code", m->code,
                                        "name_zh", m->name_zh, "name_en", m->name_en, "source",
                                        m->source, "target_industries", ti, "flags", fl));
    }
    static const char *const TYPES[] = {"ynp", "choice", "number"};
    for (size_t i = 0; i < qn->n_questions; i++) {
        const qn_question_t *q = &qn->questions[i];
        json_t *j = json_pack(
            "{s:s, s:s, s:o, s:s, s:o, s:b, s:b, s:s, s:s, s:s, s:s, s:s}", "id", q->id, "section",
            qn->sections[q->section].code, "module",
            q->module >= 0 ? json_string(qn->modules[q->module].code) : json_null(), "type",
            TYPES[q->type], "weight", uw_ratio_json(q->weight), "na_allowed", q->na_allowed,
            "critical", q->critical, "text_zh", q->text_zh, "text_en", q->text_en, "driver_zh",
            q->driver_zh, "driver_en", q->driver_en, "source", q->source);
        if (q->type == QN_CHOICE) {
            json_t *opts = json_array();
            for (size_t k = 0; k < q->n_options; k++)
                json_array_append_new(
                    opts, json_pack("{s:s, s:s, s:s, s:o}", "code", q->options[k].code, "name_zh",
                                    q->options[k].name_zh, "name_en", q->options[k].name_en,
                                    "score", uw_ratio_json(q->options[k].score)));
            json_object_set_new(j, "options", opts);
        }
        if (q->type == QN_NUMBER)
            json_object_set_new(
                j, "number",
                json_pack("{s:o, s:o, s:o, s:o, s:s, s:s}", "min", uw_ratio_json(q->num_min), "max",
                          uw_ratio_json(q->num_max), "score_at_min", uw_ratio_json(q->score_at_min),
                          "score_at_max", uw_ratio_json(q->score_at_max), "unit_zh", q->unit_zh,
                          "unit_en", q->unit_en));
        json_array_append_new(questions, j);
    }
    for (size_t i = 0; i < qn->n_conclusions; i++)
        json_array_append_new(conclusions,
                              json_pack("{s:s, s:s, s:s, s:f}", "code", qn->conclusions[i].code,
                                        "name_zh", qn->conclusions[i].name_zh, "name_en",
                                        qn->conclusions[i].name_en, "points",
                                        qn->conclusions[i].points));
    json_t *grades = json_object();
    for (int g = 0; g < QN_GRADES; g++) {
        char k[2] = {(char)('A' + g), '\0'};
        json_object_set_new(grades, k, uw_ratio_json(qn->grade_min[g]));
    }
    return json_pack("{s:s, s:s, s:{s:f, s:o}, s:o, s:o, s:o, s:o, s:o}", "version", qn->version,
                     "source", qn->source, "scoring", "partial_credit", qn->partial_credit,
                     "grade_min", grades, "profile_flags", flags, "sections", sections, "modules",
                     modules, "questions", questions, "mlps_conclusions", conclusions);
}

/* ---------- rendering ---------- */

static json_t *
findings_json(store_conn_t *c, int64_t id, cy_error_t *err, cy_status_t *st)
{
    json_t *arr = json_array();
    store_param_t q[] = {STORE_P_INT(id)};
    store_rows_t *r;
    *st = store_query(c,
                      "SELECT id, asset, port, service, cve, cvss_tenths, epss_e5, kev, "
                      "internet_facing, first_seen FROM uw_finding WHERE assessment_id = $1 "
                      "ORDER BY id",
                      q, 1, &r, err);
    if (*st != CY_OK)
        return arr;
    int k;
    while ((k = store_rows_next(r, err)) == 1) {
        json_array_append_new(
            arr,
            json_pack("{s:I, s:s, s:o, s:s, s:s, s:o, s:o, s:b, s:b, s:s}", "id",
                      (json_int_t)store_rows_int(r, 0), "asset", store_rows_text(r, 1), "port",
                      store_rows_isnull(r, 2) ? json_null() : json_integer(store_rows_int(r, 2)),
                      "service", store_rows_text(r, 3), "cve", store_rows_text(r, 4), "cvss",
                      store_rows_isnull(r, 5) ? json_null()
                                              : json_real((double)store_rows_int(r, 5) / 10.0),
                      "epss",
                      store_rows_isnull(r, 6) ? json_null()
                                              : json_real((double)store_rows_int(r, 6) / 1e5),
                      "kev", (int)store_rows_int(r, 7), "internet_facing",
                      (int)store_rows_int(r, 8), "first_seen", store_rows_text(r, 9)));
    }
    if (k < 0)
        *st = err->status;
    store_rows_free(r);
    return arr;
}

static json_t *
assess_json(app_t *app, const uw_assess_rec_t *a, json_t *findings)
{
    const qn_t *qn = &app->uw->qn;
    json_t *flags = json_array(), *mods = json_array();
    for (size_t i = 0; i < qn->n_flags; i++)
        if (a->profile.flags & (1u << i))
            json_array_append_new(flags, json_string(qn->flags[i]));
    for (size_t m = 0; m < qn->n_modules; m++)
        if (qn_module_active(qn, m, &a->profile))
            json_array_append_new(mods, json_string(qn->modules[m].code));
    size_t applicable = 0, answered = 0;
    for (size_t i = 0; i < qn->n_questions; i++) {
        if (!qn_applicable(qn, i, &a->profile))
            continue;
        applicable++;
        answered += a->answers[i].kind != QN_UNANSWERED;
    }
    json_t *deps = json_object();
    for (int d = 0; d < 4; d++)
        json_object_set_new(deps, DEP_KEYS[d], json_string(a->dep[d]));
    json_t *mlps =
        json_pack("{s:i, s:o, s:o, s:o}", "level", a->mlps_level, "conclusion",
                  a->mlps_conclusion[0] ? json_string(a->mlps_conclusion) : json_null(), "score",
                  a->mlps_score_tenths >= 0 ? json_real(a->mlps_score_tenths / 10.0) : json_null(),
                  "date", a->mlps_date[0] ? json_string(a->mlps_date) : json_null());
    char grade[2] = {a->grade, '\0'};
    json_t *j = json_pack(
        "{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:O, s:{s:I, s:I}, s:o, s:o, s:o, s:o, "
        "s:o, s:s, s:s, s:o}",
        "id", (json_int_t)a->id, "org_id", (json_int_t)a->org_id, "org_name", a->org_name,
        "author_org_id", (json_int_t)a->author_org_id, "status", a->status, "questionnaire_version",
        a->questionnaire_version, "target_industry", a->profile.target_industry, "flags", flags,
        "modules", mods, "answers", a->answers_json ? a->answers_json : json_object(), "progress",
        "applicable", (json_int_t)applicable, "answered", (json_int_t)answered, "mlps", mlps,
        "dependencies", deps, "score", a->scored ? json_real(a->score) : json_null(), "grade",
        a->grade ? json_string(grade) : json_null(), "result",
        a->result ? json_incref(a->result) : json_null(), "created_at", a->created_at, "updated_at",
        a->updated_at, "submitted_at",
        a->submitted_at_iso[0] ? json_string(a->submitted_at_iso) : json_null());
    if (a->answers_json == NULL)
        json_object_set_new(j, "answers", json_object());
    if (findings != NULL)
        json_object_set_new(j, "findings", findings);
    return j;
}

/* ---------- applying a body ---------- */

static cy_status_t
check_keys(json_t *body, const char *const *known, cy_error_t *err)
{
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val)
    {
        int ok = 0;
        for (size_t i = 0; known[i] && !ok; i++)
            ok = strcmp(known[i], key) == 0;
        if (!ok)
            return cy_error_set(err, CY_EINVAL, "unknown_field", key,
                                "未知字段 %s / unknown field %s", key, key);
    }
    return CY_OK;
}

/* Apply the profile, answers, MLPS facts and dependencies present in body. */
static cy_status_t
apply_body(app_t *app, uw_assess_rec_t *a, json_t *body, cy_error_t *err)
{
    const qn_t *qn = &app->uw->qn;
    cy_status_t st;
    const char *s;
    if (json_object_get(body, "target_industry") != NULL) {
        if ((st = uw_jtext(body, "target_industry", 39, 0, &s, err)) != CY_OK)
            return st;
        if (s && s[0] && ref_target_industry_find(app->ref, s) == NULL)
            return cy_error_set(
                err, CY_EINVAL, "target_industry_unknown", "target_industry",
                "未知的试点目标行业 %s（见 /api/v1/ref/pilot） / unknown pilot target "
                "industry %s (see /api/v1/ref/pilot)",
                s, s);
        uw_copy(a->profile.target_industry, sizeof a->profile.target_industry, s);
    }
    json_t *fl = json_object_get(body, "flags");
    if (fl != NULL) {
        if (!json_is_array(fl))
            return cy_error_set(err, CY_EINVAL, "wrong_type", "flags",
                                "flags 应为画像标记代码的数组 / flags must be an array of profile "
                                "flag codes");
        a->profile.flags = 0;
        a->flags[0] = '\0';
        size_t i;
        json_t *v;
        json_array_foreach(fl, i, v)
        {
            int f = qn_flag_find(qn, json_string_value(v));
            if (f < 0)
                return cy_error_set(err, CY_EINVAL, "flag_unknown", "flags",
                                    "flags[%zu] 不是问卷的画像标记 / flags[%zu] is not a profile "
                                    "flag of the questionnaire",
                                    i, i);
            if (a->profile.flags & (1u << f))
                continue;
            a->profile.flags |= 1u << f;
            size_t used = strlen(a->flags);
            snprintf(a->flags + used, sizeof a->flags - used, "%s%s", used ? "," : "",
                     qn->flags[f]);
        }
    }
    json_t *ans = json_object_get(body, "answers");
    if (ans != NULL) {
        if (!json_is_object(ans))
            return cy_error_set(err, CY_EINVAL, "wrong_type", "answers",
                                "answers 应为对象：问题编号 → 回答 / answers must be an object: "
                                "question id → answer");
        const char *key;
        json_t *v;
        json_object_foreach(ans, key, v)
        {
            char field[64];
            snprintf(field, sizeof field, "answers.%.40s", key);
            int i = qn_question_find(qn, key);
            if (i < 0)
                return cy_error_set(
                    err, CY_EINVAL, "question_unknown", field,
                    "问卷中没有问题 %.40s / the questionnaire has no question %.40s", key, key);
            if (json_is_null(v)) { /* null takes an answer back */
                json_object_del(a->answers_json, key);
                memset(&a->answers[i], 0, sizeof a->answers[i]);
                continue;
            }
            if (!json_is_string(v) && !json_is_number(v))
                return cy_error_set(err, CY_EINVAL, "answer_invalid", field,
                                    "%s 应为回答代码或数字 / %s must be an answer code or a number",
                                    field, field);
            st = qn_answer_parse(qn, (size_t)i, json_string_value(v), json_is_number(v),
                                 json_number_value(v), &a->answers[i], err);
            if (st != CY_OK)
                return st;
            json_object_set(a->answers_json, key, v);
        }
    }
    json_t *ml = json_object_get(body, "mlps");
    if (ml != NULL) {
        static const char *const mkeys[] = {"level", "conclusion", "score", "date", NULL};
        if (!json_is_object(ml))
            return cy_error_set(err, CY_EINVAL, "wrong_type", "mlps",
                                "mlps 应为对象 / mlps must be an object");
        if ((st = check_keys(ml, mkeys, err)) != CY_OK)
            return st;
        int present;
        int64_t level;
        if ((st = uw_jint(ml, "level", 0, 5, 0, &present, &level, err)) != CY_OK)
            return cy_error_set(err, CY_EINVAL, "mlps_invalid", "mlps.level",
                                "等级保护级别应为 0（未定级）到 5 / the MLPS level must be 0 (not "
                                "graded) to 5");
        if (present)
            a->mlps_level = (int)level;
        json_t *cj = json_object_get(ml, "conclusion");
        if (cj != NULL) {
            const char *code = json_string_value(cj);
            if (json_is_null(cj))
                a->mlps_conclusion[0] = '\0';
            else if (qn_conclusion_find(qn, code) < 0)
                return cy_error_set(
                    err, CY_EINVAL, "mlps_invalid", "mlps.conclusion",
                    "测评结论应为 excellent（优）、good（良）、fair（中）或 poor（差） / "
                    "the 测评 conclusion must be excellent, good, fair or poor");
            else
                uw_copy(a->mlps_conclusion, sizeof a->mlps_conclusion, code);
        }
        json_t *sj = json_object_get(ml, "score");
        if (sj != NULL) {
            if (json_is_null(sj))
                a->mlps_score_tenths = -1;
            else if (!json_is_number(sj) || json_number_value(sj) < 0.0 ||
                     json_number_value(sj) > 100.0)
                return cy_error_set(err, CY_EINVAL, "mlps_invalid", "mlps.score",
                                    "测评得分应在 0 到 100 之间 / the 测评 score must be from 0 to "
                                    "100");
            else
                a->mlps_score_tenths = (int)floor(json_number_value(sj) * 10.0 + 0.5);
        }
        json_t *dj = json_object_get(ml, "date");
        if (dj != NULL) {
            int y, m, d;
            if (json_is_null(dj))
                a->mlps_date[0] = '\0';
            else if ((st = uw_date_parse(json_string_value(dj), "mlps.date", &y, &m, &d, err)) !=
                     CY_OK)
                return st;
            else
                uw_copy(a->mlps_date, sizeof a->mlps_date, json_string_value(dj));
        }
    }
    json_t *deps = json_object_get(body, "dependencies");
    if (deps != NULL) {
        static const char *const dkeys[] = {"cloud", "os", "vpn", "email", NULL};
        if (!json_is_object(deps))
            return cy_error_set(err, CY_EINVAL, "wrong_type", "dependencies",
                                "dependencies 应为对象 / dependencies must be an object");
        if ((st = check_keys(deps, dkeys, err)) != CY_OK)
            return st;
        for (int d = 0; d < 4; d++) {
            if (json_object_get(deps, DEP_KEYS[d]) == NULL)
                continue;
            if ((st = uw_jtext(deps, DEP_KEYS[d], 60, 0, &s, err)) != CY_OK)
                return st;
            uw_copy(a->dep[d], sizeof a->dep[d], s);
        }
    }
    return CY_OK;
}

static cy_status_t
store_assess(store_conn_t *c, uw_assess_rec_t *a, int creating, cy_error_t *err)
{
    char now[32];
    app_now_iso(now);
    if (creating)
        uw_copy(a->created_at, sizeof a->created_at, now);
    uw_copy(a->updated_at, sizeof a->updated_at, now);
    char *answers = json_dumps(a->answers_json, JSON_COMPACT | JSON_SORT_KEYS);
    if (answers == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    store_param_t q[] = {
        STORE_P_INT(a->org_id),
        STORE_P_INT(a->author_org_id),
        STORE_P_INT(a->author_user_id),
        STORE_P_TEXT(a->status),
        STORE_P_TEXT(a->questionnaire_version),
        STORE_P_TEXT(a->profile.target_industry),
        STORE_P_TEXT(a->flags),
        STORE_P_TEXT(answers),
        STORE_P_INT(a->mlps_level),
        a->mlps_conclusion[0] ? STORE_P_TEXT(a->mlps_conclusion) : STORE_P_NULL,
        a->mlps_score_tenths >= 0 ? STORE_P_INT(a->mlps_score_tenths) : STORE_P_NULL,
        a->mlps_date[0] ? STORE_P_TEXT(a->mlps_date) : STORE_P_NULL,
        STORE_P_TEXT(a->dep[0]),
        STORE_P_TEXT(a->dep[1]),
        STORE_P_TEXT(a->dep[2]),
        STORE_P_TEXT(a->dep[3]),
        STORE_P_TEXT(a->created_at),
        STORE_P_TEXT(a->updated_at),
        STORE_P_INT(a->id),
    };
    cy_status_t st;
    if (creating)
        st = uw_insert_id(
            c,
            "INSERT INTO uw_assessment (org_id, author_org_id, author_user_id, status, "
            "questionnaire_version, target_industry, flags, answers, mlps_level, "
            "mlps_conclusion, mlps_score_tenths, mlps_date, dep_cloud, dep_os, "
            "dep_vpn, dep_email, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
            "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING "
            "id",
            q, 18, &a->id, err);
    else
        st =
            store_exec(c,
                       "UPDATE uw_assessment SET questionnaire_version = $5, target_industry = $6, "
                       "flags = $7, answers = $8, mlps_level = $9, mlps_conclusion = $10, "
                       "mlps_score_tenths = $11, mlps_date = $12, dep_cloud = $13, dep_os = $14, "
                       "dep_vpn = $15, dep_email = $16, updated_at = $18 WHERE id = $19",
                       q, 19, NULL, err);
    free(answers);
    return st;
}

/* ---------- use cases ---------- */

typedef struct {
    app_t *app;
    const actor_t *a;
    int64_t id;
    json_t *body;
    uw_assess_rec_t rec;
    json_t *out;
} assess_tx_t;

static const char *const BODY_KEYS[] = {"org_id", "target_industry", "flags", "answers",
                                        "mlps",   "dependencies",    NULL};

static cy_status_t
assess_create_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    assess_tx_t *t = arg;
    const actor_t *a = t->a;
    uw_assess_rec_t *r = &t->rec;
    cy_status_t st = check_keys(t->body, BODY_KEYS, err);
    if (st != CY_OK)
        return st;
    int present;
    int64_t org = 0;
    if ((st = uw_jint(t->body, "org_id", 1, INT64_MAX, 0, &present, &org, err)) != CY_OK)
        return st;
    if (a->org_type == ORG_ENTERPRISE && present && org != a->org_id)
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", "org_id",
                            "企业只能评估本企业 / an enterprise assesses only itself");
    if (a->org_type == ORG_ENTERPRISE)
        org = a->org_id;
    else if (!present)
        return cy_error_set(err, CY_EINVAL, "missing_field", "org_id",
                            "请给出被评估企业 org_id / org_id of the assessed enterprise is "
                            "required");
    /* the assessed organisation must be an enterprise; anything else reads as absent */
    store_param_t q[] = {STORE_P_INT(org)};
    store_rows_t *rows;
    if ((st = store_query(c, "SELECT type, name FROM organisation WHERE id = $1", q, 1, &rows,
                          err)) != CY_OK)
        return st;
    int ok = store_rows_next(rows, err) == 1 && !strcmp(store_rows_text(rows, 0), "enterprise");
    if (ok)
        uw_copy(r->org_name, sizeof r->org_name, store_rows_text(rows, 1));
    store_rows_free(rows);
    if (!ok)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "org_id",
                            "企业 %" PRId64 " 不存在 / enterprise %" PRId64 " not found", org, org);
    r->org_id = org;
    r->author_org_id = a->org_id;
    r->author_user_id = a->user_id;
    uw_copy(r->status, sizeof r->status, "draft");
    uw_copy(r->questionnaire_version, sizeof r->questionnaire_version, t->app->uw->qn.version);
    r->mlps_score_tenths = -1;
    r->answers_json = json_object();
    if ((st = apply_body(t->app, r, t->body, err)) != CY_OK ||
        (st = store_assess(c, r, 1, err)) != CY_OK)
        return st;
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, r->id);
    char on[96];
    uw_short(r->org_name, on);
    return app_audit_append(c, a, app_now(), "assessment.create", "assessment", id, err,
                            "开始对“%s”的风险评估 / started a risk assessment of \"%s\"", on, on);
}

cy_status_t
app_uw_assessment_create(app_t *app, const actor_t *a, json_t *body, json_t **out, cy_error_t *err)
{
    *out = NULL;
    if (!uw_may(a, ACT_ASSESSMENT_WRITE) || a->org_id <= 0)
        return app_forbidden(err, ACT_ASSESSMENT_WRITE);
    assess_tx_t *t = calloc(1, sizeof *t);
    if (t == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    t->app = app;
    t->a = a;
    t->body = body;
    cy_status_t st = store_tx(app->store, assess_create_tx, t, err);
    if (st == CY_OK)
        *out = assess_json(app, &t->rec, json_array());
    uw_assess_free(&t->rec);
    free(t);
    return st;
}

/* Load for a write: visible (404), the caller its enterprise or author (403), a draft (409). */
static cy_status_t
load_for_write(assess_tx_t *t, store_conn_t *c, cy_error_t *err)
{
    int found = 0, visible = 0;
    cy_status_t st = uw_assess_load(t->app, c, t->id, &t->rec, &found, err);
    if (st != CY_OK)
        return st;
    if (found && (st = uw_assess_visible(c, t->a, &t->rec, &visible, err)) != CY_OK)
        return st;
    if (!found || !visible)
        return app_not_found(err, "风险评估", "assessment", t->id);
    if (!uw_may(t->a, ACT_ASSESSMENT_WRITE) ||
        (!t->a->cli && t->rec.org_id != t->a->org_id && t->rec.author_org_id != t->a->org_id))
        return app_forbidden(err, ACT_ASSESSMENT_WRITE);
    if (strcmp(t->rec.status, "draft") != 0)
        return cy_error_set(
            err, CY_ECONFLICT, "assessment_submitted", "status",
            "风险评估已提交，不能修改；请开始新的评估 / the assessment is submitted "
            "and cannot change; start a new one");
    return CY_OK;
}

static cy_status_t
assess_update_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    assess_tx_t *t = arg;
    cy_status_t st = load_for_write(t, c, err);
    if (st != CY_OK)
        return st;
    static const char *const keys[] = {"target_industry", "flags", "answers", "mlps",
                                       "dependencies",    NULL};
    uw_copy(t->rec.questionnaire_version, sizeof t->rec.questionnaire_version,
            t->app->uw->qn.version);
    if ((st = check_keys(t->body, keys, err)) != CY_OK ||
        (st = apply_body(t->app, &t->rec, t->body, err)) != CY_OK ||
        (st = store_assess(c, &t->rec, 0, err)) != CY_OK)
        return st;
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, t->rec.id);
    char on[96];
    uw_short(t->rec.org_name, on);
    st = app_audit_append(c, t->a, app_now(), "assessment.update", "assessment", id, err,
                          "保存对“%s”的风险评估 / saved the risk assessment of \"%s\"", on, on);
    if (st == CY_OK) {
        json_t *f = findings_json(c, t->rec.id, err, &st);
        t->out = assess_json(t->app, &t->rec, f);
    }
    return st;
}

cy_status_t
app_uw_assessment_update(app_t *app, const actor_t *a, int64_t id, json_t *body, json_t **out,
                         cy_error_t *err)
{
    *out = NULL;
    assess_tx_t *t = calloc(1, sizeof *t);
    if (t == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    *t = (assess_tx_t){.app = app, .a = a, .id = id, .body = body};
    cy_status_t st = store_tx(app->store, assess_update_tx, t, err);
    if (st == CY_OK)
        *out = t->out;
    else
        json_decref(t->out);
    uw_assess_free(&t->rec);
    free(t);
    return st;
}

cy_status_t
app_uw_assessment_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    *out = NULL;
    uw_assess_rec_t *r = calloc(1, sizeof *r);
    if (r == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK) {
        free(r);
        return st;
    }
    int found = 0, visible = 0;
    st = uw_assess_load(app, c, id, r, &found, err);
    if (st == CY_OK && found)
        st = uw_assess_visible(c, a, r, &visible, err);
    if (st == CY_OK && (!found || !visible))
        st = app_not_found(err, "风险评估", "assessment", id);
    if (st == CY_OK && !uw_may(a, ACT_ASSESSMENT_READ))
        st = app_forbidden(err, ACT_ASSESSMENT_READ);
    if (st == CY_OK) {
        json_t *f = findings_json(c, id, err, &st);
        if (st == CY_OK)
            *out = assess_json(app, r, f);
        else
            json_decref(f);
    }
    store_release(app->store, c);
    uw_assess_free(r);
    free(r);
    return st;
}

cy_status_t
app_uw_assessment_list(app_t *app, const actor_t *a, int64_t org_id, int64_t cursor, int limit,
                       json_t **items, int64_t *next, cy_error_t *err)
{
    *items = NULL;
    *next = 0;
    if (!uw_may(a, ACT_ASSESSMENT_READ))
        return app_forbidden(err, ACT_ASSESSMENT_READ);
    if (limit < 1 || limit > 100)
        limit = 50;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t q[] = {STORE_P_INT(uw_sees_all(a)), STORE_P_INT(a->org_id), STORE_P_INT(org_id),
                         STORE_P_INT(cursor > 0 ? cursor : INT64_MAX), STORE_P_INT(limit + 1)};
    store_rows_t *r;
    st = store_query(c,
                     "SELECT a.id, a.org_id, o.name, a.author_org_id, a.status, "
                     "a.questionnaire_version, a.score_hundredths, a.grade, a.created_at, "
                     "a.updated_at, a.submitted_at FROM uw_assessment a JOIN organisation o ON "
                     "o.id = a.org_id WHERE ($1 = 1 OR a.org_id = $2 OR a.author_org_id = $2 OR "
                     "EXISTS (SELECT 1 FROM uw_quote q JOIN uw_product p ON p.id = q.product_id "
                     "WHERE q.assessment_id = a.id AND p.insurer_org_id = $2)) AND ($3 = 0 OR "
                     "a.org_id = $3) AND a.id < $4 ORDER BY a.id DESC LIMIT $5",
                     q, 5, &r, err);
    json_t *arr = json_array();
    if (st == CY_OK) {
        int k, n = 0;
        while ((k = store_rows_next(r, err)) == 1) {
            if (n == limit) {
                break;
            }
            int64_t last = store_rows_int(r, 0);
            const char *g = store_rows_text(r, 7);
            json_array_append_new(
                arr,
                json_pack(
                    "{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:o}", "id",
                    (json_int_t)last, "org_id", (json_int_t)store_rows_int(r, 1), "org_name",
                    store_rows_text(r, 2), "author_org_id", (json_int_t)store_rows_int(r, 3),
                    "status", store_rows_text(r, 4), "questionnaire_version", store_rows_text(r, 5),
                    "score",
                    store_rows_isnull(r, 6) ? json_null()
                                            : json_real((double)store_rows_int(r, 6) / 100.0),
                    "grade", g ? json_string(g) : json_null(), "created_at", store_rows_text(r, 8),
                    "updated_at", store_rows_text(r, 9), "submitted_at",
                    store_rows_isnull(r, 10) ? json_null() : json_string(store_rows_text(r, 10))));
            n++;
            *next = last;
        }
        if (k < 0)
            st = err->status;
        if (k != 1)
            *next = 0; /* the last page */
        store_rows_free(r);
    }
    store_release(app->store, c);
    if (st != CY_OK) {
        json_decref(arr);
        return st;
    }
    *items = arr;
    return CY_OK;
}

/* ---------- findings ---------- */

typedef struct {
    char asset[256];
    int port; /* -1: none */
    char service[65];
    char cve[32];
    int cvss_tenths; /* -1 */
    int epss_e5;     /* -1 */
    int kev, internet_facing;
    char first_seen[32]; /* UTC ISO */
} finding_in_t;

/* Check the text value of one finding column; where names the row ("findings[3]" or "第 3 行"). */
static cy_status_t
finding_set(finding_in_t *f, const char *col, const char *v, int is_number, double num,
            const char *where_zh, const char *where_en, const char *field, cy_error_t *err)
{
#define BAD(zh, en)                                                                                \
    cy_error_set(err, CY_EINVAL, "finding_invalid", field, "%s %s：" zh " / %s, %s: " en,          \
                 where_zh, col, where_en, col)
    if (!strcmp(col, "asset")) {
        if (v == NULL || !v[0] || strlen(v) > 255 || !utf8_valid(v, strlen(v), NULL))
            return BAD("资产不能为空且不超过 255 字节", "the asset must be 1–255 bytes");
        uw_copy(f->asset, sizeof f->asset, v);
    } else if (!strcmp(col, "port")) {
        char *end = NULL;
        double x = is_number ? num : (v && v[0] ? strtod(v, &end) : -1.0);
        if (!is_number && v && v[0] && (end == NULL || *end))
            return BAD("端口应为 0–65535 的整数", "the port must be an integer 0–65535");
        if (v != NULL && !v[0] && !is_number)
            f->port = -1;
        else if (x < 0 || x > 65535 || x != floor(x))
            return BAD("端口应为 0–65535 的整数", "the port must be an integer 0–65535");
        else
            f->port = (int)x;
    } else if (!strcmp(col, "service")) {
        if (v && (strlen(v) > 64 || !utf8_valid(v, strlen(v), NULL)))
            return BAD("服务名不超过 64 字节", "the service name must be at most 64 bytes");
        uw_copy(f->service, sizeof f->service, v);
    } else if (!strcmp(col, "cve")) {
        int y = 0, n = 0, len = 0;
        if (v && v[0] &&
            (sscanf(v, "CVE-%4d-%d%n", &y, &n, &len) != 2 || (size_t)len != strlen(v) ||
             strlen(v) > 30 || strlen(v) < 13))
            return BAD("CVE 编号应形如 CVE-2024-3400", "a CVE id looks like CVE-2024-3400");
        uw_copy(f->cve, sizeof f->cve, v);
    } else if (!strcmp(col, "cvss") || !strcmp(col, "epss")) {
        int cvss = !strcmp(col, "cvss");
        char *end = NULL;
        if (!is_number && (v == NULL || !v[0])) {
            *(cvss ? &f->cvss_tenths : &f->epss_e5) = -1;
            return CY_OK;
        }
        double x = is_number ? num : strtod(v, &end);
        if ((!is_number && *end) || !isfinite(x) || x < 0 || x > (cvss ? 10.0 : 1.0))
            return cvss ? BAD("CVSS 应在 0 到 10 之间", "CVSS must be from 0 to 10")
                        : BAD("EPSS 应在 0 到 1 之间", "EPSS must be from 0 to 1");
        if (cvss)
            f->cvss_tenths = (int)floor(x * 10.0 + 0.5);
        else
            f->epss_e5 = (int)floor(x * 1e5 + 0.5);
    } else if (!strcmp(col, "kev") || !strcmp(col, "internet_facing")) {
        int *dst = !strcmp(col, "kev") ? &f->kev : &f->internet_facing;
        if (v == NULL || !v[0])
            return CY_OK;
        if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "是"))
            *dst = 1;
        else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "否"))
            *dst = 0;
        else
            return BAD("应为 true 或 false", "must be true or false");
    } else if (!strcmp(col, "first_seen")) {
        int64_t t;
        if (v == NULL || bjtime_parse(v, &t, NULL) != CY_OK)
            return BAD("应为日期或时间，如 2025-03-01 或 2025-03-01T08:00:00Z",
                       "must be a date or time such as 2025-03-01 or 2025-03-01T08:00:00Z");
        if (t > app_now() + 86400)
            return BAD("首次发现时间不能在将来", "first seen cannot be in the future");
        utc_format_iso(t, f->first_seen);
    }
    return CY_OK;
#undef BAD
}

static const char *const FINDING_COLS[] = {"asset", "port", "service",         "cve",        "cvss",
                                           "epss",  "kev",  "internet_facing", "first_seen", NULL};

static void
finding_init(finding_in_t *f)
{
    memset(f, 0, sizeof *f);
    f->port = f->cvss_tenths = f->epss_e5 = -1;
    f->internet_facing = 1; /* an external scan sees what faces the internet */
}

static cy_status_t
finding_complete(const finding_in_t *f, const char *where_zh, const char *where_en,
                 const char *field, cy_error_t *err)
{
    if (!f->asset[0])
        return cy_error_set(err, CY_EINVAL, "finding_invalid", field,
                            "%s asset：缺少资产 / %s, asset: the asset is missing", where_zh,
                            where_en);
    if (!f->first_seen[0])
        return cy_error_set(
            err, CY_EINVAL, "finding_invalid", field,
            "%s first_seen：缺少首次发现时间 / %s, first_seen: first seen is missing", where_zh,
            where_en);
    return CY_OK;
}

static cy_status_t
findings_from_json(json_t *arr, finding_in_t *out, size_t *n, cy_error_t *err)
{
    if (!json_is_array(arr) || json_array_size(arr) > MAX_FINDINGS)
        return cy_error_set(err, CY_EINVAL, "findings_invalid", "findings",
                            "findings 应为至多 %d 条发现的数组 / findings must be an array of at "
                            "most %d findings",
                            MAX_FINDINGS, MAX_FINDINGS);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        char wz[32], we[32], field[96];
        snprintf(wz, sizeof wz, "findings[%zu]", i);
        snprintf(we, sizeof we, "findings[%zu]", i);
        finding_in_t *f = &out[i];
        finding_init(f);
        if (!json_is_object(o))
            return cy_error_set(err, CY_EINVAL, "findings_invalid", wz,
                                "%s 应为对象 / %s must be an object", wz, we);
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v)
        {
            int known = 0;
            for (size_t k = 0; FINDING_COLS[k] && !known; k++)
                known = !strcmp(FINDING_COLS[k], key);
            snprintf(field, sizeof field, "%s.%.20s", wz, key);
            if (!known)
                return cy_error_set(err, CY_EINVAL, "unknown_field", field,
                                    "未知字段 %s / unknown field %s", field, field);
            if (json_is_null(v))
                continue;
            const char *s = json_is_string(v)  ? json_string_value(v)
                            : json_is_true(v)  ? "true"
                            : json_is_false(v) ? "false"
                                               : NULL;
            if (s == NULL && !json_is_number(v))
                return cy_error_set(err, CY_EINVAL, "finding_invalid", field,
                                    "%s 的类型不对 / %s has the wrong type", field, field);
            cy_status_t st =
                finding_set(f, key, s, s == NULL, json_number_value(v), wz, we, field, err);
            if (st != CY_OK)
                return st;
        }
        cy_status_t st = finding_complete(f, wz, we, wz, err);
        if (st != CY_OK)
            return st;
    }
    *n = json_array_size(arr);
    return CY_OK;
}

static cy_status_t
findings_from_csv(const char *text, finding_in_t *out, size_t *n, cy_error_t *err)
{
    csv_reader_t rd;
    csv_reader_init(&rd, text, strlen(text), CSV_SKIP_BLANK);
    char scratch[4096];
    csv_field_t fields[16];
    csv_row_t row = {scratch, sizeof scratch, fields, 16, 0, 0};
    cy_status_t st = csv_next(&rd, &row, err);
    if (st != CY_OK)
        return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv", "%s", err->message);
    int col_of[16];
    size_t ncols = row.n_fields;
    int have_asset = 0, have_seen = 0;
    for (size_t i = 0; i < ncols; i++) {
        col_of[i] = -1;
        for (int k = 0; FINDING_COLS[k]; k++)
            if (!strcmp(fields[i].ptr, FINDING_COLS[k]))
                col_of[i] = k;
        if (col_of[i] < 0)
            return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv",
                                "CSV 第 1 行：未知的列 %.40s（可用列：asset, port, service, cve, "
                                "cvss, epss, kev, internet_facing, first_seen） / CSV line 1: "
                                "unknown column %.40s (columns: asset, port, service, cve, cvss, "
                                "epss, kev, internet_facing, first_seen)",
                                fields[i].ptr, fields[i].ptr);
        have_asset |= col_of[i] == 0;
        have_seen |= col_of[i] == 8;
    }
    if (!have_asset || !have_seen)
        return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv",
                            "CSV 表头至少需要 asset 和 first_seen 两列 / the CSV header needs at "
                            "least the columns asset and first_seen");
    *n = 0;
    for (;;) {
        if ((st = csv_next(&rd, &row, err)) != CY_OK)
            return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv", "%s", err->message);
        if (row.n_fields == 0)
            break;
        if (*n == MAX_FINDINGS)
            return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv",
                                "一次最多导入 %d 条发现 / at most %d findings per import",
                                MAX_FINDINGS, MAX_FINDINGS);
        char wz[48], we[48];
        snprintf(wz, sizeof wz, "CSV 第 %zu 行", row.line);
        snprintf(we, sizeof we, "CSV line %zu", row.line);
        if (row.n_fields != ncols)
            return cy_error_set(
                err, CY_EINVAL, "csv_invalid", "csv",
                "%s：应有 %zu 列，实有 %zu 列 / %s: %zu columns expected, %zu found", wz, ncols,
                row.n_fields, we, ncols, row.n_fields);
        finding_in_t *f = &out[*n];
        finding_init(f);
        for (size_t i = 0; i < ncols; i++) {
            st = finding_set(f, FINDING_COLS[col_of[i]], fields[i].ptr, 0, 0.0, wz, we, "csv", err);
            if (st != CY_OK)
                return st;
        }
        if ((st = finding_complete(f, wz, we, "csv", err)) != CY_OK)
            return st;
        (*n)++;
    }
    return CY_OK;
}

typedef struct {
    assess_tx_t base;
    finding_in_t *rows;
    size_t n;
    int replace;
} findings_tx_t;

static cy_status_t
findings_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    findings_tx_t *t = arg;
    cy_status_t st = load_for_write(&t->base, c, err);
    if (st != CY_OK)
        return st;
    int64_t id = t->base.rec.id;
    if (t->replace) {
        store_param_t d[] = {STORE_P_INT(id)};
        st = store_exec(c, "DELETE FROM uw_finding WHERE assessment_id = $1", d, 1, NULL, err);
    }
    for (size_t i = 0; i < t->n && st == CY_OK; i++) {
        const finding_in_t *f = &t->rows[i];
        store_param_t q[] = {
            STORE_P_INT(id),
            STORE_P_TEXT(f->asset),
            f->port >= 0 ? STORE_P_INT(f->port) : STORE_P_NULL,
            STORE_P_TEXT(f->service),
            STORE_P_TEXT(f->cve),
            f->cvss_tenths >= 0 ? STORE_P_INT(f->cvss_tenths) : STORE_P_NULL,
            f->epss_e5 >= 0 ? STORE_P_INT(f->epss_e5) : STORE_P_NULL,
            STORE_P_INT(f->kev),
            STORE_P_INT(f->internet_facing),
            STORE_P_TEXT(f->first_seen),
        };
        st = store_exec(c,
                        "INSERT INTO uw_finding (assessment_id, asset, port, service, cve, "
                        "cvss_tenths, epss_e5, kev, internet_facing, first_seen) VALUES ($1, $2, "
                        "$3, $4, $5, $6, $7, $8, $9, $10)",
                        q, 10, NULL, err);
    }
    char now[32], ids[24];
    app_now_iso(now);
    store_param_t u[] = {STORE_P_TEXT(now), STORE_P_INT(id)};
    if (st == CY_OK)
        st = store_exec(c, "UPDATE uw_assessment SET updated_at = $1 WHERE id = $2", u, 2, NULL,
                        err);
    snprintf(ids, sizeof ids, "%" PRId64, id);
    char on[96];
    uw_short(t->base.rec.org_name, on);
    if (st == CY_OK)
        st =
            app_audit_append(c, t->base.a, app_now(), "assessment.findings", "assessment", ids, err,
                             "为“%s”的风险评估导入 %zu 条外部扫描发现%s / imported %zu external "
                             "scan findings into the assessment of \"%s\"%s",
                             on, t->n, t->replace ? "（替换原有）" : "", t->n, on,
                             t->replace ? " (replacing the earlier ones)" : "");
    if (st == CY_OK) {
        uw_copy(t->base.rec.updated_at, sizeof t->base.rec.updated_at, now);
        json_t *f = findings_json(c, id, err, &st);
        t->base.out = assess_json(t->base.app, &t->base.rec, f);
    }
    return st;
}

cy_status_t
app_uw_assessment_findings(app_t *app, const actor_t *a, int64_t id, json_t *body, json_t **out,
                           cy_error_t *err)
{
    *out = NULL;
    static const char *const keys[] = {"findings", "csv", "replace", NULL};
    cy_status_t st = check_keys(body, keys, err);
    if (st != CY_OK)
        return st;
    json_t *fj = json_object_get(body, "findings"), *cj = json_object_get(body, "csv");
    if ((fj == NULL) == (cj == NULL))
        return cy_error_set(err, CY_EINVAL, "missing_field", "findings",
                            "请给出 findings（JSON 数组）或 csv（CSV 文本）之一 / give either "
                            "findings (a JSON array) or csv (CSV text)");
    json_t *rj = json_object_get(body, "replace");
    if (rj != NULL && !json_is_boolean(rj))
        return cy_error_set(err, CY_EINVAL, "wrong_type", "replace",
                            "replace 应为 true 或 false / replace must be true or false");
    findings_tx_t *t = calloc(1, sizeof *t);
    finding_in_t *rows = calloc(MAX_FINDINGS, sizeof *rows);
    if (t == NULL || rows == NULL) {
        free(t);
        free(rows);
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    }
    size_t n = 0;
    if (fj != NULL)
        st = findings_from_json(fj, rows, &n, err);
    else if (!json_is_string(cj))
        st = cy_error_set(err, CY_EINVAL, "wrong_type", "csv", "csv 应为文本 / csv must be text");
    else
        st = findings_from_csv(json_string_value(cj), rows, &n, err);
    if (st == CY_OK) {
        t->base = (assess_tx_t){.app = app, .a = a, .id = id};
        t->rows = rows;
        t->n = n;
        t->replace = json_is_true(rj);
        st = store_tx(app->store, findings_tx, t, err);
        if (st == CY_OK)
            *out = t->base.out;
        else
            json_decref(t->base.out);
        uw_assess_free(&t->base.rec);
    }
    free(rows);
    free(t);
    return st;
}

/* ---------- submit: score and freeze ---------- */

static json_t *
result_json(const qn_t *qn, const qn_result_t *res)
{
    json_t *drivers = json_array(), *recs = json_array();
    for (size_t i = 0; i < res->n_drivers; i++) {
        const qn_driver_t *d = &res->drivers[i];
        const char *id, *nz, *ne, *az, *ae;
        switch (d->kind) {
        case QN_DRIVER_QUESTION: {
            const qn_question_t *q = &qn->questions[d->question];
            id = q->id, nz = q->driver_zh, ne = q->driver_en, az = q->advice_zh, ae = q->advice_en;
            break;
        }
        case QN_DRIVER_KEV:
            id = "evidence.kev_internet", nz = qn->kev.driver_zh, ne = qn->kev.driver_en,
            az = qn->kev.advice_zh, ae = qn->kev.advice_en;
            break;
        case QN_DRIVER_SEVERE:
            id = "evidence.severe", nz = qn->severe.driver_zh, ne = qn->severe.driver_en,
            az = qn->severe.advice_zh, ae = qn->severe.advice_en;
            break;
        default:
            id = "mlps", nz = "等级测评结论", ne = "MLPS assessment conclusion",
            az = qn->mlps_advice_zh, ae = qn->mlps_advice_en;
            break;
        }
        static const char *const KINDS[] = {"question", "kev", "severe", "mlps"};
        /* contributions are shown to 0.01 point: the scale a person reads */
        double pts = floor(d->points * 100.0 + 0.5) / 100.0;
        json_array_append_new(drivers,
                              json_pack("{s:i, s:s, s:s, s:s, s:s, s:f, s:I}", "rank", (int)i + 1,
                                        "kind", KINDS[d->kind], "id", id, "name_zh", nz, "name_en",
                                        ne, "points", pts, "count", (json_int_t)d->count));
        json_array_append_new(
            recs, json_pack("{s:s, s:s, s:s}", "driver", id, "text_zh", az, "text_en", ae));
    }
    char g[2] = {res->grade, '\0'}, gu[2] = {res->grade_uncapped, '\0'};
    json_t *cap = json_null();
    if (res->cap_question >= 0) {
        char cg[2] = {qn->questions[res->cap_question].cap_grade, '\0'};
        cap = json_pack("{s:s, s:s}", "question", qn->questions[res->cap_question].id, "grade", cg);
    }
    return json_pack("{s:f, s:f, s:f, s:f, s:f, s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}, "
                     "s:o, s:o}",
                     "control_score", floor(res->control_score * 100.0 + 0.5) / 100.0,
                     "kev_penalty", res->kev_penalty, "severe_penalty", res->severe_penalty,
                     "mlps_points", res->mlps_points, "score",
                     floor(res->score * 100.0 + 0.5) / 100.0, "grade", g, "grade_uncapped", gu,
                     "cap", cap, "counts", "applicable", (json_int_t)res->applicable, "answered",
                     (json_int_t)res->answered, "unanswered", (json_int_t)res->unanswered,
                     "not_applicable", (json_int_t)res->not_applicable, "kev_findings",
                     (json_int_t)res->kev_findings, "severe_findings",
                     (json_int_t)res->severe_findings, "drivers", drivers, "recommendations", recs);
}

static cy_status_t
submit_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    assess_tx_t *t = arg;
    cy_status_t st = load_for_write(t, c, err);
    if (st != CY_OK)
        return st;
    uw_assess_rec_t *r = &t->rec;
    const qn_t *qn = &t->app->uw->qn;
    qn_mlps_t mlps = {r->mlps_level, qn_conclusion_find(qn, r->mlps_conclusion),
                      r->mlps_score_tenths >= 0 ? r->mlps_score_tenths / 10.0 : -1.0};
    qn_result_t res;
    if ((st = qn_score(qn, &r->profile, r->answers, r->findings, r->n_findings, &mlps, &res,
                       err)) != CY_OK)
        return st;
    json_t *rj = result_json(qn, &res);
    char *text = json_dumps(rj, JSON_COMPACT | JSON_REAL_PRECISION(12));
    char now[32], g[2] = {res.grade, '\0'};
    app_now_iso(now);
    int64_t hundredths = (int64_t)floor(res.score * 100.0 + 0.5);
    store_param_t q[] = {STORE_P_INT(hundredths), STORE_P_TEXT(g), STORE_P_TEXT(text),
                         STORE_P_TEXT(now), STORE_P_INT(r->id)};
    st = text ? store_exec(c,
                           "UPDATE uw_assessment SET status = 'submitted', score_hundredths = $1, "
                           "grade = $2, result = $3, submitted_at = $4, updated_at = $4 WHERE id "
                           "= $5",
                           q, 5, NULL, err)
              : cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    free(text);
    char id[24], on[96];
    snprintf(id, sizeof id, "%" PRId64, r->id);
    uw_short(r->org_name, on);
    if (st == CY_OK)
        st = app_audit_append(c, t->a, app_now(), "assessment.submit", "assessment", id, err,
                              "提交“%s”的风险评估：得分 %.2f，等级 %s / submitted the risk "
                              "assessment of \"%s\": score %.2f, grade %s",
                              on, (double)hundredths / 100.0, g, on, (double)hundredths / 100.0, g);
    if (st != CY_OK) {
        json_decref(rj);
        return st;
    }
    uw_copy(r->status, sizeof r->status, "submitted");
    r->scored = 1;
    r->score = (double)hundredths / 100.0;
    r->grade = res.grade;
    json_decref(r->result);
    r->result = rj;
    uw_copy(r->submitted_at_iso, sizeof r->submitted_at_iso, now);
    uw_copy(r->updated_at, sizeof r->updated_at, now);
    json_t *f = findings_json(c, r->id, err, &st);
    t->out = assess_json(t->app, r, f);
    return st;
}

cy_status_t
app_uw_assessment_submit(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    *out = NULL;
    assess_tx_t *t = calloc(1, sizeof *t);
    if (t == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    *t = (assess_tx_t){.app = app, .a = a, .id = id};
    cy_status_t st = store_tx(app->store, submit_tx, t, err);
    if (st == CY_OK)
        *out = t->out;
    else
        json_decref(t->out);
    uw_assess_free(&t->rec);
    free(t);
    return st;
}
