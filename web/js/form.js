// form.js — forms whose errors show next to the field they are about.
//
// createForm() builds a <form> from a list of field specs: each field gets a
// <label>, an optional hint, the control and an (empty, hidden) error line
// tied to the control with aria-describedby. showError(err) puts an
// ApiError's message next to the control named by err.field (and focuses
// it), or in the form's own error box when no control has that name. Texts
// are functions, so relabel() re-translates a form in place after a language
// switch without losing what the user typed or where the focus is.
//
// Test ids: the form is TESTID, each control TESTID-NAME, its error
// TESTID-NAME-error, the form-level error TESTID-error and the submit button
// TESTID-submit (NAME with "_" written "-": registered_capital_fen →
// TESTID-registered-capital-fen). Each control also carries data-field=NAME,
// the API's field name.
//
// Must never depend on: api.js, any page module.

import { el } from './dom.js';
import { pickBilingual } from './i18n.js';

const dash = (name) => name.replace(/_/g, '-');
const text = (v) => (typeof v === 'function' ? v() : v);

// spec: {name, label: () => string, type: 'text'|'password'|'email'|'tel'|
//   'date'|'select', value, options: () => [{value, label}] (select),
//   hint: () => string, autocomplete, inputmode, required, wide (full row)}
// opts: {id, testid, fields, submitLabel: () => string, onSubmit(values),
//   extraButtons: [nodes], class}
export function createForm({ id, testid, fields, submitLabel, onSubmit, extraButtons = [], class: cls }) {
    const controls = new Map();
    const formError = el('p', { class: 'error', role: 'alert', testid: `${testid}-error`, hidden: true });
    let lastError = null; // {err, name|null} shown now, re-picked on relabel
    let blocked = false; // submit stays disabled (e.g. login throttled)
    let busy = false;
    let fieldTexts = [];

    const rows = fields.map((f) => {
        const cid = `${id}-${dash(f.name)}`;
        const errId = `${cid}-error`;
        const hintId = f.hint ? `${cid}-hint` : null;
        let input;
        if (f.type === 'select') {
            input = el('select', { id: cid, name: f.name });
            fillOptions(input, text(f.options), f.value ?? '');
        } else {
            input = el('input', {
                id: cid,
                name: f.name,
                type: f.type ?? 'text',
                autocomplete: f.autocomplete ?? 'off',
                inputmode: f.inputmode,
                spellcheck: f.type === 'password' || f.type === 'email' ? 'false' : null,
                'aria-required': f.required ? 'true' : null,
            });
            input.value = f.value ?? '';
        }
        input.dataset.testid = `${testid}-${dash(f.name)}`;
        input.dataset.field = f.name;
        input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));

        const label = el('label', { for: cid });
        const req = f.required ? el('span', { class: 'field__req', 'aria-hidden': 'true' }, '*') : null;
        const hint = f.hint ? el('span', { id: hintId, class: 'field__hint' }) : null;
        const error = el('p', { id: errId, class: 'field__error', testid: `${testid}-${dash(f.name)}-error`, hidden: true });
        const labelText = el('span');
        label.append(labelText);
        if (req) label.append(req);
        // Hint under the control, so the controls of a row line up.
        const wrap = el('div', { class: `field${f.wide ? ' field--wide' : ''}`, dataset: { field: f.name } },
            label, input, hint, error);
        controls.set(f.name, { input, error, wrap, spec: f });
        fieldTexts.push(() => {
            labelText.textContent = text(f.label);
            if (hint) hint.textContent = text(f.hint);
            if (f.type === 'select') fillOptions(input, text(f.options), input.value);
        });
        return wrap;
    });

    const submit = el('button', { type: 'submit', class: 'btn btn--primary', testid: `${testid}-submit` });
    const form = el('form', { id, class: cls ?? 'form', testid, novalidate: true },
        formError,
        el('div', { class: 'form__grid' }, rows),
        el('div', { class: 'form__actions' }, submit, extraButtons));

    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (submit.disabled) return;
        clearErrors();
        setBusy(true);
        try {
            await onSubmit(values());
        } catch (err) {
            showError(err);
        } finally {
            setBusy(false);
        }
    });

    function values() {
        const out = {};
        for (const [name, c] of controls) out[name] = c.input.value;
        return out;
    }

    function setBusy(b) {
        busy = b;
        submit.disabled = busy || blocked;
        form.setAttribute('aria-busy', busy ? 'true' : 'false');
    }

    function clearErrors() {
        lastError = null;
        formError.hidden = true;
        formError.textContent = '';
        for (const c of controls.values()) {
            c.error.hidden = true;
            c.error.textContent = '';
            c.input.removeAttribute('aria-invalid');
            c.wrap.classList.remove('field--invalid');
        }
    }

    // err: an ApiError (message "中文 / English") or {message, field}; a
    // message for one field only, the others are cleared.
    function showError(err, { focus = true } = {}) {
        clearErrors();
        const c = err?.field ? controls.get(err.field) : null;
        lastError = { err, name: c && !c.wrap.hidden ? err.field : null };
        paintError();
        if (focus) {
            if (lastError.name) c.input.focus();
            else formError.focus?.();
        }
    }

    function paintError() {
        if (!lastError) return;
        const msg = typeof lastError.err?.text === 'function'
            ? lastError.err.text()
            : pickBilingual(lastError.err?.message ?? String(lastError.err));
        if (lastError.name) {
            const c = controls.get(lastError.name);
            c.error.textContent = msg;
            c.error.hidden = false;
            c.input.setAttribute('aria-invalid', 'true');
            c.wrap.classList.add('field--invalid');
        } else {
            formError.textContent = msg;
            formError.hidden = false;
        }
    }

    function relabel() {
        submit.textContent = text(submitLabel);
        for (const fn of fieldTexts) fn();
        paintError();
    }

    formError.setAttribute('tabindex', '-1');
    relabel();

    return {
        form,
        submit,
        controls,
        values,
        showError,
        clearErrors,
        relabel,
        setBusy,
        // Keep the submit button disabled (true) until released (false).
        setBlocked(b) {
            blocked = b;
            submit.disabled = busy || blocked;
        },
        input: (name) => controls.get(name).input,
        // Show or hide a field (hidden fields are not validated by the user
        // but their values stay in values()).
        toggle(name, shown) {
            controls.get(name).wrap.hidden = !shown;
        },
        reset() {
            clearErrors();
            for (const c of controls.values()) {
                c.input.value = c.spec.value ?? '';
            }
        },
    };
}

// A client-side error in the same shape as an ApiError, translated lazily so
// a language switch re-translates it: localError('password', () => t('…')).
export function localError(field, textFn) {
    return { field, text: textFn, message: '' };
}

function fillOptions(select, options, value) {
    select.replaceChildren(...options.map((o) => el('option', { value: o.value }, o.label)));
    select.value = value;
    if (select.value !== value && options.length) select.value = options[0].value;
}
