/**
 * Runs: every sync run with its summary (what `lienthong sync --json` prints).
 */
import { z } from 'zod';
import { getRun, listRuns } from '../../ledger/runs-read.ts';
import { httpError } from '../errors.ts';
import { defineRoute } from '../route.ts';

const RunSchema = z.object({
  id: z.string(),
  kind: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.string().describe('running | ok | attention | missed'),
  exitCode: z.number().int().nullable(),
  host: z.string().nullable(),
  summary: z.unknown(),
});

export const runRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/runs',
    summary: 'Runs, newest first',
    tag: 'runs',
    role: 'viewer',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      before: z.iso.datetime({ offset: true }).optional().describe('only runs started before this instant (paging)'),
      source: z.string().optional().describe('only runs that pulled this source'),
    }),
    response: z.object({ runs: z.array(RunSchema) }),
    handler: async (_c, { query }, deps) => {
      return { runs: await listRuns(deps.ledger, { limit: query.limit, before: query.before, source: query.source }) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/runs/:id',
    summary: 'One run with its summary',
    tag: 'runs',
    role: 'viewer',
    params: z.object({ id: z.uuid() }),
    response: RunSchema,
    handler: async (_c, { params }, deps) => {
      const run = await getRun(deps.ledger, params.id);
      if (!run) throw httpError(404, 'not_found', `no run ${params.id}`);
      return run;
    },
  }),
];
