import { randomUUID } from 'node:crypto';
import { httpRoutes } from '#shared/api/routes.ts';
import { httpHandler, httpRouter } from '#shared/adapters/http/http-handler.ts';
import { lambdaEntry, type DepsOverrides, type Environment } from '#shared/adapters/composition.ts';
import { repricerAdapters } from '#shared/adapters/repricer-factories.ts';
import { coreAdapters } from '#shared/adapters/factories.ts';
import type { CustomerRepository } from '#shared/customers/ports.ts';
import type { CustomerRecord } from '#shared/customers/customer.ts';
import { actForCustomer, type StaffActionLog } from '#shared/customers/acting-for.ts';
import { RepricerStrategyUseCase } from '#shared/adapters/repricer-strategies.ts';
import type { RepricerStrategies } from '#shared/onboarding/index.ts';
import { amazonAccessAdapters } from '#shared/adapters/amazon-access-factories.ts';
import { assertActsForSeller, type AmazonConnectionStore, type AmazonSource } from '#shared/amazon-access/index.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { ValidationError } from '#shared/kernel/errors.ts';
import { formatMinor, type Currency } from '#shared/kernel/money.ts';
import { importRulesCsv, minDerivationView, offerRulesToInput, parseRulesFile, PHASE_NAMES } from '#shared/repricer/index.ts';
import { historyToCsv } from '#shared/repricer/history-csv.ts';
import { offerWithStrategy, requireSettings, updateOffers, upsertRules } from '#shared/repricer/offer-management.ts';
import { listImportedListings } from '#shared/repricer/imported-listings.ts';
import type { ImportedListingStore, PriceHistory, RepricerStore, RuleImportQueue, RuleImportStore, SalesStore, StockStore } from '#shared/repricer/ports.ts';
import { salesViewsOf } from '#shared/repricer/sales.ts';
import { stockViewsOf, UNKNOWN_STOCK } from '#shared/repricer/stock.ts';
import { getRuleImport, RULES_WRITTEN_AT_ONCE, startRuleImport } from '#shared/repricer/rule-imports.ts';
import type { OfferRules } from '#shared/repricer/types.ts';
import { offerId, type StoredOffer } from '#shared/repricer/model.ts';
import type { MarketHistoryStore } from '#shared/repricer/market-history.ts';
import { simulateWithRecordedHistory } from '#shared/repricer/what-if.ts';
import { awardModelJudge } from '#shared/marketplace-sim/what-if-judge.ts';

export interface Deps {
  /** Staff acting for a customer: its record (assignment) and the staff-action log. */
  readonly customers: CustomerRepository;
  readonly staffActions: StaffActionLog;
  readonly store: RepricerStore;
  readonly history: PriceHistory;
  readonly clock: Clock;
  /** The tenant's Amazon authorisation: rules may name only the seller it bound. */
  readonly connections: AmazonConnectionStore;
  readonly source: AmazonSource;
  /** Uploads of more than RULES_WRITTEN_AT_ONCE offers are written by a job. */
  readonly imports: RuleImportStore;
  readonly importQueue: RuleImportQueue;
  /** Listings imported from Amazon's All Listings report (shown until the customer sets their range). */
  readonly importedListings: ImportedListingStore;
  /** The repricer strategy port the end-of-trial call uses: staff adjusting a strategy go through it too. */
  readonly strategies: RepricerStrategies;
  /** The recorded market history the what-if replays (POST /repricer/simulations). */
  readonly marketHistory: MarketHistoryStore;
  /** Units sold per day from Amazon's all-orders report (issue 21 sales): the offer view's `unitsSoldPerDay`. */
  readonly sales: Pick<SalesStore, 'readSales'>;
  /** Own units in stock (issue 21 stock): the offer view's `stockUnits`, `stockKnownAt`, `stockStatus`, `stockSource`. */
  readonly stock: Pick<StockStore, 'readStock'>;
}

