/*
 * test_webhook.c — webhooks (app/webhook/webhook.h) against a real HTTP
 * receiver on 127.0.0.1 (receiver.h): the signature against an independent
 * HMAC and a fixed vector, every refused URL (schemes, loopback, private,
 * link-local, numeric tricks) and kind, subscriptions per organisation, a
 * delivery that fails twice and then succeeds at the backoff's times (no job
 * claimable before its run_after), one dead-lettered after the last attempt,
 * one cancelled by deleting its webhook, and two "servers" (two apps with a
 * worker each on one store) sending every delivery exactly once. On SQLite,
 * and on PostgreSQL (FOR UPDATE SKIP LOCKED) under tests/unit/with-pg.sh.
 */
#include "fixture.h"
#include "receiver.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <time.h>

#include "app/jobs.h"
#include "app/notify/notify.h"
#include "app/webhook/webhook.h"

CY_GROUP_RUN("webhook", run_both);

#define T0 1800000000 /* 2027-01-15T08:00:00Z */

CY_TEST(test_webhook_signature_is_hmac_sha256_of_timestamp_dot_body)
{
    (void)state;
    char sig[72];
    webhook_sign("whsec_test", 1700000000, "{\"a\":1}", 7, sig);
    /* python3: hmac.new(b'whsec_test', b'1700000000.{"a":1}', hashlib.sha256).hexdigest() */
    assert_string_equal(sig,
                        "sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
    const char *body = "{\"kind\":\"engagement.granted\",\"text\":\"理赔\"}";
    char msg[256];
    int n = snprintf(msg, sizeof msg, "%d.%s", T0, body);
    unsigned char mac[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), "k", 1, (const unsigned char *)msg, (size_t)n, mac, &len);
    char want[72] = "sha256=";
    for (unsigned int i = 0; i < len; i++)
        snprintf(want + 7 + 2 * i, 3, "%02x", mac[i]);
    webhook_sign("k", T0, body, strlen(body), sig);
    assert_string_equal(sig, want);
}

static const char *const GRANTED[] = {"engagement.granted"};

static cy_status_t
create(app_t *app, const char *username, const char *url, const char *const *kinds, size_t n,
       webhook_t *w, cy_error_t *err)
{
    actor_t a = who(app, username);
    webhook_in_t in = {url, kinds, n};
    return webhook_create(app, &a, T0, &in, w, err);
}

