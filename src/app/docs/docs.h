/*
 * docs.h — the pilot's paperwork as files (issue 11, docs/documents.md): the
 * record of a scheme, a plan, a package, a round's catalogue, a progress
 * report, an annual summary or the overdue list, read as the caller sees it
 * (404 outside its sight), put into the record each template of data/forms
 * expects, and rendered by doc/ as DOCX, XLSX or PDF.
 *
 * DOCX and XLSX are written while the caller waits (milliseconds). A PDF is
 * the DOCX converted by LibreOffice, which takes seconds and may be missing
 * or hang, so a server never converts inside a request: app_docs_get
 * answers a PDF from the store's cache, keyed by the SHA-256 of the DOCX
 * (the DOCX of a record is the same bytes every time), or queues a job that
 * any server's worker runs (app_docs_pdf_job) and says so; a conversion that
 * failed (LibreOffice missing, timed out) is answered CY_EUNAVAIL with its
 * reason for DOCS_PDF_RETRY_S seconds, then tried again. The command line
 * converts in its own process (app_docs_render).
 *
 * Depends on app/pilot, app/identity, app/jobs, doc/, store/ and core/;
 * never on http/ or cli/. Reads neither the clock nor the environment: the
 * LibreOffice program, its time limit and the folder for files come from
 * app_config_t, now from the caller.
 */
#ifndef CY_APP_DOCS_H
#define CY_APP_DOCS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/actor.h"
#include "app/app.h"
#include "app/jobs.h"

/* What a document is of. */
typedef enum {
    DOCS_SCHEME,    /* Annex 1: DOCX, PDF */
    DOCS_PLAN,      /* Annex 2, 3: DOCX, XLSX (its tables), PDF; Annex 4: DOCX, PDF */
    DOCS_PACKAGE,   /* the cover list and every plan: DOCX, PDF; the plans' tables: XLSX */
    DOCS_CATALOGUE, /* a round's 《目录》: DOCX, XLSX, PDF */
    DOCS_REPORT,    /* a progress report: DOCX, PDF */
    DOCS_SUMMARY,   /* an annual summary: DOCX, PDF */
    DOCS_OVERDUE    /* what is overdue in a round, in the caller's scope: XLSX */
} docs_kind_t;

typedef enum { DOCS_DOCX, DOCS_XLSX, DOCS_PDF } docs_format_t;

/* A PDF conversion that failed is answered as failed this long before it is tried again. */
#define DOCS_PDF_RETRY_S 60

/*
 * "scheme", "plan", "package", "catalogue", "report", "summary", "overdue"
 * and "docx", "xlsx", "pdf": 1 and *out when known, else 0.
 */
int app_docs_kind_parse(const char *s, docs_kind_t *out);
int app_docs_format_parse(const char *s, docs_format_t *out);

/* A document asked for. */
typedef struct {
    docs_kind_t kind;
    int64_t id;           /* the record (schemes, plans, packages, reports, summaries) */
    const char *round_id; /* the round (catalogue, overdue) */
    docs_format_t format;
} docs_request_t;

/* A document made, or a PDF on its way. Free with app_docs_file_free. */
typedef struct {
    unsigned char *data; /* the file (malloc'd); NULL while its PDF is being made */
    size_t size;
    char filename[64];      /* "scheme-7.docx", "catalogue-2024.xlsx" */
    const char *media_type; /* static */
    char sha256[65];        /* of data, hex */
    int64_t job_id;         /* a PDF not made yet: the job making it */
    char job_status[16];    /* then "queued" or "running" */
} docs_file_t;

/*
 * app_docs_render makes the document now, in this process, LibreOffice
 * included for a PDF (the command line's way). Refusals: the record's
 * (CY_ENOTFOUND outside the caller's sight; the overdue list is the
 * authorities'), CY_EBADREQ on field "format" when the record has no such
 * document (an Annex 4 plan has no tables), CY_EUNAVAIL when LibreOffice is
 * missing, fails or times out (DOCX and XLSX need no LibreOffice).
 */
cy_status_t app_docs_render(app_t *app, const actor_t *a, int64_t now, const docs_request_t *req,
                            docs_file_t *out, cy_error_t *err);

/*
 * app_docs_get is app_docs_render for a server: a PDF comes from the cache,
 * or out->data is NULL and out->job_id names the conversion queued (at now,
 * by the caller) or already under way; ask again to get it. A conversion
 * that failed less than DOCS_PDF_RETRY_S seconds before now is CY_EUNAVAIL
 * with its reason.
 */
cy_status_t app_docs_get(app_t *app, const actor_t *a, int64_t now, const docs_request_t *req,
                         docs_file_t *out, cy_error_t *err);

void app_docs_file_free(docs_file_t *f);

/* The runner of "document.pdf" jobs (app/jobs.h), for the table of cli/serve.c. */
cy_status_t app_docs_pdf_job(app_t *app, const job_t *job, char **result,
                             void (*progress)(void *ctx, int permille), void *ctx, cy_error_t *err);

/*
 * app_docs_demo_load applies data/demo/documents.json: a catalogued Annex 1
 * scheme, an Annex 4 plan and a Guangzhou package with its Annex 2 at the
 * province, made by the demo users through the pilot's use cases at the
 * file's times (op, the command line, looks the users up). Idempotent: a
 * record whose name its author already uses is left alone. log (may be
 * NULL) receives a line per record made.
 */
cy_status_t app_docs_demo_load(app_t *app, const actor_t *op, const char *path, FILE *log,
                               cy_error_t *err);

/*
 * app_docs_open loads and checks the templates of DATA/forms and the code
 * lists of DATA/pilot.json (a broken template stops start-up naming the
 * file and the path); app_close frees them (app_docs_close).
 */
cy_status_t app_docs_open(app_t *app, cy_error_t *err);
void app_docs_close(app_t *app);

#endif
