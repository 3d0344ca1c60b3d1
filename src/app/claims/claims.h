/*
 * claims.h — the claims use cases (理赔; DOMAIN.md §6, docs/claims.md):
 * first notice of an incident (报案), incident response by the insurer's
 * panel (应急处置), liability (定责), loss adjustment (定损), the settlement
 * through the one terms engine (core/terms.h) with its trace, reserves,
 * payments and recoveries, close and reopen, the timeline every party
 * appends to, the insurer's panel, and the pilot's figures. http/ and cli/
 * call these; each write is one transaction with its audit entry.
 *
 * A use case is (app, actor, now, typed input) → status + typed result; now
 * is the caller's. Inputs are what the client sent, typed but not judged:
 * every rule is checked here and refused naming the field and the rule in
 * Chinese and English. A refused write leaves nothing.
 *
 * Who is who on a claim (its "party" for the caller): the insured, the
 * insurer of its policy, a responder (a service organisation assigned to
 * it), an operator (ministry, support centre). Anyone else gets 404, as for
 * an absent claim. The insurer and the operators see everything; the
 * insured all but the reserves and the timeline entries not shown to it; a
 * responder the claim's facts, its own assignments and tasks and the
 * timeline entries shown to responders. Permission: core/authz.h.
 *
 * Policies are read through app/uw/uw.h only; a policy's terms at the time
 * of the loss go to the terms engine as the simulation's do.
 *
 * Depends on core/, data/, store/ and app/uw; never on http/ or cli/.
 */
#ifndef CY_APP_CLAIMS_H
#define CY_APP_CLAIMS_H

#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"
#include "core/cov.h"
#include "core/liability.h"
#include "core/pricing.h"
#include "data/claims.h"

#define CLAIMS_MAX_POLICIES   8  /* policies one notice may touch */
#define CLAIMS_MAX_SYSTEMS    32 /* affected systems named in a notice */
#define CLAIMS_MAX_EXPLOITED  16 /* CVEs one liability decision names */
#define CLAIMS_NO_MAX         64
#define CLAIMS_TEXT_MAX       4000 /* bytes of a description or a timeline entry */
#define CLAIMS_SHORT_MAX      2000 /* bytes of the affected systems, data, a task's detail */
#define CLAIMS_PANEL_SERVICES 8    /* services of one panel member */

/* Opening and closing the capability's data (app_open calls these). */
cy_status_t app_claims_open(app_t *app, cy_error_t *err);
void app_claims_close(app_t *app);

/*
 * claims_rules: the claims data a form shows (incident types and their
 * perils, services, the wording's exclusions with clauses and sources),
 * public reference like the coverages.
 */
const claims_data_t *claims_rules(const app_t *app);

/* ---------- evidence (溯源取证) ---------- */

/*
 * One link of a claim's evidence chain: an item (kind "item", its content
 * blob blob_id) or a custody transfer of item item_seq (kind "custody").
 */
typedef struct {
    int64_t id, claim_id, blob_id, org_id, user_id;
    int seq, item_seq;
    char kind[12];
    char sha256[65];
    int64_t size;
    char media_type[128], filename[256];
    char description[1024], collected_by[256], collected_at[32], method[256];
    char from_holder[256], to_holder[256];
    char created_at[32];
    char prev_hash[65], hash[65];
} claims_evidence_t;

/* What a chain check found: ok, or the first bad link and why ("中文 / English"). */
typedef struct {
    int ok;
    int bad_seq; /* 0 when ok */
    int64_t bad_id;
    char bad_filename[256];
    char reason[1200];
} claims_chain_check_t;

typedef struct {
    claims_evidence_t *items; /* by seq */
    size_t n;
    claims_chain_check_t check;
} claims_evidence_list_t;

struct blob_upload;
struct blob_reader;

typedef struct {
    const struct blob_upload *upload; /* the file, as the server received it */
    const char *description;          /* required */
    const char *collected_by;         /* who collected it; NULL: the caller's organisation */
    const char *collected_at;         /* Beijing time, not in the future; NULL: now */
    const char *method;               /* how it was collected (imaging tool, export, …) */
} claims_evidence_in_t;

