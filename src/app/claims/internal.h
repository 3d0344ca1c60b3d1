/*
 * internal.h — what the claims files (app/claims/) share and nobody else
 * sees. Three floors, each using only the ones below it:
 *
 *   use cases     notice.c claim.c timeline.c response.c panel.c adjust.c
 *                 settle.c money.c figures.c
 *   shared steps  common.c: the caller's party on a claim, checks of values
 *                 as sent (each refusal in words), entering a claim in a
 *                 transaction, the claim as the caller sees it after a write
 *                 policy.c: a policy through app/uw/uw.h as claims needs it
 *   records       db_claim.c db_event.c db_response.c db_adjust.c
 *                 db_settle.c db_money.c: each table read and written in one
 *                 place, its columns by name; rows.c: the list reader they share
 *
 * A use-case file never calls another. Depends on core/, data/, store/ and
 * app/uw.
 */
#ifndef CY_APP_CLAIMS_INTERNAL_H
#define CY_APP_CLAIMS_INTERNAL_H

#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"
#include "app/claims/claims.h"
#include "core/authz.h"
#include "core/liability.h"
#include "core/loss.h"
#include "core/terms.h"
#include "data/claims.h"

/* ---------- the rows of a list (rows.c) ---------- */

/* Reads what a column map cannot (a list in one column, a NULL that means -1) into item. */
typedef void (*claims_row_fn)(const store_rows_t *r, void *item);

/*
 * How a row becomes an item (zeroed before): its plain fields by the column
 * map cols (store.h), then, when fix is not NULL, the rest by fix.
 */
typedef struct {
    const store_col_t *cols;
    size_t n_cols;
    claims_row_fn fix;
} claims_map_t;

#define CLAIMS_MAP(cols, fix) (&(const claims_map_t){(cols), STORE_COLS_N(cols), (fix)})
#define CLAIMS_FIX(fix)       (&(const claims_map_t){NULL, 0, (fix)})

/*
 * claims_rows runs sql and maps every row by map into a new array of
 * items of size bytes (*items malloc'd, *n of them; NULL when none). With
 * limit > 0 at most limit rows are kept and *more (may be NULL) says whether
 * another followed (the query asks for limit + 1).
 */
cy_status_t claims_rows(store_conn_t *c, const char *sql, const store_param_t *p, int np,
                        size_t size, const claims_map_t *map, int limit, void **items, size_t *n,
                        int *more, cy_error_t *err);

/* claims_row_one maps the first row of sql by map into item (size bytes); *found says whether there
 * was one. */
cy_status_t claims_row_one(store_conn_t *c, const char *sql, const store_param_t *p, int np,
                           size_t size, const claims_map_t *map, void *item, int *found,
                           cy_error_t *err);

/*
 * claims_page reads one page of a list of claims' records as a sees it, by
 * claims_rows: in sql, $1 is 1 when a sees every record, $2 a's
 * organisation, $3 the status asked for (NULL: any), $4 the cursor (the
 * records below that id) and $5 the page's size + 1. *more says whether
 * another page follows.
 */
cy_status_t claims_page(store_conn_t *c, const char *sql, const actor_t *a, const char *status,
                        const app_page_t *pg, size_t size, const claims_map_t *map, void **items,
                        size_t *n, int *more, cy_error_t *err);

/*
 * A record of a claim read with its lines (a liability decision and its
 * checks, a settlement and its trace): the latest head row of the claim
 * (head_sql's $1 the claim id) read by head_map into a struct of head_size
 * bytes, then the rows of that head (lines_sql's $1 the head's id, an
 * int64_t at id_at) read by line_map into the new array at lines_at, their
 * count (a size_t) at n_lines_at.
 */
typedef struct {
    const char *head_sql;
    size_t head_size;
    const claims_map_t *head_map;
    size_t id_at, lines_at, n_lines_at; /* offsets in the head's struct */
    const char *lines_sql;
    size_t line_size;
    const claims_map_t *line_map;
} claims_record_t;

