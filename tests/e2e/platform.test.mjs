// platform.test.mjs — the platform pieces through a real server
// (docs/platform.md): a 50 MiB file streamed in and out with its SHA-256
// checked end to end while the server's memory stays flat; uploads refused
// (declared hash, media type, name, size before reading, session) leaving
// no row; tamper evidence; engagements granted and ended, which notify the
// service organisation; its webhook receiving signed deliveries, retried
// after failures, dead-lettered, and — with a second server on the same
// store — each delivery answered once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { BASE, api, as, assertError, login, rawRequest } from './lib/http.mjs';
import { sleep, sql, startServer, until } from './lib/server.mjs';

const DB = process.env.CYBERINS_DB;
const BIN = process.env.CYBERINS_BIN;
const ASAN = /-asan$/.test(BIN);
let entHz, secfirm, viewer, telecom, health, miit;

before(async () => {
  entHz = await login('ent-hz');
  secfirm = await login('secfirm');
  viewer = await login('gz-city-viewer');
  telecom = await login('ent-telecom');
  health = await login('ent-gz-health');
  miit = await login('miit');
});

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

// upload sends bytes as a file; headers as given
function upload(session, name, bytes, headers = {}) {
  const path = name === null ? '/api/v1/files' : `/api/v1/files?filename=${encodeURIComponent(name)}`;
  return fetch(BASE + path, {
    method: 'POST',
    body: bytes,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/pdf', ...headers },
  }).then(async (res) => {
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null, text };
  });
}

// The server's resident memory (kB), sampled every 20 ms while fn runs: [before, peak].
async function rssDuring(fn) {
  const pid = process.env.E2E_SERVER_PID;
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  const start = rss();
  let peak = start;
  const timer = setInterval(() => { peak = Math.max(peak, rss()); }, 20);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return [start, Math.max(peak, rss())];
}

