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

#endif
