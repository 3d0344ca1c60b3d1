/*
 * strset.c — the string set of strset.h.
 */
#include "core/strset.h"

#include <stdlib.h>
#include <string.h>

void
strset_free(strset_t *t)
{
    free(t->s);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static uint32_t
str_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

long
strset_find(const strset_t *t, const char *s)
{
    if (t->slot == NULL)
        return -1;
    for (size_t i = str_hash(s) & t->mask;; i = (i + 1) & t->mask) {
        uint32_t v = t->slot[i];
        if (v == 0)
            return -1;
        if (strcmp(t->s[v - 1], s) == 0)
            return (long)v - 1;
    }
}

long
strset_add(strset_t *t, const char *s)
{
    long f = strset_find(t, s);
    if (f >= 0)
        return f;
    if (t->n == t->cap) {
        size_t c = t->cap ? 2 * t->cap : 16;
        const char **ns = realloc(t->s, c * sizeof *ns);
        if (ns == NULL)
            return -1;
        t->s = ns;
        t->cap = c;
    }
    if (t->slot == NULL || 2 * (t->n + 1) > t->mask + 1) {
        size_t slots = t->slot ? 2 * (t->mask + 1) : 64;
        uint32_t *ns = calloc(slots, sizeof *ns);
        if (ns == NULL)
            return -1;
        for (size_t k = 0; k < t->n; k++) {
            size_t i = str_hash(t->s[k]) & (slots - 1);
            while (ns[i] != 0)
                i = (i + 1) & (slots - 1);
            ns[i] = (uint32_t)k + 1;
        }
        free(t->slot);
        t->slot = ns;
        t->mask = slots - 1;
    }
    size_t i = str_hash(s) & t->mask;
    while (t->slot[i] != 0)
        i = (i + 1) & t->mask;
    t->s[t->n] = s;
    t->slot[i] = (uint32_t)++t->n;
    return (long)t->n - 1;
}
