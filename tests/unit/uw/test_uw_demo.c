/*
 * test_uw_demo.c — the underwriting demo data (data/demo/uw.json) loads on a
 * fresh SQLite database after the demo organisations, through the use cases
 * (validated and audited): a filed product of the demo insurer and a
 * submitted assessment of ent-gz with its findings; loading again adds
 * nothing; the data files of data/ load at app_open. Depends on cmocka and
 * app/ (demo, uw); reads CY_SOURCE_DIR "/data".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cytest.h"

#include "app/app.h"
#include "app/identity/identity.h"
#include "app/uw/uw.h"
#include "data/uw.h"
#include "testapp.h"

#ifndef CY_SOURCE_DIR
#error "the build defines CY_SOURCE_DIR, the repository root"
#endif
#define DATA CY_SOURCE_DIR "/data"

CY_TEST(test_uw_demo_loads_once_through_the_use_cases)
{
    (void)state;
    char dir[] = "/tmp/cy-uwdemo-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    app_config_t cfg = {.db_url = url, .data_dir = DATA, .pool_size = 1, .migrate = 1};
    app_t *app;
    cy_error_t err;
    if (app_open(&cfg, &app, &err) != CY_OK)
        fail_msg("%s", err.message);
    /* the underwriting data files came with the application */
    assert_non_null(app->uw);
    assert_string_equal(app->uw->qn.version, "2025.1");
    assert_string_equal(app->uw->rating.version, "2025.1");
    demo_result_t dr;
    actor_t op;
    actor_cli(&op, "test");
    if (app_demo_load(app, &op, 1704067200 /* 2024-01-01 UTC */, DATA "/demo/demo.json", NULL, &dr,
                      &err) != CY_OK)
        fail_msg("%s", err.message);
    if (app_uw_demo_load(app, &op, time(NULL), DATA "/demo/uw.json", NULL, &err) != CY_OK)
        fail_msg("%s", err.message);
    assert_int_equal(testapp_count(app, "SELECT COUNT(*) FROM uw_product WHERE status = 'active'"),
                     1);
    assert_int_equal(testapp_count(app, "SELECT COUNT(*) FROM uw_product_coverage"), 6);
    assert_int_equal(testapp_count(app,
                                   "SELECT COUNT(*) FROM uw_assessment a JOIN organisation o ON "
                                   "o.id = a.org_id WHERE o.uscc = '91440106147NM21P27' AND "
                                   "a.status = 'submitted' AND a.grade IS NOT NULL"),
                     1);
    assert_int_equal(testapp_count(app, "SELECT COUNT(*) FROM uw_finding"), 3);
    /* audited like any other write: create, file; create, findings, submit */
    assert_int_equal(testapp_count(app,
                                   "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'product.%' "
                                   "OR action LIKE 'assessment.%'"),
                     5);
    /* again: nothing more */
    if (app_uw_demo_load(app, &op, time(NULL), DATA "/demo/uw.json", NULL, &err) != CY_OK)
        fail_msg("%s", err.message);
    assert_int_equal(testapp_count(app, "SELECT COUNT(*) FROM uw_product"), 1);
    assert_int_equal(testapp_count(app, "SELECT COUNT(*) FROM uw_assessment"), 1);
    /* a missing file names itself */
    assert_int_equal(app_uw_demo_load(app, &op, time(NULL), DATA "/demo/none.json", NULL, &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "demo_invalid");
    app_close(app);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

CY_TEST(test_uw_data_refuses_a_broken_data_dir)
{
    (void)state;
    uw_data_t *d = NULL;
    cy_error_t err;
    assert_int_equal(uw_data_load("/nonexistent", &d, &err), CY_EINVAL);
    assert_null(d);
    assert_non_null(strstr(err.message, "rating/model.json"));
}
