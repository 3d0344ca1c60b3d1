// pilot.mjs — role-matrix rows of the pilot programme's endpoints (the row
// format: tests/e2e/lib/matrix.mjs).
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
import { OPERATORS, WHO, ofType, region } from '../lib/matrix.mjs';
import { asAt, schemeForm, planForm, UNITS } from '../lib/pilot.mjs';

export const M = {};

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

const figures = { insured_enterprises: 3, policies: 3, premium_fen: 30000000, sum_insured_fen: 1500000000, assessments: 3, alerts: 5, incidents: 0, claims_paid_fen: 0 };
const sections = { progress: '年度试点开展情况。', innovation: '产品创新情况。', services: '服务实施情况。' };

// Who sees the records the rows act on.
const S1 = [OPERATORS, region('440106'), 'secfirm', 'insurer', 'expert2']; // submitted, expert2 reviews it
const DRAFT = [OPERATORS, 'secfirm', 'insurer']; // a draft: its units and the operators
const P4 = [OPERATORS, 'ent-gz', 'secfirm']; // ent-gz's Annex 4 with secfirm, a draft
const SZ_PILOT = [OPERATORS, 'sz-city']; // Shenzhen's own plan, selected

export const ROWS = [
  // rounds: the notice's dates and limits are public
  { op: 'GET /api/v1/rounds', ok: 200, action: 'public' },
  { op: 'GET /api/v1/rounds/{id}', path: () => '/api/v1/rounds/2024', ok: 200, action: 'public' },
  // Annex 1 schemes
  { op: 'GET /api/v1/schemes', ok: 200, action: 'login' },
  { op: 'POST /api/v1/schemes', body: () => schemeForm({ name: '矩阵测试草稿' }), ok: 201, action: 'scheme.write' },
  { op: 'GET /api/v1/schemes/{id}', path: () => `/api/v1/schemes/${M.s1}`, ok: 200, action: 'login', sees: S1 },
  // a scheme is written by its lead unit; a joint unit sees it and confirms its own part
  { op: 'PATCH /api/v1/schemes/{id}', path: () => `/api/v1/schemes/${M.sdraft}`, body: () => ({ location: '广东省广州市' }),
    ok: 200, action: 'scheme.write', sees: DRAFT, acts: ['secfirm'] },
  { op: 'POST /api/v1/schemes/{id}/confirm', path: () => `/api/v1/schemes/${M.sdraft}/confirm`,
    body: () => ({ legal_representative: '法定代表人' }), ok: 200, action: 'unit.confirm', sees: DRAFT },
  // its lead passes role and visibility; the round's deadline, long past, answers 422 (see above)
  { op: 'POST /api/v1/schemes/{id}/submit', path: () => `/api/v1/schemes/${M.sdraft}/submit`, body: () => ({}),
    ok: 422, action: 'scheme.write', sees: DRAFT, acts: ['secfirm'] },
  // recommendations come from provinces, 计划单列市 and 通信管理局 (notice §四(一)): not Guangzhou;
  // they reach the ministry with the scheme by 2024-01-28, long past: 422 for those who pass
  { op: 'POST /api/v1/schemes/{id}/recommendations', path: () => `/api/v1/schemes/${M.s1}/recommendations`,
    body: () => ({ text: '推荐。' }), ok: 422, action: 'scheme.recommend', sees: S1,
    acts: [region('440106', ['province', 'comm_admin'])] },
  { op: 'POST /api/v1/schemes/{id}/reviewers', path: () => `/api/v1/schemes/${M.s1}/reviewers`,
    body: byCaller((w) => ({ user_id: w === 'miit' ? M.panel[0] : M.panel[1] })), ok: 201, action: 'review.assign', sees: S1 },
  { op: 'GET /api/v1/schemes/{id}/experts', path: () => `/api/v1/schemes/${M.s1}/experts`, ok: 200, action: 'review.assign', sees: S1 },
  // 原则上: the ministry waives a limit the round holds in principle (2024 holds none for plans: 422)
  { op: 'POST /api/v1/schemes/{id}/waivers', path: () => `/api/v1/schemes/${M.sdraft}/waivers`,
    body: () => ({ rule: 'schemes_per_lead_max', reason: '矩阵测试' }), ok: 201, action: 'waiver.grant', sees: DRAFT },
  { op: 'POST /api/v1/plans/{id}/waivers', path: () => `/api/v1/plans/${M.p4draft}/waivers`,
    body: () => ({ rule: 'joint_units_max', reason: '矩阵测试' }), ok: 422, action: 'waiver.grant', sees: P4 },
  // expert review and the catalogue
  { op: 'GET /api/v1/reviews', ok: 200, action: 'login' },
  { op: 'GET /api/v1/reviews/{id}', path: () => `/api/v1/reviews/${M.r2}`, ok: 200, action: 'login', sees: [OPERATORS, 'expert2'] },
  { op: 'PUT /api/v1/reviews/{id}', path: () => `/api/v1/reviews/${M.r2}`,
    body: () => ({ scores: { background: 7, service: 7, technology: 7, team: 7, cases: 7, promotion: 7 } }),
    ok: 200, action: 'review.score', sees: [OPERATORS, 'expert2'] },
  { op: 'GET /api/v1/catalogue', path: () => '/api/v1/catalogue?round_id=2024', ok: 200, action: 'login' },
  { op: 'POST /api/v1/catalogue', body: () => ({ round_id: '2024', scheme_ids: [M.sCat] }), ok: 201, action: 'catalogue.publish' },
  // Annex 2–4 plans
  { op: 'GET /api/v1/plans', ok: 200, action: 'login' },
  { op: 'POST /api/v1/plans', body: () => planForm(4, { name: '矩阵测试草稿' }), ok: 201, action: 'plan4.write' },
  { op: 'POST /api/v1/plans', body: () => planForm(2, { name: '矩阵测试地方方案草稿' }), ok: 201, action: 'plan2.write' },
  // an Annex 3 plan's lead must hold a catalogued scheme: sCat is secfirm's; the insurer only joined it
  { op: 'POST /api/v1/plans', body: () => planForm(3, { name: '矩阵测试服务机构方案草稿', catalogue: M.sCat }), ok: 201,
    action: 'plan3.write', except: { insurer: 422, 'insurer-uw': 422 } },
  // submitted to Guangzhou, not yet forwarded: the province does not see it
  { op: 'GET /api/v1/plans/{id}', path: () => `/api/v1/plans/${M.p4}`, ok: 200, action: 'login', sees: [...P4, 'gz-city'] },
  { op: 'PATCH /api/v1/plans/{id}', path: () => `/api/v1/plans/${M.p4draft}`, body: () => ({ name: '矩阵测试企业方案（修改）' }),
    ok: 200, action: 'plan4.write', sees: P4 },
  { op: 'POST /api/v1/plans/{id}/confirm', path: () => `/api/v1/plans/${M.p4draft}/confirm`,
    body: () => ({ legal_representative: '法定代表人' }), ok: 200, action: 'unit.confirm', sees: P4 },
  { op: 'POST /api/v1/plans/{id}/submit', path: () => `/api/v1/plans/${M.p4draft}/submit`, body: () => ({}),
    ok: 200, action: 'plan4.write', sees: P4 },
  // only the authority holding a plan returns it (Hangzhou's, not the ministry)
  { op: 'POST /api/v1/plans/{id}/return', path: () => `/api/v1/plans/${M.p4hz}/return`, body: () => ({ comment: '请补充材料' }),
    ok: 200, action: 'plan.route', sees: [OPERATORS, 'ent-hz', 'insurer', 'hz-city'], acts: ['hz-city'] },
  // Annex 2 表2 from the Annex 4 plans received: for those who write Annex 2
  { op: 'GET /api/v1/plan-targets', path: () => '/api/v1/plan-targets?round_id=2024', ok: 200, action: 'plan2.write' },
  // packages and their routing
  { op: 'GET /api/v1/packages', path: () => '/api/v1/packages?box=inbox', ok: 200, action: 'login' },
  // cities and provinces assemble packages; the ministry receives them
  { op: 'POST /api/v1/packages', body: byCaller((w) => ({ round_id: '2024', plan_ids: [M.pool[w] ?? 1] })),
    ok: 201, action: 'plan.route', acts: [ofType('province', 'city')] },
  { op: 'GET /api/v1/packages/{id}', path: () => `/api/v1/packages/${M.kgz}`, ok: 200, action: 'login',
    sees: [OPERATORS, region('440100', ['province', 'city'])] },
  // Hangzhou holds its own package; forwarding it in time is pilot.test.mjs's, here the deadline has passed
  { op: 'POST /api/v1/packages/{id}/forward', path: () => `/api/v1/packages/${M.khz}/forward`, body: () => ({}),
    ok: 422, action: 'plan.route', sees: [OPERATORS, 'hz-city'], acts: ['hz-city'] },
  // Guangzhou's package is at the province now: the province returns it
  { op: 'POST /api/v1/packages/{id}/return', path: () => `/api/v1/packages/${M.kgz}/return`, body: () => ({ comment: '请补充盖章页' }),
    ok: 200, action: 'plan.route', sees: [OPERATORS, region('440100', ['province', 'city'])], acts: ['gd-prov'] },
  { op: 'GET /api/v1/extensions', ok: 200, action: 'login' },
  // the deadline summary_at_ministry is the ministry's to extend
  { op: 'POST /api/v1/extensions',
    body: () => ({ round_id: '2024', deadline: 'summary_at_ministry', org_id: M.entHz, until: '2024-12-31', reason: '矩阵测试' }),
    ok: 201, action: 'extension.grant', acts: ['miit'] },
  { op: 'GET /api/v1/extension-requests', ok: 200, action: 'login' },
  // each asks the authority that receives from it under plan_at_ministry: the ministry
  { op: 'POST /api/v1/extension-requests',
    body: () => ({ round_id: '2024', deadline: 'plan_at_ministry', until: '2024-12-31', reason: '矩阵测试' }), ok: 201, action: 'extension.ask' },
  // ent-hz asked the ministry: only the ministry answers it
  { op: 'POST /api/v1/extension-requests/{id}/decline', path: () => `/api/v1/extension-requests/${M.request}/decline`,
    body: () => ({ answer: '矩阵测试' }), ok: 200, action: 'extension.grant', sees: [OPERATORS, 'ent-hz'], acts: ['miit'] },
  // pilots, reports, summaries
  { op: 'GET /api/v1/pilots', ok: 200, action: 'login' },
  { op: 'POST /api/v1/pilots', body: () => ({ plan_id: M.toSelect, start_date: '2024-04-01' }), ok: 201, action: 'pilot.select' },
  { op: 'GET /api/v1/pilots/{id}', path: () => `/api/v1/pilots/${M.pilot}`, ok: 200, action: 'login', sees: SZ_PILOT },
  { op: 'POST /api/v1/pilots/{id}/exit', path: () => `/api/v1/pilots/${M.pilotExit}/exit`, body: () => ({ reason: '矩阵测试退出' }),
    ok: 200, action: 'pilot.exit', sees: SZ_PILOT },
  { op: 'GET /api/v1/reports', ok: 200, action: 'login' },
  { op: 'POST /api/v1/reports', body: () => ({ pilot_id: M.pilot, period: '2024Q2', ...figures, text: '进展。' }),
    ok: 201, action: 'report.write', sees: SZ_PILOT },
  { op: 'GET /api/v1/summaries', ok: 200, action: 'login' },
  { op: 'POST /api/v1/summaries', body: () => ({ round_id: '2024', level: 'pilot', pilot_id: M.pilot, ...sections }),
    ok: 201, action: 'summary.write', sees: SZ_PILOT },
  // Guangzhou's pilot summary went up to the province: the province holds it and forwards it
  { op: 'POST /api/v1/summaries/{id}/forward', path: () => `/api/v1/summaries/${M.summaryAtProvince}/forward`, body: () => ({}),
    ok: 200, action: 'plan.route', sees: [OPERATORS, 'gz-city', 'gd-prov'], acts: ['gd-prov'] },
  // the overdue list is the authorities' (a rule of pilot/run.c, not yet an action of the table)
  { op: 'GET /api/v1/overdue', path: () => '/api/v1/overdue?round_id=2024', ok: 200, action: 'login',
    acts: [OPERATORS, ofType('province', 'city', 'comm_admin')] },
  { op: 'GET /api/v1/todo', ok: 200, action: 'login' },
  // the 基础电信企业 flag: the operators and the province's 通信管理局
  { op: 'PUT /api/v1/organisations/{id}/telecom-operator', path: () => `/api/v1/organisations/${M.entHz}/telecom-operator`,
    body: () => ({ telecom_operator: false }), ok: 200, action: 'telecom.flag', sees: [OPERATORS, 'ent-hz', region('330106')] },
  { op: 'PUT /api/v1/organisations/{id}/telecom-operator', path: () => `/api/v1/organisations/${M.entTelecom}/telecom-operator`,
    body: () => ({ telecom_operator: true }), ok: 200, action: 'telecom.flag', sees: [OPERATORS, region('440104')] },
];
