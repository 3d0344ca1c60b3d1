// pages/assessment.js — risk assessments (风险评估): /assessment.html lists
// the assessments the visitor sees (the history) and starts a new one;
// /assessment.html?id=N shows a draft as a wizard — the profile (target
// industry, what the firm runs, MLPS level and 测评 result, dependencies),
// one step per section of the questionnaire that applies, then the scan
// evidence and the submission — saving each step (PATCH), so closing the
// page and coming back resumes where the answers stop; a submitted one as
// its result: score, grade, the drivers as a chart and a 防灾减损
// recommendation for each.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { can } from '../session.js';
import { showLoading, showError, showReady, scrollTable, recordPage } from '../view.js';
import { beijingTime, orNone } from '../format.js';
import { zhEn, statusBadge, item } from '../uw/ui.js';

const state = {
    view: null, // the view mount() made
    session: null,
    id: null,
    qn: null,
    pilot: null,
    a: null, // the assessment
    list: null,
    answers: {},
    profile: null, // {target_industry, flags, mlps, dependencies} being edited
    step: 0,
    busy: false,
    message: null, // {kind: 'error'|'success', text, field}
    error: null,
};

export const page = recordPage(state, {
    title: 'title.assessment',
    view: 'assessment-view',
    permission: 'assessment.read',
    forbidden: 'uw.assess.forbidden',
    load,
    render,
});

async function load() {
    if (state.id === null) {
        state.list = await apiList('/api/v1/assessments');
    } else {
        const [qn, pilot, a] = await Promise.all([
            api('/api/v1/assessments/questionnaire'),
            api('/api/v1/ref/pilot'),
            api(`/api/v1/assessments/${state.id}`),
        ]);
        state.qn = qn;
        state.pilot = pilot;
        setAssessment(a, true);
    }
}

function setAssessment(a, resume) {
    state.a = a;
    state.answers = { ...a.answers };
    state.profile = {
        target_industry: a.target_industry ?? '',
        flags: [...a.flags],
        mlps: { ...a.mlps },
        dependencies: { ...a.dependencies },
    };
    if (resume) {
        // resume at the first step with an unanswered question (the profile when nothing is answered)
        const steps = sectionSteps();
        const first = steps.findIndex((s) => s.questions.some((q) => state.answers[q.id] === undefined));
        state.step = Object.keys(state.answers).length === 0 ? 0 : first < 0 ? steps.length + 1 : first + 1;
    }
}

// ---- the questionnaire's shape for this profile ---------------------------

function activeModules() {
    const p = state.profile;
    return state.qn.modules.filter((m) => m.flags.some((f) => p.flags.includes(f)) ||
        (p.target_industry && m.target_industries.includes(p.target_industry))).map((m) => m.code);
}

function sectionSteps() {
    const mods = activeModules();
    return state.qn.sections.map((s) => ({
        section: s,
        questions: state.qn.questions.filter((q) => q.section === s.code && (!q.module || mods.includes(q.module))),
    })).filter((s) => s.questions.length > 0);
}

function progress() {
    const qs = sectionSteps().flatMap((s) => s.questions);
    return { applicable: qs.length, answered: qs.filter((q) => state.answers[q.id] !== undefined).length };
}

// ---- render --------------------------------------------------------------

function render() {
    if (state.error) return showError(state.view, state.error);
    if (state.id === null) return state.list ? renderList() : showLoading(state.view);
    if (!state.a) return showLoading(state.view);
    if (state.a.status === 'submitted') return renderResult();
    return renderWizard();
}

function renderList() {
    const rows = state.list.map((a) => el('tr', { testid: 'assess-row', dataset: { id: String(a.id), status: a.status } },
        el('th', { scope: 'row' }, el('a', { href: `/assessment.html?id=${a.id}` }, `#${a.id}`)),
        el('td', {}, a.org_name),
        el('td', {}, statusBadge('assessStatus', a.status)),
        el('td', { class: 'num' }, a.score === null ? t('common.none') : a.score.toFixed(2)),
        el('td', {}, orNone(a.grade)),
        el('td', {}, beijingTime(a.submitted_at ?? a.updated_at))));
    const table = rows.length
        ? scrollTable('assess-table', 'assess-table', t('uw.assess.listCaption', { count: rows.length }), [
            { text: t('uw.assess.col.id') }, { text: t('uw.assess.col.org') }, { text: t('uw.assess.col.status') },
            { text: t('uw.assess.col.score'), class: 'num' }, { text: t('uw.assess.col.grade') }, { text: t('uw.assess.col.time') },
        ], rows)
        : el('p', { class: 'muted', testid: 'assess-empty' }, t('uw.assess.empty'));
    const start = can(state.session, 'assessment.write') ? startForm() : null;
    showReady(state.view, el('section', { class: 'card' },
        el('h2', { testid: 'assess-title' }, t('uw.assess.heading')),
        el('p', { class: 'muted' }, t('uw.assess.intro')),
        start, table));
}

