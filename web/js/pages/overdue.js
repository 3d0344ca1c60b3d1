// pages/overdue.js — what is overdue in an authority's scope
// (overdue.html?round=ID): progress reports of active pilots past their
// period's due day, pilots' summaries past their first receiver's date, and
// the summaries owed by the cities and provinces that sent packages, each
// with who owes it and since when; the paper copies the round judges on
// arrival, missing or come late (docs/documents.md); the list as a workbook.
//
// GET /api/v1/rounds, /api/v1/overdue?round_id=, /api/v1/overdue/{round}/document.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api } from '../api.js';
import { t, getLang } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, param, scrollTable, renderAfterLoad } from '../view.js';
import { selectField, when, AUTHORITIES } from '../pilot/ui.js';
import { downloadBar } from '../download.js';

export const page = {
    title: 'title.overdue',
    view: 'overdue-view',
    permission: (session) => AUTHORITIES.includes(session.organisation.type),
    forbidden: 'pl.notFor',
    start(root) {
        let rounds;
        let round;
        let items;
        return renderAfterLoad(root, async () => {
            rounds = (await api('/api/v1/rounds')).items;
            round = param('round') ?? rounds.at(-1).id;
            items = (await api('/api/v1/overdue', { query: { round_id: round } })).items;
        }, () => showReady(root,
            el('h2', { testid: 'overdue-title' }, t('od.heading')),
            selectField({ id: 'overdue-round', testid: 'overdue-round', field: 'round_id', label: t('pl.round'), value: round,
                options: rounds.map((r) => ({ value: r.id, label: getLang() === 'en' ? r.name_en : r.name_zh })),
                onInput: (v) => window.location.assign(`/overdue.html?round=${encodeURIComponent(v)}`) }).node,
            downloadBar(`/api/v1/overdue/${encodeURIComponent(round)}/document`, ['xlsx'], `overdue-${round}`, 'overdue-download'),
            items.length === 0 ? el('p', { class: 'muted', testid: 'overdue-empty' }, t('od.none'))
                : scrollTable('overdue-t', 'overdue-table', t('od.caption', { count: items.length }),
                    [t('od.kind'), t('od.who'), t('od.pilot'), t('t.period'), t('od.due')].map((text) => ({ text })),
                    items.map((x) => el('tr', { testid: 'overdue-row', dataset: { kind: x.kind, pilot: String(x.pilot_id ?? '') } },
                        el('td', {}, t(`od.kind.${x.kind}`)), el('th', { scope: 'row' }, x.org_name),
                        el('td', {}, x.pilot_id ? el('a', { href: `/pilots.html?id=${x.pilot_id}` }, x.pilot_code) : t('common.none')),
                        el('td', {}, x.period ?? t('common.none')), el('td', {}, when(x.due_at),
                            x.paper_received_at ? [el('br'), t('od.paperLate', { at: when(x.paper_received_at) })] : null))))));
    },
};
