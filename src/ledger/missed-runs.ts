/**
 * The `runs` rows the scheduler reads and writes (src/scheduler/missed.ts): when a source last
 * started a sync run, and a scheduled run that did not happen stored as a run with status `missed`.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from './db.ts';
import { isoOrNull } from './rows.ts';

/** When the last sync run naming this source started (any status), or null. */
export async function lastSyncStart(ledger: Ledger, sourceId: string): Promise<Date | null> {
  const [row] = await ledger.rows<{ started_at: unknown }>(sql`select max(started_at) as started_at from runs
    where kind = 'sync' and summary->'sources' @> ${JSON.stringify([{ id: sourceId }])}::jsonb`);
  const at = isoOrNull(row?.started_at);
  return at === null ? null : new Date(at);
}

export interface MissedRunRow {
  sourceId: string;
  /** ISO instant the run was due. */
  scheduledFor: string;
  reason: string;
}

/** Stores a scheduled run that did not happen: a sync run started at its due instant, status `missed`. */
export async function insertMissedRun(ledger: Ledger, missed: MissedRunRow): Promise<void> {
  const summary = { missed: true, reason: missed.reason, scheduledFor: missed.scheduledFor, sources: [{ id: missed.sourceId }] };
  await ledger.rows(sql`insert into runs (id, kind, started_at, status, summary)
    values (${crypto.randomUUID()}::uuid, 'sync', ${missed.scheduledFor}, 'missed', ${JSON.stringify(summary)}::jsonb)`);
}
