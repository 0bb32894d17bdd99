/**
 * Replay refusal: the signature of every accepted push is kept in the ledger until its replay
 * window ends, so the same signed push is accepted once — by any of the `serve` processes sharing
 * one PostgreSQL. A push whose handling failed is forgotten again (the sender may retry it as is).
 */
import { GatewayError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { deleteSignature, insertSignature } from '../ledger/intake.ts';

/**
 * Records the signature; throws 409 `replayed_push` when it was already received.
 *
 * @example
 * await rememberSignature(ledger, { sourceId: 'hook', signature: 'ab12…', expiresAtMs: (ts + 300) * 1000, nowMs: Date.now() });
 */
export async function rememberSignature(ledger: Ledger, p: { sourceId: string; signature: string; expiresAtMs: number; nowMs: number }): Promise<void> {
  const kept = await insertSignature(ledger, { sourceId: p.sourceId, signature: p.signature, now: new Date(p.nowMs), expiresAt: new Date(p.expiresAtMs) });
  if (!kept) {
    throw new GatewayError('replayed_push', 'this push was already received (same signature inside the replay window): nothing was stored; to send the records again, sign them with a new timestamp', { status: 409 });
  }
}

/** Forgets a signature whose push was not stored (the sender may retry it unchanged). */
export async function forgetSignature(ledger: Ledger, sourceId: string, signature: string): Promise<void> {
  await deleteSignature(ledger, sourceId, signature);
}
