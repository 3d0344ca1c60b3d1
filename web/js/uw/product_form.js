// uw/product_form.js — the form of a product draft, to create one (POST
// /api/v1/products) or change one (PATCH /api/v1/products/{id}): name,
// class with its target industries or product type, the coverages of the
// notice with their default sublimits (万元, empty: the aggregate limit) and
// the insurer's share, the business-interruption waiting period, retention
// and limit options (万元), the minimum premium (元, empty: the rating
// model's), the liability trigger and, for claims made, a retroactive
// date. The server judges every rule and answers in words; this form only
// turns 万元 and 元 into fen and says so when it cannot.
//
// Test ids: the form TESTID (createForm's TESTID-NAME controls), the
// coverage rows TESTID-cov-CODE (checkbox), TESTID-sub-CODE, TESTID-share-CODE,
// the pilot industries TESTID-target-CODE.
//
// Must never depend on: any page module; never writes API data as HTML.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { createForm, localError } from '../form.js';
import { fenToWanInput, wanInputToFen } from '../format.js';
import { covName, zhEn, wanListToFen, yuanInputToFen } from './ui.js';

const listText = (fens) => (fens ?? []).map(fenToWanInput).join(', ');
const yuanText = (fen) => (fen === null || fen === undefined ? '' : (fen / 100).toFixed(2));

// The coverages block: a row per coverage of the notice; relabel() writes its words.
function coveragesBlock(testid, coverages, product) {
    const rows = coverages.map((c) => {
        const had = product?.coverages.find((x) => x.code === c.code);
        const box = el('input', { type: 'checkbox', id: `${testid}-cov-${c.code}`, testid: `${testid}-cov-${c.code}`, checked: Boolean(had) });
        const sub = el('input', { type: 'text', inputmode: 'decimal', id: `${testid}-sub-${c.code}`, testid: `${testid}-sub-${c.code}`,
            value: had?.sublimit ? fenToWanInput(had.sublimit) : '' });
        const share = el('input', { type: 'text', inputmode: 'decimal', id: `${testid}-share-${c.code}`, testid: `${testid}-share-${c.code}`,
            value: had ? String(had.share_bp / 100) : '100' });
        return { code: c.code, c, box, sub, share, name: el('span') };
    });
    const legend = el('legend');
    const hint = el('p', { class: 'field__hint' });
    const heads = [el('th', { scope: 'col' }), el('th', { scope: 'col' }), el('th', { scope: 'col' })];
    const node = el('fieldset', { class: 'field field--wide uw-fieldset', dataset: { field: 'coverages' } }, legend, hint,
        el('div', { class: 'table-scroll' }, el('table', { class: 'data-table' },
            el('thead', {}, el('tr', {}, heads)),
            el('tbody', {}, rows.map((r) => el('tr', {},
                el('th', { scope: 'row' }, el('label', { class: 'uw-choice', for: r.box.id }, r.box, ' ', r.name)),
                el('td', {}, r.sub), el('td', {}, r.share)))))));
    const relabel = () => {
        legend.textContent = t('uw.pf.coverages');
        hint.textContent = t('uw.pf.coveragesHint');
        [t('uw.qb.coverage'), t('uw.pf.sublimit'), t('uw.pf.share')].forEach((x, i) => { heads[i].textContent = x; });
        for (const r of rows) {
            r.name.textContent = covName(r.c);
            r.sub.setAttribute('aria-label', t('uw.pf.subFor', { coverage: covName(r.c) }));
            r.share.setAttribute('aria-label', t('uw.pf.shareFor', { coverage: covName(r.c) }));
        }
    };
    // [{code, sublimit, share_bp}], or a local error when an amount is not one
    const value = () => rows.filter((r) => r.box.checked).map((r) => {
        const sub = wanInputToFen(r.sub.value);
        if (sub === undefined) throw localError('coverages', () => t('uw.pf.subInvalid', { coverage: covName(r.c) }));
        const pct = Number(String(r.share.value).trim() || '100');
        if (!Number.isFinite(pct)) throw localError('coverages', () => t('uw.pf.shareInvalid', { coverage: covName(r.c) }));
        return { code: r.code, sublimit: sub, share_bp: Math.round(pct * 100) };
    });
    relabel();
    return { node, value, relabel };
}

// The pilot's target industries as checkboxes; relabel() writes their words.
function targetsBlock(testid, pilot, product) {
    const boxes = pilot.target_industries.map((x) => ({
        x, name: el('span'),
        box: el('input', { type: 'checkbox', id: `${testid}-target-${x.code}`, testid: `${testid}-target-${x.code}`, checked: (product?.target_industries ?? []).includes(x.code) }),
    }));
    const legend = el('legend');
    const node = el('fieldset', { class: 'field field--wide uw-fieldset', dataset: { field: 'target_industries' } }, legend,
        el('div', { class: 'uw-choices' }, boxes.map((b) => el('label', { class: 'uw-choice', for: b.box.id }, b.box, ' ', b.name))));
    const relabel = () => {
        legend.textContent = t('uw.pf.targets');
        for (const b of boxes) b.name.textContent = zhEn(b.x.name_zh, b.x.name_en);
    };
    relabel();
    return { node, relabel, value: () => boxes.filter((b) => b.box.checked).map((b) => b.x.code) };
}

