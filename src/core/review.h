/*
 * review.h — expert review of service schemes (notice §四(一) 经评审遴选):
 * the scoring criteria as a plain table (loaded from data/review/criteria.json
 * by app/), checking one expert's sheet, its weighted total, the mean over
 * experts, and the conflict-of-interest rule (an expert from an applicant
 * unit may not review that scheme).
 *
 * Totals are integers in hundredths of a point so that every server and
 * every language agrees to the last digit. Pure: libc and core/ only.
 */
#ifndef CY_CORE_REVIEW_H
#define CY_CORE_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define REVIEW_MAX_CRITERIA 16

typedef struct {
    char code[32];
    char name_zh[128], name_en[160];
    int max_score; /* an expert gives 0..max_score */
    int weight;    /* points of the 100 this criterion is worth */
} review_criterion_t;

typedef struct {
    review_criterion_t items[REVIEW_MAX_CRITERIA];
    size_t n;
    int min_reviews; /* submitted reviews a scheme needs before it may be listed */
    char source[1024];
    char version[64];
} review_criteria_t;

/*
 * review_criteria_validate: codes non-empty and unique, max_score ≥ 1,
 * weight ≥ 1, weights summing to 100, min_reviews ≥ 1. Refusal names the
 * field ("criteria[2].weight", "criteria", "min_reviews"); code
 * "criteria_invalid".
 */
cy_status_t review_criteria_validate(const review_criteria_t *c, cy_error_t *err);

/* The index of the criterion called code, or -1. */
int review_criterion_index(const review_criteria_t *c, const char *code);

/*
 * review_total checks an expert's scores (scores[i] for criterion i; every
 * criterion scored, 0..max_score) and writes the weighted total in
 * hundredths of a point: Σ round_half_up(score × weight × 100 / max_score).
 * Refusal: CY_EINVAL, code "score_range", field "scores.CODE".
 */
cy_status_t review_total(const review_criteria_t *c, const int *scores, int64_t *total_x100,
                         cy_error_t *err);

/* review_mean_x100: the mean of n values in hundredths, rounded half up; 0 when n is 0. */
int64_t review_mean_x100(int64_t sum_x100, int64_t n);

/*
 * review_conflict: an expert whose organisation's USCC is among the
 * applicant units' (n codes) may not review. Returns CY_OK when there is no
 * conflict, else CY_EINVAL with code "conflict_of_interest", field
 * "user_id", naming the unit.
 */
cy_status_t review_conflict(const char *expert_uscc, const char *const *unit_uscc,
                            const char *const *unit_names, size_t n, cy_error_t *err);

#endif
