// pages/policy.js — policies: /policy.html lists the policies the visitor
// sees; /policy.html?id=N shows one schedule as it is in force today —
// number, period in Beijing time, the terms per coverage, premium,
// conditions — the changes scheduled for later days (each from 00:00
// Beijing of its date), the history of changes, and what the server says
// the visitor may do (the policy's "actions"): change its terms, cancel it
// (each priced first and confirmed, uw/policy_forms.js), renew it with a
// usable assessment. Amounts that follow from the pro-rata rule are the
// server's; the page only shows them.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { showLoading, showError, showReady, scrollTable, recordPage } from '../view.js';
import { orNone } from '../format.js';
import { yuan, wan, statusBadge, item, covName, zhEn, percent, may } from '../uw/ui.js';
import { changeLines, endorseForm, cancelForm, renewForm } from '../uw/policy_forms.js';

const state = { view: null, session: null, id: null, policy: null, product: null, sections: null, renewal: null, list: null, error: null, forms: null, done: null };

export const page = recordPage(state, {
    title: 'title.policy',
    view: 'policy-view',
    permission: 'policy.read',
    forbidden: 'uw.policy.forbidden',
    load,
    render,
});

async function load() {
    if (state.id === null) {
        state.list = await apiList('/api/v1/policies');
        return;
    }
    const p = await api(`/api/v1/policies/${state.id}`);
    if (may(p, 'endorse')) {
        [state.product, state.sections] = await Promise.all([
            api(`/api/v1/products/${p.product.id}`),
            apiList('/api/v1/ref/industries', { query: { level: 1 } }),
        ]);
    }
    state.renewal = may(p, 'renew') ? await api(`/api/v1/policies/${p.id}/renewal`) : null;
    setPolicy(p);
}

function setPolicy(p) {
    state.policy = p;
    const done = async (out, key) => {
        setPolicy(out);
        state.done = t(key);
        render();
        state.view.querySelector('[data-testid="policy-done"]')?.focus();
    };
    state.forms = {
        endorse: may(p, 'endorse') && state.product ? endorseForm(p, state.product, state.sections, done, render) : null,
        cancel: may(p, 'cancel') ? cancelForm(p, done, render) : null,
        renew: may(p, 'renew') && state.renewal ? renewForm(p, state.renewal) : null,
    };
}

function render() {
    if (state.error) return showError(state.view, state.error);
    if (state.id === null) return state.list ? renderList() : showLoading(state.view);
    return state.policy && state.forms ? renderPolicy() : showLoading(state.view);
}

function renderList() {
    const rows = state.list.map((p) => el('tr', { testid: 'policy-row', dataset: { id: String(p.id), status: p.status } },
        el('th', { scope: 'row' }, el('a', { href: `/policy.html?id=${p.id}` }, p.policy_no)),
        el('td', {}, p.insured.name),
        el('td', {}, p.product.name),
        el('td', {}, `${p.period.start_beijing.slice(0, 10)} – ${p.period.end_beijing.slice(0, 10)}`),
        el('td', {}, statusBadge('policyStatus', p.status)),
        el('td', { class: 'num' }, yuan(p.annual_premium))));
    showReady(state.view, el('section', { class: 'card' },
        el('h2', { testid: 'policy-list-title' }, t('uw.policy.listHeading')),
        rows.length ? scrollTable('policy-table', 'policy-table', t('uw.policy.listCaption', { count: rows.length }), [
            { text: t('uw.policy.no') }, { text: t('uw.quote.insured') }, { text: t('uw.quote.product') },
            { text: t('uw.policy.period') }, { text: t('uw.quote.col.status') }, { text: t('uw.policy.annual'), class: 'num' },
        ], rows) : el('p', { class: 'muted', testid: 'policy-empty' }, t('uw.policy.empty'))));
}

