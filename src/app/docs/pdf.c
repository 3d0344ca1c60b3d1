/*
 * pdf.c — PDFs for a server: the store keeps each PDF by the SHA-256 of the
 * DOCX it was converted from (table doc_pdf, the one place it is read and
 * written), and a conversion runs as a "document.pdf" job that any
 * server's worker may claim, with LibreOffice's time limit — so a request
 * never waits on LibreOffice. What a request for a PDF meets:
 *
 *   cached                 → the PDF
 *   no entry               → an entry and a job, queued at now (202 upstream)
 *   job queued or running  → that job (202)
 *   job failed < DOCS_PDF_RETRY_S ago → CY_EUNAVAIL with the job's reason
 *   job failed earlier     → a new job (LibreOffice may be back)
 *
 * The DOCX travels to the worker in the job's parameters (base64); the PDF
 * comes back base64 into doc_pdf. app_docs_get, a server's door, is here:
 * it makes the DOCX (docs.c) and answers its PDF so. Depends on docs.c
 * (never the other way), app/jobs, store/, doc/ (via docs.c) and libsodium.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/docs/internal.h"
#include "app/util.h"
#include "core/bjtime.h"

/* data as base64 (malloc'd), or NULL out of memory. */
static char *
b64(const unsigned char *data, size_t size)
{
    size_t cap = sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL);
    char *s = malloc(cap);
    if (s != NULL)
        sodium_bin2base64(s, cap, data, size, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

/* base64 text back into out->data and out->size; 0 when it is not base64. */
static int
unb64(const char *text, docs_file_t *out)
{
    size_t len = strlen(text), size = 0;
    out->data = malloc(len / 4 * 3 + 3);
    if (out->data == NULL || sodium_base642bin(out->data, len / 4 * 3 + 3, text, len, NULL, &size,
                                               NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(out->data);
        out->data = NULL;
        return 0;
    }
    out->size = size;
    return 1;
}

/* What the store holds for a DOCX. */
typedef struct {
    int found;
    int64_t job_id;
    char job_status[16];
    char failed_at[32];
    char error[512];
} cached_t;

/* The entry of docx_sha256 with its PDF read into out (when converted) and its job. */
static cy_status_t
cache_get(store_conn_t *c, const char *docx_sha256, cached_t *e, docs_file_t *out, cy_error_t *err)
{
    memset(e, 0, sizeof *e);
    store_param_t p[] = {STORE_P_TEXT(docx_sha256)};
    store_rows_t *r;
    cy_status_t st =
        store_query_row(c,
                        "SELECT d.job_id, d.pdf, d.pdf_sha256, j.status AS "
                        "job_status, j.error AS job_error, j.finished_at FROM doc_pdf "
                        "d LEFT JOIN job j ON j.id = d.job_id WHERE d.docx_sha256 = $1",
                        p, 1, &r, err);
    if (st != CY_OK || r == NULL)
        return st;
    e->found = 1;
    e->job_id = store_row_int(r, "job_id");
    store_row_copy(r, "job_status", e->job_status, sizeof e->job_status);
    store_row_copy(r, "finished_at", e->failed_at, sizeof e->failed_at);
    store_row_copy(r, "job_error", e->error, sizeof e->error);
    const char *pdf = store_row_text(r, "pdf");
    if (pdf != NULL && !unb64(pdf, out))
        st = cy_error_set(err, CY_EIO, "pdf_cache", NULL,
                          "PDF 缓存已损坏 / the cached PDF is damaged");
    else if (pdf != NULL)
        store_row_copy(r, "pdf_sha256", out->sha256, sizeof out->sha256);
    store_rows_free(r);
    return st;
}

/* Queue the conversion of docx (named stem) and point the entry at it. */
static cy_status_t
cache_queue(store_conn_t *c, const actor_t *a, int64_t now, const docs_file_t *docx,
            const cached_t *e, docs_file_t *out, cy_error_t *err)
{
    char *data = b64(docx->data, docx->size), stem[64];
    snprintf(stem, sizeof stem, "%.*s", (int)(strcspn(out->filename, ".")), out->filename);
    json_t *params =
        data ? json_pack("{s:s, s:s, s:s}", "docx_sha256", docx->sha256, "stem", stem, "docx", data)
             : NULL;
    char *text = params ? json_dumps(params, JSON_COMPACT) : NULL;
    free(data);
    json_decref(params);
    if (text == NULL)
        return cy_error_no_memory(err);
    char at[32];
    utc_format_iso(now, at);
    cy_status_t st = app_job_enqueue(c, a, now, "document.pdf", text, &out->job_id, err);
    free(text);
    store_param_t p[] = {STORE_P_TEXT(docx->sha256), STORE_P_INT(out->job_id), STORE_P_TEXT(at)};
    if (st == CY_OK)
        st = store_exec(c,
                        e->found ? "UPDATE doc_pdf SET job_id = $2 WHERE docx_sha256 = $1"
                                 : "INSERT INTO doc_pdf (docx_sha256, job_id, created_at) VALUES "
                                   "($1, $2, $3)",
                        p, 3, NULL, err);
    snprintf(out->job_status, sizeof out->job_status, "queued");
    return st;
}

/* What the entry e says for a request at now: its PDF, its job, its failure or a new job. */
static cy_status_t
cache_answer(store_conn_t *c, const actor_t *a, int64_t now, const docs_file_t *docx,
             const cached_t *e, docs_file_t *out, cy_error_t *err)
{
    if (out->data != NULL)
        return CY_OK;
    int pending = strcmp(e->job_status, "queued") == 0 || strcmp(e->job_status, "running") == 0;
    if (e->found && pending) {
        out->job_id = e->job_id;
        snprintf(out->job_status, sizeof out->job_status, "%s", e->job_status);
        return CY_OK;
    }
    int64_t failed = e->failed_at[0] ? app_iso_to_time(e->failed_at) : -1;
    if (e->found && strcmp(e->job_status, "failed") == 0 && failed >= 0 &&
        now - failed < DOCS_PDF_RETRY_S) {
        /* the job's reason is "中文 / English" too: each half in its own language */
        const char *sep = strstr(e->error, " / ");
        int zh = sep ? (int)(sep - e->error) : (int)strlen(e->error);
        const char *en = sep ? sep + 3 : e->error;
        return cy_error_set(err, CY_EUNAVAIL, "pdf_unavailable", "format",
                            "暂时无法生成 PDF（DOCX 与 XLSX 不受影响），%d 秒后可重试：%.*s / the "
                            "PDF cannot be made now (DOCX and XLSX can); try again in %d s: %s",
                            DOCS_PDF_RETRY_S, zh, e->error, DOCS_PDF_RETRY_S, en);
    }
    return cache_queue(c, a, now, docx, e, out, err);
}

/* The PDF of the DOCX in docx (its sha256 set): from the cache, or a job. */
static cy_status_t
pdf_lookup(app_t *app, const actor_t *a, int64_t now, docs_file_t *docx, docs_file_t *out,
           cy_error_t *err)
{
    if (a->user_id == 0) /* a job belongs to a user: the command line converts itself */
        return cy_error_set(err, CY_EINVAL, "pdf_job_user", NULL,
                            "后台转换需由用户发起 / a background conversion needs a user");
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    cached_t e;
    st = cache_get(c, docx->sha256, &e, out, err);
    if (st == CY_OK)
        st = cache_answer(c, a, now, docx, &e, out, err);
    st = store_tx_close(app->store, c, st, err);
    if (st == CY_OK && out->data == NULL)
        app_worker_wake(app->worker);
    return st;
}

/*
 * A server's way to a document: DOCX and XLSX made while the caller waits
 * (docs.c), a PDF from the cache or a job.
 */
cy_status_t
app_docs_get(app_t *app, const actor_t *a, int64_t now, const docs_request_t *req, docs_file_t *out,
             cy_error_t *err)
{
    if (req->format != DOCS_PDF)
        return docs_make(app, a, now, req, req->format, out, err);
    docs_file_t docx;
    cy_status_t st = docs_make(app, a, now, req, DOCS_DOCX, &docx, err);
    memset(out, 0, sizeof *out);
    if (st == CY_OK) {
        /* scheme-7.docx → scheme-7.pdf */
        docs_file_name(out, docx.filename, strlen(docx.filename) - strlen(".docx"), DOCS_PDF);
        st = pdf_lookup(app, a, now, &docx, out, err);
    }
    app_docs_file_free(&docx);
    if (st != CY_OK)
        app_docs_file_free(out);
    return st;
}

/* ---- the job -------------------------------------------------------------- */

/* The converted PDF into the entry of docx_sha256, at now. */
static cy_status_t
cache_put(app_t *app, const char *docx_sha256, const docs_file_t *pdf, int64_t now, cy_error_t *err)
{
    char *data = b64(pdf->data, pdf->size);
    if (data == NULL)
        return cy_error_no_memory(err);
    char at[32];
    utc_format_iso(now, at);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st == CY_OK) {
        store_param_t p[] = {STORE_P_TEXT(docx_sha256), STORE_P_TEXT(data),
                             STORE_P_TEXT(pdf->sha256), STORE_P_INT((int64_t)pdf->size),
                             STORE_P_TEXT(at)};
        st = store_exec(c,
                        "UPDATE doc_pdf SET pdf = $2, pdf_sha256 = $3, pdf_size = $4, "
                        "converted_at = $5 WHERE docx_sha256 = $1",
                        p, 5, NULL, err);
        st = store_tx_close(app->store, c, st, err);
    }
    free(data);
    return st;
}

/* The job's DOCX written to dir/STEM.docx (path receives its name). */
static cy_status_t
job_docx(const json_t *params, const char *dir, char *path, size_t cap, cy_error_t *err)
{
    const char *stem = json_string_value(json_object_get(params, "stem"));
    const char *data = json_string_value(json_object_get(params, "docx"));
    docs_file_t docx = {0};
    if (stem == NULL || data == NULL || strchr(stem, '/') != NULL || !unb64(data, &docx))
        return cy_error_set(err, CY_EINVAL, "job_params", NULL,
                            "任务参数损坏 / job parameters are corrupt");
    snprintf(path, cap, "%s/%s.docx", dir, stem);
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && fwrite(docx.data, 1, docx.size, f) == docx.size;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    app_docs_file_free(&docx);
    return ok ? CY_OK
              : cy_error_set(err, CY_EIO, "doc_write", NULL, "无法写入 %s / cannot write %s", path,
                             path);
}

cy_status_t
app_docs_pdf_job(app_t *app, const job_t *job, char **result,
                 void (*progress)(void *ctx, int permille), void *ctx, cy_error_t *err)
{
    *result = NULL;
    json_t *params = json_loads(job->params, JSON_REJECT_DUPLICATES, NULL);
    const char *sha = json_string_value(json_object_get(params, "docx_sha256"));
    char dir[4096], path[4200];
    docs_file_t pdf = {0};
    cy_status_t st = docs_tmpdir(app, dir, sizeof dir, err);
    if (st == CY_OK) {
        st = job_docx(params, dir, path, sizeof path, err);
        if (st == CY_OK)
            st = docs_convert(app, path, dir, err);
        memcpy(path + strlen(path) - strlen("docx"), "pdf", sizeof "pdf"); /* STEM.pdf */
        if (st == CY_OK)
            st = docs_read_file(path, &pdf, err);
        docs_tmpdir_remove(dir);
    }
    progress(ctx, 900);
    if (st == CY_OK && sha != NULL)
        st = cache_put(app, sha, &pdf, job->now, err);
    if (st == CY_OK) {
        json_t *r = json_pack("{s:s, s:s, s:I}", "docx_sha256", sha, "pdf_sha256", pdf.sha256,
                              "size", (json_int_t)pdf.size);
        *result = json_dumps(r, JSON_COMPACT);
        json_decref(r);
    }
    app_docs_file_free(&pdf);
    json_decref(params);
    return st;
}
