// pages/monitor.js — in-force monitoring (docs/monitoring.md), one page per
// role: an enterprise's security dashboard (its score and grade now, the
// score's history, its declared stack, its open loss-prevention tasks,
// closed with evidence here), an insurer's alerts board and a service
// organisation's task board (the tasks each sees, open first; a service
// organisation closes those of the enterprises that engaged it).
//
// GET /api/v1/monitor/enterprises/{id}, …/{id}/scores, GET /api/v1/monitor/tasks,
// POST /api/v1/monitor/tasks/{id}/close.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { showLoading, showError, showReady, scrollTable, loadAndRender } from '../view.js';
import { beijingTime } from '../format.js';

const state = { me: null, enterprise: null, scores: null, tasks: null, error: null, message: '' };
let mountPoint = null;

export const page = {
    title: 'title.monitor',
    view: 'monitor-view',
    permission: 'monitor.read',
    forbidden: 'mon.forbidden',
    start(view, { session }) {
        mountPoint = view;
        state.me = session.organisation;
        return loadAndRender(state, render, load);
    },
};

async function load() {
    if (state.me.type === 'enterprise') {
        state.enterprise = await api(`/api/v1/monitor/enterprises/${state.me.id}`);
        state.scores = await apiList(`/api/v1/monitor/enterprises/${state.me.id}/scores`);
    }
    state.tasks = await apiList('/api/v1/monitor/tasks');
}

const canClose = () => state.me.type === 'enterprise' || state.me.type === 'service_org';

async function close(task, note) {
    try {
        await api(`/api/v1/monitor/tasks/${task.id}/close`, { method: 'POST', body: { evidence_note: note } });
        state.message = t('mon.closed', { id: task.id });
        await load();
    } catch (e) {
        state.message = pickBilingual(e.message);
    }
    render();
}

function scoreCard() {
    const s = state.enterprise.score;
    return el('section', { class: 'card', testid: 'mon-score' },
        el('h2', {}, t('mon.dashboard', { name: state.enterprise.name })),
        el('p', {}, el('strong', { testid: 'mon-score-value' }, s.score.toFixed(2)), ' · ',
            t('mon.grade'), ' ', el('strong', { testid: 'mon-grade' }, s.grade)),
        el('p', { class: 'muted', testid: 'mon-score-why' },
            t('mon.why', { base: s.base_score.toFixed(2), grade: s.base_grade, penalty: s.penalty, open: s.open_tasks })),
        el('p', { testid: 'mon-stack' }, t('mon.stack'), ' ',
            state.enterprise.stack.map((x) => (x.version ? `${x.vendor} ${x.version}` : x.vendor)).join(' · ')),
        state.scores.length ? scrollTable('mon-history', 'mon-history', t('mon.history'), [
            { text: t('mon.col.at') }, { text: t('mon.col.score'), class: 'num' }, { text: t('mon.grade') }, { text: t('mon.col.cause') },
        ], state.scores.map((h) => el('tr', { testid: 'mon-history-row' },
            el('td', {}, beijingTime(h.at)), el('td', { class: 'num' }, h.score.toFixed(2)), el('td', {}, h.grade),
            el('td', {}, t(`mon.cause.${h.cause === 'task_closed' ? 'closed' : 'opened'}`))))) : null);
}

function closeForm(task) {
    const input = el('input', { type: 'text', testid: 'mon-evidence', 'aria-label': t('mon.evidence'), placeholder: t('mon.evidence') });
    const button = el('button', { type: 'button', testid: 'mon-close' }, t('mon.close'));
    button.addEventListener('click', () => close(task, input.value));
    return el('span', {}, input, ' ', button);
}

function taskRow(x) {
    return el('tr', { testid: 'mon-task-row', dataset: { id: String(x.id), status: x.status } },
        el('th', { scope: 'row' }, `#${x.id}`),
        el('td', {}, x.enterprise.name),
        el('td', {}, x.cve || '—'), el('td', {}, x.title),
        el('td', { testid: 'mon-severity' }, t(`mon.sev.${x.severity}`)),
        el('td', {}, beijingTime(x.due_at)),
        el('td', { testid: 'mon-status' }, x.status === 'open' ? (x.overdue ? t('mon.overdue') : t('mon.open')) : t('mon.done')),
        el('td', {}, x.status === 'open' && canClose() ? closeForm(x) : (x.evidence_note || '')));
}

function render() {
    if (state.error) return showError(mountPoint, state.error);
    if (!state.tasks) return showLoading(mountPoint);
    const heading = state.me.type === 'enterprise' ? 'mon.tasks' : state.me.type === 'service_org' ? 'mon.board' : 'mon.alerts';
    const open = state.tasks.filter((x) => x.status === 'open');
    showReady(mountPoint,
        state.enterprise ? scoreCard() : null,
        el('section', { class: 'card' },
            el('h2', { testid: 'mon-heading' }, t(heading)),
            state.message ? el('p', { role: 'status', testid: 'mon-message' }, state.message) : null,
            state.tasks.length ? scrollTable('mon-tasks', 'mon-tasks', t('mon.caption', { open: open.length, count: state.tasks.length }), [
                { text: '#' }, { text: t('mon.col.enterprise') }, { text: 'CVE' }, { text: t('mon.col.title') },
                { text: t('mon.col.severity') }, { text: t('mon.col.due') }, { text: t('mon.col.status') }, { text: t('mon.col.evidence') },
            ], [...open, ...state.tasks.filter((x) => x.status !== 'open')].map(taskRow))
                : el('p', { class: 'muted', testid: 'mon-empty' }, t('mon.empty'))));
}
