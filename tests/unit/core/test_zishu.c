/*
 * test_zishu.c — unit tests of core/zishu: the shared vectors in
 * tests/vectors/zishu.json (also run by tests/e2e/zishu.test.mjs against
 * web/js/zishu.js) and the strict UTF-8 refusals only C has.
 *
 * Test code: may use cmocka and jansson (to read the vectors); must never
 * depend on storage or the network.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/zishu.h"

#ifndef CY_SOURCE_DIR
#error "CY_SOURCE_DIR must name the source tree, so the test finds tests/vectors/"
#endif

static size_t
count_ok(const char *s, size_t len)
{
    size_t n = 12345;
    cy_error_t err;
    cy_error_clear(&err);
    assert_int_equal(zishu_count(s, len, &n, &err), CY_OK);
    assert_string_equal(err.code, "");
    return n;
}

static size_t
count_str(const char *s)
{
    return count_ok(s, strlen(s));
}

static void
assert_invalid_at(const char *s, size_t len, size_t offset)
{
    size_t n = 12345;
    cy_error_t err;
    assert_int_equal(zishu_count(s, len, &n, &err), CY_EINVAL);
    assert_int_equal(n, 0);
    assert_string_equal(err.code, "utf8_invalid");
    assert_string_equal(err.field, "");
    char want[200];
    snprintf(want, sizeof want,
             "文本在第 %zu 字节处（从 0 起）不是有效的 UTF-8 编码 / "
             "text is not valid UTF-8 at byte offset %zu (0-based)",
             offset, offset);
    assert_string_equal(err.message, want);
}

CY_TEST(test_zishu_counts_every_shared_vector)
{
    (void)state;
    json_error_t jerr;
    json_t *root = json_load_file(CY_SOURCE_DIR "/tests/vectors/zishu.json", 0, &jerr);
    if (root == NULL)
        fail_msg("cannot read zishu.json: %s (line %d)", jerr.text, jerr.line);
    assert_true(json_is_array(root));
    assert_true(json_array_size(root) >= 30);
    size_t i;
    json_t *v;
    json_array_foreach(root, i, v)
    {
        json_t *text = json_object_get(v, "text");
        json_t *count = json_object_get(v, "count");
        json_t *note = json_object_get(v, "note");
        assert_true(json_is_string(text));
        assert_true(json_is_integer(count));
        assert_true(json_is_string(note));
        size_t got = count_ok(json_string_value(text), json_string_length(text));
        if (got != (size_t)json_integer_value(count))
            fail_msg("vector %zu (%s): counted %zu, expected %lld", i, json_string_value(note), got,
                     (long long)json_integer_value(count));
    }
    json_decref(root);
}

CY_TEST(test_zishu_domain_examples)
{
    (void)state;
    assert_int_equal(count_str("网络安全保险，试点工作。"), 12);
    assert_int_equal(count_str("GB/T 22239-2019 第三级"), 5);
    assert_int_equal(count_str("A4纸，1.5倍行距"), 7);
}

CY_TEST(test_zishu_ideographic_space_is_whitespace)
{
    (void)state;
    assert_int_equal(count_str("\xE3\x80\x80"), 0);
    assert_int_equal(count_str("a\xE3\x80\x80"
                               "b"),
                     2);
}

CY_TEST(test_zishu_boundary_code_points)
{
    (void)state;
    assert_int_equal(count_str("\x7F"), 1);
    assert_int_equal(count_str("\xC2\x80\xDF\xBF"), 1); /* U+0080 U+07FF: one run */
    assert_int_equal(count_str("\xE0\xA0\x80"), 1);     /* U+0800 */
    /* U+2FFF is below U+3000: it stays in the run */
    assert_int_equal(count_str("a\xE2\xBF\xBF"
                               "b"),
                     1);
    /* U+3001 counts by itself and splits the run */
    assert_int_equal(count_str("a\xE3\x80\x81"
                               "b"),
                     3);
    assert_int_equal(count_str("\xED\x9F\xBF\xEE\x80\x80"), 2); /* U+D7FF U+E000 */
    assert_int_equal(count_str("\xEF\xBF\xBF"), 1);             /* U+FFFF */
    assert_int_equal(count_str("\xF0\x90\x80\x80"), 1);         /* U+10000 */
    assert_int_equal(count_str("\xF4\x8F\xBF\xBF"), 1);         /* U+10FFFF */
}

