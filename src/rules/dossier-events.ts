/**
 * Reading the timeline of a canonical dossier: end of processing, supplement pauses and counts.
 * Where the progress history (CapNhatTienDoHoSoMC) exists it wins over the dossier's own dates,
 * as on DVCQG (rules.md §9, portal-contract.md §8.1).
 */
import type { Dossier, StatusCode } from '../../schemas/dossier.ts';
import { epochOf } from './dates.ts';
import type { Pause } from './deadline.ts';

/** Statuses that end processing of a received dossier (rules.md §7.2); 3 only after review. */
export const END_STATUSES: ReadonlySet<StatusCode> = new Set<StatusCode>([3, 7, 8, 9, 10]);
const WORK_STATUSES: ReadonlySet<StatusCode> = new Set<StatusCode>([4, 5, 6]);

export interface EndOfProcessing {
  at: string;
  status: StatusCode;
  source: 'progress' | 'dates';
}

function byTime<T extends { at: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => epochOf(a.at) - epochOf(b.at));
}

/**
 * A status-3 dossier was refused after review (an end state) rather than at reception (never
 * received) only if the history shows it was worked on. Refusals at the counter carry no 4/5/6
 * step; systems that keep no history therefore count as refused at reception (§1 rule 3).
 */
export function wasRefusedAfterReview(dossier: Dossier): boolean {
  return dossier.status.code === 3 && dossier.progress.some((p) => WORK_STATUSES.has(p.status));
}

/**
 * End of processing with the DVCQG precedence 9 > 10 > 8/3/7 (rules.md §9, 766 2.1). Within one
 * status the latest step wins: a dossier reopened and finished again ends at its last finish.
 * Without history: NgayKetThucXuLy, then NgayTra, then NgayTuChoi.
 * @example endOfProcessing(dossier) // { at: '2026-03-09T09:00:00.000Z', status: 9, source: 'progress' }
 */
export function endOfProcessing(dossier: Dossier): EndOfProcessing | null {
  const steps = byTime(dossier.progress);
  for (const group of [[9], [10], [8, 3, 7]] as StatusCode[][]) {
    const hit = steps.filter((p) => group.includes(p.status)).at(-1);
    if (hit) return { at: hit.at, status: hit.status, source: 'progress' };
  }
  const { finishedAt, returnedAt, refusedAt } = dossier.dates;
  const status = dossier.status.code;
  const at = status === 3 ? (refusedAt ?? finishedAt) : (finishedAt ?? returnedAt ?? refusedAt);
  return at ? { at, status, source: 'dates' } : null;
}

/**
 * Supplement pauses (status 5 → resubmission). From DanhSachHoSoBoSung when present, else from
 * runs of status 5 in the history (a run ends at the next step with another status).
 * @example supplementPauses(dossier) // [{ from: '2026-03-04T03:00:00.000Z', to: null }] while waiting
 */
export function supplementPauses(dossier: Dossier): Pause[] {
  const requests = dossier.supplementRequests.filter((r) => r.requestedAt !== null);
  if (requests.length > 0) {
    return requests
      .map((r) => ({ from: r.requestedAt as string, to: r.receivedAt }))
      .sort((a, b) => epochOf(a.from) - epochOf(b.from));
  }
  return statusRuns(dossier, 5);
}

/** Runs of one status in the history: from its first step to the next step with another status. */
function statusRuns(dossier: Dossier, status: StatusCode): Pause[] {
  const pauses: Pause[] = [];
  let open: string | null = null;
  for (const p of byTime(dossier.progress)) {
    if (p.status === status && open === null) open = p.at;
    else if (p.status !== status && open !== null) {
      pauses.push({ from: open, to: p.at });
      open = null;
    }
  }
  if (open !== null) pauses.push({ from: open, to: null });
  return pauses;
}

/**
 * Waiting for the applicant to pay (status 6 "Yêu cầu thực hiện nghĩa vụ tài chính" → the next step),
 * from runs of status 6 in the history. Only procedures whose time limit excludes that wait
 * (catalogue `pausesForPayment`, often land procedures; rules.md §3) pause on it.
 * @example paymentPauses(dossier) // [{ from: '2026-03-04T03:00:00.000Z', to: '2026-03-06T02:00:00.000Z' }]
 */
export function paymentPauses(dossier: Dossier): Pause[] {
  return statusRuns(dossier, 6);
}

/** Pauses in time order, overlapping ones merged (a day is never paused twice). */
export function mergePauses(pauses: readonly Pause[]): Pause[] {
  const sorted = [...pauses].sort((a, b) => epochOf(a.from) - epochOf(b.from));
  const out: Pause[] = [];
  for (const p of sorted) {
    const last = out.at(-1);
    if (last && (last.to === null || epochOf(p.from) <= epochOf(last.to))) {
      if (last.to !== null && (p.to === null || epochOf(p.to) > epochOf(last.to))) last.to = p.to;
    } else out.push({ ...p });
  }
  return out;
}

/**
 * Number of supplement requests: the larger of the list and the status-5 runs in the history.
 * @example supplementRequestCount(dossier) > 1 // late for 766 whatever the dates
 */
export function supplementRequestCount(dossier: Dossier): number {
  let runs = 0;
  let inRun = false;
  for (const p of byTime(dossier.progress)) {
    if (p.status === 5 && !inRun) runs += 1;
    inRun = p.status === 5;
  }
  return Math.max(dossier.supplementRequests.length, runs);
}

/** The appointment re-issued by the last supplement request that set one (NgayHenTraMoi), if any. */
export function reissuedDueAt(dossier: Dossier): string | null {
  const withNew = dossier.supplementRequests
    .filter((r) => r.newDueAt !== null)
    .sort((a, b) => (a.requestedAt ? epochOf(a.requestedAt) : 0) - (b.requestedAt ? epochOf(b.requestedAt) : 0));
  return withNew.at(-1)?.newDueAt ?? null;
}
