/*
 * docs.c — handlers of the pilot's documents (app/docs/docs.h):
 * GET …/{id}/document?format=docx|xlsx|pdf on schemes, plans, packages,
 * reports and summaries, and per round on the catalogue and the overdue
 * list. A DOCX or XLSX is the answer (200, the file); a PDF is the answer
 * when the store has it, else 202 with the conversion's job (ask again
 * after Retry-After), or 503 when LibreOffice cannot make it. Also the
 * paper copies of a plan or a package as their receiver records them
 * (POST …/{id}/paper), and the attachments of a scheme or a plan — seal
 * scans and copies of 证明材料 (POST …/{id}/attachments?what=&item=&filename=
 * with the file as the body, GET …/{id}/attachments/{attachment_id}). Each
 * route is an HTTP_ROUTE whose spec's kind says which record the action
 * serves. Never includes sqlite3 or libpq.
 */
#include <string.h>

#include "app/blob/blob.h"
#include "app/docs/docs.h"
#include "app/pilot/pilot.h"
#include "http/http.h"
#include "http/handlers.h"

/* ?format= (absent: def) as a docs format; CY_EBADREQ naming it otherwise. */
static cy_status_t
format_of(http_req_t *req, docs_format_t def, docs_format_t *out, cy_error_t *err)
{
    const char *s = http_query(req, "format");
    *out = def;
    if (s == NULL || app_docs_format_parse(s, out))
        return CY_OK;
    return cy_error_set(err, CY_EBADREQ, "query_invalid", "format",
                        "format 应为 docx、xlsx 或 pdf / format must be docx, xlsx or pdf");
}

/*
 * The document of kind c->kind: the file, the job making its PDF (202, ask
 * again after Retry-After), or the refusal (503 with Retry-After when the PDF
 * cannot be made now).
 */
static cy_status_t
document(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    docs_request_t r = {.kind = (docs_kind_t)c->kind, .id = c->id};
    r.round_id = http_param(c->req, "round_id");
    cy_status_t st =
        format_of(c->req, r.kind == DOCS_OVERDUE ? DOCS_XLSX : DOCS_DOCX, &r.format, err);
    if (st != CY_OK)
        return st;
    docs_file_t f;
    st = app_docs_get(c->req->app, &c->a, c->req->now, &r, &f, err);
    if (st == CY_EUNAVAIL) {
        res->retry_after = DOCS_PDF_RETRY_S;
    } else if (st == CY_OK && f.data == NULL) {
        res->json = json_pack("{s:s, s:I, s:s, s:i}", "status", f.job_status, "job_id",
                              (json_int_t)f.job_id, "filename", f.filename, "retry_after", 2);
        res->status = 202;
        res->retry_after = 2;
    } else if (st == CY_OK) {
        res->body = (char *)f.data; /* the server frees it */
        res->body_len = f.size;
        res->content_type = f.media_type;
        f.data = NULL;
    }
    app_docs_file_free(&f);
    return st;
}

/* A record's document ({id}), or a round's ({round_id}: the catalogue, the overdue list). */
HTTP_ROUTE(h_scheme_document, .with_id = 1, .kind = DOCS_SCHEME, .status = 200, .action = document)
HTTP_ROUTE(h_plan_document, .with_id = 1, .kind = DOCS_PLAN, .status = 200, .action = document)
HTTP_ROUTE(h_package_document, .with_id = 1, .kind = DOCS_PACKAGE, .status = 200,
           .action = document)
HTTP_ROUTE(h_catalogue_document, .kind = DOCS_CATALOGUE, .status = 200, .action = document)
HTTP_ROUTE(h_report_document, .with_id = 1, .kind = DOCS_REPORT, .status = 200, .action = document)
HTTP_ROUTE(h_summary_document, .with_id = 1, .kind = DOCS_SUMMARY, .status = 200,
           .action = document)
HTTP_ROUTE(h_overdue_document, .kind = DOCS_OVERDUE, .status = 200, .action = document)

/* POST …/{id}/paper {received_at, copies, comment}: the paper of a plan or (kind 1) a package. */
static const http_field_t PAPER_FIELDS[] = {{"received_at", JSON_STRING, HTTP_REQUIRED},
                                            {"copies", JSON_INTEGER, HTTP_REQUIRED},
                                            {"comment", JSON_STRING, 0},
                                            {NULL, 0, 0}};

static cy_status_t
paper(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    pilot_paper_in_t in = {.package = c->kind,
                           .id = c->id,
                           .received_at =
                               json_string_value(json_object_get(c->body, "received_at")),
                           .copies = json_integer_value(json_object_get(c->body, "copies")),
                           .comment = json_string_value(json_object_get(c->body, "comment"))};
    return app_paper_record(c->req->app, &c->a, c->req->now, &in, &res->json, err);
}

HTTP_ROUTE(h_plan_paper, .with_id = 1, .kind = 0, .body = PAPER_FIELDS, .status = 201,
           .action = paper)
HTTP_ROUTE(h_package_paper, .with_id = 1, .kind = 1, .body = PAPER_FIELDS, .status = 201,
           .action = paper)

/*
 * POST …/{id}/attachments?what=seal|material&item=…&filename=…: the body is
 * the file; of a scheme, or (kind 1) of a plan.
 */
static cy_status_t
attach_upload(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    blob_upload_t up;
    http_upload(c->req, &up);
    pilot_attach_in_t in = {c->kind, c->id, http_query(c->req, "what"), http_query(c->req, "item")};
    return app_attach_upload(c->req->app, &c->a, c->req->now, &in, &up, &res->json, err);
}

/* GET …/{id}/attachments/{attachment_id}: the file, with its name and SHA-256. */
static cy_status_t
attachment(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_attach_open(c->req->app, &c->a, c->kind, c->id, c->sub, &res->blob, err);
}

HTTP_ROUTE(h_scheme_attach, .with_id = 1, .kind = 0, .status = 201, .action = attach_upload)
HTTP_ROUTE(h_plan_attach, .with_id = 1, .kind = 1, .status = 201, .action = attach_upload)
HTTP_ROUTE(h_scheme_attachment, .with_id = 1, .sub = "attachment_id", .kind = 0, .status = 200,
           .action = attachment)
HTTP_ROUTE(h_plan_attachment, .with_id = 1, .sub = "attachment_id", .kind = 1, .status = 200,
           .action = attachment)
