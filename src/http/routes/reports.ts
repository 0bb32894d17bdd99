/**
 * Reports (issue #4) over the API: Biểu 06 and the 766 indicators of a period, in each format.
 * Node-side (reads the report files, writes XLSX): `serve` passes these routes to `createApp`.
 */
import { z } from 'zod';
import { bieu06Json } from '../../reports/bieu06-json.ts';
import { buildBieu06Report } from '../../reports/bieu06-report.ts';
import { preferStoredCatalog } from '../../catalog/store.ts';
import { loadReportContext } from '../../reports/context.ts';
import { toCsv } from '../../reports/formats/csv.ts';
import { toHtml } from '../../reports/formats/html.ts';
import type { ReportTable } from '../../reports/formats/table.ts';
import { bieu06Table, indicatorTable } from '../../reports/formats/tables.ts';
import { toXlsx } from '../../reports/formats/xlsx.ts';
import { buildIndicatorReport, indicatorReportJson } from '../../reports/indicators-report.ts';
import { periodOf, type Period } from '../../rules/index.ts';
import { ValidationError } from '../../errors.ts';
import { defineRoute } from '../route.ts';
import type { AppDeps } from '../types.ts';
import { download, FORMATS, type Format } from './download.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const PeriodQuery = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM').optional(),
  calendar: z.enum(['admin', 'calendar']).default('admin').describe('admin: 15th of the previous month to the 14th; calendar: the calendar month'),
  from: day.optional(),
  to: day.optional(),
  format: z.enum(FORMATS).default('json'),
});

function periodFrom(q: z.infer<typeof PeriodQuery>): Period {
  if (q.month) return periodOf({ month: q.month, calendar: q.calendar });
  if (q.from && q.to && q.from <= q.to) return { from: q.from, to: q.to };
  throw new ValidationError('invalid query', [{ path: 'query.month', message: 'give month=YYYY-MM, or from and to (YYYY-MM-DD, from ≤ to)' }]);
}

async function context(deps: AppDeps) {
  const r = deps.config.reports;
  const file = (path: string | undefined, key: string) => (path ? { path, from: `reports.${key} in the configuration` } : undefined);
  const ctx = await loadReportContext({ catalog: file(r.catalog, 'catalog'), calendarData: file(r.calendarData, 'calendarData'), units: file(r.units, 'units') });
  // The catalogue stored by `lienthong catalog sync` wins over reports.catalog (as in `lienthong report`).
  return { ...ctx, catalog: await preferStoredCatalog(deps.ledger, ctx.catalog) };
}

async function render(format: Format, name: string, json: unknown, tables: ReportTable[]): Promise<Response> {
  if (format === 'json') return download('json', name, JSON.stringify(json));
  if (format === 'csv') return download('csv', name, toCsv(tables[0] as ReportTable));
  if (format === 'html') return download('html', name, toHtml(tables));
  return download('xlsx', name, new Uint8Array(await toXlsx(tables)));
}

export const reportRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/reports/bieu06',
    summary: 'Biểu 06 of a period (per unit, field or procedure), as JSON, CSV, HTML or XLSX',
    tag: 'reports',
    role: 'viewer',
    query: PeriodQuery.extend({ by: z.enum(['unit', 'field', 'procedure']).default('unit') }),
    response: z.unknown(),
    handler: async (_c, { query }, deps) => {
      const period = periodFrom(query);
      const report = await buildBieu06Report(deps.ledger, period, query.by, await context(deps));
      return render(query.format, `bieu06-${period.from}-${period.to}`, bieu06Json(report), [bieu06Table(report, { lateThreshold: deps.config.reports.lateThreshold })]);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/reports/indicators',
    summary: '766 indicators of a period, as JSON, CSV, HTML or XLSX',
    tag: 'reports',
    role: 'viewer',
    query: PeriodQuery.extend({ calendar: z.enum(['admin', 'calendar']).default('calendar') }),
    response: z.unknown(),
    handler: async (_c, { query }, deps) => {
      const period = periodFrom(query);
      const report = await buildIndicatorReport(deps.ledger, period, await context(deps), { synced: deps.config.targets.length > 0 });
      return render(query.format, `chi-so-766-${period.from}-${period.to}`, indicatorReportJson(report), [indicatorTable(report)]);
    },
  }),
];