typedef struct {
    const char *from_holder, *to_holder; /* both required */
    const char *method;                  /* how it was handed over */
    const char *note;                    /* NULL: none */
} claims_custody_in_t;

/*
 * claims_evidence_add: an item on claim id, its content stored as a blob in
 * the same transaction (a refused upload leaves no row and no blob): the
 * insured, the insurer, or a responder whom the insured engaged for claims
 * (engage_require). claims_custody_add: a custody transfer of item item_id.
 * Both extend the chain and answer the new link.
 */
cy_status_t claims_evidence_add(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                const claims_evidence_in_t *in, claims_evidence_t *out,
                                cy_error_t *err);
cy_status_t claims_custody_add(app_t *app, const actor_t *a, int64_t now, int64_t id,
                               int64_t item_id, const claims_custody_in_t *in,
                               claims_evidence_t *out, cy_error_t *err);
/*
 * claims_evidence_list: the chain of claim id, each link checked (its hash,
 * its place, an item's blob as it is now); out->check the first bad link.
 */
cy_status_t claims_evidence_list(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                 claims_evidence_list_t *out, cy_error_t *err);
void claims_evidence_list_free(claims_evidence_list_t *l);
/* claims_evidence_open: a reader of item item_id's content (blob_open), for a party. */
cy_status_t claims_evidence_open(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                 int64_t item_id, struct blob_reader **out, cy_error_t *err);

/* ---------- first notice (报案) ---------- */

typedef struct {
    const char *coverage; /* a coverage code */
    int64_t amount;       /* fen */
} claims_estimate_in_t;

typedef struct {
    int64_t org_id;            /* the insured; 0: the caller's own organisation */
    const char *incident_type; /* a code of data/claims/rules.json */
    const char *occurred_at;   /* when it began, if known (Beijing time text); NULL: unknown */
    const char *discovered_at; /* required */
    const char *reported_at;   /* NULL: now */
    const char *description;
    const char *const *systems; /* affected systems */
    size_t n_systems;
    const char *data_affected; /* NULL: none */
    const claims_estimate_in_t *estimates;
    size_t n_estimates;
    const int64_t *policy_ids; /* NULL: every policy that answers for the loss */
    size_t n_policy_ids;
    int preview; /* 1: find the policies and check the notice, store nothing */
} claims_notice_in_t;

/* A policy the notice found, with what the checks said, and the claim opened on it. */
typedef struct {
    int64_t policy_id, insurer_org_id;
    char policy_no[POLICYNO_MAX], insurer_name[256];
    char period_start[32], period_end[32]; /* UTC ISO */
    char trigger[16], retro_date[32];
    int answers; /* the policy answers for this loss (the trigger check passed) */
    liab_check_t trigger_check, notice_check;
    int64_t claim_id; /* 0 in a preview or when it does not answer */
    char claim_no[CLAIMS_NO_MAX];
} claims_notice_policy_t;

typedef struct {
    int64_t id; /* 0 in a preview */
    int64_t insured_org_id, reported_by_org_id, reported_by_user_id;
    char insured_name[256];
    char incident_type[32];
    char occurred_at[32], discovered_at[32], reported_at[32]; /* UTC ISO; occurred "" unknown */
    char description[CLAIMS_TEXT_MAX + 1];
    char systems[CLAIMS_SHORT_MAX + 1]; /* one per line */
    char data_affected[CLAIMS_SHORT_MAX + 1];
    char created_at[32];
    claims_notice_policy_t policies[CLAIMS_MAX_POLICIES];
    size_t n_policies;
} claims_incident_t;

typedef struct {
    claims_incident_t *items;
    size_t n;
    int64_t next;
} claims_incident_list_t;

/*
 * claims_notice: the insured (ACT_CLAIM_NOTIFY) reports an incident. The
 * policies of the insured that answer for the loss (occurrence: the loss
 * inside the period; claims made: reported inside the period, the loss not
 * before the retro date) each get a claim, numbered POLICYNO-Cnn; the
 * notice period is checked and shown (late: a warning on the claim, not a
 * refusal). Refusals: not_insured (no policy at all, field org_id),
 * before_period / outside_policy (discovered_at), duplicate_notice (409:
 * the same incident already reported on that policy, naming its claim),
 * an estimate on a coverage none of the policies insures
 * (coverage_not_insured, estimates[i].coverage).
 */
