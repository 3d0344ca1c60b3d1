/*
 * questionnaire.h — the risk-assessment questionnaire (风险评估, DOMAIN.md §6)
 * as plain structs, and its scoring: score 0–100, grade A–E, the drivers
 * that cost the most points, each with its loss-prevention advice (防灾减损).
 *
 * The questions, their weights, the grade thresholds and the evidence
 * penalties are data (data/questionnaire/questionnaire.json, loaded by app/uw_data.c);
 * this file only computes. Sections follow the ten families of
 * GB/T 22239-2019 plus the insurer-critical controls; extension modules
 * (云计算, 移动互联, 物联网, 工业控制系统, 车联网) apply when the
 * assessed enterprise's profile selects them.
 *
 * Scoring rules (docs/underwriting.md argues them):
 *   - yes / partial / no score 1 / partial_credit / 0; a choice scores its
 *     option's score; a number scores linearly between two points, clamped;
 *   - "not applicable" removes the question's weight, and only where the
 *     question allows it;
 *   - an unanswered question scores 0 — never as yes — and is counted;
 *   - control score = 100 × Σ weight × score / Σ weight over the applicable
 *     questions; then the evidence penalties (KEV findings on internet-facing
 *     assets, severe findings likely to be exploited) and the MLPS 测评
 *     conclusion's points; clamped to [0, 100];
 *   - grade by thresholds, then capped by any critical answer's cap.
 *
 * Pure: core/error.h, libc and libm. No I/O, no allocation, no globals.
 */
#ifndef CY_CORE_QUESTIONNAIRE_H
#define CY_CORE_QUESTIONNAIRE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define QN_MAX_SECTIONS    16
#define QN_MAX_MODULES     8
#define QN_MAX_QUESTIONS   128
#define QN_MAX_OPTIONS     6
#define QN_MAX_FLAGS       8
#define QN_MAX_TRIGGERS    8
#define QN_MAX_CAP_VALUES  4
#define QN_MAX_CONCLUSIONS 6
#define QN_MAX_DRIVERS     10
#define QN_GRADES          5 /* A..E */

#define QN_ID_CAP   40
#define QN_CODE_CAP 24

typedef enum {
    QN_YNP = 0, /* yes / partial / no (and not applicable where allowed) */
    QN_CHOICE,  /* one of the options */
    QN_NUMBER,  /* a number, scored linearly */
} qn_type_t;

typedef struct {
    char code[QN_CODE_CAP];
    char name_zh[96];
    char name_en[128];
    double score; /* 0..1 */
} qn_option_t;

typedef struct {
    char code[QN_CODE_CAP];
    char name_zh[64];
    char name_en[96];
    char source[320]; /* the clause, e.g. "GB/T 22239-2019 8.1.4" */
} qn_section_t;

/* An extension module and what selects it. */
typedef struct {
    char code[QN_CODE_CAP];
    char name_zh[64];
    char name_en[96];
    char source[320];
    char target_industries[QN_MAX_TRIGGERS][40]; /* pilot target industry codes */
    size_t n_target_industries;
    unsigned flags; /* bit i: profile flag i of qn_t.flags selects it */
} qn_module_t;

typedef struct {
    char id[QN_ID_CAP];
    int section; /* index into qn_t.sections */
    int module;  /* -1: every assessment; else index into qn_t.modules */
    qn_type_t type;
    double weight; /* > 0 */
    int na_allowed;
    int critical; /* one of the insurer-critical controls */
    qn_option_t options[QN_MAX_OPTIONS];
    size_t n_options;
    double num_min, num_max;           /* number: the two points of the line, min < max */
    double score_at_min, score_at_max; /* 0..1 each */
    char unit_zh[16], unit_en[16];
    /* a cap: when the answer's code is one of cap_when, the grade is at best cap_grade */
    char cap_when[QN_MAX_CAP_VALUES][QN_CODE_CAP];
    size_t n_cap_when;
    char cap_grade; /* 'A'..'E', or 0 */
    char text_zh[384];
    char text_en[512];
    char driver_zh[96]; /* the control in a few words, for the drivers list */
    char driver_en[128];
    char advice_zh[384]; /* what to do about it (防灾减损) */
    char advice_en[512];
    char source[128];
} qn_question_t;

/* A MLPS 测评 conclusion (优/良/中/差) and the points it adds to the score. */
typedef struct {
    char code[QN_CODE_CAP];
    char name_zh[16];
    char name_en[32];
    double points;
} qn_conclusion_t;

/* An evidence penalty with its advice, e.g. per KEV finding on an internet-facing asset. */
typedef struct {
    double points;     /* per finding */
    double max_points; /* at most in all */
    double cvss_min;   /* severe: CVSS at least */
    double epss_min;   /* severe: EPSS at least */
    char driver_zh[96], driver_en[128];
    char advice_zh[384], advice_en[512];
} qn_penalty_t;

