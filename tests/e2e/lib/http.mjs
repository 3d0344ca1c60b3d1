// http.mjs — helpers the end-to-end suites share: the server's base URL,
// JSON requests, and a raw request that bypasses fetch's URL normalisation.
import net from 'node:net';
import assert from 'node:assert/strict';

export const BASE = process.env.BASE_URL;
if (!BASE) throw new Error('BASE_URL is not set: run through tests/e2e/run.sh');

export function api(method, path, opts = {}) {
  return apiAt(BASE, method, path, opts);
}

// apiAt: api against another server (base: its URL)
export async function apiAt(base, method, path, { body, raw, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (raw !== undefined) {
    init.body = raw;
    init.headers['content-type'] ??= 'application/json';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const res = await fetchOnce(base + path, init);
  const text = await res.text();
  let json = null;
  if ((res.headers.get('content-type') || '').startsWith('application/json')) json = JSON.parse(text);
  return { status: res.status, headers: res.headers, json, text };
}

// fetchOnce: fetch, sent again once when the server had closed the kept-alive connection
// before answering. The server closes a connection idle past its timeout (10 s); a test that
// ran subprocesses (spawnSync) for longer held the event loop meanwhile, so fetch could reuse
// that socket before reading its close ('fetch failed', cause 'other side closed': the
// evidence test of claims.test.mjs, 22 s of CLI runs, on a loaded fresh machine). The server
// never read such a request, so sending it again on a new connection is what a browser does.
const CLOSED = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE']);
async function fetchOnce(url, init) {
  try {
    return await fetch(url, init);
  } catch (e) {
    if (!(e instanceof TypeError) || !CLOSED.has(e.cause?.code)) throw e;
    return fetch(url, init);
  }
}

// assertError checks the one error shape and its status, code and field.
export function assertError(r, status, code, field) {
  assert.equal(r.status, status, `status for ${code}: ${r.text}`);
  assert.ok(r.json && r.json.error, `error body: ${r.text}`);
  assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'field', 'message']);
  assert.equal(r.json.error.code, code);
  if (field !== undefined) assert.equal(r.json.error.field, field);
  assert.match(r.json.error.message, / \/ /, 'message is Chinese / English');
}

// rawRequest sends bytes as they are (fetch would normalise "/../").
export function rawRequest(requestText) {
  const { hostname, port } = new URL(BASE);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname, () => sock.end(requestText));
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => (data += d));
    sock.on('end', () => {
      const status = Number(data.split(' ')[1]);
      const body = data.slice(data.indexOf('\r\n\r\n') + 4);
      resolve({ status, data, body });
    });
    sock.on('error', reject);
    sock.setTimeout(10000, () => reject(new Error('raw request timed out')));
  });
}

export const DEMO_PASSWORD = 'Demo-2024-cyberins';

// login returns a session: its cookie, CSRF token and the login answer.
export async function login(username, password = DEMO_PASSWORD, headers = {}) {
  const r = await api('POST', '/api/v1/session', { body: { username, password }, headers });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  return { username, cookie, csrf: r.json.csrf_token, me: r.json };
}

// as(session, method, path, opts): a request with the session's cookie and CSRF token.
export function as(session, method, path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  if (session) {
    headers.cookie = session.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = session.csrf;
  }
  return api(method, path, { ...opts, headers });
}

// A valid USCC (GB 32100 check digit and GB 11714 embedded check) for tests:
// prefix "91" + region + an 8-character body.
const CS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export function makeUscc(prefix, region, body8) {
  const val = (c) => (/[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  const ow = [3, 7, 9, 10, 5, 8, 4, 2];
  const oc = 11 - ([...body8].reduce((s, c, i) => s + val(c) * ow[i], 0) % 11);
  const org = body8 + (oc === 10 ? 'X' : oc === 11 ? '0' : String(oc));
  const s17 = prefix + region + org;
  const t = [...s17].reduce((s, c, i) => s + CS.indexOf(c) * W[i], 0);
  const c = 31 - (t % 31);
  return s17 + CS[c === 31 ? 0 : c];
}

let seq = 0;
// uniqueBody8: a fresh 8-character organisation-code body per call.
export function uniqueBody8() {
  seq += 1;
  return ('T' + String(Date.now() % 1e5).padStart(5, '0') + String(seq).padStart(2, '0')).slice(0, 8);
}
