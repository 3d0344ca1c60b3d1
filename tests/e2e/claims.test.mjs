// claims.test.mjs — claims end to end on a real server (SQLite and PostgreSQL
// through run.sh), the walk of issue 10 and docs/claims.md: a fresh insured
// with a policy from 2025-03-01, a ransomware incident reported (the policy
// found by the insured and the date, the notice period checked), secfirm
// assigned from the insurer's panel with three tasks, liability with the
// known-exploited-vulnerability exclusion tested, BI + data restoration + IR
// line items, a settlement whose trace is docs/claims.md's hand-worked table
// line by line, two payments, a second claim paying only what the aggregate
// limit has left, a claim declined by the exclusion, two settlements on one
// policy at once that never overspend it, the bad inputs of the issue (each
// a 4xx naming the field, leaving nothing), and the pilot's figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { as, login, assertError, rawRequest, BASE } from './lib/http.mjs';
import {
  at, ok, newEnterprise, claimsProduct, policyFor, panelEntry, ransomware, fen, PANEL_RATE, T0,
} from './lib/claims.mjs';

const DB = process.env.CYBERINS_DB;
const S = {};
const X = {};

function sql(statement) {
  const r = DB.startsWith('sqlite:')
    ? spawnSync('sqlite3', [DB.slice(7), statement], { encoding: 'utf8' })
    : spawnSync('psql', [DB, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// The trace table of docs/claims.md after the marker <!-- trace:NAME -->: [rule, coverage, before, after].
function docTrace(name) {
  const doc = fs.readFileSync(new URL('../../docs/claims.md', import.meta.url), 'utf8');
  const start = doc.indexOf(`<!-- trace:${name} -->`);
  assert.ok(start >= 0, `docs/claims.md has no trace ${name}`);
  const rows = [];
  for (const line of doc.slice(start).split('\n').slice(1)) {
    if (!line.startsWith('|')) {
      if (rows.length) break;
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells[0] === '#' || cells[0].startsWith('-')) continue;
    rows.push([cells[1], cells[2] === '—' ? null : cells[2], fen(cells[3]), fen(cells[4])]);
  }
  return rows;
}

const traceOf = (settlement) => settlement.trace.map((l) => [l.rule, l.coverage, l.before, l.after]);

before(async () => {
  for (const u of ['insurer', 'insurer-uw', 'secfirm', 'miit', 'gz-city', 'ent-hz', 'gd-prov']) S[u] = await login(u);
  const ent = await newEnterprise(S.miit);
  S.ent = ent.session;
  X.ent = ent.org;
  X.product = await claimsProduct(S.insurer);
  X.policy = await policyFor(S.ent, X.product);
  X.secfirm = S.secfirm.me.organisation.id;
  X.panel = await panelEntry(S.insurer, X.secfirm);
  // the insured's webhook for its settlements, to a receiver here that answers 200
  X.hooked = [];
  X.rx = http.createServer((req, res) => {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => {
      X.hooked.push({ headers: req.headers, body: Buffer.concat(parts).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((resolve) => X.rx.listen(0, '127.0.0.1', resolve));
  X.hook = await ok(await as(S.ent, 'POST', '/api/v1/webhooks', { body: { url: `http://127.0.0.1:${X.rx.address().port}/claims`, kinds: ['claim.settled'] } }), 201);
});

after(() => X.rx?.close());

test('the rules a form needs: incident types, services, exclusions with clauses and sources', async () => {
  const r = await ok(await as(S.ent, 'GET', '/api/v1/claims/rules'), 200);
  assert.deepEqual(r.incident_types.map((t) => t.code), ['ransomware', 'data_breach', 'ddos', 'bec_fraud', 'operator_error', 'supply_chain', 'other']);
  assert.equal(r.notice_hours, 72);
  assert.equal(r.non_panel_hourly_rate, 80000);
  assert.ok(r.evidence_media_types.includes('application/octet-stream') && !r.evidence_media_types.includes('text/html'));
  const kev = r.exclusions.find((x) => x.code === 'unpatched_kev');
  assert.equal(kev.clause, '第十一条第（四）项');
  assert.equal(kev.grace_days, 30);
  assert.match(kev.source, /Binding Operational Directive 22-01/);
  assert.ok(r.exclusions.every((x) => x.clause && x.source && x.wording_zh && x.wording_en));
});

test('first notice: the policy found by the insured and the date, the notice period shown; a preview stores nothing', async () => {
  const before = (await ok(await as(S.ent, 'GET', '/api/v1/incidents'), 200)).items.length;
  const pv = await ok(await at(S.ent, '2025-06-10 09:00', 'POST', '/api/v1/incidents', { body: ransomware({ preview: true }) }), 200);
  assert.equal(pv.id, null);
  assert.equal(pv.policies.length, 1);
  const p = pv.policies[0];
  assert.equal(p.policy_id, X.policy.id);
  assert.equal(p.answers, true);
  assert.equal(p.claim_id, null);
  assert.equal(p.trigger_check.mark, 'pass');
  assert.equal(p.trigger_check.text, '损失发生于 2025-06-09 23:40:00，在保险期间（2025-03-01 00:00:00 至 2026-03-01 00:00:00）内 / the loss occurred at 2025-06-09 23:40:00, within the period (2025-03-01 00:00:00 to 2026-03-01 00:00:00)');
  assert.equal(p.notice_check.mark, 'pass');
  assert.match(p.notice_check.text, /^发现后 6\.5 小时报案，在 72 小时的报案期限内/);
  assert.equal((await ok(await as(S.ent, 'GET', '/api/v1/incidents'), 200)).items.length, before);

  const n = await ok(await at(S.ent, '2025-06-10 09:00', 'POST', '/api/v1/incidents', { body: ransomware() }), 201);
  assert.ok(n.id > 0);
  assert.equal(n.policies[0].claim_no, `${X.policy.policy_no}-C01`);
  X.claim1 = n.policies[0].claim_id;
  X.incident1 = n.id;
  const c = await ok(await as(S.ent, 'GET', `/api/v1/claims/${X.claim1}`), 200);
  assert.equal(c.status, 'notified');
  assert.equal(c.party, 'insured');
  assert.equal(c.notice_late, false);
  assert.deepEqual(c.estimates, { bi: 50000000, data: 20000000, ir: 8000000 });
  assert.equal(c.estimate_total, 78000000);
  assert.equal(c.reserve, null, 'the insured does not see reserves');
  assert.deepEqual(c.statuses.map((s) => s.status), ['notified']);
  assert.equal(c.occurred_at, '2025-06-09T15:40:00Z');
  assert.deepEqual(c.systems, ['ERP', 'MES', '文件服务器']);
  // the same incident reported again on the same policy points to the first
  const dup = await at(S.ent, '2025-06-10 10:00', 'POST', '/api/v1/incidents', { body: ransomware() });
  assertError(dup, 409, 'duplicate_notice', 'discovered_at');
  assert.ok(dup.json.error.message.includes(`${X.policy.policy_no}-C01`), dup.json.error.message);
  // the insurer sees it; another enterprise and a city do not
  assert.equal((await ok(await as(S.insurer, 'GET', `/api/v1/claims/${X.claim1}`), 200)).party, 'insurer');
  assertError(await as(S['ent-hz'], 'GET', `/api/v1/claims/${X.claim1}`), 404, 'not_found');
  assertError(await as(S['gz-city'], 'GET', `/api/v1/claims/${X.claim1}`), 404, 'not_found');
  assert.equal((await ok(await as(S.insurer, 'GET', `/api/v1/incidents/${X.incident1}`), 200)).policies[0].claim_id, X.claim1);
});

test('bad notices are refused naming the field, and leave nothing', async () => {
  const count = () => Number(sql(`SELECT COUNT(*) FROM claim_incident WHERE insured_org_id = ${X.ent.id}`));
  const was = count();
  const when = '2025-06-12 09:00';
  const post = (body, s = S.ent) => at(s, when, 'POST', '/api/v1/incidents', { body });
  assertError(await post(ransomware({ discovered_at: '2025-06-13 09:00', occurred_at: null })), 400, 'wrong_type', 'occurred_at');
  assertError(await post(ransomware({ discovered_at: '2025-06-13 09:00' })), 422, 'time_future', 'discovered_at');
  assertError(await post(ransomware({ occurred_at: '2025-02-01 08:00', discovered_at: '2025-02-02 08:00' })), 422, 'before_period', 'occurred_at');
  assertError(await at(S.ent, '2026-05-01 09:00', 'POST', '/api/v1/incidents', { body: ransomware({ occurred_at: undefined, discovered_at: '2026-04-02 08:00' }) }), 422, 'outside_policy', 'discovered_at');
  assertError(await post(ransomware({ incident_type: 'alien' })), 422, 'value_invalid', 'incident_type');
  assertError(await post(ransomware({ discovered_at: '6月10日' })), 422, 'time_invalid', 'discovered_at');
  assertError(await post(ransomware({ description: '' })), 422, 'missing_field', 'description');
  assertError(await post(ransomware({ estimates: [{ coverage: 'media', amount: 100 }] })), 422, 'coverage_not_insured', 'estimates[0].coverage');
  assertError(await post(ransomware({ estimates: [{ coverage: 'bi', amount: '100' }] })), 400, 'wrong_type', 'estimates[0].amount');
  assertError(await post(ransomware({ estimates: [{ coverage: 'bi', amount: -1 }] })), 422, 'out_of_range', 'estimates[0].amount');
  assertError(await post(ransomware({ reported_at: '2025-06-10 01:00' })), 422, 'times_order', 'reported_at');
  assertError(await post(ransomware({ policy_ids: [999999999] })), 422, 'policy_unknown', 'policy_ids[0]');
  assertError(await post(ransomware({ org_id: S['ent-hz'].me.organisation.id })), 403, 'not_own_org', 'org_id');
  assertError(await post(ransomware({ colour: 'red' })), 400, 'unknown_field', 'colour');
  assertError(await post(ransomware(), S.insurer), 403, 'forbidden');
  // someone not insured at all
  const bare = await newEnterprise(S.miit, '未投保企业');
  assertError(await post(ransomware(), bare.session), 422, 'not_insured', 'org_id');
  assert.equal(count(), was, 'nothing half-saved');
  const msg = (await post(ransomware({ description: '' }))).json.error.message;
  assert.equal(msg, '请填写事件经过 / the description is required');
});

test('incident response: secfirm from the panel at the panel rate, three tasks with hours and costs', async () => {
  const id = X.claim1;
  // a non-panel rate above the rules' is refused; a panel member is paid the panel's rate
  assertError(await at(S.insurer, '2025-06-10 10:00', 'POST', `/api/v1/claims/${id}/assignments`, { body: { service_org_id: X.secfirm, service: 'response', hourly_rate: 50000 } }), 422, 'panel_rate', 'hourly_rate');
  assertError(await at(S.insurer, '2025-06-10 10:00', 'POST', `/api/v1/claims/${id}/assignments`, { body: { service_org_id: X.ent.id, service: 'response' } }), 422, 'not_service_org', 'service_org_id');
  assertError(await at(S.ent, '2025-06-10 10:00', 'POST', `/api/v1/claims/${id}/assignments`, { body: { service_org_id: X.secfirm, service: 'response' } }), 403, 'forbidden');
  assertError(await as(S.secfirm, 'GET', `/api/v1/claims/${id}`), 404, 'not_found');
  let c = await ok(await at(S.insurer, '2025-06-10 10:00', 'POST', `/api/v1/claims/${id}/assignments`, { body: { service_org_id: X.secfirm, service: 'response', note: '现场应急与取证' } }), 201);
  assert.equal(c.status, 'responding');
  assert.equal(c.first_response_at, '2025-06-10T02:00:00Z');
  assert.equal(c.assignments[0].panel, true);
  assert.equal(c.assignments[0].hourly_rate, PANEL_RATE);
  assertError(await at(S.insurer, '2025-06-10 10:05', 'POST', `/api/v1/claims/${id}/assignments`, { body: { service_org_id: X.secfirm, service: 'response' } }), 409, 'already_assigned', 'service_org_id');
  // the responder now sees the claim, without its money
  const seen = await ok(await as(S.secfirm, 'GET', `/api/v1/claims/${id}`), 200);
  assert.equal(seen.party, 'responder');
  assert.deepEqual(seen.actions, ['note', 'respond']);
  assert.equal(seen.settlement, null);
  assert.equal(seen.reserves, null);
  const tasks = [
    { title: '隔离受感染主机、遏制扩散', minutes: 960 },
    { title: '取证镜像与日志分析', minutes: 1440, expenses: 380000, detail: '镜像存储介质费用 ¥3,800' },
    { title: '系统恢复验证', minutes: 510 },
  ];
  for (const t of tasks) c = await ok(await at(S.secfirm, '2025-06-11 18:00', 'POST', `/api/v1/claims/${id}/tasks`, { body: t }), 201);
  assert.deepEqual(c.tasks.map((t) => t.cost), [1920000, 3260000, 1020000]);
  assert.equal(c.response_cost, 6200000);
  const done = await ok(await at(S.secfirm, '2025-06-12 18:00', 'PATCH', `/api/v1/claims/${id}/tasks/${c.tasks[2].id}`, { body: { status: 'done' } }), 200);
  assert.equal(done.tasks[2].status, 'done');
  assert.equal(done.tasks[2].done_at, '2025-06-12T10:00:00Z');
  assertError(await at(S.secfirm, '2025-06-12 18:00', 'POST', `/api/v1/claims/${id}/tasks`, { body: { title: 'x', minutes: -5 } }), 422, 'out_of_range', 'minutes');
  assertError(await at(S.insurer, '2025-06-12 18:00', 'POST', `/api/v1/claims/${id}/tasks`, { body: { title: 'x' } }), 403, 'forbidden');
  // the responder's task list
  const mine = await ok(await as(S.secfirm, 'GET', '/api/v1/claims/tasks?status=open'), 200);
  assert.ok(mine.items.some((t) => t.claim_id === id && t.title === tasks[0].title));
  assert.ok(!mine.items.some((t) => t.status !== 'open'));
  // the timeline: the insured's note to the insurer only stays hidden from the responder
  await ok(await at(S.ent, '2025-06-11 09:00', 'POST', `/api/v1/claims/${id}/timeline`, { body: { kind: 'call', text: '已向公安机关报案' } }), 201);
  await ok(await at(S.ent, '2025-06-11 09:05', 'POST', `/api/v1/claims/${id}/timeline`, { body: { text: '供全体查看', to_responder: true } }), 201);
  const tl = (await ok(await as(S.secfirm, 'GET', `/api/v1/claims/${id}`), 200)).timeline.map((e) => e.text);
  assert.ok(tl.includes('供全体查看') && !tl.includes('已向公安机关报案'));
  assert.ok((await ok(await as(S.insurer, 'GET', `/api/v1/claims/${id}`), 200)).timeline.some((e) => e.text === '已向公安机关报案'));
});

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

// An evidence upload at a Beijing time: the file as the body, its facts in the query.
async function evidence(session, when, name, bytes, { type = 'text/plain', q = {}, headers = {}, claim = X.claim1 } = {}) {
  const query = new URLSearchParams({ filename: name, description: '现场取证', method: '只读镜像（写保护）', ...q });
  const res = await fetch(`${BASE}/api/v1/claims/${claim}/evidence?${query}`, {
    method: 'POST', body: bytes, duplex: 'half',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': type, 'x-test-now': when, ...headers },
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

// A link's hash as docs/claims.md defines it, computed here from the link's fields alone.
function linkHash(e) {
  const f = (name, v) => `${name}=${Buffer.byteLength(v, 'utf8')}:${v}\n`;
  const text = `cyberins-evidence-v1\nprev=${e.prev_hash}\nclaim=${e.claim_id}\nseq=${e.seq}\nkind=${e.kind}\n` +
    `item=${e.item_seq}\nblob=${e.blob_id ?? 0}\nsha256=${e.sha256}\nsize=${e.size}\n` +
    f('media_type', e.media_type) + f('filename', e.filename) + f('description', e.description) +
    f('collected_by', e.collected_by) + f('collected_at', e.collected_at) + f('method', e.method) +
    f('from_holder', e.from_holder) + f('to_holder', e.to_holder) + f('created_at', e.created_at) +
    `org=${e.org_id}\nuser=${e.user_id}\n`;
  return sha256(Buffer.from(text, 'utf8'));
}

function cli(...args) {
  return spawnSync(process.env.CYBERINS_BIN, args, { encoding: 'utf8', env: process.env });
}

test('evidence: three items (one of 50 MiB, streamed) and a custody transfer in one hash chain; bad uploads leave nothing', async () => {
  const id = X.claim1;
  const rows = () => sql(`SELECT (SELECT COUNT(*) FROM claim_evidence WHERE claim_id = ${id}) || '/' || (SELECT COUNT(*) FROM blob WHERE purpose = 'evidence')`);
  const was = rows();
  const note = Buffer.from('YOUR FILES ARE ENCRYPTED. 所有文件已被加密。\n', 'utf8');
  // secfirm is assigned, but the insured has not engaged it for claims yet
  let r = await evidence(S.secfirm, '2025-06-10 12:00', 'vpn.log', Buffer.from('x'));
  assertError(r, 403, 'engagement_required', 'org_id');
  // bad uploads: a declared hash that is not the content's, a refused type, a missing method,
  // a file past the server's limit (256 MiB) announced; someone not on the claim
  assertError(await evidence(S.ent, '2025-06-10 12:00', 'note.txt', note, { headers: { 'x-content-sha256': sha256(Buffer.from('other')) } }), 422, 'sha256_mismatch', 'X-Content-SHA256');
  assertError(await evidence(S.ent, '2025-06-10 12:00', 'note.html', note, { type: 'text/html' }), 422, 'media_type_refused', 'Content-Type');
  assertError(await evidence(S.ent, '2025-06-10 12:00', 'note.txt', note, { q: { method: '' } }), 422, 'missing_field', 'method');
  assertError(await evidence(S.ent, '2025-06-10 12:00', 'note.txt', note, { q: { description: '勒索信', collected_at: '2025-06-11 12:00' } }), 422, 'time_future', 'collected_at');
  assertError(await evidence(S['ent-hz'], '2025-06-10 12:00', 'note.txt', note, { q: { description: 'x' } }), 404, 'not_found');
  const big = await rawRequest(`POST /api/v1/claims/${id}/evidence?filename=big.bin&description=x&method=x HTTP/1.1\r\nHost: x\r\n` +
    `Cookie: ${S.ent.cookie}\r\nX-CSRF-Token: ${S.ent.csrf}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${300 * 1024 * 1024}\r\n\r\n`);
  assert.equal(big.status, 413);
  assert.equal(rows(), was, 'a refused upload leaves no row and no blob');

  // 1: the ransom note, by the insured
  r = await evidence(S.ent, '2025-06-10 12:00', '勒索信.txt', note, {
    q: { description: '文件服务器上的勒索信', collected_at: '2025-06-10 03:10', collected_by: '信息中心 王工' },
    headers: { 'x-content-sha256': sha256(note) } });
  assert.equal(r.status, 201, r.text);
  const e1 = r.json;
  assert.deepEqual([e1.seq, e1.kind, e1.item_seq, e1.size, e1.sha256, e1.collected_at, e1.collected_by, e1.filename],
    [1, 'item', 1, note.length, sha256(note), '2025-06-09T19:10:00Z', '信息中心 王工', '勒索信.txt']);
  assert.equal(e1.prev_hash, '0'.repeat(64));
  // the insured engages secfirm for claims; then secfirm's 50 MiB disk image, streamed in chunks
  await ok(await at(S.ent, '2025-06-10 12:30', 'POST', '/api/v1/engagements', { body: { service_org_id: X.secfirm, scopes: ['claims'] } }), 201);
  const image = crypto.randomBytes(50 * 1024 * 1024);
  const parts = [];
  for (let o = 0; o < image.length; o += 4 * 1024 * 1024) parts.push(image.subarray(o, o + 4 * 1024 * 1024));
  const stream = new ReadableStream({ pull(c) { const x = parts.shift(); if (x) c.enqueue(x); else c.close(); } });
  r = await evidence(S.secfirm, '2025-06-11 10:00', 'erp-disk.img', stream, { type: 'application/octet-stream',
    q: { description: 'ERP 服务器系统盘镜像', collected_at: '2025-06-10 20:00', method: 'FTK Imager 只读镜像' } });
  assert.equal(r.status, 201, r.text);
  const e2 = r.json;
  assert.deepEqual([e2.seq, e2.size, e2.sha256, e2.prev_hash], [2, image.length, sha256(image), e1.hash]);
  const log = Buffer.from('2025-06-09 23:38:02 sslvpn login admin from 203.0.113.7\n');
  r = await evidence(S.secfirm, '2025-06-11 10:05', 'sslvpn.log', log, { q: { description: 'SSL VPN 登录日志' } });
  assert.equal(r.status, 201, r.text);
  // custody: the image handed to the insurer
  assertError(await at(S.secfirm, '2025-06-11 11:00', 'POST', `/api/v1/claims/${id}/evidence/${e1.id + 999999}/custody`, { body: { from_holder: '安全公司', to_holder: '保险公司', method: '当面移交' } }), 404, 'not_found');
  assertError(await at(S.secfirm, '2025-06-11 11:00', 'POST', `/api/v1/claims/${id}/evidence/${e2.id}/custody`, { body: { from_holder: '', to_holder: '保险公司', method: '当面移交' } }), 422, 'missing_field', 'from_holder');
  const t = await ok(await at(S.secfirm, '2025-06-11 11:00', 'POST', `/api/v1/claims/${id}/evidence/${e2.id}/custody`, {
    body: { from_holder: '安全公司 李工', to_holder: '保险公司理赔部 张经理', method: '加密移动硬盘当面移交', note: '封条完好' } }), 201);
  assert.deepEqual([t.seq, t.kind, t.item_seq, t.sha256, t.content], [4, 'custody', 2, sha256(image), null]);

  // the chain as the insurer reads it: every hash recomputed here from the fields alone
  const list = await ok(await as(S.insurer, 'GET', `/api/v1/claims/${id}/evidence`), 200);
  assert.deepEqual(list.verify, { ok: true, bad_seq: null, bad_id: null, bad_filename: null, reason: null });
  assert.deepEqual(list.items.map((e) => [e.seq, e.kind, e.filename]),
    [[1, 'item', '勒索信.txt'], [2, 'item', 'erp-disk.img'], [3, 'item', 'sslvpn.log'], [4, 'custody', 'erp-disk.img']]);
  let prev = '0'.repeat(64);
  for (const e of list.items) {
    assert.equal(e.prev_hash, prev);
    assert.equal(e.hash, linkHash(e), `link ${e.seq}`);
    prev = e.hash;
  }
  // the image comes back whole, with the recorded hash
  const res = await fetch(`${BASE}${e2.content}`, { headers: { cookie: S.insurer.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-content-sha256'), sha256(image));
  assert.equal(sha256(Buffer.from(await res.arrayBuffer())), sha256(image));
  assertError(await as(S['ent-hz'], 'GET', `/api/v1/claims/${id}/evidence`), 404, 'not_found');
  // the timeline says it
  const c = await ok(await as(S.insurer, 'GET', `/api/v1/claims/${id}`), 200);
  assert.ok(c.timeline.some((x) => x.text.startsWith('证据 2：erp-disk.img（52428800 字节')), JSON.stringify(c.timeline.map((x) => x.text)));
  X.evidence = list.items;
});

test('a service organisation reports for the insured only when the insured engaged it for claims', async () => {
  // secfirm was engaged by the insured in the evidence test (2025-06-10 12:30)
  const body = ransomware({ preview: true, discovered_at: '2025-06-14 08:00', occurred_at: '2025-06-14 07:00', org_id: X.ent.id });
  const pv = await ok(await at(S.secfirm, '2025-06-14 09:00', 'POST', '/api/v1/incidents', { body }), 200);
  assert.deepEqual(pv.policies.map((p) => [p.policy_id, p.answers]), [[X.policy.id, true]]);
  assertError(await at(S.secfirm, '2025-06-14 09:00', 'POST', '/api/v1/incidents', { body: { ...body, org_id: undefined } }), 422, 'missing_field', 'org_id');
  const other = await newEnterprise(S.miit, '未委托企业');
  assertError(await at(S.secfirm, '2025-06-14 09:00', 'POST', '/api/v1/incidents', { body: { ...body, org_id: other.org.id } }), 403, 'engagement_required', 'org_id');
  // before the engagement was granted it did not hold either
  assertError(await at(S.secfirm, '2025-06-10 12:00', 'POST', '/api/v1/incidents', { body: { ...body, discovered_at: '2025-06-10 08:00', occurred_at: '2025-06-10 07:00' } }), 403, 'engagement_required', 'org_id');
});

test('notifications raised with each step, to the organisation concerned', async () => {
  const mine = async (s, kind) => (await ok(await as(s, 'GET', `/api/v1/notifications?kind=${kind}&limit=500`), 200)).items
    .filter((n) => n.object_type === 'claim' && n.object_id === String(X.claim1));
  const reported = await mine(S.insurer, 'claim.reported');
  assert.equal(reported.length, 1);
  assert.equal(reported[0].text_zh, `保单 ${X.policy.policy_no} 的被保险人报案（勒索软件），理赔号 ${X.policy.policy_no}-C01`);
  assert.equal(reported[0].link, `/claims.html?id=${X.claim1}`);
  const assigned = await mine(S.secfirm, 'claim.assigned');
  assert.equal(assigned.length, 1);
  assert.match(assigned[0].text_en, new RegExp(`assigned this organisation for .* on claim ${X.policy.policy_no}-C01$`));
  assert.equal((await mine(S.ent, 'claim.reported')).length, 0, 'the insured is not told of its own notice');
});

test('evidence bundle: exported as a zip that sha256sum -c verifies; tampering with a row or a blob makes `cyberins evidence verify` exit 1 naming it', async () => {
  const id = X.claim1;
  let v = cli('evidence', 'verify', String(id));
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.equal(v.stdout.trim(), `evidence chain of claim ${id} ok: 4 links verified`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cy-bundle-'));
  try {
    const zip = path.join(dir, 'bundle.zip');
    const x = cli('evidence', 'export', String(id), zip);
    assert.equal(x.status, 0, x.stdout + x.stderr);
    const u = spawnSync('unzip', ['-q', zip, '-d', path.join(dir, 'out')], { encoding: 'utf8' });
    assert.equal(u.status, 0, u.stderr);
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: path.join(dir, 'out'), encoding: 'utf8' });
    assert.equal(sums.status, 0, sums.stdout + sums.stderr);
    assert.deepEqual(sums.stdout.trim().split('\n').sort(), ['files/01-勒索信.txt: OK', 'files/02-erp-disk.img: OK', 'files/03-sslvpn.log: OK']);
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8'));
    assert.deepEqual(m.links.map((l) => l.hash), X.evidence.map((e) => e.hash));
    assert.match(fs.readFileSync(path.join(dir, 'out', '取证清单.txt'), 'utf8'), /保管移交 \/ custody of item 2: 安全公司 李工 → 保险公司理赔部 张经理/);
    // a changed file in the bundle fails sha256sum -c
    fs.appendFileSync(path.join(dir, 'out', 'files', '03-sslvpn.log'), 'x');
    assert.equal(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: path.join(dir, 'out') }).status, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // a row changed in the database: link 3 named
  const e3 = X.evidence[2];
  sql(`UPDATE claim_evidence SET description = 'VPN 日志（已删改）' WHERE id = ${e3.id}`);
  v = cli('evidence', 'verify', String(id));
  assert.equal(v.status, 1, v.stdout + v.stderr);
  assert.equal(v.stdout.trim(), `evidence chain of claim ${id} BROKEN at link 3 (id ${e3.id}, file sslvpn.log): 第 3 条（sslvpn.log）的记录在写入后被改动 / link 3 (sslvpn.log) was changed after it was written`);
  assert.equal(cli('evidence', 'export', String(id), '/dev/null').status, 1, 'a broken chain is not exported');
  sql(`UPDATE claim_evidence SET description = 'SSL VPN 登录日志' WHERE id = ${e3.id}`);
  v = cli('evidence', 'verify', String(id));
  assert.equal(v.status, 0, v.stdout + v.stderr);
  // a blob changed in the database: link 1 named, also in the API's check
  const e1 = X.evidence[0];
  const original = sql(DB.startsWith('sqlite:') ? `SELECT hex(data) FROM blob_chunk WHERE blob_id = ${e1.blob_id} AND seq = 0`
    : `SELECT encode(data, 'hex') FROM blob_chunk WHERE blob_id = ${e1.blob_id} AND seq = 0`);
  const forged = Buffer.from('YOUR FILES ARE SAFE. 所有文件都没有被加密。\n', 'utf8').toString('hex');
  sql(DB.startsWith('sqlite:') ? `UPDATE blob_chunk SET data = X'${forged}' WHERE blob_id = ${e1.blob_id} AND seq = 0`
    : `UPDATE blob_chunk SET data = decode('${forged}', 'hex') WHERE blob_id = ${e1.blob_id} AND seq = 0`);
  v = cli('evidence', 'verify', String(id));
  assert.equal(v.status, 1);
  assert.match(v.stdout, new RegExp(`BROKEN at link 1 \\(id ${e1.id}, file 勒索信.txt\\): 第 1 条（勒索信.txt）的文件已被改动`));
  const api = await ok(await as(S.insurer, 'GET', `/api/v1/claims/${id}/evidence`), 200);
  assert.deepEqual([api.verify.ok, api.verify.bad_seq, api.verify.bad_id], [false, 1, e1.id]);
  sql(DB.startsWith('sqlite:') ? `UPDATE blob_chunk SET data = X'${original}' WHERE blob_id = ${e1.blob_id} AND seq = 0`
    : `UPDATE blob_chunk SET data = decode('${original.toLowerCase()}', 'hex') WHERE blob_id = ${e1.blob_id} AND seq = 0`);
  v = cli('evidence', 'verify', String(id));
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('liability: every check stated, the known exploited vulnerability exclusion tested and not holding', async () => {
  const id = X.claim1;
  assertError(await at(S.insurer, '2025-06-20 10:00', 'POST', `/api/v1/claims/${id}/liability`, { body: { exploited: ['CVE-24-1'] } }), 422, 'cve_invalid', 'exploited[0]');
  const c = await ok(await at(S.insurer, '2025-06-20 10:00', 'POST', `/api/v1/claims/${id}/liability`, { body: { exploited: ['CVE-2024-21762'], note: '取证结论：经 SSL VPN 漏洞入侵' } }), 201);
  const l = c.liability;
  assert.equal(l.outcome, 'covered');
  assert.deepEqual(l.responding, ['bi', 'data', 'ir']);
  assert.deepEqual(l.checks.map((k) => [k.code, k.mark]), [
    ['trigger', 'pass'], ['notice', 'pass'], ['peril.bi', 'pass'], ['peril.data', 'pass'], ['peril.ir', 'pass'],
    ['exclusion.war_state_action', 'pass'], ['exclusion.infrastructure', 'pass'], ['exclusion.intentional_act', 'pass'],
    ['exclusion.unpatched_kev', 'pass']]);
  const kev = l.checks.find((k) => k.code === 'exclusion.unpatched_kev');
  assert.equal(kev.clause, '第十一条第（四）项');
  assert.match(kev.text, /被利用的漏洞（CVE-2024-21762）不在承保时已知的被利用漏洞中/);
  assert.equal(c.status, 'adjusting');
  assert.equal(c.liability_outcome, 'covered');
});

test('line items: BI past the waiting period, data restoration, incident response; an uninsured coverage refused', async () => {
  const id = X.claim1;
  const add = (body) => at(S.insurer, '2025-06-25 10:00', 'POST', `/api/v1/claims/${id}/line-items`, { body });
  assertError(await add({ coverage: 'media', description: 'x', amount: 100 }), 422, 'coverage_not_insured', 'coverage');
  assertError(await add({ coverage: 'data', description: 'x', amount: 100, outage_minutes: 60, hourly_gross_profit: 1 }), 422, 'loss_item', 'outage_minutes');
  assertError(await add({ coverage: 'bi', description: 'x', amount: 0, outage_minutes: 60 }), 422, 'loss_item', 'hourly_gross_profit');
  let c = await ok(await add({ coverage: 'bi', description: '生产停机 60 小时', amount: 3600000, outage_minutes: 3600, hourly_gross_profit: 850000, documents: '停机记录、月度毛利表' }), 201);
  assert.equal(c.line_items[0].total, 54600000);
  assertError(await add({ coverage: 'bi', description: '第二次停机', amount: 0, outage_minutes: 60, hourly_gross_profit: 100 }), 422, 'loss_two_outages', 'line_items');
  c = await ok(await add({ coverage: 'data', description: 'ERP 与 MES 数据库重建', amount: 18000000 }), 201);
  c = await ok(await add({ coverage: 'ir', description: '应急处置（3 项任务）', amount: c.response_cost }), 201);
  assert.deepEqual(c.line_items.map((x) => [x.coverage, x.total]), [['bi', 54600000], ['data', 18000000], ['ir', 6200000]]);
  // a stray item can go again before the settlement
  const stray = await ok(await add({ coverage: 'data', description: '误录', amount: 1 }), 201);
  const gone = await ok(await at(S.insurer, '2025-06-25 10:05', 'DELETE', `/api/v1/claims/${id}/line-items/${stray.line_items[3].id}`), 200);
  assert.equal(gone.line_items.length, 3);
});

test('the settlement is docs/claims.md\'s hand-worked example to the fen, through the one terms engine', async () => {
  const id = X.claim1;
  assertError(await at(S.insurer, '2025-06-30 10:00', 'POST', `/api/v1/claims/${id}/payments`, { body: { kind: 'partial', amount: 100 } }), 422, 'not_settled', 'amount');
  const preview = await ok(await at(S.insurer, '2025-06-30 10:00', 'POST', `/api/v1/claims/${id}/settlement`, { body: { preview: true } }), 200);
  assert.equal(preview.id, null);
  assert.equal(preview.paid_total, 59980000);
  assert.equal((await ok(await as(S.insurer, 'GET', `/api/v1/claims/${id}`), 200)).settlement, null, 'a preview stores nothing');
  const c = await ok(await at(S.insurer, '2025-06-30 10:00', 'POST', `/api/v1/claims/${id}/settlement`, { body: {} }), 201);
  const s = c.settlement;
  assert.deepEqual(traceOf(s), docTrace('claim1'));
  assert.equal(s.ground_up_total, 78800000);
  assert.equal(s.waiting, 10200000);
  assert.equal(s.retained, 5000000);
  assert.equal(s.paid_total, 59980000);
  assert.equal(s.aggregate_before, 100000000);
  assert.equal(s.aggregate_after, 40020000);
  assert.match(s.trace.find((l) => l.rule === 'waiting').text, /等待期：营业中断等待期 12 小时，计入 48 小时/);
  assert.equal(c.status, 'settled');
  assert.equal(c.settled_amount, 59980000);
  assert.equal(c.reserve, 59980000);
  assertError(await at(S.insurer, '2025-06-30 10:05', 'POST', `/api/v1/claims/${id}/settlement`, { body: {} }), 409, 'claim_settled', 'status');
  assertError(await at(S.insurer, '2025-06-30 10:05', 'POST', `/api/v1/claims/${id}/line-items`, { body: { coverage: 'data', description: 'x', amount: 1 } }), 409, 'claim_settled', 'status');
  // the insured reads the same trace
  assert.deepEqual(traceOf((await ok(await as(S.ent, 'GET', `/api/v1/claims/${id}`), 200)).settlement), docTrace('claim1'));
});

test('two payments, never above the settled amount; recoveries; close and reopen', async () => {
  const id = X.claim1;
  const told = (await ok(await as(S.ent, 'GET', '/api/v1/notifications?kind=claim.settled&limit=500'), 200)).items
    .filter((n) => n.object_id === String(id));
  assert.deepEqual(told.map((n) => n.text_zh), [`理赔 ${X.policy.policy_no}-C01 已理算，赔款 ¥599,800.00`]);
  // and its webhook got it, signed with its secret
  for (let i = 0; i < 300 && !X.hooked.length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(X.hooked.length, 1);
  const h = X.hooked[0];
  assert.equal(h.headers['x-cyberins-event'], 'claim.settled');
  const mac = crypto.createHmac('sha256', X.hook.secret).update(`${h.headers['x-cyberins-timestamp']}.${h.body}`).digest('hex');
  assert.equal(h.headers['x-cyberins-signature'], `sha256=${mac}`);
  const sent = JSON.parse(h.body);
  assert.deepEqual([sent.kind, sent.organisation_id, sent.notification.object_id, sent.notification.text_zh],
    ['claim.settled', X.ent.id, String(id), `理赔 ${X.policy.policy_no}-C01 已理算，赔款 ¥599,800.00`]);
  const pay = (body, when = '2025-07-05 10:00') => at(S.insurer, when, 'POST', `/api/v1/claims/${id}/payments`, { body });
  assertError(await pay({ kind: 'partial', amount: 59980001 }), 422, 'payment_above_settled', 'amount');
  let c = await ok(await pay({ kind: 'partial', amount: 30000000, reference: 'PAY-0001', paid_on: '2025-07-05' }), 201);
  assert.equal(c.paid, 30000000);
  assert.equal(c.reserve, 29980000);
  assertError(await pay({ kind: 'final', amount: 100 }), 422, 'final_not_remaining', 'amount');
  assertError(await pay({ kind: 'partial', amount: 29980001 }), 422, 'payment_above_settled', 'amount');
  assertError(await pay({ kind: 'advance', amount: 1 }), 422, 'value_invalid', 'kind');
  assertError(await pay({ kind: 'partial', amount: 1, paid_on: '2025-08-01' }), 422, 'date_future', 'paid_on');
  c = await ok(await pay({ kind: 'final', amount: 29980000, reference: 'PAY-0002' }, '2025-07-20 10:00'), 201);
  assert.equal(c.paid, 59980000);
  assert.equal(c.reserve, 0);
  assert.deepEqual(c.payments.map((p) => [p.kind, p.amount, p.paid_on]), [['partial', 30000000, '2025-07-05'], ['final', 29980000, '2025-07-20']]);
  assertError(await pay({ kind: 'partial', amount: 1 }, '2025-07-21 10:00'), 422, 'payment_above_settled', 'amount');
  c = await ok(await at(S.insurer, '2025-08-01 10:00', 'POST', `/api/v1/claims/${id}/recoveries`, { body: { source: 'subrogation', counterparty: '某 VPN 设备供应商', amount: 500000 } }), 201);
  assert.equal(c.recovered, 500000);
  assertError(await at(S.insurer, '2025-08-01 10:00', 'POST', `/api/v1/claims/${id}/recoveries`, { body: { source: 'subrogation', amount: 1 } }), 422, 'missing_field', 'counterparty');
  c = await ok(await at(S.insurer, '2025-08-02 10:00', 'POST', `/api/v1/claims/${id}/close`, { body: { reason: '赔款已付清' } }), 200);
  assert.equal(c.status, 'closed');
  assertError(await at(S.ent, '2025-08-02 11:00', 'POST', `/api/v1/claims/${id}/timeline`, { body: { text: 'x' } }), 409, 'claim_closed', 'status');
  c = await ok(await at(S.insurer, '2025-08-03 10:00', 'POST', `/api/v1/claims/${id}/reopen`, { body: { reason: '追偿款到账核对' } }), 200);
  assert.equal(c.status, 'settled');
  c = await ok(await at(S.insurer, '2025-08-04 10:00', 'POST', `/api/v1/claims/${id}/close`, { body: { reason: '核对完毕' } }), 200);
  assert.deepEqual(c.statuses.map((s) => s.status), ['notified', 'responding', 'adjusting', 'settled', 'closed', 'settled', 'closed']);
  assert.deepEqual(c.reserves.map((r) => r.amount), [59980000, 29980000, 0, 0, 0]);
  // every write is in the audit log
  assert.equal(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE object_type = 'claim' AND object_id = '${id}' AND action = 'claim.pay'`)), 2);
});

test('a second claim in the same policy year pays only what the aggregate limit has left', async () => {
  const body = {
    incident_type: 'data_breach', discovered_at: '2025-09-01 10:00', description: '客户数据库被窃取并在暗网出售',
    estimates: [{ coverage: 'ir', amount: 12000000 }, { coverage: 'breach', amount: 42000000 }],
  };
  const n = await ok(await at(S.ent, '2025-09-02 10:00', 'POST', '/api/v1/incidents', { body }), 201);
  const id = n.policies[0].claim_id;
  assert.equal(n.policies[0].claim_no, `${X.policy.policy_no}-C02`);
  await ok(await at(S.insurer, '2025-09-20 10:00', 'POST', `/api/v1/claims/${id}/line-items`, { body: { coverage: 'ir', description: '取证与通知', amount: 12000000 } }), 201);
  await ok(await at(S.insurer, '2025-09-20 10:00', 'POST', `/api/v1/claims/${id}/line-items`, { body: { coverage: 'breach', description: '第三方索赔与监管罚没以外的赔偿', amount: 42000000 } }), 201);
  await ok(await at(S.insurer, '2025-09-21 10:00', 'POST', `/api/v1/claims/${id}/liability`, { body: {} }), 201);
  const c = await ok(await at(S.insurer, '2025-09-25 10:00', 'POST', `/api/v1/claims/${id}/settlement`, { body: {} }), 201);
  assert.deepEqual(traceOf(c.settlement), docTrace('claim2'));
  assert.equal(c.settlement.aggregate_before, 40020000);
  assert.equal(c.settlement.paid_total, 40020000);
  assert.equal(c.settlement.aggregate_after, 0);
  assert.match(c.settlement.trace.find((l) => l.rule === 'aggregate').text, /累计赔偿限额：本保单年度剩余 ¥337,200\.00/);
  X.claim2 = id;
});

test('a claim exploiting a known vulnerability left open past its grace period is declined, citing the clause', async () => {
  const n = await ok(await at(S.ent, '2025-10-02 10:00', 'POST', '/api/v1/incidents', {
    body: { incident_type: 'ransomware', discovered_at: '2025-10-01 08:00', description: '财务工作站经 Office 文档漏洞被植入勒索软件', estimates: [{ coverage: 'data', amount: 3000000 }] },
  }), 201);
  const id = n.policies[0].claim_id;
  const c = await ok(await at(S.insurer, '2025-10-10 10:00', 'POST', `/api/v1/claims/${id}/liability`, { body: { exploited: ['CVE-2021-40444'] } }), 201);
  assert.equal(c.liability.outcome, 'declined');
  const kev = c.liability.checks.find((k) => k.code === 'exclusion.unpatched_kev');
  assert.equal(kev.mark, 'fail');
  assert.equal(kev.text, '被利用的 CVE-2021-40444 是已知被利用漏洞（KEV），2024-12-01 首次发现，30 天宽限期于 2024-12-31 届满仍未修复，适用已知被利用漏洞逾期未修复（第十一条第（四）项） / the exploited CVE-2021-40444 is a known exploited vulnerability first seen 2024-12-01, left open past its 30-day grace period (ended 2024-12-31): known exploited vulnerability left unremediated (第十一条第（四）项) applies');
  await ok(await at(S.insurer, '2025-10-10 10:01', 'POST', `/api/v1/claims/${id}/line-items`, { body: { coverage: 'data', description: '数据恢复', amount: 3000000 } }), 201);
  assertError(await at(S.insurer, '2025-10-10 10:02', 'POST', `/api/v1/claims/${id}/settlement`, { body: {} }), 422, 'liability_declined', 'liability');
  const closed = await ok(await at(S.insurer, '2025-10-11 10:00', 'POST', `/api/v1/claims/${id}/close`, { body: { reason: '拒赔：适用第十一条第（四）项' } }), 200);
  assert.equal(closed.status, 'closed');
});

test('settlements on one policy at once never spend the same aggregate limit', async () => {
  // six claims of ¥300,000 breach liability on a fresh ¥1,000,000 policy, each paying ¥250,000
  // after the retention, all settled at once: four are paid in full and two get nothing
  const ent = await newEnterprise(S.miit, '并发理赔企业');
  const policy = await policyFor(ent.session, X.product);
  const claims = [];
  for (let day = 1; day <= 6; day++) {
    const d = `2025-05-0${day}`;
    const n = await ok(await at(ent.session, `${d} 12:00`, 'POST', '/api/v1/incidents', {
      body: { incident_type: 'data_breach', discovered_at: `${d} 09:00`, description: '数据泄露', estimates: [{ coverage: 'breach', amount: 30000000 }] },
    }), 201);
    const id = n.policies[0].claim_id;
    await ok(await at(S.insurer, '2025-05-10 10:00', 'POST', `/api/v1/claims/${id}/line-items`, { body: { coverage: 'breach', description: '第三方赔偿', amount: 30000000 } }), 201);
    await ok(await at(S.insurer, '2025-05-10 10:00', 'POST', `/api/v1/claims/${id}/liability`, { body: {} }), 201);
    claims.push(id);
  }
  const rs = await Promise.all(claims.map((id) => at(S.insurer, '2025-05-11 10:00', 'POST', `/api/v1/claims/${id}/settlement`, { body: {} })));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  const paid = rs.map((r) => r.json.settlement.paid_total).sort((a, b) => b - a);
  assert.deepEqual(paid, [25000000, 25000000, 25000000, 25000000, 0, 0]);
  assert.equal(Number(sql(`SELECT eroded FROM claim_limit WHERE policy_id = ${policy.id}`)), 100000000);
  // each settlement saw what the ones before it left
  const before = rs.map((r) => r.json.settlement.aggregate_before).sort((a, b) => b - a);
  assert.deepEqual(before, [100000000, 75000000, 50000000, 25000000, 0, 0]);
});

test('the pilot\'s figures: counts, money, reserves and times, per insurer, policy, region and industry', async () => {
  const byPolicy = await ok(await as(S.insurer, 'GET', '/api/v1/claims/figures?by=policy&from=2025-01-01&to=2026-01-01'), 200);
  const row = byPolicy.rows.find((r) => r.key === X.policy.policy_no);
  assert.equal(row.claims, 3);
  assert.equal(row.settled, 2);
  assert.equal(row.open, 1, 'the second claim is settled but not closed');
  assert.equal(row.paid, 59980000);
  assert.equal(row.recovered, 500000);
  assert.equal(row.reserves, 40020000);
  assert.equal(row.responded, 1);
  // notice 2025-06-10 09:00 → first response 10:00; → settlement 2025-06-30 10:00 (and claim 2: 09-02 10:00 → 09-25 10:00)
  assert.equal(row.avg_hours_to_first_response, 1);
  assert.equal(row.avg_hours_to_settlement, (481 + 552) / 2);
  const byRegion = await ok(await as(S['gd-prov'], 'GET', '/api/v1/claims/figures?by=region'), 200);
  assert.ok(byRegion.rows.some((r) => r.key === '440106' && r.claims >= 3));
  assert.ok(byRegion.rows.every((r) => r.key.startsWith('44')));
  const byIndustry = await ok(await as(S.miit, 'GET', '/api/v1/claims/figures?by=industry'), 200);
  assert.ok(byIndustry.rows.some((r) => r.key === 'C'));
  assertError(await as(S.ent, 'GET', '/api/v1/claims/figures'), 403, 'forbidden');
  assertError(await as(S.miit, 'GET', '/api/v1/claims/figures?by=colour'), 400, 'query_invalid', 'by');
});
