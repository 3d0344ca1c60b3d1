/*
 * test_questionnaire.c — the shipped questionnaire (data/questionnaire/)
 * loads, and core/questionnaire.c scores it as docs/underwriting.md says:
 * an unanswered question never counts as yes, "not applicable" drops the
 * weight only where allowed, modules follow the profile, numbers score on a
 * line, critical answers cap the grade, evidence and the MLPS conclusion
 * move the score, drivers come out in order with their exact points; and a
 * broken copy of the file is refused naming the file, the line and the
 * field. Depends on cmocka, app/uw_data and core/questionnaire; reads
 * CY_SOURCE_DIR "/data".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cytest.h"

#include "data/uw.h"
#include "core/questionnaire.h"

#ifndef CY_SOURCE_DIR
#error "the build defines CY_SOURCE_DIR, the repository root"
#endif
#define QN_FILE CY_SOURCE_DIR "/data/questionnaire/questionnaire.json"

static qn_t *
load(void)
{
    qn_t *q = malloc(sizeof *q);
    cy_error_t err;
    assert_non_null(q);
    if (uw_questionnaire_load(QN_FILE, "questionnaire.json", q, &err) != CY_OK)
        fail_msg("%s", err.message);
    return q;
}

static int
idx(const qn_t *q, const char *id)
{
    int i = qn_question_find(q, id);
    if (i < 0)
        fail_msg("no question %s", id);
    return i;
}

/* The best answer to every question: yes, the best option, the best end of a number's line. */
static void
all_best(const qn_t *q, qn_answer_t *a)
{
    memset(a, 0, sizeof(qn_answer_t) * QN_MAX_QUESTIONS);
    for (size_t i = 0; i < q->n_questions; i++) {
        const qn_question_t *qq = &q->questions[i];
        if (qq->type == QN_YNP) {
            a[i].kind = QN_ANS_YES;
        } else if (qq->type == QN_CHOICE) {
            a[i].kind = QN_ANS_OPTION;
            for (size_t k = 0; k < qq->n_options; k++)
                if (qq->options[k].score == 1.0)
                    a[i].option = (int)k;
        } else {
            a[i].kind = QN_ANS_NUMBER;
            a[i].value = qq->score_at_max == 1.0 ? qq->num_max : qq->num_min;
        }
    }
}

static void
assert_close(double got, double want)
{
    if (fabs(got - want) > 1e-9)
        fail_msg("got %.12f want %.12f", got, want);
}

static const qn_profile_t NO_MODULES = {"", 0};

CY_TEST(test_qn_shipped_file_loads)
{
    (void)state;
    qn_t *q = load();
    assert_string_equal(q->version, "2025.1");
    assert_int_equal(q->n_sections, 16);
    assert_int_equal(q->n_modules, 5);
    assert_int_equal(q->n_questions, 49);
    assert_int_equal(q->n_flags, 5);
    assert_int_equal(q->n_conclusions, 4);
    assert_true(q->partial_credit == 0.5);
    assert_true(q->grade_min[0] == 85.0 && q->grade_min[4] == 0.0);
    /* the ten GB/T 22239-2019 families, then the insurer-critical controls */
    assert_string_equal(q->sections[0].name_zh, "安全物理环境");
    assert_string_equal(q->sections[9].name_zh, "安全运维管理");
    assert_string_equal(q->sections[10].code, "critical");
    int ics = -1;
    for (size_t m = 0; m < q->n_modules; m++)
        if (!strcmp(q->modules[m].code, "ics"))
            ics = (int)m;
    assert_true(ics >= 0);
    assert_int_equal(q->questions[idx(q, "ics_segment")].module, ics);
    assert_true(q->questions[idx(q, "ic_backup_offline")].critical);
    free(q);
}

