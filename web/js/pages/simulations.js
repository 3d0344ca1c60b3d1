// pages/simulations.js — portfolio accumulation simulations (docs/simulation.md):
// start a run, follow its progress, and read a finished run's result — the
// headline a risk manager reads, the EP curve (ECharts), the EP table, the
// breakdown tables and the events that contribute most.
//
// Permissions: sim.read (insurer, ministry, support_center) sees the page;
// sim.run (their admins and members) also gets the form. The server decides
// what each caller may do and which simulations it lists.
//
// API: POST /api/v1/simulations {years, seed, portfolio: demo|exposure,
// exposure_csv (a file read with FileReader), catalogue} → 202 queued;
// GET /api/v1/simulations (the organisation's, newest first; operators: all)
// polled every second while one is queued or running; GET
// /api/v1/simulations/{id} → status, progress, params and, when done, the
// result (amounts in yuan, two decimals), or the error of a failed run.
// The selected run is kept in the address (?id=N) so a reload keeps it.
//
// The chart: ECharts, vendored in web/vendor/echarts (see its README),
// loaded on first use with a dynamic import, canvas renderer and a
// rich-text tooltip — the HTML tooltip writes style attributes, which the
// CSP refuses. The same numbers are in the EP table, for screen readers and
// for copying.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiPage } from '../api.js';
import { t, addStrings, onLangChange, pickBilingual, getLang } from '../i18n.js';
import { el, replaceChildren } from '../dom.js';
import { can, isNational } from '../session.js';
import { showForbidden, scrollTable, param } from '../view.js';
import { createForm, localError } from '../form.js';
import { beijingTime } from '../format.js';

addStrings('zh-CN', {
    'sim.forbidden': '您的机构无权查看组合模拟（需要 sim.read 权限：保险机构、工业和信息化部或支撑单位）。',
    'sim.eyebrow': '累积风险',
    'sim.heading': '组合模拟',
    'sim.hint': '对一组网络安全保险保单做蒙特卡罗模拟：各被保险人的独立事件，加上共享同一依赖（云服务商、操作系统、VPN、邮件服务）或同一行业、地区的系统性事件，经保险条款结算后得出年均损失（AAL）、超越概率曲线（OEP/AEP）和尾部风险。金额单位为元。',
    'sim.runHeading': '发起模拟',
    'sim.readOnly': '您的角色可以查看本机构的模拟结果，但不能发起模拟（需要 sim.run 权限）。',
    'sim.f.years': '模拟年数',
    'sim.f.yearsHint': '1–200,000。估计 1000 年一遇损失至少需要 1,000 年，年数越多结果越稳定。',
    'sim.f.seed': '随机种子',
    'sim.f.seedHint': '非负整数。相同的种子和参数得出完全相同的结果。',
    'sim.f.portfolio': '保单组合',
    'sim.f.portfolioDemo': '演示组合（虚构保单）',
    'sim.f.portfolioExposure': '上传风险敞口文件（CSV）',
    'sim.f.file': '风险敞口文件（CSV）',
    'sim.f.fileHint': '每行一张保单，OED v4 列名（PolNumber、IndustryCode1、AreaCode、AnnualRevenue、PolLimit、Coverages 等），见 docs/simulation.md。',
    'sim.f.catalogue': '包含系统性事件目录（云服务中断、大规模漏洞利用、勒索软件攻击活动）',
    'sim.f.submit': '开始模拟',
    'sim.err.integer': '请输入非负整数。',
    'sim.err.noFile': '请选择风险敞口文件。',
    'sim.err.read': '无法读取文件：{message}',
    'sim.started': '已提交模拟 #{id}。',

    'sim.listHeading': '模拟记录',
    'sim.caption': '本机构的模拟（最近 {count} 次）',
    'sim.captionAll': '各机构的模拟（最近 {count} 次）',
    'sim.captionMore': '只列出最近 {count} 次。',
    'sim.empty': '还没有模拟。',
    'sim.emptyRun': '还没有模拟，可用上面的表单发起一次。',
    'sim.pollFailed': '刷新状态失败，稍后重试：{message}',
    'sim.col.id': '编号',
    'sim.col.status': '状态',
    'sim.col.progress': '进度',
    'sim.col.created': '提交时间',
    'sim.col.finished': '完成时间',
    'sim.col.actions': '操作',
    'sim.select': '查看',
    'sim.selectLabel': '查看模拟 #{id}',
    'sim.status.queued': '排队中',
    'sim.status.running': '运行中',
    'sim.status.done': '已完成',
    'sim.status.failed': '失败',
    'sim.progressLabel': '模拟 #{id} 的进度',

    'sim.detailHint': '选择一条已完成的模拟，查看其结果。',
    'sim.detailEyebrow': '模拟 #{id}',
    'sim.detailHeading': '模拟结果',
    'sim.detailWaiting': '模拟尚未完成：{status}，{percent}。完成后结果会自动显示。',
    'sim.failed': '模拟失败：{message}',
    'sim.params': '{years} 年 · 随机种子 {seed} · {portfolio} · {catalogue}',
    'sim.params.demo': '演示组合',
    'sim.params.exposure': '上传的风险敞口文件',
    'sim.params.catalogue': '含系统性事件目录',
    'sim.params.noCatalogue': '仅独立事件',

    'sim.h.aal': '年均损失 AAL（承保）',
    'sim.h.se': '± {value}（标准误）',
    'sim.h.aep200': '200 年一遇年度损失（AEP，承保）',
    'sim.h.tvar': 'TVaR 99.5%（承保）',
    'sim.h.tvarHint': '最坏 0.5% 年份的平均年度损失',
    'sim.h.policies': '保单数',
    'sim.h.years': '模拟年数',
    'sim.h.seed': '随机种子',
    'sim.m.aalGu': '年均损失 AAL（未经条款的全部损失）',
    'sim.m.split': '承保 AAL 的来源',
    'sim.m.splitValue': '独立事件 {att}（{attShare}）· 系统性事件 {sys}（{sysShare}）',
    'sim.m.purePremium': '费率模型纯保费（独立事件）',
    'sim.m.limit': '组合总赔偿限额',
    'sim.m.tvar99': 'TVaR 99%（承保）',
    'sim.m.catalogue': '系统性事件目录',
    'sim.m.catalogueValue': '{source}，{count} 个事件',
    'sim.m.noCatalogue': '未使用',
    'sim.m.counts': '模拟发生的事件',
    'sim.m.countsValue': '独立事件 {att} 次 · 系统性事件 {occ} 次（波及被保险人 {hits} 户次）',
    'sim.m.finished': '完成时间（北京时间）',

    'sim.chartHeading': '超越概率曲线',
    'sim.chart.label': '超越概率曲线图：横轴为重现期（年，对数刻度），纵轴为损失（万元）；数值见下表。',
    'sim.chart.x': '重现期（年）',
    'sim.chart.y': '万元',
    'sim.chart.oepInsured': 'OEP 承保',
    'sim.chart.aepInsured': 'AEP 承保',
    'sim.chart.aepGu': 'AEP 全部损失',
    'sim.chart.tooltipHead': '{rp} 年一遇',
    'sim.chartFailed': '无法加载图表：{message}',
    'sim.chartNote': 'OEP：一年中最大单次事件的损失；AEP：一年的累计损失。承保 = 经免赔、等待期、分项限额、共保比例和累计限额结算后的赔款；全部损失 = 承保险种的损失，结算之前。',

    'sim.ep.caption': '超越概率表（元）',
    'sim.ep.short': '模拟年数少于重现期的无法估计，显示“—”。',
    'sim.ep.rp': '重现期',
    'sim.ep.rpValue': '{rp} 年一遇',
    'sim.ep.prob': '年超越概率',
    'sim.ep.oepInsured': 'OEP 承保',
    'sim.ep.aepInsured': 'AEP 承保',
    'sim.ep.oepGu': 'OEP 全部损失',
    'sim.ep.aepGu': 'AEP 全部损失',

    'sim.moreHeading': '其他指标',
    'sim.bdg.what': '年均损失构成：按保障范围、事件类型和来源',
    'sim.bdg.who': '年均损失构成：按行业和地区',
    'sim.bdg.dep': '年均损失构成：按依赖（云服务商、操作系统、VPN、邮件服务）',
    'sim.bdg.other': '年均损失构成：其他',
    'sim.bd.coverage': '按保障范围',
    'sim.bd.industry': '按行业（GB/T 4754 门类）',
    'sim.bd.region': '按地区',
    'sim.bd.cloud': '按云服务商',
    'sim.bd.os': '按操作系统',
    'sim.bd.vpn': '按 VPN 产品',
    'sim.bd.email': '按邮件服务',
    'sim.bd.incident_type': '按事件类型',
    'sim.bd.source': '按损失来源',
    'sim.bd.other': '按 {dim}',
    'sim.bd.zero': '另有 {count} 项为零，未列出。',
    'sim.bd.allZero': '各项均为零。',
    'sim.bd.name': '名称',
    'sim.bd.insured': 'AAL 承保',
    'sim.bd.share': '占承保 AAL',
    'sim.bd.gu': 'AAL 全部损失',

    'sim.evHeading': '影响最大的系统性事件',
    'sim.ev.caption': '按承保 AAL 排列的系统性事件',
    'sim.ev.none': '没有系统性事件的损失（未使用事件目录，或模拟期间没有发生）。',
    'sim.ev.rank': '排名',
    'sim.ev.name': '事件（类型 · 编号）',
    'sim.ev.rate': '年发生率',
    'sim.ev.occurrences': '发生次数',
    'sim.ev.hits': '波及户次',
    'sim.ev.aal': 'AAL 承保',
    'sim.ev.share': '占承保 AAL',
    'sim.ev.max': '最大单次损失（承保）',
    'sim.evType.cloud_outage': '云服务中断',
    'sim.evType.mass_exploit': '大规模漏洞利用',
    'sim.evType.ransomware_campaign': '勒索软件攻击活动',
});

