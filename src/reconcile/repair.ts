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
import type { Config, SourceConfig } from '../../schemas/config.ts';
import { NotFoundError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import {
  deleteDelivery,
  deleteDossierIfUnchanged,
  deliverySnapshotsByCode,
  deliverySnapshotsOfDossiers,
  deliveryState,
  dossierSnapshots,
  dossierVersions,
  insertRepairActions,
  markDossiersDeleted,
  markRepairActionUndone,
  queueDossiers,
  reconciliationIdByPrefix,
  repairedReconciliationIds,
  resendDeliveries,
  restoreDelivery,
  restoreDossier,
  undeleteDossier,
  selectRepairActions,
  setRepairUndoNote,
  type RepairActionKind,
  type RepairActionRow,
} from '../ledger/repair-actions.ts';
import { storePage } from '../ledger/store-page.ts';
import { routedTargetIds } from '../outbox/units.ts';
import { adapterOfSource, buildSourceFrom, type BuiltSource } from '../pipeline/build-source.ts';
import type { AdapterDefinition } from '../sdk/index.ts';
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

export type { RepairActionKind };

/** One recorded action of a repair (`reconcile repairs ID`). */
export type RepairAction = RepairActionRow;

const sourceOf = (d: Difference) => String(d.detail['sourceId'] ?? '');

const record = insertRepairActions;

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
      const before = codes.length ? await dossierSnapshots(ledger, source.id, codes) : new Map<string, Record<string, unknown>>();
      // No cursor: a re-pull never moves the source's cursor.
      const res = await storePage(ledger, { sourceId: source.id, runId: null, valid, invalid, targetIds: routedTargetIds(config.targets) });
      summary.repulled += res.new + res.changed + res.unchanged;
      summary.stillQuarantined += res.quarantined;
      if (res.storedCodes.length) {
        const after = await dossierVersions(ledger, source.id, res.storedCodes);
        await record(ledger, report.id, by, after.map((a) => {
          const b = before.get(a.code);
          return { action: 'repull', source_id: source.id, code: a.code, dossier_id: a.id, delivery_id: null, before: b ?? null, after: { content_hash: a.contentHash, version: a.version } };
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
    const rows = await markDossiersDeleted(ledger, source.id, gone);
    summary.markedDeleted += rows.length;
    await record(ledger, report.id, by, rows.map((r) => ({ action: 'mark_deleted', source_id: source.id, code: r.code, dossier_id: r.id, delivery_id: null, before: { deleted_at: null }, after: null })));
  }

  const notDelivered = of('not_delivered');
  for (let i = 0; i < notDelivered.length; i += 500) {
    const codes = notDelivered.slice(i, i + 500);
    const wanted = codes.map((d) => ({ code: d.code, source: sourceOf(d) }));
    const prior = await deliverySnapshotsOfDossiers(ledger, wanted, target);
    const rows = await queueDossiers(ledger, wanted, target);
    summary.requeued += rows.length;
    await record(ledger, report.id, by, rows.map((r) => ({ action: 'requeue', source_id: r.sourceId, code: r.code, dossier_id: r.dossierId, delivery_id: r.id, before: prior.get(r.dossierId) ?? null, after: { version: r.version } })));
  }

  // The portal lost it: send it again as new. It holds other values: send the full record again (isUpdating "True").
  const lost = of('missing_on_portal').map((d) => d.code);
  const stale = of('portal_stale', 'unit_mismatch', 'period_mismatch').map((d) => d.code);
  for (const [codes, forget] of [[lost, true], [stale, false]] as const) {
    if (codes.length === 0) continue;
    const prior = await deliverySnapshotsByCode(ledger, target, codes);
    const rows = await resendDeliveries(ledger, target, codes, forget);
    summary.resent += rows.length;
    await record(ledger, report.id, by, rows.map((r) => ({ action: 'resend', source_id: r.sourceId, code: r.code, dossier_id: r.dossierId, delivery_id: r.id, before: prior.get(r.id) ?? null, after: { version: r.version } })));
  }
  summary.leftAlone += report.differences.filter(leftAlone).length;
  return summary;
}

/** The reconciliation a (unique) id prefix names. */
async function reconciliationId(ledger: Ledger, id: string): Promise<string> {
  const rows = await repairedReconciliationIds(ledger, id);
  const [only] = rows;
  if (rows.length === 1 && only !== undefined) return only;
  if (rows.length > 1) throw new NotFoundError(`reconciliation id "${id}" is ambiguous`);
  const known = await reconciliationIdByPrefix(ledger, id);
  throw new NotFoundError(known !== null ? `reconciliation ${known} made no repairs` : `no reconciliation "${id}" with repairs (see: lienthong reconcile history)`);
}

/** Every action a repair of this reconciliation made, oldest first. */
export async function listRepairActions(ledger: Ledger, id: string): Promise<RepairAction[]> {
  return selectRepairActions(ledger, await reconciliationId(ledger, id));
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
      await markRepairActionUndone(ledger, a.id, by);
    } else {
      out.skipped++;
      out.notes.push({ id: a.id, action: a.action, code: a.code, note });
      await setRepairUndoNote(ledger, a.id, note);
    }
  }
  return out;
}

/** Reverts one action; null when done, else why not. */
async function undoOne(ledger: Ledger, a: RepairAction): Promise<string | null> {
  if (a.action === 'mark_deleted') return (await undeleteDossier(ledger, a.dossierId)) ? null : 'the dossier is no longer deleted';
  if (a.action === 'repull') {
    const hash = String(a.after?.['content_hash'] ?? '');
    if (a.before === null) return (await deleteDossierIfUnchanged(ledger, a.dossierId, hash)) ? null : 'the dossier changed since the repair';
    return (await restoreDossier(ledger, a.dossierId, hash, a.before)) ? null : 'the dossier changed since the repair';
  }
  // requeue / resend: only a delivery not attempted since the repair is put back.
  const now = await deliveryState(ledger, a.deliveryId);
  if (!now) return 'the delivery no longer exists';
  if (now.status !== 'pending' || now.attempts !== 0 || now.version !== Number(a.after?.['version'])) return 'the delivery was attempted or changed since the repair';
  if (a.before === null) {
    await deleteDelivery(ledger, a.deliveryId);
    return null;
  }
  await restoreDelivery(ledger, a.deliveryId, a.before);
  return null;
}
