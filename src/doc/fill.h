/*
 * fill.h — the placeholders of doc/'s templates, shared by the files of doc/
 * (forms and workbooks) and by nothing outside it.
 *
 * A template text is fixed text with placeholders: "{form.name}",
 * "{lead.registered_capital_fen|wan}", "{nature|map:nature}{nature_other}",
 * "{form.direction|check:enterprise}企业类". A path is keys joined by '.'
 * (a number indexes an array), read from the current element of the
 * innermost "each" — or from the record when it starts with '/'; "." is the
 * element itself and "#" its 1-based number. "{{" and "}}" are literal
 * braces. Filters, applied left to right; the first four read the value and
 * must come first, the others work on its text:
 *   yuan            int64 fen → "1,234.56" (core/money: one formatter)
 *   wan             int64 fen → 万元 (12,500,000 fen → "12.5"), no grouping
 *   date            "2024-01-20" or an ISO instant → "2024年1月20日" (Beijing)
 *   datetime        an ISO instant → "2024年1月20日 10:00" (Beijing)
 *   count           an array's length
 *   join:SEP        an array's items joined by SEP
 *   map:NAME        the template's maps[NAME][text] ("*" for any other; else the text)
 *   label:KEY       name_zh of the element of refs[KEY] (or of its "items") whose code is the text
 *   check:VALUE     "☑" when the text is VALUE, else "☐"
 *   or:TEXT         TEXT when the text is empty
 * A missing value is empty text; an integer prints in decimal; true/false as 是/否.
 * Depends on core/ (money, bjtime), jansson and libxml2's buffer.
 */
#ifndef CY_DOC_FILL_H
#define CY_DOC_FILL_H

#include <stddef.h>

#include <jansson.h>

#include "core/error.h"

typedef struct {
    const json_t *root; /* the record */
    const json_t *cur;  /* the element of the innermost each (the record outside any) */
    size_t index;       /* its 1-based number; 0 outside any each */
    const json_t *maps; /* the template's "maps" object, or NULL */
    const json_t *refs; /* the caller's reference lists, or NULL */
} fill_ctx_t;

/*
 * fill_check returns 1 when tpl is a well-formed template text whose filters
 * exist and whose map filters name maps of maps; otherwise 0 with the reason
 * ("中文 / English") in why.
 */
int fill_check(const char *tpl, const json_t *maps, char *why, size_t cap);

/* fill_check_path returns 1 when path is a well-formed path (as inside a placeholder). */
int fill_check_path(const char *path);

/* fill_get returns the value at path (borrowed; NULL when absent). */
const json_t *fill_get(const fill_ctx_t *c, const char *path);

/*
 * fill_text expands tpl (checked with fill_check) into a new string *out
 * (malloc'd, the caller's). Only CY_ENOMEM can fail.
 */
cy_status_t fill_text(const fill_ctx_t *c, const char *tpl, char **out, cy_error_t *err);

#endif
