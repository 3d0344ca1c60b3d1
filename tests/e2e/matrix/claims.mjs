// claims.mjs — role-matrix rows of claims: incidents, claims and every write
// on them, response tasks, the panel, the figures (the row format and how each
// caller's answer follows from core/authz.c: tests/e2e/lib/matrix.mjs).
//
// The claims are ent-gz's under a policy of the insurer bound at a test clock
// in 2025 (tests/e2e/lib/claims.mjs), secfirm assigned to the one the reads and
// the responder's rows act on. A write that may succeed only once per record
// (assign a service, close, reopen, remove a line item) takes a fresh record
// on every call of its path function.
import { as, makeUscc, uniqueBody8 } from '../lib/http.mjs';
import { OPERATORS } from '../lib/matrix.mjs';
import { at, ok, claimsProduct, policyFor, panelEntry } from '../lib/claims.mjs';

export const ID = {};

// A pool handing out a fresh id per call (the last one again when empty).
function pool(ids) {
  let i = 0;
  return () => ids[Math.min(i++, ids.length - 1)];
}

// A distinct incident of ent-gz per call: discovered a minute apart in May 2025.
let minute = 0;
function notice() {
  minute += 1;
  const hh = String(8 + Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return { incident_type: 'data_breach', discovered_at: `2025-05-20 ${hh}:${mm}`, description: '矩阵测试事件',
    estimates: [{ coverage: 'breach', amount: 1000000 }] };
}

async function claim(S) {
  const n = await ok(await at(S['ent-gz'], '2025-05-21 09:00', 'POST', '/api/v1/incidents', { body: notice() }), 201);
  return n.policies[0].claim_id;
}

async function claims(S, k, then) {
  const ids = [];
  for (let i = 0; i < k; i++) {
    const id = await claim(S);
    if (then) await then(id);
    ids.push(id);
  }
  return ids;
}

const evidencePath = (claim) => `/api/v1/claims/${claim}/evidence?filename=row.json&description=${encodeURIComponent('矩阵证据')}&method=export`;
const item = (amount = 1000000) => ({ coverage: 'breach', description: '矩阵定损明细', amount });

export async function setup(S) {
  const product = await claimsProduct(S.insurer);
  await policyFor(S['ent-gz'], product, { limit: 200000000 });
  ID.secfirm = S.secfirm.me.organisation.id;
  ID.panel = (await panelEntry(S.insurer, ID.secfirm)).id;
  const other = await ok(await as(S.miit, 'POST', '/api/v1/organisations', {
    body: { name: `矩阵服务机构${Date.now() % 100000}`, type: 'service_org', uscc: makeUscc('91', '440106', uniqueBody8()),
      region_code: '440106', nature: 'private' },
  }), 201);
  ID.otherService = other.id;
  // the claim the reads and the responder act on: secfirm assigned, a task, an item, liability
  ID.claim = await claim(S);
  const c = await ok(await as(S.insurer, 'POST', `/api/v1/claims/${ID.claim}/assignments`, { body: { service_org_id: ID.secfirm, service: 'response' } }), 201);
  ID.incident = c.incident_id;
  const t = await ok(await as(S.secfirm, 'POST', `/api/v1/claims/${ID.claim}/tasks`, { body: { title: '矩阵任务', minutes: 60 } }), 201);
  ID.task = t.tasks[0].id;
  await ok(await as(S.insurer, 'POST', `/api/v1/claims/${ID.claim}/line-items`, { body: item() }), 201);
  await ok(await as(S.insurer, 'POST', `/api/v1/claims/${ID.claim}/liability`, { body: {} }), 201);
  const items = [];
  for (let i = 0; i < 16; i++) {
    const x = await ok(await as(S.insurer, 'POST', `/api/v1/claims/${ID.claim}/line-items`, { body: item(1) }), 201);
    items.push(x.line_items[x.line_items.length - 1].id);
  }
  ID.toRemove = pool(items);
  // an evidence item of ent-gz's on the claim (the matrix sends JSON bodies: a JSON file)
  const ev = await ok(await as(S['ent-gz'], 'POST', evidencePath(ID.claim), { body: { evidence: 1 } }), 201);
  ID.evidence = ev.id;
  // a settled claim with room for many small payments
  ID.settled = await claim(S);
  await ok(await as(S.insurer, 'POST', `/api/v1/claims/${ID.settled}/line-items`, { body: item(90000000) }), 201);
  await ok(await as(S.insurer, 'POST', `/api/v1/claims/${ID.settled}/liability`, { body: {} }), 201);
  await ok(await as(S.insurer, 'POST', `/api/v1/claims/${ID.settled}/settlement`, { body: {} }), 201);
  ID.toAssign = pool(await claims(S, 16));
  ID.toClose = pool(await claims(S, 16));
  ID.toReopen = pool(await claims(S, 16, async (id) => {
    await ok(await as(S.insurer, 'POST', `/api/v1/claims/${id}/close`, { body: { reason: '矩阵结案' } }), 200);
  }));
}

// Who sees what: the insured, its insurer, the operators; and secfirm where it is assigned.
const PARTIES = [OPERATORS, 'ent-gz', 'insurer'];
const WITH_RESPONDER = [...PARTIES, 'secfirm'];

// One row per operation (the row format: tests/e2e/lib/matrix.mjs).
export const ROWS = [
  { op: 'GET /api/v1/incidents', ok: 200, action: 'claim.read' },
  // ent-hz holds no policy on this platform: its notice is refused by the rule, past the table;
  // secfirm reports only for an enterprise that engaged it, named in org_id (claims.test.mjs)
  { op: 'POST /api/v1/incidents', body: notice, ok: 201, action: 'claim.notify', except: { 'ent-hz': 422, secfirm: 422 } },
  { op: 'GET /api/v1/incidents/{id}', path: () => `/api/v1/incidents/${ID.incident}`, ok: 200, action: 'claim.read', sees: PARTIES },
  { op: 'GET /api/v1/claims', ok: 200, action: 'claim.read' },
  { op: 'GET /api/v1/claims/rules', ok: 200, action: 'login' },
  { op: 'GET /api/v1/claims/tasks', ok: 200, action: 'claim.read' },
  { op: 'GET /api/v1/claims/figures', ok: 200, action: 'claim.figures' },
  { op: 'GET /api/v1/claims/{id}', path: () => `/api/v1/claims/${ID.claim}`, ok: 200, action: 'claim.read', sees: WITH_RESPONDER },
  { op: 'POST /api/v1/claims/{id}/timeline', path: () => `/api/v1/claims/${ID.claim}/timeline`, body: () => ({ text: '矩阵记录' }),
    ok: 201, action: 'claim.note', sees: WITH_RESPONDER },
  { op: 'POST /api/v1/claims/{id}/assignments', path: () => `/api/v1/claims/${ID.toAssign()}/assignments`,
    body: () => ({ service_org_id: ID.secfirm, service: 'forensics' }), ok: 201, action: 'claim.assign', sees: PARTIES },
  { op: 'POST /api/v1/claims/{id}/tasks', path: () => `/api/v1/claims/${ID.claim}/tasks`, body: () => ({ title: '矩阵新任务', minutes: 30 }),
    ok: 201, action: 'claim.respond', sees: WITH_RESPONDER },
  { op: 'PATCH /api/v1/claims/{id}/tasks/{sub}', path: () => `/api/v1/claims/${ID.claim}/tasks/${ID.task}`, body: () => ({ minutes: 90 }),
    ok: 200, action: 'claim.respond', sees: WITH_RESPONDER },
  { op: 'POST /api/v1/claims/{id}/liability', path: () => `/api/v1/claims/${ID.claim}/liability`, body: () => ({}),
    ok: 201, action: 'claim.adjust', sees: WITH_RESPONDER },
  { op: 'POST /api/v1/claims/{id}/line-items', path: () => `/api/v1/claims/${ID.claim}/line-items`, body: () => item(1),
    ok: 201, action: 'claim.adjust', sees: WITH_RESPONDER },
  { op: 'DELETE /api/v1/claims/{id}/line-items/{sub}', path: () => `/api/v1/claims/${ID.claim}/line-items/${ID.toRemove()}`,
    ok: 200, action: 'claim.adjust', sees: WITH_RESPONDER },
  { op: 'POST /api/v1/claims/{id}/settlement', path: () => `/api/v1/claims/${ID.claim}/settlement`, body: () => ({ preview: true }),
    ok: 200, action: 'claim.settle', sees: WITH_RESPONDER },
  { op: 'POST /api/v1/claims/{id}/reserves', path: () => `/api/v1/claims/${ID.claim}/reserves`, body: () => ({ amount: 1000000, reason: '矩阵准备金' }),
    ok: 201, action: 'claim.adjust', sees: WITH_RESPONDER },
  { op: 'POST /api/v1/claims/{id}/payments', path: () => `/api/v1/claims/${ID.settled}/payments`, body: () => ({ kind: 'partial', amount: 100 }),
    ok: 201, action: 'claim.pay', sees: PARTIES },
  { op: 'POST /api/v1/claims/{id}/recoveries', path: () => `/api/v1/claims/${ID.settled}/recoveries`, body: () => ({ source: 'salvage', amount: 100 }),
    ok: 201, action: 'claim.pay', sees: PARTIES },
  { op: 'POST /api/v1/claims/{id}/close', path: () => `/api/v1/claims/${ID.toClose()}/close`, body: () => ({ reason: '矩阵结案' }),
    ok: 200, action: 'claim.close', sees: PARTIES },
  { op: 'POST /api/v1/claims/{id}/reopen', path: () => `/api/v1/claims/${ID.toReopen()}/reopen`, body: () => ({ reason: '矩阵重开' }),
    ok: 200, action: 'claim.close', sees: PARTIES },
  // secfirm is assigned to the claim but ent-gz has not engaged it for claims: the engagement
  // check refuses it (claims.test.mjs adds its evidence once engaged)
  { op: 'POST /api/v1/claims/{id}/evidence', path: () => evidencePath(ID.claim), body: () => ({ row: 1 }),
    ok: 201, action: 'claim.evidence', sees: WITH_RESPONDER, except: { secfirm: 403 } },
  { op: 'GET /api/v1/claims/{id}/evidence', path: () => `/api/v1/claims/${ID.claim}/evidence`, ok: 200, action: 'claim.read',
    sees: WITH_RESPONDER },
  { op: 'GET /api/v1/claims/{id}/evidence/{sub}/content', path: () => `/api/v1/claims/${ID.claim}/evidence/${ID.evidence}/content`,
    ok: 200, action: 'claim.read', sees: WITH_RESPONDER },
  { op: 'POST /api/v1/claims/{id}/evidence/{sub}/custody', path: () => `/api/v1/claims/${ID.claim}/evidence/${ID.evidence}/custody`,
    body: () => ({ from_holder: '企业', to_holder: '保险公司', method: '当面' }), ok: 201, action: 'claim.evidence',
    sees: WITH_RESPONDER, except: { secfirm: 403 } },
  { op: 'GET /api/v1/panel', ok: 200, action: 'panel.read' },
  // the one service organisation not on the panel yet: the insurer's admin adds it once
  { op: 'POST /api/v1/panel', body: () => ({ service_org_id: ID.otherService, services: ['legal'], hourly_rate: 90000 }),
    ok: 201, action: 'panel.manage' },
  { op: 'PATCH /api/v1/panel/{id}', path: () => `/api/v1/panel/${ID.panel}`, body: () => ({ note: '矩阵修改' }),
    ok: 200, action: 'panel.manage', sees: [OPERATORS, 'insurer', 'secfirm'] },
];
