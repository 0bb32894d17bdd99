/**
 * One reconciliation of a target over a period: source ⇄ ledger by checksum bisection, ledger ⇄
 * acknowledged deliveries, acknowledged ⇄ portal (published per-unit figures, then look-ups only
 * where they disagree, or everywhere with `deep`). Every run is stored (see history.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Config, TargetConfig } from '../../schemas/config.ts';
import { getAdapter } from '../../adapters/index.ts';
import { ConfigError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { createPortalClient, type PortalClient } from '../portal/index.ts';
import { receiptWriter } from '../outbox/receipts.ts';
import { fetchPublishedCounts, reportingPeriodOf, type PublishedUnitCounts } from '../portal/reporting-client.ts';
import { createCalendar, type WorkingCalendar } from '../rules/calendar.ts';
import { periodBounds, periodEndInstant } from '../rules/periods.ts';
import { PORTAL_766_BUCKETS, type BucketContext } from './buckets.ts';
import { bisect, compareAll, type BisectOptions } from './checksum.ts';
import { CountTable } from './counts.ts';
import { findDuplicateCodes } from './duplicates.ts';
import { storeReconciliation } from './history.ts';
import { receivesDossier } from '../outbox/units.ts';
import { ledgerSide } from './ledger-side.ts';
import { scanLedger, type ScannedDossier } from './ledger-scan.ts';
import { lookUpDossiers } from './portal-check.ts';
import { limiterFor } from '../outbox/shared-budget.ts';
import { classifySourceDiffs } from './source-diffs.ts';
import { sourceSide, type SourceSide } from './source-side.ts';
import type { Difference, ReconcileReport, ReconcileScope, ReconcileStats } from './types.ts';

export interface ReconcileOptions {
  targetId: string;
  from: string;
  to: string;
  sourceIds?: string[];
  unit?: string;
  /** Look up every acknowledged dossier in scope, not only those of units whose published counts differ. */
  deep?: boolean;
  /** At most this many look-ups (default 10 000); the rest is reported as skipped. */
  maxLookups?: number;
  env: Record<string, string | undefined>;
  createdBy?: string;
  calendar?: WorkingCalendar;
  /** Judgement instant for a period not over yet (default now). */
  now?: Date;
  /** Replaces the portal client (tests) or a source side (benchmark). */
  client?: Pick<PortalClient, 'lookup' | 'close'>;
  sourceSides?: Record<string, SourceSide>;
  bisect?: BisectOptions & { full?: boolean };
  fetch?: typeof fetch;
  /** Store the run in the history (default true). */
  store?: boolean;
}

function targetOf(config: Config, id: string): TargetConfig {
  const t = config.targets.find((x) => x.id === id);
  if (!t) throw new ConfigError(`unknown target "${id}" (configured: ${config.targets.map((x) => x.id).join(', ') || 'none'})`);
  return t;
}

/**
 * @example
 * const report = await reconcile(ledger, config, { targetId: 'national', from: '2026-10-01', to: '2026-10-31', env: process.env });
 * report.exitCode // 0 all agree · 2 differences
 */
