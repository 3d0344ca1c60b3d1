// stats.test.mjs — the pilot's statistics end to end (SQLite and PostgreSQL
// through run.sh): Guangdong's own Annex 2 plan becomes a pilot, the demo
// enterprises' policies are bound in 2024 and attributed to it, and the
// city, the province, the ministry, Zhejiang and the insurer each read the
// figures of their scope. Every expected figure is computed here from the
// policies this test bound (their premiums, limits, grades and insureds as
// the bind answered them), never read back from /stats.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { as, login, assertError } from './lib/http.mjs';
import { asAt, ok } from './lib/pilot.mjs';
import { bindDemoPolicies, provincePilot, attribute, expected } from './lib/stats.mjs';

const S = {};
const X = { policies: [] };
const T = (t) => t; // Beijing times of the X-Test-Now header
const WHO = ['miit', 'gd-prov', 'zj-prov', 'gz-city', 'sz-city', 'insurer', 'insurer-uw', 'ent-gz', 'ent-gz-health', 'ent-telecom', 'ent-sz', 'ent-hz', 'secfirm'];
const RANGE = 'from=2024-04-01&to=2024-06-30';

before(async () => {
  for (const u of WHO) S[u] = await login(u);
});

const figures = (b) => {
  const { key, name_zh, name_en, suppressed, ...f } = b;
  return f;
};
const city = (p) => `${p.rating.region_code.slice(0, 4)}00`;

test('Guangdong\'s own Annex 2 plan becomes a pilot', async () => {
  X.pilot = await provincePilot(S, '广东省网络安全保险服务试点统计方案');
  assert.equal(X.pilot.status, 'active');
});

test('the demo enterprises\' policies are bound in May 2024 and attributed to the pilot by their insurer', async () => {
  const bound = await bindDemoPolicies(S, T('2024-05-10 10:00'), '2024-05-11');
  assert.deepEqual(bound.map((y) => y.pilot_id), [null, null, null, null]);
  X.policies = await attribute(S, bound, X.pilot.id);
  // the insurer only, a reason, a pilot that exists
  const y = X.policies[0];
  assertError(await as(S['ent-gz'], 'PUT', `/api/v1/policies/${y.id}/pilot`, { body: { pilot_id: X.pilot.id, reason: '自行归属' } }), 403, 'forbidden');
  assertError(await as(S['gz-city'], 'PUT', `/api/v1/policies/${y.id}/pilot`, { body: { pilot_id: X.pilot.id, reason: 'x' } }), 404, 'not_found');
  assertError(await as(S.insurer, 'PUT', `/api/v1/policies/${y.id}/pilot`, { body: { pilot_id: X.pilot.id, reason: ' ' } }), 422, 'missing_field', 'reason');
  assertError(await as(S.insurer, 'PUT', `/api/v1/policies/${y.id}/pilot`, { body: { pilot_id: X.pilot.id + 100000, reason: '错号' } }), 422, 'pilot_unknown', 'pilot_id');
  assertError(await as(S.insurer, 'PUT', `/api/v1/policies/${y.id}/pilot`, { body: { pilot_id: X.pilot.id, scheme_id: 999999, reason: '方案' } }), 422, 'scheme_unknown', 'scheme_id');
  assertError(await as(S.insurer, 'PUT', `/api/v1/policies/${y.id}/pilot`, { body: { pilot_id: 'one', reason: 'x' } }), 400, 'wrong_type', 'pilot_id');
  // a Zhejiang enterprise takes no part in Guangdong's pilot
  const [hz] = await bindDemoPolicies(S, T('2024-05-10 11:00'), '2024-05-11', ['ent-hz']);
  const party = await asAt(S.insurer, T('2024-05-12 09:00'), 'PUT', `/api/v1/policies/${hz.id}/pilot`, { pilot_id: X.pilot.id, reason: '跨省' });
  assertError(party, 422, 'pilot_not_party', 'pilot_id');
  assert.match(party.json.error.message, /被保险企业不是试点 P2024-\d+ 的参与单位/);
  assert.equal(ok(await as(S.insurer, 'GET', `/api/v1/policies/${hz.id}`)).pilot_id, null, 'a refused attribution leaves nothing');
  // chosen at binding: ent-gz's next policy is written under the pilot from the start; a pilot
  // the insured takes no part in refuses the binding and leaves the quote bindable
  const [again] = await bindDemoPolicies(S, T('2024-05-20 10:00'), '2024-05-21', ['ent-gz'], { pilot_id: X.pilot.id });
  assert.equal(again.pilot_id, X.pilot.id);
  X.policies.push(again);
  const products = ok(await as(S['ent-hz'], 'GET', '/api/v1/products?limit=200')).items;
  const demo = products.find((x) => x.status === 'active' && x.name.includes('示范产品'));
  // a limit above half the revenue is referred whatever ent-hz's assessments (earlier e2e files,
  // monitoring's, submit some: the quote takes the latest), and the referral approved
  assert.ok(demo.limit_options[0] > 150000000 * 0.5);
  let q = ok(await asAt(S['ent-hz'], T('2024-05-20 10:00'), 'POST', '/api/v1/quotes', { product_id: demo.id, revenue: 150000000, aggregate_limit: demo.limit_options[0], retention: demo.retention_options[0], start_date: '2024-05-21' }), 201);
  assert.equal(q.status, 'referred');
  q = ok(await asAt(S['insurer-uw'], T('2024-05-20 10:00'), 'POST', `/api/v1/quotes/${q.id}/referral`, { decision: 'approve', note: '跨省测试' }));
  assert.equal(q.status, 'approved');
  assertError(await asAt(S['ent-hz'], T('2024-05-20 10:00'), 'POST', `/api/v1/quotes/${q.id}/bind`, { pilot_id: X.pilot.id }), 422, 'pilot_not_party', 'pilot_id');
  assert.equal(ok(await as(S['ent-hz'], 'GET', `/api/v1/quotes/${q.id}`)).status, 'approved', 'a refused binding leaves the quote as it was');
  assertError(await asAt(S['ent-hz'], T('2024-05-20 10:00'), 'POST', `/api/v1/quotes/${q.id}/bind`, { pilot: 1 }), 400, 'unknown_field', 'pilot');
  // the attribution is in the audit log with its reason
  const audit = ok(await as(S.insurer, 'GET', '/api/v1/audit?limit=500')).items.filter((e) => e.action === 'policy.attribute' && e.object_id === String(y.id));
  assert.equal(audit.length, 1);
  assert.match(audit[0].summary, /按广东省试点方案承保/);
});

