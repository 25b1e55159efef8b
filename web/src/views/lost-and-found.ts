/** Lost & Found for a customer: figures, recovered by month (bars with axis and values), by type, every claim. */
import { api } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { day, integer, money, moneyList, month, percent, type MinorMoney } from '../format.ts';
import { errorBox, section, showDetailIn } from './common.ts';
import { auditPanel, type AuditJob } from './audit-panel.ts';
import { canFile, claimDetail } from './claim-detail.ts';
import { reportFetchesSection } from './report-fetches.ts';

interface Figure {
  readonly count: number;
  readonly value: readonly MinorMoney[];
}
interface Dashboard {
  readonly found: Figure;
  readonly filed: Figure;
  readonly paid: Figure;
  readonly rejected: Figure;
  readonly expiring: Figure;
  readonly recovered: readonly MinorMoney[];
  readonly feeOwed: readonly MinorMoney[];
  readonly feeBasisPoints: number;
  readonly byMonth: readonly { readonly month: string; readonly recovered: readonly MinorMoney[] }[];
  readonly byType: readonly { readonly type: string; readonly found: Figure; readonly filed: Figure; readonly paid: Figure; readonly rejected: Figure; readonly expiring: Figure }[];
}
interface Claim {
  readonly id: string;
  readonly type: string;
  readonly msku: string;
  readonly ref: string;
  readonly quantity: number;
  readonly amount: MinorMoney;
  readonly deadline: string;
  readonly status: string;
  readonly caseId?: string | null;
}

function kpi(key: string, title: string, figure: Figure | null, value: string): HTMLElement {
  return el(
    'div',
    { class: 'kpi', 'data-kpi': key },
    el('div', { class: 'label', text: title }),
    el('div', { class: 'value', text: value }),
    el('div', { class: 'count', text: figure ? (figure.count === 1 ? t('lf.kpi.countOne') : t('lf.kpi.count', { count: integer(figure.count) })) : '' }),
  );
}

const SVG = 'http://www.w3.org/2000/svg';
function svgNode(tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Bars per month with a value axis (0 and the maximum), month labels and each bar's value written on it. */
function monthChart(byMonth: Dashboard['byMonth']): Element {
  const width = 720;
  const height = 220;
  const left = 90;
  const bottom = 30;
  const top = 24;
  const amounts = byMonth.map((m) => m.recovered[0] ?? null);
  const max = Math.max(1, ...amounts.map((a) => a?.minor ?? 0));
  const currency = amounts.find((a) => a !== null)?.currency ?? 'EUR';
  const plotHeight = height - top - bottom;
  const barWidth = byMonth.length > 0 ? (width - left - 10) / byMonth.length : 0;
  const svg = svgNode('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': t('lf.byMonth'), class: 'chart' });
  svg.append(
    svgNode('line', { x1: left, y1: top, x2: left, y2: top + plotHeight, class: 'axis' }),
    svgNode('line', { x1: left, y1: top + plotHeight, x2: width - 10, y2: top + plotHeight, class: 'axis' }),
    svgNode('text', { x: left - 6, y: top + plotHeight, 'text-anchor': 'end' }, money({ minor: 0, currency })),
    svgNode('text', { x: left - 6, y: top + 4, 'text-anchor': 'end' }, money({ minor: max, currency })),
  );
  byMonth.forEach((m, i) => {
    const value = amounts[i]?.minor ?? 0;
    const h = (value / max) * plotHeight;
    const x = left + i * barWidth + 4;
    const bar = svgNode('rect', { x, y: top + plotHeight - h, width: Math.max(2, barWidth - 8), height: h, class: 'bar' });
    bar.append(svgNode('title', {}, `${month(m.month)}: ${moneyList(m.recovered)}`));
    svg.append(bar, svgNode('text', { x: x + (barWidth - 8) / 2, y: height - 10, 'text-anchor': 'middle' }, month(m.month)));
    if (value > 0) svg.append(svgNode('text', { x: x + (barWidth - 8) / 2, y: top + plotHeight - h - 4, 'text-anchor': 'middle', class: 'value' }, moneyList(m.recovered)));
  });
  return svg;
}

