/*
 * bulk_quote.c — fuzzes the bulk-quote CSV (app_uw_quote_bulk in
 * src/app/uw/quote.c over core/csv.c and core/money.c, as `cyberins quote
 * --csv` runs it) on the demo product of an application over SQLite
 * (fuzz_app). The input is the CSV text, any bytes. Beyond the sanitizers:
 * only a wrong header refuses the whole file (CY_EINVAL), and every row is
 * counted once, as quoted or as bad.
 */
#include <stdio.h>
#include <string.h>

#include "app/uw/uw.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_app(NULL);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *out, *report;
    int64_t product;
    app_t *app = fuzz_app(&product);
    if (out == NULL) {
        out = fopen("/dev/null", "w");
        report = fopen("/dev/null", "w");
        if (out == NULL || report == NULL)
            fuzz_die("fopen", "/dev/null");
    }
    actor_t op;
    actor_cli(&op, "fuzz");
    uw_bulk_stats_t stats;
    cy_error_t err;
    cy_status_t st =
        app_uw_quote_bulk(app, &op, product, (const char *)data, size, out, report, &stats, &err);
    if (st != CY_OK)
        fuzz_refused(&err);
    if (st != CY_OK && st != CY_EINVAL)
        fuzz_die("app_uw_quote_bulk", err.message);
    if (stats.quoted + stats.bad != stats.rows)
        fuzz_die("app_uw_quote_bulk", "a row neither quoted nor bad");
    return 0;
}
