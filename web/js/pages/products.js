// pages/products.js — insurance products: /products.html lists the products
// the visitor sees (on sale, and an insurer's own drafts) and, for an
// insurer that may manage products, the form of a new draft;
// /products.html?id=N shows one version — class, coverages with their
// sublimits, retention and limit options, the liability trigger, filing —
// with what the server says the visitor may do with it (its "actions": edit
// the draft, file it with its 备案号 and date, open a new version), and its
// 单价保费及保额 table: the premium of every limit × grade A–E × revenue band
// for one industry and retention (GET /api/v1/products/{id}/rate-table),
// each cell marked when the underwriting rules would refer or decline it,
// with the same table as CSV and XLSX for download.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, getLang, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { createForm } from '../form.js';
import { can } from '../session.js';
import { showLoading, showError, showReady, scrollTable, recordPage } from '../view.js';
import { orNone } from '../format.js';
import { yuan, wan, statusBadge, item, covName, zhEn, percent, may, markBadge, bjDate } from '../uw/ui.js';
import { productForm } from '../uw/product_form.js';

const state = {
    view: null, session: null, id: null, list: null, product: null, sections: null, pilot: null, coverages: null,
    industry: 'C', retention: null, table: null, tableError: null, error: null,
    creating: false, editing: false, done: null, message: null, form: null, filing: null,
};

export const page = recordPage(state, {
    title: 'title.products',
    view: 'products-view',
    load,
    render,
});

async function load() {
    const manage = can(state.session, 'product.manage');
    const [pilot, coverages] = await Promise.all([
        api('/api/v1/ref/pilot'),
        manage || state.id !== null ? apiList('/api/v1/ref/coverages') : Promise.resolve([]),
    ]);
    state.pilot = pilot;
    state.coverages = coverages;
    if (state.id === null) {
        state.list = await apiList('/api/v1/products');
        if (manage) state.form = newForm(null);
    } else {
        const [product, sections] = await Promise.all([
            api(`/api/v1/products/${state.id}`),
            apiList('/api/v1/ref/industries', { query: { level: 1 } }),
        ]);
        state.sections = sections;
        setProduct(product);
        await loadTable();
    }
}

function setProduct(p) {
    state.product = p;
    state.retention = state.retention !== null && p.retention_options.includes(state.retention) ? state.retention : p.retention_options[0];
    state.form = may(p, 'edit') ? newForm(p) : null;
    state.filing = may(p, 'file') ? filingForm(p) : null;
}

function newForm(product) {
    return productForm({
        id: 'product-form', testid: 'product-form', product, pilot: state.pilot, coverages: state.coverages,
        onSaved: async (saved) => {
            if (!product) {
                window.location.assign(`/products.html?id=${saved.id}`);
                return;
            }
            setProduct(saved);
            state.editing = false;
            state.done = t('uw.product.saved');
            await loadTable();
            render();
        },
    });
}

function filingForm(p) {
    return createForm({
        id: 'product-file', testid: 'product-file',
        fields: [
            { name: 'filing_no', label: () => t('uw.product.filingNo'), hint: () => t('uw.product.filingNoHint'), required: true, wide: true },
            { name: 'filing_date', type: 'date', label: () => t('uw.product.filingDate'), required: true, value: bjDate(0) },
        ],
        submitLabel: () => t('uw.product.file'),
        onSubmit: async (v) => {
            setProduct(await api(`/api/v1/products/${p.id}/filing`, { method: 'POST', body: v }));
            state.done = t('uw.product.filed');
            render();
        },
    });
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
    if (state.error) return showError(state.view, state.error);
    if (state.id === null) return state.list ? renderList() : showLoading(state.view);
    return state.product ? renderProduct() : showLoading(state.view);
}

function className(p) {
    if (p.class === 'enterprise') {
        const names = (p.target_industries ?? []).map((c) => {
            const x = state.pilot?.target_industries.find((y) => y.code === c);
            return x ? zhEn(x.name_zh, x.name_en) : c;
        });
        return t('uw.product.classEnterprise', { list: names.join('、') || t('common.none') });
    }
    const type = state.pilot?.product_classes.flatMap((g) => g.items ?? [g]).find((x) => x.code === p.product_type);
    return t('uw.product.classService', { type: type ? zhEn(type.name_zh, type.name_en) : orNone(p.product_type) });
}

