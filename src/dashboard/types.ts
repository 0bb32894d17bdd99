/**
 * What the dashboard is built from. Runtime-specific capabilities (the adapter registry, the
 * reconciliation history and repair) come in through the dependencies, so the core never imports
 * file-based adapters and can run wherever the API runs; `createDashboardApp` fills them in on Node.
 */
import type { Context } from 'hono';
import type { Config } from '../../schemas/config.ts';
import type { Ledger } from '../ledger/db.ts';
import type { WorkingCalendar } from '../rules/index.ts';
import type { UnitRegistry } from '../units/registry.ts';
import type { AdapterDefinition } from '../sdk/index.ts';
import type { HistoryEntry } from '../reconcile/history.ts';
import type { RepairSummary } from '../reconcile/repair.ts';
import type { MapSourceRecords } from './replay.ts';
import type { ReconcileReport } from '../reconcile/types.ts';

export type DashboardRole = 'viewer' | 'operator' | 'admin';

/** Who is looking: a name for the page header and a role for what they may see and do. */
export interface DashboardUser {
  name: string;
  role: DashboardRole;
}

/** Reconciliation history and repair, when the deployment has them (`src/reconcile/`). */
export interface ReconcilePort {
  list(limit: number): Promise<HistoryEntry[]>;
  show(id: string): Promise<ReconcileReport & { repaired?: unknown }>;
  /** Repairs what a stored reconciliation found and records it; the next sync delivers. */
  /** `by` names who asked (recorded with every repair action). */
  repair(id: string, by?: string): Promise<RepairSummary>;
}

export interface DashboardDeps {
  ledger: Ledger;
  config: Config;
  /** Quarantine replay maps raw records with this (e.g. the API's `deps.mapping.mapRecords`)… */
  mapRecords?: MapSourceRecords;
  /** … or with their source's adapter from this registry (and the source's parsed options). */
  getAdapter?: (id: string) => AdapterDefinition<unknown, unknown> | undefined;
  reconcile?: ReconcilePort;
  /** Environment: secrets named by source options (`passwordEnv`), for the adapters' options. */
  env?: Record<string, string | undefined>;
  /**
   * Checks an API key (from `Authorization: Bearer`, or the cookie set by the login form). Absent:
   * the user comes from the `apiKey` context variable set by the API's auth middleware, else
   * `defaultUser`, else an anonymous viewer.
   */
  authenticate?: (key: string) => Promise<DashboardUser | undefined>;
  defaultUser?: DashboardUser;
  /** Path the dashboard is served under (default `/dashboard`). */
  basePath?: string;
  calendar?: WorkingCalendar;
  /** The unit registry (`reports.units`), for units shown by their official name; absent or null: the name the dossier carries. */
  unitRegistry?: () => Promise<UnitRegistry | null>;
  /** Clock (tests fix it). */
  now?: () => Date;
}

export interface DashboardEnv {
  Variables: {
    user: DashboardUser;
    /** Set by the API's auth middleware when the dashboard is mounted behind it. */
    apiKey?: { name: string; role: DashboardRole } | undefined;
  };
}

export type DashboardContext = Context<DashboardEnv>;
