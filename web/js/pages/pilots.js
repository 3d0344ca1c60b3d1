// pages/pilots.js — the pilots the caller sees (pilots.html), and one pilot
// with its status timeline (pilots.html?id=N): every hop of its plan with the
// receipt time, selection, progress reports (late ones marked), the annual
// summary and an exit with its reason, in time order as the server gives it.
// The ministry (pilot.select) selects pilots from the plans it received, each
// with a start date; the ministry or the pilot's province (pilot.exit) exits a
// pilot with a reason (试点退出); the pilot's lead goes on to its reports.
//
// GET /api/v1/pilots, /api/v1/pilots/{id}, /api/v1/plans?status=submitted;
// POST /api/v1/pilots, /api/v1/pilots/{id}/exit.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, getLang } from '../i18n.js';
import { el } from '../dom.js';
import { can } from '../session.js';
import { showReady, param, scrollTable, loadedPage } from '../view.js';
import { downloadBar } from '../download.js';
import { statusWord, when, button, actionField, runAction } from '../pilot/ui.js';

const here = { view: null, session: null }; // the view mount() made, the visitor's session
let data;
let toSelect = [];
let flash = '';

export const page = loadedPage(here, {
    title: 'title.pilots',
    view: 'pilots-view',
    load,
    render,
});

async function load() {
    const id = param('id');
    data = id ? await api(`/api/v1/pilots/${encodeURIComponent(id)}`) : await apiList('/api/v1/pilots');
    if (!id && can(here.session, 'pilot.select'))
        toSelect = (await apiList('/api/v1/plans', { query: { status: 'submitted' } }))
            .filter((p) => p.holder_org_id === here.session.organisation.id);
}

function render() {
    showReady(here.view, ...(param('id') ? one(data) : all(data)));
}

function reload(text) {
    return async () => {
        flash = text;
        await load();
        render();
    };
}

// The plans the ministry received, each selected with its start date.
function selectCard() {
    if (!can(here.session, 'pilot.select')) return null;
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'select-error', hidden: true });
    return el('section', { class: 'card card--wide', testid: 'select-card' }, el('h3', {}, t('t.toSelect')), box,
        toSelect.length === 0 ? el('p', { class: 'muted', testid: 'select-empty' }, t('pl.empty'))
            : scrollTable('select-t', 'select-table', t('t.toSelect'),
                [t('pl.col.name'), t('pl.col.annex'), t('pl.col.lead'), t('t.start'), ''].map((text) => ({ text })),
                toSelect.map((p) => {
                    const start = el('input', { type: 'date', testid: 'select-start', 'aria-label': t('t.start'), dataset: { field: 'start_date' } });
                    return el('tr', { testid: 'select-row', dataset: { id: String(p.id) } },
                        el('th', { scope: 'row' }, el('a', { href: `/plan.html?id=${p.id}` }, p.name || t('pl.untitled'))),
                        el('td', {}, String(p.annex)), el('td', {}, p.author_name),
                        el('td', { class: 'field', dataset: { field: 'start_date' } }, start, el('p', { class: 'field__error', hidden: true })),
                        el('td', {}, button('select-plan', t('t.select'), () => runAction(here.view, box, async () =>
                            [await api('/api/v1/pilots', { method: 'POST', body: { plan_id: p.id, start_date: start.value } }), t('t.selected')],
                        reload(t('t.selected'))), 'btn--primary')));
                })));
}

function all(items) {
    return [el('h2', { testid: 'pilots-title' }, t('t.heading')),
        el('p', { class: 'muted', testid: 'pilots-saved', role: 'status', hidden: !flash }, flash),
        selectCard(),
        items.length === 0 ? el('p', { class: 'muted', testid: 'pilots-empty' }, t('pl.empty'))
            : scrollTable('pilots-t', 'pilots-table', t('t.heading'),
                [{ text: t('t.code') }, { text: t('pl.col.name') }, { text: t('t.lead') }, { text: t('t.start') }, { text: t('pl.col.status') }],
                items.map((p) => el('tr', { testid: 'pilot-row', dataset: { id: String(p.id), status: p.status } },
                    el('td', { class: 'nowrap' }, p.code),
                    el('th', { scope: 'row' }, el('a', { href: `/pilots.html?id=${p.id}` }, p.plan_name)),
                    el('td', {}, p.lead_name),
                    el('td', {}, p.start_date),
                    el('td', {}, statusWord(p.status)))))];
}

// 试点退出: the ministry, or the authority of the pilot's province (the record's actions say).
function exitCard(p) {
    if (!p.actions?.includes('exit')) return null;
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'exit-error', hidden: true });
    return el('section', { class: 'card card--wide', testid: 'exit-card' }, el('h3', {}, t('t.exit')), box,
        actionField({ id: 'pilot-exit-reason', testid: 'pilot-exit-reason', field: 'reason', label: t('t.exitReasonLabel'), multiline: true,
            action: { testid: 'pilot-exit-submit', label: t('t.exit') },
            onAct: (reason) => runAction(here.view, box, async () =>
                [await api(`/api/v1/pilots/${p.id}/exit`, { method: 'POST', body: { reason } }), t('t.exited')], reload(t('t.exited'))) }));
}

function one(p) {
    const en = getLang() === 'en';
    return [
        el('section', { class: 'card card--wide', testid: 'pilot-card', dataset: { id: String(p.id), status: p.status } },
            el('h2', { testid: 'pilot-title' }, `${p.code} · ${p.plan_name}`),
            el('p', { class: 'muted', testid: 'pilots-saved', role: 'status', hidden: !flash }, flash),
            el('p', {}, `${t('t.lead')}：${p.lead_name} · ${t('t.start')}：${p.start_date} · `, el('span', { testid: 'pilot-status' }, statusWord(p.status))),
            el('p', {}, el('a', { href: `/plan.html?id=${p.plan_id}`, testid: 'pilot-plan-link' }, t('t.plan')), ' · ',
                el('a', { href: `/report.html?pilot=${p.id}`, testid: 'pilot-report-link' }, t('t.reports')), ' · ',
                el('a', { href: `/summary.html?round=${p.round_id}`, testid: 'pilot-summary-link' }, t('t.summaries'))),
            p.exit_reason ? el('p', { class: 'error', testid: 'pilot-exit' }, t('t.exitReason', { reason: p.exit_reason })) : null,
            el('h3', {}, t('t.timeline')),
            el('ol', { class: 'timeline', testid: 'pilot-timeline' },
                p.timeline.map((e) => el('li', { class: 'timeline__item', testid: 'timeline-item', dataset: { kind: e.kind, at: e.at } },
                    el('time', { datetime: e.at }, when(e.at)), ' ', en ? e.text_en : e.text_zh)))),
        exitCard(p),
        el('section', { class: 'card card--wide' },
            el('h3', {}, t('t.reports')),
            p.reports.length === 0 ? el('p', { class: 'muted' }, t('pl.empty'))
                : scrollTable('pilot-reports-t', 'pilot-reports', t('t.reports'),
                    [{ text: t('t.period') }, { text: t('pl.col.updated') }, { text: '' }, { text: '' }],
                    p.reports.map((r) => el('tr', { testid: 'report-row', dataset: { period: r.period, late: String(r.late) } },
                        el('th', { scope: 'row' }, r.period), el('td', {}, when(r.received_at)), el('td', {}, r.late ? t('t.late') : t('t.onTime')),
                        el('td', {}, downloadBar(`/api/v1/reports/${r.id}/document`, ['docx', 'pdf'], `report-${r.id}`, 'report-download')))))),
    ];
}
