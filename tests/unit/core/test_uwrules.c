/*
 * test_uwrules.c — the shipped underwriting rules and parameters
 * (data/underwriting/) load, and core/uwrules.c decides as DOMAIN.md §6
 * asks: a KEV finding on an internet-facing asset older than 30 days
 * refers, no offline backup is a condition with its due date, grade E
 * declines and the strictest decision wins, an application without an
 * assessment is referred and no answer rule speaks for it, large limits
 * refer; a broken rules file names the file, line and field. Depends on
 * cmocka, app/uw_data, core/uwrules; reads CY_SOURCE_DIR "/data".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cytest.h"

#include "data/uw.h"
#include "core/uwrules.h"

#ifndef CY_SOURCE_DIR
#error "the build defines CY_SOURCE_DIR, the repository root"
#endif
#define DATA CY_SOURCE_DIR "/data"

typedef struct {
    qn_t qn;
    uwr_set_t rules;
    uw_params_t params;
    qn_answer_t answers[QN_MAX_QUESTIONS];
    qn_profile_t profile;
} fixture_t;

static int
setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    cy_error_t err;
    if (uw_questionnaire_load(DATA "/questionnaire/questionnaire.json", "questionnaire.json",
                              &f->qn, &err) != CY_OK ||
        uw_rules_load(DATA "/underwriting/rules.json", "rules.json", &f->qn, &f->rules, &err) !=
            CY_OK ||
        uw_params_load(DATA "/underwriting/parameters.json", "parameters.json", &f->params, &err) !=
            CY_OK) {
        fprintf(stderr, "%s\n", err.message);
        free(f);
        return -1;
    }
    /* every answer the best one */
    for (size_t i = 0; i < f->qn.n_questions; i++) {
        const qn_question_t *q = &f->qn.questions[i];
        f->answers[i].kind = q->type == QN_YNP      ? QN_ANS_YES
                             : q->type == QN_CHOICE ? QN_ANS_OPTION
                                                    : QN_ANS_NUMBER;
        f->answers[i].option = 0;
        f->answers[i].value = q->score_at_max == 1.0 ? q->num_max : q->num_min;
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    free(*state);
    return 0;
}

CY_GROUP("tests", setup, teardown);

#define NOW ((int64_t)1767225600) /* 2026-01-01T00:00:00Z */
#define DAY ((int64_t)86400)

static uwr_facts_t
facts(fixture_t *f)
{
    return (uwr_facts_t){.qn = &f->qn,
                         .profile = &f->profile,
                         .answers = f->answers,
                         .has_assessment = 1,
                         .assessed_at = NOW - 10 * DAY,
                         .score = 90.0,
                         .grade = 'A',
                         .mlps_conclusion = "good",
                         .revenue = 50000000000LL, /* ¥500M */
                         .limit = 500000000LL,     /* ¥5M */
                         .section = 'C',
                         .now = NOW};
}

/* The ids of the rules that held, joined by commas. */
static void
hits(const fixture_t *f, const uwr_outcome_t *o, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; i < o->n_hits; i++) {
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, "%s%s", i ? "," : "", f->rules.rules[o->hits[i]].id);
    }
}

CY_TEST(test_uwr_shipped_files_load)
{
    fixture_t *f = *state;
    assert_string_equal(f->rules.version, "2025.1");
    assert_int_equal(f->rules.n_rules, 12);
    assert_int_equal(f->params.quote_validity_days, 30);
    assert_int_equal(f->params.unassessed_grade, 'D');
    assert_int_equal(f->params.n_credits, 3);
    assert_true(f->params.credits[1].years == 2 && f->params.credits[1].credit == 0.10);
    assert_int_equal(f->params.n_bands, 6);
    assert_true(f->params.bands[2].rated == 10000000000LL); /* ¥100M in fen */
    assert_true(f->params.bands[5].max == 0);
    assert_string_equal(f->params.policy_prefix, "CY");
}

CY_TEST(test_uwr_clean_application_is_accepted)
{
    fixture_t *f = *state;
    uwr_facts_t x = facts(f);
    uwr_outcome_t o;
    uwr_evaluate(&f->rules, &x, &o);
    assert_int_equal(o.decision, UWR_ACCEPT);
    assert_int_equal(o.n_hits, 0);
}

CY_TEST(test_uwr_kev_on_internet_older_than_30_days_refers)
{
    fixture_t *f = *state;
    qn_finding_t fs[2] = {{1, 1, 9.8, 0.2, NOW - 29 * DAY}, {1, 0, 9.8, 0.2, NOW - 90 * DAY}};
    uwr_facts_t x = facts(f);
    x.findings = fs;
    x.n_findings = 2;
    uwr_outcome_t o;
    char buf[256];
    uwr_evaluate(&f->rules, &x, &o);
    assert_int_equal(o.decision, UWR_ACCEPT); /* 29 days, and the old one is not internet-facing */
    fs[0].first_seen = NOW - 31 * DAY;
    uwr_evaluate(&f->rules, &x, &o);
    assert_int_equal(o.decision, UWR_REFER);
    hits(f, &o, buf, sizeof buf);
    assert_string_equal(buf, "refer_kev_internet_30d");
    /* a critical, likely exploited finding refers on its own */
    qn_finding_t sev = {0, 1, 9.1, 0.6, NOW};
    x.findings = &sev;
    x.n_findings = 1;
    uwr_evaluate(&f->rules, &x, &o);
    hits(f, &o, buf, sizeof buf);
    assert_string_equal(buf, "refer_severe_finding");
}

