// pages/claims.js — claims (理赔, docs/claims.md): /claims.html lists the
// claims the visitor is a party to (a responder also its open tasks);
// /claims.html?new=1 is the insured's intake: the incident, previewed against
// its policies (the period and the notice period checked by the server), then
// reported; /claims.html?id=N is one claim: where it stands, the timeline,
// the evidence with the chain's check, the liability checklist, the line
// items, the settlement's trace line by line and the payments — and, for the
// adjuster, the steps the server says the visitor may take now. Every amount
// and check is the server's; the page only shows them.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { showLoading, showError, showReady, scrollTable, param, recordPage } from '../view.js';
import { beijingText, orNone } from '../format.js';
import { yuan, yuanInputToFen, zhEn, may } from '../uw/ui.js';
import { can } from '../session.js';

const state = { view: null, session: null, id: null, list: null, tasks: null, rules: null, claim: null, evidence: null, preview: null, error: null, formError: null };

export const page = recordPage(state, {
    title: 'title.claims',
    view: 'claims-view',
    permission: (s) => can(s, 'claim.read') || can(s, 'claim.notify'),
    forbidden: 'claims.forbidden',
    load,
    render,
});

// What the address asks for: one claim (?id=N), the intake (?new=1), or the list.
const mode = () => (state.id !== null ? 'claim' : param('new') ? 'new' : 'list');

async function load() {
    if (mode() === 'list') {
        state.list = await apiList('/api/v1/claims');
        if (state.session.organisation?.type === 'service_org') state.tasks = await apiList('/api/v1/claims/tasks', { query: { status: 'open' } });
    } else if (mode() === 'new') {
        state.rules = await api('/api/v1/claims/rules');
    } else {
        await reload();
    }
}

async function reload() {
    [state.claim, state.evidence] = await Promise.all([api(`/api/v1/claims/${state.id}`), api(`/api/v1/claims/${state.id}/evidence`)]);
}

function render() {
    if (state.error) return showError(state.view, state.error);
    if (mode() === 'list') return state.list ? renderList() : showLoading(state.view);
    if (mode() === 'new') return state.rules ? renderIntake() : showLoading(state.view);
    return state.claim ? renderClaim() : showLoading(state.view);
}

const status = (code) => el('span', { class: 'badge', testid: 'claim-status', dataset: { status: code } }, t(`claims.status.${code}`));

function renderList() {
    const rows = state.list.map((c) => el('tr', { testid: 'claim-row', dataset: { id: String(c.id), status: c.status } },
        el('th', { scope: 'row' }, el('a', { href: `/claims.html?id=${c.id}` }, c.claim_no)),
        el('td', {}, c.insured_name ?? ''), el('td', {}, t(`claims.type.${c.incident_type}`)),
        el('td', {}, beijingText(c.notified_at)), el('td', {}, status(c.status))));
    const tasks = state.tasks ? el('section', { class: 'card', testid: 'claims-tasks' },
        el('h2', {}, t('claims.tasksHeading')),
        state.tasks.length ? el('ul', {}, state.tasks.map((k) => el('li', { testid: 'claims-task' },
            el('a', { href: `/claims.html?id=${k.claim_id}` }, k.claim_no), ' ', k.title, ` (${k.minutes} min)`)))
            : el('p', { class: 'muted' }, t('claims.noTasks'))) : null;
    showReady(state.view, el('section', { class: 'card' },
        el('h2', { testid: 'claims-title' }, t('claims.listHeading')),
        can(state.session, 'claim.notify') ? el('p', {}, el('a', { class: 'btn', href: '/claims.html?new=1', testid: 'claims-new' }, t('claims.report'))) : null,
        rows.length ? scrollTable('claims-table', 'claims-table', t('claims.listCaption', { count: rows.length }), [
            { text: t('claims.no') }, { text: t('claims.insured') }, { text: t('claims.incidentType') },
            { text: t('claims.notified') }, { text: t('claims.statusCol') }], rows)
            : el('p', { class: 'muted', testid: 'claims-empty' }, t('claims.empty'))), tasks);
}

