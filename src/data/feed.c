/*
 * data/feed.c — STIX 2.1 bundles and KEV catalogues read strictly into
 * signals (data/feed.h). May use jansson; never store/, app/, http/ or cli/.
 */
#include "data/feed.h"

#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

static cy_status_t
bad(cy_error_t *err, const char *field, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EINVAL, "feed_invalid", field, "%s：%s / %s: %s", field, zh, field,
                        en);
}

static int
digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int
feed_vuln_id_ok(const char *s)
{
    const char *p;
    size_t year;
    if (strncmp(s, "CVE-", 4) == 0)
        p = s + 4, year = 4;
    else if (strncmp(s, "CNVD-", 5) == 0)
        p = s + 5, year = 4;
    else if (strncmp(s, "CNNVD-", 6) == 0)
        p = s + 6, year = 6;
    else
        return 0;
    if (strlen(p) < year + 2 || !digits(p, year) || p[year] != '-')
        return 0;
    const char *n = p + year + 1;
    size_t k = strlen(n);
    return k >= 4 && k <= 12 && digits(n, k);
}

/* "TYPE--xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (of type when type is not NULL). */
static int
stix_id_ok(const char *s, const char *type)
{
    const char *dd = s ? strstr(s, "--") : NULL;
    if (dd == NULL || dd == s ||
        (type && ((size_t)(dd - s) != strlen(type) || strncmp(s, type, strlen(type)) != 0)))
        return 0;
    const char *u = dd + 2;
    if (strlen(u) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? u[i] != '-' : !isxdigit((unsigned char)u[i]))
            return 0;
    }
    return 1;
}

