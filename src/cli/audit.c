/*
 * audit.c — cyberins audit verify|head|list. verify walks the hash chain
 * and exits 1 naming what does not verify; head prints the last entry's seq
 * and hash, for the operator to keep outside the database and give back to
 * verify --expect.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "cli/cli.h"

static const char AUDIT_HELP[] =
    "usage: cyberins audit verify [--expect HASH] [--db URL]\n"
    "       cyberins audit head [--db URL]\n"
    "       cyberins audit list [--limit N] [--db URL]\n"
    "verify recomputes every entry's SHA-256 over the one before it and checks that\n"
    "the head names the last entry; it exits 1 naming the first entry that was\n"
    "changed, removed or reordered, or a missing head. head prints \"seq N hash H\":\n"
    "keep H outside the database (a ticket, a log, another system); later,\n"
    "verify --expect H fails when no entry has it any more (the chain was cut or\n"
    "rewritten, head included).\n";

/* The options after the subcommand. */
typedef struct {
    cli_common_t c;
    long limit;
    const char *expect;
} audit_args_t;

static int
usage(void)
{
    fputs(AUDIT_HELP, stderr);
    return EXIT_USAGE;
}

/* Parses the options: -1 to go on, else the exit status. */
static int
audit_parse(int argc, char **argv, audit_args_t *a)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},    {"data", required_argument, 0, 'D'},
        {"limit", required_argument, 0, 'l'}, {"expect", required_argument, 0, 'e'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    int ch;
    char *end;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'd') {
            a->c.db = optarg;
        } else if (ch == 'D') {
            a->c.data = optarg;
        } else if (ch == 'e') {
            a->expect = optarg;
        } else if (ch == 'l') {
            a->limit = strtol(optarg, &end, 10);
            if (*end || a->limit < 1 || a->limit > 100000)
                return usage();
        } else if (ch == 'h') {
            fputs(AUDIT_HELP, stdout);
            return 0;
        } else {
            return usage();
        }
    }
    if (a->expect != NULL &&
        (strlen(a->expect) != 64 || strspn(a->expect, "0123456789abcdef") != 64)) {
        fprintf(stderr, "cyberins audit: --expect needs the 64 hex digits audit head printed\n");
        return usage();
    }
    return -1;
}

static int
audit_verify(app_t *app, const actor_t *cli, const char *expect)
{
    audit_verify_t v;
    cy_error_t err;
    if (app_audit_verify(app, cli, expect, &v, &err) != CY_OK)
        return cli_fail(&err);
    if (v.ok && v.anchor_seq > 0)
        printf("audit chain ok: %" PRId64 " entries verified; entry %" PRId64
               " has the expected hash\n",
               v.entries, v.anchor_seq);
    else if (v.ok)
        printf("audit chain ok: %" PRId64 " entries verified\n", v.entries);
    else if (v.broken_seq > 0)
        printf("audit chain BROKEN at entry %" PRId64 " (after %" PRId64 " good entries): %s\n",
               v.broken_seq, v.entries, v.reason);
    else
        printf("audit chain BROKEN (after %" PRId64 " good entries): %s\n", v.entries, v.reason);
    return v.ok ? 0 : 1;
}

static int
audit_head(app_t *app, const actor_t *cli)
{
    int64_t seq;
    char hash[65];
    cy_error_t err;
    if (app_audit_head(app, cli, &seq, hash, &err) != CY_OK)
        return cli_fail(&err);
    printf("seq %" PRId64 " hash %s\n", seq, hash);
    return 0;
}

static void
print_row(const audit_record_t *r)
{
    printf("%-6" PRId64 " %s %-20s %-18s %s/%s %s\n", r->seq, r->at, r->actor, r->action,
           r->object_type, r->object_id, r->summary);
}

/* The newest limit entries, in pages of the one page policy. */
static int
audit_list(app_t *app, const actor_t *cli, long limit)
{
    audit_filter_t f = {NULL, NULL};
    app_page_t pg = {0, 0};
    cy_error_t err;
    do {
        pg.limit = limit < APP_PAGE_MAX ? (int)limit : APP_PAGE_MAX;
        audit_list_t l;
        if (app_audit_list(app, cli, &f, &pg, &l, &err) != CY_OK)
            return cli_fail(&err);
        for (size_t i = 0; i < l.n; i++)
            print_row(&l.items[i]);
        limit -= (long)l.n;
        pg.cursor = l.next;
        audit_list_free(&l);
    } while (limit > 0 && pg.cursor > 0);
    return 0;
}

int
cli_cmd_audit(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(AUDIT_HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[1];
    audit_args_t a = {.limit = 50};
    cli_common_defaults(&a.c);
    int rc = audit_parse(argc - 1, argv + 1, &a);
    if (rc >= 0)
        return rc;
    int verify = strcmp(sub, "verify") == 0, head = strcmp(sub, "head") == 0,
        list = strcmp(sub, "list") == 0;
    if ((!verify && !head && !list) || optind != argc - 1 || (a.expect && !verify))
        return usage();
    app_t *app;
    /* reading the log must not change the database: no migrations, no reference sync */
    if ((rc = cli_open_app(&a.c, 0, &app)) != 0)
        return rc;
    actor_t cli;
    cli_actor(&cli);
    rc = verify ? audit_verify(app, &cli, a.expect)
         : head ? audit_head(app, &cli)
                : audit_list(app, &cli, a.limit);
    app_close(app);
    return rc;
}
