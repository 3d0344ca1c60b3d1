// monitor.test.mjs — in-force monitoring through a real server (issue 15,
// docs/monitoring.md): the five demo enterprises insured on the demo product
// with their demo stacks; a STIX bundle whose vulnerability affects PAN-OS —
// declared by 3 of the 5 — raises exactly 3 alerts to the insurer, 3 tasks
// and 3 signed webhook deliveries (one receiver failing twice first) and
// moves the 3 scores by the rules' points; closing a task with evidence
// restores the score, and the renewal quote of that insured is priced at
// the grade of the moment. Bad feeds, unknown vendors, a repeated source id
// and an oversize batch are refused naming the field, leaving nothing. A
// service organisation sees and assesses an enterprise only once engaged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { as, assertError, login } from './lib/http.mjs';
import { bestAnswers } from './matrix/uw.mjs';

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
// The policies start today (Beijing), so they are in force while the test runs (webhook
// deliveries go out on the server's clock); they are cancelled from today when it ends, so
// the book in force is as the other suites expect.
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const asAt = as;
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const ok = (r, status) => { assert.equal(r.status, status, r.text); return r.json; };
const signature = (secret, ts, body) => 'sha256=' + crypto.createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');

// The questionnaire's thresholds (docs/underwriting.md): A ≥ 85, B ≥ 70, C ≥ 55, D ≥ 40.
const gradeOf = (score) => (score >= 85 ? 'A' : score >= 70 ? 'B' : score >= 55 ? 'C' : score >= 40 ? 'D' : 'E');
const worse = (a, b) => (a > b ? a : b);
const CRITICAL_POINTS = 15; // data/monitor/rules.json
const ENTS = ['ent-gz', 'ent-gz-health', 'ent-sz', 'ent-telecom', 'ent-hz'];
const PANOS = ['ent-gz', 'ent-sz', 'ent-telecom']; // data/demo/monitor.json: paloalto declared

const S = {}; // sessions now
const L = {}; // sessions at T
const X = {};
let rx;

function receiver(rule) {
  const got = [];
  const server = http.createServer((req, res) => {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      const delivery = Number(req.headers['x-cyberins-delivery']);
      const seen = got.filter((g) => g.delivery === delivery).length + 1;
      const status = rule(delivery, seen, got);
      got.push({ delivery, status, headers: req.headers, body });
      res.writeHead(status).end('ok');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, got, url: `http://127.0.0.1:${server.address().port}` })));
}

