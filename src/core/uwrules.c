/*
 * uwrules.c — evaluating underwriting rules (see uwrules.h). Pure: core/,
 * libc; no I/O, no allocation, no globals.
 */
#include "core/uwrules.h"

#include <string.h>

static const char *const DECISIONS[] = {"accept", "condition", "refer", "decline"};

static const char *const KINDS[UWR_KIND_COUNT] = {
    "answer_in",      "answer_below",
    "answer_above",   "kev_internet_older_than_days",
    "finding_severe", "score_below",
    "grade_in",       "mlps_conclusion_in",
    "limit_above",    "limit_to_revenue_above",
    "revenue_above",  "industry_section_in",
    "no_assessment",  "assessment_older_than_days",
};

const char *
uwr_decision_name(uwr_decision_t d)
{
    return (unsigned)d <= UWR_DECLINE ? DECISIONS[d] : "?";
}

int
uwr_decision_parse(const char *s, uwr_decision_t *out)
{
    for (int i = 0; s != NULL && i <= UWR_DECLINE; i++) {
        if (strcmp(s, DECISIONS[i]) == 0) {
            *out = (uwr_decision_t)i;
            return 0;
        }
    }
    return -1;
}

const char *
uwr_kind_name(uwr_kind_t k)
{
    return (unsigned)k < UWR_KIND_COUNT ? KINDS[k] : "?";
}

int
uwr_kind_parse(const char *s, uwr_kind_t *out)
{
    for (int i = 0; s != NULL && i < UWR_KIND_COUNT; i++) {
        if (strcmp(s, KINDS[i]) == 0) {
            *out = (uwr_kind_t)i;
            return 0;
        }
    }
    return -1;
}

static int
value_in(const uwr_rule_t *r, const char *v)
{
    for (size_t i = 0; v != NULL && i < r->n_values; i++)
        if (strcmp(r->values[i], v) == 0)
            return 1;
    return 0;
}

int
uwr_rule_holds(const uwr_rule_t *r, const uwr_facts_t *f)
{
    switch (r->kind) {
    case UWR_ANSWER_IN:
    case UWR_ANSWER_BELOW:
    case UWR_ANSWER_ABOVE: {
        /* answer rules judge an assessment; without one the no_assessment rule speaks */
        if (!f->has_assessment || f->answers == NULL || f->qn == NULL || r->question < 0 ||
            !qn_applicable(f->qn, (size_t)r->question, f->profile))
            return 0;
        const qn_answer_t *a = &f->answers[r->question];
        if (r->kind == UWR_ANSWER_IN)
            return value_in(r, qn_answer_code(f->qn, (size_t)r->question, a));
        if (a->kind != QN_ANS_NUMBER)
            return 0;
        return r->kind == UWR_ANSWER_BELOW ? a->value < r->number : a->value > r->number;
    }
    case UWR_KEV_INTERNET_OLDER:
        for (size_t i = 0; i < f->n_findings; i++) {
            const qn_finding_t *x = &f->findings[i];
            if (x->kev && x->internet_facing && f->now - x->first_seen > (int64_t)r->days * 86400)
                return 1;
        }
        return 0;
    case UWR_FINDING_SEVERE:
        for (size_t i = 0; i < f->n_findings; i++)
            if (f->findings[i].cvss >= r->number && f->findings[i].epss >= r->number2)
                return 1;
        return 0;
    case UWR_SCORE_BELOW:
        return f->has_assessment && f->score < r->number;
    case UWR_GRADE_IN: {
        char g[2] = {f->grade, '\0'};
        return value_in(r, g);
    }
    case UWR_MLPS_CONCLUSION_IN:
        if (!f->has_assessment)
            return 0;
        return value_in(r, f->mlps_conclusion != NULL && f->mlps_conclusion[0] ? f->mlps_conclusion
                                                                               : "none");
    case UWR_LIMIT_ABOVE:
        return f->limit > r->amount;
    case UWR_LIMIT_TO_REVENUE_ABOVE:
        return f->revenue > 0 && (double)f->limit / (double)f->revenue > r->number;
    case UWR_REVENUE_ABOVE:
        return f->revenue > r->amount;
    case UWR_SECTION_IN: {
        char s[2] = {f->section, '\0'};
        return value_in(r, s);
    }
    case UWR_NO_ASSESSMENT:
        return !f->has_assessment;
    case UWR_ASSESSMENT_OLDER:
        return f->has_assessment && f->now - f->assessed_at > (int64_t)r->days * 86400;
    case UWR_KIND_COUNT:
        break;
    }
    return 0;
}

void
uwr_evaluate(const uwr_set_t *set, const uwr_facts_t *f, uwr_outcome_t *out)
{
    memset(out, 0, sizeof *out);
    out->decision = UWR_ACCEPT;
    for (size_t i = 0; i < set->n_rules && i < UWR_MAX_RULES; i++) {
        if (!uwr_rule_holds(&set->rules[i], f))
            continue;
        out->hits[out->n_hits++] = i;
        if (set->rules[i].decision > out->decision)
            out->decision = set->rules[i].decision;
    }
}
