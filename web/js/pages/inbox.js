// pages/inbox.js — an authority's inbox (inbox.html): the packages it
// received (forward to the next level, or return with comments), the
// packages it assembled (where each is now; forward it while it holds it),
// and the plans it received that are in no package yet (package them, or
// return one to its author). Deadlines are the server's: a late forward is
// refused with the deadline and the receipt time, shown as it comes.
//
// GET /api/v1/packages?box=inbox|outbox, GET /api/v1/packages/{id} (next
// stop), GET /api/v1/plans?status=submitted; POST /api/v1/packages,
// /packages/{id}/forward, /packages/{id}/return, /plans/{id}/return.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, showError, scrollTable, reloadingPage } from '../view.js';
import { downloadBar } from '../download.js';
import { statusWord, when, AUTHORITIES } from '../pilot/ui.js';

const here = { view: null, session: null }; // the view mount() made, the visitor's session
let state = { inbox: [], outbox: [], held: [], details: new Map(), round: null };
let message = { text: '', error: false };

export const page = reloadingPage(here, {
    title: 'title.inbox',
    view: 'inbox-view',
    permission: (session) => AUTHORITIES.includes(session.organisation.type),
    forbidden: 'pl.notFor',
    load,
    render,
});

async function load() {
    try {
        const me = here.session.organisation.id;
        const [inbox, outbox, plans, rounds] = await Promise.all([
            apiList('/api/v1/packages', { query: { box: 'inbox' } }),
            apiList('/api/v1/packages', { query: { box: 'outbox' } }),
            apiList('/api/v1/plans', { query: { status: 'submitted' } }),
            api('/api/v1/rounds'),
        ]);
        const details = new Map();
        // every package with its plans (links to each), and its next stop when held here
        for (const k of [...inbox, ...outbox])
            details.set(k.id, await api(`/api/v1/packages/${k.id}`));
        state = {
            inbox, outbox, details,
            held: plans.filter((p) => p.holder_org_id === me && p.package_id === null),
            round: rounds.items[rounds.items.length - 1]?.id ?? null,
        };
        render();
    } catch (err) {
        showError(here.view, err);
    }
}

function say(text, error = false) {
    message = { text, error };
}

async function act(fn, okText) {
    try {
        const r = await fn();
        say(okText(r));
    } catch (err) {
        say(t('pl.actionFailed', { message: pickBilingual(err.message) }), true);
    }
    await load();
    here.view.querySelector('[data-testid="inbox-message"]')?.focus();
}

function forwardButton(k) {
    const b = el('button', { type: 'button', class: 'btn btn--primary', testid: 'package-forward', dataset: { id: String(k.id) } }, t('i.forward'));
    b.addEventListener('click', () => {
        b.disabled = true;
        act(() => api(`/api/v1/packages/${k.id}/forward`, { method: 'POST' }), (r) => t('i.forwarded', { name: r.holder_name }));
    });
    return b;
}

function returnControls(kind, id) {
    const input = el('input', { type: 'text', testid: `${kind}-comment`, 'aria-label': t('i.comment'), placeholder: t('i.comment'), dataset: { id: String(id) } });
    const b = el('button', { type: 'button', class: 'btn', testid: `${kind}-return`, dataset: { id: String(id) } }, t('i.return'));
    b.addEventListener('click', () => act(
        () => api(`/api/v1/${kind === 'package' ? 'packages' : 'plans'}/${id}/return`, { method: 'POST', body: { comment: input.value } }),
        () => t('pl.status.returned')));
    return el('span', { class: 'inline-form' }, input, b);
}

function nextCell(k) {
    const d = state.details.get(k.id);
    if (!d || d.holder_org_id !== here.session.organisation.id) return t('common.none');
    if (!d.next) return t('i.atMinistry');
    return el('span', {}, d.next.org_name, ' ', el('span', { class: 'muted', testid: 'package-deadline' }, t('i.deadline', { at: when(d.next.deadline_at) })));
}

// The plans inside a package, each a link to the plan.
function planLinks(k) {
    const plans = state.details.get(k.id)?.plans ?? [];
    return el('ul', { class: 'plain-list', testid: 'package-plans' }, plans.map((p) =>
        el('li', {}, el('a', { href: `/plan.html?id=${p.id}`, testid: 'package-plan-link', dataset: { id: String(p.id) } },
            `${t('i.annexShort', { annex: p.annex })} ${p.name || t('pl.untitled')}`))));
}

