/**
 * Issue 19's done-when, tried as a new user in a real browser by someone who did not write the views.
 *
 * The local stack is started as `npm start -- --clock 2025-06-30T09:00:00Z` starts it (the demo data it seeds, the
 * example reports' day), and everything a user does goes through what a user sees: roles, accessible names and
 * visible text, with the language switched through the page's own control. What the test does *around* the user is
 * the world's part: time passing (the stack's clock, as letting `npm start` run), another company signing up, the
 * other managers being away (so the new customer's welcome call is Anna's). Each journey runs in English and in
 * German, runs axe-core on its main screens and fits its main screen into a phone's 390 px.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { seedDemoData } from '../../local/demo-seed.ts';
import { onlyAtWork } from '../support/demo-staff.ts';
import { axeViolations, launchChromium, openPage, requireChromium } from '../support/browser.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const RULES_CSV = join(ROOT, 'examples', 'repricer', 'rules.csv');
const REPORTS_DIR = join(ROOT, 'examples', 'fba-reports');
const REPORT_FILES = readdirSync(REPORTS_DIR).filter((name) => name.includes('.')).sort();
const DROPPED_REPORT = 'inventory-ledger-part1.tsv';
/** The day of the example reports: their claims are still within their deadlines. */
const BUSINESS_START = new Date('2025-06-30T09:00:00Z');
const PHONE = { width: 390, height: 844 };

type Language = 'en' | 'de';

/** What a user reads and clicks, in each language. */
const WORDS = {
  en: {
    languageControl: 'Language',
    languageOption: 'English',
    role: 'Role',
    customerRole: 'Customer',
    staffRole: 'CSM staff',
    userId: 'Customer (tenant) or staff id',
    signIn: 'Sign in',
    zone: /CES?T/,
    priceHistory: (offer: string) => `Price history: ${offer}`,
    priceHistoryRegion: /^Price history of /,
    strategyFor: /^Strategy for /,
    pushSales: 'Push sales',
    targetUnits: 'Target units in 30 days',
    switchStrategy: 'Switch strategy',
    rulesFile: 'Rules file',
    upload: 'Upload',
    rulesRegion: 'Upload rules (CSV)',
    rowFive: /row 5\b/i,
    minAboveMax: /greater than/,
    priceBand: '€8.00 – €15.00',
    chooseReports: 'Choose report files',
    uploadsTable: 'Uploads',
    recognised: /^Recognised as /,
    unknownFile: /^Unknown file/,
    auditAsOf: 'Audit as of',
    runAudit: 'Run audit',
    auditDone: /Audit done: \d+ files read, .* \d+ claims found/,
    recovered: /Recovered\s*€0\.00/,
    feeOvercharged: 'Fee overcharged',
    found: 'Found',
    details: /^Details: /,
    copyCaseText: 'Copy case text',
    copied: /Copied/,
    caseId: 'Seller Support case id',
    saveCaseId: 'Save case id',
    caseIdDigits: /digits/i,
    filed: /status: Filed/,
    moneyInText: /€\d+\.\d\d/,
    minorUnits: /smallest currency unit/,
    newSignup: (company: string) => `New Repricer sign-up: ${company}`,
    start: (company: string) => new RegExp(`^Start: Welcome call – ${company}$`),
    recordOutcome: (company: string) => new RegExp(`^Record outcome: Welcome call – ${company}$`),
    notes: 'Notes',
    saveOutcome: 'Save outcome and complete',
    done: (company: string) => `Done: Welcome call with ${company}.`,
    myTasks: 'My tasks',
    open360: (company: string) => `Open the customer 360 of ${company}`,
    customer360: (company: string) => `Customer 360: ${company}`,
    trial: 'Trial',
    surveysTab: 'Surveys and root causes',
    surveyResults: 'Survey results',
    quarter: 'Quarter',
    businessQuarter: 'Q2 2025',
    npsTrend: 'NPS trend',
    consoleLink: 'Console',
    rawApiError: /body\.|HTTP \d{3}|expected number/,
  },
  de: {
    languageControl: 'Sprache',
    languageOption: 'Deutsch',
    role: 'Rolle',
    customerRole: 'Kunde',
    staffRole: 'CSM-Team',
    userId: 'Kunde (Mandant) oder Mitarbeiter-ID',
    signIn: 'Anmelden',
    zone: /MES?Z/,
    priceHistory: (offer: string) => `Preisverlauf: ${offer}`,
    priceHistoryRegion: /^Preisverlauf von /,
    strategyFor: /^Strategie für /,
    pushSales: 'Absatz steigern',
    targetUnits: 'Zielmenge in 30 Tagen',
    switchStrategy: 'Strategie wechseln',
    rulesFile: 'Regeldatei',
    upload: 'Hochladen',
    rulesRegion: 'Regeln hochladen (CSV)',
    rowFive: /Zeile 5\b/,
    minAboveMax: /größer als/,
    priceBand: '8,00 € – 15,00 €',
    chooseReports: 'Berichtsdateien auswählen',
    uploadsTable: 'Hochgeladene Dateien',
    recognised: /^Erkannt als /,
    unknownFile: /^Unbekannte Datei/,
    auditAsOf: 'Prüfung zum Stichtag',
    runAudit: 'Prüfung starten',
    auditDone: /Prüfung fertig: \d+ Dateien gelesen, .* \d+ Fälle gefunden/,
    recovered: /Zurückerhalten\s*0,00\s€/,
    feeOvercharged: 'Zu hohe Gebühr',
    found: 'Gefunden',
    details: /^Details: /,
    copyCaseText: 'Falltext kopieren',
    copied: /Kopiert/,
    caseId: 'Fallnummer des Verkäufersupports',
    saveCaseId: 'Fallnummer speichern',
    caseIdDigits: /Ziffern/,
    filed: /Status: Eingereicht/,
    moneyInText: /\d+,\d\d\s€/,
    minorUnits: /kleinste(n)? Währungseinheit|smallest currency unit/,
    newSignup: (company: string) => `Neue Repricer-Anmeldung: ${company}`,
    start: (company: string) => new RegExp(`^Beginnen: Begrüßungsanruf – ${company}$`),
    recordOutcome: (company: string) => new RegExp(`^Ergebnis erfassen: Begrüßungsanruf – ${company}$`),
    notes: 'Notizen',
    saveOutcome: 'Ergebnis speichern und abschließen',
    done: (company: string) => `Erledigt: Begrüßungsanruf mit ${company}.`,
    myTasks: 'Meine Aufgaben',
    open360: (company: string) => `Kundenansicht 360 von ${company} öffnen`,
    customer360: (company: string) => `Kunde 360: ${company}`,
    trial: 'Testphase',
    surveysTab: 'Umfragen und Ursachen',
    surveyResults: 'Umfrageergebnisse',
    quarter: 'Quartal',
    businessQuarter: '2. Quartal 2025',
    npsTrend: 'NPS-Verlauf',
    consoleLink: 'Konsole',
    rawApiError: /body\.|HTTP \d{3}|expected number/,
  },
} as const;

