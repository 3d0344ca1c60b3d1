// pilot.browser.mjs — the pilot programme's pages in real Chromium, imported
// by browser.test.mjs (the harness runs only that file in browser mode).
//
// A Guangzhou city user forwards its package from the inbox page and the
// Guangdong province user then sees it in its own inbox; the hub shows the
// round's dates with Guangdong's own marked, in both languages; the scheme
// editor counts 字数 live exactly as the server does and shows a refusal next
// to its field; the catalogue and pilot pages load. The round's records are
// made through the API first with receipt times inside 2024 (X-Test-Now);
// the forward in the browser happens at the real clock, inside an extension
// the province granted for the purpose (so the test never depends on today).
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tid, waitReady, pageFetch, useBrowser } from './lib/browser.mjs';
import { login } from './lib/http.mjs';
import { asAt, planForm, schemeForm, UNITS, zh } from './lib/pilot.mjs';

// The 2024 round walked on screen, step by step (no API call of its own).
import './pilot.round.browser.mjs';

const T = { timeout: 60_000 };

// YYYY-MM-DD in Beijing time, days from now.
function beijingDate(days) {
    const d = new Date(Date.now() + days * 86400_000 + 8 * 3600_000);
    return d.toISOString().slice(0, 10);
}

describe('pilot programme: a city forwards its package, the province sees it in its inbox', { timeout: 240_000 }, () => {
    const b = useBrowser();
    let pkg;
    let gd;

    before(async () => {
        const gz = await login('gz-city');
        gd = await login('gd-prov');
        const p = (await asAt(gz, '2024-02-20 09:00', 'POST', '/api/v1/plans', planForm(2, { name: '广州市网络安全保险服务试点工作方案（浏览器测试）' }))).json;
        assert.ok(p?.id, 'plan created');
        assert.equal((await asAt(gz, '2024-02-20 09:10', 'POST', `/api/v1/plans/${p.id}/submit`)).status, 200);
        const k = await asAt(gz, '2024-02-20 09:20', 'POST', '/api/v1/packages', { round_id: '2024', plan_ids: [p.id] });
        assert.equal(k.status, 201, k.text);
        pkg = k.json.id;
        const e = await asAt(gd, '2024-02-27 09:00', 'POST', '/api/v1/extensions', {
            round_id: '2024', deadline: 'package_at_province', org_id: gz.me.organisation.id,
            until: beijingDate(30), reason: '浏览器测试：补充材料' });
        assert.equal(e.status, 201, e.text);
    }, { timeout: 120_000 });

    test('the city forwards the package from its inbox page', T, async () => {
        const o = await b.openAs('gz-city');
        const { page } = o;
        await page.goto(`${b.base}/inbox.html`, { waitUntil: 'load' });
        await waitReady(page, 'inbox-view');
        const row = `${tid('outbox-row')}[data-id="${pkg}"]`;
        assert.equal(await page.getAttribute(row, 'data-status'), 'open');
        assert.match(await page.textContent(`${row} ${tid('package-deadline')}`), /2024-02-26 23:59/);
        await page.click(`${row} ${tid('package-forward')}`);
        await page.waitForFunction((s) => document.querySelector(s)?.dataset.status === 'sent', row);
        assert.equal(await page.getAttribute(row, 'data-holder'), String(gd.me.organisation.id));
        const msg = await page.textContent(tid('inbox-message'));
        assert.equal(msg.trim(), '已报送至 广东省工业和信息化厅（演示）。');
        assert.equal(await page.getAttribute(tid('inbox-message'), 'data-error'), 'false');
        assert.deepEqual(o.problems, []);
    });

    test('the province sees it in its inbox, as the API says, and may forward or return it', T, async () => {
        const o = await b.openAs('gd-prov');
        const { page } = o;
        await page.goto(`${b.base}/inbox.html`, { waitUntil: 'load' });
        await waitReady(page, 'inbox-view');
        const row = `${tid('inbox-row')}[data-id="${pkg}"]`;
        assert.equal(await page.locator(row).count(), 1);
        assert.equal((await page.textContent(`${row} th`)).trim(), '广州市工业和信息化局（演示）');
        assert.equal(await page.locator(`${row} ${tid('package-forward')}`).count(), 1);
        assert.equal(await page.locator(`${row} ${tid('package-return')}`).count(), 1);
        const api = await pageFetch(page, '/api/v1/packages?box=inbox');
        const shown = await page.$$eval(tid('inbox-row'), (trs) => trs.map((tr) => Number(tr.dataset.id)).sort());
        assert.deepEqual(shown, api.body.items.map((k) => k.id).sort());
        // English, in place
        await page.click(tid('lang-toggle'));
        assert.equal((await page.textContent(tid('inbox-title'))).trim(), 'Inbox');
        assert.ok(!(await page.textContent('body')).includes('⟦'));
        assert.deepEqual(o.problems, []);
    });

    test('the hub shows the round\'s deadlines with Guangdong\'s own dates', T, async () => {
        const o = await b.openAs('gz-city');
        const { page } = o;
        await page.click(tid('nav-pilot'));
        await page.waitForURL((u) => u.pathname === '/pilot.html');
        await waitReady(page, 'pilot-view');
        assert.equal((await page.textContent(tid('deadline-package_at_province'))).trim(), '2024-02-26（本省）');
        assert.equal((await page.textContent(tid('deadline-scheme_at_ministry'))).trim(), '2024-01-28');
        assert.equal(await page.locator(tid('new-plan')).getAttribute('href'), '/plan.html?round=2024&annex=2');
        await page.click(tid('lang-toggle'));
        assert.equal((await page.textContent(tid('deadline-package_at_province'))).trim(), '2024-02-26 (your province)');
        assert.ok(!(await page.textContent('body')).includes('⟦'));
        // no page-wide horizontal scroll on a phone
        await page.setViewportSize({ width: 360, height: 740 });
        const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
        assert.equal(wide, false);
        assert.deepEqual(o.problems, []);
    });

    test('the scheme editor counts 字数 live and shows a refusal next to its field', T, async () => {
        const o = await b.openAs('secfirm');
        const { page } = o;
        await page.goto(`${b.base}/scheme.html?round=2024`, { waitUntil: 'load' });
        await waitReady(page, 'scheme-view');
        await page.fill(tid('scheme-overview'), '网络安全保险，试点工作。');
        assert.equal(await page.getAttribute(tid('scheme-overview-count'), 'data-count'), '12');
        assert.equal(await page.getAttribute(tid('scheme-overview-count'), 'data-ok'), 'true');
        await page.fill(tid('scheme-overview'), zh(401));
        assert.equal(await page.getAttribute(tid('scheme-overview-count'), 'data-count'), '401');
        assert.equal(await page.getAttribute(tid('scheme-overview-count'), 'data-ok'), 'false');
        await page.fill(tid('scheme-overview'), 'GB/T 22239-2019 第三级');
        assert.equal(await page.getAttribute(tid('scheme-overview-count'), 'data-count'), '5');
        await page.fill(tid('scheme-background'), zh(1000));
        await page.fill(tid('scheme-service'), zh(2000));
        assert.equal(await page.getAttribute(tid('scheme-body-total'), 'data-count'), '3000');
        assert.equal(await page.getAttribute(tid('scheme-body-total'), 'data-ok'), 'false');
        // a joint unit with a wrong check digit: the server's refusal lands on its row
        await page.click(tid('scheme-joint-add'));
        await page.fill(tid('scheme-joint-name'), '某联合单位');
        await page.fill(tid('scheme-joint-uscc'), '914403001922038217');
        o.expectFailure({ method: 'POST', path: '/api/v1/schemes', status: 422 });
        await page.click(tid('scheme-save'));
        await page.waitForSelector(tid('field-error'));
        const err = await page.$eval(tid('field-error'), (n) => ({ code: n.dataset.code, text: n.textContent, field: n.closest('[data-field]')?.dataset.field }));
        assert.equal(err.code, 'uscc_check_digit');
        assert.match(err.text, /校验/);
        assert.equal(await page.getAttribute(tid('scheme-joint-uscc'), 'aria-invalid'), 'true');
        // fixed: saved as a draft, the address now names it
        await page.fill(tid('scheme-joint-uscc'), '914403001922038216');
        await page.click(tid('scheme-save'));
        await page.waitForSelector(`${tid('scheme-status')}[data-status="draft"]`);
        assert.match(page.url(), /\/scheme\.html\?id=\d+$/);
        assert.deepEqual(o.problems, []);
    });

    test('the plan editor of an enterprise: Annex 4 sections counted live, saved as a draft', T, async () => {
        const o = await b.openAs('ent-gz');
        const { page } = o;
        await page.goto(`${b.base}/plan.html?round=2024&annex=4`, { waitUntil: 'load' });
        await waitReady(page, 'plan-view');
        assert.equal(await page.getAttribute(tid('plan-title'), 'data-annex'), '4');
        await page.fill(tid('plan-name'), '广州示范智能制造网络安全保险试点工作方案（浏览器测试）');
        await page.fill(tid('plan-sec-it_status'), zh(1000));
        await page.fill(tid('plan-sec-security_status'), zh(999));
        assert.equal(await page.getAttribute(tid('plan-sections-total'), 'data-count'), '1999');
        assert.equal(await page.getAttribute(tid('plan-sections-total'), 'data-ok'), 'false');
        await page.fill(tid('plan-sec-insurance_needs'), zh(1001));
        assert.equal(await page.getAttribute(tid('plan-sections-total'), 'data-ok'), 'true');
        await page.click(tid('plan-att-add'));
        await page.fill(tid('plan-att-process'), zh(4999));
        assert.equal(await page.getAttribute(tid('plan-att-total'), 'data-ok'), 'false');
        await page.fill(tid('plan-att-unit_premium_fen'), '12000.50');
        await page.click(tid('plan-save'));
        await page.waitForSelector(`${tid('plan-status')}[data-status="draft"]`);
        const id = new URL(page.url()).searchParams.get('id');
        const saved = await pageFetch(page, `/api/v1/plans/${id}`);
        assert.equal(saved.body.form.schemes[0].unit_premium_fen, 1200050);
        assert.deepEqual(saved.body.route.map((r) => r.level), ['city', 'province', 'ministry']);
        assert.equal(await page.locator(`${tid('plan-route')} li`).count(), 3);
        assert.deepEqual(o.problems, []);
    });

    test('what the hub and the editors offer follows /api/v1/me: a viewer gets no new plan and a read-only editor', T, async () => {
        const o = await b.openAs('gz-city-viewer');
        const { page } = o;
        const me = (await pageFetch(page, '/api/v1/me')).body;
        assert.equal(me.organisation.type, 'city');
        assert.equal(me.permissions.includes('plan2.write'), false);
        assert.equal(me.permissions.includes('scheme.write'), false);
        await page.goto(`${b.base}/pilot.html`, { waitUntil: 'load' });
        await waitReady(page, 'pilot-view');
        assert.equal(await page.locator(tid('new-plan')).count(), 0);
        assert.equal(await page.locator(tid('new-scheme')).count(), 0);
        assert.equal(await page.locator(tid('to-inbox')).count(), 1); // its organisation's inbox, to read
        await page.goto(`${b.base}/plan.html?round=2024&annex=2`, { waitUntil: 'load' });
        await waitReady(page, 'plan-view');
        assert.equal(await page.locator(tid('plan-save')).count(), 0);
        assert.equal(await page.isDisabled(tid('plan-name')), true);
        // and the server agrees: the viewer may not write it
        o.expectFailure({ method: 'POST', path: '/api/v1/plans', status: 403 });
        const r = await pageFetch(page, '/api/v1/plans', { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token }, body: { round_id: '2024', annex: 2, name: '只读' } });
        assert.equal(r.status, 403);
        assert.deepEqual(o.problems, []);
    });

    test('the catalogue and the pilots pages load for an enterprise', T, async () => {
        const o = await b.openAs('ent-gz');
        const { page } = o;
        await page.goto(`${b.base}/catalogue.html?round=2024`, { waitUntil: 'load' });
        await waitReady(page, 'catalogue-view');
        const api = await pageFetch(page, '/api/v1/catalogue?round_id=2024');
        assert.equal(await page.locator(tid('catalogue-row')).count(), api.body.items.length);
        await page.goto(`${b.base}/pilots.html`, { waitUntil: 'load' });
        await waitReady(page, 'pilots-view');
        await page.goto(`${b.base}/inbox.html`, { waitUntil: 'load' });
        await page.waitForSelector(`${tid('inbox-view')}[data-state="forbidden"]`);
        assert.deepEqual(o.problems, []);
    });
});

