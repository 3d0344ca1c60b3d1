// pages/review.js — the expert's scoring sheet (review.html?id=N): one row
// per criterion of data/review/criteria.json (max score, weight), the
// weighted total as the server computes it (Σ round_half_up(score × weight ×
// 100 / max), in hundredths), a comment, and submit (PUT). Without ?id: the
// caller's reviews (an expert's own; all for the ministry and support center).
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, pickBilingual, getLang } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, param, scrollTable, loadedPage } from '../view.js';
import { showFieldError, clearFieldErrors, statusWord, when } from '../pilot/ui.js';

const here = { view: null, session: null }; // the view mount() made, the visitor's session
let review = null;
let list = [];
let scores = {};

export const page = loadedPage(here, {
    title: 'title.review',
    view: 'review-view',
    load,
    render,
});

// The review of ?id=, or the caller's reviews.
async function load() {
    const id = param('id');
    if (id) {
        review = await api(`/api/v1/reviews/${encodeURIComponent(id)}`);
        scores = { ...(review.scores ?? {}) };
    } else {
        list = await apiList('/api/v1/reviews');
    }
}

// The same arithmetic as core/review.c: integers only.
export function totalX100(criteria, values) {
    let sum = 0n;
    for (const c of criteria) {
        const s = BigInt(values[c.code] ?? 0);
        const num = s * BigInt(c.weight) * 100n;
        sum += (2n * num + BigInt(c.max_score)) / (2n * BigInt(c.max_score));
    }
    return Number(sum);
}

const points = (x100) => `${Math.trunc(x100 / 100)}.${String(x100 % 100).padStart(2, '0')}`;

function render() {
    if (!review) {
        showReady(here.view, el('h2', {}, t('r.list')),
            list.length === 0 ? el('p', { class: 'muted', testid: 'reviews-empty' }, t('pl.empty'))
                : scrollTable('reviews-t', 'reviews-table', t('r.list'),
                    [{ text: t('pl.col.id') }, { text: t('pl.col.name') }, { text: t('pl.col.lead') }, { text: t('pl.col.status') }],
                    list.map((r) => el('tr', { testid: 'review-row', dataset: { id: String(r.id), status: r.status } },
                        el('td', {}, String(r.id)),
                        el('th', { scope: 'row' }, el('a', { href: `/review.html?id=${r.id}` }, r.scheme_name || t('pl.untitled'))),
                        el('td', {}, r.lead_name),
                        el('td', {}, statusWord(r.status))))));
        return;
    }
    const crit = review.criteria.criteria;
    const done = review.status === 'submitted';
    const mine = review.expert_user_id === here.session.user.id;
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'review-error', hidden: true });
    const total = el('p', { testid: 'review-total', 'aria-live': 'polite' });
    const update = () => {
        const x = totalX100(crit, scores);
        total.dataset.total = String(x);
        total.textContent = t('r.total', { total: points(x) });
    };
    const rows = crit.map((c) => {
        const input = el('input', { type: 'number', min: '0', max: String(c.max_score), step: '1', inputmode: 'numeric', testid: 'review-score',
            'aria-label': pickBilingual(`${c.name_zh} / ${c.name_en}`), dataset: { field: `scores.${c.code}`, code: c.code } });
        input.value = scores[c.code] ?? '';
        input.disabled = done || !mine;
        input.addEventListener('input', () => {
            if (input.value === '') delete scores[c.code];
            else scores[c.code] = Number(input.value);
            update();
        });
        return el('tr', { testid: 'criterion-row', dataset: { code: c.code } },
            el('th', { scope: 'row' }, getLang() === 'en' ? c.name_en : c.name_zh),
            el('td', { class: 'num' }, String(c.max_score)),
            el('td', { class: 'num' }, String(c.weight)),
            el('td', { class: 'field', dataset: { field: `scores.${c.code}` } }, input, el('p', { class: 'field__error', hidden: true })));
    });
    const comment = el('textarea', { id: 'review-comment', rows: '4', testid: 'review-comment', dataset: { field: 'comment' } });
    comment.value = review.comment ?? '';
    comment.disabled = done || !mine;
    const submit = el('button', { type: 'button', class: 'btn btn--primary', testid: 'review-submit' }, t('r.submit'));
    submit.addEventListener('click', async () => {
        clearFieldErrors(here.view, box);
        try {
            review = { ...(await api(`/api/v1/reviews/${review.id}`, { method: 'PUT', body: { scores, comment: comment.value } })) };
            render();
        } catch (err) {
            showFieldError(here.view, box, err);
        }
    });
    showReady(here.view, el('section', { class: 'card card--wide', testid: 'review-sheet', dataset: { status: review.status } },
        el('h2', {}, t('r.heading')),
        el('p', {}, t('r.scheme', { name: review.scheme_name }), ' ', el('a', { href: `/scheme.html?id=${review.scheme_id}`, testid: 'review-scheme-link' }, t('r.viewScheme'))),
        done ? el('p', { testid: 'review-done' }, t('r.done', { total: points(review.total_x100) }), ' · ', when(review.submitted_at)) : null,
        box,
        scrollTable('review-t', 'criteria-table', t('r.heading'),
            [{ text: t('r.criterion') }, { text: t('r.max') }, { text: t('r.weight') }, { text: t('r.score') }], rows),
        total,
        el('div', { class: 'field field--wide', dataset: { field: 'comment' } }, el('label', { for: 'review-comment' }, t('r.comment')), comment,
            el('p', { class: 'field__error', hidden: true })),
        !done && mine ? el('div', { class: 'form__actions' }, submit) : null));
    update();
}
