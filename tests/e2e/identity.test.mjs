// identity.test.mjs — sessions, CSRF, API tokens, throttling, disabling,
// organisation and user validation, contact hiding, and the audit chain
// (tampered directly in the database, then verified by the command line).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { api, as, assertError, login, makeUscc, uniqueBody8, BASE, DEMO_PASSWORD } from './lib/http.mjs';

const DB = process.env.CYBERINS_DB;
const BIN = process.env.CYBERINS_BIN;
let n = 0;
const uniq = () => `t${Date.now() % 100000}x${++n}`;
let miit, nisc, entGz, gzCity;

before(async () => {
  miit = await login('miit');
  nisc = await login('nisc');
  entGz = await login('ent-gz');
  gzCity = await login('gz-city');
});

// sql runs one statement on the test database (sqlite3 or psql)
function sql(statement) {
  const r = DB.startsWith('sqlite:')
    ? spawnSync('sqlite3', ['-cmd', '.timeout 10000', DB.slice(7), statement], { encoding: 'utf8' })
    : spawnSync('psql', [DB, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

async function newUser(session, role = 'member', extra = {}) {
  const username = uniq();
  const r = await as(session, 'POST', '/api/v1/users', {
    body: { username, display_name: '测试用户', role, password: 'Test-pass-12345', ...extra },
  });
  assert.equal(r.status, 201, r.text);
  return { ...r.json, password: 'Test-pass-12345' };
}

test('login sets an HttpOnly SameSite=Strict cookie and answers the caller', async () => {
  const r = await api('POST', '/api/v1/session', { body: { username: 'gz-city', password: DEMO_PASSWORD } });
  assert.equal(r.status, 200);
  const c = r.headers.get('set-cookie');
  assert.match(c, /^cyberins_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
  assert.equal(r.json.user.username, 'gz-city');
  assert.equal(r.json.organisation.region_code, '440100');
  assert.ok(r.json.permissions.includes('org.directory'));
  assert.ok(!r.json.permissions.includes('org.create'));
});

test('a wrong password and an unknown user get the same answer', async () => {
  const a = await api('POST', '/api/v1/session', { body: { username: 'hz-city', password: 'wrong-password-1' }, headers: { 'x-forwarded-for': '198.51.100.1' } });
  const b = await api('POST', '/api/v1/session', { body: { username: `nobody${uniq()}`, password: 'wrong-password-1' }, headers: { 'x-forwarded-for': '198.51.100.1' } });
  assertError(a, 401, 'login_failed', 'password');
  assert.deepEqual(a.json, b.json);
  assert.equal(a.headers.get('set-cookie'), null);
});

test('login refuses malformed bodies', async () => {
  assertError(await api('POST', '/api/v1/session', { body: { username: 'x' } }), 400, 'missing_field', 'password');
  assertError(await api('POST', '/api/v1/session', { body: { username: 'x', password: 1 } }), 400, 'wrong_type', 'password');
  assertError(await api('POST', '/api/v1/session', { body: { username: 'x', password: 'y', remember: true } }), 400, 'unknown_field', 'remember');
});

test('a new login ends the session the client came with (no fixation)', async () => {
  const first = await login('sz-city');
  const r = await api('POST', '/api/v1/session', { body: { username: 'sz-city', password: DEMO_PASSWORD }, headers: { cookie: first.cookie } });
  assert.equal(r.status, 200);
  const second = r.headers.get('set-cookie').split(';')[0];
  assert.notEqual(second, first.cookie);
  assert.equal((await as(first, 'GET', '/api/v1/me')).status, 401);
  assert.equal((await api('GET', '/api/v1/me', { headers: { cookie: second } })).status, 200);
});

test('cookie-authenticated writes need the CSRF token; Bearer tokens do not', async () => {
  const s = await login('insurer');
  const body = { name: 'csrf' };
  const none = await api('POST', '/api/v1/tokens', { body, headers: { cookie: s.cookie } });
  assertError(none, 403, 'csrf_failed', 'X-CSRF-Token');
  const wrong = await api('POST', '/api/v1/tokens', { body, headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(32) } });
  assertError(wrong, 403, 'csrf_failed', 'X-CSRF-Token');
  const ok = await as(s, 'POST', '/api/v1/tokens', { body });
  assert.equal(ok.status, 201);
  const bearer = await api('POST', '/api/v1/tokens', { body, headers: { authorization: `Bearer ${ok.json.token}` } });
  assert.equal(bearer.status, 201);
  // GET needs no CSRF token
  assert.equal((await api('GET', '/api/v1/me', { headers: { cookie: s.cookie } })).status, 200);
});

test('API tokens: shown once, stored hashed, listable, revocable at once', async () => {
  const s = await login('secfirm');
  const c = await as(s, 'POST', '/api/v1/tokens', { body: { name: 'ci-bot' } });
  assert.equal(c.status, 201);
  assert.match(c.json.token, /^cyb_[A-Za-z0-9_-]{43}$/);
  assert.equal(c.json.prefix, c.json.token.slice(0, 12));
  const list = await as(s, 'GET', '/api/v1/tokens');
  const item = list.json.items.find((t) => t.id === c.json.id);
  assert.deepEqual(Object.keys(item).sort(), ['created_at', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at']);
  assert.ok(!JSON.stringify(list.json).includes(c.json.token));
  assert.ok(!sql(`SELECT token_hash FROM api_token WHERE id = ${c.json.id}`).includes(c.json.token.slice(4)));
  const me = await api('GET', '/api/v1/me', { headers: { authorization: `Bearer ${c.json.token}` } });
  assert.equal(me.status, 200);
  assert.equal(me.json.user.username, 'secfirm');
  assert.equal(me.json.csrf_token, null);
  assert.equal((await as(s, 'DELETE', `/api/v1/tokens/${c.json.id}`)).status, 204);
  assertError(await api('GET', '/api/v1/me', { headers: { authorization: `Bearer ${c.json.token}` } }), 401, 'unauthenticated');
  assertError(await as(s, 'DELETE', `/api/v1/tokens/${c.json.id}`), 404, 'not_found', 'id');
  assertError(await as(s, 'POST', '/api/v1/tokens', { body: { name: '' } }), 422, 'name_length', 'name');
  assertError(await api('GET', '/api/v1/me', { headers: { authorization: 'Bearer cyb_forged' } }), 401, 'unauthenticated');
});

test('5 failed logins for an account answer 429 with Retry-After, even with the right password', async () => {
  const u = await newUser(entGz);
  const ip = { 'x-forwarded-for': '203.0.113.50' };
  for (let i = 0; i < 5; i++)
    assertError(await api('POST', '/api/v1/session', { body: { username: u.username, password: `wrong-${i}-password` }, headers: ip }), 401, 'login_failed');
  const r = await api('POST', '/api/v1/session', { body: { username: u.username, password: u.password }, headers: ip });
  assertError(r, 429, 'login_throttled', 'username');
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait > 850 && wait <= 900, `Retry-After ${wait}`);
  // another account from the same address is not affected
  assert.equal((await api('POST', '/api/v1/session', { body: { username: 'ent-gz', password: DEMO_PASSWORD }, headers: ip })).status, 200);
});

test('20 failed logins from one address answer 429 for any account from it', async () => {
  const ip = { 'x-forwarded-for': '203.0.113.77' };
  for (let i = 0; i < 20; i++)
    assertError(await api('POST', '/api/v1/session', { body: { username: `ghost${i}${uniq()}`, password: 'wrong-password-x' }, headers: ip }), 401, 'login_failed');
  const r = await api('POST', '/api/v1/session', { body: { username: 'ent-sz', password: DEMO_PASSWORD }, headers: ip });
  assertError(r, 429, 'login_throttled');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.equal((await api('POST', '/api/v1/session', { body: { username: 'ent-sz', password: DEMO_PASSWORD }, headers: { 'x-forwarded-for': '203.0.113.78' } })).status, 200);
});

// serveAlso(...args): a second server on the same store, as a cluster runs them; its base
// URL and a stop function.
async function serveAlso(...args) {
  const child = spawn(BIN, ['serve', '--db', DB, '--listen', '127.0.0.1:0', '--no-worker', '--trusted-proxy',
    '127.0.0.1', '--access-log', `${process.env.E2E_WORK}/access-extra.log`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30000);
    const read = (d) => {
      out += d;
      const m = out.match(/serving (http:\S+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${out}`)); });
  });
  const stop = () => new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
  return { base, stop };
}

test('40 parallel wrong passwords at one account on 8 threads: exactly 5 evaluated, the rest 429', async () => {
  const u = await newUser(entGz);
  const extra = await serveAlso('--threads', '8');
  try {
    const guess = (i) => fetch(`${extra.base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.90' },
      body: JSON.stringify({ username: u.username, password: `wrong-password-${i}` }),
    }).then((r) => r.status);
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => guess(i)));
    const count = (s) => statuses.filter((x) => x === s).length;
    assert.deepEqual([count(401), count(429)], [5, 35], statuses.join(' '));
    assert.equal(sql(`SELECT COUNT(*) FROM login_attempt WHERE username = '${u.username}'`), '5');
    // the right password is throttled too, now
    const right = await fetch(`${extra.base}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.91' },
      body: JSON.stringify({ username: u.username, password: u.password }),
    });
    assert.equal(right.status, 429);
  } finally {
    await extra.stop();
  }
});

test('an admin\'s password reset ends the user\'s sessions and revokes its API tokens', async () => {
  const u = await newUser(entGz);
  const s = await login(u.username, u.password);
  const t = await as(s, 'POST', '/api/v1/tokens', { body: { name: 'before-reset' } });
  assert.equal(t.status, 201);
  const reset = await as(entGz, 'POST', `/api/v1/users/${u.id}/password`, { body: { password: 'Reset-pass-12345' } });
  assert.equal(reset.status, 204, reset.text);
  assertError(await as(s, 'GET', '/api/v1/me'), 401, 'unauthenticated');
  assertError(await api('GET', '/api/v1/me', { headers: { authorization: `Bearer ${t.json.token}` } }), 401, 'unauthenticated');
  assert.equal(sql(`SELECT COUNT(*) FROM api_token WHERE user_id = ${u.id} AND revoked_at IS NULL`), '0');
  const entry = (await as(miit, 'GET', `/api/v1/audit?object_type=user&object_id=${u.id}`)).json.items[0];
  assert.equal(entry.action, 'user.password_reset');
  assert.match(entry.summary, /revoked its API tokens/);
  // changing one's own password keeps one's tokens (docs/security.md says why)
  const s2 = await login(u.username, 'Reset-pass-12345');
  const t2 = await as(s2, 'POST', '/api/v1/tokens', { body: { name: 'own-change' } });
  const own = await as(s2, 'POST', `/api/v1/users/${u.id}/password`, { body: { password: 'Own-pass-123456', current_password: 'Reset-pass-12345' } });
  assert.equal(own.status, 204, own.text);
  assert.equal((await api('GET', '/api/v1/me', { headers: { authorization: `Bearer ${t2.json.token}` } })).status, 200);
});

test('disabling a user stops its sessions and tokens at once', async () => {
  const u = await newUser(entGz);
  const s = await login(u.username, u.password);
  const t = await as(s, 'POST', '/api/v1/tokens', { body: { name: 'x' } });
  assert.equal((await as(entGz, 'PATCH', `/api/v1/users/${u.id}`, { body: { disabled: true } })).status, 200);
  assertError(await as(s, 'GET', '/api/v1/me'), 401, 'unauthenticated');
  assertError(await api('GET', '/api/v1/me', { headers: { authorization: `Bearer ${t.json.token}` } }), 401, 'unauthenticated');
  assertError(await api('POST', '/api/v1/session', { body: { username: u.username, password: u.password } }), 401, 'login_failed');
  assert.equal(sql(`SELECT COUNT(*) FROM session WHERE user_id = ${u.id}`), '0');
  // enabling lets it log in again, with the same password
  assert.equal((await as(entGz, 'PATCH', `/api/v1/users/${u.id}`, { body: { disabled: false } })).status, 200);
  assert.equal((await api('POST', '/api/v1/session', { body: { username: u.username, password: u.password } })).status, 200);
});

test('a session ends exactly --session-idle seconds after its last use, not before', async () => {
  // receipt times by X-Test-Now (run.sh serves --test-clock), a day ahead of the real clock
  const t0 = Math.floor(Date.now() / 1000) + 86400;
  const at = (s) => ({ 'x-test-now': new Date((t0 + s) * 1000).toISOString().replace('.000', '') });
  const u = await newUser(entGz);
  const r = await api('POST', '/api/v1/session', { body: { username: u.username, password: u.password }, headers: at(0) });
  assert.equal(r.status, 200, r.text);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const me = (s) => api('GET', '/api/v1/me', { headers: { cookie, ...at(s) } });
  const idle = 1800; // the default of --session-idle
  assert.equal((await me(59)).status, 200);
  // idle from the use at 59 s, not from the login: it used to end here, 59 s early
  assert.equal((await me(59 + idle)).status, 200);
  // unused for exactly idle seconds: still open; one second more: ended
  assert.equal((await me(59 + 2 * idle)).status, 200);
  assertError(await me(59 + 3 * idle + 1), 401, 'unauthenticated');
  assertError(await me(59 + 3 * idle + 2), 401, 'unauthenticated');
});

test('an organisation keeps its last admin', async () => {
  const s = await login('ent-hz');
  const me = s.me.user;
  const r = await as(s, 'PATCH', `/api/v1/users/${me.id}`, { body: { disabled: true } });
  assertError(r, 409, 'last_admin', 'role');
  assertError(await as(s, 'PATCH', `/api/v1/users/${me.id}`, { body: { role: 'member' } }), 409, 'last_admin', 'role');
});

test('user input is checked field by field', async () => {
  const base = { username: uniq(), display_name: '甲', role: 'member', password: 'Long-enough-1' };
  assertError(await as(entGz, 'POST', '/api/v1/users', { body: { ...base, password: 'short' } }), 422, 'password_too_short', 'password');
  assertError(await as(entGz, 'POST', '/api/v1/users', { body: { ...base, username: 'Bad Name' } }), 422, 'username_invalid', 'username');
  assertError(await as(entGz, 'POST', '/api/v1/users', { body: { ...base, role: 'owner' } }), 422, 'role_unknown', 'role');
  assertError(await as(entGz, 'POST', '/api/v1/users', { body: { ...base, password: base.username + '' } }), 422, 'password_too_short', 'password');
  assertError(await as(entGz, 'POST', '/api/v1/users', { body: { ...base, username: 'miit' } }), 409, 'username_taken', 'username');
  assertError(await as(entGz, 'POST', '/api/v1/users', { body: { ...base, admin: true } }), 400, 'unknown_field', 'admin');
  // characters, not bytes: 8 Chinese characters are 24 bytes but too short
  const cjk = await as(entGz, 'POST', '/api/v1/users', { body: { ...base, password: '密码密码密码密码' } });
  assertError(cjk, 422, 'password_too_short', 'password');
  assert.match(cjk.json.error.message, /当前 8 个/);
  assertError(await as(entGz, 'POST', '/api/v1/users', { body: { ...base, email: 'no-at-sign' } }), 422, 'email_invalid', 'email');
  const u = await as(entGz, 'POST', '/api/v1/users', { body: { ...base, password: '密码密码密码密码密码', email: 'a@b.cn', phone: '13800000000' } });
  assert.equal(u.status, 201, u.text);
  assertError(await as(entGz, 'PATCH', `/api/v1/users/${u.json.id}`, { body: { phone: 'call me' } }), 422, 'phone_invalid', 'phone');
  const cleared = await as(entGz, 'PATCH', `/api/v1/users/${u.json.id}`, { body: { email: null } });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.json.email, '');
  assert.equal(cleared.json.phone, '13800000000');
});

test('changing one\'s own password needs the current one and ends other sessions', async () => {
  const u = await newUser(entGz);
  const a = await login(u.username, u.password);
  const b = await login(u.username, u.password);
  assertError(await as(a, 'POST', `/api/v1/users/${u.id}/password`, { body: { password: 'New-password-99' } }), 422, 'current_password_wrong', 'current_password');
  assert.equal((await as(a, 'POST', `/api/v1/users/${u.id}/password`, { body: { password: 'New-password-99', current_password: u.password } })).status, 204);
  assert.equal((await as(a, 'GET', '/api/v1/me')).status, 200, 'the session that changed it stays');
  assert.equal((await as(b, 'GET', '/api/v1/me')).status, 401, 'other sessions end');
  assert.equal((await api('POST', '/api/v1/session', { body: { username: u.username, password: 'New-password-99' } })).status, 200);
});

const orgBody = (extra = {}) => ({
  name: `测试企业${uniq()}`, type: 'enterprise', uscc: makeUscc('91', '440106', uniqueBody8()),
  region_code: '440106', nature: 'private', industry_section: 'C', industry_division: '39', ...extra,
});

test('organisations: created with derived region fields, readable, editable by their admin', async () => {
  const r = await as(miit, 'POST', '/api/v1/organisations', { body: orgBody({ registered_capital_fen: 5000 * 1000000, founded_on: '2015-06-01', email: 'a@b.cn' }) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.province_code, '440000');
  assert.equal(r.json.city_code, '440100');
  assert.equal(r.json.region_name, '广州市');
  assert.equal(r.json.uscc_warning, null);
  assert.equal(r.json.registered_capital_fen, 5000000000);
  const g = await as(gzCity, 'GET', `/api/v1/organisations/${r.json.id}`);
  assert.equal(g.status, 200);
  assert.equal(g.json.email, null, 'a city does not see other organisations\' contact data');
  assert.equal(g.json.phone, null);
  const own = await as(entGz, 'GET', `/api/v1/organisations/${entGz.me.organisation.id}`);
  assert.notEqual(own.json.email, null, 'an organisation sees its own contact data');
  const p = await as(entGz, 'PATCH', `/api/v1/organisations/${entGz.me.organisation.id}`, { body: { phone: '020-12345678' } });
  assert.equal(p.status, 200);
  assert.equal(p.json.phone, '020-12345678');
  assertError(await as(entGz, 'PATCH', `/api/v1/organisations/${entGz.me.organisation.id}`, { body: { uscc: '914403001922038216' } }), 422, 'immutable', 'uscc');
  // null clears an optional field
  const c = await as(miit, 'PATCH', `/api/v1/organisations/${r.json.id}`, { body: { founded_on: null, registered_capital_fen: null, industry_division: null } });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.founded_on, null);
  assert.equal(c.json.registered_capital_fen, null);
  assert.equal(c.json.industry_division, null);
  assert.equal(c.json.industry_section, 'C');
  assertError(await as(miit, 'PATCH', `/api/v1/organisations/${r.json.id}`, { body: { name: null } }), 400, 'wrong_type', 'name');
});

// A fresh enterprise at 广州市天河区 with an admin of its own, for tests that change it.
async function enterpriseWithAdmin(region = '440106') {
  const org = await as(miit, 'POST', '/api/v1/organisations', { body: orgBody({ region_code: region }) });
  assert.equal(org.status, 201, org.text);
  const u = await as(miit, 'POST', '/api/v1/users', {
    body: { org_id: org.json.id, username: uniq(), display_name: '管理员', role: 'admin', password: 'Test-pass-12345' },
  });
  assert.equal(u.status, 201, u.text);
  return { org: org.json, admin: await login(u.json.username, 'Test-pass-12345') };
}

test('an organisation cannot move or rename itself: name, region, type and USCC are the registry\'s', async () => {
  const { org, admin } = await enterpriseWithAdmin();
  const audits = () => sql(`SELECT COUNT(*) FROM audit_log WHERE object_type = 'organisation' AND object_id = '${org.id}'`);
  const before = audits();
  const own = `/api/v1/organisations/${org.id}`;
  for (const [body, field] of [
    [{ region_code: '330106' }, 'region_code'],
    [{ name: '工业和信息化部（演示）' }, 'name'],
    [{ type: 'ministry' }, 'type'],
    [{ uscc: makeUscc('91', '440106', uniqueBody8()) }, 'uscc'],
    [{ phone: '020-87654321', region_code: '330106' }, 'region_code'],
  ]) {
    const r = await as(admin, 'PATCH', own, { body });
    assertError(r, 422, 'immutable', field);
    assert.match(r.json.error.message, /登记|registry/);
  }
  const now = await as(admin, 'GET', own);
  assert.deepEqual([now.json.name, now.json.region_code, now.json.type, now.json.uscc, now.json.phone],
    [org.name, '440106', 'enterprise', org.uscc, org.phone]);
  assert.equal(audits(), before, 'refused changes are not audited');
  // still in Guangzhou's and Guangdong's view
  assert.equal((await as(gzCity, 'GET', own)).status, 200);
  // its contact details are its own to change
  const p = await as(admin, 'PATCH', own, { body: { phone: '020-87654321', address: '广州市天河区示范路 1 号' } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.phone, '020-87654321');
});

test('the regional authority corrects name and region within its region; operators change all four, audited', async () => {
  const { org } = await enterpriseWithAdmin();
  const path = `/api/v1/organisations/${org.id}`;
  const log = async () => (await as(miit, 'GET', `/api/v1/audit?object_type=organisation&object_id=${org.id}`)).json.items;
  const renamed = await as(gzCity, 'PATCH', path, { body: { name: `${org.name}（更名）`, region_code: '440104' } });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.name, `${org.name}（更名）`);
  assert.equal(renamed.json.region_code, '440104');
  assert.deepEqual([renamed.json.city_code, renamed.json.region_name], ['440100', '广州市']);
  assert.equal(renamed.json.phone, null, 'the city still does not see its contact data');
  const entry = (await log())[0];
  assert.equal(entry.action, 'org.register');
  assert.equal(entry.actor, 'gz-city');
  assert.match(entry.summary, /region_code 440106→440104/);
  // not out of its region, not the type or the USCC, not the contact details
  assertError(await as(gzCity, 'PATCH', path, { body: { region_code: '330106' } }), 422, 'region_outside', 'region_code');
  assertError(await as(gzCity, 'PATCH', path, { body: { type: 'service_org' } }), 422, 'immutable', 'type');
  assertError(await as(gzCity, 'PATCH', path, { body: { uscc: makeUscc('91', '440104', uniqueBody8()) } }), 422, 'immutable', 'uscc');
  assertError(await as(gzCity, 'PATCH', path, { body: { phone: '020-11112222' } }), 403, 'forbidden');
  assertError(await as(await login('gz-city-member'), 'PATCH', path, { body: { name: '改名' } }), 403, 'forbidden');
  assertError(await as(await login('sz-city'), 'PATCH', path, { body: { name: '改名' } }), 404, 'not_found');
  // the province moves it anywhere in Guangdong
  const gd = await login('gd-prov');
  const moved = await as(gd, 'PATCH', path, { body: { region_code: '440305' } });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.city_code, '440300');
  assert.equal((await as(gzCity, 'GET', path)).status, 404, 'out of Guangzhou\'s view now');
  // the ministry changes the four registry fields at once
  const uscc = makeUscc('91', '330106', uniqueBody8());
  const all = await as(miit, 'PATCH', path, { body: { name: '杭州更名科技有限公司（测试）', region_code: '330106', type: 'service_org', uscc } });
  assert.equal(all.status, 200, all.text);
  assert.deepEqual([all.json.type, all.json.uscc, all.json.province_code], ['service_org', uscc, '330000']);
  const last = (await log())[0];
  assert.equal(last.action, 'org.register');
  assert.match(last.summary, /type enterprise→service_org/);
  assert.match(last.summary, new RegExp(`uscc ${org.uscc}→${uscc}`));
  // a type the region does not fit is still refused
  assertError(await as(miit, 'PATCH', path, { body: { type: 'city' } }), 422, 'region_level', 'region_code');
});

test('organisations: every rule refused with its field, and nothing half-saved', async () => {
  const count = () => sql('SELECT COUNT(*) FROM organisation');
  const audits = () => sql('SELECT COUNT(*) FROM audit_log');
  const before = [count(), audits()];
  const cases = [
    [{ uscc: '914403001922038217' }, 422, 'uscc_check_digit', 'uscc'],
    [{ uscc: '9144030019220382' }, 422, 'uscc_length', 'uscc'],
    [{ uscc: '91440300192203821O' }, 422, 'uscc_charset', 'uscc'],
    [{ uscc: makeUscc('92', '440106', uniqueBody8()) }, 422, 'uscc_not_legal_person', 'uscc'],
    [{ type: 'insurer' }, 422, 'licence_required', 'licence_no'],
    [{ type: 'bank' }, 422, 'type_unknown', 'type'],
    [{ type: 'city' }, 422, 'region_level', 'region_code'],
    [{ region_code: '990000' }, 422, 'region_unknown', 'region_code'],
    [{ region_code: '4401' }, 422, 'region_invalid', 'region_code'],
    [{ industry_division: '01' }, 422, 'industry_mismatch', 'industry_division'],
    [{ industry_section: 'Z' }, 422, 'industry_unknown', 'industry_section'],
    [{ nature: 'other' }, 422, 'missing_field', 'nature_other'],
    [{ nature: 'family' }, 422, 'nature_unknown', 'nature'],
    [{ founded_on: '2024-02-30' }, 422, 'date_invalid', 'founded_on'],
    [{ founded_on: '2999-01-01' }, 422, 'date_future', 'founded_on'],
    [{ registered_capital_fen: -5 }, 422, 'capital_negative', 'registered_capital_fen'],
    [{ email: 'not-an-email' }, 422, 'email_invalid', 'email'],
    [{ phone: 'call me' }, 422, 'phone_invalid', 'phone'],
    [{ name: 'x'.repeat(300) }, 422, 'too_long', 'name'],
    [{ registered_capital_fen: 1.5 }, 400, 'wrong_type', 'registered_capital_fen'],
    [{ owner: 'x' }, 400, 'unknown_field', 'owner'],
    [{ uscc: '914403001922038216', name: '重复' }, 422, null, null],
  ];
  // the last case: 914403001922038216 is not yet registered, so register it first, then repeat it
  const dupe = await as(miit, 'POST', '/api/v1/organisations', { body: orgBody({ uscc: makeUscc('91', '440106', 'DUPE0001') }) });
  assert.equal(dupe.status, 201, dupe.text);
  before[0] = count();
  before[1] = audits();
  cases[cases.length - 1] = [{ uscc: makeUscc('91', '440106', 'DUPE0001') }, 409, 'uscc_taken', 'uscc'];
  for (const [extra, status, code, field] of cases) {
    const r = await as(miit, 'POST', '/api/v1/organisations', { body: orgBody(extra) });
    assertError(r, status, code, field);
  }
  const missing = orgBody();
  delete missing.region_code;
  assertError(await as(miit, 'POST', '/api/v1/organisations', { body: missing }), 422, 'missing_field', 'region_code');
  assert.deepEqual([count(), audits()], before, 'refused writes leave no organisation and no audit entry');
});

test('a long Chinese name makes a long audit summary, cut between characters', async () => {
  // 85 characters × 3 bytes, twice in the summary: past its 512 bytes
  const name = '网'.repeat(84) + '司';
  const r = await as(miit, 'POST', '/api/v1/organisations', { body: orgBody({ name }) });
  assert.equal(r.status, 201, r.text);
  const log = await as(miit, 'GET', `/api/v1/audit?object_type=organisation&object_id=${r.json.id}`);
  assert.equal(log.status, 200);
  const summary = log.json.items[0].summary;
  assert.ok(Buffer.byteLength(summary) <= 511);
  assert.ok(!summary.includes('\ufffd'), 'no broken character');
  assert.ok(summary.startsWith(`登记机构 ${name}`));
});

test('an embedded organisation-code mismatch is stored as a warning, not refused', async () => {
  const s = await login('hz-city');
  const list = await as(s, 'GET', '/api/v1/organisations?type=enterprise');
  const hz = list.json.items.find((o) => o.name.startsWith('杭州示范电子商务'));
  assert.match(hz.uscc_warning, /GB 11714/);
});

test('directory: region filter, type filter, paging, and bad filters', async () => {
  const gd = await login('gd-prov');
  const all = await as(gd, 'GET', '/api/v1/organisations?limit=200');
  assert.ok(all.json.items.length >= 9);
  assert.ok(all.json.items.every((o) => o.region_code.startsWith('44')));
  const p1 = await as(gd, 'GET', '/api/v1/organisations?limit=3');
  assert.equal(p1.json.items.length, 3);
  assert.match(p1.json.next, /^\d+$/);
  const p2 = await as(gd, 'GET', `/api/v1/organisations?limit=3&cursor=${p1.json.next}`);
  assert.deepEqual([...p1.json.items, ...p2.json.items].map((o) => o.id), all.json.items.slice(0, 6).map((o) => o.id));
  const sz = await as(gd, 'GET', '/api/v1/organisations?region=4403&type=enterprise');
  assert.ok(sz.json.items.length >= 1 && sz.json.items.every((o) => o.region_code.startsWith('4403') && o.type === 'enterprise'));
  assertError(await as(gd, 'GET', '/api/v1/organisations?region=4x'), 400, 'region_invalid', 'region');
  assertError(await as(gd, 'GET', '/api/v1/organisations?type=bank'), 400, 'type_unknown', 'type');
  assertError(await as(gd, 'GET', '/api/v1/organisations?limit=0'), 400, 'query_invalid', 'limit');
  assertError(await as(gd, 'GET', '/api/v1/organisations/abc'), 404, 'not_found');
  assertError(await as(gd, 'GET', '/api/v1/organisations/99999999'), 404, 'not_found');
});

test('audit: every write is logged, others see only their organisation\'s entries', async () => {
  const mine = await as(entGz, 'GET', '/api/v1/audit?limit=500');
  assert.equal(mine.status, 200);
  assert.ok(mine.json.items.length > 0);
  assert.ok(mine.json.items.every((e) => e.org_id === entGz.me.organisation.id));
  const all = await as(miit, 'GET', '/api/v1/audit?limit=5');
  assert.equal(all.json.items.length, 5);
  const seqs = all.json.items.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
  const page2 = await as(miit, 'GET', `/api/v1/audit?limit=5&cursor=${all.json.next}`);
  assert.equal(page2.json.items[0].seq, seqs[4] - 1);
  assert.equal(all.json.items[1].hash, all.json.items[0].prev_hash);
  const logins = await as(miit, 'GET', '/api/v1/audit?object_type=user&limit=500');
  assert.ok(logins.json.items.some((e) => e.action === 'session.login' && e.actor === 'ent-gz'));
});

test('audit verify: a row changed in the database is found and named', async () => {
  const ok = await as(miit, 'GET', '/api/v1/audit/verify');
  assert.equal(ok.json.ok, true);
  assert.ok(ok.json.entries > 30);
  const cli = spawnSync(BIN, ['audit', 'verify', '--db', DB], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /^audit chain ok: \d+ entries verified\n$/);

  const target = 7;
  const original = sql(`SELECT summary FROM audit_log WHERE seq = ${target}`);
  sql(`UPDATE audit_log SET summary = 'tampered' WHERE seq = ${target}`);
  try {
    const bad = spawnSync(BIN, ['audit', 'verify', '--db', DB], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, new RegExp(`BROKEN at entry ${target} \\(after ${target - 1} good entries\\).*altered`));
    const api1 = await as(miit, 'GET', '/api/v1/audit/verify');
    assert.equal(api1.json.ok, false);
    assert.equal(api1.json.broken_seq, target);
  } finally {
    sql(`UPDATE audit_log SET summary = '${original.replace(/'/g, "''")}' WHERE seq = ${target}`);
  }
  // a removed entry breaks the chain too
  const row = sql(`SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1`);
  assert.equal(spawnSync(BIN, ['audit', 'verify', '--db', DB], { encoding: 'utf8' }).status, 0);
  assert.ok(Number(row) > target);
});

// ---------- input that is not UTF-8, or holds a NUL (issue 16 item 3) ----------

// strict(path, init): the answer's body decoded as strict UTF-8 (an invalid
// byte throws) and parsed as JSON — fetch's own decoding would hide a bad byte.
async function strict(path, init = {}) {
  const res = await fetch(BASE + path, init);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const json = JSON.parse(text);
  assert.deepEqual(Object.keys(json.error).sort(), ['code', 'field', 'message'], text);
  return { status: res.status, json };
}

const session = (s) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

test('invalid UTF-8 echoed in an error answers 4xx in valid UTF-8, never 500', async () => {
  const file = await strict('/%ff.html');
  assert.equal(file.status, 404);
  assert.equal(file.json.error.code, 'file_not_found');
  assert.match(file.json.error.message, /no such file: \/\ufffd\.html$/);
  const round = await strict('/api/v1/rounds/%ffx');
  assert.equal(round.status, 404);
  assert.equal(round.json.error.code, 'not_found');
  assert.ok(round.json.error.message.includes('\ufffdx'), round.json.error.message);
  const ins = await login('insurer');
  const product = (await as(ins, 'GET', '/api/v1/products')).json.items[0].id;
  const rate = await strict(`/api/v1/products/${product}/rate-table?industry=%ffA`, { headers: session(ins) });
  assert.ok([400, 422].includes(rate.status), `rate-table answered ${rate.status}`);
  assert.equal(rate.json.error.field, 'industry');
  assert.ok(rate.json.error.message.includes('\ufffdA'), rate.json.error.message);
});

test('a Chinese character cut in half by a bounded format is dropped, not sent broken', async () => {
  const id = encodeURIComponent('服务服务服务服务服务服务');
  const r = await strict(`/api/v1/rounds/${id}`);
  assert.equal(r.status, 404);
  assert.equal(r.json.error.field, 'id');
  // %.32s keeps 32 bytes: ten characters and two bytes of the eleventh, which go
  assert.ok(r.json.error.message.includes('试点轮次 服务服务服务服务服务 不存在 / '), r.json.error.message);
  assert.ok(!r.json.error.message.includes('\ufffd'), r.json.error.message);
});

test('a NUL in the path answers 400', async () => {
  for (const p of ['/api/v1/me%00x', '/index%00.html', '/%00']) {
    const r = await strict(p);
    assert.equal(r.status, 400, p);
    assert.equal(r.json.error.code, 'path_invalid', p);
    assert.equal(r.json.error.field, 'path', p);
  }
});

test('every access-log line is valid UTF-8 JSON, also for URLs that are not', async () => {
  await fetch(`${BASE}/%ff%fe/%c3.html`);
  await fetch(`${BASE}/api/v1/rounds/%e6%9c`);
  await new Promise((r) => setTimeout(r, 200));
  const bytes = fs.readFileSync(process.env.E2E_ACCESS_LOG);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const lines = text.trim().split('\n');
  for (const l of lines) JSON.parse(l);
  const bad = lines.map((l) => JSON.parse(l)).filter((e) => e.path.includes('\ufffd'));
  assert.ok(bad.some((e) => e.path === '/\ufffd\ufffd/\ufffd.html'), 'the bytes show as U+FFFD');
  assert.ok(lines.every((l) => JSON.parse(l).status < 500), 'no 5xx');
});

// ---------- the audit chain's anchor (issue 16 item 5) ----------

const cli = (...args) => spawnSync(BIN, [...args, '--db', DB], { encoding: 'utf8' });

// tamper(statements): change the audit tables in the database, run fn, then put them back.
function tamper(statements, fn) {
  sql('CREATE TABLE audit_log_keep AS SELECT * FROM audit_log');
  sql('CREATE TABLE audit_head_keep AS SELECT * FROM audit_head');
  try {
    for (const s of statements) sql(s);
    fn();
  } finally {
    sql('DELETE FROM audit_log');
    sql('INSERT INTO audit_log SELECT * FROM audit_log_keep');
    sql('DELETE FROM audit_head');
    sql('INSERT INTO audit_head SELECT * FROM audit_head_keep');
    sql('DROP TABLE audit_log_keep');
    sql('DROP TABLE audit_head_keep');
  }
}

const CUT_THREE = 'DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 3 FROM audit_log)';

test('audit head prints the last entry\'s seq and hash, to be kept outside the database', async () => {
  const h = cli('audit', 'head');
  assert.equal(h.status, 0, h.stderr);
  const m = h.stdout.match(/^seq (\d+) hash ([0-9a-f]{64})\n$/);
  assert.ok(m, h.stdout);
  assert.equal(m[1], sql('SELECT MAX(seq) FROM audit_log'));
  assert.equal(m[2], sql(`SELECT hash FROM audit_log WHERE seq = ${m[1]}`));
  const ok = cli('audit', 'verify', '--expect', m[2]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.equal(ok.stdout, `audit chain ok: ${m[1]} entries verified; entry ${m[1]} has the expected hash\n`);
  assert.equal(cli('audit', 'verify', '--expect', 'not-a-hash').status, 2);
  const api1 = await as(miit, 'GET', `/api/v1/audit/verify?expect=${m[2]}`);
  assert.equal(api1.status, 200, api1.text);
  assert.equal(api1.json.ok, true);
  assert.ok(api1.json.anchor_seq >= Number(m[1]), 'the anchored entry, or the chain has grown past it');
  assert.equal(sql(`SELECT hash FROM audit_log WHERE seq = ${api1.json.anchor_seq}`), m[2]);
  assertError(await as(miit, 'GET', '/api/v1/audit/verify?expect=ABC'), 400, 'expect_invalid', 'expect');
  assertError(await as(entGz, 'GET', `/api/v1/audit/verify?expect=${m[2]}`), 403, 'forbidden');
});

test('audit verify fails without its head: entries cut off the end, or both tables emptied', () => {
  const total = Number(sql('SELECT MAX(seq) FROM audit_log'));
  tamper([CUT_THREE, 'DELETE FROM audit_head'], () => {
    const r = cli('audit', 'verify');
    assert.equal(r.status, 1, r.stdout);
    assert.equal(r.stdout, `audit chain BROKEN (after ${total - 3} good entries): 审计链头缺失，无法确认链尾完整 / the audit head is missing: the end of the chain cannot be vouched for\n`);
  });
  tamper(['DELETE FROM audit_log', 'DELETE FROM audit_head'], () => {
    const r = cli('audit', 'verify');
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^audit chain BROKEN \(after 0 good entries\): .*the audit head is missing/);
  });
  assert.equal(cli('audit', 'verify').status, 0, 'put back, the chain verifies again');
});

test('audit verify --expect finds a chain cut and rewritten consistently, head included', () => {
  const head = cli('audit', 'head').stdout.match(/hash ([0-9a-f]{64})/)[1];
  const total = Number(sql('SELECT MAX(seq) FROM audit_log'));
  const REHEAD = 'UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_log), hash = (SELECT hash FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log))';
  tamper([CUT_THREE, REHEAD], () => {
    // without its anchor the shortened chain looks whole ...
    const plain = cli('audit', 'verify');
    assert.equal(plain.status, 0, plain.stdout);
    assert.equal(plain.stdout, `audit chain ok: ${total - 3} entries verified\n`);
    // ... with it, it does not
    const r = cli('audit', 'verify', '--expect', head);
    assert.equal(r.status, 1, r.stdout);
    assert.equal(r.stdout, `audit chain BROKEN (after ${total - 3} good entries): 没有哈希为 ${head.slice(0, 16)}… 的记录：审计链被截断或改写 / no entry has the expected hash ${head.slice(0, 16)}…: the chain was cut or rewritten\n`);
  });
  tamper(['DELETE FROM audit_log', "UPDATE audit_head SET seq = 0, hash = '0000000000000000000000000000000000000000000000000000000000000000'"], () => {
    assert.equal(cli('audit', 'verify').status, 0, 'an empty chain with a genesis head is whole');
    assert.equal(cli('audit', 'verify', '--expect', head).status, 1, 'but not the anchored one');
  });
});
