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
import { tid, waitReady, pageFetch, useBrowser, noMissingStrings, fitsWidth } from './lib/browser.mjs';
import { login, as } from './lib/http.mjs';
import { productBody, bestAnswers } from './matrix/uw.mjs';

const T = { timeout: 90_000 };

async function ok(r, status) {
    assert.equal(r.status, status, r.text);
    return r.json;
}

describe('underwriting: questionnaire, assessment result, quote breakdown, policy, referral queue', { timeout: 400_000 }, () => {
    const b = useBrowser();
    let product;
    let referred;

    before(async () => {
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
        ent = await b.openAs('ent-gz');
        const { page } = ent;
        await page.goto(`${b.base}/assessment.html`, { waitUntil: 'load' });
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
        await page.goto(`${b.base}/assessment.html?id=${assessmentId}`, { waitUntil: 'load' });
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
        const o = await b.openAs('insurer-uw');
        const { page } = o;
        await page.goto(`${b.base}/referrals.html`, { waitUntil: 'load' });
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
        const o = await b.openAs('ent-hz');
        const { page } = o;
        await page.goto(`${b.base}/products.html?id=${product.id}`, { waitUntil: 'load' });
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

// Issue 17: the underwriting pages as underwriters and insureds use them. The
// insurer creates and files a product on the products page, the enterprise
// quotes on it and binds, the insurer's underwriter changes terms and cancels
// — each priced first and confirmed — and every refusal provoked on the way is
// in words: none shows an internal key (`_id`, `_fen`, `[0]`) or an int64 range.
describe('underwriting pages: a product made and filed on its page, quoted, endorsed and cancelled with confirmation', { timeout: 400_000 }, () => {
    const b = useBrowser();
    const shown = []; // every refusal the pages rendered

    const bj = (days) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
    const name = `页面新建产品${Date.now() % 100000}`;
    let productId;
    let policyId;

    before(async () => {
        const ent = await login('ent-gz');
        const a = await ok(await as(ent, 'POST', '/api/v1/assessments', { body: { answers: await bestAnswers(ent) } }), 201);
        await ok(await as(ent, 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
    }, { timeout: 60_000 });

    after(async () => {
        // the scan the issue asks for: no message on the way holds an internal key
        assert.ok(shown.length >= 6, `refusals seen: ${shown.length}`);
        for (const m of shown) assert.doesNotMatch(m, /_id|_fen|\[0\]|9223372036854775807/, m);
    });

    // The refusal now shown at sel: it appears, is in words, and is kept for the scan.
    async function refusal(page, sel, pattern) {
        await page.waitForFunction((s) => {
            const n = document.querySelector(s);
            return n && !n.hidden && n.textContent.trim() !== '';
        }, sel);
        const text = (await page.textContent(sel)).trim();
        shown.push(text);
        if (pattern) assert.match(text, pattern);
        return text;
    }

    test('the insurer creates a draft on the products page, is told in words what is wrong, and files it', T, async () => {
        const o = await b.openAs('insurer');
        const { page } = o;
        o.expectFailure({ method: 'POST', path: '/api/v1/products', status: 422 });
        await page.goto(`${b.base}/products.html`, { waitUntil: 'load' });
        await waitReady(page, 'products-view');
        await page.click(tid('product-new'));
        await page.fill(tid('product-form-name'), name);
        await page.check(tid('product-form-target-other'));
        await page.fill(tid('product-form-retention-options'), '1, 5');
        // a limit below the largest retention: the server says so next to the limits
        await page.fill(tid('product-form-limit-options'), '0.5, 300');
        await page.check(tid('product-form-cov-ir'));
        await page.click(tid('product-form-submit'));
        await refusal(page, tid('product-form-limit-options-error'), /累计赔偿限额（¥5,000.00）应高于免赔额（¥50,000.00）/);
        // no coverage chosen
        await page.fill(tid('product-form-limit-options'), '100, 300');
        await page.uncheck(tid('product-form-cov-ir'));
        await page.click(tid('product-form-submit'));
        await refusal(page, tid('product-form-error'), /请选择 1 到 13 个险种/);
        // business interruption without a waiting period
        for (const c of ['bi', 'ir', 'breach']) await page.check(tid(`product-form-cov-${c}`));
        await page.fill(tid('product-form-sub-breach'), '200');
        await page.fill(tid('product-form-bi-waiting-hours'), '0');
        await page.click(tid('product-form-submit'));
        await refusal(page, tid('product-form-bi-waiting-hours-error'), /承保营业中断须设定等待期/);
        await page.fill(tid('product-form-bi-waiting-hours'), '12');
        await Promise.all([page.waitForURL((u) => u.pathname === '/products.html' && u.searchParams.get('id')), page.click(tid('product-form-submit'))]);
        await waitReady(page, 'products-view');
        productId = Number(new URL(page.url()).searchParams.get('id'));
        const p = (await pageFetch(page, `/api/v1/products/${productId}`)).body;
        assert.deepEqual([p.name, p.status, p.retention_options, p.limit_options], [name, 'draft', [1000000, 5000000], [100000000, 300000000]]);
        assert.deepEqual(p.coverages.map((c) => [c.code, c.sublimit]), [['bi', null], ['ir', null], ['breach', 200000000]]);
        assert.deepEqual(p.actions, ['edit', 'file']);
        assert.equal(await page.getAttribute(tid('product-status'), 'data-code'), 'draft');
        // filing: a date after today is refused in words, today's is taken
        o.expectFailure({ method: 'POST', path: `/api/v1/products/${productId}/filing`, status: 422 });
        await page.fill(tid('product-file-filing-no'), `（备-网络安全保险）〔2026〕（主）${productId}号`);
        await page.fill(tid('product-file-filing-date'), bj(3));
        await page.click(tid('product-file-submit'));
        await refusal(page, tid('product-file-filing-date-error'), /备案日期不能晚于今天/);
        await page.fill(tid('product-file-filing-date'), bj(0));
        await page.click(tid('product-file-submit'));
        await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.code === 'active', tid('product-status'));
        assert.equal((await pageFetch(page, `/api/v1/products/${productId}`)).body.status, 'active');
        assert.ok(await page.isVisible(tid('product-version')));
        // the rate table as filed: a price in every cell, the rules' marks beside them, Excel to download
        await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 0, tid('rate-cell'));
        const table = (await pageFetch(page, `/api/v1/products/${productId}/rate-table?industry=C`)).body;
        const cells = await page.$$eval(tid('rate-cell'), (tds) => tds.map((td) => [Number(td.dataset.fen), td.dataset.decision, td.querySelector('[data-testid="rate-mark"]') !== null]));
        assert.equal(cells.length, table.rows.length);
        assert.ok(cells.every(([fen]) => fen > 0));
        assert.ok(cells.every(([, d, marked]) => marked === (d !== 'accept')));
        assert.ok(cells.some(([, d]) => d === 'decline') && cells.some(([, d]) => d === 'accept'));
        assert.ok((await page.$$(tid('rate-rule'))).length >= 1);
        assert.equal(await page.getAttribute(tid('rate-xlsx'), 'href'), `/api/v1/products/${productId}/rate-table?industry=C&retention=1000000&format=xlsx`);
        await noMissingStrings(page);
        assert.deepEqual(o.problems, []);
    });

    test('the enterprise quotes on the new product and binds; how the price was made links to the pricing page', T, async () => {
        const o = await b.openAs('ent-gz');
        const { page } = o;
        await page.goto(`${b.base}/quote.html`, { waitUntil: 'load' });
        await waitReady(page, 'quote-view');
        await page.selectOption(tid('quote-form-product-id'), String(productId));
        await page.fill(tid('quote-form-revenue'), '20000');
        await page.selectOption(tid('quote-form-aggregate-limit'), '300000000');
        await page.selectOption(tid('quote-form-retention'), '1000000');
        await Promise.all([page.waitForURL((u) => u.pathname === '/quote.html' && u.searchParams.get('id')), page.click(tid('quote-form-submit'))]);
        await waitReady(page, 'quote-view');
        const qid = Number(new URL(page.url()).searchParams.get('id'));
        const q = (await pageFetch(page, `/api/v1/quotes/${qid}`)).body;
        assert.deepEqual([q.product.id, q.status, q.actions], [productId, 'quoted', ['bind']]);
        assert.equal(await page.getAttribute(tid('qb-help'), 'href'), '/pricing.html');
        assert.doesNotMatch(await page.textContent(tid('quote-breakdown')), /docs\//);
        await Promise.all([page.waitForURL((u) => u.pathname === '/policy.html'), page.click(tid('quote-bind'))]);
        await waitReady(page, 'policy-view');
        policyId = Number(new URL(page.url()).searchParams.get('id'));
        // the pricing page the quote links to
        await page.goto(`${b.base}/pricing.html`, { waitUntil: 'load' });
        await waitReady(page, 'pricing-view');
        assert.match(await page.textContent(tid('pricing-endorsement')), /354,668\.1156/);
        await noMissingStrings(page);
        assert.deepEqual(o.problems, []);
    });

    test('the underwriter changes terms and cancels, each priced first and confirmed; the changes wait for their dates', T, async () => {
        const o = await b.openAs('insurer-uw');
        const { page } = o;
        await page.goto(`${b.base}/policy.html?id=${policyId}`, { waitUntil: 'load' });
        await waitReady(page, 'policy-view');
        const p = (await pageFetch(page, `/api/v1/policies/${policyId}`)).body;
        assert.deepEqual(p.actions, ['endorse', 'cancel']);
        const start = p.period.start_beijing.slice(0, 10);
        const day = (n) => new Date(Date.parse(`${start}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);
        // today is before the start: refused in words
        o.expectFailure({ method: 'POST', path: `/api/v1/policies/${policyId}/endorsements`, status: 422 });
        await page.fill(tid('policy-endorse-effective-date'), bj(0));
        await page.selectOption(tid('policy-endorse-retention'), '5000000');
        await page.click(tid('policy-endorse-submit'));
        await refusal(page, tid('policy-endorse-effective-date-error'), /不在保险期间/);
        // from day 30: the retention raised and the breach cover removed, several terms at once
        await page.fill(tid('policy-endorse-effective-date'), day(30));
        await page.uncheck(tid('policy-endorse-cov-breach'));
        await page.click(tid('policy-endorse-submit'));
        await page.waitForSelector(tid('policy-endorse-preview'));
        const body = { effective_date: day(30), retention: 5000000, coverages: [{ code: 'bi' }, { code: 'ir' }], preview: true };
        const uw = await login('insurer-uw'); // previews through the API, as the page asked them
        const want = (await ok(await as(uw, 'POST', `/api/v1/policies/${policyId}/endorsements`, { body }), 200)).endorsements.at(-1);
        assert.equal(Number(await page.getAttribute(tid('policy-endorse-preview'), 'data-delta')), want.premium_delta);
        assert.equal(Number(await page.getAttribute(tid('policy-endorse-preview'), 'data-annual')), want.new_annual_premium);
        assert.ok(want.premium_delta < 0); // less cover: a return
        assert.match(await page.textContent(tid('policy-endorse-preview-summary')), /免赔额 1 万元 → 5 万元/);
        assert.equal((await pageFetch(page, `/api/v1/policies/${policyId}`)).body.endorsements.length, 0); // nothing yet
        await page.click(tid('policy-endorse-preview-confirm'));
        await page.waitForSelector(tid('policy-done'));
        let now = (await pageFetch(page, `/api/v1/policies/${policyId}`)).body;
        assert.deepEqual(now.scheduled.map((e) => [e.kind, e.effective_date, e.premium_delta]), [['change', day(30), want.premium_delta]]);
        // today's terms are still the bound ones
        assert.equal(await page.getAttribute(tid('policy-retention'), 'data-fen'), '1000000');
        assert.deepEqual(await page.$$eval(tid('policy-scheduled-item'), (li) => li.map((x) => [x.dataset.kind, x.dataset.date])), [['change', day(30)]]);
        // cancel: a reason is asked for, "other" needs a note, the return premium is shown first
        o.expectFailure({ method: 'POST', path: `/api/v1/policies/${policyId}/cancellation`, status: 422 });
        await page.fill(tid('policy-cancel-effective-date'), day(60));
        await page.click(tid('policy-cancel-submit'));
        await refusal(page, tid('policy-cancel-reason-error'), /请选择退保原因/);
        await page.selectOption(tid('policy-cancel-reason'), 'other');
        await page.click(tid('policy-cancel-submit'));
        await refusal(page, tid('policy-cancel-note-error'), /请在说明中写明原因/);
        await page.selectOption(tid('policy-cancel-reason'), 'replaced');
        await page.click(tid('policy-cancel-submit'));
        await page.waitForSelector(tid('policy-cancel-preview'));
        const ret = (await ok(await as(uw, 'POST', `/api/v1/policies/${policyId}/cancellation`, { body: { effective_date: day(60), reason: 'replaced', preview: true } }), 200)).return_premium;
        assert.equal(Number(await page.getAttribute(tid('policy-cancel-preview'), 'data-delta')), -ret);
        assert.equal(Number(await page.getAttribute(tid('policy-cancel-preview-money'), 'data-fen')), -ret);
        await page.click(tid('policy-cancel-preview-confirm'));
        await page.waitForSelector(tid('policy-cancel-scheduled'));
        now = (await pageFetch(page, `/api/v1/policies/${policyId}`)).body;
        assert.deepEqual([now.status, now.return_premium, now.actions], ['active', ret, []]);
        assert.equal(await page.getAttribute(tid('policy-status'), 'data-code'), 'active');
        assert.equal(await page.locator(tid('policy-cancel')).count(), 0);
        assert.deepEqual(await page.$$eval(tid('policy-scheduled-item'), (li) => li.map((x) => x.dataset.kind)), ['change', 'cancellation']);
        // the same page in English says the same in English
        await page.click(tid('lang-toggle'));
        await page.waitForFunction(() => document.documentElement.lang === 'en');
        assert.match(await page.textContent(tid('policy-scheduled')), /Scheduled changes/);
        await noMissingStrings(page);
        await page.click(tid('lang-toggle'));
        assert.deepEqual(o.problems, []);
    });

    test('the product form, the product and the policy fit a 360 px screen', T, async () => {
        const o = await b.openAs('insurer', { viewport: { width: 360, height: 740 } });
        const { page } = o;
        await page.goto(`${b.base}/products.html`, { waitUntil: 'load' });
        await waitReady(page, 'products-view');
        await page.click(tid('product-new'));
        await page.waitForSelector(tid('product-form'));
        await fitsWidth(page, 360);
        await page.goto(`${b.base}/products.html?id=${productId}`, { waitUntil: 'load' });
        await waitReady(page, 'products-view');
        await fitsWidth(page, 360);
        await page.goto(`${b.base}/policy.html?id=${policyId}`, { waitUntil: 'load' });
        await waitReady(page, 'policy-view');
        await fitsWidth(page, 360);
        assert.deepEqual(o.problems, []);
    });
});
