// cluster.nginx.mjs — two `cyberins serve` on one PostgreSQL behind nginx
// (run.sh nginx; docs/operations.md): a session made on one server works on
// the other and ends on both; requests through nginx reach both servers; the
// reference caches agree; an API token used on both and revoked on one is
// refused at once by the other (its copy dropped); each simulation is run by exactly one worker; a server killed
// in the middle of a job leaves it to the other, which finishes it, and nginx
// sends the requests to the one left.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { api, apiAt, login } from './lib/http.mjs';
import { sql, until } from './lib/server.mjs';

const A = process.env.E2E_A_URL, B = process.env.E2E_B_URL;
const PIDS = [Number(process.env.E2E_A_PID), Number(process.env.E2E_B_PID)];
const WORK = process.env.E2E_WORK;

const with_ = (s, headers = {}) => ({ ...headers, cookie: s.cookie, 'x-csrf-token': s.csrf });
let insurer;
before(async () => {
  insurer = await login('insurer'); // through nginx
});

// how many requests each server's access log holds
const served = () => ['access.log', 'access-b.log'].map((f) => fs.readFileSync(`${WORK}/${f}`, 'utf8').split('\n').filter(Boolean).length);

test('a session made on one server works on the other, through nginx on both, and ends everywhere', async () => {
  const r = await apiAt(A, 'POST', '/api/v1/session', { body: { username: 'ent-gz', password: 'Demo-2024-cyberins' } });
  assert.equal(r.status, 200, r.text);
  const s = { cookie: r.headers.get('set-cookie').split(';')[0], csrf: r.json.csrf_token };
  const meB = await apiAt(B, 'GET', '/api/v1/me', { headers: with_(s) });
  assert.equal(meB.status, 200, meB.text);
  assert.equal(meB.json.user.username, 'ent-gz');
  const [a0, b0] = served();
  for (let i = 0; i < 8; i++) assert.equal((await api('GET', '/api/v1/me', { headers: with_(s) })).status, 200);
  const [a1, b1] = served();
  assert.ok(a1 - a0 >= 2 && b1 - b0 >= 2, `both servers answered through nginx (${a1 - a0}, ${b1 - b0})`);
  // logged out on B: over on A at once
  assert.equal((await apiAt(B, 'DELETE', '/api/v1/session', { headers: with_(s) })).status, 204);
  assert.equal((await apiAt(A, 'GET', '/api/v1/me', { headers: with_(s) })).status, 401);
});

test('the reference caches agree; a token revoked on one server is refused at once by the other', async () => {
  for (const p of ['/api/v1/ref/regions', '/api/v1/ref/industries', '/api/v1/ref/coverages', '/api/v1/ref/pilot']) {
    const [a, b] = [await apiAt(A, 'GET', p), await apiAt(B, 'GET', p)];
    assert.equal(a.status, 200);
    assert.equal(a.text, b.text, p);
  }
  const t = await apiAt(A, 'POST', '/api/v1/tokens', { body: { name: 'cluster-test' }, headers: with_(insurer) });
  assert.equal(t.status, 201, t.text);
  const bearer = { authorization: `Bearer ${t.json.token}` };
  // both servers use it (and keep a copy of who it is), then it is revoked on B
  assert.equal((await apiAt(A, 'GET', '/api/v1/me', { headers: bearer })).status, 200);
  assert.equal((await apiAt(B, 'GET', '/api/v1/me', { headers: bearer })).status, 200);
  assert.equal((await apiAt(B, 'DELETE', `/api/v1/tokens/${t.json.id}`, { headers: with_(insurer) })).status, 204);
  assert.equal((await apiAt(A, 'GET', '/api/v1/me', { headers: bearer })).status, 401);
});

const simulate = (body) => api('POST', '/api/v1/simulations', { body, headers: with_(insurer) });
const job = (id) => sql(`SELECT status || ' ' || attempts || ' ' || COALESCE(worker, '-') FROM job WHERE id = ${id}`).split(' ');
const pidOf = (worker) => Number(worker.split(':')[1]);

test('each simulation is run once, by one of the two workers', async () => {
  const ids = [];
  for (let k = 0; k < 6; k++) {
    const r = await simulate({ years: 3000, seed: 100 + k, portfolio: 'demo' });
    assert.equal(r.status, 202, r.text);
    ids.push(r.json.id);
  }
  await until('six simulations done', async () => ids.every((id) => job(id)[0] === 'done'), 120000);
  for (const id of ids) {
    const [, attempts, worker] = job(id);
    assert.equal(attempts, '1', `job ${id} claimed once`);
    assert.ok(PIDS.includes(pidOf(worker)), worker);
  }
});

// 1000 policies (the demo's 200 five times) over 100000 years: long enough to be caught running
const EXPOSURE = (() => {
  const lines = fs.readFileSync(new URL('../../data/demo/portfolio.csv', import.meta.url), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#'));
  return [lines[0], ...[1, 2, 3, 4, 5].flatMap((k) => lines.slice(1).map((r) => r.replace(/^DEMO-/, `D${k}-`)))].join('\n') + '\n';
})();

test('a server killed in the middle of a job: the other takes it over and finishes it, nginx sends requests to it', async () => {
  const r = await simulate({ years: 100000, seed: 9, portfolio: 'exposure', exposure_csv: EXPOSURE });
  assert.equal(r.status, 202, r.text);
  const id = r.json.id;
  const worker = await until('the job running', async () => { const j = job(id); return j[0] === 'running' && j[2]; }, 30000);
  const victim = pidOf(worker);
  assert.ok(PIDS.includes(victim));
  fs.appendFileSync(`${WORK}/killed`, `${victim}\n`);
  process.kill(victim, 'SIGKILL');
  const other = PIDS.find((p) => p !== victim);
  await until('taken over and done', async () => job(id)[0] === 'done', 180000);
  const [, attempts, by] = job(id);
  assert.equal(attempts, '2');
  assert.equal(pidOf(by), other);
  const res = await api('GET', `/api/v1/simulations/${id}`, { headers: with_(insurer) });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.result.portfolio.policies, 1000);
  // every request through nginx now is answered by the server left
  for (let i = 0; i < 6; i++) assert.equal((await api('GET', '/api/v1/me', { headers: with_(insurer) })).status, 200);
});
