/*
 * demo.c — cyberins demo: init, then the demo data that make run shows.
 */
#include <stdio.h>

#include "cli/cli.h"

static const char DEMO_HELP[] = "usage: cyberins demo [--db URL] [--data DIR]\n"
                                "Initialise the database and load the demo data (idempotent).\n";

int
cli_cmd_demo(int argc, char **argv)
{
    cli_common_t c = {0};
    cli_common_defaults(&c);
    int rc = cli_parse_common(argc, argv, &c, DEMO_HELP);
    if (rc >= 0)
        return rc;
    app_t *app;
    rc = cli_open_app(&c, 1, &app);
    if (rc != 0)
        return rc;
    const ref_data_t *ref = app_ref(app);
    printf("demo database %s ready: %zu regions, %zu industries, %zu coverages\n", c.db,
           ref->n_regions, ref->n_industries, ref->n_coverages);
    app_close(app);
    return 0;
}
