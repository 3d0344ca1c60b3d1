/*
 * uw_authz.c — the underwriting role × action table. Pure: libc only.
 *
 * Who: an insurer designs and files products, decides referrals, binds,
 * endorses and cancels what it underwrites; an enterprise (the insured)
 * answers its assessment, applies for quotes, binds, cancels and renews its
 * own; a service organisation assesses and applies on an enterprise's
 * behalf; the ministry and the support center read everything and may
 * price indicatively. Regional authorities and experts see products only:
 * they receive aggregate statistics, never an insured's file (DOMAIN.md §1).
 * A viewer only reads; filing a product and cancelling as the insured are
 * formal acts of an admin.
 */
#include "core/uw_authz.h"

static const char *const NAMES[UW_ACT_COUNT] = {
    "product.read", "product.manage", "product.file",  "assessment.read", "assessment.write",
    "quote.price",  "quote.apply",    "quote.read",    "referral.decide", "quote.bind",
    "policy.read",  "policy.endorse", "policy.cancel", "policy.renew",
};

enum { A = 1, M = 2, V = 4, AMV = A | M | V, AM = A | M };

static const unsigned char TABLE[UW_ACT_COUNT][ORG_TYPE_COUNT] = {
    /*                     min  sup  prov city ca   ins  svc  ent  exp */
    [UW_PRODUCT_READ] = {AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV},
    [UW_PRODUCT_MANAGE] = {0, 0, 0, 0, 0, AM, 0, 0, 0},
    [UW_PRODUCT_FILE] = {0, 0, 0, 0, 0, A, 0, 0, 0},
    [UW_ASSESS_READ] = {AMV, AMV, 0, 0, 0, AMV, AMV, AMV, 0},
    [UW_ASSESS_WRITE] = {0, 0, 0, 0, 0, 0, AM, AM, 0},
    [UW_QUOTE_PRICE] = {AM, AM, 0, 0, 0, AM, AM, AM, 0},
    [UW_QUOTE_APPLY] = {0, 0, 0, 0, 0, 0, AM, AM, 0},
    [UW_QUOTE_READ] = {AMV, AMV, 0, 0, 0, AMV, AMV, AMV, 0},
    [UW_REFERRAL_DECIDE] = {0, 0, 0, 0, 0, AM, 0, 0, 0},
    [UW_BIND] = {0, 0, 0, 0, 0, AM, 0, AM, 0},
    [UW_POLICY_READ] = {AMV, AMV, 0, 0, 0, AMV, 0, AMV, 0},
    [UW_POLICY_ENDORSE] = {0, 0, 0, 0, 0, AM, 0, 0, 0},
    [UW_POLICY_CANCEL] = {0, 0, 0, 0, 0, AM, 0, A, 0},
    [UW_POLICY_RENEW] = {0, 0, 0, 0, 0, 0, 0, AM, 0},
};

const char *
uw_authz_action_name(uw_action_t a)
{
    return (unsigned)a < UW_ACT_COUNT ? NAMES[a] : "?";
}

int
uw_authz_allowed(org_type_t t, user_role_t r, uw_action_t a)
{
    if ((unsigned)t >= ORG_TYPE_COUNT || (unsigned)r >= ROLE_COUNT || (unsigned)a >= UW_ACT_COUNT)
        return 0;
    return (TABLE[a][t] & (1u << r)) != 0;
}
