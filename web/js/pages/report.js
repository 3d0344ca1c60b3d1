// pages/report.js — a pilot's progress reports (report.html?pilot=N): the
// reports filed, each period's due day and whether it came late, and for the
// pilot's lead (report.write) the form of the next report: a period of the
// round begun and not yet filed, the figures (money in 万元 or 元, sent as
// fen) and the text with its live 字数. The figures start from the
// platform's own records of the period (GET /api/v1/pilots/{id}/figures),
// shown beside each field; a filed report marks the figures its filer
// declared other than the platform's, with both, for whoever reads it.
//
// GET /api/v1/pilots/{id}, /api/v1/rounds/{id}, /api/v1/pilots/{id}/figures;
// POST /api/v1/reports.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, param, scrollTable, loadedPage } from '../view.js';
import { selectField, textField, zishuField, amountField, amountsValid, button, runAction, when, fenToWan } from '../pilot/ui.js';

const here = { view: null, session: null }; // the view mount() made, the visitor's session
let pilot;
let round;
let flash = '';
let chosen = null; // the period the form shows
let platform = null; // {period, figures} of the platform's records for it

const COUNTS = ['insured_enterprises', 'policies', 'assessments', 'alerts', 'incidents'];
const MONEY = ['premium_fen', 'sum_insured_fen', 'claims_paid_fen'];

export const page = loadedPage(here, {
    title: 'title.report',
    view: 'report-view',
    load,
    render,
});

async function load() {
    pilot = await api(`/api/v1/pilots/${encodeURIComponent(param('pilot') ?? '')}`);
    round = await api(`/api/v1/rounds/${encodeURIComponent(pilot.round_id)}`);
    const periods = unfiled();
    chosen = periods.some((p) => p.period === chosen) ? chosen : ((openPeriods()[0] ?? periods[0])?.period ?? null);
    await loadFigures();
}

// The platform's figures of the chosen period, when the visitor will file it.
async function loadFigures() {
    platform = null;
    if (!chosen || !mayFile()) return;
    platform = await api(`/api/v1/pilots/${pilot.id}/figures`, { query: { period: chosen } });
}

function mayFile() {
    return Boolean(pilot.actions?.includes('report'));
}

function unfiled() {
    return round.progress_reports.filter((p) => !pilot.reports.some((r) => r.period === p.period));
}

// The periods begun (by the visitor's clock; the server judges) and not yet reported.
function openPeriods() {
    const filed = new Set(pilot.reports.map((r) => r.period));
    const today = new Date().toISOString().slice(0, 10);
    return round.progress_reports.filter((p) => !filed.has(p.period) && p.to >= pilot.start_date && p.from <= today);
}

// "平台记录：N" beside a field, or nothing where the platform keeps no record.
function platformHint(k) {
    const v = platform?.figures?.[k];
    if (v === null || v === undefined) return null;
    return el('p', { class: 'muted', testid: `report-platform-${k}`, dataset: { value: String(v) } },
        t('rp.platform', { value: MONEY.includes(k) ? t('rp.wan', { n: fenToWan(v) }) : String(v) }));
}

function form(box) {
    if (!mayFile()) return null;
    const periods = unfiled();
    const r = { period: chosen ?? '', text: '' };
    for (const k of [...COUNTS, ...MONEY]) r[k] = platform?.figures?.[k] ?? 0;
    return el('section', { class: 'card card--wide', testid: 'report-form' },
        el('h3', {}, t('rp.new')),
        selectField({ id: 'report-period', testid: 'report-period', field: 'period', label: t('t.period'), value: r.period,
            options: periods.map((p) => ({ value: p.period, label: t('rp.periodOption', { period: p.period, due: p.due }) })),
            onInput: async (v) => { if (v === chosen) return; chosen = v; await loadFigures(); render(); } }).node,
        el('p', { class: 'muted', testid: 'report-prefilled' }, t('rp.prefilled')),
        el('div', { class: 'form__grid' },
            COUNTS.map((k) => el('div', {}, textField({ id: `report-${k}`, testid: `report-${k}`, field: k, label: t(`rp.${k}`), type: 'number', value: String(r[k]),
                onInput: (v) => { r[k] = v === '' ? 0 : Number(v); } }).node, platformHint(k))),
            MONEY.map((k) => el('div', {}, amountField({ id: `report-${k}`, testid: `report-${k}`, field: k, label: t(`rp.${k}`), fen: r[k], unit: 'wan',
                onFen: (fen) => { if (fen !== undefined) r[k] = fen ?? 0; } }), platformHint(k)))),
        zishuField({ id: 'report-text', testid: 'report-text', field: 'text', label: t('rp.text'), rows: 6, onInput: (v) => { r.text = v; } }).node,
        el('div', { class: 'form__actions' }, button('report-submit', t('pl.submit'), () => {
            if (!amountsValid(here.view)) return;
            runAction(here.view, box, async () => [await api('/api/v1/reports', { method: 'POST', body: { pilot_id: pilot.id, ...r } }), t('pl.submitted')],
                async (_out, text) => { flash = text; await load(); render(); });
        }, 'btn--primary')));
}

// The figures a report declared other than the platform's: "保单数 12345（平台记录 0）".
function declaredCell(x) {
    const declared = Array.isArray(x.declared) ? x.declared : [];
    const show = (k, v) => (MONEY.includes(k) ? t('rp.wan', { n: fenToWan(v) }) : String(v));
    return el('td', { testid: 'report-declared', dataset: { declared: declared.join(',') } },
        declared.length === 0 ? t('rp.asPlatform')
            : declared.map((k) => el('p', { class: 'warning' }, t('rp.declaredFigure',
                { name: t(`rp.${k}`), value: show(k, x[k]), platform: show(k, x[`platform_${k}`]) }))));
}

function render() {
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'report-error', hidden: true });
    showReady(here.view,
        el('h2', { testid: 'report-title' }, t('rp.heading', { code: pilot.code, name: pilot.plan_name })),
        el('p', {}, el('a', { href: `/pilots.html?id=${pilot.id}`, testid: 'report-pilot-link' }, t('rp.toPilot'))),
        el('p', { class: 'muted', testid: 'report-saved', role: 'status', hidden: !flash }, flash),
        box,
        form(box),
        el('section', { class: 'card card--wide' }, el('h3', {}, t('t.reports')),
            pilot.reports.length === 0 ? el('p', { class: 'muted', testid: 'reports-empty' }, t('pl.empty'))
                : scrollTable('report-list-t', 'report-list', t('t.reports'),
                    [t('t.period'), t('rp.insured_enterprises'), t('rp.premium_fen'), t('rp.declared'), t('pl.col.updated'), ''].map((text) => ({ text })),
                    pilot.reports.map((x) => el('tr', { testid: 'report-row', dataset: { period: x.period, late: String(x.late) } },
                        el('th', { scope: 'row' }, x.period), el('td', { class: 'num' }, String(x.insured_enterprises)),
                        el('td', { class: 'num' }, t('rp.wan', { n: fenToWan(x.premium_fen) })), declaredCell(x), el('td', {}, when(x.received_at)),
                        el('td', {}, x.late ? t('t.late') : t('t.onTime')))))));
}
