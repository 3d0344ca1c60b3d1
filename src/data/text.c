/*
 * text.c — reading a whole data file, splitting a bilingual refusal (text.h).
 */
#include "data/text.h"

#include <stdlib.h>
#include <string.h>

data_read_t
data_slurp(FILE *f, size_t max, char **out, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b != NULL) {
        if (n + 1 >= cap) {
            if (cap >= max) {
                free(b);
                return DATA_READ_TOO_LARGE;
            }
            char *nb = realloc(b, cap * 2);
            if (nb == NULL) {
                free(b);
                return DATA_READ_NO_MEMORY;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (b == NULL)
        return DATA_READ_NO_MEMORY;
    if (ferror(f)) {
        free(b);
        return DATA_READ_IO;
    }
    b[n] = '\0';
    *out = b;
    *len = n;
    return DATA_READ_OK;
}

void
data_halves(char *buf, size_t cap, const char **zh, const char **en, const char *fmt, va_list ap)
{
    vsnprintf(buf, cap, fmt, ap);
    *zh = *en = buf;
    char *sep = strstr(buf, " / ");
    if (sep != NULL) {
        *sep = '\0';
        *en = sep + 3;
    }
}
