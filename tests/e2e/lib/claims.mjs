// claims.mjs — what the claims suites share (claims.test.mjs, claims.browser.mjs,
// matrix/claims.mjs): a fresh insured enterprise with its own admin, the
// insurer's claims product, an assessment, a bound policy at a fixed test
// clock, and the insurer's panel entry for secfirm. Every request of a
// claim's life carries X-Test-Now (run.sh serves with --test-clock), so the
// dates of docs/claims.md's worked example hold on any day.
import assert from 'node:assert/strict';
import { as, login, makeUscc, uniqueBody8 } from './http.mjs';
import { bestAnswers } from '../matrix/uw.mjs';

let n = 0;
export const uniq = () => `cl${Date.now() % 100000}x${++n}`;

// A request at a Beijing time ("2025-06-10 09:00").
export function at(session, when, method, path, opts = {}) {
  return as(session, method, path, { ...opts, headers: { ...(opts.headers || {}), 'x-test-now': when } });
}

export async function ok(r, status) {
  assert.equal(r.status, status, r.text);
  return r.json;
}

// A fresh enterprise (广州市天河区, manufacturing) and a logged-in admin of it.
export async function newEnterprise(miit, name = '理赔测试企业') {
  const org = await ok(await as(miit, 'POST', '/api/v1/organisations', {
    body: { name: `${name}${uniq()}`, type: 'enterprise', uscc: makeUscc('91', '440106', uniqueBody8()),
      region_code: '440106', nature: 'private', industry_section: 'C', industry_division: '39' },
  }), 201);
  const u = await ok(await as(miit, 'POST', '/api/v1/users', {
    body: { org_id: org.id, username: uniq(), display_name: '理赔管理员', role: 'admin', password: 'Test-pass-12345' },
  }), 201);
  return { org, username: u.username, session: await login(u.username, 'Test-pass-12345') };
}

// The insurer's claims product of docs/claims.md: limit ¥1,000,000 (or ¥2,000,000), retention
// ¥50,000, BI waiting 12 h; bi sublimit ¥800,000, data ¥150,000, ir ¥200,000 at a 90% share, breach.
export const CLAIMS_PRODUCT = (name) => ({
  name, class: 'enterprise', target_industries: ['industrial_internet', 'other'],
  description: '理赔示例产品（docs/claims.md）', bi_waiting_hours: 12,
  retention_options: [5000000], limit_options: [100000000, 200000000],
  coverages: [{ code: 'bi', sublimit: 80000000 }, { code: 'data', sublimit: 15000000 },
    { code: 'ir', sublimit: 20000000, share_bp: 9000 }, { code: 'breach' }],
});

export async function claimsProduct(insurer) {
  const p = await ok(await as(insurer, 'POST', '/api/v1/products', { body: CLAIMS_PRODUCT(`理赔示例产品${uniq()}`) }), 201);
  await ok(await as(insurer, 'POST', `/api/v1/products/${p.id}/filing`, { body: { filing_no: `理赔备案${uniq()}`, filing_date: '2024-03-01' } }), 200);
  return p.id;
}

// An insured's assessment at T0 (a known exploited vulnerability on an internal workstation, so
// the KEV exclusion has something to test) and a policy from 2025-03-01 bound at T0.
export const T0 = '2025-02-20 10:00';
export const KEV_FINDING = { asset: 'ws-finance-01.example.cn', port: 445, cve: 'CVE-2021-40444', cvss: 7.8, epss: 0.3,
  kev: true, internet_facing: false, first_seen: '2024-12-01' };

// (when and start: another binding time and start date, e.g. for pages that run at the real clock)
export async function policyFor(ent, product, { limit = 100000000, when = T0, start = '2025-03-01' } = {}) {
  const answers = await bestAnswers(ent);
  const a = await ok(await at(ent, when, 'POST', '/api/v1/assessments', { body: { answers } }), 201);
  await ok(await at(ent, when, 'POST', `/api/v1/assessments/${a.id}/findings`, { body: { findings: [KEV_FINDING] } }), 200);
  await ok(await at(ent, when, 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
  const q = await ok(await at(ent, when, 'POST', '/api/v1/quotes', {
    body: { product_id: product, assessment_id: a.id, revenue: 20000000000, aggregate_limit: limit, retention: 5000000, start_date: start },
  }), 201);
  assert.equal(q.status, 'quoted', JSON.stringify(q.breakdown?.rules));
  return ok(await at(ent, when, 'POST', `/api/v1/quotes/${q.id}/bind`), 201);
}

// secfirm on the insurer's panel for response and forensics at ¥1,200 an hour (once per database).
export const PANEL_RATE = 120000;
export async function panelEntry(insurer, secfirmOrg) {
  const list = await ok(await as(insurer, 'GET', '/api/v1/panel?limit=500'), 200);
  const have = list.items.find((p) => p.service_org_id === secfirmOrg);
  if (have) return have;
  return ok(await as(insurer, 'POST', '/api/v1/panel', {
    body: { service_org_id: secfirmOrg, services: ['response', 'forensics'], hourly_rate: PANEL_RATE, note: '框架协议' },
  }), 201);
}

// A first notice of a ransomware incident at when, by ent.
export const ransomware = (extra = {}) => ({
  incident_type: 'ransomware', occurred_at: '2025-06-09 23:40', discovered_at: '2025-06-10 02:30',
  description: '生产网 ERP 与 MES 服务器被勒索软件加密，业务中断', systems: ['ERP', 'MES', '文件服务器'],
  data_affected: '生产计划与订单数据', estimates: [{ coverage: 'bi', amount: 50000000 }, { coverage: 'data', amount: 20000000 },
    { coverage: 'ir', amount: 8000000 }], ...extra,
});

// Amounts as docs/claims.md writes them ("¥546,000.00") in fen.
export function fen(text) {
  const m = /^(-?)¥([\d,]+)\.(\d\d)$/.exec(text.trim());
  assert.ok(m, `not an amount: ${text}`);
  return (m[1] ? -1 : 1) * (Number(m[2].replace(/,/g, '')) * 100 + Number(m[3]));
}
