/*
 * test_money.c — unit tests of core/money: parsing what users type, the
 * display format, checked arithmetic and the one rounding of a rate.
 *
 * Test code: may use cmocka; must never depend on storage or the network.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/money.h"

static int64_t
parse_ok(const char *s)
{
    int64_t fen = 12345;
    cy_error_t err;
    cy_error_clear(&err);
    assert_int_equal(money_parse(s, NULL, &fen, &err), CY_OK);
    assert_string_equal(err.code, "");
    return fen;
}

static void
assert_parse_refused(const char *s, const char *code)
{
    int64_t fen = 12345;
    cy_error_t err;
    assert_int_equal(money_parse(s, NULL, &fen, &err), CY_EINVAL);
    assert_int_equal(fen, 0);
    assert_string_equal(err.code, code);
    assert_string_equal(err.field, "amount");
}

static const char *
fmt(int64_t fen, char buf[MONEY_FORMAT_MAX])
{
    assert_true(money_format(fen, buf, MONEY_FORMAT_MAX) > 0);
    return buf;
}

CY_TEST(test_money_parse_plain_and_decimal_amounts)
{
    (void)state;
    assert_int_equal(parse_ok("0"), 0);
    assert_int_equal(parse_ok("1"), 100);
    assert_int_equal(parse_ok("1234.56"), 123456);
    assert_int_equal(parse_ok("1.5"), 150);
    assert_int_equal(parse_ok("1.05"), 105);
    assert_int_equal(parse_ok("0.01"), 1);
    assert_int_equal(parse_ok("007"), 700);
    assert_int_equal(parse_ok("100000000"), 10000000000);
}

CY_TEST(test_money_parse_thousands_groups)
{
    (void)state;
    assert_int_equal(parse_ok("1,234.56"), 123456);
    assert_int_equal(parse_ok("1,234,567"), 123456700);
    assert_int_equal(parse_ok("12,345,678.9"), 1234567890);
    assert_int_equal(parse_ok("999,999"), 99999900);
}

CY_TEST(test_money_parse_currency_signs_after_minus)
{
    (void)state;
    assert_int_equal(parse_ok("¥1,234.56"), 123456);
    assert_int_equal(parse_ok("￥1,234.56"), 123456);
    assert_int_equal(parse_ok("-¥0.05"), -5);
    assert_int_equal(parse_ok("-￥12"), -1200);
    assert_int_equal(parse_ok("-3.1"), -310);
    assert_int_equal(parse_ok("-0"), 0);
}

CY_TEST(test_money_parse_int64_limits)
{
    (void)state;
    assert_true(parse_ok("92233720368547758.07") == INT64_MAX);
    assert_true(parse_ok("¥92,233,720,368,547,758.07") == INT64_MAX);
    assert_true(parse_ok("-92233720368547758.08") == INT64_MIN);
    assert_true(parse_ok("-¥92,233,720,368,547,758.08") == INT64_MIN);
}

CY_TEST(test_money_parse_refuses_overflow)
{
    (void)state;
    assert_parse_refused("92233720368547758.08", "money_overflow");
    assert_parse_refused("92233720368547759", "money_overflow");
    assert_parse_refused("-92233720368547758.09", "money_overflow");
    assert_parse_refused("184467440737095516.16", "money_overflow");
    assert_parse_refused("99999999999999999999999999999", "money_overflow");
    cy_error_t err;
    int64_t fen;
    money_parse("92233720368547758.08", NULL, &fen, &err);
    assert_string_equal(
        err.message, "金额（amount）超出可表示的范围（绝对值不超过 92,233,720,368,547,758.07 元）"
                     " / amount: amount out of range (at most 92,233,720,368,547,758.07 yuan)");
}

CY_TEST(test_money_parse_refuses_empty)
{
    (void)state;
    assert_parse_refused("", "money_empty");
    assert_parse_refused(NULL, "money_empty");
}

CY_TEST(test_money_parse_refuses_three_decimals)
{
    (void)state;
    assert_parse_refused("1.234", "money_precision");
    assert_parse_refused("0.001", "money_precision");
    assert_parse_refused("-¥1,234.5678", "money_precision");
    assert_parse_refused("1,234.567", "money_precision");
    cy_error_t err;
    int64_t fen;
    money_parse("1.234", NULL, &fen, &err);
    assert_string_equal(err.message, "金额（amount）最多两位小数（精确到分），实际有 3 位 / "
                                     "amount: at most two decimal places (fen), found 3");
}

CY_TEST(test_money_parse_refuses_bad_grouping)
{
    (void)state;
    assert_parse_refused("1,23", "money_grouping");
    assert_parse_refused("1,2345", "money_grouping");
    assert_parse_refused("1234,567", "money_grouping");
    assert_parse_refused("1,,234", "money_grouping");
    assert_parse_refused("1,234,", "money_grouping");
    assert_parse_refused("12,34,567", "money_grouping");
    /* grouping is judged before precision: the first mistake in reading order */
    assert_parse_refused("1,23.456", "money_grouping");
}

