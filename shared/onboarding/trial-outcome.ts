/**
 * R-O4, what the end-of-trial call's outcome does: `converted: true` turns the trial into a paid term
 * (`contract.converted`, pushed to the CSM by the notifier), and `newStrategy` switches the customer's Repricer
 * offers through the repricer's own strategy use case, behind the `RepricerStrategies` port (the onboarding code
 * never writes the repricer's table). `split` applies the recommendation's segments: the seller's own-brand
 * SKUs (from the profile analysis) get the private-label strategy, every other offer the merchandise one.
 */
import type { Product } from '#shared/contracts/customer-events.ts';
import { convertTrial, CONVERTED_TERM_MONTHS, type CommitDeps } from '#shared/customers/index.ts';
import type { CsmTask } from '#shared/csm/index.ts';
import { ConflictError } from '#shared/kernel/errors.ts';
import type { OnboardingRepository } from './ports.ts';
import type { StrategyName } from './profile.ts';

/** The strategies an end-of-trial call may choose: the repricer's, or `split` (one per segment). */
export type OfferStrategy = 'buybox' | 'push' | 'fixed';

export type StrategyPlan =
  | { readonly kind: 'all'; readonly strategy: OfferStrategy }
  /** One SKU's offers (every marketplace and audience), e.g. adjusted by the customer's manager in a consultation. */
  | { readonly kind: 'offer'; readonly sku: string; readonly strategy: OfferStrategy }
  | {
      readonly kind: 'segments';
      /** SKUs under the seller's own brands: they get `privateLabel`; every other offer gets `merchandise`. */
      readonly privateLabelSkus: readonly string[];
      readonly privateLabel: StrategyName;
      readonly merchandise: StrategyName;
    };

/** The repricer's strategy use case as onboarding needs it (adapter: shared/adapters/repricer-strategies.ts). */
export interface RepricerStrategies {
  /**
   * Switches the tenant's offers per `plan`, each switch written to the price history with `reason`; a plan
   * naming an SKU the tenant has no offer for is a NotFoundError.
   */
  apply(tenantId: string, plan: StrategyPlan, reason: { readonly code: string; readonly text: string }): Promise<{ changed: number; unchanged: number }>;
}

export interface EndOfTrialOutcome {
  readonly feedback: string;
  readonly strategyAdjusted: boolean;
  readonly newStrategy?: OfferStrategy | 'split' | undefined;
  readonly converted: boolean;
  readonly termMonths?: number | undefined;
}

export interface TrialOutcomeDeps {
  readonly commits: CommitDeps;
  readonly onboarding: OnboardingRepository;
  readonly strategies: RepricerStrategies;
}

export interface TrialOutcomeEffects {
  readonly converted: boolean;
  readonly strategy: { readonly plan: OfferStrategy | 'split'; readonly changed: number; readonly unchanged: number } | null;
}

/** The split the recommendation names, with the segment SKUs the analysis found; refused without an analysis. */
export async function splitPlan(onboarding: OnboardingRepository, tenantId: string): Promise<StrategyPlan> {
  const record = await onboarding.get(tenantId);
  if (!record) throw new ConflictError(`newStrategy "split" needs the Amazon profile analysis of ${tenantId}, which is not done yet`, 'no_analysis');
  const segment = (name: 'private-label' | 'merchandise', otherwise: StrategyName): StrategyName =>
    record.recommendation.segments.find((s) => s.segment === name)?.strategy ?? otherwise;
  return { kind: 'segments', privateLabelSkus: record.privateLabelSkus ?? [], privateLabel: segment('private-label', 'push'), merchandise: segment('merchandise', 'buybox') };
}

/**
 * Applies the outcome; safe to run again for the same call (a retried completion): the conversion happens once,
 * and offers already on the chosen strategy are left alone. The strategy goes first, so a refused strategy
 * (e.g. `fixed` on an offer without a fixed price) leaves the contract as it was.
 */
export async function applyEndOfTrialOutcome(deps: TrialOutcomeDeps, task: CsmTask, outcome: EndOfTrialOutcome, staffId: string): Promise<TrialOutcomeEffects> {
  const product: Product = task.details.product === 'lost-and-found' ? 'lost-and-found' : 'repricer';
  let strategy: TrialOutcomeEffects['strategy'] = null;
  if (outcome.newStrategy && product === 'repricer') {
    const plan = outcome.newStrategy === 'split' ? await splitPlan(deps.onboarding, task.tenantId) : { kind: 'all' as const, strategy: outcome.newStrategy };
    const applied = await deps.strategies.apply(task.tenantId, plan, {
      code: 'end-of-trial-call',
      text: `strategy ${outcome.newStrategy} chosen with ${staffId} on the end-of-trial call (task ${task.taskId})`,
    });
    strategy = { plan: outcome.newStrategy, ...applied };
  }
  const converted = outcome.converted
    ? (await convertTrial(deps.commits, task.tenantId, product, { termMonths: outcome.termMonths ?? CONVERTED_TERM_MONTHS, convertedBy: staffId })).converted
    : false;
  return { converted, strategy };
}
