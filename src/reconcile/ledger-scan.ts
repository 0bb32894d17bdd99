/**
 * One pass over the ledger's dossiers that can count in the period (keyset pages, bounded
 * memory): their buckets on the ledger side, what was acknowledged by the target, and every
 * dossier whose delivery is pending, dead or missing (`not_delivered`, with the portal's last answer).
 */
import type { Ledger } from '../ledger/db.ts';
import { scanDossierPage } from '../ledger/reconcile-read.ts';
import { periodBounds } from '../rules/periods.ts';
import { bucketsOf, type Bucket, type BucketContext } from './buckets.ts';
import type { Difference } from './types.ts';
import { cleanMessage } from '../privacy.ts';

export interface Acknowledged {
  id: number;
  code: string;
  sourceId: string;
  unitCode: string;
  buckets: Bucket[];
  deliveredAt: string | null;
  deliveredVersion: number;
}

export interface ScannedDossier {
  id: number;
  code: string;
  sourceId: string;
  unitCode: string;
  deleted: boolean;
  buckets: Bucket[];
  acknowledged: boolean;
}

export const UNKNOWN_UNIT = '(không rõ đơn vị)';

export interface ScanOptions {
  sourceIds: string[];
  targetId: string;
  unit?: string;
  /** The target's `units` prefixes: a dossier the target does not receive is not its to count (src/outbox/units.ts). */
  units?: readonly string[];
  ctx: BucketContext;
  onDossier(d: ScannedDossier): void;
  onNotDelivered(d: Difference): void;
  pageSize?: number;
}

/**
 * Candidates: received before the period ends and not finished long before it starts (a month of
 * slack: the end of processing may come from the history rather than `finished_at`).
 */
export async function scanLedger(ledger: Ledger, o: ScanOptions): Promise<{ examined: number; inScope: number }> {
  const bounds = periodBounds(o.ctx);
  const end = new Date(bounds.endExclusive).toISOString();
  const slackStart = new Date(bounds.start - 31 * 86_400_000).toISOString();
  let after = 0;
  let examined = 0;
  let inScope = 0;
  const limit = o.pageSize ?? 1000;
  for (;;) {
    const rows = await scanDossierPage(ledger, {
      after,
      limit,
      sourceIds: o.sourceIds,
      targetId: o.targetId,
      receivedBefore: end,
      finishedSince: slackStart,
      ...(o.unit ? { unit: o.unit } : {}),
      ...(o.units ? { units: o.units } : {}),
    });
    for (const r of rows) {
      examined++;
      const canonical = r.canonical;
      const buckets = bucketsOf(canonical, o.ctx);
      if (buckets.length === 0) continue;
      inScope++;
      const version = r.version;
      const q = r.delivery;
      const acknowledged = q?.status === 'delivered' && q.deliveredVersion === version;
      const d: ScannedDossier = {
        id: r.id,
        code: r.code,
        sourceId: r.sourceId,
        unitCode: r.unitCode ?? UNKNOWN_UNIT,
        deleted: r.deleted,
        buckets,
        acknowledged,
      };
      o.onDossier(d);
      // A dossier its source says not to push (an interconnection copy, one submitted on DVCQG) is counted, never "not delivered".
      if (!acknowledged && !d.deleted && !canonical.notPushed) {
        o.onNotDelivered({
          code: d.code,
          unitCode: d.unitCode,
          reason: 'not_delivered',
          detail: {
            sourceId: d.sourceId,
            status: q === null ? 'missing' : q.status,
            version,
            deliveredVersion: q?.deliveredVersion ?? null,
            attempts: q?.attempts ?? 0,
            lastError: typeof q?.lastError === 'string' ? cleanMessage(q.lastError) : null,
            lastAnswer: q?.lastAnswer ?? null,
          },
        });
      }
    }
    if (rows.length < limit) return { examined, inScope };
    after = Number(rows.at(-1)?.id);
  }
}
