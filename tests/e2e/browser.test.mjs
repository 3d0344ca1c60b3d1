// browser.test.mjs — the web UI in real Chromium against a real server.
//
//   BASE_URL=http://127.0.0.1:18080 node --test tests/e2e/browser.test.mjs
//
// The server must already be running on a demo database (the e2e harness
// starts it; demo users share the password Demo-2024-cyberins). Each page
// must show what the API answers to the same user, switch language without
// a reload, and produce no console error, uncaught exception, CSP violation
// or failed request — except the failures a test provokes on purpose and
// declares with expectFailure (see lib/browser.mjs).
//
// All browser tests live in this one file: tests/e2e/run.sh runs only this
// file in browser mode, and every other *.test.mjs in the API modes.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    baseUrl, launchBrowser, openPage, tid, waitReady, pageFetch, pageFetchAll, loginAs,
    useBrowser, textOf, noMissingStrings, fitsWidth, toggleLang, assertFitsPhone,
} from './lib/browser.mjs';

const T = { timeout: 30_000 };

describe('home page', { timeout: 180_000 }, () => {
    let base;
    let browser;
    let context;
    let page;
    let problems;

    before(async () => {
        base = baseUrl();
        browser = await launchBrowser();
        ({ context, page, problems } = await openPage(browser, { viewport: { width: 1280, height: 900 } }));
        await page.goto(`${base}/`, { waitUntil: 'load' });
    }, { timeout: 60_000 });

    after(async () => {
        // Runs on failure too: never leave a Chromium behind.
        await context?.close().catch(() => {});
        await browser?.close().catch(() => {});
    });

    const textOf = (id) => page.textContent(tid(id)).then((s) => s.trim());

    test('the server sends the page with the strict Content-Security-Policy', T, async () => {
        // Without it the "no CSP violation" check below would prove nothing.
        const res = await fetch(`${base}/`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
        const csp = res.headers.get('content-security-policy') ?? '';
        for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'",
            "frame-ancestors 'none'", "base-uri 'none'"]) {
            assert.ok(csp.includes(directive), `CSP lacks ${directive}: ${csp}`);
        }
        assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
        const js = await fetch(`${base}/js/app.js`);
        assert.equal(js.status, 200);
        assert.match(js.headers.get('content-type') ?? '', /^(text|application)\/javascript/);
    });

    test('header names the platform and cites the pilot notice', T, async () => {
        assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
        assert.equal(await textOf('app-title'), '网络安全保险服务平台');
        assert.equal(await page.title(), '网络安全保险服务平台 cyberins');
        assert.match(await textOf('notice'), /工信厅网安函〔2023〕356号/);
        assert.equal(await page.locator('h1').count(), 1);
        assert.equal(await page.isHidden(tid('page-error')), true);
    });

    test('status panel shows health ok, and an anonymous visitor neither the database kind nor the version', T, async () => {
        await page.waitForFunction((s) => document.querySelector(s)?.dataset.status !== 'unknown',
            tid('status-health'));
        assert.equal(await page.getAttribute(tid('status-health'), 'data-status'), 'ok');
        assert.equal(await textOf('status-health'), '正常');
        await page.waitForFunction((s) => document.querySelector(s)?.textContent.trim() !== '—', tid('status-time'));
        // issue 12: the database kind and version are not for anonymous visitors
        assert.equal(await page.locator(tid('status-backend')).count(), 0);
        assert.equal(await page.locator(tid('status-version')).count(), 0);
        const res = await fetch(`${base}/api/v1/meta`);
        assert.equal(res.status, 200);
        const meta = await res.json();
        const body = await page.textContent('main');
        assert.ok(!body.includes(meta.version), `the page shows the version ${meta.version}`);
        assert.equal(await page.isHidden(tid('status-error')), true);
    });

    test('a logged-in visitor sees the backend and version of /api/v1/meta', T, async () => {
        const o = await openPage(browser, { viewport: { width: 1280, height: 900 } });
        try {
            await loginAs(o.page, base, 'gz-city');
            await o.page.goto(`${base}/`, { waitUntil: 'load' });
            const meta = (await pageFetch(o.page, '/api/v1/meta')).body;
            await o.page.waitForFunction((s) => document.querySelector(s)?.dataset.backend, tid('status-backend'));
            assert.equal(await o.page.getAttribute(tid('status-backend'), 'data-backend'), meta.backend);
            assert.equal((await o.page.textContent(tid('status-backend'))).trim().toLowerCase(), meta.backend);
            assert.equal((await o.page.textContent(tid('status-version'))).trim(), meta.version);
            assert.deepEqual(o.problems, []);
        } finally {
            await o.context.close();
        }
    });

    test('coverages table has the 13 coverages, 营业中断损失 with a waiting period', T, async () => {
        await waitReady(page, 'coverages');
        const rows = await page.$$eval(`${tid('coverages-table')} tbody tr`, (trs) =>
            trs.map((tr) => ({
                code: tr.dataset.code,
                name: tr.querySelector('[data-testid="coverage-name"]').textContent,
                cls: tr.querySelector('[data-testid="coverage-class"]').dataset.class,
                waiting: tr.querySelector('[data-testid="coverage-waiting"]').dataset.waiting,
            })));
        assert.equal(rows.length, 13);
        const bi = rows.find((r) => r.name === '营业中断损失');
        assert.ok(bi, `营业中断损失 missing from ${rows.map((r) => r.name).join(', ')}`);
        assert.equal(bi.code, 'bi');
        assert.equal(bi.cls, 'first_party');
        assert.equal(bi.waiting, 'true');
        assert.deepEqual([...new Set(rows.map((r) => r.cls))].sort(), ['first_party', 'third_party']);
        assert.match(await textOf('coverages-table-caption'), /13/);
    });

    test('province select and province table list the 34 province-level divisions', T, async () => {
        await waitReady(page, 'regions');
        const options = await page.$$eval(`${tid('province-select')} option`, (os) =>
            os.filter((o) => o.value !== '').map((o) => o.textContent));
        assert.equal(options.length, 34);
        assert.ok(options.includes('广东省'));
        assert.equal(await page.locator(tid('province-row')).count(), 34);
        const plan = await page.$$eval(tid('province-plan-city'), (ns) => ns.map((n) => n.textContent).sort());
        assert.deepEqual(plan, ['厦门市', '大连市', '宁波市', '深圳市', '青岛市'].sort());
    });

    test('picking 广东省 lists 广州市 and marks 深圳市 as 计划单列市', T, async () => {
        await waitReady(page, 'regions');
        assert.equal(await page.isVisible(tid('prefecture-hint')), true);
        await page.selectOption(tid('province-select'), { label: '广东省' });
        await page.waitForSelector(tid('prefecture-table'));
        const rows = await page.$$eval(tid('prefecture-row'), (trs) =>
            trs.map((tr) => ({
                name: tr.querySelector('[data-testid="prefecture-name"]').textContent,
                badge: tr.querySelector('[data-testid="plan-city-badge"]')?.textContent ?? null,
            })));
        const sz = rows.find((r) => r.name === '深圳市');
        const gz = rows.find((r) => r.name === '广州市');
        assert.ok(sz, '深圳市 missing');
        assert.ok(gz, '广州市 missing');
        assert.equal(sz.badge, '计划单列市');
        assert.equal(gz.badge, null);
        assert.equal(rows.filter((r) => r.badge).length, 1);
        assert.match(await textOf('prefecture-table-caption'), /广东省/);
        assert.equal(await page.getAttribute(`${tid('province-row')}[data-code="440000"]`, 'aria-current'), 'true');
    });

    test('a province row button shows that province (大连市 under 辽宁省)', T, async () => {
        await page.click(`${tid('province-row')}[data-code="210000"] ${tid('province-show')}`);
        await page.waitForFunction((s) => document.querySelector(s)?.textContent.includes('辽宁省'),
            tid('prefecture-table-caption'));
        assert.equal(await page.inputValue(tid('province-select')), '210000');
        const dl = await page.$eval(`${tid('prefecture-row')}[data-code="210200"]`, (tr) =>
            tr.querySelector('[data-testid="plan-city-badge"]')?.textContent);
        assert.equal(dl, '计划单列市');
        // Focus moved to the answer, for keyboard and screen-reader users.
        assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'prefecture-panel');
    });

    test('industry table lists the 20 GB/T 4754 sections with their 97 大类', T, async () => {
        await waitReady(page, 'industries');
        const rows = await page.$$eval(tid('industry-row'), (trs) =>
            trs.map((tr) => ({
                section: tr.dataset.section,
                count: Number(tr.querySelector('[data-testid="industry-divisions"]').textContent),
            })));
        assert.equal(rows.length, 20);
        assert.deepEqual(rows.map((r) => r.section).join(''), 'ABCDEFGHIJKLMNOPQRST');
        assert.equal(rows.find((r) => r.section === 'A').count, 5);
        assert.equal(rows.find((r) => r.section === 'C').count, 31);
        assert.equal(rows.reduce((n, r) => n + r.count, 0), 97);
    });

    test('the language toggle switches to English without a reload, persists, and switches back', T, async () => {
        await page.evaluate(() => { window.__sameDocument = true; });
        await page.click(tid('lang-toggle'));
        await page.waitForFunction((s) => document.querySelector(s)?.textContent === 'Cyber Insurance Service Platform',
            tid('app-title'));
        assert.equal(await page.getAttribute('html', 'lang'), 'en');
        assert.equal(await page.evaluate(() => window.__sameDocument), true, 'toggling must not reload');
        assert.equal(await textOf('lang-toggle'), '中文');
        assert.equal(await textOf('status-health'), 'OK');
        const names = await page.$$eval(tid('coverage-name'), (ns) => ns.map((n) => n.textContent));
        assert.ok(names.includes('Business interruption loss'), names.join(', '));
        // The province picked before the switch is still shown.
        assert.match(await textOf('prefecture-table-caption'), /辽宁省/);
        assert.equal(await page.evaluate(() => document.body.textContent.includes('⟦')), false,
            'a string is missing from the dictionary');

        await page.reload({ waitUntil: 'load' });
        assert.equal(await textOf('app-title'), 'Cyber Insurance Service Platform');
        assert.equal(await page.getAttribute('html', 'lang'), 'en');
        await waitReady(page, 'coverages');

        await page.click(tid('lang-toggle'));
        await page.waitForFunction((s) => document.querySelector(s)?.textContent === '网络安全保险服务平台',
            tid('app-title'));
        assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
        assert.equal(await page.title(), '网络安全保险服务平台 cyberins');
        assert.equal(await textOf('lang-toggle'), 'English');
    });

    test('API text is shown as text: the page runs only its own module script', T, async () => {
        assert.equal(await page.locator('script').count(), 1);
        assert.equal(await page.getAttribute('script', 'src'), '/js/app.js');
    });

    test('the page fits a 360 px wide screen', T, async () => {
        const small = await openPage(browser, { viewport: { width: 360, height: 740 } });
        try {
            await small.page.goto(`${base}/`, { waitUntil: 'load' });
            await waitReady(small.page, 'coverages');
            await waitReady(small.page, 'regions');
            await waitReady(small.page, 'industries');
            const width = await small.page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= 360, `page is ${width}px wide at a 360px viewport`);
            assert.deepEqual(small.problems, []);
        } finally {
            await small.context.close();
        }
    });

    test('no console error, uncaught exception, CSP violation or failed request', T, async () => {
        assert.deepEqual(problems, []);
    });
});

