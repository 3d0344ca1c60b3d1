// http.mjs — helpers the end-to-end suites share: the server's base URL,
// JSON requests, and a raw request that bypasses fetch's URL normalisation.
import net from 'node:net';
import assert from 'node:assert/strict';

export const BASE = process.env.BASE_URL;
if (!BASE) throw new Error('BASE_URL is not set: run through tests/e2e/run.sh');

export async function api(method, path, { body, raw, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (raw !== undefined) {
    init.body = raw;
    init.headers['content-type'] ??= 'application/json';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const res = await fetch(BASE + path, init);
  const text = await res.text();
  let json = null;
  if ((res.headers.get('content-type') || '').startsWith('application/json')) json = JSON.parse(text);
  return { status: res.status, headers: res.headers, json, text };
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
