// simulation.mjs — role-matrix rows of portfolio simulations: the insurer
// and the two national operators may run and read them; nobody else.
import assert from 'node:assert/strict';
import { as } from '../lib/http.mjs';
import { OPERATORS } from '../lib/matrix.mjs';

export const ID = {};

export async function setup(S) {
  const r = await as(S.insurer, 'POST', '/api/v1/simulations', { body: { years: 10, seed: 7, portfolio: 'demo' } });
  assert.equal(r.status, 202, r.text);
  ID.sim = r.json.id;
}

const run = () => ({ years: 10, seed: 1, portfolio: 'demo' });

// The row format: tests/e2e/lib/matrix.mjs. A simulation is its organisation's; the
// operators see every one.
export const ROWS = [
  { op: 'POST /api/v1/simulations', body: run, ok: 202, action: 'sim.run' },
  { op: 'GET /api/v1/simulations', ok: 200, action: 'sim.read' },
  { op: 'GET /api/v1/simulations/{id}', path: () => `/api/v1/simulations/${ID.sim}`, ok: 200, action: 'sim.read',
    sees: [OPERATORS, 'insurer'], roleFirst: true },
];