// The changes still to take effect, each with its date and words.
function scheduledList(p) {
    if (!p.scheduled.length) return null;
    return el('div', { class: 'card card--panel', testid: 'policy-scheduled' },
        el('h3', { class: 'subhead' }, t('uw.policy.scheduledHeading')),
        el('p', { class: 'muted' }, t('uw.policy.scheduledNote')),
        el('ul', { class: 'uw-rules' }, p.scheduled.map((e) => el('li', { testid: 'policy-scheduled-item', dataset: { kind: e.kind, date: e.effective_date, delta: String(e.premium_delta) } },
            el('strong', {}, t('uw.policy.fromDay', { date: e.effective_date })), ' ',
            statusBadge('changeKind', e.kind), ' ', changeLines(e).join('；'),
            // a cancellation's words carry its return; a change says what it charges or returns
            e.kind === 'change' ? `；${t(e.premium_delta < 0 ? 'uw.policy.refundShort' : 'uw.policy.chargeShort', { amount: yuan(Math.abs(e.premium_delta)) })}` : null))));
}

function historyTable(p) {
    if (!p.endorsements.length) return el('p', { class: 'muted', testid: 'policy-no-endorsements' }, t('uw.policy.noEndorsements'));
    return scrollTable('policy-end-table', 'policy-endorsements', t('uw.policy.endCaption', { count: p.endorsements.length }), [
        { text: t('uw.policy.kind') }, { text: t('uw.policy.effective') }, { text: t('uw.policy.what') },
        { text: t('uw.policy.days') }, { text: t('uw.policy.delta'), class: 'num' }, { text: t('uw.policy.state') },
    ], p.endorsements.map((e) => el('tr', { testid: 'policy-endorsement', dataset: { kind: e.kind, delta: String(e.premium_delta), scheduled: String(e.scheduled) } },
        el('th', { scope: 'row' }, t(`uw.changeKind.${e.kind}`)), el('td', {}, e.effective_date),
        el('td', {}, changeLines(e).join('；'), e.note ? el('span', { class: 'muted' }, `（${e.note}）`) : null),
        el('td', {}, `${e.days_remaining} / ${e.days_total}`),
        el('td', { class: 'num' }, yuan(e.premium_delta)),
        el('td', {}, e.scheduled ? t('uw.policy.pending') : t('uw.policy.inEffect')))));
}

