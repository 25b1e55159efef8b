import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { connectAmazon } from '../support/amazon.ts';
import { axeViolations, launchChromium, openPage, requireChromium, SCREENSHOTS, signIn } from '../support/browser.ts';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';

/**
 * The CSM console acting for a customer (issue 19, item 3), as `csm-anna` in a real browser: she completes a
 * welcome call with its needs assessment (a refused one first, shown at its field); in the appointment calendar she
 * tries a slot the customer has just taken (refused in words), books one for the customer, moves it and cancels it;
 * in the customer 360 she sees the Repricer and Lost & Found health from the staff routes, adjusts an offer's
 * strategy, and finds the completed welcome call with its outcome in the history of contacts, the needs assessment,
 * and every action in the staff-action log. In English and in German, axe-core clean, CSP clean, on a phone too.
 */
let api: Api;
let browser: Browser;

const DE = 'A1PA6795UKMFR9';
const offer = (sku: string, asin: string) => ({ sku, asin, marketplaceId: DE, audience: 'B2C', strategy: 'buybox', min: '8.00', max: '15.00', currency: 'EUR', step: '0.05' });

/** A working day at least two days ahead (YYYY-MM-DD): its slots are bookable whatever the hour now. */
function workingDayAhead(): string {
  const d = new Date(api.stack.clock.now().getTime() + 2 * 86_400_000);
  while ([0, 6].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const runs = [
  {
    language: 'en',
    context: { locale: 'en-GB', timezoneId: 'Europe/London', viewport: { width: 1280, height: 900 } },
    tenant: 'csm-cal-en',
    company: 'Harbour Kitchen Ltd',
    seller: 'A2HARBOURCAL01',
    words: {
      choose: 'Please choose one.', done: 'Done: Welcome call with Harbour Kitchen Ltd.', taken: 'This slot has just been taken by someone else.', booked: 'Booked for Harbour Kitchen Ltd',
      moved: 'Moved for Harbour Kitchen Ltd', cancelled: 'Cancelled for Harbour Kitchen Ltd', heading: 'Customer 360: Harbour Kitchen Ltd', zone: /GMT/, strategyDone: 'set to Push sales: 1 offers changed',
      push: 'Set the strategy of', bookedAction: 'Booked the onboarding appointment', movedAction: 'Moved the onboarding appointment', cancelledAction: 'Cancelled the onboarding appointment',
      assessment: 'needs assessment recorded', noClaims: 'No Lost & Found claims yet.', buyBox: 'Buy Box share', welcome: 'Welcome call',
    },
  },
  {
    language: 'de',
    context: { locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 900 } },
    tenant: 'csm-cal-de',
    company: 'Küchenhaus Berg GmbH',
    seller: 'A2KUECHENCAL01',
    words: {
      choose: 'Bitte eine Auswahl treffen.', done: 'Erledigt: Begrüßungsanruf mit Küchenhaus Berg GmbH.', taken: 'Diese Zeit wurde gerade von jemand anderem gebucht.', booked: 'Für Küchenhaus Berg GmbH gebucht',
      moved: 'Für Küchenhaus Berg GmbH verschoben', cancelled: 'Für Küchenhaus Berg GmbH abgesagt', heading: 'Kunde 360: Küchenhaus Berg GmbH', zone: /MEZ/, strategyDone: 'auf Absatz steigern gesetzt: 1 Angebote geändert',
      push: 'Strategie von', bookedAction: 'Einführungstermin am', movedAction: 'Einführungstermin von', cancelledAction: 'abgesagt',
      assessment: 'Bedarfsanalyse erfasst', noClaims: 'Noch keine Lost-&-Found-Ansprüche.', buyBox: 'Buy-Box-Anteil', welcome: 'Begrüßungsanruf',
    },
  },
] as const;

beforeAll(async () => {
  requireChromium();
  api = await startApi();
  // Anna is the only manager (and a lead): every customer here is hers; her working hours are in Berlin.
  const lead = await api.token('csm-lead', 'csm-anna');
  const staff = await api.call('PUT', '/csm/staff/csm-anna', { token: lead, body: { name: 'Anna Keller', email: 'csm-anna@example.com', languages: ['de', 'en', 'fr'], capacity: 50, lead: true, timeZone: 'Europe/Berlin' } });
  expect(staff.status, JSON.stringify(staff.body)).toBe(200);
  for (const run of runs) {
    // A Repricer customer with two offers on Amazon.de, who also signed up for Lost & Found.
    const customer = await api.token('customer', run.tenant);
    const signUp = exampleSignup({ companyName: run.company, language: run.language, amazonSellerId: run.seller, marketplaces: ['DE'] });
    expect((await api.call('POST', '/signups', { token: customer, body: signUp })).status).toBe(201);
    expect((await api.call('POST', '/signups', { token: customer, body: { ...signUp, product: 'lost-and-found' } })).status).toBe(201);
    await api.eventually(async () => (await api.call('GET', `/customers/${run.tenant}`, { token: lead })).body, (c) => c.csmId === 'csm-anna');
    await api.eventually(async () => (await api.call('GET', `/customers/${run.tenant}/tasks`, { token: lead })).body.items as ResponseBody[], (tasks) => tasks.some((t) => t.kind === 'welcome-call'));
    await connectAmazon(api, run.tenant, run.seller);
    // Another customer of Anna's, who books one of her slots from its own app while she is about to.
    const other = await api.token('customer', `${run.tenant}-other`);
    expect((await api.call('POST', '/signups', { token: other, body: exampleSignup({ companyName: `${run.company} (other)`, language: run.language, amazonSellerId: `${run.seller.slice(0, 12)}99` }) })).status).toBe(201);
    await api.eventually(async () => (await api.call('GET', `/customers/${run.tenant}-other`, { token: lead })).body, (c) => c.csmId === 'csm-anna');
    const rules = await api.call('PUT', '/repricer/rules', { token: customer, body: { sellerId: run.seller, offers: [offer(`${run.seller}-SKU-1`, 'B0CALENDAR1'), offer(`${run.seller}-SKU-2`, 'B0CALENDAR2')] } });
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
  }
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
  await opened.page.waitForSelector('#tasks-section');
  return opened;
}

describe('the CSM console acting for a customer, in a real browser, as csm-anna', () => {
  for (const run of runs) {
    it(`completes a welcome call with its needs assessment, books, moves and cancels an appointment, adjusts a strategy and reads it all in the 360 (${run.language})`, async () => {
      const { page, problems } = await openConsole(run.context);
      const anna = await api.token('csm', 'csm-anna');

      // A welcome call (one per product signed up for), with the structured needs assessment: without a chosen
      // strategy the server refuses it.
      const task = page.locator('#tasks tbody tr[data-kind="welcome-call"]', { hasText: run.company }).first();
      await task.locator('button[data-action="start"]').click();
      await page.locator('#tasks tbody tr[data-kind="welcome-call"][data-status="in-progress"]', { hasText: run.company }).locator('button[data-action="complete"]').click();
      await page.waitForSelector('#outcome-form #needs-assessment');
      await page.fill('#outcome-notes', 'Set-up done; wants the Buy Box on the bestsellers.');
      await page.check('#na-discussed');
      await page.fill('#na-goals', 'Win the Buy Box on bestsellers\nClear old stock');
      await page.fill('#na-skus', '120');
      await page.fill('#na-categories', 'Kitchen, Garden');
      await page.check('#na-marketplace-DE');
      await page.fill('#na-pain-points', 'Manual repricing every morning');
      await page.click('#outcome-submit');
      await page.waitForSelector('#na-strategy-error');
      expect(await page.textContent('#na-strategy-error')).toBe(run.words.choose);
      expect(await page.getAttribute('#na-strategy', 'aria-invalid')).toBe('true');
      expect(await axeViolations(page)).toEqual([]);
      await page.selectOption('#na-strategy', 'buybox');
      await page.click('#outcome-submit');
      await page.waitForSelector(`#task-done:has-text("${run.words.done}")`);
      const stored = (await api.call('GET', `/customers/${run.tenant}`, { token: anna })).body;
      expect(stored.needsAssessment).toMatchObject({ goals: ['Win the Buy Box on bestsellers', 'Clear old stock'], catalogue: { skus: 120, categories: ['Kitchen', 'Garden'] }, marketplaces: ['DE'], chosenStrategy: 'buybox' });

      // The calendar: the customer's appointments and the free slots of their manager on a working day.
      await page.click('button[data-view="calendar"]');
      await page.fill('#booking-customer', run.tenant);
      await page.fill('#booking-date', workingDayAhead());
      await page.click('#booking-form button[type="submit"]');
      await page.waitForSelector('#free-slots button');
      expect(await page.textContent('#free-slots-zone')).toContain('Europe/Berlin');
      expect(await page.textContent('#free-slots-zone')).toContain(run.context.timezoneId);
      expect(await page.locator('#free-slots button').first().textContent()).toMatch(run.words.zone);
      const slots = await page.locator('#free-slots button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-slot') ?? ''));
      expect(slots.length).toBeGreaterThanOrEqual(3);
      const [taken, first, second] = slots as [string, string, string];

      // Another customer books a slot from its own app meanwhile: the console's click on it is refused, in words.
      const own = await api.call('POST', '/appointments', { token: await api.token('customer', `${run.tenant}-other`), body: { start: taken } });
      expect(own.status, JSON.stringify(own.body)).toBe(201);
      await page.click(`#free-slots button[data-slot="${taken}"]`);
      await page.waitForSelector('#booking-errors [role="alert"]');
      expect(await page.textContent('#booking-errors')).toContain(run.words.taken);

      // Book another for the customer, move it, cancel it.
      await page.click(`#free-slots button[data-slot="${first}"]`);
      await page.waitForSelector(`#booking-status:has-text("${run.words.booked}")`);
      expect(await page.locator(`#customer-appointments tr[data-start="${first}"][data-status="booked"]`).count()).toBe(1);
      expect(await page.locator(`#free-slots button[data-slot="${first}"]`).count()).toBe(0);
      await page.click(`#customer-appointments tr[data-start="${first}"] button[data-action="move"]`);
      await page.waitForSelector('#moving-note');
      await page.click(`#free-slots button[data-slot="${second}"]`);
      await page.waitForSelector(`#booking-status:has-text("${run.words.moved}")`);
      expect(await page.getAttribute(`#customer-appointments tr[data-start="${first}"]`, 'data-status')).toBe('rescheduled');
      expect(await page.getAttribute(`#customer-appointments tr[data-start="${second}"]`, 'data-status')).toBe('booked');
      await page.click(`#customer-appointments tr[data-start="${second}"] button[data-action="cancel"]`);
      await page.click(`#customer-appointments tr[data-start="${second}"] button[data-action="confirm-cancel"]`);
      await page.waitForSelector(`#booking-status:has-text("${run.words.cancelled}")`);
      expect(await page.getAttribute(`#customer-appointments tr[data-start="${second}"]`, 'data-status')).toBe('cancelled');
      // The other customer's booking is in her calendar (her task), in her zone with the zone named; the cancelled one is not.
      await page.waitForSelector(`#calendar li:has-text("${run.company} (other)")`);
      expect(await page.locator(`#calendar li[data-start="${second}"]`).count()).toBe(0);
      expect(await page.textContent('#calendar')).toMatch(run.words.zone);
      const view = (await api.call('GET', `/customers/${run.tenant}/onboarding`, { token: anna })).body.appointments as ResponseBody[];
      expect(view.map((a) => [a.start, a.status])).toEqual([[first, 'rescheduled'], [second, 'cancelled']].sort((a, b) => a[0]!.localeCompare(b[0]!)));
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `csm-calendar-${run.language}.png`), fullPage: true });

      // The customer 360: health from the staff routes, the strategy adjusted in the consultation.
      await page.fill('#customer-lookup', run.tenant);
      await page.click('#customer-lookup-form button[type="submit"]');
      await page.waitForSelector(`#customer-360-heading:has-text("${run.words.heading}")`);
      expect(await page.textContent('#c360-repricer-figures [data-figure="offers"]')).toBe('2');
      expect(await page.textContent('#c360-repricer-figures')).toContain(run.words.buyBox);
      expect(await page.textContent('#c360-lost-and-found-figures')).toBe(run.words.noClaims);
      const sku = `${run.seller}-SKU-1`;
      await page.selectOption(`#strategy-table tr[data-sku="${sku}"] select`, 'push');
      await page.fill(`#strategy-table tr[data-sku="${sku}"] input`, 'clearing old stock');
      await page.click(`#strategy-table tr[data-sku="${sku}"] button[data-action="apply-strategy"]`);
      await page.waitForSelector(`#c360-message:has-text("${run.words.strategyDone}")`);
      const offers = (await api.call('GET', '/repricer/offers', { token: await api.token('customer', run.tenant) })).body.items as ResponseBody[];
      expect(offers.map((o) => [o.sku, o.rules.strategy]).sort()).toEqual([[sku, 'push'], [`${run.seller}-SKU-2`, 'buybox']]);

      // The history of contacts has the completed welcome call with its outcome; the assessment and the log are there.
      const welcome = page.locator('#c360-history-table tr[data-kind="welcome-call"][data-status="done"]');
      expect(await welcome.textContent()).toContain(run.words.welcome);
      expect(await welcome.textContent()).toContain(run.words.assessment);
      expect(await welcome.textContent()).toContain('Set-up done');
      expect(await page.textContent('#c360-needs')).toContain('Win the Buy Box on bestsellers; Clear old stock');
      expect(await page.textContent('#c360-needs')).toContain('Manual repricing every morning');
      const log = (await page.textContent('#c360-staff-actions-table')) ?? '';
      for (const words of [run.words.push, run.words.bookedAction, run.words.movedAction, run.words.cancelledAction]) expect(log).toContain(words);
      expect(log).toContain('clearing old stock');
      expect(await page.textContent('#c360-appointments')).toMatch(run.words.zone);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `csm-customer-360-actions-${run.language}.png`), fullPage: true });

      // The browser logs every answer >= 400: here the refused assessment (400) and the slot taken (409), nothing else.
      expect(problems.filter((p) => !/status of (400|409) /.test(p))).toEqual([]);
      expect(problems).toHaveLength(2);
      await page.context().close();
    });
  }

  it('fits a phone: the calendar and the 360 stay within the screen', async () => {
    const { page, problems } = await openConsole({ locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.click('button[data-view="calendar"]');
    await page.fill('#booking-customer', runs[1].tenant);
    await page.fill('#booking-date', workingDayAhead());
    await page.click('#booking-form button[type="submit"]');
    await page.waitForSelector('#free-slots, #free-slots-empty');
    const overflow = (): Promise<number> => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'csm-calendar-phone-de.png'), fullPage: false });
    await page.fill('#customer-lookup', runs[1].tenant);
    await page.click('#customer-lookup-form button[type="submit"]');
    await page.waitForSelector('#customer-360-heading');
    await page.waitForSelector('#strategy-table');
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
