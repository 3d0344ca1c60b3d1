/*
 * init.c — cyberins init (schema and reference data) and cyberins demo
 * (init, then the demo organisations and users, printing their logins).
 */
#include <stdio.h>

#include "app/docs/docs.h"
#include "app/identity/identity.h"
#include "app/monitor/monitor.h"
#include "app/pilot/pilot.h"
#include "app/uw/uw.h"
#include "cli/cli.h"

static const char INIT_HELP[] =
    "usage: cyberins init [--db URL] [--data DIR]\n"
    "Create the database if needed, apply migrations and load the reference data.\n";

static const char DEMO_HELP[] =
    "usage: cyberins demo [--db URL] [--data DIR]\n"
    "Initialise the database and load the demo organisations and users of\n"
    "DATA/demo/demo.json (idempotent), then print the demo logins; then the demo\n"
    "records of DATA/demo/pilot.json, uw.json and documents.json (a catalogued\n"
    "scheme, an Annex 4 plan, a Guangzhou package: every kind of document).\n";

static int
init_common(int argc, char **argv, int demo)
{
    cli_common_t c = {0};
    cli_common_defaults(&c);
    int rc = cli_parse_common(argc, argv, &c, demo ? DEMO_HELP : INIT_HELP);
    if (rc >= 0)
        return rc;
    app_t *app;
    if ((rc = cli_open_app(&c, 1, &app)) != 0)
        return rc;
    const ref_data_t *ref = app_ref(app);
    printf("initialised %s: %zu regions, %zu industries, %zu coverages\n", c.db, ref->n_regions,
           ref->n_industries, ref->n_coverages);
    if (demo) {
        char path[4096];
        snprintf(path, sizeof path, "%s/demo/demo.json", c.data);
        demo_result_t res;
        cy_error_t err;
        actor_t op;
        cli_actor(&op);
        printf("demo logins:\n");
        if (app_demo_load(app, &op, cli_now(), path, stdout, &res, &err) != CY_OK) {
            app_close(app);
            return cli_fail(&err);
        }
        snprintf(path, sizeof path, "%s/demo/pilot.json", c.data);
        if (app_pilot_demo_load(app, &op, cli_now(), path, &err) != CY_OK) {
            app_close(app);
            return cli_fail(&err);
        }
        snprintf(path, sizeof path, "%s/demo/uw.json", c.data);
        if (app_uw_demo_load(app, &op, cli_now(), path, stdout, &err) != CY_OK) {
            app_close(app);
            return cli_fail(&err);
        }
        snprintf(path, sizeof path, "%s/demo/monitor.json", c.data);
        if (monitor_demo_load(app, &op, cli_now(), path, &err) != CY_OK) {
            app_close(app);
            return cli_fail(&err);
        }
        snprintf(path, sizeof path, "%s/demo/documents.json", c.data);
        if (app_docs_demo_load(app, &op, path, stdout, &err) != CY_OK) {
            app_close(app);
            return cli_fail(&err);
        }
        printf("demo password for every login above: %s\n", res.password);
        printf("demo data: %d organisation(s) and %d user(s) added\n", res.orgs_added,
               res.users_added);
    }
    app_close(app);
    return 0;
}

int
cli_cmd_init(int argc, char **argv)
{
    return init_common(argc, argv, 0);
}

int
cli_cmd_demo(int argc, char **argv)
{
    return init_common(argc, argv, 1);
}
