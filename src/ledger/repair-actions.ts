/**
 * What `reconcile --repair` and `reconcile undo` change in the ledger (src/reconcile/repair.ts):
 * snapshots of the dossier and delivery columns a repair may change (kept in `repair_actions` to
 * undo it), the changes themselves, the actions recorded, and their reversal. A snapshot is a plain
 * JSON object: column names as keys, timestamps as the database returns them (a Date as ISO text).
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from './db.ts';
import { intOrNull, isoOf, isoOrNull, jsonText, textOrNull } from './rows.ts';
import { textArray } from './sql-helpers.ts';

export type RepairActionKind = 'repull' | 'mark_deleted' | 'requeue' | 'resend';
export type Snapshot = Record<string, unknown>;

/** Dossier columns a re-pull may change, kept to undo it. */
const DOSSIER_COLUMNS = sql`d.raw, d.canonical, d.content_hash, d.unit_code, d.procedure_code, d.status, d.channel, d.received_at, d.due_at, d.finished_at, d.as_of, d.deleted_at, d.version`;
/** Delivery columns a re-queue or re-send changes. */
const DELIVERY_COLUMNS = sql`q.status, q.version, q.attempts, q.next_attempt_at, q.last_error, q.lease_owner, q.lease_until, q.dossier_acked_version, q.progress_acked, q.progress_acked_hash, q.portal_has`;

/** A row as a snapshot, without the `drop` columns (canonical parsed when it came as text). */
function snapshot(row: Record<string, unknown>, drop: readonly string[]): Snapshot {
  const out: Snapshot = {};
  for (const [k, v] of Object.entries(row)) if (!drop.includes(k)) out[k] = typeof v === 'string' && (k === 'canonical' || k === 'before') ? jsonText(v) : v instanceof Date ? v.toISOString() : v;
  return out;
}

export interface RepairActionInsert {
  action: RepairActionKind;
  source_id: string | null;
  code: string;
  dossier_id: number | null;
  delivery_id: number | null;
  before: unknown;
  after: unknown;
}

/** Records actions of a repair of `reconciliationId` (in batches of 500). */
export async function insertRepairActions(ledger: Ledger, reconciliationId: string, by: string | null, rows: readonly RepairActionInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await ledger.rows(sql`
      insert into repair_actions (reconciliation_id, created_by, action, source_id, code, dossier_id, delivery_id, before, after)
      select ${reconciliationId}::uuid, ${by}, action, source_id, code, dossier_id, delivery_id, before, after
      from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 500))}::jsonb)
        as x(action text, source_id text, code text, dossier_id bigint, delivery_id bigint, before jsonb, after jsonb)`);
  }
}

/** One source's dossiers among `codes` as snapshots of the columns a re-pull may change, by code. */
export async function dossierSnapshots(ledger: Ledger, sourceId: string, codes: readonly string[]): Promise<Map<string, Snapshot>> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`select d.id, d.code, ${DOSSIER_COLUMNS} from dossiers d where d.source_id = ${sourceId} and d.code = any(${textArray(codes)})`);
  return new Map(rows.map((r) => [String(r['code']), snapshot(r, ['id', 'code'])]));
}

/** One source's dossiers among `codes`: id, content hash and version. */
export async function dossierVersions(ledger: Ledger, sourceId: string, codes: readonly string[]): Promise<Array<{ id: number; code: string; contentHash: string; version: number }>> {
  const rows = await ledger.rows<{ id: number | string; code: string; content_hash: string; version: number }>(sql`
    select id, code, content_hash, version from dossiers where source_id = ${sourceId} and code = any(${textArray(codes)})`);
  return rows.map((r) => ({ id: Number(r.id), code: String(r.code), contentHash: String(r.content_hash), version: Number(r.version) }));
}

