// pilot.round.browser.mjs — the 2024 round end to end in real Chromium, from
// the pages only: no API call of the test's own. Every step is what a person
// does on screen — log in, follow the home page's to-do, fill the forms, press
// the buttons — as the role that takes it: scheme → confirmations (from the
// to-do) → recommendation → reviewer assignment → review → catalogue →
// Annex 4 → the city's Annex 2 (表2 from the received plans) → package → late
// forward refused → extension asked and granted on screen → province →
// ministry → selection → progress report → summary via the city → exit; and
// the city's home page lists its package to forward with the next deadline.
//
// The receipt time of each step is stated the way the server's --test-clock
// reads it, an X-Test-Now header the browser context sends with every request
// (run.sh starts the server with the flag), so the round's 2024 dates are
// walked in order. Imported by pilot.browser.mjs (browser.test.mjs).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tid, waitReady, loginAs, useBrowser } from './lib/browser.mjs';
import { zh } from './lib/pilot.mjs';

const T = { timeout: 120_000 };
const SECFIRM = { name: '羊城示范网络安全技术有限公司（演示）', uscc: '91440106895ANBKF5M' };

describe('the 2024 round on screen, every step by the role that takes it', { timeout: 900_000 }, () => {
    const b = useBrowser();
    const users = new Map();
    const ID = {};

    // The user's page, its requests received at `time` (Beijing time); logged in
    // again when its session has lapsed by then (sessions age on the same clock).
    async function as(username, time) {
        let o = users.get(username);
        if (!o) {
            o = await b.open();
            users.set(username, o);
        }
        await o.context.setExtraHTTPHeaders({ 'x-test-now': time });
        await o.page.goto(`${b.base}/`, { waitUntil: 'load' });
        await o.page.waitForFunction((s) => ['user', 'anonymous'].includes(document.querySelector(s)?.dataset.state), tid('session'));
        if (await o.page.getAttribute(tid('session'), 'data-state') === 'anonymous') await loginAs(o.page, b.base, username);
        return o;
    }

    async function go(o, path, view) {
        await o.page.goto(`${b.base}${path}`, { waitUntil: 'load' });
        await waitReady(o.page, view);
    }

    const idOf = (page) => Number(new URL(page.url()).searchParams.get('id'));

    async function confirmAs(username, time, path, view, prefix, rep) {
        const o = await as(username, time);
        await go(o, path, view);
        await o.page.waitForSelector(tid(`${prefix}-declaration-declaration`));
        await o.page.fill(tid(`${prefix}-legal-rep`), rep);
        await o.page.click(tid(`${prefix}-confirm`));
        await o.page.waitForSelector(tid(`${prefix}-saved`) + ':not([hidden])');
        return o;
    }

    test('the insurer drafts its Annex 1 scheme: the lead\'s details start from its profile, the coded fields are lists', T, async () => {
        const o = await as('insurer', '2024-01-10 09:00');
        const { page } = o;
        await page.click(tid('nav-pilot'));
        await waitReady(page, 'pilot-view');
        await page.click(tid('new-scheme'));
        await waitReady(page, 'scheme-view');
        assert.equal(await page.inputValue(tid('scheme-lead-address')), '深圳市福田区示范路1号');
        await page.fill(tid('scheme-name'), '制造业网络安全保险综合服务方案（界面测试）');
        await page.fill(tid('scheme-location'), '广东省深圳市');
        await page.fill(tid('scheme-leader-name'), '李明');
        await page.fill(tid('scheme-leader-title'), '总经理');
        await page.fill(tid('scheme-lead-fax'), '0755-81302256');
        await page.selectOption(tid('scheme-lead-kind'), 'insurer');
        await page.selectOption(tid('scheme-direction'), 'enterprise');
        await page.selectOption(tid('scheme-industry'), 'industrial_internet');
        await page.fill(tid('scheme-unit-intro'), zh(300));
        await page.fill(tid('scheme-overview'), zh(300));
        await page.click(tid('scheme-joint-add'));
        await page.fill(tid('scheme-joint-name'), SECFIRM.name);
        await page.selectOption(tid('scheme-joint-nature'), 'private');
        await page.fill(tid('scheme-joint-uscc'), SECFIRM.uscc);
        await page.selectOption(tid('scheme-joint-kind'), 'security_firm');
        await page.fill(tid('scheme-background'), zh(1000));
        await page.fill(tid('scheme-service'), zh(2000));
        await page.fill(tid('scheme-team'), zh(500));
        for (let i = 0; i < 3; i++) {
            await page.click(tid('scheme-case-add'));
            await page.locator(tid('scheme-case-title')).nth(i).fill(zh(10));
            await page.locator(tid('scheme-case-text')).nth(i).fill(zh(300));
        }
        await page.fill(tid('scheme-promotion'), zh(600));
        assert.equal(await page.getAttribute(tid('scheme-body-total'), 'data-ok'), 'true');
        await page.fill(tid('scheme-materials-unit'), '高新技术企业证书\n2023年度财务审计报告');
        await page.fill(tid('scheme-materials-scheme'), '网络安全保险条款及合同模板');
        await page.click(tid('scheme-save'));
        await page.waitForSelector(`${tid('scheme-status')}[data-status="draft"]`);
        ID.scheme = idOf(page);
        // its own unit's declarations, word for word, confirmed by the admin
        await confirmAs('insurer', '2024-01-10 10:00', `/scheme.html?id=${ID.scheme}`, 'scheme-view', 'scheme', '王总');
        assert.deepEqual(o.problems, []);
    });

    test('the joint unit finds the confirmation on its home page and confirms', T, async () => {
        const o = await as('secfirm', '2024-01-11 09:00');
        const { page } = o;
        await page.goto(`${b.base}/`, { waitUntil: 'load' });
        await waitReady(page, 'home-todo');
        // notified in the app: the scheme names secfirm as a joint unit; marked read, it leaves the list
        const note = `${tid('note-item')}[data-kind="pilot.confirm"]:has(a[href="/scheme.html?id=${ID.scheme}"])`;
        assert.equal(await page.locator(note).count(), 1);
        assert.match(await page.textContent(note), /联合申报单位，待本单位管理员确认/);
        await page.click(`${note} ${tid('note-read')}`);
        await page.waitForFunction((s) => document.querySelectorAll(s).length === 0, note);
        const item = page.locator(`${tid('todo-item')}[data-kind="confirm"] a[href="/scheme.html?id=${ID.scheme}"]`);
        assert.equal(await item.count(), 1);
        await item.click();
        await waitReady(page, 'scheme-view');
        assert.match(await page.textContent(tid('scheme-declaration-declaration')), /5\. 试点期内存在责任落实不到位/);
        await page.fill(tid('scheme-legal-rep'), '赵总');
        await page.click(tid('scheme-confirm'));
        await page.waitForSelector(`${tid('unit-row')}[data-seq="1"][data-confirmed="true"]`);
        assert.deepEqual(o.problems, []);
    });

    test('the insurer submits; Guangdong recommends by 2024-01-28', T, async () => {
        let o = await as('insurer', '2024-01-20 10:00');
        await go(o, `/scheme.html?id=${ID.scheme}`, 'scheme-view');
        await o.page.click(tid('scheme-submit'));
        await o.page.waitForSelector(`${tid('scheme-status')}[data-status="submitted"]`);
        assert.deepEqual(o.problems, []);
        o = await as('gd-prov', '2024-01-25 10:00');
        await go(o, `/scheme.html?id=${ID.scheme}`, 'scheme-view');
        await o.page.fill(tid('scheme-recommend-text'), '该方案服务能力突出，推荐入选。');
        await o.page.click(tid('scheme-recommend'));
        await o.page.waitForFunction((s) => document.querySelectorAll(`${s} li`).length === 1, tid('scheme-recommendations'));
        assert.deepEqual(o.problems, []);
    });

    test('the support center assigns two experts; each scores the scheme from its home page', T, async () => {
        const o = await as('nisc', '2024-01-26 09:00');
        await go(o, `/scheme.html?id=${ID.scheme}`, 'scheme-view');
        for (let i = 0; i < 2; i++) {
            await o.page.waitForSelector(`${tid('scheme-experts')}[data-state="ready"]`);
            await o.page.selectOption(tid('assign-user'), { index: 1 });
            assert.equal(await o.page.isDisabled(tid('assign-save')), false);
            await o.page.click(tid('assign-save'));
            await o.page.waitForFunction((n) => document.querySelectorAll('[data-testid="assigned-expert"]').length === n, i + 1);
        }
        assert.deepEqual(o.problems, []);
        for (const expert of ['expert', 'expert2']) {
            const e = await as(expert, '2024-01-27 09:00');
            await e.page.goto(`${b.base}/`, { waitUntil: 'load' });
            await waitReady(e.page, 'home-todo');
            await e.page.click(`${tid('todo-item')}[data-kind="review"] a`);
            await waitReady(e.page, 'review-view');
            for (const input of await e.page.locator(tid('review-score')).all()) await input.fill('8');
            assert.equal(await e.page.getAttribute(tid('review-total'), 'data-total'), '8000');
            await e.page.click(tid('review-submit'));
            await e.page.waitForSelector(`${tid('review-sheet')}[data-status="submitted"]`);
            assert.deepEqual(e.problems, []);
        }
    });

    test('the ministry lists the reviewed scheme in the catalogue', T, async () => {
        const o = await as('miit', '2024-01-30 09:00');
        await go(o, '/catalogue.html?round=2024', 'catalogue-view');
        const row = `${tid('cat-candidate')}[data-id="${ID.scheme}"]`;
        assert.equal(await o.page.getAttribute(row, 'data-ready'), 'true');
        await o.page.check(`${row} ${tid('cat-pick')}`);
        await o.page.click(tid('cat-publish'));
        await o.page.waitForSelector(`${tid('catalogue-row')}[data-scheme="${ID.scheme}"]`);
        assert.deepEqual(o.problems, []);
    });

    test('an enterprise writes its Annex 4 plan with secfirm; amounts in 元 and 万元; both confirm; it goes to the city', T, async () => {
        const o = await as('ent-gz', '2024-02-05 09:00');
        const { page } = o;
        await go(o, '/pilot.html', 'pilot-view');
        await page.click(tid('new-plan'));
        await waitReady(page, 'plan-view');
        await page.fill(tid('plan-name'), '智能制造网络安全保险试点工作方案（界面测试）');
        await page.fill(tid('plan-lead-fax'), '020-84774721');
        await page.selectOption(tid('plan-direction'), 'enterprise');
        await page.selectOption(tid('plan-industry'), 'industrial_internet');
        await page.fill(tid('plan-unit-intro'), zh(300));
        await page.click(tid('plan-joint-add'));
        await page.fill(tid('plan-joint-name'), SECFIRM.name);
        await page.selectOption(tid('plan-joint-nature'), 'private');
        await page.fill(tid('plan-joint-uscc'), SECFIRM.uscc);
        await page.selectOption(tid('plan-joint-kind'), 'security_firm');
        for (const k of ['it_status', 'security_status', 'insurance_needs']) await page.fill(tid(`plan-sec-${k}`), zh(1000));
        await page.click(tid('plan-att-add'));
        await page.fill(tid('plan-att-name'), '智能制造企业网络安全保险服务方案');
        await page.fill(tid('plan-att-institutions'), zh(1500));
        await page.fill(tid('plan-att-process'), zh(2000));
        await page.fill(tid('plan-att-security'), zh(1500));
        // "5万x" is no amount: said next to the field, nothing is sent
        await page.fill(tid('plan-att-unit_premium_fen'), '5万x');
        assert.match(await page.textContent(tid('plan-att-unit_premium_fen-msg')), /请输入金额/);
        await page.fill(tid('plan-att-unit_premium_fen'), '1.2万');
        assert.equal(await page.isHidden(tid('plan-att-unit_premium_fen-msg')), true);
        await page.selectOption(tid('plan-att-sum_insured_fen-unit'), 'wan');
        await page.fill(tid('plan-att-sum_insured_fen'), '500');
        await page.click(tid('plan-save'));
        await page.waitForSelector(`${tid('plan-status')}[data-status="draft"]`);
        ID.a4 = idOf(page);
        await confirmAs('ent-gz', '2024-02-05 10:00', `/plan.html?id=${ID.a4}`, 'plan-view', 'plan', '孙董事长');
        await confirmAs('secfirm', '2024-02-05 11:00', `/plan.html?id=${ID.a4}`, 'plan-view', 'plan', '赵总');
        await as('ent-gz', '2024-02-06 09:00');
        await go(o, `/plan.html?id=${ID.a4}`, 'plan-view');
        await page.click(tid('plan-submit'));
        await page.waitForSelector(`${tid('plan-status')}[data-status="submitted"]`);
        assert.match(await page.textContent(tid('plan-hops')), /广州示范智能制造有限公司（演示）将本方案报送广州市工业和信息化局（演示）/);
        assert.deepEqual(o.problems, []);
    });

    test('the city writes its Annex 2 with 表2 from the received plan, and packages both', T, async () => {
        const o = await as('gz-city', '2024-02-20 09:00');
        const { page } = o;
        await go(o, '/pilot.html', 'pilot-view');
        await page.click(tid('new-plan'));
        await waitReady(page, 'plan-view');
        await page.fill(tid('plan-name'), '广州市网络安全保险服务试点工作方案（界面测试）');
        for (const [k, v] of [['leader-name', '张处长'], ['leader-title', '处长'], ['contact-name', '陈科长'],
            ['contact-department', '网络安全处'], ['contact-title', '科长'], ['contact-phone', '020-83135990'],
            ['contact-email', 'pilot@example.gov.cn']]) await page.fill(tid(`plan-${k}`), v);
        for (const k of ['approach', 'arrangement', 'organisation']) await page.fill(tid(`plan-sec-${k}`), zh(1000));
        await page.click(tid('plan-institutions-add'));
        await page.fill(tid('plan-institutions-name'), SECFIRM.name);
        await page.selectOption(tid('plan-institutions-type'), 'security_firm');
        await page.fill(tid('plan-institutions-contact'), '赵经理 020-88888888');
        await page.fill(tid('plan-institutions-role'), '牵头，负责风险评估与应急处置');
        await page.click(tid('plan-targets-import'));
        await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="plan-targets-name"]')]
            .some((n) => n.value === '广州示范智能制造有限公司（演示）'));
        await page.click(tid('plan-scheme-table-add'));
        await page.fill(tid('plan-scheme-table-name'), '智能制造企业网络安全保险服务方案');
        await page.selectOption(tid('plan-scheme-table-kind'), 'enterprise');
        await page.selectOption(tid('plan-scheme-table-industry'), 'industrial_internet');
        await page.fill(tid('plan-scheme-table-contact'), '李明');
        await page.fill(tid('plan-scheme-table-phone_email'), '13900000000');
        await page.click(tid('plan-att-add'));
        await page.fill(tid('plan-att-name'), '广州市网络安全保险服务方案');
        await page.fill(tid('plan-att-institutions'), zh(1500));
        await page.fill(tid('plan-att-process'), zh(2000));
        await page.fill(tid('plan-att-security'), zh(1500));
        await page.fill(tid('plan-att-unit_premium_fen'), '12000');
        await page.fill(tid('plan-att-sum_insured_fen'), '5000000');
        await page.click(tid('plan-save'));
        await page.waitForSelector(`${tid('plan-status')}[data-status="draft"]`);
        ID.a2 = idOf(page);
        await page.click(tid('plan-submit'));
        await page.waitForSelector(`${tid('plan-status')}[data-status="submitted"]`);
        await go(o, '/inbox.html', 'inbox-view');
        for (const id of [ID.a2, ID.a4]) await page.check(`${tid('held-row')}[data-id="${id}"] ${tid('held-pick')}`);
        await page.click(tid('make-package'));
        const row = `${tid('outbox-row')}:has(${tid('package-plan-link')}[data-id="${ID.a2}"])`;
        await page.waitForSelector(row);
        ID.pkg = Number(await page.getAttribute(row, 'data-id'));
        assert.equal(await page.locator(`${row} ${tid('package-plan-link')}[data-id="${ID.a4}"]`).count(), 1);
        assert.deepEqual(o.problems, []);
    });

    test('the city\'s home page lists the package to forward and the next deadline with the days left', T, async () => {
        const o = await as('gz-city', '2024-02-20 12:00');
        await go(o, '/', 'home-todo');
        assert.equal(await o.page.locator(`${tid('todo-item')}[data-kind="package_forward"] a[href="/inbox.html?package=${ID.pkg}"]`).count(), 1);
        const first = o.page.locator(tid('deadline-row')).first();
        assert.equal(await first.getAttribute('data-key'), 'package_at_province');
        assert.equal(await first.getAttribute('data-days'), '6');
        assert.equal((await first.locator(tid('deadline-days')).textContent()).trim(), '6 天');
        assert.deepEqual(o.problems, []);
    });

    test('a forward after 2024-02-26 is refused on screen; the city asks for an extension, the province grants it', T, async () => {
        let o = await as('gz-city', '2024-02-27 09:00');
        await go(o, '/inbox.html', 'inbox-view');
        o.expectFailure({ method: 'POST', path: `/api/v1/packages/${ID.pkg}/forward`, status: 422 });
        await o.page.click(`${tid('outbox-row')}[data-id="${ID.pkg}"] ${tid('package-forward')}`);
        await o.page.waitForSelector(`${tid('inbox-message')}[data-error="true"]`);
        assert.match(await o.page.textContent(tid('inbox-message')), /逾期不予受理：地市申报材料报送省工业和信息化厅的截止时间为 2024-02-26 23:59:59/);
        await go(o, '/extensions.html?round=2024', 'extensions-view');
        await o.page.selectOption(tid('ext-ask-deadline'), 'package_at_province');
        await o.page.fill(tid('ext-ask-until'), '2024-02-29');
        await o.page.fill(tid('ext-ask-reason'), '补充电信企业材料（界面测试）');
        await o.page.click(tid('ext-ask-submit'));
        await o.page.waitForSelector(`${tid('request-row')}[data-status="open"]`);
        assert.deepEqual(o.problems, []);

        const p = await as('gd-prov', '2024-02-27 10:00');
        await go(p, '/extensions.html?round=2024', 'extensions-view');
        const row = p.page.locator(tid('request-row'), { hasText: '补充电信企业材料（界面测试）' });
        await row.locator(tid('request-grant')).click();
        await p.page.waitForSelector(`${tid('extension-row')}[data-deadline="package_at_province"]`);
        assert.equal(await p.page.locator(tid('request-row'), { hasText: '补充电信企业材料（界面测试）' }).getAttribute('data-status'), 'granted');
        assert.deepEqual(p.problems, []);

        o = await as('gz-city', '2024-02-28 09:00');
        await go(o, '/inbox.html', 'inbox-view');
        await o.page.click(`${tid('outbox-row')}[data-id="${ID.pkg}"] ${tid('package-forward')}`);
        await o.page.waitForSelector(`${tid('outbox-row')}[data-id="${ID.pkg}"][data-status="sent"]`);
        assert.equal(await o.page.getAttribute(tid('inbox-message'), 'data-error'), 'false');
    });

    test('the province forwards to the ministry, which selects the pilot', T, async () => {
        const p = await as('gd-prov', '2024-03-10 09:00');
        await go(p, '/inbox.html', 'inbox-view');
        await p.page.click(`${tid('inbox-row')}[data-id="${ID.pkg}"] ${tid('package-forward')}`);
        await p.page.waitForSelector(`${tid('inbox-message')}[data-error="false"]:not([hidden])`);
        assert.deepEqual(p.problems, []);
        const m = await as('miit', '2024-03-20 09:00');
        await go(m, '/pilots.html', 'pilots-view');
        const row = `${tid('select-row')}[data-id="${ID.a4}"]`;
        await m.page.fill(`${row} ${tid('select-start')}`, '2024-04-01');
        await m.page.click(`${row} ${tid('select-plan')}`);
        await m.page.waitForSelector(`${tid('pilot-row')}:has-text("智能制造网络安全保险试点工作方案（界面测试）")`);
        assert.deepEqual(m.problems, []);
    });

    test('the pilot reports its progress and files its summary via the city, which forwards it', T, async () => {
        const o = await as('ent-gz', '2024-07-05 09:00');
        await go(o, '/pilots.html', 'pilots-view');
        await o.page.click(`${tid('pilot-row')}:has-text("智能制造网络安全保险试点工作方案（界面测试）") a`);
        await waitReady(o.page, 'pilots-view');
        ID.pilot = idOf(o.page);
        await o.page.click(tid('pilot-report-link'));
        await waitReady(o.page, 'report-view');
        await o.page.selectOption(tid('report-period'), '2024Q2');
        await o.page.fill(tid('report-insured_enterprises'), '12');
        await o.page.fill(tid('report-policies'), '15');
        await o.page.fill(tid('report-premium_fen'), '180');
        await o.page.fill(tid('report-text'), '二季度完成12家企业承保和风险评估。');
        await o.page.click(tid('report-submit'));
        await o.page.waitForSelector(`${tid('report-row')}[data-period="2024Q2"][data-late="false"]`);

        await as('ent-gz', '2024-10-25 09:00');
        await go(o, '/summary.html?round=2024', 'summary-view');
        await o.page.selectOption(tid('summary-level'), `pilot:${ID.pilot}`);
        for (const k of ['progress', 'innovation', 'services']) await o.page.fill(tid(`summary-${k}`), zh(200));
        await o.page.click(tid('summary-submit'));
        await o.page.waitForSelector(`${tid('summary-message')}:not([hidden])`);
        assert.match(await o.page.textContent(tid('summary-message')), /已报送广州市工业和信息化局（演示）/);
        assert.deepEqual(o.problems, []);

        const c = await as('gz-city', '2024-10-28 09:00');
        await go(c, '/summary.html?round=2024', 'summary-view');
        await c.page.click(`${tid('summary-row')}:has-text("广州示范智能制造有限公司（演示）") ${tid('summary-forward')}`);
        await c.page.waitForSelector(`${tid('summary-message')}:not([hidden])`);
        assert.match(await c.page.textContent(tid('summary-message')), /已转报广东省工业和信息化厅（演示）/);
        assert.deepEqual(c.problems, []);
    });

    test('the province exits the pilot with its reason; the timeline says it all in words', T, async () => {
        const p = await as('gd-prov', '2024-12-01 09:00');
        await go(p, `/pilots.html?id=${ID.pilot}`, 'pilots-view');
        await p.page.fill(tid('pilot-exit-reason'), '经营服务出现重大问题，取消试点资格（界面测试）');
        await p.page.click(tid('pilot-exit-submit'));
        await p.page.waitForSelector(`${tid('pilot-card')}[data-status="exited"]`);
        const kinds = await p.page.$$eval(tid('timeline-item'), (li) => li.map((x) => x.dataset.kind));
        assert.deepEqual(kinds, ['drafted', 'submit', 'forward', 'forward', 'selected', 'report', 'summary', 'exited']);
        assert.ok(!(await p.page.textContent('body')).includes('⟦'));
        assert.deepEqual(p.problems, []);
    });
});
