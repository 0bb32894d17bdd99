/**
 * Due dates of dossiers (rules.md §12–§13): working days, calendar days, months and office hours,
 * the per-procedure 15:00 cut-off, supplement pauses, and the single allowed rescheduling.
 */
import { GatewayError, ValidationError } from '../errors.ts';
import type { WorkingCalendar } from './calendar.ts';
import { addDays, addMonths, clockMinutes, dayNumber, epochOf, instantAt, isClock, localDateOf, localMinutesOf } from './dates.ts';
import { DEFAULT_OFFICE_HOURS, addOfficeHours, closingMinutes, officeMinutesBetween, type OfficeHours } from './office-hours.ts';
import type { Procedure, TimeLimit } from './procedures.ts';

export interface Deadline {
  /** Local due date (Vietnam). */
  dueDate: string;
  /** Due instant, ISO UTC: close of office hours on the due date, or the exact instant for hour limits. */
  dueAt: string;
}

/** A supplement (or payment) pause: from the request to the resubmission; `to` null = still waiting. */
export interface Pause {
  from: string;
  to: string | null;
}

export interface DeadlineInput {
  /** Official receipt instant (status 2), ISO. */
  receivedAt: string;
  limit: TimeLimit;
  /** Procedure cut-off `HH:MM` (§13.4); null/absent = none. */
  cutoff?: string | null;
  pauses?: readonly Pause[];
}

export interface DeadlineOptions {
  calendar: WorkingCalendar;
  officeHours?: OfficeHours;
  /**
   * Clock time of a day-based due instant (§13.2.2 vs §13.2.4 [?]): `office_close` (default) or
   * `receipt_time`, the style of systems that add N days to the receipt timestamp.
   */
  dueTime?: 'office_close' | 'receipt_time';
}

function closedPauses(pauses: readonly Pause[] | undefined): Array<{ from: string; to: string }> {
  // An open pause has no end yet: the deadline cannot move for it; classify.ts judges such a
  // dossier at the request time instead (766 2.1).
  return (pauses ?? [])
    .filter((p): p is { from: string; to: string } => p.to !== null && epochOf(p.to) > epochOf(p.from))
    .sort((a, b) => epochOf(a.from) - epochOf(b.from));
}

function rollToWorkingDay(date: string, calendar: WorkingCalendar): string {
  // BLDS 2015 Điều 148 k5: a limit ending on a day off ends on the next working day.
  return calendar.addWorkingDays(date, 0);
}

function validate(input: DeadlineInput): void {
  const { value, unit } = input.limit;
  const problems: string[] = [];
  if (Number.isNaN(Date.parse(input.receivedAt))) problems.push(`receivedAt is not an instant: ${input.receivedAt}`);
  if (!Number.isInteger(value) || value < 0) problems.push(`time limit must be a whole number ≥ 0: ${value}`);
  if (value === 0 && unit !== 'working_days') problems.push(`a ${unit} limit must be > 0`);
  if (input.cutoff != null && !isClock(input.cutoff)) problems.push(`cut-off is not HH:MM: ${input.cutoff}`);
  if (problems.length) throw new ValidationError('invalid deadline input', problems.map((message) => ({ path: '', message })));
}

/**
 * Computes the due date of a dossier.
 *
 * Day-based limits: day 1 is the first working day after the receipt day (BLDS Điều 147); when
 * the procedure has a cut-off and the receipt is after it on a working day, the receipt counts as
 * made on the next working day (§13.4), so a same-day procedure is due then and an N-day count
 * starts one working day later. The cut-off is ignored for receipts on a day off, whose count
 * already starts on the next working day. Closed pauses add the working (or calendar) days strictly
 * after the request day up to the resubmission day, when the pause began on or before the running
 * due date.
 *
 * @example
 * computeDeadline({ receivedAt: '2026-02-13T03:00:00.000Z', limit: { value: 3, unit: 'working_days' } }, { calendar: createCalendar() });
 * // { dueDate: '2026-02-25', dueAt: '2026-02-25T10:00:00.000Z' }
 */