function startForm() {
    const svc = state.session.organisation.type === 'service_org';
    const org = svc ? el('input', { id: 'assess-org', type: 'number', min: '1', testid: 'assess-org', required: true }) : null;
    const err = el('p', { class: 'error', role: 'alert', testid: 'assess-new-error', hidden: true });
    const btn = el('button', { type: 'button', class: 'btn btn--primary', testid: 'assess-new' }, t('uw.assess.start'));
    btn.addEventListener('click', async () => {
        btn.disabled = true;
        try {
            const body = svc ? { org_id: Number(org.value) } : {};
            const a = await api('/api/v1/assessments', { method: 'POST', body });
            window.location.assign(`/assessment.html?id=${a.id}`);
        } catch (e) {
            err.textContent = pickBilingual(e.message);
            err.hidden = false;
            btn.disabled = false;
        }
    });
    return el('div', { class: 'uw-start' },
        svc ? el('div', { class: 'field' }, el('label', { for: 'assess-org' }, t('uw.assess.orgId')), org) : null,
        btn, err);
}

function header() {
    const a = state.a;
    const p = progress();
    return el('div', { class: 'card__head' },
        el('div', {},
            el('p', { class: 'eyebrow' }, t('uw.assess.eyebrow', { id: a.id, version: a.questionnaire_version })),
            el('h2', { id: 'assess-title', testid: 'assess-title' }, a.org_name)),
        el('div', { class: 'uw-progress' },
            el('label', { for: 'assess-progress-bar' }, t('uw.assess.progress', { answered: p.answered, applicable: p.applicable })),
            el('progress', { id: 'assess-progress-bar', testid: 'assess-progress', max: String(p.applicable), value: String(p.answered),
                dataset: { answered: String(p.answered), applicable: String(p.applicable) } })));
}

function messageBox() {
    const m = state.message;
    if (!m) return null;
    return el('p', { class: m.kind === 'error' ? 'error' : 'success', role: m.kind === 'error' ? 'alert' : 'status', testid: 'assess-message' },
        m.text);
}

function renderWizard() {
    const steps = sectionSteps();
    const last = steps.length + 1;
    if (state.step > last) state.step = last;
    let body;
    let title;
    if (state.step === 0) {
        title = t('uw.assess.stepProfile');
        body = profileStep();
    } else if (state.step === last) {
        title = t('uw.assess.stepSubmit');
        body = submitStep();
    } else {
        const s = steps[state.step - 1];
        title = zhEn(s.section.name_zh, s.section.name_en);
        body = el('div', {}, el('p', { class: 'muted', testid: 'assess-source' }, s.section.source),
            s.questions.map(questionField));
    }
    const nav = el('div', { class: 'form__actions' });
    if (state.step > 0) nav.append(button('assess-prev', t('uw.assess.prev'), () => go(state.step - 1)));
    nav.append(button('assess-save', t('uw.assess.save'), () => go(state.step)));
    if (state.step < last) nav.append(button('assess-next', t('uw.assess.next'), () => go(state.step + 1), true));
    else nav.append(button('assess-submit', t('uw.assess.submit'), submit, true));
    showReady(state.view, el('section', { class: 'card', testid: 'assess-wizard', dataset: { step: String(state.step), steps: String(last + 1) } },
        header(),
        el('h3', { class: 'subhead', testid: 'assess-step-title' }, t('uw.assess.stepOf', { step: state.step + 1, steps: last + 1, title })),
        messageBox(),
        body,
        nav));
}

function button(testid, text, fn, primary = false) {
    const b = el('button', { type: 'button', class: `btn${primary ? ' btn--primary' : ''}`, testid, disabled: state.busy }, text);
    b.addEventListener('click', fn);
    return b;
}

const YNP = ['yes', 'partial', 'no'];

