import { describe, expect, it } from 'vitest';
import { createCalendar } from './calendar.ts';
import { loadCalendarData } from './calendar-data.ts';
import { addDays, isWeekend } from './dates.ts';

const cal = createCalendar();

/** Weekday non-working days per year, copied from rules.md §14.2. */
const WEEKDAYS_OFF: Record<number, string[]> = {
  2024: ['01-01', '02-08', '02-09', '02-12', '02-13', '02-14', '04-18', '04-29', '04-30', '05-01', '09-02', '09-03'],
  2025: ['01-01', '01-27', '01-28', '01-29', '01-30', '01-31', '04-07', '04-30', '05-01', '05-02', '09-01', '09-02'],
  2026: ['01-01', '02-16', '02-17', '02-18', '02-19', '02-20', '04-27', '04-30', '05-01', '08-31', '09-01', '09-02'],
};
const MAKE_UP_SATURDAYS: Record<number, string> = { 2024: '2024-05-04', 2025: '2025-04-26', 2026: '2026-08-22' };

function weekdaysOff(calendar: ReturnType<typeof createCalendar>, year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
    if (!isWeekend(d) && !calendar.isWorkingDay(d)) out.push(d.slice(5));
  }
  return out;
}

describe('working-day calendar (rules.md §14.2)', () => {
  it.each([
    [2024, 251],
    [2025, 250],
    [2026, 250],
  ])('counts %i working days in %i for state agencies', (year, expected) => {
    expect(cal.workingDaysInYear(year)).toBe(expected);
  });

  it.each([2024, 2025, 2026])('lists exactly the weekday days off of %i', (year) => {
    expect(weekdaysOff(cal, year)).toEqual(WEEKDAYS_OFF[year]);
  });

  it.each([2024, 2025, 2026])('makes the make-up Saturday of %i a working day', (year) => {
    const date = MAKE_UP_SATURDAYS[year] as string;
    expect(isWeekend(date)).toBe(true);
    expect(cal.reason(date)).toMatchObject({ working: true, kind: 'make_up_working_day', basis: 'official' });
  });

  it('explains a day off with its Vietnamese name', () => {
    expect(cal.reason('2026-04-27')).toMatchObject({ working: false, kind: 'substitute', name: expect.stringContaining('Nghỉ bù Giỗ Tổ') });
    expect(cal.reason('2026-08-31')).toMatchObject({ working: false, kind: 'swap' });
    expect(cal.reason('2026-02-17')).toMatchObject({ working: false, kind: 'holiday', name: 'Tết Nguyên đán (mùng 1)' });
    expect(cal.reason('2026-03-07')).toMatchObject({ working: false, kind: 'weekend', name: null });
    expect(cal.reason('2026-03-09')).toMatchObject({ working: true, kind: 'working_day' });
  });

  it.each([
    ['2026-02-13', 3, '2026-02-25'],
    ['2026-04-23', 2, '2026-04-28'],
    ['2026-08-21', 1, '2026-08-22'],
    ['2026-04-29', 2, '2026-05-05'],
    ['2024-12-24', 5, '2024-12-31'],
    ['2025-04-25', 1, '2025-04-26'],
  ])('received %s + %i working days → %s (worked case of §14.2)', (from, n, due) => {
    expect(cal.addWorkingDays(from, n)).toBe(due);
  });

  it('treats 0 working days as the same day, or the next working day after a day off', () => {
    expect(cal.addWorkingDays('2026-02-13', 0)).toBe('2026-02-13');
    expect(cal.addWorkingDays('2026-02-14', 0)).toBe('2026-02-23');
    expect(() => cal.addWorkingDays('2026-02-13', -1)).toThrow(RangeError);
  });

  it('counts working days in a half-open range and steps backwards', () => {
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-25')).toBe(3);
    expect(cal.workingDaysBetween('2026-02-25', '2026-02-13')).toBe(0);
    expect(cal.previousWorkingDay('2026-02-23')).toBe('2026-02-13');
  });
});

describe('24/11 Ngày Văn hóa Việt Nam (rules.md §14.3)', () => {
  it('is a working day unless the amendment is configured', () => {
    expect(cal.isWorkingDay('2026-11-24')).toBe(true);
  });

  it('becomes a holiday from its effective date: 2026 then has 249 working days', () => {
    const amended = createCalendar({ culturalDayFrom: '2026-07-01' });
    expect(amended.isWorkingDay('2026-11-24')).toBe(false);
    expect(amended.workingDaysInYear(2026)).toBe(249);
    expect(amended.isWorkingDay('2025-11-24')).toBe(true);
  });

  it('does not apply to a 24/11 before the effective date', () => {
    expect(createCalendar({ culturalDayFrom: '2027-01-01' }).isWorkingDay('2026-11-24')).toBe(true);
  });

  it('gives a nghỉ bù when 24/11 falls on a weekend in a computed year', () => {
    const amended = createCalendar({ culturalDayFrom: '2026-07-01' });
    // 24/11/2029 is a Saturday → Monday 26/11 off.
    expect(amended.reason('2029-11-26')).toMatchObject({ working: false, kind: 'substitute' });
  });
});

