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
 *    reads, and with readers chaining at the same time nothing forks;
 *  - an entry's INSERT is sent with the commit on PostgreSQL
 *    (store_exec_later): a statement kept so that fails fails the commit and
 *    leaves nothing, and one kept before a read is seen by it;
 *  - kill -9 of a server (this program again, --writer) while its threads
 *    write and its sequencer chains: every write it acknowledged is there,
 *    and the chain verifies whole over every entry in the table.
 * Counted straight in the database, independently of the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>

#include "cytest.h"
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/app.h"
#include "app/audit.h"
#include "testapp.h"

#ifndef CY_SOURCE_DIR
#error "the build defines CY_SOURCE_DIR, the repository root"
#endif

static app_t *app;
static testapp_store_t ts;
static actor_t op;

static int
setup(void **state)
{
    (void)state;
    app_config_t cfg = {
        .data_dir = CY_SOURCE_DIR "/data", .pool_size = 9, .migrate = 1, .now = 1898560800};
    if (testapp_open(&ts, "audit", cfg, &app) != 0)
        return -1;
    actor_cli(&op, "test");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return testapp_close(&ts, app);
}

CY_GROUP("tests", setup, teardown);

static int64_t
count(const char *sql)
{
    return testapp_count(app, sql);
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

CY_TEST(test_concurrent_writers_make_one_whole_chain_of_exactly_the_committed)
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

CY_TEST(test_a_list_shows_every_entry_committed_before_it)
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

CY_TEST(test_the_sequencer_chains_while_nobody_reads)
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

/* A transaction: an entry, then (kept for later on PostgreSQL) an INSERT of the given hash. */
static cy_status_t
entry_then_later_insert(const char *object_id, const char *hash, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = app_audit_append(c, &op, 1898560800, "test.write", "test", object_id, err,
                          "测试写入 / test write");
    store_param_t p[] = {STORE_P_TEXT(object_id), STORE_P_TEXT(hash)};
    if (st == CY_OK)
        st = store_exec_later(c,
                              "INSERT INTO audit_log (seq, at, user_id, org_id, actor, action, "
                              "object_type, object_id, summary, prev_hash, hash) VALUES (NULL, "
                              "'2030-01-01T00:00:00Z', 0, 0, 'x', 'test.later', 'test', $1, 's', "
                              "NULL, $2)",
                              p, 2, err);
    return store_tx_close(app->store, c, st, err);
}

CY_TEST(test_a_statement_kept_for_later_that_fails_fails_the_commit_and_leaves_nothing)
{
    (void)state;
    cy_error_t err;
    /* a pending row with a hash breaks the table's CHECK: refused at the commit */
    assert_int_equal(entry_then_later_insert("later-bad", "abc", &err), CY_EINVAL);
    assert_string_equal(err.code, "constraint");
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE object_id = 'later-bad'") == 0);
    /* the connection is usable again, and a good one commits both */
    assert_int_equal(entry_then_later_insert("later-good", NULL, &err), CY_OK);
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE object_id = 'later-good'") == 2);
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE action = 'test.later' AND "
                      "object_id = 'later-good'") == 1);
    /* a rollback drops what was kept */
    store_conn_t *c;
    assert_int_equal(store_tx_open(app->store, &c, &err), CY_OK);
    assert_int_equal(
        app_audit_append(c, &op, 1898560800, "test.write", "test", "later-rolled", &err, "x"),
        CY_OK);
    /* kept, then read in the same transaction: sent first, so seen */
    int64_t n = -1;
    assert_int_equal(store_query_int(c,
                                     "SELECT COUNT(*) FROM audit_log WHERE object_id = "
                                     "'later-rolled'",
                                     NULL, 0, &n, NULL, &err),
                     CY_OK);
    assert_true(n == 1);
    assert_int_equal(store_tx_close(app->store, c, CY_EINVAL, &err), CY_EINVAL);
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE object_id = 'later-rolled'") == 0);
    /* the rows of test.later are not entries of the chain: remove them, then it verifies */
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    assert_int_equal(
        store_exec(c, "DELETE FROM audit_log WHERE action = 'test.later'", NULL, 0, NULL, &err),
        CY_OK);
    store_release(app->store, c);
    assert_chain_whole(count("SELECT COUNT(*) FROM audit_log"));
}

/* --writer URL: a server's threads writing until killed, each write acknowledged on stdout. */
static void *
acked_writer(void *arg)
{
    int thread = (int)(intptr_t)arg;
    for (int i = 0;; i++) {
        char id[32], line[40];
        snprintf(id, sizeof id, "k%d-%d", thread, i);
        if (write_one(id, 0) != CY_OK)
            _exit(3);
        int len = snprintf(line, sizeof line, "%s\n", id);
        if (write(1, line, (size_t)len) != len) /* one write() under PIPE_BUF: whole lines */
            _exit(4);
    }
    return NULL;
}

static int
writer_main(const char *db)
{
    app_config_t cfg = {.db_url = db, .data_dir = CY_SOURCE_DIR "/data", .pool_size = 5};
    cy_error_t err;
    if (app_open(&cfg, &app, &err) != CY_OK || app_serve(app, &err) != CY_OK) {
        fprintf(stderr, "writer: %s\n", err.message);
        return 2;
    }
    actor_cli(&op, "test");
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, acked_writer, (void *)(intptr_t)i);
    pthread_join(t[0], NULL); /* never returns: killed */
    return 0;
}

CY_TEST(test_kill_9_loses_no_acknowledged_write_and_the_chain_verifies)
{
    (void)state;
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execl("/proc/self/exe", "test_audit", "--writer", ts.url, (char *)NULL);
        _exit(5);
    }
    close(fd[1]);
    FILE *in = fdopen(fd[0], "r");
    char(*acked)[32] = calloc(4000, sizeof *acked);
    int n = 0;
    while (n < 600 && fgets(acked[n], sizeof acked[n], in) != NULL)
        acked[n][strcspn(acked[n], "\n")] = '\0', n++;
    kill(pid, SIGKILL);
    while (n < 4000 && fgets(acked[n], sizeof acked[n], in) != NULL) /* said before it died */
        acked[n][strcspn(acked[n], "\n")] = '\0', n++;
    fclose(in);
    int status;
    assert_true(waitpid(pid, &status, 0) == pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_true(n >= 600);
    store_conn_t *c;
    cy_error_t err;
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    for (int i = 0; i < n; i++) {
        store_param_t p[] = {STORE_P_TEXT(acked[i])};
        int64_t k = -1;
        assert_int_equal(store_query_int(c, "SELECT COUNT(*) FROM audit_log WHERE object_id = $1",
                                         p, 1, &k, NULL, &err),
                         CY_OK);
        if (k != 1)
            fail_msg("acknowledged %s: %" PRId64 " entries", acked[i], k);
    }
    store_release(app->store, c);
    free(acked);
    /* every entry there, acknowledged or not, is in the one chain */
    assert_chain_whole(count("SELECT COUNT(*) FROM audit_log"));
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE seq IS NULL") == 0);
}

/* test_audit --writer DB is the child process of the concurrency tests. */
static int
start(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--writer") == 0)
        return writer_main(argv[2]);
    return CY_RUN_TESTS;
}

CY_START(start);
