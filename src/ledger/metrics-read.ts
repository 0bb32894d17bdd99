/**
 * Counts for `/metrics` (src/metrics/prometheus.ts): grouped aggregates, typed, one query each.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from './db.ts';

/** Per source: dossiers stored and open quarantine entries. */
export async function countsBySource(ledger: Ledger): Promise<{ dossiers: Map<string, number>; quarantined: Map<string, number> }> {
  const dossiers = await ledger.rows<{ source_id: string; n: number }>(sql`select source_id, count(*)::int as n from dossiers group by source_id`);
  const quarantined = await ledger.rows<{ source_id: string; n: number }>(sql`select source_id, count(*)::int as n from quarantine where resolved_at is null group by source_id`);
  return {
    dossiers: new Map(dossiers.map((r) => [String(r.source_id), Number(r.n)])),
    quarantined: new Map(quarantined.map((r) => [String(r.source_id), Number(r.n)])),
  };
}

/** Deliveries counted per source, target and status. */
export async function deliveryStatusCounts(ledger: Ledger): Promise<{ sourceId: string; targetId: string; status: string; count: number }[]> {
  const rows = await ledger.rows<{ source_id: string; target_id: string; status: string; n: number }>(sql`
    select d.source_id, q.target_id, q.status, count(*)::int as n from deliveries q join dossiers d on d.id = q.dossier_id
    group by d.source_id, q.target_id, q.status order by 1, 2, 3`);
  return rows.map((r) => ({ sourceId: String(r.source_id), targetId: String(r.target_id), status: String(r.status), count: Number(r.n) }));
}

/** Deliveries waiting to be sent, per target. */
export async function outboxDepth(ledger: Ledger): Promise<Map<string, number>> {
  const rows = await ledger.rows<{ target_id: string; n: number }>(sql`select target_id, count(*)::int as n from deliveries where status = 'pending' group by target_id`);
  return new Map(rows.map((r) => [String(r.target_id), Number(r.n)]));
}

export interface LatencyRow {
  targetId: string;
  service: string;
  /** Calls at or under each bound, in the order of the bounds given. */
  atOrUnder: number[];
  count: number;
  sumSeconds: number;
}

/** Call durations from the receipts, per target and service, counted under each bound (seconds). */
export async function latencyCounts(ledger: Ledger, boundsSeconds: readonly number[]): Promise<LatencyRow[]> {
  const cols = boundsSeconds.map((b, i) => sql`count(*) filter (where duration_ms <= ${b * 1000})::int as ${sql.identifier(`b${i}`)}`);
  const rows = await ledger.rows<Record<string, number | string>>(sql`
    select target_id, service, ${sql.join(cols, sql`, `)}, count(*)::int as n, coalesce(sum(duration_ms), 0)::float8 / 1000 as sum
    from receipts group by target_id, service order by 1, 2`);
  return rows.map((r) => ({
    targetId: String(r['target_id']),
    service: String(r['service']),
    atOrUnder: boundsSeconds.map((_, i) => Number(r[`b${i}`])),
    count: Number(r['n']),
    sumSeconds: Number(r['sum']),
  }));
}
