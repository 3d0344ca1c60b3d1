// pages/scheme.js — the Annex 1 scheme editor (scheme.html?id=N, or
// ?round=ID for a new one): every field of the form in the form's outline,
// the live 字数 of each text against the round's limits (unit_intro and
// overview at most, the 服务方案 body at least), joint units and cases as
// editable rows, and the actions the caller may take: save (POST / PATCH),
// confirm its own unit's declarations (admins of a unit), submit (the lead),
// recommend (provincial authorities, 计划单列市, 通信管理局). The server is the
// judge of every rule; its refusal shows next to the field it names.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api } from '../api.js';
import { t, onLangChange, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, showError, param, scrollTable } from '../view.js';
import { NATURES, word } from '../format.js';
import { countZishu } from '../zishu.js';
import {
    textField, selectField, zishuField, editTable, counter, showFieldError, clearFieldErrors,
    statusWord, when,
} from '../pilot/ui.js';

let root;
let session;
let round;
let ref;
let record = null; // the scheme as the server answered, or null for a new one
let form = {};
let flash = '';

export async function mount(main, ctx) {
    session = ctx.session;
    root = main.querySelector('[data-testid="scheme-view"]');
    try {
        const id = param('id');
        ref = await api('/api/v1/ref/pilot');
        if (id) {
            record = await api(`/api/v1/schemes/${encodeURIComponent(id)}`);
            form = structuredClone(record.form);
        }
        const roundId = record?.round_id ?? param('round') ?? (await api('/api/v1/rounds')).items.at(-1).id;
        round = await api(`/api/v1/rounds/${encodeURIComponent(roundId)}`);
    } catch (err) {
        showError(root, err, 'pl.loadFailed');
        return;
    }
    render();
    onLangChange(render);
}

const editable = () => !record || (record.status === 'draft' && record.lead.id === session.organisation.id);

function bodyTotal() {
    const b = form.body ?? {};
    let n = ['background', 'service', 'team', 'promotion'].reduce((s, k) => s + countZishu(b[k] ?? ''), 0);
    for (const c of b.cases ?? []) n += countZishu(c.title ?? '') + countZishu(c.text ?? '');
    return n;
}

