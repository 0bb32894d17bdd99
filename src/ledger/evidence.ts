/**
 * The evidence tables (src/evidence): receipts read back in chain order with every field their
 * content hash covers, the chain heads, signed checkpoints, and `ledger-verify` runs. Instants
 * the signatures cover are formatted by the database (ISO 8601 UTC, milliseconds), so what is
 * signed is what is stored on both drivers.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from './db.ts';
import { intOrNull, textOrNull } from './rows.ts';

/** An instant as the evidence writes it: ISO 8601 UTC with milliseconds. */
const isoSql = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** A bytea column as bytes: a Buffer or Uint8Array from the driver, or PostgreSQL's `\x…` hex text. */
export function bytesOrNull(v: unknown): Buffer | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === 'string' && v.startsWith('\\x')) return Buffer.from(v.slice(2), 'hex');
  return null;
}

const boolOrNull = (v: unknown): boolean | null => (v === null || v === undefined ? null : Boolean(v));

/** A receipt in its target's chain, with the fields its content hash covers (src/evidence/canonical.ts `ReceiptContent`). */
export interface ChainedReceiptRow {
  id: number;
  seq: number;
  prevHash: string;
  hash: string;
  contentHash: string;
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
  /** The kept request body, compressed (null when a receipt lost it). */
  requestBody: Buffer | null;
  /** What the content hash covers of the answer; null when its content covers none (before migration 0010, or none read). */
  answer: { hash: string; length: number; keptHash: string | null } | null;
  /** The kept answer, compressed (null when none was kept). */
  answerBody: Buffer | null;
}

const RECEIPT_COLUMNS = sql`id, seq, prev_hash, hash, content_hash, target_id, dossier_code, service, is_updating, version, attempt,
  request_hash, body_hash, http_status, error_code, message, outcome, ${isoSql('sent_at')} as sent_at_iso, duration_ms, request_body,
  answer_body, answer_hash, answer_length, answer_kept_hash`;

type RawReceipt = Record<
  | 'id' | 'seq' | 'prev_hash' | 'hash' | 'content_hash' | 'target_id' | 'dossier_code' | 'service' | 'is_updating' | 'version' | 'attempt'
  | 'request_hash' | 'body_hash' | 'http_status' | 'error_code' | 'message' | 'outcome' | 'sent_at_iso' | 'duration_ms' | 'request_body'
  | 'answer_body' | 'answer_hash' | 'answer_length' | 'answer_kept_hash',
  unknown
>;

function toReceipt(r: RawReceipt): ChainedReceiptRow {
  return {
    id: Number(r.id),
    seq: Number(r.seq),
    prevHash: String(r.prev_hash ?? ''),
    hash: String(r.hash ?? ''),
    contentHash: String(r.content_hash ?? ''),
    target: String(r.target_id),
    dossierCode: textOrNull(r.dossier_code),
    service: String(r.service),
    isUpdating: boolOrNull(r.is_updating),
    version: intOrNull(r.version),
    attempt: Number(r.attempt),
    requestHash: String(r.request_hash),
    bodyHash: String(r.body_hash ?? ''),
    httpStatus: intOrNull(r.http_status),
    errorCode: textOrNull(r.error_code),
    message: textOrNull(r.message),
    outcome: String(r.outcome),
    sentAt: String(r.sent_at_iso ?? ''),
    durationMs: Number(r.duration_ms),
    requestBody: bytesOrNull(r.request_body),
    answer: r.answer_hash === null || r.answer_hash === undefined ? null : { hash: String(r.answer_hash), length: Number(r.answer_length), keptHash: textOrNull(r.answer_kept_hash) },
    answerBody: bytesOrNull(r.answer_body),
  };
}

/** Receipts of `target` with seq in [from, to], in chain order. */
export async function receiptsBetween(ledger: Ledger, target: string, from: number, to: number): Promise<ChainedReceiptRow[]> {
  const rows = await ledger.rows<RawReceipt>(sql`select ${RECEIPT_COLUMNS} from receipts
    where target_id = ${target} and seq between ${from} and ${to} order by seq`);
  return rows.map(toReceipt);
}

