/**
 * The 766 indicators per unit over the ledger (rules.md §11.1): the same keyset pass as Biểu 06
 * into the indicator accumulator. 1.4 (synchronised) counts the dossiers the portal holds
 * according to the outbox (a delivery the portal acknowledged or answered "đã tồn tại").
 */
import type { Ledger } from '../ledger/db.ts';
import { createIndicatorAccumulator, type IndicatorResult, type IndicatorsResult, type Period, type RuleWarning } from '../rules/index.ts';
import { createUnitAssigner } from '../units/assign.ts';
import { judgementInstant } from './bieu06-report.ts';
import type { ReportContext } from './context.ts';
import { periodFilter, streamDossiers } from './ledger-stream.ts';

export interface IndicatorReport extends IndicatorsResult {
  generatedAt: string;
}

/** One indicator in the JSON of `report indicators`. */
export type IndicatorJson =
  | { numerator: number; denominator: number; rate: number | null; score: number | null; maxScore: number | null; note?: string }
  | { computable: false; reason: string; maxScore: number | null };

export interface IndicatorReportJson {
  period: Period;
  asOf: string;
  generatedAt: string;
  rows: Array<{ unitCode: string | null; unitName: string; indicators: Record<string, IndicatorJson> }>;
  /** All units together: each indicator on the summed counts (not an average of the units' scores). */
  total: { unitName: string; indicators: Record<string, IndicatorJson> };
  warnings: RuleWarning[];
}

/**
 * @example const report = await buildIndicatorReport(ledger, periodOf({ month: '2026-10', calendar: 'calendar' }), ctx, { synced: true });
 */
export async function buildIndicatorReport(ledger: Ledger, period: Period, ctx: ReportContext, o: { synced: boolean }): Promise<IndicatorReport> {
  const generatedAt = ctx.now ?? new Date().toISOString();
  const asOf = judgementInstant(period, generatedAt);
  const synced = new Set<string>();
  const acc = createIndicatorAccumulator({
    ...period,
    calendar: ctx.calendar,
    ...(asOf ? { asOf } : {}),
    ...(ctx.catalog ? { catalog: ctx.catalog } : {}),
    ...(o.synced ? { syncedCodes: synced } : {}),
  });
  const assigner = createUnitAssigner(ctx.units, { rollup: ctx.rollup });
  for await (const s of streamDossiers(ledger, { filter: periodFilter(period), withSynced: o.synced, ...(ctx.pageSize ? { pageSize: ctx.pageSize } : {}) })) {
    if (s.synced) synced.add(s.dossier.code);
    acc.add(assigner.assign(s.dossier));
  }
  const result = acc.result();
  return { ...result, warnings: [...result.warnings, ...assigner.warnings()], generatedAt };
}

function indicatorJson(i: IndicatorResult): IndicatorJson {
  if (!i.computable) return { computable: false, reason: i.reason, maxScore: i.maxScore };
  return { numerator: i.numerator, denominator: i.denominator, rate: i.rate, score: i.score, maxScore: i.maxScore, ...(i.note ? { note: i.note } : {}) };
}

/** @example JSON.stringify(indicatorReportJson(report)) // { period, rows: [{ unitCode, unitName, indicators: { '2.1': { numerator, … } } }] } */
export function indicatorReportJson(r: IndicatorReport): IndicatorReportJson {
  return {
    period: r.period,
    asOf: r.asOf,
    generatedAt: r.generatedAt,
    rows: r.units.map((u) => ({ unitCode: u.unitCode, unitName: u.unitName, indicators: Object.fromEntries(u.indicators.map((i) => [i.code, indicatorJson(i)])) })),
    total: { unitName: r.total.unitName, indicators: Object.fromEntries(r.total.indicators.map((i) => [i.code, indicatorJson(i)])) },
    warnings: r.warnings,
  };
}
