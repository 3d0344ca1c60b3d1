/*
 * files.c — files over HTTP, for every capability that keeps them: an upload
 * route's body described for app/ (http_upload) and a stored file answered
 * as a stream with its name and hash (http_reply_blob, which http_serve uses
 * for an action's result.blob). Never includes sqlite3 or libpq.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "app/blob/blob.h"
#include "http/http.h"

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
