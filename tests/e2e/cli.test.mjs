// cli.test.mjs — the cyberins command: help for every command, exit codes
// 0/1/2, migrations applied once, and start-up refused on broken data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const BIN = process.env.CYBERINS_BIN;
const DB = process.env.CYBERINS_DB;
const WORK = process.env.E2E_WORK;

function run(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('every command has --help and answers 0', () => {
  for (const cmd of ['serve', 'init', 'migrate', 'demo', 'version', 'help']) {
    const r = run(cmd, '--help');
    assert.equal(r.code, 0, cmd);
    assert.match(r.out, /usage: cyberins/, cmd);
  }
});

test('version prints the version', () => {
  const r = run('version');
  assert.equal(r.code, 0);
  assert.match(r.out, /^cyberins \d+\.\d+\.\d+\n$/);
});

test('usage errors exit 2', () => {
  assert.equal(run().code, 2);
  assert.equal(run('bogus').code, 2);
  assert.equal(run('serve', '--threads', '0').code, 2);
  assert.equal(run('serve', '--nope').code, 2);
  assert.equal(run('migrate', 'extra-arg').code, 2);
});

test('migrations are recorded and applied once', () => {
  const r = run('migrate', '--db', DB);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^applied 0 migration\(s\); schema at \d{3}_\w+\.sql\n$/);
});

test('a fresh SQLite database gets every migration, then none', () => {
  const db = `sqlite:${path.join(WORK, 'fresh.db')}`;
  const first = run('migrate', '--db', db);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^applied [1-9]\d* migration/);
  assert.match(run('migrate', '--db', db).out, /^applied 0 migration/);
});

test('failures exit 1 with the reason', () => {
  const r = run('init', '--db', 'mysql://nope');
  assert.equal(r.code, 1);
  assert.match(r.err, /unsupported database URL/);
  const d = run('init', '--db', `sqlite:${path.join(WORK, 'x.db')}`, '--data', '/nonexistent');
  assert.equal(d.code, 1);
  assert.match(d.err, /regions\.csv/);
});

test('a broken data file stops start-up naming file and line', () => {
  const dir = fs.mkdtempSync(path.join(WORK, 'data-'));
  const src = new URL('../../data/', import.meta.url);
  fs.cpSync(src, dir, { recursive: true });
  const lines = fs.readFileSync(path.join(dir, 'regions.csv'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.startsWith('440300,'));
  lines[i] = lines[i].replace('440300', '44030');
  fs.writeFileSync(path.join(dir, 'regions.csv'), lines.join('\n'));
  const r = run('serve', '--db', `sqlite:${path.join(WORK, 'y.db')}`, '--data', dir, '--listen', '127.0.0.1:0');
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`regions\\.csv.*${i + 1}`));
});

test('serve refuses a bad listen address', () => {
  const r = run('serve', '--db', DB, '--listen', 'nonsense');
  assert.equal(r.code, 1);
  assert.match(r.err, /IP:PORT/);
});
