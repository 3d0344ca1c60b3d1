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
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/identity/demo.h"
#include "app/identity/org.h"
#include "app/identity/user.h"
#include "core/bjtime.h"

#ifndef CY_SOURCE_DIR
#error "CY_SOURCE_DIR must name the source tree"
#endif

typedef struct {
    char dir[64]; /* the SQLite folder, "" on PostgreSQL */
    app_t *app;
} fixture_t;

/* Open an app on url (NULL: SQLite in a new folder) with cfg's settings, demo data loaded. */
static int
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
    if (app_demo_load(fx->app, &op, CY_SOURCE_DIR "/data/demo/demo.json", NULL, &res, &err) !=
        CY_OK) {
        fprintf(stderr, "demo: %s\n", err.message);
        return -1;
    }
    *state = fx;
    return 0;
}

static int
fixture_sqlite(void **state)
{
    return fixture_open(state, NULL, NULL);
}

static int
fixture_pg(void **state)
{
    return fixture_open(state, getenv("CYBERINS_TEST_PG"), NULL);
}

static int
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

/* The caller a demo login as username would be. */
static actor_t
who(app_t *app, const char *username)
{
    actor_t cli, a;
    actor_cli(&cli, "test");
    memset(&a, 0, sizeof a);
    cy_error_t err;
    int64_t uid;
    assert_int_equal(app_user_find(app, username, &uid, &err), CY_OK);
    user_t u;
    assert_int_equal(app_user_get(app, &cli, uid, &u, &err), CY_OK);
    org_t o;
    assert_int_equal(app_org_get(app, &cli, u.org_id, &o, &err), CY_OK);
    a.user_id = uid;
    a.org_id = u.org_id;
    a.org_type = o.type;
    a.role = u.role;
    snprintf(a.username, sizeof a.username, "%s", username);
    snprintf(a.region, sizeof a.region, "%s", o.region_code);
    return a;
}

/* One integer a query answers, on a connection of the app's pool. */
static int64_t
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
static void
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
static int
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
