/*
 * test_strset.c — the string set: indices in order of first appearance,
 * through the index's growth, checked against a plain linear search.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cytest.h"

#include "core/strset.h"

CY_TEST(test_strset_indices_in_order_of_first_appearance)
{
    (void)state;
    strset_t t = {0};
    assert_int_equal(strset_find(&t, "a"), -1);
    assert_int_equal(strset_add(&t, "b"), 0);
    assert_int_equal(strset_add(&t, "a"), 1);
    assert_int_equal(strset_add(&t, "b"), 0);
    assert_int_equal(strset_add(&t, ""), 2);
    assert_int_equal(strset_find(&t, ""), 2);
    assert_int_equal(strset_find(&t, "c"), -1);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.s[1], "a");
    strset_free(&t);
    assert_int_equal(t.n, 0);
    assert_null(t.slot);
    assert_int_equal(strset_find(&t, "a"), -1);
}

/* 5,000 keys, each added twice in a shuffled order: the index grows seven times */
CY_TEST(test_strset_agrees_with_a_linear_search_through_growth)
{
    (void)state;
    enum { N = 5000 };
    static char keys[N][12];
    static long seen[N];
    size_t n_seen = 0;
    strset_t t = {0};
    uint32_t x = 12345;
    for (size_t k = 0; k < 2 * N; k++) {
        x = x * 1103515245u + 12345u;
        size_t i = (x >> 8) % N;
        snprintf(keys[i], sizeof keys[i], "k%zu", i);
        long want = -1;
        for (size_t j = 0; j < n_seen && want < 0; j++)
            if (strcmp(t.s[seen[j]], keys[i]) == 0)
                want = seen[j];
        long got = strset_add(&t, keys[i]);
        if (want >= 0) {
            assert_int_equal(got, want);
        } else {
            assert_int_equal(got, (long)n_seen);
            seen[n_seen++] = got;
        }
        assert_int_equal(strset_find(&t, keys[i]), got);
    }
    assert_int_equal(t.n, n_seen);
    assert_true(t.mask + 1 >= 2 * t.n);
    strset_free(&t);
}
