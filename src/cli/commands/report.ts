/**
 * `lienthong report`: Biểu 06, the 766 indicators, apology letters due and deadline mismatches,
 * computed from the ledger (src/reports) in JSON, CSV, XLSX or HTML.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config } from '../../../schemas/config.ts';
import { ConfigError, ValidationError } from '../../errors.ts';
import type { Ledger } from '../../ledger/db.ts';
import { bieu06Json } from '../../reports/bieu06-json.ts';
import { buildBieu06Report } from '../../reports/bieu06-report.ts';
import { loadReportContext, type ReportContext } from '../../reports/context.ts';
import { buildDeadlineMismatch } from '../../reports/deadline-mismatch.ts';
import { toCsv } from '../../reports/formats/csv.ts';
import { toHtml } from '../../reports/formats/html.ts';
import { cellText, columnLabels, type ReportTable } from '../../reports/formats/table.ts';
import { bieu06Table, indicatorTable, lateTable, mismatchTable } from '../../reports/formats/tables.ts';
import { toXlsx } from '../../reports/formats/xlsx.ts';
import { buildIndicatorReport, indicatorReportJson } from '../../reports/indicators-report.ts';
import { buildLateReport } from '../../reports/late-report.ts';
import { parsePreviousReport } from '../../reports/previous-report.ts';
import { isDate, periodBounds, periodOf, type GroupBy, type Period, type RuleWarning } from '../../rules/index.ts';
import { parse } from '../args.ts';
import { preferStoredCatalog } from '../../catalog/store.ts';
import { withLedger } from '../context.ts';
import { table } from '../format.ts';

export const help = `lienthong report [--from YYYY-MM-DD --to YYYY-MM-DD | --month YYYY-MM [--calendar admin|calendar]]
                 [--by unit|field|procedure] [--format text|json|csv|xlsx|html] [--out FILE] [--previous FILE]
lienthong report indicators (--month YYYY-MM | --from … --to …) [--format …]
lienthong report late --at YYYY-MM-DD [--include-overdue] [--format …]
lienthong report deadline-mismatch [--from … --to …] [--format …]
  Biểu 06 (received: carried over, new online / counter+postal; resolved: early, on time, late; in
  progress: within deadline, overdue; rates), the 766 indicators per unit, dossiers whose apology
  letter is due (due within 1 working day, not finished) and dossiers whose NgayHenTra differs from
  the procedure catalogue. --month with --calendar admin = 15th → 14th (NĐ 09/2019, the default),
  calendar = 1st → last day (the 766 dashboard).
  Options: --catalog FILE  --calendar-data FILE  --units FILE (or reports.* in the configuration)
           --rollup (old units under their successors)  --late-threshold N (% highlighted, default 5)
           --previous FILE: the previous period's Biểu 06 as published (its --format json); this
           period's carried-over figures are checked against it as well as against the ledger
  Exit 0 = report written; 2 = written with warnings (identities, unknown units …); 1 = failure.
  Example: npx lienthong report --month 2026-10 --calendar admin --format xlsx --out bieu06-2026-10.xlsx`;

const FORMATS = ['text', 'json', 'csv', 'xlsx', 'html'] as const;
type Format = (typeof FORMATS)[number];

function periodFrom(values: { from?: string | undefined; to?: string | undefined; month?: string | undefined; calendar?: string | undefined }, required: boolean): Period | null {
  if (values.month !== undefined) {
    if (values.from !== undefined || values.to !== undefined) throw new ConfigError('give either --month or --from/--to, not both');
    const calendar = values.calendar ?? 'admin';
    if (calendar !== 'admin' && calendar !== 'calendar') throw new ConfigError(`--calendar must be admin or calendar (got "${calendar}")`);
    try {
      return periodOf({ month: values.month, calendar });
    } catch {
      throw new ConfigError(`--month must be YYYY-MM with a month 01–12 (got "${values.month}")`);
    }
  }
  if (values.calendar !== undefined) throw new ConfigError('--calendar goes with --month');
  if (values.from === undefined && values.to === undefined) {
    if (required) throw new ConfigError('give the period: --month YYYY-MM or --from YYYY-MM-DD --to YYYY-MM-DD');
    return null;
  }
  if (values.from === undefined || values.to === undefined) throw new ConfigError('--from and --to go together');
  for (const [flag, v] of [['--from', values.from], ['--to', values.to]] as const) if (!isDate(v)) throw new ConfigError(`${flag} must be a real date YYYY-MM-DD (got "${v}")`);
  if (values.to < values.from) throw new ConfigError(`--to ${values.to} is before --from ${values.from}`);
  const period = { from: values.from, to: values.to };
  periodBounds(period);
  return period;
}

async function emit(format: Format, out: string | undefined, json: unknown, tables: ReportTable[]): Promise<void> {
  if (format === 'xlsx') {
    if (!out) throw new ConfigError('--format xlsx needs --out FILE');
    await writeFile(out, await toXlsx(tables));
    console.log(`wrote ${resolve(out)} (${format})`);
    return;
  }
  const text = format === 'json' ? JSON.stringify(json, null, 2) : format === 'csv' ? toCsv(tables[0] as ReportTable) : format === 'html' ? toHtml(tables) : tables.map(textTable).join('\n\n');
  if (!out) return void console.log(text);
  await writeFile(out, text);
  console.log(`wrote ${resolve(out)} (${format})`);
}

/**
 * A report in the terminal. A one-row header names the columns itself; a header of several rows
 * (Biểu 06: merged groups over their sub-columns) numbers the columns and prints a legend naming each.
 */
