/*
 * job.c — the runner of webhook deliveries (WEBHOOK_JOB_KIND): one attempt
 * per job. The delivery names the one job that may send it (job_id); the
 * attempt is recorded, and the delivery becomes delivered, dead after the
 * last attempt, or waits for the next job, queued with run_after = the
 * job's now + the backoff — all in one transaction that only goes ahead if
 * the delivery is still this job's (not cancelled meanwhile). Reads no
 * clock: the job's now is the attempt's time. Depends on core/, store/ and
 * app/jobs; never on http/ or cli/.
 */
#include "app/webhook/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bjtime.h"

/* What a job needs of its delivery and webhook. */
typedef struct {
    int64_t id, job_id, org_id, created_by;
    int attempts;
    char status[12];
    char kind[48];
    char url[WEBHOOK_MAX_URL + 1];
    char secret[64];
    char *body;
} pending_t;

static cy_status_t
load_pending(app_t *app, int64_t id, pending_t *d, int *found, cy_error_t *err)
{
    *found = 0;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    st = store_query(c,
                     "SELECT d.id, d.job_id, d.attempts, d.status, d.kind, d.body, w.org_id, "
                     "w.created_by, w.url, w.secret FROM webhook_delivery d JOIN webhook w ON "
                     "w.id = d.webhook_id WHERE d.id = $1",
                     p, 1, &r, err);
    if (st == CY_OK) {
        int k = store_rows_next(r, err);
        if (k == 1) {
            d->id = store_row_int(r, "id");
            d->job_id = store_row_int(r, "job_id");
            d->attempts = (int)store_row_int(r, "attempts");
            d->org_id = store_row_int(r, "org_id");
            d->created_by = store_row_int(r, "created_by");
            store_row_copy(r, "status", d->status, sizeof d->status);
            store_row_copy(r, "kind", d->kind, sizeof d->kind);
            store_row_copy(r, "url", d->url, sizeof d->url);
            store_row_copy(r, "secret", d->secret, sizeof d->secret);
            d->body = strdup(store_row_text(r, "body"));
            *found = d->body != NULL;
            if (d->body == NULL)
                st = cy_error_no_memory(err);
        } else if (k < 0) {
            st = err->status;
        }
        store_rows_free(r);
    }
    store_release(app->store, c);
    return st;
}

/* The delay before attempt n + 1 after n failed ones: retry_s · 2^(n−1), at most retry_max_s. */
static int64_t
backoff(const app_config_t *cfg, int n)
{
    int64_t d = cfg->webhook_retry_s;
    for (int i = 1; i < n && d < cfg->webhook_retry_max_s; i++)
        d *= 2;
    return d < cfg->webhook_retry_max_s ? d : cfg->webhook_retry_max_s;
}

/*
 * Record attempt n and move the delivery on, inside c; *changed is 0 when
 * the delivery was no longer this job's (then nothing else is written).
 */
static cy_status_t
record(app_t *app, store_conn_t *c, const job_t *job, const pending_t *d,
       const webhook_result_t *res, char *outcome, size_t cap, cy_error_t *err)
{
    int n = d->attempts + 1, ok = res->error[0] == '\0';
    int dead = !ok && n >= app->cfg.webhook_attempts;
    int64_t next = job->now + backoff(&app->cfg, n);
    char at[32], next_at[32];
    utc_format_iso(job->now, at);
    utc_format_iso(next, next_at);
    const char *status = ok ? "delivered" : dead ? "dead" : "pending";
    store_param_t p[] = {STORE_P_INT(d->id),
                         STORE_P_INT(job->id),
                         STORE_P_TEXT(status),
                         STORE_P_INT(n),
                         ok ? STORE_P_TEXT(at) : STORE_P_NULL,
                         ok || dead ? STORE_P_NULL : STORE_P_TEXT(next_at)};
    int64_t changed = 0;
    cy_status_t st = store_exec(c,
                                "UPDATE webhook_delivery SET status = $3, attempts = $4, "
                                "delivered_at = $5, next_attempt_at = $6 WHERE id = $1 AND "
                                "job_id = $2 AND status = 'pending'",
                                p, 6, &changed, err);
    if (st != CY_OK || changed == 0) {
        snprintf(outcome, cap, "skipped");
        return st;
    }
    store_param_t a[] = {STORE_P_INT(d->id),
                         STORE_P_INT(n),
                         STORE_P_TEXT(at),
                         res->http_status ? STORE_P_INT(res->http_status) : STORE_P_NULL,
                         ok ? STORE_P_NULL : STORE_P_TEXT(res->error),
                         STORE_P_INT(res->ms)};
    st = store_exec(c,
                    "INSERT INTO webhook_attempt (delivery_id, n, at, http_status, error, ms) "
                    "VALUES ($1, $2, $3, $4, $5, $6)",
                    a, 6, NULL, err);
    snprintf(outcome, cap, "%s", status);
    if (st != CY_OK || ok || dead)
        return st;
    /* the next attempt: a new job, due after the backoff, and the only one that may send */
    actor_t owner = {.org_id = d->org_id, .user_id = d->created_by};
    char params[48];
    snprintf(params, sizeof params, "{\"delivery\":%" PRId64 "}", d->id);
    int64_t again = 0;
    st = app_job_enqueue_at(c, &owner, job->now, next, WEBHOOK_JOB_KIND, params, &again, err);
    store_param_t q[] = {STORE_P_INT(d->id), STORE_P_INT(again)};
    if (st == CY_OK)
        st =
            store_exec(c, "UPDATE webhook_delivery SET job_id = $2 WHERE id = $1", q, 2, NULL, err);
    return st;
}

static cy_status_t
job_result(char **result, const char *fmt, int64_t id, int n, const char *outcome, cy_error_t *err)
{
    char buf[160];
    snprintf(buf, sizeof buf, fmt, id, n, outcome);
    *result = strdup(buf);
    return *result ? CY_OK : cy_error_no_memory(err);
}

cy_status_t
webhook_job(app_t *app, const job_t *job, char **result, void (*progress)(void *ctx, int permille),
            void *ctx, cy_error_t *err)
{
    (void)progress;
    (void)ctx;
    *result = NULL;
    long long id = 0;
    if (sscanf(job->params, "{\"delivery\":%lld}", &id) != 1 || id <= 0)
        return cy_error_set(err, CY_EINVAL, "job_params", "params",
                            "任务参数无效 / the job's parameters are not valid: %s", job->params);
    pending_t d = {0};
    int found = 0;
    cy_status_t st = load_pending(app, id, &d, &found, err);
    const char *fmt = "{\"delivery\":%" PRId64 ",\"attempt\":%d,\"outcome\":\"%s\"}";
    if (st == CY_OK && (!found || strcmp(d.status, "pending") != 0 || d.job_id != job->id))
        st = job_result(result, fmt, id, 0, "skipped", err); /* another job's, or no more to do */
    else if (st == CY_OK) {
        webhook_send_t s = {d.id, d.url, d.secret, d.kind, d.body, job->now};
        webhook_result_t res;
        webhook_send(app, &s, &res);
        char outcome[16];
        store_conn_t *c;
        st = store_tx_open(app->store, &c, err);
        if (st == CY_OK) {
            st = record(app, c, job, &d, &res, outcome, sizeof outcome, err);
            st = store_tx_close(app->store, c, st, err);
        }
        if (st == CY_OK)
            st = job_result(result, fmt, id, d.attempts + 1, outcome, err);
    }
    free(d.body);
    return st;
}
