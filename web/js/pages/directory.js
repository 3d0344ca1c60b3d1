// pages/directory.js — the organisation directory (permission
// org.directory: ministry, support_center, province, city, comm_admin).
//
// GET /api/v1/organisations?type=&region=&limit=&cursor= one page at a time;
// "加载更多" asks for the next page with the answer's "next" cursor. The
// server decides what each caller sees (a region authority only its region,
// and other organisations' contact fields come back null, shown "—").
// Filters: type, province (GET /api/v1/ref/regions?level=1) and, once a
// province is chosen, its prefecture (?parent=CODE); the region filter is the
// code prefix ("440000" → 44, "440100" → 4401). Filters are mirrored in the
// address (?type=&province=&city=) so a reload or a shared link keeps them.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { apiList, apiPage } from '../api.js';
import { t, onLangChange, pickBilingual } from '../i18n.js';
import { el, replaceChildren } from '../dom.js';
import { scrollTable } from '../view.js';
import { ORG_TYPES, orNone, word, regionPrefix } from '../format.js';

const PAGE_SIZE = 20;

const state = {
    filters: { type: '', province: '', city: '' },
    provinces: null, // [{code, name}] or null while loading
    cities: new Map(), // province code → [{code, name, plan_city}]
    items: [],
    next: null,
    status: 'loading', // loading | ready | error
    loadingMore: false,
    error: null,
    moreError: null,
    seq: 0, // answers of an older filter are dropped
};

let root = null;
let controls = null;

export const page = {
    title: 'title.directory',
    view: 'directory-view',
    permission: 'org.directory',
    forbidden: 'dir.forbidden',
    start(view) {
        root = view;
        readFilters();
        buildSkeleton();
        renderFilters();
        renderResults();
        onLangChange(() => {
            renderFilters();
            renderResults();
        });
        loadProvinces();
        if (state.filters.province) loadCities(state.filters.province);
        search();
    },
};

// The filters from the address (?type=&province=&city=), each checked.
function readFilters() {
    const q = new URLSearchParams(window.location.search);
    state.filters.type = ORG_TYPES.includes(q.get('type')) ? q.get('type') : '';
    state.filters.province = /^\d{2}0000$/.test(q.get('province') ?? '') ? q.get('province') : '';
    state.filters.city = /^\d{4}00$/.test(q.get('city') ?? '') && q.get('city').startsWith(state.filters.province.slice(0, 2))
        ? q.get('city') : '';
    if (!state.filters.province) state.filters.city = '';
}

// ---- skeleton (built once, so the selects keep focus across updates) -----

function buildSkeleton() {
    const type = el('select', { id: 'dir-type', testid: 'dir-type' });
    const province = el('select', { id: 'dir-province', testid: 'dir-province' });
    const city = el('select', { id: 'dir-city', testid: 'dir-city' });
    const labels = {
        type: el('label', { for: 'dir-type' }),
        province: el('label', { for: 'dir-province' }),
        city: el('label', { for: 'dir-city' }),
    };
    const reset = el('button', { type: 'button', class: 'btn', testid: 'dir-reset' });
    const heading = el('h2', { id: 'dir-title', testid: 'dir-title' });
    const hint = el('p', { class: 'muted', testid: 'dir-hint' });
    // The count is the live region (announced after each search); the
    // table itself is not read out on every change.
    const count = el('p', { class: 'muted', role: 'status', testid: 'dir-count', tabindex: '-1' });
    const results = el('div', { testid: 'directory', dataset: { state: 'loading' } });

    type.addEventListener('change', () => setFilter({ type: type.value }));
    province.addEventListener('change', () => {
        setFilter({ province: province.value, city: '' });
        if (province.value) loadCities(province.value);
    });
    city.addEventListener('change', () => setFilter({ city: city.value }));
    reset.addEventListener('click', () => {
        setFilter({ type: '', province: '', city: '' });
        type.focus();
    });

    const filters = el('form', { class: 'filters', testid: 'dir-filters', role: 'search', 'aria-labelledby': 'dir-title' },
        el('div', { class: 'field' }, labels.type, type),
        el('div', { class: 'field' }, labels.province, province),
        el('div', { class: 'field' }, labels.city, city),
        el('div', { class: 'filters__actions' }, reset));
    filters.addEventListener('submit', (ev) => ev.preventDefault());

    controls = { type, province, city, labels, reset, heading, hint, count, results };
    root.dataset.state = 'ready';
    replaceChildren(root,
        el('section', { class: 'card', 'aria-labelledby': 'dir-title' },
            heading, hint, filters, count, results));
}