cy_status_t claims_notice(app_t *app, const actor_t *a, int64_t now, const claims_notice_in_t *in,
                          claims_incident_t *out, cy_error_t *err);
cy_status_t claims_incident_get(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                claims_incident_t *out, cy_error_t *err);
cy_status_t claims_incident_list(app_t *app, const actor_t *a, int64_t now, const app_page_t *pg,
                                 claims_incident_list_t *out, cy_error_t *err);
void claims_incident_free(claims_incident_t *i);
void claims_incident_list_free(claims_incident_list_t *l);

/* ---------- a claim ---------- */

/* What the caller may do with a claim now (claims_claim_t.actions). */
#define CLAIMS_ACT_NOTE    (1u << 0)
#define CLAIMS_ACT_ASSIGN  (1u << 1)
#define CLAIMS_ACT_RESPOND (1u << 2)
#define CLAIMS_ACT_ADJUST  (1u << 3)
#define CLAIMS_ACT_SETTLE  (1u << 4)
#define CLAIMS_ACT_PAY     (1u << 5)
#define CLAIMS_ACT_CLOSE   (1u << 6)
#define CLAIMS_ACT_REOPEN  (1u << 7)

typedef struct {
    char status[16];
    char at[32];
    int64_t user_id, org_id;
    char reason[512];
} claims_status_t;

typedef struct {
    int64_t id;
    char at[32];
    int64_t user_id, org_id;
    char party[12]; /* insured | insurer | responder | operator | system */
    char kind[12];  /* note | call | decision | system */
    char text[CLAIMS_TEXT_MAX + 1];
    int to_insured, to_responder;
} claims_event_t;

typedef struct {
    int64_t id, service_org_id, assigned_by;
    char service_org_name[256];
    char service[32];
    int panel;
    int64_t hourly_rate; /* fen */
    char note[512];
    char assigned_at[32];
} claims_assignment_t;

typedef struct {
    int64_t id, claim_id, assignment_id, service_org_id, created_by;
    char claim_no[CLAIMS_NO_MAX];
    char service[32];
    char title[256];
    char detail[CLAIMS_SHORT_MAX + 1];
    char status[8]; /* open | done */
    int64_t minutes, expenses, cost, hourly_rate;
    char created_at[32], updated_at[32], done_at[32];
} claims_task_t;

typedef struct {
    int64_t id;
    char outcome[16]; /* covered | partly_covered | declined */
    uint32_t responding;
    int war, infrastructure, intentional;
    char exploited[CLAIMS_MAX_EXPLOITED][32];
    size_t n_exploited;
    char rules_version[72]; /* rules.json's / exclusions.json's */
    char note[1024];
    int64_t decided_by;
    char decided_at[32];
    liab_check_t *checks;
    size_t n_checks;
} claims_liability_t;

typedef struct {
    int64_t id;
    int cov;
    char description[512];
    int64_t amount, outage_minutes, hourly_gross_profit;
    int64_t total; /* hourly gross profit × hours (rounded once) + amount */
    char documents[1024];
    int64_t created_by;
    char created_at[32];
} claims_line_item_t;

typedef struct {
    char rule[16]; /* loss | not_covered | waiting | retention | coinsurance | sublimit |
                      aggregate | total */
    int cov;       /* −1: the whole loss */
    int64_t before, after;
    char text[768];
} claims_trace_line_t;

typedef struct {
    int64_t id;
    int64_t aggregate_limit, retention;
    int bi_waiting_hours;
    int64_t aggregate_before, aggregate_after;
    int64_t claimed_total, declined_total, ground_up_total, waiting, retained, paid_total;
    int64_t settled_by;
    char settled_at[32];
    claims_trace_line_t *lines;
    size_t n_lines;
} claims_settlement_t;

typedef struct {
    int64_t id, amount, user_id;
    char reason[512], at[32];
} claims_reserve_t;

