/**
 * `reconcile --repair`: re-pull what the ledger misses (missing, newer or quarantined at the
 * source — a corrected record leaves quarantine), mark what the source deleted, and re-queue what
 * the portal misses or holds stale. The next sync delivers; a new reconcile then shows zero.
 * `duplicate_code` is left to a person: which system owns the code is a decision, not a repair.
 * So is every portal-facing difference on such a code (the portal holds one source's dossier, the
 * other's look-up is stale): re-sending either would only overwrite the other on the portal.
 *
 * A deletion needs a positive listing: the source is asked again, now, and must be one that can
 * list (never a push-only source) and must not hold the dossier. Every change is recorded in
 * `repair_actions` with the row as it was, to be reviewed (`reconcile repairs ID`) and undone
 * (`reconcile undo ID`).
 */
import { sql } from 'drizzle-orm';
import type { Config, SourceConfig } from '../../schemas/config.ts';
import { NotFoundError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { textArray } from '../ledger/sql-helpers.ts';
import { storePage } from '../ledger/store-page.ts';
import { routedTargetIds } from '../outbox/units.ts';
import { adapterOfSource, buildSourceFrom, type BuiltSource } from '../pipeline/build-source.ts';
import type { AdapterDefinition } from '../sdk/index.ts';
import { json } from './ledger-scan.ts';
import { sourceSide, type SourceSide } from './source-side.ts';
import type { Difference, ReconcileReport } from './types.ts';

export interface RepairSummary {
  repulled: number;
  stillQuarantined: number;
  markedDeleted: number;
  requeued: number;
  resent: number;
  /** Differences a person must settle (duplicate codes, and what the portal shows for them), and deletions the source did not confirm. */
  leftAlone: number;
}

export interface RepairOptions {
  sourceSides?: Record<string, SourceSide>;
  /** Who repairs (recorded with every action). */
  createdBy?: string | null;
  /** Where sources' `*Env` secrets are read (default: the process environment). */
  env?: Record<string, string | undefined>;
}

export type RepairActionKind = 'repull' | 'mark_deleted' | 'requeue' | 'resend';

export interface RepairAction {
  id: number;
  reconciliationId: string;
  createdAt: string;
  createdBy: string | null;
  action: RepairActionKind;
  sourceId: string | null;
  code: string;
  dossierId: number | null;
  deliveryId: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  undoneAt: string | null;
  undoneBy: string | null;
  undoNote: string | null;
}

const sourceOf = (d: Difference) => String(d.detail['sourceId'] ?? '');

/** Dossier columns a re-pull may change, kept to undo it. */
const DOSSIER_COLUMNS = sql`d.raw, d.canonical, d.content_hash, d.unit_code, d.procedure_code, d.status, d.channel, d.received_at, d.due_at, d.finished_at, d.as_of, d.deleted_at, d.version`;
/** Delivery columns a re-queue or re-send changes. */
const DELIVERY_COLUMNS = sql`q.status, q.version, q.attempts, q.next_attempt_at, q.last_error, q.lease_owner, q.lease_until, q.dossier_acked_version, q.progress_acked, q.progress_acked_hash, q.portal_has`;

async function record(ledger: Ledger, reconciliationId: string, by: string | null, rows: Array<{ action: RepairActionKind; source_id: string | null; code: string; dossier_id: number | null; delivery_id: number | null; before: unknown; after: unknown }>): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await ledger.rows(sql`
      insert into repair_actions (reconciliation_id, created_by, action, source_id, code, dossier_id, delivery_id, before, after)
      select ${reconciliationId}::uuid, ${by}, action, source_id, code, dossier_id, delivery_id, before, after
      from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 500))}::jsonb)
        as x(action text, source_id text, code text, dossier_id bigint, delivery_id bigint, before jsonb, after jsonb)`);
  }
}

const plain = (row: Record<string, unknown>, drop: string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!drop.includes(k)) out[k] = typeof v === 'string' && (k === 'canonical' || k === 'before') ? json(v) : v instanceof Date ? v.toISOString() : v;
  return out;
};

