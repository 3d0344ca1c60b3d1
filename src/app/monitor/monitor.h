/*
 * monitor.h — in-force monitoring and loss prevention (保中监测, 防灾减损;
 * docs/monitoring.md). An enterprise (or the service organisation it
 * engaged for monitoring) declares its stack from the vendor catalogue
 * (data/vendors/); signals come in (JSON, STIX 2.1, KEV: data/feed.h), once
 * per source and source id, and are matched by vendor (an index, not a scan)
 * to the enterprises that run what they affect; each match opens a task due
 * by its severity (data/monitor/rules.json), notifies the enterprise (and
 * its service organisation) and alerts the insurers whose policies cover it,
 * which reaches their webhooks (app/notify). The continuous score is the
 * latest submitted assessment's less the open tasks' points; its history is
 * kept; the renewal quote prices at the current grade (monitor_grade_now).
 *
 * Depends on core/, store/, data/, app/uw, app/engage, app/notify, app/blob;
 * never on http/ or cli/.
 */
#ifndef CY_APP_MONITOR_H
#define CY_APP_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"
#include "app/jobs.h"
#include "data/feed.h"

#define MON_MAX_STACK 64

/* One entry of a declared stack. */
typedef struct {
    char vendor[40];
    char version[64]; /* "" when not stated */
} mon_asset_t;

/* A signal as stored, with what it matched. */
typedef struct {
    int64_t id;
    char source[64], source_id[128], kind[16], cve[40], severity[16], title[512];
    char vendors[MON_MAX_MATCH][40];
    size_t n_vendors;
    int64_t matched; /* enterprises it opened a task for */
    char received_at[32];
    int duplicate; /* 1: received before; this is the first receipt's record */
} mon_signal_t;

/* What an ingest did. */
typedef struct {
    mon_signal_t *signals;
    size_t n;
    size_t created, duplicates, tasks, ignored;
} mon_ingest_t;

/* A loss-prevention task. */
typedef struct {
    int64_t id, org_id, signal_id, assignee_org_id;
    char org_name[256], assignee_name[256];
    char vendor[40], severity[16], status[8];
    char cve[40], title[512];
    char opened_at[32], due_at[32], closed_at[32]; /* "" when open */
    int overdue;                                   /* open past its due time at now */
    char evidence_note[2048];
    int64_t evidence_file_id, closed_by; /* 0: none */
} mon_task_t;

/* The continuous score of an enterprise at a time. */
typedef struct {
    int64_t assessment_id; /* 0: no submitted assessment (the base is 0, grade E) */
    int64_t base_hundredths, penalty, score_hundredths, open_tasks;
    char base_grade, grade;
    char at[32], cause[32];
} mon_score_t;

/* An enterprise's monitoring page. */
typedef struct {
    int64_t org_id;
    char name[256];
    mon_asset_t stack[MON_MAX_STACK];
    size_t n_stack;
    mon_score_t score;
} mon_enterprise_t;

/* monitor_stack_put replaces the enterprise's declared stack (ACT_MONITOR_STACK). Refusals
   name stack[i].vendor (unknown: the nearest code suggested), repeats, an overlong version. */
cy_status_t monitor_stack_put(app_t *app, const actor_t *actor, int64_t now, int64_t org_id,
                              const mon_asset_t *stack, size_t n, mon_enterprise_t *out,
                              cy_error_t *err);

/* monitor_enterprise: the stack and the score at now (ACT_MONITOR_READ): the enterprise,
   its engaged service organisation, an insurer covering it, the national operators; 404 else. */
cy_status_t monitor_enterprise(app_t *app, const actor_t *actor, int64_t now, int64_t org_id,
                               mon_enterprise_t *out, cy_error_t *err);

typedef void (*mon_score_fn)(const mon_score_t *s, void *arg);
/* The score's history, newest first (visibility as monitor_enterprise). */
cy_status_t monitor_score_history(app_t *app, const actor_t *actor, int64_t now, int64_t org_id,
                                  const app_page_t *pg, mon_score_fn fn, void *arg, int64_t *next,
                                  cy_error_t *err);

/*
 * monitor_ingest stores signals (ACT_SIGNAL_INGEST) in one transaction: a
 * known (source, source_id) answers its first record (duplicate, nothing
 * raised); a new one is checked (severity, vendor codes: the nearest
 * suggested, texts) and matched. Any refusal leaves nothing.
 */
cy_status_t monitor_ingest(app_t *app, const actor_t *actor, int64_t now, const feed_t *feed,
                           mon_ingest_t *out, cy_error_t *err);
