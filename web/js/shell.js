// shell.js — the markup every page shares: skip link, header (title, notice,
// session area, language toggle, navigation) and footer. Pages hold only
// <main id="main">; mountShell() puts the rest around it once, so the header
// is written in one place instead of in every HTML file. Strings carry
// data-i18n keys and are filled by i18n.applyStatic afterwards.
//
// Must never depend on: anything but dom.js.

import { el } from './dom.js';

export function mountShell(doc = document) {
    const main = doc.getElementById('main');
    if (!main || doc.querySelector('.site-header')) return;
    const header = el('header', { class: 'site-header' },
        el('div', { class: 'site-header__inner' },
            el('div', { class: 'brand' },
                el('h1', { class: 'brand__title', testid: 'app-title', 'data-i18n': 'app.title' }, '网络安全保险服务平台'),
                el('p', { class: 'brand__sub', 'data-i18n': 'app.subtitle' }, '网络安全保险服务试点 · 开源平台')),
            el('div', { class: 'header-tools' },
                // filled by app.js from GET /api/v1/me; data-state=loading|user|anonymous|error
                el('div', { class: 'session', testid: 'session', dataset: { state: 'loading' } }),
                el('button', {
                    type: 'button', class: 'lang-toggle', testid: 'lang-toggle', lang: 'en',
                    'data-i18n': 'lang.toggle', 'data-i18n-attr': 'aria-label:lang.toggleLabel;lang:lang.toggleLang',
                }, 'English'))),
        el('p', { class: 'notice', testid: 'notice' },
            el('span', { 'data-i18n': 'app.noticeLabel' }, '试点依据：'),
            el('cite', { 'data-i18n': 'app.notice' }, '《工业和信息化部办公厅关于组织开展网络安全保险服务试点工作的通知》'),
            el('span', { testid: 'notice-ref', 'data-i18n': 'app.noticeRef' }, '（工信厅网安函〔2023〕356号）')),
        el('nav', { class: 'site-nav', testid: 'site-nav', 'aria-label': '主导航', 'data-i18n-attr': 'aria-label:nav.label' },
            el('ul', { class: 'site-nav__list', testid: 'site-nav-list' })));
    const skip = el('a', { class: 'skip-link', href: '#main', 'data-i18n': 'app.skip' }, '跳到主要内容');
    const footer = el('footer', { class: 'site-footer' },
        el('p', { 'data-i18n': 'app.footer' }, 'cyberins — 网络安全保险服务试点开源平台'));
    main.before(skip, header);
    main.after(footer);
}
