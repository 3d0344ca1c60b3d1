/*
 * app.h — the application: where a request becomes a decision. http/ and
 * cli/ call these functions; neither talks to store/ directly. An app_t holds
 * the store (a pool of connections) and the reference data loaded from
 * data/ at start-up; it keeps no per-request state, so any number of servers
 * may share one store. A server's app also keeps copies of rows that rarely
 * change (app/cache.h), dropped at once when any process changes them.
 *
 * Depends on core/ and store/; never on http/ or cli/.
 */
#ifndef CY_APP_APP_H
#define CY_APP_APP_H

#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "core/authz.h"
#include "core/error.h"
#include "core/ref.h"
#include "core/uscc.h"
#include "store/store.h"

typedef struct {
    const char *db_url;   /* sqlite:PATH or postgresql://... */
    const char *data_dir; /* reference data folder */
    int pool_size;        /* store connections */
    int migrate;          /* apply pending migrations at open */
    int session_idle_s;   /* a session unused this long ends (default 1800) */
    int session_max_s;    /* a session ends this long after login (default 43200) */
    int login_max_user;   /* failed logins per account in the window (default 5) */
    int login_max_ip;     /* failed logins per address in the window (default 20) */
    int login_window_s;   /* the throttling window (default 900) */
    int64_t now;          /* when the app opens (UTC seconds): recorded with migrations and
                             reference-data loads; cli/ passes its clock */

    /* documents (app/docs/docs.h), from cli/'s flags and environment */
    const char *soffice;  /* LibreOffice for PDFs: a path or a name in PATH (default "soffice") */
    int office_timeout_s; /* one conversion's time limit (default 120) */
    const char *tmp_dir;  /* where documents are written before they are sent (default "/tmp") */

    /* webhooks (app/webhook/webhook.h), from serve's flags */
    int webhook_attempts;      /* attempts before a delivery is dead (default 8) */
    int webhook_retry_s;       /* delay before the first retry, doubled each time (default 30) */
    int webhook_retry_max_s;   /* the longest delay between attempts (default 21600) */
    int webhook_timeout_s;     /* one attempt's time limit (default 10) */
    int webhook_allow_private; /* allow loopback, private and link-local receivers */

    /* jobs (app/jobs.h) */
    int job_stale_s; /* a running job whose heartbeat is this old is taken over (default 300) */
} app_config_t;

typedef struct app {
    store_t *store;
    ref_data_t *ref;
    struct uw_data *uw;         /* underwriting data files (app/uw_data.h), loaded at open */
    struct pilot_data *pilot;   /* pilot rounds and review criteria (app/pilot.h), loaded at open */
    struct claims_data *claims; /* claims rules and exclusions (data/claims.h), loaded at open */
    app_config_t cfg;           /* with defaults filled in; strings not owned */
    struct job_worker *worker;  /* this process's job worker, or NULL */
    struct app_cache *auth_cache;      /* who an API token or a session is (identity) */
    struct app_cache *product_cache;   /* products by id (uw) */
    struct audit_sequencer *sequencer; /* app/audit.c, in a server on PostgreSQL */

    /* data/platform.json (data/platform.h): media types, engagement scopes, notification kinds */
    struct platform_data *platform;

    /* data/vendors/catalogue.json and data/monitor/rules.json (data/monitor.h) */
    struct monitor_data *monitor;
    /* the grade an enterprise prices at now (app/monitor: monitor_grade_now), inside c; *grade
       0 when it has none. Set by app_open, so underwriting asks without depending on it. */
    cy_status_t (*grade_now)(struct app *app, store_conn_t *c, int64_t org_id, int64_t now,
                             char *grade, cy_error_t *err);
    struct docs_data *docs; /* the document templates of data/forms (app/docs/docs.h) */
} app_t;

/* app_config_defaults fills the numeric settings left at 0. */
void app_config_defaults(app_config_t *cfg);

/*
 * app_open loads and validates the reference data, opens the store, applies
 * migrations when cfg->migrate, and copies the reference data into the
 * store's ref_* tables in one transaction. Any failure stops with err naming
 * the file and line (data) or the database problem.
 */
cy_status_t app_open(const app_config_t *cfg, app_t **out, cy_error_t *err);
void app_close(app_t *app);

/*
 * app_serve makes app a server's: it starts watching the store's cache epoch
 * (so that the caches of app/cache.h are used: without it every request
 * reads the database) and, on PostgreSQL, the audit sequencer of
 * app/audit.h. Both stop with app_close.
 */
cy_status_t app_serve(app_t *app, cy_error_t *err);

/*
 * One page of a list, for every list of every capability: records after
 * cursor (0: from the first; the order is each list's own, by id), at most
 * limit of them. One page-size policy: limit 1..APP_PAGE_MAX, default
 * APP_PAGE_DEFAULT. A list answers the cursor of the next page, or 0 when
 * this page was the last.
 */
#define APP_PAGE_MAX     500
#define APP_PAGE_DEFAULT 50

typedef struct {
    int64_t cursor;
    int limit;
} app_page_t;

/*
 * app_permissions writes into names (room for cap) the name of every action
 * the actor's role may take, in the order of the one table (core/authz.h);
 * answers how many. /api/v1/me shows them, so the web UI keeps no copy.
 */
size_t app_permissions(const actor_t *a, const char **names, size_t cap);

/*
 * The one way to refuse. app_forbidden: CY_EFORBIDDEN "forbidden", saying in
 * words which action the caller's role may not take ("无权编写… / you may not
 * write …"), never the internal name. app_not_found: CY_ENOTFOUND
 * "not_found" on field "id" for the record what (Chinese, English) numbered
 * id — answered alike for an absent record and one outside the caller's
 * visibility, so existence does not leak.
 */
cy_status_t app_forbidden(cy_error_t *err, authz_action_t act);
cy_status_t app_not_found(cy_error_t *err, const char *what_zh, const char *what_en, int64_t id);

/* app_health checks that the store answers. */
cy_status_t app_health(app_t *app, cy_error_t *err);

/* app_version is the program's version ("0.1.0"). */
const char *app_version(void);

/* The reference data, read-only and public (facts of national standards). */
const ref_data_t *app_ref(const app_t *app);

/*
 * app_check_uscc validates a 统一社会信用代码 and whether it belongs to an
 * independent legal person (notice §四(一)); *legal_person says so, and when
 * it is not, legal_err holds the reason.
 */
cy_status_t app_check_uscc(const char *code, uscc_info_t *info, int *legal_person,
                           cy_error_t *legal_err, cy_error_t *err);

#endif