CY_TEST(test_money_parse_refuses_junk)
{
    (void)state;
    const char *junk[] = {
        "-",        "¥",    "-¥", "abc", "1e5",    " 1",    "1 ",    "+1",
        "¥-1",      "--1",  "1-", "1.",  ".5",     "1.5.3", ",123",  "1.2x",
        "1,234.5x", "１２", "$1", "¥ 1", "1.5 元", "0x10",  "1_000", "1.-5",
    };
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        int64_t fen = 1;
        cy_error_t err;
        if (money_parse(junk[i], NULL, &fen, &err) != CY_EINVAL)
            fail_msg("accepted junk \"%s\"", junk[i]);
        if (strcmp(err.code, "money_syntax") != 0)
            fail_msg("\"%s\" refused with %s, expected money_syntax", junk[i], err.code);
        assert_int_equal(fen, 0);
    }
}

CY_TEST(test_money_parse_names_the_callers_field)
{
    (void)state;
    int64_t fen;
    cy_error_t err;
    assert_int_equal(money_parse("12.345", "premium", &fen, &err), CY_EINVAL);
    assert_string_equal(err.field, "premium");
    assert_string_equal(err.message, "金额（premium）最多两位小数（精确到分），实际有 3 位 / "
                                     "premium: at most two decimal places (fen), found 3");
    assert_int_equal(money_parse("x", "sum_insured", &fen, &err), CY_EINVAL);
    assert_string_equal(err.field, "sum_insured");
    assert_string_equal(err.message,
                        "金额（sum_insured）格式无效，应写作如 1234.56、1,234.56 或 ¥1,234.56 / "
                        "sum_insured: not an amount; write e.g. 1234.56, 1,234.56 or ¥1,234.56");
    assert_int_equal(money_parse("", "", &fen, &err), CY_EINVAL);
    assert_string_equal(err.field, "amount");
    assert_string_equal(err.message, "金额（amount）不能为空 / amount: amount is empty");
}

CY_TEST(test_money_format_examples)
{
    (void)state;
    char buf[MONEY_FORMAT_MAX];
    assert_string_equal(fmt(123456, buf), "¥1,234.56");
    assert_string_equal(fmt(-5, buf), "-¥0.05");
    assert_string_equal(fmt(0, buf), "¥0.00");
    assert_string_equal(fmt(1, buf), "¥0.01");
    assert_string_equal(fmt(-100, buf), "-¥1.00");
    assert_string_equal(fmt(99999, buf), "¥999.99");
    assert_string_equal(fmt(100000, buf), "¥1,000.00");
    assert_string_equal(fmt(10000000000, buf), "¥100,000,000.00");
    assert_string_equal(fmt(-123456789012, buf), "-¥1,234,567,890.12");
}

