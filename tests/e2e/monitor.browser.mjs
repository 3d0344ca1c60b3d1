// monitor.browser.mjs — the in-force monitoring pages in real Chromium,
// imported by browser.test.mjs. An insured (ent-sz) with a policy in force
// and a high-severity task open sees its security dashboard — the score the
// API computes (its assessment's 100 less 10 points), the history, its
// stack, the task — and closes the task with evidence: the score is back at
// 100. The insurer's alerts board lists the insured's task. Both in Chinese
// and English, with no missing string and no console error.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { tid, waitReady, useBrowser } from './lib/browser.mjs';
import { login, as } from './lib/http.mjs';
import { bestAnswers } from './matrix/uw.mjs';

const ok = (r, status) => { assert.equal(r.status, status, r.text); return r.json; };
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

describe('monitoring: the insured\'s dashboard and the insurer\'s alerts board', { timeout: 300_000 }, () => {
    const b = useBrowser();
    let ins;
    let sz;
    let policy;
    let task;

    before(async () => {
        ins = await login('insurer');
        sz = await login('ent-sz');
        const products = ok(await as(ins, 'GET', '/api/v1/products?limit=500'), 200).items;
        const product = products.find((p) => p.name === '网络安全保险（企业版）示范产品' && p.status === 'active').id;
        let a = ok(await as(sz, 'POST', '/api/v1/assessments', { body: { answers: await bestAnswers(sz) } }), 201);
        a = ok(await as(sz, 'POST', `/api/v1/assessments/${a.id}/submit`), 200);
        const q = ok(await as(sz, 'POST', '/api/v1/quotes', { body: { product_id: product, assessment_id: a.id, revenue: 20000000000, aggregate_limit: 300000000, retention: 1000000, start_date: today() } }), 201);
        policy = ok(await as(sz, 'POST', `/api/v1/quotes/${q.id}/bind`), 201);
        // tencent_cloud: only ent-sz declared it (data/demo/monitor.json)
        const r = ok(await as(ins, 'POST', '/api/v1/signals', { body: { signals: [{ source: 'browser', source_id: crypto.randomUUID(), cve: 'CVE-2025-12345', severity: 'high', title: '云主机管理面越权', vendors: ['tencent_cloud'] }] } }), 200);
        assert.equal(r.tasks, 1);
        task = ok(await as(sz, 'GET', '/api/v1/monitor/tasks?status=open'), 200).items[0];
        assert.equal(task.signal_id, r.signals[0].id);
    });

    after(async () => {
        if (policy) ok(await as(ins, 'POST', `/api/v1/policies/${policy.id}/cancellation`, { body: { effective_date: today(), reason: 'other', note: '浏览器测试结束' } }), 200);
    });

    test('the insured sees its score fall by the task\'s points, closes it with evidence, and sees it back', async () => {
        const o = await b.openAs('ent-sz');
        const { page } = o;
        await page.goto(`${b.base}/monitor.html`);
        await waitReady(page, 'monitor-view');
        const api = ok(await as(sz, 'GET', `/api/v1/monitor/enterprises/${sz.me.organisation.id}`), 200).score;
        assert.deepEqual([api.score, api.grade, api.penalty], [90, 'A', 10]);
        assert.equal(await page.textContent(tid('mon-score-value')), '90.00');
        assert.equal(await page.textContent(tid('mon-grade')), 'A');
        assert.match(await page.textContent(tid('mon-stack')), /tencent_cloud/);
        assert.equal(await page.textContent(tid('mon-heading')), '防灾减损任务');
        const row = `[data-testid="mon-task-row"][data-id="${task.id}"]`;
        assert.equal(await page.textContent(`${row} [data-testid="mon-severity"]`), '高危');
        await page.fill(`${row} [data-testid="mon-evidence"]`, '已修补云主机管理面并复测');
        await page.click(`${row} [data-testid="mon-close"]`);
        await page.waitForSelector(tid('mon-message'));
        await waitReady(page, 'monitor-view');
        assert.equal(await page.textContent(tid('mon-score-value')), '100.00');
        assert.equal(await page.getAttribute(row, 'data-status'), 'closed');
        assert.ok((await page.$$(tid('mon-history-row'))).length >= 2);
        await page.click(tid('lang-toggle'));
        assert.equal(await page.textContent(tid('mon-heading')), 'Loss-prevention tasks');
        assert.equal(await page.evaluate(() => document.body.textContent.includes('⟦')), false, 'a string is missing');
        assert.deepEqual(o.problems, []);
    });

    test('the insurer\'s alerts board lists the insured\'s task', async () => {
        const o = await b.openAs('insurer');
        const { page } = o;
        await page.goto(`${b.base}/monitor.html`);
        await waitReady(page, 'monitor-view');
        assert.equal(await page.textContent(tid('mon-heading')), '承保组合预警看板');
        const row = `[data-testid="mon-task-row"][data-id="${task.id}"]`;
        assert.match(await page.textContent(row), /深圳示范云计算有限公司（演示）/);
        assert.match(await page.textContent(row), /CVE-2025-12345/);
        assert.equal(await page.$(`${row} [data-testid="mon-close"]`), null, 'an insurer does not close tasks');
        assert.deepEqual(o.problems, []);
    });
});
