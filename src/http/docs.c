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
 * with the file as the body, GET …/{id}/attachments/{attachment_id}). Parse,
 * call app/, send. Never includes sqlite3 or
 * libpq.
 */
#include <string.h>

#include "app/blob/blob.h"
#include "app/docs/docs.h"
#include "app/pilot/pilot.h"
#include "http/http.h"
#include "http/handlers.h"

/* ?format= (absent: def) as a docs format; 400 naming it otherwise. */
static int
format_of(http_req_t *req, http_resp_t *resp, docs_format_t def, docs_format_t *out)
{
    const char *s = http_query(req, "format");
    *out = def;
    if (s == NULL || app_docs_format_parse(s, out))
        return 1;
    cy_error_t err;
    cy_error_set(&err, CY_EBADREQ, "query_invalid", "format",
                 "format 应为 docx、xlsx 或 pdf / format must be docx, xlsx or pdf");
    http_reply_error(resp, &err);
    return 0;
}

/* Answer the file, the job making it (202), or the refusal. */
static void
answer(http_resp_t *resp, cy_status_t st, const cy_error_t *err, docs_file_t *f)
{
    if (st != CY_OK) {
        http_reply_error(resp, err);
        if (st == CY_EUNAVAIL)
            resp->retry_after = DOCS_PDF_RETRY_S;
        return;
    }
    if (f->data == NULL) {
        http_reply_json(resp, 202,
                        json_pack("{s:s, s:I, s:s, s:i}", "status", f->job_status, "job_id",
                                  (json_int_t)f->job_id, "filename", f->filename, "retry_after",
                                  2));
        resp->retry_after = 2;
        return;
    }
    resp->status = 200;
    resp->content_type = f->media_type;
    resp->body = (char *)f->data; /* the server frees it */
    resp->len = f->size;
    resp->owned = 1;
    f->data = NULL;
}

static void
document(http_req_t *req, http_resp_t *resp, docs_kind_t kind)
{
    actor_t a;
    docs_request_t r = {.kind = kind};
    int by_round = kind == DOCS_CATALOGUE || kind == DOCS_OVERDUE;
    if (!http_auth(req, resp, &a) || (!by_round && !http_path_id(req, resp, "id", &r.id)) ||
        !format_of(req, resp, kind == DOCS_OVERDUE ? DOCS_XLSX : DOCS_DOCX, &r.format))
        return;
    r.round_id = http_param(req, "round_id");
    docs_file_t f;
    cy_error_t err;
    cy_status_t st = app_docs_get(req->app, &a, req->now, &r, &f, &err);
    answer(resp, st, &err, &f);
    app_docs_file_free(&f);
}

#define HANDLER(name, kind)                                                                        \
    void name(http_req_t *req, http_resp_t *resp)                                                  \
    {                                                                                              \
        document(req, resp, kind);                                                                 \
    }

HANDLER(h_scheme_document, DOCS_SCHEME)
HANDLER(h_plan_document, DOCS_PLAN)
HANDLER(h_package_document, DOCS_PACKAGE)
HANDLER(h_catalogue_document, DOCS_CATALOGUE)
HANDLER(h_report_document, DOCS_REPORT)
HANDLER(h_summary_document, DOCS_SUMMARY)
HANDLER(h_overdue_document, DOCS_OVERDUE)

/* POST …/{id}/paper {received_at, copies, comment}: the paper of a plan or a package arrived. */
static const http_field_t PAPER_FIELDS[] = {{"received_at", JSON_STRING, HTTP_REQUIRED},
                                            {"copies", JSON_INTEGER, HTTP_REQUIRED},
                                            {"comment", JSON_STRING, 0},
                                            {NULL, 0, 0}};

static cy_status_t
paper(http_call_t *c, http_result_t *res, int package, cy_error_t *err)
{
    pilot_paper_in_t in = {.package = package,
                           .id = c->id,
                           .received_at =
                               json_string_value(json_object_get(c->body, "received_at")),
                           .copies = json_integer_value(json_object_get(c->body, "copies")),
                           .comment = json_string_value(json_object_get(c->body, "comment"))};
    return app_paper_record(c->req->app, &c->a, c->req->now, &in, &res->json, err);
}

static cy_status_t
plan_paper(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return paper(c, res, 0, err);
}

static cy_status_t
package_paper(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return paper(c, res, 1, err);
}

HTTP_ROUTE(h_plan_paper, .with_id = 1, .body = PAPER_FIELDS, .status = 201, .action = plan_paper)
HTTP_ROUTE(h_package_paper, .with_id = 1, .body = PAPER_FIELDS, .status = 201,
           .action = package_paper)

/* POST …/{id}/attachments?what=seal|material&item=…&filename=…: the body is the file. */
static cy_status_t
attach_upload(http_call_t *c, http_result_t *res, int plan, cy_error_t *err)
{
    blob_upload_t up;
    http_upload(c->req, &up);
    pilot_attach_in_t in = {plan, c->id, http_query(c->req, "what"), http_query(c->req, "item")};
    return app_attach_upload(c->req->app, &c->a, c->req->now, &in, &up, &res->json, err);
}

static cy_status_t
scheme_attach(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return attach_upload(c, res, 0, err);
}

static cy_status_t
plan_attach(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return attach_upload(c, res, 1, err);
}

HTTP_ROUTE(h_scheme_attach, .with_id = 1, .status = 201, .action = scheme_attach)
HTTP_ROUTE(h_plan_attach, .with_id = 1, .status = 201, .action = plan_attach)

/* GET …/{id}/attachments/{attachment_id}: the file, with its name and SHA-256. */
static cy_status_t
scheme_attachment(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_attach_open(c->req->app, &c->a, 0, c->id, c->sub, &res->blob, err);
}

static cy_status_t
plan_attachment(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return app_attach_open(c->req->app, &c->a, 1, c->id, c->sub, &res->blob, err);
}

HTTP_ROUTE(h_scheme_attachment, .with_id = 1, .sub = "attachment_id", .status = 200,
           .action = scheme_attachment)
HTTP_ROUTE(h_plan_attachment, .with_id = 1, .sub = "attachment_id", .status = 200,
           .action = plan_attachment)
