/*
 * fill.c — placeholders of doc/'s templates (contract in fill.h): one parser
 * for the load-time check and the expansion, so a template that passed the
 * check cannot fail later except for memory. Depends on core/ (money,
 * bjtime), jansson and libxml2's xmlBuffer; no I/O.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "core/bjtime.h"
#include "core/money.h"
#include "doc/fill.h"
#include "doc/lib.h"

#define MAX_FILTERS 6

typedef enum {
    F_YUAN,
    F_WAN,
    F_DATE,
    F_DATETIME,
    F_COUNT,
    F_JOIN,
    F_MAP,
    F_LABEL,
    F_CHECK,
    F_OR
} fid_t;

static const struct {
    const char *name;
    int value; /* reads the value (must come first) rather than its text */
    int arg;   /* takes ":ARG" */
} FILTERS[] = {{"yuan", 1, 0}, {"wan", 1, 0}, {"date", 1, 0},  {"datetime", 1, 0}, {"count", 1, 0},
               {"join", 1, 1}, {"map", 0, 1}, {"label", 0, 1}, {"check", 0, 1},    {"or", 0, 1}};
#define N_FILTERS (sizeof FILTERS / sizeof FILTERS[0])

typedef struct {
    fid_t id;
    const char *arg;
    size_t arg_len;
} filter_t;

typedef struct {
    const char *path;
    size_t path_len;
    filter_t f[MAX_FILTERS];
    size_t n;
} ph_t;

/* Parses the placeholder whose text (between the braces) is p[0..len); 0 with why on error. */
static int
ph_parse(const char *p, size_t len, ph_t *ph, char *why, size_t cap)
{
    const char *end = p + len, *bar = memchr(p, '|', len);
    ph->path = p;
    ph->path_len = (size_t)((bar ? bar : end) - p);
    ph->n = 0;
    char path[128];
    if (ph->path_len == 0 || ph->path_len >= sizeof path) {
        snprintf(why, cap, "占位符“{%.*s}”缺少路径 / placeholder {%.*s} has no path", (int)len, p,
                 (int)len, p);
        return 0;
    }
    memcpy(path, p, ph->path_len);
    path[ph->path_len] = '\0';
    if (!fill_check_path(path)) {
        snprintf(why, cap, "占位符路径“%s”无效 / bad placeholder path \"%s\"", path, path);
        return 0;
    }
    for (const char *q = bar; q != NULL && q < end;) {
        const char *name = q + 1, *next = memchr(name, '|', (size_t)(end - name));
        const char *stop = next ? next : end;
        const char *colon = memchr(name, ':', (size_t)(stop - name));
        size_t nlen = (size_t)((colon ? colon : stop) - name);
        size_t k = 0;
        while (k < N_FILTERS &&
               (strlen(FILTERS[k].name) != nlen || memcmp(FILTERS[k].name, name, nlen) != 0))
            k++;
        if (k == N_FILTERS || ph->n == MAX_FILTERS || (colon != NULL) != FILTERS[k].arg ||
            (FILTERS[k].value && ph->n > 0)) {
            snprintf(why, cap,
                     "占位符“{%.*s}”的过滤器“%.*s”未知、参数不符或位置不对 / placeholder {%.*s}: "
                     "filter \"%.*s\" is unknown, has a wrong argument or comes after a text "
                     "filter",
                     (int)len, p, (int)nlen, name, (int)len, p, (int)nlen, name);
            return 0;
        }
        filter_t f = {(fid_t)k, colon ? colon + 1 : NULL, colon ? (size_t)(stop - colon - 1) : 0};
        ph->f[ph->n++] = f;
        q = next;
    }
    return 1;
}

int
fill_check_path(const char *path)
{
    if (strcmp(path, ".") == 0 || strcmp(path, "#") == 0)
        return 1;
    const char *p = path[0] == '/' ? path + 1 : path;
    if (*p == '\0' || *p == '.')
        return 0;
    for (; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                 *p == '_' || (*p == '.' && p[1] != '.' && p[1] != '\0');
        if (!ok)
            return 0;
    }
    return 1;
}

/*
 * Walks tpl calling visit for each placeholder (text between braces) and lit
 * for each literal run; either may be NULL. Returns 0 with why on a stray
 * brace, or when visit returns 0.
 */
typedef int (*ph_visit_t)(void *arg, const char *p, size_t len);
static int
walk(const char *tpl, ph_visit_t visit, ph_visit_t lit, void *arg, char *why, size_t cap)
{
    for (const char *p = tpl; *p;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            if (lit && !lit(arg, p, 1))
                return 0;
            p += 2;
        } else if (*p == '{') {
            const char *close = strchr(p + 1, '}'), *open = strchr(p + 1, '{');
            if (close == NULL || (open != NULL && open < close)) {
                snprintf(why, cap, "模板中“{”未闭合：%.40s / unclosed '{' in template: %.40s", p,
                         p);
                return 0;
            }
            if (visit && !visit(arg, p + 1, (size_t)(close - p - 1)))
                return 0;
            p = close + 1;
        } else if (*p == '}') {
            snprintf(why, cap, "模板中多余的“}”：%.40s / stray '}' in template: %.40s", p, p);
            return 0;
        } else {
            size_t n = strcspn(p, "{}");
            if (lit && !lit(arg, p, n))
                return 0;
            p += n;
        }
    }
    return 1;
}

