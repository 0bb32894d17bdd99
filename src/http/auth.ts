/**
 * API key authentication (`Authorization: Bearer <key>`) and role checks:
 * viewer < operator < admin. Viewers see citizen ID numbers, phones and e-mails masked.
 */
import type { MiddlewareHandler } from 'hono';
import { findApiKey } from './api-keys.ts';
import { httpError } from './errors.ts';
import type { AppDeps, AppEnv, Role } from './types.ts';

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/**
 * @example
 * app.post('/api/v1/deliveries/retry', requireRole('operator', deps), handler);
 */
export function requireRole(role: Role | 'public', deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (role === 'public') return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw httpError(401, 'unauthorized', 'an API key is required: Authorization: Bearer <key> (create one with `lienthong apikey create`)');
    const key = await findApiKey(deps.ledger, match[1]);
    if (!key) throw httpError(401, 'unauthorized', 'the API key is unknown or revoked');
    c.set('apiKey', key);
    c.get('log').debug({ apiKeyName: key.name, apiKeyPrefix: key.prefix, role: key.role }, 'authenticated');
    if (RANK[key.role] < RANK[role]) throw httpError(403, 'forbidden', `this action needs the ${role} role (the key "${key.name}" is ${key.role})`);
    return next();
  };
}
