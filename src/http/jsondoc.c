/*
 * jsondoc.c — stored JSON documents answered as stored (http.h): a record
 * may carry a document its use case keeps as JSON text (a quote's
 * breakdown, a policy's conditions). Rendering puts a placeholder string in
 * its place (http_doc), and http_reply_json_docs writes the answer with each
 * placeholder replaced by the document's text: the text is never parsed
 * again to be shown. Never includes sqlite3 or libpq.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/*
 * A placeholder: a string no client can store (it holds control
 * characters, which every text field refuses) naming the document's index.
 * json_dumps writes it as "\u0001doc:N\u0002".
 */
#define DOC_OPEN  "\"\\u0001doc:"
#define DOC_CLOSE "\\u0002\""

json_t *
http_doc(http_docs_t *d, const char *text)
{
    if (text == NULL)
        return json_null();
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 4;
        char **t = realloc(d->text, cap * sizeof *t);
        if (t == NULL) {
            d->oom = 1;
            return json_null();
        }
        d->text = t;
        d->cap = cap;
    }
    char ph[32], *copy = strdup(text);
    if (copy == NULL) {
        d->oom = 1;
        return json_null();
    }
    snprintf(ph, sizeof ph,
             "\x01"
             "doc:%zu\x02",
             d->n);
    d->text[d->n++] = copy;
    return json_string(ph);
}

void
http_docs_free(http_docs_t *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->text[i]);
    free(d->text);
    memset(d, 0, sizeof *d);
}

/* s with each placeholder replaced by its document (malloc'd), or NULL. */
static char *
splice(const char *s, const http_docs_t *d)
{
    size_t len = strlen(s), need = len + 1, no = strlen(DOC_OPEN), nc = strlen(DOC_CLOSE);
    for (size_t i = 0; i < d->n; i++)
        need += strlen(d->text[i]);
    char *out = malloc(need);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    for (const char *p = s; *p;) {
        const char *q = strstr(p, DOC_OPEN);
        char *end = NULL;
        size_t k = q ? strtoul(q + no, &end, 10) : 0;
        if (q == NULL || end == q + no || strncmp(end, DOC_CLOSE, nc) != 0 || k >= d->n) {
            size_t m = q ? (size_t)(q - p) + 1 : strlen(p);
            memcpy(out + n, p, m);
            n += m;
            p += m;
            continue;
        }
        memcpy(out + n, p, (size_t)(q - p));
        n += (size_t)(q - p);
        size_t t = strlen(d->text[k]);
        memcpy(out + n, d->text[k], t);
        n += t;
        p = end + nc;
    }
    out[n] = '\0';
    return out;
}

void
http_reply_json_docs(http_resp_t *resp, int status, json_t *json, http_docs_t *docs)
{
    if (docs->n == 0 && !docs->oom) {
        http_docs_free(docs);
        http_reply_json(resp, status, json);
        return;
    }
    char *s = json && !docs->oom ? json_dumps(json, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(json);
    char *body = s ? splice(s, docs) : NULL;
    free(s);
    http_docs_free(docs);
    if (body == NULL) {
        cy_error_t e;
        cy_error_no_memory(&e);
        http_reply_error(resp, &e);
        return;
    }
    http_reply_text(resp, status, "application/json; charset=utf-8", body, strlen(body));
    resp->owned = 1;
}
