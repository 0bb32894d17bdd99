import { describe, expect, it } from 'vitest';
import { hungKingsDay, lunarNewYearsEve, lunarToSolar, tetDate } from './lunar.ts';

/**
 * Vietnamese Tết (mùng 1) and Giỗ Tổ (10/3 âm lịch) 2020–2030, written from the published
 * Vietnamese calendars and official holiday notices of each year (2020: Tết 25/1, Giỗ Tổ Thu 2/4;
 * 2022: Giỗ Tổ Sun 10/4 with nghỉ bù 11/4; 2023: Giỗ Tổ Sat 29/4 …), not from the library under
 * test. 2024–2027 also match rules.md §14.2.
 */
const TABLE: Array<[number, string, string]> = [
  [2020, '2020-01-25', '2020-04-02'],
  [2021, '2021-02-12', '2021-04-21'],
  [2022, '2022-02-01', '2022-04-10'],
  [2023, '2023-01-22', '2023-04-29'],
  [2024, '2024-02-10', '2024-04-18'],
  [2025, '2025-01-29', '2025-04-07'],
  [2026, '2026-02-17', '2026-04-26'],
  [2027, '2027-02-06', '2027-04-16'],
  [2028, '2028-01-26', '2028-04-04'],
  [2029, '2029-02-13', '2029-04-23'],
  [2030, '2030-02-02', '2030-04-12'],
];

describe('Vietnamese lunar calendar', () => {
  it.each(TABLE)('gives Tết %i on %s and Giỗ Tổ on %s', (year, tet, hung) => {
    expect(tetDate(year)).toBe(tet);
    expect(hungKingsDay(year)).toBe(hung);
  });

  it.each([
    // Years where the UTC+7 calendar differs from the Chinese UTC+8 one.
    [1985, '1985-01-21'], // China: 1985-02-20 (a whole month apart)
    [2007, '2007-02-17'], // China: 2007-02-18
    [2030, '2030-02-02'], // China: 2030-02-03
    [2008, '2008-02-07'], // same in both: the 2007 one-day shift must not leak into the next year
  ])('gives Tết %i on %s, computed for Vietnam (UTC+7)', (year, expected) => {
    expect(tetDate(year)).toBe(expected);
  });

  it('gives the eve of Tết as the last day of the lunar year, 29 or 30 tháng Chạp', () => {
    expect(lunarNewYearsEve(2024)).toBe('2024-02-09'); // 30 Chạp Quý Mão
    expect(lunarNewYearsEve(2025)).toBe('2025-01-28'); // 29 Chạp Giáp Thìn
    expect(lunarNewYearsEve(2026)).toBe('2026-02-16'); // 29 Chạp Ất Tỵ
    expect(lunarToSolar(30, 12, 2023)).toBe('2024-02-09');
  });

  it('refuses years outside the library range', () => {
    expect(() => tetDate(3000)).toThrow(RangeError);
  });
});
