/**
 * API keys: `lt_` + 32 random bytes (base64url). Only the SHA-256 of a key is stored; the key
 * itself is shown once, when it is created. Web Crypto only, so this runs on any runtime.
 */
import { GatewayError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { insertApiKey, revokeApiKeys, selectApiKeys, useApiKey, type ApiKeyRow } from '../ledger/api-keys.ts';
import { ROLES, type ApiKeyIdentity, type Role } from './types.ts';

export interface ApiKeyInfo extends ApiKeyIdentity {
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** SHA-256 of a key, hex. */
export async function hashKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * Creates a key and returns it (the only time it is available).
 *
 * @example
 * const { key } = await createApiKey(ledger, { name: 'grafana', role: 'viewer' });
 * // Authorization: Bearer <key>
 */
export async function createApiKey(ledger: Ledger, input: { name: string; role: string }): Promise<{ key: string; info: ApiKeyInfo }> {
  const name = input.name.trim();
  if (!name) throw new GatewayError('invalid_name', 'an API key needs a name (--name)', { status: 400 });
  if (!isRole(input.role)) throw new GatewayError('invalid_role', `role must be one of ${ROLES.join(', ')} (got "${input.role}")`, { status: 400 });
  const key = `lt_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
  const id = crypto.randomUUID();
  const row = await insertApiKey(ledger, { id, name, role: input.role, hash: await hashKey(key), prefix: key.slice(0, 7) });
  return { key, info: toInfo(row) };
}

function toInfo(r: ApiKeyRow): ApiKeyInfo {
  return { ...r, role: r.role as Role };
}

export async function listApiKeys(ledger: Ledger, opts: { includeRevoked?: boolean } = {}): Promise<ApiKeyInfo[]> {
  return (await selectApiKeys(ledger, opts)).map(toInfo);
}

/** Revokes by id or by name; returns how many keys it revoked. */
export async function revokeApiKey(ledger: Ledger, idOrName: string): Promise<number> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  return revokeApiKeys(ledger, isUuid ? { id: idOrName } : { name: idOrName });
}

/** The active key with this value, or null. Marks it used (at most once a minute). */
export async function findApiKey(ledger: Ledger, key: string): Promise<ApiKeyIdentity | null> {
  const r = await useApiKey(ledger, await hashKey(key));
  return r && isRole(r.role) ? { id: r.id, name: r.name, role: r.role, prefix: r.prefix } : null;
}
