/** `npm run bench -- repricer-tick`: one local end-to-end tick over 100,000 offers in one marketplace. */
import { runLocalTick } from '../local/repricer-tick-run.ts';

const offers = Number(process.env.OFFERS ?? 100_000);
const r = await runLocalTick({ offers, concurrency: 8 });
process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
process.stdout.write(
  `\n${r.offers} offers: seeded in ${(r.seedMs / 1000).toFixed(1)} s; tick (plan + decide + store + bulk push) ${(r.tickMs / 1000).toFixed(1)} s = ${r.offersPerSecond.toFixed(0)} offers/s\n` +
    `DynamoDB: ${r.readItemsPerOffer.toFixed(2)} items read per offer, ${r.writeRequestsPerChangedOffer.toFixed(2)} write requests per changed offer\n` +
    `SP-API: ${r.spApi.getItemOffersBatch} getItemOffersBatch calls, ${r.spApi.priceChanges} price changes in ${r.spApi.feedsNeeded} feed(s) (quota 5 per 5 min); range violations ${r.priceRangeViolations}\n`,
);
