import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCalendar } from './calendar.ts';
import { instantAt } from './dates.ts';
import { apologyDeadline, computeDeadline, deadlineForProcedure, rescheduleDeadline, type Deadline, type Pause } from './deadline.ts';
import { loadProcedureCatalog, type TimeLimit } from './procedures.ts';

const calendar = createCalendar();
/** Local Vietnam time `YYYY-MM-DD HH:MM` → ISO instant. */
function vn(local: string): string {
  const [date, clock] = local.split(' ') as [string, string];
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return instantAt(date, h * 60 + m);
}
const days = (value: number): TimeLimit => ({ value, unit: 'working_days' });
function due(receivedLocal: string, limit: TimeLimit, extra: { cutoff?: string; pauses?: Pause[] } = {}): Deadline {
  return computeDeadline({ receivedAt: vn(receivedLocal), limit, ...extra }, { calendar });
}

describe('working-day limits (rules.md §13.2)', () => {
  it('computes the CLI example: Fri 13/2/2026 10:00 + 3 working days → Wed 25/2/2026, 17:00 local', () => {
    expect(due('2026-02-13 10:00', days(3))).toEqual({ dueDate: '2026-02-25', dueAt: '2026-02-25T10:00:00.000Z' });
  });

  it.each([
    ['2026-04-23 09:00', 2, '2026-04-28'],
    ['2026-08-21 09:00', 1, '2026-08-22'],
    ['2026-04-29 09:00', 2, '2026-05-05'],
    ['2024-12-24 09:00', 5, '2024-12-31'],
    ['2025-04-25 09:00', 1, '2025-04-26'],
  ])('received %s + %i working days → %s (§14.2)', (received, n, expected) => {
    expect(due(received, days(n)).dueDate).toBe(expected);
  });

  it('starts day 1 on the first working day after a receipt on a day off', () => {
    expect(due('2026-03-07 10:00', days(1)).dueDate).toBe('2026-03-09');
  });

  it('can keep the receipt clock time instead of the office close (§13.2.4 setting)', () => {
    const d = computeDeadline({ receivedAt: vn('2026-02-13 10:00'), limit: days(3) }, { calendar, dueTime: 'receipt_time' });
    expect(d.dueAt).toBe(vn('2026-02-25 10:00'));
  });

  it('uses the province office close for the due instant', () => {
    const officeHours = { sessions: [{ start: '07:30', end: '11:30' }, { start: '13:30', end: '16:30' }] };
    const d = computeDeadline({ receivedAt: vn('2026-03-02 09:00'), limit: days(1) }, { calendar, officeHours });
    expect(d.dueAt).toBe(vn('2026-03-03 16:30'));
  });
});

describe('calendar-day and month limits roll forward off days off', () => {
  it('moves a calendar-day end on a Saturday to Monday', () => {
    expect(due('2026-03-02 09:00', { value: 5, unit: 'calendar_days' }).dueDate).toBe('2026-03-09');
  });

  it('moves a calendar-day end on 30/4 past 1/5 and the weekend', () => {
    expect(due('2026-04-20 09:00', { value: 10, unit: 'calendar_days' }).dueDate).toBe('2026-05-04');
  });

  it.each([
    ['2026-01-31 09:00', 1, '2026-03-02'], // 28/2 (no 31/2) is a Saturday
    ['2026-03-31 09:00', 1, '2026-05-04'], // 30/4 holiday, 1/5 holiday, weekend
    ['2025-12-15 09:00', 2, '2026-02-23'], // 15/2 falls in the Tết break
    ['2026-05-15 09:00', 1, '2026-06-15'],
  ])('received %s + %i month(s) → %s', (received, n, expected) => {
    expect(due(received, { value: n, unit: 'months' }).dueDate).toBe(expected);
  });
});

describe('15:00 cut-off (rules.md §13.4)', () => {
  const sameDay = days(0);
  it.each([
    ['2026-03-02 14:59', '2026-03-02'],
    ['2026-03-02 15:00', '2026-03-02'],
    ['2026-03-02 15:01', '2026-03-03'],
    ['2026-02-13 16:00', '2026-02-23'], // Friday before Tết
  ])('same-day procedure received %s → due %s', (received, expected) => {
    expect(due(received, sameDay, { cutoff: '15:00' }).dueDate).toBe(expected);
  });

  it('starts a 5-day count one working day later after 15:00 (NĐ 63/2024 bundle)', () => {
    expect(due('2026-03-02 16:00', days(5)).dueDate).toBe('2026-03-09');
    expect(due('2026-03-02 16:00', days(5), { cutoff: '15:00' }).dueDate).toBe('2026-03-10');
    expect(due('2026-03-02 14:00', days(5), { cutoff: '15:00' }).dueDate).toBe('2026-03-09');
  });

  it('ignores the cut-off for a receipt on a day off', () => {
    expect(due('2026-03-07 16:00', days(5), { cutoff: '15:00' }).dueDate).toBe('2026-03-13');
  });

  it('does nothing without a procedure cut-off', () => {
    expect(due('2026-03-02 16:30', sameDay).dueDate).toBe('2026-03-02');
  });
});

