// platform.mjs — role-matrix rows of the platform pieces (docs/platform.md):
// an organisation's files (file.upload: admins and members; file.read:
// everyone; another organisation's file is 404), notifications (everyone,
// their own; another's is 404), webhooks (admins; another organisation's is
// 404, a member or viewer is refused 403 first), engagements (granted and
// ended by an enterprise's admin; read by the enterprise, the service
// organisation and the national operators).
import assert from 'node:assert/strict';
import { as, login, makeUscc, uniqueBody8 } from '../lib/http.mjs';
import { OPERATORS } from '../lib/matrix.mjs';

export const ID = {};

const upload = (name) => `/api/v1/files?filename=${encodeURIComponent(name)}`;
const hook = () => ({ url: 'http://127.0.0.1:9/matrix', kinds: ['engagement.ended'] });

export async function setup(S) {
  // a file of ent-gz's (the matrix sends JSON bodies: a JSON file)
  let r = await as(S['ent-gz'], 'POST', upload('矩阵.json'), { body: { matrix: true } });
  assert.equal(r.status, 201, r.text);
  ID.file = r.json.id;
  // a second service organisation, engaged by ent-gz (which may end it)
  r = await as(S.miit, 'POST', '/api/v1/organisations', {
    body: { name: '矩阵测试服务机构', type: 'service_org', uscc: makeUscc('91', '440106', uniqueBody8()), region_code: '440106', nature: 'private' },
  });
  assert.equal(r.status, 201, r.text);
  r = await as(S['ent-gz'], 'POST', '/api/v1/engagements', { body: { service_org_id: r.json.id, scopes: ['claims'] } });
  assert.equal(r.status, 201, r.text);
  ID.engagement = r.json.id;
  ID.secfirm = S.secfirm.me.organisation.id;
  // the service organisation the grant row engages: engaged by nobody else (underwriting's
  // rows keep ent-gz's engagement of secfirm in force, and one is in force at a time)
  r = await as(S.miit, 'POST', '/api/v1/organisations', {
    body: { name: '矩阵受托服务机构', type: 'service_org', uscc: makeUscc('91', '440106', uniqueBody8()), region_code: '440106', nature: 'private' },
  });
  assert.equal(r.status, 201, r.text);
  ID.grantee = r.json.id;
  // a notification of secfirm's: an enterprise outside the matrix engages it
  const entSz = await login('ent-sz');
  r = await as(entSz, 'POST', '/api/v1/engagements', { body: { service_org_id: ID.secfirm, scopes: ['monitoring'] } });
  assert.equal(r.status, 201, r.text);
  r = await as(S.secfirm, 'GET', '/api/v1/notifications?kind=engagement.granted&limit=1');
  ID.notification = r.json.items[0].id;
  // secfirm's webhooks: one to read, one to delete
  r = await as(S.secfirm, 'POST', '/api/v1/webhooks', { body: hook() });
  assert.equal(r.status, 201, r.text);
  ID.webhook = r.json.id;
  r = await as(S.secfirm, 'POST', '/api/v1/webhooks', { body: hook() });
  ID.webhookGone = r.json.id;
}

const grant = () => ({ service_org_id: ID.grantee, scopes: ['claims', 'assessment'] });

// The row format: tests/e2e/lib/matrix.mjs. A file, a notification, a webhook
// are their organisation's; an engagement is its enterprise's and its service
// organisation's, and the operators see every one.
export const ROWS = [
  { op: 'POST /api/v1/files', path: () => upload('row.json'), body: () => ({ row: 1 }), ok: 201, action: 'file.upload' },
  { op: 'GET /api/v1/files', ok: 200, action: 'file.read' },
  { op: 'GET /api/v1/files/{id}', path: () => `/api/v1/files/${ID.file}`, ok: 200, action: 'file.read', sees: ['ent-gz'] },
  { op: 'GET /api/v1/files/{id}/content', path: () => `/api/v1/files/${ID.file}/content`, ok: 200, action: 'file.read',
    sees: ['ent-gz'] },
  { op: 'GET /api/v1/files/{id}/verify', path: () => `/api/v1/files/${ID.file}/verify`, ok: 200, action: 'file.read',
    sees: ['ent-gz'] },
  { op: 'GET /api/v1/notifications', ok: 200, action: 'notification.read' },
  { op: 'POST /api/v1/notifications/{id}/read', path: () => `/api/v1/notifications/${ID.notification}/read`, ok: 200,
    action: 'notification.read', sees: ['secfirm'] },
  { op: 'POST /api/v1/notifications/read-all', ok: 200, action: 'notification.read' },
  { op: 'POST /api/v1/webhooks', body: hook, ok: 201, action: 'webhook.manage' },
  { op: 'GET /api/v1/webhooks', ok: 200, action: 'webhook.manage' },
  { op: 'GET /api/v1/webhooks/{id}', path: () => `/api/v1/webhooks/${ID.webhook}`, ok: 200, action: 'webhook.manage',
    sees: ['secfirm'], roleFirst: true },
  { op: 'GET /api/v1/webhooks/{id}/deliveries', path: () => `/api/v1/webhooks/${ID.webhook}/deliveries`, ok: 200,
    action: 'webhook.manage', sees: ['secfirm'], roleFirst: true },
  { op: 'DELETE /api/v1/webhooks/{id}', path: () => `/api/v1/webhooks/${ID.webhookGone}`, ok: 204,
    action: 'webhook.manage', sees: ['secfirm'], roleFirst: true },
  { op: 'POST /api/v1/engagements', body: grant, ok: 201, action: 'engagement.grant' },
  { op: 'GET /api/v1/engagements', ok: 200, action: 'engagement.read' },
  { op: 'GET /api/v1/engagements/{id}', path: () => `/api/v1/engagements/${ID.engagement}`, ok: 200,
    action: 'engagement.read', sees: [OPERATORS, 'ent-gz'], roleFirst: true },
  { op: 'POST /api/v1/engagements/{id}/end', path: () => `/api/v1/engagements/${ID.engagement}/end`, ok: 200,
    action: 'engagement.grant', sees: [OPERATORS, 'ent-gz'], roleFirst: true },
];
