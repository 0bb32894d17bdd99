/**
 * Quarantine: rejected records with every issue; replay them through the pipeline.
 */
import { z } from 'zod';
import { quarantinePage } from '../../ledger/queries.ts';
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
      return { entries: await quarantinePage(deps.ledger, { sourceId: q.source, all: q.all === 'true', limit: q.limit, offset: q.offset }) };
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
