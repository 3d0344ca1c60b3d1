// uw.test.mjs — underwriting end to end on a real server (SQLite and
// PostgreSQL through run.sh): an insurer's product, its 单价保费及保额 table,
// an enterprise's assessment with save and resume, evidence and its score,
// then assessment → quote → referral → bind → endorsement → cancellation →
// renewal with every amount checked against its formula, the bad inputs of
// issue 5 (each a 4xx naming the field), a service organisation acting for
// an enterprise, and the bulk quote of the command line priced exactly as
// the API prices.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { api, as, login, assertError } from './lib/http.mjs';
import { productBody, bestAnswers, proRata } from './matrix/uw.mjs';

const BIN = process.env.CYBERINS_BIN;
const DB = process.env.CYBERINS_DB;

function sql(statement) {
  const r = DB.startsWith('sqlite:')
    ? spawnSync('sqlite3', ['-cmd', '.timeout 10000', DB.slice(7), statement], { encoding: 'utf8' })
    : spawnSync('psql', [DB, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const S = {};
const X = {};
let n = 0;
const uniq = () => `e2e${Date.now() % 100000}x${++n}`;

// Beijing dates: today + days as YYYY-MM-DD.
const bjDate = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
const addDays = (date, days) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400e3).toISOString().slice(0, 10);

const roundHalfUp = (x) => Math.floor(x + 0.5);

async function ok(r, status) {
  assert.equal(r.status, status, r.text);
  return r.json;
}

before(async () => {
  for (const u of ['insurer', 'insurer-uw', 'ent-gz', 'ent-hz', 'secfirm', 'miit', 'gz-city']) S[u] = await login(u);
  X.entGz = S['ent-gz'].me.organisation.id;
  X.best = await bestAnswers(S['ent-gz']);
  X.qn = (await as(S['ent-gz'], 'GET', '/api/v1/assessments/questionnaire')).json;
});

test('an insurer designs, files and versions a product; bad products are refused naming the field', async () => {
  const ins = S.insurer;
  const p = await ok(await as(ins, 'POST', '/api/v1/products', { body: productBody(`端到端产品${uniq()}`) }), 201);
  assert.equal(p.status, 'draft');
  assert.equal(p.version, 1);
  assert.equal(p.family_id, p.id);
  assert.equal(p.rating_model, '2025.1');
  assert.equal(p.insurer_name, S.insurer.me.organisation.name);
  assert.deepEqual(p.coverages.map((c) => [c.code, c.sublimit, c.share_bp]), [['bi', null, 10000], ['data', 200000000, 10000], ['ir', null, 10000], ['breach', null, 10000]]);
  assert.deepEqual(p.limit_options, [100000000, 300000000, 500000000]);

  assertError(await as(ins, 'POST', '/api/v1/products', { body: { ...productBody('x'), limit_options: [500000] } }), 422, 'limit_below_retention', 'limit_options');
  assertError(await as(ins, 'POST', '/api/v1/products', { body: { ...productBody('x'), coverages: [{ code: 'fire' }] } }), 422, 'coverage_unknown', 'coverages[0]');
  assertError(await as(ins, 'POST', '/api/v1/products', { body: { ...productBody('x'), class: 'product_service', target_industries: [] } }), 422, 'product_type_required', 'product_type');
  assertError(await as(ins, 'POST', '/api/v1/products', { body: { ...productBody('x'), target_industries: ['aerospace'] } }), 422, 'target_industry_unknown', 'target_industries');
  assertError(await as(ins, 'POST', '/api/v1/products', { body: { ...productBody('x'), bi_waiting_hours: 0 } }), 422, 'waiting_period_required', 'bi_waiting_hours');
  assertError(await as(ins, 'POST', '/api/v1/products', { body: { ...productBody('x'), colour: 'red' } }), 400, 'unknown_field', 'colour');
  assertError(await as(ins, 'POST', '/api/v1/products', { body: { ...productBody('x'), limit_options: '1' } }), 400, 'wrong_type', 'limit_options');
  assertError(await as(S['ent-gz'], 'POST', '/api/v1/products', { body: productBody('x') }), 403, 'forbidden');
  // the longest name (255 bytes of Chinese) still makes a valid UTF-8 audit entry on both backends
  const long = await ok(await as(ins, 'POST', '/api/v1/products', { body: productBody('长'.repeat(85)) }), 201);
  await ok(await as(ins, 'POST', `/api/v1/products/${long.id}/filing`, { body: { filing_no: '号'.repeat(40), filing_date: '2024-03-01' } }), 200);
  assertError(await as(ins, 'POST', '/api/v1/products', { body: productBody('长'.repeat(86)) }), 422, 'too_long', 'name');

  // a draft is the insurer's own
  assertError(await as(S['ent-gz'], 'GET', `/api/v1/products/${p.id}`), 404, 'not_found');
  const edited = await ok(await as(S['insurer-uw'], 'PATCH', `/api/v1/products/${p.id}`, { body: { description: '改过的说明', minimum_premium: 300000 } }), 200);
  assert.equal(edited.minimum_premium, 300000);
  await ok(await as(S['insurer-uw'], 'PATCH', `/api/v1/products/${p.id}`, { body: { minimum_premium: null } }), 200);

  // filing: the admin's act, dated today or before
  assertError(await as(S['insurer-uw'], 'POST', `/api/v1/products/${p.id}/filing`, { body: { filing_no: 'F1', filing_date: '2024-03-01' } }), 403, 'forbidden');
  assertError(await as(ins, 'POST', `/api/v1/products/${p.id}/filing`, { body: { filing_no: 'F1', filing_date: bjDate(3) } }), 422, 'date_future', 'filing_date');
  assertError(await as(ins, 'POST', `/api/v1/products/${p.id}/filing`, { body: { filing_no: 'F1', filing_date: '2024-02-30' } }), 422, 'date_invalid', 'filing_date');
  const filed = await ok(await as(ins, 'POST', `/api/v1/products/${p.id}/filing`, { body: { filing_no: '（备-网络安全保险）〔2024〕（主）E2E号', filing_date: '2024-03-01' } }), 200);
  assert.equal(filed.status, 'active');
  assert.equal((await ok(await as(S['ent-gz'], 'GET', `/api/v1/products/${p.id}`), 200)).filing_no, '（备-网络安全保险）〔2024〕（主）E2E号');
  assertError(await as(ins, 'PATCH', `/api/v1/products/${p.id}`, { body: { description: 'x' } }), 409, 'product_not_draft', 'status');
  assertError(await as(ins, 'POST', `/api/v1/products/${p.id}/filing`, { body: { filing_no: 'F2', filing_date: '2024-03-01' } }), 409, 'product_not_draft');

  // a new version: one draft at a time; filing it retires the version on sale
  const v2 = await ok(await as(ins, 'POST', `/api/v1/products/${p.id}/versions`), 201);
  assert.equal(v2.version, 2);
  assert.equal(v2.family_id, p.id);
  assert.equal(v2.status, 'draft');
  assertError(await as(ins, 'POST', `/api/v1/products/${p.id}/versions`), 409, 'draft_exists');
  await ok(await as(ins, 'PATCH', `/api/v1/products/${v2.id}`, { body: { limit_options: [100000000, 300000000, 500000000, 1000000000] } }), 200);
  await ok(await as(ins, 'POST', `/api/v1/products/${v2.id}/filing`, { body: { filing_no: 'E2E-2', filing_date: '2024-06-01' } }), 200);
  assert.equal((await ok(await as(ins, 'GET', `/api/v1/products/${p.id}`), 200)).status, 'superseded');
  const list = await ok(await as(S['ent-hz'], 'GET', '/api/v1/products?status=active'), 200);
  assert.ok(list.items.some((x) => x.id === v2.id));
  assert.ok(!list.items.some((x) => x.id === p.id));
  assertError(await as(S['ent-hz'], 'GET', '/api/v1/products?status=sold'), 400, 'status_invalid', 'status');
  X.superseded = p.id;
  X.product = v2.id;
});

test('the 单价保费及保额 table prices every limit × grade × revenue band through the quote path, as JSON and CSV', async () => {
  const t = await ok(await as(S['ent-hz'], 'GET', `/api/v1/products/${X.product}/rate-table?industry=C`), 200);
  assert.equal(t.industry_section, 'C');
  assert.equal(t.retention, 1000000);
  assert.deepEqual(t.grades, ['A', 'B', 'C', 'D', 'E']);
  assert.equal(t.bands.length, 6);
  assert.equal(t.rows.length, 4 * 5 * 6);
  // a better grade never costs more
  for (const r of t.rows) {
    const worse = t.rows.find((x) => x.limit === r.limit && x.band === r.band && x.grade === String.fromCharCode(r.grade.charCodeAt(0) + 1));
    if (worse) assert.ok(r.premium <= worse.premium, JSON.stringify([r, worse]));
  }
  // each cell is what an indicative quote of the same facts answers
  for (const r of [t.rows[0], t.rows[37], t.rows[t.rows.length - 1]]) {
    const q = await ok(await as(S.insurer, 'POST', '/api/v1/quotes', {
      body: { indicative: true, product_id: X.product, industry: 'C', revenue: r.rated_revenue, aggregate_limit: r.limit, retention: 1000000, grade: r.grade },
    }), 200);
    assert.equal(q.premium, r.premium);
    assert.equal(q.pure_premium, r.pure_premium);
  }
  const csv = await api('GET', `/api/v1/products/${X.product}/rate-table?industry=39&format=csv&retention=5000000`, { headers: { cookie: S['ent-hz'].cookie } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = csv.text.trim().split('\n');
  assert.equal(lines[0], 'limit_fen,grade,revenue_band,rated_revenue_fen,premium_fen,pure_premium_fen,rate_on_line,decision,rules');
  assert.equal(lines.length, 1 + 120);
  const j = await ok(await as(S['ent-hz'], 'GET', `/api/v1/products/${X.product}/rate-table?industry=39&retention=5000000`), 200);
  assert.equal(j.industry_section, 'C'); // 大类 39 lies in section C
  const [l, g, b, rr, prem, pure] = lines[1].split(',');
  assert.deepEqual([Number(l), g, b, Number(rr), Number(prem), Number(pure)], [j.rows[0].limit, j.rows[0].grade, j.rows[0].band, j.rows[0].rated_revenue, j.rows[0].premium, j.rows[0].pure_premium]);

  assertError(await as(S['ent-hz'], 'GET', `/api/v1/products/${X.product}/rate-table`), 422, 'missing_field', 'industry');
  assertError(await as(S['ent-hz'], 'GET', `/api/v1/products/${X.product}/rate-table?industry=ZZ`), 422, 'industry_unknown', 'industry');
  assertError(await as(S['ent-hz'], 'GET', `/api/v1/products/${X.product}/rate-table?industry=C&retention=12345`), 422, 'retention_not_offered', 'retention');
  assertError(await as(S['ent-hz'], 'GET', `/api/v1/products/${X.product}/rate-table?industry=C&format=xml`), 400, 'query_invalid', 'format');
});

test('the questionnaire follows GB/T 22239-2019 with its extension modules and the insurer-critical controls', async () => {
  const q = X.qn;
  assert.equal(q.version, '2025.1');
  assert.deepEqual(q.sections.slice(0, 10).map((s) => s.name_zh), ['安全物理环境', '安全通信网络', '安全区域边界', '安全计算环境', '安全管理中心', '安全管理制度', '安全管理机构', '安全管理人员', '安全建设管理', '安全运维管理']);
  assert.equal(q.sections[10].name_zh, '承保关键控制');
  assert.deepEqual(q.modules.map((m) => m.code), ['cloud', 'mobile', 'iot', 'ics', 'vehicle']);
  assert.deepEqual(q.modules.find((m) => m.code === 'ics').target_industries, ['industrial_internet']);
  assert.deepEqual(q.modules.find((m) => m.code === 'vehicle').target_industries, ['connected_vehicles']);
  assert.equal(q.scoring.partial_credit, 0.5);
  const critical = q.questions.filter((x) => x.critical).map((x) => x.id);
  for (const id of ['ic_mfa_email', 'ic_mfa_remote', 'ic_mfa_privileged', 'ic_edr', 'ic_backup_offline', 'ic_restore_test', 'ic_patch', 'ic_eol', 'ic_ext_scan', 'ic_phishing', 'ic_pam', 'ic_email_auth', 'ic_siem'])
    assert.ok(critical.includes(id), id);
  assert.deepEqual([...new Set(q.questions.map((x) => x.type))].sort(), ['choice', 'number', 'ynp']);
  assertError(await api('GET', '/api/v1/assessments/questionnaire'), 401, 'unauthenticated');
});

// The control score the questionnaire's own numbers give, for answers and active modules.
function controlScore(answers, modules) {
  let w = 0;
  let got = 0;
  for (const q of X.qn.questions) {
    if (q.module && !modules.includes(q.module)) continue;
    const a = answers[q.id];
    if (a === 'na') continue;
    w += q.weight;
    let s = 0;
    if (a === 'yes') s = 1;
    else if (a === 'partial') s = X.qn.scoring.partial_credit;
    else if (q.type === 'choice' && a !== undefined) s = q.options.find((o) => o.code === a).score;
    else if (q.type === 'number' && a !== undefined) {
      const { min, max, score_at_min: s0, score_at_max: s1 } = q.number;
      s = a <= min ? s0 : a >= max ? s1 : s0 + ((a - min) / (max - min)) * (s1 - s0);
    }
    got += q.weight * s;
  }
  return (100 * got) / w;
}

test('an enterprise answers with save and resume, imports scan evidence, and submits: score, grade, drivers, advice', async () => {
  const ent = S['ent-gz'];
  const part1 = { ic_mfa_email: 'yes', ic_mfa_remote: 'partial', ic_edr: 'full', ppl_training: 60 };
  const a = await ok(await as(ent, 'POST', '/api/v1/assessments', { body: { target_industry: 'industrial_internet', flags: ['cloud'], answers: part1, mlps: { level: 3, conclusion: 'good', score: 84.5, date: '2024-06-18' }, dependencies: { cloud: '阿里云', os: 'Windows', vpn: '深信服', email: '腾讯企业邮' } } }), 201);
  assert.equal(a.status, 'draft');
  assert.deepEqual(a.modules, ['cloud', 'ics']);
  assert.deepEqual(a.progress, { applicable: 42, answered: 4 });
  assert.equal(a.mlps.score, 84.5);
  // resume: more answers, one taken back, one changed
  const answers = { ...X.best, ic_mfa_remote: 'partial', ic_backup_offline: 'no', ppl_training: 60, ics_segment: 'partial', ics_remote: 'yes', ics_usb: 'no', cl_shared_resp: 'yes', cl_config: 'partial', cl_mfa_console: 'yes', phys_access: 'na' };
  let b = await ok(await as(ent, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { answers: { ...answers, ic_phishing: 'yes' } } }), 200);
  assert.equal(b.progress.answered, 42);
  b = await ok(await as(ent, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { answers: { ic_phishing: null } } }), 200);
  assert.equal(b.progress.answered, 41);
  assert.equal(b.answers.ic_phishing, undefined);
  b = await ok(await as(ent, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { answers: { ic_phishing: 'no' } } }), 200);
  answers.ic_phishing = 'no';
  assert.equal((await ok(await as(ent, 'GET', `/api/v1/assessments/${a.id}`), 200)).answers.ic_patch, X.best.ic_patch);

  assertError(await as(ent, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { answers: { ic_edr: 'maybe' } } }), 422, 'answer_invalid', 'answers.ic_edr');
  assertError(await as(ent, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { answers: { ic_mfa_email: 'na' } } }), 422, 'answer_invalid', 'answers.ic_mfa_email');
  assertError(await as(ent, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { answers: { ic_horoscope: 'yes' } } }), 422, 'question_unknown', 'answers.ic_horoscope');
  assertError(await as(ent, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { flags: ['spaceship'] } }), 422, 'flag_unknown', 'flags');
  assertError(await as(ent, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { mlps: { conclusion: 'great' } } }), 422, 'mlps_invalid', 'mlps.conclusion');
  assertError(await as(S['ent-hz'], 'PATCH', `/api/v1/assessments/${a.id}`, { body: { answers: {} } }), 404, 'not_found');

  // evidence: JSON, then CSV; a bad row refuses the whole import and saves nothing
  const old = addDays(bjDate(), -90);
  const f = await ok(await as(ent, 'POST', `/api/v1/assessments/${a.id}/findings`, { body: { findings: [
    { asset: 'vpn.e2e.example.cn', port: 443, service: 'https', cve: 'CVE-2024-3400', cvss: 10, epss: 0.96, kev: true, first_seen: old },
    { asset: 'www.e2e.example.cn', port: 443, service: 'https', cve: 'CVE-2023-44487', cvss: 7.5, epss: 0.3, kev: false, first_seen: old },
  ] } }), 200);
  assert.equal(f.findings.length, 2);
  assert.deepEqual([f.findings[0].kev, f.findings[0].internet_facing, f.findings[0].cvss, f.findings[0].epss], [true, true, 10, 0.96]);
  const bad = await as(ent, 'POST', `/api/v1/assessments/${a.id}/findings`, { body: { csv: 'asset,port,cvss,epss,kev,first_seen\nmail.e2e.example.cn,25,5.3,0.01,false,2025-01-02\ndb.e2e.example.cn,5432,11,0.2,false,2025-01-02\n' } });
  assertError(bad, 422, 'finding_invalid', 'csv');
  assert.match(bad.json.error.message, /CSV 第 3 行 cvss/);
  assert.match(bad.json.error.message, /CSV line 3, cvss/);
  assertError(await as(ent, 'POST', `/api/v1/assessments/${a.id}/findings`, { body: { findings: [{ asset: 'x', first_seen: '2025-01-02', cve: 'CVE-1' }] } }), 422, 'finding_invalid', 'findings[0].cve');
  assertError(await as(ent, 'POST', `/api/v1/assessments/${a.id}/findings`, { body: { csv: 'host,first_seen\nx,2025-01-01\n' } }), 422, 'csv_invalid', 'csv');
  assertError(await as(ent, 'POST', `/api/v1/assessments/${a.id}/findings`, { body: {} }), 422, 'missing_field', 'findings');
  assert.equal((await ok(await as(ent, 'GET', `/api/v1/assessments/${a.id}`), 200)).findings.length, 2);
  const c = await ok(await as(ent, 'POST', `/api/v1/assessments/${a.id}/findings`, { body: { csv: 'asset,port,service,cvss,epss,kev,first_seen\nmail.e2e.example.cn,25,smtp,5.3,0.01,false,2025-01-02\n' } }), 200);
  assert.equal(c.findings.length, 3);
  assert.equal(c.findings[2].service, 'smtp');

  // submit: the score is the questionnaire's arithmetic, the drivers explain it
  const s = await ok(await as(ent, 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
  assert.equal(s.status, 'submitted');
  const r = s.result;
  const control = controlScore(answers, ['cloud', 'ics']);
  assert.ok(Math.abs(r.control_score - control) < 0.006, `${r.control_score} vs ${control}`);
  assert.equal(r.kev_findings, undefined); // counts are under counts
  assert.deepEqual([r.counts.kev_findings, r.counts.severe_findings, r.kev_penalty, r.severe_penalty, r.mlps_points], [1, 1, 10, 4, 2]);
  assert.ok(Math.abs(s.score - (control - 10 - 4 + 2)) < 0.006);
  assert.deepEqual([r.counts.applicable, r.counts.not_applicable, r.counts.unanswered], [41, 1, 0]);
  // no offline backup caps the grade at C whatever the score (a B by score here)
  assert.equal(r.grade_uncapped, 'B');
  assert.deepEqual(r.cap, { question: 'ic_backup_offline', grade: 'C' });
  assert.equal(s.grade, 'C');
  // the drivers: the KEV finding, the missing backup (weight 5 of 79: 6.33 points), the
  // severe finding, then a tie of 2.53 kept in the questionnaire's order
  assert.deepEqual(r.drivers.map((d) => [d.id, d.points]), [['evidence.kev_internet', 10], ['ic_backup_offline', 6.33], ['evidence.severe', 4], ['ic_mfa_remote', 2.53], ['ic_phishing', 2.53]]);
  assert.deepEqual(r.recommendations.map((x) => x.driver), r.drivers.map((x) => x.id));
  assert.ok(r.recommendations.every((x) => x.text_zh && x.text_en));
  assertError(await as(ent, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { answers: { ic_phishing: 'yes' } } }), 409, 'assessment_submitted', 'status');
  assertError(await as(ent, 'POST', `/api/v1/assessments/${a.id}/submit`), 409, 'assessment_submitted');
  // an empty questionnaire scores nothing for what is not answered
  const empty = await ok(await as(ent, 'POST', '/api/v1/assessments', { body: {} }), 201);
  const es = await ok(await as(ent, 'POST', `/api/v1/assessments/${empty.id}/submit`), 200);
  assert.deepEqual([es.score, es.grade, es.result.counts.unanswered], [0, 'E', 36]);
  // history: newest first, visible to the enterprise, hidden from others
  const hist = await ok(await as(ent, 'GET', `/api/v1/assessments?org_id=${X.entGz}`), 200);
  assert.deepEqual(hist.items.slice(0, 2).map((x) => x.id), [empty.id, a.id]);
  assertError(await as(S['ent-hz'], 'GET', `/api/v1/assessments/${a.id}`), 404, 'not_found');
  assertError(await as(S.insurer, 'GET', `/api/v1/assessments/${a.id}`), 404, 'not_found');
  assertError(await as(S['gz-city'], 'GET', '/api/v1/assessments'), 403, 'forbidden');
  X.kevAssessment = a.id;
  X.kevGrade = s.grade;
});