addStrings('en', {
    'sim.forbidden': 'Your organisation may not see portfolio simulations (it takes the sim.read permission: insurers, the MIIT and the support centre).',
    'sim.eyebrow': 'Accumulation risk',
    'sim.heading': 'Portfolio simulation',
    'sim.hint': 'A Monte Carlo simulation of a book of cyber insurance policies: independent incidents of each insured plus systemic events that hit every insured sharing a dependency (cloud provider, operating system, VPN, e-mail) or an industry and region, settled by the policy terms, giving the average annual loss (AAL), the exceedance probability curves (OEP/AEP) and the tail. Amounts in yuan.',
    'sim.runHeading': 'Start a simulation',
    'sim.readOnly': 'Your role may read your organisation\'s simulations but not start one (it takes the sim.run permission).',
    'sim.f.years': 'Years to simulate',
    'sim.f.yearsHint': '1–200,000. A 1-in-1000 loss needs at least 1,000 years; more years give steadier results.',
    'sim.f.seed': 'Random seed',
    'sim.f.seedHint': 'A non-negative integer. The same seed and inputs give exactly the same result.',
    'sim.f.portfolio': 'Portfolio',
    'sim.f.portfolioDemo': 'Demo portfolio (fictitious policies)',
    'sim.f.portfolioExposure': 'Upload an exposure file (CSV)',
    'sim.f.file': 'Exposure file (CSV)',
    'sim.f.fileHint': 'One policy a row, OED v4 column names (PolNumber, IndustryCode1, AreaCode, AnnualRevenue, PolLimit, Coverages …); see docs/simulation.md.',
    'sim.f.catalogue': 'Include the systemic event catalogue (cloud outages, mass exploitation, ransomware campaigns)',
    'sim.f.submit': 'Start simulation',
    'sim.err.integer': 'Enter a non-negative whole number.',
    'sim.err.noFile': 'Choose an exposure file.',
    'sim.err.read': 'Cannot read the file: {message}',
    'sim.started': 'Simulation #{id} submitted.',

    'sim.listHeading': 'Simulations',
    'sim.caption': 'Simulations of your organisation (latest {count})',
    'sim.captionAll': 'Simulations of all organisations (latest {count})',
    'sim.captionMore': 'Only the latest {count} are listed.',
    'sim.empty': 'No simulations yet.',
    'sim.emptyRun': 'No simulations yet; start one with the form above.',
    'sim.pollFailed': 'Could not refresh the status, trying again: {message}',
    'sim.col.id': 'No.',
    'sim.col.status': 'Status',
    'sim.col.progress': 'Progress',
    'sim.col.created': 'Submitted',
    'sim.col.finished': 'Finished',
    'sim.col.actions': 'Actions',
    'sim.select': 'View',
    'sim.selectLabel': 'View simulation #{id}',
    'sim.status.queued': 'Queued',
    'sim.status.running': 'Running',
    'sim.status.done': 'Done',
    'sim.status.failed': 'Failed',
    'sim.progressLabel': 'Progress of simulation #{id}',

    'sim.detailHint': 'Choose a finished simulation to see its result.',
    'sim.detailEyebrow': 'Simulation #{id}',
    'sim.detailHeading': 'Result',
    'sim.detailWaiting': 'The simulation has not finished: {status}, {percent}. Its result shows here when it is done.',
    'sim.failed': 'The simulation failed: {message}',
    'sim.params': '{years} years · seed {seed} · {portfolio} · {catalogue}',
    'sim.params.demo': 'demo portfolio',
    'sim.params.exposure': 'uploaded exposure file',
    'sim.params.catalogue': 'with the systemic event catalogue',
    'sim.params.noCatalogue': 'independent incidents only',

    'sim.h.aal': 'Average annual loss, insured',
    'sim.h.se': '± {value} (standard error)',
    'sim.h.aep200': '1-in-200 annual loss (AEP, insured)',
    'sim.h.tvar': 'TVaR 99.5% (insured)',
    'sim.h.tvarHint': 'the mean annual loss of the worst 0.5% of years',
    'sim.h.policies': 'Policies',
    'sim.h.years': 'Years simulated',
    'sim.h.seed': 'Random seed',
    'sim.m.aalGu': 'Average annual loss, ground-up (before terms)',
    'sim.m.split': 'Insured AAL by source',
    'sim.m.splitValue': 'independent incidents {att} ({attShare}) · systemic events {sys} ({sysShare})',
    'sim.m.purePremium': 'Rating model\'s pure premium (independent incidents)',
    'sim.m.limit': 'Total aggregate limit of the portfolio',
    'sim.m.tvar99': 'TVaR 99% (insured)',
    'sim.m.catalogue': 'Systemic event catalogue',
    'sim.m.catalogueValue': '{source}, {count} events',
    'sim.m.noCatalogue': 'not used',
    'sim.m.counts': 'Events simulated',
    'sim.m.countsValue': '{att} independent incidents · {occ} systemic events ({hits} insureds hit)',
    'sim.m.finished': 'Finished (Beijing time)',

    'sim.chartHeading': 'Exceedance probability curve',
    'sim.chart.label': 'Exceedance probability curve: return period in years on a log scale across, loss in 万元 (¥10,000) up; the numbers are in the table below.',
    'sim.chart.x': 'Return period (years)',
    'sim.chart.y': '万元 (¥10,000)',
    'sim.chart.oepInsured': 'OEP insured',
    'sim.chart.aepInsured': 'AEP insured',
    'sim.chart.aepGu': 'AEP ground-up',
    'sim.chart.tooltipHead': '1 in {rp} years',
    'sim.chartFailed': 'Cannot load the chart: {message}',
    'sim.chartNote': 'OEP: the largest single event of a year; AEP: the year\'s total. Insured = after retentions, waiting periods, sublimits, shares and the aggregate limit; ground-up = losses of the insured coverages before the terms.',

    'sim.ep.caption': 'Exceedance probabilities (yuan)',
    'sim.ep.short': 'Return periods longer than the years simulated cannot be estimated and show "—".',
    'sim.ep.rp': 'Return period',
    'sim.ep.rpValue': '1 in {rp}',
    'sim.ep.prob': 'Annual probability',
    'sim.ep.oepInsured': 'OEP insured',
    'sim.ep.aepInsured': 'AEP insured',
    'sim.ep.oepGu': 'OEP ground-up',
    'sim.ep.aepGu': 'AEP ground-up',

    'sim.moreHeading': 'More figures',
    'sim.bdg.what': 'Average annual loss by coverage, incident type and source',
    'sim.bdg.who': 'Average annual loss by industry and region',
    'sim.bdg.dep': 'Average annual loss by dependency (cloud, operating system, VPN, e-mail)',
    'sim.bdg.other': 'Average annual loss: other dimensions',
    'sim.bd.coverage': 'By coverage',
    'sim.bd.industry': 'By industry (GB/T 4754 section)',
    'sim.bd.region': 'By region',
    'sim.bd.cloud': 'By cloud provider',
    'sim.bd.os': 'By operating system',
    'sim.bd.vpn': 'By VPN product',
    'sim.bd.email': 'By e-mail provider',
    'sim.bd.incident_type': 'By incident type',
    'sim.bd.source': 'By source',
    'sim.bd.other': 'By {dim}',
    'sim.bd.zero': '{count} more with no loss are not listed.',
    'sim.bd.allZero': 'All of them are zero.',
    'sim.bd.name': 'Name',
    'sim.bd.insured': 'AAL insured',
    'sim.bd.share': 'Share of insured AAL',
    'sim.bd.gu': 'AAL ground-up',

    'sim.evHeading': 'Systemic events contributing most',
    'sim.ev.caption': 'Systemic events by insured AAL',
    'sim.ev.none': 'No losses from systemic events (no catalogue, or none happened in the simulation).',
    'sim.ev.rank': 'Rank',
    'sim.ev.name': 'Event (type · id)',
    'sim.ev.rate': 'Annual rate',
    'sim.ev.occurrences': 'Occurrences',
    'sim.ev.hits': 'Insureds hit',
    'sim.ev.aal': 'AAL insured',
    'sim.ev.share': 'Share of insured AAL',
    'sim.ev.max': 'Largest occurrence (insured)',
    'sim.evType.cloud_outage': 'Cloud outage',
    'sim.evType.mass_exploit': 'Mass exploitation',
    'sim.evType.ransomware_campaign': 'Ransomware campaign',
});

