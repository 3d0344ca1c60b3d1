/*
 * common.c — the steps every claims use case shares (internal.h): the
 * capability's data, the caller's party on a claim, checks of values as sent
 * (each refusal in words, never a key), entering a claim in a transaction,
 * the step every write records (status, timeline, audit), and the claim as
 * the caller sees it. Depends on core/, store/ and app/.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/claims/internal.h"
#include "app/notify/notify.h"
#include "core/bjtime.h"
#include "core/money.h"
#include "core/utf8.h"

cy_status_t
app_claims_open(app_t *app, cy_error_t *err)
{
    return claims_data_load(app->cfg.data_dir, &app->claims, err);
}

void
app_claims_close(app_t *app)
{
    if (app == NULL)
        return;
    claims_data_free(app->claims);
    app->claims = NULL;
}

const claims_data_t *
claims_rules(const app_t *app)
{
    return app->claims;
}

const char *
claims_party_name(claims_party_t p)
{
    static const char *const NAMES[] = {"", "operator", "insurer", "insured", "responder"};
    return NAMES[p];
}

const char *
claims_id_text(int64_t id, char buf[24])
{
    snprintf(buf, 24, "%" PRId64, id);
    return buf;
}

/* ---------- checks of values as sent ---------- */

cy_status_t
claims_text(const char *s, const claims_field_t *f, size_t max, int required, cy_error_t *err)
{
    size_t n = s ? strlen(s) : 0;
    if (required && n == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", f->key, "请填写%s / %s is required",
                            f->zh, f->en);
    if (n > max)
        return cy_error_set(
            err, CY_EINVAL, "too_long", f->key,
            "%s过长（%zu 字节，上限 %zu） / %s is too long (%zu bytes, at most %zu)", f->zh, n, max,
            f->en, n, max);
    if (n > 0 && !utf8_valid(s, n, NULL))
        return cy_error_set(err, CY_EINVAL, "utf8_invalid", f->key,
                            "%s不是有效的 UTF-8 文本 / %s is not valid UTF-8 text", f->zh, f->en);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
            return cy_error_set(err, CY_EINVAL, "control_char", f->key,
                                "%s含有控制字符 / %s contains a control character", f->zh, f->en);
    return CY_OK;
}

cy_status_t
claims_amount(int64_t x, const claims_field_t *f, int64_t lo, int64_t hi, cy_error_t *err)
{
    if (x >= lo && x <= hi)
        return CY_OK;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
    money_format(lo, a, sizeof a);
    money_format(hi, b, sizeof b);
    return cy_error_set(err, CY_EINVAL, "out_of_range", f->key,
                        "%s应在 %s 到 %s 之间 / %s must be from %s to %s", f->zh, a, b, f->en, a,
                        b);
}

