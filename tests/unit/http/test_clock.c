/*
 * test_clock.c — the receipt time of a request (http/clock.c): the server's
 * clock, or X-Test-Now only when the server runs with --test-clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "cytest.h"

#include "core/bjtime.h"
#include "http/http.h"

static int64_t
at(const char *bj)
{
    int64_t t = 0;
    cy_error_t err;
    assert_int_equal(bjtime_parse(bj, &t, &err), CY_OK);
    return t;
}

CY_TEST(test_test_clock_is_honoured_only_when_enabled)
{
    (void)state;
    const int64_t clock = 1800000000; /* the server's clock in this test */
    int64_t now = 0;
    cy_error_t err;
    /* off: the header is ignored, even a malformed one */
    assert_int_equal(http_clock_now(0, "2024-01-20 10:00", clock, &now, &err), CY_OK);
    assert_true(now == clock);
    assert_int_equal(http_clock_now(0, "not a time", clock, &now, &err), CY_OK);
    assert_true(now == clock);
    /* on: the header states the receipt time (Beijing time) */
    assert_int_equal(http_clock_now(1, "2024-01-20 10:00", clock, &now, &err), CY_OK);
    assert_true(now == at("2024-01-20 10:00"));
    assert_true(now == 1705716000); /* 2024-01-20T02:00:00Z */
    assert_int_equal(http_clock_now(1, NULL, clock, &now, &err), CY_OK);
    assert_true(now == clock);
    assert_int_equal(http_clock_now(1, "2024-13-01", clock, &now, &err), CY_EINVAL);
    assert_string_equal(err.field, "X-Test-Now");
    assert_true(now == clock);
}
