/**
 * Read-side queries of the overview: the last run of each source, the outbox by target and
 * status, dead letters and open quarantine. Raw SQL through drizzle's `sql` (parameters only).
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from '../ledger/db.ts';

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export interface SourceRun {
  sourceId: string;
  runId: string;
  startedAt: string;
  finishedAt: string | null;
  runStatus: string;
  pulled: number;
  new: number;
  changed: number;
  quarantined: number;
  error: string | null;
}

/** The latest run that reported on each source (from `runs.summary.sources[]`). */
export async function lastRunPerSource(ledger: Ledger): Promise<Map<string, SourceRun>> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select distinct on (s->>'id') s->>'id' as source_id, r.id::text as run_id, r.started_at, r.finished_at, r.status, s as summary
    from runs r cross join lateral jsonb_array_elements(coalesce(r.summary->'sources', '[]'::jsonb)) s
    order by s->>'id', r.started_at desc`);
  const out = new Map<string, SourceRun>();
  for (const r of rows) {
    const s = json<Record<string, unknown>>(r['summary']);
    out.set(String(r['source_id']), {
      sourceId: String(r['source_id']),
      runId: String(r['run_id']),
      startedAt: String(r['started_at']),
      finishedAt: r['finished_at'] === null ? null : String(r['finished_at']),
      runStatus: String(r['status']),
      pulled: Number(s['pulled'] ?? 0),
      new: Number(s['new'] ?? 0),
      changed: Number(s['changed'] ?? 0),
      quarantined: Number(s['quarantined'] ?? 0),
      error: typeof s['error'] === 'string' ? s['error'] : null,
    });
  }
  return out;
}

/** The most recent run of any kind (a run still going has no summary yet). */
export async function latestRun(ledger: Ledger): Promise<{ id: string; startedAt: string; finishedAt: string | null; status: string } | null> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`select id::text as id, started_at, finished_at, status from runs order by started_at desc limit 1`);
  const r = rows[0];
  return r ? { id: String(r['id']), startedAt: String(r['started_at']), finishedAt: r['finished_at'] === null ? null : String(r['finished_at']), status: String(r['status']) } : null;
}

export interface OutboxDepth {
  targetId: string;
  counts: Record<string, number>;
}

/** Deliveries per target and status (pending, delivering, delivered, dead …). */
export async function outboxDepth(ledger: Ledger): Promise<OutboxDepth[]> {
  const rows = await ledger.rows<{ target_id: string; status: string; n: number }>(sql`
    select target_id, status, count(*)::int as n from deliveries group by target_id, status order by target_id, status`);
  const byTarget = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const counts = byTarget.get(r.target_id) ?? {};
    counts[r.status] = Number(r.n);
    byTarget.set(r.target_id, counts);
  }
  return [...byTarget].map(([targetId, counts]) => ({ targetId, counts }));
}

export interface DeadLetter {
  id: number;
  code: string;
  sourceId: string;
  targetId: string;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

export async function deadLetters(ledger: Ledger, limit = 20): Promise<DeadLetter[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select q.id, d.code, d.source_id, q.target_id, q.attempts, q.last_error, q.updated_at
    from deliveries q join dossiers d on d.id = q.dossier_id
    where q.status = 'dead' order by q.updated_at desc, q.id desc limit ${limit}`);
  return rows.map((r) => ({
    id: Number(r['id']),
    code: String(r['code']),
    sourceId: String(r['source_id']),
    targetId: String(r['target_id']),
    attempts: Number(r['attempts']),
    lastError: (r['last_error'] as string | null) ?? null,
    updatedAt: String(r['updated_at']),
  }));
}

/** Open quarantine entries per source. */
export async function openQuarantineCounts(ledger: Ledger): Promise<Map<string, number>> {
  const rows = await ledger.rows<{ source_id: string; n: number }>(sql`
    select source_id, count(*)::int as n from quarantine where resolved_at is null group by source_id`);
  return new Map(rows.map((r) => [r.source_id, Number(r.n)]));
}

export interface QuarantineRow {
  id: number;
  sourceId: string;
  recordKey: string;
  location: string | null;
  issues: { path: string; message: string }[];
  lastSeenAt: string;
  seenCount: number;
}

/** Open quarantine entries with their ids (the replay button posts the id), newest first. */
export async function listOpenQuarantine(ledger: Ledger, limit = 200): Promise<QuarantineRow[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select id, source_id, record_key, location, issues, last_seen_at, seen_count from quarantine
    where resolved_at is null order by last_seen_at desc, id desc limit ${limit}`);
  return rows.map((r) => ({
    id: Number(r['id']),
    sourceId: String(r['source_id']),
    recordKey: String(r['record_key']),
    location: (r['location'] as string | null) ?? null,
    issues: json<QuarantineRow['issues']>(r['issues']),
    lastSeenAt: String(r['last_seen_at']),
    seenCount: Number(r['seen_count']),
  }));
}
