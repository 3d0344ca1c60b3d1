// pages/summary.js — annual summaries (summary.html, ?round=ID): the
// summaries the visitor filed, holds or may read, where each is now and
// whether it came late; the form of one's own summary (summary.write: a
// pilot's by its lead, a city's, a province's) with the notice's three parts
// and their live 字数; and, for the authority holding a summary
// (plan.route), the button that forwards it one level up (Guangdong's go via
// the cities to the province). The server decides where each goes.
//
// GET /api/v1/rounds, /api/v1/summaries, /api/v1/pilots,
// /api/v1/summaries/{id}/document (its DOCX and PDF: js/download.js); POST
// /api/v1/summaries, /api/v1/summaries/{id}/forward.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, getLang } from '../i18n.js';
import { el } from '../dom.js';
import { can } from '../session.js';
import { showReady, showError, scrollTable, param, reloadingPage } from '../view.js';
import { selectField, zishuField, button, when, actThenReload } from '../pilot/ui.js';
import { downloadBar } from '../download.js';

const PARTS = ['progress', 'innovation', 'services'];

const here = { view: null, session: null }; // the view mount() made, the visitor's session
let state = { rounds: [], round: null, summaries: [], pilots: [], sections: [] };
let message = '';

export const page = reloadingPage(here, {
    title: 'title.summary',
    view: 'summary-view',
    load,
    render,
});

async function load() {
    try {
        const rounds = (await api('/api/v1/rounds')).items;
        const round = param('round') ?? rounds.at(-1).id;
        const [summaries, pilots, detail] = await Promise.all([
            apiList('/api/v1/summaries', { query: { round_id: round } }),
            apiList('/api/v1/pilots', { query: { round_id: round, status: 'active' } }),
            api(`/api/v1/rounds/${encodeURIComponent(round)}`),
        ]);
        state = { rounds, round, summaries, pilots: pilots.filter((p) => p.lead_org_id === here.session.organisation.id),
            sections: detail.summary_sections ?? [] };
        render();
    } catch (err) {
        showError(here.view, err);
    }
}

// What the visitor may file: its pilots' summaries, and its own as a city or a province.
function levels() {
    const out = state.pilots.map((p) => ({ value: `pilot:${p.id}`, label: t('sm.ofPilot', { code: p.code, name: p.plan_name }) }));
    const type = here.session.organisation.type;
    if (type === 'city' || type === 'province') out.push({ value: type, label: t(`sm.of.${type}`) });
    return out;
}

function form(box) {
    const options = levels();
    if (!can(here.session, 'summary.write') || options.length === 0) return null;
    const s = { pick: options[0].value };
    return el('section', { class: 'card card--wide', testid: 'summary-form' },
        el('h3', {}, t('sm.new')),
        selectField({ id: 'summary-level', testid: 'summary-level', field: 'level', label: t('sm.level'), value: s.pick, options,
            onInput: (v) => { s.pick = v; } }).node,
        PARTS.map((k) => zishuField({ id: `summary-${k}`, testid: `summary-${k}`, field: k, label: t(`sm.${k}`), rows: 6,
            onInput: (v) => { s[k] = v; } }).node),
        // the parts the round adds to the notice's three
        state.sections.map((x, i) => zishuField({ id: `summary-extra-${x.key}`, testid: `summary-extra-${x.key}`, field: `sections.${x.key}`,
            label: `${t('sm.extra', { n: PARTS.length + i + 1 })}${getLang() === 'en' ? x.name_en : x.name_zh}`, rows: 6,
            limits: x.zishu_min ? { min: x.zishu_min } : {}, onInput: (v) => { (s.sections ??= {})[x.key] = v; } }).node),
        el('div', { class: 'form__actions' }, button('summary-submit', t('pl.submit'), () => {
            const [level, pilot] = s.pick.split(':');
            const body = { round_id: state.round, level, progress: s.progress ?? '', innovation: s.innovation ?? '', services: s.services ?? '' };
            if (state.sections.length) body.sections = s.sections ?? {};
            if (pilot) body.pilot_id = Number(pilot);
            act(box, () => api('/api/v1/summaries', { method: 'POST', body }), (r) => t('sm.filed', { name: r.to_name }));
        }, 'btn--primary')));
}

function act(box, fn, okText) {
    return actThenReload(here.view, box, fn, okText, (text) => { message = text; }, load, 'summary-message');
}

function row(box, m) {
    const me = here.session.organisation.id;
    const forward = m.holder_org_id === me && m.org_id !== me && can(here.session, 'plan.route') && here.session.organisation.type !== 'ministry'
        ? button('summary-forward', t('sm.forward'), () => act(box, () => api(`/api/v1/summaries/${m.id}/forward`, { method: 'POST' }),
            (r) => t('sm.forwarded', { name: r.holder_name })), 'btn--primary')
        : null;
    return el('tr', { testid: 'summary-row', dataset: { id: String(m.id), holder: String(m.holder_org_id ?? ''), late: String(m.late) } },
        el('th', { scope: 'row' }, m.org_name), el('td', {}, m.pilot_code ?? t(`sm.level.${m.level}`)),
        el('td', {}, m.holder_name ?? m.to_name), el('td', {}, when(m.received_at)),
        el('td', {}, m.late ? t('t.late') : t('t.onTime')),
        el('td', { class: 'actions' }, forward, downloadBar(`/api/v1/summaries/${m.id}/document`, ['docx', 'pdf'], `summary-${m.id}`, 'summary-download')));
}

function render() {
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'summary-error', hidden: true });
    const en = getLang() === 'en';
    showReady(here.view,
        el('h2', { testid: 'summary-title' }, t('sm.heading')),
        selectField({ id: 'summary-round', testid: 'summary-round', field: 'round_id', label: t('pl.round'), value: state.round,
            options: state.rounds.map((r) => ({ value: r.id, label: en ? r.name_en : r.name_zh })),
            onInput: (v) => window.location.assign(`/summary.html?round=${encodeURIComponent(v)}`) }).node,
        el('p', { class: 'muted', role: 'status', tabindex: '-1', testid: 'summary-message', hidden: !message }, message),
        box,
        form(box),
        el('section', { class: 'card card--wide' }, el('h3', {}, t('sm.list')),
            state.summaries.length === 0 ? el('p', { class: 'muted', testid: 'summaries-empty' }, t('pl.empty'))
                : scrollTable('summary-t', 'summary-table', t('sm.list'),
                    [t('sm.by'), t('sm.of'), t('sm.at'), t('pl.col.updated'), '', ''].map((text) => ({ text })),
                    state.summaries.map((m) => row(box, m)))));
}
