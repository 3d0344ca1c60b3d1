// api.test.mjs — the platform foundation's HTTP API against a real server
// (SQLite or PostgreSQL, started by run.sh): answers, headers, and every kind
// of bad input answered with the one error shape, never a 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { api, as, login, assertError, rawRequest } from './lib/http.mjs';

test('healthz answers ok with the database checked', async () => {
  const r = await api('GET', '/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok', db: 'ok' });
});

test('every answer carries a request id and the security headers', async () => {
  for (const path of ['/healthz', '/api/v1/meta', '/', '/no/such/file.js']) {
    const r = await api('GET', path);
    assert.match(r.headers.get('x-request-id'), /^[0-9a-f]{16}$/, path);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/, path);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', path);
  }
  const a = await api('GET', '/healthz');
  const b = await api('GET', '/healthz');
  assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
});

test('meta names the program and the time to anyone; the version and the backend only to a logged-in caller', async () => {
  const r = await api('GET', '/api/v1/meta');
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.json).sort(), ['name', 'time']);
  assert.equal(r.json.name, 'cyberins');
  assert.match(r.json.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // a cookie that is no session counts as anonymous, and is not refused
  const forged = await api('GET', '/api/v1/meta', { headers: { cookie: 'cyberins_session=not-a-session' } });
  assert.deepEqual(Object.keys(forged.json).sort(), ['name', 'time']);
  const s = await login('ent-gz');
  const m = await as(s, 'GET', '/api/v1/meta');
  assert.equal(m.status, 200);
  assert.equal(m.json.name, 'cyberins');
  assert.match(m.json.version, /^\d+\.\d+\.\d+$/);
  assert.equal(m.json.backend, process.env.E2E_MODE === 'postgresql' ? 'postgresql' : 'sqlite');
});

test('openapi.json is the document in docs/ and lists every route tested here', async () => {
  const r = await api('GET', '/api/openapi.json');
  assert.equal(r.status, 200);
  const onDisk = JSON.parse(fs.readFileSync(new URL('../../docs/openapi.json', import.meta.url)));
  assert.deepEqual(r.json, onDisk);
  for (const p of ['/healthz', '/api/v1/meta', '/api/v1/ref/regions', '/api/v1/ref/industries',
    '/api/v1/ref/coverages', '/api/v1/checks/uscc', '/api/v1/checks/zishu'])
    assert.ok(r.json.paths[p], p);
});

test('metrics are Prometheus text with request counters', async () => {
  const r = await api('GET', '/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain/);
  assert.match(r.text, /^cyberins_http_requests_total\{code="2xx"\} \d+$/m);
  assert.match(r.text, /^cyberins_db_up 1$/m);
});

test('regions: 34 province-level units and the 5 计划单列市', async () => {
  const all = await api('GET', '/api/v1/ref/regions');
  assert.equal(all.status, 200);
  assert.equal(all.json.next, null);
  const provinces = all.json.items.filter((r) => r.level === 1);
  assert.equal(provinces.length, 34);
  const plan = all.json.items.filter((r) => r.plan_city).map((r) => r.code).sort();
  assert.deepEqual(plan, ['210200', '330200', '350200', '370200', '440300']);
  const l1 = await api('GET', '/api/v1/ref/regions?level=1');
  assert.equal(l1.json.items.length, 34);
  const gd = await api('GET', '/api/v1/ref/regions?parent=440000');
  const sz = gd.json.items.find((r) => r.code === '440300');
  assert.deepEqual(sz, { code: '440300', name: '深圳市', level: 2, parent: '440000', plan_city: true });
  assert.ok(gd.json.items.find((r) => r.code === '440100' && r.name === '广州市'));
  assert.ok(gd.json.items.every((r) => r.parent === '440000'));
  assert.equal(gd.json.items.length, 21); // Guangdong's 21 prefecture-level cities
});

test('regions: malformed filters are refused naming the parameter', async () => {
  assertError(await api('GET', '/api/v1/ref/regions?level=3'), 400, 'query_invalid', 'level');
  assertError(await api('GET', '/api/v1/ref/regions?level=x'), 400, 'query_invalid', 'level');
  assertError(await api('GET', '/api/v1/ref/regions?parent=44'), 400, 'query_invalid', 'parent');
  assertError(await api('GET', '/api/v1/ref/regions?parent=44000a'), 400, 'query_invalid', 'parent');
});

test('industries: 20 sections and 97 divisions of GB/T 4754-2017', async () => {
  const r = await api('GET', '/api/v1/ref/industries');
  assert.equal(r.status, 200);
  assert.equal(r.json.items.filter((d) => d.level === 1).length, 20);
  assert.equal(r.json.items.filter((d) => d.level === 2).length, 97);
  const c = await api('GET', '/api/v1/ref/industries?section=I&level=2');
  assert.deepEqual(c.json.items.map((d) => d.code), ['63', '64', '65']);
  assertError(await api('GET', '/api/v1/ref/industries?section=Z'), 400, 'query_invalid', 'section');
});

test('coverages: the 13 of the notice, in its order', async () => {
  const r = await api('GET', '/api/v1/ref/coverages');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((c) => c.code),
    ['phys', 'bi', 'data', 'hw', 'ir', 'pr', 'legal', 'breach', 'netsec', 'media', 'vendor', 'product', 'eo']);
  const bi = r.json.items[1];
  assert.equal(bi.name_zh, '营业中断损失');
  assert.equal(bi.class, 'first_party');
  assert.equal(bi.waiting_period, true);
  assert.equal(r.json.items.filter((c) => c.class === 'third_party').length, 6);
  assert.equal(r.json.items.filter((c) => c.waiting_period).length, 1);
});

