// pages/users.js — users of one organisation: /users.html (one's own) or
// /users.html?org=N (ministry and support_center, for any organisation).
// Needs the permission user.manage.
//
// Lists GET /api/v1/users?org_id=N; adds a user (POST /api/v1/users);
// "管理" opens a panel for one user: name, role, email and phone (PATCH),
// disable / enable (PATCH {"disabled"}), and a new password (POST
// /api/v1/users/{id}/password, with current_password when it is one's own).
// Every refusal shows next to the field the server names in error.field.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { createForm } from '../form.js';
import { showLoading, showError, showReady, scrollTable, idParam, loadAndRender } from '../view.js';
import { ROLES, orNone, word, beijingTime } from '../format.js';

const state = {
    session: null,
    updateSession: null, // tells the header when one's own user changed
    orgId: null,
    org: null,
    users: null,
    error: null,
    selectedId: null,
    panel: null, // {edit, pw, message, toggleError} for the selected user
    added: null, // username of the user just added (highlighted)
    addMessage: null,
};

let mountPoint = null;
let addForm = null;

export const page = {
    title: 'title.users',
    view: 'users-view',
    permission: 'user.manage',
    forbidden: 'users.forbidden',
    start(view, ctx) {
        state.session = ctx.session;
        state.updateSession = ctx.updateSession;
        mountPoint = view;
        state.orgId = idParam('org') ?? ctx.session.organisation.id;
        addForm = buildAddForm();
        return loadAndRender(state, render, load);
    },
};

const isOwnOrg = () => state.orgId === state.session.organisation.id;
const selected = () => state.users?.find((u) => u.id === state.selectedId) ?? null;

async function load() {
    const [org, users] = await Promise.all([
        isOwnOrg() ? state.session.organisation : api(`/api/v1/organisations/${state.orgId}`),
        apiList('/api/v1/users', { query: { org_id: state.orgId } }),
    ]);
    state.org = org;
    state.users = users;
}

async function reloadUsers() {
    state.users = await apiList('/api/v1/users', { query: { org_id: state.orgId } });
}

// ---- render --------------------------------------------------------------

function render() {
    if (state.error) return showError(mountPoint, state.error);
    if (!state.users) return showLoading(mountPoint);

    const orgLink = el('a', {
        class: 'btn',
        href: isOwnOrg() ? '/org.html' : `/org.html?id=${encodeURIComponent(state.orgId)}`,
        testid: 'users-org-link',
    }, t('users.orgLink'));

    const listCard = el('section', { class: 'card', 'aria-labelledby': 'users-title' },
        el('div', { class: 'card__head' },
            el('div', {},
                el('p', { class: 'eyebrow' }, t('users.heading')),
                el('h2', { id: 'users-title', testid: 'users-title' }, state.org?.name ?? '')),
            el('div', { class: 'card__actions' }, orgLink)),
        usersTable());

    showReady(mountPoint, listCard, panelCard(), addCard());
}

function usersTable() {
    const me = state.session.user.id;
    const rows = state.users.map((u) => {
        const manage = el('button', {
            type: 'button',
            class: 'btn btn--small',
            testid: 'user-manage',
            'aria-controls': 'user-panel',
            'aria-expanded': u.id === state.selectedId ? 'true' : 'false',
        }, t('users.manage'));
        manage.addEventListener('click', () => select(u.id));
        return el('tr', {
            testid: 'user-row',
            class: u.username === state.added ? 'row--new' : null,
            'aria-current': u.id === state.selectedId ? 'true' : null,
            dataset: { id: String(u.id), username: u.username, role: u.role, disabled: String(Boolean(u.disabled)) },
        },
            el('th', { scope: 'row' },
                el('code', { testid: 'user-username' }, u.username),
                u.id === me ? el('span', { class: 'tag tag--self', testid: 'user-self' }, t('users.self')) : null),
            el('td', { class: 'cell-person', testid: 'user-display-name' }, orNone(u.display_name)),
            el('td', { class: 'nowrap' }, el('span', { class: `tag tag--role-${u.role}`, testid: 'user-role' }, word('role', u.role))),
            el('td', { class: 'nowrap', testid: 'user-status' },
                el('span', { class: u.disabled ? 'badge badge--error' : 'badge badge--ok' },
                    u.disabled ? t('users.disabled') : t('users.enabled'))),
            el('td', { class: 'hide-narrow', testid: 'user-email' }, orNone(u.email)),
            el('td', { class: 'hide-narrow nowrap', testid: 'user-phone' }, orNone(u.phone)),
            el('td', { class: 'hide-narrow nowrap', testid: 'user-created-at' }, beijingTime(u.created_at)),
            el('td', {}, manage));
    });
    return scrollTable('users-table', 'users-table', t('users.caption', { count: state.users.length }),
        [{ text: t('users.col.username') }, { text: t('users.col.displayName') }, { text: t('users.col.role') },
            { text: t('users.col.status') }, { text: t('users.col.email'), class: 'hide-narrow' },
            { text: t('users.col.phone'), class: 'hide-narrow' }, { text: t('users.col.createdAt'), class: 'hide-narrow' },
            { text: t('users.col.actions') }],
        rows);
}