/** Waits for what the page shows with a generous limit: a loaded machine is slow, not wrong. */
function poll<T>(probe: () => T | Promise<T>, message?: string) {
  return expect.poll(probe, { timeout: 120_000, interval: 200, ...(message ? { message } : {}) });
}

/**
 * A demanding user's check (wording, locale, errors in words): polls up to 15 s (a loaded machine) for the pattern, then records a
 * soft failure with what the page showed, so one journey reports every such problem, not only the first.
 */
async function expectSoonSoft(label: string, probe: () => Promise<string>, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let seen = await probe();
  while (!pattern.test(seen) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    seen = await probe();
  }
  expect.soft(seen, label).toMatch(pattern);
}

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  requireChromium();
  stack = await startLocalStack({ port: 0, startAt: BUSINESS_START });
  await seedDemoData(stack);
  // Half an hour of the stack running: the simulated marketplace's ticks fill the offers' price history.
  for (let step = 0; step < 3; step++) await stack.advanceClock(10 * 60_000);
  // Every other manager is away today, so a new customer's welcome call is Anna's (the lead's own call, as a lead does).
  await onlyAtWork(stack, 'csm-anna');
  browser = await launchChromium();
});

afterAll(async () => {
  // Either may be missing when beforeAll failed half-way.
  await (browser as Browser | undefined)?.close();
  await (stack as LocalStack | undefined)?.stop();
});

/** A fresh browser (English, Berlin), the language chosen through the page's control, signed in through the form. */
async function signedIn(language: Language, role: 'customer' | 'csm', id: string): Promise<{ page: Page; problems: string[] }> {
  const opened = await openPage(browser, `${stack.url}/`, {
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const { page } = opened;
  const w = WORDS[language];
  if (language !== 'en') await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: w.languageOption });
  await page.getByRole('combobox', { name: w.role }).selectOption({ label: role === 'customer' ? w.customerRole : w.staffRole });
  await page.getByLabel(w.userId).fill(id);
  await page.getByRole('button', { name: w.signIn, exact: true }).click();
  await poll(() => page.getByRole('main').getByRole('heading').count()).toBeGreaterThan(0);
  return opened;
}

