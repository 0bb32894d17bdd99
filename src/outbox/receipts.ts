/**
 * Receipts: one row per exchange with a portal. Exchanges made while delivering are buffered in
 * the delivery's async scope and written by the same statement that records the delivery's new
 * state (acknowledged, failed attempt…), so a receipt and the state it proves are never apart
 * and a delivery costs few statements. Exchanges outside a delivery (look-ups) are written at once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type SQL } from 'drizzle-orm';
import { compressBody, compressBytes, contentHashOf, keepAnswer, sha256Hex } from '../evidence/canonical.ts';
import type { Ledger } from '../ledger/db.ts';
import type { PortalExchange } from '../portal/index.ts';
import { cleanMessage } from '../privacy.ts';

/** The fields of one portal exchange that a receipt keeps (never secrets or session tokens). */
export type ExchangeRecord = PortalExchange;

export interface ReceiptRow {
  delivery_id: number | null;
  dossier_id: number | null;
  target_id: string;
  run_id: string | null;
  attempt: number;
  service: string;
  is_updating: boolean | null;
  version: number | null;
  request_hash: string;
  http_status: number | null;
  error_code: string | null;
  message: string | null;
  outcome: string;
  duration_ms: number;
  // Evidence (src/evidence): the chain link itself (seq, prev_hash, hash) is set by the receipts_chain trigger.
  dossier_code: string | null;
  sent_at: string;
  /** The kept request body, raw-deflated, base64 (decoded by the insert). */
  request_body: string;
  body_hash: string;
  content_hash: string;
  /** The kept answer, raw-deflated, base64; with its hash, length and kept-part hash (null: no answer read). */
  answer_body: string | null;
  answer_hash: string | null;
  answer_length: number | null;
  answer_kept_hash: string | null;
}

/** Which delivery an HTTP exchange belongs to, and where its receipts wait to be written. */
export interface ExchangeScope {
  deliveryId: number;
  dossierId: number;
  attempt: number;
  version: number;
  /** MaHoSo of the dossier delivered. */
  code?: string;
  buffer: ReceiptRow[];
}
export const exchangeScope = new AsyncLocalStorage<ExchangeScope>();

/** The dossier a look-up outside a delivery is about (reconcile): its receipt carries the MaHoSo, so evidence export finds it. */
export const lookupScope = new AsyncLocalStorage<{ code: string }>();

/** An `onExchange` hook for a portal client. */
export function receiptWriter(ledger: Ledger, runId: string | null): (e: ExchangeRecord) => Promise<void> {
  return async (e) => {
    const scope = exchangeScope.getStore();
    const body = e.requestBody ?? '';
    const answer = e.answerBody === undefined ? null : keepAnswer(e.answerBody);
    const base = {
      delivery_id: scope?.deliveryId ?? null,
      dossier_id: scope?.dossierId ?? null,
      target_id: e.target,
      run_id: runId,
      attempt: scope?.attempt ?? 0,
      service: e.service,
      is_updating: e.isUpdating ?? null,
      version: scope?.version ?? null,
      request_hash: e.requestHash,
      http_status: e.httpStatus,
      error_code: e.errorCode,
      message: e.message === null ? null : cleanMessage(e.message),
      outcome: e.outcome,
      duration_ms: Math.round(e.durationMs),
      dossier_code: scope?.code ?? lookupScope.getStore()?.code ?? null,
      sent_at: e.sentAt ?? new Date(Date.now() - e.durationMs).toISOString(),
      request_body: compressBody(body).toString('base64'),
      body_hash: sha256Hex(body),
      answer_body: answer ? compressBytes(answer.kept).toString('base64') : null,
      answer_hash: answer?.evidence.hash ?? null,
      answer_length: answer?.evidence.length ?? null,
      answer_kept_hash: answer?.evidence.keptHash ?? null,
    };
    const row: ReceiptRow = {
      ...base,
      content_hash: contentHashOf({
        target: base.target_id,
        dossierCode: base.dossier_code,
        service: base.service,
        isUpdating: base.is_updating,
        version: base.version,
        attempt: base.attempt,
        requestHash: base.request_hash,
        bodyHash: base.body_hash,
        httpStatus: base.http_status,
        errorCode: base.error_code,
        message: base.message,
        outcome: base.outcome,
        sentAt: base.sent_at,
        durationMs: base.duration_ms,
        answer: answer?.evidence ?? null,
      }),
    };
    if (scope) scope.buffer.push(row);
    else await ledger.rows(sql`${insertReceipts([row])} select 1`);
  };
}

/** `with receipts_written as (insert …)` for the given rows; prefix it to the statement it belongs to. */
export function insertReceipts(rows: ReceiptRow[]): SQL {
  return sql`with receipts_written as (
    insert into receipts (delivery_id, dossier_id, target_id, run_id, attempt, service, is_updating, version,
                          request_hash, http_status, error_code, message, outcome, duration_ms,
                          dossier_code, sent_at, request_body, body_hash, content_hash,
                          answer_body, answer_hash, answer_length, answer_kept_hash)
    select delivery_id, dossier_id, target_id, run_id, attempt, service, is_updating, version,
           request_hash, http_status, error_code, message, outcome, duration_ms,
           dossier_code, sent_at, decode(request_body, 'base64'), body_hash, content_hash,
           decode(answer_body, 'base64'), answer_hash, answer_length, answer_kept_hash
    from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as (
      delivery_id bigint, dossier_id bigint, target_id text, run_id uuid, attempt int, service text, is_updating boolean,
      version int, request_hash text, http_status int, error_code text, message text, outcome text, duration_ms int,
      dossier_code text, sent_at timestamptz, request_body text, body_hash text, content_hash text,
      answer_body text, answer_hash text, answer_length int, answer_kept_hash text)) with ordinality as x(
      delivery_id, dossier_id, target_id, run_id, attempt, service, is_updating, version, request_hash, http_status,
      error_code, message, outcome, duration_ms, dossier_code, sent_at, request_body, body_hash, content_hash,
      answer_body, answer_hash, answer_length, answer_kept_hash, n)
    -- In the order the exchanges happened: the chain trigger links them in insertion order.
    order by x.n
    returning 1)`;
}
