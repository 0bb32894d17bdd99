/**
 * Dossiers: search by code, unit, status, source and reception date; one dossier with its
 * deliveries and receipts.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDossierDetail } from '../../ledger/queries.ts';
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

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());
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
      const code = q.code?.normalize('NFC') ?? null;
      const prefix = code?.endsWith('*') ? code.slice(0, -1).replace(/[\\%_]/g, (m) => `\\${m}`) + '%' : null;
      const rows = await deps.ledger.rows<Record<string, unknown>>(sql`
        select d.source_id, d.code, d.unit_code, d.procedure_code, d.status, d.received_at, d.due_at, d.finished_at, d.version, d.updated_at,
          coalesce((select jsonb_agg(jsonb_build_object('targetId', q.target_id, 'status', q.status) order by q.target_id)
                    from deliveries q where q.dossier_id = d.id), '[]'::jsonb) as deliveries
        from dossiers d
        where (${prefix ? null : code}::text is null or d.code = ${prefix ? null : code})
          and (${prefix}::text is null or d.code like ${prefix})
          and (${q.unit ?? null}::text is null or d.unit_code = ${q.unit ?? null})
          and (${q.status ?? null}::int is null or d.status = ${q.status ?? null})
          and (${q.source ?? null}::text is null or d.source_id = ${q.source ?? null})
          and (${q.from ?? null}::date is null or d.received_at >= (${q.from ?? null}::date)::timestamp at time zone 'Asia/Ho_Chi_Minh')
          and (${q.to ?? null}::date is null or d.received_at < (${q.to ?? null}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')
        order by d.received_at desc nulls last, d.id desc limit ${q.limit} offset ${q.offset}`);
      return {
        limit: q.limit,
        offset: q.offset,
        dossiers: rows.map((r) => ({
          sourceId: String(r['source_id']),
          code: String(r['code']),
          unitCode: (r['unit_code'] as string | null) ?? null,
          procedureCode: String(r['procedure_code']),
          status: Number(r['status']),
          receivedAt: iso(r['received_at']),
          dueAt: iso(r['due_at']),
          finishedAt: iso(r['finished_at']),
          version: Number(r['version']),
          updatedAt: iso(r['updated_at']) ?? '',
          deliveries: (typeof r['deliveries'] === 'string' ? JSON.parse(r['deliveries']) : r['deliveries']) as { targetId: string; status: string }[],
        })),
      };
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