/** Pages through a target's whole chain (keyset on seq) without holding it in memory. */
export async function* walkChain(ledger: Ledger, target: string, page = 2000): AsyncGenerator<ChainedReceiptRow> {
  let after = 0;
  for (;;) {
    const rows = (await ledger.rows<RawReceipt>(sql`select ${RECEIPT_COLUMNS} from receipts
      where target_id = ${target} and seq > ${after} order by seq limit ${page}`)).map(toReceipt);
    yield* rows;
    if (rows.length < page) return;
    after = rows[rows.length - 1]!.seq;
  }
}

/** A dossier's chained receipts (seq set), by target then seq; `target` keeps that target's only. */
export async function chainedReceiptSeqs(ledger: Ledger, code: string, target?: string): Promise<{ target: string; seq: number }[]> {
  const rows = await ledger.rows<{ target_id: unknown; seq: unknown }>(sql`select target_id, seq from receipts
    where dossier_code = ${code} and seq is not null ${target === undefined ? sql`` : sql`and target_id = ${target}`} order by target_id, seq`);
  return rows.map((r) => ({ target: String(r.target_id), seq: Number(r.seq) }));
}

/**
 * Per target, a dossier's receipts from before the chain (no seq; no MaHoSo column then: found
 * through the dossier's rows too); `target` keeps that target's only.
 */
export async function unchainedReceiptCounts(ledger: Ledger, code: string, target?: string): Promise<Map<string, number>> {
  const rows = await ledger.rows<{ target_id: unknown; n: unknown }>(sql`select r.target_id, count(*)::int as n from receipts r
    where r.seq is null and (r.dossier_code = ${code} or r.dossier_id in (select id from dossiers where code = ${code}))
    ${target === undefined ? sql`` : sql`and r.target_id = ${target}`} group by r.target_id order by r.target_id`);
  return new Map(rows.map((r) => [String(r.target_id), Number(r.n)]));
}

/** Receipts written before the evidence chain existed (no seq), of every target or of one. */
export async function unchainedReceiptTotal(ledger: Ledger, target?: string): Promise<number> {
  const [row] = await ledger.rows<{ n: unknown }>(sql`select count(*)::int as n from receipts where seq is null ${target === undefined ? sql`` : sql`and target_id = ${target}`}`);
  return Number(row?.n ?? 0);
}

export interface DossierVersionRow {
  sourceId: string;
  version: number;
  contentHash: string;
  /** ISO 8601 UTC with milliseconds. */
  updatedAt: string;
  /** The canonical dossier (jsonb, parsed by the driver). */
  canonical: unknown;
}

/** The stored rows of a dossier code (one per source), by source. */
export async function dossierVersions(ledger: Ledger, code: string): Promise<DossierVersionRow[]> {
  const rows = await ledger.rows<{ source_id: unknown; version: unknown; content_hash: unknown; canonical: unknown; updated_iso: unknown }>(sql`
    select source_id, version, content_hash, canonical, ${isoSql('updated_at')} as updated_iso
    from dossiers where code = ${code} order by source_id`);
  return rows.map((d) => ({ sourceId: String(d.source_id), version: Number(d.version), contentHash: String(d.content_hash), updatedAt: String(d.updated_iso), canonical: d.canonical }));
}

/** The head of every chain that has receipts, with the highest seq a checkpoint signed (null: none yet). */
export async function chainHeads(ledger: Ledger): Promise<{ target: string; seq: number; hash: string; signedSeq: number | null }[]> {
  const rows = await ledger.rows<{ target_id: unknown; seq: unknown; hash: unknown; signed: unknown }>(sql`
    select h.target_id, h.seq, h.hash, (select max(c.seq) from evidence_checkpoints c where c.target_id = h.target_id) as signed
    from evidence_heads h where h.seq > 0 order by h.target_id`);
  return rows.map((h) => ({ target: String(h.target_id), seq: Number(h.seq), hash: String(h.hash), signedSeq: intOrNull(h.signed) }));
}

/** One target's chain head, or null when it has none. */
export async function chainHead(ledger: Ledger, target: string): Promise<{ seq: number; hash: string } | null> {
  const [row] = await ledger.rows<{ seq: unknown; hash: unknown }>(sql`select seq, hash from evidence_heads where target_id = ${target}`);
  return row ? { seq: Number(row.seq), hash: String(row.hash) } : null;
}

