// sim/numbers.js — how the simulation page writes its numbers: the API's
// yuan (two decimals) as "¥1,234,567.89", 万元 for the chart's axis, whole
// numbers, shares and percentages, in the current language's grouping.
//
// Must never depend on: api.js, any page module.

import { t, getLang } from '../i18n.js';
import { el } from '../dom.js';

export function fmt(opts) {
    return new Intl.NumberFormat(getLang() === 'en' ? 'en-US' : 'zh-CN', opts);
}

export function isNum(v) {
    return typeof v === 'number' && Number.isFinite(v);
}

// 9002796.64 → "¥9,002,796.64" (the API's yuan with two decimals), or "—".
export function yuanText(v) {
    if (!isNum(v)) return t('common.none');
    const s = fmt({ minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.abs(v));
    return `${v < 0 ? '-' : ''}¥${s}`;
}

// yuan → 万元 for the chart's axis: 110083278.88 → "11,008"
export function wanText(v) {
    if (!isNum(v)) return '';
    const wan = v / 10000;
    return fmt({ maximumFractionDigits: Math.abs(wan) < 10 ? 2 : 0 }).format(wan);
}

export function intText(v) {
    return isNum(v) ? fmt({ maximumFractionDigits: 0 }).format(v) : t('common.none');
}

export function shareText(part, whole) {
    if (!isNum(part) || !isNum(whole) || whole <= 0) return t('common.none');
    return ratioText(part / whole);
}

// 0.0958 → "9.6%"; a share too small to show as 0.1% is "<0.1%", not "0.0%".
export function ratioText(x) {
    const f = fmt({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    if (x > 0 && x < 0.0005) return `<${f.format(0.001)}`;
    return f.format(x);
}

export function money(testid, v, extra = {}) {
    return el('span', { testid, class: 'nowrap', dataset: { value: isNum(v) ? String(v) : '' }, ...extra }, yuanText(v));
}

export function percentText(p) {
    const v = Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : 0;
    return fmt({ style: 'percent', maximumFractionDigits: 0 }).format(v);
}