const LIST_LIMIT = 50;
const POLL_MS = 1000;
const ACTIVE = new Set(['queued', 'running']);
const STATUSES = ['queued', 'running', 'done', 'failed'];
// Breakdown dimensions in groups, in the order shown; any other dimension
// the result holds goes to a last group.
const BD_GROUPS = [
    ['what', ['coverage', 'incident_type', 'source']],
    ['who', ['industry', 'region']],
    ['dep', ['cloud', 'os', 'vpn', 'email']],
];
const DIMENSIONS = BD_GROUPS.flatMap(([, dims]) => dims);
const WIDE_DIMENSIONS = ['coverage'];
const EVENT_TYPES = ['cloud_outage', 'mass_exploit', 'ransomware_campaign'];
const ECHARTS_PATH = '../../vendor/echarts/echarts.esm.min.js';

const state = {
    session: null,
    canRun: false,
    items: [],
    more: false,
    listStatus: 'loading', // loading | ready | error
    listError: null,
    pollError: null,
    pollFailures: 0, // in a row: the next poll waits longer
    pollTimer: null,
    autoSelected: false,
    notice: null, // {id} of the run just started
    selectedId: null,
    detail: null, // {id, status: loading|ready|error, sim, error}
    detailSeq: 0,
};

let root = null;
let ui = null; // nodes built once
let form = null;
let catalogueBox = null;
let rendered = ''; // what the detail box shows now (skip needless redraws)
let progressView = null; // {text, bar} while the selected run is active
let chart = null;
let chartObserver = null;
let echartsModule = null;

export function mount(main, { session }) {
    root = main.querySelector('[data-testid="sim-view"]');
    if (!can(session, 'sim.read')) {
        showForbidden(root, t('sim.forbidden'));
        onLangChange(() => showForbidden(root, t('sim.forbidden')));
        return;
    }
    state.session = session;
    state.canRun = can(session, 'sim.run');
    buildSkeleton();
    onLangChange(() => {
        renderStatic();
        renderList({ full: true });
        renderDetail({ force: true });
    });
    const id = param('id');
    if (id && /^[1-9]\d{0,15}$/.test(id)) select(Number(id), { focus: false, push: false });
    renderDetail({ force: true });
    loadList();
}