CY_TEST(test_money_format_int64_extremes)
{
    (void)state;
    char buf[MONEY_FORMAT_MAX];
    assert_int_equal(money_format(INT64_MAX, buf, sizeof buf), 27);
    assert_string_equal(buf, "¥92,233,720,368,547,758.07");
    assert_int_equal(money_format(INT64_MIN, buf, sizeof buf), 28);
    assert_string_equal(buf, "-¥92,233,720,368,547,758.08");
    assert_int_equal(money_format(INT64_MIN + 1, buf, sizeof buf), 28);
    assert_string_equal(buf, "-¥92,233,720,368,547,758.07");
}

CY_TEST(test_money_format_returns_byte_length)
{
    (void)state;
    char buf[MONEY_FORMAT_MAX];
    /* ¥ is two bytes in UTF-8 */
    assert_int_equal(money_format(123456, buf, sizeof buf), 10);
    assert_int_equal(money_format(-5, buf, sizeof buf), 7);
    assert_int_equal(money_format(0, buf, sizeof buf), 6);
}

CY_TEST(test_money_format_refuses_small_buffer_without_truncating)
{
    (void)state;
    char buf[16];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(money_format(123456, buf, 11), 10);
    assert_string_equal(buf, "¥1,234.56");
    memset(buf, 'x', sizeof buf);
    assert_int_equal(money_format(123456, buf, 10), -1);
    assert_string_equal(buf, "");
    assert_int_equal(buf[1], 'x');
    memset(buf, 'x', sizeof buf);
    assert_int_equal(money_format(123456, buf, 0), -1);
    assert_int_equal(buf[0], 'x');
    assert_int_equal(money_format(123456, NULL, 0), -1);
}

CY_TEST(test_money_format_then_parse_round_trips)
{
    (void)state;
    const int64_t values[] = {
        0,       1,         -1,          99,        100,       -100,          123456,       -123456,
        1000000, 999999999, -1000000000, INT64_MAX, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char buf[MONEY_FORMAT_MAX];
        assert_true(money_format(values[i], buf, sizeof buf) > 0);
        assert_true(parse_ok(buf) == values[i]);
    }
}

CY_TEST(test_money_add_and_sub)
{
    (void)state;
    int64_t r;
    assert_int_equal(money_add(150, 250, &r, NULL), CY_OK);
    assert_int_equal(r, 400);
    assert_int_equal(money_add(-150, 100, &r, NULL), CY_OK);
    assert_int_equal(r, -50);
    assert_int_equal(money_sub(100, 250, &r, NULL), CY_OK);
    assert_int_equal(r, -150);
    assert_int_equal(money_add(INT64_MAX, 0, &r, NULL), CY_OK);
    assert_true(r == INT64_MAX);
    assert_int_equal(money_add(INT64_MAX, INT64_MIN, &r, NULL), CY_OK);
    assert_int_equal(r, -1);
    assert_int_equal(money_sub(INT64_MIN, -1, &r, NULL), CY_OK);
    assert_true(r == INT64_MIN + 1);
    assert_int_equal(money_sub(-1, INT64_MAX, &r, NULL), CY_OK);
    assert_true(r == INT64_MIN);
}