void monitor_ingest_free(mon_ingest_t *r);

typedef struct {
    const char *status; /* "open", "closed" or NULL */
    int64_t org_id;     /* 0: every visible one */
    app_page_t page;
} mon_task_filter_t;

typedef void (*mon_task_fn)(const mon_task_t *t, void *arg);
/* The tasks the caller sees (ACT_MONITOR_READ), newest first. */
cy_status_t monitor_task_list(app_t *app, const actor_t *actor, int64_t now,
                              const mon_task_filter_t *f, mon_task_fn fn, void *arg, int64_t *next,
                              cy_error_t *err);
cy_status_t monitor_task_get(app_t *app, const actor_t *actor, int64_t now, int64_t id,
                             mon_task_t *out, cy_error_t *err);

/* monitor_task_close (ACT_TASK_CLOSE): the enterprise or its engaged service organisation,
   with evidence (a note of 1–2000 bytes, optionally a file of the closer's organisation);
   409 when closed already. The score moves back; the insurers are told. */
cy_status_t monitor_task_close(app_t *app, const actor_t *actor, int64_t now, int64_t id,
                               const char *note, int64_t file_id, mon_task_t *out, cy_error_t *err);

/* A service delivery record: what a service organisation did for which enterprise. */
typedef struct {
    int64_t id, service_org_id, org_id, task_id; /* task_id 0: none */
    char kind[16], performed_on[16], result[1024], created_at[32];
    char service_org_name[256], org_name[256];
} mon_service_t;

/* monitor_service_add (ACT_SERVICE_RECORD): a service organisation records a service for an
   enterprise that engaged it for monitoring: kind (rules' service_kinds), performed_on
   (YYYY-MM-DD, not after today), result (1–1000 bytes), optionally one of its tasks. */
cy_status_t monitor_service_add(app_t *app, const actor_t *actor, int64_t now,
                                const mon_service_t *in, mon_service_t *out, cy_error_t *err);

typedef void (*mon_service_fn)(const mon_service_t *s, void *arg);
/* The records the caller sees (ACT_MONITOR_READ): a service organisation its own, an
   enterprise those about it, the operators all; org_id > 0: about that enterprise only. */
cy_status_t monitor_service_list(app_t *app, const actor_t *actor, int64_t org_id,
                                 const app_page_t *pg, mon_service_fn fn, void *arg, int64_t *next,
                                 cy_error_t *err);

/* One insured's exposure to a vulnerability or a product: a policy in force covering it. */
typedef struct {
    int64_t org_id, policy_id, insurer_org_id, aggregate_limit;
    char name[256], policy_no[40], vendor[40];
} mon_exposed_t;

/* The accumulation question: which insureds, and how much limit, a CVE (through the products
   its signals affect) or one product of the catalogue touches at now. */
typedef struct {
    char vendors[MON_MAX_MATCH][40];
    size_t n_vendors;
    mon_exposed_t *items; /* by enterprise, then policy */
    size_t n;
    int64_t insureds, total_limit;
} mon_exposure_t;

/* monitor_exposure (ACT_SIM_READ): an insurer's own book; the operators' every insurer's.
   Exactly one of cve (a CVE/CNVD/CNNVD identifier of signals received) and vendor (a
   catalogue code; an unknown one is refused with the nearest suggested). */
cy_status_t monitor_exposure(app_t *app, const actor_t *actor, int64_t now, const char *cve,
                             const char *vendor, mon_exposure_t *out, cy_error_t *err);
void monitor_exposure_free(mon_exposure_t *e);

/* The background job of a task's reminder before its due time and its escalation after it
   (app/jobs.h), queued when the task is opened; run by a server's worker (cli/serve.c). */
#define MONITOR_JOB_KIND "monitor.task"
cy_status_t monitor_job(app_t *app, const job_t *job, char **result,
                        void (*progress)(void *ctx, int permille), void *ctx, cy_error_t *err);

/* The grade of enterprise org_id at now for pricing (0 when it has no submitted assessment),
   inside c; set as app->grade_now by app_open. */
cy_status_t monitor_grade_now(app_t *app, store_conn_t *c, int64_t org_id, int64_t now, char *grade,
                              cy_error_t *err);

/* monitor_demo_load: data/demo/monitor.json (declared stacks, engagements); idempotent. */
cy_status_t monitor_demo_load(app_t *app, const actor_t *op, int64_t now, const char *path,
                              cy_error_t *err);

#endif