export async function repair(ledger: Ledger, config: Config, report: ReconcileReport, opts: RepairOptions = {}): Promise<RepairSummary> {
  const summary: RepairSummary = { repulled: 0, stillQuarantined: 0, markedDeleted: 0, requeued: 0, resent: 0, leftAlone: 0 };
  const target = report.scope.target;
  const by = opts.createdBy ?? null;
  const duplicated = new Set(report.differences.filter((d) => d.reason === 'duplicate_code').map((d) => d.code));
  const toPortal = new Set(['not_delivered', 'missing_on_portal', 'portal_stale', 'unit_mismatch', 'period_mismatch']);
  const leftAlone = (d: Difference) => d.reason === 'duplicate_code' || (toPortal.has(d.reason) && duplicated.has(d.code));
  const of = (...reasons: string[]) => report.differences.filter((d) => reasons.includes(d.reason) && !leftAlone(d));
  const sides = new Map<string, SourceSide>();
  const env = opts.env ?? process.env;
  const adapterOf = (source: SourceConfig): AdapterDefinition<unknown, unknown> => adapterOfSource(source);
  const sideOf = async (source: SourceConfig, adapter: AdapterDefinition<unknown, unknown>): Promise<SourceSide> => {
    let side = opts.sourceSides?.[source.id] ?? sides.get(source.id);
    if (!side) sides.set(source.id, (side = await sourceSide(source, adapter, env)));
    return side;
  };
  // Records re-read are mapped as sync maps them: with the source's options (mapping, code tables).
  const mapperOf = (source: SourceConfig, side: SourceSide): BuiltSource['map'] => side.map ?? buildSourceFrom(source, { env, secrets: 'optional' }).map;

  const pull = of('missing_in_ledger', 'quarantined');
  for (const source of config.sources) {
    const keys = pull.filter((d) => sourceOf(d) === source.id).map((d) => d.code);
    if (keys.length === 0) continue;
    const adapter = adapterOf(source);
    if (adapter.pushOnly && !opts.sourceSides?.[source.id]) {
      summary.leftAlone += keys.length;
      continue;
    }
    const side = await sideOf(source, adapter);
    for (let i = 0; i < keys.length; i += source.pageSize) {
      const records = await side.fetch(keys.slice(i, i + source.pageSize));
      const { valid, invalid } = mapperOf(source, side)(records);
      const codes = valid.map((v) => v.dossier.code);
      const before = new Map<string, Record<string, unknown>>();
      if (codes.length) {
        const rows = await ledger.rows<Record<string, unknown>>(sql`select d.id, d.code, ${DOSSIER_COLUMNS} from dossiers d where d.source_id = ${source.id} and d.code = any(${textArray(codes)})`);
        for (const r of rows) before.set(String(r['code']), r);
      }
      // No cursor: a re-pull never moves the source's cursor.
      const res = await storePage(ledger, { sourceId: source.id, runId: null, valid, invalid, targetIds: routedTargetIds(config.targets) });
      summary.repulled += res.new + res.changed + res.unchanged;
      summary.stillQuarantined += res.quarantined;
      if (res.storedCodes.length) {
        const after = await ledger.rows<{ id: number; code: string; content_hash: string; version: number }>(sql`
          select id, code, content_hash, version from dossiers where source_id = ${source.id} and code = any(${textArray(res.storedCodes)})`);
        await record(ledger, report.id, by, after.map((a) => {
          const b = before.get(a.code);
          return { action: 'repull', source_id: source.id, code: a.code, dossier_id: Number(a.id), delivery_id: null, before: b ? plain(b, ['id', 'code']) : null, after: { content_hash: a.content_hash, version: Number(a.version) } };
        }));
      }
    }
  }

  // Deletions: only what a source that can list confirms, now, it no longer holds.
  const deleted = of('deleted_at_source');
  for (const source of config.sources) {
    const keys = [...new Set(deleted.filter((d) => sourceOf(d) === source.id).map((d) => d.code))];
    if (keys.length === 0) continue;
    const adapter = adapterOf(source);
    if ((adapter.pushOnly || source.webhookSecretEnv) && !opts.sourceSides?.[source.id]) {
      summary.leftAlone += keys.length;
      continue;
    }
    const side = await sideOf(source, adapter);
    const held = new Set<string>();
    for (let i = 0; i < keys.length; i += source.pageSize) {
      const chunk = keys.slice(i, i + source.pageSize);
      const found = await side.fetch(chunk);
      for (const r of found) held.add(r.key ?? r.location);
      // A record the source still holds under a key it maps from counts as held too.
      for (const v of mapperOf(source, side)(found).valid) held.add(v.dossier.code);
    }
    const gone = keys.filter((k) => !held.has(k));
    summary.leftAlone += keys.length - gone.length;
    if (gone.length === 0) continue;
    const rows = await ledger.rows<{ id: number; code: string }>(sql`update dossiers set deleted_at = now(), updated_at = now()
      where source_id = ${source.id} and code = any(${textArray(gone)}) and deleted_at is null returning id, code`);
    summary.markedDeleted += rows.length;
    await record(ledger, report.id, by, rows.map((r) => ({ action: 'mark_deleted', source_id: source.id, code: r.code, dossier_id: Number(r.id), delivery_id: null, before: { deleted_at: null }, after: null })));
  }

  const notDelivered = of('not_delivered');
  for (let i = 0; i < notDelivered.length; i += 500) {
    const codes = notDelivered.slice(i, i + 500);
    const wanted = JSON.stringify(codes.map((d) => ({ code: d.code, source: sourceOf(d) })));
    const before = await ledger.rows<Record<string, unknown>>(sql`
      with wanted as (select x->>'code' as code, x->>'source' as source_id from jsonb_array_elements(${wanted}::jsonb) as x)
      select d.id as dossier_id, q.id as delivery_id, ${DELIVERY_COLUMNS} from dossiers d join wanted w on w.code = d.code and w.source_id = d.source_id
        left join deliveries q on q.dossier_id = d.id and q.target_id = ${target}
      where d.deleted_at is null`);
    const prior = new Map(before.map((r) => [Number(r['dossier_id']), r]));
    const rows = await ledger.rows<{ id: number; dossier_id: number; code: string; source_id: string; version: number }>(sql`
      with wanted as (select x->>'code' as code, x->>'source' as source_id from jsonb_array_elements(${wanted}::jsonb) as x)
      insert into deliveries as q (dossier_id, target_id, source_id, version, status, next_attempt_at)
      select d.id, ${target}, d.source_id, d.version, 'pending', now() from dossiers d join wanted w on w.code = d.code and w.source_id = d.source_id
      where d.deleted_at is null
      on conflict (dossier_id, target_id) do update set version = excluded.version, status = 'pending', attempts = 0,
        next_attempt_at = now(), lease_owner = null, lease_until = null, last_error = null, updated_at = now()
      returning q.id, q.dossier_id, q.version, (select code from dossiers where id = q.dossier_id) as code, q.source_id`);
    summary.requeued += rows.length;
    await record(ledger, report.id, by, rows.map((r) => {
      const b = prior.get(Number(r.dossier_id));
      return { action: 'requeue', source_id: r.source_id, code: r.code, dossier_id: Number(r.dossier_id), delivery_id: Number(r.id), before: b && b['delivery_id'] !== null ? plain(b, ['dossier_id', 'delivery_id']) : null, after: { version: Number(r.version) } };
    }));
  }

  // The portal lost it: send it again as new. It holds other values: send the full record again (isUpdating "True").
  const lost = of('missing_on_portal').map((d) => d.code);
  const stale = of('portal_stale', 'unit_mismatch', 'period_mismatch').map((d) => d.code);
  for (const [codes, forget] of [[lost, true], [stale, false]] as const) {
    if (codes.length === 0) continue;
    const before = await ledger.rows<Record<string, unknown>>(sql`select q.id as delivery_id, ${DELIVERY_COLUMNS}
      from deliveries q join dossiers d on q.dossier_id = d.id where q.target_id = ${target} and d.deleted_at is null and d.code = any(${textArray(codes)})`);
    const prior = new Map(before.map((r) => [Number(r['delivery_id']), r]));
    const rows = await ledger.rows<{ id: number; dossier_id: number; code: string; source_id: string; version: number }>(sql`update deliveries q set status = 'pending', attempts = 0, next_attempt_at = now(),
        dossier_acked_version = null, progress_acked = 0, progress_acked_hash = null, lease_owner = null, lease_until = null,
        ${forget ? sql`portal_has = false,` : sql``} updated_at = now()
      from dossiers d where q.dossier_id = d.id and q.target_id = ${target} and d.deleted_at is null and d.code = any(${textArray(codes)})
      returning q.id, q.dossier_id, d.code, d.source_id, q.version`);
    summary.resent += rows.length;
    await record(ledger, report.id, by, rows.map((r) => {
      const b = prior.get(Number(r.id));
      return { action: 'resend', source_id: r.source_id, code: r.code, dossier_id: Number(r.dossier_id), delivery_id: Number(r.id), before: b ? plain(b, ['delivery_id']) : null, after: { version: Number(r.version) } };
    }));
  }
  summary.leftAlone += report.differences.filter(leftAlone).length;
  return summary;
}

