/*
 * form.c — what the pilot takes from a caller, checked: pf_check, the one
 * schema checker every form of the pilot goes through (schemes, plans,
 * reports, summaries), the reading of a checked form, the rules of the
 * plain inputs that are not forms (a required text, a date), and the
 * refusals of a caller's role. Pure: jansson and core/ only, no store, no
 * clock.
 */
#include <stdio.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "core/bjtime.h"
#include "core/utf8.h"
#include "core/zishu.h"

/* ---- the form checker --------------------------------------------------- */

static cy_status_t
pf_text(json_t *v, char kind, size_t max, const char *path, cy_error_t *err)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n > max)
        return cy_error_set(err, CY_EINVAL, "too_long", path,
                            "%s 过长（%zu 字节，上限 %zu） / %s is too long (%zu bytes, at most "
                            "%zu)",
                            path, n, max, path, n, max);
    size_t bad;
    if (!utf8_valid(s, n, &bad))
        return cy_error_set(err, CY_EINVAL, "utf8_invalid", path,
                            "%s 在第 %zu 字节处不是有效的 UTF-8 / %s is not valid UTF-8 at byte "
                            "%zu",
                            path, bad, path, bad);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        int allowed = kind == 'l' && (ch == '\n' || ch == '\r' || ch == '\t');
        if ((ch < 0x20 && !allowed) || ch == 0x7f)
            return cy_error_set(err, CY_EINVAL, "control_char", path,
                                "%s 含有控制字符 / %s contains a control character", path, path);
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
        *zh = "字符串", *en = "a string";
        return json_is_string(v);
    case 'i':
        *zh = "整数", *en = "an integer";
        return json_is_integer(v);
    case 'b':
        *zh = "布尔值", *en = "a boolean";
        return json_is_boolean(v);
    case 'o':
        *zh = "对象", *en = "an object";
        return json_is_object(v);
    default:
        *zh = "数组", *en = "an array";
        return json_is_array(v);
    }
}

/* An array of objects of f->sub ('a') or of one-line texts ('t'). */
static cy_status_t
pf_items(const pf_field_t *f, json_t *v, const char *path, cy_error_t *err)
{
    if (json_array_size(v) > f->max)
        return cy_error_set(err, CY_EINVAL, "too_many_items", path,
                            "%s 最多 %zu 项（当前 %zu 项） / %s holds at most %zu items (%zu "
                            "given)",
                            path, f->max, json_array_size(v), path, f->max, json_array_size(v));
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        char ipath[360];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        cy_status_t st;
        if (f->kind == 'a' && !json_is_object(item))
            return cy_error_set(err, CY_EBADREQ, "wrong_type", ipath,
                                "%s 应为对象 / %s must be an object", ipath, ipath);
        if (f->kind == 't' && !json_is_string(item))
            return cy_error_set(err, CY_EBADREQ, "wrong_type", ipath,
                                "%s 应为字符串 / %s must be a string", ipath, ipath);
        st = f->kind == 'a' ? pf_check(f->sub, item, ipath, err)
                            : pf_text(item, 's', 400, ipath, err);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

static cy_status_t
pf_value(const pf_field_t *f, json_t *v, const char *path, cy_error_t *err)
{
    const char *zh, *en;
    if (json_is_null(v))
        return CY_OK;
    if (!pf_kind_is(f->kind, v, &zh, &en))
        return cy_error_set(err, CY_EBADREQ, "wrong_type", path, "%s 应为%s / %s must be %s", path,
                            zh, path, en);
    switch (f->kind) {
    case 's':
    case 'l':
        return pf_text(v, f->kind, f->max, path, err);
    case 'o':
        return pf_check(f->sub, v, path, err);
    case 'a':
    case 't':
        return pf_items(f, v, path, err);
    default:
        return CY_OK;
    }
}

cy_status_t
pf_check(const pf_field_t *spec, json_t *obj, const char *base, cy_error_t *err)
{
    const char *whole = base[0] ? base : "body";
    if (!json_is_object(obj))
        return cy_error_set(err, CY_EBADREQ, "wrong_type", whole,
                            "%s 应为对象 / %s must be an object", whole, whole);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        char path[320];
        if (base[0])
            snprintf(path, sizeof path, "%s.%s", base, key);
        else
            snprintf(path, sizeof path, "%s", key);
        const pf_field_t *f = spec;
        while (f->name != NULL && strcmp(f->name, key) != 0)
            f++;
        if (f->name == NULL)
            return cy_error_set(err, CY_EBADREQ, "unknown_field", path,
                                "未知字段 %s / unknown field %s", path, path);
        cy_status_t st = pf_value(f, v, path, err);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
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
