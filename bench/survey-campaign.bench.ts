/**
 * `npm run bench -- survey-campaign`: on the local stack, the quarterly survey campaign for 2,000 customers in six
 * languages and 12 managers (3–6 calls a day each). Prints how long the sign-ups took and how long the campaign
 * took to plan when its schedule fired; fails if a call is missing, doubled, in a language its manager does not
 * speak or over a manager's daily capacity. `npm test` runs the same with 240 customers.
 */
import { nextCronOccurrence } from '../local/cron.ts';
import { SURVEY_SCHEDULE, quarterOf } from '#shared/service/surveys.ts';
import { check, startLocalApi } from './local-http.ts';

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 2_000);
const LANGUAGES = ['de', 'fr', 'es', 'it', 'tr', 'nl'] as const;
const TEAM = [
  { staffId: 'cs-anna', languages: ['de', 'en', 'fr'], dailyCalls: 6 },
  { staffId: 'cs-marc', languages: ['fr', 'de', 'en'], dailyCalls: 5 },
  { staffId: 'cs-lucia', languages: ['es', 'en', 'de'], dailyCalls: 4 },
  { staffId: 'cs-elif', languages: ['tr', 'de', 'en'], dailyCalls: 4 },
  { staffId: 'cs-kemal', languages: ['tr', 'en', 'fr'], dailyCalls: 3 },
  { staffId: 'cs-pablo', languages: ['es', 'fr', 'en', 'it'], dailyCalls: 5 },
  { staffId: 'cs-greta', languages: ['de', 'nl', 'en'], dailyCalls: 4 },
  { staffId: 'cs-sofia', languages: ['es', 'it', 'en'], dailyCalls: 4 },
  { staffId: 'cs-jan', languages: ['nl', 'de', 'en', 'fr'], dailyCalls: 3 },
  { staffId: 'cs-giulia', languages: ['it', 'es', 'en', 'fr'], dailyCalls: 4 },
  { staffId: 'cs-aylin', languages: ['tr', 'nl', 'en'], dailyCalls: 3 },
  { staffId: 'cs-louise', languages: ['fr', 'nl', 'it'], dailyCalls: 3 },
] as const;
const CANCELLED = Array.from({ length: 20 }, (_, i) => `cs-${String(Math.floor((i * CUSTOMERS) / 20)).padStart(4, '0')}`);

const api = await startLocalApi();
try {
  const lead = await api.token('csm-lead', 'cs-anna');
  for (const m of TEAM) {
    const put = await api.call('PUT', `/csm/staff/${m.staffId}`, {
      token: lead,
      body: { name: m.staffId, email: `${m.staffId}@example.com`, languages: m.languages, capacity: 1000, dailyCalls: m.dailyCalls, timeZone: 'Europe/Berlin' },
    });
    check(put.status === 200, `staff ${m.staffId}: ${put.status}`);
  }
  await api.call('PUT', '/surveys/settings', { token: lead, body: { minContractDays: 7 } });

  const started = performance.now();
  const tenants = Array.from({ length: CUSTOMERS }, (_, i) => ({ id: `cs-${String(i).padStart(4, '0')}`, language: LANGUAGES[i % LANGUAGES.length]! }));
  for (let i = 0; i < tenants.length; i += 50) {
    await Promise.all(
      tenants.slice(i, i + 50).map(async (t) => {
        const r = await api.call('POST', '/signups', {
          token: await api.token('customer', t.id),
          body: { product: 'lost-and-found', companyName: `Seller ${t.id}`, contactEmail: `${t.id}@example.com`, language: t.language, marketplaces: ['DE'], amazonSellerId: 'A2EXAMPLE12345' },
        });
        check(r.status === 201, `sign-up ${t.id}: ${r.status}`);
      }),
    );
  }
  for (const id of CANCELLED) {
    const r = await api.call('POST', '/contracts/lost-and-found/cancellation', { token: await api.token('customer', id), body: { reason: 'closing the shop' } });
    check(r.status === 200, `cancel ${id}: ${r.status}`);
  }
  await api.stack.pollers!.idle(600_000);
  const signedUp = performance.now();

  const now = api.stack.clock.now();
  const fireAt = nextCronOccurrence(SURVEY_SCHEDULE.cron, new Date(now.getTime() + 8 * 86_400_000), SURVEY_SCHEDULE.timeZone)!;
  const quarter = quarterOf(fireAt, SURVEY_SCHEDULE.timeZone);
  const planningStarted = performance.now();
  const advanced = await api.call('POST', '/_local/clock/advance', { body: { minutes: Math.ceil((fireAt.getTime() - now.getTime()) / 60_000) + 1 } });
  const planned = performance.now();
  check((advanced.body.fired as string[]).includes(`${SURVEY_SCHEDULE.name}@${fireAt.toISOString()}`), 'the survey schedule fired');

  const campaign = (await api.call('GET', `/surveys/campaigns/${quarter}`, { token: lead })).body;
  const eligible = CUSTOMERS - CANCELLED.length;
  const calls: { tenantId: string; language: string; assigneeId: string; day: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { items: typeof calls; nextCursor: string | null } } = await api.call('GET', `/surveys/campaigns/${quarter}/calls?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { token: lead });
    calls.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  const speaks = new Map<string, readonly string[]>(TEAM.map((m) => [m.staffId, m.languages]));
  const daily = new Map<string, number>(TEAM.map((m) => [m.staffId, m.dailyCalls]));
  const perDay = new Map<string, number>();
  for (const c of calls) perDay.set(`${c.assigneeId}|${c.day}`, (perDay.get(`${c.assigneeId}|${c.day}`) ?? 0) + 1);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  process.stdout.write(
    `${CUSTOMERS} customers (${CANCELLED.length} cancelled) signed up and assigned in ${seconds(signedUp - started)}\n` +
      `survey campaign ${quarter}: ${campaign.created} calls over ${campaign.workingDays} working days, planned in ${seconds(planned - planningStarted)}\n`,
  );
  check(campaign.eligible === eligible && campaign.created === eligible && campaign.unassigned === 0, `campaign ${JSON.stringify({ ...campaign, loads: undefined })}`);
  check(calls.length === eligible && new Set(calls.map((c) => c.tenantId)).size === eligible, `${calls.length} calls for ${eligible} eligible customers`);
  check(calls.every((c) => speaks.get(c.assigneeId)?.includes(c.language)), 'every call in a language its manager speaks');
  check([...perDay].every(([key, n]) => n <= daily.get(key.split('|')[0]!)!), 'no manager over their daily calls');
} finally {
  await api.stack.stop();
}
