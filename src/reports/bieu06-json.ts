/**
 * The JSON of `lienthong report` (issue #4): counts as integers, rates as percentages with two
 * decimals (97.51), null where the denominator is 0.
 */
import type { Bieu06Counts, Bieu06Rates, GroupBy, Period, RuleWarning } from '../rules/index.ts';
import type { Bieu06Report } from './bieu06-report.ts';

export interface Bieu06RowJson extends Bieu06Counts {
  unitCode: string | null;
  unitName: string;
  fieldCode?: string | null;
  fieldName?: string | null;
  procedureCode?: string | null;
  procedureName?: string | null;
  rates: Bieu06Rates;
}

export interface Bieu06Json {
  period: Period;
  asOf: string;
  generatedAt: string;
  groupBy: GroupBy;
  rows: Bieu06RowJson[];
  totals: Bieu06Counts & { rates: Bieu06Rates };
  warnings: RuleWarning[];
}

/** @example JSON.stringify(bieu06Json(report), null, 2) */
export function bieu06Json(r: Bieu06Report): Bieu06Json {
  return {
    period: r.period,
    asOf: r.asOf,
    generatedAt: r.generatedAt,
    groupBy: r.groupBy,
    rows: r.rows.map((x) => ({
      unitCode: x.unitCode,
      unitName: x.unitName,
      ...(r.groupBy === 'field' ? { fieldCode: x.fieldCode, fieldName: x.fieldName } : {}),
      ...(r.groupBy === 'procedure' ? { procedureCode: x.procedureCode, procedureName: x.procedureName } : {}),
      received: x.received,
      resolved: x.resolved,
      inProgress: x.inProgress,
      rates: x.rates,
    })),
    totals: r.totals,
    warnings: r.warnings,
  };
}
