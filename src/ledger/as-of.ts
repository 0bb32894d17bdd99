/**
 * How recent a version of a dossier is, to refuse an older version over a newer one (a replayed
 * push, a late export file, an out-of-order page): the source's modification time when the adapter
 * gives one (`RawRecord.modifiedAt`), and never earlier than the latest step the dossier records —
 * its progress history, supplement requests, reception. A step only moves forward: rolling a
 * dossier back from "returned" to "processing" drops steps, and so its as-of. Dates a person may
 * correct downwards (the due date, the end of processing without its step) are not used, and
 * instants more than a day ahead are ignored (a typing error must not freeze a dossier).
 */
import type { Dossier } from '../../schemas/dossier.ts';

const DAY_MS = 86_400_000;

/**
 * @example
 * dossierAsOf(dossier, '2026-10-25T12:00:00.000Z') // '2026-10-25T12:00:00.000Z' (or a later step's instant)
 */
export function dossierAsOf(d: Dossier, modifiedAt?: string | null, nowMs = Date.now()): string | null {
  const limit = nowMs + DAY_MS;
  let best = -Infinity;
  const consider = (iso: string | null | undefined) => {
    if (!iso) return;
    const t = Date.parse(iso);
    if (Number.isFinite(t) && t <= limit && t > best) best = t;
  };
  consider(modifiedAt);
  consider(d.dates.submittedAt);
  consider(d.dates.receivedAt);
  for (const p of d.progress) consider(p.at);
  for (const s of d.supplementRequests) {
    consider(s.requestedAt);
    consider(s.receivedAt);
  }
  return best === -Infinity ? null : new Date(best).toISOString();
}
