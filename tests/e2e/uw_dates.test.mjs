// uw_dates.test.mjs — issue 17 end to end (SQLite and PostgreSQL through
// run.sh): dates that mean what they say, an endorsement of several terms
// priced to the fen against the hand-worked example of docs/pricing.md, a
// cancellation with its reason and the return premium shown first, renewal
// options in words, and the rate table as filed.
//
// The calendar is the request's (X-Test-Now; the server runs with
// --test-clock): a policy bound on 2025-03-01 for the year from 2025-03-02,
// an endorsement effective 2025-06-10 and a cancellation effective
// 2025-09-18, looked at on either side of 00:00 Beijing time of those days.
// Requests at those times carry API tokens, so no browser session's idle
// clock is in play.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { api, as, login, assertError } from './lib/http.mjs';
import { bestAnswers, proRata } from './matrix/uw.mjs';

const S = {};
const T = {}; // API tokens
const X = {};
let n = 0;
const uniq = () => `dates${Date.now() % 100000}x${++n}`;

async function ok(r, status) {
  assert.equal(r.status, status, r.text);
  return r.json;
}

// A request as the token's user at the instant iso (UTC).
function at(who, iso, method, p, body) {
  const headers = { authorization: `Bearer ${T[who]}`, 'x-test-now': iso };
  return api(method, p, { body, headers });
}


const T0 = '2025-03-01T02:00:00Z'; // 10:00 Beijing; the policy runs from 2025-03-02 00:00 Beijing

