/*
 * audit.c — cyberins audit verify|list. verify walks the hash chain and
 * exits 1 naming the first entry that does not verify.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "cli/cli.h"

static const char AUDIT_HELP[] =
    "usage: cyberins audit verify [--db URL]\n"
    "       cyberins audit list [--limit N] [--db URL]\n"
    "verify recomputes every entry's SHA-256 over the one before it and exits 1\n"
    "naming the first entry that was changed, removed or reordered.\n";

static void
print_row(const audit_record_t *r)
{
    printf("%-6" PRId64 " %s %-20s %-18s %s/%s %s\n", r->seq, r->at, r->actor, r->action,
           r->object_type, r->object_id, r->summary);
}

int
cli_cmd_audit(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(AUDIT_HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    argc--;
    argv++;
    cli_common_t c = {0};
    cli_common_defaults(&c);
    long limit = 50;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"data", required_argument, 0, 'D'},
                                         {"limit", required_argument, 0, 'l'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int ch;
    char *end;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            c.db = optarg;
            break;
        case 'D':
            c.data = optarg;
            break;
        case 'l':
            limit = strtol(optarg, &end, 10);
            if (*end || limit < 1 || limit > 100000) {
                fputs(AUDIT_HELP, stderr);
                return 2;
            }
            break;
        case 'h':
            fputs(AUDIT_HELP, stdout);
            return 0;
        default:
            fputs(AUDIT_HELP, stderr);
            return 2;
        }
    }
    int verify = strcmp(sub, "verify") == 0, list = strcmp(sub, "list") == 0;
    if ((!verify && !list) || optind != argc) {
        fputs(AUDIT_HELP, stderr);
        return 2;
    }
    app_t *app;
    /* verifying must not change the database: no migrations, no reference sync */
    int rc = cli_open_app(&c, 0, &app);
    if (rc != 0)
        return rc;
    actor_t cli;
    cli_actor(&cli);
    cy_error_t err;
    if (verify) {
        audit_verify_t v;
        if (app_audit_verify(app, &cli, &v, &err) != CY_OK) {
            rc = cli_fail(&err);
        } else if (v.ok) {
            printf("audit chain ok: %" PRId64 " entries verified\n", v.entries);
        } else {
            printf("audit chain BROKEN at entry %" PRId64 " (after %" PRId64 " good entries): %s\n",
                   v.broken_seq, v.entries, v.reason);
            rc = 1;
        }
    } else {
        /* pages of the one page policy until limit entries are printed */
        audit_filter_t f = {NULL, NULL};
        app_page_t pg = {0, 0};
        do {
            pg.limit = limit < APP_PAGE_MAX ? (int)limit : APP_PAGE_MAX;
            audit_list_t l;
            if (app_audit_list(app, &cli, &f, &pg, &l, &err) != CY_OK) {
                rc = cli_fail(&err);
                break;
            }
            for (size_t i = 0; i < l.n; i++)
                print_row(&l.items[i]);
            limit -= (long)l.n;
            pg.cursor = l.next;
            audit_list_free(&l);
        } while (limit > 0 && pg.cursor > 0);
    }
    app_close(app);
    return rc;
}
