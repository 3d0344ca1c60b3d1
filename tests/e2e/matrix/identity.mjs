// identity.mjs — role-matrix rows of the platform, reference data and
// identity endpoints (the row format: tests/e2e/lib/matrix.mjs).
import assert from 'node:assert/strict';
import { as, makeUscc, uniqueBody8 } from '../lib/http.mjs';
import { OPERATORS, region } from '../lib/matrix.mjs';

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
  // an enterprise of 广州市天河区 whose registered name the rows correct
  const o = await as(S.miit, 'POST', '/api/v1/organisations', { body: newOrg() });
  assert.equal(o.status, 201, o.text);
  ID.registry = o.json.id;
}

const newOrg = () => ({
  name: `矩阵测试机构${uniq()}`, type: 'enterprise', uscc: makeUscc('91', '440106', uniqueBody8()),
  region_code: '440106', nature: 'private',
});

// One row per operation (the row format: tests/e2e/lib/matrix.mjs). `was`
// keeps the hand-written letters these rows replace, for the derivation's check.
const GZ_ENT = [OPERATORS, 'ent-gz', region('440106')]; // 广州示范智能制造 and who sees it
const ENT_GZ_USERS = [OPERATORS, 'ent-gz']; // its users: never regions

export const ROWS = [
  // public
  { op: 'GET /healthz', ok: 200, action: 'public' },
  { op: 'GET /metrics', ok: 200, action: 'public' },
  { op: 'GET /api/openapi.json', ok: 200, action: 'public' },
  { op: 'GET /api/v1/meta', ok: 200, action: 'public' },
  { op: 'GET /api/v1/ref/regions', ok: 200, action: 'public' },
  { op: 'GET /api/v1/ref/industries', ok: 200, action: 'public' },
  { op: 'GET /api/v1/ref/coverages', ok: 200, action: 'public' },
  { op: 'GET /api/v1/ref/pilot', ok: 200, action: 'public' },
  { op: 'POST /api/v1/checks/uscc', body: () => ({ uscc: '914403001922038216' }), ok: 200, action: 'public' },
  { op: 'POST /api/v1/checks/zishu', body: () => ({ text: '字数' }), ok: 200, action: 'public' },
  // identity
  { op: 'GET /api/v1/me', ok: 200, action: 'login' },
  { op: 'GET /api/v1/organisations', ok: 200, action: 'org.directory' },
  { op: 'POST /api/v1/organisations', body: newOrg, ok: 201, action: 'org.create' },
  { op: 'GET /api/v1/organisations/{id}', path: () => `/api/v1/organisations/${ID.entGz}`, ok: 200, action: 'org.read', sees: GZ_ENT },
  { op: 'GET /api/v1/organisations/{id}', path: () => `/api/v1/organisations/${ID.entHz}`, ok: 200, action: 'org.read',
    sees: [OPERATORS, 'ent-hz', region('330106')] },
  // contact details: the organisation's own admin, and the operators
  { op: 'PATCH /api/v1/organisations/{id}', path: () => `/api/v1/organisations/${ID.entGz}`,
    body: () => ({ address: `广州市天河区示范工业园${uniq()}` }), ok: 200, action: 'org.update', sees: GZ_ENT, acts: [OPERATORS, 'ent-gz'] },
  // the registry's name: the operators and the regional authority, never the organisation itself
  { op: 'PATCH /api/v1/organisations/{id}', path: () => `/api/v1/organisations/${ID.registry}`,
    body: () => ({ name: `矩阵登记更名测试${uniq()}` }), ok: 200, action: 'org.register', sees: [OPERATORS, region('440106')] },
  { op: 'GET /api/v1/users', ok: 200, action: 'user.read' },
  { op: 'GET /api/v1/users', path: () => `/api/v1/users?org_id=${ID.entGz}`, ok: 200, action: 'user.read', sees: ENT_GZ_USERS },
  { op: 'POST /api/v1/users', body: () => ({ username: uniq(), display_name: '新用户', role: 'viewer', password: 'Matrix-pass-123' }),
    ok: 201, action: 'user.manage' },
  { op: 'POST /api/v1/users', body: () => ({ org_id: ID.entGz, username: uniq(), display_name: '新用户', role: 'viewer', password: 'Matrix-pass-123' }),
    ok: 201, action: 'user.manage', sees: ENT_GZ_USERS },
  { op: 'GET /api/v1/users/{id}', path: () => `/api/v1/users/${ID.entGzAdmin}`, ok: 200, action: 'user.read', sees: ENT_GZ_USERS },
  { op: 'PATCH /api/v1/users/{id}', path: () => `/api/v1/users/${ID.victim}`, body: () => ({ display_name: `改名${uniq()}` }),
    ok: 200, action: 'user.manage', sees: ENT_GZ_USERS },
  { op: 'POST /api/v1/users/{id}/password', path: () => `/api/v1/users/${ID.victim}/password`, body: () => ({ password: `Reset-${uniq()}` }),
    ok: 204, action: 'user.manage', sees: ENT_GZ_USERS },
  { op: 'GET /api/v1/tokens', ok: 200, action: 'token.manage' },
  { op: 'POST /api/v1/tokens', body: () => ({ name: 'matrix' }), ok: 201, action: 'token.manage' },
  // a token is its user's alone
  { op: 'DELETE /api/v1/tokens/{id}', path: () => `/api/v1/tokens/${ID.miitToken}`, ok: 204, action: 'token.manage', sees: ['miit'] },
  { op: 'GET /api/v1/audit', ok: 200, action: 'audit.read' },
  { op: 'GET /api/v1/audit/verify', ok: 200, action: 'audit.verify' },
];
