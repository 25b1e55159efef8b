/** An offer's own stock as read from Amazon (issue 21 stock): what the low-stock rule decides on, in the offer table and detail. */
import { el } from '../dom.ts';
import { t } from '../i18n.ts';
import { dateTime, integer } from '../format.ts';

export interface OfferStock {
  readonly stockStatus?: 'known' | 'stale' | 'unknown';
  readonly stockUnits?: number | null;
  readonly stockKnownAt?: string | null;
  readonly stockSource?: 'fba' | 'mfn' | null;
}

/** The offer table's cell: the units and when they were read, or "stock unknown" (stale stock is unknown to the rule too). */
export function stockCell(o: OfferStock): HTMLElement {
  const known = o.stockStatus === 'known' && o.stockUnits != null && o.stockKnownAt != null;
  return el(
    'td',
    { class: 'num', 'data-stock': o.stockStatus ?? 'unknown' },
    known ? el('span', { text: t('rp.stock.units', { units: integer(o.stockUnits) }) }) : el('span', { class: 'muted', text: t('rp.stock.unknown') }),
    ...(known ? [el('br'), el('span', { class: 'muted', text: t('rp.stock.readAt', { at: dateTime(o.stockKnownAt) }) })] : []),
  );
}

/** The offer detail's line about stock. */
export function stockPanel(o: OfferStock): HTMLElement {
  const read = o.stockUnits != null && o.stockKnownAt != null && o.stockSource != null;
  if (!read || o.stockStatus === 'unknown') return el('p', { class: 'muted', id: 'offer-stock', 'data-stock': 'unknown', text: t('rp.stock.none') });
  const params = { units: integer(o.stockUnits), source: t(o.stockSource === 'fba' ? 'rp.stock.source.fba' : 'rp.stock.source.mfn'), at: dateTime(o.stockKnownAt) };
  return el('p', { class: 'muted', id: 'offer-stock', 'data-stock': o.stockStatus ?? 'unknown', text: t(o.stockStatus === 'known' ? 'rp.stock.known' : 'rp.stock.stale', params) });
}
