/*
 * engage.h — engagements: a service organisation acts for an enterprise
 * only when the enterprise engaged it. An enterprise's admin grants an
 * engagement to a service organisation for some scopes (data/platform.json
 * engagement_scopes: assessment, quotes, claims, monitoring), from the
 * moment of granting until a date or until ended, and may end it; the
 * service organisation is notified of both (app/notify/notify.h).
 *
 * Other capabilities ask, inside their own transaction, whether service
 * organisation S is engaged by enterprise E for scope X at now
 * (engage_active, engage_require), and list what an engaged service
 * organisation may see with engage_sql_enterprises.
 *
 * Depends on core/, store/, data/ and app/notify; never on http/ or cli/.
 */
#ifndef CY_APP_ENGAGE_H
#define CY_APP_ENGAGE_H

#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"

#define ENGAGE_MAX_SCOPES 16

/* What an enterprise grants. */
typedef struct {
    int64_t service_org_id;       /* the service organisation, by id … */
    const char *service_org_uscc; /* … or by 统一社会信用代码 (exactly one of the two) */
    const char *const *scopes;    /* codes of data/platform.json engagement_scopes */
    size_t n_scopes;
    const char *valid_until; /* NULL: until ended; "YYYY-MM-DD" (through that day, Beijing
                                time) or a time bjtime_parse reads */
    const char *note;        /* NULL or up to 500 bytes */
} engage_in_t;

/* An engagement as its parties see it. */
typedef struct {
    int64_t id, enterprise_id, service_org_id;
    char enterprise_name[256], service_org_name[256], service_org_uscc[19];
    char scopes[ENGAGE_MAX_SCOPES][48];
    size_t n_scopes;
    char valid_from[32], valid_until[32], ended_at[32], created_at[32]; /* "" when none */
    int64_t granted_by, ended_by;                                       /* ended_by 0: not ended */
    char note[512];
    int active; /* in force at the now it was read at */
} engagement_t;

/*
 * engage_grant: the caller's enterprise (ACT_ENGAGEMENT_GRANT) engages a
 * service organisation at now. Refusals name the field: service_org_id /
 * service_org_uscc (none or both given, no such service organisation),
 * scopes (empty, unknown, repeated), valid_until (not a date, not after
 * now), note (too long); 409 when an engagement of the same service
 * organisation is in force (end it first).
 */
cy_status_t engage_grant(app_t *app, const actor_t *actor, int64_t now, const engage_in_t *in,
                         engagement_t *out, cy_error_t *err);

/* engage_end: the enterprise ends one of its engagements at now; 409 when already ended. */
cy_status_t engage_end(app_t *app, const actor_t *actor, int64_t now, int64_t id, engagement_t *out,
                       cy_error_t *err);

/*
 * engage_get / engage_list (ACT_ENGAGEMENT_READ): an enterprise sees those
 * it granted, a service organisation those it was given, the ministry and
 * the support center all; 404 outside. out->active is judged at now.
 */
cy_status_t engage_get(app_t *app, const actor_t *actor, int64_t now, int64_t id, engagement_t *out,
                       cy_error_t *err);

typedef struct {
    int active;      /* 1: only those in force at now */
    app_page_t page; /* newest first */
} engage_filter_t;

typedef void (*engage_fn)(const engagement_t *e, void *arg);

cy_status_t engage_list(app_t *app, const actor_t *actor, int64_t now, const engage_filter_t *f,
                        engage_fn fn, void *arg, int64_t *next, cy_error_t *err);

/* ---- for other capabilities' checks ------------------------------------------------------ */

/*
 * engage_active: *engaged is 1 when enterprise enterprise_id has engaged
 * service organisation service_org_id for scope and the engagement is in
 * force at now (granted at or before now, not expired, not ended), else 0.
 * Reads inside the caller's connection or transaction c.
 */
cy_status_t engage_active(store_conn_t *c, int64_t service_org_id, int64_t enterprise_id,
                          const char *scope, int64_t now, int *engaged, cy_error_t *err);

/*
 * engage_require answers CY_OK when the actor's organisation is engaged by
 * enterprise_id for scope at now, else CY_EFORBIDDEN "engagement_required"
 * on field "org_id", saying in words which enterprise and which scope. An
 * unknown scope is CY_EINVAL (the caller's bug).
 */
cy_status_t engage_require(app_t *app, store_conn_t *c, const actor_t *actor, int64_t enterprise_id,
                           const char *scope, int64_t now, cy_error_t *err);

/*
 * engage_sql_enterprises writes into buf a subquery of the ids of the
 * enterprises that engaged the service organisation $p_org for scope
 * $p_scope in force at $p_now (UTC ISO text), for a list's
 * "… OR enterprise_id IN (<it>)". E.g. with 4, 5, 6:
 *   "SELECT e.enterprise_id FROM engagement e JOIN engagement_scope s … $4 … $5 … $6 …"
 */
void engage_sql_enterprises(char *buf, size_t cap, int p_org, int p_scope, int p_now);

#endif
