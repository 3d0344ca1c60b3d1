// matrix.test.mjs — every caller × every operation, answered as core/authz.c's
// one role × action table and each record's visibility say (the rows and how
// an expectation follows from them: tests/e2e/lib/matrix.mjs). Fails when
// docs/openapi.json has an operation without a row, a row names an action
// the table does not have, or an action of the table has no row.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { api, as, login } from './lib/http.mjs';
import { WHO, callerOf, expected, loadTable, rowProblems } from './lib/matrix.mjs';

const dir = new URL('./matrix/', import.meta.url);
const modules = [];
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort())
  modules.push(await import(new URL(f, dir)));
const ROWS = modules.flatMap((m) => m.ROWS);
const TABLE = loadTable();

const S = {}; // a session per caller
const C = {}; // each caller's organisation type, role, organisation and region

before(async () => {
  for (const w of WHO.slice(1)) {
    S[w] = await login(w);
    C[w] = callerOf(w, S[w].me);
  }
  for (const m of modules) await m.setup(S);
});

const pathOf = (row) => (row.path ? row.path() : row.op.slice(row.op.indexOf(' ') + 1));

for (const row of ROWS) {
  const [method] = row.op.split(' ');
  test(`${row.op} (${row.action}) × every caller`, async () => {
    assert.deepEqual(rowProblems(row, TABLE), [], row.op);
    for (const w of WHO) {
      const want = expected(row, w, TABLE, C);
      const path = pathOf(row);
      const r = await as(S[w], method, path, { body: row.body ? row.body() : undefined });
      assert.equal(r.status, want, `${method} ${path} as ${w}: want ${want}, got ${r.status} ${r.text.slice(0, 200)}`);
      if (r.status >= 400) assert.ok(r.json?.error?.code, `${w}: error shape`);
    }
  });
}

test('the table is the program\'s: cyberins authz prints it, for people and as JSON', () => {
  const bin = process.env.CYBERINS_BIN;
  const text = spawnSync(bin, ['authz'], { encoding: 'utf8' });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^org\.register +AM +AM +A +A +- +- +- +- +- +change an organisation's registered/m);
  assert.equal(spawnSync(bin, ['authz', '--help'], { encoding: 'utf8' }).status, 0);
  assert.equal(spawnSync(bin, ['authz', '--yaml'], { encoding: 'utf8' }).status, 2);
  assert.ok(TABLE.size >= 40, `${TABLE.size} actions`);
  assert.ok(TABLE.get('org.update').has('enterprise/admin'));
  assert.ok(!TABLE.get('org.update').has('enterprise/member'));
  assert.ok(!TABLE.get('org.register').has('enterprise/admin'), 'an organisation never re-registers itself');
});

test('the matrix has a row for every operation in docs/openapi.json', () => {
  const doc = JSON.parse(fs.readFileSync(new URL('../../docs/openapi.json', import.meta.url)));
  // the two session operations have their own tests below
  const have = new Set([...ROWS.map((r) => r.op), 'POST /api/v1/session', 'DELETE /api/v1/session']);
  const missing = [];
  for (const [p, item] of Object.entries(doc.paths))
    for (const m of Object.keys(item)) if (!have.has(`${m.toUpperCase()} ${p}`)) missing.push(`${m.toUpperCase()} ${p}`);
  assert.deepEqual(missing, [], 'operations without a row in the role matrix');
  const unknown = ROWS.map((r) => r.op).filter((op) => {
    const [m, p] = op.split(' ');
    return !doc.paths[p]?.[m.toLowerCase()];
  });
  assert.deepEqual(unknown, [], 'rows of operations docs/openapi.json does not have');
});

test('every action of core/authz.c\'s table is exercised by a row', () => {
  const named = new Set(ROWS.map((r) => r.action));
  assert.deepEqual([...TABLE.keys()].filter((a) => !named.has(a)), [], 'actions no row of the matrix needs');
});

test('the derivation: a forgotten permission check or a leaked record cannot pass', () => {
  const row = { op: 'PATCH /api/v1/organisations/{id}', ok: 200, action: 'org.update', sees: ['ent-gz'] };
  assert.equal(expected(row, 'ent-gz', TABLE, C), 200);
  assert.equal(expected(row, 'ent-hz', TABLE, C), 404, 'outside sees: 404');
  assert.equal(expected({ ...row, sees: undefined }, 'gz-city-member', TABLE, C), 403, 'the table says no: 403');
  assert.equal(expected(row, 'anon', TABLE, C), 401);
  assert.deepEqual(rowProblems({ ...row, action: 'org.fly' }, TABLE), ['action "org.fly" is not in core/authz.c\'s table']);
});

test('POST /api/v1/session × every role: each demo login opens a session of its own organisation', async () => {
  for (const w of WHO.slice(1)) {
    assert.equal(S[w].me.user.username, w);
    assert.match(S[w].cookie, /^cyberins_session=[A-Za-z0-9_-]{43}$/);
    assert.match(S[w].csrf, /^[A-Za-z0-9_-]{32}$/);
  }
  const bad = await api('POST', '/api/v1/session', { body: { username: 'miit', password: 'not-the-password' } });
  assert.equal(bad.status, 401);
});

test('DELETE /api/v1/session × every role: each caller logs out only itself', async () => {
  assert.equal((await api('DELETE', '/api/v1/session')).status, 401);
  for (const w of WHO.slice(1)) {
    const s = await login(w);
    assert.equal((await as(s, 'DELETE', '/api/v1/session')).status, 204, w);
    assert.equal((await as(s, 'GET', '/api/v1/me')).status, 401, w);
    assert.equal((await as(S[w], 'GET', '/api/v1/me')).status, 200, `${w}'s other session lives on`);
  }
});