describe('computed years (no official notice)', () => {
  const computed = createCalendar({ bundled: false });

  it('reproduces 2026 except the 31/8 ↔ 22/8 swap, which only a notice can decide', () => {
    expect(computed.hasOfficialData(2026)).toBe(false);
    expect(weekdaysOff(computed, 2026)).toEqual(WEEKDAYS_OFF[2026]?.filter((d) => d !== '08-31'));
    // 261 weekdays − 11 days off, and no make-up Saturday: the swap does not change the count.
    expect(computed.workingDaysInYear(2026)).toBe(250);
    expect(computed.isWorkingDay('2026-08-22')).toBe(false);
  });

  it('gives Tết 2027 as the eve plus mùng 1–4 with nghỉ bù for the weekend days', () => {
    // Tết Đinh Mùi: mùng 1 = Sat 6/2/2027, eve = Fri 5/2; mùng 1–2 fall on Sat/Sun → nghỉ bù Tue 10/2, Wed 11/2.
    const off = computed.daysOff(2027).filter((d) => d.date >= '2027-02-01' && d.date <= '2027-02-28');
    expect(off.map((d) => `${d.date}:${d.kind}`)).toEqual([
      '2027-02-05:holiday',
      '2027-02-06:holiday',
      '2027-02-07:holiday',
      '2027-02-08:holiday',
      '2027-02-09:holiday',
      '2027-02-10:substitute',
      '2027-02-11:substitute',
    ]);
    expect(computed.reason('2027-04-16')).toMatchObject({ working: false, name: expect.stringContaining('Giỗ Tổ') });
  });

  it('reproduces the official Quốc khánh days of 2021–2023 from the adjacent-day default', () => {
    expect(weekdaysOff(computed, 2021).filter((d) => d.startsWith('09'))).toEqual(['09-02', '09-03']);
    expect(weekdaysOff(computed, 2022).filter((d) => d.startsWith('09'))).toEqual(['09-01', '09-02']);
    // 2023: Fri 1/9 + Sat 2/9 → nghỉ bù Mon 4/9.
    expect(weekdaysOff(computed, 2023).filter((d) => d.startsWith('09'))).toEqual(['09-01', '09-04']);
  });
});

describe('loading a new year from JSON', () => {
  const year2027 = {
    version: 1,
    years: [
      {
        year: 2027,
        sources: ['hypothetical notice for the test'],
        daysOff: [
          { date: '2027-02-04', kind: 'holiday', name: 'Tết Nguyên đán (28 tháng Chạp)' },
          { date: '2027-05-03', kind: 'swap', name: 'Nghỉ hoán đổi', makeUpDate: '2027-05-08' },
        ],
        workingDays: [{ date: '2027-05-08', name: 'Làm bù cho thứ Hai 03/05/2027' }],
      },
    ],
  };

  it('uses the loaded arrangement instead of the computed one, without a code change', () => {
    const withData = createCalendar({ data: [loadCalendarData(JSON.stringify(year2027))] });
    expect(withData.hasOfficialData(2027)).toBe(true);
    expect(withData.isWorkingDay('2027-02-04')).toBe(false);
    expect(withData.isWorkingDay('2027-05-08')).toBe(true);
    expect(withData.isWorkingDay('2027-05-03')).toBe(false);
    expect(withData.reason('2027-05-03').basis).toBe('official');
  });

  it('lists every problem with its path', () => {
    const bad = {
      version: 1,
      years: [
        {
          year: 2027,
          daysOff: [
            { date: '2027-02-30', kind: 'holiday', name: 'x' },
            { date: '2026-12-31', kind: 'holiday', name: 'wrong year' },
            { date: '2027-05-03', kind: 'swap', name: 'no make-up' },
          ],
          workingDays: [{ date: '2027-05-05', name: 'a Wednesday' }],
        },
        { year: 2027, daysOff: [] },
      ],
    };
    let message = '';
    try {
      loadCalendarData(bad);
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code: string }).code).toBe('validation_error');
    }
    expect(message).toContain('years[0].daysOff[0].date: expected a real date');
    expect(message).toContain('years[0].daysOff[1].date: 2026-12-31 is not in 2027');
    expect(message).toContain('years[0].daysOff[2].makeUpDate: a swap needs its make-up Saturday');
    expect(message).toContain('years[0].workingDays[0].date: 2027-05-05 is a weekday');
    expect(message).toContain('years[1].year: year 2027 is listed twice');
  });

  it('reports JSON syntax errors clearly', () => {
    expect(() => loadCalendarData('{ "version": 1,')).toThrow(/calendar data is not valid JSON/);
  });
});
