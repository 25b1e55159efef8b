import { formatMinor } from '#shared/kernel/money.ts';
import type { Currency } from '#shared/kernel/money.ts';
import { NO_CEILING, ReasonCode } from './types.ts';
import type { ReasonCodeName } from './types.ts';

/**
 * Reasons are a code plus up to three integer parameters (prices in minor units, seconds …). The hot path
 * writes only integers; text is rendered here, when a human looks at the decision.
 */

const NAMES = Object.fromEntries(Object.entries(ReasonCode).map(([name, code]) => [code, name])) as Record<
  ReasonCode,
  ReasonCodeName
>;

export function reasonCodeName(code: ReasonCode): ReasonCodeName {
  return NAMES[code];
}

export function renderReason(
  code: ReasonCode | ReasonCodeName,
  params: readonly [number, number, number],
  currency: Currency,
): string {
  const numeric = typeof code === 'string' ? ReasonCode[code] : code;
  const [a, b, c] = params;
  const p = (minor: number): string => `${formatMinor(minor, currency)} ${currency}`;
  switch (numeric) {
    case ReasonCode.SoleSeller:
      return `Sole seller on the listing: price set to the maximum ${p(a)}`;
    case ReasonCode.FallbackKeep:
      return `No competitor passes the filters: keeping the current price ${p(a)}`;
    case ReasonCode.FallbackMax:
      return `No competitor passes the filters: price set to the maximum ${p(a)}`;
    case ReasonCode.FallbackPrice:
      return `No competitor passes the filters: price set to the fallback price ${p(a)}`;
    case ReasonCode.AmazonHold:
      return `Amazon retail sells this item (landed ${p(a)}) and the rule says hold: keeping ${p(b)}`;
    case ReasonCode.AwaitingPrice:
      return `Waiting for Amazon to apply ${p(a)} (pushed ${b} s ago) before reacting`;
    case ReasonCode.UndercutBuyBox:
      return `Buy Box held by another offer at landed ${p(a)}: undercutting by ${p(c)} to ${p(b)}`;
    case ReasonCode.UndercutLowest:
      return `No Buy Box winner reported; cheapest qualifying offer landed at ${p(a)}: undercutting by ${p(c)} to ${p(b)}`;
    case ReasonCode.LowerStillLosing:
      return `Still not winning the Buy Box at ${p(a)}: lowering by ${p(c)} to ${p(b)}`;
    case ReasonCode.AtMinCannotWin:
      return `The Buy Box is won at landed ${p(a)}, out of reach inside the range: staying at the minimum ${p(b)}`;
    case ReasonCode.RaiseToBelowNext:
      return `Buy Box is ours and we are the cheapest: raising to one step below the next competitor (landed ${p(a)}) → ${p(b)}`;
    case ReasonCode.RaiseProbing:
      return c === NO_CEILING || c === 0
        ? `Buy Box is ours: raising by ${p(a)} to ${p(b)} to find the highest price that keeps it`
        : `Buy Box is ours: raising by ${p(a)} to ${p(b)}, below the learned ceiling ${p(c)}`;
    case ReasonCode.HoldAtCeiling:
      return `Buy Box is ours at ${p(a)}, one step below the price that lost it (${p(b)}): holding`;
    case ReasonCode.HoldAtMax:
      return `Buy Box is ours at the maximum ${p(a)}: holding`;
    case ReasonCode.RevertAfterLoss:
      return `Lost the Buy Box after raising to ${p(a)}: back to ${p(b)}, the last price that kept it`;
    case ReasonCode.PushRaise:
      return `Selling well (${a} units vs target ${b} per period): raising by one step to ${p(c)}`;
    case ReasonCode.PushLower:
      return `Selling slowly (${a} units vs target ${b} per period): lowering by one step to ${p(c)}`;
    case ReasonCode.PushOnTarget:
      return `Sales on target (${a} units vs target ${b} per period): holding ${p(c)}`;
    case ReasonCode.PushCooldown:
      return `Price changed ${a} min ago; the Push strategy waits one period (${b} min) between moves: holding ${p(c)}`;
    case ReasonCode.PushBuyBoxGuard:
      return `Keep-Buy-Box guard: staying one step below the cheapest competitor (landed ${p(a)}) at ${p(b)}`;
    case ReasonCode.PushNoSalesData:
      return `No sales data for the Push strategy: holding ${p(a)}`;
    case ReasonCode.RaiseCapped:
      return `Raise stopped at Amazon's ${c === 2 ? 'list price' : 'competitive price threshold'} (landed ${p(a)}): ${p(b)}`;
    case ReasonCode.FeesUnknown:
      return `Min comes from cost, fees and margin, and Amazon's fees are not known yet (no estimate): holding${b > 0 ? ` at ${p(b)}` : ''}, never below the cost ${p(a)}`;
    case ReasonCode.MinAboveMax:
      return a > 0
        ? `Cost, fees and margin need at least ${p(a)}, above the maximum ${p(b)}: holding${c > 0 ? ` at ${p(c)}` : ''}`
        : `No price pays cost, fees and margin (fees take it all): holding${c > 0 ? ` at ${p(c)}` : ''}`;
    case ReasonCode.Fixed:
      return `Fixed price ${p(a)}`;
    // issue 21 rules
    case ReasonCode.AtCompetitiveThreshold:
      return `Not holding the Buy Box above Amazon's competitive price threshold (landed ${p(a)}): priced at it, ${p(b)}`;
    case ReasonCode.LowStockRaise:
      return `Low stock (${a} units, threshold ${b}): moved toward the maximum, ${p(c)}`;
    case ReasonCode.BuyBoxSuppressedHold:
      return `No Buy Box winner on the listing (suppressed) and the rule says hold: keeping ${p(a)}`;
    case ReasonCode.BuyBoxSuppressedThreshold:
      return `No Buy Box winner on the listing (suppressed): priced at Amazon's competitive price threshold (landed ${p(a)}), ${p(b)}`;
    case ReasonCode.MatchPrice:
      return `Matching ${c === 1 ? 'Amazon retail' : 'the price that wins'} at landed ${p(a)} instead of undercutting: ${p(b)}`;
    case ReasonCode.MatchHold:
      return `Already matching landed ${p(a)}: holding ${p(b)} rather than starting a price war`;
    default:
      return `reason ${String(code)}`;
  }
}
