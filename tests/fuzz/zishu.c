/*
 * zishu.c — fuzzes the 字数 count (core/zishu.c) over any bytes, NUL
 * included. Beyond the sanitizers: the count is refused exactly when the
 * text is not valid UTF-8 (core/utf8.c), never exceeds the number of bytes,
 * and a text written twice with a space between counts twice.
 */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/zishu.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t n = 0;
    cy_error_t err;
    cy_status_t st = zishu_count(s, size, &n, &err);
    if ((st == CY_OK) != (utf8_valid(s, size, NULL) != 0))
        fuzz_die("zishu", "refusal and UTF-8 validity disagree");
    if (st != CY_OK) {
        fuzz_refused(&err);
        return 0;
    }
    if (n > size)
        fuzz_die("zishu", "more 字 than bytes");
    char *twice = malloc(2 * size + 1);
    if (twice == NULL)
        fuzz_die("malloc", "out of memory");
    memcpy(twice, s, size);
    twice[size] = ' ';
    memcpy(twice + size + 1, s, size);
    size_t n2 = 0;
    if (zishu_count(twice, 2 * size + 1, &n2, &err) != CY_OK || n2 != 2 * n)
        fuzz_die("zishu", "a text twice over does not count twice");
    free(twice);
    return 0;
}
