/** Demo data for `npm start`, created through the public API so the seeded records took the real path. */
import type { LocalStack } from './stack.ts';
import { defineDemoCatalogue, definePushCatalogue } from './repricer-demo.ts';

/** A CSM team as the source documents describe it: each manager speaks 3 or 4 languages. */
export const DEMO_STAFF = [
  { staffId: 'csm-anna', name: 'Anna Keller', languages: ['de', 'en', 'fr'], lead: true },
  { staffId: 'csm-marc', name: 'Marc Dubois', languages: ['fr', 'de', 'en'], lead: false },
  { staffId: 'csm-lucia', name: 'Lucía Romero', languages: ['en', 'de', 'es'], lead: false },
  { staffId: 'csm-elif', name: 'Elif Yılmaz', languages: ['tr', 'de', 'en'], lead: false },
  { staffId: 'csm-giulia', name: 'Giulia Rossi', languages: ['it', 'es', 'en', 'fr'], lead: false },
  { staffId: 'csm-jan', name: 'Jan de Vries', languages: ['nl', 'de', 'en', 'pl'], lead: false },
] as const;

export const DEMO_USERS = [
  { role: 'customer', id: 'demo-repricer', description: 'Müller Handels GmbH (German, DE/FR/IT): experienced merchandise seller, Repricer trial' },
  { role: 'customer', id: 'demo-newbrand', description: 'Lumora (German, DE): new private-label seller, Repricer trial' },
  { role: 'customer', id: 'demo-lostfound', description: 'Atelier Dupont SARL (French, FR/ES): mixed catalogue, Lost & Found' },
  ...DEMO_STAFF.map((s) => ({ role: 'csm', id: s.staffId, description: `${s.name}, CSM manager (${s.languages.join(', ')})${s.lead ? ', lead' : ''}` })),
] as const;

const DEMO_SIGNUPS = [
  {
    tenant: 'demo-repricer',
    body: { product: 'repricer', companyName: 'Müller Handels GmbH', contactEmail: 'einkauf@mueller-handel.example', language: 'de', marketplaces: ['DE', 'FR', 'IT'], amazonSellerId: 'A1MUELLER00001' },
  },
  {
    tenant: 'demo-newbrand',
    body: { product: 'repricer', companyName: 'Lumora', contactEmail: 'hello@lumora.example', language: 'de', marketplaces: ['DE'], amazonSellerId: 'A3NEWBRAND0003' },
  },
  {
    tenant: 'demo-lostfound',
    body: { product: 'lost-and-found', companyName: 'Atelier Dupont SARL', contactEmail: 'contact@atelier-dupont.example', language: 'fr', marketplaces: ['FR', 'ES'], amazonSellerId: 'A2DUPONT000002' },
  },
];

export async function seedDemoData(stack: LocalStack): Promise<string> {
  const csmToken = await stack.auth.issue({ role: 'csm-lead', staffId: 'csm-anna' });
  for (const member of DEMO_STAFF) {
    const response = await fetch(`${stack.url}/csm/staff/${member.staffId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${csmToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: member.name,
        email: `${member.staffId}@sellerops.example`,
        languages: member.languages,
        capacity: 200,
        available: true,
        lead: member.lead,
        timeZone: 'Europe/Berlin',
      }),
    });
    if (!response.ok && response.status !== 409) throw new Error(`demo seed failed: ${response.status} ${await response.text()}`);
  }
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
  // Each demo customer authorises its seller in the simulated Seller Central, as a customer would.
  for (const signup of DEMO_SIGNUPS) await authoriseDemoSeller(stack, signup.tenant, signup.body.amazonSellerId);
  // Repricer demo: Müller Handels (seller A1MUELLER00001) reprices B2C and B2B offers in DE, FR and IT.
  const catalogue = defineDemoCatalogue(stack.repricerSim.marketplace, { sellerId: 'A1MUELLER00001', marketplaces: ['DE', 'FR', 'IT'], asinsPerMarketplace: 4 });
  const repricerToken = await stack.auth.issue({ role: 'customer', tenantId: 'demo-repricer' });
  const rules = await fetch(`${stack.url}/repricer/rules`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${repricerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(catalogue),
  });
  if (!rules.ok) throw new Error(`demo seed failed: ${rules.status} ${await rules.text()}`);
  // Push demo: Lumora (seller A3NEWBRAND0003), a private-label seller alone on its listings, pushes sales on units
  // Amazon reports: the daily orders report brings what the simulated buyers bought (one target above, one below).
  const pushCatalogue = definePushCatalogue(stack.repricerSim.marketplace, {
    sellerId: 'A3NEWBRAND0003',
    marketplace: 'DE',
    asins: [
      { asin: 'B0LUMORA01', targetUnitsPerDay: 20 },
      { asin: 'B0LUMORA02', targetUnitsPerDay: 150 },
    ],
  });
  const pushRules = await fetch(`${stack.url}/repricer/rules`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${await stack.auth.issue({ role: 'customer', tenantId: 'demo-newbrand' })}`, 'content-type': 'application/json' },
    body: JSON.stringify(pushCatalogue),
  });
  if (!pushRules.ok) throw new Error(`demo seed failed: ${pushRules.status} ${await pushRules.text()}`);
  return `${DEMO_STAFF.length} CSM managers; ${DEMO_SIGNUPS.length} demo sellers authorised on the simulated Amazon; ${created} demo sign-up(s) (${DEMO_SIGNUPS.length - created} already present); ${catalogue.offers.length} repricer offers for demo-repricer (DE/FR/IT, B2C+B2B), ${pushCatalogue.offers.length} Push offers for demo-newbrand (DE, on units sold from the daily orders report)`;
}

/** POST /amazon/authorizations, then the simulated consent (302) and our callback, like the customer's browser. */
async function authoriseDemoSeller(stack: LocalStack, tenant: string, sellerId: string): Promise<void> {
  const token = await stack.auth.issue({ role: 'customer', tenantId: tenant });
  const connection = await fetch(`${stack.url}/amazon/connection`, { headers: { authorization: `Bearer ${token}` } });
  if (connection.ok && ((await connection.json()) as { status?: string }).status === 'authorised') return;
  const started = await fetch(`${stack.url}/amazon/authorizations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (started.status !== 201) throw new Error(`demo seed failed: ${started.status} ${await started.text()}`);
  const { consentUrl } = (await started.json()) as { consentUrl: string };
  const callback = await fetch(`${consentUrl}&seller=${sellerId}`);
  if (!callback.ok) throw new Error(`demo seed failed: ${callback.status} ${await callback.text()}`);
}
