/*
 * data/platform.c — reading DATA/platform.json (data/platform.h). May use
 * stdio and jansson; never store/, app/, http/ or cli/.
 */
#include "data/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/jsonfile.h"

const platform_named_t *
platform_named_find(const platform_named_t *list, size_t n, const char *code)
{
    for (size_t i = 0; code != NULL && i < n; i++)
        if (strcmp(list[i].code, code) == 0)
            return &list[i];
    return NULL;
}

/* A media type as the allow-list keeps it: type/subtype, lower case, no parameters. */
static int
media_type_ok(const char *s)
{
    const char *slash = strchr(s, '/');
    if (slash == NULL || slash == s || slash[1] == '\0' || strchr(slash + 1, '/') != NULL)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("/.+-", *p)))
            return 0;
    return 1;
}

static cy_status_t
read_media_types(const jsonfile_t *jf, platform_data_t *pd)
{
    json_t *a = json_object_get(jf->root, "file_media_types");
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > PLATFORM_MAX_MEDIA)
        return jsonfile_fail(jf, "file_media_types",
                             "应为 1–%d 个媒体类型的数组 / must be an array of 1 to %d media types",
                             PLATFORM_MAX_MEDIA, PLATFORM_MAX_MEDIA);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        const char *s = json_string_value(v);
        if (s == NULL || strlen(s) >= sizeof pd->media_types[0] || !media_type_ok(s))
            return jsonfile_fail(jf, "file_media_types",
                                 "第 %zu 项应为小写的 type/subtype / item %zu must be a lower-case "
                                 "type/subtype",
                                 i + 1, i + 1);
        snprintf(pd->media_types[i], sizeof pd->media_types[i], "%s", s);
    }
    pd->n_media_types = i;
    return CY_OK;
}

/* obj[key]: an array of {code, name_zh, name_en} with unique codes, at most max. */
static cy_status_t
read_named(const jsonfile_t *jf, const char *key, platform_named_t *out, size_t max, size_t *n)
{
    json_t *a = json_object_get(jf->root, key);
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > max)
        return jsonfile_fail(jf, key, "应为 1–%zu 项的数组 / must be an array of 1 to %zu entries",
                             max, max);
    static const char *const keys[] = {"code", "name_zh", "name_en", NULL};
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        char base[64];
        snprintf(base, sizeof base, "%s[%zu]", key, i);
        platform_named_t *e = &out[i];
        cy_status_t st = json_is_object(v)
                             ? jsonfile_keys(jf, v, base, keys)
                             : jsonfile_fail(jf, base, "应为对象 / must be an object");
        if (st == CY_OK)
            st = jsonfile_string(jf, v, base, "code", 1, e->code, sizeof e->code);
        if (st == CY_OK)
            st = jsonfile_string(jf, v, base, "name_zh", 1, e->name_zh, sizeof e->name_zh);
        if (st == CY_OK)
            st = jsonfile_string(jf, v, base, "name_en", 1, e->name_en, sizeof e->name_en);
        if (st == CY_OK && platform_named_find(out, i, e->code) != NULL)
            st = jsonfile_fail(jf, base, "代码 %s 重复 / code %s appears twice", e->code, e->code);
        if (st != CY_OK)
            return st;
    }
    *n = i;
    return CY_OK;
}

cy_status_t
platform_data_load(const char *data_dir, platform_data_t **out, cy_error_t *err)
{
    *out = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/platform.json", data_dir);
    jsonfile_t jf;
    cy_status_t st = jsonfile_load(&jf, path, "platform.json", "platform_data_invalid", err);
    if (st != CY_OK)
        return st;
    platform_data_t *pd = calloc(1, sizeof *pd);
    static const char *const top[] = {
        "source", "version", "note", "file_media_types", "engagement_scopes", "notification_kinds",
        NULL};
    if (pd == NULL)
        st = cy_error_no_memory(err);
    if (st == CY_OK)
        st = jsonfile_keys(&jf, jf.root, "", top);
    if (st == CY_OK)
        st = jsonfile_string(&jf, jf.root, "", "version", 1, pd->version, sizeof pd->version);
    if (st == CY_OK)
        st = read_media_types(&jf, pd);
    if (st == CY_OK)
        st = read_named(&jf, "engagement_scopes", pd->scopes, PLATFORM_MAX_SCOPES, &pd->n_scopes);
    if (st == CY_OK)
        st = read_named(&jf, "notification_kinds", pd->kinds, PLATFORM_MAX_KINDS, &pd->n_kinds);
    jsonfile_free(&jf);
    if (st != CY_OK) {
        free(pd);
        return st;
    }
    *out = pd;
    return CY_OK;
}

void
platform_data_free(platform_data_t *pd)
{
    free(pd);
}
