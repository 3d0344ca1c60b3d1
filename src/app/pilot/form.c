/*
 * form.c — what the pilot takes from a caller, checked: pf_check, the one
 * schema checker every form of the pilot goes through (schemes, plans,
 * reports, summaries), the reading of a checked form, the rules of the
 * plain inputs that are not forms (a required text, a date), and the
 * refusals of a caller's role. Pure: jansson and core/ only, no store, no
 * clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "core/bjtime.h"
#include "core/utf8.h"
#include "core/zishu.h"

/* ---- the form checker --------------------------------------------------- */

/* Where a value is: its path for the machine, its words for a person. */
typedef struct {
    char path[320];
    char zh[400], en[400];
} pf_at_t;

/* dst = a sep b, cut to cap (a path or words too long for it is cut, never overrun). */
static void
pf_join(char *dst, size_t cap, const char *a, const char *sep, const char *b)
{
    if (snprintf(dst, cap, "%s%s%s", a, a[0] ? sep : "", b) >= (int)cap)
        dst[cap - 1] = '\0';
}

/* The child of at: key of field f, or item i of an array ("第4项" / "item 4"). */
static void
pf_at_key(pf_at_t *to, const pf_at_t *at, const pf_field_t *f)
{
    pf_join(to->path, sizeof to->path, at->path, ".", f->name);
    pf_join(to->zh, sizeof to->zh, at->zh, "的", f->zh ? f->zh : f->name);
    pf_join(to->en, sizeof to->en, at->en, ": ", f->en ? f->en : f->name);
}

static void
pf_at_item(pf_at_t *to, const pf_at_t *at, size_t i)
{
    char n[32];
    snprintf(n, sizeof n, "[%zu]", i);
    pf_join(to->path, sizeof to->path, at->path, "", n);
    snprintf(n, sizeof n, "第%zu项", i + 1);
    pf_join(to->zh, sizeof to->zh, at->zh, "", n);
    snprintf(n, sizeof n, ", item %zu", i + 1);
    pf_join(to->en, sizeof to->en, at->en, "", n);
}

static cy_status_t
pf_text(json_t *v, char kind, size_t max, const pf_at_t *at, cy_error_t *err)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n > max)
        return cy_error_set(err, CY_EINVAL, "too_long", at->path,
                            "%s过长（%zu 字节，上限 %zu） / %s is too long (%zu bytes, at most "
                            "%zu)",
                            at->zh, n, max, at->en, n, max);
    size_t bad;
    if (!utf8_valid(s, n, &bad))
        return cy_error_set(err, CY_EINVAL, "utf8_invalid", at->path,
                            "%s在第 %zu 字节处不是有效的 UTF-8 文本 / %s is not valid UTF-8 at "
                            "byte %zu",
                            at->zh, bad, at->en, bad);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        int allowed = kind == 'l' && (ch == '\n' || ch == '\r' || ch == '\t');
        if ((ch < 0x20 && !allowed) || ch == 0x7f)
            return cy_error_set(err, CY_EINVAL, "control_char", at->path,
                                "%s含有控制字符 / %s contains a control character", at->zh, at->en);
    }
    return CY_OK;
}

/* Whether v is of the field's kind; its words when it is not. */
static int
pf_kind_is(char kind, json_t *v, const char **zh, const char **en)
{
    switch (kind) {
    case 's':
    case 'l':
        *zh = "文字", *en = "text";
        return json_is_string(v);
    case 'i':
        *zh = "整数", *en = "a whole number";
        return json_is_integer(v);
    case 'b':
        *zh = "是或否", *en = "yes or no";
        return json_is_boolean(v);
    case 'o':
        *zh = "一组填写项", *en = "a group of fields";
        return json_is_object(v);
    default:
        *zh = "列表", *en = "a list";
        return json_is_array(v);
    }
}

static cy_status_t pf_check_at(const pf_field_t *spec, json_t *obj, const pf_at_t *at,
                               cy_error_t *err);