cy_status_t
claims_time(const char *s, const claims_field_t *f, int64_t now, int64_t *out, cy_error_t *err)
{
    if (s == NULL || s[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "missing_field", f->key, "请填写%s / %s is required",
                            f->zh, f->en);
    cy_error_t e;
    if (bjtime_parse(s, out, &e) != CY_OK)
        return cy_error_set(err, CY_EINVAL, "time_invalid", f->key,
                            "%s不是有效的时间（如 2030-05-10 08:30，北京时间） / %s is not a valid "
                            "time (e.g. 2030-05-10 08:30, Beijing time)",
                            f->zh, f->en);
    if (*out > now)
        return cy_error_set(err, CY_EINVAL, "time_future", f->key,
                            "%s不能晚于现在 / %s must not be in the future", f->zh, f->en);
    return CY_OK;
}

cy_status_t
claims_date(const char *s, const claims_field_t *f, int64_t now, char out[16], cy_error_t *err)
{
    if (s == NULL) {
        bjtime_format_date(now, out);
        return CY_OK;
    }
    int64_t t;
    cy_error_t e;
    if (strlen(s) != 10 || bjtime_parse(s, &t, &e) != CY_OK)
        return cy_error_set(err, CY_EINVAL, "date_invalid", f->key,
                            "%s应为日期（如 2030-06-01） / %s must be a date (e.g. 2030-06-01)",
                            f->zh, f->en);
    if (t > now)
        return cy_error_set(err, CY_EINVAL, "date_future", f->key,
                            "%s不能晚于今天 / %s must not be after today", f->zh, f->en);
    claims_copy(out, 16, s);
    return CY_OK;
}

cy_status_t
claims_one_of(const char *s, const claims_field_t *f, const char *const *codes, cy_error_t *err)
{
    char list[256] = "";
    for (size_t i = 0; codes[i] != NULL; i++) {
        if (s != NULL && strcmp(s, codes[i]) == 0)
            return CY_OK;
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", codes[i]);
    }
    if (s == NULL)
        return cy_error_set(err, CY_EINVAL, "missing_field", f->key, "请填写%s / %s is required",
                            f->zh, f->en);
    return cy_error_set(err, CY_EINVAL, "value_invalid", f->key,
                        "%s应为以下之一：%s / %s must be one of: %s", f->zh, list, f->en, list);
}

cy_status_t
claims_coverage(const char *code, const claims_field_t *f, int *cov, cy_error_t *err)
{
    *cov = code ? cov_find(code) : -1;
    if (*cov >= 0)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "coverage_unknown", f->key,
                        "%s不是通知所列的险种 / %s is not one of the notice's coverages", f->zh,
                        f->en);
}

/* ---------- parties ---------- */

cy_status_t
claims_party(store_conn_t *c, const actor_t *a, const claims_claim_t *cl, claims_party_t *party,
             cy_error_t *err)
{
    *party = PARTY_NONE;
    if (a->cli || authz_sees_all(a->org_type))
        *party = PARTY_OPERATOR;
    else if (a->org_id == cl->insurer_org_id)
        *party = PARTY_INSURER;
    else if (a->org_id == cl->insured_org_id)
        *party = PARTY_INSURED;
    if (*party != PARTY_NONE || a->org_type != ORG_SERVICE_ORG)
        return CY_OK;
    int yes = 0;
    cy_status_t st = claims_assigned(c, cl->id, a->org_id, &yes, err);
    if (yes)
        *party = PARTY_RESPONDER;
    return st;
}

/* Let the actor in: a party (else 404), the table allows act (else 403), the party needed. */
static cy_status_t
admit(const actor_t *a, const claims_claim_t *cl, claims_party_t party, authz_action_t act,
      claims_party_t need, cy_error_t *err)
{
    if (party == PARTY_NONE)
        return app_not_found(err, "理赔", "claim", cl->id);
    if (!a->cli && !authz_allowed(a->org_type, a->role, act))
        return app_forbidden(err, act);
    if (need != PARTY_NONE && party != need)
        return app_forbidden(err, act);
    return CY_OK;
}

cy_status_t
claims_enter(store_conn_t *c, const actor_t *a, int64_t now, int64_t id, authz_action_t act,
             claims_party_t need, claims_claim_t *cl, claims_party_t *party, cy_error_t *err)
{
    char at[32];
    utc_format_iso(now, at);
    memset(cl, 0, sizeof *cl);
    *party = PARTY_NONE;
    int found = 0;
    cy_status_t st = claims_claim_lock(c, id, at, &found, err);
    if (st == CY_OK && found)
        st = claims_claim_read(c, id, cl, &found, err);
    if (st == CY_OK && !found)
        return app_not_found(err, "理赔", "claim", id);
    if (st == CY_OK)
        st = claims_party(c, a, cl, party, err);
    return st == CY_OK ? admit(a, cl, *party, act, need, err) : st;
}

cy_status_t
claims_peek(app_t *app, const actor_t *a, int64_t id, authz_action_t act, claims_party_t need,
            claims_claim_t *cl, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    claims_party_t party = PARTY_NONE;
    memset(cl, 0, sizeof *cl);
    st = claims_claim_read(c, id, cl, &found, err);
    if (st == CY_OK && !found)
        st = app_not_found(err, "理赔", "claim", id);
    if (st == CY_OK)
        st = claims_party(c, a, cl, &party, err);
    store_release(app->store, c);
    return st == CY_OK ? admit(a, cl, party, act, need, err) : st;
}