function questionField(q) {
    const name = `q-${q.id}`;
    const current = state.answers[q.id];
    let control;
    const radio = (code, label) => {
        const id = `${name}-${code}`;
        const input = el('input', { type: 'radio', id, name, value: code, testid: `qn-${q.id}-${code}`, checked: current === code });
        input.addEventListener('change', () => { state.answers[q.id] = code; updateProgress(); });
        return el('label', { for: id, class: 'uw-choice' }, input, ' ', label);
    };
    if (q.type === 'ynp') {
        control = [...YNP, ...(q.na_allowed ? ['na'] : [])].map((c) => radio(c, t(`uw.answer.${c}`)));
    } else if (q.type === 'choice') {
        control = q.options.map((o) => radio(o.code, zhEn(o.name_zh, o.name_en)));
    } else {
        const id = `${name}-number`;
        const input = el('input', { type: 'number', id, inputmode: 'decimal', testid: `qn-${q.id}-number`, min: String(q.number.min) });
        input.value = current === undefined ? '' : String(current);
        input.addEventListener('input', () => {
            const v = input.value.trim();
            if (v === '' || !Number.isFinite(Number(v))) delete state.answers[q.id];
            else state.answers[q.id] = Number(v);
            updateProgress();
        });
        control = el('label', { for: id, class: 'uw-number' }, input, ' ', zhEn(q.number.unit_zh, q.number.unit_en));
    }
    const invalid = state.message?.field === `answers.${q.id}`;
    return el('fieldset', { class: `uw-question${q.critical ? ' uw-question--critical' : ''}${invalid ? ' field--invalid' : ''}`,
        testid: 'qn-question', dataset: { id: q.id, type: q.type, answered: String(current !== undefined) } },
        el('legend', {}, zhEn(q.text_zh, q.text_en), q.critical ? el('span', { class: 'tag' }, t('uw.assess.critical')) : null),
        el('div', { class: 'uw-choices' }, control),
        el('p', { class: 'field__hint' }, q.source));
}

// Keep the progress bar in step with what the user ticks, without re-rendering the step.
function updateProgress() {
    const p = progress();
    const bar = state.view.querySelector('[data-testid="assess-progress"]');
    if (!bar) return;
    bar.value = p.answered;
    bar.max = p.applicable;
    bar.dataset.answered = String(p.answered);
    bar.dataset.applicable = String(p.applicable);
    bar.previousElementSibling.textContent = t('uw.assess.progress', p);
}

function profileStep() {
    const p = state.profile;
    const ti = el('select', { id: 'assess-target', testid: 'assess-target' },
        el('option', { value: '' }, t('uw.assess.noTarget')),
        state.pilot.target_industries.map((x) => el('option', { value: x.code }, zhEn(x.name_zh, x.name_en))));
    ti.value = p.target_industry;
    ti.addEventListener('change', () => { p.target_industry = ti.value; updateProgress(); });
    const flags = state.qn.profile_flags.map((f) => {
        const id = `assess-flag-${f.code}`;
        const box = el('input', { type: 'checkbox', id, testid: id, checked: p.flags.includes(f.code) });
        box.addEventListener('change', () => {
            p.flags = box.checked ? [...p.flags, f.code] : p.flags.filter((x) => x !== f.code);
            updateProgress();
        });
        return el('label', { for: id, class: 'uw-choice' }, box, ' ', zhEn(f.name_zh, f.name_en));
    });
    const level = el('select', { id: 'assess-mlps-level', testid: 'assess-mlps-level' },
        [0, 1, 2, 3, 4, 5].map((n) => el('option', { value: String(n) }, t(`uw.mlps.level${n}`))));
    level.value = String(p.mlps.level ?? 0);
    level.addEventListener('change', () => { p.mlps.level = Number(level.value); });
    const concl = el('select', { id: 'assess-mlps-conclusion', testid: 'assess-mlps-conclusion' },
        el('option', { value: '' }, t('uw.mlps.none')),
        state.qn.mlps_conclusions.map((c) => el('option', { value: c.code }, zhEn(c.name_zh, c.name_en))));
    concl.value = p.mlps.conclusion ?? '';
    concl.addEventListener('change', () => { p.mlps.conclusion = concl.value || null; });
    const score = el('input', { id: 'assess-mlps-score', type: 'number', min: '0', max: '100', step: '0.1', testid: 'assess-mlps-score' });
    score.value = p.mlps.score ?? '';
    score.addEventListener('input', () => { p.mlps.score = score.value === '' ? null : Number(score.value); });
    const date = el('input', { id: 'assess-mlps-date', type: 'date', testid: 'assess-mlps-date' });
    date.value = p.mlps.date ?? '';
    date.addEventListener('input', () => { p.mlps.date = date.value || null; });
    const deps = ['cloud', 'os', 'vpn', 'email'].map((k) => {
        const id = `assess-dep-${k}`;
        const input = el('input', { id, testid: id, maxlength: '60' });
        input.value = p.dependencies[k] ?? '';
        input.addEventListener('input', () => { p.dependencies[k] = input.value; });
        return el('div', { class: 'field' }, el('label', { for: id }, t(`uw.dep.${k}`)), input);
    });
    const field = (id, key, control) => el('div', { class: 'field' }, el('label', { for: id }, t(key)), control);
    return el('div', { class: 'form' },
        el('div', { class: 'form__grid' },
            field('assess-target', 'uw.assess.target', ti),
            field('assess-mlps-level', 'uw.assess.mlpsLevel', level),
            field('assess-mlps-conclusion', 'uw.assess.mlpsConclusion', concl),
            field('assess-mlps-score', 'uw.assess.mlpsScore', score),
            field('assess-mlps-date', 'uw.assess.mlpsDate', date)),
        el('fieldset', { class: 'uw-question' }, el('legend', {}, t('uw.assess.flags')), el('div', { class: 'uw-choices' }, flags)),
        el('h4', {}, t('uw.assess.dependencies')),
        el('p', { class: 'muted' }, t('uw.assess.dependenciesNote')),
        el('div', { class: 'form__grid' }, deps));
}

