// pages/plan.js — the pilot plan editor (plan.html?id=N, or ?annex=2|3|4
// &round=ID for a new one): the fields of Annex 2 (authority: 负责人, 联系人,
// 表1–3), Annex 3 (catalogued institution: its catalogue scheme, joint units,
// 表1–2) or Annex 4 (enterprise: sections 二–四), each text with its live 字数,
// the three sections against the round's minimum, every attached service
// scheme against its own minimum with its 单价保费及保额 in yuan (sent as fen),
// the route the plan will take and the trail it took in words. Coded cells
// (行业领域, 机构类型, 方案类型) are lists of the reference data; an authority's
// 表2 can be filled from the Annex 4 plans it received (GET
// /api/v1/plan-targets); amounts are typed in 元 or 万元. Actions: save (a
// change voids the units' confirmations and says so), confirm one's unit
// (the declarations shown word for word), submit (the lead), return with
// comments (the holder). A visitor who may not write sees it read-only.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { can } from '../session.js';
import { showReady, param, scrollTable, loadedPage } from '../view.js';
import { downloadBar } from '../download.js';
import { countZishu } from '../zishu.js';
import {
    textField, selectField, zishuField, editTable, counter, errorLine, button, actionField, confirmField,
    directionOptions, directionFields, jointUnitsTable, lockForm, unitStatus, unitRole, runAction, statusWord, when,
    leadInfoFields, leadInfoFrom, codeOptions, declarationBlock, warningList, amountField, amountsValid, trailList, savedText,
} from '../pilot/ui.js';

const here = { view: null, session: null }; // the view mount() made, the visitor's session
let round;
let record = null;
let annex;
let catalogueId = '';
let form = {};
let flash = '';
let ref;
let catalogue = []; // Annex 3: the caller's schemes in the round's catalogue

const SECTIONS = { 2: ['approach', 'arrangement', 'organisation'], 3: ['approach', 'arrangement', 'organisation'], 4: ['it_status', 'security_status', 'insurance_needs'] };

export const page = loadedPage(here, {
    title: 'title.plan',
    view: 'plan-view',
    load,
    render,
});

// The plan of ?id=, or a new one of ?annex= (default 4), and its round.
async function load() {
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
    ref = await api('/api/v1/ref/pilot');
    if (annex !== 2 && !form.lead_info && editable())
        form.lead_info = leadInfoFrom(await api(`/api/v1/organisations/${here.session.organisation.id}`));
    if (annex === 3 && !record)
        catalogue = (await apiList('/api/v1/catalogue', { query: { round_id: round.id } }))
            .filter((e) => e.lead_org_id === here.session.organisation.id);
}

// The limits in force for this annex.
const limits = () => round.annexes?.[annex]?.limits ?? round.limits;

// What the caller may do with the stored plan: the server says, in the
// record's "actions" (edit, submit, confirm, waive, return, select).
const may = (action) => Boolean(record?.actions?.includes(action));

// A new plan: the role writes this annex's plans (plan2.write …); a stored one: the record allows "edit".
const editable = () => (record ? may('edit') : can(here.session, `plan${annex}.write`));

function attachedTotal(s) {
    return ['name', 'institutions', 'process', 'security', 'premium_note'].reduce((n, k) => n + countZishu(s[k] ?? ''), 0);
}

const set = (k) => (v) => { form[k] = v; };
const table = (testid, field, caption, columns) =>
    editTable({ testid, field, caption, columns, rows: form[field] ?? [], onChange: (rows) => { form[field] = rows; } }).node;
const col = (k) => ({ key: k, label: t(`p.col.${k}`) });
const listCol = (k, list) => ({ key: k, label: t(`p.col.${k}`), type: 'select', options: codeOptions(list) });

function render() {
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'plan-error', hidden: true });
    const editor = el('section', { class: 'card card--wide', testid: 'plan-form' },
        el('h2', { testid: 'plan-title', dataset: { annex: String(annex) } }, t('p.heading', { annex }), ' · ', t(`p.annex${annex}`)),
        statusLine(),
        el('p', { class: 'muted', testid: 'plan-saved', role: 'status', hidden: !flash }, flash),
        box,
        textField({ id: 'plan-name', testid: 'plan-name', field: 'name', label: t('s.name'), value: form.name, onInput: set('name') }).node,
        annex === 3 && !record ? selectField({ id: 'plan-catalogue', testid: 'plan-catalogue', field: 'catalogue_scheme_id', label: t('p.catalogue_scheme'),
            value: catalogueId, options: [{ value: '', label: t('s.dir.none') }, ...catalogue.map((e) => ({ value: String(e.scheme_id), label: `${e.code} ${e.name}` }))],
            onInput: (v) => { catalogueId = v; } }).node : null,
        annex === 2 ? authorityFields() : institutionFields(),
        sections(),
        annex === 2 ? table('plan-institutions', 'institutions', t('p.institutions'),
            [col('name'), listCol('type', ref.institution_kinds), col('contact'), col('role')]) : null,
        annex !== 4 ? targetTables(box) : null,
        attachedSection(limits()),
        el('div', { class: 'form__actions' },
            editable() ? button('plan-save', t('pl.save'), () => save(box), 'btn--primary') : null,
            record && may('submit') ? button('plan-submit', t('pl.submit'), () => run(box, async () =>
                [await api(`/api/v1/plans/${record.id}/submit`, { method: 'POST' }), t('pl.submitted')])) : null));
    if (!editable()) lockForm(editor);
    const docs = record ? downloadBar(`/api/v1/plans/${record.id}/document`, annex === 4 ? ['docx', 'pdf'] : ['docx', 'xlsx', 'pdf'], `plan-${record.id}`) : null;
    showReady(here.view, editor, docs, record ? trailCard(box) : null);
}

