/**
 * The customer 360: who the customer is (`getCustomer`), their contracts, the health of their products (the Amazon
 * connection both products run on, alerts from the feed, open anomaly and re-authorisation calls), the Amazon profile
 * analysis and the strategy recommendation with its reasons (`getOnboarding`), appointments, the history of contacts
 * (notifications and tasks about them) and the root causes they reported (`listRootCauses`).
 */
import { api, ApiError } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { csmLabel, noticeTitle } from '../csm-labels.ts';
import { dateTime, integer } from '../format.ts';
import { errorBox, section } from './common.ts';
import { recommendationReasons } from '../i18n-reasons.ts';
import type { AmazonConnection, CsmNotice, CsmTask, Customer, Onboarding, RootCause } from './csm-types.ts';

/** Event types that say something about a product's health (the rest are contract events). */
const HEALTH_EVENTS: Readonly<Record<string, string>> = {
  'market.changed': 'repricer',
  'lost-and-found.claims-expiring': 'lost-and-found',
  'lost-and-found.damage-burst': 'lost-and-found',
  'lost-and-found.setup-help': 'lost-and-found',
  'amazon.revoked': 'both',
};
const HEALTH_TASKS = new Set(['anomaly-call', 'amazon-reauthorisation', 're-consultation', 'setup-help']);

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

function healthSection(c: Customer, connection: AmazonConnection | null, notices: readonly CsmNotice[], tasks: readonly CsmTask[]): HTMLElement {
  const lines: HTMLElement[] = [];
  lines.push(
    el(
      'li',
      { id: 'c360-connection' },
      connection
        ? t('c360.connection', { sellerId: connection.sellerId, status: label('connection', connection.status), at: dateTime(connection.revokedAt ?? connection.authorisedAt ?? c.createdAt) })
        : t('rp.connection.none'),
    ),
  );
  for (const contract of c.contracts) {
    const alerts = notices.filter((n) => HEALTH_EVENTS[n.eventType] === contract.product || HEALTH_EVENTS[n.eventType] === 'both');
    const calls = tasks.filter((task) => HEALTH_TASKS.has(task.kind));
    const status = contract.status === 'cancelled' ? 'cancelled' : alerts.length + calls.length > 0 ? 'attention' : 'ok';
    lines.push(
      el(
        'li',
        { 'data-health': contract.product },
        el('strong', { text: `${csmLabel('product', contract.product)}: ` }),
        el('span', { class: `status ${status}`, text: csmLabel('health', status) }),
        ...(alerts.length > 0 ? [` ${t('c360.alerts', { list: alerts.map((n) => `${noticeTitle(n)} (${dateTime(n.occurredAt)})`).join('; ') })}`] : []),
        ...(calls.length > 0 ? [` ${t('c360.openCalls', { list: calls.map((task) => label('taskKind', task.kind)).join(', ') })}`] : []),
      ),
    );
  }
  return section('c360-health', t('c360.health'), el('ul', { class: 'health' }, ...lines), el('p', { class: 'muted', text: t('c360.healthNote') }));
}

function appointmentsSection(o: Onboarding): HTMLElement {
  return section(
    'c360-appointments',
    t('c360.appointments'),
    o.appointments.length === 0
      ? el('p', { class: 'muted', text: t('c360.appointmentsNone') })
      : el('ul', {}, ...o.appointments.map((a) => el('li', { text: t('c360.appointment', { start: dateTime(a.start), end: dateTime(a.end), staff: a.staffId }) }))),
  );
}

function historySection(notices: readonly CsmNotice[], tasks: readonly CsmTask[]): HTMLElement {
  const entries = [
    ...notices.map((n) => ({ at: n.occurredAt, what: noticeTitle(n), kind: t('c360.history.notification'), state: n.read === true ? t('csm.read') : t('c360.history.unread') })),
    ...tasks.map((task) => ({ at: task.startedAt ?? task.dueAt, what: label('taskKind', task.kind), kind: t('c360.history.task'), state: csmLabel('taskStatus', task.status) })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return section(
    'c360-history',
    t('c360.history'),
    entries.length === 0
      ? el('p', { class: 'muted', text: t('c360.historyNone') })
      : table({
          id: 'c360-history-table',
          caption: t('c360.history'),
          columns: [{ label: t('csm.col.when') }, { label: t('c360.col.contact') }, { label: t('csm.col.title') }, { label: t('csm.col.status') }],
          rows: entries.map((e) => el('tr', {}, cell(dateTime(e.at)), cell(e.kind), cell(e.what), cell(e.state))),
        }),
    el('p', { class: 'muted', text: t('c360.historyNote') }),
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

/** Draws the 360 of one customer; notices and tasks are what the console already holds (the feed and the queue). */
export async function renderCustomer360(root: HTMLElement, customerId: string, held: { readonly notices: readonly CsmNotice[]; readonly tasks: readonly CsmTask[] }): Promise<void> {
  const id = encodeURIComponent(customerId);
  let customer: Customer;
  let onboarding: Onboarding | null;
  let connection: AmazonConnection | null;
  let rootCauses: readonly RootCause[];
  try {
    [customer, onboarding, connection, rootCauses] = await Promise.all([
      api<Customer>(`/customers/${id}`),
      orNull(api<Onboarding>(`/customers/${id}/onboarding`)),
      orNull(api<AmazonConnection>(`/amazon/connection?customerId=${id}`)),
      api<{ items: RootCause[] }>('/feedback/root-causes?limit=200').then((page) => page.items.filter((r) => r.affectedCustomers.includes(customerId))),
    ]);
  } catch (error) {
    const message = error instanceof ApiError && error.status === 404 ? new Error(t('c360.notFound', { id: customerId }), { cause: error }) : error;
    root.replaceChildren(section('customer-360', t('c360.title'), errorBox(message)));
    return;
  }
  const notices = held.notices.filter((n) => n.customerId === customerId);
  const tasks = held.tasks.filter((task) => task.tenantId === customerId);
  const heading = el('h2', { id: 'customer-360-heading', tabindex: '-1', text: t('c360.heading', { name: customer.companyName }) });
  root.replaceChildren(
    el(
      'section',
      { id: 'customer-360', 'aria-labelledby': 'customer-360-heading', 'data-customer': customer.customerId },
      heading,
      facts([
        [t('c360.contact'), customer.contactEmail],
        [t('csm.col.language'), label('language', customer.language)],
        [t('c360.marketplaces'), customer.marketplaces.join(', ')],
        [t('c360.seller'), customer.amazonSellerId],
        [t('c360.timeZone'), customer.timeZone],
        [t('c360.manager'), customer.csmId ?? t('c360.noManager')],
        [t('c360.since'), dateTime(customer.createdAt)],
      ]),
    ),
    contractsSection(customer),
    healthSection(customer, connection, notices, tasks),
    ...(onboarding ? [profileSection(onboarding), recommendationSection(onboarding), appointmentsSection(onboarding)] : []),
    historySection(notices, tasks),
    rootCausesSection(rootCauses),
  );
  heading.focus();
}
