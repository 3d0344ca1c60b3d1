/*
 * blob.c — files over HTTP: an upload route's body described for app/
 * (http_upload), a blob's content answered as a stream with its name and
 * hash (http_reply_blob) — both for every capability that keeps files — and
 * the handlers of an organisation's own files, /api/v1/files. Parse, call
 * app/, render. Never includes sqlite3 or libpq.
 */
#include <inttypes.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "app/blob/blob.h"
#include "http/http.h"
#include "http/handlers.h"

void
http_upload(const http_req_t *req, blob_upload_t *up)
{
    *up = (blob_upload_t){
        .fd = req->upload_fd,
        .size = req->upload_size,
        .declared_sha256 =
            MHD_lookup_connection_value(req->mhd, MHD_HEADER_KIND, "X-Content-SHA256"),
        .media_type = MHD_lookup_connection_value(req->mhd, MHD_HEADER_KIND, "Content-Type"),
        .filename = http_query(req, "filename"),
    };
    snprintf(up->sha256, sizeof up->sha256, "%s", req->upload_sha256);
}

/*
 * Content-Disposition for name (RFC 6266): attachment, an ASCII stand-in in
 * filename= for old clients (each other character, and " \ %, becomes _),
 * and the exact UTF-8 name percent-encoded in filename*= (RFC 5987).
 */
static void
disposition(const char *name, char *out, size_t cap)
{
    static const char attr[] = "!#$&+-.^_`|~";
    char ascii[300], exact[800];
    size_t a = 0, e = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && a + 2 < sizeof ascii; p++) {
        if ((*p & 0xC0) != 0x80) /* one stand-in per character, not per byte */
            ascii[a++] = (*p < 0x20 || *p >= 0x7f || strchr("\"\\%", *p)) ? '_' : (char)*p;
    }
    ascii[a] = '\0';
    for (const unsigned char *p = (const unsigned char *)name; *p && e + 4 < sizeof exact; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            (*p != '\0' && strchr(attr, *p)))
            exact[e++] = (char)*p;
        else
            e += (size_t)snprintf(exact + e, 4, "%%%02X", *p);
    }
    exact[e] = '\0';
    snprintf(out, cap, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, exact);
}

static ssize_t
blob_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
    cy_error_t err;
    return blob_read(cls, pos, buf, max, &err);
}

static void
blob_stream_free(void *cls)
{
    blob_close(cls);
}

void
http_reply_blob(http_resp_t *resp, blob_reader_t *reader)
{
    const blob_t *b = blob_reader_meta(reader);
    resp->status = 200;
    resp->content_type = b->media_type;
    resp->stream = blob_stream;
    resp->stream_free = blob_stream_free;
    resp->stream_cls = reader;
    resp->stream_size = (uint64_t)b->size;
    char cd[1200];
    disposition(b->filename, cd, sizeof cd);
    http_resp_header(resp, "Content-Disposition", cd);
    http_resp_header(resp, "X-Content-SHA256", b->sha256);
}

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