CY_TEST(test_qn_unanswered_is_never_yes)
{
    (void)state;
    qn_t *q = load();
    qn_answer_t a[QN_MAX_QUESTIONS];
    memset(a, 0, sizeof a);
    qn_result_t r;
    cy_error_t err;
    assert_int_equal(qn_score(q, &NO_MODULES, a, NULL, 0, NULL, &r, &err), CY_OK);
    assert_close(r.control_score, 0.0);
    assert_close(r.score, 0.0);
    assert_int_equal(r.grade, 'E');
    assert_int_equal(r.applicable, 36); /* the base questions: 23 families + 13 critical */
    assert_int_equal(r.unanswered, 36);
    assert_int_equal(r.answered, 0);
    all_best(q, a);
    assert_int_equal(qn_score(q, &NO_MODULES, a, NULL, 0, NULL, &r, &err), CY_OK);
    assert_close(r.score, 100.0);
    assert_int_equal(r.grade, 'A');
    assert_int_equal(r.n_drivers, 0);
    /* leaving one critical question blank costs exactly its weight share: 5 of 68 */
    memset(&a[idx(q, "ic_backup_offline")], 0, sizeof a[0]);
    assert_int_equal(qn_score(q, &NO_MODULES, a, NULL, 0, NULL, &r, &err), CY_OK);
    assert_close(r.control_score, 100.0 * 63.0 / 68.0);
    assert_int_equal(r.unanswered, 1);
    free(q);
}

