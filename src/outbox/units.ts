/**
 * `targets[].units` (issue #10 item 5): the unit-code prefixes a target receives. A target with
 * units gets a delivery only for a dossier whose unit code (canonical `unit.code`: the adapter's
 * mapping, else the MaHoSo prefix) or MaHoSo starts with one of them; an empty list receives
 * every dossier. The same rule decides what `reconcile --target` compares for that target.
 */
import { sql, type SQL } from 'drizzle-orm';

/** What the ledger needs of a target to route dossiers (a `TargetConfig` fits). */
export interface TargetRoute {
  id: string;
  units?: readonly string[];
}

/**
 * The target ids a stored page routes deliveries to, carrying each target's unit prefixes
 * (`PageWrite.targetIds` in src/ledger/store-page.ts). Still a plain `string[]` for callers that
 * only pass the list on.
 *
 * @example
 * routedTargetIds(config.targets) // ['national', 'province'] with units { province: ['000.00.12.H56'] }
 */
export function routedTargetIds(targets: readonly TargetRoute[]): string[] & { units: Record<string, readonly string[]> } {
  const units = Object.fromEntries(targets.filter((t) => t.units?.length).map((t) => [t.id, t.units as readonly string[]]));
  return Object.assign(targets.map((t) => t.id), { units });
}

/** Does a target with these prefixes receive this dossier? */
export function receivesDossier(units: readonly string[] | undefined, unitCode: string | null, code: string): boolean {
  if (!units?.length) return true;
  return units.some((p) => (unitCode !== null && unitCode.startsWith(p)) || code.startsWith(p));
}

/**
 * The same rule in SQL over a unit-code and a code column (`true` when `units` is empty); the
 * prefixes travel as one jsonb parameter and are compared as text, never as LIKE patterns.
 */
export function receivesDossierSql(units: readonly string[] | undefined, unitCode: SQL, code: SQL): SQL {
  if (!units?.length) return sql`true`;
  return sql`exists (select 1 from jsonb_array_elements_text(${JSON.stringify(units)}::jsonb) as p(prefix)
    where left(coalesce(${unitCode}, ''), length(p.prefix)) = p.prefix or left(${code}, length(p.prefix)) = p.prefix)`;
}
