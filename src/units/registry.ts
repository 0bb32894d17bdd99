/**
 * Registry of units (mã định danh điện tử, portal contract §7.1) with names, parent, validity
 * dates and successor links, for the 2025 reorganisation (rules.md §15): reports group a dossier
 * by the unit valid at its receipt, and may roll old units up to their successors. The unit stored
 * on a historical dossier is never rewritten; only the report's grouping changes.
 */
import { z } from 'zod';
import { UNIT_CODE_RE } from '../../schemas/dossier.ts';
import { ValidationError } from '../errors.ts';
import { addDays, isDate } from '../rules/dates.ts';

const DateSchema = z.string().refine(isDate, 'expected a real date written YYYY-MM-DD');
const CodeSchema = z.string().regex(UNIT_CODE_RE, 'expected a unit code like 000.20.48.H48');

export const UnitSchema = z.object({
  code: CodeSchema,
  name: z.string().trim().min(1),
  parent: CodeSchema.nullable().default(null),
  /** First and last local day the code meant this unit (inclusive); null = open. */
  validFrom: DateSchema.nullable().default(null),
  validTo: DateSchema.nullable().default(null),
  /** The unit that took over after `validTo` (merger, 1/7/2025 reorganisation). */
  successor: CodeSchema.nullable().default(null),
  note: z.string().optional(),
});
export type Unit = z.infer<typeof UnitSchema>;

export const UnitRegistrySchema = z
  .object({ version: z.literal(1), note: z.string().optional(), units: z.array(UnitSchema) })
  .superRefine((r, ctx) => {
    const codes = new Set(r.units.map((u) => u.code));
    const byCode = new Map<string, Array<{ u: Unit; i: number }>>();
    r.units.forEach((u, i) => {
      byCode.set(u.code, [...(byCode.get(u.code) ?? []), { u, i }]);
      if (u.validFrom !== null && u.validTo !== null && u.validTo < u.validFrom) ctx.addIssue({ code: 'custom', path: ['units', i, 'validTo'], message: 'validTo is before validFrom' });
      if (u.parent !== null && !codes.has(u.parent)) ctx.addIssue({ code: 'custom', path: ['units', i, 'parent'], message: `parent ${u.parent} is not in the registry` });
      if (u.successor !== null && !codes.has(u.successor)) ctx.addIssue({ code: 'custom', path: ['units', i, 'successor'], message: `successor ${u.successor} is not in the registry` });
      if (u.successor !== null && u.validTo === null) ctx.addIssue({ code: 'custom', path: ['units', i, 'validTo'], message: 'a unit with a successor needs the last day it was valid' });
    });
    for (const versions of byCode.values()) {
      const sorted = [...versions].sort((a, b) => (a.u.validFrom ?? '').localeCompare(b.u.validFrom ?? ''));
      for (let k = 1; k < sorted.length; k++) {
        const prev = sorted[k - 1]?.u as Unit;
        const cur = sorted[k] as { u: Unit; i: number };
        if (prev.validTo === null || (cur.u.validFrom ?? '') <= prev.validTo) {
          ctx.addIssue({ code: 'custom', path: ['units', cur.i, 'validFrom'], message: `${cur.u.code} has overlapping validity periods` });
        }
      }
    }
    // Successor chains must end: A → B → A would roll up forever.
    const next = new Map(r.units.filter((u) => u.successor !== null).map((u) => [u.code, u.successor as string]));
    r.units.forEach((u, i) => {
      const seen = new Set<string>([u.code]);
      for (let c = next.get(u.code); c !== undefined; c = next.get(c)) {
        if (seen.has(c)) {
          ctx.addIssue({ code: 'custom', path: ['units', i, 'successor'], message: `successor chain of ${u.code} loops back to ${c}` });
          break;
        }
        seen.add(c);
      }
    });
  });

export interface ResolvedUnit {
  code: string;
  name: string;
  /** How the code was reached from the dossier's code. */
  via: 'as_recorded' | 'successor_at_receipt' | 'rolled_up';
}

