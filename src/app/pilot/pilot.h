/*
 * pilot.h — the pilot programme's use cases (DOMAIN.md §4, §5, §7): rounds
 * as data, Annex 1 service schemes, expert review and the catalogue
 * 《网络安全保险典型服务方案目录》, Annex 2–4 pilot plans routed city →
 * province → ministry in packages under deadlines judged on receipt time,
 * extensions, selection, progress reports, 试点退出 and annual summaries.
 *
 * The forms are documents of dozens of nested fields (tables, cases,
 * attached schemes), so they travel as jansson objects: a use case takes
 * the client's object, checks it against the form's shape and the round's
 * rules, stores it, and answers the record as an object that http/ sends as
 * it is. Everything else a use case takes is typed (ids, comments, dates,
 * filters). Every write takes `now`, the receipt time its caller read (the
 * request's clock), and is one transaction with its audit entry.
 *
 * Depends on core/, store/ and jansson; never on http/ or cli/.
 */
#ifndef CY_APP_PILOT_H
#define CY_APP_PILOT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"
#include "app/jobs.h"

/*
 * app_pilot_open loads every round file of DATA/rounds/ (*.json) and
 * DATA/review/criteria.json, validated; a broken file stops start-up with
 * its name, line and field. app_close frees them (app_pilot_close).
 */
cy_status_t app_pilot_open(app_t *app, cy_error_t *err);
void app_pilot_close(app_t *app);

/*
 * A list request. Filters a list does not know are ignored; a malformed one
 * (a round no file has, a status the list does not have, a box other than
 * inbox and outbox) is CY_EBADREQ. The page follows app/app.h's one policy.
 */
typedef struct {
    const char *round_id; /* NULL: every round */
    const char *status;   /* NULL: any */
    const char *box;  /* packages: "inbox" (held here, sent by others), "outbox" (assembled here) */
    int annex;        /* plans: 2, 3, 4 or 0 for any */
    int64_t pilot_id; /* reports: one pilot's; 0 any */
    app_page_t page;
} pilot_filter_t;

/*
 * Every use case: (app, the caller, now — the receipt time of a write —,
 * its typed input) → a status, and the record as a JSON object for http/ to
 * send as it is. A refused write leaves nothing.
 */

/* The records one reads by id. */
typedef enum {
    PILOT_SCHEME,
    PILOT_PLAN,
    PILOT_REVIEW,
    PILOT_PACKAGE,
    PILOT_PILOT,
    PILOT_REPORT, /* a progress report, as GET /api/v1/reports lists it */
    PILOT_SUMMARY /* an annual summary, as GET /api/v1/summaries lists it */
} pilot_record_t;

/*
 * app_pilot_read: one record as the caller sees it (CY_ENOTFOUND outside
 * its sight) — a scheme or a plan with its form, 字数, units and their
 * confirmations (a scheme its lead, recommendations and, for the ministry
 * and the support center, its reviews; a plan its hops and route), a review
 * with the criteria it is scored on, a package with its plans, hops and
 * next receiver, a pilot with its status timeline (every hop of its plan,
 * selection, reports, summaries, exit), a progress report or an annual
 * summary as their lists show them.
 */
cy_status_t app_pilot_read(app_t *app, const actor_t *a, pilot_record_t what, int64_t id,
                           json_t **out, cy_error_t *err);

/* ---- rounds (public: the notice's own dates and limits) ----------------- */
cy_status_t app_round_list(app_t *app, json_t **items, cy_error_t *err);
cy_status_t app_round_get(app_t *app, const char *id, json_t **out, cy_error_t *err);

/* ---- Annex 1 service schemes -------------------------------------------- */
cy_status_t app_scheme_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                            int64_t *next, cy_error_t *err);
/* form: the Annex 1 form (every field optional in a draft). */
cy_status_t app_scheme_create(app_t *app, const actor_t *a, int64_t now, const char *round_id,
                              json_t *form, json_t **out, cy_error_t *err);
/* patch: fields of the form; null clears one. */
cy_status_t app_scheme_update(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t *patch,
                              json_t **out, cy_error_t *err);
cy_status_t app_scheme_confirm(app_t *app, const actor_t *a, int64_t now, int64_t id,
                               const char *legal_representative, json_t **out, cy_error_t *err);
