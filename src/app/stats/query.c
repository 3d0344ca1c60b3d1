/*
 * query.c — the aggregate SQL of the pilot's statistics: one SELECT per
 * source of figures, grouped by the dimension's key, every figure a COUNT
 * or SUM the store computes (indexes uw_policy_written, uw_policy_region,
 * uw_policy_pilot of migration 080). Beijing periods come from the
 * stats_period calendar, so UTC times group by Beijing month on both
 * backends with one portable join. Columns read by name.
 *
 * A new source (claims, monitoring) is one more function like
 * source_written: a SELECT with the same key, merged by merge_row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/stats/internal.h"

/* A statement being assembled: fixed fragments, and every value a numbered parameter. */
typedef struct {
    char sql[4096];
    size_t len;
    store_param_t p[24];
    int n;
} qb_t;

static void
qb(qb_t *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n < sizeof b->sql) {
        memcpy(b->sql + b->len, s, n + 1);
        b->len += n;
    }
}

static void
qb_param(qb_t *b, store_param_t p)
{
    char ph[16];
    if (b->n >= (int)(sizeof b->p / sizeof b->p[0]))
        return;
    b->p[b->n++] = p;
    snprintf(ph, sizeof ph, "$%d", b->n);
    qb(b, ph);
}

/* What a dimension groups by, its label in the store, and the join it needs. */
static const struct {
    const char *key, *label, *join;
} DIM_SQL[STATS_BY_COUNT] = {
    [STATS_BY_NONE] = {"''", "''", ""},
    [STATS_BY_PROVINCE] = {"substr(y.region_code, 1, 2) || '0000'", "''", ""},
    [STATS_BY_CITY] = {"substr(y.region_code, 1, 4) || '00'", "''", ""},
    [STATS_BY_SECTION] = {"y.industry_section", "''", ""},
    [STATS_BY_PRODUCT_CLASS] = {"p.class", "''", " JOIN uw_product p ON p.id = y.product_id"},
    [STATS_BY_COVERAGE] = {"c.coverage", "''", " JOIN uw_policy_coverage c ON c.policy_id = y.id"},
    [STATS_BY_INSURER] = {"CAST(y.insurer_org_id AS TEXT)", "o.name",
                          " JOIN organisation o ON o.id = y.insurer_org_id"},
    [STATS_BY_PILOT] = {"COALESCE(CAST(y.pilot_id AS TEXT), '')", "COALESCE(t.code, '')",
                        " LEFT JOIN pilot t ON t.id = y.pilot_id"},
    [STATS_BY_SCHEME] = {"COALESCE(CAST(y.scheme_id AS TEXT), '')", "COALESCE(s.name, '')",
                         " LEFT JOIN pilot_scheme s ON s.id = y.scheme_id"},
    [STATS_BY_MONTH] = {"m.period", "''", ""},
    [STATS_BY_QUARTER] = {"m.period", "''", ""},
    [STATS_BY_YEAR] = {"m.period", "''", ""},
};

void
stats_prefix_range(const char *prefix, char lo[8], char hi[8])
{
    snprintf(lo, 8, "%s", prefix);
    snprintf(hi, 8, "%s", prefix);
    size_t n = strlen(hi);
    if (n > 0)
        hi[n - 1]++; /* digits: '9' + 1 is ':', still above every code of the prefix */
}

static void
range(qb_t *b, const char *col, const char *lo, const char *hi)
{
    if (lo[0] == '\0')
        return;
    qb(b, " AND ");
    qb(b, col);
    qb(b, " >= ");
    qb_param(b, STORE_P_TEXT(lo));
    qb(b, " AND ");
    qb(b, col);
    qb(b, " < ");
    qb_param(b, STORE_P_TEXT(hi));
}

static void
equals(qb_t *b, const char *col, int64_t v)
{
    if (v <= 0)
        return;
    qb(b, " AND ");
    qb(b, col);
    qb(b, " = ");
    qb_param(b, STORE_P_INT(v));
}

/* The caller's scope and the question's filters. */
static void
filters(qb_t *b, const stats_scope_t *s)
{
    range(b, "y.region_code", s->scope_lo, s->scope_hi);
    equals(b, "y.insurer_org_id", s->scope_insurer);
    range(b, "y.region_code", s->region_lo, s->region_hi);
    equals(b, "y.pilot_id", s->pilot_id);
    equals(b, "y.scheme_id", s->scheme_id);
    equals(b, "y.insurer_org_id", s->insurer_id);
}