function render() {
    const L = round.limits;
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'scheme-error', hidden: true });
    const set = (k) => (v) => { form[k] = v; };
    const body = (form.body ??= {});
    const total = counter('scheme-body-total');
    const refreshTotal = () => total.set(bodyTotal(), { min: L.scheme_body_zishu_min });
    const bodyField = (k, rows = 8) => zishuField({
        id: `scheme-${k}`, testid: `scheme-${k}`, field: `body.${k}`, label: t(`s.${k}`), value: body[k], rows,
        onInput: (v) => { body[k] = v; refreshTotal(); },
    }).node;

    const dirOpts = [{ value: '', label: t('s.dir.none') }, { value: 'enterprise', label: t('s.dir.enterprise') }, { value: 'product_service', label: t('s.dir.product_service') }];
    const industry = selectField({ id: 'scheme-industry', testid: 'scheme-industry', field: 'industry', label: t('s.industry'), value: form.industry ?? '',
        options: [{ value: '', label: t('s.dir.none') }, ...ref.target_industries.map((c) => ({ value: c.code, label: pickBilingual(`${c.name_zh} / ${c.name_en}`) }))],
        onInput: set('industry') });
    const product = selectField({ id: 'scheme-product', testid: 'scheme-product', field: 'product', label: t('s.product'), value: form.product ?? '',
        options: [{ value: '', label: t('s.dir.none') }, ...ref.product_classes.map((c) => ({ value: c.code, label: pickBilingual(`${c.name_zh} / ${c.name_en}`) }))],
        onInput: set('product') });
    const showDir = () => {
        industry.node.hidden = form.direction !== 'enterprise';
        product.node.hidden = form.direction !== 'product_service';
        if (form.direction === 'enterprise') delete form.product;
        if (form.direction === 'product_service') delete form.industry;
    };
    const direction = selectField({ id: 'scheme-direction', testid: 'scheme-direction', field: 'direction', label: t('s.direction'), value: form.direction ?? '', options: dirOpts,
        onInput: (v) => { form.direction = v; showDir(); } });

    const joint = editTable({ testid: 'scheme-joint', field: 'joint_units', caption: t('s.joint'), max: L.joint_units_max,
        columns: [{ key: 'name', label: t('s.joint.name') },
            { key: 'nature', label: t('s.joint.nature'), type: 'select', options: NATURES.map((n) => ({ value: n, label: word('nature', n) })) },
            { key: 'uscc', label: t('s.joint.uscc') }],
        rows: form.joint_units ?? [], onChange: (rows) => { form.joint_units = rows; } });

    const cases = el('div', { class: 'field field--wide cases', dataset: { field: 'body.cases' }, testid: 'scheme-cases' });
    const paintCases = () => {
        const list = (body.cases ??= []);
        cases.replaceChildren(
            el('h4', {}, t('s.cases')),
            el('p', { class: 'muted', testid: 'scheme-cases-count', dataset: { count: String(list.length) } },
                `${list.length} / ${L.cases_min}–${L.cases_max}`),
            ...list.map((c, i) => el('div', { class: 'case', testid: 'scheme-case' },
                textField({ id: `scheme-case-${i}-title`, testid: 'scheme-case-title', field: `body.cases[${i}].title`, label: `${t('s.case.title')} ${i + 1}`, value: c.title,
                    onInput: (v) => { c.title = v; refreshTotal(); } }).node,
                zishuField({ id: `scheme-case-${i}-text`, testid: 'scheme-case-text', field: `body.cases[${i}].text`, label: t('s.case.text'), value: c.text, rows: 5,
                    onInput: (v) => { c.text = v; refreshTotal(); } }).node,
                (() => {
                    const rm = el('button', { type: 'button', class: 'btn btn--small', testid: 'scheme-case-remove' }, t('pl.removeRow'));
                    rm.addEventListener('click', () => { list.splice(i, 1); paintCases(); refreshTotal(); });
                    return rm;
                })())),
            (() => {
                const add = el('button', { type: 'button', class: 'btn', testid: 'scheme-case-add' }, t('pl.addRow'));
                add.addEventListener('click', () => { list.push({ title: '', text: '' }); paintCases(); });
                return add;
            })(),
            el('p', { class: 'field__error', hidden: true, dataset: { errorFor: 'body.cases' } }));
    };
    paintCases();

    const materials = (k) => zishuField({ id: `scheme-materials-${k}`, testid: `scheme-materials-${k}`, field: `materials.${k}`, label: t(`s.materials.${k}`),
        value: (form.materials?.[k] ?? []).join('\n'), rows: 4,
        onInput: (v) => { (form.materials ??= {})[k] = v.split('\n').map((x) => x.trim()).filter(Boolean); } }).node;

    const save = el('button', { type: 'button', class: 'btn btn--primary', testid: 'scheme-save' }, t('pl.save'));
    save.addEventListener('click', () => run(box, async () => {
        const out = record
            ? await api(`/api/v1/schemes/${record.id}`, { method: 'PATCH', body: form })
            : await api('/api/v1/schemes', { method: 'POST', body: { round_id: round.id, ...form } });
        if (!record) history.replaceState(null, '', `/scheme.html?id=${out.id}`);
        return [out, t('pl.saved')];
    }));

    const form1 = el('section', { class: 'card card--wide', testid: 'scheme-form', 'aria-labelledby': 'scheme-h' },
        el('h2', { id: 'scheme-h', testid: 'scheme-title' }, t('s.heading')),
        statusLine(),
        el('p', { class: 'muted', testid: 'scheme-saved', role: 'status', hidden: !flash }, flash),
        box,
        el('h3', {}, t('s.basic')),
        el('div', { class: 'form__grid' },
            textField({ id: 'scheme-name', testid: 'scheme-name', field: 'name', label: t('s.name'), value: form.name, onInput: set('name') }).node,
            textField({ id: 'scheme-location', testid: 'scheme-location', field: 'location', label: t('s.location'), value: form.location, onInput: set('location') }).node,
            textField({ id: 'scheme-leader-name', testid: 'scheme-leader-name', field: 'leader_name', label: t('s.leader_name'), value: form.leader_name, onInput: set('leader_name') }).node,
            textField({ id: 'scheme-leader-title', testid: 'scheme-leader-title', field: 'leader_title', label: t('s.leader_title'), value: form.leader_title, onInput: set('leader_title') }).node,
            direction.node, industry.node, product.node,
            textField({ id: 'scheme-direction-note', testid: 'scheme-direction-note', field: 'direction_note', label: t('s.direction_note'), value: form.direction_note, onInput: set('direction_note') }).node),
        zishuField({ id: 'scheme-unit-intro', testid: 'scheme-unit-intro', field: 'unit_intro', label: t('s.unit_intro'), value: form.unit_intro, limits: { max: L.unit_intro_zishu_max }, rows: 5, onInput: set('unit_intro') }).node,
        zishuField({ id: 'scheme-overview', testid: 'scheme-overview', field: 'overview', label: t('s.overview'), value: form.overview, limits: { max: L.overview_zishu_max }, rows: 5, onInput: set('overview') }).node,
        joint.node,
        el('h3', {}, t('s.body')),
        el('div', { class: 'field field--wide', dataset: { field: 'body' } },
            el('p', {}, t('s.body.total')), total.node, el('p', { class: 'field__error', hidden: true, dataset: { errorFor: 'body' } })),
        bodyField('background'), bodyField('service', 12), bodyField('team'), cases, bodyField('promotion'),
        el('h3', {}, t('s.materials')),
        materials('unit'), materials('scheme'),
        el('div', { class: 'form__actions' }, editable() ? save : null, record && editable() ? submitButton(box) : null));
    showDir();
    refreshTotal();
    if (!editable()) for (const c of form1.querySelectorAll('input, select, textarea, .btn--small, [data-testid$="-add"]')) c.disabled = true;
    showReady(root, form1, record ? unitsCard(box) : null, record ? recommendCard(box) : null);
}

