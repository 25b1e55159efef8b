/** The announcements panel's words (spread into the catalogues of i18n.ts). */
export const announcementTexts = {
  en: {
    'ann.title': 'News from the team',
    'ann.markRead': 'Mark as read',
    'ann.read': 'Read',
    'ann.published': 'Published {when}',
  },
  de: {
    'ann.title': 'Neuigkeiten vom Team',
    'ann.markRead': 'Als gelesen markieren',
    'ann.read': 'Gelesen',
    'ann.published': 'Veröffentlicht am {when}',
  },
} as const;
