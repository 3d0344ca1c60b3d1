// uw.browser.mjs — the underwriting pages in real Chromium, imported by
// browser.test.mjs (the harness runs only that file in browser mode).
//
// An enterprise (ent-gz) fills the questionnaire step by step, leaves and
// resumes where its answers stop, submits, and sees its score, grade and
// drivers as the API computed them; asks for a quote and sees how the
// premium was made — every factor and each coverage's pure premium equal to
// the API's — in both languages, then binds it and sees the policy. The
// insurer's underwriter approves a referred quote from the referral queue,
// and the product page shows the 单价保费及保额 table the API answers. The
// product and the referred quote are made through the API first.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launchBrowser, openPage, tid, waitReady, pageFetch, loginAs } from './lib/browser.mjs';
import { login, as } from './lib/http.mjs';
import { productBody, bestAnswers } from './matrix/uw.mjs';

const T = { timeout: 90_000 };

async function ok(r, status) {
    assert.equal(r.status, status, r.text);
    return r.json;
}

async function noMissingStrings(page) {
    assert.equal(await page.evaluate(() => document.body.textContent.includes('⟦')), false, 'a string is missing from the dictionary');
}

describe('underwriting: questionnaire, assessment result, quote breakdown, policy, referral queue', { timeout: 400_000 }, () => {
    let base;
    let browser;
    const opened = [];
    let product;
    let referred;

    before(async () => {
        base = baseUrl();
        browser = await launchBrowser();
        const ins = await login('insurer');
        product = await ok(await as(ins, 'POST', '/api/v1/products', { body: productBody('浏览器测试网络安全保险') }), 201);
        await ok(await as(ins, 'POST', `/api/v1/products/${product.id}/filing`, { body: { filing_no: '浏览器测试备案', filing_date: '2024-03-01' } }), 200);
        // a quote the rules refer: a KEV finding on the internet for months
        const ent = await login('ent-gz');
        const a = await ok(await as(ent, 'POST', '/api/v1/assessments', { body: { answers: await bestAnswers(ent) } }), 201);
        await ok(await as(ent, 'POST', `/api/v1/assessments/${a.id}/findings`, { body: { findings: [{ asset: 'vpn.browser.example.cn', port: 443, cve: 'CVE-2024-3400', cvss: 10, epss: 0.96, kev: true, first_seen: '2024-04-12' }] } }), 200);
        await ok(await as(ent, 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
        referred = await ok(await as(ent, 'POST', '/api/v1/quotes', { body: { product_id: product.id, assessment_id: a.id, revenue: 20000000000, aggregate_limit: 300000000, retention: 1000000 } }), 201);
        assert.equal(referred.status, 'referred');
    }, { timeout: 120_000 });

    after(async () => {
        for (const o of opened) await o.context.close().catch(() => {});
        await browser?.close().catch(() => {});
    });

    async function open(username) {
        const o = await openPage(browser, { viewport: { width: 1280, height: 900 } });
        opened.push(o);
        await loginAs(o.page, base, username);
        return o;
    }

    let ent;
    let assessmentId;

    // Answer every question of the step on screen: yes, the first option, a number.
    async function answerStep(page) {
        const qs = await page.$$eval(tid('qn-question'), (fs) => fs.map((f) => ({ id: f.dataset.id, type: f.dataset.type })));
        for (const q of qs) {
            if (q.type === 'ynp') await page.check(tid(`qn-${q.id}-yes`));
            else if (q.type === 'choice') await page.check(`[data-testid="qn-question"][data-id="${q.id}"] input[type=radio] >> nth=0`);
            else await page.fill(tid(`qn-${q.id}-number`), q.id === 'ic_eol' ? '0' : '100');
        }
        return qs.length;
    }

    async function step(page) {
        return Number(await page.getAttribute(tid('assess-wizard'), 'data-step'));
    }

    async function next(page) {
        const before_ = await step(page);
        await page.click(tid('assess-next'));
        await page.waitForFunction(([sel, s]) => Number(document.querySelector(sel)?.dataset.step) === s + 1, [tid('assess-wizard'), before_]);
    }

    test('an enterprise fills the questionnaire, leaves, resumes where it stopped, and submits', T, async () => {
        ent = await open('ent-gz');
        const { page } = ent;
        await page.goto(`${base}/assessment.html`, { waitUntil: 'load' });
        await waitReady(page, 'assessment-view');
        await Promise.all([page.waitForURL((u) => u.pathname === '/assessment.html' && u.searchParams.has('id')), page.click(tid('assess-new'))]);
        assessmentId = Number(new URL(page.url()).searchParams.get('id'));
        await waitReady(page, 'assessment-view');
        assert.equal(await step(page), 0);
        // the profile: 工业互联网 brings the ICS module, cloud the cloud module
        await page.selectOption(tid('assess-target'), 'industrial_internet');
        await page.check(tid('assess-flag-cloud'));
        await page.selectOption(tid('assess-mlps-level'), '2');
        await page.selectOption(tid('assess-mlps-conclusion'), 'good');
        await page.fill(tid('assess-dep-cloud'), '阿里云');
        await next(page);
        const applicable = Number(await page.getAttribute(tid('assess-progress'), 'data-applicable'));
        assert.equal(applicable, 42); // 36 base questions + 3 cloud + 3 ICS
        let answered = await answerStep(page);
        assert.equal(Number(await page.getAttribute(tid('assess-progress'), 'data-answered')), answered);
        await next(page);
        answered += await answerStep(page);
        await next(page);
        // saved on the server as it went
        const saved = (await pageFetch(page, `/api/v1/assessments/${assessmentId}`)).body;
        assert.deepEqual(saved.modules, ['cloud', 'ics']);
        assert.equal(saved.progress.answered, answered);
        assert.equal(saved.dependencies.cloud, '阿里云');
        // leave and come back: the wizard resumes at the first step with an unanswered question
        await page.goto(`${base}/assessment.html?id=${assessmentId}`, { waitUntil: 'load' });
        await waitReady(page, 'assessment-view');
        assert.equal(await step(page), 3);
        assert.equal(Number(await page.getAttribute(tid('assess-progress'), 'data-answered')), answered);
        // the rest of the sections
        while (await page.isVisible(tid('assess-next'))) {
            await answerStep(page);
            await next(page);
        }
        assert.equal((await pageFetch(page, `/api/v1/assessments/${assessmentId}`)).body.progress.answered, 42);
        await page.click(tid('assess-submit'));
        await page.waitForSelector(tid('assess-result'));
        const a = (await pageFetch(page, `/api/v1/assessments/${assessmentId}`)).body;
        assert.equal(a.status, 'submitted');
        assert.equal(await page.getAttribute(tid('assess-score'), 'data-score'), String(a.score));
        assert.equal((await page.textContent(tid('assess-score'))).trim(), a.score.toFixed(2));
        assert.equal(await page.getAttribute(tid('assess-grade'), 'data-grade'), a.grade);
        const drivers = await page.$$eval(tid('assess-driver'), (li) => li.map((x) => [x.dataset.id, Number(x.dataset.points)]));
        assert.deepEqual(drivers, a.result.drivers.map((d) => [d.id, d.points]));
        assert.equal(await page.locator(`${tid('assess-driver')} meter`).count(), a.result.drivers.length);
        assert.equal(await page.locator(tid('assess-advice')).count(), a.result.recommendations.length);
        await noMissingStrings(page);
    });

    test('the quote page shows how the premium was made, factor by factor, in both languages', T, async () => {
        const { page } = ent;
        await Promise.all([page.waitForURL((u) => u.pathname === '/quote.html'), page.click(tid('assess-quote-link'))]);
        await waitReady(page, 'quote-view');
        assert.equal(await page.inputValue(tid('quote-form-assessment-id')), String(assessmentId));
        await page.selectOption(tid('quote-form-product-id'), String(product.id));
        await page.fill(tid('quote-form-revenue'), '50000'); // 万元: ¥500M
        await page.selectOption(tid('quote-form-aggregate-limit'), '300000000');
        await page.selectOption(tid('quote-form-retention'), '1000000');
        await Promise.all([page.waitForURL((u) => u.searchParams.has('id')), page.click(tid('quote-form-submit'))]);
        await waitReady(page, 'quote-view');
        const id = Number(new URL(page.url()).searchParams.get('id'));
        const q = (await pageFetch(page, `/api/v1/quotes/${id}`)).body;
        assert.equal(q.revenue, 50000000000);
        assert.equal(q.assessment_id, assessmentId);
        const b = q.breakdown;
        assert.equal(await page.getAttribute(tid('quote-premium'), 'data-fen'), String(q.premium));
        assert.equal(await page.getAttribute(tid('qb-premium'), 'data-fen'), String(b.premium));
        assert.equal(await page.getAttribute(tid('qb-pure'), 'data-fen'), String(b.pure_premium));
        assert.equal(await page.getAttribute(tid('qb-gross'), 'data-fen'), String(b.gross_premium));
        for (const k of ['base', 'size', 'security', 'lambda']) {
            const key = { base: 'base_frequency', size: 'size_factor', security: 'security_factor', lambda: 'lambda' }[k];
            assert.equal(Number(await page.getAttribute(tid(`qb-${k}`), 'data-value')), b.factors[key], k);
        }
        const rows = await page.$$eval(tid('qb-cov'), (trs) => trs.map((tr) => [tr.dataset.code,
            Number(tr.querySelector('[data-testid="qb-cov-pure"]').dataset.fen)]));
        assert.deepEqual(rows, b.coverages.map((c) => [c.code, c.pure_premium]));
        const rules = await page.$$eval(tid('qb-rule'), (li) => li.map((x) => x.dataset.id));
        assert.deepEqual(rules, b.rules.map((r) => r.id));
        assert.match((await page.textContent(tid('quote-breakdown'))), /出险频率 λ/);
        await page.click(tid('lang-toggle'));
        await page.waitForFunction(() => document.documentElement.lang === 'en');
        assert.match((await page.textContent(tid('quote-breakdown'))), /Frequency λ = industry base × size factor × security factor/);
        await noMissingStrings(page);
        await page.click(tid('lang-toggle'));
        await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
        // bind it and land on the policy
        assert.equal(q.bindable, true);
        await Promise.all([page.waitForURL((u) => u.pathname === '/policy.html'), page.click(tid('quote-bind'))]);
        await waitReady(page, 'policy-view');
        const pid = Number(new URL(page.url()).searchParams.get('id'));
        const p = (await pageFetch(page, `/api/v1/policies/${pid}`)).body;
        assert.equal((await page.textContent(tid('policy-no'))).trim(), p.policy_no);
        assert.match(p.policy_no, /^CY-\d{4}-\d{6}-\d{6}-\d{2}$/);
        assert.equal(await page.getAttribute(tid('policy-annual'), 'data-fen'), String(q.premium));
        assert.deepEqual(await page.$$eval(tid('policy-cov'), (trs) => trs.map((tr) => tr.dataset.code)), p.terms.coverages.map((c) => c.code));
        assert.ok(await page.isVisible(tid('policy-cancel'))); // the insured's admin may cancel
        assert.equal(await page.locator(tid('policy-endorse')).count(), 0); // only the insurer endorses
        await noMissingStrings(page);
        assert.deepEqual(ent.problems, []);
    });

    test('the insurer\'s underwriter approves a referred quote from the referral queue', T, async () => {
        const o = await open('insurer-uw');
        const { page } = o;
        await page.goto(`${base}/referrals.html`, { waitUntil: 'load' });
        await waitReady(page, 'referrals-view');
        const queue = (await pageFetch(page, '/api/v1/quotes?status=referred')).body.items;
        assert.deepEqual(await page.$$eval(tid('referral-row'), (trs) => trs.map((tr) => Number(tr.dataset.id))), queue.map((x) => x.id));
        await Promise.all([page.waitForURL((u) => u.pathname === '/quote.html'),
            page.click(`${tid('referral-row')}[data-id="${referred.id}"] ${tid('referral-link')}`)]);
        await waitReady(page, 'quote-view');
        assert.equal(await page.getAttribute(tid('quote-status'), 'data-code'), 'referred');
        await page.selectOption(tid('quote-referral-decision'), 'approve');
        await page.fill(tid('quote-referral-note'), '已复扫确认修补（浏览器测试）');
        await page.click(tid('quote-referral-submit'));
        await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.code === 'approved', tid('quote-status'));
        assert.equal((await pageFetch(page, `/api/v1/quotes/${referred.id}`)).body.status, 'approved');
        assert.match(await page.textContent(tid('quote-referral-note')), /已复扫确认修补/);
        assert.equal(await page.locator(tid('quote-referral')).count(), 0);
        await noMissingStrings(page);
        assert.deepEqual(o.problems, []);
    });

    test('the product page shows the 单价保费及保额 table the API answers', T, async () => {
        const o = await open('ent-hz');
        const { page } = o;
        await page.goto(`${base}/products.html?id=${product.id}`, { waitUntil: 'load' });
        await waitReady(page, 'products-view');
        assert.equal((await page.textContent(tid('product-name'))).trim(), product.name);
        await page.selectOption(tid('rate-industry'), 'I');
        await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.industry === 'I', tid('rate-tables'));
        const table = (await pageFetch(page, `/api/v1/products/${product.id}/rate-table?industry=I`)).body;
        const cells = await page.$$eval(tid('rate-cell'), (tds) => tds.map((td) => [Number(td.closest('tr').dataset.limit), td.closest('tr').dataset.band, td.dataset.grade, Number(td.dataset.fen)]));
        assert.equal(cells.length, table.rows.length);
        for (const [limit, band, grade, fen] of cells) {
            const r = table.rows.find((x) => x.limit === limit && x.band === band && x.grade === grade);
            assert.equal(fen, r.premium);
        }
        const href = await page.getAttribute(tid('rate-csv'), 'href');
        assert.equal(href, `/api/v1/products/${product.id}/rate-table?industry=I&retention=1000000&format=csv`);
        const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href);
        assert.equal(csv.trim().split('\n').length, 1 + table.rows.length);
        await noMissingStrings(page);
        assert.deepEqual(o.problems, []);
    });
});