typedef struct {
    const json_t *maps;
    char *why;
    size_t cap;
} check_t;

static int
check_one(void *arg, const char *p, size_t len)
{
    check_t *c = arg;
    ph_t ph;
    if (!ph_parse(p, len, &ph, c->why, c->cap))
        return 0;
    for (size_t i = 0; i < ph.n; i++) {
        if (ph.f[i].id != F_MAP)
            continue;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)ph.f[i].arg_len, ph.f[i].arg);
        if (!json_is_object(json_object_get(c->maps, name))) {
            snprintf(c->why, c->cap, "模板没有名为“%s”的 maps / the template has no map \"%s\"",
                     name, name);
            return 0;
        }
    }
    return 1;
}

int
fill_check(const char *tpl, const json_t *maps, char *why, size_t cap)
{
    check_t c = {maps, why, cap};
    return walk(tpl, check_one, NULL, &c, why, cap);
}

const json_t *
fill_get(const fill_ctx_t *c, const char *path)
{
    const json_t *v = path[0] == '/' ? c->root : c->cur;
    const char *p = path[0] == '/' ? path + 1 : path;
    if (strcmp(path, ".") == 0)
        return c->cur;
    while (v != NULL && *p) {
        size_t n = strcspn(p, ".");
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)n, p);
        if (json_is_array(v) && key[0] >= '0' && key[0] <= '9')
            v = json_array_get(v, strtoul(key, NULL, 10));
        else
            v = json_object_get(v, key);
        p += n;
        if (*p == '.')
            p++;
    }
    return json_is_null(v) ? NULL : v;
}

/* ---- expansion ------------------------------------------------------------ */

typedef struct {
    const fill_ctx_t *c;
    xmlBufferPtr out;
    int failed; /* an xmlBuffer call failed: out of memory */
} expand_t;

static int
add(xmlBufferPtr b, const char *s, size_t n)
{
    return xmlBufferAdd(b, (const xmlChar *)s, (int)n) == 0;
}

static int
adds(xmlBufferPtr b, const char *s)
{
    return add(b, s, strlen(s));
}

/* The text of a plain value: a string itself, an integer in decimal, 是/否. */
static int
value_text(const json_t *v, xmlBufferPtr b)
{
    char num[48];
    if (v == NULL)
        return 1;
    switch (json_typeof(v)) {
    case JSON_STRING:
        return add(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return adds(b, num);
    case JSON_REAL:
        snprintf(num, sizeof num, "%.15g", json_real_value(v));
        return adds(b, num);
    case JSON_TRUE:
        return adds(b, "是");
    case JSON_FALSE:
        return adds(b, "否");
    default:
        return 1;
    }
}

/* fen as 元 without the currency sign: money_format's "¥1,234.56" less its '¥'. */
static int
yuan_text(json_int_t fen, xmlBufferPtr b)
{
    char m[MONEY_FORMAT_MAX];
    if (money_format((int64_t)fen, m, sizeof m) < 0)
        return 0;
    char *yen = strstr(m, "\xc2\xa5");
    if (yen != NULL)
        memmove(yen, yen + 2, strlen(yen + 2) + 1);
    return adds(b, m);
}

/* fen as 万元 (1 万元 = 1 000 000 fen): the exact decimal, trailing zeros dropped. */
static int
wan_text(json_int_t fen, xmlBufferPtr b)
{
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char s[48];
    int n = snprintf(s, sizeof s, "%s%" PRIu64, fen < 0 ? "-" : "", a / 1000000);
    if (a % 1000000 != 0) {
        n += snprintf(s + n, sizeof s - (size_t)n, ".%06" PRIu64, a % 1000000);
        while (s[n - 1] == '0')
            s[--n] = '\0';
    }
    return adds(b, s);
}

/* "2024-01-20" or an ISO instant as 2024年1月20日 (with_time: and HH:MM), Beijing. */
static int
date_text(const char *s, int with_time, xmlBufferPtr b)
{
    int y, m, d, hh = 0, mm = 0, only_date = strlen(s) == 10;
    char bj[32];
    int64_t utc;
    cy_error_t ignored;
    if (only_date) {
        if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
            return adds(b, s);
    } else if (bjtime_parse(s, &utc, &ignored) == CY_OK) {
        bjtime_format(utc, bj);
        sscanf(bj, "%4d-%2d-%2d %2d:%2d", &y, &m, &d, &hh, &mm);
    } else {
        return adds(b, s);
    }
    char out[64];
    if (with_time && !only_date)
        snprintf(out, sizeof out, "%d年%d月%d日 %02d:%02d", y, m, d, hh, mm);
    else
        snprintf(out, sizeof out, "%d年%d月%d日", y, m, d);
    return adds(b, out);
}

static int
value_filter(const filter_t *f, const json_t *v, xmlBufferPtr b)
{
    char num[32];
    switch (f->id) {
    case F_YUAN:
        return json_is_integer(v) ? yuan_text(json_integer_value(v), b) : value_text(v, b);
    case F_WAN:
        return json_is_integer(v) ? wan_text(json_integer_value(v), b) : value_text(v, b);
    case F_DATE:
    case F_DATETIME:
        return json_is_string(v) ? date_text(json_string_value(v), f->id == F_DATETIME, b)
                                 : value_text(v, b);
    case F_COUNT:
        snprintf(num, sizeof num, "%zu", json_is_array(v) ? json_array_size(v) : 0);
        return adds(b, num);
    default: /* F_JOIN */
        if (!json_is_array(v))
            return value_text(v, b);
        for (size_t i = 0; i < json_array_size(v); i++)
            if ((i > 0 && !add(b, f->arg, f->arg_len)) || !value_text(json_array_get(v, i), b))
                return 0;
        return 1;
    }
}

/* name_zh of the element of list (or of an element's "items") whose code is code. */
static const char *
label_find(const json_t *list, const char *code)
{
    size_t i;
    const json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *c = json_string_value(json_object_get(e, "code"));
        if (c != NULL && strcmp(c, code) == 0)
            return json_string_value(json_object_get(e, "name_zh"));
        const char *sub = label_find(json_object_get(e, "items"), code);
        if (sub != NULL)
            return sub;
    }
    return NULL;
}

