/**
 * The 360's product health from the staff routes: Repricer (offers, Buy Box share, pending and refused pushes, from
 * `GET /customers/{customerId}/repricer/offers`) and Lost & Found (found / filed / paid value, expiring soon, recovered,
 * from `GET /customers/{customerId}/lost-and-found/claims`), beside the Amazon connection and the feed's alerts; and
 * the strategy adjustment of an offer in a consultation (`PUT /customers/{customerId}/repricer/offers/{sku}/strategy`).
 */
import { api } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { csmLabel, noticeTitle } from '../csm-labels.ts';
import { lostAndFoundHealth, repricerHealth, EXPIRING_WITHIN_DAYS, type ClaimFigure } from '../csm-health.ts';
import { dateTime, integer, moneyList, percent } from '../format.ts';
import { errorBox, section } from './common.ts';
import { staffErrorBox } from './csm-errors.ts';
import type { AmazonConnection, CsmNotice, CsmTask, Customer, CustomerClaim, CustomerOffer } from './csm-types.ts';

/** Event types that say something about a product's health (the rest are contract events). */
const HEALTH_EVENTS: Readonly<Record<string, string>> = {
  'market.changed': 'repricer',
  'lost-and-found.claims-expiring': 'lost-and-found',
  'lost-and-found.damage-burst': 'lost-and-found',
  'lost-and-found.setup-help': 'lost-and-found',
  'amazon.revoked': 'both',
};
const HEALTH_TASKS = new Set(['anomaly-call', 'amazon-reauthorisation', 're-consultation', 'setup-help']);

/** A staff route's answer, or why it could not be read (e.g. 403 for a manager who is not the customer's). */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export async function read<T>(call: Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    return { ok: false, error };
  }
}

export interface HealthInputs {
  readonly customer: Customer;
  readonly connection: AmazonConnection | null;
  readonly notices: readonly CsmNotice[];
  /** The system's day (`YYYY-MM-DD`, the user's calendar), from which claims count as expiring soon. */
  readonly today: string;
  /** The customer's tasks (the open ones count as calls about its health). */
  readonly tasks: Read<readonly CsmTask[]>;
  /** Absent without a Repricer / Lost & Found contract. */
  readonly offers?: Read<readonly CustomerOffer[]>;
  readonly claims?: Read<readonly CustomerClaim[]>;
}

function figureText(f: ClaimFigure): string {
  return t('h.figure', { value: moneyList(f.value), count: integer(f.count) });
}

function repricerLines(offers: Read<readonly CustomerOffer[]>): HTMLElement {
  if (!offers.ok) return el('div', { id: 'c360-repricer-figures' }, staffErrorBox(offers.error));
  const h = repricerHealth(offers.value);
  if (h.offers === 0) return el('p', { id: 'c360-repricer-figures', class: 'muted', text: t('h.rp.none') });
  return el(
    'dl',
    { id: 'c360-repricer-figures', class: 'facts' },
    el('dt', { text: t('h.rp.offers') }),
    el('dd', { 'data-figure': 'offers', text: h.paused > 0 ? t('h.rp.offersPaused', { n: integer(h.offers), paused: integer(h.paused) }) : integer(h.offers) }),
    el('dt', { text: t('h.rp.buyBox') }),
    el('dd', { 'data-figure': 'buy-box', text: h.buyBoxShareBasisPoints === null ? t('h.rp.buyBoxUnknown') : t('h.rp.buyBoxShare', { share: percent(h.buyBoxShareBasisPoints), won: integer(h.buyBoxWon), known: integer(h.buyBoxKnown) }) }),
    el('dt', { text: t('h.rp.pending') }),
    el('dd', { 'data-figure': 'pending', text: integer(h.pendingPushes) }),
    el('dt', { text: t('h.rp.failed') }),
    el('dd', { 'data-figure': 'failed', class: h.failedPushes.length > 0 ? 'bad' : '', text: h.failedPushes.length === 0 ? integer(0) : `${integer(h.failedPushes.length)}: ${h.failedPushes.join(', ')}` }),
  );
}

function lostAndFoundLines(claims: Read<readonly CustomerClaim[]>, today: string): HTMLElement {
  if (!claims.ok) return el('div', { id: 'c360-lost-and-found-figures' }, staffErrorBox(claims.error));
  if (claims.value.length === 0) return el('p', { id: 'c360-lost-and-found-figures', class: 'muted', text: t('h.lf.none') });
  const h = lostAndFoundHealth(claims.value, today);
  const rows: [string, string, string][] = [
    ['found', t('lf.kpi.found'), figureText(h.found)],
    ['filed', t('lf.kpi.filed'), figureText(h.filed)],
    ['paid', t('lf.kpi.paid'), figureText(h.paid)],
    ['expiring', t('h.lf.expiring', { days: EXPIRING_WITHIN_DAYS }), figureText(h.expiringSoon)],
    ['recovered', t('lf.kpi.recovered'), moneyList(h.recovered)],
  ];
  return el('dl', { id: 'c360-lost-and-found-figures', class: 'facts' }, ...rows.flatMap(([key, term, value]) => [el('dt', { text: term }), el('dd', { 'data-figure': key, text: value })]));
}

