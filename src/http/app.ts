/**
 * The HTTP app of `lienthong serve`: the API under `/api/v1`, webhook intake at `/ingest/{id}`,
 * `/healthz`, `/readyz`, `/metrics` and `/openapi.json`. Built by a factory from its dependencies
 * and free of Node-only imports, so another runtime can host it.
 */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { ping } from '../ledger/queries.ts';
import { mountIntake } from './routes/intake.ts';
import { capText } from '../privacy.ts';
import { requestBodyLimit } from './body-limit.ts';
import { httpError, renderError } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { mountRoutes, type Route } from './route.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { deliveryRoutes } from './routes/deliveries.ts';
import { dossierRoutes } from './routes/dossiers.ts';
import { quarantineRoutes } from './routes/quarantine.ts';
import { runRoutes } from './routes/runs.ts';
import { sourceRoutes } from './routes/sources.ts';
import type { AppDeps, AppEnv } from './types.ts';

/** Every API route; a module that adds routes (reports, reconciliations) adds one entry here. */
export function apiRoutes(extra: Route[] = []): Route[] {
  return [...sourceRoutes, ...runRoutes, ...dossierRoutes, ...quarantineRoutes, ...deliveryRoutes, ...apiKeyRoutes, ...extra];
}

const INTAKE_DOC = {
  path: '/ingest/{sourceId}',
  method: 'post',
  operation: {
    summary: 'Webhook intake: a local system pushes dossiers (portal record format, one object or an array)',
    tags: ['intake'],
    description:
      'Signed with HMAC-SHA256 over `<timestamp>.<body>` — the exact bytes received — with the source\'s secret: headers `X-Lienthong-Timestamp` (Unix seconds, within the replay window) and `X-Lienthong-Signature: sha256=<hex>`. A signature is accepted once: a replay within the window is refused (409). The body must be UTF-8 JSON. Answered only once the records are durably stored; a record older than the version already stored is kept apart and answered as stale, never applied.',
    parameters: [{ name: 'sourceId', in: 'path', required: true, schema: { type: 'string' } }],
    requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] } } } },
    responses: {
      '200': {
        description: 'stored (valid records) and quarantined (invalid ones)',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['sourceId', 'received', 'new', 'changed', 'unchanged', 'quarantined', 'restored', 'stale', 'staleCodes', 'rejected'],
              properties: {
                sourceId: { type: 'string' },
                received: { type: 'integer' },
                new: { type: 'integer' },
                changed: { type: 'integer' },
                unchanged: { type: 'integer' },
                quarantined: { type: 'integer' },
                restored: { type: 'integer', description: 'soft-deleted dossiers this push brought back (counted in changed too)' },
                stale: { type: 'integer', description: 'records older than the stored version: kept apart, never applied' },
                staleCodes: { type: 'array', items: { type: 'string' } },
                rejected: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, location: { type: 'string' }, issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } } } },
              },
            },
          },
        },
      },
      '400': { description: 'the body is not UTF-8 or not JSON', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      '401': { description: 'missing or wrong signature, or a timestamp outside the replay window', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      '403': { description: 'records of units this source may not write (nothing stored; every offending record listed)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      '404': { description: 'no source of this id accepts pushes', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      '409': { description: 'replayed_push: this signature was already accepted within the replay window', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      '413': { description: 'the body is larger than server.bodyLimitBytes, or has more records than the source allows', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  },
};

/**
 * @example
 * const app = createApp({ ledger, config, env: process.env, logger: createLogger() });
 * const res = await app.request('/api/v1/runs', { headers: { authorization: `Bearer ${key}` } });
 */
export function createApp(deps: AppDeps, extraRoutes: Route[] = []): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const routes = apiRoutes(extraRoutes);

  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(async (c, next) => {
    const log = deps.logger.child({ requestId: c.get('requestId') });
    c.set('log', log);
    c.set('apiKey', undefined);
    const started = Date.now();
    await next();
    const path = new URL(c.req.url).pathname;
    if (path !== '/healthz' && path !== '/metrics') {
      const key = c.get('apiKey');
      // Only the start of a path is logged (a hostile path can be as long as the server lets a URL be).
      log.info({ method: c.req.method, path: capText(path, 200), status: c.res.status, ms: Date.now() - started, apiKeyName: key?.name, apiKeyPrefix: key?.prefix }, 'request');
    }
  });
  // Before every route (and the dashboard mounted on this app): no handler reads a larger body.
  app.use(requestBodyLimit(deps.config.server.bodyLimitBytes));
  app.onError(renderError);
  app.notFound((c) => renderError(httpError(404, 'not_found', 'no such route (see /openapi.json)'), c));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await ping(deps.ledger);
    } catch (cause) {
      c.get('log').warn({ err: cause }, 'database not ready');
      throw httpError(503, 'not_ready', 'the database is not reachable');
    }
    return c.json({ status: 'ready', database: deps.ledger.kind });
  });
  app.get('/metrics', async (c) => {
    if (!deps.metrics) throw httpError(404, 'not_found', 'metrics are not enabled');
    return c.text(await deps.metrics(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  const doc = openApiDocument(routes, [INTAKE_DOC]);
  app.get('/openapi.json', (c) => c.json(doc));

  mountRoutes(app, routes, deps);
  mountIntake(app, deps);
  return app;
}
