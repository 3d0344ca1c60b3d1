/*
 * questionnaire.c — scoring of the risk-assessment questionnaire (see
 * questionnaire.h for the rules). Pure: core/error.h, libc, libm; no I/O,
 * no allocation, no globals.
 */
#include "core/questionnaire.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int
qn_question_find(const qn_t *q, const char *id)
{
    for (size_t i = 0; id != NULL && i < q->n_questions; i++)
        if (strcmp(q->questions[i].id, id) == 0)
            return (int)i;
    return -1;
}

int
qn_flag_find(const qn_t *q, const char *code)
{
    for (size_t i = 0; code != NULL && i < q->n_flags; i++)
        if (strcmp(q->flags[i], code) == 0)
            return (int)i;
    return -1;
}

int
qn_conclusion_find(const qn_t *q, const char *code)
{
    for (size_t i = 0; code != NULL && i < q->n_conclusions; i++)
        if (strcmp(q->conclusions[i].code, code) == 0)
            return (int)i;
    return -1;
}

int
qn_module_active(const qn_t *q, size_t m, const qn_profile_t *p)
{
    if (m >= q->n_modules || p == NULL)
        return 0;
    const qn_module_t *mod = &q->modules[m];
    if ((mod->flags & p->flags) != 0)
        return 1;
    for (size_t i = 0; i < mod->n_target_industries; i++)
        if (p->target_industry[0] && strcmp(mod->target_industries[i], p->target_industry) == 0)
            return 1;
    return 0;
}

int
qn_applicable(const qn_t *q, size_t i, const qn_profile_t *p)
{
    if (i >= q->n_questions)
        return 0;
    int m = q->questions[i].module;
    return m < 0 || qn_module_active(q, (size_t)m, p);
}

cy_status_t
qn_answer_parse(const qn_t *q, size_t i, const char *code, int is_number, double number,
                qn_answer_t *out, cy_error_t *err)
{
    const qn_question_t *qq = &q->questions[i];
    char field[64];
    snprintf(field, sizeof field, "answers.%s", qq->id);
    memset(out, 0, sizeof *out);
    if (code != NULL && strcmp(code, "na") == 0) {
        if (!qq->na_allowed)
            return cy_error_set(err, CY_EINVAL, "answer_invalid", field,
                                "问题 %s 不能回答“不适用” / question %s cannot be answered "
                                "\"not applicable\"",
                                qq->id, qq->id);
        out->kind = QN_ANS_NA;
        return CY_OK;
    }
    switch (qq->type) {
    case QN_YNP:
        if (code != NULL && strcmp(code, "yes") == 0)
            out->kind = QN_ANS_YES;
        else if (code != NULL && strcmp(code, "partial") == 0)
            out->kind = QN_ANS_PARTIAL;
        else if (code != NULL && strcmp(code, "no") == 0)
            out->kind = QN_ANS_NO;
        else
            return cy_error_set(err, CY_EINVAL, "answer_invalid", field,
                                "问题 %s 的回答应为 yes、partial、no%s / question %s takes yes, "
                                "partial, no%s",
                                qq->id, qq->na_allowed ? " 或 na" : "", qq->id,
                                qq->na_allowed ? " or na" : "");
        return CY_OK;
    case QN_CHOICE:
        for (size_t k = 0; code != NULL && k < qq->n_options; k++) {
            if (strcmp(qq->options[k].code, code) == 0) {
                out->kind = QN_ANS_OPTION;
                out->option = (int)k;
                return CY_OK;
            }
        }
        return cy_error_set(err, CY_EINVAL, "answer_invalid", field,
                            "问题 %s 的回答应为所列选项之一 / question %s takes one of its options",
                            qq->id, qq->id);
    case QN_NUMBER:
        if (!is_number || !isfinite(number) || number < -1e12 || number > 1e12)
            return cy_error_set(err, CY_EINVAL, "answer_invalid", field,
                                "问题 %s 的回答应为数字 / question %s takes a number", qq->id,
                                qq->id);
        out->kind = QN_ANS_NUMBER;
        out->value = number;
        return CY_OK;
    }
    return cy_error_set(err, CY_EINVAL, "answer_invalid", field, "无效的回答 / invalid answer");
}

