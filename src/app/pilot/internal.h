/*
 * internal.h — what the files of app/pilot/ share and nothing else
 * includes (http/ and cli/ use pilot.h). The files, each calling only
 * those listed before it:
 *
 *   rounds.c     the rounds and review criteria (data/), the public answers
 *   form.c       pf_check, the one schema checker of every form; plain
 *                inputs (a required text, a date); refusals
 *   rows.c       rows into JSON by column name; what a caller sees; lists
 *   annex.c      the notice's four forms and the round's rules on them
 *   org.c        organisations as the rules see them; authorities; the
 *                基础电信企业 flag
 *   units.c      the units of a document and their confirmations
 *   route.c      routes, hops, receipts judged against deadlines
 *   document.c   schemes and plans as their shared lifecycle sees them
 *   view.c       a scheme or a plan as its reader sees it
 *   draft.c      drafting, editing, confirming a scheme or plan
 *   scheme.c review.c plan.c package.c extension.c run.c overdue.c
 *                the rest of the use cases, by what they act on
 *   read.c       one record by id, through its file's view
 *
 * May use jansson, core/ and store/; never http/ or cli/.
 */
#ifndef CY_APP_PILOT_INTERNAL_H
#define CY_APP_PILOT_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"
#include "app/pilot/pilot.h"
#include "core/authz.h"
#include "core/review.h"
#include "core/round.h"
#include "core/routing.h"
#include "data/pilot.h"

/* ---- rounds.c ----------------------------------------------------------- */

/* The round called id, or NULL. */
const round_t *pilot_round_find(const app_t *app, const char *id);
/*
 * pilot_round_need: the round called id; refused with status `refusal`
 * (CY_EINVAL for a form's field, CY_EBADREQ for a query parameter):
 * missing_field when id is empty, round_unknown when no file has it.
 */
cy_status_t pilot_round_need(const app_t *app, const char *id, const char *field,
                             cy_status_t refusal, const round_t **out, cy_error_t *err);
/* What round r's schemes are scored on (its review_criteria, else the default); r NULL: the
 * default. */
const review_criteria_t *pilot_criteria(const app_t *app, const round_t *r);
/* The criteria as answers show them. */
json_t *pilot_criteria_json(const review_criteria_t *c);

/* ---- form.c ------------------------------------------------------------- */

/*
 * A field of a form: s short text (one line), l long text (newlines
 * allowed), i integer, b boolean, o object of sub (sub NULL: free keys, each a
 * long text of at most max bytes), a array of objects of sub,
 * t array of short texts. max: bytes for texts, items for arrays.
 */
typedef struct pf_field {
    const char *name;
    char kind;
    size_t max;
    const struct pf_field *sub;
    const char *zh, *en; /* the field in words: "统一社会信用代码" / "USCC" */
} pf_field_t;

/*
 * pf_check: obj holds only fields of spec (ended by {NULL}), each of its
 * kind, within its size; null stands for "empty" anywhere. Texts must be
 * valid UTF-8 without control characters (long texts may hold \n, \r, \t).
 * Refusal: CY_EBADREQ for a wrong shape (unknown_field, wrong_type),
 * CY_EINVAL for a broken limit; the error's field is the path
 * ("joint_units[3].uscc"), its message says it in words (联合申报单位第4项的
 * 统一社会信用代码 / joint units, item 4: USCC).
 */
cy_status_t pf_check(const pf_field_t *spec, json_t *obj, const char *base, cy_error_t *err);
/*
 * pf_words writes the field at path ("joint_units[3].uscc", "lead_info.fax")
 * of spec in words into zh and en; returns the field, or NULL when spec has
 * no such path.
 */
const pf_field_t *pf_words(const pf_field_t *spec, const char *path, char *zh, size_t zh_cap,
                           char *en, size_t en_cap);
/*
 * pf_require_path: the value at path (dots, no indices) is given — a
 * non-blank text, an integer, a non-empty array or object. Refusal
 * CY_EINVAL missing_field on path, in words.
 */
