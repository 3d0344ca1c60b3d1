/*
 * test_store.c — the SQLite backend of store/ (the PostgreSQL one runs the
 * same use cases in the e2e-postgresql suite): parameters, NULLs, unique and
 * foreign-key violations mapped to statuses, transactions all-or-nothing,
 * one process's writers taking turns, migrations applied once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/embedded.h"
#include "store/store.h"

static char dir[64];

static int
setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/cy-store-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    store_t *s;
    cy_error_t err;
    if (store_open(url, 2, &s, &err) != CY_OK)
        return -1;
    store_conn_t *c;
    store_acquire(s, &c, &err);
    store_exec_script(
        c,
        "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, n BIGINT);"
        "CREATE TABLE q (id INTEGER PRIMARY KEY, p_id INTEGER NOT NULL REFERENCES p(id));"
        "CREATE TABLE counter (n BIGINT NOT NULL); INSERT INTO counter VALUES (0);",
        &err);
    store_release(s, c);
    *state = s;
    return 0;
}

static int
teardown(void **state)
{
    store_close(*state);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

CY_GROUP("tests", setup, teardown);

CY_TEST(test_store_params_round_trip_text_int_and_null)
{
    store_t *s = *state;
    store_conn_t *c;
    cy_error_t err;
    assert_int_equal(store_acquire(s, &c, &err), CY_OK);
    store_param_t p[] = {STORE_P_INT(1), STORE_P_TEXT("深圳"), STORE_P_INT(INT64_MAX)};
    assert_int_equal(
        store_exec(c, "INSERT INTO p (id, name, n) VALUES ($1, $2, $3)", p, 3, NULL, &err), CY_OK);
    store_param_t q[] = {STORE_P_INT(2), STORE_P_TEXT("广州"), STORE_P_NULL};
    assert_int_equal(
        store_exec(c, "INSERT INTO p (id, name, n) VALUES ($1, $2, $3)", q, 3, NULL, &err), CY_OK);
    store_rows_t *r;
    /* parameters used out of order and twice */
    store_param_t w[] = {STORE_P_INT(0), STORE_P_TEXT("x")};
    assert_int_equal(store_query(c,
                                 "SELECT id, name, n FROM p WHERE id > $1 AND name <> $2 "
                                 "AND id > $1 ORDER BY id",
                                 w, 2, &r, &err),
                     CY_OK);
    assert_int_equal(store_rows_ncols(r), 3);
    assert_int_equal(store_rows_next(r, &err), 1);
    assert_string_equal(store_rows_text(r, 1), "深圳");
    assert_true(store_rows_int(r, 2) == INT64_MAX);
    assert_int_equal(store_rows_next(r, &err), 1);
    assert_true(store_rows_isnull(r, 2));
    assert_null(store_rows_text(r, 2));
    assert_int_equal(store_rows_next(r, &err), 0);
    store_rows_free(r);
    store_release(s, c);
}

