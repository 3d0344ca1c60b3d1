/*
 * uscc.c — 统一社会信用代码 (GB 32100-2015) and embedded 组织机构代码
 * (GB 11714-1997) checks, per DOMAIN.md §2.
 *
 * Pure: libc and core/ only. Must never consult a region table: the code's
 * region part is a historic registration fact, not a current address.
 */
#include "core/uscc.h"
#include "core/utf8.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define USCC_LEN 18

/* GB 32100-2015 §4.2: I O S V Z are left out so they are never misread as 1 0 5 U 2. */
static const char uscc_charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 3^i mod 31, i = 0..16 (GB 32100-2015 §5). */
static const int uscc_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};

/* GB 11714-1997 weights for the 8 body characters of an organisation code. */
static const int uscc_org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

static int
uscc_value(char c)
{
    const char *p = c != '\0' ? strchr(uscc_charset, c) : NULL;
    return p != NULL ? (int)(p - uscc_charset) : -1;
}

char
uscc_check_char(const char first17[17])
{
    if (first17 == NULL)
        return '\0';
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(first17[i]);
        if (v < 0)
            return '\0';
        sum += v * uscc_weights[i];
    }
    int check = 31 - sum % 31;
    return uscc_charset[check == 31 ? 0 : check];
}

/*
 * The org code has its own alphabet (0–9, A=10 … Z=35, GB 11714), unlike the
 * USCC's; inside a valid USCC its letters are a subset of both, so only the
 * values differ.
 */
static char
uscc_org_check_char(const char body[8])
{
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = body[i];
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else
            return '\0';
        sum += v * uscc_org_weights[i];
    }
    int check = 11 - sum % 11;
    return check == 10 ? 'X' : check == 11 ? '0' : (char)('0' + check);
}

/*
 * One "character" of user input: a well-formed UTF-8 sequence, or a single
 * stray byte (cp = UINT32_MAX). Users paste full-width digits and Chinese
 * punctuation; counting those as one character each keeps the length and
 * position in our messages the ones the user sees.
 */
static size_t
uscc_next_char(const unsigned char *p, uint32_t *cp)
{
    size_t avail = 0; /* p is NUL-terminated: a sequence never reads past it */
    while (avail < 4 && p[avail] != '\0')
        avail++;
    size_t n = utf8_decode(p, avail, cp);
    if (n == 0) {
        *cp = UINT32_MAX;
        return 1;
    }
    return n;
}

/* Describe a refused character so that the message stays valid UTF-8 and shows invisibles. */
static void
uscc_describe_char(const unsigned char *p, size_t n, uint32_t cp, char *buf, size_t cap)
{
    if (cp == UINT32_MAX)
        snprintf(buf, cap, "0x%02X", p[0]);
    else if (cp >= 0x21 && cp < 0x7F)
        snprintf(buf, cap, "'%c'", (char)cp);
    else if (cp < 0xA0)
        snprintf(buf, cap, "U+%04X", (unsigned)cp);
    else
        snprintf(buf, cap, "'%.*s' (U+%04X)", (int)n, (const char *)p, (unsigned)cp);
}

cy_status_t
uscc_check(const char *s, uscc_info_t *out, cy_error_t *err)
{
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (s == NULL)
        return cy_error_set(err, CY_EINVAL, "uscc_length", "uscc",
                            "缺少统一社会信用代码（应为 18 位，实际为 0 位） / "
                            "the USCC is missing (18 characters expected, found 0)");

    const unsigned char *u = (const unsigned char *)s;
    size_t count = 0;
    uint32_t cp;
    for (size_t i = 0; u[i] != '\0'; count++)
        i += uscc_next_char(u + i, &cp);
    if (count != USCC_LEN)
        return cy_error_set(err, CY_EINVAL, "uscc_length", "uscc",
                            "统一社会信用代码应为 18 位，实际为 %zu 位 / "
                            "a USCC has 18 characters, found %zu",
                            count, count);

    char code[USCC_LEN + 1];
    size_t i = 0;
    for (size_t pos = 0; pos < USCC_LEN; pos++) {
        size_t n = uscc_next_char(u + i, &cp);
        char c = cp < 0x80 ? (char)cp : '\0';
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (uscc_value(c) < 0) {
            char what[48];
            uscc_describe_char(u + i, n, cp, what, sizeof what);
            return cy_error_set(
                err, CY_EINVAL, "uscc_charset", "uscc",
                "统一社会信用代码第 %zu 位的字符 %s 不允许（只允许数字和除 I、O、S、"
                "V、Z 以外的大写字母） / "
                "character %s at position %zu is not allowed in a USCC (digits and "
                "capital letters except I, O, S, V, Z)",
                pos + 1, what, what, pos + 1);
        }
        code[pos] = c;
        i += n;
    }
    code[USCC_LEN] = '\0';

    char expected = uscc_check_char(code);
    if (code[17] != expected)
        return cy_error_set(err, CY_EINVAL, "uscc_check_digit", "uscc",
                            "统一社会信用代码校验码错误：应为 %c，实际为 %c / "
                            "wrong USCC check character: expected %c, found %c",
                            expected, code[17], expected, code[17]);

    if (out != NULL) {
        memcpy(out->code, code, sizeof out->code);
        out->dept = code[0];
        out->category = code[1];
        memcpy(out->region, code + 2, 6);
        out->region[6] = '\0';
        memcpy(out->orgcode, code + 8, 9);
        out->orgcode[9] = '\0';
        out->orgcode_ok = uscc_org_check_char(code + 8) == code[16];
    }
    return CY_OK;
}

