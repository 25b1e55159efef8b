/**
 * The price history of one offer with uPlot: our price and the lowest competitor as steps, the rule's min/max
 * band as dashed lines, and the periods in which the Buy Box was ours shaded behind them. Under the chart a
 * one-line summary for screen readers (the canvas itself is not readable).
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from '../dom.ts';
import { t } from '../i18n.ts';
import { dateTime, decimalMoney, locale } from '../format.ts';

export interface HistoryPoint {
  readonly at: string;
  readonly kind: string;
  readonly marketplaceId: string;
  readonly audience: string;
  readonly price: string;
  readonly currency: string;
  readonly buyBox: string;
  readonly lowestCompetitor?: string | null;
  readonly min?: string;
  readonly max?: string;
}

const num = (s: string | null | undefined): number | null => (s === null || s === undefined ? null : Number(s));

export function priceChart(points: readonly HistoryPoint[], width: number): HTMLElement {
  const decisions = points.filter((p) => p.kind === 'decision');
  const currency = decisions[0]?.currency ?? 'EUR';
  const xs = decisions.map((p) => Date.parse(p.at) / 1000);
  const won = decisions.map((p) => p.buyBox === 'won');
  const data: uPlot.AlignedData = [
    xs,
    decisions.map((p) => num(p.price)),
    decisions.map((p) => num(p.lowestCompetitor)),
    decisions.map((p) => num(p.min)),
    decisions.map((p) => num(p.max)),
  ];
  const styles = getComputedStyle(document.documentElement);
  const colour = (name: string, fallback: string): string => styles.getPropertyValue(name).trim() || fallback;
  const buyBoxShade = colour('--buybox', 'rgba(31,138,76,0.14)');
  const formatPrice = (_u: uPlot, v: number | null): string => (v === null ? '—' : decimalMoney(String(v), currency));
  const timeFormat = new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' });
  const options: uPlot.Options = {
    width,
    height: 280,
    // The legend names the series; values at the cursor would read 1970 before the pointer is on the chart.
    legend: { live: false },
    series: [
      { value: (_u, v) => timeFormat.format(new Date(v * 1000)) },
      { label: t('rp.series.ours'), stroke: colour('--accent', '#2456d8'), width: 2, paths: uPlot.paths.stepped?.({ align: 1 }), value: formatPrice },
      { label: t('rp.series.lowest'), stroke: colour('--warn', '#a35f00'), width: 1.5, paths: uPlot.paths.stepped?.({ align: 1 }), value: formatPrice },
      { label: t('rp.series.min'), stroke: colour('--muted', '#5b6375'), dash: [6, 4], width: 1, value: formatPrice },
      { label: t('rp.series.max'), stroke: colour('--muted', '#5b6375'), dash: [2, 4], width: 1, value: formatPrice },
    ],
    axes: [
      { values: (_u, ticks) => ticks.map((v) => timeFormat.format(new Date(v * 1000))) },
      { values: (_u, ticks) => ticks.map((v) => decimalMoney(String(v), currency)), size: 80 },
    ],
    hooks: {
      // Buy Box periods: from a decision that saw the Buy Box ours to the next decision, shaded behind the lines.
      drawClear: [
        (u) => {
          const { ctx } = u;
          const { top, height } = u.bbox;
          ctx.save();
          ctx.fillStyle = buyBoxShade;
          for (let i = 0; i < xs.length; i++) {
            if (!won[i]) continue;
            const from = u.valToPos(xs[i]!, 'x', true);
            const to = u.valToPos(xs[i + 1] ?? u.scales.x!.max ?? xs[i]!, 'x', true);
            ctx.fillRect(from, top, Math.max(1, to - from), height);
          }
          ctx.restore();
        },
      ],
    },
  };
  const holder = el('div', { class: 'price-chart', 'aria-hidden': 'true' });
  new uPlot(options, data, holder);
  const summary =
    decisions.length > 0
      ? t('rp.chartSummary', { count: decisions.length, from: dateTime(decisions[0]!.at), to: dateTime(decisions.at(-1)!.at), won: won.filter(Boolean).length })
      : t('rp.historyNone');
  return el(
    'figure',
    // Named by its summary alone: the shading's legend is for the eye (the summary says the same in words), and run
    // into the name it read "Buy Box ours 5 points from …".
    { class: 'chart-figure', 'aria-labelledby': 'chart-summary' },
    holder,
    el('figcaption', {}, el('span', { class: 'legend-buybox', 'aria-hidden': 'true', text: t('rp.series.buyBox') }), el('span', { id: 'chart-summary', text: summary })),
  );
}
