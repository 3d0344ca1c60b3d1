/*
 * bjtime.h — instants as int64_t UTC seconds since 1970-01-01T00:00:00Z,
 * read and shown in Beijing time (UTC+8, no daylight saving since 1991), and
 * the deadline rule of the notice (以送达时间为准).
 *
 * Pure: libc and core/error.h only. Must never depend on the TZ variable,
 * localtime, timegm or the machine's clock: the calendar is computed
 * (Howard Hinnant's days-from-civil), so every server agrees.
 */
#ifndef CY_CORE_BJTIME_H
#define CY_CORE_BJTIME_H

#include <stdint.h>

#include "core/error.h"

#define BJTIME_OFFSET (8 * 3600) /* Beijing is UTC+8 all year */

/*
 * bjtime_parse reads
 *   YYYY-MM-DD                        Beijing midnight
 *   YYYY-MM-DD HH:MM[:SS[.fff]]       Beijing time ('T' may replace the space)
 *   YYYY-MM-DDTHH:MM[:SS[.fff]]Z      UTC
 *   YYYY-MM-DDTHH:MM[:SS[.fff]]±HH:MM that offset
 * into UTC seconds. Fractions of a second are dropped (storage is whole
 * seconds; truncation never moves a receipt past a deadline second).
 * Years 1900–9999. Refusals (CY_EINVAL, field empty: the caller names it):
 *   time_format   not one of the shapes above
 *   time_invalid  a part out of range: year, month, day in that month
 *                 (leap years), hour < 24, minute < 60, second < 60, offset
 */
cy_status_t bjtime_parse(const char *s, int64_t *utc, cy_error_t *err);

/*
 * Formatters for any instant of years 0000–9999 in their zone; an instant
 * outside (never produced by bjtime_parse) prints as zeros ("0000-00-00 ...")
 * rather than as a plausible wrong date.
 */
void bjtime_format(int64_t utc, char buf[32]);      /* "2024-01-28 17:30:00" Beijing */
void bjtime_format_date(int64_t utc, char buf[16]); /* "2024-01-28" Beijing */
void utc_format_iso(int64_t utc, char buf[32]);     /* "2024-01-28T09:30:00Z" */

/*
 * bjtime_end_of_day returns the UTC second of 23:59:59 Beijing time on
 * y-m-d (a valid date: month 1–12, day within the month).
 */
int64_t bjtime_end_of_day(int y, int m, int d);

/* bjtime_is_late is 1 when receipt_utc is after deadline_utc; the deadline second itself is on
 * time. */
int bjtime_is_late(int64_t receipt_utc, int64_t deadline_utc);

#endif
