/**
 * Official yearly arrangements (nghỉ bù, hoán đổi, làm bù) as dated data, so a new year's notice
 * from Bộ Nội vụ is a JSON edit, not a code change (rules.md §14.2). A year present in the data
 * replaces the computed holidays of that year entirely: the notices fix the exact Tết days, which
 * the Labour Code alone does not.
 */
import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors.ts';
import { isDate, isWeekend } from './dates.ts';
import bundledJson from './data/holidays.json' with { type: 'json' };

const DateSchema = z.string().refine(isDate, 'expected a real date written YYYY-MM-DD');

export const CalendarDayOffSchema = z.object({
  date: DateSchema,
  /** holiday = Điều 112 day; substitute = nghỉ bù (Điều 111 k3); swap = weekday off worked back on a Saturday. */
  kind: z.enum(['holiday', 'substitute', 'swap']),
  name: z.string().min(1),
  /** For a swap: the Saturday worked in exchange (làm bù). */
  makeUpDate: DateSchema.optional(),
});

export const CalendarWorkingDaySchema = z.object({ date: DateSchema, name: z.string().min(1) });

export const CalendarYearSchema = z
  .object({
    year: z.number().int().min(1900).max(2198),
    /** Notices the year was taken from, e.g. "TB 9441/TB-BNV (16/10/2025)". */
    sources: z.array(z.string()).default([]),
    daysOff: z.array(CalendarDayOffSchema),
    /** Saturdays/Sundays that are working days (làm bù). */
    workingDays: z.array(CalendarWorkingDaySchema).default([]),
  })
  .superRefine((y, ctx) => {
    const prefix = `${y.year}-`;
    const seen = new Set<string>();
    const working = new Set(y.workingDays.map((w) => w.date));
    y.daysOff.forEach((d, i) => {
      const path = ['daysOff', i, 'date'];
      if (!d.date.startsWith(prefix)) ctx.addIssue({ code: 'custom', path, message: `${d.date} is not in ${y.year}` });
      if (seen.has(d.date)) ctx.addIssue({ code: 'custom', path, message: `${d.date} is listed twice` });
      seen.add(d.date);
      if (working.has(d.date)) ctx.addIssue({ code: 'custom', path, message: `${d.date} is both a day off and a working day` });
      if (d.kind === 'swap' && d.makeUpDate === undefined) {
        ctx.addIssue({ code: 'custom', path: ['daysOff', i, 'makeUpDate'], message: 'a swap needs its make-up Saturday' });
      }
      if (d.makeUpDate?.startsWith(prefix) && !working.has(d.makeUpDate)) {
        ctx.addIssue({ code: 'custom', path: ['daysOff', i, 'makeUpDate'], message: `${d.makeUpDate} is not in workingDays` });
      }
    });
    y.workingDays.forEach((w, i) => {
      const path = ['workingDays', i, 'date'];
      if (!w.date.startsWith(prefix)) ctx.addIssue({ code: 'custom', path, message: `${w.date} is not in ${y.year}` });
      else if (isDate(w.date) && !isWeekend(w.date)) {
        ctx.addIssue({ code: 'custom', path, message: `${w.date} is a weekday; only a Saturday or Sunday can be a make-up working day` });
      }
    });
  });

export const CalendarDataSchema = z
  .object({ version: z.literal(1), years: z.array(CalendarYearSchema) })
  .superRefine((data, ctx) => {
    const seen = new Set<number>();
    data.years.forEach((y, i) => {
      if (seen.has(y.year)) ctx.addIssue({ code: 'custom', path: ['years', i, 'year'], message: `year ${y.year} is listed twice` });
      seen.add(y.year);
    });
  });

export type CalendarDayOff = z.infer<typeof CalendarDayOffSchema>;
export type CalendarYear = z.infer<typeof CalendarYearSchema>;
export type CalendarData = z.infer<typeof CalendarDataSchema>;

function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, ''),
    message: i.message,
    code: i.code,
  }));
}

/**
 * Validates calendar data (parsed JSON or JSON text); every problem is reported with its path.
 *
 * @example
 * const extra = loadCalendarData(await readFile('holidays-2027.json', 'utf8'));
 * const cal = createCalendar({ data: [extra] });
 * @throws {ValidationError} listing every issue, e.g. `years[0].workingDays[0].date: 2027-05-05 is a weekday; …`
 */
export function loadCalendarData(json: unknown): CalendarData {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new ValidationError('calendar data is not valid JSON', [{ path: '', message: (error as Error).message }]);
    }
  }
  const parsed = CalendarDataSchema.safeParse(value);
  if (!parsed.success) throw new ValidationError('invalid calendar data', issuesOf(parsed.error));
  return parsed.data;
}

/** The arrangements shipped with the code: 2024, 2025, 2026 (rules.md §14.2). */
export const BUNDLED_CALENDAR_DATA: CalendarData = loadCalendarData(bundledJson);
