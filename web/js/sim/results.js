// sim/results.js — a finished simulation's result as the page shows it:
// the run's parameters, the headline a risk manager reads, more figures, the
// EP table, one table per breakdown dimension (rows with a loss, by insured
// AAL) and the events that contribute most. Pure views of GET
// /api/v1/simulations/{id}'s "result": no state, no requests.
//
// Must never depend on: api.js, any page module; never writes API data as HTML.

import { t, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { scrollTable } from '../view.js';
import { beijingTime } from '../format.js';
import { fmt, isNum, yuanText, intText, shareText, ratioText, money, percentText } from './numbers.js';

export const STATUSES = ['queued', 'running', 'done', 'failed'];
// Breakdown dimensions in groups, in the order shown; any other dimension
// the result holds goes to a last group.
const BD_GROUPS = [
    ['what', ['coverage', 'incident_type', 'source']],
    ['who', ['industry', 'region']],
    ['dep', ['cloud', 'os', 'vpn', 'email']],
];
const DIMENSIONS = BD_GROUPS.flatMap(([, dims]) => dims);
const WIDE_DIMENSIONS = ['coverage'];
const EVENT_TYPES = ['cloud_outage', 'mass_exploit', 'ransomware_campaign'];

export function statusBadge(status) {
    const cls = status === 'done' ? 'badge badge--ok' : status === 'failed' ? 'badge badge--error' : 'badge';
    return el('span', { class: cls }, STATUSES.includes(status) ? t(`sim.status.${status}`) : String(status));
}

// narrowBar: in the list, a phone shows the percentage without the bar.
export function progressNodes(s, narrowBar = false) {
    const v = Number.isFinite(s.progress) ? Math.max(0, Math.min(1, s.progress)) : 0;
    return [
        el('progress', { class: narrowBar ? 'hide-narrow' : null, max: '1', value: String(v), 'aria-label': t('sim.progressLabel', { id: s.id }) }),
        ' ',
        el('span', { testid: 'sim-row-percent' }, percentText(v)),
    ];
}

export function paramsLine(sim) {
    const p = sim?.params;
    if (!p) return null;
    return el('p', { class: 'muted', testid: 'sim-detail-params' }, t('sim.params', {
        years: intText(p.years),
        seed: String(p.seed),
        portfolio: p.portfolio === 'exposure' ? t('sim.params.exposure') : t('sim.params.demo'),
        catalogue: p.catalogue === false ? t('sim.params.noCatalogue') : t('sim.params.catalogue'),
    }));
}

// .details: one column on a phone (a ¥ amount never breaks), two or three wider.
export function headline(r) {
    const item = (labelKey, value, extra = null) =>
        el('div', { class: 'details__item' },
            el('dt', {}, t(labelKey)),
            el('dd', {}, el('strong', {}, value), extra));
    const aep200 = r.ep?.find((e) => e.return_period === 200)?.aep_insured ?? null;
    return el('dl', { class: 'details', testid: 'sim-headline' },
        item('sim.h.aal', money('sim-aal', r.aal?.insured),
            el('span', { class: 'cell-name__desc', testid: 'sim-aal-se', dataset: { value: String(r.aal?.insured_se ?? '') } },
                t('sim.h.se', { value: yuanText(r.aal?.insured_se) }))),
        item('sim.h.aep200', money('sim-aep200', aep200)),
        item('sim.h.tvar', money('sim-tvar995', r.tvar?.insured_99_5),
            el('span', { class: 'cell-name__desc' }, t('sim.h.tvarHint'))),
        item('sim.h.policies', el('span', { testid: 'sim-policies' }, intText(r.portfolio?.policies))),
        item('sim.h.years', el('span', { testid: 'sim-years' }, intText(r.years))),
        item('sim.h.seed', el('span', { testid: 'sim-seed' }, String(r.seed ?? t('common.none')))));
}

export function moreDetails(r, sim) {
    const row = (key, testid, value) => el('div', { class: 'details__item' },
        el('dt', {}, t(key)), el('dd', { testid }, value));
    const a = r.aal ?? {};
    const cat = r.catalogue ?? {};
    const c = r.counts ?? {};
    return el('dl', { class: 'details', testid: 'sim-more' },
        row('sim.m.aalGu', 'sim-aal-gu', [money('sim-aal-gu-value', a.ground_up), ' ',
            el('span', { class: 'muted' }, t('sim.h.se', { value: yuanText(a.ground_up_se) }))]),
        row('sim.m.split', 'sim-aal-split', t('sim.m.splitValue', {
            att: yuanText(a.insured_attritional), attShare: shareText(a.insured_attritional, a.insured),
            sys: yuanText(a.insured_systemic), sysShare: shareText(a.insured_systemic, a.insured),
        })),
        row('sim.m.tvar99', 'sim-tvar99', yuanText(r.tvar?.insured_99)),
        row('sim.m.purePremium', 'sim-pure-premium', yuanText(r.portfolio?.pure_premium_attritional)),
        row('sim.m.limit', 'sim-total-limit', yuanText(r.portfolio?.total_aggregate_limit)),
        row('sim.m.catalogue', 'sim-catalogue', cat.source && cat.events
            ? t('sim.m.catalogueValue', { source: cat.source, count: intText(cat.events) }) : t('sim.m.noCatalogue')),
        row('sim.m.counts', 'sim-counts', t('sim.m.countsValue', {
            att: intText(c.attritional_incidents), occ: intText(c.systemic_occurrences), hits: intText(c.systemic_hits),
        })),
        row('sim.m.finished', 'sim-finished', beijingTime(sim.finished_at)));
}

// ---- EP table ----------------------------------------------------------------

export function epTable(r) {
    const ep = Array.isArray(r.ep) ? r.ep : [];
    const rows = ep.map((e) => el('tr', { testid: 'sim-ep-row', dataset: { rp: String(e.return_period) } },
        el('th', { scope: 'row', class: 'nowrap', testid: 'sim-ep-rp' }, t('sim.ep.rpValue', { rp: intText(e.return_period) })),
        el('td', { class: 'num hide-narrow', testid: 'sim-ep-prob' },
            fmt({ style: 'percent', maximumFractionDigits: 2 }).format(1 / e.return_period)),
        el('td', { class: 'num nowrap', testid: 'sim-ep-oep-insured' }, yuanText(e.oep_insured)),
        el('td', { class: 'num nowrap', testid: 'sim-ep-aep-insured' }, yuanText(e.aep_insured)),
        el('td', { class: 'num nowrap', testid: 'sim-ep-oep-gu' }, yuanText(e.oep_ground_up)),
        el('td', { class: 'num nowrap', testid: 'sim-ep-aep-gu' }, yuanText(e.aep_ground_up))));
    const short = ep.some((e) => !isNum(e.aep_insured));
    const caption = [t('sim.ep.caption'), short ? el('span', { class: 'caption-hint' }, t('sim.ep.short')) : null];
    return scrollTable('sim-ep', 'sim-ep', caption,
        [{ text: t('sim.ep.rp') }, { text: t('sim.ep.prob'), class: 'num hide-narrow' },
            { text: t('sim.ep.oepInsured'), class: 'num' }, { text: t('sim.ep.aepInsured'), class: 'num' },
            { text: t('sim.ep.oepGu'), class: 'num' }, { text: t('sim.ep.aepGu'), class: 'num' }],
        rows);
}

// ---- breakdowns --------------------------------------------------------------

export function breakdowns(r) {
    const b = r.breakdown && typeof r.breakdown === 'object' ? r.breakdown : {};
    const other = Object.keys(b).filter((d) => !DIMENSIONS.includes(d) && Array.isArray(b[d]));
    const total = r.aal?.insured;
    const groups = [...BD_GROUPS, ['other', other]]
        .map(([name, dims]) => [name, dims.filter((d) => Array.isArray(b[d]))])
        .filter(([, dims]) => dims.length > 0);
    // Coverage names are long (in English): that table takes the full width,
    // the others go two by two on a wide screen.
    return el('div', { testid: 'sim-breakdown' }, groups.map(([name, dims]) => [
        el('h3', { class: 'subhead' }, t(`sim.bdg.${name}`)),
        el('div', { class: 'panel-grid', testid: 'sim-bd-group', dataset: { group: name } },
            dims.map((dim) => {
                const table = breakdownTable(dim, b[dim], total);
                if (WIDE_DIMENSIONS.includes(dim)) table.classList.add('card--wide');
                return table;
            })),
    ]));
}

export function breakdownTable(dim, list, total) {
    const dimSafe = dim.replace(/[^a-z0-9_]/gi, '');
    const title = DIMENSIONS.includes(dim) ? t(`sim.bd.${dim}`) : t('sim.bd.other', { dim });
    const shown = list.filter((x) => (isNum(x.insured_aal) && x.insured_aal !== 0) || (isNum(x.ground_up_aal) && x.ground_up_aal !== 0))
        .slice().sort((a, b) => (b.insured_aal ?? 0) - (a.insured_aal ?? 0));
    const zero = list.length - shown.length;
    const rows = shown.map((x) => {
        const name = x.name ? pickBilingual(x.name) : '';
        return el('tr', { testid: 'sim-bd-row', dataset: { key: String(x.key ?? '') } },
            el('th', { scope: 'row', class: 'cell-name' },
                name ? el('span', { class: 'cell-name__main', testid: 'sim-bd-name' }, name)
                    : el('code', { class: 'cell-name__main', testid: 'sim-bd-name' }, String(x.key ?? '')),
                name ? el('code', { class: 'cell-name__desc' }, String(x.key ?? '')) : null),
            el('td', { class: 'num nowrap', testid: 'sim-bd-insured' }, yuanText(x.insured_aal)),
            el('td', { class: 'num', testid: 'sim-bd-share' }, shareText(x.insured_aal, total)),
            el('td', { class: 'num nowrap', testid: 'sim-bd-gu' }, yuanText(x.ground_up_aal)));
    });
    const hint = shown.length === 0 ? t('sim.bd.allZero') : zero > 0 ? t('sim.bd.zero', { count: zero }) : null;
    return el('div', { testid: 'sim-bd', dataset: { dimension: dim } },
        scrollTable(`sim-bd-${dimSafe}`, `sim-bd-${dimSafe}`,
            [title, hint ? el('span', { class: 'caption-hint' }, hint) : null],
            [{ text: t('sim.bd.name') }, { text: t('sim.bd.insured'), class: 'num' },
                { text: t('sim.bd.share'), class: 'num' }, { text: t('sim.bd.gu'), class: 'num' }],
            rows));
}

// ---- top events --------------------------------------------------------------

export function eventsTable(r) {
    const list = Array.isArray(r.top_events) ? r.top_events : [];
    if (list.length === 0) return el('p', { class: 'empty', testid: 'sim-events-empty' }, t('sim.ev.none'));
    const rows = list.map((e) => el('tr', { testid: 'sim-event-row', dataset: { id: String(e.id ?? ''), rank: String(e.rank ?? '') } },
        el('td', { class: 'num' }, intText(e.rank)),
        el('th', { scope: 'row', class: 'cell-name' },
            el('span', { class: 'cell-name__main', testid: 'sim-event-name' }, e.name ? pickBilingual(e.name) : String(e.id ?? '')),
            el('span', { class: 'cell-name__desc' },
                el('span', { testid: 'sim-event-type', dataset: { type: String(e.type ?? '') } },
                    EVENT_TYPES.includes(e.type) ? t(`sim.evType.${e.type}`) : String(e.type ?? '')),
                ' · ',
                el('code', { testid: 'sim-event-id' }, String(e.id ?? '')))),
        el('td', { class: 'num hide-narrow' }, isNum(e.annual_rate) ? fmt({ maximumSignificantDigits: 3 }).format(e.annual_rate) : t('common.none')),
        el('td', { class: 'num hide-narrow' }, intText(e.occurrences)),
        el('td', { class: 'num hide-narrow' }, intText(e.hits)),
        el('td', { class: 'num nowrap', testid: 'sim-event-aal' }, yuanText(e.insured_aal)),
        el('td', { class: 'num' }, isNum(e.insured_share_of_aal) ? ratioText(e.insured_share_of_aal) : t('common.none')),
        el('td', { class: 'num nowrap' }, yuanText(e.max_occurrence_insured))));
    return scrollTable('sim-events', 'sim-events', t('sim.ev.caption'),
        [{ text: t('sim.ev.rank'), class: 'num' }, { text: t('sim.ev.name') },
            { text: t('sim.ev.rate'), class: 'num hide-narrow' }, { text: t('sim.ev.occurrences'), class: 'num hide-narrow' },
            { text: t('sim.ev.hits'), class: 'num hide-narrow' }, { text: t('sim.ev.aal'), class: 'num' },
            { text: t('sim.ev.share'), class: 'num' }, { text: t('sim.ev.max'), class: 'num' }],
        rows);
}
