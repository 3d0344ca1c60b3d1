// pages/simulations.js — portfolio accumulation simulations (docs/simulation.md):
// start a run, follow its progress, and read a finished run's result — the
// headline a risk manager reads, the EP curve (ECharts), the EP table, the
// breakdown tables and the events that contribute most.
//
// Permissions: sim.read (insurer, ministry, support_center) sees the page;
// sim.run (their admins and members) also gets the form. The server decides
// what each caller may do and which simulations it lists.
//
// API: POST /api/v1/simulations {years, seed, portfolio: demo|exposure,
// exposure_csv (a file read with FileReader), catalogue} → 202 queued;
// GET /api/v1/simulations (the organisation's, newest first; operators: all)
// polled every second while one is queued or running; GET
// /api/v1/simulations/{id} → status, progress, params and, when done, the
// result (amounts in yuan, two decimals), or the error of a failed run.
// The selected run is kept in the address (?id=N) so a reload keeps it.
//
// The chart: ECharts, vendored in web/vendor/echarts (see its README),
// loaded on first use with a dynamic import, canvas renderer and a
// rich-text tooltip — the HTML tooltip writes style attributes, which the
// CSP refuses. The same numbers are in the EP table, for screen readers and
// for copying.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiPage } from '../api.js';
import { t, onLangChange, pickBilingual, getLang } from '../i18n.js';
import { el, replaceChildren } from '../dom.js';
import { can, isNational } from '../session.js';
import { scrollTable, param } from '../view.js';
import { beijingTime } from '../format.js';
import { buildForm, readRun } from '../sim/form.js';
import { percentText } from '../sim/numbers.js';
import {
    statusBadge, progressNodes, paramsLine, headline, moreDetails, epTable, breakdowns, eventsTable,
} from '../sim/results.js';
import { drawChart, disposeChart } from '../sim/chart.js';

const LIST_LIMIT = 50;
const POLL_MS = 1000;
const ACTIVE = new Set(['queued', 'running']);

const state = {
    session: null,
    canRun: false,
    items: [],
    more: false,
    listStatus: 'loading', // loading | ready | error
    listError: null,
    pollError: null,
    pollFailures: 0, // in a row: the next poll waits longer
    pollTimer: null,
    autoSelected: false,
    notice: null, // {id} of the run just started
    selectedId: null,
    detail: null, // {id, status: loading|ready|error, sim, error}
    detailSeq: 0,
};

let root = null;
let ui = null; // nodes built once
let form = null;
let rendered = ''; // what the detail box shows now (skip needless redraws)
let progressView = null; // {text, bar} while the selected run is active

export const page = {
    title: 'title.simulations',
    view: 'sim-view',
    permission: 'sim.read',
    forbidden: 'sim.forbidden',
    start(view, { session }) {
        root = view;
        state.session = session;
        state.canRun = can(session, 'sim.run');
        buildSkeleton();
        onLangChange(() => {
            renderStatic();
            renderList({ full: true });
            renderDetail({ force: true });
        });
        const id = param('id');
        if (id && /^[1-9]\d{0,15}$/.test(id)) select(Number(id), { focus: false, push: false });
        renderDetail({ force: true });
        loadList();
    },
};

// ---- skeleton (built once: the form keeps what was typed) -----------------

function buildSkeleton() {
    const heading = el('h2', { id: 'sim-title', testid: 'sim-title' });
    const eyebrow = el('p', { class: 'eyebrow' });
    const hint = el('p', { class: 'muted', testid: 'sim-hint' });
    const runHeading = el('h3', { class: 'subhead' });
    const readOnly = el('p', { class: 'muted', testid: 'sim-run-readonly' });

    let formBox = null;
    if (state.canRun) {
        form = buildForm(startRun);
        formBox = form.form;
    }

    const listHeading = el('h2', { id: 'sim-list-title', testid: 'sim-list-title' });
    const listStatus = el('p', { class: 'success', role: 'status', testid: 'sim-list-status', tabindex: '-1', hidden: true });
    const pollError = el('p', { class: 'error', role: 'alert', testid: 'sim-poll-error', hidden: true });
    const list = el('div', { testid: 'sim-list', dataset: { state: 'loading' } });
    const detail = el('section', {
        id: 'sim-detail',
        class: 'card',
        testid: 'sim-detail',
        dataset: { state: 'ready', id: '', status: '' },
    });

    ui = { heading, eyebrow, hint, runHeading, readOnly, listHeading, listStatus, pollError, list, detail, rows: new Map() };
    renderStatic();
    root.dataset.state = 'ready';
    root.removeAttribute('aria-busy');
    replaceChildren(root,
        el('section', { class: 'card', 'aria-labelledby': 'sim-title' },
            el('div', {}, eyebrow, heading),
            hint,
            runHeading,
            state.canRun ? formBox : readOnly),
        el('section', { class: 'card', 'aria-labelledby': 'sim-list-title' },
            listHeading, listStatus, pollError, list),
        detail);
}

