// simulation.mjs — role-matrix rows of portfolio simulations: the insurer
// and the two national operators may run and read them; nobody else.
import assert from 'node:assert/strict';
import { as } from '../lib/http.mjs';

export const ID = {};

export async function setup(S) {
  const r = await as(S.insurer, 'POST', '/api/v1/simulations', { body: { years: 10, seed: 7, portfolio: 'demo' } });
  assert.equal(r.status, 202, r.text);
  ID.sim = r.json.id;
}

const run = () => ({ years: 10, seed: 1, portfolio: 'demo' });

export const ROWS = [
  //                                                                          anon miit nisc gdp gdca gz gzm gzv sz hz ins insuw sec entgz enthz exp2
  ['POST', '/api/v1/simulations', () => '/api/v1/simulations', run, 202, 'uaafffffffaaffff'],
  ['GET', '/api/v1/simulations', () => '/api/v1/simulations', null, 200, 'uaafffffffaaffff'],
  ['GET', '/api/v1/simulations/{id}', () => `/api/v1/simulations/${ID.sim}`, null, 200, 'uaafffffffaaffff'],
];
