/*
 * timeline.c — what the parties write on a claim's timeline (claims.h):
 * notes, calls, decisions, each shown to the insurer and to whom the author
 * chose. Use-case file.
 */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/claims/internal.h"
#include "core/bjtime.h"

static const char *const KINDS[] = {"note", "call", "decision", NULL};

cy_status_t
claims_note(app_t *app, const actor_t *a, int64_t now, int64_t id, const claims_note_in_t *in,
            claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    static const claims_field_t fk = {"kind", "记录类型", "the kind of entry"};
    static const claims_field_t ft = {"text", "记录内容", "the text"};
    cy_status_t st = claims_one_of(in->kind ? in->kind : "note", &fk, KINDS, err);
    if (st == CY_OK)
        st = claims_text(in->text, &ft, CLAIMS_TEXT_MAX, 1, err);
    if (st != CY_OK)
        return st;
    store_conn_t *c;
    if ((st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_claim_t cl;
    claims_party_t party;
    st = claims_enter(c, a, now, id, ACT_CLAIM_NOTE, PARTY_NONE, &cl, &party, err);
    if (st == CY_OK && party == PARTY_OPERATOR)
        st = app_forbidden(err, ACT_CLAIM_NOTE);
    if (st == CY_OK && strcmp(cl.status, "closed") == 0)
        st = cy_error_set(err, CY_ECONFLICT, "claim_closed", "status",
                          "理赔已结案，请先重开 / the claim is closed: reopen it first");
    claims_event_t e = {0};
    utc_format_iso(now, e.at);
    e.user_id = a->user_id;
    e.org_id = a->org_id;
    claims_copy(e.party, sizeof e.party, claims_party_name(party));
    claims_copy(e.kind, sizeof e.kind, in->kind ? in->kind : "note");
    claims_copy(e.text, sizeof e.text, in->text);
    /* the author's side always reads its own; the insurer reads every entry */
    e.to_insured = in->to_insured || party == PARTY_INSURED;
    e.to_responder = in->to_responder || party == PARTY_RESPONDER;
    char idt[24];
    if (st == CY_OK)
        st = claims_event_insert(c, cl.id, &e, err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "claim.note", "claim", claims_id_text(cl.id, idt), err,
                              "%s %s", cl.claim_no, e.kind);
    st = store_tx_close(app->store, c, st, err);
    return claims_after(app, a, now, id, st, out, err);
}