function renderStatic() {
    ui.eyebrow.textContent = t('sim.eyebrow');
    ui.heading.textContent = t('sim.heading');
    ui.hint.textContent = t('sim.hint');
    ui.runHeading.textContent = state.canRun ? t('sim.runHeading') : '';
    ui.runHeading.hidden = !state.canRun;
    ui.readOnly.textContent = t('sim.readOnly');
    ui.listHeading.textContent = t('sim.listHeading');
    if (state.notice) ui.listStatus.textContent = t('sim.started', { id: state.notice.id });
    ui.pollError.textContent = state.pollError
        ? t('sim.pollFailed', { message: pickBilingual(state.pollError.message) }) : '';
    if (form) {
        form.relabel();
        form.catalogue.label.textContent = t('sim.f.catalogue');
    }
}

// ---- starting a run --------------------------------------------------------

async function startRun(values) {
    const body = await readRun(form, values);
    const sim = await api('/api/v1/simulations', { method: 'POST', body });
    // The list shows it at once; polling follows it to the end.
    state.items = [listItem(sim), ...state.items.filter((s) => s.id !== sim.id)];
    state.listStatus = 'ready';
    state.notice = { id: sim.id };
    ui.listStatus.textContent = t('sim.started', { id: sim.id });
    ui.listStatus.hidden = false;
    renderList({ full: true });
    select(sim.id, { focus: true, push: true, known: sim });
    schedulePoll();
}

// A list entry: the fields GET /api/v1/simulations gives (no params, no result).
function listItem(sim) {
    const { id, org_id, user_id, status, progress, created_at, started_at, finished_at, error } = sim;
    return { id, org_id, user_id, status, progress, created_at, started_at, finished_at, error };
}

// ---- the list and polling --------------------------------------------------

async function loadList() {
    try {
        const page = await apiPage('/api/v1/simulations', { query: { limit: LIST_LIMIT } });
        state.items = page.items;
        state.more = page.next !== null;
        state.listStatus = 'ready';
        state.pollError = null;
        state.pollFailures = 0;
    } catch (err) {
        if (state.listStatus === 'loading') {
            state.listStatus = 'error';
            state.listError = err;
        } else {
            state.pollError = err; // keep the last list; the next tick retries
            state.pollFailures++;
        }
    }
    ui.pollError.textContent = state.pollError ? t('sim.pollFailed', { message: pickBilingual(state.pollError.message) }) : '';
    ui.pollError.hidden = !state.pollError;
    renderList({ full: false });
    // Opened without ?id=: show the latest finished run.
    if (!state.autoSelected && state.listStatus === 'ready') {
        state.autoSelected = true;
        const latest = state.selectedId === null ? state.items.find((s) => s.status === 'done') : null;
        if (latest) select(latest.id);
    }
    followSelected();
    schedulePoll();
}

function isActive(s) {
    return Boolean(s) && ACTIVE.has(s.status);
}

function schedulePoll() {
    if (state.pollTimer !== null) return;
    const detailActive = state.detail?.status === 'ready' && isActive(state.detail.sim);
    if (!state.items.some(isActive) && !detailActive) return;
    // after failures: 2 s, 4 s, … up to a minute
    const wait = Math.min(60_000, POLL_MS * 2 ** state.pollFailures);
    state.pollTimer = window.setTimeout(() => {
        state.pollTimer = null;
        loadList();
    }, wait);
}

// The selected run changed status in the list (or is not in it and still
// running): fetch it again, so a run that finished shows its result.
function followSelected() {
    const d = state.detail;
    if (!d || d.status !== 'ready' || !d.sim) {
        return;
    }
    const item = state.items.find((s) => s.id === d.id);
    if (item ? item.status !== d.sim.status : isActive(d.sim)) {
        loadDetail(d.id, { quiet: true });
    } else if (item && isActive(item)) {
        renderDetail(); // progress only
    }
}

