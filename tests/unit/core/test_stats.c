/*
 * test_stats.c — unit tests of core/stats: dimensions, the date range of a
 * question (Beijing dates → UTC instants), region prefixes and the rule
 * that withholds small buckets from authorities.
 *
 * Test code: may use cmocka; must never depend on storage or the network.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <string.h>

#include "core/stats.h"

CY_TEST(test_dimensions_parse_by_name_and_refuse_others)
{
    (void)state;
    stats_dim_t d = STATS_BY_NONE;
    cy_error_t err;
    assert_int_equal(stats_dim_parse("quarter", &d, &err), CY_OK);
    assert_int_equal(d, STATS_BY_QUARTER);
    assert_true(stats_dim_is_period(d));
    assert_int_equal(stats_dim_parse("city", &d, &err), CY_OK);
    assert_false(stats_dim_is_period(d));
    assert_string_equal(stats_dim_name(STATS_BY_PRODUCT_CLASS), "product_class");
    assert_int_equal(stats_dim_parse("colour", &d, &err), CY_EBADREQ);
    assert_string_equal(err.code, "by_invalid");
    assert_string_equal(err.field, "by");
    assert_int_equal(stats_dim_parse(NULL, &d, &err), CY_EBADREQ);
    for (int i = 0; i < STATS_BY_COUNT; i++)
        assert_true(strlen(stats_dim_label_zh((stats_dim_t)i)) > 0);
}

CY_TEST(test_range_is_beijing_days_as_utc_instants)
{
    (void)state;
    int64_t start = 0, end = 0;
    cy_error_t err;
    assert_int_equal(stats_range("2024-04-01", "2024-06-30", &start, &end, &err), CY_OK);
    assert_int_equal(start, 1711900800); /* 2024-03-31T16:00:00Z */
    assert_int_equal(end, 1719763200);   /* 2024-06-30T16:00:00Z */
    assert_int_equal(stats_range("2024-02-29", "2024-02-29", &start, &end, &err), CY_OK);
    assert_int_equal(end - start, 86400);
}

CY_TEST(test_range_refuses_bad_dates_naming_the_parameter)
{
    (void)state;
    int64_t start, end;
    cy_error_t err;
    assert_int_equal(stats_range("2023-02-29", "2023-03-01", &start, &end, &err), CY_EBADREQ);
    assert_string_equal(err.code, "date_invalid");
    assert_string_equal(err.field, "from");
    assert_int_equal(stats_range("2024-01-01", "2024-01-01 10:00", &start, &end, &err), CY_EBADREQ);
    assert_string_equal(err.field, "to");
    assert_int_equal(stats_range("2024-05-01", "2024-04-30", &start, &end, &err), CY_EBADREQ);
    assert_string_equal(err.code, "range_invalid");
    assert_string_equal(err.field, "to");
    assert_int_equal(stats_range(NULL, "2024-04-30", &start, &end, &err), CY_EBADREQ);
}

CY_TEST(test_region_prefix_of_province_city_county)
{
    (void)state;
    char p[7];
    assert_int_equal(stats_region_prefix("440000", p), 0);
    assert_string_equal(p, "44");
    assert_int_equal(stats_region_prefix("440100", p), 0);
    assert_string_equal(p, "4401");
    assert_int_equal(stats_region_prefix("440106", p), 0);
    assert_string_equal(p, "440106");
    assert_int_equal(stats_region_prefix("44", p), -1);
    assert_int_equal(stats_region_prefix("44010x", p), -1);
    assert_int_equal(stats_region_prefix(NULL, p), -1);
}

CY_TEST(test_small_buckets_are_withheld_from_authorities_only)
{
    (void)state;
    const org_type_t authorities[] = {ORG_MINISTRY, ORG_SUPPORT_CENTER, ORG_PROVINCE, ORG_CITY,
                                      ORG_COMM_ADMIN};
    for (size_t i = 0; i < sizeof authorities / sizeof authorities[0]; i++) {
        assert_false(stats_suppressed(authorities[i], 0));
        assert_true(stats_suppressed(authorities[i], 1));
        assert_true(stats_suppressed(authorities[i], 2));
        assert_false(stats_suppressed(authorities[i], STATS_MIN_ENTERPRISES));
    }
    assert_false(stats_suppressed(ORG_INSURER, 1));
    assert_false(stats_suppressed(ORG_INSURER, 2));
}
