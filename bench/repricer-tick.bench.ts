/**
 * `npm run bench -- repricer-tick [--offers N] [--realistic] [--engine dynalite|dynamodb-local] [--ticks-only]`: one local
 * end-to-end tick (then a second one on the same market) over N offers of one seller in one marketplace, with what
 * it costs: DynamoDB read/write units, SQS requests, Lambda GB-seconds, per 1,000 offers per tick and per day, and the
 * peak RSS of the functions (each in its own process, as each is a Lambda in AWS) beside that of the harness (seeding,
 * simulated market, in-process queues). Exits non-zero on a failed job or a price outside its range.
 */
import { parseArgs } from 'node:util';
import { repricer } from '#infra/wiring/repricer.ts';
import { DUE_SHARDS } from '#shared/repricer/model.ts';
import { dynamoDbLocalAvailable } from '../local/dynamodb.ts';
import { runLocalTick, type TickPhase } from '../local/repricer-tick-run.ts';

// bench/run-all.ts passes the flags given after the bench's name.
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { offers: { type: 'string' }, realistic: { type: 'boolean', default: false }, engine: { type: 'string' }, concurrency: { type: 'string' }, 'changes-per-day': { type: 'string' }, 'ticks-only': { type: 'boolean', default: false } },
  strict: false,
});
const offers = Number(values.offers ?? process.env.OFFERS ?? 20_000);
const engine = values.engine === 'dynalite' || values.engine === 'dynamodb-local' ? values.engine : dynamoDbLocalAvailable() ? 'dynamodb-local' : 'dynalite';
const realistic = values.realistic === true;
const ticksOnly = values['ticks-only'] === true;
const r = await runLocalTick({ offers, realistic, engine, concurrency: Number(values.concurrency ?? 8), ticksOnly });

const fns = repricer.functions;
const gb = (mb: number): number => mb / 1024;
const TICKS_PER_DAY = (24 * 60) / repricer.functions.repricerTick.triggers[0].rateMinutes;
/** Due offers of one marketplace the tick must cover (issue 17), spread over DUE_SHARDS shard ticks. */
const MARKETPLACE_OFFERS = 1_000_000;
/** Price changes per offer per day assumed for the daily figures (every tick decides every due offer; few change). */
const CHANGES_PER_DAY = Number(values['changes-per-day'] ?? 24);
const phases = [r.first, r.second];
const sum = (f: (p: TickPhase) => number): number => phases.reduce((n, p) => n + f(p), 0);
const decisions = sum((p) => p.decided);
const changed = sum((p) => p.changed);
const gbSeconds = (p: TickPhase): number =>
  p.lambdaSeconds.tick * gb(fns.repricerShardTick.memoryMb) + p.lambdaSeconds.workers * gb(fns.repricerWorker.memoryMb) + p.lambdaSeconds.flush * gb(fns.repricerPushFlush.memoryMb);
const sqsTotal = (p: TickPhase): number => Object.values(p.sqsRequests).reduce((a, b) => a + b, 0);
// Per decision (changed or not) and per change: what a tick costs scales with the first, a day's writes with the second.
const readsPerDecision = sum((p) => p.capacity.read) / decisions;
const sqsPerDecision = sum(sqsTotal) / decisions;
const gbsPerDecision = sum(gbSeconds) / decisions;
const perTick1000 = { rru: readsPerDecision * 1000, wru: (r.writeUnitsPerChangedOffer * changed * 1000) / decisions, sqs: sqsPerDecision * 1000, gbs: gbsPerDecision * 1000 };
const perDay1000 = {
  rru: readsPerDecision * 1000 * TICKS_PER_DAY,
  wru: r.writeUnitsPerChangedOffer * 1000 * CHANGES_PER_DAY,
  sqs: sqsPerDecision * 1000 * TICKS_PER_DAY,
  gbs: gbsPerDecision * 1000 * TICKS_PER_DAY,
};
const { loadavg } = await import('node:os');
/** A shard tick's time per due offer of its shard (the slowest shard's rate) and what a shard of a 1 M marketplace takes at it. */
/** `peak RSS` is the functions' (the largest of their processes; the goal's figure), then each one's and the harness's. */
const rssFigures = (): string =>
  `peak RSS: ${r.peakRssMb.toFixed(0)} MB (functions, each in its own process: ${Object.entries(r.peakRssByFunctionMb).map(([role, mb]) => `${role} ${mb.toFixed(0)} MB`).join(', ')}); harness (seeding, simulated market, queues): ${r.harnessPeakRssMb.toFixed(0)} MB`;
