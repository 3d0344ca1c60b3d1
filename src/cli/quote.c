/*
 * quote.c — cyberins quote --csv IN --product ID > OUT: quote every
 * enterprise of a CSV on one thread through app_uw_quote_bulk, the same
 * pricing and underwriting rules as POST /api/v1/quotes (docs/underwriting.md
 * lists the columns). Bad rows are reported on standard error with their
 * line and column while the good rows are still quoted; the exit status is
 * 1 when any row was bad. Prints its throughput on standard error for
 * bench/quote.sh. Never talks to store/ directly.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/uw/uw.h"
#include "cli/cli.h"
#include "cli/quote.h"

static const char QUOTE_HELP[] =
    "usage: cyberins quote --csv IN --product ID [--db URL] [--data DIR] [--quiet] > OUT\n"
    "Quote every row of IN (header id,industry,revenue,grade,limit,retention[,gross_margin];\n"
    "industry a GB/T 4754 section or division, amounts in yuan, grade A-E, gross_margin 0-1)\n"
    "on product ID through the same pricing and underwriting rules as POST /api/v1/quotes.\n"
    "Writes id,premium,pure_premium,gross_premium,lambda,decision,rules to standard output;\n"
    "bad rows go to standard error as \"line N, COLUMN: reason\" and the others are still\n"
    "quoted. Exit status 1 when any row was bad. ('-' as IN reads standard input.)\n";

/* Read all of f into a NUL-terminated buffer. */
static char *
slurp(FILE *f, size_t *len)
{
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (buf != NULL) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

static double
seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int
cli_cmd_quote(int argc, char **argv)
{
    cli_common_t c = {0};
    cli_common_defaults(&c);
    const char *in = NULL;
    long long product = 0;
    int quiet = 0;
    static const struct option opts[] = {{"csv", required_argument, 0, 'c'},
                                         {"product", required_argument, 0, 'p'},
                                         {"db", required_argument, 0, 'd'},
                                         {"data", required_argument, 0, 'D'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int ch;
    char *end;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            in = optarg;
            break;
        case 'p':
            product = strtoll(optarg, &end, 10);
            if (*end || product <= 0) {
                fprintf(stderr, "cyberins quote: --product takes a product id\n");
                return 2;
            }
            break;
        case 'd':
            c.db = optarg;
            break;
        case 'D':
            c.data = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(QUOTE_HELP, stdout);
            return 0;
        default:
            fputs(QUOTE_HELP, stderr);
            return 2;
        }
    }
    if (optind != argc || in == NULL || product <= 0) {
        fputs(QUOTE_HELP, stderr);
        return 2;
    }
    FILE *f = strcmp(in, "-") == 0 ? stdin : fopen(in, "rb");
    if (f == NULL) {
        fprintf(stderr, "cyberins quote: cannot open %s: %s\n", in, strerror(errno));
        return 1;
    }
    size_t len = 0;
    char *text = slurp(f, &len);
    if (f != stdin)
        fclose(f);
    if (text == NULL) {
        fprintf(stderr, "cyberins quote: out of memory reading %s\n", in);
        return 1;
    }
    app_t *app;
    int rc = cli_open_app(&c, 0, &app);
    if (rc != 0) {
        free(text);
        return rc;
    }
    actor_t a;
    cli_actor(&a);
    uw_bulk_stats_t stats;
    cy_error_t err;
    static char obuf[1 << 20];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    double t0 = seconds();
    cy_status_t st = app_uw_quote_bulk(app, &a, product, text, len, stdout, stderr, &stats, &err);
    fflush(stdout);
    double dt = seconds() - t0;
    app_close(app);
    free(text);
    if (st != CY_OK)
        return cli_fail(&err);
    if (!quiet)
        fprintf(stderr, "quoted %zu of %zu rows (%zu bad) in %.3f s on one thread: %.0f rows/s\n",
                stats.quoted, stats.rows, stats.bad, dt, dt > 0 ? (double)stats.rows / dt : 0.0);
    return stats.bad > 0 ? 1 : 0;
}