CY_TEST(test_qn_not_applicable_only_where_allowed)
{
    (void)state;
    qn_t *q = load();
    qn_answer_t a[QN_MAX_QUESTIONS];
    all_best(q, a);
    cy_error_t err;
    /* phys_access allows na: its weight (1) leaves the sum */
    assert_int_equal(qn_answer_parse(q, (size_t)idx(q, "phys_access"), "na", 0, 0,
                                     &a[idx(q, "phys_access")], &err),
                     CY_OK);
    a[idx(q, "cmp_auth")].kind = QN_ANS_NO; /* weight 1.5 of 67 */
    qn_result_t r;
    assert_int_equal(qn_score(q, &NO_MODULES, a, NULL, 0, NULL, &r, &err), CY_OK);
    assert_close(r.control_score, 100.0 * 65.5 / 67.0);
    assert_int_equal(r.not_applicable, 1);
    /* ic_mfa_email does not */
    qn_answer_t x;
    assert_int_equal(qn_answer_parse(q, (size_t)idx(q, "ic_mfa_email"), "na", 0, 0, &x, &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "answer_invalid");
    assert_string_equal(err.field, "answers.ic_mfa_email");
    assert_non_null(strstr(err.message, " / "));
    assert_int_equal(qn_answer_parse(q, (size_t)idx(q, "ic_edr"), "maybe", 0, 0, &x, &err),
                     CY_EINVAL);
    assert_int_equal(qn_answer_parse(q, (size_t)idx(q, "ic_edr"), "full", 0, 0, &x, &err), CY_OK);
    assert_int_equal(x.kind, QN_ANS_OPTION);
    assert_string_equal(qn_answer_code(q, (size_t)idx(q, "ic_edr"), &x), "full");
    assert_int_equal(qn_answer_parse(q, (size_t)idx(q, "ppl_training"), "yes", 0, 0, &x, &err),
                     CY_EINVAL);
    assert_int_equal(
        qn_answer_parse(q, (size_t)idx(q, "ppl_training"), NULL, 1, INFINITY, &x, &err), CY_EINVAL);
    free(q);
}

CY_TEST(test_qn_numbers_and_partial_score_on_a_line)
{
    (void)state;
    qn_t *q = load();
    qn_answer_t a = {QN_ANS_NUMBER, 0, 50.0};
    assert_close(qn_answer_score(q, (size_t)idx(q, "ppl_training"), &a), 0.5);
    a.value = 150.0; /* clamped */
    assert_close(qn_answer_score(q, (size_t)idx(q, "ppl_training"), &a), 1.0);
    a.value = 5.0; /* 5% end-of-life assets: the line from (0, 1) to (20, 0) */
    assert_close(qn_answer_score(q, (size_t)idx(q, "ic_eol"), &a), 0.75);
    a.value = 40.0;
    assert_close(qn_answer_score(q, (size_t)idx(q, "ic_eol"), &a), 0.0);
    qn_answer_t p = {QN_ANS_PARTIAL, 0, 0};
    assert_close(qn_answer_score(q, 0, &p), 0.5);
    qn_answer_t u = {QN_UNANSWERED, 0, 0};
    assert_close(qn_answer_score(q, 0, &u), 0.0);
    free(q);
}

CY_TEST(test_qn_modules_follow_the_profile)
{
    (void)state;
    qn_t *q = load();
    qn_answer_t a[QN_MAX_QUESTIONS];
    all_best(q, a);
    a[idx(q, "ics_segment")].kind = QN_ANS_NO; /* weight 3 */
    qn_result_t r;
    cy_error_t err;
    /* not an industrial-internet firm: the ICS module is not asked, the no does not count */
    assert_int_equal(qn_score(q, &NO_MODULES, a, NULL, 0, NULL, &r, &err), CY_OK);
    assert_close(r.score, 100.0);
    /* 工业互联网 selects it: 68 + 6.5 */
    qn_profile_t ind = {"industrial_internet", 0};
    assert_int_equal(qn_score(q, &ind, a, NULL, 0, NULL, &r, &err), CY_OK);
    assert_int_equal(r.applicable, 39);
    assert_close(r.control_score, 100.0 * 71.5 / 74.5);
    /* cloud users get the cloud module through the flag */
    qn_profile_t cloud = {"", 1u << qn_flag_find(q, "cloud")};
    assert_true(qn_applicable(q, (size_t)idx(q, "cl_config"), &cloud));
    assert_false(qn_applicable(q, (size_t)idx(q, "cl_config"), &NO_MODULES));
    qn_profile_t veh = {"connected_vehicles", 0};
    assert_true(qn_applicable(q, (size_t)idx(q, "veh_ota"), &veh));
    free(q);
}

CY_TEST(test_qn_critical_answers_cap_the_grade_and_drivers_rank)
{
    (void)state;
    qn_t *q = load();
    qn_answer_t a[QN_MAX_QUESTIONS];
    all_best(q, a);
    a[idx(q, "ic_backup_offline")].kind = QN_ANS_NO; /* weight 5, cap C */
    a[idx(q, "ic_mfa_remote")].kind = QN_ANS_NO;     /* weight 4, cap C */
    a[idx(q, "bnd_ids")].kind = QN_ANS_PARTIAL;      /* weight 1.5 × 0.5 */
    qn_result_t r;
    cy_error_t err;
    assert_int_equal(qn_score(q, &NO_MODULES, a, NULL, 0, NULL, &r, &err), CY_OK);
    assert_close(r.score, 100.0 * (68.0 - 9.75) / 68.0); /* 85.66: an A by score */
    assert_int_equal(r.grade_uncapped, 'A');
    assert_int_equal(r.grade, 'C');
    assert_int_equal(r.cap_question, idx(q, "ic_mfa_remote")); /* the first cap in the file */
    assert_int_equal(r.n_drivers, 3);
    assert_int_equal(r.drivers[0].question, idx(q, "ic_backup_offline"));
    assert_close(r.drivers[0].points, 500.0 / 68.0);
    assert_int_equal(r.drivers[1].question, idx(q, "ic_mfa_remote"));
    assert_close(r.drivers[1].points, 400.0 / 68.0);
    assert_int_equal(r.drivers[2].question, idx(q, "bnd_ids"));
    assert_close(r.drivers[2].points, 75.0 / 68.0);
    /* the points lost add up to what the score lost */
    assert_close(r.drivers[0].points + r.drivers[1].points + r.drivers[2].points, 100.0 - r.score);
    free(q);
}

CY_TEST(test_qn_evidence_and_mlps_move_the_score)
{
    (void)state;
    qn_t *q = load();
    qn_answer_t a[QN_MAX_QUESTIONS];
    all_best(q, a);
    qn_finding_t f[6] = {
        {1, 1, 9.8, 0.97, 0}, /* KEV on the internet */
        {1, 1, 7.2, 0.20, 0}, /* KEV on the internet */
        {1, 0, 9.8, 0.97, 0}, /* KEV inside: counted as severe instead */
        {0, 1, 7.5, 0.05, 0}, /* not likely exploited: no penalty */
        {0, 1, 8.1, 0.30, 0}, /* severe */
        {0, 1, -1, -1, 0},    /* unknown scores: nothing */
    };
    qn_mlps_t poor = {3, qn_conclusion_find(q, "poor"), 60.0};
    qn_result_t r;
    cy_error_t err;
    assert_int_equal(qn_score(q, &NO_MODULES, a, f, 6, &poor, &r, &err), CY_OK);
    assert_int_equal(r.kev_findings, 2);
    assert_int_equal(r.severe_findings, 2);
    assert_close(r.kev_penalty, 20.0);
    assert_close(r.severe_penalty, 8.0);
    assert_close(r.mlps_points, -10.0);
    assert_close(r.score, 62.0);
    assert_int_equal(r.grade, 'C');
    assert_int_equal(r.drivers[0].kind, QN_DRIVER_KEV);
    assert_int_equal(r.drivers[0].count, 2);
    assert_int_equal(r.drivers[1].kind, QN_DRIVER_MLPS);
    assert_int_equal(r.drivers[2].kind, QN_DRIVER_SEVERE);
    /* the KEV penalty stops at its maximum (30) and the score at 0 */
    qn_finding_t many[5] = {
        {1, 1, 9, .9, 0}, {1, 1, 9, .9, 0}, {1, 1, 9, .9, 0}, {1, 1, 9, .9, 0}, {1, 1, 9, .9, 0}};
    assert_int_equal(qn_score(q, &NO_MODULES, a, many, 5, NULL, &r, &err), CY_OK);
    assert_close(r.kev_penalty, 30.0);
    assert_close(r.score, 70.0);
    assert_int_equal(r.grade, 'B');
    qn_mlps_t good = {2, qn_conclusion_find(q, "excellent"), 95.0};
    assert_int_equal(qn_score(q, &NO_MODULES, a, NULL, 0, &good, &r, &err), CY_OK);
    assert_close(r.score, 100.0); /* +5 stops at 100 */
    free(q);
}

/* Write QN_FILE with one replacement to a temporary file; return its path. */
static void
broken_copy(const char *from, const char *to, char *path, size_t cap)
{
    FILE *f = fopen(QN_FILE, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    char *at = strstr(buf, from);
    assert_non_null(at);
    snprintf(path, cap, "/tmp/cyberins-test-qn-%d.json", (int)getpid());
    FILE *o = fopen(path, "wb");
    fwrite(buf, 1, (size_t)(at - buf), o);
    fputs(to, o);
    fputs(at + strlen(from), o);
    fclose(o);
    free(buf);
}

CY_TEST(test_qn_broken_file_names_line_and_field)
{
    (void)state;
    qn_t *q = malloc(sizeof *q);
    char path[256];
    cy_error_t err;
    broken_copy("\"section\": \"comm\"", "\"section\": \"nowhere\"", path, sizeof path);
    assert_int_equal(uw_questionnaire_load(path, "questionnaire.json", q, &err), CY_EINVAL);
    assert_string_equal(err.code, "questionnaire_invalid");
    assert_string_equal(err.field, "questions[2].section");
    assert_non_null(strstr(err.message, "questionnaire.json 第 "));
    assert_non_null(strstr(err.message, "unknown section nowhere"));
    unlink(path);
    broken_copy("\"weight\": 5", "\"weight\": -5", path, sizeof path);
    assert_int_equal(uw_questionnaire_load(path, "questionnaire.json", q, &err), CY_EINVAL);
    assert_non_null(strstr(err.field, ".weight"));
    unlink(path);
    broken_copy("\"B\": 70", "\"B\": 90", path, sizeof path);
    assert_int_equal(uw_questionnaire_load(path, "questionnaire.json", q, &err), CY_EINVAL);
    assert_string_equal(err.field, "grades.B");
    unlink(path);
    broken_copy("\"grade\": \"C\"", "\"grade\": \"Q\"", path, sizeof path);
    assert_int_equal(uw_questionnaire_load(path, "questionnaire.json", q, &err), CY_EINVAL);
    assert_non_null(strstr(err.field, ".cap"));
    unlink(path);
    free(q);
}
