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

        'common.cancel': '取消',
        'common.close': '关闭',
        'common.forbiddenHeading': '无权访问',

        'title.login': '登录',
        'title.org': '我的机构',
        'title.users': '用户管理',
        'title.directory': '机构名录',
        'title.products': '保险产品',
        'title.assessment': '风险评估',
        'title.quote': '报价',
        'title.policy': '保单',
        'title.referrals': '人工核保',
        'title.simulations': '组合模拟',
        'title.pilot': '试点工作',
        'title.scheme': '服务方案',
        'title.plan': '试点工作方案',
        'title.review': '专家评审',
        'title.catalogue': '典型服务方案目录',
        'title.inbox': '收件箱',
        'title.pilots': '试点项目',

        'nav.label': '主导航',
        'nav.home': '首页',
        'nav.org': '我的机构',
        'nav.users': '用户管理',
        'nav.directory': '机构名录',
        'nav.products': '保险产品',
        'nav.assessments': '风险评估',
        'nav.quotes': '报价',
        'nav.policies': '保单',
        'nav.referrals': '人工核保',
        'nav.simulations': '组合模拟',
        'nav.pilot': '试点工作',

        'session.login': '登录',
        'session.logout': '退出登录',
        'session.loggedInAs': '当前用户：',
        'session.checkFailed': '无法确认登录状态：{message}',
        'session.logoutFailed': '退出登录失败：{message}',

        'login.heading': '登录',
        'login.username': '用户名',
        'login.password': '密码',
        'login.submit': '登录',
        'login.missing': '请输入用户名和密码。',
        'login.retryAfter': '请在 {seconds} 秒后重试。',
        'login.retryAfterMin': '请在 {minutes} 分 {seconds} 秒后重试。',
        'login.hint': '账号由所在单位的管理员开通；忘记密码请联系本单位管理员重置。',

        'orgType.ministry': '工业和信息化部',
        'orgType.support_center': '试点支撑平台（国家工业信息安全发展研究中心）',
        'orgType.province': '省级工业和信息化主管部门',
        'orgType.city': '地市工业和信息化主管部门',
        'orgType.comm_admin': '通信管理局',
        'orgType.insurer': '保险机构',
        'orgType.service_org': '网络安全保险服务机构',
        'orgType.enterprise': '行业企业',
        'orgType.expert': '评审专家',

        'nature.public_institution': '事业单位',
        'nature.state_owned': '国有企业',
        'nature.private': '民营企业',
        'nature.joint_venture': '合资企业',
        'nature.state_controlled': '国有控股企业',
        'nature.state_participated': '国有参股企业',
        'nature.other': '其他',

        'role.admin': '管理员',
        'role.member': '成员',
        'role.viewer': '只读',

        'org.heading': '我的机构',
        'org.headingOther': '机构详情',
        'org.edit': '编辑机构信息',
        'org.editHeading': '编辑机构信息',
        'org.save': '保存',
        'org.saved': '机构信息已保存。',
        'org.manageUsers': '用户管理',
        'org.usccWarning': '提示：{text}',
        'org.natureOther': '其他（{text}）',
        'org.capitalValue': '{value} 万元',
        'org.capitalHint': '单位：万元，最多 6 位小数',
        'org.capitalInvalid': '注册资本应为不小于 0 的数，单位万元，最多 6 位小数。',
        'org.regionValue': '{name}（{code}）',
        'org.capitalRequired': '请填写注册资本（万元）。',
        'org.f.name': '单位名称',
        'org.f.type': '机构类型',
        'org.f.uscc': '统一社会信用代码',
        'org.f.licence_no': '经营保险业务许可证编号',
        'org.f.region': '所在地区',
        'org.f.industry': '所属行业',
        'org.f.industry_section': '行业门类',
        'org.f.industry_division': '行业大类',
        'org.f.nature': '单位性质',
        'org.f.nature_other': '单位性质（其他）说明',
        'org.f.founded_on': '成立日期',
        'org.f.registered_capital': '注册资本',
        'org.f.registered_capital_wan': '注册资本（万元）',
        'org.f.address': '地址',
        'org.f.contact': '联系人',
        'org.f.phone': '联系电话',
        'org.f.fax': '传真',
        'org.f.email': '电子邮箱',
        'org.f.created_at': '创建时间（北京时间）',
        'org.f.updated_at': '更新时间（北京时间）',

        'users.heading': '用户管理',
        'users.forbidden': '只有机构管理员、工业和信息化部和试点支撑平台可以管理用户。',
        'users.orgLink': '机构信息',
        'users.caption': '本机构用户（共 {count} 个）',
        'users.col.username': '用户名',
        'users.col.displayName': '姓名',
        'users.col.role': '角色',
        'users.col.status': '状态',
        'users.col.email': '电子邮箱',
        'users.col.phone': '电话',
        'users.col.createdAt': '创建时间（北京时间）',
        'users.col.actions': '操作',
        'users.manage': '管理',
        'users.self': '我',
        'users.enabled': '启用',
        'users.disabled': '已停用',
        'users.panelTitle': '管理用户：{name}（{username}）',
        'users.editHeading': '姓名、角色和联系方式',
        'users.saveUser': '保存',
        'users.nothingChanged': '没有需要保存的修改。',
        'users.savedUser': '用户 {username} 已更新。',
        'users.statusHeading': '账号状态',
        'users.statusEnabled': '账号已启用，可以登录。',
        'users.statusDisabled': '账号已停用，不能登录。',
        'users.disable': '停用账号',
        'users.enable': '启用账号',
        'users.didDisable': '用户 {username} 已停用。',
        'users.didEnable': '用户 {username} 已启用。',
        'users.passwordHeading': '密码',
        'users.changePassword': '修改我的密码',
        'users.resetPassword': '重置密码',
        'users.passwordChanged': '密码已修改。',
        'users.passwordReset': '用户 {username} 的密码已重置，请通过安全渠道告知本人。',
        'users.passwordHint': '至少 10 个字符',
        'users.addHeading': '添加用户',
        'users.add': '添加用户',
        'users.added': '已添加用户 {username}。',
        'users.usernameHint': '登录时使用，添加后不能修改',
        'users.f.username': '用户名',
        'users.f.display_name': '姓名',
        'users.f.role': '角色',
        'users.f.password': '初始密码',
        'users.f.current_password': '当前密码',
        'users.f.new_password': '新密码',
        'users.f.email': '电子邮箱',
        'users.f.phone': '电话',

        'dir.heading': '机构名录',
        'dir.hint': '显示您有权查看的机构；地方主管部门仅能查看本地区机构，其他机构的联系方式不予显示。',
        'dir.forbidden': '只有工业和信息化部、试点支撑平台、省市工业和信息化主管部门和通信管理局可以查看机构名录。',
        'dir.type': '机构类型',
        'dir.province': '省级行政区',
        'dir.city': '地级行政区',
        'dir.reset': '清除筛选',
        'dir.allTypes': '全部类型',
        'dir.allRegions': '全部地区',
        'dir.allCities': '全部地市',
        'dir.pickProvinceFirst': '请先选择省级行政区',
        'dir.planCity': '{name}（计划单列市）',
        'dir.count': '共 {count} 个机构。',
        'dir.countMore': '已显示 {count} 个机构，还有更多。',
        'dir.empty': '没有符合条件的机构。',
        'dir.caption': '机构名录',
        'dir.col.name': '单位名称',
        'dir.col.type': '机构类型',
        'dir.col.region': '所在地区',
        'dir.col.uscc': '统一社会信用代码',
        'dir.col.contact': '联系人',
        'dir.col.phone': '联系电话',
        'dir.col.email': '电子邮箱',
        'dir.more': '加载更多',
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

        'common.cancel': 'Cancel',
        'common.close': 'Close',
        'common.forbiddenHeading': 'Not available',

        'title.login': 'Log in',
        'title.org': 'My organisation',
        'title.users': 'Users',
        'title.directory': 'Organisation directory',
        'title.products': 'Products',
        'title.assessment': 'Risk assessment',
        'title.quote': 'Quotes',
        'title.policy': 'Policies',
        'title.referrals': 'Referrals',
        'title.simulations': 'Portfolio simulation',
        'title.pilot': 'Pilot programme',
        'title.scheme': 'Service scheme',
        'title.plan': 'Pilot plan',
        'title.review': 'Expert review',
        'title.catalogue': 'Catalogue of service schemes',
        'title.inbox': 'Inbox',
        'title.pilots': 'Pilots',

        'nav.label': 'Main navigation',
        'nav.home': 'Home',
        'nav.org': 'My organisation',
        'nav.users': 'Users',
        'nav.directory': 'Directory',
        'nav.products': 'Products',
        'nav.assessments': 'Assessments',
        'nav.quotes': 'Quotes',
        'nav.policies': 'Policies',
        'nav.referrals': 'Referrals',
        'nav.simulations': 'Simulation',
        'nav.pilot': 'Pilot programme',

        'session.login': 'Log in',
        'session.logout': 'Log out',
        'session.loggedInAs': 'Logged in as ',
        'session.checkFailed': 'Could not check whether you are logged in: {message}',
        'session.logoutFailed': 'Could not log out: {message}',

        'login.heading': 'Log in',
        'login.username': 'Username',
        'login.password': 'Password',
        'login.submit': 'Log in',
        'login.missing': 'Enter your username and password.',
        'login.retryAfter': 'Try again in {seconds} s.',
        'login.retryAfterMin': 'Try again in {minutes} min {seconds} s.',
        'login.hint': 'Accounts are opened by the administrator of your organisation, who can also reset a forgotten password.',

        'orgType.ministry': 'Ministry of Industry and Information Technology',
        'orgType.support_center': 'Pilot support platform (NISC)',
        'orgType.province': 'Provincial industry and IT authority',
        'orgType.city': 'Municipal industry and IT authority',
        'orgType.comm_admin': 'Communications administration',
        'orgType.insurer': 'Insurer',
        'orgType.service_org': 'Cyber insurance service organisation',
        'orgType.enterprise': 'Enterprise',
        'orgType.expert': 'Review expert',

        'nature.public_institution': 'Public institution',
        'nature.state_owned': 'State-owned enterprise',
        'nature.private': 'Private enterprise',
        'nature.joint_venture': 'Joint venture',
        'nature.state_controlled': 'State-controlled enterprise',
        'nature.state_participated': 'Enterprise with state participation',
        'nature.other': 'Other',

        'role.admin': 'Administrator',
        'role.member': 'Member',
        'role.viewer': 'Viewer',

        'org.heading': 'My organisation',
        'org.headingOther': 'Organisation',
        'org.edit': 'Edit details',
        'org.editHeading': 'Edit organisation details',
        'org.save': 'Save',
        'org.saved': 'The organisation details were saved.',
        'org.manageUsers': 'Users',
        'org.usccWarning': 'Note: {text}',
        'org.natureOther': 'Other ({text})',
        'org.capitalValue': '{value} × 10,000 CNY (万元)',
        'org.capitalHint': 'In 万元 (10,000 CNY), at most 6 decimals',
        'org.capitalInvalid': 'Registered capital must be a number ≥ 0 in 万元 (10,000 CNY) with at most 6 decimals.',
        'org.regionValue': '{name} ({code})',
        'org.capitalRequired': 'Enter the registered capital (in 万元, 10,000 CNY).',
        'org.f.name': 'Name',
        'org.f.type': 'Type',
        'org.f.uscc': 'Unified social credit code',
        'org.f.licence_no': 'Insurance business licence no.',
        'org.f.region': 'Region',
        'org.f.industry': 'Industry',
        'org.f.industry_section': 'Industry section',
        'org.f.industry_division': 'Industry division',
        'org.f.nature': 'Nature',
        'org.f.nature_other': 'Nature (other), described',
        'org.f.founded_on': 'Founded on',
        'org.f.registered_capital': 'Registered capital',
        'org.f.registered_capital_wan': 'Registered capital (万元, 10,000 CNY)',
        'org.f.address': 'Address',
        'org.f.contact': 'Contact person',
        'org.f.phone': 'Phone',
        'org.f.fax': 'Fax',
        'org.f.email': 'Email',
        'org.f.created_at': 'Created (Beijing time)',
        'org.f.updated_at': 'Updated (Beijing time)',

        'users.heading': 'Users',
        'users.forbidden': 'Only administrators of an organisation, the ministry and the pilot support platform manage users.',
        'users.orgLink': 'Organisation details',
        'users.caption': 'Users of this organisation ({count})',
        'users.col.username': 'Username',
        'users.col.displayName': 'Name',
        'users.col.role': 'Role',
        'users.col.status': 'Status',
        'users.col.email': 'Email',
        'users.col.phone': 'Phone',
        'users.col.createdAt': 'Created (Beijing time)',
        'users.col.actions': 'Actions',
        'users.manage': 'Manage',
        'users.self': 'me',
        'users.enabled': 'Active',
        'users.disabled': 'Disabled',
        'users.panelTitle': 'Manage user: {name} ({username})',
        'users.editHeading': 'Name, role and contact',
        'users.saveUser': 'Save',
        'users.nothingChanged': 'Nothing to save.',
        'users.savedUser': 'User {username} was updated.',
        'users.statusHeading': 'Account status',
        'users.statusEnabled': 'The account is active and can log in.',
        'users.statusDisabled': 'The account is disabled and cannot log in.',
        'users.disable': 'Disable account',
        'users.enable': 'Enable account',
        'users.didDisable': 'User {username} was disabled.',
        'users.didEnable': 'User {username} was enabled.',
        'users.passwordHeading': 'Password',
        'users.changePassword': 'Change my password',
        'users.resetPassword': 'Reset password',
        'users.passwordChanged': 'Your password was changed.',
        'users.passwordReset': 'The password of {username} was reset; tell them through a safe channel.',
        'users.passwordHint': 'At least 10 characters',
        'users.addHeading': 'Add a user',
        'users.add': 'Add user',
        'users.added': 'User {username} was added.',
        'users.usernameHint': 'Used to log in; cannot be changed later',
        'users.f.username': 'Username',
        'users.f.display_name': 'Name',
        'users.f.role': 'Role',
        'users.f.password': 'Initial password',
        'users.f.current_password': 'Current password',
        'users.f.new_password': 'New password',
        'users.f.email': 'Email',
        'users.f.phone': 'Phone',

        'dir.heading': 'Organisation directory',
        'dir.hint': 'Organisations you may see; a local authority sees its own region only, without the contact details of other organisations.',
        'dir.forbidden': 'Only the ministry, the pilot support platform, provincial and municipal industry and IT authorities and communications administrations see the directory.',
        'dir.type': 'Type',
        'dir.province': 'Province',
        'dir.city': 'Prefecture',
        'dir.reset': 'Clear filters',
        'dir.allTypes': 'All types',
        'dir.allRegions': 'All regions',
        'dir.allCities': 'All prefectures',
        'dir.pickProvinceFirst': 'Choose a province first',
        'dir.planCity': '{name} (separately planned city)',
        'dir.count': '{count} organisations.',
        'dir.countMore': '{count} organisations shown, more available.',
        'dir.empty': 'No organisation matches.',
        'dir.caption': 'Organisation directory',
        'dir.col.name': 'Name',
        'dir.col.type': 'Type',
        'dir.col.region': 'Region',
        'dir.col.uscc': 'USCC',
        'dir.col.contact': 'Contact',
        'dir.col.phone': 'Phone',
        'dir.col.email': 'Email',
        'dir.more': 'Load more',
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

