/*
 * docs.c — making a document: the record (records.c) through its
 * templates into a file in a folder of its own under the configured
 * tmp_dir, read back whole, hashed, and the folder removed. DOCX and XLSX
 * here, and a PDF converted here for the command line (app_docs_render);
 * a server's PDF comes from the store's cache (pdf.c, app_docs_get, which
 * makes its DOCX here). Also opening the templates at start-up. Depends on
 * doc/, core/, app/util and POSIX; never on pdf.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/docs/internal.h"
#include "app/util.h"

static const struct {
    const char *name;
    docs_kind_t kind;
} KINDS[] = {{"scheme", DOCS_SCHEME},       {"plan", DOCS_PLAN},     {"package", DOCS_PACKAGE},
             {"catalogue", DOCS_CATALOGUE}, {"report", DOCS_REPORT}, {"summary", DOCS_SUMMARY},
             {"overdue", DOCS_OVERDUE}};

static const struct {
    const char *ext, *media_type;
} FORMATS[] = {
    [DOCS_DOCX] = {"docx",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    [DOCS_XLSX] = {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    [DOCS_PDF] = {"pdf", "application/pdf"},
};

int
app_docs_kind_parse(const char *s, docs_kind_t *out)
{
    for (size_t i = 0; s != NULL && i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (strcmp(s, KINDS[i].name) == 0) {
            *out = KINDS[i].kind;
            return 1;
        }
    return 0;
}

int
app_docs_format_parse(const char *s, docs_format_t *out)
{
    for (size_t i = 0; s != NULL && i < sizeof FORMATS / sizeof FORMATS[0]; i++)
        if (strcmp(s, FORMATS[i].ext) == 0) {
            *out = (docs_format_t)i;
            return 1;
        }
    return 0;
}

/* ---- opening ------------------------------------------------------------ */

cy_status_t
app_docs_open(app_t *app, cy_error_t *err)
{
    struct docs_data *d = calloc(1, sizeof *d);
    if (d == NULL)
        return cy_error_no_memory(err);
    app->docs = d;
    char path[4096];
    snprintf(path, sizeof path, "%s/forms", app->cfg.data_dir);
    cy_status_t st = doc_lib_load(path, &d->lib, err);
    if (st != CY_OK)
        return st;
    snprintf(path, sizeof path, "%s/pilot.json", app->cfg.data_dir);
    json_error_t jerr;
    d->refs = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (d->refs == NULL)
        return cy_error_set(err, CY_EIO, "data_file", NULL, "无法读取 %s：%s / cannot read %s: %s",
                            path, jerr.text, path, jerr.text);
    return CY_OK;
}

void
app_docs_close(app_t *app)
{
    if (app->docs == NULL)
        return;
    doc_lib_free(app->docs->lib);
    json_decref(app->docs->refs);
    free(app->docs);
    app->docs = NULL;
}

/* ---- files -------------------------------------------------------------- */

cy_status_t
docs_tmpdir(const app_t *app, char *dir, size_t cap, cy_error_t *err)
{
    snprintf(dir, cap, "%s/cy-doc-XXXXXX", app->cfg.tmp_dir);
    if (mkdtemp(dir) == NULL)
        return cy_error_set(err, CY_EIO, "doc_tmpdir", NULL,
                            "无法在 %s 下建立临时目录：%s / cannot make a folder under %s: %s",
                            app->cfg.tmp_dir, strerror(errno), app->cfg.tmp_dir, strerror(errno));
    return CY_OK;
}

void
docs_tmpdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

