/*
 * server.c — libmicrohttpd glue: per-request state, the body limit, the
 * security headers, the request id, dispatch through the router, and one
 * JSON access-log line per request. Upload routes (HTTP_UPLOAD) stream
 * their body to an unlinked temporary file while hashing it, and streamed
 * answers (http_resp_t.stream) go out piece by piece: neither is ever
 * whole in memory. Never includes sqlite3 or libpq.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/utf8.h"
#include "http/http.h"

/*
 * A connection's memory (libmicrohttpd's pool): the request line, each
 * header and each query argument, and the read buffer the body arrives
 * through. libmicrohttpd zeroes it after every request of a kept-alive
 * connection, so each request pays for its size (at 64 KiB that memset is
 * about 5 % of an indicative quote's cycles), but libmicrohttpd 0.9.75
 * answers nothing to a request whose query arguments fill it (it closes the
 * connection, at once or at the header timeout): at 32 KiB, its default,
 * 800 empty arguments ("?&&&…") do that, at 64 KiB about 1,000
 * (tests/e2e/harden.test.mjs sends 800).
 */
#define HTTP_CONN_MEMORY (64 * 1024)

struct http_server {
    struct MHD_Daemon *daemon;
    app_t *app;
    http_config_t cfg;
    char web_root[4096];
    pthread_mutex_t log_mu;
    int port;
    http_cache_t cache;
    int inflight; /* requests begun and not completed (atomic) */
    int draining; /* http_server_drain was called (atomic): answers close their connection */
};

/* State of one request, from its first callback to its completion. */
typedef struct {
    char *body;
    size_t len, cap; /* for uploads, len counts the bytes received */
    int too_large;
    int upload;      /* the route streams its body to a file (HTTP_UPLOAD) */
    int fd;          /* that file (unlinked), -1 when none */
    int write_errno; /* a failed write to it, 0 when none */
    crypto_hash_sha256_state sha;
    struct timespec start;
    char request_id[17];
    char method[16];
    char path[512];
    int status;
    size_t bytes;
} req_state_t;

static const char *CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
                         "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                         "base-uri 'none'; form-action 'self'";

static double
elapsed_s(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Write s JSON-escaped into f (for the access log); a byte that is not UTF-8 as \ufffd. */
static void
json_escape_to(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t n = strlen(s); n > 0;) {
        uint32_t cp;
        size_t k = utf8_decode(p, n, &cp);
        if (k == 0)
            fputs("\\ufffd", f);
        else if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fwrite(p, 1, k, f);
        k = k ? k : 1;
        p += k;
        n -= k;
    }
}

/*
 * Decodes the %HH escapes of a path or a query argument in place, as
 * libmicrohttpd would, except that %00 becomes U+001A SUB (the ASCII
 * substitute): a C string cannot hold a NUL, and cutting the text there
 * would answer for another path. A path with a control character is then
 * refused (400) in on_request.
 */
