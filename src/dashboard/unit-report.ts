/**
 * The per-unit Biểu 06 table of one reporting period, computed by streaming the ledger's
 * canonical dossiers (keyset pages) into the rules' accumulator: memory grows with the units,
 * never with the dossiers.
 */
import { sql } from 'drizzle-orm';
import type { Dossier } from '../../schemas/dossier.ts';
import { VN_OFFSET_MS } from '../dossier/time.ts';
import type { Ledger } from '../ledger/db.ts';
import { createBieu06Accumulator, periodBounds, periodEndInstant, periodOf, type Bieu06Result, type Period, type PeriodCalendar, type WorkingCalendar } from '../rules/index.ts';
import type { TrendPoint } from '../reports/formats/svg-chart.ts';
import { createTrendAccumulator, monthsEndingAt, trendSpan } from '../reports/trend.ts';

export interface UnitReportOptions {
  /** `YYYY-MM` */
  month: string;
  calendar: PeriodCalendar;
  workingCalendar: WorkingCalendar;
  now: Date;
  pageSize?: number;
}

/**
 * The reporting month that contains a day: on the admin calendar (15th → 14th) the 15th already
 * belongs to the next month's report.
 *
 * @example currentReportMonth(new Date('2026-11-23T03:00:00Z'), 'admin') // '2026-12'
 */
export function currentReportMonth(now: Date, calendar: PeriodCalendar): string {
  const local = new Date(now.getTime() + VN_OFFSET_MS); // Asia/Ho_Chi_Minh has no daylight saving
  let year = local.getUTCFullYear();
  let month = local.getUTCMonth() + 1;
  if (calendar === 'admin' && local.getUTCDate() >= 15) {
    month += 1;
    if (month === 13) [year, month] = [year + 1, 1];
  }
  return `${year}-${String(month).padStart(2, '0')}`;
}

/**
 * @example
 * const r = await unitReport(ledger, { month: '2026-10', calendar: 'admin', workingCalendar: createCalendar(), now: new Date() });
 * r.rows[0].rates.late // 12.5
 */
export async function unitReport(ledger: Ledger, o: UnitReportOptions): Promise<Bieu06Result> {
  const period: Period = periodOf({ month: o.month, calendar: o.calendar });
  const bounds = periodBounds(period);
  const periodEnd = periodEndInstant(period);
  const nowIso = o.now.toISOString();
  // A period not over yet is judged now; a future one at its start.
  const asOf = nowIso < periodEnd ? (o.now.getTime() < bounds.start ? new Date(bounds.start).toISOString() : nowIso) : periodEnd;
  const acc = createBieu06Accumulator({ ...period, groupBy: 'unit', calendar: o.workingCalendar, asOf });
  await eachDossier(ledger, period, o.pageSize, (d) => acc.add(d));
  return acc.result();
}

/** Every canonical dossier that can count in a period, in keyset pages. */
async function eachDossier(ledger: Ledger, period: Period, pageSize: number | undefined, add: (d: Dossier) => void): Promise<void> {
  const bounds = periodBounds(period);
  const end = new Date(bounds.endExclusive).toISOString();
  // A month of slack: the end of processing may come from the history rather than finished_at.
  const slackStart = new Date(bounds.start - 31 * 86_400_000).toISOString();
  const limit = pageSize ?? 1000;
  let after = 0;
  for (;;) {
    const rows = await ledger.rows<{ id: number; canonical: unknown }>(sql`
      select id, canonical from dossiers
      where id > ${after} and deleted_at is null and received_at < ${end}::timestamptz
        and (status not in (3, 7, 8, 9, 10) or finished_at is null or finished_at >= ${slackStart}::timestamptz)
      order by id limit ${limit}`);
    for (const r of rows) add((typeof r.canonical === 'string' ? JSON.parse(r.canonical) : r.canonical) as Dossier);
    if (rows.length < limit) break;
    after = Number(rows[rows.length - 1]?.id);
  }
}

/**
 * Received (new) and resolved dossiers of the `months` reporting months ending at `o.month`, each
 * by its own Biểu 06, from one pass over the ledger.
 * @example await unitTrend(ledger, { month: '2026-11', calendar: 'admin', workingCalendar, now }, 6) // [{ month: '2026-06', … }, …]
 */
export async function unitTrend(ledger: Ledger, o: UnitReportOptions, months = 6): Promise<TrendPoint[]> {
  const list = monthsEndingAt(o.month, months);
  const trend = createTrendAccumulator({ months: list, calendar: o.calendar, workingCalendar: o.workingCalendar, now: o.now.toISOString() });
  await eachDossier(ledger, trendSpan(list, o.calendar), o.pageSize, (d) => trend.add(d));
  return trend.result();
}