/** CSP violations and script errors; the browser's own line for a request the server refused (4xx) is the user's mistake, which the page shows. */
function scriptProblems(problems: readonly string[]): string[] {
  return problems.filter((p) => !/^Failed to load resource: the server responded with a status of 4\d\d/.test(p));
}

/** No WCAG A/AA violation on the screen as it is now. */
async function expectAxeClean(page: Page, screen: string): Promise<void> {
  expect.soft(await axeViolations(page), screen).toEqual([]);
}

/** At a phone's width the page does not scroll sideways (wide tables scroll inside their own box). */
async function expectFitsPhone(page: Page, screen: string): Promise<void> {
  await page.setViewportSize(PHONE);
  // (Browser code as strings: the tests are type-checked for Node, without the DOM library.)
  const overflow: number = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect.soft(overflow, `${screen}: horizontal overflow at ${PHONE.width} px`).toBeLessThanOrEqual(0);
}

/** Drops one file on the element as a user's drag from the desktop would. */
async function dropFile(page: Page, target: Locator, name: string, content: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(`(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([${JSON.stringify(content)}], ${JSON.stringify(name)}, { type: 'text/tab-separated-values' }));
    return transfer;
  })()`);
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
}

async function readReport(name: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(join(REPORTS_DIR, name), 'utf8');
}

