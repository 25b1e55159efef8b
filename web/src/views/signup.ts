/**
 * The sign-up form a signed-in tenant without a customer account sees: exactly the fields of `POST /signups`
 * (shared/api/schemas.ts); a refusal from the server is shown at the field it names, in words, and announced;
 * `409 already_signed_up` at the product. On success the caller shows the new customer's page.
 */
import { api, ApiError } from '../api.ts';
import { el } from '../dom.ts';
import { label, language, t, type MessageKey } from '../i18n.ts';
import { userTimeZone } from '../format.ts';
import { LANGUAGE_CODES } from '../../../shared/kernel/languages.ts';
import { MARKETPLACE_CODES } from '../../../shared/kernel/marketplaces.ts';
import { errorBox, section } from './common.ts';

type SignupField = 'product' | 'companyName' | 'contactEmail' | 'language' | 'marketplaces' | 'amazonSellerId' | 'timeZone' | 'ownBrands';

const PRODUCTS = [
  { value: 'repricer', text: 'tab.repricer' },
  { value: 'lost-and-found', text: 'tab.lostFound' },
] as const satisfies readonly { value: string; text: MessageKey }[];

/** The element a field's refusal is shown after (the marketplaces' refusal after their fieldset). */
const ELEMENT_IDS: Readonly<Record<SignupField, string>> = {
  product: 'signup-product',
  companyName: 'signup-company',
  contactEmail: 'signup-email',
  language: 'signup-language',
  marketplaces: 'signup-marketplaces',
  amazonSellerId: 'signup-seller',
  timeZone: 'signup-zone',
  ownBrands: 'signup-brands',
};

function isSignupField(name: string): name is SignupField {
  return Object.hasOwn(ELEMENT_IDS, name);
}

/**
 * The fields a refusal names, each with its words: the HTTP edge writes zod's issues as
 * `body.<field>[.<index>]: <message>` joined by `; ` (shared/adapters/http/http-handler.ts).
 */
export function signupRefusals(error: ApiError): { field: SignupField; words: string }[] {
  if (error.code === 'already_signed_up') return [{ field: 'product', words: '' }];
  const refusals: { field: SignupField; words: string }[] = [];
  for (const part of error.message.split('; ')) {
    const match = /^body\.(\w+)[\w.]*:\s*(.*)$/s.exec(part);
    const field = match?.[1] ?? '';
    if (match && isSignupField(field) && !refusals.some((r) => r.field === field)) refusals.push({ field, words: inWords(field, match[2] ?? '') });
  }
  return refusals;
}

/** The server's (English, zod) message in the user's words, where it is one of the usual ones. */
function inWords(field: SignupField, message: string): string {
  if (field === 'contactEmail') return t('signup.err.email');
  if (field === 'amazonSellerId') return t('signup.err.sellerId');
  if (field === 'timeZone') return t('signup.err.timeZone');
  if (field === 'marketplaces') return t('signup.err.marketplaces');
  if (/>=1|Required|received undefined/i.test(message)) return t('signup.err.required');
  if (/<=\d+/.test(message)) return t('signup.err.tooLong');
  return message;
}

function field(id: string, text: string, control: HTMLElement, hint?: string): HTMLElement {
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return el('div', { class: 'field' }, el('label', { for: id, text }), control, ...(hint ? [el('p', { class: 'hint muted', id: `${id}-hint`, text: hint })] : []));
}

