/**
 * `lienthong catalog sync`: reads the procedure catalogue from a file (the `reports.catalog` format)
 * or from a configured target (LayDanhSachTTHC + LayThuTuc), and stores it in the ledger with
 * counts. A bad entry is reported with its field and skipped; the others are stored.
 */
import { open } from 'node:fs/promises';
import type { Config } from '../../schemas/config.ts';
import { ConfigError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { readCatalogFile, type CatalogProblem, type ReadEntries } from './entry.ts';
import { readPortalCatalog } from './portal.ts';
import { upsertCatalog, type SyncCounts } from './store.ts';

/** A catalogue file larger than this is refused. */
export const MAX_FILE_BYTES = 32 * 2 ** 20;

export interface CatalogSyncResult extends SyncCounts {
  /** `file:<path>` or `target:<id>`. */
  source: string;
  /** Entries skipped, each with its field (at most MAX_PROBLEMS listed; `skipped` counts them all). */
  skipped: number;
  problems: CatalogProblem[];
}

export const MAX_PROBLEMS = 200;

export async function readCatalogFilePath(path: string): Promise<ReadEntries> {
  const handle = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new ConfigError(`catalog file ${path}: ${e.code === 'ENOENT' ? 'not found' : e.message}`);
  });
  try {
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) throw new ConfigError(`catalog file ${path} is larger than ${MAX_FILE_BYTES} bytes`);
    const text = await handle.readFile('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(`catalog file ${path} is not valid JSON (${(e as Error).message})`);
    }
    return readCatalogFile(json);
  } finally {
    await handle.close();
  }
}

export interface CatalogSyncOptions {
  file?: string;
  target?: string;
  env?: Record<string, string | undefined>;
  now?: Date;
  signal?: AbortSignal;
}

export async function syncCatalog(ledger: Ledger, config: Config, options: CatalogSyncOptions): Promise<CatalogSyncResult> {
  let read: ReadEntries;
  let source: string;
  if (options.file !== undefined) {
    read = await readCatalogFilePath(options.file);
    source = `file:${options.file}`;
  } else {
    const id = options.target ?? (config.targets.length === 1 ? config.targets[0]?.id : undefined);
    if (id === undefined) throw new ConfigError(`catalog sync needs --file PATH or --target ID (targets: ${config.targets.map((t) => t.id).join(', ') || 'none configured'})`);
    const target = config.targets.find((t) => t.id === id);
    if (!target) throw new ConfigError(`no target "${id}" in the configuration (targets: ${config.targets.map((t) => t.id).join(', ') || 'none'})`);
    read = await readPortalCatalog(target, { ...(options.env ? { env: options.env } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    source = `target:${id}`;
  }
  const counts = await upsertCatalog(ledger, read.entries, source, options.now);
  return { source, ...counts, skipped: read.problems.length, problems: read.problems.slice(0, MAX_PROBLEMS) };
}