const stats = (who, q) => as(S[who], 'GET', `/api/v1/stats?pilot_id=${X.pilot.id}&${RANGE}&${q}`);

test('the ministry, the province and the city see the same figures; city sums are the province\'s', async () => {
  const gz = X.policies.filter((p) => city(p) === '440100');
  const sz = X.policies.filter((p) => city(p) === '440300');
  assert.equal(new Set(gz.map((p) => p.insured.org_id)).size, 3);
  assert.equal(sz.length, 1);
  const all = expected(X.policies);
  for (const who of ['miit', 'gd-prov']) {
    const r = ok(await stats(who, 'by=city'));
    assert.equal(r.suppress_below, 3);
    assert.deepEqual(figures(r.total), all, who);
    assert.deepEqual(r.items.map((b) => [b.key, b.suppressed]), [['440100', false], ['440300', true]]);
    assert.deepEqual(figures(r.items[0]), expected(gz));
    assert.equal(r.items[0].name_zh, '广州市');
    assert.equal(r.items[1].written_premium, undefined, 'a suppressed bucket carries no figures');
  }
  const city1 = ok(await stats('gz-city', 'by=none'));
  assert.deepEqual(figures(city1.total), expected(gz));
  assert.deepEqual(city1.scope, { kind: 'city', region_prefix: '4401' });
  // Shenzhen's one enterprise is withheld from Shenzhen's own authority too
  assert.equal(ok(await stats('sz-city', 'by=none')).total.suppressed, true);
  // the insurer sees its own book whole: the cities add up to the province
  const ins = ok(await stats('insurer', 'by=city'));
  assert.equal(ins.suppress_below, null);
  assert.deepEqual(ins.items.map((b) => figures(b)), [expected(gz), expected(sz)]);
  for (const k of ['policies_written', 'written_premium', 'aggregate_limit', 'insured_enterprises'])
    assert.equal(ins.items[0][k] + ins.items[1][k], all[k], k);
  // by month: all written in May (from the 11th: none in force at the close of April), in force
  // at the close of May and June; by pilot: the pilot's code
  const m = ok(await stats('miit', 'by=month'));
  const n = X.policies.length;
  assert.equal(n, 5);
  assert.deepEqual(m.items.map((b) => [b.key, b.policies_written, b.policies_in_force]), [['2024-05', n, n], ['2024-06', 0, n]]);
  const t = ok(await stats('miit', 'by=pilot'));
  assert.deepEqual(t.items.map((b) => [b.key, b.name_zh, b.policies_written]), [[String(X.pilot.id), X.pilot.code, n]]);
});

test('a bucket of 2 enterprises is withheld from authorities, not from the insurer', async () => {
  const bySection = {};
  for (const p of X.policies) (bySection[p.rating.industry_section] ??= []).push(p);
  const two = Object.entries(bySection).find(([, ps]) => new Set(ps.map((p) => p.insured.org_id)).size === 2);
  assert.ok(two, 'two insureds share a section');
  const r = ok(await stats('gd-prov', 'by=section'));
  assert.deepEqual(r.items.map((b) => [b.key, b.suppressed]), Object.keys(bySection).sort().map((k) => [k, true]));
  assert.deepEqual(figures(r.total), expected(X.policies));
  const ins = ok(await stats('insurer', 'by=section'));
  assert.deepEqual(figures(ins.items.find((b) => b.key === two[0])), expected(two[1]));
});

