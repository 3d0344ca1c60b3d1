// app.js — entry module of every page: the shared shell, then the page.
//
// Each HTML page under web/ loads only this module and names its view with
// <body data-page="NAME">; app.js fills the static strings (i18n), wires the
// language toggle, asks the server who is logged in (GET /api/v1/me, which
// also brings the CSRF token into api.js), fills the header (navigation,
// user, organisation, logout or a login link) and mounts pages/NAME.js,
// which exports mount(main, ctx). A page that needs a session sends an
// anonymous visitor to /login.html?next=… instead.
// Adding a page = one HTML file + one entry in PAGES + one module (docs/web.md).
//
// Must never depend on: anything but i18n.js, dom.js, shell.js, api.js,
// session.js and the page modules.

import { applyStatic, toggleLang, t, onLangChange, pickBilingual } from './i18n.js';
import { el, replaceChildren, byTestId } from './dom.js';
import { mountShell } from './shell.js';
import { loadSession, logout, can } from './session.js';

// session: true → anonymous visitors are sent to the login page.
const PAGES = {
    home: { load: () => import('./pages/home.js') },
    login: { load: () => import('./pages/login.js') },
    org: { load: () => import('./pages/org.js'), session: true },
    users: { load: () => import('./pages/users.js'), session: true },
    directory: { load: () => import('./pages/directory.js'), session: true },
    products: { load: () => import('./pages/products.js'), session: true },
    assessment: { load: () => import('./pages/assessment.js'), session: true },
    quote: { load: () => import('./pages/quote.js'), session: true },
    policy: { load: () => import('./pages/policy.js'), session: true },
    referrals: { load: () => import('./pages/referrals.js'), session: true },
    simulations: { load: () => import('./pages/simulations.js'), session: true },
    pilot: { load: () => import('./pages/pilot.js'), session: true },
    scheme: { load: () => import('./pages/scheme.js'), session: true },
    plan: { load: () => import('./pages/plan.js'), session: true },
    review: { load: () => import('./pages/review.js'), session: true },
    catalogue: { load: () => import('./pages/catalogue.js'), session: true },
    inbox: { load: () => import('./pages/inbox.js'), session: true },
    pilots: { load: () => import('./pages/pilots.js'), session: true },
};

// The header's navigation: [page name, href, label key, permission or null,
// or a function(session) → boolean].
// A link shows when the visitor is logged in and holds the permission; home
// shows to everyone.
const NAV = [
    ['home', '/', 'nav.home', null],
    ['org', '/org.html', 'nav.org', 'org.read'],
    ['users', '/users.html', 'nav.users', 'user.manage'],
    ['directory', '/directory.html', 'nav.directory', 'org.directory'],
    ['products', '/products.html', 'nav.products', 'org.read'],
    ['assessment', '/assessment.html', 'nav.assessments', 'assessment.read'],
    ['quote', '/quote.html', 'nav.quotes', 'quote.read'],
    ['policy', '/policy.html', 'nav.policies', 'policy.read'],
    ['referrals', '/referrals.html', 'nav.referrals', 'referral.decide'],
    ['simulations', '/simulations.html', 'nav.simulations', 'sim.read'],
    // every logged-in user reads org.read; the hub shows what the role may do
    ['pilot', '/pilot.html', 'nav.pilot', 'org.read'],
];

const shell = {
    page: document.body.dataset.page,
    session: null, // {user, organisation, permissions} | null
    state: 'loading', // loading | user | anonymous | error
    error: null,
};

async function boot() {
    mountShell(document);
    applyStatic(document);
    byTestId('lang-toggle').addEventListener('click', () => toggleLang());

    const entry = PAGES[shell.page];
    if (!entry) throw new Error(`unknown page "${shell.page}" (add it to PAGES in js/app.js)`);
    renderHeader();
    onLangChange(renderHeader);

    const [page] = await Promise.all([entry.load(), loadShellSession()]);
    renderHeader();

    if (entry.session && shell.state === 'anonymous') {
        const here = window.location.pathname + window.location.search;
        window.location.replace(`/login.html?next=${encodeURIComponent(here)}`);
        return;
    }
    if (entry.session && shell.state === 'error') {
        showPageError(t('session.checkFailed', { message: pickBilingual(shell.error.message) }));
        return;
    }
    page.mount(document.getElementById('main'), {
        session: shell.session,
        // A page that changed the visitor's own organisation or user tells
        // the header, which shows both.
        updateSession(patch) {
            if (!shell.session) return;
            shell.session = { ...shell.session, ...patch };
            renderHeader();
        },
    });
}

async function loadShellSession() {
    try {
        shell.session = await loadSession();
        shell.state = shell.session ? 'user' : 'anonymous';
    } catch (err) {
        shell.state = 'error';
        shell.error = err;
    }
}

function showPageError(text) {
    const box = document.querySelector('[data-testid="page-error"]');
    if (box) {
        box.textContent = text;
        box.hidden = false;
    }
}

// ---- header --------------------------------------------------------------

function renderHeader() {
    renderNav();
    renderSessionBox();
}

function renderNav() {
    const list = byTestId('site-nav-list');
    const allowed = (perm) => perm === null ||
        (typeof perm === 'function' ? Boolean(shell.session) && perm(shell.session) : can(shell.session, perm));
    const items = NAV.filter(([, , , perm]) => allowed(perm)).map(([name, href, key]) =>
        el('li', {},
            el('a', {
                href,
                class: 'site-nav__link',
                testid: `nav-${name}`,
                'aria-current': name === shell.page ? 'page' : null,
            }, t(key))));
    replaceChildren(list, items);
}

function renderSessionBox() {
    const box = byTestId('session');
    box.dataset.state = shell.state;
    if (shell.state === 'loading') {
        replaceChildren(box);
        return;
    }
    if (shell.state !== 'user') {
        const link = shell.page === 'login' ? null
            : el('a', { href: loginHref(), class: 'header-btn', testid: 'login-link' }, t('session.login'));
        replaceChildren(box, link);
        return;
    }
    const { user, organisation } = shell.session;
    const out = el('button', { type: 'button', class: 'header-btn', testid: 'logout' }, t('session.logout'));
    out.addEventListener('click', () => doLogout(out));
    replaceChildren(box,
        el('p', { class: 'session__who' },
            el('span', { class: 'visually-hidden' }, t('session.loggedInAs')),
            el('span', { class: 'session__user', testid: 'session-user' }, user.display_name || user.username),
            el('span', { class: 'session__org', testid: 'session-org' }, organisation.name)),
        out);
}

// Link to the login page that comes back here afterwards (not from home:
// after login the natural place is "my organisation").
function loginHref() {
    if (shell.page === 'home') return '/login.html';
    const here = window.location.pathname + window.location.search;
    return `/login.html?next=${encodeURIComponent(here)}`;
}

async function doLogout(button) {
    button.disabled = true;
    try {
        await logout();
        window.location.assign('/');
    } catch (err) {
        button.disabled = false;
        showPageError(t('session.logoutFailed', { message: pickBilingual(err.message) }));
    }
}

boot().catch((err) => {
    // A boot failure is a bug: report it on the console (the browser test
    // fails on console errors) and tell the user in words.
    console.error(err);
    showPageError(t('common.loadFailed', { message: err.message }));
});
