/**
 * Sources: their configuration, last run, counts in the ledger, schedule; trigger a run now.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { SourceConfig } from '../../../schemas/config.ts';
import type { Ledger } from '../../ledger/db.ts';
import { httpError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import type { AppDeps } from '../types.ts';

const LastRunSchema = z.object({ runId: z.string(), startedAt: z.string(), finishedAt: z.string().nullable(), status: z.string(), summary: z.unknown() }).nullable();

export const SourceStatusSchema = z.object({
  id: z.string(),
  adapter: z.string(),
  units: z.array(z.string()),
  schedule: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  running: z.boolean(),
  missedRuns: z.array(z.object({ scheduledFor: z.string(), reason: z.string() })),
  webhook: z.boolean().describe('accepts pushes at POST /ingest/{id}'),
  dossiers: z.number().int(),
  openQuarantine: z.number().int(),
  lastRun: LastRunSchema,
  lastSuccessAt: z.string().nullable(),
});
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/** Last run naming the source, and the last one in which it did not fail. */
export async function sourceRunInfo(ledger: Ledger, sourceId: string): Promise<{ lastRun: SourceStatus['lastRun']; lastSuccessAt: string | null }> {
  const names = sql`summary->'sources' @> ${JSON.stringify([{ id: sourceId }])}::jsonb`;
  const [last] = await ledger.rows<Record<string, unknown>>(sql`select id, started_at, finished_at, status, summary from runs
    where kind = 'sync' and ${names} order by started_at desc limit 1`);
  const [ok] = await ledger.rows<{ finished_at: string }>(sql`select finished_at from runs where kind = 'sync' and finished_at is not null and ${names}
    and not exists (select 1 from jsonb_array_elements(summary->'sources') s where s->>'id' = ${sourceId} and s ? 'error')
    order by finished_at desc limit 1`);
  return {
    lastRun: last ? { runId: String(last['id']), startedAt: iso(last['started_at']) ?? '', finishedAt: iso(last['finished_at']), status: String(last['status']), summary: json(last['summary']) } : null,
    lastSuccessAt: iso(ok?.finished_at),
  };
}

async function statusOf(deps: AppDeps, source: SourceConfig): Promise<SourceStatus> {
  const [counts] = await deps.ledger.rows<{ dossiers: number; quarantine: number }>(sql`select
    (select count(*)::int from dossiers where source_id = ${source.id}) as dossiers,
    (select count(*)::int from quarantine where source_id = ${source.id} and resolved_at is null) as quarantine`);
  const sched = deps.scheduler?.status(source.id) ?? { schedule: source.schedule ?? null, nextRunAt: null, running: false, missedRuns: [] };
  return {
    id: source.id,
    adapter: source.adapter,
    units: source.units,
    ...sched,
    webhook: Boolean(source.webhookSecretEnv),
    dossiers: counts?.dossiers ?? 0,
    openQuarantine: counts?.quarantine ?? 0,
    ...(await sourceRunInfo(deps.ledger, source.id)),
  };
}

function findSource(deps: AppDeps, id: string): SourceConfig {
  const source = deps.config.sources.find((s) => s.id === id);
  if (!source) throw httpError(404, 'not_found', `no source "${id}" in the configuration`);
  return source;
}

const IdParams = z.object({ id: z.string().min(1) });

export const sourceRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/sources',
    summary: 'Every configured source with its last run, schedule and counts',
    tag: 'sources',
    role: 'viewer',
    response: z.object({ sources: z.array(SourceStatusSchema) }),
    handler: async (_c, _i, deps) => ({ sources: await Promise.all(deps.config.sources.map((s) => statusOf(deps, s))) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/sources/:id',
    summary: 'One source with its last run, schedule and counts',
    tag: 'sources',
    role: 'viewer',
    params: IdParams,
    response: SourceStatusSchema,
    handler: (_c, { params }, deps) => statusOf(deps, findSource(deps, params.id)),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/sources/:id/runs',
    summary: 'Start a run of this source now (pull, then deliver); 409 if one is running',
    tag: 'sources',
    role: 'operator',
    params: IdParams,
    status: 202,
    response: z.object({ sourceId: z.string(), startedAt: z.string() }),
    handler: async (_c, { params }, deps) => {
      findSource(deps, params.id);
      if (!deps.scheduler) throw httpError(503, 'scheduler_unavailable', 'runs can only be started where the scheduler runs (lienthong serve)');
      return deps.scheduler.trigger(params.id);
    },
  }),
];