/* ---------- the step every write records ---------- */

cy_status_t
claims_step(store_conn_t *c, const actor_t *a, int64_t now, claims_claim_t *cl, const char *action,
            const char *status, const char *reason, cy_error_t *err, const char *fmt, ...)
{
    claims_event_t e = {0};
    utc_format_iso(now, e.at);
    e.user_id = a->user_id;
    e.org_id = a->org_id;
    claims_copy(e.party, sizeof e.party, "system");
    claims_copy(e.kind, sizeof e.kind, "system");
    e.to_insured = e.to_responder = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.text, sizeof e.text, fmt, ap);
    va_end(ap);
    utf8_trim_partial(e.text);
    cy_status_t st = CY_OK;
    if (status != NULL) {
        claims_copy(cl->status, sizeof cl->status, status);
        st = claims_status_insert(c, cl->id, a, status, e.at, reason, err);
    }
    claims_copy(cl->updated_at, sizeof cl->updated_at, e.at);
    if (st == CY_OK)
        st = claims_claim_update(c, cl, err);
    if (st == CY_OK)
        st = claims_event_insert(c, cl->id, &e, err);
    char idt[24];
    if (st == CY_OK)
        st = app_audit_append(c, a, now, action, "claim", claims_id_text(cl->id, idt), err, "%s %s",
                              cl->claim_no, e.text);
    return st;
}

/* ---------- the claim as the caller sees it ---------- */

static unsigned
actions_of(const actor_t *a, const claims_claim_t *cl, claims_party_t party)
{
#define MAY(act) (a->cli || authz_allowed(a->org_type, a->role, (act)))
    unsigned m = 0;
    int closed = strcmp(cl->status, "closed") == 0;
    int settled = cl->settled_amount >= 0;
    int insurer = party == PARTY_INSURER;
    if (!closed && party != PARTY_OPERATOR && MAY(ACT_CLAIM_NOTE))
        m |= CLAIMS_ACT_NOTE;
    if (!closed && insurer && MAY(ACT_CLAIM_ASSIGN))
        m |= CLAIMS_ACT_ASSIGN;
    if (!closed && party == PARTY_RESPONDER && MAY(ACT_CLAIM_RESPOND))
        m |= CLAIMS_ACT_RESPOND;
    if (!closed && !settled && insurer && MAY(ACT_CLAIM_ADJUST))
        m |= CLAIMS_ACT_ADJUST;
    if (!closed && !settled && insurer && cl->liability_outcome[0] &&
        strcmp(cl->liability_outcome, "declined") != 0 && cl->n_line_items > 0 &&
        MAY(ACT_CLAIM_SETTLE))
        m |= CLAIMS_ACT_SETTLE;
    if (!closed && settled && cl->paid < cl->settled_amount && insurer && MAY(ACT_CLAIM_PAY))
        m |= CLAIMS_ACT_PAY;
    if (insurer && MAY(ACT_CLAIM_CLOSE))
        m |= closed ? CLAIMS_ACT_REOPEN : CLAIMS_ACT_CLOSE;
    return m;
#undef MAY
}

