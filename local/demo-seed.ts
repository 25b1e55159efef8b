/** Demo data for `npm start`, created through the public API so the seeded records took the real path. */
import type { LocalStack } from './stack.ts';

export const DEMO_USERS = [
  { role: 'customer', id: 'demo-repricer', description: 'Müller Handels GmbH (German, DE/FR/IT), Repricer trial' },
  { role: 'customer', id: 'demo-lostfound', description: 'Atelier Dupont SARL (French, FR/ES), Lost & Found' },
  { role: 'csm', id: 'csm-anna', description: 'CSM manager (de, en, fr)' },
] as const;

const DEMO_SIGNUPS = [
  {
    tenant: 'demo-repricer',
    body: {
      product: 'repricer',
      companyName: 'Müller Handels GmbH',
      contactEmail: 'einkauf@mueller-handel.example',
      language: 'de',
      marketplaces: ['DE', 'FR', 'IT'],
      amazonSellerId: 'A1MUELLER00001',
    },
  },
  {
    tenant: 'demo-lostfound',
    body: {
      product: 'lost-and-found',
      companyName: 'Atelier Dupont SARL',
      contactEmail: 'contact@atelier-dupont.example',
      language: 'fr',
      marketplaces: ['FR', 'ES'],
      amazonSellerId: 'A2DUPONT000002',
    },
  },
];

export async function seedDemoData(stack: LocalStack): Promise<string> {
  let created = 0;
  for (const signup of DEMO_SIGNUPS) {
    const token = await stack.auth.issue({ role: 'customer', tenantId: signup.tenant });
    const response = await fetch(`${stack.url}/signups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(signup.body),
    });
    if (response.status === 201) created++;
    else if (response.status !== 409) throw new Error(`demo seed failed: ${response.status} ${await response.text()}`);
  }
  return `${created} demo sign-up(s) (${DEMO_SIGNUPS.length - created} already present)`;
}
