/**
 * `reconcile --repair`: re-pull what the ledger misses (missing, newer or quarantined at the
 * source — a corrected record leaves quarantine), mark what the source deleted, and re-queue what
 * the portal misses or holds stale. The next sync delivers; a new reconcile then shows zero.
 * `duplicate_code` is left to a person: which system owns the code is a decision, not a repair.
 * So is every portal-facing difference on such a code (the portal holds one source's dossier, the
 * other's look-up is stale): re-sending either would only overwrite the other on the portal.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../../schemas/config.ts';
import { getAdapter } from '../../adapters/index.ts';
import { ConfigError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { textArray } from '../ledger/sql-helpers.ts';
import { storePage } from '../ledger/store-page.ts';
import { mapRecords } from '../pipeline/ingest.ts';
import { sourceSide, type SourceSide } from './source-side.ts';
import type { Difference, ReconcileReport } from './types.ts';

export interface RepairSummary {
  repulled: number;
  stillQuarantined: number;
  markedDeleted: number;
  requeued: number;
  resent: number;
  /** Differences a person must settle (duplicate codes, and what the portal shows for them). */
  leftAlone: number;
}

const sourceOf = (d: Difference) => String(d.detail['sourceId'] ?? '');

export async function repair(ledger: Ledger, config: Config, report: ReconcileReport, opts: { sourceSides?: Record<string, SourceSide> } = {}): Promise<RepairSummary> {
  const summary: RepairSummary = { repulled: 0, stillQuarantined: 0, markedDeleted: 0, requeued: 0, resent: 0, leftAlone: 0 };
  const target = report.scope.target;
  const duplicated = new Set(report.differences.filter((d) => d.reason === 'duplicate_code').map((d) => d.code));
  const toPortal = new Set(['not_delivered', 'missing_on_portal', 'portal_stale', 'unit_mismatch', 'period_mismatch']);
  const leftAlone = (d: Difference) => d.reason === 'duplicate_code' || (toPortal.has(d.reason) && duplicated.has(d.code));
  const by = (...reasons: string[]) => report.differences.filter((d) => reasons.includes(d.reason) && !leftAlone(d));

  const pull = by('missing_in_ledger', 'quarantined');
  for (const source of config.sources) {
    const keys = pull.filter((d) => sourceOf(d) === source.id).map((d) => d.code);
    if (keys.length === 0) continue;
    const adapter = getAdapter(source.adapter);
    if (!adapter) throw new ConfigError(`source "${source.id}": unknown adapter "${source.adapter}"`);
    const side = opts.sourceSides?.[source.id] ?? (await sourceSide(source, adapter));
    for (let i = 0; i < keys.length; i += source.pageSize) {
      const records = await side.fetch(keys.slice(i, i + source.pageSize));
      const { valid, invalid } = mapRecords(adapter, source.id, records);
      // No cursor: a re-pull never moves the source's cursor.
      const res = await storePage(ledger, { sourceId: source.id, runId: null, valid, invalid, targetIds: config.targets.map((t) => t.id) });
      summary.repulled += res.new + res.changed + res.unchanged;
      summary.stillQuarantined += res.quarantined;
    }
  }

  for (const d of by('deleted_at_source')) {
    const rows = await ledger.rows(sql`update dossiers set deleted_at = now(), updated_at = now()
      where source_id = ${sourceOf(d)} and code = ${d.code} and deleted_at is null returning id`);
    summary.markedDeleted += rows.length;
  }

  const notDelivered = by('not_delivered');
  for (let i = 0; i < notDelivered.length; i += 500) {
    const codes = notDelivered.slice(i, i + 500);
    const rows = await ledger.rows(sql`
      with wanted as (select x->>'code' as code, x->>'source' as source_id from jsonb_array_elements(${JSON.stringify(codes.map((d) => ({ code: d.code, source: sourceOf(d) })))}::jsonb) as x)
      insert into deliveries as q (dossier_id, target_id, source_id, version, status, next_attempt_at)
      select d.id, ${target}, d.source_id, d.version, 'pending', now() from dossiers d join wanted w on w.code = d.code and w.source_id = d.source_id
      where d.deleted_at is null
      on conflict (dossier_id, target_id) do update set version = excluded.version, status = 'pending', attempts = 0,
        next_attempt_at = now(), lease_owner = null, lease_until = null, last_error = null, updated_at = now()
      returning q.id`);
    summary.requeued += rows.length;
  }

  // The portal lost it: send it again as new. It holds other values: send the full record again (isUpdating "True").
  const lost = by('missing_on_portal').map((d) => d.code);
  const stale = by('portal_stale', 'unit_mismatch', 'period_mismatch').map((d) => d.code);
  for (const [codes, forget] of [[lost, true], [stale, false]] as const) {
    if (codes.length === 0) continue;
    const rows = await ledger.rows(sql`update deliveries q set status = 'pending', attempts = 0, next_attempt_at = now(),
        dossier_acked_version = null, progress_acked = 0, progress_acked_hash = null, lease_owner = null, lease_until = null,
        ${forget ? sql`portal_has = false,` : sql``} updated_at = now()
      from dossiers d where q.dossier_id = d.id and q.target_id = ${target} and d.deleted_at is null and d.code = any(${textArray(codes)})
      returning q.id`);
    summary.resent += rows.length;
  }
  summary.leftAlone = report.differences.filter(leftAlone).length;
  return summary;
}
