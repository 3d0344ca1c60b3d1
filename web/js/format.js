// format.js — how values of the API are shown: Beijing time, money in 万元,
// codes in words, "—" for what is empty or hidden.
//
// Times come from the API as UTC ("2026-11-28T12:00:00Z") and are shown in
// Beijing time (Asia/Shanghai, UTC+8, no daylight saving). Registered capital
// comes in fen (integer); 1 万元 = 1,000,000 fen, converted with integer
// arithmetic so no float rounding ever shows.
//
// Must never depend on: api.js, any page module.

import { t, has, getLang } from './i18n.js';
import { el } from './dom.js';

export const ORG_TYPES = Object.freeze(['ministry', 'support_center', 'province', 'city', 'comm_admin',
    'insurer', 'service_org', 'enterprise', 'expert']);
export const NATURES = Object.freeze(['public_institution', 'state_owned', 'private', 'joint_venture',
    'state_controlled', 'state_participated', 'other']);
export const ROLES = Object.freeze(['admin', 'member', 'viewer']);

// A value that may be null/empty (or hidden by the server): the value or "—".
export function orNone(v) {
    return v === null || v === undefined || v === '' ? t('common.none') : String(v);
}

// A code in words through the dictionary ("orgType.city" → 地市…), or the
// code itself when the dictionary does not know it.
export function word(prefix, code) {
    if (code === null || code === undefined || code === '') return t('common.none');
    return has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : String(code);
}

const BJ_PARTS = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
});

// "2026-11-28T12:00:00Z" → "2026-11-28 20:00" (Beijing time), or the input
// unchanged when it is not a time.
export function beijingText(iso, { seconds = false } = {}) {
    const d = new Date(iso);
    if (iso === null || iso === undefined || Number.isNaN(d.getTime())) return orNone(iso);
    const p = Object.fromEntries(BJ_PARTS.formatToParts(d).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

// A <time> element with the UTC value in datetime and Beijing time as text.
export function beijingTime(iso, opts) {
    if (!iso) return t('common.none');
    return el('time', { datetime: iso }, beijingText(iso, opts));
}

// fen (integer) → "5,000.5" (万元, up to 6 decimals, trailing zeros dropped).
export function fenToWanText(fen) {
    if (fen === null || fen === undefined) return null;
    if (!Number.isSafeInteger(fen)) return String(fen);
    const n = BigInt(fen);
    const neg = n < 0n;
    const abs = neg ? -n : n;
    const whole = abs / 1000000n;
    const frac = (abs % 1000000n).toString().padStart(6, '0').replace(/0+$/, '');
    const grouped = new Intl.NumberFormat(getLang()).format(whole);
    return `${neg ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

// fen → the shown registered capital, "5,000 万元", or "—".
export function capitalText(fen) {
    const s = fenToWanText(fen);
    return s === null ? t('common.none') : t('org.capitalValue', { value: s });
}

// fen → the plain number a user edits ("5000.5"), or '' for null.
export function fenToWanInput(fen) {
    if (fen === null || fen === undefined) return '';
    if (!Number.isSafeInteger(fen)) return String(fen);
    const n = BigInt(fen);
    const whole = n / 1000000n;
    const frac = (n % 1000000n).toString().padStart(6, '0').replace(/0+$/, '');
    return `${whole}${frac ? `.${frac}` : ''}`;
}

// "5,000.5" (万元) → 5000500000 (fen); '' → null; undefined when it is not a
// non-negative amount with at most 6 decimals (1 fen = 0.000001 万元).
export function wanInputToFen(text) {
    const s = String(text ?? '').replace(/[,，\s]/g, '');
    if (s === '') return null;
    const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(s);
    if (!m) return undefined;
    const fen = BigInt(m[1]) * 1000000n + BigInt((m[2] ?? '').padEnd(6, '0') || '0');
    if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    return Number(fen);
}

// Region code prefix used by the API's ?region= filter: "440000" → "44",
// "440100" → "4401", "440106" → "440106".
export function regionPrefix(code) {
    let p = String(code ?? '');
    while (p.length > 2 && p.endsWith('00')) p = p.slice(0, -2);
    return p;
}
