import { money, percentOf, type Currency, type Money } from '#shared/kernel/money.ts';
import type { Claim } from './lifecycle.ts';
import type { ClaimType } from './model.ts';
import { dayOfDate, isoDay, parseDayString } from './tsv.ts';

/** A count and its value; value has one entry per currency (amounts of different currencies never add up). */
export interface Figure {
  count: number;
  value: Money[];
}

export interface FigureSet {
  found: Figure;
  filed: Figure;
  paid: Figure;
  rejected: Figure;
  expired: Figure;
  /** Unfiled claims whose deadline falls within `expiringWithinDays`. */
  expiring: Figure;
  /** Money Amazon paid, per currency. */
  recovered: Money[];
}

export interface DashboardSummary extends FigureSet {
  asOf: string;
  feeBasisPoints: number;
  expiringWithinDays: number;
  /** Our fee: `feeBasisPoints` of what was recovered, per currency. */
  feeOwed: Money[];
  /** By month the claim was found (YYYY-MM). */
  byMonth: Array<{ month: string } & FigureSet>;
  byType: Array<{ type: ClaimType } & FigureSet>;
}

export interface DashboardOptions {
  asOf: Date;
  /** Basis points of the recovered amount we charge (2500 = 25 %, peers' usual). */
  feeBasisPoints?: number;
  expiringWithinDays?: number;
}

class FigureBuilder {
  count = 0;
  private readonly value = new Map<Currency, number>();
  add(amount: Money): void {
    this.count++;
    this.value.set(amount.currency, (this.value.get(amount.currency) ?? 0) + amount.minor);
  }
  build(): Figure {
    return { count: this.count, value: moneyList(this.value) };
  }
}

function moneyList(totals: Map<Currency, number>): Money[] {
  return [...totals.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([currency, minor]) => money(minor, currency));
}

class SetBuilder {
  found = new FigureBuilder();
  filed = new FigureBuilder();
  paid = new FigureBuilder();
  rejected = new FigureBuilder();
  expired = new FigureBuilder();
  expiring = new FigureBuilder();
  recovered = new Map<Currency, number>();

  add(claim: Claim, asOfDay: number, expiringWithinDays: number): void {
    switch (claim.status) {
      case 'found':
      case 'reversed':
        this.found.add(claim.amount);
        if (parseDayString(claim.deadline) - asOfDay <= expiringWithinDays && parseDayString(claim.deadline) >= asOfDay) this.expiring.add(claim.amount);
        break;
      case 'filed':
      case 'info_requested':
        this.filed.add(claim.amount);
        break;
      case 'paid':
      case 'partially_paid':
        this.paid.add(claim.amount);
        break;
      case 'rejected':
        this.rejected.add(claim.amount);
        break;
      case 'expired':
        this.expired.add(claim.amount);
        break;
    }
    if (claim.recovered.minor !== 0) {
      this.recovered.set(claim.recovered.currency, (this.recovered.get(claim.recovered.currency) ?? 0) + claim.recovered.minor);
    }
  }

  build(): FigureSet {
    return {
      found: this.found.build(),
      filed: this.filed.build(),
      paid: this.paid.build(),
      rejected: this.rejected.build(),
      expired: this.expired.build(),
      expiring: this.expiring.build(),
      recovered: moneyList(this.recovered),
    };
  }
}

/** R-L3: one customer's figures (found / filed / paid / rejected / expiring), by month and type, and our fee. */
export function summariseClaims(claims: readonly Claim[], options: DashboardOptions): DashboardSummary {
  const feeBasisPoints = options.feeBasisPoints ?? 2500;
  const expiringWithinDays = options.expiringWithinDays ?? 14;
  const asOfDay = dayOfDate(options.asOf);
  const total = new SetBuilder();
  const months = new Map<string, SetBuilder>();
  const types = new Map<ClaimType, SetBuilder>();
  for (const claim of claims) {
    total.add(claim, asOfDay, expiringWithinDays);
    const month = claim.foundAt.slice(0, 7);
    if (!months.has(month)) months.set(month, new SetBuilder());
    months.get(month)!.add(claim, asOfDay, expiringWithinDays);
    if (!types.has(claim.type)) types.set(claim.type, new SetBuilder());
    types.get(claim.type)!.add(claim, asOfDay, expiringWithinDays);
  }
  const figures = total.build();
  return {
    asOf: isoDay(asOfDay),
    feeBasisPoints,
    expiringWithinDays,
    ...figures,
    feeOwed: figures.recovered.map((r) => percentOf(r, feeBasisPoints)),
    byMonth: [...months.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([month, b]) => ({ month, ...b.build() })),
    byType: [...types.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([type, b]) => ({ type, ...b.build() })),
  };
}
