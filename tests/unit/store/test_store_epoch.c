/*
 * test_store_epoch.c — the cache epoch of store.h on SQLite: copies are
 * trusted only while the watcher's reads are fresh; a committed bump moves
 * this process's generation at once and a rolled-back one does not; another
 * watcher of the same file — a second store here, or another process (this
 * program run again with --watch) — sees the change or stops trusting its
 * copies before the committer's release returns, because the committer
 * waits out the lease then, and only then.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "cytest.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

static char dir[64], url[128];

static double
now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void
sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static store_t *
open_store(void)
{
    store_t *s;
    cy_error_t err;
    if (store_open(url, 2, &s, &err) != CY_OK)
        fail_msg("%s", err.message);
    return s;
}

static void
exec(store_t *s, const char *sql)
{
    store_conn_t *c;
    cy_error_t err;
    store_acquire(s, &c, &err);
    if (store_exec_script(c, sql, &err) != CY_OK)
        fail_msg("%s: %s", sql, err.message);
    store_release(s, c);
}

/* Waits (up to 2 s) until s trusts its copies; answers its generation. */
static uint64_t
trusted(store_t *s)
{
    uint64_t gen = 0;
    for (int i = 0; i < 200 && !store_epoch_read(s, &gen); i++)
        sleep_ms(10);
    assert_true(store_epoch_read(s, &gen));
    return gen;
}

/* One transaction that bumps the epoch, committed (ok) or rolled back; its length in ms. */
static double
bump(store_t *s, int ok)
{
    store_conn_t *c;
    cy_error_t err;
    double t0 = now_ms();
    assert_int_equal(store_tx_open(s, &c, &err), CY_OK);
    assert_int_equal(store_epoch_bump(c, &err), CY_OK);
    assert_int_equal(store_epoch_bump(c, &err), CY_OK); /* once a transaction */
    cy_error_t rule;
    cy_status_t st = ok ? CY_OK : cy_error_set(&rule, CY_EINVAL, "rule", NULL, "规则 / rule");
    assert_int_equal(store_tx_close(s, c, st, &err), ok ? CY_OK : CY_EINVAL);
    return now_ms() - t0;
}

/*
 * Ten commits by s, when no other store watches the file, wait out no
 * lease: ten waits would take 10 × the lease.
 */
static void
commits_do_not_wait(store_t *s)
{
    double total = 0;
    for (int i = 0; i < 10; i++)
        total += bump(s, 1);
    assert_true(total < 10 * STORE_EPOCH_LEASE_MS);
}

static int64_t
epoch_n(store_t *s)
{
    store_conn_t *c;
    cy_error_t err;
    int64_t n = -1;
    store_acquire(s, &c, &err);
    store_query_int(c, "SELECT n FROM cache_epoch WHERE id = 1", NULL, 0, &n, NULL, &err);
    store_release(s, c);
    return n;
}

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cy-epoch-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    store_t *s = open_store();
    exec(s, "CREATE TABLE cache_epoch (id INTEGER PRIMARY KEY, n BIGINT NOT NULL);"
            "INSERT INTO cache_epoch VALUES (1, 0)");
    store_close(s);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

CY_GROUP("tests", setup, teardown);

CY_TEST(test_an_unwatched_store_never_trusts_copies)
{
    (void)state;
    store_t *s = open_store();
    uint64_t gen;
    assert_false(store_epoch_read(s, &gen));
    sleep_ms(3 * STORE_EPOCH_POLL_MS);
    assert_false(store_epoch_read(s, &gen));
    store_close(s);
}

static const char *self;

CY_TEST(test_another_process_watching_makes_the_committer_wait)
{
    (void)state;
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t child = fork();
    if (child == 0) {
        close(ready[0]);
        dup2(ready[1], 1);
        execl(self, self, "--watch", url, (char *)NULL);
        _exit(127);
    }
    close(ready[1]);
    char line[8] = "";
    assert_true(read(ready[0], line, sizeof line) > 0); /* "ready": it watches */
    store_t *s = open_store();                          /* not watching: as the command line */
    assert_true(bump(s, 1) >= STORE_EPOCH_LEASE_MS);
    kill(child, SIGTERM);
    waitpid(child, NULL, 0);
    close(ready[0]);
    commits_do_not_wait(s);
    store_close(s);
}

CY_TEST(test_a_commit_moves_the_generation_at_once_a_rollback_never)
{
    (void)state;
    store_t *s = open_store();
    cy_error_t err;
    assert_int_equal(store_epoch_watch(s, &err), CY_OK);
    uint64_t g0 = trusted(s), g;
    int64_t n0 = epoch_n(s);
    bump(s, 0);
    assert_int_equal(epoch_n(s), n0);
    sleep_ms(5 * STORE_EPOCH_POLL_MS); /* the watcher has read it again since */
    assert_true(store_epoch_read(s, &g));
    assert_true(g == g0);
    bump(s, 1);
    assert_int_equal(epoch_n(s), n0 + 1);
    store_epoch_read(s, &g);
    assert_true(g != g0); /* at once, not at the watcher's next read */
    store_close(s);
}

CY_TEST(test_alone_the_committer_does_not_wait)
{
    (void)state;
    store_t *s = open_store();
    cy_error_t err;
    assert_int_equal(store_epoch_watch(s, &err), CY_OK);
    trusted(s);
    commits_do_not_wait(s);
    store_close(s);
}

CY_TEST(test_another_watcher_sees_the_change_before_the_committer_returns)
{
    (void)state;
    store_t *a = open_store(), *b = open_store();
    cy_error_t err;
    assert_int_equal(store_epoch_watch(a, &err), CY_OK);
    assert_int_equal(store_epoch_watch(b, &err), CY_OK);
    for (int i = 0; i < 5; i++) {
        uint64_t gb = trusted(b), g;
        double ms = bump(a, 1);
        assert_true(ms >= STORE_EPOCH_LEASE_MS); /* b watches: a waited out the lease */
        /* b has read the new epoch, or does not trust its copies */
        assert_true(!store_epoch_read(b, &g) || g != gb);
    }
    store_close(b);
    /* b gone, a alone again: no more waiting */
    commits_do_not_wait(a);
    store_close(a);
}

CY_TEST(test_copies_are_not_trusted_when_the_epoch_cannot_be_read)
{
    (void)state;
    store_t *s = open_store();
    cy_error_t err;
    assert_int_equal(store_epoch_watch(s, &err), CY_OK);
    trusted(s);
    exec(s, "ALTER TABLE cache_epoch RENAME TO cache_epoch_away");
    sleep_ms(STORE_EPOCH_LEASE_MS + 3 * STORE_EPOCH_POLL_MS);
    uint64_t g;
    assert_false(store_epoch_read(s, &g));
    exec(s, "ALTER TABLE cache_epoch_away RENAME TO cache_epoch");
    trusted(s);
    store_close(s);
}

/* --watch URL: the other process of the test above, watching until killed. */
static int
watch_forever(const char *u)
{
    store_t *s;
    cy_error_t err;
    if (store_open(u, 1, &s, &err) != CY_OK || store_epoch_watch(s, &err) != CY_OK)
        return 1;
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}

/* test_store_epoch --watch URL is the other process of the test above; self finds it. */
static int
start(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--watch") == 0)
        return watch_forever(argv[2]);
    self = argv[0];
    return CY_RUN_TESTS;
}

CY_START(start);
