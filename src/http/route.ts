/**
 * Routes declared once, with zod schemas for their path parameters, query, body and answer: the
 * same declaration validates requests (every issue listed with its path), checks the caller's
 * role, masks personal data for viewers, and feeds the OpenAPI document (`/openapi.json`).
 */
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { zodIssues } from '../dossier/index.ts';
import { maskPersonalData } from '../privacy.ts';
import { requireRole } from './auth.ts';
import type { AppDeps, AppEnv, Role } from './types.ts';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteInput<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
}

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  method: 'get' | 'post' | 'delete';
  /** Hono path, e.g. `/api/v1/dossiers/:code`. */
  path: string;
  summary: string;
  tag: string;
  /** Least role allowed; `public` = no key. */
  role: Role | 'public';
  params?: P;
  query?: Q;
  body?: B;
  /** Schema of the successful answer (documentation; answers are built by typed code). */
  response: z.ZodType;
  status?: 200 | 201 | 202;
  handler(c: Context<AppEnv>, input: RouteInput<P, Q, B>, deps: AppDeps): Promise<unknown>;
}

export type Route = RouteSpec<AnyObject, AnyObject, z.ZodType>;

/**
 * Declares a route with typed input.
 *
 * @example
 * export const listRuns = defineRoute({
 *   method: 'get', path: '/api/v1/runs', summary: 'List runs', tag: 'runs', role: 'viewer',
 *   query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
 *   response: z.array(RunSchema),
 *   handler: (c, { query }, deps) => listRunRows(deps.ledger, query.limit),
 * });
 */
export function defineRoute<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodUnknown>(
  spec: RouteSpec<P, Q, B>,
): Route {
  return spec as unknown as Route;
}

function parseOrThrow(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return {};
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`invalid ${where}`, zodIssues(parsed.error, where));
  return parsed.data;
}

/** Adds the routes to the app: role check, validation, masking for viewers, JSON answer. */
export function mountRoutes(app: Hono<AppEnv>, routes: Route[], deps: AppDeps): void {
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, requireRole(route.role, deps), async (c) => {
      const params = parseOrThrow(route.params, c.req.param(), 'params');
      const query = parseOrThrow(route.query, c.req.query(), 'query');
      let body: unknown = {};
      if (route.body) {
        const raw = await c.req.json().catch(() => {
          throw new ValidationError('invalid body', [{ path: 'body', message: 'the body is not valid JSON' }]);
        });
        body = parseOrThrow(route.body, raw, 'body');
      }
      const result = await route.handler(c, { params, query, body } as RouteInput<AnyObject, AnyObject, z.ZodType>, deps);
      // A file (report download) is answered as built: its route masks a viewer's copy itself.
      if (result instanceof Response) return result;
      const key = c.get('apiKey');
      const shown = key?.role === 'viewer' ? maskPersonalData(result) : result;
      return c.json(shown as object, route.status ?? 200);
    });
  }
}