test('a 50 MiB file goes in and out whole, with its SHA-256, and the server does not hold it', async (t) => {
  const bytes = crypto.randomBytes(50 * 1024 * 1024);
  const want = sha256(bytes);
  const name = '理赔材料 第1卷 "终稿".pdf';
  let r;
  const [before1, peakUp] = await rssDuring(async () => {
    r = await upload(entHz, name, bytes, { 'x-content-sha256': want.toUpperCase() });
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.sha256, want);
  assert.equal(r.json.size, bytes.length);
  assert.equal(r.json.filename, name);
  assert.equal(r.json.media_type, 'application/pdf');
  const id = r.json.id;
  assert.equal(Number(sql(`SELECT COUNT(*) FROM blob_chunk WHERE blob_id = ${id}`)), 50);
  let got, res;
  const [before2, peakDown] = await rssDuring(async () => {
    res = await fetch(`${BASE}/api/v1/files/${id}/content`, { headers: { cookie: entHz.cookie } });
    const h = crypto.createHash('sha256');
    let n = 0;
    for await (const piece of res.body) {
      h.update(piece);
      n += piece.length;
    }
    got = { sha: h.digest('hex'), n };
  });
  assert.equal(res.status, 200);
  assert.equal(got.n, bytes.length);
  assert.equal(got.sha, want);
  assert.equal(res.headers.get('content-length'), String(bytes.length));
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.equal(res.headers.get('x-content-sha256'), want);
  // RFC 6266: an ASCII stand-in (one _ per other character), and the exact name in RFC 5987 form
  const cd = res.headers.get('content-disposition');
  assert.equal(cd, `attachment; filename="____ _1_ ____.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`);
  assert.equal(decodeURIComponent(cd.split("UTF-8''")[1]), name);
  const upMiB = (peakUp - before1) / 1024, downMiB = (peakDown - before2) / 1024;
  t.diagnostic(`server RSS (${process.env.E2E_MODE}${ASAN ? ', asan' : ''}): upload ${before1} → peak ${peakUp} kB (+${upMiB.toFixed(1)} MiB), download ${before2} → peak ${peakDown} kB (+${downMiB.toFixed(1)} MiB) for a 50 MiB file`);
  if (!ASAN) { // AddressSanitizer keeps freed memory in quarantine: its RSS says nothing here
    assert.ok(upMiB < 16, `upload grew the server by ${upMiB.toFixed(1)} MiB`);
    assert.ok(downMiB < 16, `download grew the server by ${downMiB.toFixed(1)} MiB`);
  }
  const v = await as(entHz, 'GET', `/api/v1/files/${id}/verify`);
  assert.deepEqual(v.json, { ok: true, sha256: want, computed_sha256: want, size: bytes.length, computed_size: bytes.length, reason: null });
});

test('a refused upload leaves no row and no chunk, and says which field and why', async () => {
  const count = () => sql('SELECT COUNT(*) FROM blob') + '/' + sql('SELECT COUNT(*) FROM blob_chunk');
  const before = count();
  const bytes = Buffer.from('%PDF-1.7 refused\n');
  let r = await upload(entHz, 'a.pdf', bytes, { 'x-content-sha256': sha256(Buffer.from('other')) });
  assertError(r, 422, 'sha256_mismatch', 'X-Content-SHA256');
  assert.match(r.json.error.message, new RegExp(sha256(bytes)));
  r = await upload(entHz, 'a.pdf', bytes, { 'x-content-sha256': 'abc' });
  assertError(r, 422, 'sha256_malformed', 'X-Content-SHA256');
  r = await upload(entHz, 'a.gif', bytes, { 'content-type': 'image/gif' });
  assertError(r, 422, 'media_type_refused', 'Content-Type');
  assert.match(r.json.error.message, /image\/gif.*accepted: application\/pdf, image\/png, image\/jpeg/);
  assertError(await upload(entHz, null, bytes), 422, 'filename_missing', 'filename');
  assertError(await upload(entHz, '../etc/passwd', bytes), 422, 'filename_invalid', 'filename');
  assertError(await upload(entHz, 'empty.pdf', Buffer.alloc(0)), 422, 'file_empty', 'body');
  assertError(await upload(viewer, 'v.pdf', bytes), 403, 'forbidden');
  const anon = await fetch(`${BASE}/api/v1/files?filename=a.pdf`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/pdf' } });
  assert.equal(anon.status, 401);
  // over --max-upload (256 MiB) by the announced length: refused before a byte is read
  const req = `POST /api/v1/files?filename=big.pdf HTTP/1.1\r\nHost: x\r\nCookie: ${entHz.cookie}\r\n` +
    `X-CSRF-Token: ${entHz.csrf}\r\nContent-Type: application/pdf\r\nContent-Length: ${300 * 1024 * 1024}\r\n\r\n`;
  const big = await rawRequest(req);
  assert.equal(big.status, 413);
  assert.match(big.body, /"code":"body_too_large".*268435456/);
  // a server with a 1000-byte limit: announced, and streamed (chunked) past it
  const small = await startServer(['--max-upload', '1000']);
  try {
    const post = (body, extra = {}) => fetch(`${small.url}/api/v1/files?filename=c.pdf`, {
      method: 'POST', body, duplex: 'half',
      headers: { cookie: entHz.cookie, 'x-csrf-token': entHz.csrf, 'content-type': 'application/pdf', ...extra },
    });
    let res = await post(Buffer.alloc(1001, 7));
    assert.equal(res.status, 413);
    assert.match(await res.text(), /limit of 1000 bytes","field":"body"/);
    const chunks = [Buffer.alloc(600, 1), Buffer.alloc(600, 2)];
    res = await post(new ReadableStream({ pull(c) { const x = chunks.shift(); if (x) c.enqueue(x); else c.close(); } }));
    assert.equal(res.status, 413, 'a chunked body is cut at the limit too');
    res = await post(Buffer.alloc(1000, 7));
    assert.equal(res.status, 201, 'the limit itself is allowed');
    sql(`DELETE FROM blob_chunk WHERE blob_id = ${(await res.json()).id}`);
    sql(`DELETE FROM blob WHERE filename = 'c.pdf'`);
  } finally {
    await small.stop();
  }
  assert.equal(count(), before);
  // another organisation's file, or one another capability holds, is not there
  const mine = await upload(entHz, 'mine.pdf', bytes);
  assert.equal(mine.status, 201);
  assertError(await as(telecom, 'GET', `/api/v1/files/${mine.json.id}`), 404, 'not_found', 'id');
  assertError(await as(telecom, 'GET', `/api/v1/files/${mine.json.id}/content`), 404, 'not_found');
  const list = await as(entHz, 'GET', '/api/v1/files?limit=1');
  assert.equal(list.json.items[0].id, mine.json.id);
  assert.equal(list.json.next, String(mine.json.id));
});

test('a changed chunk in the database shows in verify and in the download\'s hash', async () => {
  const bytes = crypto.randomBytes(3 * 1024 * 1024 + 5);
  const r = await upload(entHz, 'tamper.pdf', bytes);
  assert.equal(r.status, 201);
  const id = r.json.id;
  // flip the bytes of chunk 1 (same length), as someone with database access might
  sql(DB.startsWith('sqlite:')
    ? `UPDATE blob_chunk SET data = randomblob(1048576) WHERE blob_id = ${id} AND seq = 1`
    : `UPDATE blob_chunk SET data = decode(repeat('ab', 1048576), 'hex') WHERE blob_id = ${id} AND seq = 1`);
  const v = await as(entHz, 'GET', `/api/v1/files/${id}/verify`);
  assert.equal(v.status, 200);
  assert.equal(v.json.ok, false);
  assert.equal(v.json.sha256, sha256(bytes));
  assert.notEqual(v.json.computed_sha256, sha256(bytes));
  assert.equal(v.json.computed_size, bytes.length);
  assert.match(v.json.reason, /SHA-256/);
  const res = await fetch(`${BASE}/api/v1/files/${id}/content`, { headers: { cookie: entHz.cookie } });
  const back = Buffer.from(await res.arrayBuffer());
  assert.equal(res.headers.get('x-content-sha256'), sha256(bytes), 'the header is what was recorded');
  assert.notEqual(sha256(back), sha256(bytes), 'so the client sees the difference');
});

// ---- engagements, notifications, webhooks ----------------------------------------------

// A webhook receiver: records each request; `rule(delivery, seen, path)` gives the status.
function receiver(rule) {
  const got = [];
  const server = http.createServer((req, res) => {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      const delivery = Number(req.headers['x-cyberins-delivery']);
      const seen = got.filter((g) => g.delivery === delivery).length + 1;
      const status = rule(delivery, seen, req.url);
      got.push({ delivery, status, path: req.url, headers: req.headers, body: body.toString('utf8') });
      res.writeHead(status).end('ok');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, got, url: `http://127.0.0.1:${server.address().port}` })));
}

const signature = (secret, ts, body) => 'sha256=' + crypto.createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');

let rx;
before(async () => {
  // delivery ids with path /retry fail twice; /dead always fails; the rest succeed
  rx = await receiver((delivery, seen, path) => (path === '/dead' ? 503 : path === '/retry' && seen <= 2 ? 500 : 200));
});
after(() => rx.server.close());

test('engagements: granted by an enterprise admin, refused with the field named, seen by the parties', async () => {
  const svc = secfirm.me.organisation;
  assertError(await as(telecom, 'POST', '/api/v1/engagements', { body: { service_org_uscc: '91440300862QA4XF61', scopes: ['claims'] } }),
    422, 'service_org_unknown', 'service_org_uscc'); // the insurer's USCC: not a service organisation
  assertError(await as(telecom, 'POST', '/api/v1/engagements', { body: { service_org_id: svc.id, scopes: ['underwriting'] } }),
    422, 'engagement_scope', 'scopes');
  assertError(await as(telecom, 'POST', '/api/v1/engagements', { body: { service_org_id: svc.id, service_org_uscc: svc.uscc, scopes: ['claims'] } }),
    422, 'service_org_missing', 'service_org_id');
  assertError(await as(telecom, 'POST', '/api/v1/engagements', { body: { service_org_id: svc.id, scopes: ['claims'], valid_until: '2020-01-01' } }),
    422, 'valid_until_past', 'valid_until');
  assertError(await as(telecom, 'POST', '/api/v1/engagements', { body: { service_org_id: svc.id, scopes: 'claims' } }),
    400, 'wrong_type', 'scopes');
  assertError(await as(secfirm, 'POST', '/api/v1/engagements', { body: { service_org_id: svc.id, scopes: ['claims'] } }), 403, 'forbidden');
  const r = await as(health, 'POST', '/api/v1/engagements', { body: { service_org_uscc: svc.uscc, scopes: ['quotes', 'claims'], valid_until: '2099-06-30', note: '年度委托' } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.scopes, ['claims', 'quotes']);
  assert.equal(r.json.valid_until, '2099-06-30T16:00:00Z');
  assert.equal(r.json.active, true);
  assert.equal(r.json.service_org.name, svc.name);
  assertError(await as(health, 'POST', '/api/v1/engagements', { body: { service_org_id: svc.id, scopes: ['monitoring'] } }), 409, 'engagement_exists');
  const mine = await as(secfirm, 'GET', '/api/v1/engagements?active=true');
  assert.ok(mine.json.items.some((e) => e.id === r.json.id));
  assert.equal((await as(miit, 'GET', `/api/v1/engagements/${r.json.id}`)).status, 200);
  assertError(await as(entHz, 'GET', `/api/v1/engagements/${r.json.id}`), 404, 'not_found', 'id');
  assertError(await as(secfirm, 'POST', `/api/v1/engagements/${r.json.id}/end`), 403, 'forbidden');
  // ended at the request's time: no longer in force, and not twice
  const end = await as(health, 'POST', `/api/v1/engagements/${r.json.id}/end`);
  assert.equal(end.status, 200, end.text);
  assert.ok(Math.abs(Date.parse(end.json.ended_at) - Date.now()) < 60000, end.json.ended_at);
  assert.equal(end.json.active, false);
  assertError(await as(health, 'POST', `/api/v1/engagements/${r.json.id}/end`), 409, 'engagement_ended', 'id');
  // the service organisation was told of both, in Chinese and English
  const notes = await as(secfirm, 'GET', `/api/v1/notifications?kind=engagement.ended`);
  const ended = notes.json.items.find((n) => n.object_id === String(r.json.id));
  assert.equal(ended.text_zh, '广州示范医疗健康科技有限公司（演示） 终止了委托（理赔、投保报价）');
  assert.equal(ended.text_en, '广州示范医疗健康科技有限公司（演示） ended its engagement (claims, quotes)');
  assert.equal(ended.read_at, null);
});

test('notifications: each user reads its own; another organisation gets 404', async () => {
  const r = await as(telecom, 'POST', '/api/v1/engagements', { body: { service_org_id: secfirm.me.organisation.id, scopes: ['assessment'] } });
  assert.equal(r.status, 201, r.text);
  const list = await as(secfirm, 'GET', '/api/v1/notifications?unread=true&kind=engagement.granted');
  const n = list.json.items.find((x) => x.object_id === String(r.json.id));
  assert.ok(n, list.text);
  assert.equal(n.object_type, 'engagement');
  assertError(await as(telecom, 'POST', `/api/v1/notifications/${n.id}/read`), 404, 'not_found', 'id');
  // a receipt time a little ahead of the clock (the test clock moves every check of the
  // request, the session's idle time included: far ahead, the session would have expired)
  const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000).toISOString().replace('.000Z', 'Z');
  const read = await as(secfirm, 'POST', `/api/v1/notifications/${n.id}/read`, { headers: { 'x-test-now': at } });
  assert.equal(read.status, 200);
  assert.equal(read.json.read_at, at);
  const again = await as(secfirm, 'POST', `/api/v1/notifications/${n.id}/read`);
  assert.equal(again.json.read_at, at);
  const unread = await as(secfirm, 'GET', '/api/v1/notifications?unread=true&limit=500');
  assert.ok(!unread.json.items.some((x) => x.id === n.id));
  const all = await as(secfirm, 'POST', '/api/v1/notifications/read-all');
  assert.equal(all.json.read, unread.json.items.length);
  assert.equal((await as(secfirm, 'GET', '/api/v1/notifications?unread=true')).json.items.length, 0);
  assertError(await as(secfirm, 'GET', '/api/v1/notifications?unread=maybe'), 400, 'query_invalid', 'unread');
  assert.equal((await as(telecom, 'POST', `/api/v1/engagements/${r.json.id}/end`)).status, 200);
});

async function subscribe(path, kinds) {
  const r = await as(secfirm, 'POST', '/api/v1/webhooks', { body: { url: rx.url + path, kinds } });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  assert.equal((await as(secfirm, 'GET', `/api/v1/webhooks/${r.json.id}`)).json.secret, undefined);
  return r.json;
}

async function deliveries(hook, status) {
  const r = await as(secfirm, 'GET', `/api/v1/webhooks/${hook.id}/deliveries${status ? `?status=${status}` : ''}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

test('webhooks: signed deliveries, retried after two failures, then delivered once', async () => {
  assertError(await as(secfirm, 'POST', '/api/v1/webhooks', { body: { url: 'ftp://127.0.0.1/x', kinds: ['engagement.granted'] } }), 422, 'webhook_url', 'url');
  assertError(await as(secfirm, 'POST', '/api/v1/webhooks', { body: { url: rx.url, kinds: ['claim.paid.twice'] } }), 422, 'webhook_kind_unknown', 'kinds');
  const hook = await subscribe('/retry', ['engagement.granted']);
  const r = await as(telecom, 'POST', '/api/v1/engagements', { body: { service_org_id: secfirm.me.organisation.id, scopes: ['claims'] } });
  assert.equal(r.status, 201, r.text);
  const [d] = await until('the delivery', async () => {
    const items = await deliveries(hook, 'delivered');
    return items.length ? items : null;
  });
  assert.equal(d.attempts, 3);
  assert.deepEqual(d.tries.map((x) => x.http_status), [500, 500, 200]);
  assert.deepEqual(d.tries.map((x) => x.error === null), [false, false, true]);
  const got = rx.got.filter((g) => g.delivery === d.id);
  assert.equal(got.length, 3);
  for (const g of got) {
    assert.equal(g.headers['x-cyberins-signature'], signature(hook.secret, g.headers['x-cyberins-timestamp'], g.body), 'signed with the secret');
    assert.equal(g.headers['x-cyberins-event'], 'engagement.granted');
    const body = JSON.parse(g.body);
    assert.equal(body.notification.object_id, String(r.json.id));
    assert.equal(body.organisation_id, secfirm.me.organisation.id);
  }
  // the backoff: 1 s, then 2 s (the worker looks every second)
  const ts = got.map((g) => Number(g.headers['x-cyberins-timestamp']));
  assert.ok(ts[1] - ts[0] >= 1 && ts[2] - ts[1] >= 2, `attempt times ${ts}`);
  await sleep(2500);
  assert.equal(rx.got.filter((g) => g.delivery === d.id).length, 3, 'nothing more after it was delivered');
  assert.equal((await as(telecom, 'POST', `/api/v1/engagements/${r.json.id}/end`)).status, 200);
  assert.equal((await as(secfirm, 'DELETE', `/api/v1/webhooks/${hook.id}`)).status, 204);
});

test('webhooks: a receiver that never answers 2xx ends in the dead-letter list', async () => {
  const hook = await subscribe('/dead', ['engagement.granted']);
  const r = await as(health, 'POST', '/api/v1/engagements', { body: { service_org_id: secfirm.me.organisation.id, scopes: ['monitoring'] } });
  assert.equal(r.status, 201, r.text);
  const [dead] = await until('the dead letter', async () => {
    const items = await deliveries(hook, 'dead');
    return items.length ? items : null;
  });
  assert.equal(dead.attempts, 4);
  assert.equal(dead.next_attempt_at, null);
  assert.deepEqual(dead.tries.map((x) => x.http_status), [503, 503, 503, 503]);
  assert.match(dead.tries[3].error, /HTTP 503/);
  assert.equal(rx.got.filter((g) => g.delivery === dead.id).length, 4);
  assert.equal((await deliveries(hook, 'delivered')).length, 0);
  assertError(await as(secfirm, 'GET', `/api/v1/webhooks/${hook.id}/deliveries?status=lost`), 400, 'query_invalid', 'status');
  assert.equal((await as(health, 'POST', `/api/v1/engagements/${r.json.id}/end`)).status, 200);
  assert.equal((await as(secfirm, 'DELETE', `/api/v1/webhooks/${hook.id}`)).status, 204);
});

test('two servers on one store: every delivery is answered 2xx exactly once', async () => {
  // a second server, as behind a load balancer, with its own job worker
  const second = await startServer();
  const url2 = second.url;
  try {
    const hook = await subscribe('/retry', ['engagement.granted', 'engagement.ended']);
    const telecom2 = { ...telecom };
    // ten grants and ends, half through each server
    for (let i = 0; i < 5; i++) {
      const via = i % 2 ? BASE : url2;
      const g = await fetch(`${via}/api/v1/engagements`, {
        method: 'POST', body: JSON.stringify({ service_org_id: secfirm.me.organisation.id, scopes: ['claims'] }),
        headers: { cookie: telecom2.cookie, 'x-csrf-token': telecom2.csrf, 'content-type': 'application/json' },
      });
      const text = await g.text();
      assert.equal(g.status, 201, text);
      const id = JSON.parse(text).id;
      const e = await fetch(`${via === BASE ? url2 : BASE}/api/v1/engagements/${id}/end`, {
        method: 'POST', headers: { cookie: telecom2.cookie, 'x-csrf-token': telecom2.csrf },
      });
      assert.equal(e.status, 200);
    }
    const done = await until('ten deliveries', async () => {
      const items = await deliveries(hook, 'delivered');
      return items.length === 10 ? items : null;
    }, 60000);
    for (const d of done) {
      const got = rx.got.filter((g) => g.delivery === d.id);
      assert.equal(got.filter((g) => g.status === 200).length, 1, `delivery ${d.id} answered 2xx once`);
      assert.equal(got.length, 3, `delivery ${d.id}: two failures and one success`);
      assert.equal(d.tries.length, 3);
    }
    assert.equal((await as(secfirm, 'DELETE', `/api/v1/webhooks/${hook.id}`)).status, 204);
  } finally {
    await second.stop();
  }
});