const char *
qn_answer_code(const qn_t *q, size_t i, const qn_answer_t *a)
{
    switch (a->kind) {
    case QN_UNANSWERED:
        return "unanswered";
    case QN_ANS_YES:
        return "yes";
    case QN_ANS_PARTIAL:
        return "partial";
    case QN_ANS_NO:
        return "no";
    case QN_ANS_NA:
        return "na";
    case QN_ANS_OPTION:
        if (i < q->n_questions && a->option >= 0 && (size_t)a->option < q->questions[i].n_options)
            return q->questions[i].options[a->option].code;
        return "unanswered";
    case QN_ANS_NUMBER:
        return "number";
    }
    return "unanswered";
}

double
qn_answer_score(const qn_t *q, size_t i, const qn_answer_t *a)
{
    const qn_question_t *qq = &q->questions[i];
    switch (a->kind) {
    case QN_ANS_YES:
        return 1.0;
    case QN_ANS_PARTIAL:
        return q->partial_credit;
    case QN_ANS_OPTION:
        return a->option >= 0 && (size_t)a->option < qq->n_options ? qq->options[a->option].score
                                                                   : 0.0;
    case QN_ANS_NUMBER: {
        /* a straight line through (min, score_at_min) and (max, score_at_max), clamped */
        double x = a->value;
        if (x <= qq->num_min)
            return qq->score_at_min;
        if (x >= qq->num_max)
            return qq->score_at_max;
        double f = (x - qq->num_min) / (qq->num_max - qq->num_min);
        return qq->score_at_min + f * (qq->score_at_max - qq->score_at_min);
    }
    case QN_UNANSWERED: /* never scored as yes */
    case QN_ANS_NO:
    case QN_ANS_NA:
        return 0.0;
    }
    return 0.0;
}

/* Insert d into the drivers kept in descending order of points (ties: first come first). */
static void
driver_add(qn_result_t *r, size_t keep, qn_driver_t d)
{
    if (!(d.points > 0.0) || keep == 0)
        return;
    size_t pos = r->n_drivers;
    while (pos > 0 && r->drivers[pos - 1].points < d.points)
        pos--;
    if (pos >= keep)
        return;
    size_t n = r->n_drivers < keep ? r->n_drivers + 1 : keep;
    for (size_t k = n - 1; k > pos; k--)
        r->drivers[k] = r->drivers[k - 1];
    r->drivers[pos] = d;
    r->n_drivers = n;
}

static char
grade_of(const qn_t *q, double score)
{
    for (int g = 0; g < QN_GRADES; g++)
        if (score >= q->grade_min[g])
            return (char)('A' + g);
    return 'E';
}

