/*
 * common.c — what every command shares: the environment's defaults, the
 * options --db and --data, opening the app, the operator as an actor, and
 * printing a refusal for a person. Only cli/ reads the environment.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"

const char *
cli_env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return (v != NULL && v[0] != '\0') ? v : fallback;
}

int
cli_fail(const cy_error_t *err)
{
    if (err->field[0])
        fprintf(stderr, "cyberins: %s [%s]\n", err->message, err->field);
    else
        fprintf(stderr, "cyberins: %s\n", err->message);
    return 1;
}

/* Create the folder that will hold an SQLite file (var/ by default). */
void
cli_ensure_sqlite_dir(const char *url)
{
    if (strncmp(url, "sqlite:", 7) != 0)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s", url + 7);
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
}

void
cli_common_defaults(cli_common_t *c)
{
    c->db = cli_env_or("CYBERINS_DB", "sqlite:var/cyberins.db");
    c->data = cli_env_or("CYBERINS_DATA", CY_SOURCE_DIR "/data");
    c->soffice = cli_env_or("CYBERINS_SOFFICE", "soffice");
    c->tmp_dir = cli_env_or("TMPDIR", "/tmp");
}

int
cli_open_app(const cli_common_t *c, int migrate, app_t **app)
{
    cli_ensure_sqlite_dir(c->db);
    app_config_t cfg = {.db_url = c->db,
                        .data_dir = c->data,
                        .pool_size = c->pool,
                        .migrate = migrate,
                        .session_idle_s = c->session_idle,
                        .session_max_s = c->session_max,
                        .now = cli_now(),
                        .soffice = c->soffice,
                        .office_timeout_s = c->office_timeout_s,
                        .tmp_dir = c->tmp_dir};
    if (cfg.pool_size < 1)
        cfg.pool_size = 1;
    cy_error_t err;
    if (app_open(&cfg, app, &err) != CY_OK)
        return cli_fail(&err);
    return 0;
}

int
cli_parse_texts(int argc, char **argv, const cli_text_opt_t *opts, size_t n, const char *help)
{
    struct option lo[CLI_TEXT_OPTS_MAX + 2] = {{0}};
    if (n > CLI_TEXT_OPTS_MAX)
        n = CLI_TEXT_OPTS_MAX;
    for (size_t i = 0; i < n; i++) /* getopt answers 256 + the option's index */
        lo[i] = (struct option){opts[i].name, required_argument, 0, 256 + (int)i};
    lo[n] = (struct option){"help", no_argument, 0, 'h'};
    int ch;
    while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        if (ch < 256 || ch >= 256 + (int)n) {
            fputs(help, ch == 'h' ? stdout : stderr);
            return ch == 'h' ? 0 : EXIT_USAGE;
        }
        *opts[ch - 256].dst = optarg;
    }
    return -1;
}

int
cli_parse_common(int argc, char **argv, cli_common_t *c, const char *help)
{
    const cli_text_opt_t opts[] = {{"db", &c->db}, {"data", &c->data}};
    int rc = cli_parse_texts(argc, argv, opts, 2, help);
    if (rc != -1)
        return rc;
    if (optind != argc) {
        fprintf(stderr, "unexpected argument: %s\n", argv[optind]);
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

void
cli_actor(actor_t *a)
{
    actor_cli(a, getenv("USER"));
}

int64_t
cli_now(void)
{
    return (int64_t)time(NULL);
}
