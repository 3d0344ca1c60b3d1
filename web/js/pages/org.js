// pages/org.js — one organisation: "my organisation" (no parameter) or
// /org.html?id=N (from the directory). Shows every field of DOMAIN.md §1:
// type and nature in words, registered capital in 万元 (the API gives fen),
// times in Beijing time, "—" for what is empty or hidden by the server.
//
// Who may edit (PATCH /api/v1/organisations/{id}): a holder of org.update on
// their own organisation, and ministry / support_center on any. The registry's
// fields (the name here) are offered only to a holder of org.register. Only
// changed fields are sent; a refusal shows next to the field named in error.field.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { can, isNational } from '../session.js';
import { createForm, localError } from '../form.js';
import { showLoading, showError, showReady, idParam, loadAndRender } from '../view.js';
import {
    NATURES, orNone, word, beijingTime, capitalText, fenToWanInput, wanInputToFen,
} from '../format.js';

// Fields a PATCH may change, in form order.
const EDITABLE = [
    { name: 'name', required: true, wide: true },
    { name: 'nature', type: 'select' },
    { name: 'nature_other' },
    { name: 'founded_on', type: 'date' },
    { name: 'registered_capital_fen', inputmode: 'decimal' },
    { name: 'industry_section', type: 'select' },
    { name: 'industry_division', type: 'select' },
    { name: 'licence_no' },
    { name: 'address', wide: true },
    { name: 'contact', autocomplete: 'off' },
    { name: 'phone', type: 'tel' },
    { name: 'fax', type: 'tel' },
    { name: 'email', type: 'email' },
];

const state = {
    session: null,
    updateSession: null,
    id: null,
    org: null,
    error: null,
    sections: [], // [{code, name}]
    divisions: [], // [{code, section, name}]
    editing: null, // the form controller while editing
    saved: false,
};

let mountPoint = null;

export const page = {
    title: 'title.org',
    view: 'org-view',
    start(view, ctx) {
        state.session = ctx.session;
        state.updateSession = ctx.updateSession;
        state.id = idParam() ?? ctx.session.organisation.id;
        mountPoint = view;
        return loadAndRender(state, render, load);
    },
};

const isOwn = () => state.org && state.org.id === state.session.organisation.id;
const canEdit = () => can(state.session, 'org.update') && (isOwn() || isNational(state.session));
const canManageUsers = () => can(state.session, 'user.manage') && (isOwn() || isNational(state.session));

async function load() {
    const [org, sections, divisions] = await Promise.all([
        api(`/api/v1/organisations/${state.id}`),
        // Names of industry codes; the page still works without them.
        apiList('/api/v1/ref/industries', { query: { level: 1 } }).catch(() => []),
        apiList('/api/v1/ref/industries', { query: { level: 2 } }).catch(() => []),
    ]);
    state.org = org;
    state.sections = sections.map((s) => ({ code: s.section ?? s.code, name: s.name }));
    state.divisions = divisions.map((d) => ({ code: d.code, section: d.section, name: d.name }));
}

// ---- view ----------------------------------------------------------------

function render() {
    if (state.error) return showError(mountPoint, state.error);
    if (!state.org) return showLoading(mountPoint);
    const o = state.org;

    const actions = el('div', { class: 'card__actions' });
    if (canManageUsers()) {
        actions.append(el('a', {
            class: 'btn',
            href: isOwn() ? '/users.html' : `/users.html?org=${encodeURIComponent(o.id)}`,
            testid: 'org-users-link',
        }, t('org.manageUsers')));
    }
    if (canEdit() && !state.editing) {
        const edit = el('button', { type: 'button', class: 'btn btn--primary', testid: 'org-edit' }, t('org.edit'));
        edit.addEventListener('click', startEdit);
        actions.append(edit);
    }

    const saved = el('p', { class: 'success', role: 'status', testid: 'org-saved', tabindex: '-1', hidden: !state.saved },
        t('org.saved'));

    const header = el('div', { class: 'card__head' },
        el('div', {},
            el('p', { class: 'eyebrow' }, isOwn() ? t('org.heading') : t('org.headingOther')),
            el('h2', { id: 'org-title', testid: 'org-title' }, o.name)),
        actions);

    let body;
    if (state.editing) {
        state.editing.relabel();
        syncEditFields();
        body = el('div', {}, el('h3', { class: 'subhead' }, t('org.editHeading')), state.editing.form);
    } else {
        body = details(o);
    }

    showReady(mountPoint,
        el('section', { class: 'card', 'aria-labelledby': 'org-title', testid: 'org-card', dataset: { id: String(o.id) } },
            header, saved, body));
}

