/**
 * What src/reconcile reads of the ledger: the keyset scan of dossiers that can count in a period
 * with their delivery to one target, the rows behind look-ups and source differences, open
 * quarantine entries, codes held by several sources, and one source's dossiers as a side of
 * checksum bisection (checksums computed inside the database, index-only scan of
 * `dossiers_reconcile_key_idx`). Rows come back typed; JSON parsed, timestamps as ISO instants.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Dossier } from '../../schemas/dossier.ts';
import type { Ledger } from './db.ts';
import { intOrNull, isoOrNull, jsonText, textOrNull } from './rows.ts';
import { textArray } from './sql-helpers.ts';

/**
 * A target's `units` prefixes over `d.unit_code` / `d.code` (`true` when empty): the rule of
 * `receivesDossier` in src/outbox/units.ts, prefixes as one jsonb parameter compared as text.
 */
function receivesSql(units: readonly string[]): SQL {
  return sql`exists (select 1 from jsonb_array_elements_text(${JSON.stringify(units)}::jsonb) as p(prefix)
    where left(coalesce(d.unit_code, ''), length(p.prefix)) = p.prefix or left(d.code, length(p.prefix)) = p.prefix)`;
}

export interface ScanPageQuery {
  /** Keyset: dossier ids after this one. */
  after: number;
  limit: number;
  sourceIds: readonly string[];
  targetId: string;
  /** `received_at` before this instant. */
  receivedBefore: string;
  /** Ended dossiers (status 3, 7–10) with a `finished_at` before this instant are left out. */
  finishedSince: string;
  unit?: string;
  /** The target's `units` prefixes (none: every dossier). */
  units?: readonly string[];
}

export interface ScanRow {
  id: number;
  sourceId: string;
  code: string;
  unitCode: string | null;
  version: number;
  canonical: Dossier;
  deleted: boolean;
  /** The delivery to the target (null: none). */
  delivery: { id: number; status: string; version: number; deliveredVersion: number | null; attempts: number; lastError: string | null; lastAnswer: unknown; deliveredAt: string | null } | null;
}

/** One page of the reconcile scan, by id (deleted dossiers included, flagged). */
export async function scanDossierPage(ledger: Ledger, q: ScanPageQuery): Promise<ScanRow[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select d.id, d.source_id, d.code, d.unit_code, d.version, d.canonical, d.deleted_at is not null as deleted,
           q.id as delivery_id, q.status as delivery_status, q.version as delivery_version, q.delivered_version,
           q.attempts, q.last_error, q.last_answer, q.delivered_at
    from dossiers d left join deliveries q on q.dossier_id = d.id and q.target_id = ${q.targetId}
    where d.id > ${q.after} and d.source_id = any(${textArray(q.sourceIds)})
      and d.received_at < ${q.receivedBefore}::timestamptz
      and (d.status not in (3, 7, 8, 9, 10) or d.finished_at is null or d.finished_at >= ${q.finishedSince}::timestamptz)
      ${q.unit ? sql`and d.unit_code = ${q.unit}` : sql``}
      ${q.units?.length ? sql`and ${receivesSql(q.units)}` : sql``}
    order by d.id limit ${q.limit}`);
  return rows.map((r) => ({
    id: Number(r['id']),
    sourceId: String(r['source_id']),
    code: String(r['code']),
    unitCode: textOrNull(r['unit_code']),
    version: Number(r['version']),
    canonical: jsonText<Dossier>(r['canonical']),
    deleted: Boolean(r['deleted']),
    delivery:
      r['delivery_id'] === null || r['delivery_id'] === undefined
        ? null
        : {
            id: Number(r['delivery_id']),
            status: String(r['delivery_status']),
            version: Number(r['delivery_version']),
            deliveredVersion: intOrNull(r['delivered_version']),
            attempts: Number(r['attempts'] ?? 0),
            lastError: typeof r['last_error'] === 'string' ? r['last_error'] : null,
            lastAnswer: r['last_answer'] === null || r['last_answer'] === undefined ? null : jsonText(r['last_answer']),
            deliveredAt: isoOrNull(r['delivered_at']),
          },
  }));
}

export interface LookupRow {
  id: number;
  canonical: Dossier;
  /** As the database returns it (the text of a `missing_on_portal` difference). */
  deliveredAt: unknown;
  deliveredVersion: number | null;
}

/** Dossiers by id with their delivery to the target (ids not found are absent). */
export async function dossiersForLookup(ledger: Ledger, ids: readonly number[], targetId: string): Promise<LookupRow[]> {
  const rows = await ledger.rows<{ id: number | string; canonical: unknown; delivered_at: unknown; delivered_version: number | null }>(sql`
    select d.id, d.canonical, q.delivered_at, q.delivered_version from dossiers d
    left join deliveries q on q.dossier_id = d.id and q.target_id = ${targetId}
    where d.id in (select x::bigint from unnest(${textArray(ids.map((id) => String(id)))}) as x)`);
  return rows.map((r) => ({ id: Number(r.id), canonical: jsonText<Dossier>(r.canonical), deliveredAt: r.delivered_at, deliveredVersion: r.delivered_version }));
}

export interface LiveDossierRow {
  code: string;
  canonical: Dossier;
  unitCode: string | null;
  version: number;
  /** `updated_at` as the database returns it, as text. */
  updatedAt: string;
  /** A delivery of it was acknowledged (any target). */
  delivered: boolean;
}

/** One source's live (not deleted) dossiers among `codes`. */
export async function liveDossiersByCode(ledger: Ledger, sourceId: string, codes: readonly string[]): Promise<LiveDossierRow[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select d.code, d.canonical, d.unit_code, d.version, d.updated_at,
           exists (select 1 from deliveries q where q.dossier_id = d.id and q.status = 'delivered') as delivered
    from dossiers d where d.source_id = ${sourceId} and d.deleted_at is null and d.code = any(${textArray(codes)})`);
  return rows.map((r) => ({
    code: String(r['code']),
    canonical: jsonText<Dossier>(r['canonical']),
    unitCode: textOrNull(r['unit_code']),
    version: Number(r['version']),
    updatedAt: String(r['updated_at']),
    delivered: Boolean(r['delivered']),
  }));
}

