/*
 * test_uscc.c — unit tests of core/uscc: GB 32100 syntax and check, the
 * embedded GB 11714 org-code warning, category names and the legal-person rule.
 *
 * Test code: may use cmocka; must never depend on storage or the network.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <string.h>

#include "core/uscc.h"

static void
assert_refused(const char *s, const char *code, const char *message)
{
    uscc_info_t info;
    cy_error_t err;
    cy_error_clear(&err);
    assert_int_equal(uscc_check(s, &info, &err), CY_EINVAL);
    assert_int_equal(err.status, CY_EINVAL);
    assert_string_equal(err.code, code);
    assert_string_equal(err.field, "uscc");
    if (message != NULL)
        assert_string_equal(err.message, message);
    /* a refused code leaves nothing half-filled behind */
    assert_string_equal(info.code, "");
    assert_int_equal(info.dept, '\0');
}

static void
assert_valid(const char *s, const char *normalised, const char *region, const char *orgcode,
             int orgcode_ok)
{
    uscc_info_t info;
    cy_error_t err;
    cy_error_clear(&err);
    assert_int_equal(uscc_check(s, &info, &err), CY_OK);
    assert_string_equal(err.code, "");
    assert_string_equal(info.code, normalised);
    assert_int_equal(info.dept, normalised[0]);
    assert_int_equal(info.category, normalised[1]);
    assert_string_equal(info.region, region);
    assert_string_equal(info.orgcode, orgcode);
    assert_int_equal(info.orgcode_ok, orgcode_ok);
}

CY_TEST(test_uscc_accepts_domain_examples)
{
    (void)state;
    assert_valid("914403001922038216", "914403001922038216", "440300", "192203821", 1);
    assert_valid("9144030071526726XG", "9144030071526726XG", "440300", "71526726X", 1);
    assert_valid("91330100716105852F", "91330100716105852F", "330100", "716105852", 1);
    assert_valid("91310000132260250X", "91310000132260250X", "310000", "132260250", 1);
}

CY_TEST(test_uscc_refuses_wrong_check_digit)
{
    (void)state;
    assert_refused("914403001922038217", "uscc_check_digit",
                   "统一社会信用代码校验码错误：应为 6，实际为 7 / "
                   "wrong USCC check character: expected 6, found 7");
    assert_refused("9144030071526726X0", "uscc_check_digit",
                   "统一社会信用代码校验码错误：应为 G，实际为 0 / "
                   "wrong USCC check character: expected G, found 0");
}

CY_TEST(test_uscc_accepts_lowercase_and_stores_uppercase)
{
    (void)state;
    assert_valid("9144030071526726xg", "9144030071526726XG", "440300", "71526726X", 1);
    assert_valid("91330100716105852f", "91330100716105852F", "330100", "716105852", 1);
}

CY_TEST(test_uscc_refuses_wrong_check_digit_after_lowercase)
{
    (void)state;
    assert_refused("9144030071526726xh", "uscc_check_digit",
                   "统一社会信用代码校验码错误：应为 G，实际为 H / "
                   "wrong USCC check character: expected G, found H");
}

CY_TEST(test_uscc_accepts_historic_region_100000)
{
    (void)state;
    assert_valid("911000001922038212", "911000001922038212", "100000", "192203821", 1);
}

CY_TEST(test_uscc_embedded_orgcode_mismatch_is_warning_not_refusal)
{
    (void)state;
    /* org code 19220382 has check 1; 2 is wrong, the USCC check is recomputed over it */
    char s[19] = "91440300192203822";
    assert_int_equal(uscc_check_char(s), '9');
    s[17] = '9';
    s[18] = '\0';
    assert_string_equal(s, "914403001922038229");
    assert_valid(s, "914403001922038229", "440300", "192203822", 0);
}

CY_TEST(test_uscc_refuses_short_code_naming_length)
{
    (void)state;
    assert_refused("91440300192203821", "uscc_length",
                   "统一社会信用代码应为 18 位，实际为 17 位 / a USCC has 18 characters, found 17");
}

