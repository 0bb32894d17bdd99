/**
 * Apology letters due (rules.md §4, §13.5): dossiers received and not finished at the end of the
 * day `at`, whose statistical due date falls within one working day of it (due on `at` or on the
 * next working day). The letter must go out no later than the working day before the due date.
 * Dossiers waiting for a supplement are left out: their clock is stopped (§3).
 */
import { ValidationError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { classifyDossier, isDate, periodEndInstant } from '../rules/index.ts';
import { createUnitAssigner } from '../units/assign.ts';
import type { ReportContext } from './context.ts';
import { FINISHED_SLACK_DAYS, streamDossiers, type DossierFilter } from './ledger-stream.ts';
import { periodBounds } from '../rules/periods.ts';

export interface LateRow {
  code: string;
  unitCode: string | null;
  unitName: string;
  procedureCode: string;
  procedureName: string;
  receivedAt: string;
  dueDate: string;
  dueAt: string;
  /** Last day to send the apology (Mẫu 04): the working day before the due date. */
  apologyBy: string;
  /** The due date has already passed. */
  overdue: boolean;
}

export interface LateReport {
  at: string;
  /** Due dates listed: `from` (or any earlier one with --include-overdue) to `to`. */
  window: { from: string; to: string };
  generatedAt: string;
  rows: LateRow[];
}

/**
 * @example await buildLateReport(ledger, '2026-11-23', ctx) // { window: { from: '2026-11-23', to: '2026-11-24' }, rows: [...] }
 * @throws {ValidationError} when `at` is not a real date
 */
export async function buildLateReport(ledger: Ledger, at: string, ctx: ReportContext, o: { includeOverdue?: boolean } = {}): Promise<LateReport> {
  if (!isDate(at)) throw new ValidationError('invalid date', [{ path: 'at', message: `expected YYYY-MM-DD, got "${at}"` }]);
  const day = { from: at, to: at };
  const asOf = periodEndInstant(day);
  const to = ctx.calendar.nextWorkingDay(at);
  const { start, endExclusive } = periodBounds(day);
  const since = new Date(start - FINISHED_SLACK_DAYS * 86_400_000).toISOString();
  const filter: DossierFilter = { receivedBefore: new Date(endExclusive).toISOString(), openOrFinishedSince: since };
  const assigner = createUnitAssigner(ctx.units, { rollup: ctx.rollup });
  const rows: LateRow[] = [];
  for await (const { dossier } of streamDossiers(ledger, { filter, ...(ctx.pageSize ? { pageSize: ctx.pageSize } : {}) })) {
    const c = classifyDossier(dossier, { calendar: ctx.calendar, asOf, ...(ctx.catalog ? { catalog: ctx.catalog } : {}) });
    if (!c.received || c.finished || c.due === null || c.judgedAt !== asOf) continue;
    if (c.due.dueDate > to || (!o.includeOverdue && c.due.dueDate < at)) continue;
    const d = assigner.assign(dossier);
    rows.push({
      code: d.code,
      unitCode: d.unit.code,
      unitName: d.unit.name,
      procedureCode: d.procedure.code,
      procedureName: d.procedure.name,
      receivedAt: c.receivedAt as string,
      dueDate: c.due.dueDate,
      dueAt: c.due.dueAt,
      apologyBy: ctx.calendar.previousWorkingDay(c.due.dueDate),
      overdue: c.due.dueDate < at,
    });
  }
  rows.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || (a.unitCode ?? '').localeCompare(b.unitCode ?? '') || a.code.localeCompare(b.code));
  return { at, window: { from: at, to }, generatedAt: ctx.now ?? new Date().toISOString(), rows };
}
