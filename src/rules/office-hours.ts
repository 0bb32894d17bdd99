/**
 * Office hours for hour-based time limits ("giờ làm việc", rules.md §12–§13.3). Each province sets
 * its own hours; rules.md only says "typically 8 hours a day with a lunch break" [?], so the default
 * is 08:00–12:00 and 13:00–17:00 (8 hours), configurable per province.
 */
import { z } from 'zod';
import type { WorkingCalendar } from './calendar.ts';
import { addDays, clockMinutes, epochOf, instantAt, isClock, localDateOf, localMinutesOf } from './dates.ts';

const ClockSchema = z.string().refine(isClock, 'expected HH:MM');

export const OfficeHoursSchema = z
  .object({ sessions: z.array(z.object({ start: ClockSchema, end: ClockSchema })).min(1) })
  .superRefine((o, ctx) => {
    let previousEnd = -1;
    o.sessions.forEach((s, i) => {
      if (!isClock(s.start) || !isClock(s.end)) return;
      const start = clockMinutes(s.start);
      const end = clockMinutes(s.end);
      if (end <= start) ctx.addIssue({ code: 'custom', path: ['sessions', i], message: 'a session must end after it starts' });
      if (start < previousEnd) ctx.addIssue({ code: 'custom', path: ['sessions', i], message: 'sessions must be in order and not overlap' });
      previousEnd = end;
    });
  });

export type OfficeHours = z.infer<typeof OfficeHoursSchema>;

export const DEFAULT_OFFICE_HOURS: OfficeHours = {
  sessions: [
    { start: '08:00', end: '12:00' },
    { start: '13:00', end: '17:00' },
  ],
};

interface Session {
  start: number;
  end: number;
}

function sessionsOf(hours: OfficeHours): Session[] {
  return hours.sessions.map((s) => ({ start: clockMinutes(s.start), end: clockMinutes(s.end) }));
}

/** Local minutes after midnight at which the last session closes (the display due time of a day). */
export function closingMinutes(hours: OfficeHours = DEFAULT_OFFICE_HOURS): number {
  return Math.max(...sessionsOf(hours).map((s) => s.end));
}

/**
 * The instant `hours` office hours after `from`; a start outside office hours begins at the next
 * opening (rules.md §13.3). Ending exactly at a session's close returns that close, not the next opening.
 *
 * @example addOfficeHours('2026-02-13T09:00:00.000Z', 2, createCalendar()) // '2026-02-23T02:00:00.000Z' (09:00 Mon 23/2, after Tết)
 */
export function addOfficeHours(from: string, hours: number, calendar: WorkingCalendar, office: OfficeHours = DEFAULT_OFFICE_HOURS): string {
  if (!(hours > 0)) throw new RangeError(`working hours must be > 0: ${hours}`);
  const sessions = sessionsOf(office);
  let remaining = hours * 60;
  let date = localDateOf(from);
  let minute = localMinutesOf(from);
  for (let guard = 0; guard < 100_000; guard += 1) {
    if (calendar.isWorkingDay(date)) {
      for (const s of sessions) {
        if (minute >= s.end) continue;
        const begin = Math.max(minute, s.start);
        if (remaining <= s.end - begin) return instantAt(date, begin + remaining);
        remaining -= s.end - begin;
        minute = s.end;
      }
    }
    date = addDays(date, 1);
    minute = 0;
  }
  throw new RangeError(`office hours never add up to ${hours} h: check the calendar and office hours`);
}

/**
 * Office minutes inside [from, to): used to extend an hour-based limit by a supplement pause.
 * @example officeMinutesBetween('2026-03-02T01:00:00.000Z', '2026-03-02T10:00:00.000Z', createCalendar()) // 480 (08:00–17:00 Mon)
 */
export function officeMinutesBetween(from: string, to: string, calendar: WorkingCalendar, office: OfficeHours = DEFAULT_OFFICE_HOURS): number {
  if (epochOf(to) <= epochOf(from)) return 0;
  const sessions = sessionsOf(office);
  const lastDate = localDateOf(to);
  let total = 0;
  for (let date = localDateOf(from); date <= lastDate; date = addDays(date, 1)) {
    if (!calendar.isWorkingDay(date)) continue;
    const lo = date === localDateOf(from) ? localMinutesOf(from) : 0;
    const hi = date === lastDate ? localMinutesOf(to) : 24 * 60;
    for (const s of sessions) total += Math.max(0, Math.min(hi, s.end) - Math.max(lo, s.start));
  }
  return total;
}
