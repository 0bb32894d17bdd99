/**
 * Checksum bisection (the data-diff method): both sides reduce a key range to (count, XOR of
 * 64-bit record fingerprints); equal checksums end the search, differing ones are split into
 * `factor` segments at keys taken from the fuller side and compared again, and only segments of at
 * most `leaf` records are listed key by key. Rows moved to the comparison are proportional to the
 * differences, not to the data. Keys compare in byte order (JS `<` on ASCII codes = SQL `collate "C"`).
 */
import { createHash } from 'node:crypto';
import type { KeyRange, RangeChecksum, SourceKey } from '../sdk/index.ts';

/** What bisection needs from one side (the ledger, a source). */
export interface RangeSide {
  readonly name: string;
  /** Checksums of the segments of `range` cut at `bounds` (sorted, inside the range): bounds.length + 1 of them. */
  checksums(range: KeyRange, bounds: readonly string[]): Promise<RangeChecksum[]>;
  /** Up to `parts - 1` keys that cut the range into parts of about equal size (`count` = records in it). */
  splitPoints(range: KeyRange, count: number, parts: number): Promise<string[]>;
  /** Keys with hashes in key order, at most `limit`. */
  list(range: KeyRange, limit: number): Promise<SourceKey[]>;
}

export interface ChangedKey {
  key: string;
  ledgerHash: string;
  sourceHash: string;
}

export interface KeyDiff {
  /** In the first side only (the ledger). */
  onlyLedger: SourceKey[];
  /** In the second side only (the source). */
  onlySource: SourceKey[];
  changed: ChangedKey[];
}

export interface DiffStats {
  method: 'bisection' | 'full';
  /** Checksum / split / list requests made to each side. */
  requests: number;
  /** Records covered by checksums computed inside a side (its own cost, never transferred). */
  rowsChecksummed: number;
  /** Records transferred to the comparison, both sides. */
  rowsListed: number;
  segments: number;
  ms: number;
}

const MASK = (1n << 64n) - 1n;

/**
 * A record's 64-bit fingerprint from its hash: the first 16 hex digits of a sha256 hex hash (the
 * ledger's content hash), else of sha256(hash). Signed, as PostgreSQL's bigint.
 *
 * @example fingerprint('ffffffffffffffff…') // -1n
 */
export function fingerprint(hash: string): bigint {
  const hex = /^[0-9a-f]{16}/.test(hash) ? hash.slice(0, 16) : createHash('sha256').update(hash).digest('hex').slice(0, 16);
  return BigInt.asIntN(64, BigInt(`0x${hex}`) & MASK);
}

/** Checksum of a list of keys (count + XOR of fingerprints). */
export function checksumOf(keys: Iterable<SourceKey>): RangeChecksum {
  let count = 0;
  let xor = 0n;
  for (const k of keys) {
    count++;
    xor ^= fingerprint(k.hash);
  }
  return { count, xor: BigInt.asIntN(64, xor).toString() };
}

function sameChecksum(a: RangeChecksum, b: RangeChecksum): boolean {
  return a.count === b.count && BigInt(a.xor) === BigInt(b.xor);
}

function diffLists(a: SourceKey[], b: SourceKey[], out: KeyDiff): void {
  const right = new Map(b.map((k) => [k.key, k.hash]));
  for (const k of a) {
    const h = right.get(k.key);
    if (h === undefined) out.onlyLedger.push(k);
    else {
      if (h !== k.hash) out.changed.push({ key: k.key, ledgerHash: k.hash, sourceHash: h });
      right.delete(k.key);
    }
  }
  for (const k of b) if (right.has(k.key)) out.onlySource.push(k);
}

export interface BisectOptions {
  /** Segments per split (data-diff's bisection factor). */
  factor?: number;
  /** A segment with at most this many records on each side is listed. */
  leaf?: number;
}

/**
 * Finds the keys that differ between the ledger and a source by checksum bisection.
 *
 * @example
 * const { diff, stats } = await bisect(ledgerSide, sourceSide);
 * diff.onlySource // never pulled · diff.onlyLedger // deleted at the source · diff.changed // newer at the source
 */
