/**
 * The Repricer for a customer: the Amazon connection, account switches (dry run, pause all), every offer with its
 * rules, decision state, Buy Box, current and pushed price and push status; per offer the price history chart,
 * strategy switch and pause/resume; the rules CSV upload with per-row errors.
 */
import { api, ApiError } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { isMessageKey, label, t } from '../i18n.ts';
import { dateTime, decimalMoney, integer } from '../format.ts';
import { MARKETPLACES } from '../../../shared/kernel/marketplaces.ts';
import { action, errorBox, section, showDetailIn } from './common.ts';
import { priceChart, type HistoryPoint } from './price-chart.ts';
import { renderOnboarding } from './onboarding.ts';
import { reasonText, type ReasonDetail } from './repricer-reasons.ts';
import { minDerivationView, type MinDerivation } from './repricer-economics.ts';
import { salesPanel, type OfferSales } from './repricer-sales.ts';
import { stockCell, stockPanel, type OfferStock } from './repricer-stock.ts';

interface Offer extends OfferSales, OfferStock {
  readonly sku: string;
  readonly asin: string;
  readonly marketplaceId: string;
  readonly audience: string;
  /** `min` is absent when the rule derives it (issue 21 economics: `minDerivation`). */
  readonly rules: { readonly strategy: string; readonly currency: string; readonly min?: string; readonly max: string } & CompetitorRulesView;
  readonly paused: boolean;
  readonly state: string;
  readonly currentPrice: string | null;
  readonly lastPushedPrice: string | null;
  readonly pendingPush: { readonly price: string; readonly feedId?: string } | null;
  readonly lastPush: { readonly status: string; readonly price: string; readonly at: string } | null;
  readonly buyBox: string;
  readonly competitorCount: number;
  readonly lastReason: string;
  readonly lastReasonDetail?: ReasonDetail | null;
  readonly minDerivation?: MinDerivation | null;
}
interface Offers {
  readonly settings: { readonly sellerId: string; readonly dryRun: boolean; readonly paused: boolean } | null;
  readonly items: readonly Offer[];
}
interface Connection {
  readonly sellerId: string;
  readonly status: string;
  readonly authorisedAt: string | null;
  readonly revokedAt: string | null;
  readonly source: string;
}

const MARKETPLACE_CODE_BY_ID = new Map<string, string>(Object.entries(MARKETPLACES).map(([code, m]) => [m.id, code]));
const marketName = (id: string): string => MARKETPLACE_CODE_BY_ID.get(id) ?? id;
const offerKey = (o: Offer): string => `${o.sku}|${o.marketplaceId}|${o.audience}`;
/** The min the offer prices from: given, or derived from cost, fees and margin (pending while the fees are unknown). */
const minOf = (o: Offer): string => {
  const min = o.minDerivation ? o.minDerivation.min : (o.rules.min ?? null);
  return min === null ? t('rpe.minPending') : decimalMoney(min, o.rules.currency);
};

function pushStatus(o: Offer): string {
  if (o.pendingPush) {
    return o.pendingPush.feedId
      ? t('rp.pendingFeed', { feedId: o.pendingPush.feedId, price: decimalMoney(o.pendingPush.price, o.rules.currency) })
      : t('rp.pending', { price: decimalMoney(o.pendingPush.price, o.rules.currency) });
  }
  if (!o.lastPush) return t('app.none');
  const failed = /^failed: (.*)$/s.exec(o.lastPush.status);
  return failed ? t('rp.pushFailed', { message: failed[1] ?? '' }) : label('push', o.lastPush.status);
}

async function connectionView(): Promise<{ node: HTMLElement; sellerId: string | null }> {
  try {
    const c = await api<Connection>('/amazon/connection');
    const at = c.status === 'revoked' ? c.revokedAt : c.authorisedAt;
    const node = el(
      'p',
      { id: 'connection', 'data-status': c.status },
      t('rp.connection.seller', { sellerId: c.sellerId, status: label('connection', c.status), at: at ? dateTime(at) : t('app.none') }),
      c.source === 'simulated' ? ` (${t('rp.connection.simulated')})` : '',
    );
    return { node, sellerId: c.status === 'authorised' ? c.sellerId : null };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { node: el('p', { id: 'connection', 'data-status': 'none', text: t('rp.connection.none') }), sellerId: null };
    return { node: errorBox(error), sellerId: null };
  }
}

