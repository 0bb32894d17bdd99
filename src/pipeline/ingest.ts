/**
 * Pulls one source page by page, maps and validates every record, and stores each page (with its
 * cursor) in one transaction. One bad record never stops a page; one failing source never stops
 * the others (the caller catches per source).
 */
import { createHash } from 'node:crypto';
import type { SourceConfig } from '../../schemas/config.ts';
import { dossierHash } from '../dossier/index.ts';
import { configProblems } from '../config-keys.ts';
import { ConfigError, type ValidationIssue } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { readCursor, storePage, type InvalidRecord, type ValidRecord } from '../ledger/store-page.ts';
import { storableJson, unstorableIssues } from '../ledger/storable.ts';
import { resolveSecrets, type AdapterDefinition, type Page, type RawRecord } from '../sdk/index.ts';
import { publicMessage } from '../privacy.ts';

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
}

export interface IngestOptions {
  /** Where the source's `*Env` secrets are read (default: the process environment). */
  env?: Record<string, string | undefined>;
  runId: string | null;
  targetIds: string[];
  signal?: AbortSignal;
  onPage?: (summary: SourceSummary) => void;
}

/**
 * Parses a source's options with its adapter's schema, naming the source and every bad option.
 * Secrets named by `<name>Env` options are resolved from `env` first (adapters never read env).
 */
export function parseSourceOptions(source: SourceConfig, adapter: AdapterDefinition<unknown, unknown>, env: Record<string, string | undefined> = process.env): unknown {
  const input = resolveSecrets(source.options, env, source.id);
  const parsed = adapter.configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(`source "${source.id}" (adapter ${adapter.id}) has invalid options`, configProblems(adapter.configSchema, parsed.error, input, ['options']));
  }
  return parsed.data;
}

/** Splits raw records into valid canonical dossiers and quarantine entries. */
export function mapRecords(adapter: AdapterDefinition<unknown, unknown>, sourceId: string, records: RawRecord[], options?: unknown): { valid: ValidRecord[]; invalid: InvalidRecord[] } {
  const valid: ValidRecord[] = [];
  const invalid: InvalidRecord[] = [];
  for (const rec of records) {
    let issues: ValidationIssue[] | undefined = rec.parseIssues;
    if (!issues?.length) {
      try {
        const out = adapter.map(rec.raw, options === undefined ? { sourceId } : { sourceId, options });
        if (out.ok) {
          const json = JSON.stringify(out.value);
          valid.push({ dossier: out.value, raw: rec.raw, hash: dossierHash(out.value, json), json, location: rec.location, rawText: rec.rawText ?? null, ...(rec.modifiedAt ? { modifiedAt: rec.modifiedAt } : {}) });
          continue;
        }
        issues = out.issues;
      } catch (e) {
        // A record nested past what any mapper walks (a stack overflow) is named as such, with its path.
        const deep = e instanceof RangeError ? unstorableIssues(rec.raw, rec.key ?? rec.location).filter((i) => i.code === 'too_deep') : [];
        issues = deep.length ? deep : [{ path: '', message: `the adapter failed to map this record: ${publicMessage(e)}` }];
      }
    }
    const rawText = rec.rawText ?? null;
    invalid.push({
      key: rec.key ?? rec.location,
      location: rec.location,
      raw: rec.raw,
      rawText,
      rawHash: createHash('sha256').update(rawText ?? storableJson(rec.raw)).digest('hex'),
      issues,
    });
  }
  return { valid, invalid };
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

export async function ingestSource(
  ledger: Ledger,
  source: SourceConfig,
  adapter: AdapterDefinition<unknown, unknown>,
  options: IngestOptions,
): Promise<SourceSummary> {
  const summary: SourceSummary = { id: source.id, pulled: 0, new: 0, changed: 0, unchanged: 0, quarantined: 0 };
  const adapterOptions = parseSourceOptions(source, adapter, options.env ?? process.env);
  const cursor = await readCursor(ledger, source.id);
  const pullCtx = options.signal ? { pageSize: source.pageSize, signal: options.signal } : { pageSize: source.pageSize };
  // One page is stored while the next is pulled and mapped: on PGlite the database works on its own
  // thread, so the two overlap. Pages are still stored in order, each with its own cursor.
  let storing: Promise<void> | null = null;
  const store = async (page: Page<unknown>, mapped: ReturnType<typeof mapRecords>) => {
    const res = await storePage(ledger, { sourceId: source.id, runId: options.runId, valid: mapped.valid, invalid: mapped.invalid, targetIds: options.targetIds, cursor: page.cursor });
    summary.pulled += page.records.length;
    summary.new += res.new;
    summary.changed += res.changed;
    summary.unchanged += res.unchanged;
    summary.quarantined += res.quarantined;
    if (res.stale) summary.stale = (summary.stale ?? 0) + res.stale;
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
