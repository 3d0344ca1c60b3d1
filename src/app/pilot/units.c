/*
 * units.c — the applicant units of a scheme or plan (pilot_unit: the lead,
 * then the joint units, each resolved to a registered organisation by its
 * USCC) and their confirmations (pilot_confirmation: 真实性承诺 and 申报主体
 * 责任声明, by each unit's own admin, with the legal representative's name).
 * The one place these two tables are read and written. Depends on core/,
 * store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "core/bjtime.h"
#include "core/uscc.h"

static cy_status_t
unit_insert(store_conn_t *c, const char *kind, int64_t doc_id, int64_t seq, const char *uscc,
            const char *name, int64_t org_id, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id),
                         STORE_P_INT(seq),   STORE_P_TEXT(uscc),
                         STORE_P_TEXT(name), org_id ? STORE_P_INT(org_id) : STORE_P_NULL};
    return store_exec(c,
                      "INSERT INTO pilot_unit (kind, doc_id, seq, uscc, name, org_id) VALUES ($1, "
                      "$2, $3, $4, $5, $6)",
                      p, 6, NULL, err);
}

cy_status_t
pilot_units_save(store_conn_t *c, const char *kind, int64_t doc_id, const pilot_org_t *lead,
                 json_t *joint_units, cy_error_t *err)
{
    store_param_t d[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id)};
    cy_status_t st =
        store_exec(c, "DELETE FROM pilot_unit WHERE kind = $1 AND doc_id = $2", d, 2, NULL, err);
    if (st == CY_OK)
        st = unit_insert(c, kind, doc_id, 0, lead->uscc, lead->name, lead->id, err);
    size_t i;
    json_t *u;
    json_array_foreach(joint_units, i, u)
    {
        uscc_info_t info;
        pilot_org_t o;
        int found = 0;
        if (st != CY_OK)
            break;
        if (uscc_check(pf_str(u, "uscc"), &info, NULL) != CY_OK)
            continue; /* refused before: drafts keep only what checks */
        st = pilot_org_by_uscc(c, info.code, &o, &found, err);
        if (st == CY_OK)
            st = unit_insert(c, kind, doc_id, (int64_t)i + 1, info.code, pf_str(u, "name"),
                             found ? o.id : 0, err);
    }
    return st;
}

cy_status_t
pilot_units_json(store_conn_t *c, const char *kind, int64_t doc_id, json_t **out, cy_error_t *err)
{
    static const pcol_t cols[] = {{"seq", 'i'},          {"uscc", 's'},
                                  {"name", 's'},         {"org_id", 'I'},
                                  {"org_type", 'n'},     {"licensed_insurer", 'b'},
                                  {"confirmed_at", 'n'}, {"legal_representative", 'n'},
                                  {"signed_on", 'n'},    {"commitment", 'n'},
                                  {"declaration", 'n'},  {NULL, 0}};
    *out = json_array();
    store_param_t p[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id)};
    return pilot_query_json(
        c,
        "SELECT u.seq, u.uscc, u.name, u.org_id, o.type AS org_type, "
        "CASE WHEN o.type = 'insurer' AND COALESCE(o.licence_no, '') <> '' THEN 1 ELSE 0 END "
        "AS licensed_insurer, f.confirmed_at, f.legal_representative, f.signed_on, f.commitment, "
        "f.declaration FROM pilot_unit u "
        "LEFT JOIN organisation o ON o.id = u.org_id "
        "LEFT JOIN pilot_confirmation f ON f.kind = u.kind AND f.doc_id = u.doc_id AND "
        "f.org_id = u.org_id WHERE u.kind = $1 AND u.doc_id = $2 ORDER BY u.seq",
        p, 2, cols, *out, err);
}

/* Unit u registered and confirmed; field names it in the form. */
static cy_status_t
unit_confirmed(json_t *u, cy_error_t *err)
{
    int64_t seq = json_integer_value(json_object_get(u, "seq"));
    char field[64];
    snprintf(field, sizeof field, seq == 0 ? "lead" : "joint_units[%" PRId64 "].uscc", seq - 1);
    const char *name = pf_str(u, "name");
    if (json_is_null(json_object_get(u, "org_id")))
        return cy_error_set(err, CY_EINVAL, "unit_unregistered", field,
                            "联合申报单位“%s”尚未在平台登记，无法由其管理员确认真实性承诺和责任"
                            "声明 / the joint unit \"%s\" is not registered on the platform, so "
                            "its admin cannot confirm its declarations",
                            name, name);
    if (json_is_null(json_object_get(u, "confirmed_at")))
        return cy_error_set(err, CY_EINVAL, "confirmation_missing", field,
                            "“%s”的管理员尚未确认真实性承诺和申报主体责任声明 / \"%s\" has not "
                            "confirmed its declarations (真实性承诺, 申报主体责任声明) through its "
                            "admin",
                            name, name);
    return CY_OK;
}

