/**
 * The `procedure_catalog` table (migration 0009): one row per procedure version (code + valid_from),
 * written and read for src/catalog/store.ts. A version is found by its code and its `valid_from`
 * (null for an undated one), as the unique index keys it.
 */
import { sql, type SQL } from 'drizzle-orm';
import { TIME_LIMIT_UNITS, type TimeLimitUnit } from '../rules/procedures.ts';
import type { Ledger } from './db.ts';
import { isoOf, textOrNull } from './rows.ts';

/** What a catalogue row holds of a procedure version (dates as YYYY-MM-DD). */
export interface CatalogRowContent {
  code: string;
  validFrom: string | null;
  validTo: string | null;
  name: string;
  fieldCode: string | null;
  fieldName: string | null;
  timeLimit: { value: number; unit: TimeLimitUnit };
  cutoff: string | null;
  pausesForPayment: boolean;
  returnsDocument: boolean | null;
  basis: string | null;
}

export interface CatalogRow extends CatalogRowContent {
  source: string;
  contentHash: string;
  /** ISO instant: last time the entry was read from its source. */
  fetchedAt: string;
  /** ISO instant: last time its content changed (or was added). */
  changedAt: string;
}

/** A row to write: its content, where it was read, its content hash and its raw form (stored as jsonb). */
export interface CatalogWrite {
  entry: CatalogRowContent;
  source: string;
  hash: string;
  raw: unknown;
  /** When it was read. */
  at: Date;
}

const version = (code: string, validFrom: string | null): SQL =>
  sql`code = ${code} and coalesce(valid_from, '0001-01-01'::date) = coalesce(${validFrom}::date, '0001-01-01'::date)`;

const rawJson = (raw: unknown): string | null => (raw === undefined ? null : JSON.stringify(raw));

/** The stored content hash of this procedure version, or null when it is not stored. */
export async function catalogContentHash(ledger: Ledger, code: string, validFrom: string | null): Promise<string | null> {
  const [row] = await ledger.rows<{ content_hash: unknown }>(sql`select content_hash from procedure_catalog where ${version(code, validFrom)}`);
  return row ? String(row.content_hash) : null;
}

/** Adds a procedure version (fetched and changed at `at`). */
export async function insertCatalogRow(ledger: Ledger, w: CatalogWrite): Promise<void> {
  const e = w.entry;
  const at = w.at.toISOString();
  await ledger.rows(sql`insert into procedure_catalog (code, valid_from, valid_to, name, field_code, field_name, time_limit_value, time_limit_unit, cutoff, pauses_for_payment, returns_document, basis, source, content_hash, raw, fetched_at, changed_at)
    values (${e.code}, ${e.validFrom}::date, ${e.validTo}::date, ${e.name}, ${e.fieldCode}, ${e.fieldName}, ${e.timeLimit.value}, ${e.timeLimit.unit}, ${e.cutoff}, ${e.pausesForPayment}, ${e.returnsDocument}, ${e.basis}, ${w.source}, ${w.hash}, ${rawJson(w.raw)}::jsonb, ${at}::timestamptz, ${at}::timestamptz)`);
}

/** Rewrites a stored procedure version whose content changed (fetched and changed at `at`). */
export async function updateCatalogRow(ledger: Ledger, w: CatalogWrite): Promise<void> {
  const e = w.entry;
  const at = w.at.toISOString();
  await ledger.rows(sql`update procedure_catalog set valid_to = ${e.validTo}::date, name = ${e.name}, field_code = ${e.fieldCode}, field_name = ${e.fieldName}, time_limit_value = ${e.timeLimit.value}, time_limit_unit = ${e.timeLimit.unit},
      cutoff = ${e.cutoff}, pauses_for_payment = ${e.pausesForPayment}, returns_document = ${e.returnsDocument}, basis = ${e.basis}, source = ${w.source}, content_hash = ${w.hash}, raw = ${rawJson(w.raw)}::jsonb, fetched_at = ${at}::timestamptz, changed_at = ${at}::timestamptz
    where ${version(e.code, e.validFrom)}`);
}

/** An unchanged procedure version read again: only its source and `fetched_at` move. */
export async function touchCatalogRow(ledger: Ledger, v: { code: string; validFrom: string | null; source: string; at: Date }): Promise<void> {
  await ledger.rows(sql`update procedure_catalog set fetched_at = ${v.at.toISOString()}::timestamptz, source = ${v.source} where ${version(v.code, v.validFrom)}`);
}

type Raw = Record<
  | 'code'
  | 'valid_from'
  | 'valid_to'
  | 'name'
  | 'field_code'
  | 'field_name'
  | 'time_limit_value'
  | 'time_limit_unit'
  | 'cutoff'
  | 'pauses_for_payment'
  | 'returns_document'
  | 'basis'
  | 'source'
  | 'content_hash'
  | 'fetched_at'
  | 'changed_at',
  unknown
>;

/** A date column (read as text) as YYYY-MM-DD, or null. */
const dayOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

const isUnit = (v: string): v is TimeLimitUnit => (TIME_LIMIT_UNITS as readonly string[]).includes(v);

function unitOf(code: string, v: unknown): TimeLimitUnit {
  const unit = String(v);
  if (!isUnit(unit)) throw new Error(`procedure_catalog ${code}: time_limit_unit "${unit}" is not one of ${TIME_LIMIT_UNITS.join(', ')}`);
  return unit;
}

const boolOrNull = (v: unknown): boolean | null => (v === null || v === undefined ? null : Boolean(v));

function toRow(r: Raw): CatalogRow {
  const code = String(r.code);
  return {
    code,
    name: String(r.name),
    fieldCode: textOrNull(r.field_code),
    fieldName: textOrNull(r.field_name),
    timeLimit: { value: Number(r.time_limit_value), unit: unitOf(code, r.time_limit_unit) },
    cutoff: textOrNull(r.cutoff),
    pausesForPayment: Boolean(r.pauses_for_payment),
    returnsDocument: boolOrNull(r.returns_document),
    validFrom: dayOrNull(r.valid_from),
    validTo: dayOrNull(r.valid_to),
    basis: textOrNull(r.basis),
    source: String(r.source),
    contentHash: String(r.content_hash),
    fetchedAt: isoOf(r.fetched_at),
    changedAt: isoOf(r.changed_at),
  };
}

/** Stored procedure versions by code then version (undated first), at most `limit`; `code` = that procedure's only. */
export async function selectCatalog(ledger: Ledger, opts: { code?: string | undefined; limit: number }): Promise<CatalogRow[]> {
  const rows = await ledger.rows<Raw>(sql`select code, valid_from::text as valid_from, valid_to::text as valid_to, name, field_code, field_name, time_limit_value, time_limit_unit,
      cutoff, pauses_for_payment, returns_document, basis, source, content_hash, fetched_at, changed_at
    from procedure_catalog ${opts.code === undefined ? sql`` : sql`where code = ${opts.code}`} order by code, valid_from nulls first limit ${opts.limit}`);
  return rows.map(toRow);
}