function renderPolicy() {
    const p = state.policy;
    const cov = scrollTable('policy-cov-table', 'policy-coverages', t('uw.policy.covCaption', { count: p.terms.coverages.length }), [
        { text: t('uw.qb.coverage') }, { text: t('uw.qb.sublimit'), class: 'num' }, { text: t('uw.qb.share'), class: 'num' }, { text: t('uw.quote.waiting') },
    ], p.terms.coverages.map((c) => el('tr', { testid: 'policy-cov', dataset: { code: c.code, sublimit: String(c.sublimit) } },
        el('th', { scope: 'row' }, covName(c)), el('td', { class: 'num' }, wan(c.sublimit)),
        el('td', { class: 'num' }, percent(c.share_bp / 10000, 2)),
        el('td', {}, c.waiting_hours === null ? t('common.none') : t('uw.quote.hours', { hours: c.waiting_hours })))));
    const conditions = p.conditions.length ? el('ul', { testid: 'policy-conditions' }, p.conditions.map((c) =>
        el('li', { testid: 'policy-condition', dataset: { rule: c.rule } }, zhEn(c.condition_zh, c.condition_en), ` (${t('uw.policy.due', { date: c.due_date })})`))) : null;
    const f = state.forms;
    const panel = (form, key, testid) => {
        if (!form) return null;
        form.relabel();
        return el('section', { class: 'card card--panel', testid }, el('h3', { class: 'subhead' }, t(key)), form.node());
    };
    const trigger = p.trigger === 'claims_made' ? t('uw.product.claimsMade', { date: p.retro_date ?? '' }) : t('uw.policy.trigger.occurrence');
    const cancelNote = p.cancel_effective && p.status === 'active'
        ? el('p', { class: 'warn', testid: 'policy-cancel-scheduled' }, t('uw.policy.cancelScheduled', { date: p.scheduled.find((e) => e.kind === 'cancellation')?.effective_date ?? '' })) : null;
    showReady(state.view, el('div', { class: 'uw-stack' },
        el('section', { class: 'card', testid: 'policy-card', dataset: { id: String(p.id), status: p.status, asOf: p.as_of } },
            el('div', { class: 'card__head' },
                el('div', {}, el('p', { class: 'eyebrow' }, t('uw.policy.eyebrow')),
                    el('h2', { id: 'policy-title', testid: 'policy-no' }, p.policy_no)),
                el('div', { class: 'card__actions' }, statusBadge('policyStatus', p.status, 'policy-status'))),
            state.done ? el('p', { class: 'success', role: 'status', tabindex: '-1', testid: 'policy-done' }, state.done) : null,
            cancelNote,
            el('p', { class: 'muted' }, t('uw.policy.asOf')),
            el('dl', { class: 'details', testid: 'policy-details' },
                item('uw.quote.insured', 'policy-insured', p.insured.name),
                item('uw.policy.insurer', 'policy-insurer', p.insurer.name),
                item('uw.quote.product', 'policy-product', `${p.product.name}（v${p.product.version}）`),
                item('uw.policy.period', 'policy-period', t('uw.policy.periodValue', { start: p.period.start_beijing, end: p.period.end_beijing, days: p.period.days })),
                item('uw.quote.limit', 'policy-limit', wan(p.terms.aggregate_limit), { dataset: { fen: String(p.terms.aggregate_limit) } }),
                item('uw.quote.retention', 'policy-retention', wan(p.terms.retention), { dataset: { fen: String(p.terms.retention) } }),
                item('uw.policy.annual', 'policy-annual', yuan(p.annual_premium), { dataset: { fen: String(p.annual_premium) } }),
                item('uw.policy.written', 'policy-written', yuan(p.written_premium), { dataset: { fen: String(p.written_premium) } }),
                p.return_premium !== null ? item('uw.policy.return', 'policy-return', yuan(p.return_premium), { dataset: { fen: String(p.return_premium) } }) : null,
                item('uw.policy.trigger', 'policy-trigger', trigger),
                item('uw.quote.col.quote', 'policy-quote', el('a', { href: `/quote.html?id=${p.quote_id}` }, `#${p.quote_id}`)),
                p.renewal_of ? item('uw.quote.renewalOf', 'policy-renewal-of', el('a', { href: `/policy.html?id=${p.renewal_of}` }, `#${p.renewal_of}`)) : null,
                p.renewed_by ? item('uw.policy.renewedBy', 'policy-renewed-by', el('a', { href: `/policy.html?id=${p.renewed_by}` }, `#${p.renewed_by}`)) : null,
                item('uw.policy.rating', 'policy-rating', t('uw.policy.ratingValue', { section: p.rating.industry_section, grade: p.rating.grade, revenue: wan(p.rating.revenue) })),
                item('uw.policy.deps', 'policy-deps', ['cloud', 'os', 'vpn', 'email'].map((k) => `${t(`uw.dep.${k}`)}: ${orNone(p.dependencies[k])}`).join('；'))),
            el('h3', { class: 'subhead' }, t('uw.policy.schedule')),
            cov,
            conditions ? el('h3', { class: 'subhead' }, t('uw.policy.conditions')) : null,
            conditions,
            el('h3', { class: 'subhead' }, t('uw.policy.endorsements')),
            historyTable(p)),
        scheduledList(p),
        panel(f.endorse, 'uw.policy.endorseHeading', 'policy-endorse-panel'),
        panel(f.cancel, 'uw.policy.cancelHeading', 'policy-cancel-panel'),
        panel(f.renew, 'uw.policy.renewHeading', 'policy-renew-panel')));
}
