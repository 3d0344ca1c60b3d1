/*
 * draft.c — a scheme (Annex 1) or a plan (Annexes 2–4) while it is
 * written: its owner drafts and edits it, the form checked against its annex and its
 * round (annex.c); each of its units' admins confirms the declarations
 * (真实性承诺, 申报主体责任声明), and a change of the text voids every
 * confirmation. One path for both kinds: document.c holds what differs.
 * Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>

#include "app/audit.h"
#include "app/pilot/internal.h"

/* Annex 3 names a scheme of the round's published catalogue held by its lead; no other does. */
static cy_status_t
draft_catalogue(store_conn_t *c, const round_t *r, const pilot_doc_t *d, cy_error_t *err)
{
    if (d->annex == 3)
        return pilot_doc_check_catalogue(c, r, d->owner, d->catalogue_scheme_id, err);
    if (d->catalogue_scheme_id != 0)
        return cy_error_set(
            err, CY_EINVAL, "catalogue_not_applicable", "catalogue_scheme_id",
            "只有附件3 关联目录方案 / only an Annex 3 plan names a catalogue scheme");
    return CY_OK;
}

/*
 * The units of the form as stored (lead first). A unit confirmed the text it
 * read: a change of the text voids every confirmation (*cleared says how
 * many), a save that changes nothing keeps them.
 */
static cy_status_t
draft_units(store_conn_t *c, const pilot_doc_t *d, const pilot_org_t *owner, int changed,
            int64_t *cleared, cy_error_t *err)
{
    const char *kind = pilot_kind(d->annex)->kind;
    *cleared = 0;
    cy_status_t st =
        pilot_units_save(c, kind, d->id, owner, json_object_get(d->form, "joint_units"), err);
    if (st == CY_OK && changed)
        st = pilot_confirm_clear(c, kind, d->id, cleared, err);
    return st;
}

typedef enum { DRAFT_CREATE, DRAFT_UPDATE, DRAFT_CONFIRM } draft_event_t;

/* The audit entry of a change: action "scheme.update", "plan.confirm", …. */
static cy_status_t
draft_audit(store_conn_t *c, const actor_t *a, int64_t now, const pilot_doc_t *d, draft_event_t e,
            int64_t cleared, cy_error_t *err)
{
    static const char *const VERB[] = {"create", "update", "confirm"};
    const pilot_kind_t *k = pilot_kind(d->annex);
    char id[24], action[32];
    snprintf(id, sizeof id, "%" PRId64, d->id);
    snprintf(action, sizeof action, "%s.%s", k->kind, VERB[e]);
    if (e == DRAFT_UPDATE && cleared > 0)
        return app_audit_append(c, a, now, action, k->table, id, err,
                                "修改%s %" PRId64 "，%" PRId64 " 家单位的确认因内容修改而失效 / "
                                "edited %s %" PRId64 ": %" PRId64 " confirmations voided by the "
                                "change",
                                k->zh, d->id, cleared, k->en, d->id, cleared);
    if (e == DRAFT_UPDATE)
        return app_audit_append(c, a, now, action, k->table, id, err,
                                "修改%s %" PRId64 " / edited %s %" PRId64, k->zh, d->id, k->en,
                                d->id);
    if (e == DRAFT_CONFIRM)
        return app_audit_append(c, a, now, action, k->table, id, err,
                                "确认%s %" PRId64 " 的真实性承诺和申报主体责任声明 / confirmed "
                                "the declarations of %s %" PRId64,
                                k->zh, d->id, k->en, d->id);
    if (d->annex == 1)
        return app_audit_append(c, a, now, action, k->table, id, err,
                                "起草%s %" PRId64 "（%s 轮） / drafted %s %" PRId64 " (round %s)",
                                k->zh, d->id, d->round_id, k->en, d->id, d->round_id);
    return app_audit_append(
        c, a, now, action, k->table, id, err,
        "起草%s %" PRId64 "（附件%d，%s 轮） / drafted %s %" PRId64 " (Annex %d, round %s)", k->zh,
        d->id, d->annex, d->round_id, k->en, d->id, d->annex, d->round_id);
}

static cy_status_t
draft_create(app_t *app, const actor_t *a, int64_t now, const pilot_draft_t *in, json_t **out,
             cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = pilot_need(a, pilot_annex_action(in->annex), err);
    if (st == CY_OK)
        st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    const round_t *r = NULL;
    pilot_org_t me = {0};
    int found = 0;
    pilot_doc_t d = {.annex = in->annex, .catalogue_scheme_id = in->catalogue_scheme_id};
    d.form = in->form ? json_deep_copy(in->form) : json_object();
    pf_drop_nulls(d.form);
    st = pilot_round_need(app, in->round_id, "round_id", CY_EINVAL, &r, err);
    if (st == CY_OK)
        st = pilot_org_get(c, a->org_id, &me, &found, err);
    if (st == CY_OK) {
        snprintf(d.round_id, sizeof d.round_id, "%s", r->id);
        d.round = r;
        d.owner = me.id;
        st = draft_catalogue(c, r, &d, err);
    }
    if (st == CY_OK)
        st = pilot_annex_check_draft(app, r, d.annex, d.form, me.uscc, err);
    if (st == CY_OK)
        st = pilot_doc_insert(c, a, now, &d, err);
    if (st == CY_OK)
        st = pilot_units_save(c, pilot_kind(d.annex)->kind, d.id, &me,
                              json_object_get(d.form, "joint_units"), err);
    if (st == CY_OK)
        st = draft_audit(c, a, now, &d, DRAFT_CREATE, 0, err);
    if (st == CY_OK)
        st = pilot_notice_confirm(app, c, now, &d, err);
    if (st == CY_OK)
        st = pilot_remind_schedule(
            c, a, now, r,
            d.annex == 1 ? ROUND_DL_SCHEME_AT_MINISTRY : pilot_next_deadline(app, &me), &me, err);
    if (st == CY_OK)
        st = pilot_doc_json(app, c, a, &d, out, err);
    pilot_doc_free(&d);
    return store_tx_close(app->store, c, st, err);
}

