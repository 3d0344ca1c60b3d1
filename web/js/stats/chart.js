// stats/chart.js — the dashboard's trend: policies written and premium by
// period, drawn with Apache ECharts (vendored in web/vendor/echarts),
// imported on first use. Under the CSP: the canvas renderer and a rich-text
// tooltip (the HTML tooltip writes style attributes through innerHTML,
// which style-src 'self' refuses). One chart per box; a withheld period
// (fewer than 3 enterprises) is a gap.
//
// Must never depend on: api.js, any page module.

import { t, getLang } from '../i18n.js';
import { el, replaceChildren } from '../dom.js';

const ECHARTS_PATH = '../../vendor/echarts/echarts.esm.min.js';
let echartsModule = null;
const charts = new Map(); // box → chart

function loadECharts() {
    echartsModule ??= import(ECHARTS_PATH).catch((err) => {
        echartsModule = null;
        throw err;
    });
    return echartsModule;
}

export function disposeCharts() {
    for (const c of charts.values()) c.dispose();
    charts.clear();
}

// box: the element; items: /api/v1/stats items by period.
export async function drawTrend(box, items) {
    let echarts;
    try {
        echarts = await loadECharts();
    } catch (err) {
        if (!box.isConnected) return;
        box.dataset.state = 'error';
        replaceChildren(box, el('p', { class: 'error', role: 'alert', testid: 'stats-chart-error' },
            t('st.chartFailed', { message: String(err?.message ?? err) })));
        return;
    }
    if (!box.isConnected) return;
    charts.get(box)?.dispose();
    const chart = echarts.init(box, null, { renderer: 'canvas', height: 300, locale: getLang() === 'en' ? 'EN' : 'ZH' });
    charts.set(box, chart);
    const css = getComputedStyle(document.documentElement);
    const v = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    const shown = (b, k) => (b.suppressed ? null : b[k]);
    const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    chart.setOption({
        animation: !reduced,
        textStyle: { fontFamily: v('--font', 'sans-serif'), color: v('--c-text', '#1b2430') },
        grid: { left: 8, right: 8, top: 48, bottom: 24, containLabel: true },
        legend: { top: 0, left: 0 },
        tooltip: { trigger: 'axis', renderMode: 'richText', confine: true },
        xAxis: { type: 'category', data: items.map((b) => b.key) },
        yAxis: [
            { type: 'value', name: t('st.chart.policies'), minInterval: 1 },
            { type: 'value', name: t('st.chart.premium'), nameTextStyle: { align: 'right' }, splitLine: { show: false } },
        ],
        series: [
            { name: t('st.f.policies_written'), type: 'bar', data: items.map((b) => shown(b, 'policies_written')),
                itemStyle: { color: v('--c-primary', '#0b4a82') } },
            { name: t('st.chart.premium'), type: 'line', yAxisIndex: 1,
                data: items.map((b) => { const p = shown(b, 'written_premium'); return p === null ? null : p / 1000000; }),
                itemStyle: { color: v('--c-accent', '#b3261e') } },
        ],
    });
    box.dataset.state = 'ready';
    new ResizeObserver(() => window.requestAnimationFrame(() => { if (!chart.isDisposed()) chart.resize(); })).observe(box);
}
