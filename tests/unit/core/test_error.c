/*
 * test_error.c — filling cy_error_t (core/error.c): a refusal is written
 * into JSON answers, so its message and field are valid UTF-8 whatever bytes
 * the values quoted in it carry (fuzz/json_body found jansson's syntax
 * messages quoting half a character; a "%.40s" of a CSV cell cuts one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/utf8.h"

static void
test_invalid_bytes_in_a_message_become_question_marks(void **state)
{
    (void)state;
    cy_error_t err;
    assert_int_equal(cy_error_set(&err, CY_EINVAL, "x", "f\xffg", "near '\\u7f5%s' / near %s",
                                  "\xd3", "\xe5\xad"),
                     CY_EINVAL);
    assert_string_equal(err.message, "near '\\u7f5?' / near ");
    assert_string_equal(err.field, "f?g");
}

static void
test_a_cell_cut_mid_character_is_scrubbed(void **state)
{
    (void)state;
    cy_error_t err;
    /* "%.4s" of 字字 keeps one whole character and one byte of the next */
    cy_error_set(&err, CY_EINVAL, "x", NULL, "got \"%.4s\" / got \"%.4s\"", "字字", "字字");
    assert_string_equal(err.message, "got \"字?\" / got \"字?\"");
    assert_true(utf8_valid(err.message, strlen(err.message), NULL));
}

/*
 * fuzz/scan_findings: the findings CSV reader refuses a bad CSV with
 * cy_error_set(err, ..., "%s", err->message), the message made from itself;
 * vsnprintf over its own source left it empty.
 */
static void
test_a_message_made_from_its_own_message_is_kept(void **state)
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

static void
test_valid_text_is_kept_as_it_is(void **state)
{
    (void)state;
    cy_error_t err;
    cy_error_set(&err, CY_EINVAL, "money_syntax", "金额", "金额（%s）无效 / %s: not an amount",
                 "¥1,2", "¥1,2");
    assert_string_equal(err.message, "金额（¥1,2）无效 / ¥1,2: not an amount");
    assert_string_equal(err.field, "金额");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_bytes_in_a_message_become_question_marks),
        cmocka_unit_test(test_a_cell_cut_mid_character_is_scrubbed),
        cmocka_unit_test(test_a_message_made_from_its_own_message_is_kept),
        cmocka_unit_test(test_valid_text_is_kept_as_it_is),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