function renderList() {
    const rows = state.list.map((p) => el('tr', { testid: 'product-row', dataset: { id: String(p.id), status: p.status } },
        el('th', { scope: 'row' }, el('a', { href: `/products.html?id=${p.id}` }, p.name)),
        el('td', {}, p.insurer_name),
        el('td', {}, `v${p.version}`),
        el('td', {}, statusBadge('productStatus', p.status)),
        el('td', {}, orNone(p.filing_no))));
    let create = null;
    if (state.form) {
        const toggle = el('button', { type: 'button', class: 'btn', testid: 'product-new', 'aria-expanded': String(state.creating) },
            state.creating ? t('uw.product.newClose') : t('uw.product.new'));
        toggle.addEventListener('click', () => {
            state.creating = !state.creating;
            render();
        });
        state.form.relabel();
        create = el('section', { class: 'card' },
            el('div', { class: 'card__head' }, el('h2', {}, t('uw.product.newHeading')), el('div', { class: 'card__actions' }, toggle)),
            el('p', { class: 'muted' }, t('uw.product.newIntro')),
            state.creating ? state.form.form : null);
    }
    showReady(state.view, el('div', { class: 'uw-stack' }, create, el('section', { class: 'card' },
        el('h2', { testid: 'products-title' }, t('uw.product.listHeading')),
        rows.length ? scrollTable('product-table', 'product-table', t('uw.product.listCaption', { count: rows.length }), [
            { text: t('uw.product.name') }, { text: t('uw.product.insurer') }, { text: t('uw.product.version') },
            { text: t('uw.quote.col.status') }, { text: t('uw.product.filing') },
        ], rows) : el('p', { class: 'muted', testid: 'products-empty' }, t('uw.product.empty')))));
}

function actionsOf(p) {
    const box = el('div', { class: 'card__actions' }, statusBadge('productStatus', p.status, 'product-status'));
    if (state.form) {
        const b = el('button', { type: 'button', class: 'btn', testid: 'product-edit', 'aria-expanded': String(state.editing) },
            state.editing ? t('uw.product.editClose') : t('uw.product.edit'));
        b.addEventListener('click', () => {
            state.editing = !state.editing;
            render();
        });
        box.append(b);
    }
    if (may(p, 'version')) {
        const b = el('button', { type: 'button', class: 'btn', testid: 'product-version' }, t('uw.product.newVersion'));
        b.addEventListener('click', async () => {
            b.disabled = true;
            try {
                const v = await api(`/api/v1/products/${p.id}/versions`, { method: 'POST' });
                window.location.assign(`/products.html?id=${v.id}`);
            } catch (e) {
                state.done = null;
                state.message = e;
                b.disabled = false;
                render();
            }
        });
        box.append(b);
    }
    return box;
}