function setFilter(patch) {
    Object.assign(state.filters, patch);
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(state.filters)) if (v) q.set(k, v);
    const qs = q.toString();
    window.history.replaceState(null, '', qs ? `?${qs}` : window.location.pathname);
    renderFilters();
    search();
}

// ---- loading -------------------------------------------------------------

async function loadProvinces() {
    try {
        const list = await apiList('/api/v1/ref/regions', { query: { level: 1 } });
        state.provinces = list.map((r) => ({ code: r.code, name: r.name })).sort((a, b) => a.code.localeCompare(b.code));
    } catch {
        state.provinces = []; // the other filters still work
    }
    renderFilters();
}

async function loadCities(province) {
    if (state.cities.has(province)) return renderFilters();
    try {
        const list = await apiList('/api/v1/ref/regions', { query: { parent: province } });
        state.cities.set(province, list.map((r) => ({ code: r.code, name: r.name, plan_city: r.plan_city }))
            .sort((a, b) => a.code.localeCompare(b.code)));
    } catch {
        state.cities.set(province, []);
    }
    renderFilters();
}

function query() {
    const { type, province, city } = state.filters;
    const region = city ? regionPrefix(city) : province ? regionPrefix(province) : '';
    return { type, region, limit: PAGE_SIZE };
}

async function search() {
    const seq = ++state.seq;
    state.status = 'loading';
    state.items = [];
    state.next = null;
    state.error = null;
    state.moreError = null;
    renderResults();
    try {
        const page = await apiPage('/api/v1/organisations', { query: query() });
        if (seq !== state.seq) return;
        state.items = page.items;
        state.next = page.next;
        state.status = 'ready';
    } catch (err) {
        if (seq !== state.seq) return;
        state.status = 'error';
        state.error = err;
    }
    renderResults();
}

async function loadMore() {
    if (!state.next || state.loadingMore) return;
    const seq = state.seq;
    const firstNew = state.items.length;
    state.loadingMore = true;
    state.moreError = null;
    renderResults();
    try {
        const page = await apiPage('/api/v1/organisations', { query: query(), cursor: state.next });
        if (seq !== state.seq) return;
        state.items = [...state.items, ...page.items];
        state.next = page.next;
    } catch (err) {
        if (seq !== state.seq) return;
        state.moreError = err;
    } finally {
        if (seq === state.seq) state.loadingMore = false;
    }
    renderResults();
    // Keyboard users continue at the first new organisation.
    const rows = root.querySelectorAll('[data-testid="dir-row"] [data-testid="dir-name"]');
    (rows[firstNew] ?? root.querySelector('[data-testid="dir-count"]'))?.focus();
}

// ---- render --------------------------------------------------------------

function renderFilters() {
    const c = controls;
    const f = state.filters;
    c.heading.textContent = t('dir.heading');
    c.hint.textContent = t('dir.hint');
    c.labels.type.textContent = t('dir.type');
    c.labels.province.textContent = t('dir.province');
    c.labels.city.textContent = t('dir.city');
    c.reset.textContent = t('dir.reset');

    setOptions(c.type, [{ value: '', label: t('dir.allTypes') },
        ...ORG_TYPES.map((x) => ({ value: x, label: t(`orgType.${x}`) }))], f.type);

    const provinces = state.provinces ?? [];
    // A province from the address stays selectable while the list loads.
    const pOptions = [{ value: '', label: state.provinces ? t('dir.allRegions') : t('common.loading') },
        ...provinces.map((p) => ({ value: p.code, label: p.name }))];
    if (f.province && !provinces.some((p) => p.code === f.province)) pOptions.push({ value: f.province, label: f.province });
    setOptions(c.province, pOptions, f.province);

    const cities = f.province ? state.cities.get(f.province) : null;
    const cOptions = [{ value: '', label: f.province ? t('dir.allCities') : t('dir.pickProvinceFirst') },
        ...(cities ?? []).map((x) => ({ value: x.code, label: x.plan_city ? t('dir.planCity', { name: x.name }) : x.name }))];
    if (f.city && !(cities ?? []).some((x) => x.code === f.city)) cOptions.push({ value: f.city, label: f.city });
    setOptions(c.city, cOptions, f.city);
    c.city.disabled = !f.province;
}

