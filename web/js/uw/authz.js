// uw/authz.js — underwriting's permission check. GET /api/v1/me lists every
// action the user's role allows, underwriting's included (src/core/uw_authz.c
// is the one table), so this asks that list and keeps no copy of the table.
// It decides only what to offer (links, forms, buttons); the server decides
// what is allowed and answers 403 otherwise.
//
// Must never depend on: anything but session.js.

import { can } from '../session.js';

// uwCan(session, 'quote.apply') → whether the server lets this user do it.
export function uwCan(session, action) {
    return can(session, action);
}
