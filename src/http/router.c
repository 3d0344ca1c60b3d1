/*
 * router.c — method + path matching with {name} path parameters. The one
 * table itself is in routes.c. A path is tried only against the routes of
 * its head (/api/v1/ and the first segment after it, or the whole path
 * outside /api/v1/), in the table's order: the first that matches is the
 * one a scan of the whole table would find. Never includes sqlite3 or libpq.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/*
 * Match path against pattern segment by segment; {x} takes one non-empty
 * segment (at most 127 bytes). Fills params only on a match.
 */
static int
match(const char *pattern, const char *path, http_req_t *req)
{
    const char *p = pattern, *s = path;
    int n = 0;
    const char *names[HTTP_MAX_PARAMS];
    const char *vals[HTTP_MAX_PARAMS];
    size_t lens[HTTP_MAX_PARAMS];
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *seg_end = strchr(s, '/');
            size_t len = seg_end ? (size_t)(seg_end - s) : strlen(s);
            if (close == NULL || len == 0 || len > 127 || n == HTTP_MAX_PARAMS)
                return 0;
            names[n] = p + 1;
            vals[n] = s;
            lens[n] = len;
            n++;
            p = close + 1;
            s += len;
        } else if (*p == *s) {
            p++;
            s++;
        } else {
            return 0;
        }
    }
    if (*p != '\0' || *s != '\0')
        return 0;
    if (req != NULL) {
        req->n_params = n;
        for (int i = 0; i < n; i++) {
            req->param_names[i] = names[i];
            memcpy(req->param_values[i], vals[i], lens[i]);
            req->param_values[i][lens[i]] = '\0';
        }
    }
    return 1;
}

/* The head of a path or pattern: its length (see the top of this file). */
static size_t
head_len(const char *p)
{
    static const char api[] = "/api/v1/";
    if (strncmp(p, api, sizeof api - 1) != 0)
        return strlen(p);
    const char *slash = strchr(p + sizeof api - 1, '/');
    return slash ? (size_t)(slash - p) : strlen(p);
}

/* The routes of one head, in table order: index.order[from..to). */
typedef struct {
    const char *head;
    size_t len;
    int from, to;
} bucket_t;

static struct {
    int *order;
    bucket_t *buckets;
    int n_buckets;
    int linear; /* a head with a {parameter}, or no memory: scan the whole table */
} index_;
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static int
head_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c ? c : (alen > blen) - (alen < blen);
}

static int
order_cmp(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    const char *pa = http_routes[a].pattern, *pb = http_routes[b].pattern;
    int c = head_cmp(pa, head_len(pa), pb, head_len(pb));
    return c ? c : (a > b) - (a < b); /* within a head, the table's order */
}

static void
index_build(void)
{
    int n = 0;
    while (http_routes[n].method != NULL)
        n++;
    index_.order = malloc((size_t)(n ? n : 1) * sizeof *index_.order);
    index_.buckets = malloc((size_t)(n ? n : 1) * sizeof *index_.buckets);
    if (index_.order == NULL || index_.buckets == NULL) {
        index_.linear = 1;
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *p = http_routes[i].pattern;
        if (memchr(p, '{', head_len(p)) != NULL)
            index_.linear = 1;
        index_.order[i] = i;
    }
    qsort(index_.order, (size_t)n, sizeof *index_.order, order_cmp);
    for (int i = 0; i < n; i++) {
        const char *p = http_routes[index_.order[i]].pattern;
        size_t len = head_len(p);
        bucket_t *last = index_.n_buckets ? &index_.buckets[index_.n_buckets - 1] : NULL;
        if (last && head_cmp(last->head, last->len, p, len) == 0) {
            last->to = i + 1;
            continue;
        }
        index_.buckets[index_.n_buckets++] = (bucket_t){p, len, i, i + 1};
    }
}

/* The routes that may match path: order[*from..*to), or the whole table (*order NULL). */
static void
candidates(const char *path, const int **order, int *from, int *to)
{
    pthread_once(&index_once, index_build);
    *order = NULL;
    *from = *to = 0;
    if (index_.linear) {
        while (http_routes[*to].method != NULL)
            (*to)++;
        return;
    }
    *order = index_.order;
    size_t len = head_len(path);
    int lo = 0, hi = index_.n_buckets;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        const bucket_t *b = &index_.buckets[mid];
        int c = head_cmp(b->head, b->len, path, len);
        if (c == 0) {
            *from = b->from;
            *to = b->to;
            return;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
}

http_handler_t
http_route_find(const char *method, const char *path, http_req_t *req, char *allow,
                size_t allow_cap, int *path_known)
{
    *path_known = 0;
    if (allow_cap > 0)
        allow[0] = '\0';
    const int *order;
    int from, to;
    candidates(path, &order, &from, &to);
    for (int i = from; i < to; i++) {
        const http_route_t *r = &http_routes[order ? order[i] : i];
        if (!match(r->pattern, path, NULL))
            continue;
        *path_known = 1;
        if (strcmp(r->method, method) == 0) {
            match(r->pattern, path, req);
            return r->handler;
        }
        size_t used = strlen(allow);
        if (used + strlen(r->method) + 3 < allow_cap)
            snprintf(allow + used, allow_cap - used, "%s%s", used ? ", " : "", r->method);
    }
    return NULL;
}

int
http_route_flags(const char *method, const char *path)
{
    const int *order;
    int from, to;
    candidates(path, &order, &from, &to);
    for (int i = from; i < to; i++) {
        const http_route_t *r = &http_routes[order ? order[i] : i];
        if (strcmp(r->method, method) == 0 && match(r->pattern, path, NULL))
            return r->flags;
    }
    return 0;
}

const char *
http_param(const http_req_t *req, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < req->n_params; i++)
        if (strncmp(req->param_names[i], name, n) == 0 && req->param_names[i][n] == '}')
            return req->param_values[i];
    return NULL;
}

const char *
http_query(const http_req_t *req, const char *name)
{
    return MHD_lookup_connection_value(req->mhd, MHD_GET_ARGUMENT_KIND, name);
}