async function until(what, fn, ms = 30000) {
  for (let waited = 0; waited < ms; waited += 100) {
    const v = await fn();
    if (v) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const uuid = () => crypto.randomUUID();
const STIX_T = { spec_version: '2.1', created: '2026-01-02T03:04:05.000Z', modified: '2026-01-02T03:04:05.000Z' };
function bundle(vulnId, cve, cpe) {
  const sw = `software--${uuid()}`;
  return {
    type: 'bundle', id: `bundle--${uuid()}`, objects: [
      { type: 'vulnerability', id: vulnId, ...STIX_T, name: `PAN-OS GlobalProtect 命令注入 ${cve}`, x_cyberins_severity: 'critical',
        external_references: [{ source_name: 'cve', external_id: cve }] },
      { type: 'software', id: sw, name: 'PAN-OS', cpe },
      { type: 'relationship', id: `relationship--${uuid()}`, ...STIX_T, relationship_type: 'has', source_ref: sw, target_ref: vulnId },
      { type: 'indicator', id: `indicator--${uuid()}`, ...STIX_T, pattern: "[ipv4-addr:value = '203.0.113.5']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z' },
    ],
  };
}

// An assessment of session's enterprise with answers, submitted: its record.
async function assessed(session, answers) {
  const a = ok(await as(session, 'POST', '/api/v1/assessments', { body: { answers } }), 201);
  return ok(await as(session, 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
}

before(async () => {
  for (const u of ['insurer', 'secfirm', 'miit', ...ENTS]) {
    S[u] = await login(u);
    L[u] = S[u];
  }
  const products = ok(await as(S.insurer, 'GET', '/api/v1/products?limit=500'), 200).items;
  X.product = products.find((p) => p.name === '网络安全保险（企业版）示范产品' && p.status === 'active').id;
  const best = await bestAnswers(S['ent-gz']);
  // ent-gz answers as its demo assessment did (grade B); the others the best answers (100, A)
  const demoAnswers = ok(await as(S['ent-gz'], 'GET', '/api/v1/assessments/1'), 200).answers;
  // start from no open task (the role matrix leaves some of ent-gz's)
  for (const u of ENTS)
    for (const t of ok(await as(S[u], 'GET', `/api/v1/monitor/tasks?status=open&org_id=${S[u].me.organisation.id}&limit=500`), 200).items)
      ok(await as(S[u], 'POST', `/api/v1/monitor/tasks/${t.id}/close`, { body: { evidence_note: '测试前清理' } }), 200);
  X.base = {};
  X.policy = {};
  for (const u of ENTS) {
    const a = await assessed(S[u], u === 'ent-gz' ? demoAnswers : best);
    let q = ok(await as(S[u], 'POST', '/api/v1/quotes', { body: { product_id: X.product, assessment_id: a.id, revenue: 20000000000, aggregate_limit: 300000000, retention: 1000000, start_date: today() } }), 201);
    if (q.status === 'referred') ok(await as(S.insurer, 'POST', `/api/v1/quotes/${q.id}/referral`, { body: { decision: 'approve', note: '监测测试：同意' } }), 200);
    X.policy[u] = ok(await as(S[u], 'POST', `/api/v1/quotes/${q.id}/bind`), 201);
    // the latest assessment: the base of the continuous score (a renewal needs one after the policy's)
    const b = await assessed(S[u], u === 'ent-gz' ? demoAnswers : best);
    X.base[u] = { id: b.id, score: b.score, grade: b.grade };
  }
  assert.equal(X.base['ent-gz'].grade, 'B');
  assert.equal(gradeOf(X.base['ent-gz'].score - CRITICAL_POINTS), 'C'); // a critical task costs it a grade
  assert.equal(X.base['ent-sz'].score, 100);
  // the insurer's webhook receiver: the first delivery it sees fails twice
  rx = await receiver((delivery, seen, got) => (delivery === got.concat([{ delivery }])[0].delivery && seen <= 2 ? 500 : 200));
});

after(async () => {
  if (X.hook) await as(S.insurer, 'DELETE', `/api/v1/webhooks/${X.hook.id}`);
  rx?.server.close();
  for (const u of ENTS)
    if (X.policy?.[u]) ok(await as(S.insurer, 'POST', `/api/v1/policies/${X.policy[u].id}/cancellation`, { body: { effective_date: today(), reason: 'other', note: '监测测试结束' } }), 200);
});

const orgId = (u) => S[u].me.organisation.id;

test('the vendor catalogue and the demo stacks', async () => {
  const v = ok(await as(S['ent-gz'], 'GET', '/api/v1/vendors'), 200);
  assert.equal(v.version, '2026.1');
  assert.deepEqual(v.categories.map((c) => c.code), ['cloud', 'os', 'vpn', 'email', 'software']);
  assert.deepEqual(v.vendors.find((x) => x.code === 'aliyun'), { code: 'aliyun', category: 'cloud', name_zh: '阿里云', name_en: 'Alibaba Cloud' });
  const e = ok(await as(S['ent-gz'], 'GET', `/api/v1/monitor/enterprises/${orgId('ent-gz')}`), 200);
  assert.deepEqual(e.stack.map((s) => s.vendor), ['aliyun', 'exmail_qq', 'linux', 'paloalto', 'yonyou_nc']);
  assert.equal(e.stack.find((s) => s.vendor === 'paloalto').version, '10.2.9');
  assert.deepEqual([e.score.score, e.score.grade, e.score.penalty, e.score.open_tasks], [X.base['ent-gz'].score, 'B', 0, 0]);
  assertError(await as(S['ent-hz'], 'GET', `/api/v1/monitor/enterprises/${orgId('ent-gz')}`), 404, 'not_found', 'id');
  // an unknown code is refused with the nearest one suggested; nothing changes
  const r = await as(S['ent-hz'], 'PUT', `/api/v1/monitor/enterprises/${orgId('ent-hz')}/stack`, { body: { stack: [{ vendor: 'aliyun' }, { vendor: 'fortinte', version: '7.0' }] } });
  assertError(r, 422, 'vendor_unknown', 'stack[1].vendor');
  assert.match(r.json.error.message, /是否指 fortinet（飞塔 FortiOS \/ FortiGate）？ \/ the catalogue has no fortinte: did you mean fortinet/);
  assertError(await as(S['ent-hz'], 'PUT', `/api/v1/monitor/enterprises/${orgId('ent-hz')}/stack`, { body: { stack: [{ vendor: 'aliyun' }, { vendor: 'aliyun' }] } }), 422, 'vendor_repeated', 'stack[1].vendor');
  assertError(await as(S['ent-hz'], 'PUT', `/api/v1/monitor/enterprises/${orgId('ent-hz')}/stack`, { body: { stack: [{ vendor: 'aliyun', build: 1 }] } }), 400, 'wrong_type', 'stack[0]');
  assertError(await as(S['ent-hz'], 'PUT', `/api/v1/monitor/enterprises/${orgId('ent-gz')}/stack`, { body: { stack: [] } }), 404, 'not_found', 'id');
  const hz = ok(await as(S['ent-hz'], 'GET', `/api/v1/monitor/enterprises/${orgId('ent-hz')}`), 200);
  assert.deepEqual(hz.stack.map((s) => s.vendor), ['aliyun', 'aliyun_mail', 'atlassian_confluence', 'fortinet', 'linux']);
});

test('bad signals are refused naming the field and leave nothing', async () => {
  const tasksBefore = ok(await asAt(L.miit, 'GET', '/api/v1/monitor/tasks?limit=500'), 200).items.length;
  const good = { source: 'e2e-feed', source_id: `good-${uuid()}`, cve: 'CVE-2025-0001', severity: 'low', title: '测试信号', vendors: ['linux'] };
  // the second signal's vendor is unknown: the first is not kept either
  const r = await asAt(L.insurer, 'POST', '/api/v1/signals', { body: { signals: [good, { ...good, source_id: 'x', vendors: ['paloalt0'] }] } });
  assertError(r, 422, 'vendor_unknown', 'signals[1].vendors[0]');
  assert.match(r.json.error.message, /did you mean paloalto \(Palo Alto Networks PAN-OS\)\?/);
  assertError(await asAt(L.insurer, 'POST', '/api/v1/signals', { body: { signals: [{ ...good, severity: 'urgent' }] } }), 422, 'severity_unknown', 'signals[0].severity');
  assertError(await asAt(L.insurer, 'POST', '/api/v1/signals', { body: { signals: [{ ...good, cve: 'CVE-25-1' }] } }), 422, 'cve_invalid', 'signals[0]');
  assertError(await asAt(L.insurer, 'POST', '/api/v1/signals', { body: { signals: [{ ...good, extra: 1 }] } }), 400, 'unknown_field', 'signals[0].extra');
  assertError(await asAt(L.insurer, 'POST', '/api/v1/signals', { body: { signals: [] } }), 422, 'batch_size', 'signals');
  const big = Array.from({ length: 1001 }, (_, i) => ({ ...good, source_id: `big-${i}` }));
  assertError(await asAt(L.insurer, 'POST', '/api/v1/signals', { body: { signals: big } }), 422, 'batch_size', 'signals');
  // malformed STIX: not JSON, the wrong type, a vulnerability without a name, a bad id
  const bad1 = await asAt(L.insurer, 'POST', '/api/v1/signals/stix', { raw: '{"type":"bundle",' });
  assertError(bad1, 400, 'body_invalid', 'body');
  const b = bundle(`vulnerability--${uuid()}`, 'CVE-2024-3400', 'cpe:2.3:o:paloaltonetworks:pan-os:10.2.9:*:*:*:*:*:*:*');
  assertError(await asAt(L.insurer, 'POST', '/api/v1/signals/stix', { body: { ...b, type: 'bundel' } }), 422, 'feed_invalid', 'type');
  const noName = structuredClone(b);
  delete noName.objects[0].name;
  assertError(await asAt(L.insurer, 'POST', '/api/v1/signals/stix', { body: noName }), 422, 'feed_invalid', 'objects[0].name');
  const badRef = structuredClone(b);
  badRef.objects[2].source_ref = 'software-1';
  assertError(await asAt(L.insurer, 'POST', '/api/v1/signals/stix', { body: badRef }), 422, 'feed_invalid', 'objects[2].source_ref');
  const badKev = { vulnerabilities: [{ cveID: 'CVE-2024-21762', vendorProject: 'Fortinet', product: 'FortiOS', vulnerabilityName: 'x', dateAdded: '09/02/2024' }] };
  assertError(await asAt(L.insurer, 'POST', '/api/v1/signals/kev', { body: badKev }), 422, 'feed_invalid', 'vulnerabilities[0].dateAdded');
  // who may bring signals in: insurers and the operators
  assertError(await asAt(L['ent-gz'], 'POST', '/api/v1/signals', { body: { signals: [good] } }), 403, 'forbidden');
  assertError(await asAt(L.secfirm, 'POST', '/api/v1/signals/stix', { body: b }), 403, 'forbidden');
  assert.equal(ok(await asAt(L.miit, 'GET', '/api/v1/monitor/tasks?limit=500'), 200).items.length, tasksBefore);
  // the good one was not kept: sent alone now it is new
  const again = ok(await asAt(L.insurer, 'POST', '/api/v1/signals', { body: { signals: [good] } }), 200);
  assert.deepEqual([again.created, again.duplicates], [1, 0]);
  assert.equal(again.signals[0].severity, 'low');
  // closing the low tasks it opened (every enterprise running linux) with evidence
  for (const t of ok(await asAt(L.miit, 'GET', '/api/v1/monitor/tasks?status=open&limit=500'), 200).items.filter((x) => x.signal_id === again.signals[0].id)) {
    const u = ENTS.find((n) => orgId(n) === t.enterprise.id);
    ok(await asAt(L[u], 'POST', `/api/v1/monitor/tasks/${t.id}/close`, { body: { evidence_note: '已升级内核' } }), 200);
  }
});

test('a STIX vulnerability of PAN-OS: 3 of the 5 insureds alerted, tasked, delivered, scored; closing restores', async () => {
  const vulnId = `vulnerability--${uuid()}`;
  const cve = 'CVE-2024-3400';
  const b = bundle(vulnId, cve, 'cpe:2.3:o:paloaltonetworks:pan-os:10.2.9:*:*:*:*:*:*:*');
  // the renewal of ent-gz before the signal: at its assessment's grade
  const r0 = ok(await asAt(L['ent-gz'], 'POST', `/api/v1/policies/${X.policy['ent-gz'].id}/renewal`, { body: { assessment_id: X.base['ent-gz'].id } }), 201);
  X.hook = ok(await as(S.insurer, 'POST', '/api/v1/webhooks', { body: { url: `${rx.url}/alerts`, kinds: ['monitor.alert'] } }), 201);
  const alertsBefore = ok(await asAt(L.insurer, 'GET', '/api/v1/notifications?kind=monitor.alert&limit=500'), 200).items.length;
  const res = ok(await as(L.insurer, 'POST', '/api/v1/signals/stix', { body: b }), 200);
  assert.deepEqual([res.created, res.duplicates, res.tasks, res.ignored], [1, 0, 3, 3]);
  const sig = res.signals[0];
  assert.deepEqual([sig.source, sig.source_id, sig.cve, sig.severity, sig.vendors, sig.matched, sig.duplicate], ['stix', vulnId, cve, 'critical', ['paloalto'], 3, false]);
  // the same bundle again: the same signal, nothing raised
  const dup = ok(await asAt(L.insurer, 'POST', '/api/v1/signals/stix', { body: b }), 200);
  assert.deepEqual([dup.created, dup.duplicates, dup.tasks, dup.signals[0].id, dup.signals[0].matched, dup.signals[0].duplicate], [0, 1, 0, sig.id, 3, true]);
  // exactly 3 tasks, for the enterprises that declared paloalto, due in 7 days (critical)
  const tasks = ok(await asAt(L.insurer, 'GET', '/api/v1/monitor/tasks?status=open&limit=500'), 200).items.filter((t) => t.signal_id === sig.id);
  assert.deepEqual(tasks.map((t) => t.enterprise.id).sort((x, y) => x - y), PANOS.map(orgId).sort((x, y) => x - y));
  const when = sig.received_at;
  assert.ok(Math.abs(Date.parse(when) - Date.now()) < 60000, when);
  for (const t of tasks) assert.deepEqual([t.status, t.severity, t.vendor, t.cve, t.opened_at, t.due_at, t.overdue], ['open', 'critical', 'paloalto', cve, when, iso(Date.parse(when) + 7 * 86400e3), false]);
  // the accumulation question: which insureds and how much limit CVE-2024-3400 touches
  const x = ok(await as(L.insurer, 'GET', `/api/v1/monitor/exposure?cve=${cve}`), 200);
  assert.deepEqual(x.vendors, ['paloalto']);
  assert.deepEqual(x.policies.map((p) => p.policy_id).sort((a, b) => a - b), PANOS.map((u) => X.policy[u].id).sort((a, b) => a - b));
  assert.equal(x.insureds, 3);
  assert.equal(x.total_limit, 3 * 300000000); // each bound with a ¥3,000,000 aggregate limit
  assertError(await as(L.insurer, 'GET', '/api/v1/monitor/exposure?vendor=paloalt'), 422, 'vendor_unknown', 'vendor');
  assertError(await as(L.insurer, 'GET', '/api/v1/monitor/exposure'), 400, 'query_invalid', 'cve');
  assertError(await as(L.insurer, 'GET', '/api/v1/monitor/exposure?cve=CVE-1'), 400, 'query_invalid', 'cve');
  assertError(await as(L['ent-gz'], 'GET', `/api/v1/monitor/exposure?cve=${cve}`), 403, 'forbidden');
  // exactly 3 alerts to the insurer
  const alerts = ok(await asAt(L.insurer, 'GET', '/api/v1/notifications?kind=monitor.alert&limit=500'), 200).items;
  assert.equal(alerts.length - alertsBefore, 3);
  assert.deepEqual(alerts.slice(0, 3).map((n) => Number(n.object_id)).sort(), tasks.map((t) => t.id).sort());
  // each insured was told of its own task; the two others nothing
  for (const u of ENTS) {
    const mine = ok(await asAt(L[u], 'GET', '/api/v1/monitor/tasks?status=open&limit=500'), 200).items.filter((t) => t.signal_id === sig.id);
    assert.equal(mine.length, PANOS.includes(u) ? 1 : 0, u);
  }
  // scores moved by the rules' points, graded independently
  for (const u of ENTS) {
    const e = ok(await asAt(L[u], 'GET', `/api/v1/monitor/enterprises/${orgId(u)}`), 200);
    const base = X.base[u];
    const expect = PANOS.includes(u) ? Math.round((base.score - CRITICAL_POINTS) * 100) / 100 : base.score;
    assert.deepEqual([e.score.score, e.score.grade, e.score.base_score, e.score.assessment_id], [expect, worse(gradeOf(expect), base.grade), base.score, base.id], u);
  }
  const gz = ok(await asAt(L['ent-gz'], 'GET', `/api/v1/monitor/enterprises/${orgId('ent-gz')}`), 200).score;
  const low = Math.round((X.base['ent-gz'].score - 15) * 100) / 100;
  assert.deepEqual([gz.score, gz.grade, gz.penalty, gz.open_tasks], [low, 'C', 15, 1]);
  // 3 deliveries, signed; the first failed twice then succeeded
  const got = await until('3 delivered', async () => {
    const ds = new Map();
    for (const g of rx.got) if (g.headers['x-cyberins-event'] === 'monitor.alert') ds.set(g.delivery, [...(ds.get(g.delivery) || []), g.status]);
    const done = [...ds.values()].filter((s) => s.at(-1) === 200);
    return done.length >= 3 ? ds : null;
  });
  assert.deepEqual([...got.values()].map((s) => s.join(',')).sort(), ['200', '200', '500,500,200']);
  for (const g of rx.got) {
    assert.equal(g.headers['x-cyberins-signature'], signature(X.hook.secret, g.headers['x-cyberins-timestamp'], g.body));
    const body = JSON.parse(g.body);
    assert.equal(body.kind, 'monitor.alert');
    assert.ok(tasks.some((t) => String(t.id) === body.notification.object_id));
  }
  const delivered = ok(await as(S.insurer, 'GET', `/api/v1/webhooks/${X.hook.id}/deliveries?status=delivered`), 200).items;
  assert.deepEqual(delivered.map((d) => d.attempts).sort(), [1, 1, 3]);
  // the renewal of ent-gz now: at the grade of the moment (C), dearer than at B
  const r1 = ok(await asAt(L['ent-gz'], 'POST', `/api/v1/policies/${X.policy['ent-gz'].id}/renewal`, { body: { assessment_id: X.base['ent-gz'].id } }), 201);
  assert.ok(r1.premium > r0.premium, `${r1.premium} > ${r0.premium}`);
  // closing ent-gz's task needs evidence, once; the score is restored
  const t = tasks.find((x) => x.enterprise.id === orgId('ent-gz'));
  assertError(await asAt(L['ent-gz'], 'POST', `/api/v1/monitor/tasks/${t.id}/close`, { body: { evidence_note: '' } }), 422, 'evidence_required', 'evidence_note');
  assertError(await asAt(L['ent-gz'], 'POST', `/api/v1/monitor/tasks/${t.id}/close`, { body: { evidence_note: 'x', evidence_file_id: 999999 } }), 422, 'evidence_file_unknown', 'evidence_file_id');
  assertError(await asAt(L['ent-hz'], 'POST', `/api/v1/monitor/tasks/${t.id}/close`, { body: { evidence_note: 'x' } }), 404, 'not_found', 'id');
  assertError(await asAt(L.insurer, 'POST', `/api/v1/monitor/tasks/${t.id}/close`, { body: { evidence_note: 'x' } }), 403, 'forbidden');
  const closed = ok(await asAt(L['ent-gz'], 'POST', `/api/v1/monitor/tasks/${t.id}/close`, { body: { evidence_note: '已升级 PAN-OS 至 10.2.9-h1 并复测' } }), 200);
  assert.deepEqual([closed.status, closed.evidence_note], ['closed', '已升级 PAN-OS 至 10.2.9-h1 并复测']);
  assertError(await asAt(L['ent-gz'], 'POST', `/api/v1/monitor/tasks/${t.id}/close`, { body: { evidence_note: 'again' } }), 409, 'task_closed', 'id');
  const after_ = ok(await asAt(L['ent-gz'], 'GET', `/api/v1/monitor/enterprises/${orgId('ent-gz')}`), 200).score;
  assert.deepEqual([after_.score, after_.grade, after_.penalty, after_.open_tasks], [X.base['ent-gz'].score, 'B', 0, 0]);
  const hist = ok(await asAt(L['ent-gz'], 'GET', `/api/v1/monitor/enterprises/${orgId('ent-gz')}/scores`), 200).items;
  assert.deepEqual(hist.slice(0, 2).map((h) => [h.score, h.grade, h.cause]), [[X.base['ent-gz'].score, 'B', 'task_closed'], [low, 'C', 'task_opened']]);
  // the renewal priced again: back at B, the premium of before
  const r2 = ok(await asAt(L['ent-gz'], 'POST', `/api/v1/policies/${X.policy['ent-gz'].id}/renewal`, { body: { assessment_id: X.base['ent-gz'].id } }), 201);
  assert.equal(r2.premium, r0.premium);
  // the renewal form starts from the last answers: a new draft with them, only changes to make
  const src = ok(await as(S['ent-gz'], 'GET', `/api/v1/assessments/${X.base['ent-gz'].id}`), 200);
  const draft = ok(await as(S['ent-gz'], 'POST', '/api/v1/assessments', { body: { from_assessment_id: src.id } }), 201);
  assert.equal(draft.status, 'draft');
  assert.deepEqual(draft.answers, src.answers);
  assert.deepEqual([draft.mlps, draft.dependencies, draft.answered], [src.mlps, src.dependencies, src.answered]);
  assert.deepEqual(draft.findings, []);
  assertError(await as(S['ent-hz'], 'POST', '/api/v1/assessments', { body: { from_assessment_id: src.id } }), 422, 'from_assessment_invalid', 'from_assessment_id');
  assertError(await as(S['ent-gz'], 'POST', '/api/v1/assessments', { body: { from_assessment_id: draft.id } }), 422, 'from_assessment_invalid', 'from_assessment_id');
  assertError(await as(S['ent-gz'], 'PATCH', `/api/v1/assessments/${draft.id}`, { body: { from_assessment_id: src.id } }), 422, 'unknown_field', 'from_assessment_id');
  // the insurer was told of the closure
  const told = ok(await asAt(L.insurer, 'GET', '/api/v1/notifications?kind=monitor.task_closed&limit=50'), 200).items;
  assert.ok(told.some((n) => n.object_id === String(t.id)));
  assert.equal((await as(S.insurer, 'DELETE', `/api/v1/webhooks/${X.hook.id}`)).status, 204);
  X.hook = null;
  // ent-sz's and ent-telecom's stay open
  assert.equal(ok(await asAt(L.insurer, 'GET', '/api/v1/monitor/tasks?status=open&limit=500'), 200).items.filter((x) => x.signal_id === sig.id).length, 2);
});

test('a KEV catalogue: FortiOS matched to the two enterprises that declared it', async () => {
  const kev = { title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion: '2026.01.02', vulnerabilities: [
    { cveID: `CVE-2024-${20000 + Math.floor(Math.random() * 70000)}`, vendorProject: 'Fortinet', product: 'FortiOS', vulnerabilityName: 'Fortinet FortiOS Out-of-Bound Write', dateAdded: '2024-02-09', knownRansomwareCampaignUse: 'Unknown' }] };
  const r = ok(await asAt(L.miit, 'POST', '/api/v1/signals/kev', { body: kev }), 200);
  assert.deepEqual([r.created, r.tasks, r.signals[0].source, r.signals[0].vendors, r.signals[0].severity], [1, 2, 'cisa_kev', ['fortinet'], 'critical']);
  const tasks = ok(await asAt(L.miit, 'GET', '/api/v1/monitor/tasks?status=open&limit=500'), 200).items.filter((t) => t.signal_id === r.signals[0].id);
  assert.deepEqual(tasks.map((t) => t.enterprise.id).sort(), ['ent-gz-health', 'ent-hz'].map(orgId).sort());
  for (const t of tasks) {
    const u = ENTS.find((n) => orgId(n) === t.enterprise.id);
    ok(await asAt(L[u], 'POST', `/api/v1/monitor/tasks/${t.id}/close`, { body: { evidence_note: '已升级 FortiOS' } }), 200);
  }
});

test('a task past its due time reminds the insured and escalates (jobs run at their time)', async () => {
  // opened ten days ago (a critical task is due in 7): its reminder and escalation are due now
  const past = await login('insurer'); // a session used only at that time
  const at = iso(Math.floor(Date.now() / 1000) * 1000 - 10 * 86400e3);
  const r = ok(await as(past, 'POST', '/api/v1/signals', { headers: { 'x-test-now': at },
    body: { signals: [{ source: 'e2e-overdue', source_id: uuid(), cve: 'CVE-2025-0002', severity: 'critical', title: 'Confluence 模板注入', vendors: ['atlassian_confluence'] }] } }), 200);
  assert.equal(r.tasks, 1); // only ent-hz declared Confluence
  const task = ok(await as(S['ent-hz'], 'GET', '/api/v1/monitor/tasks?status=open'), 200).items.find((t) => t.signal_id === r.signals[0].id);
  assert.deepEqual([task.opened_at, task.due_at, task.overdue], [at, iso(Date.parse(at) + 7 * 86400e3), true]);
  const notes = await until('the reminder and the escalation', async () => {
    const items = ok(await as(S['ent-hz'], 'GET', '/api/v1/notifications?limit=100'), 200).items.filter((n) => n.object_id === String(task.id));
    const kinds = items.map((n) => n.kind);
    return kinds.includes('monitor.task_due') && kinds.includes('monitor.task_overdue') ? items : null;
  });
  const due = new Date(Date.parse(task.due_at) + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');
  assert.equal(notes.find((n) => n.kind === 'monitor.task_overdue').text_en, `Overdue: loss-prevention task #${task.id} (CVE-2025-0002: Confluence 模板注入), due ${due}`);
  assert.equal(notes.find((n) => n.kind === 'monitor.task_due').text_zh, `即将到期：防灾减损任务 #${task.id}（CVE-2025-0002：Confluence 模板注入），处置期限 ${due}`);
  assert.equal(notes.filter((n) => n.kind.startsWith('monitor.task_')).length, 2, 'each once');
  ok(await as(S['ent-hz'], 'POST', `/api/v1/monitor/tasks/${task.id}/close`, { body: { evidence_note: '已升级 Confluence' } }), 200);
});

test('a service organisation sees and assesses an enterprise only when engaged', async () => {
  const sz = orgId('ent-telecom');
  assertError(await as(S.secfirm, 'GET', `/api/v1/monitor/enterprises/${sz}`), 404, 'not_found', 'id');
  assertError(await as(S.secfirm, 'GET', `/api/v1/organisations/${sz}`), 404, 'not_found', 'id');
  const refused = await as(S.secfirm, 'POST', '/api/v1/assessments', { body: { org_id: sz } });
  assertError(refused, 404, 'not_found', 'org_id');
  assert.ok(!refused.text.includes('广东示范电信'), 'the name does not leak');
  // ent-gz engages secfirm as the demo did (data/demo/monitor.json; earlier e2e files end or
  // replace that engagement, one is in force per pair): it sees ent-gz's monitoring and tasks
  for (const x of ok(await as(S['ent-gz'], 'GET', '/api/v1/engagements?active=true&limit=500'), 200).items)
    if (x.service_org.id === orgId('secfirm')) ok(await as(S['ent-gz'], 'POST', `/api/v1/engagements/${x.id}/end`), 200);
  assertError(await as(S.secfirm, 'GET', `/api/v1/monitor/enterprises/${orgId('ent-gz')}`), 404, 'not_found', 'id');
  ok(await as(S['ent-gz'], 'POST', '/api/v1/engagements', { body: { service_org_id: orgId('secfirm'), scopes: ['assessment', 'quotes', 'monitoring'] } }), 201);
  ok(await as(S.secfirm, 'GET', `/api/v1/monitor/enterprises/${orgId('ent-gz')}`), 200);
  const e = ok(await as(S['ent-telecom'], 'POST', '/api/v1/engagements', { body: { service_org_id: orgId('secfirm'), scopes: ['assessment', 'monitoring'] } }), 201);
  const a = ok(await as(S.secfirm, 'POST', '/api/v1/assessments', { body: { org_id: sz } }), 201);
  assert.equal(a.org_id, sz);
  const m = ok(await as(S.secfirm, 'GET', `/api/v1/monitor/enterprises/${sz}`), 200);
  assert.equal(m.name, '广东示范电信运营有限公司（演示）');
  // the engaged service organisation sees ent-telecom's open PAN-OS task and may close it
  const open = ok(await as(S.secfirm, 'GET', `/api/v1/monitor/tasks?status=open&org_id=${sz}`), 200).items;
  assert.ok(open.length >= 1);
  ok(await as(S.secfirm, 'POST', `/api/v1/monitor/tasks/${open[0].id}/close`, { body: { evidence_note: '服务机构远程处置：升级并复测' } }), 200);
  // what it did is recorded, with the task; the enterprise sees the record, another does not
  const svc = { org_id: sz, kind: 'response', performed_on: today(), result: '远程处置 PAN-OS 漏洞并复测通过', task_id: open[0].id };
  assertError(await as(S.secfirm, 'POST', '/api/v1/monitor/services', { body: { ...svc, kind: 'audit' } }), 422, 'service_kind', 'kind');
  assertError(await as(S.secfirm, 'POST', '/api/v1/monitor/services', { body: { ...svc, performed_on: '2099-01-01' } }), 422, 'performed_on_invalid', 'performed_on');
  assertError(await as(S.secfirm, 'POST', '/api/v1/monitor/services', { body: { ...svc, result: '' } }), 422, 'result_required', 'result');
  assertError(await as(S.secfirm, 'POST', '/api/v1/monitor/services', { body: { ...svc, task_id: 999999 } }), 422, 'task_unknown', 'task_id');
  assertError(await as(S['ent-telecom'], 'POST', '/api/v1/monitor/services', { body: svc }), 403, 'forbidden');
  const rec = ok(await as(S.secfirm, 'POST', '/api/v1/monitor/services', { body: svc }), 201);
  assert.deepEqual([rec.enterprise.id, rec.service_org.id, rec.kind, rec.performed_on, rec.result, rec.task_id],
    [sz, orgId('secfirm'), 'response', today(), svc.result, open[0].id]);
  assert.ok(ok(await as(S['ent-telecom'], 'GET', '/api/v1/monitor/services'), 200).items.some((x) => x.id === rec.id));
  assert.ok(!ok(await as(S['ent-hz'], 'GET', '/api/v1/monitor/services'), 200).items.some((x) => x.id === rec.id));
  ok(await as(S['ent-telecom'], 'POST', `/api/v1/engagements/${e.id}/end`), 200);
  assertError(await as(S.secfirm, 'POST', '/api/v1/monitor/services', { body: { ...svc, task_id: null } }), 404, 'not_found', 'id');
  assertError(await as(S.secfirm, 'GET', `/api/v1/monitor/enterprises/${sz}`), 404, 'not_found', 'id');
  assertError(await as(S.secfirm, 'POST', '/api/v1/assessments', { body: { org_id: sz } }), 404, 'not_found', 'org_id');
});