CY_TEST(test_uwr_no_offline_backup_is_a_condition)
{
    fixture_t *f = *state;
    int i = qn_question_find(&f->qn, "ic_backup_offline");
    f->answers[i].kind = QN_ANS_NO;
    uwr_facts_t x = facts(f);
    uwr_outcome_t o;
    uwr_evaluate(&f->rules, &x, &o);
    assert_int_equal(o.decision, UWR_CONDITION);
    assert_int_equal(o.n_hits, 1);
    const uwr_rule_t *r = &f->rules.rules[o.hits[0]];
    assert_string_equal(r->id, "condition_offline_backup");
    assert_int_equal(r->due_days, 30);
    assert_non_null(strstr(r->condition_zh, "离线"));
    /* unanswered is treated as no, never as yes */
    f->answers[i].kind = QN_UNANSWERED;
    uwr_evaluate(&f->rules, &x, &o);
    assert_int_equal(o.decision, UWR_CONDITION);
    f->answers[i].kind = QN_ANS_YES;
    /* more than 10% end-of-life assets is a condition too */
    int e = qn_question_find(&f->qn, "ic_eol");
    f->answers[e].value = 12.0;
    uwr_evaluate(&f->rules, &x, &o);
    assert_int_equal(o.decision, UWR_CONDITION);
    assert_string_equal(f->rules.rules[o.hits[0]].id, "condition_eol");
    f->answers[e].value = 0.0;
}

CY_TEST(test_uwr_strictest_decision_wins_and_all_reasons_show)
{
    fixture_t *f = *state;
    int i = qn_question_find(&f->qn, "ic_mfa_remote");
    f->answers[i].kind = QN_ANS_NO;
    uwr_facts_t x = facts(f);
    x.grade = 'E';
    x.mlps_conclusion = "poor";
    x.limit = 6000000000LL; /* ¥60M: above the ¥50M authority, and > 50% of ¥100M revenue */
    x.revenue = 10000000000LL;
    uwr_outcome_t o;
    char buf[256];
    uwr_evaluate(&f->rules, &x, &o);
    assert_int_equal(o.decision, UWR_DECLINE);
    hits(f, &o, buf, sizeof buf);
    assert_string_equal(buf, "decline_grade_e,refer_mlps_poor,refer_large_limit,refer_limit_to_"
                             "revenue,condition_mfa_remote");
    f->answers[i].kind = QN_ANS_YES;
}

CY_TEST(test_uwr_without_assessment_only_refers)
{
    fixture_t *f = *state;
    uwr_facts_t x = facts(f);
    x.has_assessment = 0;
    x.answers = NULL;
    x.mlps_conclusion = NULL;
    x.grade = 'D';
    uwr_outcome_t o;
    char buf[256];
    uwr_evaluate(&f->rules, &x, &o);
    hits(f, &o, buf, sizeof buf);
    assert_string_equal(buf, "refer_no_assessment");
    assert_int_equal(o.decision, UWR_REFER);
    /* an old assessment refers too */
    x = facts(f);
    x.assessed_at = NOW - 400 * DAY;
    uwr_evaluate(&f->rules, &x, &o);
    hits(f, &o, buf, sizeof buf);
    assert_string_equal(buf, "refer_stale_assessment");
}

CY_TEST(test_uwr_names_decisions_and_kinds)
{
    (void)state;
    uwr_decision_t d;
    uwr_kind_t k;
    assert_string_equal(uwr_decision_name(UWR_REFER), "refer");
    assert_int_equal(uwr_decision_parse("decline", &d), 0);
    assert_int_equal(d, UWR_DECLINE);
    assert_int_equal(uwr_decision_parse("maybe", &d), -1);
    assert_int_equal(uwr_kind_parse("kev_internet_older_than_days", &k), 0);
    assert_int_equal(k, UWR_KEV_INTERNET_OLDER);
    assert_string_equal(uwr_kind_name(UWR_SECTION_IN), "industry_section_in");
    assert_int_equal(uwr_kind_parse("astrology", &k), -1);
}

CY_TEST(test_uwr_broken_rules_file_names_line_and_field)
{
    fixture_t *f = *state;
    FILE *in = fopen(DATA "/underwriting/rules.json", "rb");
    assert_non_null(in);
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, in);
    fclose(in);
    buf[n] = '\0';
    char *at = strstr(buf, "\"kind\": \"no_assessment\"");
    assert_non_null(at);
    char path[128];
    snprintf(path, sizeof path, "/tmp/cyberins-test-rules-%d.json", (int)getpid());
    FILE *o = fopen(path, "wb");
    fwrite(buf, 1, (size_t)(at - buf), o);
    fputs("\"kind\": \"astrology\"", o);
    fputs(at + strlen("\"kind\": \"no_assessment\""), o);
    fclose(o);
    uwr_set_t *rs = malloc(sizeof *rs);
    cy_error_t err;
    assert_int_equal(uw_rules_load(path, "rules.json", &f->qn, rs, &err), CY_EINVAL);
    assert_string_equal(err.code, "rules_invalid");
    assert_string_equal(err.field, "rules[4].when");
    assert_non_null(strstr(err.message, "rules.json 第 "));
    assert_non_null(strstr(err.message, "unknown rule kind astrology"));
    /* an answer rule about a question the questionnaire lacks */
    at = strstr(buf, "\"question\": \"ic_edr\"");
    assert_non_null(at);
    o = fopen(path, "wb");
    fwrite(buf, 1, (size_t)(at - buf), o);
    fputs("\"question\": \"ic_crystal_ball\"", o);
    fputs(at + strlen("\"question\": \"ic_edr\""), o);
    fclose(o);
    assert_int_equal(uw_rules_load(path, "rules.json", &f->qn, rs, &err), CY_EINVAL);
    assert_string_equal(err.field, "rules[10].when");
    assert_non_null(strstr(err.message, "ic_crystal_ball"));
    unlink(path);
    free(rs);
    free(buf);
}
