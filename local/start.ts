/**
 * `npm start`: the whole system on this machine in one process. Ctrl-C stops it cleanly.
 *   npm start -- --port 4000 --data .local-data
 */
import './quiet-sdk.ts';
import './log-level.ts';
import { isAddressInUse, parseCommandLine, tokenCommand } from './command-line.ts';
import { startLocalStack, type LocalPush } from './stack.ts';
import { seedDemoData, DEMO_USERS } from './demo-seed.ts';

const USAGE = `usage: npm start -- [--port 4000] [--data <dir>] [--clock <iso date-time>] [--verbose] [--no-seed]
  --port     the API's port (default 4000, or $PORT; 0 = any free port)
  --data     persist everything in <dir> (a restart or kill -9 loses nothing); in memory without it
  --clock    start the stack's clock at this instant (e.g. 2025-06-30T09:00:00Z)
  --verbose  log every function's INFO lines
  --no-seed  skip the demo managers and customers
`;

const { values } = parseCommandLine(USAGE, {
  port: { type: 'string', default: process.env.PORT ?? '4000' },
  data: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  'no-seed': { type: 'boolean', default: false },
  clock: { type: 'string' },
});

const startedAt = Date.now();
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`--port: "${values.port}" is not a TCP port\n`);
  process.exit(2);
}

const startAt = values.clock ? new Date(values.clock) : undefined;
if (startAt && Number.isNaN(startAt.getTime())) {
  process.stderr.write(`--clock: "${values.clock}" is not a date-time (e.g. 2025-06-30T09:00:00Z)\n`);
  process.exit(2);
}

const stack = await startLocalStack({
  port,
  ...(startAt ? { startAt } : {}),
  ...(values.data ? { dataDir: values.data } : {}),
  // The level was set by ./log-level.ts before the Logger was built (POWERTOOLS_LOG_LEVEL=DEBUG npm start for DEBUG).
  onPush: (push: LocalPush) => process.stdout.write(`[push → CSM] ${push.subject} ${JSON.stringify(push.attributes)}\n`),
}).catch((error: unknown) => {
  // The one fault a user meets here: another process (often an earlier npm start) holds the port.
  if (isAddressInUse(error)) process.stderr.write(`npm start: port ${port} is already in use (another npm start?): stop it or pick another with --port\n`);
  else process.stderr.write(`npm start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
// The token commands name the stack's URL whenever it is not the one `npm run token` assumes, so they work as printed.
const token = (args: string): string => tokenCommand(stack.url, args);
const seeded = values['no-seed'] ? undefined : await seedDemoData(stack);

const lines = [
  '',
  `sellerops local stack is up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  `  Web app      ${stack.url}/         (open it in a browser; dev login as demo-repricer, demo-lostfound or csm-anna)`,
  `  API          ${stack.url}          (OpenAPI: ${stack.url}/openapi.json)`,
  `  DynamoDB     ${stack.dynamo.endpoint}   (dynalite, ${values.data ? `persisted in ${values.data}` : 'in memory'})`,
  `  SQS + SNS    ${stack.messaging.endpoint}   (fauxqs)`,
  '',
  `Demo users (tokens: ${token('--role customer --tenant <id>')}  |  ${token('--role csm --staff <id>')}):`,
  ...DEMO_USERS.map((u) => `  ${u.role.padEnd(9)} ${u.id.padEnd(16)} ${u.description}`),
  ...(seeded ? ['', `Seeded: ${seeded}`] : []),
  '',
  'Try:',
  `  TOKEN=$(${token('--role customer --tenant t1')})`,
  `  curl -s -X POST ${stack.url}/signups -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
  `    -d '{"product":"repricer","companyName":"Example GmbH","contactEmail":"ops@example.de","language":"de","marketplaces":["DE","FR"],"amazonSellerId":"A2EXAMPLE12345"}'`,
  `  curl -s ${stack.url}/csm/notifications -H "authorization: Bearer $(${token('--role csm --staff csm-anna')})"`,
  `  curl -s -X POST ${stack.url}/_local/clock/advance -d '{"days":14}'     # jump the clock; due schedules fire`,
  `  curl -s ${stack.url}/announcements -H "authorization: Bearer $(${token('--role customer --tenant demo-repricer')})"`,
  '',
  'Ctrl-C stops everything.',
];
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping…\n`);
  await stack.stop();
  process.stdout.write('stopped.\n');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