cy_status_t pf_require_path(const pf_field_t *spec, json_t *form, const char *path,
                            cy_error_t *err);
/* The text at obj[key], "" when absent, null or not a string. */
const char *pf_str(json_t *obj, const char *key);
/* 字数 of obj[key] (0 when absent); the text was checked by pf_check. */
size_t pf_zishu(json_t *obj, const char *key);
/* The size of the array at obj[key] (0 when absent). */
size_t pf_len(json_t *obj, const char *key);
/* Drop the keys whose value is null (a PATCH clears them). */
void pf_drop_nulls(json_t *obj);
/* CY_EINVAL missing_field on field (label in the message) when the text is blank. */
cy_status_t pf_require(json_t *obj, const char *key, const char *field, const char *label_zh,
                       const char *label_en, cy_error_t *err);

/* A plain text input: its field, its size in bytes, its refusals ("中文 / English"). */
typedef struct {
    const char *field;
    size_t max;
    const char *missing; /* when blank; NULL: it may be blank */
    const char *too_long;
} pilot_text_rule_t;

/* CY_EINVAL missing_field or too_long on rule->field. s may be NULL (blank). */
cy_status_t pilot_text_check(const char *s, const pilot_text_rule_t *rule, cy_error_t *err);
/* s past its leading blanks ("" for NULL). */
const char *pilot_text_trim(const char *s);
/* A date YYYY-MM-DD; *midnight (may be NULL) its start, Beijing time. CY_EINVAL date_invalid. */
cy_status_t pilot_date_check(const char *s, const char *field, const char *label_zh,
                             const char *label_en, int64_t *midnight, cy_error_t *err);

/* CY_EFORBIDDEN with the words zh / en. */
cy_status_t pilot_forbidden(cy_error_t *err, const char *zh, const char *en);
/* CY_EFORBIDDEN unless the actor's role may do act. */
cy_status_t pilot_need(const actor_t *a, authz_action_t act, cy_error_t *err);
/* 1 for the ministry, the support center and the command line: they see every record. */
int pilot_sees_all(const actor_t *a);

/* ---- rows.c ------------------------------------------------------------- */

/*
 * A result column, read BY NAME into the JSON member of the same name:
 * s text ("" for NULL), n text or null, i integer, I integer or null,
 * b 0/1 as a boolean, j JSON text parsed (null when NULL). A SELECT names
 * each column so (AS where a join would repeat a name).
 */
typedef struct {
    const char *name;
    char kind;
} pcol_t;

json_t *pilot_row_json(store_rows_t *r, const pcol_t *cols);
/* Append each row of the query as an object to array. */
cy_status_t pilot_query_json(store_conn_t *c, const char *sql, const store_param_t *p, int n,
                             const pcol_t *cols, json_t *array, cy_error_t *err);
/* The first row as an object, or *out = NULL when there is none. */
cy_status_t pilot_query_one(store_conn_t *c, const char *sql, const store_param_t *p, int n,
                            const pcol_t *cols, json_t **out, cy_error_t *err);
/*
 * pilot_insert_once: INSERT … RETURNING id of a row that may exist once; a
 * unique-key conflict is refused CY_ECONFLICT code on field with message
 * ("中文 / English").
 */
cy_status_t pilot_insert_once(store_conn_t *c, const char *sql, const store_param_t *p, int n,
                              int64_t *id, const char *code, const char *field, const char *message,
                              cy_error_t *err);
/* The same two for a query whose one parameter, $1, is an id. */
cy_status_t pilot_query_of(store_conn_t *c, const char *sql, int64_t id, const pcol_t *cols,
                           json_t *array, cy_error_t *err);
cy_status_t pilot_query_id(store_conn_t *c, const char *sql, int64_t id, const pcol_t *cols,
                           json_t **out, cy_error_t *err);

