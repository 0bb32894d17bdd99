/**
 * Per-dossier look-ups (`TraCuuHoSo`) of acknowledged dossiers, within the target's rate budget:
 * not found → `missing_on_portal`; found with other values → `unit_mismatch`, `period_mismatch`
 * (a date difference moves it into another period) or `portal_stale` (field-level detail). The
 * portal's view (the ledger's dossier with the portal's status and dates) gives the portal counts.
 */
import { statusOf, type Dossier, type StatusCode } from '../../schemas/dossier.ts';
import { dossierToPortal, portalDateToInstantOrNull } from '../dossier/index.ts';
import type { Ledger } from '../ledger/db.ts';
import { dossiersForLookup } from '../ledger/reconcile-read.ts';
import type { RateLimiter } from '../outbox/rate-limit.ts';
import { lookupScope } from '../outbox/receipts.ts';
import type { PortalClient } from '../portal/index.ts';
import { bucketsOf, type Bucket, type BucketContext } from './buckets.ts';
import type { ScannedDossier } from './ledger-scan.ts';
import type { Difference, FieldDifference } from './types.ts';
import { cleanMessage, publicMessage } from '../privacy.ts';

/** Fields a look-up answer carries (portal-sim: MaHoSo, TrangThaiHoSo, dates, DonViXuLy). */
export const LOOKUP_FIELDS = ['TrangThaiHoSo', 'NgayTiepNhan', 'NgayHenTra', 'NgayKetThucXuLy', 'NgayTra', 'DonViXuLy'] as const;
const DATE_FIELDS = new Set(['NgayTiepNhan', 'NgayHenTra', 'NgayKetThucXuLy', 'NgayTra']);

export interface PortalView {
  found: boolean;
  buckets: Bucket[];
  difference: Difference | null;
}

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v).normalize('NFC');
}

/**
 * The answer's fields under the names we compare, keys matched case-insensitively (DVCQG sharing
 * answers use UPPER-CASE keys such as `TRANGTHAIHOSO`). A key the answer does not carry stays absent.
 *
 * @example canonicalKeys({ MAHOSO: 'A-1', trangthaihoso: '4' }) // { MaHoSo: 'A-1', TrangThaiHoSo: '4' }
 */
export function canonicalKeys(held: Record<string, unknown>): Record<string, unknown> {
  const byLower = new Map<string, unknown>();
  for (const [k, v] of Object.entries(held)) if (!byLower.has(k.toLowerCase())) byLower.set(k.toLowerCase(), v);
  const out: Record<string, unknown> = {};
  for (const f of ['MaHoSo', ...LOOKUP_FIELDS]) if (byLower.has(f.toLowerCase())) out[f] = byLower.get(f.toLowerCase());
  return out;
}

/** The first record of a look-up answer when it is one a person could read (an object), else null. */
function firstRecord(result: unknown): Record<string, unknown> | null {
  const item = Array.isArray(result) ? result[0] : result;
  return item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : null;
}

/** The dossier as the portal holds it: the ledger's record with the portal's status, dates and unit name. */
export function portalViewOf(d: Dossier, answer: Record<string, unknown>): Dossier {
  const held = canonicalKeys(answer);
  const status = Number(held['TrangThaiHoSo']);
  const date = (f: string, fallback: string | null) => (f in held ? portalDateToInstantOrNull(str(held[f]) || null) : fallback);
  return {
    ...d,
    status: Number.isInteger(status) && status >= 1 && status <= 10 ? statusOf(status as StatusCode) : d.status,
    unit: { ...d.unit, name: 'DonViXuLy' in held ? str(held['DonViXuLy']) : d.unit.name },
    dates: {
      ...d.dates,
      receivedAt: date('NgayTiepNhan', d.dates.receivedAt),
      dueAt: date('NgayHenTra', d.dates.dueAt),
      finishedAt: date('NgayKetThucXuLy', d.dates.finishedAt),
      returnedAt: date('NgayTra', d.dates.returnedAt),
    },
  };
}

const presence = (b: Bucket[]) => [b.includes('received'), b.includes('carried_over'), b.some((x) => x.startsWith('resolved_')), b.includes('766_received')].join();