// ---- skeleton (built once: the form keeps what was typed) -----------------

function buildSkeleton() {
    const heading = el('h2', { id: 'sim-title', testid: 'sim-title' });
    const eyebrow = el('p', { class: 'eyebrow' });
    const hint = el('p', { class: 'muted', testid: 'sim-hint' });
    const runHeading = el('h3', { class: 'subhead' });
    const readOnly = el('p', { class: 'muted', testid: 'sim-run-readonly' });

    let formBox = null;
    if (state.canRun) {
        form = buildForm();
        formBox = form.form;
    }

    const listHeading = el('h2', { id: 'sim-list-title', testid: 'sim-list-title' });
    const listStatus = el('p', { class: 'success', role: 'status', testid: 'sim-list-status', tabindex: '-1', hidden: true });
    const pollError = el('p', { class: 'error', role: 'alert', testid: 'sim-poll-error', hidden: true });
    const list = el('div', { testid: 'sim-list', dataset: { state: 'loading' } });
    const detail = el('section', {
        id: 'sim-detail',
        class: 'card',
        testid: 'sim-detail',
        dataset: { state: 'ready', id: '', status: '' },
    });

    ui = { heading, eyebrow, hint, runHeading, readOnly, listHeading, listStatus, pollError, list, detail, rows: new Map() };
    renderStatic();
    root.dataset.state = 'ready';
    root.removeAttribute('aria-busy');
    replaceChildren(root,
        el('section', { class: 'card', 'aria-labelledby': 'sim-title' },
            el('div', {}, eyebrow, heading),
            hint,
            runHeading,
            state.canRun ? formBox : readOnly),
        el('section', { class: 'card', 'aria-labelledby': 'sim-list-title' },
            listHeading, listStatus, pollError, list),
        detail);
}

function renderStatic() {
    ui.eyebrow.textContent = t('sim.eyebrow');
    ui.heading.textContent = t('sim.heading');
    ui.hint.textContent = t('sim.hint');
    ui.runHeading.textContent = state.canRun ? t('sim.runHeading') : '';
    ui.runHeading.hidden = !state.canRun;
    ui.readOnly.textContent = t('sim.readOnly');
    ui.listHeading.textContent = t('sim.listHeading');
    if (state.notice) ui.listStatus.textContent = t('sim.started', { id: state.notice.id });
    ui.pollError.textContent = state.pollError
        ? t('sim.pollFailed', { message: pickBilingual(state.pollError.message) }) : '';
    if (form) {
        form.relabel();
        catalogueBox.label.textContent = t('sim.f.catalogue');
    }
}

function buildForm() {
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
        onSubmit: startRun,
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
    catalogueBox = { input: box, label };
    f.form.querySelector('.form__grid').append(
        el('p', { class: 'form-note field--wide' }, el('label', { for: 'sim-form-catalogue' }, box, ' ', label)));
    return f;
}

// ---- starting a run --------------------------------------------------------

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

async function startRun(values) {
    const body = {
        years: wholeNumber('years', values.years),
        seed: wholeNumber('seed', values.seed),
        portfolio: values.portfolio,
        catalogue: catalogueBox.input.checked,
    };
    if (values.portfolio === 'exposure') {
        const file = form.input('exposure_csv').files?.[0];
        if (!file) throw localError('exposure_csv', () => t('sim.err.noFile'));
        body.exposure_csv = await readText(file);
    }
    const sim = await api('/api/v1/simulations', { method: 'POST', body });
    // The list shows it at once; polling follows it to the end.
    state.items = [listItem(sim), ...state.items.filter((s) => s.id !== sim.id)];
    state.listStatus = 'ready';
    state.notice = { id: sim.id };
    ui.listStatus.textContent = t('sim.started', { id: sim.id });
    ui.listStatus.hidden = false;
    renderList({ full: true });
    select(sim.id, { focus: true, push: true, known: sim });
    schedulePoll();
}

// A list entry: the fields GET /api/v1/simulations gives (no params, no result).
function listItem(sim) {
    const { id, org_id, user_id, status, progress, created_at, started_at, finished_at, error } = sim;
    return { id, org_id, user_id, status, progress, created_at, started_at, finished_at, error };
}

// ---- the list and polling --------------------------------------------------

async function loadList() {
    try {
        const page = await apiPage('/api/v1/simulations', { query: { limit: LIST_LIMIT } });
        state.items = page.items;
        state.more = page.next !== null;
        state.listStatus = 'ready';
        state.pollError = null;
        state.pollFailures = 0;
    } catch (err) {
        if (state.listStatus === 'loading') {
            state.listStatus = 'error';
            state.listError = err;
        } else {
            state.pollError = err; // keep the last list; the next tick retries
            state.pollFailures++;
        }
    }
    ui.pollError.textContent = state.pollError ? t('sim.pollFailed', { message: pickBilingual(state.pollError.message) }) : '';
    ui.pollError.hidden = !state.pollError;
    renderList({ full: false });
    // Opened without ?id=: show the latest finished run.
    if (!state.autoSelected && state.listStatus === 'ready') {
        state.autoSelected = true;
        const latest = state.selectedId === null ? state.items.find((s) => s.status === 'done') : null;
        if (latest) select(latest.id);
    }
    followSelected();
    schedulePoll();
}

function isActive(s) {
    return Boolean(s) && ACTIVE.has(s.status);
}

function schedulePoll() {
    if (state.pollTimer !== null) return;
    const detailActive = state.detail?.status === 'ready' && isActive(state.detail.sim);
    if (!state.items.some(isActive) && !detailActive) return;
    // after failures: 2 s, 4 s, … up to a minute
    const wait = Math.min(60_000, POLL_MS * 2 ** state.pollFailures);
    state.pollTimer = window.setTimeout(() => {
        state.pollTimer = null;
        loadList();
    }, wait);
}

// The selected run changed status in the list (or is not in it and still
// running): fetch it again, so a run that finished shows its result.
function followSelected() {
    const d = state.detail;
    if (!d || d.status !== 'ready' || !d.sim) {
        return;
    }
    const item = state.items.find((s) => s.id === d.id);
    if (item ? item.status !== d.sim.status : isActive(d.sim)) {
        loadDetail(d.id, { quiet: true });
    } else if (item && isActive(item)) {
        renderDetail(); // progress only
    }
}

function statusBadge(status) {
    const cls = status === 'done' ? 'badge badge--ok' : status === 'failed' ? 'badge badge--error' : 'badge';
    return el('span', { class: cls }, STATUSES.includes(status) ? t(`sim.status.${status}`) : String(status));
}

function percentText(p) {
    const v = Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : 0;
    return fmt({ style: 'percent', maximumFractionDigits: 0 }).format(v);
}