function packageRows(list, testid, me, incoming) {
    return list.map((k) => el('tr', { testid, dataset: { id: String(k.id), status: k.status, holder: String(k.holder_org_id) } },
        el('td', {}, String(k.id)),
        el('th', { scope: 'row' }, incoming ? k.origin_name : k.holder_name),
        el('td', {}, planLinks(k)),
        el('td', {}, statusWord(k.status)),
        el('td', {}, when(k.updated_at)),
        el('td', {}, k.holder_org_id === me ? nextCell(k) : t('common.none')),
        el('td', { class: 'actions' },
            k.holder_org_id === me && state.details.get(k.id)?.next ? forwardButton(k) : null,
            incoming && k.holder_org_id === me ? returnControls('package', k.id) : null,
            downloadBar(`/api/v1/packages/${k.id}/document`, ['docx', 'xlsx', 'pdf'], `package-${k.id}`, 'package-download'))));
}

function render() {
    const me = here.session.organisation.id;
    const head = (first) => [first, t('i.plans'), t('pl.col.status'), t('pl.col.updated'), t('i.next'), ''].map((text) => ({ text }));
    const picks = new Set();
    const make = el('button', { type: 'button', class: 'btn btn--primary', testid: 'make-package' }, t('i.makePackage'));
    make.addEventListener('click', () => act(
        () => api('/api/v1/packages', { method: 'POST', body: { round_id: state.round, plan_ids: [...picks] } }),
        (r) => `${t('pl.saved')} #${r.id}`));
    const msg = el('p', { class: message.error ? 'error' : 'muted', role: 'status', tabindex: '-1', testid: 'inbox-message', hidden: !message.text, dataset: { error: String(message.error) } }, message.text);
    showReady(here.view,
        el('h2', { testid: 'inbox-title' }, t('i.heading')),
        msg,
        el('section', { class: 'card card--wide', 'aria-label': t('i.inbox') },
            el('h3', {}, t('i.inbox')),
            state.inbox.length === 0 ? el('p', { class: 'muted', testid: 'inbox-empty' }, t('i.empty'))
                : scrollTable('inbox-in', 'inbox-table', t('i.inbox'), [{ text: t('pl.col.id') }, ...head(t('i.from'))], packageRows(state.inbox, 'inbox-row', me, true))),
        el('section', { class: 'card card--wide', 'aria-label': t('i.outbox') },
            el('h3', {}, t('i.outbox')),
            state.outbox.length === 0 ? el('p', { class: 'muted', testid: 'outbox-empty' }, t('i.empty'))
                : scrollTable('inbox-out', 'outbox-table', t('i.outbox'), [{ text: t('pl.col.id') }, ...head(t('pl.col.holder'))], packageRows(state.outbox, 'outbox-row', me, false))),
        el('section', { class: 'card card--wide', 'aria-label': t('i.held') },
            el('h3', {}, t('i.held')),
            state.held.length === 0 ? el('p', { class: 'muted', testid: 'held-empty' }, t('i.empty'))
                : [scrollTable('inbox-held', 'held-table', t('i.held'),
                    [{ text: t('i.pick') }, { text: t('pl.col.name') }, { text: t('pl.col.annex') }, { text: t('pl.col.lead') }, { text: '' }],
                    state.held.map((p) => {
                        const box = el('input', { type: 'checkbox', testid: 'held-pick', 'aria-label': `${t('i.pick')} ${p.name}`, dataset: { id: String(p.id) } });
                        box.addEventListener('change', () => (box.checked ? picks.add(p.id) : picks.delete(p.id)));
                        return el('tr', { testid: 'held-row', dataset: { id: String(p.id) } },
                            el('td', {}, box),
                            el('th', { scope: 'row' }, el('a', { href: `/plan.html?id=${p.id}` }, p.name || t('pl.untitled'))),
                            el('td', {}, String(p.annex)),
                            el('td', {}, p.author_name),
                            el('td', {}, p.author_org_id === me ? null : returnControls('plan', p.id)));
                    })), make]));
}