CY_TEST(test_uscc_refuses_long_code_naming_length)
{
    (void)state;
    assert_refused("9144030019220382160", "uscc_length",
                   "统一社会信用代码应为 18 位，实际为 19 位 / a USCC has 18 characters, found 19");
}

CY_TEST(test_uscc_refuses_surrounding_space_as_length)
{
    (void)state;
    assert_refused(" 914403001922038216", "uscc_length",
                   "统一社会信用代码应为 18 位，实际为 19 位 / a USCC has 18 characters, found 19");
}

CY_TEST(test_uscc_refuses_empty_string)
{
    (void)state;
    assert_refused("", "uscc_length",
                   "统一社会信用代码应为 18 位，实际为 0 位 / a USCC has 18 characters, found 0");
}

CY_TEST(test_uscc_refuses_null_input)
{
    (void)state;
    assert_refused(NULL, "uscc_length",
                   "缺少统一社会信用代码（应为 18 位，实际为 0 位） / "
                   "the USCC is missing (18 characters expected, found 0)");
}

CY_TEST(test_uscc_null_out_and_err_are_allowed)
{
    (void)state;
    assert_int_equal(uscc_check("914403001922038216", NULL, NULL), CY_OK);
    assert_int_equal(uscc_check("914403001922038217", NULL, NULL), CY_EINVAL);
    assert_int_equal(uscc_check(NULL, NULL, NULL), CY_EINVAL);
}

CY_TEST(test_uscc_refuses_each_excluded_letter_naming_position)
{
    (void)state;
    assert_refused("9144I3001922038216", "uscc_charset",
                   "统一社会信用代码第 5 位的字符 'I' 不允许（只允许数字和除 I、O、S、V、Z "
                   "以外的大写字母） / character 'I' at position 5 is not allowed in a USCC "
                   "(digits and capital letters except I, O, S, V, Z)");
    cy_error_t err;
    assert_int_equal(uscc_check("O14403001922038216", NULL, &err), CY_EINVAL);
    assert_string_equal(err.code, "uscc_charset");
    assert_non_null(strstr(err.message, "character 'O' at position 1 "));
    assert_int_equal(uscc_check("91440300192203821S", NULL, &err), CY_EINVAL);
    assert_string_equal(err.code, "uscc_charset");
    assert_non_null(strstr(err.message, "第 18 位的字符 'S'"));
    assert_int_equal(uscc_check("914403001922V38216", NULL, &err), CY_EINVAL);
    assert_non_null(strstr(err.message, "character 'V' at position 13 "));
    assert_int_equal(uscc_check("91440300192203Z216", NULL, &err), CY_EINVAL);
    assert_non_null(strstr(err.message, "character 'Z' at position 15 "));
}

CY_TEST(test_uscc_refuses_lowercase_of_excluded_letter_naming_it)
{
    (void)state;
    cy_error_t err;
    assert_int_equal(uscc_check("91440300i92203821", NULL, &err), CY_EINVAL);
    assert_string_equal(err.code, "uscc_length");
    assert_int_equal(uscc_check("91440300i922038216", NULL, &err), CY_EINVAL);
    assert_string_equal(err.code, "uscc_charset");
    assert_non_null(strstr(err.message, "character 'i' at position 9 "));
}

CY_TEST(test_uscc_refuses_punctuation_naming_position)
{
    (void)state;
    cy_error_t err;
    assert_int_equal(uscc_check("91440300-922038216", NULL, &err), CY_EINVAL);
    assert_string_equal(err.code, "uscc_charset");
    assert_non_null(strstr(err.message, "第 9 位的字符 '-'"));
    assert_non_null(strstr(err.message, "character '-' at position 9 "));
}

