// pages/scheme.js — the Annex 1 scheme editor (scheme.html?id=N, or
// ?round=ID for a new one): every field of the form in the form's outline
// (the lead's 基本信息 starting from its profile, coded fields as lists of
// the reference data), the live 字数 of each text against the round's limits
// (unit_intro and overview at most, the 服务方案 body at least), joint units
// and cases as editable rows, and the actions the caller may take: save
// (POST / PATCH; a change voids the units' confirmations and says so),
// confirm its own unit's declarations, shown word for word (unit.confirm),
// submit (the lead), recommend (scheme.recommend), waive a 原则上 limit
// (waiver.grant) and assign experts with their conflict shown before saving
// (review.assign). A visitor who may not write sees it read-only. The server
// is the judge of every rule; its refusal shows next to the field it names.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api } from '../api.js';
import { t, pickBilingual } from '../i18n.js';
import { el, replaceChildren } from '../dom.js';
import { can } from '../session.js';
import { showReady, param, scrollTable, loadedPage } from '../view.js';
import { countZishu } from '../zishu.js';
import { downloadBar } from '../download.js';
import {
    textField, selectField, zishuField, counter, errorLine, button, actionField, confirmField,
    directionFields, jointUnitsTable, lockForm, unitStatus, unitRole, runAction, statusWord, when,
    leadInfoFields, leadInfoFrom, declarationBlock, warningList, amountsValid, savedText,
} from '../pilot/ui.js';

const here = { view: null, session: null }; // the view mount() made, the visitor's session
let round;
let ref;
let record = null; // the scheme as the server answered, or null for a new one
let form = {};
let flash = '';

export const page = loadedPage(here, {
    title: 'title.scheme',
    view: 'scheme-view',
    load,
    render,
});

// The reference lists, the scheme of ?id= (or none for a new one), its round, and
// — for the lead's 基本信息 of a new form — the visitor's organisation.
async function load() {
    const id = param('id');
    ref = await api('/api/v1/ref/pilot');
    if (id) {
        record = await api(`/api/v1/schemes/${encodeURIComponent(id)}`);
        form = structuredClone(record.form);
    }
    if (!form.lead_info && editable())
        form.lead_info = leadInfoFrom(await api(`/api/v1/organisations/${here.session.organisation.id}`));
    const roundId = record?.round_id ?? param('round') ?? (await api('/api/v1/rounds')).items.at(-1).id;
    round = await api(`/api/v1/rounds/${encodeURIComponent(roundId)}`);
}

// What the caller may do with the stored scheme: the server says, in the
// record's "actions" (edit, submit, confirm, recommend, assign, waive).
const may = (action) => Boolean(record?.actions?.includes(action));

// A new scheme: the role writes schemes (scheme.write); a stored one: the record allows "edit".
const editable = () => (record ? may('edit') : can(here.session, 'scheme.write'));

function bodyTotal() {
    const b = form.body ?? {};
    let n = ['background', 'service', 'team', 'promotion'].reduce((s, k) => s + countZishu(b[k] ?? ''), 0);
    for (const c of b.cases ?? []) n += countZishu(c.title ?? '') + countZishu(c.text ?? '');
    return n;
}

function render() {
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'scheme-error', hidden: true });
    const editor = el('section', { class: 'card card--wide', testid: 'scheme-form', 'aria-labelledby': 'scheme-h' },
        el('h2', { id: 'scheme-h', testid: 'scheme-title' }, t('s.heading')),
        statusLine(),
        el('p', { class: 'muted', testid: 'scheme-saved', role: 'status', hidden: !flash }, flash),
        box,
        el('h3', {}, t('s.basic')),
        form.lead_info ? [el('h4', {}, t('pl.lead.heading')), leadInfoFields('scheme', form.lead_info, ref.institution_kinds)] : null,
        basicSection(),
        body(),
        el('h3', {}, t('s.materials')),
        materials('unit'), materials('scheme'),
        el('div', { class: 'form__actions' },
            editable() ? button('scheme-save', t('pl.save'), () => save(box), 'btn--primary') : null,
            record && may('submit') ? button('scheme-submit', t('pl.submit'), () => run(box, async () =>
                [await api(`/api/v1/schemes/${record.id}/submit`, { method: 'POST' }), t('pl.submitted')])) : null));
    if (!editable()) lockForm(editor);
    const docs = record ? downloadBar(`/api/v1/schemes/${record.id}/document`, ['docx', 'pdf'], `scheme-${record.id}`) : null;
    showReady(here.view, editor, docs, record ? unitsCard(box) : null, record ? rulesCard(box) : null,
        record ? recommendCard(box) : null, record ? expertsCard(box) : null);
    if (may('assign')) loadExperts();
}