/**
 * Claims found per type as horizontal bars (the type names are long): a count axis (0 and the maximum) below,
 * each type's name at its bar and its count and value written after it.
 */
function typeChart(byType: Dashboard['byType']): Element {
  const rows = byType.filter((row) => row.found.count > 0).sort((a, b) => b.found.count - a.found.count);
  const width = 720;
  const left = 290;
  const right = 170;
  const top = 8;
  const rowHeight = 26;
  const bottom = 26;
  const height = top + rows.length * rowHeight + bottom;
  const plotWidth = width - left - right;
  const max = Math.max(1, ...rows.map((row) => row.found.count));
  const svg = svgNode('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': `${t('lf.byTypeChart')}. ${t('lf.byTypeChartSummary')}`, class: 'chart', id: 'type-chart' });
  const axisY = top + rows.length * rowHeight;
  svg.append(
    svgNode('line', { x1: left, y1: top, x2: left, y2: axisY, class: 'axis' }),
    svgNode('line', { x1: left, y1: axisY, x2: left + plotWidth, y2: axisY, class: 'axis' }),
    svgNode('text', { x: left, y: axisY + 18, 'text-anchor': 'middle' }, integer(0)),
    svgNode('text', { x: left + plotWidth, y: axisY + 18, 'text-anchor': 'middle' }, integer(max)),
  );
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    const w = (row.found.count / max) * plotWidth;
    const name = label('claimType', row.type);
    const value = `${integer(row.found.count)} · ${moneyList(row.found.value)}`;
    const bar = svgNode('rect', { x: left, y: y + 4, width: Math.max(2, w), height: rowHeight - 8, class: 'bar', 'data-type': row.type });
    bar.append(svgNode('title', {}, `${name}: ${value}`));
    svg.append(
      svgNode('text', { x: left - 6, y: y + rowHeight / 2 + 4, 'text-anchor': 'end' }, name),
      bar,
      svgNode('text', { x: left + Math.max(2, w) + 6, y: y + rowHeight / 2 + 4, class: 'value' }, value),
    );
  });
  return svg;
}

/**
 * The claim the user has open on each page root. The view is drawn again whenever its figures change (an audit's
 * last figures arrive, a claim is filed, the language is switched): the claim the user opened stays open through
 * that, instead of closing under their hands.
 */
const openedClaims = new WeakMap<HTMLElement, string>();

