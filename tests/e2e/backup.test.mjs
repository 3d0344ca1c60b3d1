// backup.test.mjs — cyberins backup while servers write, restore into a new
// database, and what was restored checked: its audit chain verifies, its
// head is an entry of the live chain (the backup is one consistent moment),
// organisations, users and files are the live ones, and a server started on
// it serves a login. SQLite: the online backup API; PostgreSQL: pg_dump -Fc
// and pg_restore (docs/operations.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { apiAt, login, DEMO_PASSWORD } from './lib/http.mjs';
import { cli, sleep, sql, sqlOn, startServer } from './lib/server.mjs';

const DB = process.env.CYBERINS_DB;
const WORK = process.env.E2E_WORK;

// logins and logouts by several users at once until stop() (each adds audit entries)
function writeLoad() {
  let running = true, writes = 0;
  const users = ['ent-gz', 'ent-sz', 'ent-hz', 'secfirm'];
  const loops = users.map(async (u) => {
    while (running) {
      const s = await login(u);
      await apiAt(process.env.BASE_URL, 'DELETE', '/api/v1/session', { headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      writes += 2;
    }
  });
  return { stop: async () => { running = false; await Promise.all(loops); return writes; } };
}

// What must come back whole: the tables no one writes during the test.
const STABLE = {
  organisation: 'SELECT COUNT(*), SUM(id), MAX(name) FROM organisation',
  app_user: 'SELECT COUNT(*), SUM(id), MAX(username), MAX(password_hash) FROM app_user',
  blob: 'SELECT COUNT(*), COALESCE(SUM(size), 0), MAX(sha256) FROM blob',
};

test('backup under write load, restore into a new database: the audit chain verifies and the data is there', async () => {
  const pg = !DB.startsWith('sqlite:');
  const file = `${WORK}/backup-${Date.now()}.${pg ? 'dump' : 'db'}`;
  const restored = pg ? DB.replace(/\/[^/]+$/, '/cyberins_restored') : `sqlite:${WORK}/restored.db`;
  if (pg) {
    sql('DROP DATABASE IF EXISTS cyberins_restored');
    sql('CREATE DATABASE cyberins_restored');
  }

  const load = writeLoad();
  await sleep(400);
  const before = Number(sql('SELECT seq FROM audit_head'));
  const b = await cli('backup', '--out', file);
  await sleep(400);
  const writes = await load.stop();
  assert.equal(b.code, 0, b.err);
  assert.match(b.out, /^backup .+: \d+ bytes\n$/);
  assert.ok(writes >= 4, `writes around the backup: ${writes}`);
  // the same file is not overwritten
  const again = await cli('backup', '--out', file);
  assert.equal(again.code, 1);
  assert.match(again.err, /exists/);

  const r = await cli('restore', '--from', file, '--db', restored);
  assert.equal(r.code, 0, r.err);
  const v = await cli('audit', 'verify', '--db', restored);
  assert.equal(v.code, 0, v.out + v.err);
  const n = Number(/ok: (\d+) entries verified/.exec(v.out)[1]);
  const head = /seq (\d+) hash ([0-9a-f]{64})/.exec((await cli('audit', 'head', '--db', restored)).out);
  assert.equal(Number(head[1]), n);
  assert.ok(n >= before, `the backup holds what was written before it began (${n} ≥ ${before})`);
  // the live chain went on past it, and holds the restored head: one consistent moment
  const live = Number(sql('SELECT seq FROM audit_head'));
  assert.ok(live > n, `entries written after the backup (${live} > ${n})`);
  const lv = await cli('audit', 'verify', '--expect', head[2]);
  assert.equal(lv.code, 0, lv.out + lv.err);
  assert.equal(sqlOn(restored, `SELECT COUNT(*) FROM audit_log WHERE seq <= ${n}`), String(n));
  for (const [table, q] of Object.entries(STABLE)) assert.equal(sqlOn(restored, q), sql(q), table);

  // a restore into a database that is not new is refused, and leaves it as it was
  const twice = await cli('restore', '--from', file, '--db', restored);
  assert.equal(twice.code, 1);
  assert.equal(Number(sqlOn(restored, 'SELECT seq FROM audit_head')), n);
  // what is not a backup is refused, and nothing is created
  fs.writeFileSync(`${WORK}/not-a-backup`, 'hello');
  const bad = await cli('restore', '--from', `${WORK}/not-a-backup`, '--db', `sqlite:${WORK}/never.db`);
  assert.equal(bad.code, 1);
  assert.ok(!fs.existsSync(`${WORK}/never.db`));

  // a server on the restored database serves the demo logins
  const srv = await startServer(['--db', restored]);
  try {
    const li = await apiAt(srv.url, 'POST', '/api/v1/session', { body: { username: 'insurer', password: DEMO_PASSWORD } });
    assert.equal(li.status, 200, li.text);
  } finally {
    await srv.stop();
  }
  if (pg) sql('DROP DATABASE cyberins_restored WITH (FORCE)');
});
