/**
 * What every browser test needs around the page under test: Debian's chromium (installed by .ci/run), a fresh
 * context per page that collects CSP violations and script errors, the local stack's dev sign-in, and axe-core run
 * inside the page. One copy, so the browser tests differ only in the flows they walk.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's chromium (.ci/run installs it). Without it, locally, a browser test cannot run. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
/** Screenshots go to bench/out (ignored); `UPDATE_SCREENSHOTS=1` writes the ones committed in docs/screenshots. */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'bench', 'out');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Fails first, with the fix, when the browser is missing; makes the screenshot folder. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (as .ci/run does)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page in a fresh context (own sessionStorage) at `url`, collecting CSP violations and script errors. */
export async function openPage(browser: Browser, url: string, options: BrowserContextOptions): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, problems };
}

/** The local stack's dev sign-in form. */
export async function signIn(page: Page, role: 'customer' | 'csm' | 'csm-lead', id: string): Promise<void> {
  await page.selectOption('#dev-role', role);
  await page.fill('#dev-id', id);
  await page.click('#dev-login button[type="submit"]');
}

/** axe-core in the page: the violations of WCAG 2 A/AA rules, as "rule: targets". */
export async function axeViolations(page: Page): Promise<string[]> {
  // Through the debugger protocol: the page's own CSP (rightly) refuses an injected inline script.
  await page.evaluate(AXE_SOURCE);
  // (Browser code as a string: this file is type-checked for Node, without the DOM library.)
  const violations: string[] = await page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((result) => result.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  return violations;
}
