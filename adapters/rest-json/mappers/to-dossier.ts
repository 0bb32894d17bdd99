/**
 * A REST/JSON record → canonical dossier, by the source's declared mapping (the SDK's
 * `compileMapping`: portal field ← raw path, date formats, code tables) or, with
 * `mapping: "portal"`, a record already in the portal's own format. Pure; every issue names the
 * raw field it came from.
 */
import { parsePortalRecord } from '../../../src/dossier/index.ts';
import type { MapOutcome } from '../../../src/sdk/index.ts';
import { compileMapping, type CodeTablesInput, type CompiledMapping, type MappingSpecInput } from '../../../src/sdk/mapping/index.ts';
import { repairDeep } from '../../../src/text/index.ts';

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
 * Maps one record with the source's options.
 *
 * @example
 * toDossier({ soHoSo: 'H48-1', … }, { mapping: { fields: { MaHoSo: 'soHoSo', NgayTiepNhan: { from: 'ngayNhan', date: 'dd/MM/yyyy HH:mm' } } } });
 */
export function toDossier(raw: unknown, options: DeclaredMapOptions): MapOutcome {
  if (options.mapping === 'portal') return portalRecordToDossier(raw);
  return compiledOf(options.mapping).map(raw, options.tables);
}

/** The declared options the pipeline passes to `map` (`ctx.options`), or an issue saying they are missing. */
export function declaredOptionsOf(ctx: { options?: unknown }): DeclaredMapOptions | null {
  const o = ctx.options;
  if (!o || typeof o !== 'object' || !('mapping' in o)) return null;
  return o as DeclaredMapOptions;
}
