/**
 * A source as one side of reconciliation. An adapter that can list keys by range (`listKeys`,
 * optionally `checksum` computed at the source) is asked range by range; any other adapter is read
 * once from the beginning (a pull with no cursor), each record mapped and hashed as ingest would.
 * `fetch` gives back the raw records of some keys (the adapter's own `fetch`, else a filtered pull).
 */
import type { SourceConfig } from '../../schemas/config.ts';
import { contentHash, dossierHash } from '../dossier/index.ts';
import { prepareSource, type BuiltSource } from '../pipeline/prepare-source.ts';
import type { AdapterDefinition, KeyRange, RawRecord, SourceKey } from '../sdk/index.ts';
import { checksumOf, memorySide, type RangeSide } from './checksum.ts';

export interface SourceSide extends RangeSide {
  /** Raw records of these keys, as the source holds them now (the last occurrence of a key wins). */
  fetch(keys: readonly string[]): Promise<RawRecord[]>;
  /** Maps raw records as ingest does, with the source's options (absent on a side built elsewhere, e.g. a benchmark's). */
  map?: BuiltSource['map'];
}

/**
 * The listing hash of a raw record: the ledger's content hash when it maps (with the source's
 * options, as ingest maps it), else a hash of the raw.
 */
export function listingHash(adapter: AdapterDefinition<unknown, unknown>, sourceId: string, rec: RawRecord, options?: unknown): { key: string; hash: string } {
  if (!rec.parseIssues?.length) {
    try {
      const out = adapter.map(rec.raw, options === undefined ? { sourceId } : { sourceId, options });
      if (out.ok) return { key: out.value.code, hash: dossierHash(out.value) };
    } catch {
      // counted as invalid below
    }
  }
  return { key: rec.key ?? rec.location, hash: `invalid:${contentHash(rec.rawText ?? rec.raw ?? null)}` };
}

const PAGE = 1000;

/**
 * Every record of a full pull, or those of `keys`: a key is the dossier code the record maps to
 * (with the source's options: a declared MaHoSo may differ from the raw key), its raw key or its
 * location. `each` receives the record and the code it is known by.
 */
async function pullFiltered(built: BuiltSource, keys: ReadonlySet<string> | null, each: (rec: RawRecord, key: string) => void): Promise<void> {
  const { adapter, options, source } = built;
  for await (const page of adapter.pull(options, null, { pageSize: PAGE })) {
    for (const rec of page.records) {
      if (keys === null) {
        each(rec, rec.key ?? rec.location);
        continue;
      }
      const { key } = listingHash(adapter, source.id, rec, options);
      const hit = [key, rec.key, rec.location].find((k): k is string => k !== null && keys.has(k));
      if (hit !== undefined) each(rec, hit);
    }
  }
}

/**
 * @example
 * const side = await sourceSide(config.sources[0], getAdapter('dvcqg-file'));
 * const { diff } = await bisect(ledgerSide(ledger, 'local'), side);
 */
export async function sourceSide(source: SourceConfig, adapter: AdapterDefinition<unknown, unknown>, env: Record<string, string | undefined> = process.env): Promise<SourceSide> {
  // Built as sync builds it: the same options (mapping, code tables) map the same records the same way.
  const built = prepareSource(source, adapter, { env });
  const { options } = built;
  const fetch = async (keys: readonly string[]): Promise<RawRecord[]> => {
    const wanted = new Set(keys);
    const found = new Map<string, RawRecord>();
    if (adapter.fetch) {
      for await (const page of adapter.fetch(options, keys, { pageSize: PAGE })) for (const r of page) found.set(r.key ?? r.location, r);
    } else {
      await pullFiltered(built, wanted, (r, key) => found.set(key, r));
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
      map: built.map,
    };
  }

  // No listing: read the source once; later occurrences of a key replace earlier ones, as in ingest.
  const latest = new Map<string, string>();
  await pullFiltered(built, null, (rec) => {
    const { key, hash } = listingHash(adapter, source.id, rec, options);
    latest.set(key, hash);
  });
  const side = memorySide(`source:${source.id}`, [...latest].map(([key, hash]) => ({ key, hash })));
  return { ...side, fetch, map: built.map };
}