/**
 * What is kept of a look-up answer in a difference: the compared fields of its first records, each
 * cleaned and cut (an answer may be megabytes, and may echo our session).
 *
 * @example lookupSummary([{ MaHoSo: 'A-1', TrangThaiHoSo: '4', session: '…' }]) // [{ MaHoSo: 'A-1', TrangThaiHoSo: '4' }]
 */
export function lookupSummary(result: unknown): unknown {
  if (result === null || result === undefined) return null;
  const items: unknown[] = Array.isArray(result) ? result : [result];
  const kept = items.slice(0, 3).map((item) => {
    if (item === null || typeof item !== 'object') return cleanMessage(String(item), [], 200);
    const out: Record<string, string> = {};
    const fields = canonicalKeys(item as Record<string, unknown>);
    for (const f of ['MaHoSo', ...LOOKUP_FIELDS]) {
      const v = fields[f];
      if (v !== undefined && v !== null) out[f] = cleanMessage(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''), [], 200);
    }
    return out;
  });
  return items.length > 3 ? { records: kept, more: items.length - 3 } : kept;
}

/**
 * Compares one dossier with the portal's answer.
 *
 * @example compareWithPortal(dossier, { TrangThaiHoSo: '4', … }, ctx).difference?.reason // 'portal_stale'
 */
export function compareWithPortal(d: Dossier, answer: Record<string, unknown>, ctx: BucketContext, unitCode: string | null): PortalView {
  const wire = dossierToPortal(d) as unknown as Record<string, unknown>;
  const held = canonicalKeys(answer);
  const fields: FieldDifference[] = [];
  // A field the answer does not carry could not be compared: never read as equal.
  const unverifiable = LOOKUP_FIELDS.filter((f) => !(f in held));
  for (const f of LOOKUP_FIELDS) {
    if (!(f in held)) continue;
    if (str(wire[f]) !== str(held[f])) fields.push({ field: f, ledger: str(wire[f]), portal: str(held[f]) });
  }
  const view = portalViewOf(d, held);
  const buckets = bucketsOf(view, ctx);
  if (fields.length === 0 && unverifiable.length === 0) return { found: true, buckets, difference: null };
  if (fields.length === 0) {
    return { found: true, buckets, difference: { code: d.code, unitCode, reason: 'portal_unverifiable', detail: { unverifiable, note: `the portal's answer does not carry ${unverifiable.join(', ')}` } } };
  }
  const ledgerBuckets = bucketsOf(d, ctx);
  const datesMoved = fields.some((f) => DATE_FIELDS.has(f.field)) && presence(ledgerBuckets) !== presence(buckets);
  const reason = fields.some((f) => f.field === 'DonViXuLy') ? 'unit_mismatch' : datesMoved ? 'period_mismatch' : 'portal_stale';
  return { found: true, buckets, difference: { code: d.code, unitCode, reason, detail: { fields, ledgerBuckets, portalBuckets: buckets, ...(unverifiable.length ? { unverifiable } : {}) } } };
}

export interface LookupOptions {
  client: Pick<PortalClient, 'lookup'>;
  targetId: string;
  /** The target's rate budget: the one its deliveries use ({@link limiterFor}), so look-ups never add to it. */
  limiter: RateLimiter;
  concurrency: number;
  /** Failed look-ups in a row after which the portal is not asked again in this run (default {@link STOP_AFTER_FAILURES}). */
  stopAfterFailures?: number;
  ctx: BucketContext;
  onView(d: ScannedDossier, view: PortalView): void;
  onDifference(d: Difference): void;
}

/** Look-ups failing one after another this many times: the portal is down or refuses us; stop asking. */
export const STOP_AFTER_FAILURES = 20;

export interface LookupResult {
  /** Calls made. */
  calls: number;
  /** Dossiers not asked because the look-ups stopped (their units are not compared with the portal). */
  notAsked: ScannedDossier[];
  /** Why the look-ups stopped (null: every planned dossier was asked). */
  stopped: string | null;
}

