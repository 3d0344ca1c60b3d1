/*
 * static.c — files of web/ with their MIME types. A path is decoded by
 * libmicrohttpd first; any "." or ".." segment, backslash or hidden file is
 * refused, and the resolved real path must stay under the web root, so no
 * request reaches a file outside it. Never includes sqlite3 or libpq.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/http.h"

static const struct {
    const char *ext;
    const char *type;
} MIME[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
};

const char *
http_mime_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot != NULL && (slash == NULL || dot > slash))
        for (size_t i = 0; i < sizeof MIME / sizeof MIME[0]; i++)
            if (strcmp(dot, MIME[i].ext) == 0)
                return MIME[i].type;
    return "application/octet-stream";
}

/* 1 if every segment of path is a plain, visible name. */
static int
path_is_clean(const char *path)
{
    if (path[0] != '/' || strchr(path, '\\') != NULL)
        return 0;
    const char *s = path + 1;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 0 && e != NULL)
            return 0; /* "//" */
        if (len > 0 && s[0] == '.')
            return 0; /* ".", "..", ".git", ... */
        if (e == NULL)
            break;
        s = e + 1;
    }
    return 1;
}

static void
not_found(http_req_t *req, http_resp_t *resp)
{
    cy_error_t e;
    cy_error_set(&e, CY_ENOTFOUND, "file_not_found", "path", "没有这个文件 / no such file: %s",
                 req->path);
    http_reply_error(resp, &e);
}

void
http_static_serve(http_req_t *req, http_resp_t *resp)
{
    const char *path = req->path;
    if (!path_is_clean(path)) {
        cy_error_t e;
        cy_error_set(&e, CY_EBADREQ, "path_invalid", "path",
                     "路径不允许包含 . 或 .. 段 / path must not contain . or .. segments");
        http_reply_error(resp, &e);
        return;
    }
    char want[PATH_MAX], real[PATH_MAX];
    const char *rel = strcmp(path, "/") == 0 ? "/index.html" : path;
    if (snprintf(want, sizeof want, "%s%s", req->web_root, rel) >= (int)sizeof want) {
        not_found(req, resp);
        return;
    }
    size_t root_len = strlen(req->web_root);
    if (realpath(want, real) == NULL || strncmp(real, req->web_root, root_len) != 0 ||
        real[root_len] != '/') {
        not_found(req, resp);
        return;
    }
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        not_found(req, resp);
        return;
    }
    resp->status = 200;
    resp->fd = fd; /* libmicrohttpd closes it */
    resp->fd_size = (size_t)sb.st_size;
    resp->content_type = http_mime_type(real);
}
