/*
 * test_round.c — the pure rules of the pilot programme: core/round (deadlines
 * on receipt time, province overrides, extensions, the notice's limits and
 * the validation of a round), core/routing (city → province → ministry, a
 * 计划单列市 and a 直辖市 straight to the ministry, 省直辖县 to the province,
 * copies of a 基础电信企业's plan), core/review (weighted totals, means,
 * conflict of interest) and core/pilot_authz.
 *
 * The rounds here are built in C with made-up dates and limits, so nothing
 * passes because a 2024 number happens to be right. Test code: cmocka only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <string.h>

#include "core/bjtime.h"
#include "core/authz.h"
#include "core/review.h"
#include "core/round.h"
#include "core/routing.h"

/* A round of 2037 with limits unlike the notice's. */
static void
make_round(round_t *r)
{
    memset(r, 0, sizeof *r);
    strcpy(r->id, "2037");
    round_date_set(&r->deadlines[ROUND_DL_SCHEME_AT_MINISTRY], 2037, 2, 3);
    round_date_set(&r->deadlines[ROUND_DL_PACKAGE_AT_PROVINCE], 2037, 4, 20);
    round_date_set(&r->deadlines[ROUND_DL_PLAN_AT_MINISTRY], 2037, 4, 30);
    round_date_set(&r->deadlines[ROUND_DL_CITY_SUMMARY_AT_PROVINCE], 2037, 12, 1);
    round_date_set(&r->deadlines[ROUND_DL_SUMMARY_AT_MINISTRY], 2037, 12, 15);
    r->limits = (round_limits_t){.joint_units_max = 3,
                                 .schemes_per_lead_max = 2,
                                 .licensed_insurers_min = 2,
                                 .unit_intro_zishu_max = 50,
                                 .overview_zishu_max = 60,
                                 .scheme_body_zishu_min = 700,
                                 .plan_body_zishu_min = 300,
                                 .attached_scheme_zishu_min = 200,
                                 .cases_min = 2,
                                 .cases_max = 4};
    r->n_provinces = 1;
    strcpy(r->provinces[0].code, "320000");
    round_date_set(&r->provinces[0].deadlines[ROUND_DL_PACKAGE_AT_PROVINCE], 2037, 4, 10);
    r->n_periods = 2;
    strcpy(r->periods[0].period, "2037H1");
    round_date_set(&r->periods[0].from, 2037, 1, 1);
    round_date_set(&r->periods[0].to, 2037, 6, 30);
    round_date_set(&r->periods[0].due, 2037, 7, 15);
    strcpy(r->periods[1].period, "2037H2");
    round_date_set(&r->periods[1].from, 2037, 7, 1);
    round_date_set(&r->periods[1].to, 2037, 12, 31);
    round_date_set(&r->periods[1].due, 2038, 1, 15);
}

static int64_t
bj(const char *s)
{
    int64_t t = 0;
    assert_int_equal(bjtime_parse(s, &t, NULL), CY_OK);
    return t;
}

CY_TEST(test_round_deadline_is_end_of_day_beijing)
{
    (void)state;
    round_t r;
    make_round(&r);
    int64_t at = 0;
    assert_int_equal(round_deadline_at(&r, ROUND_DL_SCHEME_AT_MINISTRY, NULL, &at), 1);
    assert_true(at == bj("2037-02-03 23:59:59"));
    /* a null deadline is no deadline */
    assert_int_equal(round_deadline_at(&r, ROUND_DL_PLAN_AT_CITY, "320000", &at), 0);
}

CY_TEST(test_round_province_override_applies_to_its_own_receipts_only)
{
    (void)state;
    round_t r;
    make_round(&r);
    int64_t at = 0;
    assert_int_equal(round_deadline_at(&r, ROUND_DL_PACKAGE_AT_PROVINCE, "320000", &at), 1);
    assert_true(at == bj("2037-04-10 23:59:59"));
    assert_int_equal(round_deadline_at(&r, ROUND_DL_PACKAGE_AT_PROVINCE, "440000", &at), 1);
    assert_true(at == bj("2037-04-20 23:59:59"));
    assert_int_equal(round_deadline_at(&r, ROUND_DL_PACKAGE_AT_PROVINCE, NULL, &at), 1);
    assert_true(at == bj("2037-04-20 23:59:59"));
}