/** This function's composition root. */
export function createDeps(env: Environment, overrides?: DepsOverrides): Deps {
  const adapters = repricerAdapters(env, overrides);
  const core = coreAdapters(env, { ...overrides, aws: adapters.aws });
  return {
    customers: core.customerRepository(),
    staffActions: core.staffActionLog(),
    store: adapters.store(),
    history: adapters.history(),
    clock: adapters.clock,
    connections: amazonAccessAdapters(env, { ...overrides, aws: adapters.aws }).connections(),
    source: adapters.source(),
    imports: adapters.ruleImports(),
    importedListings: adapters.importedListings(),
    importQueue: adapters.ruleImportQueue(),
    strategies: new RepricerStrategyUseCase({ store: adapters.store(), history: adapters.history() }, () => adapters.clock.now()),
    marketHistory: adapters.marketHistory(),
    sales: adapters.sales(),
    stock: adapters.stock(),
  };
}

/** The tenant's offers as the offer view shows them, each with its units sold per day and its own stock. */
async function offerViews({ sales, stock }: Pick<Deps, 'sales' | 'stock'>, tenantId: string, offers: readonly StoredOffer[], nowMs: number) {
  const [views, stocks] = await Promise.all([salesViewsOf(sales, tenantId, offers), stockViewsOf(stock, tenantId, offers, nowMs)]);
  return offers.map((o) => ({
    ...offerView(o, nowMs),
    ...(views.get(offerId(o)) ?? { salesKnownUntil: null, unitsSoldPerDay: null }),
    ...(stocks.get(offerId(o)) ?? UNKNOWN_STOCK),
  }));
}

function offerView(o: StoredOffer, nowMs: number) {
  const fmt = (minor: number | null) => (minor === null ? null : formatMinor(minor, o.rules.currency));
  return {
    sku: o.rules.sku,
    asin: o.rules.asin,
    marketplaceId: o.rules.marketplaceId,
    audience: o.rules.audience,
    rules: offerRulesToInput(o.rules),
    paused: o.paused,
    state: PHASE_NAMES[o.state.phase],
    currentPrice: fmt(o.currentPriceMinor),
    lastPushedPrice: fmt(o.lastPushedPriceMinor),
    pendingPush: o.pendingPush
      ? {
          price: fmt(o.pendingPush.priceMinor),
          decidedAt: new Date(o.pendingPush.decidedAtMs).toISOString(),
          via: o.pendingPush.via,
          ...(o.pendingPush.feed ? { feedId: o.pendingPush.feed.feedId } : {}),
        }
      : null,
    // What Amazon made of the last push: "pushed", "submitted" (feed report not read yet) or "failed: <Amazon's message>".
    lastPush: o.lastPush
      ? {
          status: o.lastPush.status === 'failed' ? `failed: ${o.lastPush.message}` : o.lastPush.status,
          price: fmt(o.lastPush.priceMinor),
          at: new Date(o.lastPush.atMs).toISOString(),
          ...(o.lastPush.status === 'pushed' && o.lastPush.message.length > 0 ? { warnings: o.lastPush.message } : {}),
        }
      : null,
    buyBox: o.buyBox,
    competitorCount: o.competitorCount,
    amazonOnListing: o.amazonOnListing,
    lostAtPrice: o.state.lostAtPriceMinor > 0 ? fmt(o.state.lostAtPriceMinor) : null,
    lastDecisionAt: o.lastDecisionAtMs > 0 ? new Date(o.lastDecisionAtMs).toISOString() : null,
    lastReason: o.lastReason,
    // The reason as a code and its parameters (prices in minor units of the rule's currency): the web app words it.
    lastReasonDetail: o.lastReasonDetail ?? null,
    nextRepriceAt: new Date(o.nextRepriceAtMs).toISOString(),
    version: o.version,
    // issue 21 economics: how a min derived from cost, fees and margin came about (null when the rule gives min).
    minDerivation: minDerivationView(o.rules, o.feeEstimate, nowMs),
  };
}