CY_TEST(test_webhook_refuses_urls_outside_the_public_internet_and_bad_kinds)
{
    app_t *app = ((fixture_t *)*state)->app;
    app->cfg.webhook_allow_private = 0;
    static const struct {
        const char *url, *code;
    } bad[] = {
        {"ftp://8.8.8.8/x", "webhook_url"},
        {"not a url", "webhook_url"},
        {"http://", "webhook_url"},
        {"http://127.0.0.1:8080/hook", "webhook_url_private"},
        {"http://localhost/hook", "webhook_url_private"},
        {"http://10.1.2.3/", "webhook_url_private"},
        {"http://172.20.0.1/", "webhook_url_private"},
        {"http://192.168.0.10/", "webhook_url_private"},
        {"http://169.254.169.254/latest/meta-data/", "webhook_url_private"},
        {"http://[::1]:9/", "webhook_url_private"},
        {"http://[fd00::5]/", "webhook_url_private"},
        {"http://[::ffff:127.0.0.1]/", "webhook_url_private"},
        {"http://2130706433/", "webhook_url_private"}, /* 127.0.0.1 as one number */
        {"http://0.0.0.0/", "webhook_url_private"},
        {"http://no-such-host.invalid/", "webhook_url_unresolved"},
    };
    webhook_t w;
    cy_error_t err;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cy_status_t st = create(app, "gz-city", bad[i].url, GRANTED, 1, &w, &err);
        if (st != CY_EINVAL || strcmp(err.code, bad[i].code) != 0)
            fail_msg("%s: %d %s (%s)", bad[i].url, st, err.code, err.message);
        assert_string_equal(err.field, "url");
        assert_non_null(strstr(err.message, " / "));
    }
    assert_int_equal(create(app, "gz-city", "http://127.0.0.1/", GRANTED, 1, &w, &err), CY_EINVAL);
    assert_non_null(strstr(err.message, "a loopback address, 127.0.0.1"));
    char longurl[1100] = "https://8.8.8.8/";
    memset(longurl + 16, 'a', 1000);
    longurl[1016] = '\0';
    assert_int_equal(create(app, "gz-city", longurl, GRANTED, 1, &w, &err), CY_EINVAL);
    assert_string_equal(err.field, "url");
    /* kinds: none, unknown, twice */
    assert_int_equal(create(app, "gz-city", "https://8.8.8.8/h", GRANTED, 0, &w, &err), CY_EINVAL);
    assert_string_equal(err.field, "kinds");
    const char *unknown[] = {"engagement.granted", "claim.paid.twice"};
    assert_int_equal(create(app, "gz-city", "https://8.8.8.8/h", unknown, 2, &w, &err), CY_EINVAL);
    assert_string_equal(err.code, "webhook_kind_unknown");
    const char *twice[] = {"engagement.granted", "engagement.granted"};
    assert_int_equal(create(app, "gz-city", "https://8.8.8.8/h", twice, 2, &w, &err), CY_EINVAL);
    assert_string_equal(err.code, "webhook_kind_repeated");
    /* allowed by the operator: the same loopback receiver is fine */
    app->cfg.webhook_allow_private = 1;
    assert_int_equal(create(app, "gz-city", "http://127.0.0.1:9/hook", GRANTED, 1, &w, &err),
                     CY_OK);
    actor_t a = who(app, "gz-city");
    assert_int_equal(webhook_delete(app, &a, T0, w.id, &err), CY_OK);
}

typedef struct {
    int64_t ids[32];
    int n;
} hooks_t;

static void
collect(const webhook_t *w, void *arg)
{
    hooks_t *h = arg;
    h->ids[h->n++] = w->id;
    assert_string_equal(w->secret, ""); /* never shown again */
}

CY_TEST(test_webhook_subscriptions_are_their_organisations_admins_alone)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t admin = who(app, "sz-city"), member = who(app, "gz-city-member");
    webhook_t w[2];
    cy_error_t err;
    const char *both[] = {"engagement.ended", "engagement.granted"};
    assert_int_equal(create(app, "sz-city", "https://8.8.8.8/a", both, 2, &w[0], &err), CY_OK);
    assert_int_equal(create(app, "sz-city", "https://8.8.4.4/b", GRANTED, 1, &w[1], &err), CY_OK);
    assert_int_equal(strncmp(w[0].secret, "whsec_", 6), 0);
    assert_int_equal(strlen(w[0].secret), 6 + 43); /* 32 random bytes, base64url */
    assert_string_not_equal(w[0].secret, w[1].secret);
    assert_int_equal(create(app, "gz-city-member", "https://8.8.8.8/a", GRANTED, 1, &w[0], &err),
                     CY_EFORBIDDEN);
    hooks_t h = {0};
    int64_t next = -1;
    app_page_t pg = {0, 50};
    assert_int_equal(webhook_list(app, &admin, &pg, collect, &h, &next, &err), CY_OK);
    assert_int_equal(h.n, 2);
    assert_true(h.ids[0] == w[1].id && h.ids[1] == w[0].id);
    assert_true(next == 0);
    webhook_t got;
    assert_int_equal(webhook_get(app, &admin, w[0].id, &got, &err), CY_OK);
    assert_int_equal(got.n_kinds, 2);
    assert_string_equal(got.kinds[0], "engagement.ended");
    assert_string_equal(got.url, "https://8.8.8.8/a");
    actor_t other = who(app, "hz-city");
    assert_int_equal(webhook_get(app, &other, w[0].id, &got, &err), CY_ENOTFOUND);
    assert_int_equal(webhook_delete(app, &other, T0, w[0].id, &err), CY_ENOTFOUND);
    assert_int_equal(webhook_get(app, &member, w[0].id, &got, &err), CY_EFORBIDDEN);
    assert_int_equal(webhook_delete(app, &admin, T0, w[0].id, &err), CY_OK);
    assert_int_equal(webhook_get(app, &admin, w[0].id, &got, &err), CY_ENOTFOUND);
    assert_int_equal(webhook_delete(app, &admin, T0, w[0].id, &err), CY_ENOTFOUND);
    /* at most WEBHOOK_MAX_PER_ORG live ones */
    for (int i = 1; i < WEBHOOK_MAX_PER_ORG; i++)
        assert_int_equal(create(app, "sz-city", "https://8.8.8.8/n", GRANTED, 1, &got, &err),
                         CY_OK);
    assert_int_equal(create(app, "sz-city", "https://8.8.8.8/n", GRANTED, 1, &got, &err),
                     CY_ECONFLICT);
    assert_string_equal(err.code, "webhook_limit");
}

