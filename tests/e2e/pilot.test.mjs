// pilot.test.mjs — the whole 2024 round of the pilot (DOMAIN.md §4, §5, §7)
// with the demo organisations, on SQLite and on PostgreSQL: three schemes
// (one refused for 11 joint units, one for 4999 字), expert review with a
// refused conflicted expert, the catalogue, a Guangzhou package with an
// Annex 3 and an Annex 4 plan (and a 基础电信企业's plan copied to the
// 通信管理局) forwarded to the province and on to the ministry, a Shenzhen
// package straight to the ministry, late receipts refused and an extension
// granted, selection, progress reports, an exit, annual summaries and the
// overdue list. Receipt times are stated with X-Test-Now (run.sh starts the
// server with --test-clock), so the round's past dates are walked in order.
// Each step depends on the ones before it.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { as, login, assertError, makeUscc, uniqueBody8 } from './lib/http.mjs';
import { asAt, schemeForm, planForm, UNITS, ok, zh, leadInfo } from './lib/pilot.mjs';

const S = {};
const ID = {};
const LOGINS = ['miit', 'nisc', 'gd-prov', 'zj-prov', 'gd-ca', 'gz-city', 'gz-city-viewer', 'sz-city',
  'hz-city', 'insurer', 'insurer-uw', 'secfirm', 'ent-gz', 'ent-sz', 'ent-telecom', 'ent-hz', 'expert', 'expert2'];

// The receipt time in Beijing time ("2024-01-20 10:00").
const T = (s) => s;

