/**
 * What every report needs besides the ledger: the working-day calendar, the procedure catalogue,
 * the unit registry, and how to judge the current period. Files are read here, with errors that
 * name the option or configuration key that pointed at them.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, ValidationError } from '../errors.ts';
import { createCalendar, loadCalendarData, loadProcedureCatalog, type ProcedureCatalog, type WorkingCalendar } from '../rules/index.ts';
import { loadUnitRegistry, type UnitRegistry } from '../units/registry.ts';

export interface ReportContext {
  calendar: WorkingCalendar;
  catalog: ProcedureCatalog | null;
  units: UnitRegistry | null;
  /** Group old units under their successors (rules.md §15). */
  rollup: boolean;
  /** Rows per keyset page (1,000–5,000). */
  pageSize?: number;
  /** "Now", for judging a period that has not ended yet; default the clock. */
  now?: string;
}

export interface ReportFiles {
  /** Each file with the name of the option it came from, e.g. `{ path: 'x.json', from: '--catalog' }`. */
  catalog?: { path: string; from: string } | undefined;
  calendarData?: { path: string; from: string } | undefined;
  units?: { path: string; from: string } | undefined;
}

async function read(file: { path: string; from: string }): Promise<string> {
  try {
    return await readFile(file.path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file.from}: cannot read ${file.path}: ${(e as Error).message}`);
  }
}

function named<T>(file: { path: string; from: string }, load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (e instanceof ValidationError) throw new ConfigError(`${file.from} ${file.path}: ${e.message}`, [], { cause: e });
    throw e;
  }
}

/**
 * @example const ctx = await loadReportContext({ catalog: { path: 'tthc.json', from: '--catalog' } }, { rollup: false });
 * @throws {ConfigError} naming the option whose file is unreadable or invalid
 */
export async function loadReportContext(files: ReportFiles, options: { rollup?: boolean; pageSize?: number; now?: string } = {}): Promise<ReportContext> {
  const catalogText = files.catalog ? await read(files.catalog) : null;
  const calendarText = files.calendarData ? await read(files.calendarData) : null;
  const unitsText = files.units ? await read(files.units) : null;
  return {
    calendar: createCalendar(calendarText !== null && files.calendarData ? { data: [named(files.calendarData, () => loadCalendarData(calendarText))] } : {}),
    catalog: catalogText !== null && files.catalog ? named(files.catalog, () => loadProcedureCatalog(catalogText)) : null,
    units: unitsText !== null && files.units ? named(files.units, () => loadUnitRegistry(unitsText)) : null,
    rollup: options.rollup ?? false,
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  };
}
