// pages/quote.js — quotes: /quote.html lists the quotes the visitor sees
// and offers the form its role allows — an enterprise (or its service
// organisation) applies with a submitted assessment (POST /api/v1/quotes),
// an insurer or the operators try a price indicatively; /quote.html?id=N
// shows one quote with how its price was made (uw.js breakdownView), its
// validity, and what the server says the visitor may do with it (its
// "actions"): the underwriter's referral decision, the bind button.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { createForm, localError } from '../form.js';
import { can } from '../session.js';
import { showLoading, showError, showReady, scrollTable, param, recordPage } from '../view.js';
import { beijingTime, wanInputToFen } from '../format.js';
import { may, yuan, wan, statusBadge, item, breakdownView } from '../uw/ui.js';

const state = {
    view: null, // the view mount() made
    session: null,
    id: null,
    quote: null,
    list: null,
    products: null,
    assessments: null,
    sections: null,
    product: null, // the product chosen in the form
    tried: null, // an indicative answer
    message: null,
    error: null,
};

let form = null;

export const page = recordPage(state, {
    title: 'title.quote',
    view: 'quote-view',
    permission: 'quote.read',
    forbidden: 'uw.quote.forbidden',
    load,
    render,
});

const applying = () => can(state.session, 'quote.apply');
const pricing = () => !applying() && can(state.session, 'quote.price');

async function load() {
    if (state.id !== null) {
        state.quote = await api(`/api/v1/quotes/${state.id}`);
    } else {
        const [list, products] = await Promise.all([
            apiList('/api/v1/quotes'),
            apiList('/api/v1/products'),
        ]);
        state.list = list;
        // what may be quoted: on sale, or (to try it) the insurer's own draft
        state.products = products.filter((p) => p.status === 'active' ||
            (pricing() && p.status === 'draft' && p.insurer_org_id === state.session.organisation.id));
        if (applying()) state.assessments = (await apiList('/api/v1/assessments')).filter((a) => a.status === 'submitted');
        if (pricing()) state.sections = await apiList('/api/v1/ref/industries', { query: { level: 1 } });
        state.product = state.products[0] ?? null;
        form = buildForm();
    }
}

function render() {
    if (state.error) return showError(state.view, state.error);
    if (state.id !== null) return state.quote ? renderQuote() : showLoading(state.view);
    if (!state.list) return showLoading(state.view);
    return renderList();
}

// ---- the form ----------------------------------------------------------------

function optionList(amounts) {
    return (amounts ?? []).map((f) => ({ value: String(f), label: wan(f) }));
}

function buildForm() {
    const fields = [
        { name: 'product_id', type: 'select', label: () => t('uw.quote.product'), required: true, wide: true,
            options: () => state.products.map((p) => ({ value: String(p.id), label: `${p.name}（${p.insurer_name}，v${p.version}）` })),
            value: state.product ? String(state.product.id) : '' },
    ];
    if (applying()) {
        const pre = param('assessment');
        fields.push({ name: 'assessment_id', type: 'select', label: () => t('uw.quote.assessment'), required: true, wide: true,
            options: () => state.assessments.map((a) => ({ value: String(a.id), label: t('uw.quote.assessmentOption', { id: a.id, org: a.org_name, grade: a.grade, score: a.score.toFixed(2) }) })),
            value: pre ?? (state.assessments[0] ? String(state.assessments[0].id) : '') });
    } else {
        fields.push({ name: 'industry', type: 'select', label: () => t('uw.quote.industry'), required: true,
            options: () => state.sections.map((s) => ({ value: s.code, label: `${s.code} ${s.name}` })), value: 'C' });
        fields.push({ name: 'grade', type: 'select', label: () => t('uw.quote.grade'), required: true,
            options: () => ['A', 'B', 'C', 'D', 'E'].map((g) => ({ value: g, label: g })), value: 'C' });
    }
    fields.push(
        { name: 'revenue', label: () => t('uw.quote.revenue'), hint: () => t('uw.quote.revenueHint'), inputmode: 'decimal', required: true },
        { name: 'aggregate_limit', type: 'select', label: () => t('uw.quote.limit'), required: true, options: () => optionList(state.product?.limit_options) },
        { name: 'retention', type: 'select', label: () => t('uw.quote.retention'), required: true, options: () => optionList(state.product?.retention_options) },
    );
    if (applying()) fields.push({ name: 'start_date', type: 'date', label: () => t('uw.quote.startDate'), hint: () => t('uw.quote.startHint') });
    const f = createForm({
        id: 'quote-form', testid: 'quote-form', fields,
        submitLabel: () => (applying() ? t('uw.quote.apply') : t('uw.quote.try')),
        onSubmit: submitForm,
    });
    f.input('product_id').addEventListener('change', () => {
        state.product = state.products.find((p) => String(p.id) === f.input('product_id').value) ?? null;
        f.relabel();
    });
    return f;
}

