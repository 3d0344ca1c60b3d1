/*
 * strset.h — a set of strings in order of first appearance, with an
 * open-addressing index (FNV-1a, linear probing): interning names in one
 * pass instead of sorting them, and finding a repeated key in time linear
 * in the keys. The set keeps pointers, not copies: a string must outlive
 * the set. For keys from files an operator controls (the hash is not
 * seeded: a file crafted for collisions makes it quadratic); a list from a
 * client is checked by sorting instead. Pure: libc only.
 */
#ifndef CY_CORE_STRSET_H
#define CY_CORE_STRSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char **s; /* the distinct strings, in order of first appearance */
    size_t n, cap;
    uint32_t *slot; /* 0: empty, else index + 1 into s */
    size_t mask;    /* slots − 1, a power of two minus one */
} strset_t;

/* strset_find returns the index of s in t, or −1. */
long strset_find(const strset_t *t, const char *s);

/* strset_add returns the index of s in t, added if new (s must outlive t); −1: out of memory. */
long strset_add(strset_t *t, const char *s);

/* strset_free frees t's arrays (not the strings) and leaves it empty. */
void strset_free(strset_t *t);

#endif
