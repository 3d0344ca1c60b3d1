/*
 * stats.c — the use cases of the pilot's statistics: who may ask (the one
 * table, ACT_STATS_READ), the caller's scope and the filters inside it
 * (404 outside), the range, the count (query.c), the words of each key
 * and the buckets withheld from authorities (core/stats.h). Reads only:
 * no transaction, no audit entry. Depends on core/, store/; never http/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/stats/internal.h"
#include "core/bjtime.h"

const char *const stats_not_available[] = {"signals",
                                           "alerts",
                                           "tasks",
                                           "services_delivered",
                                           "claims_notified",
                                           "claims_paid",
                                           "claims_reserved",
                                           "time_to_settle",
                                           NULL};

const char *const stats_report_figure_names[STATS_REPORT_FIGURES] = {
    "insured_enterprises", "policies", "premium_fen", "sum_insured_fen",
    "assessments",         "alerts",   "incidents",   "claims_paid_fen"};

void
stats_result_free(stats_result_t *r)
{
    free(r->items);
    r->items = NULL;
    r->n_items = 0;
}

static cy_status_t
outside(cy_error_t *err, const char *field, const char *zh, const char *en, const char *value)
{
    return cy_error_set(err, CY_ENOTFOUND, "not_found", field,
                        "%s %s 不存在或不在您的统计范围内 / %s %s not found in your scope", zh,
                        value, en, value);
}

/* The caller's scope: everything, a region, or its own book. */
static cy_status_t
caller_scope(const actor_t *a, stats_scope_t *s, stats_result_t *out, cy_error_t *err)
{
    if (!authz_allowed(a->org_type, a->role, ACT_STATS_READ))
        return app_forbidden(err, ACT_STATS_READ);
    char prefix[7] = "";
    if (authz_sees_all(a->org_type)) {
        snprintf(out->scope, sizeof out->scope, "all");
    } else if (a->org_type == ORG_INSURER) {
        snprintf(out->scope, sizeof out->scope, "insurer");
        s->scope_insurer = a->org_id;
    } else if (authz_region_prefix(a->org_type, a->region, prefix)) {
        snprintf(out->scope, sizeof out->scope, "%s",
                 a->org_type == ORG_CITY ? "city" : "province");
        stats_prefix_range(prefix, s->scope_lo, s->scope_hi);
    } else {
        return app_forbidden(err, ACT_STATS_READ);
    }
    snprintf(out->scope_region, sizeof out->scope_region, "%s", prefix);
    out->suppression = a->org_type != ORG_INSURER;
    return CY_OK;
}

/* The region asked for: six digits, known, inside the caller's region. */
static cy_status_t
region_filter(const app_t *app, const char *code, const stats_result_t *out, stats_scope_t *s,
              cy_error_t *err)
{
    char prefix[7];
    if (code == NULL || code[0] == '\0')
        return CY_OK;
    if (stats_region_prefix(code, prefix) != 0)
        return cy_error_set(err, CY_EBADREQ, "region_invalid", "region",
                            "地区应为六位行政区划代码（GB/T 2260） / region must be a six-digit "
                            "GB/T 2260 code");
    if (ref_region_province_of(app_ref(app), code) == NULL ||
        strncmp(prefix, out->scope_region, strlen(out->scope_region)) != 0)
        return outside(err, "region", "地区", "region", code);
    stats_prefix_range(prefix, s->region_lo, s->region_hi);
    return CY_OK;
}

/*
 * An id filter: sql counts 1 when the record exists in the caller's scope ($1 the id; $2, $3
 * the caller's region codes when region is not NULL).
 */
static cy_status_t
id_filter(store_conn_t *c, const char *sql, int64_t id, const char *region, const char *field,
          const char *zh, const char *en, cy_error_t *err)
{
    char lo[8], hi[8], txt[24];
    int64_t found = 0;
    if (id == 0)
        return CY_OK;
    stats_prefix_range(region ? region : "", lo, hi);
    store_param_t p[] = {STORE_P_INT(id), STORE_P_TEXT(lo), STORE_P_TEXT(hi)};
    int row = 0;
    cy_status_t st = store_query_int(c, sql, p, region ? 3 : 1, &found, &row, err);
    snprintf(txt, sizeof txt, "%lld", (long long)id);
    if (st == CY_OK && (id < 0 || found != 1))
        st = outside(err, field, zh, en, txt);
    return st;
}

static cy_status_t
filters_in_scope(store_conn_t *c, const actor_t *a, const stats_query_in_t *in,
                 const stats_result_t *out, stats_scope_t *s, cy_error_t *err)
{
    /* a pilot is an authority's when its lead is of its province (a city sees what a
       provincial pilot wrote in the city) */
    char province[3];
    snprintf(province, sizeof province, "%.2s", out->scope_region);
    cy_status_t st = id_filter(c,
                               "SELECT COUNT(*) FROM pilot t JOIN organisation o ON o.id = "
                               "t.lead_org_id WHERE t.id = $1 AND o.region_code >= $2 AND "
                               "($2 = '' OR o.region_code < $3)",
                               in->pilot_id, province, "pilot_id", "试点", "pilot", err);
    if (st == CY_OK) /* the catalogue is public */
        st = id_filter(c,
                       "SELECT COUNT(*) FROM pilot_scheme WHERE id = $1 AND status = 'catalogued'",
                       in->scheme_id, NULL, "scheme_id", "目录服务方案", "catalogued scheme", err);
    if (st == CY_OK && a->org_type == ORG_INSURER && in->insurer_id != 0 &&
        in->insurer_id != a->org_id)
        st = outside(err, "insurer_id", "保险机构", "insurer", "");
    if (st == CY_OK)
        st = id_filter(c, "SELECT COUNT(*) FROM organisation WHERE id = $1 AND type = 'insurer'",
                       in->insurer_id, NULL, "insurer_id", "保险机构", "insurer", err);
    s->pilot_id = in->pilot_id;
    s->scheme_id = in->scheme_id;
    s->insurer_id = in->insurer_id;
    return st;
}