cy_status_t app_scheme_submit(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t **out,
                              cy_error_t *err);
cy_status_t app_scheme_recommend(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                 const char *text, json_t **out, cy_error_t *err);
/* Assign an expert user; answers the new review. */
cy_status_t app_scheme_assign(app_t *app, const actor_t *a, int64_t now, int64_t id,
                              int64_t user_id, json_t **out, cy_error_t *err);
/*
 * The experts who could review scheme id (active users of expert
 * organisations), each with conflict (its organisation is an applicant
 * unit: the unit's name in conflict_with) and whether it is assigned —
 * what the assignment page shows before anything is saved. Needs
 * review.assign.
 */
cy_status_t app_scheme_experts(app_t *app, const actor_t *a, int64_t id, json_t **items,
                               cy_error_t *err);
/*
 * 原则上: waive the round's limit `rule` (a limit key the round holds in
 * principle for the document's annex, e.g. schemes_per_lead_max) for scheme
 * (kind 1) or plan (kind 2) id, with a reason; answers the document. Needs
 * waiver.grant (the ministry).
 */
cy_status_t app_waiver_grant(app_t *app, const actor_t *a, int64_t now, int kind, int64_t id,
                             const char *rule, const char *reason, json_t **out, cy_error_t *err);

/* ---- expert review and the catalogue ------------------------------------ */
cy_status_t app_review_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                            int64_t *next, cy_error_t *err);
/* scores: the score sheet, {"criterion code": integer, …} for every criterion of the data file. */
cy_status_t app_review_submit(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t *scores,
                              const char *comment, json_t **out, cy_error_t *err);
/* round_id NULL: every round's entries. An unknown round is CY_EBADREQ. */
cy_status_t app_catalogue_get(app_t *app, const actor_t *a, const char *round_id, json_t **items,
                              cy_error_t *err);
/* Number the schemes into the round's catalogue in this order, after its last entry. */
cy_status_t app_catalogue_publish(app_t *app, const actor_t *a, int64_t now, const char *round_id,
                                  const int64_t *scheme_ids, size_t n, json_t **items,
                                  cy_error_t *err);

/* ---- Annex 2–4 pilot plans, packages, extensions ------------------------ */

/* A new plan: its round, its annex (2, 3 or 4), Annex 3's catalogued scheme (0: none), its form. */
typedef struct {
    const char *round_id;
    int annex;
    int64_t catalogue_scheme_id;
    json_t *form;
} pilot_draft_t;

cy_status_t app_plan_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                          int64_t *next, cy_error_t *err);
cy_status_t app_plan_create(app_t *app, const actor_t *a, int64_t now, const pilot_draft_t *in,
                            json_t **out, cy_error_t *err);
cy_status_t app_plan_update(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t *patch,
                            json_t **out, cy_error_t *err);
cy_status_t app_plan_confirm(app_t *app, const actor_t *a, int64_t now, int64_t id,
                             const char *legal_representative, json_t **out, cy_error_t *err);
/* Send a unit's plan to its first receiver (an authority's own plan: ready to package). */
cy_status_t app_plan_submit(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t **out,
                            cy_error_t *err);
/* 退回修改: the authority holding a plan sends it back to its author with comments. */
cy_status_t app_plan_return(app_t *app, const actor_t *a, int64_t now, int64_t id,
                            const char *comment, json_t **out, cy_error_t *err);

cy_status_t app_package_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                             int64_t *next, cy_error_t *err);
/* plan_ids: plans the caller holds, ready and in no other package. */
cy_status_t app_package_create(app_t *app, const actor_t *a, int64_t now, const char *round_id,
                               const int64_t *plan_ids, size_t n, json_t **out, cy_error_t *err);
cy_status_t app_package_forward(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t **out,
                                cy_error_t *err);
cy_status_t app_package_return(app_t *app, const actor_t *a, int64_t now, int64_t id,
                               const char *comment, json_t **out, cy_error_t *err);

/* An extension: organisation org_id may meet deadline (a key of the round) until a date. */
typedef struct {
    const char *round_id;
    const char *deadline; /* plan_at_city, package_at_province, … */
    int64_t org_id;
    const char *until; /* YYYY-MM-DD: the end of that day, Beijing time */
    const char *reason;
    int64_t request_id; /* the request it answers (0: none) */
} pilot_extension_in_t;