static cy_status_t
draft_update(app_t *app, const actor_t *a, int64_t now, const pilot_kind_t *k, int64_t id,
             json_t *patch, json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d;
    pilot_org_t owner = {0};
    int found = 0;
    int64_t cleared = 0;
    json_t *before = NULL;
    st = pilot_doc_owned(app, c, a, k, id, &d, err);
    if (st == CY_OK)
        st = pf_check(pilot_annex_form(d.annex), patch, "", err);
    if (st == CY_OK)
        st = pilot_org_get(c, d.owner, &owner, &found, err);
    if (st == CY_OK) {
        before = json_deep_copy(d.form);
        json_object_update(d.form, patch);
        pf_drop_nulls(d.form);
        st = pilot_annex_check_draft(app, d.round, d.annex, d.form, owner.uscc, err);
    }
    if (st == CY_OK)
        st = pilot_doc_store_form(c, &d, now, err);
    if (st == CY_OK)
        st = draft_units(c, &d, &owner, !json_equal(before, d.form), &cleared, err);
    if (st == CY_OK)
        st = draft_audit(c, a, now, &d, DRAFT_UPDATE, cleared, err);
    /* asked again when their confirmation was voided, or when the joint units changed */
    if (st == CY_OK && (cleared > 0 || !json_equal(json_object_get(before, "joint_units"),
                                                   json_object_get(d.form, "joint_units"))))
        st = pilot_notice_confirm(app, c, now, &d, err);
    if (st == CY_OK)
        st = pilot_doc_json(app, c, a, &d, out, err);
    if (st == CY_OK)
        json_object_set_new(*out, "confirmations_cleared", json_integer(cleared));
    json_decref(before);
    pilot_doc_free(&d);
    return store_tx_close(app->store, c, st, err);
}

static cy_status_t
draft_confirm(app_t *app, const actor_t *a, int64_t now, const pilot_kind_t *k, int64_t id,
              const char *legal_representative, json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d;
    st = pilot_doc_load(app, c, a, k, id, &d, err);
    if (st == CY_OK && !pilot_doc_editable(&d))
        st = cy_error_set(err, CY_ECONFLICT, k->not_draft, "status", "%s", k->confirm_closed);
    if (st == CY_OK)
        st = pilot_confirm(c, a, now, &d, legal_representative, err);
    if (st == CY_OK)
        st = draft_audit(c, a, now, &d, DRAFT_CONFIRM, 0, err);
    if (st == CY_OK)
        st = pilot_doc_json(app, c, a, &d, out, err);
    pilot_doc_free(&d);
    return store_tx_close(app->store, c, st, err);
}

/* ---- the use cases ------------------------------------------------------ */

cy_status_t
app_scheme_create(app_t *app, const actor_t *a, int64_t now, const char *round_id, json_t *form,
                  json_t **out, cy_error_t *err)
{
    pilot_draft_t in = {.round_id = round_id, .annex = 1, .form = form};
    return draft_create(app, a, now, &in, out, err);
}

cy_status_t
app_plan_create(app_t *app, const actor_t *a, int64_t now, const pilot_draft_t *in, json_t **out,
                cy_error_t *err)
{
    *out = NULL;
    if (in->annex < 2 || in->annex > 4)
        return cy_error_set(
            err, CY_EINVAL, "annex_unknown", "annex",
            "附件应为 2（地方主管部门）、3（服务机构）或 4（行业企业） / annex must "
            "be 2 (authority), 3 (service institution) or 4 (enterprise)");
    return draft_create(app, a, now, in, out, err);
}

cy_status_t
app_scheme_update(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t *patch,
                  json_t **out, cy_error_t *err)
{
    return draft_update(app, a, now, &pilot_scheme_kind, id, patch, out, err);
}

cy_status_t
app_plan_update(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t *patch, json_t **out,
                cy_error_t *err)
{
    return draft_update(app, a, now, &pilot_plan_kind, id, patch, out, err);
}

cy_status_t
app_scheme_confirm(app_t *app, const actor_t *a, int64_t now, int64_t id,
                   const char *legal_representative, json_t **out, cy_error_t *err)
{
    return draft_confirm(app, a, now, &pilot_scheme_kind, id, legal_representative, out, err);
}

cy_status_t
app_plan_confirm(app_t *app, const actor_t *a, int64_t now, int64_t id,
                 const char *legal_representative, json_t **out, cy_error_t *err)
{
    return draft_confirm(app, a, now, &pilot_plan_kind, id, legal_representative, out, err);
}