function submitStep() {
    const a = state.a;
    const p = progress();
    const csv = el('textarea', { id: 'assess-csv', rows: '5', testid: 'assess-csv', spellcheck: 'false',
        placeholder: 'asset,port,service,cve,cvss,epss,kev,first_seen' });
    const imp = button('assess-import', t('uw.assess.import'), async () => {
        if (!csv.value.trim()) return;
        await run(async () => {
            setAssessment(await api(`/api/v1/assessments/${a.id}/findings`, { method: 'POST', body: { csv: csv.value } }), false);
            return t('uw.assess.imported', { count: state.a.findings.length });
        });
    });
    return el('div', {},
        el('p', { testid: 'assess-summary' }, t('uw.assess.summary', { answered: p.answered, applicable: p.applicable })),
        p.answered < p.applicable ? el('p', { class: 'warn', testid: 'assess-unanswered' }, t('uw.assess.unansweredWarn', { count: p.applicable - p.answered })) : null,
        el('h4', {}, t('uw.assess.evidence')),
        el('p', { class: 'muted' }, t('uw.assess.evidenceNote')),
        findingsTable(a.findings),
        el('div', { class: 'field field--wide' }, el('label', { for: 'assess-csv' }, t('uw.assess.csv')), csv),
        el('div', { class: 'form__actions' }, imp));
}

function findingsTable(findings) {
    if (!findings.length) return el('p', { class: 'muted', testid: 'assess-no-findings' }, t('uw.assess.noFindings'));
    return scrollTable('assess-findings', 'assess-findings', t('uw.assess.findingsCaption', { count: findings.length }), [
        { text: t('uw.f.asset') }, { text: t('uw.f.port'), class: 'num' }, { text: t('uw.f.cve') },
        { text: 'CVSS', class: 'num' }, { text: 'EPSS', class: 'num' }, { text: 'KEV' }, { text: t('uw.f.firstSeen') },
    ], findings.map((f) => el('tr', { testid: 'assess-finding', dataset: { kev: String(f.kev) } },
        el('th', { scope: 'row' }, f.asset), el('td', { class: 'num' }, orNone(f.port)), el('td', {}, orNone(f.cve)),
        el('td', { class: 'num' }, orNone(f.cvss)), el('td', { class: 'num' }, orNone(f.epss)),
        el('td', {}, f.kev ? t('common.yes') : t('common.no')), el('td', {}, beijingTime(f.first_seen)))));
}

// Save what this step holds (the profile, or the answers), then move to step.
async function go(step) {
    await run(async () => {
        const body = state.step === 0
            ? { target_industry: state.profile.target_industry || null, flags: state.profile.flags, mlps: state.profile.mlps, dependencies: state.profile.dependencies }
            : { answers: stepAnswers() };
        setAssessment(await api(`/api/v1/assessments/${state.a.id}`, { method: 'PATCH', body }), false);
        state.step = step;
        return t('uw.assess.saved');
    });
}

// The answers of the current step; a question cleared since it was saved is sent as null.
function stepAnswers() {
    const steps = sectionSteps();
    const s = steps[state.step - 1];
    const out = {};
    for (const q of s?.questions ?? []) {
        if (state.answers[q.id] !== undefined) out[q.id] = state.answers[q.id];
        else if (state.a.answers[q.id] !== undefined) out[q.id] = null;
    }
    return out;
}

