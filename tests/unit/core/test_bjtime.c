/*
 * test_bjtime.c — unit tests of core/bjtime: parsing Beijing and ISO times,
 * display in Beijing time and UTC, the calendar across 1900–9999, and the
 * inclusive deadline rule.
 *
 * Test code: may use cmocka; must never depend on TZ, the clock or the network.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <stdio.h>
#include <string.h>

#include "core/bjtime.h"

/* 2024-01-28T09:30:00Z = 2024-01-28 17:30:00 Beijing */
#define T_0930Z INT64_C(1706434200)

static int64_t
parse_ok(const char *s)
{
    int64_t t = 12345;
    cy_error_t err;
    cy_error_clear(&err);
    if (bjtime_parse(s, &t, &err) != CY_OK)
        fail_msg("refused \"%s\": %s", s, err.message);
    assert_string_equal(err.code, "");
    return t;
}

static void
assert_parse_refused(const char *s, const char *code, const char *message)
{
    int64_t t = 12345;
    cy_error_t err;
    if (bjtime_parse(s, &t, &err) != CY_EINVAL)
        fail_msg("accepted \"%s\"", s != NULL ? s : "(null)");
    assert_int_equal(t, 0);
    if (strcmp(err.code, code) != 0)
        fail_msg("\"%s\" refused with %s, expected %s", s != NULL ? s : "(null)", err.code, code);
    if (message != NULL)
        assert_string_equal(err.message, message);
}

CY_TEST(test_bjtime_parse_date_is_beijing_midnight)
{
    (void)state;
    assert_int_equal(parse_ok("2024-01-28"), INT64_C(1706371200));
    assert_int_equal(parse_ok("1970-01-01"), -28800);
}

CY_TEST(test_bjtime_parse_time_without_offset_is_beijing)
{
    (void)state;
    assert_int_equal(parse_ok("2024-01-28 17:30"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28 17:30:00"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28T17:30"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28T17:30:00"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28 17:30:59"), T_0930Z + 59);
}