// Submit a fresh assessment of ent-gz with the best answers; its id.
async function cleanAssessment() {
  const a = await ok(await as(S['ent-gz'], 'POST', '/api/v1/assessments', { body: { answers: X.best } }), 201);
  const s = await ok(await as(S['ent-gz'], 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
  assert.equal(s.grade, 'A');
  return a.id;
}

// ---- the price computed apart: the model's own numbers (data/rating/model.json,
// data/underwriting/parameters.json) through the formulas of docs/rating.md and
// docs/pricing.md, written here, so a wrong factor or layer on the server is caught.

const DATA = process.env.CYBERINS_DATA;
const MODEL = JSON.parse(fs.readFileSync(path.join(DATA, 'rating/model.json'), 'utf8'));
const PARAMS = JSON.parse(fs.readFileSync(path.join(DATA, 'underwriting/parameters.json'), 'utf8'));

// erfc to double precision from its own series, not libm's: below 3 by
// erf(x) = 2/√π e^(−x²) Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) (terms all positive), above by the
// continued fraction erfc(x) = e^(−x²)/√π / (x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) (Lentz).
function erfc(x) {
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; term > 1e-18 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
  }
  let f = x;
  let C = x;
  let D = 0;
  for (let n = 1; n < 500; n++) {
    D = 1 / (x + (n / 2) * D);
    C = x + n / 2 / C;
    f *= C * D;
    if (Math.abs(C * D - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
const Phi = (z) => 0.5 * erfc(-z / Math.SQRT2);
const PhiBar = (z) => 0.5 * erfc(z / Math.SQRT2);
function PhiInv(q) { // Newton from 0: Φ is concave above 0, so it climbs to the root
  let z = 0;
  for (let i = 0; i < 100; i++) {
    const dz = (Phi(z) - q) / (Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI));
    z -= dz;
    if (Math.abs(dz) < 1e-15) break;
  }
  return z;
}
// E[min(X, d)] of a lognormal(μ, σ); σ = 0: the point e^μ.
function levLognormal(mu, sigma, d) {
  if (!(d > 0)) return 0;
  if (sigma <= 0) return Math.min(Math.exp(mu), d);
  const ld = Math.log(d);
  return Math.exp(mu + sigma * sigma / 2) * Phi((ld - mu - sigma * sigma) / sigma) + d * PhiBar((ld - mu) / sigma);
}
// A severity with a generalised Pareto tail above its quantile u: LEV_LN(u) + P(X > u) E[min(Y, d − u)].
function levSeverity(sev, mu, d) {
  if (!sev.tail) return levLognormal(mu, sev.sigma, d);
  const u = Math.exp(mu + sev.sigma * PhiInv(sev.tail.quantile));
  if (d <= u) return levLognormal(mu, sev.sigma, d);
  const { xi, beta_ratio: ratio } = sev.tail;
  const beta = ratio * u;
  const gpd = beta / (1 - xi) * (1 - (1 + xi * (d - u) / beta) ** (1 - 1 / xi));
  return levLognormal(mu, sev.sigma, u) + (1 - sev.tail.quantile) * gpd;
}
// λ, each coverage's expected losses and exact pure premium (fen) of the facts f.
function priceApart(f) {
  const fr = MODEL.frequency;
  const base = fr.base_by_section[f.section];
  const size = Math.min(fr.size.max, Math.max(fr.size.min, (f.revenue / (fr.size.reference_revenue_cny * 100)) ** fr.size.exponent));
  const security = fr.security_factor[f.grade];
  const lambda = base * size * security;
  const gp = Math.floor((f.revenue * (f.margin ?? MODEL.default_gross_margin)) / 8760 + 0.5);
  const shift = Math.log(f.revenue / (MODEL.severity.reference_revenue_cny * 100));
  const covs = {};
  for (const c of f.covers) {
    let share = 0;
    let layer = 0;
    for (const t of MODEL.incident_types) {
      const w = t.share * (t.coverages[c.code] ?? 0);
      share += w;
      if (!(w > 0)) continue;
      if (c.code === 'bi') { // hours past the waiting period, the layer in hours
        const a = f.waiting + f.retention / gp;
        const b = a + c.sublimit / (c.share * gp);
        const mu = Math.log(t.bi_hours.median);
        layer += w * gp * (levLognormal(mu, t.bi_hours.sigma, b) - levLognormal(mu, t.bi_hours.sigma, a));
      } else {
        const sev = MODEL.severity.coverages[c.code];
        const mu = Math.log(sev.median_cny * 100) + (sev.revenue_exponent ?? 0) * shift + Math.log(t.severity_scale);
        layer += w * (levSeverity(sev, mu, f.retention + c.sublimit / c.share) - levSeverity(sev, mu, f.retention));
      }
    }
    covs[c.code] = { expected: lambda * share, exact: lambda * c.share * layer };
  }
  return { base, size, security, lambda, gp, covs };
}
const creditFor = (years) => PARAMS.claim_free_credit.filter((s) => s.years <= years).reduce((c, s) => Math.max(c, s.credit), 0);
function close(got, want, rel, what) {
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: ${got} vs ${want}`);
}

// The quote's price against the price computed apart: every factor, each coverage to the fen,
// pure, gross, the credit, the minimum and the premium.
function checkBreakdown(q, product) {
  const b = q.breakdown;
  const f = b.factors;
  const covers = product.coverages.map((c) => ({
    code: c.code,
    sublimit: c.sublimit !== null && c.sublimit < q.aggregate_limit ? c.sublimit : q.aggregate_limit,
    share: c.share_bp / 10000,
  }));
  const want = priceApart({
    section: q.industry_section, revenue: q.revenue, grade: q.grade, retention: q.retention,
    margin: q.gross_margin_bp === null ? null : q.gross_margin_bp / 10000, waiting: product.bi_waiting_hours, covers,
  });
  close(f.base_frequency, want.base, 1e-12, 'base frequency');
  close(f.size_factor, want.size, 1e-11, 'size factor');
  close(f.security_factor, want.security, 1e-12, 'security factor');
  close(f.lambda, want.lambda, 1e-11, 'λ');
  assert.equal(f.hourly_gross_profit, want.gp);
  assert.deepEqual(b.coverages.map((c) => c.code), covers.map((c) => c.code));
  let exact = 0;
  for (const c of b.coverages) {
    const w = want.covs[c.code];
    close(c.expected_losses, w.expected, 1e-11, `${c.code} expected losses`);
    close(c.pure_premium_exact, w.exact, 1e-9, `${c.code} pure premium`);
    assert.equal(c.pure_premium, roundHalfUp(w.exact), c.code);
    exact += w.exact;
  }
  const L = 1 / (1 - MODEL.loading.expense - MODEL.loading.profit);
  const credit = creditFor(q.claim_free_years);
  const minimum = product.minimum_premium ?? MODEL.minimum_premium_cny * 100;
  const credited = roundHalfUp(exact * L * (1 - credit));
  assert.equal(b.claim_free_credit, credit);
  assert.equal(q.pure_premium, roundHalfUp(exact));
  assert.equal(q.gross_premium, roundHalfUp(exact * L));
  assert.equal(q.premium, Math.max(credited, minimum));
  assert.equal(b.minimum_applied, credited < minimum);
  assert.deepEqual([b.pure_premium, b.gross_premium, b.premium], [q.pure_premium, q.gross_premium, q.premium]);
}

function policyNoOk(no) {
  const m = /^CY-(\d{4})-(\d{6})-(\d{6})-(\d{2})$/.exec(no);
  assert.ok(m, no);
  const r = (BigInt(m[1] + m[2] + m[3]) * 100n) % 97n;
  assert.equal(Number(m[4]), Number(98n - r), `check digits of ${no}`);
}

test('assessment → quote → referral → bind → endorsement → cancellation → renewal', async () => {
  const ent = S['ent-gz'];
  const ins = S.insurer;
  // quote: the KEV finding first seen 90 days ago sends it to an underwriter
  const body = { product_id: X.product, assessment_id: X.kevAssessment, revenue: 50000000000, aggregate_limit: 300000000, retention: 1000000 };
  const q = await ok(await as(ent, 'POST', '/api/v1/quotes', { body }), 201);
  assert.equal(q.status, 'referred');
  assert.equal(q.decision, 'refer');
  assert.equal(q.grade, X.kevGrade);
  assert.equal(q.industry_section, 'C'); // ent-gz is 大类 39
  assert.deepEqual(q.breakdown.rules.map((r) => [r.id, r.decision]), [['refer_kev_internet_30d', 'refer'], ['refer_severe_finding', 'refer'], ['condition_offline_backup', 'condition'], ['condition_mfa_remote', 'condition']]);
  assert.equal(q.breakdown.rules[2].due_days, 30);
  const product = await ok(await as(ins, 'GET', `/api/v1/products/${X.product}`), 200);
  checkBreakdown(q, product);
  assert.deepEqual(q.breakdown.coverages.map((c) => [c.code, c.sublimit]), [['bi', 300000000], ['data', 200000000], ['ir', 300000000], ['breach', 300000000]]);
  assert.equal(q.bindable, false);
  // an indicative price of the same facts is the same price: one code path
  const ind = await ok(await as(ins, 'POST', '/api/v1/quotes', { body: { ...body, indicative: true, industry: '39', grade: q.grade, assessment_id: undefined } }), 200);
  assert.equal(ind.premium, q.premium);
  assert.equal(ind.id, null);

  // referral: not bindable until an underwriter decides
  assertError(await as(ent, 'POST', `/api/v1/quotes/${q.id}/bind`), 409, 'quote_referred', 'status');
  const queue = await ok(await as(S['insurer-uw'], 'GET', '/api/v1/quotes?status=referred'), 200);
  assert.ok(queue.items.some((x) => x.id === q.id));
  assert.ok(queue.items.every((x) => x.status === 'referred' && x.breakdown === undefined));
  await ok(await as(ins, 'GET', `/api/v1/assessments/${X.kevAssessment}`), 200); // the insurer now sees what it underwrites
  assertError(await as(ent, 'POST', `/api/v1/quotes/${q.id}/referral`, { body: { decision: 'approve', note: '自己批准' } }), 403, 'forbidden');
  assertError(await as(S['insurer-uw'], 'POST', `/api/v1/quotes/${q.id}/referral`, { body: { decision: 'maybe', note: 'x' } }), 422, 'decision_invalid', 'decision');
  assertError(await as(S['insurer-uw'], 'POST', `/api/v1/quotes/${q.id}/referral`, { body: { decision: 'approve' } }), 400, 'missing_field', 'note');
  const ap = await ok(await as(S['insurer-uw'], 'POST', `/api/v1/quotes/${q.id}/referral`, { body: { decision: 'approve', note: 'VPN 已于核保期间修补，复扫确认（演示）' } }), 200);
  assert.equal(ap.status, 'approved');
  assert.equal(ap.referral.note, 'VPN 已于核保期间修补，复扫确认（演示）');
  assert.equal(ap.bindable, true);
  assertError(await as(S['insurer-uw'], 'POST', `/api/v1/quotes/${q.id}/referral`, { body: { decision: 'decline', note: 'x' } }), 409, 'quote_not_referred');
  assertError(await as(S['ent-hz'], 'GET', `/api/v1/quotes/${q.id}`), 404, 'not_found');

  // bind: a numbered policy with its schedule in Beijing time
  const p = await ok(await as(ent, 'POST', `/api/v1/quotes/${q.id}/bind`), 201);
  policyNoOk(p.policy_no);
  assert.equal(p.status, 'active');
  assert.equal(p.quote_id, q.id);
  assert.equal(p.period.start_beijing, `${q.start_date} 00:00:00`);
  assert.equal(q.start_date, bjDate(1));
  assert.ok([365, 366].includes(p.period.days));
  assert.equal(p.period.end_beijing, `${addDays(q.start_date, p.period.days)} 00:00:00`);
  assert.deepEqual([p.terms.aggregate_limit, p.terms.retention, p.terms.bi_waiting_hours], [300000000, 1000000, 12]);
  assert.deepEqual(p.terms.coverages.map((c) => [c.code, c.sublimit, c.share_bp]), [['bi', 300000000, 10000], ['data', 200000000, 10000], ['ir', 300000000, 10000], ['breach', 300000000, 10000]]);
  assert.deepEqual([p.annual_premium, p.written_premium], [q.premium, q.premium]);
  assert.deepEqual(p.rating, { industry_section: 'C', region_code: '440106', revenue: 50000000000, gross_margin_bp: null, grade: q.grade });
  assert.deepEqual(p.dependencies, { cloud: '阿里云', os: 'Windows', vpn: '深信服', email: '腾讯企业邮' });
  assert.deepEqual(p.conditions.map((c) => [c.rule, c.due_date]), [['condition_offline_backup', bjDate(30)], ['condition_mfa_remote', bjDate(30)]]);
  const again = await as(ent, 'POST', `/api/v1/quotes/${q.id}/bind`);
  assertError(again, 409, 'quote_already_bound', 'id');
  assert.ok(again.json.error.message.includes(p.policy_no));
  assert.equal((await ok(await as(ent, 'GET', `/api/v1/quotes/${q.id}`), 200)).policy_no, p.policy_no);

  // endorsement: the limit from ¥3M to ¥5M from day 100, premium pro rata by day
  const start = q.start_date;
  const eff = addDays(start, 100);
  assertError(await as(ins, 'POST', `/api/v1/policies/${p.id}/endorsements`, { body: { effective_date: addDays(start, p.period.days), aggregate_limit: 500000000 } }), 422, 'effective_outside_period', 'effective_date');
  assertError(await as(ins, 'POST', `/api/v1/policies/${p.id}/endorsements`, { body: { effective_date: bjDate(0), aggregate_limit: 500000000 } }), 422, 'effective_outside_period', 'effective_date');
  assertError(await as(ins, 'POST', `/api/v1/policies/${p.id}/endorsements`, { body: { effective_date: eff, aggregate_limit: 300000000 } }), 422, 'limit_unchanged', 'aggregate_limit');
  assertError(await as(ins, 'POST', `/api/v1/policies/${p.id}/endorsements`, { body: { effective_date: eff, aggregate_limit: 400000000 } }), 422, 'limit_not_offered', 'aggregate_limit');
  assertError(await as(ins, 'POST', `/api/v1/policies/${p.id}/endorsements`, { body: { effective_date: eff, aggregate_limit: 1000 } }), 422, 'limit_below_retention', 'aggregate_limit');
  assertError(await as(ent, 'POST', `/api/v1/policies/${p.id}/endorsements`, { body: { effective_date: eff, aggregate_limit: 500000000 } }), 403, 'forbidden');
  const e = await ok(await as(S['insurer-uw'], 'POST', `/api/v1/policies/${p.id}/endorsements`, { body: { effective_date: eff, aggregate_limit: 500000000, note: '扩大保额' } }), 201);
  const en = e.endorsements[0];
  const newPrice = await ok(await as(ins, 'POST', '/api/v1/quotes', { body: { indicative: true, product_id: X.product, industry: 'C', revenue: 50000000000, aggregate_limit: 500000000, retention: 1000000, grade: q.grade } }), 200);
  assert.equal(en.kind, 'change');
  assert.deepEqual([en.old_limit, en.new_limit, en.old_annual_premium, en.new_annual_premium], [300000000, 500000000, q.premium, newPrice.premium]);
  assert.deepEqual([en.days_total, en.days_remaining], [p.period.days, p.period.days - 100]);
  assert.equal(en.premium_delta, proRata(newPrice.premium - q.premium, p.period.days - 100, p.period.days));
  // dated day 100: scheduled, and today's terms, premium and charges are as bound (issue 17)
  assert.deepEqual([en.scheduled, e.scheduled.length], [true, 1]);
  assert.deepEqual([e.annual_premium, e.written_premium, e.terms.aggregate_limit], [q.premium, q.premium, 300000000]);
  assert.equal(en.after.annual_premium, newPrice.premium);
  assert.equal(en.after.aggregate_limit, 500000000);
  assert.deepEqual(en.after.coverages.map((c) => c.sublimit), [500000000, 200000000, 500000000, 500000000]);

  // cancellation: pro-rata return of the premium for the days left, not before the last change
  assertError(await as(ent, 'POST', `/api/v1/policies/${p.id}/cancellation`, { body: { effective_date: addDays(start, 50) } }), 422, 'effective_before_last', 'effective_date');
  assertError(await as(ent, 'POST', `/api/v1/policies/${p.id}/cancellation`, { body: { effective_date: 'next week' } }), 422, 'date_invalid', 'effective_date');
  assertError(await as(S['ent-hz'], 'POST', `/api/v1/policies/${p.id}/cancellation`, { body: { effective_date: addDays(start, 200) } }), 404, 'not_found');
  const c = await ok(await as(ent, 'POST', `/api/v1/policies/${p.id}/cancellation`, { body: { effective_date: addDays(start, 200), reason: 'insured_request', note: '企业申请退保' } }), 200);
  const ret = proRata(newPrice.premium, p.period.days - 200, p.period.days);
  assert.equal(c.status, 'active'); // cancelled from day 200 on
  assert.equal(c.return_premium, ret);
  assert.equal(c.written_premium, q.premium);
  assert.deepEqual(c.endorsements.map((x) => [x.kind, x.premium_delta, x.scheduled]), [['change', en.premium_delta, true], ['cancellation', -ret, true]]);
  assert.equal(c.cancel_effective, new Date(Date.parse(`${addDays(start, 200)}T00:00:00+08:00`)).toISOString().replace('.000', ''));
  assertError(await as(ent, 'POST', `/api/v1/policies/${p.id}/cancellation`, { body: { effective_date: addDays(start, 250), reason: 'other', note: '再退一次' } }), 409, 'policy_cancelled', 'status');

  // renewal: a cancelled policy is not renewed; an active one with a new assessment and the claim-free credit
  const a2 = await cleanAssessment();
  assertError(await as(ent, 'POST', `/api/v1/policies/${p.id}/renewal`, { body: { assessment_id: a2 } }), 409, 'policy_cancelled');
  const q2 = await ok(await as(ent, 'POST', '/api/v1/quotes', { body: { product_id: X.product, revenue: 50000000000, aggregate_limit: 300000000, retention: 1000000 } }), 201);
  assert.equal(q2.assessment_id, a2); // the latest submitted assessment by default
  assert.equal(q2.status, 'quoted');
  assert.equal(q2.decision, 'accept');
  const p2 = await ok(await as(ins, 'POST', `/api/v1/quotes/${q2.id}/bind`), 201); // the insurer binds on the insured's word
  policyNoOk(p2.policy_no);
  assert.notEqual(p2.policy_no, p.policy_no);
  assertError(await as(ent, 'POST', `/api/v1/policies/${p2.id}/renewal`, { body: { assessment_id: a2 } }), 422, 'assessment_not_new', 'assessment_id');
  assertError(await as(ins, 'POST', `/api/v1/policies/${p2.id}/renewal`, { body: { assessment_id: a2 } }), 403, 'forbidden');
  const a3 = await cleanAssessment();
  const rq = await ok(await as(ent, 'POST', `/api/v1/policies/${p2.id}/renewal`, { body: { assessment_id: a3, revenue: 55000000000 } }), 201);
  assert.equal(rq.renewal_of, p2.id);
  assert.equal(rq.claim_free_years, 1);
  assert.equal(rq.breakdown.claim_free_credit, 0.05);
  assert.equal(rq.start_date, p2.period.end_beijing.slice(0, 10));
  assert.equal(rq.revenue, 55000000000);
  checkBreakdown(rq, product);
  assert.equal(rq.breakdown.credit_amount, rq.gross_premium - rq.premium);
  const p3 = await ok(await as(ent, 'POST', `/api/v1/quotes/${rq.id}/bind`), 201);
  assert.equal(p3.renewal_of, p2.id);
  assert.equal(p3.period.start, p2.period.end);
  assert.equal((await ok(await as(ent, 'GET', `/api/v1/policies/${p2.id}`), 200)).renewed_by, p3.id);
  assertError(await as(ent, 'POST', `/api/v1/policies/${p2.id}/renewal`, { body: { assessment_id: a3 } }), 409, 'policy_already_renewed');

  // lists and the audit trail
  const mine = await ok(await as(ent, 'GET', '/api/v1/policies'), 200);
  assert.deepEqual(mine.items.slice(0, 3).map((x) => x.id), [p3.id, p2.id, p.id]);
  // p is cancelled from day 200 on: still active today
  assert.ok((await ok(await as(ent, 'GET', '/api/v1/policies?status=active'), 200)).items.some((x) => x.id === p.id));
  assert.ok(!(await ok(await as(ent, 'GET', '/api/v1/policies?status=cancelled'), 200)).items.some((x) => x.id === p.id));
  assertError(await as(S.secfirm, 'GET', '/api/v1/policies'), 403, 'forbidden');
  assertError(await as(S['ent-hz'], 'GET', `/api/v1/policies/${p.id}`), 404, 'not_found');
  const audit = await ok(await as(ins, 'GET', `/api/v1/audit?object_type=policy&object_id=${p.id}`), 200);
  assert.deepEqual(audit.items.map((x) => x.action).sort(), ['policy.endorse']);
  const entAudit = await ok(await as(ent, 'GET', `/api/v1/audit?object_type=policy&object_id=${p.id}`), 200);
  assert.deepEqual(entAudit.items.map((x) => x.action).sort(), ['policy.cancel', 'quote.bind']);
  X.assessment = a3;
});

test('bad input: each a clear 4xx naming the field', async () => {
  const ent = S['ent-gz'];
  const base = { product_id: X.product, revenue: 50000000000, aggregate_limit: 300000000, retention: 1000000 };
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, revenue: 0 } }), 422, 'revenue_invalid', 'revenue');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, revenue: -5 } }), 422, 'revenue_invalid', 'revenue');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, revenue: '5亿' } }), 400, 'wrong_type', 'revenue');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, industry: 'Z9' } }), 422, 'industry_unknown', 'industry');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, aggregate_limit: 500000, retention: 1000000 } }), 422, 'limit_below_retention', 'aggregate_limit');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, retention: 2000000 } }), 422, 'retention_not_offered', 'retention');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, coverages: ['media'] } }), 422, 'coverage_not_offered', 'coverages');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, start_date: bjDate(-1) } }), 422, 'start_date_invalid', 'start_date');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, grade: 'A' } }), 422, 'grade_from_assessment', 'grade');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, product_id: X.superseded } }), 422, 'product_not_on_sale', 'product_id');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, product_id: 999999 } }), 404, 'not_found', 'product_id');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, assessment_id: 999999 } }), 404, 'not_found', 'assessment_id');
  assertError(await as(ent, 'POST', '/api/v1/quotes', { body: { ...base, org_id: S['ent-hz'].me.organisation.id } }), 403, 'forbidden', 'org_id');
  assertError(await as(S.insurer, 'POST', '/api/v1/quotes', { body: base }), 403, 'forbidden');
  assertError(await as(S['gz-city'], 'POST', '/api/v1/quotes', { body: { ...base, indicative: true, industry: 'C', grade: 'B' } }), 403, 'forbidden');
  assertError(await as(S.insurer, 'POST', '/api/v1/quotes', { body: { ...base, indicative: true, industry: 'C', grade: 'G' } }), 422, 'grade_invalid', 'grade');
  assertError(await as(S.insurer, 'POST', '/api/v1/quotes', { body: { ...base, indicative: true, grade: 'B' } }), 422, 'missing_field', 'industry');
  // binding an expired quote
  const q = await ok(await as(ent, 'POST', '/api/v1/quotes', { body: base }), 201);
  sql(`UPDATE uw_quote SET valid_until = '2020-01-01T00:00:00Z' WHERE id = ${q.id}`);
  const exp = await ok(await as(ent, 'GET', `/api/v1/quotes/${q.id}`), 200);
  assert.deepEqual([exp.expired, exp.bindable], [true, false]);
  const r = await as(ent, 'POST', `/api/v1/quotes/${q.id}/bind`);
  assertError(r, 422, 'quote_expired', 'valid_until');
  assert.match(r.json.error.message, /2020-01-01T00:00:00Z/);
  // an API token prices as a session does (the benchmark's client)
  const tok = await ok(await as(S.insurer, 'POST', '/api/v1/tokens', { body: { name: 'e2e uw' } }), 201);
  const viaToken = await api('POST', '/api/v1/quotes', { body: { ...base, indicative: true, industry: 'C', grade: 'B' }, headers: { authorization: `Bearer ${tok.token}` } });
  assert.equal(viaToken.status, 200, viaToken.text);
  assert.equal(viaToken.json.decision, 'refer'); // no assessment behind an indicative price
});

test('a quote is valid 30 days on the request\'s clock (X-Test-Now): bindable on day 30, refused on day 31', async () => {
  const ent = S['ent-gz'];
  // T0 32 days ago to the second: every time stated below has passed, so no session ends
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 32 * 86400e3;
  const at = (ms) => ({ headers: { 'x-test-now': new Date(ms).toISOString().replace('.000Z', 'Z') } });
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const start = new Date(t0 + 8 * 3600e3 + 35 * 86400e3).toISOString().slice(0, 10); // still ahead on day 31
  const body = { product_id: X.product, assessment_id: await cleanAssessment(), revenue: 50000000000, aggregate_limit: 300000000, retention: 1000000, start_date: start };
  const q1 = await ok(await as(ent, 'POST', '/api/v1/quotes', { body, ...at(t0) }), 201);
  const q2 = await ok(await as(ent, 'POST', '/api/v1/quotes', { body, ...at(t0) }), 201);
  assert.equal(q1.status, 'quoted');
  assert.equal(q1.created_at, iso(t0));
  assert.equal(q1.valid_until, iso(t0 + 30 * 86400e3));
  // day 30, its last second: still bindable, and bound
  const d30 = await ok(await as(ent, 'GET', `/api/v1/quotes/${q1.id}`, at(t0 + 30 * 86400e3)), 200);
  assert.deepEqual([d30.expired, d30.bindable], [false, true]);
  const p = await ok(await as(ent, 'POST', `/api/v1/quotes/${q2.id}/bind`, at(t0 + 30 * 86400e3)), 201);
  assert.equal(p.period.start_beijing, `${start} 00:00:00`);
  assert.equal(p.created_at, iso(t0 + 30 * 86400e3));
  // day 31: expired, and binding it is refused naming the date and the validity
  const d31 = await ok(await as(ent, 'GET', `/api/v1/quotes/${q1.id}`, at(t0 + 31 * 86400e3)), 200);
  assert.deepEqual([d31.expired, d31.bindable], [true, false]);
  const r = await as(ent, 'POST', `/api/v1/quotes/${q1.id}/bind`, at(t0 + 31 * 86400e3));
  assertError(r, 422, 'quote_expired', 'valid_until');
  assert.equal(r.json.error.message, `报价已于 ${q1.valid_until} 过期（有效期 30 天），请重新报价 / the quote expired at ${q1.valid_until} (valid 30 days): ask for a new one`);
  assert.equal((await ok(await as(ent, 'GET', `/api/v1/quotes/${q1.id}`), 200)).policy_id, null);
});

// ent-gz engages secfirm for scopes, ending the engagement of theirs in force (one at a time); its id.
async function engageSecfirm(scopes) {
  const secfirm = S.secfirm.me.organisation.id;
  const mine = await ok(await as(S['ent-gz'], 'GET', '/api/v1/engagements?active=true&limit=500'), 200);
  for (const e of mine.items.filter((x) => x.service_org.id === secfirm))
    await ok(await as(S['ent-gz'], 'POST', `/api/v1/engagements/${e.id}/end`), 200);
  if (!scopes) return 0;
  return (await ok(await as(S['ent-gz'], 'POST', '/api/v1/engagements', { body: { service_org_id: secfirm, scopes } }), 201)).id;
}

test('a service organisation acts for an enterprise only under its engagement, scope by scope', async () => {
  const sec = S.secfirm;
  const body = { body: { org_id: X.entGz, answers: X.best } };
  const quote = (id) => ({ body: { product_id: X.product, assessment_id: id, revenue: 20000000000, aggregate_limit: 100000000, retention: 1000000 } });
  // not engaged for assessments: the enterprise is outside its sight (404, its name not given), nothing stored
  await engageSecfirm(null);
  const before = (await ok(await as(S['ent-gz'], 'GET', '/api/v1/assessments?limit=500'), 200)).items.length;
  let r = await as(sec, 'POST', '/api/v1/assessments', body);
  assertError(r, 404, 'not_found', 'org_id');
  assert.doesNotMatch(r.json.error.message, /广州示范/);
  // engaged for quotes only: still no assessment
  await engageSecfirm(['quotes']);
  assertError(await as(sec, 'POST', '/api/v1/assessments', body), 404, 'not_found', 'org_id');
  assert.equal((await ok(await as(S['ent-gz'], 'GET', '/api/v1/assessments?limit=500'), 200)).items.length, before);
  // engaged for assessments: it assesses, edits and submits; a quote needs the quotes scope
  await engageSecfirm(['assessment']);
  const a = await ok(await as(sec, 'POST', '/api/v1/assessments', body), 201);
  await ok(await as(sec, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { flags: ['cloud'] } }), 200);
  await ok(await as(sec, 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
  r = await as(sec, 'POST', '/api/v1/quotes', quote(a.id));
  assertError(r, 403, 'engagement_required', 'org_id');
  assert.match(r.json.error.message, /投保报价.* \/ .*quotes/);
  // its list holds only what it did for the enterprises engaging it; ent-gz's own assessments are not its
  let mine = (await ok(await as(sec, 'GET', '/api/v1/assessments?limit=500'), 200)).items;
  assert.ok(mine.some((x) => x.id === a.id));
  assert.ok(mine.every((x) => x.org_id === X.entGz && x.author_org_id === sec.me.organisation.id));
  // both scopes: the quote goes through and shows in its quotes
  await engageSecfirm(['assessment', 'quotes']);
  const q = await ok(await as(sec, 'POST', '/api/v1/quotes', quote(a.id)), 201);
  assert.ok((await ok(await as(sec, 'GET', '/api/v1/quotes?limit=500'), 200)).items.some((x) => x.id === q.id));
  // ended: its work for ent-gz leaves its lists and reads, and it cannot add more; ent-gz keeps it all
  await engageSecfirm(null);
  mine = (await ok(await as(sec, 'GET', '/api/v1/assessments?limit=500'), 200)).items;
  assert.ok(!mine.some((x) => x.org_id === X.entGz));
  assert.ok(!(await ok(await as(sec, 'GET', '/api/v1/quotes?limit=500'), 200)).items.some((x) => x.insured.org_id === X.entGz));
  assertError(await as(sec, 'GET', `/api/v1/assessments/${a.id}`), 404, 'not_found');
  assertError(await as(sec, 'GET', `/api/v1/quotes/${q.id}`), 404, 'not_found');
  assertError(await as(sec, 'PATCH', `/api/v1/assessments/${a.id}`, { body: { flags: [] } }), 404, 'not_found');
  assertError(await as(sec, 'POST', '/api/v1/assessments', body), 404, 'not_found', 'org_id');
  await ok(await as(S['ent-gz'], 'GET', `/api/v1/assessments/${a.id}`), 200);
  await ok(await as(S['ent-gz'], 'GET', `/api/v1/quotes/${q.id}`), 200);
});

test('a service organisation assesses and applies on an enterprise\'s behalf', async () => {
  const sec = S.secfirm;
  await engageSecfirm(['assessment', 'quotes']);
  const a = await ok(await as(sec, 'POST', '/api/v1/assessments', { body: { org_id: X.entGz, answers: X.best } }), 201);
  assert.equal(a.org_id, X.entGz);
  assert.equal(a.author_org_id, sec.me.organisation.id);
  await ok(await as(S['ent-gz'], 'GET', `/api/v1/assessments/${a.id}`), 200);
  assertError(await as(S['ent-hz'], 'GET', `/api/v1/assessments/${a.id}`), 404, 'not_found');
  assertError(await as(sec, 'POST', '/api/v1/assessments', { body: { org_id: S.insurer.me.organisation.id } }), 404, 'not_found', 'org_id');
  assertError(await as(sec, 'POST', '/api/v1/assessments', { body: {} }), 422, 'missing_field', 'org_id');
  assertError(await as(S['ent-hz'], 'POST', '/api/v1/assessments', { body: { org_id: X.entGz } }), 403, 'forbidden', 'org_id');
  await ok(await as(sec, 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
  assertError(await as(sec, 'POST', '/api/v1/quotes', { body: { product_id: X.product, revenue: 20000000000, aggregate_limit: 100000000, retention: 1000000 } }), 422, 'missing_field', 'assessment_id');
  const q = await ok(await as(sec, 'POST', '/api/v1/quotes', { body: { product_id: X.product, assessment_id: a.id, revenue: 20000000000, aggregate_limit: 100000000, retention: 1000000 } }), 201);
  assert.equal(q.insured.org_id, X.entGz);
  assert.equal(q.requested_by_org_id, sec.me.organisation.id);
  await ok(await as(S['ent-gz'], 'GET', `/api/v1/quotes/${q.id}`), 200);
  assertError(await as(sec, 'POST', `/api/v1/quotes/${q.id}/bind`), 403, 'forbidden');
});

test('bulk: cyberins quote --csv prices each row as POST /api/v1/quotes does and reports bad rows with line and column', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyberins-uw-'));
  const csv = path.join(dir, 'in.csv');
  fs.writeFileSync(csv, [
    'id,industry,revenue,grade,limit,retention,gross_margin',
    'e1,C,500000000,B,3000000,10000,',
    'e2,-1,500000000,B,3000000,10000,',
    'e3,I,-5,A,3000000,10000,',
    'e4,39,"1,200,000,000",X,3000000,10000,',
    'e5,J,80000000.50,E,5000000,50000,0.42',
    'e6,K,80000000,A,4000000,10000,',
    '"e7, quoted",Q,20000000,C,1000000,10000,',
    '',
  ].join('\n'));
  const r = spawnSync(BIN, ['quote', '--csv', csv, '--product', String(X.product), '--db', DB], { encoding: 'utf8', timeout: 60000 });
  fs.rmSync(dir, { recursive: true });
  assert.equal(r.status, 1, r.stderr); // some rows were bad
  const out = r.stdout.trim().split('\n');
  assert.equal(out[0], 'id,premium,pure_premium,gross_premium,lambda,decision,rules');
  assert.deepEqual(out.slice(1).map((l) => l.split(',')[0]), ['e1', 'e5', '"e7']);
  const err = r.stderr.trim().split('\n');
  assert.match(err[0], /^第 3 行 industry：.* \/ line 3, industry: /);
  assert.match(err[1], /^第 4 行 revenue：.* \/ line 4, revenue: /);
  assert.match(err[2], /^第 5 行 grade：.* \/ line 5, grade: /);
  assert.match(err[3], /^第 7 行 limit：.* \/ line 7, limit: /);
  assert.match(err[4], /quoted 3 of 6 rows \(4 bad\)|quoted 3 of 7 rows \(4 bad\)/);
  // the same facts through the API give the same premium, to the fen
  const toFen = (s) => Math.round(Number(s) * 100);
  const cases = [['e1', { industry: 'C', revenue: 50000000000, grade: 'B', aggregate_limit: 300000000, retention: 1000000 }],
    ['e5', { industry: 'J', revenue: 8000000050, grade: 'E', aggregate_limit: 500000000, retention: 5000000, gross_margin_bp: 4200 }]];
  for (const [id, facts] of cases) {
    const line = out.find((l) => l.startsWith(`${id},`)).split(',');
    const api_ = await ok(await as(S.insurer, 'POST', '/api/v1/quotes', { body: { indicative: true, product_id: X.product, ...facts } }), 200);
    assert.deepEqual([toFen(line[1]), toFen(line[2]), toFen(line[3]), line[5]], [api_.premium, api_.pure_premium, api_.gross_premium, api_.decision], id);
  }
  assert.match(out.find((l) => l.startsWith('e5,')), /,decline,decline_grade_e;refer_no_assessment$/);
  // usage errors exit 2
  assert.equal(spawnSync(BIN, ['quote', '--product', 'x'], { encoding: 'utf8' }).status, 2);
});

// ---- the book as a simulation portfolio (issue 6: "the policies in force in the store")

async function simulateBook(session, years, seed) {
  const r = await as(session, 'POST', '/api/v1/simulations', { body: { years, seed, portfolio: 'in_force' } });
  assert.equal(r.status, 202, r.text);
  for (let i = 0; i < 600; i++) {
    const g = await as(session, 'GET', `/api/v1/simulations/${r.json.id}`);
    if (g.json.status === 'done' || g.json.status === 'failed') return g.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('simulation did not finish');
}

test('the policies in force are the simulation portfolio, by API and by cyberins simulate --db', async () => {
  const active = sql("SELECT COUNT(*) FROM uw_policy WHERE status = 'active'");
  assert.ok(Number(active) >= 1, 'the flow above left an active policy');
  // bound policies start tomorrow: nothing is in force yet
  const none = await simulateBook(S.insurer, 10, 1);
  assert.equal(none.status, 'failed');
  assert.match(none.error, /no policies in force/);
  const cliNone = spawnSync(BIN, ['simulate', '--db', DB, '--years', '10', '--seed', '1', '--out', fs.mkdtempSync(path.join(os.tmpdir(), 'cy-sim-')), '--quiet'], { encoding: 'utf8' });
  assert.equal(cliNone.status, 1);
  assert.match(cliNone.stderr, /no policies in force/);
  // move the active policies' periods to cover today, as if a year had begun
  sql("UPDATE uw_policy SET period_start = '2020-01-01T00:00:00Z', period_end = '2099-01-01T00:00:00Z' WHERE status = 'active'");
  const done = await simulateBook(S.insurer, 200, 5);
  assert.equal(done.status, 'done', done.error);
  assert.equal(done.result.portfolio.policies, Number(active));
  assert.equal(done.result.portfolio.source, 'in_force');
  // the command line reads the same book and gets the same numbers for the same seed
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cy-sim-'));
  const cli = spawnSync(BIN, ['simulate', '--db', DB, '--years', '200', '--seed', '5', '--threads', '2', '--out', out, '--quiet'], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.portfolio.policies, Number(active));
  assert.deepEqual(summary.aal, done.result.aal);
  assert.deepEqual(summary.ep, done.result.ep);
  // an enterprise has no book to simulate; the ministry simulates everyone's
  assert.equal((await as(S['ent-gz'], 'POST', '/api/v1/simulations', { body: { years: 10, seed: 1, portfolio: 'in_force' } })).status, 403);
  const all = await simulateBook(await login('miit'), 50, 2);
  assert.equal(all.status, 'done', all.error);
  assert.equal(all.result.portfolio.policies, Number(active));
});