/* db_adjust.c: claims_liability_t and its checks; db_settle.c: claims_settlement_t and its trace */
extern const claims_record_t CLAIMS_LIABILITY, CLAIMS_SETTLEMENT;

/* claims_record_read reads rec's head of claim_id and its lines into head (zeroed first; *found 0
 * when there is none). */
cy_status_t claims_record_read(store_conn_t *c, const claims_record_t *rec, int64_t claim_id,
                               void *head, int *found, cy_error_t *err);

/* ---------- parties and checks (common.c) ---------- */

typedef enum {
    PARTY_NONE,
    PARTY_OPERATOR,
    PARTY_INSURER,
    PARTY_INSURED,
    PARTY_RESPONDER
} claims_party_t;

const char *claims_party_name(claims_party_t p);

/* A field of a request as a refusal names it: its key and its words. */
typedef struct {
    const char *key, *zh, *en;
} claims_field_t;

/*
 * claims_text: s (NULL: absent) at most max bytes of UTF-8 without control
 * characters (line breaks allowed), not empty when required; refusals
 * missing_field, too_long, utf8_invalid, control_char in words.
 */
cy_status_t claims_text(const char *s, const claims_field_t *f, size_t max, int required,
                        cy_error_t *err);
/* claims_amount: x in [lo, hi] fen, else out_of_range in words with the amounts in 元. */
cy_status_t claims_amount(int64_t x, const claims_field_t *f, int64_t lo, int64_t hi,
                          cy_error_t *err);
/* claims_time: Beijing time text (bjtime_parse) not after now; time_invalid / time_future. */
cy_status_t claims_time(const char *s, const claims_field_t *f, int64_t now, int64_t *out,
                        cy_error_t *err);
/* claims_date: YYYY-MM-DD (Beijing), not after today at now, into out[16]; NULL: today. */
cy_status_t claims_date(const char *s, const claims_field_t *f, int64_t now, char out[16],
                        cy_error_t *err);
/*
 * claims_list_open: a list's opening — the caller may read claims (403),
 * the status filter, when given, is one of statuses (400 naming f) — and a
 * pooled connection for the read, released by the caller.
 */
cy_status_t claims_list_open(app_t *app, const actor_t *a, const char *status,
                             const claims_field_t *f, const char *const *statuses, store_conn_t **c,
                             cy_error_t *err);

/* claims_one_of: s is one of the NULL-ended codes (shown in the refusal), else value_invalid. */
cy_status_t claims_one_of(const char *s, const claims_field_t *f, const char *const *codes,
                          cy_error_t *err);
/* claims_coverage: a coverage code into its index; coverage_unknown on f. */
cy_status_t claims_coverage(const char *code, const claims_field_t *f, int *cov, cy_error_t *err);
void claims_copy(char *dst, size_t cap, const char *src);
/* The id as audit object text. */
const char *claims_id_text(int64_t id, char buf[24]);

/*
 * claims_party: who the actor is on claim cl (PARTY_NONE: nobody, answered
 * 404); a responder is a service organisation with an assignment on it.
 */
cy_status_t claims_party(store_conn_t *c, const actor_t *a, const claims_claim_t *cl,
                         claims_party_t *party, cy_error_t *err);

/*
 * claims_enter: inside the open transaction c, lock claim id (its row is
 * updated at now, so concurrent writes on one claim take turns), read it
 * into *cl, and let the actor in for act: not a party → 404, the table
 * refuses the role → 403, a party other than need (PARTY_NONE: any) → 403.
 */
cy_status_t claims_enter(store_conn_t *c, const actor_t *a, int64_t now, int64_t id,
                         authz_action_t act, claims_party_t need, claims_claim_t *cl,
                         claims_party_t *party, cy_error_t *err);

/*
 * claims_peek: the same checks without a transaction or a lock, for a use
 * case that must read a policy through app/uw before it opens its own.
 */
cy_status_t claims_peek(app_t *app, const actor_t *a, int64_t id, authz_action_t act,
                        claims_party_t need, claims_claim_t *cl, cy_error_t *err);