/* Replaces the text in b by what the text filter f makes of it. */
static int
text_filter(const filter_t *f, const fill_ctx_t *c, xmlBufferPtr b)
{
    char arg[128];
    snprintf(arg, sizeof arg, "%.*s", (int)f->arg_len, f->arg);
    char *s = strdup((const char *)xmlBufferContent(b));
    if (s == NULL)
        return 0;
    const char *r = s;
    if (f->id == F_MAP) {
        const json_t *map = json_object_get(c->maps, arg);
        const json_t *hit = json_object_get(map, s);
        if (!json_is_string(hit))
            hit = json_object_get(map, "*");
        if (json_is_string(hit))
            r = json_string_value(hit);
    } else if (f->id == F_LABEL) {
        const char *name = s[0] ? label_find(json_object_get(c->refs, arg), s) : NULL;
        if (name != NULL)
            r = name;
    } else if (f->id == F_CHECK) {
        r = strcmp(s, arg) == 0 ? "☑" : "☐";
    } else if (s[0] == '\0') { /* F_OR */
        r = arg;
    }
    xmlBufferEmpty(b);
    int ok = adds(b, r);
    free(s);
    return ok;
}

static int
expand_one(void *arg, const char *p, size_t len)
{
    expand_t *e = arg;
    ph_t ph;
    char why[8], path[128];
    if (!ph_parse(p, len, &ph, why, sizeof why))
        return 1; /* an unchecked template: the placeholder prints as nothing */
    snprintf(path, sizeof path, "%.*s", (int)ph.path_len, ph.path);
    xmlBufferPtr t = xmlBufferCreate();
    int ok = t != NULL;
    size_t i = 0;
    if (ok && strcmp(path, "#") == 0) {
        char num[32] = "";
        if (e->c->index > 0)
            snprintf(num, sizeof num, "%zu", e->c->index);
        ok = adds(t, num);
    } else if (ok) {
        const json_t *v = fill_get(e->c, path);
        if (ph.n > 0 && FILTERS[ph.f[0].id].value)
            ok = value_filter(&ph.f[i++], v, t);
        else
            ok = value_text(v, t);
    }
    for (; ok && i < ph.n; i++)
        ok = text_filter(&ph.f[i], e->c, t);
    if (ok)
        ok = add(e->out, (const char *)xmlBufferContent(t), (size_t)xmlBufferLength(t));
    if (t != NULL)
        xmlBufferFree(t);
    e->failed |= !ok;
    return ok;
}

static int
expand_lit(void *arg, const char *p, size_t len)
{
    expand_t *e = arg;
    int ok = add(e->out, p, len);
    e->failed |= !ok;
    return ok;
}

cy_status_t
fill_text(const fill_ctx_t *c, const char *tpl, char **out, cy_error_t *err)
{
    *out = NULL;
    expand_t e = {c, xmlBufferCreate(), 0};
    char why[200];
    if (e.out != NULL)
        walk(tpl, expand_one, expand_lit, &e, why, sizeof why);
    if (e.out == NULL || e.failed ||
        (*out = strdup((const char *)xmlBufferContent(e.out))) == NULL) {
        if (e.out != NULL)
            xmlBufferFree(e.out);
        return cy_error_no_memory(err);
    }
    xmlBufferFree(e.out);
    return CY_OK;
}
