/*
 * export.c — cyberins export KIND ID --format docx|xlsx|pdf --out FILE: a
 * document of the pilot (app/docs/docs.h) written to a file, as the
 * platform operator; a PDF is converted by LibreOffice in this process.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/docs/docs.h"
#include "cli/cli.h"

static const char EXPORT_HELP[] =
    "usage: cyberins export scheme|plan|package|report|summary ID --format F --out FILE\n"
    "       cyberins export catalogue|overdue ROUND --format F --out FILE\n"
    "       [--db URL] [--data DIR] [--soffice PROG]\n"
    "Write a document of the pilot: F is docx, xlsx or pdf (a PDF is the DOCX\n"
    "converted by LibreOffice, env CYBERINS_SOFFICE or --soffice; DOCX and XLSX\n"
    "need none). FILE '-' is standard output. A record without that format\n"
    "(an Annex 4 plan has no tables) is refused naming the ones it has.\n";

static int
usage(void)
{
    fputs(EXPORT_HELP, stderr);
    return EXIT_USAGE;
}

/* KIND ID into r (the id is a round for the catalogue and the overdue list); 0 when malformed. */
static int
what_of(const char *kind, const char *id, docs_request_t *r)
{
    if (!app_docs_kind_parse(kind, &r->kind))
        return 0;
    if (r->kind == DOCS_CATALOGUE || r->kind == DOCS_OVERDUE) {
        r->round_id = id;
        return id[0] != '\0';
    }
    char *end;
    long long v = strtoll(id, &end, 10);
    r->id = v;
    return *end == '\0' && v > 0;
}

static int
write_out(const char *out, const docs_file_t *f)
{
    FILE *fp = strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
    int ok = fp != NULL && fwrite(f->data, 1, f->size, fp) == f->size;
    if (fp != NULL && fp != stdout && fclose(fp) != 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "cyberins: cannot write %s: %s\n", out, strerror(errno));
        return 1;
    }
    if (fp != stdout)
        fprintf(stderr, "%s: %zu bytes, sha256 %s\n", out, f->size, f->sha256);
    return 0;
}

int
cli_cmd_export(int argc, char **argv)
{
    cli_common_t c = {0};
    cli_common_defaults(&c);
    const char *format = NULL, *out = NULL;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"data", required_argument, 0, 'D'},
                                         {"format", required_argument, 0, 'f'},
                                         {"out", required_argument, 0, 'o'},
                                         {"soffice", required_argument, 0, 's'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            c.db = optarg;
            break;
        case 'D':
            c.data = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 's':
            c.soffice = optarg;
            break;
        case 'h':
            fputs(EXPORT_HELP, stdout);
            return 0;
        default:
            return usage();
        }
    }
    docs_request_t r = {0};
    if (optind + 2 != argc || format == NULL || out == NULL ||
        !what_of(argv[optind], argv[optind + 1], &r) || !app_docs_format_parse(format, &r.format))
        return usage();
    app_t *app;
    int rc = cli_open_app(&c, 0, &app);
    if (rc != 0)
        return rc;
    actor_t op;
    cli_actor(&op);
    docs_file_t f;
    cy_error_t err;
    if (app_docs_render(app, &op, cli_now(), &r, &f, &err) != CY_OK)
        rc = cli_fail(&err);
    else
        rc = write_out(out, &f);
    app_docs_file_free(&f);
    app_close(app);
    return rc;
}