/*
 * claims_step: what every write of a claim does besides its own rows,
 * inside c: the claim's row stored as *cl now holds it (status, money,
 * times), a timeline entry of the system (shown to everyone on the claim)
 * and the audit entry, both saying the formatted "中文 / English". With
 * status not NULL the claim moves to that status first, recorded in its
 * history with reason.
 */
cy_status_t claims_step(store_conn_t *c, const actor_t *a, int64_t now, claims_claim_t *cl,
                        const char *action, const char *status, const char *reason, cy_error_t *err,
                        const char *fmt, ...) __attribute__((format(printf, 9, 10)));

/*
 * claims_after answers a write: when st is CY_OK, *out is the claim as the
 * caller sees it now (claims_view); otherwise st as it is.
 */
cy_status_t claims_after(app_t *app, const actor_t *a, int64_t now, int64_t id, cy_status_t st,
                         claims_claim_t *out, cy_error_t *err);

/* claims_view: claim id with the details party may see, and the caller's actions. */
cy_status_t claims_view(app_t *app, const actor_t *a, int64_t now, int64_t id, claims_claim_t *out,
                        cy_error_t *err);

/*
 * claims_notify raises, inside c, notification kind (data/platform.json) to
 * organisation org_id about claim cl, linking to its page; its webhooks get it.
 */
cy_status_t claims_notify(app_t *app, store_conn_t *c, int64_t now, int64_t org_id,
                          const char *kind, const claims_claim_t *cl, const char *zh,
                          const char *en, cy_error_t *err);

/* ---------- the evidence chain (db_evidence.c) ---------- */

/* Insert link e (e->id set). */
cy_status_t claims_evidence_insert(store_conn_t *c, claims_evidence_t *e, cy_error_t *err);
/* Every link of claim claim_id by seq (*out malloc'd, NULL when none). */
cy_status_t claims_evidence_read(store_conn_t *c, int64_t claim_id, claims_evidence_t **out,
                                 size_t *n, cy_error_t *err);

/* The hash of evidence link e over its fields and e->prev_hash (evidence.c, docs/claims.md). */
void claims_link_hash(const claims_evidence_t *e, char out[65]);
/* claims_chain_check: the chain items[0..n) checked link by link; *k the first bad one. */
cy_status_t claims_chain_check(app_t *app, const claims_evidence_t *items, size_t n,
                               claims_chain_check_t *k, cy_error_t *err);

/* ---------- policies (policy.c) ---------- */

/* A policy as claims needs it, as at one time. */
typedef struct {
    int64_t id, insurer_org_id, insured_org_id, assessment_id;
    char policy_no[POLICYNO_MAX], insurer_name[256];
    char region[8];
    char section;
    char period_start[32], period_end[32], trigger[16], retro_date[32];
    liab_policy_t liab;
    terms_t terms;
} claims_policy_t;

/* Policy id as at time at, through app_uw_policy_get with the actor's eyes. */
cy_status_t claims_policy_at(app_t *app, const actor_t *a, int64_t id, int64_t at,
                             claims_policy_t *out, cy_error_t *err);
/* Every policy of the insured as at time at (the newest APP_PAGE_MAX, newest first). */
#define CLAIMS_POLICIES_SEEN APP_PAGE_MAX
cy_status_t claims_policies_of(app_t *app, int64_t insured, int64_t at, claims_policy_t *out,
                               size_t *n, cy_error_t *err);
/* The insured's known vulnerabilities: the findings of the assessment its policy was quoted on. */
cy_status_t claims_known_vulns(app_t *app, const actor_t *a, int64_t now, int64_t assessment_id,
                               liab_vuln_t **out, char (**cves)[32], size_t *n, cy_error_t *err);

/* ---------- claims and incidents (db_claim.c) ---------- */

/* The incident with these key facts, if any (*id 0: none). */
cy_status_t claims_incident_find(store_conn_t *c, int64_t insured, const char *type,
                                 const char *discovered_at, int64_t *id, cy_error_t *err);