async function submit() {
    await run(async () => {
        setAssessment(await api(`/api/v1/assessments/${state.a.id}/submit`, { method: 'POST' }), false);
        return null;
    });
}

async function run(fn) {
    state.busy = true;
    state.message = null;
    render();
    try {
        const text = await fn();
        state.message = text ? { kind: 'success', text } : null;
    } catch (e) {
        state.message = { kind: 'error', text: pickBilingual(e.message), field: e.field };
    }
    state.busy = false;
    render();
    state.view.querySelector('[data-testid="assess-message"]')?.focus?.();
}

// ---- the result ------------------------------------------------------------

function renderResult() {
    const a = state.a;
    const r = a.result;
    const max = Math.max(...r.drivers.map((d) => d.points), 1);
    const drivers = el('ol', { class: 'uw-drivers', testid: 'assess-drivers' }, r.drivers.map((d) => {
        const rec = r.recommendations.find((x) => x.driver === d.id);
        return el('li', { class: 'uw-driver', testid: 'assess-driver', dataset: { id: d.id, points: String(d.points) } },
            el('div', { class: 'uw-driver__head' },
                el('span', { class: 'uw-driver__name' }, zhEn(d.name_zh, d.name_en), d.count ? ` (${d.count})` : ''),
                el('span', { class: 'uw-driver__points', testid: 'assess-driver-points' }, t('uw.assess.points', { points: d.points.toFixed(2) }))),
            // every driver is a loss: no bar is drawn as good (a low region of its own would paint the
            // smallest deduction green), each one is as long as the points it costs
            el('meter', { class: 'uw-meter', min: '0', max: String(max), low: '0', high: '0',
                optimum: '0', value: String(d.points), 'aria-label': t('uw.assess.points', { points: d.points.toFixed(2) }) }),
            rec ? el('p', { class: 'uw-advice', testid: 'assess-advice' }, t('uw.assess.advice'), zhEn(rec.text_zh, rec.text_en)) : null);
    }));
    const capQ = r.cap ? state.qn.questions.find((x) => x.id === r.cap.question) : null;
    const cap = r.cap ? el('p', { class: 'warn', testid: 'assess-cap' }, t('uw.assess.capped', {
        grade: r.cap.grade, uncapped: r.grade_uncapped,
        question: capQ ? zhEn(capQ.driver_zh, capQ.driver_en) : r.cap.question,
    })) : null;
    const quote = can(state.session, 'quote.apply')
        ? el('a', { class: 'btn btn--primary', href: `/quote.html?assessment=${a.id}`, testid: 'assess-quote-link' }, t('uw.assess.toQuote'))
        : null;
    showReady(state.view, el('section', { class: 'card', testid: 'assess-result', dataset: { id: String(a.id) } },
        el('div', { class: 'card__head' },
            el('div', {}, el('p', { class: 'eyebrow' }, t('uw.assess.resultEyebrow', { id: a.id })),
                el('h2', { id: 'assess-title', testid: 'assess-title' }, a.org_name)),
            el('div', { class: 'card__actions' }, quote)),
        el('div', { class: 'uw-score' },
            el('p', { class: 'uw-score__value', testid: 'assess-score', dataset: { score: String(a.score) } }, a.score.toFixed(2)),
            el('p', { class: 'uw-score__grade', testid: 'assess-grade', dataset: { grade: a.grade } }, t('uw.assess.grade', { grade: a.grade }))),
        cap,
        el('dl', { class: 'details', testid: 'assess-breakdown' },
            item('uw.assess.control', 'assess-control', r.control_score.toFixed(2)),
            item('uw.assess.kev', 'assess-kev', t('uw.assess.penalty', { points: r.kev_penalty, count: r.counts.kev_findings })),
            item('uw.assess.severe', 'assess-severe', t('uw.assess.penalty', { points: r.severe_penalty, count: r.counts.severe_findings })),
            item('uw.assess.mlps', 'assess-mlps', String(r.mlps_points)),
            item('uw.assess.answeredCount', 'assess-counts', t('uw.assess.counts', r.counts)),
            item('uw.assess.submittedAt', 'assess-submitted-at', beijingTime(a.submitted_at))),
        el('h3', { class: 'subhead', id: 'assess-drivers-title' }, t('uw.assess.drivers')),
        el('p', { class: 'muted' }, t('uw.assess.driversNote')),
        drivers,
        el('h3', { class: 'subhead' }, t('uw.assess.evidence')),
        findingsTable(a.findings)));
}
