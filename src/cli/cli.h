/*
 * cli.h — what the command's files share.
 */
#ifndef CY_CLI_CLI_H
#define CY_CLI_CLI_H

#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"

#define EXIT_USAGE 2

typedef struct {
    const char *db;
    const char *data;
    int pool;
    int session_idle, session_max; /* seconds; 0: defaults */
    const char *soffice;           /* LibreOffice (env CYBERINS_SOFFICE, default soffice) */
    int office_timeout_s;          /* one conversion's limit; 0: the default */
    const char *tmp_dir;           /* env TMPDIR, default /tmp */
} cli_common_t;

const char *cli_env_or(const char *name, const char *fallback);
void cli_common_defaults(cli_common_t *c);
/* parses --db, --data, --help; returns -1 to go on, else the exit status */
int cli_parse_common(int argc, char **argv, cli_common_t *c, const char *help);
/* One option that takes text: --name VALUE puts VALUE into *dst. */
typedef struct {
    const char *name;
    const char **dst;
} cli_text_opt_t;
#define CLI_TEXT_OPTS_MAX 32
/*
 * parses the options of argv: each of opts (n, at most CLI_TEXT_OPTS_MAX)
 * into its *dst, and --help; the operands are left from optind. Returns -1
 * to go on, else the exit status (help printed: 0 for --help, EXIT_USAGE for
 * an unknown option).
 */
int cli_parse_texts(int argc, char **argv, const cli_text_opt_t *opts, size_t n, const char *help);
/* opens the app (migrating when asked); returns 0 or the exit status */
int cli_open_app(const cli_common_t *c, int migrate, app_t **app);
/* creates the folder of an SQLite file (var/ by default) */
void cli_ensure_sqlite_dir(const char *url);
/* the command line as an actor: the platform operator, named cli:$USER */
void cli_actor(actor_t *a);
/* the clock (only cli/ and http/ read it) */
int64_t cli_now(void);
/* prints err for a person; returns 1 */
int cli_fail(const cy_error_t *err);

/* prints msg and reads one line from stdin (no echo on a terminal); 0 or -1 */
int cli_read_secret(const char *msg, char *buf, size_t cap);

int cli_cmd_serve(int argc, char **argv);
int cli_cmd_migrate(int argc, char **argv);
int cli_cmd_init(int argc, char **argv);
int cli_cmd_demo(int argc, char **argv);
int cli_cmd_user(int argc, char **argv);
int cli_cmd_org(int argc, char **argv);
int cli_cmd_audit(int argc, char **argv);
int cli_cmd_export(int argc, char **argv);
int cli_cmd_evidence(int argc, char **argv);
int cli_cmd_authz(int argc, char **argv);
int cli_cmd_backup(int argc, char **argv);
int cli_cmd_restore(int argc, char **argv);

#endif
