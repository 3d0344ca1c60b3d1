// pilot/ui.js — the pieces the pilot pages share: text boxes with the live
// 字数 against the round's limit (zishu.js counts exactly as the server does,
// tests/vectors/zishu.json), editable tables of the forms, server refusals
// shown next to the field they name ("joint_units[3].uscc", "body"), status
// words, yuan ↔ fen without floating point, and the round's deadlines.
//
// Must never depend on: page modules; never writes API data as HTML.

import { t, pickBilingual } from '../i18n.js';
import { el, replaceChildren } from '../dom.js';
import { countZishu } from '../zishu.js';
import { beijingText, NATURES, word } from '../format.js';

// The organisation types that receive plans and packages (the inbox page).
// /api/v1/me lists write permissions only (plan.route, telecom.flag …), and
// a viewer of these organisations reads its inbox too, so reading is still
// decided by type here.
export const AUTHORITIES = Object.freeze(['ministry', 'support_center', 'province', 'city', 'comm_admin']);

// The types whose users read expert reviews (the experts theirs, the ministry
// and the support center all); as above, /me has no read permission for it.
export const REVIEW_READERS = Object.freeze(['expert', 'ministry', 'support_center']);

const dash = (s) => s.replace(/[_.[\]]+/g, '-').replace(/-+$/, '');

// The words of a 字数 counter: "字数 4999 / 不少于 5000（还差 1 字）".
export function zishuText(count, { min, max } = {}) {
    if (max) return t('pl.zishuMax', { count, limit: max }) + (count > max ? t('pl.zishuOver', { n: count - max }) : '');
    if (min) return t('pl.zishuMin', { count, limit: min }) + (count < min ? t('pl.zishuShort', { n: min - count }) : '');
    return t('pl.zishu', { count });
}

// A counter element: data-count, data-ok ("true" within the limit).
export function counter(testid) {
    const node = el('p', { class: 'zishu', testid, 'aria-live': 'polite' });
    return {
        node,
        set(count, limits = {}) {
            const ok = !((limits.max && count > limits.max) || (limits.min && count < limits.min));
            node.dataset.count = String(count);
            node.dataset.ok = String(ok);
            node.classList.toggle('zishu--bad', !ok);
            node.textContent = zishuText(count, limits);
        },
    };
}

// The (hidden, empty) error line of the API field `field`: showFieldError()
// fills it when the server names that field.
export function errorLine(field) {
    return el('p', { class: 'field__error', hidden: true, dataset: { errorFor: field } });
}

// A labelled field wrapper whose data-field is the API path of its value.
function wrap(field, label, control, extra = []) {
    return el('div', { class: 'field field--wide', dataset: { field } }, label, control, extra, errorLine(field));
}

// A button that calls onClick. cls: 'btn--primary', 'btn--small' or ''.
export function button(testid, label, onClick, cls = '') {
    const b = el('button', { type: 'button', class: cls ? `btn ${cls}` : 'btn', testid }, label);
    b.addEventListener('click', () => onClick(b));
    return b;
}

// One value and the button that acts on it (a declaration's legal
// representative, a recommendation, a return comment): intro text, label,
// the control (data-field = the API field), the button and the error line.
export function actionField({ id, testid, field, label, intro = null, multiline = false, action, onAct }) {
    const input = multiline
        ? el('textarea', { id, rows: '3', testid, dataset: { field } })
        : el('input', { id, type: 'text', testid, dataset: { field } });
    return el('div', { class: 'field field--wide', dataset: { field } },
        intro ? el('p', {}, intro) : null,
        el('label', { for: id }, label), input,
        button(action.testid, action.label, () => onAct(input.value)),
        errorLine(field));
}

// The unit's declaration (承诺与声明) confirmed by its legal representative.
export function confirmField(prefix, onConfirm) {
    return actionField({
        id: `${prefix}-legal-rep`, testid: `${prefix}-legal-rep`, field: 'legal_representative',
        label: t('pl.legalRep'), intro: t('pl.confirmText'),
        action: { testid: `${prefix}-confirm`, label: t('pl.confirm') }, onAct: onConfirm,
    });
}

