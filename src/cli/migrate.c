/*
 * migrate.c — cyberins migrate: apply the pending schema migrations.
 */
#include <stdio.h>

#include "cli/cli.h"

static const char MIGRATE_HELP[] = "usage: cyberins migrate [--db URL]\n"
                                   "Apply the pending schema migrations and print the version.\n";

int
cli_cmd_migrate(int argc, char **argv)
{
    cli_common_t c = {0};
    cli_common_defaults(&c);
    int rc = cli_parse_common(argc, argv, &c, MIGRATE_HELP);
    if (rc >= 0)
        return rc;
    cli_ensure_sqlite_dir(c.db);
    store_t *s;
    cy_error_t err;
    int applied = 0;
    char ver[128];
    if (store_open(c.db, 1, &s, &err) != CY_OK)
        return cli_fail(&err);
    if (store_migrate(s, cli_now(), &applied, &err) != CY_OK ||
        store_schema_version(s, ver, sizeof ver, &err) != CY_OK) {
        store_close(s);
        return cli_fail(&err);
    }
    printf("applied %d migration(s); schema at %s\n", applied, ver);
    store_close(s);
    return 0;
}
