/*
 * test_audit.c — the audit chain under concurrent writers, on SQLite in a
 * temporary folder or on the PostgreSQL database named by CYBERINS_TEST_PG
 * (tests/unit/with-pg.sh), where entries are written pending and chained by
 * a sequencer (app/audit.c):
 *  - 8 threads append 400 entries, one in three in a transaction that then
 *    fails: exactly the committed ones exist, each once, and the chain
 *    verifies with a gap-free seq and the head on its last entry;
 *  - every reader chains first: a list, verify and head see every entry
 *    committed before them, none pending;
 *  - the sequencer thread of a server chains what is written while nobody
 *    reads, and with readers chaining at the same time nothing forks.
 * Counted straight in the database, independently of the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "app/audit.h"

#ifndef CY_SOURCE_DIR
#error "the build defines CY_SOURCE_DIR, the repository root"
#endif

static app_t *app;
static char dir[64];
static actor_t op;

static int
setup(void **state)
{
    (void)state;
    const char *pg = getenv("CYBERINS_TEST_PG");
    char url[256];
    if (pg != NULL && pg[0]) {
        snprintf(url, sizeof url, "%s", pg);
    } else {
        snprintf(dir, sizeof dir, "/tmp/cy-audit-XXXXXX");
        if (mkdtemp(dir) == NULL)
            return -1;
        snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    }
    app_config_t cfg = {.db_url = url,
                        .data_dir = CY_SOURCE_DIR "/data",
                        .pool_size = 9,
                        .migrate = 1,
                        .now = 1898560800};
    cy_error_t err;
    if (app_open(&cfg, &app, &err) != CY_OK) {
        fprintf(stderr, "app_open %s: %s\n", url, err.message);
        return -1;
    }
    fprintf(stderr, "backend: %s\n", store_backend_name(app->store));
    actor_cli(&op, "test");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    app_close(app);
    if (dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            return -1;
    }
    return 0;
}

static int64_t
count(const char *sql)
{
    store_conn_t *c;
    cy_error_t err;
    int64_t n = -1;
    store_acquire(app->store, &c, &err);
    if (store_query_int(c, sql, NULL, 0, &n, NULL, &err) != CY_OK)
        fail_msg("%s: %s", sql, err.message);
    store_release(app->store, c);
    return n;
}

static int
postgresql(void)
{
    return store_backend(app->store) == STORE_POSTGRESQL;
}

/* One write with its entry: committed, or (fail) rolled back after the entry was appended. */
static cy_status_t
write_one(const char *object_id, int fail)
{
    store_conn_t *c;
    cy_error_t err;
    cy_status_t st = store_tx_open(app->store, &c, &err);
    if (st != CY_OK)
        return st;
    st = app_audit_append(c, &op, 1898560800, "test.write", "test", object_id, &err,
                          "测试写入 %s / test write %s", object_id, object_id);
    if (st == CY_OK && fail)
        st = cy_error_set(&err, CY_EINVAL, "rule", NULL, "规则 / rule");
    st = store_tx_close(app->store, c, st, &err);
    return fail && st == CY_EINVAL ? CY_OK : st;
}

typedef struct {
    int thread, n;
    int failed;
} writer_t;

static void *
writer(void *arg)
{
    writer_t *w = arg;
    for (int i = 0; i < w->n; i++) {
        char id[32];
        snprintf(id, sizeof id, "w%d-%d", w->thread, i);
        if (write_one(id, i % 3 == 2) != CY_OK)
            w->failed++;
    }
    return NULL;
}

static void
concurrent_writes(int threads, int each)
{
    pthread_t t[16];
    writer_t w[16];
    for (int i = 0; i < threads; i++) {
        w[i] = (writer_t){i, each, 0};
        pthread_create(&t[i], NULL, writer, &w[i]);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].failed, 0);
    }
}

