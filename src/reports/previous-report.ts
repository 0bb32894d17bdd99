/**
 * A Biểu 06 published earlier (the JSON of `lienthong report --format json`), to check this period's
 * "tồn kỳ trước" against the "đang giải quyết" that was actually reported (rules.md §10.1), not only
 * against the ledger's own view of the previous period.
 */
import { z } from 'zod';
import { zodIssues } from '../dossier/index.ts';
import { ValidationError } from '../errors.ts';
import { addDays } from '../rules/dates.ts';
import { rowKey, type CarryOverSide, type GroupBy, type Period } from '../rules/index.ts';

const Count = z.number().int().min(0);
const PreviousReportSchema = z.object({
  period: z.object({ from: z.string(), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD') }),
  groupBy: z.enum(['unit', 'field', 'procedure']).optional(),
  rows: z.array(
    z.object({
      unitCode: z.string().nullable(),
      unitName: z.string(),
      fieldCode: z.string().nullish(),
      fieldName: z.string().nullish(),
      procedureCode: z.string().nullish(),
      inProgress: z.object({ total: Count }),
    }),
  ),
});

/**
 * Reads a published report for the period that ends the day before `period`, grouped as this one.
 * @example parsePreviousReport(JSON.parse(text), { from: '2026-10-01', to: '2026-10-31' }, 'unit', 'sep.json')
 * @throws {ValidationError} naming the file and the field
 */
export function parsePreviousReport(json: unknown, period: Period, groupBy: GroupBy, file: string): CarryOverSide {
  const parsed = PreviousReportSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError(`${file} is not a Biểu 06 JSON report`, zodIssues(parsed.error));
  const p = parsed.data;
  if (addDays(p.period.to, 1) !== period.from) {
    throw new ValidationError(`${file} is not the report of the previous period`, [
      { path: 'period.to', message: `ends ${p.period.to}; the period before ${period.from} ends ${addDays(period.from, -1)}` },
    ]);
  }
  const by = p.groupBy ?? 'unit';
  if (by !== groupBy) throw new ValidationError(`${file} is grouped differently`, [{ path: 'groupBy', message: `"${by}", this report "${groupBy}"` }]);
  const totals = new Map<string, number>();
  for (const r of p.rows) {
    const key = rowKey(by, r);
    totals.set(key, (totals.get(key) ?? 0) + r.inProgress.total);
  }
  return { period: { from: p.period.from, to: p.period.to }, rows: [...totals].map(([key, total]) => ({ key, inProgress: { total } })) };
}
