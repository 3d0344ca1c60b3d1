/*
 * monscore.c — the continuous score and the nearest code (core/monscore.h).
 * Pure: libc only.
 */
#include "core/monscore.h"

#include <stdint.h>
#include <string.h>

void
mon_score(int64_t base_h, char base_grade, int64_t penalty_points, int64_t max_penalty,
          const double grade_min[MON_GRADES], int64_t *score_h, char *grade)
{
    int64_t p = penalty_points < 0 ? 0 : penalty_points;
    if (max_penalty >= 0 && p > max_penalty)
        p = max_penalty;
    int64_t s = base_h - 100 * p;
    if (s < 0)
        s = 0;
    if (s > 10000)
        s = 10000;
    char g = 'E';
    for (int i = 0; i < MON_GRADES; i++)
        if ((double)s >= grade_min[i] * 100.0 - 1e-9) {
            g = (char)('A' + i);
            break;
        }
    if (base_grade >= 'A' && base_grade <= 'E' && base_grade > g)
        g = base_grade;
    *score_h = s;
    *grade = g;
}

size_t
mon_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 255 || lb > 255)
        return SIZE_MAX;
    size_t row[256];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

int
mon_nearest(const char *word, const char *const *codes, size_t n)
{
    int best = -1;
    size_t d = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t k = mon_distance(word, codes[i]);
        if (best < 0 || k < d) {
            best = (int)i;
            d = k;
        }
    }
    return best;
}
