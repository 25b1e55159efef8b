/**
 * Issue 21, the repricer's competitor rules: their reasons and how the offer view states a rule's settings, in
 * English and German. Spread into the catalogue in i18n.ts.
 */
export const repricerRulesEn = {
  'rp.reason.AtCompetitiveThreshold': 'Not holding the Buy Box above Amazon’s competitive price threshold (landed {a}): priced at it, {b}',
  'rp.reason.LowStockRaise': 'Low stock ({a} units, threshold {b}): moved toward the maximum, {c}',
  'rp.reason.BuyBoxSuppressedHold': 'No Buy Box winner on the listing (suppressed) and the rule says hold: keeping {a}',
  'rp.reason.BuyBoxSuppressedThreshold': 'No Buy Box winner on the listing (suppressed): priced at Amazon’s competitive price threshold (landed {a}), {b}',
  'rp.reason.MatchPrice': 'Matching the price that wins (landed {a}) instead of undercutting it: {b}',
  'rp.reason.MatchHold': 'Already matching landed {a}: holding {b} rather than starting a price war',
  'rp.rules.title': 'Competitor rules',
  'rp.rules.merchant': 'merchant-fulfilled offers count only if cheaper by more than {value}',
  'rp.rules.merchantOnly': 'competes with merchant-fulfilled offers only',
  'rp.rules.feedback': 'sellers with fewer than {count} ratings are ignored',
  'rp.rules.handling': 'offers shipping in more than {hours} hours are ignored',
  'rp.rules.shipsFrom': 'offers shipping from {countries} are ignored',
  'rp.rules.lowStock': 'at {units} units in stock or fewer, {percent} % of the way to the maximum',
  'rp.rules.shared': 'a shared Buy Box counts as won',
  'rp.rules.suppressedHold': 'no Buy Box winner: keep the price',
  'rp.rules.suppressedThreshold': 'no Buy Box winner: price at Amazon’s competitive price threshold',
  'rp.rules.matchAmazon': 'matches Amazon retail instead of undercutting it',
  'rp.rules.matchAll': 'matches the winning price instead of undercutting it',
} as const;

export const repricerRulesDe: Record<keyof typeof repricerRulesEn, string> = {
  'rp.reason.AtCompetitiveThreshold': 'Ohne Buy Box über Amazons Schwelle für wettbewerbsfähige Preise ({a} mit Versand): auf die Schwelle gesetzt, {b}',
  'rp.reason.LowStockRaise': 'Niedriger Bestand ({a} Stück, Schwelle {b}): Richtung Höchstpreis angehoben, {c}',
  'rp.reason.BuyBoxSuppressedHold': 'Kein Buy-Box-Gewinner (unterdrückt), die Regel sagt halten: {a} bleibt',
  'rp.reason.BuyBoxSuppressedThreshold': 'Kein Buy-Box-Gewinner (unterdrückt): auf Amazons Schwelle für wettbewerbsfähige Preise gesetzt ({a} mit Versand), {b}',
  'rp.reason.MatchPrice': 'Gleichziehen mit dem Gewinnerpreis ({a} mit Versand) statt zu unterbieten: {b}',
  'rp.reason.MatchHold': 'Bereits gleichauf mit {a} (mit Versand): {b} bleibt, kein Preiskampf',
  'rp.rules.title': 'Wettbewerberregeln',
  'rp.rules.merchant': 'Angebote mit Händlerversand zählen nur, wenn sie mehr als {value} günstiger sind',
  'rp.rules.merchantOnly': 'nur Angebote mit Händlerversand zählen',
  'rp.rules.feedback': 'Verkäufer mit weniger als {count} Bewertungen werden ignoriert',
  'rp.rules.handling': 'Angebote mit mehr als {hours} Stunden Versanddauer werden ignoriert',
  'rp.rules.shipsFrom': 'Angebote mit Versand aus {countries} werden ignoriert',
  'rp.rules.lowStock': 'ab {units} Stück Bestand oder weniger {percent} % des Wegs zum Höchstpreis',
  'rp.rules.shared': 'eine geteilte Buy Box gilt als gewonnen',
  'rp.rules.suppressedHold': 'kein Buy-Box-Gewinner: Preis halten',
  'rp.rules.suppressedThreshold': 'kein Buy-Box-Gewinner: auf Amazons Schwelle für wettbewerbsfähige Preise',
  'rp.rules.matchAmazon': 'zieht mit Amazon gleich, statt zu unterbieten',
  'rp.rules.matchAll': 'zieht mit dem Gewinnerpreis gleich, statt zu unterbieten',
};
