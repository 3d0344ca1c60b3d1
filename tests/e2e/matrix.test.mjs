// matrix.test.mjs — every role × every endpoint: allowed (2xx), refused (403)
// or hidden (404), exactly as the tables in tests/e2e/matrix/*.mjs say
// (DOMAIN.md §1). The tables are written out by hand, not computed, so a
// change to the rules in app/ or core/authz.c must change them too. Each
// module exports ROWS and setup(S); a row is
//   [METHOD, openapi path, () => actual path, () => body | null, ok status, letters]
// with one letter per caller of WHO: a = allowed (the row's ok status),
// f = 403, h = 404, u = 401. A last test fails when an operation of
// docs/openapi.json has no row: the matrix grows with every endpoint.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { api, as, login } from './lib/http.mjs';
import { WHO } from './lib/matrix.mjs';

const dir = new URL('./matrix/', import.meta.url);
const modules = [];
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort())
  modules.push(await import(new URL(f, dir)));
const ROWS = modules.flatMap((m) => m.ROWS);

const S = {}; // a session per caller

before(async () => {
  for (const w of WHO.slice(1)) S[w] = await login(w);
  for (const m of modules) await m.setup(S);
});

const EXPECT = { f: 403, h: 404, u: 401 };

for (const [method, pattern, path, body, ok, codes] of ROWS) {
  test(`${method} ${pattern} × every role`, async () => {
    assert.equal(codes.length, WHO.length, `row ${method} ${pattern} has a letter per caller`);
    for (let i = 0; i < WHO.length; i++) {
      const w = WHO[i];
      const r = await as(S[w], method, path(), { body: body ? body() : undefined });
      const want = codes[i] === 'a' ? ok : EXPECT[codes[i]];
      assert.equal(r.status, want, `${method} ${path()} as ${w}: want ${want}, got ${r.status} ${r.text.slice(0, 200)}`);
      if (r.status >= 400) assert.ok(r.json?.error?.code, `${w}: error shape`);
    }
  });
}

test('the matrix has a row for every operation in docs/openapi.json', () => {
  const doc = JSON.parse(fs.readFileSync(new URL('../../docs/openapi.json', import.meta.url)));
  // the two session operations have their own tests below
  const have = new Set([...ROWS.map(([m, p]) => `${m} ${p}`), 'POST /api/v1/session', 'DELETE /api/v1/session']);
  const missing = [];
  for (const [p, item] of Object.entries(doc.paths))
    for (const m of Object.keys(item)) if (!have.has(`${m.toUpperCase()} ${p}`)) missing.push(`${m.toUpperCase()} ${p}`);
  assert.deepEqual(missing, [], 'operations without a row in the role matrix');
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
