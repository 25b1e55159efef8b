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
