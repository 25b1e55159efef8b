import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { connectAmazon } from '../support/amazon.ts';
import { axeViolations, launchChromium, openPage, requireChromium, SCREENSHOTS, signIn } from '../support/browser.ts';
import { exampleSignup, startApi, type Api } from '../support/local-stack.ts';

/**
 * The CSM console as `csm-anna` uses it (issue 19): a sign-up, posted through the API as a customer would, arrives
 * live in the feed (no reload); she starts its welcome call and completes it through the outcome form (a refused
 * outcome first, shown at its field in words); opens the customer 360; reads the quarter's survey results and the
 * NPS trend. Once in English, once in German, axe-core clean, CSP clean, and on a phone.
 */
let api: Api;
let browser: Browser;

beforeAll(async () => {
  requireChromium();
  api = await startApi();
  // Anna is the only manager: every sign-up in German or English is hers.
  const lead = await api.token('csm-lead', 'csm-anna');
  const staff = await api.call('PUT', '/csm/staff/csm-anna', { token: lead, body: { name: 'Anna Keller', email: 'csm-anna@example.com', languages: ['de', 'en', 'fr'], capacity: 50, lead: true } });
  expect(staff.status).toBe(200);
  // A customer who answered this quarter's survey (on an inbound call) and mentioned a difficulty.
  const surveyed = await api.token('customer', 'csm-web-surveyed');
  expect((await api.call('POST', '/signups', { token: surveyed, body: exampleSignup({ companyName: 'Umfrage GmbH', amazonSellerId: 'A2SURVEYED0001' }) })).status).toBe(201);
  const answers = { overall: 9, products: [{ product: 'repricer', satisfaction: 8 }], improve: 'Faster price updates at night', followUpConsent: true };
  expect((await api.call('POST', '/surveys/responses', { token: lead, body: { customerId: 'csm-web-surveyed', answers } })).status).toBe(201);
  browser = await launchChromium();
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await browser?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await api?.stack.stop();
});

async function openConsole(options: BrowserContextOptions): Promise<{ page: Page; problems: string[] }> {
  const opened = await openPage(browser, `${api.stack.url}/`, options);
  await signIn(opened.page, 'csm', 'csm-anna');
  return opened;
}

const runs = [
  {
    language: 'en',
    context: { locale: 'en-GB', timezoneId: 'Europe/London', viewport: { width: 1280, height: 900 } },
    tenant: 'csm-web-en',
    company: 'Harbour Goods Ltd',
    seller: 'A2HARBOUR00001',
    words: {
      live: 'Live:', signUp: 'New Repricer sign-up: Harbour Goods Ltd', welcome: 'Welcome call', inProgress: 'In progress', notes: 'Notes', fill: 'Please fill this in.',
      done: 'Done: Welcome call with Harbour Goods Ltd.', heading: 'Customer 360: Harbour Goods Ltd', recommended: 'Recommended strategy:', trial: 'Trial', nps: 'NPS', quarter: 'Q', zone: /GMT|BST/, improve: 'Faster price updates at night',
    },
  },
  {
    language: 'de',
    context: { locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 900 } },
    tenant: 'csm-web-de',
    company: 'Bergmann Handel GmbH',
    seller: 'A2BERGMANN0001',
    words: {
      live: 'Live:', signUp: 'Neue Repricer-Anmeldung: Bergmann Handel GmbH', welcome: 'Begrüßungsanruf', inProgress: 'In Arbeit', notes: 'Notizen', fill: 'Bitte ausfüllen.',
      done: 'Erledigt: Begrüßungsanruf mit Bergmann Handel GmbH.', heading: 'Kunde 360: Bergmann Handel GmbH', recommended: 'Empfohlene Strategie:', trial: 'Testphase', nps: 'NPS', quarter: 'Quartal', zone: /MEZ|MESZ/, improve: 'Faster price updates at night',
    },
  },
] as const;

