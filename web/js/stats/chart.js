// stats/chart.js — the dashboard's trend: policies written and premium by
// period, drawn with Apache ECharts (the library and the settings under the
// CSP: ../chart.js). One chart per box; a withheld period (fewer than 3
// enterprises) is a gap.
//
// Must never depend on: api.js, any page module.

import { t } from '../i18n.js';
import { chartLibrary, initChart, themeReader, baseOption } from '../chart.js';

const charts = new Map(); // box → chart

export function disposeCharts() {
    for (const c of charts.values()) c.dispose();
    charts.clear();
}

// box: the element; items: /api/v1/stats items by period.
export async function drawTrend(box, items) {
    const echarts = await chartLibrary(box, 'st.chartFailed', 'stats-chart-error');
    if (!echarts) return;
    charts.get(box)?.dispose();
    const chart = initChart(echarts, box, 300);
    charts.set(box, chart);
    const v = themeReader();
    const shown = (b, k) => (b.suppressed ? null : b[k]);
    chart.setOption({
        ...baseOption(v),
        grid: { left: 8, right: 8, top: 48, bottom: 24, containLabel: true },
        legend: { top: 0, left: 0 },
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
