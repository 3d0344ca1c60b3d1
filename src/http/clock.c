/*
 * clock.c — the time a request is received. Below http/ and cli/ nothing
 * reads the clock: every use case takes `now` from here. A server started
 * with `serve --test-clock` (tests only, never in production) lets a request
 * state its receipt time in the X-Test-Now header, so tests can walk a past
 * pilot round or expire a quote without waiting.
 */
#include <stdio.h>
#include <time.h>

#include "core/bjtime.h"
#include "http/http.h"

int64_t
http_clock_read(void)
{
    return (int64_t)time(NULL);
}

cy_status_t
http_clock_now(int test_clock, const char *header, int64_t clock_now, int64_t *now, cy_error_t *err)
{
    *now = clock_now;
    if (header == NULL || !test_clock)
        return CY_OK; /* a production server never lets a client choose its receipt time */
    cy_status_t st = bjtime_parse(header, now, err);
    if (st != CY_OK) {
        if (err != NULL)
            snprintf(err->field, sizeof err->field, "X-Test-Now");
        *now = clock_now;
    }
    return st;
}
