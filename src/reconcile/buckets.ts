/**
 * Where one dossier counts in a period: the Biểu 06 buckets (rules.md §10.1) and the 766 2.1 view
 * the national dashboard publishes (indicators-766.md §4). A dossier may count in several buckets
 * (received this period and resolved early, say); counts per bucket are what the four sides compare.
 */
import type { Dossier } from '../../schemas/dossier.ts';
import type { WorkingCalendar } from '../rules/calendar.ts';
import { classifyDossier } from '../rules/classify.ts';
import { periodBounds, type Period } from '../rules/periods.ts';

export const BIEU06_BUCKETS = ['received', 'carried_over', 'resolved_early', 'resolved_on_time', 'resolved_late', 'in_progress_within', 'in_progress_overdue'] as const;
/** The per-unit figures of the 766 progress tree: totalReceived, totalOnTime, totalOverdue. */
export const PORTAL_766_BUCKETS = ['766_received', '766_on_time', '766_overdue'] as const;
export const BUCKETS = [...BIEU06_BUCKETS, ...PORTAL_766_BUCKETS] as const;
export type Bucket = (typeof BUCKETS)[number];

/** Column headings for people (Biểu 06 wording). */
export const BUCKET_LABELS_VI: Record<Bucket, string> = {
  received: 'Tiếp nhận mới',
  carried_over: 'Từ kỳ trước',
  resolved_early: 'Đã giải quyết trước hạn',
  resolved_on_time: 'Đã giải quyết đúng hạn',
  resolved_late: 'Đã giải quyết quá hạn',
  in_progress_within: 'Đang giải quyết trong hạn',
  in_progress_overdue: 'Đang giải quyết quá hạn',
  '766_received': '766: tổng tiếp nhận, xử lý',
  '766_on_time': '766: đúng hạn',
  '766_overdue': '766: quá hạn',
};

export interface BucketContext extends Period {
  calendar: WorkingCalendar;
  /** Judgement instant: the end of the period, or now for a period not over yet. */
  asOf: string;
}

/**
 * The buckets a dossier counts in for the period (empty = out of scope).
 *
 * @example
 * bucketsOf(dossier, { from: '2026-10-01', to: '2026-10-31', calendar, asOf: '2026-10-31T16:59:59.999Z' })
 * // ['received', 'resolved_on_time', '766_received', '766_on_time']
 */
export function bucketsOf(dossier: Dossier, ctx: BucketContext): Bucket[] {
  const bounds = periodBounds(ctx);
  const c = classifyDossier(dossier, { calendar: ctx.calendar, asOf: ctx.asOf });
  if (!c.received || c.receivedAt === null) return [];
  const receivedMs = Date.parse(c.receivedAt);
  const endMs = c.end ? Date.parse(c.end.at) : null;
  const asOfMs = Date.parse(ctx.asOf);
  const endedBefore = endMs !== null && endMs < bounds.start;
  // Same column criteria as the Biểu 06 tally (src/rules/period-tally.ts).
  const inReceived = receivedMs >= bounds.start || !endedBefore;
  const inResolved = endMs !== null && endMs >= bounds.start && endMs <= asOfMs;
  const out: Bucket[] = [];
  if (inReceived) out.push(receivedMs >= bounds.start ? 'received' : 'carried_over');
  if (inResolved) {
    if (c.outcome === 'early') out.push('resolved_early');
    else if (c.outcome === 'on_time') out.push('resolved_on_time');
    else if (c.outcome === 'late') out.push('resolved_late');
  }
  if (inReceived && !c.finished) {
    if (c.inProgress === 'within_deadline') out.push('in_progress_within');
    else if (c.inProgress === 'overdue') out.push('in_progress_overdue');
  }
  if (inReceived) {
    out.push('766_received');
    out.push(c.onTime766 === true ? '766_on_time' : '766_overdue');
  }
  return out;
}
