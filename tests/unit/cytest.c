/*
 * cytest.c — the one main of every unit test binary: it runs the tests the
 * file registered with CY_TEST (cytest.h), group by group, in the order they
 * are written, through cmocka, and exits with the number of failures as a
 * cmocka_run_group_tests main does. Depends on cmocka alone.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cytest.h"

/* Filled by the constructors of the one test file linked beside this one, before main. */
static cytest_t *tests;
static size_t test_count;
static const cytest_group_t *file_group;
static const cytest_group_t *more_groups[4];
static size_t more_count;
static int (*file_start)(int argc, char **argv);
static int misuse;

void
cytest_add(cytest_t *t)
{
    t->next = tests;
    tests = t;
    test_count++;
}

void
cytest_set_group(const cytest_group_t *g)
{
    if (file_group != NULL)
        misuse = 1;
    file_group = g;
}

void
cytest_add_group(const cytest_group_t *g)
{
    if (more_count == sizeof more_groups / sizeof more_groups[0])
        misuse = 1;
    else
        more_groups[more_count++] = g;
}

void
cytest_set_start(int (*start)(int argc, char **argv))
{
    if (file_start != NULL)
        misuse = 1;
    file_start = start;
}

/* Run the tests of group g (key: NULL for the file's first) in the order they are written. */
static int
run_group(const cytest_group_t *g, const cytest_group_t *key, const cytest_t **order,
          struct CMUnitTest *units)
{
    size_t n = 0;
    for (const cytest_t *t = tests; t != NULL; t = t->next) {
        if (t->group != key)
            continue;
        size_t i = n++; /* insertion by line: a few dozen tests a file at most */
        for (; i > 0 && order[i - 1]->line > t->line; i--)
            order[i] = order[i - 1];
        order[i] = t;
    }
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        units[i] = order[i]->unit;
    if (g->run != NULL)
        return g->run(g->label, units, n);
    return _cmocka_run_group_tests(g->label, units, n, g->setup, g->teardown);
}

int
main(int argc, char **argv)
{
    static const cytest_group_t plain = {"tests", NULL, NULL, NULL};
    if (misuse) {
        fprintf(stderr, "cytest: a file sets CY_GROUP or CY_START twice, or has over %zu groups\n",
                sizeof more_groups / sizeof more_groups[0] + 1);
        return 1;
    }
    if (file_start != NULL) {
        int rc = file_start(argc, argv);
        if (rc != CY_RUN_TESTS)
            return rc;
    }
    const cytest_t **order = calloc(test_count + 1, sizeof *order);
    struct CMUnitTest *units = calloc(test_count + 1, sizeof *units);
    if (order == NULL || units == NULL) {
        perror("cytest");
        return 1;
    }
    int failed = run_group(file_group != NULL ? file_group : &plain, NULL, order, units);
    for (size_t i = 0; i < more_count; i++)
        failed += run_group(more_groups[i], more_groups[i], order, units);
    free(order);
    free(units);
    return failed;
}
