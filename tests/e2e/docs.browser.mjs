// docs.browser.mjs — the pilot's documents from the pages in real Chromium,
// imported by browser.test.mjs: the scheme page's buttons save the scheme
// as a DOCX (a zip whose word/document.xml holds the scheme's name) and as a
// PDF (made by the server's job while the page waits through its 202s), for
// the lead and for a joint unit that only reads it; the catalogue page saves
// the round's catalogue as a workbook; the province's overdue page names the
// demo package's late paper and saves the list as a workbook.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tid, waitReady, useBrowser } from './lib/browser.mjs';
import { login, uniqueBody8 } from './lib/http.mjs';
import { asAt, schemeForm, UNITS } from './lib/pilot.mjs';
import { unzipEntry } from './lib/docs.mjs';

const T = { timeout: 120_000 };

// Click the button and read the file the browser saves: { name, buf }.
async function saved(page, selector) {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), page.click(selector)]);
    const chunks = [];
    for await (const c of await download.createReadStream()) chunks.push(c);
    return { name: download.suggestedFilename(), buf: Buffer.concat(chunks) };
}

describe('documents: the download buttons of the pilot pages', { timeout: 300_000 }, () => {
    const b = useBrowser({ acceptDownloads: true });
    let scheme;
    const name = `浏览器下载测试服务方案${uniqueBody8()}`;

    before(async () => {
        const sec = await login('secfirm');
        const r = await asAt(sec, '2024-01-15 09:00', 'POST', '/api/v1/schemes', schemeForm({ name, joint: [UNITS.insurer] }));
        assert.equal(r.status, 201, r.text);
        scheme = r.json.id;
    });

    test('the lead saves its scheme as a DOCX holding the scheme\'s name, then as a PDF', T, async () => {
        const o = await b.openAs('secfirm');
        const { page } = o;
        await page.goto(`${b.base}/scheme.html?id=${scheme}`, { waitUntil: 'load' });
        await waitReady(page, 'scheme-view');
        const docx = await saved(page, tid('doc-download-docx'));
        assert.equal(docx.name, `scheme-${scheme}.docx`);
        assert.ok(unzipEntry(docx.buf, 'word/document.xml').includes(name), 'the scheme name in word/document.xml');
        assert.match(await page.textContent(tid('doc-download-status')), new RegExp(`已下载 scheme-${scheme}\\.docx`));
        const pdf = await saved(page, tid('doc-download-pdf'));
        assert.equal(pdf.name, `scheme-${scheme}.pdf`);
        assert.equal(pdf.buf.subarray(0, 5).toString(), '%PDF-');
        assert.deepEqual(o.problems, []);
    });

    test('a joint unit, which only reads the scheme, saves it too; the catalogue page saves a workbook', T, async () => {
        const o = await b.openAs('insurer');
        const { page } = o;
        await page.goto(`${b.base}/scheme.html?id=${scheme}`, { waitUntil: 'load' });
        await waitReady(page, 'scheme-view');
        assert.equal(await page.isDisabled(tid('doc-download-docx')), false);
        const docx = await saved(page, tid('doc-download-docx'));
        assert.ok(unzipEntry(docx.buf, 'word/document.xml').includes(name));
        await page.goto(`${b.base}/catalogue.html?round=2024`, { waitUntil: 'load' });
        await waitReady(page, 'catalogue-view');
        const xlsx = await saved(page, tid('doc-download-xlsx'));
        assert.equal(xlsx.name, 'catalogue-2024.xlsx');
        assert.ok(unzipEntry(xlsx.buf, 'xl/workbook.xml').includes('典型服务方案目录'));
        assert.deepEqual(o.problems, []);
    });

    test('the province\'s overdue page names the demo package\'s late paper and saves the list as a workbook', T, async () => {
        const o = await b.openAs('gd-prov');
        const { page } = o;
        await page.goto(`${b.base}/overdue.html?round=2024`, { waitUntil: 'load' });
        await waitReady(page, 'overdue-view');
        const row = page.locator(`${tid('overdue-row')}[data-kind="package_paper"]`);
        assert.ok(await row.count() >= 1, 'a package_paper row');
        const text = await row.first().textContent();
        assert.ok(text.includes('材料包纸质材料') && text.includes('广州市工业和信息化局（演示）'), text);
        assert.ok(text.includes('2024-02-27 15:30 送达，已逾期'), text);
        const xlsx = await saved(page, tid('overdue-download-xlsx'));
        assert.equal(xlsx.name, 'overdue-2024.xlsx');
        assert.deepEqual(o.problems, []);
    });
});
