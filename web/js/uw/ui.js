// uw/ui.js — what the underwriting pages share: money in yuan and 万元,
// codes in words, and the quote breakdown — the one view of how a price was
// made, used by the quote page for stored and indicative quotes alike. What
// a visitor may do with a record is what the record says (its "actions",
// decided by the server); what it may start (a new product, a quote) is
// session.js can() over GET /api/v1/me's permissions.
//
// Must never depend on: api.js, any page module; never writes API data as HTML.

import { t, getLang } from '../i18n.js';
import { el } from '../dom.js';
import { fenToWanText, wanInputToFen } from '../format.js';
import { scrollTable } from '../view.js';

// fen → "¥1,234.56" (exact, BigInt), "—" for null.
export function yuan(fen) {
    if (fen === null || fen === undefined) return t('common.none');
    const n = BigInt(fen);
    const neg = n < 0n;
    const a = neg ? -n : n;
    const whole = new Intl.NumberFormat(getLang()).format(a / 100n);
    return `${neg ? '-' : ''}¥${whole}.${(a % 100n).toString().padStart(2, '0')}`;
}

// fen → "300 万元" (limits and revenues read in 万元); in English "¥3,000,000".
export function wan(fen) {
    if (fen === null || fen === undefined) return t('common.none');
    if (getLang() === 'en') {
        const n = BigInt(fen);
        return n % 100n === 0n ? `¥${new Intl.NumberFormat('en').format(n / 100n)}` : yuan(fen);
    }
    return t('uw.wan', { value: fenToWanText(fen) });
}

// A rate as a percentage with up to 4 decimals: 0.0108 → "1.08%".
export function percent(x, digits = 4) {
    if (x === null || x === undefined) return t('common.none');
    return `${Number((x * 100).toFixed(digits))}%`;
}

// A number to 6 significant digits for factors (0.0108, 1.27305).
export function factor(x) {
    if (x === null || x === undefined) return t('common.none');
    return String(Number(x.toPrecision(6)));
}

// Whether the server lets the visitor take action on this record now
// (GET /api/v1/policies/{id}, /quotes/{id}, /products/{id} answer "actions").
export function may(record, action) {
    return Array.isArray(record?.actions) && record.actions.includes(action);
}

// "1, 5, 10" (万元) → [10000000, 50000000, 100000000] (fen); undefined when an
// item is not an amount; [] for nothing.
export function wanListToFen(text) {
    const parts = String(text ?? '').split(/[,，、;；\s]+/).filter((x) => x !== '');
    const out = [];
    for (const p of parts) {
        const fen = wanInputToFen(p);
        if (fen === undefined || fen === null) return undefined;
        out.push(fen);
    }
    return out;
}

// "2,000.50" (元) → 200050 (fen); '' → null; undefined when it is not an amount.
export function yuanInputToFen(text) {
    const s = String(text ?? '').replace(/[,，\s¥]/g, '');
    if (s === '') return null;
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
    if (!m) return undefined;
    const fen = BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
    return fen > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(fen);
}

// A mark of the rate table or a rule's decision as a badge.
export function markBadge(decision, testid) {
    if (!decision || decision === 'accept') return null;
    return statusBadge('decision', decision, testid);
}

export function covName(c) {
    return getLang() === 'en' ? c.name_en : c.name_zh;
}

export function zhEn(zh, en) {
    return getLang() === 'en' ? en : zh;
}

// A status or decision as a badge: tone ok for what goes on, error for a refusal.
export function statusBadge(kind, code, testid) {
    const tone = ['quoted', 'approved', 'bound', 'active', 'accept', 'submitted'].includes(code) ? ' badge--ok'
        : ['declined', 'decline', 'cancelled', 'superseded', 'withdrawn'].includes(code) ? ' badge--error' : '';
    return el('span', { class: `badge${tone}`, testid, dataset: { code: code ?? '' } }, t(`uw.${kind}.${code}`));
}

// A labelled value of a details list.
export function item(labelKey, testid, value, extra = {}) {
    return el('div', { class: 'details__item' }, el('dt', {}, t(labelKey)), el('dd', { testid, ...extra }, value));
}

