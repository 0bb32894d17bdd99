/**
 * Numbers, dates and percentages as Vietnamese readers expect them: `1.234`, `12,5 %`,
 * `23/11/2026 08:05` in Asia/Ho_Chi_Minh.
 */
const NUMBER = new Intl.NumberFormat('vi-VN');
const PERCENT = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const DATE_TIME = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** @example formatNumber(1234) // '1.234' */
export const formatNumber = (n: number): string => NUMBER.format(n);

/** @example formatPercent(12.5) // '12,5 %' ; formatPercent(null) // '—' */
export const formatPercent = (p: number | null): string => (p === null ? '—' : `${PERCENT.format(p)} %`);

/** @example formatInstant('2026-11-23T01:05:00Z') // '23/11/2026 08:05' */
export function formatInstant(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  const parts = Object.fromEntries(DATE_TIME.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts['day']}/${parts['month']}/${parts['year']} ${parts['hour']}:${parts['minute']}`;
}

/** @example formatDate('2026-10-15') // '15/10/2026' */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}
