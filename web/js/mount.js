// mount.js — mount(pageModule): the one way a page starts. It builds the
// shell (shell.js), wires the language toggle, asks the server who is logged
// in (GET /api/v1/me, which also brings the CSRF token into api.js), fills
// the header, and then — unless the visitor must log in first, the session
// check failed, or the page is not for them — calls the page.
//
// A page module exports its declaration:
//
//   export const page = {
//       title: 'title.NAME',      // the page's name before the platform's in <title>
//       session: true,            // default; false for home and login
//       view: 'NAME-view',        // data-testid of the view mount() makes in <main>
//                                 // (omit it and the page builds its own markup in main)
//       permission: 'sim.read',   // or (session) => boolean; else the page is
//       forbidden: 'sim.forbidden',   // …replaced by this message (data-state=forbidden)
//       start(view, { session, updateSession, main }) { … },
//   };
//
// (or declares its life with a page helper of view.js — recordPage,
// loadedPage, reloadingPage — which writes start() for it).
//
// updateSession(patch) tells the header that the visitor's own user or
// organisation changed. A failure while booting is a bug: it goes to the
// console (the browser test fails on console errors) and, in words, to the
// page-error line.
//
// Must never depend on: any page module (they come in as an argument).

import { applyStatic, toggleLang, t, onLangChange, pickBilingual } from './i18n.js';
import { el, byTestId } from './dom.js';
import { buildShell, renderHeader, showPageError } from './shell.js';
import { loadSession, can } from './session.js';
import { showForbidden } from './view.js';

// pageModule: the module, or a promise of it (app.js imports it while the
// session is being asked for).
export async function mount(pageModule) {
    const shell = { page: document.body.dataset.page ?? '', session: null, state: 'loading', error: null };
    try {
        const main = buildShell(document);
        applyStatic(document);
        byTestId('lang-toggle').addEventListener('click', () => toggleLang());
        renderHeader(shell);
        onLangChange(() => renderHeader(shell));

        const [module] = await Promise.all([pageModule, loadShellSession(shell)]);
        const page = module.page;
        if (!page || typeof page.start !== 'function') throw new Error(`pages/${shell.page}.js exports no page.start`);
        if (page.title) document.body.dataset.titleKey = page.title;
        applyStatic(document);
        renderHeader(shell);
        if (mustLogIn(page, shell)) return;
        await start(page, main, shell);
    } catch (err) {
        console.error(err);
        showPageError(t('common.loadFailed', { message: err.message }));
    }
}

async function loadShellSession(shell) {
    try {
        shell.session = await loadSession();
        shell.state = shell.session ? 'user' : 'anonymous';
    } catch (err) {
        shell.state = 'error';
        shell.error = err;
    }
}

// A page that needs a session sends an anonymous visitor to the login page
// (which comes back here), and says so when the session could not be checked.
function mustLogIn(page, shell) {
    if (page.session === false) return false;
    if (shell.state === 'anonymous') {
        const here = window.location.pathname + window.location.search;
        window.location.replace(`/login.html?next=${encodeURIComponent(here)}`);
        return true;
    }
    if (shell.state === 'error') {
        showPageError(t('session.checkFailed', { message: pickBilingual(shell.error.message) }));
        return true;
    }
    return false;
}

async function start(page, main, shell) {
    const view = page.view
        ? main.appendChild(el('div', { class: 'view card--wide', testid: page.view, dataset: { state: 'loading' } }))
        : null;
    if (!allowed(page.permission, shell.session)) {
        const say = () => showForbidden(view ?? main, t(page.forbidden));
        say();
        onLangChange(say);
        return;
    }
    await page.start(view, {
        session: shell.session,
        main,
        updateSession(patch) {
            if (!shell.session) return;
            shell.session = { ...shell.session, ...patch };
            renderHeader(shell);
        },
    });
}

function allowed(permission, session) {
    if (!permission) return true;
    return typeof permission === 'function' ? Boolean(session) && permission(session) : can(session, permission);
}
