/** Connecting a tenant to the simulated Amazon the way a customer does: authorise, consent as a seller, callback. */
import type { Api, ResponseBody } from './local-stack.ts';

export async function startAuthorisation(api: Api, tenant: string): Promise<{ status: number; consentUrl: string; state: string }> {
  const response = await api.call('POST', '/amazon/authorizations', { token: await api.token('customer', tenant) });
  return { status: response.status, consentUrl: response.body.consentUrl, state: response.body.state };
}

/** The simulated Seller Central's consent: its 302 to our callback, which is then followed like a browser would. */
export async function consent(consentUrl: string, sellerId: string): Promise<{ callbackUrl: string; status: number; body: ResponseBody }> {
  const page = await fetch(`${consentUrl}&seller=${sellerId}`, { redirect: 'manual' });
  if (page.status !== 302) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const callbackUrl = page.headers.get('location')!;
  return { callbackUrl, ...(await follow(callbackUrl)) };
}

export async function follow(url: string): Promise<{ status: number; body: ResponseBody }> {
  const response = await fetch(url);
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** Authorise `sellerId` for `tenant` end to end; fails the test if Amazon's side did not confirm it. */
export async function connectAmazon(api: Api, tenant: string, sellerId: string): Promise<void> {
  const started = await startAuthorisation(api, tenant);
  if (started.status !== 201) throw new Error(`POST /amazon/authorizations for ${tenant}: ${started.status}`);
  const done = await consent(started.consentUrl, sellerId);
  if (done.status !== 200 || done.body.status !== 'authorised') throw new Error(`callback for ${tenant}/${sellerId}: ${done.status} ${JSON.stringify(done.body)}`);
}
