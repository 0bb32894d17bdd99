/**
 * The outbox table's operations: claim due deliveries with a lease (FOR UPDATE SKIP LOCKED, so
 * several workers on one PostgreSQL never take the same row), record attempts, finish or
 * dead-letter. Every state change is one statement or one transaction.
 */
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Dossier } from '../../schemas/dossier.ts';
import type { Ledger } from '../ledger/db.ts';

export interface ClaimedDelivery {
  id: number;
  dossierId: number;
  targetId: string;
  version: number;
  portalHas: boolean;
  dossierAckedVersion: number | null;
  progressAcked: number;
  progressAckedHash: string | null;
  attempts: number;
  code: string;
  dossierVersion: number;
  canonical: Dossier;
}

/** Lease owner names carry host and pid so that a dead process's leases can be recognised. */
export function leaseOwnerName(runId: string): string {
  return `${hostname()}:${process.pid}:${runId}`;
}

/**
 * Claims up to `limit` due deliveries of a target, taking sources in turn (round-robin: the first
 * due delivery of each source, then the second of each…), so a source with a large backlog never
 * starves the others. The turn counts what each source already has in flight (leased by any
 * sender or worker, not finished): many senders claiming one delivery each still alternate
 * sources, instead of each taking the oldest source's next row. Rows locked by another worker's
 * claim are skipped, not waited for. The claim is returned in turn order.
 */
export async function claimDue(ledger: Ledger, targetId: string, owner: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    -- Sources in turn, at a cost that does not grow with the backlog: the distinct sources with
    -- pending work come from a loose index scan, each source's first due rows from the
    -- (target_id, status, source_id, next_attempt_at) index; row k of every source goes before row k+1.
    with recursive sources(source_id) as (
      (select source_id from deliveries where target_id = ${targetId} and status = 'pending' order by source_id limit 1)
      union all
      select (select q.source_id from deliveries q where q.target_id = ${targetId} and q.status = 'pending' and q.source_id > s.source_id
              order by q.source_id limit 1)
      from sources s where s.source_id is not null
    ), candidates as (
      -- The turn is numbered outside the lateral: a window inside it would read every due row. It
      -- starts after what the source has in flight (live leases: a few rows, from the partial index
      -- deliveries_in_flight_idx, never the backlog).
      select p.id, p.next_attempt_at,
             f.in_flight + row_number() over (partition by s.source_id order by p.next_attempt_at, p.id) as turn
      from sources s cross join lateral (
        select count(*) as in_flight from deliveries l
        where l.target_id = ${targetId} and l.status = 'pending' and l.source_id = s.source_id
          and l.lease_until is not null and l.lease_until >= now()
      ) f cross join lateral (
        select q.id, q.next_attempt_at
        from deliveries q
        where q.target_id = ${targetId} and q.status = 'pending' and q.source_id = s.source_id
          and q.next_attempt_at <= now() and (q.lease_until is null or q.lease_until < now())
        order by q.next_attempt_at
        limit ${limit + 8}
      ) p
      where s.source_id is not null
    ), picked as (
      select array(select id from candidates order by turn, next_attempt_at, id limit ${limit * 2}) as ids
    ), due as (
      -- Locked by primary key in turn order (an array, not a join: the planner never scans the table).
      select q.id from deliveries q, picked
      where q.id = any(picked.ids) and q.status = 'pending' and (q.lease_until is null or q.lease_until < now())
      order by array_position(picked.ids, q.id)
      limit ${limit}
      for update of q skip locked
    ), claimed as (
      update deliveries q set lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
      from due where q.id = due.id
      returning q.*
    )
    select c.id, c.dossier_id, c.target_id, c.version, c.portal_has, c.dossier_acked_version, c.progress_acked,
           c.progress_acked_hash, c.attempts, d.code, d.version as dossier_version, d.canonical
    from claimed c join dossiers d on d.id = c.dossier_id, picked
    order by array_position(picked.ids, c.id)`);
  return rows.map((r) => ({
    id: Number(r['id']),
    dossierId: Number(r['dossier_id']),
    targetId: String(r['target_id']),
    version: Number(r['version']),
    portalHas: Boolean(r['portal_has']),
    dossierAckedVersion: r['dossier_acked_version'] === null ? null : Number(r['dossier_acked_version']),
    progressAcked: Number(r['progress_acked']),
    progressAckedHash: (r['progress_acked_hash'] as string | null) ?? null,
    attempts: Number(r['attempts']),
    code: String(r['code']),
    dossierVersion: Number(r['dossier_version']),
    canonical: (typeof r['canonical'] === 'string' ? JSON.parse(r['canonical']) : r['canonical']) as Dossier,
  }));
}

export async function extendLease(ledger: Ledger, id: number, owner: string, leaseMs: number): Promise<void> {
  await ledger.rows(sql`update deliveries set lease_until = now() + make_interval(secs => ${leaseMs / 1000})
    where id = ${id} and lease_owner = ${owner}`);
}

/** Releases the leases of processes on this host that no longer run (after a kill -9). */
export async function releaseOrphanedLeases(ledger: Ledger): Promise<number> {
  const rows = await ledger.rows<{ lease_owner: string }>(sql`select distinct lease_owner from deliveries
    where lease_owner is not null and lease_until > now()`);
  const host = hostname();
  const dead = rows
    .map((r) => r.lease_owner)
    .filter((owner) => {
      const [h, pid] = owner.split(':');
      if (h !== host || !pid || Number(pid) === process.pid) return false;
      try {
        process.kill(Number(pid), 0);
        return false;
      } catch {
        return true;
      }
    });
  let released = 0;
  for (const owner of dead) {
    const r = await ledger.rows<{ id: number }>(sql`update deliveries set lease_owner = null, lease_until = null
      where lease_owner = ${owner} returning id`);
    released += r.length;
  }
  return released;
}

export interface Counts {
  pending: number;
  dead: number;
  delivered: number;
  nextDueInMs: number | null;
}

export async function targetCounts(ledger: Ledger, targetId: string): Promise<Counts> {
  const [r] = await ledger.rows<{ pending: number; dead: number; delivered: number; next_ms: number | null }>(sql`
    select count(*) filter (where status = 'pending')::int as pending,
           count(*) filter (where status = 'dead')::int as dead,
           count(*) filter (where status = 'delivered')::int as delivered,
           (extract(epoch from (min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at))) filter (where status = 'pending') - now())) * 1000)::float8 as next_ms
    from deliveries where target_id = ${targetId}`);
  return { pending: r?.pending ?? 0, dead: r?.dead ?? 0, delivered: r?.delivered ?? 0, nextDueInMs: r?.next_ms ?? null };
}