function renderProduct() {
    const p = state.product;
    const cov = scrollTable('product-cov-table', 'product-coverages', t('uw.policy.covCaption', { count: p.coverages.length }), [
        { text: t('uw.qb.coverage') }, { text: t('uw.product.defaultSublimit'), class: 'num' }, { text: t('uw.qb.share'), class: 'num' },
    ], p.coverages.map((c) => el('tr', { testid: 'product-cov', dataset: { code: c.code } },
        el('th', { scope: 'row' }, covName(c)),
        el('td', { class: 'num' }, c.sublimit === null ? t('uw.product.aggregate') : wan(c.sublimit)),
        el('td', { class: 'num' }, percent(c.share_bp / 10000, 2)))));
    const trigger = p.liability_trigger === 'claims_made'
        ? t('uw.product.claimsMade', { date: p.retro_date ?? t('uw.product.retroStart') }) : t('uw.policy.trigger.occurrence');
    const panel = (node, key, testid) => (node ? el('section', { class: 'card card--panel', testid }, el('h3', { class: 'subhead' }, t(key)), node) : null);
    if (state.form) state.form.relabel();
    if (state.filing) state.filing.relabel();
    showReady(state.view, el('div', { class: 'uw-stack' },
        el('section', { class: 'card', testid: 'product-card', dataset: { id: String(p.id), status: p.status } },
            el('div', { class: 'card__head' },
                el('div', {}, el('p', { class: 'eyebrow' }, t('uw.product.eyebrow', { version: p.version })),
                    el('h2', { id: 'product-title', testid: 'product-name' }, p.name)),
                actionsOf(p)),
            state.done ? el('p', { class: 'success', role: 'status', testid: 'product-done' }, state.done) : null,
            state.message ? el('p', { class: 'error', role: 'alert', testid: 'product-message' }, pickBilingual(state.message.message)) : null,
            el('dl', { class: 'details', testid: 'product-details' },
                item('uw.product.insurer', 'product-insurer', p.insurer_name),
                item('uw.product.class', 'product-class', className(p)),
                item('uw.product.filing', 'product-filing', p.filing_no ? `${p.filing_no}（${p.filing_date}）` : t('uw.product.notFiled')),
                item('uw.product.retentions', 'product-retentions', p.retention_options.map(wan).join('、')),
                item('uw.product.limits', 'product-limits', p.limit_options.map(wan).join('、')),
                item('uw.quote.waiting', 'product-waiting', t('uw.quote.hours', { hours: p.bi_waiting_hours })),
                item('uw.product.minimum', 'product-minimum', p.minimum_premium === null ? t('uw.product.modelMinimum') : yuan(p.minimum_premium)),
                item('uw.policy.trigger', 'product-trigger', trigger, { dataset: { trigger: p.liability_trigger } }),
                item('uw.product.model', 'product-model', t('uw.product.modelValue', { model: p.rating_model, rules: p.rules_version })),
                p.description ? item('uw.product.description', 'product-description', p.description, { class: 'details__wide' }) : null),
            el('h3', { class: 'subhead' }, t('uw.product.coverages')),
            cov),
        state.editing ? panel(state.form?.form, 'uw.product.editHeading', 'product-edit-panel') : null,
        panel(state.filing?.form, 'uw.product.fileHeading', 'product-file-panel'),
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
    const href = (format) => `/api/v1/products/${p.id}/rate-table?industry=${encodeURIComponent(state.industry)}&retention=${state.retention}&format=${format}`;
    let tables;
    if (state.tableError) tables = el('p', { class: 'error', role: 'alert', testid: 'rate-error' }, pickBilingual(state.tableError.message));
    else if (!state.table) tables = el('p', { class: 'muted' }, t('common.loading'));
    else tables = [legend(), ...state.table.limits.map((limit) => limitTable(limit))];
    return el('section', { class: 'card', testid: 'rate-card' },
        el('h2', {}, t('uw.rate.heading')),
        el('p', { class: 'muted' }, t('uw.rate.intro')),
        el('div', { class: 'filters' },
            el('div', { class: 'field' }, el('label', { for: 'rate-industry' }, t('uw.rate.industry')), ind),
            el('div', { class: 'field' }, el('label', { for: 'rate-retention' }, t('uw.quote.retention')), ret),
            el('div', { class: 'filters__actions' },
                el('a', { class: 'btn', href: href('csv'), download: `rate-table-${p.id}.csv`, testid: 'rate-csv' }, t('uw.rate.csv')),
                el('a', { class: 'btn', href: href('xlsx'), download: `rate-table-${p.id}.xlsx`, testid: 'rate-xlsx' }, t('uw.rate.xlsx')))),
        el('div', { testid: 'rate-tables', dataset: { industry: state.industry, retention: String(state.retention) } }, tables));
}

// What the marks mean: the rules that judge a cell by its own facts.
function legend() {
    const used = new Set(state.table.rows.flatMap((r) => r.rules));
    const rules = state.table.rules.filter((r) => used.has(r.id));
    return el('div', { class: 'uw-legend', testid: 'rate-legend' },
        el('p', { class: 'muted' }, t('uw.rate.marks')),
        rules.length ? el('ul', { class: 'uw-rules' }, rules.map((r) => el('li', { testid: 'rate-rule', dataset: { id: r.id, decision: r.decision } },
            statusBadge('decision', r.decision), ' ', zhEn(r.reason_zh, r.reason_en)))) : el('p', { class: 'muted' }, t('uw.rate.noMarks')));
}

function limitTable(limit) {
    const tb = state.table;
    const grades = tb.grades;
    const rows = tb.bands.map((b) => el('tr', { testid: 'rate-row', dataset: { band: b.code, limit: String(limit) } },
        el('th', { scope: 'row' }, `${getLang() === 'en' ? b.name_en : b.name_zh}（${t('uw.rate.rated', { revenue: wan(b.rated_revenue) })}）`),
        grades.map((g) => {
            const r = tb.rows.find((x) => x.limit === limit && x.band === b.code && x.grade === g);
            return el('td', { class: 'num', testid: 'rate-cell', dataset: { grade: g, fen: String(r.premium), decision: r.decision, rules: r.rules.join(' ') } },
                yuan(r.premium), r.decision === 'accept' ? null : ' ', markBadge(r.decision, 'rate-mark'));
        })));
    return scrollTable(`rate-table-${limit}`, 'rate-table', t('uw.rate.caption', { limit: wan(limit), retention: wan(tb.retention), industry: tb.industry_section }), [
        { text: t('uw.rate.band') }, ...grades.map((g) => ({ text: t('uw.rate.grade', { grade: g }), class: 'num' })),
    ], rows);
}