// 表2 from the Annex 4 plans the authority received: the enterprises not yet in the table.
async function importTargets(box) {
    return runAction(here.view, box, async () => {
        const rows = (await apiList('/api/v1/plan-targets', { query: { round_id: round.id } }));
        const have = new Set((form.targets ?? []).map((r) => r.name));
        const added = rows.filter((r) => !have.has(r.name));
        form.targets = [...(form.targets ?? []), ...added];
        return [record, t('p.targets.imported', { n: added.length })];
    }, (_out, text) => {
        flash = text;
        render();
    });
}

function statusLine() {
    if (!record) return null;
    return el('p', { testid: 'plan-status', dataset: { status: record.status } }, statusWord(record.status),
        record.holder_name ? ` · ${t('p.holder', { name: record.holder_name })}` : '',
        record.return_comment ? ` · ${t('p.returned', { comment: record.return_comment })}` : '');
}

// Annex 2: the authority's 负责人 and 联系人.
function authorityFields() {
    const leader = (form.leader ??= {});
    const contact = (form.contact ??= {});
    const grid = (obj, name, keys) => el('div', { class: 'form__grid' }, keys.map((k) => textField({
        id: `plan-${name}-${k}`, testid: `plan-${name}-${k}`, field: `${name}.${k}`,
        label: t(`p.${name}.${k}`), value: obj[k], onInput: (v) => { obj[k] = v; } }).node));
    return [
        el('h3', {}, t('p.leader')), grid(leader, 'leader', ['name', 'title']),
        el('h3', {}, t('p.contact')), grid(contact, 'contact', ['name', 'department', 'title', 'phone', 'email']),
    ];
}

// Annexes 3 and 4: the direction, the unit's introduction and the joint units.
function institutionFields() {
    const L = limits();
    return [
        el('h3', {}, t('pl.lead.heading')), leadInfoFields('plan', form.lead_info ??= {}, ref.institution_kinds),
        el('div', { class: 'form__grid' }, directionFields('plan', form, ref)),
        zishuField({ id: 'plan-unit-intro', testid: 'plan-unit-intro', field: 'unit_intro', label: t('s.unit_intro'), value: form.unit_intro,
            limits: { max: L.unit_intro_zishu_max }, rows: 4, onInput: set('unit_intro') }).node,
        jointUnitsTable({ testid: 'plan-joint', max: L.joint_units_max, rows: form.joint_units ?? [], kinds: ref.institution_kinds,
            onChange: (rows) => { form.joint_units = rows.map(({ kind, ...u }) => (kind ? { ...u, kind } : u)); } }).node,
    ];
}

// The three sections with their total 字数 against the round's minimum.
function sections() {
    const sec = (form.sections ??= {});
    const total = counter('plan-sections-total');
    const refresh = () => total.set(SECTIONS[annex].reduce((n, k) => n + countZishu(sec[k] ?? ''), 0), { min: limits().plan_body_zishu_min });
    refresh();
    return [
        el('h3', {}, annex === 4 ? t('p.sections4') : t('p.sections')),
        el('div', { class: 'field field--wide', dataset: { field: 'sections' } },
            el('p', {}, t('p.sections.total')), total.node, errorLine('sections')),
        SECTIONS[annex].map((k) => zishuField({ id: `plan-sec-${k}`, testid: `plan-sec-${k}`, field: `sections.${k}`, label: t(`p.sec.${k}`), value: sec[k], rows: 8,
            onInput: (v) => { sec[k] = v; refresh(); } }).node),
    ];
}

// Annexes 2 and 3: the target enterprises (an authority's from the plans it received) and the schemes table.
function targetTables(box) {
    const kinds = directionOptions().filter((o) => o.value !== '');
    return [
        table('plan-targets', 'targets', t('p.targets'),
            [col('name'), listCol('industry', ref.target_industries), col('contact'), col('phone_email')]),
        annex === 2 && editable() ? button('plan-targets-import', t('p.targets.import'), () => importTargets(box)) : null,
        table('plan-scheme-table', 'scheme_table', t('p.scheme_table'),
            [col('name'), { key: 'kind', label: t('p.col.kind'), type: 'select', options: kinds }, listCol('industry', ref.target_industries),
                col('contact'), col('phone_email')]),
    ];
}

