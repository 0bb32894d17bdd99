/**
 * Biểu 06 over the ledger (rules.md §10.1): one keyset pass over the dossiers that can count in
 * the period into the streaming accumulator, with the identities checked. The carry-over identity
 * (tồn kỳ trước of this period = đang giải quyết at the end of the previous one, §10.1) is checked
 * against an accumulator judged at the last instant before the period, fed in the same pass.
 */
import type { Dossier } from '../../schemas/dossier.ts';
import { ValidationError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { addDays, epochOf } from '../rules/dates.ts';
import { checkCarryOver, createBieu06Accumulator, periodBounds, type Bieu06Options, type Bieu06Result, type CarryOverSide, type GroupBy, type Period, type RuleWarning } from '../rules/index.ts';
import { createUnitAssigner, MAX_LISTED_CODES } from '../units/assign.ts';
import type { ReportContext } from './context.ts';
import type { TrendPoint } from './formats/svg-chart.ts';
import { createTrendAccumulator, monthsOfPeriod } from './trend.ts';
import { periodFilter, streamDossiers, type DossierFilter } from './ledger-stream.ts';

export interface Bieu06Report extends Bieu06Result {
  generatedAt: string;
  /** Dossiers read from the ledger (before the rules decided which ones count). */
  examined: number;
  /** Received (new) and resolved of each whole reporting month of the period, each by its own Biểu 06 (the HTML trend chart). */
  trend?: TrendPoint[];
}

/**
 * The judgement instant: the period end, or now while the period is running (rules.md §9).
 * @throws {ValidationError} when the period has not started yet
 */
export function judgementInstant(period: Period, now: string): string | undefined {
  const { start, endExclusive } = periodBounds(period);
  const t = epochOf(now);
  if (t < start) throw new ValidationError('period has not started', [{ path: 'from', message: `${period.from} is after today (${now})` }]);
  return t < endExclusive ? new Date(t).toISOString() : undefined;
}

/** The day before the period: its end is the instant the carried-over dossiers were in progress. */
export function previousDay(period: Period): Period {
  const day = addDays(period.from, -1);
  return { from: day, to: day };
}

function options(ctx: ReportContext, period: Period, groupBy: GroupBy, asOf?: string): Bieu06Options {
  return { ...period, groupBy, calendar: ctx.calendar, ...(asOf ? { asOf } : {}), ...(ctx.catalog ? { catalog: ctx.catalog } : {}) };
}

/**
 * Names the dossiers behind carry-over mismatches: within each mismatching row, those whose own
 * "tồn kỳ trước" and "đang giải quyết at the previous end" disagree; when none does (the previous
 * figures came from other data), the row's carried-over dossiers, so a person can compare.
 * @example await explainCarryOver(warnings, dossiers, { ctx, period, groupBy })
 */
export async function explainCarryOver(
  warnings: RuleWarning[],
  dossiers: AsyncIterable<Dossier> | Iterable<Dossier>,
  o: { ctx: ReportContext; period: Period; groupBy: GroupBy; asOf?: string },
): Promise<RuleWarning[]> {
  const keys = new Map(warnings.map((w) => [w.key, { disagree: [] as string[], carried: [] as string[] }]));
  if (keys.size === 0) return warnings;
  const start = periodBounds(o.period).start;
  for await (const d of dossiers) {
    if (!d.dates.receivedAt || epochOf(d.dates.receivedAt) >= start) continue;
    const now = createBieu06Accumulator(options(o.ctx, o.period, o.groupBy, o.asOf));
    const before = createBieu06Accumulator(options(o.ctx, previousDay(o.period), o.groupBy));
    now.add(d);
    before.add(d);
    const row = now.result().rows[0] ?? before.result().rows[0];
    const slot = row ? keys.get(row.key) : undefined;
    if (!slot) continue;
    const carried = now.result().totals.received.carriedOver;
    if (carried !== before.result().totals.inProgress.total && slot.disagree.length < MAX_LISTED_CODES) slot.disagree.push(d.code);
    if (carried && slot.carried.length < MAX_LISTED_CODES) slot.carried.push(d.code);
  }
  return warnings.map((w) => {
    const slot = keys.get(w.key);
    if (!slot) return w;
    return slot.disagree.length
      ? { ...w, dossierCodes: slot.disagree }
      : { ...w, dossierCodes: slot.carried, message: `${w.message}; no dossier disagrees with itself: the previous figures come from other data (listed: this period's carried-over dossiers)` };
  });
}

async function* canonical(ledger: Ledger, ctx: ReportContext, filter: DossierFilter): AsyncGenerator<Dossier> {
  const assigner = createUnitAssigner(ctx.units, { rollup: ctx.rollup });
  for await (const { dossier } of streamDossiers(ledger, { filter, ...(ctx.pageSize ? { pageSize: ctx.pageSize } : {}) })) yield assigner.assign(dossier);
}

/**
 * Biểu 06 of a period from the ledger, grouped by unit, field or procedure.
 *
 * @example
 * const report = await buildBieu06Report(ledger, periodOf({ month: '2026-10', calendar: 'admin' }), 'unit', ctx);
 * report.totals.received.total; report.warnings; // identity failures name their dossiers
 */
export async function buildBieu06Report(
  ledger: Ledger,
  period: Period,
  groupBy: GroupBy,
  ctx: ReportContext,
  /** The previous period as it was published (`--previous FILE`), checked as well as the ledger's own view. */
  published?: { side: CarryOverSide; file: string },
): Promise<Bieu06Report> {
  const generatedAt = ctx.now ?? new Date().toISOString();
  const asOf = judgementInstant(period, generatedAt);
  const current = createBieu06Accumulator(options(ctx, period, groupBy, asOf));
  const previous = createBieu06Accumulator(options(ctx, previousDay(period), groupBy));
  const start = periodBounds(period).start;
  const assigner = createUnitAssigner(ctx.units, { rollup: ctx.rollup });
  // The months of the period lie inside it, so the same pass feeds them (no extra read).
  const months = monthsOfPeriod(period);
  const trend = months.months.length
    ? createTrendAccumulator({ ...months, workingCalendar: ctx.calendar, now: generatedAt, ...(ctx.catalog ? { catalog: ctx.catalog } : {}) })
    : undefined;
  let examined = 0;
  for await (const { dossier } of streamDossiers(ledger, { filter: periodFilter(period), ...(ctx.pageSize ? { pageSize: ctx.pageSize } : {}) })) {
    examined++;
    const d = assigner.assign(dossier);
    current.add(d);
    trend?.add(d);
    if (d.dates.receivedAt && epochOf(d.dates.receivedAt) < start) previous.add(d);
  }
  const result = current.result();
  let carry = checkCarryOver(previous.result(), result);
  if (published) {
    carry.push(
      ...checkCarryOver(published.side, result).map((w) => ({ ...w, code: 'carry_over_mismatch_published', message: `${w.message} — theo báo cáo đã công bố ${published.file}` })),
    );
  }
  if (carry.length) {
    // Received before the period start (which lies before its end): the carried-over dossiers.
    const filter: DossierFilter = { ...periodFilter(period), receivedBefore: new Date(start).toISOString() };
    carry = await explainCarryOver(carry, canonical(ledger, ctx, filter), { ctx, period, groupBy, ...(asOf ? { asOf } : {}) });
  }
  return { ...result, warnings: [...result.warnings, ...assigner.warnings(), ...carry], generatedAt, examined, ...(trend ? { trend: trend.result() } : {}) };
}