// ---- identity and access -------------------------------------------------

const PASSWORD = 'Demo-2024-cyberins';

// Beijing time as the UI writes it ("2026-11-28 20:00"), computed here
// independently of the UI's code.
function beijing(iso) {
    const d = new Date(Date.parse(iso) + 8 * 3600 * 1000);
    return d.toISOString().slice(0, 16).replace('T', ' ');
}

// The two halves of a server message "中文 / English" (the space before the
// slash may be missing after full-width punctuation).
function halves(message) {
    const m = /\s?\/\s/.exec(message);
    assert.ok(m, `message is not bilingual: ${message}`);
    return [message.slice(0, m.index).trim(), message.slice(m.index + m[0].length).trim()];
}

describe('login, session and logout', { timeout: 180_000 }, () => {
    const b = useBrowser();
    let o;

    before(async () => {
        o = await b.open();
    });

    test('anonymous: the header offers a login link and /api/v1/me answers 401', T, async () => {
        const { page } = o;
        await page.goto(`${b.base}/`, { waitUntil: 'load' });
        await page.waitForSelector(`${tid('session')}[data-state="anonymous"]`);
        assert.equal(await page.getAttribute(tid('login-link'), 'href'), '/login.html');
        assert.equal(await page.locator(tid('logout')).count(), 0);
        const nav = await page.$$eval(`${tid('site-nav-list')} a`, (as) => as.map((a) => a.dataset.testid));
        assert.deepEqual(nav, ['nav-home']);
        const me = await pageFetch(page, '/api/v1/me');
        assert.equal(me.status, 401);
        assert.equal(me.body.error.code, 'unauthenticated');
        // The home page still works for an anonymous visitor.
        await waitReady(page, 'coverages');
    });

    test('a page that needs a session sends an anonymous visitor to the login page', T, async () => {
        const { page } = o;
        await page.goto(`${b.base}/directory.html?type=city`, { waitUntil: 'load' });
        await page.waitForURL((u) => u.pathname === '/login.html');
        assert.equal(new URL(page.url()).searchParams.get('next'), '/directory.html?type=city');
        await waitReady(page, 'login-view');
    });

    test('a wrong password shows the server\'s message and stays on the login page', T, async () => {
        const { page, expected, expectFailure } = o;
        expectFailure({ method: 'POST', path: '/api/v1/session', status: 401 });
        await page.goto(`${b.base}/login.html`, { waitUntil: 'load' });
        await waitReady(page, 'login-view');
        assert.equal(await page.title(), '登录 · 网络安全保险服务平台 cyberins');
        await page.fill(tid('login-username'), 'hz-city');
        await page.fill(tid('login-password'), 'not-the-password');
        const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/session'));
        await page.click(tid('login-submit'));
        const res = await answer;
        assert.equal(res.status(), 401);
        const err = (await res.json()).error;
        assert.equal(err.code, 'login_failed');
        await page.waitForSelector(`${tid('login-error')}:visible`);
        const zh = halves(err.message)[0];
        assert.equal(await textOf(page, 'login-error'), zh);
        assert.match(zh, /用户名或密码错误/);
        assert.equal(new URL(page.url()).pathname, '/login.html');
        assert.equal(await page.inputValue(tid('login-username')), 'hz-city');
        assert.equal(await page.inputValue(tid('login-password')), '');
        assert.equal(await page.getAttribute(tid('session'), 'data-state'), 'anonymous');
        assert.ok(expected.some((e) => e.kind === 'http' && e.text.includes('/api/v1/session')));

        // The message follows the language switch (the server's English half).
        await toggleLang(page, 'en');
        assert.equal(await textOf(page, 'login-error'), halves(err.message)[1]);
        assert.equal(await textOf(page, 'login-submit'), 'Log in');
        await noMissingStrings(page);
        await toggleLang(page, 'zh-CN');
    });

    test('429 login_throttled shows the server\'s message and counts down Retry-After', T, async () => {
        // A context of its own, from a documentation address (RFC 5737) that
        // the harness's --trusted-proxy 127.0.0.1 believes, so the failed
        // attempts lock only zj-prov (used by no other browser test) and
        // never the address the other tests log in from.
        const t = await b.open({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { 'X-Forwarded-For': '192.0.2.45' } });
        const { page, expectFailure } = t;
        expectFailure({ method: 'POST', path: '/api/v1/session', status: (s) => s === 401 || s === 429 });
        await page.goto(`${b.base}/login.html`, { waitUntil: 'load' });
        await waitReady(page, 'login-view');
        let last = null;
        for (let i = 0; i < 30; i++) {
            last = await pageFetch(page, '/api/v1/session', { method: 'POST', body: { username: 'zj-prov', password: `wrong-${i}` } });
            if (last.status === 429) break;
            assert.equal(last.status, 401);
        }
        assert.equal(last.status, 429, 'no throttling after 30 wrong passwords');
        assert.equal(last.body.error.code, 'login_throttled');

        await page.fill(tid('login-username'), 'zj-prov');
        await page.fill(tid('login-password'), PASSWORD);
        const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/session'));
        await page.click(tid('login-submit'));
        const res = await answer;
        assert.equal(res.status(), 429, 'the right password is refused while throttled');
        const retryAfter = Number(res.headers()['retry-after']);
        assert.ok(retryAfter > 0, `Retry-After: ${res.headers()['retry-after']}`);
        const err = (await res.json()).error;
        await page.waitForSelector(`${tid('login-retry')}:visible`);
        assert.equal(await textOf(page, 'login-error'), halves(err.message)[0]);
        const secs = Number(await page.getAttribute(tid('login-retry'), 'data-seconds'));
        assert.ok(secs <= retryAfter && secs >= retryAfter - 3, `shows ${secs}, Retry-After ${retryAfter}`);
        assert.match(await textOf(page, 'login-retry'), /^请在 .*秒后重试。$/);
        assert.equal(await page.isDisabled(tid('login-submit')), true);
        assert.equal(new URL(page.url()).pathname, '/login.html');
        assert.deepEqual(t.problems, []);
    });

    test('login goes to the home page with what waits; the header shows the user and organisation of /api/v1/me', T, async () => {
        const { page } = o;
        await loginAs(page, b.base, 'gz-city');
        assert.equal(await page.locator(tid('todo-panel')).count(), 1);
        await page.click(tid('nav-org'));
        await waitReady(page, 'org-view');
        const me = await pageFetch(page, '/api/v1/me');
        assert.equal(me.status, 200);
        assert.equal(me.body.user.username, 'gz-city');
        assert.equal(typeof me.body.csrf_token, 'string');
        assert.equal(await page.getAttribute(tid('session'), 'data-state'), 'user');
        assert.equal(await textOf(page, 'session-user'), me.body.user.display_name || 'gz-city');
        assert.equal(await textOf(page, 'session-org'), me.body.organisation.name);
        assert.equal(await textOf(page, 'org-title'), me.body.organisation.name);
        assert.equal(await page.getAttribute(tid('nav-org'), 'aria-current'), 'page');
        assert.equal(await page.locator(tid('nav-directory')).count(), 1);
        // The session cookie is HttpOnly: the page cannot read it.
        const httpOnly = (await o.context.cookies()).filter((c) => c.httpOnly);
        assert.ok(httpOnly.length >= 1, 'no HttpOnly cookie was set by the login');
        const visible = await page.evaluate(() => document.cookie);
        for (const c of httpOnly) assert.ok(!visible.includes(c.value), `cookie ${c.name} is readable by scripts`);
    });

    test('logout returns to the anonymous state', T, async () => {
        const { page } = o;
        await Promise.all([
            page.waitForURL((u) => u.pathname === '/'),
            page.click(tid('logout')),
        ]);
        await page.waitForSelector(`${tid('session')}[data-state="anonymous"]`);
        assert.equal(await page.locator(tid('login-link')).count(), 1);
        const me = await pageFetch(page, '/api/v1/me');
        assert.equal(me.status, 401);
        // "My organisation" is no longer reachable.
        await page.goto(`${b.base}/org.html`, { waitUntil: 'load' });
        await page.waitForURL((u) => u.pathname === '/login.html');
    });

    test('no console error, uncaught exception, CSP violation or unexpected failed request', T, async () => {
        assert.deepEqual(o.problems, []);
    });
});

