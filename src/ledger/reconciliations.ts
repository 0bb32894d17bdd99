/**
 * The stored reconciliations (`reconciliations`, `reconciliation_differences`): written once per
 * run by src/reconcile, listed and read back for `reconcile history`, the API and the dashboard.
 * The JSON columns (scope, counts, stats, detail) are src/reconcile's shapes, named by the caller.
 */
import { sql } from 'drizzle-orm';
import { hostname } from 'node:os';
import type { Ledger } from './db.ts';
import { isoOf, jsonText, textOrNull } from './rows.ts';

export interface ReconciliationInsert {
  id: string;
  createdAt: string;
  createdBy: string | null;
  scope: unknown;
  counts: unknown;
  stats: unknown;
  exitCode: number;
  differences: ReadonlyArray<{ code: string; unitCode: string | null; sourceId: string | null; reason: string; detail: unknown }>;
}

/** One reconciliation and its differences, in one transaction (differences in batches of 1,000). */
export async function insertReconciliation(ledger: Ledger, r: ReconciliationInsert): Promise<void> {
  await ledger.db.transaction(async (tx) => {
    const exec = (q: ReturnType<typeof sql>) => (tx as unknown as { execute(q: unknown): Promise<unknown> }).execute(q);
    await exec(sql`insert into reconciliations (id, created_at, created_by, host, scope, counts, stats, difference_count, exit_code)
      values (${r.id}::uuid, ${r.createdAt}::timestamptz, ${r.createdBy}, ${hostname()}, ${JSON.stringify(r.scope)}::jsonb,
              ${JSON.stringify(r.counts)}::jsonb, ${JSON.stringify(r.stats)}::jsonb, ${r.differences.length}, ${r.exitCode})`);
    for (let i = 0; i < r.differences.length; i += 1000) {
      const rows = r.differences.slice(i, i + 1000).map((d) => ({ code: d.code, unit_code: d.unitCode, source_id: d.sourceId, reason: d.reason, detail: d.detail }));
      await exec(sql`insert into reconciliation_differences (reconciliation_id, code, unit_code, source_id, reason, detail)
        select ${r.id}::uuid, code, unit_code, source_id, reason, detail
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(code text, unit_code text, source_id text, reason text, detail jsonb)`);
    }
  });
}

/** Records that repairs were made after a reconciliation. */
export async function setReconciliationRepaired(ledger: Ledger, id: string, repaired: unknown): Promise<void> {
  await ledger.rows(sql`update reconciliations set repaired = ${JSON.stringify(repaired)}::jsonb where id = ${id}::uuid`);
}

export interface ReconciliationListRow<Scope> {
  id: string;
  createdAt: string;
  createdBy: string | null;
  scope: Scope;
  differenceCount: number;
  exitCode: number;
  /** null: no repair recorded. */
  repaired: unknown;
}

/** Newest first. */
export async function selectReconciliations<Scope>(ledger: Ledger, limit: number): Promise<ReconciliationListRow<Scope>[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select id, created_at, created_by, scope, difference_count, exit_code, repaired from reconciliations order by created_at desc, id limit ${limit}`);
  return rows.map((r) => ({
    id: String(r['id']),
    createdAt: isoOf(r['created_at']),
    createdBy: textOrNull(r['created_by']),
    scope: jsonText<Scope>(r['scope']),
    differenceCount: Number(r['difference_count']),
    exitCode: Number(r['exit_code']),
    repaired: r['repaired'] === null || r['repaired'] === undefined ? null : jsonText(r['repaired']),
  }));
}

export interface ReconciliationRow<Scope, Counts, Stats> {
  id: string;
  createdAt: string;
  createdBy: string | null;
  scope: Scope;
  counts: Counts;
  stats: Stats;
  exitCode: number;
}

export interface ReconciliationDifferenceRow<Detail> {
  code: string;
  unitCode: string | null;
  reason: string;
  detail: Detail;
}

/** The reconciliations whose id starts with `prefix` (at most 2: one is a match, two is ambiguous). */
export async function selectReconciliationsByPrefix<Scope, Counts, Stats>(ledger: Ledger, prefix: string): Promise<ReconciliationRow<Scope, Counts, Stats>[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select id, created_at, created_by, scope, counts, stats, exit_code from reconciliations where id::text like ${`${prefix.toLowerCase()}%`} limit 2`);
  return rows.map((r) => ({
    id: String(r['id']),
    createdAt: isoOf(r['created_at']),
    createdBy: textOrNull(r['created_by']),
    scope: jsonText<Scope>(r['scope']),
    counts: jsonText<Counts>(r['counts']),
    stats: jsonText<Stats>(r['stats']),
    exitCode: Number(r['exit_code']),
  }));
}

/** A reconciliation's differences by unit, code and reason. */
export async function selectReconciliationDifferences<Detail>(ledger: Ledger, id: string): Promise<ReconciliationDifferenceRow<Detail>[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select code, unit_code, reason, detail from reconciliation_differences where reconciliation_id = ${id}::uuid order by unit_code, code, reason`);
  return rows.map((d) => ({ code: String(d['code']), unitCode: textOrNull(d['unit_code']), reason: String(d['reason']), detail: jsonText<Detail>(d['detail']) }));
}
