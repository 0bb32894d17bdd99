/**
 * Read side of the `runs` table for the API, the dashboard and /metrics: typed rows, one query each.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from './db.ts';
import { intOrNull, isoOf, isoOrNull, jsonText, textOrNull } from './rows.ts';

export interface RunRow {
  id: string;
  kind: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  exitCode: number | null;
  host: string | null;
  summary: unknown;
}

type RawRun = Record<'id' | 'kind' | 'started_at' | 'finished_at' | 'status' | 'exit_code' | 'host' | 'summary', unknown>;

const toRun = (r: RawRun): RunRow => ({
  id: String(r.id),
  kind: String(r.kind),
  startedAt: isoOf(r.started_at),
  finishedAt: isoOrNull(r.finished_at),
  status: String(r.status),
  exitCode: intOrNull(r.exit_code),
  host: textOrNull(r.host),
  summary: jsonText(r.summary),
});

/** The summary of a run names this source (`summary.sources[].id`). */
const namesSource = (sourceId: string) => sql`summary->'sources' @> ${JSON.stringify([{ id: sourceId }])}::jsonb`;

/** Runs newest first; `before` pages by start instant, `source` keeps the runs that pulled it. */
export async function listRuns(ledger: Ledger, opts: { limit: number; before?: string | undefined; source?: string | undefined }): Promise<RunRow[]> {
  const rows = await ledger.rows<RawRun>(sql`
    select id, kind, started_at, finished_at, status, exit_code, host, summary from runs
    where (${opts.before ?? null}::timestamptz is null or started_at < ${opts.before ?? null}::timestamptz)
      and (${opts.source ?? null}::text is null or ${namesSource(opts.source ?? '')})
    order by started_at desc limit ${opts.limit}`);
  return rows.map(toRun);
}

/** One run, or null. */
export async function getRun(ledger: Ledger, id: string): Promise<RunRow | null> {
  const [row] = await ledger.rows<RawRun>(sql`select id, kind, started_at, finished_at, status, exit_code, host, summary from runs where id = ${id}::uuid`);
  return row ? toRun(row) : null;
}

export interface SourceRunInfo {
  lastRun: { runId: string; startedAt: string; finishedAt: string | null; status: string; summary: unknown } | null;
  /** When the last sync run in which this source did not fail finished. */
  lastSuccessAt: string | null;
}

/** The last sync run naming the source, and the last one in which it did not fail. */
export async function sourceRunInfo(ledger: Ledger, sourceId: string): Promise<SourceRunInfo> {
  const [last] = await ledger.rows<RawRun>(sql`select id, kind, started_at, finished_at, status, exit_code, host, summary from runs
    where kind = 'sync' and ${namesSource(sourceId)} order by started_at desc limit 1`);
  const [ok] = await ledger.rows<{ finished_at: unknown }>(sql`select finished_at from runs where kind = 'sync' and finished_at is not null and ${namesSource(sourceId)}
    and not exists (select 1 from jsonb_array_elements(summary->'sources') s where s->>'id' = ${sourceId} and s ? 'error')
    order by finished_at desc limit 1`);
  const run = last ? toRun(last) : null;
  return {
    lastRun: run ? { runId: run.id, startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status, summary: run.summary } : null,
    lastSuccessAt: isoOrNull(ok?.finished_at),
  };
}

/** Per source, when the last sync run that pulled it without error finished (epoch ms). */
export async function lastSuccessBySource(ledger: Ledger): Promise<Map<string, number>> {
  const rows = await ledger.rows<{ source_id: string; finished_at: unknown }>(sql`
    select s->>'id' as source_id, max(r.finished_at) as finished_at
    from runs r cross join lateral jsonb_array_elements(r.summary->'sources') s
    where r.kind = 'sync' and r.finished_at is not null and not (s ? 'error') group by 1`);
  return new Map(rows.map((r) => [r.source_id, Date.parse(isoOf(r.finished_at))]));
}

/** Scheduled runs that did not happen, counted per source and reason. */
export async function missedRunCounts(ledger: Ledger): Promise<{ sourceId: string; reason: string; count: number }[]> {
  const rows = await ledger.rows<{ source_id: string; reason: string; n: number }>(sql`
    select summary->'sources'->0->>'id' as source_id, coalesce(summary->>'reason', 'unknown') as reason, count(*)::int as n
    from runs where status = 'missed' group by 1, 2 order by 1, 2`);
  return rows.map((r) => ({ sourceId: String(r.source_id), reason: String(r.reason), count: Number(r.n) }));
}

/** Per target, the circuit breaker state recorded by its last finished sync run that had one. */
export async function lastRecordedBreakerStates(ledger: Ledger): Promise<Map<string, string>> {
  const rows = await ledger.rows<{ target_id: string; state: string }>(sql`
    select distinct on (t->>'id') t->>'id' as target_id, t->'breaker'->>'state' as state
    from runs r cross join lateral jsonb_array_elements(r.summary->'targets') t
    where r.kind = 'sync' and r.finished_at is not null and t ? 'breaker'
    order by t->>'id', r.finished_at desc`);
  return new Map(rows.map((r) => [String(r.target_id), String(r.state)]));
}