// The options of a scheme's or plan's direction (服务方向).
export function directionOptions() {
    return [{ value: '', label: t('s.dir.none') }, { value: 'enterprise', label: t('s.dir.enterprise') },
        { value: 'product_service', label: t('s.dir.product_service') }];
}

// The joint units (联合申报单位) as an editable table: name, nature, USCC.
export function jointUnitsTable({ testid, max, rows, onChange }) {
    return editTable({
        testid, field: 'joint_units', caption: t('s.joint'), max, rows, onChange,
        columns: [{ key: 'name', label: t('s.joint.name') },
            { key: 'nature', label: t('s.joint.nature'), type: 'select', options: NATURES.map((n) => ({ value: n, label: word('nature', n) })) },
            { key: 'uscc', label: t('s.joint.uscc') }],
    });
}

// A form the visitor may not change: every control disabled.
export function lockForm(node) {
    for (const c of node.querySelectorAll('input, select, textarea, .btn--small, [data-testid$="-add"]')) c.disabled = true;
}

// The units of a scheme or plan and whether each has confirmed.
export function unitStatus(u) {
    return u.confirmed_at ? t('pl.unit.confirmed', { name: u.legal_representative, at: when(u.confirmed_at) }) : t('pl.unit.pending');
}

export function unitRole(u) {
    return u.seq === 0 ? t('pl.unit.lead') : t('pl.unit.joint');
}

// A one-line input. onInput(value) on every change.
export function textField({ id, testid, field, label, value = '', type = 'text', onInput }) {
    const input = el('input', { id, type, autocomplete: 'off', testid, dataset: { field } });
    input.value = value ?? '';
    input.addEventListener('input', () => onInput?.(input.value));
    return { node: wrap(field, el('label', { for: id }, label), input), input };
}

// A select of [{value, label}].
export function selectField({ id, testid, field, label, options, value = '', onInput }) {
    const input = el('select', { id, testid, dataset: { field } },
        options.map((o) => el('option', { value: o.value }, o.label)));
    input.value = value ?? '';
    input.addEventListener('change', () => onInput?.(input.value));
    return { node: wrap(field, el('label', { for: id }, label), input), input };
}

// A text box with its live 字数 against {min} or {max}.
export function zishuField({ id, testid, field, label, value = '', limits = {}, rows = 6, onInput }) {
    const input = el('textarea', { id, rows: String(rows), testid, dataset: { field } });
    input.value = value ?? '';
    const c = counter(`${testid}-count`);
    const update = () => c.set(countZishu(input.value), limits);
    input.addEventListener('input', () => {
        update();
        onInput?.(input.value);
    });
    update();
    input.setAttribute('aria-describedby', `${id}-count`);
    c.node.id = `${id}-count`;
    return { node: wrap(field, el('label', { for: id }, label), input, [c.node]), input, update };
}

// An editable table: columns [{key, label, type?: 'text'|'select', options}];
// rows an array of objects; onChange(rows) after every edit, add or removal.
export function editTable({ testid, field, caption, columns, rows, max, onChange }) {
    const body = el('tbody');
    const count = el('p', { class: 'muted', testid: `${testid}-rows` });
    const add = el('button', { type: 'button', class: 'btn', testid: `${testid}-add` }, t('pl.addRow'));
    const data = rows.map((r) => ({ ...r }));
    const changed = () => {
        count.textContent = max ? t('pl.countOf', { count: data.length, max }) : t('pl.rowCount', { count: data.length });
        count.dataset.count = String(data.length);
        onChange?.(data);
    };
    const paint = () => {
        replaceChildren(body, data.map((row, i) => el('tr', { testid: `${testid}-row`, dataset: { index: String(i) } },
            columns.map((c) => {
                const cell = c.type === 'select'
                    ? el('select', { 'aria-label': `${c.label} ${i + 1}`, dataset: { field: `${field}[${i}].${c.key}` }, testid: `${testid}-${c.key}` },
                        c.options.map((o) => el('option', { value: o.value }, o.label)))
                    : el('input', { type: 'text', 'aria-label': `${c.label} ${i + 1}`, dataset: { field: `${field}[${i}].${c.key}` }, testid: `${testid}-${c.key}` });
                cell.value = row[c.key] ?? '';
                cell.addEventListener(c.type === 'select' ? 'change' : 'input', () => {
                    row[c.key] = cell.value;
                    changed();
                });
                return el('td', {}, cell);
            }),
            el('td', {}, button(`${testid}-remove`, t('pl.removeRow'), () => {
                data.splice(i, 1);
                paint();
                changed();
            }, 'btn--small')))));
    };
    add.addEventListener('click', () => {
        data.push(Object.fromEntries(columns.map((c) => [c.key, c.type === 'select' ? c.options[0].value : ''])));
        paint();
        changed();
    });
    paint();
    changed();
    const table = el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
        el('table', { class: 'data-table', testid },
            el('caption', {}, caption),
            el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col' }, c.label)), el('th', { scope: 'col' }, ''))),
            body));
    return { node: el('div', { class: 'field field--wide', dataset: { field } }, table, count, add, errorLine(field)), rows: data };
}

