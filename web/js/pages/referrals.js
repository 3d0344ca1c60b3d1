// pages/referrals.js — the referral queue (转人工核保) of an insurer's
// underwriters: the quotes on its products that the underwriting rules
// referred (GET /api/v1/quotes?status=referred), each with its insured,
// premium and the reasons; the decision (approve or decline, with a note)
// is taken on the quote's own page, next to how its price was made.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { apiList } from '../api.js';
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { showLoading, showError, showReady, scrollTable, loadAndRender } from '../view.js';
import { beijingTime } from '../format.js';
import { yuan, wan } from '../uw/ui.js';

const state = { items: null, error: null };
let mountPoint = null;

export const page = {
    title: 'title.referrals',
    view: 'referrals-view',
    permission: 'referral.decide',
    forbidden: 'uw.ref.forbidden',
    start(view) {
        mountPoint = view;
        return loadAndRender(state, render, async () => {
            state.items = await apiList('/api/v1/quotes', { query: { status: 'referred' } });
        });
    },
};

function render() {
    if (state.error) return showError(mountPoint, state.error);
    if (!state.items) return showLoading(mountPoint);
    const rows = state.items.map((q) => el('tr', { testid: 'referral-row', dataset: { id: String(q.id) } },
        el('th', { scope: 'row' }, el('a', { href: `/quote.html?id=${q.id}`, testid: 'referral-link' }, `#${q.id}`)),
        el('td', {}, q.insured.name),
        el('td', {}, `${q.product.name} v${q.product.version}`),
        el('td', {}, q.grade),
        el('td', { class: 'num' }, wan(q.aggregate_limit)),
        el('td', { class: 'num' }, yuan(q.premium)),
        el('td', {}, beijingTime(q.valid_until))));
    showReady(mountPoint, el('section', { class: 'card' },
        el('h2', { testid: 'referrals-title' }, t('uw.ref.heading')),
        el('p', { class: 'muted' }, t('uw.ref.intro')),
        rows.length ? scrollTable('referral-table', 'referral-table', t('uw.ref.caption', { count: rows.length }), [
            { text: t('uw.quote.col.id') }, { text: t('uw.quote.insured') }, { text: t('uw.quote.product') },
            { text: t('uw.quote.grade') }, { text: t('uw.quote.limit'), class: 'num' }, { text: t('uw.quote.col.premium'), class: 'num' },
            { text: t('uw.quote.validUntil') },
        ], rows) : el('p', { class: 'muted', testid: 'referral-empty' }, t('uw.ref.empty'))));
}