/** The reconciliation a (unique) id prefix names. */
async function reconciliationId(ledger: Ledger, id: string): Promise<string> {
  const rows = await ledger.rows<{ id: string }>(sql`
    select distinct reconciliation_id::text as id from repair_actions where reconciliation_id::text like ${`${id.toLowerCase()}%`} limit 2`);
  if (rows.length === 1) return (rows[0] as { id: string }).id;
  if (rows.length > 1) throw new NotFoundError(`reconciliation id "${id}" is ambiguous`);
  const known = await ledger.rows<{ id: string }>(sql`select id::text as id from reconciliations where id::text like ${`${id.toLowerCase()}%`} limit 1`);
  throw new NotFoundError(known.length ? `reconciliation ${known[0]?.id} made no repairs` : `no reconciliation "${id}" with repairs (see: lienthong reconcile history)`);
}

/** Every action a repair of this reconciliation made, oldest first. */
export async function listRepairActions(ledger: Ledger, id: string): Promise<RepairAction[]> {
  const full = await reconciliationId(ledger, id);
  const rows = await ledger.rows<Record<string, unknown>>(sql`select * from repair_actions where reconciliation_id = ${full}::uuid order by id`);
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());
  return rows.map((r) => ({
    id: Number(r['id']),
    reconciliationId: String(r['reconciliation_id']),
    createdAt: iso(r['created_at']) as string,
    createdBy: (r['created_by'] as string | null) ?? null,
    action: r['action'] as RepairActionKind,
    sourceId: (r['source_id'] as string | null) ?? null,
    code: String(r['code']),
    dossierId: r['dossier_id'] === null ? null : Number(r['dossier_id']),
    deliveryId: r['delivery_id'] === null ? null : Number(r['delivery_id']),
    before: r['before'] === null ? null : json(r['before']),
    after: r['after'] === null ? null : json(r['after']),
    undoneAt: iso(r['undone_at']),
    undoneBy: (r['undone_by'] as string | null) ?? null,
    undoNote: (r['undo_note'] as string | null) ?? null,
  }));
}