/* The details party may see (internal.h says who sees what). */
static cy_status_t
details_read(store_conn_t *c, const actor_t *a, claims_claim_t *cl, claims_party_t party,
             cy_error_t *err)
{
    int64_t own = party == PARTY_RESPONDER ? a->org_id : 0;
    int money = party != PARTY_RESPONDER;
    int found = 0;
    cy_status_t st = claims_statuses_read(c, cl, err);
    if (st == CY_OK)
        st = claims_events_read(c, cl, party, a->org_id, err);
    if (st == CY_OK)
        st = claims_assignments_read(c, cl, own, err);
    if (st == CY_OK)
        st = claims_tasks_read(c, cl, own, err);
    if (st == CY_OK && money)
        st = claims_record_read(c, &CLAIMS_LIABILITY, cl->id, &cl->liability, &found, err);
    cl->has_liability = found;
    if (st == CY_OK && money)
        st = claims_line_items_read(c, cl, err);
    if (st == CY_OK && money)
        st = claims_record_read(c, &CLAIMS_SETTLEMENT, cl->id, &cl->settlement, &cl->has_settlement,
                                err);
    if (st == CY_OK && money)
        st = claims_table_read(c, &CLAIMS_PAYMENTS, cl->id, (void **)&cl->payments, &cl->n_payments,
                               err);
    if (st == CY_OK && money)
        st = claims_table_read(c, &CLAIMS_RECOVERIES, cl->id, (void **)&cl->recoveries,
                               &cl->n_recoveries, err);
    if (st == CY_OK && (party == PARTY_INSURER || party == PARTY_OPERATOR))
        st = claims_table_read(c, &CLAIMS_RESERVES, cl->id, (void **)&cl->reserves, &cl->n_reserves,
                               err);
    else
        cl->reserve = -1;
    return st;
}

cy_status_t
claims_view(app_t *app, const actor_t *a, int64_t now, int64_t id, claims_claim_t *out,
            cy_error_t *err)
{
    (void)now;
    memset(out, 0, sizeof *out);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    claims_party_t party = PARTY_NONE;
    st = claims_claim_read(c, id, out, &found, err);
    if (st == CY_OK && !found)
        st = app_not_found(err, "理赔", "claim", id);
    if (st == CY_OK)
        st = claims_party(c, a, out, &party, err);
    if (st == CY_OK)
        st = admit(a, out, party, ACT_CLAIM_READ, PARTY_NONE, err);
    out->with_details = 1;
    if (st == CY_OK)
        st = details_read(c, a, out, party, err);
    store_release(app->store, c);
    if (st != CY_OK) {
        claims_claim_free(out);
        return st;
    }
    claims_copy(out->party, sizeof out->party, claims_party_name(party));
    out->actions = actions_of(a, out, party);
    return CY_OK;
}

cy_status_t
claims_after(app_t *app, const actor_t *a, int64_t now, int64_t id, cy_status_t st,
             claims_claim_t *out, cy_error_t *err)
{
    if (st != CY_OK)
        return st;
    return claims_view(app, a, now, id, out, err);
}

void
claims_claim_free(claims_claim_t *cl)
{
    if (cl == NULL)
        return;
    free(cl->statuses);
    free(cl->events);
    free(cl->assignments);
    free(cl->tasks);
    claims_liability_free(&cl->liability);
    free(cl->line_items);
    claims_settlement_free(&cl->settlement);
    free(cl->reserves);
    free(cl->payments);
    free(cl->recoveries);
    int64_t id = cl->id;
    memset(cl, 0, sizeof *cl);
    cl->id = id;
}

void
claims_claim_list_free(claims_claim_list_t *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

cy_status_t
claims_notify(app_t *app, store_conn_t *c, int64_t now, int64_t org_id, const char *kind,
              const claims_claim_t *cl, const char *zh, const char *en, cy_error_t *err)
{
    char idt[24], link[64];
    snprintf(link, sizeof link, "/claims.html?id=%" PRId64, cl->id);
    notify_in_t n = {.org_id = org_id,
                     .kind = kind,
                     .object_type = "claim",
                     .object_id = claims_id_text(cl->id, idt),
                     .text_zh = zh,
                     .text_en = en,
                     .link = link};
    int64_t nid;
    return notify_raise(app, c, now, &n, &nid, err);
}

cy_status_t
claims_list_open(app_t *app, const actor_t *a, const char *status, const claims_field_t *f,
                 const char *const *statuses, store_conn_t **c, cy_error_t *err)
{
    if (!a->cli && !authz_allowed(a->org_type, a->role, ACT_CLAIM_READ))
        return app_forbidden(err, ACT_CLAIM_READ);
    cy_status_t st = status ? claims_one_of(status, f, statuses, err) : CY_OK;
    if (st != CY_OK) {
        err->status = CY_EBADREQ;
        return st;
    }
    return store_acquire(app->store, c, err);
}