static int
hex_value(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static size_t
unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *w = s;
    for (const char *r = s; *r;) {
        int hi = r[0] == '%' ? hex_value(r[1]) : -1, lo = hi >= 0 ? hex_value(r[2]) : -1;
        if (lo >= 0) {
            int v = hi * 16 + lo;
            *w++ = v == 0 ? 0x1A : (char)v;
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* 1 when the path holds a control character (a NUL arrives as SUB, see unescape). */
static int
path_has_control(const char *path)
{
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return 1;
    return 0;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    http_server_t *srv = cls;
    req_state_t *rs = *con_cls;
    if (rs == NULL)
        return;
    double secs = elapsed_s(&rs->start);
    if (rs->status > 0)
        http_metrics_count(rs->status, secs);
    if (srv->cfg.access_log != NULL && rs->status > 0) {
        time_t t = time(NULL);
        struct tm tm;
        char ts[32];
        gmtime_r(&t, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
        FILE *f = srv->cfg.access_log;
        pthread_mutex_lock(&srv->log_mu);
        fprintf(f, "{\"time\":\"%s\",\"id\":\"%s\",\"method\":\"", ts, rs->request_id);
        json_escape_to(f, rs->method);
        fputs("\",\"path\":\"", f);
        json_escape_to(f, rs->path);
        fprintf(f, "\",\"status\":%d,\"bytes\":%zu,\"ms\":%.3f}\n", rs->status, rs->bytes,
                secs * 1000.0);
        fflush(f);
        pthread_mutex_unlock(&srv->log_mu);
    }
    if (rs->fd >= 0)
        close(rs->fd);
    free(rs->body);
    free(rs);
    *con_cls = NULL;
    /* idle between requests: the short header timeout again */
    MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, srv->cfg.header_timeout);
    __atomic_sub_fetch(&srv->inflight, 1, __ATOMIC_RELEASE);
}

static void
add_common_headers(struct MHD_Response *r, const char *request_id, int is_api)
{
    MHD_add_response_header(r, "X-Request-Id", request_id);
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cache-Control", is_api ? "no-store" : "no-cache");
}

/* A streamed answer as MHD sees it: the handler's reader and what frees it. */
typedef struct {
    ssize_t (*read)(void *cls, uint64_t pos, char *buf, size_t max);
    void (*release)(void *cls);
    void *cls;
} stream_t;

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream_t *s = cls;
    ssize_t n = s->read(s->cls, pos, buf, max);
    /* a failure cuts the answer short: the client sees fewer bytes than announced */
    return n > 0 ? n : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void
stream_release(void *cls)
{
    stream_t *s = cls;
    if (s->release)
        s->release(s->cls);
    free(s);
}

/* What the answer owns and MHD did not take: its body, headers and stream. */
static void
resp_release(http_resp_t *resp)
{
    if (resp->owned)
        free(resp->body);
    resp->owned = 0;
    for (int i = 0; i < resp->n_headers; i++)
        free(resp->header_values[i]);
    resp->n_headers = 0;
    if (resp->stream != NULL && resp->stream_free != NULL)
        resp->stream_free(resp->stream_cls);
    resp->stream = NULL;
}

static struct MHD_Response *
stream_response(http_resp_t *resp)
{
    stream_t *s = malloc(sizeof *s);
    if (s == NULL)
        return NULL;
    *s = (stream_t){resp->stream, resp->stream_free, resp->stream_cls};
    struct MHD_Response *r = MHD_create_response_from_callback(resp->stream_size, 256 * 1024,
                                                               stream_read, s, stream_release);
    if (r == NULL) {
        free(s);
        return NULL;
    }
    resp->stream = NULL; /* MHD releases it now */
    return r;
}

static enum MHD_Result
send_resp(http_server_t *srv, struct MHD_Connection *conn, req_state_t *rs, http_resp_t *resp,
          int is_api, int head)
{
    struct MHD_Response *r;
    if (resp->stream != NULL) {
        r = stream_response(resp);
        rs->bytes = resp->stream_size;
    } else if (resp->fd >= 0) {
        r = MHD_create_response_from_fd((uint64_t)resp->fd_size, resp->fd);
        rs->bytes = resp->fd_size;
    } else if (resp->owned) {
        r = MHD_create_response_from_buffer(resp->len, resp->body, MHD_RESPMEM_MUST_FREE);
        resp->owned = 0; /* MHD frees it now */
        rs->bytes = resp->len;
    } else {
        r = MHD_create_response_from_buffer(resp->len, resp->body, MHD_RESPMEM_PERSISTENT);
        rs->bytes = resp->len;
    }
    if (r == NULL) {
        resp_release(resp);
        return MHD_NO;
    }
    (void)head; /* MHD drops the body of a HEAD answer itself */
    add_common_headers(r, rs->request_id, is_api);
    if (resp->content_type)
        MHD_add_response_header(r, "Content-Type", resp->content_type);
    if (resp->allow)
        MHD_add_response_header(r, "Allow", resp->allow);
    if (resp->set_cookie[0])
        MHD_add_response_header(r, "Set-Cookie", resp->set_cookie);
    if (resp->retry_after > 0) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", resp->retry_after);
        MHD_add_response_header(r, "Retry-After", buf);
    }
    for (int i = 0; i < resp->n_headers; i++)
        MHD_add_response_header(r, resp->header_names[i], resp->header_values[i]);
    if (__atomic_load_n(&srv->draining, __ATOMIC_ACQUIRE))
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    rs->status = resp->status;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    resp_release(resp);
    return ret;
}

static int
is_api_path(const char *url)
{
    return strncmp(url, "/api/", 5) == 0 || strcmp(url, "/healthz") == 0 ||
           strcmp(url, "/metrics") == 0;
}

/*
 * The client's address: the peer's, or, when the peer is the trusted proxy,
 * the last address of X-Forwarded-For (the one that proxy added).
 */
static void
client_ip(const http_server_t *srv, struct MHD_Connection *conn, char *out, size_t cap)
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci != NULL && ci->client_addr != NULL) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
    }
    if (srv->cfg.trusted_proxy == NULL || strcmp(out, srv->cfg.trusted_proxy) != 0)
        return;
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (xff == NULL)
        return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ')
        last++;
    size_t n = strcspn(last, " ");
    if (n > 0 && n < cap && strspn(last, "0123456789abcdefABCDEF.:") >= n) {
        memcpy(out, last, n);
        out[n] = '\0';
    }
}

