/**
 * A row `{ header: value }` → canonical dossier. The mapping is guessed from the headers
 * (Vietnamese labels with or without diacritics, the portal's own field names, English names) and
 * the source's declared `mapping` overrides it field by field. One compiled mapping per header set.
 */
import { compileMapping, guessMapping, type CompiledMapping, type FieldRule, type MapOutcome, type MappingSpecInput } from '../../../src/sdk/index.ts';
import type { CsvXlsxOptions } from '../config.ts';

/** Formats tried after the configured ones: XLSX date cells arrive as `yyyy-MM-dd HH:mm:ss`. */
const ALWAYS = ['iso', 'portal'];

/** The mapping for rows with these headers under these options. */
export function mappingFor(headers: readonly string[], options: Partial<CsvXlsxOptions>): MappingSpecInput {
  const guessed = guessMapping([Object.fromEntries(headers.map((h) => [h, '']))]).mapping.fields;
  const declared = options.mapping ?? {};
  const fields: Record<string, FieldRule> = { ...guessed, ...(declared.fields ?? {}) };
  const configured = options.dateFormat ?? ['dd/MM/yyyy HH:mm[:ss]', 'dd/MM/yyyy'];
  const dateFormat = [...(typeof configured === 'string' ? [configured] : configured), ...ALWAYS];
  return { ...declared, fields, dateFormat };
}

const cache = new WeakMap<object, Map<string, CompiledMapping>>();
const NO_OPTIONS = {};

function compiled(headers: string[], options: Partial<CsvXlsxOptions> | undefined): CompiledMapping {
  const holder = options ?? NO_OPTIONS;
  let byHeaders = cache.get(holder);
  if (!byHeaders) cache.set(holder, (byHeaders = new Map()));
  const sig = headers.join('\u0001');
  let m = byHeaders.get(sig);
  if (!m) {
    m = compileMapping(mappingFor(headers, options ?? {}));
    if (byHeaders.size > 100) byHeaders.clear();
    byHeaders.set(sig, m);
  }
  return m;
}

/**
 * Maps one row with the source's options (mapping, tables, date formats).
 *
 * @example
 * toDossier({ MaHoSo: 'H48-1', 'Ngày tiếp nhận': '05/03/2024 08:30', … }, { dateFormat: 'dd/MM/yyyy HH:mm[:ss]' });
 */
export function toDossier(raw: unknown, options?: Partial<CsvXlsxOptions>): MapOutcome {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, issues: [{ path: '', message: 'expected a row object' }] };
  return compiled(Object.keys(raw), options).map(raw, options?.tables);
}

/** The raw columns the mapping reads for rows with these headers. */
export function mappedColumns(headers: readonly string[], options: Partial<CsvXlsxOptions>): string[] {
  return compiled([...headers], options).sourcePaths;
}
