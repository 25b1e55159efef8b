/**
 * The sellerops web app: reads /config.json (dev login locally, Cognito Hosted UI in AWS), signs the user in,
 * then shows the customer's products (Repricer, Lost & Found) or the CSM console, in English or German, with
 * times in the user's zone. A failed call shows the API's error where the data would be, never zeros.
 */
import '../app.css';
import { api, ApiError, configureApi } from './api.ts';
import { byId, el } from './dom.ts';
import { LANGUAGES, preferredLanguage, setLanguage, t, type AppLanguage } from './i18n.ts';
import { userTimeZone } from './format.ts';
import { cognitoSession, devSession, signedInAs, type AppConfig, type DevRole, type SignedIn } from './session.ts';
import { errorBox, messageOf, section } from './views/common.ts';
import { renderAccount } from './views/account.ts';
import { renderCsm } from './views/csm.ts';
import { renderLostAndFound } from './views/lost-and-found.ts';
import { renderRepricer } from './views/repricer.ts';
import { renderSignup } from './views/signup.ts';
import { mountAnnouncements } from './views/announcements.ts';
import { loadStaffDirectory, staffName } from './staff-directory.ts';

const LANGUAGE_KEY = 'sellerops-language';
type Tab = 'repricer' | 'lost-and-found' | 'account' | 'csm';

let redraw: () => Promise<void> = async () => undefined;

function applyStaticTexts(language: AppLanguage): void {
  document.documentElement.lang = language;
  const skip = document.querySelector('.skip');
  if (skip) skip.textContent = t('app.skip');
  byId('lang-label').textContent = t('app.language');
  byId('signout').textContent = t('app.signOut');
  byId('tabs').setAttribute('aria-label', t('app.sections'));
  byId('zone').textContent = t('app.zone', { zone: userTimeZone() });
}

function main(): HTMLElement {
  return byId('main');
}

async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/config.json');
  if (!response.ok) throw new Error(`/config.json: HTTP ${response.status}`);
  return (await response.json()) as AppConfig;
}

const DEV_ROLES: readonly DevRole[] = ['customer', 'csm', 'csm-lead'];

function devSignInForm(signIn: (role: DevRole, id: string) => Promise<void>, failure: unknown): HTMLElement {
  const role = el(
    'select',
    { id: 'dev-role' },
    el('option', { value: 'customer', text: t('signin.roleCustomer') }),
    el('option', { value: 'csm', text: t('signin.roleCsm') }),
    // A lead's token (Cognito groups csm + csm-lead): acts for every customer, not only their own (issue 20).
    el('option', { value: 'csm-lead', text: t('signin.roleCsmLead') }),
  );
  const id = el('input', { id: 'dev-id', value: 'demo-repricer', autocomplete: 'username', required: true });
  const form = el(
    'form',
    { id: 'dev-login', class: 'login' },
    el('p', { class: 'muted', text: t('signin.devIntro') }),
    el('label', { for: 'dev-role', text: t('signin.role') }),
    role,
    el('label', { for: 'dev-id', text: t('signin.id') }),
    id,
    el('button', { type: 'submit', text: t('signin.submit') }),
  );
  const error = el('div', { id: 'login-error' }, ...(failure === undefined ? [] : [errorBox(failure)]));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    signIn(DEV_ROLES.find((r) => r === role.value) ?? 'customer', id.value.trim()).catch((e: unknown) => error.replaceChildren(errorBox(e)));
  });
  return section('login', t('signin.title'), form, error);
}

function tabs(available: readonly Tab[], current: Tab, choose: (tab: Tab) => void): void {
  const names: Record<Tab, string> = { repricer: t('tab.repricer'), 'lost-and-found': t('tab.lostFound'), account: t('tab.account'), csm: t('tab.csm') };
  byId('tabs').replaceChildren(
    ...available.map((tab) => {
      const link = el('a', { href: `#${tab}`, 'data-tab': tab, 'aria-current': tab === current ? 'page' : undefined, text: names[tab] });
      link.addEventListener('click', (event) => {
        event.preventDefault();
        history.replaceState(null, '', `#${tab}`);
        choose(tab);
      });
      return link;
    }),
  );
}