export interface UndoSummary {
  reconciliationId: string;
  /** Actions reverted now. */
  undone: number;
  /** Actions left as they are, each with why (changed since, already attempted…). */
  skipped: number;
  notes: Array<{ id: number; action: RepairActionKind; code: string; note: string }>;
}

/**
 * Reverts what a repair changed, newest action first, where nothing changed since: a deletion is
 * lifted, a re-pulled version replaced by the one it overwrote (a dossier the re-pull created is
 * marked deleted), a delivery not attempted since is put back as it was. Undone actions are marked
 * and never undone twice.
 *
 * @example
 * await undoRepair(ledger, 'a1b2c3d4', { by: 'nguyen.van.a' }); // { undone: 3, skipped: 0, … }
 */
export async function undoRepair(ledger: Ledger, id: string, o: { by?: string | null } = {}): Promise<UndoSummary> {
  const actions = (await listRepairActions(ledger, id)).filter((a) => a.undoneAt === null).reverse();
  const out: UndoSummary = { reconciliationId: actions[0]?.reconciliationId ?? (await reconciliationId(ledger, id)), undone: 0, skipped: 0, notes: [] };
  const by = o.by ?? null;
  for (const a of actions) {
    const note = await undoOne(ledger, a);
    if (note === null) {
      out.undone++;
      await ledger.rows(sql`update repair_actions set undone_at = now(), undone_by = ${by}, undo_note = null where id = ${a.id}`);
    } else {
      out.skipped++;
      out.notes.push({ id: a.id, action: a.action, code: a.code, note });
      await ledger.rows(sql`update repair_actions set undo_note = ${note} where id = ${a.id}`);
    }
  }
  return out;
}

