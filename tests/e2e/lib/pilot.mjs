// pilot.mjs — helpers the pilot programme's end-to-end tests share: realistic
// Chinese text cut to an exact 字数, the forms of Annex 1–4 filled in, and the
// X-Test-Now header that states a request's receipt time (honoured because
// run.sh starts the server with --test-clock).
import assert from 'node:assert/strict';
import { as } from './http.mjs';

// Real sentences about the pilot's work; every character is at or above
// U+3000, so the 字数 of a cut is its length in code points.
const SENTENCES = [
  '保险公司在核保环节对投保企业开展网络安全风险评估，依据评估结果确定承保条件和保险费率。',
  '承保后，服务机构持续开展风险监测，及时发现系统漏洞并督促企业限期整改，实现防灾减损。',
  '发生网络安全事件时，应急处置团队第一时间介入，完成溯源取证，协助保险公司定责定损。',
  '理赔环节依据保险条款和损失核定结果快速支付赔款，帮助企业尽快恢复正常生产经营。',
  '联合体各方按照职责分工协同配合，形成保前评估、保中监测、保后应急处置的闭环服务。',
  '方案面向工业互联网企业，重点保障营业中断损失、数据资产重置费用和应急处置费用。',
];

// zh(n): exactly n 字 of realistic text.
export function zh(n) {
  let s = '';
  for (let i = 0; [...s].length < n; i++) s += SENTENCES[i % SENTENCES.length];
  return [...s].slice(0, n).join('');
}

// Headers stating the receipt time, e.g. at('2024-01-20 10:00') (Beijing time).
export function at(time) {
  return { 'x-test-now': time };
}

// as() with a receipt time.
export function asAt(session, time, method, path, body) {
  return as(session, method, path, { body, headers: at(time) });
}

// 一、基本情况 (一) 基本信息 of the lead, as the 2024 round requires it (kind: one of
// the notice's nine kinds of service institution, data/pilot.json).
export function leadInfo(kind) {
  const info = {
    founded_on: '2016-05-09', registered_capital_fen: 5000000000, address: '深圳市福田区示范路1号',
    contact: '网络安全保险事业部', phone: '020-81302255', fax: '020-81302256', email: 'pilot@insurer.example.cn',
  };
  if (kind) info.kind = kind;
  return info;
}

// An Annex 1 scheme whose body (服务方案) counts exactly bodyZishu 字 with
// `cases` real cases of 310 字 each.
export function schemeForm({ round = '2024', name = '工业互联网企业网络安全保险综合服务方案', joint = [],
  bodyZishu = 5000, cases = 3, direction = 'enterprise', industry = 'industrial_internet',
  product, kind = 'insurer' } = {}) {
  const fixed = 1000 + 2000 + 500 + cases * 310;
  const rest = bodyZishu - fixed;
  assert.ok(rest >= 1, 'the body is too short for its fixed parts');
  const body = {
    background: zh(1000),
    service: zh(2000),
    team: zh(500),
    cases: Array.from({ length: cases }, (_, i) => ({ title: zh(10), text: zh(300) })),
    promotion: zh(rest),
  };
  const form = {
    round_id: round, name, location: '广东省', leader_name: '李明', leader_title: '总经理/高级工程师',
    direction, unit_intro: zh(380), overview: zh(400), joint_units: joint, body, lead_info: leadInfo(kind),
    materials: { unit: ['高新技术企业证书', '2023年度财务审计报告'], scheme: ['网络安全风险评估问卷', '网络安全保险条款及合同模板'] },
  };
  if (direction === 'enterprise') form.industry = industry;
  else form.product = product;
  return form;
}

// One 附：网络安全保险服务方案 of at least 5000 字 with its unit premium and sum insured.
export function attachedScheme(name = '智能制造企业网络安全保险服务方案') {
  return {
    name, institutions: zh(1500), process: zh(2000), security: zh(1500),
    unit_premium_fen: 1200000, sum_insured_fen: 500000000, premium_note: '单价保费一万二千元，保额五百万元',
  };
}

const TARGETS = [{ name: '广州示范智能制造有限公司', industry: 'industrial_internet', contact: '王工', phone_email: '13800000000 it@example.cn' }];
const SCHEME_TABLE = [{ name: '智能制造企业网络安全保险服务方案', kind: 'enterprise', industry: 'industrial_internet', contact: '李明', phone_email: '13900000000' }];

// An Annex 2 (authority), 3 (service institution) or 4 (enterprise) plan.
export function planForm(annex, { round = '2024', name, joint = [], catalogue, kind = 'security_firm' } = {}) {
  const f = { round_id: round, annex, name: name ?? `附件${annex}试点工作方案` };
  if (annex === 2) {
    Object.assign(f, {
      leader: { name: '张处长', title: '网络安全处处长' },
      contact: { name: '陈科长', department: '网络安全处', title: '科长', phone: '020-83135990', email: 'pilot@example.gov.cn' },
      sections: { approach: zh(1000), arrangement: zh(1000), organisation: zh(1000) },
      institutions: [{ name: '羊城示范网络安全技术有限公司', type: 'security_firm', contact: '赵经理 020-88888888', role: '牵头，负责风险评估与应急处置' }],
      targets: TARGETS, scheme_table: SCHEME_TABLE,
    });
  } else {
    Object.assign(f, { direction: 'enterprise', industry: 'industrial_internet', unit_intro: zh(300), joint_units: joint,
      lead_info: leadInfo(annex === 3 ? kind : undefined) });
    if (annex === 3) {
      Object.assign(f, { sections: { approach: zh(1000), arrangement: zh(1000), organisation: zh(1000) }, targets: TARGETS, scheme_table: SCHEME_TABLE });
      if (catalogue !== undefined) f.catalogue_scheme_id = catalogue;
    } else {
      f.sections = { it_status: zh(1000), security_status: zh(1000), insurance_needs: zh(1000) };
    }
  }
  f.schemes = [attachedScheme()];
  return f;
}

// Demo organisations as joint units (name, nature, USCC of data/demo/demo.json).
export const UNITS = {
  insurer: { name: '南方示范财产保险股份有限公司（演示）', nature: 'state_controlled', uscc: '91440300862QA4XF61' },
  secfirm: { name: '羊城示范网络安全技术有限公司（演示）', nature: 'private', uscc: '91440106895ANBKF5M' },
  institute: { name: '示范网络安全研究院（评审专家库，演示）', nature: 'public_institution', uscc: '12110000563425475N' },
};

// ok(r, status): the answer has this status, or the test shows the error.
export function ok(r, status = 200) {
  assert.equal(r.status, status, `${r.status} ${r.text.slice(0, 400)}`);
  return r.json;
}
