/*
 * test_loaders.c — the data loaders of src/data/ on the inputs the fuzzers
 * of tests/fuzz found them mishandling, each kept as a regression test:
 * what the loader must answer, and that a refusal keeps nothing allocated
 * (the leak itself shows under asan/unit). Depends on cmocka and data/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cytest.h"

#include "core/utf8.h"
#include "data/claims.h"
#include "data/jsonfile.h"
#include "data/uw.h"

/* Writes text to a new temporary file; returns its path (static). */
static const char *
temp_write(const char *text, size_t n)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/cy-loaders-XXXXXX.json");
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

/* fuzz/questionnaire_file: a syntax error left the file's text allocated. */
CY_TEST(test_jsonfile_syntax_error_keeps_nothing)
{
    (void)state;
    const char *path = temp_write("{\"source\": \"x\",\n \"version\": ", 27);
    jsonfile_t jf;
    cy_error_t err;
    assert_int_equal(jsonfile_load(&jf, path, "broken.json", "broken_invalid", &err), CY_EINVAL);
    unlink(path);
    assert_null(jf.text);
    assert_null(jf.root);
    assert_string_equal(err.code, "broken_invalid");
    assert_non_null(strstr(err.message, "broken.json 第 2 行"));
    jsonfile_free(&jf); /* still allowed after a refusal */
}

CY_TEST(test_questionnaire_syntax_error_refused_without_leak)
{
    (void)state;
    const char *path = temp_write("{\"source\": [", 12);
    static qn_t qn;
    cy_error_t err;
    assert_int_equal(uw_questionnaire_load(path, "questionnaire.json", &qn, &err), CY_EINVAL);
    unlink(path);
    assert_string_equal(err.code, "questionnaire_invalid");
    assert_non_null(strstr(err.message, "JSON syntax error"));
}

/*
 * A claims data folder: data/'s exclusions.json beside a rules.json whose
 * evidence_media_types is media (JSON text); the folder's path (static).
 */
static const char *
claims_dir(const char *media)
{
    static char dir[64];
    char path[128], cmd[512];
    snprintf(dir, sizeof dir, "/tmp/cy-claims-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "mkdir -p %s/claims && cp %s/data/claims/exclusions.json %s/claims/",
             dir, CY_SOURCE_DIR, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/claims/rules.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "{\"source\": \"t\", \"version\": \"1\", \"notice_hours\": 72,\n"
            " \"non_panel_hourly_rate_cny\": 800,\n"
            " \"incident_types\": [{\"code\": \"other\", \"name_zh\": \"其他\", "
            "\"name_en\": \"other\", \"perils\": \"all\"}],\n"
            " \"services\": [{\"code\": \"response\", \"name_zh\": \"应急处置\", "
            "\"name_en\": \"response\"}],\n"
            " \"evidence_media_types\": %s}\n",
            media);
    fclose(f);
    return dir;
}