/** Marks one source's live dossiers among `codes` deleted; those marked. */
export async function markDossiersDeleted(ledger: Ledger, sourceId: string, codes: readonly string[]): Promise<Array<{ id: number; code: string }>> {
  const rows = await ledger.rows<{ id: number | string; code: string }>(sql`update dossiers set deleted_at = now(), updated_at = now()
    where source_id = ${sourceId} and code = any(${textArray(codes)}) and deleted_at is null returning id, code`);
  return rows.map((r) => ({ id: Number(r.id), code: String(r.code) }));
}

/** A delivery a repair queued again, as it is now. */
export interface QueuedDelivery {
  id: number;
  dossierId: number;
  code: string;
  sourceId: string;
  version: number;
}

const queued = (rows: Array<Record<string, unknown>>): QueuedDelivery[] =>
  rows.map((r) => ({ id: Number(r['id']), dossierId: Number(r['dossier_id']), code: String(r['code']), sourceId: String(r['source_id']), version: Number(r['version']) }));

/**
 * The live dossiers (code and source) with their delivery to `targetId`, by dossier id: the
 * delivery's snapshot, or null when it has none.
 */
export async function deliverySnapshotsOfDossiers(ledger: Ledger, wanted: ReadonlyArray<{ code: string; source: string }>, targetId: string): Promise<Map<number, Snapshot | null>> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    with wanted as (select x->>'code' as code, x->>'source' as source_id from jsonb_array_elements(${JSON.stringify(wanted)}::jsonb) as x)
    select d.id as dossier_id, q.id as delivery_id, ${DELIVERY_COLUMNS} from dossiers d join wanted w on w.code = d.code and w.source_id = d.source_id
      left join deliveries q on q.dossier_id = d.id and q.target_id = ${targetId}
    where d.deleted_at is null`);
  return new Map(rows.map((r) => [Number(r['dossier_id']), r['delivery_id'] !== null ? snapshot(r, ['dossier_id', 'delivery_id']) : null]));
}

/** Queues the live dossiers (code and source) for `targetId` at their current version (a delivery made or reset to pending). */
export async function queueDossiers(ledger: Ledger, wanted: ReadonlyArray<{ code: string; source: string }>, targetId: string): Promise<QueuedDelivery[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    with wanted as (select x->>'code' as code, x->>'source' as source_id from jsonb_array_elements(${JSON.stringify(wanted)}::jsonb) as x)
    insert into deliveries as q (dossier_id, target_id, source_id, version, status, next_attempt_at)
    select d.id, ${targetId}, d.source_id, d.version, 'pending', now() from dossiers d join wanted w on w.code = d.code and w.source_id = d.source_id
    where d.deleted_at is null
    on conflict (dossier_id, target_id) do update set version = excluded.version, status = 'pending', attempts = 0,
      next_attempt_at = now(), lease_owner = null, lease_until = null, last_error = null, updated_at = now()
    returning q.id, q.dossier_id, q.version, (select code from dossiers where id = q.dossier_id) as code, q.source_id`);
  return queued(rows);
}

/** Deliveries to `targetId` of live dossiers among `codes`, as snapshots by delivery id. */
export async function deliverySnapshotsByCode(ledger: Ledger, targetId: string, codes: readonly string[]): Promise<Map<number, Snapshot>> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`select q.id as delivery_id, ${DELIVERY_COLUMNS}
    from deliveries q join dossiers d on q.dossier_id = d.id where q.target_id = ${targetId} and d.deleted_at is null and d.code = any(${textArray(codes)})`);
  return new Map(rows.map((r) => [Number(r['delivery_id']), snapshot(r, ['delivery_id'])]));
}

/**
 * Sends the dossiers among `codes` to `targetId` again in full (what the portal acknowledged is
 * forgotten); `portalLost`: the portal no longer holds them (sent as new).
 */
