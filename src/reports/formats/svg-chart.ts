/**
 * Charts for people who would rather look than read, as server-rendered SVG: no script, no font,
 * no external asset, so the same markup works in the dashboard and in a saved HTML report.
 *
 * - {@link rateChart}: per unit, the late rate and the on-time rate as horizontal bars on one
 *   0–100 % scale, with the late-rate threshold as a vertical line.
 * - {@link trendChart}: received and resolved dossiers by month as paired columns.
 *
 * Each chart is `role="img"` with a `<title>` and a `<desc>` that says every figure in words
 * (Vietnamese number format), and each bar has its own `<title>`. The drawing is `width="100%"`
 * over a narrow viewBox, so it fits a 390 px phone and grows (up to `max-width`) on a desk.
 * Bars carry `data-*` attributes (unit, series, value) so tests and people's tools can read them.
 */
import { formatCount, formatPercent } from './vi-number.ts';

export interface RateChartRow {
  /** Unit name as people know it. */
  label: string;
  code: string | null;
  /** Percent (0–100) or null when nothing counts. */
  late: number | null;
  onTime: number | null;
}

export interface TrendPoint {
  /** `YYYY-MM` */
  month: string;
  received: number;
  resolved: number;
}

export type ChartSpec =
  | { kind: 'rates'; id: string; title: string; rows: RateChartRow[]; threshold: number }
  | { kind: 'trend'; id: string; title: string; points: TrendPoint[] };

/** Width of the drawing in SVG units; the page scales it to its column. */
export const CHART_WIDTH = 360;
/** Where the bars of the rate chart start and how long 100 % is. */
export const RATE_PLOT = { left: 8, width: 280 } as const;
/** Plot area of the trend chart (column heights are measured from `bottom`). */
export const TREND_PLOT = { left: 36, right: 352, top: 30, bottom: 170 } as const;

const COLOURS = { late: '#b3261e', onTime: '#1b7f3b', received: '#2f5f98', resolved: '#e08a00', threshold: '#111', grid: '#d5dbe3' } as const;

const esc = (s: string) => s.normalize('NFC').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const num = (x: number) => String(Math.round(x * 100) / 100);
const clampRate = (x: number | null) => (x === null ? 0 : Math.max(0, Math.min(100, x)));
const unitName = (r: RateChartRow) => `${r.label}${r.code ? ` (${r.code})` : ''}`;

/** `2026-10` → `10/2026` */
export const monthLabel = (month: string) => `${month.slice(5, 7)}/${month.slice(0, 4)}`;

/** Inline SVG for HTML pages: no xmlns (HTML needs none, and the page then holds no URL at all). */
function frame(id: string, title: string, desc: string, height: number, body: string, maxWidth: number): string {
  return `<svg class="chart" id="${esc(id)}" role="img" aria-labelledby="${esc(id)}-title ${esc(id)}-desc" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" style="max-width:${maxWidth}px;height:auto;display:block" font-family="system-ui,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif" font-size="11">
<title id="${esc(id)}-title">${esc(title)}</title>
<desc id="${esc(id)}-desc">${esc(desc)}</desc>
${body}
</svg>`;
}

function legend(items: Array<[string, string]>, y: number): string {
  let x = 8;
  return items
    .map(([colour, label]) => {
      const out = `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${colour}"/><text x="${x + 14}" y="${y}">${esc(label)}</text>`;
      x += 24 + label.length * 6;
      return out;
    })
    .join('');
}

/**
 * Late rate and on-time rate of each unit, the late-rate threshold as a line.
 * @example rateChart({ kind: 'rates', id: 'ty-le', title: 'Tỷ lệ theo đơn vị', threshold: 5, rows: [{ label: 'UBND xã A', code: 'A', late: 12.5, onTime: 87.5 }] })
 */
