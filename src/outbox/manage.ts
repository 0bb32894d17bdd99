/**
 * The outbox as operators see it: list deliveries by status, target, source or dossier, and send
 * them again. One service behind the API (`/api/v1/deliveries`), the CLI (`lienthong deliveries`)
 * and the dashboard's "Gửi lại" button, so all three select and re-queue the same way.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from '../ledger/db.ts';
import { cleanMessage } from '../privacy.ts';
import { releaseOrphanedLeases } from './queue.ts';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryFilter {
  status?: DeliveryStatus | undefined;
  target?: string | undefined;
  source?: string | undefined;
  /** A dossier code (`MaHoSo`). */
  dossier?: string | undefined;
  ids?: readonly number[] | undefined;
}

export interface DeliveryRow {
  id: number;
  code: string;
  sourceId: string;
  targetId: string;
  status: string;
  version: number;
  deliveredVersion: number | null;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
  updatedAt: string;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

function where(f: DeliveryFilter) {
  return sql`(${f.status ?? null}::text is null or q.status = ${f.status ?? null})
    and (${f.target ?? null}::text is null or q.target_id = ${f.target ?? null})
    and (${f.source ?? null}::text is null or d.source_id = ${f.source ?? null})
    and (${f.dossier ?? null}::text is null or d.code = ${f.dossier ?? null})
    and (${f.ids ? 1 : 0} = 0 or q.id in (select (jsonb_array_elements_text(${JSON.stringify(f.ids ?? [])}::jsonb))::bigint))`;
}

/**
 * Deliveries, most recently changed first.
 *
 * @example
 * await listDeliveries(ledger, { status: 'dead', target: 'national' }, { limit: 50 });
 */
export async function listDeliveries(ledger: Ledger, filter: DeliveryFilter, page: { limit?: number; offset?: number } = {}): Promise<DeliveryRow[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select q.id, d.code, d.source_id, q.target_id, q.status, q.version, q.delivered_version, q.attempts, q.next_attempt_at,
           q.last_error, q.delivered_at, q.updated_at
    from deliveries q join dossiers d on d.id = q.dossier_id
    where ${where(filter)}
    order by q.updated_at desc, q.id desc limit ${page.limit ?? 100} offset ${page.offset ?? 0}`);
  return rows.map((r) => ({
    id: Number(r['id']),
    code: String(r['code']),
    sourceId: String(r['source_id']),
    targetId: String(r['target_id']),
    status: String(r['status']),
    version: Number(r['version']),
    deliveredVersion: r['delivered_version'] === null ? null : Number(r['delivered_version']),
    attempts: Number(r['attempts']),
    nextAttemptAt: iso(r['next_attempt_at']) ?? '',
    // Stored cleaned; cleaned again for rows written before cleaning existed.
    lastError: typeof r['last_error'] === 'string' ? cleanMessage(r['last_error']) : null,
    deliveredAt: iso(r['delivered_at']),
    updatedAt: iso(r['updated_at']) ?? '',
  }));
}

/**
 * Sends deliveries again: dead ones by default (`status: 'pending'` sends waiting ones now instead of
 * after their backoff). Attempts start from zero; the next `sync`, `serve` run or `worker` picks
 * them up. Delivered ones are never re-queued here (a changed dossier is re-queued by the pull).
 *
 * @example
 * await retryDeliveries(ledger, { target: 'national' }); // { requeued: 12 }
 */
export async function retryDeliveries(ledger: Ledger, filter: Omit<DeliveryFilter, 'status'> & { status?: 'dead' | 'pending' }): Promise<{ requeued: number; ids: number[] }> {
  const f = { ...filter, status: filter.status ?? 'dead' };
  // A delivery in flight is left to its sender. A lease nobody holds any more is not in flight: one of
  // a process of this host that no longer runs (killed), or of a run that has ended (its owner is
  // host:pid:runId, src/outbox/queue.ts); those deliveries are sent again too.
  await releaseOrphanedLeases(ledger);
  const rows = await ledger.rows<{ id: number }>(sql`
    update deliveries q set status = 'pending', attempts = 0, next_attempt_at = now(), lease_owner = null, lease_until = null, updated_at = now()
    from dossiers d
    where d.id = q.dossier_id and ${where(f)}
      and (q.lease_until is null or q.lease_until < now()
        or exists (select 1 from runs r where r.finished_at is not null and r.id::text = split_part(q.lease_owner, ':', 3)))
    returning q.id`);
  return { requeued: rows.length, ids: rows.map((r) => Number(r.id)).sort((a, b) => a - b) };
}