// ---------- intake ----------

function field(label, input) {
    return el('label', { class: 'field' }, el('span', { class: 'field__label' }, label), input);
}

function readIntake() {
    const v = (id) => state.view.querySelector(`[data-testid="${id}"]`).value.trim();
    const estimates = [];
    for (const cov of ['bi', 'data', 'ir']) {
        const text = v(`intake-est-${cov}`);
        if (text !== '') estimates.push({ coverage: cov, amount: yuanInputToFen(text) });
    }
    const body = { incident_type: v('intake-type'), discovered_at: v('intake-discovered'), description: v('intake-description'), estimates };
    if (v('intake-occurred')) body.occurred_at = v('intake-occurred');
    const systems = v('intake-systems').split(/[,，\n]/).map((s) => s.trim()).filter(Boolean);
    if (systems.length) body.systems = systems;
    return body;
}

async function submitIntake(preview) {
    state.formError = null;
    try {
        const body = readIntake();
        if (preview) {
            state.preview = await api('/api/v1/incidents', { method: 'POST', body: { ...body, preview: true } });
            state.previewBody = body;
        } else {
            const out = await api('/api/v1/incidents', { method: 'POST', body: state.previewBody });
            window.location.assign(`/claims.html?id=${out.policies.find((p) => p.claim_id).claim_id}`);
            return;
        }
    } catch (err) {
        state.formError = err;
        state.preview = null;
    }
    render();
}

function renderIntake() {
    const keep = (id) => state.view.querySelector(`[data-testid="${id}"]`)?.value ?? '';
    const input = (id, attrs = {}) => el('input', { testid: id, value: keep(id), ...attrs });
    const types = el('select', { testid: 'intake-type' }, state.rules.incident_types.map((x) => el('option', { value: x.code }, zhEn(x.name_zh, x.name_en))));
    const was = keep('intake-type');
    const area = el('textarea', { testid: 'intake-description', rows: 3 });
    area.value = keep('intake-description');
    if (was) types.value = was;
    const preview = state.preview ? el('div', { class: 'card card--panel', testid: 'intake-preview' },
        el('h3', {}, t('claims.previewHeading')),
        el('ul', {}, state.preview.policies.map((p) => el('li', { testid: 'intake-policy', dataset: { answers: String(p.answers) } },
            el('strong', {}, p.policy_no), ` ${p.insurer_name}：`, p.trigger_check.text, '；', p.notice_check.text))),
        el('button', { type: 'button', class: 'btn', testid: 'intake-confirm' }, t('claims.confirm'))) : null;
    const form = el('section', { class: 'card' }, el('h2', { testid: 'intake-title' }, t('claims.intakeHeading')),
        field(t('claims.incidentType'), types),
        field(t('claims.occurred'), input('intake-occurred', { placeholder: '2026-05-10 08:30' })),
        field(t('claims.discovered'), input('intake-discovered', { placeholder: '2026-05-10 09:00' })),
        field(t('claims.description'), area),
        field(t('claims.systems'), input('intake-systems')),
        ['bi', 'data', 'ir'].map((c) => field(t('claims.estimate', { coverage: t(`claims.cov.${c}`) }), input(`intake-est-${c}`, { inputmode: 'decimal' }))),
        state.formError ? el('p', { class: 'error', role: 'alert', testid: 'intake-error', dataset: { field: state.formError.field ?? '' } }, state.formError.message) : null,
        el('button', { type: 'button', class: 'btn', testid: 'intake-preview-btn' }, t('claims.preview')), preview);
    showReady(state.view, form);
    form.querySelector('[data-testid="intake-preview-btn"]').addEventListener('click', () => submitIntake(true));
    form.querySelector('[data-testid="intake-confirm"]')?.addEventListener('click', () => submitIntake(false));
}

