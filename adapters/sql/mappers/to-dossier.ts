/**
 * A row of the view → canonical dossier: a mapping guessed from the column names (`ma_ho_so`,
 * `ngay_tiep_nhan`, `MaHoSo`…) with the source's declared mapping over it, one compiled mapping per
 * column set. Timestamps arrive as ISO text in Vietnam time (`iso` is always tried).
 */
import { compileMapping, guessMapping, type CompiledMapping, type FieldRule, type MapOutcome } from '../../../src/sdk/index.ts';
import type { SqlOptions } from '../config.ts';

const cache = new WeakMap<object, Map<string, CompiledMapping>>();
const NO_OPTIONS = {};

function compiled(columns: string[], options: Partial<SqlOptions>): CompiledMapping {
  let byColumns = cache.get(options);
  if (!byColumns) cache.set(options, (byColumns = new Map()));
  const sig = columns.join('\u0001');
  let m = byColumns.get(sig);
  if (!m) {
    const guessed = guessMapping([Object.fromEntries(columns.map((c) => [c, '']))]).mapping.fields;
    const declared = options.mapping ?? {};
    const fields: Record<string, FieldRule> = { ...guessed, ...(declared.fields ?? {}) };
    const configured = options.dateFormat ?? [];
    m = compileMapping({ ...declared, fields, dateFormat: ['iso', ...(typeof configured === 'string' ? [configured] : configured), 'portal'] });
    if (byColumns.size > 100) byColumns.clear();
    byColumns.set(sig, m);
  }
  return m;
}

/**
 * Maps one row with the source's options.
 *
 * @example
 * toDossier({ ma_ho_so: 'H48-1', ngay_tiep_nhan: '2024-03-05 08:30:00', … }, options);
 */
export function toDossier(raw: unknown, options?: Partial<SqlOptions>): MapOutcome {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, issues: [{ path: '', message: 'expected a row object' }] };
  return compiled(Object.keys(raw), options ?? NO_OPTIONS).map(raw, options?.tables);
}

/** The columns the mapping reads for rows with these columns. */
export function mappedColumns(columns: readonly string[], options: Partial<SqlOptions>): string[] {
  return compiled([...columns], options).sourcePaths;
}
