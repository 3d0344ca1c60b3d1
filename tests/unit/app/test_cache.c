/*
 * test_cache.c — app/cache.h over a real SQLite store: a copy is answered
 * only while the store is watched and its generation is the current one; a
 * committed change to cached rows (store_epoch_bump) drops every copy at
 * once; a copy read under a generation taken before such a change is never
 * answered after it; keys that share a slot replace each other; a value of
 * another size is not answered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "cytest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/cache.h"

static char dir[64];
static store_t *store;

typedef struct {
    int64_t id;
    char name[40];
} row_t;

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cy-cache-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    cy_error_t err;
    if (store_open(url, 2, &store, &err) != CY_OK)
        return -1;
    store_conn_t *c;
    store_acquire(store, &c, &err);
    store_exec_script(c,
                      "CREATE TABLE cache_epoch (id INTEGER PRIMARY KEY, n BIGINT NOT NULL);"
                      "INSERT INTO cache_epoch VALUES (1, 0)",
                      &err);
    store_release(store, c);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    store_close(store);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

CY_GROUP("tests", setup, teardown);

static void
wait_watched(void)
{
    uint64_t g;
    for (int i = 0; i < 200 && !store_epoch_read(store, &g); i++) {
        struct timespec t = {0, 10000000L};
        nanosleep(&t, NULL);
    }
    assert_true(store_epoch_read(store, &g));
}

static void
change_cached_rows(void)
{
    store_conn_t *c;
    cy_error_t err;
    assert_int_equal(store_tx_open(store, &c, &err), CY_OK);
    assert_int_equal(store_tx_close(store, c, store_epoch_bump(c, &err), &err), CY_OK);
}

CY_TEST(test_nothing_is_answered_while_the_store_is_not_watched)
{
    (void)state;
    app_cache_t *c = app_cache_new(store, 16);
    uint64_t gen;
    assert_false(app_cache_gen(c, &gen));
    row_t r = {7, "seven"}, out = {0};
    app_cache_put(c, "r:7", &r, sizeof r, gen);
    assert_false(app_cache_get(c, "r:7", &out, sizeof out));
    assert_int_equal(out.id, 0);
    uint64_t hits, misses;
    app_cache_stats(c, &hits, &misses);
    assert_true(hits == 0 && misses == 1);
    app_cache_free(c);
}

CY_TEST(test_a_copy_is_answered_until_a_change_is_committed)
{
    (void)state;
    cy_error_t err;
    assert_int_equal(store_epoch_watch(store, &err), CY_OK);
    wait_watched();
    app_cache_t *c = app_cache_new(store, 16);
    uint64_t gen;
    assert_true(app_cache_gen(c, &gen));
    row_t r = {7, "seven"}, out = {0};
    app_cache_put(c, "r:7", &r, sizeof r, gen);
    assert_true(app_cache_get(c, "r:7", &out, sizeof out));
    assert_int_equal(out.id, 7);
    assert_string_equal(out.name, "seven");
    assert_false(app_cache_get(c, "r:8", &out, sizeof out));
    /* another size under the same key is not this value */
    int64_t small;
    assert_false(app_cache_get(c, "r:7", &small, sizeof small));
    change_cached_rows();
    memset(&out, 0, sizeof out);
    assert_false(app_cache_get(c, "r:7", &out, sizeof out));
    assert_int_equal(out.id, 0);
    /* a copy read under the generation before the change is not answered either */
    app_cache_put(c, "r:7", &r, sizeof r, gen);
    assert_false(app_cache_get(c, "r:7", &out, sizeof out));
    assert_true(app_cache_gen(c, &gen));
    app_cache_put(c, "r:7", &r, sizeof r, gen);
    assert_true(app_cache_get(c, "r:7", &out, sizeof out));
    app_cache_drop(c, "r:7");
    assert_false(app_cache_get(c, "r:7", &out, sizeof out));
    uint64_t hits, misses;
    app_cache_stats(c, &hits, &misses);
    assert_true(hits == 2 && misses == 5);
    app_cache_free(c);
}

CY_TEST(test_keys_of_one_slot_replace_each_other)
{
    (void)state;
    app_cache_t *c = app_cache_new(store, 1); /* every key in the one slot */
    uint64_t gen;
    assert_true(app_cache_gen(c, &gen));
    row_t a = {1, "a"}, b = {2, "b"}, out;
    app_cache_put(c, "a", &a, sizeof a, gen);
    app_cache_put(c, "b", &b, sizeof b, gen);
    assert_false(app_cache_get(c, "a", &out, sizeof out));
    assert_true(app_cache_get(c, "b", &out, sizeof out));
    assert_int_equal(out.id, 2);
    /* a key too long to keep is not kept, and does not disturb the slot */
    char key[100];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    app_cache_put(c, key, &a, sizeof a, gen);
    assert_false(app_cache_get(c, key, &out, sizeof out));
    assert_true(app_cache_get(c, "b", &out, sizeof out));
    app_cache_free(c);
}
