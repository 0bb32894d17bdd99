/**
 * Classification of one dossier at an instant (rules.md §9): received or not, finished or in
 * progress, trước hạn / đúng hạn / quá hạn, trong hạn / quá hạn, and the 766 on-time view.
 * Decisions on open questions are marked [?] with their section.
 */
import type { Dossier } from '../../schemas/dossier.ts';
import type { WorkingCalendar } from './calendar.ts';
import { epochOf, instantAt, localDateOf, localMinutesOf } from './dates.ts';
import { computeDeadline, extendByPauses, type Deadline, type Pause } from './deadline.ts';
import { END_STATUSES, endOfProcessing, mergePauses, paymentPauses, reissuedDueAt, supplementPauses, supplementRequestCount, wasRefusedAfterReview, type EndOfProcessing } from './dossier-events.ts';
import type { OfficeHours } from './office-hours.ts';
import type { ProcedureCatalog } from './procedures.ts';
import { ruleSetFor, type RuleSetId } from './rule-sets.ts';

export interface ClassifyOptions {
  calendar: WorkingCalendar;
  /** Judge the dossier as it stood at this instant: the period end, or now for the current period. */
  asOf: string;
  /** Fallback when NgayHenTra is missing: the procedure's legal limit from the receipt (766 2.1). */
  catalog?: ProcedureCatalog;
  officeHours?: OfficeHours;
  /** The legal/first appointment kept by the ledger when NgayHenTra was overwritten by a rescheduling (§4). */
  originalDueAt?: string | null;
}

export type NotReceivedReason = 'submitted' | 'refused_at_reception' | 'no_receipt_time' | 'received_after_as_of';
export type DueSource = 'original' | 'reissued' | 'dossier' | 'catalog';
export type ClassificationIssue = 'no_receipt_time' | 'no_due_date' | 'end_time_missing' | 'end_before_receipt';

export interface Classification {
  code: string;
  received: boolean;
  notReceivedReason: NotReceivedReason | null;
  receivedAt: string | null;
  ruleSet: RuleSetId | null;
  /** End of processing, even when it lies after `asOf` (also kept for `received_after_as_of`). */
  end: EndOfProcessing | null;
  /** Ended at or before `asOf`. */
  finished: boolean;
  /** Due date used for statistics: original appointment, extended by supplement pauses unless re-issued. */
  due: Deadline | null;
  dueSource: DueSource | null;
  pausedWorkingDays: number;
  supplementRequests: number;
  /** Finished dossiers, by local dates (§9 default). */
  outcome: 'early' | 'on_time' | 'late' | null;
  /** Finished dossiers, by exact instants (kept for audit). */
  lateExact: boolean | null;
  /** Dossiers not finished at `asOf`. */
  inProgress: 'within_deadline' | 'overdue' | null;
  /** The instant the dossier was judged at: end, `asOf`, or the start of a supplement pause open at `asOf`. */
  judgedAt: string | null;
  /** Counts as "trước hạn, đúng hạn" / "trong hạn" for 766 indicator 2.1. */
  onTime766: boolean | null;
  issues: ClassificationIssue[];
}

function notReceived(dossier: Dossier, reason: NotReceivedReason, end: EndOfProcessing | null = null): Classification {
  return {
    code: dossier.code,
    received: false,
    notReceivedReason: reason,
    receivedAt: dossier.dates.receivedAt,
    ruleSet: null,
    end,
    finished: false,
    due: null,
    dueSource: null,
    pausedWorkingDays: 0,
    supplementRequests: supplementRequestCount(dossier),
    outcome: null,
    lateExact: null,
    inProgress: null,
    judgedAt: null,
    onTime766: null,
    issues: reason === 'no_receipt_time' ? ['no_receipt_time'] : [],
  };
}

function statisticalDue(dossier: Dossier, receivedAt: string, pauses: Pause[], options: ClassifyOptions): { due: Deadline | null; source: DueSource | null; paused: number } {
  const { calendar } = options;
  const extend = (dueAt: string, source: DueSource) => {
    const base = localDateOf(dueAt);
    const moved = extendByPauses(base, pauses, calendar);
    const at = moved.dueDate === base ? dueAt : instantAt(moved.dueDate, localMinutesOf(dueAt));
    return { due: { dueDate: moved.dueDate, dueAt: at }, source, paused: moved.pausedWorkingDays };
  };
  if (options.originalDueAt) return extend(options.originalDueAt, 'original');
  // A supplement that re-issued the appointment already accounts for the pause (766 2.1:
  // "subtract supplement time when the due time was not re-issued").
  const reissued = reissuedDueAt(dossier);
  if (reissued) return { due: { dueDate: localDateOf(reissued), dueAt: reissued }, source: 'reissued', paused: 0 };
  if (dossier.dates.dueAt) return extend(dossier.dates.dueAt, 'dossier');
  const procedure = options.catalog?.find(dossier.procedure.code, localDateOf(receivedAt));
  if (procedure) {
    const base = computeDeadline({ receivedAt, limit: procedure.timeLimit, cutoff: procedure.cutoff }, options.officeHours ? { calendar, officeHours: options.officeHours } : { calendar });
    const withPauses = computeDeadline(
      { receivedAt, limit: procedure.timeLimit, cutoff: procedure.cutoff, pauses },
      options.officeHours ? { calendar, officeHours: options.officeHours } : { calendar },
    );
    return { due: withPauses, source: 'catalog', paused: calendar.workingDaysBetween(base.dueDate, withPauses.dueDate) };
  }
  return { due: null, source: null, paused: 0 };
}

