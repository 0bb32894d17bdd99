/**
 * `lienthong ledger verify`: walks every target's receipt chain and its checkpoints and names the
 * first receipt that does not verify. A deleted receipt leaves a gap in seq or a broken link; a
 * reordered one a broken link; an edited one a content hash that no longer matches. Receipts after
 * the last signed checkpoint (a run that crashed before signing) are the unsigned tail: reported as
 * such, not as tampering — they verify as a chain, only no signature covers them yet.
 */
import type { Ledger } from '../ledger/db.ts';
import { chainHead, evidenceTargets, insertVerificationRun, lastVerificationSummary, unchainedReceiptTotal } from '../ledger/evidence.ts';
import { answerProblem, checkpointSignatureValid, contentHashOf, decompressBody, decompressBytes, keyIdOf, linkHash, sha256Hex } from './canonical.ts';
import { checkpointsOf, type Checkpoint } from './checkpoint.ts';
import { walkChain, type ChainedReceipt } from './receipts-read.ts';

export interface ChainProblem {
  /** The receipt's position in its chain and its row id (null when the receipt is missing). */
  seq: number;
  receiptId: number | null;
  /** What does not verify: missing | link | content | body | answer | checkpoint | signature | head */
  place: string;
  detail: string;
}

export interface TargetVerification {
  target: string;
  receipts: number;
  checkpoints: number;
  lastSignedSeq: number;
  /** Receipts after the last checkpoint: verified as a chain, not yet signed. */
  unsignedTail: number;
  ok: boolean;
  problem: ChainProblem | null;
}

export interface LedgerVerification {
  ok: boolean;
  verifiedAt: string;
  targets: TargetVerification[];
  /** Receipts written before the evidence chain existed (migration 0007): not covered. */
  unchained: number;
}

/** What is wrong with one receipt's own content (not its place in the chain), or null. */
export function receiptContentProblem(r: ChainedReceipt, body: string | null): Omit<ChainProblem, 'seq' | 'receiptId'> | null {
  if (body === null) return { place: 'body', detail: 'the request body kept with it is missing or cannot be decompressed' };
  if (sha256Hex(body) !== r.bodyHash) return { place: 'body', detail: 'the request body kept with it does not match its body hash' };
  if (r.bodyHash !== r.requestHash && !body.includes('***')) return { place: 'body', detail: 'the request body differs from what was sent (its hash is not the request hash and no secret was masked)' };
  if (r.answer) {
    const bad = answerProblem(keptAnswerOf(r), r.answer);
    if (bad) return { place: 'answer', detail: bad };
  } else if (r.answerBody) return { place: 'answer', detail: 'an answer is kept with it but its content hash covers none' };
  if (contentHashOf(r) !== r.contentHash) return { place: 'content', detail: 'its content (service, status, error_code, message, timestamps, answer hash…) does not match its content hash' };
  return null;
}

function keptAnswerOf(r: ChainedReceipt): Buffer | null {
  if (!r.answerBody) return null;
  try {
    return decompressBytes(r.answerBody);
  } catch {
    return null;
  }
}

function bodyOf(r: ChainedReceipt): string | null {
  if (!r.requestBody) return null;
  try {
    return decompressBody(r.requestBody);
  } catch {
    return null;
  }
}

/** Whether a checkpoint's own signature holds, and (with `trusted`) whether its key is a published one. */
export function checkpointProblem(c: Pick<Checkpoint, 'target' | 'seq' | 'hash' | 'signedAt' | 'keyId' | 'publicKey' | 'signature'>, trusted?: string[]): string | null {
  if (keyIdOf(c.publicKey) !== c.keyId) return `checkpoint at seq ${c.seq}: its key id ${c.keyId} is not the id of its public key`;
  if (!checkpointSignatureValid(c, c.publicKey, c.signature)) return `checkpoint at seq ${c.seq} (signed ${c.signedAt}): the signature does not verify`;
  if (trusted && !trusted.includes(c.publicKey)) return `checkpoint at seq ${c.seq}: signed by key ${c.keyId}, which is not among the trusted public keys`;
  return null;
}

