/**
 * The ledger as one side of checksum bisection: one source's live dossiers (not deleted), by code
 * in byte order, with their content hash. Checksums are computed inside the database (index-only
 * scan of `dossiers_reconcile_key_idx`); only listed segments travel.
 */
import type { Ledger } from '../ledger/db.ts';
import { codeRangeChecksums, codeRangeList, codeRangeSplitPoints } from '../ledger/reconcile-read.ts';
import type { SourceKey } from '../sdk/index.ts';
import type { RangeSide } from './checksum.ts';

/**
 * @example
 * const side = ledgerSide(ledger, 'qt-motcua');
 * await side.checksums({ from: null, to: null }, []); // [{ count: 1000000, xor: '-8071…' }]
 */
export function ledgerSide(ledger: Ledger, sourceId: string): RangeSide {
  return {
    name: `ledger:${sourceId}`,
    checksums: (range, bounds) => codeRangeChecksums(ledger, sourceId, range, bounds),
    splitPoints: (range, count, parts) => codeRangeSplitPoints(ledger, sourceId, range, count, parts),
    async list(range, limit) {
      const rows = await codeRangeList(ledger, sourceId, range, limit);
      return rows.map((r): SourceKey => ({ key: r.code, hash: r.contentHash }));
    },
  };
}
