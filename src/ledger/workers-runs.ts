/**
 * The `runs` row of a scheduled sync on Workers (src/runtime/workers/sync.ts): opened by the cron
 * with the sources it expects, each source's summary appended as its Queue message is handled,
 * finished by the last one to report.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from './db.ts';

/** Opens a sync run on host `workers`; `summary.expected` lists the sources that will report (the whole summary is stored). */
export async function insertWorkersRun(ledger: Ledger, runId: string, summary: { expected: readonly string[] } & Record<string, unknown>): Promise<void> {
  await ledger.rows(sql`insert into runs (id, kind, host, summary) values (${runId}::uuid, 'sync', 'workers', ${JSON.stringify(summary)}::jsonb)`);
}

/**
 * Appends one source's summary (stored whole) to the run; once every expected source has reported, finishes it:
 * `attention` (exit code 2) when a source failed or quarantined records, else `ok` (0).
 */
export async function addSourceToRun(ledger: Ledger, runId: string, source: { id: string; quarantined: number; error?: string | undefined }): Promise<void> {
  await ledger.rows(sql`
    update runs set summary = jsonb_set(summary, '{sources}', coalesce(summary->'sources', '[]'::jsonb) || ${JSON.stringify([source])}::jsonb)
    where id = ${runId}::uuid`);
  await ledger.rows(sql`
    update runs set finished_at = now(),
      status = case when exists (select 1 from jsonb_array_elements(summary->'sources') s
                                 where s ? 'error' or (s->>'quarantined')::int > 0) then 'attention' else 'ok' end,
      exit_code = case when exists (select 1 from jsonb_array_elements(summary->'sources') s
                                    where s ? 'error' or (s->>'quarantined')::int > 0) then 2 else 0 end
    where id = ${runId}::uuid and finished_at is null
      and jsonb_array_length(summary->'sources') >= jsonb_array_length(summary->'expected')`);
}
