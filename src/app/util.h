/*
 * util.h — small helpers app/ shares: hashing, random tokens, ISO times.
 * There is no clock here: a use case is given its `now`.
 */
#ifndef CY_APP_UTIL_H
#define CY_APP_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 of data as 64 lower-case hex digits */
void app_sha256_hex(const void *data, size_t len, char out[65]);
/* n random bytes as URL-safe base64 without padding (out needs 4n/3 + 2) */
void app_random_token(size_t n, char *out, size_t cap);
/* UTC ISO text back to seconds; -1 when malformed */
int64_t app_iso_to_time(const char *iso);

#endif