/*
 * Who sees what. Every visibility clause and every list of the pilot binds
 * the same parameters:
 *   $1  1 when the caller sees all (pilot_sees_all), else 0
 *   $2  the caller's organisation      $3  the caller's user
 *   $4  the caller's region as a LIKE pattern ("44%"), '' when it is no
 *       regional authority
 * one record adds $5, its id; a list adds its filter and page:
 *   $5 round_id ('' any)  $6 status ('' any)  $7 annex (0 any)
 *   $8 box (0 any, 1 inbox, 2 outbox)  $9 pilot_id (0 any)
 *   $10 the cursor  $11 one more than the page's limit
 */
#define PILOT_SEEN_N 4
#define PILOT_LIST_N 11

/* A scheme (alias s, its lead lo): its units, its experts, the authorities of its region once
 * submitted. */
#define PILOT_SCHEME_VISIBLE                                                                       \
    "($1 = 1 OR s.lead_org_id = $2 OR EXISTS (SELECT 1 FROM pilot_unit u WHERE u.kind = "          \
    "'scheme' AND u.doc_id = s.id AND u.org_id = $2) OR EXISTS (SELECT 1 FROM pilot_review v "     \
    "WHERE v.scheme_id = s.id AND v.expert_user_id = $3) OR ($4 <> '' AND s.status <> 'draft' "    \
    "AND lo.region_code LIKE $4))"
/* A plan (alias p): its author, its units, its holder, every authority it was sent or copied to. */
#define PILOT_PLAN_VISIBLE                                                                         \
    "($1 = 1 OR p.author_org_id = $2 OR p.holder_org_id = $2 OR EXISTS (SELECT 1 FROM "            \
    "pilot_unit u WHERE u.kind = 'plan' AND u.doc_id = p.id AND u.org_id = $2) OR EXISTS "         \
    "(SELECT 1 FROM pilot_hop h WHERE h.plan_id = p.id AND h.to_org_id = $2))"

/* The caller's $1..$4; like holds the pattern p[3] points to. */
void pilot_seen_params(const actor_t *a, char like[8], store_param_t p[PILOT_SEEN_N]);
/*
 * pilot_query_seen runs sql with the caller's $1..$4 and $5 = id and reads
 * its first row: *found says whether there is one; free *rows after (not
 * when the status is an error).
 */
cy_status_t pilot_query_seen(store_conn_t *c, const actor_t *a, const char *sql, int64_t id,
                             store_rows_t **rows, int *found, cy_error_t *err);
/* The same as a JSON object, *out = NULL when the caller does not see it. */
cy_status_t pilot_record_seen(store_conn_t *c, const actor_t *a, const char *sql, int64_t id,
                              const pcol_t *cols, json_t **out, cy_error_t *err);

/* A list: its query ($1..$11 above, ordered by id), its columns, its statuses (NULL: no filter). */
typedef struct {
    const char *sql;
    const pcol_t *cols;
    const char *const *statuses;
} pilot_list_t;

/*
 * pilot_list answers one page of l for the caller: a filter naming an
 * unknown round, a status not of the list or a box other than inbox and
 * outbox is CY_EBADREQ (round_unknown, status_invalid, box_unknown).
 * *items is always an array (the caller releases it); *next the cursor of
 * the next page or 0.
 */
cy_status_t pilot_list(app_t *app, const actor_t *a, const pilot_filter_t *f, const pilot_list_t *l,
                       json_t **items, int64_t *next, cy_error_t *err);

/* A use case that needs act opens its transaction once the caller may (*out = NULL). */
cy_status_t pilot_open(app_t *app, const actor_t *a, authz_action_t act, store_conn_t **c,
                       json_t **out, cy_error_t *err);
/* A report or a summary is filed in one transaction, once form has spec's shape (*out = NULL). */
cy_status_t pilot_filing_open(app_t *app, const pf_field_t *spec, json_t *form, store_conn_t **c,
                              json_t **out, cy_error_t *err);

/* ---- annex.c ------------------------------------------------------------ */

