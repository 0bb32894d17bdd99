/**
 * Deliveries (the outbox): list by status and target; send dead ones again.
 */
import { z } from 'zod';
import { DELIVERY_STATUSES, listDeliveries, retryDeliveries } from '../../outbox/manage.ts';
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

export const deliveryRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/deliveries',
    summary: 'Deliveries, most recently changed first',
    tag: 'deliveries',
    role: 'viewer',
    query: z.object({
      status: z.enum(DELIVERY_STATUSES).optional(),
      target: z.string().optional(),
      source: z.string().optional(),
      dossier: z.string().optional().describe('a dossier code (MaHoSo)'),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    response: z.object({ deliveries: z.array(DeliverySchema) }),
    handler: async (_c, { query: q }, deps) => ({ deliveries: await listDeliveries(deps.ledger, q, { limit: q.limit, offset: q.offset }) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/deliveries/retry',
    summary: 'Send dead deliveries again (all, one target, or the listed ids); the next run or worker picks them up',
    tag: 'deliveries',
    role: 'operator',
    body: z.object({ target: z.string().optional(), dossier: z.string().optional().describe('a dossier code (MaHoSo)'), ids: z.array(z.number().int().positive()).min(1).optional() }),
    response: z.object({ requeued: z.number().int() }),
    handler: async (_c, { body }, deps) => ({ requeued: (await retryDeliveries(deps.ledger, body)).requeued }),
  }),
];
