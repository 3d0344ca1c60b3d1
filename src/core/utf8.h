/*
 * utf8.h — the one strict UTF-8 decoder (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). Pure: libc only.
 */
#ifndef CY_CORE_UTF8_H
#define CY_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * utf8_decode reads one code point at p (n > 0 bytes available) into *cp and
 * returns its length in bytes, or 0 when the bytes are not well-formed.
 */
size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

/*
 * utf8_valid returns 1 when s (n bytes) is well-formed UTF-8; otherwise 0 and,
 * if bad_offset is not NULL, the offset of the first bad byte.
 */
int utf8_valid(const char *s, size_t n, size_t *bad_offset);

/*
 * utf8_trim_partial cuts a NUL-terminated string back to its last whole
 * UTF-8 sequence: what snprintf leaves when it truncates mid-character.
 */
void utf8_trim_partial(char *s);

/*
 * utf8_sanitize copies src (n bytes) into dst (cap > 0 bytes, always
 * NUL-terminated) as well-formed UTF-8: a character cut short (its lead
 * byte and some of its continuation bytes, then anything else or the end)
 * is dropped, as a bounded format like %.32s leaves it; any other
 * ill-formed byte becomes U+FFFD. The copy ends at the last whole character
 * that fits. Returns the length written.
 */
size_t utf8_sanitize(char *dst, size_t cap, const char *src, size_t n);

#endif
