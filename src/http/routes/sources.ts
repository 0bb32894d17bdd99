/**
 * Sources: their configuration, last run, counts in the ledger, schedule; trigger a run now.
 */
import { z } from 'zod';
import type { SourceConfig } from '../../../schemas/config.ts';
import { sourceCounts } from '../../ledger/queries.ts';
import { sourceRunInfo } from '../../ledger/runs-read.ts';
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

async function statusOf(deps: AppDeps, source: SourceConfig): Promise<SourceStatus> {
  const counts = await sourceCounts(deps.ledger, source.id);
  const sched = deps.scheduler?.status(source.id) ?? { schedule: source.schedule ?? null, nextRunAt: null, running: false, missedRuns: [] };
  return {
    id: source.id,
    adapter: source.adapter,
    units: source.units,
    ...sched,
    webhook: Boolean(source.webhookSecretEnv),
    dossiers: counts.dossiers,
    openQuarantine: counts.openQuarantine,
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
