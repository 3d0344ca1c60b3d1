// pages/stats.js — the pilot's dashboard (stats.html, ?pilot=ID optional):
// for the ministry the country, for a province or city its region, for an
// insurer its own book — the headline figures, the trend by quarter, the
// breakdowns by region, industry section and product class, and the
// pilots' table, each table with its XLSX download. Figures come from
// GET /api/v1/stats as the server counted and scoped them; a bucket the
// server withholds (fewer than 3 enterprises) shows as withheld.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api } from '../api.js';
import { t, getLang } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, param, scrollTable, renderAfterLoad } from '../view.js';
import { fenToWanText } from '../format.js';
import { drawTrend, disposeCharts } from '../stats/chart.js';

const FIGURES = ['insured_enterprises', 'policies_written', 'policies_in_force', 'written_premium', 'aggregate_limit', 'assessments'];
const MONEY = new Set(['written_premium', 'aggregate_limit']);

function query(base, extra) {
    const q = new URLSearchParams({ ...base, ...extra });
    return `/api/v1/stats?${q}`;
}

function figureText(b, k) {
    if (b.suppressed) return t('st.withheld');
    return MONEY.has(k) ? fenToWanText(b[k]) : String(b[k]);
}

function headline(total) {
    return el('dl', { class: 'stats-headline', testid: 'stats-headline', dataset: { suppressed: String(total.suppressed) } },
        FIGURES.map((k) => el('div', { class: 'stats-headline__item', testid: `stats-total-${k}`, dataset: { value: total.suppressed ? '' : String(total[k]) } },
            el('dt', {}, t(`st.f.${k}`)), el('dd', {}, figureText(total, k)))));
}

function table(by, r, base) {
    const name = (b) => (getLang() === 'en' ? b.name_en : b.name_zh) || b.key || t('common.none');
    const rows = r.items.map((b) => el('tr', { testid: `stats-row-${by}`, dataset: { key: b.key, suppressed: String(b.suppressed) } },
        el('th', { scope: 'row' }, name(b)),
        b.suppressed ? el('td', { colspan: String(FIGURES.length), class: 'muted', testid: 'stats-withheld' }, t('st.withheld'))
            : FIGURES.map((k) => el('td', { class: 'num' }, figureText(b, k)))));
    return el('section', { class: 'card', testid: `stats-table-${by}` },
        el('h3', {}, t(`st.by.${by}`)),
        r.items.length === 0 ? el('p', { class: 'muted' }, t('st.empty'))
            : scrollTable(`stats-${by}`, `stats-t-${by}`, t('st.caption', { by: t(`st.by.${by}`) }),
                [{ text: t(`st.by.${by}`) }, ...FIGURES.map((k) => ({ text: t(`st.f.${k}`), class: 'num' }))], rows),
        el('p', {}, el('a', { href: query(base, { by, format: 'xlsx' }), download: `cyberins-stats-${by}.xlsx`, testid: `stats-xlsx-${by}` }, t('st.xlsx'))));
}

export const page = {
    title: 'title.stats',
    view: 'stats-view',
    permission: 'stats.read',
    forbidden: 'st.forbidden',
    start(root, { session }) {
        const type = session.organisation.type;
        const regionBy = type === 'city' ? 'section' : (type === 'province' || type === 'comm_admin') ? 'city' : 'province';
        const breakdowns = [...new Set([regionBy, 'section', 'product_class', 'pilot'])];
        const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
        const base = { from: param('from') ?? `${year}-01-01`, to: param('to') ?? `${year}-12-31` };
        if (param('pilot')) base.pilot_id = param('pilot');
        const answers = {};
        disposeCharts();
        return renderAfterLoad(root, async () => {
            answers.quarter = await api(query(base, { by: 'quarter' }));
            for (const by of breakdowns) answers[by] = await api(query(base, { by }));
        }, () => {
            const chart = el('div', { class: 'stats-chart', testid: 'stats-trend-chart', role: 'img', 'aria-label': t('st.chart.label') });
            const r = answers.quarter;
            showReady(root,
                el('h2', { testid: 'stats-title' }, t(`st.heading.${r.scope.kind}`)),
                el('form', { class: 'stats-range', testid: 'stats-range', method: 'get', action: '/stats.html' },
                    el('label', {}, t('st.from'), el('input', { type: 'date', name: 'from', value: base.from, testid: 'stats-from' })),
                    el('label', {}, t('st.to'), el('input', { type: 'date', name: 'to', value: base.to, testid: 'stats-to' })),
                    base.pilot_id ? el('input', { type: 'hidden', name: 'pilot', value: base.pilot_id }) : null,
                    el('button', { type: 'submit', class: 'btn', testid: 'stats-apply' }, t('st.apply'))),
                headline(r.total),
                r.suppress_below ? el('p', { class: 'muted', testid: 'stats-suppression' }, t('st.suppression', { n: r.suppress_below })) : null,
                el('p', { class: 'muted', testid: 'stats-not-available' }, t('st.notAvailable')),
                el('section', { class: 'card' }, el('h3', {}, t('st.trend')), chart),
                table('quarter', r, base),
                breakdowns.map((by) => table(by, answers[by], base)));
            drawTrend(chart, r.items);
        }, 'st.loadFailed');
    },
};
