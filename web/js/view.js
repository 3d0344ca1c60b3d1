// view.js — pieces every data page shares: the loading / ready / error
// states of a mount point (data-state is what tests wait on), scrollable
// tables, and safe in-site links from a ?next= parameter.
//
// Must never depend on: api.js, any page module.

import { t, pickBilingual, onLangChange } from './i18n.js';
import { el, replaceChildren } from './dom.js';

export function showLoading(mountPoint) {
    mountPoint.dataset.state = 'loading';
    mountPoint.setAttribute('aria-busy', 'true');
    replaceChildren(mountPoint, el('p', { class: 'muted' }, t('common.loading')));
}

export function showError(mountPoint, error, key = 'common.loadFailed') {
    mountPoint.dataset.state = 'error';
    mountPoint.removeAttribute('aria-busy');
    replaceChildren(mountPoint,
        el('p', { class: 'error', role: 'alert', testid: 'load-error', dataset: { code: error?.code ?? '' } },
            t(key, { message: pickBilingual(error?.message ?? String(error)) })));
}

export function showReady(mountPoint, ...children) {
    mountPoint.dataset.state = 'ready';
    mountPoint.removeAttribute('aria-busy');
    replaceChildren(mountPoint, ...children);
}

// The life of a data page: render() now (its loading state) and after every
// language switch; await load(), keeping a failure in state.error for
// render() to show; render() again with what came back.
export async function loadAndRender(state, render, load) {
    render();
    onLangChange(render);
    try {
        await load();
    } catch (error) {
        state.error = error;
    }
    render();
}

// The declaration (see mount.js) of a page that lists records at its
// address and shows one at ?id=N, living by loadAndRender: start() keeps in
// state the view mount() made (state.view), the visitor's session
// (state.session) and the record's id (state.id: ?id=, null for the list).
export function recordPage(state, { load, render, ...declaration }) {
    return {
        ...declaration,
        start(view, ctx) {
            state.view = view;
            state.session = ctx.session;
            state.id = idParam();
            return loadAndRender(state, render, load);
        },
    };
}

// The other life of a data page: await load() first, then render() and
// again after every language switch; a failed load shows its error (the
// message under errorKey) in the view instead.
export async function renderAfterLoad(view, load, render, errorKey = 'common.loadFailed') {
    try {
        await load();
    } catch (err) {
        showError(view, err, errorKey);
        return;
    }
    render();
    onLangChange(render);
}

// The declaration (see mount.js) of a page that loads, then renders
// (renderAfterLoad): start() keeps in here the view mount() made
// (here.view) and the visitor's session (here.session) for load and render.
export function loadedPage(here, { load, render, ...declaration }) {
    return {
        ...declaration,
        start(view, ctx) {
            here.view = view;
            here.session = ctx.session;
            return renderAfterLoad(view, load, render);
        },
    };
}

// The declaration of a page whose load() renders what it loaded (or shows
// its failure) itself, and runs again after each action: start() keeps the
// view and the session in here as loadedPage does, renders again after every
// language switch, and loads.
export function reloadingPage(here, { load, render, ...declaration }) {
    return {
        ...declaration,
        async start(view, ctx) {
            here.view = view;
            here.session = ctx.session;
            onLangChange(render);
            await load();
        },
    };
}

// The page is not for this user (a permission is missing): say so in words.
export function showForbidden(mountPoint, text) {
    mountPoint.dataset.state = 'forbidden';
    mountPoint.removeAttribute('aria-busy');
    replaceChildren(mountPoint,
        el('section', { class: 'card' },
            el('h2', {}, t('common.forbiddenHeading')),
            el('p', { testid: 'forbidden' }, text)));
}

// A table inside a scroll box that keyboard users can scroll (tabindex=0)
// and screen readers can name (labelled by the caption).
// head: [{text, class}]
export function scrollTable(id, testid, captionText, head, rows) {
    const captionId = `${id}-caption`;
    return el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': captionId },
        el('table', { class: 'data-table', id, testid },
            el('caption', { id: captionId, testid: `${testid}-caption` }, captionText),
            el('thead', {}, el('tr', {}, head.map((h) =>
                el('th', { scope: 'col', class: h.class }, h.text)))),
            el('tbody', {}, rows)));
}

// A "?next=" value that stays on this site: a path starting with one "/",
// resolved against this origin; anything else → fallback.
export function safeNext(value, fallback) {
    if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
        return fallback;
    }
    try {
        const u = new URL(value, window.location.origin);
        if (u.origin !== window.location.origin) return fallback;
        if (u.pathname === '/login.html') return fallback;
        return u.pathname + u.search + u.hash;
    } catch {
        return fallback;
    }
}

// Read one search parameter of the current address.
export function param(name) {
    return new URLSearchParams(window.location.search).get(name);
}

// A record id from the address (?id=12 → 12), or null when absent or not a
// whole number.
export function idParam(name = 'id') {
    const p = param(name);
    return p && /^\d+$/.test(p) ? Number(p) : null;
}
