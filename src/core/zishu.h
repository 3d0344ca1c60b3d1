/*
 * zishu.h — 字数: the character count the notice's "不少于/不超过 N 字"
 * limits are measured in (DOMAIN.md §5), the way Word's 字数 counts a
 * Chinese document.
 *
 * Pure: libc and core/error.h only. web/js/zishu.js implements the same
 * rules for the live count in the browser; tests/vectors/zishu.json holds
 * the vectors both must agree on. Must never depend on a locale.
 */
#ifndef CY_CORE_ZISHU_H
#define CY_CORE_ZISHU_H

#include <stddef.h>

#include "core/error.h"

/*
 * zishu_count counts the len bytes of UTF-8 at s (NUL is an ordinary code
 * point, not an end). Each code point at or above U+3000 counts 1, except the
 * whitespace ones (U+3000, U+FEFF); each maximal run of other non-whitespace
 * code points counts 1. Refuses malformed UTF-8 (overlong, surrogate, above
 * U+10FFFF, truncated, stray continuation byte) with CY_EINVAL, code
 * "utf8_invalid", naming the 0-based byte offset. s may be NULL when len is 0.
 * The error's field is empty: the caller knows which field it counted.
 */
cy_status_t zishu_count(const char *s, size_t len, size_t *out, cy_error_t *err);

#endif
