/**
 * The customer 360: who the customer is (`getCustomer`), their contracts, the health of their products (the Amazon
 * connection both products run on, the Repricer's offers and the Lost & Found claims from the staff routes, alerts
 * from the feed, open anomaly and re-authorisation calls), the offers' strategies to adjust in a consultation, the
 * welcome call's needs assessment, the Amazon profile analysis and the strategy recommendation with its reasons
 * (`getOnboarding`), appointments, the history of contacts (notifications, and every task with completed calls'
 * outcomes: `listCustomerTasks`), the staff-action log and the root causes they reported (`listRootCauses`).
 */
import { api, ApiError } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { csmLabel } from '../csm-labels.ts';
import { dateTime, integer, localDay } from '../format.ts';
import { serverNow } from '../clock.ts';
import { staffName } from '../staff-directory.ts';
import { errorBox, section } from './common.ts';
import { healthSection, read, strategySection } from './csm-customer-health.ts';
import { historySection, staffActionsSection } from './csm-customer-history.ts';
import { recommendationReasons } from '../i18n-reasons.ts';
import { needsAssessmentView } from './csm-needs-assessment.ts';
import type { AmazonConnection, CsmNotice, CsmTask, Customer, CustomerClaim, CustomerOffer, Onboarding, RootCause, StaffAction } from './csm-types.ts';

