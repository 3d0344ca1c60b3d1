/*
 * routing.c — the next receiving level of a pilot plan (see routing.h). The
 * region table decides everything: whether a prefecture exists above a
 * code, whether a city is a 计划单列市, whether a province-level unit has
 * prefectures (a 直辖市 does not). Pure: libc and core/ref.h only.
 */
#include "core/routing.h"

#include <stdio.h>
#include <string.h>

const char *
routing_level_name(route_level_t l)
{
    switch (l) {
    case ROUTE_APPLICANT:
        return "applicant";
    case ROUTE_CITY:
        return "city";
    case ROUTE_PROVINCE:
        return "province";
    case ROUTE_MINISTRY:
        return "ministry";
    }
    return "?";
}

static void
stop_set(route_stop_t *s, route_level_t level, const char *region)
{
    s->level = level;
    snprintf(s->region, sizeof s->region, "%s", region ? region : "");
}

cy_status_t
routing_next(const ref_data_t *ref, route_level_t from, const char *region, route_stop_t *next,
             cy_error_t *err)
{
    stop_set(next, ROUTE_MINISTRY, "");
    if (from == ROUTE_MINISTRY)
        return cy_error_set(
            err, CY_EINVAL, "route_end", "region_code",
            "工业和信息化部是报送的最后一级 / the ministry is the end of the route");
    const ref_region_t *prov = ref_region_province_of(ref, region);
    if (prov == NULL)
        return cy_error_set(err, CY_EINVAL, "route_region_unknown", "region_code",
                            "未知的行政区划代码 %s，无法确定报送单位 / unknown region code %s: "
                            "cannot tell who receives",
                            region ? region : "", region ? region : "");
    if (from == ROUTE_PROVINCE)
        return CY_OK;
    if (from == ROUTE_CITY) {
        const ref_region_t *self = ref_region_find(ref, region);
        /* a 计划单列市 reports straight to the ministry, and so does a 直辖市 acting as a city */
        if ((self != NULL && self->plan_city) || (self != NULL && self->level == 1))
            return CY_OK;
        stop_set(next, ROUTE_PROVINCE, prov->code);
        return CY_OK;
    }
    const ref_region_t *city = ref_region_city_of(ref, region);
    if (city == NULL)
        stop_set(next, ROUTE_PROVINCE, prov->code); /* 省直辖县级单位, or the province's own code */
    else
        stop_set(next, ROUTE_CITY, city->code);
    return CY_OK;
}

size_t
routing_path(const ref_data_t *ref, route_level_t from, const char *region, route_stop_t out[3])
{
    size_t n = 0;
    route_level_t level = from;
    char at[7];
    snprintf(at, sizeof at, "%s", region ? region : "");
    while (n < 3 && level != ROUTE_MINISTRY) {
        if (routing_next(ref, level, at, &out[n], NULL) != CY_OK)
            return 0;
        level = out[n].level;
        snprintf(at, sizeof at, "%s", out[n].region);
        n++;
    }
    return n;
}

int
routing_copy_to_comm_admin(const ref_data_t *ref, int telecom, const char *region, char province[7])
{
    province[0] = '\0';
    if (!telecom)
        return 0;
    const ref_region_t *prov = ref_region_province_of(ref, region);
    if (prov == NULL)
        return 0;
    snprintf(province, 7, "%s", prov->code);
    return 1;
}

round_deadline_t
routing_deadline(route_level_t receiving)
{
    switch (receiving) {
    case ROUTE_CITY:
        return ROUND_DL_PLAN_AT_CITY;
    case ROUTE_PROVINCE:
        return ROUND_DL_PACKAGE_AT_PROVINCE;
    case ROUTE_APPLICANT:
    case ROUTE_MINISTRY:
        break;
    }
    return ROUND_DL_PLAN_AT_MINISTRY;
}
