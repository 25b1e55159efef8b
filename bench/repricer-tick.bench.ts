/**
 * `npm run bench -- repricer-tick [--offers N] [--realistic] [--engine dynalite|dynamodb-local]`: one local
 * end-to-end tick (then a second one on the same market) over N offers of one seller in one marketplace, with what
 * it costs: DynamoDB read/write units, SQS requests, Lambda GB-seconds, per 1,000 offers per tick and per day, and the
 * peak RSS. Exits non-zero on a failed job or a price outside its range.
 */
import { parseArgs } from 'node:util';
import { repricer } from '#infra/wiring/repricer.ts';
import { dynamoDbLocalAvailable } from '../local/dynamodb.ts';
import { runLocalTick, type TickPhase } from '../local/repricer-tick-run.ts';

// bench/run-all.ts passes the flags given after the bench's name.
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { offers: { type: 'string' }, realistic: { type: 'boolean', default: false }, engine: { type: 'string' }, concurrency: { type: 'string' } },
  strict: false,
});
const offers = Number(values.offers ?? process.env.OFFERS ?? 20_000);
const engine = values.engine === 'dynalite' || values.engine === 'dynamodb-local' ? values.engine : dynamoDbLocalAvailable() ? 'dynamodb-local' : 'dynalite';
const realistic = values.realistic === true;
const r = await runLocalTick({ offers, realistic, engine, concurrency: Number(values.concurrency ?? 8) });

const fns = repricer.functions;
const gb = (mb: number): number => mb / 1024;
const TICKS_PER_DAY = (24 * 60) / repricer.functions.repricerTick.triggers[0].rateMinutes;
const per1000 = (n: number): number => (n * 1000) / r.offers;
const gbSeconds = (p: TickPhase): number =>
  p.lambdaSeconds.tick * gb(fns.repricerTick.memoryMb) + p.lambdaSeconds.workers * gb(fns.repricerWorker.memoryMb) + p.lambdaSeconds.flush * gb(fns.repricerPushFlush.memoryMb);
const sqsTotal = (p: TickPhase): number => Object.values(p.sqsRequests).reduce((a, b) => a + b, 0);
const row = (label: string, p: TickPhase): string =>
  `${label.padEnd(34)} ${per1000(p.capacity.read).toFixed(1).padStart(8)} RRU ${per1000(p.capacity.write).toFixed(1).padStart(8)} WRU ${per1000(sqsTotal(p)).toFixed(1).padStart(7)} SQS ${per1000(gbSeconds(p)).toFixed(2).padStart(8)} GB-s`;

process.stdout.write(`${JSON.stringify(r, null, 2)}\n\n`);
process.stdout.write(
  [
    `${r.offers} ${r.realistic ? 'realistic' : 'minimal'} offers on ${r.engine} (offer item ${r.offerItemBytes} B, largest job message ${r.largestJobMessageBytes} B); load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    `tick 1 (every offer changes): ${r.first.decided} decided, ${r.first.changed} changed, ${r.first.priceChanges} prices pushed (${r.first.submitCalls} submissions) in ${r.first.jobs} jobs; ${(r.first.wallMs / 1000).toFixed(1)} s = ${r.offersPerSecond.toFixed(0)} offers/s; tick planning ${(r.first.tickPlanMs / 1000).toFixed(2)} s (${((r.first.tickPlanMs / r.offers) * 1000).toFixed(2)} s per 1 M offers at this rate)`,
    `tick 2 (10 min later, same market): ${r.second.decided} decided, ${r.second.changed} changed, ${r.second.unchanged} unchanged, ${r.second.priceChanges} prices pushed`,
    `failed jobs: ${r.first.failedJobs + r.second.failedJobs}; range violations: ${r.priceRangeViolations}`,
    `write units per changed offer: ${r.writeUnitsPerChangedOffer.toFixed(2)}; per unchanged offer: ${r.writeUnitsPerUnchangedOffer.toFixed(2)}; read units per offer (tick 1): ${r.readUnitsPerOffer.toFixed(2)}`,
    `per 1,000 offers per tick:`,
    row('  tick 1 (every offer changes)', r.first),
    row('  tick 2 (nothing changed)', r.second),
    `per 1,000 offers per day (${TICKS_PER_DAY} ticks):`,
    `  every tick like tick 2: ${(per1000(r.second.capacity.read) * TICKS_PER_DAY).toFixed(0)} RRU, ${(per1000(r.second.capacity.write) * TICKS_PER_DAY).toFixed(0)} WRU, ${(per1000(sqsTotal(r.second)) * TICKS_PER_DAY).toFixed(0)} SQS requests, ${(per1000(gbSeconds(r.second)) * TICKS_PER_DAY).toFixed(1)} GB-s`,
    `  each offer changing once a day (+1 tick-1 cost): +${per1000(r.first.capacity.read).toFixed(0)} RRU, +${per1000(r.first.capacity.write).toFixed(0)} WRU, +${per1000(sqsTotal(r.first)).toFixed(0)} SQS, +${per1000(gbSeconds(r.first)).toFixed(1)} GB-s`,
    `by table/index, tick 1: ${Object.entries(r.first.capacity.byTarget).map(([t, c]) => `${t} ${c.read.toFixed(0)} R / ${c.write.toFixed(0)} W`).join('; ')}`,
    `SQS requests, tick 1: ${JSON.stringify(r.first.sqsRequests)}; SP-API: ${r.first.getItemOffersBatch + r.second.getItemOffersBatch} getItemOffersBatch calls; ${r.feeds.needed} feed(s) for tick 1 (quota ${r.feeds.quotaPer5Min} per 5 min)`,
    `peak RSS: ${r.peakRssMb.toFixed(0)} MB`,
    '',
  ].join('\n'),
);
if (r.first.failedJobs + r.second.failedJobs > 0 || r.priceRangeViolations > 0 || r.first.stillPending + r.second.stillPending > 0) process.exitCode = 1;