export interface OpenQuarantineRow {
  recordKey: string;
  location: unknown;
  issues: unknown;
  /** As the database returns it. */
  firstSeenAt: unknown;
  seenCount: unknown;
}

/** One source's open (unresolved) quarantine entries among `keys`. */
export async function openQuarantineByKey(ledger: Ledger, sourceId: string, keys: readonly string[]): Promise<OpenQuarantineRow[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select record_key, location, issues, first_seen_at, seen_count from quarantine
    where source_id = ${sourceId} and resolved_at is null and record_key = any(${textArray(keys)})`);
  return rows.map((r) => ({ recordKey: String(r['record_key']), location: r['location'], issues: jsonText(r['issues']), firstSeenAt: r['first_seen_at'], seenCount: r['seen_count'] }));
}

/** A code held by several live dossiers: its units ('' for none) and sources. */
export interface DuplicateCodeRow {
  code: string;
  units: string[];
  sources: string[];
}

/** Codes of `sourceIds`' live dossiers received before `receivedBefore` (in `unit`) that another live dossier also holds. */
export async function duplicateCodes(ledger: Ledger, q: { sourceIds: readonly string[]; receivedBefore: string; unit?: string }): Promise<DuplicateCodeRow[]> {
  const rows = await ledger.rows<{ code: string; units: unknown; sources: unknown }>(sql`
    select code, jsonb_agg(distinct coalesce(unit_code, '')) as units, jsonb_agg(source_id order by source_id) as sources
    from dossiers
    where deleted_at is null and code in (
      select code from dossiers where deleted_at is null and source_id = any(${textArray(q.sourceIds)})
        and received_at < ${q.receivedBefore}::timestamptz
        ${q.unit ? sql`and unit_code = ${q.unit}` : sql``})
    group by code having count(*) > 1 order by code`);
  return rows.map((r) => ({ code: String(r.code), units: jsonText<string[]>(r.units), sources: jsonText<string[]>(r.sources) }));
}

/** A range of codes in byte order (`collate "C"`): from inclusive, to exclusive; null is open. */
export interface CodeRange {
  from: string | null;
  to: string | null;
}

const FP = sql`('x' || left(content_hash, 16))::bit(64)::bigint`;

function inRange(sourceId: string, range: CodeRange): SQL {
  const parts = [sql`source_id = ${sourceId}`, sql`deleted_at is null`];
  if (range.from !== null) parts.push(sql`(code collate "C") >= (${range.from}::text collate "C")`);
  if (range.to !== null) parts.push(sql`(code collate "C") < (${range.to}::text collate "C")`);
  return sql.join(parts, sql` and `);
}

/**
 * Count and XOR of content-hash fingerprints (first 64 bits, signed, as decimal text) of one
 * source's live dossiers in `range`, per segment cut at `bounds` (segment i: bounds[i-1] ≤ code < bounds[i]).
 */
export async function codeRangeChecksums(ledger: Ledger, sourceId: string, range: CodeRange, bounds: readonly string[]): Promise<Array<{ count: number; xor: string }>> {
  const rows = await ledger.rows<{ seg: number; n: number; x: string | null }>(sql`
    select ${bounds.length ? sql`width_bucket(code collate "C", (${textArray([...bounds])}) collate "C")` : sql`0`} as seg,
           count(*)::int as n, bit_xor(${FP})::text as x
    from dossiers where ${inRange(sourceId, range)} group by 1`);
  const out = Array.from({ length: bounds.length + 1 }, () => ({ count: 0, xor: '0' }));
  for (const r of rows) out[Number(r.seg)] = { count: Number(r.n), xor: r.x ?? '0' };
  return out;
}

/** Up to `parts - 1` codes splitting `range` into parts of about `count / parts` dossiers. */
export async function codeRangeSplitPoints(ledger: Ledger, sourceId: string, range: CodeRange, count: number, parts: number): Promise<string[]> {
  const step = Math.max(1, Math.ceil(count / parts));
  const rows = await ledger.rows<{ code: string }>(sql`
    select code from (
      select code collate "C" as code, row_number() over (order by code collate "C") as rn
      from dossiers where ${inRange(sourceId, range)}) x
    where rn % ${step} = 1 and rn > 1 order by code limit ${parts - 1}`);
  return rows.map((r) => String(r.code));
}

/** The first `limit` codes of `range` in byte order, with their content hash. */
export async function codeRangeList(ledger: Ledger, sourceId: string, range: CodeRange, limit: number): Promise<Array<{ code: string; contentHash: string }>> {
  const rows = await ledger.rows<{ code: string; content_hash: string }>(sql`
    select code, content_hash from dossiers where ${inRange(sourceId, range)}
    order by code collate "C" limit ${limit}`);
  return rows.map((r) => ({ code: String(r.code), contentHash: String(r.content_hash) }));
}

