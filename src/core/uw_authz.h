/*
 * uw_authz.h — who may do what in underwriting (DOMAIN.md §6): products,
 * risk assessments, quotes, referrals, policies. The same shape as
 * core/authz.h (organisation type × user role × action) but a table of its
 * own, so that the capability's permissions live next to its rules instead
 * of in the platform's table. Which records a caller sees is decided in app/
 * (scope); whether it may act at all is this table.
 *
 * Pure: libc and core/authz.h only. Must never depend on store/, app/,
 * http/ or any I/O.
 */
#ifndef CY_CORE_UW_AUTHZ_H
#define CY_CORE_UW_AUTHZ_H

#include "core/authz.h"

typedef enum {
    UW_PRODUCT_READ,    /* list and read products (others' drafts stay hidden) */
    UW_PRODUCT_MANAGE,  /* create products, edit drafts, open new versions */
    UW_PRODUCT_FILE,    /* record the filing (备案号) and put a version on sale */
    UW_ASSESS_READ,     /* read assessments in one's scope */
    UW_ASSESS_WRITE,    /* start, answer, import evidence, submit */
    UW_QUOTE_PRICE,     /* indicative prices: nothing is stored */
    UW_QUOTE_APPLY,     /* apply for a quote that is stored and may be bound */
    UW_QUOTE_READ,      /* read quotes in one's scope */
    UW_REFERRAL_DECIDE, /* approve or decline a referred quote (核保) */
    UW_BIND,            /* bind a quote into a policy (承保) */
    UW_POLICY_READ,     /* read policies in one's scope */
    UW_POLICY_ENDORSE,  /* mid-term change of the limit */
    UW_POLICY_CANCEL,   /* cancel with a pro-rata return premium */
    UW_POLICY_RENEW,    /* apply for the renewal quote */
    UW_ACT_COUNT
} uw_action_t;

/* The action's name as the API shows it ("quote.apply"); "?" out of range. */
const char *uw_authz_action_name(uw_action_t a);

/* 1 if an organisation of type t may hold a user of role r doing action a. */
int uw_authz_allowed(org_type_t t, user_role_t r, uw_action_t a);

#endif