function settingsView(offers: Offers, refresh: () => Promise<void>): HTMLElement {
  const errors = el('div');
  const box = (id: string, text: string, checked: boolean, field: 'dryRun' | 'paused'): HTMLElement => {
    const input = el('input', { type: 'checkbox', id, checked });
    input.disabled = offers.settings === null;
    input.addEventListener('change', () => {
      input.disabled = true;
      api('/repricer/settings', { method: 'PUT', body: { [field]: input.checked } })
        .then(refresh)
        .catch((error: unknown) => {
          input.checked = !input.checked;
          input.disabled = false;
          errors.replaceChildren(errorBox(error));
        });
    });
    return el('label', { class: 'switch', for: id }, input, ` ${text}`);
  };
  return el(
    'div',
    { class: 'settings' },
    box('dry-run', t('rp.dryRun'), offers.settings?.dryRun ?? false, 'dryRun'),
    box('pause-all', t('rp.pauseAll'), offers.settings?.paused ?? false, 'paused'),
    errors,
  );
}

/** A refused row of a rules file, as the API reports it. */
interface RowError {
  readonly row: number;
  readonly field: string;
  readonly message: string;
  readonly reason?: { readonly code: string; readonly params: Readonly<Record<string, string>> };
}

/** `Row 5, column “min”: …` in the page's words; the server's English sentence for a reason the catalogue lacks. */
function rowErrorText(e: RowError): string {
  const key = `rp.rowReason.${e.reason?.code ?? ''}`;
  const params = e.reason?.params ?? {};
  // Prices from the file (`15.00`) in the row's currency and the page's locale (`15,00 €`).
  const amount = (name: string): string => (params[name] !== undefined && params['currency'] ? decimalMoney(params[name], params['currency']) : (params[name] ?? ''));
  const reason = e.reason && isMessageKey(key) ? t(key, { ...params, min: amount('min'), max: amount('max') }) : e.message;
  return t('rp.rowError', { row: integer(e.row), field: e.field, reason });
}

function uploadView(sellerId: () => string | null, refresh: () => Promise<void>): HTMLElement {
  const result = el('div', { id: 'upload-result', 'aria-live': 'polite' });
  const file = el('input', { type: 'file', id: 'rules-file', accept: '.csv,text/csv', required: true });
  const form = el(
    'form',
    { id: 'rules-upload', class: 'upload' },
    el('p', { class: 'muted', text: t('rp.uploadHint') }),
    el('label', { for: 'rules-file', text: t('rp.uploadFile') }),
    file,
    el('button', { type: 'submit', text: t('rp.uploadSubmit') }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    result.replaceChildren(t('app.loading'));
    chosen
      .text()
      .then((csv) =>
        api<{ created?: number; updated?: number; jobId?: string; offers?: number; rowErrors?: RowError[] }>('/repricer/rules/csv', {
          method: 'POST',
          body: { sellerId: sellerId() ?? '', csv },
        }),
      )
      .then(async (body) => {
        const summary = body.jobId
          ? t('rp.uploadQueued', { offers: integer(body.offers ?? 0), jobId: body.jobId })
          : t('rp.uploadDone', { created: integer(body.created ?? 0), updated: integer(body.updated ?? 0) });
        const rowErrors = (body.rowErrors ?? []).map(rowErrorText);
        await refresh();
        result.replaceChildren(
          el('p', { class: 'ok', text: summary }),
          ...(rowErrors.length > 0 ? [el('p', { text: t('rp.uploadRowErrors') }), el('ul', { id: 'row-errors' }, ...rowErrors.map((e) => el('li', { text: e })))] : []),
        );
      })
      .catch((error: unknown) => result.replaceChildren(errorBox(error)));
  });
  return el('div', {}, form, result);
}

/** Issue 21: the competitor rules an offer's rules may carry (absent = the default, which is not shown). */
interface CompetitorRulesView {
  readonly competitors?: string;
  readonly merchantCheaperBy?: string;
  readonly minFeedbackCount?: number;
  readonly maxHandlingHours?: number;
  readonly ignoreShipsFrom?: readonly string[];
  readonly lowStockUnits?: number;
  readonly lowStockRaisePercent?: number;
  readonly buyBoxShared?: string;
  readonly buyBoxSuppressed?: string;
  readonly match?: string;
}

