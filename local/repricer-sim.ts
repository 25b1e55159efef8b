/**
 * The simulated Amazon marketplace in the local stack: the stack passes it to the functions' composition roots
 * as their AmazonMarketplace (driven by the stack's clock), with a relay that delivers its ANY_OFFER_CHANGED / B2B_ANY_OFFER_CHANGED notifications to
 * the notifications queue every second (as Amazon's notification service would), and local-only routes.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import type { Clock } from '#shared/kernel/clock.ts';
import { MARKETPLACES, MARKETPLACE_CODES } from '#shared/kernel/marketplaces.ts';
import { AMAZON_RETAIL_SELLER_IDS } from '#shared/repricer/amazon-retail.ts';
import { parseDecimalToMinor } from '#shared/kernel/money.ts';
import { SIMULATED_FEED_REJECTION, SimulatedMarketplace } from '#shared/marketplace-sim/simulated-marketplace.ts';
import { COMPETITOR_MIXES } from '#shared/marketplace-sim/scenarios.ts';
import type { LocalRouteHandler } from './http-api.ts';

export interface LocalRepricerSim {
  readonly marketplace: SimulatedMarketplace;
  readonly routes: Record<string, LocalRouteHandler>;
  /** Relays queued notifications now (the background relay does so every second). */
  relay(): Promise<number>;
  stop(): void;
}

const listingBody = z.strictObject({
  marketplace: z.enum(MARKETPLACE_CODES),
  asin: z.string().regex(/^[A-Z0-9]{10}$/),
  audience: z.enum(['B2C', 'B2B']).default('B2C'),
});
const retailBody = listingBody.extend({ price: z.string().default('12.99'), action: z.enum(['add', 'remove']).default('add') });
const notifyBody = listingBody.extend({ sellerId: z.string().min(1) });
const stockBody = z.strictObject({
  marketplace: z.enum(MARKETPLACE_CODES),
  sellerId: z.string().min(1),
  sku: z.string().min(1).max(200),
  units: z.number().int().min(0).max(1_000_000),
});
const defineListingBody = listingBody.extend({ sellerId: z.string().regex(/^[A-Z0-9]{10,16}$/), sku: z.string().min(1).max(200), price: z.string().default('12.99') });

