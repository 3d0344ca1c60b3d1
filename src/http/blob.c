/*
 * blob.c — the handlers of an organisation's own files, /api/v1/files
 * (uploads and streams through files.c, as every capability's files).
 * Parse, call app/, render. Never includes sqlite3 or libpq.
 */
#include <inttypes.h>
#include <stdio.h>

#include "app/blob/blob.h"
#include "http/http.h"
#include "http/handlers.h"

/* ---- /api/v1/files ----------------------------------------------------------- */

static json_t *
file_json(const blob_t *b)
{
    char content[64];
    snprintf(content, sizeof content, "/api/v1/files/%" PRId64 "/content", b->id);
    return json_pack("{s:I, s:I, s:o, s:s, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)b->id,
                     "org_id", (json_int_t)b->org_id, "user_id",
                     b->user_id > 0 ? json_integer(b->user_id) : json_null(), "filename",
                     b->filename, "media_type", b->media_type, "size", (json_int_t)b->size,
                     "sha256", b->sha256, "created_at", b->created_at, "content", content);
}

static cy_status_t
files_upload(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    blob_upload_t up;
    http_upload(c->req, &up);
    blob_t b;
    cy_status_t st = blob_file_upload(c->req->app, &c->a, c->req->now, &up, &b, err);
    if (st == CY_OK)
        res->json = file_json(&b);
    return st;
}

HTTP_ITEM_FN(file_item, blob_t, file_json)

HTTP_PAGE_ACTION(files_list, blob_file_list, file_item)

static cy_status_t
files_get(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    blob_t b;
    cy_status_t st = blob_file_get(c->req->app, &c->a, c->id, &b, err);
    if (st == CY_OK)
        res->json = file_json(&b);
    return st;
}

static cy_status_t
files_content(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return blob_file_open(c->req->app, &c->a, c->id, &res->blob, err);
}

static cy_status_t
files_verify(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    blob_verify_t v;
    cy_status_t st = blob_file_verify(c->req->app, &c->a, c->id, &v, err);
    if (st == CY_OK)
        res->json = json_pack("{s:b, s:s, s:s, s:I, s:I, s:o}", "ok", v.ok, "sha256", v.stored,
                              "computed_sha256", v.computed, "size", (json_int_t)v.size,
                              "computed_size", (json_int_t)v.computed_size, "reason",
                              v.ok ? json_null() : json_string(v.reason));
    return st;
}

HTTP_ROUTE(h_files_upload, .status = 201, .action = files_upload)
HTTP_ROUTE(h_files_list, .paged = 1, .status = 200, .action = files_list)
HTTP_ROUTE(h_files_get, .with_id = 1, .status = 200, .action = files_get)
HTTP_ROUTE(h_files_content, .with_id = 1, .status = 200, .action = files_content)
HTTP_ROUTE(h_files_verify, .with_id = 1, .status = 200, .action = files_verify)
