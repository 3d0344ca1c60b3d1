/*
 * uwrules.h — underwriting rules (核保, DOMAIN.md §6): each rule is a
 * predicate over the facts of an application and a decision — accept with a
 * condition, refer to a human underwriter, or decline — with its reason in
 * Chinese and English. The rules themselves are data
 * (data/underwriting/rules.json, loaded by app/uw_data.c); this file only
 * evaluates them. The outcome is the strictest decision of the rules that
 * hold (decline > refer > condition > accept), and every rule that held is
 * listed, so an applicant sees all the reasons at once.
 *
 * Pure: core/ (questionnaire, error), libc. No I/O, no allocation, no globals.
 */
#ifndef CY_CORE_UWRULES_H
#define CY_CORE_UWRULES_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/questionnaire.h"

#define UWR_MAX_RULES  48
#define UWR_MAX_VALUES 8

typedef enum { UWR_ACCEPT = 0, UWR_CONDITION, UWR_REFER, UWR_DECLINE } uwr_decision_t;

typedef enum {
    UWR_ANSWER_IN,          /* question's answer code is one of values ("unanswered" too) */
    UWR_ANSWER_BELOW,       /* a number question answered below number */
    UWR_ANSWER_ABOVE,       /* a number question answered above number */
    UWR_KEV_INTERNET_OLDER, /* a KEV finding on an internet-facing asset first seen > days ago */
    UWR_FINDING_SEVERE,     /* a finding with CVSS ≥ number and EPSS ≥ number2 */
    UWR_SCORE_BELOW,        /* assessment score below number */
    UWR_GRADE_IN,           /* grade one of values ("A".."E") */
    UWR_MLPS_CONCLUSION_IN, /* 测评 conclusion one of values ("none" when not given) */
    UWR_LIMIT_ABOVE,        /* aggregate limit above amount (fen) */
    UWR_LIMIT_TO_REVENUE_ABOVE, /* aggregate limit / annual revenue above number */
    UWR_REVENUE_ABOVE,          /* annual revenue above amount (fen) */
    UWR_SECTION_IN,             /* GB/T 4754 section one of values */
    UWR_NO_ASSESSMENT,          /* no submitted assessment behind the application */
    UWR_ASSESSMENT_OLDER,       /* the assessment was submitted more than days ago */
    UWR_KIND_COUNT
} uwr_kind_t;

typedef struct {
    char id[48];
    uwr_decision_t decision;
    uwr_kind_t kind;
    int question; /* ANSWER_*: index into the questionnaire */
    char values[UWR_MAX_VALUES][QN_CODE_CAP];
    size_t n_values;
    double number, number2;
    int64_t amount; /* fen */
    int days;
    char reason_zh[384], reason_en[512];
    char condition_zh[384], condition_en[512]; /* CONDITION: what the insured must do */
    int due_days;                              /* CONDITION: within how many days */
} uwr_rule_t;

typedef struct {
    char version[64];
    char source[1024];
    uwr_rule_t rules[UWR_MAX_RULES];
    size_t n_rules;
} uwr_set_t;

/* What an application is judged on. */
typedef struct {
    const qn_t *qn; /* for answer rules */
    const qn_profile_t *profile;
    const qn_answer_t *answers; /* NULL: no assessment */
    int has_assessment;
    int64_t assessed_at; /* UTC seconds the assessment was submitted */
    double score;
    char grade;
    const char *mlps_conclusion; /* code, or NULL / "" when none */
    const qn_finding_t *findings;
    size_t n_findings;
    int64_t revenue; /* fen a year */
    int64_t limit;   /* aggregate limit, fen */
    char section;    /* 'A'..'T' */
    int64_t now;     /* UTC seconds */
} uwr_facts_t;

typedef struct {
    uwr_decision_t decision;
    size_t hits[UWR_MAX_RULES]; /* indices of the rules that held, in file order */
    size_t n_hits;
} uwr_outcome_t;

/* "accept", "condition", "refer", "decline"; and back (-1 unknown). */
const char *uwr_decision_name(uwr_decision_t d);
int uwr_decision_parse(const char *s, uwr_decision_t *out);

/* The kinds' names as in rules.json ("kev_internet_older_than_days"); and back (-1 unknown). */
const char *uwr_kind_name(uwr_kind_t k);
int uwr_kind_parse(const char *s, uwr_kind_t *out);

/* uwr_rule_holds: 1 when rule r holds for facts f. */
int uwr_rule_holds(const uwr_rule_t *r, const uwr_facts_t *f);

/* uwr_evaluate runs every rule of set over f into out. */
void uwr_evaluate(const uwr_set_t *set, const uwr_facts_t *f, uwr_outcome_t *out);

#endif
