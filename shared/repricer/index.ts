/** Public surface of the pricing core: what the CLI, the Lambda handlers and the simulator import. */
export * from './types.ts';
export { parseRulesFile, toOfferRules, offerKey, offerRulesToInput, rulesFileInputSchema, offerRulesInputSchema } from './rules.ts';
export type { OfferRulesInput } from './rules.ts';
export { importRulesCsv, exportRulesCsv, RULES_CSV_COLUMNS } from './rules-csv.ts';
export type { CsvRowError, RulesCsvImport } from './rules-csv.ts';
export { parseOfferChangedNotification, toMarketSnapshot, payloadKey, offerChangedBodySchema, NOTIFICATION_TYPES } from './notification.ts';
export type { OfferChangedNotification, OfferChangedBody, NotificationOffer, OfferNotificationType } from './notification.ts';
export { compileRules, decide, decideInto, scratchToState, DEFAULT_AWAIT_PRICE_MS, DEFAULT_REPROBE_AFTER_MS } from './engine.ts';
export type { CompiledOfferRules, EngineOptions } from './engine.ts';
export { renderReason, reasonCodeName } from './reasons.ts';
export {
  repriceOfferChange,
  repriceNotification,
  decisionToJson,
  decisionsToJson,
  statesToJson,
  statesFromJson,
} from './reprice-notification.ts';
export type { RepriceInput, RepriceResult, DecisionJson } from './reprice-notification.ts';
export { AMAZON_RETAIL_SELLER_IDS, isAmazonRetailSeller } from './amazon-retail.ts';
// Repricing in production: the stored model, the ports, and the use cases the handlers call.
export * from './model.ts';
export * from './ports.ts';
export * from './quotas.ts';
export * from './market-changes.ts';
export * from './tick.ts';
export * from './reprice-job.ts';
export * from './offer-decision.ts';
export * from './pushes.ts';
export * from './offer-change-handling.ts';
export * from './feed-report.ts';
export * from './offer-management.ts';
export * from './history-csv.ts';
export * from './reconsultation.ts';
// issue 21 economics: min from cost, fees and margin.
export * from './economics.ts';
export * from './min-from-economics.ts';
export * from './fee-refresh.ts';
// What-if before going live (issue 21): recorded market history and its replay.
export * from './market-history.ts';
export * from './what-if.ts';
export * from './sales.ts';
export * from './stock.ts';