export function startLocalRepricerSim(options: { clock: Clock; sqs: SQSClient; notificationsQueueUrl: string; seed?: number }): LocalRepricerSim {
  const marketplace = new SimulatedMarketplace({ clock: options.clock, seed: options.seed ?? 42 });
  const send = async (bodies: string[]) => {
    for (let i = 0; i < bodies.length; i += 10) {
      await options.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: options.notificationsQueueUrl, Entries: bodies.slice(i, i + 10).map((b, k) => ({ Id: String(k), MessageBody: b })) }),
      );
    }
  };
  let relaying = false;
  const relay = async (): Promise<number> => {
    if (relaying) return 0;
    relaying = true;
    try {
      const bodies = marketplace.sellersUnderTest().flatMap((seller) => marketplace.drainNotifications(seller).map((n) => JSON.stringify(n)));
      if (bodies.length > 0) await send(bodies);
      return bodies.length;
    } finally {
      relaying = false;
    }
  };
  const timer = setInterval(() => void relay().catch(() => undefined), 1000);
  timer.unref();
  const bad = (error: z.ZodError) => ({ status: 400, body: { error: { code: 'validation_failed', message: `${error.issues[0]?.path.join('.') || 'body'}: ${error.issues[0]?.message}` } } });
  const routes: Record<string, LocalRouteHandler> = {
    // The fault knob: Amazon's processing report rejects this SKU in every feed (message: "<code> <text>"; null lifts it).
    'PUT /_local/amazon/feed-faults': async ({ body }) => {
      const parsed = z.strictObject({ sellerId: z.string().min(1), sku: z.string().min(1), message: z.string().min(3).nullable().optional() }).safeParse(body ?? {});
      if (!parsed.success) return bad(parsed.error);
      marketplace.rejectSkuInFeeds(parsed.data.sellerId, parsed.data.sku, parsed.data.message === undefined ? SIMULATED_FEED_REJECTION : parsed.data.message);
      return { status: 200, body: { sellerId: parsed.data.sellerId, sku: parsed.data.sku, rejected: parsed.data.message !== null } };
    },
    'POST /_local/sim/amazon-retail': async ({ body }) => {
      const parsed = retailBody.safeParse(body ?? {});
      if (!parsed.success) return bad(parsed.error);
      const { marketplace: code, asin, audience, price, action } = parsed.data;
      const m = MARKETPLACES[code];
      const retailId = AMAZON_RETAIL_SELLER_IDS[m.id] ?? 'ATVPDKIKX0DER';
      if (!marketplace.hasListing(m.id, asin, audience)) return { status: 404, body: { error: { code: 'not_found', message: `no simulated listing ${asin} in ${code} (${audience})` } } };
      try {
        if (action === 'remove') marketplace.removeOffer(m.id, asin, audience, retailId);
        else {
          const listingMinor = parseDecimalToMinor(price, m.currency, { field: 'price' });
          marketplace.addOffer(m.id, asin, audience, {
            sellerId: retailId,
            sku: 'amzn',
            listingMinor,
            shippingMinor: 0,
            fba: true,
            rating: 100,
            amazonRetail: true,
            behaviour: { kind: 'amazon-retail', floorMinor: Math.round(listingMinor * 0.85), listPriceMinor: listingMinor, repriceEveryMs: 6 * 3_600_000 },
          });
        }
      } catch (error) {
        return { status: 409, body: { error: { code: 'conflict', message: (error as Error).message } } };
      }
      const relayed = await relay();
      return { status: 200, body: { marketplaceId: m.id, asin, audience, amazonSellerId: retailId, action, notificationsRelayed: relayed } };
    },
    'POST /_local/sim/notify': async ({ body }) => {
      const parsed = notifyBody.safeParse(body ?? {});
      if (!parsed.success) return bad(parsed.error);
      const { marketplace: code, asin, audience, sellerId } = parsed.data;
      const m = MARKETPLACES[code];
      if (!marketplace.hasListing(m.id, asin, audience)) return { status: 404, body: { error: { code: 'not_found', message: `no simulated listing ${asin} in ${code} (${audience})` } } };
      const notification = marketplace.currentNotification(m.id, asin, audience, sellerId);
      await send([JSON.stringify(notification)]);
      return { status: 202, body: { queued: notification.NotificationType, notificationId: notification.NotificationMetadata.NotificationId } };
    },
    // A listing with the seller's offer and the simulator's static field of competitors (what `npm run smoke` reprices).
    'PUT /_local/sim/listings': async ({ body }) => {
      const parsed = defineListingBody.safeParse(body ?? {});
      if (!parsed.success) return bad(parsed.error);
      const { marketplace: code, asin, audience, sellerId, sku, price } = parsed.data;
      const m = MARKETPLACES[code];
      if (!marketplace.hasListing(m.id, asin, audience)) {
        const field = COMPETITOR_MIXES.find((mix) => mix.name === 'static-field')!;
        const listingMinor = parseDecimalToMinor(price, m.currency, { field: 'price' });
        marketplace.addListing({ marketplaceId: m.id, asin, audience, currency: m.currency, offers: [{ sellerId, sku, listingMinor, shippingMinor: 0, fba: true, rating: 98 }, ...field.competitors] });
      }
      return { status: 200, body: { marketplaceId: m.id, asin, audience, offers: marketplace.listingPrices(m.id, asin, audience) } };
    },
    // issue 21 stock: the seller's stock of a SKU (a delivery, a count); the simulated buyers take from it, and the
    // simulated FBA Inventory API reports it to the next hourly stock reading.
    'PUT /_local/sim/stock': async ({ body }) => {
      const parsed = stockBody.safeParse(body ?? {});
      if (!parsed.success) return bad(parsed.error);
      const { marketplace: code, sellerId, sku, units } = parsed.data;
      const m = MARKETPLACES[code];
      marketplace.setStock(sellerId, m.id, sku, units);
      return { status: 200, body: { marketplaceId: m.id, sellerId, sku, units: marketplace.inventoryOf(sellerId, m.id).find((s) => s.sku === sku)?.units ?? units } };
    },
    'GET /_local/sim/listing': async ({ query }) => {
      const parsed = listingBody.safeParse({ marketplace: query.get('marketplace'), asin: query.get('asin'), audience: query.get('audience') ?? undefined });
      if (!parsed.success) return bad(parsed.error);
      const m = MARKETPLACES[parsed.data.marketplace];
      if (!marketplace.hasListing(m.id, parsed.data.asin, parsed.data.audience)) return { status: 404, body: { error: { code: 'not_found', message: 'no such simulated listing' } } };
      return { status: 200, body: { offers: marketplace.listingPrices(m.id, parsed.data.asin, parsed.data.audience) } };
    },
  };
  return {
    marketplace,
    routes,
    relay,
    stop() {
      clearInterval(timer);
    },
  };
}
