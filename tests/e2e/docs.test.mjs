// docs.test.mjs — the pilot's paperwork on SQLite and on PostgreSQL: the
// forms as DOCX (read back: the filled values are in word/document.xml),
// the tables as XLSX, a PDF made by LibreOffice in a background job (202
// until it is there, then the cached file), a record outside the caller's
// sight 404, a format a record lacks 400 on "format"; a Guangzhou package
// whose paper copies reach the province after its date (late, on the
// overdue list and its workbook, beside the electronic receipt in the hop
// history); an Annex 4 plan with the seal scans of its units uploaded
// (SHA-256, size and type kept; read back byte for byte; bad uploads refused
// naming their field); a progress report and an annual summary; `cyberins export`;
// and a second server pointed at a LibreOffice that is not there: its PDF
// answers 503 naming the reason while DOCX still works.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { as, api, login, assertError, uniqueBody8, DEMO_PASSWORD } from './lib/http.mjs';
import { asAt, schemeForm, planForm, UNITS, ok } from './lib/pilot.mjs';
import { download, unzipEntry, pdfOf, DOCX, XLSX } from './lib/docs.mjs';

const BIN = process.env.CYBERINS_BIN;
const WORK = process.env.E2E_WORK;
const S = {};
const ID = {};
const LOGINS = ['miit', 'gd-prov', 'gz-city', 'sz-city', 'insurer', 'secfirm', 'ent-gz', 'ent-hz'];