typedef struct {
    int64_t id, amount, user_id;
    char kind[8]; /* partial | final */
    char reference[128], paid_on[16], at[32];
} claims_payment_t;

typedef struct {
    int64_t id, amount, user_id;
    char source[16]; /* subrogation | salvage | other */
    char counterparty[256], received_on[16], note[512], at[32];
} claims_recovery_t;

typedef struct {
    int64_t id, incident_id, policy_id, insurer_org_id, insured_org_id;
    char claim_no[CLAIMS_NO_MAX], policy_no[POLICYNO_MAX];
    char insurer_name[256], insured_name[256];
    char region[8];
    char section;
    char status[16], status_before_close[16];
    int notice_late;
    char incident_type[32];
    char occurred_at[32], discovered_at[32], reported_at[32];
    char description[CLAIMS_TEXT_MAX + 1];
    char systems[CLAIMS_SHORT_MAX + 1];
    char data_affected[CLAIMS_SHORT_MAX + 1];
    int64_t estimate_total;
    int64_t estimates[COV_N];   /* fen; −1: none for the coverage */
    char liability_outcome[16]; /* "" until decided */
    int64_t settled_amount;     /* −1 until settled */
    int64_t paid, recovered;
    int64_t reserve; /* −1 when the caller may not see reserves */
    int64_t response_cost;
    char notified_at[32], first_response_at[32], settled_at[32], closed_at[32];
    char created_at[32], updated_at[32];
    char party[12];   /* the caller's side */
    unsigned actions; /* CLAIMS_ACT_* */
    /* the details (a record, not a list's item); those the caller may not see stay empty */
    int with_details;
    claims_status_t *statuses;
    size_t n_statuses;
    claims_event_t *events;
    size_t n_events;
    claims_assignment_t *assignments;
    size_t n_assignments;
    claims_task_t *tasks;
    size_t n_tasks;
    int has_liability;
    claims_liability_t liability;
    claims_line_item_t *line_items;
    size_t n_line_items;
    int has_settlement;
    claims_settlement_t settlement;
    claims_reserve_t *reserves;
    size_t n_reserves;
    claims_payment_t *payments;
    size_t n_payments;
    claims_recovery_t *recoveries;
    size_t n_recoveries;
} claims_claim_t;

typedef struct {
    claims_claim_t *items; /* without details */
    size_t n;
    int64_t next;
} claims_claim_list_t;

cy_status_t claims_get(app_t *app, const actor_t *a, int64_t now, int64_t id, claims_claim_t *out,
                       cy_error_t *err);
/* Claims the caller sees, newest first; status NULL: any (else CY_EBADREQ status_invalid). */
cy_status_t claims_list(app_t *app, const actor_t *a, int64_t now, const char *status,
                        const app_page_t *pg, claims_claim_list_t *out, cy_error_t *err);
void claims_claim_free(claims_claim_t *c);
void claims_claim_list_free(claims_claim_list_t *l);

/* ---------- the timeline ---------- */

typedef struct {
    const char *kind; /* note | call | decision */
    const char *text;
    int to_insured, to_responder; /* who besides the insurer reads it (the author's side always) */
} claims_note_in_t;

/* Append to the timeline (ACT_CLAIM_NOTE); *out is the claim as the caller sees it after. */
cy_status_t claims_note(app_t *app, const actor_t *a, int64_t now, int64_t id,
                        const claims_note_in_t *in, claims_claim_t *out, cy_error_t *err);

/* ---------- incident response (应急处置) ---------- */

typedef struct {
    int64_t service_org_id;
    const char *service; /* a service code of data/claims/rules.json */
    int has_hourly_rate; /* not on the panel: the rate (≤ the rules' non-panel rate) */
    int64_t hourly_rate; /* fen */
    const char *note;    /* NULL: none */
} claims_assign_in_t;

/*
 * The insurer (ACT_CLAIM_ASSIGN) assigns a service organisation to the
 * claim: a member of its panel for that service at the panel's rate, or
 * another at a rate no higher than the rules' non-panel rate (rate_above_
 * non_panel). The first assignment is the claim's first response.
 */
