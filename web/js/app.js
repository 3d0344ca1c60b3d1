// app.js — entry module of every page: the shared shell, then the page.
//
// Each HTML page under web/ loads only this module and names its view with
// <body data-page="NAME">; app.js fills the static strings (i18n), wires the
// language toggle, and mounts pages/NAME.js, which exports mount(main).
// Adding a page = one HTML file + one entry in PAGES + one module (docs/web.md).
//
// Must never depend on: anything but i18n.js, dom.js and the page modules.

import { applyStatic, toggleLang, t } from './i18n.js';
import { byTestId } from './dom.js';

const PAGES = {
    home: () => import('./pages/home.js'),
};

async function boot() {
    applyStatic(document);
    byTestId('lang-toggle').addEventListener('click', () => toggleLang());

    const name = document.body.dataset.page;
    const load = PAGES[name];
    if (!load) throw new Error(`unknown page "${name}" (add it to PAGES in js/app.js)`);
    const page = await load();
    page.mount(document.getElementById('main'));
}

boot().catch((err) => {
    // A boot failure is a bug: report it on the console (the browser test
    // fails on console errors) and tell the user in words.
    console.error(err);
    const box = document.querySelector('[data-testid="page-error"]');
    if (box) {
        box.textContent = t('common.loadFailed', { message: err.message });
        box.hidden = false;
    }
});
