/**
 * The history of reconciliations: every run stored with its scope, counts and differences (who,
 * when), listed, shown again, and compared (`diff`: what appeared, what was resolved, which
 * reasons changed, which counts moved).
 */
import { sql } from 'drizzle-orm';
import { hostname } from 'node:os';
import type { Ledger } from '../ledger/db.ts';
import { NotFoundError } from '../errors.ts';
import { json } from './ledger-scan.ts';
import type { CountRow, Difference, ReconcileReport } from './types.ts';

export async function storeReconciliation(ledger: Ledger, r: ReconcileReport): Promise<void> {
  await ledger.db.transaction(async (tx) => {
    const exec = (q: ReturnType<typeof sql>) => (tx as unknown as { execute(q: unknown): Promise<unknown> }).execute(q);
    await exec(sql`insert into reconciliations (id, created_at, created_by, host, scope, counts, stats, difference_count, exit_code)
      values (${r.id}::uuid, ${r.createdAt}::timestamptz, ${r.createdBy}, ${hostname()}, ${JSON.stringify(r.scope)}::jsonb,
              ${JSON.stringify({ rows: r.counts, notes: r.notes })}::jsonb, ${JSON.stringify(r.stats)}::jsonb, ${r.differences.length}, ${r.exitCode})`);
    for (let i = 0; i < r.differences.length; i += 1000) {
      const rows = r.differences.slice(i, i + 1000).map((d) => ({ code: d.code, unit_code: d.unitCode, source_id: (d.detail['sourceId'] as string | undefined) ?? null, reason: d.reason, detail: d.detail }));
      await exec(sql`insert into reconciliation_differences (reconciliation_id, code, unit_code, source_id, reason, detail)
        select ${r.id}::uuid, code, unit_code, source_id, reason, detail
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(code text, unit_code text, source_id text, reason text, detail jsonb)`);
    }
  });
}

/** Records that repairs were made after a reconciliation. */
export async function recordRepairs(ledger: Ledger, id: string, repaired: unknown): Promise<void> {
  await ledger.rows(sql`update reconciliations set repaired = ${JSON.stringify(repaired)}::jsonb where id = ${id}::uuid`);
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
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select id, created_at, created_by, scope, difference_count, exit_code, repaired from reconciliations order by created_at desc, id limit ${limit}`);
  return rows.map((r) => ({
    id: String(r['id']),
    createdAt: new Date(String(r['created_at'])).toISOString(),
    createdBy: (r['created_by'] as string | null) ?? null,
    scope: json(r['scope']),
    differenceCount: Number(r['difference_count']),
    exitCode: Number(r['exit_code']),
    repaired: r['repaired'] === null ? null : json(r['repaired']),
  }));
}

/** A stored reconciliation as its report (a unique id prefix is enough). */
export async function loadReconciliation(ledger: Ledger, id: string): Promise<ReconcileReport> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select id, created_at, created_by, scope, counts, stats, exit_code from reconciliations where id::text like ${`${id.toLowerCase()}%`} limit 2`);
  if (rows.length !== 1) throw new NotFoundError(rows.length ? `reconciliation id "${id}" is ambiguous` : `no reconciliation "${id}" (see: lienthong reconcile history)`);
  const r = rows[0] as Record<string, unknown>;
  const diffs = await ledger.rows<Record<string, unknown>>(sql`
    select code, unit_code, reason, detail from reconciliation_differences where reconciliation_id = ${r['id']}::uuid order by unit_code, code, reason`);
  const counts = json<{ rows: CountRow[]; notes: string[] }>(r['counts']);
  return {
    id: String(r['id']),
    createdAt: new Date(String(r['created_at'])).toISOString(),
    createdBy: (r['created_by'] as string | null) ?? null,
    scope: json(r['scope']),
    counts: counts.rows,
    differences: diffs.map((d): Difference => ({ code: String(d['code']), unitCode: (d['unit_code'] as string | null) ?? null, reason: d['reason'] as Difference['reason'], detail: json(d['detail']) })),
    notes: counts.notes ?? [],
    stats: json(r['stats']),
    exitCode: Number(r['exit_code']) === 0 ? 0 : 2,
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
