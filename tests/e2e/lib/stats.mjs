// stats.mjs — what the statistics tests share: the demo enterprises'
// policies bound on the demo insurer's product at a stated time (X-Test-Now),
// a referred quote approved by the insurer's underwriter first, and the
// figures of a set of policies computed from the bind answers — never read
// back from /api/v1/stats.
import assert from 'node:assert/strict';
import { as } from './http.mjs';
import { asAt, ok, planForm } from './pilot.mjs';

export const DEMO_ENTERPRISES = ['ent-gz', 'ent-gz-health', 'ent-telecom', 'ent-sz'];

// Bind one policy for each of `who` at Beijing time `when` (start the next
// day), with `bind` as the binding's body (a pilot) when given: → the
// policies as bound, each with its quote's assessment_id.
export async function bindDemoPolicies(S, when, startDate, who = DEMO_ENTERPRISES, bind = undefined) {
  const products = ok(await as(S['ent-gz'], 'GET', '/api/v1/products?limit=200')).items;
  const product = products.find((x) => x.status === 'active' && x.insurer_name === S.insurer.me.organisation.name && x.name.includes('示范产品'));
  assert.ok(product, 'the demo product is on sale');
  const out = [];
  for (const ent of who) {
    const body = { product_id: product.id, revenue: 20000000000, aggregate_limit: product.limit_options[0], retention: product.retention_options[0], start_date: startDate };
    let q = ok(await asAt(S[ent], when, 'POST', '/api/v1/quotes', body), 201);
    if (q.status === 'referred') q = ok(await asAt(S['insurer-uw'], when, 'POST', `/api/v1/quotes/${q.id}/referral`, { decision: 'approve', note: '统计测试：人工核保通过' }));
    const y = ok(await asAt(S[ent], when, 'POST', `/api/v1/quotes/${q.id}/bind`, bind), 201);
    out.push({ ...y, assessment_id: q.assessment_id ?? null });
  }
  return out;
}

// Guangdong's own Annex 2 plan, submitted, sent to the ministry and selected
// as a pilot starting 2024-04-01 (receipt times in February and March 2024).
export async function provincePilot(S, name) {
  let p = ok(await asAt(S['gd-prov'], '2024-02-20 09:00', 'POST', '/api/v1/plans', planForm(2, { name })), 201);
  p = ok(await asAt(S['gd-prov'], '2024-02-20 10:00', 'POST', `/api/v1/plans/${p.id}/submit`));
  if (p.holder_org_id !== S.miit.me.organisation.id) {
    const k = ok(await asAt(S['gd-prov'], '2024-02-21 09:00', 'POST', '/api/v1/packages', { round_id: '2024', plan_ids: [p.id] }), 201);
    ok(await asAt(S['gd-prov'], '2024-02-21 10:00', 'POST', `/api/v1/packages/${k.id}/forward`));
  }
  return ok(await asAt(S.miit, '2024-03-25 10:00', 'POST', '/api/v1/pilots', { plan_id: p.id, start_date: '2024-04-01' }), 201);
}

// The policies attributed to the pilot by their insurer: → the policies as attributed.
export async function attribute(S, policies, pilotId, when = '2024-05-12 09:00') {
  const out = [];
  for (const y of policies) {
    const a = ok(await asAt(S.insurer, when, 'PUT', `/api/v1/policies/${y.id}/pilot`, { pilot_id: pilotId, reason: '按广东省试点方案承保' }));
    assert.equal(a.pilot_id, pilotId);
    out.push({ ...a, assessment_id: y.assessment_id });
  }
  return out;
}

// The figures of a set of policies (as bound, none endorsed or cancelled), as /api/v1/stats names them.
export function expected(ps) {
  const grades = { A: 0, B: 0, C: 0, D: 0, E: 0 };
  for (const p of ps) grades[p.rating.grade] += 1;
  const insureds = new Set(ps.map((p) => p.insured.org_id)).size;
  return {
    insured_enterprises: insureds,
    policies_written: ps.length,
    policies_in_force: ps.length,
    insured_in_force: insureds,
    written_premium: ps.reduce((s, p) => s + p.annual_premium, 0),
    aggregate_limit: ps.reduce((s, p) => s + p.terms.aggregate_limit, 0),
    assessments: new Set(ps.map((p) => p.assessment_id).filter((a) => a)).size,
    grades,
  };
}