function textTable(t: ReportTable): string {
  const labels = columnLabels(t.header, t.columns.length);
  const oneRow = t.header.length === 1 && t.header[0]?.length === t.columns.length;
  const heads = oneRow ? labels : t.columns.map((_, i) => `(${i + 1})`);
  const legend = oneRow ? [] : ['Cột:', ...labels.map((l, i) => `  (${i + 1}) ${l}`)];
  const body = t.rows.map((r) => r.cells.map((v, i) => cellText(t.columns[i]?.kind ?? 'text', v)));
  return [t.title, ...t.meta, table(heads, body), ...legend, ...t.notes].join('\n');
}

function warn(warnings: RuleWarning[]): number {
  for (const w of warnings) {
    const codes = w.dossierCodes.length ? ` [${w.dossierCodes.slice(0, 50).join(', ')}${w.dossierCodes.length > 50 ? ', …' : ''}]` : '';
    console.error(`warning ${w.code}${w.key ? ` (${w.key})` : ''}: ${w.message}${codes}`);
  }
  return warnings.length ? 2 : 0;
}

async function context(values: Record<string, unknown>, config: Config): Promise<ReportContext> {
  const file = (flag: string, configured: string | undefined, key: string) => {
    const v = values[flag] as string | undefined;
    return v !== undefined ? { path: v, from: `--${flag}` } : configured !== undefined ? { path: configured, from: `reports.${key} in the configuration` } : undefined;
  };
  return loadReportContext(
    { catalog: file('catalog', config.reports.catalog, 'catalog'), calendarData: file('calendar-data', config.reports.calendarData, 'calendarData'), units: file('units', config.reports.units, 'units') },
    { rollup: Boolean(values['rollup']), ...(process.env['LIENTHONG_NOW'] ? { now: process.env['LIENTHONG_NOW'] } : {}) },
  );
}

interface Request {
  sub: string | undefined;
  format: Format;
  out: string | undefined;
  threshold: number | undefined;
  period: Period | null;
  by: GroupBy;
  at: string | undefined;
  previous: string | undefined;
}

