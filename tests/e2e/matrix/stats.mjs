// stats.mjs — role-matrix rows of the pilot's statistics (docs/statistics.md):
// GET /api/v1/stats (stats.read: the authorities and insurers; no record, so
// everyone allowed sees it), a pilot's report figures (seen as the pilot is),
// and a policy's attribution to a pilot (policy.attribute: its insurer; the
// insured and the operators see the policy and are refused 403; a pilot that
// does not exist is the rule the insurer meets: 422).
import assert from 'node:assert/strict';
import { as } from '../lib/http.mjs';
import { OPERATORS } from '../lib/matrix.mjs';
import { M } from './pilot.mjs';

export const ID = {};

export async function setup(S) {
  const products = (await as(S['ent-gz'], 'GET', '/api/v1/products?limit=200')).json.items;
  const p = products.find((x) => x.status === 'active' && x.insurer_name === S.insurer.me.organisation.name);
  assert.ok(p, 'a product of the demo insurer is on sale');
  let r = await as(S['ent-gz'], 'POST', '/api/v1/quotes', { body: { product_id: p.id, revenue: 20000000000, aggregate_limit: p.limit_options[0], retention: p.retention_options[0] } });
  assert.equal(r.status, 201, r.text);
  if (r.json.status === 'referred') {
    r = await as(S['insurer-uw'], 'POST', `/api/v1/quotes/${r.json.id}/referral`, { body: { decision: 'approve', note: '矩阵' } });
    assert.equal(r.status, 200, r.text);
  }
  r = await as(S['ent-gz'], 'POST', `/api/v1/quotes/${r.json.id}/bind`);
  assert.equal(r.status, 201, r.text);
  ID.policy = r.json.id;
}

const SZ_PILOT = [OPERATORS, 'sz-city']; // matrix/pilot.mjs's Shenzhen pilot

export const ROWS = [
  { op: 'GET /api/v1/stats', path: () => '/api/v1/stats?by=city', ok: 200, action: 'stats.read' },
  { op: 'GET /api/v1/pilots/{id}/figures', path: () => `/api/v1/pilots/${M.pilot}/figures?period=2024Q2`, ok: 200,
    action: 'login', sees: SZ_PILOT },
  { op: 'PUT /api/v1/policies/{id}/pilot', path: () => `/api/v1/policies/${ID.policy}/pilot`,
    body: () => ({ pilot_id: 999999, reason: '矩阵测试' }), ok: 422, action: 'policy.attribute',
    sees: [OPERATORS, 'insurer', 'ent-gz'] },
];