/* RFC 3339 as STIX writes it: YYYY-MM-DDTHH:MM:SS[.s+]Z */
static int
stix_time_ok(const char *s)
{
    if (s == NULL || strlen(s) < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
        s[7] != '-' || !digits(s + 8, 2) || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' ||
        !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
        return 0;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return 0;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return p[0] == 'Z' && p[1] == '\0';
}

static cy_status_t
parse_root(const char *text, size_t len, json_t **root, cy_error_t *err)
{
    json_error_t je;
    *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (*root == NULL)
        return cy_error_set(
            err, CY_EBADREQ, "body_invalid", "body",
            "第 %d 行第 %d 列不是有效的 JSON / line %d, column %d is not valid JSON", je.line,
            je.column, je.line, je.column);
    if (!json_is_object(*root)) {
        json_decref(*root);
        return cy_error_set(err, CY_EINVAL, "feed_invalid", "body",
                            "应为 JSON 对象 / must be a JSON object");
    }
    return CY_OK;
}

/* obj[key] as a string (required or not) of 1..cap-1 bytes into out (may be NULL). */
static cy_status_t
text_of(json_t *obj, const char *base, const char *key, int required, char *out, size_t cap,
        cy_error_t *err)
{
    char field[96];
    snprintf(field, sizeof field, "%s.%s", base, key);
    json_t *v = json_object_get(obj, key);
    if (v == NULL && !required)
        return CY_OK;
    const char *s = json_string_value(v);
    if (s == NULL || *s == '\0')
        return bad(err, field, "应为非空字符串", "must be a non-empty string");
    if (out != NULL) {
        if (strlen(s) >= cap)
            return bad(err, field, "过长", "is too long");
        snprintf(out, cap, "%s", s);
    }
    return CY_OK;
}

static cy_status_t
grow(feed_t *f, size_t max, const char *field, cy_error_t *err)
{
    if (f->n >= max)
        return cy_error_set(err, CY_EINVAL, "batch_too_large", field,
                            "一次最多导入 %zu 条信号 / at most %zu signals at a time", max, max);
    feed_signal_t *p = realloc(f->items, (f->n + 1) * sizeof *p);
    if (p == NULL)
        return cy_error_no_memory(err);
    f->items = p;
    memset(&p[f->n], 0, sizeof p[f->n]);
    f->n++;
    return CY_OK;
}

static void
add_vendor(feed_signal_t *s, const char *code)
{
    for (size_t i = 0; i < s->n_vendors; i++)
        if (strcmp(s->vendors[i], code) == 0)
            return;
    if (s->n_vendors < MON_MAX_MATCH)
        snprintf(s->vendors[s->n_vendors++], sizeof s->vendors[0], "%s", code);
}

/* ---- STIX 2.1 ------------------------------------------------------------------------------ */

/* The common properties: id of its type, spec_version 2.1, created/modified (not for SCOs). */
static cy_status_t
stix_common(json_t *o, const char *base, const char *type, int sco, cy_error_t *err)
{
    char field[96];
    snprintf(field, sizeof field, "%s.id", base);
    if (!stix_id_ok(json_string_value(json_object_get(o, "id")), type))
        return bad(err, field, "应为“类型--UUID”", "must be \"type--UUID\"");
    if (sco)
        return CY_OK;
    snprintf(field, sizeof field, "%s.spec_version", base);
    const char *sv = json_string_value(json_object_get(o, "spec_version"));
    if (sv == NULL || strcmp(sv, "2.1") != 0)
        return bad(err, field, "应为 \"2.1\"", "must be \"2.1\"");
    static const char *const times[] = {"created", "modified"};
    for (int i = 0; i < 2; i++) {
        snprintf(field, sizeof field, "%s.%s", base, times[i]);
        if (!stix_time_ok(json_string_value(json_object_get(o, times[i]))))
            return bad(err, field, "应为 RFC 3339 UTC 时间", "must be an RFC 3339 UTC time");
    }
    return CY_OK;
}

static cy_status_t
stix_ref(json_t *o, const char *base, const char *key, cy_error_t *err)
{
    char field[96];
    snprintf(field, sizeof field, "%s.%s", base, key);
    return stix_id_ok(json_string_value(json_object_get(o, key)), NULL)
               ? CY_OK
               : bad(err, field, "应为 STIX 标识", "must be a STIX identifier");
}

/* The identifier of a vulnerability's external references (cve, cnvd, cnnvd). */
static cy_status_t
stix_vuln_id(json_t *o, const char *base, feed_signal_t *s, cy_error_t *err)
{
    json_t *refs = json_object_get(o, "external_references");
    char field[128];
    snprintf(field, sizeof field, "%s.external_references", base);
    if (refs == NULL)
        return CY_OK;
    if (!json_is_array(refs))
        return bad(err, field, "应为数组", "must be an array");
    for (size_t i = 0; i < json_array_size(refs); i++) {
        json_t *r = json_array_get(refs, i);
        snprintf(field, sizeof field, "%s.external_references[%zu]", base, i);
        const char *src = json_string_value(json_object_get(r, "source_name"));
        if (!json_is_object(r) || src == NULL)
            return bad(err, field, "应有 source_name", "must have a source_name");
        if (strcasecmp(src, "cve") && strcasecmp(src, "cnvd") && strcasecmp(src, "cnnvd"))
            continue;
        const char *id = json_string_value(json_object_get(r, "external_id"));
        if (id == NULL || !feed_vuln_id_ok(id))
            return bad(err, field, "external_id 应为 CVE、CNVD 或 CNNVD 编号",
                       "external_id must be a CVE, CNVD or CNNVD identifier");
        if (s->cve[0] == '\0')
            snprintf(s->cve, sizeof s->cve, "%s", id);
    }
    return CY_OK;
}

static cy_status_t
stix_vulnerability(const monitor_data_t *md, json_t *o, const char *base, feed_signal_t *s,
                   cy_error_t *err)
{
    snprintf(s->source, sizeof s->source, "stix");
    snprintf(s->kind, sizeof s->kind, "vulnerability");
    snprintf(s->source_id, sizeof s->source_id, "%s", json_string_value(json_object_get(o, "id")));
    cy_status_t st = text_of(o, base, "name", 1, s->title, sizeof s->title, err);
    if (st == CY_OK)
        st = stix_vuln_id(o, base, s, err);
    snprintf(s->severity, sizeof s->severity, "%s", md->stix_severity);
    json_t *sev = json_object_get(o, "x_cyberins_severity");
    if (st == CY_OK && sev != NULL) {
        char field[96];
        snprintf(field, sizeof field, "%s.x_cyberins_severity", base);
        const char *c = json_string_value(sev);
        if (monitor_severity_find(md, c) == NULL)
            return bad(err, field, "应为 critical、high、medium 或 low",
                       "must be critical, high, medium or low");
        snprintf(s->severity, sizeof s->severity, "%s", c);
    }
    return st;
}

/* The catalogue codes of a CPE 2.3 name ("cpe:2.3:a:vendor:product:…"). */
static void
cpe_vendors(const monitor_data_t *md, const char *cpe, feed_signal_t *s)
{
    if (cpe == NULL || strncmp(cpe, "cpe:2.3:", 8) != 0 || strlen(cpe) < 11)
        return;
    const char *vp = cpe + 10; /* after "cpe:2.3:X:" */
    for (size_t i = 0; i < md->n_vendors; i++)
        for (size_t k = 0; k < md->vendors[i].n_cpe; k++) {
            const char *pre = md->vendors[i].cpe[k];
            size_t n = strlen(pre);
            /* compared first: a match means vp holds n bytes, so vp[n] may be read */
            if (strncasecmp(vp, pre, n) == 0 &&
                (pre[n - 1] == ':' || vp[n] == ':' || vp[n] == '\0'))
                add_vendor(s, md->vendors[i].code);
        }
}

static cy_status_t
stix_object(json_t *o, const char *base, const char *type, cy_error_t *err)
{
    int sco = strcmp(type, "software") == 0;
    cy_status_t st = stix_common(o, base, type, sco, err);
    if (st != CY_OK)
        return st;
    if (sco)
        return text_of(o, base, "name", 1, NULL, 0, err);
    if (strcmp(type, "indicator") == 0) {
        st = text_of(o, base, "pattern", 1, NULL, 0, err);
        if (st == CY_OK)
            st = text_of(o, base, "pattern_type", 1, NULL, 0, err);
        char field[96];
        snprintf(field, sizeof field, "%s.valid_from", base);
        if (st == CY_OK && !stix_time_ok(json_string_value(json_object_get(o, "valid_from"))))
            st = bad(err, field, "应为 RFC 3339 UTC 时间", "must be an RFC 3339 UTC time");
        return st;
    }
    if (strcmp(type, "sighting") == 0)
        return stix_ref(o, base, "sighting_of_ref", err);
    if (strcmp(type, "relationship") == 0) {
        st = text_of(o, base, "relationship_type", 1, NULL, 0, err);
        if (st == CY_OK)
            st = stix_ref(o, base, "source_ref", err);
        if (st == CY_OK)
            st = stix_ref(o, base, "target_ref", err);
    }
    return st;
}

/*
 * by_id indexes the bundle's objects by id (the first object of an id) in
 * one of jansson's hash tables, whose seed is random per process: matching
 * stays linear in the bundle whatever ids a client sends. NULL: no memory.
 */
static json_t *
by_id(json_t *objs)
{
    json_t *ix = json_object();
    for (size_t i = 0; ix != NULL && i < json_array_size(objs); i++) {
        json_t *o = json_array_get(objs, i);
        const char *id = json_string_value(json_object_get(o, "id"));
        if (id != NULL && json_object_get(ix, id) == NULL &&
            json_object_set_nocheck(ix, id, o) != 0) {
            json_decref(ix);
            ix = NULL;
        }
    }
    return ix;
}

/*
 * Each software "has" vulnerability relationship adds the software's vendors
 * to every signal of the vulnerability's id, relationship by relationship:
 * the signals of one id are chained in order (first[id], then next[k]).
 */
static cy_status_t
stix_match(const monitor_data_t *md, json_t *objs, feed_t *f, cy_error_t *err)
{
    json_t *ix = by_id(objs), *first = json_object();
    size_t *next = malloc((f->n + 1) * sizeof *next);
    int ok = ix != NULL && first != NULL && next != NULL;
    for (size_t k = f->n; ok && k-- > 0;) {
        json_t *h = json_object_get(first, f->items[k].source_id);
        next[k] = h != NULL ? (size_t)json_integer_value(h) : SIZE_MAX;
        ok = json_object_set_new_nocheck(first, f->items[k].source_id,
                                         json_integer((json_int_t)k)) == 0;
    }
    for (size_t i = 0; ok && i < json_array_size(objs); i++) {
        json_t *r = json_array_get(objs, i);
        const char *type = json_string_value(json_object_get(r, "type"));
        const char *rel = json_string_value(json_object_get(r, "relationship_type"));
        if (type == NULL || strcmp(type, "relationship") != 0 || rel == NULL ||
            strcmp(rel, "has") != 0)
            continue;
        const char *src = json_string_value(json_object_get(r, "source_ref"));
        const char *dst = json_string_value(json_object_get(r, "target_ref"));
        json_t *sw = src != NULL ? json_object_get(ix, src) : NULL;
        if (sw == NULL || strncmp(src, "software--", 10) != 0)
            continue;
        json_t *h = dst != NULL ? json_object_get(first, dst) : NULL;
        for (size_t k = h != NULL ? (size_t)json_integer_value(h) : SIZE_MAX; k != SIZE_MAX;
             k = next[k])
            cpe_vendors(md, json_string_value(json_object_get(sw, "cpe")), &f->items[k]);
    }
    json_decref(ix);
    json_decref(first);
    free(next);
    return ok ? CY_OK : cy_error_no_memory(err);
}

static cy_status_t
stix_bundle(const monitor_data_t *md, json_t *root, size_t max, feed_t *f, cy_error_t *err)
{
    const char *type = json_string_value(json_object_get(root, "type"));
    if (type == NULL || strcmp(type, "bundle") != 0)
        return bad(err, "type", "应为 \"bundle\"", "must be \"bundle\"");
    if (!stix_id_ok(json_string_value(json_object_get(root, "id")), "bundle"))
        return bad(err, "id", "应为“bundle--UUID”", "must be \"bundle--UUID\"");
    json_t *objs = json_object_get(root, "objects");
    if (!json_is_array(objs))
        return bad(err, "objects", "应为数组", "must be an array");
    for (size_t i = 0; i < json_array_size(objs); i++) {
        json_t *o = json_array_get(objs, i);
        char base[48];
        snprintf(base, sizeof base, "objects[%zu]", i);
        const char *t = json_string_value(json_object_get(o, "type"));
        if (!json_is_object(o) || t == NULL || *t == '\0')
            return bad(err, base, "应为有 type 的对象", "must be an object with a type");
        cy_status_t st = stix_object(o, base, t, err);
        if (st == CY_OK && strcmp(t, "vulnerability") == 0 &&
            (st = grow(f, max, "objects", err)) == CY_OK)
            st = stix_vulnerability(md, o, base, &f->items[f->n - 1], err);
        else if (st == CY_OK)
            f->ignored++;
        if (st != CY_OK)
            return st;
    }
    return stix_match(md, objs, f, err);
}

cy_status_t
feed_parse_stix(const monitor_data_t *md, const char *text, size_t len, size_t max, feed_t *out,
                cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    cy_status_t st = parse_root(text, len, &root, err);
    if (st != CY_OK)
        return st;
    st = stix_bundle(md, root, max, out, err);
    json_decref(root);
    if (st != CY_OK)
        feed_free(out);
    return st;
}

/* ---- KEV ----------------------------------------------------------------------------------- */

static int
date_ok(const char *s)
{
    return s != NULL && strlen(s) == 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
           s[7] == '-' && digits(s + 8, 2);
}

static cy_status_t
kev_entry(const monitor_data_t *md, json_t *o, const char *base, feed_signal_t *s, cy_error_t *err)
{
    char vendor[128], product[128], field[96];
    if (!json_is_object(o))
        return bad(err, base, "应为对象", "must be an object");
    cy_status_t st = text_of(o, base, "cveID", 1, s->cve, sizeof s->cve, err);
    snprintf(field, sizeof field, "%s.cveID", base);
    if (st == CY_OK && !feed_vuln_id_ok(s->cve))
        st = bad(err, field, "应为 CVE、CNVD 或 CNNVD 编号",
                 "must be a CVE, CNVD or CNNVD identifier");
    if (st == CY_OK)
        st = text_of(o, base, "vendorProject", 1, vendor, sizeof vendor, err);
    if (st == CY_OK)
        st = text_of(o, base, "product", 1, product, sizeof product, err);
    if (st == CY_OK)
        st = text_of(o, base, "vulnerabilityName", 1, s->title, sizeof s->title, err);
    snprintf(field, sizeof field, "%s.dateAdded", base);
    if (st == CY_OK && !date_ok(json_string_value(json_object_get(o, "dateAdded"))))
        st = bad(err, field, "应为 YYYY-MM-DD", "must be YYYY-MM-DD");
    if (st != CY_OK)
        return st;
    snprintf(s->source, sizeof s->source, "cisa_kev");
    snprintf(s->kind, sizeof s->kind, "kev");
    snprintf(s->source_id, sizeof s->source_id, "%s", s->cve);
    snprintf(s->severity, sizeof s->severity, "%s", md->kev_severity);
    for (size_t i = 0; i < md->n_vendors; i++)
        for (size_t k = 0; k < md->vendors[i].n_kev; k++)
            if (strcasecmp(md->vendors[i].kev_vendor[k], vendor) == 0 &&
                strcasecmp(md->vendors[i].kev_product[k], product) == 0)
                add_vendor(s, md->vendors[i].code);
    return CY_OK;
}

cy_status_t
feed_parse_kev(const monitor_data_t *md, const char *text, size_t len, size_t max, feed_t *out,
               cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    cy_status_t st = parse_root(text, len, &root, err);
    if (st != CY_OK)
        return st;
    json_t *list = json_object_get(root, "vulnerabilities");
    if (!json_is_array(list))
        st = bad(err, "vulnerabilities", "应为数组", "must be an array");
    for (size_t i = 0; st == CY_OK && i < json_array_size(list); i++) {
        char base[48];
        snprintf(base, sizeof base, "vulnerabilities[%zu]", i);
        st = grow(out, max, "vulnerabilities", err);
        if (st == CY_OK)
            st = kev_entry(md, json_array_get(list, i), base, &out->items[out->n - 1], err);
    }
    json_t *seen = st == CY_OK ? json_object() : NULL; /* the ids so far (a seeded hash) */
    if (st == CY_OK && seen == NULL)
        st = cy_error_no_memory(err);
    for (size_t i = 0; st == CY_OK && i < out->n; i++) {
        const char *id = out->items[i].source_id;
        if (json_object_get(seen, id) != NULL) {
            char field[64];
            snprintf(field, sizeof field, "vulnerabilities[%zu].cveID", i);
            st = bad(err, field, "与前面的条目重复", "repeats an earlier entry");
        } else if (json_object_set_new_nocheck(seen, id, json_true()) != 0)
            st = cy_error_no_memory(err);
    }
    json_decref(seen);
    json_decref(root);
    if (st != CY_OK)
        feed_free(out);
    return st;
}

void
feed_free(feed_t *f)
{
    free(f->items);
    f->items = NULL;
    f->n = 0;
}
