/**
 * The `api_keys` table: stored rows only (the SHA-256 of a key, never the key). Creating keys,
 * roles and hashing live in src/http/api-keys.ts.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from './db.ts';
import { isoOf, isoOrNull } from './rows.ts';

export interface ApiKeyRow {
  id: string;
  name: string;
  /** As stored; the caller checks it is a known role. */
  role: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type Raw = Record<'id' | 'name' | 'role' | 'key_prefix' | 'created_at' | 'last_used_at' | 'revoked_at', unknown>;

const toRow = (r: Raw): ApiKeyRow => ({
  id: String(r.id),
  name: String(r.name),
  role: String(r.role),
  prefix: String(r.key_prefix),
  createdAt: isoOf(r.created_at),
  lastUsedAt: isoOrNull(r.last_used_at),
  revokedAt: isoOrNull(r.revoked_at),
});

export async function insertApiKey(ledger: Ledger, key: { id: string; name: string; role: string; hash: string; prefix: string }): Promise<ApiKeyRow> {
  const [row] = await ledger.rows<Raw>(sql`
    insert into api_keys (id, name, role, key_hash, key_prefix) values (${key.id}::uuid, ${key.name}, ${key.role}, ${key.hash}, ${key.prefix})
    returning id, name, role, key_prefix, created_at, last_used_at, revoked_at`);
  if (!row) throw new Error('the API key was not stored');
  return toRow(row);
}

export async function selectApiKeys(ledger: Ledger, opts: { includeRevoked?: boolean } = {}): Promise<ApiKeyRow[]> {
  const rows = await ledger.rows<Raw>(sql`
    select id, name, role, key_prefix, created_at, last_used_at, revoked_at from api_keys
    where ${opts.includeRevoked ?? false} or revoked_at is null order by created_at, name`);
  return rows.map(toRow);
}

/** Revokes the active keys with this id (a UUID) or this name; returns how many. */
export async function revokeApiKeys(ledger: Ledger, by: { id: string } | { name: string }): Promise<number> {
  const rows = await ledger.rows(sql`update api_keys set revoked_at = now()
    where revoked_at is null and ${'id' in by ? sql`id = ${by.id}::uuid` : sql`name = ${by.name}`} returning id`);
  return rows.length;
}

/** The active key with this hash, marked used (at most once a minute), or null. */
export async function useApiKey(ledger: Ledger, hash: string): Promise<Pick<ApiKeyRow, 'id' | 'name' | 'role' | 'prefix'> | null> {
  const [r] = await ledger.rows<{ id: string; name: string; role: string; key_prefix: string }>(sql`
    update api_keys set last_used_at = case when last_used_at is null or last_used_at < now() - interval '1 minute' then now() else last_used_at end
    where key_hash = ${hash} and revoked_at is null returning id, name, role, key_prefix`);
  return r ? { id: String(r.id), name: String(r.name), role: String(r.role), prefix: String(r.key_prefix) } : null;
}
