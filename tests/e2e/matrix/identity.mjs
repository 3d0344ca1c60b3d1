// identity.mjs — role-matrix rows of the platform, reference data and
// identity endpoints (see tests/e2e/matrix.test.mjs for the letters).
import assert from 'node:assert/strict';
import { as, makeUscc, uniqueBody8 } from '../lib/http.mjs';

let n = 0;
const uniq = () => `m${Date.now() % 100000}x${++n}`;

// setup(S, ID): S holds a session per caller; ID collects the ids rows use.
export const ID = {};

export async function setup(S) {
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
}

const newOrg = () => ({
  name: `矩阵测试机构${uniq()}`, type: 'enterprise', uscc: makeUscc('91', '440106', uniqueBody8()),
  region_code: '440106', nature: 'private',
});

// One row per operation. The string has one letter per column of WHO:
// a = allowed (the row's own 2xx), f = 403, h = 404, u = 401.
export const ROWS = [
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