// ---------- one claim ----------

async function act(path, body) {
    state.formError = null;
    try {
        await api(`/api/v1/claims/${state.id}/${path}`, { method: 'POST', body });
        await reload();
    } catch (err) {
        state.formError = err;
    }
    render();
}

function summary(c) {
    const est = Object.entries(c.estimates ?? {}).map(([k, v]) => `${t(`claims.cov.${k}`)} ${yuan(v)}`).join('；');
    return el('section', { class: 'card' },
        el('h2', { testid: 'claim-title' }, `${t('claims.claim')} ${c.claim_no} `, status(c.status)),
        el('dl', { class: 'facts' },
            el('dt', {}, t('claims.policy')), el('dd', {}, c.policy_no),
            el('dt', {}, t('claims.incidentType')), el('dd', {}, t(`claims.type.${c.incident_type}`)),
            el('dt', {}, t('claims.discovered')), el('dd', {}, beijingText(c.discovered_at)),
            el('dt', {}, t('claims.estimates')), el('dd', {}, orNone(est)),
            el('dt', {}, t('claims.settled')), el('dd', { testid: 'claim-settled' }, c.settled_amount === null || c.settled_amount === undefined ? t('common.none') : yuan(c.settled_amount)),
            el('dt', {}, t('claims.paid')), el('dd', { testid: 'claim-paid' }, c.paid === undefined || c.paid === null ? t('common.none') : yuan(c.paid))),
        el('ol', { class: 'steps', testid: 'claim-statuses' }, (c.statuses ?? []).map((s) => el('li', {}, t(`claims.status.${s.status}`), ' ', beijingText(s.at)))));
}

function timeline(c) {
    return el('section', { class: 'card', testid: 'claim-timeline' }, el('h3', {}, t('claims.timeline')),
        el('ul', {}, (c.timeline ?? []).map((e) => el('li', { testid: 'claim-event' }, beijingText(e.at), ' ', e.text))));
}

function evidence() {
    const ev = state.evidence;
    const v = ev.verify;
    return el('section', { class: 'card', testid: 'claim-evidence' }, el('h3', {}, t('claims.evidence')),
        el('p', { testid: 'evidence-verify', dataset: { ok: String(v.ok) } }, v.ok ? t('claims.chainOk', { count: ev.items.length }) : t('claims.chainBroken', { reason: v.reason })),
        ev.items.length ? scrollTable('evidence-table', 'evidence-table', t('claims.evidenceCaption', { count: ev.items.length }), [
            { text: '#' }, { text: t('claims.file') }, { text: t('claims.collected') }, { text: 'SHA-256' }], ev.items.map((e) => el('tr', { testid: 'evidence-row', dataset: { seq: String(e.seq), kind: e.kind } },
            el('td', {}, String(e.seq)),
            el('td', {}, e.kind === 'item' ? el('a', { href: e.content }, e.filename) : t('claims.custody', { from: e.from_holder, to: e.to_holder, file: e.filename })),
            el('td', {}, `${e.collected_by} ${beijingText(e.collected_at)}`), el('td', { class: 'mono' }, e.sha256.slice(0, 16))))) : null);
}

function liability(c) {
    const l = c.liability;
    if (!l) return null;
    return el('section', { class: 'card', testid: 'claim-liability', dataset: { outcome: l.outcome } }, el('h3', {}, t('claims.liability'), ' ', t(`claims.outcome.${l.outcome}`)),
        el('ul', {}, l.checks.map((k) => el('li', { testid: 'liability-check', dataset: { code: k.code, mark: k.mark } },
            el('strong', {}, t(`claims.mark.${k.mark}`)), ' ', k.clause ? `${k.clause}：` : '', k.text))));
}

