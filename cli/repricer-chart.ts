/**
 * Price-over-time plots for the simulation: a terminal chart (always) and an SVG file (with --svg).
 */

export interface ChartSeries {
  readonly label: string;
  /** One character drawn in the terminal chart. */
  readonly glyph: string;
  readonly color: string;
  /** Values in minor units, equally spaced in time. */
  readonly values: readonly number[];
}

export function terminalChart(title: string, series: readonly ChartSeries[], options: { width?: number; height?: number; days: number }): string {
  const width = options.width ?? 72;
  const height = options.height ?? 12;
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  if (all.length === 0) return `${title}: no data\n`;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi === lo) {
    hi += 10;
    lo -= 10;
  }
  const grid: string[][] = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  // Later series are drawn first so the first one (the strategy) stays on top.
  for (const s of [...series].reverse()) {
    for (let x = 0; x < width; x++) {
      const value = s.values[Math.min(s.values.length - 1, Math.floor((x * s.values.length) / width))];
      if (value === undefined || !Number.isFinite(value)) continue;
      const y = height - 1 - Math.round(((value - lo) / (hi - lo)) * (height - 1));
      const row = grid[y];
      if (row) row[x] = s.glyph;
    }
  }
  const label = (v: number): string => (v / 100).toFixed(2).padStart(7);
  const lines = grid.map((row, y) => {
    const v = hi - ((hi - lo) * y) / (height - 1);
    return `${y === 0 || y === height - 1 || y === Math.floor(height / 2) ? label(v) : ' '.repeat(7)} │${row.join('')}`;
  });
  const axis = `${' '.repeat(7)} └${'─'.repeat(width)}`;
  const days = `${' '.repeat(8)}day 0${' '.repeat(Math.max(1, width - 10 - String(options.days).length))}day ${options.days}`;
  const legend = series.map((s) => `${s.glyph} ${s.label}`).join('   ');
  return [title, ...lines, axis, days, `${' '.repeat(8)}${legend}`, ''].join('\n');
}

export function svgChart(panels: readonly { title: string; series: readonly ChartSeries[] }[], days: number): string {
  const panelWidth = 900;
  const panelHeight = 260;
  const margin = { left: 60, right: 20, top: 30, bottom: 40 };
  const out: string[] = [];
  const totalHeight = panels.length * (panelHeight + 20);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${panelWidth}" height="${totalHeight}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  panels.forEach((panel, p) => {
    const top = p * (panelHeight + 20);
    const values = panel.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
    const lo = Math.min(...values) - 10;
    const hi = Math.max(...values) + 10;
    const plotW = panelWidth - margin.left - margin.right;
    const plotH = panelHeight - margin.top - margin.bottom;
    const x = (i: number, n: number): number => margin.left + (n <= 1 ? 0 : (i * plotW) / (n - 1));
    const y = (v: number): number => top + margin.top + plotH - ((v - lo) / (hi - lo)) * plotH;
    out.push(`<text x="${margin.left}" y="${top + 18}" font-weight="bold">${escape(panel.title)}</text>`);
    out.push(`<rect x="${margin.left}" y="${top + margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>`);
    for (let t = 0; t <= 4; t++) {
      const v = lo + ((hi - lo) * t) / 4;
      out.push(`<text x="${margin.left - 6}" y="${y(v) + 4}" text-anchor="end">${(v / 100).toFixed(2)}</text>`);
    }
    for (let d = 0; d <= days; d += Math.max(1, Math.round(days / 6))) {
      out.push(`<text x="${margin.left + (d / days) * plotW}" y="${top + panelHeight - 18}" text-anchor="middle">day ${d}</text>`);
    }
    panel.series.forEach((s, k) => {
      const points = s.values.map((v, i) => `${x(i, s.values.length).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="${k === 0 ? 2 : 1.2}" points="${points}"/>`);
      out.push(`<text x="${margin.left + 10 + k * 190}" y="${top + panelHeight - 2}" fill="${s.color}">— ${escape(s.label)}</text>`);
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
