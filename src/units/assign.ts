/**
 * Puts each dossier under the unit of the registry valid at its receipt (optionally rolled up to
 * the successors) before it is counted. The stored dossier is not changed (rules.md §15 1.).
 */
import type { Dossier } from '../../schemas/dossier.ts';
import { localDateOf } from '../rules/dates.ts';
import type { RuleWarning } from '../rules/period-tally.ts';
import type { UnitRegistry } from './registry.ts';

/** At most this many dossier codes are listed per warning. */
export const MAX_LISTED_CODES = 100;

export interface UnitAssigner {
  assign(dossier: Dossier): Dossier;
  warnings(): RuleWarning[];
}

/**
 * @example
 * const units = createUnitAssigner(registry, { rollup: true });
 * acc.add(units.assign(dossier));
 */
export function createUnitAssigner(registry: UnitRegistry | null, options: { rollup?: boolean } = {}): UnitAssigner {
  const unknown = new Map<string, string[]>();
  const cache = new Map<string, Dossier['unit'] | null>();
  return {
    assign(d) {
      if (!registry || d.unit.code === null) return d;
      const at = d.dates.receivedAt ?? d.dates.submittedAt;
      const date = at ? localDateOf(at) : '9999-12-31';
      const key = `${d.unit.code}@${date}`;
      let unit = cache.get(key);
      if (unit === undefined) {
        const r = registry.resolve(d.unit.code, date, { rollup: options.rollup ?? false });
        unit = r ? { code: r.code, name: r.name } : null;
        cache.set(key, unit);
      }
      if (unit === null) {
        const list = unknown.get(d.unit.code) ?? [];
        if (list.length < MAX_LISTED_CODES) list.push(d.code);
        unknown.set(d.unit.code, list);
        return d;
      }
      return unit.code === d.unit.code && unit.name === d.unit.name ? d : { ...d, unit };
    },
    warnings: () =>
      [...unknown.entries()].map(([code, dossierCodes]) => ({
        code: 'unit_not_in_registry',
        key: code,
        dossierCodes,
        message: `unit ${code} is not in the unit registry: grouped under its code with the name the dossiers carry`,
      })),
  };
}