cy_status_t
docs_read_file(const char *path, docs_file_t *out, cy_error_t *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return cy_error_set(err, CY_EIO, "doc_read", NULL, "无法读取 %s：%s / cannot read %s: %s",
                            path, strerror(e), path, strerror(e));
    }
    out->size = (size_t)sb.st_size;
    out->data = malloc(out->size ? out->size : 1);
    size_t got = 0;
    while (out->data != NULL && got < out->size) {
        ssize_t n = read(fd, out->data + got, out->size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (out->data == NULL || got != out->size) {
        free(out->data);
        out->data = NULL;
        return cy_error_set(err, CY_EIO, "doc_read", NULL, "无法读取 %s / cannot read %s", path,
                            path);
    }
    app_sha256_hex(out->data, out->size, out->sha256);
    return CY_OK;
}

/* ---- making one --------------------------------------------------------- */

static cy_status_t
no_format(const docs_record_t *r, docs_format_t fmt, cy_error_t *err)
{
    /* what it has: a form (DOCX, and so PDF), a workbook, or both */
    const char *zh = r->parts && r->workbook ? "docx、xlsx、pdf" : r->parts ? "docx、pdf" : "xlsx";
    const char *en = r->parts && r->workbook ? "docx, xlsx or pdf"
                     : r->parts              ? "docx or pdf"
                                             : "xlsx";
    return cy_error_set(err, CY_EBADREQ, "format_unavailable", "format",
                        "%s 没有 %s 格式的文件，可选 %s / %s has no %s document; choose %s",
                        r->stem, FORMATS[fmt].ext, zh, r->stem, FORMATS[fmt].ext, en);
}

cy_status_t
docs_write(const app_t *app, const docs_record_t *r, docs_format_t fmt, const char *dir, char *path,
           size_t cap, cy_error_t *err)
{
    const struct docs_data *dd = app->docs;
    if (fmt == DOCS_XLSX) {
        if (r->workbook == NULL)
            return no_format(r, fmt, err);
        snprintf(path, cap, "%s/%s.xlsx", dir, r->stem);
        return doc_xlsx_render(dd->lib, r->workbook, r->sheet, dd->refs, path, err);
    }
    if (r->parts == NULL)
        return no_format(r, fmt, err);
    snprintf(path, cap, "%s/%s.docx", dir, r->stem);
    doc_t *d = doc_new();
    cy_status_t st = d ? CY_OK : cy_error_no_memory(err);
    size_t i;
    json_t *part;
    json_array_foreach(r->parts, i, part)
    {
        if (st == CY_OK)
            st = doc_form_render(dd->lib, json_string_value(json_object_get(part, "form")),
                                 json_object_get(part, "data"), dd->refs, d, err);
    }
    if (st == CY_OK)
        st = doc_docx_write(dd->lib, d, path, err);
    doc_free(d);
    return st;
}

cy_status_t
docs_convert(const app_t *app, const char *docx, const char *dir, cy_error_t *err)
{
    doc_convert_opts_t o = {app->cfg.soffice, doc_lib_fonts_conf(app->docs->lib), dir, NULL,
                            app->cfg.office_timeout_s * 1000};
    const char *in[] = {docx};
    cy_status_t st = doc_pdf_convert(&o, in, 1, dir, err);
    if (st == CY_EIO) {
        /* LibreOffice missing, failed or out of time: the PDF is unavailable, not the request wrong
         */
        err->status = CY_EUNAVAIL;
        snprintf(err->field, sizeof err->field, "format");
    }
    return st == CY_EIO ? CY_EUNAVAIL : st;
}

void
docs_file_name(docs_file_t *f, const char *stem, size_t stem_len, docs_format_t fmt)
{
    snprintf(f->filename, sizeof f->filename, "%.*s.%s", (int)stem_len, stem, FORMATS[fmt].ext);
    f->media_type = FORMATS[fmt].media_type;
}

cy_status_t
docs_make(app_t *app, const actor_t *a, int64_t now, const docs_request_t *req, docs_format_t fmt,
          docs_file_t *out, cy_error_t *err)
{
    docs_record_t r;
    char dir[4096], path[4200] = "";
    memset(out, 0, sizeof *out);
    cy_status_t st = docs_record_build(app, a, now, req, &r, err);
    if (st != CY_OK)
        return st;
    st = docs_tmpdir(app, dir, sizeof dir, err);
    if (st == CY_OK) {
        st = docs_write(app, &r, fmt == DOCS_PDF ? DOCS_DOCX : fmt, dir, path, sizeof path, err);
        if (st == CY_OK && fmt == DOCS_PDF) {
            st = docs_convert(app, path, dir, err);
            snprintf(path, sizeof path, "%s/%s.pdf", dir, r.stem);
        }
        if (st == CY_OK)
            st = docs_read_file(path, out, err);
        docs_tmpdir_remove(dir);
    }
    docs_file_name(out, r.stem, strlen(r.stem), fmt);
    docs_record_free(&r);
    if (st != CY_OK)
        app_docs_file_free(out);
    return st;
}

cy_status_t
app_docs_render(app_t *app, const actor_t *a, int64_t now, const docs_request_t *req,
                docs_file_t *out, cy_error_t *err)
{
    return docs_make(app, a, now, req, req->format, out, err);
}

void
app_docs_file_free(docs_file_t *f)
{
    free(f->data);
    f->data = NULL;
    f->size = 0;
}