CY_TEST(test_bjtime_parse_iso_with_offsets)
{
    (void)state;
    assert_int_equal(parse_ok("2024-01-28T09:30:00Z"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28T09:30Z"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28t09:30:00z"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28 09:30:00Z"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28T17:30:00+08:00"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28T04:00:00-05:30"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-27T20:00:00-13:30"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28T09:30:00+00:00"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28T09:30:00-00:00"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28T23:29:00+14:00"), T_0930Z - 60);
    assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
}

CY_TEST(test_bjtime_parse_drops_fractions_of_a_second)
{
    (void)state;
    assert_int_equal(parse_ok("2024-01-28T09:30:00.000Z"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28T09:30:00.999Z"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28 17:30:00.5"), T_0930Z);
    assert_int_equal(parse_ok("2024-01-28T17:30:00.123456789+08:00"), T_0930Z);
}

CY_TEST(test_bjtime_parse_year_limits)
{
    (void)state;
    assert_int_equal(parse_ok("1900-01-01T00:00:00Z"), INT64_C(-2208988800));
    assert_int_equal(parse_ok("9999-12-31T23:59:59Z"), INT64_C(253402300799));
    assert_int_equal(parse_ok("9999-12-31 23:59:59"), INT64_C(253402300799) - 28800);
    assert_parse_refused("1899-12-31", "time_invalid",
                         "年份 1899 超出范围（应为 1900–9999） / year 1899 is outside 1900–9999");
    assert_parse_refused("0000-01-01", "time_invalid", NULL);
}

CY_TEST(test_bjtime_parse_accepts_leap_day_2024)
{
    (void)state;
    assert_int_equal(parse_ok("2024-02-29T00:00:00Z"), INT64_C(1709164800));
    assert_int_equal(parse_ok("2024-02-29"), INT64_C(1709164800) - 28800);
    assert_int_equal(parse_ok("2000-02-29"), INT64_C(951782400) - 28800);
}

CY_TEST(test_bjtime_parse_refuses_2023_02_29)
{
    (void)state;
    assert_parse_refused(
        "2023-02-29", "time_invalid",
        "2023 年 2 月没有 29 日（该月有 28 天） / 2023-02 has no day 29 (it has 28 "
        "days)");
    /* century years are leap only every 400 years */
    assert_parse_refused(
        "1900-02-29", "time_invalid",
        "1900 年 2 月没有 29 日（该月有 28 天） / 1900-02 has no day 29 (it has 28 "
        "days)");
    assert_parse_refused("2100-02-29 12:00", "time_invalid", NULL);
    assert_parse_refused(
        "2024-02-30", "time_invalid",
        "2024 年 2 月没有 30 日（该月有 29 天） / 2024-02 has no day 30 (it has 29 "
        "days)");
}

CY_TEST(test_bjtime_parse_refuses_day_outside_month)
{
    (void)state;
    assert_parse_refused(
        "2024-04-31", "time_invalid",
        "2024 年 4 月没有 31 日（该月有 30 天） / 2024-04 has no day 31 (it has 30 "
        "days)");
    assert_parse_refused("2024-01-00", "time_invalid",
                         "2024 年 1 月没有 0 日（该月有 31 天） / 2024-01 has no day 0 (it has 31 "
                         "days)");
    assert_parse_refused("2024-01-32", "time_invalid", NULL);
    assert_parse_refused("2024-06-31", "time_invalid", NULL);
    assert_parse_refused("2024-09-31", "time_invalid", NULL);
    assert_parse_refused("2024-11-31", "time_invalid", NULL);
    assert_int_equal(parse_ok("2024-12-31T00:00:00Z"), INT64_C(1735603200));
}

CY_TEST(test_bjtime_parse_refuses_month_out_of_range)
{
    (void)state;
    assert_parse_refused("2024-13-01", "time_invalid",
                         "月份 13 无效（应为 1–12） / month 13 is not 1–12");
    assert_parse_refused("2024-00-10", "time_invalid",
                         "月份 0 无效（应为 1–12） / month 0 is not 1–12");
}

CY_TEST(test_bjtime_parse_refuses_time_of_day_out_of_range)
{
    (void)state;
    assert_parse_refused("2024-01-28 24:00", "time_invalid",
                         "小时 24 无效（应为 0–23） / hour 24 is not 0–23");
    assert_parse_refused("2024-01-28 23:60", "time_invalid",
                         "分钟 60 无效（应为 0–59） / minute 60 is not 0–59");
    assert_parse_refused("2024-01-28 23:59:60", "time_invalid",
                         "秒 60 无效（应为 0–59） / second 60 is not 0–59");
    assert_parse_refused("2016-12-31T23:59:60Z", "time_invalid", NULL);
    assert_parse_refused("2024-01-28T99:00:00Z", "time_invalid", NULL);
}

CY_TEST(test_bjtime_parse_refuses_offset_out_of_range)
{
    (void)state;
    assert_parse_refused("2024-01-28T09:30:00+24:00", "time_invalid",
                         "时区偏移 +24:00 无效（小时应为 00–23，分钟应为 00–59） / "
                         "offset +24:00 is out of range (hours 00–23, minutes 00–59)");
    assert_parse_refused("2024-01-28T09:30:00-08:60", "time_invalid", NULL);
}

CY_TEST(test_bjtime_parse_refuses_garbage)
{
    (void)state;
    const char *garbage[] = {
        "",
        "abc",
        "2024/01/28",
        "2024-1-28",
        "24-01-28",
        "20240128",
        "+2024-01-28",
        " 2024-01-28",
        "2024-01-28 ",
        "2024-01-28T",
        "2024-01-28 17",
        "2024-01-28 17:3",
        "2024-01-28 1730",
        "2024-01-28 17:30:0",
        "2024-01-28 17:30:00 ",
        "2024-01-28Z",
        "2024-01-28+08:00",
        "2024-01-28T17:30:00+0800",
        "2024-01-28T17:30:00+08",
        "2024-01-28T17:30:00 +08:00",
        "2024-01-28T17:30:00ZZ",
        "2024-01-28T17:30:00.Z",
        "2024-01-28T17:30.5Z",
        "2024-01-28T17:30:00.1234567890Z",
        "2024-01-28T17:30:00UTC",
        "2024-01-28_17:30",
        "２０２４-01-28",
        "2024-01-28\n",
    };
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
        assert_parse_refused(garbage[i], "time_format", NULL);
    assert_parse_refused(NULL, "time_format",
                         "时间格式无效，应为 YYYY-MM-DD、YYYY-MM-DD HH:MM[:SS] 或带时区的 ISO 8601"
                         "（如 2024-01-28T09:30:00Z、2024-01-28T17:30:00+08:00） / not a time: "
                         "write YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or ISO 8601 with an offset (e.g. "
                         "2024-01-28T09:30:00Z, 2024-01-28T17:30:00+08:00)");
}

CY_TEST(test_bjtime_parse_allows_null_out_and_err)
{
    (void)state;
    assert_int_equal(bjtime_parse("2024-01-28", NULL, NULL), CY_OK);
    assert_int_equal(bjtime_parse("2023-02-29", NULL, NULL), CY_EINVAL);
}

CY_TEST(test_bjtime_format_shows_beijing_and_utc)
{
    (void)state;
    char buf[32], date[16];
    bjtime_format(T_0930Z, buf);
    assert_string_equal(buf, "2024-01-28 17:30:00");
    bjtime_format_date(T_0930Z, date);
    assert_string_equal(date, "2024-01-28");
    utc_format_iso(T_0930Z, buf);
    assert_string_equal(buf, "2024-01-28T09:30:00Z");
}

CY_TEST(test_bjtime_format_date_changes_at_beijing_midnight)
{
    (void)state;
    char date[16], buf[32];
    bjtime_format_date(INT64_C(1706371199), date);
    assert_string_equal(date, "2024-01-27");
    bjtime_format_date(INT64_C(1706371200), date);
    assert_string_equal(date, "2024-01-28");
    /* 16:00Z is already the next day in Beijing */
    bjtime_format(INT64_C(1706457600), buf);
    assert_string_equal(buf, "2024-01-29 00:00:00");
    utc_format_iso(INT64_C(1706457600), buf);
    assert_string_equal(buf, "2024-01-28T16:00:00Z");
}

CY_TEST(test_bjtime_format_before_epoch)
{
    (void)state;
    char buf[32];
    utc_format_iso(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    bjtime_format(-1, buf);
    assert_string_equal(buf, "1970-01-01 07:59:59");
    bjtime_format(INT64_C(-2208988800), buf);
    assert_string_equal(buf, "1900-01-01 08:00:00");
    utc_format_iso(INT64_C(-2208988800), buf);
    assert_string_equal(buf, "1900-01-01T00:00:00Z");
}

CY_TEST(test_bjtime_format_outside_years_0_to_9999_prints_zeros)
{
    (void)state;
    char buf[32], date[16];
    utc_format_iso(INT64_C(253402300799), buf);
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
    /* the same instant is already year 10000 in Beijing */
    bjtime_format(INT64_C(253402300799), buf);
    assert_string_equal(buf, "0000-00-00 00:00:00");
    bjtime_format(INT64_MAX, buf);
    assert_string_equal(buf, "0000-00-00 00:00:00");
    bjtime_format_date(INT64_MIN, date);
    assert_string_equal(date, "0000-00-00");
    utc_format_iso(INT64_MIN, buf);
    assert_string_equal(buf, "0000-00-00T00:00:00Z");
    utc_format_iso(INT64_MAX, buf);
    assert_string_equal(buf, "0000-00-00T00:00:00Z");
}

CY_TEST(test_bjtime_format_then_parse_round_trips)
{
    (void)state;
    /* a stride prime to 86400 reaches every second of the day over the range */
    for (int64_t t = INT64_C(-2208988800); t < INT64_C(253402271999); t += INT64_C(9999991)) {
        char buf[32];
        bjtime_format(t, buf);
        assert_int_equal(parse_ok(buf), t);
        utc_format_iso(t, buf);
        assert_int_equal(parse_ok(buf), t);
    }
}

static int
days_in(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

CY_TEST(test_bjtime_calendar_walks_every_day_1900_to_9999)
{
    (void)state;
    int y = 1900, m = 1, d = 1;
    int64_t t = parse_ok("1900-01-01 12:00");
    for (;;) {
        char date[16], want[40];
        bjtime_format_date(t, date);
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
        if (strcmp(date, want) != 0)
            fail_msg("utc %lld shows %s, expected %s", (long long)t, date, want);
        if (y == 9999 && m == 12 && d == 31)
            break;
        if (++d > days_in(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
        t += 86400;
    }
    assert_int_equal(t, parse_ok("9999-12-31 12:00"));
}

CY_TEST(test_bjtime_end_of_day_is_235959_beijing)
{
    (void)state;
    char buf[32];
    int64_t deadline = bjtime_end_of_day(2024, 1, 28);
    assert_int_equal(deadline, INT64_C(1706457599));
    assert_int_equal(deadline, parse_ok("2024-01-28T15:59:59Z"));
    utc_format_iso(deadline, buf);
    assert_string_equal(buf, "2024-01-28T15:59:59Z");
    bjtime_format(deadline, buf);
    assert_string_equal(buf, "2024-01-28 23:59:59");
    utc_format_iso(bjtime_end_of_day(2024, 2, 29), buf);
    assert_string_equal(buf, "2024-02-29T15:59:59Z");
    utc_format_iso(bjtime_end_of_day(2024, 12, 31), buf);
    assert_string_equal(buf, "2024-12-31T15:59:59Z");
    assert_int_equal(bjtime_end_of_day(2024, 3, 15), parse_ok("2024-03-15") + 86399);
}

CY_TEST(test_bjtime_receipt_on_deadline_second_is_on_time)
{
    (void)state;
    int64_t deadline = bjtime_end_of_day(2024, 1, 28);
    assert_int_equal(bjtime_is_late(parse_ok("2024-01-28T23:59:59+08:00"), deadline), 0);
    assert_int_equal(bjtime_is_late(parse_ok("2024-01-28T15:59:59Z"), deadline), 0);
    assert_int_equal(bjtime_is_late(parse_ok("2024-01-28 23:59:59.999"), deadline), 0);
    assert_int_equal(bjtime_is_late(parse_ok("2024-01-28 00:00"), deadline), 0);
    assert_int_equal(bjtime_is_late(parse_ok("2023-12-01"), deadline), 0);
}

CY_TEST(test_bjtime_receipt_after_deadline_is_late)
{
    (void)state;
    int64_t deadline = bjtime_end_of_day(2024, 1, 28);
    assert_int_equal(bjtime_is_late(parse_ok("2024-01-29T00:00:00+08:00"), deadline), 1);
    assert_int_equal(bjtime_is_late(parse_ok("2024-01-28T16:00:00Z"), deadline), 1);
    assert_int_equal(bjtime_is_late(parse_ok("2024-01-29"), deadline), 1);
    /* 2024-01-28 evening in New York is already the 29th in Beijing */
    assert_int_equal(bjtime_is_late(parse_ok("2024-01-28T12:00:00-05:00"), deadline), 1);
    assert_int_equal(bjtime_is_late(INT64_MAX, deadline), 1);
    assert_int_equal(bjtime_is_late(INT64_MIN, deadline), 0);
}
