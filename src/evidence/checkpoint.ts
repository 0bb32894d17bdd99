/**
 * Signed checkpoints: each target's chain head (seq, hash), signed with the gateway's key. Written
 * at the end of every run and at least daily by `serve`; a head already signed is not signed again.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from '../ledger/db.ts';
import { signCheckpoint, type SigningKey } from './keys.ts';

export interface Checkpoint {
  id: number;
  target: string;
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  publicKey: string;
  signature: string;
  reason: string;
}

export type CheckpointReason = 'run' | 'daily' | 'export' | 'manual';

/** An instant as the evidence writes it: ISO 8601 UTC with milliseconds. */
export const isoSql = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

function toCheckpoint(r: Record<string, unknown>): Checkpoint {
  return {
    id: Number(r['id']),
    target: String(r['target_id']),
    seq: Number(r['seq']),
    hash: String(r['hash']),
    signedAt: String(r['signed_at_iso']),
    keyId: String(r['key_id']),
    publicKey: String(r['public_key']),
    signature: String(r['signature']),
    reason: String(r['reason']),
  };
}

const CHECKPOINT_COLUMNS = sql`id, target_id, seq, hash, ${isoSql('signed_at')} as signed_at_iso, key_id, public_key, signature, reason`;

/**
 * Signs the head of every chain (or of `targets`) that has receipts not yet covered by a checkpoint.
 * Returns the checkpoints written.
 */
export async function signHeads(ledger: Ledger, key: SigningKey, options: { reason: CheckpointReason; runId?: string | null; targets?: string[] }): Promise<Checkpoint[]> {
  const heads = await ledger.rows<{ target_id: string; seq: number | string; hash: string; signed: number | string | null }>(sql`
    select h.target_id, h.seq, h.hash, (select max(c.seq) from evidence_checkpoints c where c.target_id = h.target_id) as signed
    from evidence_heads h where h.seq > 0 order by h.target_id`);
  const out: Checkpoint[] = [];
  for (const h of heads) {
    if (options.targets && !options.targets.includes(h.target_id)) continue;
    const seq = Number(h.seq);
    if (h.signed !== null && Number(h.signed) >= seq && options.reason !== 'daily') continue;
    if (h.signed !== null && Number(h.signed) >= seq && options.reason === 'daily') {
      // Daily: a chain that did not move is signed again only once a day (the signature dates it).
      const [recent] = await ledger.rows<{ n: number }>(sql`select count(*)::int as n from evidence_checkpoints
        where target_id = ${h.target_id} and seq = ${seq} and signed_at > now() - interval '23 hours'`);
      if ((recent?.n ?? 0) > 0) continue;
    }
    // Timestamps are stored with microseconds; the signed text has milliseconds: sign what is stored.
    const signedAt = new Date().toISOString();
    const { keyId, signature } = signCheckpoint(key, { target: h.target_id, seq, hash: h.hash, signedAt });
    const [row] = await ledger.rows<Record<string, unknown>>(sql`insert into evidence_checkpoints
        (target_id, seq, hash, signed_at, key_id, public_key, signature, reason, run_id)
      values (${h.target_id}, ${seq}, ${h.hash}, ${signedAt}::timestamptz, ${keyId}, ${key.publicKey}, ${signature}, ${options.reason}, ${options.runId ?? null}::uuid)
      returning ${CHECKPOINT_COLUMNS}`);
    out.push(toCheckpoint(row!));
  }
  return out;
}

/** Every checkpoint of a target, in chain order. */
export async function checkpointsOf(ledger: Ledger, target: string): Promise<Checkpoint[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`select ${CHECKPOINT_COLUMNS} from evidence_checkpoints
    where target_id = ${target} order by seq, id`);
  return rows.map(toCheckpoint);
}
