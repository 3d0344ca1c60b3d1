// pages/catalogue.js — 《网络安全保险典型服务方案目录》 (catalogue.html?round=ID),
// readable by every logged-in user: the numbered entries of the round with
// their lead, joint units and direction.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { api, apiList } from '../api.js';
import { t } from '../i18n.js';
import { el } from '../dom.js';
import { showReady, param, scrollTable, renderAfterLoad } from '../view.js';
import { downloadBar } from '../download.js';

export const page = {
    title: 'title.catalogue',
    view: 'catalogue-view',
    start(root) {
        let round;
        let items;
        return renderAfterLoad(root, async () => {
            round = param('round') ?? (await api('/api/v1/rounds')).items.at(-1).id;
            items = await apiList('/api/v1/catalogue', { query: { round_id: round } });
        }, () => showReady(root, ...view(round, items)), 'pl.loadFailed');
    },
};

function view(round, items) {
    return [
        el('h2', { testid: 'catalogue-title' }, t('c.heading')),
        downloadBar(`/api/v1/catalogue/${encodeURIComponent(round)}/document`, ['docx', 'xlsx', 'pdf'], `catalogue-${round}`),
        items.length === 0 ? el('p', { class: 'muted', testid: 'catalogue-empty' }, t('c.empty'))
            : scrollTable('catalogue-t', 'catalogue-table', t('c.caption', { round, count: items.length }),
                [{ text: t('c.code') }, { text: t('c.name') }, { text: t('c.lead') }, { text: t('c.joint') }, { text: t('c.direction') }],
                items.map((e) => el('tr', { testid: 'catalogue-row', dataset: { code: e.code, scheme: String(e.scheme_id) } },
                    el('td', { class: 'nowrap' }, e.code),
                    el('th', { scope: 'row' }, e.name),
                    el('td', {}, e.lead_name),
                    el('td', {}, e.joint_units.join('、') || t('common.none')),
                    el('td', {}, e.direction ? t(`s.dir.${e.direction}`) : t('common.none'))))),
    ];
}