describe('organisation directory as a city (gz-city)', { timeout: 180_000 }, () => {
    const b = useBrowser();
    let o;
    let me;

    before(async () => {
        o = await b.openAs('gz-city');
        me = (await pageFetch(o.page, '/api/v1/me')).body;
    }, { timeout: 60_000 });

    async function allRows(page) {
        await waitReady(page, 'directory');
        // Follow "more" to the end of the list.
        for (let i = 0; i < 50 && await page.locator(tid('dir-more')).count(); i++) {
            const before = await page.locator(tid('dir-row')).count();
            await page.click(tid('dir-more'));
            await page.waitForFunction(([s, n]) => document.querySelectorAll(s).length > n ||
                !document.querySelector('[data-testid="dir-more"]'), [tid('dir-row'), before]);
        }
        return page.$$eval(tid('dir-row'), (trs) => trs.map((tr) => ({
            id: tr.dataset.id,
            region: tr.dataset.region,
            type: tr.dataset.type,
            name: tr.querySelector('[data-testid="dir-name"]').textContent,
            contact: tr.querySelector('[data-testid="dir-contact"]').textContent,
            phone: tr.querySelector('[data-testid="dir-phone"]').textContent,
            email: tr.querySelector('[data-testid="dir-email"]').textContent,
        })));
    }

    test('the directory lists Guangdong organisations only, without others\' contact details', T, async () => {
        const { page } = o;
        await page.click(tid('nav-directory'));
        await page.waitForURL((u) => u.pathname === '/directory.html');
        const rows = await allRows(page);
        assert.ok(rows.length >= 5, `only ${rows.length} rows`);
        for (const r of rows) {
            assert.ok(r.region.startsWith('44'), `${r.name} has region ${r.region}`);
            assert.ok(!r.region.startsWith('33'), `${r.name} has region ${r.region}`);
        }
        const others = rows.filter((r) => r.id !== String(me.organisation.id));
        assert.ok(others.length >= 4);
        for (const r of others) {
            assert.deepEqual([r.contact, r.phone, r.email], ['—', '—', '—'], `contact of ${r.name} is shown`);
        }
        // The table is exactly what the API answers to this user.
        const api = await pageFetchAll(page, '/api/v1/organisations');
        assert.deepEqual(rows.map((r) => r.id).sort(), api.map((x) => String(x.id)).sort());
        assert.equal(await page.getAttribute(tid('dir-count'), 'data-count'), String(rows.length));
    });

    test('filters: type, and a province outside the region finds nothing', T, async () => {
        const { page } = o;
        await page.selectOption(tid('dir-type'), 'enterprise');
        const ents = await allRows(page);
        assert.ok(ents.length >= 1);
        assert.ok(ents.every((r) => r.type === 'enterprise'), JSON.stringify(ents.map((r) => r.type)));
        assert.match(page.url(), /type=enterprise/);

        await page.selectOption(tid('dir-type'), '');
        await page.selectOption(tid('dir-province'), '330000');
        await waitReady(page, 'directory');
        assert.equal(await page.locator(tid('dir-empty')).count(), 1);
        assert.equal(await page.locator(tid('dir-row')).count(), 0);

        await page.selectOption(tid('dir-province'), '440000');
        await page.waitForFunction((s) => document.querySelector(s)?.options.length > 1, tid('dir-city'));
        await page.selectOption(tid('dir-city'), '440100');
        const gz = await allRows(page);
        assert.ok(gz.length >= 1);
        assert.ok(gz.every((r) => r.region.startsWith('4401')));
        await page.click(tid('dir-reset'));
        await waitReady(page, 'directory');
        assert.equal(await page.inputValue(tid('dir-province')), '');
    });

    test('an organisation of the directory opens with its contact hidden', T, async () => {
        const { page } = o;
        const rows = await allRows(page);
        const other = rows.find((r) => r.id !== String(me.organisation.id));
        await Promise.all([
            page.waitForURL((u) => u.pathname === '/org.html'),
            page.click(`${tid('dir-row')}[data-id="${other.id}"] ${tid('dir-name')}`),
        ]);
        await waitReady(page, 'org-view');
        assert.equal(await textOf(page, 'org-title'), other.name);
        assert.equal(await textOf(page, 'org-contact'), '—');
        assert.equal(await page.locator(tid('org-edit')).count(), 0, 'a city cannot edit another organisation');
    });

    test('English, and a 360 px screen', T, async () => {
        const { page } = o;
        await page.goto(`${b.base}/directory.html`, { waitUntil: 'load' });
        await waitReady(page, 'directory');
        await toggleLang(page, 'en');
        assert.equal(await textOf(page, 'dir-title'), 'Organisation directory');
        assert.equal(await textOf(page, 'nav-directory'), 'Directory');
        await noMissingStrings(page);
        await toggleLang(page, 'zh-CN');

        await assertFitsPhone(b, 'gz-city', '/directory.html', 'directory');
    });

    test('no console error, uncaught exception, CSP violation or unexpected failed request', T, async () => {
        assert.deepEqual(o.problems, []);
    });
});

