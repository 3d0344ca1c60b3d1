/*
 * document.c — schemes (Annex 1, pilot_scheme) and plans (Annexes 2–4,
 * pilot_plan) as the lifecycle they share sees them: one row type read by
 * column name, the words that differ between the two kinds, loading a
 * document the caller may see (404 otherwise) or may change as its owner,
 * creating one, storing its form. What only one kind does (submission,
 * routing, the catalogue) is in its own file. Depends on core/, store/ and
 * jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "core/bjtime.h"

int
pilot_doc_editable(const pilot_doc_t *d)
{
    for (const char *const *s = pilot_kind(d->annex)->editable; *s != NULL; s++)
        if (strcmp(*s, d->status) == 0)
            return 1;
    return 0;
}

static void
doc_from_row(store_rows_t *r, pilot_doc_t *d)
{
    d->id = store_row_int(r, "id");
    store_row_copy(r, "round_id", d->round_id, sizeof d->round_id);
    d->annex = (int)store_row_int(r, "annex");
    store_row_copy(r, "status", d->status, sizeof d->status);
    d->owner = store_row_int(r, "owner_org_id");
    d->holder = store_row_int(r, "holder_org_id");
    d->package_id = store_row_int(r, "package_id");
    d->catalogue_scheme_id = store_row_int(r, "catalogue_scheme_id");
    const char *form = store_row_text(r, "form");
    d->form = form ? json_loads(form, 0, NULL) : NULL;
    if (d->form == NULL)
        d->form = json_object();
}

cy_status_t
pilot_doc_load(const app_t *app, store_conn_t *c, const actor_t *a, const pilot_kind_t *k,
               int64_t id, pilot_doc_t *d, cy_error_t *err)
{
    memset(d, 0, sizeof *d);
    store_rows_t *r;
    int found;
    cy_status_t st = pilot_query_seen(c, a, k->load_sql, id, &r, &found, err);
    if (st != CY_OK)
        return st;
    if (found)
        doc_from_row(r, d);
    store_rows_free(r);
    d->round = pilot_round_find(app, d->round_id);
    if (!found)
        return app_not_found(err, k->zh, k->short_en, id);
    return pilot_waivers_of(c, k->kind, id, &d->waived, NULL, err);
}

void
pilot_doc_free(pilot_doc_t *d)
{
    json_decref(d->form);
    d->form = NULL;
}

cy_status_t
pilot_doc_owned(const app_t *app, store_conn_t *c, const actor_t *a, const pilot_kind_t *k,
                int64_t id, pilot_doc_t *d, cy_error_t *err)
{
    cy_status_t st = pilot_doc_load(app, c, a, k, id, d, err);
    if (st != CY_OK)
        return st;
    if (d->owner != a->org_id || !authz_allowed(a->org_type, a->role, pilot_annex_action(d->annex)))
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL, "%s", k->owner_only);
    if (!pilot_doc_editable(d))
        return cy_error_set(err, CY_ECONFLICT, k->not_draft, "status", "%s", k->edit_closed);
    if (d->round == NULL)
        return cy_error_set(err, CY_ECONFLICT, "round_unknown", "round_id",
                            "该方案所属轮次已不在数据文件中 / the %s's round is no longer in the "
                            "data files",
                            k->short_en);
    return CY_OK;
}

cy_status_t
pilot_doc_store_form(store_conn_t *c, const pilot_doc_t *d, int64_t now, cy_error_t *err)
{
    char *text = json_dumps(d->form, JSON_COMPACT | JSON_SORT_KEYS);
    if (text == NULL)
        return cy_error_no_memory(err);
    char ts[32];
    utc_format_iso(now, ts);
    store_param_t p[] = {STORE_P_TEXT(pf_str(d->form, "name")), STORE_P_TEXT(text),
                         STORE_P_INT((int64_t)pilot_annex_body_zishu(d->annex, d->form)),
                         STORE_P_TEXT(ts), STORE_P_INT(d->id)};
    cy_status_t st = store_exec(c, pilot_kind(d->annex)->form_sql, p, 5, NULL, err);
    free(text);
    return st;
}

cy_status_t
pilot_doc_insert(store_conn_t *c, const actor_t *a, int64_t now, pilot_doc_t *d, cy_error_t *err)
{
    char ts[32];
    utc_format_iso(now, ts);
    store_param_t p[] = {STORE_P_TEXT(d->round_id),
                         STORE_P_INT(d->owner),
                         STORE_P_INT(a->user_id),
                         STORE_P_TEXT(ts),
                         STORE_P_INT(d->annex),
                         d->catalogue_scheme_id ? STORE_P_INT(d->catalogue_scheme_id)
                                                : STORE_P_NULL};
    cy_status_t st;
    if (d->annex == 1)
        st = store_query_int(c,
                             "INSERT INTO pilot_scheme (round_id, lead_org_id, status, form, "
                             "created_by, created_at, updated_at) VALUES ($1, $2, 'draft', '{}', "
                             "$3, $4, $4) RETURNING id",
                             p, 4, &d->id, NULL, err);
    else
        st = store_query_int(c,
                             "INSERT INTO pilot_plan (round_id, annex, author_org_id, status, "
                             "catalogue_scheme_id, form, created_by, created_at, updated_at) "
                             "VALUES ($1, $5, $2, 'draft', $6, '{}', $3, $4, $4) RETURNING id",
                             p, 6, &d->id, NULL, err);
    snprintf(d->status, sizeof d->status, "draft");
    if (st == CY_OK)
        st = pilot_doc_store_form(c, d, now, err);
    return st;
}

cy_status_t
pilot_doc_check_catalogue(store_conn_t *c, const round_t *r, int64_t author, int64_t scheme_id,
                          cy_error_t *err)
{
    int64_t one = 0;
    int found = 0;
    store_param_t p[] = {STORE_P_INT(scheme_id), STORE_P_INT(author), STORE_P_TEXT(r->id)};
    cy_status_t st = store_query_int(c,
                                     "SELECT 1 FROM pilot_scheme WHERE id = $1 AND lead_org_id = "
                                     "$2 AND round_id = $3 AND status = 'catalogued'",
                                     p, 3, &one, &found, err);
    if (st == CY_OK && !found)
        st = cy_error_set(err, CY_EINVAL, "catalogue_required", "catalogue_scheme_id",
                          "附件3 的牵头单位须有服务方案入选本轮《网络安全保险典型服务方案目录》 / "
                          "an Annex 3 plan's lead must hold a scheme in this round's published "
                          "catalogue");
    return st;
}

cy_status_t
pilot_doc_ready(const app_t *app, store_conn_t *c, const pilot_doc_t *d, const pilot_org_t *owner,
                size_t *insurers, cy_error_t *err)
{
    const round_t *r = d->round;
    const char *kind = pilot_kind(d->annex)->kind;
    size_t institutions = 0;
    *insurers = 0;
    cy_status_t st = pilot_annex_check_draft(app, r, d->annex, d->form, owner->uscc, err);
    if (st == CY_OK)
        st = pilot_annex_check_complete(app, r, d->annex, d->form, d->waived, err);
    if (st == CY_OK && d->annex == 3)
        st = pilot_doc_check_catalogue(c, r, owner->id, d->catalogue_scheme_id, err);
    /* an authority's own Annex 2 has no units to confirm */
    if (st == CY_OK && d->annex != 2)
        st = pilot_check_confirmed(c, kind, d->id, insurers, err);
    /* 行业企业 … 联合网络安全保险服务机构: at least one joint unit is one */
    if (st == CY_OK && d->annex == 4)
        st = pilot_units_institutions(c, kind, d->id, &institutions, err);
    if (st == CY_OK && d->annex == 4 && institutions == 0)
        st = cy_error_set(err, CY_EINVAL, "service_institution_required", "joint_units",
                          "行业企业应联合至少一家网络安全保险服务机构申报 / an enterprise's "
                          "plan needs at least one insurance service institution as a joint "
                          "unit");
    return st;
}