// Show a refusal next to the field it names, or in box. The field may be
// deeper than any control ("joint_units[0].uscc"): its nearest shown parent
// takes the message. Returns the node that shows it.
export function showFieldError(root, box, err) {
    clearFieldErrors(root, box);
    const msg = pickBilingual(err?.message ?? String(err));
    let field = err?.field || '';
    while (field) {
        const ctl = root.querySelector(`[data-field="${CSS.escape(field)}"]`);
        const host = root.querySelector(`[data-error-for="${CSS.escape(field)}"]`) ??
            ctl?.closest('.field')?.querySelector('.field__error');
        if (host) {
            host.textContent = msg;
            host.hidden = false;
            host.dataset.testid = 'field-error';
            host.dataset.code = err.code ?? '';
            if (ctl && ctl.matches('input, select, textarea')) {
                ctl.setAttribute('aria-invalid', 'true');
                ctl.focus();
            }
            return host;
        }
        const cut = Math.max(field.lastIndexOf('.'), field.lastIndexOf('['));
        field = cut > 0 ? field.slice(0, cut) : '';
    }
    box.textContent = msg;
    box.hidden = false;
    box.dataset.code = err?.code ?? '';
    box.focus?.();
    return box;
}

// Run an editor's action: clear the errors shown, await fn() → [record,
// message]; then done(record, message), or show the refusal by its field.
export async function runAction(root, box, fn, done) {
    clearFieldErrors(root, box);
    try {
        const [out, text] = await fn();
        done(out, text);
    } catch (err) {
        showFieldError(root, box, err);
    }
}

export function clearFieldErrors(root, box) {
    for (const e of root.querySelectorAll('.field__error')) {
        e.hidden = true;
        e.textContent = '';
        delete e.dataset.testid;
    }
    for (const c of root.querySelectorAll('[aria-invalid="true"]')) c.removeAttribute('aria-invalid');
    box.hidden = true;
    box.textContent = '';
}

export function statusWord(s) {
    return t(`pl.status.${s}`);
}

// "12,000.5" 元 → 1200050 fen; '' → null; undefined when not an amount.
export function yuanToFen(text) {
    const s = String(text ?? '').replace(/[,，\s]/g, '');
    if (s === '') return null;
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
    if (!m) return undefined;
    const fen = BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
    return fen > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(fen);
}

export function fenToYuan(fen) {
    if (fen === null || fen === undefined) return '';
    const n = BigInt(fen);
    const frac = (n % 100n).toString().padStart(2, '0').replace(/0+$/, '');
    return `${n / 100n}${frac ? `.${frac}` : ''}`;
}

// The deadlines of a round as a definition list, the caller's province's own dates marked.
export function deadlineList(round, province) {
    const own = round.provinces?.[province]?.deadlines ?? {};
    return el('dl', { class: 'deadlines', testid: 'round-deadlines' },
        Object.entries(round.deadlines).map(([k, v]) => {
            const mine = own[k];
            return el('div', { class: 'deadlines__item', dataset: { key: k } },
                el('dt', {}, t(`pl.dl.${k}`)),
                el('dd', { testid: `deadline-${k}` }, mine ? `${mine}${t('pl.myProvince')}` : v ?? t('pl.dl.none')));
        }));
}

export function when(iso) {
    return iso ? beijingText(iso) : t('common.none');
}

export { dash };
