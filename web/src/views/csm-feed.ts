/** The CSM feed: notifications newest first, in words, with read marks; a customer's name opens their 360. */
import { cell, el, table } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { noticeTitle } from '../csm-labels.ts';
import { staffName } from '../staff-directory.ts';
import type { CsmNotice } from './csm-types.ts';

/** A button that reads like a link: opens a customer's 360 in the console. */
export function customerButton(customerId: string, companyName: string, open: (customerId: string) => void): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'link', 'data-customer': customerId, 'aria-label': t('csm.open360For', { name: companyName }), text: companyName });
  button.addEventListener('click', () => {
    open(customerId);
  });
  return button;
}

/**
 * Whose customer a notification is about, in words: the reader's own, another manager's (*Assigned to Marc Dubois*:
 * the calls that come with it are in that manager's queue, not startable here), or nobody's yet.
 */
function assignment(n: CsmNotice, me: string): HTMLElement {
  if (n.csmId === null) return el('span', { class: 'muted', text: t('csm.assigned.none') });
  if (n.csmId === me) return el('span', { text: t('csm.assigned.me') });
  return el('span', { 'data-csm': n.csmId, text: t('csm.assigned.other', { name: staffName(n.csmId) }) });
}

export function feedTable(
  notices: readonly CsmNotice[],
  me: string,
  actions: { readonly open: (customerId: string) => void; readonly markRead: (notice: CsmNotice, button: HTMLButtonElement) => void },
): HTMLElement {
  if (notices.length === 0) return el('p', { class: 'muted', id: 'feed-empty', text: t('csm.feedNone') });
  const rows = notices.map((n) => {
    const title = noticeTitle(n);
    const markCell = el('td');
    if (n.read === true) markCell.append(el('span', { class: 'muted', text: t('csm.read') }));
    else {
      const button = el('button', { type: 'button', class: 'secondary', text: t('csm.markRead'), 'aria-label': `${t('csm.markRead')}: ${title}` });
      button.addEventListener('click', () => {
        actions.markRead(n, button);
      });
      markCell.append(button);
    }
    const customer = el('td', {}, customerButton(n.customerId, n.companyName, actions.open));
    const what = el('td', {}, el('span', { text: title }), ...(n.needsLeadAttention ? [el('span', { class: 'status attention', text: t('csm.needsLead') })] : []));
    return el(
      'tr',
      { class: n.read === true ? '' : 'unread', 'data-notification': n.notificationId, 'data-event': n.eventType },
      cell(dateTime(n.occurredAt)),
      what,
      customer,
      el('td', {}, assignment(n, me)),
      cell(label('language', n.language)),
      markCell,
    );
  });
  return table({
    id: 'feed',
    caption: t('csm.feed'),
    columns: [{ label: t('csm.col.when') }, { label: t('csm.col.title') }, { label: t('csm.col.customer') }, { label: t('csm.col.manager') }, { label: t('csm.col.language') }, { label: t('lf.col.action') }],
    rows,
  });
}
