/*
 * internal.h — private to src/app/stats/: the scope a question is counted
 * in, as the store sees it, and the one place the aggregate SQL lives
 * (query.c). Never included outside this folder.
 */
#ifndef CY_APP_STATS_INTERNAL_H
#define CY_APP_STATS_INTERNAL_H

#include "app/stats/stats.h"

/* What the SQL filters on: every text a parameter, every bound a column range. */
typedef struct {
    char start[32], end[32];         /* UTC ISO: written in [start, end) */
    char at[32];                     /* UTC ISO: in force just before this instant (the close) */
    char scope_lo[8], scope_hi[8];   /* the caller's region: lo <= region_code < hi; "" all */
    int64_t scope_insurer;           /* an insurer's own book; 0 otherwise */
    char region_lo[8], region_hi[8]; /* the region asked for; "" any */
    int64_t pilot_id, scheme_id, insurer_id;
} stats_scope_t;

/* lo and hi of the region codes starting with prefix ("44" → "44", "45"). */
void stats_prefix_range(const char *prefix, char lo[8], char hi[8]);

/*
 * stats_count fills out->items (by `by`, sorted by key, labels as the
 * store has them: insurer names, pilot codes, scheme names) and out->total
 * from every source: the policies written and the policies in force.
 */
cy_status_t stats_count(store_conn_t *c, const stats_scope_t *s, stats_dim_t by,
                        stats_result_t *out, cy_error_t *err);

#endif