// ---- one user's panel ----------------------------------------------------

function select(id) {
    state.selectedId = id;
    state.panel = buildPanel(selected());
    render();
    const heading = mountPoint.querySelector('#user-panel-title');
    heading?.scrollIntoView({ block: 'nearest' });
    heading?.focus({ preventScroll: true });
}

function closePanel() {
    const id = state.selectedId;
    state.selectedId = null;
    state.panel = null;
    render();
    mountPoint.querySelector(`[data-testid="user-row"][data-id="${id}"] [data-testid="user-manage"]`)?.focus();
}

function buildPanel(u) {
    const self = u.id === state.session.user.id;
    const panel = { message: null, toggleError: null, edit: null, pw: null };

    panel.edit = createForm({
        id: 'user-edit',
        testid: 'user-edit',
        fields: [
            { name: 'display_name', label: () => t('users.f.display_name'), value: u.display_name ?? '', required: true },
            { name: 'role', type: 'select', label: () => t('users.f.role'), value: u.role, options: roleOptions },
            { name: 'email', type: 'email', label: () => t('users.f.email'), value: u.email ?? '' },
            { name: 'phone', type: 'tel', label: () => t('users.f.phone'), value: u.phone ?? '' },
        ],
        submitLabel: () => t('users.saveUser'),
        async onSubmit(v) {
            const cur = selected();
            const body = {};
            for (const k of ['display_name', 'role', 'email', 'phone']) {
                const nv = v[k].trim();
                // An emptied email or phone is sent as "" (the server refuses null).
                if (nv !== (cur[k] ?? '')) body[k] = nv;
            }
            if (Object.keys(body).length === 0) return done(() => t('users.nothingChanged'));
            const updated = await api(`/api/v1/users/${cur.id}`, { method: 'PATCH', body });
            replaceUser(updated);
            done(() => t('users.savedUser', { username: updated.username }));
        },
    });

    const pwFields = [];
    if (self) {
        pwFields.push({ name: 'current_password', type: 'password', label: () => t('users.f.current_password'),
            autocomplete: 'current-password', required: true });
    }
    pwFields.push({ name: 'password', type: 'password', label: () => t('users.f.new_password'),
        autocomplete: 'new-password', required: true, hint: () => t('users.passwordHint') });
    panel.pw = createForm({
        id: 'user-pw',
        testid: 'user-pw',
        fields: pwFields,
        submitLabel: () => (self ? t('users.changePassword') : t('users.resetPassword')),
        async onSubmit(v) {
            const body = { password: v.password };
            if (self) body.current_password = v.current_password;
            await api(`/api/v1/users/${u.id}/password`, { method: 'POST', body });
            panel.pw.reset();
            done(() => (self ? t('users.passwordChanged') : t('users.passwordReset', { username: u.username })));
        },
    });
    return panel;
}

function replaceUser(updated) {
    state.users = state.users.map((x) => (x.id === updated.id ? updated : x));
    if (updated.id === state.session.user.id) {
        state.session = { ...state.session, user: updated };
        state.updateSession?.({ user: updated });
    }
}

// Show a success line in the panel, re-render, and move focus to it.
function done(textFn) {
    if (state.panel) state.panel.message = textFn;
    render();
    mountPoint.querySelector('[data-testid="user-panel-done"]')?.focus();
}

async function toggleDisabled(button) {
    const u = selected();
    button.disabled = true;
    state.panel.toggleError = null;
    try {
        const updated = await api(`/api/v1/users/${u.id}`, { method: 'PATCH', body: { disabled: !u.disabled } });
        replaceUser(updated);
        done(() => t(updated.disabled ? 'users.didDisable' : 'users.didEnable', { username: updated.username }));
    } catch (err) {
        state.panel.toggleError = err;
        state.panel.message = null;
        render();
        mountPoint.querySelector('[data-testid="user-toggle"]')?.focus();
    }
}