/* An object of free keys, each a long text of at most max bytes (a round's own parts). */
static cy_status_t
pf_texts(json_t *obj, size_t max, const pf_at_t *at, cy_error_t *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        pf_at_t in;
        pf_field_t f = {key, 'l', max, NULL, key, key};
        pf_at_key(&in, at, &f);
        if (!json_is_string(v) && !json_is_null(v))
            return cy_error_set(err, CY_EBADREQ, "wrong_type", in.path,
                                "%s应为文字 / %s must be text", in.zh, in.en);
        cy_status_t st = json_is_string(v) ? pf_text(v, 'l', max, &in, err) : CY_OK;
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

/* An array of objects of f->sub ('a') or of one-line texts ('t'). */
static cy_status_t
pf_items(const pf_field_t *f, json_t *v, const pf_at_t *at, cy_error_t *err)
{
    if (json_array_size(v) > f->max)
        return cy_error_set(err, CY_EINVAL, "too_many_items", at->path,
                            "%s最多 %zu 项（当前 %zu 项） / %s holds at most %zu items (%zu "
                            "given)",
                            at->zh, f->max, json_array_size(v), at->en, f->max, json_array_size(v));
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        pf_at_t in;
        pf_at_item(&in, at, i);
        cy_status_t st;
        if (f->kind == 'a' && !json_is_object(item))
            return cy_error_set(err, CY_EBADREQ, "wrong_type", in.path,
                                "%s应为一组填写项 / %s must be a group of fields", in.zh, in.en);
        if (f->kind == 't' && !json_is_string(item))
            return cy_error_set(err, CY_EBADREQ, "wrong_type", in.path,
                                "%s应为文字 / %s must be text", in.zh, in.en);
        st = f->kind == 'a' ? pf_check_at(f->sub, item, &in, err)
                            : pf_text(item, 's', 400, &in, err);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

static cy_status_t
pf_value(const pf_field_t *f, json_t *v, const pf_at_t *at, cy_error_t *err)
{
    const char *zh, *en;
    if (json_is_null(v))
        return CY_OK;
    if (!pf_kind_is(f->kind, v, &zh, &en))
        return cy_error_set(err, CY_EBADREQ, "wrong_type", at->path, "%s应为%s / %s must be %s",
                            at->zh, zh, at->en, en);
    switch (f->kind) {
    case 's':
    case 'l':
        return pf_text(v, f->kind, f->max, at, err);
    case 'o':
        return f->sub != NULL ? pf_check_at(f->sub, v, at, err) : pf_texts(v, f->max, at, err);
    case 'a':
    case 't':
        return pf_items(f, v, at, err);
    default:
        return CY_OK;
    }
}

static cy_status_t
pf_check_at(const pf_field_t *spec, json_t *obj, const pf_at_t *at, cy_error_t *err)
{
    if (!json_is_object(obj))
        return cy_error_set(err, CY_EBADREQ, "wrong_type", at->path[0] ? at->path : "body",
                            "%s应为一组填写项 / %s must be a group of fields",
                            at->zh[0] ? at->zh : "表单", at->en[0] ? at->en : "the form");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        const pf_field_t *f = spec;
        while (f->name != NULL && strcmp(f->name, key) != 0)
            f++;
        if (f->name == NULL) {
            char path[320], k[104];
            snprintf(k, sizeof k, "%.100s", key);
            pf_join(path, sizeof path, at->path, ".", k);
            return cy_error_set(err, CY_EBADREQ, "unknown_field", path,
                                "%s中没有“%.100s”这一项 / %s has no field \"%.100s\"",
                                at->zh[0] ? at->zh : "表单", key, at->en[0] ? at->en : "the form",
                                key);
        }
        pf_at_t in;
        pf_at_key(&in, at, f);
        cy_status_t st = pf_value(f, v, &in, err);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

cy_status_t
pf_check(const pf_field_t *spec, json_t *obj, const char *base, cy_error_t *err)
{
    pf_at_t at = {.zh = "", .en = ""};
    snprintf(at.path, sizeof at.path, "%s", base);
    if (base[0])
        pf_words(spec, base, at.zh, sizeof at.zh, at.en, sizeof at.en);
    return pf_check_at(spec, obj, &at, err);
}

const pf_field_t *
pf_words(const pf_field_t *spec, const char *path, char *zh, size_t zh_cap, char *en, size_t en_cap)
{
    pf_at_t at = {.path = "", .zh = "", .en = ""};
    const pf_field_t *f = NULL;
    const char *p = path;
    while (*p) {
        size_t n = strcspn(p, ".[");
        for (f = spec; f != NULL && f->name != NULL; f++)
            if (strlen(f->name) == n && strncmp(f->name, p, n) == 0)
                break;
        if (f == NULL || f->name == NULL)
            return NULL;
        pf_at_t next;
        pf_at_key(&next, &at, f);
        at = next;
        p += n;
        if (*p == '[') {
            size_t i = (size_t)strtoul(p + 1, NULL, 10);
            pf_at_item(&next, &at, i);
            at = next;
            p = strchr(p, ']');
            if (p == NULL)
                return NULL;
            p++;
        }
        if (*p == '.')
            p++;
        spec = f->sub;
    }
    snprintf(zh, zh_cap, "%s", at.zh);
    snprintf(en, en_cap, "%s", at.en);
    return f;
}

/* ---- reading a checked form --------------------------------------------- */

const char *
pf_str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

size_t
pf_zishu(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    size_t n = 0;
    if (json_is_string(v))
        zishu_count(json_string_value(v), json_string_length(v), &n, NULL);
    return n;
}

size_t
pf_len(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_array(v) ? json_array_size(v) : 0;
}

void
pf_drop_nulls(json_t *obj)
{
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(obj, tmp, key, v)
    {
        if (json_is_null(v))
            json_object_del(obj, key);
    }
}

/* s past its leading blanks (spaces, tabs, newlines). */
static const char *
skip_blank(const char *s)
{
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    return s;
}

cy_status_t
pf_require_path(const pf_field_t *spec, json_t *form, const char *path, cy_error_t *err)
{
    char zh[400], en[400], key[64];
    const pf_field_t *f = pf_words(spec, path, zh, sizeof zh, en, sizeof en);
    json_t *v = form;
    for (const char *p = path; f != NULL && *p && v != NULL;) {
        size_t n = strcspn(p, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, p);
        v = json_object_get(v, key);
        p += n + (p[n] == '.');
    }
    int given = json_is_integer(v) || (json_is_string(v) && *skip_blank(json_string_value(v))) ||
                (json_is_array(v) && json_array_size(v) > 0) ||
                (json_is_object(v) && json_object_size(v) > 0);
    if (given)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "missing_field", path, "请填写%s / %s is required",
                        f ? zh : path, f ? en : path);
}

cy_status_t
pf_require(json_t *obj, const char *key, const char *field, const char *label_zh,
           const char *label_en, cy_error_t *err)
{
    if (*skip_blank(pf_str(obj, key)) != '\0')
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "missing_field", field, "请填写%s / %s is required",
                        label_zh, label_en);
}

/* ---- plain inputs ------------------------------------------------------- */

cy_status_t
pilot_text_check(const char *s, const pilot_text_rule_t *rule, cy_error_t *err)
{
    if (s == NULL)
        s = "";
    if (rule->missing != NULL && *skip_blank(s) == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", rule->field, "%s", rule->missing);
    if (strlen(s) > rule->max)
        return cy_error_set(err, CY_EINVAL, "too_long", rule->field, "%s", rule->too_long);
    return CY_OK;
}

const char *
pilot_text_trim(const char *s)
{
    return s == NULL ? "" : skip_blank(s);
}

cy_status_t
pilot_date_check(const char *s, const char *field, const char *label_zh, const char *label_en,
                 int64_t *midnight, cy_error_t *err)
{
    int64_t t = 0;
    if (s == NULL || strlen(s) != 10 || bjtime_parse(s, &t, NULL) != CY_OK)
        return cy_error_set(err, CY_EINVAL, "date_invalid", field,
                            "%s应为有效日期 YYYY-MM-DD / %s must be a valid date YYYY-MM-DD",
                            label_zh, label_en);
    if (midnight != NULL)
        *midnight = t;
    return CY_OK;
}

/* ---- refusals ----------------------------------------------------------- */

cy_status_t
pilot_forbidden(cy_error_t *err, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL, "%s / %s", zh, en);
}

cy_status_t
pilot_need(const actor_t *a, authz_action_t act, cy_error_t *err)
{
    if (authz_allowed(a->org_type, a->role, act))
        return CY_OK;
    return app_forbidden(err, act);
}

int
pilot_sees_all(const actor_t *a)
{
    return a->cli || authz_sees_all(a->org_type);
}
