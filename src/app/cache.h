/*
 * cache.h — copies of rows kept in memory, dropped as soon as any process
 * sharing the store changes them (store.h: the cache epoch). One cache per
 * kind of row (who an API token or a session is; a product): a fixed number
 * of slots, each a copy of a value (a plain struct, no pointers); a key
 * (text) hashes to one slot, whose newer occupant replaces the older.
 * Thread-safe.
 *
 * The one way to use it:
 *
 *     if (app_cache_get(cache, key, &v, sizeof v))   // read under the current generation
 *         return v;
 *     uint64_t gen;
 *     int keep = app_cache_gen(cache, &gen);  // BEFORE reading the rows
 *     ... read the rows into v ...
 *     if (keep)
 *         app_cache_put(cache, key, &v, sizeof v, gen);
 *
 * Taking the generation before the read is what makes a change committed
 * during the read drop the copy. Depends on store/ only.
 */
#ifndef CY_APP_CACHE_H
#define CY_APP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct app_cache app_cache_t;

/* NULL when out of memory. */
app_cache_t *app_cache_new(store_t *store, size_t slots);
void app_cache_free(app_cache_t *c);

/* The generation to read rows under; 1 when copies may be kept now (the store is watched). */
int app_cache_gen(const app_cache_t *c, uint64_t *gen);

/*
 * app_cache_get copies key's value (size bytes) into out and answers 1 when
 * it was read under the current generation and copies may be used now;
 * else 0 (out untouched).
 */
int app_cache_get(app_cache_t *c, const char *key, void *out, size_t size);

/*
 * app_cache_put keeps a copy of value (size bytes) under key, read under
 * gen (a key over 71 bytes, or no memory: nothing is kept).
 */
void app_cache_put(app_cache_t *c, const char *key, const void *value, size_t size, uint64_t gen);

/* app_cache_drop forgets key. */
void app_cache_drop(app_cache_t *c, const char *key);

/* How many gets found their copy, and how many did not (for tests and /metrics). */
void app_cache_stats(app_cache_t *c, uint64_t *hits, uint64_t *misses);

#endif
