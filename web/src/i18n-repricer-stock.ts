/** The words of an offer's own stock (issue 21 stock: the low-stock rule on stock read from Amazon), spread into the catalogues of i18n.ts. */
export const repricerStockTexts = {
  en: {
    'rp.col.stock': 'Stock',
    'rp.stock.units': '{units} units',
    'rp.stock.readAt': 'read {at}',
    'rp.stock.unknown': 'stock unknown',
    'rp.stock.source.fba': 'FBA, fulfillable',
    'rp.stock.source.mfn': 'merchant-fulfilled, listing quantity',
    'rp.stock.known': 'In stock: {units} units ({source}), read from Amazon {at}.',
    'rp.stock.stale': 'Stock unknown: the last reading ({units} units, {source}, {at}) is too old, so the low-stock rule waits.',
    'rp.stock.none': 'Stock unknown: not read from Amazon yet (FBA stock is read every hour, merchant stock with the daily listings report); the low-stock rule waits.',
  },
  de: {
    'rp.col.stock': 'Bestand',
    'rp.stock.units': '{units} Einheiten',
    'rp.stock.readAt': 'gelesen {at}',
    'rp.stock.unknown': 'Bestand unbekannt',
    'rp.stock.source.fba': 'FBA, versandbereit',
    'rp.stock.source.mfn': 'Eigenversand, Angebotsmenge',
    'rp.stock.known': 'Auf Lager: {units} Einheiten ({source}), von Amazon gelesen {at}.',
    'rp.stock.stale': 'Bestand unbekannt: Die letzte Lesung ({units} Einheiten, {source}, {at}) ist zu alt, daher wartet die Regel für niedrigen Bestand.',
    'rp.stock.none': 'Bestand unbekannt: noch nicht von Amazon gelesen (FBA-Bestand wird stündlich gelesen, Eigenversand mit dem täglichen Angebotsbericht); die Regel für niedrigen Bestand wartet.',
  },
} as const;
