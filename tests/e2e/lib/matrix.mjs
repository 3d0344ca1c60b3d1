// matrix.mjs — the role matrix: every operation of docs/openapi.json, called
// by every caller of WHO, answered as the ONE role × action table of
// core/authz.c says. The table is read from `cyberins authz --json` (the
// program's own copy, not a running server's answer, and never a second copy
// written here); visibility is the record's, stated by each row.
//
// A row (tests/e2e/matrix/*.mjs export ROWS and setup(S)) is an object:
//
//   op      'METHOD /openapi/path' — the operation, exactly as in docs/openapi.json
//   path    () => the actual path (default: op's path as it is)
//   body    () => the JSON body, or omitted; called once per caller, in WHO order
//   ok      the status an allowed caller gets (200, 201, 204, or the 4xx a rule
//           of the capability answers once role and visibility let the call through)
//   action  the action of core/authz.c the operation needs ('quote.apply'), or
//           'login' (any logged-in caller) or 'public' (anyone, no login)
//   sees    who sees the record the row acts on (default: every logged-in
//           caller): a list of caller names (meaning the caller's whole
//           organisation), OPERATORS (ministry and support center),
//           region(code[, types]) (the regional authorities whose region covers
//           code: province and comm_admin by the first two digits, a city by
//           the first four) and ofType(...types)
//   acts    of those who see the record and hold the action, the ones this
//           record lets act (default: all of them): the owner of a draft, the
//           lead of a scheme, the holder of a package — the same vocabulary
//   roleFirst  true when the operation asks the table before it looks at the
//           record (a create naming another organisation's record, a
//           resource whose whole kind a role may not read): a caller the
//           table refuses gets 403 whatever it sees
//   except  { caller: status } for an answer a rule of the capability decides
//           past role and visibility (say which rule in a comment)
//
// What each caller must get follows, in this order: 'public' → ok;
// anon → 401; (roleFirst: not allowed the action by the table → 403);
// outside sees → 404 (a hidden record looks absent, whatever the role);
// not allowed the action by the table → 403; outside acts → 403; else ok;
// except overrides all of these. So a handler that forgets its permission check answers 2xx
// where the table says 403 and the row fails; an operation added to
// docs/openapi.json without a row fails the suite, and so do a row naming an
// action the table does not have and an action of the table no row needs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { as } from './http.mjs';

// The callers, one column each (anon = no session).
export const WHO = ['anon', 'miit', 'nisc', 'gd-prov', 'gd-ca', 'gz-city', 'gz-city-member',
  'gz-city-viewer', 'sz-city', 'hz-city', 'insurer', 'insurer-uw', 'secfirm', 'ent-gz',
  'ent-hz', 'expert2'];

// The table of core/authz.c: action name → Set of "org_type/role" that may take it.
export function loadTable(bin = process.env.CYBERINS_BIN) {
  const r = spawnSync(bin, ['authz', '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cyberins authz --json: ${r.status} ${r.stderr}`);
  const table = new Map();
  for (const a of JSON.parse(r.stdout).actions) {
    const who = new Set();
    for (const [type, roles] of Object.entries(a.allowed)) for (const role of roles) who.add(`${type}/${role}`);
    table.set(a.name, who);
  }
  return table;
}

// A caller as the rules see it, from its login answer.
export function callerOf(name, me) {
  return { name, type: me.organisation.type, role: me.user.role, org: me.organisation.id,
    region: me.organisation.region_code };
}

// Callers by the type of their organisation.
export const ofType = (...types) => (c) => types.includes(c.type);

// The ministry and the support center.
export const OPERATORS = ofType('ministry', 'support_center');

// The regional authorities of types whose region covers code (DOMAIN.md §1).
export function region(code, types = ['province', 'comm_admin', 'city']) {
  return (c) => {
    if (!types.includes(c.type)) return false;
    const n = c.type === 'city' && !c.region.endsWith('0000') ? 4 : 2;
    return code.startsWith(c.region.slice(0, n));
  };
}

// 1 when caller c is one of list (names: their organisation; functions: predicates).
function among(list, c, callers) {
  return list.some((x) => (typeof x === 'function' ? x(c) : callers[x]?.org === c.org));
}

// The status caller `who` must get for row, given the table and every caller's facts.
export function expected(row, who, table, callers) {
  if (row.except && who in row.except) return row.except[who];
  if (row.action === 'public') return row.ok;
  if (who === 'anon') return 401;
  const c = callers[who];
  const allowed = row.action === 'login' || table.get(row.action).has(`${c.type}/${c.role}`);
  if (row.roleFirst && !allowed) return 403;
  if (row.sees && !among(row.sees, c, callers)) return 404;
  if (!allowed) return 403;
  if (row.acts && !among(row.acts, c, callers)) return 403;
  return row.ok;
}

// A row's problems before any call: an unknown action, a malformed op.
export function rowProblems(row, table) {
  const p = [];
  if (!/^(GET|POST|PUT|PATCH|DELETE) \/\S*$/.test(row.op)) p.push(`op "${row.op}" is not "METHOD /path"`);
  if (!['public', 'login'].includes(row.action) && !table.has(row.action))
    p.push(`action "${row.action}" is not in core/authz.c's table`);
  if (typeof row.ok !== 'number') p.push('ok is not a status');
  for (const w of Object.keys(row.except || {})) if (!WHO.includes(w)) p.push(`except names ${w}, not a caller`);
  return p;
}

// ent-gz's engagement of secfirm that the rows expect in force: the demo's
// scopes (data/demo/monitor.json) — secfirm acts for ent-gz in underwriting
// (assessments, quotes) and monitoring, not in claims (claims.mjs). Earlier
// e2e files end or replace it (one is in force per pair), so each setup that
// needs it calls this: the one in force is kept when its scopes are these,
// otherwise ended and this one granted.
export const SECFIRM_SCOPES = ['assessment', 'quotes', 'monitoring'];

export async function engageSecfirm(S) {
  const secfirm = S.secfirm.me.organisation.id;
  const mine = await as(S['ent-gz'], 'GET', '/api/v1/engagements?active=true&limit=500');
  assert.equal(mine.status, 200, mine.text);
  const now = mine.json.items.filter((x) => x.service_org.id === secfirm);
  if (now.length === 1 && [...now[0].scopes].sort().join() === [...SECFIRM_SCOPES].sort().join()) return now[0].id;
  for (const e of now) assert.equal((await as(S['ent-gz'], 'POST', `/api/v1/engagements/${e.id}/end`)).status, 200);
  const r = await as(S['ent-gz'], 'POST', '/api/v1/engagements', { body: { service_org_id: secfirm, scopes: SECFIRM_SCOPES } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
