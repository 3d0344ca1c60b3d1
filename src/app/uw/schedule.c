/*
 * schedule.c — a policy at a time (internal.h): which schedule is in force,
 * whether the policy is, and what the caller may do with it. Every reader of
 * a policy — its page, the list, an endorsement, the book in force the
 * simulation and the statistics run on — decides here, so they agree.
 *
 * A change takes effect at 00:00 Beijing time of its effective date (the
 * second stored in effective_at) and holds until the next change; a
 * cancellation from its effective time on. Records floor: used by
 * db_policy.c's readers and the use cases; pure (no store, no clock).
 */
#include <string.h>

#include "app/uw/internal.h"
#include "app/util.h"

static int
same_insured(const uw_terms_t *a, const uw_terms_t *b)
{
    if (a->section != b->section || strcmp(a->region, b->region) != 0 || a->revenue != b->revenue ||
        a->margin_bp != b->margin_bp)
        return 0;
    for (int d = 0; d < 4; d++)
        if (strcmp(a->dep[d], b->dep[d]) != 0)
            return 0;
    return 1;
}

/* What differs from a to b, as UW_CHANGED_* bits. */
static uint32_t
changes(const uw_terms_t *a, const uw_terms_t *b)
{
    uint32_t m = 0;
    if (a->limit != b->limit)
        m |= UW_CHANGED_LIMIT;
    if (a->retention != b->retention)
        m |= UW_CHANGED_RETENTION;
    if (a->covered != b->covered)
        m |= UW_CHANGED_COVERAGES;
    for (int c = 0; c < COV_N; c++)
        if ((a->covered & b->covered & (1u << c)) && a->sublimit[c] != b->sublimit[c])
            m |= UW_CHANGED_SUBLIMITS;
    if (!same_insured(a, b))
        m |= UW_CHANGED_INSURED;
    return m;
}

void
uw_schedule_walk(uw_policy_t *y)
{
    uw_terms_t cur = y->bound;
    for (size_t k = 0; k < y->n_endorsements; k++) {
        uw_endorsement_t *e = &y->endorsements[k];
        e->effective = app_iso_to_time(e->effective_at);
        e->before = cur;
        if (strcmp(e->kind, "change") == 0) {
            e->changed = changes(&cur, &e->after);
            cur = e->after;
        } else {
            e->after = cur;
            e->changed = 0;
        }
    }
}

void
uw_policy_at(uw_policy_t *y, int64_t t)
{
    y->as_of = t;
    y->terms = y->bound;
    y->written = y->bound.annual;
    for (size_t k = 0; k < y->n_endorsements; k++) {
        uw_endorsement_t *e = &y->endorsements[k];
        e->scheduled = e->effective > t;
        if (e->scheduled)
            continue;
        y->written += e->premium_delta;
        if (strcmp(e->kind, "change") == 0)
            y->terms = e->after;
    }
    int cancelled = y->cancel_effective[0] && app_iso_to_time(y->cancel_effective) <= t;
    uw_copy(y->status, sizeof y->status, cancelled ? "cancelled" : "active");
    y->in_force = !cancelled && y->start <= t && t < y->end;
}

unsigned
uw_policy_actions(const actor_t *a, const uw_policy_t *y)
{
    unsigned m = 0;
    /* nothing changes after a cancellation is recorded, nor once the period is over */
    int open = y->cancel_effective[0] == '\0';
    if (open && y->as_of < y->end && uw_policy_may(a, y, ACT_POLICY_ENDORSE))
        m |= UW_ACT_ENDORSE;
    if (open && y->as_of < y->end && uw_policy_may(a, y, ACT_POLICY_CANCEL))
        m |= UW_ACT_CANCEL;
    if (open && y->renewed_by == 0 && uw_policy_may(a, y, ACT_POLICY_RENEW))
        m |= UW_ACT_RENEW;
    return m;
}

int
uw_policy_visible(const actor_t *a, const uw_policy_t *y)
{
    return uw_sees_all(a) || y->insured_org_id == a->org_id || y->insurer_org_id == a->org_id;
}

int
uw_policy_may(const actor_t *a, const uw_policy_t *y, authz_action_t act)
{
    if (!uw_may(a, act))
        return 0;
    if (a->cli)
        return 1;
    /* the insurer endorses; either side cancels; the insured renews */
    switch (act) {
    case ACT_POLICY_ENDORSE:
        return y->insurer_org_id == a->org_id;
    case ACT_POLICY_RENEW:
        return y->insured_org_id == a->org_id;
    default:
        return y->insurer_org_id == a->org_id || y->insured_org_id == a->org_id;
    }
}
