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
