/*
 * uscc.h — 统一社会信用代码 (GB 32100-2015) and the 组织机构代码 (GB 11714)
 * embedded in it: syntax, check characters, the 机构类别 and whether the
 * holder is an independent legal person registered in the PRC (notice §四(一)).
 *
 * Pure domain rule: depends on libc and core/error.h only. It must never
 * depend on a region table (historic region codes such as 100000 stay valid),
 * on storage, JSON or HTTP.
 */
#ifndef CY_CORE_USCC_H
#define CY_CORE_USCC_H

#include "core/error.h"

typedef struct {
    char code[19];  /* the 18 characters, upper-cased */
    char dept;      /* pos 1 登记管理部门码 */
    char category;  /* pos 2 机构类别码 */
    char region[7]; /* pos 3–8 登记管理机关行政区划码 (not checked against GB/T 2260) */
    char orgcode[10]; /* pos 9–17 组织机构代码, its own check last */
    int orgcode_ok;   /* 1 when the GB 11714 check of orgcode holds; 0 is a warning only */
} uscc_info_t;

/*
 * uscc_check validates s (NUL-terminated). Lower-case letters are accepted
 * and upper-cased. On success fills out (if not NULL) and returns CY_OK; a
 * wrong embedded org-code check is not a refusal, it sets orgcode_ok = 0.
 * Refusals (CY_EINVAL, field "uscc"):
 *   uscc_length       not 18 characters (the message says how many were found)
 *   uscc_charset      a character outside 0-9 A-H J-N P-R T U W-Y (names its 1-based position)
 *   uscc_check_digit  pos 18 is not the computed check (names the expected one)
 */
cy_status_t uscc_check(const char *s, uscc_info_t *out, cy_error_t *err);

/*
 * uscc_check_char returns the check character for the first 17 characters
 * (upper case only), or '\0' if one of them is outside the USCC charset.
 */
char uscc_check_char(const char first17[17]);

/*
 * uscc_category_name returns the Chinese name of the 机构类别 given by the
 * 登记管理部门码 and 机构类别码, or "未知类别". The string is static.
 */
const char *uscc_category_name(char dept, char category);

/*
 * uscc_legal_person returns CY_OK when info (from uscc_check) names a body
 * that can be an independent legal person registered in the PRC, else
 * CY_EINVAL with code "uscc_not_legal_person" naming the category found.
 */
cy_status_t uscc_legal_person(const uscc_info_t *info, cy_error_t *err);

#endif