/* The request as a handler sees it (path parameters are filled by the router). */
static void
req_init(http_server_t *srv, struct MHD_Connection *conn, req_state_t *rs, const char *url,
         const char *method, http_req_t *req)
{
    *req = (http_req_t){
        .secure_cookies = srv->cfg.secure_cookies,
        .method = method,
        .path = url,
        .mhd = conn,
        .body = rs->body,
        .body_len = rs->len,
        .request_id = rs->request_id,
        .web_root = srv->web_root,
        .cache = &srv->cache,
        .app = srv->app,
        .upload_fd = -1,
    };
    client_ip(srv, conn, req->ip, sizeof req->ip);
}

static enum MHD_Result
reply_too_large(http_server_t *srv, struct MHD_Connection *conn, req_state_t *rs, uint64_t limit)
{
    http_resp_t resp = {.status = 500, .fd = -1};
    cy_error_t e;
    cy_error_set(&e, CY_ETOOLARGE, "body_too_large", "body",
                 "请求体超过 %" PRIu64 " 字节上限 / request body exceeds the limit of %" PRIu64
                 " bytes",
                 limit, limit);
    http_reply_error_status(&resp, 413, &e);
    return send_resp(srv, conn, rs, &resp, 1, 0);
}

/* An unlinked temporary file in dir: nothing is left behind whatever happens. */
static int
open_unlinked(const char *dir)
{
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    char path[4096];
    snprintf(path, sizeof path, "%s/cyberins-upload-XXXXXX", dir);
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/*
 * The first call of an upload route: refuse before reading a byte of the
 * body when the caller has no valid session or token, or announces more than
 * the limit (MHD then closes the connection instead of reading the body);
 * else open the file the body goes to.
 */
static enum MHD_Result
upload_begin(http_server_t *srv, struct MHD_Connection *conn, req_state_t *rs, const char *url,
             const char *method)
{
    http_req_t req;
    http_resp_t resp = {.status = 500, .fd = -1};
    req_init(srv, conn, rs, url, method, &req);
    actor_t a;
    if (!http_auth(&req, &resp, &a))
        return send_resp(srv, conn, rs, &resp, 1, 0);
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (cl != NULL && strtoull(cl, NULL, 10) > srv->cfg.max_upload)
        return reply_too_large(srv, conn, rs, srv->cfg.max_upload);
    rs->fd = open_unlinked(srv->cfg.upload_dir);
    if (rs->fd < 0) {
        cy_error_t e;
        cy_error_set(&e, CY_EUNAVAIL, "upload_unavailable", NULL,
                     "服务器暂时无法接收文件 / the server cannot take files now: %s",
                     strerror(errno));
        http_reply_error(&resp, &e);
        resp.retry_after = 30;
        return send_resp(srv, conn, rs, &resp, 1, 0);
    }
    crypto_hash_sha256_init(&rs->sha);
    return MHD_YES;
}

/* A piece of an upload: into the file and the hash, or counted and dropped past the limit. */
static enum MHD_Result
upload_take(http_server_t *srv, req_state_t *rs, const char *data, size_t n)
{
    uint64_t limit = srv->cfg.max_upload;
    if (!rs->too_large && (uint64_t)rs->len + n > limit) {
        rs->too_large = 1; /* free the disk at once; the 413 goes out at the end */
        close(rs->fd);
        rs->fd = -1;
    }
    rs->len += n;
    if (rs->too_large) /* a client that goes on and on past the limit is cut off */
        return (uint64_t)rs->len - limit > limit ? MHD_NO : MHD_YES;
    for (size_t done = 0; rs->write_errno == 0 && done < n;) {
        ssize_t k = write(rs->fd, data + done, n - done);
        if (k < 0 && errno != EINTR)
            rs->write_errno = errno;
        else if (k > 0)
            done += (size_t)k;
    }
    crypto_hash_sha256_update(&rs->sha, (const unsigned char *)data, n);
    return MHD_YES;
}

/* A piece of an ordinary body: kept in memory up to --max-body. */
static enum MHD_Result
body_take(http_server_t *srv, req_state_t *rs, const char *data, size_t n)
{
    if (!rs->too_large && rs->len + n > srv->cfg.max_body)
        rs->too_large = 1;
    if (rs->too_large)
        return MHD_YES; /* discarded */
    if (rs->len + n + 1 > rs->cap) {
        size_t cap = rs->cap ? rs->cap : 4096;
        while (cap < rs->len + n + 1)
            cap *= 2;
        char *nb = realloc(rs->body, cap);
        if (nb == NULL)
            return MHD_NO;
        rs->body = nb;
        rs->cap = cap;
    }
    memcpy(rs->body + rs->len, data, n);
    rs->len += n;
    rs->body[rs->len] = '\0';
    return MHD_YES;
}

/* The whole upload is in: hand the file to the handler, or say why it cannot be. */
static int
upload_finish(req_state_t *rs, http_req_t *req, http_resp_t *resp)
{
    if (rs->write_errno != 0) {
        cy_error_t e;
        cy_error_set(&e, CY_EUNAVAIL, "upload_unavailable", NULL,
                     "服务器暂时无法保存文件 / the server cannot keep the file now: %s",
                     strerror(rs->write_errno));
        http_reply_error(resp, &e);
        resp->retry_after = 30;
        return 0;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&rs->sha, digest);
    sodium_bin2hex(req->upload_sha256, sizeof req->upload_sha256, digest, sizeof digest);
    req->upload_fd = rs->fd;
    req->upload_size = rs->len;
    req->body = NULL;
    req->body_len = 0;
    return 1;
}

/* Route the complete request to its handler (or a 404, a 405, a static file). */
static void
dispatch(http_req_t *req, http_resp_t *resp, int api, int head)
{
    char allow[64] = "";
    int known = 0;
    const char *method = req->method;
    http_handler_t h =
        http_route_find(head ? "GET" : method, req->path, req, allow, sizeof allow, &known);
    if (h != NULL) {
        h(req, resp);
    } else if (known) {
        cy_error_t e;
        cy_error_set(&e, CY_EINVAL, "method_not_allowed", "method",
                     "该地址不支持 %s 方法（允许：%s） / method %s not allowed here (allowed: %s)",
                     method, allow, method, allow);
        http_reply_error_status(resp, 405, &e);
        http_resp_header(resp, "Allow", allow);
    } else if (!api && (strcmp(method, "GET") == 0 || head)) {
        http_static_serve(req, resp);
    } else {
        cy_error_t e;
        cy_error_set(&e, CY_ENOTFOUND, "route_not_found", "path",
                     "没有这个地址 / no such resource: %s %s", method, req->path);
        http_reply_error(resp, &e);
    }
}

/* The first call for a request: its state, and the early refusals. */
static enum MHD_Result
request_begin(http_server_t *srv, struct MHD_Connection *conn, const char *url, const char *method,
              void **con_cls)
{
    req_state_t *rs = calloc(1, sizeof *rs);
    if (rs == NULL)
        return MHD_NO;
    __atomic_add_fetch(&srv->inflight, 1, __ATOMIC_ACQUIRE); /* on_completed takes it off */
    /* the headers are in: the body and the answer may take the longer timeout */
    MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, srv->cfg.io_timeout);
    rs->fd = -1;
    clock_gettime(CLOCK_MONOTONIC, &rs->start);
    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(rs->request_id, sizeof rs->request_id, rnd, sizeof rnd);
    snprintf(rs->method, sizeof rs->method, "%s", method);
    snprintf(rs->path, sizeof rs->path, "%s", url);
    *con_cls = rs;
    rs->upload = (http_route_flags(method, url) & HTTP_UPLOAD) != 0;
    if (rs->upload)
        return upload_begin(srv, conn, rs, url, method);
    /* refuse an announced oversize body before reading any of it */
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (cl != NULL && strtoull(cl, NULL, 10) > srv->cfg.max_body)
        rs->too_large = 1;
    return MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    (void)version;
    http_server_t *srv = cls;
    req_state_t *rs = *con_cls;
    if (rs == NULL)
        return request_begin(srv, conn, url, method, con_cls);
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0; /* consumed (or discarded when too large) */
        return rs->upload ? upload_take(srv, rs, upload_data, n)
                          : body_take(srv, rs, upload_data, n);
    }

    int api = is_api_path(url);
    int head = strcmp(method, "HEAD") == 0;
    http_resp_t resp = {.status = 500, .fd = -1};
    http_req_t req;
    req_init(srv, conn, rs, url, method, &req);

    cy_error_t clock_err;
    if (http_clock_now(srv->cfg.test_clock,
                       MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Test-Now"),
                       http_clock_read(), &req.now, &clock_err) != CY_OK) {
        http_reply_error_status(&resp, 400, &clock_err);
        return send_resp(srv, conn, rs, &resp, 1, head);
    }

    if (path_has_control(url)) {
        cy_error_t e;
        cy_error_set(&e, CY_EBADREQ, "path_invalid", "path",
                     "路径不能包含控制字符或 NUL / the path must not contain a control character "
                     "or NUL");
        http_reply_error(&resp, &e);
        return send_resp(srv, conn, rs, &resp, api, head);
    }
    if (rs->too_large)
        return reply_too_large(srv, conn, rs, rs->upload ? srv->cfg.max_upload : srv->cfg.max_body);
    if (!rs->upload || upload_finish(rs, &req, &resp))
        dispatch(&req, &resp, api, head);
    return send_resp(srv, conn, rs, &resp, api, head);
}

