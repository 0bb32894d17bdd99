/**
 * The procedure catalogue in the ledger (table `procedure_catalog`, migration 0009): upsert with
 * counts (added / changed / unchanged), listing, and the stored catalogue as the rules'
 * `ProcedureCatalog` that deadlines and reports use (the `reports.catalog` file stays the fallback).
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from '../ledger/db.ts';
import { loadProcedureCatalog, type ProcedureCatalog } from '../rules/procedures.ts';
import { entryHash, type CatalogEntry } from './entry.ts';

export interface SyncCounts {
  added: number;
  changed: number;
  unchanged: number;
}

export interface StoredEntry extends CatalogEntry {
  source: string;
  /** ISO instant: last time the entry was read from its source. */
  fetchedAt: string;
  /** ISO instant: last time its content changed (or was added). */
  changedAt: string;
}

interface Row {
  code: string;
  valid_from: string | null;
  valid_to: string | null;
  name: string;
  field_code: string | null;
  field_name: string | null;
  time_limit_value: number;
  time_limit_unit: string;
  cutoff: string | null;
  pauses_for_payment: boolean;
  returns_document: boolean | null;
  basis: string | null;
  source: string;
  content_hash: string;
  fetched_at: string | Date;
  changed_at: string | Date;
}

const iso = (v: string | Date): string => (v instanceof Date ? v : new Date(v)).toISOString();
const day = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

/**
 * Stores entries read from `source` (`file:<path>`, `target:<id>`) at `now`: a new entry is added,
 * a changed one updated (new `changed_at`), an unchanged one only gets its new `fetched_at`.
 */
export async function upsertCatalog(ledger: Ledger, entries: readonly { entry: CatalogEntry; raw: unknown }[], source: string, now: Date = new Date()): Promise<SyncCounts> {
  const counts: SyncCounts = { added: 0, changed: 0, unchanged: 0 };
  const at = now.toISOString();
  for (const { entry: e, raw } of entries) {
    const hash = entryHash(e);
    const [old] = await ledger.rows<{ content_hash: string }>(
      sql`select content_hash from procedure_catalog where code = ${e.code} and coalesce(valid_from, '0001-01-01'::date) = coalesce(${e.validFrom}::date, '0001-01-01'::date)`,
    );
    const rawJson = raw === undefined ? null : JSON.stringify(raw);
    if (!old) {
      await ledger.rows(sql`insert into procedure_catalog (code, valid_from, valid_to, name, field_code, field_name, time_limit_value, time_limit_unit, cutoff, pauses_for_payment, returns_document, basis, source, content_hash, raw, fetched_at, changed_at)
        values (${e.code}, ${e.validFrom}::date, ${e.validTo}::date, ${e.name}, ${e.fieldCode}, ${e.fieldName}, ${e.timeLimit.value}, ${e.timeLimit.unit}, ${e.cutoff}, ${e.pausesForPayment}, ${e.returnsDocument}, ${e.basis}, ${source}, ${hash}, ${rawJson}::jsonb, ${at}::timestamptz, ${at}::timestamptz)`);
      counts.added++;
    } else if (old.content_hash !== hash) {
      await ledger.rows(sql`update procedure_catalog set valid_to = ${e.validTo}::date, name = ${e.name}, field_code = ${e.fieldCode}, field_name = ${e.fieldName}, time_limit_value = ${e.timeLimit.value}, time_limit_unit = ${e.timeLimit.unit},
          cutoff = ${e.cutoff}, pauses_for_payment = ${e.pausesForPayment}, returns_document = ${e.returnsDocument}, basis = ${e.basis}, source = ${source}, content_hash = ${hash}, raw = ${rawJson}::jsonb, fetched_at = ${at}::timestamptz, changed_at = ${at}::timestamptz
        where code = ${e.code} and coalesce(valid_from, '0001-01-01'::date) = coalesce(${e.validFrom}::date, '0001-01-01'::date)`);
      counts.changed++;
    } else {
      await ledger.rows(sql`update procedure_catalog set fetched_at = ${at}::timestamptz, source = ${source} where code = ${e.code} and coalesce(valid_from, '0001-01-01'::date) = coalesce(${e.validFrom}::date, '0001-01-01'::date)`);
      counts.unchanged++;
    }
  }
  return counts;
}

function fromRow(r: Row): StoredEntry {
  return {
    code: r.code,
    name: r.name,
    fieldCode: r.field_code,
    fieldName: r.field_name,
    timeLimit: { value: r.time_limit_value, unit: r.time_limit_unit as CatalogEntry['timeLimit']['unit'] },
    cutoff: r.cutoff,
    pausesForPayment: r.pauses_for_payment,
    returnsDocument: r.returns_document,
    validFrom: day(r.valid_from),
    validTo: day(r.valid_to),
    basis: r.basis,
    source: r.source,
    fetchedAt: iso(r.fetched_at),
    changedAt: iso(r.changed_at),
  };
}

/** At most this many entries are listed at once. */
export const MAX_LISTED = 20_000;

/** Stored entries, by code then version; `code` = that procedure's versions only. */
export async function listCatalog(ledger: Ledger, code?: string): Promise<StoredEntry[]> {
  const rows = await ledger.rows<Row>(
    code === undefined
      ? sql`select code, valid_from::text as valid_from, valid_to::text as valid_to, name, field_code, field_name, time_limit_value, time_limit_unit, cutoff, pauses_for_payment, returns_document, basis, source, content_hash, fetched_at, changed_at
            from procedure_catalog order by code, valid_from nulls first limit ${MAX_LISTED}`
      : sql`select code, valid_from::text as valid_from, valid_to::text as valid_to, name, field_code, field_name, time_limit_value, time_limit_unit, cutoff, pauses_for_payment, returns_document, basis, source, content_hash, fetched_at, changed_at
            from procedure_catalog where code = ${code} order by valid_from nulls first limit ${MAX_LISTED}`,
  );
  return rows.map(fromRow);
}

/**
 * The stored catalogue as the rules read it, or null when none is stored (callers then use the
 * `reports.catalog` file, so behaviour is unchanged without a stored catalogue).
 */
export async function storedProcedureCatalog(ledger: Ledger): Promise<ProcedureCatalog | null> {
  const entries = await listCatalog(ledger);
  if (!entries.length) return null;
  return loadProcedureCatalog({
    version: 1,
    procedures: entries.map((e) => ({ code: e.code, name: e.name, fieldCode: e.fieldCode, timeLimit: e.timeLimit, cutoff: e.cutoff, pausesForPayment: e.pausesForPayment, returnsDocument: e.returnsDocument, validFrom: e.validFrom, validTo: e.validTo, basis: e.basis })),
  });
}

/** The stored catalogue when there is one, else `fallback` (the `reports.catalog` file's). */
export async function preferStoredCatalog(ledger: Ledger, fallback: ProcedureCatalog | null): Promise<ProcedureCatalog | null> {
  return (await storedProcedureCatalog(ledger)) ?? fallback;
}