cy_status_t claims_incident_insert(store_conn_t *c, claims_incident_t *in, cy_error_t *err);
cy_status_t claims_incident_read(store_conn_t *c, int64_t id, claims_incident_t *out, int *found,
                                 cy_error_t *err);
/* The claims of an incident into its policies' rows (claim id and number, policy, insurer). */
cy_status_t claims_incident_claims(store_conn_t *c, claims_incident_t *in, cy_error_t *err);
cy_status_t claims_incident_list_read(store_conn_t *c, const actor_t *a, const app_page_t *pg,
                                      claims_incident_list_t *out, cy_error_t *err);
/* The claim of incident on policy (*id 0: none), with its number. */
cy_status_t claims_claim_of(store_conn_t *c, int64_t incident, int64_t policy, int64_t *id,
                            char no[CLAIMS_NO_MAX], char at[32], cy_error_t *err);
cy_status_t claims_claim_insert(store_conn_t *c, claims_claim_t *cl, cy_error_t *err);
cy_status_t claims_claim_read(store_conn_t *c, int64_t id, claims_claim_t *cl, int *found,
                              cy_error_t *err);
/* Lock claim id for the transaction (its updated_at set to at); *found 0 when absent. */
cy_status_t claims_claim_lock(store_conn_t *c, int64_t id, const char *at, int *found,
                              cy_error_t *err);
cy_status_t claims_claim_list_read(store_conn_t *c, const actor_t *a, const char *status,
                                   const app_page_t *pg, claims_claim_list_t *out, cy_error_t *err);
cy_status_t claims_estimates_write(store_conn_t *c, int64_t claim_id, const int64_t est[COV_N],
                                   cy_error_t *err);
/* Store cl's status, money, liability outcome and times as they are in the struct. */
cy_status_t claims_claim_update(store_conn_t *c, const claims_claim_t *cl, cy_error_t *err);
cy_status_t claims_status_insert(store_conn_t *c, int64_t claim_id, const actor_t *a,
                                 const char *status, const char *at, const char *reason,
                                 cy_error_t *err);
cy_status_t claims_statuses_read(store_conn_t *c, claims_claim_t *cl, cy_error_t *err);
/* The figures' rows, grouped by in->by, over the scope (all, org, region prefix). */
cy_status_t claims_figures_read(store_conn_t *c, const claims_figures_in_t *in, int all,
                                int64_t org, const char *region, claims_figures_t *out,
                                cy_error_t *err);

/* ---------- the timeline (db_event.c) ---------- */

cy_status_t claims_event_insert(store_conn_t *c, int64_t claim_id, const claims_event_t *e,
                                cy_error_t *err);
/* The entries party (of organisation org) sees. */
cy_status_t claims_events_read(store_conn_t *c, claims_claim_t *cl, claims_party_t party,
                               int64_t org, cy_error_t *err);

/* ---------- panel, assignments, tasks (db_response.c) ---------- */

cy_status_t claims_panel_read(store_conn_t *c, int64_t id, claims_panel_t *p, int *found,
                              cy_error_t *err);
/* The insurer's active panel member org for service (*found 0: none). */
cy_status_t claims_panel_member(store_conn_t *c, int64_t insurer, int64_t org, const char *service,
                                claims_panel_t *p, int *found, cy_error_t *err);
cy_status_t claims_panel_insert(store_conn_t *c, claims_panel_t *p, cy_error_t *err);
cy_status_t claims_panel_update_row(store_conn_t *c, const claims_panel_t *p, cy_error_t *err);
/* The panel the actor sees: an insurer its own, a service organisation where it is a member. */
cy_status_t claims_panel_list_read(store_conn_t *c, int all, int64_t org, const app_page_t *pg,
                                   claims_panel_list_t *out, cy_error_t *err);
/* An organisation's type and name (*found 0: none). */
cy_status_t claims_org_read(store_conn_t *c, int64_t id, char type[24], char name[256], int *found,
                            cy_error_t *err);
cy_status_t claims_assignment_insert(store_conn_t *c, int64_t claim_id, claims_assignment_t *s,
                                     cy_error_t *err);