typedef struct {
    char version[64];
    char source[1024];
    double partial_credit;       /* score of "partial", 0..1 */
    double grade_min[QN_GRADES]; /* A..E: the least score of each grade, descending, E = 0 */
    size_t top_drivers;          /* 1..QN_MAX_DRIVERS */
    char flags[QN_MAX_FLAGS][QN_CODE_CAP]; /* profile flags: "cloud", "mobile", "iot", … */
    char flag_name_zh[QN_MAX_FLAGS][64];
    char flag_name_en[QN_MAX_FLAGS][96];
    size_t n_flags;
    qn_section_t sections[QN_MAX_SECTIONS];
    size_t n_sections;
    qn_module_t modules[QN_MAX_MODULES];
    size_t n_modules;
    qn_question_t questions[QN_MAX_QUESTIONS];
    size_t n_questions;
    qn_penalty_t kev; /* a KEV finding on an internet-facing asset */
    qn_penalty_t
        severe; /* a finding with CVSS ≥ cvss_min and EPSS ≥ epss_min (KEV ones not again) */
    qn_conclusion_t conclusions[QN_MAX_CONCLUSIONS];
    size_t n_conclusions;
    double mlps_missing_points; /* points when no 测评 conclusion is given */
    char mlps_advice_zh[384], mlps_advice_en[512];
} qn_t;

typedef enum {
    QN_UNANSWERED = 0,
    QN_ANS_YES,
    QN_ANS_PARTIAL,
    QN_ANS_NO,
    QN_ANS_NA,
    QN_ANS_OPTION, /* option holds the index */
    QN_ANS_NUMBER, /* value holds the number */
} qn_answer_kind_t;

typedef struct {
    qn_answer_kind_t kind;
    int option;
    double value;
} qn_answer_t;

/* Who is assessed, as far as the modules care. */
typedef struct {
    char target_industry[40]; /* pilot target industry code, "" if none */
    unsigned flags;           /* bit i: qn_t.flags[i] */
} qn_profile_t;

/* One external-scan finding (evidence). */
typedef struct {
    int kev;             /* on CISA's Known Exploited Vulnerabilities list */
    int internet_facing; /* the asset answers from the internet */
    double cvss;         /* 0..10, negative: unknown */
    double epss;         /* 0..1, negative: unknown */
    int64_t first_seen;  /* UTC seconds */
} qn_finding_t;

/* The MLPS (等级保护) facts: level 0 when not graded. */
typedef struct {
    int level;      /* 0, or 1..5 */
    int conclusion; /* index into qn_t.conclusions, -1 when none */
    double score;   /* the 测评 score 0..100, negative when none */
} qn_mlps_t;

typedef enum {
    QN_DRIVER_QUESTION = 0,
    QN_DRIVER_KEV,
    QN_DRIVER_SEVERE,
    QN_DRIVER_MLPS
} qn_driver_kind_t;

/* A driver: what cost points, and how many. */
typedef struct {
    qn_driver_kind_t kind;
    int question; /* QN_DRIVER_QUESTION: index into qn_t.questions, else -1 */
    double points;
    size_t count; /* KEV / severe: the findings counted */
} qn_driver_t;

typedef struct {
    double control_score; /* 0..100 from the answers alone */
    double kev_penalty, severe_penalty;
    double mlps_points;
    double score; /* 0..100, the final */
    char grade;   /* 'A'..'E' after the cap */
    char grade_uncapped;
    int cap_question; /* the question whose answer capped the grade, -1 if none */
    size_t applicable, answered, unanswered, not_applicable;
    size_t kev_findings, severe_findings;
    qn_driver_t drivers[QN_MAX_DRIVERS];
    size_t n_drivers;
} qn_result_t;

/* qn_question_find returns the index of the question with this id, or -1. */
int qn_question_find(const qn_t *q, const char *id);

/* qn_flag_find / qn_conclusion_find: index or -1. */
int qn_flag_find(const qn_t *q, const char *code);
int qn_conclusion_find(const qn_t *q, const char *code);

/* qn_module_active: 1 when module m applies to profile p. */
int qn_module_active(const qn_t *q, size_t m, const qn_profile_t *p);

/* qn_applicable: 1 when question i is asked of profile p (base, or its module is active). */
int qn_applicable(const qn_t *q, size_t i, const qn_profile_t *p);

/*
 * qn_answer_parse reads an answer of question i from its JSON-level form:
 * a code ("yes", "partial", "no", "na", an option code) or, for a number
 * question, the number (is_number 1). Refusals (CY_EINVAL, code
 * answer_invalid, field "answers.<id>"): a code the question does not
 * take, "na" where not allowed, a number outside what a person could mean
 * (not finite).
 */
cy_status_t qn_answer_parse(const qn_t *q, size_t i, const char *code, int is_number, double number,
                            qn_answer_t *out, cy_error_t *err);

/* qn_answer_code: "yes", "partial", "no", "na", the option code, "number" or "unanswered". */
const char *qn_answer_code(const qn_t *q, size_t i, const qn_answer_t *a);

/* qn_answer_score: the 0..1 score of an answer (unanswered 0); NA gives 0 (the caller drops it). */
double qn_answer_score(const qn_t *q, size_t i, const qn_answer_t *a);

/*
 * qn_score scores answers (one per question, qn_t order) for profile p with
 * the evidence and the MLPS facts (mlps may be NULL: none given).
 * CY_EINVAL (qn_empty) when no question applies.
 */
cy_status_t qn_score(const qn_t *q, const qn_profile_t *p, const qn_answer_t *answers,
                     const qn_finding_t *findings, size_t n_findings, const qn_mlps_t *mlps,
                     qn_result_t *out, cy_error_t *err);

/* qn_validate checks a loaded questionnaire (weights, thresholds, options). CY_EINVAL, field. */
cy_status_t qn_validate(const qn_t *q, cy_error_t *err);

#endif
