// claims.browser.mjs — the claims pages in real Chromium, imported by
// browser.test.mjs: an insured reports a ransomware incident through the
// intake (the policy previewed with its period and notice checks), the
// insurer's adjuster decides liability, adds line items, settles and pays on
// the claim page — the settlement's trace table equal, row by row, to the
// API's — and the insured sees where its claim stands, in both languages.
// The pages run at the real clock: the policy is bound 20 days ago (X-Test-Now)
// from 19 days ago, so today is inside its period.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tid, waitReady, useBrowser, noMissingStrings } from './lib/browser.mjs';
import { login, as } from './lib/http.mjs';
import { newEnterprise, claimsProduct, policyFor } from './lib/claims.mjs';

// A Beijing date or time `days` from now.
const bj = (days, time = null) => {
    const s = new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString();
    return time ? `${s.slice(0, 10)} ${time}` : s.slice(0, 10);
};

describe('claims pages: intake → liability → line items → settlement → payment, as insured and adjuster', { timeout: 300_000 }, () => {
    const b = useBrowser();
    let ent;
    let policy;
    let claimId;

    before(async () => {
        const miit = await login('miit');
        const insurer = await login('insurer');
        ent = await newEnterprise(miit, '浏览器理赔企业');
        const product = await claimsProduct(insurer);
        policy = await policyFor(ent.session, product, { when: bj(-20, '10:00'), start: bj(-19) });
    }, { timeout: 120_000 });

    test('the insured reports through the intake: its policy previewed, then the claim', async () => {
        const { page } = await b.openAs(ent.username, { password: 'Test-pass-12345' });
        await page.goto(`${b.base}/claims.html`);
        await waitReady(page, 'claims-view');
        await page.click(tid('claims-new'));
        await waitReady(page, 'claims-view');
        await page.selectOption(tid('intake-type'), 'ransomware');
        await page.fill(tid('intake-occurred'), bj(-1, '23:40'));
        await page.fill(tid('intake-discovered'), bj(-1, '23:50'));
        await page.fill(tid('intake-systems'), 'ERP, MES');
        // data and incident response estimated: liability answers for both (a coverage without an
        // estimate or a line item at the decision does not respond)
        await page.fill(tid('intake-est-data'), '200000');
        await page.fill(tid('intake-est-ir'), '80000');
        // a refusal names the field, in words
        await page.click(tid('intake-preview-btn'));
        await page.waitForSelector(tid('intake-error'));
        assert.equal(await page.getAttribute(tid('intake-error'), 'data-field'), 'description');
        assert.match(await page.textContent(tid('intake-error')), /请填写事件经过/);
        await page.fill(tid('intake-description'), '浏览器测试：生产网服务器被勒索软件加密');
        await page.click(tid('intake-preview-btn'));
        await page.waitForSelector(tid('intake-policy'));
        assert.equal(await page.getAttribute(tid('intake-policy'), 'data-answers'), 'true');
        assert.match(await page.textContent(tid('intake-policy')), new RegExp(`${policy.policy_no}.*在保险期间.*在 72 小时的报案期限内`));
        await noMissingStrings(page);
        await Promise.all([page.waitForURL(/claims\.html\?id=\d+/), page.click(tid('intake-confirm'))]);
        await waitReady(page, 'claims-view');
        claimId = Number(new URL(page.url()).searchParams.get('id'));
        assert.equal(await page.getAttribute(tid('claim-status'), 'data-status'), 'notified');
        assert.match(await page.textContent(tid('claim-title')), new RegExp(`${policy.policy_no}-C01`));
        assert.equal(await page.$(tid('claim-steps')), null, 'the insured has no adjuster steps');
    });

    test('the adjuster decides liability, adds line items, settles (the trace is the API\'s) and pays', async () => {
        const { page } = await b.openAs('insurer');
        await page.goto(`${b.base}/claims.html?id=${claimId}`);
        await waitReady(page, 'claims-view');
        await page.click(tid('claim-decide'));
        await page.waitForSelector(tid('claim-liability'));
        assert.equal(await page.getAttribute(tid('claim-liability'), 'data-outcome'), 'covered');
        const checks = await page.$$eval(tid('liability-check'), (ns) => ns.map((n) => [n.dataset.code, n.dataset.mark]));
        assert.ok(checks.some(([c, m]) => c === 'exclusion.unpatched_kev' && m === 'pass'), JSON.stringify(checks));
        // an uninsured coverage is refused by name; then data restoration ¥180,000 and IR ¥62,000
        const addLine = async (cov, desc, amount) => {
            await page.selectOption(tid('line-coverage'), cov);
            await page.fill(tid('line-description'), desc);
            await page.fill(tid('line-amount'), amount);
            await page.click(tid('line-add'));
        };
        await addLine('pr', '公关', '1000');
        await page.waitForSelector(tid('claim-error'));
        assert.equal(await page.getAttribute(tid('claim-error'), 'data-field'), 'coverage');
        await addLine('data', 'ERP 与 MES 数据库重建', '180000');
        await page.waitForSelector(`${tid('line-row')}[data-coverage="data"]`);
        await addLine('ir', '应急处置', '62000');
        await page.waitForSelector(`${tid('line-row')}[data-coverage="ir"]`);
        await page.click(tid('claim-settle'));
        await page.waitForSelector(tid('claim-settlement'));
        const api = (await as(await login('insurer'), 'GET', `/api/v1/claims/${claimId}`)).json.settlement;
        const rows = await page.$$eval(tid('trace-row'), (ns) => ns.map((n) => [n.dataset.rule, n.dataset.coverage || null, Number(n.dataset.before), Number(n.dataset.after)]));
        assert.deepEqual(rows, api.trace.map((l) => [l.rule, l.coverage, l.before, l.after]));
        // docs/terms.md's order: the ¥50,000 retention from data first (¥180,000 → ¥130,000, under
        // its ¥150,000 sublimit), then IR at the insurer's 90%: ¥62,000 × 90% = ¥55,800; ¥185,800.00
        assert.equal(api.paid_total, 18580000);
        assert.equal(await page.getAttribute(tid('claim-settlement'), 'data-paid'), '18580000');
        assert.match(await page.textContent(tid('claim-settled')), /185,800\.00/);
        // a payment above the settled amount is refused; then the final payment
        await page.fill(tid('pay-amount'), '185800.01');
        await page.click(tid('pay-final'));
        await page.waitForSelector(tid('claim-error'));
        assert.equal(await page.getAttribute(tid('claim-error'), 'data-field'), 'amount');
        await page.fill(tid('pay-amount'), '185800');
        await page.click(tid('pay-final'));
        await page.waitForFunction(() => document.querySelector('[data-testid="claim-paid"]')?.textContent.includes('185,800.00'));
        await page.click(tid('lang-toggle'));
        await page.waitForFunction(() => document.querySelector('[data-testid="claim-steps"], [data-testid="claim-title"]')?.textContent.includes('Claim'));
        await noMissingStrings(page);
    });

    test('the insured sees where its claim stands, without the adjuster\'s steps', async () => {
        const { page } = await b.openAs(ent.username, { password: 'Test-pass-12345' });
        await page.goto(`${b.base}/claims.html`);
        await waitReady(page, 'claims-view');
        assert.equal(await page.getAttribute(`${tid('claim-row')}[data-id="${claimId}"]`, 'data-status'), 'settled');
        await page.goto(`${b.base}/claims.html?id=${claimId}`);
        await waitReady(page, 'claims-view');
        assert.match(await page.textContent(tid('claim-paid')), /185,800\.00/);
        assert.equal(await page.$$eval(tid('trace-row'), (ns) => ns.length) > 0, true);
        assert.equal(await page.$(tid('claim-steps')), null);
        await noMissingStrings(page);
    });
});
