// stats.browser.mjs — the province's dashboard in real Chromium, imported by
// browser.test.mjs (the harness runs only that file in browser mode).
//
// The demo enterprises' policies are bound in May 2024 through the API; the
// Guangdong province opens stats.html for 2024 and sees the headline figures
// and the city table the API answers to the same user (Shenzhen's single
// enterprise withheld), in both languages, and downloads the city table as
// an XLSX workbook. The policies are attributed to Guangdong's own pilot;
// the province's progress report starts from the platform's figures, and a
// figure it changes is shown as declared beside the platform's.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tid, waitReady, pageFetch, useBrowser } from './lib/browser.mjs';
import { login } from './lib/http.mjs';
import { bindDemoPolicies, provincePilot, attribute, expected } from './lib/stats.mjs';

const T = { timeout: 90_000 };

describe('statistics: the province\'s dashboard', { timeout: 240_000 }, () => {
    const b = useBrowser();
    let o;
    let bound;
    let pilot;

    before(async () => {
        const S = {};
        for (const u of ['ent-gz', 'ent-gz-health', 'ent-telecom', 'ent-sz', 'insurer', 'insurer-uw', 'gd-prov', 'miit']) S[u] = await login(u);
        bound = await bindDemoPolicies(S, '2024-05-10 10:00', '2024-05-11');
        pilot = await provincePilot(S, '广东省统计页面测试试点方案');
        bound = await attribute(S, bound, pilot.id);
        o = await b.openAs('gd-prov', { acceptDownloads: true });
    }, { timeout: 120_000 });

    test('the province sees its headline, its cities (a city of one enterprise withheld) and the trend', T, async () => {
        const { page } = o;
        await page.goto(`${b.base}/stats.html?from=2024-01-01&to=2024-12-31`, { waitUntil: 'load' });
        await waitReady(page, 'stats-view');
        const api = (await pageFetch(page, '/api/v1/stats?by=city&from=2024-01-01&to=2024-12-31')).body;
        assert.equal(api.scope.kind, 'province');
        // the policies this test bound are all of Guangdong's 2024 (other tests bind in the present)
        assert.deepEqual((({ key, name_zh, name_en, suppressed, ...f }) => f)(api.total), expected(bound));
        for (const k of ['insured_enterprises', 'policies_written', 'policies_in_force', 'assessments'])
            assert.equal(await page.getAttribute(tid(`stats-total-${k}`), 'data-value'), String(api.total[k]), k);
        const rows = await page.$$eval(tid('stats-row-city'), (trs) => trs.map((tr) => [tr.dataset.key, tr.dataset.suppressed]));
        assert.deepEqual(rows, api.items.map((b) => [b.key, String(b.suppressed)]));
        assert.deepEqual(rows, [['440100', 'false'], ['440300', 'true']]);
        assert.match(await page.textContent(tid('stats-suppression')), /少于 3 家/);
        await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.state === 'ready', tid('stats-trend-chart'));
        await page.click(tid('lang-toggle'));
        await page.waitForFunction(() => document.documentElement.lang === 'en');
        assert.equal(await page.evaluate(() => document.body.textContent.includes('⟦')), false, 'a string is missing');
        assert.deepEqual(o.problems, []);
    });

    test('the city table downloads as an XLSX workbook', T, async () => {
        const { page } = o;
        const href = await page.getAttribute(tid('stats-xlsx-city'), 'href');
        assert.equal(href, '/api/v1/stats?from=2024-01-01&to=2024-12-31&by=city&format=xlsx');
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid('stats-xlsx-city'))]);
        assert.equal(download.suggestedFilename(), 'cyberins-stats-city.xlsx');
        const file = await download.path();
        const bytes = fs.readFileSync(file);
        assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip container');
        assert.ok(bytes.includes(Buffer.from('xl/worksheets/sheet1.xml')), 'a workbook');
        assert.deepEqual(o.problems, []);
    });

    test('the province\'s progress report starts from the platform\'s figures; a changed one shows as declared', T, async () => {
        const { page } = o;
        await page.goto(`${b.base}/report.html?pilot=${pilot.id}`, { waitUntil: 'load' });
        await waitReady(page, 'report-view');
        await page.selectOption(tid('report-period'), '2024Q2');
        const want = expected(bound);
        await page.waitForFunction(([sel, v]) => document.querySelector(sel)?.dataset.value === v, [tid('report-platform-policies'), String(want.policies_written)]);
        assert.equal(await page.inputValue(tid('report-policies')), String(want.policies_written));
        assert.equal(await page.inputValue(tid('report-insured_enterprises')), String(want.insured_enterprises));
        assert.equal(await page.getAttribute(tid('report-platform-premium_fen'), 'data-value'), String(want.written_premium));
        assert.equal(await page.$(tid('report-platform-alerts')), null, 'no platform figure for alerts yet');
        await page.fill(tid('report-policies'), '12345');
        await page.fill(tid('report-text'), '二季度完成承保。');
        await page.click(tid('report-submit'));
        await page.waitForFunction((sel) => document.querySelector(sel) !== null, `${tid('report-row')}[data-period="2024Q2"]`);
        const cell = `${tid('report-row')}[data-period="2024Q2"] ${tid('report-declared')}`;
        assert.equal(await page.getAttribute(cell, 'data-declared'), 'policies');
        // the language chosen earlier stays (the first test switched to English)
        const words = (await page.evaluate(() => document.documentElement.lang)) === 'en'
            ? `Policies declared 12345 (platform: ${want.policies_written})` : `保单数申报 12345（平台记录 ${want.policies_written}）`;
        assert.equal((await page.textContent(cell)).trim(), words);
        assert.deepEqual(o.problems, []);
    });
});
