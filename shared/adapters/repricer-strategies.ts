/**
 * The `RepricerStrategies` port of onboarding (the end-of-trial call's new strategy), implemented by the repricer's
 * own strategy use case on the repricer's table and price history: the one place outside the repricer API where
 * offers change strategy, and it goes through the same validation and the same history.
 */
import { NotFoundError } from '#shared/kernel/errors.ts';
import type { RepricerStrategies, StrategyPlan } from '#shared/onboarding/index.ts';
import { applyStrategyChange, type PriceHistory, type RepricerStore, type StoredOffer, type StrategyName } from '#shared/repricer/index.ts';

export class RepricerStrategyUseCase implements RepricerStrategies {
  constructor(
    private readonly deps: { readonly store: RepricerStore; readonly history: PriceHistory },
    private readonly now: () => Date,
  ) {}

  async apply(tenantId: string, plan: StrategyPlan, reason: { readonly code: string; readonly text: string }): Promise<{ changed: number; unchanged: number }> {
    if (plan.kind === 'offer') {
      if (!(await this.deps.store.listOffers(tenantId)).some((o) => o.rules.sku === plan.sku)) throw new NotFoundError(`offer ${plan.sku}`);
      // Only this SKU's offers count: the others are not part of the change.
      const result = await applyStrategyChange(this.deps, tenantId, (offer) => (offer.rules.sku === plan.sku ? plan.strategy : undefined), reason, this.now().getTime());
      return { changed: result.changed, unchanged: 0 };
    }
    const privateLabel = plan.kind === 'segments' ? new Set(plan.privateLabelSkus) : null;
    const strategyFor = (offer: StoredOffer): StrategyName =>
      plan.kind === 'all' ? plan.strategy : privateLabel!.has(offer.rules.sku) ? plan.privateLabel : plan.merchandise;
    return applyStrategyChange(this.deps, tenantId, strategyFor, reason, this.now().getTime());
  }
}
