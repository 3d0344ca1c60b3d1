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

#include <cmocka.h>

#include "core/utf8.h"
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
static void
test_jsonfile_syntax_error_keeps_nothing(void **state)
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

static void
test_questionnaire_syntax_error_refused_without_leak(void **state)
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonfile_syntax_error_keeps_nothing),
        cmocka_unit_test(test_questionnaire_syntax_error_refused_without_leak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