function details(o) {
    const row = (key, testid, value, extra = {}) =>
        el('div', { class: 'details__item' },
            el('dt', {}, t(key)),
            el('dd', { testid, ...extra }, value));

    const warning = o.uscc_warning
        ? el('span', { class: 'warn', testid: 'org-uscc-warning' }, t('org.usccWarning', { text: pickBilingual(o.uscc_warning) }))
        : null;
    const nature = o.nature === 'other' && o.nature_other
        ? t('org.natureOther', { text: o.nature_other })
        : word('nature', o.nature);
    const showLicence = o.type === 'insurer' || o.licence_no;

    return el('dl', { class: 'details', testid: 'org-details' },
        row('org.f.name', 'org-name', o.name),
        row('org.f.type', 'org-type', word('orgType', o.type), { dataset: { type: o.type ?? '' } }),
        row('org.f.uscc', 'org-uscc', [el('code', {}, orNone(o.uscc)), warning]),
        showLicence ? row('org.f.licence_no', 'org-licence-no', orNone(o.licence_no)) : null,
        row('org.f.region', 'org-region', regionText(o), { dataset: { code: o.region_code ?? '' } }),
        row('org.f.industry', 'org-industry', industryText(o.industry_section, o.industry_division)),
        row('org.f.nature', 'org-nature', nature, { dataset: { nature: o.nature ?? '' } }),
        row('org.f.founded_on', 'org-founded-on', orNone(o.founded_on)),
        row('org.f.registered_capital', 'org-registered-capital', capitalText(o.registered_capital_fen),
            { dataset: { fen: o.registered_capital_fen === null || o.registered_capital_fen === undefined ? '' : String(o.registered_capital_fen) } }),
        row('org.f.address', 'org-address', orNone(o.address), { class: 'details__wide' }),
        row('org.f.contact', 'org-contact', orNone(o.contact)),
        row('org.f.phone', 'org-phone', orNone(o.phone)),
        row('org.f.fax', 'org-fax', orNone(o.fax)),
        row('org.f.email', 'org-email', orNone(o.email)),
        row('org.f.created_at', 'org-created-at', beijingTime(o.created_at)),
        row('org.f.updated_at', 'org-updated-at', beijingTime(o.updated_at)));
}

function regionText(o) {
    if (!o.region_code && !o.region_name) return t('common.none');
    return o.region_name ? t('org.regionValue', { name: o.region_name, code: o.region_code ?? '' }) : String(o.region_code);
}

function industryText(section, division) {
    if (!section && !division) return t('common.none');
    const s = state.sections.find((x) => x.code === section);
    const d = state.divisions.find((x) => x.code === division);
    const parts = [];
    if (section) parts.push(s ? `${section} ${s.name}` : String(section));
    if (division) parts.push(d ? `${division} ${d.name}` : String(division));
    return parts.join(' · ');
}

// ---- edit ----------------------------------------------------------------