describe('the CSM console in a real browser, as csm-anna', () => {
  for (const run of runs) {
    it(`sees a sign-up arrive live, works its welcome call, opens the customer 360 and the survey results (${run.language})`, async () => {
      const { page, problems } = await openConsole(run.context);
      await page.waitForSelector(`#live-status:has-text("${run.words.live}")`);
      expect(await page.locator('#feed tr', { hasText: run.company }).count()).toBe(0);

      // The customer signs up (through the API, as the customer's own app would): the feed shows it without a reload.
      const customer = await api.token('customer', run.tenant);
      const signUp = exampleSignup({ companyName: run.company, language: run.language, amazonSellerId: run.seller, marketplaces: ['DE'] });
      expect((await api.call('POST', '/signups', { token: customer, body: signUp })).status).toBe(201);
      const row = page.locator('#feed tbody tr.unread', { hasText: run.words.signUp });
      await row.waitFor();
      expect(await page.textContent('#live-news')).toContain(run.words.signUp);
      expect(await row.textContent()).not.toMatch(/customer\.signed-up|New Repricer sign-up: .* \(/);

      // Its welcome call is in her queue: start it, then record the outcome.
      const task = page.locator('#tasks tbody tr[data-kind="welcome-call"]', { hasText: run.company });
      await task.waitFor();
      expect(await task.textContent()).toContain(run.words.welcome);
      await task.locator('button[data-action="start"]').click();
      const started = page.locator('#tasks tbody tr[data-kind="welcome-call"][data-status="in-progress"]', { hasText: run.company });
      await started.waitFor();
      expect(await started.textContent()).toContain(run.words.inProgress);
      await started.locator('button[data-action="complete"]').click();
      await page.waitForSelector('#outcome-form[data-form="general"]');
      // Only blanks: the browser lets it through, the server refuses it, and the form says so at the field, in words.
      await page.fill('#outcome-notes', '   ');
      await page.click('#outcome-submit');
      await page.waitForSelector('#outcome-notes-error');
      expect(await page.textContent('#outcome-notes-error')).toBe(run.words.fill);
      expect(await page.getAttribute('#outcome-notes', 'aria-invalid')).toBe('true');
      expect(await page.textContent('#outcome-errors [role="alert"]')).toContain(`${run.words.notes}: ${run.words.fill}`);
      expect(await axeViolations(page)).toEqual([]);
      await page.fill('#outcome-notes', 'Walked through the onboarding; appointment next week.');
      await page.click('#outcome-add-difficulty');
      await page.selectOption('#outcome-difficulty-0-productArea', 'repricer');
      await page.selectOption('#outcome-difficulty-0-severity', 'high');
      await page.fill('#outcome-difficulty-0-verbatim', 'Rules upload is confusing');
      if (run.language === 'en') await page.screenshot({ path: join(SCREENSHOTS, 'csm-outcome-en.png'), fullPage: true });
      await page.click('#outcome-submit');
      await page.waitForSelector(`#task-done:has-text("${run.words.done}")`);
      expect(await page.locator('#tasks tbody tr[data-kind="welcome-call"]', { hasText: run.company }).count()).toBe(0);
      const done = (await api.call('GET', '/feedback/root-causes', { token: await api.token('csm', 'csm-anna') })).body.items as { affectedCustomers: string[] }[];
      expect(done.some((r) => r.affectedCustomers.includes(run.tenant))).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, `csm-console-${run.language}.png`), fullPage: true });

      // The customer authorises its seller on the (simulated) Amazon: the profile analysis gives a recommendation.
      await connectAmazon(api, run.tenant, run.seller);
      const anna = await api.token('csm', 'csm-anna');
      await api.eventually(async () => (await api.call('GET', `/customers/${run.tenant}/onboarding`, { token: anna })).body, (b) => b.recommendation !== null);

      // The customer 360, opened from the feed.
      await page.locator('#feed tbody tr', { hasText: run.company }).first().locator('button[data-customer]').click();
      await page.waitForSelector(`#customer-360-heading:has-text("${run.words.heading}")`);
      expect(await page.textContent('#c360-contract-table')).toContain(run.words.trial);
      expect(await page.textContent('#c360-history')).toContain(run.words.signUp);
      expect(await page.textContent('#c360-root-causes')).toContain('Rules upload is confusing');
      expect(await page.textContent('#c360-contracts')).toMatch(run.words.zone);
      expect(await page.textContent('#c360-connection')).toContain(run.seller);
      expect(await page.textContent('#c360-strategy')).toContain(run.words.recommended);
      expect(await page.locator('#c360-reasons li').count()).toBeGreaterThan(0);
      expect(await page.locator('#c360-marketplaces tbody tr').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `csm-customer-360-${run.language}.png`), fullPage: true });

      // Survey results of this quarter, the NPS trend and the root causes.
      await page.click('button[data-view="insights"]');
      await page.waitForSelector('#survey-results');
      expect(await page.textContent('[data-kpi="nps"] .value')).toBe('+100');
      expect(await page.textContent('#survey-by-product')).toContain('Repricer');
      expect(await page.textContent('#survey-improvements')).toContain(run.words.improve);
      expect(await page.textContent('#nps-trend-table')).toContain(run.words.quarter);
      expect(await page.locator('#root-causes tbody tr').count()).toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `csm-surveys-${run.language}.png`), fullPage: true });
      // The browser logs every answer >= 400: the one expected here is the refused outcome.
      expect(problems.filter((p) => !/status of 400 /.test(p))).toEqual([]);
      expect(problems).toHaveLength(1);
      await page.context().close();
    });
  }

  it('fits a phone: the console scrolls wide tables inside their boxes, nothing wider than the screen', async () => {
    const { page, problems } = await openConsole({ locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.waitForSelector('#feed tbody tr');
    const overflow: number = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'csm-console-phone-de.png'), fullPage: false });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