/*
 * 登记管理部门码 and 机构类别码 per GB 32100-2015 附录 A (表 A.1
 * "登记管理部门代码和机构类别代码"). Departments A (中央军委改革和编制办公室)
 * and N (农业农村部门, 农村集体经济组织) were assigned after 2015 by the
 * standard's maintenance body; they are listed so real codes are named.
 * The "其他" rows are qualified with their department so a list of
 * organisations stays readable.
 *
 * not_legal says, in English, why a category cannot be a PRC legal person
 * (NULL where it may be one): 个体工商户 is a natural person trading
 * (民法典 §54), and the foreign or Hong Kong / Macao / Taiwan representative
 * bodies registered by 外交, 文化 and 旅游 are offices of a body registered
 * elsewhere. Everything else may hold legal-person status; the registration
 * certificate is what proves it.
 */
static const struct {
    char dept;
    char category;
    const char *name;
    const char *not_legal;
} uscc_categories[] = {
    {'1', '1', "机关", NULL},
    {'1', '2', "事业单位", NULL},
    {'1', '3', "中央编办直接管理机构编制的群众团体", NULL},
    {'1', '9', "其他机关", NULL},
    {'2', '1', "外国常驻新闻机构", "resident office of a foreign news agency"},
    {'2', '9', "其他外交", NULL},
    {'3', '1', "律师执业机构", NULL},
    {'3', '2', "公证处", NULL},
    {'3', '3', "基层法律服务所", NULL},
    {'3', '4', "司法鉴定机构", NULL},
    {'3', '5', "仲裁委员会", NULL},
    {'3', '9', "其他司法行政", NULL},
    {'4', '1', "外国在华文化中心", "foreign cultural centre in China"},
    {'4', '9', "其他文化", NULL},
    {'5', '1', "社会团体", NULL},
    {'5', '2', "民办非企业单位", NULL},
    {'5', '3', "基金会", NULL},
    {'5', '9', "其他民政", NULL},
    {'6', '1', "外国旅游部门常驻代表机构", "resident office of a foreign tourism authority"},
    {'6', '2', "港澳台地区旅游部门常驻内地（大陆）代表机构",
     "resident office of a Hong Kong, Macao or Taiwan tourism authority"},
    {'6', '9', "其他旅游", NULL},
    {'7', '1', "宗教活动场所", NULL},
    {'7', '2', "宗教院校", NULL},
    {'7', '9', "其他宗教", NULL},
    {'8', '1', "基层工会", NULL},
    {'8', '9', "其他工会", NULL},
    {'9', '1', "企业", NULL},
    {'9', '2', "个体工商户", "individual business (not a legal person)"},
    {'9', '3', "农民专业合作社", NULL},
    {'A', '1', "军队事业单位", NULL},
    {'A', '9', "其他军队", NULL},
    {'N', '1', "组级集体经济组织", NULL},
    {'N', '2', "村级集体经济组织", NULL},
    {'N', '3', "乡镇级集体经济组织", NULL},
    {'N', '9', "其他农业", NULL},
    {'Y', '1', "其他", NULL},
};

/* The index of (dept, category) in uscc_categories, or -1. */
static int
uscc_category_find(char dept, char category)
{
    for (size_t i = 0; i < sizeof uscc_categories / sizeof uscc_categories[0]; i++)
        if (uscc_categories[i].dept == dept && uscc_categories[i].category == category)
            return (int)i;
    return -1;
}

const char *
uscc_category_name(char dept, char category)
{
    int i = uscc_category_find(dept, category);
    return i >= 0 ? uscc_categories[i].name : "未知类别";
}

cy_status_t
uscc_legal_person(const uscc_info_t *info, cy_error_t *err)
{
    if (info == NULL)
        return cy_error_set(err, CY_EINVAL, "uscc_not_legal_person", "uscc",
                            "缺少统一社会信用代码 / the USCC is missing");
    int i = uscc_category_find(info->dept, info->category);
    if (i >= 0 && uscc_categories[i].not_legal != NULL)
        return cy_error_set(
            err, CY_EINVAL, "uscc_not_legal_person", "uscc",
            "统一社会信用代码 %s 的机构类别为 %c%c %s，不是在中华人民共和国境内注册的独立法人 "
            "/ "
            "USCC %s is of category %c%c %s, not an independent legal person registered in "
            "the PRC",
            info->code, info->dept, info->category, uscc_category_name(info->dept, info->category),
            info->code, info->dept, info->category, uscc_categories[i].not_legal);
    return CY_OK;
}
