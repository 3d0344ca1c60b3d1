// simulation.test.mjs — portfolio simulations through the API: queued,
// run by the server's job worker, results as `cyberins simulate` writes
// them; the same seed gives the same numbers; bad requests and a malformed
// exposure file are refused with the field (and the line) named.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { as, assertError, login } from './lib/http.mjs';

let insurer, miit, uw;

before(async () => {
  insurer = await login('insurer');
  uw = await login('insurer-uw');
  miit = await login('miit');
});

async function waitDone(session, id) {
  for (let i = 0; i < 600; i++) {
    const r = await as(session, 'GET', `/api/v1/simulations/${id}`);
    assert.equal(r.status, 200, r.text);
    if (r.json.status === 'done' || r.json.status === 'failed') return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`simulation ${id} did not finish`);
}

const EXPOSURE = fs.readFileSync(new URL('../../data/demo/portfolio.csv', import.meta.url), 'utf8')
  .split('\n').filter((l) => !l.startsWith('#')).slice(0, 21).join('\n') + '\n';

test('a simulation is queued, run by the worker and answers its EP table', async () => {
  const r = await as(insurer, 'POST', '/api/v1/simulations', { body: { years: 2000, seed: 42, portfolio: 'demo' } });
  assert.equal(r.status, 202, r.text);
  assert.ok(['queued', 'running', 'done'].includes(r.json.status), r.json.status); // the worker may already have it
  assert.deepEqual(r.json.params, { years: 2000, seed: 42, portfolio: 'demo', catalogue: true });
  const done = await waitDone(insurer, r.json.id);
  assert.equal(done.status, 'done', done.error);
  assert.equal(done.progress, 1);
  const res = done.result;
  assert.equal(res.years, 2000);
  assert.equal(res.seed, 42);
  assert.equal(res.portfolio.source, 'demo');
  assert.equal(res.portfolio.policies, 200);
  assert.deepEqual(res.ep.map((e) => e.return_period), [10, 50, 100, 200, 250, 500, 1000]);
  for (let i = 1; i < res.ep.length; i++) {
    assert.ok(res.ep[i].aep_insured >= res.ep[i - 1].aep_insured, 'AEP grows with the return period');
    assert.ok(res.ep[i].aep_insured >= res.ep[i].oep_insured, 'AEP ≥ OEP');
  }
  assert.ok(res.aal.insured > 0 && res.aal.insured < res.aal.ground_up);
  assert.ok(res.tvar.insured_99_5 >= res.ep.find((e) => e.return_period === 200).aep_insured);
  // the same seed, run again, gives the same numbers to the fen
  const again = await as(insurer, 'POST', '/api/v1/simulations', { body: { years: 2000, seed: 42, portfolio: 'demo' } });
  const done2 = await waitDone(insurer, again.json.id);
  assert.deepEqual(done2.result, res);
  // a member of the insurer reads it; the ministry too
  assert.equal((await as(uw, 'GET', `/api/v1/simulations/${r.json.id}`)).status, 200);
  const list = await as(miit, 'GET', '/api/v1/simulations');
  assert.ok(list.json.items.some((s) => s.id === r.json.id));
  assert.ok(list.json.items.every((s) => s.result === undefined), 'lists carry no results');
});

test('an exposure file of the client is simulated; without the catalogue only attritional losses', async () => {
  const r = await as(insurer, 'POST', '/api/v1/simulations', { body: { years: 500, seed: 3, portfolio: 'exposure', exposure_csv: EXPOSURE, catalogue: false } });
  assert.equal(r.status, 202, r.text);
  const done = await waitDone(insurer, r.json.id);
  assert.equal(done.status, 'done', done.error);
  assert.equal(done.result.portfolio.policies, 20);
  assert.equal(done.result.portfolio.source, 'exposure');
  assert.equal(done.result.aal.insured_systemic, 0);
  assert.equal(done.result.counts.systemic_occurrences, 0);
});

test('bad requests are refused naming the field', async () => {
  const p = '/api/v1/simulations';
  assertError(await as(insurer, 'POST', p, { body: { years: 0, seed: 1, portfolio: 'demo' } }), 422, 'years_range', 'years');
  assertError(await as(insurer, 'POST', p, { body: { years: 200001, seed: 1, portfolio: 'demo' } }), 422, 'years_range', 'years');
  assertError(await as(insurer, 'POST', p, { body: { years: 10, seed: -1, portfolio: 'demo' } }), 422, 'seed_negative', 'seed');
  assertError(await as(insurer, 'POST', p, { body: { years: 10, seed: 1, portfolio: 'mine' } }), 422, 'portfolio_unknown', 'portfolio');
  assertError(await as(insurer, 'POST', p, { body: { years: 10, seed: 1, portfolio: 'exposure' } }), 422, 'missing_field', 'exposure_csv');
  assertError(await as(insurer, 'POST', p, { body: { years: 10, seed: 1, portfolio: 'demo', exposure_csv: 'x' } }), 422, 'exposure_unexpected', 'exposure_csv');
  assertError(await as(insurer, 'POST', p, { body: { years: 10, seed: 1 } }), 400, 'missing_field', 'portfolio');
  assertError(await as(insurer, 'POST', p, { body: { years: '10', seed: 1, portfolio: 'demo' } }), 400, 'wrong_type', 'years');
  assertError(await as(insurer, 'GET', '/api/v1/simulations/999999'), 404, 'not_found', 'id');
});

test('a malformed exposure file fails the job with its line and field', async () => {
  const lines = EXPOSURE.split('\n');
  lines[3] = lines[3].replace(/,CN,[0-9.]+,/, ',CN,-5,');
  const r = await as(insurer, 'POST', '/api/v1/simulations', { body: { years: 10, seed: 1, portfolio: 'exposure', exposure_csv: lines.join('\n') } });
  assert.equal(r.status, 202);
  const done = await waitDone(insurer, r.json.id);
  assert.equal(done.status, 'failed');
  assert.equal(done.result, null);
  assert.match(done.error, /AnnualRevenue/);
  assert.match(done.error, /4/);
});
