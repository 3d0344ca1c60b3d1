/*
 * money.h — amounts of money as int64_t 分 (fen): parsing what a user types,
 * showing it, and the only arithmetic allowed on it (checked add/sub and one
 * rounding when a rate applies, DOMAIN.md §6).
 *
 * Pure: libc and core/error.h only. Must never store money in floating point
 * nor depend on a locale (the thousands separator is always ',').
 */
#ifndef CY_CORE_MONEY_H
#define CY_CORE_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Bytes money_format needs at most, NUL included: "-¥92,233,720,368,547,758.08". */
#define MONEY_FORMAT_MAX 32

/*
 * money_parse reads an amount in 元 into fen: an optional '-', an optional
 * '¥' (U+00A5) or '￥' (U+FFE5), digits (optionally grouped by ',' in threes),
 * an optional '.' with one or two decimals. No spaces, no '+'.
 * field names the caller's input in the error (NULL means "amount").
 * Refusals (CY_EINVAL): money_empty, money_syntax, money_grouping,
 * money_precision (three or more decimals), money_overflow (outside int64 fen).
 */
cy_status_t money_parse(const char *s, const char *field, int64_t *fen, cy_error_t *err);

/*
 * money_format writes fen as "¥1,234.56" / "-¥0.05" into buf and returns the
 * length written (without the NUL), or -1 when cap is too small, in which case
 * buf holds "" (if cap > 0): it never truncates.
 */
int money_format(int64_t fen, char *buf, size_t cap);

/* a + b and a − b into *out (not NULL); money_overflow when the result leaves int64. */
cy_status_t money_add(int64_t a, int64_t b, int64_t *out, cy_error_t *err);
cy_status_t money_sub(int64_t a, int64_t b, int64_t *out, cy_error_t *err);

/*
 * money_mul_rate sets *out (not NULL) = fen × rate rounded once to the fen, half away
 * from zero (0.5 → 1, −0.5 → −1), so a refund is the mirror of a charge.
 * A product within a few double ulps of a half counts as that half, so that
 * 5 × 0.3 gives 2 as the decimal rate means (see money.c).
 * Refuses a NaN or infinite rate (money_rate) and a result outside int64
 * (money_overflow).
 */
cy_status_t money_mul_rate(int64_t fen, double rate, int64_t *out, cy_error_t *err);

#endif
