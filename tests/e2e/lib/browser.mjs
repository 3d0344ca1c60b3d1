// lib/browser.mjs — start Debian's Chromium through playwright-core and open
// pages that record every console error, uncaught exception, CSP violation
// and failed same-origin response, so a browser test can assert "none".
//
// Used by tests/e2e/*.test.mjs; needs BASE_URL (a running cyberins server)
// and /usr/bin/chromium (or CHROMIUM=/path). Never starts the server itself.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Flags: no sandbox (containers run as root), and nothing that talks to the
// network or background services on its own — the test machine is offline.
export const CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-component-update',
    '--disable-sync',
];

// BASE_URL without a trailing slash; throws when unset so a misconfigured
// harness fails loudly instead of skipping.
export function baseUrl() {
    const url = process.env.BASE_URL;
    if (!url) throw new Error('BASE_URL is not set (e.g. BASE_URL=http://127.0.0.1:18080)');
    return url.replace(/\/+$/, '');
}

export function launchBrowser() {
    return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// CSS selector for a data-testid.
export function tid(id) {
    return `[data-testid="${id}"]`;
}

// The one failed request every page may make: the shell asks GET
// /api/v1/me on load, and an anonymous visitor gets 401 "unauthenticated".
// The app handles it (no error of its own), but Chromium itself logs any
// failed resource load as a console error ("Failed to load resource: the
// server responded with a status of 401"), so exactly that answer is moved
// from `problems` to `expected` here. Nothing else is filtered unless a test
// says beforehand that it provokes it (expectFailure).
const ALWAYS_EXPECTED = [{ method: 'GET', path: '/api/v1/me', status: 401 }];

// A fresh context + page whose problems land in the returned array:
// {kind: 'console'|'pageerror'|'csp'|'http', text}. Options go to newContext
// (viewport, locale, …). Returns {context, page, problems, expected,
// expectFailure}: expectFailure({method, path, status}) declares a failed
// request the test provokes on purpose (a wrong password → POST
// /api/v1/session 401); status may be a number or a function(status) → bool.
// Such failures (the response and Chromium's console line for it) go to
// `expected` instead of `problems`, so a test can also assert they happened.
//
// Pages run with prefers-reduced-motion: reduce, so app.css keeps the default
// instant scrolling instead of `scroll-behavior: smooth`. playwright-core 1.61
// (the last release for Node.js 18, Debian 12's) retries a click on an element
// that is "not stable" with a native scrollIntoView that a smooth page animates,
// and the click then lands beside its target (microsoft/playwright#42625, fixed
// in releases that need Node.js 20): under load the browser test failed so.
export async function openPage(browser, contextOptions = {}) {
    const context = await browser.newContext({ locale: 'zh-CN', reducedMotion: 'reduce', ...contextOptions });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems = [];
    const expected = [];
    const allowed = [...ALWAYS_EXPECTED];
    const origin = new URL(baseUrl()).origin;

    const matches = (url, status, method) => {
        let u;
        try {
            u = new URL(url);
        } catch {
            return false;
        }
        if (u.origin !== origin) return false;
        return allowed.some((a) =>
            a.path === u.pathname &&
            (method === null || !a.method || a.method === method) &&
            (typeof a.status === 'function' ? a.status(status) : a.status === status));
    };

    page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const text = msg.text();
        // Chromium's own line for a failed load: the URL is the location.
        const m = /^Failed to load resource: the server responded with a status of (\d+)/.exec(text);
        if (m && matches(msg.location()?.url ?? '', Number(m[1]), null)) {
            expected.push({ kind: 'console', text: `${text} ${msg.location().url}` });
            return;
        }
        problems.push({ kind: 'console', text });
    });
    page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: String(err?.stack || err) }));
    page.on('response', (res) => {
        if (res.status() >= 400 && res.url().startsWith(origin)) {
            const entry = { kind: 'http', text: `${res.status()} ${res.request().method()} ${res.url()}` };
            if (matches(res.url(), res.status(), res.request().method())) expected.push(entry);
            else problems.push(entry);
        }
    });
    // Injected by the browser itself (not a page script), so the CSP under
    // test does not block it. Violations are reported to the test through a
    // binding as they happen.
    await page.exposeBinding('__reportCspViolation', (_source, v) =>
        problems.push({ kind: 'csp', text: `${v.directive} blocked ${v.blocked} at ${v.source}` }));
    await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
            window.__reportCspViolation({
                directive: e.violatedDirective,
                blocked: e.blockedURI || '(inline)',
                source: `${e.sourceFile || ''}:${e.lineNumber || 0}`,
            });
        });
    });
    const expectFailure = ({ method = null, path, status }) => {
        allowed.push({ method, path, status });
    };
    return { context, page, problems, expected, expectFailure };
}