function startEdit() {
    const o = state.org;
    const initial = formValues(o);
    const showLicence = o.type === 'insurer' || o.licence_no;
    // the registered name is the registry's (org.register): others see it, not a field to change
    const specs = EDITABLE
        .filter((f) => f.name !== 'licence_no' || showLicence)
        .filter((f) => f.name !== 'name' || can(state.session, 'org.register'))
        .map((f) => ({
            ...f,
            label: () => t(`org.f.${f.name === 'registered_capital_fen' ? 'registered_capital_wan' : f.name}`),
            value: initial[f.name],
            hint: f.name === 'registered_capital_fen' ? () => t('org.capitalHint')
                : undefined,
            options: f.name === 'nature' ? natureOptions
                : f.name === 'industry_section' ? sectionOptions
                    : f.name === 'industry_division' ? () => divisionOptions(currentSection()) : undefined,
        }));

    const cancel = el('button', { type: 'button', class: 'btn', testid: 'org-cancel' });
    const form = createForm({
        id: 'org-form',
        testid: 'org-form',
        fields: specs,
        submitLabel: () => t('org.save'),
        extraButtons: [cancel],
        onSubmit: save,
    });
    const relabelForm = form.relabel;
    form.relabel = () => {
        relabelForm();
        cancel.textContent = t('common.cancel');
    };
    cancel.addEventListener('click', stopEdit);
    form.input('nature').addEventListener('change', syncEditFields);
    form.input('industry_section').addEventListener('change', () => {
        const div = form.input('industry_division');
        const options = divisionOptions(currentSection());
        div.replaceChildren(...options.map((x) => el('option', { value: x.value }, x.label)));
        div.value = '';
        syncEditFields();
    });

    state.editing = form;
    state.saved = false;
    render();
    // the first field offered: the name where the caller may change it, else the nature
    form.input(specs[0].name).focus();
}

function currentSection() {
    const f = state.editing;
    return f ? f.input('industry_section').value : state.org?.industry_section ?? '';
}

// Show nature_other only for "other"; a division only within a section.
function syncEditFields() {
    const f = state.editing;
    if (!f) return;
    f.toggle('nature_other', f.input('nature').value === 'other');
    f.input('industry_division').disabled = f.input('industry_section').value === '';
}

function stopEdit() {
    state.editing = null;
    render();
    mountPoint.querySelector('[data-testid="org-edit"]')?.focus();
}

function formValues(o) {
    return {
        name: o.name ?? '',
        nature: o.nature ?? '',
        nature_other: o.nature_other ?? '',
        founded_on: o.founded_on ?? '',
        registered_capital_fen: fenToWanInput(o.registered_capital_fen),
        industry_section: o.industry_section ?? '',
        industry_division: o.industry_division ?? '',
        licence_no: o.licence_no ?? '',
        address: o.address ?? '',
        contact: o.contact ?? '',
        phone: o.phone ?? '',
        fax: o.fax ?? '',
        email: o.email ?? '',
    };
}

const natureOptions = () => NATURES.map((n) => ({ value: n, label: t(`nature.${n}`) }));
const sectionOptions = () => [{ value: '', label: t('common.none') },
    ...state.sections.map((s) => ({ value: s.code, label: `${s.code} ${s.name}` }))];
const divisionOptions = (section) => [{ value: '', label: t('common.none') },
    ...state.divisions.filter((d) => d.section === section).map((d) => ({ value: d.code, label: `${d.code} ${d.name}` }))];

async function save(values) {
    const o = state.org;
    const before = formValues(o);
    const body = {};
    for (const spec of EDITABLE) {
        const name = spec.name;
        if (!(name in values)) continue;
        // Only "other" has a text; the server drops it for any other nature.
        if (name === 'nature_other' && values.nature !== 'other') continue;
        const v = name === 'registered_capital_fen' ? values[name].replace(/[,，\s]/g, '') : values[name].trim();
        const was = name === 'registered_capital_fen' ? before[name] : String(before[name]).trim();
        if (v === was) continue;
        if (name === 'registered_capital_fen') {
            const fen = wanInputToFen(v);
            if (fen === undefined) throw localError(name, () => t('org.capitalInvalid'));
            // The server keeps a registered capital once given (null → 400).
            if (fen === null) throw localError(name, () => t('org.capitalRequired'));
            body[name] = fen;
        } else {
            // An emptied field is sent as "": the server stores a nullable
            // one (founded_on, industry_*, licence_no, nature_other) as null
            // and refuses null itself (400 wrong_type).
            body[name] = v;
        }
    }
    if (Object.keys(body).length === 0) {
        stopEdit();
        return;
    }
    const updated = await api(`/api/v1/organisations/${o.id}`, { method: 'PATCH', body });
    state.org = updated;
    state.editing = null;
    state.saved = true;
    if (isOwn()) state.updateSession?.({ organisation: updated });
    render();
    mountPoint.querySelector('[data-testid="org-saved"]')?.focus();
}
