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

/** The highest receipt id (0: none), from the primary key. */
export async function lastReceiptId(ledger: Ledger): Promise<number> {
  const [r] = await ledger.rows<{ id: number | string | null }>(sql`select max(id)::float8 as id from receipts`);
  return r?.id === null || r?.id === undefined ? 0 : Number(r.id);
}

/** Receipts by id: those after `afterId` (exclusive) and up to `upToId` (inclusive) when given. */
export interface ReceiptRange {
  afterId?: number;
  upToId?: number;
}

/**
 * Call durations from the receipts, per target and service, counted under each bound (seconds),
 * over the receipts of `range` (all when none: a scan of the table); `maxId` is the last receipt
 * id counted (null: none in the range). A range after an id reads the primary key from there on.
 */
export async function latencyCounts(ledger: Ledger, boundsSeconds: readonly number[], range: ReceiptRange = {}): Promise<{ rows: LatencyRow[]; maxId: number | null }> {
  const cols = boundsSeconds.map((b, i) => sql`count(*) filter (where duration_ms <= ${b * 1000})::int as ${sql.identifier(`b${i}`)}`);
  const where = [
    ...(range.afterId !== undefined ? [sql`id > ${range.afterId}`] : []),
    ...(range.upToId !== undefined ? [sql`id <= ${range.upToId}`] : []),
  ];
  const rows = await ledger.rows<Record<string, number | string>>(sql`
    select target_id, service, ${sql.join(cols, sql`, `)}, count(*)::int as n, coalesce(sum(duration_ms), 0)::float8 / 1000 as sum,
           max(id)::float8 as max_id
    from receipts ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``} group by target_id, service order by 1, 2`);
  const ids = rows.map((r) => Number(r['max_id']));
  return {
    rows: rows.map((r) => ({
      targetId: String(r['target_id']),
      service: String(r['service']),
      atOrUnder: boundsSeconds.map((_, i) => Number(r[`b${i}`])),
      count: Number(r['n']),
      sumSeconds: Number(r['sum']),
    })),
    maxId: ids.length ? Math.max(...ids) : null,
  };
}
