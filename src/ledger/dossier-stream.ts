/**
 * Canonical dossiers from the ledger in keyset pages (by id), so memory stays bounded whatever the
 * ledger's size (the reports of src/reports read through this). Only the indexed columns select;
 * the record itself comes from `canonical`, read only for the rows that match.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Dossier } from '../../schemas/dossier.ts';
import type { Ledger } from './db.ts';
import { jsonText } from './rows.ts';

/** Statuses that end processing (rules.md §7.2); the same set as END_STATUSES of src/rules. */
const END_STATUS_SQL = sql`(3, 7, 8, 9, 10)`;

/** Which live dossiers to read; every condition given must hold (instants are ISO strings). */
export interface DossierFilter {
  /** NgayTiepNhan (`received_at`) before this instant. */
  receivedBefore?: string;
  /** NgayTiepNhan at or after this instant. */
  receivedFrom?: string;
  /** Not ended (status not 3, 7–10), or without NgayKetThucXuLy, or finished at or after this instant. */
  openOrFinishedSince?: string;
  /** Only dossiers with both NgayTiepNhan and NgayHenTra (`received_at`, `due_at`). */
  withReceiptAndDue?: boolean;
}

export interface StreamOptions {
  /** 1,000–5,000 rows per page; default 2,000. */
  pageSize?: number;
  /** Conditions on the dossiers (none: every live dossier). */
  filter?: DossierFilter;
  /** Also yield whether the portal holds the dossier (a delivery with `portal_has`). */
  withSynced?: boolean;
}

export interface StreamedDossier {
  id: number;
  dossier: Dossier;
  synced: boolean;
}

function matchOf(f: DossierFilter = {}): SQL {
  const parts = [sql`d.deleted_at is null`];
  if (f.withReceiptAndDue) parts.push(sql`d.received_at is not null and d.due_at is not null`);
  if (f.receivedFrom !== undefined) parts.push(sql`d.received_at >= ${f.receivedFrom}::timestamptz`);
  if (f.receivedBefore !== undefined) parts.push(sql`d.received_at < ${f.receivedBefore}::timestamptz`);
  if (f.openOrFinishedSince !== undefined) {
    parts.push(sql`(d.status not in ${END_STATUS_SQL} or d.finished_at is null or d.finished_at >= ${f.openOrFinishedSince}::timestamptz)`);
  }
  return sql.join(parts, sql` and `);
}

/**
 * Every live (not deleted) dossier matching `filter`, in id order, one page in memory at a time.
 * @example for await (const { dossier } of streamDossiers(ledger, { filter: { receivedBefore: '2026-11-01T00:00:00.000Z' } })) acc.add(dossier);
 */
export async function* streamDossiers(ledger: Ledger, options: StreamOptions = {}): AsyncGenerator<StreamedDossier> {
  const limit = Math.min(5000, Math.max(1000, options.pageSize ?? 2000));
  const synced = options.withSynced
    ? sql`exists (select 1 from deliveries q where q.dossier_id = d.id and q.portal_has)`
    : sql`false`;
  const match = matchOf(options.filter);
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
    for (const r of rows) if (r.canonical !== null && r.canonical !== undefined) yield { id: Number(r.id), dossier: jsonText<Dossier>(r.canonical), synced: Boolean(r.synced) };
    if (!more) return;
  }
}
