/**
 * Issue 19's remaining customer pieces in real headless chromium, in English and in German: on *Contract & support*
 * a customer answers the quarterly survey they were sent (and the CSM's results count it), reads all their support
 * requests with their state, newest first (one taken on the hotline, one sent from the page, one the manager
 * resolved); the onboarding recommendation's reasons are worded in the page's language; a phone's width. And the CSM
 * console in the AWS configuration (no live feed in config.json, no server-sent events): a new sign-up appears by
 * polling `GET /csm/notifications`, the page's 30-second timer driven by the browser's fake clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { SURVEY_SCHEDULE, quarterOf } from '#shared/service/surveys.ts';
import { invoke } from '../../local/lambda-runtime.ts';
import { connectAmazon } from '../support/amazon.ts';
import { axeViolations, launchChromium, openPage, requireChromium, SCREENSHOTS, signIn } from '../support/browser.ts';
import { exampleSignup, startApi, type Api } from '../support/local-stack.ts';

let api: Api;
let browser: Browser;
let lead: string;
let quarter: string;

const RUNS = [
  {
    code: 'en',
    tenant: 'web-fb-en',
    company: 'Harbour Goods Ltd',
    context: { locale: 'en-GB', timezoneId: 'Europe/London', viewport: { width: 1280, height: 900 } },
    words: {
      pickScore: 'Please choose a number from 0 to 10.',
      thanks: /^Thank you: your answer reached us on .*(GMT|BST|UTC)/,
      answer: 'Your answer: 9 of 10.',
      hotline: 'Hotline call',
      form: 'Support form',
      open: 'Open',
      resolved: 'Resolved',
      surveyTitle: /^Survey Q[1-4] 20\d\d$/,
    },
  },
  {
    code: 'de',
    tenant: 'web-fb-de',
    company: 'Bergmann Handel GmbH',
    context: { locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 900 } },
    words: {
      pickScore: 'Bitte wählen Sie eine Zahl von 0 bis 10.',
      thanks: /^Danke: Ihre Antwort ist am .*(MEZ|MESZ) bei uns eingegangen\.$/,
      answer: 'Ihre Antwort: 9 von 10.',
      hotline: 'Anruf bei der Hotline',
      form: 'Supportformular',
      open: 'Offen',
      resolved: 'Gelöst',
      surveyTitle: /^Umfrage [1-4]\. Quartal 20\d\d$/,
    },
  },
] as const;

async function signUp(tenant: string, body: Record<string, unknown>): Promise<void> {
  const signed = await api.call('POST', '/signups', { token: await api.token('customer', tenant), body: exampleSignup(body) });
  expect(signed.status, JSON.stringify(signed.body)).toBe(201);
}

beforeAll(async () => {
  requireChromium();
  api = await startApi();
  lead = await api.token('csm-lead', 'csm-anna');
  const staff = await api.call('PUT', '/csm/staff/csm-anna', { token: lead, body: { name: 'Anna Keller', email: 'csm-anna@example.com', languages: ['de', 'en'], capacity: 50, lead: true } });
  expect(staff.status).toBe(200);
  // Lost & Found contracts are active from the sign-up: with no minimum age each customer is sent this quarter's survey.
  expect((await api.call('PUT', '/surveys/settings', { token: lead, body: { minContractDays: 0 } })).status).toBe(200);
  for (const run of RUNS) {
    await signUp(run.tenant, { product: 'lost-and-found', companyName: run.company, contactEmail: `${run.tenant}@example.com`, language: run.code, amazonSellerId: 'A2FEEDBACK0001' });
  }
  await signUp('web-fb-phone', { product: 'lost-and-found', companyName: 'Handy Handel GmbH', contactEmail: 'web-fb-phone@example.com', language: 'de', amazonSellerId: 'A2FEEDBACK0001' });
  // A Repricer customer with its seller authorised: the profile analysis gives a recommendation with reasons.
  await signUp('web-fb-reasons', { product: 'repricer', companyName: 'Gründe GmbH', language: 'de', amazonSellerId: 'A2REASONS00001', marketplaces: ['DE'] });
  await connectAmazon(api, 'web-fb-reasons', 'A2REASONS00001');
  const now = api.stack.clock.now();
  quarter = quarterOf(now, SURVEY_SCHEDULE.timeZone);
  const campaign = await invoke<Record<string, unknown>>(api.stack.handlers, 'surveyCampaign', { schedule: SURVEY_SCHEDULE.name, scheduledTime: now.toISOString() });
  expect(campaign).toMatchObject({ quarter, created: 3 });
  browser = await launchChromium();
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await browser?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await api?.stack.stop();
});

async function openAccount(context: BrowserContextOptions, tenant: string): Promise<{ page: Page; problems: string[] }> {
  const opened = await openPage(browser, `${api.stack.url}/`, context);
  await signIn(opened.page, 'customer', tenant);
  await opened.page.waitForSelector('#tabs a[data-tab="account"]');
  await opened.page.click('#tabs a[data-tab="account"]');
  await opened.page.waitForSelector('#feedback-section');
  return opened;
}

const overflow = (page: Page): Promise<number> => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');

describe('the customer answers the survey and follows their support requests', () => {
  for (const run of RUNS) {
    it(`answers the quarterly survey and reads every support request with its state (${run.code})`, async () => {
      // One request taken on the hotline before the customer ever opened the page.
      const hotline = await api.call('POST', '/support/hotline', { token: lead, body: { customerId: run.tenant, subject: 'Invoice question', message: 'Asked about the invoice on the phone' } });
      expect(hotline.status).toBe(201);
      await api.stack.advanceClock(60_000);
      const { page, problems } = await openAccount(run.context, run.tenant);

      // The survey: open, with its deadline; the page asks for a number before sending anything.
      const survey = page.locator('#surveys .survey[data-status="open"]');
      await survey.waitFor();
      expect(await survey.locator('h3').textContent()).toMatch(run.words.surveyTitle);
      expect(await axeViolations(page)).toEqual([]);
      await survey.locator('button[type="submit"]').click();
      expect(await survey.locator('[role="alert"]').textContent()).toBe(run.words.pickScore);
      await survey.locator('input[type="radio"][value="9"]').check();
      await survey.locator('textarea').fill(`Clear claim overview (${run.code})`);
      await survey.locator('input[type="checkbox"]').check();
      await survey.locator('button[type="submit"]').click();
      const answered = page.locator('#surveys .survey[data-status="answered"]');
      await answered.waitFor();
      expect(await answered.locator('.ok').textContent()).toMatch(run.words.thanks);
      expect(await answered.locator('.survey-answer').textContent()).toBe(run.words.answer);
      // Stored where the CSM's survey results read: with the comment, in the customer's language.
      const results = (await api.call('GET', `/surveys/results/${quarter}`, { token: lead })).body as { byLanguage: Record<string, { responses: number }>; improvements: string[] };
      expect(results.byLanguage[run.code]?.responses).toBe(1);
      expect(results.improvements).toContain(`Clear claim overview (${run.code})`);

      // Support requests: the hotline one is listed; one sent from the page comes first, open.
      expect(await page.textContent('#support-requests tbody tr:first-child')).toContain(run.words.hotline);
      await page.fill('#support-subject', `Question ${run.code}`);
      await page.fill('#support-message', 'How do I add a second marketplace to my audit?');
      await page.click('#support-form button[type="submit"]');
      await page.waitForSelector('#support-result .ok, #support-result [role="alert"]', { timeout: 90_000 });
      const newest = page.locator('#support-requests tbody tr').first();
      expect(await newest.textContent()).toContain(`Question ${run.code}`);
      expect(await newest.textContent()).toContain(run.words.form);
      expect(await newest.getAttribute('data-status')).toBe('open');
      expect(await newest.textContent()).toContain(run.words.open);
      expect(await page.locator('#support-requests tbody tr').count()).toBe(2);

      // The manager resolves the hotline request: the page shows it when the customer opens the page again.
      expect((await api.call('PATCH', `/support/requests/${hotline.body.requestId as string}`, { token: lead, body: { status: 'resolved' } })).status).toBe(200);
      await page.click('#tabs a[data-tab="account"]');
      const resolved = page.locator(`#support-requests tbody tr[data-request="${hotline.body.requestId as string}"][data-status="resolved"]`);
      await resolved.waitFor();
      expect(await resolved.getAttribute('data-status')).toBe('resolved');
      expect(await resolved.textContent()).toContain(run.words.resolved);
      expect(await page.locator('#surveys .survey[data-status="answered"]').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `customer-feedback-${run.code}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }

  it('words the recommendation reasons in the page language (German), not the server’s English', async () => {
    const token = await api.token('customer', 'web-fb-reasons');
    const onboarding = await api.eventually(async () => (await api.call('GET', '/customers/web-fb-reasons/onboarding', { token })).body, (b) => b.recommendation !== null);
    const english = onboarding.recommendation.reasons as string[];
    const { page, problems } = await openPage(browser, `${api.stack.url}/`, RUNS[1].context);
    await signIn(page, 'customer', 'web-fb-reasons');
    await page.waitForSelector('#recommendation-reasons li');
    const worded = await page.locator('#recommendation-reasons li').allTextContents();
    expect(worded).toHaveLength(english.length);
    for (const [i, text] of worded.entries()) {
      expect(text).not.toBe(english[i]);
      expect(text).toMatch(/Konto|Katalog|Eigenmarken|Fremdmarken|Angebote/);
    }
    expect(await page.textContent('#recommendation')).not.toMatch(/private-label|merchandise\b/);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('fits the survey form and the request list into a phone’s 390 px', async () => {
    const { page, problems } = await openAccount({ ...RUNS[1].context, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, 'web-fb-phone');
    await page.waitForSelector('#surveys .survey[data-status="open"]');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#feedback-section').screenshot({ path: join(SCREENSHOTS, 'customer-feedback-phone-de.png') });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('the CSM console in the AWS configuration (no live feed: polling)', () => {
  it('sees a new sign-up appear by polling GET /csm/notifications, and never asks for a server-sent event stream', async () => {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    // config.json as deployed names no `liveFeed` (infra/constructs/web-app.ts); sign-in stays the dev login, since no
    // Hosted UI runs locally. The local SSE routes are refused, as API Gateway has none.
    await page.route('**/config.json', (route) => route.fulfill({ json: { apiBase: '', auth: { kind: 'dev' } } }));
    const streamRequests: string[] = [];
    await page.route('**/_local/csm/events**', async (route) => {
      streamRequests.push(route.request().url());
      await route.abort();
    });
    const feedPolls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/csm/notifications') feedPolls.push(request.url());
    });
    // The page's timers on a clock the test moves: the 30-second poll without waiting 30 seconds.
    await page.clock.install();
    await page.goto(`${api.stack.url}/`);
    await signIn(page, 'csm', 'csm-anna');
    await page.waitForSelector('#live-status:has-text("New notifications are fetched every 30 seconds.")');
    await page.waitForSelector('#feed');
    const company = 'Polling Freight Ltd';
    expect(await page.locator('#feed tr', { hasText: company }).count()).toBe(0);
    const pollsBefore = feedPolls.length;

    await signUp('web-fb-poll', { companyName: company, language: 'en', amazonSellerId: 'A2POLLING00001', marketplaces: ['DE'] });
    const anna = await api.token('csm', 'csm-anna');
    await api.eventually(async () => (await api.call('GET', '/csm/notifications?limit=50', { token: anna })).body.items as { companyName: string }[], (items) => items.some((n) => n.companyName === company));
    // Nothing is pushed to the page: it shows the sign-up only once its poll has run.
    expect(await page.locator('#feed tr', { hasText: company }).count()).toBe(0);
    await page.clock.fastForward(31_000);
    const row = page.locator('#feed tbody tr', { hasText: `New Repricer sign-up: ${company}` });
    await row.waitFor();
    expect(feedPolls.length).toBeGreaterThan(pollsBefore);
    expect(streamRequests).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