const set = (k) => (v) => { form[k] = v; };
// The limits in force for Annex 1 (the round's own, where the annex sets some).
const limits = () => round.annexes?.[1]?.limits ?? round.limits;
const dropEmptyKind = (u) => { const { kind, ...rest } = u; return kind ? u : rest; };

function text(k) {
    return textField({ id: `scheme-${k.replace(/_/g, '-')}`, testid: `scheme-${k.replace(/_/g, '-')}`, field: k, label: t(`s.${k}`), value: form[k], onInput: set(k) }).node;
}

// 名称, 地点, 负责人, the direction with its industry or product class, the
// unit's introduction, the overview and the joint units.
function basicSection() {
    const L = limits();
    const limited = (k, max) => zishuField({ id: `scheme-${k.replace(/_/g, '-')}`, testid: `scheme-${k.replace(/_/g, '-')}`, field: k, label: t(`s.${k}`),
        value: form[k], limits: { max }, rows: 5, onInput: set(k) }).node;
    return [
        el('div', { class: 'form__grid' },
            text('name'), text('location'), text('leader_name'), text('leader_title'),
            ...directionFields('scheme', form, ref), text('direction_note')),
        limited('unit_intro', L.unit_intro_zishu_max),
        limited('overview', L.overview_zishu_max),
        jointUnitsTable({ testid: 'scheme-joint', max: L.joint_units_max, rows: form.joint_units ?? [],
            kinds: ref.institution_kinds, onChange: (rows) => { form.joint_units = rows.map(dropEmptyKind); } }).node,
    ];
}

// The 服务方案 body: its parts with the total 字数 against the round's minimum.
function body() {
    const b = (form.body ??= {});
    const total = counter('scheme-body-total');
    const refreshTotal = () => total.set(bodyTotal(), { min: limits().scheme_body_zishu_min });
    const part = (k, rows = 8) => zishuField({
        id: `scheme-${k}`, testid: `scheme-${k}`, field: `body.${k}`, label: t(`s.${k}`), value: b[k], rows,
        onInput: (v) => { b[k] = v; refreshTotal(); },
    }).node;
    refreshTotal();
    return [
        el('h3', {}, t('s.body')),
        el('div', { class: 'field field--wide', dataset: { field: 'body' } },
            el('p', {}, t('s.body.total')), total.node, errorLine('body')),
        part('background'), part('service', 12), part('team'), cases(b, refreshTotal), part('promotion'),
    ];
}

// The cases (典型案例), as many as the round allows, each a title and a text.
function cases(b, refreshTotal) {
    const L = limits();
    const node = el('div', { class: 'field field--wide cases', dataset: { field: 'body.cases' }, testid: 'scheme-cases' });
    const paint = () => {
        const list = (b.cases ??= []);
        node.replaceChildren(
            el('h4', {}, t('s.cases')),
            el('p', { class: 'muted', testid: 'scheme-cases-count', dataset: { count: String(list.length) } },
                `${list.length} / ${L.cases_min}–${L.cases_max}`),
            ...list.map((c, i) => el('div', { class: 'case', testid: 'scheme-case' },
                textField({ id: `scheme-case-${i}-title`, testid: 'scheme-case-title', field: `body.cases[${i}].title`, label: `${t('s.case.title')} ${i + 1}`, value: c.title,
                    onInput: (v) => { c.title = v; refreshTotal(); } }).node,
                zishuField({ id: `scheme-case-${i}-text`, testid: 'scheme-case-text', field: `body.cases[${i}].text`, label: t('s.case.text'), value: c.text, rows: 5,
                    onInput: (v) => { c.text = v; refreshTotal(); } }).node,
                button('scheme-case-remove', t('pl.removeRow'), () => { list.splice(i, 1); paint(); refreshTotal(); }, 'btn--small'))),
            button('scheme-case-add', t('pl.addRow'), () => { list.push({ title: '', text: '' }); paint(); }),
            errorLine('body.cases'));
    };
    paint();
    return node;
}

