// api.js — the one way the UI talks to the server.
//
// api() sends a request, parses the JSON answer and returns it; any failure
// (network, non-JSON answer, 4xx/5xx) is thrown as an ApiError carrying the
// server's {"error":{"code","message","field"}} fields, the HTTP status and
// the parsed body. apiList() follows the {"items":[...],"next":CURSOR|null}
// list shape to the end.
//
// Must never depend on: the DOM, i18n.js (messages stay as the server wrote
// them, "中文 / English"; the view picks the half it shows).

export class ApiError extends Error {
    constructor({ code, message, field = null, status = 0, body = null }) {
        super(message);
        this.name = 'ApiError';
        this.code = code; // machine code, e.g. "not_found", "network"
        this.field = field; // the offending input field, or null
        this.status = status; // HTTP status, 0 when no answer came back
        this.body = body; // parsed JSON body, or null
    }
}

// api(path, {method, body, query, signal}) → parsed JSON (null for 204).
// query is an object of search parameters; undefined/null values are left out.
export async function api(path, { method = 'GET', body, query, signal } = {}) {
    const url = new URL(path, window.location.origin);
    if (query) {
        for (const [k, v] of Object.entries(query)) {
            if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
        }
    }
    const headers = { Accept: 'application/json' };
    const init = { method, headers, credentials: 'same-origin', signal };
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }

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
        throw new ApiError({
            code: e?.code ?? `http_${res.status}`,
            message: e?.message ?? `请求失败 / Request failed (HTTP ${res.status})`,
            field: e?.field || null, // the server sends "" when no field is concerned
            status: res.status,
            body: data,
        });
    }
    return data;
}

// apiList(path, {query, signal}) → every item of a list resource, following
// "next" (sent back as ?cursor=NEXT) until it is null.
export async function apiList(path, { query = {}, signal } = {}) {
    const items = [];
    let cursor = null;
    for (let page = 0; page < 1000; page++) {
        const data = await api(path, { query: { ...query, cursor }, signal });
        if (!data || !Array.isArray(data.items)) {
            throw new ApiError({
                code: 'bad_response',
                message: '列表格式不正确 / The list answer has no "items" array',
                body: data,
            });
        }
        items.push(...data.items);
        if (data.next === null || data.next === undefined) return items;
        cursor = data.next;
    }
    throw new ApiError({ code: 'bad_response', message: '列表过长 / The list never ended' });
}
