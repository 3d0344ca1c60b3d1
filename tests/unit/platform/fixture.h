/*
 * fixture.h — what the platform tests share: an app over a fresh store with
 * the demo organisations and users (SQLite in a temporary folder, or the
 * PostgreSQL database CYBERINS_TEST_PG names, see tests/unit/with-pg.sh),
 * and the actor a demo login would be. Test code only.
 */
#ifndef CY_TEST_PLATFORM_FIXTURE_H
#define CY_TEST_PLATFORM_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/identity/identity.h"
#include "core/bjtime.h"

#ifndef CY_SOURCE_DIR
#error "CY_SOURCE_DIR must name the source tree"
#endif

/* every helper is static: a test uses the ones it needs */
#define FIXTURE_FN static __attribute__((unused))

typedef struct {
    char dir[64]; /* the SQLite folder, "" on PostgreSQL */
    app_t *app;
} fixture_t;

/* Open an app on url (NULL: SQLite in a new folder) with cfg's settings, demo data loaded. */
FIXTURE_FN int
fixture_open(void **state, const char *url, const app_config_t *extra)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    char db[128];
    if (url == NULL) {
        snprintf(fx->dir, sizeof fx->dir, "/tmp/cy-platform-XXXXXX");
        if (mkdtemp(fx->dir) == NULL)
            return -1;
        snprintf(db, sizeof db, "sqlite:%s/t.db", fx->dir);
        url = db;
    }
    app_config_t cfg = extra ? *extra : (app_config_t){0};
    cfg.db_url = url;
    cfg.data_dir = CY_SOURCE_DIR "/data";
    cfg.pool_size = cfg.pool_size ? cfg.pool_size : 4;
    cfg.migrate = 1;
    cfg.now = 1800000000;
    cy_error_t err;
    if (app_open(&cfg, &fx->app, &err) != CY_OK) {
        fprintf(stderr, "app_open: %s\n", err.message);
        return -1;
    }
    demo_result_t res;
    actor_t op;
    actor_cli(&op, "test");
    if (app_demo_load(fx->app, &op, 1704067200, CY_SOURCE_DIR "/data/demo/demo.json", NULL, &res,
                      &err) != CY_OK) {
        fprintf(stderr, "demo: %s\n", err.message);
        return -1;
    }
    *state = fx;
    return 0;
}

/* Settings a test binary wants for every app it opens (set before run_both). */
static app_config_t fixture_cfg __attribute__((unused));

FIXTURE_FN int
fixture_sqlite(void **state)
{
    return fixture_open(state, NULL, &fixture_cfg);
}

FIXTURE_FN int
fixture_pg(void **state)
{
    return fixture_open(state, getenv("CYBERINS_TEST_PG"), &fixture_cfg);
}

FIXTURE_FN int
fixture_close(void **state)
{
    fixture_t *fx = *state;
    app_close(fx->app);
    if (fx->dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
        if (system(cmd) != 0)
            return -1;
    }
    free(fx);
    return 0;
}

/* The caller a demo login as username would be: its user, organisation, type and role. */
FIXTURE_FN actor_t
who(app_t *app, const char *username)
{
    actor_t a = {0};
    store_conn_t *c;
    cy_error_t err;
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    store_param_t p[] = {STORE_P_TEXT(username)};
    store_rows_t *r;
    assert_int_equal(store_query(c,
                                 "SELECT u.id AS user_id, u.org_id, u.role, o.type, o.region_code "
                                 "FROM app_user u JOIN organisation o ON o.id = u.org_id WHERE "
                                 "u.username = $1",
                                 p, 1, &r, &err),
                     CY_OK);
    if (store_rows_next(r, &err) != 1)
        fail_msg("no demo user %s", username);
    a.user_id = store_row_int(r, "user_id");
    a.org_id = store_row_int(r, "org_id");
    assert_int_equal(authz_role_parse(store_row_text(r, "role"), &a.role), 0);
    assert_int_equal(authz_org_type_parse(store_row_text(r, "type"), &a.org_type), 0);
    store_row_copy(r, "region_code", a.region, sizeof a.region);
    snprintf(a.username, sizeof a.username, "%s", username);
    store_rows_free(r);
    store_release(app->store, c);
    return a;
}

/* One integer a query answers, on a connection of the app's pool. */
FIXTURE_FN int64_t
query_int(app_t *app, const char *sql, int64_t arg)
{
    store_conn_t *c;
    cy_error_t err;
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    store_param_t p[] = {STORE_P_INT(arg)};
    int64_t v = -1;
    cy_status_t st = store_query_int(c, sql, p, 1, &v, NULL, &err);
    store_release(app->store, c);
    if (st != CY_OK)
        fail_msg("%s: %s", sql, err.message);
    return v;
}

/* Run one statement with one integer argument. */
FIXTURE_FN void
exec_sql(app_t *app, const char *sql, int64_t arg)
{
    store_conn_t *c;
    cy_error_t err;
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    store_param_t p[] = {STORE_P_INT(arg)};
    cy_status_t st = store_exec(c, sql, p, 1, NULL, &err);
    store_release(app->store, c);
    if (st != CY_OK)
        fail_msg("%s: %s", sql, err.message);
}

/* Run the group on SQLite, and on PostgreSQL when CYBERINS_TEST_PG is set. */
FIXTURE_FN int
run_both(const char *name, const struct CMUnitTest *tests, size_t n)
{
    char label[96];
    snprintf(label, sizeof label, "%s on sqlite", name);
    int failed = _cmocka_run_group_tests(label, tests, n, fixture_sqlite, fixture_close);
    if (getenv("CYBERINS_TEST_PG") != NULL) {
        snprintf(label, sizeof label, "%s on postgresql", name);
        failed += _cmocka_run_group_tests(label, tests, n, fixture_pg, fixture_close);
    } else {
        fprintf(stderr, "CYBERINS_TEST_PG not set: the PostgreSQL run is left to "
                        "tests/unit/with-pg.sh\n");
    }
    return failed;
}

#endif