static void
select_key(qb_t *b, stats_dim_t by)
{
    qb(b, "SELECT ");
    qb(b, DIM_SQL[by].key);
    qb(b, " AS k, MIN(");
    qb(b, DIM_SQL[by].label);
    qb(b, ") AS label, ");
}

/* The total is one row of the whole selection (PostgreSQL refuses GROUP BY ''). */
static void
group_key(qb_t *b, stats_dim_t by)
{
    if (by == STATS_BY_NONE)
        return;
    qb(b, " GROUP BY ");
    qb(b, DIM_SQL[by].key);
}

static const char *const PERIOD_KIND[STATS_BY_COUNT] = {
    [STATS_BY_MONTH] = "month", [STATS_BY_QUARTER] = "quarter", [STATS_BY_YEAR] = "year"};

/* The policies written (bound) in the range, by key. */
static void
source_written(qb_t *b, const stats_scope_t *s, stats_dim_t by)
{
    select_key(b, by);
    qb(b, "COUNT(*) AS policies_written, COUNT(DISTINCT y.insured_org_id) AS insured_enterprises, "
          "SUM(");
    qb(b, by == STATS_BY_COVERAGE ? "c.sublimit" : "y.aggregate_limit");
    qb(b, ") AS aggregate_limit, SUM(y.written_premium + COALESCE(e.delta, 0)) AS "
          "written_premium, COUNT(DISTINCT q.assessment_id) AS assessments, "
          "SUM(CASE WHEN y.grade = 'A' THEN 1 ELSE 0 END) AS grade_a, "
          "SUM(CASE WHEN y.grade = 'B' THEN 1 ELSE 0 END) AS grade_b, "
          "SUM(CASE WHEN y.grade = 'C' THEN 1 ELSE 0 END) AS grade_c, "
          "SUM(CASE WHEN y.grade = 'D' THEN 1 ELSE 0 END) AS grade_d, "
          "SUM(CASE WHEN y.grade = 'E' THEN 1 ELSE 0 END) AS grade_e "
          "FROM uw_policy y JOIN uw_quote q ON q.id = y.quote_id LEFT JOIN (SELECT policy_id, "
          "SUM(premium_delta) AS delta FROM uw_endorsement GROUP BY policy_id) e ON e.policy_id "
          "= y.id");
    qb(b, DIM_SQL[by].join);
    if (stats_dim_is_period(by)) {
        /* the periods of the range first: each then finds its policies by uw_policy_written
           (without the bounds on m, SQLite walked every policy for every period) */
        qb(b, " JOIN stats_period m ON m.kind = ");
        qb_param(b, STORE_P_TEXT(PERIOD_KIND[by]));
        qb(b, " AND m.start_utc < ");
        qb_param(b, STORE_P_TEXT(s->end));
        qb(b, " AND m.end_utc > ");
        qb_param(b, STORE_P_TEXT(s->start));
        qb(b, " AND y.created_at >= m.start_utc AND y.created_at < m.end_utc");
    }
    qb(b, " WHERE y.created_at >= ");
    qb_param(b, STORE_P_TEXT(s->start));
    qb(b, " AND y.created_at < ");
    qb_param(b, STORE_P_TEXT(s->end));
    filters(b, s);
    group_key(b, by);
}

/* In force just before instant x: begun before it, not ended or cancelled by it. */
static void
in_force_at(qb_t *b, const char *x, const stats_scope_t *s)
{
    for (int i = 0; i < 3; i++) {
        static const char *const part[] = {"y.period_start < ", " AND y.period_end >= ",
                                           (" AND (y.cancel_effective IS NULL OR "
                                            "y.cancel_effective >= ")};
        qb(b, part[i]);
        if (x != NULL) {
            qb_param(b, STORE_P_TEXT(x));
        } else { /* a period: its close, or now while it runs */
            qb(b, "(CASE WHEN m.end_utc > ");
            qb_param(b, STORE_P_TEXT(s->at));
            qb(b, " THEN ");
            qb_param(b, STORE_P_TEXT(s->at));
            qb(b, " ELSE m.end_utc END)");
        }
    }
    qb(b, ")");
}

