/**
 * One pass over the ledger's dossiers that can count in the period (keyset pages, bounded
 * memory): their buckets on the ledger side, what was acknowledged by the target, and every
 * dossier whose delivery is pending, dead or missing (`not_delivered`, with the portal's last answer).
 */
import { sql } from 'drizzle-orm';
import type { Dossier } from '../../schemas/dossier.ts';
import type { Ledger } from '../ledger/db.ts';
import { textArray } from '../ledger/sql-helpers.ts';
import { receivesDossierSql } from '../outbox/units.ts';
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

export const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

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
    const rows = await ledger.rows<Record<string, unknown>>(sql`
      select d.id, d.source_id, d.code, d.unit_code, d.version, d.canonical, d.deleted_at is not null as deleted,
             q.id as delivery_id, q.status as delivery_status, q.version as delivery_version, q.delivered_version,
             q.attempts, q.last_error, q.last_answer, q.delivered_at
      from dossiers d left join deliveries q on q.dossier_id = d.id and q.target_id = ${o.targetId}
      where d.id > ${after} and d.source_id = any(${textArray(o.sourceIds)})
        and d.received_at < ${end}::timestamptz
        and (d.status not in (3, 7, 8, 9, 10) or d.finished_at is null or d.finished_at >= ${slackStart}::timestamptz)
        ${o.unit ? sql`and d.unit_code = ${o.unit}` : sql``}
        ${o.units?.length ? sql`and ${receivesDossierSql(o.units, sql`d.unit_code`, sql`d.code`)}` : sql``}
      order by d.id limit ${limit}`);
    for (const r of rows) {
      examined++;
      const canonical = json<Dossier>(r['canonical']);
      const buckets = bucketsOf(canonical, o.ctx);
      if (buckets.length === 0) continue;
      inScope++;
      const version = Number(r['version']);
      const acknowledged = r['delivery_status'] === 'delivered' && Number(r['delivered_version']) === version;
      const d: ScannedDossier = {
        id: Number(r['id']),
        code: String(r['code']),
        sourceId: String(r['source_id']),
        unitCode: (r['unit_code'] as string | null) ?? UNKNOWN_UNIT,
        deleted: Boolean(r['deleted']),
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
            status: r['delivery_id'] === null ? 'missing' : r['delivery_status'],
            version,
            deliveredVersion: r['delivered_version'] ?? null,
            attempts: r['attempts'] ?? 0,
            lastError: typeof r['last_error'] === 'string' ? cleanMessage(r['last_error']) : null,
            lastAnswer: r['last_answer'] === null || r['last_answer'] === undefined ? null : json(r['last_answer']),
          },
        });
      }
    }
    if (rows.length < limit) return { examined, inScope };
    after = Number(rows.at(-1)?.['id']);
  }
}