function panelCard() {
    const u = selected();
    if (!u || !state.panel) return null;
    const p = state.panel;
    p.edit.relabel();
    p.pw.relabel();

    const close = el('button', { type: 'button', class: 'btn', testid: 'user-panel-close' }, t('common.close'));
    close.addEventListener('click', closePanel);

    const toggle = el('button', { type: 'button', class: u.disabled ? 'btn' : 'btn btn--danger', testid: 'user-toggle' },
        u.disabled ? t('users.enable') : t('users.disable'));
    toggle.addEventListener('click', () => toggleDisabled(toggle));
    const toggleError = el('p', { class: 'field__error', role: 'alert', testid: 'user-toggle-error', hidden: !p.toggleError },
        p.toggleError ? pickBilingual(p.toggleError.message) : '');

    return el('section', { class: 'card card--panel', id: 'user-panel', testid: 'user-panel', dataset: { id: String(u.id) },
        'aria-labelledby': 'user-panel-title' },
    el('div', { class: 'card__head' },
        el('h2', { id: 'user-panel-title', tabindex: '-1' },
            t('users.panelTitle', { name: u.display_name || u.username, username: u.username })),
        el('div', { class: 'card__actions' }, close)),
    el('p', { class: 'success', role: 'status', testid: 'user-panel-done', tabindex: '-1', hidden: !p.message },
        p.message ? p.message() : ''),
    el('div', { class: 'panel-grid' },
        el('div', { class: 'panel-grid__item' }, el('h3', { class: 'subhead' }, t('users.editHeading')), p.edit.form),
        el('div', { class: 'panel-grid__item' },
            el('h3', { class: 'subhead' }, t('users.statusHeading')),
            el('p', { testid: 'user-panel-status', dataset: { disabled: String(Boolean(u.disabled)) } },
                u.disabled ? t('users.statusDisabled') : t('users.statusEnabled')),
            el('div', { class: 'form__actions' }, toggle),
            toggleError,
            el('h3', { class: 'subhead' }, t('users.passwordHeading')),
            p.pw.form)));
}

// ---- add a user ----------------------------------------------------------

const roleOptions = () => ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }));

function buildAddForm() {
    const f = createForm({
        id: 'user-add',
        testid: 'user-add',
        fields: [
            { name: 'username', label: () => t('users.f.username'), required: true, hint: () => t('users.usernameHint') },
            { name: 'display_name', label: () => t('users.f.display_name'), required: true },
            { name: 'role', type: 'select', label: () => t('users.f.role'), value: 'member', options: roleOptions },
            { name: 'password', type: 'password', label: () => t('users.f.password'), autocomplete: 'new-password',
                required: true, hint: () => t('users.passwordHint') },
            { name: 'email', type: 'email', label: () => t('users.f.email') },
            { name: 'phone', type: 'tel', label: () => t('users.f.phone') },
        ],
        submitLabel: () => t('users.add'),
        async onSubmit(v) {
            const body = {
                username: v.username.trim(),
                display_name: v.display_name.trim(),
                role: v.role,
                password: v.password,
            };
            if (v.email.trim()) body.email = v.email.trim();
            if (v.phone.trim()) body.phone = v.phone.trim();
            // Without org_id the user joins the caller's own organisation;
            // a national authority names another one.
            if (!isOwnOrg()) body.org_id = state.orgId;
            state.addMessage = null;
            const created = await api('/api/v1/users', { method: 'POST', body });
            f.reset();
            state.added = created.username;
            state.addMessage = () => t('users.added', { username: created.username });
            try {
                await reloadUsers();
            } catch {
                state.users = [...state.users.filter((x) => x.id !== created.id), created];
            }
            render();
            mountPoint.querySelector('[data-testid="user-add-done"]')?.focus();
        },
    });
    return f;
}

function addCard() {
    addForm.relabel();
    const msg = el('p', { class: 'success', role: 'status', testid: 'user-add-done', tabindex: '-1', hidden: !state.addMessage },
        state.addMessage ? state.addMessage() : '');
    return el('section', { class: 'card', 'aria-labelledby': 'user-add-title' },
        el('h2', { id: 'user-add-title' }, t('users.addHeading')),
        msg,
        addForm.form);
}
