import type { Currency } from './money.ts';

/** Amazon marketplaces we serve: country code → SP-API marketplace id, currency, time zone and region. */
export const MARKETPLACES = {
  DE: { id: 'A1PA6795UKMFR9', currency: 'EUR', timeZone: 'Europe/Berlin', region: 'eu' },
  FR: { id: 'A13V1IB3VIYZZH', currency: 'EUR', timeZone: 'Europe/Paris', region: 'eu' },
  UK: { id: 'A1F83G8C2ARO7P', currency: 'GBP', timeZone: 'Europe/London', region: 'eu' },
  IT: { id: 'APJ6JRA9NG5V4', currency: 'EUR', timeZone: 'Europe/Rome', region: 'eu' },
  ES: { id: 'A1RKKUPIHCS9HS', currency: 'EUR', timeZone: 'Europe/Madrid', region: 'eu' },
  NL: { id: 'A1805IZSGTT6HS', currency: 'EUR', timeZone: 'Europe/Amsterdam', region: 'eu' },
  PL: { id: 'A1C3SOZRARQ6R3', currency: 'PLN', timeZone: 'Europe/Warsaw', region: 'eu' },
  SE: { id: 'A2NODRKZP88ZB9', currency: 'SEK', timeZone: 'Europe/Stockholm', region: 'eu' },
  TR: { id: 'A33AVAJ2PDY3EV', currency: 'TRY', timeZone: 'Europe/Istanbul', region: 'eu' },
  US: { id: 'ATVPDKIKX0DER', currency: 'USD', timeZone: 'America/Los_Angeles', region: 'na' },
  CA: { id: 'A2EUQ1WTGCTBG2', currency: 'CAD', timeZone: 'America/Los_Angeles', region: 'na' },
  MX: { id: 'A1AM78C64UM0Y8', currency: 'MXN', timeZone: 'America/Los_Angeles', region: 'na' },
  JP: { id: 'A1VC38T7YXB528', currency: 'JPY', timeZone: 'Asia/Tokyo', region: 'fe' },
} as const satisfies Record<string, { id: string; currency: Currency; timeZone: string; region: 'eu' | 'na' | 'fe' }>;

export type MarketplaceCode = keyof typeof MARKETPLACES;
export const MARKETPLACE_CODES = Object.keys(MARKETPLACES) as [MarketplaceCode, ...MarketplaceCode[]];
