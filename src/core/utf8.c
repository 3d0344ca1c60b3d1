/*
 * utf8.c — strict UTF-8 decoding for 字数 counting and input validation.
 * Pure: libc only.
 */
#include "core/utf8.h"

#include <string.h>

size_t
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char b = p[0];
    size_t len;
    uint32_t min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        len = 2, min = 0x80, *cp = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, min = 0x800, *cp = b & 0x0Fu;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, min = 0x10000, *cp = b & 0x07u;
    } else {
        return 0; /* continuation byte, C0/C1 (always overlong), F5–FF */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (p[i] & 0x3Fu);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

int
utf8_valid(const char *s, size_t n, size_t *bad_offset)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(u + i, n - i, &cp);
        if (k == 0) {
            if (bad_offset)
                *bad_offset = i;
            return 0;
        }
        i += k;
    }
    return 1;
}

void
utf8_trim_partial(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    /* walk back over continuation bytes to the last lead byte */
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : 4;
    if (n - (i - 1) < need)
        s[i - 1] = '\0';
}

/* How many bytes at p (n available) are the start of a character cut short: 0 if none. */
static size_t
cut_short(const unsigned char *p, size_t n)
{
    size_t len = p[0] >= 0xC2 && p[0] <= 0xDF   ? 2
                 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
                 : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4
                                                : 0;
    size_t k = 1;
    while (k < len && k < n && (p[k] & 0xC0) == 0x80)
        k++;
    return len > 0 && k < len ? k : 0;
}

size_t
utf8_sanitize(char *dst, size_t cap, const char *src, size_t n)
{
    static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */
    const unsigned char *u = (const unsigned char *)src;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(u + i, n - i, &cp);
        const char *from = src + i;
        size_t len = k;
        if (k == 0 && (k = cut_short(u + i, n - i)) > 0) {
            i += k; /* half a character: drop it */
            continue;
        }
        if (len == 0) {
            from = REPLACEMENT;
            len = 3;
            k = 1;
        }
        if (w + len >= cap)
            break;
        memcpy(dst + w, from, len);
        w += len;
        i += k;
    }
    dst[w] = '\0';
    return w;
}
