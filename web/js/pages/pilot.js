// pages/pilot.js — the pilot programme's hub (pilot.html): the round's
// deadlines (the caller's province's own dates marked), what the caller's
// role may start (a scheme with scheme.write, an Annex 2/3/4 plan with
// plan2/3/4.write), links to the catalogue, the inbox, the pilots and the
// reviews, and the caller's schemes and plans. The server decides what each
// list holds.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, scrollTable, renderAfterLoad, param } from '../view.js';
import { can } from '../session.js';
import { deadlineList, statusWord, when, selectField, AUTHORITIES, REVIEW_READERS } from '../pilot/ui.js';

export const page = {
    title: 'title.pilot',
    view: 'pilot-view',
    start(root, { session }) {
        let data;
        return renderAfterLoad(root, async () => { data = await load(); }, () => showReady(root, ...view(session, data)));
    },
};

// The round of ?round= (else the latest) with the caller's schemes and plans in it.
async function load() {
    const rounds = (await api('/api/v1/rounds')).items;
    const id = param('round') ?? rounds[rounds.length - 1].id;
    const round = await api(`/api/v1/rounds/${encodeURIComponent(id)}`);
    const [schemes, plans] = await Promise.all([
        apiList('/api/v1/schemes', { query: { round_id: round.id } }),
        apiList('/api/v1/plans', { query: { round_id: round.id } }),
    ]);
    return { rounds, round, schemes, plans };
}

// What the visitor may start (the role's permissions) and where it may go.
function links(session, round) {
    const type = session.organisation.type;
    const out = [];
    if (can(session, 'scheme.write')) out.push(['new-scheme', `/scheme.html?round=${round.id}`, t('pl.newScheme')]);
    const annex = [2, 3, 4].find((n) => can(session, `plan${n}.write`));
    if (annex) out.push(['new-plan', `/plan.html?round=${round.id}&annex=${annex}`, t('pl.newPlan', { annex })]);
    out.push(['to-catalogue', `/catalogue.html?round=${round.id}`, t('pl.toCatalogue')]);
    if (AUTHORITIES.includes(type)) out.push(['to-inbox', '/inbox.html', t('pl.toInbox')]);
    out.push(['to-pilots', '/pilots.html', t('pl.toPilots')]);
    if (REVIEW_READERS.includes(type)) out.push(['to-reviews', '/review.html', t('pl.toReviews')]);
    out.push(['to-extensions', `/extensions.html?round=${round.id}`, t('pl.toExtensions')]);
    out.push(['to-summaries', `/summary.html?round=${round.id}`, t('pl.toSummaries')]);
    if (AUTHORITIES.includes(type)) out.push(['to-overdue', `/overdue.html?round=${round.id}`, t('pl.toOverdue')]);
    return out;
}

function view(session, { rounds, round, schemes, plans }) {
    const province = `${session.organisation.region_code.slice(0, 2)}0000`;

    return [
        el('section', { class: 'card', testid: 'round-card', dataset: { round: round.id } },
            el('h2', {}, `${t('pl.round')}：${pickLang(round)}`),
            rounds.length > 1 ? selectField({ id: 'round-pick', testid: 'round-pick', field: 'round_id', label: t('pl.pickRound'), value: round.id,
                options: rounds.map((r) => ({ value: r.id, label: pickLang(r) })),
                onInput: (v) => window.location.assign(`/pilot.html?round=${encodeURIComponent(v)}`) }).node : null,
            el('p', { class: 'muted' }, t('pl.deadlines')),
            deadlineList(round, province)),
        el('section', { class: 'card' },
            el('h2', {}, t('pl.links')),
            el('ul', { class: 'pilot-links', testid: 'pilot-links' },
                links(session, round).map(([id, href, text]) => el('li', {}, el('a', { href, testid: id, class: 'btn' }, text))))),
        el('section', { class: 'card card--wide' },
            el('h2', {}, t('pl.schemes')),
            schemes.length === 0 ? el('p', { class: 'muted', testid: 'schemes-empty' }, t('pl.empty'))
                : scrollTable('pilot-schemes', 'schemes-table', t('pl.schemes'),
                    [{ text: t('pl.col.id') }, { text: t('pl.col.name') }, { text: t('pl.col.lead') }, { text: t('pl.col.status') }, { text: t('pl.col.updated') }],
                    schemes.map((s) => el('tr', { testid: 'scheme-row', dataset: { id: String(s.id), status: s.status } },
                        el('td', {}, String(s.id)),
                        el('th', { scope: 'row' }, el('a', { href: `/scheme.html?id=${s.id}` }, s.name || t('pl.untitled'))),
                        el('td', {}, s.lead_name),
                        el('td', {}, statusWord(s.status)),
                        el('td', {}, when(s.updated_at)))))),
        el('section', { class: 'card card--wide' },
            el('h2', {}, t('pl.plans')),
            plans.length === 0 ? el('p', { class: 'muted', testid: 'plans-empty' }, t('pl.empty'))
                : scrollTable('pilot-plans', 'plans-table', t('pl.plans'),
                    [{ text: t('pl.col.id') }, { text: t('pl.col.name') }, { text: t('pl.col.annex') }, { text: t('pl.col.lead') }, { text: t('pl.col.status') }, { text: t('pl.col.holder') }],
                    plans.map((p) => el('tr', { testid: 'plan-row', dataset: { id: String(p.id), status: p.status } },
                        el('td', {}, String(p.id)),
                        el('th', { scope: 'row' }, el('a', { href: `/plan.html?id=${p.id}` }, p.name || t('pl.untitled'))),
                        el('td', {}, String(p.annex)),
                        el('td', {}, p.author_name),
                        el('td', {}, statusWord(p.status)),
                        el('td', {}, p.holder_name ?? t('common.none')))))),
    ];
}

function pickLang(round) {
    return pickBilingual(`${round.name_zh} / ${round.name_en}`);
}
