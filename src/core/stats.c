/*
 * stats.c — dimensions, date ranges, region prefixes and the suppression
 * rule of the pilot's statistics. Pure: libc and core/ only.
 */
#include "core/stats.h"

#include <string.h>

#include "core/bjtime.h"

static const struct {
    const char *name, *zh, *en;
} DIMS[STATS_BY_COUNT] = {
    [STATS_BY_NONE] = {"none", "合计", "total"},
    [STATS_BY_PROVINCE] = {"province", "省份", "province"},
    [STATS_BY_CITY] = {"city", "地市", "city"},
    [STATS_BY_SECTION] = {"section", "行业门类", "industry section"},
    [STATS_BY_PRODUCT_CLASS] = {"product_class", "产品类别", "product class"},
    [STATS_BY_COVERAGE] = {"coverage", "保障责任", "coverage"},
    [STATS_BY_INSURER] = {"insurer", "保险机构", "insurer"},
    [STATS_BY_PILOT] = {"pilot", "试点项目", "pilot"},
    [STATS_BY_SCHEME] = {"scheme", "服务方案", "scheme"},
    [STATS_BY_MONTH] = {"month", "月份", "month"},
    [STATS_BY_QUARTER] = {"quarter", "季度", "quarter"},
    [STATS_BY_YEAR] = {"year", "年度", "year"},
};

const char *
stats_dim_name(stats_dim_t d)
{
    return d < STATS_BY_COUNT ? DIMS[d].name : "";
}

const char *
stats_dim_label_zh(stats_dim_t d)
{
    return d < STATS_BY_COUNT ? DIMS[d].zh : "";
}

const char *
stats_dim_label_en(stats_dim_t d)
{
    return d < STATS_BY_COUNT ? DIMS[d].en : "";
}

cy_status_t
stats_dim_parse(const char *s, stats_dim_t *out, cy_error_t *err)
{
    for (int d = 0; d < STATS_BY_COUNT && s != NULL; d++)
        if (strcmp(s, DIMS[d].name) == 0) {
            *out = (stats_dim_t)d;
            return CY_OK;
        }
    return cy_error_set(err, CY_EBADREQ, "by_invalid", "by",
                        "分组维度应为 none、province、city、section、product_class、coverage、"
                        "insurer、pilot、scheme、month、quarter、year 之一 / by must be one of "
                        "none, province, city, section, product_class, coverage, insurer, pilot, "
                        "scheme, month, quarter, year");
}

int
stats_dim_is_period(stats_dim_t d)
{
    return d == STATS_BY_MONTH || d == STATS_BY_QUARTER || d == STATS_BY_YEAR;
}

/* A Beijing date YYYY-MM-DD → the UTC instant of 00:00 Beijing that day. */
static cy_status_t
day_start(const char *s, const char *field, const char *zh, int64_t *at, cy_error_t *err)
{
    cy_error_t ignored;
    if (s == NULL || strlen(s) != 10 || bjtime_parse(s, at, &ignored) != CY_OK)
        return cy_error_set(err, CY_EBADREQ, "date_invalid", field,
                            "%s应为日期 YYYY-MM-DD（北京时间） / %s must be a date YYYY-MM-DD "
                            "(Beijing time)",
                            zh, field);
    return CY_OK;
}

cy_status_t
stats_range(const char *from, const char *to, int64_t *start, int64_t *end, cy_error_t *err)
{
    int64_t last = 0;
    cy_status_t st = day_start(from, "from", "起始日期", start, err);
    if (st == CY_OK)
        st = day_start(to, "to", "截止日期", &last, err);
    if (st == CY_OK && last < *start)
        st = cy_error_set(err, CY_EBADREQ, "range_invalid", "to",
                          "截止日期 %s 早于起始日期 %s / to %s is before from %s", to, from, to,
                          from);
    *end = last + 86400;
    return st;
}

int
stats_region_prefix(const char *code, char out[7])
{
    out[0] = '\0';
    if (code == NULL || strlen(code) != 6 || strspn(code, "0123456789") != 6)
        return -1;
    size_t n = strcmp(code + 2, "0000") == 0 ? 2 : strcmp(code + 4, "00") == 0 ? 4 : 6;
    memcpy(out, code, n);
    out[n] = '\0';
    return 0;
}

int
stats_suppressed(org_type_t t, int64_t enterprises)
{
    int authority = t == ORG_MINISTRY || t == ORG_SUPPORT_CENTER || t == ORG_PROVINCE ||
                    t == ORG_CITY || t == ORG_COMM_ADMIN;
    return authority && enterprises > 0 && enterprises < STATS_MIN_ENTERPRISES;
}
