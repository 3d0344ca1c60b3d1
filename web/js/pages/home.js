// pages/home.js — the home page: for a logged-in visitor first what waits for
// it (GET /api/v1/todo: confirmations, reviews, packages to forward, reports
// due …, each a link to where it is done), its unread notifications (GET
// /api/v1/notifications?unread=true: a unit must confirm, material arrived or
// returned, a deadline in its reminder days …, each marked read on its own or
// all at once), the deadlines of its scope still ahead with the days left,
// and its recent activity; then the system status
// and the reference data (coverages, GB/T 2260 regions, GB/T 4754 sections).
// An anonymous visitor sees neither the database kind nor the version.
//
// Data is fetched once into `state`; each view renders from `state` alone, so
// a language change re-renders everything without refetching. Only the
// prefecture panel re-renders when the user picks a province, so the
// <select> keeps its focus while a keyboard user moves through it.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList, apiPage } from '../api.js';
import { t, getLang, has, onLangChange, pickBilingual, applyStatic } from '../i18n.js';
import { el, replaceChildren, byTestId } from '../dom.js';
import { showLoading, showError, showReady, scrollTable } from '../view.js';
import { beijingText } from '../format.js';

const state = {
    health: { status: 'unknown', db: null, error: null },
    meta: { value: null, error: null },
    coverages: { items: null, error: null },
    regions: { provinces: null, byParent: null, error: null },
    industries: { sections: null, divisions: null, error: null },
    selectedProvince: '',
    todo: { value: null, error: null },
    notes: { items: null, error: null },
};

let root = null;
let session = null;

export const page = {
    session: false,
    start(_view, ctx) {
        root = ctx.main;
        session = ctx.session;
        root.append(...skeleton().filter(Boolean));
        applyStatic(root);
        renderAll();
        onLangChange(renderAll);
        if (session) loadTodo();
        loadStatus();
        loadCoverages();
        loadRegions();
        loadIndustries();
    },
};

// The page's cards; their headings carry data-i18n keys (i18n.applyStatic
// fills them, also after a language switch). The database kind and the
// version are shown only to a logged-in visitor, never to anonymous ones.
function skeleton() {
    const heading = (id, key) => el('h2', { id, 'data-i18n': key });
    const status = (key, testid, value, wide = false) =>
        el('div', { class: `status-list__item${wide ? ' status-list__item--wide' : ''}` },
            el('dt', { 'data-i18n': key }), el('dd', { testid }, value));
    return [
        session ? el('section', { class: 'card card--wide', 'aria-labelledby': 'todo-heading', testid: 'todo-panel' },
            heading('todo-heading', 'todo.heading'),
            el('div', { testid: 'home-todo', dataset: { state: 'loading' } })) : null,
        el('section', { class: 'card card--status card--wide', 'aria-labelledby': 'status-heading', testid: 'status-panel' },
            heading('status-heading', 'status.heading'),
            el('dl', { class: 'status-list' },
                status('status.health', null,
                    el('span', { class: 'badge', testid: 'status-health', dataset: { status: 'unknown' } })),
                status('status.db', 'status-db'),
                session ? status('status.backend', 'status-backend') : null,
                session ? status('status.version', 'status-version') : null,
                status('status.time', 'status-time', null, true)),
            el('p', { class: 'error', role: 'alert', testid: 'status-error', hidden: true })),
        dataCard('coverages', 'cov.heading', false),
        dataCard('industries', 'ind.heading', false),
        dataCard('regions', 'reg.heading', true),
    ];
}

function dataCard(name, key, wide) {
    return el('section', { class: `card${wide ? ' card--wide' : ''}`, 'aria-labelledby': `${name}-heading` },
        el('h2', { id: `${name}-heading`, 'data-i18n': key }),
        el('div', { testid: name, dataset: { state: 'loading' } }));
}

function renderAll() {
    renderTodo();
    renderStatus();
    renderCoverages();
    renderRegions();
    renderIndustries();
}

// ---- loading -------------------------------------------------------------

async function loadStatus() {
    const health = api('/healthz').then(
        (h) => ({ status: h?.status === 'ok' ? 'ok' : 'error', db: h?.db ?? null, error: null }),
        // 503 answers {"status":"error","db":"..."}: the db detail says it
        // all; any other failure (no answer, not JSON) is shown as an error.
        (err) => ({ status: 'error', db: err.body?.db ?? null, error: err.body?.status ? null : err })
    );
    const meta = api('/api/v1/meta').then(
        (value) => ({ value, error: null }),
        (error) => ({ value: null, error })
    );
    [state.health, state.meta] = await Promise.all([health, meta]);
    renderStatus();
}

async function loadCoverages() {
    try {
        state.coverages = { items: await apiList('/api/v1/ref/coverages'), error: null };
    } catch (error) {
        state.coverages = { items: null, error };
    }
    renderCoverages();
}