export async function verifyTarget(ledger: Ledger, target: string, trusted?: string[]): Promise<TargetVerification> {
  const checkpoints = await checkpointsOf(ledger, target);
  const bySeq = new Map<number, Checkpoint[]>();
  for (const c of checkpoints) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  const head = await chainHead(ledger, target);
  const result: TargetVerification = { target, receipts: 0, checkpoints: checkpoints.length, lastSignedSeq: 0, unsignedTail: 0, ok: true, problem: null };
  const fail = (p: ChainProblem): TargetVerification => ({ ...result, ok: false, problem: p });
  let expected = 1;
  let prev = '';
  for await (const r of walkChain(ledger, target)) {
    result.receipts++;
    if (r.seq !== expected) {
      return fail({ seq: expected, receiptId: null, place: 'missing', detail: `receipt seq ${expected} is missing (the next one is seq ${r.seq}, receipt #${r.id}): deleted` });
    }
    if (r.prevHash !== prev) return fail({ seq: r.seq, receiptId: r.id, place: 'link', detail: 'its previous-link hash is not the hash of the receipt before it (deleted, inserted or reordered)' });
    const own = receiptContentProblem(r, bodyOf(r));
    if (own) return fail({ seq: r.seq, receiptId: r.id, ...own });
    if (linkHash(r.seq, prev, r.contentHash) !== r.hash) return fail({ seq: r.seq, receiptId: r.id, place: 'link', detail: 'its link hash does not follow from the previous link and its content' });
    for (const c of bySeq.get(r.seq) ?? []) {
      if (c.hash !== r.hash) return fail({ seq: r.seq, receiptId: r.id, place: 'checkpoint', detail: `the checkpoint signed ${c.signedAt} at seq ${c.seq} holds another hash: the chain was changed after it was signed` });
      const bad = checkpointProblem(c, trusted);
      if (bad) return fail({ seq: r.seq, receiptId: r.id, place: 'signature', detail: bad });
      result.lastSignedSeq = r.seq;
    }
    prev = r.hash;
    expected++;
  }
  const last = expected - 1;
  const beyond = checkpoints.find((c) => c.seq > last);
  if (beyond) return fail({ seq: last + 1, receiptId: null, place: 'missing', detail: `receipts from seq ${last + 1} are missing: a checkpoint signed ${beyond.signedAt} covers up to seq ${beyond.seq}` });
  if (head && (head.seq !== last || (last > 0 && head.hash !== prev))) {
    return fail({ seq: Math.min(head.seq, last + 1), receiptId: null, place: 'head', detail: `the chain head says seq ${head.seq} but the last receipt is seq ${last}: receipts were deleted or the head was changed` });
  }
  result.unsignedTail = last - result.lastSignedSeq;
  return result;
}

/** Verifies every chain (or one target's). */
export async function verifyLedger(ledger: Ledger, options: { target?: string; trusted?: string[] } = {}): Promise<LedgerVerification> {
  const targets = (await evidenceTargets(ledger)).filter((t) => options.target === undefined || t === options.target);
  const out: TargetVerification[] = [];
  for (const t of targets) out.push(await verifyTarget(ledger, t, options.trusted));
  const unchained = await unchainedReceiptTotal(ledger, options.target);
  return { ok: out.every((t) => t.ok), verifiedAt: new Date().toISOString(), targets: out, unchained };
}

/** Keeps the result of a verification (for /metrics and the dashboard) as a run of kind `ledger-verify`. */
export async function recordVerification(ledger: Ledger, v: LedgerVerification, runId: string): Promise<void> {
  await insertVerificationRun(ledger, runId, v);
}

/** The latest recorded verification, or null. */
export async function lastVerification(ledger: Ledger): Promise<LedgerVerification | null> {
  // Written by recordVerification from a LedgerVerification: read back as one.
  return (await lastVerificationSummary(ledger)) as LedgerVerification | null;
}