cy_status_t
pilot_check_confirmed(store_conn_t *c, const char *kind, int64_t doc_id, size_t *insurers,
                      cy_error_t *err)
{
    json_t *units;
    cy_status_t st = pilot_units_json(c, kind, doc_id, &units, err);
    size_t n_ins = 0, i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        if (st == CY_OK)
            st = unit_confirmed(u, err);
        if (st == CY_OK && json_is_true(json_object_get(u, "licensed_insurer")))
            n_ins++;
    }
    json_decref(units);
    if (insurers != NULL)
        *insurers = n_ins;
    return st;
}

static const pilot_text_rule_t LEGAL_REPRESENTATIVE = {
    "legal_representative", 120,
    "请填写法定代表人姓名 / the legal representative's name is required",
    "法定代表人姓名过长 / the legal representative's name is too long"};

cy_status_t
pilot_confirm(store_conn_t *c, const actor_t *a, int64_t now, const pilot_doc_t *d,
              const char *legal_representative, cy_error_t *err)
{
    const char *kind = pilot_kind(d->annex)->kind;
    int64_t doc_id = d->id;
    int64_t is_unit = 0;
    int found = 0;
    store_param_t p[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id), STORE_P_INT(a->org_id)};
    cy_status_t st = store_query_int(
        c, "SELECT 1 FROM pilot_unit WHERE kind = $1 AND doc_id = $2 AND org_id = $3", p, 3,
        &is_unit, &found, err);
    if (st != CY_OK)
        return st;
    if (!found)
        return pilot_forbidden(err, "只有申报单位本身可以确认其承诺和声明",
                               "only an applicant unit confirms its own declarations");
    if (!authz_allowed(a->org_type, a->role, ACT_UNIT_CONFIRM))
        return pilot_forbidden(err, "真实性承诺和申报主体责任声明须由本单位管理员确认",
                               "an applicant unit's declarations are confirmed by its admin");
    const char *lr = pilot_text_trim(legal_representative);
    if ((st = pilot_text_check(lr, &LEGAL_REPRESENTATIVE, err)) != CY_OK)
        return st;
    char ts[32], day[32];
    utc_format_iso(now, ts);
    bjtime_format(now, day);
    day[10] = '\0'; /* the day of the signature, Beijing time */
    st = store_exec(
        c, "DELETE FROM pilot_confirmation WHERE kind = $1 AND doc_id = $2 AND org_id = $3", p, 3,
        NULL, err);
    /* the text the unit confirmed, word for word, as its round gives it */
    const round_annex_t *x = d->round ? &d->round->annex[d->annex] : NULL;
    store_param_t q[] = {STORE_P_TEXT(kind),
                         STORE_P_INT(doc_id),
                         STORE_P_INT(a->org_id),
                         STORE_P_INT(a->user_id),
                         STORE_P_TEXT(lr),
                         STORE_P_TEXT(ts),
                         STORE_P_TEXT(day),
                         STORE_P_TEXT(x ? x->commitment : ""),
                         STORE_P_TEXT(x ? x->declaration : "")};
    if (st == CY_OK)
        st = store_exec(c,
                        "INSERT INTO pilot_confirmation (kind, doc_id, org_id, user_id, "
                        "legal_representative, confirmed_at, signed_on, commitment, declaration) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                        q, 9, NULL, err);
    return st;
}

cy_status_t
pilot_confirm_clear(store_conn_t *c, const char *kind, int64_t doc_id, int64_t *cleared,
                    cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id)};
    return store_exec(c, "DELETE FROM pilot_confirmation WHERE kind = $1 AND doc_id = $2", p, 2,
                      cleared, err);
}

cy_status_t
pilot_units_institutions(store_conn_t *c, const char *kind, int64_t doc_id, size_t *n,
                         cy_error_t *err)
{
    json_t *units;
    cy_status_t st = pilot_units_json(c, kind, doc_id, &units, err);
    size_t i;
    json_t *u;
    *n = 0;
    json_array_foreach(units, i, u)
    {
        const char *type = pf_str(u, "org_type");
        if (json_integer_value(json_object_get(u, "seq")) > 0 &&
            (strcmp(type, "service_org") == 0 || strcmp(type, "insurer") == 0))
            (*n)++;
    }
    json_decref(units);
    return st;
}
