/**
 * The exact bytes the evidence hashes and signs. Everything here is pure (no database, no file):
 * `ledger verify` and the offline `evidence verify` recompute the same hashes from the same fields.
 *
 * - content hash: sha256 of a fixed-order JSON array of the receipt's fields (below); a receipt that
 *   kept the portal's answer (migration 0010) appends the answer's hash, length and kept-part hash
 *   under format `lienthong-receipt/2`; one without (older receipts, or no answer read) keeps format 1,
 *   byte for byte, so receipts written before answers were kept still verify;
 * - link: sha256 of `${seq}:${prev}:${content}` — the first link of a chain has prev `''`;
 *   the same formula as the receipts_chain trigger (migration 0007);
 * - checkpoint: an Ed25519 signature over `lienthong-checkpoint/1\n${target}\n${seq}\n${hash}\n${signedAt}\n${keyId}`.
 */
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const RECEIPT_FORMAT = 'lienthong-receipt/1';
/** The format of a receipt that kept the portal's answer. */
export const RECEIPT_FORMAT_WITH_ANSWER = 'lienthong-receipt/2';
export const CHECKPOINT_FORMAT = 'lienthong-checkpoint/1';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The fields of a receipt that its content hash covers. */
export interface ReceiptContent {
  target: string;
  dossierCode: string | null;
  service: string;
  isUpdating: boolean | null;
  version: number | null;
  attempt: number;
  /** sha256 of the exact request body on the wire. */
  requestHash: string;
  /** sha256 of the kept body (the wire body with secrets replaced by `***`). */
  bodyHash: string;
  httpStatus: number | null;
  errorCode: string | null;
  message: string | null;
  outcome: string;
  /** ISO 8601 UTC with milliseconds. */
  sentAt: string;
  durationMs: number;
  /** The portal's answer as received (absent: no answer was read, or the receipt predates migration 0010). */
  answer?: AnswerEvidence | null;
}

/**
 * What the content hash covers of the portal's answer: the bytes as received, every secret the
 * gateway knows replaced by `***` (the kept part is stored deflated beside it).
 */
export interface AnswerEvidence {
  /** sha256 hex of the whole answer. */
  hash: string;
  /** Its length in bytes. */
  length: number;
  /** sha256 hex of the part kept when the answer was longer than {@link MAX_KEPT_ANSWER_BYTES}; null when kept whole. */
  keptHash: string | null;
}

/** The canonical text of a receipt's content. */
export function receiptContentText(r: ReceiptContent): string {
  const fields = [
    r.target,
    r.dossierCode,
    r.service,
    r.isUpdating,
    r.version,
    r.attempt,
    r.requestHash,
    r.bodyHash,
    r.httpStatus,
    r.errorCode,
    r.message,
    r.outcome,
    r.sentAt,
    r.durationMs,
  ];
  const a = r.answer;
  // A receipt without an answer hashes exactly as before answers were kept (format 1).
  if (!a) return JSON.stringify([RECEIPT_FORMAT, ...fields]);
  return JSON.stringify([RECEIPT_FORMAT_WITH_ANSWER, ...fields, a.hash, a.length, a.keptHash]);
}

export const contentHashOf = (r: ReceiptContent): string => sha256Hex(receiptContentText(r));

/** The chain link at `seq` after `prev` ('' before the first). */
export function linkHash(seq: number, prev: string, contentHash: string): string {
  return sha256Hex(`${seq}:${prev}:${contentHash}`);
}

/** How a request body is kept: raw deflate of its UTF-8 bytes (node:zlib), restored byte for byte. */
export const compressBody = (text: string): Buffer => deflateRawSync(Buffer.from(text, 'utf8'), { level: 6 });
export const decompressBody = (data: Buffer): string => inflateRawSync(data).toString('utf8');

/** The most of a portal's answer a receipt keeps; the answer's hash and length cover the whole of it. */
export const MAX_KEPT_ANSWER_BYTES = 64 * 1024;

/**
 * The part of an answer a receipt keeps (all of it up to {@link MAX_KEPT_ANSWER_BYTES}, else the
 * first bytes, cut before a UTF-8 sequence it would split) and what the content hash covers of it.
 */
export function keepAnswer(bytes: Buffer, max = MAX_KEPT_ANSWER_BYTES): { kept: Buffer; evidence: AnswerEvidence } {
  const hash = sha256Hex(bytes);
  if (bytes.length <= max) return { kept: bytes, evidence: { hash, length: bytes.length, keptHash: null } };
  let end = max;
  // Back off over continuation bytes (10xxxxxx), at most 3: the kept part stays readable text.
  for (let i = 0; i < 3 && end > 0 && (bytes[end]! & 0xc0) === 0x80; i++) end--;
  const kept = bytes.subarray(0, end);
  return { kept, evidence: { hash, length: bytes.length, keptHash: sha256Hex(kept) } };
}

/** What is wrong with a kept answer against what the content hash covers of it, or null. */
export function answerProblem(kept: Buffer | null, a: AnswerEvidence): string | null {
  if (kept === null) return 'the kept answer is missing or cannot be read';
  if (a.keptHash === null) {
    if (kept.length !== a.length || sha256Hex(kept) !== a.hash) return 'the kept answer does not match the hash and length of the answer received';
    return null;
  }
  if (kept.length >= a.length) return 'the answer is marked as cut but the kept part is not shorter than the answer received';
  if (sha256Hex(kept) !== a.keptHash) return 'the kept part of the answer does not match its hash';
  return null;
}

export const compressBytes = (data: Buffer): Buffer => deflateRawSync(data, { level: 6 });
export const decompressBytes = (data: Buffer): Buffer => inflateRawSync(data);


export interface CheckpointFields {
  target: string;
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
}

export function checkpointText(c: CheckpointFields): string {
  return `${CHECKPOINT_FORMAT}\n${c.target}\n${c.seq}\n${c.hash}\n${c.signedAt}\n${c.keyId}`;
}

/** A public key's id: the first 16 hex digits of the sha256 of its SPKI DER. */
export function keyIdOf(spkiBase64: string): string {
  return sha256Hex(Buffer.from(spkiBase64, 'base64')).slice(0, 16);
}

/** Whether `signature` (base64) is the Ed25519 signature of the checkpoint by the SPKI key (base64). */
export function checkpointSignatureValid(c: CheckpointFields, publicKeySpki: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeySpki, 'base64'), format: 'der', type: 'spki' });
    return verifySignature(null, Buffer.from(checkpointText(c), 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** A PEM public key (or a file of several) as SPKI base64 strings. */
export function publicKeysFromPem(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/g)) {
    out.push(createPublicKey({ key: m[0], format: 'pem' }).export({ format: 'der', type: 'spki' }).toString('base64'));
  }
  return out;
}

export function spkiToPem(spkiBase64: string): string {
  return createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
}
