/**
 * How simulated competitors price. Each behaviour is a small pure function from what the competitor sees
 * (its own offer and the others') to its next listing price, or null to leave it alone.
 */

export type CompetitorBehaviour =
  /** Never changes its price. */
  | { readonly kind: 'static' }
  /** Prices one undercut below the cheapest other offer (landed), both up and down, within [floor, ceiling]. */
  | {
      readonly kind: 'naive-undercutter';
      readonly floorMinor: number;
      readonly ceilingMinor: number;
      readonly undercutMinor: number;
      readonly reactionMinMs: number;
      readonly reactionMaxMs: number;
      /** Also looks on a schedule, like real repricers that run every N minutes. */
      readonly repriceEveryMs?: number;
    }
  /** Another Buy Box repricer: undercuts the Buy Box by a step when losing, raises by a step while winning. */
  | {
      readonly kind: 'buybox-bot';
      readonly floorMinor: number;
      readonly ceilingMinor: number;
      readonly stepMinor: number;
      readonly reactionMinMs: number;
      readonly reactionMaxMs: number;
      readonly repriceEveryMs?: number;
    }
  /** Amazon retail: on a fixed schedule, matches the cheapest other offer down to its floor, else its list price. */
  | { readonly kind: 'amazon-retail'; readonly floorMinor: number; readonly listPriceMinor: number; readonly repriceEveryMs: number };

export interface CompetitorView {
  readonly ownListingMinor: number;
  readonly ownShippingMinor: number;
  /** Cheapest landed price among the other offers (Infinity if alone). */
  readonly lowestOtherLanded: number;
  /** Landed price of the other offer holding the Buy Box (overall winner), Infinity if none or if it is us. */
  readonly otherWinnerLanded: number;
  readonly isWinner: boolean;
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

export function nextCompetitorPrice(behaviour: CompetitorBehaviour, view: CompetitorView): number | null {
  let target: number;
  switch (behaviour.kind) {
    case 'static':
      return null;
    case 'naive-undercutter':
      target =
        view.lowestOtherLanded === Infinity
          ? behaviour.ceilingMinor
          : clamp(view.lowestOtherLanded - behaviour.undercutMinor - view.ownShippingMinor, behaviour.floorMinor, behaviour.ceilingMinor);
      break;
    case 'buybox-bot':
      if (view.isWinner) target = clamp(view.ownListingMinor + behaviour.stepMinor, behaviour.floorMinor, behaviour.ceilingMinor);
      else {
        const reference = view.otherWinnerLanded !== Infinity ? view.otherWinnerLanded : view.lowestOtherLanded;
        target =
          reference === Infinity
            ? behaviour.ceilingMinor
            : clamp(reference - behaviour.stepMinor - view.ownShippingMinor, behaviour.floorMinor, behaviour.ceilingMinor);
      }
      break;
    case 'amazon-retail':
      target = clamp(
        view.lowestOtherLanded === Infinity ? behaviour.listPriceMinor : Math.min(behaviour.listPriceMinor, view.lowestOtherLanded),
        behaviour.floorMinor,
        behaviour.listPriceMinor,
      );
      break;
  }
  return target === view.ownListingMinor ? null : target;
}

/** Period of a competitor's scheduled repricing run (null = only reacts to changes). */
export function schedulePeriod(behaviour: CompetitorBehaviour): number | null {
  return behaviour.kind === 'static' ? null : (behaviour.repriceEveryMs ?? null);
}

/** Delay before a reactive competitor looks at a change (null for behaviours that do not react). */
export function reactionWindow(behaviour: CompetitorBehaviour): readonly [number, number] | null {
  return behaviour.kind === 'naive-undercutter' || behaviour.kind === 'buybox-bot'
    ? [behaviour.reactionMinMs, behaviour.reactionMaxMs]
    : null;
}