function lineItems(c) {
    if (!c.line_items?.length) return null;
    return el('section', { class: 'card' }, el('h3', {}, t('claims.lineItems')),
        scrollTable('line-table', 'line-table', t('claims.lineCaption', { count: c.line_items.length }), [
            { text: t('claims.coverage') }, { text: t('claims.description') }, { text: t('claims.amount'), class: 'num' }],
        c.line_items.map((x) => el('tr', { testid: 'line-row', dataset: { coverage: x.coverage, total: String(x.total) } },
            el('td', {}, t(`claims.cov.${x.coverage}`)), el('td', {}, x.description), el('td', { class: 'num' }, yuan(x.total))))));
}

function settlement(c) {
    const s = c.settlement;
    if (!s) return null;
    return el('section', { class: 'card', testid: 'claim-settlement', dataset: { paid: String(s.paid_total) } }, el('h3', {}, t('claims.settlement', { amount: yuan(s.paid_total) })),
        scrollTable('trace-table', 'trace-table', t('claims.traceCaption', { count: s.trace.length }), [
            { text: '#' }, { text: t('claims.rule') }, { text: t('claims.coverage') }, { text: t('claims.before'), class: 'num' }, { text: t('claims.after'), class: 'num' }, { text: t('claims.why') }],
        s.trace.map((l, i) => el('tr', { testid: 'trace-row', dataset: { rule: l.rule, coverage: l.coverage ?? '', before: String(l.before), after: String(l.after) } },
            el('td', {}, String(i + 1)), el('td', {}, l.rule), el('td', {}, l.coverage ? t(`claims.cov.${l.coverage}`) : t('common.none')),
            el('td', { class: 'num' }, yuan(l.before)), el('td', { class: 'num' }, yuan(l.after)), el('td', {}, l.text)))));
}

// The adjuster's steps the server allows now: liability, a line item, the settlement, a payment.
function steps(c) {
    const out = [];
    const button = (id, key, fn) => { const b = el('button', { type: 'button', class: 'btn', testid: id }, t(key)); b.addEventListener('click', fn); return b; };
    if (may(c, 'adjust')) {
        out.push(button('claim-decide', 'claims.decide', () => act('liability', {})));
        const cov = el('select', { testid: 'line-coverage' }, ['bi', 'data', 'ir', 'pr', 'legal', 'breach'].map((k) => el('option', { value: k }, t(`claims.cov.${k}`))));
        const desc = el('input', { testid: 'line-description' });
        const amount = el('input', { testid: 'line-amount', inputmode: 'decimal' });
        out.push(el('div', { class: 'inline-form', testid: 'line-form' }, field(t('claims.coverage'), cov), field(t('claims.description'), desc), field(t('claims.amountYuan'), amount),
            button('line-add', 'claims.addLine', () => act('line-items', { coverage: cov.value, description: desc.value, amount: yuanInputToFen(amount.value) }))));
    }
    if (may(c, 'settle')) out.push(button('claim-settle', 'claims.settle', () => act('settlement', {})));
    if (may(c, 'pay')) {
        const amount = el('input', { testid: 'pay-amount', inputmode: 'decimal' });
        out.push(el('div', { class: 'inline-form' }, field(t('claims.amountYuan'), amount),
            button('pay-partial', 'claims.payPartial', () => act('payments', { kind: 'partial', amount: yuanInputToFen(amount.value) })),
            button('pay-final', 'claims.payFinal', () => act('payments', { kind: 'final', amount: yuanInputToFen(amount.value) }))));
    }
    if (!out.length && !state.formError) return null;
    return el('section', { class: 'card card--panel', testid: 'claim-steps' }, el('h3', {}, t('claims.steps')),
        state.formError ? el('p', { class: 'error', role: 'alert', testid: 'claim-error', dataset: { field: state.formError.field ?? '' } }, state.formError.message) : null, out);
}

function renderClaim() {
    const c = state.claim;
    showReady(state.view, summary(c), steps(c), liability(c), lineItems(c), settlement(c), evidence(), timeline(c));
}
