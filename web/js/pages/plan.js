// pages/plan.js — the pilot plan editor (plan.html?id=N, or ?annex=2|3|4
// &round=ID for a new one): the fields of Annex 2 (authority: 负责人, 联系人,
// 表1–3), Annex 3 (catalogued institution: its catalogue scheme, joint units,
// 表1–2) or Annex 4 (enterprise: sections 二–四), each text with its live 字数,
// the three sections against the round's minimum, every attached service
// scheme against its own minimum with its 单价保费及保额 in yuan (sent as fen),
// the route the plan will take and the trail it took. Actions: save,
// confirm one's unit, submit (the lead), return with comments (the holder).
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api } from '../api.js';
import { t, onLangChange } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, showError, param, scrollTable } from '../view.js';
import { NATURES, word } from '../format.js';
import { countZishu } from '../zishu.js';
import {
    textField, selectField, zishuField, editTable, counter, showFieldError, clearFieldErrors,
    statusWord, when, yuanToFen, fenToYuan,
} from '../pilot/ui.js';

let root;
let session;
let round;
let record = null;
let annex;
let catalogueId = '';
let form = {};
let flash = '';

const SECTIONS = { 2: ['approach', 'arrangement', 'organisation'], 3: ['approach', 'arrangement', 'organisation'], 4: ['it_status', 'security_status', 'insurance_needs'] };