/** Every target with a chain head, a chained receipt or a checkpoint, sorted. */
export async function evidenceTargets(ledger: Ledger): Promise<string[]> {
  const rows = await ledger.rows<{ target_id: unknown }>(sql`
    select target_id from evidence_heads union select distinct target_id from receipts where seq is not null
    union select distinct target_id from evidence_checkpoints order by 1`);
  return rows.map((r) => String(r.target_id));
}

export interface CheckpointRow {
  id: number;
  target: string;
  seq: number;
  hash: string;
  /** ISO 8601 UTC with milliseconds, as signed. */
  signedAt: string;
  keyId: string;
  publicKey: string;
  signature: string;
  reason: string;
}

const CHECKPOINT_COLUMNS = sql`id, target_id, seq, hash, ${isoSql('signed_at')} as signed_at_iso, key_id, public_key, signature, reason`;

type RawCheckpoint = Record<'id' | 'target_id' | 'seq' | 'hash' | 'signed_at_iso' | 'key_id' | 'public_key' | 'signature' | 'reason', unknown>;

const toCheckpoint = (r: RawCheckpoint): CheckpointRow => ({
  id: Number(r.id),
  target: String(r.target_id),
  seq: Number(r.seq),
  hash: String(r.hash),
  signedAt: String(r.signed_at_iso),
  keyId: String(r.key_id),
  publicKey: String(r.public_key),
  signature: String(r.signature),
  reason: String(r.reason),
});

/** Whether this head (target, seq) was signed within the last 23 hours. */
export async function signedRecently(ledger: Ledger, target: string, seq: number): Promise<boolean> {
  const [row] = await ledger.rows<{ n: unknown }>(sql`select count(*)::int as n from evidence_checkpoints
    where target_id = ${target} and seq = ${seq} and signed_at > now() - interval '23 hours'`);
  return Number(row?.n ?? 0) > 0;
}

/** Stores a signed checkpoint; returns it as read back. */
export async function insertCheckpoint(
  ledger: Ledger,
  c: Omit<CheckpointRow, 'id'> & { runId: string | null },
): Promise<CheckpointRow> {
  const [row] = await ledger.rows<RawCheckpoint>(sql`insert into evidence_checkpoints
      (target_id, seq, hash, signed_at, key_id, public_key, signature, reason, run_id)
    values (${c.target}, ${c.seq}, ${c.hash}, ${c.signedAt}::timestamptz, ${c.keyId}, ${c.publicKey}, ${c.signature}, ${c.reason}, ${c.runId}::uuid)
    returning ${CHECKPOINT_COLUMNS}`);
  if (!row) throw new Error(`evidence_checkpoints ${c.target} seq ${c.seq}: the checkpoint was not stored`);
  return toCheckpoint(row);
}

/** Every checkpoint of a target, in chain order. */
export async function checkpointsOf(ledger: Ledger, target: string): Promise<CheckpointRow[]> {
  const rows = await ledger.rows<RawCheckpoint>(sql`select ${CHECKPOINT_COLUMNS} from evidence_checkpoints
    where target_id = ${target} order by seq, id`);
  return rows.map(toCheckpoint);
}

/** Keeps a ledger verification as a run of kind `ledger-verify` (its whole result as the summary). */
export async function insertVerificationRun(ledger: Ledger, runId: string, v: { ok: boolean; verifiedAt: string }): Promise<void> {
  await ledger.rows(sql`insert into runs (id, kind, started_at, finished_at, status, exit_code, summary)
    values (${runId}::uuid, 'ledger-verify', ${v.verifiedAt}, now(), ${v.ok ? 'ok' : 'attention'}, ${v.ok ? 0 : 2}, ${JSON.stringify(v)}::jsonb)`);
}

/** The summary of the latest `ledger-verify` run (jsonb, parsed by the driver), or null when there is none. */
export async function lastVerificationSummary(ledger: Ledger): Promise<unknown> {
  const [r] = await ledger.rows<{ summary: unknown }>(sql`select summary from runs where kind = 'ledger-verify' order by started_at desc limit 1`);
  return r ? r.summary : null;
}
