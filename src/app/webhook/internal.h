/*
 * internal.h — what the files of app/webhook/ share and nobody else sees.
 */
#ifndef CY_APP_WEBHOOK_INTERNAL_H
#define CY_APP_WEBHOOK_INTERNAL_H

#include "app/webhook/webhook.h"

/*
 * webhook_url_check refuses (CY_EINVAL, field "url", in words) a URL that
 * is not http(s) with a host, or whose host does not resolve or resolves to
 * an address that is not public unless allow_private. When pin is not NULL
 * it receives the CURLOPT_RESOLVE entry "HOST:PORT:ADDR,…" of the addresses
 * checked ("" for a literal address), so the request connects to them and
 * to nothing a second lookup might answer.
 */
cy_status_t webhook_url_check(const char *url, int allow_private, char *pin, size_t pin_cap,
                              cy_error_t *err);

/* What one attempt found. */
typedef struct {
    int http_status; /* 0: no answer */
    int64_t ms;
    char error[640]; /* "" when delivered (2xx) */
} webhook_result_t;

/* A delivery to send. */
typedef struct {
    int64_t id;
    const char *url, *secret, *kind, *body;
    int64_t timestamp; /* X-Cyberins-Timestamp, UTC seconds */
} webhook_send_t;

/* webhook_send makes one attempt (libcurl) under the app's webhook settings. */
void webhook_send(const app_t *app, const webhook_send_t *s, webhook_result_t *out);

#endif
