/*
 * main.c — the cyberins command: argv to app/ and http/. The only place that
 * calls exit() or prints for a person. Exit status: 0 success, 1 failure,
 * 2 usage error.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/quote.h"
#include "cli/simulate.h"

static const char USAGE[] =
    "usage: cyberins COMMAND [OPTIONS]   (cyberins COMMAND --help for more)\n"
    "commands:\n"
    "  serve     serve the REST API and web UI\n"
    "  init      create the database, apply migrations, load reference data\n"
    "  migrate   apply pending migrations\n"
    "  demo      init, then load the demo organisations and users\n"
    "  simulate  portfolio accumulation Monte Carlo\n"
    "  quote     bulk quote of a CSV of enterprises on one product\n"
    "  user      add, list, passwd, disable users\n"
    "  org       add, list, show organisations\n"
    "  audit     verify or list the hash-chained audit log\n"
    "  export    a document of the pilot as DOCX, XLSX or PDF\n"
    "  evidence  verify or export a claim's evidence chain\n"
    "  backup    copy the database into a file while servers run\n"
    "  restore   put such a file into a new database\n"
    "  authz     print the role x action table (--json for programs)\n"
    "  version   print the version\n"
    "  help      this text\n"
    "environment: CYBERINS_DB (default sqlite:var/cyberins.db), CYBERINS_LISTEN\n"
    "(default 127.0.0.1:8080), CYBERINS_DATA, CYBERINS_WEB\n";

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    /* getopt sees the command's own arguments, with the command as argv[0] */
    argc--;
    argv++;
    if (strcmp(cmd, "serve") == 0)
        return cli_cmd_serve(argc, argv);
    if (strcmp(cmd, "init") == 0)
        return cli_cmd_init(argc, argv);
    if (strcmp(cmd, "user") == 0)
        return cli_cmd_user(argc, argv);
    if (strcmp(cmd, "org") == 0)
        return cli_cmd_org(argc, argv);
    if (strcmp(cmd, "audit") == 0)
        return cli_cmd_audit(argc, argv);
    if (strcmp(cmd, "export") == 0)
        return cli_cmd_export(argc, argv);
    if (strcmp(cmd, "evidence") == 0)
        return cli_cmd_evidence(argc, argv);
    if (strcmp(cmd, "backup") == 0)
        return cli_cmd_backup(argc, argv);
    if (strcmp(cmd, "restore") == 0)
        return cli_cmd_restore(argc, argv);
    if (strcmp(cmd, "authz") == 0)
        return cli_cmd_authz(argc, argv);
    if (strcmp(cmd, "migrate") == 0)
        return cli_cmd_migrate(argc, argv);
    if (strcmp(cmd, "demo") == 0)
        return cli_cmd_demo(argc, argv);
    if (strcmp(cmd, "simulate") == 0)
        return cli_cmd_simulate(argc, argv);
    if (strcmp(cmd, "quote") == 0)
        return cli_cmd_quote(argc, argv);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        if (argc > 1 && strcmp(argv[1], "--help") == 0) {
            puts("usage: cyberins version\nPrint the version.");
            return 0;
        }
        printf("cyberins %s\n", app_version());
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    fprintf(stderr, "cyberins: unknown command '%s'\n", cmd);
    fputs(USAGE, stderr);
    return EXIT_USAGE;
}
