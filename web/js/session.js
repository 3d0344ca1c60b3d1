// session.js — who is logged in: GET /api/v1/me, login and logout.
//
// The session itself is an HttpOnly cookie the page cannot read; what the UI
// knows is the answer of /api/v1/me (or of the login): {user, organisation,
// permissions}. The CSRF token in those answers is captured by api.js.
// Anonymous is a normal state, not an error: /me answers 401
// "unauthenticated", which loadSession() turns into null without logging
// anything (Chromium itself still reports the 401 of the request).
//
// Must never depend on: the DOM, i18n.js, any page module.

import { api, clearCsrfToken } from './api.js';

// The session as the UI uses it, or null for an anonymous visitor.
function toSession(data) {
    return {
        user: data.user,
        organisation: data.organisation,
        permissions: Array.isArray(data.permissions) ? data.permissions : [],
    };
}

// loadSession() → session | null. Throws an ApiError for anything but 401
// (server down, bad answer), so the caller can say so instead of pretending
// the visitor is anonymous.
export async function loadSession() {
    try {
        return toSession(await api('/api/v1/me'));
    } catch (err) {
        if (err?.status === 401) return null;
        throw err;
    }
}

// login(username, password) → session; throws the server's ApiError
// (401 login_failed, 429 login_throttled with err.retryAfter seconds).
export async function login(username, password) {
    return toSession(await api('/api/v1/session', { method: 'POST', body: { username, password } }));
}

// logout() ends the session on the server and forgets the CSRF token. A 401
// (already logged out, e.g. in another tab) counts as success.
export async function logout() {
    try {
        await api('/api/v1/session', { method: 'DELETE' });
    } catch (err) {
        if (err?.status !== 401) throw err;
    }
    clearCsrfToken();
}

// can(session, 'user.manage') → whether the session holds that permission.
export function can(session, permission) {
    return Boolean(session && session.permissions.includes(permission));
}

// Organisation types that see every organisation (and manage users of any).
export const NATIONAL_TYPES = Object.freeze(['ministry', 'support_center']);

export function isNational(session) {
    return Boolean(session && NATIONAL_TYPES.includes(session.organisation?.type));
}
