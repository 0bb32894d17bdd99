/**
 * Read-side queries shared by the CLI, the HTTP API and reports.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from './db.ts';

export interface DossierDetail {
  sourceId: string;
  code: string;
  version: number;
  contentHash: string;
  firstSeenAt: string;
  updatedAt: string;
  canonical: unknown;
  raw: unknown;
  deliveries: Record<string, unknown>[];
  receipts: Record<string, unknown>[];
}

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/** Every stored version of a code (one per source), with its deliveries and latest receipts. */
export async function getDossierDetail(ledger: Ledger, code: string, receiptLimit = 50): Promise<DossierDetail[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select id, source_id, code, version, content_hash, first_seen_at, updated_at, canonical, raw
    from dossiers where code = ${code.normalize('NFC')} order by source_id`);
  const out: DossierDetail[] = [];
  for (const r of rows) {
    const deliveries = await ledger.rows<Record<string, unknown>>(sql`
      select target_id, status, version, delivered_version, portal_has, dossier_acked_version, progress_acked,
             attempts, next_attempt_at, last_error, last_answer, delivered_at, updated_at
      from deliveries where dossier_id = ${r['id']} order by target_id`);
    const receipts = await ledger.rows<Record<string, unknown>>(sql`
      select created_at, target_id, service, is_updating, version, attempt, outcome, http_status, error_code, message,
             duration_ms, request_hash
      from receipts where dossier_id = ${r['id']} order by id desc limit ${receiptLimit}`);
    out.push({
      sourceId: String(r['source_id']),
      code: String(r['code']),
      version: Number(r['version']),
      contentHash: String(r['content_hash']),
      firstSeenAt: String(r['first_seen_at']),
      updatedAt: String(r['updated_at']),
      canonical: json(r['canonical']),
      raw: json(r['raw']),
      deliveries: deliveries.map((d) => ({ ...d, last_answer: json(d['last_answer']) })),
      receipts,
    });
  }
  return out;
}

export interface QuarantineEntry {
  sourceId: string;
  recordKey: string;
  location: string | null;
  issues: { path: string; message: string }[];
  firstSeenAt: string;
  lastSeenAt: string;
  seenCount: number;
}

/** Open quarantine entries (paged by id), newest first. */
export async function listQuarantine(ledger: Ledger, opts: { sourceId?: string; limit?: number; includeResolved?: boolean } = {}): Promise<QuarantineEntry[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select source_id, record_key, location, issues, first_seen_at, last_seen_at, seen_count from quarantine
    where (${opts.sourceId ?? null}::text is null or source_id = ${opts.sourceId ?? null})
      and (${opts.includeResolved ?? false} or resolved_at is null)
    order by last_seen_at desc, id desc limit ${opts.limit ?? 1000}`);
  return rows.map((r) => ({
    sourceId: String(r['source_id']),
    recordKey: String(r['record_key']),
    location: (r['location'] as string | null) ?? null,
    issues: json(r['issues']) as QuarantineEntry['issues'],
    firstSeenAt: String(r['first_seen_at']),
    lastSeenAt: String(r['last_seen_at']),
    seenCount: Number(r['seen_count']),
  }));
}
