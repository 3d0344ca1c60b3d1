/*
 * jsonfile.c — JSON data files with line numbers for every refusal (see
 * jsonfile.h). The line of a value is found by walking the raw text along
 * the path with a minimal scanner: jansson has already accepted the syntax,
 * so the scanner only needs to skip strings, nested containers and scalars.
 * May use stdio and jansson.
 */
#include "data/jsonfile.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSONFILE_MAX ((size_t)64 << 20)

static cy_status_t
plain_fail(const jsonfile_t *jf, const char *zh, const char *en, const char *detail)
{
    return cy_error_set(jf->err, CY_EINVAL, jf->code, jf->name, "%s：%s%s / %s: %s%s", jf->name, zh,
                        detail, jf->name, en, detail);
}

cy_status_t
jsonfile_load(jsonfile_t *jf, const char *path, const char *name, const char *code, cy_error_t *err)
{
    memset(jf, 0, sizeof *jf);
    snprintf(jf->name, sizeof jf->name, "%s", name);
    jf->code = code;
    jf->err = err;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        char why[160];
        snprintf(why, sizeof why, " (%s: %s)", path, strerror(errno));
        return plain_fail(jf, "无法打开", "cannot open", why);
    }
    char *b;
    size_t n;
    data_read_t rd = data_slurp(f, JSONFILE_MAX, &b, &n);
    fclose(f);
    if (rd == DATA_READ_TOO_LARGE)
        return plain_fail(jf, "文件超过 64 MiB", "file larger than 64 MiB", "");
    if (rd == DATA_READ_NO_MEMORY)
        return cy_error_set(err, CY_ENOMEM, "no_memory", name, "内存不足 / out of memory");
    if (rd == DATA_READ_IO)
        return plain_fail(jf, "读取出错", "read error", "");
    jf->text = b;
    jf->len = n;
    json_error_t jerr;
    jf->root = json_loadb(b, n, JSON_REJECT_DUPLICATES, &jerr);
    cy_status_t st = CY_OK;
    if (jf->root == NULL)
        st = cy_error_set(err, CY_EINVAL, code, name,
                          "%s 第 %d 行第 %d 列：JSON 语法错误：%s / %s line %d, column %d: JSON "
                          "syntax error: %s",
                          name, jerr.line, jerr.column, jerr.text, name, jerr.line, jerr.column,
                          jerr.text);
    else if (!json_is_object(jf->root))
        st = plain_fail(jf, "顶层应为 JSON 对象", "the top level must be a JSON object", "");
    if (st != CY_OK)
        jsonfile_free(jf); /* a refusal keeps nothing: callers may return at once */
    return st;
}

void
jsonfile_free(jsonfile_t *jf)
{
    if (jf->root != NULL)
        json_decref(jf->root);
    free(jf->text);
    jf->root = NULL;
    jf->text = NULL;
}

/* ---- finding a line ----------------------------------------------------- */

typedef struct {
    const char *p, *end;
    size_t line;
} scan_t;

static void
skip_ws(scan_t *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')) {
        if (*s->p == '\n')
            s->line++;
        s->p++;
    }
}

/* Skips a string at s->p (on its opening quote); returns its raw body in *b, *n. */
static int
skip_string(scan_t *s, const char **b, size_t *n)
{
    if (s->p >= s->end || *s->p != '"')
        return -1;
    const char *start = ++s->p;
    while (s->p < s->end && *s->p != '"') {
        if (*s->p == '\\')
            s->p++;
        s->p++;
    }
    if (s->p >= s->end)
        return -1;
    if (b != NULL) {
        *b = start;
        *n = (size_t)(s->p - start);
    }
    s->p++;
    return 0;
}

static int
skip_value(scan_t *s)
{
    skip_ws(s);
    if (s->p >= s->end)
        return -1;
    if (*s->p == '"')
        return skip_string(s, NULL, NULL);
    if (*s->p == '{' || *s->p == '[') {
        int depth = 0;
        while (s->p < s->end) {
            char c = *s->p;
            if (c == '"') {
                if (skip_string(s, NULL, NULL) != 0)
                    return -1;
                continue;
            }
            if (c == '\n')
                s->line++;
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']')
                depth--;
            s->p++;
            if (depth == 0)
                return 0;
        }
        return -1;
    }
    while (s->p < s->end && *s->p != ',' && *s->p != '}' && *s->p != ']' && *s->p != ' ' &&
           *s->p != '\n' && *s->p != '\r' && *s->p != '\t')
        s->p++;
    return 0;
}

size_t
jsonfile_line(const jsonfile_t *jf, const char *path)
{
    if (jf->text == NULL)
        return 0;
    scan_t s = {jf->text, jf->text + jf->len, 1};
    skip_ws(&s);
    const char *q = path;
    while (*q != '\0') {
        if (*q == '.')
            q++;
        if (*q == '[') {
            long idx = strtol(q + 1, (char **)&q, 10);
            if (*q != ']')
                return 0;
            q++;
            if (s.p >= s.end || *s.p != '[')
                return 0;
            s.p++;
            for (long i = 0; i < idx; i++) {
                if (skip_value(&s) != 0)
                    return 0;
                skip_ws(&s);
                if (s.p >= s.end || *s.p != ',')
                    return 0;
                s.p++;
            }
            skip_ws(&s);
            continue;
        }
        size_t klen = strcspn(q, ".[");
        if (s.p >= s.end || *s.p != '{')
            return 0;
        s.p++;
        for (;;) {
            skip_ws(&s);
            const char *kb;
            size_t kn;
            if (skip_string(&s, &kb, &kn) != 0)
                return 0;
            size_t key_line = s.line;
            skip_ws(&s);
            if (s.p >= s.end || *s.p != ':')
                return 0;
            s.p++;
            skip_ws(&s);
            if (kn == klen && memcmp(kb, q, klen) == 0) {
                q += klen;
                if (*q == '\0')
                    return key_line; /* the line of the key: where a reader looks */
                break;
            }
            if (skip_value(&s) != 0)
                return 0;
            skip_ws(&s);
            if (s.p >= s.end || *s.p != ',')
                return 0;
            s.p++;
        }
    }
    return s.line;
}

