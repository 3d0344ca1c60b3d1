/*
 * zishu.c — 字数 counting per DOMAIN.md §5, with a strict UTF-8 decoder.
 *
 * Pure: libc and core/ only. Must never depend on a locale or on <wctype.h>:
 * the rule is a fixed table so that the C count and web/js/zishu.js agree
 * byte for byte whatever the machine's settings.
 */
#include "core/zishu.h"

#include <stdint.h>

#include "core/utf8.h"

/*
 * The whitespace set of DOMAIN.md §5. U+3000 IDEOGRAPHIC SPACE is in it
 * although it lies in the "count each" range: Word does not count it as a
 * 字, and a Chinese paragraph indented with two of them is still the same
 * length. U+FEFF (a BOM pasted mid-text) is invisible, so it counts nothing.
 */
static int
zishu_is_space(uint32_t cp)
{
    if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
        return 1;
    switch (cp) {
    case 0x00A0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
        return 1;
    default:
        return cp >= 0x2000 && cp <= 0x200B;
    }
}

cy_status_t
zishu_count(const char *s, size_t len, size_t *out, cy_error_t *err)
{
    if (out == NULL || (s == NULL && len > 0))
        return cy_error_set(err, CY_EINVAL, "utf8_invalid", NULL,
                            "缺少要计算字数的文本 / no text to count");
    const unsigned char *u = (const unsigned char *)s;
    size_t count = 0;
    int in_run = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(u + i, len - i, &cp);
        if (n == 0) {
            *out = 0;
            return cy_error_set(err, CY_EINVAL, "utf8_invalid", NULL,
                                "文本在第 %zu 字节处（从 0 起）不是有效的 UTF-8 编码 / "
                                "text is not valid UTF-8 at byte offset %zu (0-based)",
                                i, i);
        }
        i += n;
        if (zishu_is_space(cp)) {
            in_run = 0;
        } else if (cp >= 0x3000) {
            /* a CJK character is a word by itself and also ends a Latin run: "A4纸" is 2 */
            count++;
            in_run = 0;
        } else if (!in_run) {
            count++;
            in_run = 1;
        }
    }
    *out = count;
    return CY_OK;
}
