// i18n.js — the UI's dictionary and current language.
//
// Every string a user can see comes from DICT through t(); nothing visible is
// written as a literal in HTML text or in a page module. Static markup names
// its string with data-i18n="key" (text) or data-i18n-attr="attr:key;…"
// (attributes such as aria-label), and applyStatic() fills them in. Dynamic
// views call t() while rendering and re-render on onLangChange().
//
// Must never depend on: api.js, any page module, the network.

export const LANGS = Object.freeze(['zh-CN', 'en']);
export const DEFAULT_LANG = 'zh-CN';
const STORAGE_KEY = 'cyberins.lang';

const DICT = {
    'zh-CN': {
        'app.title': '网络安全保险服务平台',
        'app.docTitle': '网络安全保险服务平台 cyberins',
        'app.subtitle': '网络安全保险服务试点 · 开源平台',
        'app.noticeLabel': '试点依据：',
        'app.notice': '《工业和信息化部办公厅关于组织开展网络安全保险服务试点工作的通知》',
        'app.noticeRef': '（工信厅网安函〔2023〕356号）',
        'app.skip': '跳到主要内容',
        'app.footer': 'cyberins — 网络安全保险服务试点开源平台',
        'lang.toggle': 'English',
        'lang.toggleLabel': 'Switch to English',
        'lang.toggleLang': 'en',
        'common.loading': '加载中…',
        'common.loadFailed': '加载失败：{message}',
        'common.yes': '是',
        'common.no': '否',
        'common.none': '—',

        'status.heading': '系统状态',
        'status.health': '运行状态',
        'status.db': '数据库',
        'status.backend': '存储后端',
        'status.version': '版本',
        'status.time': '服务器时间（北京时间）',
        'health.ok': '正常',
        'health.error': '异常',
        'health.unknown': '检测中…',
        'backend.sqlite': 'SQLite',
        'backend.postgresql': 'PostgreSQL',

        'cov.heading': '保障范围',
        'cov.caption': '网络安全保险保障范围（共 {count} 项）',
        'cov.code': '代码',
        'cov.name': '名称',
        'cov.class': '类别',
        'cov.waiting': '等待期',
        'cov.class.first_party': '财产',
        'cov.class.third_party': '责任',
        'cov.waiting.yes': '适用',
        'cov.waiting.no': '不适用',

        'reg.heading': '行政区划（GB/T 2260）',
        'reg.pickLabel': '选择省级行政区',
        'reg.pickPlaceholder': '请选择…',
        'reg.prefCaption': '{province}的地级行政区（共 {count} 个）',
        'reg.prefEmpty': '{province}没有地级行政区记录。',
        'reg.prefHint': '选择一个省级行政区，查看其地级行政区。',
        'reg.provCaption': '省级行政区（共 {count} 个）',
        'reg.code': '代码',
        'reg.name': '名称',
        'reg.prefCount': '地级单位',
        'reg.planCities': '计划单列市',
        'reg.planCity': '计划单列市',
        'reg.provHint': '选择名称可查看其地级行政区。',

        'ind.heading': '国民经济行业分类（GB/T 4754—2017）',
        'ind.caption': '门类（共 {count} 个）及所含大类数',
        'ind.section': '门类',
        'ind.name': '名称',
        'ind.divisions': '大类数',
    },
    en: {
        'app.title': 'Cyber Insurance Service Platform',
        'app.docTitle': 'Cyber Insurance Service Platform · cyberins',
        'app.subtitle': 'Cyber insurance service pilot · open-source platform',
        'app.noticeLabel': 'Pilot basis: ',
        'app.notice': 'Notice of the MIIT General Office on organising the cyber insurance service pilot',
        'app.noticeRef': ' (工信厅网安函〔2023〕356号)',
        'app.skip': 'Skip to main content',
        'app.footer': 'cyberins — open-source platform for the cyber insurance service pilot',
        'lang.toggle': '中文',
        'lang.toggleLabel': '切换到中文',
        'lang.toggleLang': 'zh-CN',
        'common.loading': 'Loading…',
        'common.loadFailed': 'Could not load: {message}',
        'common.yes': 'Yes',
        'common.no': 'No',
        'common.none': '—',

        'status.heading': 'System status',
        'status.health': 'Health',
        'status.db': 'Database',
        'status.backend': 'Storage backend',
        'status.version': 'Version',
        'status.time': 'Server time (Beijing)',
        'health.ok': 'OK',
        'health.error': 'Error',
        'health.unknown': 'Checking…',
        'backend.sqlite': 'SQLite',
        'backend.postgresql': 'PostgreSQL',

        'cov.heading': 'Coverages',
        'cov.caption': 'Cyber insurance coverages ({count})',
        'cov.code': 'Code',
        'cov.name': 'Name',
        'cov.class': 'Class',
        'cov.waiting': 'Waiting period',
        'cov.class.first_party': 'Property',
        'cov.class.third_party': 'Liability',
        'cov.waiting.yes': 'Applies',
        'cov.waiting.no': 'None',

        'reg.heading': 'Administrative divisions (GB/T 2260)',
        'reg.pickLabel': 'Choose a province-level division',
        'reg.pickPlaceholder': 'Choose…',
        'reg.prefCaption': 'Prefecture-level divisions of {province} ({count})',
        'reg.prefEmpty': 'No prefecture-level divisions recorded for {province}.',
        'reg.prefHint': 'Choose a province-level division to see its prefecture-level divisions.',
        'reg.provCaption': 'Province-level divisions ({count})',
        'reg.code': 'Code',
        'reg.name': 'Name',
        'reg.prefCount': 'Prefectures',
        'reg.planCities': 'Separately planned cities',
        'reg.planCity': 'Separately planned city',
        'reg.provHint': 'Choose a name to see its prefecture-level divisions.',

        'ind.heading': 'Industry classification (GB/T 4754—2017)',
        'ind.caption': 'Sections ({count}) and their divisions',
        'ind.section': 'Section',
        'ind.name': 'Name',
        'ind.divisions': 'Divisions',
    },
};

