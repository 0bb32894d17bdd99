/**
 * The dashboard (server-rendered, Vietnamese, no external assets). `createDashboardApp` wires the
 * Node deployment's adapter registry and reconciliation history into the runtime-neutral core.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { getAdapter } from '../../adapters/index.ts';
import { listReconciliations, loadReconciliation, recordRepairs } from '../reconcile/history.ts';
import { repair } from '../reconcile/repair.ts';
import { loadUnitRegistry, type UnitRegistry } from '../units/registry.ts';
import { createDashboardCore } from './app.ts';
import type { DashboardDeps, ReconcilePort } from './types.ts';

export { createDashboardCore } from './app.ts';
export { maskCitizenData, maskText, maskValue } from '../privacy.ts';
export { adapterMapper, replayQuarantined, type MapSourceRecords, type ReplayOutcome } from './replay.ts';
export { currentReportMonth, unitReport } from './unit-report.ts';
export type { DashboardDeps, DashboardEnv, DashboardRole, DashboardUser, ReconcilePort } from './types.ts';

/** Reconciliation history and repair over the ledger (`src/reconcile/`). */
export function ledgerReconcilePort(deps: Pick<DashboardDeps, 'ledger' | 'config'>): ReconcilePort {
  const { ledger, config } = deps;
  return {
    list: (limit) => listReconciliations(ledger, limit),
    async show(id) {
      const report = await loadReconciliation(ledger, id);
      const rows = await ledger.rows<{ repaired: unknown }>(sql`select repaired from reconciliations where id = ${report.id}::uuid`);
      const repaired = rows[0]?.repaired;
      return { ...report, repaired: typeof repaired === 'string' ? JSON.parse(repaired) : (repaired ?? null) };
    },
    async repair(id, by) {
      const report = await loadReconciliation(ledger, id);
      const done = await repair(ledger, config, report, by === undefined ? {} : { createdBy: by });
      await recordRepairs(ledger, report.id, done);
      return done;
    },
  };
}

/**
 * @example
 * api.route('/', createDashboardApp({ ledger, config, authenticate }));
 * // GET /dashboard, /dashboard/don-vi, /dashboard/ho-so?ma=…, /dashboard/cach-ly, /dashboard/doi-soat
 */
export function createDashboardApp(deps: DashboardDeps) {
  return createDashboardCore({ getAdapter, reconcile: ledgerReconcilePort(deps), unitRegistry: unitRegistryFile(deps.config.reports.units), ...deps });
}

/**
 * The registry file of `reports.units`, read once when a page first needs it. An unreadable or
 * invalid file leaves the names the dossiers carry (`lienthong report` names the file's error).
 */
function unitRegistryFile(path: string | undefined): () => Promise<UnitRegistry | null> {
  let loaded: Promise<UnitRegistry | null> | undefined;
  return () => (loaded ??= path ? readFile(path, 'utf8').then(loadUnitRegistry, () => null).catch(() => null) : Promise.resolve(null));
}
