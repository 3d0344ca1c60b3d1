/*
 * user.c — cyberins user add|list|passwd|disable, acting as the platform
 * operator (audited as "cli:OSUSER"). Passwords are read from standard
 * input, never from the command line (which other users can see in ps).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app/identity/identity.h"
#include "cli/cli.h"

static const char USER_HELP[] =
    "usage: cyberins user add --org USCC|ID --username NAME --name DISPLAY --role ROLE\n"
    "                         [--email E] [--phone P] [--db URL]\n"
    "       cyberins user list --org USCC|ID [--db URL]\n"
    "       cyberins user passwd USERNAME [--db URL]\n"
    "       cyberins user disable USERNAME [--db URL]\n"
    "ROLE is admin, member or viewer. add and passwd read the password from\n"
    "standard input (one line; not echoed on a terminal).\n";

int
cli_read_secret(const char *msg, char *buf, size_t cap)
{
    int tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fputs(msg, stderr);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *got = fgets(buf, (int)cap, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (got == NULL)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

/* An organisation given as its id or its USCC. */
static int
resolve_org(app_t *app, const char *s, int64_t *id)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end == '\0' && v > 0 && strlen(s) < 18) {
        *id = v;
        return 0;
    }
    cy_error_t err;
    if (app_org_find_uscc(app, s, id, &err) != CY_OK)
        return cli_fail(&err);
    return 0;
}

static void
print_user(const user_t *u)
{
    printf("%-6" PRId64 " %-20s %-8s %-9s %s\n", u->id, u->username, authz_role_name(u->role),
           u->disabled ? "disabled" : "active", u->display_name);
}

/* The options of user: the common ones and the new user's fields. */
typedef struct {
    cli_common_t c;
    const char *org, *username, *name, *role, *email, *phone;
} user_args_t;

/* Parses the options after the subcommand: -1 to go on, else the exit status. */
static int
user_parse(int argc, char **argv, user_args_t *a)
{
    const cli_text_opt_t opts[] = {
        {"db", &a->c.db},   {"data", &a->c.data}, {"org", &a->org},     {"username", &a->username},
        {"name", &a->name}, {"role", &a->role},   {"email", &a->email}, {"phone", &a->phone}};
    return cli_parse_texts(argc, argv, opts, sizeof opts / sizeof opts[0], USER_HELP);
}

/* user add and user list, on the organisation of --org. */
static int
user_of_org(app_t *app, const actor_t *cli, int add, const user_args_t *a)
{
    int64_t org_id = 0;
    int rc = resolve_org(app, a->org, &org_id);
    if (rc != 0)
        return rc;
    cy_error_t err;
    if (!add) {
        user_list_t l;
        if (app_user_list(app, cli, org_id, &l, &err) != CY_OK)
            return cli_fail(&err);
        for (size_t i = 0; i < l.n; i++)
            print_user(&l.items[i]);
        user_list_free(&l);
        return 0;
    }
    char pw[300];
    if (cli_read_secret("password: ", pw, sizeof pw) != 0) {
        fprintf(stderr, "cyberins user: no password on standard input\n");
        return 1;
    }
    user_input_t in = {org_id, a->username, a->name, a->role, pw, a->email, a->phone};
    user_t u;
    rc = app_user_create(app, cli, cli_now(), &in, &u, &err) != CY_OK ? cli_fail(&err) : 0;
    memset(pw, 0, sizeof pw);
    if (rc == 0)
        printf("added user %s (id %" PRId64 ", %s)\n", u.username, u.id, authz_role_name(u.role));
    return rc;
}

/* user passwd and user disable, on the user called target. */
static int
user_named(app_t *app, const actor_t *cli, int passwd, const char *target)
{
    int64_t uid = 0;
    cy_error_t err;
    if (app_user_find(app, target, &uid, &err) != CY_OK)
        return cli_fail(&err);
    if (!passwd) {
        user_patch_t p = {.has_disabled = 1, .disabled = 1};
        user_t u;
        if (app_user_update(app, cli, cli_now(), uid, &p, &u, &err) != CY_OK)
            return cli_fail(&err);
        printf("disabled %s: its sessions ended and its API tokens are revoked\n", target);
        return 0;
    }
    char pw[300];
    if (cli_read_secret("password: ", pw, sizeof pw) != 0) {
        fprintf(stderr, "cyberins user: no password on standard input\n");
        return 1;
    }
    int rc =
        app_user_password(app, cli, cli_now(), uid, pw, NULL, &err) != CY_OK ? cli_fail(&err) : 0;
    memset(pw, 0, sizeof pw);
    if (rc == 0)
        printf("password of %s reset: its sessions ended and its API tokens are revoked\n", target);
    return rc;
}

int
cli_cmd_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(USER_HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[1];
    user_args_t a = {0};
    cli_common_defaults(&a.c);
    int rc = user_parse(argc - 1, argv + 1, &a);
    if (rc >= 0)
        return rc;
    int add = strcmp(sub, "add") == 0, list = strcmp(sub, "list") == 0;
    int passwd = strcmp(sub, "passwd") == 0, disable = strcmp(sub, "disable") == 0;
    int rest = argc - 1 - optind;
    const char *target = rest == 1 ? argv[1 + optind] : NULL;
    int ok_args = (add && a.org && a.username && a.name && a.role && rest == 0) ||
                  (list && a.org && rest == 0) || ((passwd || disable) && target);
    if (!ok_args) {
        fputs(USER_HELP, stderr);
        return EXIT_USAGE;
    }
    app_t *app;
    if ((rc = cli_open_app(&a.c, 1, &app)) != 0)
        return rc;
    actor_t cli;
    cli_actor(&cli);
    rc = add || list ? user_of_org(app, &cli, add, &a) : user_named(app, &cli, passwd, target);
    app_close(app);
    return rc;
}
