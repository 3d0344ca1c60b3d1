/*
 * cytest.h — one registration for the unit tests: a test is written once, as
 *
 *     CY_TEST(test_quote_expires_on_the_callers_clock)
 *     {
 *         ...
 *     }
 *
 * and the shared main of tests/unit/cytest.c runs it; there is no list at the
 * end of a file to keep, so a test that is written is a test that runs. The
 * name is the function's name and the name cmocka prints.
 *
 * A file's tests run in the order they are written, as one cmocka group:
 * "tests" with no group setup unless the file says otherwise with CY_GROUP
 * (its name and group setup/teardown) or CY_GROUP_RUN (a runner of its own,
 * such as platform/fixture.h's run_both, which runs the group on SQLite and
 * again on PostgreSQL). A file with a second group names it with
 * CY_GROUP_NAMED and puts its tests there with CY_TEST_IN; it runs after the
 * file's first group. CY_START gives a file a start of its own (a child
 * process mode, settings for every test) before the tests run.
 *
 * Registration is by constructor functions (gcc and clang, with and without
 * the sanitizers); the test binaries are the only users. Depends on cmocka
 * alone.
 */
#ifndef CY_TESTS_UNIT_CYTEST_H
#define CY_TESTS_UNIT_CYTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* How a group runs: the default calls _cmocka_run_group_tests once. Returns the failures. */
typedef int (*cytest_run_fn)(const char *label, const struct CMUnitTest *tests, size_t n);

typedef struct cytest_group {
    const char *label; /* the group name cmocka reports */
    CMFixtureFunction setup;
    CMFixtureFunction teardown;
    cytest_run_fn run; /* NULL: one cmocka group with setup and teardown */
} cytest_group_t;

typedef struct cytest {
    struct CMUnitTest unit;
    const cytest_group_t *group; /* NULL: the file's first group */
    int line;                    /* where it is written: the order it runs in */
    struct cytest *next;
} cytest_t;

/* Called by the constructors the macros below write; the objects are static. */
void cytest_add(cytest_t *t);
void cytest_set_group(const cytest_group_t *g);
void cytest_add_group(const cytest_group_t *g);
/* A file's own start: a status >= 0 ends the program with it; CY_RUN_TESTS runs the tests. */
void cytest_set_start(int (*start)(int argc, char **argv));
#define CY_RUN_TESTS (-1)

#define CY_TEST_(name, group, setup, teardown)                                                     \
    static void name(void **state);                                                                \
    static cytest_t name##_cytest = {{#name, name, setup, teardown, NULL}, group, __LINE__, NULL}; \
    __attribute__((constructor)) static void name##_cytest_add(void)                               \
    {                                                                                              \
        cytest_add(&name##_cytest);                                                                \
    }                                                                                              \
    static void name(void **state)

/* A test of the file's first group. */
#define CY_TEST(name) CY_TEST_(name, NULL, NULL, NULL)
/* A test with a setup and a teardown of its own around it (cmocka_unit_test_setup_teardown). */
#define CY_TEST_FIXTURE(name, setup, teardown) CY_TEST_(name, NULL, setup, teardown)
/* A test of the group CY_GROUP_NAMED(group, ...) declared. */
#define CY_TEST_IN(group, name) CY_TEST_(name, &group, NULL, NULL)

/* Each ends with a declaration, so that a use reads as one: CY_GROUP("doc", setup, teardown); */
#define CY_GROUP_SET_(obj, fn, ...)                                                                \
    static const cytest_group_t obj;                                                               \
    __attribute__((constructor)) static void obj##_set(void)                                       \
    {                                                                                              \
        fn(&obj);                                                                                  \
    }                                                                                              \
    static const cytest_group_t obj = {__VA_ARGS__}

/* The file's first group: its name and its group setup and teardown (NULL for none). */
#define CY_GROUP(label, setup, teardown)                                                           \
    CY_GROUP_SET_(cytest_file_group, cytest_set_group, label, setup, teardown, NULL)
/* The file's first group, run by run(label, tests, n) instead of one cmocka group. */
#define CY_GROUP_RUN(label, run)                                                                   \
    CY_GROUP_SET_(cytest_file_group, cytest_set_group, label, NULL, NULL, run)
/* A further group, run after the first: its tests are written CY_TEST_IN(id, name). */
#define CY_GROUP_NAMED(id, label, setup, teardown)                                                 \
    CY_GROUP_SET_(id, cytest_add_group, label, setup, teardown, NULL)

/* start(argc, argv) runs before the tests: CY_START(start); */
#define CY_START(start)                                                                            \
    __attribute__((constructor)) static void cytest_file_start(void)                               \
    {                                                                                              \
        cytest_set_start(start);                                                                   \
    }                                                                                              \
    static int (*const cytest_file_start_fn)(int, char **) __attribute__((unused)) = start

#endif