export function renderSignup(tenantId: string, onSignedUp: () => void): HTMLElement {
  const product = el('select', { id: ELEMENT_IDS.product }, ...PRODUCTS.map((p) => el('option', { value: p.value, text: t(p.text) })));
  const company = el('input', { id: ELEMENT_IDS.companyName, autocomplete: 'organization', required: true });
  const email = el('input', { id: ELEMENT_IDS.contactEmail, type: 'email', autocomplete: 'email', required: true });
  const spoken = el('select', { id: ELEMENT_IDS.language }, ...LANGUAGE_CODES.map((code) => el('option', { value: code, text: label('language', code) })));
  spoken.value = language();
  const marketplaceBoxes = MARKETPLACE_CODES.map((code) => ({ code, input: el('input', { type: 'checkbox', id: `signup-marketplace-${code}`, value: code }) }));
  const marketplaces = el(
    'fieldset',
    { id: ELEMENT_IDS.marketplaces, class: 'marketplaces' },
    el('legend', { text: t('signup.marketplaces') }),
    ...marketplaceBoxes.map(({ code, input }) => el('div', { class: 'checkbox' }, input, el('label', { for: input.id, text: code }))),
  );
  const seller = el('input', { id: ELEMENT_IDS.amazonSellerId, autocomplete: 'off', required: true, spellcheck: 'false' });
  const zone = el('input', { id: ELEMENT_IDS.timeZone, value: userTimeZone(), autocomplete: 'off' });
  const brands = el('input', { id: ELEMENT_IDS.ownBrands, autocomplete: 'off' });
  const problems = el('div', { id: 'signup-problems' });
  const submit = el('button', { type: 'submit', id: 'signup-submit', text: t('signup.submit') });

  // novalidate: the browser's own bubble speaks the browser's language, not the page's; the server's refusal is
  // shown at its field in the page's words (`required` still marks the fields).
  const form = el(
    'form',
    { id: 'signup-form', class: 'stacked', novalidate: true, 'aria-labelledby': 'signup-heading' },
    problems,
    field(product.id, t('signup.product'), product),
    field(company.id, t('signup.companyName'), company),
    field(email.id, t('signup.contactEmail'), email),
    field(spoken.id, t('signup.language'), spoken),
    marketplaces,
    field(seller.id, t('signup.amazonSellerId'), seller, t('signup.amazonSellerIdHint')),
    field(zone.id, t('signup.timeZone'), zone),
    field(brands.id, t('signup.ownBrands'), brands, t('signup.ownBrandsHint')),
    submit,
  );

  const clearRefusals = (): void => {
    problems.replaceChildren();
    for (const note of form.querySelectorAll('.field-error')) note.remove();
    for (const node of form.querySelectorAll('[aria-invalid="true"]')) {
      node.removeAttribute('aria-invalid');
      const hint = form.querySelector(`#${node.id}-hint`);
      if (hint) node.setAttribute('aria-describedby', hint.id);
      else node.removeAttribute('aria-describedby');
    }
  };

  const showRefusals = (error: unknown): void => {
    const refusals = error instanceof ApiError ? signupRefusals(error) : [];
    if (refusals.length === 0) {
      problems.replaceChildren(errorBox(error));
      return;
    }
    const summary: string[] = [];
    for (const refusal of refusals) {
      const target = form.querySelector<HTMLElement>(`#${ELEMENT_IDS[refusal.field]}`);
      if (!target) continue;
      const words = refusal.field === 'product' && refusal.words === '' ? t('signup.err.alreadySignedUp', { product: product.selectedOptions[0]?.textContent ?? product.value }) : refusal.words;
      const note = el('p', { class: 'field-error', id: `${target.id}-error`, text: words });
      target.setAttribute('aria-invalid', 'true');
      const hint = form.querySelector(`#${target.id}-hint`);
      target.setAttribute('aria-describedby', [note.id, hint?.id].filter(Boolean).join(' '));
      target.insertAdjacentElement('afterend', note);
      const name = refusal.field === 'marketplaces' ? t('signup.marketplaces') : (form.querySelector(`label[for="${target.id}"]`)?.textContent ?? refusal.field);
      summary.push(`${name}: ${words}`);
    }
    problems.replaceChildren(el('div', { class: 'error', role: 'alert' }, el('strong', { text: `${t('signup.refused')} ` }), summary.join(' ')));
    form.querySelector<HTMLElement>(`#${ELEMENT_IDS[refusals[0]!.field]}`)?.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearRefusals();
    const ownBrands = brands.value
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0);
    const body = {
      product: product.value,
      companyName: company.value,
      contactEmail: email.value.trim(),
      language: spoken.value,
      marketplaces: marketplaceBoxes.filter((m) => m.input.checked).map((m) => m.code),
      amazonSellerId: seller.value.trim(),
      ...(zone.value.trim() !== '' ? { timeZone: zone.value.trim() } : {}),
      ...(ownBrands.length > 0 ? { ownBrands } : {}),
    };
    submit.disabled = true;
    api<unknown>('/signups', { method: 'POST', body })
      .then(onSignedUp)
      .catch(showRefusals)
      .finally(() => {
        submit.disabled = false;
      });
  });
  return section('signup', t('signup.title'), el('p', { text: t('signup.intro', { tenant: tenantId }) }), form);
}