/* The form of an annex: 1 a scheme, 2–4 a plan. */
const pf_field_t *pilot_annex_form(int annex);
/* The action a role needs to write a document of the annex. */
authz_action_t pilot_annex_action(int annex);
/*
 * pilot_annex_check_draft: the rules a draft already keeps — the form's
 * shape (pf_check), the direction as far as given, the round's maxima, the
 * joint units (each a PRC legal person, none twice, not the lead of
 * lead_uscc; their USCC written upper case into form), the tables' codes.
 */
cy_status_t pilot_annex_check_draft(const app_t *app, const round_t *r, int annex, json_t *form,
                                    const char *lead_uscc, cy_error_t *err);
/*
 * What a document needs before it is submitted, on top of the draft's
 * rules; waived: bits 1 << round_limit_t of the 原则上 limits a waiver lets
 * this document exceed.
 */
cy_status_t pilot_annex_check_complete(const app_t *app, const round_t *r, int annex, json_t *form,
                                       unsigned waived, cy_error_t *err);
/* Every field a round requires (annexes.N.required) is a field of that annex's form. */
cy_status_t pilot_annex_required_valid(const round_t *r, cy_error_t *err);
/* 字数 the round counts: the scheme's body (1) or the plan's sections (2–4). */
size_t pilot_annex_body_zishu(int annex, json_t *form);
/* The 字数 a record shows, part by part. */
json_t *pilot_annex_zishu_json(int annex, json_t *form);
/* A list row shows a scheme's direction (and overview), not its form: row.form is replaced. */
void pilot_annex_direction(json_t *row, int overview);

/* ---- org.c -------------------------------------------------------------- */

/* An organisation as the pilot's rules need it. */
typedef struct {
    int64_t id;
    char name[256];
    org_type_t type;
    char uscc[19];
    char region[7], province[7], city[7];
    char licence[64];
    char nature[24];
    int telecom;
} pilot_org_t;

cy_status_t pilot_org_get(store_conn_t *c, int64_t id, pilot_org_t *o, int *found, cy_error_t *err);
cy_status_t pilot_org_by_uscc(store_conn_t *c, const char *uscc, pilot_org_t *o, int *found,
                              cy_error_t *err);
/* The level of an authority on a route; ROUTE_APPLICANT for everyone else. */
route_level_t pilot_level_of(const pilot_org_t *o);
/*
 * pilot_authority: the organisation registered at a route stop (the first by
 * id): the ministry, the province PP0000, the city PPCC00 (a 直辖市's
 * authority may be registered as its city or its province). Refusal:
 * CY_EINVAL authority_missing, field "region_code".
 */
cy_status_t pilot_authority(store_conn_t *c, const route_stop_t *stop, pilot_org_t *o,
                            cy_error_t *err);
/* The 通信管理局 of province PP0000; *found = 0 when none is registered. */
cy_status_t pilot_comm_admin(store_conn_t *c, const char *province, pilot_org_t *o, int *found,
                             cy_error_t *err);
/* An applicant unit's record; regional authorities see others' without contact data. */
cy_status_t pilot_org_json(store_conn_t *c, const actor_t *a, int64_t org_id, json_t **out,
                           cy_error_t *err);

/* ---- remind.c: deadline reminders through jobs ------------------------- */

/* Calendar days from now to at, Beijing time (0: the same day). */
int64_t pilot_days_left(int64_t now, int64_t at);
/* The deadline o's material is received under at its next stop (ROUND_DL_COUNT: none). */
round_deadline_t pilot_next_deadline(const app_t *app, const pilot_org_t *o);
/*
 * o has come to owe material under deadline k of round r: queue, owned by
 * the actor, one reminder job per day of r's reminders_days still ahead of
 * now (nothing for the command line, a deadline the round leaves open, or
 * one past).
 */
cy_status_t pilot_remind_schedule(store_conn_t *c, const actor_t *a, int64_t now, const round_t *r,
                                  round_deadline_t k, const pilot_org_t *o, cy_error_t *err);

/* ---- units.c ------------------------------------------------------------ */

/*
 * The units of a document of kind "scheme" or "plan". pilot_units_save
 * replaces them: the lead (seq 0), then the joint units of the form,
 * registered organisations resolved by USCC. pilot_units_json lists them
 * with each one's confirmation.
 */