CY_TEST(test_round_receipt_on_the_last_second_is_on_time)
{
    (void)state;
    round_t r;
    make_round(&r);
    cy_error_t err;
    assert_int_equal(round_check_receipt(&r, ROUND_DL_SCHEME_AT_MINISTRY, NULL,
                                         bj("2037-02-03 23:59:59"), 0, "工业和信息化部", &err),
                     CY_OK);
}

CY_TEST(test_round_late_receipt_is_refused_naming_deadline_and_receipt)
{
    (void)state;
    round_t r;
    make_round(&r);
    cy_error_t err;
    assert_int_equal(round_check_receipt(&r, ROUND_DL_PACKAGE_AT_PROVINCE, "320000",
                                         bj("2037-04-11 00:00:00"), 0, "江苏省工业和信息化厅",
                                         &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "deadline_passed");
    assert_string_equal(err.field, "received_at");
    assert_string_equal(err.message,
                        "逾期不予受理：地市申报材料报送省工业和信息化厅的截止时间为 2037-04-10 "
                        "23:59:59（北京时间，以送达时间为准），送达江苏省工业和信息化厅的时间为 "
                        "2037-04-11 00:00:00 / refused as late: city packages at the province "
                        "closed at 2037-04-10 23:59:59 Beijing time (judged on receipt); received "
                        "by 江苏省工业和信息化厅 at 2037-04-11 00:00:00");
}

CY_TEST(test_round_extension_moves_the_deadline_later_only)
{
    (void)state;
    round_t r;
    make_round(&r);
    cy_error_t err;
    int64_t ext = bj("2037-02-06 23:59:59");
    assert_int_equal(round_check_receipt(&r, ROUND_DL_SCHEME_AT_MINISTRY, NULL,
                                         bj("2037-02-05 10:00:00"), ext, "部", &err),
                     CY_OK);
    assert_int_equal(round_check_receipt(&r, ROUND_DL_SCHEME_AT_MINISTRY, NULL,
                                         bj("2037-02-07 00:00:00"), ext, "部", &err),
                     CY_EINVAL);
    assert_non_null(strstr(err.message, "部同意延期至 2037-02-06 23:59:59"));
    /* an "extension" before the deadline does not bring it forward */
    assert_int_equal(round_check_receipt(&r, ROUND_DL_SCHEME_AT_MINISTRY, NULL,
                                         bj("2037-02-03 12:00:00"), bj("2037-01-01"), "部", &err),
                     CY_OK);
}

CY_TEST(test_round_joint_units_refused_over_the_limit)
{
    (void)state;
    round_t r;
    make_round(&r);
    cy_error_t err;
    assert_int_equal(round_check_joint_units(&r.limits, 3, "joint_units", 0, &err), CY_OK);
    assert_int_equal(round_check_joint_units(&r.limits, 4, "joint_units", 0, &err), CY_EINVAL);
    assert_string_equal(err.code, "joint_units_too_many");
    assert_string_equal(err.field, "joint_units");
    assert_string_equal(err.message,
                        "联合申报单位不超过3家（当前4家） / at most 3 joint units (4 given)");
}

CY_TEST(test_round_lead_schemes_insurers_and_cases)
{
    (void)state;
    round_t r;
    make_round(&r);
    cy_error_t err;
    assert_int_equal(round_check_lead_schemes(&r.limits, 1, 0, &err), CY_OK);
    assert_int_equal(round_check_lead_schemes(&r.limits, 2, 0, &err), CY_EINVAL);
    assert_string_equal(err.code, "schemes_per_lead");
    assert_string_equal(err.field, "lead");
    assert_int_equal(round_check_insurers(&r.limits, 2, &err), CY_OK);
    assert_int_equal(round_check_insurers(&r.limits, 1, &err), CY_EINVAL);
    assert_string_equal(err.code, "insurer_required");
    assert_int_equal(round_check_cases(&r.limits, 1, "body.cases", 0, &err), CY_EINVAL);
    assert_string_equal(err.message, "已有基础应列举2–4个真实案例（当前1个） / list 2 to 4 real "
                                     "cases (1 given)");
    assert_int_equal(round_check_cases(&r.limits, 2, "body.cases", 0, &err), CY_OK);
    assert_int_equal(round_check_cases(&r.limits, 4, "body.cases", 0, &err), CY_OK);
    assert_int_equal(round_check_cases(&r.limits, 5, "body.cases", 0, &err), CY_EINVAL);
}

CY_TEST(test_round_zishu_limits_at_the_boundary)
{
    (void)state;
    cy_error_t err;
    assert_int_equal(round_check_zishu_min(5000, 5000, "body", "服务方案", "body", &err), CY_OK);
    assert_int_equal(round_check_zishu_min(5000, 4999, "body", "服务方案", "body", &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "zishu_too_few");
    assert_string_equal(err.field, "body");
    assert_string_equal(err.message,
                        "服务方案不少于5000字（当前4999字） / body: at least 5000 字 (4999 given)");
    assert_int_equal(round_check_zishu_max(400, 400, "overview", "方案概述", "overview", &err),
                     CY_OK);
    assert_int_equal(round_check_zishu_max(400, 401, "overview", "方案概述", "overview", &err),
                     CY_EINVAL);
    assert_string_equal(err.message,
                        "方案概述不超过400字（当前401字） / overview: at most 400 字 (401 given)");
}

CY_TEST(test_round_validate_accepts_a_good_round_and_names_bad_keys)
{
    (void)state;
    round_t r;
    cy_error_t err;
    make_round(&r);
    assert_int_equal(round_validate(&r, &err), CY_OK);

    make_round(&r);
    round_date_set(&r.deadlines[ROUND_DL_PLAN_AT_MINISTRY], 2037, 1, 1);
    assert_int_equal(round_validate(&r, &err), CY_EINVAL);
    assert_string_equal(err.field, "deadlines.plan_at_ministry");

    make_round(&r);
    round_date_set(&r.provinces[0].deadlines[ROUND_DL_PACKAGE_AT_PROVINCE], 2037, 5, 1);
    assert_int_equal(round_validate(&r, &err), CY_EINVAL);
    assert_string_equal(err.field, "provinces.320000.deadlines.package_at_province");

    make_round(&r);
    round_date_set(&r.provinces[0].deadlines[ROUND_DL_SCHEME_AT_MINISTRY], 2037, 1, 5);
    assert_int_equal(round_validate(&r, &err), CY_EINVAL);
    assert_string_equal(err.field, "provinces.320000.deadlines.scheme_at_ministry");

    make_round(&r);
    r.limits.cases_min = 5;
    assert_int_equal(round_validate(&r, &err), CY_EINVAL);
    assert_string_equal(err.field, "limits.cases_min");

    make_round(&r);
    r.limits.scheme_body_zishu_min = 0;
    assert_int_equal(round_validate(&r, &err), CY_EINVAL);
    assert_string_equal(err.field, "limits.scheme_body_zishu_min");

    make_round(&r);
    round_date_set(&r.periods[1].due, 2037, 12, 31);
    assert_int_equal(round_validate(&r, &err), CY_EINVAL);
    assert_string_equal(err.field, "progress_reports[1].due");

    make_round(&r);
    strcpy(r.periods[1].period, "2037H1");
    assert_int_equal(round_validate(&r, &err), CY_EINVAL);
    assert_string_equal(err.field, "progress_reports[1].period");
}

/* 原则上: past the limit a waiver is needed; with it, accepted; an unset limit is never checked. */
CY_TEST(test_round_limits_in_principle_and_per_annex)
{
    (void)state;
    round_t r;
    make_round(&r);
    cy_error_t err;
    r.limits.in_principle = 1u << ROUND_LIM_SCHEMES_PER_LEAD_MAX;
    assert_int_equal(round_check_lead_schemes(&r.limits, 1, 0, &err), CY_OK);
    assert_int_equal(round_check_lead_schemes(&r.limits, 2, 0, &err), CY_EINVAL);
    assert_string_equal(err.code, "waiver_required");
    assert_string_equal(err.field, "lead");
    assert_int_equal(round_check_lead_schemes(&r.limits, 2, 1, &err), CY_OK);
    assert_int_equal(
        round_limit_exceeded_in_principle(&r.limits, ROUND_LIM_SCHEMES_PER_LEAD_MAX, 3), 1);
    assert_int_equal(
        round_limit_exceeded_in_principle(&r.limits, ROUND_LIM_SCHEMES_PER_LEAD_MAX, 2), 0);
    assert_int_equal(round_limit_exceeded_in_principle(&r.limits, ROUND_LIM_JOINT_UNITS_MAX, 9), 0);

    /* the round-wide joint units unset, Annex 1's own 3: only Annex 1 is limited */
    r.limits.joint_units_max = ROUND_UNSET;
    r.annex[1].own.joint_units_max = 3;
    r.annex[1].own_given = 1u << ROUND_LIM_JOINT_UNITS_MAX;
    assert_int_equal(round_validate(&r, &err), CY_OK);
    round_resolve(&r);
    round_resolve(&r); /* idempotent */
    assert_int_equal(round_limits(&r, 1)->joint_units_max, 3);
    assert_int_equal(round_limits(&r, 4)->joint_units_max, ROUND_UNSET);
    assert_int_equal(round_limits(&r, 4)->cases_max, 4);
    assert_int_equal(round_check_joint_units(round_limits(&r, 4), 40, "joint_units", 0, &err),
                     CY_OK);
    assert_int_equal(round_check_joint_units(round_limits(&r, 1), 4, "joint_units", 0, &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "joint_units_too_many");

    /* only counts may be 原则上; an annex's own limits are validated like the round's */
    make_round(&r);
    r.limits.in_principle = 1u << ROUND_LIM_SCHEME_BODY_ZISHU_MIN;
    assert_int_equal(round_validate(&r, &err), CY_EINVAL);
    assert_string_equal(err.field, "limits.in_principle");
    make_round(&r);
    r.annex[3].own.cases_max = -5;
    r.annex[3].own_given = 1u << ROUND_LIM_CASES_MAX;
    assert_int_equal(round_validate(&r, &err), CY_EINVAL);
    assert_string_equal(err.field, "annexes.3.limits.cases_max");
}

/* A flagged deadline is of a copy or a summary unless the round says; optional keys may be absent.
 */
CY_TEST(test_round_late_policy_defaults_and_optional_deadlines)
{
    (void)state;
    assert_int_equal(round_late_default(ROUND_DL_COPY_AT_COMM_ADMIN), ROUND_LATE_FLAG);
    assert_int_equal(round_late_default(ROUND_DL_SUMMARY_AT_MINISTRY), ROUND_LATE_FLAG);
    assert_int_equal(round_late_default(ROUND_DL_PACKAGE_AT_PROVINCE), ROUND_LATE_REFUSE);
    assert_int_equal(round_late_default(ROUND_DL_RECOMMENDATION_AT_MINISTRY), ROUND_LATE_REFUSE);
    assert_int_equal(round_deadline_is_optional(ROUND_DL_RECOMMENDATION_AT_MINISTRY), 1);
    assert_int_equal(round_deadline_is_optional(ROUND_DL_PLAN_AT_CITY), 0);
    assert_int_equal(round_deadline_is_local(ROUND_DL_COPY_AT_COMM_ADMIN), 1);
    round_t r;
    make_round(&r);
    assert_int_equal(round_summary_route(&r, "320000"), ROUND_SUMMARY_DIRECT);
    r.provinces[0].summary_route = ROUND_SUMMARY_VIA_CITY;
    assert_int_equal(round_summary_route(&r, "320000"), ROUND_SUMMARY_VIA_CITY);
    assert_int_equal(round_summary_route(&r, "440000"), ROUND_SUMMARY_DIRECT);
    for (int k = 0; k < ROUND_LIM_COUNT; k++) {
        round_limit_t back;
        assert_int_equal(round_limit_parse(round_limit_key((round_limit_t)k), &back), 0);
        assert_int_equal(back, k);
    }
}

CY_TEST(test_round_deadline_keys_round_trip)
{
    (void)state;
    for (int k = 0; k < ROUND_DL_COUNT; k++) {
        round_deadline_t back;
        assert_int_equal(round_deadline_parse(round_deadline_key((round_deadline_t)k), &back), 0);
        assert_int_equal(back, k);
    }
    round_deadline_t x;
    assert_int_equal(round_deadline_parse("plan_at_moon", &x), -1);
    assert_int_equal(round_deadline_is_local(ROUND_DL_PACKAGE_AT_PROVINCE), 1);
    assert_int_equal(round_deadline_is_local(ROUND_DL_PLAN_AT_MINISTRY), 0);
}

/* ---- routing over a small region table ---------------------------------- */

static ref_region_t REGIONS[] = {
    {"110000", "北京市", 1, "", 0},       {"330000", "浙江省", 1, "", 0},
    {"330100", "杭州市", 2, "330000", 0}, {"330200", "宁波市", 2, "330000", 1},
    {"420000", "湖北省", 1, "", 0},       {"420100", "武汉市", 2, "420000", 0},
    {"440000", "广东省", 1, "", 0},       {"440100", "广州市", 2, "440000", 0},
    {"440300", "深圳市", 2, "440000", 1},
};

static ref_data_t
regions(void)
{
    ref_data_t d;
    memset(&d, 0, sizeof d);
    d.regions = REGIONS;
    d.n_regions = sizeof REGIONS / sizeof REGIONS[0];
    return d;
}

CY_TEST(test_routing_unit_goes_to_its_city_then_province_then_ministry)
{
    (void)state;
    ref_data_t d = regions();
    route_stop_t s[3];
    assert_int_equal(routing_path(&d, ROUTE_APPLICANT, "440104", s), 3);
    assert_int_equal(s[0].level, ROUTE_CITY);
    assert_string_equal(s[0].region, "440100");
    assert_int_equal(s[1].level, ROUTE_PROVINCE);
    assert_string_equal(s[1].region, "440000");
    assert_int_equal(s[2].level, ROUTE_MINISTRY);
    assert_string_equal(s[2].region, "");
}

CY_TEST(test_routing_plan_city_goes_straight_to_the_ministry)
{
    (void)state;
    ref_data_t d = regions();
    route_stop_t s[3];
    assert_int_equal(routing_path(&d, ROUTE_APPLICANT, "440305", s), 2);
    assert_int_equal(s[0].level, ROUTE_CITY);
    assert_string_equal(s[0].region, "440300");
    assert_int_equal(s[1].level, ROUTE_MINISTRY);
    assert_int_equal(routing_path(&d, ROUTE_CITY, "330200", s), 1);
    assert_int_equal(s[0].level, ROUTE_MINISTRY);
}

CY_TEST(test_routing_municipality_acts_as_its_own_city)
{
    (void)state;
    ref_data_t d = regions();
    route_stop_t s[3];
    assert_int_equal(routing_path(&d, ROUTE_APPLICANT, "110108", s), 2);
    assert_int_equal(s[0].level, ROUTE_CITY);
    assert_string_equal(s[0].region, "110000");
    assert_int_equal(s[1].level, ROUTE_MINISTRY);
}

CY_TEST(test_routing_unit_under_no_prefecture_goes_to_its_province)
{
    (void)state;
    ref_data_t d = regions();
    route_stop_t s[3];
    /* 429004 仙桃市: a 省直辖县级行政单位 */
    assert_int_equal(routing_path(&d, ROUTE_APPLICANT, "429004", s), 2);
    assert_int_equal(s[0].level, ROUTE_PROVINCE);
    assert_string_equal(s[0].region, "420000");
    assert_int_equal(s[1].level, ROUTE_MINISTRY);
}

CY_TEST(test_routing_refuses_unknown_region_and_the_end)
{
    (void)state;
    ref_data_t d = regions();
    route_stop_t s;
    cy_error_t err;
    assert_int_equal(routing_next(&d, ROUTE_APPLICANT, "990101", &s, &err), CY_EINVAL);
    assert_string_equal(err.code, "route_region_unknown");
    assert_int_equal(routing_next(&d, ROUTE_MINISTRY, "110000", &s, &err), CY_EINVAL);
    assert_string_equal(err.code, "route_end");
    route_stop_t p[3];
    assert_int_equal(routing_path(&d, ROUTE_APPLICANT, "12345", p), 0);
}

CY_TEST(test_routing_copies_telecom_operators_to_the_comm_admin)
{
    (void)state;
    ref_data_t d = regions();
    char prov[7];
    assert_int_equal(routing_copy_to_comm_admin(&d, 1, "440104", prov), 1);
    assert_string_equal(prov, "440000");
    assert_int_equal(routing_copy_to_comm_admin(&d, 0, "440104", prov), 0);
    assert_string_equal(prov, "");
    assert_int_equal(routing_deadline(ROUTE_CITY), ROUND_DL_PLAN_AT_CITY);
    assert_int_equal(routing_deadline(ROUTE_PROVINCE), ROUND_DL_PACKAGE_AT_PROVINCE);
    assert_int_equal(routing_deadline(ROUTE_MINISTRY), ROUND_DL_PLAN_AT_MINISTRY);
}

/* ---- review -------------------------------------------------------------- */

static void
make_criteria(review_criteria_t *c)
{
    memset(c, 0, sizeof *c);
    c->n = 3;
    c->min_reviews = 2;
    c->items[0] = (review_criterion_t){"a", "甲", "A", 10, 50};
    c->items[1] = (review_criterion_t){"b", "乙", "B", 3, 30};
    c->items[2] = (review_criterion_t){"c", "丙", "C", 7, 20};
}

CY_TEST(test_review_total_weights_each_criterion)
{
    (void)state;
    review_criteria_t c;
    make_criteria(&c);
    cy_error_t err;
    assert_int_equal(review_criteria_validate(&c, &err), CY_OK);
    int full[] = {10, 3, 7}, some[] = {7, 2, 5}, none[] = {0, 0, 0};
    int64_t t = 0;
    assert_int_equal(review_total(&c, full, &t, &err), CY_OK);
    assert_int_equal(t, 10000);
    /* 7/10×50 = 35.00, 2/3×30 = 20.00, 5/7×20 = 14.2857… → 14.29 */
    assert_int_equal(review_total(&c, some, &t, &err), CY_OK);
    assert_int_equal(t, 6929);
    assert_int_equal(review_total(&c, none, &t, &err), CY_OK);
    assert_int_equal(t, 0);
}

CY_TEST(test_review_total_refuses_a_score_out_of_range)
{
    (void)state;
    review_criteria_t c;
    make_criteria(&c);
    cy_error_t err;
    int bad[] = {10, 4, 7};
    int64_t t = 1;
    assert_int_equal(review_total(&c, bad, &t, &err), CY_EINVAL);
    assert_string_equal(err.code, "score_range");
    assert_string_equal(err.field, "scores.b");
    assert_int_equal(t, 0);
    int neg[] = {-1, 0, 0};
    assert_int_equal(review_total(&c, neg, &t, &err), CY_EINVAL);
    assert_string_equal(err.field, "scores.a");
}

CY_TEST(test_review_criteria_validate_names_the_problem)
{
    (void)state;
    review_criteria_t c;
    cy_error_t err;
    make_criteria(&c);
    c.items[2].weight = 21;
    assert_int_equal(review_criteria_validate(&c, &err), CY_EINVAL);
    assert_string_equal(err.field, "criteria");
    assert_non_null(strstr(err.message, "101"));
    make_criteria(&c);
    strcpy(c.items[1].code, "a");
    assert_int_equal(review_criteria_validate(&c, &err), CY_EINVAL);
    assert_string_equal(err.field, "criteria[1].code");
    make_criteria(&c);
    c.items[0].max_score = 0;
    assert_int_equal(review_criteria_validate(&c, &err), CY_EINVAL);
    assert_string_equal(err.field, "criteria[0].max_score");
    make_criteria(&c);
    c.min_reviews = 0;
    assert_int_equal(review_criteria_validate(&c, &err), CY_EINVAL);
    assert_string_equal(err.field, "min_reviews");
}

CY_TEST(test_review_mean_rounds_half_up_in_hundredths)
{
    (void)state;
    assert_int_equal(review_mean_x100(8100 + 7650, 2), 7875);
    assert_int_equal(review_mean_x100(1, 2), 1);  /* 0.005 → 0.01 */
    assert_int_equal(review_mean_x100(10, 3), 3); /* 0.0333 → 0.03 */
    assert_int_equal(review_mean_x100(100, 0), 0);
}

CY_TEST(test_review_conflict_of_interest_refuses_an_applicant_units_expert)
{
    (void)state;
    const char *usccs[] = {"91440300862QA4XF61", "12110000563425475N"};
    const char *names[] = {"南方示范财产保险", "示范网络安全研究院"};
    cy_error_t err;
    assert_int_equal(review_conflict("12110000563425475N", usccs, names, 2, &err), CY_EINVAL);
    assert_string_equal(err.code, "conflict_of_interest");
    assert_string_equal(err.field, "user_id");
    assert_non_null(strstr(err.message, "示范网络安全研究院"));
    assert_int_equal(review_conflict("91330100716105852F", usccs, names, 2, &err), CY_OK);
}

CY_TEST(test_pilot_authz_table)
{
    (void)state;
    assert_true(authz_allowed(ORG_INSURER, ROLE_MEMBER, ACT_SCHEME_WRITE));
    assert_false(authz_allowed(ORG_INSURER, ROLE_VIEWER, ACT_SCHEME_WRITE));
    assert_false(authz_allowed(ORG_ENTERPRISE, ROLE_ADMIN, ACT_SCHEME_WRITE));
    /* declarations are the unit's admin's */
    assert_true(authz_allowed(ORG_SERVICE_ORG, ROLE_ADMIN, ACT_UNIT_CONFIRM));
    assert_false(authz_allowed(ORG_SERVICE_ORG, ROLE_MEMBER, ACT_UNIT_CONFIRM));
    assert_true(authz_allowed(ORG_SUPPORT_CENTER, ROLE_MEMBER, ACT_REVIEW_ASSIGN));
    assert_false(authz_allowed(ORG_SUPPORT_CENTER, ROLE_ADMIN, ACT_CATALOGUE_PUBLISH));
    assert_true(authz_allowed(ORG_MINISTRY, ROLE_ADMIN, ACT_CATALOGUE_PUBLISH));
    assert_true(authz_allowed(ORG_CITY, ROLE_ADMIN, ACT_PLAN2_WRITE));
    assert_true(authz_allowed(ORG_ENTERPRISE, ROLE_ADMIN, ACT_PLAN4_WRITE));
    assert_false(authz_allowed(ORG_COMM_ADMIN, ROLE_ADMIN, ACT_PLAN_ROUTE));
    assert_true(authz_allowed(ORG_COMM_ADMIN, ROLE_ADMIN, ACT_TELECOM_FLAG));
    assert_false(authz_allowed(ORG_CITY, ROLE_VIEWER, ACT_PLAN_ROUTE));
    assert_string_equal(authz_action_name(ACT_PILOT_EXIT), "pilot.exit");
    assert_false(authz_allowed((org_type_t)99, ROLE_ADMIN, ACT_PILOT_EXIT));
}