const shardFigures = (p: TickPhase): string => {
  const slowest = Math.max(...p.shardTicks.map((t) => t.ms / Math.max(1, t.dueOffers)));
  const largest = p.shardTicks.reduce((a, t) => (t.ms > a.ms ? t : a));
  const perShard = MARKETPLACE_OFFERS / DUE_SHARDS;
  const cpuPerOffer = p.shardTicks.reduce((n, t) => n + t.cpuMs, 0) / Math.max(1, p.shardTicks.reduce((n, t) => n + t.dueOffers, 0));
  return (
    `fan-out ${p.fanOutMs.toFixed(0)} ms; ${p.shardTicks.length} shard ticks (one at a time) ${p.shardTicks.map((t) => (t.ms / 1000).toFixed(2)).join(' / ')} s, the longest ${(largest.ms / 1000).toFixed(2)} s for ${largest.dueOffers} due offers; ` +
    `slowest rate ${(slowest * 1000).toFixed(0)} µs a due offer → a shard of ${perShard.toLocaleString('en-US')} (1 M in a marketplace) in ${((slowest * perShard) / 1000).toFixed(1)} s (timeout ${fns.repricerShardTick.timeoutSeconds} s); ` +
    `CPU ${(cpuPerOffer * 1000).toFixed(0)} µs a due offer (all shards) → ${((cpuPerOffer * perShard) / 1000).toFixed(1)} s of CPU for such a shard`
  );
};

if (ticksOnly) {
  // The tick alone: no worker ran, so there is nothing to tell about decisions, writes or pushes.
  process.stdout.write(
    `${r.offers} ${r.realistic ? 'realistic' : 'minimal'} offers on ${r.engine}, the tick only (jobs left queued); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n` +
      `tick: ${shardFigures(r.first)}\n${r.first.jobs} jobs; tick read units ${r.first.capacity.read.toFixed(0)}; SQS requests ${JSON.stringify(r.first.sqsRequests)}\n${rssFigures()}\n`,
  );
  process.exit(0);
}
process.stdout.write(`${JSON.stringify(r, null, 2)}\n\n`);
process.stdout.write(
  [
    `${r.offers} ${r.realistic ? 'realistic' : 'minimal'} offers on ${r.engine} (offer item ${r.offerItemBytes} B, largest job message ${r.largestJobMessageBytes} B); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    ...phases.map(
      (p, k) =>
        `tick ${k + 1}${k === 1 ? ' (10 min later, market as Amazon shows it after the pushes)' : ''}: ${p.decided} decided, ${p.changed} changed, ${p.unchanged} unchanged, ${p.priceChanges} prices pushed (${p.submitCalls} submissions) from ${p.jobs} jobs, all done in ${(p.wallMs / 1000).toFixed(1)} s\n  tick: ${shardFigures(p)}`,
    ),
    `failed jobs: ${r.first.failedJobs + r.second.failedJobs}; range violations: ${r.priceRangeViolations}; pushes left pending: ${r.first.stillPending + r.second.stillPending}`,
    `write units per changed offer: ${r.writeUnitsPerChangedOffer.toFixed(2)}; per unchanged offer: ${r.writeUnitsPerUnchangedOffer.toFixed(2)}`,
    `per decision: ${readsPerDecision.toFixed(2)} read units, ${sqsPerDecision.toFixed(3)} SQS requests, ${(gbsPerDecision * 1000).toFixed(1)} GB-ms of Lambda`,
    `per 1,000 offers per tick (${((changed / decisions) * 100).toFixed(0)} % changed, as measured): ${perTick1000.rru.toFixed(0)} RRU, ${perTick1000.wru.toFixed(0)} WRU, ${perTick1000.sqs.toFixed(1)} SQS requests, ${perTick1000.gbs.toFixed(1)} GB-s`,
    `per 1,000 offers per day (${TICKS_PER_DAY} ticks, ${CHANGES_PER_DAY} changes per offer): ${(perDay1000.rru / 1e6).toFixed(3)} M RRU, ${(perDay1000.wru / 1e6).toFixed(3)} M WRU, ${perDay1000.sqs.toFixed(0)} SQS requests, ${perDay1000.gbs.toFixed(0)} GB-s`,
    `by table/index, tick 1: ${Object.entries(r.first.capacity.byTarget).map(([t, c]) => `${t} ${c.read.toFixed(0)} R / ${c.write.toFixed(0)} W`).join('; ')}`,
    `SQS requests, tick 1: ${JSON.stringify(r.first.sqsRequests)}; SP-API: ${r.first.getItemOffersBatch + r.second.getItemOffersBatch} getItemOffersBatch calls; ${r.feeds.needed} feed(s) for tick 1 (quota ${r.feeds.quotaPer5Min} per 5 min)`,
    rssFigures(),
    '',
  ].join('\n'),
);
if (r.first.failedJobs + r.second.failedJobs > 0 || r.priceRangeViolations > 0 || r.first.stillPending + r.second.stillPending > 0) process.exitCode = 1;