/** Checks every option before the ledger is opened, naming the bad one. */
function request(sub: string | undefined, values: Record<string, string | boolean | undefined>): Request {
  if (sub !== undefined && !['indicators', 'late', 'deadline-mismatch'].includes(sub)) throw new ConfigError(`unknown report "${sub}" (indicators, late, deadline-mismatch, or none for Biểu 06)`);
  const format = (values['format'] as string | undefined) ?? (values['json'] ? 'json' : 'text');
  if (!FORMATS.includes(format as Format)) throw new ConfigError(`--format must be json, csv, xlsx or html (got "${format}")`);
  const out = values['out'] as string | undefined;
  if (format === 'xlsx' && !out) throw new ConfigError('--format xlsx needs --out FILE');
  const rawThreshold = values['late-threshold'] as string | undefined;
  const threshold = rawThreshold === undefined ? undefined : Number(rawThreshold);
  if (threshold !== undefined && !(Number.isFinite(threshold) && threshold >= 0 && threshold <= 100)) throw new ConfigError(`--late-threshold must be a number from 0 to 100 (got "${rawThreshold}")`);
  const by = (values['by'] as string | undefined) ?? 'unit';
  if (!['unit', 'field', 'procedure'].includes(by)) throw new ConfigError(`--by must be unit, field or procedure (got "${by}")`);
  const p = values as { from?: string; to?: string; month?: string; calendar?: string };
  let period: Period | null = null;
  let at: string | undefined;
  if (sub === undefined) period = periodFrom(p, true);
  else if (sub === 'indicators') period = periodFrom({ ...p, calendar: p.calendar ?? (p.month ? 'calendar' : undefined) }, true);
  else if (sub === 'deadline-mismatch') period = periodFrom(p, false);
  else {
    at = values['at'] as string | undefined;
    if (at === undefined) throw new ConfigError('report late needs --at YYYY-MM-DD');
    if (!isDate(at)) throw new ConfigError(`--at must be a real date YYYY-MM-DD (got "${at}")`);
  }
  const previous = values['previous'] as string | undefined;
  if (previous !== undefined && sub !== undefined) throw new ConfigError('--previous goes with Biểu 06 (lienthong report without a sub-report)');
  return { sub, format: format as Format, out, threshold, period, by: by as GroupBy, at, previous };
}

/** The previous period's published Biểu 06 (`--previous FILE`), read and checked before the ledger is opened. */
async function readPrevious(q: Request) {
  if (q.previous === undefined) return undefined;
  const file = q.previous;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`--previous: cannot read ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`--previous: ${file} is not JSON: ${(e as Error).message}`);
  }
  return { side: parsePreviousReport(json, q.period as Period, q.by, file), file };
}

async function runReport(q: Request, values: Record<string, string | boolean | undefined>, ledger: Ledger, config: Config, published: Awaited<ReturnType<typeof readPrevious>>): Promise<number> {
  const { format: f, out } = q;
  const loaded = await context(values, config);
  // The catalogue stored by `lienthong catalog sync` wins over reports.catalog; an explicit --catalog FILE wins over both.
  const ctx = values['catalog'] === undefined ? { ...loaded, catalog: await preferStoredCatalog(ledger, loaded.catalog) } : loaded;
  if (q.sub === undefined) {
    const report = await buildBieu06Report(ledger, q.period as Period, q.by, ctx, published);
    await emit(f, out, bieu06Json(report), [bieu06Table(report, { lateThreshold: q.threshold ?? config.reports.lateThreshold })]);
    return warn(report.warnings);
  }
  if (q.sub === 'indicators') {
    const report = await buildIndicatorReport(ledger, q.period as Period, ctx, { synced: config.targets.length > 0 });
    await emit(f, out, indicatorReportJson(report), [indicatorTable(report)]);
    return warn(report.warnings);
  }
  if (q.sub === 'late') {
    const report = await buildLateReport(ledger, q.at as string, ctx, { includeOverdue: Boolean(values['include-overdue']) });
    await emit(f, out, report, [lateTable(report)]);
    return 0;
  }
  const report = await buildDeadlineMismatch(ledger, ctx, q.period);
  await emit(f, out, report, [mismatchTable(report)]);
  return report.rows.length ? 2 : 0;
}

/**
 * @example await run(['--month', '2026-10', '--calendar', 'admin', '--format', 'json']) // prints Biểu 06 JSON
 */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    from: { type: 'string' },
    to: { type: 'string' },
    month: { type: 'string' },
    calendar: { type: 'string' },
    by: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    at: { type: 'string' },
    'include-overdue': { type: 'boolean', default: false },
    catalog: { type: 'string' },
    'calendar-data': { type: 'string' },
    units: { type: 'string' },
    rollup: { type: 'boolean', default: false },
    'late-threshold': { type: 'string' },
    previous: { type: 'string' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (positionals.length > 1) throw new ConfigError(`unexpected argument "${positionals[1]}"`);
  try {
    const q = request(positionals[0], values);
    const published = await readPrevious(q);
    return await withLedger(values.config, (ledger, config) => runReport(q, values, ledger, config, published));
  } catch (e) {
    if (e instanceof ValidationError) throw new ConfigError(e.message, [], { cause: e });
    throw e;
  }
}