cy_status_t
qn_score(const qn_t *q, const qn_profile_t *p, const qn_answer_t *answers,
         const qn_finding_t *findings, size_t n_findings, const qn_mlps_t *mlps, qn_result_t *out,
         cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->cap_question = -1;
    size_t keep = q->top_drivers < QN_MAX_DRIVERS ? q->top_drivers : QN_MAX_DRIVERS;
    double wsum = 0.0, got = 0.0;
    for (size_t i = 0; i < q->n_questions; i++) {
        if (!qn_applicable(q, i, p))
            continue;
        const qn_answer_t *a = &answers[i];
        if (a->kind == QN_ANS_NA) {
            out->not_applicable++;
            continue;
        }
        out->applicable++;
        if (a->kind == QN_UNANSWERED)
            out->unanswered++;
        else
            out->answered++;
        wsum += q->questions[i].weight;
        got += q->questions[i].weight * qn_answer_score(q, i, a);
    }
    if (!(wsum > 0.0))
        return cy_error_set(err, CY_EINVAL, "qn_empty", "answers",
                            "没有适用的问题，无法评分 / no question applies: nothing to score");
    out->control_score = 100.0 * got / wsum;

    /* what each question cost: its share of the weight times the score it missed */
    for (size_t i = 0; i < q->n_questions; i++) {
        if (!qn_applicable(q, i, p) || answers[i].kind == QN_ANS_NA)
            continue;
        double lost =
            100.0 * q->questions[i].weight * (1.0 - qn_answer_score(q, i, &answers[i])) / wsum;
        driver_add(out, keep, (qn_driver_t){QN_DRIVER_QUESTION, (int)i, lost, 0});
    }

    /* evidence: KEV findings on internet-facing assets, then other severe likely-exploited ones */
    for (size_t k = 0; k < n_findings; k++) {
        const qn_finding_t *f = &findings[k];
        if (f->kev && f->internet_facing)
            out->kev_findings++;
        else if (f->cvss >= q->severe.cvss_min && f->epss >= q->severe.epss_min)
            out->severe_findings++;
    }
    out->kev_penalty = fmin((double)out->kev_findings * q->kev.points, q->kev.max_points);
    out->severe_penalty =
        fmin((double)out->severe_findings * q->severe.points, q->severe.max_points);
    driver_add(out, keep, (qn_driver_t){QN_DRIVER_KEV, -1, out->kev_penalty, out->kev_findings});
    driver_add(out, keep,
               (qn_driver_t){QN_DRIVER_SEVERE, -1, out->severe_penalty, out->severe_findings});

    if (mlps != NULL && mlps->conclusion >= 0 && (size_t)mlps->conclusion < q->n_conclusions)
        out->mlps_points = q->conclusions[mlps->conclusion].points;
    else
        out->mlps_points = q->mlps_missing_points;
    /* a poor conclusion is a driver like any other lost point */
    driver_add(out, keep, (qn_driver_t){QN_DRIVER_MLPS, -1, -out->mlps_points, 0});

    double s = out->control_score - out->kev_penalty - out->severe_penalty + out->mlps_points;
    out->score = s < 0.0 ? 0.0 : s > 100.0 ? 100.0 : s;
    out->grade_uncapped = out->grade = grade_of(q, out->score);

    /* the worst cap wins; among equal caps the first question in the file */
    for (size_t i = 0; i < q->n_questions; i++) {
        const qn_question_t *qq = &q->questions[i];
        if (qq->cap_grade == 0 || !qn_applicable(q, i, p))
            continue;
        const char *code = qn_answer_code(q, i, &answers[i]);
        for (size_t k = 0; k < qq->n_cap_when; k++) {
            if (strcmp(qq->cap_when[k], code) == 0 && qq->cap_grade > out->grade) {
                out->grade = qq->cap_grade;
                out->cap_question = (int)i;
            }
        }
    }
    return CY_OK;
}

static cy_status_t
qn_bad(cy_error_t *err, const char *field, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EINVAL, "questionnaire_invalid", field,
                        "问卷 %s：%s / questionnaire %s: %s", field, zh, field, en);
}

static int
in01(double x)
{
    return isfinite(x) && x >= 0.0 && x <= 1.0;
}

