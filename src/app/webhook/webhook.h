/*
 * webhook.h — an organisation's webhooks: subscriptions to kinds of its
 * notifications, each delivered to an http(s) URL as a JSON body signed
 * with the subscriber's secret (HMAC-SHA256, shown to the subscriber once).
 *
 * A delivery is queued with the notification, in the same transaction
 * (webhook_fanout, called by notify_raise), and sent by a background job in
 * the store (app/jobs.h: kind WEBHOOK_JOB_KIND): whichever server's worker
 * claims the job sends it (FOR UPDATE SKIP LOCKED on PostgreSQL), and the
 * delivery names the one job that may send it, so no delivery goes out
 * twice. A failed attempt (no answer, or not 2xx) queues the next one after
 * an exponential backoff (app_config_t webhook_retry_s, doubled each time,
 * at most webhook_retry_max_s) until webhook_attempts attempts, after which
 * the delivery is dead: the dead-letter list the subscriber sees.
 *
 * A receiver must be http or https on a public address: a host that
 * resolves to a loopback, private, link-local or reserved address is
 * refused, when subscribing and again when sending (the address checked is
 * the one connected to), unless the operator allows it
 * (serve --webhook-allow-private). Redirects are not followed; proxies from
 * the environment are not used.
 *
 * Depends on core/, store/, libcurl and OpenSSL; never on http/ or cli/.
 */
#ifndef CY_APP_WEBHOOK_H
#define CY_APP_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"
#include "app/jobs.h"
#include "app/notify/notify.h"

#define WEBHOOK_JOB_KIND    "webhook.deliver"
#define WEBHOOK_MAX_KINDS   32 /* kinds one webhook subscribes to */
#define WEBHOOK_MAX_PER_ORG 20
#define WEBHOOK_MAX_URL     1000

/* A subscription as its organisation sees it. */
typedef struct {
    int64_t id, org_id, created_by;
    char url[WEBHOOK_MAX_URL + 1];
    char kinds[WEBHOOK_MAX_KINDS][48];
    size_t n_kinds;
    char created_at[32];
    char secret[64]; /* only when just created ("whsec_…"); "" otherwise */
} webhook_t;

/* What a subscriber asks for. */
typedef struct {
    const char *url;
    const char *const *kinds; /* codes of data/platform.json notification_kinds */
    size_t n_kinds;
} webhook_in_t;

/*
 * webhook_create subscribes the caller's organisation (ACT_WEBHOOK_MANAGE)
 * at now; out->secret holds the signing secret, which is never shown again.
 * Refusals name the field: url (not http(s), no host, too long, a host that
 * does not resolve or resolves to a non-public address), kinds (empty,
 * unknown, repeated), and more than WEBHOOK_MAX_PER_ORG webhooks (409).
 */
cy_status_t webhook_create(app_t *app, const actor_t *actor, int64_t now, const webhook_in_t *in,
                           webhook_t *out, cy_error_t *err);

typedef void (*webhook_fn)(const webhook_t *w, void *arg);

/* The organisation's webhooks, newest first (ACT_WEBHOOK_MANAGE). */
cy_status_t webhook_list(app_t *app, const actor_t *actor, const app_page_t *page, webhook_fn fn,
                         void *arg, int64_t *next, cy_error_t *err);
cy_status_t webhook_get(app_t *app, const actor_t *actor, int64_t id, webhook_t *out,
                        cy_error_t *err);

/* webhook_delete ends a subscription at now; its pending deliveries are cancelled. */
cy_status_t webhook_delete(app_t *app, const actor_t *actor, int64_t now, int64_t id,
                           cy_error_t *err);

/* One attempt of a delivery. */
typedef struct {
    int n;
    char at[32];
    int http_status; /* 0: no answer */
    char error[640]; /* "" when it succeeded */
    int64_t ms;
} webhook_attempt_t;

/* A delivery as its subscriber sees it (the dead-letter list: status "dead"). */
typedef struct {
    int64_t id, webhook_id, notification_id;
    char kind[48];
    char status[12]; /* pending, delivered, dead, cancelled */
    int attempts;
    char next_attempt_at[32], delivered_at[32], created_at[32]; /* "" when none */
    webhook_attempt_t tries[50];
    int n_tries;
} webhook_delivery_t;

typedef struct {
    const char *status; /* only this status, or NULL */
    app_page_t page;    /* newest first */
} webhook_delivery_filter_t;

typedef void (*webhook_delivery_fn)(const webhook_delivery_t *d, void *arg);

/* The deliveries of one of the organisation's webhooks, with their attempts. */
cy_status_t webhook_deliveries(app_t *app, const actor_t *actor, int64_t webhook_id,
                               const webhook_delivery_filter_t *f, webhook_delivery_fn fn,
                               void *arg, int64_t *next, cy_error_t *err);

/*
 * webhook_fanout queues, inside c, a delivery of notification n to each live
 * webhook of n's organisation subscribed to its kind, each with its job due
 * at now. notify_raise calls it; nobody else needs to.
 */
cy_status_t webhook_fanout(store_conn_t *c, int64_t now, const notification_t *n, cy_error_t *err);

/*
 * The runner of WEBHOOK_JOB_KIND jobs (cli/serve.c's JOB_KINDS): one attempt
 * of one delivery at the job's now, then delivered, dead, or the next
 * attempt queued.
 */
cy_status_t webhook_job(app_t *app, const job_t *job, char **result,
                        void (*progress)(void *ctx, int permille), void *ctx, cy_error_t *err);

/*
 * webhook_sign writes the X-Cyberins-Signature value: "sha256=" and the hex
 * HMAC-SHA256, keyed by secret, of "TIMESTAMP.BODY" (the decimal
 * X-Cyberins-Timestamp, a dot, the body's bytes). out needs 72 bytes.
 */
void webhook_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                  char out[72]);

#endif