async function showCustomer(who: SignedIn): Promise<void> {
  const tenantId = who.tenantId ?? '';
  // The tenant id until the customer record names the company.
  let companyName = tenantId;
  byId('who').textContent = t('who.customer', { name: companyName });
  let products: Tab[];
  try {
    const customer = await api<{ companyName: string; contracts: { product: string; status: string }[] }>(`/customers/${encodeURIComponent(tenantId)}`);
    companyName = customer.companyName;
    products = [...(['repricer', 'lost-and-found'] as const).filter((p) => customer.contracts.some((c) => c.product === p && c.status !== 'cancelled')), 'account'];
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    // A mistyped tenant is an error, not an empty dashboard; a new one signs up here (and then sees its page).
    redraw = async () => {
      byId('who').textContent = t('who.customer', { name: companyName });
      main().replaceChildren(errorBox(new Error(t('error.noCustomer', { tenant: tenantId }))), renderSignup(tenantId, () => void run(() => showCustomer(who))));
    };
    byId('tabs').replaceChildren();
    return redraw();
  }
  const fromHash = products.find((p) => `#${p}` === location.hash);
  let current: Tab = fromHash ?? products[0]!;
  const show = async (tab: Tab): Promise<void> => {
    current = tab;
    // Drawn with the view: a language switch redraws the header's words too.
    byId('who').textContent = t('who.customer', { name: companyName });
    tabs(products, tab, (next) => void run(() => show(next)));
    main().replaceChildren(el('p', { text: t('app.loading') }));
    if (tab === 'repricer') await renderRepricer(main(), tenantId);
    else if (tab === 'account') await renderAccount(main(), tenantId);
    else await renderLostAndFound(main());
    await mountAnnouncements(main());
  };
  redraw = () => show(current);
  await show(current);
}

async function showCsm(who: SignedIn, liveFeed: 'sse' | 'poll'): Promise<void> {
  // The directory names the signed-in manager, and every manager the console mentions.
  await loadStaffDirectory();
  redraw = async () => {
    byId('who').textContent = t('who.csm', { name: staffName(who.staffId ?? '') });
    tabs(['csm'], 'csm', () => undefined);
    await renderCsm(main(), { liveFeed, me: who.staffId ?? '' });
  };
  await redraw();
}

/** Runs a view; its failure replaces the view with the error. */
async function run(view: () => Promise<void>): Promise<void> {
  try {
    await view();
  } catch (error) {
    main().replaceChildren(errorBox(error));
  }
}

async function start(): Promise<void> {
  const language = preferredLanguage(localStorage.getItem(LANGUAGE_KEY), navigator.languages);
  setLanguage(language);
  applyStaticTexts(language);
  const select = byId('lang') as HTMLSelectElement;
  select.value = language;

  let config: AppConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    main().replaceChildren(errorBox(error));
    return;
  }
  const dev = config.auth.kind === 'dev' ? devSession() : null;
  const cognito = config.auth.kind === 'cognito' ? cognitoSession(config.auth) : null;
  const token = async (): Promise<string | null> => (dev ? dev.token() : cognito ? cognito.idToken() : null);
  configureApi(config.apiBase, token);

  let signInFailure: unknown = undefined;
  if (cognito) {
    try {
      if (await cognito.completeSignIn(new URL(location.href))) history.replaceState(null, '', location.pathname);
    } catch (error) {
      signInFailure = new Error(t('signin.failed', { message: messageOf(error) }));
      history.replaceState(null, '', location.pathname);
    }
  }

  const render = async (): Promise<void> => {
    let who: SignedIn | null = null;
    try {
      who = signedInAs(await token());
    } catch (error) {
      signInFailure = error;
    }
    const signOut = byId('signout');
    signOut.hidden = who === null;
    if (!who) {
      byId('who').textContent = '';
      byId('tabs').replaceChildren();
      if (dev) {
        redraw = async () => {
          main().replaceChildren(
            devSignInForm(async (role, id) => {
              await dev.signIn(role, id);
              signInFailure = undefined;
              await render();
            }, signInFailure),
          );
        };
      } else if (cognito) {
        redraw = async () => {
          const button = el('button', { type: 'button', id: 'cognito-signin', text: t('signin.submit') });
          button.addEventListener('click', () => {
            void cognito.beginSignIn(select.value).then((url) => location.assign(url));
          });
          main().replaceChildren(
            section('login', t('signin.title'), el('p', { text: t('signin.cognito') }), button, ...(signInFailure === undefined ? [] : [errorBox(signInFailure)])),
          );
        };
      }
      await redraw();
      return;
    }
    await run(() => (who.role === 'csm' ? showCsm(who, config.liveFeed ?? 'poll') : showCustomer(who)));
  };

  byId('signout').addEventListener('click', () => {
    const logout = dev ? dev.signOut() : cognito ? cognito.signOut() : null;
    if (logout) location.assign(logout);
    else void render();
  });
  select.addEventListener('change', () => {
    const chosen = LANGUAGES.find((l) => l === select.value) ?? 'en';
    localStorage.setItem(LANGUAGE_KEY, chosen);
    setLanguage(chosen);
    applyStaticTexts(chosen);
    void run(() => redraw());
  });
  await render();
}

void start();
