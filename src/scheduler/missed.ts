/**
 * Scheduled runs that did not happen: while no process was running (found at start-up, from the
 * last run in the ledger) or because the previous run was still going. Each is reported in the
 * log, kept for `/api/v1/sources`, and stored as a run with status `missed` (so `/api/v1/runs`
 * and `/metrics` show it to every process).
 */
import { Cron } from 'croner';
import type { Ledger } from '../ledger/db.ts';
import { insertMissedRun, lastSyncStart } from '../ledger/missed-runs.ts';

export const TIMEZONE = 'Asia/Ho_Chi_Minh';

export interface MissedRun {
  sourceId: string;
  scheduledFor: string;
  reason: 'not_running' | 'still_running';
}

/** A run that started within this margin of its scheduled time counts as that run. */
const GRACE_MS = 60_000;

/**
 * Scheduled times between the last run of a source and now at which no run started.
 *
 * @example
 * missedSince('0 1 * * *', new Date('2026-11-20T18:05:00Z'), new Date('2026-11-23T03:00:00Z')) // 01:00 on the 22nd and 23rd (local)
 */
export function missedSince(schedule: string, lastStartedAt: Date, now: Date, max = 50): Date[] {
  const cron = new Cron(schedule, { timezone: TIMEZONE, paused: true });
  return cron
    .previousRuns(max, new Date(now.getTime() - GRACE_MS))
    .filter((d) => d.getTime() > lastStartedAt.getTime() + GRACE_MS)
    .reverse();
}

/** When the last run naming this source started (any status), or null. */
export async function lastRunStart(ledger: Ledger, sourceId: string): Promise<Date | null> {
  return lastSyncStart(ledger, sourceId);
}

export async function recordMissed(ledger: Ledger, missed: MissedRun): Promise<void> {
  await insertMissedRun(ledger, missed);
}