async function submitForm(v) {
    const revenue = wanInputToFen(v.revenue);
    if (revenue === undefined || revenue === null) throw localError('revenue', () => t('uw.quote.revenueInvalid'));
    const body = { product_id: Number(v.product_id), revenue, aggregate_limit: Number(v.aggregate_limit), retention: Number(v.retention) };
    if (applying()) {
        if (v.assessment_id) body.assessment_id = Number(v.assessment_id);
        if (v.start_date) body.start_date = v.start_date;
        const q = await api('/api/v1/quotes', { method: 'POST', body });
        window.location.assign(`/quote.html?id=${q.id}`);
        return;
    }
    state.tried = await api('/api/v1/quotes', { method: 'POST', body: { ...body, indicative: true, industry: v.industry, grade: v.grade } });
    render();
    state.view.querySelector('[data-testid="quote-tried"]')?.focus();
}

// ---- the list ------------------------------------------------------------------

function renderList() {
    const rows = state.list.map((q) => el('tr', { testid: 'quote-row', dataset: { id: String(q.id), status: q.status } },
        el('th', { scope: 'row' }, el('a', { href: `/quote.html?id=${q.id}` }, `#${q.id}`)),
        el('td', {}, q.product.name),
        el('td', {}, q.insured.name),
        el('td', {}, statusBadge('quoteStatus', q.status)),
        el('td', { class: 'num' }, yuan(q.premium)),
        el('td', {}, beijingTime(q.created_at))));
    const table = rows.length
        ? scrollTable('quote-table', 'quote-table', t('uw.quote.listCaption', { count: rows.length }), [
            { text: t('uw.quote.col.id') }, { text: t('uw.quote.col.product') }, { text: t('uw.quote.col.insured') },
            { text: t('uw.quote.col.status') }, { text: t('uw.quote.col.premium'), class: 'num' }, { text: t('uw.quote.col.time') },
        ], rows)
        : el('p', { class: 'muted', testid: 'quote-empty' }, t('uw.quote.empty'));
    let formCard = null;
    if ((applying() || pricing()) && form) {
        form.relabel();
        const none = state.products.length === 0 ? el('p', { class: 'muted', testid: 'quote-no-products' }, t('uw.quote.noProducts')) : null;
        const noAssess = applying() && state.assessments.length === 0
            ? el('p', { class: 'warn', testid: 'quote-no-assessment' }, t('uw.quote.noAssessment'), ' ', el('a', { href: '/assessment.html' }, t('uw.quote.toAssess')))
            : null;
        formCard = el('section', { class: 'card' },
            el('h2', {}, applying() ? t('uw.quote.applyHeading') : t('uw.quote.tryHeading')),
            el('p', { class: 'muted' }, applying() ? t('uw.quote.applyIntro') : t('uw.quote.tryIntro')),
            none, noAssess, state.products.length ? form.form : null,
            state.tried ? el('div', { testid: 'quote-tried', tabindex: '-1', dataset: { premium: String(state.tried.premium) } },
                el('p', { class: 'uw-premium-line' }, t('uw.quote.triedPremium', { premium: yuan(state.tried.premium) }), ' ', statusBadge('decision', state.tried.decision)),
                breakdownView(state.tried)) : null);
    }
    showReady(state.view, el('div', { class: 'uw-stack' }, formCard,
        el('section', { class: 'card' }, el('h2', { testid: 'quote-list-title' }, t('uw.quote.listHeading')), table)));
}

// ---- one quote -------------------------------------------------------------------