describe.each(['en', 'de'] as const)('issue 19 done-when, as a new user (%s)', (language) => {
  const w = WORDS[language];

  it('demo-repricer: offers, a price-history chart, a rules CSV upload, a strategy switch', async () => {
    const { page, problems } = await signedIn(language, 'customer', 'demo-repricer');
    const offer = language === 'en' ? 'SKU-B0DEMO0000 DE B2C' : 'SKU-B0DEMO0001 FR B2C';

    // Offers, with money in the page's locale.
    const offerRows = page.getByRole('row').filter({ has: page.getByRole('button', { name: /:\s*SKU-/ }) });
    await poll(() => offerRows.count()).toBeGreaterThanOrEqual(24);
    await poll(() => page.getByRole('row').filter({ hasText: w.priceBand }).count()).toBeGreaterThan(0);

    // The offer's price-history chart: a drawn chart and a summary in words with times in a zone.
    await page.getByRole('button', { name: w.priceHistory(offer) }).click();
    const chartRegion = page.getByRole('region', { name: w.priceHistoryRegion });
    const chart = chartRegion.getByRole('figure');
    await poll(() => chart.count()).toBe(1);
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
    const summary = await chart.locator('figcaption').innerText();
    expect(summary).toMatch(w.zone);
    // The chart's accessible name is its summary, not the legend run into it.
    expect.soft(await chart.ariaSnapshot(), "the chart's accessible name").not.toMatch(/figure "(Buy Box ours|Buy Box bei uns) \d/);
    await expectAxeClean(page, 'Repricer with an open chart');

    // A strategy switch without its target is refused in words at the field, not as the API's path.
    await chartRegion.getByRole('combobox', { name: w.strategyFor }).selectOption({ label: w.pushSales });
    await chartRegion.getByRole('button', { name: w.switchStrategy }).click();
    const refusal = chartRegion.getByRole('alert');
    await poll(() => refusal.count()).toBeGreaterThan(0);
    const refusalText = await refusal.first().innerText();
    expect.soft(refusalText, 'the refusal names the field').toContain(w.targetUnits);
    expect.soft(refusalText, 'the refusal is in words, not the API path').not.toMatch(w.rawApiError);
    // With a target it switches, and the offer's row says so.
    await chartRegion.getByLabel(w.targetUnits).fill('50');
    await chartRegion.getByRole('button', { name: w.switchStrategy }).click();
    const offerRow = page.getByRole('row').filter({ has: page.getByRole('button', { name: w.priceHistory(offer), exact: true }) });
    await poll(() => offerRow.innerText()).toContain(w.pushSales);

    // The example rules file: its rows imported, row 5 (min > max) refused with the reason, in the page's language.
    const rules = page.getByRole('region', { name: w.rulesRegion });
    await rules.getByLabel(w.rulesFile).setInputFiles(RULES_CSV);
    await rules.getByRole('button', { name: w.upload, exact: true }).click();
    const rowErrors = rules.getByRole('listitem');
    await poll(() => rowErrors.count()).toBe(1);
    const rowError = await rowErrors.first().innerText();
    expect.soft(rowError, 'the refused row, in the page language').toMatch(w.rowFive);
    expect.soft(rowError, 'the reason, in the page language').toMatch(w.minAboveMax);
    expect.soft(rowError, 'the field named once').not.toMatch(/min: min:/);

    await expectFitsPhone(page, 'Repricer');
    expect(scriptProblems(problems)).toEqual([]);
  });

  it('demo-lostfound: upload the example reports, run an audit, open a claim, copy its case text, enter a case id', async () => {
    const { page, problems } = await signedIn(language, 'customer', 'demo-lostfound');

    // One report dragged onto the box, the others chosen; each gets its check in words.
    const chooser = page.getByLabel(w.chooseReports);
    await poll(() => chooser.count()).toBe(1);
    const dropBox = page.getByText(language === 'en' ? /^Drag the FBA report files/ : /^Ziehen Sie die FBA-Berichte/);
    await dropFile(page, dropBox, DROPPED_REPORT, await readReport(DROPPED_REPORT));
    await chooser.setInputFiles(REPORT_FILES.filter((name) => name !== DROPPED_REPORT).map((name) => join(REPORTS_DIR, name)));
    const uploads = page.getByRole('table', { name: w.uploadsTable });
    const result = (name: string) => uploads.getByRole('row').filter({ hasText: name }).getByRole('cell').last();
    for (const name of REPORT_FILES) {
      await poll(() => result(name).innerText(), name).toMatch(name === 'all-orders-report.txt' ? w.unknownFile : w.recognised);
    }
    await expectAxeClean(page, 'Lost & Found after the upload');

    // The audit for the reports' day, which is the stack's today (not the browser's), followed to its end.
    expect.soft(await page.getByLabel(w.auditAsOf).inputValue(), "the audit day defaults to the stack's today").toBe('2025-06-30');
    await page.getByLabel(w.auditAsOf).fill('2025-06-30');
    await page.getByRole('button', { name: w.runAudit }).click();
    await poll(() => page.getByRole('status').allInnerTexts().then((t) => t.join(' '))).toMatch(w.auditDone);
    // Money in the page's locale, zero amounts too.
    await expectSoonSoft('zero money in the locale', () => page.getByRole('region', { name: 'Lost & Found' }).innerText(), w.recovered);

    // A fee-overcharge claim: its evidence, with money in words, not minor units.
    const claimRow = page.getByRole('row').filter({ hasText: w.feeOvercharged }).filter({ has: page.getByRole('cell', { name: w.found, exact: true }) }).filter({ has: page.getByRole('button', { name: w.details }) });
    const claim = page.getByRole('region', { name: new RegExp(`^${w.feeOvercharged}: SKU-`) });
    // Opened once: the claims list is drawn again when the audit's last figures arrive, and the claim stays open.
    await claimRow.first().getByRole('button', { name: w.details }).click();
    await poll(() => claim.count()).toBe(1);
    const evidence = await claim.getByRole('table').innerText();
    expect.soft(evidence, 'evidence money in the locale').toMatch(w.moneyInText);
    expect.soft(evidence, 'evidence money not in minor units').not.toMatch(w.minorUnits);

    // Copy the case text: the clipboard holds what the page shows.
    await claim.getByRole('button', { name: w.copyCaseText }).click();
    await poll(() => claim.getByRole('status').innerText()).toMatch(w.copied);
    const clipboard: string = await page.evaluate('navigator.clipboard.readText()');
    expect(clipboard).toMatch(/^Subject: Reimbursement request - fee overcharge - SKU-/);
    expect(clipboard).toContain('Hello Seller Support');

    // A mistyped case id is refused in words that say what a case id is; a right one files the claim.
    await claim.getByLabel(w.caseId).fill('abc 12');
    await claim.getByRole('button', { name: w.saveCaseId }).click();
    await expectSoonSoft('a mistyped case id, said in words', () => claim.innerText(), w.caseIdDigits);
    const caseId = language === 'en' ? '12345678901' : '12345678902';
    await claim.getByLabel(w.caseId).fill(caseId);
    await claim.getByRole('button', { name: w.saveCaseId }).click();
    await poll(() => claim.innerText()).toMatch(w.filed);
    await poll(() => page.getByRole('row').filter({ hasText: caseId }).count()).toBeGreaterThan(0);
    await expectAxeClean(page, 'Lost & Found with an open claim');

    await expectFitsPhone(page, 'Lost & Found');
    expect(scriptProblems(problems)).toEqual([]);
  });

  it('csm-anna: a sign-up arrives live, its welcome call started and completed, the customer 360, the survey results', async () => {
    const { page, problems } = await signedIn(language, 'csm', 'csm-anna');
    const company = language === 'en' ? 'Acceptance Test Ltd' : 'Abnahmetest GmbH';
    const tenant = `acceptance-${language}`;
    await poll(() => page.getByRole('region', { name: w.myTasks }).count()).toBeGreaterThan(0);
    // The header names her (not her login id), and the section link is in the page's language.
    await expectSoonSoft('her name in the header', () => page.getByRole('banner').innerText(), /Anna Keller/);
    expect.soft(await page.getByRole('banner').getByRole('link').allInnerTexts(), 'the section link').toEqual([w.consoleLink]);
    await expectAxeClean(page, 'CSM feed and tasks');

    // The world: a company signs up while Anna looks at her console (no reload: the marker survives).
    await page.evaluate(`window.acceptanceMarker = 'no reload'`);
    const customerToken = await stack.auth.issue({ role: 'customer', tenantId: tenant });
    const signup = await fetch(`${stack.url}/signups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ product: 'repricer', companyName: company, contactEmail: `ops@${tenant}.example`, language: 'de', marketplaces: ['DE'], amazonSellerId: language === 'en' ? 'A2ACCEPTEN0001' : 'A2ACCEPTDE0001' }),
    });
    expect(signup.status, await signup.text()).toBe(201);
    await poll(() => page.getByRole('cell', { name: w.newSignup(company), exact: true }).count()).toBe(1);
    expect(await page.evaluate('window.acceptanceMarker')).toBe('no reload');
    const firstSeen = await page.getByRole('row').filter({ hasText: w.newSignup(company) }).getByRole('cell').first().innerText();
    expect(firstSeen).toMatch(w.zone);

    // Its welcome call: start it, refuse blank notes in words, then complete it.
    const start = page.getByRole('button', { name: w.start(company) });
    await poll(() => start.count()).toBe(1);
    await start.click();
    await page.getByRole('button', { name: w.recordOutcome(company) }).click();
    const outcome = page.getByRole('form', { name: new RegExp(company) });
    await outcome.getByRole('button', { name: w.saveOutcome }).click();
    await expectSoonSoft(
      'blank notes refused in words, in the page language',
      async () => (await outcome.getByRole('alert').allInnerTexts()).join(' '),
      new RegExp(`${w.notes}:`),
    );
    await outcome.getByLabel(w.notes, { exact: true }).fill(language === 'en' ? 'Walked through the Buy Box strategy.' : 'Buy-Box-Strategie erklärt.');
    await outcome.getByRole('button', { name: w.saveOutcome }).click();
    await poll(() => page.getByRole('region', { name: w.myTasks }).first().innerText()).toContain(w.done(company));
    expect(await start.count()).toBe(0);

    // The customer 360 from the customer's name in the feed.
    await page.getByRole('button', { name: w.open360(company) }).first().click();
    const profile = page.getByRole('region', { name: w.customer360(company) });
    await poll(() => profile.count()).toBe(1);
    await poll(() => page.getByRole('main').innerText()).toContain(w.trial);
    await expectAxeClean(page, 'CSM customer 360');

    // The survey results of the business quarter, and the NPS trend.
    await page.getByRole('button', { name: w.surveysTab }).click();
    const results = page.getByRole('region', { name: w.surveyResults });
    await poll(() => results.count()).toBe(1);
    expect.soft(await results.getByRole('combobox', { name: w.quarter }).inputValue(), "the quarter defaults to the stack's").toBe('2025-Q2');
    await results.getByRole('combobox', { name: w.quarter }).selectOption({ label: w.businessQuarter });
    await poll(() => results.getByRole('table').count()).toBeGreaterThan(0);
    await poll(() => page.getByRole('region', { name: w.npsTrend }).first().getByRole('img').count()).toBe(1);
    await expectAxeClean(page, 'CSM surveys');

    await page.getByRole('button', { name: language === 'en' ? 'Feed and tasks' : 'Meldungen und Aufgaben' }).click();
    await expectFitsPhone(page, 'CSM console');
    expect(scriptProblems(problems)).toEqual([]);
  });
});