/**
 * Classifies a dossier as it stood at `options.asOf`.
 *
 * - Not received: status 1; status 3 without any processing step (refused at the counter, §1);
 *   no NgayTiepNhan; or received after `asOf`.
 * - Finished: an end status (7, 8, 9, 10, or 3 after review) whose end time (9 > 10 > 8/3/7) is ≤ asOf.
 *   Withdrawn (7) and stopped (8) dossiers count as finished, as on DVCQG [? §10.1: Biểu 06 guide not found].
 * - Outcome by local dates: end date < due date trước hạn, = đúng hạn, > quá hạn [? §9, §17 q3].
 * - In progress: judged at `asOf`, or at the request time while a supplement is pending (766 2.1),
 *   by local dates: judged date ≤ due date → trong hạn.
 * - 766 view: more than one supplement request is late; a finished dossier compares exact
 *   instants (NgayKetThucXuLy ≤ NgayHenTra), an unfinished one the dates above, because 766 judges
 *   it on "ngày cuối kỳ", a day [? §9].
 * - Statistics use the original appointment, never a rescheduled one [? §4, §17 q4]: pass
 *   `originalDueAt` when the ledger knows NgayHenTra was overwritten.
 *
 * @example
 * classifyDossier(dossier, { calendar: createCalendar(), asOf: '2026-10-14T16:59:59.999Z' }).outcome // 'on_time'
 */
export function classifyDossier(dossier: Dossier, options: ClassifyOptions): Classification {
  const receivedAt = dossier.dates.receivedAt;
  const status = dossier.status.code;
  if (status === 1) return notReceived(dossier, 'submitted');
  if (status === 3 && !wasRefusedAfterReview(dossier)) return notReceived(dossier, 'refused_at_reception');
  if (receivedAt === null) return notReceived(dossier, 'no_receipt_time');
  const asOf = epochOf(options.asOf);
  if (epochOf(receivedAt) > asOf) {
    // Keep the end: a dossier "received" after it ended is a data error that Biểu 06 must show.
    return notReceived(dossier, 'received_after_as_of', END_STATUSES.has(status) ? endOfProcessing(dossier) : null);
  }

  const issues: ClassificationIssue[] = [];
  const end = END_STATUSES.has(status) ? endOfProcessing(dossier) : null;
  if (END_STATUSES.has(status) && end === null) issues.push('end_time_missing');
  if (end && epochOf(end.at) < epochOf(receivedAt)) issues.push('end_before_receipt');
  const finished = end !== null && epochOf(end.at) <= asOf;

  // Supplement pauses always stop the clock; waiting for payment only where the procedure says so.
  const procedure = options.catalog?.find(dossier.procedure.code, localDateOf(receivedAt));
  const pauses = procedure?.pausesForPayment ? mergePauses([...supplementPauses(dossier), ...paymentPauses(dossier)]) : supplementPauses(dossier);
  const pendingAtAsOf = pauses.find((p) => epochOf(p.from) <= asOf && (p.to === null || epochOf(p.to) > asOf));
  const judgedAt = finished ? end.at : (pendingAtAsOf?.from ?? options.asOf);
  const judged = epochOf(judgedAt);
  // Only pauses over by the judgement instant move the deadline.
  const closed = pauses.filter((p) => p.to !== null && epochOf(p.to) <= judged);
  const { due, source, paused } = statisticalDue(dossier, receivedAt, closed, options);
  if (due === null) issues.push('no_due_date');

  const supplements = supplementRequestCount(dossier);
  let outcome: Classification['outcome'] = null;
  let lateExact: boolean | null = null;
  let inProgress: Classification['inProgress'] = null;
  let onTime766: boolean | null = null;
  if (due !== null) {
    const judgedDate = localDateOf(judgedAt);
    if (finished) {
      outcome = judgedDate < due.dueDate ? 'early' : judgedDate === due.dueDate ? 'on_time' : 'late';
      lateExact = judged > epochOf(due.dueAt);
      onTime766 = !lateExact;
    } else {
      inProgress = judgedDate <= due.dueDate ? 'within_deadline' : 'overdue';
      onTime766 = inProgress === 'within_deadline';
    }
  }
  if (supplements > 1) onTime766 = false;

  return {
    code: dossier.code,
    received: true,
    notReceivedReason: null,
    receivedAt,
    ruleSet: ruleSetFor(receivedAt).id,
    end,
    finished,
    due,
    dueSource: source,
    pausedWorkingDays: paused,
    supplementRequests: supplements,
    outcome,
    lateExact,
    inProgress,
    judgedAt,
    onTime766,
    issues,
  };
}
