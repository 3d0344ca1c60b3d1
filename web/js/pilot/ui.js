// pilot/ui.js — the pieces the pilot pages share: text boxes with the live
// 字数 against the round's limit (zishu.js counts exactly as the server does,
// tests/vectors/zishu.json), editable tables of the forms, server refusals
// shown next to the field they name ("joint_units[3].uscc", "body"), status
// words, yuan ↔ fen without floating point, and the round's deadlines.
//
// Must never depend on: page modules; never writes API data as HTML.

import { t, pickBilingual, getLang } from '../i18n.js';
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

// A scheme's or plan's 申报方向 (form.direction) with, beside it, its target
// industry (form.industry) or product class (form.product) from the reference
// lists (ref: GET /api/v1/ref/pilot): the one that does not apply is hidden
// and dropped from form. prefix names the fields (scheme-industry …).
// Returns the three fields' nodes.
export function directionFields(prefix, form, ref) {
    const pick = (k, list) => selectField({ id: `${prefix}-${k}`, testid: `${prefix}-${k}`, field: k, label: t(`s.${k}`),
        value: form[k] ?? '', options: codeOptions(list), onInput: (v) => { form[k] = v; } });
    const industry = pick('industry', ref.target_industries);
    const product = pick('product', ref.product_classes);
    const show = () => {
        industry.node.hidden = form.direction !== 'enterprise';
        product.node.hidden = form.direction !== 'product_service';
        if (form.direction === 'enterprise') delete form.product;
        if (form.direction === 'product_service') delete form.industry;
    };
    const direction = selectField({ id: `${prefix}-direction`, testid: `${prefix}-direction`, field: 'direction', label: t('s.direction'),
        value: form.direction ?? '', options: directionOptions(), onInput: (v) => { form.direction = v; show(); } });
    show();
    return [direction.node, industry.node, product.node];
}

// The joint units (联合申报单位) as an editable table: name, nature, USCC and,
// for a service institution, its kind (kinds: the reference list).
export function jointUnitsTable({ testid, max, rows, onChange, kinds = [] }) {
    return editTable({
        testid, field: 'joint_units', caption: t('s.joint'), max, rows, onChange,
        columns: [{ key: 'name', label: t('s.joint.name') },
            { key: 'nature', label: t('s.joint.nature'), type: 'select', options: NATURES.map((n) => ({ value: n, label: word('nature', n) })) },
            { key: 'uscc', label: t('s.joint.uscc') },
            { key: 'kind', label: t('s.joint.kind'), type: 'select', options: codeOptions(kinds) }],
    });
}

// 一、基本情况 (一) 基本信息 of the lead: from the form, else from the organisation's profile.
export function leadInfoFields(prefix, info, kinds) {
    const text = (k, type = 'text') => textField({ id: `${prefix}-lead-${k}`, testid: `${prefix}-lead-${k}`, field: `lead_info.${k}`,
        label: t(`pl.lead.${k}`), value: info[k], type, onInput: (v) => { info[k] = v; } }).node;
    return el('div', { class: 'form__grid', testid: `${prefix}-lead-info` },
        text('founded_on', 'date'),
        amountField({ id: `${prefix}-lead-capital`, testid: `${prefix}-lead-capital`, field: 'lead_info.registered_capital_fen',
            label: t('pl.lead.registered_capital'), fen: info.registered_capital_fen, unit: 'wan',
            onFen: (v) => { if (v === null) delete info.registered_capital_fen; else if (v !== undefined) info.registered_capital_fen = v; } }),
        text('address'), text('contact'), text('phone'), text('fax'), text('email'),
        selectField({ id: `${prefix}-lead-kind`, testid: `${prefix}-lead-kind`, field: 'lead_info.kind', label: t('pl.lead.kind'),
            value: info.kind ?? '', options: codeOptions(kinds), onInput: (v) => { if (v) info.kind = v; else delete info.kind; } }).node);
}

