// server.mjs — what suites that start servers of their own share: another
// `cyberins serve` on the suite's store, waiting for a condition, and SQL on
// the test database.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';

const DB = process.env.CYBERINS_DB;
const BIN = process.env.CYBERINS_BIN;

export const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// until polls fn every 100 ms until it answers something truthy (answered) or ms pass.
export async function until(what, fn, ms = 30000) {
  for (let waited = 0; waited < ms; waited += 100) {
    const v = await fn();
    if (v) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// sql runs one statement on the test database (sqlite3 or psql); sqlOn on another
export function sql(statement) {
  return sqlOn(DB, statement);
}

export function sqlOn(db, statement) {
  const r = db.startsWith('sqlite:')
    ? spawnSync('sqlite3', [db.slice(7), statement], { encoding: 'utf8' })
    : spawnSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// cli runs `cyberins ARGS` without blocking the event loop: { code, out, err }
export function cli(...args) {
  return new Promise((resolve) => {
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

// startServer runs another `cyberins serve` on the same store with the suite's flags and
// more; answers its base URL, its process, its output so far, and a stop function that
// expects a clean exit (under the sanitizers a report makes the status non-zero).
export async function startServer(more = []) {
  const flags = process.env.E2E_SERVE_FLAGS.split(' ');
  const child = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', ...flags, ...more, '--access-log', '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  const url = await until('another server', async () => /serving (http:\S+)\//.exec(out)?.[1], 20000);
  const stop = async () => {
    child.kill('SIGTERM');
    assert.deepEqual(await exited, { code: 0, signal: null }, out.slice(-2000));
  };
  return { url, child, exited, output: () => out, stop };
}
