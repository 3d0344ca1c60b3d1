// download.js — the pilot's documents as files, for each page that shows a
// record (docs/documents.md): downloadBar(path, formats, name) is a row of
// buttons, one per format the record has ("docx", "xlsx", "pdf"), each
// asking GET path?format=F with the session's cookie and saving the answer
// as NAME.F. A PDF is made by a background job on the server: its 202 is
// asked again after Retry-After until the file comes (at most 90 times); a
// refusal (503 when LibreOffice cannot make it, 404 …) shows the server's
// message next to the buttons, in the page's language.
//
// Must never depend on: page modules; never writes API data as HTML.

import { el } from './dom.js';
import { t, pickBilingual } from './i18n.js';

const LABEL = { docx: 'doc.docx', xlsx: 'doc.xlsx', pdf: 'doc.pdf' };

const pause = (s) => new Promise((ok) => setTimeout(ok, s * 1000));

// The file at path in format, as a Blob; throws an Error with the server's message.
async function fetchDocument(path, format, onWait) {
    const url = new URL(path, window.location.origin);
    url.searchParams.set('format', format);
    for (let i = 0; i < 90; i++) {
        const res = await fetch(url, { credentials: 'same-origin' });
        if (res.status === 202) {
            onWait();
            await pause(Number.parseInt(res.headers.get('Retry-After') ?? '', 10) || 2);
            continue;
        }
        if (res.ok) return res.blob();
        let message = `HTTP ${res.status}`;
        try {
            message = (await res.json()).error.message;
        } catch { /* not the error shape: keep the status */ }
        throw new Error(message);
    }
    throw new Error(t('doc.tooLong'));
}

// Save blob under filename through a temporary link (the browser's own download).
function save(blob, filename) {
    const href = URL.createObjectURL(blob);
    const a = el('a', { href, download: filename, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

// A row of download buttons for the document at path (…/document), named name.
export function downloadBar(path, formats, name, testid = 'doc-download') {
    const status = el('span', { class: 'muted', role: 'status', testid: `${testid}-status` });
    const buttons = formats.map((format) => {
        const b = el('button', { type: 'button', class: 'btn', testid: `${testid}-${format}`, dataset: { format } }, t(LABEL[format]));
        b.addEventListener('click', async () => {
            b.disabled = true;
            status.className = 'muted';
            status.textContent = t('doc.working');
            try {
                save(await fetchDocument(path, format, () => { status.textContent = t('doc.pdfWaiting'); }), `${name}.${format}`);
                status.textContent = t('doc.saved', { file: `${name}.${format}` });
            } catch (err) {
                status.className = 'error';
                status.textContent = t('doc.failed', { message: pickBilingual(err.message) });
            } finally {
                b.disabled = false;
            }
        });
        return b;
    });
    return el('div', { class: 'doc-downloads', testid, 'aria-label': t('doc.label') }, ...buttons, status);
}
