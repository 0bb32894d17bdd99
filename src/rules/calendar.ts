/**
 * The state-agency working-day calendar (rules.md §12, §14): Monday–Friday, minus Điều 112
 * holidays and the year's official arrangement, plus make-up Saturdays. Pure and synchronous;
 * each year is built once on first use.
 */
import { BUNDLED_CALENDAR_DATA, type CalendarData, type CalendarYear } from './calendar-data.ts';
import { addDays, dateOf, isDate, isWeekend } from './dates.ts';
import { CULTURAL_DAY_NAME, computedDaysOff, substituteDaysOff, type DayOff, type DayOffKind } from './holidays.ts';

export interface CalendarOptions {
  /** Extra official arrangements (e.g. from {@link loadCalendarData}); a later year replaces an earlier one. */
  data?: readonly CalendarData[];
  /** Start from the bundled 2024–2026 arrangements (default true). */
  bundled?: boolean;
  /**
   * Effective date of the Labour Code amendment that makes 24/11 a holiday (rules.md §14.3).
   * Not enacted as of the research notes, so off unless configured.
   */
  culturalDayFrom?: string | null;
}

export type DayKind = 'working_day' | 'make_up_working_day' | 'weekend' | DayOffKind;

export interface DayReason {
  date: string;
  working: boolean;
  kind: DayKind;
  /** Vietnamese name of the holiday or arrangement; null for ordinary days. */
  name: string | null;
  /** Whether the year comes from an official notice or from the Labour Code computation. */
  basis: 'official' | 'computed';
}

export interface WorkingCalendar {
  isWorkingDay(date: string): boolean;
  reason(date: string): DayReason;
  workingDaysInYear(year: number): number;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string;
  /** The last working day strictly before `date`. */
  previousWorkingDay(date: string): string;
  /** n = 0: `date` itself when working, else the next working day; n ≥ 1: the n-th working day after `date`. */
  addWorkingDays(date: string, n: number): string;
  /** Working days d with from < d ≤ to (0 when to ≤ from). */
  workingDaysBetween(from: string, to: string): number;
  /** The days off of a year other than ordinary weekends, sorted. */
  daysOff(year: number): DayOff[];
  hasOfficialData(year: number): boolean;
}

interface YearTable {
  off: Map<string, DayOff>;
  working: Map<string, string>;
  basis: 'official' | 'computed';
}

/** A long run of days off means broken data; stop rather than loop forever. */
const MAX_GAP_DAYS = 60;

function officialTable(y: CalendarYear, culturalDayFrom: string | null): YearTable {
  const off = new Map<string, DayOff>(y.daysOff.map((d) => [d.date, { date: d.date, kind: d.kind, name: d.name }]));
  const culturalDay = dateOf(y.year, 11, 24);
  // The 24/11 rule is dated law, not part of a yearly notice: apply it on top of official data.
  if (culturalDayFrom !== null && culturalDay >= culturalDayFrom && !off.has(culturalDay)) {
    const day: DayOff = { date: culturalDay, kind: 'holiday', name: CULTURAL_DAY_NAME };
    off.set(culturalDay, day);
    for (const sub of substituteDaysOff([day], new Set(off.keys()))) off.set(sub.date, sub);
  }
  return { off, working: new Map(y.workingDays.map((w) => [w.date, w.name])), basis: 'official' };
}

/**
 * Builds a working-day calendar.
 *
 * @example
 * const cal = createCalendar();
 * cal.isWorkingDay('2026-08-22'); // true: make-up Saturday for 31/8
 * cal.addWorkingDays('2026-02-13', 3); // '2026-02-25'
 * cal.workingDaysInYear(2026); // 250
 */
export function createCalendar(options: CalendarOptions = {}): WorkingCalendar {
  const culturalDayFrom = options.culturalDayFrom ?? null;
  if (culturalDayFrom !== null && !isDate(culturalDayFrom)) throw new RangeError(`culturalDayFrom is not a date: ${culturalDayFrom}`);
  const official = new Map<number, CalendarYear>();
  for (const data of [...(options.bundled === false ? [] : [BUNDLED_CALENDAR_DATA]), ...(options.data ?? [])]) {
    for (const y of data.years) official.set(y.year, y);
  }
  const tables = new Map<number, YearTable>();

  function table(year: number): YearTable {
    let t = tables.get(year);
    if (!t) {
      const y = official.get(year);
      t = y
        ? officialTable(y, culturalDayFrom)
        : {
            off: new Map(computedDaysOff(year, { culturalDayFrom }).map((d) => [d.date, d])),
            working: new Map(),
            basis: 'computed',
          };
      tables.set(year, t);
    }
    return t;
  }

  function reason(date: string): DayReason {
    if (!isDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
    const t = table(Number(date.slice(0, 4)));
    const off = t.off.get(date);
    if (off) return { date, working: false, kind: off.kind, name: off.name, basis: t.basis };
    const makeUp = t.working.get(date);
    if (makeUp !== undefined) return { date, working: true, kind: 'make_up_working_day', name: makeUp, basis: t.basis };
    if (isWeekend(date)) return { date, working: false, kind: 'weekend', name: null, basis: t.basis };
    return { date, working: true, kind: 'working_day', name: null, basis: t.basis };
  }

  const isWorkingDay = (date: string): boolean => reason(date).working;

  function workingDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) count += 1;
    return count;
  }

  function step(date: string, direction: 1 | -1): string {
    let d = date;
    for (let i = 0; i < MAX_GAP_DAYS; i += 1) {
      d = addDays(d, direction);
      if (isWorkingDay(d)) return d;
    }
    throw new RangeError(`no working day within ${MAX_GAP_DAYS} days of ${date}: check the calendar data`);
  }

  return {
    isWorkingDay,
    reason,
    nextWorkingDay: (date) => step(date, 1),
    previousWorkingDay: (date) => step(date, -1),
    addWorkingDays(date, n) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
      if (n === 0) return isWorkingDay(date) ? date : step(date, 1);
      let d = date;
      for (let i = 0; i < n; i += 1) d = step(d, 1);
      return d;
    },
    workingDaysBetween,
    workingDaysInYear: (year) => workingDaysBetween(dateOf(year - 1, 12, 31), dateOf(year, 12, 31)),
    daysOff(year) {
      return [...table(year).off.values()].sort((a, b) => a.date.localeCompare(b.date));
    },
    hasOfficialData: (year) => official.has(year),
  };
}