CY_TEST(test_money_add_and_sub_refuse_overflow)
{
    (void)state;
    int64_t r = 7;
    cy_error_t err;
    assert_int_equal(money_add(INT64_MAX, 1, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_overflow");
    assert_int_equal(r, 7);
    assert_int_equal(money_add(INT64_MIN, -1, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_overflow");
    assert_int_equal(money_sub(INT64_MIN, 1, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_overflow");
    assert_int_equal(money_sub(0, INT64_MIN, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_overflow");
    assert_int_equal(money_sub(INT64_MAX, -1, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_overflow");
    assert_int_equal(r, 7);
}

static int64_t
mul_ok(int64_t fen, double rate)
{
    int64_t r = 12345;
    cy_error_t err;
    cy_error_clear(&err);
    assert_int_equal(money_mul_rate(fen, rate, &r, &err), CY_OK);
    return r;
}

CY_TEST(test_money_mul_rate_rounds_half_up_once)
{
    (void)state;
    assert_int_equal(mul_ok(1, 0.5), 1);
    assert_int_equal(mul_ok(1, 0.49), 0);
    assert_int_equal(mul_ok(10, 0.25), 3);       /* 2.5 */
    assert_int_equal(mul_ok(10, 0.24), 2);       /* 2.4 */
    assert_int_equal(mul_ok(3, 0.155), 0);       /* 0.465: one rounding, not 0.47 then 0.5 */
    assert_int_equal(mul_ok(12345, 0.015), 185); /* 185.175 */
    assert_int_equal(mul_ok(10000000, 0.013), 130000);
    assert_int_equal(mul_ok(770000000, 0.013), 10010000);
}

CY_TEST(test_money_mul_rate_rounds_negative_half_away_from_zero)
{
    (void)state;
    assert_int_equal(mul_ok(-1, 0.5), -1);
    assert_int_equal(mul_ok(1, -0.5), -1);
    assert_int_equal(mul_ok(-10, 0.25), -3);
    assert_int_equal(mul_ok(-10, 0.24), -2);
    assert_int_equal(mul_ok(-1, 0.49), 0);
}

CY_TEST(test_money_mul_rate_takes_decimal_rate_at_its_word)
{
    (void)state;
    /* 0.3 is 0.29999999999999998890 as a double: 5 × 0.3 is meant to be 1.5 */
    assert_int_equal(mul_ok(5, 0.3), 2);
    assert_int_equal(mul_ok(-5, 0.3), -2);
    /* 1.005 is 1.00499999999999989342: 100 × 1.005 is meant to be 100.5 */
    assert_int_equal(mul_ok(100, 1.005), 101);
    assert_int_equal(mul_ok(1000001, 0.5), 500001);
    /* well away from a half nothing moves */
    assert_int_equal(mul_ok(100, 1.0049), 100);
    assert_int_equal(mul_ok(100, 1.0051), 101);
}

CY_TEST(test_money_mul_rate_zero_and_identity)
{
    (void)state;
    assert_int_equal(mul_ok(123456, 0.0), 0);
    assert_int_equal(mul_ok(123456, -0.0), 0);
    assert_int_equal(mul_ok(0, 1e300), 0);
    assert_int_equal(mul_ok(123456, 1.0), 123456);
    assert_int_equal(mul_ok(123456, 1e-300), 0);
    assert_int_equal(mul_ok(-123456, 1.0), -123456);
}

CY_TEST(test_money_mul_rate_int64_extremes)
{
    (void)state;
#if LDBL_MANT_DIG >= 64
    assert_true(mul_ok(INT64_MAX, 1.0) == INT64_MAX);
    assert_true(mul_ok(INT64_MIN, 1.0) == INT64_MIN);
    assert_true(mul_ok(INT64_MIN, 0.5) == INT64_MIN / 2);
#endif
    assert_true(mul_ok(INT64_MAX, 0.25) == INT64_MAX / 4 + 1);
}

CY_TEST(test_money_mul_rate_refuses_overflow)
{
    (void)state;
    int64_t r = 7;
    cy_error_t err;
    assert_int_equal(money_mul_rate(INT64_MAX, 2.0, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_overflow");
    assert_int_equal(money_mul_rate(INT64_MIN, 1.5, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_overflow");
    assert_int_equal(money_mul_rate(INT64_MIN, -1.0, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_overflow");
    assert_int_equal(money_mul_rate(1, 1e300, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_overflow");
    assert_int_equal(money_mul_rate(-1, 1e300, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_overflow");
    assert_int_equal(r, 7);
}

CY_TEST(test_money_mul_rate_refuses_nan_and_infinity)
{
    (void)state;
    int64_t r = 7;
    cy_error_t err;
    assert_int_equal(money_mul_rate(100, NAN, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_rate");
    assert_string_equal(err.field, "rate");
    assert_int_equal(money_mul_rate(100, INFINITY, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_rate");
    assert_int_equal(money_mul_rate(0, -INFINITY, &r, &err), CY_EINVAL);
    assert_string_equal(err.code, "money_rate");
    assert_int_equal(r, 7);
}