export async function bisect(ledger: RangeSide, source: RangeSide, options: BisectOptions = {}): Promise<{ diff: KeyDiff; stats: DiffStats }> {
  const factor = Math.max(2, options.factor ?? 16);
  const leaf = Math.max(1, options.leaf ?? 256);
  const started = performance.now();
  const diff: KeyDiff = { onlyLedger: [], onlySource: [], changed: [] };
  const stats: DiffStats = { method: 'bisection', requests: 0, rowsChecksummed: 0, rowsListed: 0, segments: 0, ms: 0 };

  const checksums = async (range: KeyRange, bounds: readonly string[]) => {
    stats.requests += 2;
    const [a, b] = await Promise.all([ledger.checksums(range, bounds), source.checksums(range, bounds)]);
    for (const c of [...a, ...b]) stats.rowsChecksummed += c.count;
    stats.segments += bounds.length + 1;
    return [a, b] as const;
  };
  const listBoth = async (range: KeyRange, max: number) => {
    stats.requests += 2;
    const [a, b] = await Promise.all([ledger.list(range, max + 1), source.list(range, max + 1)]);
    stats.rowsListed += a.length + b.length;
    diffLists(a, b, diff);
  };

  const visit = async (range: KeyRange, a: RangeChecksum, b: RangeChecksum): Promise<void> => {
    if (sameChecksum(a, b)) return;
    const fuller = a.count >= b.count ? ledger : source;
    const count = Math.max(a.count, b.count);
    if (count <= leaf) return listBoth(range, count);
    stats.requests += 1;
    const bounds = (await fuller.splitPoints(range, count, factor)).filter(
      (k, i, all) => (range.from === null || k > range.from) && (range.to === null || k < range.to) && (i === 0 || k > (all[i - 1] as string)),
    );
    if (bounds.length === 0) return listBoth(range, count);
    const [sa, sb] = await checksums(range, bounds);
    const edges = [range.from, ...bounds, range.to];
    for (let i = 0; i <= bounds.length; i++) {
      await visit({ from: edges[i] ?? null, to: edges[i + 1] ?? null }, sa[i] as RangeChecksum, sb[i] as RangeChecksum);
    }
  };

  const all: KeyRange = { from: null, to: null };
  const [[a], [b]] = await checksums(all, []);
  await visit(all, a as RangeChecksum, b as RangeChecksum);
  stats.ms = Math.round(performance.now() - started);
  return { diff, stats };
}

/**
 * The full comparison bisection is measured against: every key of both sides, merged page by page.
 *
 * @example const { diff, stats } = await compareAll(ledgerSide, sourceSide, 10_000);
 */
export async function compareAll(ledger: RangeSide, source: RangeSide, pageSize = 10_000): Promise<{ diff: KeyDiff; stats: DiffStats }> {
  const started = performance.now();
  const diff: KeyDiff = { onlyLedger: [], onlySource: [], changed: [] };
  const stats: DiffStats = { method: 'full', requests: 0, rowsChecksummed: 0, rowsListed: 0, segments: 0, ms: 0 };
  const pager = (side: RangeSide) => {
    let from: string | null = null;
    let buf: SourceKey[] = [];
    let done = false;
    return async (): Promise<SourceKey | undefined> => {
      if (buf.length === 0 && !done) {
        stats.requests++;
        buf = await side.list({ from, to: null }, pageSize);
        stats.rowsListed += buf.length;
        if (buf.length < pageSize) done = true;
        const last = buf.at(-1);
        // `from` is inclusive: continue just after the last key (no key holds U+0000, which PostgreSQL text refuses).
        if (last) from = `${last.key}\u0001`;
        buf.reverse();
      }
      return buf.pop();
    };
  };
  const nextA = pager(ledger);
  const nextB = pager(source);
  let a = await nextA();
  let b = await nextB();
  while (a || b) {
    if (a && (!b || a.key < b.key)) {
      diff.onlyLedger.push(a);
      a = await nextA();
    } else if (b && (!a || b.key < a.key)) {
      diff.onlySource.push(b);
      b = await nextB();
    } else if (a && b) {
      if (a.hash !== b.hash) diff.changed.push({ key: a.key, ledgerHash: a.hash, sourceHash: b.hash });
      a = await nextA();
      b = await nextB();
    }
  }
  stats.ms = Math.round(performance.now() - started);
  return { diff, stats };
}

/** A side over a sorted in-memory listing (a source read whole, tests, the benchmark's source). */
export function memorySide(name: string, keys: SourceKey[]): RangeSide & { keys: SourceKey[] } {
  const sorted = [...keys].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const fps = sorted.map((k) => fingerprint(k.hash));
  const lowerBound = (key: string | null): number => {
    if (key === null) return 0;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as SourceKey).key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const end = (key: string | null) => (key === null ? sorted.length : lowerBound(key));
  return {
    name,
    keys: sorted,
    async checksums(range, bounds) {
      const edges = [lowerBound(range.from), ...bounds.map(lowerBound), end(range.to)];
      const out: RangeChecksum[] = [];
      for (let i = 0; i + 1 < edges.length; i++) {
        let xor = 0n;
        const from = edges[i] as number;
        const to = edges[i + 1] as number;
        for (let j = from; j < to; j++) xor ^= fps[j] as bigint;
        out.push({ count: Math.max(0, to - from), xor: BigInt.asIntN(64, xor).toString() });
      }
      return out;
    },
    async splitPoints(range, _count, parts) {
      const from = lowerBound(range.from);
      const n = end(range.to) - from;
      const step = Math.ceil(n / parts);
      const out: string[] = [];
      for (let i = step; i < n; i += step) out.push((sorted[from + i] as SourceKey).key);
      return out;
    },
    async list(range, limit) {
      const from = lowerBound(range.from);
      return sorted.slice(from, Math.min(end(range.to), from + limit));
    },
  };
}