// The attached materials, one per line.
function materials(k) {
    return zishuField({ id: `scheme-materials-${k}`, testid: `scheme-materials-${k}`, field: `materials.${k}`, label: t(`s.materials.${k}`),
        value: (form.materials?.[k] ?? []).join('\n'), rows: 4,
        onInput: (v) => { (form.materials ??= {})[k] = v.split('\n').map((x) => x.trim()).filter(Boolean); } }).node;
}

function save(box) {
    if (!amountsValid(here.view)) return Promise.resolve();
    return run(box, async () => {
        const out = record
            ? await api(`/api/v1/schemes/${record.id}`, { method: 'PATCH', body: form })
            : await api('/api/v1/schemes', { method: 'POST', body: { round_id: round.id, ...form } });
        if (!record) history.replaceState(null, '', `/scheme.html?id=${out.id}`);
        return [out, savedText(out)];
    });
}


function statusLine() {
    if (!record) return null;
    return el('p', { testid: 'scheme-status', dataset: { status: record.status } },
        statusWord(record.status),
        record.received_at ? ` · ${t('s.received', { at: when(record.received_at) })}` : '',
        record.catalogue_code ? ` · ${t('s.catalogue', { code: record.catalogue_code })}` : '');
}

function unitsCard(box) {
    const mine = record.units.find((u) => u.org_id === here.session.organisation.id);
    return el('section', { class: 'card card--wide', testid: 'scheme-units' },
        el('h2', {}, t('pl.units')),
        scrollTable('scheme-units-t', 'units-table', t('pl.units'),
            [{ text: '' }, { text: t('s.joint.name') }, { text: t('s.joint.uscc') }, { text: t('pl.col.status') }],
            record.units.map((u) => el('tr', { testid: 'unit-row', dataset: { seq: String(u.seq), confirmed: String(u.confirmed_at !== null) } },
                el('td', {}, unitRole(u)),
                el('th', { scope: 'row' }, u.name),
                el('td', {}, u.uscc),
                el('td', {}, u.org_id === null ? t('pl.unit.unregistered') : unitStatus(u))))),
        mine && may('confirm')
            ? [declarationBlock('scheme-declaration', record.declaration_text),
                confirmField('scheme', (rep) => run(box, async () => [
                    await api(`/api/v1/schemes/${record.id}/confirm`, { method: 'POST', body: { legal_representative: rep } }), t('pl.confirmed')]))]
            : null);
}

// The 原则上 limits the scheme is past, the waivers granted, and (waiver.grant) the form to waive one.
function rulesCard(box) {
    const open = (record.warnings ?? []).filter((w) => !w.waived);
    if (!(record.warnings ?? []).length && !(record.waivers ?? []).length) return null;
    const waivers = el('ul', { testid: 'scheme-waivers' }, (record.waivers ?? []).map((w) =>
        el('li', { testid: 'waiver-row', dataset: { rule: w.rule } }, t('pl.waiver.row', { by: w.granted_by, reason: w.reason }))));
    let rule = open[0]?.rule ?? '';
    const form_ = open.length && may('waive') ? [
        selectField({ id: 'scheme-waive-rule', testid: 'scheme-waive-rule', field: 'rule', label: t('pl.waiver.rule'), value: rule,
            options: open.map((w) => ({ value: w.rule, label: t(`pl.limit.${w.rule}`) })), onInput: (v) => { rule = v; } }).node,
        actionField({ id: 'scheme-waive-reason', testid: 'scheme-waive-reason', field: 'reason', label: t('pl.waiver.reason'), multiline: true,
            action: { testid: 'scheme-waive', label: t('pl.waiver.grant') },
            onAct: (reason) => run(box, async () => [
                await api(`/api/v1/schemes/${record.id}/waivers`, { method: 'POST', body: { rule, reason } }), t('pl.waiver.done')]) }),
    ] : null;
    return el('section', { class: 'card card--wide', testid: 'scheme-rules' },
        el('h2', {}, t('pl.waiver.heading')), warningList(record), waivers, form_);
}

