/*
 * stats.h — the rules of the pilot's statistics (issue 13, docs/statistics.md):
 * the dimensions a figure is broken down by, the date range of a question,
 * the region a code stands for, and which buckets an authority may not see
 * (fewer than STATS_MIN_ENTERPRISES enterprises: no re-identification).
 * Pure: libc and core/ only; app/stats asks, the store counts.
 */
#ifndef CY_CORE_STATS_H
#define CY_CORE_STATS_H

#include <stdint.h>

#include "core/authz.h"
#include "core/error.h"

/* An aggregate of fewer enterprises than this is withheld from authorities. */
#define STATS_MIN_ENTERPRISES 3

typedef enum {
    STATS_BY_NONE,
    STATS_BY_PROVINCE,
    STATS_BY_CITY,
    STATS_BY_SECTION,
    STATS_BY_PRODUCT_CLASS,
    STATS_BY_COVERAGE,
    STATS_BY_INSURER,
    STATS_BY_PILOT,
    STATS_BY_SCHEME,
    STATS_BY_MONTH,
    STATS_BY_QUARTER,
    STATS_BY_YEAR,
    STATS_BY_COUNT
} stats_dim_t;

/* The dimension's name in the API ("city"), and its words. */
const char *stats_dim_name(stats_dim_t d);
const char *stats_dim_label_zh(stats_dim_t d);
const char *stats_dim_label_en(stats_dim_t d);
/* Parse a name; CY_EBADREQ naming field `by` and the names when unknown. */
cy_status_t stats_dim_parse(const char *s, stats_dim_t *out, cy_error_t *err);
/* 1 for month, quarter and year. */
int stats_dim_is_period(stats_dim_t d);

/*
 * stats_range turns Beijing dates from and to (YYYY-MM-DD, both inclusive)
 * into UTC instants [*start, *end): 00:00 Beijing of from, 00:00 Beijing of
 * the day after to. Refusals (CY_EBADREQ: a query parameter) name the field
 * (`from`, `to`): date_invalid, and range_invalid when to is before from.
 */
cy_status_t stats_range(const char *from, const char *to, int64_t *start, int64_t *end,
                        cy_error_t *err);

/*
 * stats_region_prefix writes the prefix of the region codes a GB/T 2260 code
 * stands for: a province "440000" → "44", a prefecture "440100" → "4401",
 * a county "440106" → "440106". Returns 0, or -1 when code is not six digits.
 */
int stats_region_prefix(const char *code, char out[7]);

/*
 * stats_suppressed is 1 when a viewer of type t may not see an aggregate of
 * `enterprises` insured enterprises: every authority (ministry, support
 * center, province, city, communications administration) below
 * STATS_MIN_ENTERPRISES but above 0. An insurer sees its own book whole.
 */
int stats_suppressed(org_type_t t, int64_t enterprises);

#endif