before(async () => {
  for (const u of ['insurer', 'insurer-uw', 'ent-gz', 'ent-hz']) {
    S[u] = await login(u);
    T[u] = (await ok(await as(S[u], 'POST', '/api/v1/tokens', { body: { name: `e2e dates ${uniq()}` } }), 201)).token;
  }
  // docs/pricing.md's example: incident response, and public relations to add later
  const p = await ok(await as(S.insurer, 'POST', '/api/v1/products', { body: {
    name: `批改示例产品${uniq()}`, class: 'enterprise', target_industries: ['other'], description: 'docs/pricing.md',
    bi_waiting_hours: 0, retention_options: [1000000, 5000000], limit_options: [100000000, 300000000],
    coverages: [{ code: 'ir' }, { code: 'pr' }],
  } }), 201);
  await ok(await as(S.insurer, 'POST', `/api/v1/products/${p.id}/filing`, { body: { filing_no: `示例备案${uniq()}`, filing_date: '2024-03-01' } }), 200);
  X.product = p.id;
  // a grade B insured: the best answers but four (82.35 points)
  const answers = await bestAnswers(S['ent-gz']);
  for (const q of ['ic_mfa_email', 'ic_mfa_privileged', 'ic_pam', 'ic_restore_test']) delete answers[q];
  const a = await ok(await as(S['ent-gz'], 'POST', '/api/v1/assessments', { body: { answers } }), 201);
  const s = await ok(await as(S['ent-gz'], 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
  assert.deepEqual([s.grade, s.score], ['B', 82.35]);
  X.assessmentB = a.id;
});

// The worked example's policy: ¥100M manufacturer, grade B, ir only, ¥1M limit, ¥50k retention.
async function examplePolicy() {
  const q = await ok(await at('ent-gz', T0, 'POST', '/api/v1/quotes', {
    product_id: X.product, assessment_id: X.assessmentB, revenue: 10000000000, aggregate_limit: 100000000,
    retention: 5000000, coverages: ['ir'], start_date: '2025-03-02',
  }), 201);
  assert.deepEqual([q.status, q.premium, q.pure_premium, q.gross_premium], ['quoted', 306112, 183667, 306112]);
  const y = await ok(await at('ent-gz', T0, 'POST', `/api/v1/quotes/${q.id}/bind`), 201);
  assert.deepEqual([y.period.start, y.period.end, y.period.days], ['2025-03-01T16:00:00Z', '2026-03-01T16:00:00Z', 365]);
  return y;
}

const codes = (y) => y.terms.coverages.map((c) => c.code);

test('an endorsement adding a coverage and changing the retention is priced to the fen as docs/pricing.md works it, and takes effect on its date', async () => {
  const y = await examplePolicy();
  const body = { effective_date: '2025-06-10', retention: 1000000, coverages: [{ code: 'ir' }, { code: 'pr' }], note: '增加公关费用，免赔额降至 1 万元' };
  // the preview: the price and the pro-rata charge, nothing stored
  const pv = await ok(await at('insurer-uw', T0, 'POST', `/api/v1/policies/${y.id}/endorsements`, { ...body, preview: true }), 200);
  assert.equal(pv.preview, true);
  const e = pv.endorsements.at(-1);
  assert.equal(e.id, null);
  // docs/pricing.md "An endorsement worked by hand": pure_ir 207,539.3442, pure_pr 5,261.5252,
  // gross 354,668.1156 → ¥3,546.68; (354,668 − 306,112) × 265 / 365 = 35,252.986 → ¥352.53
  assert.deepEqual([e.old_annual_premium, e.new_annual_premium, e.days_remaining, e.days_total, e.premium_delta], [306112, 354668, 265, 365, 35253]);
  assert.equal(e.premium_delta, proRata(354668 - 306112, 265, 365));
  assert.deepEqual(e.changes, ['retention', 'coverages']);
  assert.deepEqual(e.breakdown.coverages.map((c) => [c.code, c.pure_premium, c.sublimit]), [['ir', 207539, 100000000], ['pr', 5262, 100000000]]);
  assert.ok(Math.abs(e.breakdown.coverages[0].pure_premium_exact - 207539.3442) < 1e-3);
  assert.ok(Math.abs(e.breakdown.coverages[1].pure_premium_exact - 5261.5252) < 1e-3);
  assert.deepEqual([e.breakdown.pure_premium, e.breakdown.gross_premium, e.breakdown.premium], [212801, 354668, 354668]);
  assert.deepEqual([e.before.retention, e.after.retention, e.after.annual_premium], [5000000, 1000000, 354668]);
  assert.equal((await ok(await at('insurer-uw', T0, 'GET', `/api/v1/policies/${y.id}`), 200)).endorsements.length, 0);
  // made: scheduled, today's terms unchanged
  const made = await ok(await at('insurer-uw', T0, 'POST', `/api/v1/policies/${y.id}/endorsements`, body), 201);
  assert.deepEqual([made.terms.retention, codes(made), made.annual_premium, made.written_premium], [5000000, ['ir'], 306112, 306112]);
  assert.deepEqual(made.scheduled.map((x) => [x.kind, x.effective_date, x.premium_delta]), [['change', '2025-06-10', 35253]]);
  assert.equal(made.endorsements[0].note, body.note);
  // a second before the date: as bound; at 00:00 Beijing of the date: the new terms
  const before_ = await ok(await at('ent-gz', '2025-06-09T15:59:59Z', 'GET', `/api/v1/policies/${y.id}`), 200);
  assert.deepEqual([before_.terms.retention, codes(before_), before_.annual_premium, before_.written_premium, before_.scheduled.length], [5000000, ['ir'], 306112, 306112, 1]);
  const on = await ok(await at('ent-gz', '2025-06-09T16:00:00Z', 'GET', `/api/v1/policies/${y.id}`), 200);
  assert.deepEqual([on.terms.retention, codes(on), on.annual_premium, on.written_premium, on.scheduled.length], [1000000, ['ir', 'pr'], 354668, 341365, 0]);
  assert.deepEqual(on.terms.coverages.map((c) => c.sublimit), [100000000, 100000000]);
  assert.deepEqual([on.as_bound.retention, on.as_bound.annual_premium], [5000000, 306112]);
  // the list says the same as the header
  const list = await ok(await at('ent-gz', '2025-06-09T16:00:00Z', 'GET', '/api/v1/policies?limit=50'), 200);
  const row = list.items.find((x) => x.id === y.id);
  assert.deepEqual([row.terms.retention, row.annual_premium], [1000000, 354668]);
  X.endorsed = y.id;
});

test('a future-dated cancellation asks for its reason, shows the return premium first, and cancels only from its date', async () => {
  const id = X.endorsed;
  const c = { effective_date: '2025-09-18', reason: 'insured_request', note: '企业申请退保' };
  assertError(await at('ent-gz', T0, 'POST', `/api/v1/policies/${id}/cancellation`, { effective_date: '2025-09-18' }), 422, 'reason_required', 'reason');
  assertError(await at('ent-gz', T0, 'POST', `/api/v1/policies/${id}/cancellation`, { effective_date: '2025-09-18', reason: 'other' }), 422, 'note_required', 'note');
  assertError(await at('ent-gz', T0, 'POST', `/api/v1/policies/${id}/cancellation`, { ...c, effective_date: '2025-06-01' }), 422, 'effective_before_last', 'effective_date');
  // day 200: 165 of 365 days remain, of the premium in force then (¥3,546.68)
  const ret = proRata(354668, 165, 365);
  assert.equal(ret, 160329);
  const pv = await ok(await at('ent-gz', T0, 'POST', `/api/v1/policies/${id}/cancellation`, { ...c, preview: true }), 200);
  assert.deepEqual([pv.preview, pv.return_premium, pv.endorsements.at(-1).premium_delta, pv.endorsements.at(-1).reason], [true, ret, -ret, 'insured_request']);
  assert.equal((await ok(await at('ent-gz', T0, 'GET', `/api/v1/policies/${id}`), 200)).cancel_effective, null);
  const done = await ok(await at('ent-gz', T0, 'POST', `/api/v1/policies/${id}/cancellation`, c), 200);
  assert.deepEqual([done.status, done.return_premium, done.cancel_effective], ['active', ret, '2025-09-17T16:00:00Z']);
  assert.deepEqual(done.scheduled.map((x) => [x.kind, x.effective_date]), [['change', '2025-06-10'], ['cancellation', '2025-09-18']]);
  assert.deepEqual([done.endorsements[1].reason_zh, done.endorsements[1].reason_en], ['投保人申请退保', 'the policyholder asked to cancel']);
  assert.deepEqual(done.actions, []); // nothing more changes once a cancellation is recorded
  assertError(await at('ent-gz', T0, 'POST', `/api/v1/policies/${id}/cancellation`, c), 409, 'policy_cancelled', 'status');
  const last = await ok(await at('ent-gz', '2025-09-17T15:59:59Z', 'GET', `/api/v1/policies/${id}`), 200);
  assert.deepEqual([last.status, last.in_force, last.written_premium], ['active', true, 341365]);
  const gone = await ok(await at('ent-gz', '2025-09-17T16:00:00Z', 'GET', `/api/v1/policies/${id}`), 200);
  assert.deepEqual([gone.status, gone.in_force, gone.written_premium, gone.scheduled.length], ['cancelled', false, 341365 - ret, 0]);
  // the lists by status agree with the page on either side of the date
  const has = async (iso, status) => (await ok(await at('ent-gz', iso, 'GET', `/api/v1/policies?status=${status}&limit=200`), 200)).items.some((x) => x.id === id);
  assert.deepEqual([await has('2025-09-17T15:59:59Z', 'active'), await has('2025-09-17T15:59:59Z', 'cancelled')], [true, false]);
  assert.deepEqual([await has('2025-09-17T16:00:00Z', 'active'), await has('2025-09-17T16:00:00Z', 'cancelled')], [false, true]);
});

test('policies and quotes say what the caller may do with them', async () => {
  const y = await examplePolicy();
  const as_ = async (who) => (await ok(await at(who, T0, 'GET', `/api/v1/policies/${y.id}`), 200)).actions;
  assert.deepEqual(await as_('insurer-uw'), ['endorse', 'cancel']);
  assert.deepEqual(await as_('ent-gz'), ['cancel', 'renew']);
  const insured = await ok(await at('ent-gz', T0, 'GET', `/api/v1/policies/${y.id}`), 200);
  assert.deepEqual(insured.cancel_reasons.map((r) => r.code), ['insured_request', 'business_closed', 'replaced', 'non_payment', 'misrepresentation', 'other']);
  const q = await ok(await at('ent-gz', T0, 'GET', `/api/v1/quotes/${y.quote_id}`), 200);
  assert.deepEqual(q.actions, []); // bound
  const q2 = await ok(await at('ent-gz', T0, 'POST', '/api/v1/quotes', { product_id: X.product, assessment_id: X.assessmentB, revenue: 10000000000, aggregate_limit: 100000000, retention: 5000000, start_date: '2025-03-02' }), 201);
  assert.deepEqual(q2.actions, ['bind']);
  assert.deepEqual((await ok(await at('insurer-uw', T0, 'GET', `/api/v1/quotes/${q2.id}`), 200)).actions, ['bind']);
  assert.deepEqual((await ok(await at('ent-hz', T0, 'GET', `/api/v1/products/${X.product}`), 200)).status, 'active');
  assertError(await at('ent-hz', T0, 'GET', `/api/v1/quotes/${q2.id}`), 404, 'not_found');
  X.plain = y.id;
});

test('an endorsement that changes nothing, or an unusable term, is refused in words', async () => {
  const id = X.plain;
  const post = (b) => at('insurer-uw', T0, 'POST', `/api/v1/policies/${id}/endorsements`, b);
  assertError(await post({ effective_date: '2025-04-01' }), 422, 'nothing_changed', '');
  assertError(await post({ effective_date: '2025-04-01', aggregate_limit: 100000000 }), 422, 'limit_unchanged', 'aggregate_limit');
  assertError(await post({ aggregate_limit: 300000000 }), 422, 'missing_field', 'effective_date');
  assertError(await post({ effective_date: '2025-04-01', coverages: [] }), 422, 'coverages_invalid', 'coverages');
  assertError(await post({ effective_date: '2025-04-01', coverages: [{ code: 'ir' }, { code: 'bi' }] }), 422, 'coverage_not_offered', 'coverages[1]');
  assertError(await post({ effective_date: '2025-04-01', coverages: [{ code: 'ir', sublimit: 300000000 }] }), 422, 'sublimit_above_limit', 'coverages[0]');
  assertError(await post({ effective_date: '2025-04-01', retention: 2000000 }), 422, 'retention_not_offered', 'retention');
  assertError(await post({ effective_date: '2025-04-01', revenue: 0 }), 422, 'revenue_invalid', 'revenue');
  assertError(await post({ effective_date: '2025-04-01', industry: 'ZZ' }), 422, 'industry_unknown', 'industry');
  assertError(await post({ effective_date: '2025-04-01', region_code: '999999' }), 422, 'region_unknown', 'region_code');
  assertError(await post({ effective_date: '2025-02-01', retention: 1000000 }), 422, 'effective_outside_period', 'effective_date');
  // several terms at once: the limit, a sublimit, the insured's revenue and cloud provider
  const r = await ok(await post({ effective_date: '2025-04-01', aggregate_limit: 300000000, coverages: [{ code: 'ir', sublimit: 200000000 }], revenue: 12000000000, dependencies: { cloud: '华为云' } }), 201);
  const e = r.endorsements.at(-1);
  assert.deepEqual(e.changes, ['aggregate_limit', 'sublimits', 'insured']);
  assert.deepEqual([e.after.aggregate_limit, e.after.coverages[0].sublimit, e.after.insured.revenue, e.after.insured.dependencies.cloud], [300000000, 200000000, 12000000000, '华为云']);
  assert.equal(e.breakdown.factors.revenue, 12000000000);
  assert.equal(e.new_annual_premium, e.breakdown.premium);
  assert.deepEqual(e.breakdown.coverages.map((c) => [c.code, c.sublimit]), [['ir', 200000000]]);
  assert.equal(e.old_annual_premium, 306112);
  assert.equal(e.premium_delta, proRata(e.new_annual_premium - e.old_annual_premium, e.days_remaining, 365));
  assert.equal(e.days_remaining, 335); // 2025-04-01 is day 31 of the period
});

test('renewal lists only usable assessments and says in words what is missing', async () => {
  const id = X.plain;
  const opts = await ok(await at('ent-gz', T0, 'GET', `/api/v1/policies/${id}/renewal`), 200);
  // the assessment the policy was quoted on is not one of them, newer ones are
  assert.ok(!opts.assessments.some((a) => a.id === X.assessmentB));
  assert.equal(opts.last_assessment_id, X.assessmentB);
  assert.equal(opts.start_date, '2026-03-02');
  assertError(await at('ent-gz', T0, 'POST', `/api/v1/policies/${id}/renewal`, {}), 422, 'assessment_required', 'assessment_id');
  const r = await at('ent-gz', T0, 'POST', `/api/v1/policies/${id}/renewal`, {});
  assert.ok(!/9223372036854775807|assessment_id/.test(r.json.error.message), r.json.error.message);
  assertError(await at('ent-gz', T0, 'POST', `/api/v1/policies/${id}/renewal`, { assessment_id: X.assessmentB }), 422, 'assessment_not_new', 'assessment_id');
  assertError(await at('insurer-uw', T0, 'GET', `/api/v1/policies/${id}/renewal`), 403, 'forbidden');
  assertError(await at('ent-hz', T0, 'GET', `/api/v1/policies/${id}/renewal`), 404, 'not_found');
  // a cancelled policy says why it cannot be renewed
  const gone = await ok(await at('ent-gz', T0, 'GET', `/api/v1/policies/${X.endorsed}/renewal`), 200);
  assert.equal(gone.possible, false);
  assert.match(gone.reason_zh, /已办理退保（自 2025-09-18 起）/);
  assert.match(gone.reason_en, /cancelled from 2025-09-18/);
});

// The expected mark of a cell by the rules that look at its own facts, from rules.json itself.
const RULES = JSON.parse(fs.readFileSync(path.join(process.env.CYBERINS_DATA, 'underwriting/rules.json'), 'utf8')).rules;
function expectedMark(row) {
  const held = RULES.filter((r) => {
    const w = r.when;
    if (w.kind === 'grade_in') return w.values.includes(row.grade);
    if (w.kind === 'limit_above') return row.limit > w.amount_cny * 100;
    if (w.kind === 'limit_to_revenue_above') return row.limit / row.rated_revenue > w.ratio;
    if (w.kind === 'revenue_above') return row.rated_revenue > w.amount_cny * 100;
    if (w.kind === 'industry_section_in') return w.values.includes('C');
    return false;
  });
  const order = ['accept', 'condition', 'refer', 'decline'];
  const decision = held.reduce((d, r) => (order.indexOf(r.decision) > order.indexOf(d) ? r.decision : d), 'accept');
  return { decision, rules: held.map((r) => r.id) };
}

test('the rate table as filed: a price in every cell, the rules\' referral as a mark beside it, in JSON, CSV and XLSX', async () => {
  const p = await ok(await as(S.insurer, 'POST', '/api/v1/products', { body: {
    name: `费率表产品${uniq()}`, class: 'enterprise', target_industries: ['other'], bi_waiting_hours: 12,
    retention_options: [1000000], limit_options: [100000000, 300000000, 1000000000, 6000000000],
    coverages: [{ code: 'bi' }, { code: 'ir' }, { code: 'breach' }],
  } }), 201);
  const t = await ok(await as(S['insurer-uw'], 'GET', `/api/v1/products/${p.id}/rate-table?industry=C`), 200);
  assert.equal(t.rows.length, 4 * 5 * 6);
  const marks = { accept: 0, refer: 0, decline: 0 };
  for (const r of t.rows) {
    assert.ok(Number.isInteger(r.premium) && r.premium >= 200000, JSON.stringify(r)); // a price, at least the minimum
    assert.deepEqual({ decision: r.decision, rules: r.rules }, expectedMark(r), JSON.stringify(r));
    marks[r.decision]++;
  }
  // grade E declines everywhere (24 cells); ¥60M is above the ¥50M authority and the small bands' half
  assert.equal(marks.decline, 24);
  assert.ok(marks.refer > 0 && marks.accept > 0, JSON.stringify(marks));
  assert.ok(!t.rows.some((r) => r.rules.includes('refer_no_assessment')));
  // the marks in words: the rules that judge a cell by its own facts
  assert.deepEqual(t.rules.map((r) => r.id), RULES.filter((r) => ['grade_in', 'limit_above', 'limit_to_revenue_above', 'revenue_above', 'industry_section_in'].includes(r.when.kind)).map((r) => r.id));
  assert.ok(t.rules.every((r) => r.reason_zh && r.reason_en));
  const csv = await api('GET', `/api/v1/products/${p.id}/rate-table?industry=C&format=csv`, { headers: { cookie: S['insurer-uw'].cookie } });
  const lines = csv.text.trim().split('\n');
  assert.equal(lines[0], 'limit_fen,grade,revenue_band,rated_revenue_fen,premium_fen,pure_premium_fen,rate_on_line,decision,rules');
  for (let i = 0; i < t.rows.length; i++) {
    const f = lines[i + 1].split(',');
    const r = t.rows[i];
    assert.deepEqual([Number(f[0]), f[1], f[2], Number(f[4]), f[7], f[8]], [r.limit, r.grade, r.band, r.premium, r.decision, r.rules.join(';')]);
  }
  // the workbook: the same cells, premiums in 元
  const x = await api('GET', `/api/v1/products/${p.id}/rate-table?industry=C&format=xlsx`, { headers: { cookie: S['insurer-uw'].cookie } });
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const res = await fetch(`${process.env.BASE_URL}/api/v1/products/${p.id}/rate-table?industry=C&format=xlsx`, { headers: { cookie: S['insurer-uw'].cookie } });
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cy-rate-'));
  fs.writeFileSync(path.join(dir, 't.xlsx'), bytes);
  const sheet = spawnSync('unzip', ['-p', path.join(dir, 't.xlsx'), 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  const strings = spawnSync('unzip', ['-p', path.join(dir, 't.xlsx'), 'xl/sharedStrings.xml'], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true });
  assert.equal(sheet.status, 0, sheet.stderr);
  const rowsXml = sheet.stdout.match(/<row /g);
  assert.equal(rowsXml.length, 1 + t.rows.length);
  const yuan = (fen) => String(fen / 100);
  const first = sheet.stdout.match(/<row r="2"[^>]*>.*?<\/row>/)[0];
  assert.ok(first.includes(`<v>${yuan(t.rows[0].premium)}</v>`), first);
  assert.ok(strings.stdout.includes('拒保 decline') && strings.stdout.includes('转人工核保 refer'));
  assertError(await as(S['insurer-uw'], 'GET', `/api/v1/products/${p.id}/rate-table?industry=C&format=pdf`), 400, 'query_invalid', 'format');
});

test('products carry their liability trigger; claims made gives the policy a retroactive date', async () => {
  const base = {
    name: `索赔发生制产品${uniq()}`, class: 'enterprise', target_industries: ['other'], bi_waiting_hours: 0,
    retention_options: [5000000], limit_options: [100000000], coverages: [{ code: 'ir' }],
  };
  assertError(await as(S.insurer, 'POST', '/api/v1/products', { body: { ...base, liability_trigger: 'whenever' } }), 422, 'trigger_invalid', 'liability_trigger');
  assertError(await as(S.insurer, 'POST', '/api/v1/products', { body: { ...base, retro_date: '2024-01-01' } }), 422, 'retro_date_not_allowed', 'retro_date');
  assertError(await as(S.insurer, 'POST', '/api/v1/products', { body: { ...base, liability_trigger: 'claims_made', retro_date: '2024-02-30' } }), 422, 'date_invalid', 'retro_date');
  const p = await ok(await as(S.insurer, 'POST', '/api/v1/products', { body: { ...base, liability_trigger: 'claims_made', retro_date: '2024-01-01' } }), 201);
  assert.deepEqual([p.liability_trigger, p.retro_date], ['claims_made', '2024-01-01']);
  // what each caller may do with the version: the admin edits and files, the underwriter edits
  assert.deepEqual(p.actions, ['edit', 'file']);
  assert.deepEqual((await ok(await as(S['insurer-uw'], 'GET', `/api/v1/products/${p.id}`), 200)).actions, ['edit']);
  const occ = await ok(await as(S.insurer, 'POST', '/api/v1/products', { body: { ...base, name: `${base.name}乙` } }), 201);
  assert.deepEqual([occ.liability_trigger, occ.retro_date], ['occurrence', null]);
  const filed = await ok(await as(S.insurer, 'POST', `/api/v1/products/${p.id}/filing`, { body: { filing_no: `索赔备案${uniq()}`, filing_date: '2024-03-01' } }), 200);
  assert.deepEqual(filed.actions, ['version']);
  assert.deepEqual((await ok(await as(S['ent-hz'], 'GET', `/api/v1/products/${p.id}`), 200)).actions, []);
  const q = await ok(await at('ent-gz', T0, 'POST', '/api/v1/quotes', { product_id: p.id, assessment_id: X.assessmentB, revenue: 10000000000, aggregate_limit: 100000000, retention: 5000000, start_date: '2025-03-02' }), 201);
  assert.deepEqual([q.liability_trigger, q.retro_date], ['claims_made', '2024-01-01']);
  const y = await ok(await at('ent-gz', T0, 'POST', `/api/v1/quotes/${q.id}/bind`), 201);
  assert.deepEqual([y.trigger, y.retro_date], ['claims_made', '2024-01-01']);
});
