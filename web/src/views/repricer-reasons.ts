/**
 * A repricer decision's reason in the reader's language, from the code and integer parameters the engine states
 * (`lastReasonDetail`; the server's English `lastReason` for a reason without one, or a code this app does not know).
 */
import { isMessageKey, t } from '../i18n.ts';
import { duration, integer, money } from '../format.ts';

export interface ReasonDetail {
  readonly code: string;
  readonly params: readonly [number, number, number];
  readonly dryRun: boolean;
}

/** `minutes` and `seconds` are durations, worded in their best unit (`30 days`, not `43,200 min`). */
type Kind = 'money' | 'count' | 'minutes' | 'seconds' | 'none';
/** What each of the three parameters is (shared/repricer/reasons.ts renders the same in English). */
const PARAMS: Readonly<Record<string, readonly [Kind, Kind, Kind]>> = {
  SoleSeller: ['money', 'none', 'none'],
  FallbackKeep: ['money', 'none', 'none'],
  FallbackMax: ['money', 'none', 'none'],
  FallbackPrice: ['money', 'none', 'none'],
  AmazonHold: ['money', 'money', 'none'],
  AwaitingPrice: ['money', 'seconds', 'none'],
  UndercutBuyBox: ['money', 'money', 'money'],
  UndercutLowest: ['money', 'money', 'money'],
  LowerStillLosing: ['money', 'money', 'money'],
  AtMinCannotWin: ['money', 'money', 'none'],
  RaiseToBelowNext: ['money', 'money', 'none'],
  RaiseProbing: ['money', 'money', 'money'],
  HoldAtCeiling: ['money', 'money', 'none'],
  HoldAtMax: ['money', 'none', 'none'],
  RevertAfterLoss: ['money', 'money', 'none'],
  PushRaise: ['count', 'count', 'money'],
  PushLower: ['count', 'count', 'money'],
  PushOnTarget: ['count', 'count', 'money'],
  PushCooldown: ['minutes', 'minutes', 'money'],
  PushBuyBoxGuard: ['money', 'money', 'none'],
  PushNoSalesData: ['money', 'none', 'none'],
  RaiseCapped: ['money', 'money', 'none'],
  Fixed: ['money', 'none', 'none'],
  // issue 21 economics (words in i18n-repricer-economics.ts)
  FeesUnknown: ['money', 'money', 'none'],
  MinAboveMax: ['money', 'money', 'money'],
  // issue 21 rules
  AtCompetitiveThreshold: ['money', 'money', 'none'],
  LowStockRaise: ['count', 'count', 'money'],
  BuyBoxSuppressedHold: ['money', 'none', 'none'],
  BuyBoxSuppressedThreshold: ['money', 'money', 'none'],
  MatchPrice: ['money', 'money', 'none'],
  MatchHold: ['money', 'money', 'none'],
};

/** The engine's "no learned ceiling" (shared/repricer/types.ts NO_CEILING): a probe without a ceiling reads differently. */
const NO_CEILING = 2_000_000_000;

export function reasonText(detail: ReasonDetail | null | undefined, english: string, currency: string): string {
  if (!detail) return english;
  let key = `rp.reason.${detail.code}`;
  if (detail.code === 'RaiseProbing' && (detail.params[2] === NO_CEILING || detail.params[2] === 0)) key = 'rp.reason.RaiseProbingOpen';
  if (detail.code === 'RaiseCapped') key = detail.params[2] === 2 ? 'rp.reason.RaiseCappedList' : 'rp.reason.RaiseCappedThreshold';
  const kinds = PARAMS[detail.code];
  if (!kinds || !isMessageKey(key)) return english;
  const word = (value: number, kind: Kind): string => {
    if (kind === 'money') return money({ minor: value, currency });
    if (kind === 'minutes') return duration(value * 60);
    if (kind === 'seconds') return duration(value);
    return integer(value);
  };
  const [a, b, c] = detail.params.map((value, i) => word(value, kinds[i] ?? 'none'));
  const text = t(key, { a: a ?? '', b: b ?? '', c: c ?? '' });
  return detail.dryRun ? `${text} ${t('rp.reason.dryRun')}` : text;
}