export async function renderLostAndFound(root: HTMLElement, openClaim: string | null = null, lastAudit: AuditJob | null = null): Promise<void> {
  const [dashboard, claims, audit, fetches] = await Promise.all([
    api<Dashboard>('/lost-and-found/dashboard'),
    api<{ claims: Claim[] }>('/lost-and-found/claims'),
    auditPanel((job) => renderLostAndFound(root, null, job), lastAudit),
    reportFetchesSection(),
  ]);
  const detailHolder = el('div', { id: 'claim-detail-holder' });
  const showDetail = (claimId: string): void => {
    openedClaims.set(root, claimId);
    showDetailIn(detailHolder, () => claimDetail(claimId, () => renderLostAndFound(root, claimId)));
  };
  const errors = el('div', { class: 'errors' });
  const anyRecovered = dashboard.byMonth.some((m) => m.recovered.some((r) => r.minor > 0));
  const rows = [...claims.claims]
    .sort((a, b) => a.deadline.localeCompare(b.deadline))
    .map((c) => {
      const fileable = canFile(c.status);
      const details = el('button', { type: 'button', class: 'secondary', text: t('lf.details'), 'aria-label': `${t('lf.details')}: ${c.msku} ${c.ref}` });
      details.addEventListener('click', () => {
        showDetail(c.id);
      });
      const actionCell = el('td', { class: 'actions' }, details, ' ');
      if (fileable) {
        const button = el('button', { type: 'button', class: 'secondary', text: t('lf.file'), 'aria-label': `${t('lf.file')}: ${c.msku} ${c.ref}` });
        button.addEventListener('click', () => {
          button.disabled = true;
          api(`/lost-and-found/claims/${encodeURIComponent(c.id)}/file`, { method: 'POST' })
            .then(() => renderLostAndFound(root))
            .catch((error: unknown) => {
              button.disabled = false;
              errors.replaceChildren(errorBox(error));
            });
        });
        actionCell.append(button);
      } else if (c.caseId) {
        actionCell.append(t('lf.case', { caseId: c.caseId }));
      }
      return el(
        'tr',
        { 'data-claim': c.id },
        cell(label('claimType', c.type)),
        cell(c.msku),
        cell(c.ref),
        cell(integer(c.quantity), true),
        cell(money(c.amount), true),
        cell(day(c.deadline)),
        el('td', {}, el('span', { class: `status ${c.status}`, 'data-status': c.status, text: label('claimStatus', c.status) })),
        actionCell,
      );
    });
  // Zero amounts are money too (`0,00 €`, not `0`): in the currency the account's claims are in.
  const accountCurrency = dashboard.found.value[0]?.currency;
  root.replaceChildren(
    audit,
    section(
      'lf',
      t('lf.title'),
      el(
        'div',
        { class: 'kpis', id: 'kpis' },
        kpi('found', t('lf.kpi.found'), dashboard.found, moneyList(dashboard.found.value)),
        kpi('filed', t('lf.kpi.filed'), dashboard.filed, moneyList(dashboard.filed.value, accountCurrency)),
        kpi('paid', t('lf.kpi.paid'), dashboard.paid, moneyList(dashboard.paid.value, accountCurrency)),
        kpi('rejected', t('lf.kpi.rejected'), dashboard.rejected, moneyList(dashboard.rejected.value, accountCurrency)),
        kpi('expiring', t('lf.kpi.expiring'), dashboard.expiring, moneyList(dashboard.expiring.value, accountCurrency)),
        kpi('recovered', t('lf.kpi.recovered'), null, moneyList(dashboard.recovered, accountCurrency)),
        kpi('fee-owed', t('lf.kpi.feeOwed', { percent: percent(dashboard.feeBasisPoints) }), null, moneyList(dashboard.feeOwed, accountCurrency)),
      ),
      el(
        'div',
        { class: 'charts' },
        el('div', {}, el('h3', { text: t('lf.byMonth') }), anyRecovered ? monthChart(dashboard.byMonth) : el('p', { class: 'muted', text: t('lf.byMonthNone') })),
        el('div', {}, el('h3', { text: t('lf.byTypeChart') }), dashboard.byType.some((row) => row.found.count > 0) ? typeChart(dashboard.byType) : el('p', { class: 'muted', text: t('lf.claimsNone') })),
      ),
      el('h3', { text: t('lf.byType') }),
      table({
        id: 'by-type',
        caption: t('lf.byType'),
        columns: [
          { label: t('lf.col.type') },
          { label: t('lf.kpi.found'), numeric: true },
          { label: t('lf.kpi.filed'), numeric: true },
          { label: t('lf.kpi.paid'), numeric: true },
          { label: t('lf.kpi.rejected'), numeric: true },
          { label: t('lf.kpi.expiring'), numeric: true },
        ],
        rows: dashboard.byType.map((row) =>
          el(
            'tr',
            {},
            cell(label('claimType', row.type)),
            cell(integer(row.found.count), true),
            cell(integer(row.filed.count), true),
            cell(integer(row.paid.count), true),
            cell(integer(row.rejected.count), true),
            cell(integer(row.expiring.count), true),
          ),
        ),
      }),
    ),
    section(
      'claims-section',
      t('lf.claims'),
      errors,
      rows.length > 0
        ? table({
            id: 'claims',
            caption: t('lf.claims'),
            columns: [
              { label: t('lf.col.type') },
              { label: t('lf.col.sku') },
              { label: t('lf.col.ref') },
              { label: t('lf.col.units'), numeric: true },
              { label: t('lf.col.value'), numeric: true },
              { label: t('lf.col.deadline') },
              { label: t('lf.col.status') },
              { label: t('lf.col.action') },
            ],
            rows,
          })
        : el('p', { class: 'muted', text: t('lf.claimsNone') }),
    ),
    detailHolder,
    fetches,
  );
  // Read after the data arrived: a claim opened while this drawing was loading counts too.
  const reopen = openClaim ?? openedClaims.get(root) ?? null;
  if (reopen !== null && claims.claims.some((c) => c.id === reopen)) showDetail(reopen);
}