export function healthSection(inputs: HealthInputs): HTMLElement {
  const { customer: c, connection, notices } = inputs;
  const lines: HTMLElement[] = [
    el(
      'li',
      { id: 'c360-connection' },
      connection
        ? t('c360.connection', { sellerId: connection.sellerId, status: label('connection', connection.status), at: dateTime(connection.revokedAt ?? connection.authorisedAt ?? c.createdAt) })
        : t('rp.connection.none'),
    ),
  ];
  const calls = inputs.tasks.ok ? inputs.tasks.value.filter((task) => task.status !== 'done' && HEALTH_TASKS.has(task.kind)) : [];
  for (const contract of c.contracts) {
    const alerts = notices.filter((n) => HEALTH_EVENTS[n.eventType] === contract.product || HEALTH_EVENTS[n.eventType] === 'both');
    const figures = contract.product === 'repricer' && inputs.offers ? repricerHealth(inputs.offers.ok ? inputs.offers.value : []) : null;
    const lost = contract.product === 'lost-and-found' && inputs.claims?.ok ? lostAndFoundHealth(inputs.claims.value, inputs.today) : null;
    const troubled = (figures?.failedPushes.length ?? 0) > 0 || (lost?.expiringSoon.count ?? 0) > 0;
    const status = contract.status === 'cancelled' ? 'cancelled' : alerts.length + calls.length > 0 || troubled ? 'attention' : 'ok';
    lines.push(
      el(
        'li',
        { 'data-health': contract.product },
        el('strong', { text: `${csmLabel('product', contract.product)}: ` }),
        el('span', { class: `status ${status}`, text: csmLabel('health', status) }),
        ...(alerts.length > 0 ? [` ${t('c360.alerts', { list: alerts.map((n) => `${noticeTitle(n)} (${dateTime(n.occurredAt)})`).join('; ') })}`] : []),
        ...(calls.length > 0 ? [` ${t('c360.openCalls', { list: calls.map((task) => label('taskKind', task.kind)).join(', ') })}`] : []),
        ...(contract.product === 'repricer' && inputs.offers ? [repricerLines(inputs.offers)] : []),
        ...(contract.product === 'lost-and-found' && inputs.claims ? [lostAndFoundLines(inputs.claims, inputs.today)] : []),
      ),
    );
  }
  return section('c360-health', t('c360.health'), el('ul', { class: 'health' }, ...lines), ...(inputs.tasks.ok ? [] : [errorBox(inputs.tasks.error)]), el('p', { class: 'muted', text: t('c360.healthNote') }));
}

/** The strategies staff may set in a consultation (the server's repricerStrategyForCustomerSchema). */
const CONSULTATION_STRATEGIES = ['buybox', 'push', 'fixed'] as const;

/**
 * One row per SKU (its offers in every marketplace and audience change together): the strategy now, a choice,
 * a note for the price history, *Apply*. `changed` reloads the 360 with the result said.
 */
export function strategySection(customerId: string, offers: Read<readonly CustomerOffer[]>, changed: (message: string) => void): HTMLElement {
  const errors = el('div', { id: 'strategy-errors' });
  if (!offers.ok) return section('c360-strategies', t('st.title'), staffErrorBox(offers.error));
  const bySku = new Map<string, CustomerOffer[]>();
  for (const o of offers.value) bySku.set(o.sku, [...(bySku.get(o.sku) ?? []), o]);
  if (bySku.size === 0) return section('c360-strategies', t('st.title'), el('p', { class: 'muted', text: t('h.rp.none') }));
  const rows = [...bySku].map(([sku, list], i) => {
    const strategies = [...new Set(list.map((o) => o.rules.strategy))];
    const choice = el('select', { id: `strategy-${i}`, 'aria-label': t('st.newFor', { sku }) }, ...CONSULTATION_STRATEGIES.map((s) => el('option', { value: s, text: label('strategy', s) })));
    choice.value = strategies.length === 1 && (CONSULTATION_STRATEGIES as readonly string[]).includes(strategies[0] ?? '') ? (strategies[0] ?? 'buybox') : 'buybox';
    const note = el('input', { id: `strategy-note-${i}`, type: 'text', maxlength: '300', 'aria-label': t('st.noteFor', { sku }), placeholder: t('st.notePlaceholder') });
    const apply = el('button', { type: 'button', 'data-action': 'apply-strategy', text: t('st.apply'), 'aria-label': t('st.applyFor', { sku }) });
    apply.addEventListener('click', () => {
      apply.disabled = true;
      errors.replaceChildren();
      const body = { strategy: choice.value, ...(note.value.trim() !== '' ? { note: note.value.trim() } : {}) };
      api<{ sku: string; strategy: string; changed: number }>(`/customers/${encodeURIComponent(customerId)}/repricer/offers/${encodeURIComponent(sku)}/strategy`, { method: 'PUT', body })
        .then((r) => {
          changed(t('st.done', { sku: r.sku, strategy: label('strategy', r.strategy), n: integer(r.changed) }));
        })
        .catch((error: unknown) => {
          apply.disabled = false;
          errors.replaceChildren(staffErrorBox(error));
        });
    });
    const audiences = [...new Set(list.map((o) => label('audience', o.audience)))].join(', ');
    return el(
      'tr',
      { 'data-sku': sku },
      cell(sku),
      cell(`${integer(list.length)} (${audiences})`),
      cell(strategies.map((s) => label('strategy', s)).join(', ')),
      el('td', { class: 'actions' }, choice, ' ', note, ' ', apply),
    );
  });
  return section(
    'c360-strategies',
    t('st.title'),
    el('p', { class: 'muted', text: t('st.note') }),
    errors,
    table({ id: 'strategy-table', caption: t('st.title'), columns: [{ label: t('rp.col.sku') }, { label: t('st.col.offers') }, { label: t('st.col.now') }, { label: t('st.col.change') }], rows }),
  );
}
