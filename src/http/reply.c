/*
 * reply.c — the one way to answer: JSON bodies, the error shape
 * {"error":{"code","message","field"}}, the mapping of statuses to HTTP codes,
 * and strict reading of JSON request bodies. Never includes sqlite3 or libpq.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

void
http_answer(http_resp_t *resp, cy_status_t st, const cy_error_t *err, int status, json_t *out)
{
    if (st != CY_OK) {
        json_decref(out);
        http_reply_error(resp, err);
        return;
    }
    http_reply_json(resp, status, out);
}

void
http_answer_list(http_resp_t *resp, cy_status_t st, const cy_error_t *err, json_t *items,
                 int64_t next)
{
    if (st != CY_OK) {
        json_decref(items);
        http_reply_error(resp, err);
        return;
    }
    http_reply_list(resp, items, next);
}

int
http_status_of(cy_status_t st)
{
    switch (st) {
    case CY_OK:
        return 200;
    case CY_EINVAL:
        return 422;
    case CY_EBADREQ:
        return 400;
    case CY_EUNAVAIL:
        return 503;
    case CY_EUNAUTH:
        return 401;
    case CY_EFORBIDDEN:
        return 403;
    case CY_ENOTFOUND:
        return 404;
    case CY_ECONFLICT:
        return 409;
    case CY_ETOOLARGE:
        return 413;
    case CY_ELIMIT:
        return 429;
    case CY_EIO:
    case CY_ENOMEM:
        return 500;
    }
    return 500;
}

void
http_reply_text(http_resp_t *resp, int status, const char *content_type, const char *text,
                size_t len)
{
    resp->status = status;
    resp->content_type = content_type;
    resp->body = (char *)text;
    resp->len = len;
    resp->owned = 0;
}

void
http_reply_json(http_resp_t *resp, int status, json_t *json)
{
    /* 15 significant digits: 1234567.03 comes back as written, not 1234567.0300000001 */
    char *s = json ? json_dumps(json, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(json);
    if (s == NULL) {
        static const char oom[] =
            "{\"error\":{\"code\":\"no_memory\",\"message\":\"内存不足 / out of memory\","
            "\"field\":\"\"}}";
        http_reply_text(resp, 500, "application/json; charset=utf-8", oom, sizeof oom - 1);
        return;
    }
    resp->status = status;
    resp->content_type = "application/json; charset=utf-8";
    resp->body = s;
    resp->len = strlen(s);
    resp->owned = 1;
}

void
http_reply_error_status(http_resp_t *resp, int status, const cy_error_t *err)
{
    json_t *e =
        json_pack("{s:{s:s, s:s, s:s}}", "error", "code", err->code[0] ? err->code : "error",
                  "message", err->message, "field", err->field);
    http_reply_json(resp, status, e);
}

void
http_reply_error(http_resp_t *resp, const cy_error_t *err)
{
    http_reply_error_status(resp, http_status_of(err->status), err);
}

static const char *
type_name(json_type t)
{
    switch (t) {
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_REAL:
        return "number";
    case JSON_NULL:
        return "null";
    }
    return "?";
}

static const char *
type_name_zh(json_type t)
{
    switch (t) {
    case JSON_STRING:
        return "字符串";
    case JSON_INTEGER:
        return "整数";
    case JSON_OBJECT:
        return "对象";
    case JSON_ARRAY:
        return "数组";
    case JSON_TRUE:
    case JSON_FALSE:
        return "布尔值";
    case JSON_REAL:
        return "小数";
    case JSON_NULL:
        return "null";
    }
    return "?";
}

cy_status_t
http_body_object(const http_req_t *req, const http_field_t *spec, json_t **out, cy_error_t *err)
{
    *out = NULL;
    if (req->body == NULL || req->body_len == 0)
        return cy_error_set(err, CY_EBADREQ, "body_missing", "body",
                            "缺少 JSON 请求体 / a JSON request body is required");
    json_error_t je;
    json_t *root =
        json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (root == NULL)
        return cy_error_set(err, CY_EBADREQ, "json_malformed", "body",
                            "JSON 格式错误（第 %d 行第 %d 列）：%s / malformed JSON at line %d "
                            "column %d: %s",
                            je.line, je.column, je.text, je.line, je.column, je.text);
    if (!json_is_object(root)) {
        json_type t = json_typeof(root);
        json_decref(root);
        return cy_error_set(err, CY_EBADREQ, "wrong_type", "body",
                            "请求体应为 JSON 对象，收到%s / body must be a JSON object, got %s",
                            type_name_zh(t), type_name(t));
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        const http_field_t *f = spec;
        while (f->name != NULL && strcmp(f->name, key) != 0)
            f++;
        if (f->name == NULL) {
            cy_error_set(err, CY_EBADREQ, "unknown_field", key, "未知字段 %s / unknown field %s",
                         key, key);
            json_decref(root);
            return CY_EBADREQ;
        }
        json_type want = f->type, got = json_typeof(val);
        int ok = want == got || (want == JSON_TRUE && got == JSON_FALSE) ||
                 (got == JSON_NULL && (f->flags & HTTP_NULLABLE));
        if (!ok) {
            cy_error_set(err, CY_EBADREQ, "wrong_type", key,
                         "字段 %s 应为%s，收到%s / field %s must be %s, got %s", key,
                         type_name_zh(want), type_name_zh(got), key, type_name(want),
                         type_name(got));
            json_decref(root);
            return CY_EBADREQ;
        }
    }
    for (const http_field_t *f = spec; f->name != NULL; f++) {
        if ((f->flags & HTTP_REQUIRED) && json_object_get(root, f->name) == NULL) {
            cy_error_set(err, CY_EBADREQ, "missing_field", f->name,
                         "缺少字段 %s / missing field %s", f->name, f->name);
            json_decref(root);
            return CY_EBADREQ;
        }
    }
    *out = root;
    return CY_OK;
}

int
http_body(const http_req_t *req, http_resp_t *resp, const http_field_t *spec, json_t **out)
{
    cy_error_t err;
    if (http_body_object(req, spec, out, &err) != CY_OK) {
        http_reply_error(resp, &err);
        return 0;
    }
    return 1;
}

void
http_resp_header(http_resp_t *resp, const char *name, const char *value)
{
    if (resp->n_headers >= HTTP_MAX_HEADERS)
        return; /* a handler adds a fixed few; more is a programming error seen in tests */
    char *v = strdup(value);
    if (v == NULL)
        return;
    resp->header_names[resp->n_headers] = name;
    resp->header_values[resp->n_headers++] = v;
}

json_t *
http_json_text(const char *s)
{
    return s != NULL && s[0] ? json_string(s) : json_null();
}

void
http_reply_list(http_resp_t *resp, json_t *items, int64_t next)
{
    http_reply_json(resp, 200, http_list_json(items, next));
}

json_t *
http_list_json(json_t *items, int64_t next)
{
    json_t *n = json_null();
    if (next > 0) {
        char buf[24];
        snprintf(buf, sizeof buf, "%lld", (long long)next);
        n = json_string(buf);
    }
    return json_pack("{s:o, s:o}", "items", items, "next", n);
}