async function loadRegions() {
    try {
        const [provinces, prefectures] = await Promise.all([
            apiList('/api/v1/ref/regions', { query: { level: 1 } }),
            apiList('/api/v1/ref/regions', { query: { level: 2 } }),
        ]);
        const byParent = new Map();
        for (const r of prefectures) {
            if (!byParent.has(r.parent)) byParent.set(r.parent, []);
            byParent.get(r.parent).push(r);
        }
        for (const list of byParent.values()) list.sort(byCode);
        state.regions = { provinces: provinces.slice().sort(byCode), byParent, error: null };
    } catch (error) {
        state.regions = { provinces: null, byParent: null, error };
    }
    renderRegions();
}

async function loadIndustries() {
    try {
        const [sections, divisions] = await Promise.all([
            apiList('/api/v1/ref/industries', { query: { level: 1 } }),
            apiList('/api/v1/ref/industries', { query: { level: 2 } }),
        ]);
        state.industries = { sections: sections.slice().sort(byCode), divisions, error: null };
    } catch (error) {
        state.industries = { sections: null, divisions: null, error };
    }
    renderIndustries();
}

function byCode(a, b) {
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

// ---- what waits for me ---------------------------------------------------

async function loadTodo() {
    const [todo, notes] = await Promise.all([
        api('/api/v1/todo').then((value) => ({ value, error: null }), (error) => ({ value: null, error })),
        unreadNotes().then((items) => ({ items, error: null }), (error) => ({ items: null, error })),
    ]);
    state.todo = todo;
    state.notes = notes;
    renderTodo();
}

// The newest unread notifications of the caller (one page).
async function unreadNotes() {
    return (await apiPage('/api/v1/notifications', { query: { unread: 'true', limit: 20 } })).items;
}

// Mark one notification (or, id null, all of them) read, then show what is still unread.
async function markRead(id) {
    try {
        await api(id === null ? '/api/v1/notifications/read-all' : `/api/v1/notifications/${id}/read`, { method: 'POST' });
        state.notes = { items: await unreadNotes(), error: null };
    } catch (error) {
        state.notes = { items: null, error };
    }
    renderTodo();
    byTestId('notes-heading', root)?.focus();
}

function notesView(words) {
    const { items, error } = state.notes;
    const heading = el('h3', { testid: 'notes-heading', tabindex: '-1' }, t('todo.notes'));
    if (error) return [heading, el('p', { class: 'error', role: 'alert', testid: 'notes-error' }, pickBilingual(error.message))];
    if (!items || items.length === 0) return [heading, el('p', { class: 'muted', testid: 'notes-empty' }, t('todo.noNotes'))];
    const readAll = el('button', { type: 'button', class: 'btn', testid: 'notes-read-all' }, t('todo.notesReadAll'));
    readAll.addEventListener('click', () => markRead(null));
    return [heading,
        el('ul', { class: 'todo-list', testid: 'notes-list' }, items.map((n) => {
            const read = el('button', { type: 'button', class: 'btn btn--small', testid: 'note-read' }, t('todo.noteRead'));
            read.addEventListener('click', () => markRead(n.id));
            return el('li', { testid: 'note-item', dataset: { kind: n.kind, id: String(n.id) } },
                el('span', { class: 'muted' }, beijingText(n.created_at), ' '),
                n.link ? el('a', { href: n.link }, words(n)) : el('span', {}, words(n)), ' ', read);
        })),
        readAll];
}

function renderTodo() {
    const mountPoint = session ? byTestId('home-todo', root) : null;
    if (!mountPoint) return;
    const { value, error } = state.todo;
    if (error) return showError(mountPoint, error);
    if (!value) return showLoading(mountPoint);
    const en = getLang() === 'en';
    const words = (x) => (en ? x.text_en : x.text_zh);
    showReady(mountPoint,
        el('h3', {}, t('todo.waiting')),
        value.waiting.length === 0 ? el('p', { class: 'muted', testid: 'todo-empty' }, t('todo.nothing'))
            : el('ul', { class: 'todo-list', testid: 'todo-list' }, value.waiting.map((w) =>
                el('li', { testid: 'todo-item', dataset: { kind: w.kind } },
                    el('a', { href: w.href }, words(w)),
                    w.due_at ? el('span', { class: 'muted' }, ' ', t('todo.due', { at: beijingText(w.due_at) })) : null))),
        ...notesView(words),
        el('h3', {}, t('todo.deadlines')),
        value.deadlines.length === 0 ? el('p', { class: 'muted', testid: 'todo-deadlines-empty' }, t('todo.noDeadlines'))
            : scrollTable('todo-deadlines-t', 'todo-deadlines', t('todo.deadlines'),
                [{ text: t('todo.deadline') }, { text: t('todo.at') }, { text: t('todo.daysLeft'), class: 'num' }],
                value.deadlines.map((d) => el('tr', { testid: 'deadline-row', class: d.remind ? 'deadline--soon' : null,
                    dataset: { key: d.key, round: d.round_id, days: String(d.days_left), remind: String(d.remind) } },
                    el('th', { scope: 'row' }, en ? d.name_en : d.name_zh),
                    el('td', { class: 'nowrap' }, beijingText(d.at)),
                    el('td', { class: 'num', testid: 'deadline-days' }, d.days_left === 0 ? t('todo.today') : t('todo.days', { n: d.days_left }))))),
        el('h3', {}, t('todo.activity')),
        value.activity.length === 0 ? el('p', { class: 'muted', testid: 'activity-empty' }, t('todo.noActivity'))
            : el('ul', { class: 'todo-list', testid: 'activity-list' }, value.activity.map((a) =>
                el('li', { testid: 'activity-item', dataset: { kind: a.kind } },
                    el('span', { class: 'muted' }, beijingText(a.at), ' '), el('a', { href: a.href }, words(a))))));
}

// ---- status --------------------------------------------------------------

function renderStatus() {
    const health = byTestId('status-health', root);
    const h = state.health;
    health.dataset.status = h.status;
    health.className = `badge badge--${h.status}`;
    health.textContent = t(`health.${h.status}`);

    const db = byTestId('status-db', root);
    db.textContent = h.db === null ? t('common.none') : h.db === 'ok' ? t('health.ok') : String(h.db);

    const m = state.meta.value;
    if (session) {
        const backend = byTestId('status-backend', root);
        backend.dataset.backend = m?.backend ?? '';
        backend.textContent = !m ? t('common.none')
            : has(`backend.${m.backend}`) ? t(`backend.${m.backend}`) : String(m.backend);
        byTestId('status-version', root).textContent = m?.version ? String(m.version) : t('common.none');
    }

    const time = byTestId('status-time', root);
    replaceChildren(time, m?.time ? formatTime(m.time) : t('common.none'));

    const problems = [h.error, state.meta.error].filter(Boolean);
    const box = byTestId('status-error', root);
    box.hidden = problems.length === 0;
    box.textContent = problems.map((e) => t('common.loadFailed', { message: pickBilingual(e.message) })).join(' ');
}

function formatTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    const text = new Intl.DateTimeFormat(getLang(), {
        timeZone: 'Asia/Shanghai',
        dateStyle: 'medium',
        timeStyle: 'medium',
    }).format(d);
    return el('time', { datetime: iso }, text);
}

