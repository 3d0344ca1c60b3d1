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
//   'date'|'select'|'file', value, options: () => [{value, label}] (select),
//   hint: () => string, autocomplete, inputmode, required, wide (full row)}
// opts: {id, testid, fields, submitLabel: () => string, onSubmit(values),
//   extraButtons: [nodes], class}
export function createForm({ id, testid, fields, submitLabel, onSubmit, extraButtons = [], class: cls }) {
    const controls = new Map(fields.map((f) => [f.name, buildField(f, id, testid)]));
    const formError = el('p', { class: 'error', role: 'alert', testid: `${testid}-error`, hidden: true, tabindex: '-1' });
    const submit = el('button', { type: 'submit', class: 'btn btn--primary', testid: `${testid}-submit` });
    const form = el('form', { id, class: cls ?? 'form', testid, novalidate: true },
        formError,
        el('div', { class: 'form__grid' }, [...controls.values()].map((c) => c.wrap)),
        el('div', { class: 'form__actions' }, submit, extraButtons));
    const errors = errorDisplay(controls, formError);
    let blocked = false; // submit stays disabled (e.g. login throttled)
    let busy = false;

    const values = () => Object.fromEntries([...controls].map(([name, c]) => [name, c.input.value]));
    const setBusy = (b) => {
        busy = b;
        submit.disabled = busy || blocked;
        form.setAttribute('aria-busy', busy ? 'true' : 'false');
    };
    const relabel = () => {
        submit.textContent = text(submitLabel);
        for (const c of controls.values()) c.relabel();
        errors.paint();
    };

    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (submit.disabled) return;
        errors.clear();
        setBusy(true);
        try {
            await onSubmit(values());
        } catch (err) {
            errors.show(err);
        } finally {
            setBusy(false);
        }
    });
    relabel();

    return {
        form,
        submit,
        controls,
        values,
        showError: errors.show,
        clearErrors: errors.clear,
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
            errors.clear();
            for (const c of controls.values()) {
                c.input.value = c.spec.value ?? '';
            }
        },
    };
}

// One field: label (with a required mark), the control, an optional hint
// and the error line, tied together with aria-describedby. relabel()
// re-translates it in place.
function buildField(f, formId, testid) {
    const cid = `${formId}-${dash(f.name)}`;
    const errId = `${cid}-error`;
    const hintId = f.hint ? `${cid}-hint` : null;
    const input = f.type === 'select'
        ? el('select', { id: cid, name: f.name })
        : el('input', {
            id: cid,
            name: f.name,
            type: f.type ?? 'text',
            autocomplete: f.autocomplete ?? 'off',
            inputmode: f.inputmode,
            spellcheck: f.type === 'password' || f.type === 'email' ? 'false' : null,
            'aria-required': f.required ? 'true' : null,
        });
    if (f.type === 'select') fillOptions(input, text(f.options), f.value ?? '');
    else input.value = f.value ?? '';
    input.dataset.testid = `${testid}-${dash(f.name)}`;
    input.dataset.field = f.name;
    input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));

    const labelText = el('span');
    const label = el('label', { for: cid }, labelText,
        f.required ? el('span', { class: 'field__req', 'aria-hidden': 'true' }, '*') : null);
    const hint = f.hint ? el('span', { id: hintId, class: 'field__hint' }) : null;
    const error = el('p', { id: errId, class: 'field__error', testid: `${testid}-${dash(f.name)}-error`, hidden: true });
    // Hint under the control, so the controls of a row line up.
    const wrap = el('div', { class: `field${f.wide ? ' field--wide' : ''}`, dataset: { field: f.name } },
        label, input, hint, error);
    const relabel = () => {
        labelText.textContent = text(f.label);
        if (hint) hint.textContent = text(f.hint);
        if (f.type === 'select') fillOptions(input, text(f.options), input.value);
    };
    return { input, error, wrap, spec: f, relabel };
}

// The error shown now: next to the control it names, else in the form's own
// box; kept so that a language switch paints it again in the new language.
function errorDisplay(controls, formError) {
    let last = null; // {err, name|null}
    const clear = () => {
        last = null;
        formError.hidden = true;
        formError.textContent = '';
        for (const c of controls.values()) {
            c.error.hidden = true;
            c.error.textContent = '';
            c.input.removeAttribute('aria-invalid');
            c.wrap.classList.remove('field--invalid');
        }
    };
    const paint = () => {
        if (!last) return;
        const msg = typeof last.err?.text === 'function'
            ? last.err.text()
            : pickBilingual(last.err?.message ?? String(last.err));
        if (last.name) {
            const c = controls.get(last.name);
            c.error.textContent = msg;
            c.error.hidden = false;
            c.input.setAttribute('aria-invalid', 'true');
            c.wrap.classList.add('field--invalid');
        } else {
            formError.textContent = msg;
            formError.hidden = false;
        }
    };
    // err: an ApiError (message "中文 / English") or {message, field}; a
    // message for one field only, the others are cleared.
    const show = (err, { focus = true } = {}) => {
        clear();
        const c = err?.field ? controls.get(err.field) : null;
        last = { err, name: c && !c.wrap.hidden ? err.field : null };
        paint();
        if (focus) {
            if (last.name) c.input.focus();
            else formError.focus?.();
        }
    };
    return { clear, paint, show };
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