/* The assignments of a claim (org > 0: only that organisation's). */
cy_status_t claims_assignments_read(store_conn_t *c, claims_claim_t *cl, int64_t org,
                                    cy_error_t *err);
cy_status_t claims_assigned(store_conn_t *c, int64_t claim_id, int64_t org, int *yes,
                            cy_error_t *err);
cy_status_t claims_task_insert(store_conn_t *c, claims_task_t *t, cy_error_t *err);
cy_status_t claims_task_update_row(store_conn_t *c, const claims_task_t *t, cy_error_t *err);
cy_status_t claims_task_read(store_conn_t *c, int64_t id, claims_task_t *t, int *found,
                             cy_error_t *err);
/* The tasks of a claim (org > 0: only that organisation's) and their cost in all. */
cy_status_t claims_tasks_read(store_conn_t *c, claims_claim_t *cl, int64_t org, cy_error_t *err);
cy_status_t claims_task_list_read(store_conn_t *c, const actor_t *a, const char *status,
                                  const app_page_t *pg, claims_task_list_t *out, cy_error_t *err);

/* ---------- liability and line items (db_adjust.c) ---------- */

cy_status_t claims_liability_insert(store_conn_t *c, int64_t claim_id, claims_liability_t *l,
                                    cy_error_t *err);
/* The decision in force (the latest) with its checks; *found 0: none. */
void claims_liability_free(claims_liability_t *l);
cy_status_t claims_line_item_insert(store_conn_t *c, int64_t claim_id, claims_line_item_t *li,
                                    cy_error_t *err);
cy_status_t claims_line_item_remove(store_conn_t *c, int64_t claim_id, int64_t id, int *found,
                                    cy_error_t *err);
cy_status_t claims_line_items_read(store_conn_t *c, claims_claim_t *cl, cy_error_t *err);

/* ---------- settlement and the aggregate limit (db_settle.c) ---------- */

/*
 * claims_limit_lock: the policy's row of claim_limit, created when absent
 * and locked for the transaction (an UPDATE, which PostgreSQL holds to the
 * commit and SQLite's one writer serialises), then read: what the policy
 * year has paid out of its aggregate limit, its settlements and claims.
 */
typedef struct {
    int64_t eroded;
    int settlements, claims;
} claims_limit_t;

cy_status_t claims_limit_lock(store_conn_t *c, int64_t policy_id, const char *at,
                              claims_limit_t *out, cy_error_t *err);
cy_status_t claims_limit_write(store_conn_t *c, int64_t policy_id, const claims_limit_t *l,
                               const char *at, cy_error_t *err);
cy_status_t claims_settlement_insert(store_conn_t *c, int64_t claim_id, claims_settlement_t *s,
                                     cy_error_t *err);

/* ---------- reserves, payments, recoveries (db_money.c) ---------- */

/*
 * A table of a claim's own rows, each written once and never changed
 * (claim_reserve, claim_payment, claim_recovery; claim_settlement): its name and the column
 * map of its rows (size bytes each), the id first. Its SQL is made from the
 * map: a new row is claim_id and the map's other columns; a claim's rows
 * are read in the order they were written.
 */
typedef struct {
    const char *table;
    const store_col_t *cols; /* cols[0]: the id */
    size_t n_cols;           /* at most CLAIMS_TABLE_COLS */
    size_t size;
} claims_table_t;

#define CLAIMS_TABLE_COLS 16

extern const claims_table_t CLAIMS_RESERVES, CLAIMS_PAYMENTS, CLAIMS_RECOVERIES;

/* claims_table_insert writes item as a new row of t for claim_id, and its new id into item. */
cy_status_t claims_table_insert(store_conn_t *c, const claims_table_t *t, int64_t claim_id,
                                void *item, cy_error_t *err);
/* claims_table_read reads the rows of t of claim_id into a new array *items of *n. */
cy_status_t claims_table_read(store_conn_t *c, const claims_table_t *t, int64_t claim_id,
                              void **items, size_t *n, cy_error_t *err);

#endif
