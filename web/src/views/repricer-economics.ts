/** An offer's min derived from cost, fees and margin, in words (issue 21 economics: the API's `minDerivation`). */
import { el } from '../dom.ts';
import { t } from '../i18n.ts';
import { dateTime, decimalMoney } from '../format.ts';

export interface MinDerivation {
  readonly status: 'derived' | 'fees-unknown' | 'above-max';
  readonly cost: string;
  readonly margin: string;
  readonly vatPercent: string;
  readonly fees: {
    readonly source: 'rule' | 'sp-api' | 'simulated';
    readonly at: string | null;
    readonly estimatedAtPrice: string | null;
    readonly fulfilment: 'FBA' | 'MFN' | null;
    readonly stale: boolean;
    readonly referralPercent: string;
    readonly referralMinimum: string;
    readonly fixed: string;
    readonly atMin: string | null;
  } | null;
  readonly min: string | null;
  readonly needed: string | null;
}

export function minDerivationView(d: MinDerivation, currency: string): HTMLElement {
  const money = (amount: string | null): string => (amount === null ? t('app.none') : decimalMoney(amount, currency));
  const lines: string[] = [];
  if (d.status === 'derived') {
    lines.push(t('rpe.derived', { min: money(d.min), cost: money(d.cost), fees: money(d.fees?.atMin ?? null), margin: d.margin, vat: d.vatPercent }));
  } else if (d.status === 'fees-unknown') {
    lines.push(t('rpe.feesUnknown', { cost: money(d.cost), margin: d.margin }));
  } else {
    lines.push(d.needed === null ? t('rpe.noPrice', { cost: money(d.cost), margin: d.margin }) : t('rpe.aboveMax', { cost: money(d.cost), margin: d.margin, needed: money(d.needed) }));
  }
  const fees = d.fees;
  if (fees) {
    lines.push(
      fees.source === 'rule'
        ? t('rpe.fees.rule', { referral: fees.referralPercent, minimum: money(fees.referralMinimum), fixed: money(fees.fixed) })
        : t(fees.source === 'sp-api' ? 'rpe.fees.sp-api' : 'rpe.fees.simulated', { at: fees.at ? dateTime(fees.at) : t('app.none'), price: money(fees.estimatedAtPrice), fulfilment: fees.fulfilment ?? '' }),
    );
    if (fees.stale) lines.push(t('rpe.stale'));
  }
  return el('div', { id: 'offer-min-derivation', 'data-status': d.status }, el('h3', { text: t('rpe.title') }), ...lines.map((line) => el('p', { class: 'muted', text: line })));
}
