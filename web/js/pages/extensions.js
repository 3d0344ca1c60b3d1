// pages/extensions.js — 延期 (extensions.html, ?round=ID): an organisation
// asks the authority that receives from it for more time before a deadline
// (extension.ask: the deadline, the day, the reason); the authority asked
// grants the day asked or declines with its answer (extension.grant); both
// see the requests and the extensions granted. The server decides who
// receives under each deadline and refuses what does not apply.
//
// GET /api/v1/rounds/{id}, /api/v1/extension-requests, /api/v1/extensions;
// POST /api/v1/extension-requests, /api/v1/extension-requests/{id}/decline,
// /api/v1/extensions (with request_id).
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, getLang } from '../i18n.js';
import { el } from '../dom.js';
import { can } from '../session.js';
import { showReady, showError, scrollTable, param, reloadingPage } from '../view.js';
import { selectField, textField, actionField, button, when, actThenReload } from '../pilot/ui.js';

const here = { view: null, session: null }; // the view mount() made, the visitor's session
let state = { round: null, rounds: [], requests: [], extensions: [] };
let message = '';

export const page = reloadingPage(here, {
    title: 'title.extensions',
    view: 'extensions-view',
    load,
    render,
});

async function load() {
    try {
        const rounds = (await api('/api/v1/rounds')).items;
        const id = param('round') ?? state.round?.id ?? rounds.at(-1).id;
        const [round, requests, extensions] = await Promise.all([
            api(`/api/v1/rounds/${encodeURIComponent(id)}`),
            apiList('/api/v1/extension-requests', { query: { round_id: id } }),
            apiList('/api/v1/extensions', { query: { round_id: id } }),
        ]);
        state = { round, rounds, requests, extensions };
        render();
    } catch (err) {
        showError(here.view, err);
    }
}

// The deadlines of the round one may ask to extend: set, and refused when late.
function deadlineOptions(round) {
    return Object.entries(round.deadlines)
        .filter(([k, v]) => (v || Object.values(round.provinces ?? {}).some((p) => p.deadlines?.[k])) && round.late_policy?.[k] !== 'flag')
        .map(([k]) => ({ value: k, label: t(`pl.dl.${k}`) }));
}

function askCard(box) {
    if (!can(here.session, 'extension.ask')) return null;
    const ask = { deadline: deadlineOptions(state.round)[0]?.value ?? '', until: '', reason: '' };
    return el('section', { class: 'card card--wide', testid: 'ext-ask' },
        el('h3', {}, t('x.ask')),
        el('div', { class: 'form__grid' },
            selectField({ id: 'ext-ask-deadline', testid: 'ext-ask-deadline', field: 'deadline', label: t('x.deadline'), value: ask.deadline,
                options: deadlineOptions(state.round), onInput: (v) => { ask.deadline = v; } }).node,
            textField({ id: 'ext-ask-until', testid: 'ext-ask-until', field: 'until', label: t('x.until'), type: 'date',
                onInput: (v) => { ask.until = v; } }).node),
        actionField({ id: 'ext-ask-reason', testid: 'ext-ask-reason', field: 'reason', label: t('x.reason'), multiline: true,
            action: { testid: 'ext-ask-submit', label: t('x.askSubmit') },
            onAct: (reason) => act(box, () => api('/api/v1/extension-requests', { method: 'POST',
                body: { round_id: state.round.id, deadline: ask.deadline, until: ask.until, reason } }), (r) => t('x.asked', { name: r.to_name })) }));
}

// Answer a request asked of me: grant the day asked, or decline with the answer.
function answerControls(box, q) {
    if (q.status !== 'open' || q.to_org_id !== here.session.organisation.id || !can(here.session, 'extension.grant')) return null;
    const answer = el('input', { type: 'text', testid: 'request-answer', 'aria-label': t('x.answer'), placeholder: t('x.answer'), dataset: { field: 'answer' } });
    return el('span', { class: 'inline-form' },
        button('request-grant', t('x.grant'), () => act(box, () => api('/api/v1/extensions', { method: 'POST',
            body: { round_id: q.round_id, deadline: q.deadline, org_id: q.org_id, until: q.until, reason: q.reason, request_id: q.id } }),
        () => t('x.granted', { name: q.org_name, until: q.until })), 'btn--primary'),
        answer,
        button('request-decline', t('x.decline'), () => act(box, () => api(`/api/v1/extension-requests/${q.id}/decline`, { method: 'POST',
            body: { answer: answer.value } }), () => t('x.declined'))));
}

function act(box, fn, okText) {
    return actThenReload(here.view, box, fn, okText, (text) => { message = text; }, load, 'ext-message');
}

function render() {
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'ext-error', hidden: true });
    const en = getLang() === 'en';
    const roundPick = selectField({ id: 'ext-round', testid: 'ext-round', field: 'round_id', label: t('pl.round'), value: state.round.id,
        options: state.rounds.map((r) => ({ value: r.id, label: en ? r.name_en : r.name_zh })),
        onInput: (v) => { window.location.assign(`/extensions.html?round=${encodeURIComponent(v)}`); } });
    showReady(here.view,
        el('h2', { testid: 'ext-title' }, t('x.heading')),
        roundPick.node,
        el('p', { class: 'muted', role: 'status', tabindex: '-1', testid: 'ext-message', hidden: !message }, message),
        box,
        askCard(box),
        el('section', { class: 'card card--wide' }, el('h3', {}, t('x.requests')),
            state.requests.length === 0 ? el('p', { class: 'muted', testid: 'requests-empty' }, t('pl.empty'))
                : scrollTable('ext-requests-t', 'requests-table', t('x.requests'),
                    [t('x.from'), t('x.to'), t('x.deadline'), t('x.until'), t('x.reason'), t('pl.col.status'), ''].map((text) => ({ text })),
                    state.requests.map((q) => el('tr', { testid: 'request-row', dataset: { id: String(q.id), status: q.status } },
                        el('th', { scope: 'row' }, q.org_name), el('td', {}, q.to_name), el('td', {}, t(`pl.dl.${q.deadline}`)),
                        el('td', {}, q.until), el('td', {}, q.reason),
                        el('td', {}, t(`x.status.${q.status}`), q.answer ? `：${q.answer}` : ''),
                        el('td', { class: 'actions' }, answerControls(box, q)))))),
        el('section', { class: 'card card--wide' }, el('h3', {}, t('x.granted.heading')),
            state.extensions.length === 0 ? el('p', { class: 'muted', testid: 'extensions-empty' }, t('pl.empty'))
                : scrollTable('ext-list-t', 'extensions-table', t('x.granted.heading'),
                    [t('x.for'), t('x.by'), t('x.deadline'), t('x.until'), t('x.reason'), t('pl.col.updated')].map((text) => ({ text })),
                    state.extensions.map((e) => el('tr', { testid: 'extension-row', dataset: { id: String(e.id), deadline: e.deadline } },
                        el('th', { scope: 'row' }, e.org_name), el('td', {}, e.granted_by_name), el('td', {}, t(`pl.dl.${e.deadline}`)),
                        el('td', {}, e.until), el('td', {}, e.reason), el('td', {}, when(e.created_at)))))));
}
