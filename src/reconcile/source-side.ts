/**
 * A source as one side of reconciliation. An adapter that can list keys by range (`listKeys`,
 * optionally `checksum` computed at the source) is asked range by range; any other adapter is read
 * once from the beginning (a pull with no cursor), each record mapped and hashed as ingest would.
 * `fetch` gives back the raw records of some keys (the adapter's own `fetch`, else a filtered pull).
 */
import type { SourceConfig } from '../../schemas/config.ts';
import { contentHash, dossierHash } from '../dossier/index.ts';
import { parseSourceOptions } from '../pipeline/ingest.ts';
import type { AdapterDefinition, KeyRange, RawRecord, SourceKey } from '../sdk/index.ts';
import { checksumOf, memorySide, type RangeSide } from './checksum.ts';

export interface SourceSide extends RangeSide {
  /** Raw records of these keys, as the source holds them now (the last occurrence of a key wins). */
  fetch(keys: readonly string[]): Promise<RawRecord[]>;
}

/** The listing hash of a raw record: the ledger's content hash when it maps, else a hash of the raw. */
export function listingHash(adapter: AdapterDefinition<unknown, unknown>, sourceId: string, rec: RawRecord): { key: string; hash: string } {
  if (!rec.parseIssues?.length) {
    try {
      const out = adapter.map(rec.raw, { sourceId });
      if (out.ok) return { key: out.value.code, hash: dossierHash(out.value) };
    } catch {
      // counted as invalid below
    }
  }
  return { key: rec.key ?? rec.location, hash: `invalid:${contentHash(rec.rawText ?? rec.raw ?? null)}` };
}

const PAGE = 1000;

async function pullFiltered(adapter: AdapterDefinition<unknown, unknown>, options: unknown, keys: ReadonlySet<string> | null, each: (rec: RawRecord) => void): Promise<void> {
  for await (const page of adapter.pull(options, null, { pageSize: PAGE })) {
    for (const rec of page.records) {
      if (keys === null || (rec.key !== null && keys.has(rec.key)) || keys.has(rec.location)) each(rec);
    }
  }
}

/**
 * @example
 * const side = await sourceSide(config.sources[0], getAdapter('dvcqg-file'));
 * const { diff } = await bisect(ledgerSide(ledger, 'local'), side);
 */
export async function sourceSide(source: SourceConfig, adapter: AdapterDefinition<unknown, unknown>): Promise<SourceSide> {
  const options = parseSourceOptions(source, adapter);
  const fetch = async (keys: readonly string[]): Promise<RawRecord[]> => {
    const wanted = new Set(keys);
    const found = new Map<string, RawRecord>();
    if (adapter.fetch) {
      for await (const page of adapter.fetch(options, keys, { pageSize: PAGE })) for (const r of page) found.set(r.key ?? r.location, r);
    } else {
      await pullFiltered(adapter, options, wanted, (r) => found.set(r.key ?? r.location, r));
    }
    return [...found.values()];
  };

  if (adapter.listKeys) {
    const listKeys = adapter.listKeys.bind(adapter);
    const list = async (range: KeyRange, limit: number): Promise<SourceKey[]> => {
      const out: SourceKey[] = [];
      for await (const page of listKeys(options, range, { pageSize: Math.min(limit, PAGE) })) {
        out.push(...page);
        if (out.length >= limit) break;
      }
      return out.slice(0, limit);
    };
    return {
      name: `source:${source.id}`,
      async checksums(range, bounds) {
        const edges = [range.from, ...bounds, range.to];
        const segs: KeyRange[] = edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1] ?? null }));
        if (adapter.checksum) return Promise.all(segs.map((r) => adapter.checksum!(options, r)));
        return Promise.all(segs.map(async (r) => checksumOf(await list(r, Number.MAX_SAFE_INTEGER))));
      },
      async splitPoints(range, count, parts) {
        const keys = await list(range, count);
        const step = Math.ceil(keys.length / parts);
        const out: string[] = [];
        for (let i = step; i < keys.length; i += step) out.push((keys[i] as SourceKey).key);
        return out;
      },
      list,
      fetch,
    };
  }

  // No listing: read the source once; later occurrences of a key replace earlier ones, as in ingest.
  const latest = new Map<string, string>();
  await pullFiltered(adapter, options, null, (rec) => {
    const { key, hash } = listingHash(adapter, source.id, rec);
    latest.set(key, hash);
  });
  const side = memorySide(`source:${source.id}`, [...latest].map(([key, hash]) => ({ key, hash })));
  return { ...side, fetch };
}
