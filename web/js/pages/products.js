// pages/products.js — insurance products: /products.html lists the products
// the visitor sees (on sale, and an insurer's own drafts);
// /products.html?id=N shows one version — class, coverages with their
// sublimits, retention and limit options, filing — and its 单价保费及保额
// table: the premium of every limit × grade A–E × revenue band for one
// industry and retention (GET /api/v1/products/{id}/rate-table), with the
// same table as CSV for download.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, getLang } from '../i18n.js';
import { el } from '../dom.js';
import { showLoading, showError, showReady, scrollTable, idParam, loadAndRender } from '../view.js';
import { orNone } from '../format.js';
import { yuan, wan, statusBadge, item, covName, zhEn, percent } from '../uw/ui.js';

const state = { id: null, list: null, product: null, sections: null, pilot: null, industry: 'C', retention: null, table: null, tableError: null, error: null };
let mountPoint = null;

export const page = {
    title: 'title.products',
    view: 'products-view',
    start(view) {
        mountPoint = view;
        state.id = idParam();
        return loadAndRender(state, render, load);
    },
};

async function load() {
    if (state.id === null) {
        state.list = await apiList('/api/v1/products');
    } else {
        const [product, sections, pilot] = await Promise.all([
            api(`/api/v1/products/${state.id}`),
            apiList('/api/v1/ref/industries', { query: { level: 1 } }),
            api('/api/v1/ref/pilot'),
        ]);
        state.product = product;
        state.sections = sections;
        state.pilot = pilot;
        state.retention = product.retention_options[0];
        await loadTable();
    }
}

async function loadTable() {
    state.tableError = null;
    try {
        state.table = await api(`/api/v1/products/${state.id}/rate-table`, { query: { industry: state.industry, retention: state.retention } });
    } catch (e) {
        state.table = null;
        state.tableError = e;
    }
}

function render() {
    if (state.error) return showError(mountPoint, state.error);
    if (state.id === null) return state.list ? renderList() : showLoading(mountPoint);
    return state.product ? renderProduct() : showLoading(mountPoint);
}

function className(p) {
    if (p.class === 'enterprise') {
        const names = (p.target_industries ?? []).map((c) => {
            const x = state.pilot?.target_industries.find((y) => y.code === c);
            return x ? zhEn(x.name_zh, x.name_en) : c;
        });
        return t('uw.product.classEnterprise', { list: names.join('、') || t('common.none') });
    }
    return t('uw.product.classService', { type: orNone(p.product_type) });
}

function renderList() {
    const rows = state.list.map((p) => el('tr', { testid: 'product-row', dataset: { id: String(p.id), status: p.status } },
        el('th', { scope: 'row' }, el('a', { href: `/products.html?id=${p.id}` }, p.name)),
        el('td', {}, p.insurer_name),
        el('td', {}, `v${p.version}`),
        el('td', {}, statusBadge('productStatus', p.status)),
        el('td', {}, orNone(p.filing_no))));
    showReady(mountPoint, el('section', { class: 'card' },
        el('h2', { testid: 'products-title' }, t('uw.product.listHeading')),
        rows.length ? scrollTable('product-table', 'product-table', t('uw.product.listCaption', { count: rows.length }), [
            { text: t('uw.product.name') }, { text: t('uw.product.insurer') }, { text: t('uw.product.version') },
            { text: t('uw.quote.col.status') }, { text: t('uw.product.filing') },
        ], rows) : el('p', { class: 'muted', testid: 'products-empty' }, t('uw.product.empty'))));
}

