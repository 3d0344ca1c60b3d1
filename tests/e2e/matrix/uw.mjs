// uw.mjs — role-matrix rows of underwriting: products, the questionnaire,
// assessments, quotes and referrals, policies (the row format and how each
// caller's answer follows from core/authz.c: tests/e2e/lib/matrix.mjs).
//
// A write that may succeed only once per record (bind, decide a referral,
// endorse, cancel) takes a fresh record on every call of its path function:
// setup() prepares pools of them, so the row holds however many callers
// are allowed.
import assert from 'node:assert/strict';
import { as } from '../lib/http.mjs';
import { OPERATORS, engageSecfirm } from '../lib/matrix.mjs';

export const ID = {};

let n = 0;
const uniq = () => `uw${Date.now() % 100000}x${++n}`;

// A pool handing out a fresh id per call (the last one again when empty).
function pool(ids) {
  let i = 0;
  return () => ids[Math.min(i++, ids.length - 1)];
}

// An enterprise product of the demo insurer (fen: ¥10k/¥50k retentions, ¥1M–¥5M limits).
export const productBody = (name) => ({
  name, class: 'enterprise', target_industries: ['industrial_internet', 'other'],
  description: '矩阵测试产品', bi_waiting_hours: 12,
  retention_options: [1000000, 5000000], limit_options: [100000000, 300000000, 500000000],
  coverages: [{ code: 'bi' }, { code: 'data', sublimit: 200000000 }, { code: 'ir' }, { code: 'breach' }],
});

// The best answer to every base question of the questionnaire (a grade A firm).
export async function bestAnswers(session) {
  const q = await as(session, 'GET', '/api/v1/assessments/questionnaire');
  assert.equal(q.status, 200, q.text);
  const answers = {};
  for (const x of q.json.questions) {
    if (x.module) continue;
    if (x.type === 'ynp') answers[x.id] = 'yes';
    else if (x.type === 'choice') answers[x.id] = x.options.find((o) => o.score === 1).code;
    else answers[x.id] = x.number.score_at_max === 1 ? x.number.max : x.number.min;
  }
  return answers;
}

// Exact integer arithmetic of the server's pro rata: round half away from zero of a × num / den.
export function proRata(a, num, den) {
  const p = BigInt(a) * BigInt(num), d = BigInt(den);
  let q = p / d;
  let r = p % d;
  if (r < 0n) r = -r;
  if (2n * r >= d) q += p < 0n ? -1n : 1n;
  return Number(q);
}

async function ok(r, status) {
  assert.equal(r.status, status, r.text);
  return r.json;
}

export async function newProduct(S, filed) {
  const p = await ok(await as(S.insurer, 'POST', '/api/v1/products', { body: productBody(`矩阵产品${uniq()}`) }), 201);
  if (filed) await ok(await as(S.insurer, 'POST', `/api/v1/products/${p.id}/filing`, { body: { filing_no: `矩阵备案${uniq()}`, filing_date: '2024-03-01' } }), 200);
  return p.id;
}