cy_status_t
jsonfile_fail(const jsonfile_t *jf, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cy_status_t st =
        data_refusev(jf->err, jf->code, path, jf->name, jsonfile_line(jf, path), path, fmt, ap);
    va_end(ap);
    return st;
}

void
jsonfile_path(char *buf, size_t cap, const char *base, const char *key)
{
    if (base == NULL || base[0] == '\0')
        snprintf(buf, cap, "%s", key);
    else
        snprintf(buf, cap, "%s.%s", base, key);
}

cy_status_t
jsonfile_number(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, double lo,
                double hi, const double *def, double *out)
{
    char path[256];
    jsonfile_path(path, sizeof path, base, key);
    json_t *v = json_object_get(obj, key);
    if (v == NULL) {
        if (def != NULL) {
            *out = *def;
            return CY_OK;
        }
        return jsonfile_fail(jf, path, "缺少此项 / is missing");
    }
    if (!json_is_number(v))
        return jsonfile_fail(jf, path, "应为数字 / must be a number");
    double x = json_number_value(v);
    if (!isfinite(x) || x < lo || x > hi)
        return jsonfile_fail(jf, path,
                             "应在 %g 到 %g 之间，实为 %g / must be from %g to %g, got %g", lo, hi,
                             x, lo, hi, x);
    *out = x;
    return CY_OK;
}

cy_status_t
jsonfile_string(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, int required,
                char *out, size_t cap)
{
    char path[256];
    jsonfile_path(path, sizeof path, base, key);
    json_t *v = json_object_get(obj, key);
    out[0] = '\0';
    if (v == NULL)
        return required ? jsonfile_fail(jf, path, "缺少此项 / is missing") : CY_OK;
    if (!json_is_string(v))
        return jsonfile_fail(jf, path, "应为字符串 / must be a string");
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0 && required)
        return jsonfile_fail(jf, path, "不能为空 / must not be empty");
    if (n >= cap)
        return jsonfile_fail(jf, path,
                             "长度 %zu 字节，超过上限 %zu / is %zu bytes, longer than %zu", n,
                             cap - 1, n, cap - 1);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return jsonfile_fail(jf, path, "含有控制字符 / contains a control character");
    memcpy(out, s, n + 1);
    return CY_OK;
}

cy_status_t
jsonfile_strings(const jsonfile_t *jf, json_t *obj, const char *base, const jsonfile_text_t *texts,
                 size_t n)
{
    cy_status_t st = CY_OK;
    for (size_t i = 0; st == CY_OK && i < n; i++)
        st = jsonfile_string(jf, obj, base, texts[i].key, texts[i].required, texts[i].dst,
                             texts[i].cap);
    return st;
}

cy_status_t
jsonfile_keys(const jsonfile_t *jf, json_t *obj, const char *base, const char *const *allowed)
{
    if (!json_is_object(obj))
        return jsonfile_fail(jf, base, "应为 JSON 对象 / must be a JSON object");
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        (void)val;
        int ok = 0;
        for (size_t i = 0; allowed[i] != NULL && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (!ok) {
            char path[256];
            jsonfile_path(path, sizeof path, base, key);
            return jsonfile_fail(jf, path, "未知的键（拼写错误？） / unknown key (misspelt?)");
        }
    }
    return CY_OK;
}

cy_status_t
jsonfile_names(const jsonfile_t *jf, json_t *obj, const char *base, char *code, size_t cc, char *zh,
               size_t zc, char *en, size_t ec)
{
    const jsonfile_text_t texts[] = {
        {"code", code, cc, 1}, {"name_zh", zh, zc, 1}, {"name_en", en, ec, 1}};
    return jsonfile_strings(jf, obj, base, texts, sizeof texts / sizeof texts[0]);
}

cy_status_t
jsonfile_head(const jsonfile_t *jf, const char *const *allowed, char *source, size_t scap,
              char *version, size_t vcap)
{
    cy_status_t st = jsonfile_keys(jf, jf->root, "", allowed);
    if (st == CY_OK)
        st = jsonfile_string(jf, jf->root, "", "source", 1, source, scap);
    if (st == CY_OK)
        st = jsonfile_string(jf, jf->root, "", "version", 1, version, vcap);
    return st;
}

cy_status_t
jsonfile_array(const jsonfile_t *jf, json_t *obj, const char *base, const char *key, size_t min,
               size_t max, const char *what_zh, const char *what_en, json_t **arr)
{
    char path[256];
    jsonfile_path(path, sizeof path, base, key);
    json_t *a = json_object_get(obj, key);
    *arr = a;
    if (json_is_array(a) && json_array_size(a) >= min && json_array_size(a) <= max)
        return CY_OK;
    const char *sp = what_en[0] != '\0' ? " " : "";
    if (min > 0)
        return jsonfile_fail(jf, path,
                             "应为 %zu 到 %zu %s的数组 / must be an array of %zu to %zu%s%s", min,
                             max, what_zh, min, max, sp, what_en);
    return jsonfile_fail(jf, path, "应为至多 %zu %s的数组 / must be an array of at most %zu%s%s",
                         max, what_zh, max, sp, what_en);
}

json_t *
jsonfile_item(json_t *arr, const char *path, size_t i, char *b, size_t cap)
{
    snprintf(b, cap, "%s[%zu]", path, i);
    return json_array_get(arr, i);
}