// ---- coverages -----------------------------------------------------------

function renderCoverages() {
    const mountPoint = byTestId('coverages', root);
    const { items, error } = state.coverages;
    if (error) return showError(mountPoint, error);
    if (!items) return showLoading(mountPoint);

    const en = getLang() === 'en';
    const rows = items.map((c) =>
        el('tr', { testid: 'coverage-row', dataset: { code: c.code } },
            el('td', { class: 'hide-narrow' }, el('code', {}, c.code)),
            el('th', { scope: 'row', class: 'cell-name' },
                el('span', { class: 'cell-name__main', testid: 'coverage-name' }, en ? c.name_en : c.name_zh),
                !en && c.description_zh ? el('span', { class: 'cell-name__desc' }, c.description_zh) : null),
            el('td', { class: 'nowrap' },
                el('span', { class: `tag tag--${c.class}`, testid: 'coverage-class', dataset: { class: c.class } },
                    has(`cov.class.${c.class}`) ? t(`cov.class.${c.class}`) : String(c.class))),
            el('td', { class: 'nowrap', testid: 'coverage-waiting', dataset: { waiting: String(Boolean(c.waiting_period)) } },
                t(c.waiting_period ? 'cov.waiting.yes' : 'cov.waiting.no'))));

    showReady(mountPoint, scrollTable('coverages-table', 'coverages-table',
        t('cov.caption', { count: items.length }),
        [{ text: t('cov.code'), class: 'hide-narrow' }, { text: t('cov.name') }, { text: t('cov.class') }, { text: t('cov.waiting') }],
        rows));
}

// ---- regions -------------------------------------------------------------