/**
 * Looks up dossiers (in pages of 200 read from the ledger) with `concurrency` callers sharing the
 * target's rate budget. After `stopAfterFailures` failed look-ups in a row the rest is not asked:
 * a portal that is down answers no more to the 10,000th call than to the 20th, and every call costs
 * the budget of the deliveries. The dossiers not asked are returned, never counted as compared.
 */
export async function lookUpDossiers(ledger: Ledger, dossiers: ScannedDossier[], o: LookupOptions): Promise<LookupResult> {
  const limiter = o.limiter;
  const stopAfter = Math.max(1, o.stopAfterFailures ?? STOP_AFTER_FAILURES);
  let calls = 0;
  let failedInRow = 0;
  let stopped: string | null = null;
  const notAsked: ScannedDossier[] = [];
  for (let i = 0; i < dossiers.length; i += 200) {
    if (stopped) {
      notAsked.push(...dossiers.slice(i));
      break;
    }
    const page = dossiers.slice(i, i + 200);
    const rows = await dossiersForLookup(ledger, page.map((p) => p.id), o.targetId);
    const byId = new Map(rows.map((r) => [r.id, r]));
    let next = 0;
    const worker = async () => {
      while (next < page.length) {
        const d = page[next++] as ScannedDossier;
        if (stopped) {
          notAsked.push(d);
          continue;
        }
        const row = byId.get(d.id);
        if (!row) continue;
        const canonical = row.canonical;
        await limiter.take();
        calls++;
        let answer: Awaited<ReturnType<typeof o.client.lookup>>;
        try {
          answer = await lookupScope.run({ code: d.code }, () => o.client.lookup(d.code));
        } catch (err) {
          // One failed look-up (timeout, refused credential …) is this dossier not compared, never the end of
          // the run; many in a row end the look-ups (the rest is returned as not asked).
          failedInRow++;
          if (failedInRow >= stopAfter && !stopped) stopped = `${failedInRow} look-ups failed in a row (last: ${publicMessage(err)})`;
          o.onView(d, { found: false, buckets: [], difference: null });
          o.onDifference({
            code: d.code,
            unitCode: d.unitCode,
            reason: 'portal_unverifiable',
            detail: { sourceId: d.sourceId, unverifiable: [...LOOKUP_FIELDS], note: `the look-up failed: ${publicMessage(err)}` },
          });
          continue;
        }
        failedInRow = 0;
        const held = firstRecord(answer.result);
        // The portal answered, but not with a record we can read (empty, a string, a list of nothing
        // readable), or the target cannot be asked: not compared, never "equal" nor "missing".
        // Only an empty list is "the portal does not hold it".
        const notFound = !held && (answer.result === null || answer.result === undefined || (Array.isArray(answer.result) && answer.result.length === 0));
        const cannotAsk = !answer.found && answer.result !== null && typeof answer.result === 'object' && !Array.isArray(answer.result) && 'note' in answer.result;
        if (cannotAsk || (!held && !notFound)) {
          o.onView(d, { found: false, buckets: [], difference: null });
          o.onDifference({
            code: d.code,
            unitCode: d.unitCode,
            reason: 'portal_unverifiable',
            detail: { sourceId: d.sourceId, unverifiable: [...LOOKUP_FIELDS], note: cannotAsk ? String((answer.result as { note: unknown }).note) : "the portal's answer carries no readable record", lookup: lookupSummary(answer.result) },
          });
          continue;
        }
        if (!held) {
          o.onView(d, { found: false, buckets: [], difference: null });
          o.onDifference({
            code: d.code,
            unitCode: d.unitCode,
            reason: 'missing_on_portal',
            detail: { sourceId: d.sourceId, deliveredAt: row.deliveredAt, deliveredVersion: row.deliveredVersion, lookup: lookupSummary(answer.result) },
          });
          continue;
        }
        const view = compareWithPortal(canonical, held, o.ctx, d.unitCode);
        o.onView(d, view);
        if (view.difference) o.onDifference({ ...view.difference, detail: { sourceId: d.sourceId, ...view.difference.detail } });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  }
  return { calls, notAsked, stopped };
}
