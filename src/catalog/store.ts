/**
 * The procedure catalogue in the ledger (table `procedure_catalog`, migration 0009): upsert with
 * counts (added / changed / unchanged), listing, and the stored catalogue as the rules'
 * `ProcedureCatalog` that deadlines and reports use (the `reports.catalog` file stays the fallback).
 */
import { catalogContentHash, insertCatalogRow, selectCatalog, touchCatalogRow, updateCatalogRow } from '../ledger/catalog.ts';
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

/**
 * Stores entries read from `source` (`file:<path>`, `target:<id>`) at `now`: a new entry is added,
 * a changed one updated (new `changed_at`), an unchanged one only gets its new `fetched_at`.
 */
export async function upsertCatalog(ledger: Ledger, entries: readonly { entry: CatalogEntry; raw: unknown }[], source: string, now: Date = new Date()): Promise<SyncCounts> {
  const counts: SyncCounts = { added: 0, changed: 0, unchanged: 0 };
  for (const { entry: e, raw } of entries) {
    const hash = entryHash(e);
    const old = await catalogContentHash(ledger, e.code, e.validFrom);
    if (old === null) {
      await insertCatalogRow(ledger, { entry: e, source, hash, raw, at: now });
      counts.added++;
    } else if (old !== hash) {
      await updateCatalogRow(ledger, { entry: e, source, hash, raw, at: now });
      counts.changed++;
    } else {
      await touchCatalogRow(ledger, { code: e.code, validFrom: e.validFrom, source, at: now });
      counts.unchanged++;
    }
  }
  return counts;
}

/** At most this many entries are listed at once. */
export const MAX_LISTED = 20_000;

/** Stored entries, by code then version; `code` = that procedure's versions only. */
export async function listCatalog(ledger: Ledger, code?: string): Promise<StoredEntry[]> {
  const rows = await selectCatalog(ledger, { code, limit: MAX_LISTED });
  return rows.map(({ contentHash: _hash, ...entry }) => entry);
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