async function assessment(session, body, { findings, submit } = {}) {
  const a = await ok(await as(session, 'POST', '/api/v1/assessments', { body }), 201);
  if (findings) await ok(await as(session, 'POST', `/api/v1/assessments/${a.id}/findings`, { body: { findings } }), 200);
  if (submit) await ok(await as(session, 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
  return a.id;
}

const quoteBody = (product, assessment) => ({ product_id: product, assessment_id: assessment, revenue: 20000000000, aggregate_limit: 300000000, retention: 1000000 });

async function quotes(S, k, product, assessment, status) {
  const ids = [];
  for (let i = 0; i < k; i++) {
    const q = await ok(await as(S['ent-gz'], 'POST', '/api/v1/quotes', { body: quoteBody(product, assessment) }), 201);
    assert.equal(q.status, status, JSON.stringify(q.breakdown?.rules));
    ids.push(q.id);
  }
  return ids;
}

async function policies(S, k, product, assessment) {
  const ids = [];
  for (const q of await quotes(S, k, product, assessment, 'quoted'))
    ids.push((await ok(await as(S['ent-gz'], 'POST', `/api/v1/quotes/${q}/bind`), 201)).id);
  return ids;
}

// Dates a week and a month after the policies' start (tomorrow): within every period.
function dayAfter(days) {
  const d = new Date(Date.now() + 8 * 3600e3 + days * 86400e3);
  return d.toISOString().slice(0, 10);
}

export async function setup(S) {
  ID.entGz = S['ent-gz'].me.organisation.id;
  ID.entHz = S['ent-hz'].me.organisation.id;
  // secfirm acts for ent-gz under its engagement (docs/platform.md, Engagements); ent-hz engaged nobody
  await engageSecfirm(S);
  ID.product = await newProduct(S, true);
  ID.productForVersion = await newProduct(S, true);
  ID.draft = await newProduct(S, false);
  ID.draftToFile = await newProduct(S, false);
  const best = await bestAnswers(S['ent-gz']);
  ID.clean = await assessment(S['ent-gz'], { answers: best }, { submit: true });
  ID.kev = await assessment(S['ent-gz'], { answers: best }, {
    findings: [{ asset: 'vpn.matrix.example.cn', port: 443, cve: 'CVE-2024-3400', cvss: 10, epss: 0.96, kev: true, first_seen: '2024-04-12' }],
    submit: true,
  });
  ID.bySecfirm = await assessment(S.secfirm, { org_id: ID.entGz, answers: best }, { submit: true });
  ID.draftAssessment = await assessment(S['ent-gz'], { answers: { ic_mfa_email: 'yes' } });
  const drafts = [];
  for (let i = 0; i < 32; i++) drafts.push(await assessment(S['ent-gz'], { answers: best }));
  ID.toSubmit = pool(drafts);
  ID.quote = (await quotes(S, 1, ID.product, ID.clean, 'quoted'))[0];
  ID.toBind = pool(await quotes(S, 32, ID.product, ID.clean, 'quoted'));
  ID.referred = pool(await quotes(S, 32, ID.product, ID.kev, 'referred'));
  ID.policy = (await policies(S, 1, ID.product, ID.clean))[0];
  ID.toEndorse = pool(await policies(S, 32, ID.product, ID.clean));
  ID.toCancel = pool(await policies(S, 32, ID.product, ID.clean));
  ID.toRenew = (await policies(S, 1, ID.product, ID.clean))[0];
  ID.newer = await assessment(S['ent-gz'], { answers: best }, { submit: true });
}

const indicative = () => ({ indicative: true, product_id: ID.product, industry: 'C', revenue: 20000000000, aggregate_limit: 300000000, retention: 1000000, grade: 'B' });

// Who sees the records the rows act on.
const INSURER = [OPERATORS, 'insurer']; // a draft product: its insurer and the operators
const ENT_GZ = [OPERATORS, 'ent-gz']; // ent-gz's own assessments, quotes, policies ...
const WITH_INSURER = [...ENT_GZ, 'insurer']; // ... that went to the insurer
const BY_SECFIRM = [...WITH_INSURER, 'secfirm']; // ... with its service organisation

// One row per operation (the row format: tests/e2e/lib/matrix.mjs).
export const ROWS = [
  // products: every logged-in caller reads what is on sale; the insurer manages its own
  { op: 'GET /api/v1/products', ok: 200, action: 'product.read' },
  { op: 'POST /api/v1/products', body: () => productBody(`矩阵新产品${uniq()}`), ok: 201, action: 'product.manage' },
  { op: 'GET /api/v1/products/{id}', path: () => `/api/v1/products/${ID.product}`, ok: 200, action: 'product.read' },
  { op: 'GET /api/v1/products/{id}', path: () => `/api/v1/products/${ID.draft}`, ok: 200, action: 'product.read', sees: INSURER },
  { op: 'PATCH /api/v1/products/{id}', path: () => `/api/v1/products/${ID.draft}`, body: () => ({ description: `改${uniq()}` }),
    ok: 200, action: 'product.manage', sees: INSURER },
  // once the insurer (before them in WHO) has filed it, the version is on sale: the callers
  // after it see it, and are refused the filing by role
  { op: 'POST /api/v1/products/{id}/filing', path: () => `/api/v1/products/${ID.draftToFile}/filing`,
    body: () => ({ filing_no: `矩阵备案${uniq()}`, filing_date: '2024-05-01' }), ok: 200, action: 'product.file', sees: INSURER,
    except: { secfirm: 403, 'ent-gz': 403, 'ent-hz': 403, expert2: 403 } },
  { op: 'POST /api/v1/products/{id}/versions', path: () => `/api/v1/products/${ID.productForVersion}/versions`,
    ok: 201, action: 'product.file', acts: ['insurer'] },
  { op: 'GET /api/v1/products/{id}/rate-table', path: () => `/api/v1/products/${ID.product}/rate-table?industry=C`,
    ok: 200, action: 'product.read' },
  // the questionnaire and assessments: the enterprise and its service organisation
  { op: 'GET /api/v1/assessments/questionnaire', ok: 200, action: 'login' },
  { op: 'GET /api/v1/assessments', ok: 200, action: 'assessment.read' },
  // for ent-gz: itself, or its service organisation; another enterprise is refused
  { op: 'POST /api/v1/assessments', body: () => ({ org_id: ID.entGz, flags: ['cloud'] }), ok: 201, action: 'assessment.write',
    acts: ['ent-gz', 'secfirm'] },
  // a service organisation acts only for an enterprise that engaged it: ent-hz did not engage
  // secfirm, so to secfirm it is not there (404)
  { op: 'POST /api/v1/assessments', body: () => ({ org_id: ID.entHz, flags: ['cloud'] }), ok: 201, action: 'assessment.write',
    acts: ['ent-hz'], except: { secfirm: 404 } },
  { op: 'GET /api/v1/assessments/{id}', path: () => `/api/v1/assessments/${ID.kev}`, ok: 200, action: 'assessment.read', sees: WITH_INSURER },
  { op: 'PATCH /api/v1/assessments/{id}', path: () => `/api/v1/assessments/${ID.draftAssessment}`,
    body: () => ({ answers: { ic_phishing: 'partial' } }), ok: 200, action: 'assessment.write', sees: ENT_GZ },
  { op: 'POST /api/v1/assessments/{id}/findings', path: () => `/api/v1/assessments/${ID.draftAssessment}/findings`,
    body: () => ({ csv: 'asset,port,cvss,first_seen\nwww.matrix.example.cn,443,5.3,2025-01-02\n' }),
    ok: 200, action: 'assessment.write', sees: ENT_GZ },
  { op: 'POST /api/v1/assessments/{id}/submit', path: () => `/api/v1/assessments/${ID.toSubmit()}/submit`,
    ok: 200, action: 'assessment.write', sees: ENT_GZ },
  // quotes: the insured (or its service organisation) applies; insurers and the operators price indicatively
  { op: 'GET /api/v1/quotes', ok: 200, action: 'quote.read' },
  { op: 'POST /api/v1/quotes', body: () => quoteBody(ID.product, ID.bySecfirm), ok: 201, action: 'quote.apply',
    sees: [...ENT_GZ, 'secfirm'], roleFirst: true },
  { op: 'POST /api/v1/quotes', body: indicative, ok: 200, action: 'quote.price' },
  { op: 'GET /api/v1/quotes/{id}', path: () => `/api/v1/quotes/${ID.quote}`, ok: 200, action: 'quote.read', sees: WITH_INSURER },
  { op: 'POST /api/v1/quotes/{id}/referral', path: () => `/api/v1/quotes/${ID.referred()}/referral`,
    body: () => ({ decision: 'approve', note: '矩阵：同意承保' }), ok: 200, action: 'referral.decide', sees: WITH_INSURER },
  { op: 'POST /api/v1/quotes/{id}/bind', path: () => `/api/v1/quotes/${ID.toBind()}/bind`, ok: 201, action: 'quote.bind', sees: WITH_INSURER },
  // policies: the insurer and the insured
  { op: 'GET /api/v1/policies', ok: 200, action: 'policy.read' },
  { op: 'GET /api/v1/policies/{id}', path: () => `/api/v1/policies/${ID.policy}`, ok: 200, action: 'policy.read', sees: WITH_INSURER },
  { op: 'POST /api/v1/policies/{id}/endorsements', path: () => `/api/v1/policies/${ID.toEndorse()}/endorsements`,
    body: () => ({ effective_date: dayAfter(30), aggregate_limit: 500000000, note: '矩阵批改' }),
    ok: 201, action: 'policy.endorse', sees: WITH_INSURER },
  { op: 'POST /api/v1/policies/{id}/cancellation', path: () => `/api/v1/policies/${ID.toCancel()}/cancellation`,
    body: () => ({ effective_date: dayAfter(60), reason: 'insured_request', note: '矩阵退保' }), ok: 200, action: 'policy.cancel', sees: WITH_INSURER },
  // previews price the change and store nothing (200): the same callers as the change itself
  { op: 'POST /api/v1/policies/{id}/endorsements', path: () => `/api/v1/policies/${ID.policy}/endorsements`,
    body: () => ({ effective_date: dayAfter(30), retention: 5000000, preview: true }), ok: 200, action: 'policy.endorse', sees: WITH_INSURER },
  { op: 'POST /api/v1/policies/{id}/cancellation', path: () => `/api/v1/policies/${ID.policy}/cancellation`,
    body: () => ({ effective_date: dayAfter(60), reason: 'replaced', preview: true }), ok: 200, action: 'policy.cancel', sees: WITH_INSURER },
  // what a renewal needs: the insured's to ask
  { op: 'GET /api/v1/policies/{id}/renewal', path: () => `/api/v1/policies/${ID.toRenew}/renewal`, ok: 200, action: 'policy.renew', sees: WITH_INSURER },
  { op: 'POST /api/v1/policies/{id}/renewal', path: () => `/api/v1/policies/${ID.toRenew}/renewal`,
    body: () => ({ assessment_id: ID.newer }), ok: 201, action: 'policy.renew', sees: WITH_INSURER },
];