function renderProduct() {
    const p = state.product;
    const cov = scrollTable('product-cov-table', 'product-coverages', t('uw.policy.covCaption', { count: p.coverages.length }), [
        { text: t('uw.qb.coverage') }, { text: t('uw.product.defaultSublimit'), class: 'num' }, { text: t('uw.qb.share'), class: 'num' },
    ], p.coverages.map((c) => el('tr', { testid: 'product-cov', dataset: { code: c.code } },
        el('th', { scope: 'row' }, covName(c)),
        el('td', { class: 'num' }, c.sublimit === null ? t('uw.product.aggregate') : wan(c.sublimit)),
        el('td', { class: 'num' }, percent(c.share_bp / 10000, 2)))));
    showReady(mountPoint, el('div', { class: 'uw-stack' },
        el('section', { class: 'card', testid: 'product-card', dataset: { id: String(p.id), status: p.status } },
            el('div', { class: 'card__head' },
                el('div', {}, el('p', { class: 'eyebrow' }, t('uw.product.eyebrow', { version: p.version })),
                    el('h2', { id: 'product-title', testid: 'product-name' }, p.name)),
                el('div', { class: 'card__actions' }, statusBadge('productStatus', p.status, 'product-status'))),
            el('dl', { class: 'details', testid: 'product-details' },
                item('uw.product.insurer', 'product-insurer', p.insurer_name),
                item('uw.product.class', 'product-class', className(p)),
                item('uw.product.filing', 'product-filing', p.filing_no ? `${p.filing_no}（${p.filing_date}）` : t('uw.product.notFiled')),
                item('uw.product.retentions', 'product-retentions', p.retention_options.map(wan).join('、')),
                item('uw.product.limits', 'product-limits', p.limit_options.map(wan).join('、')),
                item('uw.quote.waiting', 'product-waiting', t('uw.quote.hours', { hours: p.bi_waiting_hours })),
                item('uw.product.minimum', 'product-minimum', p.minimum_premium === null ? t('uw.product.modelMinimum') : yuan(p.minimum_premium)),
                item('uw.product.model', 'product-model', `${p.rating_model} / ${p.rules_version}`),
                p.description ? item('uw.product.description', 'product-description', p.description, { class: 'details__wide' }) : null),
            el('h3', { class: 'subhead' }, t('uw.product.coverages')),
            cov),
        rateTableCard()));
}

function rateTableCard() {
    const p = state.product;
    const ind = el('select', { id: 'rate-industry', testid: 'rate-industry' },
        state.sections.map((s) => el('option', { value: s.code }, `${s.code} ${s.name}`)));
    ind.value = state.industry;
    const ret = el('select', { id: 'rate-retention', testid: 'rate-retention' },
        p.retention_options.map((r) => el('option', { value: String(r) }, wan(r))));
    ret.value = String(state.retention);
    const change = async () => {
        state.industry = ind.value;
        state.retention = Number(ret.value);
        await loadTable();
        render();
    };
    ind.addEventListener('change', change);
    ret.addEventListener('change', change);
    const csvHref = `/api/v1/products/${p.id}/rate-table?industry=${encodeURIComponent(state.industry)}&retention=${state.retention}&format=csv`;
    let tables;
    if (state.tableError) tables = el('p', { class: 'error', role: 'alert', testid: 'rate-error' }, state.tableError.message);
    else if (!state.table) tables = el('p', { class: 'muted' }, t('common.loading'));
    else tables = state.table.limits.map((limit) => limitTable(limit));
    return el('section', { class: 'card', testid: 'rate-card' },
        el('h2', {}, t('uw.rate.heading')),
        el('p', { class: 'muted' }, t('uw.rate.intro')),
        el('div', { class: 'filters' },
            el('div', { class: 'field' }, el('label', { for: 'rate-industry' }, t('uw.rate.industry')), ind),
            el('div', { class: 'field' }, el('label', { for: 'rate-retention' }, t('uw.quote.retention')), ret),
            el('div', { class: 'filters__actions' }, el('a', { class: 'btn', href: csvHref, download: `rate-table-${p.id}.csv`, testid: 'rate-csv' }, t('uw.rate.csv')))),
        el('div', { testid: 'rate-tables', dataset: { industry: state.industry, retention: String(state.retention) } }, tables));
}

function limitTable(limit) {
    const tb = state.table;
    const grades = tb.grades;
    const rows = tb.bands.map((b) => el('tr', { testid: 'rate-row', dataset: { band: b.code, limit: String(limit) } },
        el('th', { scope: 'row' }, `${getLang() === 'en' ? b.name_en : b.name_zh}（${t('uw.rate.rated', { revenue: wan(b.rated_revenue) })}）`),
        grades.map((g) => {
            const r = tb.rows.find((x) => x.limit === limit && x.band === b.code && x.grade === g);
            return el('td', { class: 'num', testid: 'rate-cell', dataset: { grade: g, fen: String(r.premium), decision: r.decision } },
                yuan(r.premium));
        })));
    return scrollTable(`rate-table-${limit}`, 'rate-table', t('uw.rate.caption', { limit: wan(limit), retention: wan(tb.retention), industry: tb.industry_section }), [
        { text: t('uw.rate.band') }, ...grades.map((g) => ({ text: t('uw.rate.grade', { grade: g }), class: 'num' })),
    ], rows);
}
