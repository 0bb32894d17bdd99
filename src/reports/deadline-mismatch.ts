/**
 * Deadline check (issue #4 §7): for dossiers whose procedure is in the catalogue (the version valid
 * on the receipt date), recompute the appointment from NgayTiepNhan with the working-day calendar
 * (rules.md §12–§13, without supplement pauses: NgayHenTra is the appointment given at receipt)
 * and list those whose local NgayHenTra falls on another date.
 */
import { ConfigError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { deadlineForProcedure, localDateOf, periodBounds, type Period } from '../rules/index.ts';
import { createUnitAssigner } from '../units/assign.ts';
import type { ReportContext } from './context.ts';
import { streamDossiers, type DossierFilter } from './ledger-stream.ts';

export interface MismatchRow {
  code: string;
  unitCode: string | null;
  unitName: string;
  procedureCode: string;
  receivedAt: string;
  /** NgayHenTra of the dossier, local date. */
  localDueDate: string;
  /** The catalogue's limit applied to NgayTiepNhan. */
  expectedDueDate: string;
  /** Working days from the expected date to the local one (negative: the local date is earlier). */
  differenceWorkingDays: number;
  supplementRequests: number;
}

export interface MismatchReport {
  period: Period | null;
  generatedAt: string;
  /** Dossiers with a receipt, a NgayHenTra and a catalogued procedure. */
  checked: number;
  /** Dossiers skipped because their procedure is not in the catalogue. */
  notInCatalog: number;
  rows: MismatchRow[];
}

/**
 * @example await buildDeadlineMismatch(ledger, ctx, { from: '2026-10-01', to: '2026-10-31' })
 * @throws {ConfigError} without a procedure catalogue
 */
export async function buildDeadlineMismatch(ledger: Ledger, ctx: ReportContext, period: Period | null = null): Promise<MismatchReport> {
  const catalog = ctx.catalog;
  if (!catalog) throw new ConfigError('report deadline-mismatch needs a procedure catalogue: --catalog FILE or reports.catalog in the configuration');
  let filter: DossierFilter = { withReceiptAndDue: true };
  if (period) {
    const { start, endExclusive } = periodBounds(period);
    filter = { ...filter, receivedFrom: new Date(start).toISOString(), receivedBefore: new Date(endExclusive).toISOString() };
  }
  const assigner = createUnitAssigner(ctx.units, { rollup: ctx.rollup });
  const rows: MismatchRow[] = [];
  let checked = 0;
  let notInCatalog = 0;
  for await (const { dossier } of streamDossiers(ledger, { filter, ...(ctx.pageSize ? { pageSize: ctx.pageSize } : {}) })) {
    const receivedAt = dossier.dates.receivedAt as string;
    const dueAt = dossier.dates.dueAt as string;
    const procedure = catalog.find(dossier.procedure.code, localDateOf(receivedAt));
    if (!procedure) {
      notInCatalog++;
      continue;
    }
    checked++;
    const expected = deadlineForProcedure(procedure, receivedAt, [], { calendar: ctx.calendar }).dueDate;
    const local = localDateOf(dueAt);
    if (local === expected) continue;
    const d = assigner.assign(dossier);
    const diff = local > expected ? ctx.calendar.workingDaysBetween(expected, local) : -ctx.calendar.workingDaysBetween(local, expected);
    rows.push({
      code: d.code,
      unitCode: d.unit.code,
      unitName: d.unit.name,
      procedureCode: d.procedure.code,
      receivedAt,
      localDueDate: local,
      expectedDueDate: expected,
      differenceWorkingDays: diff,
      supplementRequests: d.supplementRequests.length,
    });
  }
  return { period, generatedAt: ctx.now ?? new Date().toISOString(), checked, notInCatalog, rows };
}