describe('an insurer\'s admin: my organisation and its users', { timeout: 240_000 }, () => {
    const b = useBrowser();
    let o;
    let me;
    const newUser = `e2e-${Date.now().toString(36)}`;

    before(async () => {
        o = await b.openAs('insurer');
        await o.page.click(tid('nav-org'));
        await waitReady(o.page, 'org-view');
        me = (await pageFetch(o.page, '/api/v1/me')).body;
    }, { timeout: 60_000 });

    test('my organisation shows every field as the API gives it, in words and Beijing time', T, async () => {
        const { page } = o;
        const org = (await pageFetch(page, `/api/v1/organisations/${me.organisation.id}`)).body;
        assert.equal(org.type, 'insurer');
        assert.ok(org.licence_no, 'the demo insurer has a licence number');
        assert.equal(await textOf(page, 'org-licence-no'), org.licence_no);
        assert.equal(await textOf(page, 'org-name'), org.name);
        assert.equal(await textOf(page, 'org-type'), '保险机构');
        assert.equal(await page.getAttribute(tid('org-type'), 'data-type'), 'insurer');
        assert.match(await textOf(page, 'org-uscc'), new RegExp(`^${org.uscc}`));
        assert.match(await textOf(page, 'org-region'), new RegExp(org.region_code));
        const natures = { public_institution: '事业单位', state_owned: '国有企业', private: '民营企业', joint_venture: '合资企业',
            state_controlled: '国有控股企业', state_participated: '国有参股企业', other: '其他' };
        assert.ok((await textOf(page, 'org-nature')).startsWith(natures[org.nature]));
        if (org.registered_capital_fen !== null) {
            const wan = (org.registered_capital_fen / 1e6).toLocaleString('en-US', { maximumFractionDigits: 6 });
            assert.equal(await textOf(page, 'org-registered-capital'), `${wan} 万元`);
        }
        assert.equal(await textOf(page, 'org-created-at'), beijing(org.created_at));
        assert.equal(await textOf(page, 'org-updated-at'), beijing(org.updated_at));
        for (const f of ['contact', 'phone', 'fax', 'email']) {
            assert.equal(await textOf(page, `org-${f}`), org[f] || '—', f);
        }
    });

    test('an admin edits a field; a refused value shows next to its field', T, async () => {
        const { page, expectFailure } = o;
        await page.click(tid('org-edit'));
        await page.waitForSelector(tid('org-form'));
        // the registered name is the registry's (org.register): the insurer's admin sees it, not a field
        assert.equal(await page.locator(tid('org-form-name')).count(), 0, 'no name field without org.register');
        assert.ok(await page.locator(tid('org-form-phone')).count() === 1);
        const phone = '0755-8' + String(Date.now()).slice(-7);
        await page.fill(tid('org-form-phone'), phone);
        const patch = page.waitForRequest((r) => r.method() === 'PATCH');
        await page.click(tid('org-form-submit'));
        const req = await patch;
        assert.deepEqual(req.postDataJSON(), { phone }, 'only the changed field is sent');
        assert.ok(req.headers()['x-csrf-token'], 'PATCH carries X-CSRF-Token');
        await page.waitForSelector(`${tid('org-saved')}:visible`);
        assert.equal(await textOf(page, 'org-phone'), phone);
        const org = (await pageFetch(page, `/api/v1/organisations/${me.organisation.id}`)).body;
        assert.equal(org.phone, phone);

        expectFailure({ method: 'PATCH', path: `/api/v1/organisations/${me.organisation.id}`, status: (s) => s === 400 || s === 422 });
        await page.click(tid('org-edit'));
        await page.fill(tid('org-form-email'), 'not-an-email');
        const answer = page.waitForResponse((r) => r.request().method() === 'PATCH');
        await page.click(tid('org-form-submit'));
        const res = await answer;
        const err = (await res.json()).error;
        assert.equal(err.field, 'email');
        await page.waitForSelector(`${tid('org-form-email-error')}:visible`);
        assert.equal(await textOf(page, 'org-form-email-error'), halves(err.message)[0]);
        assert.equal(await page.getAttribute(tid('org-form-email'), 'aria-invalid'), 'true');
        assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'org-form-email');
        await page.click(tid('org-cancel'));
        await page.waitForSelector(tid('org-details'));
    });

    test('adding a user with a 5-character password shows the error next to the password field', T, async () => {
        const { page, expectFailure } = o;
        expectFailure({ method: 'POST', path: '/api/v1/users', status: (s) => s === 400 || s === 422 });
        await page.click(tid('nav-users'));
        await page.waitForURL((u) => u.pathname === '/users.html');
        await waitReady(page, 'users-view');
        await page.fill(tid('user-add-username'), newUser);
        await page.fill(tid('user-add-display-name'), '测试用户');
        await page.selectOption(tid('user-add-role'), 'viewer');
        await page.fill(tid('user-add-password'), '12345');
        const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
        await page.click(tid('user-add-submit'));
        const res = await answer;
        assert.ok(res.status() === 400 || res.status() === 422, `HTTP ${res.status()}`);
        const err = (await res.json()).error;
        assert.equal(err.field, 'password');
        await page.waitForSelector(`${tid('user-add-password-error')}:visible`);
        assert.equal(await textOf(page, 'user-add-password-error'), halves(err.message)[0]);
        // Next to the field: in the password field's own box, described by it.
        assert.equal(await page.$eval(tid('user-add-password-error'), (e) => e.closest('[data-field]').dataset.field), 'password');
        const describedBy = await page.getAttribute(tid('user-add-password'), 'aria-describedby');
        const errId = await page.getAttribute(tid('user-add-password-error'), 'id');
        assert.ok(describedBy.split(' ').includes(errId));
        assert.equal(await page.isHidden(tid('user-add-error')), true);
        assert.equal(await page.locator(`${tid('user-row')}[data-username="${newUser}"]`).count(), 0);
    });

    test('adding a valid user lists it, as the API does', T, async () => {
        const { page } = o;
        await page.fill(tid('user-add-password'), 'Valid-pass-2026');
        await page.fill(tid('user-add-email'), `${newUser}@example.cn`);
        await page.click(tid('user-add-submit'));
        await page.waitForSelector(`${tid('user-add-done')}:visible`);
        const row = `${tid('user-row')}[data-username="${newUser}"]`;
        await page.waitForSelector(row);
        assert.equal(await page.getAttribute(row, 'data-role'), 'viewer');
        assert.equal(await page.textContent(`${row} ${tid('user-role')}`), '只读');
        assert.equal(await page.isHidden(tid('user-add-password-error')), true);
        assert.equal(await page.inputValue(tid('user-add-password')), '', 'the form is cleared');
        const users = await pageFetchAll(page, `/api/v1/users?org_id=${me.organisation.id}`);
        assert.ok(users.some((u) => u.username === newUser && u.role === 'viewer' && u.org_id === me.organisation.id));
        const shown = await page.$$eval(tid('user-row'), (trs) => trs.map((tr) => tr.dataset.username).sort());
        assert.deepEqual(shown, users.map((u) => u.username).sort());
    });

    test('change role, disable, enable and reset the password of that user', T, async () => {
        const { page } = o;
        const row = `${tid('user-row')}[data-username="${newUser}"]`;
        await page.click(`${row} ${tid('user-manage')}`);
        await page.waitForSelector(tid('user-panel'));
        await page.selectOption(tid('user-edit-role'), 'member');
        await page.click(tid('user-edit-submit'));
        await page.waitForFunction((s) => document.querySelector(s)?.dataset.role === 'member', row);

        await page.click(tid('user-toggle'));
        await page.waitForFunction((s) => document.querySelector(s)?.dataset.disabled === 'true', row);
        await page.click(tid('user-toggle'));
        await page.waitForFunction((s) => document.querySelector(s)?.dataset.disabled === 'false', row);

        await page.fill(tid('user-pw-password'), 'Another-pass-2026');
        const pw = page.waitForResponse((r) => r.url().endsWith('/password'));
        await page.click(tid('user-pw-submit'));
        assert.equal((await pw).status(), 204);
        await page.waitForSelector(`${tid('user-panel-done')}:visible`);

        // The new user logs in with the new password, as a member.
        const other = await b.openAs(newUser, { password: 'Another-pass-2026' });
        const them = (await pageFetch(other.page, '/api/v1/me')).body;
        assert.equal(them.user.role, 'member');
        assert.equal(them.organisation.id, me.organisation.id);
        assert.equal(await textOf(other.page, 'session-org'), me.organisation.name);
        assert.deepEqual(other.problems, []);
    });

    test('English and 360 px for my organisation and users', T, async () => {
        const { page } = o;
        await toggleLang(page, 'en');
        assert.equal(await textOf(page, 'nav-users'), 'Users');
        await noMissingStrings(page);
        await page.goto(`${b.base}/org.html`, { waitUntil: 'load' });
        await waitReady(page, 'org-view');
        assert.equal(await textOf(page, 'org-type'), 'Insurer');
        await noMissingStrings(page);
        await toggleLang(page, 'zh-CN');

        await assertFitsPhone(b, 'insurer', '/users.html', 'users-view');
    });

    test('no console error, uncaught exception, CSP violation or unexpected failed request', T, async () => {
        assert.deepEqual(o.problems, []);
    });
});