export async function resendDeliveries(ledger: Ledger, targetId: string, codes: readonly string[], portalLost: boolean): Promise<QueuedDelivery[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`update deliveries q set status = 'pending', attempts = 0, next_attempt_at = now(),
      dossier_acked_version = null, progress_acked = 0, progress_acked_hash = null, lease_owner = null, lease_until = null,
      ${portalLost ? sql`portal_has = false,` : sql``} updated_at = now()
    from dossiers d where q.dossier_id = d.id and q.target_id = ${targetId} and d.deleted_at is null and d.code = any(${textArray(codes)})
    returning q.id, q.dossier_id, d.code, d.source_id, q.version`);
  return queued(rows);
}

/** Reconciliation ids with repair actions starting with `prefix` (at most 2). */
export async function repairedReconciliationIds(ledger: Ledger, prefix: string): Promise<string[]> {
  const rows = await ledger.rows<{ id: string }>(sql`
    select distinct reconciliation_id::text as id from repair_actions where reconciliation_id::text like ${`${prefix.toLowerCase()}%`} limit 2`);
  return rows.map((r) => String(r.id));
}

/** The first reconciliation id starting with `prefix`, or null. */
export async function reconciliationIdByPrefix(ledger: Ledger, prefix: string): Promise<string | null> {
  const rows = await ledger.rows<{ id: string }>(sql`select id::text as id from reconciliations where id::text like ${`${prefix.toLowerCase()}%`} limit 1`);
  return rows[0] ? String(rows[0].id) : null;
}

export interface RepairActionRow {
  id: number;
  reconciliationId: string;
  createdAt: string;
  createdBy: string | null;
  action: RepairActionKind;
  sourceId: string | null;
  code: string;
  dossierId: number | null;
  deliveryId: number | null;
  before: Snapshot | null;
  after: Snapshot | null;
  undoneAt: string | null;
  undoneBy: string | null;
  undoNote: string | null;
}

const ACTIONS: readonly RepairActionKind[] = ['repull', 'mark_deleted', 'requeue', 'resend'];
function actionOf(v: unknown, id: number): RepairActionKind {
  const a = ACTIONS.find((x) => x === v);
  if (!a) throw new Error(`repair_actions ${id}: action "${String(v)}" is none of ${ACTIONS.join(', ')}`);
  return a;
}

/** Every action of a reconciliation's repairs, oldest first. */
export async function selectRepairActions(ledger: Ledger, reconciliationId: string): Promise<RepairActionRow[]> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`select * from repair_actions where reconciliation_id = ${reconciliationId}::uuid order by id`);
  return rows.map((r) => {
    const id = Number(r['id']);
    return {
      id,
      reconciliationId: String(r['reconciliation_id']),
      createdAt: isoOf(r['created_at']),
      createdBy: textOrNull(r['created_by']),
      action: actionOf(r['action'], id),
      sourceId: textOrNull(r['source_id']),
      code: String(r['code']),
      dossierId: intOrNull(r['dossier_id']),
      deliveryId: intOrNull(r['delivery_id']),
      before: r['before'] === null || r['before'] === undefined ? null : jsonText<Snapshot>(r['before']),
      after: r['after'] === null || r['after'] === undefined ? null : jsonText<Snapshot>(r['after']),
      undoneAt: isoOrNull(r['undone_at']),
      undoneBy: textOrNull(r['undone_by']),
      undoNote: textOrNull(r['undo_note']),
    };
  });
}

/** Marks an action undone (by whom, now). */
export async function markRepairActionUndone(ledger: Ledger, id: number, by: string | null): Promise<void> {
  await ledger.rows(sql`update repair_actions set undone_at = now(), undone_by = ${by}, undo_note = null where id = ${id}`);
}

/** Why an action could not be undone. */
export async function setRepairUndoNote(ledger: Ledger, id: number, note: string): Promise<void> {
  await ledger.rows(sql`update repair_actions set undo_note = ${note} where id = ${id}`);
}

/** Lifts a deletion; false when the dossier is not deleted (any more). */
export async function undeleteDossier(ledger: Ledger, dossierId: number | null): Promise<boolean> {
  const rows = await ledger.rows(sql`update dossiers set deleted_at = null, updated_at = now() where id = ${dossierId} and deleted_at is not null returning id`);
  return rows.length > 0;
}