export function rateChart(c: Extract<ChartSpec, { kind: 'rates' }>): string {
  const rowHeight = 46;
  const top = 44;
  const height = top + c.rows.length * rowHeight + 8;
  const x = (rate: number) => RATE_PLOT.left + (RATE_PLOT.width * clampRate(rate)) / 100;
  const bar = (r: RateChartRow, series: 'late' | 'onTime', y: number) => {
    const value = series === 'late' ? r.late : r.onTime;
    const word = series === 'late' ? 'tỷ lệ trễ hạn' : 'tỷ lệ giải quyết đúng hạn';
    const over = series === 'late' && value !== null && value > c.threshold;
    const w = x(value ?? 0) - RATE_PLOT.left;
    return `<g><title>${esc(`${unitName(r)}: ${word} ${formatPercent(value)}`)}</title><rect x="${RATE_PLOT.left}" y="${y}" width="${num(w)}" height="12" fill="${COLOURS[series]}" data-unit="${esc(r.code ?? '')}" data-series="${series}" data-value="${value ?? ''}"${over ? ' data-over="true"' : ''}/><text x="${num(x(value ?? 0) + 4)}" y="${y + 10}"${over ? ' font-weight="700"' : ''}>${esc(formatPercent(value))}</text></g>`;
  };
  const rows = c.rows.map((r, i) => {
    const y = top + i * rowHeight;
    const name = unitName(r);
    return `<text x="${RATE_PLOT.left}" y="${y + 8}" font-weight="600">${esc(name.length > 58 ? `${name.slice(0, 57)}…` : name)}</text>${bar(r, 'late', y + 13)}${bar(r, 'onTime', y + 28)}`;
  });
  const tx = x(c.threshold);
  const threshold = `<line x1="${num(tx)}" x2="${num(tx)}" y1="${top - 6}" y2="${height - 6}" stroke="${COLOURS.threshold}" stroke-width="1.5" stroke-dasharray="4 3" data-threshold="${c.threshold}"/><text x="${num(Math.min(tx + 3, CHART_WIDTH - 90))}" y="${top - 8}">${esc(`Ngưỡng ${formatPercent(c.threshold)}`)}</text>`;
  const scale = [0, 50, 100].map((p) => `<line x1="${num(x(p))}" x2="${num(x(p))}" y1="${top}" y2="${height - 6}" stroke="${COLOURS.grid}"/>`).join('');
  const over = c.rows.filter((r) => r.late !== null && r.late > c.threshold);
  const desc = [
    `Tỷ lệ trễ hạn và tỷ lệ giải quyết đúng hạn của ${formatCount(c.rows.length)} đơn vị; ngưỡng tỷ lệ trễ hạn ${formatPercent(c.threshold)}.`,
    ...c.rows.map((r) => `${unitName(r)}: trễ hạn ${formatPercent(r.late)}, đúng hạn ${formatPercent(r.onTime)}${r.late !== null && r.late > c.threshold ? ' (vượt ngưỡng)' : ''}.`),
    over.length ? `${formatCount(over.length)} đơn vị vượt ngưỡng.` : 'Không đơn vị nào vượt ngưỡng.',
  ].join(' ');
  const body = `${legend([[COLOURS.late, 'Tỷ lệ trễ hạn'], [COLOURS.onTime, 'Tỷ lệ đúng hạn']], 14)}${scale}${rows.join('\n')}${threshold}`;
  return frame(c.id, c.title, desc, height, body, 720);
}

/** A round top for the scale: 1, 2, 5 × 10ⁿ at or above the largest figure. */
export function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/**
 * Received and resolved dossiers by month.
 * @example trendChart({ kind: 'trend', id: 'xu-huong', title: 'Hồ sơ theo tháng', points: [{ month: '2026-10', received: 120, resolved: 98 }] })
 */
export function trendChart(c: Extract<ChartSpec, { kind: 'trend' }>): string {
  const height = TREND_PLOT.bottom + 24;
  const top = niceMax(Math.max(0, ...c.points.flatMap((p) => [p.received, p.resolved])));
  const plotHeight = TREND_PLOT.bottom - TREND_PLOT.top;
  const slot = (TREND_PLOT.right - TREND_PLOT.left) / Math.max(1, c.points.length);
  const barWidth = Math.min(18, (slot - 6) / 2);
  const h = (v: number) => (plotHeight * v) / top;
  const column = (p: TrendPoint, series: 'received' | 'resolved', x: number) => {
    const value = p[series];
    const word = series === 'received' ? 'tiếp nhận mới' : 'đã giải quyết';
    return `<g><title>${esc(`Tháng ${monthLabel(p.month)}: ${word} ${formatCount(value)} hồ sơ`)}</title><rect x="${num(x)}" y="${num(TREND_PLOT.bottom - h(value))}" width="${num(barWidth)}" height="${num(h(value))}" fill="${COLOURS[series]}" data-month="${p.month}" data-series="${series}" data-value="${value}"/></g>`;
  };
  const columns = c.points.map((p, i) => {
    const mid = TREND_PLOT.left + slot * (i + 0.5);
    return `${column(p, 'received', mid - barWidth - 1)}${column(p, 'resolved', mid + 1)}<text x="${num(mid)}" y="${TREND_PLOT.bottom + 14}" text-anchor="middle" font-size="${c.points.length > 8 ? 8 : 10}">${esc(monthLabel(p.month))}</text>`;
  });
  const grid = [0, 0.5, 1]
    .map((f) => {
      const y = TREND_PLOT.bottom - plotHeight * f;
      return `<line x1="${TREND_PLOT.left}" x2="${TREND_PLOT.right}" y1="${num(y)}" y2="${num(y)}" stroke="${COLOURS.grid}"/><text x="${TREND_PLOT.left - 4}" y="${num(y + 4)}" text-anchor="end" font-size="9">${esc(formatCount(top * f))}</text>`;
    })
    .join('');
  const desc = [
    `Số hồ sơ tiếp nhận mới và đã giải quyết theo tháng, ${formatCount(c.points.length)} tháng.`,
    ...c.points.map((p) => `Tháng ${monthLabel(p.month)}: tiếp nhận mới ${formatCount(p.received)}, đã giải quyết ${formatCount(p.resolved)}.`),
  ].join(' ');
  const body = `${legend([[COLOURS.received, 'Tiếp nhận mới'], [COLOURS.resolved, 'Đã giải quyết']], 14)}<g data-scale-max="${top}">${grid}</g>${columns.join('\n')}`;
  return frame(c.id, c.title, desc, height, body, 720);
}

/** @example chartSvg(spec) // '<svg …>' */
export function chartSvg(c: ChartSpec): string {
  return c.kind === 'rates' ? rateChart(c) : trendChart(c);
}