describe('a viewer (gz-city-viewer)', { timeout: 120_000 }, () => {
    const b = useBrowser();
    let o;

    before(async () => {
        o = await b.openAs('gz-city-viewer');
    }, { timeout: 60_000 });

    test('sees the organisation without an edit button and is not offered user management', T, async () => {
        const { page } = o;
        await page.goto(`${b.base}/org.html`, { waitUntil: 'load' });
        await waitReady(page, 'org-view');
        const me = (await pageFetch(page, '/api/v1/me')).body;
        assert.equal(me.user.role, 'viewer');
        assert.equal(await textOf(page, 'org-title'), me.organisation.name);
        assert.equal(await page.locator(tid('org-edit')).count(), 0);
        assert.equal(await page.locator(tid('nav-users')).count(), me.permissions.includes('user.manage') ? 1 : 0);
        if (!me.permissions.includes('user.manage')) {
            await page.goto(`${b.base}/users.html`, { waitUntil: 'load' });
            await page.waitForSelector(tid('forbidden'));
        }
    });

    test('no console error, uncaught exception, CSP violation or unexpected failed request', T, async () => {
        assert.deepEqual(o.problems, []);
    });
});

describe('the ministry (miit): every organisation, and users of another one', { timeout: 120_000 }, () => {
    const b = useBrowser();
    let o;

    before(async () => {
        o = await b.openAs('miit');
    }, { timeout: 60_000 });

    test('the directory shows organisations of every region with their contact details', T, async () => {
        const { page } = o;
        await page.goto(`${b.base}/directory.html?type=insurer`, { waitUntil: 'load' });
        await waitReady(page, 'directory');
        assert.equal(await page.inputValue(tid('dir-type')), 'insurer');
        const api = await pageFetchAll(page, '/api/v1/organisations?type=insurer');
        assert.ok(api.length >= 1);
        const rows = await page.$$eval(tid('dir-row'), (trs) => trs.map((tr) => ({
            id: tr.dataset.id,
            contact: tr.querySelector('[data-testid="dir-contact"]').textContent,
        })));
        assert.deepEqual(rows.map((r) => r.id).sort(), api.map((x) => String(x.id)).sort());
        for (const r of rows) {
            const org = api.find((x) => String(x.id) === r.id);
            assert.equal(r.contact, org.contact || '—');
        }
        const all = await pageFetchAll(page, '/api/v1/organisations');
        assert.ok(all.some((x) => x.region_code.startsWith('44')) && all.some((x) => x.region_code.startsWith('33')));
    });

    test('from an organisation\'s page to the list of its users', T, async () => {
        const { page } = o;
        const insurer = (await pageFetchAll(page, '/api/v1/organisations?type=insurer'))[0];
        await page.goto(`${b.base}/org.html?id=${insurer.id}`, { waitUntil: 'load' });
        await waitReady(page, 'org-view');
        assert.equal(await textOf(page, 'org-title'), insurer.name);
        assert.equal(await textOf(page, 'org-licence-no'), insurer.licence_no || '—');
        await Promise.all([
            page.waitForURL((u) => u.pathname === '/users.html'),
            page.click(tid('org-users-link')),
        ]);
        await waitReady(page, 'users-view');
        assert.equal(await textOf(page, 'users-title'), insurer.name);
        const users = await pageFetchAll(page, `/api/v1/users?org_id=${insurer.id}`);
        const shown = await page.$$eval(tid('user-row'), (trs) => trs.map((tr) => tr.dataset.username).sort());
        assert.deepEqual(shown, users.map((u) => u.username).sort());
    });

    test('no console error, uncaught exception, CSP violation or unexpected failed request', T, async () => {
        assert.deepEqual(o.problems, []);
    });
});

