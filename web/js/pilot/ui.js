// pilot/ui.js — the pieces the pilot pages share: text boxes with the live
// 字数 against the round's limit (zishu.js counts exactly as the server does,
// tests/vectors/zishu.json), editable tables of the forms, server refusals
// shown next to the field they name ("joint_units[3].uscc", "body"), status
// words, yuan ↔ fen without floating point, and the round's deadlines.
//
// Must never depend on: page modules; never writes API data as HTML.

import './strings.js';
import { t, pickBilingual } from '../i18n.js';
import { el, replaceChildren } from '../dom.js';
import { countZishu } from '../zishu.js';
import { beijingText } from '../format.js';

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

// A labelled field wrapper whose data-field is the API path of its value.
function wrap(field, label, control, extra = []) {
    const err = el('p', { class: 'field__error', hidden: true, dataset: { errorFor: field } });
    return el('div', { class: 'field field--wide', dataset: { field } }, label, control, extra, err);
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
            el('td', {}, (() => {
                const b = el('button', { type: 'button', class: 'btn btn--small', testid: `${testid}-remove` }, t('pl.removeRow'));
                b.addEventListener('click', () => {
                    data.splice(i, 1);
                    paint();
                    changed();
                });
                return b;
            })()))));
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
    const errBox = el('p', { class: 'field__error', hidden: true, dataset: { errorFor: field } });
    return { node: el('div', { class: 'field field--wide', dataset: { field } }, table, count, add, errBox), rows: data };
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
