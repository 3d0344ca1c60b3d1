// cluster.test.mjs — two servers on one database: the one run.sh started
// (A, BASE_URL) and a second one started here on the same SQLite file or
// PostgreSQL database (B). Each keeps in memory who a session or an API
// token is, and the products it prices (docs/security.md, "Servers keep
// copies"); what one server — or the command line — changes about who may
// act is refused by the other at once, in the very next request: a user
// disabled, an API token revoked, a session ended, a password reset; and a
// product changed on one is priced as changed on the other.
//
// That B answers from memory at all is shown first: a change made behind
// the servers' back, straight in the database, is not seen by B until the
// token's next recorded use (a minute later) — while the same change made
// through A or the command line is seen by B at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { api, as, assertError, login } from './lib/http.mjs';

const DB = process.env.CYBERINS_DB;
const BIN = process.env.CYBERINS_BIN;
let second;
let B;

before(async () => {
  second = spawn(BIN, ['serve', '--db', DB, '--listen', '127.0.0.1:0', '--threads', '2', '--test-clock', '--no-worker',
    '--access-log', `${process.env.E2E_WORK}/access-b.log`], { stdio: ['ignore', 'pipe', 'inherit'] });
  B = await new Promise((resolve, reject) => {
    let out = '';
    second.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/[^ ]+)\/ /);
      if (m) resolve(m[1]);
    });
    second.on('exit', (code) => reject(new Error(`the second server exited (${code}): ${out}`)));
  });
});

after(async () => {
  const done = new Promise((resolve) => second.on('exit', resolve));
  second.kill('SIGTERM');
  await done;
});

// onB(method, path, {cookie, token, csrf, body, now}): a request to the second server
async function onB(method, path, { cookie, token, csrf, body, now } = {}) {
  const headers = {};
  if (cookie) headers.cookie = cookie;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (token) headers.authorization = `Bearer ${token}`;
  if (now) headers['x-test-now'] = now;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(B + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : null };
}

