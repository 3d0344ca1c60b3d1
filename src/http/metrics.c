/*
 * metrics.c — per-process request counters for GET /metrics (Prometheus
 * text format). Lock-free: C11 atomics. Never includes sqlite3 or libpq.
 */
#include <stdatomic.h>
#include <stdio.h>

#include "http/http.h"

static atomic_ullong by_class[6]; /* 1xx..5xx by status / 100 */
static atomic_ullong micros_sum;

void
http_metrics_count(int status, double seconds)
{
    int c = status / 100;
    if (c < 1 || c > 5)
        c = 0;
    atomic_fetch_add_explicit(&by_class[c], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&micros_sum, (unsigned long long)(seconds * 1e6),
                              memory_order_relaxed);
}

size_t
http_metrics_render(char *buf, size_t cap, int db_up)
{
    unsigned long long total = 0;
    for (int i = 0; i < 6; i++)
        total += atomic_load(&by_class[i]);
    int n =
        snprintf(buf, cap,
                 "# HELP cyberins_http_requests_total HTTP requests answered, by status class.\n"
                 "# TYPE cyberins_http_requests_total counter\n"
                 "cyberins_http_requests_total{code=\"2xx\"} %llu\n"
                 "cyberins_http_requests_total{code=\"3xx\"} %llu\n"
                 "cyberins_http_requests_total{code=\"4xx\"} %llu\n"
                 "cyberins_http_requests_total{code=\"5xx\"} %llu\n"
                 "# HELP cyberins_http_request_seconds_sum Time spent answering requests.\n"
                 "# TYPE cyberins_http_request_seconds_sum counter\n"
                 "cyberins_http_request_seconds_sum %.6f\n"
                 "# HELP cyberins_http_request_seconds_count Requests timed.\n"
                 "# TYPE cyberins_http_request_seconds_count counter\n"
                 "cyberins_http_request_seconds_count %llu\n"
                 "# HELP cyberins_db_up Whether the database answered the last check.\n"
                 "# TYPE cyberins_db_up gauge\n"
                 "cyberins_db_up %d\n",
                 atomic_load(&by_class[2]), atomic_load(&by_class[3]), atomic_load(&by_class[4]),
                 atomic_load(&by_class[5]), (double)atomic_load(&micros_sum) / 1e6, total, db_up);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}
