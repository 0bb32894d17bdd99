/**
 * API keys, for administrators (the CLI `lienthong apikey` does the same).
 */
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../api-keys.ts';
import { httpError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import { ROLES } from '../types.ts';

const KeyInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const apiKeyRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/api-keys',
    summary: 'Active API keys (never the keys themselves)',
    tag: 'api-keys',
    role: 'admin',
    response: z.object({ keys: z.array(KeyInfoSchema) }),
    handler: async (_c, _i, deps) => ({ keys: await listApiKeys(deps.ledger) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/api-keys',
    summary: 'Create a key; the answer is the only time the key is shown',
    tag: 'api-keys',
    role: 'admin',
    status: 201,
    body: z.object({ name: z.string().min(1), role: z.enum(ROLES) }),
    response: z.object({ key: z.string(), info: KeyInfoSchema }),
    handler: (_c, { body }, deps) => createApiKey(deps.ledger, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/api-keys/:id',
    summary: 'Revoke a key',
    tag: 'api-keys',
    role: 'admin',
    params: z.object({ id: z.uuid() }),
    response: z.object({ revoked: z.number().int() }),
    handler: async (_c, { params }, deps) => {
      const revoked = await revokeApiKey(deps.ledger, params.id);
      if (!revoked) throw httpError(404, 'not_found', `no active API key ${params.id}`);
      return { revoked };
    },
  }),
];
