/**
 * Product announcements (the article's team informs every customer, in their language, about new features and
 * changes): a CSM lead writes one per product with a text per language; the customers of that product read it
 * in their language (else the announcement's fallback language); the team sees who has read it.
 */
import type { Product } from '#shared/contracts/customer-events.ts';
import type { Clock } from '#shared/kernel/clock.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '#shared/kernel/errors.ts';
import { inputId } from '#shared/kernel/ids.ts';
import type { Language } from '#shared/kernel/languages.ts';

export interface AnnouncementText {
  readonly title: string;
  readonly body: string;
}

export interface Announcement {
  readonly announcementId: string;
  readonly product: Product;
  readonly texts: Partial<Record<Language, AnnouncementText>>;
  /** Shown to a customer whose language has no text; one of `texts`. */
  readonly fallbackLanguage: Language;
  readonly publishedAt: string;
  readonly publishedBy: string;
}

export interface ReadReceipt {
  readonly announcementId: string;
  readonly customerId: string;
  readonly readAt: string;
}

export interface AnnouncementStore {
  /** Stores it unless one with its id exists; returns the stored one. */
  putIfAbsent(announcement: Announcement): Promise<Announcement>;
  get(announcementId: string): Promise<Announcement | undefined>;
  /** A product's announcements, newest first. */
  listForProduct(product: Product, limit: number): Promise<Announcement[]>;
  /** Idempotent: the first read stands. */
  markRead(receipt: ReadReceipt): Promise<void>;
  readsOf(announcementId: string): Promise<ReadReceipt[]>;
  /** Which of these announcements the customer has read. */
  readBy(customerId: string, announcementIds: readonly string[]): Promise<Set<string>>;
}

export interface AnnouncementDraft {
  readonly product: Product;
  readonly texts: Partial<Record<Language, AnnouncementText>>;
  readonly fallbackLanguage: Language;
  /** Makes a retried publication the same announcement (else the texts do). */
  readonly requestId?: string | undefined;
}

export async function publishAnnouncement(
  deps: { readonly announcements: AnnouncementStore; readonly clock: Clock },
  caller: { readonly staffId: string; readonly lead: boolean },
  draft: AnnouncementDraft,
): Promise<{ announcement: Announcement; created: boolean }> {
  if (!caller.lead) throw new ForbiddenError('announcements are written by CSM leads');
  if (!draft.texts[draft.fallbackLanguage]) {
    throw new ValidationError(`body.fallbackLanguage: "${draft.fallbackLanguage}" has no text; give texts.${draft.fallbackLanguage} or another fallback`, { field: 'fallbackLanguage' });
  }
  // Derived from text the caller writes: SHA-256 (inputId), so no one can make a text collide with another's.
  const announcementId = inputId('ann', `${draft.product}#${draft.requestId ?? JSON.stringify(draft.texts)}`);
  const candidate: Announcement = {
    announcementId,
    product: draft.product,
    texts: draft.texts,
    fallbackLanguage: draft.fallbackLanguage,
    publishedAt: deps.clock.now().toISOString(),
    publishedBy: caller.staffId,
  };
  const stored = await deps.announcements.putIfAbsent(candidate);
  return { announcement: stored, created: stored.publishedAt === candidate.publishedAt && stored.publishedBy === candidate.publishedBy };
}

export interface CustomerAnnouncement {
  readonly announcementId: string;
  readonly product: Product;
  readonly publishedAt: string;
  /** The language of the text shown: the customer's own, else the fallback. */
  readonly language: Language;
  readonly title: string;
  readonly body: string;
  readonly read: boolean;
}

/** What one customer sees: the announcements of the products it has (not cancelled), in its language, newest first. */
export async function announcementsForCustomer(
  store: AnnouncementStore,
  customer: { readonly tenantId: string; readonly language: Language; readonly products: readonly Product[] },
  limit: number,
): Promise<CustomerAnnouncement[]> {
  const all = (await Promise.all(customer.products.map((p) => store.listForProduct(p, limit)))).flat();
  all.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.announcementId.localeCompare(b.announcementId));
  const page = all.slice(0, limit);
  const read = await store.readBy(customer.tenantId, page.map((a) => a.announcementId));
  return page.map((a) => {
    const language = a.texts[customer.language] ? customer.language : a.fallbackLanguage;
    const text = a.texts[language]!;
    return { announcementId: a.announcementId, product: a.product, publishedAt: a.publishedAt, language, title: text.title, body: text.body, read: read.has(a.announcementId) };
  });
}

/** A customer marks an announcement of one of its products read; any other id is 404 (as if absent). */
export async function markAnnouncementRead(
  deps: { readonly announcements: AnnouncementStore; readonly clock: Clock },
  customer: { readonly tenantId: string; readonly products: readonly Product[] },
  announcementId: string,
): Promise<void> {
  const announcement = await deps.announcements.get(announcementId);
  if (!announcement || !customer.products.includes(announcement.product)) throw new NotFoundError(`announcement ${announcementId}`);
  await deps.announcements.markRead({ announcementId, customerId: customer.tenantId, readAt: deps.clock.now().toISOString() });
}

/** The team's view of one announcement: every text and who has read it when. */
export async function announcementReads(store: AnnouncementStore, announcementId: string): Promise<Announcement & { reads: ReadReceipt[]; readCount: number }> {
  const announcement = await store.get(announcementId);
  if (!announcement) throw new NotFoundError(`announcement ${announcementId}`);
  const reads = (await store.readsOf(announcementId)).sort((a, b) => a.readAt.localeCompare(b.readAt));
  return { ...announcement, reads, readCount: reads.length };
}

/** The team's list: every product's announcements, newest first, with how many customers have read each. */
export async function announcementsForTeam(store: AnnouncementStore, products: readonly Product[], limit: number): Promise<(Announcement & { readCount: number })[]> {
  const all = (await Promise.all(products.map((p) => store.listForProduct(p, limit)))).flat();
  all.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.announcementId.localeCompare(b.announcementId));
  return Promise.all(all.slice(0, limit).map(async (a) => ({ ...a, readCount: (await store.readsOf(a.announcementId)).length })));
}
