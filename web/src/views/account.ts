/**
 * The customer's contract and support page: each contract with its status and trial end, extend / change / cancel
 * (the API's contract routes), support requests sent (the support form's route) and all of the customer's requests
 * with their status (`GET /support-requests`, newest first), and feedback: the quarterly survey answered here
 * (views/customer-survey.ts) and the callback service.
 */
import { api } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { isMessageKey, t } from '../i18n.ts';
import { dateTime, day, integer } from '../format.ts';
import { action, errorBox, section } from './common.ts';
import { drawSurveys } from './customer-survey.ts';

interface Contract {
  readonly product: string;
  readonly status: string;
  readonly startedAt: string;
  readonly trialEndsAt: string | null;
  readonly plan: string;
  readonly offerLimit: number;
  readonly endsAt: string | null;
}
interface Customer {
  readonly customerId: string;
  readonly companyName: string;
  readonly contactEmail: string;
  readonly language: string;
  readonly marketplaces: readonly string[];
  readonly contracts: readonly Contract[];
}
interface SupportRequestView {
  readonly requestId: string;
  readonly channel: string;
  readonly status: string;
  readonly subject: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}
interface SupportRequestPage {
  readonly items: readonly SupportRequestView[];
  readonly nextCursor: string | null;
}

const PLANS = ['starter', 'professional', 'enterprise'] as const;

