/*
 * util.c — SHA-256 (libsodium), random tokens and ISO times for app/.
 */
#include "app/util.h"

#include <sodium.h>
#include <string.h>

#include "core/bjtime.h"

void
app_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void
app_random_token(size_t n, char *out, size_t cap)
{
    unsigned char raw[64];
    if (n > sizeof raw)
        n = sizeof raw;
    randombytes_buf(raw, n);
    sodium_bin2base64(out, cap, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

int64_t
app_iso_to_time(const char *iso)
{
    int64_t t;
    if (iso == NULL || bjtime_parse(iso, &t, NULL) != 0)
        return -1;
    return t;
}
