/**
 * The CSM console's codes in words (event types, product areas, severities…), in the user's language: the same
 * rule as `label()` in i18n.ts (a code the catalogue does not know yet is shown as itself, visible, not hidden).
 */
import { csmCodeLabels, type CsmCodeGroup } from './i18n-csm.ts';
import { language, t } from './i18n.ts';
import type { CsmNotice } from './views/csm-types.ts';

export function csmLabel(group: CsmCodeGroup, code: string): string {
  const labels: Readonly<Record<string, string>> = csmCodeLabels[language()][group];
  return labels[code] ?? code;
}

/** A notification's headline in the user's language (the server's `title` is English; it stays the fallback). */
export function noticeTitle(n: Pick<CsmNotice, 'eventType' | 'product' | 'companyName' | 'title'>): string {
  const params = { product: csmLabel('product', n.product), company: n.companyName };
  switch (n.eventType) {
    case 'customer.signed-up':
      return t('csm.ev.signedUp', params);
    case 'contract.cancelled':
      return t('csm.ev.cancelled', params);
    case 'contract.extended':
      return t('csm.ev.extended', params);
    case 'contract.changed':
      return t('csm.ev.changed', params);
    default: {
      const kind = csmLabel('eventType', n.eventType);
      return kind === n.eventType ? n.title : `${kind}: ${n.companyName}`;
    }
  }
}
