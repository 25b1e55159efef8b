/**
 * The reasons of the onboarding strategy recommendation in the reader's language, from the codes and parameters the
 * server sends beside its English sentences (`reasonDetails`, shared/onboarding/recommendation-reasons.ts). One
 * module for the customer's onboarding view and the CSM's customer 360, so both say the same. A recommendation stored
 * before the codes existed, or a code this app does not know yet, shows the server's English.
 */
import { language, type AppLanguage } from './i18n.ts';
import { integer } from './format.ts';

export interface RecommendationReasonDetail {
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
}

/** What a recommendation or one of its segments carries. */
export interface ExplainedRecommendation {
  readonly reasons: readonly string[];
  readonly reasonDetails?: readonly RecommendationReasonDetail[];
}

const texts: Record<AppLanguage, Readonly<Record<string, string>>> = {
  en: {
    no_listings: 'No listings found yet; {seller}.',
    revisit_when_listed: 'We will look at the recommendation again once your catalogue is listed.',
    mostly_private_label: '{privateLabelPercent} % of the catalogue is under your own brands; {seller}.',
    mostly_merchandise: '{merchandisePercent} % of the catalogue is other brands’ merchandise; {seller}.',
    mixed_catalogue: 'A mixed catalogue: {privateLabelPercent} % own brands and {merchandisePercent} % other brands; {seller}.',
    per_segment: 'So each part of the catalogue gets its own strategy.',
    own_brand_skus: '{skus} SKUs under your own brand: usually the only offer on the listing, so there is no Buy Box to fight for.',
    push_explained: 'Push raises the price within your range while a product sells well and lowers it towards the minimum when it is slow, for the most revenue.',
    new_seller_needs_velocity: 'A new seller needs sales first: Push lowers slow sellers to build rank and reviews.',
    other_brand_skus: '{skus} SKUs of other brands: shared listings, where about 90 % of sales go through the Buy Box.',
    buybox_explained: 'Buy Box undercuts the winning offer, then raises the price as far as it can without losing the Buy Box.',
    new_seller_fewer_ratings: 'A new seller has fewer ratings, which counts against it in the Buy Box: set a careful minimum price.',
    'seller.new': 'the account is new on Amazon ({accountAgeMonths} months, {unitsSold12Months} units sold in 12 months; experienced means at least {minMonths} months and {minUnits} units)',
    'seller.experienced': 'the account is experienced on Amazon ({accountAgeMonths} months, {unitsSold12Months} units sold in 12 months)',
  },
  de: {
    no_listings: 'Noch keine Angebote gefunden; {seller}.',
    revisit_when_listed: 'Wir prüfen die Empfehlung erneut, sobald Ihr Katalog gelistet ist.',
    mostly_private_label: '{privateLabelPercent} % des Katalogs sind Eigenmarken; {seller}.',
    mostly_merchandise: '{merchandisePercent} % des Katalogs sind Handelsware fremder Marken; {seller}.',
    mixed_catalogue: 'Ein gemischter Katalog: {privateLabelPercent} % Eigenmarken und {merchandisePercent} % Fremdmarken; {seller}.',
    per_segment: 'Darum bekommt jeder Teil des Katalogs seine eigene Strategie.',
    own_brand_skus: '{skus} SKUs unter Ihrer eigenen Marke: meist das einzige Angebot auf der Produktseite, es gibt also keine Buy Box zu gewinnen.',
    push_explained: 'Absatz steigern erhöht den Preis innerhalb Ihrer Spanne, solange sich ein Produkt gut verkauft, und senkt ihn Richtung Minimum, wenn es sich langsam verkauft – für den höchsten Umsatz.',
    new_seller_needs_velocity: 'Ein neuer Verkäufer braucht zuerst Verkäufe: Absatz steigern senkt langsame Produkte, um Rang und Bewertungen aufzubauen.',
    other_brand_skus: '{skus} SKUs fremder Marken: geteilte Produktseiten, auf denen etwa 90 % der Verkäufe über die Buy Box laufen.',
    buybox_explained: 'Buy Box gewinnen unterbietet das gewinnende Angebot und hebt den Preis dann so weit, wie es geht, ohne die Buy Box zu verlieren.',
    new_seller_fewer_ratings: 'Ein neuer Verkäufer hat weniger Bewertungen, was in der Buy Box gegen ihn zählt: Setzen Sie einen vorsichtigen Mindestpreis.',
    'seller.new': 'das Konto ist neu bei Amazon ({accountAgeMonths} Monate, {unitsSold12Months} verkaufte Einheiten in 12 Monaten; erfahren heißt mindestens {minMonths} Monate und {minUnits} Einheiten)',
    'seller.experienced': 'das Konto ist erfahren bei Amazon ({accountAgeMonths} Monate, {unitsSold12Months} verkaufte Einheiten in 12 Monaten)',
  },
};

/** The codes this app words (a test checks it against the server's). */
export const WORDED_REASON_CODES: readonly string[] = Object.keys(texts.en).filter((key) => !key.startsWith('seller.'));

function fill(template: string, params: Readonly<Record<string, string | number>>): string | null {
  const missing: string[] = [];
  const text = template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) missing.push(name);
    return typeof value === 'number' ? integer(value) : String(value);
  });
  return missing.length > 0 ? null : text;
}

/** One reason in the reader's language, or null when this app cannot word it (an unknown code, a missing parameter). */
export function recommendationReasonText(detail: RecommendationReasonDetail): string | null {
  const catalogue = texts[language()];
  const template = catalogue[detail.code];
  if (template === undefined) return null;
  const params: Record<string, string | number> = { ...detail.params };
  if (template.includes('{seller}')) {
    const seller = catalogue[`seller.${String(detail.params.experience)}`];
    if (seller === undefined) return null;
    const worded = fill(seller, detail.params);
    if (worded === null) return null;
    params.seller = worded;
  }
  return fill(template, params);
}

/** Every reason of a recommendation (or of one segment) in words: the server's English where one cannot be worded. */
export function recommendationReasons(r: ExplainedRecommendation): string[] {
  const details = r.reasonDetails;
  if (details?.length !== r.reasons.length) return [...r.reasons];
  return details.map((detail, i) => recommendationReasonText(detail) ?? r.reasons[i] ?? '');
}
