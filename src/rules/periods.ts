/**
 * Reporting periods (rules.md §10.2). Two calendars that must never be mixed in one comparison:
 * `admin` (NĐ 09/2019 Điều 12: 15th of the previous month → 14th) for state reports such as
 * Biểu 06, and `calendar` (1st → last day) as on the 766 dashboard.
 */
import { addDays, addMonths, dateOf, epochOf, instantAt, isDate } from './dates.ts';

export type PeriodCalendar = 'admin' | 'calendar';

export type PeriodSpec =
  | { month: string; calendar: PeriodCalendar }
  | { quarter: string; calendar: PeriodCalendar }
  /** The first 6, 9 or 12 months of a year (báo cáo 6 tháng, 9 tháng, năm). */
  | { year: number; months?: 6 | 9 | 12; calendar: PeriodCalendar };

/** Inclusive local dates. */
export interface Period {
  from: string;
  to: string;
}

function span(year: number, firstMonth: number, lastMonth: number, calendar: PeriodCalendar): Period {
  if (calendar === 'calendar') {
    return { from: dateOf(year, firstMonth, 1), to: addDays(addMonths(dateOf(year, lastMonth, 1), 1), -1) };
  }
  return { from: addMonths(dateOf(year, firstMonth, 15), -1), to: dateOf(year, lastMonth, 14) };
}

/**
 * The dates of a reporting period.
 *
 * @example
 * periodOf({ month: '2026-10', calendar: 'admin' }); // { from: '2026-09-15', to: '2026-10-14' }
 * periodOf({ quarter: '2026-Q1', calendar: 'admin' }); // { from: '2025-12-15', to: '2026-03-14' }
 * periodOf({ year: 2026, months: 6, calendar: 'calendar' }); // { from: '2026-01-01', to: '2026-06-30' }
 */
export function periodOf(spec: PeriodSpec): Period {
  if ('month' in spec) {
    const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(spec.month);
    if (!m) throw new RangeError(`month must be YYYY-MM: ${spec.month}`);
    return span(Number(m[1]), Number(m[2]), Number(m[2]), spec.calendar);
  }
  if ('quarter' in spec) {
    const q = /^(\d{4})-Q([1-4])$/.exec(spec.quarter);
    if (!q) throw new RangeError(`quarter must be YYYY-Qn: ${spec.quarter}`);
    const n = Number(q[2]);
    return span(Number(q[1]), 3 * n - 2, 3 * n, spec.calendar);
  }
  if (!Number.isInteger(spec.year)) throw new RangeError(`year must be a whole number: ${spec.year}`);
  return span(spec.year, 1, spec.months ?? 12, spec.calendar);
}

/** Instants bounding a period: [start, endExclusive). */
export interface PeriodBounds {
  start: number;
  endExclusive: number;
}

/**
 * @example periodBounds({ from: '2026-10-01', to: '2026-10-31' }).start === Date.parse('2026-09-30T17:00:00.000Z') // true
 */
export function periodBounds(period: Period): PeriodBounds {
  if (!isDate(period.from) || !isDate(period.to) || period.to < period.from) {
    throw new RangeError(`invalid period ${period.from} → ${period.to}`);
  }
  return { start: epochOf(instantAt(period.from, 0)), endExclusive: epochOf(instantAt(addDays(period.to, 1), 0)) };
}

/**
 * The last instant of a period (its default judgement instant).
 * @example periodEndInstant({ from: '2026-09-15', to: '2026-10-14' }) // '2026-10-14T16:59:59.999Z'
 */
export function periodEndInstant(period: Period): string {
  return new Date(periodBounds(period).endExclusive - 1).toISOString();
}