let current = readStored();
const listeners = new Set();

function readStored() {
    try {
        const v = globalThis.localStorage?.getItem(STORAGE_KEY);
        return LANGS.includes(v) ? v : DEFAULT_LANG;
    } catch {
        return DEFAULT_LANG; // storage disabled: fall back quietly
    }
}

export function getLang() {
    return current;
}

// t('key', {name: value}) → the string for the current language with {name}
// replaced. A missing key shows as ⟦key⟧ so it is caught on screen and in tests.
export function t(key, params) {
    const s = DICT[current][key] ?? DICT[DEFAULT_LANG][key];
    if (s === undefined) return `⟦${key}⟧`;
    if (!params) return s;
    return s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export function has(key) {
    return key in DICT[current] || key in DICT[DEFAULT_LANG];
}

// The server's messages are written "中文 / English"; show the half that
// matches the language, or the whole message when it has no such split.
export function pickBilingual(message) {
    const s = String(message ?? '');
    const i = s.indexOf(' / ');
    if (i < 0) return s;
    return current === 'en' ? s.slice(i + 3) : s.slice(0, i);
}

export function setLang(lang) {
    if (!LANGS.includes(lang) || lang === current) return;
    current = lang;
    try {
        globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
        // storage disabled: the choice lasts for this page only
    }
    applyStatic(document);
    for (const fn of listeners) fn(lang);
}

export function toggleLang() {
    setLang(current === 'zh-CN' ? 'en' : 'zh-CN');
}

// fn(lang) runs after every language change; returns an unsubscribe function.
export function onLangChange(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
}

// Fill every data-i18n / data-i18n-attr element under root, set <html lang>
// and the document title.
export function applyStatic(root) {
    document.documentElement.lang = current;
    document.title = t('app.docTitle');
    for (const el of root.querySelectorAll('[data-i18n]')) {
        el.textContent = t(el.dataset.i18n);
    }
    for (const el of root.querySelectorAll('[data-i18n-attr]')) {
        for (const pair of el.dataset.i18nAttr.split(';')) {
            const [attr, key] = pair.split(':').map((x) => x.trim());
            if (attr && key) el.setAttribute(attr, t(key));
        }
    }
}