export interface UnitRegistry {
  units: readonly Unit[];
  /** The version of `code` valid on `date`, or null. */
  at(code: string, date: string): Unit | null;
  /** The latest version of `code`, whatever its dates. */
  latest(code: string): Unit | null;
  /**
   * The unit a dossier of `code` received on `date` belongs to: the code's version valid that day,
   * else (a code used after its unit ended) the successor valid that day; with `rollup`, then
   * followed to the last successor. Null when the code is not in the registry.
   */
  resolve(code: string, date: string, options?: { rollup?: boolean }): ResolvedUnit | null;
}

function issuesOf(error: z.ZodError): Array<{ path: string; message: string; code: string }> {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, ''),
    message: i.message,
    code: i.code,
  }));
}

/**
 * Validates a registry (parsed JSON or JSON text) and indexes it.
 *
 * @example
 * const units = loadUnitRegistry(await readFile('src/units/data/units.sample.json', 'utf8'));
 * units.resolve('000.07.21.H48', '2025-08-01'); // { code: '000.05.21.H48', name: 'UBND xã Đông Hòa', via: 'successor_at_receipt' }
 * units.resolve('000.07.21.H48', '2025-03-01', { rollup: true }); // { code: '000.05.21.H48', …, via: 'rolled_up' }
 * @throws {ValidationError} listing every issue with its path
 */
export function loadUnitRegistry(json: unknown): UnitRegistry {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new ValidationError('unit registry is not valid JSON', [{ path: '', message: (error as Error).message }]);
    }
  }
  const parsed = UnitRegistrySchema.safeParse(value);
  if (!parsed.success) throw new ValidationError('invalid unit registry', issuesOf(parsed.error));
  return createUnitRegistry(parsed.data.units);
}

/** @example createUnitRegistry([{ code: '000.20.48.H48', name: 'Sở Tư pháp', parent: null, validFrom: null, validTo: null, successor: null }]) */
export function createUnitRegistry(units: readonly Unit[]): UnitRegistry {
  const byCode = new Map<string, Unit[]>();
  for (const u of units) byCode.set(u.code, [...(byCode.get(u.code) ?? []), u]);
  for (const list of byCode.values()) list.sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
  const at = (code: string, date: string): Unit | null =>
    (byCode.get(code) ?? []).find((u) => (u.validFrom ?? '') <= date && (u.validTo === null || date <= u.validTo)) ?? null;
  const latest = (code: string): Unit | null => byCode.get(code)?.at(-1) ?? null;

  function resolve(code: string, date: string, options: { rollup?: boolean } = {}): ResolvedUnit | null {
    let unit = at(code, date);
    let via: ResolvedUnit['via'] = 'as_recorded';
    if (!unit) {
      // The code was used after its unit ended (or before it began): follow successors to the unit of that day.
      let cur = (byCode.get(code) ?? []).filter((u) => u.validTo !== null && u.validTo < date).at(-1) ?? null;
      for (let hops = 0; cur && hops <= units.length; hops++) {
        const succ: string | null = cur.successor;
        if (succ === null) break;
        const found = at(succ, date);
        if (found) {
          unit = found;
          via = 'successor_at_receipt';
          break;
        }
        cur = (byCode.get(succ) ?? []).filter((u) => u.validTo !== null && u.validTo < date).at(-1) ?? null;
      }
      unit ??= latest(code);
      if (!unit) return null;
    }
    if (options.rollup) {
      for (let hops = 0; unit.successor !== null && unit.validTo !== null && hops < units.length; hops++) {
        const next: Unit | null = at(unit.successor, addDays(unit.validTo, 1)) ?? latest(unit.successor);
        if (!next) break;
        unit = next;
        via = 'rolled_up';
      }
    }
    return { code: unit.code, name: unit.name, via };
  }

  return { units, at, latest, resolve };
}