function setOptions(select, options, value) {
    select.replaceChildren(...options.map((o) => el('option', { value: o.value }, o.label)));
    select.value = value;
}

function renderResults() {
    const box = controls.results;
    const count = controls.count;
    box.dataset.state = state.status;
    if (state.status === 'loading') {
        box.setAttribute('aria-busy', 'true');
        count.textContent = t('common.loading');
        count.dataset.count = '';
        replaceChildren(box);
        return;
    }
    box.removeAttribute('aria-busy');
    if (state.status === 'error') {
        count.textContent = '';
        count.dataset.count = '';
        replaceChildren(box, el('p', { class: 'error', role: 'alert', testid: 'load-error' },
            t('common.loadFailed', { message: pickBilingual(state.error.message) })));
        return;
    }

    count.dataset.count = String(state.items.length);
    count.dataset.more = String(Boolean(state.next));
    count.textContent = state.next ? t('dir.countMore', { count: state.items.length }) : t('dir.count', { count: state.items.length });

    if (state.items.length === 0) {
        replaceChildren(box, el('p', { class: 'empty', testid: 'dir-empty' }, t('dir.empty')));
        return;
    }

    const rows = state.items.map((o) =>
        el('tr', { testid: 'dir-row', dataset: { id: String(o.id), region: o.region_code ?? '', type: o.type ?? '' } },
            el('th', { scope: 'row', class: 'cell-name' },
                el('a', { href: `/org.html?id=${encodeURIComponent(o.id)}`, testid: 'dir-name' }, o.name)),
            el('td', { testid: 'dir-type' }, word('orgType', o.type)),
            el('td', { class: 'cell-region', testid: 'dir-region', dataset: { code: o.region_code ?? '' } },
                el('span', { class: 'cell-name__main' }, orNone(o.region_name)),
                el('code', { class: 'cell-name__desc' }, orNone(o.region_code))),
            el('td', { class: 'hide-narrow', testid: 'dir-uscc' }, el('code', {}, orNone(o.uscc))),
            el('td', { testid: 'dir-contact' }, orNone(o.contact)),
            el('td', { class: 'nowrap', testid: 'dir-phone' }, orNone(o.phone)),
            el('td', { class: 'hide-narrow', testid: 'dir-email' }, orNone(o.email))));

    const table = scrollTable('dir-table', 'dir-table', t('dir.caption'),
        [{ text: t('dir.col.name') }, { text: t('dir.col.type') }, { text: t('dir.col.region') },
            { text: t('dir.col.uscc'), class: 'hide-narrow' }, { text: t('dir.col.contact') },
            { text: t('dir.col.phone') }, { text: t('dir.col.email'), class: 'hide-narrow' }],
        rows);

    let more = null;
    if (state.next) {
        more = el('button', { type: 'button', class: 'btn', testid: 'dir-more', 'aria-busy': state.loadingMore ? 'true' : null },
            state.loadingMore ? t('common.loading') : t('dir.more'));
        more.disabled = state.loadingMore;
        more.addEventListener('click', loadMore);
    }
    const moreError = state.moreError
        ? el('p', { class: 'error', role: 'alert', testid: 'dir-more-error' },
            t('common.loadFailed', { message: pickBilingual(state.moreError.message) }))
        : null;

    replaceChildren(box, table, el('div', { class: 'more-row' }, more, moreError));
}