// ---- reviewer assignment (review.assign) ----------------------------------

let experts = null;

async function loadExperts() {
    const host = here.view.querySelector('[data-testid="scheme-experts"]');
    try {
        experts = (await api(`/api/v1/schemes/${record.id}/experts`)).items;
    } catch (err) {
        host.dataset.state = 'error';
        host.textContent = t('common.loadFailed', { message: pickBilingual(err.message) });
        return;
    }
    paintExperts(host);
}

// Each expert with its conflict of interest, shown before anything is saved.
function paintExperts(host) {
    const box = el('p', { class: 'error', role: 'alert', tabindex: '-1', testid: 'assign-error', hidden: true });
    const pick = el('select', { id: 'assign-user', testid: 'assign-user', dataset: { field: 'user_id' } },
        el('option', { value: '' }, t('s.dir.none')),
        experts.filter((e) => !e.assigned).map((e) => el('option', { value: String(e.user_id) },
            `${e.display_name}（${e.org_name}）${e.conflict ? t('pl.assign.conflictMark') : ''}`)));
    const note = el('p', { testid: 'assign-conflict', 'aria-live': 'polite', hidden: true });
    const go = button('assign-save', t('pl.assign.save'), () => runAction(host, box, async () =>
        [await api(`/api/v1/schemes/${record.id}/reviewers`, { method: 'POST', body: { user_id: Number(pick.value) } }), '']
    , async () => { await loadExperts(); }), 'btn--primary');
    go.disabled = true;
    pick.addEventListener('change', () => {
        const e = experts.find((x) => String(x.user_id) === pick.value);
        note.hidden = !e?.conflict;
        note.dataset.conflict = String(Boolean(e?.conflict));
        note.textContent = e?.conflict ? t('pl.assign.conflict', { unit: e.conflict_with }) : '';
        go.disabled = !e || e.conflict;
    });
    replaceChildren(host,
        el('ul', { testid: 'assigned-experts' }, experts.filter((e) => e.assigned).map((e) =>
            el('li', { testid: 'assigned-expert', dataset: { user: String(e.user_id) } }, `${e.display_name}（${e.org_name}）`))),
        el('div', { class: 'field field--wide', dataset: { field: 'user_id' } }, el('label', { for: 'assign-user' }, t('pl.assign.pick')), pick,
            el('p', { class: 'field__error', hidden: true })),
        note, box, go);
    host.dataset.state = 'ready';
}

function expertsCard() {
    if (!may('assign')) return null;
    return el('section', { class: 'card card--wide' }, el('h2', {}, t('pl.assign.heading')),
        el('div', { testid: 'scheme-experts', dataset: { state: 'loading' } }, t('common.loading')));
}

function recommendCard(box) {
    const list = el('ul', { testid: 'scheme-recommendations' },
        record.recommendations.map((r) => el('li', {}, `${r.org_name}：${r.text}`)));
    if (!may('recommend'))
        return record.recommendations.length ? el('section', { class: 'card card--wide' }, el('h2', {}, t('s.recommend')), list) : null;
    return el('section', { class: 'card card--wide' }, el('h2', {}, t('s.recommend')), list,
        actionField({
            id: 'scheme-recommend-text', testid: 'scheme-recommend-text', field: 'text', label: t('s.recommend'), multiline: true,
            action: { testid: 'scheme-recommend', label: t('s.recommend.submit') },
            onAct: (text) => run(box, async () => [
                await api(`/api/v1/schemes/${record.id}/recommendations`, { method: 'POST', body: { text } }), t('pl.saved')]),
        }));
}

// Run an action; on success re-render from the answer, else show the refusal by its field.
function run(box, fn) {
    return runAction(here.view, box, fn, (out, text) => {
        record = out;
        form = structuredClone(out.form);
        flash = text;
        render();
        here.view.querySelector('[data-testid="scheme-saved"]')?.focus?.();
    });
}
