// harden.test.mjs — the server under pressure (docs/operations.md): a flood
// of half-open connections from one address leaves other clients served
// and the server recovers when it ends; a connection that never finishes
// its headers is closed after --header-timeout; SIGTERM stops accepting,
// finishes the requests in progress and hands a running simulation back to
// the queue, where another server finishes it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { apiAt, as, login } from './lib/http.mjs';
import { sleep, sql, startServer, until } from './lib/server.mjs';

let insurer;
before(async () => {
  insurer = await login('insurer');
});

// get answers { status, ms } of GET base+path sent from localAddress (a 127.x.y.z)
function getFrom(base, path, localAddress) {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.get(base + path, { localAddress, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Date.now() - t0 }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error(`GET ${path} from ${localAddress} timed out`)));
  });
}

// halfOpen opens n connections from localAddress that send a part of a request's headers
// and then nothing; answers the sockets once each is connected or closed.
async function halfOpen(base, n, localAddress) {
  const { hostname, port } = new URL(base);
  const socks = [];
  let closedByServer = 0;
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
    const s = net.connect({ host: hostname, port: Number(port), localAddress }, () => {
      s.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      resolve();
    });
    s.on('error', () => resolve());
    s.on('close', () => { closedByServer += 1; resolve(); });
    socks.push(s);
  })));
  return { socks, closed: () => closedByServer };
}

test('a flood of half-open connections from one address: another address is still served, and it ends cleanly', async () => {
  const srv = await startServer(['--per-ip-connections', '64', '--header-timeout', '3']);
  try {
    // more than the server's whole --max-connections (1000) from 127.0.0.2
    const flood = await halfOpen(srv.url, 1100, '127.0.0.2');
    await sleep(300);
    for (let i = 0; i < 3; i++) {
      const r = await getFrom(srv.url, '/healthz', '127.0.0.1');
      assert.equal(r.status, 200);
      assert.ok(r.ms < 1000, `/healthz from another address answered in ${r.ms} ms`);
    }
    assert.ok(flood.closed() >= 1100 - 64, `the server turned away what is over the per-address limit (closed ${flood.closed()})`);
    // the flood ends: its address is served again within 5 s
    const ended = Date.now();
    for (const s of flood.socks) s.destroy();
    const back = await until('the flooding address served again', async () => {
      try {
        return (await getFrom(srv.url, '/healthz', '127.0.0.2')).status === 200;
      } catch {
        return false;
      }
    }, 5000);
    assert.ok(back && Date.now() - ended < 5000);
  } finally {
    await srv.stop();
  }
});