/** A word for an API code from keys `<prefix>.<code>`; the code itself when the catalogue has none yet. */
function word(prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

function contractsTable(customer: Customer): HTMLElement {
  if (customer.contracts.length === 0) return el('p', { class: 'muted', text: t('ct.none') });
  return table({
    id: 'contracts',
    caption: t('ct.title'),
    columns: [
      { label: t('ct.col.product') },
      { label: t('ct.col.status') },
      { label: t('ct.col.plan') },
      { label: t('ct.col.offers'), numeric: true },
      { label: t('ct.col.started') },
      { label: t('ct.col.trialEnds') },
      { label: t('ct.col.ends') },
    ],
    rows: customer.contracts.map((c) =>
      el(
        'tr',
        { 'data-contract': c.product, 'data-status': c.status },
        cell(word('ct.product', c.product)),
        cell(word('ct.status', c.status)),
        cell(word('ct.plan', c.plan)),
        cell(integer(c.offerLimit), true),
        cell(day(c.startedAt)),
        cell(c.trialEndsAt ? dateTime(c.trialEndsAt) : t('app.none')),
        cell(c.endsAt ? dateTime(c.endsAt) : t('ct.noEnd')),
      ),
    ),
  });
}

/** Extend, change and cancel one contract (what the API allows); `changed` redraws the page. */
function contractForms(customer: Customer, c: Contract, changed: () => Promise<void>): HTMLElement {
  const id = (name: string) => `${name}-${c.product}`;
  const product = word('ct.product', c.product);
  const errors = el('div');
  if (c.status === 'cancelled') return el('div', { class: 'contract', 'data-contract-forms': c.product }, el('h3', { text: t('ct.manage', { product }) }), el('p', { class: 'muted', text: t('ct.cancelledNote') }));
  const months = el('input', { id: id('extend-months'), type: 'number', min: '1', max: '60', value: '1', required: true });
  const extend = el('button', { type: 'button', id: id('extend'), text: t('ct.extend') });
  action(extend, async () => {
    await api(`/contracts/${encodeURIComponent(c.product)}/extension`, { method: 'POST', body: { months: Number(months.value) } });
    await changed();
  }, errors);
  const plan = el('select', { id: id('plan') }, ...PLANS.map((p) => el('option', { value: p, selected: p === c.plan, text: word('ct.plan', p) })));
  const offerLimit = el('input', { id: id('offer-limit'), type: 'number', min: '1', value: String(c.offerLimit) });
  const marketplaces = el('input', { id: id('marketplaces'), value: customer.marketplaces.join(', '), autocomplete: 'off' });
  const change = el('button', { type: 'button', id: id('change'), text: t('ct.change') });
  action(change, async () => {
    const body: Record<string, unknown> = {};
    if (plan.value !== c.plan) body.plan = plan.value;
    if (Number(offerLimit.value) !== c.offerLimit) body.offerLimit = Number(offerLimit.value);
    const codes = marketplaces.value.split(',').map((m) => m.trim().toUpperCase()).filter((m) => m.length > 0);
    if (codes.join(',') !== customer.marketplaces.join(',')) body.marketplaces = codes;
    // An empty change goes to the API too: its "no change" answer is what the customer should read.
    await api(`/contracts/${encodeURIComponent(c.product)}`, { method: 'PATCH', body });
    await changed();
  }, errors);
  const reason = el('input', { id: id('cancel-reason'), autocomplete: 'off' });
  const cancel = el('button', { type: 'button', class: 'secondary danger', id: id('cancel'), text: t('ct.cancel') });
  action(cancel, async () => {
    const text = reason.value.trim();
    await api(`/contracts/${encodeURIComponent(c.product)}/cancellation`, { method: 'POST', body: text.length > 0 ? { reason: text } : {} });
    await changed();
  }, errors);
  return el(
    'div',
    { class: 'contract', 'data-contract-forms': c.product },
    el('h3', { text: t('ct.manage', { product }) }),
    ...(c.status === 'trial' && c.trialEndsAt ? [el('p', { class: 'trial-note', text: t('ct.trialNote', { product, date: dateTime(c.trialEndsAt) }) })] : []),
    el('div', { class: 'toolbar' }, el('label', { for: id('extend-months'), text: t('ct.months') }), months, extend),
    el(
      'div',
      { class: 'toolbar' },
      el('label', { for: id('plan'), text: t('ct.plan') }),
      plan,
      el('label', { for: id('offer-limit'), text: t('ct.offerLimit') }),
      offerLimit,
      el('label', { for: id('marketplaces'), text: t('ct.marketplaces') }),
      marketplaces,
      change,
    ),
    el('div', { class: 'toolbar' }, el('label', { for: id('cancel-reason'), text: t('ct.cancelReason') }), reason, cancel),
    errors,
  );
}

function supportRow(r: SupportRequestView): HTMLTableRowElement {
  return el(
    'tr',
    { 'data-request': r.requestId, 'data-status': r.status },
    cell(r.requestId),
    cell(r.subject),
    cell(word('sp.channel', r.channel)),
    el('td', {}, el('span', { class: `status ${r.status}`, text: word('sp.status', r.status) })),
    cell(dateTime(r.createdAt)),
    cell(dateTime(r.updatedAt)),
  );
}

/** The customer's requests, newest first, a page at a time (*Show older requests* appends the next page). */
async function drawSupportList(holder: HTMLElement): Promise<void> {
  try {
    const first = await api<SupportRequestPage>('/support-requests?limit=20');
    if (first.items.length === 0) {
      holder.replaceChildren(el('p', { class: 'muted', text: t('sp.none') }));
      return;
    }
    const columns = ['sp.col.request', 'sp.col.subject', 'sp.col.channel', 'sp.col.status', 'sp.col.created', 'sp.col.updated'] as const;
    const list = table({ id: 'support-requests', caption: t('sp.list'), columns: columns.map((key) => ({ label: t(key) })), rows: first.items.map(supportRow) });
    const errors = el('div');
    const more = el('button', { type: 'button', class: 'secondary', id: 'support-more', text: t('sp.more') });
    let cursor = first.nextCursor;
    more.hidden = cursor === null;
    action(more, async () => {
      if (cursor === null) return;
      const next = await api<SupportRequestPage>(`/support-requests?limit=20&cursor=${encodeURIComponent(cursor)}`);
      list.querySelector('tbody')?.append(...next.items.map(supportRow));
      cursor = next.nextCursor;
      more.hidden = cursor === null;
    }, errors);
    holder.replaceChildren(list, more, errors);
  } catch (error) {
    holder.replaceChildren(errorBox(error));
  }
}

async function supportSection(customer: Customer): Promise<HTMLElement> {
  const listHolder = el('div', { id: 'support-list' });
  const result = el('div', { id: 'support-result', 'aria-live': 'polite' });
  const subject = el('input', { id: 'support-subject', required: true, maxlength: '200', autocomplete: 'off' });
  const message = el('textarea', { id: 'support-message', required: true, rows: '4', maxlength: '5000' });
  const form = el(
    'form',
    { id: 'support-form', class: 'stacked' },
    el('label', { for: 'support-subject', text: t('sp.subject') }),
    subject,
    el('label', { for: 'support-message', text: t('sp.message') }),
    message,
    el('button', { type: 'submit', text: t('sp.submit') }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    result.replaceChildren();
    // The support form's route: with the customer id and the contact e-mail on record it reaches the customer's
    // manager and is the customer's to read (it carries their tenant, so GET /support-requests lists it).
    api<{ requestId: string | null; status: string }>('/support/requests', {
      method: 'POST',
      body: { name: customer.companyName, email: customer.contactEmail, language: customer.language, customerId: customer.customerId, subject: subject.value, message: message.value },
    })
      .then(async (ack) => {
        form.reset();
        await drawSupportList(listHolder);
        result.replaceChildren(el('p', { class: 'ok', text: t('sp.sent', { requestId: ack.requestId ?? '' }) }));
      })
      .catch((error: unknown) => result.replaceChildren(errorBox(error)));
  });
  await drawSupportList(listHolder);
  return section('support-section', t('sp.title'), el('p', { class: 'muted', text: t('sp.intro') }), form, result, listHolder);
}

async function feedbackSection(): Promise<HTMLElement> {
  const surveys = el('div', { id: 'surveys' });
  await drawSurveys(surveys);
  const result = el('div', { id: 'callback-result', 'aria-live': 'polite' });
  const topic = el('input', { id: 'callback-topic', required: true, maxlength: '500', autocomplete: 'off' });
  const phone = el('input', { id: 'callback-phone', type: 'tel', autocomplete: 'tel' });
  const form = el(
    'form',
    { id: 'callback-form', class: 'stacked' },
    el('label', { for: 'callback-topic', text: t('fb.topic') }),
    topic,
    el('label', { for: 'callback-phone', text: t('fb.phone') }),
    phone,
    el('button', { type: 'submit', text: t('fb.submit') }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body: Record<string, string> = { topic: topic.value.trim(), requestId: crypto.randomUUID() };
    if (phone.value.trim().length > 0) body.phone = phone.value.trim();
    api<{ dueAt: string }>('/callbacks', { method: 'POST', body })
      .then((task) => {
        form.reset();
        result.replaceChildren(el('p', { class: 'ok', text: t('fb.sent', { due: dateTime(task.dueAt) }) }));
      })
      .catch((error: unknown) => result.replaceChildren(errorBox(error)));
  });
  return section(
    'feedback-section',
    t('fb.title'),
    el('p', { text: t('fb.intro') }),
    surveys,
    el('h3', { text: t('fb.callbackTitle') }),
    el('p', { text: t('fb.callbackIntro') }),
    form,
    result,
  );
}

/**
 * The contracts and their forms. A change redraws this section only: what the customer is typing in the support or
 * survey form below stays where it is.
 */
function contractsSection(customer: Customer): HTMLElement {
  const redraw = async (): Promise<void> => {
    const fresh = await api<Customer>(`/customers/${encodeURIComponent(customer.customerId)}`);
    node.replaceWith(contractsSection(fresh));
  };
  const node = section(
    'contracts-section',
    t('ct.title'),
    ...(customer.contracts.some((c) => c.status !== 'cancelled') ? [] : [el('p', { class: 'muted', text: t('customer.noProducts') })]),
    contractsTable(customer),
    ...customer.contracts.map((c) => contractForms(customer, c, redraw)),
  );
  return node;
}

export async function renderAccount(root: HTMLElement, tenantId: string): Promise<void> {
  const customer = await api<Customer>(`/customers/${encodeURIComponent(tenantId)}`);
  root.replaceChildren(contractsSection(customer), await supportSection(customer), await feedbackSection());
}
