/**
 * The dossiers a report reads: canonical dossiers from the ledger in keyset pages
 * (src/ledger/dossier-stream.ts), and the filter of those that can count in a period.
 */
import type { DossierFilter } from '../ledger/dossier-stream.ts';
import { periodBounds, type Period } from '../rules/periods.ts';

export { streamDossiers, type DossierFilter, type StreamedDossier, type StreamOptions } from '../ledger/dossier-stream.ts';

/**
 * How long before the period start a dossier's NgayKetThucXuLy (`finished_at`) may lie and it is
 * still read: the end of processing the rules use comes from the progress history when there is
 * one (rules.md §9), which can be later than NgayKetThucXuLy in inconsistent records.
 */
export const FINISHED_SLACK_DAYS = 31;

/**
 * Dossiers that can count in a period (Biểu 06, 766): received before the period ends, and not
 * finished, or finished after the period start (less {@link FINISHED_SLACK_DAYS}).
 * @example periodFilter({ from: '2026-10-01', to: '2026-10-31' }) // { receivedBefore: '2026-10-31T17:00:00.000Z', openOrFinishedSince: '2026-08-31T17:00:00.000Z' }
 */
export function periodFilter(period: Period): DossierFilter {
  const { start, endExclusive } = periodBounds(period);
  return {
    receivedBefore: new Date(endExclusive).toISOString(),
    openOrFinishedSince: new Date(start - FINISHED_SLACK_DAYS * 86_400_000).toISOString(),
  };
}