function renderRegions() {
    const mountPoint = byTestId('regions', root);
    const { provinces, byParent, error } = state.regions;
    if (error) return showError(mountPoint, error);
    if (!provinces) return showLoading(mountPoint);

    const select = el('select', { id: 'province-select', testid: 'province-select' },
        el('option', { value: '' }, t('reg.pickPlaceholder')),
        provinces.map((p) => el('option', { value: p.code }, p.name)));
    select.value = state.selectedProvince;
    select.addEventListener('change', () => selectProvince(select.value, false));

    const picker = el('div', { class: 'field' },
        el('label', { for: 'province-select' }, t('reg.pickLabel')),
        select);

    const panel = el('div', { id: 'prefecture-panel', class: 'prefecture-panel', testid: 'prefecture-panel', tabindex: '-1' });

    const rows = provinces.map((p) => {
        const children = byParent.get(p.code) ?? [];
        const planCities = children.filter((c) => c.plan_city);
        // The name is the button: one tap on a phone, no column to scroll to.
        const show = el('button', {
            type: 'button',
            class: 'link-button',
            testid: 'province-show',
            'aria-controls': 'prefecture-panel',
        }, p.name);
        show.addEventListener('click', () => selectProvince(p.code, true));
        return el('tr', {
            testid: 'province-row',
            dataset: { code: p.code },
            'aria-current': p.code === state.selectedProvince ? 'true' : null,
        },
            el('td', { class: 'hide-narrow' }, el('code', {}, p.code)),
            el('th', { scope: 'row' }, show),
            el('td', { class: 'num', testid: 'province-prefecture-count' }, String(children.length)),
            el('td', { class: 'nowrap', testid: 'province-plan-cities' },
                planCities.length
                    ? planCities.map((c) => el('span', { class: 'tag tag--plan', testid: 'province-plan-city' }, c.name))
                    : t('common.none')));
    });

    const table = scrollTable('province-table', 'province-table',
        [t('reg.provCaption', { count: provinces.length }),
            el('span', { class: 'caption-hint' }, t('reg.provHint'))],
        [{ text: t('reg.code'), class: 'hide-narrow' }, { text: t('reg.name') }, { text: t('reg.prefCount'), class: 'num' },
            { text: t('reg.planCities') }],
        rows);

    showReady(mountPoint, el('div', { class: 'regions-grid' },
        el('div', { class: 'regions-grid__pick' }, picker, panel),
        el('div', { class: 'regions-grid__list' }, table)));
    renderPrefectures();
}

function selectProvince(code, fromTable) {
    state.selectedProvince = code;
    const mountPoint = byTestId('regions', root);
    byTestId('province-select', mountPoint).value = code;
    for (const row of mountPoint.querySelectorAll('[data-testid="province-row"]')) {
        if (row.dataset.code === code) row.setAttribute('aria-current', 'true');
        else row.removeAttribute('aria-current');
    }
    renderPrefectures();
    if (fromTable) {
        // The user picked from the long list: bring the answer to them.
        const panel = byTestId('prefecture-panel', mountPoint);
        panel.scrollIntoView({ block: 'nearest' });
        panel.focus({ preventScroll: true });
    }
}

function renderPrefectures() {
    const panel = byTestId('prefecture-panel', root);
    const { provinces, byParent } = state.regions;
    const province = provinces.find((p) => p.code === state.selectedProvince);
    if (!province) {
        replaceChildren(panel, el('p', { class: 'muted', testid: 'prefecture-hint' }, t('reg.prefHint')));
        return;
    }
    const children = byParent.get(province.code) ?? [];
    if (children.length === 0) {
        replaceChildren(panel, el('p', { class: 'muted', testid: 'prefecture-empty' },
            t('reg.prefEmpty', { province: province.name })));
        return;
    }
    const rows = children.map((c) =>
        el('tr', { testid: 'prefecture-row', dataset: { code: c.code, planCity: String(Boolean(c.plan_city)) } },
            el('td', {}, el('code', {}, c.code)),
            el('th', { scope: 'row' },
                el('span', { testid: 'prefecture-name' }, c.name),
                c.plan_city ? el('span', { class: 'tag tag--plan', testid: 'plan-city-badge' }, t('reg.planCity')) : null)));
    replaceChildren(panel, scrollTable('prefecture-table', 'prefecture-table',
        t('reg.prefCaption', { province: province.name, count: children.length }),
        [{ text: t('reg.code') }, { text: t('reg.name') }],
        rows));
}

// ---- industries ----------------------------------------------------------

function renderIndustries() {
    const mountPoint = byTestId('industries', root);
    const { sections, divisions, error } = state.industries;
    if (error) return showError(mountPoint, error);
    if (!sections) return showLoading(mountPoint);

    const count = new Map();
    for (const d of divisions) count.set(d.section, (count.get(d.section) ?? 0) + 1);
    const rows = sections.map((s) =>
        el('tr', { testid: 'industry-row', dataset: { section: s.section ?? s.code } },
            el('td', {}, el('code', {}, s.code)),
            el('th', { scope: 'row' }, s.name),
            el('td', { class: 'num', testid: 'industry-divisions' }, String(count.get(s.section ?? s.code) ?? 0))));

    showReady(mountPoint, scrollTable('industries-table', 'industries-table',
        t('ind.caption', { count: sections.length }),
        [{ text: t('ind.section') }, { text: t('ind.name') }, { text: t('ind.divisions'), class: 'num' }],
        rows));
}
