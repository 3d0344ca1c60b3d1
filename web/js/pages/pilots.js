// pages/pilots.js — the pilots the caller sees (pilots.html), and one pilot
// with its status timeline (pilots.html?id=N): every hop of its plan with the
// receipt time, selection, progress reports (late ones marked), the annual
// summary and an exit with its reason, in time order as the server gives it.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, getLang } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, param, scrollTable, renderAfterLoad } from '../view.js';
import { downloadBar } from '../download.js';
import { statusWord, when } from '../pilot/ui.js';

export const page = {
    title: 'title.pilots',
    view: 'pilots-view',
    start(root) {
        const id = param('id');
        let data;
        return renderAfterLoad(root,
            async () => { data = id ? await api(`/api/v1/pilots/${encodeURIComponent(id)}`) : await apiList('/api/v1/pilots'); },
            () => showReady(root, ...(id ? one(data) : all(data))), 'pl.loadFailed');
    },
};

function all(items) {
    return [el('h2', { testid: 'pilots-title' }, t('t.heading')),
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

function one(p) {
    const en = getLang() === 'en';
    return [
        el('section', { class: 'card card--wide', testid: 'pilot-card', dataset: { id: String(p.id), status: p.status } },
            el('h2', { testid: 'pilot-title' }, `${p.code} · ${p.plan_name}`),
            el('p', {}, `${t('t.lead')}：${p.lead_name} · ${t('t.start')}：${p.start_date} · `, el('span', { testid: 'pilot-status' }, statusWord(p.status))),
            p.exit_reason ? el('p', { class: 'error', testid: 'pilot-exit' }, t('t.exitReason', { reason: p.exit_reason })) : null,
            el('h3', {}, t('t.timeline')),
            el('ol', { class: 'timeline', testid: 'pilot-timeline' },
                p.timeline.map((e) => el('li', { class: 'timeline__item', testid: 'timeline-item', dataset: { kind: e.kind, at: e.at } },
                    el('time', { datetime: e.at }, when(e.at)), ' ', en ? e.text_en : e.text_zh)))),
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