// The lead's 基本信息 a new form starts with: the organisation's own profile.
export function leadInfoFrom(org) {
    const info = {};
    for (const k of ['founded_on', 'address', 'contact', 'phone', 'fax', 'email'])
        if (org?.[k]) info[k] = org[k];
    if (Number.isSafeInteger(org?.registered_capital_fen)) info.registered_capital_fen = org.registered_capital_fen;
    return info;
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

// ---- amounts: 元 or 万元, typed as a person writes them ------------------

// "12000", "12,000.50", "1.2万", "5万元" (元 mode) or "1.2" (万元 mode) → fen;
// '' → null; undefined when it is not an amount. Integer arithmetic only.
export function amountToFen(text, unit = 'yuan') {
    let s = String(text ?? '').replace(/[,，\s]/g, '').replace(/元$/, '');
    if (s === '') return null;
    let wan = unit === 'wan';
    if (/万$/.test(s)) {
        wan = true;
        s = s.slice(0, -1);
    }
    const places = wan ? 6 : 2;
    const m = new RegExp(`^(\\d+)(?:\\.(\\d{1,${places}}))?$`).exec(s);
    if (!m) return undefined;
    const scale = wan ? 1000000n : 100n;
    const fen = BigInt(m[1]) * scale + BigInt((m[2] ?? '').padEnd(places, '0') || '0');
    return fen > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(fen);
}

// An amount field: the number, its unit (元 / 万元), and a message in words
// when what is typed is not an amount (nothing is sent then). onFen(fen |
// null | undefined) after every change.
export function amountField({ id, testid, field, label, fen, unit = 'yuan', onFen }) {
    const input = el('input', { id, type: 'text', inputmode: 'decimal', autocomplete: 'off', testid, dataset: { field, amount: '' } });
    const units = el('select', { testid: `${testid}-unit`, 'aria-label': t('pl.amount.unit') },
        el('option', { value: 'yuan' }, t('pl.amount.yuan')), el('option', { value: 'wan' }, t('pl.amount.wan')));
    units.value = unit;
    input.value = fen === null || fen === undefined || fen < 0 ? '' : unit === 'wan' ? fenToWan(fen) : fenToYuan(fen);
    const msg = el('p', { class: 'field__error', testid: `${testid}-msg`, hidden: true, dataset: { errorFor: field } });
    const check = () => {
        const v = amountToFen(input.value, units.value);
        msg.hidden = v !== undefined;
        msg.textContent = v === undefined ? t('pl.amount.invalid', { example: units.value === 'wan' ? '1.2' : '12000' }) : '';
        input.setAttribute('aria-invalid', String(v === undefined));
        onFen?.(v);
    };
    input.addEventListener('input', check);
    units.addEventListener('change', check);
    return el('div', { class: 'field', dataset: { field } }, el('label', { for: id }, label),
        el('span', { class: 'inline-form' }, input, units), msg);
}

// Whether every amount of root is an amount; else the first one shows its message and takes the focus.
export function amountsValid(root) {
    const bad = root.querySelector('[data-amount][aria-invalid="true"]');
    if (!bad) return true;
    bad.focus();
    return false;
}

export function fenToWan(fen) {
    if (fen === null || fen === undefined) return '';
    const n = BigInt(fen);
    const frac = (n % 1000000n).toString().padStart(6, '0').replace(/0+$/, '');
    return `${n / 1000000n}${frac ? `.${frac}` : ''}`;
}

// ---- coded fields --------------------------------------------------------

// Options of a list of the reference data ({code, name_zh, name_en}), "请选择" first.
export function codeOptions(list) {
    return [{ value: '', label: t('s.dir.none') },
        ...list.map((c) => ({ value: c.code, label: pickBilingual(`${c.name_zh} / ${c.name_en}`) }))];
}

// The name of a code of the list, in the current language ('' → —).
export function codeName(list, code) {
    const c = list.find((x) => x.code === code);
    return c ? pickBilingual(`${c.name_zh} / ${c.name_en}`) : (code || t('common.none'));
}

// ---- what the round says of a record --------------------------------------

// The 真实性承诺 and 申报主体责任声明 of the record's round and annex, word for word.
export function declarationBlock(testid, text) {
    if (!text || (!text.commitment && !text.declaration)) return null;
    return el('div', { class: 'declaration', testid },
        text.commitment ? [el('h4', {}, t('pl.commitment')), el('p', { testid: `${testid}-commitment` }, text.commitment)] : null,
        text.declaration ? [el('h4', {}, t('pl.declaration')),
            el('div', { testid: `${testid}-declaration` }, text.declaration.split('\n').map((line) => el('p', {}, line)))] : null);
}

// The 原则上 limits a record is past, each waived or waiting for the ministry.
export function warningList(record) {
    const warnings = record?.warnings ?? [];
    if (warnings.length === 0) return null;
    const en = getLang() === 'en';
    return el('ul', { class: 'warnings', testid: 'record-warnings' },
        warnings.map((w) => el('li', { testid: 'record-warning', dataset: { rule: w.rule, waived: String(w.waived) } },
            en ? w.message_en : w.message_zh)));
}

// A hop of a trail in words ("广州市…将本方案报送广东省…"), with its time.
export function hopWords(h) {
    return getLang() === 'en' ? h.text_en : h.text_zh;
}

// A hop's paper copies, beside its electronic receipt: when they arrived, how many, late or not.
function paperWords(p) {
    return el('span', { testid: 'hop-paper', dataset: { late: String(Boolean(p.late)) } },
        ' · ', t(p.late ? 'pl.paperLate' : 'pl.paper', { at: when(p.received_at), copies: p.copies }));
}

// The trail of a record as a list in words, each hop's paper beside it.
export function trailList(testid, hops) {
    return el('ol', { class: 'timeline', testid },
        hops.map((h) => el('li', { class: 'timeline__item', testid: 'hop-row', dataset: { kind: h.kind, late: String(Boolean(h.late)) } },
            el('time', { datetime: h.received_at }, when(h.received_at)), ' ', hopWords(h), h.paper ? paperWords(h.paper) : null)));
}

// Today in Beijing time, YYYY-MM-DD, as a date input's value.
export function beijingToday() {
    return beijingText(new Date().toISOString()).slice(0, 10);
}

// "已保存", or what the save did to the units' confirmations.
export function savedText(out) {
    return out.confirmations_cleared > 0 ? t('pl.savedCleared', { n: out.confirmations_cleared }) : t('pl.saved');
}

// A list page's action: fn() → the answer; on success the page says okText(answer)
// through say() and reloads; a refusal shows next to its field (or in box).
export async function actThenReload(root, box, fn, okText, say, reload, messageTestid) {
    await runAction(root, box, async () => [await fn(), ''], (out) => say(okText(out)));
    if (box.hidden) await reload();
    root.querySelector(`[data-testid="${messageTestid}"]`)?.focus();
}
