/**
 * Writes the scripted replay market of issue 21 (shared/marketplace-sim/replay-market.ts) as a directory of
 * notifications in Amazon's format, with the rules and stock it is decided with:
 *
 *   npx tsx cli/replay-market.ts examples/repricer/replay
 *
 * Then `npx sellerops reprice --notifications <dir>/notifications --rules <dir>/rules.json --stock <dir>/stock.json
 * --state s.json --score` replays it.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatReplayScore } from '#shared/marketplace-sim/replay-score.ts';
import { REPLAY_RULES_INPUT, REPLAY_STOCK_INPUT, generateReplayMarket } from '#shared/marketplace-sim/replay-market.ts';
import { parseRulesFile } from '#shared/repricer/index.ts';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: npx tsx cli/replay-market.ts <dir>\n');
  process.exit(2);
}
const replay = generateReplayMarket(parseRulesFile(REPLAY_RULES_INPUT), REPLAY_STOCK_INPUT.offers[0].units);
const notifications = join(dir, 'notifications');
await rm(notifications, { recursive: true, force: true });
await mkdir(notifications, { recursive: true });
await Promise.all(
  replay.notifications.map((n, i) => writeFile(join(notifications, `step-${String(i).padStart(2, '0')}.json`), `${JSON.stringify(n, null, 2)}\n`)),
);
await writeFile(join(dir, 'rules.json'), `${JSON.stringify(REPLAY_RULES_INPUT, null, 2)}\n`);
await writeFile(join(dir, 'stock.json'), `${JSON.stringify(REPLAY_STOCK_INPUT, null, 2)}\n`);
process.stdout.write(`${replay.notifications.length} notifications in ${notifications}\nprices: ${replay.prices.map((p) => (p / 100).toFixed(2)).join(' ')}\n${formatReplayScore(replay.score)}\n`);
