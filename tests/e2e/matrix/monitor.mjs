// monitor.mjs — role-matrix rows of in-force monitoring (docs/monitoring.md):
// the catalogue (anyone logged in), signals in (insurers and the national
// operators), an enterprise's monitoring and its tasks (the enterprise, the
// service organisation it engaged for monitoring — secfirm, as in
// data/demo/monitor.json, granted again by engageSecfirm —, its insurers
// and the operators; the table is asked first), the stack declared and
// tasks closed by the enterprise or its engaged service organisation.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { as } from '../lib/http.mjs';
import { OPERATORS, engageSecfirm } from '../lib/matrix.mjs';

export const ID = {};

const uuid = () => crypto.randomUUID();
const T = { spec_version: '2.1', created: '2026-01-02T03:04:05Z', modified: '2026-01-02T03:04:05Z' };
let n = 0;
const cveN = () => `CVE-2031-${String(100000 + Math.floor(Math.random() * 800000) + ++n)}`;

function pool(ids) {
  let i = 0;
  return () => ids[Math.min(i++, ids.length - 1)];
}

export async function setup(S) {
  ID.entGz = S['ent-gz'].me.organisation.id;
  // earlier e2e files end or replace the demo's engagement of secfirm: grant it again
  await engageSecfirm(S);
  ID.stack = (await as(S['ent-gz'], 'GET', `/api/v1/monitor/enterprises/${ID.entGz}`)).json.stack;
  // tasks of ent-gz's: signals on yonyou_nc, which only ent-gz declared
  const tasks = [];
  for (let i = 0; i < 18; i++) {
    const r = await as(S.miit, 'POST', '/api/v1/signals', {
      body: { signals: [{ source: 'matrix', source_id: uuid(), severity: 'low', title: '矩阵测试信号', vendors: ['yonyou_nc'] }] },
    });
    assert.equal(r.status, 200, r.text);
    const t = await as(S.miit, 'GET', `/api/v1/monitor/tasks?status=open&org_id=${ID.entGz}&limit=1`);
    assert.equal(t.json.items[0].signal_id, r.json.signals[0].id);
    tasks.push(t.json.items[0].id);
  }
  ID.task = tasks[0];
  ID.toClose = pool(tasks.slice(1));
}

const ENT_GZ = [OPERATORS, 'ent-gz', 'secfirm']; // ent-gz engaged secfirm for monitoring

export const ROWS = [
  { op: 'GET /api/v1/vendors', ok: 200, action: 'login' },
  { op: 'POST /api/v1/signals', ok: 200, action: 'signal.ingest',
    body: () => ({ signals: [{ source: 'matrix', source_id: uuid(), severity: 'medium', title: '矩阵信号', vendors: [] }] }) },
  { op: 'POST /api/v1/signals/stix', ok: 200, action: 'signal.ingest',
    body: () => ({ type: 'bundle', id: `bundle--${uuid()}`, objects: [{ type: 'vulnerability', id: `vulnerability--${uuid()}`, ...T, name: '矩阵漏洞' }] }) },
  { op: 'POST /api/v1/signals/kev', ok: 200, action: 'signal.ingest',
    body: () => ({ vulnerabilities: [{ cveID: cveN(), vendorProject: 'Matrix', product: 'None', vulnerabilityName: 'matrix', dateAdded: '2026-01-02' }] }) },
  { op: 'GET /api/v1/monitor/enterprises/{id}', path: () => `/api/v1/monitor/enterprises/${ID.entGz}`, ok: 200,
    action: 'monitor.read', sees: ENT_GZ, roleFirst: true },
  { op: 'PUT /api/v1/monitor/enterprises/{id}/stack', path: () => `/api/v1/monitor/enterprises/${ID.entGz}/stack`,
    body: () => ({ stack: ID.stack }), ok: 200, action: 'monitor.stack', sees: ENT_GZ, roleFirst: true },
  { op: 'GET /api/v1/monitor/enterprises/{id}/scores', path: () => `/api/v1/monitor/enterprises/${ID.entGz}/scores`, ok: 200,
    action: 'monitor.read', sees: ENT_GZ, roleFirst: true },
  // the accumulation question: an insurer's own book, the operators' all
  { op: 'GET /api/v1/monitor/exposure', path: () => '/api/v1/monitor/exposure?vendor=paloalto', ok: 200, action: 'sim.read' },
  { op: 'GET /api/v1/monitor/tasks', ok: 200, action: 'monitor.read' },
  // service records: a service organisation, for an enterprise that engaged it (secfirm, ent-gz)
  { op: 'POST /api/v1/monitor/services', body: () => ({ org_id: ID.entGz, kind: 'scan', performed_on: '2026-01-05', result: '矩阵：外网扫描，未见高危' }),
    ok: 201, action: 'service.record', roleFirst: true },
  { op: 'GET /api/v1/monitor/services', ok: 200, action: 'monitor.read' },
  { op: 'GET /api/v1/monitor/tasks/{id}', path: () => `/api/v1/monitor/tasks/${ID.task}`, ok: 200,
    action: 'monitor.read', sees: ENT_GZ, roleFirst: true },
  { op: 'POST /api/v1/monitor/tasks/{id}/close', path: () => `/api/v1/monitor/tasks/${ID.toClose()}/close`,
    body: () => ({ evidence_note: '矩阵：已处置' }), ok: 200, action: 'task.close', sees: ENT_GZ, roleFirst: true },
];