describe('supplement pauses add the paused working days', () => {
  it('adds the working days after the request day up to the resubmission day', () => {
    // Base: Mon 2/3 + 5 = Mon 9/3; paused Wed 4/3 → Fri 6/3 = 2 working days → Wed 11/3.
    const pauses = [{ from: vn('2026-03-04 10:00'), to: vn('2026-03-06 09:00') }];
    expect(due('2026-03-02 09:00', days(5), { pauses }).dueDate).toBe('2026-03-11');
  });

  it('counts only working days of a pause across a weekend', () => {
    const pauses = [{ from: vn('2026-03-06 10:00'), to: vn('2026-03-09 09:00') }];
    expect(due('2026-03-02 09:00', days(5), { pauses }).dueDate).toBe('2026-03-10');
  });

  it('ignores a pause requested after the due date and a pause still open', () => {
    const pauses = [
      { from: vn('2026-03-10 10:00'), to: vn('2026-03-12 09:00') },
      { from: vn('2026-03-05 10:00'), to: null },
    ];
    expect(due('2026-03-02 09:00', days(5), { pauses }).dueDate).toBe('2026-03-09');
  });

  it('adds paused calendar days to a calendar-day limit', () => {
    const pauses = [{ from: vn('2026-03-03 10:00'), to: vn('2026-03-05 10:00') }];
    // 2/3 + 5 = 7/3 (Sat); +2 paused days = 9/3 (Mon).
    expect(due('2026-03-02 09:00', { value: 5, unit: 'calendar_days' }, { pauses }).dueDate).toBe('2026-03-09');
  });
});

describe('working-hour limits (rules.md §13.3)', () => {
  const hours = (value: number): TimeLimit => ({ value, unit: 'working_hours' });

  it('counts office hours across the lunch break and into the next day', () => {
    expect(due('2026-03-02 10:00', hours(8))).toEqual({ dueDate: '2026-03-03', dueAt: vn('2026-03-03 10:00') });
  });

  it('starts a receipt before opening at the opening', () => {
    expect(due('2026-03-02 07:00', hours(8)).dueAt).toBe(vn('2026-03-02 17:00'));
  });

  it('skips Tết for a 2-hour acknowledgment received on Friday afternoon', () => {
    expect(due('2026-02-13 16:00', hours(2)).dueAt).toBe(vn('2026-02-23 09:00'));
  });

  it('counts a make-up Saturday as a working day', () => {
    expect(due('2026-08-22 11:00', hours(2)).dueAt).toBe(vn('2026-08-22 14:00'));
  });

  it('extends by the office hours of a pause', () => {
    const pauses = [{ from: vn('2026-03-02 13:00'), to: vn('2026-03-02 15:00') }];
    expect(due('2026-03-02 10:00', hours(8), { pauses }).dueAt).toBe(vn('2026-03-03 12:00'));
  });
});

describe('bad input', () => {
  it('lists every problem', () => {
    expect(() => computeDeadline({ receivedAt: 'yesterday', limit: { value: 0, unit: 'months' }, cutoff: '25:00' }, { calendar })).toThrow(
      /receivedAt is not an instant.*months limit must be > 0.*cut-off is not HH:MM/,
    );
  });
});

describe('procedure catalogue (src/rules/data/procedures.sample.json)', () => {
  const catalog = loadProcedureCatalog(readFileSync(new URL('./data/procedures.sample.json', import.meta.url), 'utf8'));

  it('applies the procedure limit and its cut-off', () => {
    const certify = catalog.find('2.000908');
    expect(certify?.cutoff).toBe('15:00');
    expect(deadlineForProcedure(certify!, vn('2026-03-02 15:30'), [], { calendar }).dueDate).toBe('2026-03-03');
    expect(deadlineForProcedure(catalog.find('2.000488')!, vn('2026-02-13 10:00'), [], { calendar }).dueDate).toBe('2026-02-25');
  });

  it('picks the version valid on the receipt date', () => {
    expect(catalog.find('0.000004', '2025-06-30')?.timeLimit.value).toBe(10);
    expect(catalog.find('0.000004', '2025-07-01')?.timeLimit.value).toBe(7);
    expect(catalog.find('0.000004')?.timeLimit.value).toBe(7);
    expect(catalog.find('9.999999')).toBeNull();
  });

  it('rejects a bad catalogue with every issue and its path', () => {
    const bad = {
      version: 1,
      procedures: [
        { code: '1.1', name: 'a', timeLimit: { value: 0, unit: 'working_hours' }, cutoff: '3pm' },
        { code: '1.1', name: 'b', timeLimit: { value: 2, unit: 'fortnights' } },
      ],
    };
    expect(() => loadProcedureCatalog(bad)).toThrow(
      /procedures\[0\]\.timeLimit\.value: only a working-day limit can be 0.*procedures\[0\]\.cutoff: expected HH:MM.*procedures\[1\]\.timeLimit\.unit/,
    );
  });
});

describe('rescheduling (rules.md §4)', () => {
  const original = due('2026-03-02 09:00', days(5)); // 9/3
  const later = { dueDate: '2026-03-13', dueAt: vn('2026-03-13 17:00') };

  it('keeps the original due date for statistics and allows the notice up to one working day before', () => {
    expect(apologyDeadline(original, calendar)).toBe('2026-03-06');
    const r = rescheduleDeadline({ original, rescheduled: null }, later, { calendar, noticeAt: vn('2026-03-06 16:00') });
    expect(r.dueDates).toEqual({ original, rescheduled: later });
    expect(r.noticeInTime).toBe(true);
    expect(rescheduleDeadline({ original, rescheduled: null }, later, { calendar, noticeAt: vn('2026-03-09 08:00') }).noticeInTime).toBe(false);
  });

  it('refuses a second rescheduling and a date that is not later', () => {
    expect(() => rescheduleDeadline({ original, rescheduled: later }, later, { calendar, noticeAt: vn('2026-03-05 08:00') })).toThrow(/only once/);
    expect(() => rescheduleDeadline({ original, rescheduled: null }, original, { calendar, noticeAt: vn('2026-03-05 08:00') })).toThrow(/not after/);
  });
});