test('Zhejiang sees none of Guangdong\'s figures; outside one\'s scope is 404', async () => {
  assertError(await stats('zj-prov', 'by=city'), 404, 'not_found', 'pilot_id');
  assertError(await as(S['zj-prov'], 'GET', `/api/v1/stats?region=440000&${RANGE}`), 404, 'not_found', 'region');
  assertError(await as(S['gz-city'], 'GET', `/api/v1/stats?region=440300&${RANGE}`), 404, 'not_found', 'region');
  const zj = ok(await as(S['zj-prov'], 'GET', `/api/v1/stats?by=city&${RANGE}`));
  assert.ok(zj.items.every((b) => b.key.startsWith('33')), JSON.stringify(zj.items));
  assert.deepEqual(zj.scope, { kind: 'province', region_prefix: '33' });
  // who may not read statistics, and malformed questions
  assertError(await stats('ent-gz', 'by=city'), 403, 'forbidden');
  assertError(await stats('secfirm', 'by=city'), 403, 'forbidden');
  assertError(await stats('miit', 'by=colour'), 400, 'by_invalid', 'by');
  assertError(await as(S.miit, 'GET', '/api/v1/stats?from=2024-02-30'), 400, 'date_invalid', 'from');
  assertError(await as(S.miit, 'GET', '/api/v1/stats?from=2024-05-01&to=2024-04-01'), 400, 'range_invalid', 'to');
  assertError(await as(S.miit, 'GET', '/api/v1/stats?region=44'), 400, 'region_invalid', 'region');
  assertError(await as(S.miit, 'GET', '/api/v1/stats?pilot_id=x'), 400, 'query_invalid', 'pilot_id');
  assertError(await as(S.miit, 'GET', '/api/v1/stats?format=pdf'), 400, 'query_invalid', 'format');
  assertError(await as(S.insurer, 'GET', `/api/v1/stats?insurer_id=${S.miit.me.organisation.id}`), 404, 'not_found', 'insurer_id');
});

test('the province\'s table downloads as XLSX', async () => {
  const r = await stats('gd-prov', 'by=city&format=xlsx');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(r.headers.get('content-disposition'), 'attachment; filename="cyberins-stats-city.xlsx"');
  assert.ok(r.text.startsWith('PK'), 'a zip container');
});

test('a progress report is prefilled with exactly the platform\'s figures; a declared figure that differs is flagged', async () => {
  const all = expected(X.policies);
  const f = ok(await as(S['gd-prov'], 'GET', `/api/v1/pilots/${X.pilot.id}/figures?period=2024Q2`));
  const platform = { insured_enterprises: all.insured_enterprises, policies: all.policies_written, premium_fen: all.written_premium,
    sum_insured_fen: all.aggregate_limit, assessments: all.assessments, alerts: null, incidents: null, claims_paid_fen: null };
  assert.deepEqual(f, { pilot_id: X.pilot.id, period: '2024Q2', from: '2024-04-01', to: '2024-06-30', figures: platform });
  // the next quarter has none written
  const q3 = ok(await as(S['gd-prov'], 'GET', `/api/v1/pilots/${X.pilot.id}/figures?period=2024Q3`)).figures;
  assert.deepEqual(q3, { insured_enterprises: 0, policies: 0, premium_fen: 0, sum_insured_fen: 0, assessments: 0, alerts: null, incidents: null, claims_paid_fen: null });
  assertError(await as(S['gd-prov'], 'GET', `/api/v1/pilots/${X.pilot.id}/figures?period=2023Q1`), 422, 'period_unknown', 'period');
  assertError(await as(S['zj-prov'], 'GET', `/api/v1/pilots/${X.pilot.id}/figures?period=2024Q2`), 404, 'not_found');
  // filed as prefilled (the figures the platform does not keep are the filer's): nothing declared
  const filed = { ...platform, alerts: 3, incidents: 1, claims_paid_fen: 0 };
  const r = ok(await asAt(S['gd-prov'], T('2024-07-05 09:00'), 'POST', '/api/v1/reports', { pilot_id: X.pilot.id, period: '2024Q2', ...filed, text: '二季度完成4家企业承保。' }), 201);
  assert.deepEqual(r.declared, []);
  assert.deepEqual([r.platform_policies, r.platform_premium_fen, r.platform_sum_insured_fen, r.platform_alerts],
    [platform.policies, platform.premium_fen, platform.sum_insured_fen, null]);
  // a report claiming 12,345 policies is flagged beside the platform's figure, for the ministry too
  const claim = ok(await asAt(S['gd-prov'], T('2024-10-05 09:00'), 'POST', '/api/v1/reports', { pilot_id: X.pilot.id, period: '2024Q3', ...q3, alerts: 0, incidents: 0, claims_paid_fen: 0, policies: 12345, premium_fen: 1, text: '三季度。' }), 201);
  assert.deepEqual(claim.declared, ['policies', 'premium_fen']);
  assert.deepEqual([claim.policies, claim.platform_policies, claim.premium_fen, claim.platform_premium_fen], [12345, 0, 1, 0]);
  const seen = ok(await as(S.miit, 'GET', `/api/v1/reports?pilot_id=${X.pilot.id}`)).items;
  assert.deepEqual(seen.map((x) => [x.period, x.declared]), [['2024Q2', []], ['2024Q3', ['policies', 'premium_fen']]]);
});