cy_status_t claims_assign(app_t *app, const actor_t *a, int64_t now, int64_t id,
                          const claims_assign_in_t *in, claims_claim_t *out, cy_error_t *err);

typedef struct {
    int64_t assignment_id;      /* 0: the caller's only assignment on the claim */
    const char *title, *detail; /* update: NULL unchanged */
    int has_minutes, has_expenses;
    int64_t minutes, expenses;
    const char *status; /* open | done; NULL: open (create) or unchanged */
} claims_task_in_t;

/* A responder (ACT_CLAIM_RESPOND) records a task, its hours and expenses. */
cy_status_t claims_task_add(app_t *app, const actor_t *a, int64_t now, int64_t id,
                            const claims_task_in_t *in, claims_claim_t *out, cy_error_t *err);
cy_status_t claims_task_update(app_t *app, const actor_t *a, int64_t now, int64_t id,
                               int64_t task_id, const claims_task_in_t *in, claims_claim_t *out,
                               cy_error_t *err);

typedef struct {
    claims_task_t *items;
    size_t n;
    int64_t next;
} claims_task_list_t;

/* The tasks of the claims the caller sees (a responder: its own), newest first; status NULL: any.
 */
cy_status_t claims_tasks(app_t *app, const actor_t *a, int64_t now, const char *status,
                         const app_page_t *pg, claims_task_list_t *out, cy_error_t *err);
void claims_task_list_free(claims_task_list_t *l);

/* ---------- the panel ---------- */

typedef struct {
    int64_t id, insurer_org_id, service_org_id;
    char insurer_name[256], service_org_name[256];
    char services[CLAIMS_PANEL_SERVICES][32];
    size_t n_services;
    int64_t hourly_rate;
    int active;
    char note[512];
    char created_at[32], updated_at[32];
} claims_panel_t;

typedef struct {
    int64_t service_org_id;      /* create only */
    const char *const *services; /* NULL: unchanged (update) */
    size_t n_services;
    int has_hourly_rate, has_active;
    int64_t hourly_rate;
    int active;
    const char *note;
} claims_panel_in_t;

typedef struct {
    claims_panel_t *items;
    size_t n;
    int64_t next;
} claims_panel_list_t;

/* An insurer's panel (ACT_PANEL_READ: the insurer its own, operators all, service orgs theirs). */
cy_status_t claims_panel_list(app_t *app, const actor_t *a, int64_t now, const app_page_t *pg,
                              claims_panel_list_t *out, cy_error_t *err);
cy_status_t claims_panel_add(app_t *app, const actor_t *a, int64_t now, const claims_panel_in_t *in,
                             claims_panel_t *out, cy_error_t *err);
cy_status_t claims_panel_update(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                const claims_panel_in_t *in, claims_panel_t *out, cy_error_t *err);
void claims_panel_list_free(claims_panel_list_t *l);

/* ---------- liability (定责) and loss adjustment (定损) ---------- */

typedef struct {
    int war, infrastructure, intentional; /* what the adjuster found */
    const char *const *exploited;         /* CVE ids the incident exploited */
    size_t n_exploited;
    const char *note; /* NULL: none */
} claims_liability_in_t;

/*
 * The insurer (ACT_CLAIM_ADJUST) decides liability on the coverages claimed
 * (the line items, else the estimates) with the policy's terms at the time
 * of the loss, the wording's exclusions and the insured's known
 * vulnerabilities (its policy's assessment's findings). Again before the
 * settlement replaces the decision; after it, CY_ECONFLICT.
 */
cy_status_t claims_liability(app_t *app, const actor_t *a, int64_t now, int64_t id,
                             const claims_liability_in_t *in, claims_claim_t *out, cy_error_t *err);

typedef struct {
    const char *coverage;
    const char *description;
    int64_t amount;
    int64_t outage_minutes, hourly_gross_profit; /* bi outage; 0: none */
    const char *documents;                       /* NULL: none */
} claims_line_item_in_t;

/* A line item (ACT_CLAIM_ADJUST); its coverage must be insured (coverage_not_insured). */
cy_status_t claims_line_item_add(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                 const claims_line_item_in_t *in, claims_claim_t *out,
                                 cy_error_t *err);
