/**
 * Canonical dossiers from the ledger in keyset pages (by id), so memory stays bounded whatever the
 * ledger's size. Only the indexed columns select; the record itself comes from `canonical`, read
 * only for the rows that match.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Dossier } from '../../schemas/dossier.ts';
import type { Ledger } from '../ledger/db.ts';
import { periodBounds, type Period } from '../rules/periods.ts';

/** Statuses that end processing (rules.md §7.2); the same set as END_STATUSES of src/rules. */
const END_STATUS_SQL = sql`(3, 7, 8, 9, 10)`;

/**
 * How long before the period start a dossier's NgayKetThucXuLy (`finished_at`) may lie and it is
 * still read: the end of processing the rules use comes from the progress history when there is
 * one (rules.md §9), which can be later than NgayKetThucXuLy in inconsistent records.
 */
export const FINISHED_SLACK_DAYS = 31;

export interface StreamOptions {
  /** 1,000–5,000 rows per page; default 2,000. */
  pageSize?: number;
  /** Extra SQL condition on `dossiers d` (built with `sql`, never concatenated). */
  where?: SQL;
  /** Also yield whether the portal holds the dossier (a delivery with `portal_has`). */
  withSynced?: boolean;
}

export interface StreamedDossier {
  id: number;
  dossier: Dossier;
  synced: boolean;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/**
 * Every live (not deleted) dossier matching `where`, in id order, one page in memory at a time.
 * @example for await (const { dossier } of streamDossiers(ledger, { where: periodFilter(period) })) acc.add(dossier);
 */
export async function* streamDossiers(ledger: Ledger, options: StreamOptions = {}): AsyncGenerator<StreamedDossier> {
  const limit = Math.min(5000, Math.max(1000, options.pageSize ?? 2000));
  const synced = options.withSynced
    ? sql`exists (select 1 from deliveries q where q.dossier_id = d.id and q.portal_has)`
    : sql`false`;
  const match = options.where ? sql`d.deleted_at is null and ${options.where}` : sql`d.deleted_at is null`;
  // The page of ids comes from the primary key alone, so every page is an index range scan: with
  // the period's conditions in the same query the planner may prefer the received_at index and
  // sort every page, which grows quadratically with the ledger. Rows outside the filter come
  // back without their record (canonical is not even read).
  const page = (after: number) =>
    ledger.rows<{ id: number | string; canonical: unknown; synced: boolean }>(sql`
      with k as (select id from dossiers where id > ${after} order by id limit ${limit})
      select d.id, case when ${match} then d.canonical end as canonical, case when ${match} then ${synced} else false end as synced
      from k join dossiers d on d.id = k.id order by d.id`);
  let next = page(0);
  for (;;) {
    const rows = await next;
    const more = rows.length === limit;
    // The next page is asked for before this one is counted: on PGlite the database reads it on its
    // own thread meanwhile. (A consumer that stops early leaves one page read for nothing.)
    if (more) {
      next = page(Number(rows.at(-1)?.id));
      next.catch(() => undefined);
    }
    for (const r of rows) if (r.canonical !== null && r.canonical !== undefined) yield { id: Number(r.id), dossier: json<Dossier>(r.canonical), synced: Boolean(r.synced) };
    if (!more) return;
  }
}

/**
 * Dossiers that can count in a period (Biểu 06, 766): received before the period ends, and not
 * finished, or finished after the period start (less {@link FINISHED_SLACK_DAYS}).
 * @example periodFilter({ from: '2026-10-01', to: '2026-10-31' })
 */
export function periodFilter(period: Period): SQL {
  const { start, endExclusive } = periodBounds(period);
  const end = new Date(endExclusive).toISOString();
  const since = new Date(start - FINISHED_SLACK_DAYS * 86_400_000).toISOString();
  return sql`d.received_at < ${end}::timestamptz
    and (d.status not in ${END_STATUS_SQL} or d.finished_at is null or d.finished_at >= ${since}::timestamptz)`;
}