function renderList({ full }) {
    const box = ui.list;
    box.dataset.state = state.listStatus;
    if (state.listStatus === 'loading') {
        box.setAttribute('aria-busy', 'true');
        replaceChildren(box, el('p', { class: 'muted' }, t('common.loading')));
        return;
    }
    box.removeAttribute('aria-busy');
    if (state.listStatus === 'error') {
        replaceChildren(box, el('p', { class: 'error', role: 'alert', testid: 'sim-list-error' },
            t('common.loadFailed', { message: pickBilingual(state.listError.message) })));
        return;
    }
    if (state.items.length === 0) {
        ui.rows.clear();
        replaceChildren(box, el('p', { class: 'empty', testid: 'sim-empty' }, state.canRun ? t('sim.emptyRun') : t('sim.empty')));
        return;
    }
    // While polling, the same runs are patched in place: a focused button
    // keeps its focus and a table scrolled sideways stays where it is.
    const sameRows = !full && ui.rows.size === state.items.length && state.items.every((s) => ui.rows.has(s.id));
    if (sameRows) {
        for (const s of state.items) patchRow(ui.rows.get(s.id), s);
        return;
    }
    ui.rows.clear();
    const rows = state.items.map((s) => {
        const r = {
            tr: el('tr', { testid: 'sim-row' }),
            status: el('td', { class: 'nowrap', testid: 'sim-row-status' }),
            progress: el('td', { class: 'nowrap', testid: 'sim-row-progress' }),
            finished: el('td', { class: 'hide-narrow nowrap', testid: 'sim-row-finished' }),
        };
        const button = el('button', {
            type: 'button',
            class: 'btn btn--small',
            testid: 'sim-select',
            'aria-controls': 'sim-detail',
            'aria-label': t('sim.selectLabel', { id: s.id }),
        }, t('sim.select'));
        button.addEventListener('click', () => select(s.id, { focus: true, push: true }));
        r.tr.append(
            el('th', { scope: 'row', class: 'nowrap', testid: 'sim-row-id' }, `#${s.id}`),
            r.status,
            r.progress,
            el('td', { class: 'hide-narrow nowrap', testid: 'sim-row-created' }, beijingTime(s.created_at)),
            r.finished,
            el('td', {}, button));
        patchRow(r, s);
        ui.rows.set(s.id, r);
        return r.tr;
    });
    const caption = t(isNational(state.session) ? 'sim.captionAll' : 'sim.caption', { count: state.items.length });
    replaceChildren(box,
        scrollTable('sim-table', 'sim-table', caption,
            [{ text: t('sim.col.id') }, { text: t('sim.col.status') }, { text: t('sim.col.progress') },
                { text: t('sim.col.created'), class: 'hide-narrow' }, { text: t('sim.col.finished'), class: 'hide-narrow' },
                { text: t('sim.col.actions') }],
            rows),
        state.more ? el('p', { class: 'muted', testid: 'sim-list-more' }, t('sim.captionMore', { count: state.items.length })) : null);
}

function patchRow(r, s) {
    if (r.tr.dataset.status === s.status && r.tr.dataset.progress === String(s.progress)
        && r.tr.getAttribute('aria-current') === (s.id === state.selectedId ? 'true' : null)) return;
    r.tr.dataset.id = String(s.id);
    r.tr.dataset.status = s.status;
    r.tr.dataset.progress = String(s.progress);
    if (s.id === state.selectedId) r.tr.setAttribute('aria-current', 'true');
    else r.tr.removeAttribute('aria-current');
    r.status.dataset.status = s.status;
    replaceChildren(r.status, statusBadge(s.status));
    replaceChildren(r.progress, progressNodes(s, true));
    replaceChildren(r.finished, s.finished_at ? beijingTime(s.finished_at) : t('common.none'));
}

// ---- the selected run ------------------------------------------------------

function select(id, { focus = false, push = false, known = null } = {}) {
    state.selectedId = id;
    if (push) window.history.replaceState(null, '', `?id=${encodeURIComponent(id)}`);
    for (const r of ui.rows.values()) {
        if (Number(r.tr.dataset.id) === id) r.tr.setAttribute('aria-current', 'true');
        else r.tr.removeAttribute('aria-current');
    }
    if (known) {
        state.detailSeq++;
        state.detail = { id, status: 'ready', sim: known, error: null };
        renderDetail({ force: true });
        if (focus) focusDetail();
        return;
    }
    loadDetail(id, { focus });
}

async function loadDetail(id, { focus = false, quiet = false } = {}) {
    const seq = ++state.detailSeq;
    if (!quiet) {
        state.detail = { id, status: 'loading', sim: null, error: null };
        renderDetail({ force: true });
    }
    let next;
    try {
        next = { id, status: 'ready', sim: await api(`/api/v1/simulations/${encodeURIComponent(id)}`), error: null };
    } catch (err) {
        next = { id, status: 'error', sim: null, error: err };
    }
    if (seq !== state.detailSeq) return;
    if (quiet && next.status === 'error') {
        state.pollError = next.error; // keep what is shown; try again
        state.pollFailures++;
        ui.pollError.textContent = t('sim.pollFailed', { message: pickBilingual(next.error.message) });
        ui.pollError.hidden = false;
        schedulePoll();
        return;
    }
    state.detail = next;
    renderDetail({ force: true });
    if (focus) focusDetail();
    schedulePoll();
}

