/**
 * The ledger as one side of checksum bisection: one source's live dossiers (not deleted), by code
 * in byte order, with their content hash. Checksums are computed inside the database (index-only
 * scan of `dossiers_reconcile_key_idx`); only listed segments travel.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Ledger } from '../ledger/db.ts';
import { textArray } from '../ledger/sql-helpers.ts';
import type { KeyRange, RangeChecksum, SourceKey } from '../sdk/index.ts';
import type { RangeSide } from './checksum.ts';

const FP = sql`('x' || left(content_hash, 16))::bit(64)::bigint`;

function where(sourceId: string, range: KeyRange): SQL {
  const parts = [sql`source_id = ${sourceId}`, sql`deleted_at is null`];
  if (range.from !== null) parts.push(sql`(code collate "C") >= (${range.from}::text collate "C")`);
  if (range.to !== null) parts.push(sql`(code collate "C") < (${range.to}::text collate "C")`);
  return sql.join(parts, sql` and `);
}

/**
 * @example
 * const side = ledgerSide(ledger, 'qt-motcua');
 * await side.checksums({ from: null, to: null }, []); // [{ count: 1000000, xor: '-8071…' }]
 */
export function ledgerSide(ledger: Ledger, sourceId: string): RangeSide {
  return {
    name: `ledger:${sourceId}`,
    async checksums(range, bounds) {
      const rows = await ledger.rows<{ seg: number; n: number; x: string | null }>(sql`
        select ${bounds.length ? sql`width_bucket(code collate "C", (${textArray([...bounds])}) collate "C")` : sql`0`} as seg,
               count(*)::int as n, bit_xor(${FP})::text as x
        from dossiers where ${where(sourceId, range)} group by 1`);
      const out: RangeChecksum[] = Array.from({ length: bounds.length + 1 }, () => ({ count: 0, xor: '0' }));
      for (const r of rows) out[Number(r.seg)] = { count: Number(r.n), xor: r.x ?? '0' };
      return out;
    },
    async splitPoints(range, count, parts) {
      const step = Math.max(1, Math.ceil(count / parts));
      const rows = await ledger.rows<{ code: string }>(sql`
        select code from (
          select code collate "C" as code, row_number() over (order by code collate "C") as rn
          from dossiers where ${where(sourceId, range)}) x
        where rn % ${step} = 1 and rn > 1 order by code limit ${parts - 1}`);
      return rows.map((r) => r.code);
    },
    async list(range, limit) {
      const rows = await ledger.rows<{ code: string; content_hash: string }>(sql`
        select code, content_hash from dossiers where ${where(sourceId, range)}
        order by code collate "C" limit ${limit}`);
      return rows.map((r): SourceKey => ({ key: r.code, hash: r.content_hash }));
    },
  };
}
