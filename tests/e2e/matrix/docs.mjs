// docs.mjs — role-matrix rows of the pilot's documents, paper receipt and
// attachments (seal scans, copies of 证明材料)
// (tests/e2e/lib/matrix.mjs says what a row means). A document is seen
// exactly as its record is: the rows' `sees` are those of the records'
// own rows in pilot.mjs. setup() makes the records with receipt times
// inside the 2024 round (X-Test-Now); the matrix itself runs at the real
// clock.
import assert from 'node:assert/strict';
import { as, uniqueBody8 } from '../lib/http.mjs';
import { OPERATORS, ofType, region } from '../lib/matrix.mjs';
import { asAt, schemeForm, planForm, UNITS } from '../lib/pilot.mjs';

const M = {};

function okOf(r, status = 200) {
  assert.equal(r.status, status, `${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

// A PDF uploaded by who as an attachment of path (…/{id}/attachments?what=&item=); its id.
async function attached(S, who, path) {
  return okOf(await as(S[who], 'POST', `${path}&filename=seal.pdf`,
    { raw: '%PDF-1.4 matrix seal\n', headers: { 'content-type': 'application/pdf' } }), 201).id;
}

// An authority's own Annex 2, submitted (ready in its hands) at time.
async function ownPlan(S, who, time) {
  const p = okOf(await asAt(S[who], time, 'POST', '/api/v1/plans', planForm(2, { name: `矩阵文档工作方案${uniqueBody8()}` })), 201);
  okOf(await asAt(S[who], time, 'POST', `/api/v1/plans/${p.id}/submit`));
  return p.id;
}

// who's package of plans, forwarded at time; its id.
async function forwarded(S, who, plans, time) {
  const k = okOf(await asAt(S[who], time, 'POST', '/api/v1/packages', { round_id: '2024', plan_ids: plans }), 201);
  okOf(await asAt(S[who], time, 'POST', `/api/v1/packages/${k.id}/forward`));
  return k.id;
}

export async function setup(S) {
  // a draft scheme of secfirm's with the insurer
  M.s = okOf(await asAt(S.secfirm, '2024-01-20 09:00', 'POST', '/api/v1/schemes',
    schemeForm({ joint: [UNITS.insurer], name: `矩阵文档服务方案${uniqueBody8()}` })), 201).id;
  M.sa = await attached(S, 'secfirm', `/api/v1/schemes/${M.s}/attachments?what=seal&item=${UNITS.secfirm.uscc}`);
  // ent-gz's Annex 4 with secfirm, submitted to Guangzhou
  const p = okOf(await asAt(S['ent-gz'], '2024-02-10 09:00', 'POST', '/api/v1/plans',
    planForm(4, { joint: [UNITS.secfirm], name: `矩阵文档企业方案${uniqueBody8()}` })), 201);
  for (const u of ['ent-gz', 'secfirm'])
    okOf(await asAt(S[u], '2024-02-10 09:00', 'POST', `/api/v1/plans/${p.id}/confirm`, { legal_representative: '法定代表人' }));
  M.pa = await attached(S, 'ent-gz', `/api/v1/plans/${p.id}/attachments?what=seal&item=${UNITS.secfirm.uscc}`);
  okOf(await asAt(S['ent-gz'], '2024-02-10 09:10', 'POST', `/api/v1/plans/${p.id}/submit`));
  M.p4 = p.id;
  // Guangzhou's package at the province
  M.k = await forwarded(S, 'gz-city', [await ownPlan(S, 'gz-city', '2024-02-15 09:00')], '2024-02-20 09:00');
  // a Shenzhen pilot with a progress report and an annual summary
  const sz = await ownPlan(S, 'sz-city', '2024-02-25 09:00');
  await forwarded(S, 'sz-city', [sz], '2024-03-01 09:00');
  const pilot = okOf(await asAt(S.miit, '2024-03-20 09:00', 'POST', '/api/v1/pilots', { plan_id: sz, start_date: '2024-04-01' }), 201).id;
  M.report = okOf(await asAt(S['sz-city'], '2024-07-05 09:00', 'POST', '/api/v1/reports', {
    pilot_id: pilot, period: '2024Q2', insured_enterprises: 1, policies: 1, premium_fen: 100, sum_insured_fen: 1000,
    assessments: 1, alerts: 0, incidents: 0, claims_paid_fen: 0, text: '矩阵测试进展。' }), 201).id;
  M.summary = okOf(await asAt(S['sz-city'], '2024-11-05 09:00', 'POST', '/api/v1/summaries', {
    round_id: '2024', level: 'pilot', pilot_id: pilot, progress: '进展。', innovation: '创新。', services: '服务。' }), 201).id;
}

const SZ_PILOT = [OPERATORS, 'sz-city'];
const paper = () => ({ received_at: '2024-02-27 09:30', copies: 3 });

export const ROWS = [
  // documents: seen as their records are
  { op: 'GET /api/v1/schemes/{id}/document', path: () => `/api/v1/schemes/${M.s}/document?format=docx`, ok: 200,
    action: 'login', sees: [OPERATORS, 'secfirm', 'insurer'] },
  { op: 'GET /api/v1/plans/{id}/document', path: () => `/api/v1/plans/${M.p4}/document`, ok: 200,
    action: 'login', sees: [OPERATORS, 'ent-gz', 'secfirm', 'gz-city'] },
  { op: 'GET /api/v1/packages/{id}/document', path: () => `/api/v1/packages/${M.k}/document?format=xlsx`, ok: 200,
    action: 'login', sees: [OPERATORS, region('440100', ['province', 'city'])] },
  { op: 'GET /api/v1/catalogue/{round_id}/document', path: () => '/api/v1/catalogue/2024/document?format=xlsx', ok: 200,
    action: 'login' },
  { op: 'GET /api/v1/reports/{id}/document', path: () => `/api/v1/reports/${M.report}/document`, ok: 200,
    action: 'login', sees: SZ_PILOT },
  { op: 'GET /api/v1/summaries/{id}/document', path: () => `/api/v1/summaries/${M.summary}/document`, ok: 200,
    action: 'login', sees: SZ_PILOT },
  // the overdue list is the authorities' (a rule of pilot/overdue.c, as GET /api/v1/overdue)
  { op: 'GET /api/v1/overdue/{round_id}/document', path: () => '/api/v1/overdue/2024/document', ok: 200,
    action: 'login', acts: [OPERATORS, ofType('province', 'city', 'comm_admin')] },
  // paper arrives where the record was sent: the table first, then the hop to the caller's
  // organisation (404 for any other, the ministry included); once per hop, so Guangzhou's
  // second user finds it recorded (409)
  { op: 'POST /api/v1/plans/{id}/paper', path: () => `/api/v1/plans/${M.p4}/paper`, body: paper, ok: 201,
    action: 'paper.receive', roleFirst: true, sees: ['gz-city'], except: { 'gz-city-member': 409 } },
  { op: 'POST /api/v1/packages/{id}/paper', path: () => `/api/v1/packages/${M.k}/paper`, body: paper, ok: 201,
    action: 'paper.receive', roleFirst: true, sees: ['gd-prov'] },
  // attachments: uploaded by the record's author while it edits it (a JSON body is not a
  // PDF, JPEG or PNG: 422 for the one who gets that far; the submitted plan: 409), read as
  // the record is
  { op: 'POST /api/v1/schemes/{id}/attachments', path: () => `/api/v1/schemes/${M.s}/attachments?what=seal&item=${UNITS.insurer.uscc}&filename=a.pdf`,
    body: () => ({ not: 'a pdf' }), ok: 422, action: 'scheme.write', sees: [OPERATORS, 'secfirm', 'insurer'], acts: ['secfirm'] },
  { op: 'POST /api/v1/plans/{id}/attachments', path: () => `/api/v1/plans/${M.p4}/attachments?what=seal&item=${UNITS.secfirm.uscc}&filename=a.pdf`,
    body: () => ({ not: 'a pdf' }), ok: 409, action: 'plan4.write', sees: [OPERATORS, 'ent-gz', 'secfirm', 'gz-city'], acts: ['ent-gz'] },
  { op: 'GET /api/v1/schemes/{id}/attachments/{attachment_id}', path: () => `/api/v1/schemes/${M.s}/attachments/${M.sa}`, ok: 200,
    action: 'login', sees: [OPERATORS, 'secfirm', 'insurer'] },
  { op: 'GET /api/v1/plans/{id}/attachments/{attachment_id}', path: () => `/api/v1/plans/${M.p4}/attachments/${M.pa}`, ok: 200,
    action: 'login', sees: [OPERATORS, 'ent-gz', 'secfirm', 'gz-city'] },
];