// narrowBar: in the list, a phone shows the percentage without the bar.
function progressNodes(s, narrowBar = false) {
    const v = Number.isFinite(s.progress) ? Math.max(0, Math.min(1, s.progress)) : 0;
    return [
        el('progress', { class: narrowBar ? 'hide-narrow' : null, max: '1', value: String(v), 'aria-label': t('sim.progressLabel', { id: s.id }) }),
        ' ',
        el('span', { testid: 'sim-row-percent' }, percentText(v)),
    ];
}

function renderList({ full }) {
    const box = ui.list;
    box.dataset.state = state.listStatus;
    if (state.listStatus === 'loading') {
        box.setAttribute('aria-busy', 'true');
        replaceChildren(box, el('p', { class: 'muted' }, t('common.loading')));
        return;
    }
    box.removeAttribute('aria-busy');
    if (state.listStatus === 'error') {
        replaceChildren(box, el('p', { class: 'error', role: 'alert', testid: 'sim-list-error' },
            t('common.loadFailed', { message: pickBilingual(state.listError.message) })));
        return;
    }
    if (state.items.length === 0) {
        ui.rows.clear();
        replaceChildren(box, el('p', { class: 'empty', testid: 'sim-empty' }, state.canRun ? t('sim.emptyRun') : t('sim.empty')));
        return;
    }
    // While polling, the same runs are patched in place: a focused button
    // keeps its focus and a table scrolled sideways stays where it is.
    const sameRows = !full && ui.rows.size === state.items.length && state.items.every((s) => ui.rows.has(s.id));
    if (sameRows) {
        for (const s of state.items) patchRow(ui.rows.get(s.id), s);
        return;
    }
    ui.rows.clear();
    const rows = state.items.map((s) => {
        const r = {
            tr: el('tr', { testid: 'sim-row' }),
            status: el('td', { class: 'nowrap', testid: 'sim-row-status' }),
            progress: el('td', { class: 'nowrap', testid: 'sim-row-progress' }),
            finished: el('td', { class: 'hide-narrow nowrap', testid: 'sim-row-finished' }),
        };
        const button = el('button', {
            type: 'button',
            class: 'btn btn--small',
            testid: 'sim-select',
            'aria-controls': 'sim-detail',
            'aria-label': t('sim.selectLabel', { id: s.id }),
        }, t('sim.select'));
        button.addEventListener('click', () => select(s.id, { focus: true, push: true }));
        r.tr.append(
            el('th', { scope: 'row', class: 'nowrap', testid: 'sim-row-id' }, `#${s.id}`),
            r.status,
            r.progress,
            el('td', { class: 'hide-narrow nowrap', testid: 'sim-row-created' }, beijingTime(s.created_at)),
            r.finished,
            el('td', {}, button));
        patchRow(r, s);
        ui.rows.set(s.id, r);
        return r.tr;
    });
    const caption = t(isNational(state.session) ? 'sim.captionAll' : 'sim.caption', { count: state.items.length });
    replaceChildren(box,
        scrollTable('sim-table', 'sim-table', caption,
            [{ text: t('sim.col.id') }, { text: t('sim.col.status') }, { text: t('sim.col.progress') },
                { text: t('sim.col.created'), class: 'hide-narrow' }, { text: t('sim.col.finished'), class: 'hide-narrow' },
                { text: t('sim.col.actions') }],
            rows),
        state.more ? el('p', { class: 'muted', testid: 'sim-list-more' }, t('sim.captionMore', { count: state.items.length })) : null);
}

function patchRow(r, s) {
    if (r.tr.dataset.status === s.status && r.tr.dataset.progress === String(s.progress)
        && r.tr.getAttribute('aria-current') === (s.id === state.selectedId ? 'true' : null)) return;
    r.tr.dataset.id = String(s.id);
    r.tr.dataset.status = s.status;
    r.tr.dataset.progress = String(s.progress);
    if (s.id === state.selectedId) r.tr.setAttribute('aria-current', 'true');
    else r.tr.removeAttribute('aria-current');
    r.status.dataset.status = s.status;
    replaceChildren(r.status, statusBadge(s.status));
    replaceChildren(r.progress, progressNodes(s, true));
    replaceChildren(r.finished, s.finished_at ? beijingTime(s.finished_at) : t('common.none'));
}

// ---- the selected run ------------------------------------------------------

function select(id, { focus = false, push = false, known = null } = {}) {
    state.selectedId = id;
    if (push) window.history.replaceState(null, '', `?id=${encodeURIComponent(id)}`);
    for (const r of ui.rows.values()) {
        if (Number(r.tr.dataset.id) === id) r.tr.setAttribute('aria-current', 'true');
        else r.tr.removeAttribute('aria-current');
    }
    if (known) {
        state.detailSeq++;
        state.detail = { id, status: 'ready', sim: known, error: null };
        renderDetail({ force: true });
        if (focus) focusDetail();
        return;
    }
    loadDetail(id, { focus });
}

async function loadDetail(id, { focus = false, quiet = false } = {}) {
    const seq = ++state.detailSeq;
    if (!quiet) {
        state.detail = { id, status: 'loading', sim: null, error: null };
        renderDetail({ force: true });
    }
    let next;
    try {
        next = { id, status: 'ready', sim: await api(`/api/v1/simulations/${encodeURIComponent(id)}`), error: null };
    } catch (err) {
        next = { id, status: 'error', sim: null, error: err };
    }
    if (seq !== state.detailSeq) return;
    if (quiet && next.status === 'error') {
        state.pollError = next.error; // keep what is shown; try again
        state.pollFailures++;
        ui.pollError.textContent = t('sim.pollFailed', { message: pickBilingual(next.error.message) });
        ui.pollError.hidden = false;
        schedulePoll();
        return;
    }
    state.detail = next;
    renderDetail({ force: true });
    if (focus) focusDetail();
    schedulePoll();
}

function focusDetail() {
    const h = ui.detail.querySelector('[data-testid="sim-detail-title"]');
    if (!h) return;
    h.scrollIntoView({ block: 'nearest' });
    h.focus({ preventScroll: true });
}

function renderDetail({ force = false } = {}) {
    const box = ui.detail;
    const d = state.detail;
    const item = d ? state.items.find((s) => s.id === d.id) : null;
    const sim = d?.sim ?? null;
    const status = sim?.status ?? '';
    const key = `${d?.id ?? ''}|${d?.status ?? ''}|${status}|${getLang()}`;
    if (!force && key === rendered) {
        // the same running simulation: only its progress moves
        if (isActive(sim) && progressView) patchProgress(item ?? sim);
        return;
    }
    rendered = key;
    progressView = null;
    // Whoever was reading the detail (focus in it) stays there.
    const hadFocus = box.contains(document.activeElement);
    paintDetail(box, d, item, sim, status);
    if (hadFocus && !box.contains(document.activeElement)) {
        box.querySelector('[data-testid="sim-detail-title"]')?.focus({ preventScroll: true });
    }
}

