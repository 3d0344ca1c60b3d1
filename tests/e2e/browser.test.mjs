// browser.test.mjs — the web UI in real Chromium against a real server.
//
//   BASE_URL=http://127.0.0.1:18080 node --test tests/e2e/browser.test.mjs
//
// The server must already be running (the e2e harness starts it). The page
// must show what the API answers, switch language without a reload, and
// produce no console error, uncaught exception, CSP violation or failed
// request while it does.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launchBrowser, openPage, tid, waitReady } from './lib/browser.mjs';

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

    test('status panel shows health ok and the backend and version of /api/v1/meta', T, async () => {
        const res = await fetch(`${base}/api/v1/meta`);
        assert.equal(res.status, 200);
        const meta = await res.json();

        await page.waitForFunction((s) => document.querySelector(s)?.dataset.status !== 'unknown',
            tid('status-health'));
        assert.equal(await page.getAttribute(tid('status-health'), 'data-status'), 'ok');
        assert.equal(await textOf('status-health'), '正常');
        await page.waitForFunction((s) => document.querySelector(s)?.dataset.backend !== '', tid('status-backend'));
        assert.equal(await page.getAttribute(tid('status-backend'), 'data-backend'), meta.backend);
        assert.equal((await textOf('status-backend')).toLowerCase(), meta.backend);
        assert.equal(await textOf('status-version'), meta.version);
        assert.equal(await page.isHidden(tid('status-error')), true);
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