cy_status_t app_extension_list(app_t *app, const actor_t *a, const pilot_filter_t *f,
                               json_t **items, int64_t *next, cy_error_t *err);
/* Grant; with request_id the request of that organisation is marked granted. */
cy_status_t app_extension_grant(app_t *app, const actor_t *a, int64_t now,
                                const pilot_extension_in_t *in, json_t **out, cy_error_t *err);

/*
 * 申请延期: the caller asks the authority receiving under in->deadline from
 * it for time until in->until, with in->reason (org_id and request_id are
 * not read: the caller asks for itself).
 */
cy_status_t app_extension_ask(app_t *app, const actor_t *a, int64_t now,
                              const pilot_extension_in_t *in, json_t **out, cy_error_t *err);
/* The requests the caller asked, or that were asked of it (status: open, granted, declined). */
cy_status_t app_extension_request_list(app_t *app, const actor_t *a, const pilot_filter_t *f,
                                       json_t **items, int64_t *next, cy_error_t *err);
/* The authority asked declines, with its answer. */
cy_status_t app_extension_decline(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                  const char *answer, json_t **out, cy_error_t *err);

/* ---- pilots, reports, summaries ----------------------------------------- */
cy_status_t app_pilot_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                           int64_t *next, cy_error_t *err);
/* start_date: YYYY-MM-DD. */
cy_status_t app_pilot_select(app_t *app, const actor_t *a, int64_t now, int64_t plan_id,
                             const char *start_date, json_t **out, cy_error_t *err);
cy_status_t app_pilot_exit(app_t *app, const actor_t *a, int64_t now, int64_t id,
                           const char *reason, json_t **out, cy_error_t *err);

cy_status_t app_report_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                            int64_t *next, cy_error_t *err);
/*
 * app_pilot_figures: the figures a progress report of pilot id for period
 * starts from, as the platform counts them ({pilot_id, period, from, to,
 * figures: {insured_enterprises, policies, premium_fen, sum_insured_fen,
 * assessments, alerts, incidents, claims_paid_fen}}, null where the
 * platform keeps no record yet). A report filed with other figures keeps
 * the platform's beside them and lists the differing ones in `declared`.
 */
cy_status_t app_pilot_figures(app_t *app, const actor_t *a, int64_t now, int64_t id,
                              const char *period, json_t **out, cy_error_t *err);
/* report: the progress report's form — pilot_id, period, the figures (fen) and text. */
cy_status_t app_report_create(app_t *app, const actor_t *a, int64_t now, json_t *report,
                              json_t **out, cy_error_t *err);
cy_status_t app_summary_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                             int64_t *next, cy_error_t *err);
/* summary: the form — round_id, level (pilot|city|province), a pilot's pilot_id, three parts. */
cy_status_t app_summary_create(app_t *app, const actor_t *a, int64_t now, json_t *summary,
                               json_t **out, cy_error_t *err);
/*
 * A summary held by the caller (a city or province where the round routes
 * summaries via the city) goes up one level, judged against that level's
 * summary deadline (flagged late, never refused unless the round says so).
 */
cy_status_t app_summary_forward(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t **out,
                                cy_error_t *err);
/* What is overdue at now in the caller's scope; round_id is required (CY_EBADREQ otherwise). */
cy_status_t app_overdue_list(app_t *app, const actor_t *a, int64_t now, const char *round_id,
                             json_t **items, cy_error_t *err);

/*
 * Annex 2 表2 (服务对象基本情况) offered from the Annex 4 plans the caller (a
 * city or province) received in the round: each enterprise's name, industry
 * and the contact its plan's 基本信息 gives, with the plan's id.
 */
cy_status_t app_plan_targets(app_t *app, const actor_t *a, const char *round_id, json_t **items,
                             cy_error_t *err);

/*
 * The caller's home page: what waits for it (confirmations, reviews,
 * packages and summaries to forward, plans to package, returned work,
 * reports and summaries due, schemes to review or list, plans to select,
 * extension requests to answer), the deadlines of its scope still ahead at
 * now with the days left, and its recent activity — all computed from the
 * records. {waiting: [...], deadlines: [...], activity: [...]}.
 */