function save(box) {
    if (!amountsValid(here.view)) return Promise.resolve();
    return run(box, async () => {
        const body = { ...form };
        const out = record
            ? await api(`/api/v1/plans/${record.id}`, { method: 'PATCH', body })
            : await api('/api/v1/plans', { method: 'POST', body: { round_id: round.id, annex, ...(annex === 3 && catalogueId ? { catalogue_scheme_id: Number(catalogueId) } : {}), ...body } });
        if (!record) history.replaceState(null, '', `/plan.html?id=${out.id}`);
        return [out, savedText(out)];
    });
}

function attachedSection(L) {
    const list = (form.schemes ??= []);
    const node = el('div', { class: 'field field--wide', dataset: { field: 'schemes' }, testid: 'plan-attached' });
    const paint = () => node.replaceChildren(
        el('h3', {}, t('p.attached')),
        ...list.map((s, i) => attachedScheme(s, i, L)),
        button('plan-att-add', t('p.att.add'), () => { list.push({}); paint(); }),
        errorLine('schemes'));
    paint();
    return node;
}

// One attached service scheme: its texts with their total 字数, the unit
// premium and sum insured in yuan (kept as fen; -1 when not an amount, so the
// server names the field).
function attachedScheme(s, i, L) {
    const c = counter('plan-att-total');
    const upd = () => c.set(attachedTotal(s), { min: L.attached_scheme_zishu_min });
    const text = (k, label) => textField({ id: `plan-att-${i}-${k === 'premium_note' ? 'note' : k}`, testid: `plan-att-${k === 'premium_note' ? 'note' : k}`,
        field: `schemes[${i}].${k}`, label, value: s[k], onInput: (v) => { s[k] = v; upd(); } }).node;
    const z = (k) => zishuField({ id: `plan-att-${i}-${k}`, testid: `plan-att-${k}`, field: `schemes[${i}].${k}`, label: t(`p.att.${k}`), value: s[k], rows: 6,
        onInput: (v) => { s[k] = v; upd(); } }).node;
    const money = (k, label) => amountField({ id: `plan-att-${i}-${k}`, testid: `plan-att-${k}`, field: `schemes[${i}].${k}`, label, fen: s[k],
        onFen: (fen) => { if (fen === null) delete s[k]; else if (fen !== undefined) s[k] = fen; } });
    const block = el('fieldset', { class: 'attached', testid: 'plan-att', dataset: { field: `schemes[${i}]` } },
        el('legend', {}, t('p.att.n', { n: i + 1 })),
        text('name', t('p.att.name')),
        z('institutions'), z('process'), z('security'),
        el('div', { class: 'form__grid' }, money('unit_premium_fen', t('p.att.premium')), money('sum_insured_fen', t('p.att.sum'))),
        text('premium_note', t('p.att.note')),
        el('p', {}, t('p.att.total')), c.node,
        errorLine(`schemes[${i}]`));
    upd();
    return block;
}

function trailCard(box) {
    const me = here.session.organisation.id;
    const mine = record.units.find((u) => u.org_id === me);
    const parts = [
        el('h2', {}, t('p.route')),
        el('ol', { testid: 'plan-route' }, record.route.map((s) => el('li', { dataset: { level: s.level } }, s.org_name ?? s.region_code))),
        el('h3', {}, t('p.hops')),
        record.hops.length ? trailList('plan-hops', record.hops) : el('p', { class: 'muted' }, t('pl.empty')),
        warningList(record),
    ];
    if (record.annex !== 2) {
        parts.push(scrollTable('plan-units-t', 'units-table', t('pl.units'), [{ text: '' }, { text: t('s.joint.name') }, { text: t('pl.col.status') }],
            record.units.map((u) => el('tr', { testid: 'unit-row', dataset: { confirmed: String(u.confirmed_at !== null) } },
                el('td', {}, unitRole(u)), el('th', { scope: 'row' }, u.name), el('td', {}, unitStatus(u))))));
        if (mine && may('confirm'))
            parts.push(declarationBlock('plan-declaration', record.declaration_text), confirmField('plan', (rep) => run(box, async () => [
                await api(`/api/v1/plans/${record.id}/confirm`, { method: 'POST', body: { legal_representative: rep } }), t('pl.confirmed')])));
    }
    if (may('return'))
        parts.push(actionField({
            id: 'plan-return-comment', testid: 'plan-return-comment', field: 'comment', label: t('p.returnComment'),
            action: { testid: 'plan-return', label: t('p.return') },
            onAct: (comment) => run(box, async () => [
                await api(`/api/v1/plans/${record.id}/return`, { method: 'POST', body: { comment } }), t('pl.status.returned')]),
        }));
    return el('section', { class: 'card card--wide', testid: 'plan-trail' }, parts);
}

function run(box, fn) {
    return runAction(here.view, box, fn, (out, text) => {
        record = out;
        form = structuredClone(out.form);
        annex = out.annex;
        flash = text;
        render();
    });
}
