/**
 * Quarantine: rejected records with every issue; replay them through the pipeline.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { replayQuarantine } from '../../intake/replay.ts';
import { mappingOf } from '../errors.ts';
import { defineRoute } from '../route.ts';

const EntrySchema = z.object({
  sourceId: z.string(),
  recordKey: z.string(),
  location: z.string().nullable(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
  raw: z.unknown(),
  rawText: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  seenCount: z.number().int(),
  resolvedAt: z.string().nullable(),
});

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

export const quarantineRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/quarantine',
    summary: 'Rejected records with every issue and its JSON path (open ones unless all=true)',
    tag: 'quarantine',
    role: 'viewer',
    query: z.object({
      source: z.string().optional(),
      all: z.enum(['true', 'false']).default('false'),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    response: z.object({ entries: z.array(EntrySchema) }),
    handler: async (_c, { query: q }, deps) => {
      const rows = await deps.ledger.rows<Record<string, unknown>>(sql`
        select source_id, record_key, location, issues, raw, raw_text, first_seen_at, last_seen_at, seen_count, resolved_at from quarantine
        where (${q.source ?? null}::text is null or source_id = ${q.source ?? null}) and (${q.all === 'true'} or resolved_at is null)
        order by last_seen_at desc, id desc limit ${q.limit} offset ${q.offset}`);
      return {
        entries: rows.map((r) => ({
          sourceId: String(r['source_id']),
          recordKey: String(r['record_key']),
          location: (r['location'] as string | null) ?? null,
          issues: json(r['issues']) as { path: string; message: string }[],
          raw: json(r['raw']),
          rawText: (r['raw_text'] as string | null) ?? null,
          firstSeenAt: iso(r['first_seen_at']) ?? '',
          lastSeenAt: iso(r['last_seen_at']) ?? '',
          seenCount: Number(r['seen_count']),
          resolvedAt: iso(r['resolved_at']),
        })),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/quarantine/replay',
    summary: "Run a source's open quarantine entries (or the named ones) through the pipeline again",
    tag: 'quarantine',
    role: 'operator',
    body: z.object({ source: z.string().min(1), keys: z.array(z.string().min(1)).min(1).optional() }),
    response: z.object({ sourceId: z.string(), replayed: z.number(), stored: z.number(), stillQuarantined: z.number(), notReplayable: z.array(z.string()) }),
    handler: (_c, { body }, deps) => replayQuarantine(deps.ledger, deps.config, mappingOf(deps.mapping), { sourceId: body.source, ...(body.keys ? { keys: body.keys } : {}) }),
  }),
];
