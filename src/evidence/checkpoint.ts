/**
 * Signed checkpoints: each target's chain head (seq, hash), signed with the gateway's key. Written
 * at the end of every run and at least daily by `serve`; a head already signed is not signed again.
 */
import type { Ledger } from '../ledger/db.ts';
import { chainHeads, checkpointsOf as selectCheckpoints, insertCheckpoint, signedRecently, type CheckpointRow } from '../ledger/evidence.ts';
import { signCheckpoint, type SigningKey } from './keys.ts';

export type Checkpoint = CheckpointRow;

export type CheckpointReason = 'run' | 'daily' | 'export' | 'manual';

/**
 * Signs the head of every chain (or of `targets`) that has receipts not yet covered by a checkpoint.
 * Returns the checkpoints written.
 */
export async function signHeads(ledger: Ledger, key: SigningKey, options: { reason: CheckpointReason; runId?: string | null; targets?: string[] }): Promise<Checkpoint[]> {
  const heads = await chainHeads(ledger);
  const out: Checkpoint[] = [];
  for (const h of heads) {
    if (options.targets && !options.targets.includes(h.target)) continue;
    const seq = h.seq;
    if (h.signedSeq !== null && h.signedSeq >= seq && options.reason !== 'daily') continue;
    // Daily: a chain that did not move is signed again only once a day (the signature dates it).
    if (h.signedSeq !== null && h.signedSeq >= seq && options.reason === 'daily' && (await signedRecently(ledger, h.target, seq))) continue;
    // Timestamps are stored with microseconds; the signed text has milliseconds: sign what is stored.
    const signedAt = new Date().toISOString();
    const { keyId, signature } = signCheckpoint(key, { target: h.target, seq, hash: h.hash, signedAt });
    out.push(await insertCheckpoint(ledger, { target: h.target, seq, hash: h.hash, signedAt, keyId, publicKey: key.publicKey, signature, reason: options.reason, runId: options.runId ?? null }));
  }
  return out;
}

/** Every checkpoint of a target, in chain order. */
export async function checkpointsOf(ledger: Ledger, target: string): Promise<Checkpoint[]> {
  return selectCheckpoints(ledger, target);
}