// addStrings(lang, {key: text}): a capability's own strings (e.g.
// js/pilot/strings.js), merged into DICT; a key already there is refused so
// no module silently changes another's text.
export function addStrings(lang, entries) {
    if (!LANGS.includes(lang)) throw new Error(`addStrings: unknown language ${lang}`);
    for (const [k, v] of Object.entries(entries)) {
        if (k in DICT[lang] && DICT[lang][k] !== v) throw new Error(`addStrings: ${lang} key ${k} is already defined`);
        DICT[lang][k] = v;
    }
}

export function has(key) {
    return key in DICT[current] || key in DICT[DEFAULT_LANG];
}

// The server's messages are written "中文 / English"; show the half that
// matches the language, or the whole message when it has no such split. The
// split is the first "/" followed by a space (the space before it may be
// missing after full-width punctuation: "（当前 3 个）/ password …"); a "/"
// inside a word ("GB/T 2260") is not one.
export function pickBilingual(message) {
    const s = String(message ?? '');
    const m = /\s?\/\s/.exec(s);
    if (!m) return s;
    return current === 'en' ? s.slice(m.index + m[0].length).trim() : s.slice(0, m.index).trim();
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
    // <body data-title-key="title.login"> puts the page's name first.
    const pageKey = document.body?.dataset.titleKey;
    document.title = pageKey ? `${t(pageKey)} · ${t('app.docTitle')}` : t('app.docTitle');
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
