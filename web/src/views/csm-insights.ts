/**
 * Surveys and product feedback: a quarter's survey results (`getSurveyResults`: NPS, response rate, satisfaction by
 * product, NPS by language, what customers would improve), the NPS trend over the last quarters (`getSurveyTrends`,
 * a table and a bar chart with a zero line and each bar's value) and the root causes of difficulties, highest impact
 * first (`listRootCauses`).
 */
import { api } from '../api.ts';
import { cell, el, table } from '../dom.ts';
import { label, t } from '../i18n.ts';
import { csmLabel } from '../csm-labels.ts';
import { dateTime, integer, locale } from '../format.ts';
import { errorBox, section } from './common.ts';
import { serverNow } from '../clock.ts';
import type { NpsFigures, QuarterResults, RootCause, TrendQuarter } from './csm-types.ts';

const TREND_QUARTERS = 6;

/** `2026-Q4` for a date (calendar quarters, the user's calendar). */
export function quarterOf(date: Date): string {
  return `${date.getFullYear()}-Q${Math.floor(date.getMonth() / 3) + 1}`;
}

export function previousQuarter(quarter: string): string {
  const [year, q] = quarter.split('-Q').map(Number) as [number, number];
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

function quarterName(quarter: string): string {
  const [year, q] = quarter.split('-Q');
  return t('ins.quarter', { q: q ?? '', year: year ?? '' });
}

function quarterShort(quarter: string): string {
  const [year, q] = quarter.split('-Q');
  return t('ins.quarterShort', { q: q ?? '', year: year ?? '' });
}

function nps(value: number | null): string {
  return value === null ? t('app.none') : new Intl.NumberFormat(locale(), { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value);
}

function share(value: number | null): string {
  return value === null ? t('app.none') : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

function score(value: number | null): string {
  return value === null ? t('app.none') : new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(value);
}

function kpi(key: string, title: string, value: string, note = ''): HTMLElement {
  return el('div', { class: 'kpi', 'data-kpi': key }, el('div', { class: 'label', text: title }), el('div', { class: 'value', text: value }), ...(note ? [el('div', { class: 'count', text: note })] : []));
}

function npsColumns(first: string): { label: string; numeric?: boolean }[] {
  return [{ label: first }, { label: t('ins.nps'), numeric: true }, { label: t('ins.responses'), numeric: true }, { label: t('ins.promoters'), numeric: true }, { label: t('ins.passives'), numeric: true }, { label: t('ins.detractors'), numeric: true }];
}

function npsCells(f: NpsFigures): HTMLTableCellElement[] {
  return [cell(nps(f.nps), true), cell(integer(f.responses), true), cell(integer(f.promoters), true), cell(integer(f.passives), true), cell(integer(f.detractors), true)];
}

function resultsView(r: QuarterResults): HTMLElement {
  const products = Object.entries(r.byProduct);
  const languages = Object.entries(r.byLanguage);
  return el(
    'div',
    { id: 'survey-results', 'data-quarter': r.quarter },
    el(
      'div',
      { class: 'kpis' },
      kpi('nps', t('ins.nps'), nps(r.nps), t('ins.npsNote')),
      kpi('responses', t('ins.responses'), integer(r.responses), r.planned > 0 ? t('ins.ofPlanned', { planned: integer(r.planned) }) : t('ins.noCampaign')),
      kpi('rate', t('ins.responseRate'), share(r.responseRate)),
      kpi('consents', t('ins.followUps'), integer(r.followUpConsents)),
    ),
    products.length === 0
      ? el('p', { class: 'muted', text: t('ins.noResponses') })
      : table({
          id: 'survey-by-product',
          caption: t('ins.byProduct'),
          columns: [...npsColumns(t('c360.col.product')), { label: t('ins.satisfaction'), numeric: true }],
          rows: products.map(([product, f]) => el('tr', { 'data-product': product }, cell(csmLabel('product', product)), ...npsCells(f), cell(score(f.averageSatisfaction), true))),
        }),
    ...(languages.length === 0
      ? []
      : [
          el('h3', { text: t('ins.byLanguage') }),
          table({ id: 'survey-by-language', caption: t('ins.byLanguage'), columns: npsColumns(t('csm.col.language')), rows: languages.map(([language, f]) => el('tr', {}, cell(label('language', language)), ...npsCells(f))) }),
        ]),
    el('h3', { text: t('ins.improvements') }),
    r.improvements.length === 0 ? el('p', { class: 'muted', text: t('ins.improvementsNone') }) : el('ul', { id: 'survey-improvements' }, ...r.improvements.map((i) => el('li', { text: i }))),
  );
}

function svg(tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** NPS per quarter as bars around a zero line (NPS runs from −100 to +100), each bar labelled with its value. */
function trendChart(quarters: readonly TrendQuarter[]): Element {
  const width = 520;
  const height = 200;
  const top = 20;
  const bottom = 30;
  const left = 40;
  const zero = top + (height - top - bottom) / 2;
  const scale = (height - top - bottom) / 200;
  const step = (width - left) / Math.max(1, quarters.length);
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'nps-trend-title' });
  chart.append(svg('title', { id: 'nps-trend-title' }, t('ins.trendChart')));
  for (const tick of [100, 50, 0, -50, -100]) {
    const y = zero - tick * scale;
    chart.append(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, nps(tick)), svg('line', { class: tick === 0 ? 'axis' : 'grid', x1: left, x2: width, y1: y, y2: y }));
  }
  quarters.forEach((q, i) => {
    const x = left + i * step + step * 0.2;
    const barWidth = step * 0.6;
    chart.append(svg('text', { x: x + barWidth / 2, y: height - 8, 'text-anchor': 'middle' }, quarterShort(q.quarter)));
    if (q.nps === null) return;
    const y = q.nps >= 0 ? zero - q.nps * scale : zero;
    chart.append(
      svg('rect', { class: 'bar', x, y, width: barWidth, height: Math.max(1, Math.abs(q.nps) * scale) }),
      svg('text', { class: 'value', x: x + barWidth / 2, y: q.nps >= 0 ? y - 4 : y + Math.abs(q.nps) * scale + 14, 'text-anchor': 'middle' }, nps(q.nps)),
    );
  });
  return el('figure', { class: 'chart-figure', id: 'nps-trend-chart' }, chart);
}

function trendsView(quarters: readonly TrendQuarter[]): HTMLElement {
  return el(
    'div',
    { id: 'nps-trends' },
    trendChart(quarters),
    table({
      id: 'nps-trend-table',
      caption: t('ins.trends'),
      columns: [{ label: t('ins.quarterCol') }, { label: t('ins.nps'), numeric: true }, { label: t('ins.change'), numeric: true }, { label: t('ins.responses'), numeric: true }, { label: t('ins.responseRate'), numeric: true }],
      rows: quarters.map((q) => el('tr', {}, cell(quarterName(q.quarter)), cell(nps(q.nps), true), cell(nps(q.npsChange ?? null), true), cell(integer(q.responses ?? 0), true), cell(share(q.responseRate ?? null), true))),
    }),
  );
}

function rootCausesView(causes: readonly RootCause[], open: (customerId: string) => void): HTMLElement {
  if (causes.length === 0) return el('p', { class: 'muted', id: 'root-causes-empty', text: t('ins.rootCausesNone') });
  return table({
    id: 'root-causes',
    caption: t('ins.rootCauses'),
    columns: [{ label: t('csm.col.title') }, { label: t('csm.outcome.productArea') }, { label: t('ins.customers'), numeric: true }, { label: t('ins.mentions'), numeric: true }, { label: t('csm.outcome.severity') }, { label: t('ins.impact'), numeric: true }, { label: t('ins.lastSeen') }, { label: t('ins.samples') }],
    rows: causes.map((r) => {
      const who = el('td', {});
      r.affectedCustomers.slice(0, 5).forEach((customerId, i) => {
        const button = el('button', { type: 'button', class: 'link', 'aria-label': t('csm.open360For', { name: customerId }), text: customerId });
        button.addEventListener('click', () => {
          open(customerId);
        });
        who.append(...(i > 0 ? [', '] : []), button);
      });
      return el(
        'tr',
        { 'data-root-cause': r.rootCauseId },
        el('td', {}, el('div', { text: r.title }), who),
        cell(csmLabel('productArea', r.productArea)),
        cell(integer(r.customers), true),
        cell(integer(r.mentions), true),
        cell(csmLabel('severity', r.maxSeverity)),
        cell(score(r.impact), true),
        cell(dateTime(r.lastSeenAt)),
        cell(r.samples.slice(0, 2).join(' · ')),
      );
    }),
  });
}

/** Draws a quarter's results (`quarter`; `null`: the system's current quarter, from its clock). */
export async function renderInsights(root: HTMLElement, requested: string | null, open: (customerId: string) => void): Promise<void> {
  let current: string;
  try {
    current = quarterOf(await serverNow());
  } catch (error) {
    root.replaceChildren(section('surveys-section', t('ins.surveys'), errorBox(error)));
    return;
  }
  const quarter = requested ?? current;
  let from = quarter;
  for (let i = 1; i < TREND_QUARTERS; i++) from = previousQuarter(from);
  const [results, trends, causes] = await Promise.allSettled([
    api<QuarterResults>(`/surveys/results/${encodeURIComponent(quarter)}`),
    api<{ quarters: TrendQuarter[] }>(`/surveys/trends?from=${from}&to=${quarter}`),
    api<{ items: RootCause[] }>('/feedback/root-causes?limit=50'),
  ]);
  const choices = [quarter];
  for (let q = current, i = 0; i < 8; i++, q = previousQuarter(q)) if (!choices.includes(q)) choices.push(q);
  choices.sort().reverse();
  const picker = el('select', { id: 'survey-quarter' }, ...choices.map((q) => el('option', { value: q, text: quarterName(q) })));
  picker.value = quarter;
  picker.addEventListener('change', () => {
    void renderInsights(root, picker.value, open).then(() => root.querySelector<HTMLElement>('#survey-quarter')?.focus());
  });
  root.replaceChildren(
    section(
      'surveys-section',
      t('ins.surveys'),
      el('div', { class: 'toolbar' }, el('label', { for: 'survey-quarter', text: t('ins.quarterCol') }), picker),
      results.status === 'fulfilled' ? resultsView(results.value) : errorBox(results.reason),
    ),
    section('trends-section', t('ins.trends'), trends.status === 'fulfilled' ? trendsView(trends.value.quarters) : errorBox(trends.reason)),
    section('root-causes-section', t('ins.rootCauses'), causes.status === 'fulfilled' ? rootCausesView(causes.value.items, open) : errorBox(causes.reason)),
  );
}