export function computeDeadline(input: DeadlineInput, options: DeadlineOptions): Deadline {
  validate(input);
  const { calendar } = options;
  const office = options.officeHours ?? DEFAULT_OFFICE_HOURS;
  const { value, unit } = input.limit;
  const pauses = closedPauses(input.pauses);

  if (unit === 'working_hours') {
    let dueAt = addOfficeHours(input.receivedAt, value, calendar, office);
    for (const p of pauses) {
      if (epochOf(p.from) > epochOf(dueAt)) break;
      const minutes = officeMinutesBetween(p.from, p.to, calendar, office);
      if (minutes > 0) dueAt = addOfficeHours(dueAt, minutes / 60, calendar, office);
    }
    return { dueDate: localDateOf(dueAt), dueAt };
  }

  const receiptDay = localDateOf(input.receivedAt);
  const receiptMinute = localMinutesOf(input.receivedAt);
  const afterCutoff = input.cutoff != null && calendar.isWorkingDay(receiptDay) && receiptMinute > clockMinutes(input.cutoff);
  const start = afterCutoff ? calendar.nextWorkingDay(receiptDay) : receiptDay;

  let due: string;
  if (unit === 'working_days') {
    due = extendByPauses(calendar.addWorkingDays(start, value), pauses, calendar).dueDate;
  } else {
    // Paused days extend the raw end; the roll off a day off happens once, at the end.
    let end = unit === 'calendar_days' ? addDays(start, value) : addMonths(start, value);
    for (const p of pauses) {
      const fromDay = localDateOf(p.from);
      if (fromDay > rollToWorkingDay(end, calendar)) break;
      end = addDays(end, dayNumber(localDateOf(p.to)) - dayNumber(fromDay));
    }
    due = rollToWorkingDay(end, calendar);
  }
  const minute = options.dueTime === 'receipt_time' ? Math.floor(receiptMinute) : closingMinutes(office);
  return { dueDate: due, dueAt: instantAt(due, minute) };
}

/**
 * Moves a working-day due date by the working days of closed pauses: those strictly after the
 * request day up to the resubmission day, for pauses that began on or before the running due
 * date (a request made after the deadline cannot rescue a late dossier).
 *
 * @example extendByPauses('2026-03-09', [{ from: '2026-03-04T03:00:00.000Z', to: '2026-03-06T02:00:00.000Z' }], calendar) // { dueDate: '2026-03-11', pausedWorkingDays: 2 }
 */
export function extendByPauses(dueDate: string, pauses: readonly Pause[], calendar: WorkingCalendar): { dueDate: string; pausedWorkingDays: number } {
  let due = dueDate;
  let paused = 0;
  for (const p of closedPauses(pauses)) {
    const fromDay = localDateOf(p.from);
    if (fromDay > due) break;
    const k = calendar.workingDaysBetween(fromDay, localDateOf(p.to));
    paused += k;
    due = calendar.addWorkingDays(due, k);
  }
  return { dueDate: due, pausedWorkingDays: paused };
}

/**
 * Deadline of a dossier of a catalogued procedure.
 * @example deadlineForProcedure(catalog.find('2.000908')!, '2026-03-02T08:30:00.000Z', [], { calendar }) // after 15:00 → due 2026-03-03
 */
export function deadlineForProcedure(procedure: Procedure, receivedAt: string, pauses: readonly Pause[], options: DeadlineOptions): Deadline {
  return computeDeadline({ receivedAt, limit: procedure.timeLimit, cutoff: procedure.cutoff, pauses }, options);
}

/** The legal appointment and, after an apology (Mẫu 04), the one rescheduled date (rules.md §4). */
export interface DueDates {
  /** Statistics always use this one (§4, §13.5). */
  original: Deadline;
  /** For citizen display only. */
  rescheduled: Deadline | null;
}

/**
 * Last day on which the apology and new date may be sent: one working day before the due date
 * (§4 "no later than 1 day before", §13.5 "due time minus 1 working day").
 * @example apologyDeadline({ dueDate: '2026-02-23', dueAt: '…' }, calendar) // '2026-02-13' (Tết in between)
 */
export function apologyDeadline(due: Deadline, calendar: WorkingCalendar): string {
  return calendar.previousWorkingDay(due.dueDate);
}

/**
 * Records the single allowed rescheduling. The original due date is kept for statistics.
 *
 * @example
 * const { dueDates, noticeInTime } = rescheduleDeadline({ original, rescheduled: null }, later, { calendar, noticeAt });
 * @throws {GatewayError} `reschedule_limit` on a second rescheduling; {ValidationError} when the new date is not later
 */
export function rescheduleDeadline(
  current: DueDates,
  next: Deadline,
  options: { calendar: WorkingCalendar; noticeAt: string },
): { dueDates: DueDates; noticeInTime: boolean } {
  if (current.rescheduled !== null) {
    throw new GatewayError('reschedule_limit', 'a dossier may be rescheduled only once (rules.md §4: "chỉ được hẹn lại một lần")');
  }
  if (next.dueDate <= current.original.dueDate) {
    throw new ValidationError('invalid rescheduling', [{ path: 'dueDate', message: `${next.dueDate} is not after the original due date ${current.original.dueDate}` }]);
  }
  const noticeInTime = localDateOf(options.noticeAt) <= apologyDeadline(current.original, options.calendar);
  return { dueDates: { original: current.original, rescheduled: next }, noticeInTime };
}
