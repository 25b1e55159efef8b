/** The words of an offer's units sold per day (issue 21 sales: Push on real sales), spread into the catalogues of i18n.ts. */
export const repricerSalesTexts = {
  en: {
    'rp.sales.title': 'Units sold per day (Amazon orders)',
    'rp.sales.summary': '{units} units in the last {days} days, up to and including {until}; cancelled orders are left out, pending ones count.',
    'rp.sales.none': 'No sales figures from Amazon yet: they arrive with the daily orders report.',
    'rp.sales.day': 'Day',
    'rp.sales.units': 'Units',
  },
  de: {
    'rp.sales.title': 'Verkaufte Einheiten pro Tag (Amazon-Bestellungen)',
    'rp.sales.summary': '{units} Einheiten in den letzten {days} Tagen, bis einschließlich {until}; stornierte Bestellungen zählen nicht, ausstehende schon.',
    'rp.sales.none': 'Noch keine Verkaufszahlen von Amazon: Sie kommen mit dem täglichen Bestellbericht.',
    'rp.sales.day': 'Tag',
    'rp.sales.units': 'Einheiten',
  },
} as const;

/** The all-orders report's name in the Lost & Found view's list of reports fetched from Amazon. */
export const repricerSalesReportTypes = {
  en: { GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL: 'Orders (units sold, Repricer)' },
  de: { GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL: 'Bestellungen (verkaufte Einheiten, Repricer)' },
} as const;
