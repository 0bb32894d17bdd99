/** Reading chained receipts back, with the fields their content hash covers. */
import { sql, type SQL } from 'drizzle-orm';
import type { Ledger } from '../ledger/db.ts';
import type { ReceiptContent } from './canonical.ts';
import { isoSql } from './checkpoint.ts';

export interface ChainedReceipt extends ReceiptContent {
  id: number;
  seq: number;
  prevHash: string;
  hash: string;
  contentHash: string;
  /** The kept request body, compressed (null when a receipt lost it). */
  requestBody: Buffer | null;
  /** The kept answer, compressed (null when none was kept). */
  answerBody: Buffer | null;
}

const COLUMNS = sql`id, seq, prev_hash, hash, content_hash, target_id, dossier_code, service, is_updating, version, attempt,
  request_hash, body_hash, http_status, error_code, message, outcome, ${isoSql('sent_at')} as sent_at_iso, duration_ms, request_body,
  answer_body, answer_hash, answer_length, answer_kept_hash`;

function toBuffer(v: unknown): Buffer | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === 'string' && v.startsWith('\\x')) return Buffer.from(v.slice(2), 'hex');
  return null;
}

function toReceipt(r: Record<string, unknown>): ChainedReceipt {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r['id']),
    seq: Number(r['seq']),
    prevHash: String(r['prev_hash'] ?? ''),
    hash: String(r['hash'] ?? ''),
    contentHash: String(r['content_hash'] ?? ''),
    target: String(r['target_id']),
    dossierCode: (r['dossier_code'] as string | null) ?? null,
    service: String(r['service']),
    isUpdating: (r['is_updating'] as boolean | null) ?? null,
    version: n(r['version']),
    attempt: Number(r['attempt']),
    requestHash: String(r['request_hash']),
    bodyHash: String(r['body_hash'] ?? ''),
    httpStatus: n(r['http_status']),
    errorCode: (r['error_code'] as string | null) ?? null,
    message: (r['message'] as string | null) ?? null,
    outcome: String(r['outcome']),
    sentAt: String(r['sent_at_iso'] ?? ''),
    durationMs: Number(r['duration_ms']),
    requestBody: toBuffer(r['request_body']),
    // A receipt without an answer hash has no answer in its content (before migration 0010, or none read).
    answer: r['answer_hash'] === null || r['answer_hash'] === undefined ? null : { hash: String(r['answer_hash']), length: Number(r['answer_length']), keptHash: (r['answer_kept_hash'] as string | null) ?? null },
    answerBody: toBuffer(r['answer_body']),
  };
}

/** Receipts of `target` with seq in [from, to], in chain order. */
export async function receiptsBetween(ledger: Ledger, target: string, from: number, to: number, where: SQL = sql`true`): Promise<ChainedReceipt[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`select ${COLUMNS} from receipts
    where target_id = ${target} and seq between ${from} and ${to} and ${where} order by seq`);
  return rows.map(toReceipt);
}

/** Pages through a target's whole chain (keyset on seq) without holding it in memory. */
export async function* walkChain(ledger: Ledger, target: string, page = 2000): AsyncGenerator<ChainedReceipt> {
  let after = 0;
  for (;;) {
    const rows = await ledger.rows<Record<string, unknown>>(sql`select ${COLUMNS} from receipts
      where target_id = ${target} and seq > ${after} order by seq limit ${page}`);
    for (const r of rows) yield toReceipt(r);
    if (rows.length < page) return;
    after = Number(rows[rows.length - 1]!['seq']);
  }
}
