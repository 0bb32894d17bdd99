/**
 * The history of reconciliations: every run stored with its scope, counts and differences (who,
 * when), listed, shown again, and compared (`diff`: what appeared, what was resolved, which
 * reasons changed, which counts moved).
 */
import type { Ledger } from '../ledger/db.ts';
import {
  insertReconciliation,
  selectReconciliationDifferences,
  selectReconciliations,
  selectReconciliationsByPrefix,
  setReconciliationRepaired,
} from '../ledger/reconciliations.ts';
import { NotFoundError } from '../errors.ts';
import type { CountRow, Difference, ReconcileReport } from './types.ts';

export async function storeReconciliation(ledger: Ledger, r: ReconcileReport): Promise<void> {
  await insertReconciliation(ledger, {
    id: r.id,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    scope: r.scope,
    counts: { rows: r.counts, notes: r.notes },
    stats: r.stats,
    exitCode: r.exitCode,
    differences: r.differences.map((d) => ({ code: d.code, unitCode: d.unitCode, sourceId: (d.detail['sourceId'] as string | undefined) ?? null, reason: d.reason, detail: d.detail })),
  });
}

/** Records that repairs were made after a reconciliation. */
export async function recordRepairs(ledger: Ledger, id: string, repaired: unknown): Promise<void> {
  await setReconciliationRepaired(ledger, id, repaired);
}

export interface HistoryEntry {
  id: string;
  createdAt: string;
  createdBy: string | null;
  scope: ReconcileReport['scope'];
  differenceCount: number;
  exitCode: number;
  repaired: unknown;
}

/** Newest first. */
export async function listReconciliations(ledger: Ledger, limit = 50): Promise<HistoryEntry[]> {
  return selectReconciliations<ReconcileReport['scope']>(ledger, limit);
}

/** A stored reconciliation as its report (a unique id prefix is enough). */
export async function loadReconciliation(ledger: Ledger, id: string): Promise<ReconcileReport> {
  const rows = await selectReconciliationsByPrefix<ReconcileReport['scope'], { rows: CountRow[]; notes?: string[] }, ReconcileReport['stats']>(ledger, id);
  const r = rows[0];
  if (rows.length !== 1 || !r) throw new NotFoundError(rows.length ? `reconciliation id "${id}" is ambiguous` : `no reconciliation "${id}" (see: lienthong reconcile history)`);
  const diffs = await selectReconciliationDifferences<Difference['detail']>(ledger, r.id);
  return {
    id: r.id,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    scope: r.scope,
    counts: r.counts.rows,
    differences: diffs.map((d): Difference => ({ code: d.code, unitCode: d.unitCode, reason: d.reason as Difference['reason'], detail: d.detail })),
    notes: r.counts.notes ?? [],
    stats: r.stats,
    exitCode: r.exitCode === 0 ? 0 : 2,
  };
}

export interface ReconcileDiff {
  from: string;
  to: string;
  appeared: Difference[];
  resolved: Difference[];
  /** Same dossier, other reason. */
  changed: Array<{ code: string; before: string; after: string }>;
  counts: Array<{ unitCode: string; bucket: string; side: string; before: number | null; after: number | null }>;
}

/**
 * @example const d = await diffReconciliations(ledger, 'a1b2', 'c3d4'); d.resolved.length
 */
export async function diffReconciliations(ledger: Ledger, a: string, b: string): Promise<ReconcileDiff> {
  const [x, y] = await Promise.all([loadReconciliation(ledger, a), loadReconciliation(ledger, b)]);
  const key = (d: Difference) => `${d.code}\u0000${d.reason}`;
  const before = new Map(x.differences.map((d) => [key(d), d]));
  const after = new Map(y.differences.map((d) => [key(d), d]));
  const reasonsBefore = new Map(x.differences.map((d) => [d.code, d.reason]));
  const reasonsAfter = new Map(y.differences.map((d) => [d.code, d.reason]));
  const changed = [...reasonsAfter].filter(([code, r]) => reasonsBefore.has(code) && reasonsBefore.get(code) !== r).map(([code, r]) => ({ code, before: reasonsBefore.get(code) as string, after: r }));
  const moved = new Set(changed.map((c) => c.code));
  const counts: ReconcileDiff['counts'] = [];
  const rowKey = (r: CountRow) => `${r.unitCode}\u0000${r.bucket}`;
  const rowsBefore = new Map(x.counts.map((r) => [rowKey(r), r]));
  for (const r of y.counts) {
    const p = rowsBefore.get(rowKey(r));
    for (const side of ['source', 'ledger', 'delivered', 'portal'] as const) {
      if ((p?.[side] ?? null) !== r[side]) counts.push({ unitCode: r.unitCode, bucket: r.bucket, side, before: p?.[side] ?? null, after: r[side] });
    }
  }
  return {
    from: x.id,
    to: y.id,
    appeared: [...after].filter(([k, d]) => !before.has(k) && !moved.has(d.code)).map(([, d]) => d),
    resolved: [...before].filter(([k, d]) => !after.has(k) && !moved.has(d.code)).map(([, d]) => d),
    changed,
    counts,
  };
}