describe('the 2024 pilot round, end to end', { timeout: 300_000 }, () => {
  before(async () => {
    for (const u of LOGINS) S[u] = await login(u);
    for (const u of LOGINS) ID[u] = S[u].me.organisation.id;
  });

  test('the round is data: every date and limit of 2024.json, with Guangdong\'s overrides', async () => {
    const r = ok(await as(null, 'GET', '/api/v1/rounds/2024'));
    assert.deepEqual(r.deadlines, {
      scheme_at_ministry: '2024-01-28', plan_at_city: null, package_at_province: '2024-03-15',
      plan_at_ministry: '2024-03-15', city_summary_at_province: '2024-11-10', summary_at_ministry: '2024-11-10',
      recommendation_at_ministry: '2024-01-28', copy_at_comm_admin: null, pilot_summary_at_city: null,
      summary_copy_at_comm_admin: null,
    });
    assert.deepEqual(r.provinces['440000'].deadlines, {
      package_at_province: '2024-02-26', city_summary_at_province: '2024-11-01',
      copy_at_comm_admin: '2024-02-26', summary_copy_at_comm_admin: '2024-11-01',
    });
    assert.equal(r.provinces['440000'].summary_route, 'via_city');
    // the 10-unit limit is 方案征集's (Annex 1) only; 5 schemes per lead is 原则上
    assert.deepEqual(r.limits, {
      joint_units_max: null, schemes_per_lead_max: 5, licensed_insurers_min: 1, unit_intro_zishu_max: 400,
      overview_zishu_max: 400, scheme_body_zishu_min: 5000, plan_body_zishu_min: 3000,
      attached_scheme_zishu_min: 5000, cases_min: 3, cases_max: 5,
    });
    assert.deepEqual([1, 2, 3, 4].map((a) => r.annexes[a].limits.joint_units_max), [10, null, null, null]);
    assert.deepEqual(r.annexes[1].limits.in_principle, ['schemes_per_lead_max']);
    assert.deepEqual(r.late_policy.copy_at_comm_admin, 'flag');
    assert.deepEqual(r.late_policy.package_at_province, 'refuse');
    assert.deepEqual(r.reminders_days, [7, 3, 1]);
    assert.deepEqual(r.annexes[1].required, ['lead_info.founded_on', 'lead_info.registered_capital_fen',
      'lead_info.address', 'lead_info.contact', 'lead_info.phone', 'lead_info.fax', 'lead_info.email', 'lead_info.kind']);
    assert.match(r.annexes[1].declaration, /^根据《关于组织开展网络安全保险服务试点工作的通知》要求，我单位提交了网络安全保险服务试点的服务方案。/);
    assert.match(r.annexes[4].declaration, /\n5\. 试点期内存在责任落实不到位、经营服务出现重大问题、造成重大网络安全事件、严重违法违规等行为，退出试点并妥善处理善后事宜。\n我单位对违反上述声明导致的后果承担全部法律责任。$/);
    assert.deepEqual(r.progress_reports.map((p) => [p.period, p.due]), [['2024Q2', '2024-07-10'], ['2024Q3', '2024-10-10'], ['2024Q4', '2025-01-10']]);
    assert.equal(r.review_criteria.min_reviews, 2);
    assert.equal(r.review_criteria.criteria.reduce((s, c) => s + c.weight, 0), 100);
    assertError(await as(null, 'GET', '/api/v1/rounds/1999'), 404, 'not_found', 'id');
  });

  test('the communications administration marks ent-telecom as a 基础电信企业', async () => {
    // gd-ca may for its province; an enterprise may not (403); hz-city cannot see it (404)
    assertError(await as(S['ent-gz'], 'PUT', `/api/v1/organisations/${ID['ent-telecom']}/telecom-operator`, { body: { telecom_operator: true } }), 404, 'not_found');
    assertError(await as(S['gz-city'], 'PUT', `/api/v1/organisations/${ID['ent-telecom']}/telecom-operator`, { body: { telecom_operator: true } }), 403, 'forbidden');
    const r = ok(await as(S['gd-ca'], 'PUT', `/api/v1/organisations/${ID['ent-telecom']}/telecom-operator`, { body: { telecom_operator: true } }));
    assert.deepEqual(r, { org_id: ID['ent-telecom'], name: '广东示范电信运营有限公司（演示）', telecom_operator: true });
  });

  // ---- Annex 1 schemes ------------------------------------------------------

  test('a scheme with 11 joint units is refused and nothing is saved', async () => {
    const before = ok(await as(S.insurer, 'GET', '/api/v1/schemes?round_id=2024')).items.length;
    const joint = Array.from({ length: 11 }, (_, i) => ({ name: `联合单位${i + 1}`, nature: 'private', uscc: makeUscc('91', '440106', uniqueBody8()) }));
    const r = await asAt(S.insurer, T('2024-01-10 09:00'), 'POST', '/api/v1/schemes', schemeForm({ joint }));
    assertError(r, 422, 'joint_units_too_many', 'joint_units');
    assert.equal(r.json.error.message, '联合申报单位不超过10家（当前11家） / at most 10 joint units (11 given)');
    assert.equal(ok(await as(S.insurer, 'GET', '/api/v1/schemes?round_id=2024')).items.length, before);
  });

  test('the 10-unit limit is Annex 1\'s: 10 joint units pass a scheme, 11 pass an Annex 4 plan', async () => {
    const joint = (n) => Array.from({ length: n }, (_, i) => ({ name: `联合单位${i + 1}`, nature: 'private', uscc: makeUscc('91', '440106', uniqueBody8()) }));
    const s = ok(await asAt(S.secfirm, T('2024-01-10 09:00'), 'POST', '/api/v1/schemes', schemeForm({ joint: joint(10), name: '十家联合单位的服务方案', kind: 'security_firm' })), 201);
    assert.equal(s.units.length, 11);
    const p = ok(await asAt(S['ent-hz'], T('2024-01-10 09:00'), 'POST', '/api/v1/plans', planForm(4, { joint: joint(11), name: '十一家联合单位的企业方案' })), 201);
    assert.equal(p.units.length, 12);
    assert.deepEqual(p.warnings, []);
  });

  test('bad scheme inputs name their field and rule', async () => {
    const post = (form) => asAt(S.insurer, T('2024-01-10 09:00'), 'POST', '/api/v1/schemes', form);
    assertError(await post({ ...schemeForm(), colour: 'red' }), 400, 'unknown_field', 'colour');
    assertError(await post({ ...schemeForm(), joint_units: [{ name: '甲', nature: 'private', uscc: 914403001922038216 }] }), 400, 'wrong_type', 'joint_units[0].uscc');
    const bad = await post({ ...schemeForm(), joint_units: [{ name: '甲', nature: 'private', uscc: '914403001922038217' }] });
    assertError(bad, 422, 'uscc_check_digit', 'joint_units[0].uscc');
    const indiv = await post({ ...schemeForm(), joint_units: [{ name: '个体户', nature: 'private', uscc: makeUscc('92', '440106', uniqueBody8()) }] });
    assertError(indiv, 422, 'uscc_not_legal_person', 'joint_units[0].uscc');
    const long = await post({ ...schemeForm(), overview: zh(401) });
    assertError(long, 422, 'zishu_too_many', 'overview');
    assert.equal(long.json.error.message, '方案概述不超过400字（当前401字） / the overview: at most 400 字 (401 given)');
    assertError(await post({ ...schemeForm(), round_id: '1999' }), 422, 'round_unknown', 'round_id');
    assertError(await post({ ...schemeForm(), direction: 'product_service', industry: undefined, product: 'toaster' }), 422, 'product_unknown', 'product');
    assertError(await post({ ...schemeForm(), joint_units: [UNITS.insurer] }), 422, 'unit_duplicate', 'joint_units[0].uscc');
    // coded fields come from the lists, and a refusal says so in words, never a key or a path
    const kind = await post({ ...schemeForm(), lead_info: { ...leadInfo('toaster') } });
    assertError(kind, 422, 'code_unknown', 'lead_info.kind');
    assert.equal(kind.json.error.message, '服务机构类型“toaster”不在列表中，请从列表中选择 / the institution kind "toaster" is not on the list: choose one from it');
    const wan = await post({ ...schemeForm(), joint_units: [{ name: '甲', nature: 'private', uscc: '914403001922038216', kind: '网络安全企业' }] });
    assertError(wan, 422, 'code_unknown', 'joint_units[0].kind');
    const type = await post({ ...schemeForm(), lead_info: { ...leadInfo('insurer'), registered_capital_fen: '5万' } });
    assertError(type, 400, 'wrong_type', 'lead_info.registered_capital_fen');
    assert.equal(type.json.error.message, '牵头申报单位基本信息的注册资本应为整数 / the lead\'s details: registered capital must be a whole number');
    const date = await post({ ...schemeForm(), lead_info: { ...leadInfo('insurer'), founded_on: '2016-02-30' } });
    assertError(date, 422, 'date_invalid', 'lead_info.founded_on');
    // an enterprise does not lead a scheme; a viewer never writes
    assertError(await asAt(S['ent-gz'], T('2024-01-10 09:00'), 'POST', '/api/v1/schemes', schemeForm()), 403, 'forbidden');
  });

  test('scheme 1: the insurer and secfirm, confirmed by each unit\'s admin, submitted in time', async () => {
    let s = ok(await asAt(S.insurer, T('2024-01-15 09:00'), 'POST', '/api/v1/schemes', schemeForm({ joint: [UNITS.secfirm] })), 201);
    ID.s1 = s.id;
    assert.equal(s.status, 'draft');
    // what each may do with it, from the record: the lead edits, submits and confirms; the joint unit's
    // admin confirms, its member nothing; a submitted scheme is the support center's to assign
    assert.deepEqual(s.actions, ['edit', 'submit', 'confirm']);
    assert.deepEqual(ok(await as(S['insurer-uw'], 'GET', `/api/v1/schemes/${s.id}`)).actions, ['edit', 'submit']);
    assert.deepEqual(ok(await as(S.secfirm, 'GET', `/api/v1/schemes/${s.id}`)).actions, ['confirm']);
    assert.deepEqual(s.zishu, { unit_intro: 380, overview: 400, body: 5000 });
    assert.equal(s.lead.name, '南方示范财产保险股份有限公司（演示）');
    assert.deepEqual(s.units.map((u) => [u.seq, u.org_id, u.licensed_insurer, u.confirmed_at]),
      [[0, ID.insurer, true, null], [1, ID.secfirm, false, null]]);
    // not yet confirmed by secfirm: refused naming the unit
    ok(await asAt(S.insurer, T('2024-01-16 09:00'), 'POST', `/api/v1/schemes/${s.id}/confirm`, { legal_representative: '王总' }));
    const early = await asAt(S.insurer, T('2024-01-16 10:00'), 'POST', `/api/v1/schemes/${s.id}/submit`);
    assertError(early, 422, 'confirmation_missing', 'joint_units[0].uscc');
    // a member cannot speak for the unit; another unit cannot confirm
    assertError(await asAt(S['insurer-uw'], T('2024-01-16 10:00'), 'POST', `/api/v1/schemes/${s.id}/confirm`, { legal_representative: '王总' }), 403, 'forbidden');
    assertError(await asAt(S['ent-gz'], T('2024-01-16 10:00'), 'POST', `/api/v1/schemes/${s.id}/confirm`, { legal_representative: '王总' }), 404, 'not_found');
    const c = ok(await asAt(S.secfirm, T('2024-01-16 11:00'), 'POST', `/api/v1/schemes/${s.id}/confirm`, { legal_representative: '赵总' }));
    // each unit's declarations are kept word for word, with the name and the day it signed
    const round = ok(await as(null, 'GET', '/api/v1/rounds/2024'));
    assert.deepEqual(c.units.map((u) => [u.legal_representative, u.signed_on, u.commitment, u.declaration]), [
      ['王总', '2024-01-16', round.annexes[1].commitment, round.annexes[1].declaration],
      ['赵总', '2024-01-16', round.annexes[1].commitment, round.annexes[1].declaration]]);
    assert.deepEqual(c.declaration_text, { commitment: round.annexes[1].commitment, declaration: round.annexes[1].declaration });
    s = ok(await asAt(S['insurer-uw'], T('2024-01-20 10:00'), 'POST', `/api/v1/schemes/${s.id}/submit`));
    assert.equal(s.status, 'submitted');
    assert.deepEqual(s.actions, []);
    assert.deepEqual(ok(await as(S.nisc, 'GET', `/api/v1/schemes/${s.id}`)).actions, ['assign']);
    assert.deepEqual(ok(await as(S['gd-prov'], 'GET', `/api/v1/schemes/${s.id}`)).actions, ['recommend']);
    assert.deepEqual(ok(await as(S['sz-city'], 'GET', `/api/v1/schemes/${s.id}`)).actions, ['recommend'], 'Shenzhen, a 计划单列市, recommends');
    assert.equal(s.received_at, '2024-01-20T02:00:00Z');
    assert.equal(s.deadline_at, '2024-01-28T15:59:59Z');
    // submitted: no more edits
    assertError(await asAt(S.insurer, T('2024-01-21 10:00'), 'PATCH', `/api/v1/schemes/${s.id}`, { name: '改名' }), 409, 'scheme_not_draft');
  });

  test('scheme 3: 4999 字 is refused at submission, 5000 字 passes after the units confirm again', async () => {
    const form = schemeForm({ joint: [UNITS.insurer, UNITS.institute], bodyZishu: 4999, name: '网络安全服务机构职业责任保险服务方案', kind: 'security_firm' });
    let s = ok(await asAt(S.secfirm, T('2024-01-18 09:00'), 'POST', '/api/v1/schemes', form), 201);
    ID.s3 = s.id;
    assert.equal(s.zishu.body, 4999);
    for (const [u, rep] of [['secfirm', '赵总'], ['insurer', '王总'], ['expert', '钱院长']])
      ok(await asAt(S[u], T('2024-01-18 10:00'), 'POST', `/api/v1/schemes/${s.id}/confirm`, { legal_representative: rep }));
    const r = await asAt(S.secfirm, T('2024-01-19 09:00'), 'POST', `/api/v1/schemes/${s.id}/submit`);
    assertError(r, 422, 'zishu_too_few', 'body');
    assert.equal(r.json.error.message, '服务方案不少于5000字（当前4999字） / the scheme body (服务方案): at least 5000 字 (4999 given)');
    // a save that changes nothing keeps the confirmations
    s = ok(await asAt(S.secfirm, T('2024-01-19 09:30'), 'PATCH', `/api/v1/schemes/${s.id}`, { name: form.name, body: form.body }));
    assert.equal(s.confirmations_cleared, 0);
    assert.ok(s.units.every((u) => u.confirmed_at !== null));
    // one 字 more; the change voids the confirmations, and the answer says how many
    const body = { ...form.body, promotion: form.body.promotion + '。' };
    s = ok(await asAt(S.secfirm, T('2024-01-19 10:00'), 'PATCH', `/api/v1/schemes/${s.id}`, { body }));
    assert.equal(s.zishu.body, 5000);
    assert.equal(s.confirmations_cleared, 3);
    assert.ok(s.units.every((u) => u.confirmed_at === null));
    for (const [u, rep] of [['secfirm', '赵总'], ['insurer', '王总'], ['expert', '钱院长']])
      ok(await asAt(S[u], T('2024-01-19 11:00'), 'POST', `/api/v1/schemes/${s.id}/confirm`, { legal_representative: rep }));
  });

  test('the fields the notice asks for are required before submission, named in words', async () => {
    const { fax, ...noFax } = leadInfo('security_firm');
    assert.ok(fax);
    let d = ok(await asAt(S.secfirm, T('2024-01-18 09:00'), 'POST', '/api/v1/schemes', { ...schemeForm({ joint: [UNITS.insurer], name: '缺传真的服务方案', kind: 'security_firm' }), lead_info: noFax }), 201);
    for (const [u, rep] of [['secfirm', '赵总'], ['insurer', '王总']])
      ok(await asAt(S[u], T('2024-01-18 09:10'), 'POST', `/api/v1/schemes/${d.id}/confirm`, { legal_representative: rep }));
    const r = await asAt(S.secfirm, T('2024-01-18 09:20'), 'POST', `/api/v1/schemes/${d.id}/submit`);
    assertError(r, 422, 'missing_field', 'lead_info.fax');
    assert.equal(r.json.error.message, '请填写牵头申报单位基本信息的传真 / the lead\'s details: fax is required');
    // Annex 2: the contact's 部门, 职务, 邮箱 and 表3; Annex 3: 表2
    const a2 = planForm(2, { name: '缺联系人邮箱的地市方案' });
    delete a2.contact.email;
    d = ok(await asAt(S['hz-city'], T('2024-02-01 09:00'), 'POST', '/api/v1/plans', a2), 201);
    assertError(await asAt(S['hz-city'], T('2024-02-01 09:10'), 'POST', `/api/v1/plans/${d.id}/submit`), 422, 'missing_field', 'contact.email');
    d = ok(await asAt(S['hz-city'], T('2024-02-01 09:20'), 'PATCH', `/api/v1/plans/${d.id}`, { contact: { ...planForm(2).contact }, scheme_table: [] }));
    const t3 = await asAt(S['hz-city'], T('2024-02-01 09:30'), 'POST', `/api/v1/plans/${d.id}/submit`);
    assertError(t3, 422, 'missing_field', 'scheme_table');
    assert.equal(t3.json.error.message, '请填写服务方案基本情况表 / the service schemes table is required');
    // an amount that is no whole number of fen, and a negative one, said in words
    const neg = await asAt(S['hz-city'], T('2024-02-01 09:40'), 'PATCH', `/api/v1/plans/${d.id}`, { schemes: [{ name: '附方案', unit_premium_fen: -5 }] });
    assertError(neg, 422, 'money_negative', 'schemes[0].unit_premium_fen');
    assert.equal(neg.json.error.message, '所附服务方案1的单价保费不能为负数 / the unit premium of attached scheme 1 cannot be negative');
    const wan = await asAt(S['hz-city'], T('2024-02-01 09:40'), 'PATCH', `/api/v1/plans/${d.id}`, { schemes: [{ name: '附方案', unit_premium_fen: '5万' }] });
    assertError(wan, 400, 'wrong_type', 'schemes[0].unit_premium_fen');
    assert.equal(wan.json.error.message, '所附服务方案第1项的单价保费应为整数 / attached scheme, item 1: unit premium must be a whole number');
    // 表1's 机构类型 is one of the notice's nine kinds
    const kind = await asAt(S['hz-city'], T('2024-02-01 09:50'), 'PATCH', `/api/v1/plans/${d.id}`, { institutions: [{ name: '某机构', type: '网络安全企业' }] });
    assertError(kind, 422, 'code_unknown', 'institutions[0].type');
  });

  test('a scheme received after 2024-01-28 is refused; the ministry\'s extension lets it in', async () => {
    const late = await asAt(S.secfirm, T('2024-01-29 09:00'), 'POST', `/api/v1/schemes/${ID.s3}/submit`);
    assertError(late, 422, 'deadline_passed', 'received_at');
    assert.equal(late.json.error.message,
      '逾期不予受理：服务方案报送工业和信息化部的截止时间为 2024-01-28 23:59:59（北京时间，以送达时间为准），送达工业和信息化部（演示）的时间为 2024-01-29 09:00:00 / refused as late: service schemes at the ministry closed at 2024-01-28 23:59:59 Beijing time (judged on receipt); received by 工业和信息化部（演示） at 2024-01-29 09:00:00');
    // only the receiving authority grants it
    const ext = { round_id: '2024', deadline: 'scheme_at_ministry', org_id: ID.secfirm, until: '2024-01-31', reason: '系统故障导致报送延误' };
    assertError(await asAt(S['gd-prov'], T('2024-01-29 10:00'), 'POST', '/api/v1/extensions', ext), 403, 'forbidden');
    assertError(await asAt(S.miit, T('2024-01-29 10:00'), 'POST', '/api/v1/extensions', { ...ext, until: '2024-01-28' }), 422, 'extension_not_later', 'until');
    const e = ok(await asAt(S.miit, T('2024-01-29 10:00'), 'POST', '/api/v1/extensions', ext), 201);
    assert.equal(e.until_at, '2024-01-31T15:59:59Z');
    const s = ok(await asAt(S.secfirm, T('2024-01-29 11:00'), 'POST', `/api/v1/schemes/${ID.s3}/submit`));
    assert.equal(s.status, 'submitted');
    // the grant is in the audit log
    const audit = ok(await as(S.miit, 'GET', `/api/v1/audit?object_type=pilot_extension&object_id=${e.id}`));
    const entry = audit.items.find((a) => a.action === 'extension.grant');
    assert.ok(entry, 'extension.grant is audited');
    assert.match(entry.summary, /同意羊城示范网络安全技术有限公司（演示）延期：服务方案报送工业和信息化部 截止时间延至 2024-01-31/);
  });

  test('a local authority attaches a recommendation (推荐意见) by 2024-01-28, or within the extension it asked for', async () => {
    // Guangdong's province sees Guangdong's submitted schemes; Zhejiang's does not
    assertError(await as(S['zj-prov'], 'POST', `/api/v1/schemes/${ID.s3}/recommendations`, { body: { text: '推荐' } }), 404, 'not_found');
    // a prefecture city that is not a 计划单列市 does not recommend
    assertError(await as(S['gz-city'], 'POST', `/api/v1/schemes/${ID.s3}/recommendations`, { body: { text: '推荐' } }), 403, 'forbidden');
    // the recommendation is part of Annex 1: it reaches the ministry by the scheme's date
    const late = await asAt(S['gd-prov'], T('2024-01-30 09:00'), 'POST', `/api/v1/schemes/${ID.s3}/recommendations`, { text: '该方案服务能力突出，推荐入选。' });
    assertError(late, 422, 'deadline_passed', 'received_at');
    assert.match(late.json.error.message, /^逾期不予受理：推荐意见报送工业和信息化部的截止时间为 2024-01-28 23:59:59/);
    // the province asks the ministry for time; a request for a deadline the round does not set is refused
    assertError(await asAt(S['ent-gz'], T('2024-01-30 09:10'), 'POST', '/api/v1/extension-requests', { round_id: '2024', deadline: 'plan_at_city', until: '2024-03-01', reason: '材料准备' }), 422, 'deadline_none', 'deadline');
    assertError(await asAt(S['gd-prov'], T('2024-01-30 09:10'), 'POST', '/api/v1/extension-requests', { round_id: '2024', deadline: 'recommendation_at_ministry', until: '2024-01-27', reason: '材料准备' }), 422, 'extension_not_later', 'until');
    const q = ok(await asAt(S['gd-prov'], T('2024-01-30 09:10'), 'POST', '/api/v1/extension-requests', { round_id: '2024', deadline: 'recommendation_at_ministry', until: '2024-02-02', reason: '方案于1月29日延期送达，推荐意见随后报送' }), 201);
    assert.deepEqual([q.status, q.to_org_id, q.org_id, q.until], ['open', ID.miit, ID['gd-prov'], '2024-02-02']);
    assert.ok(ok(await as(S.miit, 'GET', '/api/v1/extension-requests?status=open')).items.some((x) => x.id === q.id));
    assert.ok(!ok(await as(S['zj-prov'], 'GET', '/api/v1/extension-requests')).items.some((x) => x.id === q.id));
    assertError(await asAt(S['gd-prov'], T('2024-01-30 09:20'), 'POST', `/api/v1/extension-requests/${q.id}/decline`, { answer: '否' }), 403, 'forbidden');
    const e = ok(await asAt(S.miit, T('2024-01-30 09:30'), 'POST', '/api/v1/extensions', { round_id: '2024', deadline: 'recommendation_at_ministry', org_id: ID['gd-prov'], until: '2024-02-02', reason: '同意', request_id: q.id }), 201);
    const after = ok(await as(S['gd-prov'], 'GET', '/api/v1/extension-requests')).items.find((x) => x.id === q.id);
    assert.deepEqual([after.status, after.extension_id], ['granted', e.id]);
    assertError(await asAt(S.miit, T('2024-01-30 09:40'), 'POST', `/api/v1/extension-requests/${q.id}/decline`, { answer: '否' }), 409, 'request_decided', 'status');
    const s = ok(await asAt(S['gd-prov'], T('2024-01-30 10:00'), 'POST', `/api/v1/schemes/${ID.s3}/recommendations`, { text: '该方案服务能力突出，推荐入选。' }), 201);
    assert.deepEqual(s.recommendations.map((r) => [r.org_id, r.text, r.late]), [[ID['gd-prov'], '该方案服务能力突出，推荐入选。', false]]);
    assertError(await as(S['gd-prov'], 'POST', `/api/v1/schemes/${ID.s3}/recommendations`, { body: { text: '再推荐' } }), 409, 'recommendation_exists');
    // contact data of other organisations stays hidden from the province
    assert.equal(s.lead.phone, null);
  });

  test('one lead submits 5 schemes per round 原则上: the 6th waits for the ministry\'s waiver with its reason', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) {
      const s = ok(await asAt(S.insurer, T('2024-01-22 09:00'), 'POST', '/api/v1/schemes', schemeForm({ name: `补充服务方案${i + 2}` })), 201);
      ok(await asAt(S.insurer, T('2024-01-22 09:10'), 'POST', `/api/v1/schemes/${s.id}/confirm`, { legal_representative: '王总' }));
      ids.push(s.id);
    }
    // with scheme 1, the first four make five: at the limit, accepted
    for (const id of ids.slice(0, 4)) ok(await asAt(S.insurer, T('2024-01-22 10:00'), 'POST', `/api/v1/schemes/${id}/submit`));
    // the sixth: warned while a draft, refused until waived
    let six = ok(await as(S.insurer, 'GET', `/api/v1/schemes/${ids[4]}`));
    assert.deepEqual(six.warnings.map((w) => [w.rule, w.limit, w.n, w.waived]), [['schemes_per_lead_max', 5, 6, false]]);
    const r = await asAt(S.insurer, T('2024-01-22 10:00'), 'POST', `/api/v1/schemes/${ids[4]}/submit`);
    assertError(r, 422, 'waiver_required', 'lead');
    assert.equal(r.json.error.message, '每个申报主体牵头的服务方案原则上不超过5个（本轮已提交5个），超出须经工业和信息化部同意并记录理由 / a lead submits at most 5 schemes per round in principle (5 already submitted); another needs the ministry\'s waiver with its reason');
    // only the ministry waives, with a reason, a limit the round holds in principle
    const waive = (who, body) => asAt(S[who], T('2024-01-23 09:00'), 'POST', `/api/v1/schemes/${ids[4]}/waivers`, body);
    assertError(await waive('gd-prov', { rule: 'schemes_per_lead_max', reason: '同意' }), 404, 'not_found');
    assertError(await waive('nisc', { rule: 'schemes_per_lead_max', reason: '同意' }), 403, 'forbidden');
    assertError(await waive('miit', { rule: 'cases_max', reason: '同意' }), 422, 'waiver_not_applicable', 'rule');
    assertError(await waive('miit', { rule: 'schemes_per_lead_max', reason: ' ' }), 422, 'missing_field', 'reason');
    six = ok(await waive('miit', { rule: 'schemes_per_lead_max', reason: '该方案面向车联网，填补目录空白' }), 201);
    assert.deepEqual(six.waivers.map((w) => [w.rule, w.reason, w.granted_by]), [['schemes_per_lead_max', '该方案面向车联网，填补目录空白', '工业和信息化部（演示）']]);
    assert.equal(six.warnings[0].waived, true);
    assertError(await waive('miit', { rule: 'schemes_per_lead_max', reason: '再次' }), 409, 'waiver_exists', 'rule');
    six = ok(await asAt(S.insurer, T('2024-01-23 10:00'), 'POST', `/api/v1/schemes/${ids[4]}/submit`));
    assert.equal(six.status, 'submitted');
    const audit = ok(await as(S.miit, 'GET', `/api/v1/audit?object_type=pilot_scheme&object_id=${ids[4]}`)).items;
    assert.match(audit.find((x) => x.action === 'waiver.grant').summary, /理由：该方案面向车联网，填补目录空白/);
  });

  // ---- expert review and the catalogue -------------------------------------

  test('experts are assigned; the conflict shows before saving, and a conflicted expert is refused', async () => {
    const expert = S.expert.me.user.id, expert2 = S.expert2.me.user.id;
    const list = ok(await as(S.nisc, 'GET', `/api/v1/schemes/${ID.s3}/experts`)).items;
    const row = list.find((e) => e.user_id === expert);
    assert.deepEqual([row.conflict, row.conflict_with, row.assigned], [true, UNITS.institute.name, false]);
    assertError(await as(S.insurer, 'GET', `/api/v1/schemes/${ID.s3}/experts`), 403, 'forbidden');
    assertError(await as(S['ent-gz'], 'GET', `/api/v1/schemes/${ID.s3}/experts`), 404, 'not_found');
    const conflict = await as(S.nisc, 'POST', `/api/v1/schemes/${ID.s3}/reviewers`, { body: { user_id: expert } });
    assertError(conflict, 422, 'conflict_of_interest', 'user_id');
    assert.match(conflict.json.error.message, /示范网络安全研究院（评审专家库，演示）/);
    assertError(await as(S.nisc, 'POST', `/api/v1/schemes/${ID.s1}/reviewers`, { body: { user_id: S['ent-gz'].me.user.id } }), 422, 'reviewer_not_expert', 'user_id');
    assertError(await as(S.insurer, 'POST', `/api/v1/schemes/${ID.s1}/reviewers`, { body: { user_id: expert } }), 403, 'forbidden');
    ID.r1 = ok(await as(S.nisc, 'POST', `/api/v1/schemes/${ID.s1}/reviewers`, { body: { user_id: expert } }), 201).id;
    ID.r2 = ok(await as(S.nisc, 'POST', `/api/v1/schemes/${ID.s1}/reviewers`, { body: { user_id: expert2 } }), 201).id;
    assertError(await as(S.miit, 'POST', `/api/v1/schemes/${ID.s1}/reviewers`, { body: { user_id: expert } }), 409, 'reviewer_assigned');
    // an independent panel for scheme 3, registered by the ministry
    const org = ok(await as(S.miit, 'POST', '/api/v1/organisations', { body: {
      name: `独立评审专家库${uniqueBody8()}（测试）`, type: 'expert', uscc: makeUscc('12', '110000', uniqueBody8()),
      region_code: '110000', nature: 'public_institution' } }), 201);
    for (const k of ['a', 'b']) {
      const u = ok(await as(S.miit, 'POST', '/api/v1/users', { body: { org_id: org.id, username: `panel-${k}-${uniqueBody8().toLowerCase()}`, display_name: `独立专家${k}`, role: 'member', password: 'Panel-pass-2024' } }), 201);
      S[`panel-${k}`] = await login(u.username, 'Panel-pass-2024');
      ID[`r3${k}`] = ok(await as(S.nisc, 'POST', `/api/v1/schemes/${ID.s3}/reviewers`, { body: { user_id: u.id } }), 201).id;
    }
    // each expert sees only their own reviews
    const mine = ok(await as(S.expert2, 'GET', '/api/v1/reviews?limit=200')).items.map((v) => v.id);
    assert.ok(mine.includes(ID.r2) && !mine.includes(ID.r1));
    assertError(await as(S.expert2, 'GET', `/api/v1/reviews/${ID.r1}`), 404, 'not_found');
  });

  test('experts score every criterion; totals are weighted and averaged', async () => {
    const sheet = ok(await as(S.expert, 'GET', `/api/v1/reviews/${ID.r1}`));
    assert.deepEqual(sheet.criteria.criteria.map((c) => c.code), ['background', 'service', 'technology', 'team', 'cases', 'promotion']);
    const put = (who, id, scores) => as(S[who], 'PUT', `/api/v1/reviews/${id}`, { body: { scores, comment: '方案完整，案例真实。' } });
    assertError(await put('expert', ID.r1, { background: 9 }), 422, 'missing_field', 'scores.service');
    assertError(await put('expert', ID.r1, { background: 11, service: 9, technology: 8, team: 8, cases: 9, promotion: 7 }), 422, 'score_range', 'scores.background');
    assertError(await put('expert', ID.r1, { bogus: 1 }), 422, 'criterion_unknown', 'scores.bogus');
    assertError(await put('expert2', ID.r1, { background: 9 }), 404, 'not_found');
    assertError(await as(S.miit, 'PUT', `/api/v1/reviews/${ID.r1}`, { body: { scores: {} } }), 403, 'forbidden');
    // (9×10 + 9×25 + 8×20 + 8×10 + 9×20 + 7×15) / 10 = 9 + 22.5 + 16 + 8 + 18 + 10.5 = 84.00
    const a = ok(await put('expert', ID.r1, { background: 9, service: 9, technology: 8, team: 8, cases: 9, promotion: 7 }));
    assert.equal(a.total_x100, 8400);
    assertError(await put('expert', ID.r1, { background: 1, service: 1, technology: 1, team: 1, cases: 1, promotion: 1 }), 409, 'review_submitted');
    // 8, 7, 7, 6, 8, 6 → 8.0 + 17.5 + 14.0 + 6.0 + 16.0 + 9.0 = 70.50
    assert.equal(ok(await put('expert2', ID.r2, { background: 8, service: 7, technology: 7, team: 6, cases: 8, promotion: 6 })).total_x100, 7050);
    ok(await put('panel-a', ID.r3a, { background: 8, service: 8, technology: 8, team: 8, cases: 8, promotion: 8 }));
    const s1 = ok(await as(S.miit, 'GET', `/api/v1/schemes/${ID.s1}`));
    assert.deepEqual(s1.review, { submitted: 2, mean_total_x100: 7725 });
    // the applicant sees no scores
    assert.equal(ok(await as(S.insurer, 'GET', `/api/v1/schemes/${ID.s1}`)).review, undefined);
  });

  test('the ministry publishes the catalogue with numbered entries, readable by every logged-in user', async () => {
    const before = ok(await as(S.insurer, 'GET', '/api/v1/catalogue?round_id=2024')).items.length;
    // scheme 3 has one review of the two the criteria ask for
    const short = await as(S.miit, 'POST', '/api/v1/catalogue', { body: { round_id: '2024', scheme_ids: [ID.s1, ID.s3] } });
    assertError(short, 422, 'reviews_missing', 'scheme_ids[1]');
    assert.equal(ok(await as(S.insurer, 'GET', '/api/v1/catalogue?round_id=2024')).items.length, before, 'nothing half-published');
    assertError(await as(S.nisc, 'POST', '/api/v1/catalogue', { body: { round_id: '2024', scheme_ids: [ID.s1] } }), 403, 'forbidden');
    ok(await as(S['panel-b'], 'PUT', `/api/v1/reviews/${ID.r3b}`, { body: { scores: { background: 7, service: 7, technology: 7, team: 7, cases: 7, promotion: 7 } } }));
    const cat = ok(await as(S.miit, 'POST', '/api/v1/catalogue', { body: { round_id: '2024', scheme_ids: [ID.s1, ID.s3] } }), 201).items;
    const mine = cat.filter((e) => e.scheme_id === ID.s1 || e.scheme_id === ID.s3);
    assert.deepEqual(mine.map((e) => [e.scheme_id, e.number, e.code]),
      [[ID.s1, before + 1, `2024-${String(before + 1).padStart(3, '0')}`], [ID.s3, before + 2, `2024-${String(before + 2).padStart(3, '0')}`]]);
    assert.deepEqual(mine[1].joint_units, [UNITS.insurer.name, UNITS.institute.name]);
    assertError(await as(S.miit, 'POST', '/api/v1/catalogue', { body: { round_id: '2024', scheme_ids: [ID.s1] } }), 409, 'already_catalogued', 'scheme_ids[0]');
    for (const u of ['ent-hz', 'expert2', 'gd-ca']) {
      const seen = ok(await as(S[u], 'GET', '/api/v1/catalogue?round_id=2024')).items;
      assert.ok(seen.some((e) => e.scheme_id === ID.s3), u);
    }
    assertError(await as(null, 'GET', '/api/v1/catalogue'), 401, 'unauthenticated');
  });

  // ---- pilot plans ---------------------------------------------------------

  async function confirmAll(planId, who, time) {
    for (const [u, rep] of who) ok(await asAt(S[u], time, 'POST', `/api/v1/plans/${planId}/confirm`, { legal_representative: rep }));
  }

  test('Annex 3 needs its lead to hold a published catalogue scheme', async () => {
    // ent-gz leads no scheme; the insurer\'s uncatalogued scheme does not count
    const noCat = await asAt(S.secfirm, T('2024-02-05 09:00'), 'POST', '/api/v1/plans', planForm(3, { catalogue: ID.s1, joint: [UNITS.insurer] }));
    assertError(noCat, 422, 'catalogue_required', 'catalogue_scheme_id');
    const p = ok(await asAt(S.secfirm, T('2024-02-05 09:00'), 'POST', '/api/v1/plans', planForm(3, { catalogue: ID.s3, joint: [UNITS.insurer], name: '羊城示范网络安全保险服务试点工作方案' })), 201);
    ID.a3 = p.id;
    assert.equal(p.catalogue_code.startsWith('2024-'), true);
    assert.deepEqual(p.route.map((s) => [s.level, s.region_code, s.org_id]),
      [['city', '440100', ID['gz-city']], ['province', '440000', ID['gd-prov']], ['ministry', '', ID.miit]]);
    await confirmAll(p.id, [['secfirm', '赵总'], ['insurer', '王总']], T('2024-02-05 10:00'));
    const sent = ok(await asAt(S.secfirm, T('2024-02-06 09:00'), 'POST', `/api/v1/plans/${p.id}/submit`));
    assert.equal(sent.holder_org_id, ID['gz-city']);
    assert.deepEqual(sent.hops.map((h) => [h.kind, h.to_org_id, h.received_at, h.deadline_key]), [['submit', ID['gz-city'], '2024-02-06T01:00:00Z', 'plan_at_city']]);
  });

  test('Annex 4 plans of Guangzhou enterprises go to the city; the telecom operator\'s is copied to the 通信管理局', async () => {
    const bad = await asAt(S['ent-gz'], T('2024-02-07 09:00'), 'POST', '/api/v1/plans', { ...planForm(4), sections: { approach: zh(10) } });
    assertError(bad, 400, 'unknown_field', 'sections.approach');
    let p = ok(await asAt(S['ent-gz'], T('2024-02-07 09:00'), 'POST', '/api/v1/plans', planForm(4, { joint: [UNITS.secfirm], name: '广州示范智能制造网络安全保险试点工作方案' })), 201);
    ID.a4gz = p.id;
    assert.equal(p.zishu.sections, 3000);
    await confirmAll(p.id, [['ent-gz', '孙董事长'], ['secfirm', '赵总']], T('2024-02-07 10:00'));
    p = ok(await asAt(S['ent-gz'], T('2024-02-08 09:00'), 'POST', `/api/v1/plans/${p.id}/submit`));
    assert.equal(p.telecom, false);
    assert.deepEqual(p.hops.map((h) => h.kind), ['submit']);

    // an enterprise's plan needs a service institution among its joint units
    const alone = ok(await asAt(S['ent-telecom'], T('2024-02-08 09:00'), 'POST', '/api/v1/plans', planForm(4)), 201);
    ok(await asAt(S['ent-telecom'], T('2024-02-08 09:10'), 'POST', `/api/v1/plans/${alone.id}/confirm`, { legal_representative: '周总' }));
    assertError(await asAt(S['ent-telecom'], T('2024-02-08 09:20'), 'POST', `/api/v1/plans/${alone.id}/submit`), 422, 'service_institution_required', 'joint_units');

    let t = ok(await asAt(S['ent-telecom'], T('2024-02-08 10:00'), 'PATCH', `/api/v1/plans/${alone.id}`, { joint_units: [UNITS.secfirm], name: '广东示范电信运营网络安全保险试点工作方案' }));
    ID.a4tel = t.id;
    assert.deepEqual(t.route.map((s) => s.level), ['city', 'province', 'ministry', 'comm_admin']);
    await confirmAll(t.id, [['ent-telecom', '周总'], ['secfirm', '赵总']], T('2024-02-08 10:10'));
    t = ok(await asAt(S['ent-telecom'], T('2024-02-09 09:00'), 'POST', `/api/v1/plans/${t.id}/submit`));
    assert.equal(t.telecom, true);
    assert.deepEqual(t.hops.map((h) => [h.kind, h.to_org_id]), [['submit', ID['gz-city']], ['copy', ID['gd-ca']]]);
    // the 通信管理局 sees the telecom operator's plan, not the other enterprise's
    assert.equal(ok(await as(S['gd-ca'], 'GET', `/api/v1/plans/${ID.a4tel}`)).id, ID.a4tel);
    assertError(await as(S['gd-ca'], 'GET', `/api/v1/plans/${ID.a4gz}`), 404, 'not_found');
    // Hangzhou sees nothing of Guangzhou's
    assertError(await as(S['hz-city'], 'GET', `/api/v1/plans/${ID.a4gz}`), 404, 'not_found');
  });

  test('a 基础电信企业\'s copy to the 通信管理局 after Guangdong\'s 2024-02-26 is received and marked late', async () => {
    let p = ok(await asAt(S['ent-telecom'], T('2024-02-20 09:00'), 'POST', '/api/v1/plans', planForm(4, { joint: [UNITS.secfirm], name: '广东示范电信运营补充试点工作方案' })), 201);
    await confirmAll(p.id, [['ent-telecom', '周总'], ['secfirm', '赵总']], T('2024-02-20 10:00'));
    p = ok(await asAt(S['ent-telecom'], T('2024-02-27 09:00'), 'POST', `/api/v1/plans/${p.id}/submit`));
    ID.a4telLate = p.id;
    assert.deepEqual(p.hops.map((h) => [h.kind, h.to_org_id, h.deadline_key, h.deadline_at, h.late]), [
      ['submit', ID['gz-city'], 'plan_at_city', null, false],
      ['copy', ID['gd-ca'], 'copy_at_comm_admin', '2024-02-26T15:59:59Z', true]]);
    assert.equal(p.hops[1].text_zh, '广东示范电信运营有限公司（演示）将本方案抄送广东省通信管理局（演示）（逾期）');
    // the 通信管理局 reads it, flagged; the earlier copy was on time
    assert.equal(ok(await as(S['gd-ca'], 'GET', `/api/v1/plans/${p.id}`)).hops[1].late, true);
    assert.equal(ok(await as(S['gd-ca'], 'GET', `/api/v1/plans/${ID.a4tel}`)).hops[1].late, false);
  });

  test('the city returns a plan for changes (退回修改); the enterprise fixes it and sends it again', async () => {
    assertError(await as(S['gz-city-viewer'], 'POST', `/api/v1/plans/${ID.a4gz}/return`, { body: { comment: '请补充' } }), 403, 'forbidden');
    assertError(await as(S['gz-city'], 'POST', `/api/v1/plans/${ID.a4gz}/return`, { body: { comment: '  ' } }), 422, 'missing_field', 'comment');
    // the city holding it may return it (its viewer only reads); the enterprise waits
    assert.deepEqual(ok(await as(S['gz-city'], 'GET', `/api/v1/plans/${ID.a4gz}`)).actions, ['return']);
    assert.deepEqual(ok(await as(S['gz-city-viewer'], 'GET', `/api/v1/plans/${ID.a4gz}`)).actions, []);
    assert.deepEqual(ok(await as(S['ent-gz'], 'GET', `/api/v1/plans/${ID.a4gz}`)).actions, []);
    let p = ok(await asAt(S['gz-city'], T('2024-02-10 09:00'), 'POST', `/api/v1/plans/${ID.a4gz}/return`, { comment: '请补充网络安全年度投入情况' }));
    assert.equal(p.status, 'returned');
    assert.deepEqual(ok(await as(S['ent-gz'], 'GET', `/api/v1/plans/${ID.a4gz}`)).actions, ['edit', 'submit', 'confirm']);
    assert.deepEqual(ok(await as(S.secfirm, 'GET', `/api/v1/plans/${ID.a4gz}`)).actions, ['confirm']);
    assert.equal(p.return_comment, '请补充网络安全年度投入情况');
    const sections = { it_status: zh(1000), security_status: zh(1100), insurance_needs: zh(1000) };
    p = ok(await asAt(S['ent-gz'], T('2024-02-11 09:00'), 'PATCH', `/api/v1/plans/${ID.a4gz}`, { sections }));
    assert.equal(p.zishu.sections, 3100);
    await confirmAll(ID.a4gz, [['ent-gz', '孙董事长'], ['secfirm', '赵总']], T('2024-02-11 10:00'));
    p = ok(await asAt(S['ent-gz'], T('2024-02-12 09:00'), 'POST', `/api/v1/plans/${ID.a4gz}/submit`));
    assert.deepEqual(p.hops.map((h) => h.kind), ['submit', 'return', 'submit']);
  });

  test('Guangzhou packages its Annex 2 with the plans it received', async () => {
    let a2 = ok(await asAt(S['gz-city'], T('2024-02-20 09:00'), 'POST', '/api/v1/plans', planForm(2, { name: '广州市网络安全保险服务试点工作方案' })), 201);
    ID.a2gz = a2.id;
    a2 = ok(await asAt(S['gz-city'], T('2024-02-20 10:00'), 'POST', `/api/v1/plans/${a2.id}/submit`));
    assert.equal(a2.status, 'submitted');
    assert.equal(a2.holder_org_id, ID['gz-city']);
    // a plan the city does not hold cannot go in its package
    const foreign = await asAt(S['gz-city'], T('2024-02-20 11:00'), 'POST', '/api/v1/packages', { round_id: '2024', plan_ids: [ID.a2gz, ID.s1 + 100000] });
    assertError(foreign, 422, 'plan_not_ready', 'plan_ids[1]');
    assertError(await as(S.secfirm, 'POST', '/api/v1/packages', { body: { round_id: '2024', plan_ids: [ID.a3] } }), 403, 'forbidden');
    const k = ok(await asAt(S['gz-city'], T('2024-02-20 11:00'), 'POST', '/api/v1/packages', { round_id: '2024', plan_ids: [ID.a2gz, ID.a3, ID.a4gz, ID.a4tel] }), 201);
    ID.kgz = k.id;
    assert.equal(k.status, 'open');
    assert.deepEqual(k.plans.map((p) => [p.id, p.annex]), [[ID.a3, 3], [ID.a4gz, 4], [ID.a4tel, 4], [ID.a2gz, 2]].sort((x, y) => x[0] - y[0]));
    assert.deepEqual(k.next, { level: 'province', org_id: ID['gd-prov'], org_name: '广东省工业和信息化厅（演示）', deadline: 'package_at_province', deadline_at: '2024-02-26T15:59:59Z' });
  });

  test('the city\'s Annex 2 表2 is offered from the Annex 4 plans it received', async () => {
    const rows = ok(await as(S['gz-city'], 'GET', '/api/v1/plan-targets?round_id=2024')).items;
    const gz = rows.find((t) => t.plan_id === ID.a4gz);
    assert.deepEqual(gz, { plan_id: ID.a4gz, name: '广州示范智能制造有限公司（演示）', industry: 'industrial_internet', contact: '网络安全保险事业部', phone_email: '020-81302255 pilot@insurer.example.cn' });
    assert.ok(rows.some((t) => t.plan_id === ID.a4tel));
    assert.ok(!rows.some((t) => t.plan_id === ID.a3), 'an Annex 3 plan is no enterprise of 表2');
    assert.deepEqual(ok(await as(S['hz-city'], 'GET', '/api/v1/plan-targets?round_id=2024')).items.filter((t) => t.plan_id === ID.a4gz), []);
    assertError(await as(S['ent-gz'], 'GET', '/api/v1/plan-targets?round_id=2024'), 403, 'forbidden');
    assertError(await as(S['gz-city'], 'GET', '/api/v1/plan-targets'), 400, 'missing_field', 'round_id');
  });

  test('the city\'s home page: the package to forward and the next deadline with the days left', async () => {
    const t = ok(await asAt(S['gz-city'], T('2024-02-20 12:00'), 'GET', '/api/v1/todo'));
    const pk = t.waiting.find((w) => w.kind === 'package_forward' && w.href === `/inbox.html?package=${ID.kgz}`);
    assert.equal(pk.text_zh, '申报材料包（广州市工业和信息化局（演示））待报送');
    assert.deepEqual(t.deadlines[0], { round_id: '2024', key: 'package_at_province', name_zh: '地市申报材料报送省工业和信息化厅', name_en: 'city packages at the province', at: '2024-02-26T15:59:59Z', days_left: 6, remind: true });
    assert.ok(!t.deadlines.some((d) => d.key === 'scheme_at_ministry'), 'a deadline already past is not listed');
    // an enterprise's unit admin sees what it must confirm; an expert its reviews
    const e = ok(await asAt(S['ent-hz'], T('2024-02-20 12:00'), 'GET', '/api/v1/todo'));
    assert.ok(Array.isArray(e.waiting) && Array.isArray(e.activity));
    assertError(await as(null, 'GET', '/api/v1/todo'), 401, 'unauthenticated');
  });

  test('Guangdong\'s 2024-02-26 is judged on receipt at the province; its extension lets the package in', async () => {
    const late = await asAt(S['gz-city'], T('2024-02-27 09:30'), 'POST', `/api/v1/packages/${ID.kgz}/forward`);
    assertError(late, 422, 'deadline_passed', 'received_at');
    assert.match(late.json.error.message, /^逾期不予受理：地市申报材料报送省工业和信息化厅的截止时间为 2024-02-26 23:59:59（北京时间，以送达时间为准），送达广东省工业和信息化厅（演示）的时间为 2024-02-27 09:30:00 \//);
    // refused: nothing moved
    const still = ok(await as(S['gz-city'], 'GET', `/api/v1/packages/${ID.kgz}`));
    assert.equal(still.holder_org_id, ID['gz-city']);
    assert.deepEqual(still.hops, []);
    // Zhejiang's province receives no package from Guangzhou: it cannot extend
    assertError(await asAt(S['zj-prov'], T('2024-02-27 10:00'), 'POST', '/api/v1/extensions', { round_id: '2024', deadline: 'package_at_province', org_id: ID['gz-city'], until: '2024-02-29', reason: '材料补充' }), 403, 'forbidden');
    const e = ok(await asAt(S['gd-prov'], T('2024-02-27 10:00'), 'POST', '/api/v1/extensions', { round_id: '2024', deadline: 'package_at_province', org_id: ID['gz-city'], until: '2024-02-29', reason: '广州市补充电信企业材料' }), 201);
    ID.ext = e.id;
    const k = ok(await asAt(S['gz-city'], T('2024-02-27 11:00'), 'POST', `/api/v1/packages/${ID.kgz}/forward`));
    assert.equal(k.status, 'sent');
    assert.equal(k.holder_org_id, ID['gd-prov']);
    assert.deepEqual(k.hops.map((h) => [h.kind, h.to_org_id, h.received_at, h.deadline_at, h.extension_id]),
      [['forward', ID['gd-prov'], '2024-02-27T03:00:00Z', '2024-02-26T15:59:59Z', e.id]]);
    // each plan went with it
    const tel = ok(await as(S['gd-prov'], 'GET', `/api/v1/plans/${ID.a4tel}`));
    assert.equal(tel.holder_org_id, ID['gd-prov']);
    assert.deepEqual(tel.hops.map((h) => h.kind), ['submit', 'copy', 'forward']);
  });

  test('the province sees the package in its inbox, returns it once, and forwards it to the ministry', async () => {
    const inbox = ok(await as(S['gd-prov'], 'GET', '/api/v1/packages?box=inbox')).items;
    assert.ok(inbox.some((k) => k.id === ID.kgz && k.origin_org_id === ID['gz-city'] && k.plan_count === 4));
    assert.ok(!ok(await as(S['gz-city'], 'GET', '/api/v1/packages?box=inbox')).items.some((k) => k.id === ID.kgz));
    assertError(await asAt(S['gz-city'], T('2024-02-28 09:00'), 'POST', `/api/v1/packages/${ID.kgz}/forward`), 403, 'forbidden');
    assertError(await as(S['hz-city'], 'GET', `/api/v1/packages/${ID.kgz}`), 404, 'not_found');
    let k = ok(await asAt(S['gd-prov'], T('2024-02-28 09:00'), 'POST', `/api/v1/packages/${ID.kgz}/return`, { comment: '请加盖骑缝章后重新报送' }));
    assert.equal(k.status, 'returned');
    assert.equal(k.holder_org_id, ID['gz-city']);
    assert.equal(k.comment, '请加盖骑缝章后重新报送');
    k = ok(await asAt(S['gz-city'], T('2024-02-28 15:00'), 'POST', `/api/v1/packages/${ID.kgz}/forward`));
    assert.equal(k.holder_org_id, ID['gd-prov']);
    k = ok(await asAt(S['gd-prov'], T('2024-03-10 09:00'), 'POST', `/api/v1/packages/${ID.kgz}/forward`));
    assert.equal(k.holder_org_id, ID.miit);
    assert.deepEqual(k.hops.map((h) => [h.kind, h.to_org_id, h.deadline_key]), [
      ['forward', ID['gd-prov'], 'package_at_province'], ['return', ID['gz-city'], null],
      ['forward', ID['gd-prov'], 'package_at_province'], ['forward', ID.miit, 'plan_at_ministry']]);
    assert.equal(k.next, null);
    assertError(await asAt(S.miit, T('2024-03-11 09:00'), 'POST', `/api/v1/packages/${ID.kgz}/forward`), 409, 'route_end');
  });

  test('Shenzhen, a 计划单列市, sends its package straight to the ministry', async () => {
    let p = ok(await asAt(S['ent-sz'], T('2024-02-15 09:00'), 'POST', '/api/v1/plans', planForm(4, { joint: [UNITS.insurer], name: '深圳示范云计算网络安全保险试点工作方案' })), 201);
    ID.a4sz = p.id;
    assert.deepEqual(p.route.map((s) => [s.level, s.org_id]), [['city', ID['sz-city']], ['ministry', ID.miit]]);
    await confirmAll(p.id, [['ent-sz', '吴总'], ['insurer', '王总']], T('2024-02-15 10:00'));
    ok(await asAt(S['ent-sz'], T('2024-02-16 09:00'), 'POST', `/api/v1/plans/${p.id}/submit`));
    // the insurer leads a catalogued scheme: its own Annex 3, without joint units
    p = ok(await asAt(S.insurer, T('2024-02-16 09:00'), 'POST', '/api/v1/plans', planForm(3, { catalogue: ID.s1, name: '南方示范财产保险网络安全保险服务试点工作方案' })), 201);
    ID.a3ins = p.id;
    await confirmAll(p.id, [['insurer', '王总']], T('2024-02-16 09:30'));
    ok(await asAt(S['insurer-uw'], T('2024-02-16 10:00'), 'POST', `/api/v1/plans/${p.id}/submit`));

    // a city's package carries its own Annex 2
    const noA2 = ok(await asAt(S['sz-city'], T('2024-03-01 10:00'), 'POST', '/api/v1/packages', { round_id: '2024', plan_ids: [ID.a3ins] }), 201);
    assertError(await asAt(S['sz-city'], T('2024-03-01 10:10'), 'POST', `/api/v1/packages/${noA2.id}/forward`), 422, 'city_plan_required', 'plan_ids');
    // returning the plan to its lead takes it out of the package
    ok(await asAt(S['sz-city'], T('2024-03-01 10:20'), 'POST', `/api/v1/plans/${ID.a3ins}/return`, { comment: '请与市局方案一并报送' }));
    assertError(await asAt(S['sz-city'], T('2024-03-01 10:30'), 'POST', `/api/v1/packages/${noA2.id}/forward`), 422, 'package_empty', 'plan_ids');
    await confirmAll(ID.a3ins, [['insurer', '王总']], T('2024-03-02 09:00'));
    ok(await asAt(S.insurer, T('2024-03-02 10:00'), 'POST', `/api/v1/plans/${ID.a3ins}/submit`));

    const a2 = ok(await asAt(S['sz-city'], T('2024-03-05 09:00'), 'POST', '/api/v1/plans', planForm(2, { name: '深圳市网络安全保险服务试点工作方案' })), 201);
    ok(await asAt(S['sz-city'], T('2024-03-05 09:10'), 'POST', `/api/v1/plans/${a2.id}/submit`));
    const k = ok(await asAt(S['sz-city'], T('2024-03-05 10:00'), 'POST', '/api/v1/packages', { round_id: '2024', plan_ids: [a2.id, ID.a3ins, ID.a4sz] }), 201);
    ID.ksz = k.id;
    assert.deepEqual(k.next, { level: 'ministry', org_id: ID.miit, org_name: '工业和信息化部（演示）', deadline: 'plan_at_ministry', deadline_at: '2024-03-15T15:59:59Z' });
    // the ministry's 2024-03-15 applies: a second late is refused, the last second is on time
    assertError(await asAt(S['sz-city'], T('2024-03-16 00:00:00'), 'POST', `/api/v1/packages/${k.id}/forward`), 422, 'deadline_passed', 'received_at');
    const sent = ok(await asAt(S['sz-city'], T('2024-03-15 23:59:59'), 'POST', `/api/v1/packages/${k.id}/forward`));
    assert.deepEqual(sent.hops.map((h) => [h.from_org_id, h.to_org_id, h.received_at, h.deadline_key]),
      [[ID['sz-city'], ID.miit, '2024-03-15T15:59:59Z', 'plan_at_ministry']]);
    // the province never saw Shenzhen's package
    assertError(await as(S['gd-prov'], 'GET', `/api/v1/packages/${k.id}`), 404, 'not_found');
    assert.deepEqual(ok(await as(S['ent-sz'], 'GET', `/api/v1/plans/${ID.a4sz}`)).hops.map((h) => h.to_org_id), [ID['sz-city'], ID.miit]);
  });

  // ---- selection and the life of a pilot -----------------------------------

  test('the ministry selects pilots from the plans it received, numbered, with a start date', async () => {
    const before = ok(await as(S.miit, 'GET', '/api/v1/pilots?round_id=2024&limit=200')).items.length;
    assertError(await as(S['gd-prov'], 'POST', '/api/v1/pilots', { body: { plan_id: ID.a4gz, start_date: '2024-04-01' } }), 403, 'forbidden');
    assertError(await as(S.miit, 'POST', '/api/v1/pilots', { body: { plan_id: ID.a4gz, start_date: '2024-04-31' } }), 422, 'date_invalid', 'start_date');
    assert.deepEqual(ok(await as(S.miit, 'GET', `/api/v1/plans/${ID.a4gz}`)).actions, ['return', 'select']);
    assert.deepEqual(ok(await as(S['gd-prov'], 'GET', `/api/v1/plans/${ID.a4gz}`)).actions, []);
    const picks = [['a4gz', ID.a4gz], ['a3', ID.a3], ['a4tel', ID.a4tel], ['a4sz', ID.a4sz]];
    for (const [k, planId] of picks) {
      const t = ok(await asAt(S.miit, T('2024-03-25 10:00'), 'POST', '/api/v1/pilots', { plan_id: planId, start_date: '2024-04-01' }), 201);
      ID[`p_${k}`] = t.id;
    }
    const list = ok(await as(S.miit, 'GET', '/api/v1/pilots?round_id=2024&limit=200')).items.filter((t) => picks.some(([, id]) => id === t.plan_id));
    assert.deepEqual(list.map((t) => [t.plan_id, t.code, t.status, t.start_date]),
      picks.map(([, id], i) => [id, `P2024-${String(before + i + 1).padStart(3, '0')}`, 'active', '2024-04-01']));
    assertError(await as(S.miit, 'POST', '/api/v1/pilots', { body: { plan_id: ID.a4gz, start_date: '2024-04-01' } }), 409, 'already_selected', 'plan_id');
    // what each may do with a pilot: its province and the ministry exit it, its lead reports
    const acts = async (who) => ok(await as(S[who], 'GET', `/api/v1/pilots/${ID.p_a4gz}`)).actions;
    assert.deepEqual([await acts('miit'), await acts('gd-prov'), await acts('ent-gz'), await acts('gz-city')], [['exit'], ['exit'], ['report'], []]);
    // Guangzhou sees its pilots, Hangzhou none of them
    const gz = ok(await as(S['gz-city'], 'GET', '/api/v1/pilots?round_id=2024')).items.map((t) => t.id);
    assert.ok(gz.includes(ID.p_a4gz) && gz.includes(ID.p_a4tel) && !gz.includes(ID.p_a4sz));
    assertError(await as(S['hz-city'], 'GET', `/api/v1/pilots/${ID.p_a4gz}`), 404, 'not_found');
  });

  test('pilots report progress per period of the round file; late reports are marked', async () => {
    const figures = { insured_enterprises: 12, policies: 15, premium_fen: 180000000, sum_insured_fen: 9000000000, assessments: 14, alerts: 37, incidents: 2, claims_paid_fen: 4500000 };
    const post = (who, time, body) => asAt(S[who], time, 'POST', '/api/v1/reports', body);
    assertError(await post('ent-gz', T('2024-07-05 09:00'), { pilot_id: ID.p_a4gz, period: '2024Q1', ...figures, text: '进展' }), 422, 'period_unknown', 'period');
    assertError(await post('ent-gz', T('2024-07-05 09:00'), { pilot_id: ID.p_a4gz, period: '2024Q2', ...figures, policies: -1, text: '进展' }), 422, 'figure_invalid', 'policies');
    assertError(await post('ent-gz', T('2024-09-01 09:00'), { pilot_id: ID.p_a4gz, period: '2024Q4', ...figures, text: '进展' }), 422, 'period_not_started', 'period');
    assertError(await post('secfirm', T('2024-07-05 09:00'), { pilot_id: ID.p_a4gz, period: '2024Q2', ...figures, text: '进展' }), 403, 'forbidden');
    assertError(await post('ent-hz', T('2024-07-05 09:00'), { pilot_id: ID.p_a4gz, period: '2024Q2', ...figures, text: '进展' }), 404, 'not_found', 'pilot_id');
    const r = ok(await post('ent-gz', T('2024-07-05 09:00'), { pilot_id: ID.p_a4gz, period: '2024Q2', ...figures, text: '二季度完成12家企业承保和风险评估。' }), 201);
    assert.deepEqual([r.period, r.premium_fen, r.due_at, r.received_at, r.late], ['2024Q2', 180000000, '2024-07-10T15:59:59Z', '2024-07-05T01:00:00Z', false]);
    assertError(await post('ent-gz', T('2024-07-06 09:00'), { pilot_id: ID.p_a4gz, period: '2024Q2', ...figures, text: '重复' }), 409, 'report_exists', 'period');
    const late = ok(await post('ent-telecom', T('2024-07-12 09:00'), { pilot_id: ID.p_a4tel, period: '2024Q2', ...figures, text: '二季度进展。' }), 201);
    assert.equal(late.late, true);
    // the 通信管理局 reads the telecom operator's reports
    assert.deepEqual(ok(await as(S['gd-ca'], 'GET', `/api/v1/reports?pilot_id=${ID.p_a4tel}`)).items.map((x) => x.id), [late.id]);
  });

  test('a pilot exits (试点退出) by its province, with a reason; it reports no more', async () => {
    assertError(await as(S['zj-prov'], 'POST', `/api/v1/pilots/${ID.p_a3}/exit`, { body: { reason: '违规' } }), 404, 'not_found');
    assertError(await as(S['gz-city'], 'POST', `/api/v1/pilots/${ID.p_a3}/exit`, { body: { reason: '违规' } }), 403, 'forbidden');
    assertError(await as(S['gd-prov'], 'POST', `/api/v1/pilots/${ID.p_a3}/exit`, { body: { reason: ' ' } }), 422, 'missing_field', 'reason');
    const t = ok(await asAt(S['gd-prov'], T('2024-08-20 10:00'), 'POST', `/api/v1/pilots/${ID.p_a3}/exit`, { reason: '经营服务出现重大问题，取消试点资格' }));
    assert.deepEqual([t.status, t.exit_reason, t.exited_by, t.exited_at], ['exited', '经营服务出现重大问题，取消试点资格', '广东省工业和信息化厅（演示）', '2024-08-20T02:00:00Z']);
    assertError(await as(S['gd-prov'], 'POST', `/api/v1/pilots/${ID.p_a3}/exit`, { body: { reason: '再次' } }), 409, 'pilot_exited');
    assert.deepEqual(t.actions, []);
    const figures = { insured_enterprises: 1, policies: 1, premium_fen: 1, sum_insured_fen: 1, assessments: 0, alerts: 0, incidents: 0, claims_paid_fen: 0 };
    assertError(await asAt(S.secfirm, T('2024-10-01 09:00'), 'POST', '/api/v1/reports', { pilot_id: ID.p_a3, period: '2024Q3', ...figures, text: '进展' }), 409, 'pilot_exited', 'pilot_id');
  });

  test('authorities see what is overdue', async () => {
    const od = ok(await asAt(S['gd-prov'], T('2024-10-15 09:00'), 'GET', '/api/v1/overdue?round_id=2024')).items;
    const mine = od.filter((x) => [ID.p_a4gz, ID.p_a4tel, ID.p_a3, ID.p_a4sz].includes(x.pilot_id));
    assert.deepEqual(mine.map((x) => [x.kind, x.pilot_id, x.period, x.due_at]),
      [['report', ID.p_a4gz, '2024Q3', '2024-10-10T15:59:59Z'], ['report', ID.p_a4tel, '2024Q3', '2024-10-10T15:59:59Z']]);
    assertError(await as(S['ent-gz'], 'GET', '/api/v1/overdue?round_id=2024'), 403, 'forbidden');
    assertError(await as(S['gd-prov'], 'GET', '/api/v1/overdue'), 400, 'missing_field', 'round_id');
  });

  test('annual summaries by pilot, city and province; Guangdong\'s go via the cities to the province by 2024-11-01', async () => {
    const sec = { progress: '年度试点开展情况：完成承保十二家。', innovation: '产品创新情况：推出营业中断险。', services: '服务实施情况：开展风险评估十四次。' };
    const post = (who, time, body) => asAt(S[who], time, 'POST', '/api/v1/summaries', { round_id: '2024', ...sec, ...body });
    assertError(await post('ent-gz', T('2024-11-05 09:00'), { level: 'city' }), 403, 'forbidden');
    assertError(await post('ent-gz', T('2024-11-05 09:00'), { level: 'pilot', pilot_id: ID.p_a4gz, services: '' }), 422, 'missing_field', 'services');
    assertError(await post('ent-gz', T('2024-11-05 09:00'), { level: 'county' }), 422, 'level_unknown', 'level');
    // 由各地级以上市…报送至省: a Guangzhou pilot's summary goes to the city (no date of its own there)
    let p = ok(await post('ent-gz', T('2024-10-25 09:00'), { level: 'pilot', pilot_id: ID.p_a4gz }), 201);
    assert.deepEqual([p.to_org_id, p.holder_org_id, p.deadline, p.due_at, p.late], [ID['gz-city'], ID['gz-city'], 'pilot_summary_at_city', null, false]);
    assert.deepEqual(p.hops.map((h) => [h.kind, h.to_org_id]), [['submit', ID['gz-city']]]);
    // only its holder forwards it; the city's is judged at the province on 2024-11-01 (a day late: marked, kept)
    assertError(await asAt(S['ent-gz'], T('2024-11-02 10:00'), 'POST', `/api/v1/summaries/${p.id}/forward`), 403, 'forbidden');
    assertError(await asAt(S['hz-city'], T('2024-11-02 10:00'), 'POST', `/api/v1/summaries/${p.id}/forward`), 404, 'not_found');
    p = ok(await asAt(S['gz-city'], T('2024-11-02 10:00'), 'POST', `/api/v1/summaries/${p.id}/forward`));
    assert.deepEqual(p.hops.map((h) => [h.kind, h.to_org_id, h.deadline_key, h.late]), [
      ['submit', ID['gz-city'], 'pilot_summary_at_city', false], ['forward', ID['gd-prov'], 'city_summary_at_province', true]]);
    p = ok(await asAt(S['gd-prov'], T('2024-11-08 10:00'), 'POST', `/api/v1/summaries/${p.id}/forward`));
    assert.deepEqual([p.holder_org_id, p.hops[2].to_org_id, p.hops[2].deadline_key, p.hops[2].late], [ID.miit, ID.miit, 'summary_at_ministry', false]);
    assertError(await asAt(S.miit, T('2024-11-09 10:00'), 'POST', `/api/v1/summaries/${p.id}/forward`), 409, 'route_end');
    // Guangdong's cities are due at the province on 2024-11-01: a day later is late (kept, marked)
    const c = ok(await post('gz-city', T('2024-11-02 09:00'), { level: 'city' }), 201);
    assert.deepEqual([c.to_org_id, c.deadline, c.due_at, c.late], [ID['gd-prov'], 'city_summary_at_province', '2024-11-01T15:59:59Z', true]);
    // Shenzhen reports to the ministry directly
    const z = ok(await post('sz-city', T('2024-10-30 09:00'), { level: 'city' }), 201);
    assert.deepEqual([z.to_org_id, z.deadline, z.late], [ID.miit, 'summary_at_ministry', false]);
    const v = ok(await post('gd-prov', T('2024-11-08 09:00'), { level: 'province' }), 201);
    assert.deepEqual([v.to_org_id, v.late], [ID.miit, false]);
    assertError(await post('gd-prov', T('2024-11-08 10:00'), { level: 'province' }), 409, 'summary_exists', 'level');
    // the province reads its cities' summaries; Zhejiang's does not
    const seen = ok(await as(S['gd-prov'], 'GET', '/api/v1/summaries?round_id=2024')).items.map((x) => x.id);
    assert.ok(seen.includes(c.id) && seen.includes(v.id));
    assert.ok(!ok(await as(S['zj-prov'], 'GET', '/api/v1/summaries?round_id=2024')).items.some((x) => x.id === c.id));
    // after 2024-11-10 the ministry's overdue list names the pilots without a summary
    const od = ok(await asAt(S.miit, T('2024-11-12 09:00'), 'GET', '/api/v1/overdue?round_id=2024')).items;
    const sums = od.filter((x) => x.kind === 'pilot_summary' && [ID.p_a4gz, ID.p_a4tel, ID.p_a4sz, ID.p_a3].includes(x.pilot_id)).map((x) => x.pilot_id).sort();
    assert.deepEqual(sums, [ID.p_a4tel, ID.p_a4sz].sort());
    // a 基础电信企业's summary is copied to the 通信管理局, judged on Guangdong's 2024-11-01
    const tel = ok(await post('ent-telecom', T('2024-11-13 09:00'), { level: 'pilot', pilot_id: ID.p_a4tel }), 201);
    assert.deepEqual(tel.hops.map((h) => [h.kind, h.to_org_id, h.deadline_key, h.late]), [
      ['submit', ID['gz-city'], 'pilot_summary_at_city', false], ['copy', ID['gd-ca'], 'summary_copy_at_comm_admin', true]]);
    assert.ok(ok(await as(S['gd-ca'], 'GET', '/api/v1/summaries?round_id=2024')).items.some((x) => x.id === tel.id));
  });

  test('a pilot shows its status timeline, from draft to summary', async () => {
    const t = ok(await as(S['gz-city'], 'GET', `/api/v1/pilots/${ID.p_a4gz}`));
    assert.deepEqual(t.timeline.map((e) => e.kind),
      ['drafted', 'submit', 'return', 'submit', 'forward', 'return', 'forward', 'forward', 'selected', 'report', 'summary']);
    assert.deepEqual(t.timeline.map((e) => e.at).slice(0, 2), ['2024-02-07T01:00:00Z', '2024-02-08T01:00:00Z']);
    assert.equal(t.timeline[2].text_zh, '广州市工业和信息化局（演示）退回修改：请补充网络安全年度投入情况');
    assert.equal(t.timeline[8].text_en, `selected as pilot ${t.code}, starting 2024-04-01`);
    assert.deepEqual(t.reports.map((r) => r.period), ['2024Q2']);
  });

  // ---- notifications: who is told of each step, exactly ----------------------

  // The notifications of kind about one record that user sees.
  async function told(user, kind, type, id) {
    const items = ok(await as(S[user], 'GET', `/api/v1/notifications?kind=${kind}&limit=500`)).items;
    return items.filter((n) => n.object_type === type && n.object_id === String(id));
  }
  // Which demo users see them, and how many each (every login of the suite is asked).
  async function recipients(kind, type, id) {
    const out = {};
    for (const u of LOGINS) {
      const n = (await told(u, kind, type, id)).length;
      if (n) out[u] = n;
    }
    return out;
  }

  test('each step told its receivers in the app, and nobody else', async () => {
    // a unit must confirm: the joint unit's admin (the lead confirms its own); again when an edit voided it
    assert.deepEqual(await recipients('pilot.confirm', 'pilot_scheme', ID.s1), { secfirm: 1 });
    assert.deepEqual(await recipients('pilot.confirm', 'pilot_plan', ID.a4gz), { secfirm: 2 });
    const [confirm] = await told('secfirm', 'pilot.confirm', 'pilot_scheme', ID.s1);
    assert.deepEqual([confirm.role, confirm.link, confirm.created_at], ['admin', `/scheme.html?id=${ID.s1}`, '2024-01-15T01:00:00Z']);
    assert.equal(confirm.text_zh, '服务方案“工业互联网企业网络安全保险综合服务方案”列本单位为联合申报单位，待本单位管理员确认真实性承诺和申报主体责任声明');
    // a scheme arrived at the ministry; an expert's review (that expert only, not a colleague)
    assert.deepEqual(await recipients('pilot.received', 'pilot_scheme', ID.s1), { miit: 1 });
    assert.deepEqual(await recipients('pilot.review_assigned', 'pilot_review', ID.r1), { expert: 1 });
    assert.deepEqual(await recipients('pilot.review_assigned', 'pilot_review', ID.r2), { expert2: 1 });
    assert.equal((await told('expert', 'pilot.review_assigned', 'pilot_review', ID.r1))[0].link, `/review.html?id=${ID.r1}`);
    // listed in the catalogue: everyone of the lead
    assert.deepEqual(await recipients('pilot.catalogued', 'pilot_scheme', ID.s1), { insurer: 1, 'insurer-uw': 1 });
    // plans arrived at the city (every user there), a telecom operator's copy at the 通信管理局; the
    // plans inside a package are told of by the package, not one by one
    assert.deepEqual(await recipients('pilot.received', 'pilot_plan', ID.a4gz), { 'gz-city': 2, 'gz-city-viewer': 2 });
    assert.deepEqual(await recipients('pilot.received', 'pilot_plan', ID.a4tel), { 'gd-ca': 1, 'gz-city': 1, 'gz-city-viewer': 1 });
    const [late] = await told('gd-ca', 'pilot.received', 'pilot_plan', ID.a4telLate);
    assert.equal(late.text_zh, '广东示范电信运营有限公司（演示）将试点工作方案“广东示范电信运营补充试点工作方案”抄送广东省通信管理局（演示）（逾期）');
    // returned for changes: the author, with the comment
    assert.deepEqual(await recipients('pilot.returned', 'pilot_plan', ID.a4gz), { 'ent-gz': 1 });
    const [back] = await told('ent-gz', 'pilot.returned', 'pilot_plan', ID.a4gz);
    assert.equal(back.text_zh, '广州市工业和信息化局（演示）将试点工作方案“广州示范智能制造网络安全保险试点工作方案”退回广州示范智能制造有限公司（演示）修改：请补充网络安全年度投入情况');
    assert.equal(back.link, `/plan.html?id=${ID.a4gz}`);
    // the package: the province twice (sent, returned, sent again), the ministry once; the city its return
    assert.deepEqual(await recipients('pilot.received', 'pilot_package', ID.kgz), { miit: 1, 'gd-prov': 2 });
    assert.deepEqual(await recipients('pilot.returned', 'pilot_package', ID.kgz), { 'gz-city': 1, 'gz-city-viewer': 1 });
    assert.equal((await told('gd-prov', 'pilot.received', 'pilot_package', ID.kgz))[0].link, `/inbox.html?package=${ID.kgz}`);
    // an extension granted: the organisation it lets in
    assert.deepEqual(await recipients('pilot.extension', 'pilot_extension', ID.ext), { 'gz-city': 1, 'gz-city-viewer': 1 });
    // selected, exited: the pilot's lead
    assert.deepEqual(await recipients('pilot.selected', 'pilot', ID.p_a4gz), { 'ent-gz': 1 });
    assert.deepEqual(await recipients('pilot.exited', 'pilot', ID.p_a3), { secfirm: 1 });
    const [sel] = await told('ent-gz', 'pilot.selected', 'pilot', ID.p_a4gz);
    assert.match(sel.text_en, /^the pilot plan "广州示范智能制造网络安全保险试点工作方案" is selected as pilot P2024-\d{3}, starting 2024-04-01$/);
    // read and unread are each user's own
    ok(await as(S['gz-city'], 'POST', `/api/v1/notifications/${back.id}/read`), 404);
    const mine = (await told('gz-city-viewer', 'pilot.returned', 'pilot_package', ID.kgz))[0];
    ok(await as(S['gz-city-viewer'], 'POST', `/api/v1/notifications/${mine.id}/read`));
    assert.ok((await told('gz-city-viewer', 'pilot.returned', 'pilot_package', ID.kgz))[0].read_at);
    assert.equal((await told('gz-city', 'pilot.returned', 'pilot_package', ID.kgz))[0].read_at, null);
  });

  test('the audit chain still verifies after the whole round', async () => {
    const v = ok(await as(S.miit, 'GET', '/api/v1/audit/verify'));
    assert.equal(v.ok, true);
  });
});