CY_TEST(test_zishu_counts_only_len_bytes)
{
    (void)state;
    assert_int_equal(count_ok("abc \xE7\xBD\x91", 3), 1);
    assert_int_equal(count_ok("abc \xE7\xBD\x91", 7), 2);
}

CY_TEST(test_zishu_embedded_nul_is_an_ordinary_code_point)
{
    (void)state;
    assert_int_equal(count_ok("a\0b", 3), 1);
    assert_int_equal(count_ok("a \0", 3), 2);
}

CY_TEST(test_zishu_null_text_with_zero_length_counts_zero)
{
    (void)state;
    assert_int_equal(count_ok(NULL, 0), 0);
    assert_int_equal(count_ok("", 0), 0);
}

CY_TEST(test_zishu_refuses_null_text_with_length)
{
    (void)state;
    size_t n;
    cy_error_t err;
    assert_int_equal(zishu_count(NULL, 3, &n, &err), CY_EINVAL);
    assert_string_equal(err.code, "utf8_invalid");
    assert_int_equal(zishu_count("a", 1, NULL, &err), CY_EINVAL);
    assert_string_equal(err.code, "utf8_invalid");
    assert_int_equal(zishu_count("a", 1, NULL, NULL), CY_EINVAL);
}

CY_TEST(test_zishu_refuses_overlong_encodings)
{
    (void)state;
    assert_invalid_at("\xC0\xAF", 2, 0);
    assert_invalid_at("a\xC1\x81", 3, 1);
    assert_invalid_at("ab\xE0\x80\xAF", 5, 2);    /* '/' in three bytes */
    assert_invalid_at("\xE0\x9F\xBF", 3, 0);      /* U+07FF in three bytes */
    assert_invalid_at("\xF0\x80\x80\xAF", 4, 0);  /* '/' in four bytes */
    assert_invalid_at("x\xF0\x8F\xBF\xBF", 5, 1); /* U+FFFF in four bytes */
}

CY_TEST(test_zishu_refuses_surrogates)
{
    (void)state;
    assert_invalid_at("\xED\xA0\x80", 3, 0);             /* U+D800 */
    assert_invalid_at("\xE7\xBD\x91\xED\xBF\xBF", 6, 3); /* U+DFFF after 网 */
    assert_invalid_at("\xED\xA0\xBD\xED\xB8\x80", 6, 0); /* CESU-8 pair for U+1F600 */
}

CY_TEST(test_zishu_refuses_code_points_above_10ffff)
{
    (void)state;
    assert_invalid_at("\xF4\x90\x80\x80", 4, 0);
    assert_invalid_at("ok \xF5\x80\x80\x80", 7, 3);
    assert_invalid_at("\xF8\x88\x80\x80\x80", 5, 0);
}

CY_TEST(test_zishu_refuses_truncated_sequences)
{
    (void)state;
    assert_invalid_at("ab\xE7\xBD", 4, 2); /* 网 cut at the end */
    assert_invalid_at("\xE7\xBD"
                      "x",
                      3, 0);                 /* 网 cut before ASCII */
    assert_invalid_at("\xF0\x9F\x98", 3, 0); /* 😀 cut */
    assert_invalid_at("\xC3", 1, 0);         /* é cut */
    assert_invalid_at("\xE7\xBD\x91", 2, 0); /* len cuts a valid sequence */
}

CY_TEST(test_zishu_refuses_stray_and_impossible_bytes)
{
    (void)state;
    assert_invalid_at("\x80", 1, 0);
    assert_invalid_at("abc\xBF", 4, 3);
    assert_invalid_at("\xE7\xBD\x91\x91", 4, 3); /* one continuation too many */
    assert_invalid_at("\xFE", 1, 0);
    assert_invalid_at("  \xFF", 3, 2);
}