function renderQuote() {
    const q = state.quote;
    const actions = el('div', { class: 'card__actions' });
    // what the visitor may do with this quote is the server's to say (its "actions")
    if (may(q, 'bind')) {
        const b = el('button', { type: 'button', class: 'btn btn--primary', testid: 'quote-bind' }, t('uw.quote.bind'));
        b.addEventListener('click', () => bind(b));
        actions.append(b);
    }
    if (q.policy_id) actions.append(el('a', { class: 'btn', href: `/policy.html?id=${q.policy_id}`, testid: 'quote-policy-link' }, t('uw.quote.toPolicy', { no: q.policy_no })));
    const msg = state.message ? el('p', { class: 'error', role: 'alert', testid: 'quote-message' }, state.message) : null;
    const referral = may(q, 'decide') ? referralForm() : null;
    const decided = q.referral ? el('p', { class: 'muted', testid: 'quote-referral-note' },
        t('uw.quote.referralNote', { note: q.referral.note }), ' ', beijingTime(q.referral.at)) : null;
    showReady(state.view, el('section', { class: 'card', testid: 'quote-card', dataset: { id: String(q.id), status: q.status } },
        el('div', { class: 'card__head' },
            el('div', {},
                el('p', { class: 'eyebrow' }, t('uw.quote.eyebrow', { id: q.id })),
                el('h2', { id: 'quote-title', testid: 'quote-title' }, `${q.product.name} · ${q.insured.name}`)),
            actions),
        msg,
        el('p', { class: 'uw-premium-line' },
            el('span', { testid: 'quote-premium', dataset: { fen: String(q.premium) } }, t('uw.quote.premiumLine', { premium: yuan(q.premium) })), ' ',
            statusBadge('quoteStatus', q.status, 'quote-status'), ' ', statusBadge('decision', q.decision, 'quote-decision')),
        el('dl', { class: 'details', testid: 'quote-details' },
            item('uw.quote.product', 'quote-product', `${q.product.name}（v${q.product.version}，${q.product.insurer_name}）`),
            item('uw.quote.insured', 'quote-insured', q.insured.name),
            item('uw.quote.limit', 'quote-limit', wan(q.aggregate_limit)),
            item('uw.quote.retention', 'quote-retention', wan(q.retention)),
            item('uw.quote.waiting', 'quote-waiting', t('uw.quote.hours', { hours: q.bi_waiting_hours })),
            item('uw.quote.startDate', 'quote-start', q.start_date),
            item('uw.quote.validUntil', 'quote-valid', [beijingTime(q.valid_until), q.expired ? el('span', { class: 'warn' }, ` ${t('uw.quote.expired')}`) : null]),
            item('uw.quote.assessment', 'quote-assessment', q.assessment_id ? el('a', { href: `/assessment.html?id=${q.assessment_id}` }, `#${q.assessment_id}`) : t('uw.quote.noAssessmentUsed')),
            q.renewal_of ? item('uw.quote.renewalOf', 'quote-renewal-of', el('a', { href: `/policy.html?id=${q.renewal_of}` }, `#${q.renewal_of}`)) : null),
        decided,
        referral,
        el('h3', { class: 'subhead', id: 'quote-how' }, t('uw.quote.how')),
        breakdownView(q)));
}

function referralForm() {
    const f = createForm({
        id: 'quote-referral', testid: 'quote-referral',
        fields: [
            { name: 'decision', type: 'select', label: () => t('uw.quote.decision'), required: true,
                options: () => [{ value: 'approve', label: t('uw.quote.approve') }, { value: 'decline', label: t('uw.quote.decline') }], value: 'approve' },
            { name: 'note', label: () => t('uw.quote.note'), required: true, wide: true },
        ],
        submitLabel: () => t('uw.quote.decide'),
        onSubmit: async (v) => {
            state.quote = await api(`/api/v1/quotes/${state.quote.id}/referral`, { method: 'POST', body: v });
            render();
        },
    });
    return el('div', { class: 'card card--panel', testid: 'quote-referral-panel' },
        el('h3', { class: 'subhead' }, t('uw.quote.referralHeading')), f.form);
}

async function bind(button) {
    button.disabled = true;
    try {
        const p = await api(`/api/v1/quotes/${state.quote.id}/bind`, { method: 'POST' });
        window.location.assign(`/policy.html?id=${p.id}`);
    } catch (e) {
        state.message = pickBilingual(e.message);
        button.disabled = false;
        render();
    }
}

