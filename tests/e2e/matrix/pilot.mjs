// pilot.mjs — role-matrix rows of the pilot programme's endpoints (see
// tests/e2e/matrix.test.mjs for the letters: a allowed, f 403, h 404, u 401).
//
// setup() builds, with receipt times inside the 2024 round (X-Test-Now),
// the records the rows act on: schemes led by secfirm (so the insurer's
// count in pilot.test.mjs stays its own), plans held by each authority,
// packages, pilots. The matrix itself sends no X-Test-Now, so it runs at
// the real clock, after every 2024 deadline: the rows whose allowed
// callers meet a deadline (scheme submit, recommendation, package forward)
// expect 422 deadline_passed for them — the gate of roles and visibility was passed, the
// round's date refused. pilot.test.mjs shows the same calls succeeding in
// time.
//
// Rows whose allowed callers each need a record of their own use
// byCaller(): the matrix calls body() exactly once per caller, in WHO order.
import assert from 'node:assert/strict';
import { as, login, makeUscc, uniqueBody8 } from '../lib/http.mjs';
import { WHO } from '../lib/matrix.mjs';
import { asAt, schemeForm, planForm, UNITS } from '../lib/pilot.mjs';

const M = {};

function okOf(r, status) {
  assert.equal(r.status, status, `${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

// body(): one value per caller, in WHO order (see the header).
function byCaller(fn) {
  let calls = 0;
  return () => fn(WHO[calls++ % WHO.length]);
}

async function scheme(S, time, joint, confirmers, submit) {
  const s = okOf(await asAt(S.secfirm, time, 'POST', '/api/v1/schemes', schemeForm({ joint, name: `矩阵测试服务方案${uniqueBody8()}`, kind: 'security_firm' })), 201);
  for (const u of confirmers) okOf(await asAt(S[u], time, 'POST', `/api/v1/schemes/${s.id}/confirm`, { legal_representative: '法定代表人' }), 200);
  if (submit) okOf(await asAt(S.secfirm, time, 'POST', `/api/v1/schemes/${s.id}/submit`), 200);
  return s.id;
}

// An authority's own Annex 2, ready in its hands.
async function ownPlan(S, who, time) {
  const p = okOf(await asAt(S[who], time, 'POST', '/api/v1/plans', planForm(2, { name: `矩阵测试工作方案${uniqueBody8()}` })), 201);
  okOf(await asAt(S[who], time, 'POST', `/api/v1/plans/${p.id}/submit`), 200);
  return p.id;
}

async function unitPlan(S, who, joint, confirmers, submit, time) {
  const p = okOf(await asAt(S[who], time, 'POST', '/api/v1/plans', planForm(4, { joint: [joint], name: `矩阵测试企业方案${uniqueBody8()}` })), 201);
  for (const u of confirmers) okOf(await asAt(S[u], time, 'POST', `/api/v1/plans/${p.id}/confirm`, { legal_representative: '法定代表人' }), 200);
  if (submit) okOf(await asAt(S[who], time, 'POST', `/api/v1/plans/${p.id}/submit`), 200);
  return p.id;
}

async function packageOf(S, who, plans, time, forward) {
  const k = okOf(await asAt(S[who], time, 'POST', '/api/v1/packages', { round_id: '2024', plan_ids: plans }), 201);
  if (forward) okOf(await asAt(S[who], time, 'POST', `/api/v1/packages/${k.id}/forward`), 200);
  return k.id;
}

export async function setup(S) {
  M.entHz = S['ent-hz'].me.organisation.id;
  M.entTelecom = (await as(S.miit, 'GET', '/api/v1/organisations?type=enterprise&region=440104')).json.items[0].id;

  // two experts of their own panel
  const org = okOf(await as(S.miit, 'POST', '/api/v1/organisations', { body: {
    name: `矩阵评审专家库${uniqueBody8()}（测试）`, type: 'expert', uscc: makeUscc('12', '110000', uniqueBody8()),
    region_code: '110000', nature: 'public_institution' } }), 201);
  M.panel = [];
  const panel = [];
  for (let i = 0; i < 2; i++) {
    const name = `mx-panel-${i}-${uniqueBody8().toLowerCase()}`;
    const u = okOf(await as(S.miit, 'POST', '/api/v1/users', { body: { org_id: org.id, username: name, display_name: `矩阵专家${i}`, role: 'member', password: 'Matrix-panel-2024' } }), 201);
    M.panel.push(u.id);
    panel.push(await login(name, 'Matrix-panel-2024'));
  }

  // schemes: one submitted (with expert2's open review), one draft, one reviewed for the catalogue
  M.s1 = await scheme(S, '2024-01-20 09:00', [UNITS.insurer], ['secfirm', 'insurer'], true);
  M.r2 = okOf(await as(S.nisc, 'POST', `/api/v1/schemes/${M.s1}/reviewers`, { body: { user_id: S.expert2.me.user.id } }), 201).id;
  M.sdraft = await scheme(S, '2024-01-20 09:00', [UNITS.insurer], [], false);
  M.sCat = await scheme(S, '2024-01-21 09:00', [UNITS.insurer], ['secfirm', 'insurer'], true);
  const scores = { background: 8, service: 8, technology: 8, team: 8, cases: 8, promotion: 8 };
  for (let i = 0; i < 2; i++) {
    const r = okOf(await as(S.nisc, 'POST', `/api/v1/schemes/${M.sCat}/reviewers`, { body: { user_id: M.panel[i] } }), 201);
    okOf(await as(panel[i], 'PUT', `/api/v1/reviews/${r.id}`, { body: { scores } }), 200);
  }

  // plans: at Guangzhou, a draft of ent-gz's, one at Hangzhou
  M.p4 = await unitPlan(S, 'ent-gz', UNITS.secfirm, ['ent-gz', 'secfirm'], true, '2024-02-10 09:00');
  M.p4draft = await unitPlan(S, 'ent-gz', UNITS.secfirm, [], false, '2024-02-10 09:00');
  M.p4hz = await unitPlan(S, 'ent-hz', UNITS.insurer, ['ent-hz', 'insurer'], true, '2024-02-10 09:00');

  // one ready plan per authority that may assemble a package (row POST /packages)
  M.pool = {};
  for (const w of ['gd-prov', 'gz-city', 'gz-city-member', 'sz-city', 'hz-city'])
    M.pool[w] = await ownPlan(S, w === 'gz-city-member' ? 'gz-city' : w, '2024-02-12 09:00');

  // packages: Guangzhou's at the province, Hangzhou's still at home
  M.kgz = await packageOf(S, 'gz-city', [await ownPlan(S, 'gz-city', '2024-02-15 09:00')], '2024-02-20 09:00', true);
  M.khz = await packageOf(S, 'hz-city', [await ownPlan(S, 'hz-city', '2024-02-15 09:00')], '2024-02-20 09:00', false);

  // Shenzhen's plans at the ministry: two selected pilots and one left to select
  const sz = [];
  for (let i = 0; i < 3; i++) sz.push(await ownPlan(S, 'sz-city', '2024-02-25 09:00'));
  await packageOf(S, 'sz-city', sz, '2024-03-01 09:00', true);
  M.pilot = okOf(await asAt(S.miit, '2024-03-20 09:00', 'POST', '/api/v1/pilots', { plan_id: sz[0], start_date: '2024-04-01' }), 201).id;
  M.pilotExit = okOf(await asAt(S.miit, '2024-03-20 09:00', 'POST', '/api/v1/pilots', { plan_id: sz[1], start_date: '2024-04-01' }), 201).id;
  M.toSelect = sz[2];

  // a Guangzhou pilot led by the city: its summary goes up to the province (row summaries/{id}/forward)
  const gzPlan = await ownPlan(S, 'gz-city', '2024-02-15 09:00');
  const kg = await packageOf(S, 'gz-city', [gzPlan], '2024-02-20 09:00', true);
  okOf(await asAt(S['gd-prov'], '2024-03-01 09:00', 'POST', `/api/v1/packages/${kg}/forward`), 200);
  const gzPilot = okOf(await asAt(S.miit, '2024-03-20 09:00', 'POST', '/api/v1/pilots', { plan_id: gzPlan, start_date: '2024-04-01' }), 201).id;
  M.summaryAtProvince = okOf(await asAt(S['gz-city'], '2024-10-20 09:00', 'POST', '/api/v1/summaries', { round_id: '2024', level: 'pilot', pilot_id: gzPilot, ...sections }), 201).id;
  // an extension request asked of the ministry (row extension-requests/{id}/decline)
  M.request = okOf(await asAt(S['ent-hz'], '2024-03-10 09:00', 'POST', '/api/v1/extension-requests', { round_id: '2024', deadline: 'plan_at_ministry', until: '2024-03-31', reason: '矩阵测试' }), 201).id;
}

const sections = { progress: '年度试点开展情况。', innovation: '产品创新情况。', services: '服务实施情况。' };
const figures = { insured_enterprises: 3, policies: 3, premium_fen: 30000000, sum_insured_fen: 1500000000, assessments: 3, alerts: 5, incidents: 0, claims_paid_fen: 0 };
export const ROWS = [
  // rounds: the notice's dates and limits are public          who: anon miit nisc gdp gdca gz gzm gzv sz hz ins insuw sec entgz enthz exp2
  ['GET', '/api/v1/rounds', () => '/api/v1/rounds', null, 200, 'aaaaaaaaaaaaaaaa'],
  ['GET', '/api/v1/rounds/{id}', () => '/api/v1/rounds/2024', null, 200, 'aaaaaaaaaaaaaaaa'],
  // Annex 1 schemes
  ['GET', '/api/v1/schemes', () => '/api/v1/schemes', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/schemes', () => '/api/v1/schemes', () => schemeForm({ name: '矩阵测试草稿' }), 201, 'ufffffffffaaafff'],
  ['GET', '/api/v1/schemes/{id}', () => `/api/v1/schemes/${M.s1}`, null, 200, 'uaaaaaaahhaaahha'],
  ['PATCH', '/api/v1/schemes/{id}', () => `/api/v1/schemes/${M.sdraft}`, () => ({ location: '广东省广州市' }), 200, 'uffhhhhhhhffahhh'],
  ['POST', '/api/v1/schemes/{id}/confirm', () => `/api/v1/schemes/${M.sdraft}/confirm`, () => ({ legal_representative: '法定代表人' }), 200, 'uffhhhhhhhafahhh'],
  ['POST', '/api/v1/schemes/{id}/submit', () => `/api/v1/schemes/${M.sdraft}/submit`, () => ({}), 422, 'uffhhhhhhhffahhh'],
  ['POST', '/api/v1/schemes/{id}/recommendations', () => `/api/v1/schemes/${M.s1}/recommendations`, () => ({ text: '推荐。' }), 422, 'uffaafffhhfffhhf'],
  ['POST', '/api/v1/schemes/{id}/reviewers', () => `/api/v1/schemes/${M.s1}/reviewers`,
    byCaller((w) => ({ user_id: w === 'miit' ? M.panel[0] : M.panel[1] })), 201, 'uaafffffhhfffhhf'],
  ['GET', '/api/v1/schemes/{id}/experts', () => `/api/v1/schemes/${M.s1}/experts`, null, 200, 'uaafffffhhfffhhf'],
  // 原则上: the ministry waives a limit for a document (2024 holds none in principle for plans: 422)
  ['POST', '/api/v1/schemes/{id}/waivers', () => `/api/v1/schemes/${M.sdraft}/waivers`, () => ({ rule: 'schemes_per_lead_max', reason: '矩阵测试' }), 201, 'uafhhhhhhhfffhhh'],
  ['POST', '/api/v1/plans/{id}/waivers', () => `/api/v1/plans/${M.p4draft}/waivers`, () => ({ rule: 'joint_units_max', reason: '矩阵测试' }), 422, 'uafhhhhhhhhhffhh'],
  // expert review and the catalogue
  ['GET', '/api/v1/reviews', () => '/api/v1/reviews', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['GET', '/api/v1/reviews/{id}', () => `/api/v1/reviews/${M.r2}`, null, 200, 'uaahhhhhhhhhhhha'],
  ['PUT', '/api/v1/reviews/{id}', () => `/api/v1/reviews/${M.r2}`,
    () => ({ scores: { background: 7, service: 7, technology: 7, team: 7, cases: 7, promotion: 7 } }), 200, 'uffhhhhhhhhhhhha'],
  ['GET', '/api/v1/catalogue', () => '/api/v1/catalogue?round_id=2024', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/catalogue', () => '/api/v1/catalogue', () => ({ round_id: '2024', scheme_ids: [M.sCat] }), 201, 'uaffffffffffffff'],
  // Annex 2–4 plans
  ['GET', '/api/v1/plans', () => '/api/v1/plans', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/plans', () => '/api/v1/plans', () => planForm(4, { name: '矩阵测试草稿' }), 201, 'uffffffffffffaaf'],
  ['GET', '/api/v1/plans/{id}', () => `/api/v1/plans/${M.p4}`, null, 200, 'uaahhaaahhhhaahh'],
  ['PATCH', '/api/v1/plans/{id}', () => `/api/v1/plans/${M.p4draft}`, () => ({ name: '矩阵测试企业方案（修改）' }), 200, 'uffhhhhhhhhhfahh'],
  ['POST', '/api/v1/plans/{id}/confirm', () => `/api/v1/plans/${M.p4draft}/confirm`, () => ({ legal_representative: '法定代表人' }), 200, 'uffhhhhhhhhhaahh'],
  ['POST', '/api/v1/plans/{id}/submit', () => `/api/v1/plans/${M.p4draft}/submit`, () => ({}), 200, 'uffhhhhhhhhhfahh'],
  ['POST', '/api/v1/plans/{id}/return', () => `/api/v1/plans/${M.p4hz}/return`, () => ({ comment: '请补充材料' }), 200, 'uffhhhhhhaffhhfh'],
  ['GET', '/api/v1/plan-targets', () => '/api/v1/plan-targets?round_id=2024', null, 200, 'uffafaafaaffffff'],
  // packages and their routing
  ['GET', '/api/v1/packages', () => '/api/v1/packages?box=inbox', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/packages', () => '/api/v1/packages',
    byCaller((w) => ({ round_id: '2024', plan_ids: [M.pool[w] ?? 1] })), 201, 'uffafaafaaffffff'],
  ['GET', '/api/v1/packages/{id}', () => `/api/v1/packages/${M.kgz}`, null, 200, 'uaaahaaahhhhhhhh'],
  ['POST', '/api/v1/packages/{id}/forward', () => `/api/v1/packages/${M.khz}/forward`, () => ({}), 422, 'uffhhhhhhahhhhhh'],
  ['POST', '/api/v1/packages/{id}/return', () => `/api/v1/packages/${M.kgz}/return`, () => ({ comment: '请补充盖章页' }), 200, 'uffahfffhhhhhhhh'],
  ['GET', '/api/v1/extensions', () => '/api/v1/extensions', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/extensions', () => '/api/v1/extensions',
    () => ({ round_id: '2024', deadline: 'summary_at_ministry', org_id: M.entHz, until: '2024-12-31', reason: '矩阵测试' }), 201, 'uaffffffffffffff'],
  ['GET', '/api/v1/extension-requests', () => '/api/v1/extension-requests', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/extension-requests', () => '/api/v1/extension-requests',
    () => ({ round_id: '2024', deadline: 'plan_at_ministry', until: '2024-12-31', reason: '矩阵测试' }), 201, 'uffafaafaaaaaaaf'],
  ['POST', '/api/v1/extension-requests/{id}/decline', () => `/api/v1/extension-requests/${M.request}/decline`, () => ({ answer: '矩阵测试' }), 200, 'uafhhhhhhhhhhhfh'],
  // pilots, reports, summaries
  ['GET', '/api/v1/pilots', () => '/api/v1/pilots', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/pilots', () => '/api/v1/pilots', () => ({ plan_id: M.toSelect, start_date: '2024-04-01' }), 201, 'uaffffffffffffff'],
  ['GET', '/api/v1/pilots/{id}', () => `/api/v1/pilots/${M.pilot}`, null, 200, 'uaahhhhhahhhhhhh'],
  ['POST', '/api/v1/pilots/{id}/exit', () => `/api/v1/pilots/${M.pilotExit}/exit`, () => ({ reason: '矩阵测试退出' }), 200, 'uafhhhhhfhhhhhhh'],
  ['GET', '/api/v1/reports', () => '/api/v1/reports', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/reports', () => '/api/v1/reports', () => ({ pilot_id: M.pilot, period: '2024Q2', ...figures, text: '进展。' }), 201, 'uffhhhhhahhhhhhh'],
  ['GET', '/api/v1/summaries', () => '/api/v1/summaries', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/summaries', () => '/api/v1/summaries', () => ({ round_id: '2024', level: 'pilot', pilot_id: M.pilot, ...sections }), 201, 'uffhhhhhahhhhhhh'],
  ['POST', '/api/v1/summaries/{id}/forward', () => `/api/v1/summaries/${M.summaryAtProvince}/forward`, () => ({}), 200, 'uffahfffhhhhhhhh'],
  ['GET', '/api/v1/overdue', () => '/api/v1/overdue?round_id=2024', null, 200, 'uaaaaaaaaaffffff'],
  ['GET', '/api/v1/todo', () => '/api/v1/todo', null, 200, 'uaaaaaaaaaaaaaaa'],
  // the 基础电信企业 flag: the operators and the province's 通信管理局
  ['PUT', '/api/v1/organisations/{id}/telecom-operator', () => `/api/v1/organisations/${M.entHz}/telecom-operator`, () => ({ telecom_operator: false }), 200, 'uaahhhhhhfhhhhfh'],
  ['PUT', '/api/v1/organisations/{id}/telecom-operator', () => `/api/v1/organisations/${M.entTelecom}/telecom-operator`, () => ({ telecom_operator: true }), 200, 'uaafafffhhhhhhhh'],
];