describe('pilot programme: the conflict of interest shows before an expert is assigned', { timeout: 120_000 }, () => {
    const b = useBrowser();
    let o;
    let scheme;

    before(async () => {
        // a scheme whose joint unit is the experts' own institute, submitted in time
        const sec = await login('secfirm');
        const s = await asAt(sec, '2024-01-12 09:00', 'POST', '/api/v1/schemes',
            schemeForm({ joint: [UNITS.insurer, UNITS.institute], name: '利益冲突测试服务方案', kind: 'security_firm' }));
        assert.equal(s.status, 201, s.text);
        scheme = s.json.id;
        for (const u of ['secfirm', 'insurer', 'expert'])
            assert.equal((await asAt(await login(u), '2024-01-12 10:00', 'POST', `/api/v1/schemes/${scheme}/confirm`, { legal_representative: '法定代表人' })).status, 200);
        assert.equal((await asAt(sec, '2024-01-12 11:00', 'POST', `/api/v1/schemes/${scheme}/submit`)).status, 200);
        o = await b.openAs('nisc');
    }, { timeout: 60_000 });

    test('the expert of an applicant unit is marked, named and cannot be saved', T, async () => {
        const { page } = o;
        await page.goto(`${b.base}/scheme.html?id=${scheme}`, { waitUntil: 'load' });
        await waitReady(page, 'scheme-view');
        await page.waitForSelector(`${tid('scheme-experts')}[data-state="ready"]`);
        const api = await pageFetch(page, `/api/v1/schemes/${scheme}/experts`);
        const conflicted = api.body.items.find((e) => e.conflict);
        await page.selectOption(tid('assign-user'), String(conflicted.user_id));
        assert.equal(await page.getAttribute(tid('assign-conflict'), 'data-conflict'), 'true');
        assert.match(await page.textContent(tid('assign-conflict')), /示范网络安全研究院（评审专家库，演示）/);
        assert.equal(await page.isDisabled(tid('assign-save')), true);
        assert.deepEqual(o.problems, []);
    });
});

