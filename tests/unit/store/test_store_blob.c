/*
 * test_store_blob.c — binary parameters and columns (BLOB on SQLite, bytea
 * on PostgreSQL): every byte value round-trips exactly, the database itself
 * sees the same bytes (hex computed by SQL, not by us), an empty value is
 * not NULL, and @BLOB@ in a migration becomes the backend's binary type.
 * The PostgreSQL cases run when CYBERINS_TEST_PG names a database
 * (tests/unit/with-pg.sh); on SQLite they always run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static char dir[64];

typedef struct {
    store_t *s;
    const char *bin_type; /* the binary column type of the backend */
    const char *hex_sql;  /* SQL that renders column data as upper-case hex */
} fixture_t;

static int
open_fixture(void **state, const char *url, const char *bin_type, const char *hex_sql)
{
    fixture_t *f = calloc(1, sizeof *f);
    cy_error_t err;
    if (f == NULL || store_open(url, 1, &f->s, &err) != CY_OK) {
        fprintf(stderr, "open %s: %s\n", url, err.message);
        free(f);
        return -1;
    }
    f->bin_type = bin_type;
    f->hex_sql = hex_sql;
    store_conn_t *c;
    store_acquire(f->s, &c, &err);
    char sql[256];
    snprintf(sql, sizeof sql,
             "DROP TABLE IF EXISTS b; CREATE TABLE b (id INTEGER PRIMARY KEY, data %s)", bin_type);
    cy_status_t st = store_exec_script(c, sql, &err);
    store_release(f->s, c);
    *state = f;
    return st == CY_OK ? 0 : -1;
}

static int
setup_sqlite(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/cy-blob-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    return open_fixture(state, url, "BLOB", "SELECT hex(data) AS h FROM b WHERE id = $1");
}

static int
setup_pg(void **state)
{
    return open_fixture(state, getenv("CYBERINS_TEST_PG"), "BYTEA",
                        "SELECT upper(encode(data, 'hex')) AS h FROM b WHERE id = $1");
}

static int
teardown(void **state)
{
    fixture_t *f = *state;
    store_close(f->s);
    free(f);
    if (dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        dir[0] = '\0';
        return system(cmd) == 0 ? 0 : -1;
    }
    return 0;
}

/* The tests on SQLite, and again on PostgreSQL when CYBERINS_TEST_PG names one. */
static int
run_both(const char *label, const struct CMUnitTest *tests, size_t n)
{
    (void)label;
    int failed = _cmocka_run_group_tests("sqlite", tests, n, setup_sqlite, teardown);
    if (getenv("CYBERINS_TEST_PG") != NULL)
        failed += _cmocka_run_group_tests("postgresql", tests, n, setup_pg, teardown);
    else
        fprintf(stderr, "CYBERINS_TEST_PG not set: PostgreSQL cases not run "
                        "(tests/unit/with-pg.sh runs them)\n");
    return failed;
}

CY_GROUP_RUN("sqlite, then postgresql", run_both);

static void
put(store_t *s, int64_t id, const void *data, size_t len)
{
    store_conn_t *c;
    cy_error_t err;
    store_acquire(s, &c, &err);
    store_param_t p[] = {STORE_P_INT(id), data ? STORE_P_BLOB(data, len) : STORE_P_NULL};
    cy_status_t st = store_exec(c, "INSERT INTO b (id, data) VALUES ($1, $2)", p, 2, NULL, &err);
    store_release(s, c);
    if (st != CY_OK)
        fail_msg("insert %lld: %s", (long long)id, err.message);
}

/* Read row id's data back into a malloc'd copy; *isnull says whether it was NULL. */
static unsigned char *
get(store_t *s, int64_t id, size_t *len, int *isnull)
{
    store_conn_t *c;
    cy_error_t err;
    store_acquire(s, &c, &err);
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    assert_int_equal(store_query(c, "SELECT id, data FROM b WHERE id = $1", p, 1, &r, &err), CY_OK);
    assert_int_equal(store_rows_next(r, &err), 1);
    const void *d = store_row_blob(r, "data", len);
    *isnull = d == NULL;
    unsigned char *copy = malloc(*len + 1);
    memcpy(copy, d ? d : "", *len);
    store_rows_free(r);
    store_release(s, c);
    return copy;
}

static char *
db_hex(const fixture_t *f, int64_t id)
{
    store_conn_t *c;
    cy_error_t err;
    store_acquire(f->s, &c, &err);
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    assert_int_equal(store_query(c, f->hex_sql, p, 1, &r, &err), CY_OK);
    assert_int_equal(store_rows_next(r, &err), 1);
    char *h = strdup(store_row_text(r, "h"));
    store_rows_free(r);
    store_release(f->s, c);
    return h;
}

CY_TEST(test_store_blob_every_byte_value_round_trips)
{
    fixture_t *f = *state;
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    put(f->s, 1, all, sizeof all);
    size_t len;
    int isnull;
    unsigned char *back = get(f->s, 1, &len, &isnull);
    assert_false(isnull);
    assert_int_equal(len, 256);
    assert_memory_equal(back, all, 256);
    free(back);
    /* the database holds the same bytes: its own hex of them, against ours */
    char want[513];
    for (int i = 0; i < 256; i++)
        snprintf(want + 2 * i, 3, "%02X", i);
    char *h = db_hex(f, 1);
    assert_string_equal(h, want);
    free(h);
}

CY_TEST(test_store_blob_one_mebibyte_round_trips)
{
    fixture_t *f = *state;
    size_t n = 1 << 20;
    unsigned char *big = malloc(n);
    uint32_t x = 2463534242u; /* xorshift32: every byte value, many times, in no pattern */
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        big[i] = (unsigned char)x;
    }
    put(f->s, 2, big, n);
    size_t len;
    int isnull;
    unsigned char *back = get(f->s, 2, &len, &isnull);
    assert_int_equal(len, n);
    assert_memory_equal(back, big, n);
    free(back);
    free(big);
}

CY_TEST(test_store_blob_empty_is_not_null)
{
    fixture_t *f = *state;
    put(f->s, 3, "", 0);
    put(f->s, 4, NULL, 0);
    size_t len = 99;
    int isnull = 1;
    free(get(f->s, 3, &len, &isnull));
    assert_false(isnull);
    assert_int_equal(len, 0);
    free(get(f->s, 4, &len, &isnull));
    assert_true(isnull);
    assert_int_equal(len, 0);
}
