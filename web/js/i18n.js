// i18n.js — the current language and t(), over the string tables
// strings/zh-CN.js and strings/en.js (one per language, a section per
// capability: a page's strings go in its capability's section of both).
//
// Every string a user can see comes from those tables through t(); nothing
// visible is written as a literal in a page module. Markup built by the shell
// names its string with data-i18n="key" (text) or data-i18n-attr="attr:key;…"
// (attributes such as aria-label), and applyStatic() fills them in. Dynamic
// views call t() while rendering and re-render on onLangChange().
//
// Must never depend on: api.js, any page module, the network.

import zhCN from './strings/zh-CN.js';
import en from './strings/en.js';

export const LANGS = Object.freeze(['zh-CN', 'en']);
export const DEFAULT_LANG = 'zh-CN';
const STORAGE_KEY = 'cyberins.lang';

// The string tables, one per language, each in sections by capability.
const DICT = Object.freeze({ 'zh-CN': merge('zh-CN', zhCN), en: merge('en', en) });

// {section: {key: text}} → {key: text}; a key in two sections is a mistake
// (one capability would silently change another's text), so it throws.
function merge(lang, sections) {
    const out = {};
    for (const [section, entries] of Object.entries(sections)) {
        for (const [k, v] of Object.entries(entries)) {
            if (k in out) throw new Error(`strings/${lang}.js: key ${k} of section ${section} is already defined`);
            out[k] = v;
        }
    }
    return out;
}

let current = readStored();
const listeners = new Set();

function readStored() {
    try {
        const v = globalThis.localStorage?.getItem(STORAGE_KEY);
        return LANGS.includes(v) ? v : DEFAULT_LANG;
    } catch {
        return DEFAULT_LANG; // storage disabled: fall back quietly
    }
}

export function getLang() {
    return current;
}

// t('key', {name: value}) → the string for the current language with {name}
// replaced. A missing key shows as ⟦key⟧ so it is caught on screen and in tests.
export function t(key, params) {
    const s = DICT[current][key] ?? DICT[DEFAULT_LANG][key];
    if (s === undefined) return `⟦${key}⟧`;
    if (!params) return s;
    return s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export function has(key) {
    return key in DICT[current] || key in DICT[DEFAULT_LANG];
}

// The server's messages are written "中文 / English"; show the half that
// matches the language, or the whole message when it has no such split. The
// split is the first "/" followed by a space (the space before it may be
// missing after full-width punctuation: "（当前 3 个）/ password …"); a "/"
// inside a word ("GB/T 2260") is not one.
export function pickBilingual(message) {
    const s = String(message ?? '');
    const m = /\s?\/\s/.exec(s);
    if (!m) return s;
    return current === 'en' ? s.slice(m.index + m[0].length).trim() : s.slice(0, m.index).trim();
}

export function setLang(lang) {
    if (!LANGS.includes(lang) || lang === current) return;
    current = lang;
    try {
        globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
        // storage disabled: the choice lasts for this page only
    }
    applyStatic(document);
    for (const fn of listeners) fn(lang);
}

export function toggleLang() {
    setLang(current === 'zh-CN' ? 'en' : 'zh-CN');
}

// fn(lang) runs after every language change; returns an unsubscribe function.
export function onLangChange(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
}

// Fill every data-i18n / data-i18n-attr element under root, set <html lang>
// and the document title.
export function applyStatic(root) {
    document.documentElement.lang = current;
    // <body data-title-key="title.login"> puts the page's name first.
    const pageKey = document.body?.dataset.titleKey;
    document.title = pageKey ? `${t(pageKey)} · ${t('app.docTitle')}` : t('app.docTitle');
    for (const el of root.querySelectorAll('[data-i18n]')) {
        el.textContent = t(el.dataset.i18n);
    }
    for (const el of root.querySelectorAll('[data-i18n-attr]')) {
        for (const pair of el.dataset.i18nAttr.split(';')) {
            const [attr, key] = pair.split(':').map((x) => x.trim());
            if (attr && key) el.setAttribute(attr, t(key));
        }
    }
}
