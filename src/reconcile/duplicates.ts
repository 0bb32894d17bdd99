/**
 * `duplicate_code`: one MaHoSo held by several sources. The portal keys dossiers by MaHoSo alone,
 * so each source's push overwrites the other's; a person must decide which system owns the code.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from '../ledger/db.ts';
import { textArray } from '../ledger/sql-helpers.ts';
import { periodBounds } from '../rules/periods.ts';
import type { BucketContext } from './buckets.ts';
import type { Difference } from './types.ts';

export async function findDuplicateCodes(ledger: Ledger, sourceIds: string[], ctx: BucketContext, unit?: string): Promise<Difference[]> {
  if (sourceIds.length === 0) return [];
  const bounds = periodBounds(ctx);
  const rows = await ledger.rows<{ code: string; units: string[] | string; sources: string[] | string }>(sql`
    select code, jsonb_agg(distinct coalesce(unit_code, '')) as units, jsonb_agg(source_id order by source_id) as sources
    from dossiers
    where deleted_at is null and code in (
      select code from dossiers where deleted_at is null and source_id = any(${textArray(sourceIds)})
        and received_at < ${new Date(bounds.endExclusive).toISOString()}::timestamptz
        ${unit ? sql`and unit_code = ${unit}` : sql``})
    group by code having count(*) > 1 order by code`);
  return rows.map((r) => {
    const units = (typeof r.units === 'string' ? JSON.parse(r.units) : r.units) as string[];
    const sources = (typeof r.sources === 'string' ? JSON.parse(r.sources) : r.sources) as string[];
    return { code: r.code, unitCode: units.find((u) => u !== '') ?? null, reason: 'duplicate_code', detail: { sources, units: units.filter((u) => u !== '') } };
  });
}
