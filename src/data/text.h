/*
 * text.h — what every loader of data/ files (JSON and CSV) shares: reading a
 * whole file into memory, and splitting a "中文 / English" refusal into its
 * halves so the loader can put the file and line in front of each.
 *
 * libc only.
 */
#ifndef CY_DATA_TEXT_H
#define CY_DATA_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

typedef enum {
    DATA_READ_OK,
    DATA_READ_TOO_LARGE, /* more than max bytes */
    DATA_READ_NO_MEMORY,
    DATA_READ_IO, /* ferror */
} data_read_t;

/*
 * data_slurp reads the rest of f (not closed) into a malloc'd buffer,
 * NUL-terminated, of at most max bytes: *out and *len on DATA_READ_OK;
 * nothing kept otherwise.
 */
data_read_t data_slurp(FILE *f, size_t max, char **out, size_t *len);

/*
 * data_halves formats fmt ("中文 / English") into buf and splits it at its
 * first " / ": *zh and *en point into buf (both the whole text when it has
 * no " / ").
 */
void data_halves(char *buf, size_t cap, const char **zh, const char **en, const char *fmt,
                 va_list ap) __attribute__((format(printf, 5, 0)));

/*
 * data_refusev refuses with CY_EINVAL, code and field, putting where a data
 * file goes wrong in front of each half of fmt ("中文 / English"):
 *   line > 0:  "FILE 第 L 行 WHERE：中文 / FILE line L, WHERE: English"
 *   line == 0: "FILE WHERE：中文 / FILE WHERE: English"
 * WHERE (a column, a key or a JSON path) and its separator are left out when
 * where is NULL. Every loader of data/ files words its refusals through it.
 */
cy_status_t data_refusev(cy_error_t *err, const char *code, const char *field, const char *file,
                         size_t line, const char *where, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));

/*
 * data_refuse_csv words a refusal of core/csv.h ("第 N 行：… / line N: …")
 * for file: "FILE 第 N 行：… / FILE line N: …", with code and CY_EINVAL.
 */
cy_status_t data_refuse_csv(cy_error_t *err, const char *code, const char *file,
                            const cy_error_t *csv);

/*
 * data_code_find returns the entry of table (n entries of size bytes) whose
 * code is code, or NULL (code NULL too). An entry begins with its code, a
 * NUL-terminated char array: the shape of every list the loaders fill.
 */
const void *data_code_find(const void *table, size_t n, size_t size, const char *code);

#endif
