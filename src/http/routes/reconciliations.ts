/**
 * Reconciliations (issue #5) over the API: run one, list the history, show or download one.
 * Node-side (portal look-ups, XLSX): `serve` passes these routes to `createApp`.
 */
import { z } from 'zod';
import { listReconciliations, loadReconciliation } from '../../reconcile/history.ts';
import { toCsv, toHtml, toXlsx } from '../../reconcile/report-formats.ts';
import { reconcile } from '../../reconcile/run.ts';
import { defineRoute } from '../route.ts';
import { download, FORMATS } from './download.ts';
import { maskPersonalData } from '../../privacy.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const reconciliationRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/reconciliations',
    summary: 'Reconciliation history, newest first',
    tag: 'reconciliations',
    role: 'viewer',
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    response: z.object({ reconciliations: z.array(z.unknown()) }),
    handler: async (_c, { query }, deps) => ({ reconciliations: await listReconciliations(deps.ledger, query.limit) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/reconciliations/:id',
    summary: 'One reconciliation: counts per unit × bucket and every differing dossier with its reason (JSON, CSV, HTML or XLSX)',
    tag: 'reconciliations',
    role: 'viewer',
    params: z.object({ id: z.string().regex(/^[0-9a-f-]{4,36}$/i, 'a reconciliation id (or a unique prefix)') }),
    query: z.object({ format: z.enum(FORMATS).default('json') }),
    response: z.unknown(),
    handler: async (c, { params, query }, deps) => {
      const loaded = await loadReconciliation(deps.ledger, params.id);
      // Files are answered as built, so a viewer's copy is masked here (differing fields may be a CCCD or a phone).
      const report = c.get('apiKey')?.role === 'viewer' ? maskPersonalData(loaded) : loaded;
      const name = `doi-soat-${report.id.slice(0, 8)}`;
      if (query.format === 'json') return report;
      if (query.format === 'csv') return download('csv', name, toCsv(report));
      if (query.format === 'html') return download('html', name, toHtml(report));
      return download('xlsx', name, new Uint8Array(await toXlsx(report)));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/reconciliations',
    summary: 'Run a reconciliation now (source ⇄ ledger ⇄ deliveries ⇄ portal) and store it',
    tag: 'reconciliations',
    role: 'operator',
    status: 201,
    body: z.object({
      target: z.string().min(1),
      from: day,
      to: day,
      sources: z.array(z.string().min(1)).min(1).optional(),
      unit: z.string().optional(),
      deep: z.boolean().default(false),
      maxLookups: z.number().int().min(0).max(100_000).optional(),
    }),
    response: z.object({ id: z.string(), exitCode: z.number(), differences: z.number(), counts: z.array(z.unknown()) }),
    handler: async (c, { body }, deps) => {
      const report = await reconcile(deps.ledger, deps.config, {
        targetId: body.target,
        from: body.from,
        to: body.to,
        deep: body.deep,
        env: deps.env,
        createdBy: `api:${c.get('apiKey')?.name ?? 'unknown'}`,
        ...(body.sources ? { sourceIds: body.sources } : {}),
        ...(body.unit ? { unit: body.unit } : {}),
        ...(body.maxLookups !== undefined ? { maxLookups: body.maxLookups } : {}),
      });
      return { id: report.id, exitCode: report.exitCode, differences: report.differences.length, counts: report.counts.filter((r) => r.differs) };
    },
  }),
];
