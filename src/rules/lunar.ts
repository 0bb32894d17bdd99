/**
 * Vietnamese lunisolar dates through `@dqcai/vn-lunar`, which computes new moons and solar terms
 * for the meridian UTC+7 (Hồ Ngọc Đức's algorithm). This matters: Chinese tables use UTC+8 and
 * disagree in some years, e.g. Tết 1985 (VN 21/1, CN 20/2), 2007 (VN 17/2, CN 18/2) and 2030
 * (VN 2/2, CN 3/2). The tests pin these cases.
 */
import * as vnLunar from '@dqcai/vn-lunar';
import { addDays, dateOf } from './dates.ts';

interface SolarParts {
  day: number;
  month: number;
  year: number;
}

// The package's .d.ts files use extension-less relative imports that NodeNext cannot resolve, so
// its functions arrive untyped; pin the one signature we rely on.
const toSolar = vnLunar.getSolarDate as (day: number, month: number, year: number, leap?: boolean) => SolarParts;

/** Supported by the library: 1200–2199. */
export const LUNAR_MIN_YEAR = 1200;
export const LUNAR_MAX_YEAR = 2199;

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year <= LUNAR_MIN_YEAR || year >= LUNAR_MAX_YEAR) {
    throw new RangeError(`lunar year out of range (${LUNAR_MIN_YEAR + 1}–${LUNAR_MAX_YEAR - 1}): ${year}`);
  }
}

/**
 * Gregorian date of a day of a (non-leap) lunar month. Only call with a day that exists: the library
 * silently rolls 30/12 over into the next year when the twelfth month has 29 days.
 * @example lunarToSolar(10, 3, 2026) // '2026-04-26' (Giỗ Tổ Hùng Vương)
 */
export function lunarToSolar(day: number, month: number, lunarYear: number): string {
  checkYear(lunarYear);
  const s = toSolar(day, month, lunarYear, false);
  return dateOf(s.year, s.month, s.day);
}

/**
 * Mùng 1 Tết (first day of the lunar year that starts in Gregorian `year`).
 * @example tetDate(2030) // '2030-02-02' (China: 2030-02-03)
 */
export function tetDate(year: number): string {
  return lunarToSolar(1, 1, year);
}

/**
 * Last day of the lunar year that ends in Gregorian `year` (29 or 30 tháng Chạp): the eve of Tết.
 * @example lunarNewYearsEve(2026) // '2026-02-16'
 */
export function lunarNewYearsEve(year: number): string {
  return addDays(tetDate(year), -1);
}

/**
 * Giỗ Tổ Hùng Vương: 10/3 âm lịch (the regular third month, never a leap one).
 * @example hungKingsDay(2027) // '2027-04-16'
 */
export function hungKingsDay(year: number): string {
  return lunarToSolar(10, 3, year);
}