static void
assert_chain_whole(int64_t entries)
{
    audit_verify_t v;
    cy_error_t err;
    assert_int_equal(app_audit_verify(app, &op, NULL, &v, &err), CY_OK);
    if (!v.ok)
        fail_msg("%s", v.reason);
    assert_true(v.entries == entries);
    int64_t seq;
    char hash[65];
    assert_int_equal(app_audit_head(app, &op, &seq, hash, &err), CY_OK);
    assert_true(seq == entries);
    assert_int_equal(app_audit_verify(app, &op, hash, &v, &err), CY_OK);
    assert_true(v.ok && v.anchor_seq == entries);
}

static void
test_concurrent_writers_make_one_whole_chain_of_exactly_the_committed(void **state)
{
    (void)state;
    int64_t before = count("SELECT COUNT(*) FROM audit_log");
    concurrent_writes(8, 50);
    /* 8 × 50 writes, one in three rolled back: 8 × 34 committed */
    int64_t committed = 8 * 34;
    assert_true(count("SELECT COUNT(*) FROM audit_log") == before + committed);
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE object_id LIKE 'w%-2'") == 0);
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE object_id LIKE 'w%-3'") == 8);
    if (postgresql()) /* written pending: nobody has read the chain yet */
        assert_true(count("SELECT COUNT(*) FROM audit_log WHERE seq IS NULL") == committed);
    assert_chain_whole(before + committed);
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE seq IS NULL") == 0);
    assert_true(count("SELECT MAX(seq) FROM audit_log") == before + committed);
    assert_true(count("SELECT COUNT(DISTINCT seq) FROM audit_log") == before + committed);
}

static void
test_a_list_shows_every_entry_committed_before_it(void **state)
{
    (void)state;
    assert_int_equal(write_one("listed", 0), CY_OK);
    audit_filter_t f = {"test", "listed"};
    app_page_t pg = {0, 10};
    audit_list_t l;
    cy_error_t err;
    assert_int_equal(app_audit_list(app, &op, &f, &pg, &l, &err), CY_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].object_id, "listed");
    assert_true(l.items[0].seq == count("SELECT MAX(seq) FROM audit_log"));
    assert_int_equal(strlen(l.items[0].hash), 64);
    audit_list_free(&l);
}

static int reading;

/* A reader that chains before each read, while the sequencer thread chains too. */
static void *
reader(void *arg)
{
    (void)arg;
    while (__atomic_load_n(&reading, __ATOMIC_SEQ_CST)) {
        audit_filter_t f = {NULL, NULL};
        app_page_t pg = {0, 5};
        audit_list_t l;
        cy_error_t err;
        if (app_audit_list(app, &op, &f, &pg, &l, &err) == CY_OK)
            audit_list_free(&l);
    }
    return NULL;
}

static void
test_the_sequencer_chains_while_nobody_reads(void **state)
{
    (void)state;
    if (!postgresql())
        skip(); /* SQLite chains in the writer's transaction */
    cy_error_t err;
    int64_t before = count("SELECT COUNT(*) FROM audit_log");
    concurrent_writes(4, 30); /* nobody chains: 4 × 20 committed, pending */
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE seq IS NULL") == 80);
    assert_int_equal(app_audit_sequencer_start(app, &err), CY_OK);
    /* more writes while the sequencer and a reader chain at once */
    pthread_t r;
    reading = 1;
    pthread_create(&r, NULL, reader, NULL);
    concurrent_writes(4, 30);
    __atomic_store_n(&reading, 0, __ATOMIC_SEQ_CST);
    pthread_join(r, NULL);
    int64_t pending = 1;
    for (int i = 0; i < 300 && pending > 0; i++) {
        struct timespec t = {0, 10000000L};
        nanosleep(&t, NULL);
        pending = count("SELECT COUNT(*) FROM audit_log WHERE seq IS NULL");
    }
    assert_true(pending == 0);
    app_audit_sequencer_stop(app);
    assert_true(count("SELECT MAX(seq) FROM audit_log") == before + 160);
    assert_chain_whole(before + 160);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_writers_make_one_whole_chain_of_exactly_the_committed),
        cmocka_unit_test(test_a_list_shows_every_entry_committed_before_it),
        cmocka_unit_test(test_the_sequencer_chains_while_nobody_reads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
