/*
 * csv.h — a small RFC 4180 CSV reader over a memory buffer.
 *
 * Pure: no I/O, no allocation, no globals. The caller owns the input buffer,
 * a scratch buffer that receives the text of one record, and the array of
 * field slots; csv_next fills them one record at a time, so a file of a
 * million rows costs no more memory than one row. Used for the reference
 * data under data/ and for bulk uploads (quotes, exposures).
 *
 * Accepted: quoted fields with doubled quotes (""), commas and line breaks
 * inside quotes, LF, CRLF or lone CR line endings, a UTF-8 byte-order mark at
 * the start, a last record without a line ending. Refused, with the line
 * number: an unterminated quote, a quote inside an unquoted field, text after
 * a closing quote, a NUL byte, a field that does not fit the scratch buffer,
 * more fields than the caller's array holds. Nothing is truncated silently.
 *
 * Depends on core/error.h and libc only; never on jansson or stdio.
 */
#ifndef CY_CORE_CSV_H
#define CY_CORE_CSV_H

#include <stddef.h>

#include "core/error.h"

/* Flags for csv_reader_init. */
#define CSV_SKIP_COMMENTS 0x1u /* skip records whose first byte is '#' (to the line end) */
#define CSV_SKIP_BLANK    0x2u /* skip empty lines instead of returning one empty field */

/* One field: ptr is a NUL-terminated copy in the row's scratch buffer. */
typedef struct {
    const char *ptr;
    size_t len;
} csv_field_t;

/* Reader state. Initialise with csv_reader_init; the fields are read-only to callers. */
typedef struct {
    const char *buf;
    size_t len;
    size_t pos;  /* offset of the next unread byte */
    size_t line; /* 1-based line number of buf[pos] */
    unsigned flags;
} csv_reader_t;

/*
 * One record. The caller sets scratch/scratch_cap (room for all field text
 * of a record plus one NUL per field) and fields/max_fields; csv_next sets
 * n_fields and line. The slots stay valid until the next call with the same
 * scratch buffer.
 */
typedef struct {
    char *scratch;
    size_t scratch_cap;
    csv_field_t *fields;
    size_t max_fields;
    size_t n_fields; /* out: fields read, >= 1; 0 at the end of the input */
    size_t line;     /* out: line on which the record starts */
} csv_row_t;

/*
 * csv_reader_init prepares r to read buf[0..len). buf must outlive r. A
 * leading UTF-8 byte-order mark is skipped. flags: CSV_SKIP_* above.
 */
void csv_reader_init(csv_reader_t *r, const char *buf, size_t len, unsigned flags);

/*
 * csv_next reads the next record into row. Returns CY_OK with
 * row->n_fields >= 1 for a record, CY_OK with row->n_fields == 0 at the end
 * of the input, or CY_EINVAL with err->code one of csv_unterminated_quote,
 * csv_bad_quote, csv_nul_byte, csv_field_too_long, csv_too_many_fields and a
 * message naming the line ("第 N 行：… / line N: …"). After an error the
 * reader stays at the end of its input.
 */
cy_status_t csv_next(csv_reader_t *r, csv_row_t *row, cy_error_t *err);

#endif
