/**
 * Local calendar dates (`YYYY-MM-DD`, Vietnam time) as plain strings, with arithmetic done on day
 * numbers. Vietnam is UTC+7 without daylight saving (src/dossier/time.ts), so a local date and a
 * clock time map to exactly one instant and no time-zone database is needed.
 */
import { VN_OFFSET_MS, localDateOf } from '../dossier/time.ts';

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export { localDateOf };

/**
 * True for a real calendar date written `YYYY-MM-DD`.
 * @example isDate('2026-02-30') // false
 */
export function isDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === value;
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date.
 * @example dayNumber('1970-01-02') // 1
 */
export function dayNumber(date: string): number {
  if (!isDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

/** Inverse of {@link dayNumber}. */
export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The date `n` calendar days after `date` (n may be negative).
 * @example addDays('2026-02-28', 1) // '2026-03-01'
 */
export function addDays(date: string, n: number): string {
  return dateOfDayNumber(dayNumber(date) + n);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(date: string): boolean {
  return isoWeekday(date) >= 6;
}

/** `YYYY-MM-DD` from numeric parts (month 1–12). */
export function dateOf(year: number, month: number, day: number): string {
  return dateOfDayNumber(Date.UTC(year, month - 1, day) / DAY_MS);
}

/**
 * Same day number `n` months later; a day that does not exist in the target month becomes its last
 * day (BLDS 2015 Điều 148: a month limit ends on the corresponding day of the last month).
 * @example addMonths('2026-01-31', 1) // '2026-02-28'
 */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return dateOf(first.getUTCFullYear(), first.getUTCMonth() + 1, Math.min(d, lastDay));
}

/** Minutes after local midnight of `HH:MM`. */
export function clockMinutes(clock: string): number {
  const m = CLOCK_RE.exec(clock);
  if (!m) throw new RangeError(`not an HH:MM time: ${clock}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isClock(value: string): boolean {
  return CLOCK_RE.test(value);
}

/**
 * The instant (ISO UTC) of a local date plus minutes after local midnight.
 * @example instantAt('2026-02-25', 17 * 60) // '2026-02-25T10:00:00.000Z'
 */
export function instantAt(date: string, minutes: number): string {
  return new Date(dayNumber(date) * DAY_MS + minutes * 60_000 - VN_OFFSET_MS).toISOString();
}

/**
 * Local minutes after midnight (with fractions for seconds) of an instant.
 * @example localMinutesOf('2026-02-25T10:00:00.000Z') // 1020 (17:00 in Vietnam)
 */
export function localMinutesOf(instant: string): number {
  const t = Date.parse(instant) + VN_OFFSET_MS;
  return (((t % DAY_MS) + DAY_MS) % DAY_MS) / 60_000;
}

/** Milliseconds since the epoch of an ISO instant; throws on garbage rather than returning NaN. */
export function epochOf(instant: string): number {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) throw new RangeError(`not an instant: ${instant}`);
  return t;
}

/**
 * `dd/MM/yyyy`, the way Vietnamese forms print a date.
 * @example formatDateVi('2026-02-25') // '25/02/2026'
 */
export function formatDateVi(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}
