/*
 * text.c — reading a whole data file, splitting a bilingual refusal (text.h).
 */
#include "data/text.h"

#include <stdio.h>
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

cy_status_t
data_refusev(cy_error_t *err, const char *code, const char *field, const char *file, size_t line,
             const char *where, const char *fmt, va_list ap)
{
    char detail[512];
    const char *zh, *en;
    data_halves(detail, sizeof detail, &zh, &en, fmt, ap);
    const char *w = where != NULL ? where : "";
    if (line > 0)
        return cy_error_set(
            err, CY_EINVAL, code, field, "%s 第 %zu 行%s%s：%s / %s line %zu%s%s: %s", file, line,
            where != NULL ? " " : "", w, zh, file, line, where != NULL ? ", " : "", w, en);
    return cy_error_set(err, CY_EINVAL, code, field, "%s%s%s：%s / %s%s%s: %s", file,
                        where != NULL ? " " : "", w, zh, file, where != NULL ? " " : "", w, en);
}

cy_status_t
data_refuse_csv(cy_error_t *err, const char *code, const char *file, const cy_error_t *csv)
{
    char msg[sizeof csv->message];
    snprintf(msg, sizeof msg, "%s", csv->message);
    char *sep = strstr(msg, " / ");
    if (sep != NULL)
        *sep = '\0';
    return cy_error_set(err, CY_EINVAL, code, file, "%s %s / %s %s", file, msg, file,
                        sep ? sep + 3 : "");
}

const void *
data_code_find(const void *table, size_t n, size_t size, const char *code)
{
    for (size_t i = 0; code != NULL && i < n; i++) {
        const char *entry = (const char *)table + i * size;
        if (strcmp(entry, code) == 0)
            return entry;
    }
    return NULL;
}