function statusLine() {
    if (!record) return null;
    return el('p', { testid: 'scheme-status', dataset: { status: record.status } },
        statusWord(record.status),
        record.received_at ? ` · ${t('s.received', { at: when(record.received_at) })}` : '',
        record.catalogue_code ? ` · ${t('s.catalogue', { code: record.catalogue_code })}` : '');
}

function submitButton(box) {
    const b = el('button', { type: 'button', class: 'btn', testid: 'scheme-submit' }, t('pl.submit'));
    b.addEventListener('click', () => run(box, async () => [await api(`/api/v1/schemes/${record.id}/submit`, { method: 'POST' }), t('pl.submitted')]));
    return b;
}

function unitsCard(box) {
    const mine = record.units.find((u) => u.org_id === session.organisation.id);
    const rep = el('input', { id: 'scheme-legal-rep', type: 'text', testid: 'scheme-legal-rep', dataset: { field: 'legal_representative' } });
    const confirm = el('button', { type: 'button', class: 'btn', testid: 'scheme-confirm' }, t('pl.confirm'));
    confirm.addEventListener('click', () => run(box, async () => [
        await api(`/api/v1/schemes/${record.id}/confirm`, { method: 'POST', body: { legal_representative: rep.value } }), t('pl.confirmed')]));
    return el('section', { class: 'card card--wide', testid: 'scheme-units' },
        el('h2', {}, t('pl.units')),
        scrollTable('scheme-units-t', 'units-table', t('pl.units'),
            [{ text: '' }, { text: t('s.joint.name') }, { text: t('s.joint.uscc') }, { text: t('pl.col.status') }],
            record.units.map((u) => el('tr', { testid: 'unit-row', dataset: { seq: String(u.seq), confirmed: String(u.confirmed_at !== null) } },
                el('td', {}, u.seq === 0 ? t('pl.unit.lead') : t('pl.unit.joint')),
                el('th', { scope: 'row' }, u.name),
                el('td', {}, u.uscc),
                el('td', {}, u.org_id === null ? t('pl.unit.unregistered')
                    : u.confirmed_at ? t('pl.unit.confirmed', { name: u.legal_representative, at: when(u.confirmed_at) }) : t('pl.unit.pending'))))),
        mine && record.status === 'draft' && session.user.role === 'admin'
            ? el('div', { class: 'field field--wide', dataset: { field: 'legal_representative' } },
                el('p', {}, t('pl.confirmText')),
                el('label', { for: 'scheme-legal-rep' }, t('pl.legalRep')), rep, confirm,
                el('p', { class: 'field__error', hidden: true, dataset: { errorFor: 'legal_representative' } }))
            : null);
}

function recommendCard(box) {
    const type = session.organisation.type;
    const list = el('ul', { testid: 'scheme-recommendations' },
        record.recommendations.map((r) => el('li', {}, `${r.org_name}：${r.text}`)));
    if (!['province', 'city', 'comm_admin'].includes(type) || record.status === 'draft')
        return record.recommendations.length ? el('section', { class: 'card card--wide' }, el('h2', {}, t('s.recommend')), list) : null;
    const text = el('textarea', { id: 'scheme-recommend-text', rows: '3', testid: 'scheme-recommend-text', dataset: { field: 'text' } });
    const b = el('button', { type: 'button', class: 'btn', testid: 'scheme-recommend' }, t('s.recommend.submit'));
    b.addEventListener('click', () => run(box, async () => [
        await api(`/api/v1/schemes/${record.id}/recommendations`, { method: 'POST', body: { text: text.value } }), t('pl.saved')]));
    return el('section', { class: 'card card--wide' }, el('h2', {}, t('s.recommend')), list,
        el('div', { class: 'field field--wide', dataset: { field: 'text' } },
            el('label', { for: 'scheme-recommend-text' }, t('s.recommend')), text, b,
            el('p', { class: 'field__error', hidden: true, dataset: { errorFor: 'text' } })));
}

// Run an action; on success re-render from the answer, else show the refusal by its field.
async function run(box, fn) {
    clearFieldErrors(root, box);
    try {
        const [out, text] = await fn();
        record = out;
        form = structuredClone(out.form);
        flash = text;
        render();
        root.querySelector('[data-testid="scheme-saved"]')?.focus?.();
    } catch (err) {
        showFieldError(root, box, err);
    }
}
