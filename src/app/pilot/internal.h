/*
 * pilot_internal.h — what the pilot programme's app/ files share and nothing
 * else includes: the loaded rounds and review criteria, organisations as the
 * pilot's rules see them, the form checker, JSON rows from SQL, and the
 * refusal helpers. http/ and cli/ use app/pilot.h only.
 *
 * May use jansson and store/; never http/ or cli/.
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

/* The round called id, or NULL. */
const round_t *pilot_round_find(const app_t *app, const char *id);
/* The same, refusing an unknown id with CY_EINVAL round_unknown on field. */
cy_status_t pilot_round_need(const app_t *app, const char *id, const char *field,
                             const round_t **out, cy_error_t *err);
const review_criteria_t *pilot_criteria(const app_t *app);

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

/* t as "2024-01-28T09:30:00Z". */
void pilot_iso(int64_t t, char buf[32]);
/* "2024-01-28 17:30:00" Beijing time of an ISO text, for messages. */
void pilot_bj(const char *iso, char buf[32]);

/* ---- the form checker --------------------------------------------------- */

/*
 * A field of a form: s short text (one line), l long text (newlines
 * allowed), i integer, b boolean, o object of sub, a array of objects of sub,
 * t array of short texts. max: bytes for texts, items for arrays.
 */
typedef struct pf_field {
    const char *name;
    char kind;
    size_t max;
    const struct pf_field *sub;
} pf_field_t;

/*
 * pf_check: obj holds only fields of spec (ended by {NULL}), each of its
 * kind, within its size; null stands for "empty" anywhere. Texts must be
 * valid UTF-8 without control characters (long texts may hold \n, \r, \t).
 * Refusal: CY_EINVAL naming the path ("joint_units[3].uscc").
 */
cy_status_t pf_check(const pf_field_t *spec, json_t *obj, const char *base, cy_error_t *err);
/* A joint unit's row (name, nature, nature_other, uscc), shared by Annex 1, 3 and 4. */
extern const pf_field_t pilot_unit_fields[];

/* The text at obj[key], "" when absent, null or not a string. */
const char *pf_str(json_t *obj, const char *key);
/* 字数 of obj[key] (0 when absent); the text was checked by pf_check. */
size_t pf_zishu(json_t *obj, const char *key);
/* The array at obj[key] or NULL; its size (0 when absent). */
size_t pf_len(json_t *obj, const char *key);
/* Drop the keys whose value is null (a PATCH clears them). */
void pf_drop_nulls(json_t *obj);
/*
 * pf_require: CY_EINVAL missing_field on field (label in the message) when
 * the text is empty.
 */
cy_status_t pf_require(json_t *obj, const char *key, const char *field, const char *label_zh,
                       const char *label_en, cy_error_t *err);

/* ---- JSON rows ---------------------------------------------------------- */

/*
 * A result column: s text ("" for NULL), n text or null, i integer,
 * I integer or null, b 0/1 as a boolean, j JSON text parsed (null when NULL).
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
/* INSERT … RETURNING id (both backends) into *id. */
cy_status_t pilot_insert(store_conn_t *c, const char *sql, const store_param_t *p, int n,
                         int64_t *id, cy_error_t *err);

/* ---- refusals ----------------------------------------------------------- */

cy_status_t pilot_forbidden(cy_error_t *err, const char *zh, const char *en);
/* CY_EFORBIDDEN unless the actor's role may do a. */
cy_status_t pilot_need(const actor_t *a, authz_action_t act, cy_error_t *err);
/* 1 for ministry and support center (they see every record of the pilot). */
int pilot_sees_all(const actor_t *a);

/*
 * Units of a scheme or plan: kind "scheme"/"plan". pilot_units_save replaces
 * them (lead first, then joint_units of form, resolving registered
 * organisations by USCC). pilot_units_json lists them with each one's
 * confirmation.
 */
cy_status_t pilot_units_save(store_conn_t *c, const char *kind, int64_t doc_id,
                             const pilot_org_t *lead, json_t *joint_units, cy_error_t *err);
cy_status_t pilot_units_json(store_conn_t *c, const char *kind, int64_t doc_id, json_t **out,
                             cy_error_t *err);
/*
 * pilot_check_joint_units: count (round limit), each unit's name, nature and
 * USCC (GB 32100 and PRC legal person), no unit twice, not the lead.
 */
cy_status_t pilot_check_joint_units(const app_t *app, const round_t *r, json_t *units,
                                    const char *lead_uscc, cy_error_t *err);
/*
 * pilot_check_confirmed: every unit registered and confirmed; licensed
 * insurers counted into *insurers (may be NULL).
 */
cy_status_t pilot_check_confirmed(store_conn_t *c, const char *kind, int64_t doc_id,
                                  size_t *insurers, cy_error_t *err);
/*
 * pilot_confirm records the actor's confirmation for its own unit of a
 * document in draft (clearing nothing else). Refusals: not a unit (403),
 * not its admin (403), legal_representative missing (422).
 */
cy_status_t pilot_confirm(store_conn_t *c, const actor_t *a, const char *kind, int64_t doc_id,
                          const char *legal_representative, int64_t now, cy_error_t *err);
/* Drop every confirmation of a document (its content changed). */
cy_status_t pilot_confirm_clear(store_conn_t *c, const char *kind, int64_t doc_id, cy_error_t *err);

/* The direction of a scheme or plan: enterprise + industry, or product_service + product. */
cy_status_t pilot_check_direction(const app_t *app, json_t *form, int required, cy_error_t *err);

/* The extension an authority granted org for deadline k of round (0 when none). */
cy_status_t pilot_extension_until(store_conn_t *c, const char *round_id, round_deadline_t k,
                                  int64_t org_id, int64_t granted_by, int64_t *until,
                                  int64_t *ext_id, cy_error_t *err);

/*
 * Who sees a plan: its author, its units, its holder and every authority it
 * was sent or copied to; $1 sees all (1/0), $2 the caller's organisation.
 * Alias p for pilot_plan.
 */
#define PILOT_PLAN_VISIBLE                                                                         \
    "($1 = 1 OR p.author_org_id = $2 OR p.holder_org_id = $2 OR EXISTS (SELECT 1 FROM "            \
    "pilot_unit u WHERE u.kind = 'plan' AND u.doc_id = p.id AND u.org_id = $2) OR EXISTS "         \
    "(SELECT 1 FROM pilot_hop h WHERE h.plan_id = p.id AND h.to_org_id = $2))"

/* The route a plan of this author takes, with the authority at each stop. */
cy_status_t pilot_route_json(app_t *app, store_conn_t *c, const pilot_org_t *author, json_t **out,
                             cy_error_t *err);

/* Helpers of the use cases' transactions. */
typedef cy_status_t (*pilot_tx_fn)(store_conn_t *c, void *arg, cy_error_t *err);
cy_status_t pilot_read(app_t *app, pilot_tx_fn fn, void *arg, cy_error_t *err);

#endif
