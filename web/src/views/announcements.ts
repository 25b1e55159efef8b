/**
 * Product announcements on the customer's dashboard: what the team announced for the customer's products, in the
 * customer's language (the API chooses the text), newest first; unread ones can be marked read (the team sees it).
 * Nothing is shown while there is none; a failure to load shows as an error, never as "no news".
 */
import { api } from '../api.ts';
import { el } from '../dom.ts';
import { dateTime } from '../format.ts';
import { t } from '../i18n.ts';
import { action, errorBox, section } from './common.ts';

interface CustomerAnnouncement {
  readonly announcementId: string;
  readonly product: string;
  readonly publishedAt: string;
  readonly language: string;
  readonly title: string;
  readonly body: string;
  readonly read: boolean;
}

function item(a: CustomerAnnouncement): HTMLElement {
  const status = el('span', { class: 'muted', text: a.read ? t('ann.read') : '' });
  const failure = el('div');
  const children: HTMLElement[] = [
    el('h3', { text: a.title, lang: a.language }),
    el('p', { class: 'muted', text: t('ann.published', { when: dateTime(a.publishedAt) }) }),
    el('p', { text: a.body, lang: a.language }),
  ];
  if (!a.read) {
    const button = el('button', { type: 'button', class: 'ann-read', text: t('ann.markRead') });
    action(
      button,
      async () => {
        await api(`/announcements/${encodeURIComponent(a.announcementId)}/read`, { method: 'POST' });
        button.remove();
        status.textContent = t('ann.read');
      },
      failure,
    );
    children.push(button);
  }
  return el('article', { class: 'announcement', 'data-announcement': a.announcementId }, ...children, status, failure);
}

/** Puts the announcements panel at the top of `target` (the customer's dashboard). */
export async function mountAnnouncements(target: HTMLElement): Promise<void> {
  let items: readonly CustomerAnnouncement[];
  try {
    items = (await api<{ items: CustomerAnnouncement[] }>('/announcements?limit=5')).items;
  } catch (error) {
    target.prepend(section('announcements', t('ann.title'), errorBox(error)));
    return;
  }
  if (items.length === 0) return;
  target.prepend(section('announcements', t('ann.title'), ...items.map(item)));
}
