import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/kernel/errors.ts';
import { parseOfferChangedNotification, toMarketSnapshot } from '#shared/repricer/notification.ts';
import { OFFER_BUYBOX_WINNER, OFFER_FBA } from '#shared/repricer/types.ts';

const example = (): Record<string, unknown> => JSON.parse(readFileSync('examples/repricer/any-offer-changed.json', 'utf8')) as Record<string, unknown>;
const b2bExample = (): Record<string, unknown> => JSON.parse(readFileSync('examples/repricer/b2b-any-offer-changed.json', 'utf8')) as Record<string, unknown>;

function errorOf(raw: unknown): ValidationError {
  try {
    parseOfferChangedNotification(raw);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

/** Deep-sets a value in a JSON document by path, for building bad inputs from a good one. */
function withValue(doc: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(doc);
  let node: Record<string | number, unknown> = copy;
  path.slice(0, -1).forEach((key) => {
    node = node[key] as Record<string | number, unknown>;
  });
  const last = path[path.length - 1]!;
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the helper removes the field a test names
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const OFFERS = ['Payload', 'AnyOfferChangedNotification', 'Offers'];

describe('ANY_OFFER_CHANGED notification parser', () => {
  it('parses Amazon\'s SQS message body into integer prices', () => {
    const event = parseOfferChangedNotification(example());
    expect(event).toMatchObject({ notificationType: 'ANY_OFFER_CHANGED', audience: 'B2C', sellerId: 'A2SELLEROPS0DE', marketplaceId: 'A1PA6795UKMFR9', asin: 'B07XJ8C8F5', currency: 'EUR', summaryBuyBoxLandedMinor: 1199 });
    expect(event.offers).toHaveLength(4);
    expect(event.offers[2]).toMatchObject({ sellerId: 'A3MERCHANT0077', listingMinor: 1149, shippingMinor: 100, isFulfilledByAmazon: false, sellerPositiveFeedbackRating: 91 });
    const snapshot = toMarketSnapshot(event);
    expect(snapshot.landed[2]).toBe(1249);
    expect(snapshot.attributes[0]! & (OFFER_FBA | OFFER_BUYBOX_WINNER)).toBe(OFFER_FBA | OFFER_BUYBOX_WINNER);
  });

  it('parses B2B_ANY_OFFER_CHANGED with quantity discount prices', () => {
    const event = parseOfferChangedNotification(b2bExample());
    expect(event).toMatchObject({ notificationType: 'B2B_ANY_OFFER_CHANGED', audience: 'B2B' });
    expect(event.offers[0]?.quantityDiscounts).toEqual([
      { quantityTier: 5, listingMinor: 1057 },
      { quantityTier: 10, listingMinor: 1035 },
    ]);
  });

  it('accepts the optional fields Amazon omits in real messages (Points, PrimeInformation, IsBuyBoxWinner)', () => {
    const doc = withValue(withValue(example(), [...OFFERS, 0, 'PrimeInformation'], undefined), [...OFFERS, 0, 'IsBuyBoxWinner'], undefined);
    expect(parseOfferChangedNotification(doc).offers[0]?.isBuyBoxWinner).toBe(false);
  });

  it('rejects malformed input with an error naming the field', () => {
    expect(errorOf('not json at all').message).toContain('invalid notification');
    expect(errorOf(withValue(example(), ['NotificationType'], 'ORDER_CHANGE')).message).toContain('NotificationType');
    expect(errorOf(withValue(example(), OFFERS, undefined)).message).toContain('Payload.AnyOfferChangedNotification.Offers');
    expect(errorOf(withValue(example(), ['Payload', 'AnyOfferChangedNotification'], undefined)).message).toContain('Payload.AnyOfferChangedNotification: missing');
    expect(errorOf(withValue(example(), [...OFFERS, 1, 'ListingPrice', 'Amount'], '12.49')).message).toContain('Offers[1].ListingPrice.Amount');
    expect(errorOf(withValue(example(), ['Payload', 'AnyOfferChangedNotification', 'OfferChangeTrigger', 'TimeOfOfferChange'], 'yesterday')).message).toContain('TimeOfOfferChange');
  });

  it('rejects unknown currencies, mixed currencies, negative, zero and absurd prices', () => {
    expect(errorOf(withValue(example(), [...OFFERS, 2, 'Shipping', 'CurrencyCode'], 'XXX')).message).toContain('Offers[2].Shipping.CurrencyCode: unknown currency "XXX"');
    expect(errorOf(withValue(example(), [...OFFERS, 2, 'ListingPrice', 'CurrencyCode'], 'USD')).message).toContain('Offers[2].ListingPrice.CurrencyCode: USD differs');
    expect(errorOf(withValue(example(), [...OFFERS, 3, 'ListingPrice', 'Amount'], -9.99)).message).toContain('Offers[3].ListingPrice.Amount');
    expect(errorOf(withValue(example(), [...OFFERS, 3, 'ListingPrice', 'Amount'], 0)).message).toContain('must be positive');
    expect(errorOf(withValue(example(), [...OFFERS, 3, 'ListingPrice', 'Amount'], 1e12)).message).toContain('absurdly high');
    expect(errorOf(withValue(example(), [...OFFERS, 3, 'ListingPrice', 'Amount'], 9.999)).message).toContain('more decimals');
  });
});
