// sim/chart.js — the EP curve of a finished run, drawn with Apache ECharts
// (the library and the settings under the CSP: ../chart.js). The chart
// follows its box's width; one chart lives at a time.
//
// Must never depend on: api.js, any page module.

import { t } from '../i18n.js';
import { chartLibrary, initChart, themeReader, baseOption } from '../chart.js';
import { isNum, yuanText, wanText, intText } from './numbers.js';

let chart = null;
let chartObserver = null;

export function disposeChart() {
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

export async function drawChart(box, r) {
    const echarts = await chartLibrary(box, 'sim.chartFailed', 'sim-chart-error');
    if (!echarts) return;
    disposeChart();
    let width = box.clientWidth;
    chart = initChart(echarts, box, chartHeight(width));
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
    const v = themeReader();
    const base = baseOption(v);
    const text = base.textStyle.color;
    const muted = v('--c-muted', '#566273');
    const border = v('--c-border', '#d5dbe3');
    const ep = (Array.isArray(r.ep) ? r.ep : []).filter((e) => isNum(e.return_period));
    const points = (k) => ep.filter((e) => isNum(e[k])).map((e) => [e.return_period, e[k]]);
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
        ...base,
        grid: chartGrid(width),
        legend: { top: 0, left: 0, itemGap: 14, textStyle: { color: text, fontSize: 12 } },
        tooltip: { ...base.tooltip, valueFormatter: (y) => yuanText(y) },
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