cy_status_t pilot_units_save(store_conn_t *c, const char *kind, int64_t doc_id,
                             const pilot_org_t *lead, json_t *joint_units, cy_error_t *err);
cy_status_t pilot_units_json(store_conn_t *c, const char *kind, int64_t doc_id, json_t **out,
                             cy_error_t *err);
/* Every unit registered and confirmed; the licensed insurers among them counted into *insurers. */
cy_status_t pilot_check_confirmed(store_conn_t *c, const char *kind, int64_t doc_id,
                                  size_t *insurers, cy_error_t *err);
/* The joint units that are insurance service institutions (service orgs, insurers). */
cy_status_t pilot_units_institutions(store_conn_t *c, const char *kind, int64_t doc_id, size_t *n,
                                     cy_error_t *err);
/*
 * pilot_confirm records the actor's confirmation for its own unit of a
 * document (the caller checked it may still change): the legal
 * representative's name, the day, and the 真实性承诺 and 申报主体责任声明 of
 * the document's round and annex word for word. Refusals: not a unit
 * (403), not its admin (403), legal_representative blank or too long (422).
 */
struct pilot_doc;
cy_status_t pilot_confirm(store_conn_t *c, const actor_t *a, int64_t now, const struct pilot_doc *d,
                          const char *legal_representative, cy_error_t *err);
/* Drop every confirmation of a document (its content changed); how many into *cleared. */
cy_status_t pilot_confirm_clear(store_conn_t *c, const char *kind, int64_t doc_id, int64_t *cleared,
                                cy_error_t *err);

/* ---- route.c ------------------------------------------------------------ */

/* A receipt judged: the deadline it was held to and the extension that let it in (0: none). */
typedef struct {
    round_deadline_t deadline;
    int64_t deadline_at; /* 0: the round sets none */
    int64_t extension_id;
    int late; /* accepted after the deadline: the round flags it instead of refusing */
} pilot_receipt_t;

/*
 * pilot_receipt_judge: the receipt by `to` at now from from_org, against
 * deadline k of the round at to's province, moved by the extension `to`
 * granted from_org. Late: refused with CY_EINVAL deadline_passed
 * (core/round.c), or, where the round's late_policy flags deadline k,
 * accepted with out->late = 1.
 */
cy_status_t pilot_receipt_judge(store_conn_t *c, const round_t *r, round_deadline_t k,
                                const pilot_org_t *to, int64_t from_org, int64_t now,
                                pilot_receipt_t *out, cy_error_t *err);

/* A move of a plan, a package or a summary: submit, forward, copy or return. */
typedef struct {
    const char *kind;
    int64_t plan_id, package_id; /* 0: none */
    int64_t from, to;
    const char *comment;
    int64_t summary_id; /* 0: none */
} pilot_hop_t;

/*
 * Record a hop received at now; judged: the receipt's deadline (NULL: none).
 * Its receiver is notified (notice.c), except of a plan moving inside its
 * package (the package's hop tells of it).
 */
cy_status_t pilot_hop_add(app_t *app, store_conn_t *c, const actor_t *a, int64_t now,
                          const pilot_hop_t *h, const pilot_receipt_t *judged, cy_error_t *err);
/* Who last forwarded package_id to `to` (*found = 0: nobody). */
cy_status_t pilot_hop_sender(store_conn_t *c, int64_t package_id, int64_t to, int64_t *from,
                             int *found, cy_error_t *err);
/* The hops of a plan (plan_id) or a package's own (package_id), oldest first. */
cy_status_t pilot_hops_json(store_conn_t *c, int64_t plan_id, int64_t package_id, json_t **out,
                            cy_error_t *err);
/* The cities and provinces that forwarded a package of the round to the caller (the ministry: any).
 */
cy_status_t pilot_forwarders_json(store_conn_t *c, const actor_t *a, const char *round_id,
                                  json_t **out, cy_error_t *err);