/** The competitor rules set on an offer, in words; empty when it keeps every default. */
function competitorRulesText(r: CompetitorRulesView, currency: string): string {
  const parts: string[] = [];
  if (r.competitors === 'merchant') parts.push(t('rp.rules.merchantOnly'));
  if (r.merchantCheaperBy !== undefined) {
    parts.push(t('rp.rules.merchant', { value: r.merchantCheaperBy.endsWith('%') ? r.merchantCheaperBy.replace('%', ' %') : decimalMoney(r.merchantCheaperBy, currency) }));
  }
  if (r.minFeedbackCount !== undefined && r.minFeedbackCount > 0) parts.push(t('rp.rules.feedback', { count: integer(r.minFeedbackCount) }));
  if (r.maxHandlingHours !== undefined) parts.push(t('rp.rules.handling', { hours: integer(r.maxHandlingHours) }));
  if (r.ignoreShipsFrom !== undefined && r.ignoreShipsFrom.length > 0) parts.push(t('rp.rules.shipsFrom', { countries: r.ignoreShipsFrom.join(', ') }));
  if (r.lowStockUnits !== undefined) parts.push(t('rp.rules.lowStock', { units: integer(r.lowStockUnits), percent: integer(r.lowStockRaisePercent ?? 100) }));
  if (r.buyBoxShared === 'share') parts.push(t('rp.rules.shared'));
  if (r.buyBoxSuppressed === 'hold') parts.push(t('rp.rules.suppressedHold'));
  if (r.buyBoxSuppressed === 'threshold') parts.push(t('rp.rules.suppressedThreshold'));
  if (r.match === 'amazon') parts.push(t('rp.rules.matchAmazon'));
  if (r.match === 'all') parts.push(t('rp.rules.matchAll'));
  return parts.length === 0 ? '' : `${t('rp.rules.title')}: ${parts.join('; ')}`;
}

/**
 * What is wrong with the strategy's extra field, in words naming the field, before the server is asked: its refusal
 * would name the API's path (`body.push.targetUnits: Too small…`). Null when the value will do.
 */
function strategyInputProblem(strategy: string, value: string, fieldLabel: string): string | null {
  const text = value.trim();
  if (strategy === 'push' && !(/^\d+$/.test(text) && Number(text) > 0)) return t('rp.err.wholeAboveZero', { label: fieldLabel });
  if (strategy === 'fixed' && !(/^\d+([.,]\d{1,2})?$/.test(text) && Number(text.replace(',', '.')) > 0)) return t('rp.err.price', { label: fieldLabel });
  return null;
}

/** The detail panel of one offer: strategy switch, pause/resume and its price history. */
async function offerDetail(o: Offer, refresh: () => Promise<void>): Promise<HTMLElement> {
  const errors = el('div');
  const strategy = el(
    'select',
    { id: 'strategy' },
    ...['buybox', 'push', 'fixed'].map((s) => el('option', { value: s, selected: s === o.rules.strategy, text: label('strategy', s) })),
  );
  const extraLabel = el('label', { for: 'strategy-extra' });
  const extra = el('input', { id: 'strategy-extra', inputmode: 'decimal' });
  const extraWrap = el('span', { class: 'extra' }, extraLabel, extra);
  const syncExtra = (): void => {
    extraWrap.hidden = strategy.value === 'buybox';
    extraLabel.textContent = strategy.value === 'fixed' ? `${t('rp.col.current')} (${o.rules.currency})` : t('rp.targetUnits');
  };
  strategy.addEventListener('change', syncExtra);
  syncExtra();
  const apply = el('button', { type: 'button', id: 'apply-strategy', text: t('rp.applyStrategy') });
  action(
    apply,
    async () => {
      const body: Record<string, unknown> = { strategy: strategy.value, marketplaceId: o.marketplaceId, audience: o.audience };
      const refused = strategyInputProblem(strategy.value, extra.value, extraLabel.textContent);
      if (refused) {
        extra.setAttribute('aria-invalid', 'true');
        extra.focus();
        throw new Error(refused);
      }
      extra.removeAttribute('aria-invalid');
      if (strategy.value === 'fixed') body.fixedPrice = extra.value.trim().replace(',', '.');
      if (strategy.value === 'push') body.push = { targetUnits: Number(extra.value), periodDays: 30 };
      await api(`/repricer/offers/${encodeURIComponent(o.sku)}/strategy`, { method: 'PUT', body });
      await refresh();
    },
    errors,
  );
  const pause = el('button', { type: 'button', class: 'secondary', id: 'pause-offer', text: o.paused ? t('rp.resume') : t('rp.pause') });
  action(
    pause,
    async () => {
      await api(`/repricer/offers/${encodeURIComponent(o.sku)}/${o.paused ? 'resume' : 'pause'}`, { method: 'POST', body: { marketplaceId: o.marketplaceId, audience: o.audience } });
      await refresh();
    },
    errors,
  );
  let chart: HTMLElement;
  try {
    const history = await api<{ items: HistoryPoint[] }>(`/repricer/offers/${encodeURIComponent(o.sku)}/history?limit=2000`);
    const mine = history.items.filter((p) => p.marketplaceId === o.marketplaceId && p.audience === o.audience);
    chart = mine.some((p) => p.kind === 'decision') ? priceChart(mine, Math.min(900, Math.max(280, window.innerWidth - 80))) : el('p', { class: 'muted', text: t('rp.historyNone') });
  } catch (error) {
    chart = errorBox(error);
  }
  const rulesText = competitorRulesText(o.rules, o.rules.currency);
  return section(
    'offer-detail',
    t('rp.history', { sku: o.sku, market: marketName(o.marketplaceId), audience: label('audience', o.audience) }),
    el('div', { class: 'toolbar' }, el('label', { for: 'strategy', text: t('rp.strategyFor', { sku: o.sku }) }), strategy, extraWrap, apply, pause),
    errors,
    chart,
    o.lastReason ? el('p', { class: 'muted', id: 'offer-reason', text: reasonText(o.lastReasonDetail, o.lastReason, o.rules.currency) }) : '',
    o.minDerivation ? minDerivationView(o.minDerivation, o.rules.currency) : '',
    rulesText ? el('p', { class: 'muted', id: 'offer-competitor-rules', text: rulesText }) : '',
    stockPanel(o),
    salesPanel(o),
  );
}