cy_status_t app_pilot_todo(app_t *app, const actor_t *a, int64_t now, json_t **out,
                           cy_error_t *err);

/* ---- paper copies (纸质版一式三份) --------------------------------------- */

/* The paper copies of a plan or a package arrived at the authority it was sent to. */
typedef struct {
    int package;             /* 1: a package (by its forward), 0: a plan (its submit or copy) */
    int64_t id;              /* the plan or the package */
    const char *received_at; /* when they arrived, as bjtime_parse reads it ("2024-02-27 09:30") */
    int64_t copies;          /* 1–99 */
    const char *comment;     /* NULL: none */
} pilot_paper_in_t;

/*
 * app_paper_record: the caller's organisation received the record's paper
 * (ACT_PAPER_RECEIVE), by the last hop of the record to it (404 when none
 * came); judged late against the hop's deadline where the round's filing
 * judges paper for it. Once per hop (409). Answers the paper record.
 */
cy_status_t app_paper_record(app_t *app, const actor_t *a, int64_t now, const pilot_paper_in_t *in,
                             json_t **out, cy_error_t *err);

/* ---- attachments: seal scans and copies of 证明材料 ------------------------- */

#define PILOT_ATTACH_MAX (20 * 1024 * 1024) /* bytes of one attachment (PDF, JPEG or PNG) */

struct blob_upload;
struct blob_reader;

/* One attachment of a scheme or a plan. */
typedef struct {
    int plan;         /* 1: a plan (Annex 2–4), 0: a scheme (Annex 1) */
    int64_t id;       /* the scheme or the plan */
    const char *what; /* "seal": a unit's signed and sealed pages; "material": a 证明材料's copy */
    const char *item; /* seal: the unit's USCC; material: "unit.N" or "scheme.N" (N from 1) */
} pilot_attach_in_t;

/*
 * app_attach_upload: the record's author, while it may edit it, stores an
 * upload (PDF, JPEG or PNG, at most PILOT_ATTACH_MAX bytes, its declared
 * SHA-256 checked) as the item's attachment, replacing an earlier one.
 * Answers the attachment (id, what, item, label, filename, media_type, size,
 * sha256, created_at). A record's reading lists its attachments and what
 * its round still asks (attachments, attachments_missing); a submission
 * whose round asks for them (filing.seal_scans, material_copies) needs them.
 */
cy_status_t app_attach_upload(app_t *app, const actor_t *a, int64_t now,
                              const pilot_attach_in_t *in, const struct blob_upload *up,
                              json_t **out, cy_error_t *err);

/* A reader of attachment attachment_id of the scheme or plan id; 404 outside the caller's sight. */
cy_status_t app_attach_open(app_t *app, const actor_t *a, int plan, int64_t id,
                            int64_t attachment_id, struct blob_reader **out, cy_error_t *err);

/*
 * Deadline reminders: the kind of job a server's worker runs for them, and
 * its runner. Queued for the days of a round's reminders_days before a
 * deadline that an organisation has come to owe (a scheme or plan drafted,
 * plans received, a pilot selected); run at job->now, it tells the
 * organisation (notification pilot.deadline) if it still owes and the
 * deadline is ahead, once per organisation, deadline and day.
 */
#define PILOT_REMIND_JOB "pilot.remind"
cy_status_t app_pilot_remind_job(app_t *app, const job_t *job, char **result,
                                 void (*progress)(void *ctx, int permille), void *ctx,
                                 cy_error_t *err);

/* Mark (or unmark) an organisation as a 基础电信企业. */
cy_status_t app_telecom_set(app_t *app, const actor_t *a, int64_t now, int64_t org_id, int on,
                            json_t **out, cy_error_t *err);

/*
 * app_pilot_demo_load applies data/demo/pilot.json (the pilot's part of the
 * demo data: which demo organisations are 基础电信企业), through
 * app_telecom_set as the command line, at now. Idempotent.
 */
cy_status_t app_pilot_demo_load(app_t *app, const actor_t *op, int64_t now, const char *path,
                                cy_error_t *err);

#endif