function focusDetail() {
    const h = ui.detail.querySelector('[data-testid="sim-detail-title"]');
    if (!h) return;
    h.scrollIntoView({ block: 'nearest' });
    h.focus({ preventScroll: true });
}

function renderDetail({ force = false } = {}) {
    const box = ui.detail;
    const d = state.detail;
    const item = d ? state.items.find((s) => s.id === d.id) : null;
    const sim = d?.sim ?? null;
    const status = sim?.status ?? '';
    const key = `${d?.id ?? ''}|${d?.status ?? ''}|${status}|${getLang()}`;
    if (!force && key === rendered) {
        // the same running simulation: only its progress moves
        if (isActive(sim) && progressView) patchProgress(item ?? sim);
        return;
    }
    rendered = key;
    progressView = null;
    // Whoever was reading the detail (focus in it) stays there.
    const hadFocus = box.contains(document.activeElement);
    paintDetail(box, d, item, sim, status);
    if (hadFocus && !box.contains(document.activeElement)) {
        box.querySelector('[data-testid="sim-detail-title"]')?.focus({ preventScroll: true });
    }
}

function patchProgress(live) {
    progressView.text.textContent = t('sim.detailWaiting', { status: t(`sim.status.${live.status}`), percent: percentText(live.progress) });
    replaceChildren(progressView.bar, progressNodes(live));
}

function paintDetail(box, d, item, sim, status) {
    box.dataset.id = d ? String(d.id) : '';
    box.dataset.status = status;
    disposeChart();
    if (!d) {
        box.dataset.state = 'ready';
        box.removeAttribute('aria-busy');
        replaceChildren(box, el('p', { class: 'muted', testid: 'sim-detail-hint' }, t('sim.detailHint')));
        return;
    }
    const head = detailHead(d, sim, status);
    box.setAttribute('aria-labelledby', 'sim-detail-title');
    if (d.status === 'loading') {
        box.dataset.state = 'loading';
        box.setAttribute('aria-busy', 'true');
        replaceChildren(box, head, el('p', { class: 'muted' }, t('common.loading')));
        return;
    }
    box.removeAttribute('aria-busy');
    if (d.status === 'error') {
        box.dataset.state = 'error';
        replaceChildren(box, head, el('p', { class: 'error', role: 'alert', testid: 'sim-detail-error', dataset: { code: d.error?.code ?? '' } },
            t('common.loadFailed', { message: pickBilingual(d.error?.message ?? String(d.error)) })));
        return;
    }
    box.dataset.state = 'ready';
    const params = paramsLine(sim);
    if (isActive(sim)) {
        progressView = { text: el('p', { testid: 'sim-detail-progress' }), bar: el('p') };
        patchProgress(item ?? sim);
        replaceChildren(box, head, params, progressView.text, progressView.bar);
    } else if (status === 'failed' || !sim.result) {
        replaceChildren(box, head, params,
            el('p', { class: 'error', role: 'alert', testid: 'sim-error' },
                t('sim.failed', { message: pickBilingual(sim.error ?? t('common.none')) })));
    } else {
        paintResult(box, head, params, sim);
    }
}

function detailHead(d, sim, status) {
    return el('div', { class: 'card__head' },
        el('div', {},
            el('p', { class: 'eyebrow', testid: 'sim-detail-id' }, t('sim.detailEyebrow', { id: d.id })),
            el('h2', { id: 'sim-detail-title', testid: 'sim-detail-title', tabindex: '-1' }, t('sim.detailHeading'))),
        sim ? el('p', { class: 'nowrap', testid: 'sim-detail-status', dataset: { status } }, statusBadge(status)) : null);
}

// A finished run: the headline, more figures, the EP chart and table, the
// breakdowns and the top events.
function paintResult(box, head, params, sim) {
    const r = sim.result;
    const chartBox = el('div', {
        testid: 'sim-chart',
        role: 'img',
        'aria-label': t('sim.chart.label'),
        dataset: { state: 'loading' },
    });
    replaceChildren(box,
        head,
        params,
        headline(r),
        el('h3', { class: 'subhead' }, t('sim.moreHeading')),
        moreDetails(r, sim),
        el('h3', { class: 'subhead' }, t('sim.chartHeading')),
        chartBox,
        el('p', { class: 'muted', testid: 'sim-chart-note' }, t('sim.chartNote')),
        epTable(r),
        breakdowns(r),
        el('h3', { class: 'subhead' }, t('sim.evHeading')),
        eventsTable(r));
    drawChart(chartBox, r);
}