export async function reconcile(ledger: Ledger, config: Config, o: ReconcileOptions): Promise<ReconcileReport> {
  const started = performance.now();
  const target = targetOf(config, o.targetId);
  const sources = config.sources.filter((s) => !o.sourceIds || o.sourceIds.includes(s.id));
  for (const id of o.sourceIds ?? []) if (!config.sources.some((s) => s.id === id)) throw new ConfigError(`unknown source "${id}"`);
  periodBounds(o); // validates the dates
  const now = (o.now ?? new Date()).toISOString();
  const end = periodEndInstant(o);
  const ctx: BucketContext = { from: o.from, to: o.to, calendar: o.calendar ?? createCalendar(), asOf: end < now ? end : now };
  const scope: ReconcileScope = { target: target.id, ...(o.sourceIds?.length === 1 ? { source: o.sourceIds[0] as string } : {}), from: o.from, to: o.to, ...(o.unit ? { unit: o.unit } : {}) };
  const notes: string[] = [];
  const differences: Difference[] = [];
  const table = new CountTable();
  // A target with `units` receives only those units' dossiers: the others are not its to compare (never "missing" there).
  const receives = (unitCode: string | null, code: string): boolean => receivesDossier(target.units, unitCode, code);
  if (target.units.length) notes.push(`target "${target.id}" receives units ${target.units.join(', ')} only (targets[].units): dossiers of other units are not compared`);
  const stats: ReconcileStats = { sources: [], ledger: { dossiersExamined: 0, inScope: 0 }, portal: { lookups: 0, lookupsPlanned: 0, lookupsSkipped: 0, published: false, unitsLookedUp: [] }, ms: 0 };

  // 1. Source ⇄ ledger, by checksum bisection over each source's keys. A source that cannot be
  // listed (push-only) is not compared: its column is unknown, and nothing is called deleted.
  const uncompared = new Set<string>();
  const unknownSourceUnits = new Set<string>();
  for (const source of sources) {
    const adapter = getAdapter(source.adapter);
    if (!adapter) throw new ConfigError(`source "${source.id}": unknown adapter "${source.adapter}"`);
    if (adapter.pushOnly && !o.sourceSides?.[source.id]) {
      uncompared.add(source.id);
      const note = `source "${source.id}" could not compare: it only receives pushes and cannot be listed (no deletion inferred, its dossiers are not counted on the source side)`;
      stats.sources.push({ id: source.id, compared: false, note });
      notes.push(note);
      // Its units are unknown on the source side even when the ledger holds none of its dossiers
      // (a source that never pushed is exactly what must not read as "0 = 0").
      for (const unit of source.units) if (!o.unit || unit === o.unit) {
        table.touch(unit);
        table.markUnknown(unit, 'source');
      }
      continue;
    }
    const side = o.sourceSides?.[source.id] ?? (await sourceSide(source, adapter, o.env));
    const { diff, stats: s } = o.bisect?.full ? await compareAll(ledgerSide(ledger, source.id), side) : await bisect(ledgerSide(ledger, source.id), side, o.bisect);
    // A source that also receives pushes lists only what it holds itself: a dossier only the ledger has may have been pushed.
    const inferDeletions = !source.webhookSecretEnv;
    const classified = await classifySourceDiffs(ledger, source.id, adapter, side, diff, ctx, o.unit, { inferDeletions });
    const entry: ReconcileStats['sources'][number] = { id: source.id, compared: true, keys: { ...s, onlyLedger: diff.onlyLedger.length, onlySource: diff.onlySource.length, changed: diff.changed.length } };
    if (classified.unverified.length) {
      entry.note = `source "${source.id}" also receives pushes: ${classified.unverified.length} dossier(s) only the ledger holds could not compare (not called deleted)`;
      notes.push(entry.note);
      for (const u of classified.unverified) if (receives(u.unitCode, u.code)) unknownSourceUnits.add(u.unitCode);
    }
    stats.sources.push(entry);
    differences.push(...classified.differences.filter((d) => receives(d.unitCode, d.code)));
    for (const d of classified.deltas) if (receives(d.unitCode, '')) table.add(d.unitCode, d.buckets, 'source', d.delta);
  }
  for (const u of unknownSourceUnits) table.markUnknown(u, 'source');

  // 2. Ledger ⇄ acknowledged deliveries.
  const acknowledged: ScannedDossier[] = [];
  const scan = await scanLedger(ledger, {
    sourceIds: sources.map((s) => s.id),
    targetId: target.id,
    ...(o.unit ? { unit: o.unit } : {}),
    units: target.units,
    ctx,
    onDossier: (d) => {
      // The portal keeps what it acknowledged, even after a deletion at the source: 766 rows expect it.
      if (d.acknowledged) table.add(d.unitCode, d.buckets.filter((b) => b.startsWith('766_')), 'delivered');
      if (d.deleted) return;
      if (uncompared.has(d.sourceId)) table.markUnknown(d.unitCode, 'source');
      table.add(d.unitCode, d.buckets, 'ledger');
      table.add(d.unitCode, d.buckets, 'source');
      if (d.acknowledged) {
        table.add(d.unitCode, d.buckets.filter((b) => !b.startsWith('766_')), 'delivered');
        acknowledged.push(d);
      }
    },
    onNotDelivered: (d) => differences.push(d),
  });
  stats.ledger = { dossiersExamined: scan.examined, inScope: scan.inScope };

  // 3. Acknowledged ⇄ portal: published per-unit figures where the target offers them …
  const published = new Map<string, PublishedUnitCounts>();
  const period = reportingPeriodOf(o.from, o.to);
  if (target.reporting && period && (!o.sourceIds || sources.length === config.sources.length)) {
    try {
      for (const u of await fetchPublishedCounts(target, period, o.fetch)) if (!o.unit || u.departmentCode === o.unit) published.set(u.departmentCode, u);
      stats.portal.published = true;
    } catch (e) {
      notes.push(`published figures unavailable: ${(e as Error).message}`);
    }
  } else if (target.reporting) {
    notes.push(period ? 'published figures cover every source: not compared when --source narrows the scope' : 'published figures exist only for a calendar month, quarter or year');
  }
  for (const [unitCode, u] of published) {
    table.add(unitCode, ['766_received'], 'portal', u.totalReceived);
    table.add(unitCode, ['766_on_time'], 'portal', u.totalOnTime);
    table.add(unitCode, ['766_overdue'], 'portal', u.totalOverdue);
  }
  const preliminary = table.rows((unit, b) => published.has(unit) && (PORTAL_766_BUCKETS as readonly string[]).includes(b));
  const unitsToLookUp = new Set(o.deep ? acknowledged.map((d) => d.unitCode) : preliminary.filter((r) => r.differs && r.bucket.startsWith('766_')).map((r) => r.unitCode));
  if (!o.deep && !stats.portal.published) notes.push('portal not compared dossier by dossier: no published figures for this scope (pass --deep to look every dossier up)');

  // … then look-ups only where they disagree (or everywhere with --deep), within the rate budget.
  const candidates = acknowledged.filter((d) => unitsToLookUp.has(d.unitCode));
  const budget = o.maxLookups ?? 10_000;
  const planned = candidates.slice(0, budget);
  stats.portal.lookupsPlanned = candidates.length;
  stats.portal.lookupsSkipped = candidates.length - planned.length;
  const fullyLookedUp = new Set(unitsToLookUp);
  for (const d of candidates.slice(budget)) fullyLookedUp.delete(d.unitCode);
  if (stats.portal.lookupsSkipped) notes.push(`${stats.portal.lookupsSkipped} look-ups skipped: over the budget of ${budget} (--max-lookups)`);
  if (planned.length) {
    // Every look-up is a receipt of the target's chain, with the dossier's MaHoSo (evidence export finds it).
    const client = o.client ?? createPortalClient(target, { env: o.env, onExchange: receiptWriter(ledger, null), ...(o.fetch ? { fetch: o.fetch } : {}) });
    try {
      const looked = await lookUpDossiers(ledger, planned, {
        client,
        targetId: target.id,
        limiter: await limiterFor(ledger, target),
        concurrency: target.concurrency,
        ctx,
        onView: (d, view) => {
          if (fullyLookedUp.has(d.unitCode)) table.add(d.unitCode, published.has(d.unitCode) ? view.buckets.filter((b) => !b.startsWith('766_')) : view.buckets, 'portal');
        },
        onDifference: (d) => differences.push(d),
      });
      stats.portal.lookups = looked.calls;
      if (looked.stopped) {
        // The dossiers not asked: their units are not compared with the portal (as over the budget).
        for (const d of looked.notAsked) fullyLookedUp.delete(d.unitCode);
        stats.portal.lookupsSkipped += looked.notAsked.length;
        notes.push(`look-ups stopped: ${looked.stopped}; ${looked.notAsked.length} not asked, their units not compared with the portal`);
      }
    } finally {
      if (!o.client) await client.close();
    }
  }
  stats.portal.unitsLookedUp = [...fullyLookedUp].sort();

  // 4. One code held by several sources: both would overwrite each other on the portal.
  differences.push(...(await findDuplicateCodes(ledger, sources.map((s) => s.id), ctx, o.unit)).filter((d) => receives(d.unitCode, d.code)));

  const counts = table.rows((unit, b) => (b.startsWith('766_') ? published.has(unit) || fullyLookedUp.has(unit) : fullyLookedUp.has(unit)));
  differences.sort((a, b) => (a.unitCode ?? '').localeCompare(b.unitCode ?? '') || a.code.localeCompare(b.code) || a.reason.localeCompare(b.reason));
  stats.ms = Math.round(performance.now() - started);
  const report: ReconcileReport = {
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    createdBy: o.createdBy ?? null,
    scope,
    counts,
    differences,
    notes,
    stats,
    // A source that could not be compared needs attention too: nothing says it agrees.
    exitCode: differences.length > 0 || counts.some((c) => c.differs) || uncompared.size > 0 ? 2 : 0,
  };
  if (o.store !== false) await storeReconciliation(ledger, report);
  return report;
}
