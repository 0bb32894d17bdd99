/**
 * The intake's tables (src/intake): open quarantine entries read back for a replay and resolved,
 * and the signatures of accepted pushes kept until their replay window ends.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from './db.ts';
import { textOrNull } from './rows.ts';
import { textArray } from './sql-helpers.ts';

export interface OpenQuarantineRow {
  recordKey: string;
  location: string | null;
  /** The stored raw record (jsonb: parsed by the driver); null when the line was never parsable (nothing to replay). */
  raw: unknown;
}

/** Open (unresolved) quarantine entries of a source, oldest first; `keys` keeps those record keys only. */
export async function openQuarantine(ledger: Ledger, sourceId: string, keys?: readonly string[]): Promise<OpenQuarantineRow[]> {
  const rows = await ledger.rows<{ record_key: unknown; location: unknown; raw: unknown }>(sql`
    select record_key, location, raw from quarantine
    where source_id = ${sourceId} and resolved_at is null
      and (${keys ? 1 : 0} = 0 or record_key = any(${textArray(keys ?? [])}))
    order by id`);
  return rows.map((r) => ({ recordKey: String(r.record_key), location: textOrNull(r.location), raw: r.raw ?? null }));
}

/** Resolves the open quarantine entries of a source with these record keys (now valid). */
export async function resolveQuarantine(ledger: Ledger, sourceId: string, keys: readonly string[]): Promise<void> {
  await ledger.rows(sql`update quarantine set resolved_at = now() where source_id = ${sourceId} and resolved_at is null
    and record_key = any(${textArray(keys)})`);
}

/**
 * Drops the signatures whose window ended before `now`, then keeps this one; false when it was
 * already kept (the same push received twice inside its window).
 */
export async function insertSignature(ledger: Ledger, s: { sourceId: string; signature: string; now: Date; expiresAt: Date }): Promise<boolean> {
  const now = s.now.toISOString();
  await ledger.rows(sql`delete from intake_signatures where expires_at < ${now}::timestamptz`);
  const rows = await ledger.rows(sql`
    insert into intake_signatures (source_id, signature, seen_at, expires_at)
    values (${s.sourceId}, ${s.signature}, ${now}::timestamptz, ${s.expiresAt.toISOString()}::timestamptz)
    on conflict (source_id, signature) do nothing returning 1 as ok`);
  return rows.length > 0;
}

/** Forgets one kept signature. */
export async function deleteSignature(ledger: Ledger, sourceId: string, signature: string): Promise<void> {
  await ledger.rows(sql`delete from intake_signatures where source_id = ${sourceId} and signature = ${signature}`);
}
