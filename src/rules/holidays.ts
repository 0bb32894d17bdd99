/**
 * Public holidays computed from the Labour Code (BLLĐ 2019 Điều 111–112) for years without an
 * official arrangement in the calendar data (rules.md §14.1). The Prime Minister / Bộ Nội vụ fix
 * the exact Tết days, the second Quốc khánh day and any swaps each year, so for a year with
 * official data the data wins (calendar.ts); this is the fallback and the lunar cross-check.
 */
import { addDays, dateOf, isWeekend, isoWeekday } from './dates.ts';
import { hungKingsDay, lunarNewYearsEve, tetDate } from './lunar.ts';

export type DayOffKind = 'holiday' | 'substitute' | 'swap';

export interface DayOff {
  date: string;
  kind: DayOffKind;
  /** Vietnamese name shown to people (reports, `reason()`). */
  name: string;
}

export interface StatutoryOptions {
  /** Effective date of the BLLĐ amendment adding 24/11 (§14.3); null = not in force. */
  culturalDayFrom: string | null;
}

/** BLLĐ 2019 (giving Quốc khánh a second day) applies from 1/1/2021. */
const LABOUR_CODE_2019_FROM_YEAR = 2021;

export const CULTURAL_DAY_NAME = 'Ngày Văn hóa Việt Nam (24/11)';

/**
 * The day adjacent to 2/9 chosen for Quốc khánh when no official arrangement exists. Điều 112 leaves
 * the choice to the Prime Minister; this default reproduces every arrangement of 2021–2026
 * (Thu→3/9 2021, Fri→1/9 2022, Sat→1/9 2023, Mon→3/9 2024, Tue→1/9 2025, Wed→1/9 2026) and, for
 * Sunday, takes Monday 3/9 so the extra day is not lost on a weekend.
 */
function nationalDayPartner(year: number): string {
  const weekday = isoWeekday(dateOf(year, 9, 2));
  const day = weekday === 1 || weekday === 4 || weekday === 7 ? 3 : 1;
  return dateOf(year, 9, day);
}

/**
 * The Điều 112 holidays of a year, before nghỉ bù. Tết is the last day of the lunar year plus mùng
 * 1–4: rules.md §14.1 only says "5 days fixed each year"; eve + 4 is the split the ministry
 * proposes by default and the one used in 2026 (16/2–20/2). Other years' official splits
 * (2024: 29 Chạp–mùng 3; 2025: 28 Chạp–mùng 3) come from the data file.
 *
 * @example statutoryHolidays(2027, { culturalDayFrom: null })[1] // { date: '2027-02-05', kind: 'holiday', name: 'Tết Nguyên đán (ngày cuối năm Âm lịch)' }
 */
export function statutoryHolidays(year: number, options: StatutoryOptions): DayOff[] {
  const holiday = (date: string, name: string): DayOff => ({ date, kind: 'holiday', name });
  const tet = tetDate(year);
  const days: DayOff[] = [
    holiday(dateOf(year, 1, 1), 'Tết Dương lịch'),
    holiday(lunarNewYearsEve(year), 'Tết Nguyên đán (ngày cuối năm Âm lịch)'),
    ...[1, 2, 3, 4].map((n) => holiday(addDays(tet, n - 1), `Tết Nguyên đán (mùng ${n})`)),
    holiday(hungKingsDay(year), 'Giỗ Tổ Hùng Vương (10/3 Âm lịch)'),
    holiday(dateOf(year, 4, 30), 'Ngày Chiến thắng (30/4)'),
    holiday(dateOf(year, 5, 1), 'Ngày Quốc tế Lao động (1/5)'),
    holiday(dateOf(year, 9, 2), 'Quốc khánh (2/9)'),
  ];
  if (year >= LABOUR_CODE_2019_FROM_YEAR) days.push(holiday(nationalDayPartner(year), 'Quốc khánh (ngày liền kề)'));
  const culturalDay = dateOf(year, 11, 24);
  if (options.culturalDayFrom !== null && culturalDay >= options.culturalDayFrom) {
    days.push(holiday(culturalDay, CULTURAL_DAY_NAME));
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Điều 111 k3: a holiday falling on a weekly rest day gives a day off on the next working day.
 * `taken` holds the dates already off, so two weekend holidays get two different weekdays.
 */
export function substituteDaysOff(holidays: readonly DayOff[], taken: ReadonlySet<string>): DayOff[] {
  const used = new Set(taken);
  const out: DayOff[] = [];
  for (const h of [...holidays].sort((a, b) => a.date.localeCompare(b.date))) {
    if (!isWeekend(h.date)) continue;
    let d = addDays(h.date, 1);
    while (isWeekend(d) || used.has(d)) d = addDays(d, 1);
    used.add(d);
    out.push({ date: d, kind: 'substitute', name: `Nghỉ bù ${h.name}` });
  }
  return out;
}

/**
 * All computed days off of a year: Điều 112 holidays plus nghỉ bù.
 * @example computedDaysOff(2026, { culturalDayFrom: null }).filter((d) => d.kind === 'substitute') // [{ date: '2026-04-27', … }]
 */
export function computedDaysOff(year: number, options: StatutoryOptions): DayOff[] {
  const holidays = statutoryHolidays(year, options);
  const subs = substituteDaysOff(holidays, new Set(holidays.map((h) => h.date)));
  return [...holidays, ...subs].sort((a, b) => a.date.localeCompare(b.date));
}