async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function facts(rows: readonly [string, string | Node][]): HTMLElement {
  return el('dl', { class: 'facts' }, ...rows.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', {}, value)]));
}

function profileSection(o: Onboarding): HTMLElement {
  const analysis = el('p', { id: 'analysis-status', text: `${t('onb.analysis', { status: label('analysis', o.analysis.status) })}${o.analysis.reason ? `: ${o.analysis.reason}` : ''}` });
  const source = o.analysis.source === 'simulated' && o.profile ? [el('p', { class: 'muted', text: t('onb.simulated') })] : [];
  const p = o.profile;
  if (!p) return section('c360-profile', t('c360.profile'), analysis, ...source);
  return section(
    'c360-profile',
    t('c360.profile'),
    analysis,
    facts([
      [t('c360.skus'), integer(p.totalSkus)],
      [t('c360.privateLabel'), `${integer(p.privateLabelPercent)} %`],
      [t('c360.accountAge'), t('c360.months', { n: integer(p.accountAgeMonths) })],
      [t('c360.units12'), integer(p.unitsSold12Months)],
      [t('c360.experience'), csmLabel('experience', p.experience)],
    ]),
    table({
      id: 'c360-marketplaces',
      caption: t('c360.skusPerMarketplace'),
      columns: [{ label: t('rp.col.market') }, { label: t('c360.skus'), numeric: true }],
      rows: p.marketplaces.map((m) => el('tr', {}, cell(m.marketplace), cell(integer(m.skus), true))),
    }),
    ...(p.categories.length > 0 ? [el('p', { text: `${t('c360.categories')}: ${p.categories.map((c) => `${c.category} (${integer(c.skus)})`).join(', ')}` })] : []),
    ...(p.topBrands.length > 0 ? [el('p', { text: `${t('c360.brands')}: ${p.topBrands.map((b) => `${b.brand} (${integer(b.skus)}${b.own ? `, ${t('c360.ownBrand')}` : ''})`).join(', ')}` })] : []),
    ...source,
  );
}

function recommendationSection(o: Onboarding): HTMLElement {
  const r = o.recommendation;
  if (!r) return section('c360-recommendation', t('c360.recommendation'), el('p', { class: 'muted', text: t('onb.none') }));
  return section(
    'c360-recommendation',
    t('c360.recommendation'),
    el('p', { id: 'c360-strategy' }, el('strong', { text: t('onb.recommended', { strategy: label('strategy', r.overall) }) })),
    el('h3', { text: t('c360.reasons') }),
    el('ul', { id: 'c360-reasons' }, ...recommendationReasons(r).map((reason) => el('li', { text: reason }))),
    ...r.segments.map((s) => el('p', { text: `${t('onb.segment', { segment: csmLabel('segment', s.segment), skus: s.skus, strategy: label('strategy', s.strategy) })} — ${recommendationReasons(s).join(' ')}` })),
  );
}

function contractsSection(c: Customer): HTMLElement {
  const when = (iso: string | null): string => (iso ? dateTime(iso) : t('app.none'));
  return section(
    'c360-contracts',
    t('c360.contracts'),
    c.contracts.length === 0
      ? el('p', { class: 'muted', text: t('c360.contractsNone') })
      : table({
          id: 'c360-contract-table',
          caption: t('c360.contracts'),
          columns: [{ label: t('c360.col.product') }, { label: t('csm.col.status') }, { label: t('c360.col.plan') }, { label: t('c360.col.offers'), numeric: true }, { label: t('c360.col.started') }, { label: t('c360.col.trialEnds') }, { label: t('c360.col.ends') }],
          rows: c.contracts.map((k) =>
            el('tr', { 'data-product': k.product }, cell(csmLabel('product', k.product)), cell(csmLabel('contractStatus', k.status)), cell(csmLabel('plan', k.plan)), cell(integer(k.offerLimit), true), cell(when(k.startedAt)), cell(when(k.trialEndsAt)), cell(when(k.endsAt))),
          ),
        }),
  );
}

function appointmentsSection(o: Onboarding, book: () => void): HTMLElement {
  const manage = el('button', { type: 'button', class: 'secondary', id: 'c360-book', text: t('cal.bookFor') });
  manage.addEventListener('click', book);
  return section(
    'c360-appointments',
    t('c360.appointments'),
    o.appointments.length === 0
      ? el('p', { class: 'muted', text: t('c360.appointmentsNone') })
      : el(
          'ul',
          {},
          ...o.appointments.map((a) => el('li', { 'data-status': a.status, text: `${t('c360.appointment', { start: dateTime(a.start), end: dateTime(a.end), staff: staffName(a.staffId) })} (${t(`cal.status.${a.status}`)})` })),
        ),
    manage,
  );
}

function rootCausesSection(causes: readonly RootCause[]): HTMLElement {
  return section(
    'c360-root-causes',
    t('c360.rootCauses'),
    causes.length === 0
      ? el('p', { class: 'muted', text: t('c360.rootCausesNone') })
      : el('ul', {}, ...causes.map((r) => el('li', { text: `${r.title} (${csmLabel('productArea', r.productArea)}, ${csmLabel('severity', r.maxSeverity)})` }))),
  );
}

/** What the console hands the 360: the feed it holds, and how to open the calendar for this customer. */
export interface Customer360Context {
  readonly notices: readonly CsmNotice[];
  readonly book: (customerId: string) => void;
  /** Said at the top after an action that redrew the 360 (e.g. a strategy adjusted). */
  readonly message?: string;
}

/** Draws the 360 of one customer. */
export async function renderCustomer360(root: HTMLElement, customerId: string, context: Customer360Context): Promise<void> {
  const id = encodeURIComponent(customerId);
  let customer: Customer;
  let onboarding: Onboarding | null;
  let connection: AmazonConnection | null;
  let rootCauses: readonly RootCause[];
  let today: string;
  // The staff routes answer only the customer's manager or a lead: their refusals show in their own sections.
  const tasks = read(api<{ items: CsmTask[] }>(`/customers/${id}/tasks?limit=200`).then((page) => page.items));
  const actions = read(api<{ items: StaffAction[] }>(`/customers/${id}/staff-actions?limit=50`).then((page) => page.items));
  try {
    [customer, onboarding, connection, rootCauses, today] = await Promise.all([
      api<Customer>(`/customers/${id}`),
      orNull(api<Onboarding>(`/customers/${id}/onboarding`)),
      orNull(api<AmazonConnection>(`/amazon/connection?customerId=${id}`)),
      api<{ items: RootCause[] }>('/feedback/root-causes?limit=200').then((page) => page.items.filter((r) => r.affectedCustomers.includes(customerId))),
      serverNow().then(localDay),
    ]);
  } catch (error) {
    const message = error instanceof ApiError && error.status === 404 ? new Error(t('c360.notFound', { id: customerId }), { cause: error }) : error;
    root.replaceChildren(section('customer-360', t('c360.title'), errorBox(message)));
    return;
  }
  const has = (product: string) => customer.contracts.some((k) => k.product === product);
  const [taskList, actionList, offers, claims] = await Promise.all([
    tasks,
    actions,
    has('repricer') ? read(api<{ items: CustomerOffer[] }>(`/customers/${id}/repricer/offers`).then((page) => page.items)) : Promise.resolve(undefined),
    has('lost-and-found') ? read(api<{ claims: CustomerClaim[] }>(`/customers/${id}/lost-and-found/claims`).then((page) => page.claims)) : Promise.resolve(undefined),
  ]);
  const notices = context.notices.filter((n) => n.customerId === customerId);
  const heading = el('h2', { id: 'customer-360-heading', tabindex: '-1', text: t('c360.heading', { name: customer.companyName }) });
  const said = el('p', { id: 'c360-message', role: 'status', class: context.message ? 'ok' : 'muted', text: context.message ?? '' });
  const redraw = (message: string): void => {
    void renderCustomer360(root, customerId, { ...context, message }).then(() => root.querySelector<HTMLElement>('#c360-message')?.focus());
  };
  said.setAttribute('tabindex', '-1');
  root.replaceChildren(
    el(
      'section',
      { id: 'customer-360', 'aria-labelledby': 'customer-360-heading', 'data-customer': customer.customerId },
      heading,
      said,
      facts([
        [t('c360.contact'), customer.contactEmail],
        [t('csm.col.language'), label('language', customer.language)],
        [t('c360.marketplaces'), customer.marketplaces.join(', ')],
        [t('c360.seller'), customer.amazonSellerId],
        [t('c360.timeZone'), customer.timeZone],
        [t('c360.manager'), customer.csmId === null ? t('c360.noManager') : staffName(customer.csmId)],
        [t('c360.since'), dateTime(customer.createdAt)],
      ]),
    ),
    contractsSection(customer),
    healthSection({ customer, connection, notices, today, tasks: taskList, ...(offers ? { offers } : {}), ...(claims ? { claims } : {}) }),
    ...(offers ? [strategySection(customerId, offers, redraw)] : []),
    section('c360-needs-assessment', t('na.title'), needsAssessmentView(customer.needsAssessment)),
    ...(onboarding ? [profileSection(onboarding), recommendationSection(onboarding), appointmentsSection(onboarding, () => context.book(customerId))] : []),
    historySection(notices, taskList),
    staffActionsSection(actionList),
    rootCausesSection(rootCauses),
  );
  if (!context.message) heading.focus();
}
