/*
 * monscore.h — the continuous score of in-force monitoring (保中监测,
 * docs/monitoring.md): the latest submitted assessment's score less the
 * points of the open loss-prevention tasks (at most a ceiling), graded by
 * the questionnaire's thresholds and never better than the assessment's own
 * grade (its caps of critical answers hold). And the nearest code of a
 * list, to suggest one for an unknown vendor code. Pure: libc only.
 */
#ifndef CY_CORE_MONSCORE_H
#define CY_CORE_MONSCORE_H

#include <stddef.h>
#include <stdint.h>

#define MON_GRADES 5

/*
 * mon_score: base_h the assessment's score in hundredths (0–10000),
 * base_grade its grade 'A'..'E', penalty_points the sum of the open tasks'
 * points, max_penalty the ceiling on it, grade_min the least score of each
 * grade A..E (descending, E = 0). *score_h = max(0, base_h − 100 ×
 * min(penalty, max)); *grade the grade of *score_h, or base_grade when that
 * is worse.
 */
void mon_score(int64_t base_h, char base_grade, int64_t penalty_points, int64_t max_penalty,
               const double grade_min[MON_GRADES], int64_t *score_h, char *grade);

/* The Levenshtein distance of a and b (bytes), or SIZE_MAX for strings over 255 bytes. */
size_t mon_distance(const char *a, const char *b);

/* The index of the code of codes (n) nearest to word, or -1 when n is 0. */
int mon_nearest(const char *word, const char *const *codes, size_t n);

#endif
