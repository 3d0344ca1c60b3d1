// lib/browser.mjs — start Debian's Chromium through playwright-core and open
// pages that record every console error, uncaught exception, CSP violation
// and failed same-origin response, so a browser test can assert "none".
//
// Used by tests/e2e/*.test.mjs; needs BASE_URL (a running cyberins server)
// and /usr/bin/chromium (or CHROMIUM=/path). Never starts the server itself.

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

// A fresh context + page whose problems land in the returned array:
// {kind: 'console'|'pageerror'|'csp'|'http', text}. Options go to newContext
// (viewport, locale, …).
export async function openPage(browser, contextOptions = {}) {
    const context = await browser.newContext({ locale: 'zh-CN', ...contextOptions });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems = [];
    const origin = new URL(baseUrl()).origin;

    page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push({ kind: 'console', text: msg.text() });
    });
    page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: String(err?.stack || err) }));
    page.on('response', (res) => {
        if (res.status() >= 400 && res.url().startsWith(origin)) {
            problems.push({ kind: 'http', text: `${res.status()} ${res.url()}` });
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
    return { context, page, problems };
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
