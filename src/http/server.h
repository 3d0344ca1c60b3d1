/*
 * server.h — starting and stopping the HTTP server (libmicrohttpd, epoll,
 * a pool of threads). Handlers may block on the database.
 */
#ifndef CY_HTTP_SERVER_H
#define CY_HTTP_SERVER_H

#include <stdint.h>
#include <stdio.h>

#include "app/app.h"
#include "core/error.h"

typedef struct {
    const char *listen;        /* "127.0.0.1:8080"; port 0 picks a free port */
    int threads;               /* worker threads, >= 1 */
    const char *web_root;      /* static files */
    size_t max_body;           /* bytes; larger bodies answer 413 */
    uint64_t max_upload;       /* bytes; larger uploads (HTTP_UPLOAD routes) answer 413 */
    const char *upload_dir;    /* where uploads are streamed to (unlinked at once) */
    FILE *access_log;          /* one JSON line per request; NULL for none */
    const char *trusted_proxy; /* peer whose X-Forwarded-For is believed; NULL: none */
    int secure_cookies;        /* served behind TLS: cookies get Secure */
    int test_clock;            /* X-Test-Now sets a request's receipt time (tests only) */
    unsigned max_connections;  /* open connections at most; 0: 1000 */
    unsigned per_ip;           /* open connections from one address at most; 0: no limit */
    unsigned header_timeout;   /* seconds a connection may take to send its headers, and may
                                  stay idle between requests; 0: 10 */
    unsigned io_timeout;       /* seconds a request's body or answer may stall; 0: 60 */
} http_config_t;

typedef struct http_server http_server_t;

cy_status_t http_server_start(const http_config_t *cfg, app_t *app, http_server_t **out,
                              cy_error_t *err);
/* the port actually bound */
int http_server_port(const http_server_t *srv);
/*
 * http_server_drain stops accepting connections at once (a new one is
 * refused), answers what is still asked on open ones with "Connection:
 * close", and waits until no request is in progress or grace_s seconds have
 * passed; it returns the number of requests still in progress then.
 * http_server_stop afterwards closes what is left.
 */
int http_server_drain(http_server_t *srv, unsigned grace_s);
void http_server_stop(http_server_t *srv);

#endif
