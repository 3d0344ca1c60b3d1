/*
 * cache.c — the in-memory copies of cache.h: a key to one slot by FNV-1a,
 * each copy tagged with the generation of the store's cache epoch it was
 * read under. Depends on store/ only.
 */
#include "app/cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 72

typedef struct {
    char key[KEY_MAX]; /* "" when free */
    uint64_t gen;
    void *value;
    size_t size;
} slot_t;

struct app_cache {
    store_t *store;
    pthread_mutex_t mu;
    size_t n;
    slot_t *slots;
    uint64_t hits, misses;
};

app_cache_t *
app_cache_new(store_t *store, size_t slots)
{
    app_cache_t *c = calloc(1, sizeof *c);
    if (c == NULL || (c->slots = calloc(slots, sizeof *c->slots)) == NULL) {
        free(c);
        return NULL;
    }
    c->store = store;
    c->n = slots;
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

void
app_cache_free(app_cache_t *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->slots[i].value);
    pthread_mutex_destroy(&c->mu);
    free(c->slots);
    free(c);
}

static slot_t *
slot_of(const app_cache_t *c, const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return &c->slots[h % c->n];
}

int
app_cache_gen(const app_cache_t *c, uint64_t *gen)
{
    return store_epoch_read(c->store, gen);
}

int
app_cache_get(app_cache_t *c, const char *key, void *out, size_t size)
{
    uint64_t gen;
    int usable = store_epoch_read(c->store, &gen);
    slot_t *s = slot_of(c, key);
    pthread_mutex_lock(&c->mu);
    int hit = usable && s->gen == gen && s->size == size && strcmp(s->key, key) == 0;
    if (hit)
        memcpy(out, s->value, size);
    *(hit ? &c->hits : &c->misses) += 1;
    pthread_mutex_unlock(&c->mu);
    return hit;
}

void
app_cache_put(app_cache_t *c, const char *key, const void *value, size_t size, uint64_t gen)
{
    if (strlen(key) >= KEY_MAX)
        return;
    slot_t *s = slot_of(c, key);
    pthread_mutex_lock(&c->mu);
    if (s->size != size) {
        void *v = realloc(s->value, size);
        if (v == NULL) {
            s->key[0] = '\0';
            pthread_mutex_unlock(&c->mu);
            return;
        }
        s->value = v;
        s->size = size;
    }
    strcpy(s->key, key);
    s->gen = gen;
    memcpy(s->value, value, size);
    pthread_mutex_unlock(&c->mu);
}

void
app_cache_drop(app_cache_t *c, const char *key)
{
    slot_t *s = slot_of(c, key);
    pthread_mutex_lock(&c->mu);
    if (strcmp(s->key, key) == 0)
        s->key[0] = '\0';
    pthread_mutex_unlock(&c->mu);
}

void
app_cache_stats(app_cache_t *c, uint64_t *hits, uint64_t *misses)
{
    pthread_mutex_lock(&c->mu);
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->mu);
}
