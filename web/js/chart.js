// chart.js — what the pages that draw (the simulation's EP curve, the
// statistics' trend) share about Apache ECharts: the library, vendored in
// web/vendor/echarts (see its README) and imported on first use; a failure
// to load it, said in the chart's box; and the settings every chart takes
// under the CSP — the canvas renderer and a rich-text tooltip (the HTML
// tooltip would write style attributes through innerHTML, which style-src
// 'self' refuses) — in the page's language, colours and font.
//
// Must never depend on: api.js, any page module.

import { t, getLang } from './i18n.js';
import { el, replaceChildren } from './dom.js';

const ECHARTS_PATH = '../vendor/echarts/echarts.esm.min.js';

let echartsModule = null;

function loadECharts() {
    echartsModule ??= import(ECHARTS_PATH).catch((err) => {
        echartsModule = null; // try again next time
        throw err;
    });
    return echartsModule;
}

// The library once box may take a chart, or null: when box left the page
// meanwhile (another run or language was shown), or when the library did not
// load — then box says so (data-state=error; the message under failedKey,
// testid errorTestid).
export async function chartLibrary(box, failedKey, errorTestid) {
    let echarts;
    try {
        echarts = await loadECharts();
    } catch (err) {
        if (box.isConnected) {
            box.dataset.state = 'error';
            replaceChildren(box, el('p', { class: 'error', role: 'alert', testid: errorTestid },
                t(failedKey, { message: String(err?.message ?? err) })));
        }
        return null;
    }
    return box.isConnected ? echarts : null;
}

// A chart in box, height pixels high, in the page's language.
export function initChart(echarts, box, height) {
    return echarts.init(box, null, { renderer: 'canvas', height, locale: getLang() === 'en' ? 'EN' : 'ZH' });
}

// The page's CSS variables as a reader: v('--c-text', '#1b2430').
export function themeReader() {
    const css = getComputedStyle(document.documentElement);
    return (name, fallback) => css.getPropertyValue(name).trim() || fallback;
}

// What every chart's option starts from: no animation for a visitor who asks
// for reduced motion, the page's font and text colour, the axis tooltip.
export function baseOption(v) {
    return {
        animation: !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches,
        textStyle: { fontFamily: v('--font', 'sans-serif'), color: v('--c-text', '#1b2430') },
        tooltip: { trigger: 'axis', renderMode: 'richText', confine: true },
    };
}
