/**
 * `npm run bench -- csm-assignment`: on the local stack, 1,000 sign-ups in German, French, Spanish and Turkish
 * (25 at a time over HTTP) assigned by language to 8 managers. Prints how long the sign-ups and the assignment
 * took and the load spread; fails if a customer got a manager who does not speak their language or the spread
 * (max - min customers per manager) exceeds 5. `npm test` runs the same with 120 sign-ups.
 */
import { check, startLocalApi } from './local-http.ts';

const SIGNUPS = Number(process.env.SIGNUPS ?? 1_000);
const TEAM = [
  { staffId: 's-anna', languages: ['de', 'en', 'fr'] },
  { staffId: 's-marc', languages: ['fr', 'de', 'en'] },
  { staffId: 's-lucia', languages: ['es', 'en', 'de'] },
  { staffId: 's-elif', languages: ['tr', 'de', 'en'] },
  { staffId: 's-kemal', languages: ['tr', 'en', 'fr'] },
  { staffId: 's-pablo', languages: ['es', 'fr', 'en', 'it'] },
  { staffId: 's-greta', languages: ['de', 'nl', 'en'] },
  { staffId: 's-sofia', languages: ['es', 'it', 'en'] },
];
const LANGUAGES = ['de', 'fr', 'es', 'tr'] as const;

const api = await startLocalApi();
try {
  const lead = await api.token('csm-lead', 's-anna');
  for (const m of TEAM) {
    const put = await api.call('PUT', `/csm/staff/${m.staffId}`, { token: lead, body: { name: m.staffId, email: `${m.staffId}@example.com`, languages: m.languages, capacity: 1000, timeZone: 'Europe/Berlin' } });
    check(put.status === 200, `staff ${m.staffId}: ${put.status}`);
  }
  const tenants = Array.from({ length: SIGNUPS }, (_, i) => ({ tenant: `spread-${i}`, language: LANGUAGES[i % LANGUAGES.length]! }));
  const started = performance.now();
  for (let i = 0; i < tenants.length; i += 25) {
    await Promise.all(
      tenants.slice(i, i + 25).map(async (t) => {
        const r = await api.call('POST', '/signups', {
          token: await api.token('customer', t.tenant),
          body: { product: 'lost-and-found', companyName: `Spread ${t.tenant}`, contactEmail: 'ops@example.de', language: t.language, marketplaces: ['DE'], amazonSellerId: 'A2EXAMPLE12345' },
        });
        check(r.status === 201, `sign-up ${t.tenant}: ${r.status} ${JSON.stringify(r.body)}`);
      }),
    );
  }
  const signedUp = performance.now();
  await api.stack.pollers!.idle(600_000);
  const assigned = performance.now();

  const speaks = new Map<string, readonly string[]>(TEAM.map((m) => [m.staffId, m.languages]));
  let wrongLanguage = 0;
  for (const t of tenants.filter((_, i) => i % 10 === 0)) {
    const c = (await api.call('GET', `/customers/${t.tenant}`, { token: lead })).body;
    if (!speaks.get(c.csmId)?.includes(t.language)) wrongLanguage++;
  }
  const staff = (await api.call('GET', '/csm/staff', { token: lead })).body.staff as { staffId: string; customerCount: number }[];
  const counts = staff.map((s) => s.customerCount);
  const spread = Math.max(...counts) - Math.min(...counts);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  process.stdout.write(
    `${SIGNUPS} sign-ups: accepted in ${seconds(signedUp - started)} (${(SIGNUPS / ((signedUp - started) / 1000)).toFixed(0)}/s), all assigned after ${seconds(assigned - started)}\n` +
      `load per manager ${JSON.stringify(Object.fromEntries(staff.map((s) => [s.staffId, s.customerCount])))} (max-min ${spread}); ${wrongLanguage} of ${Math.ceil(SIGNUPS / 10)} sampled with a manager not speaking their language\n`,
  );
  check(counts.reduce((a, b) => a + b, 0) === SIGNUPS, 'every sign-up assigned exactly once');
  check(wrongLanguage === 0, 'every sampled customer has a manager speaking their language');
  check(spread <= 5, `load spread ${spread} > 5`);
} finally {
  await api.stack.stop();
}