CY_TEST(test_store_maps_unique_and_foreign_key_violations)
{
    store_t *s = *state;
    store_conn_t *c;
    cy_error_t err;
    store_acquire(s, &c, &err);
    store_param_t p[] = {STORE_P_INT(10), STORE_P_TEXT("dup")};
    assert_int_equal(store_exec(c, "INSERT INTO p (id, name) VALUES ($1, $2)", p, 2, NULL, &err),
                     CY_OK);
    p[0] = STORE_P_INT(11);
    assert_int_equal(store_exec(c, "INSERT INTO p (id, name) VALUES ($1, $2)", p, 2, NULL, &err),
                     CY_ECONFLICT);
    assert_string_equal(err.code, "duplicate");
    store_param_t q[] = {STORE_P_INT(999)};
    assert_int_equal(store_exec(c, "INSERT INTO q (p_id) VALUES ($1)", q, 1, NULL, &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "reference_missing");
    assert_int_equal(store_exec(c, "SELEC nonsense", NULL, 0, NULL, &err), CY_EIO);
    assert_string_equal(err.code, "db_error");
    store_release(s, c);
}

static cy_status_t
insert_then_fail(store_conn_t *c, void *arg, cy_error_t *err)
{
    int *fail = arg;
    store_param_t p[] = {STORE_P_TEXT("in-tx")};
    cy_status_t st = store_exec(c, "INSERT INTO p (name) VALUES ($1)", p, 1, NULL, err);
    if (st != CY_OK)
        return st;
    if (*fail)
        return cy_error_set(err, CY_EINVAL, "rule", "name", "规则 / rule");
    return CY_OK;
}

CY_TEST(test_store_tx_commits_all_or_nothing)
{
    store_t *s = *state;
    cy_error_t err;
    int fail = 1;
    assert_int_equal(store_tx(s, insert_then_fail, &fail, &err), CY_EINVAL);
    assert_string_equal(err.code, "rule"); /* the use case's own error comes through */
    store_conn_t *c;
    store_acquire(s, &c, &err);
    int64_t n = -1;
    assert_int_equal(
        store_query_int(c, "SELECT COUNT(*) FROM p WHERE name = 'in-tx'", NULL, 0, &n, NULL, &err),
        CY_OK);
    assert_int_equal(n, 0);
    store_release(s, c);
    fail = 0;
    assert_int_equal(store_tx(s, insert_then_fail, &fail, &err), CY_OK);
    store_acquire(s, &c, &err);
    store_query_int(c, "SELECT COUNT(*) FROM p WHERE name = 'in-tx'", NULL, 0, &n, NULL, &err);
    assert_int_equal(n, 1);
    int found = 1;
    assert_int_equal(
        store_query_int(c, "SELECT id FROM p WHERE name = 'none'", NULL, 0, &n, &found, &err),
        CY_OK);
    assert_int_equal(found, 0);
    assert_int_equal(
        store_query_int(c, "SELECT id FROM p WHERE name = 'none'", NULL, 0, &n, NULL, &err),
        CY_ENOTFOUND);
    store_release(s, c);
}

CY_TEST(test_store_migrations_apply_once)
{
    store_t *s = *state;
    cy_error_t err;
    int applied = -1, total = 0;
    for (const struct cy_migration *m = cy_migrations; m->name; m++)
        total++;
    assert_true(total >= 1);
    assert_int_equal(store_migrate(s, 1700000000, &applied, &err), CY_OK);
    assert_int_equal(applied, total);
    assert_int_equal(store_migrate(s, 1700000000, &applied, &err), CY_OK);
    assert_int_equal(applied, 0);
    char ver[64];
    assert_int_equal(store_schema_version(s, ver, sizeof ver, &err), CY_OK);
    assert_string_equal(ver, cy_migrations[total - 1].name);
    assert_int_equal(store_ping(s, &err), CY_OK);
}

/* A migration whose COMMIT is refused (here a trigger leaves a deferred foreign key broken):
 * store_migrate fails, counts nothing applied, and rolls the migration back, so that the
 * connection it hands back to the pool is not left inside the transaction. */
CY_TEST(test_store_migration_refused_at_commit_is_rolled_back)
{
    (void)state;
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/refused.db", dir);
    store_t *s;
    cy_error_t err;
    assert_int_equal(store_open(url, 1, &s, &err), CY_OK);
    store_conn_t *c;
    store_acquire(s, &c, &err);
    assert_int_equal(
        store_exec_script(c,
                          "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT "
                          "NOT NULL);"
                          "CREATE TABLE trap_parent (id INTEGER PRIMARY KEY);"
                          "CREATE TABLE trap (p INTEGER REFERENCES trap_parent(id) DEFERRABLE "
                          "INITIALLY DEFERRED);"
                          "CREATE TRIGGER trap_set AFTER INSERT ON schema_migrations "
                          "BEGIN INSERT INTO trap VALUES (999); END;",
                          &err),
        CY_OK);
    store_release(s, c);
    int applied = -1;
    assert_int_equal(store_migrate(s, 1700000000, &applied, &err), CY_EINVAL);
    assert_int_equal(applied, 0);
    assert_string_equal(err.code, "migration_failed");
    assert_string_equal(err.field, cy_migrations[0].name);
    char want[256];
    snprintf(want, sizeof want,
             "迁移 %s 失败 / migration %s failed: 引用的记录不存在 / referenced record does not "
             "exist: FOREIGN KEY constraint failed",
             cy_migrations[0].name, cy_migrations[0].name);
    assert_string_equal(err.message, want);
    assert_int_equal(store_tx_open(s, &c, &err), CY_OK); /* the pool's one connection */
    int64_t n = -1;
    assert_int_equal(
        store_query_int(c, "SELECT COUNT(*) FROM schema_migrations", NULL, 0, &n, NULL, &err),
        CY_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_query_int(c, "SELECT COUNT(*) FROM trap", NULL, 0, &n, NULL, &err),
                     CY_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_tx_close(s, c, CY_OK, &err), CY_OK);
    store_close(s);
}

CY_TEST(test_store_reads_columns_by_name)
{
    store_t *s = *state;
    store_conn_t *c;
    cy_error_t err;
    store_acquire(s, &c, &err);
    store_rows_t *r;
    assert_int_equal(store_query(c, "SELECT 'x' AS b, NULL AS c, 42 AS a", NULL, 0, &r, &err),
                     CY_OK);
    assert_int_equal(store_rows_next(r, &err), 1);
    assert_int_equal(store_rows_col(r, "a"), 2);
    assert_int_equal(store_rows_col(r, "b"), 0);
    assert_int_equal(store_rows_col(r, "nope"), -1);
    assert_int_equal(store_row_int(r, "a"), 42);
    assert_string_equal(store_row_text(r, "b"), "x");
    assert_true(store_row_isnull(r, "c"));
    assert_null(store_row_text(r, "c"));
    assert_int_equal(store_row_int(r, "c"), 0);
    char buf[4];
    store_row_copy(r, "c", buf, sizeof buf);
    assert_string_equal(buf, "");
    store_row_copy(r, "b", buf, sizeof buf);
    assert_string_equal(buf, "x");
    store_rows_free(r);
    store_release(s, c);
}

typedef struct {
    int64_t id;
    int small;
    char name[4];
    char note[8];
    int64_t missing;
} mapped_t;

static const store_col_t MAPPED_COLS[] = {
    STORE_COL(mapped_t, id), STORE_COL(mapped_t, small), STORE_COL(mapped_t, name),
    STORE_COL_AS(mapped_t, note, "remark"), STORE_COL(mapped_t, missing)};

CY_TEST(test_store_row_read_fills_fields_by_the_map)
{
    store_t *s = *state;
    store_conn_t *c;
    cy_error_t err;
    store_acquire(s, &c, &err);
    assert_int_equal(MAPPED_COLS[0].kind, STORE_COL_INT);
    assert_int_equal(MAPPED_COLS[1].size, sizeof(int));
    assert_int_equal(MAPPED_COLS[2].kind, STORE_COL_TEXT);
    assert_int_equal(MAPPED_COLS[3].offset, offsetof(mapped_t, note));
    store_rows_t *r;
    assert_int_equal(store_query(c,
                                 "SELECT 'ok' AS remark, NULL AS missing, 'abcdef' AS name, "
                                 "-7 AS small, 5000000000 AS id",
                                 NULL, 0, &r, &err),
                     CY_OK);
    assert_int_equal(store_rows_next(r, &err), 1);
    mapped_t m;
    memset(&m, 0x55, sizeof m);
    store_row_read(r, MAPPED_COLS, STORE_COLS_N(MAPPED_COLS), &m);
    assert_int_equal(m.id, 5000000000LL);
    assert_int_equal(m.small, -7);
    assert_string_equal(m.name, "abc"); /* cut to the field */
    assert_string_equal(m.note, "ok");
    assert_int_equal(m.missing, 0); /* SQL NULL */
    store_rows_free(r);
    /* and back: each field as the parameter of its column */
    store_param_t p0 = store_col_param(&MAPPED_COLS[0], &m);
    store_param_t p1 = store_col_param(&MAPPED_COLS[1], &m);
    store_param_t p3 = store_col_param(&MAPPED_COLS[3], &m);
    assert_int_equal(p0.kind, STORE_INT);
    assert_int_equal(p0.i, 5000000000LL);
    assert_int_equal(p1.kind, STORE_INT);
    assert_int_equal(p1.i, -7);
    assert_int_equal(p3.kind, STORE_TEXT);
    assert_string_equal(p3.text, "ok");
    store_release(s, c);
}

CY_TEST(test_store_query_row_stands_on_the_row_or_answers_none)
{
    store_t *s = *state;
    store_conn_t *c;
    cy_error_t err;
    store_acquire(s, &c, &err);
    store_param_t p[] = {STORE_P_TEXT("row-one"), STORE_P_INT(11)};
    assert_int_equal(store_exec(c, "INSERT INTO p (name, n) VALUES ($1, $2)", p, 2, NULL, &err),
                     CY_OK);
    store_rows_t *r = NULL;
    assert_int_equal(store_query_row(c, "SELECT name, n FROM p WHERE name = $1", p, 1, &r, &err),
                     CY_OK);
    assert_non_null(r);
    assert_string_equal(store_row_text(r, "name"), "row-one");
    assert_int_equal(store_row_int(r, "n"), 11);
    store_rows_free(r);
    store_param_t q[] = {STORE_P_TEXT("none")};
    r = (store_rows_t *)&err; /* must be overwritten */
    assert_int_equal(store_query_row(c, "SELECT name FROM p WHERE name = $1", q, 1, &r, &err),
                     CY_OK);
    assert_null(r);
    r = (store_rows_t *)&err;
    assert_int_equal(store_query_row(c, "SELECT nope FROM p", NULL, 0, &r, &err), CY_EIO);
    assert_null(r);
    assert_int_equal(store_exec(c, "DELETE FROM p", NULL, 0, NULL, &err), CY_OK);
    store_release(s, c);
}

CY_TEST(test_store_tx_open_close_commits_or_rolls_back)
{
    store_t *s = *state;
    cy_error_t err;
    store_conn_t *c;
    assert_int_equal(store_tx_open(s, &c, &err), CY_OK);
    assert_int_equal(
        store_exec(c, "INSERT INTO p (name) VALUES ('straight-1')", NULL, 0, NULL, &err), CY_OK);
    cy_error_t rule;
    cy_status_t st = cy_error_set(&rule, CY_EINVAL, "rule", "name", "规则 / rule");
    assert_int_equal(store_tx_close(s, c, st, &err), CY_EINVAL); /* rolled back */
    assert_int_equal(store_tx_open(s, &c, &err), CY_OK);
    assert_int_equal(
        store_exec(c, "INSERT INTO p (name) VALUES ('straight-2')", NULL, 0, NULL, &err), CY_OK);
    assert_int_equal(store_tx_close(s, c, CY_OK, &err), CY_OK); /* committed */
    store_acquire(s, &c, &err);
    int64_t n = -1;
    assert_int_equal(store_query_int(c, "SELECT COUNT(*) FROM p WHERE name LIKE 'straight-%'", NULL,
                                     0, &n, NULL, &err),
                     CY_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_query_int(c, "SELECT COUNT(*) FROM p WHERE name = 'straight-2'", NULL, 0,
                                     &n, NULL, &err),
                     CY_OK);
    assert_int_equal(n, 1);
    store_release(s, c);
}

CY_TEST(test_store_query_texts_copies_one_column_of_each_row)
{
    store_t *s = *state;
    store_conn_t *c;
    cy_error_t err;
    store_acquire(s, &c, &err);
    char out[3][5];
    memset(out, 'z', sizeof out);
    size_t n = 99;
    const char *sql = "SELECT 'abcdefg' AS t, 1 AS o UNION ALL SELECT NULL, 2 UNION ALL "
                      "SELECT 'xy', 3 ORDER BY o";
    assert_int_equal(store_query_texts(c, sql, NULL, 0, "t", out[0], 5, 3, &n, &err), CY_OK);
    assert_int_equal(n, 3);
    assert_string_equal(out[0], "abcd"); /* cut to the width */
    assert_string_equal(out[1], "");     /* NULL */
    assert_string_equal(out[2], "xy");
    assert_int_equal(store_query_texts(c, sql, NULL, 0, "t", out[0], 5, 2, &n, &err), CY_OK);
    assert_int_equal(n, 2); /* at most max */
    assert_int_equal(store_query_texts(c, "SELEC nonsense", NULL, 0, "t", out[0], 5, 2, &n, &err),
                     CY_EIO);
    assert_int_equal(n, 0);
    store_release(s, c);
}

CY_TEST(test_store_open_refuses_bad_urls)
{
    (void)state;
    store_t *s = (store_t *)1;
    cy_error_t err;
    assert_int_equal(store_open("mysql://x", 1, &s, &err), CY_EINVAL);
    assert_null(s);
    assert_string_equal(err.field, "db");
    assert_int_equal(store_open("sqlite:", 1, &s, &err), CY_EINVAL);
    assert_int_equal(store_open("", 1, &s, &err), CY_EINVAL);
    assert_int_equal(store_open("sqlite:/nonexistent-dir/x/y.db", 1, &s, &err), CY_EIO);
    assert_string_equal(err.code, "db_open");
    assert_int_equal(
        store_open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", 1, &s, &err), CY_EIO);
    assert_null(s);
}

/* Threads of one process writing at once (more than the pool's connections): each write
 * transaction reads the counter and writes it back one higher; none fails (BEGIN IMMEDIATE
 * and the busy timeout queue them), none is lost. */
enum { WRITERS = 4, WRITES = 150 };

static void *
writer(void *arg)
{
    store_t *s = arg;
    intptr_t failed = 0;
    for (int i = 0; i < WRITES; i++) {
        cy_error_t err;
        store_conn_t *c;
        int64_t n = -1;
        cy_status_t st = store_tx_open(s, &c, &err);
        if (st != CY_OK) {
            failed++;
            continue;
        }
        st = store_query_int(c, "SELECT n FROM counter", NULL, 0, &n, NULL, &err);
        store_param_t p[] = {STORE_P_INT(n + 1)};
        if (st == CY_OK)
            st = store_exec(c, "UPDATE counter SET n = $1", p, 1, NULL, &err);
        failed += store_tx_close(s, c, st, &err) != CY_OK;
    }
    return (void *)failed;
}

CY_TEST(test_store_writers_of_one_process_take_turns)
{
    store_t *s = *state;
    pthread_t t[WRITERS];
    for (int i = 0; i < WRITERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, writer, s), 0);
    for (int i = 0; i < WRITERS; i++) {
        void *failed;
        assert_int_equal(pthread_join(t[i], &failed), 0);
        assert_int_equal((intptr_t)failed, 0);
    }
    cy_error_t err;
    store_conn_t *c;
    int64_t n = -1;
    store_acquire(s, &c, &err);
    assert_int_equal(store_query_int(c, "SELECT n FROM counter", NULL, 0, &n, NULL, &err), CY_OK);
    store_release(s, c);
    assert_int_equal(n, WRITERS * WRITES);
}