/* The range: the question's dates, or the year of now; in force counted at its close or now. */
static cy_status_t
range_of(int64_t now, const stats_query_in_t *in, stats_scope_t *s, stats_result_t *out,
         cy_error_t *err)
{
    char today[16], from[16], to[16];
    bjtime_format_date(now, today);
    snprintf(from, sizeof from, "%.4s-01-01", today);
    snprintf(to, sizeof to, "%.4s-12-31", today);
    const char *f = in->from ? in->from : from, *t = in->to ? in->to : to;
    int64_t start, end;
    cy_status_t st = stats_range(f, t, &start, &end, err);
    if (st != CY_OK)
        return st;
    snprintf(out->from, sizeof out->from, "%s", f);
    snprintf(out->to, sizeof out->to, "%s", t);
    utc_format_iso(start, s->start);
    utc_format_iso(end, s->end);
    utc_format_iso(end < now + 1 ? end : now + 1, s->at);
    snprintf(out->at, sizeof out->at, "%s", s->at);
    return CY_OK;
}

static void
label(stats_bucket_t *b, const char *zh, const char *en)
{
    snprintf(b->name_zh, sizeof b->name_zh, "%s", zh);
    snprintf(b->name_en, sizeof b->name_en, "%s", en);
}

/* The words of a key the store does not name (regions, sections, coverages, classes). */
static void
name_bucket(const app_t *app, stats_dim_t by, stats_bucket_t *b)
{
    const ref_data_t *ref = app_ref(app);
    const ref_region_t *rg = NULL;
    if (by == STATS_BY_PROVINCE)
        rg = ref_region_find(ref, b->key);
    else if (by == STATS_BY_CITY)
        rg = ref_region_city_of(ref, b->key);
    if (rg != NULL)
        label(b, rg->name, rg->name);
    const ref_industry_t *ind = by == STATS_BY_SECTION ? ref_industry_find(ref, b->key) : NULL;
    if (ind != NULL)
        label(b, ind->name, ind->name);
    const ref_coverage_t *cv = by == STATS_BY_COVERAGE ? ref_coverage_find(ref, b->key) : NULL;
    if (cv != NULL)
        label(b, cv->name_zh, cv->name_en);
    if (by == STATS_BY_PRODUCT_CLASS)
        label(b, strcmp(b->key, "enterprise") == 0 ? "企业类" : "产品服务类",
              strcmp(b->key, "enterprise") == 0 ? "enterprise" : "product or service");
    if ((by == STATS_BY_PILOT || by == STATS_BY_SCHEME) && b->key[0] == '\0')
        label(b, by == STATS_BY_PILOT ? "未归属试点" : "未归属服务方案",
              by == STATS_BY_PILOT ? "no pilot" : "no scheme");
    if (stats_dim_is_period(by))
        label(b, b->key, b->key);
}

/* Withhold a bucket of 1 or 2 enterprises (written or in force) from an authority. */
static void
suppress(const actor_t *a, stats_bucket_t *b)
{
    if (stats_suppressed(a->org_type, b->f.insured_enterprises) ||
        stats_suppressed(a->org_type, b->f.insured_in_force)) {
        b->suppressed = 1;
        memset(&b->f, 0, sizeof b->f);
    }
}

cy_status_t
app_stats_query(app_t *app, const actor_t *a, int64_t now, const stats_query_in_t *in,
                stats_result_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->by = in->by;
    stats_scope_t s = {.scope_insurer = 0};
    cy_status_t st = caller_scope(a, &s, out, err);
    if (st == CY_OK)
        st = range_of(now, in, &s, out, err);
    if (st == CY_OK)
        st = region_filter(app, in->region, out, &s, err);
    if (st != CY_OK)
        return st;
    store_conn_t *c;
    st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = filters_in_scope(c, a, in, out, &s, err);
    if (st == CY_OK)
        st = stats_count(c, &s, in->by, out, err);
    store_release(app->store, c);
    for (size_t i = 0; i < out->n_items && st == CY_OK; i++) {
        name_bucket(app, in->by, &out->items[i]);
        suppress(a, &out->items[i]);
    }
    label(&out->total, "合计", "total");
    suppress(a, &out->total);
    return st;
}

cy_status_t
stats_pilot_platform(store_conn_t *c, int64_t pilot_id, int64_t start, int64_t end,
                     stats_report_figures_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    stats_scope_t s = {.pilot_id = pilot_id};
    utc_format_iso(start, s.start);
    utc_format_iso(end, s.end);
    utc_format_iso(end, s.at);
    stats_result_t r = {.by = STATS_BY_NONE};
    cy_status_t st = stats_count(c, &s, STATS_BY_NONE, &r, err);
    const stats_figures_t *f = &r.total.f;
    int64_t v[] = {f->insured_enterprises, f->policies_written, f->written_premium,
                   f->aggregate_limit, f->assessments};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        out->value[i] = v[i];
        out->known[i] = 1;
    }
    stats_result_free(&r);
    return st;
}