/*
 * A hop in words: "广州市…报送广东省…：方案名" / "sent by … to …"; kind submit,
 * forward, copy or return (with its comment); late marks a flagged receipt.
 */
void pilot_hop_words(const char *kind, const char *from, const char *to, const char *what_zh,
                     const char *what_en, const char *comment, int late, char *zh, size_t zh_cap,
                     char *en, size_t en_cap);
/* The route a plan of this author takes, with the authority at each stop. */
cy_status_t pilot_route_json(app_t *app, store_conn_t *c, const pilot_org_t *author, json_t **out,
                             cy_error_t *err);
/* The comment a return (退回修改) of a plan or a package needs. */
extern const pilot_text_rule_t pilot_return_comment;

/* ---- notice.c: in-app notifications (app/notify) ----------------------- */

/* One notification of the pilot: link_fmt takes object_id ("/plan.html?id=%" PRId64). */
typedef struct {
    int64_t org_id, user_id; /* the recipient organisation, narrowed to one user (0: not) */
    const char *role;        /* or to one role ("admin"), NULL */
    const char *kind;        /* a pilot.* code of data/platform.json */
    const char *object_type;
    int64_t object_id;
    const char *link_fmt;
    const char *zh, *en;
} pilot_notice_t;

cy_status_t pilot_notice(app_t *app, store_conn_t *c, int64_t now, const pilot_notice_t *n,
                         cy_error_t *err);