/* The policies in force at the close of the range (or of each period), by key. */
static void
source_in_force(qb_t *b, const stats_scope_t *s, stats_dim_t by)
{
    select_key(b, by);
    qb(b, "COUNT(*) AS policies_in_force, COUNT(DISTINCT y.insured_org_id) AS insured_in_force "
          "FROM uw_policy y");
    qb(b, DIM_SQL[by].join);
    int period = stats_dim_is_period(by);
    if (period) {
        qb(b, " JOIN stats_period m ON m.kind = ");
        qb_param(b, STORE_P_TEXT(PERIOD_KIND[by]));
        qb(b, " AND m.start_utc < ");
        qb_param(b, STORE_P_TEXT(s->end));
        qb(b, " AND m.end_utc > ");
        qb_param(b, STORE_P_TEXT(s->start));
    }
    qb(b, " WHERE ");
    in_force_at(b, period ? NULL : s->at, s);
    filters(b, s);
    group_key(b, by);
}

/* The bucket of key in out (added, sorted later, when new). */
static stats_bucket_t *
bucket_of(stats_result_t *out, const char *key, const char *label, cy_error_t *err)
{
    for (size_t i = 0; i < out->n_items; i++)
        if (strcmp(out->items[i].key, key) == 0)
            return &out->items[i];
    stats_bucket_t *grown = realloc(out->items, (out->n_items + 1) * sizeof *grown);
    if (grown == NULL) {
        cy_error_no_memory(err);
        return NULL;
    }
    out->items = grown;
    stats_bucket_t *bk = memset(&out->items[out->n_items++], 0, sizeof *bk);
    snprintf(bk->key, sizeof bk->key, "%s", key);
    snprintf(bk->name_zh, sizeof bk->name_zh, "%s", label ? label : "");
    snprintf(bk->name_en, sizeof bk->name_en, "%s", label ? label : "");
    return bk;
}

/* Add the row's figures (those the source has) to f. */
static void
merge_row(const store_rows_t *r, stats_figures_t *f)
{
    static const char *const grades[STATS_GRADES] = {"grade_a", "grade_b", "grade_c", "grade_d",
                                                     "grade_e"};
    if (store_rows_col(r, "policies_in_force") >= 0) {
        f->policies_in_force += store_row_int(r, "policies_in_force");
        f->insured_in_force += store_row_int(r, "insured_in_force");
        return;
    }
    f->policies_written += store_row_int(r, "policies_written");
    f->insured_enterprises += store_row_int(r, "insured_enterprises");
    f->aggregate_limit += store_row_int(r, "aggregate_limit");
    f->written_premium += store_row_int(r, "written_premium");
    f->assessments += store_row_int(r, "assessments");
    for (int g = 0; g < STATS_GRADES; g++)
        f->grades[g] += store_row_int(r, grades[g]);
}

typedef void (*source_fn)(qb_t *b, const stats_scope_t *s, stats_dim_t by);

static cy_status_t
run_source(store_conn_t *c, source_fn src, const stats_scope_t *s, stats_dim_t by,
           stats_result_t *out, int total, cy_error_t *err)
{
    qb_t b = {.len = 0};
    b.sql[0] = '\0';
    src(&b, s, total ? STATS_BY_NONE : by);
    store_rows_t *r;
    cy_status_t st = store_query(c, b.sql, b.p, b.n, &r, err);
    if (st != CY_OK)
        return st;
    int more;
    while ((more = store_rows_next(r, err)) == 1) {
        stats_bucket_t *bk =
            total ? &out->total
                  : bucket_of(out, store_row_text(r, "k"), store_row_text(r, "label"), err);
        if (bk == NULL)
            break;
        merge_row(r, &bk->f);
    }
    store_rows_free(r);
    return more == 0 ? CY_OK : err->status;
}

static int
by_key(const void *x, const void *y)
{
    return strcmp(((const stats_bucket_t *)x)->key, ((const stats_bucket_t *)y)->key);
}

cy_status_t
stats_count(store_conn_t *c, const stats_scope_t *s, stats_dim_t by, stats_result_t *out,
            cy_error_t *err)
{
    static const source_fn SOURCES[] = {source_written, source_in_force};
    cy_status_t st = CY_OK;
    for (size_t i = 0; i < sizeof SOURCES / sizeof SOURCES[0] && st == CY_OK; i++) {
        st = run_source(c, SOURCES[i], s, by, out, 1, err);
        if (st == CY_OK && by != STATS_BY_NONE)
            st = run_source(c, SOURCES[i], s, by, out, 0, err);
    }
    if (st == CY_OK && out->n_items > 1)
        qsort(out->items, out->n_items, sizeof *out->items, by_key);
    return st;
}