/* Deliveries of the receiver under test: 101 fails twice, 102 always, others succeed. */
static long long fail_twice = -1, fail_always = -1;

static int
status_rule(long long delivery, int seen)
{
    if (delivery == fail_always)
        return 503;
    if (delivery == fail_twice && seen <= 2)
        return 500;
    return 200;
}

/* Raise one notification of kind for org at now inside its own transaction. */
static int64_t
raise_at(app_t *app, int64_t now, int64_t org, const char *kind, const char *object_id)
{
    notify_in_t n = {.org_id = org,
                     .kind = kind,
                     .object_type = "engagement",
                     .object_id = object_id,
                     .text_zh = "测试通知",
                     .text_en = "a test notification"};
    store_conn_t *c;
    cy_error_t err;
    int64_t id = 0;
    assert_int_equal(store_tx_open(app->store, &c, &err), CY_OK);
    cy_status_t st = notify_raise(app, c, now, &n, &id, &err);
    assert_int_equal(store_tx_close(app->store, c, st, &err), CY_OK);
    return id;
}

static int64_t
raise_for(app_t *app, int64_t org, const char *kind, const char *object_id)
{
    return raise_at(app, T0, org, kind, object_id);
}

/* Claim and run one job due at now, as a worker would; 0 when none is due. */
static int
run_one(app_t *app, int64_t now)
{
    job_t job;
    int found = 0;
    cy_error_t err;
    assert_int_equal(app_job_claim(app, "test", now, 300, &job, &found, &err), CY_OK);
    if (!found)
        return 0;
    assert_string_equal(job.kind, WEBHOOK_JOB_KIND);
    char *result = NULL;
    cy_status_t st = webhook_job(app, &job, &result, NULL, NULL, &err);
    if (st != CY_OK)
        fail_msg("webhook_job: %s", err.message);
    assert_int_equal(app_job_finish(app, job.id, "test", result, NULL, now, NULL, &err), CY_OK);
    free(result);
    app_job_free(&job);
    return 1;
}

static int64_t
delivery_of(app_t *app, int64_t notification)
{
    return query_int(app, "SELECT id FROM webhook_delivery WHERE notification_id = $1",
                     notification);
}

typedef struct {
    webhook_delivery_t d;
    int n;
} one_delivery_t;

static void
keep_delivery(const webhook_delivery_t *d, void *arg)
{
    one_delivery_t *o = arg;
    if (o->n++ == 0)
        o->d = *d;
}

static one_delivery_t
deliveries(app_t *app, const char *username, int64_t webhook, const char *status)
{
    actor_t a = who(app, username);
    one_delivery_t *o = calloc(1, sizeof *o);
    webhook_delivery_filter_t f = {.status = status, .page = {0, 50}};
    int64_t next;
    cy_error_t err;
    assert_int_equal(webhook_deliveries(app, &a, webhook, &f, keep_delivery, o, &next, &err),
                     CY_OK);
    one_delivery_t r = *o;
    free(o);
    return r;
}

