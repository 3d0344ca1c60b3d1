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

#include "app/identity/org.h"
#include "app/identity/user.h"
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
print_user(const user_t *u, void *arg)
{
    (void)arg;
    printf("%-6" PRId64 " %-20s %-8s %-9s %s\n", u->id, u->username, authz_role_name(u->role),
           u->disabled ? "disabled" : "active", u->display_name);
}

int
cli_cmd_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(USER_HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    argc--;
    argv++;
    cli_common_t c = {0};
    cli_common_defaults(&c);
    const char *org = NULL, *username = NULL, *name = NULL, *role = NULL, *email = NULL,
               *phone = NULL;
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},    {"data", required_argument, 0, 'D'},
        {"org", required_argument, 0, 'o'},   {"username", required_argument, 0, 'u'},
        {"name", required_argument, 0, 'n'},  {"role", required_argument, 0, 'r'},
        {"email", required_argument, 0, 'e'}, {"phone", required_argument, 0, 'p'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            c.db = optarg;
            break;
        case 'D':
            c.data = optarg;
            break;
        case 'o':
            org = optarg;
            break;
        case 'u':
            username = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'e':
            email = optarg;
            break;
        case 'p':
            phone = optarg;
            break;
        case 'h':
            fputs(USER_HELP, stdout);
            return 0;
        default:
            fputs(USER_HELP, stderr);
            return 2;
        }
    }
    int add = strcmp(sub, "add") == 0, list = strcmp(sub, "list") == 0;
    int passwd = strcmp(sub, "passwd") == 0, disable = strcmp(sub, "disable") == 0;
    const char *target = optind < argc ? argv[optind] : NULL;
    int ok_args = (add && org && username && name && role && !target) || (list && org && !target) ||
                  ((passwd || disable) && target && optind + 1 == argc);
    if (!ok_args) {
        fputs(USER_HELP, stderr);
        return 2;
    }
    app_t *app;
    int rc = cli_open_app(&c, 1, &app);
    if (rc != 0)
        return rc;
    actor_t cli;
    cli_actor(&cli);
    cy_error_t err;
    int64_t org_id = 0, uid = 0;
    if ((add || list) && (rc = resolve_org(app, org, &org_id)) != 0)
        goto out;
    if ((passwd || disable) && app_user_find(app, target, &uid, &err) != CY_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    char pw[300];
    if ((add || passwd) && cli_read_secret("password: ", pw, sizeof pw) != 0) {
        fprintf(stderr, "cyberins user: no password on standard input\n");
        rc = 1;
        goto out;
    }
    if (add) {
        user_input_t in = {org_id, username, name, role, pw, email, phone};
        user_t u;
        if (app_user_create(app, &cli, &in, &u, &err) != CY_OK)
            rc = cli_fail(&err);
        else
            printf("added user %s (id %" PRId64 ", %s)\n", u.username, u.id,
                   authz_role_name(u.role));
    } else if (list) {
        if (app_user_list(app, &cli, org_id, print_user, NULL, &err) != CY_OK)
            rc = cli_fail(&err);
    } else if (passwd) {
        if (app_user_password(app, &cli, uid, pw, NULL, &err) != CY_OK)
            rc = cli_fail(&err);
        else
            printf("password of %s changed; its other sessions ended\n", target);
    } else {
        user_patch_t p = {.has_disabled = 1, .disabled = 1};
        user_t u;
        if (app_user_update(app, &cli, uid, &p, &u, &err) != CY_OK)
            rc = cli_fail(&err);
        else
            printf("disabled %s: its sessions ended and its API tokens are revoked\n", target);
    }
    memset(pw, 0, sizeof pw);
out:
    app_close(app);
    return rc;
}
