// uw/policy_forms.js — what may be done to a policy, each in two steps: a
// change of terms (批改: the limit, the retention, coverages added or
// removed and their sublimits, the insured's facts, several at once) and a
// cancellation (退保, with its reason) are first priced by the server with
// "preview": true — the new annual premium, the pro-rata charge or the
// return premium, from which day — and made only when the visitor confirms
// what it was shown; the renewal lists the assessments the server says
// would do, or says in words what is missing. And the words of a change
// (what it changes, from which day, at what premium), shared by the
// policy's scheduled changes and its history.
//
// Test ids: forms policy-endorse, policy-cancel, policy-renew (createForm's
// ids), policy-endorse-cov-CODE and policy-endorse-sub-CODE, the
// confirmations policy-endorse-preview and policy-cancel-preview (with
// -summary, -confirm, -back), policy-renew-missing.
//
// Must never depend on: any page module; never writes API data as HTML.

import { api } from '../api.js';
import { t, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { createForm, localError } from '../form.js';
import { wanInputToFen, fenToWanInput } from '../format.js';
import { yuan, wan, covName, zhEn, bjDate } from './ui.js';

const DEPS = ['cloud', 'os', 'vpn', 'email'];

// The words of what endorsement e changes, one line each.
export function changeLines(e) {
    if (e.kind === 'cancellation')
        return [t('uw.change.cancel', { reason: zhEn(e.reason_zh ?? '', e.reason_en ?? ''), amount: yuan(-e.premium_delta) })];
    const b = e.before;
    const a = e.after;
    const lines = [];
    if (b.aggregate_limit !== a.aggregate_limit) lines.push(t('uw.change.limit', { from: wan(b.aggregate_limit), to: wan(a.aggregate_limit) }));
    if (b.retention !== a.retention) lines.push(t('uw.change.retention', { from: wan(b.retention), to: wan(a.retention) }));
    const codes = (x) => x.coverages.map((c) => c.code);
    const added = a.coverages.filter((c) => !codes(b).includes(c.code));
    const removed = b.coverages.filter((c) => !codes(a).includes(c.code));
    if (added.length) lines.push(t('uw.change.added', { list: added.map(covName).join('、') }));
    if (removed.length) lines.push(t('uw.change.removed', { list: removed.map(covName).join('、') }));
    for (const c of a.coverages) {
        const old = b.coverages.find((x) => x.code === c.code);
        if (old && old.sublimit !== c.sublimit) lines.push(t('uw.change.sublimit', { coverage: covName(c), from: wan(old.sublimit), to: wan(c.sublimit) }));
    }
    const bi = b.insured;
    const ai = a.insured;
    if (bi.revenue !== ai.revenue) lines.push(t('uw.change.revenue', { from: wan(bi.revenue), to: wan(ai.revenue) }));
    if (bi.industry_section !== ai.industry_section) lines.push(t('uw.change.industry', { from: bi.industry_section, to: ai.industry_section }));
    if (bi.region_code !== ai.region_code) lines.push(t('uw.change.region', { from: bi.region_code, to: ai.region_code }));
    if (bi.gross_margin_bp !== ai.gross_margin_bp) lines.push(t('uw.change.margin'));
    for (const d of DEPS)
        if (bi.dependencies[d] !== ai.dependencies[d]) lines.push(t('uw.change.dep', { what: t(`uw.dep.${d}`), from: bi.dependencies[d] || t('common.none'), to: ai.dependencies[d] || t('common.none') }));
    lines.push(t('uw.change.premium', { from: yuan(e.old_annual_premium), to: yuan(e.new_annual_premium) }));
    return lines;
}

// The confirmation of a previewed change or cancellation: what, from when, the money, then confirm or go back.
function confirmation(testid, e, lines, onConfirm, onBack) {
    const yes = el('button', { type: 'button', class: 'btn btn--primary', testid: `${testid}-confirm` }, t(e.kind === 'cancellation' ? 'uw.policy.cancelConfirm' : 'uw.policy.endorseConfirm'));
    const no = el('button', { type: 'button', class: 'btn', testid: `${testid}-back` }, t('uw.policy.back'));
    const error = el('p', { class: 'error', role: 'alert', testid: `${testid}-error`, hidden: true });
    yes.addEventListener('click', async () => {
        yes.disabled = true;
        try {
            await onConfirm();
        } catch (err) {
            error.textContent = pickBilingual(err.message ?? String(err));
            error.hidden = false;
            yes.disabled = false;
        }
    });
    no.addEventListener('click', onBack);
    const money = e.kind === 'cancellation'
        ? t('uw.policy.returnLine', { amount: yuan(-e.premium_delta), days: e.days_remaining, total: e.days_total })
        : t('uw.policy.chargeLine', { amount: yuan(e.premium_delta), days: e.days_remaining, total: e.days_total });
    return el('div', { class: 'uw-confirm', testid, tabindex: '-1', dataset: { delta: String(e.premium_delta), annual: String(e.new_annual_premium) } },
        el('p', { class: 'uw-premium-line' }, t('uw.policy.fromDay', { date: e.effective_date })),
        el('ul', { testid: `${testid}-summary` }, lines.map((l) => el('li', {}, l))),
        el('p', { class: 'uw-premium-line', testid: `${testid}-money`, dataset: { fen: String(e.premium_delta) } }, money),
        error,
        el('div', { class: 'form__actions' }, yes, no));
}

// The first day a change may take effect: today, or the start when the policy has not begun.
function firstDay(p) {
    const start = p.period.start_beijing.slice(0, 10);
    const today = bjDate(0);
    const last = p.endorsements.map((e) => e.effective_date).sort().at(-1);
    const day = start > today ? start : today;
    return last && last > day ? last : day;
}

// The coverages of the endorsement form: the product's, ticked when covered, with their sublimits.
function coverBlock(p, product) {
    const rows = product.coverages.map((c) => {
        const cur = p.terms.coverages.find((x) => x.code === c.code);
        const dflt = c.sublimit !== null && c.sublimit < p.terms.aggregate_limit ? c.sublimit : p.terms.aggregate_limit;
        const box = el('input', { type: 'checkbox', id: `policy-endorse-cov-${c.code}`, testid: `policy-endorse-cov-${c.code}`, checked: Boolean(cur) });
        // only a sublimit the policy set apart from the product's is written out: the rest follow the limit
        const sub = el('input', { type: 'text', inputmode: 'decimal', id: `policy-endorse-sub-${c.code}`, testid: `policy-endorse-sub-${c.code}`,
            value: cur && cur.sublimit !== dflt ? fenToWanInput(cur.sublimit) : '' });
        return { c, box, sub, name: el('span') };
    });
    const legend = el('legend');
    const hint = el('p', { class: 'field__hint' });
    const node = el('fieldset', { class: 'field field--wide uw-fieldset', dataset: { field: 'coverages' } }, legend, hint,
        el('div', { class: 'uw-cover-rows' }, rows.map((r) => el('div', { class: 'uw-cover-row' },
            el('label', { class: 'uw-choice', for: r.box.id }, r.box, ' ', r.name), r.sub))));
    const relabel = () => {
        legend.textContent = t('uw.policy.coverages');
        hint.textContent = t('uw.policy.coveragesHint');
        for (const r of rows) {
            r.name.textContent = covName(r.c);
            r.sub.setAttribute('aria-label', t('uw.pf.subFor', { coverage: covName(r.c) }));
            r.sub.placeholder = t('uw.policy.subDefault');
        }
    };
    relabel();
    const value = () => rows.filter((r) => r.box.checked).map((r) => {
        const fen = wanInputToFen(r.sub.value);
        if (fen === undefined) throw localError('coverages', () => t('uw.pf.subInvalid', { coverage: covName(r.c) }));
        return fen === null ? { code: r.c.code } : { code: r.c.code, sublimit: fen };
    });
    return { node, relabel, value };
}

// The change of terms: the form, its preview, the confirmation. onDone(policy).
export function endorseForm(p, product, sections, onDone, rerender) {
    const cur = p.terms;
    const opts = (values, current) => () => [{ value: '', label: t('uw.policy.unchanged', { value: wan(current) }) },
        ...values.filter((x) => x !== current).map((x) => ({ value: String(x), label: wan(x) }))];
    const fields = [
        { name: 'effective_date', type: 'date', label: () => t('uw.policy.effective'), hint: () => t('uw.policy.effectiveHint'), required: true, value: firstDay(p) },
        { name: 'aggregate_limit', type: 'select', label: () => t('uw.policy.newLimit'), options: opts(product.limit_options, cur.aggregate_limit) },
        { name: 'retention', type: 'select', label: () => t('uw.policy.newRetention'), options: opts(product.retention_options, cur.retention) },
        { name: 'revenue', label: () => t('uw.policy.newRevenue'), hint: () => t('uw.policy.now', { value: wan(p.rating.revenue) }), inputmode: 'decimal' },
        { name: 'industry', type: 'select', label: () => t('uw.policy.newIndustry'),
            options: () => [{ value: '', label: t('uw.policy.unchanged', { value: p.rating.industry_section }) }, ...sections.map((s) => ({ value: s.code, label: `${s.code} ${s.name}` }))] },
        ...DEPS.map((d) => ({ name: `dep_${d}`, label: () => t(`uw.dep.${d}`), value: p.dependencies[d] ?? '' })),
        { name: 'note', label: () => t('uw.policy.note'), wide: true },
    ];
    const covers = coverBlock(p, product);
    const state = { preview: null, body: null };
    const f = createForm({
        id: 'policy-endorse', testid: 'policy-endorse', fields,
        submitLabel: () => t('uw.policy.endorsePreview'),
        onSubmit: async (v) => {
            const body = { effective_date: v.effective_date, coverages: covers.value(), note: v.note };
            if (v.aggregate_limit) body.aggregate_limit = Number(v.aggregate_limit);
            if (v.retention) body.retention = Number(v.retention);
            if (v.industry) body.industry = v.industry;
            const revenue = wanInputToFen(v.revenue);
            if (revenue === undefined) throw localError('revenue', () => t('uw.quote.revenueInvalid'));
            if (revenue !== null) body.revenue = revenue;
            const deps = {};
            for (const d of DEPS) if ((v[`dep_${d}`] ?? '') !== (p.dependencies[d] ?? '')) deps[d] = v[`dep_${d}`];
            if (Object.keys(deps).length) body.dependencies = deps;
            const pv = await api(`/api/v1/policies/${p.id}/endorsements`, { method: 'POST', body: { ...body, preview: true } });
            state.preview = pv.endorsements.at(-1);
            state.body = body;
            rerender();
        },
    });
    f.form.querySelector('.form__grid').append(covers.node);
    const relabel = f.relabel;
    return {
        relabel() {
            relabel();
            covers.relabel();
        },
        node() {
            if (!state.preview) return f.form;
            return confirmation('policy-endorse-preview', state.preview, changeLines(state.preview),
                async () => onDone(await api(`/api/v1/policies/${p.id}/endorsements`, { method: 'POST', body: state.body }), 'uw.policy.endorsed'),
                () => {
                    state.preview = null;
                    rerender();
                });
        },
    };
}

// The cancellation: date, reason, note; the return premium shown; then confirmed.
export function cancelForm(p, onDone, rerender) {
    const state = { preview: null, body: null };
    const f = createForm({
        id: 'policy-cancel', testid: 'policy-cancel',
        fields: [
            { name: 'effective_date', type: 'date', label: () => t('uw.policy.effective'), hint: () => t('uw.policy.cancelHint'), required: true, value: firstDay(p) },
            { name: 'reason', type: 'select', label: () => t('uw.policy.reason'), required: true,
                options: () => [{ value: '', label: t('uw.policy.chooseReason') }, ...(p.cancel_reasons ?? []).map((r) => ({ value: r.code, label: zhEn(r.name_zh, r.name_en) }))] },
            { name: 'note', label: () => t('uw.policy.note'), hint: () => t('uw.policy.noteHint'), wide: true },
        ],
        submitLabel: () => t('uw.policy.cancelPreview'),
        onSubmit: async (v) => {
            const body = { effective_date: v.effective_date, reason: v.reason, note: v.note };
            const pv = await api(`/api/v1/policies/${p.id}/cancellation`, { method: 'POST', body: { ...body, preview: true } });
            state.preview = pv.endorsements.at(-1);
            state.body = body;
            rerender();
        },
    });
    return {
        relabel: f.relabel,
        node() {
            if (!state.preview) return f.form;
            return confirmation('policy-cancel-preview', state.preview, changeLines(state.preview),
                async () => onDone(await api(`/api/v1/policies/${p.id}/cancellation`, { method: 'POST', body: state.body }), 'uw.policy.cancelled'),
                () => {
                    state.preview = null;
                    rerender();
                });
        },
    };
}

// The renewal: the usable assessments (GET …/renewal), or in words what is missing.
export function renewForm(p, options) {
    if (!options.possible) {
        return {
            relabel() {},
            node: () => el('div', { testid: 'policy-renew-missing' },
                el('p', { class: 'warn' }, zhEn(options.reason_zh, options.reason_en)),
                el('a', { class: 'btn', href: '/assessment.html' }, t('uw.policy.toAssess'))),
        };
    }
    const f = createForm({
        id: 'policy-renew', testid: 'policy-renew',
        fields: [
            { name: 'assessment_id', type: 'select', label: () => t('uw.policy.newAssessment'), hint: () => t('uw.policy.renewHint', { date: options.start_date }), required: true, wide: true,
                options: () => options.assessments.map((a) => ({ value: String(a.id), label: t('uw.quote.assessmentOption', { id: a.id, org: a.org_name, grade: a.grade, score: a.score.toFixed(2) }) })) },
        ],
        submitLabel: () => t('uw.policy.renew'),
        onSubmit: async (v) => {
            const q = await api(`/api/v1/policies/${p.id}/renewal`, { method: 'POST', body: { assessment_id: Number(v.assessment_id) } });
            window.location.assign(`/quote.html?id=${q.id}`);
        },
    });
    return { relabel: f.relabel, node: () => f.form };
}
