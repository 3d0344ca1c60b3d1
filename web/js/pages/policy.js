// pages/policy.js — policies: /policy.html lists the policies the visitor
// sees; /policy.html?id=N shows one schedule — number, period in Beijing
// time, the terms per coverage, premium, conditions, endorsements — with the
// forms the visitor's role allows: a mid-term limit change (the insurer),
// the cancellation (the insurer, or the insured's admin) and the renewal
// quote with a new assessment (the insured). Amounts that follow from the
// pro-rata rule are the server's; the page only shows them.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { createForm } from '../form.js';
import { can } from '../session.js';
import { showLoading, showError, showReady, scrollTable, idParam, loadAndRender } from '../view.js';
import { beijingTime, orNone } from '../format.js';
import { sideOf, yuan, wan, statusBadge, item, covName, zhEn, bjDate, percent } from '../uw/ui.js';

const state = { session: null, id: null, policy: null, product: null, assessments: null, list: null, error: null, forms: null, done: null };
let mountPoint = null;

export const page = {
    title: 'title.policy',
    view: 'policy-view',
    permission: 'policy.read',
    forbidden: 'uw.policy.forbidden',
    start(view, ctx) {
        state.session = ctx.session;
        mountPoint = view;
        state.id = idParam();
        return loadAndRender(state, render, load);
    },
};

async function load() {
    if (state.id === null) {
        state.list = await apiList('/api/v1/policies');
    } else {
        state.policy = await api(`/api/v1/policies/${state.id}`);
        state.product = await api(`/api/v1/products/${state.policy.product.id}`);
        if (mayRenew()) state.assessments = (await apiList('/api/v1/assessments', { query: { org_id: state.policy.insured.org_id } })).filter((a) => a.status === 'submitted');
        state.forms = buildForms();
    }
}

const s = () => state.session;
const active = () => state.policy?.status === 'active';
const side = () => sideOf(s(), state.policy.insurer.org_id, state.policy.insured.org_id);
const mayEndorse = () => active() && can(s(), 'policy.endorse') && side().insurer;
const mayCancel = () => active() && can(s(), 'policy.cancel') && (side().insurer || side().insured);
const mayRenew = () => active() && !state.policy.renewed_by && can(s(), 'policy.renew') && side().insured;

function render() {
    if (state.error) return showError(mountPoint, state.error);
    if (state.id === null) return state.list ? renderList() : showLoading(mountPoint);
    return state.policy && state.forms ? renderPolicy() : showLoading(mountPoint);
}

function renderList() {
    const rows = state.list.map((p) => el('tr', { testid: 'policy-row', dataset: { id: String(p.id), status: p.status } },
        el('th', { scope: 'row' }, el('a', { href: `/policy.html?id=${p.id}` }, p.policy_no)),
        el('td', {}, p.insured.name),
        el('td', {}, p.product.name),
        el('td', {}, `${p.period.start_beijing.slice(0, 10)} – ${p.period.end_beijing.slice(0, 10)}`),
        el('td', {}, statusBadge('policyStatus', p.status)),
        el('td', { class: 'num' }, yuan(p.annual_premium))));
    showReady(mountPoint, el('section', { class: 'card' },
        el('h2', { testid: 'policy-list-title' }, t('uw.policy.listHeading')),
        rows.length ? scrollTable('policy-table', 'policy-table', t('uw.policy.listCaption', { count: rows.length }), [
            { text: t('uw.policy.no') }, { text: t('uw.quote.insured') }, { text: t('uw.quote.product') },
            { text: t('uw.policy.period') }, { text: t('uw.quote.col.status') }, { text: t('uw.policy.annual'), class: 'num' },
        ], rows) : el('p', { class: 'muted', testid: 'policy-empty' }, t('uw.policy.empty'))));
}

function buildForms() {
    const p = state.policy;
    const after = (f, data, doneKey) => async (v) => {
        const out = await api(`/api/v1/policies/${p.id}/${f}`, { method: 'POST', body: data(v) });
        if (f === 'renewal') {
            window.location.assign(`/quote.html?id=${out.id}`);
            return;
        }
        state.policy = out;
        state.done = t(doneKey);
        state.forms = buildForms();
        render();
    };
    const startDate = p.period.start_beijing.slice(0, 10);
    const firstDay = startDate > bjDate(0) ? startDate : bjDate(0);
    return {
        endorse: mayEndorse() ? createForm({
            id: 'policy-endorse', testid: 'policy-endorse',
            fields: [
                { name: 'effective_date', type: 'date', label: () => t('uw.policy.effective'), required: true, value: firstDay },
                { name: 'aggregate_limit', type: 'select', label: () => t('uw.policy.newLimit'), required: true,
                    options: () => state.product.limit_options.filter((x) => x !== p.terms.aggregate_limit).map((x) => ({ value: String(x), label: wan(x) })) },
                { name: 'note', label: () => t('uw.policy.note'), wide: true },
            ],
            submitLabel: () => t('uw.policy.endorse'),
            onSubmit: after('endorsements', (v) => ({ effective_date: v.effective_date, aggregate_limit: Number(v.aggregate_limit), note: v.note }), 'uw.policy.endorsed'),
        }) : null,
        cancel: mayCancel() ? createForm({
            id: 'policy-cancel', testid: 'policy-cancel',
            fields: [
                { name: 'effective_date', type: 'date', label: () => t('uw.policy.effective'), required: true, value: firstDay },
                { name: 'note', label: () => t('uw.policy.note'), wide: true },
            ],
            submitLabel: () => t('uw.policy.cancel'),
            onSubmit: after('cancellation', (v) => ({ effective_date: v.effective_date, note: v.note }), 'uw.policy.cancelled'),
        }) : null,
        renew: mayRenew() ? createForm({
            id: 'policy-renew', testid: 'policy-renew',
            fields: [
                { name: 'assessment_id', type: 'select', label: () => t('uw.policy.newAssessment'), required: true, wide: true,
                    options: () => state.assessments.map((a) => ({ value: String(a.id), label: t('uw.quote.assessmentOption', { id: a.id, org: a.org_name, grade: a.grade, score: a.score.toFixed(2) }) })) },
            ],
            submitLabel: () => t('uw.policy.renew'),
            onSubmit: after('renewal', (v) => ({ assessment_id: Number(v.assessment_id) }), 'uw.policy.renewed'),
        }) : null,
    };
}

