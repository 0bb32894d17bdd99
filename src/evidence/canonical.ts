/**
 * The exact bytes the evidence hashes and signs. Everything here is pure (no database, no file):
 * `ledger verify` and the offline `evidence verify` recompute the same hashes from the same fields.
 *
 * - content hash: sha256 of a fixed-order JSON array of the receipt's fields (below);
 * - link: sha256 of `${seq}:${prev}:${content}` — the first link of a chain has prev `''`;
 *   the same formula as the receipts_chain trigger (migration 0007);
 * - checkpoint: an Ed25519 signature over `lienthong-checkpoint/1\n${target}\n${seq}\n${hash}\n${signedAt}\n${keyId}`.
 */
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const RECEIPT_FORMAT = 'lienthong-receipt/1';
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
}

/** The canonical text of a receipt's content. */
export function receiptContentText(r: ReceiptContent): string {
  return JSON.stringify([
    RECEIPT_FORMAT,
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
  ]);
}

export const contentHashOf = (r: ReceiptContent): string => sha256Hex(receiptContentText(r));

/** The chain link at `seq` after `prev` ('' before the first). */
export function linkHash(seq: number, prev: string, contentHash: string): string {
  return sha256Hex(`${seq}:${prev}:${contentHash}`);
}

/** How a request body is kept: raw deflate of its UTF-8 bytes (node:zlib), restored byte for byte. */
export const compressBody = (text: string): Buffer => deflateRawSync(Buffer.from(text, 'utf8'), { level: 6 });
export const decompressBody = (data: Buffer): string => inflateRawSync(data).toString('utf8');

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