export function createHandler({ customers, staffActions, store, history, clock, connections, source, imports, importQueue, importedListings, strategies, marketHistory, sales, stock }: Deps) {
  const now = () => clock.now();
  /** Small uploads are written now (200 with counts); larger ones become a job (202), answered well within the timeout. */
  const writeRules = async (tenantId: string, sellerId: string, offers: readonly OfferRules[], requestId: string | undefined) => {
    if (offers.length <= RULES_WRITTEN_AT_ONCE) return { status: 200, body: await upsertRules(store, tenantId, sellerId, offers, now().getTime()) };
    const job = await startRuleImport({ store, imports, queue: importQueue }, tenantId, sellerId, offers, requestId ?? randomUUID(), now().getTime());
    return { status: 202, body: job, headers: { location: `/repricer/rules/jobs/${job.jobId}` } };
  };
  return httpRouter([
    {
      route: httpRoutes.listRepricerOffers,
      handler: httpHandler(httpRoutes.listRepricerOffers, async ({ caller }) => {
        const settings = await store.getSettings(caller.tenantId!);
        const offers = await store.listOffers(caller.tenantId!);
        return { status: 200, body: { settings: settings ?? null, items: await offerViews({ sales, stock }, caller.tenantId!, offers, now().getTime()), source } };
      }),
    },
    {
      route: httpRoutes.listRepricerOffersForCustomer,
      handler: httpHandler(httpRoutes.listRepricerOffersForCustomer, async ({ params, caller }) => {
        const body = await actForCustomer(
          { customers, log: staffActions, clock },
          caller,
          params.customerId,
          { action: 'repricer.offers.read', key: clock.now().toISOString(), summary: (b: { items: readonly unknown[] }) => `read the Repricer offers (${b.items.length})` },
          async (customer: CustomerRecord) => {
            const settings = await store.getSettings(customer.tenantId);
            return { settings: settings ?? null, items: await offerViews({ sales, stock }, customer.tenantId, await store.listOffers(customer.tenantId), now().getTime()), source };
          },
        );
        return { status: 200, body };
      }),
    },
    {
      route: httpRoutes.listRepricerListings,
      handler: httpHandler(httpRoutes.listRepricerListings, async ({ caller }) => ({
        status: 200,
        body: { items: await listImportedListings({ listings: importedListings, offers: store }, caller.tenantId!) },
      })),
    },
    {
      route: httpRoutes.uploadRepricerRules,
      handler: httpHandler(httpRoutes.uploadRepricerRules, async ({ caller, body, event }) => {
        const rules = parseRulesFile(body);
        // The seller comes from the tenant's Amazon authorisation: naming any other one is 403.
        await assertActsForSeller(connections, caller.tenantId!, rules.sellerId);
        return writeRules(caller.tenantId!, rules.sellerId, rules.offers, event.headers['idempotency-key']);
      }),
    },
    {
      route: httpRoutes.getRepricerRulesJob,
      handler: httpHandler(httpRoutes.getRepricerRulesJob, async ({ caller, params }) => ({ status: 200, body: await getRuleImport(imports, caller.tenantId!, params.jobId) })),
    },
    {
      route: httpRoutes.uploadRepricerRulesCsv,
      handler: httpHandler(httpRoutes.uploadRepricerRulesCsv, async ({ caller, body, event }) => {
        await assertActsForSeller(connections, caller.tenantId!, body.sellerId);
        const imported = importRulesCsv(body.csv, body.sellerId);
        // `row N: field: message`, the field named once (most messages already start with it).
        const errors = imported.errors.map((e) => `row ${e.row}: ${e.message.startsWith(`${e.field}:`) ? '' : `${e.field}: `}${e.message}`);
        // The same, structured, with the reason's code and values where there is one: a page words them itself.
        const rowErrors = imported.errors;
        if (imported.rules.offers.length === 0) return { status: 200, body: { created: 0, updated: 0, errors, rowErrors } };
        const written = await writeRules(caller.tenantId!, body.sellerId, imported.rules.offers, event.headers['idempotency-key']);
        return { ...written, body: { ...written.body, errors, rowErrors } };
      }),
    },
    {
      route: httpRoutes.setRepricerStrategyForCustomer,
      handler: httpHandler(httpRoutes.setRepricerStrategyForCustomer, async ({ params, body, caller }) => {
        const result = await actForCustomer(
          { customers, log: staffActions, clock },
          caller,
          params.customerId,
          {
            action: 'repricer.strategy.changed',
            key: `${params.sku}#${body.strategy}#${clock.now().toISOString()}`,
            summary: (r) => `set the strategy of ${params.sku} to ${body.strategy} (${r.changed} offers changed)`,
            details: (r) => ({ sku: params.sku, strategy: body.strategy, changed: r.changed, ...(body.note ? { note: body.note } : {}) }),
          },
          (customer: CustomerRecord) =>
            strategies.apply(
              customer.tenantId,
              { kind: 'offer', sku: params.sku, strategy: body.strategy },
              { code: 'consultation', text: `changed by CSM ${caller.staffId!} in a consultation${body.note ? `: ${body.note}` : ''}` },
            ),
        );
        return { status: 200, body: { sku: params.sku, strategy: body.strategy, changed: result.changed } };
      }),
    },
    {
      route: httpRoutes.setRepricerStrategy,
      handler: httpHandler(httpRoutes.setRepricerStrategy, async ({ caller, params, body }) => {
        const { strategy, fixedPrice, push, ...match } = body;
        const changed = await updateOffers(store, caller.tenantId!, { sku: params.sku, ...match }, (o) => offerWithStrategy(o, { strategy, fixedPrice, push }, now().getTime()));
        return { status: 200, body: { changed } };
      }),
    },
    {
      route: httpRoutes.pauseRepricerOffer,
      handler: httpHandler(httpRoutes.pauseRepricerOffer, async ({ caller, params, body }) => ({
        status: 200,
        body: { changed: await updateOffers(store, caller.tenantId!, { sku: params.sku, ...body }, (o) => ({ ...o, paused: true })) },
      })),
    },
    {
      route: httpRoutes.resumeRepricerOffer,
      handler: httpHandler(httpRoutes.resumeRepricerOffer, async ({ caller, params, body }) => ({
        status: 200,
        body: { changed: await updateOffers(store, caller.tenantId!, { sku: params.sku, ...body }, (o) => ({ ...o, paused: false, nextRepriceAtMs: now().getTime() })) },
      })),
    },
    {
      route: httpRoutes.updateRepricerSettings,
      handler: httpHandler(httpRoutes.updateRepricerSettings, async ({ caller, body }) => {
        const settings = await requireSettings(store, caller.tenantId!);
        const next = { ...settings, ...(body.dryRun !== undefined ? { dryRun: body.dryRun } : {}), ...(body.paused !== undefined ? { paused: body.paused } : {}), version: settings.version + 1 };
        await store.saveSettings(next);
        return { status: 200, body: next };
      }),
    },
    {
      route: httpRoutes.getRepricerOfferHistory,
      handler: httpHandler(httpRoutes.getRepricerOfferHistory, async ({ caller, params, query }) => {
        const to = query.to ? Date.parse(query.to) : now().getTime();
        const from = query.from ? Date.parse(query.from) : to - 30 * 86_400_000;
        if (from > to) throw new ValidationError('query.from: must not be after to', { field: 'from' });
        const entries = await history.read(caller.tenantId!, params.sku, from, to, query.limit);
        if (query.format === 'csv') {
          return { status: 200, body: historyToCsv(entries, (minor, currency) => formatMinor(minor, currency as Currency)), headers: { 'content-type': 'text/csv' } };
        }
        const items = entries.map((e) => ({
          ...e,
          price: formatMinor(e.priceMinor, e.currency as Currency),
          previousPrice: e.previousPriceMinor === null ? null : formatMinor(e.previousPriceMinor, e.currency as Currency),
          ...(e.lowestCompetitorMinor !== undefined
            ? { lowestCompetitor: e.lowestCompetitorMinor === null ? null : formatMinor(e.lowestCompetitorMinor, e.currency as Currency) }
            : {}),
          ...(e.minMinor !== undefined ? { min: formatMinor(e.minMinor, e.currency as Currency) } : {}),
          ...(e.maxMinor !== undefined ? { max: formatMinor(e.maxMinor, e.currency as Currency) } : {}),
        }));
        return { status: 200, body: { sku: params.sku, from: new Date(from).toISOString(), to: new Date(to).toISOString(), items } };
      }),
    },
    {
      route: httpRoutes.simulateRepricerRules,
      handler: httpHandler(httpRoutes.simulateRepricerRules, async ({ caller, body }) => {
        const rules = parseRulesFile(body.rules);
        await assertActsForSeller(connections, caller.tenantId!, rules.sellerId);
        return { status: 200, body: await simulateWithRecordedHistory(marketHistory, caller.tenantId!, rules, body.days, now().getTime(), awardModelJudge(), sales) };
      }),
    },
  ]);
}

export const handler = lambdaEntry(() => createHandler(createDeps(process.env)));