function renderPolicy() {
    const p = state.policy;
    const cov = scrollTable('policy-cov-table', 'policy-coverages', t('uw.policy.covCaption', { count: p.terms.coverages.length }), [
        { text: t('uw.qb.coverage') }, { text: t('uw.qb.sublimit'), class: 'num' }, { text: t('uw.qb.share'), class: 'num' }, { text: t('uw.quote.waiting') },
    ], p.terms.coverages.map((c) => el('tr', { testid: 'policy-cov', dataset: { code: c.code, sublimit: String(c.sublimit) } },
        el('th', { scope: 'row' }, covName(c)), el('td', { class: 'num' }, wan(c.sublimit)),
        el('td', { class: 'num' }, percent(c.share_bp / 10000, 2)),
        el('td', {}, c.waiting_hours === null ? t('common.none') : t('uw.quote.hours', { hours: c.waiting_hours })))));
    const endorsements = p.endorsements.length ? scrollTable('policy-end-table', 'policy-endorsements', t('uw.policy.endCaption', { count: p.endorsements.length }), [
        { text: t('uw.policy.kind') }, { text: t('uw.policy.effective') }, { text: t('uw.policy.limitChange') },
        { text: t('uw.policy.days') }, { text: t('uw.policy.delta'), class: 'num' },
    ], p.endorsements.map((e) => el('tr', { testid: 'policy-endorsement', dataset: { kind: e.kind, delta: String(e.premium_delta) } },
        el('th', { scope: 'row' }, t(`uw.policy.kind.${e.kind}`)), el('td', {}, beijingTime(e.effective_at)),
        el('td', {}, e.kind === 'limit_change' ? `${wan(e.old_limit)} → ${wan(e.new_limit)}` : t('common.none')),
        el('td', {}, `${e.days_remaining} / ${e.days_total}`),
        el('td', { class: 'num' }, yuan(e.premium_delta))))) : el('p', { class: 'muted', testid: 'policy-no-endorsements' }, t('uw.policy.noEndorsements'));
    const conditions = p.conditions.length ? el('ul', { testid: 'policy-conditions' }, p.conditions.map((c) =>
        el('li', { testid: 'policy-condition', dataset: { rule: c.rule } }, zhEn(c.condition_zh, c.condition_en), ` (${t('uw.policy.due', { date: c.due_date })})`))) : null;
    const panel = (form, key) => (form ? el('div', { class: 'card card--panel' }, el('h3', { class: 'subhead' }, t(key)), (form.relabel(), form.form)) : null);
    const f = state.forms;
    showReady(mountPoint, el('div', { class: 'uw-stack' },
        el('section', { class: 'card', testid: 'policy-card', dataset: { id: String(p.id), status: p.status } },
            el('div', { class: 'card__head' },
                el('div', {}, el('p', { class: 'eyebrow' }, t('uw.policy.eyebrow')),
                    el('h2', { id: 'policy-title', testid: 'policy-no' }, p.policy_no)),
                el('div', { class: 'card__actions' }, statusBadge('policyStatus', p.status, 'policy-status'))),
            state.done ? el('p', { class: 'success', role: 'status', testid: 'policy-done' }, state.done) : null,
            el('dl', { class: 'details', testid: 'policy-details' },
                item('uw.quote.insured', 'policy-insured', p.insured.name),
                item('uw.policy.insurer', 'policy-insurer', p.insurer.name),
                item('uw.quote.product', 'policy-product', `${p.product.name}（v${p.product.version}）`),
                item('uw.policy.period', 'policy-period', t('uw.policy.periodValue', { start: p.period.start_beijing, end: p.period.end_beijing, days: p.period.days })),
                item('uw.quote.limit', 'policy-limit', wan(p.terms.aggregate_limit), { dataset: { fen: String(p.terms.aggregate_limit) } }),
                item('uw.quote.retention', 'policy-retention', wan(p.terms.retention)),
                item('uw.policy.annual', 'policy-annual', yuan(p.annual_premium), { dataset: { fen: String(p.annual_premium) } }),
                item('uw.policy.written', 'policy-written', yuan(p.written_premium), { dataset: { fen: String(p.written_premium) } }),
                p.return_premium !== null ? item('uw.policy.return', 'policy-return', yuan(p.return_premium), { dataset: { fen: String(p.return_premium) } }) : null,
                item('uw.policy.trigger', 'policy-trigger', t(`uw.policy.trigger.${p.trigger}`)),
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
            endorsements),
        panel(f.endorse, 'uw.policy.endorseHeading'),
        panel(f.cancel, 'uw.policy.cancelHeading'),
        panel(f.renew, 'uw.policy.renewHeading')));
}
