/**
 * Deliveries (the outbox): list by status and target; send dead ones again.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineRoute } from '../route.ts';

const DeliverySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  sourceId: z.string(),
  targetId: z.string(),
  status: z.string().describe('pending | delivered | dead'),
  version: z.number().int(),
  deliveredVersion: z.number().int().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  updatedAt: z.string(),
});

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

export const deliveryRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/deliveries',
    summary: 'Deliveries, most recently changed first',
    tag: 'deliveries',
    role: 'viewer',
    query: z.object({
      status: z.enum(['pending', 'delivered', 'dead']).optional(),
      target: z.string().optional(),
      source: z.string().optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    response: z.object({ deliveries: z.array(DeliverySchema) }),
    handler: async (_c, { query: q }, deps) => {
      const rows = await deps.ledger.rows<Record<string, unknown>>(sql`
        select q.id, d.code, d.source_id, q.target_id, q.status, q.version, q.delivered_version, q.attempts, q.next_attempt_at,
               q.last_error, q.delivered_at, q.updated_at
        from deliveries q join dossiers d on d.id = q.dossier_id
        where (${q.status ?? null}::text is null or q.status = ${q.status ?? null})
          and (${q.target ?? null}::text is null or q.target_id = ${q.target ?? null})
          and (${q.source ?? null}::text is null or d.source_id = ${q.source ?? null})
        order by q.updated_at desc, q.id desc limit ${q.limit} offset ${q.offset}`);
      return {
        deliveries: rows.map((r) => ({
          id: Number(r['id']),
          code: String(r['code']),
          sourceId: String(r['source_id']),
          targetId: String(r['target_id']),
          status: String(r['status']),
          version: Number(r['version']),
          deliveredVersion: r['delivered_version'] === null ? null : Number(r['delivered_version']),
          attempts: Number(r['attempts']),
          nextAttemptAt: iso(r['next_attempt_at']) ?? '',
          lastError: (r['last_error'] as string | null) ?? null,
          deliveredAt: iso(r['delivered_at']),
          updatedAt: iso(r['updated_at']) ?? '',
        })),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/deliveries/retry',
    summary: 'Send dead deliveries again (all, one target, or the listed ids); the next run or worker picks them up',
    tag: 'deliveries',
    role: 'operator',
    body: z.object({ target: z.string().optional(), ids: z.array(z.number().int().positive()).min(1).optional() }),
    response: z.object({ requeued: z.number().int() }),
    handler: async (_c, { body }, deps) => {
      const rows = await deps.ledger.rows(sql`
        update deliveries set status = 'pending', attempts = 0, next_attempt_at = now(), lease_owner = null, lease_until = null, updated_at = now()
        where status = 'dead'
          and (${body.target ?? null}::text is null or target_id = ${body.target ?? null})
          and (${body.ids ? 1 : 0} = 0 or id in (select (jsonb_array_elements_text(${JSON.stringify(body.ids ?? [])}::jsonb))::bigint))
        returning id`);
      return { requeued: rows.length };
    },
  }),
];
