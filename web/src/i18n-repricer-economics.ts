/** The words of the Repricer's min from cost, fees and margin (issue 21 economics), spread into the catalogues of i18n.ts. */
export const repricerEconomicsTexts = {
  en: {
    'rpe.title': 'Min from cost, fees and margin',
    'rpe.derived': 'Min {min}: the lowest price that pays the cost {cost}, Amazon’s fees ({fees} at that price) and a {margin} % margin on the price without VAT ({vat} % VAT in the price).',
    'rpe.fees.rule': 'Fees from the rule: {referral} % referral fee (at least {minimum}) + {fixed} fixed.',
    'rpe.fees.sp-api': 'Fees: Amazon’s estimate of {at} at {price} ({fulfilment}).',
    'rpe.fees.simulated': 'Fees: the simulated Amazon’s estimate of {at} at {price} ({fulfilment}).',
    'rpe.stale': 'This is the last estimate, more than a day old: no newer one could be had.',
    'rpe.feesUnknown': 'Amazon’s fees are not known yet: the offer keeps its price, never below the cost {cost} (margin {margin} %).',
    'rpe.aboveMax': 'Cost {cost}, fees and a {margin} % margin need at least {needed}, above the maximum: the offer keeps its price.',
    'rpe.noPrice': 'No price pays cost {cost}, fees and a {margin} % margin: the offer keeps its price.',
    'rpe.minPending': 'min pending',
  },
  de: {
    'rpe.title': 'Mindestpreis aus Kosten, Gebühren und Marge',
    'rpe.derived': 'Mindestpreis {min}: der niedrigste Preis, der die Kosten {cost}, Amazons Gebühren ({fees} bei diesem Preis) und {margin} % Marge auf den Preis ohne USt. deckt ({vat} % USt. im Preis).',
    'rpe.fees.rule': 'Gebühren aus der Regel: {referral} % Verkaufsgebühr (mindestens {minimum}) + {fixed} fest.',
    'rpe.fees.sp-api': 'Gebühren: Amazons Schätzung vom {at} bei {price} ({fulfilment}).',
    'rpe.fees.simulated': 'Gebühren: Schätzung des simulierten Amazon vom {at} bei {price} ({fulfilment}).',
    'rpe.stale': 'Das ist die letzte Schätzung, älter als ein Tag: eine neuere war nicht zu bekommen.',
    'rpe.feesUnknown': 'Amazons Gebühren sind noch nicht bekannt: das Angebot behält seinen Preis, nie unter den Kosten {cost} (Marge {margin} %).',
    'rpe.aboveMax': 'Kosten {cost}, Gebühren und {margin} % Marge brauchen mindestens {needed}, mehr als der Höchstpreis: das Angebot behält seinen Preis.',
    'rpe.noPrice': 'Kein Preis deckt Kosten {cost}, Gebühren und {margin} % Marge: das Angebot behält seinen Preis.',
    'rpe.minPending': 'Mindestpreis ausstehend',
  },
} as const;