function cli(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('documents, PDFs and paper receipt', { timeout: 300_000 }, () => {
  before(async () => {
    for (const u of LOGINS) S[u] = await login(u);
    for (const u of LOGINS) ID[u] = S[u].me.organisation.id;
  });

  test('a scheme as DOCX: its form filled, for those who see it; the wrong format is 400', async () => {
    const name = `文档测试服务方案${uniqueBody8()}`;
    const s = ok(await asAt(S.secfirm, '2024-01-15 09:00', 'POST', '/api/v1/schemes', schemeForm({ name, joint: [UNITS.insurer] })), 201);
    ok(await asAt(S.insurer, '2024-01-15 09:10', 'POST', `/api/v1/schemes/${s.id}/confirm`, { legal_representative: '王总' }));
    ID.scheme = s.id;
    ID.schemeName = name;
    for (const who of ['secfirm', 'insurer']) {
      const r = await download(S[who], `/api/v1/schemes/${s.id}/document?format=docx`);
      assert.equal(r.status, 200, who);
      assert.equal(r.headers.get('content-type'), DOCX);
      const xml = unzipEntry(r.buf, 'word/document.xml');
      for (const v of [name, '羊城示范网络安全技术有限公司（演示）', '南方示范财产保险股份有限公司（演示）', '广东省广州市', '王总', '李明'])
        assert.ok(xml.includes(v), `${v} in the DOCX`);
    }
    // the default format is DOCX, and the same record gives the same bytes
    const a = await download(S.secfirm, `/api/v1/schemes/${s.id}/document`);
    const b = await download(S.secfirm, `/api/v1/schemes/${s.id}/document?format=docx`);
    assert.equal(a.status, 200);
    assert.ok(a.buf.equals(b.buf), 'deterministic');
    // a Hangzhou enterprise does not see a Guangzhou draft; anonymous callers log in first
    assertError(await as(S['ent-hz'], 'GET', `/api/v1/schemes/${s.id}/document`), 404, 'not_found', 'id');
    assertError(await as(null, 'GET', `/api/v1/schemes/${s.id}/document`), 401, 'unauthenticated');
    assertError(await as(S.secfirm, 'GET', `/api/v1/schemes/${s.id}/document?format=odt`), 400, 'query_invalid', 'format');
    assertError(await as(S.secfirm, 'GET', `/api/v1/schemes/${s.id}/document?format=xlsx`), 400, 'format_unavailable', 'format');
    assertError(await as(S.secfirm, 'GET', '/api/v1/schemes/99999999/document'), 404, 'not_found', 'id');
  });

  test('the scheme as PDF: 202 while LibreOffice converts it in a job, then the cached PDF', async () => {
    const path1 = `/api/v1/schemes/${ID.scheme}/document?format=pdf`;
    const first = await download(S.secfirm, path1);
    assert.equal(first.status, 202, first.buf.toString());
    assert.equal(first.json.filename, `scheme-${ID.scheme}.pdf`);
    assert.ok(first.json.job_id > 0);
    const r = await pdfOf(S.secfirm, path1);
    assert.equal(r.status, 200, r.buf.toString().slice(0, 300));
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.equal(r.buf.subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual(r.jobs.filter((j) => j !== first.json.job_id), [], 'one job, however often asked');
    // another unit of the scheme renders the same DOCX, so the same cached PDF, at once
    const again = await download(S.insurer, path1);
    assert.equal(again.status, 200);
    assert.ok(again.buf.equals(r.buf));
    fs.writeFileSync(path.join(WORK, 'scheme.pdf'), r.buf);
    const info = spawnSync('pdfinfo', [path.join(WORK, 'scheme.pdf')], { encoding: 'utf8' });
    assert.match(info.stdout, /Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = spawnSync('pdftotext', [path.join(WORK, 'scheme.pdf'), '-'], { encoding: 'utf8' }).stdout;
    assert.ok(text.replace(/\s/g, '').includes(ID.schemeName), 'the scheme name in the PDF text');
  });

  test('a Guangzhou package: DOCX of its cover and plans, XLSX of their tables', async () => {
    const name = `广州市文档测试工作方案${uniqueBody8()}`;
    const p = ok(await asAt(S['gz-city'], '2024-02-18 09:00', 'POST', '/api/v1/plans', planForm(2, { name })), 201);
    ok(await asAt(S['gz-city'], '2024-02-18 09:10', 'POST', `/api/v1/plans/${p.id}/submit`));
    const k = ok(await asAt(S['gz-city'], '2024-02-19 09:00', 'POST', '/api/v1/packages', { round_id: '2024', plan_ids: [p.id] }), 201);
    ok(await asAt(S['gz-city'], '2024-02-20 10:00', 'POST', `/api/v1/packages/${k.id}/forward`));
    ID.plan = p.id;
    ID.package = k.id;
    const x = await download(S['gz-city'], `/api/v1/plans/${p.id}/document?format=xlsx`);
    assert.equal(x.status, 200);
    assert.equal(x.headers.get('content-type'), XLSX);
    const strings = unzipEntry(x.buf, 'xl/sharedStrings.xml');
    for (const v of ['表1 服务机构', '羊城示范网络安全技术有限公司', '广州示范智能制造有限公司', '智能制造企业网络安全保险服务方案'])
      assert.ok(strings.includes(v) || unzipEntry(x.buf, 'xl/workbook.xml').includes(v), `${v} in the workbook`);
    const d = await download(S['gd-prov'], `/api/v1/packages/${k.id}/document?format=docx`);
    assert.equal(d.status, 200);
    const xml = unzipEntry(d.buf, 'word/document.xml');
    assert.ok(xml.includes(name) && xml.includes('广州市工业和信息化局（演示）'));
    const t = await download(S['gd-prov'], `/api/v1/packages/${k.id}/document?format=xlsx`);
    assert.ok(unzipEntry(t.buf, 'xl/sharedStrings.xml').includes(name), 'each row names its plan');
    // Shenzhen neither sent nor received it
    assertError(await as(S['sz-city'], 'GET', `/api/v1/packages/${k.id}/document`), 404, 'not_found', 'id');
  });

  test('an Annex 4 plan with its units\' seal scans: stored with hash, size and type, read back, bad uploads refused', async () => {
    const p = ok(await asAt(S['ent-gz'], '2024-02-10 09:00', 'POST', '/api/v1/plans',
      planForm(4, { joint: [UNITS.secfirm], name: `附件测试企业方案${uniqueBody8()}` })), 201);
    const up = (who, query, bytes, type, headers = {}) => as(S[who], 'POST',
      `/api/v1/plans/${p.id}/attachments?${query}&filename=${encodeURIComponent('盖章页.pdf')}`,
      { raw: bytes, headers: { 'content-type': type, ...headers } });
    const lead = Buffer.from('%PDF-1.4 广州示范智能制造 盖章页\n');
    const joint = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
    const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
    const uscc = S['ent-gz'].me.organisation.uscc;
    const a1 = ok(await up('ent-gz', `what=seal&item=${uscc}`, lead, 'application/pdf', { 'x-content-sha256': sha(lead) }), 201);
    assert.deepEqual([a1.what, a1.item, a1.label, a1.media_type, a1.size, a1.sha256, a1.filename],
      ['seal', uscc, '广州示范智能制造有限公司（演示）', 'application/pdf', lead.length, sha(lead), '盖章页.pdf']);
    const a2 = ok(await up('ent-gz', `what=seal&item=${UNITS.secfirm.uscc}`, joint, 'image/jpeg'), 201);
    assert.equal(a2.sha256, sha(joint));
    assert.equal(a2.size, 11);
    // refused, naming the field, and nothing stored
    assertError(await up('ent-gz', `what=seal&item=${uscc}`, lead, 'text/plain'), 422, 'media_type_refused', 'Content-Type');
    assertError(await up('ent-gz', `what=seal&item=${uscc}`, lead, 'application/pdf', { 'x-content-sha256': sha(joint) }), 422, 'sha256_mismatch', 'X-Content-SHA256');
    assertError(await up('ent-gz', `what=seal&item=${UNITS.insurer.uscc}`, lead, 'application/pdf'), 422, 'unit_unknown', 'item');
    assertError(await up('ent-gz', 'what=material&item=unit.1', lead, 'application/pdf'), 422, 'no_materials', 'what');
    assertError(await up('ent-gz', `what=stamp&item=${uscc}`, lead, 'application/pdf'), 400, 'query_invalid', 'what');
    assertError(await up('secfirm', `what=seal&item=${UNITS.secfirm.uscc}`, joint, 'image/jpeg'), 403, 'forbidden');
    assertError(await up('ent-hz', `what=seal&item=${uscc}`, lead, 'application/pdf'), 404, 'not_found');
    const rec = ok(await as(S['ent-gz'], 'GET', `/api/v1/plans/${p.id}`));
    assert.deepEqual(rec.attachments.map((x) => [x.id, x.sha256]).sort(), [[a1.id, sha(lead)], [a2.id, sha(joint)]].sort());
    assert.deepEqual(rec.attachments_missing, [], 'the 2024 round asks for no scans (the notice wants sealed paper)');
    // read back byte for byte by a unit of the plan; outside its sight it is not there
    const back = await download(S.secfirm, `/api/v1/plans/${p.id}/attachments/${a1.id}`);
    assert.equal(back.status, 200);
    assert.ok(back.buf.equals(lead));
    assert.equal(back.headers.get('x-content-sha256'), sha(lead));
    assert.equal(back.headers.get('content-type'), 'application/pdf');
    assertError(await as(S['ent-hz'], 'GET', `/api/v1/plans/${p.id}/attachments/${a1.id}`), 404, 'not_found');
    assertError(await as(S['ent-gz'], 'GET', `/api/v1/schemes/${p.id}/attachments/${a1.id}`), 404, 'not_found');
    // submitted, it takes no more
    for (const u of ['ent-gz', 'secfirm'])
      ok(await asAt(S[u], '2024-02-10 09:10', 'POST', `/api/v1/plans/${p.id}/confirm`, { legal_representative: '法定代表人' }));
    ok(await asAt(S['ent-gz'], '2024-02-10 09:20', 'POST', `/api/v1/plans/${p.id}/submit`));
    const late = await up('ent-gz', `what=seal&item=${uscc}`, lead, 'application/pdf');
    assert.equal(late.status, 409, late.text);
  });

  test('its paper reaches the province after 2024-02-26: recorded late, shown beside the hop and overdue', async () => {
    const url = `/api/v1/packages/${ID.package}/paper`;
    const at = '2024-02-28 10:00';
    // refusals name their field and leave nothing
    assertError(await asAt(S['gd-prov'], at, 'POST', url, { received_at: '2024-02-28 09:30', copies: 0 }), 422, 'copies_range', 'copies');
    assertError(await asAt(S['gd-prov'], at, 'POST', url, { received_at: '2024-02-29 09:30', copies: 3 }), 422, 'received_in_future', 'received_at');
    assertError(await asAt(S['gd-prov'], at, 'POST', url, { received_at: '二月底', copies: 3 }), 422, 'invalid_time', 'received_at');
    assertError(await asAt(S['gd-prov'], at, 'POST', url, { received_at: '2024-02-28 09:30' }), 400, 'missing_field', 'copies');
    assertError(await asAt(S['gd-prov'], at, 'POST', url, { received_at: '2024-02-28 09:30', copies: 3, by: 'EMS' }), 400, 'unknown_field', 'by');
    assertError(await asAt(S['ent-gz'], at, 'POST', url, { received_at: '2024-02-28 09:30', copies: 3 }), 403, 'forbidden');
    assertError(await asAt(S['gz-city'], at, 'POST', url, { received_at: '2024-02-28 09:30', copies: 3 }), 404, 'not_found', 'id');
    const paper = ok(await asAt(S['gd-prov'], at, 'POST', url, { received_at: '2024-02-28 09:30', copies: 3, comment: 'EMS' }), 201);
    assert.deepEqual([paper.received_at, paper.copies, paper.copies_expected, paper.deadline_key, paper.deadline_at, paper.judged, paper.late],
      ['2024-02-28T01:30:00Z', 3, 3, 'package_at_province', '2024-02-26T15:59:59Z', true, true]);
    assertError(await asAt(S['gd-prov'], at, 'POST', url, { received_at: '2024-02-28 09:30', copies: 3 }), 409, 'paper_recorded', 'id');
    // the hop history: electronic receipt and paper side by side
    const k = ok(await as(S['gz-city'], 'GET', `/api/v1/packages/${ID.package}`));
    const hop = k.hops.find((h) => h.kind === 'forward');
    assert.equal(hop.received_at, '2024-02-20T02:00:00Z');
    assert.equal(hop.paper.received_at, '2024-02-28T01:30:00Z');
    assert.equal(hop.paper.late, true);
    // the overdue list of the province and of the city that sent it
    for (const who of ['gd-prov', 'gz-city', 'miit']) {
      const items = ok(await asAt(S[who], '2024-03-01 09:00', 'GET', '/api/v1/overdue?round_id=2024')).items;
      const it = items.find((i) => i.kind === 'package_paper' && i.package_id === ID.package);
      assert.ok(it, `${who} sees the late paper`);
      assert.deepEqual([it.org_id, it.to_name, it.due_at, it.paper_received_at, it.copies, it.late],
        [ID['gz-city'], '广东省工业和信息化厅（演示）', '2024-02-26T15:59:59Z', '2024-02-28T01:30:00Z', 3, true]);
    }
    const sz = ok(await asAt(S['sz-city'], '2024-03-01 09:00', 'GET', '/api/v1/overdue?round_id=2024')).items;
    assert.equal(sz.filter((i) => i.package_id === ID.package).length, 0, 'not Shenzhen\'s');
    // and its workbook
    const w = await download(S['gd-prov'], '/api/v1/overdue/2024/document', undefined, { 'x-test-now': '2024-03-01 09:00' });
    assert.equal(w.status, 200);
    assert.equal(w.headers.get('content-type'), XLSX);
    const strings = unzipEntry(w.buf, 'xl/sharedStrings.xml');
    assert.ok(strings.includes('材料包纸质材料') && strings.includes('广州市工业和信息化局（演示）'));
    assertError(await as(S['ent-gz'], 'GET', '/api/v1/overdue/2024/document'), 403, 'forbidden');
    assertError(await as(S['gd-prov'], 'GET', '/api/v1/overdue/1999/document'), 404, 'not_found', 'round_id');
    assertError(await as(S['gd-prov'], 'GET', '/api/v1/overdue/2024/document?format=docx'), 400, 'format_unavailable', 'format');
  });

  test('the catalogue of a round, a progress report and an annual summary as documents', async () => {
    const items = ok(await as(S['ent-gz'], 'GET', '/api/v1/catalogue?round_id=2024')).items;
    const c = await download(S['ent-gz'], '/api/v1/catalogue/2024/document?format=xlsx');
    assert.equal(c.status, 200);
    const strings = unzipEntry(c.buf, 'xl/sharedStrings.xml');
    for (const i of items) assert.ok(strings.includes(i.name), `${i.name} in the catalogue workbook`);
    const cd = await download(S['ent-gz'], '/api/v1/catalogue/2024/document');
    assert.ok(unzipEntry(cd.buf, 'word/document.xml').includes('2024年网络安全保险服务试点'));
    assertError(await as(S['ent-gz'], 'GET', '/api/v1/catalogue/1999/document'), 404, 'not_found', 'round_id');

    // a Shenzhen pilot: its plan at the ministry, selected, reporting
    const p = ok(await asAt(S['sz-city'], '2024-03-01 09:00', 'POST', '/api/v1/plans', planForm(2, { name: `深圳市文档测试工作方案${uniqueBody8()}` })), 201);
    ok(await asAt(S['sz-city'], '2024-03-01 09:10', 'POST', `/api/v1/plans/${p.id}/submit`));
    const k = ok(await asAt(S['sz-city'], '2024-03-02 09:00', 'POST', '/api/v1/packages', { round_id: '2024', plan_ids: [p.id] }), 201);
    ok(await asAt(S['sz-city'], '2024-03-02 10:00', 'POST', `/api/v1/packages/${k.id}/forward`));
    const pilot = ok(await asAt(S.miit, '2024-03-20 09:00', 'POST', '/api/v1/pilots', { plan_id: p.id, start_date: '2024-04-01' }), 201);
    const rep = ok(await asAt(S['sz-city'], '2024-07-05 09:00', 'POST', '/api/v1/reports', {
      pilot_id: pilot.id, period: '2024Q2', insured_enterprises: 12, policies: 12, premium_fen: 123456789,
      sum_insured_fen: 6000000000, assessments: 12, alerts: 40, incidents: 2, claims_paid_fen: 5000000,
      text: '第二季度完成首批投保企业风险评估。' }), 201);
    const r = await download(S['sz-city'], `/api/v1/reports/${rep.id}/document`);
    assert.equal(r.status, 200);
    const rx = unzipEntry(r.buf, 'word/document.xml');
    for (const v of [pilot.code, '2024Q2', '1,234,567.89', '第二季度完成首批投保企业风险评估。', '深圳市工业和信息化局（演示）'])
      assert.ok(rx.includes(v), `${v} in the report`);
    assertError(await as(S['gz-city'], 'GET', `/api/v1/reports/${rep.id}/document`), 404, 'not_found', 'id');
    const sum = ok(await asAt(S['sz-city'], '2024-11-05 09:00', 'POST', '/api/v1/summaries', {
      round_id: '2024', level: 'pilot', pilot_id: pilot.id, progress: '年度试点进展顺利。', innovation: '推出按风险定价的新产品。', services: '开展风险评估与应急演练。' }), 201);
    const m = await download(S.miit, `/api/v1/summaries/${sum.id}/document`);
    assert.equal(m.status, 200);
    const mx = unzipEntry(m.buf, 'word/document.xml');
    for (const v of ['年度试点进展顺利。', '推出按风险定价的新产品。', '2024年网络安全保险服务试点']) assert.ok(mx.includes(v), v);
    assertError(await as(S['ent-hz'], 'GET', `/api/v1/summaries/${sum.id}/document`), 404, 'not_found', 'id');
  });

  test('the demo holds a record of each kind, made once however often the demo runs', async () => {
    const demo = JSON.parse(fs.readFileSync(new URL('../../data/demo/documents.json', import.meta.url)));
    const again = cli('demo');
    assert.equal(again.code, 0, again.err);
    const cat = ok(await as(S['ent-hz'], 'GET', '/api/v1/catalogue?round_id=2024')).items;
    const entries = cat.filter((e) => e.name === demo.scheme.form.name);
    assert.equal(entries.length, 1, 'the demo scheme, catalogued once');
    // its document is seen as the scheme is: its units and the authorities, not every reader of the catalogue
    const d = await download(S.insurer, `/api/v1/schemes/${entries[0].scheme_id}/document`);
    assert.equal(d.status, 200);
    assert.ok(unzipEntry(d.buf, 'word/document.xml').includes(demo.scheme.form.name));
    assert.equal((await download(S['ent-hz'], `/api/v1/schemes/${entries[0].scheme_id}/document`)).status, 404);
    const plans = ok(await as(S['gz-city'], 'GET', '/api/v1/plans?round_id=2024&limit=500')).items;
    const a4 = plans.filter((p) => p.name === demo.annex4.form.name);
    const a2 = plans.filter((p) => p.name === demo.package.annex2.form.name);
    assert.deepEqual([a4.length, a2.length, a4[0].annex, a2[0].annex], [1, 1, 4, 2]);
    const k = ok(await as(S['gd-prov'], 'GET', `/api/v1/packages/${a2[0].package_id}`));
    assert.deepEqual(k.plans.map((p) => p.id).sort(), [a2[0].id, a4[0].id].sort());
    const hop = k.hops.find((h) => h.kind === 'forward');
    assert.deepEqual([hop.received_at, hop.paper.received_at, hop.paper.copies, hop.paper.late],
      ['2024-02-20T02:00:00Z', '2024-02-27T07:30:00Z', 3, true]);
    const docx = await download(S['gd-prov'], `/api/v1/packages/${k.id}/document`);
    const xml = unzipEntry(docx.buf, 'word/document.xml');
    assert.ok(xml.includes(demo.annex4.form.name) && xml.includes(demo.package.annex2.form.name));
  });

  test('cyberins export writes the same documents from the command line', () => {
    const out = path.join(WORK, 'scheme-export.docx');
    const r = cli('export', 'scheme', String(ID.scheme), '--format', 'docx', '--out', out);
    assert.equal(r.code, 0, r.err);
    const buf = fs.readFileSync(out);
    assert.ok(unzipEntry(buf, 'word/document.xml').includes(ID.schemeName));
    const x = cli('export', 'package', String(ID.package), '--format', 'xlsx', '--out', path.join(WORK, 'package.xlsx'));
    assert.equal(x.code, 0, x.err);
    const bad = cli('export', 'scheme', String(ID.scheme), '--format', 'xlsx', '--out', path.join(WORK, 'no.xlsx'));
    assert.equal(bad.code, 1);
    assert.match(bad.err, /\[format\]/);
    assert.equal(cli('export', 'scheme', String(ID.scheme), '--format', 'odt', '--out', out).code, 2);
    assert.equal(cli('export', 'invoice', '1', '--format', 'docx', '--out', out).code, 2);
    assert.equal(cli('export', 'scheme', '99999999', '--format', 'docx', '--out', out).code, 1);
  });
});

// A second server over a database of its own, told to use a LibreOffice that is not there.
describe('a server without LibreOffice', { timeout: 120_000 }, () => {
  let server, base;
  before(async () => {
    const db = `sqlite:${path.join(WORK, 'no-soffice.db')}`;
    const demo = spawnSync(BIN, ['demo', '--db', db], { encoding: 'utf8', timeout: 120000 });
    assert.equal(demo.status, 0, demo.stderr);
    server = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '1', '--test-clock',
      '--soffice', '/nonexistent/soffice', '--access-log', path.join(WORK, 'no-soffice.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
    base = await new Promise((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/serving (http:\S+)\/ /);
        if (m) resolve(m[1]);
      });
      server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
  });
  after(async () => {
    if (!server) return;
    const done = new Promise((ok) => server.on('exit', ok));
    server.kill('SIGTERM');
    await done;
  });

  test('its PDF answers 503 naming the reason, and DOCX and XLSX still work', async () => {
    const r0 = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'secfirm', password: DEMO_PASSWORD }) });
    assert.equal(r0.status, 200);
    const j = await r0.json();
    const s = { cookie: r0.headers.get('set-cookie').split(';')[0], csrf: j.csrf_token };
    const cr = await fetch(`${base}/api/v1/schemes`, { method: 'POST', headers: { 'content-type': 'application/json',
      cookie: s.cookie, 'x-csrf-token': s.csrf, 'x-test-now': '2024-01-15 09:00' }, body: JSON.stringify(schemeForm({ name: '无LibreOffice服务方案' })) });
    assert.equal(cr.status, 201);
    const id = (await cr.json()).id;
    const r = await pdfOf(s, `/api/v1/schemes/${id}/document?format=pdf`, { base });
    assert.equal(r.status, 503, r.buf.toString());
    assert.equal(r.json.error.code, 'pdf_unavailable');
    assert.equal(r.json.error.field, 'format');
    assert.match(r.json.error.message, /libreoffice-writer-nogui/);
    assert.equal(r.headers.get('retry-after'), '60');
    assert.equal(r.jobs.length, 1);
    // asked again at once: the failure, not another try
    const again = await download(s, `/api/v1/schemes/${id}/document?format=pdf`, base);
    assert.equal(again.status, 503);
    const d = await download(s, `/api/v1/schemes/${id}/document?format=docx`, base);
    assert.equal(d.status, 200);
    assert.ok(unzipEntry(d.buf, 'word/document.xml').includes('无LibreOffice服务方案'));
    const cat = await download(s, '/api/v1/catalogue/2024/document?format=xlsx', base);
    assert.equal(cat.status, 200);
  });
});
