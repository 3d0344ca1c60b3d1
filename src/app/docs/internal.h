/*
 * internal.h — what the files of app/docs/ share, and nothing outside
 * includes: the loaded templates, the record a document is made from, and
 * the steps of making one.
 */
#ifndef CY_APP_DOCS_INTERNAL_H
#define CY_APP_DOCS_INTERNAL_H

#include <jansson.h>

#include "app/docs/docs.h"
#include "doc/doc.h"

/* What app_docs_open loaded (app->docs). */
struct docs_data {
    doc_lib_t *lib; /* data/forms */
    json_t *refs;   /* data/pilot.json: the names of the industry and product codes */
};

/*
 * A record as its templates take it: the DOCX is the forms of parts in
 * order (a package: its cover list, then each plan's annex), the XLSX the
 * workbook filled from sheet. stem names the files ("plan-11").
 */
typedef struct {
    char stem[48];
    json_t *parts;        /* [{"form": NAME, "data": {...}}, …]; NULL: no DOCX */
    const char *workbook; /* data/forms/xlsx/NAME.json; NULL: no XLSX */
    json_t *sheet;
} docs_record_t;

/*
 * docs_record_build reads what req names as the caller a sees it (the
 * pilot's use cases judge visibility) at now, and resolves what the
 * templates need besides (region names, the author organisation, dates,
 * the round's name). Free with docs_record_free.
 */
cy_status_t docs_record_build(app_t *app, const actor_t *a, int64_t now, const docs_request_t *req,
                              docs_record_t *out, cy_error_t *err);
void docs_record_free(docs_record_t *r);

/*
 * docs_write makes the record's file of format fmt (DOCX or XLSX) in dir:
 * dir/STEM.docx or dir/STEM.xlsx (path receives it). A record without that
 * document is CY_EBADREQ on field "format".
 */
cy_status_t docs_write(const app_t *app, const docs_record_t *r, docs_format_t fmt, const char *dir,
                       char *path, size_t cap, cy_error_t *err);

/* A folder of its own under app->cfg.tmp_dir (dir receives it), and its removal with its files. */
cy_status_t docs_tmpdir(const app_t *app, char *dir, size_t cap, cy_error_t *err);
void docs_tmpdir_remove(const char *dir);

/* docs_read_file reads path whole into out->data, out->size and out->sha256. */
cy_status_t docs_read_file(const char *path, docs_file_t *out, cy_error_t *err);

/* docs_convert turns dir/STEM.docx into dir/STEM.pdf with LibreOffice; CY_EUNAVAIL on failure. */
cy_status_t docs_convert(const app_t *app, const char *docx, const char *dir, cy_error_t *err);

/*
 * docs_make makes the record req names in format fmt, in a fresh folder,
 * and reads it back into out (free with app_docs_file_free); a PDF is the
 * DOCX converted here, so only a caller that may wait asks for one.
 */
cy_status_t docs_make(app_t *app, const actor_t *a, int64_t now, const docs_request_t *req,
                      docs_format_t fmt, docs_file_t *out, cy_error_t *err);

/* docs_file_name names f STEM.EXT (the first stem_len bytes of stem) with fmt's media type. */
void docs_file_name(docs_file_t *f, const char *stem, size_t stem_len, docs_format_t fmt);

#endif