function patchProgress(live) {
    progressView.text.textContent = t('sim.detailWaiting', { status: t(`sim.status.${live.status}`), percent: percentText(live.progress) });
    replaceChildren(progressView.bar, progressNodes(live));
}

function paintDetail(box, d, item, sim, status) {

    box.dataset.id = d ? String(d.id) : '';
    box.dataset.status = status;
    if (!d) {
        disposeChart();
        box.dataset.state = 'ready';
        box.removeAttribute('aria-busy');
        replaceChildren(box, el('p', { class: 'muted', testid: 'sim-detail-hint' }, t('sim.detailHint')));
        return;
    }
    const head = el('div', { class: 'card__head' },
        el('div', {},
            el('p', { class: 'eyebrow', testid: 'sim-detail-id' }, t('sim.detailEyebrow', { id: d.id })),
            el('h2', { id: 'sim-detail-title', testid: 'sim-detail-title', tabindex: '-1' }, t('sim.detailHeading'))),
        sim ? el('p', { class: 'nowrap', testid: 'sim-detail-status', dataset: { status } }, statusBadge(status)) : null);
    box.setAttribute('aria-labelledby', 'sim-detail-title');

    if (d.status === 'loading') {
        disposeChart();
        box.dataset.state = 'loading';
        box.setAttribute('aria-busy', 'true');
        replaceChildren(box, head, el('p', { class: 'muted' }, t('common.loading')));
        return;
    }
    box.removeAttribute('aria-busy');
    if (d.status === 'error') {
        disposeChart();
        box.dataset.state = 'error';
        replaceChildren(box, head, el('p', { class: 'error', role: 'alert', testid: 'sim-detail-error', dataset: { code: d.error?.code ?? '' } },
            t('common.loadFailed', { message: pickBilingual(d.error?.message ?? String(d.error)) })));
        return;
    }
    box.dataset.state = 'ready';
    const params = paramsLine(sim);
    if (isActive(sim)) {
        disposeChart();
        progressView = { text: el('p', { testid: 'sim-detail-progress' }), bar: el('p') };
        patchProgress(item ?? sim);
        replaceChildren(box, head, params, progressView.text, progressView.bar);
        return;
    }
    if (status === 'failed' || !sim.result) {
        disposeChart();
        replaceChildren(box, head, params,
            el('p', { class: 'error', role: 'alert', testid: 'sim-error' },
                t('sim.failed', { message: pickBilingual(sim.error ?? t('common.none')) })));
        return;
    }
    const r = sim.result;
    const chartBox = el('div', {
        testid: 'sim-chart',
        role: 'img',
        'aria-label': t('sim.chart.label'),
        dataset: { state: 'loading' },
    });
    disposeChart();
    replaceChildren(box,
        head,
        params,
        headline(r),
        el('h3', { class: 'subhead' }, t('sim.moreHeading')),
        moreDetails(r, sim),
        el('h3', { class: 'subhead' }, t('sim.chartHeading')),
        chartBox,
        el('p', { class: 'muted', testid: 'sim-chart-note' }, t('sim.chartNote')),
        epTable(r),
        breakdowns(r),
        el('h3', { class: 'subhead' }, t('sim.evHeading')),
        eventsTable(r));
    drawChart(chartBox, r);
}

function paramsLine(sim) {
    const p = sim?.params;
    if (!p) return null;
    return el('p', { class: 'muted', testid: 'sim-detail-params' }, t('sim.params', {
        years: intText(p.years),
        seed: String(p.seed),
        portfolio: p.portfolio === 'exposure' ? t('sim.params.exposure') : t('sim.params.demo'),
        catalogue: p.catalogue === false ? t('sim.params.noCatalogue') : t('sim.params.catalogue'),
    }));
}

// ---- numbers ---------------------------------------------------------------

function fmt(opts) {
    return new Intl.NumberFormat(getLang() === 'en' ? 'en-US' : 'zh-CN', opts);
}

function isNum(v) {
    return typeof v === 'number' && Number.isFinite(v);
}