/** Reverts one action; null when done, else why not. */
async function undoOne(ledger: Ledger, a: RepairAction): Promise<string | null> {
  if (a.action === 'mark_deleted') {
    const rows = await ledger.rows(sql`update dossiers set deleted_at = null, updated_at = now() where id = ${a.dossierId} and deleted_at is not null returning id`);
    return rows.length ? null : 'the dossier is no longer deleted';
  }
  if (a.action === 'repull') {
    const hash = String(a.after?.['content_hash'] ?? '');
    if (a.before === null) {
      const rows = await ledger.rows(sql`update dossiers set deleted_at = now(), updated_at = now() where id = ${a.dossierId} and content_hash = ${hash} and deleted_at is null returning id`);
      return rows.length ? null : 'the dossier changed since the repair';
    }
    const b = a.before;
    const rows = await ledger.rows<{ id: number; version: number }>(sql`
      update dossiers set raw = ${String(b['raw'])}, canonical = ${JSON.stringify(b['canonical'])}::jsonb, content_hash = ${String(b['content_hash'])},
        unit_code = ${(b['unit_code'] as string | null) ?? null}, procedure_code = ${String(b['procedure_code'])}, status = ${Number(b['status'])},
        channel = ${(b['channel'] as string | null) ?? null}, received_at = ${(b['received_at'] as string | null) ?? null}::timestamptz,
        due_at = ${(b['due_at'] as string | null) ?? null}::timestamptz, finished_at = ${(b['finished_at'] as string | null) ?? null}::timestamptz,
        as_of = ${(b['as_of'] as string | null) ?? null}::timestamptz, deleted_at = ${(b['deleted_at'] as string | null) ?? null}::timestamptz,
        version = version + 1, updated_at = now()
      where id = ${a.dossierId} and content_hash = ${hash} returning id, version`);
    if (!rows.length) return 'the dossier changed since the repair';
    // The portal may hold the re-pulled version: queue the restored one.
    await ledger.rows(sql`update deliveries set version = ${Number(rows[0]?.version)}, status = 'pending', attempts = 0, next_attempt_at = now(),
      lease_owner = null, lease_until = null, last_error = null, updated_at = now() where dossier_id = ${a.dossierId}`);
    return null;
  }
  // requeue / resend: only a delivery not attempted since the repair is put back.
  const current = await ledger.rows<{ status: string; attempts: number; version: number }>(sql`select status, attempts, version from deliveries where id = ${a.deliveryId}`);
  const now = current[0];
  if (!now) return 'the delivery no longer exists';
  if (now.status !== 'pending' || Number(now.attempts) !== 0 || Number(now.version) !== Number(a.after?.['version'])) return 'the delivery was attempted or changed since the repair';
  if (a.before === null) {
    await ledger.rows(sql`delete from deliveries where id = ${a.deliveryId}`);
    return null;
  }
  const b = a.before;
  const ts = (k: string) => (b[k] === null || b[k] === undefined ? null : String(b[k]));
  await ledger.rows(sql`update deliveries set status = ${String(b['status'])}, version = ${Number(b['version'])}, attempts = ${Number(b['attempts'])},
      next_attempt_at = ${ts('next_attempt_at')}::timestamptz, last_error = ${ts('last_error')}, lease_owner = ${ts('lease_owner')}, lease_until = ${ts('lease_until')}::timestamptz,
      dossier_acked_version = ${b['dossier_acked_version'] === null ? null : Number(b['dossier_acked_version'])}, progress_acked = ${Number(b['progress_acked'] ?? 0)},
      progress_acked_hash = ${ts('progress_acked_hash')}, portal_has = ${Boolean(b['portal_has'])}, updated_at = now()
    where id = ${a.deliveryId}`);
  return null;
}
