// sim/form.js — the form that starts a simulation: years, seed, the demo
// portfolio or an exposure CSV (read in the browser with FileReader and sent
// as exposure_csv), and the event catalogue checkbox. readRun() turns what
// was typed into the body of POST /api/v1/simulations, or throws a
// localError next to the field at fault.
//
// Must never depend on: api.js, any page module.

import { t } from '../i18n.js';
import { el } from '../dom.js';
import { createForm, localError } from '../form.js';

export function buildForm(onSubmit) {
    const f = createForm({
        id: 'sim-form',
        testid: 'sim-form',
        fields: [
            { name: 'years', label: () => t('sim.f.years'), hint: () => t('sim.f.yearsHint'), value: '10000', inputmode: 'numeric', required: true },
            { name: 'seed', label: () => t('sim.f.seed'), hint: () => t('sim.f.seedHint'), value: '42', inputmode: 'numeric', required: true },
            {
                name: 'portfolio',
                type: 'select',
                label: () => t('sim.f.portfolio'),
                value: 'demo',
                options: () => [
                    { value: 'demo', label: t('sim.f.portfolioDemo') },
                    { value: 'exposure', label: t('sim.f.portfolioExposure') },
                ],
                wide: true,
            },
            { name: 'exposure_csv', type: 'file', label: () => t('sim.f.file'), hint: () => t('sim.f.fileHint'), required: true, wide: true },
        ],
        submitLabel: () => t('sim.f.submit'),
        onSubmit,
    });
    f.input('exposure_csv').setAttribute('accept', '.csv,text/csv,text/plain');
    f.toggle('exposure_csv', false);
    f.input('portfolio').addEventListener('change', () => {
        f.toggle('exposure_csv', f.input('portfolio').value === 'exposure');
    });

    // A checkbox outside .field (whose input rule is for text boxes).
    const box = el('input', { type: 'checkbox', id: 'sim-form-catalogue', name: 'catalogue', testid: 'sim-form-catalogue' });
    box.dataset.field = 'catalogue';
    box.checked = true;
    const label = el('span');
    f.catalogue = { input: box, label };
    f.form.querySelector('.form__grid').append(
        el('p', { class: 'form-note field--wide' }, el('label', { for: 'sim-form-catalogue' }, box, ' ', label)));
    return f;
}

function wholeNumber(name, value) {
    const s = String(value ?? '').trim();
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw localError(name, () => t('sim.err.integer'));
    return Number(s);
}

function readText(file) {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.addEventListener('load', () => resolve(String(reader.result ?? '')));
        reader.addEventListener('error', () => {
            const message = reader.error?.message ?? '';
            reject(localError('exposure_csv', () => t('sim.err.read', { message })));
        });
        reader.readAsText(file, 'utf-8');
    });
}

// The body of POST /api/v1/simulations from the form's values.
export async function readRun(f, values) {
    const body = {
        years: wholeNumber('years', values.years),
        seed: wholeNumber('seed', values.seed),
        portfolio: values.portfolio,
        catalogue: f.catalogue.input.checked,
    };
    if (values.portfolio === 'exposure') {
        const file = f.input('exposure_csv').files?.[0];
        if (!file) throw localError('exposure_csv', () => t('sim.err.noFile'));
        body.exposure_csv = await readText(file);
    }
    return body;
}