test('a connection that does not finish its headers is closed after --header-timeout', async () => {
  const srv = await startServer(['--header-timeout', '2']);
  try {
    const t0 = Date.now();
    const { hostname, port } = new URL(srv.url);
    const closedAfter = await new Promise((resolve, reject) => {
      const s = net.connect({ host: hostname, port: Number(port) }, () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
      s.on('close', () => resolve(Date.now() - t0));
      s.on('error', () => {});
      setTimeout(() => reject(new Error('still open after 8 s')), 8000);
    });
    assert.ok(closedAfter >= 1500 && closedAfter < 4500, `closed after ${closedAfter} ms`);
  } finally {
    await srv.stop();
  }
});

// libmicrohttpd keeps each query argument in the connection's memory; when they fill it, it
// answers nothing (docs/operations.md). 800 empty arguments ("&&&…") must fit: they did not in
// libmicrohttpd's default of 32 KiB.
test('a request with 800 query arguments is answered at once', async () => {
  const srv = await startServer(['--header-timeout', '5']);
  try {
    const { hostname, port } = new URL(srv.url);
    const t0 = Date.now();
    const head = await new Promise((resolve, reject) => {
      let got = '';
      const s = net.connect({ host: hostname, port: Number(port) },
        () => s.write(`GET /healthz?${'&'.repeat(800)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      s.on('data', (d) => (got += d));
      s.on('close', () => resolve(got.slice(0, 12)));
      s.on('error', reject);
    });
    assert.equal(head, 'HTTP/1.1 200');
    assert.ok(Date.now() - t0 < 2000, `answered after ${Date.now() - t0} ms`);
  } finally {
    await srv.stop();
  }
});

// A portfolio of 1000 policies (the demo's 200, five times): a run that takes a few seconds.
const EXPOSURE = (() => {
  const lines = fs.readFileSync(new URL('../../data/demo/portfolio.csv', import.meta.url), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#'));
  const rows = lines.slice(1);
  return [lines[0], ...[1, 2, 3, 4, 5].flatMap((k) => rows.map((r) => r.replace(/^DEMO-/, `D${k}-`)))].join('\n') + '\n';
})();

// postSlowly sends a body in pieces, the last one after ms: a request still in progress
function postSlowly(base, session, path, body, ms) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: 'POST', agent: false, headers: {
      cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
    } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text), connection: res.headers.connection }));
    });
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    setTimeout(() => req.end(body.slice(half)), ms);
  });
}

test('SIGTERM: no new connection, the requests in progress answered, a running simulation handed back and finished elsewhere', async () => {
  const main = Number(process.env.E2E_SERVER_PID);
  const srv = await startServer(['--shutdown-grace', '20']);
  let stopped = false;
  try {
    // this suite's own server holds no job while the second one runs it
    process.kill(main, 'SIGSTOP');
    stopped = true;
    const sim = await apiAt(srv.url, 'POST', '/api/v1/simulations', {
      body: { years: 100000, seed: 7, portfolio: 'exposure', exposure_csv: EXPOSURE, catalogue: true },
      headers: { cookie: insurer.cookie, 'x-csrf-token': insurer.csrf },
    });
    assert.equal(sim.status, 202, sim.text);
    const id = sim.json.id;
    await until('the second server running it', async () => sql(`SELECT status FROM job WHERE id = ${id}`) === 'running', 20000);
    assert.match(sql(`SELECT worker FROM job WHERE id = ${id}`), new RegExp(`:${srv.child.pid}:`));
    // two requests in progress (their bodies half sent) when the signal comes
    const body = (k) => JSON.stringify({ years: 10, seed: k, portfolio: 'demo' });
    const slow = [postSlowly(srv.url, insurer, '/api/v1/simulations', body(1), 1500), postSlowly(srv.url, insurer, '/api/v1/simulations', body(2), 2000)];
    await sleep(300);
    srv.child.kill('SIGTERM');
    await sleep(300);
    // no new connection is taken
    await assert.rejects(getFrom(srv.url, '/healthz', '127.0.0.1'), /ECONNREFUSED/);
    const answers = await Promise.all(slow);
    for (const a of answers) {
      assert.equal(a.status, 202, JSON.stringify(a.json));
      assert.equal(a.connection, 'close');
    }
    assert.deepEqual(await srv.exited, { code: 0, signal: null }, srv.output().slice(-2000));
    assert.match(srv.output(), new RegExp(`job ${id} handed back to the queue`));
    assert.equal(sql(`SELECT status FROM job WHERE id = ${id}`), 'queued');
    assert.equal(sql(`SELECT COUNT(*) FROM job WHERE id = ${id} AND worker IS NULL AND progress = 0`), '1');
    // the first server, running again, finishes it: nothing was lost
    process.kill(main, 'SIGCONT');
    stopped = false;
    const done = await until('the simulation done', async () => {
      const r = await as(insurer, 'GET', `/api/v1/simulations/${id}`);
      return ['done', 'failed'].includes(r.json.status) && r.json;
    }, 120000);
    assert.equal(done.status, 'done', done.error);
    assert.equal(done.result.years, 100000);
    assert.equal(done.result.portfolio.policies, 1000);
    for (const a of answers) await until('the small ones done', async () => (await as(insurer, 'GET', `/api/v1/simulations/${a.json.id}`)).json.status === 'done', 60000);
  } finally {
    if (stopped) process.kill(main, 'SIGCONT');
    if (srv.child.exitCode === null && srv.child.signalCode === null) await srv.stop();
  }
});
