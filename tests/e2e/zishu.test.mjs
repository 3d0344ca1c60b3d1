/*
 * zishu.test.mjs — web/js/zishu.js against the vectors the C unit test
 * also runs (tests/vectors/zishu.json), so the browser's live count and the
 * server's check agree. Needs only node:test; never a server or a browser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { countZishu } from '../../web/js/zishu.js';

const here = dirname(fileURLToPath(import.meta.url));
const vectors = JSON.parse(readFileSync(join(here, '..', 'vectors', 'zishu.json'), 'utf8'));

test('the vector file holds at least 30 vectors', () => {
  assert.ok(Array.isArray(vectors));
  assert.ok(vectors.length >= 30, `only ${vectors.length} vectors`);
});

for (const [i, v] of vectors.entries()) {
  test(`vector ${i}: ${v.note}`, () => {
    assert.equal(countZishu(v.text), v.count);
  });
}

test('null and undefined count as empty text', () => {
  assert.equal(countZishu(null), 0);
  assert.equal(countZishu(undefined), 0);
});
