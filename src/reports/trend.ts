/**
 * Received and resolved dossiers by reporting month (the trend chart), counted by the same Biểu 06
 * rules as the tables: "tiếp nhận mới" and "đã giải quyết" of each month's own Biểu 06. One
 * accumulator per month, fed from the caller's single pass over the ledger.
 */
import type { Dossier } from '../../schemas/dossier.ts';
import { addMonths, createBieu06Accumulator, periodBounds, periodOf, type Period, type PeriodCalendar, type ProcedureCatalog, type WorkingCalendar } from '../rules/index.ts';
import type { TrendPoint } from './formats/svg-chart.ts';

export interface TrendOptions {
  /** `YYYY-MM` reporting months, oldest first. */
  months: string[];
  calendar: PeriodCalendar;
  workingCalendar: WorkingCalendar;
  catalog?: ProcedureCatalog;
  /** A month not over yet is judged at this instant (ISO). */
  now: string;
}

/**
 * The reporting months `count` back from `last` (inclusive), oldest first.
 * @example monthsEndingAt('2026-02', 3) // ['2025-12', '2026-01', '2026-02']
 */
export function monthsEndingAt(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(`${last}-01`, i - count + 1).slice(0, 7));
}

/**
 * The whole reporting months a period covers on the calendar it was cut with (admin 15 → 14, or
 * calendar months), oldest first; empty for a period that is not made of whole months.
 * @example monthsOfPeriod({ from: '2026-09-15', to: '2026-11-14' }) // ['2026-10', '2026-11']
 */
export function monthsOfPeriod(period: Period): { calendar: PeriodCalendar; months: string[] } {
  for (const calendar of ['admin', 'calendar'] as const) {
    const first = calendar === 'admin' ? addMonths(period.from, 1).slice(0, 7) : period.from.slice(0, 7);
    const months: string[] = [];
    for (let m = first; months.length < 240; m = addMonths(`${m}-01`, 1).slice(0, 7)) {
      const p = periodOf({ month: m, calendar });
      if (months.length === 0 && p.from !== period.from) break;
      months.push(m);
      if (p.to === period.to) return { calendar, months };
      if (p.to > period.to) break;
    }
  }
  return { calendar: 'calendar', months: [] };
}

/** The span of the months together (the ledger pass must cover it). */
export function trendSpan(months: string[], calendar: PeriodCalendar): Period {
  return { from: periodOf({ month: months[0] as string, calendar }).from, to: periodOf({ month: months[months.length - 1] as string, calendar }).to };
}

/**
 * @example
 * const trend = createTrendAccumulator({ months: ['2026-09', '2026-10'], calendar: 'admin', workingCalendar, now });
 * for (const d of dossiers) trend.add(d);
 * trend.result() // [{ month: '2026-09', received: 12, resolved: 9 }, …]
 */
export function createTrendAccumulator(o: TrendOptions): { add(d: Dossier): void; result(): TrendPoint[] } {
  const now = Date.parse(o.now);
  const accs = o.months.map((month) => {
    const period = periodOf({ month, calendar: o.calendar });
    const { start, endExclusive } = periodBounds(period);
    // A month not over is judged now; a month not begun at its start.
    const asOf = now >= endExclusive ? undefined : new Date(Math.max(now, start)).toISOString();
    return { month, acc: createBieu06Accumulator({ ...period, groupBy: 'unit', calendar: o.workingCalendar, ...(asOf ? { asOf } : {}), ...(o.catalog ? { catalog: o.catalog } : {}) }) };
  });
  return {
    add: (d) => accs.forEach((a) => a.acc.add(d)),
    result: () =>
      accs.map(({ month, acc }) => {
        const t = acc.result().totals;
        return { month, received: t.received.new, resolved: t.resolved.total };
      }),
  };
}
