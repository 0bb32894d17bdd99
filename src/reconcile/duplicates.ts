/**
 * `duplicate_code`: one MaHoSo held by several sources. The portal keys dossiers by MaHoSo alone,
 * so each source's push overwrites the other's; a person must decide which system owns the code.
 */
import type { Ledger } from '../ledger/db.ts';
import { duplicateCodes } from '../ledger/reconcile-read.ts';
import { periodBounds } from '../rules/periods.ts';
import type { BucketContext } from './buckets.ts';
import type { Difference } from './types.ts';

export async function findDuplicateCodes(ledger: Ledger, sourceIds: string[], ctx: BucketContext, unit?: string): Promise<Difference[]> {
  if (sourceIds.length === 0) return [];
  const bounds = periodBounds(ctx);
  const rows = await duplicateCodes(ledger, { sourceIds, receivedBefore: new Date(bounds.endExclusive).toISOString(), ...(unit ? { unit } : {}) });
  return rows.map(({ code, units, sources }) => ({ code, unitCode: units.find((u) => u !== '') ?? null, reason: 'duplicate_code', detail: { sources, units: units.filter((u) => u !== '') } }));
}
