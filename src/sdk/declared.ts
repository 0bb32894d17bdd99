/**
 * Pieces every declared (configuration-only) adapter shares: the source's mapping compiled once,
 * a record already in the portal's format, `{name}` templates, record keys and raw records of a
 * page. rest-json, soap-xml and webhook read their records with these; a new adapter can too.
 */
import { parsePortalRecord } from '../dossier/index.ts';
import { repairDeep } from '../text/index.ts';
import type { MapOutcome, RawRecord } from './adapter.ts';
import { compileMapping, type CodeTablesInput, type CompiledMapping, type MappingSpecInput } from './mapping/index.ts';
import { getPath } from './mapping/paths.ts';

export interface DeclaredMapOptions {
  mapping: 'portal' | MappingSpecInput;
  /** The source's code tables, merged over the mapping's own. */
  tables?: CodeTablesInput | undefined;
}

const compiled = new WeakMap<object, CompiledMapping>();

/** The compiled mapping of a spec object (compiled once per options object). */
export function compiledOf(spec: MappingSpecInput): CompiledMapping {
  let hit = compiled.get(spec);
  if (!hit) {
    hit = compileMapping(spec);
    compiled.set(spec, hit);
  }
  return hit;
}

/** A record in the portal's format, with legacy-encoding repair recorded as warnings. */
export function portalRecordToDossier(raw: unknown): MapOutcome {
  const repaired = repairDeep(raw);
  if (repaired.issues.length) return { ok: false, issues: repaired.issues };
  const out = parsePortalRecord(repaired.value);
  return out.ok ? { ok: true, value: { ...out.value, warnings: [...out.value.warnings, ...repaired.warnings] } } : out;
}

/**
 * Maps one record with the source's declared options.
 *
 * @example
 * declaredToDossier({ soHoSo: 'H48-1', … }, { mapping: { fields: { MaHoSo: 'soHoSo', NgayTiepNhan: { from: 'ngayNhan', date: 'dd/MM/yyyy HH:mm' } } } });
 */
export function declaredToDossier(raw: unknown, options: DeclaredMapOptions): MapOutcome {
  if (options.mapping === 'portal') return portalRecordToDossier(raw);
  return compiledOf(options.mapping).map(raw, options.tables);
}

/** The declared options the pipeline passes to `map` (`ctx.options`), or null when they are missing. */
export function declaredOptionsOf(ctx: { options?: unknown }): DeclaredMapOptions | null {
  const o = ctx.options;
  if (!o || typeof o !== 'object' || !('mapping' in o)) return null;
  return o as DeclaredMapOptions;
}

/** Fills `{name}` placeholders; each value is escaped for the template's language. */
export function fillTemplate(template: string, values: Record<string, string | number | null | undefined>, escape: (v: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    return v === undefined ? whole : escape(v === null ? '' : String(v));
  });
}

/** Escapes a value for inside a JSON string literal. */
export const jsonEscape = (v: string): string => JSON.stringify(v).slice(1, -1);

/** A path with an optional JSONPath-style `$.` prefix, as in `"$.data.items"`. */
export function plainPath(path: string): string {
  return path.replace(/^\$\.?/, '');
}

/** The record key (MaHoSo) at `keyPath`, or at the mapping's MaHoSo path. */
export function keyPathOf(options: { keyPath?: string | undefined; mapping: unknown }): string | null {
  if (options.keyPath) return plainPath(options.keyPath);
  const rule = options.mapping && typeof options.mapping === 'object' ? (options.mapping as { fields?: Record<string, unknown> }).fields?.['MaHoSo'] : undefined;
  if (typeof rule === 'string') return plainPath(rule);
  if (rule && typeof rule === 'object' && typeof (rule as { from?: unknown }).from === 'string') return plainPath((rule as { from: string }).from);
  return options.mapping === 'portal' ? 'MaHoSo' : null;
}

/** Raw records of one page: objects keyed by `keyPath`; anything else kept with a parse issue. */
export function toRawRecords(items: unknown[], keyPath: string | null, where: string): RawRecord[] {
  return items.map((raw, i) => {
    const location = `${where} #${i}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return { key: null, location, raw, parseIssues: [{ path: '', message: `a record must be an object, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}` }] };
    }
    const k = keyPath ? getPath(raw, keyPath) : undefined;
    const key = typeof k === 'string' && k.trim() !== '' ? k.trim().normalize('NFC') : typeof k === 'number' ? String(k) : null;
    return { key, location, raw };
  });
}