describe('pilot programme: the new pages in English and on a phone', { timeout: 120_000 }, () => {
    const b = useBrowser();
    let o;

    before(async () => {
        o = await b.openAs('gd-prov', { viewport: { width: 360, height: 740 } });
    }, { timeout: 60_000 });

    test('home, extensions, summaries, overdue, pilots and the catalogue: every string in English, no page-wide scroll', T, async () => {
        const { page } = o;
        await page.click(tid('lang-toggle'));
        for (const [path, view] of [['/', 'home-todo'], ['/extensions.html?round=2024', 'extensions-view'],
            ['/summary.html?round=2024', 'summary-view'], ['/overdue.html?round=2024', 'overdue-view'],
            ['/pilots.html', 'pilots-view'], ['/catalogue.html?round=2024', 'catalogue-view'], ['/pilot.html', 'pilot-view']]) {
            await page.goto(`${b.base}${path}`, { waitUntil: 'load' });
            await waitReady(page, view);
            assert.equal(await page.getAttribute('html', 'lang'), 'en', path);
            assert.ok(!(await page.textContent('body')).includes('⟦'), `${path}: a string is missing`);
            const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
            assert.equal(wide, false, `${path} scrolls sideways at 360 px`);
        }
        assert.deepEqual(o.problems, []);
    });
});
