/**
 * Turns the keys bisection found into reasons: a key only the source has is `missing_in_ledger`
 * (or `quarantined` when it does not map), a newer version at the source is `missing_in_ledger`
 * too (the ledger holds an older one) unless that version is quarantined, and a key only the
 * ledger has is `deleted_at_source` — found without change capture — unless the source also
 * receives pushes (its listing then does not cover every dossier: such a key is unverified). The source side's counts are
 * the ledger's corrected by these records, so they cost what the differences cost.
 */
import type { Dossier } from '../../schemas/dossier.ts';
import { unitCodeFromDossierCode } from '../../schemas/dossier.ts';
import type { Ledger } from '../ledger/db.ts';
import { liveDossiersByCode, openQuarantineByKey, type OpenQuarantineRow } from '../ledger/reconcile-read.ts';
import { mapRecords } from '../pipeline/ingest.ts';
import { periodBounds } from '../rules/periods.ts';
import type { AdapterDefinition } from '../sdk/index.ts';
import { portalDateToInstantOrNull } from '../dossier/index.ts';
import { bucketsOf, type Bucket, type BucketContext } from './buckets.ts';
import type { KeyDiff } from './checksum.ts';
import { UNKNOWN_UNIT } from './ledger-scan.ts';
import type { SourceSide } from './source-side.ts';
import type { Difference } from './types.ts';

export interface SourceDelta {
  unitCode: string;
  buckets: Bucket[];
  delta: 1 | -1;
}

export interface ClassifiedSourceDiffs {
  differences: Difference[];
  /** Corrections from the ledger's counts to the source's. */
  deltas: SourceDelta[];
  /** Dossiers only the ledger holds, not called deleted (`inferDeletions: false`): the source's side is unknown for them. */
  unverified: Array<{ code: string; unitCode: string }>;
}

export async function classifySourceDiffs(
  ledger: Ledger,
  sourceId: string,
  adapter: AdapterDefinition<unknown, unknown>,
  side: SourceSide,
  diff: KeyDiff,
  ctx: BucketContext,
  unit: string | undefined,
  opts: { inferDeletions?: boolean } = {},
): Promise<ClassifiedSourceDiffs> {
  const out: ClassifiedSourceDiffs = { differences: [], deltas: [], unverified: [] };
  const inUnit = (u: string | null) => unit === undefined || u === unit;
  const ledgerKeys = [...diff.onlyLedger.map((k) => k.key), ...diff.changed.map((c) => c.key)];
  const sourceKeys = [...diff.onlySource.map((k) => k.key), ...diff.changed.map((c) => c.key)];

  const ledgerRows = new Map<string, { canonical: Dossier; unitCode: string | null; version: number; updatedAt: string; delivered: boolean }>();
  for (let i = 0; i < ledgerKeys.length; i += 500) {
    for (const r of await liveDossiersByCode(ledger, sourceId, ledgerKeys.slice(i, i + 500))) {
      ledgerRows.set(r.code, { canonical: r.canonical, unitCode: r.unitCode, version: r.version, updatedAt: r.updatedAt, delivered: r.delivered });
    }
  }
  const quarantined = new Map<string, OpenQuarantineRow>();
  for (let i = 0; i < sourceKeys.length; i += 500) {
    for (const r of await openQuarantineByKey(ledger, sourceId, sourceKeys.slice(i, i + 500))) quarantined.set(r.recordKey, r);
  }
  const fetched = sourceKeys.length ? await side.fetch(sourceKeys) : [];
  // Mapped with the source's options when the side carries them (a source built by sourceSide).
  const { valid, invalid } = side.map ? side.map(fetched) : mapRecords(adapter, sourceId, fetched);
  const sourceDossiers = new Map(valid.map((v) => [v.dossier.code, v]));
  const invalidByKey = new Map(invalid.map((v) => [v.key, v]));
  const changedHash = new Map(diff.changed.map((c) => [c.key, c]));
  const end = periodBounds(ctx).endExclusive;

  for (const key of sourceKeys) {
    const old = ledgerRows.get(key);
    const oldBuckets = old ? bucketsOf(old.canonical, ctx) : [];
    const oldUnit = old?.unitCode ?? UNKNOWN_UNIT;
    const q = quarantined.get(key);
    const fresh = sourceDossiers.get(key);
    if (fresh && !q) {
      const buckets = bucketsOf(fresh.dossier, ctx);
      const freshUnit = fresh.dossier.unit.code ?? UNKNOWN_UNIT;
      if (buckets.length === 0 && oldBuckets.length === 0) continue;
      if (!inUnit(freshUnit) && !inUnit(old ? oldUnit : null)) continue;
      if (buckets.length) out.deltas.push({ unitCode: freshUnit, buckets, delta: 1 });
      if (old && oldBuckets.length) out.deltas.push({ unitCode: oldUnit, buckets: oldBuckets, delta: -1 });
      out.differences.push({
        code: key,
        unitCode: fresh.dossier.unit.code,
        reason: 'missing_in_ledger',
        detail: old
          ? { sourceId, newerVersion: true, ledgerHash: changedHash.get(key)?.ledgerHash ?? null, sourceHash: fresh.hash, ledgerVersion: old.version, lastPulledAt: old.updatedAt }
          : { sourceId, newerVersion: false, sourceHash: fresh.hash, status: fresh.dossier.status.code, receivedAt: fresh.dossier.dates.receivedAt },
      });
      continue;
    }
    // Not mappable (or quarantined): place it by the ledger's version, else by its raw MaHoSo / NgayTiepNhan.
    const bad = invalidByKey.get(key);
    const raw = (bad?.raw ?? null) as Record<string, unknown> | null;
    const rawReceived = raw && typeof raw['NgayTiepNhan'] === 'string' ? portalDateToInstantOrNull(raw['NgayTiepNhan']) : null;
    const unitCode = old ? old.unitCode : unitCodeFromDossierCode(key);
    if (!inUnit(unitCode)) continue;
    if (old ? oldBuckets.length === 0 : rawReceived !== null && Date.parse(rawReceived) >= end) continue;
    out.differences.push({
      code: key,
      unitCode,
      reason: 'quarantined',
      detail: {
        sourceId,
        location: q?.location ?? bad?.location ?? null,
        issues: q ? q.issues : (bad?.issues ?? []),
        firstSeenAt: q?.firstSeenAt ?? null,
        seenCount: q?.seenCount ?? 0,
        inLedger: old !== undefined,
      },
    });
  }

  for (const k of diff.onlyLedger) {
    const old = ledgerRows.get(k.key);
    if (!old) continue;
    const buckets = bucketsOf(old.canonical, ctx);
    if (buckets.length === 0 || !inUnit(old.unitCode)) continue;
    if (opts.inferDeletions === false) {
      out.unverified.push({ code: k.key, unitCode: old.unitCode ?? UNKNOWN_UNIT });
      continue;
    }
    out.deltas.push({ unitCode: old.unitCode ?? UNKNOWN_UNIT, buckets, delta: -1 });
    out.differences.push({
      code: k.key,
      unitCode: old.unitCode,
      reason: 'deleted_at_source',
      detail: { sourceId, ledgerVersion: old.version, lastPulledAt: old.updatedAt, deliveredToPortal: old.delivered },
    });
  }
  return out;
}
