/*
 * stats.h — what the pilot achieved, from the platform's own records
 * (issue 13, docs/statistics.md): counts and sums of the policies written
 * and in force by region, industry section, product class, coverage,
 * insurer, pilot, scheme and Beijing period, each figure counted by SQL in
 * the store, never by loading rows into C.
 *
 * Who sees what: the ministry and the support center everything; a province
 * (and its communications administration) its province, a city its city
 * (the insured's region at binding); an insurer its own book. A filter
 * outside one's scope answers 404. For every authority, a bucket of fewer
 * than STATS_MIN_ENTERPRISES insured enterprises is withheld (suppressed:
 * its figures are not given).
 *
 * Figures of claims and of monitoring (signals, alerts, tasks, services)
 * come from tables other capabilities own; a figure family plugs in as one
 * more source of stats/query.c (a SELECT grouped by the same key), and
 * until then each is listed in not_available.
 *
 * Depends on core/, store/; never on http/, cli/ or another capability's
 * internals. app/pilot calls stats_pilot_platform inside its own
 * transaction to keep the platform's figures beside a progress report's.
 */
#ifndef CY_APP_STATS_H
#define CY_APP_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"
#include "core/stats.h"

/* A question: one breakdown over a range of Beijing dates, with filters. */
typedef struct {
    stats_dim_t by;
    const char *from, *to; /* Beijing dates YYYY-MM-DD, inclusive; NULL: the year of now */
    const char *region;    /* NULL, or a GB/T 2260 code: 440000, 440100, 440106 */
    int64_t pilot_id;      /* 0: any (and policies of no pilot) */
    int64_t scheme_id;     /* 0: any */
    int64_t insurer_id;    /* 0: any; an insurer's own book regardless */
} stats_query_in_t;

enum { STATS_GRADES = 5 }; /* A–E */

/* The figures of one bucket. */
typedef struct {
    int64_t insured_enterprises;  /* distinct insureds of the policies written */
    int64_t policies_written;     /* bound in the range (period) */
    int64_t policies_in_force;    /* at the close of the range (period), or now */
    int64_t insured_in_force;     /* distinct insureds of the policies in force */
    int64_t written_premium;      /* fen: premium at binding + endorsements' pro-rata changes */
    int64_t aggregate_limit;      /* fen: limits (保额) as bound; a coverage's sublimits */
    int64_t assessments;          /* distinct risk assessments behind the policies written */
    int64_t grades[STATS_GRADES]; /* policies written by risk grade A–E */
} stats_figures_t;

typedef struct {
    char key[48];      /* "440100", "C", "2024Q2", an id; "" for no pilot or scheme */
    char name_zh[256]; /* the key in words */
    char name_en[256];
    int suppressed; /* 1: withheld from this viewer; figures are zero and not to be shown */
    stats_figures_t f;
} stats_bucket_t;

typedef struct {
    stats_dim_t by;
    char from[16], to[16]; /* the range answered */
    char at[32];           /* the instant in force is counted at (UTC ISO), without `by` period */
    char scope[16];        /* all, province, city, insurer */
    char scope_region[7];  /* the prefix of an authority's region; "" otherwise */
    int suppression;       /* 1: small buckets are withheld from this viewer */
    stats_bucket_t total;
    stats_bucket_t *items; /* by key */
    size_t n_items;
} stats_result_t;

/* The figure families that are not counted yet, NULL-terminated (their tables are not here). */
extern const char *const stats_not_available[];

/*
 * app_stats_query answers a question in the caller's scope. Refusals:
 * 403 who may not read statistics, 400 a malformed range or dimension
 * (stats_range, stats_dim_parse) or region code, 404 a region, pilot,
 * scheme or insurer outside the caller's scope. out->items is the caller's
 * to free with stats_result_free (also after a refusal).
 */
cy_status_t app_stats_query(app_t *app, const actor_t *a, int64_t now, const stats_query_in_t *in,
                            stats_result_t *out, cy_error_t *err);
void stats_result_free(stats_result_t *r);

/*
 * app_stats_xlsx writes r as an XLSX workbook into *body (malloc'd, the
 * caller frees) of *len bytes: a row per bucket and the total (a withheld
 * bucket's figures left empty and marked), and a sheet saying what was asked.
 */
cy_status_t app_stats_xlsx(const stats_result_t *r, char **body, size_t *len, cy_error_t *err);

/*
 * What a progress report's figures are, as the platform counts them, for
 * pilot pilot_id over [start, end) (UTC). known[i] is 0 for a figure the
 * platform keeps no record of yet (alerts, incidents, claims paid).
 */
enum { STATS_REPORT_FIGURES = 8 };
typedef struct {
    int64_t value[STATS_REPORT_FIGURES];
    int known[STATS_REPORT_FIGURES];
} stats_report_figures_t;

/* The figures' names, in the order of pilot_report's columns. */
extern const char *const stats_report_figure_names[STATS_REPORT_FIGURES];

/* Inside the caller's transaction c; no permission check (the caller made it). */
cy_status_t stats_pilot_platform(store_conn_t *c, int64_t pilot_id, int64_t start, int64_t end,
                                 stats_report_figures_t *out, cy_error_t *err);

#endif
