/**
 * Numbers, dates and percentages on the dashboard: the same helpers as the reports
 * (src/reports/formats/vi-number.ts), so a figure reads the same on a page and in a file:
 * `1.234`, `12,50 %`, `23/11/2026 08:05` in Asia/Ho_Chi_Minh.
 */
import { formatCount, formatDateVi, formatPercent, formatWhen } from '../reports/formats/vi-number.ts';

/** @example formatNumber(1234) // '1.234' */
export const formatNumber = formatCount;

/** @example formatPercent(12.5) // '12,50 %' ; formatPercent(null) // '—' */
export { formatPercent };

/** @example formatInstant('2026-11-23T01:05:00Z') // '23/11/2026 08:05' */
export const formatInstant = formatWhen;

/** @example formatDate('2026-10-15') // '15/10/2026' */
export const formatDate = formatDateVi;
