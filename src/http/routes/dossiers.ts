/**
 * Dossiers: search by code, unit, status, source and reception date; one dossier with its
 * deliveries and receipts.
 */
import { z } from 'zod';
import { getDossierDetail, searchDossiers } from '../../ledger/queries.ts';
import { httpError } from '../errors.ts';
import { defineRoute } from '../route.ts';

const DossierRowSchema = z.object({
  sourceId: z.string(),
  code: z.string().describe('MaHoSo'),
  unitCode: z.string().nullable(),
  procedureCode: z.string(),
  status: z.number().int().describe('TrangThaiHoSo 1–10'),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
  deliveries: z.array(z.object({ targetId: z.string(), status: z.string() })),
});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const dossierRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/dossiers',
    summary: 'Search dossiers (received dates are Vietnam local days, inclusive)',
    tag: 'dossiers',
    role: 'viewer',
    query: z.object({
      code: z.string().optional().describe('exact MaHoSo, or a prefix ending in *'),
      unit: z.string().optional(),
      status: z.coerce.number().int().min(1).max(10).optional(),
      source: z.string().optional(),
      from: day.optional(),
      to: day.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    response: z.object({ dossiers: z.array(DossierRowSchema), limit: z.number(), offset: z.number() }),
    handler: async (_c, { query: q }, deps) => {
      return { limit: q.limit, offset: q.offset, dossiers: await searchDossiers(deps.ledger, q) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/dossiers/:code',
    summary: 'One dossier (every source holding the code): canonical, raw, deliveries, receipts',
    tag: 'dossiers',
    role: 'viewer',
    params: z.object({ code: z.string().min(1) }),
    response: z.object({ code: z.string(), versions: z.array(z.unknown()) }),
    handler: async (_c, { params }, deps) => {
      const versions = await getDossierDetail(deps.ledger, params.code);
      if (!versions.length) throw httpError(404, 'not_found', `no dossier ${params.code} in the ledger`);
      return { code: params.code, versions };
    },
  }),
];
