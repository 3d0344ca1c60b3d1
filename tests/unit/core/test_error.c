/*
 * test_error.c — cy_error_set always produces well-formed UTF-8, whatever
 * the bytes it echoes (issue 16 item 3), through utf8_sanitize.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cytest.h"

#include "core/error.h"
#include "core/utf8.h"

#define FFFD "\xEF\xBF\xBD"

static void
sanitized(const char *src, size_t n, size_t cap, const char *want)
{
    char dst[64];
    assert_true(cap <= sizeof dst);
    size_t len = utf8_sanitize(dst, cap, src, n);
    assert_string_equal(dst, want);
    assert_int_equal(len, strlen(want));
    assert_true(utf8_valid(dst, len, NULL));
}

/*
 * fuzz/scan_findings: the findings CSV reader refuses a bad CSV with
 * cy_error_set(err, ..., "%s", err->message), the message made from itself;
 * vsnprintf over its own source left it empty.
 */
CY_TEST(test_a_message_made_from_its_own_message_is_kept)
{
    (void)state;
    cy_error_t err;
    cy_error_set(&err, CY_EINVAL, "csv_bad_quote", "csv", "第 1 行：引号 / line 1: a quote");
    cy_error_set(&err, CY_EINVAL, "csv_invalid", err.field, "%s", err.message);
    assert_string_equal(err.code, "csv_invalid");
    assert_string_equal(err.field, "csv");
    assert_string_equal(err.message, "第 1 行：引号 / line 1: a quote");
    cy_error_set(&err, CY_EINVAL, err.code, err.field, "CSV %s", err.message);
    assert_string_equal(err.code, "csv_invalid");
    assert_string_equal(err.message, "CSV 第 1 行：引号 / line 1: a quote");
}

CY_TEST(test_sanitize_keeps_well_formed_text)
{
    (void)state;
    sanitized("abc 服务 / 😀", strlen("abc 服务 / 😀"), 64, "abc 服务 / 😀");
    sanitized("", 0, 1, "");
}

CY_TEST(test_sanitize_replaces_stray_bytes)
{
    (void)state;
    sanitized("/\xff.html", 7, 64, "/" FFFD ".html");
    sanitized("\x80x", 2, 64, FFFD "x");
    /* overlong "/" (C0 AF) and a surrogate (ED A0 80): each byte replaced */
    sanitized("\xC0\xAF", 2, 64, FFFD FFFD);
    sanitized("\xED\xA0\x80", 3, 64, FFFD FFFD FFFD);
}

CY_TEST(test_sanitize_drops_a_character_cut_short)
{
    (void)state;
    /* 务 is E5 8A A1: two of its bytes, then the text goes on */
    sanitized("服\xE5\x8A / x", strlen("服\xE5\x8A / x"), 64, "服 / x");
    sanitized("服\xE5", 4, 64, "服");
    sanitized("\xF0\x9F\x98", 3, 64, "");
}

CY_TEST(test_sanitize_stops_at_the_last_whole_character_that_fits)
{
    (void)state;
    sanitized("服务", 6, 6, "服"); /* 务 would need bytes 3..5 and the NUL */
    sanitized("服务", 6, 7, "服务");
    sanitized("a\xff", 2, 4, "a"); /* U+FFFD needs 3 bytes, 2 are left */
}

CY_TEST(test_error_set_echoes_a_bounded_format_whole)
{
    (void)state;
    cy_error_t err;
    /* %.32s of 服务… keeps ten characters and two bytes of the eleventh */
    assert_int_equal(cy_error_set(&err, CY_EINVAL, "round_unknown", "round_id",
                                  "未知的试点轮次 %.32s / unknown pilot round %.32s",
                                  "服务服务服务服务服务服务", "服务服务服务服务服务服务"),
                     CY_EINVAL);
    assert_string_equal(err.message, "未知的试点轮次 服务服务服务服务服务 / unknown pilot round "
                                     "服务服务服务服务服务");
    assert_string_equal(err.field, "round_id");
}

CY_TEST(test_error_set_makes_code_field_and_message_utf8)
{
    (void)state;
    cy_error_t err;
    cy_error_set(&err, CY_ENOTFOUND, "not_found", "answers.\xff", "没有这个文件 / no such file: %s",
                 "/\xff\xfe.html");
    assert_string_equal(err.field, "answers." FFFD);
    assert_string_equal(err.message, "没有这个文件 / no such file: /" FFFD FFFD ".html");
    assert_int_equal(err.status, CY_ENOTFOUND);
}

CY_TEST(test_error_set_cuts_a_long_message_between_characters)
{
    (void)state;
    char big[1000];
    memset(big, 0, sizeof big);
    for (size_t i = 0; i + 3 < sizeof big; i += 3)
        memcpy(big + i, "网", 3);
    cy_error_t err;
    cy_error_set(&err, CY_EINVAL, "too_long", NULL, "x%s", big);
    size_t n = strlen(err.message);
    assert_true(n < sizeof err.message);
    assert_true(utf8_valid(err.message, n, NULL));
    assert_int_equal((n - 1) % 3, 0); /* "x" then whole 网 */
    assert_true(n >= sizeof err.message - 4);
}

/* cy_error_no_memory: the one answer to a failed allocation, over whatever err held. */
CY_TEST(test_no_memory_is_enomem_with_the_one_message)
{
    (void)state;
    cy_error_t err;
    cy_error_set(&err, CY_EINVAL, "csv_invalid", "csv", "第 1 行 / line 1");
    assert_int_equal(cy_error_no_memory(&err), CY_ENOMEM);
    assert_int_equal(err.status, CY_ENOMEM);
    assert_string_equal(err.code, "no_memory");
    assert_string_equal(err.field, "");
    assert_string_equal(err.message, "内存不足 / out of memory");
    assert_int_equal(cy_error_no_memory(NULL), CY_ENOMEM);
}