cy_status_t claims_line_item_delete(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                    int64_t item_id, claims_claim_t *out, cy_error_t *err);

/* ---------- settlement, reserves, payments, recoveries ---------- */

/*
 * The settlement (ACT_CLAIM_SETTLE): the line items on the coverages
 * liability found responding, through terms_apply with the policy's terms
 * at the loss and what the policy year's aggregate limit has left (the
 * limit's row locked for the transaction, so two settlements on one policy
 * never spend the same limit). preview: computed and answered in *preview,
 * nothing stored (*out then untouched).
 */
typedef struct {
    int preview;
} claims_settle_in_t;

cy_status_t claims_settle(app_t *app, const actor_t *a, int64_t now, int64_t id,
                          const claims_settle_in_t *in, claims_settlement_t *preview,
                          claims_claim_t *out, cy_error_t *err);
void claims_settlement_free(claims_settlement_t *s);

typedef struct {
    int64_t amount;
    const char *reason;
} claims_reserve_in_t;

/* A case reserve (ACT_CLAIM_ADJUST). */
cy_status_t claims_reserve(app_t *app, const actor_t *a, int64_t now, int64_t id,
                           const claims_reserve_in_t *in, claims_claim_t *out, cy_error_t *err);

typedef struct {
    const char *kind; /* partial | final */
    int64_t amount;
    const char *reference, *paid_on; /* paid_on YYYY-MM-DD Beijing; NULL: today */
} claims_payment_in_t;

/* A payment (ACT_CLAIM_PAY): never above what is left of the settled amount
 * (payment_above_settled). */
cy_status_t claims_pay(app_t *app, const actor_t *a, int64_t now, int64_t id,
                       const claims_payment_in_t *in, claims_claim_t *out, cy_error_t *err);

typedef struct {
    const char *source; /* subrogation | salvage | other */
    const char *counterparty, *received_on, *note;
    int64_t amount;
} claims_recovery_in_t;

cy_status_t claims_recover(app_t *app, const actor_t *a, int64_t now, int64_t id,
                           const claims_recovery_in_t *in, claims_claim_t *out, cy_error_t *err);

/* Close (reserve to 0) and reopen (ACT_CLAIM_CLOSE), each with its reason. */
cy_status_t claims_close(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *reason,
                         claims_claim_t *out, cy_error_t *err);
cy_status_t claims_reopen(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *reason,
                          claims_claim_t *out, cy_error_t *err);

/* ---------- figures for the pilot ---------- */

typedef enum {
    CLAIMS_BY_POLICY,
    CLAIMS_BY_INSURER,
    CLAIMS_BY_REGION,
    CLAIMS_BY_INDUSTRY
} claims_by_t;

typedef struct {
    claims_by_t by;
    int64_t from, to; /* notices in [from, to) UTC seconds; 0: open */
} claims_figures_in_t;

typedef struct {
    char key[POLICYNO_MAX]; /* policy no, insurer id, region code, industry section */
    char name[256];         /* the insurer's name; "" otherwise */
    int64_t claims, open, settled;
    int64_t paid, recovered, reserves;
    int64_t responded, settled_n; /* claims with a first response, settled */
    int64_t response_seconds_sum, settle_seconds_sum;
    double avg_response_hours, avg_settle_hours; /* −1 when none */
} claims_figure_t;

typedef struct {
    claims_figure_t *rows;
    size_t n;
    claims_figure_t total;
} claims_figures_t;

/*
 * claims_figures: claims count, open and settled, paid, recovered, reserves
 * outstanding, and the average time from notice to first response and to
 * settlement, per policy, insurer, region or industry, computed by SQL
 * aggregation over the caller's scope (ACT_CLAIM_FIGURES: operators
 * everything, a regional authority its region, an insurer its own book).
 * For the statistics and the pilot's progress reports.
 */
cy_status_t claims_figures(app_t *app, const actor_t *a, int64_t now, const claims_figures_in_t *in,
                           claims_figures_t *out, cy_error_t *err);
void claims_figures_free(claims_figures_t *f);

#endif
