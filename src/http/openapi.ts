/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests
 * (zod 4's `z.toJSONSchema`), so the document cannot drift from what the API accepts.
 */
import { z } from 'zod';
import type { Route } from './route.ts';

const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string().describe('snake_case error code, e.g. not_found, validation_error, unauthorized'),
    message: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('every validation issue with its path'),
    requestId: z.string(),
  }),
});

const toSchema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): object[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

export interface ExtraPath {
  path: string;
  method: string;
  operation: object;
}

/**
 * @example
 * app.get('/openapi.json', (c) => c.json(openApiDocument(routes)));
 */
export function openApiDocument(routes: Route[], extra: ExtraPath[] = []): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const operation: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      responses: {
        [String(r.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: toSchema(r.response, 'output') } } },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (r.role !== 'public') {
      operation['security'] = [{ apiKey: [] }];
      operation['x-role'] = r.role;
    }
    if (r.body) operation['requestBody'] = { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } };
    (paths[path] ??= {})[r.method] = operation;
  }
  for (const e of extra) (paths[e.path] ??= {})[e.method] = e.operation;
  return {
    openapi: '3.1.0',
    info: { title: 'lienthong API', version: '1', description: 'Operations API of the lienthong gateway. Keys: `lienthong apikey create`; roles viewer < operator < admin; viewers see personal data masked.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key from `lienthong apikey create`' } },
      schemas: { Error: toSchema(ErrorEnvelopeSchema, 'output') },
    },
    paths,
  };
}