/**
 * Draws the view into `root`. The upload form and the offer detail stay in place while the figures around them are
 * redrawn (after an upload, a switch or a pause), so what they show (row errors, the chart) is not lost.
 */
/** The offer the user has open on each page root: it stays open when the page is drawn anew (a language switch). */
const openedOffers = new WeakMap<HTMLElement, string>();

export async function renderRepricer(root: HTMLElement, tenantId: string): Promise<void> {
  let selected: string | null = openedOffers.get(root) ?? null;
  let sellerId: string | null = null;
  const connectionHolder = el('div');
  const settingsHolder = el('div');
  const offersHolder = el('div');
  const detailHolder = el('div', { id: 'offer-detail-holder' });
  const draw = async (): Promise<void> => {
    const [offers, connection] = await Promise.all([api<Offers>('/repricer/offers'), connectionView()]);
    sellerId = offers.settings?.sellerId ?? connection.sellerId;
    const rows = offers.items.map((o) => {
      const show = el('button', { type: 'button', class: 'secondary', text: t('rp.chart'), 'aria-label': `${t('rp.chart')}: ${o.sku} ${marketName(o.marketplaceId)} ${o.audience}` });
      show.addEventListener('click', () => {
        selected = offerKey(o);
        openedOffers.set(root, selected);
        showDetailIn(detailHolder, () => offerDetail(o, draw));
      });
      return el(
        'tr',
        { 'data-offer': offerKey(o), 'data-state': o.state },
        el('td', { class: 'nowrap', text: o.sku }),
        cell(marketName(o.marketplaceId)),
        cell(label('audience', o.audience)),
        cell(label('strategy', o.rules.strategy)),
        cell(`${minOf(o)} – ${decimalMoney(o.rules.max, o.rules.currency)}`),
        cell(o.paused ? `${label('state', o.state)} (${t('rp.paused')})` : label('state', o.state)),
        el('td', {}, el('span', { class: `buybox ${o.buyBox}`, text: label('buyBox', o.buyBox) }), el('br'), el('span', { class: 'muted', text: t('rp.competitors', { count: integer(o.competitorCount) }) })),
        cell(o.currentPrice === null ? t('app.none') : decimalMoney(o.currentPrice, o.rules.currency), true),
        cell(o.lastPushedPrice === null ? t('app.none') : decimalMoney(o.lastPushedPrice, o.rules.currency), true),
        stockCell(o),
        el('td', { class: o.lastPush?.status.startsWith('failed') ? 'bad' : undefined, text: pushStatus(o) }),
        el('td', {}, show),
      );
    });
    connectionHolder.replaceChildren(connection.node);
    settingsHolder.replaceChildren(settingsView(offers, draw));
    offersHolder.replaceChildren(
      rows.length > 0
        ? table({
            id: 'offers',
            caption: t('rp.offers'),
            columns: [
              { label: t('rp.col.sku') },
              { label: t('rp.col.market') },
              { label: t('rp.col.audience') },
              { label: t('rp.col.strategy') },
              { label: t('rp.col.range') },
              { label: t('rp.col.state') },
              { label: t('rp.col.buyBox') },
              { label: t('rp.col.current'), numeric: true },
              { label: t('rp.col.pushed'), numeric: true },
              { label: t('rp.col.stock'), numeric: true },
              { label: t('rp.col.push') },
              { label: t('rp.col.actions') },
            ],
            rows,
          })
        : el('p', { class: 'muted', text: t('rp.offersNone') }),
    );
    if (selected !== null) offersHolder.querySelector<HTMLButtonElement>(`tr[data-offer="${CSS.escape(selected)}"] button`)?.click();
  };
  await draw();
  root.replaceChildren(
    section('connection-section', t('rp.connection'), connectionHolder),
    section('settings-section', t('rp.settings'), settingsHolder),
    section('offers-section', t('rp.offers'), offersHolder),
    detailHolder,
    section('upload-section', t('rp.upload'), uploadView(() => sellerId, draw)),
    await renderOnboarding(tenantId),
  );
}