export async function mount(main, ctx) {
    session = ctx.session;
    root = main.querySelector('[data-testid="plan-view"]');
    try {
        const id = param('id');
        if (id) {
            record = await api(`/api/v1/plans/${encodeURIComponent(id)}`);
            form = structuredClone(record.form);
            annex = record.annex;
        } else {
            annex = Number(param('annex')) || 4;
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

const editable = () => !record || (['draft', 'returned'].includes(record.status) && record.author_org_id === session.organisation.id);

function attachedTotal(s) {
    return ['name', 'institutions', 'process', 'security', 'premium_note'].reduce((n, k) => n + countZishu(s[k] ?? ''), 0);
}

function render() {
    const L = round.limits;
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'plan-error', hidden: true });
    const set = (k) => (v) => { form[k] = v; };
    const sec = (form.sections ??= {});
    const total = counter('plan-sections-total');
    const refresh = () => total.set(SECTIONS[annex].reduce((n, k) => n + countZishu(sec[k] ?? ''), 0), { min: L.plan_body_zishu_min });
    const parts = [];

    parts.push(textField({ id: 'plan-name', testid: 'plan-name', field: 'name', label: t('s.name'), value: form.name, onInput: set('name') }).node);
    if (annex === 3 && !record)
        parts.push(textField({ id: 'plan-catalogue', testid: 'plan-catalogue', field: 'catalogue_scheme_id', label: t('p.catalogue_scheme'), value: catalogueId,
            onInput: (v) => { catalogueId = v; } }).node);
    if (annex === 2) {
        const leader = (form.leader ??= {}), contact = (form.contact ??= {});
        parts.push(el('h3', {}, t('p.leader')),
            el('div', { class: 'form__grid' }, ['name', 'title'].map((k) => textField({ id: `plan-leader-${k}`, testid: `plan-leader-${k}`, field: `leader.${k}`,
                label: t(`p.leader.${k}`), value: leader[k], onInput: (v) => { leader[k] = v; } }).node)),
            el('h3', {}, t('p.contact')),
            el('div', { class: 'form__grid' }, ['name', 'department', 'title', 'phone', 'email'].map((k) => textField({ id: `plan-contact-${k}`, testid: `plan-contact-${k}`,
                field: `contact.${k}`, label: t(`p.contact.${k}`), value: contact[k], onInput: (v) => { contact[k] = v; } }).node)));
    } else {
        parts.push(
            selectField({ id: 'plan-direction', testid: 'plan-direction', field: 'direction', label: t('s.direction'), value: form.direction ?? '',
                options: [{ value: '', label: t('s.dir.none') }, { value: 'enterprise', label: t('s.dir.enterprise') }, { value: 'product_service', label: t('s.dir.product_service') }],
                onInput: set('direction') }).node,
            textField({ id: 'plan-industry', testid: 'plan-industry', field: 'industry', label: `${t('s.industry')} / ${t('s.product')}`,
                value: form.industry ?? form.product ?? '', onInput: (v) => { if (form.direction === 'product_service') form.product = v; else form.industry = v; } }).node,
            zishuField({ id: 'plan-unit-intro', testid: 'plan-unit-intro', field: 'unit_intro', label: t('s.unit_intro'), value: form.unit_intro, limits: { max: L.unit_intro_zishu_max }, rows: 4, onInput: set('unit_intro') }).node,
            editTable({ testid: 'plan-joint', field: 'joint_units', caption: t('s.joint'), max: L.joint_units_max,
                columns: [{ key: 'name', label: t('s.joint.name') },
                    { key: 'nature', label: t('s.joint.nature'), type: 'select', options: NATURES.map((n) => ({ value: n, label: word('nature', n) })) },
                    { key: 'uscc', label: t('s.joint.uscc') }],
                rows: form.joint_units ?? [], onChange: (rows) => { form.joint_units = rows; } }).node);
    }
    parts.push(el('h3', {}, annex === 4 ? t('p.sections4') : t('p.sections')),
        el('div', { class: 'field field--wide', dataset: { field: 'sections' } },
            el('p', {}, t('p.sections.total')), total.node, el('p', { class: 'field__error', hidden: true, dataset: { errorFor: 'sections' } })),
        SECTIONS[annex].map((k) => zishuField({ id: `plan-sec-${k}`, testid: `plan-sec-${k}`, field: `sections.${k}`, label: t(`p.sec.${k}`), value: sec[k], rows: 8,
            onInput: (v) => { sec[k] = v; refresh(); } }).node));
    const col = (k) => ({ key: k, label: t(`p.col.${k}`) });
    if (annex === 2)
        parts.push(editTable({ testid: 'plan-institutions', field: 'institutions', caption: t('p.institutions'), columns: ['name', 'type', 'contact', 'role'].map(col),
            rows: form.institutions ?? [], onChange: (rows) => { form.institutions = rows; } }).node);
    if (annex !== 4)
        parts.push(
            editTable({ testid: 'plan-targets', field: 'targets', caption: t('p.targets'), columns: ['name', 'industry', 'contact', 'phone_email'].map(col),
                rows: form.targets ?? [], onChange: (rows) => { form.targets = rows; } }).node,
            editTable({ testid: 'plan-scheme-table', field: 'scheme_table', caption: t('p.scheme_table'),
                columns: [col('name'), { key: 'kind', label: t('p.col.kind'), type: 'select', options: [{ value: 'enterprise', label: t('s.dir.enterprise') }, { value: 'product_service', label: t('s.dir.product_service') }] },
                    col('industry'), col('contact'), col('phone_email')],
                rows: form.scheme_table ?? [], onChange: (rows) => { form.scheme_table = rows; } }).node);
    parts.push(attachedSection(L));

    const save = el('button', { type: 'button', class: 'btn btn--primary', testid: 'plan-save' }, t('pl.save'));
    save.addEventListener('click', () => run(box, async () => {
        const body = { ...form };
        const out = record
            ? await api(`/api/v1/plans/${record.id}`, { method: 'PATCH', body })
            : await api('/api/v1/plans', { method: 'POST', body: { round_id: round.id, annex, ...(annex === 3 && catalogueId ? { catalogue_scheme_id: Number(catalogueId) } : {}), ...body } });
        if (!record) history.replaceState(null, '', `/plan.html?id=${out.id}`);
        return [out, t('pl.saved')];
    }));
    const submit = el('button', { type: 'button', class: 'btn', testid: 'plan-submit' }, t('pl.submit'));
    submit.addEventListener('click', () => run(box, async () => [await api(`/api/v1/plans/${record.id}/submit`, { method: 'POST' }), t('pl.submitted')]));

    const main = el('section', { class: 'card card--wide', testid: 'plan-form' },
        el('h2', { testid: 'plan-title', dataset: { annex: String(annex) } }, t('p.heading', { annex }), ' · ', t(`p.annex${annex}`)),
        record ? el('p', { testid: 'plan-status', dataset: { status: record.status } }, statusWord(record.status),
            record.holder_name ? ` · ${t('p.holder', { name: record.holder_name })}` : '',
            record.return_comment ? ` · ${t('p.returned', { comment: record.return_comment })}` : '') : null,
        el('p', { class: 'muted', testid: 'plan-saved', role: 'status', hidden: !flash }, flash),
        box, parts,
        el('div', { class: 'form__actions' }, editable() ? save : null, record && editable() ? submit : null));
    refresh();
    if (!editable()) for (const c of main.querySelectorAll('input, select, textarea, .btn--small, [data-testid$="-add"]')) c.disabled = true;
    showReady(root, main, record ? trailCard(box) : null);
}

function attachedSection(L) {
    const list = (form.schemes ??= []);
    const node = el('div', { class: 'field field--wide', dataset: { field: 'schemes' }, testid: 'plan-attached' });
    const paint = () => node.replaceChildren(
        el('h3', {}, t('p.attached')),
        ...list.map((s, i) => {
            const c = counter('plan-att-total');
            const upd = () => c.set(attachedTotal(s), { min: L.attached_scheme_zishu_min });
            const z = (k) => zishuField({ id: `plan-att-${i}-${k}`, testid: `plan-att-${k}`, field: `schemes[${i}].${k}`, label: t(`p.att.${k}`), value: s[k], rows: 6,
                onInput: (v) => { s[k] = v; upd(); } }).node;
            const money = (k, label) => textField({ id: `plan-att-${i}-${k}`, testid: `plan-att-${k}`, field: `schemes[${i}].${k}`, label, value: fenToYuan(s[k]),
                onInput: (v) => { const fen = yuanToFen(v); if (fen === undefined) s[k] = -1; else if (fen === null) delete s[k]; else s[k] = fen; } }).node;
            const block = el('fieldset', { class: 'attached', testid: 'plan-att', dataset: { field: `schemes[${i}]` } },
                el('legend', {}, t('p.att.n', { n: i + 1 })),
                textField({ id: `plan-att-${i}-name`, testid: 'plan-att-name', field: `schemes[${i}].name`, label: t('p.att.name'), value: s.name, onInput: (v) => { s.name = v; upd(); } }).node,
                z('institutions'), z('process'), z('security'),
                el('div', { class: 'form__grid' }, money('unit_premium_fen', t('p.att.premium')), money('sum_insured_fen', t('p.att.sum'))),
                textField({ id: `plan-att-${i}-note`, testid: 'plan-att-note', field: `schemes[${i}].premium_note`, label: t('p.att.note'), value: s.premium_note, onInput: (v) => { s.premium_note = v; upd(); } }).node,
                el('p', {}, t('p.att.total')), c.node,
                el('p', { class: 'field__error', hidden: true, dataset: { errorFor: `schemes[${i}]` } }));
            upd();
            return block;
        }),
        (() => {
            const add = el('button', { type: 'button', class: 'btn', testid: 'plan-att-add' }, t('p.att.add'));
            add.addEventListener('click', () => { list.push({}); paint(); });
            return add;
        })(),
        el('p', { class: 'field__error', hidden: true, dataset: { errorFor: 'schemes' } }));
    paint();
    return node;
}

function trailCard(box) {
    const me = session.organisation.id;
    const mine = record.units.find((u) => u.org_id === me);
    const parts = [
        el('h2', {}, t('p.route')),
        el('ol', { testid: 'plan-route' }, record.route.map((s) => el('li', { dataset: { level: s.level } }, s.org_name ?? s.region_code))),
        el('h3', {}, t('p.hops')),
        scrollTable('plan-hops-t', 'plan-hops', t('p.hops'), [{ text: '' }, { text: t('i.from') }, { text: t('pl.col.holder') }, { text: t('pl.col.updated') }],
            record.hops.map((h) => el('tr', { testid: 'hop-row', dataset: { kind: h.kind } },
                el('td', {}, h.kind), el('th', { scope: 'row' }, h.from_name), el('td', {}, h.to_name), el('td', {}, when(h.received_at))))),
    ];
    if (record.annex !== 2) {
        parts.push(scrollTable('plan-units-t', 'units-table', t('pl.units'), [{ text: '' }, { text: t('s.joint.name') }, { text: t('pl.col.status') }],
            record.units.map((u) => el('tr', { testid: 'unit-row', dataset: { confirmed: String(u.confirmed_at !== null) } },
                el('td', {}, u.seq === 0 ? t('pl.unit.lead') : t('pl.unit.joint')), el('th', { scope: 'row' }, u.name),
                el('td', {}, u.confirmed_at ? t('pl.unit.confirmed', { name: u.legal_representative, at: when(u.confirmed_at) }) : t('pl.unit.pending'))))));
        if (mine && ['draft', 'returned'].includes(record.status) && session.user.role === 'admin') {
            const rep = el('input', { id: 'plan-legal-rep', type: 'text', testid: 'plan-legal-rep', dataset: { field: 'legal_representative' } });
            const b = el('button', { type: 'button', class: 'btn', testid: 'plan-confirm' }, t('pl.confirm'));
            b.addEventListener('click', () => run(box, async () => [await api(`/api/v1/plans/${record.id}/confirm`, { method: 'POST', body: { legal_representative: rep.value } }), t('pl.confirmed')]));
            parts.push(el('div', { class: 'field field--wide', dataset: { field: 'legal_representative' } }, el('p', {}, t('pl.confirmText')),
                el('label', { for: 'plan-legal-rep' }, t('pl.legalRep')), rep, b, el('p', { class: 'field__error', hidden: true, dataset: { errorFor: 'legal_representative' } })));
        }
    }
    if (record.holder_org_id === me && record.author_org_id !== me && record.status === 'submitted') {
        const c = el('input', { id: 'plan-return-comment', type: 'text', testid: 'plan-return-comment', dataset: { field: 'comment' } });
        const b = el('button', { type: 'button', class: 'btn', testid: 'plan-return' }, t('p.return'));
        b.addEventListener('click', () => run(box, async () => [await api(`/api/v1/plans/${record.id}/return`, { method: 'POST', body: { comment: c.value } }), t('pl.status.returned')]));
        parts.push(el('div', { class: 'field field--wide', dataset: { field: 'comment' } }, el('label', { for: 'plan-return-comment' }, t('p.returnComment')), c, b,
            el('p', { class: 'field__error', hidden: true, dataset: { errorFor: 'comment' } })));
    }
    return el('section', { class: 'card card--wide', testid: 'plan-trail' }, parts);
}

async function run(box, fn) {
    clearFieldErrors(root, box);
    try {
        const [out, text] = await fn();
        record = out;
        form = structuredClone(out.form);
        annex = out.annex;
        flash = text;
        render();
    } catch (err) {
        showFieldError(root, box, err);
    }
}
