/** An offer's units sold per day from Amazon's orders (issue 21 sales), shown in the offer detail: what Push decides on. */
import { cell, el, table } from '../dom.ts';
import { t } from '../i18n.ts';
import { day, integer } from '../format.ts';

export interface OfferSales {
  readonly salesKnownUntil?: string | null;
  readonly unitsSoldPerDay?: readonly { readonly day: string; readonly units: number }[] | null;
}

export function salesPanel(o: OfferSales): HTMLElement {
  const days = o.unitsSoldPerDay;
  if (!days || !o.salesKnownUntil) return el('p', { class: 'muted', id: 'offer-sales', text: t('rp.sales.none') });
  const total = days.reduce((sum, d) => sum + d.units, 0);
  return el(
    'div',
    { id: 'offer-sales', 'data-units': String(total) },
    el('p', { class: 'muted', text: t('rp.sales.summary', { units: integer(total), days: integer(days.length), until: day(days[days.length - 1]?.day ?? o.salesKnownUntil) }) }),
    table({
      id: 'offer-sales-days',
      caption: t('rp.sales.title'),
      columns: [{ label: t('rp.sales.day') }, { label: t('rp.sales.units'), numeric: true }],
      rows: days.map((d) => el('tr', { 'data-day': d.day }, cell(day(d.day)), cell(integer(d.units), true))),
    }),
  );
}
