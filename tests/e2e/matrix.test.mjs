// matrix.test.mjs — every role × every endpoint: allowed (2xx), refused (403)
// or hidden (404), exactly as the table below says (DOMAIN.md §1). The table
// is written out by hand, not computed, so a change to the rules in app/ or
// core/authz.c must change it too. A last test fails when an operation of
// docs/openapi.json has no row here: the matrix grows with every endpoint.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { api, as, login, makeUscc, uniqueBody8 } from './lib/http.mjs';

// columns: the callers (anon = no session)
const WHO = ['anon', 'miit', 'nisc', 'gd-prov', 'gd-ca', 'gz-city', 'gz-city-member',
  'gz-city-viewer', 'sz-city', 'hz-city', 'insurer', 'insurer-uw', 'secfirm', 'ent-gz',
  'ent-hz', 'expert2'];

const S = {}; // sessions by login
const ID = {}; // ids of the objects the rows act on
let n = 0;
const uniq = () => `m${Date.now() % 100000}x${++n}`;

before(async () => {
  for (const w of WHO.slice(1)) S[w] = await login(w);
  ID.entGz = S['ent-gz'].me.organisation.id;
  ID.entHz = S['ent-hz'].me.organisation.id;
  ID.entGzAdmin = S['ent-gz'].me.user.id;
  // a throwaway user in 广州示范智能制造 whose name and password rows may change
  const u = await as(S['ent-gz'], 'POST', '/api/v1/users', {
    body: { username: uniq(), display_name: '矩阵测试用户', role: 'member', password: 'Matrix-pass-123' },
  });
  assert.equal(u.status, 201, u.text);
  ID.victim = u.json.id;
  // a token of miit's that only miit may revoke
  const t = await as(S.miit, 'POST', '/api/v1/tokens', { body: { name: 'matrix' } });
  ID.miitToken = t.json.id;
});

const newOrg = () => ({
  name: `矩阵测试机构${uniq()}`, type: 'enterprise', uscc: makeUscc('91', '440106', uniqueBody8()),
  region_code: '440106', nature: 'private',
});

// One row per operation. The string has one letter per column of WHO:
// a = allowed (the row's own 2xx), f = 403, h = 404, u = 401.
const ROWS = [
  // public
  ['GET', '/healthz', () => '/healthz', null, 200, 'aaaaaaaaaaaaaaaa'],
  ['GET', '/metrics', () => '/metrics', null, 200, 'aaaaaaaaaaaaaaaa'],
  ['GET', '/api/openapi.json', () => '/api/openapi.json', null, 200, 'aaaaaaaaaaaaaaaa'],
  ['GET', '/api/v1/meta', () => '/api/v1/meta', null, 200, 'aaaaaaaaaaaaaaaa'],
  ['GET', '/api/v1/ref/regions', () => '/api/v1/ref/regions', null, 200, 'aaaaaaaaaaaaaaaa'],
  ['GET', '/api/v1/ref/industries', () => '/api/v1/ref/industries', null, 200, 'aaaaaaaaaaaaaaaa'],
  ['GET', '/api/v1/ref/coverages', () => '/api/v1/ref/coverages', null, 200, 'aaaaaaaaaaaaaaaa'],
  ['GET', '/api/v1/ref/pilot', () => '/api/v1/ref/pilot', null, 200, 'aaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/checks/uscc', () => '/api/v1/checks/uscc', () => ({ uscc: '914403001922038216' }), 200, 'aaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/checks/zishu', () => '/api/v1/checks/zishu', () => ({ text: '字数' }), 200, 'aaaaaaaaaaaaaaaa'],
  // identity                                                           who: anon miit nisc gdp gdca gz gzm gzv sz hz ins insuw sec entgz enthz exp2
  ['GET', '/api/v1/me', () => '/api/v1/me', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['GET', '/api/v1/organisations', () => '/api/v1/organisations', null, 200, 'uaaaaaaaaaffffff'],
  ['POST', '/api/v1/organisations', () => '/api/v1/organisations', newOrg, 201, 'uaafffffffffffff'],
  ['GET', '/api/v1/organisations/{id}', () => `/api/v1/organisations/${ID.entGz}`, null, 200, 'uaaaaaaahhhhhahh'],
  ['GET', '/api/v1/organisations/{id}', () => `/api/v1/organisations/${ID.entHz}`, null, 200, 'uaahhhhhhahhhhah'],
  ['PATCH', '/api/v1/organisations/{id}', () => `/api/v1/organisations/${ID.entGz}`, () => ({ address: `广州市天河区示范工业园${uniq()}` }), 200, 'uaafffffhhhhhahh'],
  ['GET', '/api/v1/users', () => '/api/v1/users', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['GET', '/api/v1/users', () => `/api/v1/users?org_id=${ID.entGz}`, null, 200, 'uaahhhhhhhhhhahh'],
  ['POST', '/api/v1/users', () => '/api/v1/users', () => ({ username: uniq(), display_name: '新用户', role: 'viewer', password: 'Matrix-pass-123' }), 201, 'uaaaaaffaaafaaaf'],
  ['POST', '/api/v1/users', () => '/api/v1/users', () => ({ org_id: ID.entGz, username: uniq(), display_name: '新用户', role: 'viewer', password: 'Matrix-pass-123' }), 201, 'uaahhhhhhhhhhahh'],
  ['GET', '/api/v1/users/{id}', () => `/api/v1/users/${ID.entGzAdmin}`, null, 200, 'uaahhhhhhhhhhahh'],
  ['PATCH', '/api/v1/users/{id}', () => `/api/v1/users/${ID.victim}`, () => ({ display_name: `改名${uniq()}` }), 200, 'uaahhhhhhhhhhahh'],
  ['POST', '/api/v1/users/{id}/password', () => `/api/v1/users/${ID.victim}/password`, () => ({ password: `Reset-${uniq()}` }), 204, 'uaahhhhhhhhhhahh'],
  ['GET', '/api/v1/tokens', () => '/api/v1/tokens', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/tokens', () => '/api/v1/tokens', () => ({ name: 'matrix' }), 201, 'uaaaaaaaaaaaaaaa'],
  ['DELETE', '/api/v1/tokens/{id}', () => `/api/v1/tokens/${ID.miitToken}`, null, 204, 'uahhhhhhhhhhhhhh'],
  ['GET', '/api/v1/audit', () => '/api/v1/audit', null, 200, 'uaaaaaffaaafaaaf'],
  ['GET', '/api/v1/audit/verify', () => '/api/v1/audit/verify', null, 200, 'uaafffffffffffff'],
];

const EXPECT = { f: 403, h: 404, u: 401 };

for (const [method, pattern, path, body, ok, codes] of ROWS) {
  test(`${method} ${path === null ? pattern : pattern} × every role`, async () => {
    assert.equal(codes.length, WHO.length, `row ${method} ${pattern} has a letter per caller`);
    const got = [];
    for (let i = 0; i < WHO.length; i++) {
      const w = WHO[i];
      const r = await as(S[w], method, path(), { body: body ? body() : undefined });
      const want = codes[i] === 'a' ? ok : EXPECT[codes[i]];
      got.push(`${w}:${r.status}`);
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