CY_TEST(test_webhook_retries_with_backoff_then_delivers_or_dead_letters)
{
    app_t *app = ((fixture_t *)*state)->app;
    app->cfg.webhook_allow_private = 1;
    receiver_t rx;
    receiver_start(&rx, status_rule);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", rx.port);
    webhook_t w;
    cy_error_t err;
    assert_int_equal(create(app, "hz-city", url, GRANTED, 1, &w, &err), CY_OK);
    actor_t hz = who(app, "hz-city");
    int64_t n1 = raise_for(app, hz.org_id, "engagement.granted", "retry");
    int64_t n2 = raise_for(app, hz.org_id, "engagement.granted", "dead");
    raise_for(app, hz.org_id, "engagement.ended", "not subscribed");
    fail_twice = delivery_of(app, n1);
    fail_always = delivery_of(app, n2);
    /* retry_s 1, attempts 3: attempts at T0, T0+1 (after 1 s), T0+3 (after 2 s) */
    assert_int_equal(run_one(app, T0), 1);
    assert_int_equal(run_one(app, T0), 1);
    assert_int_equal(run_one(app, T0), 0); /* both retries wait for their run_after */
    assert_int_equal(run_one(app, T0 + 1), 1);
    assert_int_equal(run_one(app, T0 + 1), 1);
    assert_int_equal(run_one(app, T0 + 2), 0);
    assert_int_equal(run_one(app, T0 + 3), 1);
    assert_int_equal(run_one(app, T0 + 3), 1);
    assert_int_equal(run_one(app, T0 + 100000), 0); /* nothing more, ever */
    assert_int_equal(receiver_count(&rx, fail_twice), 3);
    assert_int_equal(receiver_count(&rx, fail_always), 3);
    assert_int_equal(rx.n, 6);
    /* every request signed with the secret over its own timestamp, each attempt's time */
    for (int i = 0; i < rx.n; i++) {
        char sig[72];
        webhook_sign(w.secret, rx.got[i].timestamp, rx.got[i].body, strlen(rx.got[i].body), sig);
        assert_string_equal(rx.got[i].signature, sig);
        assert_string_equal(rx.got[i].event, "engagement.granted");
        assert_non_null(strstr(rx.got[i].body, "\"text_en\":\"a test notification\""));
    }
    assert_true(rx.got[0].timestamp == T0 && rx.got[2].timestamp == T0 + 1 &&
                rx.got[4].timestamp == T0 + 3);
    one_delivery_t dead = deliveries(app, "hz-city", w.id, "dead");
    assert_int_equal(dead.n, 1);
    assert_true(dead.d.id == fail_always);
    assert_int_equal(dead.d.attempts, 3);
    assert_string_equal(dead.d.next_attempt_at, "");
    assert_int_equal(dead.d.n_tries, 3);
    assert_int_equal(dead.d.tries[2].http_status, 503);
    assert_non_null(strstr(dead.d.tries[2].error, "HTTP 503"));
    one_delivery_t ok = deliveries(app, "hz-city", w.id, "delivered");
    assert_int_equal(ok.n, 1);
    assert_true(ok.d.id == fail_twice);
    assert_string_equal(ok.d.delivered_at, "2027-01-15T08:00:03Z");
    assert_int_equal(ok.d.n_tries, 3);
    assert_int_equal(ok.d.tries[0].http_status, 500);
    assert_string_equal(ok.d.tries[1].at, "2027-01-15T08:00:01Z");
    assert_int_equal(ok.d.tries[2].http_status, 200);
    assert_string_equal(ok.d.tries[2].error, "");
    /* the backoff's run_after, as queued */
    assert_int_equal(query_int(app,
                               "SELECT COUNT(*) FROM job WHERE kind = 'webhook.deliver' AND "
                               "run_after = '2027-01-15T08:00:03Z' AND params LIKE '%' || $1 "
                               "|| '}'",
                               fail_twice),
                     1);
    /* a webhook deleted before its delivery goes out: nothing is sent */
    int64_t n3 = raise_for(app, hz.org_id, "engagement.granted", "cancelled");
    assert_int_equal(webhook_delete(app, &hz, T0, w.id, &err), CY_OK);
    assert_int_equal(run_one(app, T0 + 5), 1);
    assert_int_equal(receiver_count(&rx, delivery_of(app, n3)), 0);
    assert_int_equal(
        query_int(app,
                  "SELECT COUNT(*) FROM webhook_delivery WHERE notification_id = $1 AND "
                  "status = 'cancelled'",
                  n3),
        1);
    receiver_stop(&rx);
}

