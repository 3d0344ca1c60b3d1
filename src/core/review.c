/*
 * review.c — scoring sheets and the conflict-of-interest rule. Weights and
 * maxima come from the caller's review_criteria_t (data/review/); nothing
 * here knows a criterion. Pure: libc and core/ only.
 */
#include "core/review.h"

#include <stdio.h>
#include <string.h>

static cy_status_t
invalid(cy_error_t *err, const char *field, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EINVAL, "criteria_invalid", field, "%s：%s / %s: %s", field, zh,
                        field, en);
}

cy_status_t
review_criteria_validate(const review_criteria_t *c, cy_error_t *err)
{
    char field[64];
    if (c->n == 0)
        return invalid(err, "criteria", "至少需要一项评分标准", "at least one criterion is needed");
    int sum = 0;
    for (size_t i = 0; i < c->n; i++) {
        const review_criterion_t *k = &c->items[i];
        if (k->code[0] == '\0') {
            snprintf(field, sizeof field, "criteria[%zu].code", i);
            return invalid(err, field, "缺少代码", "the criterion needs a code");
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(c->items[j].code, k->code) == 0) {
                snprintf(field, sizeof field, "criteria[%zu].code", i);
                return invalid(err, field, "代码重复", "the code is used twice");
            }
        }
        if (k->max_score < 1) {
            snprintf(field, sizeof field, "criteria[%zu].max_score", i);
            return invalid(err, field, "满分应为正整数", "max_score must be a positive integer");
        }
        if (k->weight < 1) {
            snprintf(field, sizeof field, "criteria[%zu].weight", i);
            return invalid(err, field, "权重应为正整数", "weight must be a positive integer");
        }
        sum += k->weight;
    }
    if (sum != 100) {
        char zh[96], en[96];
        snprintf(zh, sizeof zh, "权重之和应为100（当前%d）", sum);
        snprintf(en, sizeof en, "the weights must add up to 100 (they add up to %d)", sum);
        return invalid(err, "criteria", zh, en);
    }
    if (c->min_reviews < 1)
        return invalid(err, "min_reviews", "应为正整数", "must be a positive integer");
    return CY_OK;
}

int
review_criterion_index(const review_criteria_t *c, const char *code)
{
    for (size_t i = 0; code != NULL && i < c->n; i++)
        if (strcmp(c->items[i].code, code) == 0)
            return (int)i;
    return -1;
}

cy_status_t
review_total(const review_criteria_t *c, const int *scores, int64_t *total_x100, cy_error_t *err)
{
    int64_t sum = 0;
    *total_x100 = 0;
    for (size_t i = 0; i < c->n; i++) {
        const review_criterion_t *k = &c->items[i];
        if (scores[i] < 0 || scores[i] > k->max_score) {
            char field[64];
            snprintf(field, sizeof field, "scores.%s", k->code);
            return cy_error_set(err, CY_EINVAL, "score_range", field,
                                "“%s”的评分应为0–%d的整数（当前%d） / %s must be scored 0 to %d "
                                "(%d given)",
                                k->name_zh, k->max_score, scores[i], k->code, k->max_score,
                                scores[i]);
        }
        /* half up on a non-negative quotient: (2a + b) / 2b */
        int64_t num = (int64_t)scores[i] * k->weight * 100;
        sum += (2 * num + k->max_score) / (2 * (int64_t)k->max_score);
    }
    *total_x100 = sum;
    return CY_OK;
}

int64_t
review_mean_x100(int64_t sum_x100, int64_t n)
{
    if (n <= 0)
        return 0;
    return (2 * sum_x100 + n) / (2 * n);
}

cy_status_t
review_conflict(const char *expert_uscc, const char *const *unit_uscc,
                const char *const *unit_names, size_t n, cy_error_t *err)
{
    for (size_t i = 0; expert_uscc != NULL && i < n; i++) {
        if (unit_uscc[i] != NULL && strcmp(unit_uscc[i], expert_uscc) == 0) {
            const char *name = unit_names && unit_names[i] ? unit_names[i] : unit_uscc[i];
            return cy_error_set(err, CY_EINVAL, "conflict_of_interest", "user_id",
                                "利益冲突：该专家所在单位“%s”是本方案的申报单位，不得参与评审 / "
                                "conflict of interest: the expert's organisation \"%s\" is an "
                                "applicant unit of this scheme",
                                name, name);
        }
    }
    return CY_OK;
}
