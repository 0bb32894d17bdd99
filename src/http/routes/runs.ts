/**
 * Runs: every sync run with its summary (what `lienthong sync --json` prints).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
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

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());
const toRun = (r: Record<string, unknown>): z.infer<typeof RunSchema> => ({
  id: String(r['id']),
  kind: String(r['kind']),
  startedAt: iso(r['started_at']) ?? '',
  finishedAt: iso(r['finished_at']),
  status: String(r['status']),
  exitCode: r['exit_code'] === null ? null : Number(r['exit_code']),
  host: (r['host'] as string | null) ?? null,
  summary: typeof r['summary'] === 'string' ? JSON.parse(r['summary']) : r['summary'],
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
      const rows = await deps.ledger.rows<Record<string, unknown>>(sql`
        select id, kind, started_at, finished_at, status, exit_code, host, summary from runs
        where (${query.before ?? null}::timestamptz is null or started_at < ${query.before ?? null}::timestamptz)
          and (${query.source ?? null}::text is null or summary->'sources' @> ${JSON.stringify([{ id: query.source ?? '' }])}::jsonb)
        order by started_at desc limit ${query.limit}`);
      return { runs: rows.map(toRun) };
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
      const [row] = await deps.ledger.rows<Record<string, unknown>>(sql`
        select id, kind, started_at, finished_at, status, exit_code, host, summary from runs where id = ${params.id}::uuid`);
      if (!row) throw httpError(404, 'not_found', `no run ${params.id}`);
      return toRun(row);
    },
  }),
];