// Wait until the mount point with this data-testid leaves data-state=loading;
// throw with the page's own error text when it ended in data-state=error.
export async function waitReady(page, id) {
    const sel = tid(id);
    await page.waitForFunction(
        (s) => {
            const n = document.querySelector(s);
            return n && n.dataset.state && n.dataset.state !== 'loading';
        },
        sel,
        { timeout: 10_000 }
    );
    const { state, text } = await page.$eval(sel, (n) => ({ state: n.dataset.state, text: n.textContent }));
    if (state !== 'ready') throw new Error(`${id} ended in state "${state}": ${text.trim()}`);
}

// Call the API from inside the page (same origin, the page's cookies), so a
// test compares what the page shows with what the server answers to the same
// user: → {status, body} (body null for an empty answer).
export function pageFetch(page, path, { method = 'GET', body, headers = {} } = {}) {
    return page.evaluate(async ({ path, method, body, headers }) => {
        const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' };
        if (body !== undefined) {
            init.headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        const res = await fetch(path, init);
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null };
    }, { path, method, body, headers });
}

// Every item of a list resource, fetched from inside the page.
export async function pageFetchAll(page, path) {
    const items = [];
    let cursor = null;
    for (let i = 0; i < 100; i++) {
        const sep = path.includes('?') ? '&' : '?';
        const res = await pageFetch(page, cursor === null ? path : `${path}${sep}cursor=${encodeURIComponent(cursor)}`);
        if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        items.push(...res.body.items);
        if (res.body.next === null || res.body.next === undefined) return items;
        cursor = res.body.next;
    }
    throw new Error(`${path}: the list never ended`);
}

// Log in through the login page and wait for the home page with what waits for the user.
export async function loginAs(page, base, username, password = 'Demo-2024-cyberins') {
    await page.goto(`${base}/login.html`, { waitUntil: 'load' });
    await waitReady(page, 'login-view');
    await page.fill(tid('login-username'), username);
    await page.fill(tid('login-password'), password);
    await Promise.all([
        page.waitForURL((u) => u.pathname === '/'),
        page.click(tid('login-submit')),
    ]);
    await waitReady(page, 'home-todo');
}

// One Chromium for a describe(): launched before its tests and closed after
// them with every page opened through it, also when a test failed. Returns
// {base, browser, open(contextOptions), openAs(username, options)}, filled in
// by the time the describe's own before() runs: open() is openPage() on a
// 1280×900 screen unless contextOptions say otherwise (defaults: more
// options for every page of the describe, such as acceptDownloads);
// openAs() opens one and logs username in (options: password and context
// options).
export function useBrowser(defaults = {}) {
    const ctx = { base: null, browser: null, opened: [] };
    before(async () => {
        ctx.base = baseUrl();
        ctx.browser = await launchBrowser();
    }, { timeout: 60_000 });
    after(async () => {
        for (const o of ctx.opened) await o.context.close().catch(() => {});
        await ctx.browser?.close().catch(() => {});
    });
    ctx.open = async (contextOptions = {}) => {
        const o = await openPage(ctx.browser, { viewport: { width: 1280, height: 900 }, ...defaults, ...contextOptions });
        ctx.opened.push(o);
        return o;
    };
    ctx.openAs = async (username, { password, ...contextOptions } = {}) => {
        const o = await ctx.open(contextOptions);
        await loginAs(o.page, ctx.base, username, password);
        return o;
    };
    return ctx;
}

// The trimmed text of the element with this data-testid.
export async function textOf(page, id) {
    return (await page.textContent(tid(id))).trim();
}

// No ⟦key⟧ on the page: every string it shows is in the dictionary.
export async function noMissingStrings(page) {
    assert.equal(await page.evaluate(() => document.body.textContent.includes('⟦')), false,
        'a string is missing from the dictionary');
}

// The page scrolls no wider than width pixels.
export async function fitsWidth(page, width) {
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= width, `${page.url()} is ${w}px wide at a ${width}px viewport`);
}

// On a phone (360×740) logged in as username, through b (useBrowser): the
// page after the login and the page at path (its view ready) fit the screen,
// without a problem.
export async function assertFitsPhone(b, username, path, view) {
    const small = await b.openAs(username, { viewport: { width: 360, height: 740 } });
    await fitsWidth(small.page, 360);
    await small.page.goto(`${b.base}${path}`, { waitUntil: 'load' });
    await waitReady(small.page, view);
    await fitsWidth(small.page, 360);
    assert.deepEqual(small.problems, []);
}

// Click the header's language toggle and wait for the switch to land.
export async function toggleLang(page, to) {
    await page.click(tid('lang-toggle'));
    await page.waitForFunction((lang) => document.documentElement.lang === lang, to);
}
