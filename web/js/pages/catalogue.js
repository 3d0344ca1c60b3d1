// pages/catalogue.js — 《网络安全保险典型服务方案目录》 (catalogue.html?round=ID),
// readable by every logged-in user: the numbered entries of the round with
// their lead, joint units and direction. The ministry (catalogue.publish)
// also sees the submitted schemes with their reviews (how many, the mean
// score) and lists those reviewed enough, in the order it ticks them, as the
// next numbers of the catalogue.
//
// GET /api/v1/catalogue, /api/v1/schemes?status=submitted, /api/v1/schemes/{id};
// POST /api/v1/catalogue.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { can } from '../session.js';
import { showReady, param, scrollTable, loadedPage } from '../view.js';
import { downloadBar } from '../download.js';
import { button, runAction } from '../pilot/ui.js';

const here = { view: null, session: null }; // the view mount() made, the visitor's session
let round;
let items;
let candidates = [];
let minReviews = 0;
let flash = '';

export const page = loadedPage(here, {
    title: 'title.catalogue',
    view: 'catalogue-view',
    load,
    render,
});

async function load() {
    round = param('round') ?? (await api('/api/v1/rounds')).items.at(-1).id;
    items = await apiList('/api/v1/catalogue', { query: { round_id: round } });
    if (!can(here.session, 'catalogue.publish')) return;
    minReviews = (await api(`/api/v1/rounds/${encodeURIComponent(round)}`)).review_criteria.min_reviews;
    const submitted = await apiList('/api/v1/schemes', { query: { round_id: round, status: 'submitted' } });
    candidates = await Promise.all(submitted.map((s) => api(`/api/v1/schemes/${s.id}`)));
}

const points = (x) => (x === null || x === undefined ? t('common.none') : `${Math.trunc(x / 100)}.${String(x % 100).padStart(2, '0')}`);

// The submitted schemes: tick the reviewed ones in the order they are to be numbered.
function publishCard() {
    if (!can(here.session, 'catalogue.publish')) return null;
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'cat-error', hidden: true });
    const order = [];
    const pre = Number(param('scheme'));
    const rows = candidates.map((s) => {
        const ready = (s.review?.submitted ?? 0) >= minReviews;
        const pick = el('input', { type: 'checkbox', testid: 'cat-pick', 'aria-label': t('c.pick', { name: s.name }), dataset: { id: String(s.id) } });
        pick.disabled = !ready;
        if (ready && s.id === pre) {
            pick.checked = true;
            order.push(s.id);
        }
        pick.addEventListener('change', () => {
            const i = order.indexOf(s.id);
            if (pick.checked && i < 0) order.push(s.id);
            if (!pick.checked && i >= 0) order.splice(i, 1);
        });
        return el('tr', { testid: 'cat-candidate', dataset: { id: String(s.id), ready: String(ready) } },
            el('td', {}, pick),
            el('th', { scope: 'row' }, el('a', { href: `/scheme.html?id=${s.id}` }, s.name || t('pl.untitled'))),
            el('td', {}, s.lead?.name ?? ''),
            el('td', { class: 'num', testid: 'cat-reviews' }, `${s.review?.submitted ?? 0} / ${minReviews}`),
            el('td', { class: 'num' }, points(s.review?.mean_total_x100)));
    });
    return el('section', { class: 'card card--wide', testid: 'cat-publish-card' },
        el('h3', {}, t('c.publishHeading')), box,
        candidates.length === 0 ? el('p', { class: 'muted', testid: 'cat-candidates-empty' }, t('pl.empty'))
            : [scrollTable('cat-cand-t', 'cat-candidates', t('c.candidates'),
                [{ text: t('i.pick') }, { text: t('c.name') }, { text: t('c.lead') }, { text: t('c.reviews') }, { text: t('c.mean') }], rows),
            button('cat-publish', t('c.publish'), () => runAction(here.view, box, async () =>
                [await api('/api/v1/catalogue', { method: 'POST', body: { round_id: round, scheme_ids: order } }), t('c.published')],
            async (_out, text) => { flash = text; await load(); render(); }), 'btn--primary')]);
}

function render() {
    showReady(here.view,
        el('h2', { testid: 'catalogue-title' }, t('c.heading')),
        downloadBar(`/api/v1/catalogue/${encodeURIComponent(round)}/document`, ['docx', 'xlsx', 'pdf'], `catalogue-${round}`),
        el('p', { class: 'muted', testid: 'catalogue-saved', role: 'status', hidden: !flash }, flash),
        publishCard(),
        items.length === 0 ? el('p', { class: 'muted', testid: 'catalogue-empty' }, t('c.empty'))
            : scrollTable('catalogue-t', 'catalogue-table', t('c.caption', { round, count: items.length }),
                [{ text: t('c.code') }, { text: t('c.name') }, { text: t('c.lead') }, { text: t('c.joint') }, { text: t('c.direction') }],
                items.map((e) => el('tr', { testid: 'catalogue-row', dataset: { code: e.code, scheme: String(e.scheme_id) } },
                    el('td', { class: 'nowrap' }, e.code),
                    el('th', { scope: 'row' }, e.name),
                    el('td', {}, e.lead_name),
                    el('td', {}, e.joint_units.join('、') || t('common.none')),
                    el('td', {}, e.direction ? t(`s.dir.${e.direction}`) : t('common.none'))))));
}
