/**
 * Read-side queries shared by the CLI, the HTTP API and reports.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from './db.ts';
import { isoOf, isoOrNull, jsonText, textOrNull } from './rows.ts';

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

const json = jsonText;

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

/** Whether the database answers (the readiness probe). Throws when it does not. */
export async function ping(ledger: Ledger): Promise<void> {
  await ledger.rows(sql`select 1`);
}

/** Dossiers stored from a source and its open quarantine entries. */
export async function sourceCounts(ledger: Ledger, sourceId: string): Promise<{ dossiers: number; openQuarantine: number }> {
  const [r] = await ledger.rows<{ dossiers: number; quarantine: number }>(sql`select
    (select count(*)::int from dossiers where source_id = ${sourceId}) as dossiers,
    (select count(*)::int from quarantine where source_id = ${sourceId} and resolved_at is null) as quarantine`);
  return { dossiers: Number(r?.dossiers ?? 0), openQuarantine: Number(r?.quarantine ?? 0) };
}

export interface QuarantinePageEntry extends Omit<QuarantineEntry, 'firstSeenAt' | 'lastSeenAt'> {
  raw: unknown;
  rawText: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

/** A page of quarantine entries with the rejected record, newest first (open ones unless `all`). */
export async function quarantinePage(ledger: Ledger, q: { sourceId?: string | undefined; all: boolean; limit: number; offset: number }): Promise<QuarantinePageEntry[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select source_id, record_key, location, issues, raw, raw_text, first_seen_at, last_seen_at, seen_count, resolved_at from quarantine
    where (${q.sourceId ?? null}::text is null or source_id = ${q.sourceId ?? null}) and (${q.all} or resolved_at is null)
    order by last_seen_at desc, id desc limit ${q.limit} offset ${q.offset}`);
  return rows.map((r) => ({
    sourceId: String(r['source_id']),
    recordKey: String(r['record_key']),
    location: textOrNull(r['location']),
    issues: jsonText<QuarantineEntry['issues']>(r['issues']),
    raw: jsonText(r['raw']),
    rawText: textOrNull(r['raw_text']),
    firstSeenAt: isoOf(r['first_seen_at']),
    lastSeenAt: isoOf(r['last_seen_at']),
    seenCount: Number(r['seen_count']),
    resolvedAt: isoOrNull(r['resolved_at']),
  }));
}

export interface DossierSearch {
  /** Exact MaHoSo, or a prefix ending in `*`. */
  code?: string | undefined;
  unit?: string | undefined;
  status?: number | undefined;
  source?: string | undefined;
  /** Vietnam local days, inclusive (YYYY-MM-DD). */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

export interface DossierSearchRow {
  sourceId: string;
  code: string;
  unitCode: string | null;
  procedureCode: string;
  status: number;
  receivedAt: string | null;
  dueAt: string | null;
  finishedAt: string | null;
  version: number;
  updatedAt: string;
  deliveries: { targetId: string; status: string }[];
}

/** Dossiers matching every given filter, newest reception first, with each target's delivery status. */
export async function searchDossiers(ledger: Ledger, q: DossierSearch): Promise<DossierSearchRow[]> {
  const code = q.code?.normalize('NFC') ?? null;
  const prefix = code?.endsWith('*') ? code.slice(0, -1).replace(/[\\%_]/g, (m) => `\\${m}`) + '%' : null;
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select d.source_id, d.code, d.unit_code, d.procedure_code, d.status, d.received_at, d.due_at, d.finished_at, d.version, d.updated_at,
      coalesce((select jsonb_agg(jsonb_build_object('targetId', q.target_id, 'status', q.status) order by q.target_id)
                from deliveries q where q.dossier_id = d.id), '[]'::jsonb) as deliveries
    from dossiers d
    where (${prefix ? null : code}::text is null or d.code = ${prefix ? null : code})
      and (${prefix}::text is null or d.code like ${prefix})
      and (${q.unit ?? null}::text is null or d.unit_code = ${q.unit ?? null})
      and (${q.status ?? null}::int is null or d.status = ${q.status ?? null})
      and (${q.source ?? null}::text is null or d.source_id = ${q.source ?? null})
      and (${q.from ?? null}::date is null or d.received_at >= (${q.from ?? null}::date)::timestamp at time zone 'Asia/Ho_Chi_Minh')
      and (${q.to ?? null}::date is null or d.received_at < (${q.to ?? null}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')
    order by d.received_at desc nulls last, d.id desc limit ${q.limit} offset ${q.offset}`);
  return rows.map((r) => ({
    sourceId: String(r['source_id']),
    code: String(r['code']),
    unitCode: textOrNull(r['unit_code']),
    procedureCode: String(r['procedure_code']),
    status: Number(r['status']),
    receivedAt: isoOrNull(r['received_at']),
    dueAt: isoOrNull(r['due_at']),
    finishedAt: isoOrNull(r['finished_at']),
    version: Number(r['version']),
    updatedAt: isoOf(r['updated_at']),
    deliveries: jsonText<DossierSearchRow['deliveries']>(r['deliveries']),
  }));
}