// The breakdown of a quote (GET /api/v1/quotes/{id} or an indicative answer):
// the frequency factors, each coverage's expected losses and pure premium,
// the loading, the claim-free credit, the minimum and the premium, and the
// underwriting rules that held with their reasons and conditions.
export function breakdownView(q) {
    const b = q.breakdown;
    const f = b.factors;
    const factors = el('dl', { class: 'details', testid: 'qb-factors' },
        item('uw.qb.industry', 'qb-industry', f.industry_section),
        item('uw.qb.base', 'qb-base', factor(f.base_frequency), { dataset: { value: String(f.base_frequency) } }),
        item('uw.qb.revenue', 'qb-revenue', wan(f.revenue)),
        item('uw.qb.size', 'qb-size', t('uw.qb.sizeFormula', {
            value: factor(f.size_factor), ref: wan(f.size_reference_revenue), exp: f.size_exponent,
        }), { dataset: { value: String(f.size_factor) } }),
        item('uw.qb.grade', 'qb-grade', f.grade),
        item('uw.qb.security', 'qb-security', factor(f.security_factor), { dataset: { value: String(f.security_factor) } }),
        item('uw.qb.lambda', 'qb-lambda', t('uw.qb.lambdaValue', { value: factor(f.lambda), pct: percent(f.lambda, 3) }),
            { dataset: { value: String(f.lambda) } }),
        item('uw.qb.hourly', 'qb-hourly', t('uw.qb.hourlyValue', { value: yuan(f.hourly_gross_profit), margin: percent(f.gross_margin, 2) })));

    const covRows = b.coverages.map((c) => el('tr', { testid: 'qb-cov', dataset: { code: c.code } },
        el('th', { scope: 'row' }, covName(c)),
        el('td', { class: 'num' }, wan(c.sublimit)),
        el('td', { class: 'num' }, percent(c.share, 2)),
        el('td', { class: 'num', testid: 'qb-cov-lambda', dataset: { value: String(c.expected_losses) } }, factor(c.expected_losses)),
        el('td', { class: 'num', testid: 'qb-cov-pure', dataset: { fen: String(c.pure_premium) } }, yuan(c.pure_premium))));
    const coverages = scrollTable('qb-cov-table', 'qb-coverages', t('uw.qb.covCaption', { count: b.coverages.length }), [
        { text: t('uw.qb.coverage') }, { text: t('uw.qb.sublimit'), class: 'num' }, { text: t('uw.qb.share'), class: 'num' },
        { text: t('uw.qb.expectedLosses'), class: 'num' }, { text: t('uw.qb.pure'), class: 'num' },
    ], covRows);

    const money = (key, testid, fen, extra) => item(key, testid, yuan(fen), { dataset: { fen: String(fen) }, ...extra });
    const totals = el('dl', { class: 'details uw-totals', testid: 'qb-totals' },
        money('uw.qb.pureTotal', 'qb-pure', b.pure_premium),
        item('uw.qb.loading', 'qb-loading', t('uw.qb.loadingValue', {
            expense: percent(b.loading.expense, 2), profit: percent(b.loading.profit, 2), factor: factor(b.loading.factor),
        }), { dataset: { value: String(b.loading.factor) } }),
        money('uw.qb.gross', 'qb-gross', b.gross_premium),
        item('uw.qb.credit', 'qb-credit', t('uw.qb.creditValue', {
            years: b.claim_free_years, pct: percent(b.claim_free_credit, 2), amount: yuan(b.credit_amount),
        }), { dataset: { fen: String(b.credit_amount) } }),
        item('uw.qb.minimum', 'qb-minimum', b.minimum_applied ? t('uw.qb.minimumApplied', { amount: yuan(b.minimum_premium) })
            : yuan(b.minimum_premium), { dataset: { fen: String(b.minimum_premium), applied: String(b.minimum_applied) } }),
        money('uw.qb.premium', 'qb-premium', b.premium, { class: 'uw-premium' }),
        item('uw.qb.rol', 'qb-rol', percent(b.rate_on_line, 4)));

    const rules = b.rules.length === 0
        ? el('p', { class: 'muted', testid: 'qb-no-rules' }, t('uw.qb.noRules'))
        : el('ul', { class: 'uw-rules', testid: 'qb-rules' }, b.rules.map((r) => el('li', { testid: 'qb-rule', dataset: { id: r.id, decision: r.decision } },
            statusBadge('decision', r.decision), ' ', zhEn(r.reason_zh, r.reason_en),
            // the condition's words carry its deadline ("30 天内…"): said once
            r.condition_zh ? el('span', { class: 'uw-condition', dataset: { days: String(r.due_days) } }, t('uw.qb.condition', { text: zhEn(r.condition_zh, r.condition_en) })) : null)));

    return el('div', { class: 'uw-breakdown', testid: 'quote-breakdown' },
        el('h3', { class: 'subhead' }, t('uw.qb.step1')),
        el('p', { class: 'muted' }, t('uw.qb.step1Note')),
        factors,
        el('h3', { class: 'subhead' }, t('uw.qb.step2')),
        el('p', { class: 'muted' }, t('uw.qb.step2Note', { retention: wan(b.terms.retention) })),
        coverages,
        el('h3', { class: 'subhead' }, t('uw.qb.step3')),
        totals,
        el('h3', { class: 'subhead' }, t('uw.qb.rules')),
        rules,
        el('p', { class: 'muted', testid: 'qb-model' }, t('uw.qb.model', { model: b.model.rating_model, rules: b.model.rules }), ' ',
            el('a', { href: '/pricing.html', testid: 'qb-help' }, t('uw.qb.help'))));
}

// Beijing today + days as YYYY-MM-DD (for date inputs' defaults).
export function bjDate(days = 0) {
    return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}