test('pilot classes: 7 target industries and the product/service classes', async () => {
  const r = await api('GET', '/api/v1/ref/pilot');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.target_industries.map((c) => c.code),
    ['telecom_internet', 'industrial_internet', 'connected_vehicles', 'healthcare', 'finance', 'energy', 'other']);
  assert.ok(r.json.product_classes.find((c) => c.code === 'edr' && c.group === 'security_product'));
});

test('uscc check: the public examples validate, a wrong check digit is refused', async () => {
  for (const code of ['914403001922038216', '9144030071526726XG', '91330100716105852F', '91310000132260250X']) {
    const r = await api('POST', '/api/v1/checks/uscc', { body: { uscc: code } });
    assert.equal(r.status, 200, code);
    assert.equal(r.json.uscc, code);
    assert.equal(r.json.legal_person, true);
  }
  const ok = await api('POST', '/api/v1/checks/uscc', { body: { uscc: '914403001922038216' } });
  assert.equal(ok.json.category_name, '企业');
  assert.equal(ok.json.region, '440300');
  assert.equal(ok.json.orgcode, '192203821');
  const bad = await api('POST', '/api/v1/checks/uscc', { body: { uscc: '914403001922038217' } });
  assertError(bad, 422, 'uscc_check_digit', 'uscc');
  assert.match(bad.json.error.message, /6/);
  assertError(await api('POST', '/api/v1/checks/uscc', { body: { uscc: '91440300' } }), 422, 'uscc_length', 'uscc');
  assertError(await api('POST', '/api/v1/checks/uscc', { body: { uscc: '91440300192203821I' } }), 422, 'uscc_charset', 'uscc');
});

test('uscc check: an individual business (9/2) is valid but not a legal person', async () => {
  const r = await api('POST', '/api/v1/checks/uscc', { body: { uscc: '92440300MA5F12342M' } });
  assert.equal(r.status, 200);
  assert.equal(r.json.legal_person, false);
  assert.equal(r.json.legal_person_error.code, 'uscc_not_legal_person');
  assert.match(r.json.legal_person_error.message, /个体工商户/);
});

