/*
 * testapp.h — the store a test binary opens its app on: the PostgreSQL
 * database CYBERINS_TEST_PG names (tests/unit/with-pg.sh starts a throwaway
 * cluster for it), or else SQLite in a new temporary folder; and one integer
 * a query answers, counted straight in the database. Test code only
 * (app/test_audit.c, uw/test_uw_app.c, uw/test_uw_demo.c); include after cytest.h.
 */
#ifndef CY_TESTS_UNIT_TESTAPP_H
#define CY_TESTS_UNIT_TESTAPP_H

#include <stdio.h>
#include <stdlib.h>

#include "app/app.h"

#define TESTAPP_FN static __attribute__((unused))

typedef struct {
    char dir[64]; /* the SQLite folder, "" on PostgreSQL */
    char url[256];
} testapp_store_t;

/*
 * Open *app with cfg on the test store (cfg.db_url is set here); the SQLite
 * folder is /tmp/cy-NAME-XXXXXX. 0, or -1 having said why on stderr.
 */
TESTAPP_FN int
testapp_open(testapp_store_t *ts, const char *name, app_config_t cfg, app_t **app)
{
    const char *pg = getenv("CYBERINS_TEST_PG");
    if (pg != NULL && pg[0]) {
        snprintf(ts->url, sizeof ts->url, "%s", pg);
    } else {
        snprintf(ts->dir, sizeof ts->dir, "/tmp/cy-%s-XXXXXX", name);
        if (mkdtemp(ts->dir) == NULL)
            return -1;
        snprintf(ts->url, sizeof ts->url, "sqlite:%s/t.db", ts->dir);
    }
    cfg.db_url = ts->url;
    cy_error_t err;
    if (app_open(&cfg, app, &err) != CY_OK) {
        fprintf(stderr, "app_open %s: %s\n", ts->url, err.message);
        return -1;
    }
    fprintf(stderr, "backend: %s\n", store_backend_name((*app)->store));
    return 0;
}

/* Close app and remove the SQLite folder. 0, or -1 when the folder stays. */
TESTAPP_FN int
testapp_close(testapp_store_t *ts, app_t *app)
{
    app_close(app);
    if (ts->dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", ts->dir);
        if (system(cmd) != 0)
            return -1;
    }
    return 0;
}

/* The one integer sql answers, on a connection of app's pool; the test fails if it cannot. */
TESTAPP_FN int64_t
testapp_count(app_t *app, const char *sql)
{
    store_conn_t *c;
    cy_error_t err;
    int64_t n = -1;
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    if (store_query_int(c, sql, NULL, 0, &n, NULL, &err) != CY_OK)
        fail_msg("%s: %s", sql, err.message);
    store_release(app->store, c);
    return n;
}

#endif
