/*
 * platform.c — handlers of the platform itself: /healthz, /metrics,
 * /api/v1/meta, /api/openapi.json. Parse, call app/, render. Never includes
 * sqlite3 or libpq.
 */
#include <string.h>
#include <time.h>

#include "http/http.h"
#include "http/handlers.h"
#include "store/embedded.h"

void
h_healthz(http_req_t *req, http_resp_t *resp)
{
    cy_error_t err;
    if (app_health(req->app, &err) == CY_OK) {
        http_reply_json(resp, 200, json_pack("{s:s, s:s}", "status", "ok", "db", "ok"));
        return;
    }
    http_reply_json(resp, 503, json_pack("{s:s, s:s}", "status", "error", "db", err.message));
    resp->retry_after = 5;
}

void
h_metrics(http_req_t *req, http_resp_t *resp)
{
    cy_error_t err;
    int db_up = app_health(req->app, &err) == CY_OK;
    char *buf = malloc(4096);
    if (buf == NULL) {
        cy_error_no_memory(&err);
        http_reply_error(resp, &err);
        return;
    }
    size_t n = http_metrics_render(buf, 4096, db_up);
    http_reply_text(resp, 200, "text/plain; version=0.0.4; charset=utf-8", buf, n);
    resp->owned = 1;
}

void
h_meta(http_req_t *req, http_resp_t *resp)
{
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *meta = json_pack("{s:s, s:s}", "name", "cyberins", "time", ts);
    /* the version and the database kind help an attacker more than a visitor: logged-in only */
    if (http_logged_in(req)) {
        json_object_set_new(meta, "version", json_string(app_version()));
        json_object_set_new(meta, "backend", json_string(store_backend_name(req->app->store)));
    }
    http_reply_json(resp, 200, meta);
}

void
h_openapi(http_req_t *req, http_resp_t *resp)
{
    (void)req;
    http_reply_text(resp, 200, "application/json; charset=utf-8", cy_openapi_json,
                    strlen(cy_openapi_json));
}
