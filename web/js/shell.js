// shell.js — everything a page shares around its own view: the skip link,
// the header (title, notice, session box, language toggle, navigation), the
// <main> with its page-error line, and the footer. Every HTML page is the
// same few lines naming only <body data-page="NAME">; buildShell() writes
// the rest once, here, and renderHeader() fills the navigation and session
// box from GET /api/v1/me. Static strings carry data-i18n keys, filled by
// i18n.applyStatic.
//
// Must never depend on: api.js, mount.js, any page module.

import { el, replaceChildren, byTestId } from './dom.js';
import { t, pickBilingual } from './i18n.js';
import { can, logout } from './session.js';

// The header's navigation: [page name, href, label key, permission or null].
// A link shows when the visitor is logged in and holds the permission; home
// shows to everyone. A new page that needs a link adds one line here.
const NAV = [
    ['home', '/', 'nav.home', null],
    ['org', '/org.html', 'nav.org', 'org.read'],
    ['users', '/users.html', 'nav.users', 'user.manage'],
    ['directory', '/directory.html', 'nav.directory', 'org.directory'],
    ['products', '/products.html', 'nav.products', 'org.read'],
    ['assessment', '/assessment.html', 'nav.assessments', 'assessment.read'],
    ['quote', '/quote.html', 'nav.quotes', 'quote.read'],
    ['policy', '/policy.html', 'nav.policies', 'policy.read'],
    ['claims', '/claims.html', 'nav.claims', 'claim.read'],
    ['referrals', '/referrals.html', 'nav.referrals', 'referral.decide'],
    ['monitor', '/monitor.html', 'nav.monitor', 'monitor.read'],
    ['simulations', '/simulations.html', 'nav.simulations', 'sim.read'],
    ['stats', '/stats.html', 'nav.stats', 'stats.read'],
    // every logged-in user reads org.read; the hub shows what the role may do
    ['pilot', '/pilot.html', 'nav.pilot', 'org.read'],
];

// Build the page around <body>: skip link, header, main, footer. Returns the
// <main> (the page-error line is its first child).
export function buildShell(doc = document) {
    const header = el('header', { class: 'site-header' },
        el('div', { class: 'site-header__inner' },
            el('div', { class: 'brand' },
                el('h1', { class: 'brand__title', testid: 'app-title', 'data-i18n': 'app.title' }),
                el('p', { class: 'brand__sub', 'data-i18n': 'app.subtitle' })),
            el('div', { class: 'header-tools' },
                // filled by renderHeader(); data-state=loading|user|anonymous|error
                el('div', { class: 'session', testid: 'session', dataset: { state: 'loading' } }),
                el('button', {
                    type: 'button', class: 'lang-toggle', testid: 'lang-toggle', lang: 'en',
                    'data-i18n': 'lang.toggle', 'data-i18n-attr': 'aria-label:lang.toggleLabel;lang:lang.toggleLang',
                }))),
        el('p', { class: 'notice', testid: 'notice' },
            el('span', { 'data-i18n': 'app.noticeLabel' }),
            el('cite', { 'data-i18n': 'app.notice' }),
            el('span', { testid: 'notice-ref', 'data-i18n': 'app.noticeRef' })),
        el('nav', { class: 'site-nav', testid: 'site-nav', 'data-i18n-attr': 'aria-label:nav.label' },
            el('ul', { class: 'site-nav__list', testid: 'site-nav-list' })));
    const main = el('main', { id: 'main', class: 'layout', tabindex: '-1' },
        el('p', { class: 'page-error', role: 'alert', testid: 'page-error', hidden: true }));
    const footer = el('footer', { class: 'site-footer' }, el('p', { 'data-i18n': 'app.footer' }));
    doc.body.replaceChildren(el('a', { class: 'skip-link', href: '#main', 'data-i18n': 'app.skip' }), header, main, footer);
    return main;
}

// Say what went wrong for the whole page (a boot failure, a failed session
// check, a failed logout) in the page-error line.
export function showPageError(text) {
    const box = document.querySelector('[data-testid="page-error"]');
    if (box) {
        box.textContent = text;
        box.hidden = false;
    }
}

// shell: {page: name, session: {user, organisation, permissions} | null,
// state: 'loading'|'user'|'anonymous'|'error'}.
export function renderHeader(shell) {
    renderNav(shell);
    renderSessionBox(shell);
}

function renderNav(shell) {
    const items = NAV.filter(([, , , perm]) => perm === null || can(shell.session, perm)).map(([name, href, key]) =>
        el('li', {},
            el('a', {
                href,
                class: 'site-nav__link',
                testid: `nav-${name}`,
                'aria-current': name === shell.page ? 'page' : null,
            }, t(key))));
    replaceChildren(byTestId('site-nav-list'), items);
}

function renderSessionBox(shell) {
    const box = byTestId('session');
    box.dataset.state = shell.state;
    if (shell.state === 'loading') {
        replaceChildren(box);
        return;
    }
    if (shell.state !== 'user') {
        const link = shell.page === 'login' ? null
            : el('a', { href: loginHref(shell.page), class: 'header-btn', testid: 'login-link' }, t('session.login'));
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

// The login page, coming back here afterwards (not from home: after login
// the natural place is "my organisation").
export function loginHref(page) {
    if (page === 'home') return '/login.html';
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