CY_TEST(test_uscc_refuses_inner_space_and_control_as_code_point)
{
    (void)state;
    cy_error_t err;
    assert_int_equal(uscc_check("91440300 922038216", NULL, &err), CY_EINVAL);
    assert_string_equal(err.code, "uscc_charset");
    assert_non_null(strstr(err.message, "character U+0020 at position 9 "));
    assert_int_equal(uscc_check("9144030019220382\t6", NULL, &err), CY_EINVAL);
    assert_non_null(strstr(err.message, "character U+0009 at position 17 "));
}

CY_TEST(test_uscc_counts_fullwidth_digit_as_one_character)
{
    (void)state;
    /* U+FF19 FULLWIDTH DIGIT NINE: three bytes, one character to the user */
    cy_error_t err;
    assert_int_equal(uscc_check("\xEF\xBC\x99"
                                "14403001922038216",
                                NULL, &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "uscc_charset");
    assert_non_null(strstr(err.message, "第 1 位的字符 '９' (U+FF19)"));
    assert_non_null(strstr(err.message, "character '９' (U+FF19) at position 1 "));
}

CY_TEST(test_uscc_refuses_invalid_byte_naming_it_in_hex)
{
    (void)state;
    cy_error_t err;
    assert_int_equal(uscc_check("91440300\xFF"
                                "922038216",
                                NULL, &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "uscc_charset");
    assert_non_null(strstr(err.message, "character 0xFF at position 9 "));
}

CY_TEST(test_uscc_check_char_computes_examples)
{
    (void)state;
    assert_int_equal(uscc_check_char("91440300192203821"), '6');
    assert_int_equal(uscc_check_char("9144030071526726X"), 'G');
    assert_int_equal(uscc_check_char("91330100716105852"), 'F');
    assert_int_equal(uscc_check_char("91310000132260250"), 'X');
}

CY_TEST(test_uscc_check_char_maps_31_to_zero)
{
    (void)state;
    assert_int_equal(uscc_check_char("92440300192203820"), '0');
    uscc_info_t info;
    assert_int_equal(uscc_check("924403001922038200", &info, NULL), CY_OK);
    assert_int_equal(info.orgcode_ok, 0);
}

CY_TEST(test_uscc_check_char_refuses_outside_charset)
{
    (void)state;
    assert_int_equal(uscc_check_char("9144030019220382I"), '\0');
    assert_int_equal(uscc_check_char("9144030019220382a"), '\0');
    assert_int_equal(uscc_check_char(NULL), '\0');
}

CY_TEST(test_uscc_category_names_follow_gb32100_table)
{
    (void)state;
    assert_string_equal(uscc_category_name('1', '1'), "机关");
    assert_string_equal(uscc_category_name('1', '2'), "事业单位");
    assert_string_equal(uscc_category_name('1', '3'), "中央编办直接管理机构编制的群众团体");
    assert_string_equal(uscc_category_name('1', '9'), "其他机关");
    assert_string_equal(uscc_category_name('2', '1'), "外国常驻新闻机构");
    assert_string_equal(uscc_category_name('3', '1'), "律师执业机构");
    assert_string_equal(uscc_category_name('3', '2'), "公证处");
    assert_string_equal(uscc_category_name('3', '3'), "基层法律服务所");
    assert_string_equal(uscc_category_name('3', '4'), "司法鉴定机构");
    assert_string_equal(uscc_category_name('3', '5'), "仲裁委员会");
    assert_string_equal(uscc_category_name('4', '1'), "外国在华文化中心");
    assert_string_equal(uscc_category_name('5', '1'), "社会团体");
    assert_string_equal(uscc_category_name('5', '2'), "民办非企业单位");
    assert_string_equal(uscc_category_name('5', '3'), "基金会");
    assert_string_equal(uscc_category_name('5', '9'), "其他民政");
    assert_string_equal(uscc_category_name('6', '1'), "外国旅游部门常驻代表机构");
    assert_string_equal(uscc_category_name('7', '1'), "宗教活动场所");
    assert_string_equal(uscc_category_name('7', '2'), "宗教院校");
    assert_string_equal(uscc_category_name('8', '1'), "基层工会");
    assert_string_equal(uscc_category_name('9', '1'), "企业");
    assert_string_equal(uscc_category_name('9', '2'), "个体工商户");
    assert_string_equal(uscc_category_name('9', '3'), "农民专业合作社");
    assert_string_equal(uscc_category_name('N', '2'), "村级集体经济组织");
    assert_string_equal(uscc_category_name('Y', '1'), "其他");
}

CY_TEST(test_uscc_category_name_unknown_pair)
{
    (void)state;
    assert_string_equal(uscc_category_name('9', '9'), "未知类别");
    assert_string_equal(uscc_category_name('0', '1'), "未知类别");
    assert_string_equal(uscc_category_name('Y', '2'), "未知类别");
    assert_string_equal(uscc_category_name('\0', '\0'), "未知类别");
}

static void
assert_legal_person_ok(const char *s)
{
    uscc_info_t info;
    cy_error_t err;
    assert_int_equal(uscc_check(s, &info, NULL), CY_OK);
    cy_error_clear(&err);
    assert_int_equal(uscc_legal_person(&info, &err), CY_OK);
    assert_string_equal(err.code, "");
}

CY_TEST(test_uscc_legal_person_accepts_enterprise_institution_society)
{
    (void)state;
    assert_legal_person_ok("914403001922038216");
    assert_legal_person_ok("12440300192203821B");
    assert_legal_person_ok("51110000192203821A");
    assert_legal_person_ok("Y1110000192203821G");
}

/* s is a well-formed USCC whose category uscc_legal_person refuses; *err says why. */
static void
assert_not_legal_person(const char *s, cy_error_t *err)
{
    uscc_info_t info;
    assert_int_equal(uscc_check(s, &info, NULL), CY_OK);
    assert_int_equal(uscc_legal_person(&info, err), CY_EINVAL);
    assert_string_equal(err->code, "uscc_not_legal_person");
}

CY_TEST(test_uscc_legal_person_refuses_individual_business)
{
    (void)state;
    cy_error_t err;
    assert_not_legal_person("924403001922038213", &err);
    assert_string_equal(err.field, "uscc");
    assert_string_equal(err.message,
                        "统一社会信用代码 924403001922038213 的机构类别为 92 个体工商户，"
                        "不是在中华人民共和国境内注册的独立法人 / USCC 924403001922038213 is of "
                        "category 92 individual business (not a legal person), not an independent "
                        "legal person registered in the PRC");
}

CY_TEST(test_uscc_legal_person_refuses_foreign_news_office)
{
    (void)state;
    cy_error_t err;
    assert_not_legal_person("21110000192203821D", &err);
    assert_non_null(strstr(err.message, "机构类别为 21 外国常驻新闻机构"));
    assert_non_null(strstr(err.message, "category 21 resident office of a foreign news agency"));
}

CY_TEST(test_uscc_legal_person_refuses_foreign_cultural_centre)
{
    (void)state;
    cy_error_t err;
    assert_not_legal_person("41110000192203821B", &err);
    assert_non_null(strstr(err.message, "机构类别为 41 外国在华文化中心"));
    assert_non_null(strstr(err.message, "category 41 foreign cultural centre in China"));
}

CY_TEST(test_uscc_legal_person_refuses_foreign_tourism_office)
{
    (void)state;
    cy_error_t err;
    assert_not_legal_person("611100001922038219", &err);
    assert_non_null(strstr(err.message, "机构类别为 61 外国旅游部门常驻代表机构"));
}

CY_TEST(test_uscc_legal_person_refuses_null_info)
{
    (void)state;
    cy_error_t err;
    assert_int_equal(uscc_legal_person(NULL, &err), CY_EINVAL);
    assert_string_equal(err.code, "uscc_not_legal_person");
}