function sql(statement) {
  const r = DB.startsWith('sqlite:')
    ? spawnSync('sqlite3', ['-cmd', '.timeout 5000', DB.slice(7), statement], { encoding: 'utf8' })
    : spawnSync('psql', [DB, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

let n = 0;
async function newUser() {
  const admin = await login('ent-gz');
  const username = `c${Date.now() % 100000}x${++n}`;
  const r = await as(admin, 'POST', '/api/v1/users', {
    body: { username, display_name: '集群测试', role: 'member', password: 'Test-pass-12345' },
  });
  assert.equal(r.status, 201, r.text);
  return { admin, id: r.json.id, username, password: 'Test-pass-12345' };
}

// A session and an API token of a new user, each used twice on B (so B holds them).
async function heldByB(u, now) {
  const s = await login(u.username, u.password);
  const t = await as(s, 'POST', '/api/v1/tokens', { body: { name: 'cluster' } });
  assert.equal(t.status, 201, t.text);
  for (let i = 0; i < 2; i++) {
    assert.equal((await onB('GET', '/api/v1/me', { cookie: s.cookie, now })).status, 200);
    assert.equal((await onB('GET', '/api/v1/me', { token: t.json.token, now })).status, 200);
  }
  return { s, token: t.json.token, tokenId: t.json.id };
}

const at = (secs) => new Date(secs * 1000).toISOString().replace('.000', '');

test('B answers from memory: a change behind the servers\' back waits for the next recorded use', async () => {
  const u = await newUser();
  const t0 = Math.floor(Date.now() / 1000) + 60; // within the session's idle time
  const { token } = await heldByB(u, at(t0));
  sql(`UPDATE app_user SET disabled = 1 WHERE id = ${u.id}`);
  // within the minute of its recorded use, B still trusts its copy of the token ...
  assert.equal((await onB('GET', '/api/v1/me', { token, now: at(t0 + 30) })).status, 200);
  // ... a minute on, it reads the token again, and the user is disabled
  assertError(await onB('GET', '/api/v1/me', { token, now: at(t0 + 61) }), 401, 'unauthenticated');
  sql(`UPDATE app_user SET disabled = 0 WHERE id = ${u.id}`);
});

test('a user disabled through A is refused by B at once: its session and its token', async () => {
  const u = await newUser();
  const { s, token } = await heldByB(u);
  const r = await as(u.admin, 'PATCH', `/api/v1/users/${u.id}`, { body: { disabled: true } });
  assert.equal(r.status, 200, r.text);
  assertError(await onB('GET', '/api/v1/me', { cookie: s.cookie }), 401, 'unauthenticated');
  assertError(await onB('GET', '/api/v1/me', { token }), 401, 'unauthenticated');
});

test('a user disabled by the command line is refused by B at once', async () => {
  const u = await newUser();
  const { s, token } = await heldByB(u);
  const r = spawnSync(BIN, ['user', 'disable', u.username, '--db', DB], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assertError(await onB('GET', '/api/v1/me', { cookie: s.cookie }), 401, 'unauthenticated');
  assertError(await onB('GET', '/api/v1/me', { token }), 401, 'unauthenticated');
});

test('an API token revoked through A is refused by B at once; the user\'s session goes on', async () => {
  const u = await newUser();
  const { s, token, tokenId } = await heldByB(u);
  const r = await as(s, 'DELETE', `/api/v1/tokens/${tokenId}`);
  assert.equal(r.status, 204, r.text);
  assertError(await onB('GET', '/api/v1/me', { token }), 401, 'unauthenticated');
  assert.equal((await onB('GET', '/api/v1/me', { cookie: s.cookie })).status, 200);
});

test('a session ended on A (logout) is refused by B at once; a revocation on B reaches A too', async () => {
  const u = await newUser();
  const { s, token, tokenId } = await heldByB(u);
  assert.equal((await as(s, 'GET', '/api/v1/me')).status, 200); // A holds it as well
  assert.equal((await api('GET', '/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status, 200);
  const out = await as(s, 'DELETE', '/api/v1/session');
  assert.equal(out.status, 204, out.text);
  assertError(await onB('GET', '/api/v1/me', { cookie: s.cookie }), 401, 'unauthenticated');
  // the other way round: B revokes (through a new session there), A refuses at once
  const s2 = await login(u.username, u.password);
  const revoke = await onB('DELETE', `/api/v1/tokens/${tokenId}`, { cookie: s2.cookie, csrf: s2.csrf });
  assert.equal(revoke.status, 204, revoke.text);
  assertError(await api('GET', '/api/v1/me', { headers: { authorization: `Bearer ${token}` } }), 401, 'unauthenticated');
});

test('a password reset through A ends the sessions and tokens B holds, at once', async () => {
  const u = await newUser();
  const { s, token } = await heldByB(u);
  const r = await as(u.admin, 'POST', `/api/v1/users/${u.id}/password`, { body: { password: 'Reset-pass-12345' } });
  assert.equal(r.status, 204, r.text);
  assertError(await onB('GET', '/api/v1/me', { cookie: s.cookie }), 401, 'unauthenticated');
  assertError(await onB('GET', '/api/v1/me', { token }), 401, 'unauthenticated');
});

test('a product changed through A is priced as changed by B at once', async () => {
  const ins = await login('insurer');
  const filed = (await as(ins, 'GET', '/api/v1/products?status=active')).json.items[0];
  const draft = await as(ins, 'POST', '/api/v1/products', {
    body: {
      name: `集群草稿 ${++n} ${Date.now() % 100000}`, class: filed.class, target_industries: filed.target_industries,
      description: filed.description, bi_waiting_hours: filed.bi_waiting_hours,
      retention_options: filed.retention_options, limit_options: filed.limit_options,
      coverages: filed.coverages.map((c) => ({ code: c.code, sublimit: c.sublimit, share_bp: c.share_bp })),
    },
  });
  assert.equal(draft.status, 201, draft.text);
  const quote = {
    indicative: true, product_id: draft.json.id, industry: 'I', revenue: 5000000000, grade: 'C',
    aggregate_limit: filed.limit_options[0], retention: filed.retention_options[0],
  };
  const price = async () => {
    const r = await onB('POST', '/api/v1/quotes', { cookie: ins.cookie, csrf: ins.csrf, body: quote });
    assert.equal(r.status, 200, r.text);
    return r.json.premium;
  };
  const before = await price();
  assert.equal(await price(), before);
  const minimum = before * 10;
  const p = await as(ins, 'PATCH', `/api/v1/products/${draft.json.id}`, { body: { minimum_premium: minimum } });
  assert.equal(p.status, 200, p.text);
  assert.equal(await price(), minimum);
});