static cy_status_t
parse_listen(const char *listen, struct sockaddr_in *sa, cy_error_t *err)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (colon == NULL || (size_t)(colon - listen) >= sizeof host)
        return cy_error_set(err, CY_EINVAL, "listen_invalid", "listen",
                            "监听地址应为 IP:端口 / listen address must be IP:PORT, got '%s'",
                            listen);
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || colon[1] == '\0' || port < 0 || port > 65535)
        return cy_error_set(err, CY_EINVAL, "listen_invalid", "listen",
                            "端口无效 / invalid port in '%s'", listen);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return cy_error_set(err, CY_EINVAL, "listen_invalid", "listen",
                            "IPv4 地址无效 / invalid IPv4 address '%s'", host);
    return CY_OK;
}

cy_status_t
http_server_start(const http_config_t *cfg, app_t *app, http_server_t **out, cy_error_t *err)
{
    *out = NULL;
    struct sockaddr_in sa;
    cy_status_t st = parse_listen(cfg->listen, &sa, err);
    if (st != CY_OK)
        return st;
    http_server_t *srv = calloc(1, sizeof *srv);
    if (srv == NULL)
        return cy_error_no_memory(err);
    srv->app = app;
    srv->cfg = *cfg;
    if (realpath(cfg->web_root, srv->web_root) == NULL) {
        free(srv);
        return cy_error_set(err, CY_EIO, "web_root", "web",
                            "找不到网页目录 %s / web folder %s not found", cfg->web_root,
                            cfg->web_root);
    }
    st = http_cache_build(app, &srv->cache, err);
    if (st != CY_OK) {
        free(srv);
        return st;
    }
    pthread_mutex_init(&srv->log_mu, NULL);
    http_config_t *c = &srv->cfg;
    c->max_connections = c->max_connections ? c->max_connections : 1000;
    c->header_timeout = c->header_timeout ? c->header_timeout : 10;
    c->io_timeout = c->io_timeout ? c->io_timeout : 60;
    /* ITC: MHD_quiesce_daemon (http_server_drain) needs it with a thread pool */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    /* a connection is accepted under the limits below, and has header_timeout seconds of
       silence before its request's headers are complete (then io_timeout, request_begin) */
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 1),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT,
        c->header_timeout, MHD_OPTION_CONNECTION_LIMIT, c->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, c->per_ip, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)HTTP_CONN_MEMORY, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        http_cache_free(&srv->cache);
        pthread_mutex_destroy(&srv->log_mu);
        free(srv);
        return cy_error_set(err, CY_EIO, "listen_failed", "listen",
                            "无法监听 %s（端口被占用？） / cannot listen on %s (port in use?)",
                            cfg->listen, cfg->listen);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : ntohs(sa.sin_port);
    *out = srv;
    return CY_OK;
}

int
http_server_port(const http_server_t *srv)
{
    return srv->port;
}

int
http_server_drain(http_server_t *srv, unsigned grace_s)
{
    __atomic_store_n(&srv->draining, 1, __ATOMIC_RELEASE);
    /* the listening socket comes back to us: closed now, a new connection is refused */
    MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int left;
    while ((left = __atomic_load_n(&srv->inflight, __ATOMIC_ACQUIRE)) > 0 &&
           elapsed_s(&start) < (double)grace_s) {
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return left;
}

void
http_server_stop(http_server_t *srv)
{
    if (srv == NULL)
        return;
    MHD_stop_daemon(srv->daemon);
    http_cache_free(&srv->cache);
    pthread_mutex_destroy(&srv->log_mu);
    free(srv);
}