/* Every third delivery fails its first attempt; each answer takes 20 ms, so that
   one worker cannot drain the queue before the other starts. */
static int
every_third_fails_once(long long delivery, int seen)
{
    usleep(20 * 1000);
    return delivery % 3 == 0 && seen == 1 ? 500 : 200;
}

static int64_t
wall_clock(void)
{
    return (int64_t)time(NULL);
}

CY_TEST(test_webhook_two_servers_send_each_delivery_once)
{
    fixture_t *fx = *state;
    app_t *a = fx->app;
    a->cfg.webhook_allow_private = 1;
    receiver_t rx;
    receiver_start(&rx, every_third_fails_once);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", rx.port);
    webhook_t w;
    cy_error_t err;
    assert_int_equal(create(a, "gd-ca", url, GRANTED, 1, &w, &err), CY_OK);
    actor_t ca = who(a, "gd-ca");
    /* a second server on the same store */
    char db[128];
    if (fx->dir[0])
        snprintf(db, sizeof db, "sqlite:%s/t.db", fx->dir);
    else
        snprintf(db, sizeof db, "%s", getenv("CYBERINS_TEST_PG"));
    app_config_t cfg = a->cfg;
    cfg.db_url = db;
    cfg.migrate = 0;
    app_t *b;
    assert_int_equal(app_open(&cfg, &b, &err), CY_OK);
    enum { N = 24 };
    int64_t first = 0;
    int64_t jobs_before = query_int(a, "SELECT COALESCE(MAX(id), 0) FROM job WHERE 1 = $1", 1);
    for (int i = 0; i < N; i++) {
        int64_t n =
            raise_at(i % 2 ? b : a, wall_clock(), ca.org_id, "engagement.granted", "cluster");
        if (i == 0)
            first = delivery_of(a, n);
    }
    job_kind_t kinds[] = {{WEBHOOK_JOB_KIND, webhook_job}, {NULL, NULL}};
    job_worker_t wa, wb;
    assert_int_equal(app_worker_start(a, kinds, wall_clock, &wa, &err), CY_OK);
    assert_int_equal(app_worker_start(b, kinds, wall_clock, &wb, &err), CY_OK);
    int64_t done = 0;
    for (int i = 0; i < 600 && done < N; i++) {
        usleep(100 * 1000);
        done = query_int(a,
                         "SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = $1 AND status "
                         "= 'delivered'",
                         w.id);
    }
    app_worker_stop(&wa);
    app_worker_stop(&wb);
    assert_int_equal(done, N);
    int fails = 0;
    for (long long d = first; d < first + N; d++) {
        int want = d % 3 == 0 ? 2 : 1;
        fails += want - 1;
        if (receiver_count(&rx, d) != want)
            fail_msg("delivery %lld was received %d times, want %d", d, receiver_count(&rx, d),
                     want);
        assert_int_equal(
            query_int(a, "SELECT COUNT(*) FROM webhook_attempt WHERE delivery_id = $1", d), want);
    }
    assert_int_equal(rx.n, N + fails);
    /* both servers took part */
    assert_int_equal(query_int(a,
                               "SELECT COUNT(DISTINCT worker) FROM job WHERE kind = "
                               "'webhook.deliver' AND status = 'done' AND id > $1",
                               jobs_before),
                     2);
    app_close(b);
    receiver_stop(&rx);
}

/* Every app of these tests retries soon, gives up after three tries and may post to 127.0.0.1. */
static int
start(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fixture_cfg.webhook_retry_s = 1;
    fixture_cfg.webhook_attempts = 3;
    fixture_cfg.webhook_timeout_s = 5;
    fixture_cfg.webhook_allow_private = 1;
    return CY_RUN_TESTS;
}

CY_START(start);
