import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { exampleSignup, startApi, type Api } from '../support/local-stack.ts';

/** Debian's chromium (.ci/run installs it). Without it, locally, this browser test cannot run. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'fba-reports');
let api: Api;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (as .ci/run does)`);
  api = await startApi({ startAt: new Date('2025-06-30T12:00:00Z') });
  const lead = await api.token('csm-lead', 's-web');
  await api.call('PUT', '/csm/staff/s-web', { token: lead, body: { name: 'Web', email: 'web@example.com', languages: ['fr', 'de', 'en'], capacity: 10 } });
  const token = await api.token('customer', 'web-1');
  expect((await api.call('POST', '/signups', { token, body: exampleSignup({ product: 'lost-and-found', language: 'fr' }) })).status).toBe(201);
  for (const name of readdirSync(EXAMPLES).filter((n) => statSync(join(EXAMPLES, n)).isFile())) {
    const signed = await api.call('POST', '/lost-and-found/uploads', { token, body: { fileName: name } });
    await fetch(signed.body.uploadUrl, { method: 'PUT', body: readFileSync(join(EXAMPLES, name)) });
  }
  const started = await api.call('POST', '/lost-and-found/audits', { token, body: { asOf: '2025-06-30' } });
  await api.eventually(async () => (await api.call('GET', `/lost-and-found/audits/${started.body.auditId}`, { token })).body, (j) => j.status === 'done');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await browser?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await api?.stack.stop();
});

describe('dashboard in a real browser', () => {
  it('shows a customer its Lost & Found figures and claims, and files a claim with one click', async () => {
    const claims = (await api.call('GET', '/lost-and-found/claims', { token: await api.token('customer', 'web-1') })).body.claims;
    const page = await browser.newPage();
    await page.goto(`${api.stack.url}/`);
    await page.selectOption('#dev-role', 'customer');
    await page.fill('#dev-id', 'web-1');
    await page.click('#dev-login button');
    await page.waitForSelector('#claims tbody tr');
    expect(await page.locator('#claims tbody tr').count()).toBe(claims.length);
    expect(await page.textContent('#who')).toBe('customer web-1');
    expect(await page.textContent('[data-kpi="found"] .count')).toBe(`${claims.length} claim(s)`);
    const first = page.locator('#claims tbody tr').filter({ has: page.locator('button') }).first();
    const claimId = await first.getAttribute('data-claim');
    await first.locator('button').click();
    await page.waitForSelector(`tr[data-claim="${claimId}"] .status.filed`);
    expect(await page.textContent('[data-kpi="filed"] .count')).toBe('1 claim(s)');
    await page.screenshot({ path: join(import.meta.dirname, '..', '..', 'bench', 'out', 'dashboard-customer.png'), fullPage: true });
    await page.close();
  });

  it('shows CSM staff their notification feed and lets them mark one read', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.stack.url}/`);
    await page.selectOption('#dev-role', 'csm');
    await page.fill('#dev-id', 's-web');
    await page.click('#dev-login button');
    await page.waitForSelector('#feed tbody tr.unread');
    const row = page.locator('#feed tbody tr.unread').first();
    const id = await row.getAttribute('data-notification');
    expect(await row.textContent()).toContain('New Lost & Found sign-up');
    await row.locator('button').click();
    await page.waitForSelector(`tr[data-notification="${id}"]:not(.unread)`);
    await page.close();
  });

  it('refuses a forged token: the page shows the API error and no data', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.stack.url}/`);
    await page.fill('#token', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiY3VzdG9tOnRlbmFudF9pZCI6IndlYi0xIn0.');
    await page.click('#token-form button');
    await page.waitForSelector('#login-error:not(:empty)');
    expect(await page.textContent('#login-error')).toContain('Missing or invalid bearer token');
    expect(await page.locator('#claims tbody tr').count()).toBe(0);
    await page.close();
  });
});
