/*
 * cli.h — what the command's files share.
 */
#ifndef CY_CLI_CLI_H
#define CY_CLI_CLI_H

#include "app/app.h"

typedef struct {
    const char *db;
    const char *data;
    int pool;
} cli_common_t;

const char *cli_env_or(const char *name, const char *fallback);
void cli_common_defaults(cli_common_t *c);
/* parses --db, --data, --help; returns -1 to go on, else the exit status */
int cli_parse_common(int argc, char **argv, cli_common_t *c, const char *help);
/* opens the app (migrating when asked); returns 0 or the exit status */
int cli_open_app(const cli_common_t *c, int migrate, app_t **app);
/* prints err for a person; returns 1 */
int cli_fail(const cy_error_t *err);

int cli_cmd_demo(int argc, char **argv);

#endif
