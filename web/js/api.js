// api.js — the one way the UI talks to the server.
//
// api() sends a request, parses the JSON answer and returns it; any failure
// (network, non-JSON answer, 4xx/5xx) is thrown as an ApiError carrying the
// server's {"error":{"code","message","field"}} fields, the HTTP status and
// the parsed body. apiList() follows the {"items":[...],"next":CURSOR|null}
// list shape to the end; apiPage() fetches one page of it.
//
// CSRF: the session cookie is HttpOnly (JS never sees it); every POST, PATCH
// and DELETE sends the header X-CSRF-Token with the token the server gave in
// the answer of POST /api/v1/session or GET /api/v1/me. The token is kept in
// memory only (this module's csrfToken): it is captured here, from any answer
// that carries a top-level "csrf_token", and dropped by clearCsrfToken() on
// logout. After a reload the shell calls /api/v1/me, which brings it back.
//
// Must never depend on: the DOM, i18n.js (messages stay as the server wrote
// them, "中文 / English"; the view picks the half it shows).

export class ApiError extends Error {
    constructor({ code, message, field = null, status = 0, body = null, retryAfter = null }) {
        super(message);
        this.name = 'ApiError';
        this.code = code; // machine code, e.g. "not_found", "network"
        this.field = field; // the offending input field, or null
        this.status = status; // HTTP status, 0 when no answer came back
        this.body = body; // parsed JSON body, or null
        this.retryAfter = retryAfter; // seconds of a Retry-After header, or null
    }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken = null;

// Forget the CSRF token (after logout). Tokens are otherwise captured from
// the answers themselves, see the header comment.
export function clearCsrfToken() {
    csrfToken = null;
}

// api(path, {method, body, query, signal}) → parsed JSON (null for 204).
// query is an object of search parameters; undefined/null/'' values are left out.
export async function api(path, options = {}) {
    try {
        return await request(path, options);
    } catch (err) {
        // The token can be stale when the session changed in another tab
        // (logout + login): fetch the current one once and try again.
        const method = (options.method ?? 'GET').toUpperCase();
        if (err instanceof ApiError && err.code === 'csrf_failed' && UNSAFE.has(method) && !options.retried) {
            await request('/api/v1/me', {}).catch(() => null);
            return request(path, { ...options, retried: true });
        }
        throw err;
    }
}

async function request(path, { method = 'GET', body, query, signal } = {}) {
    method = method.toUpperCase();
    const url = new URL(path, window.location.origin);
    if (query) {
        for (const [k, v] of Object.entries(query)) {
            if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
        }
    }
    const headers = { Accept: 'application/json' };
    const init = { method, headers, credentials: 'same-origin', signal };
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

    let res;
    try {
        res = await fetch(url, init);
    } catch (err) {
        if (err?.name === 'AbortError') throw err;
        throw new ApiError({ code: 'network', message: '无法连接服务器 / Cannot reach the server' });
    }

    const text = res.status === 204 ? '' : await res.text();
    let data = null;
    if (text !== '') {
        try {
            data = JSON.parse(text);
        } catch {
            throw new ApiError({
                code: 'bad_response',
                message: `服务器返回了无法解析的内容 / The server answered with something that is not JSON (HTTP ${res.status})`,
                status: res.status,
            });
        }
    }

    if (!res.ok) {
        const e = data && typeof data.error === 'object' ? data.error : null;
        const retry = Number.parseInt(res.headers.get('Retry-After') ?? '', 10);
        throw new ApiError({
            code: e?.code ?? `http_${res.status}`,
            message: e?.message ?? `请求失败 / Request failed (HTTP ${res.status})`,
            field: e?.field || null, // the server sends "" when no field is concerned
            status: res.status,
            body: data,
            retryAfter: Number.isFinite(retry) && retry >= 0 ? retry : null,
        });
    }
    if (data && typeof data === 'object' && typeof data.csrf_token === 'string') csrfToken = data.csrf_token;
    return data;
}

// apiPage(path, {query, cursor, signal}) → {items, next}: one page of a list.
export async function apiPage(path, { query = {}, cursor = null, signal } = {}) {
    const data = await api(path, { query: { ...query, cursor }, signal });
    if (!data || !Array.isArray(data.items)) {
        throw new ApiError({
            code: 'bad_response',
            message: '列表格式不正确 / The list answer has no "items" array',
            body: data,
        });
    }
    return { items: data.items, next: data.next ?? null };
}

// apiList(path, {query, signal}) → every item of a list resource, following
// "next" (sent back as ?cursor=NEXT) until it is null.
export async function apiList(path, { query = {}, signal } = {}) {
    const items = [];
    let cursor = null;
    for (let page = 0; page < 1000; page++) {
        const data = await apiPage(path, { query, cursor, signal });
        items.push(...data.items);
        if (data.next === null) return items;
        cursor = data.next;
    }
    throw new ApiError({ code: 'bad_response', message: '列表过长 / The list never ended' });
}
