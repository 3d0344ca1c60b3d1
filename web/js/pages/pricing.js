// pages/pricing.js — how a premium is made, for the people who read a
// quote (/pricing.html, linked from every quote's breakdown): frequency ×
// severity, the layer between the retention and the sublimit, the loading,
// the claim-free credit and the minimum, each amount rounded once; the
// underwriting rules; what a change or a cancellation costs, from which
// day; the marks of the rate table; and the worked examples, whose figures
// a reader can check by hand (the same as docs/pricing.md, which the tests
// reproduce to the fen). The page's words are all in the string tables.
//
// Must never depend on: other page modules.

import { t } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, renderAfterLoad } from '../view.js';

// The sections of the page: a heading and its paragraphs, by string key.
const SECTIONS = [
    ['uw.pricing.s1', ['uw.pricing.s1p1', 'uw.pricing.s1p2']],
    ['uw.pricing.s2', ['uw.pricing.s2p1', 'uw.pricing.s2p2', 'uw.pricing.s2p3']],
    ['uw.pricing.s3', ['uw.pricing.s3p1', 'uw.pricing.s3p2', 'uw.pricing.s3p3']],
    ['uw.pricing.s4', ['uw.pricing.s4p1', 'uw.pricing.s4p2']],
    ['uw.pricing.s5', ['uw.pricing.s5p1', 'uw.pricing.s5p2', 'uw.pricing.s5p3']],
    ['uw.pricing.s6', ['uw.pricing.s6p1']],
];

// The worked examples, line by line (pure arithmetic, as a reader redoes it).
const EXAMPLE = ['uw.pricing.e1', 'uw.pricing.e2', 'uw.pricing.e3', 'uw.pricing.e4', 'uw.pricing.e5'];
const ENDORSEMENT = ['uw.pricing.n1', 'uw.pricing.n2', 'uw.pricing.n3', 'uw.pricing.n4', 'uw.pricing.n5'];

export const page = {
    title: 'title.pricing',
    view: 'pricing-view',
    session: false,
    start(view) {
        return renderAfterLoad(view, async () => {}, () => showReady(view, ...content()));
    },
};

function content() {
    return [
        el('h2', { testid: 'pricing-title' }, t('uw.pricing.heading')),
        el('p', { class: 'muted' }, t('uw.pricing.intro')),
        ...SECTIONS.map(([h, ps]) => el('section', { class: 'uw-explain' }, el('h3', { class: 'subhead' }, t(h)),
            ps.map((p) => el('p', {}, t(p))))),
        el('section', { class: 'uw-explain', testid: 'pricing-example' }, el('h3', { class: 'subhead' }, t('uw.pricing.example')),
            el('p', {}, t('uw.pricing.exampleIntro')),
            el('ol', { class: 'uw-steps' }, EXAMPLE.map((k) => el('li', {}, t(k))))),
        el('section', { class: 'uw-explain', testid: 'pricing-endorsement' }, el('h3', { class: 'subhead' }, t('uw.pricing.endorsement')),
            el('p', {}, t('uw.pricing.endorsementIntro')),
            el('ol', { class: 'uw-steps' }, ENDORSEMENT.map((k) => el('li', {}, t(k))))),
        el('p', { class: 'muted' }, el('a', { href: '/quote.html' }, t('uw.pricing.back'))),
    ];
}