// 9002796.64 → "¥9,002,796.64" (the API's yuan with two decimals), or "—".
function yuanText(v) {
    if (!isNum(v)) return t('common.none');
    const s = fmt({ minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.abs(v));
    return `${v < 0 ? '-' : ''}¥${s}`;
}

// yuan → 万元 for the chart's axis: 110083278.88 → "11,008"
function wanText(v) {
    if (!isNum(v)) return '';
    const wan = v / 10000;
    return fmt({ maximumFractionDigits: Math.abs(wan) < 10 ? 2 : 0 }).format(wan);
}

function intText(v) {
    return isNum(v) ? fmt({ maximumFractionDigits: 0 }).format(v) : t('common.none');
}

function shareText(part, whole) {
    if (!isNum(part) || !isNum(whole) || whole <= 0) return t('common.none');
    return ratioText(part / whole);
}

// 0.0958 → "9.6%"; a share too small to show as 0.1% is "<0.1%", not "0.0%".
function ratioText(x) {
    const f = fmt({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    if (x > 0 && x < 0.0005) return `<${f.format(0.001)}`;
    return f.format(x);
}

function money(testid, v, extra = {}) {
    return el('span', { testid, class: 'nowrap', dataset: { value: isNum(v) ? String(v) : '' }, ...extra }, yuanText(v));
}

// ---- the headline, details ---------------------------------------------------

// .details: one column on a phone (a ¥ amount never breaks), two or three wider.
function headline(r) {
    const item = (labelKey, value, extra = null) =>
        el('div', { class: 'details__item' },
            el('dt', {}, t(labelKey)),
            el('dd', {}, el('strong', {}, value), extra));
    const aep200 = r.ep?.find((e) => e.return_period === 200)?.aep_insured ?? null;
    return el('dl', { class: 'details', testid: 'sim-headline' },
        item('sim.h.aal', money('sim-aal', r.aal?.insured),
            el('span', { class: 'cell-name__desc', testid: 'sim-aal-se', dataset: { value: String(r.aal?.insured_se ?? '') } },
                t('sim.h.se', { value: yuanText(r.aal?.insured_se) }))),
        item('sim.h.aep200', money('sim-aep200', aep200)),
        item('sim.h.tvar', money('sim-tvar995', r.tvar?.insured_99_5),
            el('span', { class: 'cell-name__desc' }, t('sim.h.tvarHint'))),
        item('sim.h.policies', el('span', { testid: 'sim-policies' }, intText(r.portfolio?.policies))),
        item('sim.h.years', el('span', { testid: 'sim-years' }, intText(r.years))),
        item('sim.h.seed', el('span', { testid: 'sim-seed' }, String(r.seed ?? t('common.none')))));
}

function moreDetails(r, sim) {
    const row = (key, testid, value) => el('div', { class: 'details__item' },
        el('dt', {}, t(key)), el('dd', { testid }, value));
    const a = r.aal ?? {};
    const cat = r.catalogue ?? {};
    const c = r.counts ?? {};
    return el('dl', { class: 'details', testid: 'sim-more' },
        row('sim.m.aalGu', 'sim-aal-gu', [money('sim-aal-gu-value', a.ground_up), ' ',
            el('span', { class: 'muted' }, t('sim.h.se', { value: yuanText(a.ground_up_se) }))]),
        row('sim.m.split', 'sim-aal-split', t('sim.m.splitValue', {
            att: yuanText(a.insured_attritional), attShare: shareText(a.insured_attritional, a.insured),
            sys: yuanText(a.insured_systemic), sysShare: shareText(a.insured_systemic, a.insured),
        })),
        row('sim.m.tvar99', 'sim-tvar99', yuanText(r.tvar?.insured_99)),
        row('sim.m.purePremium', 'sim-pure-premium', yuanText(r.portfolio?.pure_premium_attritional)),
        row('sim.m.limit', 'sim-total-limit', yuanText(r.portfolio?.total_aggregate_limit)),
        row('sim.m.catalogue', 'sim-catalogue', cat.source && cat.events
            ? t('sim.m.catalogueValue', { source: cat.source, count: intText(cat.events) }) : t('sim.m.noCatalogue')),
        row('sim.m.counts', 'sim-counts', t('sim.m.countsValue', {
            att: intText(c.attritional_incidents), occ: intText(c.systemic_occurrences), hits: intText(c.systemic_hits),
        })),
        row('sim.m.finished', 'sim-finished', beijingTime(sim.finished_at)));
}

// ---- EP table ----------------------------------------------------------------

function epTable(r) {
    const ep = Array.isArray(r.ep) ? r.ep : [];
    const rows = ep.map((e) => el('tr', { testid: 'sim-ep-row', dataset: { rp: String(e.return_period) } },
        el('th', { scope: 'row', class: 'nowrap', testid: 'sim-ep-rp' }, t('sim.ep.rpValue', { rp: intText(e.return_period) })),
        el('td', { class: 'num hide-narrow', testid: 'sim-ep-prob' },
            fmt({ style: 'percent', maximumFractionDigits: 2 }).format(1 / e.return_period)),
        el('td', { class: 'num nowrap', testid: 'sim-ep-oep-insured' }, yuanText(e.oep_insured)),
        el('td', { class: 'num nowrap', testid: 'sim-ep-aep-insured' }, yuanText(e.aep_insured)),
        el('td', { class: 'num nowrap', testid: 'sim-ep-oep-gu' }, yuanText(e.oep_ground_up)),
        el('td', { class: 'num nowrap', testid: 'sim-ep-aep-gu' }, yuanText(e.aep_ground_up))));
    const short = ep.some((e) => !isNum(e.aep_insured));
    const caption = [t('sim.ep.caption'), short ? el('span', { class: 'caption-hint' }, t('sim.ep.short')) : null];
    return scrollTable('sim-ep', 'sim-ep', caption,
        [{ text: t('sim.ep.rp') }, { text: t('sim.ep.prob'), class: 'num hide-narrow' },
            { text: t('sim.ep.oepInsured'), class: 'num' }, { text: t('sim.ep.aepInsured'), class: 'num' },
            { text: t('sim.ep.oepGu'), class: 'num' }, { text: t('sim.ep.aepGu'), class: 'num' }],
        rows);
}

// ---- breakdowns --------------------------------------------------------------

function breakdowns(r) {
    const b = r.breakdown && typeof r.breakdown === 'object' ? r.breakdown : {};
    const other = Object.keys(b).filter((d) => !DIMENSIONS.includes(d) && Array.isArray(b[d]));
    const total = r.aal?.insured;
    const groups = [...BD_GROUPS, ['other', other]]
        .map(([name, dims]) => [name, dims.filter((d) => Array.isArray(b[d]))])
        .filter(([, dims]) => dims.length > 0);
    // Coverage names are long (in English): that table takes the full width,
    // the others go two by two on a wide screen.
    return el('div', { testid: 'sim-breakdown' }, groups.map(([name, dims]) => [
        el('h3', { class: 'subhead' }, t(`sim.bdg.${name}`)),
        el('div', { class: 'panel-grid', testid: 'sim-bd-group', dataset: { group: name } },
            dims.map((dim) => {
                const table = breakdownTable(dim, b[dim], total);
                if (WIDE_DIMENSIONS.includes(dim)) table.classList.add('card--wide');
                return table;
            })),
    ]));
}

function breakdownTable(dim, list, total) {
    const dimSafe = dim.replace(/[^a-z0-9_]/gi, '');
    const title = DIMENSIONS.includes(dim) ? t(`sim.bd.${dim}`) : t('sim.bd.other', { dim });
    const shown = list.filter((x) => (isNum(x.insured_aal) && x.insured_aal !== 0) || (isNum(x.ground_up_aal) && x.ground_up_aal !== 0))
        .slice().sort((a, b) => (b.insured_aal ?? 0) - (a.insured_aal ?? 0));
    const zero = list.length - shown.length;
    const rows = shown.map((x) => {
        const name = x.name ? pickBilingual(x.name) : '';
        return el('tr', { testid: 'sim-bd-row', dataset: { key: String(x.key ?? '') } },
            el('th', { scope: 'row', class: 'cell-name' },
                name ? el('span', { class: 'cell-name__main', testid: 'sim-bd-name' }, name)
                    : el('code', { class: 'cell-name__main', testid: 'sim-bd-name' }, String(x.key ?? '')),
                name ? el('code', { class: 'cell-name__desc' }, String(x.key ?? '')) : null),
            el('td', { class: 'num nowrap', testid: 'sim-bd-insured' }, yuanText(x.insured_aal)),
            el('td', { class: 'num', testid: 'sim-bd-share' }, shareText(x.insured_aal, total)),
            el('td', { class: 'num nowrap', testid: 'sim-bd-gu' }, yuanText(x.ground_up_aal)));
    });
    const hint = shown.length === 0 ? t('sim.bd.allZero') : zero > 0 ? t('sim.bd.zero', { count: zero }) : null;
    return el('div', { testid: 'sim-bd', dataset: { dimension: dim } },
        scrollTable(`sim-bd-${dimSafe}`, `sim-bd-${dimSafe}`,
            [title, hint ? el('span', { class: 'caption-hint' }, hint) : null],
            [{ text: t('sim.bd.name') }, { text: t('sim.bd.insured'), class: 'num' },
                { text: t('sim.bd.share'), class: 'num' }, { text: t('sim.bd.gu'), class: 'num' }],
            rows));
}

// ---- top events --------------------------------------------------------------

function eventsTable(r) {
    const list = Array.isArray(r.top_events) ? r.top_events : [];
    if (list.length === 0) return el('p', { class: 'empty', testid: 'sim-events-empty' }, t('sim.ev.none'));
    const rows = list.map((e) => el('tr', { testid: 'sim-event-row', dataset: { id: String(e.id ?? ''), rank: String(e.rank ?? '') } },
        el('td', { class: 'num' }, intText(e.rank)),
        el('th', { scope: 'row', class: 'cell-name' },
            el('span', { class: 'cell-name__main', testid: 'sim-event-name' }, e.name ? pickBilingual(e.name) : String(e.id ?? '')),
            el('span', { class: 'cell-name__desc' },
                el('span', { testid: 'sim-event-type', dataset: { type: String(e.type ?? '') } },
                    EVENT_TYPES.includes(e.type) ? t(`sim.evType.${e.type}`) : String(e.type ?? '')),
                ' · ',
                el('code', { testid: 'sim-event-id' }, String(e.id ?? '')))),
        el('td', { class: 'num hide-narrow' }, isNum(e.annual_rate) ? fmt({ maximumSignificantDigits: 3 }).format(e.annual_rate) : t('common.none')),
        el('td', { class: 'num hide-narrow' }, intText(e.occurrences)),
        el('td', { class: 'num hide-narrow' }, intText(e.hits)),
        el('td', { class: 'num nowrap', testid: 'sim-event-aal' }, yuanText(e.insured_aal)),
        el('td', { class: 'num' }, isNum(e.insured_share_of_aal) ? ratioText(e.insured_share_of_aal) : t('common.none')),
        el('td', { class: 'num nowrap' }, yuanText(e.max_occurrence_insured))));
    return scrollTable('sim-events', 'sim-events', t('sim.ev.caption'),
        [{ text: t('sim.ev.rank'), class: 'num' }, { text: t('sim.ev.name') },
            { text: t('sim.ev.rate'), class: 'num hide-narrow' }, { text: t('sim.ev.occurrences'), class: 'num hide-narrow' },
            { text: t('sim.ev.hits'), class: 'num hide-narrow' }, { text: t('sim.ev.aal'), class: 'num' },
            { text: t('sim.ev.share'), class: 'num' }, { text: t('sim.ev.max'), class: 'num' }],
        rows);
}

// ---- the EP chart (ECharts) ----------------------------------------------------

function loadECharts() {
    echartsModule ??= import(ECHARTS_PATH).catch((err) => {
        echartsModule = null; // try again next time
        throw err;
    });
    return echartsModule;
}

function disposeChart() {
    chartObserver?.disconnect();
    chartObserver = null;
    chart?.dispose();
    chart = null;
}

// Height from width; a phone's legend takes two lines, so its chart is
// relatively taller.
function chartHeight(width) {
    if (width < 480) return 330;
    return Math.round(Math.min(400, Math.max(300, width * 0.45)));
}

async function drawChart(box, r) {
    let echarts;
    try {
        echarts = await loadECharts();
    } catch (err) {
        if (!box.isConnected) return;
        box.dataset.state = 'error';
        replaceChildren(box, el('p', { class: 'error', role: 'alert', testid: 'sim-chart-error' },
            t('sim.chartFailed', { message: String(err?.message ?? err) })));
        return;
    }
    if (!box.isConnected) return; // another run or language was shown meanwhile
    disposeChart();
    let width = box.clientWidth;
    chart = echarts.init(box, null, {
        renderer: 'canvas',
        height: chartHeight(width),
        locale: getLang() === 'en' ? 'EN' : 'ZH',
    });
    chart.setOption(chartOption(r, width));
    box.dataset.state = 'ready';

    // Follow the card's width (phone rotation, window resize, a scroll bar
    // that appears); resize in the next frame, outside the observer's
    // callback, so no "ResizeObserver loop" error is raised.
    const own = chart;
    chartObserver = new ResizeObserver(() => {
        const w = box.clientWidth;
        if (w === width || w === 0) return;
        width = w;
        window.requestAnimationFrame(() => {
            if (chart !== own || own.isDisposed()) return;
            own.setOption({ grid: chartGrid(w) });
            own.resize({ height: chartHeight(w) });
        });
    });
    chartObserver.observe(box);
}

// On a phone the legend takes two lines: the plot starts lower.
function chartGrid(width) {
    return { left: 8, right: 20, top: width < 480 ? 88 : 64, bottom: 40, containLabel: true };
}

function chartOption(r, width) {
    const css = getComputedStyle(document.documentElement);
    const v = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    const text = v('--c-text', '#1b2430');
    const muted = v('--c-muted', '#566273');
    const border = v('--c-border', '#d5dbe3');
    const ep = (Array.isArray(r.ep) ? r.ep : []).filter((e) => isNum(e.return_period));
    const points = (k) => ep.filter((e) => isNum(e[k])).map((e) => [e.return_period, e[k]]);
    const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    const line = (name, key, color, extra = {}) => ({
        name,
        type: 'line',
        data: points(key),
        symbol: 'circle',
        symbolSize: 7,
        lineStyle: { width: 2.5, color, ...(extra.lineStyle ?? {}) },
        itemStyle: { color },
        emphasis: { focus: 'series' },
    });
    return {
        animation: !reduced,
        textStyle: { fontFamily: v('--font', 'sans-serif'), color: text },
        grid: chartGrid(width),
        legend: { top: 0, left: 0, itemGap: 14, textStyle: { color: text, fontSize: 12 } },
        // richText: drawn on the canvas; the HTML tooltip would write style
        // attributes through innerHTML, which the CSP refuses.
        tooltip: {
            trigger: 'axis',
            renderMode: 'richText',
            confine: true,
            valueFormatter: (y) => yuanText(y),
        },
        xAxis: {
            type: 'log',
            logBase: 10,
            min: 10,
            max: 1000,
            name: t('sim.chart.x'),
            nameLocation: 'middle',
            nameGap: 28,
            nameTextStyle: { color: muted },
            axisLine: { lineStyle: { color: muted } },
            axisLabel: { color: muted, formatter: (x) => intText(x) },
            splitLine: { show: true, lineStyle: { color: border } },
            minorTick: { show: true },
            minorSplitLine: { show: true, lineStyle: { color: border, opacity: 0.5 } },
            // the tooltip's first line: "1 in 200 years"
            axisPointer: { label: { formatter: ({ value }) => t('sim.chart.tooltipHead', { rp: intText(value) }) } },
        },
        yAxis: {
            type: 'value',
            name: t('sim.chart.y'),
            nameTextStyle: { color: muted, align: 'left' },
            axisLabel: { color: muted, formatter: (y) => wanText(y) },
            splitLine: { lineStyle: { color: border } },
        },
        series: [
            line(t('sim.chart.oepInsured'), 'oep_insured', v('--c-accent', '#b3261e')),
            line(t('sim.chart.aepInsured'), 'aep_insured', v('--c-primary', '#0b4a82')),
            line(t('sim.chart.aepGu'), 'aep_ground_up', muted, { lineStyle: { type: 'dashed' } }),
        ],
    };
}