cy_status_t
qn_validate(const qn_t *q, cy_error_t *err)
{
    char f[96];
    if (!in01(q->partial_credit))
        return qn_bad(err, "answer_scores.partial", "应在 0 到 1 之间", "must be from 0 to 1");
    for (int g = 0; g < QN_GRADES; g++) {
        snprintf(f, sizeof f, "grades.%c", 'A' + g);
        if (!isfinite(q->grade_min[g]) || q->grade_min[g] < 0.0 || q->grade_min[g] > 100.0 ||
            (g > 0 && q->grade_min[g] >= q->grade_min[g - 1]))
            return qn_bad(err, f, "等级下限应在 0–100 之间且从 A 到 E 递减",
                          "grade thresholds must be within 0–100 and fall from A to E");
    }
    if (q->grade_min[QN_GRADES - 1] != 0.0)
        return qn_bad(err, "grades.E", "E 级下限应为 0", "grade E must start at 0");
    if (q->top_drivers < 1 || q->top_drivers > QN_MAX_DRIVERS)
        return qn_bad(err, "top_drivers", "应为 1 到 10", "must be from 1 to 10");
    if (q->n_sections == 0 || q->n_questions == 0)
        return qn_bad(err, "questions", "至少需要一个部分和一个问题",
                      "needs at least one section and one question");
    for (size_t i = 0; i < q->n_questions; i++) {
        const qn_question_t *qq = &q->questions[i];
        snprintf(f, sizeof f, "questions[%zu]", i);
        if (qq->section < 0 || (size_t)qq->section >= q->n_sections)
            return qn_bad(err, f, "所属部分无效", "its section is unknown");
        if (qq->module >= 0 && (size_t)qq->module >= q->n_modules)
            return qn_bad(err, f, "所属扩展模块无效", "its module is unknown");
        if (!(isfinite(qq->weight) && qq->weight > 0.0 && qq->weight <= 100.0))
            return qn_bad(err, f, "权重应在 (0, 100] 之内", "the weight must be in (0, 100]");
        if (qq->type == QN_CHOICE && qq->n_options < 2)
            return qn_bad(err, f, "选择题至少需要两个选项", "a choice needs at least two options");
        for (size_t k = 0; k < qq->n_options; k++)
            if (!in01(qq->options[k].score))
                return qn_bad(err, f, "选项得分应在 0 到 1 之间",
                              "option scores must be from 0 to 1");
        if (qq->type == QN_NUMBER &&
            (!isfinite(qq->num_min) || !isfinite(qq->num_max) || !(qq->num_min < qq->num_max) ||
             !in01(qq->score_at_min) || !in01(qq->score_at_max)))
            return qn_bad(err, f, "数值题需要 min < max 及 0–1 之间的得分",
                          "a number needs min < max and scores from 0 to 1");
        if (qq->cap_grade != 0 && (qq->cap_grade < 'A' || qq->cap_grade > 'E'))
            return qn_bad(err, f, "封顶等级应为 A–E", "the cap grade must be A–E");
        for (size_t j = 0; j < i; j++)
            if (strcmp(q->questions[j].id, qq->id) == 0)
                return qn_bad(err, f, "问题编号重复", "the question id is used twice");
    }
    const qn_penalty_t *pens[] = {&q->kev, &q->severe};
    const char *names[] = {"evidence.kev_internet", "evidence.severe"};
    for (int k = 0; k < 2; k++) {
        const qn_penalty_t *pe = pens[k];
        if (!(isfinite(pe->points) && pe->points >= 0.0 && isfinite(pe->max_points) &&
              pe->max_points >= 0.0 && pe->max_points <= 100.0))
            return qn_bad(err, names[k], "扣分应为 0–100 之间的数", "points must be from 0 to 100");
    }
    if (!(q->severe.cvss_min >= 0.0 && q->severe.cvss_min <= 10.0) || !in01(q->severe.epss_min))
        return qn_bad(err, "evidence.severe", "CVSS 下限应在 0–10，EPSS 下限应在 0–1",
                      "the CVSS floor must be 0–10 and the EPSS floor 0–1");
    for (size_t i = 0; i < q->n_conclusions; i++) {
        snprintf(f, sizeof f, "mlps.conclusions[%zu]", i);
        if (!(isfinite(q->conclusions[i].points) && fabs(q->conclusions[i].points) <= 100.0))
            return qn_bad(err, f, "加减分应在 -100 到 100 之间", "points must be from -100 to 100");
    }
    return CY_OK;
}