// The pilot programme's pages (tests/e2e/pilot.browser.mjs).
import './pilot.browser.mjs';

// Underwriting's pages (tests/e2e/uw.browser.mjs).
import './uw.browser.mjs';

// In-force monitoring's pages (tests/e2e/monitor.browser.mjs).
import './monitor.browser.mjs';
// The pilot's documents from its pages (tests/e2e/docs.browser.mjs).
import './docs.browser.mjs';
// The pilot's statistics (tests/e2e/stats.browser.mjs).
import './stats.browser.mjs';
// Claims' pages (tests/e2e/claims.browser.mjs).
import './claims.browser.mjs';

// ---- portfolio simulation (simulations.html, issue 6) -----------------------

import fs from 'node:fs';

// Yuan as the simulation page writes them ("¥110,083,278.88"), computed here
// independently of the UI's code.
function yuan(v) {
    return `¥${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

describe('portfolio simulation: an insurer runs the demo portfolio and reads its EP curve', { timeout: 300_000 }, () => {
    const b = useBrowser();
    let o; // insurer, desktop, Chinese
    let narrow; // insurer, 360 px, English
    let ent; // ent-gz: no sim.read
    let simId = null;

    before(async () => {
        o = await b.openAs('insurer');
    }, { timeout: 60_000 });

    test('the header links to the page, which offers the run form and lists the organisation\'s runs', T, async () => {
        const { page } = o;
        const me = (await pageFetch(page, '/api/v1/me')).body;
        assert.ok(me.permissions.includes('sim.read') && me.permissions.includes('sim.run'), me.permissions.join(' '));
        await Promise.all([
            page.waitForURL((u) => u.pathname === '/simulations.html'),
            page.click(tid('nav-simulations')),
        ]);
        await waitReady(page, 'sim-view');
        await waitReady(page, 'sim-list');
        assert.equal(await page.getAttribute(tid('nav-simulations'), 'aria-current'), 'page');
        assert.equal(await page.title(), '组合模拟 · 网络安全保险服务平台 cyberins');
        assert.equal(await textOf(page, 'sim-title'), '组合模拟');
        for (const id of ['sim-form-years', 'sim-form-seed', 'sim-form-portfolio', 'sim-form-catalogue', 'sim-form-submit']) {
            assert.equal(await page.locator(tid(id)).count(), 1, id);
        }
        assert.equal(await page.isHidden(tid('sim-form-exposure-csv')), true, 'the file field shows only for an exposure file');
        const api = (await pageFetch(page, '/api/v1/simulations?limit=50')).body.items;
        if (api.length === 0) {
            assert.equal(await page.isVisible(tid('sim-empty')), true);
        } else {
            const shown = await page.$$eval(tid('sim-row'), (trs) => trs.map((tr) => Number(tr.dataset.id)));
            assert.deepEqual(shown, api.map((s) => s.id));
        }
        await noMissingStrings(page);
    });

    test('a run of the demo portfolio (1000 years, seed 7) is queued, followed to the end and selected', { timeout: 150_000 }, async () => {
        const { page } = o;
        await page.fill(tid('sim-form-years'), '1000');
        await page.fill(tid('sim-form-seed'), '7');
        await page.selectOption(tid('sim-form-portfolio'), 'demo');
        assert.equal(await page.isChecked(tid('sim-form-catalogue')), true);
        const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/simulations');
        await page.click(tid('sim-form-submit'));
        const req = await posted;
        assert.deepEqual(req.postDataJSON(), { years: 1000, seed: 7, portfolio: 'demo', catalogue: true });
        assert.ok(req.headers()['x-csrf-token'], 'POST carries X-CSRF-Token');
        const res = await req.response();
        assert.equal(res.status(), 202);
        simId = (await res.json()).id;
        assert.ok(Number.isInteger(simId));

        const row = `${tid('sim-row')}[data-id="${simId}"]`;
        await page.waitForSelector(row);
        await page.waitForSelector(`${tid('sim-list-status')}:visible`);
        // polled once a second until the worker is done
        await page.waitForSelector(`${row}[data-status="done"]`, { timeout: 120_000 });
        assert.equal((await page.textContent(`${row} ${tid('sim-row-percent')}`)).trim(), '100%');

        await page.click(`${row} ${tid('sim-select')}`);
        await page.waitForSelector(`${tid('sim-detail')}[data-id="${simId}"][data-status="done"][data-state="ready"]`);
        await page.waitForSelector(`${tid('sim-chart')}[data-state="ready"] canvas`);
        assert.equal(new URL(page.url()).searchParams.get('id'), String(simId));
        assert.equal(await page.getAttribute(row, 'aria-current'), 'true');
    });

    test('the headline, the EP table and the breakdowns show what the API answers for that run', T, async () => {
        const { page } = o;
        assert.ok(simId, 'the run of the previous test');
        const got = await pageFetch(page, `/api/v1/simulations/${simId}`);
        assert.equal(got.status, 200);
        const sim = got.body;
        assert.equal(sim.status, 'done', sim.error);
        const r = sim.result;
        assert.equal(r.years, 1000);
        assert.equal(r.seed, 7);

        const aep200 = r.ep.find((e) => e.return_period === 200).aep_insured;
        assert.equal(await textOf(page, 'sim-aal'), yuan(r.aal.insured));
        assert.ok((await textOf(page, 'sim-aal-se')).includes(yuan(r.aal.insured_se)));
        assert.equal(await textOf(page, 'sim-aep200'), yuan(aep200));
        assert.equal(await textOf(page, 'sim-tvar995'), yuan(r.tvar.insured_99_5));
        assert.equal(await textOf(page, 'sim-policies'), r.portfolio.policies.toLocaleString('en-US'));
        assert.equal(await textOf(page, 'sim-years'), '1,000');
        assert.equal(await textOf(page, 'sim-seed'), '7');

        const rows = await page.$$eval(tid('sim-ep-row'), (trs) => trs.map((tr) => ({
            rp: Number(tr.dataset.rp),
            oep: tr.querySelector('[data-testid="sim-ep-oep-insured"]').textContent,
            aep: tr.querySelector('[data-testid="sim-ep-aep-insured"]').textContent,
            aepGu: tr.querySelector('[data-testid="sim-ep-aep-gu"]').textContent,
        })));
        assert.equal(rows.length, 7);
        assert.deepEqual(rows.map((x) => x.rp), r.ep.map((e) => e.return_period));
        assert.equal(rows.find((x) => x.rp === 200).aep, yuan(aep200));
        for (const e of r.ep) {
            const shown = rows.find((x) => x.rp === e.return_period);
            assert.equal(shown.oep, yuan(e.oep_insured), `OEP ${e.return_period}`);
            assert.equal(shown.aep, yuan(e.aep_insured), `AEP ${e.return_period}`);
            assert.equal(shown.aepGu, yuan(e.aep_ground_up), `AEP ground-up ${e.return_period}`);
        }

        // one table per breakdown dimension, a row per entry with a loss
        for (const [dim, list] of Object.entries(r.breakdown)) {
            const keys = await page.$$eval(`${tid('sim-bd')}[data-dimension="${dim}"] ${tid('sim-bd-row')}`,
                (trs) => trs.map((tr) => tr.dataset.key));
            const withLoss = list.filter((x) => x.insured_aal !== 0 || x.ground_up_aal !== 0).map((x) => x.key);
            assert.deepEqual(keys.slice().sort(), withLoss.slice().sort(), dim);
        }
        const bi = r.breakdown.coverage.find((x) => x.key === 'bi');
        assert.equal(await page.textContent(`${tid('sim-bd-coverage')} ${tid('sim-bd-row')}[data-key="bi"] ${tid('sim-bd-insured')}`),
            yuan(bi.insured_aal));
        assert.equal(await page.textContent(`${tid('sim-bd-coverage')} ${tid('sim-bd-row')}[data-key="bi"] ${tid('sim-bd-name')}`),
            halves(bi.name)[0]);
        const events = await page.$$eval(tid('sim-event-row'), (trs) => trs.map((tr) => tr.dataset.id));
        assert.deepEqual(events, r.top_events.map((e) => e.id));
        await noMissingStrings(page);
        await fitsWidth(page, 1280);
    });

    test('the EP chart is an ECharts canvas with something drawn on it', T, async () => {
        const { page } = o;
        assert.ok(simId, 'the run of the previous tests');
        const sel = `${tid('sim-chart')} canvas`;
        await page.waitForFunction((s) => {
            const c = document.querySelector(s);
            if (!c || c.width === 0 || c.height === 0) return false;
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
            return false;
        }, sel);
        const box = await page.$eval(sel, (c) => ({ w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight }));
        assert.ok(box.w > 0 && box.h > 0 && box.cw > 200 && box.ch > 200, JSON.stringify(box));
        assert.equal(await page.getAttribute(tid('sim-chart'), 'role'), 'img');
        // the vendored library comes from this origin
        const lib = await fetch(`${b.base}/vendor/echarts/echarts.esm.min.js`);
        assert.equal(lib.status, 200);
        assert.match(lib.headers.get('content-type') ?? '', /javascript/);
    });

    test('at 360 px and in English: the same numbers, the page fits, the chart redraws', T, async () => {
        assert.ok(simId, 'the run of the previous tests');
        narrow = await b.open({ viewport: { width: 360, height: 780 } });
        const { page } = narrow;
        await loginAs(page, b.base, 'insurer');
        await page.goto(`${b.base}/simulations.html?id=${simId}`, { waitUntil: 'load' });
        await waitReady(page, 'sim-view');
        await page.waitForSelector(`${tid('sim-detail')}[data-id="${simId}"][data-status="done"][data-state="ready"]`);
        await page.waitForSelector(`${tid('sim-chart')}[data-state="ready"] canvas`);
        await fitsWidth(page, 360);
        await toggleLang(page, 'en');
        await page.waitForSelector(`${tid('sim-chart')}[data-state="ready"] canvas`);
        assert.equal(await textOf(page, 'sim-title'), 'Portfolio simulation');
        assert.equal(await textOf(page, 'sim-ep-caption'), 'Exceedance probabilities (yuan)');
        const sim = (await pageFetch(page, `/api/v1/simulations/${simId}`)).body;
        assert.equal(await textOf(page, 'sim-aal'), yuan(sim.result.aal.insured));
        assert.equal(await page.textContent(`${tid('sim-ep-row')}[data-rp="200"] ${tid('sim-ep-aep-insured')}`),
            yuan(sim.result.ep.find((e) => e.return_period === 200).aep_insured));
        const w = await page.$eval(`${tid('sim-chart')} canvas`, (c) => c.clientWidth);
        assert.ok(w > 0 && w <= 360, `canvas ${w}px wide`);
        await noMissingStrings(page);
        await fitsWidth(page, 360);
        assert.equal(await page.title(), 'Portfolio simulation · Cyber Insurance Service Platform · cyberins');
    });

    test('an uploaded exposure file with a bad line: the run fails and the page shows why', { timeout: 90_000 }, async () => {
        const { page } = o;
        const csv = fs.readFileSync(new URL('../../data/demo/portfolio.csv', import.meta.url), 'utf8')
            .split('\n').filter((l) => !l.startsWith('#')).slice(0, 6);
        csv[3] = csv[3].replace(/,CN,[0-9.]+,/, ',CN,-5,'); // line 4: a negative AnnualRevenue
        await page.selectOption(tid('sim-form-portfolio'), 'exposure');
        await page.waitForSelector(`${tid('sim-form-exposure-csv')}:visible`);
        await page.setInputFiles(tid('sim-form-exposure-csv'),
            { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.join('\n') + '\n') });
        await page.fill(tid('sim-form-years'), '10');
        await page.uncheck(tid('sim-form-catalogue'));
        const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/simulations');
        await page.click(tid('sim-form-submit'));
        const req = await posted;
        const body = req.postDataJSON();
        assert.equal(body.portfolio, 'exposure');
        assert.equal(body.catalogue, false);
        assert.equal(body.exposure_csv, csv.join('\n') + '\n', 'the file is sent as it is');
        const id = (await (await req.response()).json()).id;
        await page.waitForSelector(`${tid('sim-detail')}[data-id="${id}"][data-status="failed"]`, { timeout: 60_000 });
        const sim = (await pageFetch(page, `/api/v1/simulations/${id}`)).body;
        assert.equal(sim.status, 'failed');
        assert.match(sim.error, /AnnualRevenue/);
        assert.equal(await textOf(page, 'sim-error'), `模拟失败：${halves(sim.error)[0]}`);
        assert.equal(await page.locator(tid('sim-chart')).count(), 0);
        // back to the demo portfolio for whoever comes next
        await page.selectOption(tid('sim-form-portfolio'), 'demo');
        await page.check(tid('sim-form-catalogue'));
    });

    test('an enterprise (ent-gz) without sim.read gets no link and the forbidden message', T, async () => {
        ent = await b.open();
        const { page, expectFailure } = ent;
        await loginAs(page, b.base, 'ent-gz');
        const me = (await pageFetch(page, '/api/v1/me')).body;
        assert.equal(me.permissions.includes('sim.read'), false);
        assert.equal(await page.locator(tid('nav-simulations')).count(), 0);
        await page.goto(`${b.base}/simulations.html`, { waitUntil: 'load' });
        await page.waitForSelector(tid('forbidden'));
        assert.equal(await page.getAttribute(tid('sim-view'), 'data-state'), 'forbidden');
        assert.equal(await textOf(page, 'forbidden'),
            '您的机构无权查看组合模拟（需要 sim.read 权限：保险机构、工业和信息化部或支撑单位）。');
        assert.equal(await page.locator(tid('sim-form')).count(), 0);
        // and the server agrees
        expectFailure({ method: 'GET', path: '/api/v1/simulations', status: 403 });
        assert.equal((await pageFetch(page, '/api/v1/simulations')).status, 403);
    });

    test('no console error, uncaught exception, CSP violation or unexpected failed request', T, async () => {
        assert.deepEqual(o.problems, []);
        assert.deepEqual(narrow?.problems ?? [], []);
        assert.deepEqual(ent?.problems ?? [], []);
    });
});
