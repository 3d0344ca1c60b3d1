// platform.mjs — role-matrix rows of the platform pieces (docs/platform.md):
// an organisation's files (file.upload: admins and members; file.read:
// everyone; another organisation's file is 404), notifications (everyone,
// their own; another's is 404), webhooks (admins; another organisation's is
// 404, a member or viewer is refused 403 first), engagements (granted and
// ended by an enterprise's admin; read by the enterprise, the service
// organisation and the national operators).
import assert from 'node:assert/strict';
import { as, login, makeUscc, uniqueBody8 } from '../lib/http.mjs';

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

const grant = () => ({ service_org_id: ID.secfirm, scopes: ['claims', 'assessment'] });

export const ROWS = [
  //                                                                          anon miit nisc gdp gdca gz gzm gzv sz hz ins insuw sec entgz enthz exp2
  ['POST', '/api/v1/files', () => upload('row.json'), () => ({ row: 1 }), 201, 'uaaaaaafaaaaaaaa'],
  ['GET', '/api/v1/files', () => '/api/v1/files', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['GET', '/api/v1/files/{id}', () => `/api/v1/files/${ID.file}`, null, 200, 'uhhhhhhhhhhhhahh'],
  ['GET', '/api/v1/files/{id}/content', () => `/api/v1/files/${ID.file}/content`, null, 200, 'uhhhhhhhhhhhhahh'],
  ['GET', '/api/v1/files/{id}/verify', () => `/api/v1/files/${ID.file}/verify`, null, 200, 'uhhhhhhhhhhhhahh'],
  ['GET', '/api/v1/notifications', () => '/api/v1/notifications', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/notifications/{id}/read', () => `/api/v1/notifications/${ID.notification}/read`, null, 200, 'uhhhhhhhhhhhahhh'],
  ['POST', '/api/v1/notifications/read-all', () => '/api/v1/notifications/read-all', null, 200, 'uaaaaaaaaaaaaaaa'],
  ['POST', '/api/v1/webhooks', () => '/api/v1/webhooks', hook, 201, 'uaaaaaffaaafaaaf'],
  ['GET', '/api/v1/webhooks', () => '/api/v1/webhooks', null, 200, 'uaaaaaffaaafaaaf'],
  ['GET', '/api/v1/webhooks/{id}', () => `/api/v1/webhooks/${ID.webhook}`, null, 200, 'uhhhhhffhhhfahhf'],
  ['GET', '/api/v1/webhooks/{id}/deliveries', () => `/api/v1/webhooks/${ID.webhook}/deliveries`, null, 200, 'uhhhhhffhhhfahhf'],
  ['DELETE', '/api/v1/webhooks/{id}', () => `/api/v1/webhooks/${ID.webhookGone}`, null, 204, 'uhhhhhffhhhfahhf'],
  ['POST', '/api/v1/engagements', () => '/api/v1/engagements', grant, 201, 'uffffffffffffaaf'],
  ['GET', '/api/v1/engagements', () => '/api/v1/engagements', null, 200, 'uaafffffffffaaaf'],
  ['GET', '/api/v1/engagements/{id}', () => `/api/v1/engagements/${ID.engagement}`, null, 200, 'uaafffffffffhahf'],
  ['POST', '/api/v1/engagements/{id}/end', () => `/api/v1/engagements/${ID.engagement}/end`, null, 200, 'uffffffffffffahf'],
];