/** Marks a dossier deleted if it still has `contentHash` and is live; false otherwise. */
export async function deleteDossierIfUnchanged(ledger: Ledger, dossierId: number | null, contentHash: string): Promise<boolean> {
  const rows = await ledger.rows(sql`update dossiers set deleted_at = now(), updated_at = now() where id = ${dossierId} and content_hash = ${contentHash} and deleted_at is null returning id`);
  return rows.length > 0;
}

const tsOrNull = (b: Snapshot, k: string): string | null => (b[k] === null || b[k] === undefined ? null : String(b[k]));

/**
 * Puts back a dossier's snapshot (a new version) if it still has `contentHash`, and queues the
 * restored version on its deliveries; false when the dossier changed since.
 */
export async function restoreDossier(ledger: Ledger, dossierId: number | null, contentHash: string, b: Snapshot): Promise<boolean> {
  const rows = await ledger.rows<{ id: number; version: number }>(sql`
    update dossiers set raw = ${String(b['raw'])}, canonical = ${JSON.stringify(b['canonical'])}::jsonb, content_hash = ${String(b['content_hash'])},
      unit_code = ${textOrNull(b['unit_code'])}, procedure_code = ${String(b['procedure_code'])}, status = ${Number(b['status'])},
      channel = ${textOrNull(b['channel'])}, received_at = ${tsOrNull(b, 'received_at')}::timestamptz,
      due_at = ${tsOrNull(b, 'due_at')}::timestamptz, finished_at = ${tsOrNull(b, 'finished_at')}::timestamptz,
      as_of = ${tsOrNull(b, 'as_of')}::timestamptz, deleted_at = ${tsOrNull(b, 'deleted_at')}::timestamptz,
      version = version + 1, updated_at = now()
    where id = ${dossierId} and content_hash = ${contentHash} returning id, version`);
  if (!rows.length) return false;
  // The portal may hold the re-pulled version: queue the restored one.
  await ledger.rows(sql`update deliveries set version = ${Number(rows[0]?.version)}, status = 'pending', attempts = 0, next_attempt_at = now(),
    lease_owner = null, lease_until = null, last_error = null, updated_at = now() where dossier_id = ${dossierId}`);
  return true;
}

/** A delivery's status, attempts and version (null: it no longer exists). */
export async function deliveryState(ledger: Ledger, deliveryId: number | null): Promise<{ status: string; attempts: number; version: number } | null> {
  const [r] = await ledger.rows<{ status: string; attempts: number; version: number }>(sql`select status, attempts, version from deliveries where id = ${deliveryId}`);
  return r ? { status: String(r.status), attempts: Number(r.attempts), version: Number(r.version) } : null;
}

export async function deleteDelivery(ledger: Ledger, deliveryId: number | null): Promise<void> {
  await ledger.rows(sql`delete from deliveries where id = ${deliveryId}`);
}

/** Puts a delivery's snapshot back. */
export async function restoreDelivery(ledger: Ledger, deliveryId: number | null, b: Snapshot): Promise<void> {
  await ledger.rows(sql`update deliveries set status = ${String(b['status'])}, version = ${Number(b['version'])}, attempts = ${Number(b['attempts'])},
      next_attempt_at = ${tsOrNull(b, 'next_attempt_at')}::timestamptz, last_error = ${tsOrNull(b, 'last_error')}, lease_owner = ${tsOrNull(b, 'lease_owner')}, lease_until = ${tsOrNull(b, 'lease_until')}::timestamptz,
      dossier_acked_version = ${b['dossier_acked_version'] === null ? null : Number(b['dossier_acked_version'])}, progress_acked = ${Number(b['progress_acked'] ?? 0)},
      progress_acked_hash = ${tsOrNull(b, 'progress_acked_hash')}, portal_has = ${Boolean(b['portal_has'])}, updated_at = now()
    where id = ${deliveryId}`);
}
