/*
 * strings.test.mjs — the UI's string tables, web/js/strings/zh-CN.js and
 * en.js: both languages hold the same keys in the same capability
 * sections with the same {placeholders}, no key is defined in two sections,
 * and every key the code names literally (t('key'), data-i18n="key",
 * title: 'key', forbidden: 'key') exists. Needs no server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import zh from '../../web/js/strings/zh-CN.js';
import en from '../../web/js/strings/en.js';

const WEB_JS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../web/js');

// {key: section}, failing on a key in two sections.
function sectionsOf(table, lang) {
    const out = new Map();
    for (const [section, entries] of Object.entries(table)) {
        for (const key of Object.keys(entries)) {
            assert.ok(!out.has(key), `${lang}: ${key} is in sections ${out.get(key)} and ${section}`);
            out.set(key, section);
        }
    }
    return out;
}

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('both languages have the same sections, keys and placeholders', () => {
    assert.deepEqual(Object.keys(en), Object.keys(zh));
    const z = sectionsOf(zh, 'zh-CN');
    const e = sectionsOf(en, 'en');
    assert.deepEqual([...e.keys()].filter((k) => !z.has(k)), [], 'keys only in en');
    assert.deepEqual([...z.keys()].filter((k) => !e.has(k)), [], 'keys only in zh-CN');
    for (const [key, section] of z) {
        assert.equal(e.get(key), section, `${key} is in section ${section} in zh-CN but ${e.get(key)} in en`);
        const zt = zh[section][key];
        const et = en[section][key];
        assert.equal(typeof zt, 'string', key);
        assert.ok(zt.length > 0 && et.length > 0, `${key} is empty`);
        assert.deepEqual(placeholders(et), placeholders(zt), `${key}: placeholders differ`);
    }
});

test('every key the code names literally is in the tables', () => {
    const keys = sectionsOf(zh, 'zh-CN');
    const files = [];
    const walk = (dir) => {
        for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, f.name);
            if (f.isDirectory()) walk(p);
            else if (p.endsWith('.js') && !p.includes(`${path.sep}strings${path.sep}`)) files.push(p);
        }
    };
    walk(WEB_JS);
    const missing = [];
    let named = 0;
    const literal = /\bt\('([A-Za-z0-9_.]+)'|'data-i18n': '([A-Za-z0-9_.]+)'|\b(?:title|forbidden): '([A-Za-z0-9_.]+)'|:([A-Za-z]+\.[A-Za-z0-9_.]+)['";]/g;
    for (const f of files) {
        // comments name keys as examples ('key', title.NAME): not code
        const src = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
        for (const m of src.matchAll(literal)) {
            const key = m[1] ?? m[2] ?? m[3] ?? m[4];
            named++;
            if (!keys.has(key)) missing.push(`${path.relative(WEB_JS, f)}: ${key}`);
        }
    }
    assert.ok(named > 500, `only ${named} literal keys found: the pattern no longer matches the code`);
    assert.deepEqual(missing, []);
});
