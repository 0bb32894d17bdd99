/**
 * Pulls one source page by page, maps and validates every record, and stores each page (with its
 * cursor) in one transaction. One bad record never stops a page; one failing source never stops
 * the others (the caller catches per source).
 */
import type { SourceConfig } from '../../schemas/config.ts';
import type { Ledger } from '../ledger/db.ts';
import { readCursor, storePage } from '../ledger/store-page.ts';
import { publicMessage } from '../privacy.ts';
import type { AdapterDefinition, Page, PullContext, RawRecord } from '../sdk/index.ts';
import { mapRecords, prepareSource } from './prepare-source.ts';

export { mapRecords, parseSourceOptions } from './prepare-source.ts';

export interface SourceSummary {
  id: string;
  pulled: number;
  new: number;
  changed: number;
  unchanged: number;
  quarantined: number;
  /** Records older than the version already stored (kept in `stale_versions`, never applied); absent when none. */
  stale?: number;
  error?: string;
  /** Read from the beginning this run: `options` when the source's options changed since its cursor was stored, `asked` for `sync --reread`. */
  reread?: 'options' | 'asked';
  /** Records the source was told are stored (adapters with `acknowledge`); absent otherwise. */
  acknowledged?: number;
  /** Records whose acknowledgement failed (sent again by the source, acknowledged on a later run); absent when none. */
  unacknowledged?: number;
  /** Warnings of the run (failed acknowledgements), at most {@link MAX_WARNINGS}; absent when none. */
  warnings?: string[];
}

/** Warnings kept per source and run; the count beyond is in the last one. */
export const MAX_WARNINGS = 20;

function warn(summary: SourceSummary, message: string): void {
  const list = (summary.warnings ??= []);
  if (list.length < MAX_WARNINGS) list.push(message.slice(0, 500));
}

export interface IngestOptions {
  /** Where the source's `*Env` secrets are read (default: the process environment). */
  env?: Record<string, string | undefined>;
  runId: string | null;
  targetIds: string[];
  signal?: AbortSignal;
  onPage?: (summary: SourceSummary) => void;
  /** Ignore the stored cursor and read the source from the beginning (`sync --reread SOURCE`). */
  reread?: boolean;
}

/** Key of the options hash kept beside the adapter's cursor. */
const OPTIONS_HASH = 'lienthong:optionsHash';

/**
 * The adapter's cursor from what is stored, or null (read from the beginning) when the source's
 * options changed since it was stored: a fixed mapping or code table must reach every record, also
 * those of files already read. A cursor stored before options were hashed is kept as it is.
 */
export function cursorFor(stored: unknown, optionsHash: string): { cursor: unknown; changed: boolean } {
  if (stored && typeof stored === 'object' && OPTIONS_HASH in stored) {
    const s = stored as Record<string, unknown>;
    return s[OPTIONS_HASH] === optionsHash ? { cursor: s['cursor'] ?? null, changed: false } : { cursor: null, changed: true };
  }
  return { cursor: stored, changed: false };
}

const MAP_SLICE = 250;

/**
 * {@link mapRecords} in slices, letting the event loop run between them: the database's answers
 * for the page being stored (on its own thread) are taken as they come, instead of waiting for the
 * whole next page to be mapped.
 */
async function mapRecordsInSlices(adapter: AdapterDefinition<unknown, unknown>, sourceId: string, records: RawRecord[], options?: unknown): Promise<ReturnType<typeof mapRecords>> {
  if (records.length <= MAP_SLICE) return mapRecords(adapter, sourceId, records, options);
  const out: ReturnType<typeof mapRecords> = { valid: [], invalid: [] };
  for (let i = 0; i < records.length; i += MAP_SLICE) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const part = mapRecords(adapter, sourceId, records.slice(i, i + MAP_SLICE), options);
    out.valid.push(...part.valid);
    out.invalid.push(...part.invalid);
  }
  return out;
}

/** Tells the source which records of a stored page are stored as dossier versions; never throws. */
async function acknowledgePage(adapter: AdapterDefinition<unknown, unknown>, adapterOptions: unknown, page: Page<unknown>, mapped: ReturnType<typeof mapRecords>, ctx: PullContext, summary: SourceSummary): Promise<void> {
  const stored = new Set(mapped.valid.map((v) => v.location));
  const records = page.records.filter((r) => stored.has(r.location));
  try {
    const out = await adapter.acknowledge!(adapterOptions, records, ctx);
    if (out.acknowledged) summary.acknowledged = (summary.acknowledged ?? 0) + out.acknowledged;
    if (out.failed.length) summary.unacknowledged = (summary.unacknowledged ?? 0) + out.failed.length;
    for (const f of out.failed) warn(summary, `acknowledge ${f.key}: ${f.message} (the source sends it again; a later run acknowledges it)`);
  } catch (e) {
    summary.unacknowledged = (summary.unacknowledged ?? 0) + records.length;
    warn(summary, `acknowledge failed for ${records.length} record(s): ${publicMessage(e)} (the source sends them again; a later run acknowledges them)`);
  }
}

export async function ingestSource(
  ledger: Ledger,
  source: SourceConfig,
  adapter: AdapterDefinition<unknown, unknown>,
  options: IngestOptions,
): Promise<SourceSummary> {
  const summary: SourceSummary = { id: source.id, pulled: 0, new: 0, changed: 0, unchanged: 0, quarantined: 0 };
  const built = prepareSource(source, adapter, { env: options.env ?? process.env });
  const adapterOptions = built.options;
  const stored = cursorFor(await readCursor(ledger, source.id), built.optionsHash);
  const cursor = options.reread ? null : stored.cursor;
  if (options.reread) summary.reread = 'asked';
  else if (stored.changed) summary.reread = 'options';
  const pullCtx = options.signal ? { pageSize: source.pageSize, signal: options.signal } : { pageSize: source.pageSize };
  // One page is stored while the next is pulled and mapped: on PGlite the database works on its own
  // thread, so the two overlap. Pages are still stored in order, each with its own cursor.
  let storing: Promise<void> | null = null;
  const store = async (page: Page<unknown>, mapped: ReturnType<typeof mapRecords>) => {
    const res = await storePage(ledger, { sourceId: source.id, runId: options.runId, valid: mapped.valid, invalid: mapped.invalid, targetIds: options.targetIds, cursor: page.cursor === undefined ? undefined : { [OPTIONS_HASH]: built.optionsHash, cursor: page.cursor } });
    summary.pulled += page.records.length;
    summary.new += res.new;
    summary.changed += res.changed;
    summary.unchanged += res.unchanged;
    summary.quarantined += res.quarantined;
    if (res.stale) summary.stale = (summary.stale ?? 0) + res.stale;
    // The page is durably stored: now the source may be told (never before; a failure only warns).
    if (adapter.acknowledge && mapped.valid.length) await acknowledgePage(adapter, adapterOptions, page, mapped, pullCtx, summary);
    options.onPage?.(summary);
  };
  try {
    for await (const page of adapter.pull(adapterOptions, cursor, pullCtx)) {
      const mapped = await mapRecordsInSlices(adapter, source.id, page.records, adapterOptions);
      await storing;
      // Stopped while this page was being read: it is not stored (the cursor stays before it).
      options.signal?.throwIfAborted();
      storing = store(page, mapped);
      // Handled here so that a failure waiting for the next page is not an unhandled rejection;
      // it is thrown by the `await storing` that follows.
      storing.catch(() => undefined);
    }
  } finally {
    // A failed pull still waits for (and reports) the page being stored.
    await storing;
  }
  return summary;
}
