/**
 * API keys: `lt_` + 32 random bytes (base64url). Only the SHA-256 of a key is stored; the key
 * itself is shown once, when it is created. Web Crypto only, so this runs on any runtime.
 */
import { sql } from 'drizzle-orm';
import { GatewayError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
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
  const [row] = await ledger.rows<Record<string, unknown>>(sql`
    insert into api_keys (id, name, role, key_hash, key_prefix) values (${id}::uuid, ${name}, ${input.role}, ${await hashKey(key)}, ${key.slice(0, 7)})
    returning id, name, role, key_prefix, created_at, last_used_at, revoked_at`);
  return { key, info: toInfo(row ?? {}) };
}

function toInfo(r: Record<string, unknown>): ApiKeyInfo {
  return {
    id: String(r['id']),
    name: String(r['name']),
    role: String(r['role']) as Role,
    prefix: String(r['key_prefix']),
    createdAt: new Date(String(r['created_at'])).toISOString(),
    lastUsedAt: r['last_used_at'] ? new Date(String(r['last_used_at'])).toISOString() : null,
    revokedAt: r['revoked_at'] ? new Date(String(r['revoked_at'])).toISOString() : null,
  };
}

export async function listApiKeys(ledger: Ledger, opts: { includeRevoked?: boolean } = {}): Promise<ApiKeyInfo[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select id, name, role, key_prefix, created_at, last_used_at, revoked_at from api_keys
    where ${opts.includeRevoked ?? false} or revoked_at is null order by created_at, name`);
  return rows.map(toInfo);
}

/** Revokes by id or by name; returns how many keys it revoked. */
export async function revokeApiKey(ledger: Ledger, idOrName: string): Promise<number> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const rows = await ledger.rows(sql`update api_keys set revoked_at = now()
    where revoked_at is null and ${isUuid ? sql`id = ${idOrName}::uuid` : sql`name = ${idOrName}`} returning id`);
  return rows.length;
}

/** The active key with this value, or null. Marks it used (at most once a minute). */
export async function findApiKey(ledger: Ledger, key: string): Promise<ApiKeyIdentity | null> {
  const rows = await ledger.rows<{ id: string; name: string; role: string; key_prefix: string }>(sql`
    update api_keys set last_used_at = case when last_used_at is null or last_used_at < now() - interval '1 minute' then now() else last_used_at end
    where key_hash = ${await hashKey(key)} and revoked_at is null returning id, name, role, key_prefix`);
  const r = rows[0];
  return r && isRole(r.role) ? { id: String(r.id), name: r.name, role: r.role, prefix: r.key_prefix } : null;
}