/* The same with the texts from one format "中文 / English" (split at its first " / "). */
cy_status_t pilot_noticef(app_t *app, store_conn_t *c, int64_t now, const pilot_notice_t *base,
                          cy_error_t *err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The receiver of a hop is told what arrived (or came back), in the hop's words. */
cy_status_t pilot_notice_hop(app_t *app, store_conn_t *c, int64_t now, const pilot_hop_t *h,
                             int late, cy_error_t *err);
/* What a scheme's notification tells: it arrived, a review is assigned, it is listed. */
typedef enum {
    PILOT_SCHEME_RECEIVED,
    PILOT_SCHEME_REVIEW,
    PILOT_SCHEME_LISTED
} pilot_scheme_event_t;
/*
 * Tell to_org (0: the scheme's lead), narrowed to to_user (0: not), of
 * scheme_id: received (detail: the receipt time), a review object_id
 * assigned, listed (detail: the catalogue code).
 */
cy_status_t pilot_notice_scheme(app_t *app, store_conn_t *c, int64_t now, pilot_scheme_event_t e,
                                int64_t scheme_id, int64_t to_org, int64_t to_user,
                                int64_t object_id, const char *detail, cy_error_t *err);
struct pilot_doc;
/* The admins of each registered joint unit of d that has not confirmed are asked to. */
cy_status_t pilot_notice_confirm(app_t *app, store_conn_t *c, int64_t now,
                                 const struct pilot_doc *d, cy_error_t *err);

/* ---- document.c --------------------------------------------------------- */

/* What differs between schemes and plans in the lifecycle they share. */
typedef struct {
    const char *kind;            /* pilot_unit.kind, and the audit action's prefix */
    const char *table;           /* pilot_scheme, pilot_plan: the audit object type */
    const char *zh, *en;         /* 服务方案, service scheme */
    const char *short_en;        /* scheme, plan */
    const char *load_sql;        /* the row (pilot_doc_t's columns), $1..$4 the caller, $5 the id */
    const char *form_sql;        /* name $1, form $2, body_zishu $3, updated_at $4 of id $5 */
    const char *const *editable; /* statuses in which the owner edits and units confirm */
    const char *not_draft;       /* the conflict's code */
    const char *owner_only, *edit_closed, *confirm_closed; /* refusals, "中文 / English" */
} pilot_kind_t;

extern const pilot_kind_t pilot_scheme_kind, pilot_plan_kind;
/* The kind of an annex: 1 a scheme, 2–4 a plan. */
const pilot_kind_t *pilot_kind(int annex);

/* A scheme or a plan as its lifecycle sees it. */
typedef struct pilot_doc {
    int annex; /* 1: a scheme; 2–4: a plan */
    int64_t id;
    char round_id[16];
    const round_t *round; /* its round's data; NULL when the file is gone */
    char status[16];
    int64_t owner;               /* the lead (scheme) or the author (plan) */
    int64_t holder;              /* plans: the authority holding it, 0 none */
    int64_t package_id;          /* plans: 0 none */
    int64_t catalogue_scheme_id; /* Annex 3: its lead's catalogued scheme, 0 none */
    json_t *form;                /* owned: pilot_doc_free */
    unsigned waived;             /* 1 << round_limit_t: the 原则上 limits waived for it */
} pilot_doc_t;

/* A document of kind k the caller sees; CY_ENOTFOUND otherwise. Free it even on refusal. */
cy_status_t pilot_doc_load(const app_t *app, store_conn_t *c, const actor_t *a,
                           const pilot_kind_t *k, int64_t id, pilot_doc_t *d, cy_error_t *err);
void pilot_doc_free(pilot_doc_t *d);
/*
 * The same for a change by its owner: 403 another's (or a role that may
 * not), 409 not editable, 409 round_unknown when its round's file is gone.
 */
cy_status_t pilot_doc_owned(const app_t *app, store_conn_t *c, const actor_t *a,
                            const pilot_kind_t *k, int64_t id, pilot_doc_t *d, cy_error_t *err);
int pilot_doc_editable(const pilot_doc_t *d);
/* A new draft of d (annex, round_id, owner, catalogue_scheme_id, form): its id into d->id. */
cy_status_t pilot_doc_insert(store_conn_t *c, const actor_t *a, int64_t now, pilot_doc_t *d,
                             cy_error_t *err);
/* Store d's form (with its name and body 字数). */
cy_status_t pilot_doc_store_form(store_conn_t *c, const pilot_doc_t *d, int64_t now,
                                 cy_error_t *err);
/* Annex 3: scheme_id is a scheme of the round's published catalogue led by author. */
cy_status_t pilot_doc_check_catalogue(store_conn_t *c, const round_t *r, int64_t author,
                                      int64_t scheme_id, cy_error_t *err);
/*
 * pilot_doc_ready: what every submission checks, in order — the draft's
 * and the complete form's rules, Annex 3's catalogued scheme, every unit
 * confirmed (not for an authority's own Annex 2; licensed insurers counted
 * into *insurers), Annex 4's service institution.
 */
cy_status_t pilot_doc_ready(const app_t *app, store_conn_t *c, const pilot_doc_t *d,
                            const pilot_org_t *owner, size_t *insurers, cy_error_t *err);

/* ---- attach.c ----------------------------------------------------------- */

/* The record's attachments and what its round still asks, into doc (attachments, _missing). */
cy_status_t pilot_attach_json(store_conn_t *c, const pilot_doc_t *d, json_t *doc, cy_error_t *err);
/* 422 attachment_missing naming the first seal scan or copy the round asks and d lacks. */
cy_status_t pilot_attach_ready(store_conn_t *c, const pilot_doc_t *d, cy_error_t *err);

/* ---- waiver.c ----------------------------------------------------------- */

/* The waivers of a document: bits 1 << round_limit_t into *bits, the rows into *rows (NULL: not).
 */
cy_status_t pilot_waivers_of(store_conn_t *c, const char *kind, int64_t doc_id, unsigned *bits,
                             json_t **rows, cy_error_t *err);
/* The 原则上 limits the document is past (waived or not), as its reader sees them. */
cy_status_t pilot_warnings_json(store_conn_t *c, const pilot_doc_t *d, json_t **out,
                                cy_error_t *err);

/* ---- view.c ------------------------------------------------------------- */

/* The document as the caller reads it (it was loaded as the caller sees it). */
cy_status_t pilot_doc_json(app_t *app, store_conn_t *c, const actor_t *a, const pilot_doc_t *d,
                           json_t **out, cy_error_t *err);

/* ---- plan.c: the plans of a package ------------------------------------- */

cy_status_t pilot_plans_of_package(store_conn_t *c, int64_t package_id, json_t **out,
                                   cy_error_t *err);
/* Put plan_id into the package if the holder holds it ready, of the round, unpacked (*packed). */
cy_status_t pilot_plan_pack(store_conn_t *c, int64_t package_id, int64_t plan_id, int64_t holder,
                            const char *round_id, int *packed, cy_error_t *err);
/* The package's plans, and how many of them are origin's own Annex 2. */
cy_status_t pilot_plans_count(store_conn_t *c, int64_t package_id, int64_t origin, int64_t *plans,
                              int64_t *own_annex2, cy_error_t *err);
/* Each plan of package_hop's package makes the same hop and is then held by its receiver. */
cy_status_t pilot_plans_move(app_t *app, store_conn_t *c, const actor_t *a, int64_t now,
                             const pilot_hop_t *package_hop, const pilot_receipt_t *rc,
                             cy_error_t *err);

/* ---- the views of review.c, package.c, run.c (read.c reads them) -------- */

/* A review with the criteria it is scored on. */
cy_status_t pilot_review_json(app_t *app, store_conn_t *c, const actor_t *a, int64_t id,
                              json_t **out, cy_error_t *err);
/* A package with its plans, its own hops and where it goes next. */
cy_status_t pilot_package_json(app_t *app, store_conn_t *c, const actor_t *a, int64_t id,
                               json_t **out, cy_error_t *err);
/* A pilot with its status timeline. */
cy_status_t pilot_timeline_json(store_conn_t *c, const actor_t *a, int64_t id, json_t **out,
                                cy_error_t *err);
/* A progress report, an annual summary, as their lists show them (run.c). */
cy_status_t pilot_report_json(store_conn_t *c, const actor_t *a, int64_t id, json_t **out,
                              cy_error_t *err);
cy_status_t pilot_summary_json(store_conn_t *c, const actor_t *a, int64_t id, json_t **out,
                               cy_error_t *err);

/* ---- paper.c -------------------------------------------------------------- */

/* The round's "filing" as the API shows it. */
json_t *pilot_filing_json(const round_t *r);
/* Each hop of hops (from pilot_hops_json) gains "paper": its paper record, or null. */
cy_status_t pilot_paper_of_hops(store_conn_t *c, json_t *hops, cy_error_t *err);
/* The papers missing or late at now that the caller sent or received, onto items. */
cy_status_t pilot_paper_overdue(store_conn_t *c, const actor_t *a, const round_t *r, int64_t now,
                                json_t *items, cy_error_t *err);

/* ---- pilots.c: a pilot's row, read by run.c, summary.c and overdue.c ---- */

/* The pilot the caller sees as a row; CY_ENOTFOUND naming field otherwise. */
cy_status_t pilot_load(store_conn_t *c, const actor_t *a, int64_t id, const char *field,
                       json_t **out, cy_error_t *err);

/* The active pilots of the round the caller sees. */
cy_status_t pilot_active_json(store_conn_t *c, const actor_t *a, const char *round_id, json_t **out,
                              cy_error_t *err);

/* ---- run.c: what todo.c and overdue.c read -------------------------------- */

cy_status_t pilot_report_filed(store_conn_t *c, int64_t pilot_id, const char *period, int *found,
                               cy_error_t *err);

/* ---- summary.c ---------------------------------------------------------- */

cy_status_t pilot_summary_filed(store_conn_t *c, const char *round_id, const char *subject,
                                int *found, cy_error_t *err);
/* The summaries of pilot id, oldest first, appended to out. */
cy_status_t pilot_summaries_of_pilot(store_conn_t *c, int64_t id, json_t *out, cy_error_t *err);
/*
 * The deadline a pilot's summary is held to in province PP0000: at its city
 * (pilot_summary_at_city) where the round routes summaries via the city and
 * sets that date, else the city's own date at the province, else the
 * ministry's.
 */
round_deadline_t pilot_summary_deadline(const round_t *r, const char *province);

#endif