static void
claims_dir_remove(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* evidence_media_types: the list blob_rules_t takes, NULL-ended; a bad entry named by line. */
CY_TEST(test_claims_evidence_media_types)
{
    (void)state;
    claims_data_t *d = NULL;
    cy_error_t err;
    const char *dir = claims_dir("[\"application/pdf\", \"image/png\"]");
    assert_int_equal(claims_data_load(dir, &d, &err), CY_OK);
    claims_dir_remove(dir);
    assert_int_equal(d->n_media, 2);
    assert_string_equal(d->evidence_types[0], "application/pdf");
    assert_string_equal(d->evidence_types[1], "image/png");
    assert_null(d->evidence_types[2]);
    claims_data_free(d);
    const char *bad[] = {"[\"Application/PDF\"]", "[\"pdf\"]", "[\"image/png\", \"image/png\"]",
                         "[]", "\"image/png\""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        d = NULL;
        dir = claims_dir(bad[i]);
        assert_int_equal(claims_data_load(dir, &d, &err), CY_EINVAL);
        claims_dir_remove(dir);
        assert_null(d);
        assert_non_null(strstr(err.message, "claims/rules.json 第 5 行"));
        assert_non_null(strstr(err.message, "evidence_media_types"));
    }
}

/* A loaded jsonfile_t of text (the file removed again). */
static void
jsonfile_of(jsonfile_t *jf, const char *text, cy_error_t *err)
{
    const char *path = temp_write(text, strlen(text));
    assert_int_equal(jsonfile_load(jf, path, "t.json", "t_invalid", err), CY_OK);
    unlink(path);
}

/* jsonfile_array: the size rule worded with what the list holds, at the key's line. */
CY_TEST(test_jsonfile_array_refusals_name_the_list)
{
    (void)state;
    jsonfile_t jf;
    cy_error_t err;
    jsonfile_of(&jf, "{\"a\": [1, 2, 3],\n \"o\": {\"b\": []}}", &err);
    json_t *arr = NULL;
    assert_int_equal(jsonfile_array(&jf, jf.root, "", "a", 1, 3, "项", "", &arr), CY_OK);
    assert_int_equal(json_array_size(arr), 3);
    assert_int_equal(jsonfile_array(&jf, jf.root, "", "a", 1, 2, "个部分", "sections", &arr),
                     CY_EINVAL);
    assert_string_equal(err.code, "t_invalid");
    assert_string_equal(err.field, "a");
    assert_string_equal(err.message, "t.json 第 1 行 a：应为 1 到 2 个部分的数组 / t.json line 1, "
                                     "a: must be an array of 1 to 2 sections");
    assert_int_equal(jsonfile_array(&jf, jf.root, "o", "b", 1, 5, "项", "", &arr), CY_EINVAL);
    assert_string_equal(err.message,
                        "t.json 第 2 行 o.b：应为 1 到 5 项的数组 / t.json line 2, o.b: must be "
                        "an array of 1 to 5");
    assert_int_equal(jsonfile_array(&jf, jf.root, "", "o", 0, 4, "条规则", "rules", &arr),
                     CY_EINVAL);
    assert_string_equal(err.message, "t.json 第 2 行 o：应为至多 4 条规则的数组 / t.json line 2, "
                                     "o: must be an array of at most 4 rules");
    assert_int_equal(jsonfile_array(&jf, jf.root, "", "missing", 0, 4, "项", "", &arr), CY_EINVAL);
    assert_string_equal(err.message, "t.json missing：应为至多 4 项的数组 / t.json missing: must "
                                     "be an array of at most 4");
    char b[32];
    assert_non_null(jsonfile_item(json_object_get(jf.root, "a"), "a", 2, b, sizeof b));
    assert_string_equal(b, "a[2]");
    assert_null(jsonfile_item(json_object_get(jf.root, "a"), "a", 3, b, sizeof b));
    jsonfile_free(&jf);
}

/* jsonfile_head and jsonfile_names: each refusal names the key that is wrong. */
CY_TEST(test_jsonfile_head_and_names_name_the_key)
{
    (void)state;
    static const char *const keys[] = {"source", "version", "e", NULL};
    jsonfile_t jf;
    cy_error_t err;
    char source[16], version[4], code[8], zh[8], en[8];
    jsonfile_of(&jf,
                "{\"source\": \"s\", \"version\": \"12345\",\n"
                " \"e\": {\"code\": \"c\", \"name_zh\": \"中\", \"name_en\": 7}}",
                &err);
    assert_int_equal(jsonfile_head(&jf, keys, source, sizeof source, version, sizeof version),
                     CY_EINVAL);
    assert_string_equal(err.field, "version");
    assert_string_equal(err.message, "t.json 第 1 行 version：长度 5 字节，超过上限 3 / t.json "
                                     "line 1, version: is 5 bytes, longer than 3");
    json_t *e = json_object_get(jf.root, "e");
    assert_int_equal(jsonfile_names(&jf, e, "e", code, sizeof code, zh, sizeof zh, en, sizeof en),
                     CY_EINVAL);
    assert_string_equal(code, "c");
    assert_string_equal(zh, "中");
    assert_string_equal(err.message, "t.json 第 2 行 e.name_en：应为字符串 / t.json line 2, "
                                     "e.name_en: must be a string");
    static const char *const fewer[] = {"source", "version", NULL};
    assert_int_equal(jsonfile_head(&jf, fewer, source, sizeof source, version, sizeof version),
                     CY_EINVAL);
    assert_string_equal(err.field, "e");
    jsonfile_free(&jf);
}

/* data_code_find: the entry whose code matches, or NULL (for a NULL code too). */
CY_TEST(test_data_code_find)
{
    (void)state;
    static const struct {
        char code[8];
        int n;
    } t[] = {{"a", 1}, {"bb", 2}, {"c", 3}};
    const char *hit = data_code_find(t, 3, sizeof t[0], "bb");
    assert_ptr_equal(hit, t[1].code);
    assert_null(data_code_find(t, 3, sizeof t[0], "b"));
    assert_null(data_code_find(t, 2, sizeof t[0], "c")); /* only the first n */
    assert_null(data_code_find(t, 3, sizeof t[0], NULL));
}
