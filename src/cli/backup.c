/*
 * backup.c — cyberins backup and restore. SQLite: a consistent copy through
 * SQLite's online backup API (store_sqlite_copy) while servers go on
 * writing; restore copies it into a new file. PostgreSQL: pg_dump -Fc, and
 * pg_restore in one transaction into an empty database. Either way the copy
 * is whole or absent, and `cyberins audit verify` checks what was restored.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"

static const char BACKUP_HELP[] =
    "usage: cyberins backup --out FILE [--db URL]\n"
    "       cyberins restore --from FILE [--db URL]\n"
    "backup copies the database into FILE, which must not exist, while servers go on\n"
    "working: SQLite through its online backup API (one consistent snapshot; FILE is\n"
    "an SQLite database), PostgreSQL through pg_dump -Fc (pg_dump on PATH).\n"
    "restore puts such a FILE into a database that is new: SQLite a file that does\n"
    "not exist yet, PostgreSQL an empty database (createdb), filled by pg_restore in\n"
    "one transaction. FILE and --db must be of the same kind. Afterwards\n"
    "`cyberins audit verify --expect HASH` checks the restored audit chain; servers\n"
    "started on it apply newer migrations themselves (docs/operations.md).\n"
    "  --db URL   sqlite:PATH or postgresql://... (env CYBERINS_DB,\n"
    "             default sqlite:var/cyberins.db)\n";

/* Runs argv (a program on PATH) and waits: 0 when it exited 0, else 1 after saying why. */
static int
run_tool(char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "cyberins: cannot start %s: %s\n", argv[0], strerror(errno));
        return 1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "cyberins: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    fprintf(stderr, "cyberins: %s failed (status %d)\n", argv[0],
            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 1;
}

/* pg_dump -Fc of url into out, written under another name and renamed. */
static int
pg_backup(const char *url, const char *out)
{
    if (access(out, F_OK) == 0) {
        fprintf(stderr, "cyberins: %s exists and is not overwritten\n", out);
        return 1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.partial-%ld", out, (long)getpid());
    char *argv[] = {"pg_dump", "-Fc", "--no-owner", "-f", tmp, "-d", (char *)url, NULL};
    int rc = run_tool(argv);
    if (rc == 0 && rename(tmp, out) != 0) {
        fprintf(stderr, "cyberins: cannot write %s: %s\n", out, strerror(errno));
        rc = 1;
    }
    if (rc != 0)
        unlink(tmp);
    return rc;
}

/* pg_restore of from into the empty database url, all or nothing. */
static int
pg_restore(const char *url, const char *from)
{
    char *argv[] = {"pg_restore",
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-owner",
                    "-d",
                    (char *)url,
                    (char *)from,
                    NULL};
    return run_tool(argv);
}

/* --out / --from and --db: -1 to go on, else the exit status. */
static int
parse(int argc, char **argv, const char *file_opt, cli_common_t *c, const char **file)
{
    const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                  {file_opt, required_argument, 0, 'f'},
                                  {"help", no_argument, 0, 'h'},
                                  {0, 0, 0, 0}};
    cli_common_defaults(c);
    *file = NULL;
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'd') {
            c->db = optarg;
        } else if (ch == 'f') {
            *file = optarg;
        } else if (ch == 'h') {
            fputs(BACKUP_HELP, stdout);
            return 0;
        } else {
            fputs(BACKUP_HELP, stderr);
            return EXIT_USAGE;
        }
    }
    if (*file == NULL || optind != argc) {
        fprintf(stderr, "cyberins: --%s FILE is needed\n", file_opt);
        fputs(BACKUP_HELP, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

static int
is_sqlite(const char *url)
{
    return strncmp(url, "sqlite:", 7) == 0;
}

/* The size of path, for the line that says what was done. */
static long long
file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

int
cli_cmd_backup(int argc, char **argv)
{
    cli_common_t c;
    const char *out;
    int rc = parse(argc, argv, "out", &c, &out);
    if (rc >= 0)
        return rc;
    cy_error_t err;
    if (is_sqlite(c.db))
        rc = store_sqlite_copy(c.db + 7, out, &err) == CY_OK ? 0 : cli_fail(&err);
    else
        rc = pg_backup(c.db, out);
    if (rc == 0)
        printf("backup %s: %lld bytes\n", out, file_size(out));
    return rc;
}

int
cli_cmd_restore(int argc, char **argv)
{
    cli_common_t c;
    const char *from;
    int rc = parse(argc, argv, "from", &c, &from);
    if (rc >= 0)
        return rc;
    cy_error_t err;
    if (is_sqlite(c.db)) {
        cli_ensure_sqlite_dir(c.db);
        rc = store_sqlite_copy(from, c.db + 7, &err) == CY_OK ? 0 : cli_fail(&err);
    } else {
        rc = pg_restore(c.db, from);
    }
    if (rc == 0)
        printf("restored %s into %s; check it: cyberins audit verify --expect HASH\n", from, c.db);
    return rc;
}