// The form. product: the draft to change, or null to create one; pilot: GET
// /api/v1/ref/pilot; coverages: GET /api/v1/ref/coverages; onSaved(product).
export function productForm({ id, testid, product, pilot, coverages, onSaved }) {
    const p = product;
    const fields = [
        { name: 'name', label: () => t('uw.pf.name'), required: true, wide: true, value: p?.name ?? '' },
        { name: 'class', type: 'select', label: () => t('uw.pf.class'), required: true, value: p?.class ?? 'enterprise',
            options: () => [{ value: 'enterprise', label: t('uw.pf.classEnterprise') }, { value: 'product_service', label: t('uw.pf.classService') }] },
        { name: 'product_type', type: 'select', label: () => t('uw.pf.productType'), value: p?.product_type ?? '',
            options: () => [{ value: '', label: t('uw.pf.choose') }, ...pilot.product_classes.flatMap((g) => (g.items ?? [g]).map((x) => ({ value: x.code, label: zhEn(x.name_zh, x.name_en) })))] },
        { name: 'description', label: () => t('uw.pf.description'), wide: true, value: p?.description ?? '' },
        { name: 'retention_options', label: () => t('uw.pf.retentions'), hint: () => t('uw.pf.wanListHint'), required: true, value: listText(p?.retention_options) },
        { name: 'limit_options', label: () => t('uw.pf.limits'), hint: () => t('uw.pf.wanListHint'), required: true, value: listText(p?.limit_options) },
        { name: 'bi_waiting_hours', label: () => t('uw.pf.waiting'), hint: () => t('uw.pf.waitingHint'), inputmode: 'numeric', value: String(p?.bi_waiting_hours ?? 12) },
        { name: 'minimum_premium', label: () => t('uw.pf.minimum'), hint: () => t('uw.pf.minimumHint'), inputmode: 'decimal', value: yuanText(p?.minimum_premium) },
        { name: 'liability_trigger', type: 'select', label: () => t('uw.pf.trigger'), value: p?.liability_trigger ?? 'occurrence',
            options: () => [{ value: 'occurrence', label: t('uw.policy.trigger.occurrence') }, { value: 'claims_made', label: t('uw.policy.trigger.claims_made') }] },
        { name: 'retro_date', type: 'date', label: () => t('uw.pf.retro'), hint: () => t('uw.pf.retroHint'), value: p?.retro_date ?? '' },
    ];
    const covers = coveragesBlock(testid, coverages, p);
    const targets = targetsBlock(testid, pilot, p);
    const submit = async (v) => {
        const retention_options = wanListToFen(v.retention_options);
        if (retention_options === undefined) throw localError('retention_options', () => t('uw.pf.wanListInvalid'));
        const limit_options = wanListToFen(v.limit_options);
        if (limit_options === undefined) throw localError('limit_options', () => t('uw.pf.wanListInvalid'));
        const minimum = yuanInputToFen(v.minimum_premium);
        if (minimum === undefined) throw localError('minimum_premium', () => t('uw.pf.yuanInvalid'));
        const hours = String(v.bi_waiting_hours).trim();
        if (!/^\d+$/.test(hours)) throw localError('bi_waiting_hours', () => t('uw.pf.hoursInvalid'));
        const enterprise = v.class === 'enterprise';
        const claims = v.liability_trigger === 'claims_made';
        const body = {
            name: v.name, class: v.class, description: v.description,
            target_industries: enterprise ? targets.value() : [],
            product_type: enterprise || !v.product_type ? null : v.product_type,
            bi_waiting_hours: Number(hours), retention_options, limit_options,
            minimum_premium: minimum, coverages: covers.value(),
            liability_trigger: v.liability_trigger, retro_date: claims && v.retro_date ? v.retro_date : null,
        };
        const saved = p ? await api(`/api/v1/products/${p.id}`, { method: 'PATCH', body })
            : await api('/api/v1/products', { method: 'POST', body });
        onSaved(saved);
    };
    const f = createForm({ id, testid, fields, onSubmit: submit, submitLabel: () => (p ? t('uw.pf.save') : t('uw.pf.create')) });
    const grid = f.form.querySelector('.form__grid');
    grid.insertBefore(targets.node, grid.children[2]);
    grid.append(covers.node);
    const show = () => {
        const enterprise = f.input('class').value === 'enterprise';
        targets.node.hidden = !enterprise;
        f.toggle('product_type', !enterprise);
        f.toggle('retro_date', f.input('liability_trigger').value === 'claims_made');
    };
    f.input('class').addEventListener('change', show);
    f.input('liability_trigger').addEventListener('change', show);
    show();
    const relabel = f.relabel;
    f.relabel = () => {
        relabel();
        covers.relabel();
        targets.relabel();
    };
    return f;
}