test('zishu check counts as the forms do', async () => {
  const r = await api('POST', '/api/v1/checks/zishu', { body: { text: 'GB/T 22239-2019 第三级' } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { count: 5 });
  const z = await api('POST', '/api/v1/checks/zishu', { body: { text: '网络安全保险，试点工作。' } });
  assert.equal(z.json.count, 12);
});

test('bad bodies: malformed, wrong shape, unknown, missing, duplicate, wrong type', async () => {
  const p = '/api/v1/checks/uscc';
  assertError(await api('POST', p, { raw: '{"uscc": ' }), 400, 'json_malformed', 'body');
  assertError(await api('POST', p, { raw: '' }), 400, 'body_missing', 'body');
  assertError(await api('POST', p, { raw: '[1,2]' }), 400, 'wrong_type', 'body');
  assertError(await api('POST', p, { raw: '"x"' }), 400, 'wrong_type', 'body');
  assertError(await api('POST', p, { body: { uscc: '914403001922038216', extra: 1 } }), 400, 'unknown_field', 'extra');
  assertError(await api('POST', p, { body: {} }), 400, 'missing_field', 'uscc');
  assertError(await api('POST', p, { body: { uscc: 914403001922038216 } }), 400, 'wrong_type', 'uscc');
  assertError(await api('POST', p, { body: { uscc: null } }), 400, 'wrong_type', 'uscc');
  const dup = await api('POST', p, { raw: '{"uscc":"914403001922038216","uscc":"914403001922038216"}' });
  assertError(dup, 400, 'json_malformed', 'body');
  assert.match(dup.json.error.message, /duplicate/);
  assertError(await api('POST', '/api/v1/checks/zishu', { raw: '{"text":"\\u0000"}' }), 400, 'json_malformed', 'body');
});

test('an oversize body is refused with 413 (announced or streamed)', async () => {
  const big = JSON.stringify({ text: 'x'.repeat(1100 * 1024) });
  assertError(await api('POST', '/api/v1/checks/zishu', { raw: big }), 413, 'body_too_large', 'body');
  // chunked: no Content-Length, the limit is found while reading
  const stream = new ReadableStream({
    start(c) { for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024))); c.close(); },
  });
  const res = await fetch(process.env.BASE_URL + '/api/v1/checks/zishu', {
    method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json' },
  });
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, 'body_too_large');
});

test('unknown routes answer 404 and wrong methods 405 with Allow', async () => {
  assertError(await api('GET', '/api/v1/nothing'), 404, 'route_not_found', 'path');
  assertError(await api('POST', '/api/v1/nothing', { body: {} }), 404, 'route_not_found', 'path');
  const r = await api('DELETE', '/api/v1/meta');
  assertError(r, 405, 'method_not_allowed', 'method');
  assert.equal(r.headers.get('allow'), 'GET');
  const g = await api('GET', '/api/v1/checks/uscc');
  assertError(g, 405, 'method_not_allowed', 'method');
  assert.equal(g.headers.get('allow'), 'POST');
  assertError(await api('POST', '/index.html', { body: {} }), 404, 'route_not_found', 'path');
});

test('static files: the page and modules with their MIME types', async () => {
  const idx = await api('GET', '/');
  assert.equal(idx.status, 200);
  assert.match(idx.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.match(idx.text, /<html/);
  const css = await api('GET', '/css/app.css');
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /^text\/css/);
  const js = await api('GET', '/js/app.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  assertError(await api('GET', '/nope.html'), 404, 'file_not_found', 'path');
  assertError(await api('GET', '/js'), 404, 'file_not_found', 'path');
});

test('path traversal never leaves web/', async () => {
  for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/js/../../README.md',
    '/.git/config', '/%2e%2e%2fetc%2fpasswd', '//etc/passwd', '/js/..%2f..%2fREADME.md']) {
    const r = await rawRequest(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status === 400 || r.status === 404, `${p} answered ${r.status}`);
    assert.doesNotMatch(r.body, /root:|cyberins — /, p);
    assert.match(r.body, /"error"/, p);
  }
});

test('the access log has one JSON line per request and no 5xx', async () => {
  await api('GET', '/healthz');
  await new Promise((r) => setTimeout(r, 200));
  const lines = fs.readFileSync(process.env.E2E_ACCESS_LOG, 'utf8').trim().split('\n');
  assert.ok(lines.length > 20);
  for (const l of lines) {
    const e = JSON.parse(l);
    assert.match(e.id, /^[0-9a-f]{16}$/);
    assert.equal(typeof e.status, 'number');
    assert.ok(e.status < 500, `5xx in the access log: ${l}`);
    assert.match(e.time, /Z$/);
  }
});
